//! A linked snapshot as bytes, so that opening a brain whose store has not
//! changed since the snapshot was written is one decode instead of loading
//! every unit and re-linking the whole graph.
//!
//! The encoding is compact: provenance strings (repository, path, ingestor)
//! are stored once in a table and referred to by index, edges name their ends
//! by node position instead of repeating both ids, and edges are not deduped
//! again on decode (they were when the snapshot was frozen). A [`SnapshotStamp`]
//! in front says which store generation, format and linker the bytes belong
//! to; a caller compares it with what it expects before decoding the body.
//! No IO here: the ingest crate writes and reads the file.

use crate::graph::{next_base_id, Base, Graph, RepoInfo};
use brain_model::{
    Attrs, Diagnostic, Edge, EdgeKind, Node, NodeId, NodeKind, Origin, Provenance, Reference, Span, Str,
};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef as _;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Bumped whenever the encoding below changes shape.
pub const SNAPSHOT_FORMAT: u32 = 3;
const MAGIC: [u8; 8] = *b"brainsnp";

/// What a snapshot was built from. A snapshot is only used when every field
/// matches what the opening brain expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotStamp {
    pub format: u32,
    /// Store generation the snapshot reflects.
    pub generation: u64,
    /// Identifies the linking code (version and link passes): a brain built
    /// with other passes or another version relinks instead.
    pub linker: String,
    /// The identity of the store the snapshot was built from: a snapshot
    /// copied from another data dir is never served as this one's.
    pub store: String,
}

/// Why bytes could not be read back as a snapshot.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a brain snapshot (bad magic bytes)")]
    Magic,
    #[error("snapshot is corrupt: {0}")]
    Corrupt(String),
}

#[derive(Serialize, Deserialize)]
struct WireProv {
    repo: u32,
    path: u32,
    ingestor: u32,
    span: Option<Span>,
    origin: Origin,
}

/// A node as decoded. [`NodeOut`] writes the same fields in the same order.
#[derive(Deserialize)]
struct WireNode {
    id: String,
    kind: NodeKind,
    name: String,
    prov: WireProv,
    attrs: Attrs,
    text: String,
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    kind: NodeKind,
    name: &'a str,
    prov: WireProv,
    attrs: &'a Attrs,
    text: &'a str,
}

/// An edge as decoded; [`EdgeOut`] writes it.
#[derive(Deserialize)]
struct WireEdge {
    from: u32,
    to: u32,
    kind: EdgeKind,
    prov: WireProv,
    attrs: Attrs,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    from: u32,
    to: u32,
    kind: EdgeKind,
    prov: WireProv,
    attrs: &'a Attrs,
}

#[derive(Serialize, Deserialize)]
struct WireRepo {
    name: String,
    root: String,
    commit: Option<String>,
    ingested_at: u64,
}

/// The body's first part as decoded; [`BodyOut`] writes the same fields in
/// the same order. The edges follow as a second part, so that the two decode
/// on two threads.
#[derive(Deserialize)]
struct Body {
    strings: Vec<String>,
    nodes: Vec<WireNode>,
    repos: Vec<WireRepo>,
    diagnostics: Vec<Diagnostic>,
    unresolved: Vec<Reference>,
    generation: u64,
}

#[derive(Serialize)]
struct BodyOut<'a> {
    strings: &'a [&'a str],
    nodes: Nodes<'a>,
    repos: Vec<WireRepo>,
    diagnostics: &'a [Diagnostic],
    unresolved: &'a [Reference],
    generation: u64,
}

/// Streams the graph's nodes into the serializer (no intermediate copies).
struct Nodes<'a>(&'a Graph, &'a StringTable<'a>);
struct Edges<'a>(&'a Graph, &'a StringTable<'a>);

impl Serialize for Nodes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Nodes(graph, table) = self;
        s.collect_seq(graph.base.g.node_weights().map(|n| NodeOut {
            id: &n.id.0,
            kind: n.kind,
            name: &n.name,
            prov: table.prov(&n.prov),
            attrs: &n.attrs,
            text: &n.text,
        }))
    }
}

impl Serialize for Edges<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Edges(graph, table) = self;
        s.collect_seq(graph.base.g.edge_references().map(|e| {
            let w = e.weight();
            EdgeOut {
                from: e.source().index() as u32,
                to: e.target().index() as u32,
                kind: w.kind,
                prov: table.prov(&w.prov),
                attrs: &w.attrs,
            }
        }))
    }
}

/// Provenance strings numbered in order of first use.
#[derive(Default)]
struct StringTable<'a> {
    index: HashMap<&'a str, u32>,
    strings: Vec<&'a str>,
}

impl<'a> StringTable<'a> {
    fn add(&mut self, s: &'a str) {
        if !self.index.contains_key(s) {
            self.index.insert(s, self.strings.len() as u32);
            self.strings.push(s);
        }
    }
    fn add_prov(&mut self, p: &'a Provenance) {
        self.add(&p.repo);
        self.add(&p.path);
        self.add(&p.ingestor);
    }
    fn get(&self, s: &str) -> u32 {
        // Every string was added in the first pass.
        self.index.get(s).copied().unwrap_or(0)
    }
    fn prov(&self, p: &Provenance) -> WireProv {
        WireProv {
            repo: self.get(&p.repo),
            path: self.get(&p.path),
            ingestor: self.get(&p.ingestor),
            span: p.span,
            origin: p.origin,
        }
    }
}

