//! What the graph knows *about* entities: their owners, the decisions that
//! govern them, the failures that affected them and the lessons that apply.
//!
//! Each lookup considers an entity together with where it lives (its file,
//! its spec document, its repo, see [`crate::common::containers`]) and says
//! through which of those it found the answer (`via`).

use crate::common::{containers, decision_status, keys, tags_of, Evidence};
use brain_graph::Graph;
use brain_model::{attr, EdgeKind, Node, NodeId, NodeKind};
use petgraph::graph::NodeIndex;
use petgraph::Direction;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An owner of an entity and the rule that made it one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnerRef {
    pub owner: NodeId,
    /// Handle or display name (`@acme/payments`).
    pub name: String,
    /// The entity asked about.
    pub entity: NodeId,
    /// The node the `owns` edge points at: the entity, its file, its spec or its repo.
    pub via: NodeId,
    /// The CODEOWNERS/catalog rule (`file:line`) when the ingestor recorded it.
    pub rule: Option<String>,
    pub evidence: Evidence,
}

/// Owners of `id` through `owns` edges on the entity, its file and its spec;
/// repo-level owners only when nothing more specific owns it. Sorted by owner id.
pub fn owners_of(graph: &Graph, id: &NodeId) -> Vec<OwnerRef> {
    let Some(node) = graph.node(id) else { return Vec::new() };
    let conts = containers(graph, node);
    let mut specific = Vec::new();
    let mut repo_level = Vec::new();
    for c in &conts {
        for e in graph.incoming(c) {
            if e.edge.kind != EdgeKind::Owns {
                continue;
            }
            let r = OwnerRef {
                owner: e.other.id.clone(),
                name: e.other.name.clone(),
                entity: id.clone(),
                via: c.clone(),
                rule: e.edge.attr(attr::RULE).map(str::to_string),
                evidence: Evidence::new(graph, &e.edge.prov),
            };
            if c.prefix() == "repo" && c != id {
                repo_level.push(r);
            } else {
                specific.push(r);
            }
        }
    }
    let mut out = if specific.is_empty() { repo_level } else { specific };
    out.sort_by(|a, b| a.owner.cmp(&b.owner).then_with(|| a.via.cmp(&b.via)));
    out.dedup_by(|a, b| a.owner == b.owner);
    out
}

/// A decision governing an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionRef {
    pub id: NodeId,
    pub title: String,
    /// `current_status` if the ADR ingestor resolved supersession, else `status`.
    pub status: String,
    pub date: Option<String>,
    /// Entities asked about that it governs.
    pub entities: Vec<NodeId>,
    /// The nodes the `governs` edges point at (entity, file, spec, repo or service).
    pub via: Vec<NodeId>,
    pub evidence: Evidence,
}

/// A past failure that affected an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FailureRef {
    pub id: NodeId,
    pub title: String,
    pub severity: Option<String>,
    pub date: Option<String>,
    pub entities: Vec<NodeId>,
    pub via: Vec<NodeId>,
    pub evidence: Evidence,
}

/// A lesson applying to an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonRef {
    pub id: NodeId,
    pub text: String,
    pub status: String,
    /// `true` when some entity it applies to vanished (the builder marks it) or it expired.
    pub stale: bool,
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub valid_until: Option<String>,
    pub entities: Vec<NodeId>,
    pub via: Vec<NodeId>,
    /// Failures the lesson was learned from.
    pub learned_from: Vec<NodeId>,
    pub evidence: Evidence,
}

struct Acc {
    entities: BTreeSet<NodeId>,
    via: BTreeSet<NodeId>,
}

/// Graphs with at most this many nodes of a source kind (lessons, failures,
/// decisions) are searched from the sources: see [`collect`].
const FEW_SOURCES: usize = 4096;

