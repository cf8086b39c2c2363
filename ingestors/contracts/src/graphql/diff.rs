//! Schema-to-schema changes between two GraphQL SDL documents, with
//! graphql-inspector's change types and criticality (`@graphql-inspector/core`
//! 6.x `diff`): BREAKING → [`Level::Breaking`], DANGEROUS → [`Level::Warning`],
//! NON_BREAKING → [`Level::Safe`].
//!
//! Like graphql-inspector, types are compared after extensions are merged,
//! root types default to `Query`/`Mutation`/`Subscription`, and directive
//! usages are compared by directive name on the definition itself.

use super::model::{
    parse_document, DirectiveDef, DirectiveUse, Document, EnumVal, FieldDef, InputValue, TypeDef, TypeKind,
};
use super::OpKind;
use crate::diff::{Change, Level, Location};
use std::collections::BTreeMap;

/// A schema could not be compared because one side does not parse.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DiffError {
    #[error("{path}:{line}: {message}")]
    Parse { path: String, line: u32, message: String },
}

const BREAKING: Level = Level::Breaking;
const DANGEROUS: Level = Level::Warning;
const SAFE: Level = Level::Safe;

/// Diffs two SDL documents.
pub fn diff_graphql(old: &str, new: &str, old_path: &str, new_path: &str) -> Result<Vec<Change>, DiffError> {
    let o = parse_clean(old, old_path)?;
    let n = parse_clean(new, new_path)?;
    let mut d = Differ { old_path, new_path, out: Vec::new() };
    d.schema(&o, &n);
    Ok(d.out)
}

fn parse_clean(src: &str, path: &str) -> Result<Document, DiffError> {
    let d = parse_document(src, 0);
    match d.errors.first() {
        Some((line, message)) => {
            Err(DiffError::Parse { path: path.to_string(), line: *line, message: message.clone() })
        }
        None => Ok(d),
    }
}

/// `@deprecated` gives a reason, `"No longer supported"` when none is written.
fn deprecation_reason(ds: &[DirectiveUse]) -> Option<String> {
    let d = ds.iter().find(|d| d.name == "deprecated")?;
    let args = d.args.trim_start_matches('(').trim_end_matches(')');
    match args.split_once(':') {
        Some((_, v)) => Some(v.trim().trim_matches('"').to_string()),
        None => Some("No longer supported".to_string()),
    }
}

struct Differ<'a> {
    old_path: &'a str,
    new_path: &'a str,
    out: Vec<Change>,
}

/// What a change is located at: its pointer and the line on each side.
struct At<'p> {
    pointer: &'p str,
    old: Option<u32>,
    new: Option<u32>,
}

