//! Context packet latency through the application layer (`Brain::context_packet`,
//! what GraphQL, MCP and the CLI call), whole and by stage, over varied task
//! descriptions (`common/intents.rs`).
//!
//! `cargo bench -p brain --bench packet` on a synthetic organisation
//! (BRAIN_BENCH_REPOS x BRAIN_BENCH_FILES, default 4 x 300 files), or on an
//! ingested data dir that no server holds: `BRAIN_BENCH_DATA_DIR=/tmp/hl/.../data
//! cargo bench -p brain --bench packet`. Percentiles at 1M nodes:
//! `cargo run --release -p brain --example packet_latency -- DATA_DIR`.

use brain_ingest::packet::{StoreSpans, PACKET_SEARCH_HITS};
use brain_ingest::{Brain, Config, NoProgress};
use brain_model::NodeId;
use brain_query::{NameIndex, PacketRequest, PacketSources, Scope, SearchHit};
use brain_store::SearchQuery;
use criterion::{criterion_group, criterion_main, Criterion};
use std::time::Duration;

mod common {
    pub mod intents;
}

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
}

/// The brain to ask, and the temp dir it lives in when synthesised.
fn brain() -> (Brain, Option<tempfile::TempDir>) {
    if let Ok(dir) = std::env::var("BRAIN_BENCH_DATA_DIR") {
        let brain = Brain::open(dir.as_ref(), brain_stack::ingestors(), brain_stack::passes()).expect("open");
        return (brain, None);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("org");
    let spec = brain_synth::SynthSpec {
        repos: env_usize("BRAIN_BENCH_REPOS", 4),
        files_per_repo: env_usize("BRAIN_BENCH_FILES", 300),
        functions_per_file: 10,
    };
    brain_synth::generate(&root, &spec).expect("synth");
    let config = Config::load(&root.join("brain.toml")).expect("config");
    let brain = Brain::open(&dir.path().join("data"), brain_stack::ingestors(), brain_stack::passes()).expect("open");
    for r in &config.repos {
        brain.ingest_repo(r, &NoProgress).expect("ingest");
    }
    (brain, Some(dir))
}

fn request(intent: &str) -> PacketRequest {
    PacketRequest {
        intent: intent.to_string(),
        scope: Scope::default(),
        budget_tokens: 2000,
        now: None,
        min_hit_score: 0.0,
    }
}

fn bench_packet(c: &mut Criterion) {
    let (brain, _dir) = brain();
    let g = brain.snapshot();
    let names = NameIndex::build(&g);
    let intents = common::intents::intents(&g, 64);
    let mut k = 0usize;
    let mut next = || {
        k = (k + 1) % intents.len();
        intents[k].as_str()
    };
    let mut group = c.benchmark_group(format!("packet/{}-nodes", g.node_count()));
    group.sample_size(30).measurement_time(Duration::from_secs(10));
    group.bench_function("whole", |b| b.iter(|| brain.context_packet(&g, Some(&names), &request(next()))));
    group.bench_function("entity_search", |b| {
        b.iter(|| {
            let q = SearchQuery { text: next().to_string(), limit: PACKET_SEARCH_HITS, ..Default::default() };
            brain.search(&q).unwrap_or_default()
        })
    });
    group.bench_function("file_search", |b| b.iter(|| brain.packet_files(next(), &[])));
    group.bench_function("past_changes", |b| b.iter(|| brain.packet_past_changes(next(), &[])));
    // The graph part alone, on inputs searched beforehand.
    let inputs: Vec<_> = intents
        .iter()
        .map(|i| {
            let q = SearchQuery { text: i.clone(), limit: PACKET_SEARCH_HITS, ..Default::default() };
            let hits: Vec<SearchHit> = brain
                .search(&q)
                .unwrap_or_default()
                .into_iter()
                .map(|h| SearchHit { id: NodeId::new(h.id), score: h.score })
                .collect();
            (request(i), hits, brain.packet_files(i, &[]), brain.packet_past_changes(i, &[]))
        })
        .collect();
    let mut j = 0usize;
    group.bench_function("graph_part", |b| {
        b.iter(|| {
            j = (j + 1) % inputs.len();
            let (req, hits, files, past) = &inputs[j];
            let spans = StoreSpans::new(&brain);
            brain_query::context_packet_with(
                &g,
                hits,
                req,
                PacketSources { spans: Some(&spans), names: Some(&names), files, past },
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_packet);
criterion_main!(benches);
