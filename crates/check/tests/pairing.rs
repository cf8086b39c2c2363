//! Pairing rules of the field-read check on a hand-built graph, so each rule
//! is pinned down without the ingestors. Fixture: topic `thing.done` whose
//! payload `Thing` has the wire fields `a`, `b` and `c_c` (all required); a
//! Python consumer file `worker.py` where `subscribe()` subscribes to the topic.
//!
//! expect: `handle` (same file) reads a, b, cC       -> casing drift on `cC` only
//! expect: `weak` (same file) reads a, zzz           -> nothing (one exact match is not enough)
//! expect: `strong` (subscribes itself) reads a, b, nope -> `nope` is missing
//! expect: `model` reads `m.cC` by attribute         -> nothing (attribute of a model, not a wire read)
//! expect: `tiny` (same file) reads q["cC"] only     -> nothing (no exact match ties it to the payload)
//! expect: `lone` (subscribes itself) reads z["cC"] only -> casing drift (the same symbol is linked)

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
    let sym = |f: &mut Facts, name: &str, line: u32| {
        f.node(Node::new(NodeId::symbol(C, path, name), NodeKind::Symbol, name, prov(C, path, line)))
    };
    let op = NodeId::operation(P, "asyncapi.yaml", "send thing.done");
    let subscribe = sym(&mut f, "subscribe", 2);
    f.edge(Edge::new(subscribe, EdgeKind::Subscribes, op.clone(), prov(C, path, 3)));
    let strong = sym(&mut f, "strong", 30);
    f.edge(Edge::new(strong.clone(), EdgeKind::Subscribes, op, prov(C, path, 31)));
    let read = |f: &mut Facts, from: &NodeId, recv: &str, key: &str, access: &str, line: u32| {
        f.reference(
            Reference::key(from.clone(), EdgeKind::ReadsField, "field", key, prov(C, path, line))
                .with_attr("receiver", recv)
                .with_attr("access", access),
        );
    };
    let handle = sym(&mut f, "handle", 10);
    read(&mut f, &handle, "event", "a", "index", 11);
    read(&mut f, &handle, "event", "b", "index", 12);
    read(&mut f, &handle, "event", "cC", "index", 13);
    let weak = sym(&mut f, "weak", 20);
    read(&mut f, &weak, "x", "a", "index", 21);
    read(&mut f, &weak, "x", "zzz", "index", 22);
    read(&mut f, &strong, "y", "a", "index", 32);
    read(&mut f, &strong, "y", "b", "index", 33);
    read(&mut f, &strong, "y", "nope", "index", 34);
    let model = sym(&mut f, "model", 40);
    read(&mut f, &model, "m", "a", "member", 41);
    read(&mut f, &model, "m", "cC", "member", 42);
    let tiny = sym(&mut f, "tiny", 50);
    read(&mut f, &tiny, "q", "cC", "index", 51);
    let lone = sym(&mut f, "lone", 60);
    f.edge(Edge::new(
        lone.clone(),
        EdgeKind::Subscribes,
        NodeId::operation(P, "asyncapi.yaml", "send thing.done"),
        prov(C, path, 61),
    ));
    read(&mut f, &lone, "z", "cC", "index", 62);
    f
}

#[test]
fn reads_pair_with_the_linked_payload_only_when_the_evidence_is_strong() {
    let mut b = GraphBuilder::new();
    b.add_facts(&producer());
    b.add_facts(&consumer());
    let g = b.build(&[]);
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
}

#[test]
fn an_empty_graph_has_no_findings() {
    let g = GraphBuilder::new().build(&[]);
    let report = check(&g, &CheckOptions::default());
    assert!(report.findings.is_empty());
    assert!(!report.has_errors());
    assert_eq!(brain_check::to_sarif(&report)["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}
