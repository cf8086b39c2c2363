//! The field-read rules on a hand-built graph, so each rule is pinned down
//! without the extractors: reads arrive as the flow analysis writes them (a
//! deferred type and a written name) and the real flow link pass resolves
//! them. Fixture: topic `thing.done` whose payload `Thing` has the wire fields
//! `a`, `b` and `c_c` (all required); a Python consumer `worker.py`.
//!
//! expect: `handle` reads a, b, cC off the payload  -> casing drift on `cC` only
//! expect: `strong` reads a, b, nope off the payload -> `nope` is missing (the other reads agree)
//! expect: `doubt` reads x, y, z off the payload     -> nothing (no read agrees: the value is likely not this payload)
//! expect: `model` reads cC of its own model `Local` -> nothing (a consumer's own type knows its fields)
//! expect: `lone` reads cC only                       -> casing drift (a lone near-miss is still drift)

use brain_check::{check, CheckOptions, Rule};
use brain_graph::GraphBuilder;
use brain_model::attr::{self};
use brain_model::{Edge, EdgeKind, Facts, Node, NodeId, NodeKind, Provenance, Reference, Span};

const P: &str = "acme/producer";
const C: &str = "acme/consumer";

fn prov(repo: &str, path: &str, line: u32) -> Provenance {
    Provenance::declared(repo, path, Some(Span::line(line)), "test")
}

fn producer() -> Facts {
    let mut f = Facts::default();
    let path = "asyncapi.yaml";
    let op = f.node(
        Node::new(
            NodeId::operation(P, path, "send thing.done"),
            NodeKind::Operation,
            "send thing.done",
            prov(P, path, 5),
        )
        .with_attr(attr::TOPIC, "thing.done")
        .with_attr(attr::PROTOCOL, "event"),
    );
    f.edge(Edge::new(op, EdgeKind::Publishes, NodeId::topic("thing.done"), prov(P, path, 5)));
    f.node(Node::new(NodeId::topic("thing.done"), NodeKind::Topic, "thing.done", prov(P, path, 5)));
    let op = NodeId::operation(P, path, "send thing.done");
    let ty = f.node(Node::new(NodeId::data_type(P, path, "Thing"), NodeKind::DataType, "Thing", prov(P, path, 10)));
    f.edge(Edge::new(op, EdgeKind::UsesType, ty.clone(), prov(P, path, 6)).with_attr("role", "payload"));
    for (i, name) in ["a", "b", "c_c"].iter().enumerate() {
        let line = 11 + i as u32;
        let fid = f.node(
            Node::new(NodeId::field(P, path, "Thing", name), NodeKind::Field, *name, prov(P, path, line))
                .with_attr(attr::WIRE_NAME, *name)
                .with_attr(attr::TYPE, "string")
                .with_attr(attr::REQUIRED, "true"),
        );
        f.edge(Edge::new(ty.clone(), EdgeKind::HasField, fid, prov(P, path, line)));
    }
    f
}

fn consumer() -> Facts {
    let mut f = Facts::default();
    let path = "worker.py";
    f.node(
        Node::new(NodeId::file(C, path), NodeKind::File, path, prov(C, path, 1)).with_attr(attr::LANGUAGE, "python"),
    );
    // The consumer's own model, decoded from nothing in particular.
    let local = f.node(
        Node::new(NodeId::data_type(C, path, "Local"), NodeKind::DataType, "Local", prov(C, path, 70))
            .with_attr(attr::LANGUAGE, "python"),
    );
    let lf = f.node(
        Node::new(NodeId::field(C, path, "Local", "a"), NodeKind::Field, "a", prov(C, path, 71))
            .with_attr(attr::WIRE_NAME, "a")
            .with_attr(attr::LANGUAGE, "python"),
    );
    f.edge(Edge::new(local, EdgeKind::HasField, lf, prov(C, path, 71)));
    f.provide(&NodeId::data_type(C, path, "Local"), "type", "Local");
    let sym = |f: &mut Facts, name: &str, line: u32| {
        f.node(Node::new(NodeId::symbol(C, path, name), NodeKind::Symbol, name, prov(C, path, line)))
    };
    let read = |f: &mut Facts, from: &NodeId, ty: &str, key: &str, line: u32| {
        f.reference(
            Reference::key(from.clone(), EdgeKind::ReadsField, "flow", ty, prov(C, path, line))
                .with_attr("name", key)
                .with_attr("access", "index"),
        );
    };
    let payload = "B|topic|thing.done";
    let handle = sym(&mut f, "handle", 10);
    read(&mut f, &handle, payload, "a", 11);
    read(&mut f, &handle, payload, "b", 12);
    read(&mut f, &handle, payload, "cC", 13);
    let strong = sym(&mut f, "strong", 30);
    read(&mut f, &strong, payload, "a", 32);
    read(&mut f, &strong, payload, "b", 33);
    read(&mut f, &strong, payload, "nope", 34);
    let doubt = sym(&mut f, "doubt", 20);
    read(&mut f, &doubt, payload, "x", 21);
    read(&mut f, &doubt, payload, "y", 22);
    read(&mut f, &doubt, payload, "z", 23);
    let model = sym(&mut f, "model", 40);
    read(&mut f, &model, "T||Local", "cC", 42);
    let lone = sym(&mut f, "lone", 60);
    read(&mut f, &lone, payload, "cC", 62);
    f
}

#[test]
fn reads_are_checked_against_the_type_their_value_resolved_to() {
    let mut b = GraphBuilder::new();
    b.add_facts(&producer());
    b.add_facts(&consumer());
    let g = b.build(&[&brain_ingest_code::FlowLinkPass]);
    let report = check(&g, &CheckOptions::default());
    let got: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.consumer.as_ref().map(|e| e.location()).unwrap_or_default()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Rule::ConsumerFieldMissing.id().to_string(), "acme/consumer:worker.py:34".to_string()),
            (Rule::FieldCasingDrift.id().to_string(), "acme/consumer:worker.py:13".to_string()),
            (Rule::FieldCasingDrift.id().to_string(), "acme/consumer:worker.py:62".to_string()),
        ],
        "{}",
        brain_check::to_text(&report)
    );
    let casing = report
        .of_rule(Rule::FieldCasingDrift)
        .find(|f| f.consumer.as_ref().is_some_and(|e| e.line == Some(13)))
        .expect("casing finding");
    assert_eq!(casing.producer.as_ref().map(|e| e.location()).as_deref(), Some("acme/producer:asyncapi.yaml:13"));
    assert!(casing.message.contains("`cC`") && casing.message.contains("`c_c`"), "{}", casing.message);
    // Coverage says what was checked: one contract topic with no linked consumer (reads are not links).
    assert!(report.coverage.reads_checked >= 10, "{:?}", report.coverage);
}

#[test]
fn an_empty_graph_has_no_findings() {
    let g = GraphBuilder::new().build(&[]);
    let report = check(&g, &CheckOptions::default());
    assert!(report.findings.is_empty());
    assert!(!report.has_errors());
    assert_eq!(brain_check::to_sarif(&report)["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}
