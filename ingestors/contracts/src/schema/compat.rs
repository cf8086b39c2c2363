//! Schema-to-schema comparison shared by every diff.
//!
//! [`compare`] walks two versions of a schema side by side (following local
//! `$ref`s in each document, merging `allOf`, descending into properties and
//! array items, with a depth bound and a visited set against cycles) and
//! returns format-neutral [`Finding`]s. Each format then names them: the
//! OpenAPI diff with oasdiff rule ids, the AsyncAPI and JSON Schema diffs
//! with `payload-*` ids and compatibility classes (see [`Compat`]).

use super::emit::{is_nullable, type_string, types_of};
use super::refs::deref;
use super::tree::Value;
use std::collections::{BTreeSet, HashSet};

/// Deepest property nesting compared.
const MAX_DEPTH: usize = 24;

/// A numeric or length bound of a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bound {
    Max,
    Min,
    ExclusiveMax,
    ExclusiveMin,
    MaxLength,
    MinLength,
    MaxItems,
    MinItems,
}

impl Bound {
    pub const ALL: [(Bound, &'static str); 8] = [
        (Bound::Max, "maximum"),
        (Bound::Min, "minimum"),
        (Bound::ExclusiveMax, "exclusiveMaximum"),
        (Bound::ExclusiveMin, "exclusiveMinimum"),
        (Bound::MaxLength, "maxLength"),
        (Bound::MinLength, "minLength"),
        (Bound::MaxItems, "maxItems"),
        (Bound::MinItems, "minItems"),
    ];
    /// The oasdiff spelling (`max`, `min-length`, `exclusive-max`).
    pub fn slug(self) -> &'static str {
        match self {
            Bound::Max => "max",
            Bound::Min => "min",
            Bound::ExclusiveMax => "exclusive-max",
            Bound::ExclusiveMin => "exclusive-min",
            Bound::MaxLength => "max-length",
            Bound::MinLength => "min-length",
            Bound::MaxItems => "max-items",
            Bound::MinItems => "min-items",
        }
    }
    /// Whether a larger value accepts more (`max*`) or fewer (`min*`) values.
    pub fn is_upper(self) -> bool {
        matches!(self, Bound::Max | Bound::ExclusiveMax | Bound::MaxLength | Bound::MaxItems)
    }
}

/// How a bound changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoundChange {
    Set,
    Unset,
    Increased,
    Decreased,
}

/// What differs between the two schemas at one place.
#[derive(Clone, Debug, PartialEq)]
pub enum What {
    PropertyRemoved {
        required: bool,
        read_only: bool,
        write_only: bool,
    },
    PropertyAdded {
        required: bool,
        read_only: bool,
        write_only: bool,
        /// The added property has a `default` (a required one then costs old clients nothing to send).
        with_default: bool,
    },
    BecameRequired {
        read_only: bool,
        write_only: bool,
    },
    BecameOptional {
        read_only: bool,
        write_only: bool,
    },
    /// Type string changed; `widened` when every old value is still valid
    /// (`integer` → `number`, a type added to a type list), `narrowed` for the reverse.
    TypeChanged {
        old: String,
        new: String,
        widened: bool,
        narrowed: bool,
    },
    EnumValueRemoved(String),
    EnumValueAdded(String),
    BecameEnum,
    BecameNullable,
    BecameNotNullable,
    Bound {
        bound: Bound,
        change: BoundChange,
        old: Option<f64>,
        new: Option<f64>,
    },
    PatternAdded(String),
    PatternRemoved,
    PatternChanged {
        old: String,
        new: String,
    },
    OneOfAdded(String),
    OneOfRemoved(String),
    AnyOfAdded(String),
    AnyOfRemoved(String),
    /// `additionalProperties: false` set (closed) or unset (opened).
    AdditionalPropertiesClosed,
    AdditionalPropertiesOpened,
    DefaultChanged {
        old: Option<String>,
        new: Option<String>,
    },
    ConstChanged {
        old: Option<String>,
        new: Option<String>,
    },
    /// `readOnly` (`write_only: false`) or `writeOnly` (`write_only: true`) set (`now`) or unset on a property.
    AccessChanged {
        required: bool,
        write_only: bool,
        now: bool,
    },
    /// Another keyword changed: `key` is oasdiff's spelling (`contains`,
    /// `dependent-required`, `discriminator-mapping`, `all-of`), `change` one of
    /// `added`, `removed`, `changed`, `deleted`, `increased`, `decreased`;
    /// `detail` names the entry (a pattern, a mapping key, a variant).
    Keyword {
        key: &'static str,
        change: &'static str,
        detail: String,
    },
}

