//! Consumer field reads against the producer payload they are paired with.
//!
//! Pairing (no name similarity): a read belongs to the payload of an
//! operation, rpc or topic that the *same symbol* consumes or subscribes to;
//! failing that, one that *a symbol of the same file* consumes (the common
//! split between `build_consumer()` and `handle_event(event)`). Reads are
//! grouped by `(symbol, receiver)`, and a group counts as reading the
//! payload only when enough of its keys are the payload's own wire names:
//!
//! * same symbol: at least one exact match, or only casing matches (a lone
//!   `resp.GetTransactionID()` next to the `Charge` call);
//! * same file: at least two exact matches, or one exact and one casing match.
//!
//! Only reads that see wire names are compared: index access
//! (`event["x"]`, `.get("x")`) in every language, member access in
//! JavaScript/TypeScript (parsed JSON), and, for gRPC payloads, the
//! generated accessors of each language (`GetProductId()`, `getProductId()`,
//! `ProductId`, `product_id`, `productId`). Python attribute access on an
//! HTTP or event payload reads a model's attribute, not a wire name, and is
//! not compared. Within an accepted group a key is casing drift when its
//! canonical form equals a payload field's (`createdAt` ~ `created_at`), and
//! missing when it matches nothing — reported only when the group's exact
//! matches outnumber its unknown keys.
//!
//! GraphQL documents are checked exactly: every selected field must exist
//! on the schema type at its selection path.

use crate::index::{boundary_of, is_guaranteed, Index, Link, PayloadField, Read, BINDING_ATTRS};
use crate::model::{finding_id, Finding, Rule, Severity};
use brain_model::text::canonical_name;
use brain_model::{attr, NodeId, NodeKind};
use std::collections::BTreeMap;

