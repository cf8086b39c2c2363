//! Renderings of a [`CheckReport`]: plain text for people and SARIF 2.1.0 for
//! code-scanning tools. JSON is the report's serde form ([`CheckReport::to_json`]).

use crate::model::{CheckReport, Evidence, Finding, Rule};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// Plain text: one block per finding, then a summary line.
pub fn to_text(report: &CheckReport) -> String {
    let mut s = String::new();
    for f in &report.findings {
        let _ = writeln!(s, "{}[{}] {}", f.severity.as_str(), f.rule, f.message);
        if let Some(b) = &f.boundary {
            let _ = writeln!(s, "  boundary: {b}");
        }
        for e in f.producer.iter().chain(f.consumer.iter()).chain(f.related.iter()) {
            let _ = writeln!(s, "  {}", evidence_line(e));
        }
        let _ = writeln!(s, "  fix: {}", f.fix);
        let _ = writeln!(s, "  id: {}", f.id);
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{} error(s), {} warning(s), {} info",
        report.summary.errors, report.summary.warnings, report.summary.infos
    );
    s.push_str(&coverage_text(&report.coverage));
    s
}

/// What a report covered, in words: how many contracts had linked consumers, how many reads
/// were checked, and what could not be resolved (the reason a clean report is not a proof).
pub fn coverage_text(c: &crate::model::Coverage) -> String {
    let mut s = format!(
        "checked: {} of {} contract boundaries have linked consumers ({} consumer links, {} field reads checked)",
        c.contracts_with_consumers, c.contracts, c.consumer_links, c.reads_checked
    );
    if c.contracts > c.contracts_with_consumers {
        let _ = write!(
            s,
            "; {} have no linked consumer and were not checked for drift",
            c.contracts - c.contracts_with_consumers
        );
    }
    s.push('\n');
    if c.unresolved_total > 0 {
        let _ = writeln!(s, "not resolved: {} client calls, publishes or subscriptions:", c.unresolved_total);
        for e in c.unresolved.iter().take(20) {
            let _ = writeln!(s, "  {} {}", e.location(), e.detail);
        }
        if c.unresolved_total > 20 {
            let _ = writeln!(s, "  ... {} more (see --format json)", c.unresolved_total - 20);
        }
    }
    s
}

fn evidence_line(e: &Evidence) -> String {
    let owners = if e.owners.is_empty() { String::new() } else { format!(" [owners: {}]", e.owners.join(", ")) };
    format!("{}: {} {}{}", e.role, e.location(), e.detail, owners)
}

fn location(e: &Evidence, id: usize) -> Value {
    let mut phys = json!({ "artifactLocation": { "uri": format!("{}/{}", e.repo, e.path) } });
    if let Some(l) = e.line {
        phys["region"] = json!({ "startLine": l });
    }
    let mut v = json!({
        "physicalLocation": phys,
        "message": { "text": format!("{}: {}", e.role, e.detail) },
    });
    if id > 0 {
        v["id"] = json!(id);
    }
    v
}

fn result(f: &Finding, rule_index: usize) -> Value {
    // The primary location is the consumer (where the fix usually goes), else the producer.
    let primary = f.consumer.as_ref().or(f.producer.as_ref());
    let mut related: Vec<&Evidence> = Vec::new();
    if f.consumer.is_some() {
        related.extend(f.producer.iter());
    }
    related.extend(f.related.iter());
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level(),
        "message": { "text": format!("{} Fix: {}", f.message, f.fix) },
        "partialFingerprints": { "brainFindingId/v1": f.id },
        "properties": { "findingId": f.id, "boundary": f.boundary },
    });
    if let Some(p) = primary {
        r["locations"] = json!([location(p, 0)]);
    }
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related.iter().enumerate().map(|(i, e)| location(e, i + 1)).collect());
    }
    r
}

/// SARIF 2.1.0: one run, the rules with ids and help, one result per finding
/// with the consumer as location and the producer and contract as related locations.
/// Artifact URIs are `<repo>/<path>`.
pub fn to_sarif(report: &CheckReport) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": r.title() },
                "fullDescription": { "text": r.help() },
                "help": { "text": r.help() },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let idx = Rule::ALL.iter().position(|r| r.id() == f.rule).unwrap_or(0);
            result(f, idx)
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "brain-check",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://example.invalid/brain",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
