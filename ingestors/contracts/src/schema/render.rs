//! A sorted, line-per-fact text rendering of [`Facts`], for snapshots and
//! for people debugging an ingest.

use brain_model::facts::Attrs;
use brain_model::{Facts, Provenance, RefTarget};

fn span(p: &Provenance) -> String {
    match p.span {
        Some(s) if s.start_line == s.end_line => format!("@{}", s.start_line),
        Some(s) => format!("@{}-{}", s.start_line, s.end_line),
        None => String::new(),
    }
}

fn attrs(a: &Attrs) -> String {
    if a.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = a.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(" {{{}}}", parts.join(", "))
}

/// One line per node, edge, reference, provide and diagnostic, sorted.
pub fn render_facts(facts: &Facts) -> String {
    let mut lines: Vec<String> = Vec::new();
    for n in &facts.nodes {
        let text = if n.text.is_empty() { String::new() } else { format!(" text={:?}", n.text) };
        lines.push(format!("node {} {} {:?} {}{}{text}", n.kind, n.id, n.name, span(&n.prov), attrs(&n.attrs)));
    }
    for e in &facts.edges {
        lines.push(format!("edge {} {} -> {} {}{}", e.kind, e.from, e.to, span(&e.prov), attrs(&e.attrs)));
    }
    for r in &facts.refs {
        let target = match &r.target {
            RefTarget::AnyOf(ids) => {
                format!("any_of({})", ids.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", "))
            }
            RefTarget::Key { ns, key, .. } => format!("key({ns}, {key:?})"),
        };
        lines.push(format!("ref {} {} -> {target} {}{}", r.kind, r.from, span(&r.prov), attrs(&r.attrs)));
    }
    for p in &facts.provides {
        lines.push(format!("provide {} {} {:?}", p.node, p.ns, p.key));
    }
    for d in &facts.diagnostics {
        lines.push(format!(
            "diag {} {} line={} {}",
            d.severity.as_str(),
            d.code,
            d.line.map(|l| l.to_string()).unwrap_or_default(),
            d.message
        ));
    }
    lines.sort();
    lines.join("\n") + "\n"
}
