//! The two ways to serve [`BrainMcp`]: stdio (one client, the process that
//! started `brain mcp`) and streamable HTTP (a tower service the HTTP server
//! mounts at `/mcp`).

use crate::BrainMcp;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::ServiceExt;
use std::sync::Arc;

/// Why serving stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum McpServeError {
    #[error("the MCP client did not complete the handshake: {0}")]
    Handshake(#[source] Box<rmcp::service::ServerInitializeError>),
    #[error("the MCP server task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Serves `mcp` on stdin/stdout until the client closes the stream. Nothing
/// else may write to stdout meanwhile: log to stderr.
pub async fn serve_stdio(mcp: BrainMcp) -> Result<(), McpServeError> {
    let running = mcp.serve(rmcp::transport::stdio()).await.map_err(|e| McpServeError::Handshake(Box::new(e)))?;
    let reason = running.waiting().await?;
    tracing::info!(?reason, "MCP stdio session ended");
    Ok(())
}

/// The streamable HTTP service type returned by [`http_service`].
pub type McpHttpService = StreamableHttpService<BrainMcp, LocalSessionManager>;

/// Streamable HTTP MCP as a tower service, with rmcp's defaults: sessions
/// kept in memory, SSE keep-alive, and `Host` checked against loopback names
/// (DNS-rebinding protection). Mount it with
/// `Router::new().nest_service("/mcp", brain_mcp::http_service(mcp))`.
/// Serving a non-loopback address needs [`http_service_with`] and
/// [`StreamableHttpServerConfig::with_allowed_hosts`].
pub fn http_service(mcp: BrainMcp) -> McpHttpService {
    http_service_with(mcp, StreamableHttpServerConfig::default())
}

/// The live MCP sessions of a [`http_service_bounded`] service.
#[derive(Clone)]
pub struct McpSessions(Arc<LocalSessionManager>);

impl McpSessions {
    /// Sessions held now (an expired or closed one is gone).
    pub async fn count(&self) -> usize {
        self.0.sessions.read().await.len()
    }
}

/// [`http_service_with`] whose sessions close after `idle` without a
/// request, with a handle to count them (the HTTP server caps them).
pub fn http_service_bounded(
    mcp: BrainMcp,
    config: StreamableHttpServerConfig,
    idle: std::time::Duration,
) -> (McpHttpService, McpSessions) {
    let mut manager = LocalSessionManager::default();
    manager.session_config.keep_alive = Some(idle);
    let manager = Arc::new(manager);
    let service = StreamableHttpService::new(move || Ok(mcp.clone()), manager.clone(), config);
    (service, McpSessions(manager))
}

/// [`http_service`] with an explicit rmcp configuration (allowed hosts,
/// cancellation token for shutdown, body limit, stateless JSON mode).
pub fn http_service_with(mcp: BrainMcp, config: StreamableHttpServerConfig) -> McpHttpService {
    StreamableHttpService::new(move || Ok(mcp.clone()), Arc::new(LocalSessionManager::default()), config)
}
