//! The corpus file (`eval/retrieval/corpus.toml`): the selection parameters
//! fixed in advance and the repositories with their split.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Commit-selection parameters (see the module docs of `history`).
#[derive(Clone, Debug, Deserialize)]
pub struct Selection {
    /// Every `stride`-th eligible commit is selected.
    pub stride: usize,
    /// At most this many selected commits per repository.
    pub cap: usize,
    /// Most modified-or-deleted files an eligible commit may have.
    pub max_files: usize,
    /// The `budget_tokens` the packet is asked with.
    pub budget_tokens: usize,
    /// Eligible commits passed over before the first selected one (ad hoc runs only).
    #[serde(default)]
    pub skip: usize,
}

/// Half of the corpus a repository belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// May be looked at and tuned on.
    Tune,
    /// Reported as totals only (unless `--show-heldout`); never tuned on.
    Heldout,
    /// A `--git-dir` given on the command line, outside the corpus.
    Adhoc,
}

impl Split {
    /// The name used in reports and JSON lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Tune => "tune",
            Split::Heldout => "heldout",
            Split::Adhoc => "adhoc",
        }
    }
}

/// One `[[repo]]` entry of the corpus file.
#[derive(Clone, Debug, Deserialize)]
pub struct CorpusRepo {
    /// `owner/name` on GitHub.
    pub name: String,
    /// Folder under the mirror directory (`owner+name`).
    pub git_dir: String,
    /// Main language, or `polyglot`.
    pub language: String,
    /// Category of the choosing rule (`rust`, `go`, `ts`, `python`, `jvm`, `csharp`, `polyglot`).
    pub category: String,
    pub split: Split,
    /// The commit selection walks back from (pinned, so a newer snapshot selects the same commits).
    pub head: String,
    /// Whether the lesson replay runs on it (`--lessons`).
    #[serde(default)]
    pub lessons: bool,
}

/// The whole corpus file.
#[derive(Clone, Debug, Deserialize)]
pub struct Corpus {
    pub selection: Selection,
    #[serde(default, rename = "repo")]
    pub repos: Vec<CorpusRepo>,
}

/// A repository to evaluate, resolved to its git directory.
#[derive(Clone, Debug)]
pub struct RepoSpec {
    /// Short name: the brain's repository name, file prefixes, report rows.
    pub name: String,
    pub language: String,
    pub split: Split,
    pub git_dir: PathBuf,
    /// Revision the history walk starts at.
    pub head: String,
    pub selection: Selection,
}

/// Reads and checks the corpus file.
pub fn load(path: &Path) -> Result<Corpus> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let corpus: Corpus = toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    if corpus.selection.stride == 0 || corpus.selection.cap == 0 || corpus.selection.max_files == 0 {
        bail!("{}: stride, cap and max_files must be positive", path.display());
    }
    if let Some(r) = corpus.repos.iter().find(|r| r.split == Split::Adhoc) {
        bail!("{}: {} has split \"adhoc\"; use \"tune\" or \"heldout\"", path.display(), r.name);
    }
    check_balance(&corpus.repos).with_context(|| format!("checking {}", path.display()))?;
    Ok(corpus)
}

/// Each category must have as many tune as held-out repositories.
fn check_balance(repos: &[CorpusRepo]) -> Result<()> {
    let mut per: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for r in repos {
        let e = per.entry(r.category.as_str()).or_default();
        match r.split {
            Split::Tune => e.0 += 1,
            _ => e.1 += 1,
        }
    }
    if let Some((cat, (t, h))) = per.iter().find(|(_, (t, h))| t != h) {
        bail!("category {cat} has {t} tune and {h} held-out repositories; the split must be balanced");
    }
    Ok(())
}

/// The git directory of a mirrored repository: `<mirror>/<dir>/repo/.git`,
/// `<mirror>/<dir>/repo` or `<mirror>/<dir>`, whichever holds a `HEAD`.
pub fn resolve_git_dir(mirror: &Path, dir: &str) -> Result<PathBuf> {
    let base = mirror.join(dir);
    for cand in [base.join("repo").join(".git"), base.join("repo"), base.clone()] {
        if cand.join("HEAD").is_file() {
            return Ok(cand);
        }
    }
    bail!("no git directory under {} (fetch it first)", base.display())
}

/// The short name of `owner/name` (`tokio-rs/tracing` -> `tracing`).
pub fn short_name(full: &str) -> String {
    full.rsplit('/').next().unwrap_or(full).to_string()
}

/// A short repository name from a git dir (`/x/psf+requests/repo` -> `requests`).
pub fn name_from_git_dir(git_dir: &Path) -> String {
    let dir = if git_dir.file_name().is_some_and(|n| n == "repo" || n == ".git") {
        git_dir.parent().unwrap_or(git_dir)
    } else {
        git_dir
    };
    let dir = if dir.file_name().is_some_and(|n| n == "repo") { dir.parent().unwrap_or(dir) } else { dir };
    let raw = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "repo".into());
    let raw = raw.trim_end_matches(".git");
    raw.rsplit('+').next().unwrap_or(raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_file_is_valid_and_balanced() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval/retrieval/corpus.toml");
        let corpus = load(&path).expect("the corpus loads");
        assert!(corpus.repos.len() >= 12);
        let langs: std::collections::BTreeSet<&str> = corpus.repos.iter().map(|r| r.category.as_str()).collect();
        assert!(langs.len() >= 6, "{langs:?}");
        assert!(corpus.repos.iter().all(|r| r.head.len() == 40));
        let tune = corpus.repos.iter().filter(|r| r.split == Split::Tune).count();
        assert_eq!(tune * 2, corpus.repos.len());
    }

    #[test]
    fn names_come_from_git_dirs() {
        assert_eq!(name_from_git_dir(Path::new("/m/psf+requests/repo")), "requests");
        assert_eq!(name_from_git_dir(Path::new("/m/a+b/repo/.git")), "b");
        assert_eq!(short_name("tokio-rs/tracing"), "tracing");
    }
}
