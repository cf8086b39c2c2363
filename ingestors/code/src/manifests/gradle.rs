//! Gradle build scripts (Groovy `build.gradle` and Kotlin `build.gradle.kts`) and settings
//! scripts, read with a careful scanner rather than a Groovy/Kotlin parser.
//!
//! The scanner strips comments, keeps string literals intact, tracks `{}` blocks and splits
//! statements. A statement directly inside a `dependencies { }` block whose first word is a
//! configuration (`implementation`, `api`, `testImplementation`, `classpath`, ...) is read as a
//! dependency when its argument is a literal coordinate (`"g:a:v"`, `group: 'g', name: 'a'`,
//! `kotlin("x")`, `platform("g:a:v")`) or a project (`project(":core")`).
//!
//! Version-catalog accessors (`libs.okio`) depend on the catalog file with attr `accessor`;
//! type-safe project accessors (`projects.okhttpTls`) on the project's build file.
//!
//! Limits: coordinates built from variables in the group or artifact, catalogs other than
//! `libs`, `add("conf", ...)`, dependencies declared in plugins or through custom functions, and
//! `projectDir` remapping in settings are not resolved. A build declares a package
//! `group:<dir name>` only when it sets `group` at top level; otherwise its dependencies
//! hang from the build file.

use super::model::{DepTarget, Dependency, Ecosystem, Manifest, PackageDecl};
use brain_model::Span;

/// A statement with the blocks enclosing it (outermost first) and its lines.
#[derive(Debug)]
struct Statement {
    text: String,
    blocks: Vec<String>,
    span: Span,
}

/// Splits a script into statements, dropping comments. Block headers (`dependencies {`) become
/// statements too, with `{` kept at the end so callers can tell them apart.
fn statements(text: &str, m: &mut Manifest) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut blocks: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut cur_start: u32 = 1;
    let mut line: u32 = 1;
    let mut paren: i32 = 0;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let flush = |cur: &mut String, blocks: &[String], start: u32, end: u32, out: &mut Vec<Statement>| {
        let t = cur.trim();
        if !t.is_empty() {
            out.push(Statement { text: t.to_string(), blocks: blocks.to_vec(), span: Span::new(start, end) });
        }
        cur.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if cur.trim().is_empty() {
            cur_start = line;
        }
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 2;
                continue;
            }
            '"' | '\'' => {
                let triple = next == Some(c) && chars.get(i + 2) == Some(&c);
                let quote_len = if triple { 3 } else { 1 };
                cur.extend(&chars[i..i + quote_len]);
                i += quote_len;
                loop {
                    let Some(&d) = chars.get(i) else {
                        m.problem(Some(line), "unterminated string");
                        break;
                    };
                    if d == '\\' && !triple {
                        cur.push(d);
                        if let Some(&e) = chars.get(i + 1) {
                            cur.push(e);
                        }
                        i += 2;
                        continue;
                    }
                    if d == c && (!triple || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c))) {
                        cur.extend(&chars[i..i + quote_len]);
                        i += quote_len;
                        break;
                    }
                    if d == '\n' {
                        line += 1;
                        if !triple {
                            // Unterminated single-line string: stop at the line end.
                            break;
                        }
                    }
                    cur.push(d);
                    i += 1;
                }
                continue;
            }
            '(' => paren += 1,
            ')' => paren = (paren - 1).max(0),
            '{' => {
                let header = cur.trim().to_string();
                out.push(Statement {
                    text: format!("{header} {{"),
                    blocks: blocks.clone(),
                    span: Span::new(cur_start, line),
                });
                blocks.push(block_name(&header));
                cur.clear();
                paren = 0;
                i += 1;
                continue;
            }
            '}' => {
                flush(&mut cur, &blocks, cur_start, line, &mut out);
                if blocks.pop().is_none() {
                    m.problem(Some(line), "unbalanced `}`");
                }
                paren = 0;
                i += 1;
                continue;
            }
            ';' if paren == 0 => {
                flush(&mut cur, &blocks, cur_start, line, &mut out);
                i += 1;
                continue;
            }
            '\n' => {
                let t = cur.trim_end();
                let continues = paren > 0 || t.ends_with(',') || t.ends_with('.') || t.ends_with('=');
                if continues {
                    if !cur.ends_with(' ') {
                        cur.push(' ');
                    }
                } else {
                    flush(&mut cur, &blocks, cur_start, line, &mut out);
                }
                line += 1;
                i += 1;
                continue;
            }
            c if c.is_whitespace() => {
                // Collapse runs of whitespace outside strings.
                if !cur.ends_with(' ') {
                    cur.push(' ');
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        cur.push(c);
        i += 1;
    }
    flush(&mut cur, &blocks, cur_start, line, &mut out);
    if !blocks.is_empty() {
        m.problem(Some(line), format!("{} unclosed `{{` block(s)", blocks.len()));
    }
    out
}

