//! Where a repository keeps its decisions and incident reports, when brain.toml says so:
//!
//! ```toml
//! [[repos]]
//! name = "acme/platform"
//! path = "platform"
//! decisions = ["design/records"]          # folders (or globs) of decision records
//! exclude_decisions = ["design/records/drafts"]
//! incidents = ["ops/reviews"]             # folders (or globs) of incident reports
//! exclude_incidents = ["ops/reviews/template.md"]
//! ```
//!
//! The ingestors recognise records by content anywhere; a configured folder
//! lowers the bar (a file there needs only to read like a record, e.g. have a
//! status), an excluded one keeps a file out. Entries are repo-relative folders
//! (a path and everything under it) or globs (`*`, `?`, `[`), refused when
//! absolute or climbing out with `..`. The answer for a file is a
//! [`PathHints`], part of the file's stored hash.

use brain_model::PathHints;
use globset::{Glob, GlobMatcher};
use std::collections::BTreeMap;

/// Each repository's configured record paths, by repository name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordPaths {
    pub repos: BTreeMap<String, RepoRecordPaths>,
}

/// One repository's `decisions`, `exclude_decisions`, `incidents`, `exclude_incidents`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RepoRecordPaths {
    pub decisions: Vec<PathRule>,
    pub exclude_decisions: Vec<PathRule>,
    pub incidents: Vec<PathRule>,
    pub exclude_incidents: Vec<PathRule>,
}

/// A folder or a glob, as written (after `./` is dropped).
#[derive(Clone, Debug)]
pub struct PathRule {
    pub text: String,
    glob: Option<GlobMatcher>,
}

impl PartialEq for PathRule {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl PathRule {
    /// Parses one entry; `Err` says why it can never match a repo-relative path.
    pub fn parse(entry: &str) -> Result<PathRule, String> {
        let mut text = entry.trim().replace('\\', "/");
        while let Some(rest) = text.strip_prefix("./") {
            text = rest.to_string();
        }
        let text = text.trim_end_matches('/').to_string();
        if text.starts_with('/') {
            return Err("is absolute; paths are relative to the repo root (drop the leading '/')".into());
        }
        if text.split('/').any(|s| s == "..") {
            return Err("has a '..' segment; paths are relative to the repo root and cannot leave it".into());
        }
        if text.is_empty() {
            return Err("is empty".into());
        }
        let glob = if text.contains(['*', '?', '[']) {
            Some(Glob::new(&text).map_err(|e| format!("is not a valid glob: {e}"))?.compile_matcher())
        } else {
            None
        };
        Ok(PathRule { text, glob })
    }

    /// Whether a repo-relative path is this folder, under it, or matches the glob.
    pub fn matches(&self, path: &str) -> bool {
        match &self.glob {
            Some(g) => g.is_match(path),
            None => path == self.text || path.strip_prefix(&self.text).is_some_and(|r| r.starts_with('/')),
        }
    }
}

impl RepoRecordPaths {
    /// Whether nothing is configured.
    pub fn is_empty(&self) -> bool {
        self.decisions.is_empty()
            && self.exclude_decisions.is_empty()
            && self.incidents.is_empty()
            && self.exclude_incidents.is_empty()
    }

    /// What the configuration says about `path` (an exclusion wins).
    pub fn hints(&self, path: &str) -> PathHints {
        let one = |inc: &[PathRule], exc: &[PathRule]| {
            if exc.iter().any(|r| r.matches(path)) {
                Some(false)
            } else if inc.iter().any(|r| r.matches(path)) {
                Some(true)
            } else {
                None
            }
        };
        PathHints {
            decision: one(&self.decisions, &self.exclude_decisions),
            incident: one(&self.incidents, &self.exclude_incidents),
        }
    }
}

impl RecordPaths {
    /// What the configuration says about `path` in `repo`.
    pub fn hints(&self, repo: &str, path: &str) -> PathHints {
        self.repos.get(repo).map(|r| r.hints(path)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(v: &[&str]) -> Vec<PathRule> {
        v.iter().map(|s| PathRule::parse(s).expect("rule")).collect()
    }

    #[test]
    fn folders_globs_and_exclusions() {
        let r = RepoRecordPaths {
            decisions: rules(&["./design/records/", "**/*.adr.md"]),
            exclude_decisions: rules(&["design/records/drafts"]),
            incidents: rules(&["ops"]),
            exclude_incidents: vec![],
        };
        assert_eq!(r.hints("design/records/0001-x.md").decision, Some(true));
        assert_eq!(r.hints("design/records-old/0001-x.md").decision, None);
        assert_eq!(r.hints("design/records/drafts/x.md").decision, Some(false));
        assert_eq!(r.hints("a/b/x.adr.md").decision, Some(true));
        assert_eq!(r.hints("ops/2020-01-01.md"), PathHints { decision: None, incident: Some(true) });
        assert!(PathRule::parse("/abs").is_err());
        assert!(PathRule::parse("a/../../b").is_err());
    }
}
