//! Diagnostic, not a check: prints the contract-relevant part of a graph
//! (operations, types, fields, consumer links, unresolved references) to see
//! what the ingestors gave the checks. `DUMP_DIR=acme` (an example) or a
//! `brain.toml` path: `cargo test -p brain-check --test dump -- --ignored --nocapture`.
mod common;

#[test]
#[ignore]
fn dump() {
    let dir = std::env::var("DUMP_DIR").unwrap_or_else(|_| "acme".into());
    let g = if dir.ends_with(".toml") {
        common::ingest_config(std::path::Path::new(&dir))
    } else {
        common::ingest_example(&dir)
    };
    for n in g.nodes() {
        use brain_model::NodeKind::*;
        if matches!(n.kind, Operation | DataType | Field | Topic | Spec | Service) {
            println!(
                "NODE {} {:?} {} {:?} attrs={:?}",
                n.id,
                n.kind,
                n.name,
                n.prov.span.map(|s| s.start_line),
                n.attrs
            );
        }
    }
    for e in g.edges() {
        use brain_model::EdgeKind::*;
        if matches!(
            e.kind,
            Consumes
                | Subscribes
                | Publishes
                | ReadsField
                | UsesType
                | Implements
                | Exposes
                | CopyOf
                | HasField
                | WritesField
        ) {
            println!("EDGE {} -{}-> {} @{:?} {:?}", e.from, e.kind, e.to, e.prov.span.map(|s| s.start_line), e.attrs);
        }
    }
    for r in g.unresolved() {
        println!(
            "UNRES {} {} {:?} @{}:{:?} {:?}",
            r.from,
            r.kind,
            r.target,
            r.prov.path,
            r.prov.span.map(|s| s.start_line),
            r.attrs
        );
    }
}
