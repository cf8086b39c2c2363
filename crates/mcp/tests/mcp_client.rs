//! End to end over MCP: a real brain built from `examples/acme` with the
//! ingestors the binary ships, served by `BrainMcp`, driven by the rmcp SDK's
//! own client over an in-process duplex pipe (and over HTTP through axum).
//!
//! What the example organisation guarantees (see examples/acme/EXPECTED.md):
//! the producer field `created_at` lives in `orders/src/model.rs` (repo
//! acme/orders) and the consumer reads `createdAt` in
//! `billing/billing/consumer.py` (repo acme/billing) over topic `order.created`.

mod common;

use brain_ingest::{Brain, Config, NoProgress};
use brain_mcp::{BrainMcp, McpAccess};
use common::{call, connect, ingestors, passes, text};
use rmcp::model::{CallToolResult, ReadResourceRequestParams};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

struct Fixture {
    _dir: tempfile::TempDir,
    brain: Arc<Brain>,
    policy: Vec<brain_ingest::PolicyRuleConfig>,
}

/// The example organisation, ingested once per test binary.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let toml = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/brain.toml");
        let cfg = Config::load(&toml).expect("examples/acme/brain.toml loads");
        let dir = tempfile::tempdir().expect("temp dir");
        let brain = Brain::open(dir.path(), ingestors(), passes()).expect("brain opens");
        for repo in &cfg.repos {
            brain.ingest_repo(repo, &NoProgress).expect("repo ingests");
        }
        Fixture { _dir: dir, brain: Arc::new(brain), policy: cfg.policy }
    })
}

fn server(writes: bool) -> BrainMcp {
    let f = fixture();
    BrainMcp::new(f.brain.clone(), &f.policy).with_writes(writes)
}

fn ok_text(r: &CallToolResult) -> String {
    assert_ne!(r.is_error, Some(true), "tool failed: {}", text(r));
    text(r)
}

fn err_text(r: &CallToolResult) -> String {
    assert_eq!(r.is_error, Some(true), "expected a tool error, got: {}", text(r));
    text(r)
}

#[tokio::test]
async fn tools_are_listed_with_descriptions_and_schemas() {
    let client = connect(server(false)).await;
    let tools = client.list_all_tools().await.expect("tools/list");
    let mut names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "blast_radius",
            "context_packet",
            "contract_check",
            "flags",
            "get_entity",
            "images",
            "owners",
            "record_failure",
            "record_lesson",
            "search"
        ]
    );
    for t in &tools {
        assert!(t.description.as_deref().is_some_and(|d| d.len() > 40), "{} has no real description", t.name);
        assert!(t.input_schema.get("properties").is_some(), "{} has no input schema", t.name);
    }
    let search = tools.iter().find(|t| t.name == "search").expect("search tool");
    let required = search.input_schema.get("required").and_then(|r| r.as_array()).cloned().unwrap_or_default();
    assert_eq!(required, vec![serde_json::json!("query")], "only `query` is required");
    client.cancel().await.expect("client closes");
}

