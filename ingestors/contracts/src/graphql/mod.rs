//! GraphQL ingestion: SDL files (`.graphql`, `.graphqls`, `.gql`) become a
//! `Spec`, `DataType`s with `Field`s, and one `Operation` per root field;
//! executable documents (queries, mutations, fragments) become client
//! references. Parsing uses apollo-parser, which recovers from errors, so a
//! broken file still yields what could be read plus `graphql.parse`
//! diagnostics.
//!
//! Facts for a schema file `acme/shop:schema.graphql`:
//! - `spec:…` (FORMAT `graphql`).
//! - each object, interface, input, union, enum and scalar: `type:…#Order`
//!   (attr `kind`) providing `(type, "Order")`; its fields `field:…#Order.total`
//!   with WIRE_NAME = the field name, TYPE as written (`[Order!]!`) and REQUIRED
//!   = non-null; `UsesType` references to the named types they use.
//! - each root field: `op:…#Query.orders` (PROTOCOL `graphql`, `operation_type`)
//!   providing `(graphql, "Query.orders")` (also under the canonical root
//!   name when `schema { query: Root }` renames it).
//!
//! For executable documents: `Consumes` references from the file to
//! `(graphql, "Query.orders")` per root field, and `ReadsField` references to
//! `(field, "<name>")` with attr `receiver` (`Query.orders`, or a fragment's
//! type condition) for nested selections.

pub mod diff;
pub mod model;

pub use diff::{diff_graphql, DiffError};
pub use model::{ClientOperation, FieldRead, OpKind};

use brain_model::attr::{self, ns};
use brain_model::tyref::{self, Bnd, BndKind, TyRef};
use brain_model::{
    Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Reference, Severity, SourceFile,
    Span,
};
use model::{parse_document, Document, TypeKind, BUILTIN_SCALARS};

const NAME: &str = "graphql";
/// Attribute: what a node is (`object`, `interface`, `input`, `union`, `enum`, `scalar`, `enum_value`, `root_field`).
pub const KIND: &str = "kind";
/// Attribute: `query`, `mutation` or `subscription` on root-field operations.
pub const OPERATION_TYPE: &str = "operation_type";
/// Attribute: arguments of a field as written (`id: ID!, first: Int = 10`).
pub const ARGUMENTS: &str = "arguments";
/// Attribute on `ReadsField` references: the selection path the field is read from.
pub const RECEIVER: &str = "receiver";
/// Namespace of `ReadsField` reference keys (a field by name).
pub const NS_FIELD: &str = "field";
/// Attribute: the deprecation reason of a deprecated field or value.
pub const DEPRECATED: &str = "deprecated";

/// The GraphQL ingestor (`graphql`).
#[derive(Clone, Copy, Debug, Default)]
pub struct GraphqlIngestor;

impl Ingestor for GraphqlIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        path.ends_with(".graphql") || path.ends_with(".graphqls") || path.ends_with(".gql") || is_js_source(path)
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        if is_js_source(file.path) {
            // Operations in `gql` tagged templates: client facts only, lines of the source file.
            if !(file.content.contains("gql") || file.content.contains("graphql") || file.content.contains("GraphQL")) {
                return Facts::default();
            }
            // Apollo Server and friends keep the schema in templates too (`typeDefs = gql\`type Query { .. }\``).
            let doc = document_from_source(file.content);
            if doc.operations.is_empty() && !doc.has_type_system() {
                return Facts::default();
            }
            let mut cx = Ctx { repo: file.repo, path: file.path, facts: Facts::default() };
            let file_id = NodeId::file(file.repo, file.path);
            if doc.has_type_system() {
                schema_facts(&mut cx, &doc, &file_id);
            }
            client_facts(&mut cx, &doc, &file_id);
            return cx.facts;
        }
        let doc = parse_document(file.content, 0);
        facts_for(file.repo, file.path, &doc)
    }
}

/// JavaScript and TypeScript sources, where client operations live in tagged templates.
fn is_js_source(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".py"].iter().any(|e| name.ends_with(e))
        && !name.ends_with(".d.ts")
}

/// Every GraphQL template of a source file as one document: type definitions (a schema
/// written in a `gql` template) and client operations, with lines of the source file.
/// Parse errors are not reported: templates are often fragments with interpolations.
pub fn document_from_source(text: &str) -> Document {
    let mut doc = Document::default();
    for (start, body) in tagged_templates(text) {
        let line_offset = u32::try_from(text[..start].matches('\n').count()).unwrap_or(0);
        let d = parse_document(&body, line_offset);
        doc.types.extend(d.types);
        doc.directives.extend(d.directives);
        doc.schema_roots.extend(d.schema_roots);
        doc.schema_directives.extend(d.schema_directives);
        doc.operations.extend(d.operations);
    }
    doc
}

