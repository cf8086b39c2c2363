//! Hostile GraphQL over real HTTP on 127.0.0.1: every limit refuses with a
//! GraphQL error that names the limit (`extensions.code` and
//! `extensions.limit`), without burning CPU first; writes without the write
//! token change nothing; a public bind without tokens never starts.

mod common;

use brain_server::{Limits, Tokens};
use common::*;
use serde_json::{json, Value};
use std::time::Duration;

const FILE: &str = "file:acme/orders:src/events.rs";

fn first_error(v: &Value) -> (&str, &str, &str) {
    let e = &v["errors"][0];
    (
        e["message"].as_str().unwrap_or_default(),
        e["extensions"]["code"].as_str().unwrap_or_default(),
        e["extensions"]["limit"].as_str().unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_query_is_refused_naming_the_depth_limit() {
    let s = serve_fixture(Tokens::default()).await;
    let mut q = format!("{{ node(id: \"{FILE}\") {{ id ");
    for _ in 0..8 {
        q.push_str("neighbors { edges { node { id ");
    }
    q.push_str(&"} } } ".repeat(8));
    q.push_str("} }");
    let (status, v) = gql(s.addr, None, &q, json!({})).await;
    assert_eq!(status, 200);
    let (message, code, limit) = first_error(&v);
    assert_eq!((code, limit), ("BAD_INPUT", "depth"), "{v}");
    assert!(message.contains("nested too deep") && message.contains("16"), "{message}");
    assert!(v["data"].is_null(), "nothing was executed: {v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_very_wide_query_is_refused_by_the_complexity_limit() {
    let s = serve_fixture(Tokens::default()).await;
    // 30,000 cheap fields: within the 1 MiB body limit, over the complexity limit.
    let fields: String = (0..30_000).map(|i| format!("f{i}: __typename ")).collect();
    let (status, v) = gql(s.addr, None, &format!("{{ {fields} }}"), json!({})).await;
    assert_eq!(status, 200);
    let (message, code, limit) = first_error(&v);
    assert_eq!((code, limit), ("BAD_INPUT", "complexity"), "{v}");
    assert!(message.contains("too complex") && message.contains("20000"), "{message}");
    // A wide selection of real entity fields is refused the same way.
    let fields: String = (0..8_000).map(|i| format!("n{i}: node(id: \"{FILE}\") {{ id name }} ")).collect();
    let (_, v) = gql(s.addr, None, &format!("{{ {fields} }}"), json!({})).await;
    assert_eq!(first_error(&v).2, "complexity", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_aliases_of_an_expensive_field_are_refused_before_running() {
    let s = serve_fixture(Tokens::default()).await;
    for (field, sel) in [
        (format!("blastRadius(change: {{ids: [\"{FILE}\"]}})"), "lane"),
        ("search(query: \"order\")".to_string(), "score"),
        ("contextPacket(intent: \"change OrderCreated\")".to_string(), "status"),
    ] {
        let q: String = (0..2_000).map(|i| format!("a{i}: {field} {{ {sel} }} ")).collect();
        let (status, v) = gql(s.addr, None, &format!("{{ {q} }}"), json!({})).await;
        assert_eq!(status, 200);
        let (message, code, limit) = first_error(&v);
        assert_eq!((code, limit), ("BAD_INPUT", "complexity"), "{field}: {v}");
        assert!(message.contains("blastRadius 500"), "the message says what costs what: {message}");
        assert!(v["data"].is_null(), "nothing ran: {v}");
    }
    // A handful of them is fine.
    let q: String = (0..3).map(|i| format!("a{i}: blastRadius(change: {{ids: [\"{FILE}\"]}}) {{ lane }} ")).collect();
    let (_, v) = gql(s.addr, None, &format!("{{ {q} }}"), json!({})).await;
    assert!(v["errors"].is_null(), "{v}");
    assert!(v["data"]["a2"]["lane"].is_string(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fragment_bomb_is_refused_without_expanding_it() {
    let s = serve_fixture(Tokens::default()).await;
    // F0 spreads F1 twice, F1 spreads F2 twice, ...: 2^40 fields in 40 lines.
    // Expanded naively (as the stock validators do) this would never finish.
    let mut q = String::from("query { ...F0 }\n");
    for i in 0..40 {
        q.push_str(&format!("fragment F{i} on QueryRoot {{ ...F{} a{i}: __typename ...F{} }}\n", i + 1, i + 1));
    }
    q.push_str("fragment F40 on QueryRoot { __typename }\n");
    let (status, v) = gql(s.addr, None, &q, json!({})).await;
    assert_eq!(status, 200);
    let (_, code, limit) = first_error(&v);
    assert_eq!((code, limit), ("BAD_INPUT", "complexity"), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nested_neighbour_pages_are_bounded_by_the_edge_budget() {
    let limits = Limits { max_edges: 3, ..Limits::default() };
    let s = serve_fixture_with(Tokens::default(), limits).await;
    // Through the Entity interface, so no per-type complexity applies: the budget does.
    let q =
        r#"{ node(id: "repo:acme/orders") { neighbors { edges { node { neighbors { edges { node { id } } } } } } } }"#;
    let (_, v) = gql(s.addr, None, q, json!({})).await;
    let (message, code, limit) = first_error(&v);
    assert_eq!((code, limit), ("BAD_INPUT", "edges"), "{v}");
    assert!(message.contains("more than 3 edges"), "{message}");
    // One page within the budget is answered.
    let (_, v) =
        gql(s.addr, None, r#"{ neighbors(id: "repo:acme/orders", first: 2) { totalCount } }"#, json!({})).await;
    assert!(v["errors"].is_null(), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_gets_413_declared_or_streamed() {
    let s = serve_fixture(Tokens::default()).await;
    assert_eq!(post_declaring(s.addr, "/graphql", 2 * 1024 * 1024).await, 413);
    // Streamed without a length, it is refused once it runs over.
    let (status, body) = post_chunked(s.addr, "/graphql", 1024 * 1024 + 1).await;
    assert_eq!(status, 413, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap_or_else(|_| json!({ "raw": body }));
    let (message, code, limit) = first_error(&v);
    assert_eq!((code, limit), ("BAD_INPUT", "body"), "{v}");
    assert!(message.contains("1048576"), "{message}");
    // A body that is not a GraphQL request says so.
    let (status, body) = http(s.addr, "POST", "/graphql", None, "query { stats { nodes } }").await;
    assert_eq!(status, 400);
    assert!(body.contains("BAD_INPUT"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_query_hits_the_time_limit_with_a_clear_error() {
    // A zero time limit makes every engine call late, deterministically.
    let limits = Limits { timeout: Duration::ZERO, ..Limits::default() };
    let s = serve_fixture_with(Tokens::default(), limits).await;
    for q in [
        format!("{{ blastRadius(change: {{ids: [\"{FILE}\"]}}) {{ lane }} }}"),
        "{ contextPacket(intent: \"change OrderCreated\") { status } }".to_string(),
        "{ a: search(query: \"order\") { score } b: search(query: \"created\") { score } }".to_string(),
    ] {
        let (status, v) = gql(s.addr, None, &q, json!({})).await;
        assert_eq!(status, 200);
        let (message, code, limit) = first_error(&v);
        assert_eq!((code, limit), ("TIMEOUT", "time"), "{q}: {v}");
        assert!(message.contains("time limit of 0 ms"), "{message}");
        assert!(v["data"].is_null(), "no partial answer: {v}");
        assert_eq!(v["errors"].as_array().map(Vec::len), Some(1), "one error, not one per field: {v}");
    }
}

const ALL_MUTATIONS: &str = r#"mutation {
  recordLesson(input: { text: "check created_at", appliesTo: ["file:acme/orders:src/events.rs"] }) { id }
  recordFailure(input: { title: "orders broke", affected: ["file:acme/orders:src/events.rs"] }) { failure { id } }
  recordRun(input: { task: "t", state: NO_OP, touched: ["file:acme/orders:src/events.rs"] }) { id }
  retireLesson(id: "lesson:x") { id }
  reingest(repo: "acme/orders") { parsed }
}"#;

async fn graph_state(s: &Served) -> (u64, usize, usize, usize) {
    let g = s.brain.snapshot();
    let records = [brain_model::NodeKind::Lesson, brain_model::NodeKind::Failure, brain_model::NodeKind::Run]
        .iter()
        .map(|k| g.nodes_of_kind(*k).count())
        .sum();
    let (_, v) = gql(s.addr, Some("wr1te"), r#"{ search(query: "zanzibarFlag") { entity { id } } }"#, json!({})).await;
    let found = v["data"]["search"].as_array().map(Vec::len).unwrap_or(usize::MAX);
    (g.generation(), g.node_count(), records, found)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_write_token_no_mutation_writes_anything() {
    let s = serve_fixture(Tokens { read: Some("r3ad".into()), write: Some("wr1te".into()) }).await;
    // A change on disk that a reingest would pick up.
    let root = s.brain.snapshot().repo("acme/orders").map(|r| r.root.clone()).expect("repo root");
    std::fs::write(
        std::path::Path::new(&root).join("src/events.rs"),
        "struct OrderCreated { created_at: String, zanzibar_flag: String }\n",
    )
    .expect("edit");
    let before = graph_state(&s).await;
    assert_eq!((before.2, before.3), (0, 0), "{before:?}");

    // No token at all (reads are closed here, so 401 before anything runs).
    let (status, v) = gql(s.addr, None, ALL_MUTATIONS, json!({})).await;
    assert_eq!(status, 401, "{v}");
    // A read token: every mutation is refused, each with FORBIDDEN.
    let (status, v) = gql(s.addr, Some("r3ad"), ALL_MUTATIONS, json!({})).await;
    assert_eq!(status, 200);
    let errors = v["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 5, "{v}");
    for e in &errors {
        assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{v}");
        assert!(e["message"].as_str().unwrap_or_default().contains("write token"), "{e}");
    }
    assert_eq!(graph_state(&s).await, before, "a refused mutation changed the data");

    // Reads open, writes closed: a request without a token is a reader.
    let open = serve_fixture(Tokens { read: None, write: Some("wr1te".into()) }).await;
    let (_, v) = gql(open.addr, None, ALL_MUTATIONS, json!({})).await;
    let codes: Vec<&str> = v["errors"]
        .as_array()
        .map(|es| es.iter().filter_map(|e| e["extensions"]["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(codes, vec!["FORBIDDEN"; 5], "{v}");
    let g = open.brain.snapshot();
    assert_eq!(g.nodes_of_kind(brain_model::NodeKind::Lesson).count(), 0);

    // The control: the write token does write, so the checks above can see a write.
    let (_, v) =
        gql(s.addr, Some("wr1te"), r#"mutation { reingest(repo: "acme/orders") { parsed } }"#, json!({})).await;
    assert_eq!(v["data"]["reingest"]["parsed"], 1, "{v}");
    let after = graph_state(&s).await;
    assert!(after.0 > before.0 && after.3 > 0, "{before:?} -> {after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_address_without_both_tokens_never_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let brain = std::sync::Arc::new(
        brain_ingest::Brain::open(&dir.path().join("data"), vec![Box::new(brain_ingest_files::FilesIngestor)], vec![])
            .expect("open"),
    );
    for (addr, tokens, missing) in [
        ("0.0.0.0:0", Tokens::default(), "read token"),
        ("[::]:0", Tokens::default(), "read token"),
        ("0.0.0.0:0", Tokens { read: Some("r".into()), write: None }, "write token"),
        ("0.0.0.0:0", Tokens { read: None, write: Some("w".into()) }, "read token"),
    ] {
        let opts = brain_server::ServeOptions { tokens, ..Default::default() };
        let addr: std::net::SocketAddr = addr.parse().expect("addr");
        // `serve` returns at once with the error; it never binds or serves.
        let result = brain_server::serve(brain.clone(), addr, opts, std::future::pending::<()>()).await;
        match result {
            Err(e @ brain_server::ServeError::InsecureBind { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains(missing) && msg.contains("BRAIN_WRITE_TOKEN"), "{msg}");
            }
            other => panic!("{addr} must be refused, got {other:?}"),
        }
    }
}
