//! Context packets over the fixture org (see tests/fixture/mod.rs).

mod fixture;

use brain_model::text::estimate_tokens;
use brain_model::NodeId;
use brain_query::packet::Section;
use brain_query::{
    context_packet, context_packet_with, render_task_packet, NameIndex, PacketRequest, PacketSources, PacketStatus,
    Scope, SearchHit, SpanSource,
};
use fixture::*;

fn req(intent: &str, budget: usize) -> PacketRequest {
    PacketRequest { intent: intent.into(), budget_tokens: budget, ..Default::default() }
}

struct Lines;
impl SpanSource for Lines {
    fn lines(&self, _repo: &str, path: &str, start: u32, end: u32) -> Option<String> {
        Some((start..=end.min(start + 2)).map(|l| format!("// {path}:{l}")).collect::<Vec<_>>().join("\n"))
    }
}

/// "createdAt" names the created_at field (canonical names agree): the packet
/// is Ok, includes the web reader, the incident and the lesson, never the retired lesson.
#[test]
fn named_identifier_gives_ok_packet_with_lessons_and_failures() {
    let g = org_graph();
    let p = context_packet(&g, &[], &req("Rename createdAt on the order page", 4000));
    assert_eq!(p.status, PacketStatus::Ok, "{}", p.status_reason);
    assert!(p.named.contains(&field_created_at()), "{:?}", p.named);
    let ids: Vec<&str> = p.items.iter().map(|i| i.id.as_str()).collect();
    assert!(ids.contains(&"lesson:casing"), "{ids:?}");
    assert!(!ids.contains(&"lesson:old"));
    assert!(ids.contains(&incident().as_str()));
    assert!(ids.contains(&sym(WEB, "src/orders.ts", "fetchOrder").as_str()), "{ids:?}");
    assert!(p.items.iter().any(|i| i.section == Section::Owners && i.title == "@acme/api-guild"));
    let docs: Vec<&str> =
        p.items.iter().filter(|i| i.section == Section::Instructions).map(|i| i.title.as_str()).collect();
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(docs.contains(&"AGENTS.md") && docs.contains(&"src/AGENTS.md") && docs.contains(&"TypeScript rules"));
    let fetch = p.items.iter().find(|i| i.title == "fetchOrder").expect("fetchOrder");
    assert!(fetch.why.contains("reads field"), "{}", fetch.why);
    assert_eq!(fetch.why_path.len(), 1);
    assert!(p.risks.iter().any(|r| r.kind == "incident"));
    assert!(p.risks.iter().any(|r| r.kind == "cross_repo"));
    assert!(p.tokens <= 4000);
    insta::assert_snapshot!("created_at_packet", p.markdown);
    insta::assert_snapshot!("created_at_task", render_task_packet(&p));
}

/// A packet shows at most five lessons, the ones on what the task most likely
/// touches: with eight lessons on the named field and one on a store function
/// the task barely reaches, five field lessons are shown and the rest is cut.
#[test]
fn lessons_are_the_few_most_relevant() {
    let mut facts = vec![org_facts()];
    for n in 0..7 {
        facts.push(brain_query::lesson_facts(
            &brain_query::LessonInput {
                text: format!("Field lesson number {n}: keep created_at in snake case."),
                applies_to: vec![field_created_at()],
                author: "alice".into(),
                ..Default::default()
            },
            1_763_726_400 + n,
        ));
    }
    let far = brain_query::lesson_facts(
        &brain_query::LessonInput {
            text: "Save orders in one transaction.".into(),
            applies_to: vec![sym(ORDERS, "src/db.rs", "save_order")],
            author: "bob".into(),
            ..Default::default()
        },
        1_763_726_500,
    );
    let far_id = far.nodes[0].id.clone();
    facts.push(far);
    let g = graph_of(&facts);
    let p = context_packet(&g, &[], &req("Rename createdAt on the order page", 8000));
    let shown: Vec<_> = p.items.iter().filter(|i| i.section == Section::Lessons).collect();
    assert_eq!(shown.len(), 5, "{:?}", shown.iter().map(|i| &i.title).collect::<Vec<_>>());
    assert!(
        shown.iter().all(|i| i.why.contains("created_at")),
        "{:?}",
        shown.iter().map(|i| &i.why).collect::<Vec<_>>()
    );
    assert!(!p.items.iter().any(|i| i.id == far_id));
}

