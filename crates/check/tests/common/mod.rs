//! Test helper: ingests an example organisation through the real pipeline
//! (the ingestors and link passes the binary ships with, from `brain-stack`).
#![allow(dead_code)]

use brain_graph::Graph;
use std::path::PathBuf;
use std::sync::Arc;

use brain_stack::{ingestors, passes};

/// `examples/<name>` relative to the workspace root.
pub fn example_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name)
}

/// Ingests `examples/<name>/brain.toml` into a fresh temporary brain and returns its snapshot.
pub fn ingest_example(name: &str) -> Arc<Graph> {
    ingest_config(&example_dir(name).join("brain.toml"))
}

/// Ingests the repos of a `brain.toml` into a fresh temporary brain and returns its snapshot.
pub fn ingest_config(path: &std::path::Path) -> Arc<Graph> {
    let config = brain_ingest::Config::load(path).expect("brain.toml loads");
    let data = tempfile::tempdir().expect("tempdir");
    let brain = brain_ingest::Brain::open(data.path(), ingestors(), passes()).expect("brain opens");
    for repo in &config.repos {
        brain.ingest_repo(repo, &brain_ingest::NoProgress).expect("repo ingests");
    }
    brain.snapshot()
}

/// Ingests one repository `acme/app` made of these `(path, content)` files into a fresh
/// temporary brain and returns its snapshot.
pub fn ingest_files(files: &[(&str, &str)]) -> Arc<Graph> {
    let work = tempfile::tempdir().expect("tempdir");
    let root = work.path().join("app");
    for (path, content) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    let brain = brain_ingest::Brain::open(&work.path().join("data"), ingestors(), passes()).expect("brain opens");
    let repo = brain_ingest::RepoConfig { name: "acme/app".into(), path: root, include: vec![], exclude: vec![] };
    brain.ingest_repo(&repo, &brain_ingest::NoProgress).expect("repo ingests");
    brain.snapshot()
}
