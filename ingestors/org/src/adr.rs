//! Architecture decision records, recognised by content wherever they live:
//! Nygard (`# 1. Title`, `## Status`/`## Context`/`## Decision`/`## Consequences`),
//! MADR (front matter or `* Status:` lines, "Context and Problem Statement",
//! "Considered Options", "Decision Outcome"), Y-statements ("In the context
//! of … we decided for … accepting …"), log4brains/adr-tools layouts, and
//! RFC-style documents with a status (`**Status:** implemented`).
//!
//! A folder conventionally named for decisions (`adr`, `decisions`,
//! `architecture-decision-record`, `rfcs`, … — [`crate::records`]) or
//! configured ([`AdrIngestor::with_dirs`], brain.toml `decisions = [...]`
//! through [`Ingestor::ingest_hinted`]) lowers the bar; brain.toml
//! `exclude_decisions` keeps a path out. Templates are recognised by their
//! placeholder text, never by number (`0000-use-markdown-….md` is a real
//! decision). `README.md`/`index.md` in a decision folder that is not itself a
//! decision is an index: a `Document` (`doc_kind=adr-index`) whose links the
//! [`crate::DecisionPass`] checks.
//!
//! Statuses in every common form: a `## Status` section (emoji and
//! qualifiers dropped: "✅ Accepted", "Partly superseded"), front matter
//! `status:`, `Status: x`, `* Status: x`, `**Status:** x`, a table row
//! `| Status | x |`, or the last entry of a change log (`- [approved](pr) (date)`).
//!
//! Relations: "Supersedes"/"Replaces"/"Amends" + a markdown link become references
//! (`AnyOf` the linked decision's id); + "ADR-0012", "ADR 12" or
//! "decision 12" become `Key{ns: "adr", key: "<repo>#12"}` (every decision
//! provides its number). "Superseded by"/"Amended by" are recorded as
//! `Mentions` with attr `relation=superseded_by|amended_by`; the pass turns
//! them into the forward `Supersedes`/`Amends` edge.

use crate::records::{self, has_section, titled};
use crate::util;
use brain_model::{
    attr, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, PathHints, Reference, Severity, SourceFile, Span,
};
use regex::Regex;
use std::sync::OnceLock;

/// Ingestor name, recorded in provenance.
pub const NAME: &str = "adr";
/// Provide namespace of decisions by number: key `<repo>#<number>`.
pub const NS_ADR: &str = "adr";
/// Attr on reference edges: `supersedes`, `superseded_by`, `amends`, `amended_by`.
pub const RELATION: &str = "relation";
/// Attr on decisions: decision number.
pub const NUMBER: &str = "number";
/// Attr on the index document: its links, one `path<TAB>line` per line.
pub const INDEX_LINKS: &str = "links";

/// ADR directories matched by default (as consecutive segments, in addition
/// to any single folder named as in [`crate::records`]).
pub const DEFAULT_DIRS: &[&str] = &[
    "doc/adr",
    "docs/adr",
    "docs/adrs",
    "doc/adrs",
    "docs/decisions",
    "docs/architecture-decisions",
    "adr",
    "adrs",
    "decisions",
    "docs/architecture/decisions",
    "doc/architecture/decisions",
    "architecture/decisions",
];

/// Reads ADR markdown files.
#[derive(Debug, Clone)]
pub struct AdrIngestor {
    dirs: Vec<Vec<String>>,
}

impl Default for AdrIngestor {
    fn default() -> Self {
        Self::with_dirs(DEFAULT_DIRS.iter().copied())
    }
}

impl AdrIngestor {
    /// An ingestor that also treats markdown under any of `dirs` (e.g. `"design/records"`)
    /// as a decision folder (a hint: the file must still read as a decision).
    pub fn with_dirs<I, S>(dirs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let dirs = dirs
            .into_iter()
            .map(|d| d.as_ref().split('/').filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>())
            .filter(|d| !d.is_empty())
            .collect();
        AdrIngestor { dirs }
    }
    fn in_dir(&self, path: &str) -> bool {
        records::in_decision_dir(path)
            || self.dirs.iter().any(|d| {
                let seq: Vec<&str> = d.iter().map(String::as_str).collect();
                util::has_dir_segments(path, &seq)
            })
    }
}

fn is_markdown(path: &str) -> bool {
    records::is_markdown_like(path)
}

