//! The in-memory knowledge graph.
//!
//! A [`Graph`] is an immutable snapshot built from every stored file's
//! [`Facts`](brain_model::Facts) plus what the API wrote. [`GraphBuilder`]
//! collects facts, the [`link`] module resolves references (imports, calls,
//! HTTP and gRPC clients, topics, packages) against what files provide, and
//! [`LinkPass`]es contributed by ingestor crates add edges that need the
//! whole graph (CODEOWNERS matching, Go import paths, consumer/producer links).
//! A repository's git history ([`history`]) adds churn and authors to its
//! files and `changed_with` edges between files that change together.
//!
//! Architecture invariant: no IO, and building never fails. Problems become
//! diagnostics on the snapshot.

mod builder;
mod graph;
pub mod history;
pub mod link;
mod patch;
mod persist;
mod unit;

pub use builder::GraphBuilder;

/// Bump when linking gives a different graph for the same units (a new rule
/// in the linker or a pass): persisted snapshots stamped with another
/// revision are relinked instead of served.
pub const LINK_REVISION: u32 = 7;
pub use graph::{EdgeRef, Graph, GraphStats, RepoInfo};
pub use link::{LinkContext, LinkPass};
pub use patch::MAX_DEPENDENTS;
pub use persist::{read_stamp, SnapshotError, SnapshotStamp, SNAPSHOT_FORMAT};
pub use unit::{Interner, UnitFacts};
