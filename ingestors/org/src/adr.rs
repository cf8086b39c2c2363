//! Architecture decision records: Nygard style (`# 1. Title`, `## Status`
//! with a history of lines such as "Superseded by [5. x](0005-x.md)") and
//! MADR (YAML front matter `status`/`date`/`deciders`, `## Decision Outcome`).
//!
//! A markdown file is an ADR when it lies under one of the configured
//! directories, matched as consecutive path segments anywhere in the path
//! (defaults in [`DEFAULT_DIRS`]; configure with [`AdrIngestor::with_dirs`]).
//! `README.md`/`index.md` there is an index: a `Document` (`doc_kind=adr-index`)
//! whose links the [`crate::DecisionPass`] checks; templates are skipped.
//!
//! Relations: "Supersedes"/"Amends" + a markdown link become references
//! (`AnyOf` the linked decision's id); + "ADR-0012", "ADR 12" or
//! "decision 12" become `Key{ns: "adr", key: "<repo>#12"}` (every decision
//! provides its number). "Superseded by"/"Amended by" are recorded as
//! `Mentions` with attr `relation=superseded_by|amended_by`; the pass turns
//! them into the forward `Supersedes`/`Amends` edge.

use crate::util;
use brain_model::{attr, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Reference, Severity, SourceFile, Span};
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

/// ADR directories matched by default.
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
    /// An ingestor that treats markdown under any of `dirs` (e.g. `"docs/adr"`) as ADRs.
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
        self.dirs.iter().any(|d| {
            let seq: Vec<&str> = d.iter().map(String::as_str).collect();
            util::has_dir_segments(path, &seq)
        })
    }
}

fn is_markdown(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".md") || p.ends_with(".markdown")
}

fn is_template(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("template") || n.starts_with("0000-")
}

fn is_index(name: &str) -> bool {
    matches!(name.to_ascii_lowercase().as_str(), "readme.md" | "index.md" | "_index.md")
}

impl Ingestor for AdrIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        is_markdown(path) && self.in_dir(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let name = util::file_name(file.path);
        if file.path.split('/').any(is_template) {
            return facts;
        }
        if is_index(name) && !looks_like_decision(file.content) {
            index(file, &mut facts);
            return facts;
        }
        decision(file, &mut facts);
        facts
    }
}

/// A `README.md`/`index.md` that is itself a decision (one folder per ADR):
/// it has a status, context or decision section, or MADR front matter.
fn looks_like_decision(text: &str) -> bool {
    let secs = util::sections(text);
    let section_names = ["status", "context", "decision", "decision outcome", "context and problem statement"];
    secs.iter().any(|s| s.heading.level >= 2 && section_names.contains(&s.heading.title.to_ascii_lowercase().as_str()))
        || util::front_matter(text).is_some_and(|f| f.map.as_ref().is_some_and(|m| m.get_node("status").is_some()))
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
    re(&R, r"(?i)^(?:adr|decision|record)?[\s\-#]*0*(\d{1,5})\s*[.:\-–—)]\s*(.+)$")
}

fn meta_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)^\s*(?:[-*+]\s*)?(?:\*\*|__)?(status|date|deciders|decision-makers)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+)$",
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

/// Lowercased first word of a status text (`**Accepted** on 2020` → `accepted`).
pub fn normalize_status(s: &str) -> String {
    let s = s.trim().trim_start_matches(['*', '_', '[', '-', ' ']);
    let word: String = s.chars().take_while(|c| c.is_alphabetic()).collect();
    word.to_lowercase()
}

