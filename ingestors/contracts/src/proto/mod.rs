//! Protobuf ingestion: `.proto` files (proto2, proto3, editions) become a
//! `Spec` node, one `Operation` per rpc plus one per service, `DataType`s
//! for messages and enums, and `Field`s with wire (JSON) names and the names
//! code generators give them ([`names`]).
//!
//! Facts emitted for `acme/orders:proto/acme/v1/orders.proto` in package `acme.v1`:
//! - `spec:…` (FORMAT `proto2|proto3|editions`, `package`), provides
//!   `(module, "proto:proto/acme/v1/orders.proto")` and the root-relative
//!   suffixes (`proto:acme/v1/orders.proto`).
//! - service `op:…#acme.v1.OrderService` with `kind=service`, providing
//!   `(grpc, "OrderService")` and `(grpc, "acme.v1.OrderService")`, so code that
//!   implements or dials a service by name resolves to it.
//! - rpc `op:…#acme.v1.OrderService/Create` (PROTOCOL `grpc`), providing
//!   `(grpc, "acme.v1.OrderService/Create")` and `(grpc, "OrderService/Create")`
//!   ([`brain_model::wire::grpc_key`]); `UsesType` references to its request
//!   and response types by qualified name.
//! - message `type:…#acme.v1.Order` providing `(type, "Order")` and
//!   `(type, "acme.v1.Order")`; nested `Outer.Inner` likewise.
//! - field `field:…#acme.v1.Order.product_id` with WIRE_NAME `productId`.
//! - imports: `Imports` references to the imported file (candidates under
//!   common roots) and to `(module, "proto:<import>")`.

pub mod ast;
pub mod diff;
pub mod lexer;
pub mod names;
pub mod parser;

pub use diff::{diff_proto, rule_categories, DiffError};

use ast::{declared_names, join, Enum, Field, Label, Message, ProtoFile, Rpc};
use brain_model::attr::{self, ns};
use brain_model::{
    Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Reference, Severity, SourceFile,
    Span,
};

/// Attribute: what a node is within the proto file (`service`, `rpc`, `message`, `enum`, `enum_value`).
pub const KIND: &str = "kind";
/// Attribute: field name as written in the proto (`product_id`).
pub const PROTO_NAME: &str = "proto_name";
/// Attribute: `optional`, `repeated`, `required` or `map` (absent for proto3 singular fields).
pub const LABEL: &str = "label";
/// Attribute: the oneof a field belongs to.
pub const ONEOF: &str = "oneof";
/// Attribute: generated Go field name.
pub const GO_NAME: &str = "go_name";
/// Attribute: generated Java getter.
pub const JAVA_GETTER: &str = "java_getter";
/// Attribute: generated C# property.
pub const CSHARP_NAME: &str = "csharp_name";
/// Attribute: generated Python attribute.
pub const PYTHON_NAME: &str = "python_name";
/// Attribute: generated JavaScript/TypeScript property.
pub const JS_NAME: &str = "js_name";
/// Attribute: proto package of a spec, service or rpc.
pub const PACKAGE: &str = "package";
/// Attribute: simple service name of an rpc.
pub const SERVICE: &str = "service";
/// Attribute: method name of an rpc.
pub const METHOD: &str = "method";
pub const CLIENT_STREAMING: &str = "client_streaming";
pub const SERVER_STREAMING: &str = "server_streaming";
/// Attribute: the HTTP routes an rpc answers through gRPC transcoding (`GET /v1/books/{id}; POST /v1/books`).
pub const HTTP_RULES: &str = "http_rules";
/// Attribute: request type of an rpc, fully qualified.
pub const REQUEST_TYPE: &str = "request_type";
/// Attribute: response type of an rpc, fully qualified.
pub const RESPONSE_TYPE: &str = "response_type";

const NAME: &str = "proto";

/// Directory names after which a proto path is also importable (`proto/acme/v1/x.proto`
/// is imported as `acme/v1/x.proto`). `api`/`apis` count only as the first component.
const ROOTS_ANYWHERE: &[&str] = &["proto", "protos", "protobuf", "third_party", "src/main/proto", "src/test/proto"];
const ROOTS_LEADING: &[&str] = &["api", "apis", "src", "schema", "schemas", "idl"];

/// The protobuf ingestor (`proto`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ProtoIngestor;

