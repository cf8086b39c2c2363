//! Prints the facts of files as the sorted listing used by the snapshots:
//! `cargo run -p brain-ingest-code --example dump -- ROOT REL_PATH...`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use brain_ingest_code::{render::render, CodeIngestor};
use brain_model::{Ingestor, SourceFile};

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: dump ROOT REL_PATH...");
    for rel in args {
        let content = std::fs::read_to_string(format!("{root}/{rel}")).expect("read");
        let facts = CodeIngestor.ingest(&SourceFile { repo: "r", path: &rel, content: &content });
        println!("### {rel}\n{}", render(&facts, "r", &rel));
    }
}
