//! Producer/consumer contract checks over a graph snapshot.
//!
//! [`check`] reads a [`brain_graph::Graph`] and returns a [`CheckReport`]:
//! findings with a rule id, a severity, a message, evidence on both sides
//! (repo, path, line, owners) and a suggested fix. The rules:
//!
//! | rule | module |
//! | --- | --- |
//! | `field-casing-drift`, `consumer-field-missing` (field reads) | [`reads`] |
//! | `field-casing-drift`, `consumer-field-missing`, `type-drift`, `optionality-drift` (consumer data shapes) | [`shapes`] |
//! | `unknown-operation`, `unknown-rpc`, `unknown-topic` | [`unknown`] |
//! | `breaking-change-with-consumers` | [`breaking`] |
//! | `spec-copy-drift` | [`copies`] |
//!
//! Precision is a design goal: a consumer is paired with a producer only
//! through edges in the graph (the operation, rpc or topic the consumer code
//! is linked to), never by name similarity alone; each module documents its
//! pairing rule. Renderings: [`to_text`], [`CheckReport::to_json`], [`to_sarif`].
//!
//! ```ignore
//! let report = brain_check::check(&graph, &brain_check::CheckOptions::default());
//! print!("{}", brain_check::to_text(&report));
//! std::process::exit(if report.has_errors() { 1 } else { 0 });
//! ```
//!
//! Architecture invariant: no IO, and never panics on input.

pub mod breaking;
pub mod copies;
pub mod coverage;
pub mod index;
pub mod model;
pub mod reads;
pub mod render;
pub mod shapes;
pub mod types;
pub mod unknown;

pub use breaking::{diff_spec, SpecFormat};
pub use model::{CheckOptions, CheckReport, Coverage, Evidence, Finding, Rule, Severity, SpecDiff, Summary};
pub use render::{coverage_text, to_sarif, to_text};

use brain_graph::Graph;

/// Runs every enabled rule over the snapshot.
pub fn check(graph: &Graph, opts: &CheckOptions) -> CheckReport {
    let ix = index::Index::new(graph);
    let mut findings = Vec::new();
    let reads_on = opts.enabled(Rule::FieldCasingDrift) || opts.enabled(Rule::ConsumerFieldMissing);
    if reads_on {
        reads::check(&ix, &mut findings);
    }
    if reads_on || opts.enabled(Rule::TypeDrift) || opts.enabled(Rule::OptionalityDrift) {
        shapes::check(&ix, &mut findings);
    }
    unknown::check(
        &ix,
        opts.enabled(Rule::UnknownTopic),
        opts.enabled(Rule::UnknownOperation),
        opts.enabled(Rule::UnknownRpc),
        &mut findings,
    );
    if opts.enabled(Rule::BreakingChangeWithConsumers) {
        breaking::check(&ix, &opts.spec_diffs, &mut findings);
    }
    if opts.enabled(Rule::SpecCopyDrift) {
        copies::check(&ix, &mut findings);
    }
    findings.retain(|f| {
        Rule::parse(&f.rule).is_some_and(|r| opts.enabled(r))
            && opts.min_severity.is_none_or(|m| f.severity >= m)
            && (opts.repos.is_empty()
                || [&f.producer, &f.consumer].iter().any(|e| e.as_ref().is_some_and(|e| opts.repos.contains(&e.repo))))
    });
    let mut report = CheckReport::new(findings);
    report.coverage = coverage::coverage(&ix, &opts.repos);
    report
}

/// Runs only the `breaking-change-with-consumers` rule for one spec diff.
pub fn breaking_changes(graph: &Graph, diff: &SpecDiff) -> CheckReport {
    let opts = CheckOptions {
        rules: vec![Rule::BreakingChangeWithConsumers.id().to_string()],
        spec_diffs: vec![diff.clone()],
        ..CheckOptions::default()
    };
    check(graph, &opts)
}
