//! Breaking spec changes, with the consumers in the graph they break.
//!
//! A [`SpecDiff`] holds the classified changes of one spec (from
//! `brain_ingest_contracts::diff_openapi` and friends, or [`diff_spec`]).
//! The graph holds the *old* version, so each change's old location
//! (file and line) names the removed or altered element: the innermost
//! field, operation or type declared on that line (or, without a line, the
//! element named by the last segment of the change's pointer). Its
//! consumers are then:
//!
//! * an operation or topic: every code symbol or document that consumes or
//!   subscribes to it;
//! * a field: consumer reads of its wire name (or generated accessor) in
//!   files linked to an operation carrying the field's type, and consumer
//!   data types of that name that declare the field;
//! * a type: the consumers of every operation that carries it.

use crate::index::{boundary_of, wire_name, Index, BINDING_ATTRS};
use crate::model::{finding_id, Evidence, Finding, Rule, Severity, SpecDiff};
use brain_ingest_contracts::diff::{Change, Level};
use brain_model::text::canonical_name;
use brain_model::{EdgeKind, Node, NodeKind};
use std::collections::BTreeSet;

/// Which diff function to use for a spec, by format name or file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecFormat {
    OpenApi,
    AsyncApi,
    Proto,
    Graphql,
}

impl SpecFormat {
    /// Guesses the format from a path and, for YAML/JSON, the content.
    pub fn detect(path: &str, content: &str) -> Option<SpecFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".proto") {
            return Some(SpecFormat::Proto);
        }
        if lower.ends_with(".graphql") || lower.ends_with(".graphqls") || lower.ends_with(".gql") {
            return Some(SpecFormat::Graphql);
        }
        if content.contains("asyncapi") {
            return Some(SpecFormat::AsyncApi);
        }
        if content.contains("openapi") || content.contains("swagger") {
            return Some(SpecFormat::OpenApi);
        }
        None
    }
}

/// Diffs two versions of a spec with the contract ingestors' diff functions.
/// Errors (a version that does not parse) come back as text.
pub fn diff_spec(
    format: SpecFormat,
    old: &str,
    new: &str,
    old_path: &str,
    new_path: &str,
) -> Result<Vec<Change>, String> {
    use brain_ingest_contracts as c;
    match format {
        SpecFormat::OpenApi => c::diff_openapi(old, new, old_path, new_path).map_err(|e| e.to_string()),
        SpecFormat::AsyncApi => c::diff_asyncapi(old, new, old_path, new_path).map_err(|e| e.to_string()),
        SpecFormat::Proto => c::proto::diff_proto(old, new, old_path, new_path).map_err(|e| e.to_string()),
        SpecFormat::Graphql => c::graphql::diff_graphql(old, new, old_path, new_path).map_err(|e| e.to_string()),
    }
}

/// Runs the check for every diff.
pub fn check(ix: &Index<'_>, diffs: &[SpecDiff], out: &mut Vec<Finding>) {
    for d in diffs {
        for c in &d.changes {
            if c.level == Level::Safe {
                continue;
            }
            let Some(target) = locate(ix, d, c) else { continue };
            let consumers = consumers_of(ix, target);
            for consumer in consumers {
                let contract = ix.node_evidence("producer", target, format!("{} `{}`", target.kind, target.name));
                let id = finding_id(
                    Rule::BreakingChangeWithConsumers,
                    &[&c.rule, &contract.location(), &consumer.location(), &c.message],
                );
                let severity = if c.level == Level::Breaking { Severity::Error } else { Severity::Warning };
                out.push(Finding {
                    id,
                    rule: Rule::BreakingChangeWithConsumers.id().into(),
                    severity,
                    message: format!(
                        "{} ({}) breaks {} which uses `{}` ({})",
                        c.message,
                        c.rule,
                        consumer.location(),
                        target.name,
                        consumer.detail
                    ),
                    boundary: Some(boundary_for(ix, target)),
                    producer: Some(contract),
                    consumer: Some(consumer.clone()),
                    related: Vec::new(),
                    fix: format!(
                        "keep `{}` (deprecate it) until {} no longer uses it, or change the consumer first and roll out consumers before the producer",
                        target.name,
                        consumer.location()
                    ),
                });
            }
        }
    }
}

fn locate<'g>(ix: &Index<'g>, d: &SpecDiff, c: &Change) -> Option<&'g Node> {
    let old = c.old.as_ref()?;
    let path = if old.path.is_empty() { d.path.as_str() } else { old.path.as_str() };
    let in_file = |n: &&Node| n.prov.repo == d.repo && (n.prov.path == path || n.prov.path == d.path);
    let kinds = [NodeKind::Field, NodeKind::Operation, NodeKind::DataType];
    if let Some(line) = old.line {
        let mut best: Option<(&Node, u32, usize)> = None;
        for (rank, k) in kinds.iter().enumerate() {
            for n in ix.graph.nodes_of_kind(*k).filter(in_file) {
                let Some(s) = n.prov.span else { continue };
                if s.start_line <= line && line <= s.end_line {
                    let width = s.end_line - s.start_line;
                    if best.is_none_or(|b| (width, rank) < (b.1, b.2)) {
                        best = Some((n, width, rank));
                    }
                }
            }
        }
        if let Some((n, _, _)) = best {
            return Some(n);
        }
    }
    let last = old.pointer.rsplit(['.', '/']).next().unwrap_or("");
    if last.is_empty() {
        return None;
    }
    kinds.iter().find_map(|k| ix.graph.nodes_of_kind(*k).filter(in_file).find(|n| n.name == last))
}

