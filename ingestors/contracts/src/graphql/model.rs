//! A GraphQL document reduced to what ingestion and diffs need, read from
//! apollo-parser's error-resilient syntax tree with 1-based lines.
//!
//! Type system definitions and extensions are kept as written (one
//! [`TypeDef`] per definition or extension); [`Document::merged_types`]
//! folds extensions into their types as a schema build would.

use apollo_parser::cst::{self, CstNode};
use apollo_parser::Parser;
use std::collections::BTreeMap;

/// GraphQL's built-in scalars.
pub const BUILTIN_SCALARS: &[&str] = &["String", "Int", "Float", "Boolean", "ID"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeKind {
    Object,
    Interface,
    Union,
    Enum,
    Input,
    Scalar,
}

impl TypeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Object => "object",
            TypeKind::Interface => "interface",
            TypeKind::Union => "union",
            TypeKind::Enum => "enum",
            TypeKind::Input => "input",
            TypeKind::Scalar => "scalar",
        }
    }
    /// graphql-js `Kind` names used in graphql-inspector messages.
    pub fn js_kind(self) -> &'static str {
        match self {
            TypeKind::Object => "ObjectTypeDefinition",
            TypeKind::Interface => "InterfaceTypeDefinition",
            TypeKind::Union => "UnionTypeDefinition",
            TypeKind::Enum => "EnumTypeDefinition",
            TypeKind::Input => "InputObjectTypeDefinition",
            TypeKind::Scalar => "ScalarTypeDefinition",
        }
    }
}

/// A directive applied somewhere (`@deprecated(reason: "x")`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectiveUse {
    pub name: String,
    /// Arguments as written, whitespace-normalised.
    pub args: String,
}

/// An argument or input field.
#[derive(Clone, Debug, PartialEq)]
pub struct InputValue {
    pub name: String,
    /// Type as written without whitespace (`[Order!]!`).
    pub ty: String,
    pub default: Option<String>,
    pub description: Option<String>,
    pub directives: Vec<DirectiveUse>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ty: String,
    pub args: Vec<InputValue>,
    pub description: Option<String>,
    pub directives: Vec<DirectiveUse>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumVal {
    pub name: String,
    pub description: Option<String>,
    pub directives: Vec<DirectiveUse>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub kind: TypeKind,
    pub name: String,
    pub extension: bool,
    pub description: Option<String>,
    pub interfaces: Vec<String>,
    /// Object and interface fields.
    pub fields: Vec<FieldDef>,
    /// Input object fields.
    pub input_fields: Vec<InputValue>,
    pub members: Vec<String>,
    pub values: Vec<EnumVal>,
    pub directives: Vec<DirectiveUse>,
    pub line: u32,
    pub end_line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DirectiveDef {
    pub name: String,
    pub args: Vec<InputValue>,
    pub locations: Vec<String>,
    pub repeatable: bool,
    pub description: Option<String>,
    pub line: u32,
}

/// `query` / `mutation` / `subscription` / `fragment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Query,
    Mutation,
    Subscription,
    Fragment,
}

impl OpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OpKind::Query => "query",
            OpKind::Mutation => "mutation",
            OpKind::Subscription => "subscription",
            OpKind::Fragment => "fragment",
        }
    }
    /// The default root type name (`Query`), or the fragment's type condition.
    pub fn root_type(self) -> &'static str {
        match self {
            OpKind::Query => "Query",
            OpKind::Mutation => "Mutation",
            OpKind::Subscription => "Subscription",
            OpKind::Fragment => "",
        }
    }
}

/// A field read by a client selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRead {
    /// The schema field name (aliases resolved).
    pub field: String,
    /// The path of the selection it sits in (`Query.orders`, `Query.orders.items`), or a
    /// fragment's type condition (`Order`).
    pub receiver: String,
    pub line: u32,
}

/// A client operation or fragment from an executable document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOperation {
    pub kind: OpKind,
    pub name: Option<String>,
    /// For fragments, the type condition.
    pub type_condition: Option<String>,
    pub line: u32,
    /// Root fields as `Query.orders` with their lines (empty for fragments).
    pub root_fields: Vec<(String, u32)>,
    /// Fields read below the root, and every field of a fragment.
    pub reads: Vec<FieldRead>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub types: Vec<TypeDef>,
    pub directives: Vec<DirectiveDef>,
    /// `(operation, type name, line)` from `schema { ... }` and `extend schema { ... }`.
    pub schema_roots: Vec<(OpKind, String, u32)>,
    pub schema_directives: Vec<DirectiveUse>,
    pub operations: Vec<ClientOperation>,
    /// `(line, message)`.
    pub errors: Vec<(u32, String)>,
}

impl Document {
    pub fn has_type_system(&self) -> bool {
        !self.types.is_empty() || !self.directives.is_empty() || !self.schema_roots.is_empty()
    }