impl Graph {
    /// Writes the snapshot to `out`: `stamp` first (readable alone with
    /// [`read_stamp`]), then the body, streamed without copying the graph.
    /// Only an exact snapshot (no delta, see [`Graph::is_exact`]) is written.
    pub fn encode_to<W: std::io::Write>(&self, stamp: &SnapshotStamp, mut out: W) -> std::io::Result<()> {
        if !self.is_exact() {
            return Err(std::io::Error::other("only an exact snapshot is persisted"));
        }
        let mut table = StringTable::default();
        for n in self.base.g.node_weights() {
            table.add_prov(&n.prov);
        }
        for e in self.base.g.edge_weights() {
            table.add_prov(&e.prov);
        }
        let repos = self
            .repos
            .values()
            .map(|r| WireRepo {
                name: r.name.clone(),
                root: r.root.clone(),
                commit: r.commit.clone(),
                ingested_at: r.ingested_at,
            })
            .collect();
        let body = BodyOut {
            strings: &table.strings,
            nodes: Nodes(self, &table),
            repos,
            diagnostics: &self.base.diagnostics,
            unresolved: &self.base.unresolved,
            generation: self.generation,
        };
        out.write_all(&MAGIC)?;
        postcard::to_io(stamp, &mut out).map_err(std::io::Error::other)?;
        // Part one (strings, nodes, the rest) with its length in front, then the edges.
        let first = postcard::to_allocvec(&body).map_err(std::io::Error::other)?;
        out.write_all(&(first.len() as u64).to_le_bytes())?;
        out.write_all(&first)?;
        drop(first);
        postcard::to_io(&Edges(self, &table), &mut out).map_err(std::io::Error::other)?;
        out.flush()
    }

    /// The snapshot as bytes (see [`Graph::encode_to`]).
    pub fn encode(&self, stamp: &SnapshotStamp) -> Vec<u8> {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.encode_to(stamp, &mut out);
        out
    }

    /// Reads a snapshot written by [`Graph::encode`]. The caller checks the
    /// stamp ([`read_stamp`]) first; this only checks that the bytes are whole.
    pub fn decode(bytes: &[u8]) -> Result<(SnapshotStamp, Graph), SnapshotError> {
        let (stamp, rest) = split_stamp(bytes)?;
        let (len, rest) = rest.split_first_chunk::<8>().ok_or_else(|| corrupt("no body"))?;
        let len = usize::try_from(u64::from_le_bytes(*len)).map_err(|_| corrupt("body length"))?;
        if len > rest.len() {
            return Err(corrupt("body length"));
        }
        let (first, second) = rest.split_at(len);
        // The edges decode on a second thread while the nodes are decoded and indexed here.
        std::thread::scope(|scope| {
            let edges = scope.spawn(|| postcard::from_bytes::<Vec<WireEdge>>(second));
            let body: Body = postcard::from_bytes(first).map_err(|e| SnapshotError::Corrupt(e.to_string()))?;
            let edges = match edges.join() {
                Ok(Ok(edges)) => edges,
                Ok(Err(e)) => return Err(SnapshotError::Corrupt(e.to_string())),
                Err(_) => return Err(corrupt("edge decoding crashed")),
            };
            Ok((stamp, assemble(body, edges)?))
        })
    }
}

/// The graph from its decoded parts.
fn assemble(body: Body, edges: Vec<WireEdge>) -> Result<Graph, SnapshotError> {
    let strings: Vec<Str> = body.strings.iter().map(|s| Str::new(s)).collect();
    let prov = |p: WireProv| -> Result<Provenance, SnapshotError> {
        let s = |i: u32| strings.get(i as usize).cloned().ok_or_else(|| corrupt("string index"));
        Ok(Provenance { repo: s(p.repo)?, path: s(p.path)?, ingestor: s(p.ingestor)?, span: p.span, origin: p.origin })
    };
    let mut g: DiGraph<Arc<Node>, Arc<Edge>, u32> = DiGraph::with_capacity(body.nodes.len(), edges.len());
    let mut index = HashMap::with_capacity(body.nodes.len());
    let mut by_kind: HashMap<NodeKind, Vec<NodeIndex>> = HashMap::new();
    for n in body.nodes {
        let id = NodeId::new(n.id);
        let node =
            Node { id: id.clone(), kind: n.kind, name: n.name, prov: prov(n.prov)?, attrs: n.attrs, text: n.text };
        let i = g.add_node(Arc::new(node));
        by_kind.entry(n.kind).or_default().push(i);
        if index.insert(id, i).is_some() {
            return Err(corrupt("a node id appears twice"));
        }
    }
    for e in edges {
        let (a, b) = (NodeIndex::new(e.from as usize), NodeIndex::new(e.to as usize));
        let (Some(from), Some(to)) = (g.node_weight(a), g.node_weight(b)) else {
            return Err(corrupt("edge end out of range"));
        };
        let edge = Edge { from: from.id.clone(), to: to.id.clone(), kind: e.kind, prov: prov(e.prov)?, attrs: e.attrs };
        g.add_edge(a, b, Arc::new(edge));
    }
    let repos: BTreeMap<String, RepoInfo> = body
        .repos
        .into_iter()
        .map(|r| {
            let info = RepoInfo { name: r.name, root: r.root, commit: r.commit, ingested_at: r.ingested_at };
            (info.name.clone(), info)
        })
        .collect();
    let base = Base {
        id: next_base_id(),
        g,
        index,
        by_kind,
        diagnostics: body.diagnostics,
        unresolved: body.unresolved,
        ..Base::default()
    };
    Ok(Graph { base: Arc::new(base), delta: None, repos, generation: body.generation })
}

