//! The immutable snapshot and its read API.

use brain_model::{Diagnostic, Edge, EdgeKind, Node, NodeId, NodeKind, Reference};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;
use std::collections::{BTreeMap, HashMap};
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

/// An immutable snapshot of the whole graph.
#[derive(Debug, Default)]
pub struct Graph {
    pub(crate) g: DiGraph<Arc<Node>, Arc<Edge>, u32>,
    pub(crate) index: HashMap<NodeId, NodeIndex>,
    pub(crate) by_kind: HashMap<NodeKind, Vec<NodeIndex>>,
    pub(crate) repos: BTreeMap<String, RepoInfo>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) unresolved: Vec<Reference>,
    pub(crate) generation: u64,
}

impl Graph {
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.index.get(id).map(|i| &*self.g[*i])
    }
    /// The node as shared with the units it came from.
    pub fn shared_node(&self, id: &NodeId) -> Option<&Arc<Node>> {
        self.index.get(id).map(|i| &self.g[*i])
    }
    pub fn contains(&self, id: &NodeId) -> bool {
        self.index.contains_key(id)
    }
    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }
    pub fn edge_count(&self) -> usize {
        self.g.edge_count()
    }
    /// Every node, in a stable order (build order).
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.g.node_weights().map(|n| &**n)
    }
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.g.edge_weights().map(|e| &**e)
    }
    pub fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = &Node> {
        self.by_kind.get(&kind).into_iter().flatten().map(|i| &*self.g[*i])
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
        let idx = self.index.get(id).copied();
        idx.into_iter().flat_map(move |i| {
            self.g.edges_directed(i, dir).map(move |e| {
                let other = if dir == Direction::Outgoing { e.target() } else { e.source() };
                EdgeRef { edge: e.weight(), other: &self.g[other] }
            })
        })
    }
    /// Raw index access for traversal-heavy queries.
    pub fn index_of(&self, id: &NodeId) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }
    pub fn node_at(&self, i: NodeIndex) -> &Node {
        &self.g[i]
    }
    pub fn edge_at(&self, e: EdgeIndex) -> &Edge {
        &self.g[e]
    }
    /// `(edge index, neighbour index)` pairs in one direction, for traversals.
    pub fn neighbors_raw(&self, i: NodeIndex, dir: Direction) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> + '_ {
        self.g
            .edges_directed(i, dir)
            .map(move |e| (e.id(), if dir == Direction::Outgoing { e.target() } else { e.source() }))
    }
    pub fn repos(&self) -> &BTreeMap<String, RepoInfo> {
        &self.repos
    }
    pub fn repo(&self, name: &str) -> Option<&RepoInfo> {
        self.repos.get(name)
    }
    /// Ingest and link diagnostics.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
    /// References the linker could not resolve (an HTTP call no producer
    /// serves, a topic nobody documents). Contract checks read these.
    pub fn unresolved(&self) -> &[Reference] {
        &self.unresolved
    }
    /// Increases with every published snapshot.
    pub fn generation(&self) -> u64 {
        self.generation
    }
    /// The File node a node was declared in, if any.
    pub fn file_of<'a>(&'a self, node: &Node) -> Option<&'a Node> {
        self.node(&NodeId::file(&node.prov.repo, &node.prov.path))
    }
    pub fn stats(&self) -> GraphStats {
        let mut s = GraphStats {
            nodes: self.node_count(),
            edges: self.edge_count(),
            unresolved: self.unresolved.len(),
            diagnostics: self.diagnostics.len(),
            ..GraphStats::default()
        };
        for (k, v) in &self.by_kind {
            s.nodes_by_kind.insert(*k, v.len());
        }
        for e in self.edges() {
            *s.edges_by_kind.entry(e.kind).or_default() += 1;
        }
        s
    }
}
