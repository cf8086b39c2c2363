//! One checkout directory per repository, moved from commit to commit, and
//! the brain's ingest of it.
//!
//! The first checkout writes the whole tree (blobs streamed from one
//! `git cat-file --batch`; the git directory is never changed) and ingests
//! the repository in full. Each later move rewrites only the files that
//! differ between the two trees (`git diff-tree`) and re-ingests exactly those paths, the way the file
//! watcher does (`Brain::ingest_paths`); when an ignore file changed, the
//! repository is re-walked (`Brain::ingest_repo`) because which files exist
//! for the brain may have changed. `--full-ingest` re-walks at every commit.
//! After either, the harness waits for the background relink so every answer
//! is computed on a fully linked snapshot, never on a patch (otherwise the
//! figures would depend on timing).

use anyhow::{bail, Context, Result};
use brain_ingest::{Brain, NoProgress, RepoConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use crate::history::git;

/// Longest wait for the background relink after an ingest or a record.
const RELINK_WAIT: Duration = Duration::from_secs(300);

/// What a move changed.
pub enum Moved {
    /// The whole tree was written.
    Full,
    /// Only these paths differ from the previous commit.
    Paths(Vec<String>),
}

/// A checkout directory that follows one repository's commits.
pub struct Tree {
    git_dir: PathBuf,
    dir: PathBuf,
    /// The commit checked out now.
    at: Option<String>,
    blobs: Option<BlobReader>,
    /// Blobs the git directory lacks (snapshots leave out files of 4 MiB and more).
    pub missing: usize,
}

/// One file of a tree: mode, blob id, path.
struct Entry {
    mode: String,
    sha: String,
    path: String,
}

impl Tree {
    /// A tree in `dir` (emptied at the first move).
    pub fn new(git_dir: &Path, dir: PathBuf) -> Self {
        Tree { git_dir: git_dir.to_path_buf(), dir, at: None, blobs: None, missing: 0 }
    }

    /// The brain's configuration of this checkout as repository `name`.
    pub fn repo_config(&self, name: &str) -> RepoConfig {
        RepoConfig { name: name.to_string(), path: self.dir.clone(), include: vec![], exclude: vec![] }
    }

    /// Makes the directory hold the tree of `rev`: written in full the first
    /// time, afterwards only the files that differ. Blobs missing from the git
    /// directory are left out (counted in `missing`).
    pub fn move_to(&mut self, rev: &str) -> Result<Moved> {
        let Some(at) = self.at.clone() else {
            if self.dir.exists() {
                std::fs::remove_dir_all(&self.dir).with_context(|| format!("clearing {}", self.dir.display()))?;
            }
            std::fs::create_dir_all(&self.dir)?;
            for e in self.list(rev)? {
                self.write(&e)?;
            }
            self.at = Some(rev.to_string());
            return Ok(Moved::Full);
        };
        if at == rev {
            return Ok(Moved::Paths(Vec::new()));
        }
        let diff = git(&self.git_dir, &["diff-tree", "-r", "--no-renames", "-z", &at, rev])?;
        let mut paths = Vec::new();
        for (e, deleted) in parse_diff(&diff) {
            if deleted {
                self.remove_file(&e.path)?;
            } else {
                self.write(&e)?;
            }
            paths.push(e.path);
        }
        self.at = Some(rev.to_string());
        Ok(Moved::Paths(paths))
    }

    /// Every file of `rev`'s tree.
    fn list(&self, rev: &str) -> Result<Vec<Entry>> {
        let out = git(&self.git_dir, &["ls-tree", "-r", "-z", "--full-tree", rev])?;
        Ok(out
            .split('\0')
            .filter_map(|rec| {
                let (meta, path) = rec.split_once('\t')?;
                let mut m = meta.split(' ');
                let (mode, _kind, sha) = (m.next()?, m.next()?, m.next()?);
                Some(Entry { mode: mode.into(), sha: sha.into(), path: path.into() })
            })
            .collect())
    }

    /// Writes one entry (a file or a symbolic link; submodules are skipped).
    fn write(&mut self, e: &Entry) -> Result<()> {
        let Some(target) = self.safe_path(&e.path) else { return Ok(()) };
        if e.mode == "160000" {
            return Ok(());
        }
        if self.blobs.is_none() {
            self.blobs = Some(BlobReader::start(&self.git_dir)?);
        }
        let Some(reader) = self.blobs.as_mut() else { return Ok(()) };
        let Some(bytes) = reader.read(&e.sha)? else {
            self.missing += 1;
            return self.remove_file(&e.path);
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if target.is_dir() && !target.is_symlink() {
            std::fs::remove_dir_all(&target)?;
        } else {
            let _ = std::fs::remove_file(&target);
        }
        if e.mode == "120000" {
            let link = String::from_utf8_lossy(&bytes).into_owned();
            std::os::unix::fs::symlink(link, &target)?;
        } else {
            std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
        }
        Ok(())
    }

    /// Removes a file of the checkout, if it is there.
    fn remove_file(&self, path: &str) -> Result<()> {
        if let Some(target) = self.safe_path(path) {
            match std::fs::remove_file(&target) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        Ok(())
    }

    /// `path` inside the checkout; `None` for a path that would leave it.
    fn safe_path(&self, path: &str) -> Option<PathBuf> {
        let ok = !path.is_empty()
            && !path.starts_with('/')
            && path.split('/').all(|c| !c.is_empty() && c != ".." && c != "." && c != ".git");
        ok.then(|| self.dir.join(path))
    }

    /// Removes the checkout.
    pub fn remove(&self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `git diff-tree -r -z` records: `:oldmode newmode oldsha newsha status\0path\0`;
/// each with the new entry and whether the path was deleted.
fn parse_diff(out: &str) -> Vec<(Entry, bool)> {
    let mut parts = out.split('\0');
    let mut recs = Vec::new();
    while let Some(meta) = parts.next() {
        let Some(meta) = meta.strip_prefix(':') else { continue };
        let Some(path) = parts.next() else { break };
        let f: Vec<&str> = meta.split(' ').collect();
        if let [_, new_mode, _, new_sha, status, ..] = f.as_slice() {
            let deleted = status.starts_with('D');
            recs.push((Entry { mode: (*new_mode).into(), sha: (*new_sha).into(), path: path.into() }, deleted));
        }
    }
    recs
}

/// A `git cat-file --batch` process reading blobs by id.
struct BlobReader {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl BlobReader {
    /// Starts the process.
    fn start(git_dir: &Path) -> Result<Self> {
        let mut child = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("starting git cat-file")?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            bail!("git cat-file has no pipes");
        };
        Ok(BlobReader { child, stdin, stdout: BufReader::new(stdout) })
    }

    /// The blob's bytes; `None` when the git directory lacks it.
    fn read(&mut self, sha: &str) -> Result<Option<Vec<u8>>> {
        writeln!(self.stdin, "{sha}")?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        let size = match fields.as_slice() {
            [_, "missing"] => return Ok(None),
            [_, _, size] => size.parse::<usize>().context("blob size")?,
            _ => bail!("git cat-file answered {header:?}"),
        };
        let mut bytes = vec![0u8; size + 1];
        self.stdout.read_exact(&mut bytes)?;
        bytes.truncate(size);
        Ok(Some(bytes))
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Brings the brain up to date with a move (see the module docs) and waits
/// for the relink.
pub fn ingest(brain: &Brain, repo: &RepoConfig, moved: &Moved, full_always: bool) -> Result<()> {
    match moved {
        Moved::Paths(paths) if !full_always && !paths.iter().any(|p| is_ignore_file(p)) => {
            if !paths.is_empty() {
                brain.ingest_paths(repo, paths).map_err(|e| anyhow::anyhow!("{e}"))?;
            }
        }
        _ => {
            brain.ingest_repo(repo, &NoProgress).map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    wait_relinked(brain)
}

/// Waits until the snapshot is a full build.
pub fn wait_relinked(brain: &Brain) -> Result<()> {
    if !brain.wait_exact(RELINK_WAIT) {
        bail!("the background relink did not finish within {RELINK_WAIT:?}");
    }
    Ok(())
}

/// Whether a change to `path` can change which files the walk lists.
fn is_ignore_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".gitignore" || name == ".ignore"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_tree_records_are_parsed() {
        let z = "0".repeat(40);
        let out = format!(
            ":100644 100644 {z} {z} M\0src/a.rs\0:100644 000000 {z} {z} D\0old.rs\0:000000 120000 {z} {z} A\0ln\0"
        );
        let recs = parse_diff(&out);
        let got: Vec<(&str, &str, bool)> = recs.iter().map(|(e, d)| (e.path.as_str(), e.mode.as_str(), *d)).collect();
        assert_eq!(got, vec![("src/a.rs", "100644", false), ("old.rs", "000000", true), ("ln", "120000", false)]);
    }

    #[test]
    fn paths_that_leave_the_checkout_are_refused() {
        let t = Tree::new(Path::new("/g"), PathBuf::from("/w"));
        assert_eq!(t.safe_path("a/b.rs"), Some(PathBuf::from("/w/a/b.rs")));
        for p in ["", "/etc/passwd", "a/../../x", "a//b", ".git/config", "./a"] {
            assert_eq!(t.safe_path(p), None, "{p}");
        }
    }
}