    /// The root type name for an operation kind: from `schema { }` or the default.
    pub fn root_type(&self, kind: OpKind) -> String {
        self.schema_roots
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|(_, t, _)| t.clone())
            .unwrap_or_else(|| kind.root_type().to_string())
    }

    /// Types with their extensions folded in, by name (extensions of types not
    /// defined in this document are dropped, as a schema build does).
    pub fn merged_types(&self) -> BTreeMap<String, TypeDef> {
        let mut out: BTreeMap<String, TypeDef> = BTreeMap::new();
        // Definitions first, so an extension written above its type still merges.
        let mut ordered: Vec<&TypeDef> = self.types.iter().filter(|t| !t.extension).collect();
        ordered.extend(self.types.iter().filter(|t| t.extension));
        for t in ordered {
            match out.get_mut(&t.name) {
                Some(base) => {
                    base.interfaces.extend(t.interfaces.iter().cloned());
                    base.fields.extend(t.fields.iter().cloned());
                    base.input_fields.extend(t.input_fields.iter().cloned());
                    base.members.extend(t.members.iter().cloned());
                    base.values.extend(t.values.iter().cloned());
                    // Like graphql-js, directive usages are read from the definition only.
                }
                // Like graphql-js `buildSchema`, an extension of a type the document does not
                // define is dropped.
                None if t.extension => {}
                None => {
                    out.insert(t.name.clone(), t.clone());
                }
            }
        }
        out
    }
}

/// Byte offset to 1-based line.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    pub fn line(&self, offset: usize) -> u32 {
        let i = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        u32::try_from(i + 1).unwrap_or(u32::MAX)
    }
}

struct Reader {
    lines: Lines,
    line_offset: u32,
}

impl Reader {
    fn start<N: CstNode>(&self, n: &N) -> u32 {
        self.lines.line(usize::from(n.syntax().text_range().start())) + self.line_offset
    }
    /// The line of a definition's name (a description above it is not the definition's line).
    fn name_line<N: CstNode>(&self, name: Option<cst::Name>, fallback: &N) -> u32 {
        match name {
            Some(n) => self.start(&n),
            None => self.start(fallback),
        }
    }
    fn end<N: CstNode>(&self, n: &N) -> u32 {
        let end = usize::from(n.syntax().text_range().end());
        self.lines.line(end.saturating_sub(1)) + self.line_offset
    }
}

/// Parses a document. `line_offset` is added to every line (for documents
/// embedded in a larger source file).
pub fn parse_document(text: &str, line_offset: u32) -> Document {
    let tree = Parser::new(text).recursion_limit(256).token_limit(2_000_000).parse();
    let r = Reader { lines: Lines::new(text), line_offset };
    let mut doc = Document::default();
    for e in tree.errors() {
        doc.errors.push((r.lines.line(e.index()) + line_offset, e.message().to_string()));
    }
    for def in tree.document().definitions() {
        read_definition(&r, &mut doc, def);
    }
    doc
}

/// The name's identifier. (apollo-parser's `Name::text` unwraps; this does not.)
fn name_of(n: Option<cst::Name>) -> Option<String> {
    n.and_then(|n| n.ident_token()).map(|t| t.text().to_string())
}

