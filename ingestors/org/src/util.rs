//! Small helpers shared by the organisation ingestors: provenance, relative
//! paths, markdown structure (front matter, headings, sections, links, code
//! spans) and tolerant YAML loading.

use brain_ingest_contracts::yaml::{self, Document, MarkedMappingNode, Node as YNode};
use brain_model::{Diagnostic, Provenance, Severity, SourceFile, Span};

/// Declared provenance for `file` at `span`.
pub fn declared(file: &SourceFile<'_>, span: Option<Span>, ingestor: &str) -> Provenance {
    Provenance::declared(file.repo, file.path, span, ingestor)
}

/// Inferred provenance for `file` at `span`.
pub fn inferred(file: &SourceFile<'_>, span: Option<Span>, ingestor: &str, confidence: f32) -> Provenance {
    Provenance::inferred(file.repo, file.path, span, ingestor, confidence)
}

/// A diagnostic about `file`.
pub fn diag(
    file: &SourceFile<'_>,
    severity: Severity,
    code: &str,
    line: Option<u32>,
    msg: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(severity, code, file.repo, file.path, line, msg)
}

/// The directory of a repo-relative path (`""` for a root file).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// The last segment of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Joins `rel` to the directory `base` and normalises `.` and `..`. Returns
/// `None` when the result would leave the repo root. Absolute `rel` (leading
/// `/`) is taken from the repo root.
pub fn resolve_relative(base: &str, rel: &str) -> Option<String> {
    let rel = rel.trim();
    let mut parts: Vec<&str> = Vec::new();
    let start = if rel.starts_with('/') { "" } else { base };
    for seg in start.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Normalises a possibly escaping relative path lexically, keeping leading
/// `..` segments (`./a/../b` is `b`, `../../orders/` is `../../orders`).
pub fn normalize_lexically(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Whether a path has `seq` as consecutive directory segments (not the file name).
pub fn has_dir_segments(path: &str, seq: &[&str]) -> bool {
    let segs: Vec<&str> = path.split('/').collect();
    if segs.len() <= seq.len() {
        return false;
    }
    let dirs = &segs[..segs.len() - 1];
    dirs.windows(seq.len()).any(|w| w.iter().zip(seq).all(|(a, b)| a.eq_ignore_ascii_case(b)))
}

/// Truncates `s` to at most `max` bytes on a char boundary, marking the cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// 1-based number of lines in `text` (at least 1).
/// Byte offsets to 1-based line numbers in one pass over the text, then a binary search per
/// lookup (asking a parser for the row of each position rescans the text from its start:
/// quadratic on a large one-line file).
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect())
    }

    /// The line holding byte `offset`.
    pub fn at(&self, offset: usize) -> u32 {
        u32::try_from(self.0.partition_point(|&nl| nl < offset) + 1).unwrap_or(u32::MAX)
    }
}

pub fn line_count(text: &str) -> u32 {
    (text.lines().count() as u32).max(1)
}

/// YAML front matter of a markdown file.
pub struct FrontMatter {
    /// The parsed mapping, if it parsed and was a mapping.
    pub map: Option<MarkedMappingNode>,
    /// A parse error (line in the whole file, message).
    pub error: Option<(u32, String)>,
    /// 1-based line where the body starts.
    pub body_line: u32,
}

/// Splits `--- ... ---` front matter off a markdown text. Returns `None` when
/// the text has none. Line numbers of YAML nodes are lines of the whole file.
pub fn front_matter(text: &str) -> Option<FrontMatter> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut yaml_text = String::from("\n"); // keep line numbers of the whole file
    let mut n = 1u32;
    for line in lines {
        n += 1;
        let t = line.trim_end();
        if t == "---" || t == "..." {
            let (map, error) = match yaml::parse(&yaml_text) {
                Ok(node) => (node.as_mapping().cloned(), None),
                Err(e) => (None, Some((e.line, e.message))),
            };
            return Some(FrontMatter { map, error, body_line: n + 1 });
        }
        yaml_text.push_str(line);
    }
    None
}

/// The text from 1-based line `line` to the end.
pub fn text_from_line(text: &str, line: u32) -> &str {
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u32 + 1 >= line {
            return &text[offset..];
        }
        offset += l.len();
    }
    ""
}

/// A markdown ATX heading.
#[derive(Clone, Debug)]
pub struct Heading {
    pub level: usize,
    pub title: String,
    pub line: u32,
}

