//! Incremental snapshots end to end: a saved file, a lesson and writes made
//! while the background relink runs are visible at once, and once the relink
//! is done the snapshot equals a brain opened fresh on the same store.
//! Real files, real sled and tantivy, the shipped ingestors and link passes.

use brain_graph::Graph;
use brain_ingest::{Brain, NoProgress, RepoConfig};
use brain_model::{EdgeKind, NodeId};
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const REPO: &str = "acme/shop";

fn open(data: &Path) -> Brain {
    Brain::open(data, brain_stack::ingestors(), brain_stack::passes()).expect("open brain")
}

fn repo(dir: &Path) -> RepoConfig {
    RepoConfig { name: REPO.into(), path: dir.to_path_buf(), include: vec![], exclude: vec![] }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

/// A small Rust service with owners, calls across files and a spec.
fn shop(root: &Path) {
    write(root, ".github/CODEOWNERS", "* @acme/shop\nsrc/db.rs @acme/dba\n");
    write(root, "Cargo.toml", "[package]\nname = \"shop\"\nversion = \"0.1.0\"\n\n[dependencies]\nserde = \"1\"\n");
    write(root, "src/main.rs", "mod db;\nmod api;\n\nfn main() {\n    db::save_order();\n    api::serve();\n}\n");
    write(root, "src/db.rs", "pub fn save_order() {\n    connect();\n}\n\nfn connect() {}\n");
    write(root, "src/api.rs", "pub fn serve() {\n    crate::db::save_order();\n}\n");
}

fn sym(path: &str, name: &str) -> NodeId {
    NodeId::symbol(REPO, path, name)
}

fn sorted(v: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = v.collect();
    v.sort();
    v
}

/// What a user can read off two snapshots, compared.
fn assert_same_graph(a: &Graph, b: &Graph) {
    let mut sa = a.stats();
    let mut sb = b.stats();
    // The count of dropped dangling edges is a global diagnostic: not compared.
    sa.diagnostics = 0;
    sb.diagnostics = 0;
    assert_eq!(sa, sb, "stats");
    let nodes = |g: &Graph| sorted(g.nodes().map(|n| format!("{} {:?} {:?}", n.id, n.kind, n.attrs)));
    assert_eq!(nodes(a), nodes(b), "nodes");
    let edges = |g: &Graph| {
        sorted(g.edges().map(|e| format!("{} -{:?}-> {} @{}:{}", e.from, e.kind, e.to, e.prov.repo, e.prov.path)))
    };
    assert_eq!(edges(a), edges(b), "edges");
    let unresolved = |g: &Graph| sorted(g.unresolved().map(|r| format!("{} {:?} {:?}", r.from, r.kind, r.target)));
    assert_eq!(unresolved(a), unresolved(b), "unresolved");
}

/// Closes the brain and opens a fresh one on the same store: the reference
/// snapshot (a full build from what is on disk).
fn reopened(brain: Brain) -> (Arc<Graph>, Brain) {
    let data = brain.data_dir().to_path_buf();
    drop(brain);
    let fresh = open(&data);
    (fresh.snapshot(), fresh)
}

#[test]
fn a_saved_file_is_visible_at_once_and_the_relink_equals_a_fresh_open() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("shop");
    shop(&src);
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    assert!(brain.snapshot().is_exact(), "a first ingest is linked whole");
    let g = brain.snapshot();
    assert!(g.outgoing(&sym("src/main.rs", "main")).any(|e| e.other.id == sym("src/db.rs", "save_order")));
    assert!(g.incoming(&NodeId::file(REPO, "src/db.rs")).any(|e| e.edge.kind == EdgeKind::Owns));

    // Save db.rs with save_order renamed to persist_order (and callers not yet updated).
    brain.set_relink_delay(Duration::from_millis(300));
    write(&src, "src/db.rs", "pub fn persist_order() {\n    connect();\n}\n\nfn connect() {}\n\nfn audit() {}\n");
    brain.ingest_paths(&repo(&src), &["src/db.rs".into()]).expect("ingest paths");
    let g = brain.snapshot();
    assert!(!g.is_exact(), "patched, the relink is under way");
    assert!(g.contains(&sym("src/db.rs", "persist_order")), "the new function is visible at once");
    assert!(g.contains(&sym("src/db.rs", "audit")));
    assert!(!g.contains(&sym("src/db.rs", "save_order")), "the removed one is gone");
    assert!(!g.outgoing(&sym("src/main.rs", "main")).any(|e| e.other.id == sym("src/db.rs", "save_order")));
    assert!(g.outgoing(&sym("src/db.rs", "persist_order")).any(|e| e.other.id == sym("src/db.rs", "connect")));
    // Owners of the saved file (a link pass's edges into entities it keeps) stay.
    assert!(g.incoming(&NodeId::file(REPO, "src/db.rs")).any(|e| e.edge.kind == EdgeKind::Owns));

    // A caller updated: its call links to the new function at once.
    write(&src, "src/api.rs", "pub fn serve() {\n    crate::db::persist_order();\n}\n");
    brain.ingest_paths(&repo(&src), &["src/api.rs".into()]).expect("ingest paths");
    assert!(brain
        .snapshot()
        .outgoing(&sym("src/api.rs", "serve"))
        .any(|e| e.other.id == sym("src/db.rs", "persist_order")));

    assert!(brain.wait_exact(Duration::from_secs(60)), "the relink finishes");
    let relinked = brain.snapshot();
    assert!(relinked.is_exact());
    let (fresh, _brain) = reopened(brain);
    assert_same_graph(&relinked, &fresh);
}

