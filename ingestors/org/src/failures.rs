//! Past failures: postmortem markdown ([`PostmortemIngestor`]), failed JUnit
//! test cases ([`JunitIngestor`]) and the [`FailurePass`] that ties JUnit
//! failures to the code ingestor's `Test` nodes.
//!
//! Postmortems are markdown-like files (`.md`, `.mdx`, `.html.md`,
//! `.md.erb`, ...) that read as incident reports ([`crate::incident`]):
//! anywhere with incident sections or fields, with less under a conventional
//! or configured incident folder, or with front matter `severity` / an `INC-`
//! id. Attributes: `date` (`YYYY-MM-DD`, `date_from` says where it was read),
//! `severity`, `time_to_repair|resolve|detect` as written and
//! `minutes_to_repair|resolve|detect`. One `Failure` node per file; `Affected`
//! references: services named in front matter `services:` (declared) or in
//! backticks (inferred 0.7) → `Key{service, name}`; repos written `org/name`
//! → `AnyOf repo:org/name`, bare names in front matter `repos:` → `Key{service}`
//! and `AnyOf repo:<name>` (a bare name cannot be resolved to an org without
//! the graph); `ADR-0007` → `Key{adr, <repo>#7}` (the postmortem's repo, or
//! the one named right after it: `ADR-0007 in acme/orders`); backticked `snake_case` or
//! `camelCase` field names → `Key{field, name}` (kept for the query engine).
//!
//! JUnit: one `Failure` per failed or errored `<testcase>`, id
//! `failure:<repo>:<path>#<classname>::<name>`, with a `Key{test, <name>}`
//! `Affected` reference. The pass links it to `Test` nodes whose `name`
//! equals the test name: when several match, those whose file path contains
//! the classname's path (`tests.test_consumer` → `tests/test_consumer`) win
//! (confidence 0.9); a unique name-only match gets 0.6; ambiguous name-only
//! matches are not linked.

use crate::{incident, util};
use brain_graph::{LinkContext, LinkPass};
use brain_model::{
    attr, attr::ns, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, PathHints, Provenance, Reference,
    Severity, SourceFile, Span,
};
use regex::Regex;
use std::sync::OnceLock;

/// Ingestor name of postmortems.
pub const POSTMORTEM: &str = "postmortem";
/// Ingestor name of JUnit reports.
pub const JUNIT: &str = "junit";
/// Namespace of test references (`Key{test, <test name>}`).
pub const NS_TEST: &str = "test";
/// Namespace of field-name references kept for the query engine.
pub const NS_FIELD: &str = "field";
const MAX_FAILURE_TEXT: usize = 4096;

const INCIDENT_DIRS: &[&[&str]] =
    &[&["incidents"], &["postmortems"], &["post-mortems"], &["postmortem"], &["docs", "incidents"]];

fn inc_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\bINC-\d+\b").unwrap_or_else(|_| unreachable!()))
}

fn adr_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)\bADR[\s\-_#]?0*(\d{1,5})\b(?:\s+(?:in|of|from)\s+([a-z0-9][a-z0-9_.\-]*/[a-z0-9][a-z0-9_.\-]*[a-z0-9]))?").unwrap_or_else(|_| unreachable!()))
}

fn repo_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?:^|[\s(`])([a-z0-9][a-z0-9_.\-]*/[a-z0-9][a-z0-9_.\-]*)(?:$|[\s).,:;`])")
            .unwrap_or_else(|_| unreachable!())
    })
}

fn bold_field_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:[-*]\s*)?\*\*(severity|date|duration|services?|id|status)\s*:?\*\*\s*:?\s*(.+)$")
            .unwrap_or_else(|_| unreachable!())
    })
}

/// Reads postmortem / incident markdown.
#[derive(Debug, Default, Clone, Copy)]
pub struct PostmortemIngestor;

