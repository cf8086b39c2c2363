//! Navigation: shortest paths between entities and paginated neighbours.
//!
//! Cursors are opaque strings to callers; today they are the decimal offset
//! of the next item in the stable order (`"25"`). A cursor from one snapshot
//! is usable on the next one but may skip or repeat items if the
//! neighbourhood changed in between.

use crate::common::IdxMap;
use crate::common::{EntityRef, Evidence, Hop};
use brain_graph::Graph;
use brain_model::{EdgeKind, NodeId};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

pub use crate::about::{owners_of, OwnerRef};

/// Errors of navigation queries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NavError {
    #[error("no entity with id {0}")]
    NotFound(NodeId),
    #[error("invalid cursor {0:?}")]
    InvalidCursor(String),
}

/// Which edges to list, seen from the entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NavDirection {
    Out,
    In,
    #[default]
    Both,
}

/// The most nodes a path search visits before giving up.
pub const PATH_VISIT_LIMIT: usize = 200_000;

/// The shortest path from `from` to `to` following edges in either direction
/// (hops say which way each stored edge points), at most `max_depth` hops.
/// `Some(vec![])` when `from == to`; `None` when no path exists within the
/// limits or an id is unknown. Ties are broken by edge order, so the answer
/// is deterministic for a snapshot.
pub fn path(graph: &Graph, from: &NodeId, to: &NodeId, max_depth: u32) -> Option<Vec<Hop>> {
    let (a, b) = (graph.index_of(from)?, graph.index_of(to)?);
    if a == b {
        return Some(Vec::new());
    }
    let mut parent: IdxMap<(NodeIndex, EdgeIndex, bool, u32)> = IdxMap::default();
    let mut queue = VecDeque::from([(a, 0u32)]);
    parent.insert(a, (a, EdgeIndex::end(), true, 0));
    while let Some((i, d)) = queue.pop_front() {
        if d >= max_depth {
            continue;
        }
        for (dir, fwd) in [(Direction::Outgoing, true), (Direction::Incoming, false)] {
            for (e, j) in graph.neighbors_raw(i, dir) {
                if parent.contains_key(&j) {
                    continue;
                }
                parent.insert(j, (i, e, fwd, d + 1));
                if j == b {
                    return Some(unwind(graph, &parent, a, b));
                }
                if parent.len() >= PATH_VISIT_LIMIT {
                    return None;
                }
                queue.push_back((j, d + 1));
            }
        }
    }
    None
}

fn unwind(graph: &Graph, parent: &IdxMap<(NodeIndex, EdgeIndex, bool, u32)>, a: NodeIndex, b: NodeIndex) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut cur = b;
    while cur != a {
        let Some(&(p, e, fwd, _)) = parent.get(&cur) else { break };
        let edge = graph.edge_at(e);
        hops.push(Hop {
            from: graph.node_at(p).id.clone(),
            edge: edge.kind,
            to: graph.node_at(cur).id.clone(),
            forward: fwd,
            evidence: Evidence::new(graph, &edge.prov),
        });
        cur = p;
    }
    hops.reverse();
    hops
}

/// One neighbour of an entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Neighbor {
    pub edge: EdgeKind,
    /// `out` when the stored edge points from the entity to `node`, else `in`.
    pub direction: NavDirection,
    pub node: EntityRef,
    pub evidence: Evidence,
}

/// A page of neighbours.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NeighborPage {
    pub items: Vec<Neighbor>,
    /// Pass as `after` to get the next page; `None` on the last page.
    pub end_cursor: Option<String>,
    pub has_next: bool,
    /// Neighbours matching the filter, over all pages.
    pub total: usize,
}

/// Encodes a pagination cursor (see the module docs).
pub fn encode_cursor(offset: usize) -> String {
    offset.to_string()
}

/// Decodes a pagination cursor (see the module docs).
pub fn decode_cursor(cursor: &str) -> Result<usize, NavError> {
    cursor.trim().parse().map_err(|_| NavError::InvalidCursor(cursor.to_string()))
}

/// Neighbours of `id` over edges of `kinds` (empty = all) in `direction`,
/// ordered by (edge kind, direction, neighbour id); `first` items after the
/// cursor `after`.
pub fn neighbors(
    graph: &Graph,
    id: &NodeId,
    kinds: &[EdgeKind],
    direction: NavDirection,
    first: usize,
    after: Option<&str>,
) -> Result<NeighborPage, NavError> {
    if !graph.contains(id) {
        return Err(NavError::NotFound(id.clone()));
    }
    let start = match after {
        Some(c) => decode_cursor(c)?,
        None => 0,
    };
    let mut all: Vec<Neighbor> = Vec::new();
    let want = |k: EdgeKind| kinds.is_empty() || kinds.contains(&k);
    if matches!(direction, NavDirection::Out | NavDirection::Both) {
        for e in graph.outgoing(id).filter(|e| want(e.edge.kind)) {
            all.push(Neighbor {
                edge: e.edge.kind,
                direction: NavDirection::Out,
                node: EntityRef::of(e.other),
                evidence: Evidence::new(graph, &e.edge.prov),
            });
        }
    }
    if matches!(direction, NavDirection::In | NavDirection::Both) {
        for e in graph.incoming(id).filter(|e| want(e.edge.kind)) {
            all.push(Neighbor {
                edge: e.edge.kind,
                direction: NavDirection::In,
                node: EntityRef::of(e.other),
                evidence: Evidence::new(graph, &e.edge.prov),
            });
        }
    }
    let dir_rank = |d: NavDirection| if d == NavDirection::Out { 0 } else { 1 };
    all.sort_by(|a, b| {
        a.edge
            .cmp(&b.edge)
            .then(dir_rank(a.direction).cmp(&dir_rank(b.direction)))
            .then_with(|| a.node.id.cmp(&b.node.id))
    });
    let total = all.len();
    let items: Vec<Neighbor> = all.into_iter().skip(start).take(first).collect();
    let end = start + items.len();
    let has_next = end < total;
    Ok(NeighborPage { items, end_cursor: has_next.then(|| encode_cursor(end)), has_next, total })
}
