//! Standalone JSON Schema ingestion (JSON or YAML) and payload diffs.
//!
//! A file is a JSON Schema when its top-level `$schema` names a json-schema.org
//! meta-schema, or when its name ends in `.schema.json` / `.schema.yaml` /
//! `.schema.yml` and its root has schema keywords (`type`, `properties`,
//! `$defs`, ...). Instance documents that merely point at their schema
//! (`tsconfig.json` with `"$schema": "https://json.schemastore.org/..."`)
//! are not schemas and are skipped. OpenAPI/AsyncAPI documents are left to
//! their own ingestors.
//!
//! Facts: a `Spec` (`format=jsonschema`, `version` = the `$schema` URI), a
//! `DataType` for the root and for each entry of `definitions` / `$defs`,
//! with `Field`s ([`crate::schema::emit`]). The root type's id uses the file
//! stem (`order.schema.json` → `type:<repo>:<path>#order`) so that
//! whole-file `$ref`s from other files (`./order.schema.json`) resolve to
//! it; its display name and provided type key is the `title` when present.

pub mod diff;

use crate::schema::emit::{Emitter, ENUM};
use crate::schema::is_yaml_or_json;
use crate::schema::refs::file_stem;
use crate::schema::tree::{parse_document, Value};
use brain_model::attr::{self, ns};
use brain_model::{Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Severity, SourceFile};
pub use diff::{diff_jsonschema, diff_jsonschema_with};

const INGESTOR: &str = "jsonschema";
/// Keywords that make a mapping look like a schema.
const SCHEMA_KEYWORDS: [&str; 10] =
    ["type", "properties", "$defs", "definitions", "$ref", "allOf", "anyOf", "oneOf", "items", "enum"];

/// Ingests standalone JSON Schema documents.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonSchemaIngestor;

fn schema_named(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".schema.json", ".schema.yaml", ".schema.yml"].iter().any(|s| lower.ends_with(s))
}

/// Whether `$schema` names a JSON Schema meta-schema.
fn is_meta_schema(uri: &str) -> bool {
    uri.contains("json-schema.org/")
}

/// A cheap text check before parsing.
fn may_be_schema(path: &str, content: &str) -> bool {
    schema_named(path) || (content.contains("$schema") && content.contains("json-schema.org"))
}

impl Ingestor for JsonSchemaIngestor {
    fn name(&self) -> &'static str {
        INGESTOR
    }
    fn accepts(&self, path: &str) -> bool {
        is_yaml_or_json(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        if !may_be_schema(file.path, file.content) {
            return Facts::default();
        }
        let mut facts = Facts::default();
        let root = match parse_document(file.path, file.content) {
            Ok(v) => v,
            Err(e) => {
                // Only a file named as a schema is reported: a broken file that
                // merely mentions json-schema.org is somebody else's business.
                if schema_named(file.path) {
                    facts.diagnostic(Diagnostic::new(
                        Severity::Error,
                        "jsonschema.parse",
                        file.repo,
                        file.path,
                        Some(e.line),
                        e.message,
                    ));
                }
                return facts;
            }
        };
        let declared = root.str_at("$schema").is_some_and(is_meta_schema);
        let looks = SCHEMA_KEYWORDS.iter().any(|k| root.get(k).is_some());
        if !(declared || (schema_named(file.path) && looks))
            || ["openapi", "swagger", "asyncapi"].iter().any(|k| root.get(k).is_some())
        {
            return facts;
        }
        facts.extend(ingest_schema(file, &root));
        facts
    }
}

fn ingest_schema(file: &SourceFile<'_>, root: &Value) -> Facts {
    let spec_id = NodeId::spec(file.repo, file.path);
    let mut em = Emitter::new(file.repo, file.path, INGESTOR, "jsonschema", root, spec_id.clone());
    let stem = file_stem(file.path);
    let title = root.str_at("title").map(str::to_string);
    let mut spec = Node::new(
        spec_id.clone(),
        NodeKind::Spec,
        title.clone().unwrap_or_else(|| stem.clone()),
        em.prov(root.line, root.end_line),
    )
    .with_attr(attr::FORMAT, "jsonschema");
    if let Some(s) = root.str_at("$schema") {
        spec = spec.with_attr(attr::VERSION, s);
    }
    if let Some(d) = root.str_at("description") {
        spec = spec.with_text(d);
    }
    em.facts.node(spec);
    em.facts.edge(Edge::new(
        NodeId::file(file.repo, file.path),
        EdgeKind::Contains,
        spec_id.clone(),
        em.prov(root.line, root.end_line),
    ));

    em.register_named("#/definitions");
    em.register_named("#/$defs");
    em.register_one("#", &stem);
    em.emit_all_named();

    // The root type: id by stem, provided under its title too.
    let root_id = NodeId::data_type(file.repo, file.path, &stem);
    if let Some(node) = em.facts.nodes.iter_mut().find(|n| n.id == root_id) {
        if let Some(t) = &title {
            node.name = t.clone();
        }
        if root.get("enum").is_some() && node.attr(ENUM).is_none() {
            if let Some(v) = crate::schema::emit::enum_values(root) {
                node.attrs.insert(ENUM, v);
            }
        }
    }
    if let Some(t) = title.filter(|t| *t != stem) {
        em.facts.provide(&root_id, ns::TYPE, t);
    }
    em.facts
}
