//! End-to-end over real HTTP on 127.0.0.1: search, node, neighbours, health,
//! auth and limits.

mod common;

use brain_server::Tokens;
use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_identifier_spellings_and_node_shows_evidence() {
    let s = serve_fixture(Tokens::default()).await;
    let (status, v) = gql(
        s.addr,
        None,
        "query($q: String!) { search(query: $q) { score entity { id kind name evidence { location ingestor origin } } } }",
        json!({ "q": "createdAt" }),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let ids: Vec<&str> =
        v["data"]["search"].as_array().expect("hits").iter().filter_map(|h| h["entity"]["id"].as_str()).collect();
    assert!(ids.contains(&"file:acme/orders:src/events.rs"), "{v}");

    let (_, v) = gql(
        s.addr,
        None,
        r#"{ node(id: "file:acme/orders:src/events.rs") { id kind ... on FileNode { language } evidence { repo path startLine } neighbors(direction: INCOMING) { totalCount edges { kind relation node { id } } } } }"#,
        json!({}),
    )
    .await;
    let n = &v["data"]["node"];
    assert_eq!(n["kind"], "FILE", "{v}");
    assert_eq!(n["language"], "rust");
    assert_eq!(n["evidence"]["startLine"], 1);
    assert_eq!(n["neighbors"]["edges"][0]["node"]["id"], "repo:acme/orders", "{v}");
    assert_eq!(n["neighbors"]["edges"][0]["relation"], "partOf");

    let (status, body) = http(s.addr, "GET", "/health", None, "").await;
    assert_eq!(status, 200);
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    assert!(body.contains("\"exact\":true"), "a freshly ingested fixture is a full build: {body}");
    let (status, body) = http(s.addr, "GET", "/", None, "").await;
    assert_eq!(status, 200);
    assert!(body.contains("graphiql") || body.contains("GraphiQL"), "GraphiQL page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_clear_errors_not_panics() {
    let s = serve_fixture(Tokens::default()).await;
    let (_, v) = gql(s.addr, None, r#"{ neighbors(id: "nope") { totalCount } }"#, json!({})).await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "NOT_FOUND", "{v}");
    let (_, v) = gql(s.addr, None, r#"{ search(query: "   ") { score } }"#, json!({})).await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_INPUT", "{v}");
    let (_, v) = gql(s.addr, None, r#"{ node(id: "repo:acme/orders") { id "#, json!({})).await;
    assert!(v["errors"][0]["message"].as_str().is_some(), "syntax error reported: {v}");
    // Depth is bounded.
    let mut deep = String::from("{ node(id: \"repo:acme/orders\") { id ");
    for _ in 0..20 {
        deep.push_str("neighbors { edges { node { id ");
    }
    for _ in 0..20 {
        deep.push_str("} } } ");
    }
    deep.push_str("} }");
    let (_, v) = gql(s.addr, None, &deep, json!({})).await;
    assert!(v["errors"][0]["message"].as_str().unwrap_or_default().contains("nested too deep"), "{v}");
    // Oversized bodies are refused before they are read.
    assert_eq!(post_declaring(s.addr, "/graphql", 2 * 1024 * 1024).await, 413);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_write_token_and_reads_can_be_closed() {
    let s = serve_fixture(Tokens { read: Some("r3ad".into()), write: Some("wr1te".into()) }).await;
    let (status, v) = gql(s.addr, None, "{ stats { nodes } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(v["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (_, v) = gql(s.addr, Some("r3ad"), "{ stats { nodes } }", json!({})).await;
    assert!(v["data"]["stats"]["nodes"].as_u64().unwrap_or(0) > 0, "{v}");
    let m = r#"mutation { reingest(repo: "acme/orders") { parsed unchanged } }"#;
    let (_, v) = gql(s.addr, Some("r3ad"), m, json!({})).await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "FORBIDDEN", "a read token cannot write: {v}");
    let (_, v) = gql(s.addr, Some("wr1te"), m, json!({})).await;
    assert_eq!(v["data"]["reingest"]["parsed"], 0, "{v}");
    let (status, _) = gql(s.addr, Some("wrong"), "{ stats { nodes } }", json!({})).await;
    assert_eq!(status, 401);
    // MCP over HTTP sits behind the same tokens.
    let (status, _) = http(s.addr, "POST", "/mcp", None, "{}").await;
    assert_eq!(status, 401, "/mcp without a token");
}

/// A 401 says how to authenticate (RFC 6750), on GraphQL and on MCP alike: clients such as MCP
/// agents read the `WWW-Authenticate` challenge to know a bearer token is wanted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_carries_a_bearer_challenge() {
    let s = serve_fixture(Tokens { read: Some("r3ad".into()), write: Some("wr1te".into()) }).await;
    let host = format!("Host: {}", s.addr);
    let challenge = |head: &str| {
        head.lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("www-authenticate")))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mcp_init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    .to_string();
    for (path, accept) in [("/graphql", "application/json"), ("/mcp", "application/json, text/event-stream")] {
        let body = if path == "/mcp" { mcp_init.clone() } else { json!({"query": "{ stats { nodes } }"}).to_string() };
        let head = format!("POST {path} HTTP/1.1\r\n{host}\r\nContent-Type: application/json\r\nAccept: {accept}");
        let (status, resp_head, _) = raw(s.addr, &head, &body).await;
        assert_eq!(status, 401, "{path} without a token: {resp_head}");
        assert_eq!(challenge(&resp_head), r#"Bearer realm="brain""#, "{path}: {resp_head}");
        let (status, resp_head, _) = raw(s.addr, &format!("{head}\r\nAuthorization: Bearer nope"), &body).await;
        assert_eq!(status, 401, "{path} with a wrong token: {resp_head}");
        let c = challenge(&resp_head);
        assert!(c.starts_with(r#"Bearer realm="brain""#) && c.contains(r#"error="invalid_token""#), "{path}: {c}");
    }
}

#[test]
fn a_public_address_without_tokens_is_refused() {
    let opts = brain_server::ServeOptions::default();
    let err = opts.check("0.0.0.0:7777".parse().expect("addr")).expect_err("must refuse");
    assert!(err.to_string().contains("BRAIN_READ_TOKEN"), "{err}");
    assert!(opts.check("127.0.0.1:7777".parse().expect("addr")).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_request_ids_show_what_happened() {
    let s = serve_fixture(Tokens::default()).await;
    let body = serde_json::json!({ "query": "query Stats { stats { nodes } }", "operationName": "Stats" }).to_string();
    let (status, _) = http(s.addr, "POST", "/graphql", None, &body).await;
    assert_eq!(status, 200);
    let (status, text) = http(s.addr, "GET", "/metrics", None, "").await;
    assert_eq!(status, 200);
    assert!(text.contains("brain_graphql_duration_seconds_count{operation=\"Stats\"} "), "{text}");
    assert!(text.contains("brain_graph_nodes "), "{text}");
    assert!(text.contains("brain_http_requests_total{route=\"/graphql\",status=\"200\"}"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parse_and_validation_errors_carry_a_code() {
    let s = serve_fixture(Tokens::default()).await;
    for (query, vars) in [
        (r#"{ node(id: "repo:acme/orders") { id "#, json!({})),
        ("{ noSuchField }", json!({})),
        ("query($n: Int!) { search(query: \"x\", limit: $n) { score } }", json!({ "n": "many" })),
        ("query($n: Int!) { stats { nodes } }", json!({})),
    ] {
        let (status, v) = gql(s.addr, None, query, vars).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_INPUT", "{query}: {v}");
        assert!(v["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
}
