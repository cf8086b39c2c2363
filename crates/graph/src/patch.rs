//! Incremental snapshots: the [`Delta`] a patched [`Graph`] layers over its
//! frozen base, and [`Graph::patch`], which replaces a few units' facts at a
//! cost proportional to those units (and the delta already there), never to
//! the whole graph.
//!
//! A patch hides the old units' nodes, edges, unresolved references and
//! diagnostics, adds the new units' ones, and resolves their references with
//! the full linker's rules ([`crate::link::resolve_one`]). References of
//! other units whose resolution depends on what changed (a key a changed unit
//! provided or provides, a node id it declared or declares) are resolved
//! again too, up to [`MAX_DEPENDENTS`] units per key; past that they wait for
//! the next full build. Link passes and the global linkers (types by name, files in
//! packages, topic operations) are not run: [`Graph::is_exact`] says so.

use crate::graph::{Base, Graph, RepoInfo, NO_UNIT};
use crate::link::{self, sites_of, Resolver, Site};
use crate::unit::UnitFacts;
use brain_model::{attr, attr::ns, Diagnostic, Edge, EdgeKind, Node, NodeId, NodeKind, RefTarget, Reference};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Units re-resolved because what they reference changed, at most, per key
/// (and four times that per patch). A key referenced by more units (a popular
/// method name) is left to the next full build.
pub const MAX_DEPENDENTS: usize = 256;

/// A growable bit set over node or edge indices.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bits(Vec<u64>);

impl Bits {
    fn with_len(n: usize) -> Self {
        Bits(vec![0; n.div_ceil(64)])
    }
    #[inline]
    pub(crate) fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    fn set(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
}

/// Hidden unit origins: `(repo, path)` of file units, and for API records
/// (whose provenance has neither) the ids their references start from.
#[derive(Clone, Debug, Default)]
pub(crate) struct Hidden {
    origins: HashMap<String, HashSet<String>>,
    from: HashSet<NodeId>,
}

impl Hidden {
    fn hides(&self, repo: &str, path: &str, from: Option<&NodeId>) -> bool {
        if repo.is_empty() && path.is_empty() {
            return from.is_some_and(|f| self.from.contains(f));
        }
        self.origins.get(repo).is_some_and(|p| p.contains(path))
    }
    fn hides_edge(&self, e: &Edge) -> bool {
        self.hides(&e.prov.repo, &e.prov.path, Some(&e.from))
    }
    fn add_unit(&mut self, u: &UnitFacts) {
        let mut origin = |repo: &str, path: &str, from: Option<&NodeId>| {
            if repo.is_empty() && path.is_empty() {
                if let Some(f) = from {
                    self.from.insert(f.clone());
                }
            } else if !self.origins.get(repo).is_some_and(|p| p.contains(path)) {
                self.origins.entry(repo.to_string()).or_default().insert(path.to_string());
            }
        };
        for n in &u.nodes {
            origin(&n.prov.repo, &n.prov.path, Some(&n.id));
        }
        for r in &u.refs {
            origin(&r.prov.repo, &r.prov.path, Some(&r.from));
        }
        for e in &u.edges {
            origin(&e.prov.repo, &e.prov.path, Some(&e.from));
        }
        for d in &u.diagnostics {
            origin(&d.repo, &d.path, None);
        }
    }
    fn extend(&mut self, other: &Hidden) {
        for (repo, paths) in &other.origins {
            self.origins.entry(repo.clone()).or_default().extend(paths.iter().cloned());
        }
        self.from.extend(other.from.iter().cloned());
    }
}

/// What a patched snapshot changes over its base. Copied (not shared) by
/// each further patch, so its size is the cost every patch pays until the
/// next full build replaces the base.
#[derive(Clone, Debug, Default)]
pub(crate) struct Delta {
    base_nodes: usize,
    base_edges: usize,
    /// Nodes added: node `base_nodes + k`.
    nodes: Vec<Arc<Node>>,
    /// Base nodes replaced in place.
    replaced: HashMap<NodeIndex, Arc<Node>>,
    /// Base nodes replaced or removed.
    touched: Bits,
    /// Any node removed (base or added; an id keeps its index if it comes back).
    removed: Bits,
    /// Ids of added nodes.
    pub(crate) index: HashMap<NodeId, NodeIndex>,
    /// Added nodes, and replaced base nodes whose kind changed, by kind.
    by_kind: HashMap<NodeKind, Vec<NodeIndex>>,
    pub(crate) node_count: usize,
    /// Declaring units of every node id a patch touched (overrides the base's).
    declarers: HashMap<NodeId, Vec<u32>>,
    /// Edges added: edge `base_edges + k`.
    edges: Vec<(NodeIndex, NodeIndex, Arc<Edge>)>,
    edge_removed: Bits,
    out_adj: HashMap<NodeIndex, Vec<EdgeIndex>>,
    in_adj: HashMap<NodeIndex, Vec<EdgeIndex>>,
    pub(crate) edge_count: usize,
    /// Unit edges waiting for a missing end, by that end.
    dangling: HashMap<NodeId, Vec<Arc<Edge>>>,
    /// Units added: unit `base.units.len() + k` (replaced ones stay, dead, so addresses stay unique).
    units: Vec<Arc<UnitFacts>>,
    dead_units: HashSet<u32>,
    unit_of: HashMap<usize, u32>,
    refs_by_key: HashMap<u64, Vec<u32>>,
    /// Provider lists of the keys a patch touched (replace the base's).
    provides: HashMap<String, HashMap<String, Vec<NodeId>>>,
    /// Units whose base diagnostics and unresolved references are hidden.
    hidden: Hidden,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) unresolved: Vec<Reference>,
}

