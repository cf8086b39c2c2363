//! Unified diff parsing: which files a diff touches and which lines.
//!
//! Understands `git diff` output (`diff --git` headers, `rename from/to`,
//! `new file mode`, `deleted file mode`, binary markers, quoted paths) and
//! plain `diff -u` output (`---`/`+++` headers only). Each hunk yields the
//! runs of removed lines in OLD-file numbering and the runs of added lines in
//! NEW-file numbering. Garbage never panics: unparseable lines are skipped with
//! a [`Diagnostic`] (code `diff.*`) naming the diff line.
//!
//! Paths are repo-relative ([`repo_relative`]): `./x` and `a/./b` are
//! normalised, and a path that is absolute or climbs out of the repository
//! (`+++ b/../../etc/passwd`) is dropped with a `diff.unsafe-path` diagnostic.

use crate::common::LineRange;
use brain_model::{Diagnostic, Severity};
use serde::Serialize;

/// What happened to a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FileStatus {
    Added,
    Deleted,
    Modified,
    Renamed,
}

/// One file of a diff.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiffFile {
    /// Path before the change (`None` for a new file).
    pub old_path: Option<String>,
    /// Path after the change (`None` for a deleted file).
    pub new_path: Option<String>,
    pub status: FileStatus,
    pub binary: bool,
    /// Runs of removed (or modified) lines, in OLD-file numbering.
    pub removed: Vec<LineRange>,
    /// Runs of added lines, in NEW-file numbering.
    pub added: Vec<LineRange>,
    /// Runs of added lines that replace nothing (pure insertions), in NEW numbering.
    pub inserted_only: Vec<LineRange>,
}

impl DiffFile {
    fn new() -> Self {
        DiffFile {
            old_path: None,
            new_path: None,
            status: FileStatus::Modified,
            binary: false,
            removed: Vec::new(),
            added: Vec::new(),
            inserted_only: Vec::new(),
        }
    }
    /// The path to look the file up by in an index of the base revision: the
    /// old path, or the new one for added files.
    pub fn path(&self) -> &str {
        self.old_path.as_deref().or(self.new_path.as_deref()).unwrap_or("")
    }
    fn finish(&mut self) {
        self.status = match (&self.old_path, &self.new_path) {
            (None, Some(_)) => FileStatus::Added,
            (Some(_), None) => FileStatus::Deleted,
            (Some(a), Some(b)) if a != b => FileStatus::Renamed,
            _ => self.status,
        };
    }
}

/// A parsed diff.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ParsedDiff {
    pub files: Vec<DiffFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses unified diff text. `repo` is only used to label diagnostics.
