//! Every ready operation in `queries/` runs over real HTTP against the
//! example organisation, and the learning loop survives a restart and a
//! re-ingest.

#[path = "../../server/tests/common/mod.rs"]
mod common;

use brain_ingest::{Brain, Config, NoProgress};
use brain_server::{ServeOptions, Tokens};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const TOKEN: &str = "test-write-token";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn operation(name: &str) -> (String, Value) {
    let q = std::fs::read_to_string(root().join(format!("queries/{name}.graphql"))).expect("query file");
    let v = std::fs::read_to_string(root().join(format!("queries/{name}.variables.json"))).expect("variables file");
    (q, serde_json::from_str(&v).expect("variables are JSON"))
}

struct Running {
    addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

async fn start(brain: Arc<Brain>, config: &Config) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let opts = ServeOptions {
        tokens: Tokens { read: None, write: Some(TOKEN.into()) },
        policy: config.policy.clone(),
        repos: config.repos.clone(),
        ..Default::default()
    };
    let task = tokio::spawn(async move {
        let _ = brain_server::serve_listener(brain, listener, opts, async {
            let _ = rx.await;
        })
        .await;
    });
    Running { addr, stop, task }
}

async fn run(addr: std::net::SocketAddr, name: &str) -> Value {
    let (q, v) = operation(name);
    let (status, body) = common::gql(addr, Some(TOKEN), &q, v).await;
    assert_eq!(status, 200, "{name}: {body}");
    assert!(body["errors"].is_null(), "{name}: {body}");
    body["data"].clone()
}

