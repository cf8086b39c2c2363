//! Walking a repository: which files exist, honouring `.gitignore`,
//! include/exclude globs and size limits.
//!
//! Symbolic links are never followed, by the walk or by single-path
//! re-ingest ([`PathFilter`]): a link inside the repo needs nothing (its
//! target is walked under its own path), and a link that leaves the repo, is
//! broken or loops is reported as a walk warning naming the link and its
//! target. Only regular files are listed (no FIFOs, sockets or devices).

use crate::{IngestError, RepoConfig};
use brain_model::{Diagnostic, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// Limits that protect an ingest from pathological files.
#[derive(Clone, Copy, Debug)]
pub struct FileLimits {
    /// Files larger than this are recorded but not read (default 2 MiB).
    pub max_file_bytes: u64,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits { max_file_bytes: 2 * 1024 * 1024 }
    }
}

/// A file found by the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkedFile {
    /// Relative to the repo root, `/`-separated.
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
}

fn globset(repo: &str, globs: &[String]) -> Result<Option<GlobSet>, IngestError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = Glob::new(g).map_err(|e| IngestError::Glob {
            repo: repo.into(),
            glob: g.clone(),
            message: e.to_string(),
        })?;
        b.add(glob);
    }
    b.build().map(Some).map_err(|e| IngestError::Glob {
        repo: repo.into(),
        glob: globs.join(","),
        message: e.to_string(),
    })
}

/// Lists the files of `repo` in a stable (sorted) order. Hidden files are
/// included (`.github/CODEOWNERS` matters); `.git` and `.brain` are not.
/// Unreadable entries (`walk.unreadable`) and symlinks that leave the repo,
/// dangle or loop (`walk.symlink`, naming the link) are returned as warning
/// diagnostics, not errors (see the module docs).
pub fn walk(repo: &RepoConfig) -> Result<(Vec<WalkedFile>, Vec<Diagnostic>), IngestError> {
    if !repo.path.is_dir() {
        return Err(IngestError::RepoMissing { repo: repo.name.clone(), path: repo.path.clone() });
    }
    let include = globset(&repo.name, &repo.include)?;
    let exclude = globset(&repo.name, &repo.exclude)?;
    // Links are judged against the real root (the configured path may itself be a link).
    let root = repo.path.canonicalize().unwrap_or_else(|_| repo.path.clone());
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let walker = ignore::WalkBuilder::new(&repo.path)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name();
            !(e.file_type().is_some_and(|t| t.is_dir()) && (name == ".git" || name == ".brain"))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(Diagnostic::new(
                    Severity::Warning,
                    "walk.unreadable",
                    &repo.name,
                    "",
                    None,
                    e.to_string(),
                ));
                continue;
            }
        };
        let Some(file_type) = entry.file_type() else { continue };
        if !file_type.is_file() && !file_type.is_symlink() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&repo.path) else { continue };
        let rel = to_slash(rel);
        if include.as_ref().is_some_and(|g| !g.is_match(&rel)) || exclude.as_ref().is_some_and(|g| g.is_match(&rel)) {
            continue;
        }
        if file_type.is_symlink() {
            if let Some(why) = symlink_warning(&root, entry.path(), &rel) {
                warnings.push(Diagnostic::new(Severity::Warning, "walk.symlink", &repo.name, &rel, None, why));
            }
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        files.push(WalkedFile { rel, abs: entry.path().to_path_buf(), size });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok((files, warnings))
}

/// Why the link at `link` (`rel` in the repo) is worth a warning: it leaves
/// `root`, dangles or loops. `None` for a link to something inside the repo.
fn symlink_warning(root: &Path, link: &Path, rel: &str) -> Option<String> {
    let target = std::fs::read_link(link).map(|t| t.display().to_string()).unwrap_or_else(|_| "?".into());
    match link.canonicalize() {
        Ok(real) if real.starts_with(root) => None,
        Ok(_) => Some(format!("symlink '{rel}' -> '{target}' leads outside the repository; not followed")),
        Err(e) => Some(format!("symlink '{rel}' -> '{target}' is broken or loops ({e}); not followed")),
    }
}

/// Whether `rel` (under `root`) goes through a symbolic link: the link itself
/// or any directory on the way. Components that do not exist end the check
/// (a deleted file is still a valid event).
fn through_symlink(root: &Path, rel: &str) -> bool {
    let mut p = root.to_path_buf();
    for seg in rel.split('/') {
        p.push(seg);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

fn to_slash(p: &Path) -> String {
    p.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The walk's filters for single paths (file watcher events).
pub(crate) struct PathFilter {
    root: PathBuf,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    gitignore: ignore::gitignore::Gitignore,
}

impl PathFilter {
    pub(crate) fn new(repo: &RepoConfig) -> Result<Self, IngestError> {
        let (gitignore, _) = ignore::gitignore::Gitignore::new(repo.path.join(".gitignore"));
        Ok(PathFilter {
            root: repo.path.clone(),
            include: globset(&repo.name, &repo.include)?,
            exclude: globset(&repo.name, &repo.exclude)?,
            gitignore,
        })
    }

    /// Whether the walk would list `rel`: a repo-relative path (no `..`, not
    /// absolute) outside `.git`/`.brain`, matching the globs, not ignored, and
    /// not reached through a symlink (the walk never follows one).
    pub(crate) fn accepts(&self, rel: &str) -> bool {
        if rel.is_empty()
            || rel.starts_with('/')
            || rel.split('/').any(|s| s == ".git" || s == ".brain" || s == ".." || s == "." || s.is_empty())
        {
            return false;
        }
        if self.include.as_ref().is_some_and(|g| !g.is_match(rel))
            || self.exclude.as_ref().is_some_and(|g| g.is_match(rel))
        {
            return false;
        }
        !self.gitignore.matched_path_or_any_parents(rel, false).is_ignore() && !through_symlink(&self.root, rel)
    }
}
