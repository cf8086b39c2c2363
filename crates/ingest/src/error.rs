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
}