#[test]
fn phrases_and_paths_are_named_too() {
    let g = org_graph();
    let p = context_packet(&g, &[], &req("the created at field", 2000));
    assert!(p.named.contains(&field_created_at()), "{:?}", p.named);
    let p = context_packet(&g, &[], &req("look at billing/worker.py please", 2000));
    assert_eq!(p.named, vec![NodeId::file(BILLING, "billing/worker.py")]);
    let p = context_packet(&g, &[], &req(&format!("fix {}", op_get()), 2000));
    assert_eq!(p.named, vec![op_get()]);
}

#[test]
fn nothing_named_is_no_match_and_loose_words_are_weak() {
    let g = org_graph();
    let p = context_packet(&g, &[], &req("Fix the refund rounding in payments", 2000));
    assert_eq!(p.status, PacketStatus::NoMatch);
    assert!(p.items.is_empty());
    assert!(render_task_packet(&p).contains("Return NO_OP"));
    // An irrelevant search hit does not rescue it.
    let hits = [SearchHit { id: sym(ORDERS, "src/db.rs", "save_order"), score: 3.2 }];
    let p = context_packet(&g, &hits, &req("Fix the refund rounding in payments", 2000));
    assert_eq!(p.status, PacketStatus::NoMatch, "{}", p.status_reason);
    // "order" is exactly the name of a type, but only as a plain word: weak,
    // with or without a search hit on it.
    let p = context_packet(&g, &[], &req("something about order", 2000));
    assert_eq!(p.status, PacketStatus::Weak, "{}", p.status_reason);
    let p = context_packet(&g, &[SearchHit { id: type_order(), score: 1.0 }], &req("something about order", 2000));
    assert_eq!(p.status, PacketStatus::Weak, "{}", p.status_reason);
    // A search hit whose name the intent contains fully: ok.
    let hits = [SearchHit { id: sym(ORDERS, "src/db.rs", "save_order"), score: 3.2 }];
    let p = context_packet(&g, &hits, &req("save order twice bug", 2000));
    assert_eq!(p.status, PacketStatus::Ok, "{}", p.status_reason);
}

#[test]
fn markdown_never_exceeds_the_budget() {
    let g = org_graph();
    let hits = [
        SearchHit { id: type_order(), score: 5.0 },
        SearchHit { id: sym(ORDERS, "src/api.rs", "create_order"), score: 4.0 },
    ];
    for intent in ["Rename createdAt on the order page", "order totals in cents", "nothing here at all"] {
        let mut prev_items = 0;
        for budget in (0..1500).step_by(7) {
            let p = context_packet_with(
                &g,
                &hits,
                &req(intent, budget),
                PacketSources { spans: Some(&Lines), ..Default::default() },
            );
            let t = estimate_tokens(&p.markdown);
            assert!(t <= budget, "{intent:?} budget {budget}: {t}");
            assert_eq!(t, p.tokens);
            // Items and files are exactly what the markdown shows; the rest is listed as cut.
            assert!(p.items.iter().all(|i| p.markdown.contains(i.title.replace('\n', " ").as_str())), "{intent:?}");
            assert_eq!(p.omitted, p.cut.len());
            let shown = p.items.len() + p.files.len();
            assert!(shown + 3 >= prev_items, "more budget should not show much less");
            prev_items = shown;
        }
    }
}