/// One difference, located in both versions.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Property path from the compared root (`items[].price`); empty for the root.
    pub at: String,
    pub what: What,
    pub old_line: Option<u32>,
    pub new_line: Option<u32>,
}

/// Which compatibility a payload change breaks, in the schema-registry sense:
/// *backward* = readers on the new schema can read data written with the old
/// one; *forward* = readers on the old schema can read data written with the
/// new one; *full* = both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Compat {
    pub breaks_backward: bool,
    pub breaks_forward: bool,
}

impl Compat {
    pub fn label(self) -> &'static str {
        match (self.breaks_backward, self.breaks_forward) {
            (true, true) => "breaks backward and forward compatibility",
            (true, false) => "breaks backward compatibility",
            (false, true) => "breaks forward compatibility",
            (false, false) => "compatible",
        }
    }
}

/// Compares `old` (in document `old_root`) with `new` (in `new_root`).
pub fn compare(old_root: &Value, old: &Value, new_root: &Value, new: &Value) -> Vec<Finding> {
    let mut w = Walker { old_root, new_root, out: Vec::new(), seen: HashSet::new() };
    w.walk(old, new, String::new(), 0);
    w.out
}

struct Walker<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    out: Vec<Finding>,
    seen: HashSet<(*const Value, *const Value)>,
}

/// Properties of a schema with `allOf` merged.
#[derive(Default)]
pub struct Props<'a> {
    pub props: Vec<(String, u32, &'a Value)>,
    pub required: BTreeSet<String>,
}

/// Merges `properties`/`required` of a schema and its `allOf` members (local refs followed).
pub fn merged_props<'a>(root: &'a Value, schema: &'a Value) -> Props<'a> {
    let mut out = Props::default();
    let mut seen = HashSet::new();
    merge_into(root, schema, &mut out, &mut seen, 0);
    out
}

fn merge_into<'a>(root: &'a Value, schema: &'a Value, out: &mut Props<'a>, seen: &mut HashSet<*const Value>, n: usize) {
    if n > 64 || !seen.insert(schema as *const Value) {
        return;
    }
    if let Some(props) = schema.get("properties") {
        for (name, line, v) in props.entries() {
            if !out.props.iter().any(|(p, _, _)| p == name) {
                out.props.push((name.clone(), *line, v));
            }
        }
    }
    for r in schema.get("required").map(Value::items).unwrap_or(&[]) {
        if let Some(s) = r.as_str() {
            out.required.insert(s.to_string());
        }
    }
    for m in schema.get("allOf").map(Value::items).unwrap_or(&[]) {
        if let Ok((resolved, _)) = deref(root, m) {
            merge_into(root, resolved, out, seen, n + 1);
        }
    }
}

fn resolve<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    deref(root, v).map(|(r, _)| r).unwrap_or(v)
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

fn bound_of(s: &Value, key: &str) -> Option<f64> {
    match key {
        // 3.0 / draft-4 write `exclusiveMaximum: true` next to `maximum`: the bound is that maximum, made exclusive.
        "exclusiveMaximum" | "exclusiveMinimum" => match s.get(key).and_then(Value::as_bool) {
            Some(true) => s.get(if key == "exclusiveMaximum" { "maximum" } else { "minimum" }).and_then(Value::as_f64),
            Some(false) => None,
            None => s.get(key).and_then(Value::as_f64),
        },
        _ => s.get(key).and_then(Value::as_f64),
    }
}

/// A non-empty `pattern` (an empty one constrains nothing).
fn pattern_of(s: &Value) -> Option<&str> {
    s.str_at("pattern").filter(|p| !p.is_empty())
}

