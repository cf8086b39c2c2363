//! Consumer data shapes (structs, interfaces, models the consumer decodes a
//! payload into) against the producer's type, field by wire name.
//!
//! Pairing is by data flow, not by name: the code ingestor's flow analysis
//! binds a consumer's own type to the boundary its payload came through
//! (`json.Unmarshal(msg.Value, &evt)` on a subscription to `orders.placed`,
//! `axios.get<Order>(url)`, `@KafkaListener void on(OrderEvent e)`), and a
//! producer's type to the boundary it sends on (a route handler's response, a
//! published struct or literal). The consumer type is compared with the
//! contract's payload type when a spec declares one, else with the types
//! producers were seen sending. A pair with no wire name in common is left
//! alone (the binding is more likely wrong than every field drifting).

use crate::index::{boundary_of, is_generated, is_guaranteed, wire_name, Index};
use crate::model::{finding_id, Evidence, Finding, Rule, Severity};
use crate::types::{category, compatible};
use brain_model::text::canonical_name;
use brain_model::{attr, tyref, Node};
use std::collections::BTreeSet;

/// Runs the shape checks.
pub fn check(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut done: BTreeSet<(String, String)> = BTreeSet::new();
    for (boundary, bs) in &ix.bindings {
        let producers = ix.producer_types(boundary);
        if producers.is_empty() {
            continue;
        }
        let b = tyref::Bnd::decode(boundary);
        let ops = b.as_ref().map(|b| ix.boundary_nodes(b)).unwrap_or_default();
        let display = ops.first().map(|o| boundary_of(o)).unwrap_or_else(|| b.map(|b| b.key).unwrap_or_default());
        for bnd in bs.iter().filter(|b| b.role == "decode") {
            let ct = bnd.ty;
            if is_generated(ix.graph, ct) || ix.is_contract_type(ct) {
                continue;
            }
            // The producer type sharing the most wire names; originals before copies.
            let best = producers
                .iter()
                .filter(|pt| pt.id != ct.id)
                .map(|pt| (*pt, exact_matches(ix, ct, pt)))
                .max_by_key(|(pt, n)| (*n, !ix.in_copy(pt)));
            let Some((pt, _)) = best else { continue };
            if !done.insert((ct.id.0.to_string(), pt.id.0.to_string())) {
                continue;
            }
            let related: Vec<Evidence> =
                ops.iter().take(1).map(|o| ix.node_evidence("contract", o, o.name.clone())).collect();
            compare(ix, &display, related, ct, pt, out);
        }
    }
}

fn exact_matches(ix: &Index<'_>, ct: &Node, pt: &Node) -> usize {
    let pfields = ix.fields_of(pt);
    ix.fields_of(ct).iter().filter(|c| pfields.iter().any(|p| wire_name(p) == wire_name(c))).count()
}

fn compare(ix: &Index<'_>, boundary: &str, related: Vec<Evidence>, ct: &Node, pt: &Node, out: &mut Vec<Finding>) {
    let cfields = ix.fields_of(ct);
    let pfields = ix.fields_of(pt);
    let exact = exact_matches(ix, ct, pt);
    let near = cfields
        .iter()
        .filter(|c| pfields.iter().any(|p| canonical_name(wire_name(p)) == canonical_name(wire_name(c))))
        .count();
    if exact == 0 && near == 0 {
        return;
    }
    let boundary = boundary.to_string();
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
                    related: related.clone(),
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
                    related: related.clone(),
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
                related: related.clone(),
                fix: format!(
                    "map `{}` to the wire name `{pw}` (serde `#[serde(rename = \"{pw}\")]`, Go tag `json:\"{pw}\"`, pydantic `Field(alias=\"{pw}\")`, `@JsonProperty(\"{pw}\")`, or rename the TS property)",
                    cf.name
                ),
            });
            continue;
        }
        if exact < missing {
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
            related: related.clone(),
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