#[test]
fn packets_are_deterministic_and_scoped() {
    let g = org_graph();
    let hits = [SearchHit { id: type_order(), score: 5.0 }, SearchHit { id: op_get(), score: 5.0 }];
    let mut r = req("change the Order type for createdAt", 3000);
    r.scope = Scope { repos: vec![ORDERS.into()], ..Default::default() };
    let a = context_packet_with(&g, &hits, &r, PacketSources { spans: Some(&Lines), ..Default::default() });
    let b = context_packet_with(&g, &hits, &r, PacketSources { spans: Some(&Lines), ..Default::default() });
    assert_eq!(a, b);
    assert!(a.non_goals.iter().any(|n| n.repo == WEB), "web is near but out of scope: {:?}", a.non_goals);
    assert!(a.items.iter().any(|i| i.snippet.is_some()));
    let task = render_task_packet(&a);
    assert!(task.contains("## Non-goals") && task.contains("fetchOrder"));
    assert!(task.contains("`test` (acme/orders)"), "{task}");
}

#[test]
fn http_operations_are_named_by_method_and_path() {
    let g = org_graph();
    let p = context_packet(&g, &[], &req("GET /orders/{id} returns 500", 2000));
    assert_eq!(p.named, vec![op_get()]);
}

#[test]
fn a_name_index_gives_the_same_packet_as_a_scan() {
    let g = org_graph();
    let ix = NameIndex::build(&g);
    for intent in
        ["Rename createdAt on the order page", "look at billing/worker.py", "GET /orders/{id} and total cents"]
    {
        let mut r = req(intent, 3000);
        r.scope.paths = vec!["src".into()];
        let a = context_packet(&g, &[], &r);
        let b = context_packet_with(&g, &[], &r, PacketSources { names: Some(&ix), ..Default::default() });
        assert_eq!(a, b, "{intent}");
    }
    // An index of another snapshot is ignored, not trusted.
    let other = graph_of(&[]);
    assert!(!NameIndex::build(&other).is_for(&g));
}

/// The file list fuses the text, the graph and history: a file that only a
/// similar past change names still ranks, a file both the text and history
/// rank comes first, a path the graph does not hold (deleted since) never
/// shows, and each file says why it is there.
#[test]
fn files_fuse_text_graph_and_history() {
    use brain_query::{FileSearchHit, PastChange};
    let g = org_graph();
    let lexical = [
        FileSearchHit { repo: ORDERS.into(), path: "src/db.rs".into(), score: 9.0 },
        FileSearchHit { repo: ORDERS.into(), path: "src/gone.rs".into(), score: 8.0 },
        FileSearchHit { repo: ORDERS.into(), path: "src/api.rs".into(), score: 3.0 },
    ];
    let past = [
        PastChange {
            repo: ORDERS.into(),
            sha: "0123456789abcdef".into(),
            subject: "store totals in cents".into(),
            score: 4.0,
            files: vec!["src/db.rs".into(), "tests/api_test.rs".into(), "src/gone.rs".into()],
        },
        PastChange {
            repo: ORDERS.into(),
            sha: "fedcba9876543210".into(),
            subject: "cents everywhere".into(),
            score: 2.0,
            files: vec!["src/db.rs".into()],
        },
    ];
    let sources = PacketSources { files: &lexical, past: &past, ..Default::default() };
    let p = context_packet_with(&g, &[], &req("store order totals in cents", 4000), sources);
    let paths: Vec<&str> = p.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.first(), Some(&"src/db.rs"), "{paths:?}");
    assert!(!paths.contains(&"src/gone.rs"), "{paths:?}");
    assert!(paths.contains(&"tests/api_test.rs"), "history alone ranks a file: {paths:?}");
    let db = &p.files[0];
    assert_eq!((db.lexical_rank, db.history_rank), (Some(1), Some(1)));
    assert!(db.why.contains("2 similar past changes") && db.why.contains("0123456789"), "{}", db.why);
    assert!((db.score - 1.0).abs() < 1e-6);
    assert!(p.markdown.contains("## Files\n- `acme/orders:src/db.rs`"), "{}", p.markdown);
    // A small budget keeps the best files and lists the rest as cut.
    let small = context_packet_with(&g, &[], &req("store order totals in cents", 250), sources);
    assert!(small.files.len() < p.files.len(), "{:?}", small.files);
    assert!(small.cut.iter().any(|c| c.kind == "file"), "{:?}", small.cut);
}

