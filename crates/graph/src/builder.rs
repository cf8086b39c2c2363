//! Collects facts and builds a [`Graph`] snapshot.

use crate::graph::{next_base_id, Base, Graph, RepoInfo, NO_UNIT};
use crate::link::{self, LinkContext, LinkPass};
use crate::unit::UnitFacts;
use brain_model::history::RepoHistory;
use brain_model::{attr, Diagnostic, Edge, EdgeKind, Facts, Node, NodeId, NodeKind, Severity};
use petgraph::graph::DiGraph;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Accumulates facts from every unit, then links and freezes them.
#[derive(Default)]
pub struct GraphBuilder {
    pub(crate) ctx: LinkContext,
    repos: BTreeMap<String, RepoInfo>,
    generation: u64,
    /// Git history per repository, applied after references resolve.
    histories: BTreeMap<String, Arc<RepoHistory>>,
}

impl GraphBuilder {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with_generation(mut self, generation: u64) -> Self {
        self.generation = generation;
        self
    }
    pub fn set_repo(&mut self, info: RepoInfo) {
        self.repos.insert(info.name.clone(), info);
    }
    /// Adds a repository's git history ([`crate::history`]): file churn and
    /// authors, and `changed_with` edges between its files. A second call for
    /// the same repository replaces the first.
    pub fn add_history(&mut self, repo: &str, history: Arc<RepoHistory>) {
        self.histories.insert(repo.to_string(), history);
    }
    /// Adds one unit's facts. Nodes declared twice (a topic named by two
    /// files) are merged: the first declaration wins, later ones fill gaps.
    /// A unit made of copies of `facts` (tests and tools; the brain uses [`GraphBuilder::add_unit`]).
    pub fn add_facts(&mut self, facts: &Facts) {
        self.add_unit(&Arc::new(UnitFacts::copied(facts)));
    }

    /// Adds one unit's shared facts: nodes and edges are not copied. The
    /// snapshot keeps the unit, so a later [`Graph::patch`] can replace it.
    pub fn add_unit(&mut self, unit: &Arc<UnitFacts>) {
        self.ctx.nodes.reserve(unit.nodes.len());
        self.ctx.cur_unit = u32::try_from(self.ctx.units.len()).unwrap_or(NO_UNIT);
        for n in &unit.nodes {
            self.ctx.add_shared_node(n.clone());
        }
        self.ctx.cur_unit = NO_UNIT;
        self.ctx.edges.extend(unit.edges.iter().cloned());
        self.ctx.units.push(unit.clone());
        for p in &unit.provides {
            self.ctx.provide(p.node.clone(), &p.ns, &p.key);
        }
        self.ctx.diagnostics.extend(unit.diagnostics.iter().cloned());
    }

    /// Resolves references, adds git history, runs the link passes in order, drops edges whose
    /// ends do not exist, marks lessons whose entities vanished as stale, and
    /// freezes the result.
    pub fn build(mut self, passes: &[&dyn LinkPass]) -> Graph {
        link::resolve_references(&mut self.ctx);
        link::link_topic_operations(&mut self.ctx);
        link::link_types_by_name(&mut self.ctx);
        link::contain_files_in_packages(&mut self.ctx);
        for (repo, history) in &self.histories {
            crate::history::apply(&mut self.ctx, repo, history);
        }
        for pass in passes {
            pass.run(&mut self.ctx);
        }
        mark_stale_lessons(&mut self.ctx);
        freeze(self.ctx, self.repos, self.generation)
    }
}

fn mark_stale_lessons(ctx: &mut LinkContext) {
    let mut missing: HashMap<NodeId, Vec<String>> = HashMap::new();
    for e in &ctx.edges {
        if matches!(e.kind, EdgeKind::AppliesTo | EdgeKind::Affected) && !ctx.index.contains_key(&e.to) {
            missing.entry(e.from.clone()).or_default().push(e.to.to_string());
        }
    }
    for (id, targets) in missing {
        if let Some(&i) = ctx.index.get(&id) {
            if !matches!(ctx.nodes[i].kind, NodeKind::Lesson | NodeKind::Failure) {
                continue;
            }
            let node = Arc::make_mut(&mut ctx.nodes[i]);
            node.attrs.insert("stale_targets", targets.join(","));
            if node.kind == NodeKind::Lesson && node.attr(attr::STATUS) != Some("retired") {
                node.attrs.insert(attr::STATUS, "stale".into());
            }
        }
    }
}

