//! [`DecisionPass`]: what ADRs mean once the whole graph is known.
//!
//! - Supersession: "Superseded by X" mentions become `X --supersedes--> self`
//!   (and "Amended by" becomes `amends`); a decision superseded by one whose
//!   status is accepted (or unknown) gets attr `current_status=superseded`,
//!   every other decision `current_status` = its own status.
//! - Findings (diagnostics with file and line): `adr.superseded-without-link`
//!   (status says superseded, nothing says by what), `adr.status-not-updated`
//!   (superseded by an accepted decision but still says accepted),
//!   `adr.broken-link` (a supersedes/amends link to no decision),
//!   `adr.index-broken` / `adr.index-missing` (an index README listing ADRs
//!   that do not exist, or not listing ones that do).
//! - `Governs` edges (inferred) from each decision to the entities it names:
//!   repos, services, internal packages, specs, topics and CamelCase data types
//!   by whole-word match of distinctive names (at least 4 characters, not a
//!   generic word); operations, fields and symbols (unique names only) only
//!   when written as inline code and only compound names (`registerPlugins`,
//!   `order_id`; never `Source` or `Handler`); `GET /orders/{orderId}` in inline code
//!   matches the operation providing that HTTP key and a topic name the topic's
//!   providers. Confidence: inline code 0.9, a full repo
//!   name 0.85, a name with a separator or inner capital 0.75, a plain word
//!   0.6 — and a plain word only when followed by an entity noun ("the orders
//!   service") or capitalised mid-sentence ("Kafka"), never in ordinary prose
//!   ("new orders"). Attr `matched` holds the text that matched.

use crate::adr::{self, INDEX_LINKS, RELATION};
use crate::util;
use brain_graph::{LinkContext, LinkPass};
use brain_model::{attr, Diagnostic, Edge, EdgeKind, NodeId, NodeKind, Provenance, Severity, Span};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Attr on decisions: the status after supersession is taken into account.
pub const CURRENT_STATUS: &str = "current_status";
/// Attr on `Governs` edges: the text that matched.
pub const MATCHED: &str = "matched";

/// Nouns after a plain word that make it an entity name ("the orders service").
const ENTITY_NOUNS: &[&str] = &[
    "service",
    "services",
    "repo",
    "repos",
    "repository",
    "api",
    "worker",
    "team",
    "module",
    "package",
    "library",
    "database",
    "db",
    "topic",
    "queue",
    "cluster",
    "component",
    "system",
    "app",
    "application",
    "server",
    "job",
];

/// Generic words never matched as plain text.
const GENERIC: &[&str] = &[
    "api",
    "apis",
    "app",
    "apps",
    "web",
    "server",
    "service",
    "services",
    "client",
    "worker",
    "gateway",
    "frontend",
    "backend",
    "database",
    "cache",
    "proxy",
    "main",
    "core",
    "common",
    "shared",
    "utils",
    "util",
    "docs",
    "test",
    "tests",
    "data",
    "config",
    "admin",
    "auth",
    "build",
    "deploy",
    "infra",
    "platform",
    "internal",
    "public",
    "src",
    "lib",
    "libs",
    "tools",
    "scripts",
    "example",
    "examples",
    "demo",
    "default",
    "base",
    "none",
    "true",
    "false",
    "status",
    "context",
    "decision",
    "decisions",
    "consequences",
    "accepted",
    "proposed",
    "deprecated",
    "superseded",
    "record",
    "records",
    "this",
    "that",
    "with",
    "from",
    "will",
    "should",
    "must",
    "when",
    "have",
    "more",
    "other",
    "user",
    "users",
    "team",
    "teams",
    "code",
    "model",
    "models",
    "event",
    "events",
    "error",
    "errors",
    "state",
    "store",
    "index",
    "types",
    "type",
    "schema",
    "schemas",
    "version",
    "time",
    "date",
    "name",
    "value",
    "values",
    "item",
    "items",
];

/// The ADR link pass; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct DecisionPass;