fn is_index(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let stem = records::stem(&n);
    matches!(stem, "readme" | "index" | "_index")
}

impl Ingestor for AdrIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        is_markdown(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        self.ingest_hinted(file, &PathHints::default())
    }
    fn ingest_hinted(&self, file: &SourceFile<'_>, hints: &PathHints) -> Facts {
        let mut facts = Facts::default();
        if hints.decision == Some(false) {
            return facts;
        }
        let hinted = hints.decision == Some(true) || self.in_dir(file.path);
        let doc = Doc::read(file);
        let name = util::file_name(file.path);
        if is_index(name) && hinted && !doc.reads_as_decision(false) {
            index(file, &mut facts);
            return facts;
        }
        if !doc.reads_as_decision(hinted) || doc.template.is_some() {
            return facts;
        }
        decision(file, &doc, &mut facts);
        facts
    }
}

/// What a markdown file says about itself, read once.
struct Doc<'a> {
    fm: Option<util::FrontMatter>,
    body_line: u32,
    body: &'a str,
    secs: Vec<util::MdSection>,
    meta: Vec<(String, String, u32)>,
    title: String,
    number: Option<u32>,
    /// Status text and its line.
    status: Option<(String, u32)>,
    date: Option<String>,
    template: Option<String>,
}

const CONTEXT_SECTIONS: &[&str] =
    &["context", "context and problem statement", "problem statement", "background", "motivation", "problem"];
const DECISION_SECTIONS: &[&str] =
    &["decision", "decision outcome", "considered options", "chosen option", "proposal", "proposed design", "decided"];
const CONSEQUENCE_SECTIONS: &[&str] = &["consequences", "pros and cons of the options", "implications", "alternatives"];