impl Differ<'_> {
    fn add(&mut self, rule: &str, level: Level, message: String, at: At<'_>) {
        let loc = |path: &str, line: Option<u32>| {
            line.map(|l| Location { path: path.to_string(), line: Some(l), pointer: at.pointer.to_string() })
        };
        self.out.push(Change {
            rule: rule.to_string(),
            level,
            message,
            old: loc(self.old_path, at.old),
            new: loc(self.new_path, at.new),
        });
    }

    fn schema(&mut self, o: &Document, n: &Document) {
        for (kind, rule) in [
            (OpKind::Query, "SCHEMA_QUERY_TYPE_CHANGED"),
            (OpKind::Mutation, "SCHEMA_MUTATION_TYPE_CHANGED"),
            (OpKind::Subscription, "SCHEMA_SUBSCRIPTION_TYPE_CHANGED"),
        ] {
            let (a, b) = (o.root_type(kind), n.root_type(kind));
            if a != b {
                let line = |d: &Document| d.schema_roots.iter().find(|(k, _, _)| *k == kind).map(|(_, _, l)| *l);
                self.add(
                    rule,
                    BREAKING,
                    format!("Schema {} root has changed from '{a}' to '{b}'", kind.as_str()),
                    At { pointer: "schema", old: line(o).or(Some(1)), new: line(n).or(Some(1)) },
                );
            }
        }
        let (ot, nt) = (o.merged_types(), n.merged_types());
        for (name, t) in &ot {
            match nt.get(name) {
                None => self.add(
                    "TYPE_REMOVED",
                    BREAKING,
                    format!("Type '{name}' was removed"),
                    At { pointer: name, old: Some(t.line), new: None },
                ),
                Some(nt) => self.type_changes(t, nt),
            }
        }
        for (name, t) in &nt {
            if !ot.contains_key(name) {
                self.add(
                    "TYPE_ADDED",
                    SAFE,
                    format!("Type '{name}' was added"),
                    At { pointer: name, old: None, new: Some(t.line) },
                );
            }
        }
        self.directive_defs(&o.directives, &n.directives);
        self.usages("SCHEMA", "schema", &o.schema_directives, &n.schema_directives, 1, 1);
    }

    fn type_changes(&mut self, o: &TypeDef, n: &TypeDef) {
        let name = o.name.as_str();
        if o.kind != n.kind {
            self.add(
                "TYPE_KIND_CHANGED",
                BREAKING,
                format!("'{name}' kind changed from '{}' to '{}'", o.kind.js_kind(), n.kind.js_kind()),
                At { pointer: name, old: Some(o.line), new: Some(n.line) },
            );
        } else {
            match o.kind {
                TypeKind::Enum => self.enum_changes(o, n),
                TypeKind::Union => self.union_changes(o, n),
                TypeKind::Input => self.input_changes(o, n),
                TypeKind::Object => self.object_changes(o, n, true),
                TypeKind::Interface => self.object_changes(o, n, false),
                TypeKind::Scalar => {
                    self.usages("SCALAR", name, &o.directives, &n.directives, o.line, n.line);
                }
            }
        }
        let at = At { pointer: name, old: Some(o.line), new: Some(n.line) };
        match (&o.description, &n.description) {
            (None, Some(d)) => {
                self.add("TYPE_DESCRIPTION_ADDED", SAFE, format!("Type '{name}' has description '{d}'"), at)
            }
            (Some(_), None) => {
                self.add("TYPE_DESCRIPTION_REMOVED", SAFE, format!("Description was removed from type '{name}'"), at)
            }
            (Some(a), Some(b)) if a != b => self.add(
                "TYPE_DESCRIPTION_CHANGED",
                SAFE,
                format!("Description '{a}' on type '{name}' has changed to '{b}'"),
                at,
            ),
            _ => {}
        }
    }

    fn object_changes(&mut self, o: &TypeDef, n: &TypeDef, object: bool) {
        let name = o.name.as_str();
        let what = if object { "object type" } else { "interface" };
        // An interface implementing interfaces gets the same ids (graphql-inspector 8).
        for i in &o.interfaces {
            if !n.interfaces.contains(i) {
                self.add(
                    "OBJECT_TYPE_INTERFACE_REMOVED",
                    BREAKING,
                    format!("'{name}' {what} no longer implements '{i}' interface"),
                    At { pointer: name, old: Some(o.line), new: Some(n.line) },
                );
            }
        }
        for i in &n.interfaces {
            if !o.interfaces.contains(i) {
                self.add(
                    "OBJECT_TYPE_INTERFACE_ADDED",
                    DANGEROUS,
                    format!("'{name}' {what} implements '{i}' interface"),
                    At { pointer: name, old: Some(o.line), new: Some(n.line) },
                );
            }
        }
        let nf: BTreeMap<&str, &FieldDef> = n.fields.iter().map(|f| (f.name.as_str(), f)).collect();
        let of: BTreeMap<&str, &FieldDef> = o.fields.iter().map(|f| (f.name.as_str(), f)).collect();
        for f in &o.fields {
            let ptr = format!("{name}.{}", f.name);
            match nf.get(f.name.as_str()) {
                None => {
                    let dep = if deprecation_reason(&f.directives).is_some() { "(deprecated) " } else { "" };
                    self.add(
                        "FIELD_REMOVED",
                        BREAKING,
                        format!("Field '{}' {dep}was removed from {what} '{name}'", f.name),
                        At { pointer: &ptr, old: Some(f.line), new: None },
                    );
                }
                Some(g) => self.field_changes(name, f, g),
            }
        }
        for f in &n.fields {
            if !of.contains_key(f.name.as_str()) {
                self.add(
                    "FIELD_ADDED",
                    SAFE,
                    format!("Field '{}' was added to {what} '{name}'", f.name),
                    At { pointer: &format!("{name}.{}", f.name), old: None, new: Some(f.line) },
                );
            }
        }
        let loc = if object { "OBJECT" } else { "INTERFACE" };
        self.usages(loc, name, &o.directives, &n.directives, o.line, n.line);
    }

    fn field_changes(&mut self, ty: &str, o: &FieldDef, n: &FieldDef) {
        let ptr = format!("{ty}.{}", o.name);
        let at_ptr = At { pointer: &ptr, old: Some(o.line), new: Some(n.line) };
        match (&o.description, &n.description) {
            (None, Some(d)) => {
                self.add("FIELD_DESCRIPTION_ADDED", SAFE, format!("Field '{ptr}' has description '{d}'"), at_ptr)
            }
            (Some(_), None) => self.add(
                "FIELD_DESCRIPTION_REMOVED",
                SAFE,
                format!("Description was removed from field '{ptr}'"),
                at_ptr,
            ),
            (Some(a), Some(b)) if a != b => self.add(
                "FIELD_DESCRIPTION_CHANGED",
                SAFE,
                format!("Field '{ptr}' description changed from '{a}' to '{b}'"),
                at_ptr,
            ),
            _ => {}
        }
        let (od, nd) = (deprecation_reason(&o.directives), deprecation_reason(&n.directives));
        let mk = |_: &String| At { pointer: ptr.as_str(), old: Some(o.line), new: Some(n.line) };
        match (&od, &nd) {
            (None, Some(_)) => {
                self.add("FIELD_DEPRECATION_ADDED", SAFE, format!("Field '{ptr}' is deprecated"), mk(&ptr))
            }
            (Some(_), None) => self.add(
                "FIELD_DEPRECATION_REMOVED",
                DANGEROUS,
                format!("Field '{ptr}' is no longer deprecated"),
                mk(&ptr),
            ),
            _ => {}
        }
        match (&od, &nd) {
            (None, Some(r)) => self.add(
                "FIELD_DEPRECATION_REASON_ADDED",
                SAFE,
                format!("Field '{ptr}' has deprecation reason '{r}'"),
                mk(&ptr),
            ),
            (Some(_), None) => self.add(
                "FIELD_DEPRECATION_REASON_REMOVED",
                SAFE,
                format!("Deprecation reason was removed from field '{ptr}'"),
                mk(&ptr),
            ),
            (Some(a), Some(b)) if a != b => self.add(
                "FIELD_DEPRECATION_REASON_CHANGED",
                SAFE,
                format!("Deprecation reason on field '{ptr}' has changed from '{a}' to '{b}'"),
                mk(&ptr),
            ),
            _ => {}
        }
        if o.ty != n.ty {
            let level = if safe_change_for_field(&o.ty, &n.ty) { SAFE } else { BREAKING };
            self.add(
                "FIELD_TYPE_CHANGED",
                level,
                format!("Field '{ptr}' changed type from '{}' to '{}'", o.ty, n.ty),
                mk(&ptr),
            );
        }
        let na: BTreeMap<&str, &InputValue> = n.args.iter().map(|a| (a.name.as_str(), a)).collect();
        let oa: BTreeMap<&str, &InputValue> = o.args.iter().map(|a| (a.name.as_str(), a)).collect();
        for a in &n.args {
            if !oa.contains_key(a.name.as_str()) {
                let breaking = a.ty.ends_with('!') && a.default.is_none();
                let with_default = if a.default.is_some() { " (with default value) " } else { " " };
                self.add(
                    "FIELD_ARGUMENT_ADDED",
                    if breaking { BREAKING } else { DANGEROUS },
                    format!("Argument '{}: {}'{with_default}added to field '{ptr}'", a.name, a.ty),
                    At { pointer: &format!("{ptr}.{}", a.name), old: Some(o.line), new: Some(a.line) },
                );
            }
        }
        for a in &o.args {
            let aptr = format!("{ptr}.{}", a.name);
            match na.get(a.name.as_str()) {
                None => self.add(
                    "FIELD_ARGUMENT_REMOVED",
                    BREAKING,
                    format!("Argument '{}: {}' was removed from field '{ptr}'", a.name, a.ty),
                    At { pointer: &aptr, old: Some(a.line), new: Some(n.line) },
                ),
                Some(b) => {
                    let at = At { pointer: &aptr, old: Some(a.line), new: Some(b.line) };
                    if a.description != b.description {
                        self.add(
                            "FIELD_ARGUMENT_DESCRIPTION_CHANGED",
                            SAFE,
                            format!("Description for argument '{}' on field '{ptr}' changed", a.name),
                            at,
                        );
                    }
                    let at = || At { pointer: &aptr, old: Some(a.line), new: Some(b.line) };
                    if a.default != b.default {
                        self.add(
                            "FIELD_ARGUMENT_DEFAULT_CHANGED",
                            DANGEROUS,
                            format!(
                                "Default value for argument '{}' on field '{ptr}' changed from '{}' to '{}'",
                                a.name,
                                a.default.as_deref().unwrap_or("undefined"),
                                b.default.as_deref().unwrap_or("undefined")
                            ),
                            at(),
                        );
                    }
                    if a.ty != b.ty {
                        let level = if safe_change_for_input(&a.ty, &b.ty) { SAFE } else { BREAKING };
                        self.add(
                            "FIELD_ARGUMENT_TYPE_CHANGED",
                            level,
                            format!(
                                "Type for argument '{}' on field '{ptr}' changed from '{}' to '{}'",
                                a.name, a.ty, b.ty
                            ),
                            at(),
                        );
                    }
                    self.usages("ARGUMENT_DEFINITION", &aptr, &a.directives, &b.directives, a.line, b.line);
                }
            }
        }
        self.usages("FIELD_DEFINITION", &ptr, &o.directives, &n.directives, o.line, n.line);
    }

    fn input_changes(&mut self, o: &TypeDef, n: &TypeDef) {
        let name = o.name.as_str();
        let nf: BTreeMap<&str, &InputValue> = n.input_fields.iter().map(|f| (f.name.as_str(), f)).collect();
        let of: BTreeMap<&str, &InputValue> = o.input_fields.iter().map(|f| (f.name.as_str(), f)).collect();
        for f in &n.input_fields {
            if !of.contains_key(f.name.as_str()) {
                // A non-null field with a default may be left out, like a nullable one (graphql-inspector 8).
                let optional = !f.ty.ends_with('!') || f.default.is_some();
                self.add(
                    "INPUT_FIELD_ADDED",
                    if optional { DANGEROUS } else { BREAKING },
                    format!(
                        "Input field '{}' of type '{}'{} was added to input object type '{name}'",
                        f.name,
                        f.ty,
                        if f.default.is_some() { " with default value" } else { "" }
                    ),
                    At { pointer: &format!("{name}.{}", f.name), old: Some(o.line), new: Some(f.line) },
                );
            }
        }
        for f in &o.input_fields {
            let ptr = format!("{name}.{}", f.name);
            let Some(g) = nf.get(f.name.as_str()) else {
                let dep = if deprecation_reason(&f.directives).is_some() { "(deprecated) " } else { "" };
                self.add(
                    "INPUT_FIELD_REMOVED",
                    BREAKING,
                    format!("Input field '{}' {dep}was removed from input object type '{name}'", f.name),
                    At { pointer: &ptr, old: Some(f.line), new: Some(n.line) },
                );
                continue;
            };
            let at = || At { pointer: &ptr, old: Some(f.line), new: Some(g.line) };
            match (&f.description, &g.description) {
                (None, Some(d)) => self.add(
                    "INPUT_FIELD_DESCRIPTION_ADDED",
                    SAFE,
                    format!("Input field '{ptr}' has description '{d}'"),
                    at(),
                ),
                (Some(_), None) => self.add(
                    "INPUT_FIELD_DESCRIPTION_REMOVED",
                    SAFE,
                    format!("Description was removed from input field '{ptr}'"),
                    at(),
                ),
                (Some(a), Some(b)) if a != b => self.add(
                    "INPUT_FIELD_DESCRIPTION_CHANGED",
                    SAFE,
                    format!("Input field '{ptr}' description changed from '{a}' to '{b}'"),
                    at(),
                ),
                _ => {}
            }
            if f.default != g.default {
                self.add(
                    "INPUT_FIELD_DEFAULT_VALUE_CHANGED",
                    DANGEROUS,
                    format!(
                        "Input field '{ptr}' default value changed from '{}' to '{}'",
                        f.default.as_deref().unwrap_or("undefined"),
                        g.default.as_deref().unwrap_or("undefined")
                    ),
                    at(),
                );
            }
            if f.ty != g.ty {
                let level = if safe_change_for_input(&f.ty, &g.ty) { SAFE } else { BREAKING };
                self.add(
                    "INPUT_FIELD_TYPE_CHANGED",
                    level,
                    format!("Input field '{ptr}' changed type from '{}' to '{}'", f.ty, g.ty),
                    at(),
                );
            }
            self.usages("INPUT_FIELD_DEFINITION", &ptr, &f.directives, &g.directives, f.line, g.line);
        }
        self.usages("INPUT_OBJECT", name, &o.directives, &n.directives, o.line, n.line);
    }

    fn enum_changes(&mut self, o: &TypeDef, n: &TypeDef) {
        let name = o.name.as_str();
        let nv: BTreeMap<&str, &EnumVal> = n.values.iter().map(|v| (v.name.as_str(), v)).collect();
        let ov: BTreeMap<&str, &EnumVal> = o.values.iter().map(|v| (v.name.as_str(), v)).collect();
        for v in &n.values {
            if !ov.contains_key(v.name.as_str()) {
                self.add(
                    "ENUM_VALUE_ADDED",
                    DANGEROUS,
                    format!("Enum value '{}' was added to enum '{name}'", v.name),
                    At { pointer: &format!("{name}.{}", v.name), old: Some(o.line), new: Some(v.line) },
                );
            }
        }
        for v in &o.values {
            let ptr = format!("{name}.{}", v.name);
            let Some(w) = nv.get(v.name.as_str()) else {
                let dep = if deprecation_reason(&v.directives).is_some() { "(deprecated) " } else { "" };
                self.add(
                    "ENUM_VALUE_REMOVED",
                    BREAKING,
                    format!("Enum value '{}' {dep}was removed from enum '{name}'", v.name),
                    At { pointer: &ptr, old: Some(v.line), new: Some(n.line) },
                );
                continue;
            };
            let at = || At { pointer: &ptr, old: Some(v.line), new: Some(w.line) };
            if v.description != w.description {
                self.add(
                    "ENUM_VALUE_DESCRIPTION_CHANGED",
                    SAFE,
                    format!("Description of enum value '{ptr}' changed"),
                    at(),
                );
            }
            match (deprecation_reason(&v.directives), deprecation_reason(&w.directives)) {
                (None, Some(r)) => self.add(
                    "ENUM_VALUE_DEPRECATION_REASON_ADDED",
                    SAFE,
                    format!("Enum value '{ptr}' was deprecated with reason '{r}'"),
                    at(),
                ),
                (Some(_), None) => self.add(
                    "ENUM_VALUE_DEPRECATION_REASON_REMOVED",
                    SAFE,
                    format!("Deprecation reason was removed from enum value '{ptr}'"),
                    at(),
                ),
                (Some(a), Some(b)) if a != b => self.add(
                    "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
                    SAFE,
                    format!("Enum value '{ptr}' deprecation reason changed from '{a}' to '{b}'"),
                    at(),
                ),
                _ => {}
            }
            self.usages("ENUM_VALUE", &ptr, &v.directives, &w.directives, v.line, w.line);
        }
        self.usages("ENUM", name, &o.directives, &n.directives, o.line, n.line);
    }

    fn union_changes(&mut self, o: &TypeDef, n: &TypeDef) {
        let name = o.name.as_str();
        for m in &o.members {
            if !n.members.contains(m) {
                self.add(
                    "UNION_MEMBER_REMOVED",
                    BREAKING,
                    format!("Member '{m}' was removed from Union type '{name}'"),
                    At { pointer: name, old: Some(o.line), new: Some(n.line) },
                );
            }
        }
        for m in &n.members {
            if !o.members.contains(m) {
                self.add(
                    "UNION_MEMBER_ADDED",
                    DANGEROUS,
                    format!("Member '{m}' was added to Union type '{name}'"),
                    At { pointer: name, old: Some(o.line), new: Some(n.line) },
                );
            }
        }
        self.usages("UNION_MEMBER", name, &o.directives, &n.directives, o.line, n.line);
    }

    fn directive_defs(&mut self, o: &[DirectiveDef], n: &[DirectiveDef]) {
        let nd: BTreeMap<&str, &DirectiveDef> = n.iter().map(|d| (d.name.as_str(), d)).collect();
        let od: BTreeMap<&str, &DirectiveDef> = o.iter().map(|d| (d.name.as_str(), d)).collect();
        for d in n {
            if !od.contains_key(d.name.as_str()) {
                self.add(
                    "DIRECTIVE_ADDED",
                    SAFE,
                    format!("Directive '{}' was added", d.name),
                    At { pointer: &format!("@{}", d.name), old: None, new: Some(d.line) },
                );
            }
        }
        for d in o {
            let ptr = format!("@{}", d.name);
            let Some(e) = nd.get(d.name.as_str()) else {
                self.add(
                    "DIRECTIVE_REMOVED",
                    BREAKING,
                    format!("Directive '{}' was removed", d.name),
                    At { pointer: &ptr, old: Some(d.line), new: None },
                );
                continue;
            };
            let at = || At { pointer: &ptr, old: Some(d.line), new: Some(e.line) };
            match (d.repeatable, e.repeatable) {
                (true, false) => self.add(
                    "DIRECTIVE_REPEATABLE_REMOVED",
                    DANGEROUS,
                    format!("Repeatable flag was removed from directive '{ptr}'"),
                    at(),
                ),
                (false, true) => self.add(
                    "DIRECTIVE_REPEATABLE_ADDED",
                    SAFE,
                    format!("Repeatable flag was added to directive '{ptr}'"),
                    at(),
                ),
                _ => {}
            }
            if d.description != e.description {
                self.add("DIRECTIVE_DESCRIPTION_CHANGED", SAFE, format!("Directive '{ptr}' description changed"), at());
            }
            for l in &e.locations {
                if !d.locations.contains(l) {
                    self.add(
                        "DIRECTIVE_LOCATION_ADDED",
                        SAFE,
                        format!("Location '{l}' was added to directive '{ptr}'"),
                        at(),
                    );
                }
            }
            for l in &d.locations {
                if !e.locations.contains(l) {
                    self.add(
                        "DIRECTIVE_LOCATION_REMOVED",
                        BREAKING,
                        format!("Location '{l}' was removed from directive '{ptr}'"),
                        at(),
                    );
                }
            }
            let ea: BTreeMap<&str, &InputValue> = e.args.iter().map(|a| (a.name.as_str(), a)).collect();
            let da: BTreeMap<&str, &InputValue> = d.args.iter().map(|a| (a.name.as_str(), a)).collect();
            for a in &e.args {
                if !da.contains_key(a.name.as_str()) {
                    let level = if a.ty.ends_with('!') { BREAKING } else { SAFE };
                    let aptr = format!("{ptr}.{}", a.name);
                    self.add(
                        "DIRECTIVE_ARGUMENT_ADDED",
                        level,
                        format!("Argument '{}' was added to directive '{ptr}'", a.name),
                        At { pointer: &aptr, old: Some(d.line), new: Some(a.line) },
                    );
                }
            }
            for a in &d.args {
                let aptr = format!("{ptr}.{}", a.name);
                let Some(b) = ea.get(a.name.as_str()) else {
                    self.add(
                        "DIRECTIVE_ARGUMENT_REMOVED",
                        BREAKING,
                        format!("Argument '{}' was removed from directive '{ptr}'", a.name),
                        At { pointer: &aptr, old: Some(a.line), new: Some(e.line) },
                    );
                    continue;
                };
                // Changes of an argument are located at the argument in both versions.
                let at = || At { pointer: &aptr, old: Some(a.line), new: Some(b.line) };
                if a.description != b.description {
                    self.add(
                        "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED",
                        SAFE,
                        format!("Description for argument '{}' on directive '{ptr}' changed", a.name),
                        at(),
                    );
                }
                if a.default != b.default {
                    self.add(
                        "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED",
                        DANGEROUS,
                        format!("Default value for argument '{}' on directive '{ptr}' changed", a.name),
                        at(),
                    );
                }
                if a.ty != b.ty {
                    let level = if safe_change_for_input(&a.ty, &b.ty) { SAFE } else { BREAKING };
                    self.add(
                        "DIRECTIVE_ARGUMENT_TYPE_CHANGED",
                        level,
                        format!(
                            "Type for argument '{}' on directive '{ptr}' changed from '{}' to '{}'",
                            a.name, a.ty, b.ty
                        ),
                        at(),
                    );
                }
            }
        }
    }

    /// `DIRECTIVE_USAGE_<LOCATION>_ADDED/REMOVED`, compared by directive name.
    fn usages(&mut self, location: &str, ptr: &str, o: &[DirectiveUse], n: &[DirectiveUse], oline: u32, nline: u32) {
        for d in n {
            if !o.iter().any(|x| x.name == d.name) {
                let level = match d.name.as_str() {
                    "deprecated" => SAFE,
                    "oneOf" => BREAKING,
                    _ => DANGEROUS,
                };
                self.add(
                    &format!("DIRECTIVE_USAGE_{location}_ADDED"),
                    level,
                    format!("Directive '{}' was added to '{ptr}'", d.name),
                    At { pointer: ptr, old: Some(oline), new: Some(nline) },
                );
            }
        }
        for d in o {
            if !n.iter().any(|x| x.name == d.name) {
                let level = match d.name.as_str() {
                    "deprecated" | "oneOf" => SAFE,
                    _ => DANGEROUS,
                };
                self.add(
                    &format!("DIRECTIVE_USAGE_{location}_REMOVED"),
                    level,
                    format!("Directive '{}' was removed from '{ptr}'", d.name),
                    At { pointer: ptr, old: Some(oline), new: Some(nline) },
                );
            }
        }
    }
}