/// Collects `(source node, entity asked about, via)` for edges of `kind` into
/// each entity or its containers.
///
/// Lessons, failures and decisions are few, while an entity or container a
/// packet asks about (a shared data type, an operation every client calls, a
/// repository) can have thousands of incoming edges. So when the graph holds
/// at most [`FEW_SOURCES`] nodes of `from_kind`, their outgoing `kind` edges
/// are walked instead of every container's incoming edges; the result is
/// the same.
fn collect<'g>(
    graph: &'g Graph,
    ids: &[NodeId],
    kind: EdgeKind,
    from_kind: NodeKind,
) -> BTreeMap<NodeId, (&'g Node, Acc)> {
    let mut out: BTreeMap<NodeId, (&Node, Acc)> = BTreeMap::new();
    if graph.nodes_of_kind(from_kind).nth(FEW_SOURCES).is_none() {
        // Container index -> (entity asked about, container id).
        let mut asked: HashMap<NodeIndex, Vec<(&NodeId, NodeId)>> = HashMap::new();
        for id in ids {
            let Some(node) = graph.node(id) else { continue };
            for c in containers(graph, node) {
                if let Some(ci) = graph.index_of(&c) {
                    asked.entry(ci).or_default().push((id, c));
                }
            }
        }
        if asked.is_empty() {
            return out;
        }
        for source in graph.nodes_of_kind(from_kind) {
            let Some(si) = graph.index_of(&source.id) else { continue };
            for (e, target) in graph.neighbors_raw(si, Direction::Outgoing) {
                let Some(list) = asked.get(&target) else { continue };
                if graph.edge_at(e).kind != kind {
                    continue;
                }
                let entry = out
                    .entry(source.id.clone())
                    .or_insert_with(|| (source, Acc { entities: BTreeSet::new(), via: BTreeSet::new() }));
                for (id, c) in list {
                    entry.1.entities.insert((*id).clone());
                    entry.1.via.insert(c.clone());
                }
            }
        }
        return out;
    }
    for id in ids {
        let Some(node) = graph.node(id) else { continue };
        for c in &containers(graph, node) {
            for e in graph.incoming(c) {
                if e.edge.kind != kind || e.other.kind != from_kind {
                    continue;
                }
                let entry = out
                    .entry(e.other.id.clone())
                    .or_insert_with(|| (e.other, Acc { entities: BTreeSet::new(), via: BTreeSet::new() }));
                entry.1.entities.insert(id.clone());
                entry.1.via.insert(c.clone());
            }
        }
    }
    out
}

/// Decisions governing any of `ids` (directly, or their file, spec, repo).
/// Current decisions first (`accepted`/`current`), then others; by id.
pub fn decisions_about(graph: &Graph, ids: &[NodeId]) -> Vec<DecisionRef> {
    let mut out: Vec<DecisionRef> = collect(graph, ids, EdgeKind::Governs, NodeKind::Decision)
        .into_values()
        .map(|(n, acc)| DecisionRef {
            id: n.id.clone(),
            title: n.name.clone(),
            status: decision_status(n),
            date: n.attr(attr::DATE).map(str::to_string),
            entities: acc.entities.into_iter().collect(),
            via: acc.via.into_iter().collect(),
            evidence: Evidence::new(graph, &n.prov),
        })
        .collect();
    let rank = |s: &str| match s {
        "accepted" | "current" | "approved" => 0,
        "proposed" | "draft" | "unknown" => 1,
        _ => 2,
    };
    out.sort_by(|a, b| rank(&a.status).cmp(&rank(&b.status)).then_with(|| a.id.cmp(&b.id)));
    out
}

/// Failures that affected any of `ids` (or their file, spec, repo); newest first by date, then id.
pub fn failures_about(graph: &Graph, ids: &[NodeId]) -> Vec<FailureRef> {
    let mut out: Vec<FailureRef> = collect(graph, ids, EdgeKind::Affected, NodeKind::Failure)
        .into_values()
        .map(|(n, acc)| failure_ref(graph, n, acc.entities.into_iter().collect(), acc.via.into_iter().collect()))
        .collect();
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    out
}

