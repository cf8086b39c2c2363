//! Cargo.toml: `[package]`, `[workspace]` members and `[workspace.dependencies]`, and the
//! `[dependencies]` / `[dev-dependencies]` / `[build-dependencies]` tables, also under
//! `[target.'cfg(..)'.*]`, with line spans from the `toml` crate's spanned parser.

use super::lines::LineIndex;
use super::model::{Dependency, Ecosystem, Manifest, PackageDecl};
use brain_model::Span;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Dependency tables and the scope each one means.
const DEP_TABLES: &[(&str, &str)] = &[
    ("dependencies", "normal"),
    ("dev-dependencies", "dev"),
    ("dev_dependencies", "dev"),
    ("build-dependencies", "build"),
    ("build_dependencies", "build"),
];

/// Parses a Cargo.toml. Never fails: syntax errors become problems and the recoverable part is kept.
pub fn parse(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Cargo);
    let idx = LineIndex::new(text);
    let (root, errors) = DeTable::parse_recoverable(text);
    for e in errors.iter().take(5) {
        m.problem(e.span().map(|s| idx.line(s.start)), e.message().trim().to_string());
    }
    let root = root.get_ref();

    if let Some(pkg) = table(root, "package") {
        match pkg.get("name").map(|v| (v.get_ref(), v.span())) {
            Some((DeValue::String(name), range)) => {
                let version = pkg.get("version").and_then(|v| v.get_ref().as_str()).map(str::to_string);
                m.package =
                    Some(PackageDecl { name: name.to_string(), version, span: idx.span(range), attrs: Vec::new() });
            }
            _ => {
                let line = root.get_key_value("package").map(|(k, _)| idx.line(k.span().start));
                m.problem(line, "[package] has no string `name`");
            }
        }
    }

    if let Some(ws) = table(root, "workspace") {
        if let Some(members) = ws.get("members") {
            if let Some(arr) = members.get_ref().as_array() {
                m.members = arr.iter().filter_map(|v| v.get_ref().as_str().map(str::to_string)).collect();
                m.members_span = Some(idx.span(members.span()));
            }
        }
        if let Some(deps) = table(ws, "dependencies") {
            dep_table(&idx, deps, "workspace", None, &mut m.managed);
        }
    }

    let mut deps = Vec::new();
    for (key, scope) in DEP_TABLES {
        if let Some(t) = table(root, key) {
            dep_table(&idx, t, scope, None, &mut deps);
        }
    }
    if let Some(targets) = table(root, "target") {
        for (cfg, value) in targets.iter() {
            let Some(t) = value.get_ref().as_table() else { continue };
            for (key, scope) in DEP_TABLES {
                if let Some(dt) = table(t, key) {
                    dep_table(&idx, dt, scope, Some(cfg.get_ref()), &mut deps);
                }
            }
        }
    }
    deps.sort_by_key(|d| (d.span.start_line, d.span.end_line));
    m.deps = deps;
    m
}

fn table<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a DeTable<'i>> {
    t.get(key).and_then(|v| v.get_ref().as_table())
}

/// The last byte offset covered by a value, looking into nested tables (a `[dependencies.x]`
/// table's own span is only its header).
fn value_end(v: &Spanned<DeValue<'_>>) -> usize {
    let own = v.span().end;
    match v.get_ref() {
        DeValue::Table(t) => t.iter().map(|(k, v)| k.span().end.max(value_end(v))).fold(own, usize::max),
        DeValue::Array(a) => a.iter().map(value_end).fold(own, usize::max),
        _ => own,
    }
}

fn dep_table(idx: &LineIndex, t: &DeTable<'_>, scope: &str, target: Option<&str>, out: &mut Vec<Dependency>) {
    for (key, value) in t.iter() {
        let start = key.span().start;
        let end = value_end(value).max(key.span().end);
        let span: Span = idx.span(start..end);
        let alias = key.get_ref().to_string();
        let mut name = alias.clone();
        let mut dep;
        match value.get_ref() {
            DeValue::String(v) => {
                dep = Dependency::package(name, scope, span).with_version(Some(v.to_string()));
            }
            DeValue::Table(spec) => {
                let s = |k: &str| spec.get(k).and_then(|v| v.get_ref().as_str()).map(str::to_string);
                let b = |k: &str| spec.get(k).and_then(|v| v.get_ref().as_bool());
                let renamed = s("package");
                if let Some(real) = &renamed {
                    name = real.clone();
                }
                dep = Dependency::package(name, scope, span).with_version(s("version"));
                if renamed.is_some() {
                    dep = dep.with_attr("alias", alias);
                }
                for k in ["path", "git", "branch", "tag", "rev", "registry"] {
                    if let Some(v) = s(k) {
                        dep = dep.with_attr(k, v);
                    }
                }
                if b("workspace") == Some(true) {
                    dep = dep.with_attr("workspace", "true");
                }
                if b("optional") == Some(true) {
                    dep = dep.with_attr("optional", "true");
                }
            }
            _ => dep = Dependency::package(name, scope, span),
        }
        if let Some(cfg) = target {
            dep = dep.with_attr("target", cfg);
        }
        out.push(dep);
    }
}
