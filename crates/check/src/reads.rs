//! Consumer field reads against the producer type they were resolved to.
//!
//! Pairing is by type, never by name: the flow analysis of the code ingestor
//! follows the value a read is made on back to where it came from (a gRPC
//! response, an HTTP response body, a message on a topic, a GraphQL result, a
//! declared contract type), and its link pass resolves that to a type in the
//! graph. A read whose type resolved but whose name is no field of it arrives
//! here as a [`FlowMiss`]:
//!
//! * a name equal to a field's up to casing (`createdAt` for `created_at`) is
//!   `field-casing-drift`;
//! * any other name is `consumer-field-missing`, when the type is a contract's
//!   (spec, proto, GraphQL schema) or one a producer was seen sending, and the
//!   read is not the consumer's own type (its own struct has the fields it has);
//! * for untyped reads of a payload (`data["x"]`, `event.x` on parsed JSON) a
//!   lone miss among reads that all agree with the type is reported; several
//!   misses with no agreeing read suggest the value is not that payload, and
//!   are left alone. Typed accessors (`GetX()`, `getX()`, GraphQL selections)
//!   need no such guard: the name is checked against a schema the code was
//!   generated from.
//!
//! Resolved reads that subscript a field the producer may omit (`event["x"]`
//! in Python, which raises when the key is absent) are `optionality-drift`.

use crate::index::{boundary_of, is_guaranteed, wire_name, FlowMiss, Index};
use crate::model::{finding_id, Evidence, Finding, Rule, Severity};
use brain_model::{attr, tyref, EdgeKind, Node, NodeId, NodeKind};
use std::collections::BTreeMap;

/// Runs the read checks.
pub fn check(ix: &Index<'_>, out: &mut Vec<Finding>) {
    // Misses per (reader, type): several misses with nothing agreeing is a pairing doubt.
    let mut misses_per: BTreeMap<(NodeId, NodeId), usize> = BTreeMap::new();
    for m in &ix.flow_misses {
        *misses_per.entry((m.from.clone(), m.ty.id.clone())).or_default() += 1;
    }
    for m in &ix.flow_misses {
        if !checkable(ix, m) {
            continue;
        }
        match m.casing {
            Some(f) => out.push(casing_finding(ix, m, f)),
            None => {
                // `x.foo()` may be a method as well as a field: only positive links count.
                if m.access == "call" {
                    continue;
                }
                let strong = matches!(m.access.as_str(), "select" | "getter" | "setter");
                let agree = ix.flow_hits.get(&(m.from.clone(), m.ty.id.clone())).copied().unwrap_or(0);
                let misses = misses_per.get(&(m.from.clone(), m.ty.id.clone())).copied().unwrap_or(0);
                if strong || agree > 0 || misses == 1 {
                    out.push(missing_finding(ix, m));
                }
            }
        }
    }
    strict_optional_reads(ix, out);
}

/// Whether a miss is a contract question at all.
fn checkable(ix: &Index<'_>, m: &FlowMiss<'_>) -> bool {
    let t = m.ty;
    if ix.fields_of(t).is_empty() || ignorable(&m.name) {
        return false;
    }
    let contract = ix.is_contract_type(t);
    if !contract && !ix.is_sent_type(t) {
        return false;
    }
    // A consumer's own code type knows its own fields.
    !(!contract && &*t.prov.repo == m.repo.as_str() && m.via.is_none())
}

/// Members every value has in its language: not payload fields.
fn ignorable(name: &str) -> bool {
    matches!(
        name,
        "length"
            | "size"
            | "toString"
            | "keys"
            | "values"
            | "items"
            | "map"
            | "filter"
            | "forEach"
            | "then"
            | "catch"
            | "get"
            | "has"
            | "push"
            | "json"
            | "text"
            | "status"
            | "statusCode"
            | "status_code"
            | "ok"
            | "headers"
            | "constructor"
            | "prototype"
            | "__typename"
            | "hasOwnProperty"
            | "String"
            | "Error"
    ) || name.starts_with("__")
}

fn read_text(m: &FlowMiss<'_>) -> String {
    if let Some(t) = &m.text {
        return t.clone();
    }
    match m.access.as_str() {
        "index" => format!("[\"{}\"]", m.name),
        "getter" | "call" => format!("{}()", m.name),
        "select" => format!("{{ {} }}", m.name),
        _ => format!(".{}", m.name),
    }
}

fn consumer_evidence(ix: &Index<'_>, m: &FlowMiss<'_>) -> Evidence {
    ix.at("consumer", &m.repo, &m.path, m.line, Some(&m.from), read_text(m))
}

/// The boundary a read's type belongs to, for messages.
fn boundary_name(ix: &Index<'_>, m: &FlowMiss<'_>) -> String {
    if let Some(b) = m.via.as_deref().and_then(tyref::Bnd::decode) {
        if let Some(op) = ix.boundary_nodes(&b).first() {
            return boundary_of(op);
        }
        return b.key;
    }
    format!("type `{}`", qualified(m.ty))
}

