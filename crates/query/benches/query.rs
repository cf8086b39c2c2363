//! Latency of blast radius, context packets and paths on a synthetic org.
//!
//! `cargo bench -p brain-query --features synth` (set `BRAIN_BENCH_NODES`,
//! default 1_000_000). Prints p50/p99 per query; a plain harness so it needs
//! no extra dependency.

use brain_graph::GraphBuilder;
use brain_query::synth::{field_id, symbol_id, synth_facts, SynthSpec};
use brain_query::{
    blast_radius, context_packet, context_packet_with, ChangeSet, ImpactOptions, NameIndex, PacketRequest,
    PacketSources, ReviewPolicy, SearchHit,
};
use std::time::{Duration, Instant};

fn report(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    println!("{name:<40} n={:<5} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}", v.len(), q(0.5), q(0.99), q(1.0));
}

fn main() {
    let nodes: usize = std::env::var("BRAIN_BENCH_NODES").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let spec = SynthSpec::with_nodes(nodes);
    let t = Instant::now();
    let facts = synth_facts(spec);
    let mut b = GraphBuilder::new();
    for f in &facts {
        b.add_facts(f);
    }
    drop(facts);
    let g = b.build(&[]);
    println!("graph: {} nodes, {} edges, built in {:?} ({spec:?})", g.node_count(), g.edge_count(), t.elapsed());
    let policy = ReviewPolicy::standard();
    let iters = 300usize;
    let mut k = 7usize;
    let mut next = |n: usize| {
        k = k.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407) % 1_000_003;
        k % n.max(1)
    };
    for depth in [2u32, 3, 4] {
        let opts = ImpactOptions { max_depth: depth, ..Default::default() };
        let mut times = Vec::with_capacity(iters);
        let mut reached = 0usize;
        for _ in 0..iters {
            let id = symbol_id(next(spec.repos), next(spec.files_per_repo), next(spec.symbols_per_file));
            let change = ChangeSet { ids: vec![id], ..Default::default() };
            let t = Instant::now();
            let r = blast_radius(&g, &change, &opts, &policy);
            times.push(t.elapsed());
            reached += r.impacted.len();
        }
        report(&format!("blast_radius symbol depth {depth} (avg {} hit)", reached / iters), times);
    }
    let opts = ImpactOptions { max_depth: 3, ..Default::default() };
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let f = next(spec.files_per_repo / 10) * 10;
        let change = ChangeSet { ids: vec![field_id(next(spec.repos), f, next(4))], ..Default::default() };
        let t = Instant::now();
        let _ = blast_radius(&g, &change, &opts, &policy);
        times.push(t.elapsed());
    }
    report("blast_radius field depth 3", times);
    let t = Instant::now();
    let names = NameIndex::build(&g);
    println!("name index built in {:?}", t.elapsed());
    for (label, with_index) in
        [("context_packet (10 hits, name scan)", false), ("context_packet (10 hits, name index)", true)]
    {
        let mut times = Vec::with_capacity(60);
        for _ in 0..60 {
            let hits: Vec<SearchHit> = (0..10)
                .map(|i| SearchHit {
                    id: symbol_id(next(spec.repos), next(spec.files_per_repo), next(spec.symbols_per_file)),
                    score: 10.0 - i as f32,
                })
                .collect();
            let req = PacketRequest {
                intent: "fix fn3 rounding of order total".into(),
                budget_tokens: 4000,
                ..Default::default()
            };
            let t = Instant::now();
            let _ = if with_index {
                context_packet_with(&g, &hits, &req, PacketSources { names: Some(&names), ..Default::default() })
            } else {
                context_packet(&g, &hits, &req)
            };
            times.push(t.elapsed());
        }
        report(label, times);
    }
}
