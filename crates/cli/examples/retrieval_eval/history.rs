//! The first-parent history of a repository and the commit selection.
//!
//! **Eligible commits.** First-parent, non-merge commits from the pinned head
//! backwards whose subject is not trivial (it mentions a typo, starts with
//! "Merge", "Revert", "Bump" or "Release", is a dependency update
//! (`chore(deps)`, `build(deps)`, dependabot, renovate), is a version number
//! (`v2.34.2`, `0.4.16`), or has fewer than two words) and that modify or
//! delete 1..=`max_files` files (renames count as a delete of the old path
//! and an add; added files cannot be retrieved).
//!
//! **Selected commits.** After passing over `skip` eligible commits, every
//! `stride`-th eligible commit (the 1st, the (stride+1)-th, ...), at most
//! `cap`. The selection does not depend on the brain; a selected commit whose
//! changed files the brain holds as no text file is dropped later, not replaced.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

use crate::corpus::Selection;

/// One first-parent commit (merges included, diffed against their first parent).
#[derive(Clone, Debug)]
pub struct Commit {
    pub sha: String,
    /// First parent; `None` for a root commit.
    pub parent: Option<String>,
    /// Whether it has more than one parent.
    pub merge: bool,
    /// Author time, Unix seconds.
    pub time: u64,
    pub message: String,
    /// `(status letter, path)` against the first parent, renames split.
    pub files: Vec<(char, String)>,
}

impl Commit {
    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    /// Paths that existed in the parent: modified, type-changed or deleted.
    pub fn changed(&self) -> Vec<String> {
        self.files.iter().filter(|(s, _)| matches!(s, 'M' | 'T' | 'D')).map(|(_, p)| p.clone()).collect()
    }

    /// Paths that exist both before and after: modified or type-changed.
    pub fn modified(&self) -> Vec<String> {
        self.files.iter().filter(|(s, _)| matches!(s, 'M' | 'T')).map(|(_, p)| p.clone()).collect()
    }

    /// Every path the commit touched, whatever the status.
    pub fn touched(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(_, p)| p.as_str())
    }
}

/// The first-parent history from `head` backwards, newest first.
pub fn first_parent_log(git_dir: &Path, head: &str) -> Result<Vec<Commit>> {
    let log = git(
        git_dir,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--no-renames",
            "--name-status",
            "--format=%x1e%H %P%x1f%at%x1f%B%x1f",
            head,
        ],
    )?;
    Ok(log.split('\x1e').filter_map(parse_record).collect())
}

/// One `git log` record: `SHA PARENTS\x1fTIME\x1fMESSAGE\x1f` then name-status lines.
fn parse_record(rec: &str) -> Option<Commit> {
    let mut parts = rec.splitn(4, '\x1f');
    let head = parts.next()?.trim();
    let time = parts.next()?.trim().parse().unwrap_or(0);
    let message = parts.next()?.trim().to_string();
    let status = parts.next().unwrap_or("");
    let mut ids = head.split_whitespace();
    let sha = ids.next()?.to_string();
    let parent = ids.next().map(str::to_string);
    let merge = ids.next().is_some();
    let files = status
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(_, p)| !p.starts_with('"'))
        .filter_map(|(s, p)| s.chars().next().map(|c| (c, p.to_string())))
        .collect();
    Some(Commit { sha, parent, merge, time, message, files })
}

/// Whether a commit may be selected (see the module docs).
pub fn is_eligible(c: &Commit, max_files: usize) -> bool {
    !c.merge && c.parent.is_some() && !is_trivial(&c.message) && (1..=max_files).contains(&c.changed().len())
}

/// Indices into `log` (newest first) of the selected commits, newest first.
pub fn select(log: &[Commit], sel: &Selection) -> Vec<usize> {
    log.iter()
        .enumerate()
        .filter(|(_, c)| is_eligible(c, sel.max_files))
        .map(|(i, _)| i)
        .skip(sel.skip)
        .step_by(sel.stride.max(1))
        .take(sel.cap)
        .collect()
}

