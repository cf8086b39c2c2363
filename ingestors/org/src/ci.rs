//! CI jobs: GitHub Actions workflows (`.github/workflows/*.yml|yaml`) and
//! GitLab CI (`.gitlab-ci.yml`).
//!
//! One `CiJob` node per job `ci:<repo>:<path>#<job>` with attrs `triggers`
//! (events, with `branches`/`paths` filters), `paths` (path filter globs),
//! `commands` (run steps / script lines joined, truncated to 4 KB), `runs_on`
//! (runner labels, GitLab `tags`), `uses` (actions), `stage` (GitLab). A job
//! whose commands run tests (`cargo test`, `pytest`, `go test`, `npm test`,
//! `mvn test`, `gradle test`, `dotnet test`, ...) gets attr `test_command`
//! (the matching lines) and, when the command names paths (`pytest tests/`),
//! attr `test_paths`. Each job `Runs` its repo (declared); test commands are
//! not resolved to `Test` nodes here (the query engine matches `test_paths`).

use crate::util;
use brain_ingest_contracts::yaml::{get_str, line_of, MarkedMappingNode, Node as YNode};
use brain_model::{Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Severity, SourceFile, Span};
use regex::Regex;
use std::sync::OnceLock;

/// Ingestor name, recorded in provenance.
pub const NAME: &str = "ci";
const MAX_COMMANDS: usize = 4096;

fn test_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?x)\b(cargo\s+(?:test|nextest)|(?:python3?\s+-m\s+)?pytest|go\s+test|(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?test|jest|vitest|mvn\S*\s+(?:[^\n]*\s)?(?:test|verify)|(?:\./)?gradlew?\s+(?:[^\n]*\s)?(?:test|check)|dotnet\s+test|tox|make\s+test)\b",
        )
        .unwrap_or_else(|_| unreachable!())
    })
}

/// Test command lines among `commands`, and the paths they name.
pub fn test_commands(commands: &str) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut paths = Vec::new();
    for l in commands.lines() {
        if !test_re().is_match(l) {
            continue;
        }
        lines.push(l.trim().to_string());
        for part in l.split("&&").flat_map(|p| p.split([';', '|'])) {
            let Some(m) = test_re().find(part) else { continue };
            for arg in part[m.end()..].split_whitespace() {
                if arg.starts_with('-') || arg.contains(['=', '$', '{', '*']) {
                    continue;
                }
                if arg.contains('/') || arg.ends_with(".py") {
                    let p = arg.trim_start_matches("./").trim_end_matches("...").trim_end_matches('/').to_string();
                    if !p.is_empty() && p != "." && !paths.contains(&p) {
                        paths.push(p);
                    }
                }
            }
        }
    }
    (lines, paths)
}

fn is_gh_workflow(path: &str) -> bool {
    path.starts_with(".github/workflows/") && (path.ends_with(".yml") || path.ends_with(".yaml"))
}

/// Reads CI definitions.
#[derive(Debug, Default, Clone, Copy)]
pub struct CiIngestor;

impl Ingestor for CiIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        is_gh_workflow(path) || path == ".gitlab-ci.yml" || path.ends_with("/.gitlab-ci.yml")
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let (docs, stripped) = util::parse_yaml_tolerant(file.content);
        if stripped {
            facts.diagnostic(util::diag(
                file,
                Severity::Info,
                "yaml.anchors-dropped",
                None,
                "YAML anchors/aliases were not expanded; merged keys are missing",
            ));
        }
        for doc in &docs {
            let root = match &doc.root {
                Ok(r) => r,
                Err(e) => {
                    facts.diagnostic(util::diag(file, Severity::Warning, "ci.yaml", Some(e.line), e.message.clone()));
                    continue;
                }
            };
            let Some(map) = root.as_mapping() else { continue };
            if is_gh_workflow(file.path) {
                github(file, map, &mut facts);
            } else {
                gitlab(file, map, &mut facts);
            }
        }
        facts
    }
}

fn scalars(node: Option<&YNode>) -> Vec<String> {
    util::yaml_strings(node).into_iter().map(|(s, _)| s).collect()
}

