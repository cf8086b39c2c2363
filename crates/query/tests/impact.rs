//! Blast radius over the fixture org (see tests/fixture/mod.rs for the map).

mod fixture;

use brain_graph::GraphBuilder;
use brain_model::{Edge, EdgeKind, Facts, Node, NodeId, NodeKind};
use brain_query::impact::{render_summary, render_text, MappedBy};
use brain_query::policy::ReviewLevel;
use brain_query::{blast_radius, ChangeSet, DiffChange, FileChange, ImpactOptions, Lane, LineRange, ReviewPolicy};
use fixture::*;

fn ids(b: &brain_query::BlastRadius) -> Vec<String> {
    b.impacted.iter().map(|i| i.entity.id.to_string()).collect()
}

/// Changing the `created_at` field in the producer's spec reaches the web
/// consumer that reads it, the operation and topic carrying the type, and the
/// billing subscriber; it shows the incident and the lesson, not the retired one.
#[test]
fn field_change_via_diff_reaches_consumers_across_repos() {
    let g = org_graph();
    let diff = "\
diff --git a/openapi.yaml b/openapi.yaml
--- a/openapi.yaml
+++ b/openapi.yaml
@@ -34,3 +34,3 @@
   properties:
-    created_at:
+    createdAt:
       type: string
";
    let change = ChangeSet { diff: Some(DiffChange { repo: ORDERS.into(), text: diff.into() }), ..Default::default() };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
    assert_eq!(b.mappings[0].mapped_by, MappedBy::Span);
    assert_eq!(b.mappings[0].entities, vec![field_created_at()]);
    let got = ids(&b);
    // expect: the type (has_field), the web reader (reads_field), op + topic (uses_type), billing (subscribes)
    for want in [
        type_order().to_string(),
        sym(WEB, "src/orders.ts", "fetchOrder").to_string(),
        op_get().to_string(),
        "topic:order.created".to_string(),
        sym(BILLING, "billing/worker.py", "on_order_created").to_string(),
        sym(WEB, "src/orders.ts", "OrderView").to_string(),
    ] {
        assert!(got.contains(&want), "missing {want} in {got:?}");
    }
    // Producer code is not a dependent of the op: get_order exposes it.
    assert!(!got.contains(&sym(ORDERS, "src/api.rs", "get_order").to_string()));
    let fetch = b.impacted.iter().find(|i| i.entity.name == "fetchOrder").expect("fetchOrder");
    assert!(fetch.direct);
    assert!((fetch.confidence - 0.8).abs() < 1e-6, "inferred reads_field keeps its confidence");
    assert_eq!(fetch.why.len(), 1);
    assert_eq!(fetch.why[0].edge, EdgeKind::ReadsField);
    assert!(!fetch.why[0].forward);
    assert_eq!(fetch.why[0].evidence.commit.as_deref(), Some("1111aaaabbbbccccdddd"));
    assert_eq!(b.failures.len(), 1);
    assert_eq!(b.lessons.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), vec!["lesson:casing"]);
    assert_eq!(b.lane, Lane::Full);
    assert_eq!(b.review.level, ReviewLevel::Owners);
    assert_eq!(b.rollout.steps[0].repo, ORDERS, "the changed producer rolls out first");
    assert!(b.boundaries.iter().any(|x| x.contract == field_created_at() && x.consumer_repo == WEB));
    assert!(b.tests.iter().any(|r| r.repo == WEB && r.tests.iter().any(|t| t.name == "renders order")));
    assert!(b.reviewers.contains(&NodeId::owner("@acme/api-guild")));
    insta::assert_snapshot!("field_change", render_text(&b));
    // Arrows point the way their edges do: fetchOrder reads created_at, not the other way round.
    assert!(
        b.mermaid.contains("n1 -->|reads_field| n0") && b.mermaid.contains("n1[\"symbol: fetchOrder\"]"),
        "{}",
        b.mermaid
    );
    insta::assert_snapshot!("field_change_mermaid", b.mermaid);
    // The terminal summary: the verdict first, entities grouped by repo and service with counts,
    // each group cut at the given size with what was left out counted.
    let summary = render_summary(&b, 1);
    assert!(summary.starts_with("Lane: Full"), "{summary}");
    assert!(summary.lines().count() < render_text(&b).lines().count(), "{summary}");
    insta::assert_snapshot!("field_change_summary", summary);
}

