//! Measures git history ingest on a real repository.
//!
//! ```text
//! cargo run --release -p brain-ingest --example history_bench -- GIT_DIR [HEAD] [MAX_COMMITS]
//! ```
//!
//! `GIT_DIR` is a bare/mirror git dir or a checkout. The tree of `HEAD` is
//! exported (`git archive`) into a temporary directory and ingested with the
//! files ingestor only (so File nodes exist for `changed_with` edges), then
//! its history is read with [`Brain::ingest_history`]: first in full, then
//! again (nothing new), then from an older commit forward (incremental).
//! Prints commits/s, the summary and a few "similar past changes" timings.

use brain_ingest::{Brain, HistoryConfig, NoProgress, RepoConfig};
use brain_model::EdgeKind;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(git_dir) = args.first().map(PathBuf::from) else {
        eprintln!("usage: history_bench GIT_DIR [HEAD] [MAX_COMMITS]");
        std::process::exit(2);
    };
    let head = args.get(1).cloned().unwrap_or_else(|| "HEAD".into());
    let max_commits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let tree = tmp.path().join("tree");
    std::fs::create_dir_all(&tree).expect("mkdir");

    let t = Instant::now();
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&git_dir)
        .args(["archive", "--format=tar", &head])
        .stdout(Stdio::piped())
        .spawn()
        .expect("git archive");
    let tar = archive.stdout.take().expect("pipe");
    let status = Command::new("tar").arg("-x").arg("-C").arg(&tree).stdin(tar).status().expect("tar");
    // A mirror with a missing object still gives most of the tree: say so and go on.
    let archived = archive.wait().expect("git archive");
    if !status.success() || !archived.success() {
        eprintln!("note: the exported tree is incomplete (tar: {status}, git archive: {archived})");
    }
    println!("tree of {head} exported in {:.2}s", t.elapsed().as_secs_f64());

    let brain = Brain::open(&tmp.path().join("data"), vec![Box::new(brain_ingest_files::FilesIngestor)], vec![])
        .expect("open brain");
    brain.set_history_config(HistoryConfig { max_commits, ..HistoryConfig::default() });
    let repo = RepoConfig { name: "bench".into(), path: tree.clone(), include: vec![], exclude: vec![] };
    let t = Instant::now();
    let r = brain.ingest_repo(&repo, &NoProgress).expect("ingest files");
    println!("files: {} ingested in {:.2}s", r.files_seen, t.elapsed().as_secs_f64());

    let t = Instant::now();
    let h = brain.ingest_history("bench", &git_dir, &head).expect("history");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "history (full): {} commits in {secs:.2}s = {:.0} commits/s (read+summary {:.2}s); {} files with history, {} co-change pairs",
        h.commits_total,
        h.commits_total as f64 / secs,
        h.duration.as_secs_f64(),
        h.files,
        h.pairs,
    );
    let g = brain.snapshot();
    let edges = g.edges().filter(|e| e.kind == EdgeKind::ChangedWith).count();
    println!("graph: {} nodes, {} edges, {edges} changed_with", g.node_count(), g.edge_count());

    let t = Instant::now();
    let again = brain.ingest_history("bench", &git_dir, &head).expect("again");
    println!("history (unchanged): {} read in {:.3}s", again.commits_read, t.elapsed().as_secs_f64());

    // Incremental: back 200 first-parent commits (a full re-read: the stored head is newer), then forward.
    let older = format!("{head}~200");
    if brain.ingest_history("bench", &git_dir, &older).is_ok() {
        let t = Instant::now();
        let inc = brain.ingest_history("bench", &git_dir, &head).expect("forward");
        println!(
            "history (incremental from {older}): {} commits read, {} stored, in {:.2}s",
            inc.commits_read,
            inc.commits_total,
            t.elapsed().as_secs_f64()
        );
    }

    for text in ["fix timeout when connection is reset", "add support for proxy authentication", "update dependencies"]
    {
        let t = Instant::now();
        let hits = brain.similar_changes(None, text, 10).expect("similar");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match hits.first() {
            Some(c) => println!(
                "similar '{text}': {} hits in {ms:.1} ms; top {} {:?} ({} files)",
                hits.len(),
                &c.sha[..10],
                c.subject,
                c.files.len()
            ),
            None => println!("similar '{text}': no hit ({ms:.1} ms)"),
        }
    }
    let t = Instant::now();
    drop(brain);
    let brain = Brain::open(&tmp.path().join("data"), vec![Box::new(brain_ingest_files::FilesIngestor)], vec![])
        .expect("reopen");
    println!("reopen: {:.2}s (persisted snapshot: {})", t.elapsed().as_secs_f64(), brain.opened_from_snapshot());
    let stats = brain.history_stats("bench").expect("stats").expect("stored");
    println!("stored: {} commits up to {}", stats.commits, &stats.head[..12]);
    for (name, bytes) in brain.store().logical_bytes().expect("logical bytes") {
        if name == "history" || name == "commits" {
            println!("  data {name}: {:.1} MB", bytes as f64 / 1e6);
        }
    }
    let data = tmp.path().join("data");
    for part in ["store", "history", "index"] {
        println!("  disk {part}: {:.1} MB", dir_bytes(&data.join(part)) as f64 / 1e6);
    }
}

fn dir_bytes(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return 0 };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path).into_iter().flatten().flatten().map(|e| dir_bytes(&e.path())).sum()
}
