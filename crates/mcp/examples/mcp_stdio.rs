//! A minimal `brain mcp`: ingest a `brain.toml` into a data directory, then
//! serve MCP on stdin/stdout. A reference for the CLI wiring and a way to
//! try the server with a real agent before `brain mcp` exists:
//!
//! ```sh
//! cargo run -p brain-mcp --example mcp_stdio -- examples/acme/brain.toml /tmp/acme-data [--allow-writes]
//! ```
//!
//! Logs go to stderr; stdout carries the protocol.

// Mirrors crates/cli/src/wiring.rs, which builds every ingestor with `default()`.
#![allow(clippy::default_constructed_unit_structs)]

use brain_ingest::{Brain, Config, NoProgress};
use std::path::PathBuf;
use std::sync::Arc;

fn ingestors() -> Vec<Box<dyn brain_model::Ingestor>> {
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

fn passes() -> Vec<Box<dyn brain_graph::LinkPass>> {
    vec![
        Box::new(brain_ingest_org::CodeownersPass::default()),
        Box::new(brain_ingest_org::DecisionPass::default()),
        Box::new(brain_ingest_org::InfraPass::default()),
        Box::new(brain_ingest_org::FailurePass::default()),
    ]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let allow_writes = args.iter().any(|a| a == "--allow-writes");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let (Some(config), Some(data)) = (paths.first(), paths.get(1)) else {
        anyhow::bail!("usage: mcp_stdio BRAIN_TOML DATA_DIR [--allow-writes]");
    };
    let cfg = Config::load(&PathBuf::from(config))?;
    let brain = Brain::open(&PathBuf::from(data), ingestors(), passes())?;
    for repo in &cfg.repos {
        let r = brain.ingest_repo(repo, &NoProgress)?;
        eprintln!("ingested {}: {} files, {} parsed", r.repo, r.files_seen, r.parsed);
    }
    let mcp = brain_mcp::BrainMcp::new(Arc::new(brain), &cfg.policy).with_writes(allow_writes);
    brain_mcp::serve_stdio(mcp).await?;
    Ok(())
}
