//! A repository's git history into the store: what to read (all of it, or
//! only the commits since the stored head), and the write that stores it
//! with its summary.
//!
//! Incremental: the store remembers the head the history was read up to. The
//! next read is `head ^last` when `last` is an ancestor of the new head; when
//! it is not (history rewritten, an older commit checked out), when the
//! reading settings changed, or when the stored commits would exceed the cap
//! by a quarter, the history is read afresh and replaces the stored one. The
//! summary ([`brain_graph::history::summarize`]) is derived again from every
//! stored commit each time (renames make it non-incremental), which costs
//! milliseconds, not a git read.
//!
//! Invariant: the stored commits are exactly those reachable from the stored
//! head (the newest `max_commits` of them), so the graph and "similar past
//! changes" never know a change the indexed commit lacks.

use crate::config::HistorySettings;
use crate::git_log::{self, GitError};
use brain_graph::history::{summarize, SUMMARY_REVISION};
use brain_model::history::{touched_paths, Commit, HistoryParams, RepoHistory};
use brain_model::{Diagnostic, Severity};
use brain_store::{FactStore, HistoryDoc, HistoryRecord, HistoryWrite, StoreError, HISTORY_SCHEMA};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Commits per stored chunk.
const CHUNK: usize = 1000;

/// What reading a repository's history did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryReport {
    pub repo: String,
    /// The commit the history now reaches (the indexed commit).
    pub head: Option<String>,
    /// Commits read from git by this ingest (0 when the head did not move).
    pub commits_read: usize,
    /// Commits stored for the repository after it.
    pub commits_total: usize,
    /// The stored history was replaced (first read, rewritten history, new settings, cap reached).
    pub replaced: bool,
    /// Files of the indexed tree with history, and their co-change pairs kept (`changed_with` edges).
    pub files: usize,
    pub pairs: usize,
    pub duration: Duration,
    /// Why history was not read, when it was not.
    pub diagnostics: Vec<Diagnostic>,
}

/// A repository's stored history, as `Brain::history_stats` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryStats {
    pub repo: String,
    /// The commit the history was read up to.
    pub head: String,
    /// Its committer time, Unix seconds.
    pub head_time: i64,
    /// Commits stored (reachable from `head`, at most the cap).
    pub commits: u32,
    /// Files of the indexed tree with history.
    pub files: usize,
    /// Co-change pairs kept (one per direction).
    pub pairs: usize,
}

impl HistoryStats {
    pub(crate) fn of(repo: &str, r: &HistoryRecord) -> HistoryStats {
        HistoryStats {
            repo: repo.to_string(),
            head: r.head.clone(),
            head_time: r.summary.head_time,
            commits: r.commits,
            files: r.summary.files.len(),
            pairs: r.summary.files.iter().map(|f| f.partners.len()).sum(),
        }
    }
}

/// A history change ready to commit with the repository's other changes.
pub(crate) struct Prepared {
    /// `None`: the stored history is current.
    pub write: Option<HistoryWrite>,
    /// The summary the graph uses after the write.
    pub summary: Option<Arc<RepoHistory>>,
    /// Documents for the commit-message index, and whether they replace the repository's.
    pub docs: Vec<HistoryDoc>,
    pub replace_docs: bool,
    pub report: HistoryReport,
}

impl Prepared {
    /// Drops the stored history (history turned off for the repository).
    pub(crate) fn remove(repo: &str) -> Prepared {
        Prepared {
            write: Some(HistoryWrite::Remove),
            summary: None,
            docs: Vec::new(),
            replace_docs: true,
            report: HistoryReport { repo: repo.to_string(), replaced: true, ..Default::default() },
        }
    }

    /// No change: history could not be read; a diagnostic says why.
    pub(crate) fn failed(repo: &str, severity: Severity, code: &str, why: &GitError) -> Prepared {
        let message = format!("git history not read: {why}; the files are ingested without it");
        Prepared {
            write: None,
            summary: None,
            docs: Vec::new(),
            replace_docs: false,
            report: HistoryReport {
                repo: repo.to_string(),
                diagnostics: vec![Diagnostic::new(severity, code, repo, "", None, message)],
                ..Default::default()
            },
        }
    }
}

/// Failure to prepare a history write.
pub(crate) enum PrepareError {
    Git(GitError),
    Store(StoreError),
}

impl From<GitError> for PrepareError {
    fn from(e: GitError) -> Self {
        PrepareError::Git(e)
    }
}
impl From<StoreError> for PrepareError {
    fn from(e: StoreError) -> Self {
        PrepareError::Store(e)
    }
}

/// How commits are read: a stored history read otherwise is read again.
fn read_key(s: &HistorySettings) -> String {
    format!("git-log r1 max_commits={} stored_files={}", s.max_commits, git_log::MAX_STORED_FILES)
}

