//! The ingest pipeline and the [`Brain`] that owns the store, the search
//! index and the published graph snapshot.
//!
//! Data flow for one repository: walk (honouring `.gitignore`) -> read and
//! hash -> skip files whose hash is stored -> run every accepting
//! [`Ingestor`](brain_model::Ingestor) in parallel -> commit all changed and
//! deleted units in one atomic store transaction -> update the search index
//! -> rebuild and publish the graph snapshot. Readers keep the snapshot they
//! hold; an ingest never blocks them.

mod brain;
pub mod config;
mod error;
pub mod policy;
mod snapshot_file;
mod walk;
pub mod watch;

pub use brain::{content_hash, git_head, Brain, IngestObserver, IngestReport, NoProgress, FACTS_REVISION};
pub use config::{Config, PolicyRuleConfig, RepoConfig, ServerConfig};
pub use error::IngestError;
pub use walk::{FileLimits, WalkedFile};
