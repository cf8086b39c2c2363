//! The security suite over real HTTP on 127.0.0.1: what a hostile web page
//! (DNS rebinding, cross-site form posts), an anonymous scraper of
//! `/metrics`, and a flood of connections or MCP sessions can do — nothing
//! beyond a refusal with a message.

mod common;

use brain_server::{ServeOptions, Tokens};
use common::*;

const QUERY: &str = r#"{"query":"{ repos { name root } }"}"#;

fn post(host: &str, extra: &str) -> String {
    format!("POST /graphql HTTP/1.1\r\nHost: {host}{extra}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebinding_page_cannot_read_the_graph_on_any_route() {
    let s = serve_fixture(Tokens::default()).await;
    let port = s.addr.port();
    let foreign = format!("evil.example:{port}");
    let (status, _, body) = raw(s.addr, &post(&foreign, "\r\nContent-Type: application/json"), QUERY).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("DNS rebinding") && body.contains("--allow-host"), "{body}");
    assert!(body.contains("\"FORBIDDEN\""), "{body}");
    assert!(!body.contains("acme/orders"), "no data leaks: {body}");
    for path in ["/metrics", "/health", "/", "/nope"] {
        let (status, _, body) = raw(s.addr, &format!("GET {path} HTTP/1.1\r\nHost: {foreign}"), "").await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, _) = raw_head(
        s.addr,
        &format!("POST /mcp HTTP/1.1\r\nHost: {foreign}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream"),
        &mcp_initialize(),
    )
    .await;
    assert_eq!(status, 403, "/mcp refuses the foreign host too");
    // An absolute request URI naming another host is the same thing.
    let (status, _, _) =
        raw(s.addr, &format!("GET http://evil.example:{port}/health HTTP/1.1\r\nHost: 127.0.0.1:{port}"), "").await;
    assert_eq!(status, 403);
    // Every loopback name works, on the port it is served on.
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), "LOCALHOST".to_string()] {
        let (status, _, body) = raw(s.addr, &post(&host, "\r\nContent-Type: application/json"), QUERY).await;
        assert_eq!(status, 200, "{host}: {body}");
        assert!(body.contains("acme/orders"), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_form_or_text_post_is_refused_before_it_runs() {
    let s = serve_fixture(Tokens::default()).await;
    let host = s.addr.to_string();
    for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        let (status, _, body) = raw(s.addr, &post(&host, &format!("\r\nContent-Type: {ct}")), QUERY).await;
        assert_eq!(status, 415, "{ct}: {body}");
        assert!(body.contains("application/json") && body.contains("BAD_INPUT"), "{body}");
    }
    let (status, _, _) = raw(s.addr, &post(&host, ""), QUERY).await;
    assert_eq!(status, 415, "no Content-Type at all");
    // A page on another origin is refused even with a JSON body (a
    // non-browser client sends no Origin), and a preflight gets no CORS headers.
    let (status, _, body) =
        raw(s.addr, &post(&host, "\r\nContent-Type: application/json\r\nOrigin: https://evil.example"), QUERY).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("https://evil.example") && body.contains("cors_origins"), "{body}");
    let (_, head, _) = raw(
        s.addr,
        &format!(
            "OPTIONS /graphql HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nAccess-Control-Request-Method: POST"
        ),
        "",
    )
    .await;
    assert!(!head.to_ascii_lowercase().contains("access-control-allow"), "no CORS unless configured: {head}");
    // GraphiQL served by this server posts with its own origin.
    let (status, _, body) =
        raw(s.addr, &post(&host, &format!("\r\nContent-Type: application/json\r\nOrigin: http://{host}")), QUERY).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_cors_origins_get_cors_headers_and_others_do_not() {
    let opts = ServeOptions { cors_origins: vec!["https://portal.example".into()], ..Default::default() };
    let s = serve_fixture_opts(opts).await;
    let host = s.addr.to_string();
    let preflight = |origin: &str| {
        format!("OPTIONS /graphql HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type")
    };
    let (_, head, _) = raw(s.addr, &preflight("https://portal.example"), "").await;
    assert!(head.to_ascii_lowercase().contains("access-control-allow-origin: https://portal.example"), "{head}");
    let (_, head, _) = raw(s.addr, &preflight("https://evil.example"), "").await;
    assert!(!head.to_ascii_lowercase().contains("access-control-allow-origin"), "{head}");
    let (status, _, body) =
        raw(s.addr, &post(&host, "\r\nContent-Type: application/json\r\nOrigin: https://portal.example"), QUERY).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_and_graphql_answer_a_configured_host_name() {
    let opts = ServeOptions { allowed_hosts: vec!["brain.internal".into()], ..Default::default() };
    let s = serve_fixture_opts(opts).await;
    let named = format!("brain.internal:{}", s.addr.port());
    let (status, _, body) = raw(s.addr, &post(&named, "\r\nContent-Type: application/json"), QUERY).await;
    assert_eq!(status, 200, "{body}");
    let (status, head) = raw_head(
        s.addr,
        &format!("POST /mcp HTTP/1.1\r\nHost: {named}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream"),
        &mcp_initialize(),
    )
    .await;
    assert_eq!(status, 200, "rmcp gets the same list: {head}");
    let (status, _, body) = raw(s.addr, &post("other.internal", "\r\nContent-Type: application/json"), QUERY).await;
    assert_eq!(status, 403, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_read_token_when_one_is_set() {
    let s = serve_fixture(Tokens { read: Some("r3ad".into()), write: Some("wr1te".into()) }).await;
    let (status, body) = http(s.addr, "GET", "/metrics", None, "").await;
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("UNAUTHENTICATED") && !body.contains("brain_graph_nodes"), "{body}");
    let (status, body) = http(s.addr, "GET", "/metrics", Some("wrong"), "").await;
    assert_eq!(status, 401, "{body}");
    let (status, body) = http(s.addr, "GET", "/metrics", Some("r3ad"), "").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("brain_graph_nodes "), "{body}");
}

#[test]
fn an_allowed_host_that_is_no_host_name_is_refused_at_start() {
    let opts = ServeOptions { allowed_hosts: vec!["https://brain.internal/".into()], ..Default::default() };
    let err = opts.check("127.0.0.1:7777".parse().expect("addr")).expect_err("must refuse");
    assert!(err.to_string().contains("https://brain.internal/"), "{err}");
}

/// An MCP `initialize` request body.
fn mcp_initialize() -> String {
    serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    .to_string()
}
