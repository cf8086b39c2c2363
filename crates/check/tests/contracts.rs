//! The contract checks over the real ingest pipeline.
//!
//! * `examples/acme`: exactly the planted mismatch of its EXPECTED.md section 1 (casing drift on
//!   `order.created`), with both sides' evidence and owners, and nothing else at any severity.
//! * `examples/seeded`: every finding is matched against the answer key in its EXPECTED.md
//!   (rule + consumer location); precision and recall are printed and asserted.
mod common;

use brain_check::{
    check, diff_spec, to_sarif, to_text, CheckOptions, CheckReport, Rule, Severity, SpecDiff, SpecFormat,
};
use std::collections::BTreeSet;

fn run(name: &str) -> (std::sync::Arc<brain_graph::Graph>, CheckReport) {
    let g = common::ingest_example(name);
    let report = check(&g, &CheckOptions::default());
    println!("--- {name} ---\n{}", to_text(&report));
    (g, report)
}

#[test]
fn acme_reports_exactly_the_planted_mismatch() {
    let (g, report) = run("acme");
    assert_eq!(report.findings.len(), 1, "{}", to_text(&report));
    assert!(report.has_errors());
    let f = &report.findings[0];
    assert_eq!(f.rule, Rule::FieldCasingDrift.id());
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.boundary.as_deref(), Some("topic order.created"));
    let consumer = f.consumer.as_ref().expect("consumer side");
    assert_eq!(consumer.location(), "acme/billing:billing/consumer.py:24");
    assert_eq!(consumer.detail, "event[\"createdAt\"]");
    assert_eq!(consumer.owners, vec!["owner:@acme/team-billing".to_string(), "owner:@dave".to_string()]);
    let producer = f.producer.as_ref().expect("producer side");
    assert_eq!(producer.location(), "acme/orders:asyncapi/order-events.yaml:47");
    assert!(producer.owners.contains(&"owner:@acme/team-orders".to_string()), "{:?}", producer.owners);
    let code = f.related.iter().find(|e| e.role == "producer-code").expect("producer code evidence");
    assert_eq!(code.location(), "acme/orders:src/model.rs:57");
    assert!(f
        .related
        .iter()
        .any(|e| e.role == "contract" && e.location() == "acme/orders:asyncapi/order-events.yaml:16"));
    assert!(f.message.contains("createdAt") && f.message.contains("created_at"), "{}", f.message);
    assert!(f.fix.contains("event[\"created_at\"]"), "{}", f.fix);
    // Stable ids: the same graph gives the same report.
    assert_eq!(check(&g, &CheckOptions::default()).findings[0].id, f.id);
}

#[test]
fn acme_sarif_and_json_carry_both_sides() {
    let (_, report) = run("acme");
    let sarif = to_sarif(&report);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Rule::ALL.len());
    assert!(rules.iter().all(|r| r["id"].is_string() && r["help"]["text"].is_string()));
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "field-casing-drift");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "acme/billing/billing/consumer.py");
    assert_eq!(loc["region"]["startLine"], 24);
    let related = r["relatedLocations"].as_array().expect("related");
    assert!(related
        .iter()
        .any(|l| l["physicalLocation"]["artifactLocation"]["uri"] == "acme/orders/asyncapi/order-events.yaml"
            && l["physicalLocation"]["region"]["startLine"] == 47));
    let json = report.to_json();
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["findings"][0]["severity"], "error");
    let back: CheckReport = serde_json::from_value(json).expect("round trip");
    assert_eq!(back, report);
}

#[test]
fn acme_breaking_change_names_the_consumers_it_breaks() {
    let g = common::ingest_example("acme");
    let path = "asyncapi/order-events.yaml";
    let old = std::fs::read_to_string(common::example_dir("acme").join("orders").join(path)).expect("spec");
    // Drop the `order_id` property (its name, `type` and `format` lines).
    let lines: Vec<&str> = old.lines().collect();
    let at = lines.iter().position(|l| l.trim() == "order_id:").expect("order_id property");
    let new: String =
        lines.iter().enumerate().filter(|(i, _)| !(at..at + 3).contains(i)).map(|(_, l)| format!("{l}\n")).collect();
    let changes = diff_spec(SpecFormat::AsyncApi, &old, &new, path, path).expect("diff");
    assert!(!changes.is_empty(), "the diff sees the removal");
    let report =
        brain_check::breaking_changes(&g, &SpecDiff { repo: "acme/orders".into(), path: path.into(), changes });
    println!("{}", to_text(&report));
    let consumers: BTreeSet<String> =
        report.findings.iter().filter_map(|f| f.consumer.as_ref()).map(|e| e.location()).collect();
    assert!(consumers.contains("acme/billing:billing/consumer.py:23"), "{consumers:?}");
    // `invoice.order_id` (line 52) reads billing's own model, not the event.
    assert_eq!(consumers.len(), 1, "{consumers:?}");
    assert!(report.findings.iter().all(|f| f.rule == Rule::BreakingChangeWithConsumers.id()));
}

