//! Link passes on a small organisation: three fixture repos plus synthetic
//! code facts (tests, fields, symbols, HTTP calls) as the code ingestor would give them.

mod common;

use brain_graph::Graph;
use brain_model::{attr, attr::ns, EdgeKind, Facts, Node, NodeId, NodeKind, Provenance, Reference};

fn code_facts() -> Facts {
    let mut f = Facts::default();
    let p = |repo: &str, path: &str| Provenance::declared(repo, path, Some(brain_model::Span::line(1)), "code");
    let t = f.node(Node::new(
        NodeId::test("acme/orders", "tests/test_consumer.py", "test_invoice_created_for_order"),
        NodeKind::Test,
        "test_invoice_created_for_order",
        p("acme/orders", "tests/test_consumer.py"),
    ));
    let _ = t;
    // same test name elsewhere: the classname must pick the right one
    f.node(Node::new(
        NodeId::test("acme/billing", "tests/test_other.py", "test_invoice_created_for_order"),
        NodeKind::Test,
        "test_invoice_created_for_order",
        p("acme/billing", "tests/test_other.py"),
    ));
    f.node(Node::new(
        NodeId::field("acme/orders", "api/openapi.yaml", "Order", "total_cents"),
        NodeKind::Field,
        "total_cents",
        p("acme/orders", "api/openapi.yaml"),
    ));
    f.node(Node::new(
        NodeId::data_type("acme/orders", "api/openapi.yaml", "OrderCreated"),
        NodeKind::DataType,
        "OrderCreated",
        p("acme/orders", "api/openapi.yaml"),
    ));
    f.node(Node::new(
        NodeId::symbol("acme/orders", "src/handler.py", "Handler"),
        NodeKind::Symbol,
        "Handler",
        p("acme/orders", "src/handler.py"),
    ));
    f.node(Node::new(
        NodeId::symbol("acme/orders", "src/total.py", "compute_total"),
        NodeKind::Symbol,
        "compute_total",
        p("acme/orders", "src/total.py"),
    ));
    let op = f.node(Node::new(
        NodeId::operation("acme/orders", "api/openapi.yaml", "POST /orders/{id}/refunds"),
        NodeKind::Operation,
        "POST /orders/{id}/refunds",
        p("acme/orders", "api/openapi.yaml"),
    ));
    f.provide(&op, ns::HTTP, brain_model::wire::http_key("POST", "/orders/{id}/refunds"));
    f.node(Node::new(
        NodeId::spec("acme/orders", "api/openapi.yaml"),
        NodeKind::Spec,
        "openapi.yaml",
        p("acme/orders", "api/openapi.yaml"),
    ));
    // HTTP calls with the raw URL, as the code ingestor records them
    for (repo, path, url) in [
        ("acme/billing", "src/client.py", "http://orders:8080/orders/{id}"),
        ("acme/billing", "src/client.py", "http://users:9090/users"),
        ("acme/orders", "src/users.py", "http://users:9090/users/{id}"),
    ] {
        let file = f.node(Node::new(NodeId::file(repo, path), NodeKind::File, path, p(repo, path)));
        f.reference(
            Reference::key(file, EdgeKind::Consumes, ns::HTTP, brain_model::wire::http_key("GET", url), p(repo, path))
                .with_attr(attr::HTTP_PATH, url),
        );
    }
    f
}

fn org() -> Graph {
    common::build(&[
        common::repo_facts("acme/orders", "orders"),
        common::repo_facts("acme/billing", "billing"),
        common::repo_facts("acme/deploy", "deploy"),
        code_facts(),
    ])
}

fn has(g: &Graph, from: &NodeId, kind: EdgeKind, to: &NodeId) -> bool {
    g.outgoing(from).any(|e| e.edge.kind == kind && e.other.id == *to)
}

#[test]
fn decisions_supersession_and_findings() {
    let g = org();
    let adr = |f: &str| NodeId::decision("acme/orders", &format!("docs/adr/{f}"));
    let status = |f: &str| g.node(&adr(f)).and_then(|n| n.attr("current_status")).map(str::to_string);
    assert_eq!(status("0002-money-as-floats.md").as_deref(), Some("superseded"));
    assert_eq!(status("0003-money-as-integer-cents.md").as_deref(), Some("accepted"));
    assert!(has(&g, &adr("0003-money-as-integer-cents.md"), EdgeKind::Supersedes, &adr("0002-money-as-floats.md")));
    assert!(has(
        &g,
        &adr("0003-money-as-integer-cents.md"),
        EdgeKind::Amends,
        &adr("0001-record-architecture-decisions.md")
    ));
    insta::assert_snapshot!(common::diagnostics(&g, "adr"));
}

