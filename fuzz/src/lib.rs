//! Shared driver for the fuzz targets: feeds bytes through the same path the
//! ingest pipeline takes (`crates/ingest/src/brain.rs`, `process_file`): the
//! binary sniff, lossy UTF-8, every shipped ingestor that accepts the path,
//! then a graph snapshot with the shipped link passes.

use brain_graph::{Graph, GraphBuilder, LinkPass};
use brain_model::{Facts, Ingestor, SourceFile};
use std::sync::OnceLock;

/// The repo name every target ingests into.
pub const REPO: &str = "fuzz";

fn ingestors() -> &'static [Box<dyn Ingestor>] {
    static INGESTORS: OnceLock<Vec<Box<dyn Ingestor>>> = OnceLock::new();
    INGESTORS.get_or_init(brain_stack::ingestors)
}

fn passes() -> &'static [Box<dyn LinkPass>] {
    static PASSES: OnceLock<Vec<Box<dyn LinkPass>>> = OnceLock::new();
    PASSES.get_or_init(brain_stack::passes)
}

/// The facts every accepting ingestor gives for `data` at `path`, or `None`
/// when the pipeline would not parse the file (a NUL byte in its first 8 KiB
/// marks it binary). Panics propagate: that is what the fuzzer looks for.
pub fn facts(path: &str, data: &[u8]) -> Option<Facts> {
    if data[..data.len().min(8192)].contains(&0) {
        return None;
    }
    let text = String::from_utf8_lossy(data);
    let file = SourceFile { repo: REPO, path, content: &text };
    let mut facts = Facts::default();
    for ing in ingestors() {
        if ing.accepts(path) {
            facts.extend(ing.ingest(&file));
        }
    }
    Some(facts)
}

/// Ingests `data` as the file at `path` and builds a snapshot from its facts.
/// Returns the facts (for the seed checks below).
pub fn ingest_and_link(path: &str, data: &[u8]) -> Option<Facts> {
    let facts = facts(path, data)?;
    link(&facts);
    Some(facts)
}

/// The `codeowners` target: `data` is a CODEOWNERS file, optionally followed
/// by a NUL byte and newline-separated paths of other files in the same repo
/// (CODEOWNERS rules are matched against every file of the repo by the
/// `CodeownersPass`, and those paths are just as untrusted as the rules).
/// Paths are normalised as the walker would give them; at most 32 are kept.
pub fn codeowners(data: &[u8]) -> Option<Graph> {
    let (owners, rest) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let mut all = facts(".github/CODEOWNERS", owners)?;
    let rest = String::from_utf8_lossy(rest);
    for raw in rest.split('\n').take(32) {
        let segs: Vec<&str> =
            raw.split('/').filter(|s| !s.is_empty() && *s != "." && *s != ".." && !s.contains('\0')).collect();
        if segs.is_empty() {
            continue;
        }
        if let Some(f) = facts(&segs.join("/"), b"") {
            all.extend(f);
        }
    }
    Some(link(&all))
}

fn link(facts: &Facts) -> Graph {
    let mut b = GraphBuilder::new();
    b.add_facts(facts);
    let passes: Vec<&dyn LinkPass> = passes().iter().map(|p| p.as_ref()).collect();
    b.build(&passes)
}

/// Which path the `openapi` target uses: the JSON variant when the input
/// looks like a JSON object, the YAML one otherwise.
pub fn openapi_path(data: &[u8]) -> &'static str {
    match data.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => "openapi.json",
        _ => "openapi.yaml",
    }
}

/// Parses `data` as a unified diff, as `brain impact`/`review` do.
pub fn unified_diff(data: &[u8]) -> brain_query::diff::ParsedDiff {
    let text = String::from_utf8_lossy(data);
    brain_query::diff::parse_unified_diff(REPO, &text)
}

#[cfg(test)]
mod tests {
    //! Each target's committed seeds (`fuzz/seeds/<target>/`) reach the
    //! parser under test: the ingestor it names produces facts.
    use super::*;
    use std::path::Path;

    fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").join(target);
        let mut out = Vec::new();
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.expect("dir entry").path();
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            out.push((name, std::fs::read(&p).expect("seed readable")));
        }
        assert!(!out.is_empty(), "no seeds for {target}");
        out
    }

    fn reaches(target: &str, path_of: impl Fn(&[u8]) -> &'static str, ingestor: &str) {
        for (name, mut data) in seeds(target) {
            // The codeowners target reads repo file paths after a NUL.
            data.truncate(data.iter().position(|b| *b == 0).unwrap_or(data.len()));
            let facts = ingest_and_link(path_of(&data), &data).expect("text seed");
            let named = facts.nodes.iter().filter(|n| n.prov.ingestor == ingestor).count();
            assert!(named > 0, "{target}/{name}: no `{ingestor}` nodes; diagnostics {:?}", facts.diagnostics);
        }
    }

    #[test]
    fn codeowners_seeds_reach_the_codeowners_ingestor() {
        reaches("codeowners", |_| ".github/CODEOWNERS", "codeowners");
    }
    #[test]
    fn codeowners_rules_meet_the_paths_after_the_nul() {
        let data = b"*.rs @rust\n/docs/ @docs\n\0src/a.rs\n./docs//x.md\n\n";
        let g = codeowners(data).expect("text");
        let owns = g.edges().filter(|e| e.kind == brain_model::EdgeKind::Owns).count();
        assert_eq!(owns, 2, "{:?}", g.diagnostics());
    }
    #[test]
    fn adr_seeds_reach_the_adr_ingestor() {
        reaches("adr", |_| "docs/adr/0001-use-postgres.md", "adr");
    }
    #[test]
    fn openapi_seeds_reach_the_openapi_ingestor() {
        reaches("openapi", openapi_path, "openapi");
    }
    #[test]
    fn asyncapi_seeds_reach_the_asyncapi_ingestor() {
        reaches("asyncapi", |_| "asyncapi.yaml", "asyncapi");
    }
    #[test]
    fn json_schema_seeds_reach_the_json_schema_ingestor() {
        reaches("json_schema", |_| "schemas/order.schema.json", "jsonschema");
    }
    #[test]
    fn proto_seeds_reach_the_proto_ingestor() {
        reaches("proto", |_| "api/orders.proto", "proto");
    }
    #[test]
    fn graphql_seeds_reach_the_graphql_ingestor() {
        reaches("graphql_sdl", |_| "schema.graphql", "graphql");
    }
    #[test]
    fn diff_seeds_parse_into_files() {
        for (name, data) in seeds("unified_diff") {
            let d = unified_diff(&data);
            assert!(!d.files.is_empty(), "unified_diff/{name}: no files; {:?}", d.diagnostics);
        }
    }
}
