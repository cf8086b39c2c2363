//! Read-only views over the graph the rules share: consumer links to
//! operations, payload fields of an operation, field reads, owners, evidence.

use crate::model::Evidence;
use brain_graph::Graph;
use brain_model::attr;
use brain_model::{tyref, EdgeKind, Node, NodeId, NodeKind, RefTarget};

/// Attributes the flow link pass (`brain-ingest-code`) puts on reads it resolved to a type
/// but not to a field (kept here to avoid a dependency on the ingestor).
pub const MISSING_ON: &str = "missing_on";
pub const CASING_OF: &str = "casing_of";
pub const VIA: &str = "via";
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Attribute on `ReadsField` references: the expression the field is read from.
pub const RECEIVER: &str = "receiver";
/// Attribute on `ReadsField` references: `member`, `index` or `getter`.
pub const ACCESS: &str = "access";
/// Attribute on a spec operation's `UsesType` edge: `payload`, `request`, `response:200`, `response`.
pub const ROLE: &str = "role";
/// Proto field attributes naming generated accessors (set by the proto ingestor).
pub const BINDING_ATTRS: &[&str] = &["go_name", "java_getter", "csharp_name", "python_name", "js_name", "proto_name"];

/// How a consumer is linked to an operation.
#[derive(Clone, Debug)]
pub struct Link<'g> {
    /// The consuming symbol (or file, for GraphQL documents).
    pub consumer: &'g Node,
    pub op: &'g Node,
    pub kind: EdgeKind,
    pub line: Option<u32>,
}

/// A field read by consumer code, from an unresolved `ReadsField` reference.
#[derive(Clone, Debug)]
pub struct Read {
    pub from: NodeId,
    pub key: String,
    pub receiver: String,
    pub access: String,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
}

/// One field of a producer payload.
#[derive(Clone, Debug)]
pub struct PayloadField<'g> {
    pub node: &'g Node,
    pub wire: String,
    /// Top level of the payload (not a nested type's field).
    pub top: bool,
}

/// A read the flow link pass could not place on the type it resolved the receiver to:
/// no field has that name (or only one differing in casing).
#[derive(Clone, Debug)]
pub struct FlowMiss<'g> {
    pub from: NodeId,
    pub name: String,
    pub access: String,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    /// The type the receiver resolved to.
    pub ty: &'g Node,
    /// The field whose name differs only in casing, if any.
    pub casing: Option<&'g Node>,
    /// The boundary the value came through (`http|GET /orders/{}`), if it came straight from one.
    pub via: Option<String>,
    /// The read as written (`event["createdAt"]`), when the extractor kept it.
    pub text: Option<String>,
}

/// A code type bound to a boundary by the flow analysis: `decode` (a consumer decodes the
/// payload into it) or `encode` (a producer sends a value of it).
#[derive(Clone, Debug)]
pub struct Binding<'g> {
    pub symbol: &'g Node,
    pub ty: &'g Node,
    /// `kind|key` ([`brain_model::tyref::Bnd::encode`]).
    pub boundary: String,
    pub role: String,
    pub line: Option<u32>,
}

/// The shared index.
pub struct Index<'g> {
    pub graph: &'g Graph,
    /// Consumer links, by consumer file (`repo`, `path`).
    pub links_by_file: BTreeMap<(String, String), Vec<Link<'g>>>,
    /// Reads, by file (`repo`, `path`).
    pub reads_by_file: BTreeMap<(String, String), Vec<Read>>,
    owners: HashMap<NodeId, Vec<String>>,
    /// `(repo, path)` of specs that are copies of a spec in another repo.
    pub copies: BTreeSet<(String, String)>,
    /// Reads the flow link pass resolved to a type but to no field of it.
    pub flow_misses: Vec<FlowMiss<'g>>,
    /// Type bindings (decode/encode) by boundary.
    pub bindings: BTreeMap<String, Vec<Binding<'g>>>,
    /// Resolved flow reads per `(reader, type)`: how many reads of that type's fields agreed.
    pub flow_hits: HashMap<(NodeId, NodeId), usize>,
}