impl Delta {
    fn new(base: &Base) -> Self {
        Delta {
            base_nodes: base.g.node_count(),
            base_edges: base.g.edge_count(),
            touched: Bits::with_len(base.g.node_count()),
            removed: Bits::with_len(base.g.node_count()),
            edge_removed: Bits::with_len(base.g.edge_count()),
            node_count: base.g.node_count(),
            edge_count: base.g.edge_count(),
            ..Delta::default()
        }
    }
    #[inline]
    pub(crate) fn node_removed(&self, i: NodeIndex) -> bool {
        self.removed.get(i.index())
    }
    #[inline]
    pub(crate) fn edge_removed(&self, e: EdgeIndex) -> bool {
        self.edge_removed.get(e.index())
    }
    /// Whether the base node at `i` was replaced or removed.
    pub(crate) fn node_touched(&self, i: NodeIndex) -> bool {
        self.touched.get(i.index())
    }
    /// The delta's version of node `i`, if it has one.
    #[inline]
    pub(crate) fn node_override(&self, i: NodeIndex, base_nodes: usize) -> Option<&Node> {
        if i.index() >= base_nodes {
            return self.nodes.get(i.index() - base_nodes).map(|n| &**n);
        }
        if self.touched.get(i.index()) {
            return self.replaced.get(&i).map(|n| &**n);
        }
        None
    }
    pub(crate) fn edge(&self, e: EdgeIndex, base_edges: usize) -> &Edge {
        &self.edges[e.index() - base_edges].2
    }
    pub(crate) fn added_nodes(&self) -> impl Iterator<Item = (NodeIndex, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .map(|(k, n)| (NodeIndex::new(self.base_nodes + k), &**n))
            .filter(|(i, _)| !self.node_removed(*i))
    }
    pub(crate) fn added_edges(&self) -> impl Iterator<Item = &Edge> {
        self.edges
            .iter()
            .enumerate()
            .filter(|(k, _)| !self.edge_removed.get(self.base_edges + k))
            .map(|(_, (_, _, e))| &**e)
    }
    pub(crate) fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = NodeIndex> + '_ {
        self.by_kind.get(&kind).into_iter().flatten().copied().filter(move |i| {
            !self.node_removed(*i) && self.node_override(*i, self.base_nodes).is_some_and(|n| n.kind == kind)
        })
    }
    pub(crate) fn neighbors(&self, i: NodeIndex, dir: Direction) -> impl Iterator<Item = (EdgeIndex, NodeIndex)> + '_ {
        let adj = if dir == Direction::Outgoing { &self.out_adj } else { &self.in_adj };
        adj.get(&i).into_iter().flatten().filter(|e| !self.edge_removed(**e)).map(move |e| {
            let (a, b, _) = &self.edges[e.index() - self.base_edges];
            (*e, if dir == Direction::Outgoing { *b } else { *a })
        })
    }
    /// Replaced base nodes (by index) then added nodes, live ones.
    pub(crate) fn changed_nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        let mut replaced: Vec<NodeIndex> = self.replaced.keys().copied().filter(|i| !self.node_removed(*i)).collect();
        replaced.sort_unstable();
        replaced.into_iter().chain(self.added_nodes().map(|(i, _)| i))
    }
    pub(crate) fn hides_diagnostic(&self, d: &Diagnostic) -> bool {
        self.hidden.hides(&d.repo, &d.path, None)
    }
    pub(crate) fn hides_reference(&self, r: &Reference) -> bool {
        self.hidden.hides(&r.prov.repo, &r.prov.path, Some(&r.from))
    }
}