impl Ingestor for ProtoIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        path.ends_with(".proto")
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let parsed = parser::parse(file.content);
        facts_for(file.repo, file.path, &parsed)
    }
}

/// The import paths under which a file at `path` can be imported: the path
/// itself and its suffixes after the common roots.
pub fn import_keys(path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    for root in ROOTS_LEADING {
        if let Some(rest) = path.strip_prefix(&format!("{root}/")) {
            out.push(rest.to_string());
        }
    }
    for root in ROOTS_ANYWHERE {
        let pat = format!("{root}/");
        let mut from = 0;
        while let Some(i) = path[from..].find(&pat) {
            let at = from + i;
            if at == 0 || path.as_bytes()[at - 1] == b'/' {
                out.push(path[at + pat.len()..].to_string());
            }
            from = at + pat.len();
        }
    }
    out.retain(|p| !p.is_empty());
    out.sort();
    out.dedup();
    out
}

/// Repo paths an `import "x.proto"` may point at.
fn import_candidates(repo: &str, import: &str) -> Vec<NodeId> {
    let mut out = vec![NodeId::file(repo, import)];
    for root in ["proto", "protos", "api", "src/main/proto", "third_party"] {
        out.push(NodeId::file(repo, &format!("{root}/{import}")));
    }
    out
}

struct Ctx<'a> {
    repo: &'a str,
    path: &'a str,
    file: &'a ProtoFile,
    declared: Vec<String>,
    facts: Facts,
}

impl Ctx<'_> {
    fn prov(&self, start: u32, end: u32) -> Provenance {
        Provenance::declared(self.repo, self.path, Some(Span::new(start, end)), NAME)
    }
    fn qualified(&self, local: &str) -> String {
        join(self.file.package_str(), local)
    }
}

/// Turns a parsed file into facts.
pub fn facts_for(repo: &str, path: &str, file: &ProtoFile) -> Facts {
    let mut cx = Ctx { repo, path, file, declared: declared_names(file), facts: Facts::default() };
    for e in &file.errors {
        cx.facts.diagnostic(Diagnostic::new(Severity::Warning, "proto.parse", repo, path, Some(e.line), &e.message));
    }
    let last_line = file
        .messages
        .iter()
        .map(|m| m.end_line)
        .chain(file.services.iter().map(|s| s.end_line))
        .chain(file.enums.iter().map(|e| e.end_line))
        .max()
        .unwrap_or(1);
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let mut spec = Node::new(NodeId::spec(repo, path), NodeKind::Spec, file_name, cx.prov(1, last_line))
        .with_attr(attr::FORMAT, file.syntax.as_str());
    if let Some(pkg) = &file.package {
        spec = spec.with_attr(PACKAGE, pkg.clone());
    }
    if let ast::Syntax::Editions(ed) = &file.syntax {
        spec = spec.with_attr("edition", ed.clone());
    }
    // Where generated code for each language lives: code that imports a generated
    // package is matched to this file's messages through these.
    for o in &file.options {
        if matches!(
            o.name.as_str(),
            "go_package"
                | "java_package"
                | "java_outer_classname"
                | "java_multiple_files"
                | "csharp_namespace"
                | "php_namespace"
                | "ruby_package"
                | "objc_class_prefix"
        ) {
            spec = spec.with_attr(&o.name, o.value.trim_matches('"').to_string());
        }
    }
    let spec_id = cx.facts.node(spec);
    let file_id = NodeId::file(repo, path);
    cx.facts.edge(Edge::new(file_id.clone(), EdgeKind::Contains, spec_id.clone(), cx.prov(1, last_line)));
    for key in import_keys(path) {
        cx.facts.provide(&spec_id, ns::MODULE, format!("proto:{key}"));
    }
    for imp in &file.imports {
        let p = cx.prov(imp.line, imp.line);
        let kind = match imp.kind {
            ast::ImportKind::Normal => "normal",
            ast::ImportKind::Public => "public",
            ast::ImportKind::Weak => "weak",
            ast::ImportKind::Option => "option",
        };
        cx.facts.reference(
            Reference::any_of(file_id.clone(), EdgeKind::Imports, import_candidates(repo, &imp.path), p.clone())
                .with_attr("import_kind", kind),
        );
        cx.facts.reference(
            Reference::key(spec_id.clone(), EdgeKind::Imports, ns::MODULE, format!("proto:{}", imp.path), p)
                .with_attr("import_kind", kind),
        );
    }
    for m in &file.messages {
        message(&mut cx, &spec_id, "", m);
    }
    for e in &file.enums {
        enumeration(&mut cx, &spec_id, "", e);
    }
    for x in &file.extends {
        extension(&mut cx, &spec_id, "", x);
    }
    services(&mut cx, &spec_id);
    cx.facts
}

