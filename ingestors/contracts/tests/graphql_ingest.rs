//! GraphQL ingestion on annotated fixtures: listings are snapshotted, and the
//! facts the fixtures' `expect:` comments state are asserted directly.

use brain_ingest_contracts::graphql::{extract_operations_from_source, GraphqlIngestor};
use brain_model::{attr, EdgeKind, Facts, Ingestor, RefTarget, SourceFile};
use std::fmt::Write;

fn ingest(name: &str) -> Facts {
    let path = format!("{}/tests/fixtures/graphql/{name}", env!("CARGO_MANIFEST_DIR"));
    let content = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(!content.is_empty(), "fixture {path}");
    GraphqlIngestor.ingest(&SourceFile { repo: "acme/shop", path: &format!("api/{name}"), content: &content })
}

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

fn key_ref(f: &Facts, kind: EdgeKind, ns: &str, key: &str) -> Vec<(u32, Option<String>)> {
    f.refs
        .iter()
        .filter(|r| r.kind == kind && matches!(&r.target, RefTarget::Key { ns: n, key: k, .. } if n == ns && k == key))
        .map(|r| (r.prov.span.map(|s| s.start_line).unwrap_or(0), r.attr("receiver").map(str::to_string)))
        .collect()
}

#[test]
fn sdl_every_construct() {
    let f = ingest("schema.graphql");
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    assert_eq!(node(&f, "spec:acme/shop:api/schema.graphql").attr(attr::FORMAT), Some("graphql"));
    let orders = node(&f, "op:acme/shop:api/schema.graphql#Query.orders");
    assert_eq!(orders.attr(attr::PROTOCOL), Some("graphql"));
    assert_eq!(orders.attr(attr::TYPE), Some("[Order!]!"));
    assert_eq!(orders.attr("operation_type"), Some("query"));
    // The field's own line, not its description's.
    assert_eq!(orders.prov.span.map(|s| s.start_line), Some(13));
    assert!(f.provides.iter().any(|p| p.ns == "graphql" && p.key == "Mutation.createOrder"));
    assert!(f.provides.iter().any(|p| p.ns == "graphql" && p.key == "Subscription.orderChanged"));
    let pid = node(&f, "field:acme/shop:api/schema.graphql#Order.productId");
    assert_eq!(pid.attr(attr::WIRE_NAME), Some("productId"));
    assert_eq!(pid.attr(attr::REQUIRED), Some("true"));
    assert_eq!(node(&f, "field:acme/shop:api/schema.graphql#Order.quantity").attr(attr::REQUIRED), Some("false"));
    assert_eq!(
        node(&f, "field:acme/shop:api/schema.graphql#CreateOrderInput.quantity").attr(attr::REQUIRED),
        Some("false")
    );
    assert_eq!(node(&f, "type:acme/shop:api/schema.graphql#Order").attr("implements"), Some("Node"));
    assert_eq!(node(&f, "type:acme/shop:api/schema.graphql#SearchResult").attr("kind"), Some("union"));
    // The extension's field joins the type defined above it.
    node(&f, "field:acme/shop:api/schema.graphql#Order.note");
    assert_eq!(f.nodes.iter().filter(|n| n.id.as_str() == "type:acme/shop:api/schema.graphql#Order").count(), 1);
    assert!(!key_ref(&f, EdgeKind::UsesType, "type", "CreateOrderInput").is_empty());
    insta::assert_snapshot!(listing(&f));
}

/// `(line, deferred type)` of the flow reads of a field name.
fn flow_read(f: &brain_model::Facts, name: &str) -> Vec<(u32, String)> {
    f.refs
        .iter()
        .filter(|r| r.kind == EdgeKind::ReadsField && r.attr("name") == Some(name))
        .filter_map(|r| match &r.target {
            brain_model::RefTarget::Key { ns, key, .. } if ns == "flow" => {
                Some((r.prov.span.map(|s| s.start_line).unwrap_or(0), key.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn client_document_consumes_and_reads() {
    let f = ingest("client_query.graphql");
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    assert!(!f.nodes.iter().any(|n| n.id.as_str().starts_with("spec:")), "no spec for a client document");
    assert_eq!(key_ref(&f, EdgeKind::Consumes, "graphql", "Query.orders"), vec![(4, None)]);
    assert_eq!(key_ref(&f, EdgeKind::Consumes, "graphql", "Mutation.createOrder"), vec![(16, None)]);
    // Selections are reads of the type at their path, resolved against the schema by the flow link pass.
    assert_eq!(flow_read(&f, "productId"), vec![(6, "B|gql|Query.orders".to_string())]);
    assert_eq!(flow_read(&f, "sku"), vec![(8, "B|gql|Query.orders>lines".to_string())]);
    assert_eq!(flow_read(&f, "quantity"), vec![(24, "T|graphql|Order".to_string())]);
    assert!(flow_read(&f, "__typename").is_empty());
    insta::assert_snapshot!(listing(&f));
}

#[test]
fn broken_sdl_reports_and_keeps_the_rest() {
    let f = ingest("broken.graphql");
    assert!(!f.diagnostics.is_empty());
    assert!(f.diagnostics.iter().all(|d| d.code == "graphql.parse" && d.line.is_some()));
    assert!(f.diagnostics.iter().any(|d| matches!(d.line, Some(8 | 9))), "{:?}", f.diagnostics);
    node(&f, "type:acme/shop:api/broken.graphql#Good");
    node(&f, "field:acme/shop:api/broken.graphql#AlsoGood.x");
    insta::assert_snapshot!(listing(&f));
}

#[test]
fn operations_in_code_templates() {
    let src = "import { gql } from '@apollo/client';\n\nexport const GET = gql`\n  query Get($id: ID!) {\n    order(id: $id) { id total { units } }\n  }\n`;\n";
    let ops = extract_operations_from_source(src);
    assert_eq!(ops.len(), 1);
    assert_eq!(ops[0].root_fields, vec![("Query.order".to_string(), 5)]);
    let reads: Vec<(&str, &str)> = ops[0].reads.iter().map(|r| (r.field.as_str(), r.receiver.as_str())).collect();
    assert_eq!(reads, vec![("id", "Query.order"), ("total", "Query.order"), ("units", "Query.order.total")]);
}

#[test]
fn hostile_input_never_panics() {
    for src in ["", "{", "}", "type", "type A {", "query { a { b { c", "\"\"\" open", "union U = | | ", "extend"] {
        let _ = GraphqlIngestor.ingest(&SourceFile { repo: "r", path: "x.graphql", content: src });
    }
    let deep = "query { a ".to_string() + &"{ a ".repeat(2000);
    let f = GraphqlIngestor.ingest(&SourceFile { repo: "r", path: "x.graphql", content: &deep });
    assert!(!f.diagnostics.is_empty());
}
