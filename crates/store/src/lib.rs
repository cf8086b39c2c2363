//! The durable store and the search index.
//!
//! sled is the truth: one value per source unit (a file's [`Facts`] and its
//! content hash), one per API record (a lesson, a failure, a run), one per
//! repository, and the schema version. A repository ingest is one atomic
//! multi-tree transaction, so a crash leaves the old state or the new one.
//! The tantivy [`SearchIndex`] is derived: it records the store generation it
//! reflects and is rebuilt from the store when the two disagree.
//!
//! The [`FactStore`] trait is deliberately narrow so another embedded engine
//! can be measured against sled.

mod error;
mod index;
mod sled_store;

pub use error::{io_hint, StoreError};
pub use index::{FileHit, FileQuery, IndexDoc, SearchHit, SearchIndex, SearchQuery};
pub use sled_store::SledStore;

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
    /// Bytes of keys and values held, per kind of data (reads every value: slow on a big store).
    fn logical_bytes(&self) -> Result<Vec<(&'static str, u64)>>;
}