fn qualified(t: &Node) -> &str {
    t.attr(attr::QUALIFIED_NAME).unwrap_or(&t.name)
}

fn field_detail(f: &Node) -> String {
    let ty = f.attr(attr::TYPE).unwrap_or("?");
    let req = if is_guaranteed(f) { "required" } else { "optional" };
    format!("{}: {ty} ({req})", wire_name(f))
}

fn casing_finding(ix: &Index<'_>, m: &FlowMiss<'_>, f: &Node) -> Finding {
    let boundary = boundary_name(ix, m);
    let producer = ix.node_evidence("producer", f, field_detail(f));
    let consumer = consumer_evidence(ix, m);
    let wire = f.attr("proto_name").unwrap_or_else(|| wire_name(f)).to_string();
    let message = format!(
        "{} reads `{}` but `{}` names it `{wire}` (same name, different casing): the value never arrives{}",
        consumer.location(),
        m.name,
        qualified(m.ty),
        if is_guaranteed(f) { "; the producer always sends it, so every message or response hits this" } else { "" }
    );
    let fix = if m.access == "select" {
        format!("select `{wire}` (the schema's name) at {}", consumer.location())
    } else {
        // The read as it should be written: `event["createdAt"]` becomes `event["created_at"]`.
        let fixed =
            m.text.as_deref().filter(|t| t.contains(m.name.as_str())).map(|t| t.replace(m.name.as_str(), &wire));
        format!(
            "read `{}` (the producer's name) at {}, or map it in the consumer's type (serde rename, json tag, pydantic alias, @JsonProperty)",
            fixed.unwrap_or_else(|| wire.clone()),
            consumer.location()
        )
    };
    let id = finding_id(Rule::FieldCasingDrift, &[&consumer.location(), &m.name, &producer.location(), &boundary]);
    Finding {
        id,
        rule: Rule::FieldCasingDrift.id().into(),
        severity: Severity::Error,
        message,
        boundary: Some(boundary),
        producer: Some(producer),
        consumer: Some(consumer),
        related: {
            let mut v = vec![contract_evidence(ix, m)];
            if let Some(code) = producer_code(ix, m, f) {
                let detail = format!("{}: {} (producer code)", wire, code.attr(attr::TYPE).unwrap_or("?"));
                v.insert(0, ix.node_evidence("producer-code", code, detail));
            }
            v
        },
        fix,
    }
}

/// The contract the read is checked against: the operation (or the contract operation publishing
/// the topic) the value came through, else the type.
fn contract_evidence(ix: &Index<'_>, m: &FlowMiss<'_>) -> Evidence {
    let op = m.via.as_deref().and_then(tyref::Bnd::decode).and_then(|b| ix.boundary_nodes(&b).into_iter().next());
    let op = op.map(|op| {
        if op.kind == NodeKind::Topic {
            ix.graph
                .incoming(&op.id)
                .find(|e| e.edge.kind == EdgeKind::Publishes && e.other.kind == NodeKind::Operation)
                .map(|e| e.other)
                .unwrap_or(op)
        } else {
            op
        }
    });
    match op {
        Some(op) => ix.node_evidence("contract", op, op.name.clone()),
        None => ix.node_evidence("contract", m.ty, format!("type `{}`", qualified(m.ty))),
    }
}

/// The producer's own code field behind a contract field the read drifts from: a type a producer
/// sends on the read's boundary, else the code type of the same name in a producing repository.
fn producer_code<'g>(ix: &Index<'g>, m: &FlowMiss<'_>, f: &Node) -> Option<&'g Node> {
    if !ix.is_contract_type(m.ty) {
        return None;
    }
    let wire = wire_name(f);
    if let Some(b) = &m.via {
        for bnd in ix.bindings.get(b).into_iter().flatten().filter(|b| b.role == "encode") {
            if let Some(cf) = ix.fields_of(bnd.ty).into_iter().find(|cf| wire_name(cf) == wire) {
                return Some(cf);
            }
        }
        let op = tyref::Bnd::decode(b).and_then(|b| ix.boundary_nodes(&b).into_iter().next())?;
        let op = if op.kind == NodeKind::Topic {
            ix.graph
                .incoming(&op.id)
                .find(|e| e.edge.kind == EdgeKind::Publishes && e.other.kind == NodeKind::Operation)
                .map(|e| e.other)
                .unwrap_or(op)
        } else {
            op
        };
        return ix.producer_code_field(op, f);
    }
    None
}

