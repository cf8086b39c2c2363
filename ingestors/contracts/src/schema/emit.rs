//! Turns JSON-Schema-shaped schemas (OpenAPI, AsyncAPI and JSON Schema all
//! use them) into `DataType` and `Field` nodes.
//!
//! * A named schema (`#/components/schemas/Order`, `#/definitions/Order`,
//!   `#/$defs/Order`) is a DataType `Order` that provides `(type, Order)`.
//! * Its properties are Fields with the wire name, a type string (see
//!   [`type_string`]), requiredness, nullability, `read_only`/`write_only` and
//!   `enum`. `allOf` members are merged (following local refs, bounded);
//!   `oneOf`/`anyOf` variants are recorded in the `one_of`/`any_of` attrs and
//!   the `discriminator` property name in `discriminator`.
//! * An inline object property becomes a nested DataType `Parent.prop`.
//! * A field (or an operation) that uses a named type gets a `UsesType` edge
//!   to it; a use of a type in another file is a `Reference` with
//!   `RefTarget::AnyOf([type:<repo>:<resolved path>#<Name>])`.

use super::refs::{deref, Ref, RefError};
use super::tree::{pointer, Kind, Value};
use brain_model::attr::{self, ns};
use brain_model::{Diagnostic, Edge, EdgeKind, Facts, Node, NodeId, NodeKind, Provenance, Reference, Severity, Span};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Attribute: `true` on read-only fields.
pub const READ_ONLY: &str = "read_only";
/// Attribute: `true` on write-only fields.
pub const WRITE_ONLY: &str = "write_only";
/// Attribute: comma-separated enum values of a field.
pub const ENUM: &str = "enum";
/// Attribute: the role of a type for an operation (`request`, `response:201`, `parameter`, `payload`).
pub const ROLE: &str = "role";
/// Attribute: `oneOf` variants of a data type (comma list of type strings).
pub const ONE_OF: &str = "one_of";
/// Attribute: `anyOf` variants of a data type.
pub const ANY_OF: &str = "any_of";
/// Attribute: discriminator property name of a data type.
pub const DISCRIMINATOR: &str = "discriminator";
/// Attribute: `true` when an operation uses an array of the type.
pub const MANY: &str = "many";
/// Attribute: where a parameter goes (`path`, `query`, `header`, `cookie`).
pub const IN: &str = "in";
/// Attribute: `true` on deprecated operations, types and fields.
pub const DEPRECATED: &str = "deprecated";

/// Deepest inline nesting turned into nested types.
const MAX_NESTING: usize = 12;
/// Most `allOf` members merged into one type (across nesting).
const MAX_ALLOF: usize = 64;
/// Most data types and fields emitted for one document. A 2 MiB spec written
/// by hand stays far below; only alias-amplified or generated input gets here.
pub const MAX_EMITTED: usize = 100_000;

/// What a use site (an operation, a field) points to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeUse {
    /// A DataType of this file, by name.
    Local(String),
    /// A DataType in another file of the repo.
    External { path: String, name: String },
}

/// The properties of an object schema after merging `allOf`.
#[derive(Default)]
pub struct Collected<'a> {
    /// `(name, line of the name, schema)` in document order, first wins.
    pub props: Vec<(String, u32, &'a Value)>,
    pub required: BTreeSet<String>,
    pub one_of: Vec<String>,
    pub any_of: Vec<String>,
    pub discriminator: Option<String>,
    /// External types merged through `allOf` (their fields are not visible here).
    pub external_bases: Vec<TypeUse>,
}

/// Emits data types of one document into a [`Facts`].
pub struct Emitter<'a> {
    pub repo: &'a str,
    pub path: &'a str,
    pub ingestor: &'static str,
    /// Diagnostic code prefix (`openapi`, `asyncapi`, `jsonschema`).
    pub code: &'static str,
    pub root: &'a Value,
    /// Node that `Contains` every data type (the spec).
    pub parent: NodeId,
    pub facts: Facts,
    /// Local pointer → type name of the named schemas.
    named: HashMap<String, String>,
    emitted: HashSet<String>,
    /// Schema (by address in the document) → the name it was emitted under,
    /// so a ref to an unnamed schema that is already emitted (an ancestor of
    /// itself, or a schema referenced from many places) reuses its type
    /// instead of expanding it again.
    by_schema: HashMap<*const Value, String>,
    /// Types and fields emitted so far (bounded by [`MAX_EMITTED`]).
    budget_used: usize,
    reported: HashSet<(u32, String)>,
}

