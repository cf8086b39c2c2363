//! Prints the syntax tree of a file, for writing queries: `cargo run -p brain-ingest-code --example sexp -- FILE`.
#![allow(clippy::unwrap_used)]

use brain_ingest_code::lang::Lang;

fn main() {
    let path = std::env::args().nth(1).expect("usage: sexp FILE");
    let src = std::fs::read_to_string(&path).unwrap();
    let lang = Lang::from_path(&path).expect("unknown language");
    let mut p = tree_sitter::Parser::new();
    p.set_language(&lang.grammar()).unwrap();
    let tree = p.parse(&src, None).unwrap();
    let mut cursor = tree.walk();
    print_node(&mut cursor, &src, 0);
}

fn print_node(c: &mut tree_sitter::TreeCursor, src: &str, depth: usize) {
    let n = c.node();
    if n.is_named() || n.is_error() || n.is_missing() {
        let field = c.field_name().map(|f| format!("{f}: ")).unwrap_or_default();
        let text = if n.child_count() == 0 { format!(" {:?}", &src[n.byte_range()]) } else { String::new() };
        println!("{}{field}{}{text} [{}]", "  ".repeat(depth), n.kind(), n.start_position().row + 1);
    }
    if c.goto_first_child() {
        loop {
            print_node(c, src, depth + 1);
            if !c.goto_next_sibling() {
                break;
            }
        }
        c.goto_parent();
    }
}
