//! Python: pyproject.toml (PEP 621 `[project]`, PEP 735 `[dependency-groups]`,
//! `[build-system] requires`, Poetry `[tool.poetry]`) and requirements files (`-r`/`-c`
//! includes, editables, markers, extras, URLs). Names are normalised per PEP 503.

use super::lines::LineIndex;
use super::model::{Dependency, Ecosystem, Include, Manifest, PackageDecl};
use brain_model::Span;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// PEP 503 normalised name: lowercase, every run of `-`, `_`, `.` becomes one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

/// A PEP 508 requirement split into its parts.
#[derive(Debug, Default, PartialEq)]
pub struct Requirement {
    pub name: String,
    pub extras: Vec<String>,
    pub version: Option<String>,
    pub url: Option<String>,
    pub markers: Option<String>,
}

/// Parses a PEP 508 requirement (`name[extra1,extra2] (>=1,<2) ; python_version < "3.8"` or
/// `name @ https://...`). `None` when it does not start with a valid name.
pub fn parse_requirement(s: &str) -> Option<Requirement> {
    let s = s.trim();
    let (body, markers) = match s.split_once(';') {
        Some((b, mk)) => (b.trim(), Some(mk.trim().to_string()).filter(|m| !m.is_empty())),
        None => (s, None),
    };
    let end = body.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))).unwrap_or(body.len());
    let name = &body[..end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut rest = body[end..].trim_start();
    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        extras = after[..close].split(',').map(|e| e.trim().to_string()).filter(|e| !e.is_empty()).collect();
        rest = after[close + 1..].trim_start();
    }
    let mut req = Requirement { name: normalize_name(name), extras, markers, ..Requirement::default() };
    if let Some(url) = rest.strip_prefix('@') {
        req.url = Some(url.trim().to_string());
    } else {
        let v = rest.trim().trim_start_matches('(').trim_end_matches(')').trim();
        if !v.is_empty() {
            if !v.starts_with(['<', '>', '=', '!', '~']) {
                return None;
            }
            req.version = Some(v.split_whitespace().collect::<Vec<_>>().join(""));
        }
    }
    Some(req)
}

fn requirement_dep(req: Requirement, scope: &str, span: Span) -> Dependency {
    let mut dep = Dependency::package(req.name, scope, span).with_version(req.version);
    if !req.extras.is_empty() {
        dep = dep.with_attr("extras", req.extras.join(","));
    }
    if let Some(u) = req.url {
        dep = dep.with_attr("url", u);
    }
    if let Some(mk) = req.markers {
        dep = dep.with_attr("markers", mk);
    }
    dep
}

/// Parses a pyproject.toml. Never fails.
pub fn parse_pyproject(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Pypi);
    let idx = LineIndex::new(text);
    let (root, errors) = DeTable::parse_recoverable(text);
    for e in errors.iter().take(5) {
        m.problem(e.span().map(|s| idx.line(s.start)), e.message().trim().to_string());
    }
    let root = root.get_ref();
    let tool_poetry = table(root, "tool").and_then(|t| table(t, "poetry"));

    if let Some(project) = table(root, "project") {
        if let Some(name) = project.get("name") {
            if let Some(n) = name.get_ref().as_str() {
                let version = project.get("version").and_then(|v| v.get_ref().as_str()).map(str::to_string);
                m.package = Some(PackageDecl {
                    name: normalize_name(n),
                    version,
                    span: idx.span(name.span()),
                    attrs: Vec::new(),
                });
            }
        }
        if let Some(deps) = project.get("dependencies") {
            requirement_array(&idx, deps, "normal", None, &mut m);
        }
        if let Some(opt) = table(project, "optional-dependencies") {
            for (extra, list) in opt.iter() {
                requirement_array(&idx, list, "optional", Some(("extra", extra.get_ref())), &mut m);
            }
        }
    }
    if let Some(groups) = table(root, "dependency-groups") {
        for (group, list) in groups.iter() {
            requirement_array(&idx, list, "dev", Some(("group", group.get_ref())), &mut m);
        }
    }
    if let Some(reqs) = table(root, "build-system").and_then(|b| b.get("requires")) {
        requirement_array(&idx, reqs, "build", None, &mut m);
    }
    if let Some(poetry) = tool_poetry {
        if m.package.is_none() {
            if let Some(name) = poetry.get("name") {
                if let Some(n) = name.get_ref().as_str() {
                    let version = poetry.get("version").and_then(|v| v.get_ref().as_str()).map(str::to_string);
                    m.package = Some(PackageDecl {
                        name: normalize_name(n),
                        version,
                        span: idx.span(name.span()),
                        attrs: Vec::new(),
                    });
                }
            }
        }
        if let Some(t) = table(poetry, "dependencies") {
            poetry_table(&idx, t, "normal", None, &mut m);
        }
        if let Some(t) = table(poetry, "dev-dependencies") {
            poetry_table(&idx, t, "dev", None, &mut m);
        }
        if let Some(groups) = table(poetry, "group") {
            for (group, g) in groups.iter() {
                let Some(t) = g.get_ref().as_table().and_then(|g| table(g, "dependencies")) else { continue };
                let scope = if group.get_ref() == "main" { "normal" } else { "dev" };
                poetry_table(&idx, t, scope, Some(group.get_ref()), &mut m);
            }
        }
    }
    m.deps.sort_by_key(|d| (d.span.start_line, d.span.end_line));
    m
}