fn services(cx: &mut Ctx<'_>, spec_id: &NodeId) {
    let pkg = cx.file.package_str().to_string();
    for s in &cx.file.services {
        let full = join(&pkg, &s.name);
        let mut node = Node::new(
            NodeId::operation(cx.repo, cx.path, &full),
            NodeKind::Operation,
            &s.name,
            cx.prov(s.line, s.end_line),
        )
        .with_attr(KIND, "service")
        .with_attr(attr::PROTOCOL, "grpc")
        .with_attr(attr::QUALIFIED_NAME, full.clone())
        .with_attr(SERVICE, s.name.clone());
        if !pkg.is_empty() {
            node = node.with_attr(PACKAGE, pkg.clone());
        }
        if let Some(d) = &s.doc {
            node = node.with_text(d.clone());
        }
        let sid = cx.facts.node(node);
        cx.facts.edge(Edge::new(spec_id.clone(), EdgeKind::Contains, sid.clone(), cx.prov(s.line, s.end_line)));
        cx.facts.provide(&sid, ns::GRPC, s.name.clone());
        if full != s.name {
            cx.facts.provide(&sid, ns::GRPC, full.clone());
        }
        for r in &s.rpcs {
            let op_name = format!("{full}/{}", r.name);
            let req = cx.file.qualify("", &r.request, &cx.declared);
            let resp = cx.file.qualify("", &r.response, &cx.declared);
            let mut node = Node::new(
                NodeId::operation(cx.repo, cx.path, &op_name),
                NodeKind::Operation,
                &r.name,
                cx.prov(r.line, r.line),
            )
            .with_attr(KIND, "rpc")
            .with_attr(attr::PROTOCOL, "grpc")
            .with_attr(attr::QUALIFIED_NAME, op_name.clone())
            .with_attr(SERVICE, s.name.clone())
            .with_attr(METHOD, r.name.clone())
            .with_attr(CLIENT_STREAMING, r.client_streaming.to_string())
            .with_attr(SERVER_STREAMING, r.server_streaming.to_string())
            .with_attr(REQUEST_TYPE, req.clone())
            .with_attr(RESPONSE_TYPE, resp.clone())
            .with_attr(
                attr::SIGNATURE,
                format!(
                    "rpc {}({}{}) returns ({}{})",
                    r.name,
                    if r.client_streaming { "stream " } else { "" },
                    r.request,
                    if r.server_streaming { "stream " } else { "" },
                    r.response
                ),
            );
            if !pkg.is_empty() {
                node = node.with_attr(PACKAGE, pkg.clone());
            }
            if let Some(d) = &r.doc {
                node = node.with_text(d.clone());
            }
            // gRPC transcoding (grpc-gateway, Envoy, Cloud Endpoints): the rpc also answers the HTTP
            // routes its `google.api.http` option declares.
            let routes = http_rules(r);
            if !routes.is_empty() {
                let shown: Vec<String> = routes.iter().map(|(m, p)| format!("{m} {p}")).collect();
                node = node.with_attr(HTTP_RULES, shown.join("; "));
            }
            let oid = cx.facts.node(node);
            let p = cx.prov(r.line, r.line);
            cx.facts.edge(Edge::new(sid.clone(), EdgeKind::Contains, oid.clone(), p.clone()));
            cx.facts.provide(&oid, ns::GRPC, op_name.clone());
            cx.facts.provide(&oid, ns::GRPC, brain_model::wire::grpc_key(&full, &r.name));
            for (method, path) in &routes {
                cx.facts.provide(&oid, ns::HTTP, brain_model::wire::http_key(method, path));
            }
            for (t, role) in [(&req, "request"), (&resp, "response")] {
                cx.facts.reference(
                    Reference::key(oid.clone(), EdgeKind::UsesType, ns::TYPE, t.clone(), p.clone())
                        .with_attr("role", role),
                );
            }
        }
    }
}