/// Sub-schemas under a keyword whose presence alone is a change (`contains`, `if`).
const SUBSCHEMA_KEYWORDS: [(&str, &str); 10] = [
    ("contains", "contains"),
    ("if", "if"),
    ("then", "then"),
    ("else", "else"),
    ("not", "not"),
    ("propertyNames", "property-names"),
    ("unevaluatedItems", "unevaluated-items"),
    ("unevaluatedProperties", "unevaluated-properties"),
    ("contentSchema", "content-schema"),
    ("additionalItems", "additional-items"),
];

/// Every `What::Keyword` the walker reports, with its changes (for rule tables).
pub const KEYWORD_CHANGES: &[(&str, &[&str])] = &[
    ("all-of", &["added", "removed", "added-annotation-only", "removed-annotation-only"]),
    ("contains", &["added", "removed"]),
    ("if", &["added", "removed"]),
    ("then", &["added", "removed"]),
    ("else", &["added", "removed"]),
    ("not", &["added", "removed"]),
    ("property-names", &["added", "removed"]),
    ("unevaluated-items", &["added", "removed"]),
    ("unevaluated-properties", &["added", "removed"]),
    ("content-schema", &["added", "removed"]),
    ("additional-items", &["added", "removed"]),
    ("min-contains", &["set", "unset", "increased", "decreased"]),
    ("max-contains", &["set", "unset", "increased", "decreased"]),
    ("content-encoding", &["changed"]),
    ("content-media-type", &["changed"]),
    ("prefix-items", &["added", "removed"]),
    ("pattern-property", &["added", "removed"]),
    ("dependent-schema", &["added", "removed"]),
    ("dependent-required", &["added", "removed", "changed"]),
    ("discriminator", &["added", "removed"]),
    ("discriminator-property-name", &["changed"]),
    ("discriminator-mapping", &["added", "deleted", "changed"]),
];

/// Whether a schema only annotates (`title`, `description`, examples,
/// extensions): as an `allOf` member it accepts every instance.
fn annotation_only(s: &Value) -> bool {
    const ANNOTATIONS: [&str; 8] =
        ["title", "description", "example", "examples", "$comment", "deprecated", "externalDocs", "default"];
    s.is_map() && s.entries().iter().all(|(k, _, _)| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
}

/// The types a schema accepts when it is a bare type or type list, or a
/// `oneOf`/`anyOf` whose variants are bare types (`{type: string}`), sorted,
/// without `null`; the flag says it came from a composition.
fn type_list(s: &Value) -> Option<(Vec<String>, bool)> {
    let bare = |v: &Value| v.entries().iter().all(|(k, _, _)| k == "type" || k == "format" || k == "description");
    let declared: Vec<String> = types_of(s).into_iter().filter(|t| t != "null").collect();
    let composed: Vec<&Value> =
        ["oneOf", "anyOf"].iter().flat_map(|k| s.get(k).map(Value::items).unwrap_or(&[])).collect();
    let mut out: Vec<String> = if composed.is_empty() {
        if declared.is_empty()
            || !bare(s) && ["properties", "items", "enum", "allOf"].iter().any(|k| s.get(k).is_some())
        {
            return None;
        }
        declared
    } else {
        if !declared.is_empty() || !composed.iter().all(|v| bare(v) && !types_of(v).is_empty()) {
            return None;
        }
        composed.iter().flat_map(|v| types_of(v)).filter(|t| t != "null").collect()
    };
    out.sort();
    out.dedup();
    Some((out, !composed.is_empty()))
}

/// Pairs the variants of a `oneOf`/`anyOf`/`allOf` list by type string (a
/// `$ref`'s target name, `object`, `string`...), in order within one string.
fn pair_variants<'v>(old: &'v [Value], new: &'v [Value]) -> Vec<(&'v Value, &'v Value)> {
    let mut used = vec![false; new.len()];
    let mut out = Vec::new();
    for o in old {
        let t = type_string(o);
        if let Some(i) = (0..new.len()).find(|&i| !used[i] && type_string(&new[i]) == t) {
            used[i] = true;
            out.push((o, &new[i]));
        }
    }
    out
}

/// Widening between primitive types: every value of `old` is a value of `new`.
fn widens(old: &[String], new: &[String]) -> bool {
    !old.is_empty()
        && old.iter().all(|o| new.iter().any(|n| n == o || (o == "integer" && n == "number")))
        && old.len() <= new.len()
}