impl Ingestor for PostmortemIngestor {
    fn name(&self) -> &'static str {
        POSTMORTEM
    }
    fn accepts(&self, path: &str) -> bool {
        crate::records::is_markdown_like(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        self.ingest_hinted(file, &PathHints::default())
    }
    fn ingest_hinted(&self, file: &SourceFile<'_>, hints: &PathHints) -> Facts {
        let mut facts = Facts::default();
        if hints.incident == Some(false) {
            return facts;
        }
        let file_name = util::file_name(file.path);
        let stem = crate::records::stem(file_name);
        if matches!(stem.to_ascii_lowercase().as_str(), "readme" | "index" | "_index")
            || file_name.to_ascii_lowercase().contains("template")
        {
            return facts;
        }
        let in_dir = hints.incident == Some(true)
            || crate::records::in_incident_dir(file.path)
            || INCIDENT_DIRS.iter().any(|d| util::has_dir_segments(file.path, d));
        let fm = util::front_matter(file.content);
        let fm_map = fm.as_ref().and_then(|f| f.map.as_ref());
        let fm_get = |k: &str| fm_map.and_then(|m| brain_ingest_contracts::yaml::get_str(m, k)).map(str::to_string);
        let fm_says = fm_get("severity").is_some() || fm_get("id").is_some_and(|i| i.starts_with("INC-"));
        let body_line = fm.as_ref().map(|f| f.body_line).unwrap_or(1);
        let body = util::text_from_line(file.content, body_line);
        let secs = util::sections(file.content);
        let fields = incident::fields(file.content);
        let h1 =
            secs.iter().find(|s| s.heading.level == 1 && s.heading.line >= body_line).map(|s| s.heading.title.clone());
        let title_text = h1.clone().or_else(|| fm_get("title")).unwrap_or_default();
        if !fm_says && !incident::reads_as_incident(&title_text, &secs, &fields, in_dir) {
            return facts;
        }
        let date_field = fields.iter().find(|(k, _, _)| k == "date").map(|(_, v, _)| v.as_str());
        if crate::records::template_evidence(&title_text, None, date_field, body).is_some() {
            return facts;
        }
        if let Some((line, msg)) = fm.as_ref().and_then(|f| f.error.clone()) {
            facts.diagnostic(util::diag(file, Severity::Warning, "postmortem.front-matter", Some(line), msg));
        }
        let mut bold: Vec<(String, String)> = Vec::new();
        for line in body.lines().take(60) {
            if let Some(c) = bold_field_re().captures(line) {
                let k = c.get(1).map(|m| m.as_str().to_ascii_lowercase()).unwrap_or_default();
                let v = c.get(2).map(|m| m.as_str().trim().to_string()).unwrap_or_default();
                bold.push((k, v));
            }
        }
        let bold_get = |k: &str| bold.iter().find(|(bk, _)| bk.starts_with(k)).map(|(_, v)| v.clone());
        let stated = incident::extract(&title_text, stem, &secs, &fields, fm_get("date").as_deref());
        let title = h1.or_else(|| fm_get("title"));
        let id_text = fm_get("id")
            .or_else(|| bold_get("id"))
            .or_else(|| inc_re().find(title.as_deref().unwrap_or("")).map(|m| m.as_str().to_string()))
            .or_else(|| inc_re().find(file.path).map(|m| m.as_str().to_string()));
        let section = |names: &[&str]| util::find_section(&secs, names).map(|s| s.body.clone());
        let summary = section(&["summary", "overview", "what happened", "description"]);
        let impact = section(&["impact", "customer impact"]);
        let root = section(&["root cause", "root causes", "cause", "contributing factors"]);
        let mut text = String::new();
        for (h, s) in [("Summary", &summary), ("Impact", &impact), ("Root cause", &root)] {
            if let Some(s) = s {
                text.push_str(&format!("{h}: {s}\n\n"));
            }
        }
        if text.is_empty() {
            text = body.trim().to_string();
        }
        let fid = NodeId::failure(file.repo, file.path, "");
        let name = title.clone().or_else(|| id_text.clone()).unwrap_or_else(|| util::file_name(file.path).to_string());
        let mut node = Node::new(
            fid.clone(),
            NodeKind::Failure,
            name,
            util::declared(file, Some(Span::new(1, util::line_count(file.content))), POSTMORTEM),
        )
        .with_attr("failure_kind", "incident")
        .with_text(util::truncate(text.trim(), 16 * 1024));
        if let Some(i) = &id_text {
            node = node.with_attr("id", i.clone());
        }
        if let Some((d, from)) = &stated.date {
            node = node.with_attr(attr::DATE, d.clone()).with_attr("date_from", *from);
        } else if let Some(d) = fm_get("date").or_else(|| bold_get("date")) {
            node = node.with_attr(attr::DATE, d);
        }
        if let Some(s) = fm_get("severity").or_else(|| bold_get("severity")).or_else(|| stated.severity.clone()) {
            node = node.with_attr(attr::SEVERITY, s.trim_matches('*').trim().to_string());
        }
        for (key, v) in [("repair", &stated.repair), ("resolve", &stated.resolve), ("detect", &stated.detect)] {
            if let Some((text, m)) = v {
                node = node
                    .with_attr(&format!("time_to_{key}"), text.clone())
                    .with_attr(&format!("minutes_to_{key}"), m.to_string());
            }
        }
        if let Some(st) = fm_get("status").or_else(|| bold_get("status")) {
            node = node.with_attr(attr::STATUS, st);
        }
        if let Some(d) = fm_get("duration").or_else(|| bold_get("duration")) {
            node = node.with_attr("duration", d);
        }
        // Services: front matter list / string, or a **Services:** line.
        let mut services: Vec<(String, Option<u32>, bool)> = fm_map
            .map(|m| util::yaml_strings(m.get_node("services").or_else(|| m.get_node("service"))))
            .unwrap_or_default()
            .into_iter()
            .map(|(s, l)| (s, l, true))
            .collect();
        if services.is_empty() {
            if let Some(v) = bold_get("service") {
                services = v
                    .split([',', ' '])
                    .map(|s| s.trim_matches(['`', '*']).to_string())
                    .filter(|s| !s.is_empty())
                    .map(|s| (s, None, true))
                    .collect();
            }
        }
        if !services.is_empty() {
            node = node.with_attr("services", services.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(","));
        }
        if let Some(actions) =
            util::find_section(&secs, &["action items", "actions", "follow-up", "follow up", "remediation"])
        {
            let items = action_items(&actions.body);
            node = node.with_attr("action_items", items.join("\n"));
        }
        facts.node(node);
        let decl = |l: Option<u32>| util::declared(file, l.map(Span::line), POSTMORTEM);
        for (s, l, _) in &services {
            facts.reference(Reference::key(
                fid.clone(),
                EdgeKind::Affected,
                ns::SERVICE,
                s.clone(),
                decl(l.or(Some(1))),
            ));
        }
        if let Some(m) = fm_map {
            for (r, l) in util::yaml_strings(m.get_node("repos").or_else(|| m.get_node("repositories"))) {
                facts.reference(Reference::any_of(fid.clone(), EdgeKind::Affected, vec![NodeId::repo(&r)], decl(l)));
            }
        }
        // Mentions in the body.
        let mut seen = std::collections::HashSet::new();
        for (i, line) in file.content.lines().enumerate().skip(body_line as usize - 1) {
            let l = Some(i as u32 + 1);
            for c in adr_re().captures_iter(line) {
                if let Some(n) = c.get(1).and_then(|m| m.as_str().parse::<u32>().ok()) {
                    // `ADR-0003 in acme/orders` names the repo; otherwise the postmortem's own
                    let repo = c.get(2).map(|m| m.as_str()).unwrap_or(file.repo);
                    if seen.insert(format!("adr{repo}#{n}")) {
                        facts.reference(
                            Reference::key(
                                fid.clone(),
                                EdgeKind::Affected,
                                crate::adr::NS_ADR,
                                format!("{repo}#{n}"),
                                util::inferred(file, l.map(Span::line), POSTMORTEM, 0.8),
                            )
                            .with_attr("mention", "decision"),
                        );
                    }
                }
            }
            for c in repo_re().captures_iter(line) {
                let Some(r) = c.get(1).map(|m| m.as_str().trim_end_matches(['.', '-', '_'])) else { continue };
                if r.contains("..") || r.ends_with(".md") || r.split('/').any(|s| s.len() < 2) {
                    continue;
                }
                if seen.insert(format!("repo{r}")) {
                    facts.reference(Reference::any_of(
                        fid.clone(),
                        EdgeKind::Affected,
                        vec![NodeId::repo(r)],
                        util::inferred(file, l.map(Span::line), POSTMORTEM, 0.7),
                    ));
                }
            }
        }
        for (span, line) in util::code_spans(body) {
            let l = Some(line + body_line - 1);
            let ident = span.chars().count() >= 3
                && span.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && span.chars().next().is_some_and(char::is_alphabetic);
            if !ident || services.iter().any(|(s, _, _)| *s == span) {
                continue;
            }
            let has_upper = span.chars().any(char::is_uppercase);
            let (ns_, conf) = if span.chars().next().is_some_and(char::is_uppercase) && !span.contains(['_', '-']) {
                (ns::TYPE, 0.6) // `OrderCreated`: a data type by wire name
            } else if span.contains('_') || (has_upper && !span.contains('-')) {
                (NS_FIELD, 0.6) // `total_cents`, `totalCents`
            } else if !has_upper {
                (ns::SERVICE, 0.7) // `billing-worker`, `payments`
            } else {
                continue;
            };
            if seen.insert(format!("{ns_}:{span}")) {
                facts.reference(Reference::key(
                    fid.clone(),
                    EdgeKind::Affected,
                    ns_,
                    span.clone(),
                    util::inferred(file, l.map(Span::line), POSTMORTEM, conf),
                ));
            }
        }
        facts
    }
}

