//! AsyncAPI 2.x and 3.x ingestion (YAML or JSON) and diffs.
//!
//! Facts per spec file:
//! * `Spec` node (`format` = `asyncapi-2.6`, `asyncapi-3.0`, ...; `version` =
//!   `info.version`), contained by the file.
//! * an `Operation` per (action, channel) from the application's point of
//!   view, `op:<repo>:<path>#send order.created` (see [`model`] for how 2.x
//!   `publish`/`subscribe` map to receive/send), attrs `protocol=event`,
//!   `topic`, `action`, `operation_id`, `bus` (the servers' protocols) and
//!   `broker_topic` (a `bindings.kafka.topic` that differs from the address);
//!   the spec `Exposes` it; it provides `(topic, <address>)` and
//!   `(topic, <broker_topic>)`.
//! * a `Reference` from the spec to `Key{topic, <address>}`: `Publishes` for
//!   send, `Subscribes` for receive, so the linker ties the spec to the topic
//!   and to code that produces or consumes it.
//! * payload schemas as `DataType`s with `Field`s ([`crate::schema::emit`]):
//!   named schemas under `components/schemas`, messages under
//!   `components/messages` with an inline payload as a type named by the
//!   message key, other inline payloads as `<message name>` or
//!   `<action> <address> payload`. The operation `UsesType` each payload with
//!   `role=payload`.

pub mod diff;
pub mod model;

use crate::openapi::{OPERATION_ID, SPEC_VERSION};
use crate::schema::emit::{Emitter, ROLE};
use crate::schema::tree::parse_document;
use crate::schema::{is_yaml_or_json, sniff};
use brain_model::attr::{self, ns};
use brain_model::{
    Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Reference, Severity, SourceFile,
};
pub use diff::diff_asyncapi;

const INGESTOR: &str = "asyncapi";
/// Attribute: `send` or `receive` on an event operation.
pub const ACTION: &str = "action";
/// Attribute: the broker's topic name from a channel binding (`bindings.kafka.topic`).
pub const BROKER_TOPIC: &str = "broker_topic";

/// Ingests AsyncAPI 2.x / 3.x documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct AsyncApiIngestor;

impl Ingestor for AsyncApiIngestor {
    fn name(&self) -> &'static str {
        INGESTOR
    }
    fn accepts(&self, path: &str) -> bool {
        is_yaml_or_json(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        if !sniff(file.content, "asyncapi") {
            return Facts::default();
        }
        ingest_asyncapi(file)
    }
}

fn ingest_asyncapi(file: &SourceFile<'_>) -> Facts {
    let mut facts = Facts::default();
    let root = match parse_document(file.path, file.content) {
        Ok(v) => v,
        Err(e) => {
            facts.diagnostic(Diagnostic::new(
                Severity::Error,
                "asyncapi.parse",
                file.repo,
                file.path,
                Some(e.line),
                e.message,
            ));
            return facts;
        }
    };
    let Some(api) = model::read(&root) else { return facts };
    let spec_id = NodeId::spec(file.repo, file.path);
    let mut em = Emitter::new(file.repo, file.path, INGESTOR, "asyncapi", &root, spec_id.clone());
    let title = api.title.clone().unwrap_or_else(|| file.path.rsplit('/').next().unwrap_or(file.path).to_string());
    let mut spec = Node::new(spec_id.clone(), NodeKind::Spec, title, em.prov(root.line, root.end_line))
        .with_attr(attr::FORMAT, api.format())
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

    em.register_named("#/components/schemas");
    em.emit_all_named();
    // Messages with inline payloads are types named by their key.
    for (name, _, msg) in root.get("components").and_then(|c| c.get("messages")).map(|m| m.entries()).unwrap_or(&[]) {
        if let Some(payload) = em.deref(msg).and_then(|(m, _)| m.get("payload")) {
            if payload.get("$ref").is_none() && crate::schema::emit::is_object_like(payload) {
                em.emit_type(name, payload, true);
            }
        }
    }

    let mut used: Vec<String> = Vec::new();
    for op in &api.operations {
        let mut display = format!("{} {}", op.action.as_str(), op.address);
        if used.contains(&display) {
            display = format!("{display} ({})", op.operation_id.as_deref().unwrap_or("duplicate"));
        }
        if used.contains(&display) {
            continue;
        }
        used.push(display.clone());
        let id = NodeId::operation(file.repo, file.path, &display);
        let mut node = Node::new(id.clone(), NodeKind::Operation, display.clone(), em.prov(op.line, op.end_line))
            .with_attr(attr::PROTOCOL, "event")
            .with_attr(attr::TOPIC, op.address.clone())
            .with_attr(ACTION, op.action.as_str());
        if !api.protocols.is_empty() {
            node = node.with_attr(attr::BUS, api.protocols.join(","));
        }
        if let Some(t) = &op.broker_topic {
            node = node.with_attr(BROKER_TOPIC, t.clone());
        }
        if let Some(oid) = &op.operation_id {
            node = node.with_attr(OPERATION_ID, oid.clone());
        }
        if let Some(s) = &op.summary {
            node = node.with_text(s.clone());
        }
        em.facts.node(node);
        em.facts.edge(Edge::new(spec_id.clone(), EdgeKind::Exposes, id.clone(), em.prov(op.line, op.end_line)));
        em.facts.provide(&id, ns::TOPIC, op.address.clone());
        if let Some(t) = &op.broker_topic {
            em.facts.provide(&id, ns::TOPIC, t.clone());
        }
        let kind = match op.action {
            model::Action::Send => EdgeKind::Publishes,
            model::Action::Receive => EdgeKind::Subscribes,
        };
        for topic in std::iter::once(&op.address).chain(op.broker_topic.as_ref()) {
            let r = Reference::key(spec_id.clone(), kind, ns::TOPIC, topic.clone(), em.prov(op.line, op.line));
            em.facts.reference(r);
        }
        for msg in &op.messages {
            let Some(payload) = msg.payload else { continue };
            let suggested = msg.name.clone().unwrap_or_else(|| format!("{display} payload"));
            if let Some((t, many)) = em.type_use(payload, &suggested) {
                let mut attrs = vec![(ROLE, "payload".to_string())];
                if many {
                    attrs.push((crate::schema::emit::MANY, "true".to_string()));
                }
                em.link_use(&id, &t, msg.line, &attrs);
            }
        }
    }
    facts.extend(em.facts);
    facts
}
