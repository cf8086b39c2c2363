//! Test support: a real brain on a temp dir served on 127.0.0.1:0, and a
//! minimal HTTP/1.1 client (no client library needed for JSON over POST).

#![allow(dead_code)]

use brain_ingest::{Brain, RepoConfig};
use brain_server::{Limits, ServeOptions, Tokens};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Served {
    pub addr: SocketAddr,
    pub brain: Arc<Brain>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

/// Ingests a small repo with the files ingestor and serves it.
pub async fn serve_fixture(tokens: Tokens) -> Served {
    serve_fixture_with(tokens, Limits::default()).await
}

/// [`serve_fixture`] with other limits.
pub async fn serve_fixture_with(tokens: Tokens, limits: Limits) -> Served {
    serve_fixture_opts(ServeOptions { tokens, limits, ..Default::default() }).await
}

/// [`serve_fixture`] with any options (the fixture's repo is added to `opts.repos`).
pub async fn serve_fixture_opts(mut opts: ServeOptions) -> Served {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("orders");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    std::fs::write(repo.join("src/events.rs"), "struct OrderCreated { created_at: String }\n").expect("write");
    std::fs::write(repo.join("README.md"), "Orders service.\n").expect("write");
    let brain = Arc::new(
        Brain::open(&dir.path().join("data"), vec![Box::new(brain_ingest_files::FilesIngestor)], vec![]).expect("open"),
    );
    let cfg = RepoConfig { name: "acme/orders".into(), path: repo, include: vec![], exclude: vec![] };
    brain.ingest_repo(&cfg, &brain_ingest::NoProgress).expect("ingest");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    opts.repos.push(cfg);
    let b = brain.clone();
    tokio::spawn(async move {
        let _ = brain_server::serve_listener(b, listener, opts, async {
            let _ = rx.await;
        })
        .await;
    });
    Served { addr, brain, _shutdown: tx, _dir: dir }
}

/// Sends one HTTP request and returns (status, body).
pub async fn http(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read");
    parse_response(&String::from_utf8_lossy(&buf))
}

/// Sends `head` (request line and headers, without the blank line) and
/// `body` with a `Content-Length` and `Connection: close`, and returns
/// (status, response head, body).
pub async fn raw(addr: SocketAddr, head: &str, body: &str) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let resp_head = text.split("\r\n\r\n").next().unwrap_or_default().to_string();
    let (status, body) = parse_response(&text);
    (status, resp_head, body)
}

/// Like [`raw`] but reads only the response head (for streams that stay
/// open, such as MCP's SSE answers): (status, head).
pub async fn raw_head(addr: SocketAddr, head: &str, body: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!("{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match tokio::time::timeout(std::time::Duration::from_secs(30), s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            _ => break,
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let head = text.split("\r\n\r\n").next().unwrap_or_default().to_string();
    (parse_response(&text).0, head)
}

/// Sends only the head of a POST that declares `declared` body bytes, the way
/// a client uploading a huge body starts, and returns the status the server
/// answers before reading the body.
pub async fn post_declaring(addr: SocketAddr, path: &str, declared: usize) -> u16 {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n{{\"query\":"
    );
    s.write_all(head.as_bytes()).await.expect("write head");
    let mut buf = vec![0u8; 1024];
    let n = s.read(&mut buf).await.unwrap_or(0);
    let text = String::from_utf8_lossy(&buf[..n]).into_owned();
    text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Streams a POST body of `total` bytes in chunks (no Content-Length, so the
/// server cannot refuse it up front), stops writing there, and returns the
/// status and body of the answer.
pub async fn post_chunked(addr: SocketAddr, path: &str, total: usize) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.expect("write head");
    let chunk = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        let n = chunk.len().min(total - sent);
        let frame = [format!("{n:x}\r\n").as_bytes(), &chunk[..n], b"\r\n"].concat();
        if s.write_all(&frame).await.is_err() {
            break; // the server answered and closed early: read what it said
        }
        sent += n;
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    parse_response(&String::from_utf8_lossy(&buf))
}

/// Status and body of a raw HTTP/1.1 response (a chunked body is joined).
pub fn parse_response(text: &str) -> (u16, String) {
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(rest) } else { rest.to_string() };
    (status, body)
}

/// The body of a `Transfer-Encoding: chunked` response.
fn dechunk(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

/// POSTs a GraphQL query and parses the JSON response.
pub async fn gql(
    addr: SocketAddr,
    token: Option<&str>,
    query: &str,
    variables: serde_json::Value,
) -> (u16, serde_json::Value) {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let (status, text) = http(addr, "POST", "/graphql", token, &body).await;
    let v = serde_json::from_str(&text).unwrap_or_else(|_| serde_json::json!({ "raw": text }));
    (status, v)
}
