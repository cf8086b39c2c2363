//! The linker: resolves [`Reference`]s into edges, and the [`LinkPass`]
//! extension point for resolution that needs the whole graph.
//!
//! Resolution rules, by namespace of a `RefTarget::Key`:
//! - `symbol`: a name-only match is not a link. Candidates declared in the
//!   reference's own file or in its `scope` (imported files, packages) win;
//!   otherwise a unique candidate in the same repo is linked with reduced
//!   confidence; ambiguous or cross-repo name matches are dropped.
//! - every other namespace (`http`, `grpc`, `topic`, `package`, `module`,
//!   `type`, `service`, ...) names a contract or a global identity, so every
//!   provider is linked, across repos (at most [`MAX_FANOUT`]).
//! - an unresolved `topic` creates the topic node (topics exist by being
//!   used); an unresolved `package` creates an external package node.
//! - unresolved `symbol` references (calls into libraries) are dropped;
//!   anything else unresolved is kept in `Graph::unresolved` for the checks.

use crate::graph::{Provides, NO_UNIT};
use crate::unit::linker;
use brain_model::{
    attr, attr::ns, Diagnostic, Edge, EdgeKind, Node, NodeId, NodeKind, Origin, RefTarget, Reference, Str,
};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A provider key matching more nodes than this is treated as noise.
pub const MAX_FANOUT: usize = 16;

/// Resolution that needs the whole graph, contributed by ingestor crates
/// (CODEOWNERS rules to files, Go import paths to packages, consumer reads to
/// producer fields). Passes run after reference resolution, in the order given.
pub trait LinkPass: Send + Sync {
    fn name(&self) -> &'static str;
    fn run(&self, ctx: &mut LinkContext);
}

/// The mutable graph under construction, as link passes see it.
///
/// Nodes and edges are shared (`Arc`) with the per-file facts they came
/// from; a pass that changes a node gets its own copy ([`LinkContext::node_mut`]).
pub struct LinkContext {
    pub(crate) nodes: Vec<Arc<Node>>,
    pub(crate) index: HashMap<NodeId, usize>,
    pub(crate) edges: Vec<Arc<Edge>>,
    pub(crate) refs: Vec<Reference>,
    /// Units whose references are resolved in place (not copied).
    pub(crate) units: Vec<Arc<crate::unit::UnitFacts>>,
    /// `ns -> key -> providers`, nested so lookups need no allocation.
    pub(crate) provides: Provides,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) unresolved: Vec<Reference>,
    files_by_repo: Option<HashMap<String, Vec<usize>>>,
    /// `symbol` providers by key, sorted by place; built before references
    /// are resolved and dropped when a symbol is provided afterwards.
    symbol_sites: Option<HashMap<String, Arc<[Site]>>>,
    /// The unit whose nodes are being added ([`NO_UNIT`] outside `add_unit`).
    pub(crate) cur_unit: u32,
    /// First declaring unit per node, parallel to `nodes`.
    pub(crate) node_unit: Vec<u32>,
    /// Every declaring unit of nodes declared by several units.
    pub(crate) declarers: HashMap<NodeId, Vec<u32>>,
}

/// Where one provider of a `symbol` key is declared. `pos` is its position
/// in the key's provider list, so picks keep the order a scan would give.
#[derive(Clone, Debug)]
pub(crate) struct Site {
    repo: Str,
    path: Str,
    id: NodeId,
    pos: u32,
}

impl Default for LinkContext {
    fn default() -> Self {
        LinkContext {
            nodes: Vec::new(),
            index: HashMap::new(),
            edges: Vec::new(),
            refs: Vec::new(),
            units: Vec::new(),
            provides: Provides::new(),
            diagnostics: Vec::new(),
            unresolved: Vec::new(),
            files_by_repo: None,
            cur_unit: NO_UNIT,
            node_unit: Vec::new(),
            declarers: HashMap::new(),
            symbol_sites: None,
        }
    }
}