/// A type reference as a small tree.
#[derive(Debug, PartialEq)]
enum Ty<'a> {
    Named(&'a str),
    List(Box<Ty<'a>>),
    NonNull(Box<Ty<'a>>),
}

fn parse_ty(s: &str) -> Ty<'_> {
    if let Some(inner) = s.strip_suffix('!') {
        return Ty::NonNull(Box::new(parse_ty(inner)));
    }
    if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        return Ty::List(Box::new(parse_ty(inner)));
    }
    Ty::Named(s)
}

/// graphql-inspector's `safeChangeForField`: an output type may become non-null.
pub fn safe_change_for_field(old: &str, new: &str) -> bool {
    fn go(o: &Ty<'_>, n: &Ty<'_>) -> bool {
        match (o, n) {
            (Ty::Named(a), Ty::Named(b)) => a == b,
            (_, Ty::NonNull(ni)) => {
                let oi = match o {
                    Ty::NonNull(x) => x.as_ref(),
                    other => other,
                };
                go(oi, ni)
            }
            (Ty::List(oi), Ty::List(ni)) => go(oi, ni),
            _ => false,
        }
    }
    go(&parse_ty(old), &parse_ty(new))
}

/// graphql-inspector's `safeChangeForInputValue`: an input may become nullable.
pub fn safe_change_for_input(old: &str, new: &str) -> bool {
    fn go(o: &Ty<'_>, n: &Ty<'_>) -> bool {
        match (o, n) {
            (Ty::Named(a), Ty::Named(b)) => a == b,
            (Ty::List(oi), Ty::List(ni)) => go(oi, ni),
            (Ty::NonNull(oi), _) => {
                let ni = match n {
                    Ty::NonNull(x) => x.as_ref(),
                    other => other,
                };
                go(oi, ni)
            }
            _ => false,
        }
    }
    go(&parse_ty(old), &parse_ty(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_safety_matches_graphql_inspector() {
        assert!(safe_change_for_field("String", "String!"));
        assert!(!safe_change_for_field("String!", "String"));
        assert!(safe_change_for_field("[Int]", "[Int!]!"));
        assert!(!safe_change_for_field("Int", "[Int]"));
        assert!(safe_change_for_input("String!", "String"));
        assert!(!safe_change_for_input("String", "String!"));
        assert!(safe_change_for_input("[Int!]!", "[Int]"));
    }

    #[test]
    fn required_argument_is_breaking() {
        let old = "type Query { orders: [String] }";
        let new = "type Query { orders(first: Int!, after: String): [String] }";
        let c = diff_graphql(old, new, "a.graphql", "a.graphql").unwrap_or_default();
        let got: Vec<(&str, Level)> = c.iter().map(|c| (c.rule.as_str(), c.level)).collect();
        assert_eq!(got, vec![("FIELD_ARGUMENT_ADDED", BREAKING), ("FIELD_ARGUMENT_ADDED", DANGEROUS)]);
    }

    #[test]
    fn orphan_extensions_are_dropped_like_graphql_js() {
        // Seen in apollographql/spotify-showcase history: graphql-inspector reports the type removed.
        let old = "type Image { color: String }";
        let new = "extend type Image { color(format: String!): String }";
        let c = diff_graphql(old, new, "a.graphql", "a.graphql").unwrap_or_default();
        let got: Vec<&str> = c.iter().map(|c| c.rule.as_str()).collect();
        assert_eq!(got, vec!["TYPE_REMOVED"]);
    }
}
