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