/// Merges a later declaration of a node into the first: a declared origin
/// replaces an inferred one, missing attributes and an empty text are filled.
/// Returns whether anything changed (the node is copied only then).
pub(crate) fn fill_gaps(existing: &mut Arc<Node>, node: &Node) -> bool {
    let fills_gap = (!existing.prov.origin.is_declared() && node.prov.origin.is_declared())
        || node.attrs.keys().any(|k| !existing.attrs.contains_key(k))
        || (existing.text.is_empty() && !node.text.is_empty());
    if !fills_gap {
        return false;
    }
    let existing = Arc::make_mut(existing);
    if !existing.prov.origin.is_declared() && node.prov.origin.is_declared() {
        existing.prov = node.prov.clone();
    }
    for (k, v) in node.attrs.iter() {
        existing.attrs.entry(k.clone()).or_insert(v.clone());
    }
    if existing.text.is_empty() {
        existing.text = node.text.clone();
    }
    true
}

impl LinkContext {
    /// Adds a node; a second declaration of the same id fills gaps in the first.
    pub fn add_node(&mut self, node: Node) {
        self.add_shared_node(Arc::new(node));
    }
    /// Adds a shared node (from a unit's facts) without copying it.
    pub fn add_shared_node(&mut self, node: Arc<Node>) {
        match self.index.get(&node.id) {
            Some(&i) => {
                let (first, unit) = (self.node_unit[i], self.cur_unit);
                if unit != NO_UNIT && first != unit {
                    if first == NO_UNIT {
                        // Declared after the linker made it: the declaring unit owns it now.
                        self.node_unit[i] = unit;
                    } else {
                        let ds = self.declarers.entry(node.id.clone()).or_insert_with(|| vec![first]);
                        if ds.last() != Some(&unit) {
                            ds.push(unit);
                        }
                    }
                }
                fill_gaps(&mut self.nodes[i], &node);
            }
            None => {
                if node.kind == NodeKind::File {
                    self.files_by_repo = None;
                }
                self.index.insert(node.id.clone(), self.nodes.len());
                self.nodes.push(node);
                self.node_unit.push(self.cur_unit);
            }
        }
    }
    pub fn add_edge(&mut self, edge: Edge) {
        self.edges.push(Arc::new(edge));
    }
    /// Resolves a reference to `to` the way the linker does: the edge keeps the reference's
    /// kind, provenance and attributes.
    pub fn link_ref(&mut self, r: &Reference, to: NodeId) {
        self.edges.push(edge_from_ref(r, to, 1.0));
    }
    pub fn diagnostic(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
    pub fn provide(&mut self, node: NodeId, ns: &str, key: &str) {
        if ns == ns::SYMBOL {
            self.symbol_sites = None;
        }
        let by_key = match self.provides.get_mut(ns) {
            Some(m) => m,
            None => self.provides.entry(ns.to_string()).or_default(),
        };
        let v = match by_key.get_mut(key) {
            Some(v) => v,
            None => by_key.entry(key.to_string()).or_default(),
        };
        // A unit declares its provides together, so a repeat is among the
        // last few; a full scan would be quadratic for a popular key (a
        // method name thousands of classes define). Rare farther repeats
        // only produce duplicate edges, which freezing removes.
        if !v.iter().rev().take(4).any(|n| *n == node) {
            v.push(node);
        }
    }
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.index.get(id).map(|&i| &*self.nodes[i])
    }
    /// A node to change; copied first if a stored unit still shares it.
    pub fn node_mut(&mut self, id: &NodeId) -> Option<&mut Node> {
        self.index.get(id).copied().map(move |i| Arc::make_mut(&mut self.nodes[i]))
    }
    pub fn contains(&self, id: &NodeId) -> bool {
        self.index.contains_key(id)
    }
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.iter().map(|n| &**n)
    }
    pub fn nodes_of_kind(&self, kind: NodeKind) -> impl Iterator<Item = &Node> {
        self.nodes().filter(move |n| n.kind == kind)
    }
    /// Edges collected so far (declared and resolved).
    pub fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.edges.iter().map(|e| &**e)
    }
    /// References that could not be resolved by namespace rules. A pass that
    /// resolves one should call [`LinkContext::take_unresolved`] and put back the rest.
    pub fn unresolved(&self) -> &[Reference] {
        &self.unresolved
    }
    pub fn take_unresolved(&mut self) -> Vec<Reference> {
        std::mem::take(&mut self.unresolved)
    }
    pub fn push_unresolved(&mut self, r: Reference) {
        self.unresolved.push(r);
    }
    /// Nodes that provide `(ns, key)`.
    pub fn providers(&self, ns: &str, key: &str) -> &[NodeId] {
        self.provides.get(ns).and_then(|m| m.get(key)).map(Vec::as_slice).unwrap_or(&[])
    }
    /// The by-place index of `symbol` providers, if built (the frozen graph keeps it for patches).
    pub(crate) fn take_symbol_sites(&mut self) -> HashMap<String, Arc<[Site]>> {
        self.symbol_sites.take().unwrap_or_default()
    }
    /// Every `(ns, key)` provided, for passes that match by prefix.
    pub fn provided_keys(&self, ns: &str) -> impl Iterator<Item = (&str, &[NodeId])> {
        self.provides.get(ns).into_iter().flatten().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
    /// File nodes of a repo.
    pub fn files_in_repo(&mut self, repo: &str) -> Vec<&Node> {
        if self.files_by_repo.is_none() {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, n) in self.nodes.iter().enumerate() {
                if n.kind == NodeKind::File {
                    m.entry(n.prov.repo.to_string()).or_default().push(i);
                }
            }
            self.files_by_repo = Some(m);
        }
        let idx = self.files_by_repo.as_ref().and_then(|m| m.get(repo)).cloned().unwrap_or_default();
        idx.into_iter().map(|i| &*self.nodes[i]).collect()
    }
}