/// `dependencies`, `buildscript`, `commonTest.dependencies` -> last identifier before `{`,
/// keeping a dotted qualifier (`commonTest.dependencies`).
fn block_name(header: &str) -> String {
    let h = strip_parens(header.trim());
    h.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("").to_string()
}

/// Drops a trailing `(...)` argument list.
fn strip_parens(s: &str) -> &str {
    if s.ends_with(')') {
        if let Some(i) = s.find('(') {
            return s[..i].trim_end();
        }
    }
    s
}

/// String literals in a statement, without quotes.
fn string_literals(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' || c == '\'' {
            let mut lit = String::new();
            while let Some(d) = chars.next() {
                if d == '\\' {
                    if let Some(e) = chars.next() {
                        lit.push(e);
                    }
                    continue;
                }
                if d == c {
                    break;
                }
                lit.push(d);
            }
            out.push(lit);
        }
    }
    out
}

/// The scope a configuration name stands for.
fn scope_of(conf: &str, blocks: &[String]) -> String {
    let lower = conf.to_ascii_lowercase();
    let in_test_set = blocks.iter().any(|b| b.to_ascii_lowercase().contains("test"));
    let s = if lower == "classpath" || blocks.iter().any(|b| b == "buildscript") {
        "build"
    } else if lower.contains("test") || in_test_set {
        "test"
    } else if matches!(lower.as_str(), "annotationprocessor" | "kapt" | "ksp") || lower.starts_with("kapt") {
        "build"
    } else if lower.ends_with("compileonly") || lower == "compileonly" || lower == "provided" {
        "provided"
    } else if lower.ends_with("runtimeonly") || lower == "runtime" {
        "runtime"
    } else if lower == "developmentonly" {
        "dev"
    } else if lower.ends_with("implementation") || lower.ends_with("api") || lower == "compile" {
        "normal"
    } else {
        return lower;
    };
    s.to_string()
}

const NOT_CONFIGURATIONS: &[&str] = &[
    "exclude",
    "because",
    "force",
    "transitive",
    "version",
    "constraints",
    "components",
    "modules",
    "add",
    "attributes",
];

/// Candidate build files for a Gradle project path seen from a build in `dir`: relative to each
/// ancestor of `dir` (nearest first, the build's own directory excluded), then the repo root.
fn project_candidates(project: &str, dir: &str) -> Vec<String> {
    let rel = project.trim_start_matches(':').replace(':', "/");
    let mut out = Vec::new();
    for root in ancestor_roots(dir, false) {
        let base = join(&root, &rel);
        out.push(format!("{base}/build.gradle.kts"));
        out.push(format!("{base}/build.gradle"));
    }
    out
}

