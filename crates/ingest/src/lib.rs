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
//!
//! A repository whose root is a git work tree also has its history read up
//! to `HEAD` ([`git_log`], `history`) and committed in the same transaction;
//! [`Brain::ingest_history`] does it for a tree without `.git`, and
//! [`Brain::similar_changes`] finds past commits by their messages.

mod brain;
pub mod config;
mod error;
pub mod git_log;
mod history;
pub mod packet;
pub mod policy;
pub mod records;
mod relink;
mod snapshot_file;
mod walk;
pub mod watch;

pub use brain::{
    content_hash, git_head, Brain, IngestObserver, IngestReport, NoProgress, FACTS_REVISION, PATCH_MAX_UNITS,
};
pub use config::{Config, HistoryConfig, HistorySettings, PolicyRuleConfig, RepoConfig, ServerConfig};
pub use error::IngestError;
pub use history::{HistoryReport, HistoryStats};
pub use relink::RelinkRun;
pub use walk::{FileLimits, WalkedFile};
