//! [`FlowLinkPass`]: resolves the deferred types of the flow analysis
//! against the whole graph.
//!
//! A read `resp.GetProducts()[i].GetName()` arrives as a `ReadsField`
//! reference whose key is a [`TyRef`] (`B|grpc|ProductCatalogService/ListProducts>GetProducts[]`)
//! and whose `name` is `GetName`. The pass finds the rpc, its response
//! message, walks `GetProducts` to the field's message type and maps `GetName`
//! to the field `name` by the conventions of the reader's language (Go getters,
//! Java getters and setters, C# properties, proto-loader camelCase, wire names).
//! Named roots (`T|go:github.com/acme/gen|Product`) resolve through the
//! import they came from: a proto whose `go_package` (or `java_package`,
//! `csharp_namespace`, `<file>_pb2` module) matches, a type in a file the
//! reader imports, or a type unique by name in the repository.
//!
//! Type bindings (`UsesType`, role `decode`/`encode`) become edges to the
//! consumer's or producer's DataType. A producer's type is also what a payload
//! root of its boundary resolves to when no contract declares one, so a reader
//! of a spec-less producer's JSON is checked against the producer's struct.
//!
//! A read whose type resolves but whose name matches no field is kept as an
//! unresolved reference with [`MISSING_ON`] (and, for a name that differs only
//! in casing, [`CASING_OF`]) for the contract checks. Reads that resolve to no
//! type are dropped: a name-only match is not evidence.

use super::tyref::{Bnd, BndKind, Root, Step, TyRef};
use super::{ACCESS, ARG, ARG_OF, BOUNDARY, ENVELOPE, KEEP_CASE, NAME, NS, ROLE, ROLE_ARG, ROLE_RETURNS, ROLE_SENT};
use brain_graph::{LinkContext, LinkPass};
use brain_model::attr::{self, ns};
use brain_model::text::canonical_name;
use brain_model::{Edge, EdgeKind, Node, NodeId, NodeKind, Origin, RefTarget, Reference};
use std::collections::{HashMap, HashSet};

/// Attribute on unresolved flow reads: the type the read resolved to that has no such field.
pub const MISSING_ON: &str = "missing_on";
/// Attribute on unresolved flow reads: the field the name matches except for casing.
pub const CASING_OF: &str = "casing_of";
/// Attribute on unresolved flow reads: how confidently the receiver's type was resolved (0-1).
pub const TYPE_CONFIDENCE: &str = "type_confidence";
/// Attribute on resolved flow edges and unresolved reads: the boundary the read came through, if any.
pub const VIA: &str = "via";
/// Attribute on resolved flow edges seen on several lines: every line, comma-separated.
pub const LINES: &str = "lines";
/// Most copies of one contract type a read links to.
const MAX_COPIES: usize = 4;
/// Least confidence a named type must resolve with.
const MIN_CONFIDENCE: f32 = 0.5;

/// Link pass of the flow analysis (name `flow`).
#[derive(Clone, Copy, Debug, Default)]
pub struct FlowLinkPass;

impl LinkPass for FlowLinkPass {
    fn name(&self) -> &'static str {
        "flow"
    }

    fn run(&self, ctx: &mut LinkContext) {
        let all = ctx.take_unresolved();
        let mut flow = Vec::new();
        for r in all {
            match &r.target {
                RefTarget::Key { ns, .. } if ns == NS => flow.push(r),
                _ => ctx.push_unresolved(r),
            }
        }
        if flow.is_empty() {
            return;
        }
        let mut ix = Index::build(ctx);
        let mut out = Out::default();
        // Bindings first: a producer's type is a payload for the reads below.
        let mut producers: HashMap<Bnd, Vec<(NodeId, f32)>> = HashMap::new();
        for r in flow.iter().filter(|r| r.kind == EdgeKind::UsesType && r.attr(ROLE) != Some(ROLE_ARG)) {
            let (Some(t), Some(b)) = (key_tyref(r), r.attr(BOUNDARY).and_then(Bnd::decode)) else { continue };
            let types = ix.root_types(ctx, r, &t.root, &producers);
            // The binding hangs off the boundary (the topic carries `OrderPlaced`), with the code
            // that encodes or decodes it as `symbol`: an edge from that symbol would collide with
            // the signature's own `uses_type` edge to the same type (the graph keeps one per pair).
            let at = boundary_nodes(ctx, &b);
            let mut rr = r.clone();
            rr.attrs.insert(SYMBOL, r.from.as_str().to_string());
            for (ty, conf) in types.iter().take(MAX_COPIES) {
                if at.is_empty() {
                    out.edge(r, ty.clone(), *conf);
                }
                for from in &at {
                    rr.from = from.clone();
                    out.edge(&rr, ty.clone(), *conf);
                }
                ix.bound.insert(ty.clone());
                if r.attr(ROLE) == Some("encode") {
                    producers.entry(b.clone()).or_default().push((ty.clone(), *conf));
                }
            }
        }
        // What functions of other files return, and what their callers send that as.
        for r in flow.iter().filter(|r| r.kind == EdgeKind::UsesType) {
            let role = r.attr(ROLE);
            if role != Some(ROLE_RETURNS) && role != Some(ROLE_SENT) {
                continue;
            }
            let (Some(t), Some((module, func))) = (key_tyref(r), r.attr(ARG_OF).and_then(|c| c.rsplit_once('|')))
            else {
                continue;
            };
            let types = types_of(ctx, &ix, r, &t, &producers);
            let e = ix.rets.entry(func.to_string()).or_default();
            for (ty, c) in types.into_iter().take(MAX_COPIES) {
                e.push((module.to_string(), ty, c));
            }
        }
        // Values passed to functions of other files: what those functions' parameters are.
        for r in flow.iter().filter(|r| r.kind == EdgeKind::UsesType && r.attr(ROLE) == Some(ROLE_ARG)) {
            let (Some(t), Some((module, func)), Some(i)) = (
                key_tyref(r),
                r.attr(ARG_OF).and_then(|c| c.rsplit_once('|')),
                r.attr(ARG).and_then(|a| a.parse::<usize>().ok()),
            ) else {
                continue;
            };
            let types = types_of(ctx, &ix, r, &t, &producers);
            let map = if r.attr(ENVELOPE).is_some() { &mut ix.envelopes } else { &mut ix.args };
            let e = map.entry((func.to_string(), i)).or_default();
            for (ty, c) in types.into_iter().take(MAX_COPIES) {
                e.push((module.to_string(), ty, c));
            }
        }
        for r in flow.iter().filter(|r| r.kind != EdgeKind::UsesType) {
            resolve_access(ctx, &ix, r, &producers, &mut out);
        }
        let unresolved = std::mem::take(&mut out.unresolved);
        for e in out.merged() {
            ctx.add_edge(e);
        }
        for r in unresolved {
            ctx.push_unresolved(r);
        }
    }
}