fn decision(file: &SourceFile<'_>, facts: &mut Facts) {
    let fm = util::front_matter(file.content);
    if let Some(fm) = &fm {
        if let Some((line, msg)) = &fm.error {
            facts.diagnostic(util::diag(file, Severity::Warning, "adr.front-matter", Some(*line), msg.clone()));
        }
    }
    let body_line = fm.as_ref().map(|f| f.body_line).unwrap_or(1);
    let body = util::text_from_line(file.content, body_line);
    let secs = util::sections(file.content);
    let name = util::file_name(file.path);
    let id = NodeId::decision(file.repo, file.path);

    // Title and number.
    let h1 = secs.iter().find(|s| s.heading.level == 1 && s.heading.line >= body_line);
    let mut title = h1.map(|s| s.heading.title.clone()).unwrap_or_default();
    let mut number = number_from_filename(name);
    if let Some(c) = title_number_re().captures(&title) {
        let n: Option<u32> = c.get(1).and_then(|m| m.as_str().parse().ok());
        number = number.or(n);
        title = c.get(2).map(|m| m.as_str().trim().to_string()).unwrap_or(title);
    }
    if title.is_empty() {
        title = name.trim_end_matches(".md").to_string();
    }
    let fm_map = fm.as_ref().and_then(|f| f.map.as_ref());
    let fm_str = |k: &str| fm_map.and_then(|m| brain_ingest_contracts::yaml::get_str(m, k)).map(str::to_string);

    // Metadata lines (`Date: 2020-01-01`, `* Status: accepted`) in the first lines of the body.
    let mut meta: Vec<(String, String, u32)> = Vec::new();
    for (i, line) in file.content.lines().enumerate().skip(body_line as usize - 1).take(40) {
        if let Some(c) = meta_re().captures(line) {
            let k = c.get(1).map(|m| m.as_str().to_ascii_lowercase()).unwrap_or_default();
            let v =
                c.get(2).map(|m| m.as_str().trim().trim_end_matches(['*', '_']).trim().to_string()).unwrap_or_default();
            meta.push((k, v, i as u32 + 1));
        }
    }
    let meta_get = |k: &str| meta.iter().find(|(mk, _, _)| mk == k).map(|(_, v, l)| (v.clone(), *l));

    // Status: front matter, a `## Status` section, or a `Status:` line.
    let status_sec = util::find_section(&secs, &["status"]);
    let status_text = fm_str("status")
        .or_else(|| status_sec.and_then(|s| s.body.lines().map(str::trim).find(|l| !l.is_empty()).map(str::to_string)))
        .or_else(|| meta_get("status").map(|(v, _)| v));
    let status_text = status_text.filter(|s| !is_placeholder(s));
    let status = status_text.as_deref().map(normalize_status).filter(|s| !s.is_empty());
    let status_line = if fm_str("status").is_some() {
        fm_map.and_then(|m| m.get_node("status")).and_then(brain_ingest_contracts::yaml::line_of)
    } else if let Some(sec) = status_sec {
        file.content
            .lines()
            .enumerate()
            .skip(sec.heading.line as usize)
            .take((sec.end_line - sec.heading.line) as usize)
            .find(|(_, l)| !l.trim().is_empty())
            .map(|(i, _)| i as u32 + 1)
    } else {
        meta_get("status").map(|(_, l)| l)
    };
    let date = fm_str("date")
        .or_else(|| meta_get("date").map(|(v, _)| v))
        .map(|d| d.trim_matches(['"', '\'']).to_string())
        .filter(|d| !is_placeholder(d));
    let deciders = fm_map
        .map(|m| util::yaml_strings(m.get_node("deciders").or_else(|| m.get_node("decision-makers"))))
        .map(|v| v.into_iter().map(|(s, _)| s).collect::<Vec<_>>().join(", "))
        .filter(|s| !s.is_empty())
        .or_else(|| meta_get("deciders").or_else(|| meta_get("decision-makers")).map(|(v, _)| v));

    let mut node = Node::new(
        id.clone(),
        NodeKind::Decision,
        title.clone(),
        util::declared(file, Some(Span::new(1, util::line_count(file.content))), NAME),
    )
    .with_text(body.trim_end())
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
    if let Some(n) = number {
        node = node.with_attr(NUMBER, n.to_string());
        facts.provide(&id, NS_ADR, format!("{}#{}", file.repo, n));
    }
    let style =
        if fm_map.is_some() || util::find_section(&secs, &["decision outcome"]).is_some() { "madr" } else { "nygard" };
    node = node.with_attr("style", style);
    if let Some(outcome) = util::find_section(&secs, &["decision outcome", "decision"]) {
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
