//! Fixture tests for the package-manifest ingestor.
//!
//! Every file under `tests/fixtures/manifests/` is ingested as repo `fx` with its path relative
//! to that folder. Its facts are rendered one per line (see [`render`]) and snapshotted per
//! top-level folder. Annotations in the fixtures are checked too: a line containing
//! `expect: <tokens>` requires some rendered fact of that file to contain every token, and
//! `expect-not: <tokens>` requires that none does. Tokens are compared after removing spaces
//! inside attribute values.

use brain_ingest_code::manifests::{ManifestIngestor, ManifestKind};
use brain_model::{Facts, Ingestor, RefTarget, SourceFile, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const REPO: &str = "fx";

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manifests")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// `(relative path, content)` of every fixture file, sorted by path.
fn fixtures() -> Vec<(String, String)> {
    let root = fixture_root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&root).ok()?.to_string_lossy().replace('\\', "/");
            let content = std::fs::read_to_string(&p).ok()?;
            Some((rel, content))
        })
        .collect();
    out.sort();
    out
}

fn span(s: Option<Span>) -> String {
    match s {
        Some(s) if s.start_line == s.end_line => format!("@{}", s.start_line),
        Some(s) => format!("@{}-{}", s.start_line, s.end_line),
        None => "@?".to_string(),
    }
}

/// One rendered fact: the readable line and its tokens for annotation matching.
struct Rendered {
    line: String,
    tokens: Vec<String>,
}

fn rendered(parts: Vec<String>, attrs: &brain_model::Attrs, at: String) -> Rendered {
    let mut line = parts.clone();
    let mut tokens = parts;
    for (k, v) in attrs {
        if v.contains(char::is_whitespace) {
            line.push(format!("{k}={v:?}"));
        } else {
            line.push(format!("{k}={v}"));
        }
        tokens.push(format!("{k}={}", v.split_whitespace().collect::<String>()));
    }
    line.push(at.clone());
    tokens.push(at);
    Rendered { line: line.join(" "), tokens }
}

/// Facts as sorted readable lines. Also asserts the provenance invariants every fact must keep.
fn render(path: &str, facts: &Facts) -> Vec<Rendered> {
    let mut out = Vec::new();
    let check = |p: &brain_model::Provenance| {
        assert_eq!(p.repo, REPO);
        assert_eq!(p.path, path);
        assert_eq!(p.ingestor, "manifest");
        assert!(p.origin.is_declared(), "manifest facts are declared");
        assert!(p.span.is_some(), "every manifest fact has a span");
    };
    for n in &facts.nodes {
        check(&n.prov);
        let head = if n.kind == brain_model::NodeKind::Package { "package" } else { "node" };
        let mut attrs = n.attrs.clone();
        attrs.insert("kind", n.kind.as_str().into());
        attrs.insert("name", n.name.clone());
        out.push(rendered(vec![head.into(), n.id.to_string()], &attrs, span(n.prov.span)));
    }
    for e in &facts.edges {
        check(&e.prov);
        out.push(rendered(
            vec![e.kind.as_str().into(), e.from.to_string(), "->".into(), e.to.to_string()],
            &e.attrs,
            span(e.prov.span),
        ));
    }
    for r in &facts.refs {
        check(&r.prov);
        let head = match r.kind {
            brain_model::EdgeKind::DependsOn => "dep".to_string(),
            brain_model::EdgeKind::Imports => "import".to_string(),
            k => k.as_str().to_string(),
        };
        let mut parts = vec![head, r.from.to_string(), "->".into()];
        match &r.target {
            RefTarget::Key { ns, key, .. } if ns == "package" => parts.push(key.clone()),
            RefTarget::Key { ns, key, .. } => parts.push(format!("{ns}:{key}")),
            RefTarget::AnyOf(ids) => {
                parts.push("any(".into());
                parts.extend(ids.iter().map(|i| i.to_string()));
                parts.push(")".into());
            }
        }
        out.push(rendered(parts, &r.attrs, span(r.prov.span)));
    }
    for p in &facts.provides {
        out.push(rendered(
            vec!["provide".into(), p.node.to_string(), p.ns.clone(), p.key.clone()],
            &brain_model::Attrs::new(),
            String::new(),
        ));
    }
    for d in &facts.diagnostics {
        assert_eq!(d.path, path);
        let at = d.line.map_or("@?".to_string(), |l| format!("@{l}"));
        let mut r =
            rendered(vec!["diag".into(), d.severity.as_str().into(), d.code.clone()], &brain_model::Attrs::new(), at);
        r.line.push_str(&format!(": {}", d.message));
        out.push(r);
    }
    for r in &mut out {
        r.line = r.line.trim_end().to_string();
    }
    out.sort_by(|a, b| a.line.cmp(&b.line));
    out
}