fn freeze(mut ctx: LinkContext, repos: BTreeMap<String, RepoInfo>, generation: u64) -> Graph {
    let symbol_sites = ctx.take_symbol_sites();
    let LinkContext { nodes, edges, mut diagnostics, unresolved, units, provides, node_unit, declarers, .. } = ctx;
    let mut g: DiGraph<Arc<Node>, Arc<Edge>, u32> = DiGraph::with_capacity(nodes.len(), edges.len());
    let mut index = HashMap::with_capacity(nodes.len());
    let mut by_kind: HashMap<NodeKind, Vec<_>> = HashMap::new();
    for n in nodes {
        let id = n.id.clone();
        let kind = n.kind;
        let i = g.add_node(n);
        index.insert(id, i);
        by_kind.entry(kind).or_default().push(i);
    }
    // Keep one edge per (from, kind, to): the most confident one.
    let mut best: HashMap<(NodeId, EdgeKind, NodeId), Arc<Edge>> = HashMap::with_capacity(edges.len());
    let mut order = Vec::with_capacity(edges.len());
    let mut dangling: HashMap<NodeId, Vec<Arc<Edge>>> = HashMap::new();
    let mut dangling_count = 0usize;
    for e in edges {
        let missing = if !index.contains_key(&e.from) {
            Some(e.from.clone())
        } else if !index.contains_key(&e.to) {
            Some(e.to.clone())
        } else {
            None
        };
        if let Some(missing) = missing {
            dangling_count += 1;
            // Kept by the missing end: a patch that adds that node adds the edge back.
            dangling.entry(missing).or_default().push(e);
            continue;
        }
        let key = (e.from.clone(), e.kind, e.to.clone());
        match best.get_mut(&key) {
            Some(prev) if prev.prov.origin.confidence() >= e.prov.origin.confidence() => {}
            Some(prev) => *prev = e,
            None => {
                order.push(key.clone());
                best.insert(key, e);
            }
        }
    }
    let mut seen = HashSet::with_capacity(order.len());
    for key in order {
        if !seen.insert(key.clone()) {
            continue;
        }
        if let Some(e) = best.remove(&key) {
            let (a, b) = (index[&e.from], index[&e.to]);
            g.add_edge(a, b, e);
        }
    }
    if dangling_count > 0 {
        diagnostics.push(Diagnostic::new(
            Severity::Info,
            "link.dangling-edges",
            "",
            "",
            None,
            format!("{dangling_count} edges point at entities that are not in the graph and were dropped"),
        ));
    }
    let mut unit_of = HashMap::with_capacity(units.len());
    let mut refs_by_key = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let u = u32::try_from(u).unwrap_or(NO_UNIT);
        unit_of.insert(Arc::as_ptr(unit) as usize, u);
        for r in &unit.refs {
            refs_by_key.extend(link::ref_hashes(r).into_iter().map(|h| (h, u)));
        }
    }
    refs_by_key.sort_unstable();
    refs_by_key.dedup();
    refs_by_key.shrink_to_fit();
    let base = Base {
        id: next_base_id(),
        g,
        index,
        by_kind,
        diagnostics,
        unresolved,
        provides,
        units,
        unit_of,
        node_unit,
        declarers,
        refs_by_key,
        dangling,
        symbol_sites,
        from_units: true,
    };
    Graph { base: Arc::new(base), delta: None, repos, generation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_model::{attr::ns, Provenance, Reference};

    fn prov(repo: &str, path: &str) -> Provenance {
        Provenance::declared(repo, path, None, "test")
    }

    #[test]
    fn references_resolve_through_provides_and_topics_are_created() {
        let mut b = GraphBuilder::new();
        let mut producer = Facts::default();
        let op = producer.node(Node::new(
            NodeId::operation("acme/orders", "openapi.yaml", "GET /orders/{id}"),
            NodeKind::Operation,
            "GET /orders/{id}",
            prov("acme/orders", "openapi.yaml"),
        ));
        producer.provide(&op, ns::HTTP, "GET /orders/{}");
        let mut consumer = Facts::default();
        let f = consumer.node(Node::new(
            NodeId::file("acme/web", "a.ts"),
            NodeKind::File,
            "a.ts",
            prov("acme/web", "a.ts"),
        ));
        consumer.reference(Reference::key(
            f.clone(),
            EdgeKind::Consumes,
            ns::HTTP,
            "GET /orders/{}",
            prov("acme/web", "a.ts"),
        ));
        consumer.reference(Reference::key(
            f.clone(),
            EdgeKind::Consumes,
            ns::HTTP,
            "GET /nope",
            prov("acme/web", "a.ts"),
        ));
        consumer.reference(Reference::key(
            f.clone(),
            EdgeKind::Publishes,
            ns::TOPIC,
            "order.created",
            prov("acme/web", "a.ts"),
        ));
        b.add_facts(&producer);
        b.add_facts(&consumer);
        let g = b.build(&[]);
        let out: Vec<_> = g.outgoing(&f).map(|e| (e.edge.kind, e.other.id.0.clone())).collect();
        assert!(out.contains(&(EdgeKind::Consumes, op.0.clone())), "{out:?}");
        assert!(out.contains(&(EdgeKind::Publishes, "topic:order.created".into())), "{out:?}");
        assert_eq!(g.unresolved().count(), 1);
        assert_eq!(g.node(&NodeId::topic("order.created")).map(|n| n.kind), Some(NodeKind::Topic));
    }

    #[test]
    fn name_only_symbol_matches_across_repos_are_not_links() {
        let mut b = GraphBuilder::new();
        let mut a = Facts::default();
        let s = a.node(Node::new(NodeId::symbol("r1", "a.rs", "save"), NodeKind::Symbol, "save", prov("r1", "a.rs")));
        a.provide(&s, ns::SYMBOL, "save");
        let mut c = Facts::default();
        let caller =
            c.node(Node::new(NodeId::symbol("r2", "b.rs", "run"), NodeKind::Symbol, "run", prov("r2", "b.rs")));
        c.reference(Reference::key(caller.clone(), EdgeKind::Calls, ns::SYMBOL, "save", prov("r2", "b.rs")));
        b.add_facts(&a);
        b.add_facts(&c);
        let g = b.build(&[]);
        assert_eq!(g.outgoing(&caller).count(), 0);
    }

    #[test]
    fn calls_resolve_to_their_file_imports_or_a_unique_definition_in_their_repo() {
        // `save` is defined in many repos (a popular name); each call must pick by place only.
        let mut b = GraphBuilder::new();
        let sym = |repo: &str, path: &str, name: &str| NodeId::symbol(repo, path, name);
        for i in 0..50 {
            let repo = format!("r{i}");
            let mut f = Facts::default();
            let file = f.node(Node::new(NodeId::file(&repo, "db.rs"), NodeKind::File, "db.rs", prov(&repo, "db.rs")));
            let s = f.node(Node::new(sym(&repo, "db.rs", "save"), NodeKind::Symbol, "save", prov(&repo, "db.rs")));
            f.provide(&s, ns::SYMBOL, "save");
            f.edge(Edge::new(file, EdgeKind::Contains, s, prov(&repo, "db.rs")));
            b.add_facts(&f);
        }
        // r0 has a second `save` in other.rs, so r0's name alone is ambiguous.
        let mut other = Facts::default();
        let o = other.node(Node::new(sym("r0", "other.rs", "save"), NodeKind::Symbol, "save", prov("r0", "other.rs")));
        other.provide(&o, ns::SYMBOL, "save");
        other.node(Node::new(NodeId::file("r0", "other.rs"), NodeKind::File, "other.rs", prov("r0", "other.rs")));
        b.add_facts(&other);
        let call = |repo: &str, path: &str, scope: Vec<NodeId>| {
            let mut f = Facts::default();
            let from = f.node(Node::new(sym(repo, path, "run"), NodeKind::Symbol, "run", prov(repo, path)));
            f.node(Node::new(NodeId::file(repo, path), NodeKind::File, path, prov(repo, path)));
            f.reference(
                Reference::key(from.clone(), EdgeKind::Calls, ns::SYMBOL, "save", prov(repo, path)).with_scope(scope),
            );
            (f, from)
        };
        let (imports, a) = call("r0", "main.rs", vec![NodeId::file("r0", "main.rs"), NodeId::file("r0", "db.rs")]);
        let (unique, c) = call("r7", "main.rs", vec![NodeId::file("r7", "main.rs")]);
        let (ambiguous, d) = call("r0", "cli.rs", vec![NodeId::file("r0", "cli.rs")]);
        let (nowhere, e) = call("elsewhere", "main.rs", vec![NodeId::file("elsewhere", "main.rs")]);
        for f in [&imports, &unique, &ambiguous, &nowhere] {
            b.add_facts(f);
        }
        let g = b.build(&[]);
        let calls = |from: &NodeId| -> Vec<(String, f32)> {
            g.outgoing(from).map(|e| (e.other.id.to_string(), e.edge.prov.origin.confidence())).collect()
        };
        assert_eq!(calls(&a), vec![("sym:r0:db.rs#save".to_string(), 1.0)], "the imported file's definition");
        assert_eq!(calls(&c), vec![("sym:r7:db.rs#save".to_string(), 0.6)], "the only one in its repo, inferred");
        assert!(calls(&d).is_empty(), "two in its repo and none imported: no guess");
        assert!(calls(&e).is_empty(), "never another repo's by name");
    }

    #[test]
    fn a_package_dir_scope_reaches_the_files_of_that_directory_only() {
        // Go: files of one package call each other without imports.
        let mut b = GraphBuilder::new();
        let define = |b: &mut GraphBuilder, path: &str| {
            let mut f = Facts::default();
            let s = f.node(Node::new(
                NodeId::symbol("r", path, "GetContainer"),
                NodeKind::Symbol,
                "GetContainer",
                prov("r", path),
            ));
            f.provide(&s, ns::SYMBOL, "GetContainer");
            let mut file = Node::new(NodeId::file("r", path), NodeKind::File, path, prov("r", path));
            if path.ends_with("_test.go") {
                file = file.with_attr(attr::TEST, "true");
            }
            f.node(file);
            b.add_facts(&f);
        };
        let paths = ["daemon/a.go", "daemon/fake_test.go", "daemon/sub/c.go", "vendor/x/daemon/a.go", "daemonx/a.go"];
        for path in paths.into_iter().chain(["main.go"]) {
            define(&mut b, path);
        }
        let call = |b: &mut GraphBuilder, path: &str, dir: &str| {
            let mut f = Facts::default();
            let from = f.node(Node::new(NodeId::symbol("r", path, "run"), NodeKind::Symbol, "run", prov("r", path)));
            let mut file = Node::new(NodeId::file("r", path), NodeKind::File, path, prov("r", path));
            if path.ends_with("_test.go") {
                file = file.with_attr(attr::TEST, "true");
            }
            f.node(file);
            let scope = vec![NodeId::file("r", path), NodeId::package_dir("r", dir)];
            f.reference(
                Reference::key(from.clone(), EdgeKind::Calls, ns::SYMBOL, "GetContainer", prov("r", path))
                    .with_scope(scope),
            );
            b.add_facts(&f);
            from
        };
        let in_daemon = call(&mut b, "daemon/b.go", "daemon");
        let a_test = call(&mut b, "daemon/b_test.go", "daemon");
        let at_root = call(&mut b, "cmd.go", "");
        let g = b.build(&[]);
        let targets = |from: &NodeId| -> Vec<String> { g.outgoing(from).map(|e| e.other.id.to_string()).collect() };
        assert_eq!(targets(&in_daemon), vec!["sym:r:daemon/a.go#GetContainer".to_string()], "not the test fake");
        assert_eq!(targets(&a_test).len(), 2, "a test may call the fake or the real one");
        assert_eq!(targets(&at_root), vec!["sym:r:main.go#GetContainer".to_string()]);
    }

    #[test]
    fn lessons_on_vanished_entities_are_stale_not_deleted() {
        let mut b = GraphBuilder::new();
        let mut f = Facts::default();
        let l = f.node(Node::new(NodeId::new("lesson:1"), NodeKind::Lesson, "use cents", prov("", "")));
        f.edge(Edge::new(l.clone(), EdgeKind::AppliesTo, NodeId::file("r", "gone.rs"), prov("", "")));
        b.add_facts(&f);
        let g = b.build(&[]);
        let lesson = g.node(&l).expect("lesson kept");
        assert_eq!(lesson.attr(attr::STATUS), Some("stale"));
        assert_eq!(lesson.attr("stale_targets"), Some("file:r:gone.rs"));
    }
}
