//! A patched snapshot must read like a full build over the same units: the
//! same nodes, edges, unresolved references and diagnostics, through every
//! read method. Random edit sequences (seeded xorshift) and named cases.

use brain_graph::{Graph, GraphBuilder, RepoInfo, UnitFacts};
use brain_model::{
    attr, attr::ns, Diagnostic, Edge, EdgeKind, Facts, Node, NodeId, NodeKind, Provenance, RefTarget, Reference,
    Severity,
};
use petgraph::Direction;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

type Units = BTreeMap<(String, String), Arc<UnitFacts>>;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

fn prov(repo: &str, path: &str) -> Provenance {
    Provenance::declared(repo, path, None, "test")
}

const NAMES: &[&str] = &["alpha", "beta", "gamma", "delta", "eps", "zeta"];
const PATHS: &[&str] = &["a.rs", "b.rs", "c.rs", "d.rs", "e.rs", "f.rs"];

fn repo_unit(repo: &str) -> Facts {
    let mut f = Facts::default();
    f.node(Node::new(NodeId::repo(repo), NodeKind::Repo, repo, prov(repo, "")));
    f
}

/// A random file: symbols calling each other (in the file, through imports,
/// across files), HTTP operations and clients, topics used and declared
/// (several files declare the same topic), packages provided and depended
/// on, imports with candidates, diagnostics.
fn random_file(rng: &mut Rng, repo: &str, path: &str) -> Facts {
    let p = || prov(repo, path);
    let mut f = Facts::default();
    let file = f.node(Node::new(NodeId::file(repo, path), NodeKind::File, path, p()));
    f.edge(Edge::new(NodeId::repo(repo), EdgeKind::Contains, file.clone(), p()));
    let mut syms = Vec::new();
    for _ in 0..rng.below(4) {
        let name = NAMES[rng.below(NAMES.len() as u64) as usize];
        let id = NodeId::symbol(repo, path, name);
        if syms.contains(&id) {
            continue;
        }
        f.node(Node::new(id.clone(), NodeKind::Symbol, name, p()));
        f.edge(Edge::new(file.clone(), EdgeKind::Contains, id.clone(), p()));
        f.provide(&id, ns::SYMBOL, name);
        syms.push(id);
    }
    for s in &syms {
        for _ in 0..rng.below(3) {
            let callee = NAMES[rng.below(NAMES.len() as u64) as usize];
            let scope = if rng.chance(40) {
                vec![NodeId::file(repo, PATHS[rng.below(PATHS.len() as u64) as usize])]
            } else {
                Vec::new()
            };
            f.reference(Reference {
                from: s.clone(),
                kind: EdgeKind::Calls,
                target: RefTarget::Key { ns: ns::SYMBOL.into(), key: callee.into(), scope },
                prov: p(),
                attrs: Default::default(),
            });
        }
    }
    if rng.chance(30) {
        let key = format!("GET /o{}", rng.below(4));
        let op = f.node(Node::new(NodeId::operation(repo, path, &key), NodeKind::Operation, key.clone(), p()));
        f.edge(Edge::new(file.clone(), EdgeKind::Exposes, op.clone(), p()));
        f.provide(&op, ns::HTTP, &key);
    }
    if rng.chance(40) {
        let key = format!("GET /o{}", rng.below(5));
        f.reference(Reference::key(file.clone(), EdgeKind::Consumes, ns::HTTP, key, p()));
    }
    if rng.chance(40) {
        let t = format!("t{}", rng.below(3));
        f.reference(Reference::key(file.clone(), EdgeKind::Publishes, ns::TOPIC, t, p()));
    }
    if rng.chance(20) {
        let t = format!("t{}", rng.below(3));
        f.node(Node::new(NodeId::topic(&t), NodeKind::Topic, t.clone(), p()).with_attr(attr::TOPIC, t));
    }
    if rng.chance(30) {
        let k = format!("p{}", rng.below(3));
        f.reference(Reference::key(file.clone(), EdgeKind::DependsOn, ns::PACKAGE, format!("cargo:{k}"), p()));
    }
    if rng.chance(15) {
        let k = format!("p{}", rng.below(3));
        let pkg = f.node(Node::new(NodeId::package("cargo", &k), NodeKind::Package, k.clone(), p()));
        f.provide(&pkg, ns::PACKAGE, format!("cargo:{k}"));
    }
    if rng.chance(30) {
        let a = NodeId::file(repo, PATHS[rng.below(PATHS.len() as u64) as usize]);
        let b = NodeId::file(repo, PATHS[rng.below(PATHS.len() as u64) as usize]);
        f.reference(Reference {
            from: file.clone(),
            kind: EdgeKind::Imports,
            target: RefTarget::AnyOf(vec![a, b]),
            prov: p(),
            attrs: Default::default(),
        });
    }
    if rng.chance(20) {
        f.diagnostic(Diagnostic::new(Severity::Warning, "test.warn", repo, path, Some(1), "a warning"));
    }
    f
}

