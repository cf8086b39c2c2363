//! The durable store and the search indexes.
//!
//! sled is the truth: one value per source unit (a file's [`Facts`] and its
//! content hash), one per API record (a lesson, a failure, a run), one per
//! repository, a repository's git history (a [`HistoryRecord`] and its
//! commits in chunks), and the schema version. A repository ingest (its
//! files and its history) is one atomic multi-tree transaction, so a crash
//! leaves the old state or the new one. The tantivy [`SearchIndex`] is
//! derived: it records the store generation it reflects and is rebuilt from
//! the store when the two disagree; the [`HistoryIndex`] of commit messages
//! likewise records the [`history_stamp`] of the histories it holds.
//!
//! The [`FactStore`] trait is deliberately narrow so another embedded engine
//! can be measured against sled.

mod error;
mod history_index;
mod index;
mod sled_store;

pub use error::{io_hint, StoreError};
pub use history_index::{commit_words, CommitTokenizer, HistoryChange, HistoryDoc, HistoryHit, HistoryIndex};
pub use index::{FileHit, FileQuery, IdentTokenizer, IndexDoc, SearchHit, SearchIndex, SearchQuery};
pub use sled_store::SledStore;

use brain_model::history::{Commit, RepoHistory};
use brain_model::Facts;
use serde::{Deserialize, Serialize};

/// Version of the on-disk format. Bump it with a migration when any stored
/// type changes shape; opening a store written by another version fails.
pub const SCHEMA_VERSION: u32 = 1;

/// What the store keeps per repository.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoMeta {
    pub name: String,
    pub root: String,
    pub commit: Option<String>,
    pub ingested_at: u64,
}

/// One file's contribution: its content hash and its facts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredUnit {
    /// blake3 of the file content, hex.
    pub hash: String,
    pub facts: Facts,
}

/// A file to write in a repo commit.
#[derive(Clone, Debug)]
pub struct UnitWrite {
    pub path: String,
    pub unit: StoredUnit,
    /// Text content kept for search and code spans (`None` for binary or skipped files).
    pub content: Option<String>,
}

/// Everything one ingest of one repository changes, applied atomically.
#[derive(Clone, Debug, Default)]
pub struct RepoChanges {
    pub repo: RepoMeta,
    pub upserts: Vec<UnitWrite>,
    /// Paths whose units disappear (deleted files).
    pub deletes: Vec<String>,
    /// The repository's git history, when it changed.
    pub history: Option<HistoryWrite>,
}

/// Version of the stored history ([`HistoryRecord`] and its commit chunks).
/// History can always be read from git again, so a record of another
/// version is not an error: [`FactStore::history`] ignores it and the next
/// ingest reads the repository's history afresh.
pub const HISTORY_SCHEMA: u32 = 1;

/// What the store keeps of a repository's git history besides its commits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryRecord {
    /// [`HISTORY_SCHEMA`] when written; first, so another version is told without decoding the rest.
    pub schema: u32,
    /// The indexed commit the history was read up to.
    pub head: String,
    /// How the commits were read (caps, subdirectory): read with other settings, the history is read afresh.
    pub read: String,
    /// Commits stored.
    pub commits: u32,
    /// Chunks of commits stored, numbered `0..chunks`, oldest first; each newest first.
    pub chunks: u32,
    /// The derivation revision of `summary` (`brain_graph::history::SUMMARY_REVISION`).
    pub summary_revision: u32,
    /// What the graph uses, derived from the commits.
    pub summary: RepoHistory,
}

/// A change to a repository's stored history, part of its [`RepoChanges`].
#[derive(Clone, Debug)]
pub enum HistoryWrite {
    /// Stores `record` and appends `chunks` (newer commits, each chunk newest
    /// first, chunks oldest first) after the stored ones, or in their place when `replace`.
    Put { record: HistoryRecord, chunks: Vec<Vec<Commit>>, replace: bool },
    /// Drops the repository's history (it is no longer a git checkout).
    Remove,
}

/// Identifies a set of stored histories (every repository's name, head and
/// commit count): the [`HistoryIndex`] is stamped with it and rebuilt when the
/// store's differs.
/// Removes the temporary files an index directory keeps while it replaces a file atomically
/// (tantivy names them `.tmp…`): a process killed mid-write leaves them behind, and nothing
/// else ever removes them. Called when an index is opened, under the store's exclusive lock.
pub(crate) fn remove_stale_temp_files(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let stale = e.file_name().to_str().is_some_and(|n| n.starts_with(".tmp"));
        if stale && e.file_type().is_ok_and(|t| t.is_file()) {
            if let Err(err) = std::fs::remove_file(e.path()) {
                tracing::debug!(path = %e.path().display(), %err, "cannot remove a stale temporary file");
            }
        }
    }
}

pub fn history_stamp<'a>(records: impl IntoIterator<Item = (&'a str, &'a HistoryRecord)>) -> String {
    let mut h = blake3::Hasher::new();
    let mut n = 0usize;
    for (repo, r) in records {
        n += 1;
        for part in [repo, r.head.as_str(), &r.commits.to_string(), &r.schema.to_string()] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
    }
    format!("{n}:{}", &h.finalize().to_hex()[..32])
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The narrow interface the rest of the brain uses to persist facts.
pub trait FactStore: Send + Sync {
    /// Path -> content hash of every unit stored for `repo`.
    fn unit_hashes(&self, repo: &str) -> Result<Vec<(String, String)>>;
    /// Content hash of one stored unit (a path re-ingest needs only its paths').
    fn unit_hash(&self, repo: &str, path: &str) -> Result<Option<String>> {
        Ok(self.unit_hashes(repo)?.into_iter().find(|(p, _)| p == path).map(|(_, h)| h))
    }
    /// Applies `changes` atomically and durably; returns the new generation.
    fn commit_repo(&self, changes: &RepoChanges) -> Result<u64>;
    /// Removes a repository and all its units atomically.
    fn remove_repo(&self, repo: &str) -> Result<u64>;
    /// Calls `f` for every stored unit.
    fn for_each_unit(&self, f: &mut dyn FnMut(&str, &str, StoredUnit)) -> Result<()>;
    fn unit(&self, repo: &str, path: &str) -> Result<Option<StoredUnit>>;
    fn repos(&self) -> Result<Vec<RepoMeta>>;
    fn content(&self, repo: &str, path: &str) -> Result<Option<String>>;
    /// Writes (or replaces) an API record durably before returning.
    fn put_record(&self, id: &str, facts: &Facts) -> Result<u64>;
    fn record(&self, id: &str) -> Result<Option<Facts>>;
    fn records(&self) -> Result<Vec<(String, Facts)>>;
    /// Increases with every commit.
    fn generation(&self) -> u64;
    /// The store's identity, made when it was created: what it derives (the search index, the
    /// persisted snapshot) is stamped with it, so that a copy from another data dir, or a store
    /// that lost its data and started over, is told apart from this one.
    fn store_id(&self) -> String;
    /// A repository's history record, if one of this [`HISTORY_SCHEMA`] is stored.
    fn history(&self, repo: &str) -> Result<Option<HistoryRecord>>;
    /// Every repository's history record (of this schema), by repository name.
    fn histories(&self) -> Result<Vec<(String, HistoryRecord)>>;
    /// Calls `f` with every stored commit of `repo`, newest first.
    fn for_each_commit(&self, repo: &str, f: &mut dyn FnMut(Commit)) -> Result<()>;
    /// Bytes of keys and values held, per kind of data (reads every value: slow on a big store).
    fn logical_bytes(&self) -> Result<Vec<(&'static str, u64)>>;
}
