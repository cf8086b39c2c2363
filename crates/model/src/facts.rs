//! What one source file contributes to the graph.
//!
//! [`Facts`] are produced per file by ingestors and stored per file, so a
//! re-ingested file is one atomic replace. Edges whose far end lives in
//! another file (an import, a call, a client request) are not resolved by the
//! ingestor: it emits a [`Reference`] and the linker in `brain-graph` resolves
//! it against what every file [`Provide`]s when a snapshot is built.

use crate::{EdgeKind, NodeId, NodeKind, Provenance, Span};
use serde::{Deserialize, Serialize};

pub use crate::attrs::Attrs;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    pub kind: NodeKind,
    /// Short display name (`create_order`, `orders.yaml`, `@acme/payments`).
    pub name: String,
    pub prov: Provenance,
    pub attrs: Attrs,
    /// Searchable text: a doc comment, an ADR body, a file's content.
    pub text: String,
}

impl Node {
    pub fn new(id: NodeId, kind: NodeKind, name: impl Into<String>, prov: Provenance) -> Self {
        Node { id, kind, name: name.into(), prov, attrs: Attrs::new(), text: String::new() }
    }
    pub fn with_attr(mut self, key: &str, value: impl Into<String>) -> Self {
        self.attrs.insert(key, value.into());
        self
    }
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = text.into();
        self
    }
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }
    pub fn span(&self) -> Option<Span> {
        self.prov.span
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: EdgeKind,
    pub prov: Provenance,
    pub attrs: Attrs,
}

impl Edge {
    pub fn new(from: NodeId, kind: EdgeKind, to: NodeId, prov: Provenance) -> Self {
        Edge { from, to, kind, prov, attrs: Attrs::new() }
    }
    pub fn with_attr(mut self, key: &str, value: impl Into<String>) -> Self {
        self.attrs.insert(key, value.into());
        self
    }
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }
}

/// The far end of a [`Reference`], resolved by the linker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RefTarget {
    /// The first of these ids that exists in the graph (relative import candidates).
    AnyOf(Vec<NodeId>),
    /// Whatever [`Provide`]s `(ns, key)`. Declarations by nodes in `scope` (or
    /// contained in them) are preferred; see `brain-graph`'s linker for the rules.
    Key { ns: String, key: String, scope: Vec<NodeId> },
}

/// An edge whose target is not known when the file is parsed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub from: NodeId,
    pub kind: EdgeKind,
    pub target: RefTarget,
    pub prov: Provenance,
    pub attrs: Attrs,
}

impl Reference {
    pub fn key(from: NodeId, kind: EdgeKind, ns: &str, key: impl Into<String>, prov: Provenance) -> Self {
        Reference {
            from,
            kind,
            target: RefTarget::Key { ns: ns.to_string(), key: key.into(), scope: Vec::new() },
            prov,
            attrs: Attrs::new(),
        }
    }
    pub fn any_of(from: NodeId, kind: EdgeKind, candidates: Vec<NodeId>, prov: Provenance) -> Self {
        Reference { from, kind, target: RefTarget::AnyOf(candidates), prov, attrs: Attrs::new() }
    }
    pub fn with_scope(mut self, scope: Vec<NodeId>) -> Self {
        if let RefTarget::Key { scope: s, .. } = &mut self.target {
            *s = scope;
        }
        self
    }
    pub fn with_attr(mut self, key: &str, value: impl Into<String>) -> Self {
        self.attrs.insert(key, value.into());
        self
    }
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }
}

/// A declaration that `node` answers to `(ns, key)`: a module path, a package
/// name, an HTTP route, a topic, an rpc. Namespaces are listed in [`crate::attr::ns`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Provide {
    pub node: NodeId,
    pub ns: String,
    pub key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Something an ingestor or the linker wants a person to know: a file it
/// could not parse, a rule that matches nothing, a reference it could not resolve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `parse.syntax`, `codeowners.stale-rule`.
    pub code: String,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: &str,
        repo: &str,
        path: &str,
        line: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            repo: repo.to_string(),
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
    /// `path:line: severity[code]: message`
    pub fn render(&self) -> String {
        let loc = match self.line {
            Some(l) => format!("{}:{}:{}", self.repo, self.path, l),
            None => format!("{}:{}", self.repo, self.path),
        };
        format!("{loc}: {}[{}]: {}", self.severity.as_str(), self.code, self.message)
    }
}

/// Everything one file contributes. Produced by [`crate::Ingestor::ingest`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub refs: Vec<Reference>,
    pub provides: Vec<Provide>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
            && self.edges.is_empty()
            && self.refs.is_empty()
            && self.provides.is_empty()
            && self.diagnostics.is_empty()
    }
    pub fn node(&mut self, node: Node) -> NodeId {
        let id = node.id.clone();
        self.nodes.push(node);
        id
    }
    pub fn edge(&mut self, edge: Edge) {
        self.edges.push(edge);
    }
    pub fn reference(&mut self, r: Reference) {
        self.refs.push(r);
    }
    pub fn provide(&mut self, node: &NodeId, ns: &str, key: impl Into<String>) {
        self.provides.push(Provide { node: node.clone(), ns: ns.to_string(), key: key.into() });
    }
    pub fn diagnostic(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
    /// Appends another ingestor's facts for the same file.
    pub fn extend(&mut self, other: Facts) {
        self.nodes.extend(other.nodes);
        self.edges.extend(other.edges);
        self.refs.extend(other.refs);
        self.provides.extend(other.provides);
        self.diagnostics.extend(other.diagnostics);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_round_trip_through_postcard() {
        let prov = Provenance::declared("acme/orders", "src/api.rs", Some(Span::new(3, 9)), "code");
        let mut facts = Facts::default();
        let file =
            facts.node(Node::new(NodeId::file("acme/orders", "src/api.rs"), NodeKind::File, "api.rs", prov.clone()));
        let sym = facts.node(
            Node::new(NodeId::symbol("acme/orders", "src/api.rs", "create"), NodeKind::Symbol, "create", prov.clone())
                .with_attr(crate::attr::SIGNATURE, "fn create()"),
        );
        facts.edge(Edge::new(file.clone(), EdgeKind::Contains, sym.clone(), prov.clone()));
        facts.reference(Reference::key(
            sym.clone(),
            EdgeKind::Calls,
            crate::attr::ns::SYMBOL,
            "save",
            Provenance::inferred("acme/orders", "src/api.rs", Some(Span::line(5)), "code", 0.6),
        ));
        facts.provide(&sym, crate::attr::ns::SYMBOL, "create");
        let bytes = postcard::to_stdvec(&facts).expect("encode");
        let back: Facts = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(back, facts);
    }
}
