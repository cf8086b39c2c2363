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

/// A value no other record write shares — the clock in nanoseconds, this
/// process and a counter — for `brain_query::written_record_id`, so two
/// identical records written in the same second get two ids.
pub fn write_nonce() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{nanos}-{}-{n}", std::process::id())
}
