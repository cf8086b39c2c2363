//! Hostile API inputs over real HTTP against a real git checkout: paths with
//! `..` or absolute paths wherever an input names a file (blastRadius files,
//! ownersForPaths, contextPacket scope, specDiff), unified diffs whose headers
//! leave the repo, and git revisions that would be options (`--output=…`) or
//! climb out (`../`). Each is refused with `BAD_INPUT` and a message naming
//! the input, or dropped with a diagnostic; nothing is written or read outside.

mod common;

use brain_ingest::{Brain, RepoConfig};
use brain_server::gql::service::{git_diff_at, git_show};
use brain_server::{ServeOptions, Tokens};
use common::gql;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

const REPO: &str = "acme/orders";

struct GitServed {
    addr: SocketAddr,
    repo: std::path::PathBuf,
    dir: tempfile::TempDir,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

fn git(dir: &Path, args: &[&str]) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A two-commit git repo with CODEOWNERS, ingested (files + org ingestors) and served.
async fn serve_git_repo() -> Option<GitServed> {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("orders");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    std::fs::create_dir_all(repo.join(".github")).expect("mkdir");
    std::fs::write(repo.join("src/api.rs"), "pub fn create_order() {}\n").expect("write");
    std::fs::write(repo.join(".github/CODEOWNERS"), "* @acme/orders\n").expect("write");
    if !git(&repo, &["init", "-q"]) || !git(&repo, &["add", "."]) || !git(&repo, &["commit", "-qm", "one"]) {
        eprintln!("git is not usable here; skipped");
        return None;
    }
    std::fs::write(repo.join("src/api.rs"), "pub fn create_order() {}\npub fn refund() {}\n").expect("write");
    assert!(git(&repo, &["commit", "-qam", "two"]));
    let mut ingestors: Vec<Box<dyn brain_model::Ingestor>> = vec![Box::new(brain_ingest_files::FilesIngestor)];
    ingestors.extend(brain_ingest_org::ingestors());
    let brain = Arc::new(Brain::open(&dir.path().join("data"), ingestors, brain_ingest_org::passes()).expect("open"));
    let cfg = RepoConfig { name: REPO.into(), path: repo.clone(), include: vec![], exclude: vec![] };
    brain.ingest_repo(&cfg, &brain_ingest::NoProgress).expect("ingest");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let opts = ServeOptions { tokens: Tokens::default(), repos: vec![cfg], ..Default::default() };
    tokio::spawn(async move {
        let _ = brain_server::serve_listener(brain, listener, opts, async {
            let _ = rx.await;
        })
        .await;
    });
    Some(GitServed { addr, repo, dir, _shutdown: tx })
}

/// The one error of a response: (code, message).
fn bad_input(v: &Value) -> (String, String) {
    let e = &v["errors"][0];
    (e["extensions"]["code"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_that_leave_the_repo_are_refused_wherever_an_input_names_a_file() {
    let Some(s) = serve_git_repo().await else { return };
    let hostile = ["../../etc/passwd", "/etc/passwd", "src/../../x", "C:/Windows/win.ini", "", "a\u{0}b"];
    for path in hostile {
        let (_, v) = gql(
            s.addr,
            None,
            "query($p: String!) { blastRadius(change: {files: [{repo: \"acme/orders\", path: $p}]}) { reviewLevel } }",
            json!({ "p": path }),
        )
        .await;
        let (code, msg) = bad_input(&v);
        assert_eq!(code, "BAD_INPUT", "{path:?}: {v}");
        assert!(msg.starts_with("files: ") && msg.contains("path"), "{path:?}: {msg}");

        // ownersForPaths reads a leading '/' as the repo root, CODEOWNERS-style: `/etc/passwd` is
        // the repo's own `etc/passwd`, so only the other spellings are refused there.
        if !path.starts_with('/') {
            let (_, v) = gql(
                s.addr,
                None,
                "query($p: [String!]!) { ownersForPaths(repo: \"acme/orders\", paths: $p) { paths { path } } }",
                json!({ "p": ["src/api.rs", path] }),
            )
            .await;
            assert_eq!(bad_input(&v).0, "BAD_INPUT", "{path:?}: {v}");
        }

        let (_, v) = gql(
            s.addr,
            None,
            "query($p: String!) { specDiff(old: {path: $p, repo: \"acme/orders\", rev: \"HEAD~1\"}, new: {path: $p, repo: \"acme/orders\"}) { rule } }",
            json!({ "p": path }),
        )
        .await;
        assert_eq!(bad_input(&v).0, "BAD_INPUT", "{path:?}: {v}");
    }
    for path in ["../../etc", "src/../../x"] {
        let (_, v) = gql(
            s.addr,
            None,
            "query($p: String!) { contextPacket(intent: \"refund an order\", scope: {paths: [$p]}) { status } }",
            json!({ "p": path }),
        )
        .await;
        let (code, msg) = bad_input(&v);
        assert!(code == "BAD_INPUT" && msg.contains("scope.paths") && msg.contains("leaves the repository"), "{v}");
    }

    // Safe spellings are normalised, not refused: `./src/api.rs`, CODEOWNERS-style `/src/api.rs`.
    let (_, v) = gql(
        s.addr,
        None,
        r#"{ blastRadius(change: {files: [{repo: "acme/orders", path: "./src/x/../api.rs"}]}) { changed { id } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(v["data"]["blastRadius"]["changed"][0]["id"], "file:acme/orders:src/api.rs", "{v}");
    let (_, v) = gql(
        s.addr,
        None,
        r#"{ ownersForPaths(repo: "acme/orders", paths: ["/src/api.rs"]) { paths { path owners } } }"#,
        json!({}),
    )
    .await;
    assert_eq!(v["data"]["ownersForPaths"]["paths"][0]["owners"][0], "owner:@acme/orders", "{v}");
    drop(s.dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_headers_that_leave_the_repo_are_dropped_with_a_diagnostic() {
    let Some(s) = serve_git_repo().await else { return };
    let diff = "--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root\n+evil\n--- a/src/api.rs\n+++ b/src/api.rs\n@@ -1 +1,2 @@\n pub fn create_order() {}\n+pub fn refund() {}\n";
    let (_, v) = gql(
        s.addr,
        None,
        "query($d: String!) { blastRadius(change: {diff: {repo: \"acme/orders\", text: $d}}) { details } }",
        json!({ "d": diff }),
    )
    .await;
    let details = &v["data"]["blastRadius"]["details"];
    let diags = details["diagnostics"].as_array().cloned().unwrap_or_default();
    let unsafe_path: Vec<&Value> = diags.iter().filter(|d| d["code"] == "diff.unsafe-path").collect();
    assert_eq!(unsafe_path.len(), 1, "{details}");
    assert!(unsafe_path[0]["message"].as_str().is_some_and(|m| m.contains("'../../etc/passwd' leaves the repository")));
    let inputs: Vec<&str> =
        details["mappings"].as_array().into_iter().flatten().filter_map(|m| m["input"].as_str()).collect();
    assert!(inputs.iter().all(|i| !i.contains("etc/passwd")), "{inputs:?}");
    assert!(inputs.contains(&"diff acme/orders:src/api.rs"), "{inputs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn git_revisions_cannot_be_options_or_escape() {
    let Some(s) = serve_git_repo().await else { return };
    let canary = s.dir.path().join("written-by-git");
    let output = format!("--output={}", canary.display());
    let hostile = [output.as_str(), "-p", "--no-index", "HEAD --output=/tmp/x", "HEAD\n--output=x", ""];
    for range in hostile {
        let (_, v) = gql(
            s.addr,
            None,
            "query($r: String!) { blastRadius(change: {gitRange: {repo: \"acme/orders\", range: $r}}) { reviewLevel } }",
            json!({ "r": range }),
        )
        .await;
        let (code, msg) = bad_input(&v);
        assert_eq!(code, "BAD_INPUT", "{range:?}: {v}");
        assert!(msg.contains("not a git revision") || msg.contains("revision is empty"), "{msg}");

        let (_, v) =
            gql(s.addr, None, "query($r: String!) { contractCheck(against: $r) { errors } }", json!({ "r": range }))
                .await;
        let (code, msg) = bad_input(&v);
        assert!(code == "BAD_INPUT" && msg.starts_with("against: "), "{range:?}: {v}");

        let (_, v) = gql(
            s.addr,
            None,
            "query($r: String!) { specDiff(old: {path: \"src/api.rs\", repo: \"acme/orders\", rev: $r}, new: {path: \"src/api.rs\", repo: \"acme/orders\"}) { rule } }",
            json!({ "r": range }),
        )
        .await;
        assert_eq!(bad_input(&v).0, "BAD_INPUT", "{range:?}: {v}");
    }
    assert!(!canary.exists(), "git wrote {}", canary.display());

    // `../` and `rev:path` forms reach git (or not) without leaving the checkout: a clear error.
    for range in ["../", "../../etc/passwd", "HEAD:../../etc"] {
        let (_, v) = gql(
            s.addr,
            None,
            "query($r: String!) { blastRadius(change: {gitRange: {repo: \"acme/orders\", range: $r}}) { reviewLevel } }",
            json!({ "r": range }),
        )
        .await;
        assert_eq!(bad_input(&v).0, "BAD_INPUT", "{range:?}: {v}");
    }

    // A real range still works.
    let (_, v) = gql(
        s.addr,
        None,
        r#"{ blastRadius(change: {gitRange: {repo: "acme/orders", range: "HEAD~1..HEAD"}}) { details } }"#,
        json!({}),
    )
    .await;
    assert!(v["errors"].is_null(), "{v}");
    let mappings = v["data"]["blastRadius"]["details"]["mappings"].to_string();
    assert!(mappings.contains("diff acme/orders:src/api.rs"), "{mappings}");

    // The helpers the CLI shares refuse the same inputs before running git.
    assert!(git_diff_at(&s.repo, &output).is_err());
    assert!(git_show(&s.repo, "HEAD:..", "src/api.rs").is_err());
    assert!(git_show(&s.repo, "HEAD", "../../etc/passwd").is_err());
    assert!(git_show(&s.repo, "HEAD", "/etc/passwd").is_err());
    assert_eq!(git_show(&s.repo, "HEAD~1", "./src/api.rs").as_deref(), Ok("pub fn create_order() {}\n"));
    assert!(!canary.exists());
}
