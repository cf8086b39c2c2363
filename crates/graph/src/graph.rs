//! The immutable snapshot and its read API.
//!
//! A snapshot is a frozen base (a petgraph `DiGraph` plus indexes, built by
//! [`GraphBuilder`](crate::GraphBuilder)) and, after incremental writes, an
//! optional delta ([`crate::patch`]) layered over it: nodes added, replaced
//! or removed, edges added or removed. Every read method gives what a full
//! rebuild with the same units would give (see [`Graph::is_exact`] for what
//! a delta leaves to the next full build). Without a delta a read is one
//! branch away from the petgraph call.

use crate::patch::Delta;
use crate::unit::UnitFacts;
use brain_model::{Diagnostic, Edge, EdgeKind, Node, NodeId, NodeKind, Reference};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// What the store knows about an ingested repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoInfo {
    pub name: String,
    /// Path of the checkout on disk, as configured.
    pub root: String,
    /// `HEAD` commit when the repo was ingested, if it is a git checkout.
    pub commit: Option<String>,
    /// Unix seconds of the last ingest.
    pub ingested_at: u64,
}

/// Counts for `stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphStats {
    pub nodes: usize,
    pub edges: usize,
    pub nodes_by_kind: BTreeMap<NodeKind, usize>,
    pub edges_by_kind: BTreeMap<EdgeKind, usize>,
    pub unresolved: usize,
    pub diagnostics: usize,
}

/// An edge seen from one of its ends.
#[derive(Clone, Copy, Debug)]
pub struct EdgeRef<'a> {
    pub edge: &'a Edge,
    /// The node at the other end.
    pub other: &'a Node,
}

/// `ns -> key -> providers`, nested so lookups need no allocation.
pub(crate) type Provides = HashMap<String, HashMap<String, Vec<NodeId>>>;

/// No unit declared this node (the linker or a pass made it).
pub(crate) const NO_UNIT: u32 = u32::MAX;

/// The frozen part of a snapshot, shared by every snapshot patched from it.
#[derive(Debug, Default)]
pub(crate) struct Base {
    /// Unique per process: tells caches built from one base apart from another.
    pub(crate) id: u64,
    pub(crate) g: DiGraph<Arc<Node>, Arc<Edge>, u32>,
    pub(crate) index: HashMap<NodeId, NodeIndex>,
    pub(crate) by_kind: HashMap<NodeKind, Vec<NodeIndex>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) unresolved: Vec<Reference>,
    /// What every node provides, kept for patching (the linker's index).
    pub(crate) provides: Provides,
    /// The units the base was built from, in build order (their position is their unit id).
    pub(crate) units: Vec<Arc<UnitFacts>>,
    /// Unit id by the address of its facts (the base holds them, so addresses are unique).
    pub(crate) unit_of: HashMap<usize, u32>,
    /// First declaring unit of each node ([`NO_UNIT`] for nodes the linker made).
    pub(crate) node_unit: Vec<u32>,
    /// Every declaring unit of nodes declared by more than one unit, in order.
    pub(crate) declarers: HashMap<NodeId, Vec<u32>>,
    /// `(hash of what a reference asks for, unit id)`, sorted: who to re-resolve when a key changes.
    pub(crate) refs_by_key: Vec<(u64, u32)>,
    /// Unit edges dropped because an end did not exist, by that missing end.
    pub(crate) dangling: HashMap<NodeId, Vec<Arc<Edge>>>,
    /// `symbol` providers by key sorted by place, for patches (keys the
    /// delta does not change resolve against these).
    pub(crate) symbol_sites: HashMap<String, Arc<[crate::link::Site]>>,
    /// Built by the linker from units (false for a snapshot read from disk).
    pub(crate) from_units: bool,
}

pub(crate) fn next_base_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// An immutable snapshot of the whole graph.
#[derive(Debug)]
pub struct Graph {
    pub(crate) base: Arc<Base>,
    pub(crate) delta: Option<Arc<Delta>>,
    pub(crate) repos: BTreeMap<String, RepoInfo>,
    pub(crate) generation: u64,
}