/// Runs the read checks.
pub fn check(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for ((repo, path), links) in &ix.links_by_file {
        let Some(reads) = ix.reads_by_file.get(&(repo.clone(), path.clone())) else { continue };
        let lang = ix.language(repo, path);
        if lang == "graphql" {
            graphql_reads(ix, links, reads, out);
            continue;
        }
        // Group reads by (symbol, receiver).
        let mut groups: BTreeMap<(NodeId, String), Vec<&Read>> = BTreeMap::new();
        for r in reads {
            groups.entry((r.from.clone(), r.receiver.clone())).or_default().push(r);
        }
        for ((from, _receiver), group) in groups {
            let same_symbol: Vec<&Link> = links.iter().filter(|l| l.consumer.id == from).collect();
            let (cands, strong) =
                if same_symbol.is_empty() { (links.iter().collect::<Vec<_>>(), false) } else { (same_symbol, true) };
            check_group(ix, &lang, &cands, strong, &group, out);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Exact,
    Casing(usize),
    Missing,
}

/// `(candidate index, (read index, class) per compared read, exact matches)`.
type Scored = (usize, Vec<(usize, Class)>, usize);

struct Candidate<'a, 'g> {
    link: &'a Link<'g>,
    fields: Vec<PayloadField<'g>>,
    grpc: bool,
}

fn check_group(ix: &Index<'_>, lang: &str, links: &[&Link<'_>], strong: bool, group: &[&Read], out: &mut Vec<Finding>) {
    let cands: Vec<Candidate> = links
        .iter()
        .filter_map(|l| {
            let types = ix.payload_types(l.op);
            if types.is_empty() {
                return None;
            }
            let fields = ix.payload_fields(&types);
            if fields.is_empty() {
                return None;
            }
            let grpc = l.op.attr(attr::PROTOCOL) == Some("grpc");
            Some(Candidate { link: l, fields, grpc })
        })
        .collect();
    if cands.is_empty() {
        return;
    }
    let mut cands = cands;
    // Originals before vendored copies, other repos' contracts before the consumer's own.
    cands.sort_by_key(|c| {
        (ix.in_copy(c.link.op), c.link.op.prov.repo == c.link.consumer.prov.repo, c.link.op.id.clone())
    });
    // Best candidate: the most exact matches.
    let mut best: Option<Scored> = None;
    for (ci, c) in cands.iter().enumerate() {
        let mut classes = Vec::new();
        let mut exact = 0;
        for (ri, r) in group.iter().enumerate() {
            if !compares(lang, &r.access, c.grpc) {
                continue;
            }
            let cl = classify(&r.key, &r.access, &c.fields, c.grpc);
            if cl == Class::Exact {
                exact += 1;
            }
            classes.push((ri, cl));
        }
        if best.as_ref().is_none_or(|b| exact > b.2) {
            best = Some((ci, classes, exact));
        }
    }
    let Some((ci, classes, exact)) = best else { return };
    let casing = classes.iter().filter(|(_, c)| matches!(c, Class::Casing(_))).count();
    let missing = classes.iter().filter(|(_, c)| *c == Class::Missing).count();
    let accepted =
        if strong { exact >= 1 || (casing >= 1 && missing == 0) } else { exact >= 2 || (exact >= 1 && casing >= 1) };
    if !accepted {
        return;
    }
    for (ri, cl) in classes {
        let r = group[ri];
        if cl == Class::Exact {
            continue;
        }
        // A key exact in another linked payload is fine; casing drift against any wins over missing.
        let mut casing_in: Option<(usize, usize)> = None;
        let mut exact_elsewhere = false;
        for (cj, c) in cands.iter().enumerate() {
            match classify(&r.key, &r.access, &c.fields, c.grpc) {
                Class::Exact => exact_elsewhere = true,
                Class::Casing(fi) if casing_in.is_none() => casing_in = Some((cj, fi)),
                _ => {}
            }
        }
        if exact_elsewhere {
            continue;
        }
        match casing_in {
            Some((cj, fi)) => out.push(casing_finding(ix, &cands[cj], &cands[cj].fields[fi], r)),
            None if exact > missing => out.push(missing_finding(ix, &cands[ci], r)),
            None => {}
        }
    }
}

/// Whether a read with this access sees wire (or generated binding) names.
pub(crate) fn compares(lang: &str, access: &str, grpc: bool) -> bool {
    match access {
        "index" => true,
        "getter" => grpc,
        "member" => grpc || matches!(lang, "typescript" | "javascript"),
        _ => false,
    }
}

fn names_of(f: &PayloadField, grpc: bool) -> Vec<String> {
    let mut v = vec![f.wire.clone()];
    if grpc {
        for a in BINDING_ATTRS {
            if let Some(n) = f.node.attr(a) {
                v.push(n.to_string());
            }
        }
        if let Some(g) = f.node.attr("go_name") {
            v.push(format!("Get{g}"));
        }
    }
    v
}

fn classify(key: &str, access: &str, fields: &[PayloadField], grpc: bool) -> Class {
    if fields.iter().any(|f| names_of(f, grpc).iter().any(|n| n == key)) {
        return Class::Exact;
    }
    let stripped = if access == "getter" {
        key.strip_prefix("get").or_else(|| key.strip_prefix("Get")).unwrap_or(key)
    } else {
        key
    };
    let canon = canonical_name(stripped);
    if canon.is_empty() {
        return Class::Missing;
    }
    // Prefer top-level fields for the casing partner.
    let mut idx: Vec<usize> = (0..fields.len()).collect();
    idx.sort_by_key(|i| !fields[*i].top);
    for i in idx {
        if canonical_name(&fields[i].wire) == canon {
            return Class::Casing(i);
        }
    }
    Class::Missing
}

fn read_text(r: &Read) -> String {
    match r.access.as_str() {
        "index" => format!("{}[\"{}\"]", r.receiver, r.key),
        "getter" => format!("{}.{}()", r.receiver, r.key),
        _ if r.receiver.is_empty() => r.key.clone(),
        _ => format!("{}.{}", r.receiver, r.key),
    }
}

fn field_detail(f: &brain_model::Node) -> String {
    let ty = f.attr(attr::TYPE).unwrap_or("?");
    let req = if is_guaranteed(f) { "required" } else { "optional" };
    format!("{}: {ty} ({req})", crate::index::wire_name(f))
}

fn casing_finding(ix: &Index<'_>, c: &Candidate, f: &PayloadField, r: &Read) -> Finding {
    let boundary = boundary_of(c.link.op);
    let producer = ix.node_evidence("producer", f.node, field_detail(f.node));
    let consumer = ix.at("consumer", &r.repo, &r.path, r.line, Some(&r.from), read_text(r));
    // For proto fields, name the field as the .proto declares it.
    let wire = if c.grpc { f.node.attr("proto_name").unwrap_or(&f.wire).to_string() } else { f.wire.clone() };
    let accessor =
        if c.grpc { generated_name_hint(f, &ix.language(&r.repo, &r.path), &r.access) } else { String::new() };
    let message = format!(
        "{} reads `{}` but the producer's name on {boundary} is `{wire}` (same name, different casing): the value never arrives{}",
        consumer.location(),
        r.key,
        if is_guaranteed(f.node) { "; the producer always sends the field, so every message or response hits this" } else { "" }
    );
    let fix = if c.grpc {
        format!("use the generated accessor {accessor} for proto field `{wire}` at {}", consumer.location())
    } else if r.access == "index" {
        format!(
            "read `{}[\"{wire}\"]` (the producer's wire name) at {}, or deserialise into a typed model that maps `{wire}` (pydantic alias, serde rename, json tag)",
            r.receiver,
            consumer.location()
        )
    } else {
        format!("read `{wire}` (the producer's wire name) at {}, or map it in the consumer's type", consumer.location())
    };
    let id = finding_id(Rule::FieldCasingDrift, &[&consumer.location(), &r.key, &producer.location(), &boundary]);
    Finding {
        id,
        rule: Rule::FieldCasingDrift.id().into(),
        severity: Severity::Error,
        message,
        boundary: Some(boundary),
        producer: Some(producer),
        consumer: Some(consumer),
        related: {
            let mut v = contract_evidence(ix, c);
            if let Some(code) = ix.producer_code_field(contract_op(ix, c.link.op), f.node) {
                let detail = format!("{}: {} (producer code)", wire, code.attr(attr::TYPE).unwrap_or("?"));
                v.insert(0, ix.node_evidence("producer-code", code, detail));
            }
            v
        },
        fix,
    }
}

/// The generated accessor for the consumer's language, else every language's.
fn generated_name_hint(f: &PayloadField, lang: &str, access: &str) -> String {
    let go = f.node.attr("go_name");
    let own = match lang {
        "go" if access == "getter" => go.map(|g| format!("`Get{g}()` (Go)")),
        "go" => go.map(|g| format!("`{g}` (Go)")),
        "java" | "kotlin" => f.node.attr("java_getter").map(|j| format!("`{j}()` (Java/Kotlin)")),
        "csharp" => f.node.attr("csharp_name").map(|n| format!("`{n}` (C#)")),
        "python" => f.node.attr("python_name").map(|n| format!("`{n}` (Python)")),
        "typescript" | "javascript" => f.node.attr("js_name").map(|n| format!("`{n}` (JS/TS)")),
        _ => None,
    };
    if let Some(own) = own {
        return own;
    }
    let mut v = Vec::new();
    for (a, lang) in [
        ("go_name", "Go"),
        ("java_getter", "Java"),
        ("csharp_name", "C#"),
        ("python_name", "Python"),
        ("js_name", "JS"),
    ] {
        if let Some(n) = f.node.attr(a) {
            v.push(format!("`{n}` ({lang})"));
        }
    }
    v.join(", ")
}

fn missing_finding(ix: &Index<'_>, c: &Candidate, r: &Read) -> Finding {
    let boundary = boundary_of(c.link.op);
    let types = ix.payload_types(c.link.op);
    let ty = types.first().copied().unwrap_or(c.link.op);
    let producer = ix.node_evidence("producer", ty, format!("payload `{}` of {boundary}", ty.name));
    let consumer = ix.at("consumer", &r.repo, &r.path, r.line, Some(&r.from), read_text(r));
    let field = if r.access == "getter" {
        canonical_name(r.key.strip_prefix("get").or_else(|| r.key.strip_prefix("Get")).unwrap_or(&r.key))
    } else {
        r.key.clone()
    };
    let message = format!(
        "{} reads `{}` from the payload of {boundary}, but `{}` has no field `{field}`",
        consumer.location(),
        r.key,
        ty.name
    );
    let fix = format!(
        "remove or guard the read of `{}` at {}, or add `{field}` to `{}` in the producer's contract first",
        r.key,
        consumer.location(),
        ty.name
    );
    let id = finding_id(Rule::ConsumerFieldMissing, &[&consumer.location(), &r.key, &producer.location(), &boundary]);
    Finding {
        id,
        rule: Rule::ConsumerFieldMissing.id().into(),
        severity: Severity::Error,
        message,
        boundary: Some(boundary),
        producer: Some(producer),
        consumer: Some(consumer),
        related: {
            let op = contract_op(ix, c.link.op);
            vec![ix.node_evidence("contract", op, op.name.clone())]
        },
        fix,
    }
}

/// The contract operation behind a link: the operation itself, or for a topic node the contract operation publishing to it.
fn contract_op<'g>(ix: &Index<'g>, op: &'g brain_model::Node) -> &'g brain_model::Node {
    if op.kind != NodeKind::Topic {
        return op;
    }
    ix.graph
        .incoming(&op.id)
        .filter(|e| e.edge.kind == brain_model::EdgeKind::Publishes && e.other.kind == NodeKind::Operation)
        .map(|e| e.other)
        .min_by_key(|o| (ix.in_copy(o), o.id.0.clone()))
        .unwrap_or(op)
}

fn contract_evidence(ix: &Index<'_>, c: &Candidate) -> Vec<crate::model::Evidence> {
    let op = contract_op(ix, c.link.op);
    let mut v = vec![ix.node_evidence("contract", op, op.name.clone())];
    let line = c.link.line;
    v.push(ix.at(
        "link",
        &c.link.consumer.prov.repo,
        &c.link.consumer.prov.path,
        line,
        Some(&c.link.consumer.id),
        format!("{} {}", c.link.kind, boundary_of(c.link.op)),
    ));
    v
}

/// GraphQL documents: each selected field must exist on the type at its selection path.
fn graphql_reads(ix: &Index<'_>, links: &[Link<'_>], reads: &[Read], out: &mut Vec<Finding>) {
    for r in reads {
        let segs: Vec<&str> = r.receiver.split('.').collect();
        if segs.len() < 2 || !matches!(segs[0], "Query" | "Mutation" | "Subscription") {
            continue;
        }
        let root = format!("{}.{}", segs[0], segs[1]);
        let Some(link) = links.iter().find(|l| l.op.kind == NodeKind::Operation && l.op.name == root) else { continue };
        let Some(mut ty) = ix.payload_types(link.op).into_iter().next() else { continue };
        let mut ok = true;
        for seg in &segs[2..] {
            match ix.fields_of(ty).into_iter().find(|f| f.name == *seg).and_then(|f| ix.field_type(f)) {
                Some(t) => ty = t,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let fields = ix.fields_of(ty);
        if fields.is_empty() || fields.iter().any(|f| f.name == r.key) {
            continue;
        }
        let pf: Vec<PayloadField> =
            fields.iter().map(|f| PayloadField { node: f, wire: f.name.clone(), top: true }).collect();
        let cand = Candidate { link, fields: pf, grpc: false };
        let mut f = match classify(&r.key, "member", &cand.fields, false) {
            Class::Casing(i) => casing_finding(ix, &cand, &cand.fields[i], r),
            _ => missing_finding(ix, &Candidate { link, fields: Vec::new(), grpc: false }, r),
        };
        if f.rule == Rule::ConsumerFieldMissing.id() {
            f.message = format!(
                "{}:{}:{} selects `{}` on `{}` ({}), but the schema type has no such field; the query fails validation",
                r.repo,
                r.path,
                r.line.unwrap_or(0),
                r.key,
                ty.name,
                r.receiver
            );
            f.producer = Some(ix.node_evidence("producer", ty, format!("type `{}`", ty.name)));
        }
        f.fix = f.fix.replace("read `", "select `");
        out.push(f);
    }
}