#[derive(Default)]
struct Out {
    edges: Vec<Edge>,
    unresolved: Vec<Reference>,
    seen: HashSet<(NodeId, NodeId, EdgeKind, u32)>,
}

impl Out {
    /// One edge per `(from, kind, to)` (the graph keeps one): the first, with every line it
    /// was seen on in [`LINES`] when there are several (`resp.GetName()` read on three lines).
    fn merged(self) -> Vec<Edge> {
        let mut at: HashMap<(NodeId, EdgeKind, NodeId), usize> = HashMap::new();
        let mut lines: Vec<Vec<u32>> = Vec::new();
        let mut out: Vec<Edge> = Vec::new();
        for e in self.edges {
            let line = e.prov.span.map(|s| s.start_line).unwrap_or(0);
            let key = (e.from.clone(), e.kind, e.to.clone());
            match at.get(&key) {
                Some(&i) => {
                    if !lines[i].contains(&line) && lines[i].len() < 64 {
                        lines[i].push(line);
                    }
                }
                None => {
                    at.insert(key, out.len());
                    lines.push(vec![line]);
                    out.push(e);
                }
            }
        }
        for (e, ls) in out.iter_mut().zip(lines) {
            if ls.len() > 1 {
                let mut ls = ls;
                ls.sort_unstable();
                e.attrs.insert(LINES, ls.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
            }
        }
        out
    }

    fn edge(&mut self, r: &Reference, to: NodeId, confidence: f32) {
        let line = r.prov.span.map(|s| s.start_line).unwrap_or(0);
        if !self.seen.insert((r.from.clone(), to.clone(), r.kind, line)) {
            return;
        }
        let mut prov = r.prov.clone();
        prov.ingestor = "flow".to_string().into();
        prov.origin = Origin::inferred((r.prov.origin.confidence() * confidence).clamp(0.05, 1.0));
        let mut e = Edge::new(r.from.clone(), r.kind, to, prov);
        e.attrs = r.attrs.clone();
        self.edges.push(e);
    }
}

/// Attribute on type bindings hung off a boundary: the code that encodes or decodes the type.
pub const SYMBOL: &str = "symbol";

/// The nodes a boundary key names: its topic, or the operations providing its key.
fn boundary_nodes(ctx: &LinkContext, b: &Bnd) -> Vec<NodeId> {
    match b.kind {
        BndKind::Topic => b.key.split(' ').map(NodeId::topic).filter(|id| ctx.contains(id)).collect(),
        BndKind::Http | BndKind::HttpReq => ctx.providers(ns::HTTP, &b.key).iter().take(MAX_COPIES).cloned().collect(),
        BndKind::Grpc | BndKind::GrpcReq => ctx.providers(ns::GRPC, &b.key).iter().take(MAX_COPIES).cloned().collect(),
        BndKind::Gql => ctx.providers(ns::GRAPHQL, &b.key).iter().take(MAX_COPIES).cloned().collect(),
    }
}

fn key_tyref(r: &Reference) -> Option<TyRef> {
    match &r.target {
        RefTarget::Key { key, .. } => TyRef::decode(key),
        RefTarget::AnyOf(_) => None,
    }
}

/// (function, parameter) -> (module as imported, type passed, confidence).
type ArgTypes = HashMap<(String, usize), Vec<(String, NodeId, f32)>>;

/// What the pass looks up, built once from the graph's edges.
struct Index {
    fields_of: HashMap<NodeId, Vec<NodeId>>,
    field_type: HashMap<NodeId, NodeId>,
    /// Operation -> (role, type).
    op_types: HashMap<NodeId, Vec<(String, NodeId)>>,
    /// Topic -> contract operations publishing to it.
    topic_ops: HashMap<NodeId, Vec<NodeId>>,
    /// File -> files it imports.
    imports: HashMap<NodeId, HashSet<NodeId>>,
    /// Types some code decodes a payload into or sends (flow bindings).
    bound: HashSet<NodeId>,
    /// (function, parameter) -> (module the caller imported it from, type passed, confidence).
    args: ArgTypes,
    /// The same for parameters that receive a message envelope ([`ENVELOPE`]): the type is the
    /// payload that the envelope's `data` / `value` / `body` holds.
    envelopes: ArgTypes,
    /// Function -> (module, type it returns or its result is sent as, confidence).
    rets: HashMap<String, Vec<(String, NodeId, f32)>>,
    /// Per repository, every source directory and module path (file path without extension):
    /// whether a qualifier names code the graph holds.
    places: HashMap<String, HashSet<String>>,
}

impl Index {
    /// Whether the repository holds the code a qualifier names (`go:github.com/acme/x/internal/store`,
    /// `java:com.acme.orders.model`, `py:app.models`): a directory or module path ending like it.
    fn holds(&self, repo: &str, qual: &str) -> bool {
        let q = qual.split_once(':').map(|(_, q)| q).unwrap_or(qual);
        let q = q.trim_start_matches("./").replace(['.', '\\'], "/");
        let segs: Vec<&str> = q.split('/').filter(|s| !s.is_empty()).collect();
        let Some(places) = self.places.get(repo) else { return false };
        // A Go import path ends in the package's directory under its module (`internal/store`);
        // Java, C#, Python and JS qualifiers mirror the whole directory path (`com/acme/orders/model`).
        let keep = if qual.starts_with("go:") { 2 } else { 6 };
        let tail = segs.iter().rev().take(keep).rev().copied().collect::<Vec<_>>().join("/");
        !tail.is_empty() && places.iter().any(|p| p == &tail || p.ends_with(&format!("/{tail}")))
    }