pub(crate) fn failure_ref(graph: &Graph, n: &Node, entities: Vec<NodeId>, via: Vec<NodeId>) -> FailureRef {
    FailureRef {
        id: n.id.clone(),
        title: n.attr(keys::TITLE).map(str::to_string).unwrap_or_else(|| n.name.clone()),
        severity: n.attr(attr::SEVERITY).map(str::to_string),
        date: n.attr(attr::DATE).map(str::to_string),
        entities,
        via,
        evidence: Evidence::new(graph, &n.prov),
    }
}

/// Lessons applying to any of `ids` (or their file, spec, repo), plus lessons
/// learned from failures that affected them. Retired and superseded lessons
/// are skipped; stale ones are kept with `stale = true`. `today` (ISO date)
/// marks lessons past `valid_until` as stale and hides ones not yet valid.
pub fn lessons_for(graph: &Graph, ids: &[NodeId], today: Option<&str>) -> Vec<LessonRef> {
    let mut found = collect(graph, ids, EdgeKind::AppliesTo, NodeKind::Lesson);
    // Lessons learned from failures that affected these entities.
    for f in failures_about(graph, ids) {
        for e in graph.incoming(&f.id) {
            if e.edge.kind == EdgeKind::LearnedFrom && e.other.kind == NodeKind::Lesson {
                let entry = found
                    .entry(e.other.id.clone())
                    .or_insert_with(|| (e.other, Acc { entities: BTreeSet::new(), via: BTreeSet::new() }));
                entry.1.entities.extend(f.entities.iter().cloned());
                entry.1.via.insert(f.id.clone());
            }
        }
    }
    let mut out = Vec::new();
    for (n, acc) in found.into_values() {
        if let Some(l) = lesson_ref(graph, n, acc.entities.into_iter().collect(), acc.via.into_iter().collect(), today)
        {
            out.push(l);
        }
    }
    out.sort_by(|a, b| a.stale.cmp(&b.stale).then_with(|| a.id.cmp(&b.id)));
    out
}

pub(crate) fn lesson_ref(
    graph: &Graph,
    n: &Node,
    entities: Vec<NodeId>,
    via: Vec<NodeId>,
    today: Option<&str>,
) -> Option<LessonRef> {
    let status = n.attr(attr::STATUS).unwrap_or("active").to_ascii_lowercase();
    if status == "retired" || status == "superseded" {
        return None;
    }
    // Superseded by an active lesson?
    let superseded = graph.incoming(&n.id).any(|e| {
        e.edge.kind == EdgeKind::Supersedes
            && e.other.kind == NodeKind::Lesson
            && !matches!(e.other.attr(attr::STATUS), Some("retired"))
    });
    if superseded {
        return None;
    }
    let valid_until = n.attr(keys::VALID_UNTIL).filter(|s| !s.is_empty()).map(str::to_string);
    if let (Some(today), Some(from)) = (today, n.attr(keys::VALID_FROM).filter(|s| !s.is_empty())) {
        if from > today {
            return None;
        }
    }
    let expired = matches!((today, &valid_until), (Some(t), Some(u)) if u.as_str() < t);
    let learned_from =
        graph.outgoing(&n.id).filter(|e| e.edge.kind == EdgeKind::LearnedFrom).map(|e| e.other.id.clone()).collect();
    Some(LessonRef {
        id: n.id.clone(),
        text: if n.text.is_empty() { n.name.clone() } else { n.text.clone() },
        stale: status == "stale" || n.attr(keys::STALE_TARGETS).is_some() || expired,
        status,
        tags: tags_of(n),
        author: n.attr(keys::AUTHOR).map(str::to_string),
        valid_until,
        entities,
        via,
        learned_from,
        evidence: Evidence::new(graph, &n.prov),
    })
}
