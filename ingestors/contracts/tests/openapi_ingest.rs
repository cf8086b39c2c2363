//! OpenAPI / Swagger ingestion on annotated fixtures: snapshot of the facts
//! plus targeted assertions on what each fixture's `expect:` comments state.

use brain_ingest_contracts::schema::render::render_facts;
use brain_ingest_contracts::OpenApiIngestor;
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, Facts, Ingestor, NodeId, RefTarget, SourceFile};

const REPO: &str = "acme/orders";

fn fixture(name: &str) -> String {
    let p = format!("{}/tests/fixtures/openapi/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn ingest(name: &str, path: &str) -> Facts {
    let content = fixture(name);
    let ing = OpenApiIngestor;
    assert!(ing.accepts(path));
    ing.ingest(&SourceFile { repo: REPO, path, content: &content })
}

fn node<'a>(f: &'a Facts, id: &NodeId) -> &'a brain_model::Node {
    f.nodes.iter().find(|n| &n.id == id).unwrap_or_else(|| panic!("no node {id}\n{}", render_facts(f)))
}

fn provides(f: &Facts, ns_: &str) -> Vec<String> {
    let mut v: Vec<String> = f.provides.iter().filter(|p| p.ns == ns_).map(|p| p.key.clone()).collect();
    v.sort();
    v
}

#[test]
fn orders_3_0_yaml() {
    let path = "api/orders.yaml";
    let f = ingest("orders-3.0.yaml", path);
    insta::assert_snapshot!("orders_3_0", render_facts(&f));

    let spec = node(&f, &NodeId::spec(REPO, path));
    assert_eq!(spec.attr(attr::FORMAT), Some("openapi-3.0"));
    assert_eq!(spec.attr(attr::VERSION), Some("1.4.0"));
    assert_eq!(spec.name, "Orders");
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);

    let http = provides(&f, ns::HTTP);
    for key in ["POST /orders", "POST /api/v1/orders", "GET /orders/{}", "GET /api/v1/orders/{}", "GET /health"] {
        assert!(http.contains(&key.to_string()), "{key} missing from {http:?}");
    }

    let op = NodeId::operation(REPO, path, "GET /orders/{orderId}");
    let uses: Vec<(String, Option<&str>)> = f
        .edges
        .iter()
        .filter(|e| e.from == op && e.kind == EdgeKind::UsesType)
        .map(|e| (e.to.to_string(), e.attr("role")))
        .collect();
    assert!(uses.contains(&(NodeId::data_type(REPO, path, "Order").to_string(), Some("response:200"))), "{uses:?}");
    assert!(uses.contains(&(NodeId::data_type(REPO, path, "Error").to_string(), Some("response:404"))), "{uses:?}");

    let created = node(&f, &NodeId::field(REPO, path, "Order", "created_at"));
    assert_eq!(created.attr(attr::REQUIRED), Some("true"));
    assert_eq!(created.attr(attr::TYPE), Some("string/date-time"));
    assert_eq!(created.attr("read_only"), Some("true"));
    // allOf merge: Base.id is a required field of Order.
    assert_eq!(node(&f, &NodeId::field(REPO, path, "Order", "id")).attr(attr::REQUIRED), Some("true"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "Order", "note")).attr(attr::NULLABLE), Some("true"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "Order", "status")).attr("enum"), Some("pending,paid,shipped"));
    assert!(f.nodes.iter().any(|n| n.id == NodeId::field(REPO, path, "Order.shipping", "city")));
    let payment = node(&f, &NodeId::data_type(REPO, path, "Payment"));
    assert_eq!(payment.attr("one_of"), Some("Card,BankTransfer"));
    assert_eq!(payment.attr("discriminator"), Some("kind"));

    // Inline request body gets a name from the operationId.
    let create = NodeId::operation(REPO, path, "POST /orders");
    assert!(f.edges.iter().any(|e| e.from == create
        && e.to == NodeId::data_type(REPO, path, "CreateOrderRequest")
        && e.attr("role") == Some("request")));
    assert_eq!(node(&f, &create).attr("security"), Some("oauth2[orders:write]"));
    assert_eq!(node(&f, &NodeId::operation(REPO, path, "GET /health")).attr("security"), Some("none"));

    // Cross-file refs become references for the linker.
    let money = NodeId::data_type(REPO, "api/common.yaml", "Money");
    assert!(f.refs.iter().any(|r| r.kind == EdgeKind::UsesType && r.target == RefTarget::AnyOf(vec![money.clone()])));

    // Parameters: path-level header merged, $ref'd cursor resolved.
    let params = "ListOrdersParameters";
    assert_eq!(node(&f, &NodeId::field(REPO, path, params, "X-Tenant")).attr(attr::REQUIRED), Some("true"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, params, "limit")).attr(attr::TYPE), Some("integer/int32"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, params, "cursor")).attr("in"), Some("query"));
}