fn full(units: &Units, generation: u64) -> Graph {
    let mut b = GraphBuilder::new().with_generation(generation);
    for u in units.values() {
        b.add_unit(u);
    }
    b.build(&[])
}

/// Nodes the linker makes or several files declare: their provenance depends
/// on which user came first, which a patch does not track.
fn shared(n: &Node) -> bool {
    matches!(n.kind, NodeKind::Topic | NodeKind::Package)
}

fn node_key(n: &Node) -> String {
    let attrs: BTreeMap<String, String> = n.attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    if shared(n) {
        format!("{} {:?} {} {:?}", n.id, n.kind, n.name, attrs)
    } else {
        format!("{} {:?} {} {:?} {}:{}", n.id, n.kind, n.name, attrs, n.prov.repo, n.prov.path)
    }
}

fn edge_key(e: &Edge) -> String {
    format!(
        "{} -{:?}-> {} @{}:{} by {} conf {:.3}",
        e.from,
        e.kind,
        e.to,
        e.prov.repo,
        e.prov.path,
        e.prov.ingestor,
        e.prov.origin.confidence()
    )
}

fn ref_key(r: &Reference) -> String {
    format!("{} {:?} {:?} @{}:{}", r.from, r.kind, r.target, r.prov.repo, r.prov.path)
}

fn diag_key(d: &Diagnostic) -> Option<String> {
    (d.code != "link.dangling-edges").then(|| format!("{} {}:{} {}", d.code, d.repo, d.path, d.message))
}

fn sorted<T: Ord>(v: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = v.collect();
    v.sort();
    v
}

/// Everything a reader can see, compared between a patched and a full snapshot.
fn assert_same(patched: &Graph, full: &Graph, what: &str) {
    let pn = sorted(patched.nodes().map(node_key));
    let fnodes = sorted(full.nodes().map(node_key));
    assert_eq!(pn, fnodes, "{what}: nodes differ");
    assert_eq!(patched.node_count(), full.node_count(), "{what}: node_count");
    assert_eq!(patched.nodes().count(), patched.node_count(), "{what}: nodes() vs node_count");
    let pe = sorted(patched.edges().map(edge_key));
    let fe = sorted(full.edges().map(edge_key));
    assert_eq!(pe, fe, "{what}: edges differ");
    assert_eq!(patched.edge_count(), full.edge_count(), "{what}: edge_count");
    assert_eq!(
        sorted(patched.unresolved().map(ref_key)),
        sorted(full.unresolved().map(ref_key)),
        "{what}: unresolved differ"
    );
    assert_eq!(
        sorted(patched.diagnostics().filter_map(diag_key)),
        sorted(full.diagnostics().filter_map(diag_key)),
        "{what}: diagnostics differ"
    );
    for n in full.nodes() {
        let got = patched.node(&n.id).map(node_key);
        assert_eq!(got, Some(node_key(n)), "{what}: node({})", n.id);
        let i = patched.index_of(&n.id).expect("index");
        assert_eq!(patched.node_at(i).id, n.id);
        let out = |g: &Graph| sorted(g.outgoing(&n.id).map(|r| format!("{} {}", edge_key(r.edge), r.other.id)));
        let inc = |g: &Graph| sorted(g.incoming(&n.id).map(|r| format!("{} {}", edge_key(r.edge), r.other.id)));
        assert_eq!(out(patched), out(full), "{what}: outgoing({})", n.id);
        assert_eq!(inc(patched), inc(full), "{what}: incoming({})", n.id);
        for dir in [Direction::Outgoing, Direction::Incoming] {
            let raw = sorted(
                patched
                    .neighbors_raw(i, dir)
                    .map(|(e, j)| format!("{} {}", edge_key(patched.edge_at(e)), patched.node_at(j).id)),
            );
            let want = sorted(
                full.neighbors_raw(full.index_of(&n.id).expect("full index"), dir)
                    .map(|(e, j)| format!("{} {}", edge_key(full.edge_at(e)), full.node_at(j).id)),
            );
            assert_eq!(raw, want, "{what}: neighbors_raw({}, {dir:?})", n.id);
        }
        assert_eq!(patched.file_of(n).map(|f| f.id.clone()), full.file_of(n).map(|f| f.id.clone()));
    }
    for (_, n) in patched.node_indices() {
        assert!(full.contains(&n.id), "{what}: {} should be gone", n.id);
    }
    for kind in [NodeKind::File, NodeKind::Symbol, NodeKind::Topic, NodeKind::Package, NodeKind::Operation] {
        assert_eq!(
            sorted(patched.nodes_of_kind(kind).map(node_key)),
            sorted(full.nodes_of_kind(kind).map(node_key)),
            "{what}: nodes_of_kind({kind:?})"
        );
    }
    let (mut ps, mut fs) = (patched.stats(), full.stats());
    ps.diagnostics = 0;
    fs.diagnostics = 0;
    assert_eq!(ps, fs, "{what}: stats");
}

