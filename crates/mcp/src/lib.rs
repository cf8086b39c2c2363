//! The brain over MCP (Model Context Protocol), on the official Rust SDK `rmcp`.
//!
//! [`BrainMcp`] exposes the brain to coding agents as MCP tools:
//! `context_packet`, `blast_radius`, `contract_check`, `search`, `get_entity`, `owners`,
//! `record_failure` and `record_lesson` (the two writes are refused unless
//! allowed), and every entity as a resource `brain://entity/<id>`. Answers
//! are concise text with ids to follow up.
//!
//! Transports: [`serve_stdio`] for `brain mcp` (an agent CLI starts the
//! process), and [`http_service`], a tower service the HTTP server mounts at
//! `/mcp` behind the same bearer-token check as GraphQL (see [`McpAccess`]
//! and the crate README for the wiring and agent configuration snippets).

mod access;
pub mod lenient;
pub mod params;
pub mod render;
pub mod resource;
mod server;
mod tools;
mod transport;

pub use access::McpAccess;
pub use params::{
    BlastRadiusParams, ContextPacketParams, ContractCheckParams, GetEntityParams, OwnersParams, RecordFailureParams,
    RecordLessonParams, SearchParams,
};
pub use server::BrainMcp;
pub use tools::{tool_packet, DEFAULT_BUDGET_TOKENS, DEFAULT_MAX_EDGES};
pub use transport::{
    http_service, http_service_bounded, http_service_with, serve_stdio, McpHttpService, McpServeError, McpSessions,
};

/// The rmcp SDK this crate is built on, for callers that configure the HTTP
/// transport (`rmcp::transport::StreamableHttpServerConfig`).
pub use rmcp;
