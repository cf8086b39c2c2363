//! Code ingestor (tree-sitter): symbols, imports, calls, tests, data shapes,
//! routes, clients.
//!
//! [`CodeIngestor`] turns one source file (Rust, TypeScript/TSX,
//! JavaScript/JSX, Python, Go, Java, C#, Kotlin, PHP, Ruby, C++) into [`Facts`]: Symbol and
//! Test nodes with `Contains` edges, module provides, import/call/field-read
//! references, DataType/Field nodes for serialisable shapes, Operation nodes
//! for HTTP routes served, and Consumes/Implements/Publishes/Subscribes
//! references for what the code uses on the wire.
//!
//! Extraction is split between `.scm` queries under `queries/<lang>/`
//! (`defs.scm` for definitions, `refs.scm` for calls, reads and string
//! bindings) and a small Rust module per language in [`langs`] for what
//! queries cannot say (doc comments, tests, imports, shapes). Shared
//! detectors live in [`routes`] and [`clients`].

pub mod clients;
pub mod ctx;
pub mod event_types;
pub mod extract;
pub mod flags;
pub mod flow;
pub mod graphql_server;
pub mod grpc_gateway;
pub mod jetstream;
pub mod kiota;
pub mod lang;
pub mod langs;
pub mod link;
pub mod manifests;
pub mod pubsub;
pub mod render;
pub mod route_prefix;
pub mod routes;
pub mod sdk;
pub mod strings;
pub mod strval;

pub use flow::link::FlowLinkPass;
pub use link::CodeLinkPass;
pub use route_prefix::RoutePrefixPass;

use brain_model::{Facts, Ingestor, SourceFile};

/// The tree-sitter code ingestor (name `code`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CodeIngestor;

impl CodeIngestor {
    pub fn new() -> Self {
        CodeIngestor
    }
}

impl Ingestor for CodeIngestor {
    fn name(&self) -> &'static str {
        ctx::INGESTOR
    }

    fn accepts(&self, path: &str) -> bool {
        lang::Lang::from_path(path).is_some()
    }

    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        extract::extract(file)
    }
}
