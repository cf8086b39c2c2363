//! The [`Ingestor`] trait: one source kind (code, a contract format, CODEOWNERS, ...).

use crate::Facts;

/// A text file handed to ingestors. `path` is relative to the repo root with
/// `/` separators; `content` is valid UTF-8 (the pipeline deals with binary,
/// huge and non-UTF-8 files before any ingestor sees them).
#[derive(Clone, Copy, Debug)]
pub struct SourceFile<'a> {
    pub repo: &'a str,
    pub path: &'a str,
    pub content: &'a str,
}

/// Turns one file into facts.
///
/// Contract: `ingest` is a pure function of `(repo, path, content)`. It must
/// not read other files, the clock or the environment, and it must not panic
/// or fail: a file it cannot fully understand yields what could be extracted
/// plus [`crate::Diagnostic`]s with the file and line.
pub trait Ingestor: Send + Sync {
    /// Stable name, recorded in provenance (`files`, `code`, `openapi`, ...).
    fn name(&self) -> &'static str;
    /// A cheap filter by path. `ingest` may still return nothing.
    fn accepts(&self, path: &str) -> bool;
    fn ingest(&self, file: &SourceFile<'_>) -> Facts;
}
