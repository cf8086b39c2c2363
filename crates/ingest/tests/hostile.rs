//! Hostile repositories end to end, with the ingestors the binary ships
//! (`brain_stack`), a real store and real files in a temp dir: symlinks that
//! leave the repo, loop or dangle; a sparse 2 GB file; a FIFO; YAML
//! "billion laughs" in every YAML format the brain reads; paths with `..`
//! from the file watcher. Each one is bounded and reported, and the rest of
//! the repo is ingested.

use brain_ingest::{Brain, IngestReport, NoProgress, RepoConfig};
use brain_model::{Diagnostic, NodeId, NodeKind, Severity};
use std::fs;
use std::path::Path;

const REPO: &str = "acme/hostile";

fn open(data: &Path) -> Brain {
    Brain::open(data, brain_stack::ingestors(), brain_stack::passes()).expect("open brain")
}

fn repo(dir: &Path) -> RepoConfig {
    RepoConfig { name: REPO.into(), path: dir.to_path_buf(), include: vec![], exclude: vec![] }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

fn file_nodes(brain: &Brain) -> Vec<String> {
    let g = brain.snapshot();
    let mut v: Vec<String> = g.nodes_of_kind(NodeKind::File).map(|n| n.prov.path.to_string()).collect();
    v.sort();
    v
}

fn with_code<'a>(report: &'a IngestReport, code: &str) -> Vec<&'a Diagnostic> {
    report.diagnostics.iter().filter(|d| d.code == code).collect()
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed_and_those_that_leave_are_named() {
    use std::os::unix::fs::symlink;
    let work = tempfile::tempdir().expect("tempdir");
    let outside = work.path().join("outside");
    write(&outside.join("secret.md"), "TOPSECRET outside the repository\n");
    let src = work.path().join("repo");
    write(&src.join("docs/real.md"), "# Real\nInside the repository.\n");
    write(&src.join("README.md"), "# Hostile\n");
    symlink("docs/real.md", src.join("link_in.md")).expect("link in");
    symlink("../outside/secret.md", src.join("link_out.md")).expect("link out");
    symlink(outside.join("secret.md"), src.join("abs_out.md")).expect("absolute link out");
    symlink(&outside, src.join("dir_out")).expect("dir link out");
    symlink(".", src.join("self")).expect("link to the root");
    symlink("loop_b", src.join("loop_a")).expect("loop a");
    symlink("loop_a", src.join("loop_b")).expect("loop b");
    symlink("nowhere.md", src.join("broken.md")).expect("broken");

    let brain = open(&work.path().join("data"));
    let report = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    // Only the two regular files; no link became a file, nothing outside was read.
    assert_eq!(file_nodes(&brain), vec!["README.md".to_string(), "docs/real.md".to_string()]);
    assert_eq!(report.files_seen, 2, "{report:?}");
    let hits = brain
        .search(&brain_store::SearchQuery { text: "TOPSECRET".into(), limit: 10, ..Default::default() })
        .expect("search");
    assert!(hits.is_empty(), "{hits:?}");

    let warnings: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.code == "walk.symlink")
        .map(|d| d.message.as_str())
        .collect();
    let named = |link: &str| warnings.iter().filter(|m| m.contains(&format!("'{link}'"))).count();
    for link in ["link_out.md", "abs_out.md", "dir_out"] {
        assert_eq!(named(link), 1, "{link}: {warnings:?}");
    }
    assert!(warnings
        .iter()
        .any(|m| m.contains("'link_out.md' -> '../outside/secret.md' leads outside the repository")));
    for link in ["loop_a", "loop_b", "broken.md"] {
        assert!(
            warnings.iter().any(|m| m.contains(&format!("'{link}'")) && m.contains("broken or loops")),
            "{warnings:?}"
        );
    }
    // Links inside the repo need no warning: their targets are ingested under their own paths.
    assert_eq!(named("link_in.md") + named("self"), 0, "{warnings:?}");
    assert_eq!(warnings.len(), 6, "{warnings:?}");
    let paths: Vec<&str> =
        report.diagnostics.iter().filter(|d| d.code == "walk.symlink").map(|d| d.path.as_str()).collect();
    assert!(paths.contains(&"link_out.md") && paths.contains(&"dir_out"), "the link's own path: {paths:?}");

    // The watcher's single-path re-ingest refuses the same links and `..` paths.
    let paths: Vec<String> =
        ["link_out.md", "abs_out.md", "dir_out/secret.md", "self/README.md", "../outside/secret.md", "/etc/passwd"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let again = brain.ingest_paths(&repo(&src), &paths).expect("ingest paths");
    assert_eq!((again.parsed, again.skipped), (0, 0), "{again:?}");
    assert_eq!(file_nodes(&brain), vec!["README.md".to_string(), "docs/real.md".to_string()]);

    // A repo configured through a symlink is walked, and judged against its real root.
    let via = work.path().join("via");
    symlink(&src, &via).expect("link to the repo");
    let other = open(&work.path().join("data2"));
    let r = other.ingest_repo(&repo(&via), &NoProgress).expect("ingest through a link");
    assert_eq!(r.files_seen, 2, "{r:?}");
    assert_eq!(r.diagnostics.iter().filter(|d| d.message.starts_with("symlink")).count(), 6);
}