/// A breaking change about something the graph holds no element for (here a
/// security scheme) is still reported, with consumers unknown: the gate never
/// fails open.
#[test]
fn breaking_change_without_a_graph_element_is_reported_as_consumers_unknown() {
    use brain_ingest_contracts::diff::{Change, Level, Location};
    let g = common::ingest_example("acme");
    let path = "asyncapi/order-events.yaml";
    let at =
        |line| Location { path: path.into(), line: Some(line), pointer: "components.securitySchemes.legacy".into() };
    let changes = vec![Change {
        rule: "api-security-component-removed".into(),
        level: Level::Breaking,
        message: "removed the security scheme 'legacy'".into(),
        old: Some(at(9000)),
        new: None,
    }];
    let report =
        brain_check::breaking_changes(&g, &SpecDiff { repo: "acme/orders".into(), path: path.into(), changes });
    assert_eq!(report.findings.len(), 1, "{}", to_text(&report));
    let f = &report.findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert!(f.consumer.is_none());
    assert!(
        f.message.contains("consumers unknown") && f.message.contains("api-security-component-removed"),
        "{}",
        f.message
    );
    let producer = f.producer.as_ref().map(|e| e.location());
    assert_eq!(producer.as_deref(), Some("acme/orders:asyncapi/order-events.yaml:9000"));
    assert!(report.has_errors());
}

/// A row of the seeded answer key: rule and consumer location.
fn expected_rows(section: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(common::example_dir("seeded").join("EXPECTED.md")).expect("EXPECTED.md");
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("## ") {
            inside = line.starts_with(section);
            continue;
        }
        if !inside || !line.starts_with("| ") {
            continue;
        }
        let cells: Vec<&str> = line.split(" | ").map(|c| c.trim_matches(['|', ' '])).collect();
        if cells.len() < 2 || !cells[1].starts_with('`') {
            continue;
        }
        out.push((cells[0].trim_matches('`').to_string(), cells[1].trim_matches('`').to_string()));
    }
    out
}

#[test]
fn seeded_corpus_precision_and_recall() {
    let (_, report) = run("seeded");
    let expected: BTreeSet<(String, String)> = expected_rows("## 1.").into_iter().collect();
    assert!(expected.len() >= 15, "answer key parsed: {expected:?}");
    let found: BTreeSet<(String, String)> = report
        .findings
        .iter()
        .map(|f| {
            (f.rule.clone(), f.consumer.as_ref().or(f.producer.as_ref()).map(|e| e.location()).unwrap_or_default())
        })
        .collect();
    let true_pos = found.intersection(&expected).count();
    let precision = true_pos as f64 / found.len().max(1) as f64;
    let recall = true_pos as f64 / expected.len() as f64;
    println!(
        "seeded: {} expected, {} found, {true_pos} true positives; precision {precision:.3}, recall {recall:.3}",
        expected.len(),
        found.len()
    );
    for miss in expected.difference(&found) {
        println!("missed: {miss:?}");
    }
    for extra in found.difference(&expected) {
        println!("false positive: {extra:?}");
    }
    assert_eq!(report.findings.len(), found.len(), "one finding per rule and location");
    assert!(recall >= 1.0, "recall {recall}");
    assert!(precision >= 1.0, "precision {precision}");
    // Decoys: no finding of any rule at a decoy location.
    let decoys: Vec<String> = expected_rows("## 2.").into_iter().map(|(_, loc)| loc).collect();
    assert!(decoys.len() >= 10, "{decoys:?}");
    for f in &report.findings {
        for e in f.consumer.iter().chain(f.producer.iter()) {
            assert!(!decoys.contains(&e.location()), "decoy flagged: {}", f.message);
        }
    }
}