fn unit(f: Facts) -> Arc<UnitFacts> {
    Arc::new(UnitFacts::copied(&f))
}

fn repos() -> BTreeMap<String, RepoInfo> {
    ["r1", "r2"].iter().map(|r| (r.to_string(), RepoInfo { name: r.to_string(), ..RepoInfo::default() })).collect()
}

fn initial(rng: &mut Rng) -> Units {
    let mut units = Units::new();
    for repo in ["r1", "r2"] {
        units.insert((repo.into(), String::new()), unit(repo_unit(repo)));
        for path in &PATHS[..4] {
            units.insert((repo.into(), path.to_string()), unit(random_file(rng, repo, path)));
        }
    }
    units
}

/// One random edit: rewrite, delete, create or rename files (1 to 3 of them).
fn random_edit(rng: &mut Rng, units: &mut Units) -> (Vec<Arc<UnitFacts>>, Vec<Arc<UnitFacts>>) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for _ in 0..1 + rng.below(3) {
        let repo = if rng.chance(50) { "r1" } else { "r2" };
        let path = PATHS[rng.below(PATHS.len() as u64) as usize];
        let key = (repo.to_string(), path.to_string());
        if removed.iter().chain(&added).any(|u: &Arc<UnitFacts>| {
            u.nodes.first().is_some_and(|n| n.prov.repo.as_str() == repo && n.prov.path.as_str() == path)
        }) {
            continue;
        }
        match rng.below(10) {
            0..=1 => {
                if let Some(old) = units.remove(&key) {
                    removed.push(old);
                }
            }
            2 => {
                // Rename: the file goes, another path appears with its kind of content.
                let to = PATHS[rng.below(PATHS.len() as u64) as usize];
                let to_key = (repo.to_string(), to.to_string());
                if to == path || units.contains_key(&to_key) {
                    continue;
                }
                if let Some(old) = units.remove(&key) {
                    removed.push(old);
                    let new = unit(random_file(rng, repo, to));
                    units.insert(to_key, new.clone());
                    added.push(new);
                }
            }
            _ => {
                let new = unit(random_file(rng, repo, path));
                if let Some(old) = units.insert(key, new.clone()) {
                    removed.push(old);
                }
                added.push(new);
            }
        }
    }
    (removed, added)
}