impl<'a> Emitter<'a> {
    pub fn new(
        repo: &'a str,
        path: &'a str,
        ingestor: &'static str,
        code: &'static str,
        root: &'a Value,
        parent: NodeId,
    ) -> Self {
        Emitter {
            repo,
            path,
            ingestor,
            code,
            root,
            parent,
            facts: Facts::default(),
            named: HashMap::new(),
            emitted: HashSet::new(),
            by_schema: HashMap::new(),
            budget_used: 0,
            reported: HashSet::new(),
        }
    }

    pub fn prov(&self, start: u32, end: u32) -> Provenance {
        Provenance::declared(self.repo, self.path, Some(Span::new(start, end)), self.ingestor)
    }

    /// Registers every entry of the mapping at `map_pointer` (e.g.
    /// `#/components/schemas`) as a named schema.
    pub fn register_named(&mut self, map_pointer: &str) {
        let Some(map) = pointer(self.root, map_pointer) else { return };
        for (name, _, _) in map.entries() {
            let ptr = format!("{map_pointer}/{}", escape_segment(name));
            self.named.insert(ptr, name.clone());
        }
    }

    /// Registers one pointer under a name (the JSON Schema root `#`).
    pub fn register_one(&mut self, ptr: &str, name: &str) {
        self.named.insert(ptr.to_string(), name.to_string());
    }

    /// The registered name of a local pointer.
    pub fn named(&self, ptr: &str) -> Option<&str> {
        self.named.get(ptr).map(String::as_str)
    }

    /// Emits every registered named schema (sorted by pointer for stable output).
    pub fn emit_all_named(&mut self) {
        let mut all: Vec<(String, String)> = self.named.iter().map(|(p, n)| (p.clone(), n.clone())).collect();
        all.sort();
        for (ptr, name) in all {
            if let Some(schema) = pointer(self.root, &ptr) {
                self.emit_type(&name, schema, true);
            }
        }
    }

    pub fn diag(&mut self, severity: Severity, what: &str, line: u32, message: impl Into<String>) {
        let code = format!("{}.{what}", self.code);
        if self.reported.insert((line, code.clone())) {
            self.facts.diagnostic(Diagnostic::new(severity, &code, self.repo, self.path, Some(line), message));
        }
    }

    /// Reports a `$ref` that leaves the repository (never read or followed).
    fn outside(&mut self, line: u32, target: &str, r: &Ref) {
        let Some(reason) = r.outside_reason() else { return };
        let severity = if reason.contains("URL;") { Severity::Info } else { Severity::Warning };
        self.diag(severity, "ref-outside", line, format!("$ref '{target}' {reason}"));
    }

    /// Whether one more type or field fits in [`MAX_EMITTED`]; reports once when not.
    fn take_budget(&mut self, line: u32) -> bool {
        if self.budget_used >= MAX_EMITTED {
            if self.budget_used == MAX_EMITTED {
                self.budget_used += 1;
                let code = format!("{}.too-many-types", self.code);
                self.facts.diagnostic(Diagnostic::new(
                    Severity::Warning,
                    &code,
                    self.repo,
                    self.path,
                    Some(line),
                    format!("more than {MAX_EMITTED} data types and fields in one document; the rest are skipped"),
                ));
            }
            return false;
        }
        self.budget_used += 1;
        true
    }

    /// The type already emitted for this exact schema, if any.
    fn emitted_as(&self, schema: &Value) -> Option<TypeUse> {
        self.by_schema.get(&(schema as *const Value)).map(|n| TypeUse::Local(n.clone()))
    }

    /// Follows local refs from `v`, reporting a broken or cyclic chain.
    pub fn deref(&mut self, v: &'a Value) -> Option<(&'a Value, Option<String>)> {
        match deref(self.root, v) {
            Ok(x) => Some(x),
            Err(RefError::Unresolved(t)) => {
                self.diag(
                    Severity::Warning,
                    "ref-unresolved",
                    v.line,
                    format!("$ref '{t}' points at nothing in this file"),
                );
                None
            }
            Err(RefError::Cycle(t)) => {
                self.diag(Severity::Warning, "ref-cycle", v.line, format!("$ref '{t}' is part of a reference cycle"));
                None
            }
        }
    }