/// A change inside save_order maps to that symbol only: its caller and the
/// topic the caller publishes are reached, not the other symbols of the files.
#[test]
fn symbol_change_does_not_spread_through_contains() {
    let g = org_graph();
    let change = ChangeSet {
        files: vec![FileChange { repo: ORDERS.into(), path: "src/db.rs".into(), ranges: vec![LineRange::new(5, 6)] }],
        ..Default::default()
    };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
    assert_eq!(b.mappings[0].mapped_by, MappedBy::Span);
    let got = ids(&b);
    assert!(got.contains(&sym(ORDERS, "src/api.rs", "create_order").to_string()), "{got:?}");
    assert!(got.contains(&"topic:order.created".to_string()));
    assert!(got.contains(&sym(BILLING, "billing/worker.py", "on_order_created").to_string()));
    assert!(!got.contains(&sym(ORDERS, "src/api.rs", "get_order").to_string()), "sibling via contains: {got:?}");
    assert!(!got.iter().any(|i| i.starts_with("file:")), "{got:?}");
    // Decision on total_cents is not touched by this change.
    assert!(b.decisions.is_empty());
    insta::assert_snapshot!("symbol_change", render_text(&b));
}

#[test]
fn lines_outside_any_symbol_map_to_the_file_and_whole_files_descend() {
    let g = org_graph();
    let mut change = ChangeSet {
        files: vec![FileChange { repo: ORDERS.into(), path: "src/api.rs".into(), ranges: vec![LineRange::new(1, 2)] }],
        ..Default::default()
    };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
    assert_eq!(b.mappings[0].mapped_by, MappedBy::File);
    assert!(b.impacted.is_empty(), "nothing imports the file: {:?}", ids(&b));
    change.files[0].ranges.clear();
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
    assert_eq!(b.mappings[0].mapped_by, MappedBy::WholeFile);
    let got = ids(&b);
    assert!(got.contains(&sym(ORDERS, "src/api.rs", "get_order").to_string()), "{got:?}");
    assert!(got.contains(&op_get().to_string()), "get_order exposes the op: {got:?}");
    assert!(got.contains(&sym(WEB, "src/orders.ts", "fetchOrder").to_string()));
}

/// A wholly changed file changes everything declared in it, at every level: the routes a
/// controller class's methods serve reach the clients that call them.
#[test]
fn whole_files_descend_through_classes_to_the_routes_their_methods_serve() {
    let mut f = Facts::default();
    let path = "src/StatsController.java";
    f.node(Node::new(NodeId::file(ORDERS, path), NodeKind::File, "StatsController.java", pn(ORDERS, path)));
    let class = sym(ORDERS, path, "StatsController");
    let method = sym(ORDERS, path, "StatsController.save");
    let op = NodeId::operation(ORDERS, path, "PUT /stats/{name}");
    let client = sym(WEB, "src/stats.ts", "saveStats");
    f.node(Node::new(class.clone(), NodeKind::Symbol, "StatsController", p(ORDERS, path, 3, 30)));
    f.node(Node::new(method.clone(), NodeKind::Symbol, "save", p(ORDERS, path, 10, 20)));
    f.node(Node::new(op.clone(), NodeKind::Operation, "PUT /stats/{name}", p(ORDERS, path, 10, 10)));
    f.node(Node::new(client.clone(), NodeKind::Symbol, "saveStats", p(WEB, "src/stats.ts", 1, 5)));
    f.edge(Edge::new(NodeId::file(ORDERS, path), EdgeKind::Contains, class.clone(), p(ORDERS, path, 3, 30)));
    f.edge(Edge::new(class, EdgeKind::Contains, method.clone(), p(ORDERS, path, 10, 20)));
    f.edge(Edge::new(method, EdgeKind::Exposes, op.clone(), p(ORDERS, path, 10, 10)));
    f.edge(Edge::new(client.clone(), EdgeKind::Consumes, op.clone(), p(WEB, "src/stats.ts", 2, 2)));
    let g = graph_of(&[f]);
    let change = ChangeSet {
        files: vec![FileChange { repo: ORDERS.into(), path: path.into(), ranges: vec![] }],
        ..Default::default()
    };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
    assert_eq!(b.mappings[0].mapped_by, MappedBy::WholeFile);
    let got = ids(&b);
    assert!(got.contains(&op.to_string()), "{got:?}");
    assert!(got.contains(&client.to_string()), "the route's client is reached: {got:?}");
    assert_eq!(b.lane, Lane::Full, "{got:?}");
}

