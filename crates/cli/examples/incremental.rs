//! Write-to-visible latency of incremental snapshots on an ingested organisation.
//!
//! ```text
//! cp -r /tmp/org1m /tmp/inc-org && cp -r /tmp/org1m-data /tmp/inc-data
//! cargo run --release -p brain --example incremental -- /tmp/inc-data /tmp/inc-org/brain.toml [EDITS]
//! ```
//!
//! EDIT THE COPIES ONLY: it appends functions to source files of the first
//! repository and records lessons. It opens the brain, then times: single
//! saved files through `ingest_paths` ("visible" is from the call until a
//! reader's `snapshot()` shows the new function; "returned" includes the
//! search index commit), 10-file changes, `put_record` of a lesson, the
//! background relink, and blast radius on a patched and on an exact snapshot.

use brain_ingest::{Brain, Config};
use brain_model::NodeId;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn report(name: &str, mut v: Vec<Duration>) {
    if v.is_empty() {
        return;
    }
    v.sort();
    let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
    println!("{name:<44} n={:<4} p50={:>10.3?} p99={:>10.3?} max={:>10.3?}", v.len(), q(0.5), q(0.99), q(1.0));
}

/// Times `write` until `visible` holds on a snapshot a concurrent reader takes.
fn timed(
    brain: &Brain,
    visible: impl Fn(&brain_graph::Graph) -> bool + Sync,
    write: impl FnOnce(),
) -> (Duration, Duration) {
    let t0 = Instant::now();
    std::thread::scope(|s| {
        let reader = s.spawn(|| loop {
            if visible(&brain.snapshot()) {
                return t0.elapsed();
            }
            if t0.elapsed() > Duration::from_secs(120) {
                return Duration::MAX;
            }
            std::thread::yield_now();
        });
        write();
        let returned = t0.elapsed();
        (reader.join().unwrap_or(Duration::MAX), returned)
    })
}

fn probe(i: usize) -> String {
    format!("\n/// Probe {i}.\npub fn brain_probe_{i}(x: i64) -> i64 {{\n    x + {i}\n}}\n")
}

