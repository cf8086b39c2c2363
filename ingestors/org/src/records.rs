//! Which markdown-like files are records (decisions, incident reports), by
//! content first: the extensions a static site keeps markdown under, the
//! folder names that hint at records (a hint lowers the bar, it is never
//! the only door), and templates recognised by their placeholder text.

use crate::util::{self, MdSection};

/// Extensions read as markdown: plain (`.md`, `.markdown`, `.mdx`) and the
/// templated pages of static sites (`.html.md`, `.md.erb`, `.html.md.erb`, `.md.njk`, ...).
pub fn is_markdown_like(path: &str) -> bool {
    let name = util::file_name(path).to_ascii_lowercase();
    let mut parts = name.rsplit('.');
    let last = parts.next().unwrap_or("");
    if matches!(last, "md" | "markdown" | "mdx" | "mkd") {
        return name.contains('.');
    }
    // a template engine's extension after a markdown one
    matches!(last, "erb" | "njk" | "liquid" | "hbs" | "tmpl" | "j2" | "jinja" | "haml" | "tt")
        && parts.next().is_some_and(|p| matches!(p, "md" | "markdown"))
}

/// The name without its markdown-like extensions (`2020-02-12.html.md.erb` → `2020-02-12`).
pub fn stem(name: &str) -> &str {
    let mut s = name;
    loop {
        let lower = s.to_ascii_lowercase();
        let Some((head, ext)) = lower.rsplit_once('.') else { return s };
        if matches!(ext, "md" | "markdown" | "mdx" | "mkd" | "erb" | "njk" | "liquid" | "hbs" | "html" | "tmpl" | "j2")
        {
            s = &s[..head.len()];
        } else {
            return s;
        }
    }
}

/// Directory names that suggest decision records.
const DECISION_DIRS: &[&str] = &[
    "adr",
    "adrs",
    "decisions",
    "decision-records",
    "decision-record",
    "decision-log",
    "design-decisions",
    "architecture-decisions",
    "architecture-decision-records",
    "architecture-decision-record",
    "architectural-decisions",
    "architectural-decision-records",
    "architecture-records",
    "rfcs",
    "rfc",
    "rfds",
];

/// Directory names that suggest incident reports.
const INCIDENT_DIRS: &[&str] = &[
    "incidents",
    "incident",
    "postmortems",
    "postmortem",
    "post-mortems",
    "post-mortem",
    "post_mortems",
    "incident-reports",
    "incident-report",
    "incident_reports",
    "retros",
    "retrospectives",
    "outages",
    "pirs",
    "post-incident-reviews",
];

fn dir_segments(path: &str) -> impl Iterator<Item = String> + '_ {
    let segs: Vec<&str> = path.split('/').collect();
    let n = segs.len().saturating_sub(1);
    segs.into_iter().take(n).map(|s| s.to_ascii_lowercase())
}

/// Whether a folder of the path is conventionally named for decisions.
pub fn in_decision_dir(path: &str) -> bool {
    dir_segments(path).any(|s| DECISION_DIRS.contains(&s.as_str()))
}

/// Whether a folder of the path is conventionally named for incident reports.
pub fn in_incident_dir(path: &str) -> bool {
    dir_segments(path).any(|s| INCIDENT_DIRS.contains(&s.as_str()))
}

/// Whether a section title is one of `names` (case-insensitive, leading
/// numbering and emoji dropped: `3. Decision`, `✅ Decision`).
pub fn titled(s: &MdSection, names: &[&str]) -> bool {
    let t = s.heading.title.to_lowercase();
    let t = t.trim_start_matches(|c: char| !c.is_alphabetic()).trim_end_matches([':', ' ']);
    names.iter().any(|n| t == *n || t.starts_with(&format!("{n} ")) || t.starts_with(&format!("{n}:")))
}

/// Whether any section is titled one of `names`.
pub fn has_section(secs: &[MdSection], names: &[&str]) -> bool {
    secs.iter().any(|s| titled(s, names))
}

/// Text that only a template carries: placeholders in brackets or braces
/// (`[short title of solved problem]`, `{title}`), option lists for a
/// status (`proposed | accepted | rejected`), `DATE`/`YYYY-MM-DD` for a date,
/// or the word TEMPLATE. Returns the evidence.
pub fn template_evidence(title: &str, status: Option<&str>, date: Option<&str>, body: &str) -> Option<String> {
    let t = title.trim();
    let tl = t.to_ascii_lowercase();
    let placeholder = |s: &str| {
        let s = s.trim();
        (s.starts_with('[') && s.ends_with(']') && !s.contains("](")) || (s.starts_with('{') && s.ends_with('}'))
    };
    if placeholder(t)
        || t.contains("TITLE")
        || t.contains("{")
        || (t.contains('[') && !t.contains("]("))
        || matches!(
            tl.as_str(),
            "title"
                | "adr title"
                | "decision title"
                | "incident title"
                | "short title"
                | "template"
                | "postmortem template"
        )
        || tl.contains("template")
    {
        return Some(format!("placeholder title {t:?}"));
    }
    if let Some(s) = status {
        let s = s.trim();
        let words = ["proposed", "accepted", "rejected", "deprecated", "superseded", "draft"];
        let listed = words.iter().filter(|w| s.to_ascii_lowercase().contains(*w)).count();
        if placeholder(s) || (listed >= 2 && (s.contains('|') || s.contains(','))) || s == "STATUS" {
            return Some(format!("placeholder status {s:?}"));
        }
    }
    if let Some(d) = date {
        let d = d.trim();
        let dl = d.to_ascii_lowercase();
        if placeholder(d) || d == "DATE" || dl.starts_with("yyyy") || dl.starts_with("dd/mm") || dl.starts_with("mm/dd")
        {
            return Some(format!("placeholder date {d:?}"));
        }
    }
    // placeholders quoted as code (`"[option 1]"` in a decision about templates) do not count
    let prose: String =
        body.lines().map(|l| l.split('`').step_by(2).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n");
    let lower = prose.to_ascii_lowercase();
    for p in [
        "[short title of solved problem",
        "{short title",
        "{title of option",
        "[option 1]",
        "{describe the context",
        "[describe the context",
        "[insert date",
        "{incident_title}",
    ] {
        if lower.contains(p) {
            return Some(format!("placeholder text {p:?}"));
        }
    }
    if prose.split(|c: char| !c.is_alphanumeric()).any(|w| w == "TEMPLATE") {
        return Some("the word TEMPLATE".into());
    }
    None
}

/// `Key: value` lines near the top of a record (`Date: 2020-01-02`,
/// `* Status: accepted`, `**Status:** Proposed`, `- **Severity**: P1`,
/// `| Status | Accepted |`, `> **Date:** x`), lower-cased key, with their 1-based line.
pub fn meta_lines(text: &str, from_line: u32, max_lines: usize) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, raw) in text.lines().enumerate().skip(from_line.saturating_sub(1) as usize).take(max_lines) {
        let t = raw.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || t.is_empty() {
            continue;
        }
        if let Some((k, v)) = meta_line(t) {
            out.push((k, v, i as u32 + 1));
        }
    }
    out
}

