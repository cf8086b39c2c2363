//! Breaking spec changes, with the consumers in the graph they break.
//!
//! A [`SpecDiff`] holds the classified changes of one spec (from
//! `brain_ingest_contracts::diff_openapi` and friends, or [`diff_spec`]).
//! The graph may hold either version of the spec (planning a change: the old
//! one; checking a branch against its base: the new one). The element a
//! change is about is the innermost field, operation or type declared on the
//! change's old line, else its new line, that the change's pointer names;
//! else the element the pointer's last segment names; else, when the pointer
//! ends in a field the graph no longer has, that field under its parent type
//! (consumers are then found by the field's name and its generated accessors).
//! Its consumers are then:
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
use brain_model::{EdgeKind, Node, NodeId, NodeKind};
use std::collections::BTreeSet;

/// Which diff function to use for a spec, by format name or file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecFormat {
    OpenApi,
    AsyncApi,
    Proto,
    Graphql,
    JsonSchema,
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
        let top_key = |k: &str| {
            content.lines().any(|l| l.starts_with(&format!("{k}:")) || l.trim_start().starts_with(&format!("\"{k}\"")))
        };
        if top_key("asyncapi") {
            return Some(SpecFormat::AsyncApi);
        }
        if top_key("openapi") || top_key("swagger") {
            return Some(SpecFormat::OpenApi);
        }
        if top_key("$schema") {
            return Some(SpecFormat::JsonSchema);
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
        SpecFormat::JsonSchema => c::diff_jsonschema(old, new, old_path, new_path).map_err(|e| e.to_string()),
    }
}

/// Runs the check for every diff.
pub fn check(ix: &Index<'_>, diffs: &[SpecDiff], out: &mut Vec<Finding>) {
    for d in diffs {
        for c in &d.changes {
            if c.level == Level::Safe {
                continue;
            }
            let Some(located) = locate(ix, d, c) else {
                // Not an element the graph holds (a security scheme, a removed path the graph
                // never had): still breaking, never dropped; who breaks cannot be listed.
                out.push(unlocated(d, c));
                continue;
            };
            let target = located.node;
            let consumers = consumers_of(ix, target, located.removed_field.as_deref());
            let element = match &located.removed_field {
                Some(f) => format!("{}.{f}", target.name),
                None => target.name.clone(),
            };
            if consumers.is_empty() {
                // No consumer is linked: the change is still breaking for whoever uses it.
                let contract = ix.node_evidence("producer", target, format!("{} `{element}`", target.kind));
                let id =
                    finding_id(Rule::BreakingChangeWithConsumers, &[&c.rule, &contract.location(), "", &c.message]);
                let severity = if c.level == Level::Breaking { Severity::Error } else { Severity::Warning };
                out.push(Finding {
                    id,
                    rule: Rule::BreakingChangeWithConsumers.id().into(),
                    severity,
                    message: format!(
                        "{} ({}); consumers unknown: no consumer of `{element}` is linked in the graph, so who breaks cannot be listed",
                        c.message, c.rule
                    ),
                    boundary: Some(boundary_for(ix, target)),
                    producer: Some(contract),
                    consumer: None,
                    related: Vec::new(),
                    fix: format!(
                        "keep `{element}` (deprecate it) or version the contract; find its consumers outside the indexed repositories first"
                    ),
                });
                continue;
            }
            for consumer in consumers {
                let contract = ix.node_evidence("producer", target, format!("{} `{element}`", target.kind));
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
                        "{} ({}) breaks {} which uses `{element}` ({})",
                        c.message,
                        c.rule,
                        consumer.location(),
                        consumer.detail
                    ),
                    boundary: Some(boundary_for(ix, target)),
                    producer: Some(contract),
                    consumer: Some(consumer.clone()),
                    related: Vec::new(),
                    fix: format!(
                        "keep `{element}` (deprecate it) until {} no longer uses it, or change the consumer first and roll out consumers before the producer",
                        consumer.location()
                    ),
                });
            }
        }
    }
}

