//! Provenance: where a fact came from and how sure we are of it.

use crate::Str;
use serde::{Deserialize, Serialize};

/// A 1-based, inclusive line span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start_line: u32,
    pub end_line: u32,
}

impl Span {
    pub fn new(start_line: u32, end_line: u32) -> Self {
        Span { start_line, end_line: end_line.max(start_line) }
    }
    pub fn line(line: u32) -> Self {
        Span { start_line: line, end_line: line }
    }
    pub fn overlaps(&self, start: u32, end: u32) -> bool {
        self.start_line <= end && start <= self.end_line
    }
}

/// Whether a fact was stated by a source (a manifest, a spec, CODEOWNERS) or
/// inferred by a heuristic, with a confidence in `0.0..=1.0`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Origin {
    Declared,
    Inferred { confidence: f32 },
}

impl Origin {
    pub fn inferred(confidence: f32) -> Self {
        Origin::Inferred { confidence: confidence.clamp(0.0, 1.0) }
    }
    /// 1.0 for declared facts.
    pub fn confidence(&self) -> f32 {
        match self {
            Origin::Declared => 1.0,
            Origin::Inferred { confidence } => *confidence,
        }
    }
    pub fn is_declared(&self) -> bool {
        matches!(self, Origin::Declared)
    }
}

/// Where a node or edge came from. The commit is not stored per fact: it is
/// the indexed commit of `repo`, joined in when an answer is rendered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub repo: Str,
    pub path: Str,
    pub span: Option<Span>,
    /// The ingestor (or `api`, `linker`) that produced the fact.
    pub ingestor: Str,
    pub origin: Origin,
}

impl Provenance {
    pub fn declared(repo: &str, path: &str, span: Option<Span>, ingestor: &str) -> Self {
        Provenance { repo: repo.into(), path: path.into(), span, ingestor: ingestor.into(), origin: Origin::Declared }
    }
    pub fn inferred(repo: &str, path: &str, span: Option<Span>, ingestor: &str, confidence: f32) -> Self {
        Provenance {
            repo: repo.into(),
            path: path.into(),
            span,
            ingestor: ingestor.into(),
            origin: Origin::inferred(confidence),
        }
    }
    /// `repo:path:line` (or `repo:path`) for people.
    pub fn location(&self) -> String {
        match self.span {
            Some(s) if s.start_line == s.end_line => format!("{}:{}:{}", self.repo, self.path, s.start_line),
            Some(s) => format!("{}:{}:{}-{}", self.repo, self.path, s.start_line, s.end_line),
            None if self.path.is_empty() => self.repo.to_string(),
            None => format!("{}:{}", self.repo, self.path),
        }
    }
}
