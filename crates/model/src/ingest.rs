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
    /// `ingest` with what the repository's configuration says about the path
    /// (brain.toml `decisions`, `exclude_decisions`, `incidents`,
    /// `exclude_incidents`). The output is then a pure function of
    /// `(repo, path, content, hints)`; the pipeline records the hints in the
    /// unit's hash so that a changed setting re-ingests the file. Ingestors
    /// that take no hints keep this default.
    fn ingest_hinted(&self, file: &SourceFile<'_>, hints: &PathHints) -> Facts {
        let _ = hints;
        self.ingest(file)
    }
}

/// What the repository's configuration says about one path: `Some(true)`
/// when it lies under a configured folder of that kind of record,
/// `Some(false)` when it is excluded from it, `None` when nothing is said
/// (the ingestor decides from the content).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathHints {
    /// Architecture decision records (`decisions` / `exclude_decisions`).
    pub decision: Option<bool>,
    /// Incident reports and postmortems (`incidents` / `exclude_incidents`).
    pub incident: Option<bool>,
}

impl PathHints {
    /// Whether nothing is said about the path.
    pub fn is_empty(&self) -> bool {
        self.decision.is_none() && self.incident.is_none()
    }
    /// A short stable tag for content hashes (`""` when empty, else e.g. `d+i-`).
    pub fn tag(&self) -> String {
        let one = |c: char, v: Option<bool>| match v {
            None => String::new(),
            Some(true) => format!("{c}+"),
            Some(false) => format!("{c}-"),
        };
        format!("{}{}", one('d', self.decision), one('i', self.incident))
    }
}