    fn build(ctx: &LinkContext) -> Index {
        let mut ix = Index {
            fields_of: HashMap::new(),
            field_type: HashMap::new(),
            op_types: HashMap::new(),
            topic_ops: HashMap::new(),
            imports: HashMap::new(),
            bound: HashSet::new(),
            args: HashMap::new(),
            envelopes: HashMap::new(),
            rets: HashMap::new(),
            places: HashMap::new(),
        };
        for f in ctx.nodes_of_kind(NodeKind::File) {
            let path = f.prov.path.as_ref() as &str;
            let places = ix.places.entry(f.prov.repo.to_string()).or_default();
            if let Some((stem, _)) = path.rsplit_once('.') {
                places.insert(stem.to_string());
            }
            let mut dir = path;
            while let Some((d, _)) = dir.rsplit_once('/') {
                if !places.insert(d.to_string()) {
                    break;
                }
                dir = d;
            }
        }
        for e in ctx.edges() {
            match e.kind {
                EdgeKind::HasField => ix.fields_of.entry(e.from.clone()).or_default().push(e.to.clone()),
                EdgeKind::UsesType => {
                    if e.attr(ROLE).is_some() && e.attr(BOUNDARY).is_some() {
                        ix.bound.insert(e.to.clone());
                    }
                    if e.from.as_str().starts_with("field:") {
                        ix.field_type.entry(e.from.clone()).or_insert_with(|| e.to.clone());
                    } else if e.from.as_str().starts_with("op:") {
                        let role = e.attr("role").unwrap_or("").to_string();
                        ix.op_types.entry(e.from.clone()).or_default().push((role, e.to.clone()));
                    }
                }
                EdgeKind::Publishes if e.from.as_str().starts_with("op:") => {
                    ix.topic_ops.entry(e.to.clone()).or_default().push(e.from.clone())
                }
                EdgeKind::Imports if e.from.as_str().starts_with("file:") && e.to.as_str().starts_with("file:") => {
                    ix.imports.entry(e.from.clone()).or_default().insert(e.to.clone());
                }
                _ => {}
            }
        }
        ix
    }

    /// The DataTypes a root stands for, with a confidence each (copies of one contract type share it).
    fn root_types(
        &self,
        ctx: &LinkContext,
        r: &Reference,
        root: &Root,
        producers: &HashMap<Bnd, Vec<(NodeId, f32)>>,
    ) -> Vec<(NodeId, f32)> {
        match root {
            Root::Inline(name) => {
                let id = NodeId::data_type(&r.prov.repo, &r.prov.path, name);
                if ctx.contains(&id) {
                    vec![(id, 1.0)]
                } else {
                    Vec::new()
                }
            }
            Root::Payload(b) => self.payload_types(ctx, b, producers),
            Root::Named { qual, name } => named_types(ctx, self, r, qual, name),
            // Callers in other files import the function from the module this file is.
            Root::Param { module, func, index } => passed_types(&self.args, module, func, *index, 0.9),
            Root::Returned { module, func } => {
                // Either side names the module its own way: the callee by its path, callers as imported.
                let mut out: Vec<(NodeId, f32)> = Vec::new();
                for (m, ty, c) in self.rets.get(func).into_iter().flatten() {
                    let same = m == module || module_is_file(m, module) || module_is_file(module, m);
                    if same && !out.iter().any(|(x, _)| x == ty) {
                        out.push((ty.clone(), *c * 0.9));
                    }
                }
                out.truncate(MAX_COPIES);
                out
            }
        }
    }

    /// The types a boundary carries: the contract's, else the producers' own.
    fn payload_types(
        &self,
        ctx: &LinkContext,
        b: &Bnd,
        producers: &HashMap<Bnd, Vec<(NodeId, f32)>>,
    ) -> Vec<(NodeId, f32)> {
        let mut out: Vec<(NodeId, f32)> = Vec::new();
        let push = |out: &mut Vec<(NodeId, f32)>, id: &NodeId, c: f32| {
            // An OpenAPI schema generated from a proto (grpc-gateway) stands for its message.
            let id = swagger_mirror(ctx, id).unwrap_or_else(|| id.clone());
            if !out.iter().any(|(x, _)| *x == id) {
                out.push((id, c));
            }
        };
        match b.kind {
            BndKind::Grpc | BndKind::GrpcReq => {
                let want = if b.kind == BndKind::Grpc { "response" } else { "request" };
                for op in ctx.providers(ns::GRPC, &b.key) {
                    for (role, t) in self.op_types.get(op).into_iter().flatten() {
                        if role == want {
                            push(&mut out, t, 1.0);
                        }
                    }
                }
            }
            BndKind::Http | BndKind::HttpReq => {
                for op in ctx.providers(ns::HTTP, &b.key) {
                    for (role, t) in self.op_types.get(op).into_iter().flatten() {
                        let ok = if b.kind == BndKind::Http {
                            role == "response" || role.starts_with("response:2")
                        } else {
                            role == "request" || role == "body"
                        };
                        if ok {
                            push(&mut out, t, 0.95);
                        }
                    }
                }
            }
            BndKind::Gql => {
                for op in ctx.providers(ns::GRAPHQL, &b.key) {
                    for (role, t) in self.op_types.get(op).into_iter().flatten() {
                        if role == "response" {
                            push(&mut out, t, 1.0);
                        }
                    }
                }
            }
            BndKind::Topic => {
                // A consumer of several topics (`a b c`) reads any of their payloads.
                let topics: Vec<NodeId> = b.key.split(' ').map(NodeId::topic).collect();
                for op in topics.iter().filter_map(|t| self.topic_ops.get(t)).flatten() {
                    for (role, t) in self.op_types.get(op).into_iter().flatten() {
                        if role == "payload" {
                            push(&mut out, t, 0.95);
                        }
                    }
                }
            }
        }
        if out.is_empty() {
            let keys: Vec<Bnd> = match b.kind {
                BndKind::Topic => b.key.split(' ').map(|k| Bnd::new(BndKind::Topic, k)).collect(),
                _ => vec![b.clone()],
            };
            for key in &keys {
                for (t, c) in producers.get(key).into_iter().flatten() {
                    push(&mut out, t, *c * 0.9);
                }
            }
        }
        out.truncate(MAX_COPIES * 2);
        out
    }