impl Default for Graph {
    fn default() -> Self {
        Graph {
            base: Arc::new(Base { id: next_base_id(), ..Base::default() }),
            delta: None,
            repos: BTreeMap::new(),
            generation: 0,
        }
    }
}

impl Graph {
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.index_of(id).map(|i| self.node_at(i))
    }
    /// The node as shared with the units it came from (exact snapshots only).
    pub fn shared_node(&self, id: &NodeId) -> Option<&Arc<Node>> {
        if self.delta.is_some() {
            return None;
        }
        self.base.index.get(id).map(|i| &self.base.g[*i])
    }
    /// Whether [`Graph::patch`] can apply to this snapshot: it was linked
    /// from units here (a snapshot read from disk lacks the units and
    /// indexes a patch needs; the first write after it links in full).
    pub fn can_patch(&self) -> bool {
        self.base.from_units
    }
    pub fn contains(&self, id: &NodeId) -> bool {
        self.index_of(id).is_some()
    }
    pub fn node_count(&self) -> usize {
        match &self.delta {
            None => self.base.g.node_count(),
            Some(d) => d.node_count,
        }
    }
    pub fn edge_count(&self) -> usize {
        match &self.delta {
            None => self.base.g.edge_count(),
            Some(d) => d.edge_count,
        }
    }
    /// Every node, in a stable order (build order, then nodes added since).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.node_indices().map(|(_, n)| n)
    }
    /// Every node with its index, in the order of [`Graph::nodes`] (indices
    /// need not be contiguous: a patched snapshot skips removed ones).
    pub fn node_indices(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        let d = self.delta.as_deref();
        let base = self
            .base
            .g
            .node_indices()
            .filter(move |i| d.is_none_or(|d| !d.node_removed(*i)))
            .map(move |i| (i, self.node_at(i)));
        base.chain(d.into_iter().flat_map(|d| d.added_nodes()))
    }
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        let d = self.delta.as_deref();
        let base = self
            .base
            .g
            .edge_indices()
            .filter(move |e| d.is_none_or(|d| !d.edge_removed(*e)))
            .map(move |e| &*self.base.g[e]);
        base.chain(d.into_iter().flat_map(|d| d.added_edges()))
    }
    pub fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = &Node> {
        let d = self.delta.as_deref();
        let base = self
            .base
            .by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .filter(move |i| d.is_none_or(|d| !d.node_removed(**i)))
            .map(move |i| self.node_at(*i))
            .filter(move |n| d.is_none() || n.kind == kind);
        base.chain(d.into_iter().flat_map(move |d| d.nodes_of_kind(kind).map(move |i| self.node_at(i))))
    }
    /// Edges leaving `id`, with the node they reach.
    pub fn outgoing<'a>(&'a self, id: &NodeId) -> impl Iterator<Item = EdgeRef<'a>> + 'a {
        self.edges_dir(id, Direction::Outgoing)
    }
    /// Edges arriving at `id`, with the node they come from.
    pub fn incoming<'a>(&'a self, id: &NodeId) -> impl Iterator<Item = EdgeRef<'a>> + 'a {
        self.edges_dir(id, Direction::Incoming)
    }
    fn edges_dir<'a>(&'a self, id: &NodeId, dir: Direction) -> impl Iterator<Item = EdgeRef<'a>> + 'a {
        let idx = self.index_of(id);
        idx.into_iter().flat_map(move |i| {
            self.neighbors_raw(i, dir).map(move |(e, j)| EdgeRef { edge: self.edge_at(e), other: self.node_at(j) })
        })
    }
    /// Raw index access for traversal-heavy queries.
    pub fn index_of(&self, id: &NodeId) -> Option<NodeIndex> {
        match &self.delta {
            None => self.base.index.get(id).copied(),
            Some(d) => {
                let i = self.base.index.get(id).or_else(|| d.index.get(id)).copied()?;
                (!d.node_removed(i)).then_some(i)
            }
        }
    }
    pub fn node_at(&self, i: NodeIndex) -> &Node {
        match &self.delta {
            None => &self.base.g[i],
            Some(d) => match d.node_override(i, self.base.g.node_count()) {
                Some(n) => n,
                None => &self.base.g[i],
            },
        }
    }
    pub fn edge_at(&self, e: EdgeIndex) -> &Edge {
        match &self.delta {
            Some(d) if e.index() >= self.base.g.edge_count() => d.edge(e, self.base.g.edge_count()),
            _ => &self.base.g[e],
        }
    }
    /// `(edge index, neighbour index)` pairs in one direction, for traversals.
    pub fn neighbors_raw(&self, i: NodeIndex, dir: Direction) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> + '_ {
        let d = self.delta.as_deref();
        let base = self
            .base
            .g
            .edges_directed(i, dir)
            .filter(move |e| d.is_none_or(|d| !d.edge_removed(e.id())))
            .map(move |e| (e.id(), if dir == Direction::Outgoing { e.target() } else { e.source() }));
        base.chain(d.into_iter().flat_map(move |d| d.neighbors(i, dir)))
    }
    pub fn repos(&self) -> &BTreeMap<String, RepoInfo> {
        &self.repos
    }
    pub fn repo(&self, name: &str) -> Option<&RepoInfo> {
        self.repos.get(name)
    }
    /// Ingest and link diagnostics.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        let d = self.delta.as_deref();
        let base = self.base.diagnostics.iter().filter(move |x| d.is_none_or(|d| !d.hides_diagnostic(x)));
        base.chain(d.into_iter().flat_map(|d| d.diagnostics.iter()))
    }
    /// References the linker could not resolve (an HTTP call no producer
    /// serves, a topic nobody documents). Contract checks read these.
    pub fn unresolved(&self) -> impl Iterator<Item = &Reference> {
        let d = self.delta.as_deref();
        let base = self.base.unresolved.iter().filter(move |r| d.is_none_or(|d| !d.hides_reference(r)));
        base.chain(d.into_iter().flat_map(|d| d.unresolved.iter()))
    }
    /// Increases with every published snapshot.
    pub fn generation(&self) -> u64 {
        self.generation
    }
    /// Whether this snapshot is a full build. A patched snapshot has the
    /// changed units' own nodes, edges and references right, but the passes
    /// that need the whole graph (CODEOWNERS, ADRs, infra, failures, Go
    /// imports, types by name, files in packages, topic operations, stale
    /// lessons other than the changed units' own) still reflect the base
    /// until the next full build.
    pub fn is_exact(&self) -> bool {
        self.delta.is_none()
    }
    /// Identifies the frozen base this snapshot shares with the snapshots
    /// patched from it (caches built from the base stay valid for them).
    pub fn base_id(&self) -> u64 {
        self.base.id
    }
    /// The nodes of the frozen base as it was built, ignoring any delta: what
    /// a per-base cache indexes. Combine with [`Graph::delta_nodes`] and
    /// [`Graph::changed_in_delta`].
    pub fn base_nodes(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        self.base.g.node_indices().map(move |i| (i, &*self.base.g[i]))
    }
    /// Nodes the delta added or replaced (live ones), in a stable order.
    pub fn delta_nodes(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        let d = self.delta.as_deref();
        d.into_iter().flat_map(move |d| d.changed_nodes().map(move |i| (i, self.node_at(i))))
    }
    /// Whether the delta removed or replaced the base node at `i`.
    pub fn changed_in_delta(&self, i: NodeIndex) -> bool {
        self.delta.as_deref().is_some_and(|d| d.node_touched(i))
    }
    /// The File node a node was declared in, if any.
    pub fn file_of<'a>(&'a self, node: &Node) -> Option<&'a Node> {
        self.node(&NodeId::file(&node.prov.repo, &node.prov.path))
    }
    pub fn stats(&self) -> GraphStats {
        let mut s = GraphStats {
            nodes: self.node_count(),
            edges: self.edge_count(),
            unresolved: self.unresolved().count(),
            diagnostics: self.diagnostics().count(),
            ..GraphStats::default()
        };
        match &self.delta {
            None => {
                for (k, v) in &self.base.by_kind {
                    s.nodes_by_kind.insert(*k, v.len());
                }
            }
            Some(_) => {
                for n in self.nodes() {
                    *s.nodes_by_kind.entry(n.kind).or_default() += 1;
                }
            }
        }
        for e in self.edges() {
            *s.edges_by_kind.entry(e.kind).or_default() += 1;
        }
        s
    }
}