#[test]
fn pets_3_1_json() {
    let path = "pets.json";
    let f = ingest("pets-3.1.json", path);
    insta::assert_snapshot!("pets_3_1", render_facts(&f));
    assert_eq!(node(&f, &NodeId::spec(REPO, path)).attr(attr::FORMAT), Some("openapi-3.1"));
    let tag = node(&f, &NodeId::field(REPO, path, "Pet", "tag"));
    assert_eq!((tag.attr(attr::TYPE), tag.attr(attr::NULLABLE)), (Some("string"), Some("true")));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "Pet", "owner")).attr(attr::NULLABLE), Some("true"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "Pet", "labels")).attr(attr::TYPE), Some("map<string>"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "Pet", "name")).span().map(|s| s.start_line), Some(41));
    assert!(provides(&f, ns::HTTP).contains(&"GET /v2/pets/{}".to_string()));
    // The webhook is an operation without an HTTP provide.
    let hook = node(&f, &NodeId::operation(REPO, path, "webhook petAdopted POST"));
    assert_eq!(hook.attr("webhook"), Some("petAdopted"));
    assert_eq!(provides(&f, ns::HTTP).len(), 2);
    // Inline default response named from the operationId.
    assert!(f.nodes.iter().any(|n| n.id == NodeId::data_type(REPO, path, "GetPetDefaultResponse")));
}

#[test]
fn swagger_2_0() {
    let path = "store.yaml";
    let f = ingest("store-swagger-2.0.yaml", path);
    insta::assert_snapshot!("swagger_2_0", render_facts(&f));
    assert_eq!(node(&f, &NodeId::spec(REPO, path)).attr(attr::FORMAT), Some("swagger-2.0"));
    let http = provides(&f, ns::HTTP);
    assert!(http.contains(&"GET /store/inventory/{}".to_string()), "{http:?}");
    let put = NodeId::operation(REPO, path, "PUT /inventory/{sku}");
    assert!(f.edges.iter().any(|e| e.from == put
        && e.to == NodeId::data_type(REPO, path, "InventoryItem")
        && e.attr("role") == Some("request")));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "InventoryItem", "note")).attr(attr::NULLABLE), Some("true"));
    assert_eq!(node(&f, &NodeId::field(REPO, path, "POST /uploads parameters", "file")).attr("in"), Some("formData"));
}

#[test]
fn common_components_and_whole_file_refs() {
    let f = ingest("common.yaml", "api/common.yaml");
    insta::assert_snapshot!("common", render_facts(&f));
    assert!(provides(&f, ns::TYPE).contains(&"Money".to_string()));
    let currency = NodeId::data_type(REPO, "api/schemas/Currency.yaml", "Currency");
    assert!(f.refs.iter().any(|r| r.target == RefTarget::AnyOf(vec![currency.clone()])));
}