#[tokio::test]
async fn read_tools_answer_what_a_user_expects() {
    let client = connect(server(false)).await;

    // Search: identifiers are split, so both sides of the planted mismatch show.
    let out = ok_text(&call(&client, "search", serde_json::json!({"query": "created at", "limit": 50})).await);
    assert!(out.contains("acme/orders:src/model.rs"), "producer side missing:\n{out}");
    assert!(out.contains("acme/billing:billing/consumer.py"), "consumer side missing:\n{out}");

    // Kinds filter, and an unknown kind is a tool error naming the valid ones.
    let out =
        ok_text(&call(&client, "search", serde_json::json!({"query": "order created", "kinds": ["operation"]})).await);
    assert!(out.contains("op:acme/orders:asyncapi/order-events.yaml#send order.created [operation]"), "{out}");
    assert!(out.lines().skip(1).all(|l| l.contains("[operation]")), "{out}");
    let out = err_text(&call(&client, "search", serde_json::json!({"query": "order", "kinds": ["widget"]})).await);
    assert!(out.contains("unknown kind 'widget'") && out.contains("data_type"), "{out}");

    // Blast radius of the event contract crosses into the consumer repo.
    let out = ok_text(
        &call(
            &client,
            "blast_radius",
            serde_json::json!({"repo": "acme/orders", "paths": ["asyncapi/order-events.yaml"]}),
        )
        .await,
    );
    assert!(out.contains("in 2 repos: acme/billing, acme/orders"), "consumer repo not reached:\n{out}");
    assert!(out.contains("Contract boundaries crossed ("), "{out}");
    assert!(
        out.contains("\n  topic:order.created (topic): op:acme/orders:asyncapi/order-events.yaml#send order.created"),
        "{out}"
    );
    assert!(out.contains("sym:acme/billing:billing/consumer.py#build_consumer [acme/billing] via subscribes"), "{out}");
    assert!(out.contains("Lane: Full") && out.contains("review: owners"), "{out}");
    assert!(out.contains("@acme/team-billing (owner:@acme/team-billing)"), "{out}");
    assert!(out.contains("Rollout order: acme/orders -> acme/billing"), "{out}");
    // Each impacted entity shows the edge that reached it ("it" is the entity).
    let consumer_line = out.lines().find(|l| l.contains("consumer.py#build_consumer [symbol] depth")).unwrap_or("");
    assert!(consumer_line.ends_with("— it -subscribes-> topic:order.created"), "{out}");
    // The producer's model file reaches the consumer repo through the topic.
    let out = ok_text(
        &call(&client, "blast_radius", serde_json::json!({"repo": "acme/orders", "paths": ["src/model.rs"]})).await,
    );
    assert!(out.contains("repos: acme/billing, acme/orders"), "consumer repo not reached:\n{out}");
    assert!(out.contains("consumer.py#build_consumer [symbol]"), "{out}");
    // A line of the producer struct maps to the field and brings up the incident on it.
    let out = ok_text(
        &call(&client, "blast_radius", serde_json::json!({"repo": "acme/orders", "paths": ["src/model.rs:57"]})).await,
    );
    assert!(
        out.contains("acme/orders:src/model.rs:57-57 -> field:acme/orders:src/model.rs#OrderCreated.created_at"),
        "{out}"
    );
    let failures = out.split("Past failures:\n").nth(1).unwrap_or("");
    let failures: Vec<&str> = failures.lines().take_while(|l| l.starts_with("  ")).collect();
    assert!(failures.iter().any(|l| l.starts_with("  INC-2025-014")), "{out}");
    let out = err_text(&call(&client, "blast_radius", serde_json::json!({"paths": ["src/model.rs"]})).await);
    assert!(out.contains("need `repo`") && out.contains("acme/orders"), "{out}");
    let out = err_text(&call(&client, "blast_radius", serde_json::json!({"repo": "acme/nope", "paths": ["x"]})).await);
    assert!(out.contains("no repository named 'acme/nope'"), "{out}");

    // Contract check: the planted casing drift, with both sides and the fix (EXPECTED.md section 1).
    let out = ok_text(&call(&client, "contract_check", serde_json::json!({"min_severity": "error"})).await);
    assert_eq!(out.matches("error[").count(), 1, "exactly one error expected:\n{out}");
    assert!(out.contains("error[field-casing-drift]"), "{out}");
    assert!(out.contains("billing/consumer.py:24"), "consumer side missing:\n{out}");
    assert!(out.contains("order.created"), "{out}");
    let out = err_text(&call(&client, "contract_check", serde_json::json!({"rules": ["no-such-rule"]})).await);
    assert!(out.contains("unknown rule 'no-such-rule'") && out.contains("field-casing-drift"), "{out}");

    // An entity with its evidence and edges.
    let out = ok_text(&call(&client, "get_entity", serde_json::json!({"id": "file:acme/orders:src/model.rs"})).await);
    assert!(out.starts_with("file:acme/orders:src/model.rs\nkind: file\n"), "{out}");
    assert!(out.contains("outgoing edges") && out.contains("-contains-> sym:acme/orders:src/model.rs#"), "{out}");
    let out =
        err_text(&call(&client, "get_entity", serde_json::json!({"id": "sym:acme/orders:src/model.rs#Nope"})).await);
    assert!(out.contains("no entity with id"), "{out}");

    // Owners with the deciding rule.
    let out =
        ok_text(&call(&client, "owners", serde_json::json!({"repo": "acme/orders", "paths": ["src/model.rs"]})).await);
    assert!(out.contains("file:acme/orders:src/model.rs (file):"), "{out}");
    assert!(out.contains("owner:") && out.contains("rule"), "{out}");

    // A packet for a real task is OK; one for nothing that exists says stop.
    let out = ok_text(
        &call(&client, "context_packet", serde_json::json!({"intent": "rename created_at in the OrderCreated event"}))
            .await,
    );
    assert!(out.starts_with("STATUS: OK"), "{out}");
    assert!(out.contains("OrderCreated"), "{out}");
    assert!(out.contains("\nIds (for get_entity, owners, blast_radius):\n"), "{out}");
    assert!(out.contains("\n- sym:acme/orders:src/model.rs#OrderCreated\n"), "{out}");
    assert!(brain_model::text::estimate_tokens(&out) <= 4000, "over the default budget:\n{out}");
    let small = ok_text(
        &call(
            &client,
            "context_packet",
            serde_json::json!({"intent": "rename created_at in OrderCreated", "budget_tokens": 800}),
        )
        .await,
    );
    assert!(brain_model::text::estimate_tokens(&small) <= 800, "over budget:\n{small}");
    assert!(small.contains("did not fit the token budget"), "{small}");
    let out = ok_text(
        &call(
            &client,
            "context_packet",
            serde_json::json!({"intent": "frobnicate the quantum teapot", "budget_tokens": 500}),
        )
        .await,
    );
    assert!(out.starts_with("STATUS: NO_MATCH"), "{out}");
    assert!(out.contains("NO_OP or ESCALATE"), "{out}");
    let out = err_text(
        &call(&client, "context_packet", serde_json::json!({"intent": "fix it", "ids": ["sym:acme/orders:nope.rs#x"]}))
            .await,
    );
    assert!(out.contains("ids: no entity with id 'sym:acme/orders:nope.rs#x'"), "{out}");

    client.cancel().await.expect("client closes");
}