/// The stamp at the front of encoded snapshot bytes, without decoding the body.
pub fn read_stamp(bytes: &[u8]) -> Result<SnapshotStamp, SnapshotError> {
    split_stamp(bytes).map(|(stamp, _)| stamp)
}

fn split_stamp(bytes: &[u8]) -> Result<(SnapshotStamp, &[u8]), SnapshotError> {
    let rest = bytes.strip_prefix(&MAGIC[..]).ok_or(SnapshotError::Magic)?;
    postcard::take_from_bytes(rest).map_err(|e| SnapshotError::Corrupt(format!("stamp: {e}")))
}

fn corrupt(what: &str) -> SnapshotError {
    SnapshotError::Corrupt(what.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GraphBuilder;
    use brain_model::{attr::ns, Facts};

    fn stamp(generation: u64) -> SnapshotStamp {
        SnapshotStamp { format: SNAPSHOT_FORMAT, generation, linker: "test".into(), store: "s1".into() }
    }

    fn sample() -> Graph {
        let prov = |path: &str| Provenance::declared("acme/orders", path, Some(Span::new(3, 9)), "code");
        let mut f = Facts::default();
        let file = f.node(Node::new(NodeId::file("acme/orders", "src/a.rs"), NodeKind::File, "a.rs", prov("src/a.rs")));
        let sym = f.node(
            Node::new(NodeId::symbol("acme/orders", "src/a.rs", "run"), NodeKind::Symbol, "run", prov("src/a.rs"))
                .with_attr("signature", "fn run()")
                .with_text("runs"),
        );
        f.edge(Edge::new(file.clone(), EdgeKind::Contains, sym.clone(), prov("src/a.rs")).with_attr("k", "v"));
        f.reference(Reference::key(sym, EdgeKind::Consumes, ns::HTTP, "GET /nowhere", prov("src/a.rs")));
        f.reference(Reference::key(file, EdgeKind::Publishes, ns::TOPIC, "order.created", prov("src/a.rs")));
        let mut b = GraphBuilder::new().with_generation(7);
        b.set_repo(RepoInfo {
            name: "acme/orders".into(),
            root: "/r".into(),
            commit: Some("abc".into()),
            ingested_at: 5,
        });
        b.add_facts(&f);
        b.build(&[])
    }

    fn edges(g: &Graph) -> Vec<Edge> {
        let mut v: Vec<Edge> = g.edges().cloned().collect();
        v.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
        v
    }

    #[test]
    fn a_snapshot_reads_back_as_the_same_graph() {
        let g = sample();
        let bytes = g.encode(&stamp(7));
        assert_eq!(read_stamp(&bytes).expect("stamp"), stamp(7));
        let (s, back) = Graph::decode(&bytes).expect("decode");
        assert_eq!(s, stamp(7));
        assert_eq!(back.nodes().cloned().collect::<Vec<_>>(), g.nodes().cloned().collect::<Vec<_>>());
        assert_eq!(edges(&back), edges(&g));
        assert_eq!(back.repos(), g.repos());
        assert_eq!(back.unresolved().collect::<Vec<_>>(), g.unresolved().collect::<Vec<_>>());
        assert_eq!(back.diagnostics().collect::<Vec<_>>(), g.diagnostics().collect::<Vec<_>>());
        assert!(g.can_patch() && !back.can_patch(), "a snapshot read from disk links in full on its first write");
        assert_eq!(back.generation(), 7);
        assert_eq!(back.stats(), g.stats());
        let topic = NodeId::topic("order.created");
        assert_eq!(back.incoming(&topic).count(), 1);
        // Provenance strings are shared again after decoding.
        let mut nodes = back.nodes();
        let (a, b) = (nodes.next().expect("node"), nodes.next().expect("node"));
        assert!(Str::ptr_eq(&a.prov.repo, &b.prov.repo));
    }

    #[test]
    fn truncated_or_foreign_bytes_are_errors_not_panics() {
        let bytes = sample().encode(&stamp(1));
        assert!(matches!(Graph::decode(b"not a snapshot"), Err(SnapshotError::Magic)));
        for cut in [8, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(Graph::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 3;
        flipped[last] ^= 0xff;
        // A flipped byte either fails to decode or decodes to something; it never panics.
        let _ = Graph::decode(&flipped);
    }
}