    /// What a use site of `schema` points to: a named type, a type in
    /// another file, or a synthesized type called `suggested` for an inline
    /// object; `None` for primitives. The `bool` is `true` for arrays of it.
    pub fn type_use(&mut self, schema: &'a Value, suggested: &str) -> Option<(TypeUse, bool)> {
        self.type_use_at(schema, suggested, 0)
    }

    fn type_use_at(&mut self, schema: &'a Value, suggested: &str, depth: usize) -> Option<(TypeUse, bool)> {
        if depth > MAX_NESTING {
            return None;
        }
        if let Some(target) = schema.str_at("$ref") {
            match Ref::parse(self.path, target) {
                Ref::Local(ptr) => {
                    if let Some(name) = self.named.get(&ptr) {
                        return Some((TypeUse::Local(name.clone()), false));
                    }
                    let (resolved, _) = self.deref(schema)?;
                    if let Some(t) = self.emitted_as(resolved) {
                        return Some((t, false));
                    }
                    return self.type_use_at(resolved, suggested, depth + 1);
                }
                r @ Ref::External { .. } => {
                    let name = r.target_name();
                    let Ref::External { path, .. } = r else { return None };
                    return Some((TypeUse::External { path, name }, false));
                }
                r @ Ref::Remote(_) => {
                    self.outside(schema.line, target, &r);
                    return None;
                }
            }
        }
        if is_array(schema) {
            let items = schema.get("items")?;
            let item_name = format!("{suggested}Item");
            return self.type_use_at(items, &item_name, depth + 1).map(|(t, _)| (t, true));
        }
        if is_object_like(schema) {
            self.emit_type(suggested, schema, false);
            return Some((TypeUse::Local(suggested.to_string()), false));
        }
        None
    }

    /// Adds a `UsesType` edge (or external reference) from `from` to `target`.
    pub fn link_use(&mut self, from: &NodeId, target: &TypeUse, line: u32, attrs: &[(&str, String)]) {
        let prov = self.prov(line, line);
        match target {
            TypeUse::Local(name) => {
                let mut e =
                    Edge::new(from.clone(), EdgeKind::UsesType, NodeId::data_type(self.repo, self.path, name), prov);
                for (k, v) in attrs {
                    e = e.with_attr(k, v.clone());
                }
                self.facts.edge(e);
            }
            TypeUse::External { path, name } => {
                let mut r = Reference::any_of(
                    from.clone(),
                    EdgeKind::UsesType,
                    vec![NodeId::data_type(self.repo, path, name)],
                    prov,
                );
                for (k, v) in attrs {
                    r = r.with_attr(k, v.clone());
                }
                self.facts.reference(r);
            }
        }
    }

    /// Emits a DataType `name` for `schema` with its fields (once per name).
    pub fn emit_type(&mut self, name: &str, schema: &'a Value, provide: bool) -> NodeId {
        self.emit_type_at(name, schema, provide, 0)
    }

    fn emit_type_at(&mut self, name: &str, schema: &'a Value, provide: bool, depth: usize) -> NodeId {
        let id = NodeId::data_type(self.repo, self.path, name);
        if self.emitted.contains(name) || !self.take_budget(schema.line) {
            return id;
        }
        self.emitted.insert(name.to_string());
        self.by_schema.entry(schema as *const Value).or_insert_with(|| name.to_string());
        let mut node = Node::new(id.clone(), NodeKind::DataType, name, self.prov(schema.line, schema.end_line))
            .with_attr(attr::TYPE, type_string(schema));
        if let Some(d) = schema.str_at("description").or_else(|| schema.str_at("title")) {
            node = node.with_text(d);
        }
        if schema.flag("deprecated") {
            node = node.with_attr(DEPRECATED, "true");
        }
        // A named schema that is only a ref to another one is an alias.
        let collected = match self.deref(schema) {
            Some((resolved, _)) => self.collect(resolved),
            None => Collected::default(),
        };
        if !collected.one_of.is_empty() {
            node = node.with_attr(ONE_OF, collected.one_of.join(","));
        }
        if !collected.any_of.is_empty() {
            node = node.with_attr(ANY_OF, collected.any_of.join(","));
        }
        if let Some(d) = &collected.discriminator {
            node = node.with_attr(DISCRIMINATOR, d.clone());
        }
        if let Some(values) = enum_values(schema) {
            node = node.with_attr(ENUM, values);
        }
        self.facts.node(node);
        if provide {
            self.facts.provide(&id, ns::TYPE, name);
        }
        self.facts.edge(Edge::new(
            self.parent.clone(),
            EdgeKind::Contains,
            id.clone(),
            self.prov(schema.line, schema.end_line),
        ));
        for base in &collected.external_bases {
            self.link_use(&id, base, schema.line, &[(ROLE, "base".to_string())]);
        }
        for (prop, line, pschema) in collected.props {
            self.emit_field(&id, name, &prop, line, pschema, collected.required.contains(&prop), depth);
        }
        id
    }