pub fn parse_unified_diff(repo: &str, text: &str) -> ParsedDiff {
    let mut out = ParsedDiff::default();
    let mut cur: Option<DiffFile> = None;
    // Remaining lines of the current hunk: (old remaining, new remaining, old line, new line).
    let mut hunk: Option<Hunk> = None;
    // Whether the current file already had a hunk (a new `---` then starts another file).
    let mut cur_has_hunks = false;
    // Whether a path of the current file was refused (its hunks then need no file).
    let mut cur_refused = false;
    let diag = |out: &mut ParsedDiff, line: usize, code: &str, msg: String| {
        out.diagnostics.push(Diagnostic::new(Severity::Warning, code, repo, "<diff>", Some(line as u32), msg));
    };
    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(h) = hunk.as_mut() {
            if h.old_left > 0 || h.new_left > 0 {
                let file = cur.get_or_insert_with(DiffFile::new);
                match line.as_bytes().first() {
                    Some(b' ') | None => {
                        h.context();
                        continue;
                    }
                    Some(b'-') if h.old_left > 0 => {
                        h.remove(file);
                        continue;
                    }
                    Some(b'+') if h.new_left > 0 => {
                        h.add(file);
                        continue;
                    }
                    Some(b'\\') => continue,
                    _ => {
                        diag(
                            &mut out,
                            lineno,
                            "diff.short-hunk",
                            format!("hunk ended early: {} old / {} new lines missing", h.old_left, h.new_left),
                        );
                        h.flush(file);
                        hunk = None;
                    }
                }
            } else if line.starts_with('\\') {
                continue;
            } else {
                if let Some(f) = cur.as_mut() {
                    h.flush(f);
                }
                hunk = None;
            }
        }
        if line.starts_with("diff --git ") || (line.starts_with("diff -") && cur.as_ref().is_some_and(has_content)) {
            if let Some(mut f) = cur.take() {
                f.finish();
                out.files.push(f);
            }
            cur_has_hunks = false;
            cur_refused = false;
            let mut f = DiffFile::new();
            if let Some(rest) = line.strip_prefix("diff --git ") {
                if let Some((a, b)) = split_git_header(rest) {
                    f.old_path = checked(&mut out, &mut cur_refused, repo, lineno, Some(strip_prefix_ab(&a)));
                    f.new_path = checked(&mut out, &mut cur_refused, repo, lineno, Some(strip_prefix_ab(&b)));
                }
            }
            cur = Some(f);
        } else if let Some(rest) = line.strip_prefix("--- ") {
            if cur_has_hunks {
                if let Some(mut f) = cur.take() {
                    f.finish();
                    out.files.push(f);
                }
                cur_has_hunks = false;
                cur_refused = false;
            }
            let p = checked(&mut out, &mut cur_refused, repo, lineno, header_path(rest));
            cur.get_or_insert_with(DiffFile::new).old_path = p;
        } else if let Some(rest) = line.strip_prefix("+++ ") {
            let p = checked(&mut out, &mut cur_refused, repo, lineno, header_path(rest));
            cur.get_or_insert_with(DiffFile::new).new_path = p;
        } else if let Some(rest) = line.strip_prefix("rename from ") {
            let p = checked(&mut out, &mut cur_refused, repo, lineno, Some(unquote(rest)));
            cur.get_or_insert_with(DiffFile::new).old_path = p;
        } else if let Some(rest) = line.strip_prefix("rename to ") {
            let p = checked(&mut out, &mut cur_refused, repo, lineno, Some(unquote(rest)));
            cur.get_or_insert_with(DiffFile::new).new_path = p;
        } else if line.starts_with("new file mode") {
            cur.get_or_insert_with(DiffFile::new).old_path = None;
        } else if line.starts_with("deleted file mode") {
            cur.get_or_insert_with(DiffFile::new).new_path = None;
        } else if line.starts_with("Binary files ") || line == "GIT binary patch" {
            let f = cur.get_or_insert_with(DiffFile::new);
            f.binary = true;
            if line.ends_with("/dev/null differ") {
                f.new_path = None;
            } else if line.starts_with("Binary files /dev/null ") {
                f.old_path = None;
            }
        } else if line.starts_with("@@") {
            match parse_hunk_header(line) {
                Some((os, oc, ns, nc)) => {
                    let f = cur.get_or_insert_with(DiffFile::new);
                    if f.old_path.is_none() && f.new_path.is_none() && !cur_refused {
                        diag(&mut out, lineno, "diff.no-file", "hunk before any file header".into());
                    }
                    hunk = Some(Hunk::new(os, oc, ns, nc));
                    cur_has_hunks = true;
                }
                None => diag(&mut out, lineno, "diff.bad-hunk", format!("unreadable hunk header: {}", short(line))),
            }
        } else if is_known_meta(line) || line.trim().is_empty() {
            // index lines, modes, similarity: nothing to record
        } else if cur.is_some() {
            diag(&mut out, lineno, "diff.unexpected-line", format!("line ignored: {}", short(line)));
        }
    }
    if let (Some(h), Some(f)) = (hunk.as_mut(), cur.as_mut()) {
        if h.old_left > 0 || h.new_left > 0 {
            diag(&mut out, text.lines().count(), "diff.short-hunk", "diff ended inside a hunk".into());
        }
        h.flush(f);
    }
    if let Some(mut f) = cur.take() {
        f.finish();
        if f.old_path.is_some() || f.new_path.is_some() {
            out.files.push(f);
        }
    }
    // A file whose every path was refused names nothing in the repository.
    out.files.retain(|f| f.old_path.is_some() || f.new_path.is_some());
    if out.files.is_empty() && !text.trim().is_empty() && !out.diagnostics.iter().any(|d| d.code == UNSAFE_PATH) {
        diag(&mut out, 1, "diff.empty", "no file headers found: is this a unified diff?".into());
    }
    for f in &mut out.files {
        for v in [&mut f.removed, &mut f.added, &mut f.inserted_only] {
            v.sort();
            v.dedup();
        }
    }
    out
}

