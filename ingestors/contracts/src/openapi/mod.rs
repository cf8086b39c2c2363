//! OpenAPI 3.0 / 3.1 and Swagger 2.0 ingestion (YAML or JSON) and diffs.
//!
//! Facts per spec file:
//! * `Spec` node `spec:<repo>:<path>` (attrs `format`, `version` = `info.version`,
//!   `spec_version`; name = `info.title`; text = `info.description`), which the
//!   file `Contains`.
//! * an `Operation` per method and path, `op:<repo>:<path>#POST /orders`, with
//!   `http_method`, `http_path`, `protocol=http`, `operation_id`, `security`,
//!   `deprecated`, `tags`, `response_headers`; the spec `Exposes` it. It
//!   provides `(http, POST /orders/{})` and, for each server base path
//!   (`servers[].url` path, Swagger `basePath`), the prefixed key too.
//!   3.1 webhooks become operations `webhook <name> POST` with a `webhook`
//!   attr and no HTTP provide (the API calls them, it does not serve them).
//! * a `DataType` per named schema with its `Field`s (see [`crate::schema::emit`]);
//!   inline bodies get a synthesized type: `<OperationId>Request`,
//!   `<OperationId><status>Response` (operationId in PascalCase, as
//!   openapi-generator names them), or without an operationId
//!   `POST /orders request` / `POST /orders response 201`. Parameters form a
//!   type `<OperationId>Parameters` (`POST /orders parameters`) whose fields
//!   carry `in`. The operation `UsesType` each with `role` = `request`,
//!   `response:<status>` or `parameter`.
//!
//! `$ref`s inside the file are followed (bounded; cycles and dangling refs
//! are `openapi.ref-cycle` / `openapi.ref-unresolved` warnings). A schema
//! `$ref` into another file becomes a `UsesType` reference to
//! `type:<repo>:<resolved path>#<last pointer segment or file stem>`; a
//! parameter, response, body or path item `$ref`'d from another file cannot
//! be seen (`openapi.ref-external`, info), and an operation whose body is a
//! `$ref` keeps the file in `defined_in`. Syntax errors are `openapi.parse`
//! (with the line) and yield no other facts. Not read: callbacks, links,
//! path- and operation-level `servers`, YAML anchors/aliases (a parse error
//! in the YAML loader used here).

pub mod diff;
pub mod model;

use crate::schema::emit::{self, Emitter, ROLE};
use crate::schema::refs::Ref;
use crate::schema::tree::{parse_document, Value};
use crate::schema::{is_yaml_or_json, sniff};
use brain_model::attr::{self, ns};
use brain_model::{wire, Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Severity, SourceFile};
pub use diff::diff_openapi;

const INGESTOR: &str = "openapi";

/// Attribute: the `operationId` of an operation.
pub const OPERATION_ID: &str = "operation_id";
/// Attribute: rendered security requirements of an operation.
pub const SECURITY: &str = "security";
/// Attribute: the raw `openapi`/`swagger`/`asyncapi` version string of a spec.
pub const SPEC_VERSION: &str = "spec_version";
/// Attribute: comma list of tags of an operation.
pub const TAGS: &str = "tags";
/// Attribute: response headers per status, `201: Location; 429: Retry-After`.
pub const RESPONSE_HEADERS: &str = "response_headers";
/// Attribute: the webhook name of a 3.1 webhook operation.
pub const WEBHOOK: &str = "webhook";
/// Attribute: the repo path of the file an operation's body is `$ref`'d from.
pub const DEFINED_IN: &str = "defined_in";

/// Ingests OpenAPI 3.x and Swagger 2.0 documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenApiIngestor;

impl Ingestor for OpenApiIngestor {
    fn name(&self) -> &'static str {
        INGESTOR
    }
    fn accepts(&self, path: &str) -> bool {
        is_yaml_or_json(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        if sniff(file.content, "openapi") || sniff(file.content, "swagger") {
            ingest_openapi(file)
        } else {
            Facts::default()
        }
    }
}