/// Reads one statement inside a `dependencies` block.
fn dependency(st: &Statement, dir: &str) -> Option<Dependency> {
    let text = st.text.trim_end_matches('{').trim();
    // Kotlin DSL can name a configuration with a string: `"friendsApi"(projects.okhttp)`.
    let quoted = text.strip_prefix('"').and_then(|t| t.split_once('"')).filter(|(_, rest)| rest.starts_with('('));
    let (conf, ident_end) = match quoted {
        Some((name, _)) => (name, name.len() + 2),
        None => {
            let end = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
            (&text[..end], end)
        }
    };
    if conf.is_empty() || !conf.starts_with(|c: char| c.is_ascii_lowercase()) || NOT_CONFIGURATIONS.contains(&conf) {
        return None;
    }
    let args = text[ident_end..].trim();
    if !(args.starts_with('(')
        || args.starts_with('"')
        || args.starts_with('\'')
        || args.starts_with("group")
        || args.starts_with("project")
        || args.starts_with("platform")
        || args.starts_with("enforcedPlatform")
        || args.starts_with("kotlin")
        || args.starts_with("libs.")
        || args.starts_with("projects."))
    {
        return None;
    }
    let scope = scope_of(conf, &st.blocks);
    let inner = args.strip_prefix('(').map(|a| a.strip_suffix(')').unwrap_or(a)).unwrap_or(args).trim();
    let with_conf = |d: Dependency| d.with_attr("configuration", conf);

    let (platform, inner) = match inner.strip_prefix("enforcedPlatform").or_else(|| inner.strip_prefix("platform")) {
        Some(rest) if rest.trim_start().starts_with('(') => {
            let rest = rest.trim();
            (true, rest.strip_prefix('(').map(|r| r.strip_suffix(')').unwrap_or(r)).unwrap_or(rest).trim())
        }
        _ => (false, inner),
    };
    let mark = |d: Dependency| if platform { d.with_attr("platform", "true") } else { d };
    if let Some(d) = accessor_dependency(inner, &scope, st.span, dir) {
        return Some(with_conf(mark(d)));
    }
    if let Some(rest) = inner.strip_prefix("project") {
        let rest = rest.trim_start();
        let lits = string_literals(rest);
        // `project(":core")` or `project(path: ":core")`.
        let path = lits.into_iter().find(|l| l.starts_with(':'))?;
        let d = Dependency {
            target: DepTarget::Files(project_candidates(&path, dir)),
            scope,
            version: None,
            span: st.span,
            attrs: Vec::new(),
        };
        return Some(with_conf(mark(d.with_attr("project", path))));
    }
    let dep = if let Some(rest) = inner.strip_prefix("kotlin") {
        let lits = string_literals(rest);
        let module = lits.first()?;
        let d = Dependency::package(format!("org.jetbrains.kotlin:kotlin-{module}"), &scope, st.span);
        d.with_version(lits.get(1).cloned())
    } else if inner.contains("name:") || inner.contains("name =") {
        named_coordinate(inner, &scope, st.span)?
    } else {
        let lits = string_literals(inner);
        let coord = lits.first()?;
        string_coordinate(coord, &scope, st.span)?
    };
    Some(with_conf(mark(dep)))
}

/// `libs.square.okio` (default version catalog) and `projects.okhttpTls` (type-safe project
/// accessors). A catalog accessor depends on the catalog file, with attr `accessor` to join on
/// the catalog entry of the same accessor (see [`parse_catalog`]); a project accessor depends
/// on the project's build file (kebab-case or as written, whichever exists).
fn accessor_dependency(inner: &str, scope: &str, span: Span, dir: &str) -> Option<Dependency> {
    let ident_ok = |s: &str| {
        !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    };
    let inner = inner.strip_prefix("rootProject.").unwrap_or(inner);
    if let Some(path) = inner.strip_prefix("libs.") {
        let path = path.trim();
        if !ident_ok(path) {
            return None;
        }
        let candidates = ancestor_roots(dir, true).into_iter().map(|r| join(&r, "gradle/libs.versions.toml")).collect();
        let d = Dependency {
            target: DepTarget::Files(candidates),
            scope: scope.to_string(),
            version: None,
            span,
            attrs: Vec::new(),
        };
        return Some(d.with_attr("accessor", format!("libs.{path}")));
    }
    let path = inner.strip_prefix("projects.")?.trim();
    if !ident_ok(path) {
        return None;
    }
    let kebab: Vec<String> = path.split('.').map(kebab_case).collect();
    let mut candidates = project_candidates(&format!(":{}", kebab.join(":")), dir);
    let literal = format!(":{}", path.replace('.', ":"));
    for c in project_candidates(&literal, dir) {
        if !candidates.contains(&c) {
            candidates.push(c);
        }
    }
    let d = Dependency {
        target: DepTarget::Files(candidates),
        scope: scope.to_string(),
        version: None,
        span,
        attrs: Vec::new(),
    };
    Some(d.with_attr("project", format!(":{}", kebab.join(":"))))
}

/// `okhttpTestingSupport` -> `okhttp-testing-support`.
fn kebab_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn join(root: &str, rel: &str) -> String {
    if root.is_empty() {
        rel.to_string()
    } else {
        format!("{root}/{rel}")
    }
}

/// `dir` (when `include_self`) and its ancestors, nearest first, ending with the repo root `""`.
fn ancestor_roots(dir: &str, include_self: bool) -> Vec<String> {
    let parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let top = if include_self { parts.len() } else { parts.len().saturating_sub(1) };
    let mut roots: Vec<String> = (0..=top).rev().map(|n| parts[..n].join("/")).collect();
    if !include_self && parts.is_empty() {
        roots = vec![String::new()];
    }
    roots
}

