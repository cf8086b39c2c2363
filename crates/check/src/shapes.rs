//! Consumer data shapes (structs, interfaces, models the consumer decodes a
//! payload into) against the producer's schema, field by wire name.
//!
//! Pairing: the consumer type is declared in the consuming file or a file it
//! imports (or the consuming symbol uses it, a code `UsesType` edge), in the
//! consumer's repo, is not generated code, and has the same
//! canonical name as the payload type of the operation or topic that file
//! consumes (`Order` for `#/components/schemas/Order`). A pair is compared
//! only when at least two wire names agree exactly, so two unrelated types
//! that share a name are left alone.

use crate::index::{boundary_of, is_generated, is_guaranteed, wire_name, Index, Link};
use crate::model::{finding_id, Finding, Rule, Severity};
use crate::types::{category, compatible};
use brain_model::text::canonical_name;
use brain_model::{attr, EdgeKind, Node, NodeKind};
use std::collections::BTreeSet;

/// Runs the shape checks.
pub fn check(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut done: BTreeSet<(String, String)> = BTreeSet::new();
    for ((repo, path), links) in &ix.links_by_file {
        let mut files = vec![(repo.clone(), path.clone())];
        files.extend(ix.imported_files(repo, path).into_iter().filter(|(r, _)| r == repo));
        let mut consumer_types: Vec<&Node> = files.iter().flat_map(|(r, p)| ix.types_in_file(r, p)).collect();
        // Types the consuming symbols use (`UsesType` from code), wherever the repo declares them.
        for l in links {
            for e in ix.graph.outgoing(&l.consumer.id) {
                if e.edge.kind == EdgeKind::UsesType
                    && e.other.kind == NodeKind::DataType
                    && e.other.prov.repo == *repo
                    && !consumer_types.iter().any(|t| t.id == e.other.id)
                {
                    consumer_types.push(e.other);
                }
            }
        }
        consumer_types.retain(|t| !is_generated(ix.graph, t));
        if consumer_types.is_empty() {
            continue;
        }
        // Each consumer type is compared with one producer type: the best pairing over the file's links.
        for ct in &consumer_types {
            let mut best: Option<(&Link, &Node, (bool, usize))> = None;
            for link in links {
                if link.op.attr(attr::PROTOCOL) == Some("grpc") {
                    continue;
                }
                for pt in ix.payload_types(link.op) {
                    let pname = canonical_name(pt.name.rsplit('.').next().unwrap_or(&pt.name));
                    if ct.prov.repo == pt.prov.repo || canonical_name(&ct.name) != pname {
                        continue;
                    }
                    let exact = exact_matches(ix, ct, pt);
                    let key = (!ix.in_copy(pt), exact);
                    if best.as_ref().is_none_or(|b| key > b.2) {
                        best = Some((link, pt, key));
                    }
                }
            }
            if let Some((link, pt, _)) = best {
                if done.insert((ct.id.0.to_string(), pt.id.0.to_string())) {
                    compare(ix, link, ct, pt, out);
                }
            }
        }
    }
}

fn exact_matches(ix: &Index<'_>, ct: &Node, pt: &Node) -> usize {
    let pfields = ix.fields_of(pt);
    ix.fields_of(ct).iter().filter(|c| pfields.iter().any(|p| wire_name(p) == wire_name(c))).count()
}

