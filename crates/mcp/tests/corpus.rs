//! Slow, on purpose: ingests real repositories named by a `brain.toml` in
//! `BRAIN_MCP_CORPUS`, then drives every read tool over MCP with names taken
//! from the graph itself, printing sizes and latencies. It fails when a tool
//! answers with a protocol error or a tool error on input that exists.
//!
//! ```sh
//! BRAIN_MCP_CORPUS=/path/brain.toml cargo test -p brain-mcp --test corpus -- --ignored --nocapture
//! ```

mod common;

use brain_ingest::{Brain, Config, NoProgress};
use brain_mcp::BrainMcp;
use brain_model::NodeKind;
use common::{call, connect, ingestors, passes, text};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[tokio::test]
#[ignore]
async fn every_read_tool_answers_on_a_real_corpus() {
    let Ok(toml) = std::env::var("BRAIN_MCP_CORPUS") else {
        eprintln!("BRAIN_MCP_CORPUS is not set; nothing to do");
        return;
    };
    let cfg = Config::load(&PathBuf::from(toml)).expect("config loads");
    let dir = tempfile::tempdir().expect("temp dir");
    let brain = Brain::open(dir.path(), ingestors(), passes()).expect("brain opens");
    let t = Instant::now();
    for repo in &cfg.repos {
        let r = brain.ingest_repo(repo, &NoProgress).expect("ingest");
        eprintln!("ingested {}: {} files, {} parsed, {} failed", r.repo, r.files_seen, r.parsed, r.failed);
    }
    eprintln!("ingest: {:?}", t.elapsed());
    let brain = Arc::new(brain);
    let g = brain.snapshot();
    eprintln!("graph: {} nodes, {} edges", g.node_count(), g.edge_count());
    let client = connect(BrainMcp::new(brain.clone(), &cfg.policy)).await;

    // Inputs from the graph: a spread of symbols, files, operations, types.
    let mut calls: Vec<(&str, serde_json::Value)> = Vec::new();
    for kind in [NodeKind::Symbol, NodeKind::Operation, NodeKind::DataType, NodeKind::File, NodeKind::Service] {
        for n in g.nodes_of_kind(kind).step_by(7).take(6) {
            calls.push(("search", serde_json::json!({"query": n.name})));
            calls.push(("get_entity", serde_json::json!({"id": n.id.as_str()})));
            calls.push(("blast_radius", serde_json::json!({"ids": [n.id.as_str()]})));
            calls.push(("owners", serde_json::json!({"id": n.id.as_str()})));
            calls.push(("context_packet", serde_json::json!({"intent": format!("change {} and its callers", n.name)})));
            if !n.prov.repo.is_empty() && !n.prov.path.is_empty() && kind == NodeKind::File {
                calls.push(("blast_radius", serde_json::json!({"repo": n.prov.repo, "paths": [n.prov.path]})));
            }
        }
    }
    let mut worst: Vec<(u128, String)> = Vec::new();
    let mut chars = 0usize;
    let mut largest = (0usize, String::new());
    for (tool, args) in &calls {
        let t = Instant::now();
        let r = call(&client, tool, args.clone()).await;
        let ms = t.elapsed().as_millis();
        let out = text(&r);
        assert_ne!(r.is_error, Some(true), "{tool} {args} failed: {out}");
        chars += out.len();
        if out.len() > largest.0 {
            largest = (out.len(), format!("{tool} {args}"));
        }
        worst.push((ms, format!("{tool} {args}")));
    }
    worst.sort_by_key(|w| std::cmp::Reverse(w.0));
    eprintln!("{} calls, {} chars of answers; largest {} chars: {}", calls.len(), chars, largest.0, largest.1);
    eprintln!("slowest:");
    for (ms, what) in worst.iter().take(5) {
        eprintln!("  {ms} ms  {}", what.chars().take(140).collect::<String>());
    }
    client.cancel().await.expect("client closes");
}
