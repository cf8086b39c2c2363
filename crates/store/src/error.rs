//! Store errors. Every IO failure names the path and what was being read or
//! written, and says what to do when the cause is a full disk or a read-only
//! file system.

use std::io::ErrorKind;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store at {path} was written by schema version {found}, this brain reads version {expected}; {hint}")]
    SchemaMismatch { path: PathBuf, found: u32, expected: u32, hint: &'static str },
    #[error("the store at {path} has an unreadable schema version record")]
    SchemaUnreadable { path: PathBuf },
    /// Another process (a running `brain serve`, an ingest) holds the store's file lock.
    #[error("the store at {} is locked by another process", .path.display())]
    Locked { path: PathBuf },
    #[error("cannot open the store at {}: {}{}", .path.display(), sled_text(.source), sled_hint(.source))]
    Open { path: PathBuf, source: sled::Error },
    #[error("{} (store at {}) failed: {}{}{}", .what, .path.display(), sled_text(.source), sled_hint(.source), after_write(sled_hint(.source), "the store keeps its last committed state and takes no more writes until brain restarts"))]
    Io { what: String, path: PathBuf, source: sled::Error },
    #[error("store IO failed: {}{}", sled_text(.0), sled_hint(.0))]
    Sled(#[from] sled::Error),
    #[error("a stored value could not be decoded ({what}): {source}")]
    Decode { what: String, source: postcard::Error },
    #[error("a value could not be encoded: {0}")]
    Encode(postcard::Error),
    #[error("search index error: {}{}", .0, tantivy_hint(.0))]
    Index(#[from] tantivy::TantivyError),
    #[error("{} (search index at {}) failed: {}{}{}", .what, .path.display(), .source, tantivy_hint(.source), after_write(tantivy_hint(.source), "the store has the change; the search index is rebuilt from it when brain next starts"))]
    IndexWrite { what: String, path: PathBuf, source: tantivy::TantivyError },
    #[error("search index at {path}: {message}")]
    IndexOpen { path: PathBuf, message: String },
    #[error("invalid search query: {0}")]
    Query(String),
}

impl StoreError {
    /// True when the cause is a full disk (the store keeps its last committed state).
    pub fn is_disk_full(&self) -> bool {
        self.io_kind() == Some(ErrorKind::StorageFull) || self.to_string().contains("No space left on device")
    }

    /// True when the cause is a read-only file system.
    pub fn is_read_only(&self) -> bool {
        self.io_kind() == Some(ErrorKind::ReadOnlyFilesystem) || self.to_string().contains("Read-only file system")
    }

    fn io_kind(&self) -> Option<ErrorKind> {
        match self {
            StoreError::Open { source: sled::Error::Io(e), .. }
            | StoreError::Io { source: sled::Error::Io(e), .. }
            | StoreError::Sled(sled::Error::Io(e)) => Some(e.kind()),
            _ => None,
        }
    }
}

/// What to do about an IO error, as a sentence to append ("" when nothing useful can be said).
pub fn io_hint(e: &std::io::Error) -> &'static str {
    kind_hint(e.kind(), &e.to_string())
}

fn kind_hint(kind: ErrorKind, text: &str) -> &'static str {
    if kind == ErrorKind::StorageFull || text.contains("No space left on device") {
        "; the disk holding the data dir is full: free space and run it again"
    } else if kind == ErrorKind::ReadOnlyFilesystem || text.contains("Read-only file system") {
        "; the data dir is on a read-only file system: brain writes its store and index there, so remount it read-write or pass a writable --data-dir (a copy of it works)"
    } else if kind == ErrorKind::PermissionDenied {
        "; permission denied: the user running brain must be able to write the data dir"
    } else {
        ""
    }
}

/// What a failed write left behind, said only when the cause is known (`hint` is not empty).
fn after_write(hint: &str, note: &'static str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!(" ({note})")
    }
}

/// sled's own text for IO errors is the io::Error's Debug form; use its Display.
fn sled_text(e: &sled::Error) -> String {
    match e {
        sled::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

fn sled_hint(e: &sled::Error) -> &'static str {
    match e {
        sled::Error::Io(io) => io_hint(io),
        _ => "",
    }
}

fn tantivy_hint(e: &tantivy::TantivyError) -> &'static str {
    use tantivy::directory::error::{LockError, OpenWriteError};
    use tantivy::TantivyError as T;
    match e {
        T::IoError(io) => io_hint(io),
        T::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => io_hint(io_error),
        T::LockFailure(LockError::IoError(io), _) => io_hint(io),
        other => kind_hint(ErrorKind::Other, &other.to_string()),
    }
}
