//! The binary at its doors, as a user meets it: a closed pipe, a stop
//! signal, a second command on a data dir a server holds, and the same
//! blast-radius question asked of the CLI, GraphQL and MCP (over the real
//! `brain serve` on 127.0.0.1 with a port the system picks).

#[path = "../../server/tests/common/mod.rs"]
mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn brain() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brain"));
    c.env("CI", "1").env_remove("BRAIN_DATA_DIR").env_remove("BRAIN_READ_TOKEN").env_remove("BRAIN_WRITE_TOKEN");
    c
}

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/brain.toml")
}

/// The example organisation ingested into a fresh data dir.
fn ingested() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = brain().arg("ingest").arg(acme()).arg("--data-dir").arg(dir.path()).arg("-q").output().expect("ingest");
    assert!(out.status.success(), "ingest failed: {}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// Waits for a process to end; a hang fails the test instead of holding it forever.
fn wait(child: &mut Child, what: &str) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{what} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `brain serve` on 127.0.0.1:0; the address is read from what it prints.
struct Server {
    child: Child,
    stdout: BufReader<ChildStdout>,
    addr: SocketAddr,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = brain()
            .arg("serve")
            .arg(acme())
            .arg("--data-dir")
            .arg(data)
            .arg("--addr")
            .arg("127.0.0.1:0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn brain serve");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let addr = loop {
            line.clear();
            if stdout.read_line(&mut line).expect("read serve output") == 0 {
                panic!("brain serve exited before printing its address: {:?}", child.wait());
            }
            if let Some(rest) = line.trim().strip_prefix("GraphQL   POST http://") {
                break rest.trim_end_matches("/graphql").parse::<SocketAddr>().expect("address");
            }
        };
        assert_ne!(addr.port(), 0, "the printed address is the bound one");
        Server { child, stdout, addr }
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill").arg(format!("-{sig}")).arg(self.child.id().to_string()).status().expect("kill");
        assert!(ok.success(), "kill -{sig}");
    }

    /// The rest of what it printed, once it has ended.
    fn rest(&mut self) -> String {
        let mut s = String::new();
        let _ = self.stdout.read_to_string(&mut s);
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request with `Connection: close`; (status, head, body).
fn http(addr: SocketAddr, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> (u16, String, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let method = if body.is_some() { "POST" } else { "GET" };
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).expect("write");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let head = text.split("\r\n\r\n").next().unwrap_or_default().to_string();
    let (status, body) = common::parse_response(&text);
    (status, head, body)
}

fn graphql(addr: SocketAddr, query: &str, variables: Value) -> Value {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let (status, _, text) = http(addr, "/graphql", &[("Content-Type", "application/json")], Some(&body));
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// An MCP client over streamable HTTP: `initialize`, then calls in its session.
struct Mcp {
    addr: SocketAddr,
    session: String,
    next: u64,
}

impl Mcp {
    const ACCEPT: (&'static str, &'static str) = ("Accept", "application/json, text/event-stream");
    const JSON: (&'static str, &'static str) = ("Content-Type", "application/json");

    fn connect(addr: SocketAddr) -> Mcp {
        let init = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "doors", "version": "1"}}});
        let (status, head, body) = http(addr, "/mcp", &[Self::JSON, Self::ACCEPT], Some(&init.to_string()));
        assert_eq!(status, 200, "{head}\n{body}");
        let session = head
            .lines()
            .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("mcp-session-id")))
            .map(|(_, v)| v.trim().to_string())
            .expect("a session id");
        let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string();
        let (status, _, _) = http(addr, "/mcp", &[Self::JSON, Self::ACCEPT, ("Mcp-Session-Id", &session)], Some(&note));
        assert!(status == 202 || status == 200, "initialized: {status}");
        Mcp { addr, session, next: 1 }
    }

    /// Calls a tool; (is_error, text).
    fn call(&mut self, tool: &str, args: Value) -> (bool, String) {
        self.next += 1;
        let id = self.next;
        let req =
            json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": tool, "arguments": args}});
        let headers = [Self::JSON, Self::ACCEPT, ("Mcp-Session-Id", self.session.as_str())];
        let (status, _, body) = http(self.addr, "/mcp", &headers, Some(&req.to_string()));
        assert_eq!(status, 200, "{body}");
        let msg = body
            .lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .filter_map(|d| serde_json::from_str::<Value>(d.trim()).ok())
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("no answer to {tool} in {body}"));
        let text = msg["result"]["content"][0]["text"].as_str().map(str::to_string);
        match text {
            Some(t) => (msg["result"]["isError"] == true, t),
            None => (true, msg["error"]["message"].as_str().unwrap_or_default().to_string()),
        }
    }
}