fn has_probe(g: &brain_graph::Graph, file: &NodeId, name: &str) -> bool {
    g.outgoing(file).any(|e| e.other.name == name)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(data), Some(config)) = (args.get(1), args.get(2)) else {
        anyhow::bail!("usage: incremental DATA_DIR BRAIN_TOML [EDITS] (copies: this edits files and the store)");
    };
    let edits: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(40);
    let config = Config::load(Path::new(config))?;
    let repo = config.repos.first().ok_or_else(|| anyhow::anyhow!("no repository in the config"))?.clone();
    let t = Instant::now();
    let brain = Brain::open(Path::new(data), brain_stack::ingestors(), brain_stack::passes())?;
    let g = brain.snapshot();
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS")).map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string())
        })
        .unwrap_or_default();
    println!("opened in {:?}: {} nodes, {} edges, RSS {rss} kB", t.elapsed(), g.node_count(), g.edge_count());
    let files: Vec<String> = {
        let mut v: Vec<String> = g
            .nodes_of_kind(brain_model::NodeKind::File)
            .filter(|n| n.prov.repo.as_str() == repo.name && n.prov.path.ends_with(".rs"))
            .map(|n| n.prov.path.to_string())
            .collect();
        v.sort();
        v
    };
    anyhow::ensure!(files.len() >= 100, "the first repository needs 100 Rust files");
    drop(g);
    let path_of = |rel: &str| -> PathBuf { repo.path.join(rel) };
    let append = |rel: &str, text: &str| -> anyhow::Result<()> {
        let mut s = std::fs::read_to_string(path_of(rel))?;
        s.push_str(text);
        std::fs::write(path_of(rel), s)?;
        Ok(())
    };
    let pause = Duration::from_millis(200);
    let mut n = 0usize;

    // Single saved files.
    let (mut visible, mut returned) = (Vec::new(), Vec::new());
    for k in 0..edits {
        let rel = files[(k * 37) % files.len()].clone();
        append(&rel, &probe(n))?;
        let (file, name) = (NodeId::file(&repo.name, &rel), format!("brain_probe_{n}"));
        let (v, r) = timed(
            &brain,
            |g| has_probe(g, &file, &name),
            || {
                if let Err(e) = brain.ingest_paths(&repo, std::slice::from_ref(&rel)) {
                    eprintln!("ingest failed: {e}");
                }
            },
        );
        visible.push(v);
        returned.push(r);
        n += 1;
        std::thread::sleep(pause);
    }
    report("saved file: visible", visible);
    report("saved file: ingest_paths returned", returned);

    // 10-file changes.
    let (mut visible, mut returned) = (Vec::new(), Vec::new());
    for k in 0..edits.div_ceil(4).max(5) {
        let rels: Vec<String> = (0..10).map(|j| files[(k * 101 + j * 13 + 5) % files.len()].clone()).collect();
        let mut last = (NodeId::file("", ""), String::new());
        for rel in &rels {
            append(rel, &probe(n))?;
            last = (NodeId::file(&repo.name, rel), format!("brain_probe_{n}"));
            n += 1;
        }
        let (v, r) = timed(
            &brain,
            |g| has_probe(g, &last.0, &last.1),
            || {
                if let Err(e) = brain.ingest_paths(&repo, &rels) {
                    eprintln!("ingest failed: {e}");
                }
            },
        );
        visible.push(v);
        returned.push(r);
        std::thread::sleep(pause);
    }
    report("10 files: visible", visible);
    report("10 files: ingest_paths returned", returned);

    // Lessons.
    let (mut visible, mut returned) = (Vec::new(), Vec::new());
    for k in 0..edits.div_ceil(4).max(5) {
        let input = brain_query::LessonInput {
            text: format!("incremental bench lesson {k} at {:?}", Instant::now()),
            applies_to: vec![NodeId::file(&repo.name, &files[k % files.len()])],
            author: "bench".into(),
            ..Default::default()
        };
        let facts = brain_query::lesson_facts(&input, 1_700_000_000 + k as u64);
        let id = facts.nodes[0].id.clone();
        let (v, r) = timed(
            &brain,
            |g| g.contains(&id),
            || {
                if let Err(e) = brain.put_record(id.as_str(), facts) {
                    eprintln!("put_record failed: {e}");
                }
            },
        );
        visible.push(v);
        returned.push(r);
        std::thread::sleep(pause);
    }
    report("lesson: visible", visible);
    report("lesson: put_record returned", returned);

    // Blast radius on the patched snapshot, then the relink, then on the exact one.
    let policy = brain_query::ReviewPolicy::standard();
    let opts = brain_query::ImpactOptions { max_depth: 3, ..Default::default() };
    let blast = |label: &str| {
        let g = brain.snapshot();
        let syms: Vec<NodeId> = files
            .iter()
            .step_by(7)
            .take(300)
            .flat_map(|f| {
                g.outgoing(&NodeId::file(&repo.name, f)).map(|e| e.other.id.clone()).take(1).collect::<Vec<_>>()
            })
            .collect();
        let mut times = Vec::new();
        for id in syms {
            let change = brain_query::ChangeSet { ids: vec![id], ..Default::default() };
            let t = Instant::now();
            let _ = brain_query::blast_radius(&g, &change, &opts, &policy);
            times.push(t.elapsed());
        }
        report(&format!("blast radius depth 3, {label}"), times);
    };
    println!("snapshot exact: {}", brain.snapshot().is_exact());
    blast("patched snapshot");
    let t = Instant::now();
    let exact = brain.wait_exact(Duration::from_secs(600));
    println!("exact after {:?} more: {exact}", t.elapsed());
    blast("exact snapshot");

    // One edit on an idle brain: from the call to an exact snapshot.
    let rel = files[3].clone();
    append(&rel, &probe(n))?;
    let t = Instant::now();
    brain.ingest_paths(&repo, &[rel])?;
    let patched_in = t.elapsed();
    let exact = brain.wait_exact(Duration::from_secs(600));
    println!(
        "idle edit: patched snapshot in {patched_in:?}, exact (relink) after {:?} ({exact}); last relink {:?}",
        t.elapsed(),
        brain.last_relink()
    );
    Ok(())
}
