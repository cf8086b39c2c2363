//! Feature flags: where each flag is defined and evaluated, which flags are evaluated but never
//! defined, and which are defined but never evaluated.
//!
//! Definitions are `Flag` nodes (one per defining file); evaluations are `Evaluates` edges into
//! them, or `Evaluates` references left unresolved when no file defines the key. Evaluations
//! whose key is known only at run time were never turned into facts (the code ingestor reports
//! them as `flag.dynamic-key` diagnostics); they are listed so an answer says what it cannot see.
//! Attribute names are those the ingestors write (`brain_ingest_org::flags`,
//! `brain_ingest_code::flags`).

use crate::common::{EntityRef, Evidence};
use brain_graph::Graph;
use brain_model::{attr::ns, EdgeKind, NodeKind, RefTarget};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Diagnostic code of an evaluation whose key is known only at run time.
pub const DYNAMIC_KEY: &str = "flag.dynamic-key";

/// One file's definition of a flag.
#[derive(Clone, Debug, Serialize)]
pub struct FlagDefinition {
    pub flag: EntityRef,
    /// `flagd`, `flagd-operator`, `flipt`, `go-feature-flag`.
    pub format: String,
    pub default_variant: Option<String>,
    pub variants: Vec<String>,
    pub state: Option<String>,
    pub description: String,
    pub evidence: Evidence,
}

/// One place code evaluates a flag.
#[derive(Clone, Debug, Serialize)]
pub struct FlagEvaluation {
    pub key: String,
    /// The function, method or file that evaluates it.
    pub by: Option<EntityRef>,
    /// `openfeature`, `launchdarkly`, `unleash`, `configcat`.
    pub sdk: Option<String>,
    /// The same-file wrapper the key was passed through, if any.
    pub via: Option<String>,
    /// Every line of this entity that evaluates the key.
    pub lines: Vec<u32>,
    pub evidence: Evidence,
}

/// Everything known about one flag key.
#[derive(Clone, Debug, Serialize)]
pub struct FlagSummary {
    pub key: String,
    pub definitions: Vec<FlagDefinition>,
    pub evaluations: Vec<FlagEvaluation>,
}

/// An evaluation whose key is not fixed in the code (never guessed).
#[derive(Clone, Debug, Serialize)]
pub struct DynamicEvaluation {
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// The answer to a flag question.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FlagReport {
    /// Flags matching the question, by key.
    pub flags: Vec<FlagSummary>,
    /// Keys evaluated (in scope) that no ingested file defines.
    pub evaluated_never_defined: Vec<String>,
    /// Keys defined (in scope) that no ingested code evaluates with a fixed key.
    pub defined_never_evaluated: Vec<String>,
    /// Evaluations with run-time keys in scope: they may evaluate any flag.
    pub dynamic: Vec<DynamicEvaluation>,
}

/// What to ask about flags: one key, and/or one repository (definitions or evaluations in it).
#[derive(Clone, Debug, Default)]
pub struct FlagQuery {
    pub key: Option<String>,
    pub repo: Option<String>,
}

fn split_list(s: Option<&str>) -> Vec<String> {
    s.map(|v| v.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect()).unwrap_or_default()
}

fn lines_of(attr: Option<&str>, first: Option<u32>) -> Vec<u32> {
    let mut v: Vec<u32> = attr.map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect()).unwrap_or_default();
    if v.is_empty() {
        v.extend(first);
    }
    v
}

