//! Per-request access over HTTP.
//!
//! The HTTP layer in front of [`crate::http_service`] checks the bearer
//! token (the same check as GraphQL) and inserts an [`McpAccess`] into the
//! request's extensions. The write tools read it from the HTTP request parts
//! rmcp hands to every handler: `McpAccess::Write` allows writes,
//! `McpAccess::Read` refuses them. With no marker (stdio, or HTTP without the
//! layer) the server's own [`crate::BrainMcp::with_writes`] setting decides.

/// What the caller of one HTTP request may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum McpAccess {
    /// Read tools only; write tools answer with a tool error.
    Read,
    /// Read and write tools.
    Write,
}