#[tokio::test]
async fn writes_are_refused_unless_enabled() {
    let client = connect(server(false)).await;
    let out = err_text(
        &call(
            &client,
            "record_lesson",
            serde_json::json!({"text": "never", "applies_to": ["file:acme/orders:src/model.rs"]}),
        )
        .await,
    );
    assert!(out.contains("writes are not enabled"), "{out}");
    let out = err_text(
        &call(
            &client,
            "record_failure",
            serde_json::json!({"text": "boom", "entities": ["file:acme/orders:src/model.rs"]}),
        )
        .await,
    );
    assert!(out.contains("writes are not enabled"), "{out}");
    client.cancel().await.expect("client closes");
}

#[tokio::test]
async fn the_learning_loop_shows_up_in_later_answers() {
    let client = connect(server(true)).await;
    let consumer = "file:acme/billing:billing/consumer.py";

    // Unknown ids are refused before anything is written.
    let out = err_text(
        &call(&client, "record_failure", serde_json::json!({"text": "x", "entities": ["file:acme/billing:nope.py"]}))
            .await,
    );
    assert!(out.contains("'file:acme/billing:nope.py'"), "{out}");

    let text1 = "billing worker skipped every order.created event: KeyError createdAt in the MCP test";
    let out = ok_text(
        &call(
            &client,
            "record_failure",
            serde_json::json!({"text": text1, "entities": [consumer], "severity": "high", "agent": "test-agent"}),
        )
        .await,
    );
    let failure_id = out
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("Recorded failure "))
        .and_then(|l| l.split_whitespace().next())
        .expect("failure id on the first line")
        .to_string();
    assert!(failure_id.starts_with("failure:"), "{out}");

    // The same failure again is recognised as a repeat of the first.
    let out =
        ok_text(&call(&client, "record_failure", serde_json::json!({"text": text1, "entities": [consumer]})).await);
    assert!(out.contains(&format!("REPEAT of {failure_id}")), "{out}");

    let lesson = "Read event[\"created_at\"] (snake_case) from order.created; the MCP test lesson";
    let out = ok_text(
        &call(
            &client,
            "record_lesson",
            serde_json::json!({"text": lesson, "applies_to": [consumer], "failure": failure_id, "tags": ["casing"]}),
        )
        .await,
    );
    assert!(out.starts_with("Recorded lesson lesson:"), "{out}");
    assert!(out.contains(&format!("learned from: {failure_id}")), "{out}");

    // The next packet and blast radius touching the consumer show the lesson.
    let out = ok_text(
        &call(
            &client,
            "context_packet",
            serde_json::json!({"intent": "change how the billing consumer reads order events", "ids": [consumer]}),
        )
        .await,
    );
    assert!(out.contains("the MCP test lesson"), "lesson missing from the packet:\n{out}");
    let out = ok_text(&call(&client, "blast_radius", serde_json::json!({"ids": [consumer]})).await);
    assert!(out.contains("the MCP test lesson"), "lesson missing from the blast radius:\n{out}");

    // A lesson's failure must be a failure.
    let out = err_text(
        &call(
            &client,
            "record_lesson",
            serde_json::json!({"text": "t", "applies_to": [consumer], "failure": consumer}),
        )
        .await,
    );
    assert!(out.contains("is a file, not a failure"), "{out}");
    client.cancel().await.expect("client closes");
}