    #[allow(clippy::too_many_arguments)]
    fn emit_field(
        &mut self,
        type_id: &NodeId,
        type_name: &str,
        prop: &str,
        line: u32,
        schema: &'a Value,
        required: bool,
        depth: usize,
    ) {
        if !self.take_budget(line) {
            return;
        }
        let fid = NodeId::field(self.repo, self.path, type_name, prop);
        let resolved = self.deref(schema).map(|(r, _)| r).unwrap_or(schema);
        let nested = format!("{type_name}.{prop}");
        // An inline object property is typed by its nested type's name.
        let inline_object = schema.get("$ref").is_none() && !is_array(schema) && is_object_like(schema);
        let type_text = if inline_object && depth < MAX_NESTING { nested.clone() } else { type_string(schema) };
        let mut node = Node::new(fid.clone(), NodeKind::Field, prop, self.prov(line, schema.end_line.max(line)))
            .with_attr(attr::WIRE_NAME, prop)
            .with_attr(attr::TYPE, type_text)
            .with_attr(attr::REQUIRED, if required { "true" } else { "false" })
            .with_attr(attr::NULLABLE, if is_nullable(resolved) { "true" } else { "false" });
        if resolved.flag("readOnly") || schema.flag("readOnly") {
            node = node.with_attr(READ_ONLY, "true");
        }
        if resolved.flag("writeOnly") || schema.flag("writeOnly") {
            node = node.with_attr(WRITE_ONLY, "true");
        }
        if resolved.flag("deprecated") || schema.flag("deprecated") {
            node = node.with_attr(DEPRECATED, "true");
        }
        if let Some(values) = enum_values(resolved) {
            node = node.with_attr(ENUM, values);
        }
        if let Some(d) = schema.str_at("description").or_else(|| resolved.str_at("description")) {
            node = node.with_text(d);
        }
        self.facts.node(node);
        self.facts.edge(Edge::new(type_id.clone(), EdgeKind::HasField, fid.clone(), self.prov(line, line)));
        // The field's own type: a named type, another file's, or a nested inline object.
        if depth < MAX_NESTING {
            let target = if schema.get("$ref").is_some() || is_array(schema) {
                self.type_use_nested(schema, &nested, depth + 1)
            } else if is_object_like(schema) {
                self.emit_type_at(&nested, schema, false, depth + 1);
                Some(TypeUse::Local(nested))
            } else {
                None
            };
            if let Some(t) = target {
                self.link_use(&fid, &t, line, &[]);
            }
        }
    }

    fn type_use_nested(&mut self, schema: &'a Value, suggested: &str, depth: usize) -> Option<TypeUse> {
        if let Some(target) = schema.str_at("$ref") {
            return match Ref::parse(self.path, target) {
                Ref::Local(ptr) => {
                    if let Some(name) = self.named.get(&ptr) {
                        return Some(TypeUse::Local(name.clone()));
                    }
                    let (resolved, _) = self.deref(schema)?;
                    if let Some(t) = self.emitted_as(resolved) {
                        return Some(t);
                    }
                    if is_object_like(resolved) && depth < MAX_NESTING {
                        self.emit_type_at(suggested, resolved, false, depth);
                        Some(TypeUse::Local(suggested.to_string()))
                    } else {
                        None
                    }
                }
                r @ Ref::External { .. } => {
                    let name = r.target_name();
                    let Ref::External { path, .. } = r else { return None };
                    Some(TypeUse::External { path, name })
                }
                r @ Ref::Remote(_) => {
                    self.outside(schema.line, target, &r);
                    None
                }
            };
        }
        if is_array(schema) {
            let items = schema.get("items")?;
            return self.type_use_nested(items, suggested, depth + 1);
        }
        if is_object_like(schema) && depth < MAX_NESTING {
            self.emit_type_at(suggested, schema, false, depth);
            return Some(TypeUse::Local(suggested.to_string()));
        }
        None
    }

