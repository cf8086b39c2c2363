//! AsyncAPI 2.x / 3.x ingestion on annotated fixtures.

use brain_ingest_contracts::schema::render::render_facts;
use brain_ingest_contracts::AsyncApiIngestor;
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, Facts, Ingestor, NodeId, RefTarget, SourceFile};

const REPO: &str = "acme/events";

fn ingest(name: &str, path: &str) -> Facts {
    let p = format!("{}/tests/fixtures/asyncapi/{name}", env!("CARGO_MANIFEST_DIR"));
    let content = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    AsyncApiIngestor.ingest(&SourceFile { repo: REPO, path, content: &content })
}

fn topic_refs(f: &Facts) -> Vec<(EdgeKind, String)> {
    let mut v: Vec<(EdgeKind, String)> = f
        .refs
        .iter()
        .filter_map(|r| match &r.target {
            RefTarget::Key { ns: n, key, .. } if n == ns::TOPIC => Some((r.kind, key.clone())),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

#[test]
fn asyncapi_2_6_publish_subscribe_semantics() {
    let path = "events.yaml";
    let f = ingest("orders-2.6.yaml", path);
    insta::assert_snapshot!("orders_2_6", render_facts(&f));
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    let spec = f.nodes.iter().find(|n| n.id == NodeId::spec(REPO, path)).map(|n| n.attr(attr::FORMAT));
    assert_eq!(spec, Some(Some("asyncapi-2.6")));
    // subscribe = the application sends; publish = the application receives.
    assert_eq!(
        topic_refs(&f),
        vec![
            (EdgeKind::Publishes, "order.created".to_string()),
            (EdgeKind::Publishes, "orders.created.v1".to_string()),
            (EdgeKind::Subscribes, "payment.settled".to_string())
        ]
    );
    let send = NodeId::operation(REPO, path, "send order.created");
    let op = f.nodes.iter().find(|n| n.id == send).unwrap_or_else(|| panic!("{}", render_facts(&f)));
    assert_eq!((op.attr(attr::PROTOCOL), op.attr(attr::TOPIC)), (Some("event"), Some("order.created")));
    assert!(f.provides.iter().any(|p| p.node == send && p.ns == ns::TOPIC && p.key == "order.created"));
    assert!(f.provides.iter().any(|p| p.node == send && p.ns == ns::TOPIC && p.key == "orders.created.v1"));
    assert_eq!(op.attr(attr::BUS), Some("kafka"));
    assert!(f.edges.iter().any(|e| e.from == send
        && e.to == NodeId::data_type(REPO, path, "OrderCreated")
        && e.attr("role") == Some("payload")));
    let receive = NodeId::operation(REPO, path, "receive payment.settled");
    let payloads: Vec<String> = f
        .edges
        .iter()
        .filter(|e| e.from == receive && e.kind == EdgeKind::UsesType)
        .map(|e| e.to.to_string())
        .collect();
    assert_eq!(payloads.len(), 2, "{payloads:?}");
    let created = f.nodes.iter().find(|n| n.id == NodeId::field(REPO, path, "OrderCreated", "created_at"));
    assert_eq!(created.and_then(|n| n.attr(attr::TYPE)), Some("string/date-time"));
}

#[test]
fn asyncapi_3_0_operations_and_addresses() {
    let path = "users.yaml";
    let f = ingest("users-3.0.yaml", path);
    insta::assert_snapshot!("users_3_0", render_facts(&f));
    assert!(f.diagnostics.is_empty(), "{:?}", f.diagnostics);
    assert_eq!(
        topic_refs(&f),
        vec![
            (EdgeKind::Publishes, "user/{userId}/signedup".to_string()),
            (EdgeKind::Subscribes, "user.deleted".to_string())
        ]
    );
    let send = NodeId::operation(REPO, path, "send user/{userId}/signedup");
    let op = f.nodes.iter().find(|n| n.id == send).unwrap_or_else(|| panic!("{}", render_facts(&f)));
    assert_eq!(op.attr("operation_id"), Some("publishUserSignedUp"));
    let name = f.nodes.iter().find(|n| n.id == NodeId::field(REPO, path, "UserSignedUp", "display_name"));
    assert_eq!(name.and_then(|n| n.attr(attr::NULLABLE)), Some("true"));
    // The message defined inline in the channel is named by its `name`.
    assert!(f.nodes.iter().any(|n| n.id == NodeId::field(REPO, path, "UserDeleted", "user_id")));
}

#[test]
fn broken_asyncapi_reports_and_continues() {
    let text = "asyncapi: 3.0.0\ninfo: {title: x, version: '1'}\nchannels:\n  a: {address: a}\noperations:\n  o1: {action: fly, channel: {$ref: '#/channels/a'}}\n  o2: {action: send, channel: {$ref: '#/channels/zzz'}}\n  o3: {action: send, channel: {$ref: '#/channels/a'}}\n";
    let f = AsyncApiIngestor.ingest(&SourceFile { repo: REPO, path: "b.yaml", content: text });
    let codes: Vec<(&str, Option<u32>)> = f.diagnostics.iter().map(|d| (d.code.as_str(), d.line)).collect();
    assert!(codes.contains(&("asyncapi.structure", Some(6))), "{codes:?}");
    assert!(codes.contains(&("asyncapi.ref-unresolved", Some(7))), "{codes:?}");
    assert!(f.nodes.iter().any(|n| n.id == NodeId::operation(REPO, "b.yaml", "send a")));
    let bad = AsyncApiIngestor.ingest(&SourceFile {
        repo: REPO,
        path: "c.yaml",
        content: "asyncapi: 2.0.0\nchannels: {a: [\n",
    });
    assert_eq!(bad.diagnostics.first().map(|d| d.code.as_str()), Some("asyncapi.parse"));
}