fn compact(node: &cst::SyntaxNode) -> String {
    node.text().to_string().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A type reference without whitespace: `[ Order ! ] !` → `[Order!]!`.
fn type_text(t: Option<cst::Type>) -> String {
    t.map(|t| t.syntax().text().to_string().chars().filter(|c| !c.is_whitespace() && *c != ',').collect())
        .unwrap_or_default()
}

fn description(d: Option<cst::Description>) -> Option<String> {
    d.and_then(|d| d.string_value()).map(String::from)
}

fn directives(d: Option<cst::Directives>) -> Vec<DirectiveUse> {
    d.map(|d| {
        d.directives()
            .filter_map(|x| {
                let name = name_of(x.name())?;
                let args = x.arguments().map(|a| compact(a.syntax())).unwrap_or_default();
                Some(DirectiveUse { name, args })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn input_values(r: &Reader, it: impl Iterator<Item = cst::InputValueDefinition>) -> Vec<InputValue> {
    it.filter_map(|v| {
        Some(InputValue {
            name: name_of(v.name())?,
            ty: type_text(v.ty()),
            default: v.default_value().and_then(|d| d.value()).map(|v| compact(v.syntax())),
            description: description(v.description()),
            directives: directives(v.directives()),
            line: r.name_line(v.name(), &v),
        })
    })
    .collect()
}

fn fields(r: &Reader, f: Option<cst::FieldsDefinition>) -> Vec<FieldDef> {
    let Some(f) = f else { return Vec::new() };
    f.field_definitions()
        .filter_map(|fd| {
            Some(FieldDef {
                name: name_of(fd.name())?,
                ty: type_text(fd.ty()),
                args: fd
                    .arguments_definition()
                    .map(|a| input_values(r, a.input_value_definitions()))
                    .unwrap_or_default(),
                description: description(fd.description()),
                directives: directives(fd.directives()),
                line: r.name_line(fd.name(), &fd),
            })
        })
        .collect()
}

fn named_types(it: impl Iterator<Item = cst::NamedType>) -> Vec<String> {
    it.filter_map(|n| name_of(n.name())).collect()
}

fn enum_values(r: &Reader, e: Option<cst::EnumValuesDefinition>) -> Vec<EnumVal> {
    let Some(e) = e else { return Vec::new() };
    e.enum_value_definitions()
        .filter_map(|v| {
            Some(EnumVal {
                name: name_of(v.enum_value().and_then(|x| x.name()))?,
                description: description(v.description()),
                directives: directives(v.directives()),
                line: r.name_line(v.enum_value().and_then(|x| x.name()), &v),
            })
        })
        .collect()
}

fn new_type(kind: TypeKind, name: String, extension: bool, line: u32, end_line: u32) -> TypeDef {
    TypeDef {
        kind,
        name,
        extension,
        description: None,
        interfaces: Vec::new(),
        fields: Vec::new(),
        input_fields: Vec::new(),
        members: Vec::new(),
        values: Vec::new(),
        directives: Vec::new(),
        line,
        end_line,
    }
}

fn op_kind(t: Option<cst::OperationType>) -> OpKind {
    match t {
        Some(t) if t.mutation_token().is_some() => OpKind::Mutation,
        Some(t) if t.subscription_token().is_some() => OpKind::Subscription,
        _ => OpKind::Query,
    }
}

fn roots(r: &Reader, doc: &mut Document, it: impl Iterator<Item = cst::RootOperationTypeDefinition>) {
    for rt in it {
        let kind = op_kind(rt.operation_type());
        if let Some(name) = rt.named_type().and_then(|n| name_of(n.name())) {
            doc.schema_roots.push((kind, name, r.start(&rt)));
        }
    }
}

fn read_definition(r: &Reader, doc: &mut Document, def: cst::Definition) {
    use cst::Definition as D;
    macro_rules! ty {
        ($d:expr, $kind:expr, $ext:expr) => {{
            let Some(name) = name_of($d.name()) else { return };
            new_type($kind, name, $ext, r.name_line($d.name(), &$d), r.end(&$d))
        }};
    }
    let t = match def {
        D::OperationDefinition(op) => {
            let kind = op_kind(op.operation_type());
            let mut co = ClientOperation {
                kind,
                name: name_of(op.name()),
                type_condition: None,
                line: r.start(&op),
                root_fields: Vec::new(),
                reads: Vec::new(),
            };
            if let Some(sel) = op.selection_set() {
                selections(r, &sel, kind.root_type(), true, &mut co, 0);
            }
            doc.operations.push(co);
            return;
        }
        D::FragmentDefinition(fr) => {
            let cond = fr.type_condition().and_then(|t| t.named_type()).and_then(|n| name_of(n.name()));
            let mut co = ClientOperation {
                kind: OpKind::Fragment,
                name: fr.fragment_name().and_then(|n| name_of(n.name())),
                type_condition: cond.clone(),
                line: r.start(&fr),
                root_fields: Vec::new(),
                reads: Vec::new(),
            };
            if let Some(sel) = fr.selection_set() {
                selections(r, &sel, cond.as_deref().unwrap_or(""), false, &mut co, 0);
            }
            doc.operations.push(co);
            return;
        }
        D::DirectiveDefinition(d) => {
            let Some(name) = name_of(d.name()) else { return };
            let locations = d
                .directive_locations()
                .map(|l| l.directive_locations().filter_map(|x| x.text().map(|t| t.to_string())).collect())
                .unwrap_or_default();
            doc.directives.push(DirectiveDef {
                name,
                args: d
                    .arguments_definition()
                    .map(|a| input_values(r, a.input_value_definitions()))
                    .unwrap_or_default(),
                locations,
                repeatable: d.repeatable_token().is_some(),
                description: description(d.description()),
                line: r.start(&d),
            });
            return;
        }
        D::SchemaDefinition(s) => {
            doc.schema_directives.extend(directives(s.directives()));
            roots(r, doc, s.root_operation_type_definitions());
            return;
        }
        D::SchemaExtension(s) => {
            doc.schema_directives.extend(directives(s.directives()));
            roots(r, doc, s.root_operation_type_definitions());
            return;
        }
        D::ScalarTypeDefinition(d) => {
            let mut t = ty!(d, TypeKind::Scalar, false);
            t.description = description(d.description());
            t.directives = directives(d.directives());
            t
        }
        D::ScalarTypeExtension(d) => {
            let mut t = ty!(d, TypeKind::Scalar, true);
            t.directives = directives(d.directives());
            t
        }
        D::ObjectTypeDefinition(d) => {
            let mut t = ty!(d, TypeKind::Object, false);
            t.description = description(d.description());
            t.interfaces = d.implements_interfaces().map(|i| named_types(i.named_types())).unwrap_or_default();
            t.fields = fields(r, d.fields_definition());
            t.directives = directives(d.directives());
            t
        }
        D::ObjectTypeExtension(d) => {
            let mut t = ty!(d, TypeKind::Object, true);
            t.interfaces = d.implements_interfaces().map(|i| named_types(i.named_types())).unwrap_or_default();
            t.fields = fields(r, d.fields_definition());
            t.directives = directives(d.directives());
            t
        }
        D::InterfaceTypeDefinition(d) => {
            let mut t = ty!(d, TypeKind::Interface, false);
            t.description = description(d.description());
            t.interfaces = d.implements_interfaces().map(|i| named_types(i.named_types())).unwrap_or_default();
            t.fields = fields(r, d.fields_definition());
            t.directives = directives(d.directives());
            t
        }
        D::InterfaceTypeExtension(d) => {
            let mut t = ty!(d, TypeKind::Interface, true);
            t.interfaces = d.implements_interfaces().map(|i| named_types(i.named_types())).unwrap_or_default();
            t.fields = fields(r, d.fields_definition());
            t.directives = directives(d.directives());
            t
        }
        D::UnionTypeDefinition(d) => {
            let mut t = ty!(d, TypeKind::Union, false);
            t.description = description(d.description());
            t.members = d.union_member_types().map(|m| named_types(m.named_types())).unwrap_or_default();
            t.directives = directives(d.directives());
            t
        }
        D::UnionTypeExtension(d) => {
            let mut t = ty!(d, TypeKind::Union, true);
            t.members = d.union_member_types().map(|m| named_types(m.named_types())).unwrap_or_default();
            t.directives = directives(d.directives());
            t
        }
        D::EnumTypeDefinition(d) => {
            let mut t = ty!(d, TypeKind::Enum, false);
            t.description = description(d.description());
            t.values = enum_values(r, d.enum_values_definition());
            t.directives = directives(d.directives());
            t
        }
        D::EnumTypeExtension(d) => {
            let mut t = ty!(d, TypeKind::Enum, true);
            t.values = enum_values(r, d.enum_values_definition());
            t.directives = directives(d.directives());
            t
        }
        D::InputObjectTypeDefinition(d) => {
            let mut t = ty!(d, TypeKind::Input, false);
            t.description = description(d.description());
            t.input_fields =
                d.input_fields_definition().map(|f| input_values(r, f.input_value_definitions())).unwrap_or_default();
            t.directives = directives(d.directives());
            t
        }
        D::InputObjectTypeExtension(d) => {
            let mut t = ty!(d, TypeKind::Input, true);
            t.input_fields =
                d.input_fields_definition().map(|f| input_values(r, f.input_value_definitions())).unwrap_or_default();
            t.directives = directives(d.directives());
            t
        }
    };
    doc.types.push(t);
}

/// Walks a selection set. At the root, fields are root fields; below it they are reads
/// with `receiver` = the path of their parent selection.
fn selections(r: &Reader, set: &cst::SelectionSet, path: &str, root: bool, co: &mut ClientOperation, depth: usize) {
    if depth > 64 {
        return;
    }
    for sel in set.selections() {
        match sel {
            cst::Selection::Field(f) => {
                let Some(name) = name_of(f.name()) else { continue };
                let line = r.start(&f);
                // `isLoggedIn @client` (Apollo local state) never reaches the server: neither it nor
                // what it selects is read from the schema.
                if name.starts_with("__") || directives(f.directives()).iter().any(|d| d.name == "client") {
                    continue;
                }
                let child = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                if root {
                    co.root_fields.push((child.clone(), line));
                } else {
                    co.reads.push(FieldRead { field: name.clone(), receiver: path.to_string(), line });
                }
                if let Some(s) = f.selection_set() {
                    selections(r, &s, &child, false, co, depth + 1);
                }
            }
            cst::Selection::InlineFragment(fr) => {
                // `... on Track { id }` below the root: the fields are Track's, whatever the path's type is.
                let cond = fr.type_condition().and_then(|t| t.named_type()).and_then(|n| name_of(n.name()));
                if let Some(s) = fr.selection_set() {
                    match cond {
                        Some(c) if !root => selections(r, &s, &c, false, co, depth + 1),
                        _ => selections(r, &s, path, root, co, depth + 1),
                    }
                }
            }
            cst::Selection::FragmentSpread(_) => {}
        }
    }
}
