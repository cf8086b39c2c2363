//! Test helpers shared by the integration tests: the ingestors and link
//! passes the binary ships (from `brain-stack`), and the SDK client plumbing.

#![allow(dead_code)]

use brain_mcp::BrainMcp;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};

pub use brain_stack::{ingestors, passes};

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