    /// Merges the properties of `schema` and its `allOf` members.
    pub fn collect(&mut self, schema: &'a Value) -> Collected<'a> {
        let mut out = Collected::default();
        let mut budget = MAX_ALLOF;
        let mut seen = HashSet::new();
        self.collect_into(schema, &mut out, &mut budget, &mut seen);
        out
    }

    fn collect_into(
        &mut self,
        schema: &'a Value,
        out: &mut Collected<'a>,
        budget: &mut usize,
        seen: &mut HashSet<*const Value>,
    ) {
        if *budget == 0 || !seen.insert(schema as *const Value) {
            return;
        }
        *budget -= 1;
        if let Some(props) = schema.get("properties") {
            for (name, line, v) in props.entries() {
                if !out.props.iter().any(|(n, _, _)| n == name) {
                    out.props.push((name.clone(), *line, v));
                }
            }
        }
        for r in schema.get("required").map(Value::items).unwrap_or(&[]) {
            if let Some(s) = r.as_str() {
                out.required.insert(s.to_string());
            }
        }
        if let Some(d) = schema.get("discriminator") {
            let name = d.str_at("propertyName").or_else(|| d.as_str());
            if let Some(n) = name {
                out.discriminator.get_or_insert_with(|| n.to_string());
            }
        }
        for v in schema.get("oneOf").map(Value::items).unwrap_or(&[]) {
            out.one_of.push(type_string(v));
        }
        for v in schema.get("anyOf").map(Value::items).unwrap_or(&[]) {
            out.any_of.push(type_string(v));
        }
        for member in schema.get("allOf").map(Value::items).unwrap_or(&[]) {
            if let Some(target) = member.str_at("$ref") {
                match Ref::parse(self.path, target) {
                    r @ Ref::External { .. } => {
                        let name = r.target_name();
                        if let Ref::External { path, .. } = r {
                            out.external_bases.push(TypeUse::External { path, name });
                        }
                        continue;
                    }
                    r @ Ref::Remote(_) => {
                        self.outside(member.line, target, &r);
                        continue;
                    }
                    Ref::Local(_) => {}
                }
            }
            if let Some((resolved, _)) = self.deref(member) {
                self.collect_into(resolved, out, budget, seen);
            }
        }
    }
}

/// Escapes a name for use as a JSON pointer segment.
pub fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// The declared types of a schema (`type: x` or `type: [x, "null"]`).
pub fn types_of(schema: &Value) -> Vec<String> {
    match schema.get("type").map(|t| &t.kind) {
        Some(Kind::String(s)) => vec![s.clone()],
        Some(Kind::Null) => vec!["null".to_string()],
        Some(Kind::Seq(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string).or_else(|| v.is_null().then(|| "null".to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a schema describes an array.
pub fn is_array(schema: &Value) -> bool {
    types_of(schema).iter().any(|t| t == "array") || (schema.get("type").is_none() && schema.get("items").is_some())
}

/// Whether a schema describes an object worth a type of its own.
pub fn is_object_like(schema: &Value) -> bool {
    let types = types_of(schema);
    if types.iter().any(|t| t != "object" && t != "null") {
        return false;
    }
    ["properties", "allOf", "oneOf", "anyOf", "discriminator"].iter().any(|k| schema.get(k).is_some())
}

/// Whether a value of the schema may be null: OpenAPI 3.0 `nullable`,
/// Swagger `x-nullable`, a `"null"` in a 3.1 / JSON Schema type array, a
/// `{type: null}` variant of oneOf/anyOf, or `null` among the enum values.
pub fn is_nullable(schema: &Value) -> bool {
    schema.flag("nullable")
        || schema.flag("x-nullable")
        || types_of(schema).iter().any(|t| t == "null")
        || ["oneOf", "anyOf"]
            .iter()
            .any(|k| schema.get(k).map(Value::items).unwrap_or(&[]).iter().any(|v| types_of(v) == ["null"]))
        || schema.get("enum").map(Value::items).unwrap_or(&[]).iter().any(Value::is_null)
}

/// Comma-separated enum values, or `const`.
pub fn enum_values(schema: &Value) -> Option<String> {
    if let Some(e) = schema.get("enum") {
        let vals: Vec<String> = e.items().iter().filter(|v| !v.is_null()).map(Value::render).collect();
        return (!vals.is_empty()).then(|| vals.join(","));
    }
    schema.get("const").map(Value::render)
}

/// The type of a schema as one string:
/// `$ref` → the referenced name; `type/format` (`string/date-time`);
/// `array<X>`; `map<X>` for `additionalProperties` objects; `a|b` for type
/// arrays (without `null`, which is the `nullable` attr); `oneOf<A|B>`,
/// `anyOf<A|B>`; a single-ref `allOf` → that name; `object` or `any`.
pub fn type_string(schema: &Value) -> String {
    type_string_at(schema, 0)
}

fn type_string_at(schema: &Value, depth: usize) -> String {
    if depth > 8 {
        return "any".to_string();
    }
    if let Some(r) = schema.str_at("$ref") {
        return Ref::parse("", r).target_name();
    }
    let mut types: Vec<String> = types_of(schema).into_iter().filter(|t| t != "null").collect();
    if types.is_empty() {
        for (key, label) in [("oneOf", "oneOf"), ("anyOf", "anyOf")] {
            let variants: Vec<String> = schema
                .get(key)
                .map(Value::items)
                .unwrap_or(&[])
                .iter()
                .filter(|v| types_of(v) != ["null"])
                .map(|v| type_string_at(v, depth + 1))
                .collect();
            match variants.len() {
                0 => {}
                1 => return variants.into_iter().next().unwrap_or_default(),
                _ => return format!("{label}<{}>", variants.join("|")),
            }
        }
        if let Some(all) = schema.get("allOf").map(Value::items) {
            if all.len() == 1 {
                return type_string_at(&all[0], depth + 1);
            }
            if !all.is_empty() {
                return "object".to_string();
            }
        }
        if schema.get("items").is_some() {
            types.push("array".to_string());
        } else if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
            types.push("object".to_string());
        } else if schema.get("const").is_some() || schema.get("enum").is_some() {
            return "enum".to_string();
        } else {
            return "any".to_string();
        }
    }
    let one = |t: &str| -> String {
        match t {
            "array" => match schema.get("items") {
                Some(items) => format!("array<{}>", type_string_at(items, depth + 1)),
                None => "array<any>".to_string(),
            },
            "object" if schema.get("properties").is_none() => match schema.get("additionalProperties") {
                Some(ap) if ap.is_map() && !ap.entries().is_empty() => {
                    format!("map<{}>", type_string_at(ap, depth + 1))
                }
                _ => "object".to_string(),
            },
            t => match schema.str_at("format") {
                Some(f) => format!("{t}/{f}"),
                None => t.to_string(),
            },
        }
    };
    types.iter().map(|t| one(t)).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tree::parse_yaml;

    fn ts(y: &str) -> String {
        type_string(&parse_yaml(y).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn type_strings() {
        assert_eq!(ts("type: string\nformat: date-time"), "string/date-time");
        assert_eq!(ts("type: array\nitems: {$ref: '#/components/schemas/Item'}"), "array<Item>");
        assert_eq!(ts("type: [string, 'null']"), "string");
        assert_eq!(ts("type: object\nadditionalProperties: {type: integer}"), "map<integer>");
        assert_eq!(ts("oneOf: [{$ref: '#/a/Cat'}, {$ref: '#/a/Dog'}]"), "oneOf<Cat|Dog>");
        assert_eq!(ts("anyOf: [{type: string}, {type: 'null'}]"), "string");
        assert_eq!(ts("allOf: [{$ref: '#/a/Money'}]"), "Money");
    }

    #[test]
    fn nullability_forms() {
        for y in
            ["nullable: true", "type: [string, 'null']", "x-nullable: true", "oneOf: [{type: string}, {type: 'null'}]"]
        {
            assert!(is_nullable(&parse_yaml(y).unwrap_or_else(|e| panic!("{e}"))), "{y}");
        }
        assert!(!is_nullable(&parse_yaml("type: string").unwrap_or_else(|e| panic!("{e}"))));
    }
}
