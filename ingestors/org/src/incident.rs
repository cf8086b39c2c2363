//! Incident reports and postmortems by content: whether a markdown-like file
//! is one (incident sections, incident fields, an incident title; a
//! conventional or configured folder lowers the bar), and the fields it
//! states: the day it happened, time to detect / repair / resolve (in
//! minutes, from `- **Time to repair**: 1h 50m`, `Time to recovery: 55 minutes`,
//! `**Total impact duration:** 5 hours 26 minutes`, ...), severity.

use crate::records::{self, titled};
use crate::util::MdSection;
use regex::Regex;
use std::sync::OnceLock;

/// Section titles of incident reports.
const SECTIONS: &[&str] = &[
    "summary",
    "incident summary",
    "executive summary",
    "impact",
    "customer impact",
    "incident impact",
    "user impact",
    "timeline",
    "incident timeline",
    "key events",
    "root cause",
    "root causes",
    "root cause analysis",
    "contributing factors",
    "cause",
    "trigger",
    "resolution",
    "resolution and recovery",
    "recovery",
    "mitigation",
    "detection",
    "action items",
    "follow-ups",
    "follow-up actions",
    "follow up",
    "lessons learned",
    "lessons learnt",
    "what happened",
    "what went well",
    "what went wrong",
    "where we got lucky",
    "review actions",
    "corrective actions",
];

/// Sections that only incident reports have (a summary alone says nothing).
const STRONG: &[&str] = &[
    "timeline",
    "incident timeline",
    "key events",
    "root cause",
    "root causes",
    "root cause analysis",
    "contributing factors",
    "trigger",
    "detection",
    "what went wrong",
    "where we got lucky",
    "lessons learned",
    "lessons learnt",
    "impact",
    "customer impact",
    "incident impact",
    "user impact",
];

/// Field keys of incident reports (lower case).
const FIELDS: &[&str] = &[
    "severity",
    "sev",
    "duration",
    "time to repair",
    "time to resolve",
    "time to recovery",
    "time to recover",
    "time to restore",
    "time to detection",
    "time to detect",
    "time to resolution",
    "total impact duration",
    "outage duration",
    "detection delay",
    "detected",
    "first detected",
    "resolved",
    "incident declared",
    "identified",
    "key events",
    "impact",
    "incident date",
    "incident id",
    "incident lead",
];

/// What the text states about an incident.
#[derive(Debug, Default, Clone)]
pub struct IncidentFields {
    /// `YYYY-MM-DD` of the day it happened, and where it was read (`field`, `title`, `file name`, `timeline`).
    pub date: Option<(String, &'static str)>,
    pub severity: Option<String>,
    /// Raw text and minutes.
    pub repair: Option<(String, u32)>,
    pub resolve: Option<(String, u32)>,
    pub detect: Option<(String, u32)>,
}

/// Every `key: value` field of the text with a known incident key (list
/// items, bold, table rows and plain lines anywhere in the file, fenced code skipped).
pub fn fields(text: &str) -> Vec<(String, String, u32)> {
    records::meta_lines(text, 1, 2_000)
        .into_iter()
        .filter(|(k, _, _)| FIELDS.contains(&k.as_str()) || k == "date" || k.starts_with("date") || k == "when")
        .collect()
}

/// Whether the file reads as an incident report; `hinted` (an incident folder) lowers the bar.
pub fn reads_as_incident(title: &str, secs: &[MdSection], fields: &[(String, String, u32)], hinted: bool) -> bool {
    let sections = secs.iter().filter(|s| titled(s, SECTIONS)).count();
    let strong = secs.iter().filter(|s| titled(s, STRONG)).count();
    let named = fields.iter().filter(|(k, _, _)| FIELDS.contains(&k.as_str()) && k != "impact").count();
    let t = title.to_ascii_lowercase();
    let titled_incident = ["incident", "outage", "postmortem", "post-mortem", "post mortem", "downtime", "disruption"]
        .iter()
        .any(|w| t.contains(w));
    (strong >= 2 && sections >= 3)
        || named >= 2
        || (titled_incident && (sections >= 1 || named >= 1))
        || (hinted && (sections >= 1 || named >= 1 || titled_incident))
}

fn iso_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\b((?:19|20)\d\d)[-/.](\d\d)[-/.](\d\d)\b").unwrap_or_else(|_| unreachable!()))
}

fn month_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?)?,?\s+((?:19|20)\d\d)\b|\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b",
        )
        .unwrap_or_else(|_| unreachable!())
    })
}

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// The first date written in `s` as `YYYY-MM-DD` (ISO, or with a month name).
pub fn first_date(s: &str) -> Option<String> {
    let iso = iso_re().captures(s).map(|c| (c.get(0).map(|m| m.start()).unwrap_or(0), c));
    let named = month_re().captures(s).map(|c| (c.get(0).map(|m| m.start()).unwrap_or(0), c));
    let ok = |y: &str, m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d) && !y.is_empty();
    let from_iso = |c: &regex::Captures<'_>| {
        let (y, m, d) = (c.get(1)?.as_str(), c.get(2)?.as_str().parse().ok()?, c.get(3)?.as_str().parse().ok()?);
        ok(y, m, d).then(|| format!("{y}-{m:02}-{d:02}"))
    };
    let from_named = |c: &regex::Captures<'_>| {
        let (mon, d, y) = if let Some(m) = c.get(1) {
            (m.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str())
        } else {
            (c.get(5)?.as_str(), c.get(4)?.as_str(), c.get(6)?.as_str())
        };
        let m = MONTHS.iter().position(|x| mon.to_ascii_lowercase().starts_with(x))? as u32 + 1;
        let d: u32 = d.parse().ok()?;
        ok(y, m, d).then(|| format!("{y}-{m:02}-{d:02}"))
    };
    match (iso, named) {
        (Some((a, ci)), Some((b, cn))) => {
            if a <= b {
                from_iso(&ci).or_else(|| from_named(&cn))
            } else {
                from_named(&cn).or_else(|| from_iso(&ci))
            }
        }
        (Some((_, c)), None) => from_iso(&c),
        (None, Some((_, c))) => from_named(&c),
        (None, None) => None,
    }
}