fn compare(ix: &Index<'_>, link: &Link<'_>, ct: &Node, pt: &Node, out: &mut Vec<Finding>) {
    let cfields = ix.fields_of(ct);
    let pfields = ix.fields_of(pt);
    let exact = exact_matches(ix, ct, pt);
    if exact < 2 {
        return;
    }
    let boundary = boundary_of(link.op);
    let missing = cfields
        .iter()
        .filter(|c| {
            let w = canonical_name(wire_name(c));
            !pfields.iter().any(|p| canonical_name(wire_name(p)) == w)
        })
        .count();
    for cf in &cfields {
        let cw = wire_name(cf);
        let consumer =
            ix.node_evidence("consumer", cf, format!("{}.{cw}: {}", ct.name, cf.attr(attr::TYPE).unwrap_or("?")));
        if let Some(pf) = pfields.iter().find(|p| wire_name(p) == cw) {
            let producer = ix.node_evidence("producer", pf, pdetail(pf));
            let (cc, pc) = (category(cf.attr(attr::TYPE).unwrap_or("")), category(pf.attr(attr::TYPE).unwrap_or("")));
            if !compatible(cc, pc) {
                let id = finding_id(Rule::TypeDrift, &[&consumer.location(), &producer.location()]);
                out.push(Finding {
                    id,
                    rule: Rule::TypeDrift.id().into(),
                    severity: Severity::Error,
                    message: format!(
                        "`{}.{cw}` is {} in the consumer ({}) but {} in the producer's schema on {boundary}",
                        ct.name,
                        cc.as_str(),
                        consumer.location(),
                        pc.as_str()
                    ),
                    boundary: Some(boundary.clone()),
                    producer: Some(producer.clone()),
                    consumer: Some(consumer.clone()),
                    related: vec![ix.node_evidence("contract", link.op, link.op.name.clone())],
                    fix: format!(
                        "declare `{cw}` as {} (`{}`) at {}",
                        pc.as_str(),
                        pf.attr(attr::TYPE).unwrap_or("?"),
                        consumer.location()
                    ),
                });
            }
            let consumer_requires = cf.attr(attr::REQUIRED) == Some("true") && cf.attr(attr::NULLABLE) != Some("true");
            if consumer_requires && !is_guaranteed(pf) {
                let id = finding_id(Rule::OptionalityDrift, &[&consumer.location(), &producer.location()]);
                out.push(Finding {
                    id,
                    rule: Rule::OptionalityDrift.id().into(),
                    severity: Severity::Warning,
                    message: format!(
                        "`{}.{cw}` is required by the consumer ({}) but the producer may omit it on {boundary} ({})",
                        ct.name,
                        consumer.location(),
                        producer.location()
                    ),
                    boundary: Some(boundary.clone()),
                    producer: Some(producer),
                    consumer: Some(consumer),
                    related: vec![ix.node_evidence("contract", link.op, link.op.name.clone())],
                    fix: format!(
                        "make `{cw}` optional in the consumer (Option<..>, `?`, `| None`, omitempty) at the consumer, or make the producer guarantee it"
                    ),
                });
            }
            continue;
        }
        let canon = canonical_name(cw);
        if let Some(pf) = pfields.iter().find(|p| canonical_name(wire_name(p)) == canon) {
            let pw = wire_name(pf);
            let producer = ix.node_evidence("producer", pf, pdetail(pf));
            let id = finding_id(Rule::FieldCasingDrift, &[&consumer.location(), cw, &producer.location(), &boundary]);
            out.push(Finding {
                id,
                rule: Rule::FieldCasingDrift.id().into(),
                severity: Severity::Error,
                message: format!(
                    "`{}` declares `{cw}` ({}) but the producer's wire name on {boundary} is `{pw}`: the field is never filled",
                    ct.name,
                    consumer.location()
                ),
                boundary: Some(boundary.clone()),
                producer: Some(producer),
                consumer: Some(consumer),
                related: vec![ix.node_evidence("contract", link.op, link.op.name.clone())],
                fix: format!(
                    "map `{}` to the wire name `{pw}` (serde `#[serde(rename = \"{pw}\")]`, Go tag `json:\"{pw}\"`, pydantic `Field(alias=\"{pw}\")`, `@JsonProperty(\"{pw}\")`, or rename the TS property)",
                    cf.name
                ),
            });
            continue;
        }
        if exact <= missing {
            continue;
        }
        let producer = ix.node_evidence("producer", pt, format!("type `{}`", pt.name));
        let required = cf.attr(attr::REQUIRED) == Some("true");
        let id = finding_id(Rule::ConsumerFieldMissing, &[&consumer.location(), cw, &producer.location(), &boundary]);
        out.push(Finding {
            id,
            rule: Rule::ConsumerFieldMissing.id().into(),
            severity: if required { Severity::Error } else { Severity::Warning },
            message: format!(
                "`{}` expects `{cw}` ({}) but `{}` on {boundary} has no such field{}",
                ct.name,
                consumer.location(),
                pt.name,
                if required { "; decoding fails or the value is always empty" } else { "; it is always absent" }
            ),
            boundary: Some(boundary.clone()),
            producer: Some(producer),
            consumer: Some(consumer),
            related: vec![ix.node_evidence("contract", link.op, link.op.name.clone())],
            fix: format!(
                "remove `{cw}` from `{}` or add it to `{}` in the producer's contract first",
                ct.name, pt.name
            ),
        });
    }
}

fn pdetail(f: &Node) -> String {
    let req = if is_guaranteed(f) { "required" } else { "optional" };
    format!("{}: {} ({req})", wire_name(f), f.attr(attr::TYPE).unwrap_or("?"))
}
