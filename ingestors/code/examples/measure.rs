//! Corpus measurement: ingest throughput against a raw tree-sitter parse of
//! the same files in the same run, and definition recall against `ctags -R`.
//!
//! `cargo run --release -p brain-ingest-code --example measure -- DIR [DIR...]`
//! (set `CTAGS=0` to skip the ctags comparison, `MISSES=n` to print n misses, `DIAGS=1` to print diagnostics).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brain_ingest_code::{extract, lang::Lang, CodeIngestor};
use brain_model::{Ingestor, NodeKind, SourceFile};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Directories skipped by the walk and, with the same list, by `ctags -R`
/// (a directory skipped on one side only reads as misses).
const SKIP_DIRS: &[&str] = &[".git", "node_modules", "target", "vendor", "dist", "build", "bin", "obj"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if SKIP_DIRS.contains(&name.as_str()) {
                continue;
            }
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    let misses: usize = std::env::var("MISSES").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    for dir in dirs {
        let root = Path::new(&dir);
        let mut paths = Vec::new();
        walk(root, &mut paths);
        let mut files: Vec<(String, String)> = Vec::new();
        for p in paths {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if !CodeIngestor.accepts(&rel) {
                continue;
            }
            if let Ok(c) = std::fs::read_to_string(&p) {
                if extract::skip_reason(&c).is_none() {
                    files.push((rel, c));
                }
            }
        }
        let bytes: usize = files.iter().map(|(_, c)| c.len()).sum();
        // Warm up parsers and queries.
        for (rel, c) in files.iter().take(5) {
            let _ = CodeIngestor.ingest(&SourceFile { repo: "r", path: rel, content: c });
        }
        let t = Instant::now();
        for (rel, c) in &files {
            if let Some(l) = Lang::from_path(rel) {
                let tree = extract::parse(l, c);
                std::hint::black_box(tree.map(|t| t.root_node().child_count()));
            }
        }
        let parse_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let mut ours: HashMap<String, HashSet<String>> = HashMap::new();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut diags = 0usize;
        for (rel, c) in &files {
            let f = CodeIngestor.ingest(&SourceFile { repo: "r", path: rel, content: c });
            diags += f.diagnostics.len();
            if std::env::var("DIAGS").as_deref() == Ok("1") {
                for d in &f.diagnostics {
                    println!("  diag {rel}:{} {}", d.line.map(|l| l.to_string()).unwrap_or_default(), d.message);
                }
            }
            for n in &f.nodes {
                *counts.entry(n.kind.to_string()).or_default() += 1;
                if matches!(n.kind, NodeKind::Symbol | NodeKind::Test) {
                    let name = n.attr("qualified_name").unwrap_or(&n.name).to_string();
                    let simple = name.rsplit(['.', ':']).next().unwrap_or(&name).to_string();
                    ours.entry(rel.clone()).or_default().insert(simple);
                    ours.entry(rel.clone()).or_default().insert(n.name.clone());
                }
            }
            *counts.entry("refs".into()).or_default() += f.refs.len();
            *counts.entry("edges".into()).or_default() += f.edges.len();
        }
        let ingest_s = t.elapsed().as_secs_f64();
        println!("== {dir}");
        println!(
            "files {} ({:.1} MB); raw parse {:.2}s ({:.1} MB/s); ingest {:.2}s ({:.1} MB/s, {:.1}x parse); diagnostics {}",
            files.len(),
            bytes as f64 / 1e6,
            parse_s,
            bytes as f64 / 1e6 / parse_s,
            ingest_s,
            bytes as f64 / 1e6 / ingest_s,
            ingest_s / parse_s,
            diags
        );
        println!("counts {counts:?}");
        if std::env::var("CTAGS").as_deref() == Ok("0") {
            continue;
        }
        // ctags definitions: functions, methods, classes and kin.
        let out = std::process::Command::new("ctags")
            .args(["-R", "--output-format=json", "--fields=+nKl", "-f", "-"])
            .args(SKIP_DIRS.iter().map(|d| format!("--exclude={d}")))
            .arg(".")
            .current_dir(root)
            .output()
            .expect("ctags");
        let text = String::from_utf8_lossy(&out.stdout);
        let wanted = [
            "function",
            "method",
            "class",
            "interface",
            "struct",
            "enum",
            "trait",
            "member",
            "func",
            "implementation",
            "module",
            "namespace",
            "record",
            "typedef",
        ];
        let mut total: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut missed: Vec<String> = Vec::new();
        for line in text.lines() {
            let Ok(v) = serde_json_lite(line) else { continue };
            let (path, name, kind, lang) = v;
            let path = path.trim_start_matches("./").to_string();
            if !CodeIngestor.accepts(&path) || !wanted.contains(&kind.as_str()) {
                continue;
            }
            // Python "member" is a method; skip anonymous and synthesized names.
            if name.starts_with("__anon")
                || name.starts_with("Anonymous")
                || name.starts_with('<')
                || name.contains('$')
                || name.is_empty()
            {
                continue;
            }
            let key = format!("{lang}/{kind}");
            let e = total.entry(key).or_default();
            e.0 += 1;
            if ours.get(&path).is_some_and(|s| s.contains(&name)) {
                e.1 += 1;
            } else if missed.len() < misses {
                missed.push(format!("{path}: {kind} {name}"));
            }
        }
        let (all, hit) = total.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        println!("ctags recall {hit}/{all} = {:.1}%", 100.0 * hit as f64 / all.max(1) as f64);
        for (k, (n, h)) in &total {
            println!("  {k}: {h}/{n} = {:.1}%", 100.0 * *h as f64 / (*n).max(1) as f64);
        }
        for m in missed {
            println!("  miss {m}");
        }
    }
}

/// Pulls `path`, `name`, `kind` and `language` out of one ctags JSON line without a JSON dependency.
fn serde_json_lite(line: &str) -> Result<(String, String, String, String), ()> {
    let get = |key: &str| -> Option<String> {
        let pat = format!("\"{key}\": \"");
        let i = line.find(&pat)? + pat.len();
        let rest = &line[i..];
        let mut out = String::new();
        let mut esc = false;
        for c in rest.chars() {
            if esc {
                out.push(c);
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                break;
            } else {
                out.push(c);
            }
        }
        Some(out)
    };
    if !line.contains("\"_type\": \"tag\"") {
        return Err(());
    }
    Ok((get("path").ok_or(())?, get("name").ok_or(())?, get("kind").ok_or(())?, get("language").unwrap_or_default()))
}