#[test]
fn a_sparse_2gb_file_is_recorded_as_too_large_without_being_read() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("repo");
    write(&src.join("src/lib.rs"), "pub fn ok() {}\n");
    let huge = src.join("dump.sql");
    let size: u64 = 2 * 1024 * 1024 * 1024;
    fs::File::create(&huge).and_then(|f| f.set_len(size)).expect("sparse 2 GB file");

    let brain = open(&work.path().join("data"));
    let report = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest completes");
    assert_eq!((report.files_seen, report.skipped, report.parsed), (2, 1, 1), "{report:?}");
    let too_large = with_code(&report, "file.too-large");
    assert_eq!(too_large.len(), 1, "{:?}", report.diagnostics);
    assert_eq!(too_large[0].path, "dump.sql");
    assert!(too_large[0].message.contains(&size.to_string()) && too_large[0].message.contains("without parsing"));
    // Recorded (a File node with its size), never read: no content stored, nothing parsed.
    let g = brain.snapshot();
    let node = g.node(&NodeId::file(REPO, "dump.sql")).expect("file node");
    assert_eq!(node.attr("skipped"), Some("too-large"));
    assert_eq!(node.attr(brain_model::attr::SIZE), Some(size.to_string().as_str()));
    assert_eq!(brain.content(REPO, "dump.sql").expect("store"), None);
    assert!(g.node(&NodeId::file(REPO, "src/lib.rs")).is_some());

    // Unchanged on the next ingest, by size alone (still not read).
    let again = brain.ingest_repo(&repo(&src), &NoProgress).expect("re-ingest");
    assert_eq!((again.unchanged, again.skipped), (2, 0), "{again:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_not_opened() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("repo");
    write(&src.join("README.md"), "# Repo\n");
    let made = std::process::Command::new("mkfifo").arg(src.join("pipe.md")).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    let brain = open(&work.path().join("data"));
    // Reading the FIFO would block forever: the walk lists regular files only.
    let report = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    assert_eq!(report.files_seen, 1, "{report:?}");
    assert_eq!(file_nodes(&brain), vec!["README.md".to_string()]);
}

/// 9 levels of 9 aliases: 9^9 (387 million) leaves once expanded.
fn laughs(indent: &str) -> String {
    let mut s = format!("{indent}l0: &l0 \"lol\"\n");
    for i in 1..=9 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        s.push_str(&format!("{indent}l{i}: &l{i} [{refs}]\n"));
    }
    s
}

#[test]
fn billion_laughs_in_every_yaml_format_is_bounded_and_reported() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("repo");
    let bomb = laughs("  ");
    let top = laughs("");
    let files = [
        (
            "api/openapi.yaml",
            format!("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {{}}\nx-bomb:\n{bomb}"),
        ),
        (
            "api/asyncapi.yaml",
            format!("asyncapi: 2.6.0\ninfo:\n  title: t\n  version: '1'\nchannels: {{}}\nx-bomb:\n{bomb}"),
        ),
        (
            "schemas/order.schema.yaml",
            format!("$schema: https://json-schema.org/draft/2020-12/schema\ntype: object\n$defs:\n{bomb}"),
        ),
        (
            "catalog-info.yaml",
            format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n{bomb}"),
        ),
        (".github/workflows/ci.yml", format!("name: ci\non: push\njobs:\n  build:\n    runs-on: x\n{top}")),
        ("docker-compose.yml", format!("services:\n  web:\n    image: nginx\n{top}")),
        ("k8s/deploy.yaml", format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n{top}")),
        ("README.md", "# Still ingested\n".to_string()),
    ];
    for (path, text) in &files {
        write(&src.join(path), text);
    }
    let brain = open(&work.path().join("data"));
    let report = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest completes");
    assert_eq!(report.files_seen, files.len());
    // Bounded: a handful of nodes per file, not hundreds of millions.
    assert!(report.nodes_written < 500, "{} nodes written", report.nodes_written);
    assert!(brain.snapshot().node(&NodeId::file(REPO, "README.md")).is_some());

    // The contract readers expand aliases and refuse the bomb with its line.
    for (code, path) in [
        ("openapi.parse", "api/openapi.yaml"),
        ("asyncapi.parse", "api/asyncapi.yaml"),
        ("jsonschema.parse", "schemas/order.schema.yaml"),
    ] {
        let d = report.diagnostics.iter().find(|d| d.code == code && d.path == path);
        let d = d.unwrap_or_else(|| panic!("no {code} on {path}: {:?}", report.diagnostics));
        assert!(d.message.contains("billion laughs") && d.line.is_some_and(|l| l > 1), "{d:?}");
    }
    // The org readers never expand aliases (they keep them as text) and say so.
    for path in ["catalog-info.yaml", ".github/workflows/ci.yml", "docker-compose.yml"] {
        assert!(
            report.diagnostics.iter().any(|d| d.path == path && d.code == "yaml.anchors-dropped"),
            "{path}: {:?}",
            report.diagnostics
        );
    }
}

#[test]
fn codeowners_patterns_with_dot_dot_own_nothing_and_are_reported() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("repo");
    write(&src.join("secret/key.txt"), "k\n");
    write(&src.join("src/lib.rs"), "pub fn ok() {}\n");
    write(
        &src.join(".github/CODEOWNERS"),
        "* @acme/owners\n../../etc/passwd @evil\n/../secret/** @evil\nsrc/../../** @evil\n",
    );
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    let g = brain.snapshot();
    let evil = NodeId::owner("@evil");
    let owned: Vec<String> = g.edges().filter(|e| e.from == evil).map(|e| e.to.to_string()).collect();
    assert!(owned.is_empty(), "{owned:?}");
    let key = NodeId::file(REPO, "secret/key.txt");
    assert!(g.edges().any(|e| e.to == key && e.from == NodeId::owner("@acme/owners")));
    // Patterns are only matched against repo paths, never resolved on disk: each is a stale rule.
    let mut stale: Vec<u32> =
        g.diagnostics().filter(|d| d.code == "codeowners.stale-rule").filter_map(|d| d.line).collect();
    stale.sort();
    assert_eq!(stale, vec![2, 3, 4], "{:?}", g.diagnostics().collect::<Vec<_>>());
}