#[test]
fn random_edit_sequences_match_a_full_build() {
    for seed in 1..=60u64 {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let mut units = initial(&mut rng);
        let mut g = full(&units, 1);
        for step in 0..25u64 {
            let (removed, added) = random_edit(&mut rng, &mut units);
            if std::env::var("PATCH_DEBUG").is_ok() {
                let name = |u: &Arc<UnitFacts>| {
                    u.nodes.first().map(|n| format!("{}:{}", n.prov.repo, n.prov.path)).unwrap_or_default()
                };
                eprintln!(
                    "seed {seed} step {step}: -{:?} +{:?}",
                    removed.iter().map(name).collect::<Vec<_>>(),
                    added
                        .iter()
                        .map(|u| format!(
                            "{} {:?}",
                            name(u),
                            u.nodes.iter().map(|n| n.id.to_string()).collect::<Vec<_>>()
                        ))
                        .collect::<Vec<_>>()
                );
            }
            g = g.patch(&removed, &added, step + 2, repos());
            let want = full(&units, step + 2);
            assert_same(&g, &want, &format!("seed {seed} step {step}"));
            assert!(g.is_exact() || !(removed.is_empty() && added.is_empty()) || step > 0);
        }
    }
}

#[test]
fn a_patch_on_a_fresh_full_build_of_a_patched_state_matches_too() {
    // What the background relink does: a full build, then the writes that
    // happened meanwhile patched on top of it.
    let mut rng = Rng(77);
    let mut units = initial(&mut rng);
    for _ in 0..10 {
        random_edit(&mut rng, &mut units);
    }
    let mut g = full(&units, 5);
    assert!(g.is_exact());
    for step in 0..10 {
        let (removed, added) = random_edit(&mut rng, &mut units);
        g = g.patch(&removed, &added, 6 + step, repos());
    }
    assert_same(&g, &full(&units, 20), "relink then patches");
}

fn sym_file(repo: &str, path: &str, defs: &[&str], calls: &[(&str, &str)]) -> Facts {
    let p = || prov(repo, path);
    let mut f = Facts::default();
    let file = f.node(Node::new(NodeId::file(repo, path), NodeKind::File, path, p()));
    f.edge(Edge::new(NodeId::repo(repo), EdgeKind::Contains, file.clone(), p()));
    for d in defs {
        let s = f.node(Node::new(NodeId::symbol(repo, path, d), NodeKind::Symbol, *d, p()));
        f.edge(Edge::new(file.clone(), EdgeKind::Contains, s.clone(), p()));
        f.provide(&s, ns::SYMBOL, *d);
    }
    for (from, to) in calls {
        let s = NodeId::symbol(repo, path, from);
        f.reference(Reference::key(s, EdgeKind::Calls, ns::SYMBOL, *to, p()));
    }
    f
}

#[test]
fn a_call_follows_its_callee_when_the_callee_file_is_renamed() {
    let mut units = Units::new();
    units.insert(("r".into(), "".into()), unit(repo_unit("r")));
    units.insert(("r".into(), "main.rs".into()), unit(sym_file("r", "main.rs", &["main"], &[("main", "save")])));
    units.insert(("r".into(), "db.rs".into()), unit(sym_file("r", "db.rs", &["save"], &[])));
    let g = full(&units, 1);
    let main = NodeId::symbol("r", "main.rs", "main");
    assert_eq!(sorted(g.outgoing(&main).map(|e| e.other.id.to_string())), vec!["sym:r:db.rs#save".to_string()]);

    // db.rs becomes store.rs: main's call (a unique name in the repo) follows it.
    let old = units.remove(&("r".into(), "db.rs".into())).expect("db");
    let new = unit(sym_file("r", "store.rs", &["save"], &[]));
    units.insert(("r".into(), "store.rs".into()), new.clone());
    let g = g.patch(&[old], &[new], 2, BTreeMap::new());
    assert!(!g.is_exact());
    assert_eq!(sorted(g.outgoing(&main).map(|e| e.other.id.to_string())), vec!["sym:r:store.rs#save".to_string()]);
    assert!(!g.contains(&NodeId::symbol("r", "db.rs", "save")));
    assert_same(&g, &full(&units, 2), "rename");

    // A second `save` in the repo makes the name ambiguous: no link.
    let other = unit(sym_file("r", "cache.rs", &["save"], &[]));
    units.insert(("r".into(), "cache.rs".into()), other.clone());
    let g = g.patch(&[], &[other], 3, BTreeMap::new());
    assert_eq!(g.outgoing(&main).count(), 0);
    assert_same(&g, &full(&units, 3), "ambiguous");
}

