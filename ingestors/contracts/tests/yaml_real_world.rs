//! The shared YAML reader on forms real compose files, Kubernetes manifests
//! and CI files use (fixtures in `fixtures/yaml`, written for these tests):
//! flow sequences spanning lines and closed under their key, anchors and `<<`
//! merge keys, block scalars holding brackets, tags, multi-document streams
//! with `...`, tabs in flow context. Every node keeps its line in the file.

use brain_ingest_contracts::schema::tree::parse_yaml;
use brain_ingest_contracts::yaml::{get_str, line_of, parse_documents, MarkedMappingNode};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/yaml/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn service<'a>(root: &'a MarkedMappingNode, name: &str) -> &'a MarkedMappingNode {
    root.get_mapping("services").and_then(|s| s.get_mapping(name)).unwrap_or_else(|| panic!("service {name}"))
}

#[test]
fn compose_file_with_multi_line_flow_sequences_and_merge_keys() {
    let docs = parse_documents(&fixture("compose.yaml"));
    assert_eq!(docs.len(), 1);
    let root = docs[0].root.as_ref().unwrap_or_else(|e| panic!("{e}"));
    let root = root.as_mapping().expect("mapping");

    let flagd = service(root, "flagd");
    let command: Vec<&str> = flagd
        .get_sequence("command")
        .expect("command")
        .iter()
        .filter_map(|n| n.as_scalar())
        .map(|s| s.as_str())
        .collect();
    assert_eq!(command, ["start", "--uri", "file:./etc/flagd/demo.flagd.json"]);
    assert_eq!(get_str(flagd, "restart"), Some("unless-stopped"), "merged from x-defaults");
    assert_eq!(flagd.get_node("environment").and_then(line_of), Some(16));

    let cart = service(root, "cart");
    assert_eq!(get_str(cart, "restart"), Some("always"), "an explicit key wins over the merged one");
    assert_eq!(cart.get_mapping("logging").and_then(|l| get_str(l, "driver")), Some("json-file"));
    let test = cart.get_mapping("healthcheck").and_then(|h| h.get_sequence("test")).map(|t| t.len());
    assert_eq!(test, Some(4));
    assert_eq!(get_str(cart, "entrypoint"), Some("sh -c \"[ -f /ready ] && exec cart\"\n"));
    // a block scalar node starts on its first content line
    assert_eq!(cart.get_node("entrypoint").and_then(line_of), Some(25));
}

#[test]
fn manifests_stream_with_block_scalars_tags_and_tabs_in_flow() {
    let docs = parse_documents(&fixture("manifests.yaml"));
    let lines: Vec<u32> = docs.iter().map(|d| d.start_line).collect();
    assert_eq!(lines, [1, 13, 19], "the comment-only document is skipped");
    let roots: Vec<_> = docs.iter().map(|d| d.root.as_ref().unwrap_or_else(|e| panic!("{e}"))).collect();

    let cm = roots[0].as_mapping().and_then(|m| m.get_mapping("data")).expect("data");
    assert_eq!(get_str(cm, "script.sh"), Some("#!/bin/sh\n[ -n \"$X\" ] && echo {x}\n"));
    assert_eq!(get_str(cm, "list"), Some("tagged"));
    assert_eq!(cm.get_node("list").and_then(line_of), Some(9));

    let meta = roots[1].as_mapping().and_then(|m| m.get_mapping("metadata")).expect("metadata");
    assert_eq!(get_str(meta, "name"), Some("web"));
    assert_eq!(meta.get_mapping("labels").and_then(|l| get_str(l, "app")), Some("web"));

    let seq = roots[2].as_sequence().expect("sequence");
    assert_eq!(seq.len(), 3);
    assert_eq!(seq.get(1).and_then(|n| n.as_sequence()).map(|s| s.len()), Some(2));
    assert_eq!(seq.get(2).and_then(|n| n.as_mapping()).and_then(|m| get_str(m, "k")), Some("v"));
}

#[test]
fn schema_reader_reads_the_same_compose_file() {
    let v = parse_yaml(&fixture("compose.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let flagd = v.get("services").and_then(|s| s.get("flagd")).expect("flagd");
    assert_eq!(flagd.get("command").map(|c| c.items().len()), Some(3));
    assert_eq!(flagd.key_line("environment"), Some(15));
}