fn ingest_openapi(file: &SourceFile<'_>) -> Facts {
    let mut facts = Facts::default();
    let root = match parse_document(file.path, file.content) {
        Ok(v) => v,
        Err(e) => {
            facts.diagnostic(Diagnostic::new(
                Severity::Error,
                "openapi.parse",
                file.repo,
                file.path,
                Some(e.line),
                e.message,
            ));
            return facts;
        }
    };
    let Some(api) = model::read(&root) else {
        // JSON that mentions "openapi" somewhere but not at the top level.
        return facts;
    };
    let spec_id = NodeId::spec(file.repo, file.path);
    let mut em = Emitter::new(file.repo, file.path, INGESTOR, "openapi", &root, spec_id.clone());
    let title = api.title.clone().unwrap_or_else(|| file.path.rsplit('/').next().unwrap_or(file.path).to_string());
    let mut spec = Node::new(spec_id.clone(), NodeKind::Spec, title, em.prov(root.line, root.end_line))
        .with_attr(attr::FORMAT, api.version.format())
        .with_attr(SPEC_VERSION, api.spec_version.clone());
    if let Some(v) = &api.info_version {
        spec = spec.with_attr(attr::VERSION, v.clone());
    }
    if let Some(d) = &api.description {
        spec = spec.with_text(d.clone());
    }
    em.facts.node(spec);
    em.facts.edge(Edge::new(
        NodeId::file(file.repo, file.path),
        EdgeKind::Contains,
        spec_id.clone(),
        em.prov(root.line, root.end_line),
    ));
    for p in &api.problems {
        let severity = if p.what == "ref-external" { Severity::Info } else { Severity::Warning };
        em.diag(severity, p.what, p.line, p.message.clone());
    }
    if api.version != model::Version::Swagger2
        && root.get("paths").is_none()
        && root.get("webhooks").is_none()
        && root.get("components").is_none()
    {
        em.diag(Severity::Warning, "structure", root.line, "no 'paths', 'webhooks' or 'components'");
    }

    em.register_named(api.version.schemas_pointer());
    em.emit_all_named();

    for op in &api.operations {
        emit_operation(&mut em, &api, op, &spec_id);
    }
    facts.extend(em.facts);
    facts
}

/// `createOrder` → `CreateOrder`, `list-pets` → `ListPets`.
pub fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            out.extend(f.to_uppercase());
            out.push_str(cs.as_str());
        }
    }
    out
}