#[test]
fn an_edited_file_keeps_edges_other_units_made_to_its_entities() {
    let mut units = Units::new();
    units.insert(("r".into(), "".into()), unit(repo_unit("r")));
    units.insert(("r".into(), "main.rs".into()), unit(sym_file("r", "main.rs", &["main"], &[("main", "save")])));
    let db = unit(sym_file("r", "db.rs", &["save"], &[]));
    units.insert(("r".into(), "db.rs".into()), db.clone());
    let g = full(&units, 1);
    let save = NodeId::symbol("r", "db.rs", "save");
    let base_in = g.incoming(&save).count();
    // db.rs saved with one more function: the call into `save` stays.
    let db2 = unit(sym_file("r", "db.rs", &["save", "load"], &[("load", "save")]));
    units.insert(("r".into(), "db.rs".into()), db2.clone());
    let g = g.patch(&[db], &[db2], 2, BTreeMap::new());
    assert_eq!(g.incoming(&save).count(), base_in + 1);
    assert!(g.contains(&NodeId::symbol("r", "db.rs", "load")));
    assert_same(&g, &full(&units, 2), "edit");
}

#[test]
fn an_http_client_links_when_the_operation_appears_and_unlinks_when_it_goes() {
    let op_file = |with: bool| {
        let mut f = Facts::default();
        let p = || prov("api", "openapi.yaml");
        f.node(Node::new(NodeId::file("api", "openapi.yaml"), NodeKind::File, "openapi.yaml", p()));
        if with {
            let op = f.node(Node::new(
                NodeId::operation("api", "openapi.yaml", "GET /orders/{id}"),
                NodeKind::Operation,
                "GET /orders/{id}",
                p(),
            ));
            f.provide(&op, ns::HTTP, "GET /orders/{}");
        }
        unit(f)
    };
    let mut client = Facts::default();
    let c = client.node(Node::new(NodeId::file("web", "a.ts"), NodeKind::File, "a.ts", prov("web", "a.ts")));
    client.reference(Reference::key(c.clone(), EdgeKind::Consumes, ns::HTTP, "GET /orders/{}", prov("web", "a.ts")));
    let mut units = Units::new();
    let without = op_file(false);
    units.insert(("api".into(), "openapi.yaml".into()), without.clone());
    units.insert(("web".into(), "a.ts".into()), unit(client));
    let g = full(&units, 1);
    assert_eq!(g.unresolved().count(), 1);
    let with = op_file(true);
    units.insert(("api".into(), "openapi.yaml".into()), with.clone());
    let g = g.patch(std::slice::from_ref(&without), std::slice::from_ref(&with), 2, BTreeMap::new());
    assert_eq!(g.unresolved().count(), 0, "{:?}", g.unresolved().collect::<Vec<_>>());
    assert_eq!(g.outgoing(&c).count(), 1);
    assert_same(&g, &full(&units, 2), "operation added");
    units.insert(("api".into(), "openapi.yaml".into()), without.clone());
    let g = g.patch(&[with], &[without], 3, BTreeMap::new());
    assert_eq!(g.unresolved().count(), 1);
    assert_eq!(g.outgoing(&c).count(), 0);
    assert_same(&g, &full(&units, 3), "operation removed");
}

