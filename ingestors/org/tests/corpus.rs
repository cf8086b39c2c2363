//! Slow corpus runs on real repositories, on purpose only:
//! `ORG_CORPUS=/path/to/dir cargo test -p brain-ingest-org --test corpus -- --ignored --nocapture`
//! where every subdirectory of the folder is one repo (named after the folder,
//! `owner+name` becomes `owner/name`; `ORG_ADR_DIRS=a,b` adds ADR folders). Prints per-ingestor counts, diagnostics
//! by code and timings; fails only on a panic.

mod common;

use brain_model::{Facts, SourceFile};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

fn walk(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git" || n == "node_modules") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if e.metadata().map(|m| m.len() < 2_000_000).unwrap_or(false) {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    let rel = p.strip_prefix(root).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
                    out.push((rel, text));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("ORG_CORPUS") else { return };
    let mut all = Vec::new();
    let Ok(rd) = std::fs::read_dir(&dir) else { return };
    let mut repos: Vec<_> = rd.flatten().filter(|e| e.path().is_dir()).map(|e| e.path()).collect();
    repos.sort();
    for path in repos {
        let repo = path.file_name().map(|n| n.to_string_lossy().replace('+', "/")).unwrap_or_default();
        let files = walk(&path);
        let mut facts = common::file_facts(&repo, &files);
        println!("== {repo}: {} files", files.len());
        let mut ingestors = brain_ingest_org::ingestors();
        // ORG_ADR_DIRS=examples,x/y adds ADR directories (AdrIngestor::with_dirs)
        if let Ok(extra) = std::env::var("ORG_ADR_DIRS") {
            let mut dirs: Vec<String> = brain_ingest_org::adr::DEFAULT_DIRS.iter().map(|s| s.to_string()).collect();
            dirs.extend(extra.split(',').map(str::to_string));
            ingestors.retain(|i| i.name() != "adr");
            ingestors.push(Box::new(brain_ingest_org::AdrIngestor::with_dirs(dirs)));
        }
        for ing in ingestors {
            let t = Instant::now();
            let mut f = Facts::default();
            let mut n_files = 0;
            for (p, content) in &files {
                if ing.accepts(p) {
                    let out = ing.ingest(&SourceFile { repo: &repo, path: p, content });
                    if !out.is_empty() {
                        n_files += 1;
                    }
                    f.extend(out);
                }
            }
            if f.is_empty() {
                continue;
            }
            let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
            for n in &f.nodes {
                *kinds.entry(n.kind.to_string()).or_default() += 1;
            }
            let mut codes: BTreeMap<String, usize> = BTreeMap::new();
            for d in &f.diagnostics {
                *codes.entry(d.code.clone()).or_default() += 1;
            }
            println!(
                "  {:<12} files={n_files} nodes={kinds:?} edges={} refs={} diags={codes:?} in {:?}",
                ing.name(),
                f.edges.len(),
                f.refs.len(),
                t.elapsed()
            );
            if std::env::var("ORG_CORPUS_VERBOSE").is_ok() {
                for d in f.diagnostics.iter().take(20) {
                    println!("    {}", d.render());
                }
            }
            if let Ok(kind) = std::env::var("ORG_CORPUS_DUMP") {
                for n in f.nodes.iter().filter(|n| n.kind.as_str() == kind) {
                    println!("    {} {:?} {:?}", n.id, n.name, n.attrs);
                }
            }
            facts.extend(f);
        }
        all.push(facts);
    }
    let t = Instant::now();
    let g = common::build(&all);
    println!("== graph: {:?} built in {:?}", g.stats(), t.elapsed());
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in g.diagnostics() {
        *codes.entry(d.code.as_str()).or_default() += 1;
    }
    println!("== diagnostics by code: {codes:?}");
    if let Ok(kinds) = std::env::var("ORG_CORPUS_EDGES") {
        let kinds: Vec<brain_model::EdgeKind> = kinds.split(',').filter_map(brain_model::EdgeKind::parse).collect();
        println!("{}", common::edges_of(&g, &kinds));
    }
    if std::env::var("ORG_CORPUS_VERBOSE").is_ok() {
        for d in g.diagnostics().filter(|d| !d.code.ends_with("syntax")).take(60) {
            println!("    {}", d.render());
        }
    }
}

/// CODEOWNERS at the scale of a large monorepo (about 1,500 rules, 20,000
/// files), generated: prints how long the pass takes. On purpose only.
#[test]
#[ignore]
fn codeowners_scale() {
    let mut rules = String::from("* @org/everyone\n");
    for i in 0..1400 {
        rules.push_str(&format!("/pkg/area{}/svc{i}/ @org/team{}\n", i % 40, i % 90));
    }
    for i in 0..60 {
        rules.push_str(&format!("/packages/p{i}/src/**/*logs* @org/logs\n*_gen{i}.go @org/gen\n"));
    }
    let mut files = vec![(".github/CODEOWNERS".to_string(), rules.clone())];
    for i in 0..20_000 {
        files.push((format!("pkg/area{}/svc{}/file{i}.go", i % 40, i % 1500), String::new()));
    }
    let (rs, _) = brain_ingest_org::codeowners::parse(&rules);
    let t = Instant::now();
    let mut matched = 0;
    for (p, _) in &files {
        if rs.owners_of(p).is_some() {
            matched += 1;
        }
    }
    println!("owners_of: {} rules x {} files, {matched} owned, in {:?}", rs.rules.len(), files.len(), t.elapsed());
    let mut facts = common::file_facts("acme/mono", &files);
    facts.extend(common::ingest(&brain_ingest_org::CodeownersIngestor, "acme/mono", &files));
    let t = Instant::now();
    let g = common::build(&[facts]);
    let stale = g.diagnostics().filter(|d| d.code == "codeowners.stale-rule").count();
    println!("pass (owns edges + stale rules): {} edges, {stale} stale rules, in {:?}", g.edge_count(), t.elapsed());
}
