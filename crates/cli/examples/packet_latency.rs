//! Where a context packet spends its time, on an ingested organisation.
//!
//! ```text
//! cargo run --release -p brain --example packet_latency -- DATA_DIR [PACKETS]
//! ```
//!
//! Opens the brain in DATA_DIR (no server may hold it), builds the snapshot's
//! name index as the server does, then asks PACKETS (default 400) packets with
//! varied task descriptions (`benches/common/intents.rs`: the templates of
//! `PACKET_INTENTS` in `benches/http-load.lua`, filled with the names of
//! entities spread evenly over the graph). Each packet is timed whole (`Brain::context_packet`, what every door
//! calls) and by stage: the entity search, the file search, similar past
//! changes, and the graph part (`brain_query::context_packet_with`: named
//! entities, expansion, PageRank, file fusion, spans from the store, markdown).
//! Prints p50 / p99 / max per stage and the slowest intents.

use brain_ingest::packet::{StoreSpans, PACKET_SEARCH_HITS};
use brain_ingest::Brain;
use brain_model::NodeId;
use brain_query::{NameIndex, PacketRequest, PacketSources, Scope, SearchHit};
use brain_store::SearchQuery;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "../benches/common/intents.rs"]
mod intents;

fn report(name: &str, v: &[Duration]) {
    if v.is_empty() {
        return;
    }
    let mut v = v.to_vec();
    v.sort();
    let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    let mean = v.iter().sum::<Duration>() / v.len() as u32;
    println!(
        "{name:<28} n={:<4} mean={:>9.2?} p50={:>9.2?} p90={:>9.2?} p99={:>9.2?} max={:>9.2?}",
        v.len(),
        mean,
        q(0.5),
        q(0.9),
        q(0.99),
        q(1.0)
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(data_dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: packet_latency DATA_DIR [PACKETS]");
        std::process::exit(2);
    };
    let packets: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(400);
    let t = Instant::now();
    let brain = match Brain::open(&data_dir, brain_stack::ingestors(), brain_stack::passes()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot open {}: {e}", data_dir.display());
            std::process::exit(1);
        }
    };
    let g = brain.snapshot();
    println!("opened in {:?}: {} nodes, {} edges", t.elapsed(), g.node_count(), g.edge_count());
    let t = Instant::now();
    let names = NameIndex::build(&g);
    println!("name index built in {:?}", t.elapsed());

    let intents = intents::intents(&g, packets);

    let req = |intent: &str| PacketRequest {
        intent: intent.to_string(),
        scope: Scope::default(),
        budget_tokens: 2000,
        now: None,
        min_hit_score: 0.0,
    };
    // Warm-up: the first packets page the index and store in.
    for intent in intents.iter().take(20) {
        let _ = brain.context_packet(&g, Some(&names), &req(intent));
    }

    let (mut search, mut files, mut past, mut build, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut slowest: Vec<(Duration, String, usize)> = Vec::new();
    for intent in &intents {
        let r = req(intent);
        let t = Instant::now();
        let hits: Vec<SearchHit> = brain
            .search(&SearchQuery {
                text: intent.clone(),
                kinds: Vec::new(),
                repos: Vec::new(),
                limit: PACKET_SEARCH_HITS,
            })
            .map(|hs| hs.into_iter().map(|h| SearchHit { id: NodeId::new(h.id), score: h.score }).collect())
            .unwrap_or_default();
        search.push(t.elapsed());
        let t = Instant::now();
        let fh = brain.packet_files(intent, &[]);
        files.push(t.elapsed());
        let t = Instant::now();
        let pc = brain.packet_past_changes(intent, &[]);
        past.push(t.elapsed());
        let t = Instant::now();
        let spans = StoreSpans::new(&brain);
        let p = brain_query::context_packet_with(
            &g,
            &hits,
            &r,
            PacketSources { spans: Some(&spans), names: Some(&names), files: &fh, past: &pc },
        );
        build.push(t.elapsed());
        let t = Instant::now();
        let whole = brain.context_packet(&g, Some(&names), &r);
        let d = t.elapsed();
        total.push(d);
        assert_eq!(whole.markdown, p.markdown, "the staged packet differs from Brain::context_packet");
        slowest.push((d, intent.clone(), p.items.len()));
    }
    report("entity search", &search);
    report("file search", &files);
    report("similar past changes", &past);
    report("graph part (query crate)", &build);
    report("whole packet", &total);
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!("slowest:");
    for (d, intent, items) in slowest.iter().take(8) {
        println!("  {d:>9.2?}  {items:>3} items  {intent}");
    }
}