fn github(file: &SourceFile<'_>, map: &MarkedMappingNode, facts: &mut Facts) {
    let mut triggers = Vec::new();
    let mut paths = Vec::new();
    match map.get_node("on").or_else(|| map.get_node("true")) {
        Some(YNode::Mapping(on)) => {
            for (event, cfg) in on.iter() {
                let mut t = event.as_str().to_string();
                if let Some(cfg) = cfg.as_mapping() {
                    let branches = scalars(cfg.get_node("branches"));
                    if !branches.is_empty() {
                        t.push_str(&format!("(branches: {})", branches.join(",")));
                    }
                    let p = scalars(cfg.get_node("paths"));
                    if !p.is_empty() {
                        t.push_str(&format!("(paths: {})", p.join(",")));
                        paths.extend(p);
                    }
                    let ignore = scalars(cfg.get_node("paths-ignore"));
                    if !ignore.is_empty() {
                        t.push_str(&format!("(paths-ignore: {})", ignore.join(",")));
                    }
                }
                triggers.push(t);
            }
        }
        other => triggers.extend(scalars(other)),
    }
    let Some(jobs) = map.get_mapping("jobs") else { return };
    for (key, job) in jobs.iter() {
        let Some(job) = job.as_mapping() else { continue };
        let mut commands = Vec::new();
        let mut uses = Vec::new();
        if let Some(steps) = job.get_sequence("steps") {
            for s in steps.iter().filter_map(YNode::as_mapping) {
                if let Some(r) = get_str(s, "run") {
                    commands.push(r.trim().to_string());
                }
                if let Some(u) = get_str(s, "uses") {
                    uses.push(u.to_string());
                }
            }
        }
        let runs_on = scalars(job.get_node("runs-on")).join(",");
        let line = key.span().start().map(|m| m.line() as u32).unwrap_or(1);
        let end = job.span().end().map(|m| (m.line() as u32).saturating_sub(1)).unwrap_or(line).max(line);
        let mut extra = vec![("runs_on", runs_on), ("uses", uses.join(","))];
        if let Some(n) = get_str(job, "name") {
            extra.push(("title", n.to_string()));
        }
        emit_job(file, key.as_str(), Span::new(line, end), &triggers, &paths, &commands, extra, facts);
    }
}

const GITLAB_RESERVED: &[&str] = &[
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "pages:deploy",
];

fn gitlab(file: &SourceFile<'_>, map: &MarkedMappingNode, facts: &mut Facts) {
    for (key, job) in map.iter() {
        let name = key.as_str();
        if name.starts_with('.') || GITLAB_RESERVED.contains(&name) {
            continue;
        }
        let Some(job) = job.as_mapping() else { continue };
        if job.get_node("script").is_none() && job.get_node("trigger").is_none() && job.get_node("extends").is_none() {
            continue;
        }
        let mut commands = scalars(job.get_node("before_script"));
        commands.extend(scalars(job.get_node("script")));
        let mut triggers = Vec::new();
        let mut paths = Vec::new();
        for k in ["only", "except"] {
            let v = scalars(job.get_node(k));
            if !v.is_empty() {
                triggers.push(format!("{k}: {}", v.join(",")));
            }
        }
        if let Some(rules) = job.get_sequence("rules") {
            for r in rules.iter().filter_map(YNode::as_mapping) {
                if let Some(i) = get_str(r, "if") {
                    triggers.push(format!("if: {i}"));
                }
                let c = scalars(r.get_node("changes"));
                paths.extend(c);
            }
        }
        let line =
            key.span().start().map(|m| m.line() as u32).or_else(|| line_of(&YNode::Mapping(job.clone()))).unwrap_or(1);
        let end = job.span().end().map(|m| (m.line() as u32).saturating_sub(1)).unwrap_or(line).max(line);
        let mut extra = vec![("runs_on", scalars(job.get_node("tags")).join(","))];
        if let Some(s) = get_str(job, "stage") {
            extra.push(("stage", s.to_string()));
        }
        if let Some(img) = get_str(job, "image") {
            extra.push(("image", img.to_string()));
        }
        emit_job(file, name, Span::new(line, end), &triggers, &paths, &commands, extra, facts);
    }
}

#[allow(clippy::too_many_arguments)]
fn emit_job(
    file: &SourceFile<'_>,
    job: &str,
    span: Span,
    triggers: &[String],
    paths: &[String],
    commands: &[String],
    extra: Vec<(&str, String)>,
    facts: &mut Facts,
) {
    let id = NodeId::ci_job(file.repo, file.path, job);
    let prov = util::declared(file, Some(span), NAME);
    let joined = commands.join("\n");
    let mut node = Node::new(id.clone(), NodeKind::CiJob, job, prov.clone())
        .with_attr("triggers", triggers.join("; "))
        .with_attr("commands", util::truncate(&joined, MAX_COMMANDS))
        .with_text(util::truncate(&joined, MAX_COMMANDS));
    if !paths.is_empty() {
        node = node.with_attr("paths", paths.join(","));
    }
    for (k, v) in extra {
        if !v.is_empty() {
            node = node.with_attr(k, v);
        }
    }
    let (tests, test_paths) = test_commands(&joined);
    if !tests.is_empty() {
        node = node.with_attr("test_command", tests.join("\n"));
    }
    if !test_paths.is_empty() {
        node = node.with_attr("test_paths", test_paths.join(","));
    }
    facts.node(node);
    facts.edge(Edge::new(id, EdgeKind::Runs, NodeId::repo(file.repo), prov));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_test_commands() {
        let (lines, paths) = test_commands("npm ci\npytest tests/ -q\ngo test ./pkg/... -race\necho done");
        assert_eq!(lines, vec!["pytest tests/ -q".to_string(), "go test ./pkg/... -race".to_string()]);
        assert_eq!(paths, vec!["tests".to_string(), "pkg".to_string()]);
        let (_, paths) = test_commands("go test ./... && go test ./cmd/x/ -run $T");
        assert_eq!(paths, vec!["cmd/x".to_string()]);
        assert!(test_commands("cargo build").0.is_empty());
    }
}
