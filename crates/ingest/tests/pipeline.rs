//! The pipeline end to end on a real temp repo, a real sled store and a real
//! tantivy index.

use brain_ingest::{Brain, Config, NoProgress, RepoConfig};
use brain_ingest_files::FilesIngestor;
use brain_model::{Facts, Ingestor, NodeId, SourceFile};
use brain_store::SearchQuery;
use std::fs;
use std::path::Path;

struct Panicky;
impl Ingestor for Panicky {
    fn name(&self) -> &'static str {
        "panicky"
    }
    fn accepts(&self, path: &str) -> bool {
        path.ends_with(".boom")
    }
    fn ingest(&self, _file: &SourceFile<'_>) -> Facts {
        panic!("this ingestor always fails")
    }
}

fn open(data: &Path) -> Brain {
    Brain::open(data, vec![Box::new(FilesIngestor), Box::new(Panicky)], vec![]).expect("open brain")
}

fn repo(dir: &Path) -> RepoConfig {
    RepoConfig { name: "acme/orders".into(), path: dir.to_path_buf(), include: vec![], exclude: vec![] }
}

#[test]
fn incremental_ingest_parses_only_what_changed_and_survives_restart() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("orders");
    fs::create_dir_all(src.join("src")).expect("mkdir");
    fs::create_dir_all(src.join(".github")).expect("mkdir");
    fs::write(src.join("src/api.rs"), "pub fn create_order() { let created_at = 1; }\n").expect("write");
    fs::write(src.join("src/old.rs"), "fn old() {}\n").expect("write");
    fs::write(src.join(".github/CODEOWNERS"), "* @acme/orders\n").expect("write");
    fs::write(src.join("logo.png"), [0x89, b'P', b'N', b'G', 0, 0, 1]).expect("write");
    fs::write(src.join("bad.boom"), "x").expect("write");
    fs::write(src.join(".gitignore"), "target/\n").expect("write");
    fs::create_dir_all(src.join("target")).expect("mkdir");
    fs::write(src.join("target/ignored.rs"), "fn ignored() {}\n").expect("write");
    let data = work.path().join("data");

    let brain = open(&data);
    let r1 = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    assert_eq!(r1.files_seen, 6, "{r1:?}");
    assert_eq!(r1.parsed, 5);
    assert_eq!(r1.skipped, 1, "the binary file is recorded, not parsed");
    assert_eq!(r1.failed, 1, "the panicking ingestor is reported as a failed file");
    assert!(r1.diagnostics.iter().any(|d| d.code == "ingest.panic" && d.path == "bad.boom"));
    let g = brain.snapshot();
    assert!(g.node(&NodeId::file("acme/orders", "src/api.rs")).is_some());
    assert!(g.node(&NodeId::file("acme/orders", "target/ignored.rs")).is_none(), ".gitignore is honoured");
    assert!(g.node(&NodeId::file("acme/orders", ".github/CODEOWNERS")).is_some(), "hidden dirs are walked");

    // Unchanged: nothing parsed.
    let r2 = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    assert_eq!((r2.parsed, r2.unchanged, r2.removed), (0, 6, 0), "{r2:?}");

    // One change, one delete.
    fs::write(src.join("src/api.rs"), "pub fn create_order() { let createdAt = 2; }\n").expect("write");
    fs::remove_file(src.join("src/old.rs")).expect("rm");
    let r3 = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    assert_eq!((r3.parsed, r3.removed), (1, 1), "{r3:?}");
    assert!(brain.snapshot().node(&NodeId::file("acme/orders", "src/old.rs")).is_none());
    drop(brain);

    // Restart: everything is still there, and search finds content.
    let brain = open(&data);
    let g = brain.snapshot();
    assert!(g.node(&NodeId::file("acme/orders", "src/api.rs")).is_some());
    assert!(g.repo("acme/orders").is_some());
    let hits =
        brain.search(&SearchQuery { text: "created at".into(), limit: 10, ..Default::default() }).expect("search");
    assert!(hits.iter().any(|h| h.id == "file:acme/orders:src/api.rs"), "{hits:?}");
    let r4 = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    assert_eq!(r4.parsed, 0);
}

#[test]
fn a_lost_index_is_rebuilt_from_the_store() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("r");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(src.join("notes.md"), "the invoice total is in cents\n").expect("write");
    let data = work.path().join("data");
    {
        let brain = open(&data);
        brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    }
    fs::remove_dir_all(data.join("index")).expect("rm index");
    let brain = open(&data);
    let hits = brain.search(&SearchQuery { text: "invoice".into(), limit: 5, ..Default::default() }).expect("search");
    assert_eq!(hits.first().map(|h| h.id.as_str()), Some("file:acme/orders:notes.md"));
}