#[test]
fn broken_files_give_diagnostics_not_panics() {
    let f = ingest("broken-syntax.yaml", "broken.yaml");
    assert_eq!(f.nodes.len(), 0);
    assert_eq!(f.diagnostics.len(), 1, "{:?}", f.diagnostics);
    assert_eq!(f.diagnostics[0].code, "openapi.parse");
    assert!(f.diagnostics[0].line.is_some_and(|l| (7..=9).contains(&l)), "{:?}", f.diagnostics);

    let f = ingest("broken.json", "broken.json");
    assert_eq!(f.diagnostics.len(), 1);
    assert_eq!((f.diagnostics[0].code.as_str(), f.diagnostics[0].line), ("openapi.parse", Some(7)));

    let f = ingest("broken-structure.yaml", "odd.yaml");
    insta::assert_snapshot!("broken_structure", render_facts(&f));
    let codes: Vec<(&str, Option<u32>)> = f.diagnostics.iter().map(|d| (d.code.as_str(), d.line)).collect();
    assert!(codes.contains(&("openapi.ref-unresolved", Some(24))), "{codes:?}");
    assert!(codes.iter().any(|(c, _)| *c == "openapi.ref-cycle"), "{codes:?}");
    assert_eq!(codes.iter().filter(|(c, _)| *c == "openapi.structure").count(), 2, "{codes:?}");
    // Still extracted: the spec, the operations it could read, the recursive Node type.
    assert!(f.nodes.iter().any(|n| n.id == NodeId::operation(REPO, "odd.yaml", "POST /things")));
    assert!(f.edges.iter().any(|e| e.from == NodeId::field(REPO, "odd.yaml", "Node", "children")
        && e.to == NodeId::data_type(REPO, "odd.yaml", "Node")));
}

#[test]
fn plain_yaml_is_ignored() {
    assert!(ingest("not-a-spec.yaml", "ci.yaml").is_empty());
}

#[test]
fn garbage_never_panics() {
    let ing = OpenApiIngestor;
    let inputs = [
        "openapi: 3.0.0\npaths: 5\n",
        "openapi: 3.0.0\npaths:\n  /a:\n    $ref: '#/nowhere'\n",
        "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      parameters: [1, {name: x}, {$ref: 'other.yaml#/p'}]\n      responses: []\n",
        "openapi: [1]\ncomponents:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
        "{\"openapi\": \"3.1.0\", \"x\": [1,2,{\"a\":null}], \"paths\": {\"/q\": {\"get\": {\"responses\": {\"200\": {\"content\": {\"a/json\": {\"schema\": {\"type\": [\"null\"]}}}}}}}}}",
        "openapi: &a 3\nb: *a\n",
        "openapi: 3.0.0\n--- \nfoo: [\n",
        "\u{feff}openapi: 3.0.0\n\t- x",
    ];
    let deep_yaml = format!("openapi: 3.0.0\nx: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_json = format!("{{\"openapi\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    for text in [deep_yaml, deep_json] {
        let f = ing.ingest(&SourceFile { repo: REPO, path: "deep.yaml", content: &text });
        assert_eq!(f.diagnostics.first().map(|d| d.code.as_str()), Some("openapi.parse"));
    }
    for (i, text) in inputs.iter().enumerate() {
        let f = ing.ingest(&SourceFile { repo: REPO, path: &format!("g{i}.yaml"), content: text });
        let _ = render_facts(&f);
    }
}

#[test]
fn operations_defined_in_other_files() {
    let path = "api/split.yaml";
    let f = ingest("split.yaml", path);
    let op = node(&f, &NodeId::operation(REPO, path, "GET /droplets"));
    assert_eq!(op.attr("defined_in"), Some("api/resources/droplets/list.yml"));
    assert_eq!(provides(&f, ns::HTTP), vec!["GET /droplets".to_string(), "GET /v2/droplets".to_string()]);
    let codes: Vec<(&str, Option<u32>)> = f.diagnostics.iter().map(|d| (d.code.as_str(), d.line)).collect();
    assert_eq!(codes, vec![("openapi.ref-external", Some(13))]);
    assert_eq!(f.nodes.iter().filter(|n| n.kind == brain_model::NodeKind::Operation).count(), 1);
}