impl<'a> Walker<'a> {
    fn push(&mut self, at: &str, what: What, old: Option<&Value>, new: Option<&Value>) {
        self.out.push(Finding {
            at: at.to_string(),
            what,
            old_line: old.map(|v| v.line),
            new_line: new.map(|v| v.line),
        });
    }

    fn keyword(
        &mut self,
        at: &str,
        key: &'static str,
        change: &'static str,
        detail: String,
        o: Option<&Value>,
        n: Option<&Value>,
    ) {
        self.push(at, What::Keyword { key, change, detail }, o, n);
    }

    /// JSON Schema 2019/2020 keywords: sub-schemas added or removed (and
    /// compared when both have them), `prefixItems`, `patternProperties`,
    /// `dependentRequired`/`dependentSchemas`, `contains` bounds, content
    /// keywords and the OpenAPI `discriminator`.
    fn keywords(&mut self, old: &'a Value, new: &'a Value, at: &str, depth: usize) {
        let (o, n) = (Some(old), Some(new));
        for (key, slug) in SUBSCHEMA_KEYWORDS {
            match (old.get(key), new.get(key)) {
                (None, Some(_)) => self.keyword(at, slug, "added", String::new(), o, n),
                (Some(_), None) => self.keyword(at, slug, "removed", String::new(), o, n),
                (Some(a), Some(b)) if a.is_map() && b.is_map() => self.walk(a, b, at.to_string(), depth + 1),
                _ => {}
            }
        }
        for (key, slug) in [("minContains", "min-contains"), ("maxContains", "max-contains")] {
            let (a, b) = (old.get(key).and_then(Value::as_f64), new.get(key).and_then(Value::as_f64));
            let change = match (a, b) {
                (None, Some(_)) => "set",
                (Some(_), None) => "unset",
                (Some(a), Some(b)) if b > a => "increased",
                (Some(a), Some(b)) if b < a => "decreased",
                _ => continue,
            };
            self.keyword(at, slug, change, String::new(), o, n);
        }
        for (key, slug) in [("contentEncoding", "content-encoding"), ("contentMediaType", "content-media-type")] {
            if old.str_at(key) != new.str_at(key) {
                self.keyword(at, slug, "changed", new.str_at(key).unwrap_or("none").to_string(), o, n);
            }
        }
        // prefixItems: tuple positions added or removed, shared ones compared.
        let (op, np) = (
            old.get("prefixItems").map(Value::items).unwrap_or(&[]),
            new.get("prefixItems").map(Value::items).unwrap_or(&[]),
        );
        if np.len() > op.len() {
            self.keyword(at, "prefix-items", "added", np.len().to_string(), o, n);
        } else if np.len() < op.len() {
            self.keyword(at, "prefix-items", "removed", op.len().to_string(), o, n);
        }
        for (i, (a, b)) in op.iter().zip(np).enumerate() {
            self.walk(a, b, format!("{at}[{i}]"), depth + 1);
        }
        // Keyed sub-schemas: patternProperties and dependentSchemas.
        for (key, slug, removed) in
            [("patternProperties", "pattern-property", "removed"), ("dependentSchemas", "dependent-schema", "removed")]
        {
            let (oe, ne) =
                (old.get(key).map(Value::entries).unwrap_or(&[]), new.get(key).map(Value::entries).unwrap_or(&[]));
            for (k, _, a) in oe {
                match ne.iter().find(|(x, _, _)| x == k) {
                    None => self.keyword(at, slug, removed, k.clone(), o, n),
                    Some((_, _, b)) => self.walk(a, b, join(at, k), depth + 1),
                }
            }
            for (k, _, _) in ne.iter().filter(|(k, _, _)| !oe.iter().any(|(x, _, _)| x == k)) {
                self.keyword(at, slug, "added", k.clone(), o, n);
            }
        }
        // dependentRequired: per property, the list of properties it requires.
        let deps = |s: &Value| -> Vec<(String, Vec<String>)> {
            s.get("dependentRequired")
                .map(Value::entries)
                .unwrap_or(&[])
                .iter()
                .map(|(k, _, v)| (k.clone(), v.items().iter().filter_map(Value::as_str).map(str::to_string).collect()))
                .collect()
        };
        let (od, nd) = (deps(old), deps(new));
        for (k, ov) in &od {
            match nd.iter().find(|(x, _)| x == k) {
                None => self.keyword(at, "dependent-required", "removed", k.clone(), o, n),
                Some((_, nv)) if nv != ov => self.keyword(at, "dependent-required", "changed", k.clone(), o, n),
                _ => {}
            }
        }
        for (k, _) in nd.iter().filter(|(k, _)| !od.iter().any(|(x, _)| x == k)) {
            self.keyword(at, "dependent-required", "added", k.clone(), o, n);
        }
        // OpenAPI discriminator.
        match (old.get("discriminator"), new.get("discriminator")) {
            (None, Some(_)) => self.keyword(at, "discriminator", "added", String::new(), o, n),
            (Some(_), None) => self.keyword(at, "discriminator", "removed", String::new(), o, n),
            (Some(a), Some(b)) => {
                if a.str_at("propertyName") != b.str_at("propertyName") {
                    let name = b.str_at("propertyName").unwrap_or("").to_string();
                    self.keyword(at, "discriminator-property-name", "changed", name, o, n);
                }
                let (am, bm) = (
                    a.get("mapping").map(Value::entries).unwrap_or(&[]),
                    b.get("mapping").map(Value::entries).unwrap_or(&[]),
                );
                for (k, _, v) in am {
                    match bm.iter().find(|(x, _, _)| x == k) {
                        None => self.keyword(at, "discriminator-mapping", "deleted", k.clone(), o, n),
                        Some((_, _, w)) if w.render() != v.render() => {
                            self.keyword(at, "discriminator-mapping", "changed", k.clone(), o, n)
                        }
                        _ => {}
                    }
                }
                for (k, _, _) in bm.iter().filter(|(k, _, _)| !am.iter().any(|(x, _, _)| x == k)) {
                    self.keyword(at, "discriminator-mapping", "added", k.clone(), o, n);
                }
            }
            _ => {}
        }
    }

