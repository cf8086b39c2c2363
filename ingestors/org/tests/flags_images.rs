//! Feature-flag definitions and container images over an annotated fixture repository
//! (`tests/fixtures/shop-images`, its `expect.txt` lists every fact of these kinds): what the
//! brain finds must equal the list, so a miss and an extra both fail.

mod common;

use brain_model::{EdgeKind, NodeKind};
use std::collections::BTreeSet;

const REPO: &str = "acme/shop";

#[test]
fn flags_and_images_exactly_as_annotated() {
    let facts = common::repo_facts(REPO, "shop-images");
    let g = common::build(&[facts]);
    let expect = std::fs::read_to_string(common::fixture_dir("shop-images").join("expect.txt")).expect("expect.txt");
    let want: BTreeSet<String> =
        expect.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();

    let mut got = BTreeSet::new();
    for n in g.nodes_of_kind(NodeKind::Flag) {
        assert!(n.prov.origin.is_declared(), "{}: a definition is declared", n.id);
        assert!(n.prov.span.is_some(), "{}: a definition has a line", n.id);
        got.insert(format!("flag {} {}", n.prov.path, n.name));
    }
    for n in g.nodes_of_kind(NodeKind::Image) {
        got.insert(format!("image {}", n.prov.path));
    }
    for e in g.edges() {
        let image_path = |id: &brain_model::NodeId| g.node(id).map(|n| n.prov.path.to_string()).unwrap_or_default();
        match e.kind {
            EdgeKind::BuiltFrom if e.to.prefix() == "image" => {
                let svc = e.from.as_str().trim_start_matches("svc:");
                assert_eq!(e.prov.path.to_string(), "compose.yaml");
                got.insert(format!("built_from {svc} {}", image_path(&e.to)));
            }
            EdgeKind::Includes => {
                let file = e.to.as_str().trim_start_matches(&format!("file:{REPO}:")).to_string();
                let origin = if e.prov.origin.is_declared() { "declared" } else { "inferred" };
                assert!(e.prov.span.is_some(), "includes edges carry the COPY line");
                assert_eq!(e.prov.path.to_string(), image_path(&e.from), "evidence is the Dockerfile");
                got.insert(format!("includes {} {file} {origin}", image_path(&e.from)));
            }
            _ => {}
        }
    }
    for d in g.diagnostics().filter(|d| d.code.starts_with("image.")) {
        got.insert(format!("diagnostic {} {}", d.code, d.path));
    }
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing: {missing:#?}\nextra: {extra:#?}");

    // The COPY line is the evidence of an inclusion; the stage is named.
    let e = g
        .edges()
        .find(|e| e.kind == EdgeKind::Includes && e.to.as_str().ends_with("proto/api.proto"))
        .expect("proto included");
    assert_eq!(e.prov.span.map(|s| s.start_line), Some(6));
    assert_eq!(e.attr("stage"), Some("builder"));
    let flag = g.nodes_of_kind(NodeKind::Flag).find(|n| n.name == "newCheckout").expect("flag");
    assert_eq!(flag.prov.span.map(|s| s.start_line), Some(4));
    assert_eq!(flag.attr("default_variant"), Some("off"));
}
