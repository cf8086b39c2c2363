//! The example organisation end to end through the real ingestors: the
//! "done" criteria of the foundation, as a user sees them.

use brain_ingest::{Brain, Config, NoProgress};
use brain_model::NodeId;
use brain_store::SearchQuery;
use std::path::Path;

fn acme() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/brain.toml");
    Config::load(&path).expect("examples/acme/brain.toml")
}

fn open(dir: &Path) -> Brain {
    Brain::open(dir, brain_stack::ingestors(), brain_stack::passes()).expect("open")
}

#[test]
fn the_example_org_ingests_searches_and_survives_a_restart() {
    let data = tempfile::tempdir().expect("tempdir");
    let config = acme();
    let brain = open(data.path());
    for r in &config.repos {
        let report = brain.ingest_repo(r, &NoProgress).expect("ingest");
        assert!(report.parsed > 0, "{}: parsed nothing", r.name);
        assert_eq!(report.failed, 0, "{}: {:?}", r.name, report.diagnostics);
    }
    let hits =
        brain.search(&SearchQuery { text: "created at".into(), limit: 40, ..Default::default() }).expect("search");
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    // Producer side: the Rust event struct and the AsyncAPI payload say created_at.
    assert!(ids.contains(&"field:acme/orders:src/model.rs#OrderCreated.created_at"), "{ids:#?}");
    assert!(ids.contains(&"field:acme/orders:asyncapi/order-events.yaml#OrderCreated.created_at"), "{ids:#?}");
    // Consumer side: the TypeScript client's createdAt, and billing's handler that reads createdAt.
    assert!(ids.contains(&"field:acme/web:src/api/orders.ts#Order.createdAt"), "{ids:#?}");
    assert!(ids.contains(&"sym:acme/billing:billing/consumer.py#handle_order_created"), "{ids:#?}");
    let before = (brain.snapshot().node_count(), brain.snapshot().edge_count());
    drop(brain);

    // A restart keeps everything; a second ingest of an unchanged org parses nothing.
    let brain = open(data.path());
    assert_eq!((brain.snapshot().node_count(), brain.snapshot().edge_count()), before);
    for r in &config.repos {
        let report = brain.ingest_repo(r, &NoProgress).expect("ingest");
        assert_eq!(report.parsed, 0, "{}: {report:?}", r.name);
        assert_eq!(report.unchanged, report.files_seen);
    }
    assert_eq!((brain.snapshot().node_count(), brain.snapshot().edge_count()), before);
    let g = brain.snapshot();
    // Cross-repo facts the rest of the brain stands on.
    let topic = NodeId::topic("order.created");
    let subscribers: Vec<_> = g
        .incoming(&topic)
        .filter(|e| e.edge.kind == brain_model::EdgeKind::Subscribes)
        .map(|e| e.other.prov.repo.to_string())
        .collect();
    assert!(subscribers.iter().any(|r| r == "acme/billing"), "billing subscribes to order.created: {subscribers:?}");
}
