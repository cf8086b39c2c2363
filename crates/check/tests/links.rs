//! Cross-file links through the real pipeline on small repositories written
//! here: what a reader of the code would say each line reads or calls.
mod common;

use brain_model::EdgeKind;

/// The fields read on `line` of `path`, as `Type.field` of the node they resolved to.
fn reads_on(g: &brain_graph::Graph, path: &str, line: u32) -> Vec<String> {
    let mut out: Vec<String> = g
        .edges()
        .filter(|e| e.kind == EdgeKind::ReadsField && e.prov.path == path)
        .filter(|e| e.prov.span.is_some_and(|s| s.start_line == line))
        .filter_map(|e| g.node(&e.to).map(|n| format!("{}:{}", n.prov.path, n.name)))
        .collect();
    out.sort();
    out.dedup();
    out
}

const SCHEMA: &str = "type Query { nowPlaying: Playing }
union Item = Track | Episode
type Playing { item: Item }
type Track { id: ID! name: String album: Album }
type Episode { id: ID! title: String }
type Album { id: ID! name: String }
";

/// `... on Track { name }` reads Track's fields in the schema, not the
/// generated client type of the same name.
#[test]
fn inline_fragments_read_the_schema_type_they_name() {
    let client = "import { gql } from '@apollo/client';
export const NOW = gql`
  query Now {
    nowPlaying {
      item {
        ... on Track {
          name
          album {
            name
          }
        }
        ... on Episode { title }
      }
    }
  }
`;
";
    let generated = "export type Track = { id: string; name?: string };\nexport type Album = { name?: string };\n";
    let g = common::ingest_files(&[("schema.graphql", SCHEMA), ("web/now.ts", client), ("web/types.ts", generated)]);
    assert_eq!(reads_on(&g, "web/now.ts", 7), vec!["schema.graphql:name"]);
    assert_eq!(reads_on(&g, "web/now.ts", 8), vec!["schema.graphql:album"]);
    assert_eq!(reads_on(&g, "web/now.ts", 9), vec!["schema.graphql:name"]);
    assert_eq!(reads_on(&g, "web/now.ts", 12), vec!["schema.graphql:title"]);
}