#[test]
fn a_lesson_is_stale_while_its_file_is_gone_and_fresh_when_it_returns() {
    let mut units = Units::new();
    units.insert(("r".into(), "".into()), unit(repo_unit("r")));
    let a = unit(sym_file("r", "a.rs", &["run"], &[]));
    units.insert(("r".into(), "a.rs".into()), a.clone());
    let mut l = Facts::default();
    let lesson = l.node(Node::new(NodeId::new("lesson:1"), NodeKind::Lesson, "use cents", prov("", "")));
    l.edge(Edge::new(lesson.clone(), EdgeKind::AppliesTo, NodeId::file("r", "a.rs"), prov("", "")));
    let lu = unit(l);
    let g = full(&units, 1);
    // Recorded through the API: a patch with one unit.
    units.insert(("~record".into(), "lesson:1".into()), lu.clone());
    let g = g.patch(&[], &[lu], 2, BTreeMap::new());
    assert_eq!(g.node(&lesson).and_then(|n| n.attr(attr::STATUS)), None);
    assert_eq!(g.incoming(&NodeId::file("r", "a.rs")).filter(|e| e.edge.kind == EdgeKind::AppliesTo).count(), 1);
    assert_same(&g, &full(&units, 2), "lesson recorded");
    units.remove(&("r".into(), "a.rs".into()));
    let g = g.patch(std::slice::from_ref(&a), &[], 3, BTreeMap::new());
    assert_eq!(g.node(&lesson).and_then(|n| n.attr(attr::STATUS)), Some("stale"));
    assert_same(&g, &full(&units, 3), "file gone");
    units.insert(("r".into(), "a.rs".into()), a.clone());
    let g = g.patch(&[], &[a], 4, BTreeMap::new());
    assert_eq!(g.node(&lesson).and_then(|n| n.attr(attr::STATUS)), None);
    assert_eq!(g.incoming(&NodeId::file("r", "a.rs")).filter(|e| e.edge.kind == EdgeKind::AppliesTo).count(), 1);
    assert_same(&g, &full(&units, 4), "file back");
}

#[test]
fn delta_nodes_and_base_nodes_cover_a_patched_snapshot() {
    let mut rng = Rng(5);
    let mut units = initial(&mut rng);
    let g0 = full(&units, 1);
    let mut g = full(&units, 1);
    for step in 0..8 {
        let (removed, added) = random_edit(&mut rng, &mut units);
        g = g.patch(&removed, &added, step + 2, repos());
    }
    assert_eq!(g.base_id(), g0.base_id().max(g.base_id()));
    // What a per-base cache sees: unchanged base nodes plus the delta's.
    let mut seen: BTreeSet<String> =
        g.base_nodes().filter(|(i, _)| !g.changed_in_delta(*i)).map(|(_, n)| n.id.to_string()).collect();
    seen.extend(g.delta_nodes().map(|(_, n)| n.id.to_string()));
    let want: BTreeSet<String> = g.nodes().map(|n| n.id.to_string()).collect();
    assert_eq!(seen, want);
}

#[test]
fn a_topic_many_files_use_stays_when_the_file_declaring_it_goes() {
    // More users than a patch re-resolves: the topic must stay by being used.
    let mut units = Units::new();
    for k in 0..brain_graph::MAX_DEPENDENTS + 20 {
        let path = format!("p{k}.ts");
        let mut f = Facts::default();
        let file = f.node(Node::new(NodeId::file("r", &path), NodeKind::File, path.clone(), prov("r", &path)));
        f.reference(Reference::key(file, EdgeKind::Publishes, ns::TOPIC, "orders", prov("r", &path)));
        units.insert(("r".into(), path), unit(f));
    }
    let mut spec = Facts::default();
    spec.node(
        Node::new(NodeId::topic("orders"), NodeKind::Topic, "orders", prov("r", "asyncapi.yaml"))
            .with_attr(attr::TOPIC, "orders")
            .with_attr("declared", "yes"),
    );
    let spec = unit(spec);
    units.insert(("r".into(), "asyncapi.yaml".into()), spec.clone());
    let g = full(&units, 1);
    assert_eq!(g.node(&NodeId::topic("orders")).and_then(|n| n.attr("declared")), Some("yes"));
    units.remove(&("r".into(), "asyncapi.yaml".into()));
    let g = g.patch(&[spec], &[], 2, BTreeMap::new());
    let topic = g.node(&NodeId::topic("orders")).expect("the topic stays");
    assert_eq!(topic.attr("declared"), None);
    assert_eq!(g.incoming(&NodeId::topic("orders")).count(), brain_graph::MAX_DEPENDENTS + 20);
    assert_same(&g, &full(&units, 2), "declaration gone");
}