fn missing_finding(ix: &Index<'_>, m: &FlowMiss<'_>) -> Finding {
    let boundary = boundary_name(ix, m);
    let t = m.ty;
    let producer = ix.node_evidence("producer", t, format!("type `{}`", qualified(t)));
    let consumer = consumer_evidence(ix, m);
    let field = match m.access.as_str() {
        "getter" | "setter" => {
            let stripped = ["get", "Get", "set", "Set", "has", "Has", "is"]
                .iter()
                .find_map(|p| m.name.strip_prefix(p).filter(|r| !r.is_empty()))
                .unwrap_or(&m.name);
            brain_model::text::canonical_name(stripped)
        }
        _ => m.name.clone(),
    };
    let message = if m.access == "select" {
        format!(
            "{} selects `{}` on `{}`, but the schema type has no such field; the query fails validation",
            consumer.location(),
            m.name,
            qualified(t)
        )
    } else {
        format!(
            "{} reads `{}` from {boundary}, but `{}` has no field `{field}`",
            consumer.location(),
            m.name,
            qualified(t)
        )
    };
    let fix = format!(
        "remove or guard the read of `{}` at {}, or add `{field}` to `{}` in the producer's contract first",
        m.name,
        consumer.location(),
        qualified(t)
    );
    let id = finding_id(Rule::ConsumerFieldMissing, &[&consumer.location(), &m.name, &producer.location(), &boundary]);
    Finding {
        id,
        rule: Rule::ConsumerFieldMissing.id().into(),
        severity: Severity::Error,
        message,
        boundary: Some(boundary),
        producer: Some(producer),
        consumer: Some(consumer),
        related: Vec::new(),
        fix,
    }
}

/// `event["coupon_code"]` in Python raises `KeyError` when the producer leaves the field out.
fn strict_optional_reads(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for e in ix.graph.edges() {
        if e.kind != EdgeKind::ReadsField || &*e.prov.ingestor != "flow" || e.attr(tyref::ACCESS) != Some("index") {
            continue;
        }
        let (Some(reader), Some(f)) = (ix.graph.node(&e.from), ix.graph.node(&e.to)) else { continue };
        // A required key is always there, even when its value may be null (`paid_at: null`):
        // the subscript cannot raise KeyError.
        if f.kind != NodeKind::Field || f.attr(attr::REQUIRED) == Some("true") {
            continue;
        }
        if ix.language(&e.prov.repo, &e.prov.path) != "python" {
            continue;
        }
        let Some(owner) = ix.graph.incoming(&f.id).find(|x| x.edge.kind == EdgeKind::HasField).map(|x| x.other) else {
            continue;
        };
        if !ix.is_contract_type(owner) && !ix.is_sent_type(owner) {
            continue;
        }
        // A producer's own type that always sends the field (a Go struct field without
        // `omitempty`) beats a spec that merely does not list it as required.
        if always_sent_by_producer_code(ix, owner, f) {
            continue;
        }
        let line = e.prov.span.map(|s| s.start_line);
        let name = e.attr(tyref::NAME).unwrap_or(&f.name);
        let consumer = ix.at("consumer", &e.prov.repo, &e.prov.path, line, Some(&reader.id), format!("[\"{name}\"]"));
        let producer = ix.node_evidence("producer", f, field_detail(f));
        let id = finding_id(Rule::OptionalityDrift, &[&consumer.location(), name, &producer.location()]);
        out.push(Finding {
            id,
            rule: Rule::OptionalityDrift.id().into(),
            severity: Severity::Warning,
            message: format!(
                "{} subscripts `{name}`, which `{}` may leave out ({}); the lookup raises KeyError when it does",
                consumer.location(),
                qualified(owner),
                producer.location()
            ),
            boundary: Some(format!("type `{}`", qualified(owner))),
            producer: Some(producer),
            consumer: Some(consumer.clone()),
            related: Vec::new(),
            fix: format!("use `.get(\"{name}\")` at {} (or make the producer always send it)", consumer.location()),
        });
    }
}

/// Whether a producer was seen sending a code type that mirrors `owner` (same name, or `owner`
/// itself) with the field required: it is always on the wire, whatever the spec says.
fn always_sent_by_producer_code(ix: &Index<'_>, owner: &Node, f: &Node) -> bool {
    let name = brain_model::text::canonical_name(owner.name.rsplit('.').next().unwrap_or(&owner.name));
    let wire = wire_name(f);
    ix.bindings.values().flatten().filter(|b| b.role == "encode").any(|b| {
        (b.ty.id == owner.id || brain_model::text::canonical_name(&b.ty.name) == name)
            && ix.fields_of(b.ty).iter().any(|cf| wire_name(cf) == wire && cf.attr(attr::REQUIRED) == Some("true"))
    })
}

/// Whether a read with this access sees wire (or generated binding) names (kept for the breaking-change rule).
pub(crate) fn compares(lang: &str, access: &str, grpc: bool) -> bool {
    match access {
        "index" => true,
        "getter" => grpc,
        "member" => grpc || matches!(lang, "typescript" | "javascript"),
        _ => false,
    }
}