fn ids(v: &Value, path: &str) -> Vec<String> {
    v.pointer(path)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ready_operation_answers_on_the_example_org() {
    let data = tempfile::tempdir().expect("tempdir");
    let config = Config::load(&root().join("examples/acme/brain.toml")).expect("config");
    let brain = Arc::new(Brain::open(data.path(), brain_stack::ingestors(), brain_stack::passes()).expect("open"));
    for r in &config.repos {
        brain.ingest_repo(r, &NoProgress).expect("ingest");
    }
    let server = start(brain.clone(), &config).await;

    // Every operation in queries/ has variables and is covered below.
    let mut names: Vec<String> = std::fs::read_dir(root().join("queries"))
        .expect("queries dir")
        .flatten()
        .filter_map(|e| e.file_name().to_string_lossy().strip_suffix(".graphql").map(str::to_string))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "blast_radius_diff",
            "context_packet",
            "contract_check",
            "flags",
            "images",
            "record_failure",
            "record_lesson",
            "search",
            "similar_changes"
        ],
        "a new operation needs assertions here"
    );

    let search = run(server.addr, "search").await;
    let found: Vec<String> = search["search"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["entity"]["id"].as_str().map(str::to_string))
        .collect();
    assert!(found.iter().any(|i| i.ends_with("src/model.rs#OrderCreated.created_at")), "{found:?}");
    assert!(found.iter().any(|i| i.contains("acme/web") && i.ends_with("createdAt")), "{found:?}");

    // Similar past changes: the example repos are folders of this repository, so acme/orders gets
    // a history of its own from a real git repository made here.
    let history = tempfile::tempdir().expect("tempdir");
    if orders_history(history.path()) {
        let h = brain.ingest_history("acme/orders", history.path(), "HEAD").expect("history");
        assert_eq!(h.commits_total, 3, "{h:?}");
    }
    let sc = run(server.addr, "similar_changes").await;
    let changes = sc["similarChanges"].as_array().expect("similar changes");
    if history.path().join(".git").exists() {
        assert_eq!(changes[0]["subject"], "Rename the order creation timestamp to createdAt on the wire", "{sc}");
        assert!(changes[0]["files"].to_string().contains("src/model.rs"), "{sc}");
    }

    // Owners per path by CODEOWNERS, with the deciding rule; a rule without owners unsets ownership.
    let (_, o) = common::gql(
        server.addr,
        None,
        r#"{ ownersForPaths(repo: "acme/platform", paths: ["docs/adr/0002-store-money-as-integer-cents.md", "ci/reports/billing-junit.xml", "README.md"]) { codeowners paths { path owners rule } reviewers } }"#,
        serde_json::json!({}),
    )
    .await;
    let po = &o["data"]["ownersForPaths"];
    assert_eq!(po["codeowners"], ".github/CODEOWNERS", "{o}");
    assert_eq!(po["paths"][1]["owners"].as_array().map(Vec::len), Some(0), "the ownerless rule unsets ownership: {po}");
    assert!(po["paths"][1]["rule"].as_str().is_some_and(|r| r.ends_with(":18")), "{po}");
    assert!(!po["reviewers"].as_array().expect("reviewers").is_empty(), "{po}");

    // Feature flags: the definition and the evaluation are joined across repos; both gaps are named.
    let fl = run(server.addr, "flags").await;
    let f = &fl["flags"];
    assert_eq!(f["evaluatedNeverDefined"], serde_json::json!(["beta-search"]), "{f}");
    assert_eq!(f["definedNeverEvaluated"], serde_json::json!(["legacy-banner"]), "{f}");
    let nc = f["flags"].as_array().expect("flags").iter().find(|x| x["key"] == "new-checkout").expect("new-checkout");
    let loc = |v: &Value| v.as_str().unwrap_or("").split('@').next().unwrap_or("").to_string();
    assert_eq!(loc(&nc["definitions"][0]["evidence"]["location"]), "acme/platform:deploy/flags.flagd.json:4", "{nc}");
    assert_eq!(nc["definitions"][0]["evidence"]["origin"], "DECLARED", "{nc}");
    assert_eq!(loc(&nc["evaluations"][0]["evidence"]["location"]), "acme/web:src/flags.ts:7", "{nc}");
    assert_eq!(nc["evaluations"][0]["by"]["name"], "newCheckoutEnabled", "{nc}");
    assert_eq!(nc["evaluations"][0]["evidence"]["origin"], "INFERRED", "{nc}");

    // Images: orders' Dockerfile copies its whole repository; the compose file in another repo builds it.
    let im = run(server.addr, "images").await;
    let i = &im["images"];
    assert_eq!(i["images"].as_array().map(Vec::len), Some(1), "{i}");
    assert_eq!(i["images"][0]["dockerfile"], "acme/orders:Dockerfile", "{i}");
    assert_eq!(i["images"][0]["services"][0]["name"], "orders", "{i}");
    assert_eq!(i["images"][0]["stage"], "build", "{i}");
    assert_eq!(loc(&i["images"][0]["evidence"]["location"]), "acme/orders:Dockerfile:4", "{i}");
    assert_eq!(i["services"][0]["service"]["name"], "orders", "{i}");

    // The planted mismatch is found with both sides' evidence and owners, and nothing else is an error.
    let cc = run(server.addr, "contract_check").await;
    let c = &cc["contractCheck"];
    assert_eq!(c["errors"], 1, "{c}");
    let f = &c["findings"][0];
    assert_eq!(f["rule"], "field-casing-drift", "{f}");
    assert_eq!(f["consumer"]["location"], "acme/billing:billing/consumer.py:24", "{f}");
    assert!(f["producer"]["location"].as_str().unwrap_or_default().starts_with("acme/orders:"), "{f}");
    assert!(f["consumer"]["owners"].to_string().contains("team-billing"), "{f}");

    // Renaming the producer's field reaches the consumer repo, its owners,
    // its tests, the governing ADR, the incident, and a full lane.
    let br = run(server.addr, "blast_radius_diff").await;
    let b = &br["blastRadius"];
    let impacted: Vec<&str> =
        b["impacted"].as_array().expect("impacted").iter().filter_map(|i| i["entity"]["repo"].as_str()).collect();
    assert!(impacted.contains(&"acme/billing"), "{b}");
    let owners = ids(b, "/reviewers");
    assert!(owners.iter().any(|o| o.contains("team-billing")), "{owners:?}");
    let tests: Vec<&str> = b["tests"].as_array().expect("tests").iter().filter_map(|t| t["repo"].as_str()).collect();
    assert!(tests.contains(&"acme/billing"), "{b}");
    let decisions: Vec<&str> =
        b["decisions"].as_array().expect("decisions").iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(decisions.iter().any(|d| d.contains("adr")), "{decisions:?}");
    let failures: Vec<&str> =
        b["failures"].as_array().expect("failures").iter().filter_map(|d| d["id"].as_str()).collect();
    assert!(failures.iter().any(|f| f.contains("incidents/2025-04-17")), "{failures:?}");
    assert_eq!(b["lane"], "FULL");
    assert!(b["mermaid"].as_str().unwrap_or_default().starts_with("graph"), "{}", b["mermaid"]);

    // A packet in ticket words: the right files, contracts and owners, within budget.
    let p = run(server.addr, "context_packet").await;
    let packet = &p["contextPacket"];
    assert_eq!(packet["status"], "OK", "{packet}");
    assert!(packet["tokens"].as_u64() <= packet["budgetTokens"].as_u64());
    let items: Vec<&str> = packet["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(items.iter().any(|i| i.contains("billing/consumer.py")), "{items:?}");
    assert!(items.iter().any(|i| i.starts_with("owner:")), "{items:?}");

    // The learning loop: a lesson appears in the next packet...
    let l = run(server.addr, "record_lesson").await;
    let lesson_id = l["recordLesson"]["id"].as_str().expect("lesson id").to_string();
    let p2 = run(server.addr, "context_packet").await;
    let items2: Vec<&str> =
        p2["contextPacket"]["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(items2.contains(&lesson_id.as_str()), "the lesson is in the next packet: {items2:?}");
    // A failure recorded twice: the second is recognised as a repeat, with the lesson that exists.
    let f1 = run(server.addr, "record_failure").await;
    let first = f1["recordFailure"]["failure"]["id"].as_str().expect("failure id").to_string();
    let f2 = run(server.addr, "record_failure").await;
    assert_eq!(f2["recordFailure"]["repeatOf"]["id"].as_str(), Some(first.as_str()), "{f2}");
    let lessons: Vec<&str> =
        f2["recordFailure"]["lessons"].as_array().expect("lessons").iter().filter_map(|l| l["id"].as_str()).collect();
    assert!(lessons.contains(&lesson_id.as_str()), "the repeat comes back with the existing lesson: {f2}");
    let _ = server.stop.send(());
    let _ = server.task.await;
    drop(brain);

    // ...survives a restart and a re-ingest.
    let brain = Arc::new(Brain::open(data.path(), brain_stack::ingestors(), brain_stack::passes()).expect("reopen"));
    for r in &config.repos {
        brain.ingest_repo(r, &NoProgress).expect("re-ingest");
    }
    let server = start(brain.clone(), &config).await;
    let p3 = run(server.addr, "context_packet").await;
    let items3: Vec<&str> =
        p3["contextPacket"]["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(items3.contains(&lesson_id.as_str()), "the lesson survives a restart and re-ingest: {items3:?}");
    let _ = server.stop.send(());
}

/// A git repository whose commits touch acme/orders' files; false when `git` is not on PATH.
fn orders_history(dir: &Path) -> bool {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=Ann Lee", "-c", "user.email=ann@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q"]) {
        eprintln!("note: git is not on PATH; similar_changes answers without history");
        return false;
    }
    let commits: [(&str, &[&str]); 3] = [
        ("Initial import of the orders service", &["src/model.rs", "src/api.rs", "openapi/orders.yaml"]),
        (
            "Rename the order creation timestamp to createdAt on the wire",
            &["src/model.rs", "asyncapi/order-events.yaml"],
        ),
        ("Store money as integer cents", &["src/money.rs", "migrations/0001_create_orders.sql"]),
    ];
    for (n, (message, files)) in commits.iter().enumerate() {
        for f in *files {
            let p = dir.join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, format!("{n}\n")).expect("write");
        }
        assert!(git(&["add", "-A"]) && git(&["commit", "-q", "-m", message]), "git commit");
    }
    true
}