fn emit_operation<'a>(em: &mut Emitter<'a>, api: &model::Api<'a>, op: &model::Operation<'a>, spec_id: &NodeId) {
    let display = match &op.webhook {
        Some(name) => format!("webhook {name} {}", op.method),
        None => format!("{} {}", op.method, op.path),
    };
    let id = NodeId::operation(em.repo, em.path, &display);
    let mut node = Node::new(id.clone(), NodeKind::Operation, display.clone(), em.prov(op.line, op.end_line))
        .with_attr(attr::HTTP_METHOD, op.method.clone())
        .with_attr(attr::PROTOCOL, "http");
    if op.webhook.is_none() {
        node = node.with_attr(attr::HTTP_PATH, op.path.clone());
    }
    if let Some(w) = &op.webhook {
        node = node.with_attr(WEBHOOK, w.clone());
    }
    // An operation defined in another file (`get: {$ref: resources/list.yml}`):
    // its details are not visible here; record where they live.
    if let Some(target) = op.value.str_at("$ref") {
        if let Ref::External { path, .. } = Ref::parse(em.path, target) {
            node = node.with_attr(DEFINED_IN, path);
        }
    }
    if let Some(oid) = &op.operation_id {
        node = node.with_attr(OPERATION_ID, oid.clone());
    }
    if let Some(s) = &op.summary {
        node = node.with_text(s.clone());
    }
    if let Some(sec) = &op.security {
        node = node.with_attr(SECURITY, sec.clone());
    }
    if op.deprecated {
        node = node.with_attr(emit::DEPRECATED, "true");
    }
    let tags: Vec<&str> =
        op.value.get("tags").map(Value::items).unwrap_or(&[]).iter().filter_map(Value::as_str).collect();
    if !tags.is_empty() {
        node = node.with_attr(TAGS, tags.join(","));
    }
    let headers: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.headers.is_empty())
        .map(|r| format!("{}: {}", r.status, r.headers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>().join(", ")))
        .collect();
    if !headers.is_empty() {
        node = node.with_attr(RESPONSE_HEADERS, headers.join("; "));
    }
    em.facts.node(node);
    em.facts.edge(Edge::new(spec_id.clone(), EdgeKind::Exposes, id.clone(), em.prov(op.line, op.end_line)));
    if op.webhook.is_none() {
        let key = wire::http_key(&op.method, &op.path);
        em.facts.provide(&id, ns::HTTP, key.clone());
        for base in &api.base_paths {
            let prefixed = wire::http_key(&op.method, &format!("{base}{}", op.path));
            if prefixed != key && !em.facts.provides.iter().any(|p| p.node == id && p.key == prefixed) {
                em.facts.provide(&id, ns::HTTP, prefixed);
            }
        }
    }

    // Generated clients call an operation by its operationId, on a class per tag (`OrdersApi.createOrder`):
    // keyed `orders|createorder` (see `wire::operation_id_key`).
    if let Some(oid) = &op.operation_id {
        if !wire::operation_id_key(None, oid).is_empty() {
            // Untagged operations land in the generators' `DefaultApi`.
            let default = ["default".to_string()];
            let tags = if op.tags.is_empty() { &default[..] } else { &op.tags[..] };
            for tag in tags {
                em.facts.provide(&id, ns::OPERATION_ID, wire::operation_id_key(Some(tag), oid));
            }
        }
    }

    let stem = match &op.operation_id {
        Some(oid) if !pascal_case(oid).is_empty() => pascal_case(oid),
        _ => String::new(),
    };
    let name_for = |suffix_pascal: &str, suffix_plain: &str| -> String {
        if stem.is_empty() {
            format!("{display} {suffix_plain}")
        } else {
            format!("{stem}{suffix_pascal}")
        }
    };

    // Parameters: a synthesized type whose fields are the parameters.
    if !op.params.is_empty() {
        let pname = name_for("Parameters", "parameters");
        // Parameters may come from the path item or from components: the type spans the operation.
        let (first, last) = (op.line, op.end_line);
        let tid = NodeId::data_type(em.repo, em.path, &pname);
        em.facts.node(
            Node::new(tid.clone(), NodeKind::DataType, pname.clone(), em.prov(first, last))
                .with_attr(attr::TYPE, "parameters"),
        );
        em.facts.edge(Edge::new(spec_id.clone(), EdgeKind::Contains, tid.clone(), em.prov(first, last)));
        em.facts.edge(
            Edge::new(id.clone(), EdgeKind::UsesType, tid.clone(), em.prov(first, last)).with_attr(ROLE, "parameter"),
        );
        for p in &op.params {
            let fid = NodeId::field(em.repo, em.path, &pname, &p.name);
            let schema = p.schema.and_then(|s| em.deref(s).map(|(r, _)| r));
            let mut f = Node::new(fid.clone(), NodeKind::Field, p.name.clone(), em.prov(p.line, p.line))
                .with_attr(attr::WIRE_NAME, p.name.clone())
                .with_attr(attr::TYPE, p.schema.map(emit::type_string).unwrap_or_else(|| "any".into()))
                .with_attr(attr::REQUIRED, if p.required { "true" } else { "false" })
                .with_attr(attr::NULLABLE, if schema.is_some_and(emit::is_nullable) { "true" } else { "false" })
                .with_attr(emit::IN, p.location.clone());
            if let Some(values) = schema.and_then(emit::enum_values) {
                f = f.with_attr(emit::ENUM, values);
            }
            if p.deprecated {
                f = f.with_attr(emit::DEPRECATED, "true");
            }
            em.facts.node(f);
            em.facts.edge(Edge::new(tid.clone(), EdgeKind::HasField, fid.clone(), em.prov(p.line, p.line)));
            if let Some(s) = p.schema {
                if let Some((t, many)) = em.type_use(s, &format!("{pname}.{}", p.name)) {
                    let mut attrs = vec![(ROLE, "parameter".to_string())];
                    if many {
                        attrs.push((emit::MANY, "true".to_string()));
                    }
                    em.link_use(&id, &t, p.line, &attrs);
                }
            }
        }
    }

    if let Some(body) = &op.body {
        if let Some(schema) = model::primary_schema(&body.content) {
            link_schema(em, &id, schema, &name_for("Request", "request"), "request".to_string(), body.line);
        }
    }
    for resp in &op.responses {
        if let Some(schema) = model::primary_schema(&resp.content) {
            let suggested = if stem.is_empty() {
                format!("{display} response {}", resp.status)
            } else {
                format!("{stem}{}Response", pascal_case(&resp.status))
            };
            link_schema(em, &id, schema, &suggested, format!("response:{}", resp.status), resp.line);
        }
    }
}

fn link_schema<'a>(em: &mut Emitter<'a>, op: &NodeId, schema: &'a Value, suggested: &str, role: String, line: u32) {
    if let Some((t, many)) = em.type_use(schema, suggested) {
        let mut attrs = vec![(ROLE, role)];
        if many {
            attrs.push((emit::MANY, "true".to_string()));
        }
        em.link_use(op, &t, line, &attrs);
    }
}