impl<'a> Doc<'a> {
    fn read(file: &SourceFile<'a>) -> Doc<'a> {
        let fm = util::front_matter(file.content);
        let body_line = fm.as_ref().map(|f| f.body_line).unwrap_or(1);
        let body = util::text_from_line(file.content, body_line);
        let secs = util::sections(file.content);
        let meta = records::meta_lines(file.content, body_line, 40);
        let fm_map = fm.as_ref().and_then(|f| f.map.as_ref());
        let fm_str = |k: &str| fm_map.and_then(|m| brain_ingest_contracts::yaml::get_str(m, k)).map(str::to_string);
        let meta_get = |k: &str| meta.iter().find(|(mk, _, _)| mk == k).map(|(_, v, l)| (v.clone(), *l));
        let name = util::file_name(file.path);

        // Title and number: the file (or its folder, for `0002-x/README.md`) numbers it; else the title does.
        let h1 = secs.iter().find(|s| s.heading.level == 1 && s.heading.line >= body_line);
        let mut title = h1.map(|s| s.heading.title.clone()).or_else(|| fm_str("title")).unwrap_or_default();
        let dir_name = util::file_name(util::dir_of(file.path));
        let mut number = number_from_filename(name).or_else(|| {
            if is_index(name) {
                number_from_filename(dir_name.trim_start_matches("RFC-"))
            } else {
                None
            }
        });
        if let Some(c) = title_number_re().captures(&title) {
            let n: Option<u32> = c.get(1).or_else(|| c.get(2)).and_then(|m| m.as_str().parse().ok());
            number = number.or(n);
            title = c.get(3).map(|m| m.as_str().trim().to_string()).unwrap_or(title);
        }
        if title.is_empty() {
            title = records::stem(name).to_string();
        }

        // Status: front matter, a `## Status` section, a `Status:` line or table row, a change log.
        let status = if let Some(s) = fm_str("status") {
            let l = fm_map.and_then(|m| m.get_node("status")).and_then(brain_ingest_contracts::yaml::line_of);
            Some((s, l.unwrap_or(1)))
        } else if let Some(sec) = secs.iter().find(|s| titled(s, &["status"])) {
            first_line_of(file.content, sec).or_else(|| meta_get("status"))
        } else {
            meta_get("status").or_else(|| change_log_status(file.content, &secs))
        };
        let date = fm_str("date")
            .or_else(|| meta_get("date").map(|(v, _)| v))
            .map(|d| d.trim_matches(['"', '\'']).to_string());
        let template = records::template_evidence(
            h1.map(|s| s.heading.title.as_str()).unwrap_or(""),
            status.as_ref().map(|s| s.0.as_str()),
            date.as_deref(),
            body,
        )
        .or_else(|| name.to_ascii_lowercase().contains("template").then(|| "named template".to_string()));
        Doc { fm, body_line, body, secs, meta, title, number, status, date, template }
    }

    /// Whether the file reads as a decision; `hinted` (a decision folder) lowers the bar.
    fn reads_as_decision(&self, hinted: bool) -> bool {
        let context = has_section(&self.secs, CONTEXT_SECTIONS);
        let decided = has_section(&self.secs, DECISION_SECTIONS);
        let consequences = has_section(&self.secs, CONSEQUENCE_SECTIONS);
        let status = self.status.is_some();
        let madr = has_section(&self.secs, &["context and problem statement"])
            && has_section(&self.secs, &["decision outcome", "considered options"]);
        let lower = self.body.to_ascii_lowercase();
        let y_statement = lower.contains("in the context of")
            && (lower.contains("we decided") || lower.contains("decided for"))
            && lower.contains("accepting");
        let rfc =
            self.status.is_some() && (self.title.to_ascii_lowercase().starts_with("rfc") || self.number.is_some());
        let fm_status = self.fm.as_ref().and_then(|f| f.map.as_ref()).is_some_and(|m| m.get_node("status").is_some());
        madr || y_statement
            || (status && (decided || (context && consequences)))
            || (decided && context && consequences)
            || (fm_status && (decided || self.number.is_some()))
            || (hinted
                && (status
                    || decided
                    || (context && consequences)
                    || (self.number.is_some() && self.date.is_some())
                    || rfc))
    }
}

/// The trimmed lines of a section's body outside HTML comments, with their 1-based numbers.
fn body_lines<'a>(text: &'a str, sec: &util::MdSection) -> impl Iterator<Item = (u32, &'a str)> + 'a {
    let mut in_comment = false;
    text.lines()
        .enumerate()
        .skip(sec.heading.line as usize)
        .take(sec.end_line.saturating_sub(sec.heading.line) as usize)
        .filter_map(move |(i, l)| {
            let t = l.trim();
            if in_comment || t.starts_with("<!--") {
                in_comment = !t.contains("-->");
                return None;
            }
            Some((i as u32 + 1, t))
        })
}

/// The first non-empty line of a section's body (HTML comments skipped) and its line.
fn first_line_of(text: &str, sec: &util::MdSection) -> Option<(String, u32)> {
    body_lines(text, sec)
        .find(|(_, t)| !(t.is_empty() || t.chars().all(|c| c == '=' || c == '-')))
        .map(|(n, t)| (t.to_string(), n))
}

/// Statuses a change log entry may name.
const STATUS_WORDS: &[&str] = &[
    "proposed",
    "accepted",
    "approved",
    "rejected",
    "deprecated",
    "superseded",
    "amended",
    "pending",
    "draft",
    "implemented",
    "withdrawn",
    "revised",
    "original",
];

/// The status of the last entry of a `## Change Log` (`- [approved](pr) (2022-07-12)`,
/// `- [revised](pr) - approved (date)`); `revised`/`original` entries say the status after a dash.
fn change_log_status(text: &str, secs: &[util::MdSection]) -> Option<(String, u32)> {
    let sec = secs.iter().find(|s| titled(s, &["change log", "changelog", "status history"]))?;
    let mut last = None;
    for (n, t) in body_lines(text, sec) {
        if !t.starts_with(['-', '*']) {
            continue;
        }
        let words: Vec<String> = t
            .split(|c: char| !c.is_alphabetic())
            .map(str::to_ascii_lowercase)
            .filter(|w| STATUS_WORDS.contains(&w.as_str()) && w != "revised" && w != "original")
            .collect();
        if let Some(w) = words.last() {
            last = Some((w.clone(), n));
        }
    }
    last
}

fn index(file: &SourceFile<'_>, facts: &mut Facts) {
    let dir = util::dir_of(file.path);
    let mut links = Vec::new();
    for (_, target, line) in util::md_links(file.content) {
        if target.contains("://") || target.starts_with('#') || !is_markdown(target.split('#').next().unwrap_or("")) {
            continue;
        }
        let t = target.split('#').next().unwrap_or("");
        if let Some(p) = util::resolve_relative(dir, t) {
            links.push(format!("{p}\t{line}"));
        }
    }
    facts.node(
        Node::new(
            NodeId::doc(file.repo, file.path),
            NodeKind::Document,
            util::file_name(file.path),
            util::declared(file, Some(Span::new(1, util::line_count(file.content))), NAME),
        )
        .with_attr("doc_kind", "adr-index")
        .with_attr(INDEX_LINKS, links.join("\n"))
        .with_text(file.content),
    );
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).unwrap_or_else(|_| unreachable!("static regex")))
}