/// A markdown section: a heading and the lines up to the next heading of the same or a higher level.
#[derive(Clone, Debug)]
pub struct MdSection {
    pub heading: Heading,
    /// Last line of the section (inclusive).
    pub end_line: u32,
    /// The section's body without its heading line.
    pub body: String,
}

/// ATX headings (`# x`) outside fenced code blocks, plus setext (`x\n===`) level-1/2 headings.
pub fn headings(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let t = raw.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if t.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        if raw.starts_with("    ") {
            continue;
        }
        let level = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && t[level..].is_empty() | t[level..].starts_with([' ', '\t']) {
            let title = t[level..].trim().trim_end_matches('#').trim().to_string();
            out.push(Heading { level, title, line: i as u32 + 1 });
            continue;
        }
        if let Some(next) = lines.get(i + 1) {
            let n = next.trim();
            if !t.is_empty() && !n.is_empty() && !t.starts_with(['-', '*', '>', '|', '<']) {
                if n.chars().all(|c| c == '=') && n.len() >= 2 {
                    out.push(Heading { level: 1, title: t.trim().to_string(), line: i as u32 + 1 });
                } else if n.chars().all(|c| c == '-') && n.len() >= 3 && !lines[i].trim().is_empty() {
                    out.push(Heading { level: 2, title: t.trim().to_string(), line: i as u32 + 1 });
                }
            }
        }
    }
    out
}

/// Sections of a markdown text, one per heading, in order.
pub fn sections(text: &str) -> Vec<MdSection> {
    let hs = headings(text);
    let lines: Vec<&str> = text.lines().collect();
    let total = lines.len() as u32;
    let mut out = Vec::with_capacity(hs.len());
    for (i, h) in hs.iter().enumerate() {
        let end = hs[i + 1..].iter().find(|n| n.level <= h.level).map(|n| n.line - 1).unwrap_or(total);
        let setext = lines
            .get(h.line as usize)
            .is_some_and(|n| !n.trim().is_empty() && n.trim().chars().all(|c| c == '=' || c == '-'))
            && !lines.get(h.line as usize - 1).is_some_and(|l| l.trim_start().starts_with('#'));
        let body_start = if setext { h.line + 1 } else { h.line };
        let body: Vec<&str> = lines.iter().take(end as usize).skip(body_start as usize).copied().collect();
        out.push(MdSection { heading: h.clone(), end_line: end.max(h.line), body: body.join("\n").trim().to_string() });
    }
    out
}

/// Finds the first section whose lowercased title starts with one of `names`.
pub fn find_section<'a>(secs: &'a [MdSection], names: &[&str]) -> Option<&'a MdSection> {
    secs.iter().find(|s| {
        let t = s.heading.title.to_ascii_lowercase();
        names.iter().any(|n| t.starts_with(n))
    })
}

/// Inline code spans (`` `x` ``) with their 1-based line, outside fenced blocks.
pub fn code_spans(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(a) = rest.find('`') {
            let after = &rest[a + 1..];
            let Some(b) = after.find('`') else { break };
            let span = after[..b].trim();
            if !span.is_empty() {
                out.push((span.to_string(), i as u32 + 1));
            }
            rest = &after[b + 1..];
        }
    }
    out
}

/// Markdown inline links `[label](target)` with their 1-based line.
pub fn md_links(text: &str) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(a) = rest.find('[') {
            let after = &rest[a + 1..];
            let Some(b) = after.find("](") else { break };
            let label = &after[..b];
            let tail = &after[b + 2..];
            let Some(c) = tail.find(')') else { break };
            let target = tail[..c].split_whitespace().next().unwrap_or("").trim_matches(['<', '>']);
            if !label.contains('[') {
                out.push((label.to_string(), target.to_string(), i as u32 + 1));
            }
            rest = &tail[c + 1..];
        }
    }
    out
}

/// Parses a YAML stream; documents that fail while the text has anchors or
/// aliases (the reader expands them, so in practice an alias to an anchor it
/// cannot see, such as one defined in another document) are retried with
/// anchors removed and aliases turned into plain strings. The flag says whether
/// that happened (callers report it: merged keys are lost).
pub fn parse_yaml_tolerant(text: &str) -> (Vec<Document>, bool) {
    let docs = yaml::parse_documents(text);
    if docs.iter().all(|d| d.root.is_ok()) || !(text.contains('&') || text.contains('*')) {
        return (docs, false);
    }
    let stripped = strip_anchors(text);
    let retry = yaml::parse_documents(&stripped);
    if retry.len() != docs.len() {
        return (docs, false);
    }
    let mut used = false;
    let out = docs
        .into_iter()
        .zip(retry)
        .map(|(d, r)| {
            if d.root.is_err() && r.root.is_ok() {
                used = true;
                r
            } else {
                d
            }
        })
        .collect();
    (out, used)
}

