//! Ingest and search benchmarks on a synthetic organisation, with the raw
//! tree-sitter parse of the same files (same thread count) as the baseline.
//!
//! `cargo bench -p brain --bench pipeline`; size with BRAIN_BENCH_REPOS and
//! BRAIN_BENCH_FILES (defaults 4 repos x 100 files).

use brain_ingest::{Brain, Config, NoProgress};
use brain_store::SearchQuery;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d)
}

struct Org {
    _dir: tempfile::TempDir,
    root: PathBuf,
    config: Config,
    sources: Vec<(PathBuf, String)>,
    bytes: u64,
}

fn org() -> Org {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("org");
    let spec = brain_synth::SynthSpec {
        repos: env_usize("BRAIN_BENCH_REPOS", 4),
        files_per_repo: env_usize("BRAIN_BENCH_FILES", 100),
        functions_per_file: 10,
    };
    brain_synth::generate(&root, &spec).expect("synth");
    let config = Config::load(&root.join("brain.toml")).expect("config");
    let mut sources = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(ext) = p.extension().and_then(|x| x.to_str()) {
                if ["rs", "ts", "py", "go"].contains(&ext) {
                    let text = std::fs::read_to_string(&p).expect("read");
                    sources.push((p, text));
                }
            }
        }
    }
    let bytes = sources.iter().map(|(_, t)| t.len() as u64).sum();
    Org { _dir: dir, root, config, sources, bytes }
}

fn language(path: &Path) -> tree_sitter::Language {
    match path.extension().and_then(|x| x.to_str()) {
        Some("rs") => tree_sitter_rust::LANGUAGE.into(),
        Some("ts") => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Some("py") => tree_sitter_python::LANGUAGE.into(),
        _ => tree_sitter_go::LANGUAGE.into(),
    }
}

fn ingest_all(brain: &Brain, config: &Config) {
    for r in &config.repos {
        brain.ingest_repo(r, &NoProgress).expect("ingest");
    }
}

fn bench_ingest(c: &mut Criterion) {
    let org = org();
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).throughput(Throughput::Bytes(org.bytes));
    g.bench_function(BenchmarkId::new("raw_tree_sitter_parse", org.sources.len()), |b| {
        b.iter(|| {
            org.sources.par_iter().for_each(|(p, text)| {
                let mut parser = tree_sitter::Parser::new();
                parser.set_language(&language(p)).expect("language");
                let tree = parser.parse(text, None);
                std::hint::black_box(tree);
            })
        })
    });
    g.bench_function(BenchmarkId::new("full_ingest", org.sources.len()), |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("tempdir"),
            |data| {
                let brain = Brain::open(data.path(), brain_stack::ingestors(), brain_stack::passes()).expect("open");
                ingest_all(&brain, &org.config);
            },
            criterion::BatchSize::PerIteration,
        )
    });
    let data = tempfile::tempdir().expect("tempdir");
    let brain = Brain::open(data.path(), brain_stack::ingestors(), brain_stack::passes()).expect("open");
    ingest_all(&brain, &org.config);
    g.throughput(Throughput::Elements(1));
    g.bench_function("reingest_unchanged_repo", |b| {
        b.iter(|| brain.ingest_repo(&org.config.repos[0], &NoProgress).expect("ingest"))
    });
    let target = org.root.join("svc0000/src/mod0000.rs");
    let original = std::fs::read_to_string(&target).expect("read");
    let mut round = 0u64;
    g.bench_function("reingest_one_changed_file", |b| {
        b.iter(|| {
            round += 1;
            std::fs::write(&target, format!("{original}\n// edit {round}\n")).expect("write");
            brain.ingest_repo(&org.config.repos[0], &NoProgress).expect("ingest")
        })
    });
    g.finish();

    let mut s = c.benchmark_group("search");
    for q in ["created at", "step 3 1", "fetch item"] {
        s.bench_function(BenchmarkId::new("query", q), |b| {
            b.iter(|| brain.search(&SearchQuery { text: q.into(), limit: 20, ..Default::default() }).expect("search"))
        });
    }
    s.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);