#[tokio::test]
async fn entities_are_resources() {
    let client = connect(server(false)).await;
    let templates = client.list_all_resource_templates().await.expect("templates");
    assert_eq!(templates.len(), 1);
    assert_eq!(templates[0].uri_template, "brain://entity/{id}");

    let resources = client.list_all_resources().await.expect("resources");
    assert!(resources.iter().any(|r| r.uri == "brain://entity/repo:acme/billing"), "{resources:?}");

    // A symbol id contains '#': the URI carries it percent-encoded.
    let g = fixture().brain.snapshot();
    let sym = g
        .nodes()
        .find(|n| n.kind == brain_model::NodeKind::Symbol && n.id.as_str().contains('#'))
        .expect("a symbol")
        .id
        .clone();
    let uri = brain_mcp::resource::entity_uri(sym.as_str());
    let read = client.read_resource(ReadResourceRequestParams::new(uri.clone())).await.expect("read");
    let body = match &read.contents[0] {
        rmcp::model::ResourceContents::TextResourceContents { text, .. } => text.clone(),
        other => panic!("expected text, got {other:?}"),
    };
    assert!(body.starts_with(&format!("{sym}\nkind: symbol\n")), "{body}");

    let missing = client.read_resource(ReadResourceRequestParams::new("brain://entity/repo:acme/none")).await;
    assert!(missing.is_err(), "unknown entity must be an error");
    client.cancel().await.expect("client closes");
}

/// How the HTTP server mounts MCP: the bearer check marks each request with
/// an `McpAccess`, which the write tools obey.
#[tokio::test]
async fn http_service_obeys_the_per_request_access_marker() {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt as _;

    const WRITE_TOKEN: &str = "w-secret";
    let config = rmcp::transport::StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None);
    // Writes are off on the server itself; only the marker can grant them.
    let svc = brain_mcp::http_service_with(server(false), config);
    let app = axum::Router::new().nest_service("/mcp", svc).layer(axum::middleware::from_fn(
        |mut req: axum::extract::Request, next: axum::middleware::Next| async move {
            let bearer = req
                .headers()
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "));
            let access = if bearer == Some(WRITE_TOKEN) { McpAccess::Write } else { McpAccess::Read };
            req.extensions_mut().insert(access);
            next.run(req).await
        },
    ));

    let post = |body: serde_json::Value, token: Option<&str>| {
        let mut b = http::Request::post("/mcp")
            .header(http::header::HOST, "127.0.0.1")
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::ACCEPT, "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2025-06-18");
        if let Some(t) = token {
            b = b.header(http::header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b.body(Body::from(body.to_string())).expect("request")
    };
    async fn json(app: &axum::Router, req: http::Request<Body>) -> serde_json::Value {
        let resp = app.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), 200);
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    }

    let init = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let v = json(&app, post(init, None)).await;
    assert_eq!(v["result"]["serverInfo"]["name"], "brain", "{v}");

    let lesson = |id: u32| {
        serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {
            "name": "record_lesson",
            "arguments": {"text": "HTTP test lesson", "applies_to": ["file:acme/orders:src/model.rs"]}}})
    };
    let v = json(&app, post(lesson(2), None)).await;
    assert_eq!(v["result"]["isError"], true, "{v}");
    assert!(v["result"]["content"][0]["text"].as_str().is_some_and(|t| t.contains("writes are not enabled")), "{v}");

    let v = json(&app, post(lesson(3), Some(WRITE_TOKEN))).await;
    assert_eq!(v["result"]["isError"], false, "{v}");
    assert!(v["result"]["content"][0]["text"].as_str().is_some_and(|t| t.starts_with("Recorded lesson")), "{v}");
}