/// `expect:` / `expect-not:` annotations of a fixture: `(line, negated, tokens)`.
fn annotations(content: &str) -> Vec<(usize, bool, Vec<String>)> {
    let mut out = Vec::new();
    for (i, line) in content.lines().enumerate() {
        for (marker, negated) in [("expect-not:", true), ("expect:", false)] {
            if let Some(pos) = line.find(marker) {
                let rest = &line[pos + marker.len()..];
                let rest = rest.trim().trim_end_matches("-->").trim_end_matches(',').trim_end_matches('"').trim();
                let tokens = rest.split_whitespace().map(str::to_string).collect();
                out.push((i + 1, negated, tokens));
                break;
            }
        }
    }
    out
}

/// Ingests every fixture of `group` (a top-level folder), checks its annotations and returns
/// the snapshot text.
fn run_group(group: &str) -> String {
    let ing = ManifestIngestor::new();
    let mut snapshot = String::new();
    let mut failures = Vec::new();
    let mut count = 0;
    for (path, content) in fixtures() {
        if !path.starts_with(&format!("{group}/")) {
            continue;
        }
        assert!(ing.accepts(&path), "fixture {path} is not accepted");
        count += 1;
        let facts = ing.ingest(&SourceFile { repo: REPO, path: &path, content: &content });
        let lines = render(&path, &facts);
        snapshot.push_str(&format!("== {path}\n"));
        for r in &lines {
            snapshot.push_str(&r.line);
            snapshot.push('\n');
        }
        for (at, negated, tokens) in annotations(&content) {
            let hit = lines.iter().any(|r| tokens.iter().all(|t| r.tokens.contains(t)));
            if hit == negated {
                let verb = if negated { "unexpected" } else { "missing" };
                failures.push(format!("{path}:{at}: {verb}: {}", tokens.join(" ")));
            }
        }
        if failures.iter().any(|f| f.starts_with(&format!("{path}:"))) {
            failures.push(format!(
                "-- facts of {path}:\n{}",
                lines.iter().map(|r| r.line.as_str()).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    assert!(count > 0, "no fixtures in {group}");
    assert!(failures.is_empty(), "annotation failures:\n{}", failures.join("\n"));
    snapshot
}

#[test]
fn cargo_manifests() {
    insta::assert_snapshot!("cargo", run_group("cargo"));
}

#[test]
fn npm_manifests() {
    insta::assert_snapshot!("npm", run_group("npm"));
}

#[test]
fn pnpm_workspace() {
    insta::assert_snapshot!("pnpm", run_group("pnpm"));
}

#[test]
fn go_manifests() {
    insta::assert_snapshot!("go", run_group("go"));
}

#[test]
fn python_manifests() {
    insta::assert_snapshot!("python", run_group("python"));
}

#[test]
fn maven_manifests() {
    insta::assert_snapshot!("maven", run_group("maven"));
}

#[test]
fn gradle_manifests() {
    insta::assert_snapshot!("gradle", run_group("gradle"));
}

#[test]
fn annotations_are_checked() {
    // The harness must be able to fail: a wrong expectation is reported as missing.
    let facts = ManifestIngestor::new().ingest(&SourceFile {
        repo: REPO,
        path: "Cargo.toml",
        content: "[package]\nname = \"a\"\n[dependencies]\nb = \"1\"\n",
    });
    let lines = render("Cargo.toml", &facts);
    let has = |toks: &[&str]| lines.iter().any(|r| toks.iter().all(|t| r.tokens.contains(&t.to_string())));
    assert!(has(&["dep", "pkg:cargo:a", "cargo:b", "scope=normal", "@4"]));
    assert!(!has(&["dep", "cargo:b", "scope=dev"]));
    assert!(!has(&["dep", "cargo:b", "@3"]));
}

#[test]
fn accepts_only_manifests() {
    let ing = ManifestIngestor::new();
    for p in [
        "Cargo.toml",
        "crates/x/Cargo.toml",
        "package.json",
        "pnpm-workspace.yaml",
        "go.mod",
        "go.work",
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
        "dev-requirements.txt",
        "requirements/base.txt",
        "pom.xml",
        "a/build.gradle",
        "build.gradle.kts",
        "settings.gradle.kts",
        "gradle/libs.versions.toml",
    ] {
        assert!(ing.accepts(p), "{p}");
    }
    for p in [
        "Cargo.lock",
        "package-lock.json",
        "web/node_modules/x/package.json",
        "notes.txt",
        "go.sum",
        "src/pom.rs",
        "libs.versions.toml",
    ] {
        assert!(!ing.accepts(p), "{p}");
    }
    assert_eq!(ManifestKind::of_path("a/b/pom.xml"), Some(ManifestKind::Pom));
}

#[test]
fn truncated_and_garbled_manifests_never_panic() {
    let ing = ManifestIngestor::new();
    for (path, content) in fixtures() {
        let mut cuts: Vec<usize> = content.match_indices('\n').map(|(i, _)| i).collect();
        cuts.extend((0..content.len()).step_by(7));
        for cut in cuts {
            if !content.is_char_boundary(cut) {
                continue;
            }
            let head = &content[..cut];
            let facts = ing.ingest(&SourceFile { repo: REPO, path: &path, content: head });
            for d in &facts.diagnostics {
                assert_eq!(d.code, "manifest.parse");
            }
            let garbled = format!("{head}\u{0}]}}{{[\"'<>:=\u{3000}é—\n{}", &content[cut..]);
            let _ = ing.ingest(&SourceFile { repo: REPO, path: &path, content: &garbled });
        }
    }
}

/// Corpus run on a real checkout: `MANIFEST_CORPUS=/path/to/repo cargo test -p brain-ingest-code
/// --test manifests corpus -- --ignored --nocapture`. Prints every package, dependency count per
/// manifest and every diagnostic, for comparison against the manifests by hand or with
/// `cargo metadata`.
#[test]
#[ignore]
fn corpus() {
    let Some(root) = std::env::var_os("MANIFEST_CORPUS") else {
        eprintln!("set MANIFEST_CORPUS to a checkout");
        return;
    };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    walk_corpus(&root, &mut files);
    files.sort();
    let ing = ManifestIngestor::new();
    let (mut manifests, mut packages, mut deps, mut diags) = (0, 0, 0, 0);
    let mut by_scope: BTreeMap<String, usize> = BTreeMap::new();
    for p in files {
        let Ok(rel) = p.strip_prefix(&root) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !ing.accepts(&rel) {
            continue;
        }
        let Ok(content) = std::fs::read_to_string(&p) else { continue };
        manifests += 1;
        let facts = ing.ingest(&SourceFile { repo: "corpus", path: &rel, content: &content });
        let pkg: Vec<_> = facts
            .nodes
            .iter()
            .map(|n| format!("{} {}", n.id, n.attr("members").map(|m| format!("members=[{m}]")).unwrap_or_default()))
            .collect();
        let n_deps = facts.refs.iter().filter(|r| r.kind == brain_model::EdgeKind::DependsOn).count();
        for r in &facts.refs {
            *by_scope.entry(r.attr("scope").unwrap_or("-").to_string()).or_default() += 1;
        }
        packages += facts.nodes.iter().filter(|n| n.kind == brain_model::NodeKind::Package).count();
        deps += n_deps;
        diags += facts.diagnostics.len();
        println!("{rel}: {} deps={n_deps} refs={}", pkg.join(" "), facts.refs.len());
        for d in &facts.diagnostics {
            println!("  {}", d.render());
        }
        if std::env::var_os("MANIFEST_CORPUS_VERBOSE").is_some() {
            for r in render(&rel, &facts_with_repo(facts, REPO)) {
                println!("    {}", r.line);
            }
        }
    }
    println!("manifests={manifests} packages={packages} depends_on={deps} diagnostics={diags} by_scope={by_scope:?}");
}

fn facts_with_repo(mut facts: Facts, repo: &str) -> Facts {
    for n in &mut facts.nodes {
        n.prov.repo = repo.into();
    }
    for e in &mut facts.edges {
        e.prov.repo = repo.into();
    }
    for r in &mut facts.refs {
        r.prov.repo = repo.into();
    }
    facts
}

fn walk_corpus(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if name == ".git" || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            walk_corpus(&p, out);
        } else {
            out.push(p);
        }
    }
}