impl<'g> Index<'g> {
    pub fn new(graph: &'g Graph) -> Self {
        let mut links_by_file: BTreeMap<(String, String), Vec<Link<'g>>> = BTreeMap::new();
        let mut owners: HashMap<NodeId, Vec<String>> = HashMap::new();
        for n in graph.nodes() {
            if !matches!(n.kind, NodeKind::Symbol | NodeKind::File | NodeKind::Test) {
                continue;
            }
            for e in graph.outgoing(&n.id) {
                if !matches!(e.edge.kind, EdgeKind::Consumes | EdgeKind::Subscribes) {
                    continue;
                }
                if !matches!(e.other.kind, NodeKind::Operation | NodeKind::Topic) {
                    continue;
                }
                links_by_file.entry((n.prov.repo.to_string(), n.prov.path.to_string())).or_default().push(Link {
                    consumer: n,
                    op: e.other,
                    kind: e.edge.kind,
                    line: e.edge.prov.span.map(|s| s.start_line),
                });
            }
        }
        for e in graph.edges() {
            if e.kind == EdgeKind::Owns {
                let v = owners.entry(e.to.clone()).or_default();
                if !v.iter().any(|x| **x == *e.from.0) {
                    v.push(e.from.0.to_string());
                }
            }
        }
        let mut reads_by_file: BTreeMap<(String, String), Vec<Read>> = BTreeMap::new();
        for r in graph.unresolved() {
            if r.kind != EdgeKind::ReadsField {
                continue;
            }
            let RefTarget::Key { ns, key, .. } = &r.target else { continue };
            if ns != "field" {
                continue;
            }
            reads_by_file.entry((r.prov.repo.to_string(), r.prov.path.to_string())).or_default().push(Read {
                from: r.from.clone(),
                key: key.clone(),
                receiver: r.attr(RECEIVER).unwrap_or("").to_string(),
                access: r.attr(ACCESS).unwrap_or("").to_string(),
                repo: r.prov.repo.to_string(),
                path: r.prov.path.to_string(),
                line: r.prov.span.map(|s| s.start_line),
            });
        }
        let copies = crate::copies::copy_pairs(graph)
            .into_iter()
            .map(|(_, c)| (c.prov.repo.to_string(), c.prov.path.to_string()))
            .collect();
        let mut flow_misses = Vec::new();
        for r in graph.unresolved() {
            let RefTarget::Key { ns, .. } = &r.target else { continue };
            if ns != tyref::NS || r.kind != EdgeKind::ReadsField {
                continue;
            }
            let Some(ty) = r.attr(MISSING_ON).and_then(|t| graph.node(&NodeId::new(t))) else { continue };
            // A type found by its name alone is not evidence that a read is wrong.
            let conf: f32 = r.attr("type_confidence").and_then(|c| c.parse().ok()).unwrap_or(1.0);
            if conf < 0.85 {
                continue;
            }
            flow_misses.push(FlowMiss {
                from: r.from.clone(),
                name: r.attr(tyref::NAME).unwrap_or("").to_string(),
                access: r.attr(tyref::ACCESS).unwrap_or("").to_string(),
                repo: r.prov.repo.to_string(),
                path: r.prov.path.to_string(),
                line: r.prov.span.map(|s| s.start_line),
                ty,
                casing: r.attr(CASING_OF).and_then(|f| graph.node(&NodeId::new(f))),
                via: r.attr(VIA).map(str::to_string),
                text: r.attr("text").map(str::to_string),
            });
        }
        let mut bindings: BTreeMap<String, Vec<Binding<'g>>> = BTreeMap::new();
        let mut flow_hits: HashMap<(NodeId, NodeId), usize> = HashMap::new();
        for e in graph.edges() {
            if &*e.prov.ingestor != "flow" {
                continue;
            }
            match e.kind {
                EdgeKind::UsesType => {
                    let (Some(role), Some(b)) = (e.attr(tyref::ROLE), e.attr(tyref::BOUNDARY)) else { continue };
                    // Bindings hang off their boundary with the code in `symbol`.
                    let sym_id = e.attr("symbol").map(NodeId::new).unwrap_or_else(|| e.from.clone());
                    let (Some(sym), Some(ty)) = (graph.node(&sym_id), graph.node(&e.to)) else { continue };
                    let list = bindings.entry(b.to_string()).or_default();
                    if list.iter().any(|x| x.symbol.id == sym.id && x.ty.id == ty.id && x.role == role) {
                        continue;
                    }
                    list.push(Binding {
                        symbol: sym,
                        ty,
                        boundary: b.to_string(),
                        role: role.to_string(),
                        line: e.prov.span.map(|s| s.start_line),
                    });
                }
                EdgeKind::ReadsField => {
                    if let Some(owner) = graph.incoming(&e.to).find(|x| x.edge.kind == EdgeKind::HasField) {
                        *flow_hits.entry((e.from.clone(), owner.other.id.clone())).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
        Index { graph, links_by_file, reads_by_file, owners, copies, flow_misses, bindings, flow_hits }
    }

    /// The types producers send on a boundary: the contract's payload types (a spec
    /// operation, rpc, topic or GraphQL field answering to the key), else the types code
    /// producers were seen sending (`encode` bindings).
    pub fn producer_types(&self, boundary: &str) -> Vec<&'g Node> {
        let mut out: Vec<&'g Node> = Vec::new();
        if let Some(b) = tyref::Bnd::decode(boundary) {
            for op in self.boundary_nodes(&b) {
                for t in self.payload_types(op) {
                    if !out.iter().any(|x| x.id == t.id) {
                        out.push(t);
                    }
                }
            }
        }
        if out.is_empty() {
            for bnd in self.bindings.get(boundary).into_iter().flatten() {
                if bnd.role == "encode" && !out.iter().any(|x| x.id == bnd.ty.id) {
                    out.push(bnd.ty);
                }
            }
        }
        out
    }

    /// The operations or topic a boundary key names.
    pub fn boundary_nodes(&self, b: &tyref::Bnd) -> Vec<&'g Node> {
        use tyref::BndKind;
        match b.kind {
            BndKind::Topic => b.key.split(' ').filter_map(|k| self.graph.node(&NodeId::topic(k))).collect(),
            BndKind::Http | BndKind::HttpReq => self
                .graph
                .nodes_of_kind(NodeKind::Operation)
                .filter(|o| {
                    matches!((o.attr(attr::HTTP_METHOD), o.attr(attr::HTTP_PATH)), (Some(m), Some(p)) if brain_model::wire::http_key(m, p) == b.key)
                })
                .collect(),
            BndKind::Grpc | BndKind::GrpcReq => self
                .graph
                .nodes_of_kind(NodeKind::Operation)
                .filter(|o| {
                    o.attr("kind") == Some("rpc")
                        && matches!((o.attr("service"), o.attr("method")), (Some(s), Some(m)) if brain_model::wire::grpc_key(s, m) == b.key)
                })
                .collect(),
            BndKind::Gql => self.graph.nodes_of_kind(NodeKind::Operation).filter(|o| o.name == b.key).collect(),
        }
    }

    /// Whether a type is declared by a contract (a spec, proto or GraphQL schema), not by code.
    pub fn is_contract_type(&self, t: &Node) -> bool {
        t.attr(attr::LANGUAGE).is_none()
    }

    /// Whether some producer was seen sending this type.
    pub fn is_sent_type(&self, t: &Node) -> bool {
        self.bindings.values().flatten().any(|b| b.role == "encode" && b.ty.id == t.id)
    }

    /// Whether a node is declared in a spec that copies another repo's spec (or under a vendoring folder).
    pub fn in_copy(&self, n: &Node) -> bool {
        is_vendored_path(&n.prov.path) || self.copies.contains(&(n.prov.repo.to_string(), n.prov.path.to_string()))
    }

    /// Owner ids of a node, else of its file, else of its repo (the most specific wins).
    pub fn owners_of(&self, repo: &str, path: &str, entity: Option<&NodeId>) -> Vec<String> {
        let mut ids: Vec<NodeId> = Vec::new();
        if let Some(e) = entity {
            ids.push(e.clone());
        }
        if !path.is_empty() {
            ids.push(NodeId::file(repo, path));
        }
        ids.push(NodeId::repo(repo));
        for id in ids {
            if let Some(v) = self.owners.get(&id) {
                if !v.is_empty() {
                    let mut v = v.clone();
                    v.sort();
                    return v;
                }
            }
        }
        Vec::new()
    }

    /// Evidence for a node.
    pub fn node_evidence(&self, role: &str, node: &Node, detail: impl Into<String>) -> Evidence {
        Evidence {
            role: role.to_string(),
            repo: node.prov.repo.to_string(),
            path: node.prov.path.to_string(),
            line: node.prov.span.map(|s| s.start_line),
            entity: Some(node.id.0.to_string()),
            detail: detail.into(),
            owners: self.owners_of(&node.prov.repo, &node.prov.path, Some(&node.id)),
        }
    }

    /// Evidence at a location, owned through the entity or its file.
    pub fn at(
        &self,
        role: &str,
        repo: &str,
        path: &str,
        line: Option<u32>,
        entity: Option<&NodeId>,
        detail: impl Into<String>,
    ) -> Evidence {
        Evidence {
            role: role.to_string(),
            repo: repo.to_string(),
            path: path.to_string(),
            line,
            entity: entity.map(|e| e.0.to_string()),
            detail: detail.into(),
            owners: self.owners_of(repo, path, entity),
        }
    }

    /// The payload types an operation carries to its consumers: AsyncAPI
    /// `payload`, OpenAPI 2xx responses, proto `response`, GraphQL result type
    /// (the schema's own type, not a code type linked by name).
    pub fn payload_types(&self, op: &Node) -> Vec<&'g Node> {
        let mut out: Vec<&'g Node> = Vec::new();
        if op.kind == NodeKind::Topic {
            // A topic node: the payloads of the contract operations that publish to it.
            for e in self.graph.incoming(&op.id) {
                if e.edge.kind == EdgeKind::Publishes && e.other.kind == NodeKind::Operation {
                    for t in self.payload_types(e.other) {
                        if !out.iter().any(|n| n.id == t.id) {
                            out.push(t);
                        }
                    }
                }
            }
            return out;
        }
        let graphql = op.attr(attr::PROTOCOL) == Some("graphql");
        for e in self.graph.outgoing(&op.id) {
            if e.edge.kind != EdgeKind::UsesType || e.other.kind != NodeKind::DataType {
                continue;
            }
            let role = e.edge.attr(ROLE).unwrap_or("");
            let carried = if graphql {
                e.other.prov.repo == op.prov.repo && e.other.prov.path == op.prov.path
            } else {
                role == "payload" || role == "response" || role.starts_with("response:2")
            };
            if carried && !out.iter().any(|n| n.id == e.other.id) {
                out.push(e.other);
            }
        }
        out
    }

    /// The producer's own code field behind a contract field: a field with the
    /// same wire name in a code data type of the same name (`struct OrderCreated`
    /// for schema `OrderCreated`), declared in a repo that serves, implements or
    /// publishes the operation (or the contract's own repo). Only a unique match counts.
    pub fn producer_code_field(&self, op: &Node, field: &Node) -> Option<&'g Node> {
        let g = self.graph;
        let owner = g.incoming(&field.id).find(|e| e.edge.kind == EdgeKind::HasField).map(|e| e.other)?;
        let tname = brain_model::text::canonical_name(owner.name.rsplit('.').next().unwrap_or(&owner.name));
        let mut repos: BTreeSet<String> = BTreeSet::new();
        repos.insert(field.prov.repo.to_string());
        for e in g.incoming(&op.id) {
            if matches!(e.edge.kind, EdgeKind::Publishes | EdgeKind::Implements | EdgeKind::Exposes)
                && matches!(e.other.kind, NodeKind::Symbol | NodeKind::File)
            {
                repos.insert(e.other.prov.repo.to_string());
            }
        }
        let wire = wire_name(field);
        let mut found: Vec<&'g Node> = Vec::new();
        for t in g.nodes_of_kind(NodeKind::DataType) {
            if !repos.contains(t.prov.repo.as_str())
                || t.attr(attr::LANGUAGE).is_none()
                || is_generated(g, t)
                || brain_model::text::canonical_name(&t.name) != tname
            {
                continue;
            }
            found.extend(self.fields_of(t).into_iter().filter(|f| wire_name(f) == wire));
        }
        (found.len() == 1).then(|| found[0])
    }