#[test]
fn options_limit_the_traversal() {
    let g = org_graph();
    let change = ChangeSet { ids: vec![field_created_at()], ..Default::default() };
    let strict = ImpactOptions { min_confidence: 0.9, ..Default::default() };
    let b = blast_radius(&g, &change, &strict, &ReviewPolicy::default());
    // The web reader is reached only through the op (consumes), at depth 3.
    let fetch = b.impacted.iter().find(|i| i.entity.name == "fetchOrder").expect("reached via op");
    assert_eq!(fetch.depth, 3);
    assert_eq!(
        fetch.why.iter().map(|h| h.edge).collect::<Vec<_>>(),
        vec![EdgeKind::HasField, EdgeKind::UsesType, EdgeKind::Consumes]
    );

    let shallow = ImpactOptions { max_depth: 1, ..Default::default() };
    let b = blast_radius(&g, &change, &shallow, &ReviewPolicy::default());
    assert!(b.impacted.iter().all(|i| i.depth == 1 && i.direct));

    let only_reads = ImpactOptions { edge_kinds: Some(vec![EdgeKind::ReadsField]), ..Default::default() };
    let b = blast_radius(&g, &change, &only_reads, &ReviewPolicy::default());
    assert_eq!(ids(&b), vec![sym(WEB, "src/orders.ts", "fetchOrder").to_string()]);

    let capped = ImpactOptions { max_results: 3, ..Default::default() };
    let b = blast_radius(&g, &change, &capped, &ReviewPolicy::default());
    assert!(b.truncated);
    assert!(b.impacted.len() + b.changed.len() + b.tests.iter().map(|t| t.tests.len()).sum::<usize>() <= 4);
}

#[test]
fn unknown_inputs_and_garbage_diffs_give_diagnostics() {
    let g = org_graph();
    let change = ChangeSet {
        ids: vec![NodeId::new("sym:nope:x#y")],
        files: vec![FileChange { repo: "acme/nope".into(), path: "a.rs".into(), ranges: vec![] }],
        diff: Some(DiffChange { repo: ORDERS.into(), text: "this is not a diff\n@@ nonsense".into() }),
    };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::default());
    assert!(b.impacted.is_empty());
    assert!(b.mappings.iter().all(|m| m.mapped_by == MappedBy::NotFound));
    let codes: Vec<&str> = b.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"impact.unknown-id"), "{codes:?}");
    assert!(codes.contains(&"impact.file-not-indexed"), "{codes:?}");
    assert!(codes.iter().any(|c| c.starts_with("diff.")), "{codes:?}");
    // Never "Fast" for a change the graph cannot see: the lane is unknown, with the reasons.
    assert_eq!(b.lane, Lane::Unknown);
    assert_eq!(b.lane_reasons, vec!["id sym:nope:x#y is not in the graph", "file acme/nope:a.rs is not in the graph"]);
}

/// An unknown id or file suggests what the caller may have meant; a file a diff adds is not
/// unknown (it is new), so a diff alone never makes the lane unknown.
#[test]
fn unknown_inputs_suggest_what_exists() {
    let g = org_graph();
    let some_file = g.nodes_of_kind(brain_model::NodeKind::File).next().expect("a file").clone();
    let wrong_dir = format!("elsewhere/{}", some_file.prov.path.rsplit('/').next().unwrap_or(""));
    let change = ChangeSet {
        files: vec![FileChange { repo: some_file.prov.repo.to_string(), path: wrong_dir.clone(), ranges: vec![] }],
        ..Default::default()
    };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::default());
    assert_eq!(b.lane, Lane::Unknown);
    assert!(
        b.lane_reasons[0].contains(&format!("did you mean {}:{}", some_file.prov.repo, some_file.prov.path)),
        "{:?}",
        b.lane_reasons
    );
    let added =
        "diff --git a/new.rs b/new.rs\nnew file mode 100644\n--- /dev/null\n+++ b/new.rs\n@@ -0,0 +1 @@\n+fn x() {}\n"
            .to_string();
    let change = ChangeSet { diff: Some(DiffChange { repo: ORDERS.into(), text: added }), ..Default::default() };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::default());
    assert_ne!(b.lane, Lane::Unknown);
}

#[test]
fn decisions_and_review_levels_follow_policy() {
    let g = org_graph();
    let change = ChangeSet { ids: vec![field_total()], ..Default::default() };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
    assert_eq!(b.decisions.len(), 1);
    assert_eq!(b.decisions[0].status, "accepted");
    assert_eq!(b.review.matches[0].rule_name, "contracts need owners");
    let lax = ReviewPolicy { rules: vec![], default_level: ReviewLevel::Auto, ..Default::default() };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &lax);
    assert_eq!(b.review.level, ReviewLevel::Auto);
    assert_eq!(b.review.matches[0].rule, None);
}