/// Whether a commit message says too little to be a task (see the module docs).
pub fn is_trivial(message: &str) -> bool {
    let subject = message.lines().next().unwrap_or("").trim().to_lowercase();
    let words: Vec<&str> = subject.split_whitespace().collect();
    let versionish = |w: &str| {
        let w = w.trim_start_matches('v');
        w.contains('.')
            && w.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c.is_ascii_lowercase())
            && w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    words.len() < 2
        || subject.contains("typo")
        || ["merge", "revert", "bump", "release"].iter().any(|p| subject.starts_with(p))
        || ["(deps)", "(deps-dev)", "dependabot", "renovate"].iter().any(|p| subject.contains(p))
        || words.first().is_some_and(|w| versionish(w)) && words.len() <= 2
}

/// Whether a commit is a fix, for the lesson replay: the first word of its
/// subject, after an optional one-word `area:` prefix, is fix/fixes/fixed/fixing
/// (any case; `fix(http):` counts, "fixture" does not), or the subject has the
/// word bug, bugs, bugfix or bugfixes ("debug" does not count).
pub fn is_fix(subject: &str) -> bool {
    let s = subject.trim().to_lowercase();
    let rest = match s.split_once(": ") {
        Some((area, rest)) if !area.contains(' ') && !area.starts_with("fix") => rest.trim_start(),
        _ => s.as_str(),
    };
    let first: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let bug = s.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w, "bug" | "bugs" | "bugfix" | "bugfixes"));
    matches!(first.as_str(), "fix" | "fixes" | "fixed" | "fixing") || bug
}

/// The message as a user would give it: subject and body without trailers.
pub fn intent_of(message: &str) -> String {
    const TRAILERS: &[&str] = &[
        "signed-off-by:",
        "co-authored-by:",
        "reviewed-by:",
        "acked-by:",
        "tested-by:",
        "reported-by:",
        "change-id:",
        "cc:",
    ];
    message
        .lines()
        .filter(|l| {
            let l = l.trim_start().to_lowercase();
            !TRAILERS.iter().any(|t| l.starts_with(t))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Runs git on `git_dir` and returns its standard output.
pub fn git(git_dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git").arg("--git-dir").arg(git_dir).args(args).output().context("running git")?;
    if !out.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(msg: &str, files: &[(char, &str)], merge: bool) -> Commit {
        Commit {
            sha: "s".into(),
            parent: Some("p".into()),
            merge,
            time: 0,
            message: msg.into(),
            files: files.iter().map(|(s, p)| (*s, p.to_string())).collect(),
        }
    }

    #[test]
    fn trivial_subjects_are_skipped() {
        for m in ["Fix typo in docs", "Merge branch x", "Bump serde to 1.0", "chore(deps): update", "v1.2.3", "Update"]
        {
            assert!(is_trivial(m), "{m}");
        }
        assert!(!is_trivial("Add a timeout to the client"));
    }

    #[test]
    fn fixes_are_recognised_with_or_without_an_area() {
        for s in ["Fix the race", "fix(http): retry", "xds: fix leak", "Fixes #12 in parser", "A bug in the cache"] {
            assert!(is_fix(s), "{s}");
        }
        for s in ["Fixture cleanup", "Add debug logging", "docs: prefix handling"] {
            assert!(!is_fix(s), "{s}");
        }
    }

    #[test]
    fn trailers_are_removed_from_the_intent() {
        assert_eq!(intent_of("Add x\n\nbody\nSigned-off-by: a <b>\n"), "Add x\n\nbody");
    }

    #[test]
    fn a_log_record_is_parsed() {
        let c = parse_record("abc def\x1f1700000000\x1fAdd x\n\nbody\x1f\nM\tsrc/a.rs\nA\tsrc/b.rs\nD\t\"q\\303\"\n")
            .expect("a record");
        assert_eq!((c.sha.as_str(), c.parent.as_deref(), c.merge, c.time), ("abc", Some("def"), false, 1_700_000_000));
        assert_eq!(c.changed(), vec!["src/a.rs".to_string()]);
        assert_eq!(c.touched().count(), 2);
    }

    #[test]
    fn selection_takes_every_stride_th_eligible_commit_up_to_the_cap() {
        let mut log = Vec::new();
        for i in 0..20 {
            log.push(commit(&format!("Change number {i}"), &[('M', "a.rs")], i % 5 == 4));
        }
        let sel = Selection { stride: 3, cap: 4, max_files: 10, budget_tokens: 1000, skip: 1 };
        // Eligible: every index but 4, 9, 14, 19; skip the first, then every third.
        assert_eq!(select(&log, &sel), vec![1, 5, 8, 12]);
    }
}