    fn walk(&mut self, old_raw: &'a Value, new_raw: &'a Value, at: String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let old = resolve(self.old_root, old_raw);
        let new = resolve(self.new_root, new_raw);
        if !self.seen.insert((old as *const Value, new as *const Value)) {
            return;
        }
        let (o, n) = (Some(old_raw), Some(new_raw));

        // A `oneOf`/`anyOf` of bare types is a list of types (`type: [a, b]`):
        // compared as one, so a rewrite to an equivalent type is no change.
        let as_lists = match (type_list(old), type_list(new)) {
            (Some((ol, oc)), Some((nl, nc))) if oc || nc => {
                if ol != nl {
                    let (widened, narrowed) = (widens(&ol, &nl), widens(&nl, &ol));
                    let (a, b) = (ol.join("|"), nl.join("|"));
                    self.push(&at, What::TypeChanged { old: a, new: b, widened, narrowed }, o, n);
                }
                true
            }
            _ => false,
        };

        // Types.
        let (ot, nt) = (type_string(old_raw), type_string(new_raw));
        let (otypes, ntypes): (Vec<String>, Vec<String>) = (
            types_of(old).into_iter().filter(|t| t != "null").collect(),
            types_of(new).into_iter().filter(|t| t != "null").collect(),
        );
        let ref_renamed = old_raw.get("$ref").is_some() || new_raw.get("$ref").is_some();
        if !as_lists && otypes != ntypes && !otypes.is_empty() && !ntypes.is_empty() {
            let widened = widens(&otypes, &ntypes);
            let narrowed = widens(&ntypes, &otypes);
            self.push(&at, What::TypeChanged { old: ot.clone(), new: nt.clone(), widened, narrowed }, o, n);
        } else if otypes == ntypes && !ref_renamed && old.str_at("format") != new.str_at("format") && !otypes.is_empty()
        {
            // Same type, different format (`int32` → `int64`, `date` → `date-time`).
            let widened = matches!(
                (old.str_at("format"), new.str_at("format")),
                (Some("int32"), Some("int64")) | (Some(_), None) | (Some("float"), Some("double"))
            );
            let narrowed = matches!(
                (old.str_at("format"), new.str_at("format")),
                (Some("int64"), Some("int32")) | (None, Some(_)) | (Some("double"), Some("float"))
            );
            self.push(&at, What::TypeChanged { old: ot.clone(), new: nt.clone(), widened, narrowed }, o, n);
        }

        // Nullability.
        match (is_nullable(old), is_nullable(new)) {
            (false, true) => self.push(&at, What::BecameNullable, o, n),
            (true, false) => self.push(&at, What::BecameNotNullable, o, n),
            _ => {}
        }

        // Enums.
        let values =
            |s: &Value| -> Option<Vec<String>> { s.get("enum").map(|e| e.items().iter().map(Value::render).collect()) };
        match (values(old), values(new)) {
            (Some(ov), Some(nv)) => {
                for v in ov.iter().filter(|v| !nv.contains(v)) {
                    self.push(&at, What::EnumValueRemoved(v.clone()), o, n);
                }
                for v in nv.iter().filter(|v| !ov.contains(v)) {
                    self.push(&at, What::EnumValueAdded(v.clone()), o, n);
                }
            }
            (None, Some(_)) => self.push(&at, What::BecameEnum, o, n),
            _ => {}
        }
        let (oc, nc) = (old.get("const").map(Value::render), new.get("const").map(Value::render));
        if oc != nc {
            self.push(&at, What::ConstChanged { old: oc, new: nc }, o, n);
        }
        let (od, nd) = (old.get("default").map(Value::render), new.get("default").map(Value::render));
        if od != nd {
            self.push(&at, What::DefaultChanged { old: od, new: nd }, o, n);
        }

        // Bounds.
        for (bound, key) in Bound::ALL {
            let (ob, nb) = (bound_of(old, key), bound_of(new, key));
            let change = match (ob, nb) {
                (None, Some(_)) => Some(BoundChange::Set),
                (Some(_), None) => Some(BoundChange::Unset),
                (Some(a), Some(b)) if b > a => Some(BoundChange::Increased),
                (Some(a), Some(b)) if b < a => Some(BoundChange::Decreased),
                _ => None,
            };
            if let Some(change) = change {
                self.push(&at, What::Bound { bound, change, old: ob, new: nb }, o, n);
            }
        }

        // Pattern.
        match (pattern_of(old), pattern_of(new)) {
            (None, Some(p)) => self.push(&at, What::PatternAdded(p.to_string()), o, n),
            (Some(_), None) => self.push(&at, What::PatternRemoved, o, n),
            (Some(a), Some(b)) if a != b => self.push(&at, What::PatternChanged { old: a.into(), new: b.into() }, o, n),
            _ => {}
        }

        // oneOf / anyOf variants, by type string.
        type Variant = fn(String) -> What;
        let compositions: &[(&str, Variant, Variant)] = if as_lists {
            &[]
        } else {
            &[("oneOf", What::OneOfAdded, What::OneOfRemoved), ("anyOf", What::AnyOfAdded, What::AnyOfRemoved)]
        };
        for &(key, added, removed) in compositions {
            let vs = |s: &Value| -> Vec<String> {
                s.get(key).map(Value::items).unwrap_or(&[]).iter().map(type_string).collect()
            };
            let (ov, nv) = (vs(old), vs(new));
            if ov.is_empty() && nv.is_empty() {
                continue;
            }
            for v in ov.iter().filter(|v| !nv.contains(v)) {
                self.push(&at, removed(v.clone()), o, n);
            }
            for v in nv.iter().filter(|v| !ov.contains(v)) {
                self.push(&at, added(v.clone()), o, n);
            }
        }

        // allOf members added / removed, by type string.
        {
            let members = |s: &'a Value| -> Vec<(String, bool)> {
                s.get("allOf")
                    .map(Value::items)
                    .unwrap_or(&[])
                    .iter()
                    .map(|m| (type_string(m), annotation_only(m)))
                    .collect()
            };
            let (ov, nv) = (members(old), members(new));
            let has = |list: &[(String, bool)], t: &str| list.iter().any(|(x, _)| x == t);
            for (v, annotation) in ov.iter().filter(|(v, _)| !has(&nv, v)) {
                let change = if *annotation { "removed-annotation-only" } else { "removed" };
                self.keyword(&at, "all-of", change, v.clone(), o, n);
            }
            for (v, annotation) in nv.iter().filter(|(v, _)| !has(&ov, v)) {
                let change = if *annotation { "added-annotation-only" } else { "added" };
                self.keyword(&at, "all-of", change, v.clone(), o, n);
            }
        }
        // Into the variants both versions share: a property renamed in a
        // `oneOf` → `$ref` → `allOf` → `$ref` chain is found at any depth.
        for key in ["oneOf", "anyOf"] {
            let (ov, nv) =
                (old.get(key).map(Value::items).unwrap_or(&[]), new.get(key).map(Value::items).unwrap_or(&[]));
            for (a, b) in pair_variants(ov, nv) {
                self.walk(a, b, at.clone(), depth + 1);
            }
        }
        self.keywords(old, new, &at, depth);

