//! Reading a repository's history with the `git` command line: commits with
//! their message, author, time and the files they changed.
//!
//! One `git log` process per read, never a shell: arguments are passed as
//! such, revisions are checked before they are passed (no leading `-`, no
//! whitespace) and resolved to full object names first. The output is
//! NUL-separated (`-z`) and parsed as bytes, so no path or message can break
//! the framing, and text that is not UTF-8 is read lossily.
//!
//! Bounds: at most `max_commits` commits per read (newest first), at most
//! [`MAX_STORED_FILES`] files kept per commit (the total is counted), and a
//! message of at most [`MAX_MESSAGE_BYTES`]. Merge commits keep their
//! message but list no files (their changes are the merged commits').

use brain_model::history::{ChangeStatus, Commit, FileChange};
use std::path::Path;
use std::process::{Command, Stdio};

/// Files kept per commit; a commit changing more is kept with its count.
pub const MAX_STORED_FILES: usize = 1000;
/// Bytes of a commit message kept (subject and body, trailers dropped).
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// Separates commits in the output (before each commit's hash).
const RECORD: u8 = 0x1e;
const FORMAT: &str = "--format=%x1e%H%x00%P%x00%aN%x00%aE%x00%ct%x00%B%x00";

/// Why git could not be read: the message says what happened, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `git -C dir` command with no inherited repository overrides.
fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    // A hook or an outer git process must not point us at another repository.
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_NAMESPACE"] {
        c.env_remove(var);
    }
    c.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off", "-c", "log.showsignature=false", "-c", "color.ui=false"])
        .stdin(Stdio::null());
    c
}

/// Runs `cmd` and returns its stdout; a failure to start (no `git` on PATH)
/// or a non-zero exit is an error naming it.
fn run(mut cmd: Command, what: &str) -> Result<Vec<u8>, GitError> {
    let out = cmd.output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            GitError("git is not on PATH".into())
        } else {
            GitError(format!("cannot run git ({what}): {e}"))
        }
    })?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim();
        return Err(GitError(format!("git {what} failed: {first}")));
    }
    Ok(out.stdout)
}

/// Refuses a revision that could be read as an option or split in two.
pub fn check_revision(rev: &str) -> Result<(), GitError> {
    if rev.is_empty() || rev.starts_with('-') || rev.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(GitError(format!(
            "'{rev}' is not a git revision (it must not be empty, start with '-' or hold whitespace)"
        )));
    }
    Ok(())
}

fn is_hash(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The full hash of the commit `rev` names in the repository at `dir`
/// (a work tree or a bare git dir).
pub fn resolve_commit(dir: &Path, rev: &str) -> Result<String, GitError> {
    check_revision(rev)?;
    let mut cmd = git(dir);
    cmd.args(["rev-parse", "--verify", "--quiet"]).arg(format!("{rev}^{{commit}}"));
    let out = run(cmd, &format!("rev-parse {rev}")).map_err(|e| {
        if e.0.contains("rev-parse") && !e.0.contains("PATH") {
            GitError(format!("no commit '{rev}' in {}", dir.display()))
        } else {
            e
        }
    })?;
    let sha = String::from_utf8_lossy(&out).trim().to_string();
    if !is_hash(&sha) {
        return Err(GitError(format!("git rev-parse {rev} gave '{sha}', not a commit hash")));
    }
    Ok(sha)
}

/// `HEAD` of `root` when `root` is the top of a git work tree with a commit;
/// `Ok(None)` when it is not in a work tree, is a subdirectory of one (its
/// history is the enclosing repository's) or has no commit yet.
pub fn work_tree_head(root: &Path) -> Result<Option<String>, GitError> {
    let mut cmd = git(root);
    cmd.args(["rev-parse", "--is-inside-work-tree", "--show-prefix", "--verify", "--quiet", "HEAD"]);
    let out = match cmd.stderr(Stdio::null()).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(GitError("git is not on PATH".into())),
        Err(e) => return Err(GitError(format!("cannot run git rev-parse: {e}"))),
    };
    if !out.status.success() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let (inside, prefix, head) = (lines.next(), lines.next(), lines.next());
    match (inside, prefix, head) {
        (Some("true"), Some(""), Some(h)) if is_hash(h.trim()) => Ok(Some(h.trim().to_string())),
        _ => Ok(None),
    }
}