/// `brain … | head`: the reader closing early ends the command quietly with the status a shell
/// gives a process stopped by SIGPIPE, never a panic (101).
#[test]
fn a_closed_pipe_ends_quietly() {
    let data = ingested();
    for args in [vec!["search", "order"], vec!["stats"], vec!["show", "repo:acme/orders", "--json"]] {
        // The reading end is closed before the command starts, so its first line meets a closed pipe.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = brain()
            .args(&args)
            .arg("--data-dir")
            .arg(data.path())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run brain");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
        assert!(!stderr.contains("error"), "{args:?} reported an error:\n{stderr}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {:?}", out.status);
    }
}

/// SIGTERM (a container stop) and SIGINT (Ctrl-C) stop `brain serve` gracefully: it answers until
/// then, exits 0, and leaves the data dir free for the next command.
#[test]
fn sigterm_and_sigint_stop_the_server_gracefully() {
    let data = ingested();
    for sig in ["TERM", "INT"] {
        let mut server = Server::start(data.path());
        let (status, _, body) = http(server.addr, "/health", &[], None);
        assert_eq!(status, 200, "{body}");
        server.signal(sig);
        let status = wait(&mut server.child, "brain serve after a signal");
        assert!(status.success(), "SIG{sig}: {status:?}");
        let rest = server.rest();
        assert!(rest.contains("brain: stopped"), "SIG{sig}: {rest}");
        assert!(!data.path().join("server.pid").exists(), "the server record is removed");
        let out = brain().args(["search", "order"]).arg("--data-dir").arg(data.path()).output().expect("search");
        assert!(out.status.success(), "after SIG{sig}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// While `brain serve` holds a data dir, `search`, `check` and stdio `mcp` on it say so, name the
/// server and where to ask it, and exit 75; no raw lock error.
#[test]
fn commands_on_a_served_data_dir_point_at_the_server() {
    let data = ingested();
    let server = Server::start(data.path());
    let pid = server.child.id();
    let config = acme().display().to_string();
    for args in [vec!["search", "order"], vec!["check"], vec!["mcp", config.as_str()]] {
        let out =
            brain().args(&args).arg("--data-dir").arg(data.path()).stdin(Stdio::null()).output().expect("run brain");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(75), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("is in use by a running server (pid {pid})"))
                && stderr.contains(&format!("http://{}/graphql", server.addr)),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("WouldBlock") && !stderr.contains("os error"), "{args:?}: {stderr}");
    }
}

/// The same blast-radius question at the CLI, GraphQL and MCP gets the same answer (defaults
/// included: depth 6, confidence 0.3), and a path leaving the repo is refused alike at each.
#[test]
fn the_same_question_gets_the_same_answer_at_every_door() {
    let data = ingested();
    let (repo, path) = ("acme/orders", "./asyncapi/order-events.yaml");
    let out = brain()
        .args(["impact", "--repo", repo, "--file", path, "--json", "--config"])
        .arg(acme())
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .expect("impact");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_slice(&out.stdout).expect("impact --json");
    let out = brain()
        .args(["impact", "--repo", repo, "--file", "../secrets.yaml", "--config"])
        .arg(acme())
        .arg("--data-dir")
        .arg(data.path())
        .output()
        .expect("impact");
    let cli_refusal = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{cli_refusal}");

    let server = Server::start(data.path());
    let q = "query($f: [FileChangeInput!]!) { blastRadius(change: { files: $f }) { details } }";
    let v = graphql(server.addr, q, json!({ "f": [{ "repo": repo, "path": path }] }));
    let gql = v["data"]["blastRadius"]["details"].clone();
    assert!(gql.is_object(), "{v}");
    let v = graphql(server.addr, q, json!({ "f": [{ "repo": repo, "path": "../secrets.yaml" }] }));
    let gql_refusal = v["errors"][0]["message"].as_str().unwrap_or_default().to_string();
    let mut mcp = Mcp::connect(server.addr);
    let (failed, mcp_text) = mcp.call("blast_radius", json!({ "repo": repo, "paths": [path] }));
    assert!(!failed, "{mcp_text}");
    let (failed, mcp_refusal) = mcp.call("blast_radius", json!({ "repo": repo, "paths": ["../secrets.yaml"] }));
    assert!(failed, "{mcp_refusal}");

    let ids = |b: &Value| -> Vec<String> {
        b["impacted"].as_array().expect("impacted").iter().map(|i| i["entity"]["id"].to_string()).collect()
    };
    assert!(ids(&cli).len() > 3, "the question reaches something: {cli}");
    assert_eq!(ids(&cli), ids(&gql), "CLI and GraphQL impacted entities differ");
    for key in ["lane", "lane_reasons", "review", "mappings", "mermaid"] {
        assert_eq!(cli[key], gql[key], "CLI and GraphQL differ in {key}");
    }
    // MCP answers in text: the same verdict and the same count of entities and repos.
    let repos: Vec<&str> =
        cli["by_repo"].as_array().expect("by_repo").iter().filter_map(|r| r["repo"].as_str()).collect();
    let lane = cli["lane"].as_str().expect("lane");
    let count = ids(&cli).len();
    let want = format!("Impacted: {count} entities in {} repos: {}", repos.len(), repos.join(", "));
    assert!(mcp_text.contains(&want), "MCP differs; want {want:?} in:\n{mcp_text}");
    assert!(mcp_text.contains(&format!("Lane: {lane} (")), "{mcp_text}");
    for refusal in [&cli_refusal, &gql_refusal, &mcp_refusal] {
        assert!(refusal.contains("path '../secrets.yaml' leaves the repository"), "{refusal}");
    }
}

#[test]
fn flags_and_images_answer_the_same_at_every_door() {
    let data = ingested();
    let cli = |args: &[&str]| -> String {
        let out =
            brain().args(args).arg("--config").arg(acme()).arg("--data-dir").arg(data.path()).output().expect("cli");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    };
    let cli_flags = cli(&["flags"]);
    let cli_images = cli(&["images", "acme/orders", "src/model.rs"]);
    let cli_refusal = {
        let out = brain()
            .args(["images", "acme/orders", "../secrets.yaml", "--config"])
            .arg(acme())
            .arg("--data-dir")
            .arg(data.path())
            .output()
            .expect("cli");
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(cli_flags.contains("evaluated but never defined: beta-search"), "{cli_flags}");
    assert!(cli_flags.contains("defined but never evaluated: legacy-banner"), "{cli_flags}");
    assert!(cli_images.contains("image acme/orders:Dockerfile (services: orders)"), "{cli_images}");

    let server = Server::start(data.path());
    let v = graphql(server.addr, "{ flags { text } }", json!({}));
    let gql_flags = v["data"]["flags"]["text"].as_str().unwrap_or_default().trim_end().to_string();
    let q = "query($r: String!, $p: String!) { images(repo: $r, path: $p) { text } }";
    let v = graphql(server.addr, q, json!({ "r": "acme/orders", "p": "src/model.rs" }));
    let gql_images = v["data"]["images"]["text"].as_str().unwrap_or_default().trim_end().to_string();
    let v = graphql(server.addr, q, json!({ "r": "acme/orders", "p": "../secrets.yaml" }));
    let gql_refusal = v["errors"][0]["message"].as_str().unwrap_or_default().to_string();
    let mut mcp = Mcp::connect(server.addr);
    let (failed, mcp_flags) = mcp.call("flags", json!({}));
    assert!(!failed, "{mcp_flags}");
    let (failed, mcp_images) = mcp.call("images", json!({ "repo": "acme/orders", "path": "src/model.rs" }));
    assert!(!failed, "{mcp_images}");
    let (failed, mcp_refusal) = mcp.call("images", json!({ "repo": "acme/orders", "path": "../secrets.yaml" }));
    assert!(failed, "{mcp_refusal}");

    assert_eq!(cli_flags, gql_flags, "CLI and GraphQL flags differ");
    assert_eq!(cli_flags, mcp_flags.trim_end(), "CLI and MCP flags differ");
    assert_eq!(cli_images, gql_images, "CLI and GraphQL images differ");
    assert_eq!(cli_images, mcp_images.trim_end(), "CLI and MCP images differ");
    for refusal in [&cli_refusal, &gql_refusal, &mcp_refusal] {
        assert!(refusal.contains("path '../secrets.yaml' leaves the repository"), "{refusal}");
    }
}
