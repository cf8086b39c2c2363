//! Records written through the API over real HTTP: every write is its own
//! record (none replaces another), a client's idempotency key makes a retry
//! return the first record, and lesson inputs are checked.

mod common;

use brain_server::Tokens;
use common::*;
use serde_json::{json, Value};

const FILE: &str = "file:acme/orders:src/events.rs";
const W: Option<&str> = Some("wr1te");

fn tokens() -> Tokens {
    Tokens { read: None, write: Some("wr1te".into()) }
}

async fn record_failure(s: &Served, key: Option<&str>) -> Value {
    let m = "mutation($k: String) { recordFailure(input: { title: \"Checkout crashed on null createdAt\", text: \"OrderCreated handler threw\", affected: [\"file:acme/orders:src/events.rs\"], idempotencyKey: $k }) { failure { id } repeatOf { id } } }";
    let (status, v) = gql(s.addr, W, m, json!({ "k": key })).await;
    assert_eq!(status, 200, "{v}");
    assert!(v["errors"].is_null(), "{v}");
    v["data"]["recordFailure"].clone()
}

async fn stats(s: &Served) -> (u64, u64) {
    let (_, v) = gql(s.addr, None, "{ stats { repeatFailures nodesByKind { kind count } } }", json!({})).await;
    let st = &v["data"]["stats"];
    let failures = st["nodesByKind"]
        .as_array()
        .and_then(|ks| ks.iter().find(|k| k["kind"] == "failure"))
        .and_then(|k| k["count"].as_u64())
        .unwrap_or(0);
    (failures, st["repeatFailures"].as_u64().unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_failure_twice_in_one_second_is_two_records_and_a_repeat() {
    let s = serve_fixture(tokens()).await;
    let first = record_failure(&s, None).await;
    let second = record_failure(&s, None).await;
    let (a, b) = (first["failure"]["id"].as_str().unwrap_or(""), second["failure"]["id"].as_str().unwrap_or(""));
    assert!(a.starts_with("failure:api:") && b.starts_with("failure:api:"), "{first} {second}");
    assert_ne!(a, b, "the second write must not replace the first");
    assert!(first["repeatOf"].is_null(), "{first}");
    assert_eq!(second["repeatOf"]["id"], a, "the second is a repeat of the first, not of itself: {second}");
    let g = s.brain.snapshot();
    assert!(g.contains(&brain_model::NodeId::new(a)) && g.contains(&brain_model::NodeId::new(b)));
    let (failures, repeats) = stats(&s).await;
    assert_eq!((failures, repeats), (2, 1), "both are counted and one repeat");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idempotency_key_makes_a_retry_return_the_first_record() {
    let s = serve_fixture(tokens()).await;
    let first = record_failure(&s, Some("run-42/attempt-1")).await;
    let retry = record_failure(&s, Some("run-42/attempt-1")).await;
    assert_eq!(first["failure"]["id"], retry["failure"]["id"], "{first} {retry}");
    assert_eq!(stats(&s).await, (1, 0), "a retry writes nothing");
    let other = record_failure(&s, Some("run-43/attempt-1")).await;
    assert_ne!(other["failure"]["id"], first["failure"]["id"]);
    assert_eq!(stats(&s).await, (2, 1));
    let (_, v) = gql(
        s.addr,
        W,
        "mutation { recordRun(input: { task: \"t\", state: NO_OP, idempotencyKey: \"  \" }) { id } }",
        json!({}),
    )
    .await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_INPUT", "{v}");
    // Lessons and runs with the same key: one record each.
    let lesson = "mutation { recordLesson(input: { text: \"check created_at\", appliesTo: [\"file:acme/orders:src/events.rs\"], idempotencyKey: \"l1\" }) { id } }";
    let (_, a) = gql(s.addr, W, lesson, json!({})).await;
    let (_, b) = gql(s.addr, W, lesson, json!({})).await;
    assert_eq!(a["data"]["recordLesson"]["id"], b["data"]["recordLesson"]["id"], "{a} {b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesson_inputs_are_checked() {
    let s = serve_fixture(tokens()).await;
    let lesson = |extra: &str| {
        format!("mutation {{ recordLesson(input: {{ text: \"check created_at\", appliesTo: [\"{FILE}\"]{extra} }}) {{ id }} }}")
    };
    let (_, v) = gql(s.addr, W, &lesson(", validUntil: \"not-a-date\""), json!({})).await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_INPUT", "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap_or("").contains("YYYY-MM-DD"), "{v}");
    let (_, v) = gql(s.addr, W, &lesson(", validUntil: \"2025-02-30\""), json!({})).await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_INPUT", "no 30 February: {v}");
    let (_, v) = gql(s.addr, W, &lesson(&format!(", supersedes: \"{FILE}\"")), json!({})).await;
    assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_INPUT", "{v}");
    assert!(v["errors"][0]["message"].as_str().unwrap_or("").contains("not a lesson"), "{v}");
    let (_, v) = gql(s.addr, W, &lesson(", validUntil: \"2999-12-31\""), json!({})).await;
    let old = v["data"]["recordLesson"]["id"].as_str().expect("a lesson").to_string();
    let (_, v) = gql(s.addr, W, &lesson(&format!(", supersedes: \"{old}\"")), json!({})).await;
    assert!(v["data"]["recordLesson"]["id"].as_str().is_some(), "a lesson may supersede a lesson: {v}");
}
