//! Protobuf ingestion on annotated fixtures: listings are snapshotted, and the
//! facts the fixtures' `expect:` comments state are asserted directly.

use brain_ingest_contracts::proto::ProtoIngestor;
use brain_model::{attr, Facts, Ingestor, RefTarget, SourceFile};
use std::fmt::Write;

fn ingest(name: &str) -> Facts {
    let path = format!("{}/tests/fixtures/proto/{name}", env!("CARGO_MANIFEST_DIR"));
    let content = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(!content.is_empty(), "fixture {path}");
    ProtoIngestor.ingest(&SourceFile { repo: "acme/orders", path: &format!("proto/{name}"), content: &content })
}

/// One line per fact, stable order.
fn listing(f: &Facts) -> String {
    let mut s = String::new();
    for n in &f.nodes {
        let span = n.prov.span.map(|s| format!("{}-{}", s.start_line, s.end_line)).unwrap_or_default();
        let attrs: Vec<String> = n.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(s, "node {} [{}] @{span} {}", n.id, n.kind, attrs.join(" "));
    }
    for e in &f.edges {
        let _ = writeln!(s, "edge {} -{}-> {}", e.from, e.kind, e.to);
    }
    for r in &f.refs {
        let target = match &r.target {
            RefTarget::Key { ns, key, .. } => format!("{ns}:{key}"),
            RefTarget::AnyOf(ids) => ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" | "),
        };
        let attrs: Vec<String> = r.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let line = r.prov.span.map(|s| s.start_line).unwrap_or(0);
        let _ = writeln!(s, "ref {} -{}-> {target} @{line} {}", r.from, r.kind, attrs.join(" "));
    }
    for p in &f.provides {
        let _ = writeln!(s, "provide {} {}:{}", p.node, p.ns, p.key);
    }
    for d in &f.diagnostics {
        let _ = writeln!(s, "diag {}", d.render());
    }
    s
}

fn node<'a>(f: &'a Facts, id: &str) -> &'a brain_model::Node {
    f.nodes.iter().find(|n| n.id.as_str() == id).unwrap_or_else(|| panic!("no node {id}"))
}

fn provided(f: &Facts, ns: &str, key: &str) -> bool {
    f.provides.iter().any(|p| p.ns == ns && p.key == key)
}

#[test]
fn proto3_every_construct() {
    let f = ingest("orders_v3.proto");
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    let spec = node(&f, "spec:acme/orders:proto/orders_v3.proto");
    assert_eq!(spec.attr(attr::FORMAT), Some("proto3"));
    assert_eq!(spec.attr("package"), Some("acme.orders.v1"));

    let pid = node(&f, "field:acme/orders:proto/orders_v3.proto#acme.orders.v1.Order.product_id");
    assert_eq!(pid.attr(attr::WIRE_NAME), Some("productId"));
    assert_eq!(pid.attr("go_name"), Some("ProductId"));
    assert_eq!(pid.attr("java_getter"), Some("getProductId"));
    assert_eq!(pid.attr("csharp_name"), Some("ProductId"));
    assert_eq!(pid.attr("python_name"), Some("product_id"));
    assert_eq!(pid.attr("js_name"), Some("productId"));
    assert_eq!(pid.attr(attr::FIELD_NUMBER), Some("1"));

    let created = node(&f, "field:acme/orders:proto/orders_v3.proto#acme.orders.v1.Order.created_at");
    assert_eq!(created.attr(attr::WIRE_NAME), Some("createdAt"));
    assert_eq!(created.attr("proto_name"), Some("created_at"));
    let counts = node(&f, "field:acme/orders:proto/orders_v3.proto#acme.orders.v1.Order.counts");
    assert_eq!(counts.attr("label"), Some("map"));
    assert_eq!(counts.attr(attr::TYPE), Some("map<string, int64>"));
    assert_eq!(counts.attr("java_getter"), Some("getCountsMap"));
    let foo = node(&f, "field:acme/orders:proto/orders_v3.proto#acme.orders.v1.Order.foo_bar_2");
    assert_eq!(foo.attr("go_name"), Some("FooBar_2"));
    let card = node(&f, "field:acme/orders:proto/orders_v3.proto#acme.orders.v1.Order.card_token");
    assert_eq!(card.attr("oneof"), Some("payment"));

    node(&f, "type:acme/orders:proto/orders_v3.proto#acme.orders.v1.Order.Line");
    assert!(provided(&f, "type", "Order.Line"));
    assert!(provided(&f, "type", "acme.orders.v1.Order"));
    let status = node(&f, "type:acme/orders:proto/orders_v3.proto#acme.orders.v1.Status");
    assert_eq!(status.attr("kind"), Some("enum"));

    let svc = node(&f, "op:acme/orders:proto/orders_v3.proto#acme.orders.v1.OrderService");
    assert_eq!(svc.attr("kind"), Some("service"));
    assert!(provided(&f, "grpc", "OrderService"));
    assert!(provided(&f, "grpc", "acme.orders.v1.OrderService"));
    let watch = node(&f, "op:acme/orders:proto/orders_v3.proto#acme.orders.v1.OrderService/WatchOrders");
    assert_eq!(watch.attr("server_streaming"), Some("true"));
    assert_eq!(watch.attr("client_streaming"), Some("false"));
    assert!(provided(&f, "grpc", "OrderService/GetOrder"));
    assert!(provided(&f, "grpc", "acme.orders.v1.OrderService/GetOrder"));
    let upload = node(&f, "op:acme/orders:proto/orders_v3.proto#acme.orders.v1.OrderService/Upload");
    assert_eq!(upload.attr("response_type"), Some("google.protobuf.Empty"));
    assert_eq!(upload.attr("request_type"), Some("acme.orders.v1.Order"));

    assert!(f.refs.iter().any(|r| matches!(&r.target, RefTarget::Key { ns, key, .. }
        if ns == "module" && key == "proto:google/protobuf/timestamp.proto")));
    assert!(provided(&f, "module", "proto:orders_v3.proto"));
    insta::assert_snapshot!(listing(&f));
}