/// Answers a flag question over the whole snapshot; see the module docs.
pub fn flags(graph: &Graph, q: &FlagQuery) -> FlagReport {
    let in_repo = |r: &str| q.repo.as_deref().is_none_or(|x| x == r);
    let wanted = |k: &str| q.key.as_deref().is_none_or(|x| x == k);
    let mut by_key: BTreeMap<String, FlagSummary> = BTreeMap::new();
    let mut seen_eval: BTreeSet<(String, String, String, u32)> = BTreeSet::new();
    let summary = |m: &mut BTreeMap<String, FlagSummary>, k: &str| {
        m.entry(k.to_string()).or_insert_with(|| FlagSummary {
            key: k.to_string(),
            definitions: vec![],
            evaluations: vec![],
        });
    };
    for n in graph.nodes_of_kind(NodeKind::Flag) {
        let key = n.name.clone();
        summary(&mut by_key, &key);
        let def = FlagDefinition {
            flag: EntityRef::of(n),
            format: n.attr("flag_format").unwrap_or("").to_string(),
            default_variant: n.attr("default_variant").map(str::to_string),
            variants: split_list(n.attr("variants")),
            state: n.attr("state").map(str::to_string),
            description: n.text.to_string(),
            evidence: Evidence::new(graph, &n.prov),
        };
        if let Some(s) = by_key.get_mut(&key) {
            s.definitions.push(def);
        }
        for e in graph.incoming(&n.id).filter(|e| e.edge.kind == EdgeKind::Evaluates) {
            let line = e.edge.prov.span.map(|s| s.start_line).unwrap_or(0);
            if !seen_eval.insert((key.clone(), e.edge.prov.repo.to_string(), e.edge.prov.path.to_string(), line)) {
                continue; // the same site, resolved to another definition of the key
            }
            let ev = FlagEvaluation {
                key: key.clone(),
                by: Some(EntityRef::of(e.other)),
                sdk: e.edge.attr("sdk").map(str::to_string),
                via: e.edge.attr("via").map(str::to_string),
                lines: lines_of(e.edge.attr("lines"), e.edge.prov.span.map(|s| s.start_line)),
                evidence: Evidence::new(graph, &e.edge.prov),
            };
            if let Some(s) = by_key.get_mut(&key) {
                s.evaluations.push(ev);
            }
        }
    }
    let defined: BTreeSet<String> = by_key.keys().cloned().collect();
    for r in graph.unresolved().filter(|r| r.kind == EdgeKind::Evaluates) {
        let RefTarget::Key { ns: rns, key, .. } = &r.target else { continue };
        if rns != ns::FLAG {
            continue;
        }
        summary(&mut by_key, key);
        let ev = FlagEvaluation {
            key: key.clone(),
            by: graph.node(&r.from).map(EntityRef::of),
            sdk: r.attr("sdk").map(str::to_string),
            via: r.attr("via").map(str::to_string),
            lines: lines_of(r.attr("lines"), r.prov.span.map(|s| s.start_line)),
            evidence: Evidence::new(graph, &r.prov),
        };
        if let Some(s) = by_key.get_mut(key) {
            s.evaluations.push(ev);
        }
    }
    let mut report = FlagReport::default();
    for (key, mut s) in by_key {
        if !wanted(&key) {
            continue;
        }
        let defined_here = s.definitions.iter().any(|d| in_repo(&d.evidence.repo));
        let evaluated_here = s.evaluations.iter().any(|e| in_repo(&e.evidence.repo));
        if !defined_here && !evaluated_here {
            continue;
        }
        if !defined.contains(&key) && evaluated_here {
            report.evaluated_never_defined.push(key.clone());
        }
        if defined_here && s.evaluations.is_empty() {
            report.defined_never_evaluated.push(key.clone());
        }
        s.definitions.sort_by(|a, b| a.flag.id.cmp(&b.flag.id));
        s.evaluations.sort_by(|a, b| {
            (&a.evidence.repo, &a.evidence.path, a.lines.first()).cmp(&(
                &b.evidence.repo,
                &b.evidence.path,
                b.lines.first(),
            ))
        });
        report.flags.push(s);
    }
    let mut dynamic: Vec<DynamicEvaluation> = graph
        .diagnostics()
        .filter(|d| d.code == DYNAMIC_KEY && in_repo(&d.repo))
        .map(|d| DynamicEvaluation {
            repo: d.repo.clone(),
            path: d.path.clone(),
            line: d.line,
            message: d.message.clone(),
        })
        .collect();
    dynamic.sort_by(|a, b| (&a.repo, &a.path, a.line).cmp(&(&b.repo, &b.path, b.line)));
    report.dynamic = dynamic;
    report
}

/// The report as text, for the CLI and MCP.
pub fn render_flags(r: &FlagReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in &r.flags {
        let _ = writeln!(out, "flag {}", f.key);
        if f.definitions.is_empty() {
            let _ = writeln!(out, "  defined: nowhere ingested");
        }
        for d in &f.definitions {
            let dv = d.default_variant.as_deref().map(|v| format!(", default {v}")).unwrap_or_default();
            let _ = writeln!(out, "  defined ({}{dv}) at {}", d.format, d.evidence.location());
        }
        if f.evaluations.is_empty() {
            let _ = writeln!(out, "  evaluated: nowhere (with a fixed key)");
        }
        for e in &f.evaluations {
            let by = e.by.as_ref().map(|b| b.name.as_str()).unwrap_or("?");
            let via = e.via.as_deref().map(|v| format!(" via {v}()")).unwrap_or_default();
            let lines: Vec<String> = e.lines.iter().map(u32::to_string).collect();
            let _ = writeln!(
                out,
                "  evaluated by {by}{via} at {}:{}:{} ({} {:.2})",
                e.evidence.repo,
                e.evidence.path,
                lines.join(","),
                if e.evidence.declared { "declared" } else { "inferred" },
                e.evidence.confidence
            );
        }
    }
    if !r.evaluated_never_defined.is_empty() {
        let _ = writeln!(out, "evaluated but never defined: {}", r.evaluated_never_defined.join(", "));
    }
    if !r.defined_never_evaluated.is_empty() {
        let _ = writeln!(out, "defined but never evaluated: {}", r.defined_never_evaluated.join(", "));
    }
    if !r.dynamic.is_empty() {
        let _ = writeln!(out, "{} evaluation(s) with a run-time key (not guessed):", r.dynamic.len());
        for d in r.dynamic.iter().take(20) {
            let _ = writeln!(out, "  {}:{}:{}", d.repo, d.path, d.line.unwrap_or(0));
        }
    }
    if out.is_empty() {
        out.push_str("no feature flags known\n");
    }
    out
}