        // additionalProperties closed / opened.
        let closed = |s: &Value| s.get("additionalProperties").and_then(Value::as_bool) == Some(false);
        match (closed(old), closed(new)) {
            (false, true) => self.push(&at, What::AdditionalPropertiesClosed, o, n),
            (true, false) => self.push(&at, What::AdditionalPropertiesOpened, o, n),
            _ => {}
        }

        // Properties.
        let (op, np) = (merged_props(self.old_root, old), merged_props(self.new_root, new));
        let flags = |root: &'a Value, v: &'a Value| {
            let r = resolve(root, v);
            (r.flag("readOnly") || v.flag("readOnly"), r.flag("writeOnly") || v.flag("writeOnly"))
        };
        for (name, oline, ov) in &op.props {
            let path = join(&at, name);
            let (ro, wo) = flags(self.old_root, ov);
            let oreq = op.required.contains(name);
            match np.props.iter().find(|(p, _, _)| p == name) {
                None => self.out.push(Finding {
                    at: path,
                    what: What::PropertyRemoved { required: oreq, read_only: ro, write_only: wo },
                    old_line: Some(*oline),
                    new_line: Some(new_raw.line),
                }),
                Some((_, nline, nv)) => {
                    let nreq = np.required.contains(name);
                    let (nro, nwo) = flags(self.new_root, nv);
                    let (oro, owo) = flags(self.old_root, ov);
                    for (write_only, was, now) in [(false, oro, nro), (true, owo, nwo)] {
                        if was != now {
                            self.out.push(Finding {
                                at: path.clone(),
                                what: What::AccessChanged { required: nreq, write_only, now },
                                old_line: Some(*oline),
                                new_line: Some(*nline),
                            });
                        }
                    }
                    if oreq != nreq {
                        let what = if nreq {
                            What::BecameRequired { read_only: nro, write_only: nwo }
                        } else {
                            What::BecameOptional { read_only: nro, write_only: nwo }
                        };
                        self.out.push(Finding {
                            at: path.clone(),
                            what,
                            old_line: Some(*oline),
                            new_line: Some(*nline),
                        });
                    }
                    self.walk(ov, nv, path, depth + 1);
                }
            }
        }
        for (name, nline, nv) in &np.props {
            if !op.props.iter().any(|(p, _, _)| p == name) {
                let (ro, wo) = flags(self.new_root, nv);
                self.out.push(Finding {
                    at: join(&at, name),
                    what: What::PropertyAdded {
                        required: np.required.contains(name),
                        read_only: ro,
                        write_only: wo,
                        with_default: resolve(self.new_root, nv).get("default").is_some(),
                    },
                    old_line: Some(old_raw.line),
                    new_line: Some(*nline),
                });
            }
        }