/// What resolving a reference needs from the graph under construction: the
/// full build ([`LinkContext`]) and a patch ([`crate::patch`]) implement it,
/// so both resolve with the same rules ([`resolve_one`]).
pub(crate) trait Resolver {
    fn has_node(&self, id: &NodeId) -> bool;
    fn get_node(&self, id: &NodeId) -> Option<&Node>;
    fn providers_of(&self, ns: &str, key: &str) -> &[NodeId];
    fn emit_edge(&mut self, e: Arc<Edge>);
    fn emit_unresolved(&mut self, r: &Reference);
    /// Adds a node the linker makes (a topic on first use, an external package).
    fn create_node(&mut self, n: Node);
    fn add_provide(&mut self, id: NodeId, ns: &str, key: &str);
    /// The providers of a `symbol` key sorted by place ([`sites_of`]).
    fn sites_for(&mut self, key: &str) -> Arc<[Site]>;
}

impl Resolver for LinkContext {
    fn has_node(&self, id: &NodeId) -> bool {
        self.contains(id)
    }
    fn get_node(&self, id: &NodeId) -> Option<&Node> {
        self.node(id)
    }
    fn providers_of(&self, ns: &str, key: &str) -> &[NodeId] {
        self.providers(ns, key)
    }
    fn emit_edge(&mut self, e: Arc<Edge>) {
        self.edges.push(e);
    }
    fn emit_unresolved(&mut self, r: &Reference) {
        self.unresolved.push(r.clone());
    }
    fn create_node(&mut self, n: Node) {
        let unit = std::mem::replace(&mut self.cur_unit, NO_UNIT);
        self.add_node(n);
        self.cur_unit = unit;
    }
    fn add_provide(&mut self, id: NodeId, ns: &str, key: &str) {
        self.provide(id, ns, key);
    }
    fn sites_for(&mut self, key: &str) -> Arc<[Site]> {
        if self.symbol_sites.is_none() {
            index_symbol_sites(self);
        }
        self.symbol_sites.as_ref().and_then(|m| m.get(key)).cloned().unwrap_or_else(|| Arc::from(Vec::new()))
    }
}