fn title_number_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)^(?:(?:adr|rfc|decision|record)[\s\-_#]*0*(\d{1,5})\s*[.:\-–—)]?\s*|0*(\d{1,5})\s*[.:\-–—)]?\s+)(\D.*)$",
    )
}

fn relation_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?i)\b(superseded\s+by|supersedes|replaced\s+by|replaces|amended\s+by|amends)\b")
}

fn number_ref_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?i)\b(?:adr|decision)[\s\-_#]?0*(\d{1,5})\b")
}

/// The decision number from a file name like `0003-use-kafka.md` or `adr-003-x.md`.
pub fn number_from_filename(name: &str) -> Option<u32> {
    let n = name.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '_');
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let rest = &n[digits.len()..];
    let is_date = digits.len() == 4 && rest.len() > 3 && rest.as_bytes()[1..3].iter().all(u8::is_ascii_digit);
    if is_date {
        return None;
    }
    if !(rest.starts_with(['-', '_', '.', ' ']) || rest.is_empty()) {
        return None;
    }
    digits.parse().ok()
}

/// A template placeholder such as `[Insert Date]` or `[proposed | accepted]`
/// (bracketed, and not a markdown link).
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('[') && t.ends_with(']') && !t.contains("](")) || (t.starts_with('{') && t.ends_with('}'))
}

/// Words before a status that do not change it ("Partly superseded", "Status: accepted").
const STATUS_QUALIFIERS: &[&str] = &["partly", "partially", "currently", "status", "is", "now"];

/// Lowercased status word of a status text: emoji, markup and qualifiers
/// dropped (`**Accepted** on 2020` → `accepted`, `✅ Accepted` → `accepted`,
/// `Partly superseded` → `superseded`).
pub fn normalize_status(s: &str) -> String {
    let words = s.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty());
    for w in words {
        let w = w.to_lowercase();
        if !STATUS_QUALIFIERS.contains(&w.as_str()) {
            return w;
        }
    }
    String::new()
}

fn decision(file: &SourceFile<'_>, doc: &Doc<'_>, facts: &mut Facts) {
    if let Some((line, msg)) = doc.fm.as_ref().and_then(|f| f.error.as_ref()) {
        facts.diagnostic(util::diag(file, Severity::Warning, "adr.front-matter", Some(*line), msg.clone()));
    }
    let body_line = doc.body_line;
    let secs = &doc.secs;
    let id = NodeId::decision(file.repo, file.path);
    let fm_map = doc.fm.as_ref().and_then(|f| f.map.as_ref());
    let fm_str = |k: &str| fm_map.and_then(|m| brain_ingest_contracts::yaml::get_str(m, k)).map(str::to_string);
    let meta_get = |k: &str| doc.meta.iter().find(|(mk, _, _)| mk == k).map(|(_, v, l)| (v.clone(), *l));

    let status_text = doc.status.as_ref().map(|(s, _)| s.clone()).filter(|s| !is_placeholder(s));
    let status = status_text.as_deref().map(normalize_status).filter(|s| !s.is_empty());
    let status_line = doc.status.as_ref().map(|(_, l)| *l);
    let date = doc.date.clone().filter(|d| !is_placeholder(d));
    let deciders = fm_map
        .map(|m| util::yaml_strings(m.get_node("deciders").or_else(|| m.get_node("decision-makers"))))
        .map(|v| v.into_iter().map(|(s, _)| s).collect::<Vec<_>>().join(", "))
        .filter(|s| !s.is_empty())
        .or_else(|| meta_get("deciders").or_else(|| meta_get("decision-makers")).map(|(v, _)| v));

    let mut node = Node::new(
        id.clone(),
        NodeKind::Decision,
        doc.title.clone(),
        util::declared(file, Some(Span::new(1, util::line_count(file.content))), NAME),
    )
    .with_text(doc.body.trim_end())
    .with_attr("body_line", body_line.to_string());
    if let Some(s) = &status {
        node = node.with_attr(attr::STATUS, s.clone());
    }
    if let Some(s) = &status_text {
        node = node.with_attr("status_text", s.clone());
    }
    if let Some(l) = status_line {
        node = node.with_attr("status_line", l.to_string());
    }
    if let Some(d) = date {
        node = node.with_attr(attr::DATE, d);
    }
    if let Some(d) = deciders {
        node = node.with_attr("deciders", d);
    }
    if let Some(n) = doc.number {
        node = node.with_attr(NUMBER, n.to_string());
        facts.provide(&id, NS_ADR, format!("{}#{}", file.repo, n));
    }
    let style =
        if fm_map.is_some() || util::find_section(secs, &["decision outcome"]).is_some() { "madr" } else { "nygard" };
    node = node.with_attr("style", style);
    if let Some(outcome) = util::find_section(secs, &["decision outcome", "decision"]) {
        if let Some(l) = outcome.body.lines().find(|l| l.to_ascii_lowercase().contains("chosen option")) {
            node = node.with_attr("chosen_option", l.trim().trim_start_matches(['*', '-', ' ']).to_string());
        }
    }
    facts.node(node);

    // Relations: the status section, the front-matter status, and any line naming one.
    let mut relation_lines: Vec<(String, u32)> = Vec::new();
    if let (Some(fm_status), Some(m)) = (fm_str("status"), fm_map) {
        let l = m.get_node("status").and_then(brain_ingest_contracts::yaml::line_of).unwrap_or(1);
        relation_lines.push((fm_status, l));
    }
    for (i, line) in file.content.lines().enumerate().skip(body_line as usize - 1) {
        if relation_re().is_match(line) {
            relation_lines.push((line.to_string(), i as u32 + 1));
        }
    }
    let dir = util::dir_of(file.path);
    for (line_text, line) in relation_lines {
        relations_in_line(file, &id, dir, &line_text, line, facts);
    }
}

