//! Shared answer types ([`Evidence`], [`Hop`]) and graph helpers used by every
//! query: provenance joined with the repo's indexed commit, the file/repo an
//! entity lives in, services by repo directory, and attribute keys this crate
//! reads that are not (yet) in `brain_model::attr`.

use brain_graph::Graph;
use brain_model::{attr, EdgeKind, Node, NodeId, NodeKind, Provenance, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Attribute keys read or written by this crate that `brain_model::attr` does not define.
pub mod keys {
    /// Effective status of a decision after supersession (`superseded`), preferred over `status`.
    pub const CURRENT_STATUS: &str = "current_status";
    /// Directory (relative to the repo) a Document's instructions apply to (`""` or `.` = whole repo).
    pub const APPLIES_TO: &str = "applies_to";
    /// Comma-separated tags of a lesson, failure or any entity (review policy rules match them).
    pub const TAGS: &str = "tags";
    /// Author of a lesson, failure or run.
    pub const AUTHOR: &str = "author";
    /// First day (ISO 8601) a lesson is valid.
    pub const VALID_FROM: &str = "valid_from";
    /// Last day (ISO 8601) a lesson is valid.
    pub const VALID_UNTIL: &str = "valid_until";
    /// Creation time (ISO 8601, UTC) of an API-written record.
    pub const CREATED: &str = "created";
    /// Set by the graph builder on lessons/failures whose targets vanished.
    pub const STALE_TARGETS: &str = "stale_targets";
    /// The task text of a run.
    pub const TASK: &str = "task";
    /// The agent that did a run.
    pub const AGENT: &str = "agent";
    /// Evidence lines of a run, newline-separated.
    pub const EVIDENCE: &str = "evidence";
    /// Title of a failure.
    pub const TITLE: &str = "title";
}

/// Where a node or edge came from, with the repo's indexed commit joined in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    pub repo: String,
    pub path: String,
    pub span: Option<Span>,
    pub ingestor: String,
    /// `true` for declared facts (a manifest, a spec, CODEOWNERS), `false` for inferred ones.
    pub declared: bool,
    pub confidence: f32,
    /// The indexed commit of `repo` in this snapshot, when known.
    pub commit: Option<String>,
}

impl Evidence {
    pub fn new(graph: &Graph, prov: &Provenance) -> Self {
        Evidence {
            repo: prov.repo.to_string(),
            path: prov.path.to_string(),
            span: prov.span,
            ingestor: prov.ingestor.to_string(),
            declared: prov.origin.is_declared(),
            confidence: prov.origin.confidence(),
            commit: graph.repo(&prov.repo).and_then(|r| r.commit.clone()),
        }
    }
    /// `repo:path:line` (or a shorter form when parts are missing), plus `@commit` (12 chars).
    pub fn location(&self) -> String {
        let mut s = match self.span {
            Some(sp) if sp.start_line == sp.end_line => format!("{}:{}:{}", self.repo, self.path, sp.start_line),
            Some(sp) => format!("{}:{}:{}-{}", self.repo, self.path, sp.start_line, sp.end_line),
            None if self.path.is_empty() => self.repo.clone(),
            None => format!("{}:{}", self.repo, self.path),
        };
        if let Some(c) = &self.commit {
            s.push('@');
            s.extend(c.chars().take(12));
        }
        s
    }
}

/// One edge of a chain, oriented the way the query walked it.
///
/// `from` is the end nearer to the query's start (the change, the seed, the
/// path's origin); `to` the end further away. `forward` tells whether the
/// stored edge points `from -> to` (`true`) or `to -> from` (`false`): a
/// blast-radius hop from an operation to its consumer has `edge = consumes`
/// and `forward = false`, because the stored edge is `consumer --consumes--> op`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    pub from: NodeId,
    pub edge: EdgeKind,
    pub to: NodeId,
    pub forward: bool,
    pub evidence: Evidence,
}

impl Hop {
    /// `a -calls-> b` or `a <-calls- b` (stored direction shown by the arrow).
    pub fn render(&self) -> String {
        if self.forward {
            format!("{} -{}-> {}", self.from, self.edge, self.to)
        } else {
            format!("{} <-{}- {}", self.from, self.edge, self.to)
        }
    }
}

/// A short reference to an entity, for lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityRef {
    pub id: NodeId,
    pub kind: NodeKind,
    pub name: String,
    pub repo: String,
    pub path: String,
    pub span: Option<Span>,
}

impl EntityRef {
    pub fn of(node: &Node) -> Self {
        EntityRef {
            id: node.id.clone(),
            kind: node.kind,
            name: node.name.clone(),
            repo: node.prov.repo.to_string(),
            path: node.prov.path.to_string(),
            span: node.prov.span,
        }
    }
}

/// The id of the File node `node` was declared in (it may not exist).
pub fn file_id(node: &Node) -> Option<NodeId> {
    if node.kind == NodeKind::File {
        return Some(node.id.clone());
    }
    if node.prov.repo.is_empty() || node.prov.path.is_empty() {
        return None;
    }
    Some(NodeId::file(&node.prov.repo, &node.prov.path))
}

/// The id of the Spec node for the file `node` was declared in, when that is a spec.
pub fn spec_id(node: &Node) -> Option<NodeId> {
    if node.prov.repo.is_empty() || node.prov.path.is_empty() {
        return None;
    }
    Some(NodeId::spec(&node.prov.repo, &node.prov.path))
}