/// The HTTP routes of an rpc's `option (google.api.http) = { get: "/v1/{name=shelves/*}" ...
/// additional_bindings { post: "..." } }`, as (method, path) with every variable a parameter
/// segment (`{name=shelves/*}` becomes `shelves/{name}`, `**` a parameter).
fn http_rules(r: &Rpc) -> Vec<(String, String)> {
    let Some(value) = r.options.iter().find(|o| o.name == "(google.api.http)").map(|o| o.value.as_str()) else {
        return Vec::new();
    };
    // The aggregate is kept as its tokens joined by spaces, strings quoted: `{ get : "/v1/x" body : "*" }`.
    let toks: Vec<&str> = value.split_whitespace().collect();
    let mut out = Vec::new();
    let mut custom_kind: Option<String> = None;
    for w in toks.windows(3) {
        let [key, colon, val] = [w[0], w[1], w[2]];
        if colon != ":" || !val.starts_with('"') {
            continue;
        }
        let val = val.trim_matches('"');
        match key {
            "get" | "put" | "post" | "delete" | "patch" => out.push((key.to_ascii_uppercase(), transcoded_path(val))),
            "kind" => custom_kind = Some(val.to_ascii_uppercase()),
            "path" => {
                if let Some(k) = custom_kind.take() {
                    out.push((k, transcoded_path(val)));
                }
            }
            _ => {}
        }
    }
    out
}