fn relations_in_line(file: &SourceFile<'_>, id: &NodeId, dir: &str, text: &str, line: u32, facts: &mut Facts) {
    let rel_matches: Vec<(usize, String)> = relation_re()
        .find_iter(text)
        .map(|m| {
            let w = m.as_str().to_ascii_lowercase();
            let rel = if w.starts_with("superseded") || w.starts_with("replaced") {
                "superseded_by"
            } else if w.starts_with("supersedes") || w.starts_with("replaces") {
                "supersedes"
            } else if w.starts_with("amended") {
                "amended_by"
            } else {
                "amends"
            };
            (m.end(), rel.to_string())
        })
        .collect();
    let prov = util::declared(file, Some(Span::line(line)), NAME);
    for (k, (start, rel)) in rel_matches.iter().enumerate() {
        let end = rel_matches.get(k + 1).map(|(s, _)| *s).unwrap_or(text.len());
        let seg = &text[*start..end.max(*start)];
        let kind = match rel.as_str() {
            "supersedes" => EdgeKind::Supersedes,
            "amends" => EdgeKind::Amends,
            _ => EdgeKind::Mentions,
        };
        let mut found = false;
        for (_, target, _) in util::md_links(seg) {
            let t = target.split('#').next().unwrap_or("");
            if t.is_empty() || target.contains("://") || !is_markdown(t) {
                continue;
            }
            let Some(p) = util::resolve_relative(dir, t) else { continue };
            found = true;
            facts.reference(
                Reference::any_of(id.clone(), kind, vec![NodeId::decision(file.repo, &p)], prov.clone())
                    .with_attr(RELATION, rel.as_str())
                    .with_attr("link", target.as_str()),
            );
        }
        if found {
            continue;
        }
        if let Some(c) = number_ref_re().captures(seg) {
            if let Some(n) = c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()) {
                facts.reference(
                    Reference::key(id.clone(), kind, NS_ADR, format!("{}#{n}", file.repo), prov.clone())
                        .with_attr(RELATION, rel.as_str()),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_statuses() {
        assert_eq!(number_from_filename("0003-use-kafka.md"), Some(3));
        assert_eq!(number_from_filename("adr-012-x.md"), Some(12));
        assert_eq!(number_from_filename("use-kafka.md"), None);
        assert_eq!(number_from_filename("2021-01-01-x.md"), None);
        assert_eq!(normalize_status("**Accepted** (2020-01-01)"), "accepted");
        assert_eq!(normalize_status("Superseded by [5](0005.md)"), "superseded");
    }
}