#[test]
fn a_lesson_recorded_through_the_api_is_visible_at_once() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("shop");
    shop(&src);
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    brain.set_relink_delay(Duration::from_millis(300));
    let input = brain_query::LessonInput {
        text: "Amounts are cents, never floats".into(),
        applies_to: vec![NodeId::file(REPO, "src/db.rs")],
        author: "ana".into(),
        ..Default::default()
    };
    let facts = brain_query::lesson_facts(&input, 1_700_000_000);
    let id = facts.nodes[0].id.clone();
    brain.put_record(id.as_str(), facts).expect("put record");
    let g = brain.snapshot();
    assert!(!g.is_exact());
    let lesson = g.node(&id).expect("the lesson is visible at once");
    assert_eq!(lesson.attr(brain_model::attr::STATUS), Some("active"));
    assert!(g.incoming(&NodeId::file(REPO, "src/db.rs")).any(|e| e.other.id == id));
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let relinked = brain.snapshot();
    let (fresh, _brain) = reopened(brain);
    assert_same_graph(&relinked, &fresh);
}

#[test]
fn writes_made_while_a_relink_runs_are_not_lost() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("shop");
    shop(&src);
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    // Every relink takes the units, then waits: the writes below land meanwhile.
    brain.set_relink_delay(Duration::from_millis(400));
    write(&src, "src/db.rs", "pub fn save_order() {\n    connect();\n}\n\nfn connect() {}\n\nfn one() {}\n");
    brain.ingest_paths(&repo(&src), &["src/db.rs".into()]).expect("first write");
    std::thread::sleep(Duration::from_millis(100));
    write(&src, "src/extra.rs", "pub fn two() {\n    crate::db::save_order();\n}\n");
    write(&src, "src/main.rs", "mod db;\nmod extra;\n\nfn main() {\n    extra::two();\n}\n");
    fs::remove_file(src.join("src/api.rs")).expect("rm");
    let paths = ["src/extra.rs".to_string(), "src/main.rs".into(), "src/api.rs".into()];
    brain.ingest_paths(&repo(&src), &paths).expect("second write");
    let lesson = brain_query::lesson_facts(
        &brain_query::LessonInput {
            text: "two() must stay idempotent".into(),
            applies_to: vec![sym("src/extra.rs", "two")],
            ..Default::default()
        },
        1_700_000_001,
    );
    let lesson_id = lesson.nodes[0].id.clone();
    brain.put_record(lesson_id.as_str(), lesson).expect("third write");
    let check = |g: &Graph| {
        assert!(g.contains(&sym("src/db.rs", "one")));
        assert!(g.contains(&sym("src/extra.rs", "two")));
        assert!(!g.contains(&NodeId::file(REPO, "src/api.rs")));
        assert!(g.outgoing(&sym("src/main.rs", "main")).any(|e| e.other.id == sym("src/extra.rs", "two")));
        assert!(g.outgoing(&sym("src/extra.rs", "two")).any(|e| e.other.id == sym("src/db.rs", "save_order")));
        assert!(g.incoming(&sym("src/extra.rs", "two")).any(|e| e.other.id == lesson_id));
    };
    check(&brain.snapshot());
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let relinked = brain.snapshot();
    check(&relinked);
    assert!(brain.last_relink().is_some());
    let (fresh, _brain) = reopened(brain);
    check(&fresh);
    assert_same_graph(&relinked, &fresh);
}
