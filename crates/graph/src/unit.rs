//! Facts kept in memory between snapshots, shared with every snapshot built
//! from them.
//!
//! A file's [`Facts`] are converted once, when they are loaded or ingested,
//! into [`UnitFacts`]: nodes and edges behind `Arc`s, so that building a
//! snapshot clones pointers rather than entities, and the snapshot and the
//! per-file cache hold one copy between them. The [`Interner`] makes every
//! repeated id, repository name, path and ingestor name share one allocation.

use crate::Graph;
use brain_model::{Diagnostic, Edge, Facts, Node, NodeId, Provenance, Provide, RefTarget, Reference, Str};
use std::collections::HashSet;
use std::sync::Arc;

/// One unit's (file's or API record's) facts, ready to be linked.
#[derive(Debug, Default)]
pub struct UnitFacts {
    pub nodes: Vec<Arc<Node>>,
    pub edges: Vec<Arc<Edge>>,
    pub refs: Vec<Reference>,
    pub provides: Vec<Provide>,
    pub diagnostics: Vec<Diagnostic>,
}

impl UnitFacts {
    /// Converts `facts`, interning their strings.
    pub fn new(facts: Facts, interner: &mut Interner) -> Self {
        Self::new_sharing(facts, interner, None)
    }

    /// Like [`UnitFacts::new`], and a node equal to the one `graph` holds
    /// under the same id is that node (loading units behind a snapshot
    /// that was read from disk, so the two share their nodes).
    pub fn new_sharing(facts: Facts, interner: &mut Interner, graph: Option<&Graph>) -> Self {
        let Facts { nodes, edges, refs, provides, diagnostics } = facts;
        let nodes = nodes
            .into_iter()
            .map(|mut n| {
                if let Some(shared) = graph.and_then(|g| g.shared_node(&n.id)).filter(|s| ***s == n) {
                    return shared.clone();
                }
                interner.id(&mut n.id);
                interner.prov(&mut n.prov);
                n.attrs.shrink_to_fit();
                n.text.shrink_to_fit();
                Arc::new(n)
            })
            .collect();
        let edges = edges
            .into_iter()
            .map(|mut e| {
                interner.id(&mut e.from);
                interner.id(&mut e.to);
                interner.prov(&mut e.prov);
                Arc::new(e)
            })
            .collect();
        let mut refs: Vec<Reference> = refs;
        for r in &mut refs {
            interner.id(&mut r.from);
            interner.prov(&mut r.prov);
            match &mut r.target {
                RefTarget::AnyOf(ids) => ids.iter_mut().for_each(|id| interner.id(id)),
                RefTarget::Key { scope, .. } => scope.iter_mut().for_each(|id| interner.id(id)),
            }
        }
        refs.shrink_to_fit();
        let mut provides: Vec<Provide> = provides;
        for p in &mut provides {
            interner.id(&mut p.node);
        }
        UnitFacts { nodes, edges, refs, provides, diagnostics }
    }
}

impl UnitFacts {
    /// Copies `facts` without interning (tests and tools).
    pub fn copied(facts: &Facts) -> Self {
        UnitFacts {
            nodes: facts.nodes.iter().cloned().map(Arc::new).collect(),
            edges: facts.edges.iter().cloned().map(Arc::new).collect(),
            refs: facts.refs.clone(),
            provides: facts.provides.clone(),
            diagnostics: facts.diagnostics.clone(),
        }
    }
}

/// Canonical copies of ids and provenance strings.
#[derive(Debug, Default)]
pub struct Interner {
    strs: HashSet<Str>,
    ids: HashSet<NodeId>,
}

impl Interner {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn str(&mut self, s: &mut Str) {
        match self.strs.get(s.as_str()) {
            Some(canonical) => *s = canonical.clone(),
            None => {
                self.strs.insert(s.clone());
            }
        }
    }
    pub fn id(&mut self, id: &mut NodeId) {
        match self.ids.get(id) {
            Some(canonical) => *id = canonical.clone(),
            None => {
                self.ids.insert(id.clone());
            }
        }
    }
    pub fn prov(&mut self, p: &mut Provenance) {
        self.str(&mut p.repo);
        self.str(&mut p.path);
        self.str(&mut p.ingestor);
    }
    /// Adopts the ids and provenance strings of `graph`'s nodes, so facts
    /// interned afterwards share them.
    pub fn share_with(&mut self, graph: &Graph) {
        for n in graph.nodes() {
            self.ids.insert(n.id.clone());
            self.strs.insert(n.prov.repo.clone());
            self.strs.insert(n.prov.path.clone());
            self.strs.insert(n.prov.ingestor.clone());
        }
    }
    /// Forgets what nothing else refers to any more (files deleted, ids gone).
    pub fn prune(&mut self) {
        self.strs.retain(|s| s.ref_count() > 1);
        self.ids.retain(|id| Arc::strong_count(&id.0) > 1);
    }
    pub fn len(&self) -> usize {
        self.strs.len() + self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The shared ingestor name of facts the linker makes.
pub(crate) fn linker() -> Str {
    static LINKER: std::sync::OnceLock<Str> = std::sync::OnceLock::new();
    LINKER.get_or_init(|| Str::from("linker")).clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_model::{EdgeKind, NodeKind};

    #[test]
    fn interned_units_share_ids_and_provenance_strings() {
        let mut interner = Interner::new();
        let prov = || Provenance::declared("acme/orders", "src/a.rs", None, "code");
        let mut a = Facts::default();
        let f = a.node(Node::new(NodeId::file("acme/orders", "src/a.rs"), NodeKind::File, "a.rs", prov()));
        let s = a.node(Node::new(NodeId::symbol("acme/orders", "src/a.rs", "run"), NodeKind::Symbol, "run", prov()));
        a.edge(Edge::new(f, EdgeKind::Contains, s, prov()));
        let unit = UnitFacts::new(a, &mut interner);
        let (file, sym, edge) = (&unit.nodes[0], &unit.nodes[1], &unit.edges[0]);
        assert!(Arc::ptr_eq(&file.id.0, &edge.from.0));
        assert!(Arc::ptr_eq(&sym.id.0, &edge.to.0));
        assert!(Str::ptr_eq(&file.prov.repo, &edge.prov.repo));
        assert!(Str::ptr_eq(&file.prov.path, &sym.prov.path));
        drop(unit);
        interner.prune();
        assert!(interner.is_empty());
    }
}