#[test]
fn decisions_govern_named_entities() {
    let g = org();
    let d = NodeId::decision("acme/orders", "docs/adr/0003-money-as-integer-cents.md");
    let governed = |to: &NodeId| has(&g, &d, EdgeKind::Governs, to);
    assert!(governed(&NodeId::field("acme/orders", "api/openapi.yaml", "Order", "total_cents")));
    assert!(governed(&NodeId::symbol("acme/orders", "src/total.py", "compute_total")));
    assert!(governed(&NodeId::service("billing-worker")));
    assert!(governed(&NodeId::repo("acme/billing")));
    assert!(!governed(&NodeId::service("users")), "not named");
    assert!(
        !governed(&NodeId::symbol("acme/orders", "src/handler.py", "Handler")),
        "a one-word name in backticks is the concept as often as the symbol"
    );
    let d4 = NodeId::decision("acme/orders", "docs/adr/0004-events-over-kafka.md");
    assert!(!has(&g, &d4, EdgeKind::Governs, &NodeId::service("orders")), "\"new orders\" is prose, not the service");
    assert!(has(&g, &d4, EdgeKind::Governs, &NodeId::service("kafka")), "a proper noun mid-sentence");
    assert!(
        governed(&NodeId::operation("acme/orders", "api/openapi.yaml", "POST /orders/{id}/refunds")),
        "an operation named with another parameter syntax"
    );
    insta::assert_snapshot!(common::edges_of(&g, &[EdgeKind::Governs]));
}

#[test]
fn failures_link_to_tests_services_and_decisions() {
    let g = org();
    let f = NodeId::failure("acme/orders", "reports/junit.xml", "tests.test_consumer::test_invoice_created_for_order");
    let right = NodeId::test("acme/orders", "tests/test_consumer.py", "test_invoice_created_for_order");
    let wrong = NodeId::test("acme/billing", "tests/test_other.py", "test_invoice_created_for_order");
    assert!(has(&g, &f, EdgeKind::Affected, &right));
    assert!(!has(&g, &f, EdgeKind::Affected, &wrong));
    let pm = NodeId::failure("acme/orders", "incidents/2023-03-01-lost-cents.md", "");
    assert!(has(&g, &pm, EdgeKind::Affected, &NodeId::service("billing-worker")));
    assert!(has(&g, &pm, EdgeKind::Affected, &NodeId::repo("acme/billing")));
    assert!(has(
        &g,
        &pm,
        EdgeKind::Affected,
        &NodeId::decision("acme/orders", "docs/adr/0003-money-as-integer-cents.md")
    ));
    insta::assert_snapshot!(common::edges_of(&g, &[EdgeKind::Affected]));
}

#[test]
fn infrastructure_links_and_findings() {
    let g = org();
    assert!(has(&g, &NodeId::service("billing-worker"), EdgeKind::BuiltFrom, &NodeId::repo("acme/billing")));
    assert!(has(&g, &NodeId::service("orders"), EdgeKind::BuiltFrom, &NodeId::repo("acme/orders")));
    assert!(has(&g, &NodeId::service("tools"), EdgeKind::BuiltFrom, &NodeId::repo("acme/deploy")));
    assert!(has(&g, &NodeId::service("users"), EdgeKind::DependsOn, &NodeId::service("kafka")));
    assert!(has(&g, &NodeId::service("users"), EdgeKind::DependsOn, &NodeId::service("orders")));
    let users = g.node(&NodeId::service("users")).map(|n| (n.attr("k8s_kind"), n.attr("k8s_service")));
    assert_eq!(users, Some((Some("Deployment"), Some("true"))), "Deployment and Service merge");
    let mut out = common::edges_of(&g, &[EdgeKind::BuiltFrom, EdgeKind::DependsOn]);
    out.push_str("\n---\n");
    out.push_str(&common::diagnostics(&g, "infra"));
    insta::assert_snapshot!(out);
}

#[test]
fn ownership_from_catalog_and_codeowners() {
    let g = org();
    let team = NodeId::owner("group:orders-team");
    assert!(has(&g, &team, EdgeKind::Owns, &NodeId::service("orders")));
    assert!(has(&g, &team, EdgeKind::Owns, &NodeId::new("api:orders-api")));
    assert!(has(
        &g,
        &NodeId::new("api:orders-api"),
        EdgeKind::Contains,
        &NodeId::spec("acme/orders", "api/openapi.yaml")
    ));
    assert_eq!(g.node(&team).map(|n| n.name.as_str()), Some("orders-team"));
    // CODEOWNERS owners of the spec's file own the spec
    assert!(has(
        &g,
        &NodeId::owner("@global-owner1"),
        EdgeKind::Owns,
        &NodeId::spec("acme/orders", "api/openapi.yaml")
    ));
}