fn boundary_for(ix: &Index<'_>, target: &Node) -> String {
    match target.kind {
        NodeKind::Operation | NodeKind::Topic => boundary_of(target),
        _ => ops_carrying(ix, target).first().map(|o| boundary_of(o)).unwrap_or_else(|| target.name.clone()),
    }
}

/// Operations whose payload is `node` (a type) or carries it (a field's type).
fn ops_carrying<'g>(ix: &Index<'g>, node: &Node) -> Vec<&'g Node> {
    let types: Vec<&'g Node> = match node.kind {
        NodeKind::DataType => ix.graph.node(&node.id).into_iter().collect(),
        NodeKind::Field => {
            ix.graph.incoming(&node.id).filter(|e| e.edge.kind == EdgeKind::HasField).map(|e| e.other).collect()
        }
        _ => Vec::new(),
    };
    let mut out: Vec<&'g Node> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut frontier = types;
    for _ in 0..4 {
        let mut next = Vec::new();
        for t in frontier {
            if !seen.insert(t.id.clone()) {
                continue;
            }
            for e in ix.graph.incoming(&t.id) {
                if e.edge.kind != EdgeKind::UsesType {
                    continue;
                }
                match e.other.kind {
                    NodeKind::Operation if !out.iter().any(|o| o.id == e.other.id) => out.push(e.other),
                    NodeKind::Field => {
                        next.extend(
                            ix.graph
                                .incoming(&e.other.id)
                                .filter(|x| x.edge.kind == EdgeKind::HasField)
                                .map(|x| x.other),
                        );
                    }
                    _ => {}
                }
            }
        }
        frontier = next;
    }
    out
}

fn consumers_of(ix: &Index<'_>, target: &Node) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut push = |e: Evidence| {
        if seen.insert(e.location()) {
            out.push(e);
        }
    };
    let mut ops: Vec<&Node> = match target.kind {
        NodeKind::Operation | NodeKind::Topic => vec![target],
        _ => ops_carrying(ix, target),
    };
    // Consumers may be linked to the topic a contract operation publishes to rather than to the operation.
    let topics: Vec<&Node> = ops
        .iter()
        .flat_map(|o| ix.graph.outgoing(&o.id))
        .filter(|e| e.edge.kind == EdgeKind::Publishes && e.other.kind == NodeKind::Topic)
        .map(|e| e.other)
        .collect();
    ops.extend(topics);
    let names: Vec<String> = if target.kind == NodeKind::Field {
        let mut v = vec![wire_name(target).to_string()];
        for a in BINDING_ATTRS {
            if let Some(n) = target.attr(a) {
                v.push(n.to_string());
            }
        }
        if let Some(g) = target.attr("go_name") {
            v.push(format!("Get{g}"));
        }
        v
    } else {
        Vec::new()
    };
    for ((repo, path), links) in &ix.links_by_file {
        let linked: Vec<_> = links.iter().filter(|l| ops.iter().any(|o| o.id == l.op.id)).collect();
        if linked.is_empty() {
            continue;
        }
        if target.kind != NodeKind::Field {
            for l in linked {
                push(ix.at(
                    "consumer",
                    repo,
                    path,
                    l.line,
                    Some(&l.consumer.id),
                    format!("{} {}", l.kind, boundary_of(l.op)),
                ));
            }
            continue;
        }
        if let Some(reads) = ix.reads_by_file.get(&(repo.clone(), path.clone())) {
            let lang = ix.language(repo, path);
            let grpc = ops.iter().any(|o| o.attr(brain_model::attr::PROTOCOL) == Some("grpc"));
            for r in reads.iter().filter(|r| names.contains(&r.key) && crate::reads::compares(&lang, &r.access, grpc)) {
                push(ix.at("consumer", &r.repo, &r.path, r.line, Some(&r.from), format!("reads `{}`", r.key)));
            }
        }
        let owner_types: Vec<&Node> =
            ix.graph.incoming(&target.id).filter(|e| e.edge.kind == EdgeKind::HasField).map(|e| e.other).collect();
        let mut files = vec![(repo.clone(), path.clone())];
        files.extend(ix.imported_files(repo, path).into_iter().filter(|(r, _)| r == repo));
        for (r, p) in files {
            for ct in ix.types_in_file(&r, &p) {
                if !owner_types
                    .iter()
                    .any(|t| canonical_name(t.name.rsplit('.').next().unwrap_or(&t.name)) == canonical_name(&ct.name))
                {
                    continue;
                }
                for cf in ix.fields_of(ct) {
                    if wire_name(cf) == wire_name(target) {
                        push(ix.node_evidence("consumer", cf, format!("{}.{} declares it", ct.name, cf.name)));
                    }
                }
            }
        }
    }
    out
}
