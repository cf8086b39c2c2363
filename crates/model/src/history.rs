//! Git history as a source: the commits of a repository as the brain stores
//! them ([`Commit`]), and what the graph derives from them per file
//! ([`RepoHistory`]: churn, authors, co-change partners).
//!
//! History is not per-file facts: a commit touches many files, and a file's
//! co-change partners depend on every commit. The store keeps a repository's
//! commits and its [`RepoHistory`] in a tree of their own; the graph builder
//! turns the summary into `changed_with` edges and file attributes
//! (`brain_graph::history`). Only commits reachable from the indexed commit
//! are ever read, so the graph never knows a change the indexed tree lacks.
//!
//! Pure types, no IO.

use serde::{Deserialize, Serialize};

/// How a commit changed a file (`git log --name-status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChangeStatus {
    Added,
    Modified,
    Deleted,
    /// Renamed from [`FileChange::from`].
    Renamed,
    /// Copied from [`FileChange::from`] (the source is unchanged).
    Copied,
    /// The file type changed (a file became a symlink, say).
    TypeChanged,
}

impl ChangeStatus {
    /// The status letter git prints (`A`, `M`, `D`, `R`, `C`, `T`) as parsed;
    /// unknown letters (`U`, `X`) are `None`.
    pub fn from_letter(c: char) -> Option<ChangeStatus> {
        Some(match c {
            'A' => ChangeStatus::Added,
            'M' => ChangeStatus::Modified,
            'D' => ChangeStatus::Deleted,
            'R' => ChangeStatus::Renamed,
            'C' => ChangeStatus::Copied,
            'T' => ChangeStatus::TypeChanged,
            _ => return None,
        })
    }
    pub fn letter(self) -> char {
        match self {
            ChangeStatus::Added => 'A',
            ChangeStatus::Modified => 'M',
            ChangeStatus::Deleted => 'D',
            ChangeStatus::Renamed => 'R',
            ChangeStatus::Copied => 'C',
            ChangeStatus::TypeChanged => 'T',
        }
    }
}

/// One file a commit changed, by its repo-relative path at that commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    pub status: ChangeStatus,
    pub path: String,
    /// The old path of a rename or the source of a copy.
    pub from: Option<String>,
}

/// One commit reachable from the indexed commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// Full hex object name.
    pub sha: String,
    /// Number of parents (2 or more: a merge, whose files are not listed).
    pub parents: u8,
    /// Author name (after `.mailmap`).
    pub author: String,
    pub email: String,
    /// Committer time, Unix seconds.
    pub time: i64,
    /// Subject and body, trailers (`Signed-off-by:` ...) dropped, bounded.
    pub message: String,
    /// The files it changed, at most the reader's per-commit cap.
    pub files: Vec<FileChange>,
    /// How many files it changed (more than `files` holds when capped).
    pub files_total: u32,
}

impl Commit {
    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

/// What the graph knows of one file's history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FileHistory {
    /// Path at the indexed commit (renames followed).
    pub path: String,
    /// Commits that changed it.
    pub commits: u32,
    /// Commits that changed it within [`HistoryParams::recent_days`] before the indexed commit.
    pub recent: u32,
    /// Commits that changed it and were counted for co-change (at most
    /// [`HistoryParams::max_cochange_files`] files each): the denominator of
    /// a partner's confidence.
    pub counted: u32,
    /// Committer time of its last change, Unix seconds.
    pub last_time: i64,
    /// Most frequent authors, most commits first: `(name, commits)`.
    pub authors: Vec<(String, u32)>,
    /// Files most often changed in the same commit: `(index into
    /// [`RepoHistory::files`], commits changing both)`, highest support first.
    pub partners: Vec<(u32, u32)>,
}