/// Action items of a section: list items and table rows (a pipe table's
/// header and separator rows are dropped).
fn action_items(body: &str) -> Vec<&str> {
    let is_sep = |l: &str| l.contains('-') && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    let lines: Vec<&str> = body.lines().map(str::trim).collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.is_empty() || is_sep(l) {
            continue;
        }
        if l.contains('|') {
            if !lines.get(i + 1).is_some_and(|n| is_sep(n)) {
                out.push(*l);
            }
        } else if l.starts_with(['-', '*', '+']) || l.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            out.push(*l);
        }
    }
    out
}

/// Reads JUnit XML reports (`<testsuites>` / `<testsuite>` roots).
#[derive(Debug, Default, Clone, Copy)]
pub struct JunitIngestor;

impl Ingestor for JunitIngestor {
    fn name(&self) -> &'static str {
        JUNIT
    }
    fn accepts(&self, path: &str) -> bool {
        path.to_ascii_lowercase().ends_with(".xml")
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let mut cut = file.content.len().min(4096);
        while !file.content.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = &file.content[..cut];
        if !(head.contains("<testsuite") || file.content.contains("<testsuite")) {
            return facts;
        }
        let opts = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
        let doc = match roxmltree::Document::parse_with_options(file.content, opts) {
            Ok(d) => d,
            Err(e) => {
                facts.diagnostic(util::diag(file, Severity::Warning, "junit.xml", Some(e.pos().row), e.to_string()));
                return facts;
            }
        };
        let root = doc.root_element();
        if !matches!(root.tag_name().name(), "testsuites" | "testsuite") {
            return facts;
        }
        let lines = util::Lines::new(file.content);
        let line_of = |n: roxmltree::Node<'_, '_>| lines.at(n.range().start);
        let mut seen = std::collections::HashSet::new();
        for case in root.descendants().filter(|n| n.has_tag_name("testcase")) {
            let Some(problem) = case.children().find(|c| c.has_tag_name("failure") || c.has_tag_name("error")) else {
                continue;
            };
            let name = case.attribute("name").unwrap_or("").to_string();
            let suite = case.ancestors().find(|a| a.has_tag_name("testsuite")).and_then(|s| s.attribute("name"));
            let classname = case.attribute("classname").or(suite).unwrap_or("").to_string();
            let mut qualified = format!("{classname}::{name}");
            let mut k = 2;
            while !seen.insert(qualified.clone()) {
                qualified = format!("{classname}::{name}#{k}");
                k += 1;
            }
            let fid = NodeId::failure(file.repo, file.path, &qualified);
            let start = line_of(case);
            let end = lines.at(case.range().end);
            let body: String = problem.text().unwrap_or("").trim().to_string();
            let message = problem.attribute("message").unwrap_or("").to_string();
            let text = if body.is_empty() { message.clone() } else { body };
            let mut node = Node::new(
                fid.clone(),
                NodeKind::Failure,
                qualified.clone(),
                util::declared(file, Some(Span::new(start, end)), JUNIT),
            )
            .with_attr("failure_kind", if problem.has_tag_name("error") { "test-error" } else { "test-failure" })
            .with_attr("test_name", name.clone())
            .with_attr("classname", classname.clone())
            .with_attr("message", util::truncate(&message, 1024))
            .with_text(util::truncate(&text, MAX_FAILURE_TEXT));
            if let Some(t) = problem.attribute("type") {
                node = node.with_attr("type", t);
            }
            if let Some(f) = case.attribute("file") {
                node = node.with_attr("test_file", f);
            }
            if let Some(t) = case.attribute("time") {
                node = node.with_attr("time", t);
            }
            facts.node(node);
            if !name.is_empty() {
                facts.reference(
                    Reference::key(
                        fid,
                        EdgeKind::Affected,
                        NS_TEST,
                        name,
                        util::inferred(file, Some(Span::line(line_of(problem))), JUNIT, 0.9),
                    )
                    .with_attr("classname", classname),
                );
            }
        }
        facts
    }
}