/// A finding for a change the graph has no element for: located at the spec
/// (the new version's line, else the old one's), consumers unknown.
fn unlocated(d: &SpecDiff, c: &Change) -> Finding {
    let at = c.new.as_ref().filter(|l| l.line.is_some()).or(c.old.as_ref());
    let pointer = at.map(|l| l.pointer.as_str()).unwrap_or("");
    let contract = Evidence {
        role: "producer".into(),
        repo: d.repo.clone(),
        path: d.path.clone(),
        line: at.and_then(|l| l.line),
        entity: None,
        detail: format!("spec `{pointer}`"),
        owners: Vec::new(),
    };
    let id = finding_id(Rule::BreakingChangeWithConsumers, &[&c.rule, &contract.location(), "", &c.message]);
    Finding {
        id,
        rule: Rule::BreakingChangeWithConsumers.id().into(),
        severity: if c.level == Level::Breaking { Severity::Error } else { Severity::Warning },
        message: format!(
            "{} ({}); consumers unknown: `{pointer}` is not linked to anything in the graph, so who breaks cannot be listed",
            c.message, c.rule
        ),
        boundary: Some(d.path.clone()),
        producer: Some(contract),
        consumer: None,
        related: Vec::new(),
        fix: "keep the contract as it was (deprecate first) or version it; find its consumers outside the indexed repositories first".into(),
    }
}

/// What a change is about: an element in the graph, or a field that the
/// graph no longer has (the graph holds the new version) under its parent type.
struct Located<'g> {
    node: &'g Node,
    removed_field: Option<String>,
}

/// Whether the change's pointer names this node (guards against a line that
/// points at a different element in the version the graph holds).
fn named_in(pointer: &str, n: &Node) -> bool {
    if n.kind == NodeKind::Operation {
        if pointer.contains(&n.name) {
            return true;
        }
        if let (Some(p), Some(m)) = (n.attr(brain_model::attr::HTTP_PATH), n.attr(brain_model::attr::HTTP_METHOD)) {
            return pointer.contains(&format!("{p}.{}", m.to_ascii_lowercase()));
        }
        return n.attr("qualified_name").is_some_and(|q| pointer.contains(q));
    }
    let short = n.name.rsplit('.').next().unwrap_or(&n.name);
    pointer.split(['.', '/', ' ', '#']).any(|seg| seg == short)
}

fn locate<'g>(ix: &Index<'g>, d: &SpecDiff, c: &Change) -> Option<Located<'g>> {
    let loc = c.old.as_ref().or(c.new.as_ref())?;
    let pointer = loc.pointer.as_str();
    let in_file = |n: &&Node| {
        n.prov.repo == d.repo
            && (n.prov.path == d.path
                || c.old.as_ref().is_some_and(|o| o.path == n.prov.path)
                || c.new.as_ref().is_some_and(|o| o.path == n.prov.path))
    };
    let kinds = [NodeKind::Field, NodeKind::Operation, NodeKind::DataType];
    // The graph may hold either version: try the old line, then the new one,
    // and keep the innermost element only if the pointer names it.
    for l in [c.old.as_ref(), c.new.as_ref()].into_iter().flatten() {
        let Some(line) = l.line else { continue };
        let mut best: Option<(&Node, u32, usize)> = None;
        for (rank, k) in kinds.iter().enumerate() {
            for n in ix.graph.nodes_of_kind(*k).filter(in_file) {
                let Some(s) = n.prov.span else { continue };
                if s.start_line <= line && line <= s.end_line && named_in(pointer, n) {
                    let width = s.end_line - s.start_line;
                    if best.is_none_or(|b| (width, rank) < (b.1, b.2)) {
                        best = Some((n, width, rank));
                    }
                }
            }
        }
        if let Some((n, _, _)) = best {
            if n.kind == NodeKind::Field || !last_is_field_of(ix, pointer, n) {
                return Some(Located { node: n, removed_field: None });
            }
        }
    }
    // By pointer: the last segment, else a removed field of a named type.
    let last = pointer.rsplit(['.', '/']).next().unwrap_or("");
    if last.is_empty() {
        return None;
    }
    let segs: Vec<&str> = pointer.split(['.', '/', ' ']).collect();
    for t in ix.graph.nodes_of_kind(NodeKind::DataType).filter(in_file) {
        let short = t.name.rsplit('.').next().unwrap_or(&t.name);
        if !segs.contains(&short) {
            continue;
        }
        if let Some(f) = ix.fields_of(t).into_iter().find(|f| f.name == last || wire_name(f) == last) {
            return Some(Located { node: f, removed_field: None });
        }
        if segs.last() == Some(&last) && short != last {
            return Some(Located { node: t, removed_field: Some(last.to_string()) });
        }
    }
    ix.graph
        .nodes_of_kind(NodeKind::Operation)
        .filter(in_file)
        .find(|n| n.name == last || named_in(pointer, n))
        .map(|n| Located { node: n, removed_field: None })
}

/// Whether the pointer goes on past a type to one of its fields (`...Order.created_at`).
fn last_is_field_of(ix: &Index<'_>, pointer: &str, n: &Node) -> bool {
    if n.kind != NodeKind::DataType {
        return false;
    }
    let short = n.name.rsplit('.').next().unwrap_or(&n.name);
    let last = pointer.rsplit(['.', '/']).next().unwrap_or("");
    last != short && !ix.fields_of(n).is_empty()
}

