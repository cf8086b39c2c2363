//! go.mod (`module`, `go`, `require` lines and blocks with `// indirect`, `replace`) and go.work
//! (`use` directories as workspace members), with a line scanner that follows the grammar of
//! `golang.org/x/mod/modfile` closely enough for well-formed files and reports the rest.

use super::model::{Dependency, Ecosystem, Manifest, PackageDecl};
use brain_model::Span;

/// One directive line: verb (or the enclosing block's verb), its arguments and the comment.
struct Line<'a> {
    n: u32,
    verb: &'a str,
    args: Vec<String>,
    comment: &'a str,
}

fn split_comment(line: &str) -> (&str, &str) {
    // `//` inside a quoted path is not a comment; Go module paths never contain quotes-with-slashes
    // in practice, so a simple quote-aware scan is enough.
    let bytes = line.as_bytes();
    let mut in_quote = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'`' => in_quote = !in_quote,
            b'/' if !in_quote && bytes.get(i + 1) == Some(&b'/') => {
                return (&line[..i], line[i + 2..].trim());
            }
            _ => {}
        }
        i += 1;
    }
    (line, "")
}

fn tokens(s: &str) -> Vec<String> {
    s.split_whitespace().map(|t| t.trim_matches(|c| c == '"' || c == '`').to_string()).collect()
}

/// Iterates directive lines, expanding blocks. Unterminated blocks are reported.
fn scan<'a>(text: &'a str, m: &mut Manifest) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut block: Option<(&'a str, u32)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (code, comment) = split_comment(raw);
        let code = code.trim();
        if let Some((verb, _)) = block {
            if code == ")" {
                block = None;
                continue;
            }
            if code.is_empty() {
                continue;
            }
            out.push(Line { n, verb, args: tokens(code), comment });
            continue;
        }
        if code.is_empty() {
            continue;
        }
        let (verb, rest) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
        let rest = rest.trim();
        if rest == "(" {
            block = Some((verb, n));
            continue;
        }
        if let Some(inner) = rest.strip_prefix('(') {
            // `require ( a v1 )` on one line.
            let inner = inner.trim_end().trim_end_matches(')');
            if !inner.trim().is_empty() {
                out.push(Line { n, verb, args: tokens(inner), comment });
            }
            continue;
        }
        out.push(Line { n, verb, args: tokens(rest), comment });
    }
    if let Some((verb, n)) = block {
        m.problem(Some(n), format!("`{verb} (` block is not closed"));
    }
    out
}

/// A `replace old [v] => new [v]` directive.
struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    new_version: Option<String>,
}

fn is_local_path(p: &str) -> bool {
    p.starts_with("./") || p.starts_with("../") || p.starts_with('/') || p == "." || p == ".."
}

/// Parses a go.mod. Never fails.
pub fn parse_go_mod(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Go);
    let lines = scan(text, &mut m);
    let mut go_version = None;
    let mut replaces: Vec<Replace> = Vec::new();
    for l in &lines {
        match l.verb {
            "module" => match l.args.first() {
                Some(path) if l.args.len() == 1 => {
                    m.package = Some(PackageDecl {
                        name: path.clone(),
                        version: None,
                        span: Span::line(l.n),
                        attrs: vec![(super::GO_MODULE.to_string(), path.clone())],
                    });
                }
                _ => m.problem(Some(l.n), "`module` needs exactly one path"),
            },
            "go" => go_version = l.args.first().cloned(),
            "require" => match l.args.as_slice() {
                [path, version] => {
                    let mut dep = Dependency::package(path.clone(), "normal", Span::line(l.n))
                        .with_version(Some(version.clone()));
                    if l.comment.split(';').any(|c| c.trim() == "indirect") {
                        dep = dep.with_attr("indirect", "true");
                    }
                    m.deps.push(dep);
                }
                _ => m.problem(Some(l.n), "`require` needs a module path and a version"),
            },
            "replace" => {
                let Some(arrow) = l.args.iter().position(|a| a == "=>") else {
                    m.problem(Some(l.n), "`replace` without `=>`");
                    continue;
                };
                let (old, new) = l.args.split_at(arrow);
                let new = &new[1..];
                let old_ok = matches!(old.len(), 1 | 2);
                let new_ok = matches!(new.len(), 1 | 2);
                if !old_ok || !new_ok {
                    m.problem(Some(l.n), "malformed `replace`");
                    continue;
                }
                replaces.push(Replace {
                    old: old[0].clone(),
                    old_version: old.get(1).cloned(),
                    new: new[0].clone(),
                    new_version: new.get(1).cloned(),
                });
            }
            "toolchain" | "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
            other => m.problem(Some(l.n), format!("unknown directive `{other}`")),
        }
    }
    if let (Some(p), Some(v)) = (m.package.as_mut(), go_version) {
        p.attrs.push(("go_version".to_string(), v));
    }
    for Replace { old, old_version, new, new_version } in &replaces {
        for dep in m.deps.iter_mut() {
            let super::model::DepTarget::Package(name) = &dep.target else { continue };
            if name != old || old_version.as_ref().is_some_and(|v| Some(v) != dep.version.as_ref()) {
                continue;
            }
            let target = match new_version {
                Some(v) => format!("{new}@{v}"),
                None => new.clone(),
            };
            dep.attrs.push(("replace".to_string(), target));
            if is_local_path(new) {
                dep.attrs.push(("path".to_string(), new.clone()));
            }
        }
    }
    if m.package.is_none() {
        m.problem(None, "go.mod has no `module` directive");
    }
    m
}

/// Parses a go.work: `use` directories become members; no package.
pub fn parse_go_work(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Go);
    let lines = scan(text, &mut m);
    for l in &lines {
        if l.verb == "use" {
            m.members.extend(l.args.iter().cloned());
            let span = m.members_span.map_or(Span::line(l.n), |s| Span::new(s.start_line, l.n));
            m.members_span = Some(span);
        }
    }
    m
}
