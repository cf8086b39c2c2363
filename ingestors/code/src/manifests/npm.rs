//! package.json (name, the four dependency maps, npm/yarn `workspaces`) and
//! pnpm-workspace.yaml (`packages:` globs, the default `catalog:` and named `catalogs:`).

use super::json_lines::key_lines;
use super::model::{Dependency, Ecosystem, Manifest, PackageDecl};
use brain_model::Span;
use serde_json::Value;

const DEP_MAPS: &[(&str, &str)] = &[
    ("dependencies", "normal"),
    ("devDependencies", "dev"),
    ("peerDependencies", "peer"),
    ("optionalDependencies", "optional"),
];

/// Parses a package.json. Never fails: a syntax error becomes a problem with its line.
pub fn parse_package_json(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Npm);
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let line = u32::try_from(e.line()).ok().filter(|&l| l > 0);
            m.problem(line, format!("invalid JSON: {e}"));
            return m;
        }
    };
    let Some(obj) = root.as_object() else {
        m.problem(Some(1), "package.json is not a JSON object");
        return m;
    };
    let lines = key_lines(text, 3);
    let line_of = |path: &[&str]| -> Span {
        let key: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        Span::line(lines.get(&key).copied().unwrap_or(1))
    };

    match obj.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => {
            let version = obj.get("version").and_then(Value::as_str).map(str::to_string);
            m.package = Some(PackageDecl {
                name: name.trim().to_string(),
                version,
                span: line_of(&["name"]),
                attrs: Vec::new(),
            });
        }
        Some(Value::String(_)) | None => {}
        Some(_) => m.problem(Some(line_of(&["name"]).start_line), "`name` is not a string"),
    }

    for (section, scope) in DEP_MAPS {
        match obj.get(*section) {
            Some(Value::Object(deps)) => {
                for (key, spec) in deps {
                    let span = line_of(&[section, key]);
                    let Some(spec) = spec.as_str() else {
                        m.problem(Some(span.start_line), format!("{section}.{key}: version is not a string"));
                        continue;
                    };
                    m.deps.push(npm_dependency(key, spec, scope, span));
                }
            }
            Some(_) => m.problem(Some(line_of(&[section]).start_line), format!("`{section}` is not an object")),
            None => {}
        }
    }
    m.deps.sort_by_key(|d| d.span.start_line);

    let ws = match obj.get("workspaces") {
        Some(Value::Array(a)) => Some(a),
        Some(Value::Object(o)) => o.get("packages").and_then(Value::as_array),
        _ => None,
    };
    if let Some(globs) = ws {
        m.members = globs.iter().filter_map(Value::as_str).map(str::to_string).collect();
        m.members_span = Some(line_of(&["workspaces"]));
    }
    m
}

/// One `"name": "spec"` entry. `npm:real@range` aliases depend on `real`; `file:`/`link:`
/// specs are local paths.
fn npm_dependency(key: &str, spec: &str, scope: &str, span: Span) -> Dependency {
    if let Some(rest) = spec.strip_prefix("npm:") {
        // `npm:@scope/pkg@^1` — the version separator is the last `@` that is not the first char.
        let (real, range) = match rest.rfind('@') {
            Some(i) if i > 0 => (&rest[..i], Some(rest[i + 1..].to_string())),
            _ => (rest, None),
        };
        return Dependency::package(real, scope, span).with_version(range).with_attr("alias", key);
    }
    let mut dep = Dependency::package(key, scope, span).with_version(Some(spec.to_string()));
    for prefix in ["file:", "link:"] {
        if let Some(p) = spec.strip_prefix(prefix) {
            dep = dep.with_attr("path", p);
        }
    }
    dep
}

/// Parses pnpm-workspace.yaml with a line scanner: the `packages:` list (block or flow style),
/// the default `catalog:` map and named `catalogs:` (attr `catalog`). Other keys are ignored.
pub fn parse_pnpm_workspace(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Npm);
    let mut section: Option<&str> = None;
    let mut named_catalog: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = strip_yaml_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t') || line.starts_with('-');
        if !indented {
            let Some((key, rest)) = line.split_once(':') else {
                m.problem(Some(n), format!("expected `key:` at top level, found `{}`", line.trim()));
                section = None;
                continue;
            };
            let key = key.trim();
            section = Some(match key {
                "packages" => "packages",
                "catalog" => "catalog",
                "catalogs" => "catalogs",
                _ => "other",
            });
            named_catalog = None;
            let rest = rest.trim();
            if key == "packages" {
                m.members_span = Some(Span::line(n));
                if let Some(flow) = rest.strip_prefix('[') {
                    let inner = flow.trim_end().trim_end_matches(']');
                    m.members.extend(inner.split(',').map(unquote).filter(|s| !s.is_empty()));
                } else if !rest.is_empty() {
                    m.problem(Some(n), "`packages` is not a list");
                }
            }
            continue;
        }
        match section {
            Some("packages") => {
                let item = line.trim_start();
                match item.strip_prefix('-') {
                    Some(v) => {
                        let v = unquote(v);
                        if !v.is_empty() {
                            m.members.push(v);
                        }
                    }
                    None => m.problem(Some(n), format!("expected `- <glob>` under `packages`, found `{}`", item)),
                }
                if let Some(s) = m.members_span.as_mut() {
                    *s = Span::new(s.start_line, n);
                }
            }
            Some("catalog") => {
                if let Some(dep) = catalog_entry(line, n) {
                    m.managed.push(dep);
                }
            }
            Some("catalogs") => {
                // `catalogs:` / `  react17:` / `    react: ^17.0.2`
                let trimmed = line.trim();
                if trimmed.ends_with(':') && indent_of(line) <= 2 {
                    named_catalog = Some(unquote(trimmed.trim_end_matches(':')));
                } else if let (Some(cat), Some(dep)) = (&named_catalog, catalog_entry(line, n)) {
                    m.managed.push(dep.with_attr("catalog", cat.clone()));
                }
            }
            _ => {}
        }
    }
    m
}

/// `  name: version` inside a catalog.
fn catalog_entry(line: &str, n: u32) -> Option<Dependency> {
    let (k, v) = line.trim().split_once(':')?;
    let name = unquote(k);
    let version = unquote(v);
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some(Dependency::package(name, "catalog", Span::line(n)).with_version(Some(version)))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn strip_yaml_comment(line: &str) -> &str {
    // A `#` starts a comment at line start or after whitespace, outside quotes.
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '#' && prev_space => return &line[..i],
            None => {}
        }
        prev_space = c.is_whitespace();
    }
    line
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(|c| c == '\'' || c == '"').trim().to_string()
}