impl Graph {
    /// This snapshot with `removed` units' facts replaced by `added` ones
    /// (the old and new facts of changed units; a deleted unit is only in
    /// `removed`, a new one only in `added`). Costs what the changed units
    /// and their dependents hold plus the existing delta; see the module docs
    /// for what waits for the next full build.
    pub fn patch(
        &self,
        removed: &[Arc<UnitFacts>],
        added: &[Arc<UnitFacts>],
        generation: u64,
        repos: BTreeMap<String, RepoInfo>,
    ) -> Graph {
        if removed.is_empty() && added.is_empty() {
            return Graph { base: self.base.clone(), delta: self.delta.clone(), repos, generation };
        }
        let d = match &self.delta {
            Some(d) => Delta::clone(d),
            None => Delta::new(&self.base),
        };
        let mut p = Patcher { base: &self.base, d, declared: Vec::new(), resolved: Vec::new(), sites: HashMap::new() };
        p.apply(removed, added);
        Graph { base: self.base.clone(), delta: Some(Arc::new(p.d)), repos, generation }
    }
}

/// Hashes ([`link::key_hash`], [`link::id_hash`]) of the provides and node
/// ids that are in the old units or the new ones but not in both.
fn changed_hashes(removed: &[Arc<UnitFacts>], added: &[Arc<UnitFacts>]) -> HashSet<u64> {
    type Provided<'a> = HashSet<(&'a str, &'a str, &'a NodeId)>;
    fn facts(units: &[Arc<UnitFacts>]) -> (Provided<'_>, HashMap<&NodeId, &Node>) {
        let provides = units.iter().flat_map(|u| &u.provides).map(|p| (p.ns.as_str(), p.key.as_str(), &p.node));
        let nodes = units.iter().flat_map(|u| &u.nodes).map(|n| (&n.id, &**n));
        (provides.collect(), nodes.collect())
    }
    let (old_p, old_n) = facts(removed);
    let (new_p, new_n) = facts(added);
    let mut hashes = HashSet::new();
    for (ns, key, _) in old_p.symmetric_difference(&new_p) {
        hashes.insert(link::key_hash(ns, key));
    }
    let gone = old_n.iter().filter(|(id, _)| !new_n.contains_key(*id));
    let came = new_n.iter().filter(|(id, _)| !old_n.contains_key(*id));
    for (id, n) in gone.chain(came) {
        hashes.insert(link::id_hash(id));
        if n.kind == NodeKind::Topic {
            hashes.insert(link::key_hash(ns::TOPIC, &n.name));
            if let Some(t) = n.attr(attr::TOPIC) {
                hashes.insert(link::key_hash(ns::TOPIC, t));
            }
        }
    }
    hashes
}

/// The delta under construction, over its base.
struct Patcher<'a> {
    base: &'a Base,
    d: Delta,
    /// Declared edges of the new units, inserted after resolution.
    declared: Vec<Arc<Edge>>,
    /// Edges resolution made, inserted after the declared ones (the full build's order).
    resolved: Vec<Arc<Edge>>,
    /// Sites of `symbol` keys the delta changed, computed once per patch.
    sites: HashMap<String, Arc<[Site]>>,
}

