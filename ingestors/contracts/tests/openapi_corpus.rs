//! Corpus run over real repositories (ignored; run on purpose):
//! `BRAIN_CORPUS=/path/to/checkouts cargo test -p brain-ingest-contracts --test openapi_corpus -- --ignored --nocapture`
//!
//! Ingests every YAML/JSON file with the OpenAPI, AsyncAPI and JSON Schema
//! ingestors, diffs each spec against itself (must be empty), and prints
//! per-file node counts, diagnostics and parse times. It asserts only that
//! nothing panics and self-diffs are empty.

use brain_ingest_contracts::{diff_asyncapi, diff_openapi, AsyncApiIngestor, JsonSchemaIngestor, OpenApiIngestor};
use brain_model::{Ingestor, SourceFile};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != ".git" && n != "node_modules") {
                walk(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json") {
            out.push(p);
        }
    }
}

#[test]
#[ignore]
fn corpus() {
    let Ok(root) = std::env::var("BRAIN_CORPUS") else {
        eprintln!("BRAIN_CORPUS not set");
        return;
    };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let ingestors: [&dyn Ingestor; 3] = [&OpenApiIngestor, &AsyncApiIngestor, &JsonSchemaIngestor];
    let (mut specs, mut nodes, mut diags, mut bad_self_diffs) = (0usize, 0usize, 0usize, 0usize);
    for path in &files {
        let Ok(content) = std::fs::read_to_string(path) else { continue };
        let rel = path.strip_prefix(&root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        for ing in ingestors {
            if !ing.accepts(&rel) {
                continue;
            }
            let t = Instant::now();
            let f = ing.ingest(&SourceFile { repo: "corpus", path: &rel, content: &content });
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            if f.is_empty() {
                continue;
            }
            specs += 1;
            nodes += f.nodes.len();
            diags += f.diagnostics.len();
            let ops = f.nodes.iter().filter(|n| n.kind == brain_model::NodeKind::Operation).count();
            let types = f.nodes.iter().filter(|n| n.kind == brain_model::NodeKind::DataType).count();
            let fields = f.nodes.iter().filter(|n| n.kind == brain_model::NodeKind::Field).count();
            println!(
                "{} {rel}: {} bytes, {ms:.1} ms, {} nodes ({ops} ops, {types} types, {fields} fields), {} refs, {} diags",
                ing.name(),
                content.len(),
                f.nodes.len(),
                f.refs.len(),
                f.diagnostics.len()
            );
            for d in f.diagnostics.iter().take(5) {
                println!("    {}", d.render());
            }
            let self_diff = match ing.name() {
                "openapi" => diff_openapi(&content, &content, &rel, &rel).map(|c| c.len()),
                "asyncapi" => diff_asyncapi(&content, &content, &rel, &rel).map(|c| c.len()),
                _ => Ok(0),
            };
            if !matches!(self_diff, Ok(0)) && !f.diagnostics.iter().any(|d| d.code.ends_with(".parse")) {
                bad_self_diffs += 1;
                println!("    self-diff: {self_diff:?}");
            }
        }
    }
    println!(
        "{} files, {specs} specs, {nodes} nodes, {diags} diagnostics, {bad_self_diffs} non-empty self-diffs",
        files.len()
    );
    assert_eq!(bad_self_diffs, 0);
}