#[test]
fn seeded_breaking_change_finds_generated_accessor_consumers() {
    let g = common::ingest_example("seeded");
    let path = "proto/inventory/v1/inventory.proto";
    let old = std::fs::read_to_string(common::example_dir("seeded").join("inventory").join(path)).expect("proto");
    let new = old.replacen(
        "  int32 quantity = 2;\n  string warehouse_code = 3;",
        "  reserved 2;\n  string warehouse_code = 3;",
        1,
    );
    assert_ne!(old, new);
    let changes = diff_spec(SpecFormat::Proto, &old, &new, path, path).expect("diff");
    let report =
        brain_check::breaking_changes(&g, &SpecDiff { repo: "seeded/inventory".into(), path: path.into(), changes });
    println!("{}", to_text(&report));
    let consumers: BTreeSet<String> =
        report.findings.iter().filter_map(|f| f.consumer.as_ref()).map(|e| e.location()).collect();
    let want: BTreeSet<String> = expected_rows("## 3.").into_iter().map(|(_, loc)| loc).collect();
    assert_eq!(want.len(), 2, "{want:?}");
    for w in &want {
        assert!(consumers.contains(w), "missing {w} in {consumers:?}");
    }
    assert!(report.has_errors());
}

#[test]
fn options_filter_rules_severities_and_repos() {
    let g = common::ingest_example("seeded");
    let only = CheckOptions { rules: vec!["unknown-rpc".into()], ..CheckOptions::default() };
    let r = check(&g, &only);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].rule, "unknown-rpc");
    let errors = CheckOptions { min_severity: Some(Severity::Error), ..CheckOptions::default() };
    assert!(check(&g, &errors).findings.iter().all(|f| f.severity == Severity::Error));
    let ledger = CheckOptions { repos: vec!["seeded/ledger".into()], ..CheckOptions::default() };
    let r = check(&g, &ledger);
    assert_eq!(r.findings.len(), 3, "{}", to_text(&r));
}

/// A corpus run on real repositories: `BRAIN_CHECK_CORPUS=/path/to/brain.toml cargo test -p brain-check
/// --test contracts corpus -- --ignored --nocapture`. Prints the report; asserts only that it completes.
#[test]
#[ignore]
fn corpus() {
    let Ok(path) = std::env::var("BRAIN_CHECK_CORPUS") else { return };
    let g = common::ingest_config(std::path::Path::new(&path));
    let report = check(&g, &CheckOptions::default());
    println!("{}", to_text(&report));
    println!("{}", serde_json::to_string(&to_sarif(&report)).map(|s| s.len()).unwrap_or(0));
}

/// The server diffs a spec at an older revision against the ingested (newer) one: the graph
/// holds the *new* version and the removed element is not in it. Simulated on `examples/seeded`:
/// the "old" proto had a field `legacy_code` in `Stock`, which the new (ingested) one dropped;
/// nobody reads it, so nothing breaks; the old `Stock` also had `warehouse_id`, which picker
/// still reads (`GetWarehouseId`), so picker breaks.
#[test]
fn seeded_breaking_change_against_the_ingested_new_version() {
    let g = common::ingest_example("seeded");
    let path = "proto/inventory/v1/inventory.proto";
    let new = std::fs::read_to_string(common::example_dir("seeded").join("inventory").join(path)).expect("proto");
    let old = new.replacen(
        "  string created_at = 4;\n}",
        "  string created_at = 4;\n  string legacy_code = 5;\n  string warehouse_id = 6;\n}",
        1,
    );
    assert_ne!(old, new);
    let changes = diff_spec(SpecFormat::Proto, &old, &new, path, path).expect("diff");
    assert!(changes.len() >= 2, "{changes:#?}");
    let report =
        brain_check::breaking_changes(&g, &SpecDiff { repo: "seeded/inventory".into(), path: path.into(), changes });
    println!("{}", to_text(&report));
    let consumers: BTreeSet<String> =
        report.findings.iter().filter_map(|f| f.consumer.as_ref()).map(|e| e.location()).collect();
    let want: BTreeSet<String> = ["seeded/picker:internal/pick/pick.go:30".to_string()].into_iter().collect();
    assert_eq!(consumers, want);
}
