//! Test helpers shared by the integration tests: the ingestors and link
//! passes the binary ships (a copy of crates/cli/src/wiring.rs), and the SDK
//! client plumbing.

// Mirrors crates/cli/src/wiring.rs, which builds every ingestor with
// `default()` so that configuration fields can be added later.
#![allow(clippy::default_constructed_unit_structs, dead_code)]

use brain_mcp::BrainMcp;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};

pub fn ingestors() -> Vec<Box<dyn brain_model::Ingestor>> {
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

pub fn passes() -> Vec<Box<dyn brain_graph::LinkPass>> {
    vec![
        Box::new(brain_ingest_org::CodeownersPass::default()),
        Box::new(brain_ingest_org::DecisionPass::default()),
        Box::new(brain_ingest_org::InfraPass::default()),
        Box::new(brain_ingest_org::FailurePass::default()),
    ]
}

/// Serves `mcp` on one end of a pipe and connects the SDK client to the other.
pub async fn connect(mcp: BrainMcp) -> RunningService<RoleClient, ()> {
    let (server_io, client_io) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        if let Ok(running) = mcp.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    ().serve(client_io).await.expect("client connects")
}

/// Calls `tool` with a JSON object of arguments.
pub async fn call(client: &RunningService<RoleClient, ()>, tool: &str, args: serde_json::Value) -> CallToolResult {
    let serde_json::Value::Object(map) = args else { panic!("arguments must be an object") };
    client.call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(map)).await.expect("call_tool")
}

/// The text content of a tool result.
pub fn text(r: &CallToolResult) -> String {
    r.content.iter().filter_map(|c| c.as_text()).map(|t| t.text.as_str()).collect::<Vec<_>>().join("\n")
}