    fn type_of_field(&self, f: &NodeId) -> Option<&NodeId> {
        self.field_type.get(f)
    }
}

/// Named types: through the reader's file, its imports, the generated package a qualifier names,
/// or uniqueness in the repository (or organisation).
fn named_types(ctx: &LinkContext, ix: &Index, r: &Reference, qual: &str, name: &str) -> Vec<(NodeId, f32)> {
    let providers = ctx.providers(ns::TYPE, name);
    if providers.is_empty() || providers.len() > 256 {
        return Vec::new();
    }
    if qual == super::tyref::GRAPHQL_SCHEMA {
        return graphql_schema_types(ctx, r, providers);
    }
    let file = NodeId::file(&r.prov.repo, &r.prov.path);
    let imported = ix.imports.get(&file);
    let mut scored: Vec<(NodeId, f32, bool)> = Vec::new();
    let mut in_repo = 0usize;
    // Several open namespaces are written comma separated (C# `using`s, the file's own package).
    let quals = qual.split(',').filter(|q| !q.is_empty());
    for p in providers {
        let Some(n) = ctx.node(p) else { continue };
        if n.kind != NodeKind::DataType || n.attr(super::INLINE).is_some() {
            continue;
        }
        if n.prov.repo == r.prov.repo {
            in_repo += 1;
        }
        let proto = n.prov.path.ends_with(".proto");
        let mut s: f32 = 0.0;
        if n.prov.repo == r.prov.repo && n.prov.path == r.prov.path {
            s = 1.0;
        } else if (imported.is_some_and(|i| i.contains(&NodeId::file(&n.prov.repo, &n.prov.path)))
            // A Go import brings a whole package under its qualifier: `store.User` is only `store`'s.
            && !qual.starts_with("go:"))
            || (proto && quals.clone().any(|q| proto_binding_matches(ctx, n, q)))
        {
            s = 0.95;
        } else if !proto && quals.clone().any(|q| code_package_matches(n, q)) {
            s = 0.85;
        }
        scored.push((p.clone(), s, proto));
    }
    let best = scored.iter().map(|x| x.1).fold(0.0f32, f32::max);
    // The code names where the type comes from (`store.User`), that place is in the graph, and no
    // candidate is from there: a type of the same name elsewhere is not this one. (A place the graph
    // does not hold, such as a generated client's package, may mirror a contract type: below.)
    if best == 0.0 && !qual.is_empty() && !qual.contains(',') {
        // Definitions of that name where the code says (`store.User` in package `store`).
        let defs: Vec<&Node> = ctx
            .providers(ns::SYMBOL, name)
            .iter()
            .filter_map(|p| ctx.node(p))
            .filter(|d| d.prov.repo == r.prov.repo && place_matches(&d.prov.path, qual))
            .collect();
        if !defs.is_empty() {
            // A generated client's model (Kiota, openapi-generator, protoc output) mirrors the contract
            // type of its name; the code's own type is not a contract's.
            let generated = defs.iter().all(|d| {
                ctx.node(&NodeId::file(&d.prov.repo, &d.prov.path))
                    .is_some_and(|f| f.attr(attr::GENERATED) == Some("true"))
            });
            let contracts: Vec<&(NodeId, f32, bool)> =
                scored.iter().filter(|x| ctx.node(&x.0).is_some_and(|n| n.attr(attr::LANGUAGE).is_none())).collect();
            if generated
                && !contracts.is_empty()
                && same_contract(ctx, &contracts.iter().map(|x| &x.0).collect::<Vec<_>>())
            {
                return contracts.iter().map(|x| (x.0.clone(), 0.9)).collect();
            }
            return Vec::new();
        }
        if ix.holds(&r.prov.repo, qual) {
            return Vec::new();
        }
    }
    let mut out: Vec<(NodeId, f32)> = if best > 0.0 {
        scored.iter().filter(|x| x.1 == best).map(|x| (x.0.clone(), x.1)).collect()
    } else {
        // No place says which: a name unique in the repository, else unique among contracts.
        let same_repo: Vec<&(NodeId, f32, bool)> =
            scored.iter().filter(|x| ctx.node(&x.0).is_some_and(|n| n.prov.repo == r.prov.repo)).collect();
        if in_repo == 1 {
            vec![(same_repo[0].0.clone(), 0.7)]
        } else if in_repo == 0 {
            let protos: Vec<&(NodeId, f32, bool)> = scored.iter().filter(|x| x.2).collect();
            if !protos.is_empty() && same_contract(ctx, &protos.iter().map(|x| &x.0).collect::<Vec<_>>()) {
                protos.iter().map(|x| (x.0.clone(), 0.6)).collect()
            } else {
                Vec::new()
            }
        } else {
            // Several in the repository: copies of one proto message still agree.
            let ids: Vec<&NodeId> = same_repo.iter().map(|x| &x.0).collect();
            if same_repo.iter().all(|x| x.2) && same_contract(ctx, &ids) {
                same_repo.iter().map(|x| (x.0.clone(), 0.7)).collect()
            } else {
                Vec::new()
            }
        }
    };
    // A generated struct (a `.pb.go` mirror) stands for its proto message when one exists.
    out = out
        .into_iter()
        .map(|(id, c)| match generated_mirror(ctx, &id) {
            Some(m) => (m, c),
            None => (id, c),
        })
        .collect();
    out.retain(|(_, c)| *c >= MIN_CONFIDENCE);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out.truncate(MAX_COPIES);
    out
}

/// A type condition of a GraphQL document names a schema type: the GraphQL schema types of that
/// name, those of the reader's repository first (federated subgraphs and a composed supergraph
/// hold copies of one type). Code types of the same name (generated client types) are not it.
fn graphql_schema_types(ctx: &LinkContext, r: &Reference, providers: &[NodeId]) -> Vec<(NodeId, f32)> {
    let schema: Vec<&Node> = providers
        .iter()
        .filter_map(|p| ctx.node(p))
        .filter(|n| {
            n.kind == NodeKind::DataType
                && ctx
                    .node(&NodeId::spec(&n.prov.repo, &n.prov.path))
                    .is_some_and(|s| s.attr(attr::FORMAT) == Some("graphql"))
        })
        .collect();
    let local: Vec<&Node> = schema.iter().copied().filter(|n| n.prov.repo == r.prov.repo).collect();
    let chosen = if local.is_empty() { schema } else { local };
    if chosen.is_empty() || chosen.len() > MAX_COPIES {
        return Vec::new();
    }
    let mut out: Vec<(NodeId, f32)> = chosen.iter().map(|n| (n.id.clone(), 0.9)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Whether all these DataTypes are copies of one contract message (same qualified name).
fn same_contract(ctx: &LinkContext, ids: &[&NodeId]) -> bool {
    let names: HashSet<&str> =
        ids.iter().filter_map(|id| ctx.node(id)).map(|n| n.attr(attr::QUALIFIED_NAME).unwrap_or(&n.name)).collect();
    names.len() == 1 && ids.len() <= MAX_COPIES
}

/// A proto message whose generated code the qualifier names: Go `go_package`, Python `<file>_pb2`,
/// Java `java_package`/package (+ outer class), C# `csharp_namespace`.
fn proto_binding_matches(ctx: &LinkContext, msg: &Node, qual: &str) -> bool {
    let spec = ctx.node(&NodeId::spec(&msg.prov.repo, &msg.prov.path));
    let package = spec.and_then(|s| s.attr("package")).unwrap_or("");
    let file_stem = msg.prov.path.rsplit('/').next().unwrap_or("").trim_end_matches(".proto");
    let (lang, q) = qual.split_once(':').unwrap_or(("", qual));
    let last = |s: &str| s.rsplit(['/', '.']).next().unwrap_or(s).to_string();
    match lang {
        "go" => {
            let gp = spec.and_then(|s| s.attr("go_package")).unwrap_or("");
            let gp = gp.split(';').next().unwrap_or(gp).trim_start_matches("./");
            let q_last = q.rsplit('/').next().unwrap_or(q);
            (!gp.is_empty() && (q == gp || q.ends_with(&format!("/{gp}")) || last(gp) == q_last))
                || (!package.is_empty() && last(package) == q_last)
        }
        "rust" => {
            // `use crate::pb::Product` / `hipstershop::Product`: a module named after the package or file.
            let pkg_mod = package.replace('.', "_");
            q.split([':', '.']).filter(|s| !s.is_empty()).any(|s| s == last(package) || s == pkg_mod || s == file_stem)
        }
        "py" => {
            // `py:genproto.demo_pb2` (a module) or `py:demo_pb2.Product` (a name imported from it).
            let q = q.strip_suffix(&format!(".{}", msg.name)).unwrap_or(q);
            let m = q.rsplit('.').next().unwrap_or(q);
            m == format!("{file_stem}_pb2") || m == format!("{file_stem}_pb2_grpc")
        }
        _ => {
            // Java, Kotlin, C#: a dotted namespace or outer class, as imported or written.
            let jp = spec.and_then(|s| s.attr("java_package")).unwrap_or(package);
            let cs = spec.and_then(|s| s.attr("csharp_namespace")).unwrap_or("");
            let pascal_pkg: String = package.split('.').map(super::libs::pascal).collect::<Vec<_>>().join(".");
            let outer = spec.and_then(|s| s.attr("java_outer_classname")).map(str::to_string);
            let q = q.trim_end_matches(&format!(".{}", msg.name));
            (!jp.is_empty() && (q == jp || q.starts_with(&format!("{jp}."))))
                || (!cs.is_empty() && q == cs)
                || (!package.is_empty() && (q == package || q == pascal_pkg))
                || outer.is_some_and(|o| q.ends_with(&o))
                || (!package.is_empty() && last(package) == q)
        }
    }
}

/// Whether a file's place is the one a qualifier names (its directory or module path ends like it).
fn place_matches(path: &str, qual: &str) -> bool {
    let q = qual.split_once(':').map(|(_, q)| q).unwrap_or(qual);
    let q = q.trim_start_matches("./").replace(['.', '\\'], "/");
    let keep = if qual.starts_with("go:") { 2 } else { 6 };
    let segs: Vec<&str> = q.split('/').filter(|s| !s.is_empty()).collect();
    let tail = segs.iter().rev().take(keep).rev().copied().collect::<Vec<_>>().join("/");
    if tail.is_empty() {
        return false;
    }
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let stem = path.rsplit_once('.').map(|(s, _)| s).unwrap_or(path);
    [dir, stem].iter().any(|p| *p == tail || p.ends_with(&format!("/{tail}")))
}

/// A code type whose directory the qualifier names (Go import path, Python module path,
/// JavaScript module path); a qualifier naming the type itself (`py:models.Order`) names its module.
fn code_package_matches(n: &Node, qual: &str) -> bool {
    let (lang, q) = qual.split_once(':').unwrap_or(("", qual));
    let q = q.strip_suffix(&format!(".{}", n.name)).unwrap_or(q);
    if matches!(lang, "py" | "js") {
        // A module is a file: its path without the extension (or its package's `__init__`/`index`).
        let stem = n.prov.path.rsplit_once('.').map(|(s, _)| s).unwrap_or(&n.prov.path);
        let stem = stem.trim_end_matches("/__init__").trim_end_matches("/index");
        let m = if lang == "py" { q.replace('.', "/") } else { q.trim_start_matches("./").to_string() };
        if !m.is_empty() && (stem == m || stem.ends_with(&format!("/{m}"))) {
            return true;
        }
    }
    let dir = n.prov.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    if dir.is_empty() {
        return false;
    }
    let q = q.replace('.', "/");
    q.ends_with(dir) || dir.ends_with(q.rsplit('/').next().unwrap_or(&q)) && q.rsplit('/').next() != Some("")
}

/// The proto message an OpenAPI schema generated from a `.proto` file mirrors: protoc-gen-openapiv2
/// (grpc-gateway) titles the spec after the proto file and names each schema `<package><Message>`
/// (`counterapiPlaceOrderRequest` of message `PlaceOrderRequest` in package `...counterapi`).
fn swagger_mirror(ctx: &LinkContext, id: &NodeId) -> Option<NodeId> {
    let n = ctx.node(id)?;
    if n.kind != NodeKind::DataType || n.prov.path.ends_with(".proto") {
        return None;
    }
    let spec = ctx.node(&NodeId::spec(&n.prov.repo, &n.prov.path))?;
    if !spec.name.ends_with(".proto") {
        return None;
    }
    let cut = n.name.find(|c: char| c.is_ascii_uppercase())?;
    let (prefix, message) = n.name.split_at(cut);
    ctx.providers(ns::TYPE, message)
        .iter()
        .filter_map(|p| ctx.node(p))
        .filter(|m| m.kind == NodeKind::DataType && m.prov.path.ends_with(".proto"))
        .filter(|m| {
            let pkg = ctx.node(&NodeId::spec(&m.prov.repo, &m.prov.path)).and_then(|s| s.attr("package")).unwrap_or("");
            prefix.is_empty() || pkg.rsplit('.').next() == Some(prefix)
        })
        .min_by_key(|m| (m.prov.repo != n.prov.repo, m.id.clone()))
        .map(|m| m.id.clone())
}

/// Whether a node comes from generated code (protobuf or OpenAPI bindings): a contract's mirror.
fn is_generated(ctx: &LinkContext, n: &Node) -> bool {
    n.attr(attr::GENERATED) == Some("true")
        || ctx.node(&NodeId::file(&n.prov.repo, &n.prov.path)).is_some_and(|f| f.attr(attr::GENERATED) == Some("true"))
}

/// The proto message a generated code type mirrors (same name, in the repository's protos).
fn generated_mirror(ctx: &LinkContext, id: &NodeId) -> Option<NodeId> {
    let n = ctx.node(id)?;
    if n.prov.path.ends_with(".proto") {
        return None;
    }
    if !is_generated(ctx, n) {
        return None;
    }
    ctx.providers(ns::TYPE, &n.name)
        .iter()
        .filter_map(|p| ctx.node(p))
        .filter(|m| m.prov.path.ends_with(".proto"))
        .min_by_key(|m| (m.prov.repo != n.prov.repo, m.id.clone()))
        .map(|m| m.id.clone())
}

/// How a written name meets a field.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Match {
    Exact(usize),
    Casing(usize),
    None,
}

/// The names a field answers to in code of `lang`.
fn field_names(f: &Node) -> impl Iterator<Item = &str> {
    let attrs = ["go_name", "java_getter", "csharp_name", "python_name", "js_name", "proto_name"];
    std::iter::once(f.name.as_str())
        .chain(f.attr(attr::WIRE_NAME))
        .chain(attrs.into_iter().filter_map(move |a| f.attr(a)))
}

fn strip_accessor(access: &str, written: &str) -> String {
    let pre: &[&str] = match access {
        "getter" => &["get", "Get", "has", "Has", "is"],
        "setter" => &["addAll", "set", "Set", "add", "put", "clear", "mutable_", "set_", "add_"],
        // C++ protobuf `has_x()`.
        "call" => &["has_"],
        _ => &[],
    };
    for p in pre {
        if let Some(rest) = written.strip_prefix(p) {
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    written.to_string()
}

/// Maps a written name to one of `fields`. Generated accessors (`GetPriceUsd`, `getPriceUsd`,
/// `PriceUsd`, `price_usd()`) are exact; for wire-level reads (`data["createdAt"]`, a JS member on
/// parsed JSON) only the wire name is exact and a name equal up to casing is `Casing`.
fn match_field(fields: &[&Node], access: &str, written: &str, generated_names: bool) -> Match {
    if written.is_empty() {
        return Match::None;
    }
    let base = strip_accessor(access, written);
    let lists = ["List", "Count", "Map", "OrDefault", "Value", "Bytes", "OrThrow"];
    let mut bases = vec![base.clone()];
    // Kotlin reads Java getters as properties (`resp.productsList`), so members drop the suffixes too.
    if matches!(access, "getter" | "setter" | "member") {
        for s in lists {
            if let Some(b) = base.strip_suffix(s) {
                bases.push(b.to_string());
            }
        }
    }
    // C++ protobuf `x_size()` reads the repeated field `x`.
    if let Some(b) = base.strip_suffix("_size").filter(|_| access == "call") {
        bases.push(b.to_string());
    }
    // Exact names first.
    for (i, f) in fields.iter().enumerate() {
        let wire = f.attr(attr::WIRE_NAME).unwrap_or(&f.name);
        if wire == written || f.name == written {
            return Match::Exact(i);
        }
        if generated_names && field_names(f).any(|n| n == written || bases.iter().any(|b| b == n)) {
            return Match::Exact(i);
        }
        if generated_names && f.attr("go_name").is_some_and(|g| format!("Get{g}") == written) {
            return Match::Exact(i);
        }
    }
    let canon: Vec<String> = bases.iter().map(|b| canonical_name(b)).filter(|c| !c.is_empty()).collect();
    for (i, f) in fields.iter().enumerate() {
        let wire = f.attr(attr::WIRE_NAME).unwrap_or(&f.name);
        let fc = [
            canonical_name(wire),
            canonical_name(&f.name),
            f.attr("proto_name").map(canonical_name).unwrap_or_default(),
        ];
        if canon.iter().any(|c| fc.iter().any(|x| !x.is_empty() && x == c)) {
            // Typed accessors of generated code follow the convention, so a canonical match is the field.
            return if generated_names && matches!(access, "getter" | "setter" | "call") {
                Match::Exact(i)
            } else {
                Match::Casing(i)
            };
        }
    }
    Match::None
}

/// Maps a name read on a message of a proto loaded at run time (`@grpc/proto-loader`): with
/// `keepCase` the `.proto` name is exact, else the camelCase name; a name equal up to casing
/// (`toCode` under `keepCase`, `to_code` without) is casing drift: the field reads as undefined.
fn match_loaded(fields: &[&Node], written: &str, keep_case: bool) -> Match {
    for (i, f) in fields.iter().enumerate() {
        let proto = f.attr("proto_name").unwrap_or(&f.name);
        let camel = f.attr("js_name").or(f.attr(attr::WIRE_NAME)).unwrap_or(&f.name);
        if (keep_case && proto == written) || (!keep_case && camel == written) {
            return Match::Exact(i);
        }
    }
    let c = canonical_name(written);
    match fields.iter().position(|f| !c.is_empty() && canonical_name(f.attr("proto_name").unwrap_or(&f.name)) == c) {
        Some(i) => Match::Casing(i),
        None => Match::None,
    }
}

/// Whether a reader in `lang` reaches fields of this type through generated names (protobuf
/// bindings, or a typed language's own struct fields) rather than wire names.
fn uses_generated_names(ctx: &LinkContext, ty: &Node, lang: &str, access: &str) -> bool {
    let proto = ty.prov.path.ends_with(".proto");
    let typed = matches!(lang, "go" | "java" | "kotlin" | "csharp" | "rust" | "cpp" | "php");
    let _ = ctx;
    if proto {
        // JS/Python/Ruby reach proto fields by their binding names too (camelCase or snake_case).
        return true;
    }
    // A code type read by code: its own field names (Go `o.OrderID`), getters on POJOs.
    typed || matches!(access, "getter" | "setter")
}

/// Whether a module as a caller imported it (`src/payment/charge`, `app.orders`) is the file whose
/// path without extension is `stem` (`src/payment/charge`, `services/app/orders`, `pkg/__init__`).
/// The types callers pass as parameter `index` of `func` (a function of `module`), from `map`
/// (plain arguments or envelopes), each at its caller's confidence times `factor`.
fn passed_types(map: &ArgTypes, module: &str, func: &str, index: usize, factor: f32) -> Vec<(NodeId, f32)> {
    let mut out: Vec<(NodeId, f32)> = Vec::new();
    for (m, ty, c) in map.get(&(func.to_string(), index)).into_iter().flatten() {
        if module_is_file(m, module) && !out.iter().any(|(x, _)| x == ty) {
            out.push((ty.clone(), *c * factor));
        }
    }
    out.truncate(MAX_COPIES);
    out
}

fn module_is_file(module: &str, stem: &str) -> bool {
    let stem = stem.trim_end_matches("/__init__").trim_end_matches("/index");
    let m = module.trim_start_matches("./");
    if m == stem || stem.ends_with(&format!("/{m}")) {
        return true;
    }
    // Python dotted modules.
    let dotted = m.replace('.', "/");
    !m.contains('/') && (stem == dotted || stem.ends_with(&format!("/{dotted}")))
}

/// The types a deferred type stands for: its root's, then each step walked.
fn types_of(
    ctx: &LinkContext,
    ix: &Index,
    r: &Reference,
    t: &TyRef,
    producers: &HashMap<Bnd, Vec<(NodeId, f32)>>,
) -> Vec<(NodeId, f32)> {
    let lang = ctx.node(&NodeId::file(&r.prov.repo, &r.prov.path)).and_then(|f| f.attr(attr::LANGUAGE)).unwrap_or("");
    let mut types = ix.root_types(ctx, r, &t.root, producers);
    let mut steps = &t.steps[..];
    // `msg.data` of a handler whose `msg` is a message envelope: the payload.
    if let (Root::Param { module, func, index }, Some(Step::Field(f))) = (&t.root, steps.first()) {
        if types.is_empty() && super::libs::is_envelope_payload(f) {
            // The hop is exact (the caller imports this very function), so it costs no
            // confidence: a read the payload lacks is as sure a finding as in the subscriber.
            types = passed_types(&ix.envelopes, module, func, *index, 1.0);
            steps = &steps[1..];
        }
    }
    for st in steps {
        if types.is_empty() {
            break;
        }
        if let Step::Field(f) = st {
            let mut next = Vec::new();
            for (ty, c) in &types {
                let Some(tn) = ctx.node(ty) else { continue };
                let fids = ix.fields_of.get(ty).cloned().unwrap_or_default();
                let fnodes: Vec<&Node> = fids.iter().filter_map(|id| ctx.node(id)).collect();
                let gen = uses_generated_names(ctx, tn, lang, "getter");
                let step_access = if f.starts_with("Get") || f.starts_with("get") { "getter" } else { "member" };
                if let Match::Exact(i) | Match::Casing(i) = match_field(&fnodes, step_access, f, gen) {
                    if let Some(nt) = ix.type_of_field(&fnodes[i].id) {
                        next.push((swagger_mirror(ctx, nt).unwrap_or_else(|| nt.clone()), *c));
                    }
                }
            }
            next.sort_by(|a, b| a.0.cmp(&b.0));
            next.dedup_by(|a, b| a.0 == b.0);
            types = next;
        }
    }
    types
}

fn resolve_access(
    ctx: &LinkContext,
    ix: &Index,
    r: &Reference,
    producers: &HashMap<Bnd, Vec<(NodeId, f32)>>,
    out: &mut Out,
) {
    let Some(t) = key_tyref(r) else { return };
    let Some(name) = r.attr(NAME) else { return };
    let access = r.attr(ACCESS).unwrap_or("member");
    let lang = ctx.node(&NodeId::file(&r.prov.repo, &r.prov.path)).and_then(|f| f.attr(attr::LANGUAGE)).unwrap_or("");
    let types = types_of(ctx, ix, r, &t, producers);
    if types.is_empty() {
        return;
    }
    let via = match &t.root {
        Root::Payload(b) if t.steps.is_empty() => Some(b.encode()),
        _ => None,
    };
    let mut linked = false;
    let mut missing: Option<(NodeId, Option<NodeId>, f32)> = None;
    for (ty, c) in &types {
        let Some(tn) = ctx.node(ty) else { continue };
        // A literal's keys written to a shape inferred from literals say nothing new.
        if r.kind == EdgeKind::WritesField && tn.attr(super::INLINE).is_some() {
            continue;
        }
        // A type of the code (not a contract) that no code sends or decodes a payload into
        // crosses no boundary: reading it (component props, local models) is not a contract read.
        if tn.attr(attr::LANGUAGE).is_some()
            && tn.attr(super::INLINE).is_none()
            && !is_generated(ctx, tn)
            && !ix.bound.contains(ty)
        {
            continue;
        }
        let fids = ix.fields_of.get(ty).cloned().unwrap_or_default();
        if fids.is_empty() {
            continue;
        }
        let fnodes: Vec<&Node> = fids.iter().filter_map(|id| ctx.node(id)).collect();
        let gen = uses_generated_names(ctx, tn, lang, access);
        let loaded = r.attr(KEEP_CASE).filter(|_| tn.prov.path.ends_with(".proto"));
        let m = match loaded {
            Some(k) => match_loaded(&fnodes, name, k == "true"),
            None => match_field(&fnodes, access, name, gen),
        };
        match m {
            Match::Exact(i) => {
                let mut rr = r.clone();
                if let Some(v) = &via {
                    rr.attrs.insert(VIA, v.clone());
                }
                out.edge(&rr, fnodes[i].id.clone(), *c);
                linked = true;
            }
            Match::Casing(i) => {
                if missing.as_ref().is_none_or(|m| m.1.is_none()) {
                    missing = Some((ty.clone(), Some(fnodes[i].id.clone()), *c));
                }
            }
            Match::None => {
                if missing.is_none() {
                    missing = Some((ty.clone(), None, *c));
                }
            }
        }
    }
    if linked {
        return;
    }
    if let Some((ty, casing, conf)) = missing {
        let mut rr = r.clone();
        rr.attrs.insert(MISSING_ON, ty.as_str().to_string());
        // How sure the type is: a name unique in the repository (0.7) is not enough to call a read wrong.
        rr.attrs.insert(TYPE_CONFIDENCE, format!("{conf:.2}"));
        if let Some(f) = casing {
            rr.attrs.insert(CASING_OF, f.as_str().to_string());
        }
        if let Some(v) = via {
            rr.attrs.insert(VIA, v);
        }
        out.unresolved.push(rr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_model::Provenance;

    fn field(name: &str, attrs: &[(&str, &str)]) -> Node {
        let mut n = Node::new(
            NodeId::field("r", "a.proto", "M", name),
            NodeKind::Field,
            name,
            Provenance::declared("r", "a.proto", None, "t"),
        );
        for (k, v) in attrs {
            n = n.with_attr(k, v.to_string());
        }
        n
    }

    #[test]
    fn accessors_meet_proto_fields() {
        let f = field(
            "price_usd",
            &[
                ("wire_name", "priceUsd"),
                ("go_name", "PriceUsd"),
                ("java_getter", "getPriceUsd"),
                ("csharp_name", "PriceUsd"),
                ("python_name", "price_usd"),
                ("js_name", "priceUsd"),
                ("proto_name", "price_usd"),
            ],
        );
        let fs = vec![&f];
        assert_eq!(match_field(&fs, "getter", "GetPriceUsd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "getter", "getPriceUsd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "member", "PriceUsd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "setter", "setPriceUsd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "call", "price_usd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "call", "price_usd_size", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "call", "has_price_usd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "setter", "mutable_price_usd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "setter", "clear_price_usd", true), Match::Exact(0));
        assert_eq!(match_field(&fs, "getter", "GetWarehouseId", true), Match::None);
    }

    #[test]
    fn loaded_protos_follow_keep_case() {
        let f = field("to_code", &[("proto_name", "to_code"), ("js_name", "toCode"), ("wire_name", "toCode")]);
        let fs = vec![&f];
        assert_eq!(match_loaded(&fs, "to_code", true), Match::Exact(0));
        assert_eq!(match_loaded(&fs, "toCode", true), Match::Casing(0));
        assert_eq!(match_loaded(&fs, "toCode", false), Match::Exact(0));
        assert_eq!(match_loaded(&fs, "to_code", false), Match::Casing(0));
        assert_eq!(match_loaded(&fs, "from", true), Match::None);
    }

    #[test]
    fn wire_reads_tell_casing_drift() {
        let f = field("created_at", &[("wire_name", "created_at")]);
        let fs = vec![&f];
        assert_eq!(match_field(&fs, "index", "created_at", false), Match::Exact(0));
        assert_eq!(match_field(&fs, "index", "createdAt", false), Match::Casing(0));
        assert_eq!(match_field(&fs, "member", "discount", false), Match::None);
    }
}