/// The default HTTP service keeps sessions (for clients on older protocol
/// versions) and answers only loopback `Host`s (DNS-rebinding protection).
#[tokio::test]
async fn default_http_service_has_sessions_and_checks_the_host() {
    use axum::body::Body;
    use tower::ServiceExt as _;

    let app = axum::Router::new().nest_service("/mcp", brain_mcp::http_service(server(false)));
    let init = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let req = |host: &str| {
        http::Request::post("/mcp")
            .header(http::header::HOST, host)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::ACCEPT, "application/json, text/event-stream")
            .body(Body::from(init.to_string()))
            .expect("request")
    };
    let resp = app.clone().oneshot(req("127.0.0.1:7777")).await.expect("response");
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("mcp-session-id"), "{:?}", resp.headers());
    let ct = resp.headers().get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ct.starts_with("text/event-stream"), "{ct}");

    let resp = app.oneshot(req("attacker.example")).await.expect("response");
    assert!(resp.status().is_client_error(), "a foreign Host must be refused, got {}", resp.status());
}

/// Form-based clients (the official MCP Inspector) send what the schema does not let them type
/// as text: optional numbers and lists are plain `integer`/`number`/`array` in the schemas, and
/// their text (`"5"`, `"0.3"`, `"[\"a\"]"`, `"a, b"`) is accepted; garbage is refused with a message.
#[tokio::test]
async fn numbers_and_lists_sent_as_text_are_accepted() {
    let client = connect(server(false)).await;
    let tools = client.list_all_tools().await.expect("tools/list");
    for t in &tools {
        let props = t.input_schema.get("properties").and_then(|p| p.as_object()).expect("properties");
        for (name, schema) in props {
            assert!(
                schema["type"].is_string(),
                "{}.{name} has no single type (a form cannot draw it): {schema}",
                t.name
            );
        }
    }
    let prop = |tool: &str, name: &str| {
        let t = tools.iter().find(|t| t.name == tool).expect("tool");
        t.input_schema["properties"][name]["type"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(prop("search", "limit"), "integer");
    assert_eq!(prop("search", "kinds"), "array");
    assert_eq!(prop("blast_radius", "max_depth"), "integer");
    assert_eq!(prop("blast_radius", "min_confidence"), "number");

    let out = ok_text(
        &call(&client, "search", serde_json::json!({"query": "created at", "limit": "2", "kinds": "[\"field\"]"}))
            .await,
    );
    let hits: Vec<&str> = out.lines().filter(|l| l.contains("[field]")).collect();
    assert!(!hits.is_empty() && hits.len() <= 2, "{out}");
    let out = ok_text(
        &call(&client, "search", serde_json::json!({"query": "order created", "kinds": "operation, topic"})).await,
    );
    assert!(out.contains("[operation]") || out.contains("[topic]"), "{out}");
    let as_text = ok_text(
        &call(
            &client,
            "blast_radius",
            serde_json::json!({"repo": "acme/orders", "paths": "[\"asyncapi/order-events.yaml\"]",
                "max_depth": "6", "min_confidence": "0.3"}),
        )
        .await,
    );
    let typed = ok_text(
        &call(
            &client,
            "blast_radius",
            serde_json::json!({"repo": "acme/orders", "paths": ["asyncapi/order-events.yaml"],
                "max_depth": 6, "min_confidence": 0.3}),
        )
        .await,
    );
    assert_eq!(as_text, typed, "text and typed arguments are the same question");
    let out = ok_text(
        &call(&client, "get_entity", serde_json::json!({"id": "file:acme/orders:src/model.rs", "max_edges": "1"}))
            .await,
    );
    assert!(out.contains("file:acme/orders:src/model.rs"), "{out}");

    for (tool, args, want) in [
        ("search", serde_json::json!({"query": "x", "limit": "five"}), "expected a whole number such as 5, got 'five'"),
        (
            "blast_radius",
            serde_json::json!({"ids": ["repo:acme/orders"], "min_confidence": "high"}),
            "expected a number such as 0.3, got 'high'",
        ),
        ("search", serde_json::json!({"query": "x", "kinds": "[\"field\""}), "is not a JSON list"),
    ] {
        // A tool error the agent reads, naming what to send instead.
        let out = err_text(&call(&client, tool, args).await);
        assert!(out.contains(want), "{tool}: {out}");
    }
    client.cancel().await.expect("client closes");
}