/// `"group:artifact[:version[:classifier]][@ext]"`.
fn string_coordinate(coord: &str, scope: &str, span: Span) -> Option<Dependency> {
    let coord = coord.split('@').next().unwrap_or(coord);
    let mut parts = coord.split(':');
    let group = parts.next()?.trim();
    let artifact = parts.next()?.trim();
    let valid = |s: &str| !s.is_empty() && !s.contains('$') && !s.contains(char::is_whitespace);
    if !valid(group) || !valid(artifact) {
        return None;
    }
    let version = parts.next().map(str::to_string);
    let mut d = Dependency::package(format!("{group}:{artifact}"), scope, span).with_version(version);
    if let Some(classifier) = parts.next() {
        d = d.with_attr("classifier", classifier);
    }
    Some(d)
}

/// `group: 'g', name: 'a', version: 'v'` (Groovy) or `group = "g", name = "a"` (Kotlin).
fn named_coordinate(args: &str, scope: &str, span: Span) -> Option<Dependency> {
    let mut group = None;
    let mut name = None;
    let mut version = None;
    for part in args.split(',') {
        let Some((k, v)) = part.split_once(':').or_else(|| part.split_once('=')) else { continue };
        let v = string_literals(v).into_iter().next();
        match k.trim() {
            "group" => group = v,
            "name" => name = v,
            "version" => version = v,
            _ => {}
        }
    }
    let (group, name) = (group?, name?);
    if group.contains('$') || name.contains('$') {
        return None;
    }
    Some(Dependency::package(format!("{group}:{name}"), scope, span).with_version(version))
}

/// Parses a build.gradle / build.gradle.kts in `dir`. Never fails.
pub fn parse_build(text: &str, dir: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Maven);
    let sts = statements(text, &mut m);
    let mut group: Option<(String, Span)> = None;
    let mut version: Option<String> = None;
    for st in &sts {
        if st.blocks.is_empty() {
            if let Some(v) = top_level_assignment(&st.text, "group") {
                group = Some((v, st.span));
            }
            if let Some(v) = top_level_assignment(&st.text, "version") {
                version = Some(v);
            }
        }
        // `if (...) { }` / `else { }` inside a dependencies block do not change what it declares.
        let enclosing = st.blocks.iter().rev().find(|b| !matches!(b.as_str(), "if" | "else"));
        let in_deps = enclosing.is_some_and(|b| b == "dependencies" || b.ends_with(".dependencies"));
        if in_deps {
            if let Some(d) = dependency(st, dir) {
                m.deps.push(d);
            }
        }
    }
    let dir_name = dir.rsplit('/').next().unwrap_or("");
    if let Some((g, span)) = group {
        if !dir_name.is_empty() {
            m.package = Some(PackageDecl { name: format!("{g}:{dir_name}"), version, span, attrs: Vec::new() });
        }
    }
    m
}

/// `group = "com.acme"` / `group 'com.acme'` / `project.group = ...` at top level.
fn top_level_assignment(text: &str, key: &str) -> Option<String> {
    let t = text.trim().strip_prefix("project.").unwrap_or(text.trim());
    let rest = t.strip_prefix(key)?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim();
    if !(rest.starts_with('"') || rest.starts_with('\'')) {
        return None;
    }
    let v = string_literals(rest).into_iter().next()?;
    Some(v).filter(|v| !v.is_empty() && !v.contains('$'))
}

/// Parses settings.gradle(.kts): `include(...)` project paths become members as directories.
pub fn parse_settings(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Maven);
    let sts = statements(text, &mut m);
    for st in &sts {
        let t = st.text.trim();
        let Some(rest) = t.strip_prefix("include") else { continue };
        if !(rest.starts_with('(') || rest.starts_with(' ') || rest.starts_with('"') || rest.starts_with('\'')) {
            continue;
        }
        for lit in string_literals(rest) {
            let dir = lit.trim_start_matches(':').replace(':', "/");
            if !dir.is_empty() {
                m.members.push(dir);
            }
        }
        let span = m.members_span.map_or(st.span, |s| Span::new(s.start_line, st.span.end_line));
        m.members_span = Some(span);
    }
    m
}