/// Removes YAML anchors (`&name`), comments out merge keys (`<<: *name`) and
/// quotes aliases (`*name`), keeping every line in place.
pub fn strip_anchors(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let t = body.trim_start();
        let indent = &body[..body.len() - t.len()];
        if t.starts_with("<<:") || t.starts_with("- <<:") {
            let dash = if t.starts_with('-') { "- _merged: true" } else { "# merge key dropped" };
            out.push_str(indent);
            out.push_str(dash);
            out.push_str(nl);
            continue;
        }
        let mut res = String::with_capacity(body.len());
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        let mut quote: Option<char> = None;
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                }
                res.push(c);
                i += 1;
                continue;
            }
            let prev = if i == 0 { ' ' } else { chars[i - 1] };
            let at_token = prev == ' ' || prev == '[' || prev == ',' || prev == '\t';
            if (c == '"' || c == '\'') && at_token {
                quote = Some(c);
                res.push(c);
                i += 1;
                continue;
            }
            if c == '#' && at_token {
                res.extend(&chars[i..]);
                break;
            }
            let is_name = |ch: char| ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.';
            if (c == '&' || c == '*') && at_token && chars.get(i + 1).is_some_and(|n| is_name(*n)) {
                let mut j = i + 1;
                while j < chars.len() && is_name(chars[j]) {
                    j += 1;
                }
                if c == '*' {
                    res.push('"');
                    res.extend(&chars[i..j]);
                    res.push('"');
                }
                i = j;
                continue;
            }
            res.push(c);
            i += 1;
        }
        out.push_str(&res);
        out.push_str(nl);
    }
    out
}

/// The scalar strings of a YAML node that is a scalar or a sequence of scalars.
pub fn yaml_strings(node: Option<&YNode>) -> Vec<(String, Option<u32>)> {
    match node {
        Some(n @ YNode::Scalar(s)) => vec![(s.as_str().to_string(), yaml::line_of(n))],
        Some(YNode::Sequence(seq)) => {
            seq.iter().filter_map(|n| n.as_scalar().map(|s| (s.as_str().to_string(), yaml::line_of(n)))).collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn lines_map_offsets_to_lines() {
        let text = "a\nbc\n\nd";
        let lines = Lines::new(text);
        let at = |c: &str| lines.at(text.find(c).expect("in text"));
        assert_eq!((at("a"), at("b"), at("c"), at("d")), (1, 2, 2, 4));
        assert_eq!(lines.at(1), 1, "a newline belongs to the line it ends");
        assert_eq!(lines.at(text.len()), 4);
    }
    use super::*;

    #[test]
    fn relative_paths_resolve() {
        assert_eq!(resolve_relative("docs/adr", "0002-x.md").as_deref(), Some("docs/adr/0002-x.md"));
        assert_eq!(resolve_relative("docs/adr", "../api.yaml").as_deref(), Some("docs/api.yaml"));
        assert_eq!(resolve_relative("a", "../../x"), None);
        assert_eq!(normalize_lexically("./../../orders/"), "../../orders");
    }

    #[test]
    fn anchors_are_stripped_line_by_line() {
        let text = "x-base: &base\n  image: a\nsvc:\n  <<: *base\n  env: *base\n  cmd: \"a && b\"\n";
        let s = strip_anchors(text);
        assert_eq!(s.lines().count(), text.lines().count());
        assert!(s.contains("env: \"*base\""), "{s}");
        assert!(!s.contains("&base"), "{s}");
        assert!(s.contains("a && b"), "{s}");
    }

    #[test]
    fn markdown_structure() {
        let md = "# T\n\n## Status\n\nAccepted\n\n```\n# not a heading\n```\n## Context\nctx `total_cents` [a](b.md)\n";
        let secs = sections(md);
        assert_eq!(secs.len(), 3);
        assert_eq!(secs[1].body, "Accepted\n\n```\n# not a heading\n```");
        assert_eq!(code_spans(md), vec![("total_cents".to_string(), 11)]);
        assert_eq!(md_links(md), vec![("a".to_string(), "b.md".to_string(), 11)]);
    }
}