#[test]
fn proto2_required_groups_extensions() {
    let f = ingest("legacy_v2.proto");
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    assert_eq!(node(&f, "spec:acme/orders:proto/legacy_v2.proto").attr(attr::FORMAT), Some("proto2"));
    let id = node(&f, "field:acme/orders:proto/legacy_v2.proto#Legacy.id");
    assert_eq!(id.attr(attr::REQUIRED), Some("true"));
    assert_eq!(id.attr("label"), Some("required"));
    let result = node(&f, "field:acme/orders:proto/legacy_v2.proto#Legacy.result");
    assert_eq!(result.attr(attr::TYPE), Some("Result"));
    node(&f, "type:acme/orders:proto/legacy_v2.proto#Legacy.Result");
    node(&f, "field:acme/orders:proto/legacy_v2.proto#Legacy.Result.url");
    let note = f.nodes.iter().find(|n| n.name == "note").map(|n| n.attr("extends"));
    assert_eq!(note, Some(Some("Legacy")));
    insta::assert_snapshot!(listing(&f));
}

#[test]
fn editions_constructs() {
    let f = ingest("editions.proto");
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    let spec = node(&f, "spec:acme/orders:proto/editions.proto");
    assert_eq!(spec.attr(attr::FORMAT), Some("editions"));
    assert_eq!(spec.attr("edition"), Some("2024"));
    assert!(f.refs.iter().any(|r| r.attr("import_kind") == Some("option")));
    let hidden = node(&f, "type:acme/orders:proto/editions.proto#acme.ed.Hidden");
    assert!(hidden.text.contains("visibility"), "doc comment kept across `local`: {:?}", hidden.text);
    let id = node(&f, "field:acme/orders:proto/editions.proto#acme.ed.Hidden.id");
    assert_eq!(id.attr(attr::REQUIRED), Some("true"));
    let kind = node(&f, "field:acme/orders:proto/editions.proto#acme.ed.Hidden.kind");
    assert_eq!(kind.attr(attr::TYPE), Some("acme.ed.Exported.Kind"));
    node(&f, "type:acme/orders:proto/editions.proto#acme.ed.Exported.Kind");
}

#[test]
fn broken_file_reports_lines_and_keeps_the_rest() {
    let f = ingest("broken.proto");
    let lines: Vec<u32> = f.diagnostics.iter().filter_map(|d| d.line).collect();
    assert_eq!(lines, vec![8, 13, 18], "{:#?}", f.diagnostics);
    assert!(f.diagnostics.iter().all(|d| d.code == "proto.parse"));
    node(&f, "field:acme/orders:proto/broken.proto#acme.broken.Good.after_error");
    node(&f, "type:acme/orders:proto/broken.proto#acme.broken.AlsoGood");
    node(&f, "op:acme/orders:proto/broken.proto#acme.broken.S/Ok");
    insta::assert_snapshot!(listing(&f));
}

#[test]
fn hostile_input_never_panics() {
    for src in [
        "",
        "{{{{",
        "}}}}",
        "message",
        "message A { message B { message C {",
        "\"unterminated",
        "/* open",
        "service S { rpc X(",
        "enum E { A = ; }",
        "option (a).b = {",
        "message M { map<string, > x = 1; }",
    ] {
        let f = ProtoIngestor.ingest(&SourceFile { repo: "r", path: "x.proto", content: src });
        assert!(f.nodes.iter().any(|n| n.id.as_str() == "spec:r:x.proto"), "{src}");
    }
    let deep = "message A {".repeat(500);
    let f = ProtoIngestor.ingest(&SourceFile { repo: "r", path: "x.proto", content: &deep });
    assert!(!f.diagnostics.is_empty());
}