fn meta_line(t: &str) -> Option<(String, String)> {
    let t = t.trim_start_matches(['>', ' ']);
    // table row: | Key | Value |
    if let Some(row) = t.strip_prefix('|') {
        let cells: Vec<&str> = row.trim_end_matches('|').split('|').map(str::trim).collect();
        if cells.len() >= 2 {
            let k = clean_key(cells[0])?;
            let v = clean_value(cells[1]);
            return (!v.is_empty() && !v.chars().all(|c| matches!(c, '-' | ':' | ' '))).then_some((k, v));
        }
        return None;
    }
    let t = t.trim_start_matches(['-', '*', '+', ' ']).trim_start();
    let t = if t.starts_with("**") || t.starts_with("__") { t } else { t.trim_start_matches(['*', '_']) };
    let (k, v) = if let Some(rest) = t.strip_prefix("**").or_else(|| t.strip_prefix("__")) {
        // **Key:** value | **Key**: value
        let end = rest.find("**").or_else(|| rest.find("__"))?;
        let key = &rest[..end];
        let after = rest[end + 2..].trim_start();
        if let Some(k) = key.strip_suffix(':') {
            (k, after)
        } else {
            (key, after.strip_prefix(':')?)
        }
    } else {
        let (k, v) = t.split_once(':')?;
        if v.starts_with("//") {
            return None; // a URL, not a field
        }
        (k, v)
    };
    let k = clean_key(k)?;
    let v = clean_value(v);
    (!v.is_empty()).then_some((k, v))
}

fn clean_key(k: &str) -> Option<String> {
    let k = k.trim().trim_matches(['*', '_', ' ']).trim();
    if k.is_empty() || k.len() > 30 || k.contains(['`', '[', '(', '/']) && !k.contains("date/time") {
        return None;
    }
    if !k.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '/')) {
        return None;
    }
    Some(k.to_ascii_lowercase())
}

fn clean_value(v: &str) -> String {
    v.trim().trim_matches(['*', '_']).trim().trim_end_matches(['\\']).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert!(is_markdown_like("source/incidents/2020-02-12.html.md.erb"));
        assert!(is_markdown_like("a/b.html.md"));
        assert!(is_markdown_like("a/b.mdx"));
        assert!(is_markdown_like("a/b.md.njk"));
        assert!(!is_markdown_like("a/b.erb"));
        assert!(!is_markdown_like("a/md"));
        assert_eq!(stem("2020-02-12.html.md.erb"), "2020-02-12");
        assert_eq!(stem("0001-x.md"), "0001-x");
    }

    #[test]
    fn meta() {
        let m = |s: &str| meta_line(s);
        assert_eq!(m("**Status:** Proposed"), Some(("status".into(), "Proposed".into())));
        assert_eq!(m("- **Severity**: P1"), Some(("severity".into(), "P1".into())));
        assert_eq!(m("* Status: accepted"), Some(("status".into(), "accepted".into())));
        assert_eq!(m("| Status | Accepted |"), Some(("status".into(), "Accepted".into())));
        assert_eq!(m("Date: 2020-01-02"), Some(("date".into(), "2020-01-02".into())));
        assert_eq!(m("- **Time to repair**: 0h 16m"), Some(("time to repair".into(), "0h 16m".into())));
        assert_eq!(m("| --- | --- |"), None);
        assert_eq!(m("see https://x"), None);
    }

    #[test]
    fn templates() {
        assert!(template_evidence("[short title of solved problem and solution]", None, None, "").is_some());
        assert!(template_evidence("{ADR Title}", None, None, "").is_some());
        assert!(template_evidence("NUMBER. TITLE", None, None, "").is_some());
        assert!(template_evidence("Use Kafka", Some("proposed | accepted | rejected"), None, "").is_some());
        assert!(template_evidence("Use Kafka", Some("Accepted"), Some("DATE"), "").is_some());
        assert!(template_evidence("Use Markdown Architectural Decision Records", Some("accepted"), None, "").is_none());
    }
}