/// A file ranks with the files that change with it, though the task's words
/// name none of them: its co-change partner from the repository's history
/// (saying how often they changed together) and its test twin. A file with
/// neither tie to a ranked file stays out.
#[test]
fn files_bring_their_co_change_partners_and_test_twins() {
    use brain_graph::{GraphBuilder, RepoInfo};
    use brain_model::history::{ChangeStatus, Commit, FileChange, HistoryParams};
    use brain_model::{Facts, Node, NodeKind, Provenance};
    use brain_query::FileSearchHit;
    use std::sync::Arc;

    const REPO: &str = "acme/parser";
    let paths = ["src/parser.rs", "src/grammar.toml", "tests/parser.rs", "src/lexer.rs", "src/render.rs"];
    let mut f = Facts::default();
    for path in paths {
        let name = path.rsplit('/').next().unwrap_or(path);
        f.node(Node::new(
            NodeId::file(REPO, path),
            NodeKind::File,
            name,
            Provenance::declared(REPO, path, None, "files"),
        ));
    }
    let commit = |n: usize, files: &[&str]| Commit {
        sha: format!("{n:040}"),
        parents: 1,
        author: "ann".into(),
        email: "ann@example.com".into(),
        time: 1_700_000_000 + n as i64 * 3600,
        message: format!("change {n}"),
        files: files
            .iter()
            .map(|p| FileChange { status: ChangeStatus::Modified, path: (*p).into(), from: None })
            .collect(),
        files_total: files.len() as u32,
    };
    // The parser changed with its grammar in 3 of its 4 commits; the lexer alone.
    let commits = [
        commit(1, &["src/parser.rs", "src/grammar.toml"]),
        commit(2, &["src/parser.rs", "src/grammar.toml"]),
        commit(3, &["src/parser.rs", "src/grammar.toml"]),
        commit(4, &["src/parser.rs"]),
        commit(5, &["src/lexer.rs"]),
        commit(6, &["src/lexer.rs"]),
    ];
    let head = commits[5].sha.clone();
    let history = brain_graph::history::summarize(&commits, &head, commits[5].time, &HistoryParams::default());
    let mut b = GraphBuilder::new();
    b.set_repo(RepoInfo { name: REPO.into(), root: "/src/parser".into(), commit: Some(head), ingested_at: 0 });
    b.add_facts(&f);
    b.add_history(REPO, Arc::new(history));
    let g = b.build(&[]);

    let lexical = [
        FileSearchHit { repo: REPO.into(), path: "src/parser.rs".into(), score: 9.0 },
        FileSearchHit { repo: REPO.into(), path: "src/render.rs".into(), score: 2.0 },
    ];
    let sources = PacketSources { files: &lexical, ..Default::default() };
    let mut r = req("parse nested blocks", 4000);
    r.scope.repos = vec![REPO.into()];
    let with_index = context_packet_with(&g, &[], &r, PacketSources { names: Some(&NameIndex::build(&g)), ..sources });
    let p = context_packet_with(&g, &[], &r, sources);
    assert_eq!(p.files, with_index.files, "a name index gives the same files as a scan");
    let paths: Vec<&str> = p.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.first(), Some(&"src/parser.rs"), "{paths:?}");
    let why = |path: &str| p.files.iter().find(|f| f.path == path).map(|f| f.why.clone());
    let grammar = why("src/grammar.toml").unwrap_or_else(|| panic!("the co-change partner ranks: {paths:?}"));
    assert!(grammar.contains("changed with `src/parser.rs` in 3 of its 4 commits"), "{grammar}");
    let twin = why("tests/parser.rs").unwrap_or_else(|| panic!("the test twin ranks: {paths:?}"));
    assert!(twin.contains("test twin of `src/parser.rs`"), "{twin}");
    assert!(!paths.contains(&"src/lexer.rs"), "no tie to a ranked file: {paths:?}");
}