/// Resolves every reference collected by the builder.
pub(crate) fn resolve_references(ctx: &mut LinkContext) {
    ctx.cur_unit = NO_UNIT;
    index_symbol_sites(ctx);
    let refs = std::mem::take(&mut ctx.refs);
    for r in &refs {
        resolve_one(ctx, r);
    }
    let units = std::mem::take(&mut ctx.units);
    for r in units.iter().flat_map(|u| &u.refs) {
        resolve_one(ctx, r);
    }
    ctx.units = units;
}

/// Hash of what a reference asks for, for the re-resolution index: `(ns, key)`
/// for keys, each candidate id for `AnyOf`.
pub(crate) fn key_hash(ns: &str, key: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    ns.hash(&mut h);
    key.hash(&mut h);
    h.finish()
}

pub(crate) fn id_hash(id: &NodeId) -> u64 {
    key_hash("\0id", id.as_str())
}

/// The hashes a reference's resolution depends on (see [`key_hash`]).
pub(crate) fn ref_hashes(r: &Reference) -> Vec<u64> {
    match &r.target {
        RefTarget::AnyOf(ids) => ids.iter().map(id_hash).collect(),
        RefTarget::Key { ns, key, .. } => vec![key_hash(ns, key)],
    }
}

/// Resolves one reference into edges, an unresolved entry or a node the
/// linker makes; see the module docs for the rules.
pub(crate) fn resolve_one<R: Resolver>(ctx: &mut R, r: &Reference) {
    match &r.target {
        RefTarget::AnyOf(candidates) => match candidates.iter().find(|c| ctx.has_node(c)) {
            Some(to) => {
                let to = to.clone();
                ctx.emit_edge(edge_from_ref(r, to, 1.0));
            }
            None => ctx.emit_unresolved(r),
        },
        RefTarget::Key { ns: n, key, scope } => {
            if n == ns::SYMBOL {
                let sites = ctx.sites_for(key);
                let picked = pick_symbol(ctx, r, &sites, scope);
                for (to, factor) in picked {
                    ctx.emit_edge(edge_from_ref(r, to, factor));
                }
                // Calls to names nobody here defines are calls into libraries: not kept.
                return;
            }
            if n == ns::TOPIC {
                // Topics exist by being used: every publisher, subscriber and
                // spec operation meets at the one topic node.
                let id = ensure_topic(ctx, key, r);
                ctx.emit_edge(edge_from_ref(r, id, 1.0));
                return;
            }
            let providers = ctx.providers_of(n, key);
            if providers.is_empty() || providers.len() > MAX_FANOUT {
                match n.as_str() {
                    ns::PACKAGE if providers.is_empty() => {
                        let (eco, name) = key.split_once(':').unwrap_or(("", key.as_str()));
                        let id = NodeId::package(eco, name);
                        ctx.create_node(
                            Node::new(id.clone(), NodeKind::Package, name, synth_prov(r))
                                .with_attr(attr::ECOSYSTEM, eco)
                                .with_attr(attr::EXTERNAL, "true"),
                        );
                        ctx.add_provide(id.clone(), ns::PACKAGE, key);
                        ctx.emit_edge(edge_from_ref(r, id, 1.0));
                    }
                    _ => ctx.emit_unresolved(r),
                }
                return;
            }
            let edges: Vec<Arc<Edge>> =
                providers.iter().filter(|to| **to != r.from).map(|to| edge_from_ref(r, to.clone(), 1.0)).collect();
            for e in edges {
                ctx.emit_edge(e);
            }
        }
    }
}