#[derive(Clone, Copy, PartialEq)]
enum Class {
    /// May match plain text.
    Plain,
    /// Only when written as inline code.
    CodeOnly,
}

struct Target {
    id: NodeId,
    class: Class,
    repo_full: bool,
}

impl LinkPass for DecisionPass {
    fn name(&self) -> &'static str {
        "decisions"
    }
    fn run(&self, ctx: &mut LinkContext) {
        supersession(ctx);
        broken_links(ctx);
        indexes(ctx);
        governs(ctx);
    }
}

fn is_decision(ctx: &LinkContext, id: &NodeId) -> bool {
    ctx.node(id).is_some_and(|n| n.kind == NodeKind::Decision)
}

/// `(id, status, repo, path, status line)` of a decision.
type DecisionRow = (NodeId, Option<String>, String, String, Option<u32>);

fn supersession(ctx: &mut LinkContext) {
    let mut superseded_by: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
    let mut new_edges = Vec::new();
    for e in ctx.edges() {
        if !is_decision(ctx, &e.from) || !is_decision(ctx, &e.to) {
            continue;
        }
        match (e.kind, e.attr(RELATION)) {
            (EdgeKind::Supersedes, _) => superseded_by.entry(e.to.clone()).or_default().push(e.from.clone()),
            (EdgeKind::Mentions, Some("superseded_by")) => {
                superseded_by.entry(e.from.clone()).or_default().push(e.to.clone());
                new_edges.push(
                    Edge::new(e.to.clone(), EdgeKind::Supersedes, e.from.clone(), e.prov.clone())
                        .with_attr(RELATION, "superseded_by"),
                );
            }
            (EdgeKind::Mentions, Some("amended_by")) => new_edges.push(
                Edge::new(e.to.clone(), EdgeKind::Amends, e.from.clone(), e.prov.clone())
                    .with_attr(RELATION, "amended_by"),
            ),
            _ => {}
        }
    }
    for e in new_edges {
        ctx.add_edge(e);
    }
    let decisions: Vec<DecisionRow> = ctx
        .nodes_of_kind(NodeKind::Decision)
        .map(|n| {
            (
                n.id.clone(),
                n.attr(attr::STATUS).map(str::to_string),
                n.prov.repo.to_string(),
                n.prov.path.to_string(),
                n.attr("status_line").and_then(|l| l.parse().ok()),
            )
        })
        .collect();
    let status_of: HashMap<NodeId, Option<String>> = decisions.iter().map(|d| (d.0.clone(), d.1.clone())).collect();
    for (id, status, repo, path, line) in decisions {
        let mut by = superseded_by.get(&id).cloned().unwrap_or_default();
        by.sort();
        by.dedup();
        let by_accepted = by.iter().any(|b| {
            matches!(
                status_of.get(b).cloned().flatten().as_deref(),
                None | Some("accepted" | "approved" | "adopted" | "decided" | "done")
            )
        });
        let own = status.clone().unwrap_or_else(|| "unknown".into());
        let current = if by_accepted { "superseded".to_string() } else { own.clone() };
        if let Some(n) = ctx.node_mut(&id) {
            n.attrs.insert(CURRENT_STATUS, current);
        }
        if matches!(own.as_str(), "superseded" | "replaced") && by.is_empty() {
            ctx.diagnostic(Diagnostic::new(
                Severity::Warning,
                "adr.superseded-without-link",
                &repo,
                &path,
                line,
                "status says superseded but no decision is linked as its successor",
            ));
        }
        if by_accepted && own == "accepted" {
            ctx.diagnostic(Diagnostic::new(
                Severity::Info,
                "adr.status-not-updated",
                &repo,
                &path,
                line,
                format!(
                    "superseded by {} but its status still says accepted",
                    by.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
}

fn broken_links(ctx: &mut LinkContext) {
    let unresolved = ctx.take_unresolved();
    for r in unresolved {
        if r.prov.ingestor == adr::NAME {
            let target = match &r.target {
                brain_model::RefTarget::AnyOf(c) => c.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(" | "),
                brain_model::RefTarget::Key { key, .. } => format!("decision {key}"),
            };
            ctx.diagnostic(Diagnostic::new(
                Severity::Warning,
                "adr.broken-link",
                &r.prov.repo,
                &r.prov.path,
                r.prov.span.map(|s| s.start_line),
                format!("{} link to {target}, which is not a known decision", r.attr(RELATION).unwrap_or("relation")),
            ));
        }
        ctx.push_unresolved(r);
    }
}

fn indexes(ctx: &mut LinkContext) {
    let idx: Vec<(String, String, String)> = ctx
        .nodes_of_kind(NodeKind::Document)
        .filter(|n| n.attr("doc_kind") == Some("adr-index"))
        .map(|n| (n.prov.repo.to_string(), n.prov.path.to_string(), n.attr(INDEX_LINKS).unwrap_or("").to_string()))
        .collect();
    for (repo, path, links) in idx {
        let dir = util::dir_of(&path).to_string();
        let listed: Vec<(String, u32)> = links
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(p, n)| (p.to_string(), n.parse().unwrap_or(1)))
            .collect();
        let decisions_here: Vec<String> = ctx
            .nodes_of_kind(NodeKind::Decision)
            .filter(|n| n.prov.repo == repo && util::dir_of(&n.prov.path) == dir)
            .map(|n| n.prov.path.to_string())
            .collect();
        let listed_adrs = listed.iter().filter(|(p, _)| util::dir_of(p) == dir).count();
        if listed_adrs == 0 {
            continue; // a README that lists no ADRs is not an index
        }
        for (p, line) in &listed {
            if util::dir_of(p) != dir {
                continue;
            }
            if !ctx.contains(&NodeId::decision(&repo, p)) && !ctx.contains(&NodeId::file(&repo, p)) {
                ctx.diagnostic(Diagnostic::new(
                    Severity::Warning,
                    "adr.index-broken",
                    &repo,
                    &path,
                    Some(*line),
                    format!("index lists {p}, which does not exist"),
                ));
            }
        }
        let listed_set: HashSet<&str> = listed.iter().map(|(p, _)| p.as_str()).collect();
        for d in decisions_here {
            if !listed_set.contains(d.as_str()) {
                ctx.diagnostic(Diagnostic::new(
                    Severity::Info,
                    "adr.index-missing",
                    &repo,
                    &path,
                    None,
                    format!("index does not list {d}"),
                ));
            }
        }
    }
}

fn distinctive(name: &str) -> bool {
    name.chars().count() >= 4 && !GENERIC.contains(&name.to_ascii_lowercase().as_str())
}

fn has_separator_or_camel(name: &str) -> bool {
    name.contains(['-', '_', '.', '/']) || name.chars().skip(1).any(char::is_uppercase)
}

/// A name of several words: a separator inside it or a lower-case letter followed by a capital.
fn compound(name: &str) -> bool {
    let inner = name.trim_matches(|c: char| !c.is_alphanumeric());
    inner.contains(['-', '_', '.', '/'])
        || inner.chars().zip(inner.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_uppercase())
}

fn governs(ctx: &mut LinkContext) {
    // name -> targets
    let mut plain: HashMap<String, Vec<Target>> = HashMap::new(); // lowercase keys
    let mut code: HashMap<String, Vec<Target>> = HashMap::new(); // exact keys
    let mut symbol_count: HashMap<&str, usize> = HashMap::new();
    for n in ctx.nodes_of_kind(NodeKind::Symbol) {
        *symbol_count.entry(n.name.as_str()).or_default() += 1;
    }
    let add = |map: &mut HashMap<String, Vec<Target>>, key: String, id: &NodeId, class: Class, repo_full: bool| {
        let v = map.entry(key).or_default();
        // One node adds one key once per map, so a repeat can only be the
        // last entry; scanning the whole list was quadratic for names that
        // thousands of fields share (`id`, `name`).
        if v.last().is_none_or(|t| t.id != *id) {
            v.push(Target { id: id.clone(), class, repo_full });
        }
    };
    for n in ctx.nodes() {
        let name = n.name.trim();
        if name.is_empty() {
            continue;
        }
        match n.kind {
            NodeKind::Repo => {
                add(&mut plain, name.to_lowercase(), &n.id, Class::Plain, name.contains('/'));
                add(&mut code, name.to_string(), &n.id, Class::CodeOnly, true);
                if let Some(last) = name.rsplit('/').next().filter(|l| *l != name && distinctive(l)) {
                    add(&mut plain, last.to_lowercase(), &n.id, Class::Plain, false);
                    add(&mut code, last.to_string(), &n.id, Class::CodeOnly, false);
                }
            }
            NodeKind::Service | NodeKind::Topic | NodeKind::Spec => {
                if distinctive(name) {
                    add(&mut plain, name.to_lowercase(), &n.id, Class::Plain, false);
                }
                add(&mut code, name.to_string(), &n.id, Class::CodeOnly, false);
            }
            NodeKind::Package if n.attr(attr::EXTERNAL) != Some("true") => {
                if distinctive(name) {
                    add(&mut plain, name.to_lowercase(), &n.id, Class::Plain, false);
                }
                add(&mut code, name.to_string(), &n.id, Class::CodeOnly, false);
            }
            NodeKind::DataType => {
                if distinctive(name)
                    && name.chars().next().is_some_and(char::is_uppercase)
                    && has_separator_or_camel(name)
                {
                    add(&mut plain, name.to_lowercase(), &n.id, Class::Plain, false);
                }
                add(&mut code, name.to_string(), &n.id, Class::CodeOnly, false);
            }
            // Code names only when they are compounds (`registerPlugins`, `order_id`): a one-word
            // name (`Source`, `Handler`, `URL`) in backticks is as often the concept as this entity.
            NodeKind::Operation | NodeKind::Field if compound(name) => {
                add(&mut code, name.to_string(), &n.id, Class::CodeOnly, false)
            }
            NodeKind::Symbol if symbol_count.get(name) == Some(&1) && name.chars().count() >= 4 && compound(name) => {
                add(&mut code, name.to_string(), &n.id, Class::CodeOnly, false)
            }
            _ => {}
        }
    }
    let providers = ContractKeys::collect(ctx);
    let decisions: Vec<(NodeId, String, String, String, u32)> = ctx
        .nodes_of_kind(NodeKind::Decision)
        .map(|n| {
            let offset = n.attr("body_line").and_then(|l| l.parse().ok()).unwrap_or(1u32);
            (n.id.clone(), n.prov.repo.to_string(), n.prov.path.to_string(), format!("{}\n{}", n.name, n.text), offset)
        })
        .collect();
    for (id, repo, path, text, offset) in decisions {
        // target -> (confidence, matched, line)
        let mut best: BTreeMap<NodeId, (f32, String, u32)> = BTreeMap::new();
        let own_repo = NodeId::repo(&repo);
        let mut consider = |t: &Target, conf: f32, matched: &str, line: u32| {
            // a decision trivially concerns its own repo: not a governs link
            if t.id == id || t.id == own_repo {
                return;
            }
            let e = best.entry(t.id.clone()).or_insert((0.0, String::new(), line));
            if conf > e.0 {
                *e = (conf, matched.to_string(), line);
            }
        };
        let line_of = |l: u32| if l <= 1 { offset } else { offset + l - 2 };
        for (span, l) in util::code_spans(&text) {
            let key = span.trim_matches(|c: char| c == '(' || c == ')' || c == ';');
            if let Some(ts) = code.get(key) {
                let ts: Vec<&Target> = ts.iter().collect();
                if ts.len() <= 8 {
                    for t in ts {
                        consider(t, 0.9, key, line_of(l));
                    }
                }
            }
            // `POST /orders/{orderId}` names an HTTP operation whatever its parameter syntax;
            // `orders.created` may name a topic.
            for t in by_contract_key(&providers, key) {
                consider(&t, 0.9, key, line_of(l));
            }
        }
        // Prose tokens with their line and whether they start the line.
        let mut tokens: Vec<(String, u32, bool)> = Vec::new();
        let mut in_fence = false;
        for (i, raw) in text.lines().enumerate() {
            let t = raw.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                continue;
            }
            let line = line_of(i as u32 + 1);
            let stripped = strip_code_and_links(raw);
            let mut first = true;
            for tok in stripped.split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))) {
                let tok = tok.trim_matches(|c: char| matches!(c, '.' | '-' | '/' | '_'));
                if tok.is_empty() {
                    continue;
                }
                tokens.push((tok.to_string(), line, first));
                first = false;
            }
        }
        for (ti, (tok, line, first)) in tokens.iter().enumerate() {
            if tok.chars().count() < 4 {
                continue;
            }
            let mut keys = vec![tok.clone()];
            if tok.contains('/') {
                keys.extend(tok.split('/').filter(|s| !s.is_empty()).map(str::to_string));
            }
            let next = tokens.get(ti + 1).map(|(n, _, _)| n.to_ascii_lowercase()).unwrap_or_default();
            for k in keys {
                let Some(ts) = plain.get(&k.to_lowercase()) else { continue };
                if ts.len() > 8 {
                    continue;
                }
                let conf = if k.contains('/') && ts.iter().any(|t| t.repo_full) {
                    0.85
                } else if has_separator_or_camel(&k) {
                    0.75
                } else if ENTITY_NOUNS.contains(&next.as_str())
                    || (k.chars().next().is_some_and(char::is_uppercase) && !first)
                {
                    // a plain word counts only as "the orders service" or a proper noun mid-sentence ("Kafka")
                    0.6
                } else {
                    continue;
                };
                for t in ts.iter().filter(|t| t.class == Class::Plain) {
                    consider(t, conf, &k, *line);
                }
            }
        }
        for (to, (conf, matched, line)) in best {
            let prov = Provenance::inferred(&repo, &path, Some(Span::line(line)), adr::NAME, conf);
            ctx.add_edge(Edge::new(id.clone(), EdgeKind::Governs, to, prov).with_attr(MATCHED, matched));
        }
    }
}