        // Array items.
        if let (Some(oi), Some(ni)) = (old.get("items"), new.get("items")) {
            let (ot, nt) = (oi.items(), ni.items());
            if ot.is_empty() && nt.is_empty() {
                self.walk(oi, ni, format!("{at}[]"), depth + 1);
            } else {
                // Draft 4-2019 tuples (`items: [...]`): positions added or removed, shared ones compared.
                if nt.len() > ot.len() {
                    self.keyword(&at, "prefix-items", "added", nt.len().to_string(), o, n);
                } else if nt.len() < ot.len() {
                    self.keyword(&at, "prefix-items", "removed", ot.len().to_string(), o, n);
                }
                for (i, (a, b)) in ot.iter().zip(nt).enumerate() {
                    self.walk(a, b, format!("{at}[{i}]"), depth + 1);
                }
            }
        }
        // Map values.
        if let (Some(oa), Some(na)) = (old.get("additionalProperties"), new.get("additionalProperties")) {
            if oa.is_map() && na.is_map() {
                self.walk(oa, na, format!("{at}{{}}"), depth + 1);
            }
        }
    }
}

/// The compatibility classes each finding breaks, for payloads read by
/// consumers that validate against the schema (open content model unless
/// `additionalProperties: false`).
pub fn compat_of(what: &What) -> Compat {
    let c = |b: bool, f: bool| Compat { breaks_backward: b, breaks_forward: f };
    match what {
        // Old readers may require the removed property (forward); new readers ignore it in old data.
        What::PropertyRemoved { required, .. } => c(false, *required),
        // New readers require the new property; old data lacks it.
        What::PropertyAdded { required, .. } => c(*required, false),
        What::BecameRequired { .. } => c(true, false),
        What::BecameOptional { .. } => c(false, true),
        What::TypeChanged { widened, narrowed, .. } => c(!*widened, !*narrowed),
        What::EnumValueRemoved(_) => c(true, false),
        What::EnumValueAdded(_) => c(false, true),
        What::BecameEnum => c(true, false),
        What::BecameNullable => c(false, true),
        What::BecameNotNullable => c(true, false),
        What::Bound { bound, change, .. } => {
            // Narrowing the accepted values breaks backward; widening breaks forward.
            let narrows = match change {
                BoundChange::Set => true,
                BoundChange::Unset => false,
                BoundChange::Increased => !bound.is_upper(),
                BoundChange::Decreased => bound.is_upper(),
            };
            c(narrows, !narrows)
        }
        What::PatternAdded(_) => c(true, false),
        What::PatternRemoved => c(false, true),
        What::PatternChanged { .. } => c(true, true),
        What::OneOfAdded(_) | What::AnyOfAdded(_) => c(false, true),
        What::OneOfRemoved(_) | What::AnyOfRemoved(_) => c(true, false),
        What::AdditionalPropertiesClosed => c(true, false),
        What::AdditionalPropertiesOpened => c(false, true),
        What::DefaultChanged { .. } => c(false, false),
        What::ConstChanged { old, new } => match (old, new) {
            (None, Some(_)) => c(true, false),
            (Some(_), None) => c(false, true),
            _ => c(true, true),
        },
        What::AccessChanged { .. } => c(false, false),
        What::Keyword { change, .. } if change.ends_with("annotation-only") => c(false, false),
        What::Keyword { key, change, .. } => match *change {
            "added" | "set" => c(true, false),
            "removed" | "deleted" | "unset" => c(false, true),
            "increased" if key.starts_with("min") => c(true, false),
            "decreased" if key.starts_with("max") => c(true, false),
            "increased" | "decreased" => c(false, true),
            _ => c(true, true),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::tree::parse_yaml;

    fn cmp(a: &str, b: &str) -> Vec<What> {
        let (a, b) = (parse_yaml(a).unwrap_or_else(|e| panic!("{e}")), parse_yaml(b).unwrap_or_else(|e| panic!("{e}")));
        compare(&a, &a, &b, &b).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn property_and_type_changes() {
        let old = "type: object\nrequired: [id]\nproperties:\n  id: {type: integer}\n  note: {type: string}\n";
        let new = "type: object\nrequired: [id, total]\nproperties:\n  id: {type: number}\n  total: {type: integer}\n";
        let got = cmp(old, new);
        assert!(
            got.contains(&What::PropertyRemoved { required: false, read_only: false, write_only: false }),
            "{got:?}"
        );
        assert!(
            got.contains(&What::PropertyAdded {
                required: true,
                read_only: false,
                write_only: false,
                with_default: false
            }),
            "{got:?}"
        );
        assert!(got.iter().any(|w| matches!(w, What::TypeChanged { widened: true, .. })), "{got:?}");
    }

    #[test]
    fn ref_cycles_terminate() {
        let doc = "defs:\n  A: {type: object, properties: {a: {$ref: '#/defs/A'}}}\n";
        let v = parse_yaml(doc).unwrap_or_else(|e| panic!("{e}"));
        let a = v.get("defs").and_then(|d| d.get("A")).unwrap_or(&v);
        assert!(compare(&v, a, &v, a).is_empty());
    }
}