/// Parses a Gradle version catalog (`gradle/libs.versions.toml`): every `[libraries]` entry
/// becomes a `catalog`-scoped dependency of the file with attrs `alias` and `accessor`
/// (`libs.` + the alias with `-`/`_` as `.`), which is what build files write.
/// `version.ref` is resolved from `[versions]`.
pub fn parse_catalog(text: &str, file_name: &str) -> Manifest {
    use super::lines::LineIndex;
    use toml::de::{DeTable, DeValue};
    let mut m = Manifest::new(Ecosystem::Maven);
    let idx = LineIndex::new(text);
    let (root, errors) = DeTable::parse_recoverable(text);
    for e in errors.iter().take(5) {
        m.problem(e.span().map(|s| idx.line(s.start)), e.message().trim().to_string());
    }
    let root = root.get_ref();
    let catalog = file_name.strip_suffix(".versions.toml").unwrap_or("libs");
    let versions = root.get("versions").and_then(|v| v.get_ref().as_table());
    let version_ref =
        |name: &str| versions.and_then(|t| t.get(name)).and_then(|v| v.get_ref().as_str()).map(str::to_string);
    let Some(libs) = root.get("libraries").and_then(|v| v.get_ref().as_table()) else { return m };
    for (alias, value) in libs.iter() {
        let span = idx.span(alias.span().start..value.span().end.max(alias.span().end));
        let (coord, version) = match value.get_ref() {
            DeValue::String(s) => {
                let mut parts = s.splitn(3, ':');
                let g = parts.next().unwrap_or("");
                let a = parts.next().unwrap_or("");
                (format!("{g}:{a}"), parts.next().map(str::to_string))
            }
            DeValue::Table(t) => {
                let s = |k: &str| t.get(k).and_then(|v| v.get_ref().as_str()).map(str::to_string);
                let coord = match (s("module"), s("group"), s("name")) {
                    (Some(module), _, _) => module,
                    (None, Some(g), Some(n)) => format!("{g}:{n}"),
                    _ => String::new(),
                };
                let version = match t.get("version").map(|v| v.get_ref()) {
                    Some(DeValue::String(v)) => Some(v.to_string()),
                    Some(DeValue::Table(vt)) => {
                        let get = |k: &str| vt.get(k).and_then(|v| v.get_ref().as_str()).map(str::to_string);
                        get("ref").and_then(|r| version_ref(&r)).or_else(|| get("strictly")).or_else(|| get("require"))
                    }
                    _ => None,
                };
                (coord, version)
            }
            _ => (String::new(), None),
        };
        let valid = coord.split(':').count() == 2 && coord.split(':').all(|p| !p.trim().is_empty());
        if !valid {
            m.problem(Some(span.start_line), format!("catalog entry `{}` has no group:artifact", alias.get_ref()));
            continue;
        }
        let accessor = format!("{catalog}.{}", alias.get_ref().replace(['-', '_'], "."));
        m.managed.push(
            Dependency::package(coord, "catalog", span)
                .with_version(version)
                .with_attr("alias", alias.get_ref().to_string())
                .with_attr("accessor", accessor),
        );
    }
    m.managed.sort_by_key(|d| d.span.start_line);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_track_blocks_and_lines() {
        let mut m = Manifest::new(Ecosystem::Maven);
        let text = "plugins { id 'java' }\n// comment {\ndependencies {\n  implementation(\n    \"a:b:1\"\n  ) { exclude group: 'x' }\n  /* block\n  } */ api 'c:d'\n}\n";
        let sts = statements(text, &mut m);
        let deps: Vec<_> = sts.iter().filter(|s| s.blocks.last().map(String::as_str) == Some("dependencies")).collect();
        assert_eq!(deps.len(), 2, "{sts:#?}");
        assert_eq!(deps[0].text, "implementation( \"a:b:1\" ) {");
        assert_eq!(deps[0].span, Span::new(4, 6));
        assert_eq!(deps[1].text, "api 'c:d'");
        assert_eq!(deps[1].span, Span::line(8));
        assert!(m.problems.is_empty(), "{:?}", m.problems);
    }

    #[test]
    fn project_paths_resolve_from_ancestors() {
        assert_eq!(project_candidates(":core", ""), vec!["core/build.gradle.kts", "core/build.gradle"]);
        assert_eq!(
            project_candidates(":lib:x", "android/app"),
            vec![
                "android/lib/x/build.gradle.kts",
                "android/lib/x/build.gradle",
                "lib/x/build.gradle.kts",
                "lib/x/build.gradle"
            ]
        );
    }
}
