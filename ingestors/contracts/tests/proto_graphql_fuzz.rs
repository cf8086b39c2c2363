//! Deterministic mini-fuzz: token soup from both grammars (with non-ASCII
//! text, unterminated strings and comments) through the ingestors, the diffs
//! and the template extractor. Passing means nothing panicked.

use brain_ingest_contracts::{
    diff_graphql, diff_proto, extract_operations_from_source, GraphqlIngestor, ProtoIngestor,
};
use brain_model::{Ingestor, SourceFile};

const PIECES: &[&str] = &[
    "message",
    "enum",
    "service",
    "rpc",
    "returns",
    "stream",
    "oneof",
    "map<",
    ">",
    "string",
    "int32",
    "repeated",
    "optional",
    "required",
    "group",
    "extend",
    "reserved",
    "extensions",
    "to",
    "max",
    "option",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ";",
    "=",
    ",",
    ".",
    "1",
    "-2",
    "0x1F",
    "1.5e3",
    "\"s\"",
    "\"é\\x",
    "'",
    "/*",
    "*/",
    "//",
    "\n",
    "syntax = \"proto3\";",
    "edition = \"2024\";",
    "local",
    "export",
    "import",
    "package a.b;",
    "type",
    "query",
    "mutation",
    "fragment",
    "on",
    "...",
    "@deprecated",
    "input",
    "union",
    "|",
    "!",
    ":",
    "$v",
    "\"\"\"",
    "#",
    "gql`",
    "`",
    "${",
    "名前",
    "\u{1F600}",
    " ",
];

/// A small LCG so the test is deterministic without a dependency.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

#[test]
fn token_soup_never_panics() {
    let mut rng = Lcg(42);
    let mut prev = String::new();
    for _ in 0..1500 {
        let n = rng.next() % 60;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[rng.next() % PIECES.len()]);
            if matches!(rng.next() % 3, 0) {
                s.push(' ');
            }
        }
        let _ = ProtoIngestor.ingest(&SourceFile { repo: "r", path: "x.proto", content: &s });
        let _ = GraphqlIngestor.ingest(&SourceFile { repo: "r", path: "x.graphql", content: &s });
        let _ = extract_operations_from_source(&s);
        let _ = diff_proto(&prev, &s, "a.proto", "b.proto");
        let _ = diff_graphql(&prev, &s, "a.graphql", "b.graphql");
        prev = s;
    }
}