/// HTTP operation and topic providers, for matching inline code by contract key.
struct ContractKeys {
    http: HashMap<String, Vec<NodeId>>,
    topics: HashMap<String, Vec<NodeId>>,
}

impl ContractKeys {
    fn collect(ctx: &LinkContext) -> Self {
        let grab = |ns_: &str| -> HashMap<String, Vec<NodeId>> {
            ctx.provided_keys(ns_).map(|(k, v)| (k.to_string(), v.to_vec())).collect()
        };
        ContractKeys { http: grab(attr::ns::HTTP), topics: grab(attr::ns::TOPIC) }
    }
}

const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

fn by_contract_key(keys: &ContractKeys, span: &str) -> Vec<Target> {
    let mk = |ids: &[NodeId]| -> Vec<Target> {
        if ids.len() > 8 {
            return Vec::new();
        }
        ids.iter().map(|id| Target { id: id.clone(), class: Class::CodeOnly, repo_full: false }).collect()
    };
    if let Some((method, path)) = span.split_once(' ') {
        if HTTP_METHODS.contains(&method.to_ascii_uppercase().as_str()) && path.trim_start().starts_with('/') {
            let key = brain_model::wire::http_key(method, path.trim());
            return keys.http.get(&key).map(|v| mk(v)).unwrap_or_default();
        }
    }
    keys.topics.get(span).map(|v| mk(v)).unwrap_or_default()
}

/// Removes inline code spans and link targets so that plain-text matching
/// sees only prose (inline code is matched separately, URLs never).
fn strip_code_and_links(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut chars = line.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code {
            out.push(' ');
        } else if c == '(' && prev == ']' {
            for n in chars.by_ref() {
                if n == ')' {
                    break;
                }
            }
            out.push(' ');
        } else {
            out.push(c);
        }
        prev = c;
    }
    out.split_whitespace().filter(|w| !w.contains("://")).collect::<Vec<_>>().join(" ")
}