/// Client operations in a source file's GraphQL tagged templates and calls:
/// `` gql`...` ``, `` graphql`...` ``, `` gql(`...`) ``, `` graphql(`...`) ``, and
/// `/* GraphQL */ `...``. `${...}` interpolations (usually fragment
/// references) are blanked before parsing. Lines are 1-based lines of `text`.
pub fn extract_operations_from_source(text: &str) -> Vec<ClientOperation> {
    let mut out = Vec::new();
    for (start, body) in tagged_templates(text) {
        let line_offset = u32::try_from(text[..start].matches('\n').count()).unwrap_or(0);
        let doc = parse_document(&body, line_offset);
        out.extend(doc.operations);
    }
    out
}

/// `(byte offset of the template body, body with interpolations blanked)`: JavaScript tagged
/// templates and Python `gql("""...""")` calls (the `gql` client library).
fn tagged_templates(text: &str) -> Vec<(usize, String)> {
    let mut out = js_templates(text);
    if text.contains("\"\"\"") || text.contains("'''") {
        out.extend(python_documents(text));
    }
    out
}

/// `gql("""query { .. }""")`, `gql(\n    '''...'''\n)`, `graphql(r"""...""")`.
fn python_documents(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for tag in ["gql(", "graphql("] {
        let mut from = 0;
        while let Some(p) = text[from..].find(tag) {
            let at = from + p;
            from = at + tag.len();
            let prev_ok =
                at == 0 || !(text.as_bytes()[at - 1].is_ascii_alphanumeric() || text.as_bytes()[at - 1] == b'_');
            let rest = &text[from..];
            let lead = rest.len() - rest.trim_start().len();
            let rest = rest.trim_start();
            let rest_r = rest.strip_prefix('r').unwrap_or(rest);
            let quote = if rest_r.starts_with("\"\"\"") {
                "\"\"\""
            } else if rest_r.starts_with("'''") {
                "'''"
            } else {
                continue;
            };
            let start = from + lead + (rest.len() - rest_r.len()) + 3;
            let Some(len) = text[start..].find(quote) else { continue };
            if prev_ok {
                out.push((start, text[start..start + len].to_string()));
            }
            from = start + len + 3;
        }
    }
    out
}

fn js_templates(text: &str) -> Vec<(usize, String)> {
    const TAGS: &[&str] = &["gql`", "graphql`", "gql(`", "graphql(`", "/* GraphQL */`", "/* GraphQL */ `"];
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let Some((tag_at, tag)) =
            TAGS.iter().filter_map(|t| text[i..].find(t).map(|p| (i + p, *t))).min_by_key(|x| x.0)
        else {
            break;
        };
        // The tag must not be the tail of a longer identifier (`myGql`).
        let prev_ok = tag_at == 0 || !(bytes[tag_at - 1].is_ascii_alphanumeric() || bytes[tag_at - 1] == b'_');
        let start = tag_at + tag.len();
        let mut body = String::new();
        let mut j = start;
        let mut closed = false;
        while j < text.len() {
            let b = bytes[j];
            if b == b'\\' && j + 1 < text.len() {
                body.push(' ');
                j += 1;
                let c = text[j..].chars().next().unwrap_or(' ');
                body.push(if c == '\n' { '\n' } else { ' ' });
                j += c.len_utf8();
                continue;
            }
            if b == b'`' {
                closed = true;
                break;
            }
            if b == b'$' && bytes.get(j + 1) == Some(&b'{') {
                let mut depth = 0usize;
                while j < text.len() {
                    match bytes[j] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                body.push(' ');
                                j += 1;
                                break;
                            }
                        }
                        b'\n' => body.push('\n'),
                        _ => {}
                    }
                    body.push(' ');
                    j += 1;
                }
                continue;
            }
            let c = text[j..].chars().next().unwrap_or(' ');
            body.push(c);
            j += c.len_utf8();
        }
        if prev_ok && closed {
            out.push((start, body));
        }
        i = j.max(start) + 1;
    }
    out
}

struct Ctx<'a> {
    repo: &'a str,
    path: &'a str,
    facts: Facts,
}

impl Ctx<'_> {
    fn prov(&self, start: u32, end: u32) -> Provenance {
        Provenance::declared(self.repo, self.path, Some(Span::new(start, end)), NAME)
    }
}

