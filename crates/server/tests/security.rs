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

/// Reads until the server closes the connection; `None` when it did not
/// within `secs` (a generous bound, not a timing assertion).
async fn read_until_closed(s: &mut tokio::net::TcpStream, secs: u64) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(secs), async {
        let mut chunk = [0u8; 4096];
        loop {
            match s.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await;
    read.ok().map(|_| String::from_utf8_lossy(&buf).into_owned())
}

fn short_timeouts() -> brain_server::Limits {
    brain_server::Limits {
        header_timeout: std::time::Duration::from_secs(1),
        body_timeout: std::time::Duration::from_secs(1),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_slow_and_idle_connections_are_closed() {
    use tokio::io::AsyncWriteExt;
    let s = serve_fixture_with(Tokens::default(), short_timeouts()).await;
    // Connects and says nothing.
    let mut silent = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
    assert!(read_until_closed(&mut silent, 30).await.is_some(), "a silent connection is closed");
    // Starts a request head and never finishes it.
    let mut slow = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.expect("write");
    assert!(read_until_closed(&mut slow, 30).await.is_some(), "an unfinished head is closed");
    // Keeps a connection alive after an answer and goes quiet.
    let mut idle = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
    idle.write_all(format!("GET /health HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).as_bytes()).await.expect("write");
    let text = read_until_closed(&mut idle, 30).await.expect("an idle kept-alive connection is closed");
    assert!(text.starts_with("HTTP/1.1 200"), "the request was answered first: {text}");
    // A body declared and trickled: a 408 that says why, then the close.
    let mut trickle = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"query\":",
        s.addr
    );
    trickle.write_all(head.as_bytes()).await.expect("write");
    let text = read_until_closed(&mut trickle, 30).await.expect("a trickled body is closed");
    let (status, body) = parse_response(&text);
    assert_eq!(status, 408, "{text}");
    assert!(body.contains("did not arrive") && body.contains("body_time"), "{body}");
    // The server still answers.
    let (status, _) = http(s.addr, "GET", "/health", None, "").await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_refused_and_the_server_recovers() {
    let limits = brain_server::Limits { max_connections: 4, ..Default::default() };
    let s = serve_fixture_with(Tokens::default(), limits).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(tokio::net::TcpStream::connect(s.addr).await.expect("connect"));
    }
    let (status, body) = http(s.addr, "GET", "/health", None, "").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("maximum of 4 open connections") && body.contains("max_connections"), "{body}");
    drop(held);
    let mut recovered = false;
    for _ in 0..200 {
        if http(s.addr, "GET", "/health", None, "").await.0 == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(recovered, "closed connections free their places");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_sessions_are_capped_and_idle_ones_expire() {
    let limits = brain_server::Limits {
        max_mcp_sessions: 2,
        mcp_session_idle: std::time::Duration::from_secs(1),
        ..Default::default()
    };
    let s = serve_fixture_with(Tokens::default(), limits).await;
    let init = || async {
        raw_head(
            s.addr,
            &format!("POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream", s.addr),
            &mcp_initialize(),
        )
        .await
    };
    for _ in 0..2 {
        let (status, head) = init().await;
        assert_eq!(status, 200, "{head}");
        assert!(head.to_ascii_lowercase().contains("mcp-session-id"), "{head}");
    }
    let (status, _, body) = raw(
        s.addr,
        &format!("POST /mcp HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream", s.addr),
        &mcp_initialize(),
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("maximum of 2 MCP sessions") && body.contains("max_mcp_sessions"), "{body}");
    // Idle sessions expire and free their places.
    let mut reopened = false;
    for _ in 0..300 {
        if init().await.0 == 200 {
            reopened = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(reopened, "sessions idle past the limit are closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_labels_stay_bounded_whatever_clients_send() {
    let s = serve_fixture(Tokens::default()).await;
    for i in 0..50 {
        let (status, _) = http(s.addr, "GET", &format!("/probe-{i}/x"), None, "").await;
        assert_eq!(status, 404);
    }
    let max = brain_server::metrics::MAX_OPERATIONS;
    for i in 0..max + 20 {
        let body = serde_json::json!({ "query": format!("query Op{i} {{ stats {{ nodes }} }}"), "operationName": format!("Op{i}") });
        let (status, _) = http(s.addr, "POST", "/graphql", None, &body.to_string()).await;
        assert_eq!(status, 200);
    }
    let odd = serde_json::json!({ "query": "{ stats { nodes } }", "operationName": "a\"b\nc{}" });
    let _ = http(s.addr, "POST", "/graphql", None, &odd.to_string()).await;
    let (status, page) = http(s.addr, "GET", "/metrics", None, "").await;
    assert_eq!(status, 200);
    assert!(!page.contains("/probe-"), "raw paths are no labels: {page}");
    assert!(page.contains("brain_http_requests_total{route=\"unmatched\",status=\"404\"}"), "{page}");
    assert!(page.contains("brain_http_requests_total{route=\"/graphql\",status=\"200\"}"), "{page}");
    let ops = page.lines().filter(|l| l.starts_with("brain_graphql_duration_seconds_count{")).count();
    assert!(ops <= max + 1, "at most {max} operation names and `other`: {ops}");
    assert!(page.contains("brain_graphql_duration_seconds_count{operation=\"other\"}"), "{page}");
    assert!(!page.contains("a\\\"b"), "an invalid name is `other`: {page}");
}

#[test]
fn empty_tokens_are_refused_at_start_on_any_address() {
    for tokens in [
        Tokens { read: Some("r".into()), write: Some(String::new()) },
        Tokens { read: Some("  ".into()), write: Some("w".into()) },
    ] {
        let opts = ServeOptions { tokens, ..Default::default() };
        for addr in ["0.0.0.0:7777", "127.0.0.1:7777"] {
            let err = opts.check(addr.parse().expect("addr")).expect_err("an empty token must be refused");
            assert!(err.to_string().contains("token is empty"), "{err}");
        }
    }
}