const UNSAFE_PATH: &str = "diff.unsafe-path";

/// Normalises a path of a repository (`./a//b/../c` gives `a/c`). A path
/// that is empty, absolute (`/x`, `C:/x`), has a control character or climbs
/// out of the repository with `..` is refused with the reason. Repo-relative
/// paths never start with `/` and have no `..` segment once normalised.
pub fn repo_relative(path: &str) -> Result<String, String> {
    if path.chars().any(char::is_control) {
        return Err(format!("path {path:?} has a control character"));
    }
    let bytes = path.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'/' | b'\\');
    if path.starts_with('/') || path.starts_with('\\') || drive {
        return Err(format!("path '{path}' is absolute; give a path relative to the repository root"));
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("path '{path}' leaves the repository"));
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err(format!("path '{path}' names no file in the repository"));
    }
    Ok(parts.join("/"))
}

/// A header path, normalised; `None` (and a diagnostic) when it is unsafe.
fn checked(out: &mut ParsedDiff, refused: &mut bool, repo: &str, line: usize, p: Option<String>) -> Option<String> {
    match repo_relative(&p?) {
        Ok(p) => Some(p),
        Err(why) => {
            *refused = true;
            let message = format!("{why}; ignored");
            if !out.diagnostics.iter().any(|d| d.code == UNSAFE_PATH && d.message == message) {
                let d = Diagnostic::new(Severity::Warning, UNSAFE_PATH, repo, "<diff>", Some(line as u32), message);
                out.diagnostics.push(d);
            }
            None
        }
    }
}

fn has_content(f: &DiffFile) -> bool {
    f.old_path.is_some() || f.new_path.is_some() || !f.removed.is_empty() || !f.added.is_empty()
}

fn is_known_meta(line: &str) -> bool {
    const META: &[&str] = &[
        "index ",
        "old mode",
        "new mode",
        "similarity index",
        "dissimilarity index",
        "copy from",
        "copy to",
        "Only in ",
        "literal ",
        "delta ",
    ];
    META.iter().any(|m| line.starts_with(m))
}

fn short(s: &str) -> String {
    crate::common::short(s, 80)
}

/// Tracks one hunk's position and the current runs of removed/added lines.
struct Hunk {
    old_left: u32,
    new_left: u32,
    old_line: u32,
    new_line: u32,
    removed_run: Option<LineRange>,
    added_run: Option<LineRange>,
    run_had_removal: bool,
    pending_flush: bool,
}

impl Hunk {
    fn new(old_start: u32, old_count: u32, new_start: u32, new_count: u32) -> Self {
        Hunk {
            old_left: old_count,
            new_left: new_count,
            old_line: old_start.max(1),
            new_line: new_start.max(1),
            removed_run: None,
            added_run: None,
            run_had_removal: false,
            pending_flush: false,
        }
    }
    fn context(&mut self) {
        self.old_left = self.old_left.saturating_sub(1);
        self.new_left = self.new_left.saturating_sub(1);
        self.old_line = self.old_line.saturating_add(1);
        self.new_line = self.new_line.saturating_add(1);
        self.pending_flush = true;
    }
    fn remove(&mut self, f: &mut DiffFile) {
        if self.pending_flush {
            self.flush(f);
        }
        self.removed_run = Some(match self.removed_run {
            Some(r) => LineRange::new(r.start, self.old_line),
            None => LineRange::new(self.old_line, self.old_line),
        });
        self.run_had_removal = true;
        self.old_left = self.old_left.saturating_sub(1);
        self.old_line = self.old_line.saturating_add(1);
    }
    fn add(&mut self, f: &mut DiffFile) {
        if self.pending_flush {
            self.flush(f);
        }
        self.added_run = Some(match self.added_run {
            Some(r) => LineRange::new(r.start, self.new_line),
            None => LineRange::new(self.new_line, self.new_line),
        });
        self.new_left = self.new_left.saturating_sub(1);
        self.new_line = self.new_line.saturating_add(1);
    }
    fn flush(&mut self, f: &mut DiffFile) {
        self.pending_flush = false;
        if let Some(r) = self.removed_run.take() {
            f.removed.push(r);
        }
        if let Some(a) = self.added_run.take() {
            f.added.push(a);
            if !self.run_had_removal {
                f.inserted_only.push(a);
            }
        }
        self.run_had_removal = false;
    }
}

