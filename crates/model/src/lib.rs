//! The brain's graph model.
//!
//! This crate is the vocabulary every other crate speaks: stable ids ([`id`]),
//! node and edge kinds ([`kind`]), provenance ([`prov`]), what one source file
//! contributes to the graph ([`facts`]), a repository's git history
//! ([`history`]), the [`Ingestor`] trait every source
//! kind implements, and small text helpers shared by search and ranking
//! ([`text`]).
//!
//! Architecture invariant: this crate does no IO and never fails on input. An
//! ingestor turns `(repo, path, content)` into [`Facts`]; the facts of a file
//! depend on nothing else, which is what makes incremental ingest correct.

pub mod attr;
mod attrs;
pub mod facts;
pub mod history;
pub mod id;
pub mod ingest;
pub mod kind;
pub mod prov;
mod shared;
pub mod source;
pub mod text;
pub mod tyref;
pub mod wire;

pub use attrs::Attrs;
pub use facts::{Diagnostic, Edge, Facts, Node, Provide, RefTarget, Reference, Severity};
pub use id::NodeId;
pub use ingest::{Ingestor, PathHints, SourceFile};
pub use kind::{EdgeKind, NodeKind};
pub use prov::{Origin, Provenance, Span};
pub use shared::Str;
