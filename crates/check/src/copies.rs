//! Vendored spec copies that drifted from their original.
//!
//! Two specs are copies when they are in different repositories and either a
//! `CopyOf` edge links them, or they have the same format family and the same
//! identity (the same title, OpenAPI/AsyncAPI `info.title`; for proto the same
//! package and file name; for GraphQL the file name) *and* share at least half
//! of the smaller one's operations and types by name: two services that both
//! call their schema `schema.graphqls` are not copies of each other. The original is the `CopyOf` target; else the
//! spec whose repository serves or implements its operations; else the one
//! not under a vendoring folder (`vendor/`, `third_party/`, ...); else the
//! first by repo name. Drift is any difference in operations or in fields
//! (wire name, type, requiredness).

use crate::index::{wire_name, Index};
use crate::model::{finding_id, Finding, Rule, Severity};
use brain_graph::Graph;
use brain_model::{attr, EdgeKind, Node, NodeKind};
use std::collections::{BTreeMap, BTreeSet};

/// `(original, copy)` pairs of specs in the graph.
pub fn copy_pairs(g: &Graph) -> Vec<(&Node, &Node)> {
    let specs: Vec<&Node> =
        g.nodes_of_kind(NodeKind::Spec).filter(|s| s.attr(attr::FORMAT).is_some() && s.id.prefix() == "spec").collect();
    let mut groups: BTreeMap<String, Vec<&Node>> = BTreeMap::new();
    for s in &specs {
        groups.entry(identity(s)).or_default().push(s);
    }
    let mut pairs: Vec<(&Node, &Node)> = Vec::new();
    let mut routes: Option<BTreeSet<(String, String)>> = None;
    for e in g.edges().filter(|e| e.kind == EdgeKind::CopyOf) {
        if let (Some(copy), Some(orig)) = (g.node(&e.from), g.node(&e.to)) {
            if copy.kind == NodeKind::Spec && orig.kind == NodeKind::Spec {
                pairs.push((orig, copy));
            }
        }
    }
    for (_, mut group) in groups {
        let repos: BTreeSet<&str> = group.iter().map(|s| s.prov.repo.as_str()).collect();
        if repos.len() < 2 {
            continue;
        }
        let routes = routes.get_or_insert_with(|| code_routes(g));
        group.sort_by_key(|s| (rank(g, routes, s), s.prov.repo.to_string(), s.prov.path.to_string()));
        let orig = group[0];
        let orig_names = element_names(g, orig);
        for copy in &group[1..] {
            if copy.prov.repo == orig.prov.repo || pairs.iter().any(|(a, b)| a.id == orig.id && b.id == copy.id) {
                continue;
            }
            // Same title is not enough: a copy shares most of its operations and types.
            let names = element_names(g, copy);
            let shared = orig_names.intersection(&names).count();
            let smaller = orig_names.len().min(names.len());
            if smaller > 0 && shared * 2 >= smaller {
                pairs.push((orig, copy));
            }
        }
    }
    pairs
}

/// Names of the operations and types a spec declares.
fn element_names(g: &Graph, spec: &Node) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for kind in [NodeKind::Operation, NodeKind::DataType] {
        for n in g.nodes_of_kind(kind) {
            if n.prov.repo == spec.prov.repo && n.prov.path == spec.prov.path {
                out.insert(format!("{kind}:{}", n.name));
            }
        }
    }
    out
}

/// Runs the copy check.
pub fn check(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (orig, copy) in copy_pairs(ix.graph) {
        let a = signature(ix, orig);
        let b = signature(ix, copy);
        if a == b {
            continue;
        }
        let removed: Vec<&String> = a.difference(&b).collect();
        let added: Vec<&String> = b.difference(&a).collect();
        let mut diffs = Vec::new();
        for r in removed.iter().take(5) {
            diffs.push(format!("copy lacks {r}"));
        }
        for r in added.iter().take(5) {
            diffs.push(format!("copy adds {r}"));
        }
        let n = removed.len() + added.len();
        let producer = ix.node_evidence("original", orig, orig.name.clone());
        let consumer = ix.node_evidence("copy", copy, copy.name.clone());
        let id = finding_id(Rule::SpecCopyDrift, &[&producer.location(), &consumer.location()]);
        out.push(Finding {
            id,
            rule: Rule::SpecCopyDrift.id().into(),
            severity: Severity::Warning,
            message: format!(
                "the copy of `{}` at {} differs from the original at {} in {n} place(s): {}",
                orig.name,
                consumer.location(),
                producer.location(),
                diffs.join("; ")
            ),
            boundary: Some(orig.name.clone()),
            producer: Some(producer),
            consumer: Some(consumer),
            related: Vec::new(),
            fix: format!(
                "re-vendor {} from {}:{} (or generate the client from the original)",
                copy.prov.path, orig.prov.repo, orig.prov.path
            ),
        });
    }
}

fn identity(s: &Node) -> String {
    let fmt = s.attr(attr::FORMAT).unwrap_or("");
    let family = fmt.split(['-', '.']).next().unwrap_or(fmt).trim_end_matches(|c: char| c.is_ascii_digit());
    if fmt.starts_with("proto") {
        let file = s.prov.path.rsplit('/').next().unwrap_or("");
        return format!("proto|{}|{file}", s.attr("package").unwrap_or(""));
    }
    format!("{family}|{}", s.name.trim().to_ascii_lowercase())
}

/// `(repo, operation name)` of operations that code serves (routes exposed by a symbol).
fn code_routes(g: &Graph) -> BTreeSet<(String, String)> {
    g.nodes_of_kind(NodeKind::Operation)
        .filter(|op| g.incoming(&op.id).any(|e| e.edge.kind == EdgeKind::Exposes && e.other.kind == NodeKind::Symbol))
        .map(|op| (op.prov.repo.to_string(), op.name.clone()))
        .collect()
}

fn rank(g: &Graph, routes: &BTreeSet<(String, String)>, s: &Node) -> u8 {
    let own_ops =
        g.nodes_of_kind(NodeKind::Operation).filter(|op| op.prov.repo == s.prov.repo && op.prov.path == s.prov.path);
    let mut served = false;
    for op in own_ops {
        // Implemented or published by the same repo's code, or an HTTP route its code serves.
        served = g.incoming(&op.id).any(|e| {
            matches!(e.edge.kind, EdgeKind::Implements | EdgeKind::Publishes)
                && e.other.prov.repo == s.prov.repo
                && matches!(e.other.kind, NodeKind::Symbol | NodeKind::File)
        }) || routes.contains(&(s.prov.repo.to_string(), op.name.clone()));
        if served {
            break;
        }
    }
    if served {
        return 0;
    }
    if crate::index::is_vendored_path(&s.prov.path) {
        2
    } else {
        1
    }
}

fn signature(ix: &Index<'_>, spec: &Node) -> BTreeSet<String> {
    let g = ix.graph;
    let mut out = BTreeSet::new();
    let same = |n: &Node| n.prov.repo == spec.prov.repo && n.prov.path == spec.prov.path;
    for op in g.nodes_of_kind(NodeKind::Operation).filter(|n| same(n)) {
        out.insert(format!("operation `{}`", op.name));
    }
    for t in g.nodes_of_kind(NodeKind::DataType).filter(|n| same(n)) {
        for f in ix.fields_of(t) {
            out.insert(format!(
                "field `{}.{}` ({}, {})",
                t.name,
                f.attr("proto_name").unwrap_or(wire_name(f)),
                f.attr(attr::TYPE).unwrap_or("?"),
                if f.attr(attr::REQUIRED) == Some("true") { "required" } else { "optional" }
            ));
        }
    }
    out
}