pub(crate) fn params(s: &HistorySettings) -> HistoryParams {
    HistoryParams { max_cochange_files: s.max_files_per_commit, ..HistoryParams::default() }
}

/// Decides and reads what `repo`'s history needs to reach `head` (a full
/// commit hash) in the repository at `git_dir`, and builds the write.
pub(crate) fn prepare(
    store: &dyn FactStore,
    repo: &str,
    git_dir: &Path,
    head: &str,
    settings: &HistorySettings,
) -> Result<Prepared, PrepareError> {
    let started = std::time::Instant::now();
    let key = read_key(settings);
    let params = params(settings);
    let stored = store.history(repo)?.filter(|r| r.read == key);
    let mut report = HistoryReport { repo: repo.to_string(), head: Some(head.to_string()), ..Default::default() };

    // New commits, and whether they replace the stored ones.
    let (new, replace) = match &stored {
        Some(r) if r.head == head => (Vec::new(), false),
        Some(r) if git_log::is_ancestor(git_dir, &r.head, head)? => {
            let new = git_log::read_log(git_dir, head, Some(&r.head), settings.max_commits)?;
            let total = r.commits as usize + new.len();
            if new.len() >= settings.max_commits {
                (new, true)
            } else if total > settings.max_commits + settings.max_commits / 4 {
                // Over the cap by a quarter: read the newest afresh (amortised over many appends).
                (git_log::read_log(git_dir, head, None, settings.max_commits)?, true)
            } else {
                (new, false)
            }
        }
        _ => (git_log::read_log(git_dir, head, None, settings.max_commits)?, true),
    };
    report.commits_read = new.len();
    report.replaced = replace;

    if let (Some(r), false, true) = (&stored, replace, new.is_empty()) {
        if r.summary_revision == SUMMARY_REVISION && r.summary.params == params {
            // Nothing new: the stored history is current.
            report.commits_total = r.commits as usize;
            fill_counts(&mut report, &r.summary);
            report.duration = started.elapsed();
            return Ok(Prepared { write: None, summary: None, docs: Vec::new(), replace_docs: false, report });
        }
    }

    let head_time = match new.first() {
        Some(c) if c.sha == head => c.time,
        _ => stored.as_ref().map(|r| r.summary.head_time).unwrap_or(0),
    };
    let summary = if replace || stored.is_none() {
        summarize(&new, head, head_time, &params)
    } else {
        let mut all = new.clone();
        store.for_each_commit(repo, &mut |c| all.push(c))?;
        summarize(&all, head, head_time, &params)
    };
    let replace = replace || stored.is_none();
    let commits_total = if replace { new.len() } else { stored.as_ref().map_or(0, |r| r.commits as usize) + new.len() };
    report.commits_total = commits_total;
    fill_counts(&mut report, &summary);
    let docs = new.iter().map(|c| doc(repo, c)).collect();
    // Chunks oldest first, each newest first.
    let chunks: Vec<Vec<Commit>> = new.chunks(CHUNK).rev().map(<[Commit]>::to_vec).collect();
    let record = HistoryRecord {
        schema: HISTORY_SCHEMA,
        head: head.to_string(),
        read: key,
        commits: u32::try_from(commits_total).unwrap_or(u32::MAX),
        chunks: 0,
        summary_revision: SUMMARY_REVISION,
        summary: summary.clone(),
    };
    report.duration = started.elapsed();
    Ok(Prepared {
        write: Some(HistoryWrite::Put { record, chunks, replace }),
        summary: Some(Arc::new(summary)),
        docs,
        replace_docs: replace,
        report,
    })
}

fn fill_counts(report: &mut HistoryReport, summary: &RepoHistory) {
    report.files = summary.files.len();
    report.pairs = summary.files.iter().map(|f| f.partners.len()).sum();
}

/// The commit-message index document of a commit.
pub(crate) fn doc(repo: &str, c: &Commit) -> HistoryDoc {
    HistoryDoc {
        repo: repo.to_string(),
        sha: c.sha.clone(),
        time: c.time,
        author: c.author.clone(),
        message: c.message.clone(),
        files: touched_paths(c),
    }
}

/// The summary the graph uses for a stored record: the stored one, or one
/// derived again from the stored commits when it was derived by another
/// revision of the code (until the next ingest stores it).
pub(crate) fn summary_of(store: &dyn FactStore, repo: &str, r: HistoryRecord) -> Result<RepoHistory, StoreError> {
    if r.summary_revision == SUMMARY_REVISION {
        return Ok(r.summary);
    }
    let mut all = Vec::with_capacity(r.commits as usize);
    store.for_each_commit(repo, &mut |c| all.push(c))?;
    Ok(summarize(&all, &r.head, r.summary.head_time, &r.summary.params))
}