/// Two repos that call each other: the rollout names the cycle.
#[test]
fn rollout_detects_cycles() {
    let mut f = Facts::default();
    let pr = |r: &str| brain_model::Provenance::declared(r, "lib.rs", Some(brain_model::Span::new(1, 5)), "t");
    let a = f.node(Node::new(NodeId::symbol("x/a", "lib.rs", "a"), NodeKind::Symbol, "a", pr("x/a")));
    let b = f.node(Node::new(NodeId::symbol("x/b", "lib.rs", "b"), NodeKind::Symbol, "b", pr("x/b")));
    let c = f.node(Node::new(NodeId::symbol("x/c", "lib.rs", "c"), NodeKind::Symbol, "c", pr("x/c")));
    f.edge(brain_model::Edge::new(b.clone(), EdgeKind::Calls, a.clone(), pr("x/b")));
    f.edge(brain_model::Edge::new(a.clone(), EdgeKind::Calls, b.clone(), pr("x/a")));
    f.edge(brain_model::Edge::new(c.clone(), EdgeKind::Calls, b.clone(), pr("x/c")));
    let mut gb = GraphBuilder::new();
    gb.add_facts(&f);
    let g = gb.build(&[]);
    let r = blast_radius(
        &g,
        &ChangeSet { ids: vec![a], ..Default::default() },
        &ImpactOptions::default(),
        &ReviewPolicy::default(),
    );
    // expect: b calls a and a calls b, so x/a and x/b form a cycle; x/c (calls b) comes after x/b.
    assert_eq!(r.rollout.cycles, vec![vec!["x/a".to_string(), "x/b".to_string()]]);
    let order: Vec<&str> = r.rollout.steps.iter().map(|s| s.repo.as_str()).collect();
    assert_eq!(order, vec!["x/a", "x/b", "x/c"], "the changed side first even inside a cycle");
    assert!(r.rollout.steps[0].in_cycle && !r.rollout.steps[2].in_cycle);
    assert_eq!(r.rollout.steps[2].after, vec!["x/b".to_string()]);
}

/// Mutated diffs (bytes dropped, lines duplicated, numbers changed) never
/// panic the parser or the blast radius.
#[test]
fn mutated_diffs_never_panic() {
    let g = org_graph();
    let base = "diff --git a/openapi.yaml b/openapi.yaml\n--- a/openapi.yaml\n+++ b/openapi.yaml\n@@ -34,3 +34,4 @@ x\n   a\n-  b\n+  c\n+  d\n   e\ndiff --git a/src/db.rs b/src/db.rs\nrename from src/db.rs\nrename to src/store.rs\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n";
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut rnd = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    for _ in 0..400 {
        let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
        for _ in 0..3 {
            let k = rnd(lines.len());
            match rnd(5) {
                0 => {
                    lines.remove(k);
                }
                1 => {
                    let l = lines[k].clone();
                    lines.insert(k, l);
                }
                2 => lines[k] = lines[k].replace('3', "99999999999"),
                3 => lines[k] = lines[k].chars().rev().collect(),
                _ => {
                    let cut = rnd(lines[k].len() + 1);
                    let s: String = lines[k].chars().take(cut).collect();
                    lines[k] = s;
                }
            }
            if lines.is_empty() {
                break;
            }
        }
        let text = lines.join("\n");
        let change = ChangeSet { diff: Some(DiffChange { repo: ORDERS.into(), text }), ..Default::default() };
        let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
        assert!(b.impacted.len() < 50);
    }
}

/// A whole spec file change (or the spec named by id) descends to what the
/// spec contains: its operations and types, and from there to consumers.
#[test]
fn whole_spec_changes_reach_operations_and_consumers() {
    let g = org_graph();
    for change in [
        ChangeSet { ids: vec![NodeId::spec(ORDERS, "openapi.yaml")], ..Default::default() },
        ChangeSet {
            files: vec![FileChange { repo: ORDERS.into(), path: "openapi.yaml".into(), ranges: vec![] }],
            ..Default::default()
        },
    ] {
        let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard());
        let got = ids(&b);
        assert!(got.contains(&op_get().to_string()), "{got:?}");
        assert!(got.contains(&sym(WEB, "src/orders.ts", "fetchOrder").to_string()), "{got:?}");
    }
}

