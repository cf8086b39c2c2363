//! A compact, sorted, human-readable listing of [`Facts`], for snapshots and debugging.

use brain_model::{Facts, RefTarget};

fn attrs(a: &brain_model::facts::Attrs, skip: &[&str]) -> String {
    let parts: Vec<String> = a
        .iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={}", v.replace('\n', "\\n")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {{{}}}", parts.join(", "))
    }
}

fn span(p: &brain_model::Provenance) -> String {
    match p.span {
        Some(s) if s.start_line == s.end_line => format!("L{}", s.start_line),
        Some(s) => format!("L{}-{}", s.start_line, s.end_line),
        None => "-".into(),
    }
}

fn origin(p: &brain_model::Provenance) -> String {
    match p.origin {
        brain_model::Origin::Declared => String::new(),
        brain_model::Origin::Inferred { confidence } => format!(" ~{confidence:.1}"),
    }
}

/// Renders facts one per line, grouped and sorted. Ids are shortened by
/// dropping the `<repo>:<path>` part when it is the file's own.
pub fn render(facts: &Facts, repo: &str, path: &str) -> String {
    let short = |id: &str| id.replace(&format!("{repo}:{path}"), "@");
    let mut lines = Vec::new();
    for n in &facts.nodes {
        lines.push(format!(
            "node {} {} [{}]{}",
            n.kind,
            short(n.id.as_str()),
            span(&n.prov),
            attrs(&n.attrs, &["language", "doc", "signature"])
        ));
        if let Some(sig) = n.attr("signature") {
            lines.push(format!("  sig {} : {sig}", short(n.id.as_str())));
        }
        if let Some(doc) = n.attr("doc") {
            lines.push(format!("  doc {} : {}", short(n.id.as_str()), doc.replace('\n', "\\n")));
        }
    }
    for e in &facts.edges {
        lines.push(format!(
            "edge {} {} -> {} [{}]{}",
            e.kind,
            short(e.from.as_str()),
            short(e.to.as_str()),
            span(&e.prov),
            attrs(&e.attrs, &[])
        ));
    }
    for r in &facts.refs {
        let target = match &r.target {
            RefTarget::AnyOf(ids) => {
                format!("any-of({})", ids.iter().map(|i| short(i.as_str())).collect::<Vec<_>>().join(", "))
            }
            RefTarget::Key { ns, key, scope } => {
                if scope.is_empty() {
                    format!("{ns}:{key}")
                } else {
                    format!("{ns}:{key} in({})", scope.len())
                }
            }
        };
        lines.push(format!(
            "ref {} {} -> {} [{}]{}{}",
            r.kind,
            short(r.from.as_str()),
            target,
            span(&r.prov),
            origin(&r.prov),
            attrs(&r.attrs, &[])
        ));
    }
    for p in &facts.provides {
        lines.push(format!("provide {} {}:{}", short(p.node.as_str()), p.ns, p.key));
    }
    for d in &facts.diagnostics {
        lines.push(format!(
            "diag {} {} L{}: {}",
            d.severity.as_str(),
            d.code,
            d.line.map(|l| l.to_string()).unwrap_or_default(),
            d.message
        ));
    }
    lines.sort();
    lines.join("\n") + "\n"
}