/// Groups the providers of every `symbol` key by place (repo, path), so that
/// a reference looks at its own file, its imports and its repo by binary
/// search. A scan of every provider was quadratic in an organisation where
/// thousands of files define the same name (`new`, `get`, `Item`).
fn index_symbol_sites(ctx: &mut LinkContext) {
    let mut out: HashMap<String, Arc<[Site]>> = HashMap::new();
    for (key, providers) in ctx.provides.get(ns::SYMBOL).into_iter().flatten() {
        out.insert(key.clone(), sites_of(ctx, providers));
    }
    ctx.symbol_sites = Some(out);
}

/// `providers` as sites sorted by place (see [`index_symbol_sites`]).
pub(crate) fn sites_of<R: Resolver + ?Sized>(ctx: &R, providers: &[NodeId]) -> Arc<[Site]> {
    let mut sites: Vec<Site> = providers
        .iter()
        .enumerate()
        .filter_map(|(pos, id)| {
            let n = ctx.get_node(id)?;
            Some(Site { repo: n.prov.repo.clone(), path: n.prov.path.clone(), id: id.clone(), pos: pos as u32 })
        })
        .collect();
    sites.sort_by(|a, b| (&a.repo, &a.path, a.pos).cmp(&(&b.repo, &b.path, b.pos)));
    sites.into()
}

/// The sites declared in `repo` (and `path`, when given).
fn sites_at<'a>(sites: &'a [Site], repo: &str, path: Option<&str>) -> &'a [Site] {
    let place = |s: &Site| match path {
        Some(p) => (s.repo.as_str(), s.path.as_str()).cmp(&(repo, p)),
        None => s.repo.as_str().cmp(repo),
    };
    let start = sites.partition_point(|s| place(s).is_lt());
    let len = sites[start..].partition_point(|s| place(s).is_eq());
    &sites[start..start + len]
}

/// Whether the file at `repo`/`path` is a test file (the files ingestor marks them).
fn in_test_file<R: Resolver>(ctx: &R, repo: &str, path: &str) -> bool {
    ctx.get_node(&NodeId::file(repo, path)).is_some_and(|f| f.attr(attr::TEST) == Some("true"))
}

/// The sites declared in files directly in `dir` of `repo` (not in subdirectories).
fn sites_in_dir<'a>(sites: &'a [Site], repo: &str, dir: &'a str) -> impl Iterator<Item = &'a Site> + 'a {
    fn in_dir<'p>(dir: &str, path: &'p str) -> Option<&'p str> {
        match dir {
            "" => Some(path),
            _ => path.strip_prefix(dir).and_then(|rest| rest.strip_prefix('/')),
        }
    }
    // Paths under `dir/` are contiguous in (repo, path) order.
    let in_repo = sites_at(sites, repo, None);
    let start = in_repo.partition_point(|s| s.path.as_str() < dir);
    in_repo[start..]
        .iter()
        .take_while(move |s| dir.is_empty() || s.path.starts_with(dir))
        .filter(move |s| in_dir(dir, &s.path).is_some_and(|rest| !rest.contains('/')))
}