/// `@@ -a,b +c,d @@ ...` -> (a, b, c, d); counts default to 1.
fn parse_hunk_header(line: &str) -> Option<(u32, u32, u32, u32)> {
    let rest = line.strip_prefix("@@")?.trim_start();
    let end = rest.find("@@")?;
    let mut parts = rest[..end].split_whitespace();
    let old = parts.next()?.strip_prefix('-')?;
    let new = parts.next()?.strip_prefix('+')?;
    let pair = |s: &str| -> Option<(u32, u32)> {
        match s.split_once(',') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => Some((s.parse().ok()?, 1)),
        }
    };
    let (os, oc) = pair(old)?;
    let (ns, nc) = pair(new)?;
    Some((os, oc, ns, nc))
}

/// Path of a `---`/`+++` header: `None` for `/dev/null`; strips `a/`/`b/`,
/// quotes and a trailing tab-separated timestamp.
fn header_path(rest: &str) -> Option<String> {
    let rest = rest.split('\t').next().unwrap_or(rest).trim_end();
    let p = unquote(rest);
    if p == "/dev/null" {
        return None;
    }
    Some(strip_prefix_ab(&p))
}

fn strip_prefix_ab(p: &str) -> String {
    for pre in ["a/", "b/"] {
        if let Some(s) = p.strip_prefix(pre) {
            return s.to_string();
        }
    }
    p.to_string()
}

/// Splits `a/x b/x` (or quoted forms) of a `diff --git` header.
fn split_git_header(rest: &str) -> Option<(String, String)> {
    let rest = rest.trim();
    if rest.starts_with('"') {
        let (a, tail) = take_quoted(rest)?;
        let tail = tail.trim_start();
        let b = if tail.starts_with('"') { take_quoted(tail)?.0 } else { tail.to_string() };
        return Some((a, b));
    }
    // Unquoted: paths may contain spaces; the header is "a/<p> b/<p>" so split at " b/".
    if let Some(i) = rest.find(" b/") {
        return Some((rest[..i].to_string(), rest[i + 1..].to_string()));
    }
    let mut it = rest.splitn(2, ' ');
    Some((it.next()?.to_string(), it.next()?.to_string()))
}