/// A repository's history as the graph uses it, derived from its commits by
/// `brain_graph::history::summarize`: one entry per file alive at the
/// indexed commit that some commit changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RepoHistory {
    /// The indexed commit the history was read up to.
    pub head: String,
    /// Its committer time, Unix seconds: "recent" is measured back from it, not from a clock.
    pub head_time: i64,
    /// Commits read.
    pub commits: u32,
    /// Sorted by path.
    pub files: Vec<FileHistory>,
    /// `(old path, path at the indexed commit)` of renamed files, sorted by old path.
    pub renames: Vec<(String, String)>,
    /// The parameters it was derived with.
    pub params: HistoryParams,
}

impl RepoHistory {
    /// The history of the file at `path` (a path at the indexed commit).
    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.binary_search_by(|f| f.path.as_str().cmp(path)).ok().map(|i| &self.files[i])
    }
    /// The path at the indexed commit of a file that had `path` in some past
    /// commit (renames followed; the path itself when it was never renamed).
    pub fn current_path<'a>(&'a self, path: &'a str) -> &'a str {
        let mut cur = path;
        // A rename chain is followed a bounded number of hops (a cycle cannot loop).
        for _ in 0..16 {
            match self.renames.binary_search_by(|(old, _)| old.as_str().cmp(cur)) {
                Ok(i) if self.renames[i].1 != cur => cur = &self.renames[i].1,
                _ => break,
            }
        }
        cur
    }
}

/// How history becomes graph facts. Part of every [`RepoHistory`], so that
/// a summary derived with other parameters is derived again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryParams {
    /// Commits changing more files than this (a mass rename, a vendored
    /// import) are kept as commits and counted for churn, but not for co-change.
    pub max_cochange_files: u32,
    /// Co-change partners kept per file.
    pub top_k: u32,
    /// Fewest commits two files must share to be partners.
    pub min_support: u32,
    /// The window of "recent" churn, in days before the indexed commit.
    pub recent_days: u32,
    /// Authors kept per file.
    pub top_authors: u32,
}

impl Default for HistoryParams {
    fn default() -> Self {
        HistoryParams { max_cochange_files: 100, top_k: 10, min_support: 2, recent_days: 90, top_authors: 3 }
    }
}

/// A past commit whose message resembles a text ("similar past changes"),
/// with the files it touched. Only commits reachable from the repository's
/// indexed commit are ever found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarChange {
    pub repo: String,
    /// Full hex object name.
    pub sha: String,
    /// The first line of its message.
    pub subject: String,
    pub author: String,
    /// Committer time, Unix seconds.
    pub time: i64,
    /// BM25 score of its message (and, weaker, its paths) against the text; higher is closer.
    pub score: f32,
    /// Repo-relative paths it changed, as of that commit, in `git log` order:
    /// added, modified, deleted, type-changed paths, and for a rename or copy
    /// the new path followed by the old one. Empty for a merge (whose
    /// changes are the merged commits'). At most the reader's per-commit cap.
    pub files: Vec<String>,
}

/// The paths a commit touched, as [`SimilarChange::files`] lists them.
pub fn touched_paths(commit: &Commit) -> Vec<String> {
    let mut out = Vec::with_capacity(commit.files.len());
    for f in &commit.files {
        out.push(f.path.clone());
        if let Some(from) = &f.from {
            out.push(from.clone());
        }
    }
    out
}

/// `YYYY-MM-DD` (UTC) of Unix seconds.
pub fn iso_date(unix_secs: i64) -> String {
    let (y, m, d) = civil_from_days(unix_secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_are_followed_to_the_current_path_and_cycles_stop() {
        let h = RepoHistory {
            renames: vec![("a.rs".into(), "b.rs".into()), ("b.rs".into(), "c.rs".into()), ("x".into(), "x".into())],
            ..Default::default()
        };
        assert_eq!(h.current_path("a.rs"), "c.rs");
        assert_eq!(h.current_path("c.rs"), "c.rs");
        assert_eq!(h.current_path("x"), "x");
        let cyc =
            RepoHistory { renames: vec![("p".into(), "q".into()), ("q".into(), "p".into())], ..Default::default() };
        let _ = cyc.current_path("p");
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(1_787_420_180), "2026-08-22");
        assert_eq!(iso_date(-1), "1969-12-31");
    }
}