/// Chooses the targets of a name-based reference; see the module docs.
/// `sites` are the key's providers (see [`index_symbol_sites`]).
fn pick_symbol<R: Resolver>(ctx: &R, r: &Reference, sites: &[Site], scope: &[NodeId]) -> Vec<(NodeId, f32)> {
    if sites.is_empty() {
        return Vec::new();
    }
    // In scope: declared in the reference's own file or a file in its scope,
    // or a scope entry that is itself a provider.
    let mut scoped: Vec<&Site> = sites_at(sites, &r.prov.repo, Some(&r.prov.path)).iter().collect();
    for s in scope {
        if let Some(dir) = s.as_package_dir(&r.prov.repo) {
            scoped.extend(sites_in_dir(sites, &r.prov.repo, dir));
            continue;
        }
        let Some(n) = ctx.get_node(s) else { continue };
        let here = sites_at(sites, &n.prov.repo, Some(&n.prov.path));
        if n.kind == NodeKind::File {
            scoped.extend(here);
        } else {
            scoped.extend(here.iter().filter(|site| site.id == *s));
        }
    }
    scoped.retain(|site| site.id != r.from);
    scoped.sort_by_key(|site| site.pos);
    scoped.dedup_by_key(|site| site.pos);
    // Code outside tests does not call test fakes: when both are in scope,
    // keep the definitions outside test files.
    if scoped.len() > 1 && !in_test_file(ctx, &r.prov.repo, &r.prov.path) {
        let outside_tests = scoped.iter().filter(|site| !in_test_file(ctx, &site.repo, &site.path)).count();
        if outside_tests > 0 && outside_tests < scoped.len() {
            scoped.retain(|site| !in_test_file(ctx, &site.repo, &site.path));
        }
    }
    if !scoped.is_empty() {
        let factor = 1.0 / scoped.len() as f32;
        return scoped.into_iter().map(|site| (site.id.clone(), factor.max(0.5))).collect();
    }
    let mut same_repo = sites_at(sites, &r.prov.repo, None).iter().filter(|site| site.id != r.from);
    match (same_repo.next(), same_repo.next()) {
        (Some(only), None) => vec![(only.id.clone(), 0.6)],
        _ => Vec::new(),
    }
}

pub(crate) fn edge_from_ref(r: &Reference, to: NodeId, factor: f32) -> Arc<Edge> {
    let mut prov = r.prov.clone();
    if factor < 1.0 {
        prov.origin = Origin::inferred(prov.origin.confidence() * factor);
    }
    Arc::new(Edge { from: r.from.clone(), to, kind: r.kind, prov, attrs: r.attrs.clone() })
}

/// The topic node for `name`, created on first use.
fn ensure_topic<R: Resolver>(ctx: &mut R, name: &str, r: &Reference) -> NodeId {
    let id = NodeId::topic(name);
    if !ctx.has_node(&id) {
        ctx.create_node(Node::new(id.clone(), NodeKind::Topic, name, synth_prov(r)).with_attr(attr::TOPIC, name));
    }
    id
}

/// Operations that provide a topic key (AsyncAPI channel operations) are
/// tied to the topic node: `send` operations publish to it, `receive` ones
/// subscribe, so a payload change reaches the topic's subscribers.
pub(crate) fn link_topic_operations(ctx: &mut LinkContext) {
    let mut add = Vec::new();
    for (key, providers) in ctx.provides.get(ns::TOPIC).into_iter().flatten() {
        for p in providers {
            let Some(node) = ctx.node(p) else { continue };
            if node.kind == NodeKind::Topic {
                continue;
            }
            let kind = match node.attr("action") {
                Some("receive") | Some("publish") => EdgeKind::Subscribes,
                _ => EdgeKind::Publishes,
            };
            let mut prov = node.prov.clone();
            prov.ingestor = linker();
            add.push((key.clone(), Edge::new(p.clone(), kind, NodeId::topic(key), prov)));
        }
    }
    for (key, e) in add {
        if !ctx.contains(&e.to) {
            let prov = e.prov.clone();
            ctx.add_node(Node::new(e.to.clone(), NodeKind::Topic, key.clone(), prov).with_attr(attr::TOPIC, key));
        }
        ctx.add_edge(e);
    }
}