/// A google.api.http path template as a route path: `/v1/{name=shelves/*/books/*}:publish` becomes
/// `/v1/shelves/{}/books/{}:publish`, `{book_id}` stays a parameter.
fn transcoded_path(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| c + open) else {
            out.push_str(&rest[open..]);
            return out;
        };
        let var = &rest[open + 1..close];
        match var.split_once('=') {
            Some((_, pattern)) => {
                let segs: Vec<&str> =
                    pattern.split('/').map(|s| if s == "*" || s == "**" { "{}" } else { s }).collect();
                out.push_str(&segs.join("/"));
            }
            None => {
                out.push('{');
                out.push_str(var);
                out.push('}');
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn message(cx: &mut Ctx<'_>, parent: &NodeId, scope: &str, m: &Message) {
    let local = join(scope, &m.name);
    let full = cx.qualified(&local);
    let mut node =
        Node::new(NodeId::data_type(cx.repo, cx.path, &full), NodeKind::DataType, &local, cx.prov(m.line, m.end_line))
            .with_attr(KIND, if m.is_group { "group" } else { "message" })
            .with_attr(attr::QUALIFIED_NAME, full.clone());
    if let Some(d) = &m.doc {
        node = node.with_text(d.clone());
    }
    let id = cx.facts.node(node);
    cx.facts.edge(Edge::new(parent.clone(), EdgeKind::Contains, id.clone(), cx.prov(m.line, m.end_line)));
    cx.facts.provide(&id, ns::TYPE, local.clone());
    if full != local {
        cx.facts.provide(&id, ns::TYPE, full.clone());
    }
    for f in &m.fields {
        field(cx, &id, &local, &full, &m.name, f, None);
    }
    for inner in &m.messages {
        message(cx, &id, &local, inner);
    }
    for e in &m.enums {
        enumeration(cx, &id, &local, e);
    }
    for x in &m.extends {
        extension(cx, &id, &local, x);
    }
}

fn field(
    cx: &mut Ctx<'_>,
    owner: &NodeId,
    scope: &str,
    owner_full: &str,
    message_name: &str,
    f: &Field,
    extendee: Option<&str>,
) {
    let json = f.json_name_option().map(str::to_string).unwrap_or_else(|| names::json_name(&f.name));
    let card = match (&f.map, f.label) {
        (Some(_), _) => names::Cardinality::Map,
        (None, Label::Repeated) => names::Cardinality::Repeated,
        _ => names::Cardinality::Singular,
    };
    let label = match (&f.map, f.label) {
        (Some(_), _) => Some("map"),
        (None, Label::Repeated) => Some("repeated"),
        (None, Label::Required) => Some("required"),
        (None, Label::Optional) => Some("optional"),
        (None, Label::None) => None,
    };
    let required =
        f.label == Label::Required || f.option("features.field_presence").is_some_and(|v| v == "LEGACY_REQUIRED");
    let p = cx.prov(f.line, f.line);
    let mut node = Node::new(NodeId::field(cx.repo, cx.path, owner_full, &f.name), NodeKind::Field, &f.name, p.clone())
        .with_attr(attr::WIRE_NAME, json)
        .with_attr(PROTO_NAME, f.name.clone())
        .with_attr(attr::TYPE, f.display_type())
        .with_attr(attr::FIELD_NUMBER, f.number.to_string())
        .with_attr(attr::REQUIRED, required.to_string())
        .with_attr(GO_NAME, names::go_name(&f.name))
        .with_attr(JAVA_GETTER, names::java_getter(&f.name, card))
        .with_attr(CSHARP_NAME, names::csharp_name(&f.name, message_name))
        .with_attr(PYTHON_NAME, names::python_name(&f.name))
        .with_attr(JS_NAME, names::js_name(&f.name));
    if let Some(l) = label {
        node = node.with_attr(LABEL, l);
    }
    if let Some(o) = &f.oneof {
        node = node.with_attr(ONEOF, o.clone());
    }
    if let Some(x) = extendee {
        node = node.with_attr("extends", x.to_string());
    }
    if f.option("deprecated") == Some("true") {
        node = node.with_attr("deprecated", "true");
    }
    if let Some(d) = &f.doc {
        node = node.with_text(d.clone());
    }
    let id = cx.facts.node(node);
    cx.facts.edge(Edge::new(owner.clone(), EdgeKind::HasField, id.clone(), p.clone()));
    let value_type = &f.type_name;
    if !ast::is_scalar(value_type) {
        let t = cx.file.qualify(scope, value_type, &cx.declared);
        cx.facts.reference(Reference::key(id, EdgeKind::UsesType, ns::TYPE, t, p));
    }
}

fn extension(cx: &mut Ctx<'_>, parent: &NodeId, scope: &str, x: &ast::Extend) {
    let extendee = cx.file.qualify(scope, &x.extendee, &cx.declared);
    // Extension fields are named in the scope they are declared in.
    let owner_full = cx.qualified(scope);
    let owner_name = scope.rsplit('.').next().unwrap_or(scope).to_string();
    for f in &x.fields {
        field(cx, parent, scope, &owner_full, &owner_name, f, Some(&extendee));
    }
}

fn enumeration(cx: &mut Ctx<'_>, parent: &NodeId, scope: &str, e: &Enum) {
    let local = join(scope, &e.name);
    let full = cx.qualified(&local);
    let mut node =
        Node::new(NodeId::data_type(cx.repo, cx.path, &full), NodeKind::DataType, &local, cx.prov(e.line, e.end_line))
            .with_attr(KIND, "enum")
            .with_attr(attr::QUALIFIED_NAME, full.clone());
    if let Some(d) = &e.doc {
        node = node.with_text(d.clone());
    }
    let id = cx.facts.node(node);
    cx.facts.edge(Edge::new(parent.clone(), EdgeKind::Contains, id.clone(), cx.prov(e.line, e.end_line)));
    cx.facts.provide(&id, ns::TYPE, local.clone());
    if full != local {
        cx.facts.provide(&id, ns::TYPE, full.clone());
    }
    for v in &e.values {
        let p = cx.prov(v.line, v.line);
        let mut node = Node::new(NodeId::field(cx.repo, cx.path, &full, &v.name), NodeKind::Field, &v.name, p.clone())
            .with_attr(KIND, "enum_value")
            .with_attr(attr::WIRE_NAME, v.name.clone())
            .with_attr(attr::TYPE, full.clone())
            .with_attr(attr::FIELD_NUMBER, v.number.to_string());
        if let Some(d) = &v.doc {
            node = node.with_text(d.clone());
        }
        let vid = cx.facts.node(node);
        cx.facts.edge(Edge::new(id.clone(), EdgeKind::HasField, vid, p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_keys_strip_common_roots() {
        assert_eq!(
            import_keys("services/orders/proto/acme/v1/orders.proto"),
            vec!["acme/v1/orders.proto", "services/orders/proto/acme/v1/orders.proto"]
        );
        assert_eq!(import_keys("api/acme/v1/x.proto"), vec!["acme/v1/x.proto", "api/acme/v1/x.proto"]);
        // `api` in the middle of a path is part of the package path, not a root.
        assert_eq!(import_keys("google/api/annotations.proto"), vec!["google/api/annotations.proto"]);
    }
}