fn table<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    t.get(key).and_then(|v| v.get_ref().as_table())
}

fn requirement_array(
    idx: &LineIndex,
    list: &Spanned<DeValue<'_>>,
    scope: &str,
    tag: Option<(&str, &str)>,
    m: &mut Manifest,
) {
    let Some(arr) = list.get_ref().as_array() else {
        m.problem(Some(idx.line(list.span().start)), "expected an array of requirement strings");
        return;
    };
    for item in arr.iter() {
        let span = idx.span(item.span());
        match item.get_ref() {
            DeValue::String(s) => match parse_requirement(s) {
                Some(req) => {
                    let mut dep = requirement_dep(req, scope, span);
                    if let Some((k, v)) = tag {
                        dep = dep.with_attr(k, v);
                    }
                    m.deps.push(dep);
                }
                None => m.problem(Some(span.start_line), format!("not a PEP 508 requirement: `{s}`")),
            },
            // PEP 735 `{include-group = "test"}` entries and the like.
            DeValue::Table(_) => {}
            _ => m.problem(Some(span.start_line), "requirement is not a string"),
        }
    }
}

fn poetry_table(idx: &LineIndex, t: &DeTable<'_>, scope: &str, group: Option<&str>, m: &mut Manifest) {
    for (key, value) in t.iter() {
        let name = key.get_ref();
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        let span = idx.span(key.span().start..value.span().end.max(key.span().end));
        let mut dep = Dependency::package(normalize_name(name), scope, span);
        match value.get_ref() {
            DeValue::String(v) => dep = dep.with_version(Some(v.to_string())),
            DeValue::Table(spec) => {
                let s = |k: &str| spec.get(k).and_then(|v| v.get_ref().as_str()).map(str::to_string);
                dep = dep.with_version(s("version"));
                for k in ["path", "git", "url", "markers"] {
                    if let Some(v) = s(k) {
                        dep = dep.with_attr(k, v);
                    }
                }
                if spec.get("optional").and_then(|v| v.get_ref().as_bool()) == Some(true) {
                    dep = dep.with_attr("optional", "true");
                }
                if let Some(extras) = spec.get("extras").and_then(|v| v.get_ref().as_array()) {
                    let e: Vec<&str> = extras.iter().filter_map(|v| v.get_ref().as_str()).collect();
                    if !e.is_empty() {
                        dep = dep.with_attr("extras", e.join(","));
                    }
                }
            }
            // A list of constraint tables (multiple-constraint dependencies).
            DeValue::Array(_) => dep = dep.with_attr("constraints", "multiple"),
            _ => {}
        }
        if let Some(g) = group {
            dep = dep.with_attr("group", g);
        }
        m.deps.push(dep);
    }
}

/// Parses a requirements file of `dir`. Never fails; lines it cannot read become problems.
pub fn parse_requirements(text: &str, dir: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Pypi);
    let raw: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < raw.len() {
        let start = i;
        // Join `\` continuations.
        let mut logical = String::new();
        loop {
            let l = raw[i];
            match l.strip_suffix('\\') {
                Some(head) if i + 1 < raw.len() => {
                    logical.push_str(head);
                    logical.push(' ');
                    i += 1;
                }
                _ => {
                    logical.push_str(l.strip_suffix('\\').unwrap_or(l));
                    break;
                }
            }
        }
        i += 1;
        let span = Span::new(line_no(start), line_no(i - 1));
        let line = strip_comment(&logical).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(opt) = line.strip_prefix('-') {
            requirement_option(opt, line, span, dir, &mut m);
            continue;
        }
        if looks_like_path_or_url(line) {
            // A bare archive/URL/path requirement: the name is only known from `#egg=`.
            if let Some(name) = egg_name(line) {
                m.deps.push(Dependency::package(normalize_name(&name), "normal", span).with_attr("url", line));
            }
            continue;
        }
        // `--hash=...` and other per-requirement options follow the requirement.
        let req_text = line.split(" --").next().unwrap_or(line);
        match parse_requirement(req_text) {
            Some(req) => m.deps.push(requirement_dep(req, "normal", span)),
            None => m.problem(Some(span.start_line), format!("not a requirement: `{line}`")),
        }
    }
    m
}

fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

fn strip_comment(line: &str) -> &str {
    if line.trim_start().starts_with('#') {
        return "";
    }
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(i) => &line[..i],
        None => line,
    }
}

fn looks_like_path_or_url(s: &str) -> bool {
    s.contains("://") || s.starts_with('.') || s.starts_with('/') || s.starts_with("git+") || s.ends_with(".whl")
}

fn egg_name(s: &str) -> Option<String> {
    let frag = s.split_once("#egg=")?.1;
    let name: String = frag.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    Some(name).filter(|n| !n.is_empty())
}

/// `-r file`, `--requirement=file`, `-c file`, `-e path_or_url`, and options we skip.
fn requirement_option(opt: &str, line: &str, span: Span, dir: &str, m: &mut Manifest) {
    let opt = opt.trim_start_matches('-');
    let (flag, value) = match opt.char_indices().find(|&(_, c)| c == '=' || c.is_whitespace()) {
        Some((i, c)) => (&opt[..i], opt[i + c.len_utf8()..].trim()),
        None => (opt, ""),
    };
    match flag {
        "r" | "requirement" | "c" | "constraint" => {
            if value.is_empty() {
                m.problem(Some(span.start_line), format!("`{line}` names no file"));
                return;
            }
            let kind = if flag.starts_with('c') { "constraint" } else { "requirement" };
            m.includes.push(Include {
                paths: vec![join_path(dir, value)],
                span,
                attrs: vec![("include".to_string(), kind.to_string())],
            });
        }
        "e" | "editable" => {
            let name = egg_name(value);
            match name {
                Some(n) => {
                    let where_key = if value.contains("://") || value.starts_with("git+") { "url" } else { "path" };
                    m.deps.push(
                        Dependency::package(normalize_name(&n), "normal", span)
                            .with_attr("editable", "true")
                            .with_attr(where_key, value),
                    );
                }
                None => {
                    // A local editable project (`-e .[cli,http2]`): the package name is in its
                    // own manifest, the extras are kept.
                    if !value.contains("://") {
                        let (local, extras) = match value.split_once('[') {
                            Some((p, e)) => (p, Some(e.trim_end_matches(']'))),
                            None => (value, None),
                        };
                        let local = local.trim().trim_end_matches('/');
                        let mut attrs = vec![("include".to_string(), "editable".to_string())];
                        if let Some(e) = extras.filter(|e| !e.is_empty()) {
                            attrs.push(("extras".to_string(), e.to_string()));
                        }
                        m.includes.push(Include {
                            paths: vec![
                                join_path(dir, &format!("{local}/pyproject.toml")),
                                join_path(dir, &format!("{local}/setup.py")),
                            ],
                            span,
                            attrs,
                        });
                    }
                }
            }
        }
        _ => {} // --index-url, --extra-index-url, -f, --pre, --hash, ...: not dependencies.
    }
}

/// Joins a relative path onto a repo-relative directory, resolving `.` and `..`.
fn join_path(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> =
        if rel.starts_with('/') { Vec::new() } else { dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(normalize_name("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_name("Django"), "django");
    }

    #[test]
    fn pep508() {
        let r = parse_requirement("Requests[security, socks] (>=2.8.1, ==2.8.*) ; python_version < \"2.7\"");
        assert_eq!(
            r,
            Some(Requirement {
                name: "requests".into(),
                extras: vec!["security".into(), "socks".into()],
                version: Some(">=2.8.1,==2.8.*".into()),
                url: None,
                markers: Some("python_version < \"2.7\"".into()),
            })
        );
        let r = parse_requirement("pip @ https://github.com/pypa/pip/archive/1.3.1.zip").expect("url form");
        assert_eq!(r.url.as_deref(), Some("https://github.com/pypa/pip/archive/1.3.1.zip"));
        assert_eq!(parse_requirement("!!bad"), None);
        assert_eq!(parse_requirement("name garbage"), None);
    }

    #[test]
    fn options_split_on_any_whitespace() {
        let m = parse_requirements("-r\u{3000}base.txt\n--requirement=é.txt\n", "sub");
        let paths: Vec<&str> = m.includes.iter().flat_map(|i| i.paths.iter().map(String::as_str)).collect();
        assert_eq!(paths, vec!["sub/base.txt", "sub/é.txt"]);
    }

    #[test]
    fn paths_join() {
        assert_eq!(join_path("a/b", "../c.txt"), "a/c.txt");
        assert_eq!(join_path("", "./base.txt"), "base.txt");
        assert_eq!(join_path("x", "req/dev.txt"), "x/req/dev.txt");
    }
}