/// Whether commit `a` is an ancestor of (or is) commit `b`. An unknown
/// object (history rewritten and collected) is "no".
pub fn is_ancestor(dir: &Path, a: &str, b: &str) -> Result<bool, GitError> {
    check_revision(a)?;
    check_revision(b)?;
    let mut cmd = git(dir);
    cmd.args(["merge-base", "--is-ancestor", a, b]).stdout(Stdio::null()).stderr(Stdio::null());
    match cmd.status() {
        Ok(s) => Ok(s.success()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(GitError("git is not on PATH".into())),
        Err(e) => Err(GitError(format!("cannot run git merge-base: {e}"))),
    }
}

/// The commits reachable from `head` and not from `since`, newest first, at
/// most `max_commits` of them. Rename detection reads blobs; when an object
/// is missing (a partial or damaged clone) the log is read again without it,
/// so a rename shows as a deletion and an addition instead of failing.
pub fn read_log(dir: &Path, head: &str, since: Option<&str>, max_commits: usize) -> Result<Vec<Commit>, GitError> {
    check_revision(head)?;
    if let Some(since) = since {
        check_revision(since)?;
    }
    let log = |renames: &str| {
        let mut cmd = git(dir);
        cmd.args(["log", "--no-color", "--no-ext-diff", "--no-textconv", renames, "--name-status", "-z", FORMAT])
            .arg(format!("--max-count={}", max_commits.max(1)))
            .arg(head);
        if let Some(since) = since {
            cmd.arg(format!("^{since}"));
        }
        cmd.arg("--");
        run(cmd, "log")
    };
    let out = match log("-M") {
        Ok(out) => out,
        Err(first) => match log("--no-renames") {
            Ok(out) => {
                tracing::warn!(error = %first.0, dir = %dir.display(), "git log without rename detection");
                out
            }
            Err(_) => return Err(first),
        },
    };
    let mut commits = parse_log(&out);
    commits.truncate(max_commits.max(1));
    Ok(commits)
}

/// Parses `git log -z --name-status` output in [`FORMAT`]. Malformed records
/// are skipped; the rest is read.
pub fn parse_log(out: &[u8]) -> Vec<Commit> {
    let mut commits = Vec::new();
    let mut fields = out.split(|b| *b == 0).peekable();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    while let Some(tok) = fields.next() {
        // Find the start of a commit (skipping what a malformed record left).
        let Some(sha) = tok.strip_prefix(&[RECORD]) else { continue };
        let sha = text(sha);
        let mut header = Vec::with_capacity(5);
        while header.len() < 5 {
            match fields.peek() {
                Some(f) if !f.starts_with(&[RECORD]) || header.len() == 4 => header.push(fields.next().unwrap_or(&[])),
                _ => break,
            }
        }
        let mut files = Vec::new();
        let mut files_total = 0u32;
        // Then the changed files: a status, one path (two for renames and copies).
        while let Some(f) = fields.peek() {
            if f.starts_with(&[RECORD]) {
                break;
            }
            let status = fields.next().unwrap_or(&[]);
            let status = text(status);
            let status = status.trim_start_matches(['\n', '\r']);
            let Some(letter) = status.chars().next() else { continue };
            if !letter.is_ascii_uppercase() {
                continue;
            }
            let two = matches!(letter, 'R' | 'C');
            let first = fields.next().map(text);
            let second = if two { fields.next().map(text) } else { None };
            let Some(first) = first else { break };
            files_total = files_total.saturating_add(1);
            let Some(status) = ChangeStatus::from_letter(letter) else { continue };
            if files.len() >= MAX_STORED_FILES {
                continue;
            }
            let (path, from) = match (two, second) {
                (true, Some(new)) => (new, Some(first)),
                (true, None) => break,
                (false, _) => (first, None),
            };
            files.push(FileChange { status, path, from });
        }
        if header.len() < 5 || !is_hash(&sha) {
            continue;
        }
        let parents = text(header[0]).split_whitespace().count();
        if parents >= 2 {
            // A merge: its message, not its files.
            files.clear();
            files_total = 0;
        }
        commits.push(Commit {
            sha,
            parents: u8::try_from(parents).unwrap_or(u8::MAX),
            author: text(header[1]),
            email: text(header[2]),
            time: text(header[3]).trim().parse().unwrap_or(0),
            message: clean_message(&text(header[4])),
            files,
            files_total,
        });
    }
    commits
}

/// A commit message as kept: line ends normalised, trailing blank lines and
/// the trailer block (`Signed-off-by:`, `Co-authored-by:`, `Change-Id:` ...)
/// dropped, at most [`MAX_MESSAGE_BYTES`].
pub fn clean_message(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let mut lines: Vec<&str> = raw.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // The last paragraph is a trailer block when every line is `Token: value`
    // (or a continuation) and it is not the subject.
    if let Some(blank) = lines.iter().rposition(|l| l.is_empty()) {
        let block = &lines[blank + 1..];
        let known = block.iter().any(|l| is_known_trailer(l));
        if known && block.iter().all(|l| is_trailer(l) || l.starts_with([' ', '\t'])) && is_trailer(block[0]) {
            lines.truncate(blank);
            while lines.last().is_some_and(|l| l.is_empty()) {
                lines.pop();
            }
        }
    }
    let mut out = lines.join("\n");
    if out.len() > MAX_MESSAGE_BYTES {
        let mut end = MAX_MESSAGE_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

/// `Signed-off-by: Ann <a@x>`: a token of letters, digits and dashes, a colon and a space.
fn is_trailer(line: &str) -> bool {
    let Some((token, rest)) = line.split_once(':') else { return false };
    !token.is_empty()
        && token.len() <= 40
        && token.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && (rest.starts_with(' ') || rest.is_empty())
}

/// A trailer git or a review tool writes: a last paragraph of `Token: value`
/// lines is dropped only when it holds one (`Note: ...` prose stays).
fn is_known_trailer(line: &str) -> bool {
    const KNOWN: [&str; 15] = [
        "signed-off-by",
        "co-authored-by",
        "reviewed-by",
        "acked-by",
        "tested-by",
        "reported-by",
        "suggested-by",
        "helped-by",
        "change-id",
        "cc",
        "fixes",
        "closes",
        "refs",
        "reviewed-on",
        "approved-by",
    ];
    is_trailer(line) && line.split_once(':').is_some_and(|(t, _)| KNOWN.contains(&t.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";
    const B: &str = "2222222222222222222222222222222222222222";
    const C: &str = "3333333333333333333333333333333333333333";
    const M: &str = "4444444444444444444444444444444444444444";

    /// One record as `git log -z --name-status` prints it in [`FORMAT`].
    fn record(sha: &str, parents: &str, msg: &[u8], files: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![RECORD];
        for part in [sha.as_bytes(), parents.as_bytes(), b"Ann Lee", b"ann@example.com", b"1700000000", msg] {
            out.extend_from_slice(part);
            out.push(0);
        }
        if !files.is_empty() {
            out.extend_from_slice(b"\0\n");
            for f in files {
                out.extend_from_slice(f);
                out.push(0);
            }
        } else {
            out.push(0);
        }
        out
    }

    #[test]
    fn parses_renames_copies_merges_and_empty_commits() {
        let mut out = Vec::new();
        out.extend(record(M, &format!("{A} {B}"), b"Merge branch 'x'\n", &[]));
        out.extend(record(
            C,
            A,
            b"Rename the client\n\nBody line.\n",
            &[b"R100", b"src/old.rs", b"src/new.rs", b"C075", b"a.rs", b"b.rs", b"M", b"README.md", b"D", b"gone.rs"],
        ));
        out.extend(record(B, A, b"Empty commit\n", &[]));
        out.extend(record(A, "", b"Initial\n", &[b"A", b"src/old.rs", b"T", b"link"]));
        let log = parse_log(&out);
        let shas: Vec<&str> = log.iter().map(|c| c.sha.as_str()).collect();
        assert_eq!(shas, [M, C, B, A]);
        assert_eq!((log[0].parents, log[0].files.len(), log[0].message.as_str()), (2, 0, "Merge branch 'x'"));
        let c = &log[1];
        assert_eq!(c.parents, 1);
        assert_eq!(c.message, "Rename the client\n\nBody line.");
        assert_eq!(c.files_total, 4);
        assert_eq!(
            c.files[0],
            FileChange { status: ChangeStatus::Renamed, path: "src/new.rs".into(), from: Some("src/old.rs".into()) }
        );
        assert_eq!(
            c.files[1],
            FileChange { status: ChangeStatus::Copied, path: "b.rs".into(), from: Some("a.rs".into()) }
        );
        assert_eq!((c.files[2].status, c.files[2].path.as_str()), (ChangeStatus::Modified, "README.md"));
        assert_eq!((c.files[3].status, c.files[3].path.as_str()), (ChangeStatus::Deleted, "gone.rs"));
        assert!(log[2].files.is_empty() && log[2].files_total == 0, "an empty commit has no files");
        assert_eq!(log[3].parents, 0);
        assert_eq!(log[3].files[1].status, ChangeStatus::TypeChanged);
        assert_eq!(
            (log[3].author.as_str(), log[3].email.as_str(), log[3].time),
            ("Ann Lee", "ann@example.com", 1_700_000_000)
        );
    }

    #[test]
    fn bad_encodings_are_lossy_and_framing_holds_against_odd_bytes() {
        let mut out = Vec::new();
        // Latin-1 in the message and the path; a record separator inside the body.
        out.extend(record(A, "", b"caf\xe9 \x1e fix\n", &[b"M", b"docs/r\xe9sum\xe9.md", b"M", b"with space.txt"]));
        out.extend(record(B, A, b"next\n", &[b"M", b"x"]));
        let log = parse_log(&out);
        assert_eq!(log.len(), 2);
        assert!(log[0].message.starts_with("caf\u{fffd}"), "{:?}", log[0].message);
        assert_eq!(log[0].files[0].path, "docs/r\u{fffd}sum\u{fffd}.md");
        assert_eq!(log[0].files[1].path, "with space.txt");
        assert_eq!(log[1].sha, B);
        // Garbage and a truncated record are skipped without a panic.
        assert!(parse_log(b"not git output\0\x1eabc\0").is_empty());
        let mut cut = record(C, A, b"cut", &[b"R100", b"only-one-path"]);
        cut.truncate(cut.len() - 1);
        let log = parse_log(&cut);
        assert_eq!(log.len(), 1);
        assert!(log[0].files.is_empty());
    }

    #[test]
    fn files_beyond_the_cap_are_counted_not_kept() {
        let paths: Vec<String> = (0..MAX_STORED_FILES + 5).map(|i| format!("f{i}")).collect();
        let mut files: Vec<&[u8]> = Vec::new();
        for p in &paths {
            files.push(b"A");
            files.push(p.as_bytes());
        }
        let log = parse_log(&record(A, "", b"vendor everything", &files));
        assert_eq!(log[0].files.len(), MAX_STORED_FILES);
        assert_eq!(log[0].files_total as usize, MAX_STORED_FILES + 5);
    }

    #[test]
    fn messages_lose_trailers_and_stay_bounded() {
        assert_eq!(
            clean_message("fix(http): retry on 503\r\n\r\nBody.\r\n\r\nSigned-off-by: Ann <a@x>\r\nCo-authored-by: Bob <b@x>\r\n\r\n"),
            "fix(http): retry on 503\n\nBody."
        );
        assert_eq!(clean_message("Subject only: not a trailer"), "Subject only: not a trailer");
        assert_eq!(
            clean_message("Subject\n\nNote: prose that looks like one"),
            "Subject\n\nNote: prose that looks like one"
        );
        assert_eq!(clean_message("Subject\n\nChange-Id: I12ab\nReviewed-on: https://r/1"), "Subject");
        let long = "é".repeat(MAX_MESSAGE_BYTES);
        let kept = clean_message(&long);
        assert!(kept.len() <= MAX_MESSAGE_BYTES && kept.chars().all(|c| c == 'é'));
    }

    #[test]
    fn revisions_that_could_be_options_are_refused() {
        for bad in ["", "-n", "--output=/tmp/x", "HEAD ~1", "a\nb"] {
            assert!(check_revision(bad).is_err(), "{bad:?}");
        }
        for good in ["HEAD", "main", A, "v1.2.3", "HEAD~3"] {
            assert!(check_revision(good).is_ok(), "{good}");
        }
    }
}