/// Minutes in a duration as people write it: `1h 50m`, `0h 16m`, `55 minutes`,
/// `19 hours 43 minutes.`, `1 hour and 48 minutes`, `11 Days`, `22 hours`,
/// `5 hours 26 minutes (10:45 - 16:11 UTC)`. `None` for `N/A` or text without a unit.
pub fn minutes(s: &str) -> Option<u32> {
    let s = s.split(['(', '[']).next().unwrap_or(s).to_ascii_lowercase();
    let mut total = 0f64;
    let mut found = false;
    let mut num: Option<f64> = None;
    let mut token = String::new();
    let flush = |token: &mut String, num: &mut Option<f64>, total: &mut f64, found: &mut bool| {
        if token.is_empty() {
            return;
        }
        if let Ok(n) = token.parse::<f64>() {
            *num = Some(n);
        } else if let Some(n) = num.take() {
            let unit = token.as_str();
            let mult = if unit.starts_with("d") {
                Some(1440.0)
            } else if unit.starts_with('h') {
                Some(60.0)
            } else if unit.starts_with("mi") || unit == "m" || unit == "mins" {
                Some(1.0)
            } else if unit.starts_with('s') {
                Some(1.0 / 60.0)
            } else {
                None
            };
            if let Some(m) = mult {
                *total += n * m;
                *found = true;
            }
        }
        token.clear();
    };
    for c in s.chars() {
        let digit = c.is_ascii_digit() || c == '.';
        let letter = c.is_ascii_alphabetic();
        let kind_changed = !token.is_empty() && (token.chars().all(|t| t.is_ascii_digit() || t == '.') != digit);
        if (!digit && !letter) || kind_changed {
            flush(&mut token, &mut num, &mut total, &mut found);
        }
        if digit || letter {
            token.push(c);
        }
    }
    flush(&mut token, &mut num, &mut total, &mut found);
    found.then_some(total.round() as u32)
}

/// The fields an incident report states. `stem` is the file name without extensions.
pub fn extract(
    title: &str,
    stem: &str,
    secs: &[MdSection],
    fields: &[(String, String, u32)],
    fm_date: Option<&str>,
) -> IncidentFields {
    let get = |keys: &[&str]| fields.iter().find(|(k, _, _)| keys.contains(&k.as_str())).map(|(_, v, _)| v.clone());
    let dur = |keys: &[&str]| get(keys).and_then(|v| minutes(&v).map(|m| (v, m)));
    let date_field = fm_date.map(str::to_string).or_else(|| {
        fields
            .iter()
            .find(|(k, _, _)| k == "date" || k == "incident date" || k.starts_with("date") || k == "when")
            .map(|(_, v, _)| v.clone())
    });
    let timeline = secs.iter().find(|s| titled(s, &["timeline", "incident timeline", "key events"]));
    let date = date_field
        .as_deref()
        .and_then(first_date)
        .map(|d| (d, "field"))
        .or_else(|| first_date(title).map(|d| (d, "title")))
        .or_else(|| first_date(stem).map(|d| (d, "file name")))
        .or_else(|| timeline.and_then(|t| first_date(&t.body)).map(|d| (d, "timeline")));
    IncidentFields {
        date,
        severity: get(&["severity", "sev"]).map(|s| s.trim_matches(['*', '`']).trim().to_string()),
        repair: dur(&[
            "time to repair",
            "time to recovery",
            "time to recover",
            "time to restore",
            "duration",
            "total impact duration",
            "outage duration",
        ]),
        resolve: dur(&["time to resolve", "time to resolution"]),
        detect: dur(&["time to detection", "time to detect", "detection delay"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(minutes("1h 50m"), Some(110));
        assert_eq!(minutes("0h 16m"), Some(16));
        assert_eq!(minutes("55 minutes"), Some(55));
        assert_eq!(minutes("19 hours 43 minutes."), Some(1183));
        assert_eq!(minutes("1 hour and 48 minutes"), Some(108));
        assert_eq!(minutes("11 Days"), Some(15840));
        assert_eq!(minutes("5 hours 26 minutes (10:45 - 16:11 UTC)"), Some(326));
        assert_eq!(minutes("279 minutes [^3]"), Some(279));
        assert_eq!(minutes("N/A"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(first_date("Incident on 2023-07-25 - Prometheus down").as_deref(), Some("2023-07-25"));
        assert_eq!(first_date("January 23rd, 2019 Prow Outage").as_deref(), Some("2019-01-23"));
        assert_eq!(first_date("January 14-19, 2026").as_deref(), Some("2026-01-14"));
        assert_eq!(first_date("attack on November 24th, 2025").as_deref(), Some("2025-11-24"));
        assert_eq!(first_date("on 28th February 2024").as_deref(), Some("2024-02-28"));
        assert_eq!(first_date("PM2019-009 - x").as_deref(), None);
    }
}