/// A changed function reaches the modules importing its file (confidence
/// lowered by IMPORT_LIFT), but not other functions of the same file.
#[test]
fn symbol_changes_reach_importers_of_their_file() {
    let pr = |path: &str, a: u32, b: u32| {
        brain_model::Provenance::declared("x/app", path, Some(brain_model::Span::new(a, b)), "t")
    };
    let mut f = Facts::default();
    let lib = f.node(Node::new(NodeId::file("x/app", "lib.py"), NodeKind::File, "lib.py", pr("lib.py", 1, 40)));
    let class =
        f.node(Node::new(NodeId::symbol("x/app", "lib.py", "Cart"), NodeKind::Symbol, "Cart", pr("lib.py", 1, 30)));
    let method = f.node(Node::new(
        NodeId::symbol("x/app", "lib.py", "Cart.total"),
        NodeKind::Symbol,
        "total",
        pr("lib.py", 5, 9),
    ));
    let other = f.node(Node::new(
        NodeId::symbol("x/app", "lib.py", "helper"),
        NodeKind::Symbol,
        "helper",
        pr("lib.py", 32, 40),
    ));
    let user = f.node(Node::new(NodeId::file("x/app", "main.py"), NodeKind::File, "main.py", pr("main.py", 1, 10)));
    f.edge(brain_model::Edge::new(lib.clone(), EdgeKind::Contains, class.clone(), pr("lib.py", 1, 30)));
    f.edge(brain_model::Edge::new(class.clone(), EdgeKind::Contains, method.clone(), pr("lib.py", 5, 9)));
    f.edge(brain_model::Edge::new(lib.clone(), EdgeKind::Contains, other.clone(), pr("lib.py", 32, 40)));
    f.edge(brain_model::Edge::new(user.clone(), EdgeKind::Imports, lib.clone(), pr("main.py", 1, 1)));
    let mut gb = GraphBuilder::new();
    gb.add_facts(&f);
    let g = gb.build(&[]);
    let change = ChangeSet {
        files: vec![FileChange { repo: "x/app".into(), path: "lib.py".into(), ranges: vec![LineRange::new(6, 6)] }],
        ..Default::default()
    };
    let b = blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::default());
    assert_eq!(b.changed.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), vec![method]);
    assert_eq!(ids(&b), vec![user.to_string()]);
    assert!((b.impacted[0].confidence - 0.7).abs() < 1e-6);
    assert_eq!(b.impacted[0].why[0].edge, EdgeKind::Imports);
}

/// A changed function reaches the modules importing its file only when
/// nothing shows they use something else there: an importer whose resolved
/// calls into the file all go to other functions is not impacted.
#[test]
fn importers_that_call_only_other_functions_of_the_file_are_not_impacted() {
    use brain_model::{Edge, Provenance};
    let repo = "acme/app";
    let prov = |path: &str| Provenance::declared(repo, path, None, "test");
    let mut f = Facts::default();
    let file =
        |f: &mut Facts, path: &str| f.node(Node::new(NodeId::file(repo, path), NodeKind::File, path, prov(path)));
    let func = |f: &mut Facts, path: &str, name: &str| {
        let id = f.node(Node::new(NodeId::symbol(repo, path, name), NodeKind::Symbol, name, prov(path)));
        f.edge(Edge::new(NodeId::file(repo, path), EdgeKind::Contains, id.clone(), prov(path)));
        id
    };
    let lib = file(&mut f, "lib.go");
    let save = func(&mut f, "lib.go", "Save");
    let load = func(&mut f, "lib.go", "Load");
    for (path, calls) in [("loads.go", Some(&load)), ("saves.go", Some(&save)), ("unknown.go", None)] {
        let importer = file(&mut f, path);
        f.edge(Edge::new(importer, EdgeKind::Imports, lib.clone(), prov(path)));
        let run = func(&mut f, path, "run");
        if let Some(target) = calls {
            f.edge(Edge::new(run, EdgeKind::Calls, target.clone(), prov(path)));
        }
    }
    let mut b = GraphBuilder::new();
    b.add_facts(&f);
    let g = b.build(&[]);
    let change = ChangeSet { ids: vec![save], ..Default::default() };
    let got = ids(&blast_radius(&g, &change, &ImpactOptions::default(), &ReviewPolicy::standard()));
    // expect: the caller of Save (calls), the importer with no resolved calls (imports); not the Load-only importer.
    assert!(got.contains(&NodeId::symbol(repo, "saves.go", "run").to_string()), "{got:?}");
    assert!(got.contains(&NodeId::file(repo, "unknown.go").to_string()), "{got:?}");
    assert!(!got.contains(&NodeId::file(repo, "loads.go").to_string()), "uses Load, not Save: {got:?}");
    assert!(!got.contains(&NodeId::symbol(repo, "loads.go", "run").to_string()), "{got:?}");
}