    /// Fields of a data type.
    pub fn fields_of(&self, ty: &Node) -> Vec<&'g Node> {
        let mut v: Vec<&'g Node> = self
            .graph
            .outgoing(&ty.id)
            .filter(|e| e.edge.kind == EdgeKind::HasField && e.other.kind == NodeKind::Field)
            .map(|e| e.other)
            .collect();
        v.sort_by_key(|n| n.prov.span.map(|s| s.start_line));
        v
    }

    /// The data type a field's value is (its `UsesType` target in the same file), if any.
    pub fn field_type(&self, field: &Node) -> Option<&'g Node> {
        let mut cands: Vec<&'g Node> = self
            .graph
            .outgoing(&field.id)
            .filter(|e| e.edge.kind == EdgeKind::UsesType && e.other.kind == NodeKind::DataType)
            .map(|e| e.other)
            .collect();
        cands.sort_by_key(|n| (n.prov.repo != field.prov.repo || n.prov.path != field.prov.path, n.id.0.clone()));
        cands.into_iter().next()
    }

    /// Every field a payload carries: top-level fields and fields of nested types (bounded depth).
    pub fn payload_fields(&self, types: &[&'g Node]) -> Vec<PayloadField<'g>> {
        let mut out = Vec::new();
        let mut seen: BTreeSet<NodeId> = BTreeSet::new();
        let mut frontier: Vec<(&'g Node, bool)> = types.iter().map(|t| (*t, true)).collect();
        let mut depth = 0;
        while !frontier.is_empty() && depth < 4 {
            let mut next = Vec::new();
            for (t, top) in frontier {
                if !seen.insert(t.id.clone()) {
                    continue;
                }
                for f in self.fields_of(t) {
                    out.push(PayloadField { node: f, wire: wire_name(f).to_string(), top });
                    if let Some(nt) = self.field_type(f) {
                        next.push((nt, false));
                    }
                }
            }
            frontier = next;
            depth += 1;
        }
        out
    }

    /// Language of a file (from its node, else its extension).
    pub fn language(&self, repo: &str, path: &str) -> String {
        if let Some(l) = self.graph.node(&NodeId::file(repo, path)).and_then(|n| n.attr(attr::LANGUAGE)) {
            return l.to_string();
        }
        let ext = path.rsplit('.').next().unwrap_or("");
        match ext {
            "py" => "python",
            "ts" | "tsx" | "mts" | "cts" => "typescript",
            "js" | "jsx" | "mjs" | "cjs" => "javascript",
            "go" => "go",
            "rs" => "rust",
            "java" => "java",
            "kt" | "kts" => "kotlin",
            "cs" => "csharp",
            "graphql" | "gql" => "graphql",
            _ => "",
        }
        .to_string()
    }

    /// Files a file imports (resolved `Imports` edges to file nodes).
    pub fn imported_files(&self, repo: &str, path: &str) -> Vec<(String, String)> {
        self.graph
            .outgoing(&NodeId::file(repo, path))
            .filter(|e| e.edge.kind == EdgeKind::Imports && e.other.kind == NodeKind::File)
            .map(|e| (e.other.prov.repo.to_string(), e.other.prov.path.to_string()))
            .collect()
    }

    /// Data types declared in a file.
    pub fn types_in_file(&self, repo: &str, path: &str) -> Vec<&'g Node> {
        self.graph
            .outgoing(&NodeId::file(repo, path))
            .filter(|e| e.edge.kind == EdgeKind::Contains && e.other.kind == NodeKind::DataType)
            .map(|e| e.other)
            .collect()
    }
}

/// The wire name of a field node.
pub fn wire_name(f: &Node) -> &str {
    f.attr(attr::WIRE_NAME).unwrap_or(&f.name)
}

/// Whether a field is required on the wire and not nullable.
pub fn is_guaranteed(f: &Node) -> bool {
    f.attr(attr::REQUIRED) == Some("true") && f.attr(attr::NULLABLE) != Some("true")
}

/// Whether a node is generated code.
pub fn is_generated(graph: &Graph, n: &Node) -> bool {
    n.attr(attr::GENERATED) == Some("true")
        || graph
            .node(&NodeId::file(&n.prov.repo, &n.prov.path))
            .is_some_and(|f| f.attr(attr::GENERATED) == Some("true"))
}

/// A short name of the boundary an operation is (`topic order.created`, `GET /orders/{id}`).
pub fn boundary_of(op: &Node) -> String {
    if let Some(t) = op.attr(attr::TOPIC) {
        return format!("topic {t}");
    }
    if op.kind == NodeKind::Topic {
        return format!("topic {}", op.name);
    }
    if let Some(q) = op.attr("qualified_name") {
        return q.to_string();
    }
    op.name.clone()
}

/// Whether a path is under a vendoring folder (`vendor/`, `third_party/`, ...).
pub fn is_vendored_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    ["vendor/", "third_party/", "third-party/", "external/", "vendored/", "deps/"]
        .iter()
        .any(|v| p.starts_with(v) || p.contains(&format!("/{v}")))
}
