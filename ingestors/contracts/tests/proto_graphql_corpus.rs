//! Corpus run over real repositories (ignored by default):
//! `CORPUS_DIR=/path/to/checkout cargo test -p brain-ingest-contracts --test proto_graphql_corpus -- --ignored --nocapture`
//! Ingests every `.proto` and GraphQL file under the directory, and prints
//! counts, time and the diagnostics found (the ingestors must never panic).

use brain_ingest_contracts::graphql::{extract_operations_from_source, GraphqlIngestor};
use brain_ingest_contracts::proto::ProtoIngestor;
use brain_model::{Ingestor, NodeKind, SourceFile};
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
#[ignore]
fn corpus() {
    let Ok(root) = std::env::var("CORPUS_DIR") else { return };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    walk(&root, &mut files);
    let ingestors: [&dyn Ingestor; 2] = [&ProtoIngestor, &GraphqlIngestor];
    for ing in ingestors {
        let start = std::time::Instant::now();
        let (mut n_files, mut nodes, mut ops, mut fields, mut diags, mut bad_files) = (0, 0, 0, 0, 0, 0);
        for p in &files {
            let rel = p.strip_prefix(&root).unwrap_or(p).to_string_lossy().replace('\\', "/");
            if !ing.accepts(&rel) {
                continue;
            }
            let Ok(content) = std::fs::read_to_string(p) else { continue };
            n_files += 1;
            let f = ing.ingest(&SourceFile { repo: "corpus", path: &rel, content: &content });
            nodes += f.nodes.len();
            ops += f.nodes.iter().filter(|n| n.kind == NodeKind::Operation).count();
            fields += f.nodes.iter().filter(|n| n.kind == NodeKind::Field).count();
            if !f.diagnostics.is_empty() {
                bad_files += 1;
                diags += f.diagnostics.len();
                for d in f.diagnostics.iter().take(3) {
                    println!("{}", d.render());
                }
            }
        }
        println!(
            "{}: {n_files} files, {nodes} nodes ({ops} operations, {fields} fields), {diags} diagnostics in {bad_files} files, {:?}",
            ing.name(),
            start.elapsed()
        );
    }
    // Client operations embedded in JS/TS sources (gql`...` templates).
    let (mut srcs, mut ops, mut roots, mut reads) = (0, 0, 0, 0);
    for p in &files {
        let rel = p.to_string_lossy();
        if ![".ts", ".tsx", ".js", ".jsx"].iter().any(|x| rel.ends_with(x)) || rel.contains("node_modules") {
            continue;
        }
        let Ok(content) = std::fs::read_to_string(p) else { continue };
        let found = extract_operations_from_source(&content);
        if !found.is_empty() {
            srcs += 1;
        }
        ops += found.len();
        roots += found.iter().map(|o| o.root_fields.len()).sum::<usize>();
        reads += found.iter().map(|o| o.reads.len()).sum::<usize>();
    }
    println!("embedded: {ops} operations/fragments in {srcs} source files, {roots} root fields, {reads} field reads");
}
