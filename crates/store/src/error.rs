//! Store errors.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store at {path} was written by schema version {found}, this brain reads version {expected}; {hint}")]
    SchemaMismatch { path: PathBuf, found: u32, expected: u32, hint: &'static str },
    #[error("the store at {path} has an unreadable schema version record")]
    SchemaUnreadable { path: PathBuf },
    #[error("cannot open the store at {path}: {source}")]
    Open { path: PathBuf, source: sled::Error },
    #[error("store IO failed: {0}")]
    Sled(#[from] sled::Error),
    #[error("a stored value could not be decoded ({what}): {source}")]
    Decode { what: String, source: postcard::Error },
    #[error("a value could not be encoded: {0}")]
    Encode(postcard::Error),
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index at {path}: {message}")]
    IndexOpen { path: PathBuf, message: String },
    #[error("invalid search query: {0}")]
    Query(String),
}