/// The named type inside a type reference: `[Order!]!` → `Order`.
pub fn named_type(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

fn deprecation(ds: &[model::DirectiveUse]) -> Option<String> {
    ds.iter().find(|d| d.name == "deprecated").map(|d| {
        if d.args.is_empty() {
            "No longer supported".to_string()
        } else {
            d.args.clone()
        }
    })
}

/// Turns a parsed document into facts.
pub fn facts_for(repo: &str, path: &str, doc: &Document) -> Facts {
    let mut cx = Ctx { repo, path, facts: Facts::default() };
    for (line, msg) in &doc.errors {
        cx.facts.diagnostic(Diagnostic::new(Severity::Warning, "graphql.parse", repo, path, Some(*line), msg));
    }
    let file_id = NodeId::file(repo, path);
    if doc.has_type_system() {
        schema_facts(&mut cx, doc, &file_id);
    }
    client_facts(&mut cx, doc, &file_id);
    cx.facts
}

fn schema_facts(cx: &mut Ctx<'_>, doc: &Document, file_id: &NodeId) {
    let last = doc.types.iter().map(|t| t.end_line).max().unwrap_or(1);
    let file_name = cx.path.rsplit('/').next().unwrap_or(cx.path).to_string();
    let spec_id = cx.facts.node(
        Node::new(NodeId::spec(cx.repo, cx.path), NodeKind::Spec, file_name, cx.prov(1, last))
            .with_attr(attr::FORMAT, "graphql"),
    );
    cx.facts.edge(Edge::new(file_id.clone(), EdgeKind::Contains, spec_id.clone(), cx.prov(1, last)));
    let roots: Vec<(OpKind, String)> =
        [OpKind::Query, OpKind::Mutation, OpKind::Subscription].iter().map(|k| (*k, doc.root_type(*k))).collect();
    let mut seen_types = std::collections::BTreeSet::new();
    for t in &doc.types {
        let tid = NodeId::data_type(cx.repo, cx.path, &t.name);
        let p = cx.prov(t.line, t.end_line);
        // One node per type name; extensions in the same file add fields to it.
        if seen_types.insert(t.name.clone()) {
            let mut node =
                Node::new(tid.clone(), NodeKind::DataType, &t.name, p.clone()).with_attr(KIND, t.kind.as_str());
            if t.extension {
                node = node.with_attr("extension", "true");
            }
            if !t.members.is_empty() {
                node = node.with_attr("members", t.members.join(" | "));
            }
            if !t.interfaces.is_empty() {
                node = node.with_attr("implements", t.interfaces.join(" & "));
            }
            if let Some(d) = &t.description {
                node = node.with_text(d.clone());
            }
            cx.facts.node(node);
            cx.facts.edge(Edge::new(spec_id.clone(), EdgeKind::Contains, tid.clone(), p.clone()));
            cx.facts.provide(&tid, ns::TYPE, t.name.clone());
        }
        for i in t.interfaces.iter().chain(t.members.iter()) {
            cx.facts.reference(Reference::key(tid.clone(), EdgeKind::UsesType, ns::TYPE, i.clone(), p.clone()));
        }
        let root_kind = roots.iter().find(|(_, n)| *n == t.name).map(|(k, _)| *k);
        for f in &t.fields {
            let args = f
                .args
                .iter()
                .map(|a| match &a.default {
                    Some(d) => format!("{}: {} = {d}", a.name, a.ty),
                    None => format!("{}: {}", a.name, a.ty),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let fid = field_node(
                cx,
                &tid,
                &t.name,
                &f.name,
                &f.ty,
                f.line,
                f.description.as_deref(),
                deprecation(&f.directives),
                &args,
            );
            for a in &f.args {
                type_ref(cx, &fid, &a.ty, a.line);
            }
            if let (Some(kind), TypeKind::Object) = (root_kind, t.kind) {
                root_operation(cx, &spec_id, kind, &t.name, f, &args);
            }
        }
        for f in &t.input_fields {
            let extra = f.default.as_ref().map(|d| format!("= {d}")).unwrap_or_default();
            let fid = field_node(
                cx,
                &tid,
                &t.name,
                &f.name,
                &f.ty,
                f.line,
                f.description.as_deref(),
                deprecation(&f.directives),
                "",
            );
            if !extra.is_empty() {
                // Default values make non-null input fields optional for clients.
                if let Some(n) = cx.facts.nodes.iter_mut().rev().find(|n| n.id == fid) {
                    n.attrs.insert("default", extra.trim_start_matches("= ").to_string());
                    n.attrs.insert(attr::REQUIRED, "false".into());
                }
            }
        }
        for v in &t.values {
            let vp = cx.prov(v.line, v.line);
            let mut node =
                Node::new(NodeId::field(cx.repo, cx.path, &t.name, &v.name), NodeKind::Field, &v.name, vp.clone())
                    .with_attr(KIND, "enum_value")
                    .with_attr(attr::WIRE_NAME, v.name.clone())
                    .with_attr(attr::TYPE, t.name.clone());
            if let Some(r) = deprecation(&v.directives) {
                node = node.with_attr(DEPRECATED, r);
            }
            if let Some(d) = &v.description {
                node = node.with_text(d.clone());
            }
            let vid = cx.facts.node(node);
            cx.facts.edge(Edge::new(tid.clone(), EdgeKind::HasField, vid, vp));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn field_node(
    cx: &mut Ctx<'_>,
    owner: &NodeId,
    type_name: &str,
    name: &str,
    ty: &str,
    line: u32,
    doc: Option<&str>,
    deprecated: Option<String>,
    args: &str,
) -> NodeId {
    let p = cx.prov(line, line);
    let mut node = Node::new(NodeId::field(cx.repo, cx.path, type_name, name), NodeKind::Field, name, p.clone())
        .with_attr(attr::WIRE_NAME, name)
        .with_attr(attr::TYPE, ty)
        .with_attr(attr::REQUIRED, ty.ends_with('!').to_string())
        .with_attr(attr::NULLABLE, (!ty.ends_with('!')).to_string());
    if !args.is_empty() {
        node = node.with_attr(ARGUMENTS, args);
    }
    if let Some(r) = deprecated {
        node = node.with_attr(DEPRECATED, r);
    }
    if let Some(d) = doc {
        node = node.with_text(d);
    }
    let fid = cx.facts.node(node);
    cx.facts.edge(Edge::new(owner.clone(), EdgeKind::HasField, fid.clone(), p));
    type_ref(cx, &fid, ty, line);
    fid
}

fn type_ref(cx: &mut Ctx<'_>, from: &NodeId, ty: &str, line: u32) {
    let named = named_type(ty);
    if named.is_empty() || BUILTIN_SCALARS.contains(&named) {
        return;
    }
    cx.facts.reference(Reference::key(from.clone(), EdgeKind::UsesType, ns::TYPE, named, cx.prov(line, line)));
}

fn root_operation(cx: &mut Ctx<'_>, spec_id: &NodeId, kind: OpKind, root: &str, f: &model::FieldDef, args: &str) {
    let key = format!("{root}.{}", f.name);
    let p = cx.prov(f.line, f.line);
    let sig = if args.is_empty() { format!("{}: {}", f.name, f.ty) } else { format!("{}({args}): {}", f.name, f.ty) };
    let mut node = Node::new(NodeId::operation(cx.repo, cx.path, &key), NodeKind::Operation, &key, p.clone())
        .with_attr(KIND, "root_field")
        .with_attr(attr::PROTOCOL, "graphql")
        .with_attr(OPERATION_TYPE, kind.as_str())
        .with_attr(attr::TYPE, f.ty.clone())
        .with_attr(attr::SIGNATURE, sig);
    if !args.is_empty() {
        node = node.with_attr(ARGUMENTS, args);
    }
    if let Some(r) = deprecation(&f.directives) {
        node = node.with_attr(DEPRECATED, r);
    }
    if let Some(d) = &f.description {
        node = node.with_text(d.clone());
    }
    let oid = cx.facts.node(node);
    cx.facts.edge(Edge::new(spec_id.clone(), EdgeKind::Contains, oid.clone(), p.clone()));
    cx.facts.provide(&oid, ns::GRAPHQL, key.clone());
    let canonical = format!("{}.{}", kind.root_type(), f.name);
    if canonical != key {
        cx.facts.provide(&oid, ns::GRAPHQL, canonical);
    }
    type_ref_role(cx, &oid, &f.ty, f.line, "response");
    for a in &f.args {
        type_ref_role(cx, &oid, &a.ty, a.line, "request");
    }
}

/// A root field's result (`response`) or argument (`request`) type.
fn type_ref_role(cx: &mut Ctx<'_>, from: &NodeId, ty: &str, line: u32, role: &str) {
    let named = named_type(ty);
    if named.is_empty() || BUILTIN_SCALARS.contains(&named) {
        return;
    }
    cx.facts.reference(
        Reference::key(from.clone(), EdgeKind::UsesType, ns::TYPE, named, cx.prov(line, line)).with_attr("role", role),
    );
}

fn client_facts(cx: &mut Ctx<'_>, doc: &Document, file_id: &NodeId) {
    for op in &doc.operations {
        let op_name = op.name.clone().unwrap_or_default();
        for (key, line) in &op.root_fields {
            let key = match op.kind {
                OpKind::Fragment => continue,
                k => {
                    // Root fields are keyed by the canonical root name, whatever the schema calls it.
                    let field = key.split_once('.').map(|(_, f)| f).unwrap_or(key);
                    format!("{}.{field}", k.root_type())
                }
            };
            let mut r = Reference::key(file_id.clone(), EdgeKind::Consumes, ns::GRAPHQL, key, cx.prov(*line, *line))
                .with_attr(OPERATION_TYPE, op.kind.as_str());
            if !op_name.is_empty() {
                r = r.with_attr("operation", op_name.clone());
            }
            cx.facts.reference(r);
        }
        for read in &op.reads {
            // The selection path as a deferred type the flow link pass resolves against the schema:
            // `Query.playlist.images` is the result of root field `Query.playlist`, then `images`;
            // a fragment's fields hang off its type condition.
            let Some(ty) = selection_type(&read.receiver, op.kind) else { continue };
            let mut r = Reference::key(
                file_id.clone(),
                EdgeKind::ReadsField,
                tyref::NS,
                ty.encode(),
                cx.prov(read.line, read.line),
            )
            .with_attr(tyref::NAME, read.field.clone())
            .with_attr(tyref::ACCESS, "select")
            .with_attr(RECEIVER, read.receiver.clone());
            if !op_name.is_empty() {
                r = r.with_attr("operation", op_name.clone());
            }
            cx.facts.reference(r);
        }
    }
}

/// The deferred type a selection path reads from: `Query.orders.items` is the result of
/// `Query.orders`, then its field `items`; any other head is a fragment's type condition.
fn selection_type(receiver: &str, kind: OpKind) -> Option<TyRef> {
    let segs: Vec<&str> = receiver.split('.').filter(|s| !s.is_empty()).collect();
    let head = *segs.first()?;
    let (mut t, rest) = if matches!(head, "Query" | "Mutation" | "Subscription") && segs.len() >= 2 {
        let root = if kind == OpKind::Fragment { head.to_string() } else { kind.root_type().to_string() };
        (TyRef::payload(Bnd::new(BndKind::Gql, format!("{root}.{}", segs[1]))), &segs[2..])
    } else {
        (TyRef::named(tyref::GRAPHQL_SCHEMA, head), &segs[1..])
    };
    for s in rest {
        t = t.field(s)?;
    }
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_gql_calls_are_found_with_lines() {
        let src = "from gql import gql\n\nLIST = gql(\n    \"\"\"\n    query ListProducts {\n      products { id stockLevel }\n    }\n    \"\"\"\n)\nOTHER = notgql(\"\"\"query { x }\"\"\")\n";
        let ops = extract_operations_from_source(src);
        assert_eq!(ops.len(), 1, "{ops:?}");
        assert_eq!(ops[0].name.as_deref(), Some("ListProducts"));
        assert_eq!(ops[0].root_fields, vec![("Query.products".to_string(), 6)]);
        assert!(ops[0].reads.iter().any(|r| r.field == "stockLevel" && r.line == 6));
    }

    #[test]
    fn tagged_templates_are_found_with_lines() {
        let src = "const a = 1;\nconst Q = gql`\n  query Orders {\n    orders { id ...F }\n  }\n  ${F}\n`;\nconst x = notgql`query { y }`;\n";
        let ops = extract_operations_from_source(src);
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].name.as_deref(), Some("Orders"));
        assert_eq!(ops[0].root_fields, vec![("Query.orders".to_string(), 4)]);
        assert_eq!(ops[0].reads[0].field, "id");
        assert_eq!(ops[0].reads[0].receiver, "Query.orders");
    }

    /// Apollo local-only fields (`@client`) are not read from the server's schema, nor is what
    /// they select; the server fields beside them are.
    #[test]
    fn local_only_fields_are_not_server_reads() {
        let src = "const Q = gql`\n  query Cart {\n    isLoggedIn @client\n    cartItems @client { id }\n    me { id isInCart @client }\n  }\n`;\n";
        let ops = extract_operations_from_source(src);
        assert_eq!(ops[0].root_fields, vec![("Query.me".to_string(), 5)]);
        let reads: Vec<(&str, &str)> = ops[0].reads.iter().map(|r| (r.receiver.as_str(), r.field.as_str())).collect();
        assert_eq!(reads, vec![("Query.me", "id")]);
    }

    #[test]
    fn named_type_strips_wrappers() {
        assert_eq!(named_type("[Order!]!"), "Order");
        assert_eq!(named_type("ID"), "ID");
    }
}
