//! Pipeline errors: only IO and configuration can fail an ingest.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read config {path}: {source}")]
    ConfigRead { path: PathBuf, source: std::io::Error },
    #[error("invalid config {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("repo '{repo}': path {path} does not exist or is not a directory")]
    RepoMissing { repo: String, path: PathBuf },
    #[error("repo '{repo}': invalid glob '{glob}': {message}")]
    Glob { repo: String, glob: String, message: String },
    #[error(transparent)]
    Store(#[from] brain_store::StoreError),
    #[error("walking {path}: {message}")]
    Walk { path: PathBuf, message: String },
    #[error("repo '{repo}': git history: {message}")]
    History { repo: String, message: String },
    /// The data dir's parts disagree in a way only damage explains (a store that lost its data,
    /// an index from another store): nothing is served and nothing is rebuilt over the evidence.
    #[error("the data dir {path} is damaged: {message}. Nothing was changed. Restore it from a backup, or run `brain repair --data-dir {path}` to rebuild the search index and snapshot from what the store holds (the old ones are kept beside them)")]
    Damaged { path: PathBuf, message: String },
}
