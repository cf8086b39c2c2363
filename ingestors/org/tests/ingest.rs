//! Snapshots of each ingestor's facts on the annotated fixture repos (the
//! `expect:` comments in the fixtures state what the listing must contain).

mod common;

use brain_ingest_org::*;
use brain_model::{Ingestor, PathHints, SourceFile};

fn snap(ing: &dyn Ingestor, repo: &str, fixture: &str) -> String {
    common::render(&common::ingest(ing, repo, &common::load(fixture)))
}

#[test]
fn catalog() {
    insta::assert_snapshot!(snap(&CatalogIngestor, "acme/orders", "orders"));
}

#[test]
fn adr() {
    insta::assert_snapshot!(snap(&AdrIngestor::default(), "acme/orders", "orders"));
}

/// A file that only states a status is a decision in a decision folder
/// (conventional, configured with `with_dirs`, or given by brain.toml through
/// `PathHints`), and not elsewhere; an exclusion keeps even a full ADR out.
#[test]
fn decision_folders_lower_the_bar() {
    let thin = "# Use Kafka\n\nStatus: Accepted\n\nWe use Kafka for events.\n";
    let full = "# 1. Use Kafka\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n\nKafka.\n";
    let decisions = |ing: &AdrIngestor, path: &str, content: &str, hints: PathHints| {
        ing.ingest_hinted(&SourceFile { repo: "r", path, content }, &hints)
            .nodes
            .iter()
            .filter(|n| n.kind == brain_model::NodeKind::Decision)
            .count()
    };
    let none = PathHints::default();
    let ing = AdrIngestor::default();
    assert_eq!(decisions(&ing, "notes/kafka.md", thin, none.clone()), 0);
    assert_eq!(decisions(&ing, "architecture-decision-record/kafka.md", thin, none.clone()), 1);
    assert_eq!(decisions(&ing, "notes/kafka.md", full, none.clone()), 1);
    let configured = AdrIngestor::with_dirs(["design/records"]);
    assert_eq!(decisions(&configured, "design/records/kafka.md", thin, none.clone()), 1);
    let yes = PathHints { decision: Some(true), incident: None };
    let no = PathHints { decision: Some(false), incident: None };
    assert_eq!(decisions(&ing, "notes/kafka.md", thin, yes), 1);
    assert_eq!(decisions(&ing, "docs/adr/0001-kafka.md", full, no), 0);
    assert!(ing.accepts("svc/docs/adr/0001-x.md"));
    assert!(ing.accepts("a/b.html.md.erb"));
    assert!(!ing.accepts("docs/adr.txt"));
}

#[test]
fn compose() {
    insta::assert_snapshot!(snap(&ComposeIngestor, "acme/deploy", "deploy"));
}

#[test]
fn kubernetes() {
    insta::assert_snapshot!(snap(&KubernetesIngestor, "acme/deploy", "deploy"));
}

#[test]
fn postmortems() {
    let mut out = snap(&PostmortemIngestor, "acme/orders", "orders");
    out.push_str("\n---\n");
    out.push_str(&snap(&PostmortemIngestor, "acme/billing", "billing"));
    insta::assert_snapshot!(out);
}

#[test]
fn junit() {
    insta::assert_snapshot!(snap(&JunitIngestor, "acme/orders", "orders"));
}

#[test]
fn agent_docs() {
    let mut out = snap(&AgentDocsIngestor, "acme/orders", "orders");
    out.push_str("\n---\n");
    out.push_str(&snap(&AgentDocsIngestor, "acme/billing", "billing"));
    insta::assert_snapshot!(out);
}

#[test]
fn ci() {
    let mut out = snap(&CiIngestor, "acme/orders", "orders");
    out.push_str("\n---\n");
    out.push_str(&snap(&CiIngestor, "acme/billing", "billing"));
    insta::assert_snapshot!(out);
}

/// Garbage in every ingestor: no panic, and YAML/XML errors carry a line.
#[test]
fn broken_inputs_never_panic() {
    let inputs = [
        "",
        "---\n",
        "---\nstatus: [\n---\n# x\n",
        "services:\n  a: [\n",
        "services: 3\n",
        "services:\n  a:\n    environment: 7\n    depends_on: {b: 1}\n    build: {}\n",
        "apiVersion: v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [1, {env: [{value: 3}]}]}}}\n",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: []\n",
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: {name: a}\nspec: {definition: {$text: ../../../../x}}\n",
        "key: *unknown\n",
        "a: &x 1\nb: *x\n",
        "<testsuite><testcase name='a'><failure>x",
        "<testsuites><testcase/></testsuites>",
        "# t\n## Status\n",
        "[Section\n* @a\n^[\n[]\n!x\n\\\n",
        "jobs: [1]\non: 3\n",
        "\u{feff}# ü\n## Status\nÄccepted\nSuperseded by [x](",
    ];
    let paths = [
        "docs/adr/0001-x.md",
        "incidents/x.md",
        "docker-compose.yml",
        "k8s/x.yaml",
        "catalog-info.yaml",
        "reports/x.xml",
        ".github/workflows/x.yml",
        ".gitlab-ci.yml",
        ".github/CODEOWNERS",
        ".gitlab/CODEOWNERS",
        "AGENTS.md",
        ".cursor/rules/x.mdc",
    ];
    let long = format!("{}<testsuite>", "é".repeat(3000));
    let inputs: Vec<&str> = inputs.iter().copied().chain([long.as_str()]).collect();
    for ing in ingestors() {
        for p in paths {
            if !ing.accepts(p) {
                continue;
            }
            for content in &inputs {
                let facts = ing.ingest(&SourceFile { repo: "r", path: p, content });
                for d in &facts.diagnostics {
                    assert!(d.path == p, "{d:?}");
                }
            }
        }
    }
}