impl Resolver for Patcher<'_> {
    fn has_node(&self, id: &NodeId) -> bool {
        self.index_of(id).is_some()
    }
    fn get_node(&self, id: &NodeId) -> Option<&Node> {
        self.index_of(id).map(|i| self.node_at(i))
    }
    fn providers_of(&self, ns: &str, key: &str) -> &[NodeId] {
        match self.d.provides.get(ns).and_then(|m| m.get(key)) {
            Some(v) => v,
            None => self.base.provides.get(ns).and_then(|m| m.get(key)).map(Vec::as_slice).unwrap_or(&[]),
        }
    }
    fn emit_edge(&mut self, e: Arc<Edge>) {
        self.resolved.push(e);
    }
    fn emit_unresolved(&mut self, r: &Reference) {
        self.d.unresolved.push(r.clone());
    }
    fn create_node(&mut self, n: Node) {
        match self.index_of(&n.id) {
            Some(i) => {
                let mut cur = self.arc_at(i);
                if link::fill_gaps(&mut cur, &n) {
                    self.set_node(i, cur);
                }
            }
            None => {
                self.put_node(Arc::new(n));
            }
        }
    }
    fn sites_for(&mut self, key: &str) -> Arc<[Site]> {
        let changed = self.d.provides.get(ns::SYMBOL).is_some_and(|m| m.contains_key(key));
        if !changed {
            return self.base.symbol_sites.get(key).cloned().unwrap_or_else(|| Arc::from(Vec::new()));
        }
        if let Some(s) = self.sites.get(key) {
            return s.clone();
        }
        let s = sites_of(self, self.providers_of(ns::SYMBOL, key));
        self.sites.insert(key.to_string(), s.clone());
        s
    }
    fn add_provide(&mut self, id: NodeId, ns: &str, key: &str) {
        if ns == ns::SYMBOL {
            self.sites.remove(key);
        }
        let v = self.providers_mut(ns, key);
        if !v.iter().rev().take(4).any(|n| *n == id) {
            v.push(id);
        }
    }
}

