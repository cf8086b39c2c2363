//! Throughput baseline for a full ingest: over the code files `brain ingest`
//! would parse in a checkout, with a given number of threads, time
//!
//! - (a) the raw tree-sitter parse,
//! - (b) the parse plus the language's tag queries (the compiled `defs.scm`
//!   and `refs.scm` of [`lang::queries`]), counting their captures,
//! - (c) the code ingestor's full extraction (`CodeIngestor::ingest`), for
//!   reference: what the ingest adds on top of (b) before the store and index.
//!
//! `cargo run --release -p brain-ingest-code --example baseline -- DIR [--threads N] [--repeat R]`
//!
//! The file list follows the ingest's walk (`.gitignore` and `.git/info/exclude`
//! honoured, hidden files included, `.git`/`.brain` skipped, no symlinks, files
//! over 2 MiB and binary files recorded but not read, lossy UTF-8), then keeps
//! what the code ingestor accepts and does not skip (over 1 MiB, minified).
//! Reading happens before timing. Each phase runs `R` times (default 1) and
//! the fastest wall time is printed; lines/s/core divides by the thread count.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brain_ingest_code::{extract, lang, lang::Lang, CodeIngestor};
use brain_model::{Ingestor, SourceFile};
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;
use streaming_iterator::StreamingIterator;
use tree_sitter::QueryCursor;

/// The ingest's file size limit (`brain_ingest::FileLimits::default`).
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

struct File {
    rel: String,
    lang: Lang,
    text: String,
}

/// Walk and read as the ingest does; returns (files walked, bytes walked, code files to parse).
fn load(root: &Path) -> (usize, u64, Vec<File>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name();
            !(e.file_type().is_some_and(|t| t.is_dir()) && (name == ".git" || name == ".brain"))
        })
        .build();
    let (mut walked, mut walked_bytes) = (0usize, 0u64);
    let mut files = Vec::new();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        walked += 1;
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        walked_bytes += size;
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let Some(lang) = Lang::from_path(&rel) else { continue };
        if size > MAX_FILE_BYTES || !CodeIngestor.accepts(&rel) {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else { continue };
        if bytes[..bytes.len().min(8192)].contains(&0) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        if extract::skip_reason(&text).is_none() {
            files.push(File { rel, lang, text });
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    (walked, walked_bytes, files)
}

/// This process's user + system CPU seconds (Linux `/proc/self/stat`; 0 elsewhere),
/// so a phase can be compared with `/usr/bin/time`'s user + sys of an ingest
/// when other work on the machine stretches wall times.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // USER_HZ is 100 on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

fn lines(s: &str) -> usize {
    let n = s.bytes().filter(|b| *b == b'\n').count();
    n + usize::from(!s.is_empty() && !s.ends_with('\n'))
}

/// (a) parse only; returns a checksum so the work is not optimised away.
fn parse_only(f: &File) -> usize {
    extract::parse(f.lang, &f.text).map_or(0, |t| t.root_node().descendant_count())
}

/// (b) parse plus the defs and refs queries; returns the number of captures.
fn parse_and_tag(f: &File) -> usize {
    let Some(tree) = extract::parse(f.lang, &f.text) else { return 0 };
    let Some(q) = lang::queries(f.lang) else { return 0 };
    let root = tree.root_node();
    let mut captures = 0;
    for query in [&q.defs, &q.refs] {
        let mut cursor = QueryCursor::new();
        let mut matches = cursor.matches(query, root, f.text.as_bytes());
        while let Some(m) = matches.next() {
            captures += m.captures.len();
        }
    }
    captures
}

/// (c) the code ingestor's full extraction; returns nodes + edges + refs.
fn full_extract(f: &File) -> usize {
    let facts = CodeIngestor.ingest(&SourceFile { repo: "r", path: &f.rel, content: &f.text });
    facts.nodes.len() + facts.edges.len() + facts.refs.len()
}

/// One timed phase: work on a file, returning a count.
type Phase = fn(&File) -> usize;

fn main() {
    let mut dir: Option<String> = None;
    let mut threads = 2usize;
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).expect("--threads N"),
            "--repeat" => repeat = args.next().and_then(|v| v.parse().ok()).expect("--repeat R"),
            _ => dir = Some(a),
        }
    }
    let dir = dir.expect("usage: baseline DIR [--threads N] [--repeat R]");
    let threads = threads.max(1);
    let repeat = repeat.max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();

    let t = Instant::now();
    let (walked, walked_bytes, files) = load(Path::new(&dir));
    let load_s = t.elapsed().as_secs_f64();
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let total_lines: usize = files.iter().map(|f| lines(&f.text)).sum();
    let mut per_lang: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for f in &files {
        let e = per_lang.entry(f.lang.name()).or_default();
        e.0 += 1;
        e.1 += lines(&f.text);
    }
    println!("== {dir} ({threads} threads, best of {repeat})");
    println!(
        "walked {walked} files ({:.1} MB), walk+read {load_s:.2}s single thread; code files parsed: {} ({:.1} MB, {} lines)",
        walked_bytes as f64 / 1e6,
        files.len(),
        bytes as f64 / 1e6,
        total_lines
    );
    println!("by language: {per_lang:?}");

    // Compile the queries and create every thread's parsers before timing.
    for l in Lang::ALL {
        let _ = lang::queries(*l);
    }
    pool.install(|| {
        rayon::broadcast(|_| {
            for l in Lang::ALL {
                let _ = extract::parse(*l, "");
            }
        })
    });

    let phases: [(&str, Phase); 3] = [
        ("(a) raw parse", parse_only),
        ("(b) parse + defs/refs queries", parse_and_tag),
        ("(c) full code extraction", full_extract),
    ];
    let mut walls = Vec::new();
    for (label, work) in phases {
        let (mut best, mut best_cpu) = (f64::INFINITY, f64::INFINITY);
        let mut count = 0usize;
        for _ in 0..repeat {
            let (t, c) = (Instant::now(), cpu_seconds());
            count = pool.install(|| files.par_iter().map(work).sum());
            best = best.min(t.elapsed().as_secs_f64());
            best_cpu = best_cpu.min(cpu_seconds() - c);
        }
        walls.push(best);
        println!(
            "{label:<32} wall {best:>7.2}s  cpu {best_cpu:>7.2}s  {:>6.1} MB/s  {:>9.0} lines/s/core  (count {count})",
            bytes as f64 / 1e6 / best,
            total_lines as f64 / best / threads as f64,
        );
    }
    println!(
        "(b) ÷ (a) = {:.2}x, (c) ÷ (b) = {:.2}x, (c) ÷ (a) = {:.2}x",
        walls[1] / walls[0],
        walls[2] / walls[1],
        walls[2] / walls[0]
    );
}