/// Names a consumer may use for a proto field that is gone: the generated accessors, mangled.
fn mangled(name: &str) -> Vec<String> {
    let words = brain_model::text::split_words(name);
    let pascal: String = words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect();
    let mut camel = pascal.clone();
    if let Some(f) = camel.get(..1).map(str::to_ascii_lowercase) {
        camel.replace_range(..1, &f);
    }
    vec![name.to_string(), format!("Get{pascal}"), format!("get{pascal}"), pascal, camel]
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

fn consumers_of(ix: &Index<'_>, target: &Node, removed_field: Option<&str>) -> Vec<Evidence> {
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
    let field_like = target.kind == NodeKind::Field || removed_field.is_some();
    let names: Vec<String> = if let Some(name) = removed_field {
        mangled(name)
    } else if target.kind == NodeKind::Field {
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
    // Reads and writes the flow analysis linked through the value's type: the field itself,
    // or (for a field the graph no longer has) reads that now miss on its type.
    if target.kind == NodeKind::Field {
        for e in ix.graph.incoming(&target.id) {
            if matches!(e.edge.kind, EdgeKind::ReadsField | EdgeKind::WritesField) {
                let what = if e.edge.kind == EdgeKind::ReadsField { "reads" } else { "writes" };
                let name = e.edge.attr(brain_model::tyref::NAME).unwrap_or(&target.name);
                push(ix.at(
                    "consumer",
                    &e.edge.prov.repo,
                    &e.edge.prov.path,
                    e.edge.prov.span.map(|s| s.start_line),
                    Some(&e.other.id),
                    format!("{what} `{name}`"),
                ));
            }
        }
    }
    if let Some(removed) = removed_field {
        let names = mangled(removed);
        for m in ix.flow_misses.iter().filter(|m| m.ty.id == target.id) {
            if names.contains(&m.name) || canonical_name(&m.name) == canonical_name(removed) {
                push(ix.at("consumer", &m.repo, &m.path, m.line, Some(&m.from), format!("reads `{}`", m.name)));
            }
        }
    }
    // Consumer types decoded from a payload that carries the field.
    if field_like {
        let owner_ids: Vec<&NodeId> = if removed_field.is_some() {
            vec![&target.id]
        } else {
            ix.graph.incoming(&target.id).filter(|e| e.edge.kind == EdgeKind::HasField).map(|e| &e.other.id).collect()
        };
        let wire = removed_field.unwrap_or_else(|| wire_name(target));
        for (boundary, bs) in &ix.bindings {
            if !ix.producer_types(boundary).iter().any(|t| owner_ids.contains(&&t.id)) {
                continue;
            }
            for b in bs.iter().filter(|b| b.role == "decode") {
                for cf in ix.fields_of(b.ty) {
                    if wire_name(cf) == wire {
                        push(ix.node_evidence("consumer", cf, format!("{}.{} declares it", b.ty.name, cf.name)));
                    }
                }
            }
        }
    }
    for ((repo, path), links) in &ix.links_by_file {
        let linked: Vec<_> = links.iter().filter(|l| ops.iter().any(|o| o.id == l.op.id)).collect();
        if linked.is_empty() {
            continue;
        }
        if !field_like {
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
        let owner_types: Vec<&Node> = if removed_field.is_some() {
            vec![target]
        } else {
            ix.graph.incoming(&target.id).filter(|e| e.edge.kind == EdgeKind::HasField).map(|e| e.other).collect()
        };
        let wire = removed_field.unwrap_or_else(|| wire_name(target));
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
                    if wire_name(cf) == wire {
                        push(ix.node_evidence("consumer", cf, format!("{}.{} declares it", ct.name, cf.name)));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_extension_or_top_level_key() {
        assert_eq!(SpecFormat::detect("a/b.proto", ""), Some(SpecFormat::Proto));
        assert_eq!(SpecFormat::detect("schema.graphqls", ""), Some(SpecFormat::Graphql));
        assert_eq!(SpecFormat::detect("x.yaml", "asyncapi: 2.6.0\n"), Some(SpecFormat::AsyncApi));
        assert_eq!(
            SpecFormat::detect("x.yaml", "openapi: 3.0.3\ninfo:\n  description: not asyncapi\n"),
            Some(SpecFormat::OpenApi)
        );
        assert_eq!(SpecFormat::detect("x.json", "{\n  \"swagger\": \"2.0\"\n}"), Some(SpecFormat::OpenApi));
        assert_eq!(SpecFormat::detect("x.yaml", "kind: Deployment\n"), None);
    }
}