impl Patcher<'_> {
    fn apply(&mut self, removed: &[Arc<UnitFacts>], added: &[Arc<UnitFacts>]) {
        // Who else must be resolved again: units referencing what changed. A
        // reference's resolution reads which nodes exist and what they provide,
        // so only provides and node ids that appear or disappear count (a saved
        // file that keeps its functions has no dependents).
        let hashes = changed_hashes(removed, added);
        let mut old_ids = BTreeSet::new();
        for u in removed {
            if let Some(id) = self.unit_id(u) {
                old_ids.insert(id);
            }
        }
        let mut dependents = BTreeSet::new();
        let mut capped = false;
        for h in &hashes {
            let users = self.units_referencing(*h);
            // A popular key (a method name thousands of files call) waits for the full build.
            if users.len() > MAX_DEPENDENTS || dependents.len() + users.len() > 4 * MAX_DEPENDENTS {
                capped = true;
                continue;
            }
            dependents.extend(users.into_iter().filter(|u| !old_ids.contains(u)));
        }
        let dependents: Vec<(u32, Arc<UnitFacts>)> =
            dependents.into_iter().filter_map(|u| self.unit(u).map(|f| (u, f.clone()))).collect();
        let all_old: Vec<Arc<UnitFacts>> =
            removed.iter().cloned().chain(dependents.iter().map(|(_, f)| f.clone())).collect();
        let all_new: Vec<Arc<UnitFacts>> =
            added.iter().cloned().chain(dependents.iter().map(|(_, f)| f.clone())).collect();

        // Unit-level facts of the old units: hidden in the base, dropped from the delta.
        let mut hide = Hidden::default();
        for u in &all_old {
            hide.add_unit(u);
        }
        self.d.unresolved.retain(|r| !hide.hides(&r.prov.repo, &r.prov.path, Some(&r.from)));
        self.d.diagnostics.retain(|x| !hide.hides(&x.repo, &x.path, None));
        for v in self.d.dangling.values_mut() {
            v.retain(|e| !hide.hides_edge(e));
        }
        self.d.dangling.retain(|_, v| !v.is_empty());
        self.d.hidden.extend(&hide);

        // Their edges: declared ones (the same allocation) and resolved ones.
        for u in &all_old {
            self.hide_unit_edges(u);
        }
        for u in old_ids.iter().copied().chain(dependents.iter().map(|(u, _)| *u)) {
            self.d.dead_units.insert(u);
        }
        for u in removed.iter().chain(dependents.iter().map(|(_, f)| f)) {
            self.d.unit_of.remove(&(Arc::as_ptr(u) as usize));
        }
        let mut new_ids = Vec::with_capacity(all_new.len());
        for u in &all_new {
            new_ids.push(self.push_unit(u));
        }

        // Nodes: every id an old or new unit declares is merged again from its live declarers.
        let mut new_decls: HashMap<NodeId, Vec<(u32, Arc<Node>)>> = HashMap::new();
        let mut order: Vec<NodeId> = Vec::new();
        let mut seen: HashSet<NodeId> = HashSet::new();
        for u in &all_old {
            for n in &u.nodes {
                if seen.insert(n.id.clone()) {
                    order.push(n.id.clone());
                }
            }
        }
        for (u, facts) in new_ids.iter().zip(&all_new) {
            for n in &facts.nodes {
                new_decls.entry(n.id.clone()).or_default().push((*u, n.clone()));
                if seen.insert(n.id.clone()) {
                    order.push(n.id.clone());
                }
            }
        }
        let mut added_ids: Vec<NodeId> = Vec::new();
        let mut stale_check: Vec<NodeId> = Vec::new();
        for id in order {
            let mut decl: Vec<(u32, Arc<Node>)> = self
                .declarers(&id)
                .into_iter()
                .filter(|u| !self.d.dead_units.contains(u))
                .filter_map(|u| self.unit(u).and_then(|f| f.nodes.iter().find(|n| n.id == id)).map(|n| (u, n.clone())))
                .collect();
            if let Some(v) = new_decls.get(&id) {
                for (u, n) in v {
                    if !decl.iter().any(|(x, _)| x == u) {
                        decl.push((*u, n.clone()));
                    }
                }
            }
            decl.sort_by_key(|(u, _)| *u);
            self.d.declarers.insert(id.clone(), decl.iter().map(|(u, _)| *u).collect());
            let Some(((_, first), rest)) = decl.split_first() else {
                if let Some(i) = self.index_of(&id) {
                    match self.used_topic(i) {
                        // Nobody declares the topic any more but others use it: it exists by being used.
                        Some(n) => self.set_node(i, Arc::new(n)),
                        None => stale_check.extend(self.remove_node(i)),
                    }
                }
                continue;
            };
            let mut merged = first.clone();
            for (_, n) in rest {
                link::fill_gaps(&mut merged, n);
            }
            match self.index_of(&id) {
                Some(i) if Arc::ptr_eq(&self.arc_at(i), &merged) => {}
                Some(i) => self.set_node(i, merged),
                None => {
                    self.put_node(merged);
                    added_ids.push(id.clone());
                }
            }
            if matches!(first.kind, NodeKind::Lesson | NodeKind::Failure) {
                stale_check.push(id);
            }
        }

        // Provides: the old units' out, the new units' in.
        for u in &all_old {
            for p in &u.provides {
                // Another live unit declaring the node may provide the same key (lists hold it once).
                let still = self.declarers(&p.node).into_iter().any(|d| {
                    self.unit(d).is_some_and(|f| {
                        !Arc::ptr_eq(f, u)
                            && f.provides.iter().any(|q| q.node == p.node && q.ns == p.ns && q.key == p.key)
                    })
                });
                if still {
                    continue;
                }
                let v = self.providers_mut(&p.ns, &p.key);
                if let Some(k) = v.iter().position(|n| *n == p.node) {
                    v.remove(k);
                }
            }
        }
        for u in &all_new {
            for p in &u.provides {
                self.add_provide(p.node.clone(), &p.ns, &p.key);
            }
            self.declared.extend(u.edges.iter().cloned());
            self.d.diagnostics.extend(u.diagnostics.iter().cloned());
        }

        // References, with the full linker's rules.
        for u in &all_new {
            for r in &u.refs {
                link::resolve_one(self, r);
            }
        }

        // Topics and external packages only the old units used go with them.
        if !capped {
            self.drop_unused_synthetic(&all_old, &mut stale_check);
        }

        // Edges: declared, resolved, and those waiting for a node that now exists.
        let mut revived = Vec::new();
        for id in &added_ids {
            if let Some(v) = self.base.dangling.get(id) {
                revived.extend(v.iter().filter(|e| !self.d.hidden.hides_edge(e)).cloned());
            }
            if let Some(v) = self.d.dangling.remove(id) {
                revived.extend(v);
            }
        }
        let declared = std::mem::take(&mut self.declared);
        let resolved = std::mem::take(&mut self.resolved);
        for e in revived.into_iter().chain(declared).chain(resolved) {
            if matches!(e.kind, EdgeKind::AppliesTo | EdgeKind::Affected) {
                stale_check.push(e.from.clone());
            }
            self.add_edge(e);
        }

        // Lessons and failures whose entities vanished (or came back).
        let mut done = HashSet::new();
        for id in stale_check {
            if done.insert(id.clone()) {
                self.refresh_stale(&id);
            }
        }
    }

    // ------------------------------------------------------------ lookups

    fn index_of(&self, id: &NodeId) -> Option<NodeIndex> {
        let i = self.slot_of(id)?;
        (!self.d.node_removed(i)).then_some(i)
    }
    /// The index an id has or had (removed ids keep theirs).
    fn slot_of(&self, id: &NodeId) -> Option<NodeIndex> {
        self.base.index.get(id).or_else(|| self.d.index.get(id)).copied()
    }
    fn node_at(&self, i: NodeIndex) -> &Node {
        self.d.node_override(i, self.d.base_nodes).unwrap_or_else(|| &self.base.g[i])
    }
    fn arc_at(&self, i: NodeIndex) -> Arc<Node> {
        if i.index() >= self.d.base_nodes {
            return self.d.nodes[i.index() - self.d.base_nodes].clone();
        }
        self.d.replaced.get(&i).cloned().unwrap_or_else(|| self.base.g[i].clone())
    }
    fn edge_at(&self, e: EdgeIndex) -> &Arc<Edge> {
        if e.index() >= self.d.base_edges {
            return &self.d.edges[e.index() - self.d.base_edges].2;
        }
        &self.base.g[e]
    }
    /// Live edges at `i` in one direction: `(edge, other end)`.
    fn edges_at(&self, i: NodeIndex, dir: Direction) -> Vec<(EdgeIndex, NodeIndex)> {
        let base = self
            .base
            .g
            .edges_directed(i, dir)
            .filter(|e| !self.d.edge_removed(e.id()))
            .map(|e| (e.id(), if dir == Direction::Outgoing { e.target() } else { e.source() }));
        base.chain(self.d.neighbors(i, dir)).collect()
    }
    fn unit(&self, u: u32) -> Option<&Arc<UnitFacts>> {
        if self.d.dead_units.contains(&u) {
            return None;
        }
        let k = u as usize;
        match self.base.units.get(k) {
            Some(f) => Some(f),
            None => self.d.units.get(k - self.base.units.len()),
        }
    }
    fn unit_id(&self, facts: &Arc<UnitFacts>) -> Option<u32> {
        let ptr = Arc::as_ptr(facts) as usize;
        let u = self.d.unit_of.get(&ptr).or_else(|| self.base.unit_of.get(&ptr)).copied()?;
        (!self.d.dead_units.contains(&u)).then_some(u)
    }
    /// Live units with a reference whose resolution depends on `h` ([`link::key_hash`]).
    fn units_referencing(&self, h: u64) -> Vec<u32> {
        let ix = &self.base.refs_by_key;
        let start = ix.partition_point(|(k, _)| *k < h);
        let mut out: Vec<u32> = ix[start..].iter().take_while(|(k, _)| *k == h).map(|(_, u)| *u).collect();
        out.extend(self.d.refs_by_key.get(&h).into_iter().flatten().copied());
        out.retain(|u| !self.d.dead_units.contains(u));
        out
    }
    /// Declaring units of `id` as last recorded (dead ones included).
    fn declarers(&self, id: &NodeId) -> Vec<u32> {
        if let Some(v) = self.d.declarers.get(id).or_else(|| self.base.declarers.get(id)) {
            return v.clone();
        }
        match self.base.index.get(id) {
            Some(i) => match self.base.node_unit.get(i.index()) {
                Some(&u) if u != NO_UNIT => vec![u],
                _ => Vec::new(),
            },
            None => Vec::new(),
        }
    }
    fn providers_mut(&mut self, ns: &str, key: &str) -> &mut Vec<NodeId> {
        let base = &self.base.provides;
        self.d
            .provides
            .entry(ns.to_string())
            .or_default()
            .entry(key.to_string())
            .or_insert_with(|| base.get(ns).and_then(|m| m.get(key)).cloned().unwrap_or_default())
    }

    // ------------------------------------------------------------ changes

    fn push_unit(&mut self, facts: &Arc<UnitFacts>) -> u32 {
        let u = u32::try_from(self.base.units.len() + self.d.units.len()).unwrap_or(NO_UNIT);
        self.d.units.push(facts.clone());
        self.d.unit_of.insert(Arc::as_ptr(facts) as usize, u);
        for r in &facts.refs {
            for h in link::ref_hashes(r) {
                let v = self.d.refs_by_key.entry(h).or_default();
                if v.last() != Some(&u) {
                    v.push(u);
                }
            }
        }
        u
    }

    fn set_node(&mut self, i: NodeIndex, n: Arc<Node>) {
        let kind = n.kind;
        if i.index() >= self.d.base_nodes {
            let slot = &mut self.d.nodes[i.index() - self.d.base_nodes];
            let changed_kind = slot.kind != kind;
            *slot = n;
            if changed_kind {
                self.d.by_kind.entry(kind).or_default().push(i);
            }
            return;
        }
        self.d.touched.set(i.index());
        self.d.replaced.insert(i, n);
        if self.base.g[i].kind != kind {
            let v = self.d.by_kind.entry(kind).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
    }

    /// Adds a node, reusing the index its id had if it was removed.
    fn put_node(&mut self, n: Arc<Node>) -> NodeIndex {
        match self.slot_of(&n.id) {
            Some(i) => {
                if self.d.node_removed(i) {
                    self.d.removed.clear(i.index());
                    self.d.node_count += 1;
                }
                self.set_node(i, n);
                i
            }
            None => {
                let i = NodeIndex::new(self.d.base_nodes + self.d.nodes.len());
                self.d.index.insert(n.id.clone(), i);
                self.d.by_kind.entry(n.kind).or_default().push(i);
                self.d.nodes.push(n);
                self.d.node_count += 1;
                i
            }
        }
    }

    /// Removes a node and hides its edges; edges other units made wait in
    /// `dangling` for it to come back. Returns lessons and failures that
    /// pointed at it (to mark stale).
    fn remove_node(&mut self, i: NodeIndex) -> Vec<NodeId> {
        let id = self.node_at(i).id.clone();
        let mut stale = Vec::new();
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for (e, _) in self.edges_at(i, dir) {
                let edge = self.edge_at(e).clone();
                if dir == Direction::Incoming && matches!(edge.kind, EdgeKind::AppliesTo | EdgeKind::Affected) {
                    stale.push(edge.from.clone());
                }
                self.hide_edge(e);
                self.d.dangling.entry(id.clone()).or_default().push(edge);
            }
        }
        self.d.removed.set(i.index());
        if i.index() < self.d.base_nodes {
            self.d.touched.set(i.index());
        }
        self.d.node_count -= 1;
        stale
    }

    fn hide_edge(&mut self, e: EdgeIndex) {
        if !self.d.edge_removed(e) {
            self.d.edge_removed.set(e.index());
            self.d.edge_count -= 1;
        }
    }

    /// Hides the edges a unit made: its declared edges (the same allocation
    /// as in its facts) and the edges its references resolved to.
    fn hide_unit_edges(&mut self, u: &UnitFacts) {
        let mut hide = Vec::new();
        let mut froms: HashMap<&NodeId, Vec<&Edge>> = HashMap::new();
        for e in &u.edges {
            froms.entry(&e.from).or_default().push(e);
        }
        for (from, declared) in &froms {
            let Some(i) = self.index_of(from) else { continue };
            for (e, _) in self.edges_at(i, Direction::Outgoing) {
                let edge = self.edge_at(e);
                if declared.iter().any(|d| std::ptr::eq(*d, &**edge)) {
                    hide.push(e);
                }
            }
        }
        let mut by_from: HashMap<&NodeId, Vec<&Reference>> = HashMap::new();
        for r in &u.refs {
            by_from.entry(&r.from).or_default().push(r);
        }
        for (from, refs) in &by_from {
            let Some(i) = self.index_of(from) else { continue };
            for (e, _) in self.edges_at(i, Direction::Outgoing) {
                let edge = self.edge_at(e);
                let made_by = |r: &&Reference| {
                    r.kind == edge.kind
                        && r.prov.ingestor == edge.prov.ingestor
                        && r.prov.repo == edge.prov.repo
                        && r.prov.path == edge.prov.path
                };
                if refs.iter().any(made_by) {
                    hide.push(e);
                }
            }
        }
        for e in hide {
            self.hide_edge(e);
        }
    }

    /// Adds an edge if both ends exist (else it waits for the missing end),
    /// keeping one edge per `(from, kind, to)`: the most confident, the first on a tie.
    fn add_edge(&mut self, e: Arc<Edge>) {
        let Some(a) = self.index_of(&e.from) else {
            self.d.dangling.entry(e.from.clone()).or_default().push(e);
            return;
        };
        let Some(b) = self.index_of(&e.to) else {
            self.d.dangling.entry(e.to.clone()).or_default().push(e);
            return;
        };
        for (x, j) in self.edges_at(a, Direction::Outgoing) {
            if j != b {
                continue;
            }
            let prev = self.edge_at(x);
            if prev.kind != e.kind {
                continue;
            }
            if prev.prov.origin.confidence() >= e.prov.origin.confidence() {
                return;
            }
            self.hide_edge(x);
        }
        let k = EdgeIndex::new(self.d.base_edges + self.d.edges.len());
        self.d.edges.push((a, b, e));
        self.d.out_adj.entry(a).or_default().push(k);
        self.d.in_adj.entry(b).or_default().push(k);
        self.d.edge_count += 1;
    }

    /// Removes topic and external package nodes the linker made for the old
    /// units' references when no live reference asks for them any more.
    fn drop_unused_synthetic(&mut self, old: &[Arc<UnitFacts>], stale: &mut Vec<NodeId>) {
        let mut cands: Vec<(NodeId, &str, &str)> = Vec::new();
        for u in old {
            for r in &u.refs {
                let RefTarget::Key { ns: n, key, .. } = &r.target else { continue };
                let id = match n.as_str() {
                    ns::TOPIC => NodeId::topic(key),
                    ns::PACKAGE => {
                        let (eco, name) = key.split_once(':').unwrap_or(("", key.as_str()));
                        NodeId::package(eco, name)
                    }
                    _ => continue,
                };
                cands.push((id, n, key));
            }
        }
        for (id, n, key) in cands {
            let Some(i) = self.index_of(&id) else { continue };
            if !self.declarers(&id).iter().all(|u| self.d.dead_units.contains(u)) {
                continue;
            }
            if self.node_at(i).prov.ingestor != crate::unit::linker() {
                continue;
            }
            let used = self.units_referencing(link::key_hash(n, key)).into_iter().any(|u| {
                self.unit(u).is_some_and(|f| {
                    f.refs
                        .iter()
                        .any(|r| matches!(&r.target, RefTarget::Key { ns: rn, key: rk, .. } if rn == n && rk == key))
                })
            });
            if used {
                continue;
            }
            if n == ns::TOPIC && self.providers_of(n, key).iter().any(|p| *p != id) {
                continue; // an operation provides it: the topic pass keeps it
            }
            stale.extend(self.remove_node(i));
            let v = self.providers_mut(n, key);
            v.retain(|p| *p != id);
        }
    }

    /// The topic node the linker would make at `i` for a live unit's
    /// reference, if `i` is a topic something still publishes or subscribes to.
    fn used_topic(&self, i: NodeIndex) -> Option<Node> {
        let n = self.node_at(i);
        if n.kind != NodeKind::Topic {
            return None;
        }
        let key = n.attr(attr::TOPIC).unwrap_or(&n.name).to_string();
        let mut users = self.units_referencing(link::key_hash(ns::TOPIC, &key));
        users.sort_unstable();
        let r = users.into_iter().filter_map(|u| self.unit(u)).find_map(|f| {
            f.refs
                .iter()
                .find(|r| matches!(&r.target, RefTarget::Key { ns: rn, key: rk, .. } if rn == ns::TOPIC && *rk == key))
        })?;
        Some(Node::new(n.id.clone(), NodeKind::Topic, key.clone(), link::synth_prov(r)).with_attr(attr::TOPIC, key))
    }

    /// Recomputes a lesson's or failure's node from its declarations and
    /// marks it stale if an entity it applies to is missing (as the full build does).
    fn refresh_stale(&mut self, id: &NodeId) {
        let Some(i) = self.index_of(id) else { return };
        if !matches!(self.node_at(i).kind, NodeKind::Lesson | NodeKind::Failure) {
            return;
        }
        let decl: Vec<u32> = self.declarers(id).into_iter().filter(|u| !self.d.dead_units.contains(u)).collect();
        let mut merged: Option<Arc<Node>> = None;
        let mut missing: Vec<String> = Vec::new();
        for u in decl {
            let Some(f) = self.unit(u) else { continue };
            if let Some(n) = f.nodes.iter().find(|n| n.id == *id) {
                match &mut merged {
                    None => merged = Some(n.clone()),
                    Some(m) => {
                        link::fill_gaps(m, n);
                    }
                }
            }
            for e in f.edges.iter().filter(|e| e.from == *id) {
                if matches!(e.kind, EdgeKind::AppliesTo | EdgeKind::Affected) && self.index_of(&e.to).is_none() {
                    missing.push(e.to.to_string());
                }
            }
        }
        let Some(mut node) = merged else { return };
        if !missing.is_empty() {
            let n = Arc::make_mut(&mut node);
            n.attrs.insert("stale_targets", missing.join(","));
            if n.kind == NodeKind::Lesson && n.attr(attr::STATUS) != Some("retired") {
                n.attrs.insert(attr::STATUS, "stale".into());
            }
        }
        if !Arc::ptr_eq(&self.arc_at(i), &node) {
            self.set_node(i, node);
        }
    }
}