/// Resolves JUnit `Key{test, name}` references against `Test` nodes; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct FailurePass;

/// The path fragment a classname suggests: `tests.test_consumer` → `tests/test_consumer`,
/// `com.acme.OrderTest` → `com/acme/OrderTest`.
pub fn classname_path(classname: &str) -> String {
    classname.replace(['.', '\\'], "/").replace("::", "/")
}

/// Whether a classname path hint points at a test file: the file stem ends
/// with it (`com/acme/OrderTest` ~ `src/test/java/com/acme/OrderTest.java`),
/// it names a class inside the module (`tests/test_a/TestX` ~ `tests/test_a.py`),
/// or it ends with the file's directory (Go packages: `github.com/acme/x/store` ~ `store/db_test.go`).
pub fn classname_matches_path(hint: &str, path: &str) -> bool {
    let stem = path.rsplit_once('.').map(|(s, _)| s).unwrap_or(path);
    let dir = crate::util::dir_of(path);
    stem.ends_with(hint)
        || hint.ends_with(stem)
        || hint.starts_with(&format!("{stem}/"))
        || hint.contains(&format!("/{stem}/"))
        || (!dir.is_empty() && (hint == dir || hint.ends_with(&format!("/{dir}"))))
}

impl LinkPass for FailurePass {
    fn name(&self) -> &'static str {
        "failures"
    }
    fn run(&self, ctx: &mut LinkContext) {
        let unresolved = ctx.take_unresolved();
        let mut tests_by_name: std::collections::HashMap<String, Vec<(NodeId, String)>> =
            std::collections::HashMap::new();
        for n in ctx.nodes_of_kind(NodeKind::Test) {
            tests_by_name.entry(n.name.clone()).or_default().push((n.id.clone(), n.prov.path.to_string()));
        }
        let mut edges = Vec::new();
        for r in unresolved {
            let brain_model::RefTarget::Key { ns: n, key, .. } = &r.target else {
                ctx.push_unresolved(r);
                continue;
            };
            if n != NS_TEST {
                ctx.push_unresolved(r);
                continue;
            }
            let cands = tests_by_name.get(key).cloned().unwrap_or_default();
            let hint = classname_path(r.attr("classname").unwrap_or(""));
            let by_path: Vec<&(NodeId, String)> =
                cands.iter().filter(|(_, p)| !hint.is_empty() && classname_matches_path(&hint, p)).collect();
            let picked: Vec<(NodeId, f32)> = if !by_path.is_empty() {
                by_path.into_iter().map(|(id, _)| (id.clone(), 0.9)).collect()
            } else if cands.len() == 1 {
                vec![(cands[0].0.clone(), 0.6)]
            } else {
                Vec::new()
            };
            if picked.is_empty() {
                ctx.push_unresolved(r);
                continue;
            }
            for (to, conf) in picked {
                let mut prov: Provenance = r.prov.clone();
                prov.origin = brain_model::Origin::inferred(conf);
                let mut e = Edge::new(r.from.clone(), EdgeKind::Affected, to, prov);
                e.attrs = r.attrs.clone();
                edges.push(e);
            }
        }
        for e in edges {
            ctx.add_edge(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classnames_point_at_test_files() {
        let m = |c: &str, p: &str| classname_matches_path(&classname_path(c), p);
        assert!(m("tests.test_consumer", "tests/test_consumer.py"));
        assert!(m("tests.test_consumer.TestInvoices", "tests/test_consumer.py"));
        assert!(m("com.acme.OrderTest", "src/test/java/com/acme/OrderTest.java"));
        assert!(m("github.com/acme/orders/store", "store/db_test.go"));
        assert!(!m("tests.test_api", "tests/test_consumer.py"));
        assert!(!m("com.acme.OrderTest", "src/test/java/com/acme/UserTest.java"));
    }
}