/// Symbols use the data types their signature names (`fn publish(e: &OrderCreated)`),
/// when a data type of that exact name is declared in the same repo: adds
/// `symbol --uses_type--> type` (inferred, 0.85). Code data types that share
/// their name with a contract's schema in the same repo implement it:
/// `code type --implements--> spec type` (inferred, 0.6).
pub(crate) fn link_types_by_name(ctx: &mut LinkContext) {
    // (repo, name) -> data types, split by origin (code has a language; specs do not).
    let mut code_types: HashMap<(Str, String), Vec<NodeId>> = HashMap::new();
    let mut spec_types: HashMap<(Str, String), Vec<NodeId>> = HashMap::new();
    for n in ctx.nodes.iter().filter(|n| n.kind == NodeKind::DataType) {
        let short = n.name.rsplit(['.', ':']).next().unwrap_or(&n.name).to_string();
        let key = (n.prov.repo.clone(), short);
        if n.attr(attr::LANGUAGE).is_some() {
            code_types.entry(key).or_default().push(n.id.clone());
        } else {
            spec_types.entry(key).or_default().push(n.id.clone());
        }
    }
    let mut add = Vec::new();
    for n in ctx.nodes.iter().filter(|n| n.kind == NodeKind::Symbol) {
        let Some(sig) = n.attr(attr::SIGNATURE) else { continue };
        let mut seen = std::collections::HashSet::new();
        for word in sig.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| w.len() > 2) {
            if !word.starts_with(|c: char| c.is_uppercase()) || !seen.insert(word) {
                continue;
            }
            let Some(types) = code_types.get(&(n.prov.repo.clone(), word.to_string())) else { continue };
            if types.len() > 3 {
                continue;
            }
            for t in types {
                let mut prov = n.prov.clone();
                prov.ingestor = linker();
                prov.origin = Origin::inferred(0.85);
                add.push(Edge::new(n.id.clone(), EdgeKind::UsesType, t.clone(), prov).with_attr("matched", word));
            }
        }
    }
    for ((repo, name), codes) in &code_types {
        let Some(specs) = spec_types.get(&(repo.clone(), name.clone())) else { continue };
        for c in codes {
            for s in specs {
                let Some(node) = ctx.node(c) else { continue };
                let mut prov = node.prov.clone();
                prov.ingestor = linker();
                prov.origin = Origin::inferred(0.6);
                add.push(
                    Edge::new(c.clone(), EdgeKind::Implements, s.clone(), prov).with_attr("matched", name.clone()),
                );
            }
        }
    }
    ctx.edges.extend(add.into_iter().map(Arc::new));
}

pub(crate) fn synth_prov(r: &Reference) -> brain_model::Provenance {
    let mut p = r.prov.clone();
    p.ingestor = linker();
    p
}

/// Files belong to the package whose manifest directory is the longest prefix
/// of their path (in the same repo): adds `package --contains--> file`.
pub(crate) fn contain_files_in_packages(ctx: &mut LinkContext) {
    let mut pkgs: HashMap<Str, Vec<(String, NodeId)>> = HashMap::new();
    for n in ctx.nodes.iter().filter(|n| n.kind == NodeKind::Package) {
        if n.attr(attr::EXTERNAL) == Some("true") {
            continue;
        }
        if let Some(dir) = n.attr(attr::DIR) {
            pkgs.entry(n.prov.repo.clone()).or_default().push((dir.trim_matches('/').to_string(), n.id.clone()));
        }
    }
    if pkgs.is_empty() {
        return;
    }
    let mut new_edges = Vec::new();
    for f in ctx.nodes.iter().filter(|n| n.kind == NodeKind::File) {
        let Some(cands) = pkgs.get(&f.prov.repo) else { continue };
        let best = cands
            .iter()
            .filter(|(dir, _)| dir.is_empty() || f.prov.path == *dir || f.prov.path.starts_with(&format!("{dir}/")))
            .max_by_key(|(dir, _)| dir.len());
        if let Some((_, pkg)) = best {
            let mut prov = f.prov.clone();
            prov.span = None;
            prov.ingestor = linker();
            new_edges.push(Edge::new(pkg.clone(), EdgeKind::Contains, f.id.clone(), prov));
        }
    }
    ctx.edges.extend(new_edges.into_iter().map(Arc::new));
}