#[test]
fn config_errors_are_reported_not_panics() {
    let err = Config::parse("repos = 3", Path::new("brain.toml"), Path::new(".")).expect_err("bad");
    assert!(err.to_string().contains("brain.toml"));
    let work = tempfile::tempdir().expect("tempdir");
    let brain = open(&work.path().join("data"));
    let err = brain.ingest_repo(&repo(&work.path().join("missing")), &NoProgress).expect_err("missing repo");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn watched_paths_reingest_only_those_files() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("r");
    fs::create_dir_all(src.join("src")).expect("mkdir");
    fs::write(src.join("src/a.rs"), "fn a() {}\n").expect("write");
    fs::write(src.join("src/b.rs"), "fn b() {}\n").expect("write");
    fs::write(src.join(".gitignore"), "*.log\n").expect("write");
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    fs::write(src.join("src/a.rs"), "fn a2() {}\n").expect("write");
    fs::remove_file(src.join("src/b.rs")).expect("rm");
    fs::write(src.join("debug.log"), "noise").expect("write");
    fs::write(src.join("src/c.rs"), "fn c() {}\n").expect("write");
    let paths: Vec<String> =
        ["src/a.rs", "src/b.rs", "debug.log", "src/c.rs", "../escape.rs"].iter().map(|s| s.to_string()).collect();
    let r = brain.ingest_paths(&repo(&src), &paths).expect("ingest paths");
    assert_eq!((r.files_seen, r.parsed, r.removed), (2, 2, 1), "{r:?}");
    let g = brain.snapshot();
    assert!(g.node(&NodeId::file("acme/orders", "src/c.rs")).is_some());
    assert!(g.node(&NodeId::file("acme/orders", "src/b.rs")).is_none());
    assert!(g.node(&NodeId::file("acme/orders", "debug.log")).is_none(), "gitignored paths are not ingested");
}

#[test]
fn a_watched_edit_reaches_the_snapshot() {
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("r");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(src.join("a.md"), "alpha\n").expect("write");
    let brain = std::sync::Arc::new(open(&work.path().join("data")));
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    let _w = brain_ingest::watch::watch(brain.clone(), vec![repo(&src)], std::time::Duration::from_millis(100), |_| {})
        .expect("watch");
    std::thread::sleep(std::time::Duration::from_millis(200));
    fs::write(src.join("b.md"), "bravo\n").expect("write");
    let id = NodeId::file("acme/orders", "b.md");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while brain.snapshot().node(&id).is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(brain.snapshot().node(&id).is_some(), "the new file is in the graph after the watcher runs");
}

#[test]
fn files_stored_by_an_older_facts_revision_are_parsed_again() {
    use brain_store::{FactStore, RepoChanges, SledStore, UnitWrite};
    let work = tempfile::tempdir().expect("tempdir");
    let src = work.path().join("orders");
    fs::create_dir_all(&src).expect("mkdir");
    fs::write(src.join("a.rs"), "pub fn a() {}\n").expect("write");
    fs::write(src.join("b.rs"), "pub fn b() {}\n").expect("write");
    let data = work.path().join("data");
    let brain = open(&data);
    brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest");
    drop(brain);

    // Rewrite a.rs's unit as an older brain stored it: a bare blake3 content hash.
    let store = SledStore::open(&data.join("store")).expect("store");
    let meta = store.repos().expect("repos").into_iter().next().expect("repo");
    let mut unit = store.unit("acme/orders", "a.rs").expect("read").expect("unit");
    assert_eq!(unit.hash, brain_ingest::content_hash(b"pub fn a() {}\n"));
    assert!(unit.hash.ends_with(&format!(".r{}", brain_ingest::FACTS_REVISION)), "{}", unit.hash);
    unit.hash = blake3::hash(b"pub fn a() {}\n").to_hex().to_string();
    let write = UnitWrite { path: "a.rs".into(), unit, content: Some("pub fn a() {}\n".into()) };
    store
        .commit_repo(&RepoChanges { repo: meta, upserts: vec![write], deletes: vec![], history: None })
        .expect("commit");
    drop(store);

    let brain = open(&data);
    let r = brain.ingest_repo(&repo(&src), &NoProgress).expect("ingest again");
    assert_eq!((r.parsed, r.unchanged), (1, 1), "only the file with the old revision is parsed again: {r:?}");
}