/// The ids that stand for "where this entity lives", most specific first:
/// the entity, its file, its spec document, its repo. Only existing nodes.
pub fn containers(graph: &Graph, node: &Node) -> Vec<NodeId> {
    let mut out = vec![node.id.clone()];
    for id in [file_id(node), spec_id(node)].into_iter().flatten() {
        if id != node.id && graph.contains(&id) && !out.contains(&id) {
            out.push(id);
        }
    }
    if !node.prov.repo.is_empty() {
        let r = NodeId::repo(&node.prov.repo);
        if r != node.id && graph.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Status of a decision: `current_status` if set, else `status`, else `unknown`.
pub fn decision_status(node: &Node) -> String {
    node.attr(keys::CURRENT_STATUS).or_else(|| node.attr(attr::STATUS)).unwrap_or("unknown").to_ascii_lowercase()
}

/// Tags of an entity from the comma-separated `tags` attribute.
pub fn tags_of(node: &Node) -> Vec<String> {
    node.attr(keys::TAGS)
        .map(|t| t.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

/// Services by repo: which Service nodes are built from (a directory of) a
/// repo or contain a file directly. Built once per query from the few
/// Service nodes; [`ServiceIndex::service_of`] picks the longest directory match.
#[derive(Debug, Default)]
pub struct ServiceIndex {
    by_repo: BTreeMap<String, Vec<(String, NodeId)>>,
}

impl ServiceIndex {
    pub fn build(graph: &Graph) -> Self {
        let mut by_repo: BTreeMap<String, Vec<(String, NodeId)>> = BTreeMap::new();
        for svc in graph.nodes_of_kind(NodeKind::Service) {
            for e in graph.outgoing(&svc.id) {
                if e.edge.kind == EdgeKind::BuiltFrom && e.other.kind == NodeKind::Repo {
                    let repo = e.other.id.as_str().strip_prefix("repo:").unwrap_or(&e.other.name).to_string();
                    let dir = e.edge.attr(attr::DIR).or_else(|| svc.attr(attr::DIR)).unwrap_or("");
                    let dir = dir.trim_matches('/').trim_start_matches("./").trim_matches('.').to_string();
                    by_repo.entry(repo).or_default().push((dir, svc.id.clone()));
                }
            }
        }
        for v in by_repo.values_mut() {
            v.sort();
            v.dedup();
        }
        ServiceIndex { by_repo }
    }

    /// The service a node belongs to: a Service that `contains` its file, else
    /// the service built from the longest directory prefix of its path.
    pub fn service_of(&self, graph: &Graph, node: &Node) -> Option<NodeId> {
        if node.kind == NodeKind::Service {
            return Some(node.id.clone());
        }
        if let Some(f) = file_id(node) {
            for e in graph.incoming(&f) {
                if e.edge.kind == EdgeKind::Contains && e.other.kind == NodeKind::Service {
                    return Some(e.other.id.clone());
                }
            }
        }
        let cands = self.by_repo.get(node.prov.repo.as_str())?;
        let path = node.prov.path.as_str();
        cands
            .iter()
            .filter(|(dir, _)| dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/")))
            .max_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| b.1.cmp(&a.1)))
            .map(|(_, id)| id.clone())
    }
}

/// Kinds that form a contract boundary between producer and consumer.
pub fn is_contract_kind(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Operation | NodeKind::Topic | NodeKind::DataType | NodeKind::Field | NodeKind::Spec)
}

/// Converts Unix seconds to an ISO 8601 date (`2026-11-21`), UTC.
pub fn iso_date(unix_secs: u64) -> String {
    brain_model::history::iso_date(i64::try_from(unix_secs).unwrap_or(i64::MAX))
}

/// Converts Unix seconds to an ISO 8601 UTC timestamp (`2026-11-21T12:00:00Z`).
pub fn iso_datetime(unix_secs: u64) -> String {
    let secs = unix_secs % 86_400;
    format!("{}T{:02}:{:02}:{:02}Z", iso_date(unix_secs), secs / 3600, (secs / 60) % 60, secs % 60)
}

/// Shortens `s` to at most `max` characters, adding `…` when cut.
pub fn short(s: &str, max: usize) -> String {
    let first_line = s.lines().next().unwrap_or("");
    if first_line.chars().count() <= max {
        return first_line.to_string();
    }
    let mut out: String = first_line.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Line range used by changes and diffs: 1-based, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LineRange {
    pub start: u32,
    pub end: u32,
}

impl LineRange {
    pub fn new(start: u32, end: u32) -> Self {
        LineRange { start: start.min(end), end: end.max(start) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_convert() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(1_700_000_000), "2023-11-14");
        assert_eq!(iso_datetime(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(iso_date(951_782_400), "2000-02-29");
    }

    #[test]
    fn short_cuts_on_chars() {
        assert_eq!(short("héllo wörld", 5), "héll…");
        assert_eq!(short("a\nb", 5), "a");
    }
}

/// A fast hasher for node indices (graph-local integers, not attacker-chosen keys).
#[derive(Default, Clone, Copy)]
pub struct IdxHasher(u64);

impl std::hash::Hasher for IdxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A `HashMap` keyed by node index with [`IdxHasher`].
pub type IdxMap<V> = std::collections::HashMap<petgraph::graph::NodeIndex, V, std::hash::BuildHasherDefault<IdxHasher>>;
