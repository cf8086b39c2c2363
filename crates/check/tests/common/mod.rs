//! Test helper: ingests an example organisation through the real pipeline
//! (the same ingestors and link passes as `crates/cli/src/wiring.rs`).
#![allow(dead_code)]
// Same constructors as the CLI wiring, which keeps working if an ingestor gains configuration.
#![allow(clippy::default_constructed_unit_structs)]

use brain_graph::{Graph, LinkPass};
use brain_model::Ingestor;
use std::path::PathBuf;
use std::sync::Arc;

fn ingestors() -> Vec<Box<dyn Ingestor>> {
    vec![
        Box::new(brain_ingest_files::FilesIngestor),
        Box::new(brain_ingest_code::CodeIngestor::default()),
        Box::new(brain_ingest_code::manifests::ManifestIngestor::default()),
        Box::new(brain_ingest_contracts::OpenApiIngestor::default()),
        Box::new(brain_ingest_contracts::AsyncApiIngestor::default()),
        Box::new(brain_ingest_contracts::JsonSchemaIngestor::default()),
        Box::new(brain_ingest_contracts::proto::ProtoIngestor::default()),
        Box::new(brain_ingest_contracts::graphql::GraphqlIngestor::default()),
        Box::new(brain_ingest_org::CodeownersIngestor::default()),
        Box::new(brain_ingest_org::CatalogIngestor::default()),
        Box::new(brain_ingest_org::AdrIngestor::default()),
        Box::new(brain_ingest_org::ComposeIngestor::default()),
        Box::new(brain_ingest_org::KubernetesIngestor::default()),
        Box::new(brain_ingest_org::PostmortemIngestor::default()),
        Box::new(brain_ingest_org::JunitIngestor::default()),
        Box::new(brain_ingest_org::AgentDocsIngestor::default()),
        Box::new(brain_ingest_org::CiIngestor::default()),
    ]
}

fn passes() -> Vec<Box<dyn LinkPass>> {
    vec![
        Box::new(brain_ingest_org::CodeownersPass::default()),
        Box::new(brain_ingest_org::DecisionPass::default()),
        Box::new(brain_ingest_org::InfraPass::default()),
        Box::new(brain_ingest_org::FailurePass::default()),
    ]
}

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
