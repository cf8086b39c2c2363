//! JSON Schema ingestion on annotated fixtures.

use brain_ingest_contracts::schema::render::render_facts;
use brain_ingest_contracts::JsonSchemaIngestor;
use brain_model::attr::{self, ns};
use brain_model::{Facts, Ingestor, NodeId, RefTarget, SourceFile};

const REPO: &str = "acme/schemas";

fn ingest(name: &str, path: &str) -> Facts {
    let p = format!("{}/tests/fixtures/jsonschema/{name}", env!("CARGO_MANIFEST_DIR"));
    let content = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    JsonSchemaIngestor.ingest(&SourceFile { repo: REPO, path, content: &content })
}

#[test]
fn order_schema_json() {
    let path = "schemas/order.schema.json";
    let f = ingest("order.schema.json", path);
    insta::assert_snapshot!("order_schema", render_facts(&f));
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    let root = NodeId::data_type(REPO, path, "order");
    let node = f.nodes.iter().find(|n| n.id == root).unwrap_or_else(|| panic!("{}", render_facts(&f)));
    assert_eq!(node.name, "Order");
    assert!(f.provides.iter().any(|p| p.node == root && p.ns == ns::TYPE && p.key == "Order"));
    let status = f.nodes.iter().find(|n| n.id == NodeId::field(REPO, path, "order", "status"));
    assert_eq!(status.and_then(|n| n.attr(attr::NULLABLE)), Some("true"));
    assert_eq!(status.and_then(|n| n.attr("enum")), Some("open,closed"));
    let customer = NodeId::data_type(REPO, "schemas/customer.schema.json", "customer");
    assert!(f.refs.iter().any(|r| r.target == RefTarget::AnyOf(vec![customer.clone()])));
    // `$ref: "#"` points back at the root type.
    assert!(f.edges.iter().any(|e| e.from == NodeId::field(REPO, path, "order", "parent") && e.to == root));
    assert!(f.nodes.iter().any(|n| n.id == NodeId::field(REPO, path, "Line", "qty")));
}

#[test]
fn yaml_schema_by_dollar_schema() {
    let f = ingest("address.yaml", "address.yaml");
    insta::assert_snapshot!("address_yaml", render_facts(&f));
    let street = f.nodes.iter().find(|n| n.id == NodeId::field(REPO, "address.yaml", "address", "street"));
    assert_eq!(street.and_then(|n| n.attr(attr::REQUIRED)), Some("true"));
    assert!(f.nodes.iter().any(|n| n.id == NodeId::data_type(REPO, "address.yaml", "Geo")));
}

#[test]
fn instance_documents_are_not_schemas() {
    assert!(ingest("tsconfig.json", "tsconfig.json").is_empty());
}

#[test]
fn broken_schema_file_is_reported() {
    let f = ingest("broken.schema.json", "broken.schema.json");
    assert_eq!(f.diagnostics.len(), 1);
    assert_eq!((f.diagnostics[0].code.as_str(), f.diagnostics[0].line), ("jsonschema.parse", Some(6)));
}
