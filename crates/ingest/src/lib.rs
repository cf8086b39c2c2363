//! The ingest pipeline and the [`Brain`] that owns the store, the search
//! index and the published graph snapshot.
//!
//! Data flow for one repository: walk (honouring `.gitignore`) -> read and
//! hash -> skip files whose hash is stored -> run every accepting
//! [`Ingestor`](brain_model::Ingestor) in parallel -> commit all changed and
//! deleted units in one atomic store transaction -> publish the graph snapshot
//! (a small write patches the current one and a background relink rebuilds
//! it whole, see [`relink`]) -> update the search index. Readers keep the
//! snapshot they hold; an ingest never blocks them.

mod brain;
pub mod config;
mod error;
pub mod packet;
pub mod policy;
mod relink;
mod snapshot_file;
mod walk;
pub mod watch;

pub use brain::{
    content_hash, git_head, Brain, IngestObserver, IngestReport, NoProgress, FACTS_REVISION, PATCH_MAX_UNITS,
};
pub use config::{Config, PolicyRuleConfig, RepoConfig, ServerConfig};
pub use error::IngestError;
pub use relink::RelinkRun;
pub use walk::{FileLimits, WalkedFile};