fn take_quoted(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, c2)) => out.push(c2),
                None => return None,
            },
            c => out.push(c),
        }
    }
    None
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.starts_with('"') {
        if let Some((q, _)) = take_quoted(s) {
            return q;
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> LineRange {
        LineRange::new(a, b)
    }

    #[test]
    fn git_diff_with_modify_add_rename_delete() {
        let d = "\
diff --git a/src/api.rs b/src/api.rs
index 111..222 100644
--- a/src/api.rs
+++ b/src/api.rs
@@ -10,5 +10,6 @@ fn create()
 ctx
-old line 11
+new line 11
+new line 12
 ctx
 ctx
 ctx
@@ -40,3 +41,2 @@
 a
-gone 41
 b
diff --git a/old.txt b/new.txt
similarity index 90%
rename from old.txt
rename to new.txt
diff --git a/added.rs b/added.rs
new file mode 100644
--- /dev/null
+++ b/added.rs
@@ -0,0 +1,2 @@
+fn a() {}
+fn b() {}
diff --git a/gone.rs b/gone.rs
deleted file mode 100644
--- a/gone.rs
+++ /dev/null
@@ -1,2 +0,0 @@
-x
-y
diff --git a/logo.png b/logo.png
Binary files a/logo.png and b/logo.png differ
";
        let p = parse_unified_diff("r", d);
        assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
        assert_eq!(p.files.len(), 5);
        let api = &p.files[0];
        assert_eq!(api.status, FileStatus::Modified);
        assert_eq!(api.path(), "src/api.rs");
        assert_eq!(api.removed, vec![r(11, 11), r(41, 41)]);
        assert_eq!(api.added, vec![r(11, 12)]);
        assert!(api.inserted_only.is_empty());
        assert_eq!(p.files[1].status, FileStatus::Renamed);
        assert_eq!(p.files[1].old_path.as_deref(), Some("old.txt"));
        assert_eq!(p.files[1].new_path.as_deref(), Some("new.txt"));
        assert_eq!(p.files[2].status, FileStatus::Added);
        assert_eq!(p.files[2].added, vec![r(1, 2)]);
        assert_eq!(p.files[2].inserted_only, vec![r(1, 2)]);
        assert_eq!(p.files[3].status, FileStatus::Deleted);
        assert_eq!(p.files[3].removed, vec![r(1, 2)]);
        assert!(p.files[4].binary);
    }

    #[test]
    fn plain_diff_u_and_pure_insertions() {
        let d = "--- a.py\t2024-01-01 00:00:00\n+++ a.py\t2024-01-02 00:00:00\n@@ -5,2 +5,4 @@\n x\n+y\n+z\n w\n";
        let p = parse_unified_diff("r", d);
        assert_eq!(p.files.len(), 1);
        assert_eq!(p.files[0].path(), "a.py");
        assert_eq!(p.files[0].inserted_only, vec![r(6, 7)]);
        assert!(p.files[0].removed.is_empty());
    }

    #[test]
    fn paths_that_leave_the_repo_are_dropped_with_a_diagnostic() {
        let d = "\
diff --git a/../../etc/passwd b/../../etc/passwd
--- a/../../etc/passwd
+++ b/../../etc/passwd
@@ -1 +1 @@
-root
+evil
--- /etc/shadow
+++ /etc/shadow
@@ -1 +1 @@
-a
+b
diff --git a/./src/./api.rs b/src/x/../api.rs
--- a/./src/./api.rs
+++ b/src/x/../api.rs
@@ -1 +1 @@
-a
+b
";
        let p = parse_unified_diff("r", d);
        let paths: Vec<&str> = p.files.iter().map(DiffFile::path).collect();
        assert_eq!(paths, vec!["src/api.rs"], "{p:?}");
        assert_eq!(p.files[0].status, FileStatus::Modified);
        let unsafe_paths: Vec<&str> =
            p.diagnostics.iter().filter(|d| d.code == UNSAFE_PATH).map(|d| d.message.as_str()).collect();
        assert_eq!(unsafe_paths.len(), 2, "{unsafe_paths:?}");
        assert!(unsafe_paths[0].contains("'../../etc/passwd' leaves the repository"), "{unsafe_paths:?}");
        assert!(unsafe_paths[1].contains("'/etc/shadow' is absolute"), "{unsafe_paths:?}");
        // Only hostile paths: no file, no misleading "is this a unified diff?".
        let q = parse_unified_diff("r", "--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n");
        assert!(q.files.is_empty());
        assert!(q.diagnostics.iter().all(|d| d.code == UNSAFE_PATH), "{:?}", q.diagnostics);
    }

    #[test]
    fn repo_relative_normalises_or_refuses() {
        assert_eq!(repo_relative("./src//a/../b.rs"), Ok("src/b.rs".into()));
        for bad in ["", ".", "/etc/passwd", "../x", "a/../../x", "C:/x", "\\\\host\\x", "a\u{0}b"] {
            assert!(repo_relative(bad).is_err(), "{bad:?}");
        }
        assert_eq!(repo_relative("weird:name.rs"), Ok("weird:name.rs".into()));
    }

    #[test]
    fn garbage_gives_diagnostics_not_panics() {
        for text in [
            "hello world",
            "@@ -x +y @@\n-a",
            "--- a\n+++ b\n@@ -1,5 +1,5 @@\n-a\n",
            "diff --git\n@@ -1 +1 @@\n\u{0}\u{ffff}",
            "diff --git \"a/sp ace\" \"b/sp ace\"\n--- \"a/sp ace\n+++ b/x\n@@ -4294967295,4294967295 +1,1 @@\n-a\n+b\n",
            "",
        ] {
            let p = parse_unified_diff("r", text);
            if !text.is_empty() && p.files.is_empty() {
                assert!(!p.diagnostics.is_empty(), "{text:?}");
            }
        }
        let p = parse_unified_diff("r", "hello");
        assert_eq!(p.diagnostics[0].code, "diff.empty");
        let q = parse_unified_diff("r", "diff --git \"a/sp ace.rs\" \"b/sp ace.rs\"\n@@ -1 +1 @@\n-a\n+b\n");
        assert_eq!(q.files[0].path(), "sp ace.rs");
        assert_eq!(q.files[0].removed, vec![r(1, 1)]);
    }
}
