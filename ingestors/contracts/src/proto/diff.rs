//! Breaking-change detection between two versions of one `.proto` file, with
//! buf's rule ids (`buf breaking`, rules as listed by `buf config
//! ls-breaking-rules`, buf 1.75).
//!
//! [`diff_proto`] checks the rules of buf's default category, `FILE`;
//! [`diff_proto_in`] checks another category (`PACKAGE`, `WIRE_JSON`, `WIRE`).
//! Every finding is [`Level::Breaking`] (buf reports only breaking changes) and
//! its message ends with the categories that include the rule, e.g.
//! `[FILE, PACKAGE, WIRE_JSON, WIRE]` ([`rule_categories`]).
//!
//! Two files are compared, not two modules: rules that need the whole
//! module (`FILE_NO_DELETE`, moving a type to another file of the same
//! package) are out of reach and documented as such in `RULES.md`.

use super::ast::{join, Enum, Field, Label, Message, ProtoFile, Reserved, Service, Syntax};
use super::parser::parse;
use crate::diff::{Change, Level, Location};
use std::collections::{BTreeMap, BTreeSet};

/// A spec could not be compared because one side does not parse.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DiffError {
    #[error("{path}:{line}: {message}")]
    Parse { path: String, line: u32, message: String },
}

/// buf's breaking-change categories, strictest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    File,
    Package,
    WireJson,
    Wire,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::File => "FILE",
            Category::Package => "PACKAGE",
            Category::WireJson => "WIRE_JSON",
            Category::Wire => "WIRE",
        }
    }
    pub fn parse(s: &str) -> Option<Category> {
        match s.to_ascii_uppercase().as_str() {
            "FILE" => Some(Category::File),
            "PACKAGE" => Some(Category::Package),
            "WIRE_JSON" => Some(Category::WireJson),
            "WIRE" => Some(Category::Wire),
            _ => None,
        }
    }
}

/// buf's rules and their categories (buf 1.75, `buf config ls-breaking-rules`;
/// the `CSR` category is left out).
pub const RULES: &[(&str, &[&str])] = &[
    ("ENUM_NO_DELETE", &["FILE"]),
    ("EXTENSION_NO_DELETE", &["FILE"]),
    ("FILE_NO_DELETE", &["FILE"]),
    ("MESSAGE_NO_DELETE", &["FILE"]),
    ("SERVICE_NO_DELETE", &["FILE"]),
    ("ENUM_SAME_TYPE", &["FILE", "PACKAGE"]),
    ("FIELD_SAME_CARDINALITY", &["FILE", "PACKAGE"]),
    ("FIELD_SAME_CPP_STRING_TYPE", &["FILE", "PACKAGE"]),
    ("FIELD_SAME_JAVA_UTF8_VALIDATION", &["FILE", "PACKAGE"]),
    ("FIELD_SAME_JSTYPE", &["FILE", "PACKAGE"]),
    ("FIELD_SAME_UTF8_VALIDATION", &["FILE", "PACKAGE"]),
    ("FILE_SAME_CC_ENABLE_ARENAS", &["FILE", "PACKAGE"]),
    ("FILE_SAME_CC_GENERIC_SERVICES", &["FILE", "PACKAGE"]),
    ("FILE_SAME_CSHARP_NAMESPACE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_GO_PACKAGE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_JAVA_GENERIC_SERVICES", &["FILE", "PACKAGE"]),
    ("FILE_SAME_JAVA_MULTIPLE_FILES", &["FILE", "PACKAGE"]),
    ("FILE_SAME_JAVA_OUTER_CLASSNAME", &["FILE", "PACKAGE"]),
    ("FILE_SAME_JAVA_PACKAGE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_OBJC_CLASS_PREFIX", &["FILE", "PACKAGE"]),
    ("FILE_SAME_OPTIMIZE_FOR", &["FILE", "PACKAGE"]),
    ("FILE_SAME_PHP_CLASS_PREFIX", &["FILE", "PACKAGE"]),
    ("FILE_SAME_PHP_METADATA_NAMESPACE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_PHP_NAMESPACE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_PY_GENERIC_SERVICES", &["FILE", "PACKAGE"]),
    ("FILE_SAME_RUBY_PACKAGE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_SWIFT_PREFIX", &["FILE", "PACKAGE"]),
    ("RPC_NO_DELETE", &["FILE", "PACKAGE"]),
    ("ENUM_VALUE_NO_DELETE", &["FILE", "PACKAGE"]),
    ("EXTENSION_MESSAGE_NO_DELETE", &["FILE", "PACKAGE"]),
    ("FIELD_NO_DELETE", &["FILE", "PACKAGE"]),
    ("FIELD_SAME_TYPE", &["FILE", "PACKAGE"]),
    ("FILE_SAME_SYNTAX", &["FILE", "PACKAGE"]),
    ("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", &["FILE", "PACKAGE"]),
    ("ONEOF_NO_DELETE", &["FILE", "PACKAGE"]),
    ("ENUM_SAME_JSON_FORMAT", &["FILE", "PACKAGE", "WIRE_JSON"]),
    ("ENUM_VALUE_SAME_NAME", &["FILE", "PACKAGE", "WIRE_JSON"]),
    ("FIELD_SAME_JSON_NAME", &["FILE", "PACKAGE", "WIRE_JSON"]),
    ("FIELD_SAME_NAME", &["FILE", "PACKAGE", "WIRE_JSON"]),
    ("MESSAGE_SAME_JSON_FORMAT", &["FILE", "PACKAGE", "WIRE_JSON"]),
    ("FIELD_SAME_DEFAULT", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("FIELD_SAME_ONEOF", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("FILE_SAME_PACKAGE", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("MESSAGE_SAME_REQUIRED_FIELDS", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RESERVED_ENUM_NO_DELETE", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RESERVED_MESSAGE_NO_DELETE", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RPC_SAME_CLIENT_STREAMING", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RPC_SAME_IDEMPOTENCY_LEVEL", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RPC_SAME_REQUEST_TYPE", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RPC_SAME_RESPONSE_TYPE", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("RPC_SAME_SERVER_STREAMING", &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    ("PACKAGE_ENUM_NO_DELETE", &["PACKAGE"]),
    ("PACKAGE_EXTENSION_NO_DELETE", &["PACKAGE"]),
    ("PACKAGE_MESSAGE_NO_DELETE", &["PACKAGE"]),
    ("PACKAGE_NO_DELETE", &["PACKAGE"]),
    ("PACKAGE_SERVICE_NO_DELETE", &["PACKAGE"]),
    ("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", &["WIRE_JSON"]),
    ("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", &["WIRE_JSON"]),
    ("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", &["WIRE_JSON"]),
    ("FIELD_WIRE_JSON_COMPATIBLE_TYPE", &["WIRE_JSON"]),
    ("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", &["WIRE_JSON", "WIRE"]),
    ("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", &["WIRE_JSON", "WIRE"]),
    ("FIELD_WIRE_COMPATIBLE_CARDINALITY", &["WIRE"]),
    ("FIELD_WIRE_COMPATIBLE_TYPE", &["WIRE"]),
];

/// The categories that include `rule` (empty for an unknown rule).
pub fn rule_categories(rule: &str) -> &'static [&'static str] {
    RULES.iter().find(|(r, _)| *r == rule).map(|(_, c)| *c).unwrap_or(&[])
}

/// File options whose change is a `FILE_SAME_*` finding.
const FILE_OPTION_RULES: &[(&str, &str)] = &[
    ("cc_enable_arenas", "FILE_SAME_CC_ENABLE_ARENAS"),
    ("cc_generic_services", "FILE_SAME_CC_GENERIC_SERVICES"),
    ("csharp_namespace", "FILE_SAME_CSHARP_NAMESPACE"),
    ("go_package", "FILE_SAME_GO_PACKAGE"),
    ("java_generic_services", "FILE_SAME_JAVA_GENERIC_SERVICES"),
    ("java_multiple_files", "FILE_SAME_JAVA_MULTIPLE_FILES"),
    ("java_outer_classname", "FILE_SAME_JAVA_OUTER_CLASSNAME"),
    ("java_package", "FILE_SAME_JAVA_PACKAGE"),
    ("objc_class_prefix", "FILE_SAME_OBJC_CLASS_PREFIX"),
    ("optimize_for", "FILE_SAME_OPTIMIZE_FOR"),
    ("php_class_prefix", "FILE_SAME_PHP_CLASS_PREFIX"),
    ("php_metadata_namespace", "FILE_SAME_PHP_METADATA_NAMESPACE"),
    ("php_namespace", "FILE_SAME_PHP_NAMESPACE"),
    ("py_generic_services", "FILE_SAME_PY_GENERIC_SERVICES"),
    ("ruby_package", "FILE_SAME_RUBY_PACKAGE"),
    ("swift_prefix", "FILE_SAME_SWIFT_PREFIX"),
];

/// Diffs two versions of a proto file under buf's default category, `FILE`.
pub fn diff_proto(old: &str, new: &str, old_path: &str, new_path: &str) -> Result<Vec<Change>, DiffError> {
    diff_proto_in(old, new, old_path, new_path, Category::File)
}

/// Diffs two versions of a proto file, reporting the rules of `category`.
pub fn diff_proto_in(
    old: &str,
    new: &str,
    old_path: &str,
    new_path: &str,
    category: Category,
) -> Result<Vec<Change>, DiffError> {
    let o = parse_clean(old, old_path)?;
    let n = parse_clean(new, new_path)?;
    let mut d = Differ { old: &o, new: &n, old_path, new_path, category, out: Vec::new() };
    d.run();
    let mut out = d.out;
    out.sort_by_key(|c| {
        (c.new.as_ref().and_then(|l| l.line).or(c.old.as_ref().and_then(|l| l.line)).unwrap_or(0), c.rule.clone())
    });
    out.dedup();
    Ok(out)
}

fn parse_clean(src: &str, path: &str) -> Result<ProtoFile, DiffError> {
    let f = parse(src);
    match f.errors.first() {
        Some(e) => Err(DiffError::Parse { path: path.to_string(), line: e.line, message: e.message.clone() }),
        None => Ok(f),
    }
}

/// A message flattened with its full name.
struct Flat<'a> {
    msgs: BTreeMap<String, &'a Message>,
    enums: BTreeMap<String, &'a Enum>,
    /// Extension fields by `<scope>.<name>`, with the extendee as written.
    extensions: BTreeMap<String, (&'a Field, String)>,
}

fn flatten(f: &ProtoFile) -> Flat<'_> {
    fn walk<'a>(prefix: &str, msgs: &'a [Message], enums: &'a [Enum], flat: &mut Flat<'a>) {
        for e in enums {
            flat.enums.insert(join(prefix, &e.name), e);
        }
        for m in msgs {
            let name = join(prefix, &m.name);
            for x in &m.extends {
                for fld in &x.fields {
                    flat.extensions.insert(join(&name, &fld.name), (fld, x.extendee.clone()));
                }
            }
            flat.msgs.insert(name.clone(), m);
            walk(&name, &m.messages, &m.enums, flat);
        }
    }
    let mut flat = Flat { msgs: BTreeMap::new(), enums: BTreeMap::new(), extensions: BTreeMap::new() };
    let pkg = f.package_str();
    for x in &f.extends {
        for fld in &x.fields {
            flat.extensions.insert(join(pkg, &fld.name), (fld, x.extendee.clone()));
        }
    }
    walk(pkg, &f.messages, &f.enums, &mut flat);
    flat
}

struct Differ<'a> {
    old: &'a ProtoFile,
    new: &'a ProtoFile,
    old_path: &'a str,
    new_path: &'a str,
    category: Category,
    out: Vec<Change>,
}

impl Differ<'_> {
    fn loc_old(&self, line: u32, pointer: &str) -> Option<Location> {
        Some(Location { path: self.old_path.to_string(), line: Some(line), pointer: pointer.to_string() })
    }
    fn loc_new(&self, line: u32, pointer: &str) -> Option<Location> {
        Some(Location { path: self.new_path.to_string(), line: Some(line), pointer: pointer.to_string() })
    }

    fn emit(&mut self, rule: &str, message: String, old: Option<Location>, new: Option<Location>) {
        let cats = rule_categories(rule);
        if !cats.contains(&self.category.as_str()) {
            return;
        }
        self.out.push(Change {
            rule: rule.to_string(),
            level: Level::Breaking,
            message: format!("{message} [{}]", cats.join(", ")),
            old,
            new,
        });
    }

    /// buf's `PACKAGE_*_NO_DELETE` rules stay silent when the new package has no
    /// element of that kind left at all (measured with buf 1.75); mirrored here.
    fn package_reports(&self, new_has_any: bool) -> bool {
        self.category != Category::Package || new_has_any
    }

    /// The deletion rule for a kind of element in the chosen category.
    fn delete_rule(&self, file_rule: &'static str, package_rule: &'static str) -> &'static str {
        if self.category == Category::Package {
            package_rule
        } else {
            file_rule
        }
    }

    fn run(&mut self) {
        self.file_level();
        let (o, n) = (flatten(self.old), flatten(self.new));
        let pkg_same = self.old.package == self.new.package;
        for (name, m) in &o.msgs {
            match n.msgs.get(name) {
                Some(nm) => self.message(name, m, nm),
                None if pkg_same && self.package_reports(!n.msgs.is_empty()) => {
                    let rule = self.delete_rule("MESSAGE_NO_DELETE", "PACKAGE_MESSAGE_NO_DELETE");
                    let (parent, short) = split_parent(name, self.old.package_str());
                    let msg = match parent {
                        Some(p) => {
                            format!("Previously present nested message \"{short}\" was deleted from message \"{p}\".")
                        }
                        None => format!("Previously present message \"{short}\" was deleted from file."),
                    };
                    self.emit(rule, msg, self.loc_old(m.line, name), None);
                }
                None => {}
            }
        }
        for (name, e) in &o.enums {
            match n.enums.get(name) {
                Some(ne) => self.enumeration(name, e, ne),
                None if pkg_same && self.package_reports(!n.enums.is_empty()) => {
                    let rule = self.delete_rule("ENUM_NO_DELETE", "PACKAGE_ENUM_NO_DELETE");
                    let (parent, short) = split_parent(name, self.old.package_str());
                    let msg = match parent {
                        Some(p) => {
                            format!("Previously present nested enum \"{short}\" was deleted from message \"{p}\".")
                        }
                        None => format!("Previously present enum \"{short}\" was deleted from file."),
                    };
                    self.emit(rule, msg, self.loc_old(e.line, name), None);
                }
                None => {}
            }
        }
        for (name, (f, extendee)) in &o.extensions {
            if !n.extensions.contains_key(name) && pkg_same && self.package_reports(!n.extensions.is_empty()) {
                let rule = self.delete_rule("EXTENSION_NO_DELETE", "PACKAGE_EXTENSION_NO_DELETE");
                self.emit(
                    rule,
                    format!("Previously present extension \"{}\" on \"{extendee}\" was deleted.", f.name),
                    self.loc_old(f.line, name),
                    None,
                );
            }
        }
        let pkg = self.old.package_str().to_string();
        let new_services: BTreeMap<&str, &Service> = self.new.services.iter().map(|s| (s.name.as_str(), s)).collect();
        for s in &self.old.services {
            let full = join(&pkg, &s.name);
            match new_services.get(s.name.as_str()) {
                Some(ns) if pkg_same => self.service(&full, s, ns),
                _ if pkg_same && self.package_reports(!self.new.services.is_empty()) => {
                    let rule = self.delete_rule("SERVICE_NO_DELETE", "PACKAGE_SERVICE_NO_DELETE");
                    self.emit(
                        rule,
                        format!("Previously present service \"{}\" was deleted from file.", s.name),
                        self.loc_old(s.line, &full),
                        None,
                    );
                }
                _ => {}
            }
        }
    }

    /// proto2 <-> proto3 changes JSON format, UTF-8 validation and enum openness everywhere.
    fn legacy_syntax_flip(&self) -> bool {
        matches!(
            (&self.old.syntax, &self.new.syntax),
            (Syntax::Proto2, Syntax::Proto3) | (Syntax::Proto3, Syntax::Proto2)
        )
    }

    /// Map fields are messages with `key = 1` and `value = 2` on the wire; a
    /// syntax flip changes those synthetic messages and their string fields too.
    fn map_entries_on_flip(&mut self, name: &str, o: &Message, n: &Message) {
        if !self.legacy_syntax_flip() {
            return;
        }
        for f in o.fields.iter().filter(|f| f.map.is_some()) {
            let Some(nf) = n.fields.iter().find(|x| x.number == f.number && x.map.is_some()) else { continue };
            let entry = format!("{}Entry", super::names::underscores_to_camel(&f.name, true));
            let ptr = format!("{name}.{entry}");
            let (ol, nl) = (self.loc_old(f.line, &ptr), self.loc_new(nf.line, &ptr));
            self.emit(
                "MESSAGE_SAME_JSON_FORMAT",
                format!("Message \"{entry}\" changed its JSON format."),
                ol.clone(),
                nl.clone(),
            );
            let (Some((ok, ov)), Some((nk, nv))) = (&f.map, &nf.map) else { continue };
            for (which, a, b) in [("key", ok, nk), ("value", ov, nv)] {
                if a == "string" && b == "string" {
                    for rule in ["FIELD_SAME_UTF8_VALIDATION", "FIELD_SAME_JAVA_UTF8_VALIDATION"] {
                        self.emit(
                            rule,
                            format!("Field \"{which}\" on message \"{entry}\" changed its UTF-8 validation."),
                            ol.clone(),
                            nl.clone(),
                        );
                    }
                }
            }
        }
    }

    fn file_level(&mut self) {
        if self.old.package != self.new.package {
            let line = self.new.package_line.max(1);
            self.emit(
                "FILE_SAME_PACKAGE",
                format!("File package changed from \"{}\" to \"{}\".", self.old.package_str(), self.new.package_str()),
                self.loc_old(self.old.package_line.max(1), "package"),
                self.loc_new(line, "package"),
            );
            if self.category == Category::Package {
                self.emit(
                    "PACKAGE_NO_DELETE",
                    format!("Previously present package \"{}\" was deleted.", self.old.package_str()),
                    self.loc_old(self.old.package_line.max(1), "package"),
                    None,
                );
            }
        }
        if syntax_name(self.old) != syntax_name(self.new) {
            self.emit(
                "FILE_SAME_SYNTAX",
                format!("File syntax changed from \"{}\" to \"{}\".", syntax_name(self.old), syntax_name(self.new)),
                self.loc_old(1, "syntax"),
                self.loc_new(1, "syntax"),
            );
        }
        for (opt, rule) in FILE_OPTION_RULES {
            let a = option(&self.old.options, opt);
            let b = option(&self.new.options, opt);
            if norm_opt(opt, a) != norm_opt(opt, b) {
                let line = self.new.options.iter().find(|o| o.name == *opt).map(|o| o.line).unwrap_or(1);
                let old_line = self.old.options.iter().find(|o| o.name == *opt).map(|o| o.line).unwrap_or(1);
                self.emit(
                    rule,
                    format!(
                        "File option \"{opt}\" changed from \"{}\" to \"{}\".",
                        unquote(a.unwrap_or("")),
                        unquote(b.unwrap_or(""))
                    ),
                    self.loc_old(old_line, opt),
                    self.loc_new(line, opt),
                );
            }
        }
    }

    fn message(&mut self, name: &str, o: &Message, n: &Message) {
        self.map_entries_on_flip(name, o, n);
        let scope_old = strip_pkg(name, self.old.package_str());
        let scope_new = strip_pkg(name, self.new.package_str());
        let old_decl = super::ast::declared_names(self.old);
        let new_decl = super::ast::declared_names(self.new);
        let new_by_num: BTreeMap<i64, &Field> = n.fields.iter().map(|f| (f.number, f)).collect();
        for f in &o.fields {
            let ptr = format!("{name}.{}", f.name);
            let Some(nf) = new_by_num.get(&f.number) else {
                self.emit(
                    "FIELD_NO_DELETE",
                    format!(
                        "Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted.",
                        f.number, f.name, o.name
                    ),
                    self.loc_old(f.line, &ptr),
                    None,
                );
                let num_reserved = in_ranges(&n.reserved.ranges, f.number);
                let name_reserved = n.reserved.names.contains(&f.name);
                if !num_reserved {
                    self.emit(
                        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
                        format!("Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted without reserving the number \"{}\".", f.number, f.name, o.name, f.number),
                        self.loc_old(f.line, &ptr),
                        None,
                    );
                }
                if !name_reserved {
                    self.emit(
                        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
                        format!("Previously present field \"{}\" with name \"{}\" on message \"{}\" was deleted without reserving the name \"{}\".", f.number, f.name, o.name, f.name),
                        self.loc_old(f.line, &ptr),
                        None,
                    );
                }
                continue;
            };
            let nl = self.loc_new(nf.line, &format!("{name}.{}", nf.name));
            let ol = self.loc_old(f.line, &ptr);
            if f.name != nf.name {
                self.emit(
                    "FIELD_SAME_NAME",
                    format!(
                        "Field \"{}\" on message \"{}\" changed name from \"{}\" to \"{}\".",
                        f.number, o.name, f.name, nf.name
                    ),
                    ol.clone(),
                    nl.clone(),
                );
            }
            let (oj, nj) = (json_of(f), json_of(nf));
            if oj != nj {
                self.emit(
                    "FIELD_SAME_JSON_NAME",
                    format!("Field \"{}\" with name \"{}\" on message \"{}\" changed option \"json_name\" from \"{oj}\" to \"{nj}\".", f.number, nf.name, o.name),
                    ol.clone(),
                    nl.clone(),
                );
            }
            let ot = field_type(self.old, &scope_old, f, &old_decl);
            let nt = field_type(self.new, &scope_new, nf, &new_decl);
            if ot != nt {
                self.emit(
                    "FIELD_SAME_TYPE",
                    format!(
                        "Field \"{}\" with name \"{}\" on message \"{}\" changed type from \"{ot}\" to \"{nt}\".",
                        f.number, nf.name, o.name
                    ),
                    ol.clone(),
                    nl.clone(),
                );
                if !wire_compatible(&ot, &nt, false) {
                    self.emit(
                        "FIELD_WIRE_COMPATIBLE_TYPE",
                        format!("Field \"{}\" with name \"{}\" on message \"{}\" changed type from \"{ot}\" to \"{nt}\" (not wire compatible).", f.number, nf.name, o.name),
                        ol.clone(),
                        nl.clone(),
                    );
                }
                if !wire_compatible(&ot, &nt, true) {
                    self.emit(
                        "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
                        format!("Field \"{}\" with name \"{}\" on message \"{}\" changed type from \"{ot}\" to \"{nt}\" (not wire or JSON compatible).", f.number, nf.name, o.name),
                        ol.clone(),
                        nl.clone(),
                    );
                }
            }
            let (oe, ne) = (enum_names(self.old), enum_names(self.new));
            let (oc, nc) = (
                cardinality(self.old, f, &oe, &scope_old, &old_decl),
                cardinality(self.new, nf, &ne, &scope_new, &new_decl),
            );
            if oc != nc {
                self.emit(
                    "FIELD_SAME_CARDINALITY",
                    format!("Field \"{}\" with name \"{}\" on message \"{}\" changed cardinality from \"{oc}\" to \"{nc}\".", f.number, nf.name, o.name),
                    ol.clone(),
                    nl.clone(),
                );
                // On the wire, implicit and explicit presence are the same cardinality.
                let wire = |c: &'static str| if c == "optional_implicit" { "optional" } else { c };
                if wire(oc) != wire(nc) {
                    let msg = format!(
                        "Field \"{}\" with name \"{}\" on message \"{}\" changed cardinality from \"{}\" to \"{}\".",
                        f.number,
                        nf.name,
                        o.name,
                        wire(oc),
                        wire(nc)
                    );
                    self.emit("FIELD_WIRE_COMPATIBLE_CARDINALITY", msg.clone(), ol.clone(), nl.clone());
                    self.emit("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", msg, ol.clone(), nl.clone());
                }
            }
            let (oo, no) = (real_oneof(o, f), real_oneof(n, nf));
            if oo != no {
                let msg = match (&oo, &no) {
                    (Some(a), Some(b)) => format!(
                        "Field \"{}\" on message \"{}\" moved from oneof \"{a}\" to oneof \"{b}\".",
                        f.number, o.name
                    ),
                    (None, Some(b)) => {
                        format!("Field \"{}\" on message \"{}\" moved to oneof \"{b}\".", f.number, o.name)
                    }
                    (Some(a), None) => {
                        format!("Field \"{}\" on message \"{}\" moved from oneof \"{a}\".", f.number, o.name)
                    }
                    (None, None) => String::new(),
                };
                self.emit("FIELD_SAME_ONEOF", msg, ol.clone(), nl.clone());
            }
            if f.option("default") != nf.option("default") {
                self.emit(
                    "FIELD_SAME_DEFAULT",
                    format!(
                        "Field \"{}\" with name \"{}\" on message \"{}\" changed default value from {} to {}.",
                        f.number,
                        nf.name,
                        o.name,
                        f.option("default").unwrap_or("none"),
                        nf.option("default").unwrap_or("none")
                    ),
                    ol.clone(),
                    nl.clone(),
                );
            }
            for (opt, rule) in [
                ("jstype", "FIELD_SAME_JSTYPE"),
                ("ctype", "FIELD_SAME_CPP_STRING_TYPE"),
                ("features.utf8_validation", "FIELD_SAME_UTF8_VALIDATION"),
                ("features.(pb.java).utf8_validation", "FIELD_SAME_JAVA_UTF8_VALIDATION"),
            ] {
                let flip_utf8 =
                    opt.contains("utf8") && self.legacy_syntax_flip() && f.type_name == "string" && f.map.is_none();
                if f.option(opt) != nf.option(opt) || flip_utf8 {
                    self.emit(
                        rule,
                        format!(
                            "Field \"{}\" with name \"{}\" on message \"{}\" changed option \"{opt}\" from \"{}\" to \"{}\".",
                            f.number,
                            nf.name,
                            o.name,
                            f.option(opt).unwrap_or("unset"),
                            nf.option(opt).unwrap_or("unset")
                        ),
                        ol.clone(),
                        nl.clone(),
                    );
                }
            }
        }
        // Oneofs (synthetic proto3 `optional` oneofs are not declared, so never compared).
        let new_oneofs: BTreeSet<&str> = n.oneofs.iter().map(|x| x.name.as_str()).collect();
        for x in &o.oneofs {
            if !new_oneofs.contains(x.name.as_str()) {
                self.emit(
                    "ONEOF_NO_DELETE",
                    format!("Previously present oneof \"{}\" on message \"{}\" was deleted.", x.name, o.name),
                    self.loc_old(x.line, &format!("{name}.{}", x.name)),
                    None,
                );
            }
        }
        self.reserved("RESERVED_MESSAGE_NO_DELETE", "message", name, &o.name, &o.reserved, &n.reserved, o.line, n.line);
        let oreq: BTreeSet<i64> = o.fields.iter().filter(|f| f.label == Label::Required).map(|f| f.number).collect();
        let nreq: BTreeSet<i64> = n.fields.iter().filter(|f| f.label == Label::Required).map(|f| f.number).collect();
        for added in nreq.difference(&oreq) {
            let line = n.fields.iter().find(|f| f.number == *added).map(|f| f.line).unwrap_or(n.line);
            self.emit(
                "MESSAGE_SAME_REQUIRED_FIELDS",
                format!(
                    "Message \"{}\" had required field \"{added}\" added. Required fields must always be sent.",
                    o.name
                ),
                self.loc_old(o.line, name),
                self.loc_new(line, name),
            );
        }
        for removed in oreq.difference(&nreq) {
            let line = o.fields.iter().find(|f| f.number == *removed).map(|f| f.line).unwrap_or(o.line);
            self.emit(
                "MESSAGE_SAME_REQUIRED_FIELDS",
                format!(
                    "Message \"{}\" had required field \"{removed}\" deleted. Required fields must always be sent.",
                    o.name
                ),
                self.loc_old(line, name),
                self.loc_new(n.line, name),
            );
        }
        let acc = |m: &Message| option(&m.options, "no_standard_descriptor_accessor").is_some_and(|v| v == "true");
        if !acc(o) && acc(n) {
            self.emit(
                "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
                format!("Message option \"no_standard_descriptor_accessor\" changed from \"false\" to \"true\" on message \"{}\".", o.name),
                self.loc_old(o.line, name),
                self.loc_new(n.line, name),
            );
        }
        let jf = |m: &Message| option(&m.options, "features.json_format").map(str::to_string);
        if jf(o) != jf(n) || self.legacy_syntax_flip() {
            self.emit(
                "MESSAGE_SAME_JSON_FORMAT",
                format!("Message \"{}\" changed its JSON format.", o.name),
                self.loc_old(o.line, name),
                self.loc_new(n.line, name),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn reserved(
        &mut self,
        rule: &str,
        what: &str,
        ptr: &str,
        short: &str,
        o: &Reserved,
        n: &Reserved,
        oline: u32,
        nline: u32,
    ) {
        for (lo, hi) in &o.ranges {
            let covered = n.ranges.iter().any(|(a, b)| a <= lo && hi <= b);
            if !covered {
                let r = if lo == hi {
                    lo.to_string()
                } else if *hi == i64::MAX {
                    format!("[{lo},max]")
                } else {
                    format!("[{lo},{hi}]")
                };
                self.emit(
                    rule,
                    format!("Previously present reserved range \"{r}\" on {what} \"{short}\" is missing."),
                    self.loc_old(oline, ptr),
                    self.loc_new(nline, ptr),
                );
            }
        }
        for name in &o.names {
            if !n.names.contains(name) {
                self.emit(
                    rule,
                    format!("Previously present reserved name \"{name}\" on {what} \"{short}\" is missing."),
                    self.loc_old(oline, ptr),
                    self.loc_new(nline, ptr),
                );
            }
        }
    }

    fn enumeration(&mut self, name: &str, o: &Enum, n: &Enum) {
        let mut new_by_num: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
        for v in &n.values {
            new_by_num.entry(v.number).or_default().push(&v.name);
        }
        let mut seen = BTreeSet::new();
        for v in &o.values {
            let ptr = format!("{name}.{}", v.name);
            match new_by_num.get(&v.number) {
                None => {
                    if !seen.insert(v.number) {
                        continue;
                    }
                    self.emit(
                        "ENUM_VALUE_NO_DELETE",
                        format!("Previously present enum value \"{}\" on enum \"{}\" was deleted.", v.number, o.name),
                        self.loc_old(v.line, &ptr),
                        None,
                    );
                    if !in_ranges(&n.reserved.ranges, v.number) {
                        self.emit(
                            "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
                            format!("Previously present enum value \"{}\" on enum \"{}\" was deleted without reserving the number \"{}\".", v.number, o.name, v.number),
                            self.loc_old(v.line, &ptr),
                            None,
                        );
                    }
                    if !n.reserved.names.contains(&v.name) {
                        self.emit(
                            "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
                            format!("Previously present enum value \"{}\" on enum \"{}\" was deleted without reserving the name \"{}\".", v.number, o.name, v.name),
                            self.loc_old(v.line, &ptr),
                            None,
                        );
                    }
                }
                Some(names) if !names.contains(&v.name.as_str()) => {
                    let line = n.values.iter().find(|x| x.number == v.number).map(|x| x.line).unwrap_or(n.line);
                    self.emit(
                        "ENUM_VALUE_SAME_NAME",
                        format!(
                            "Enum value \"{}\" on enum \"{}\" changed name from \"{}\" to \"{}\".",
                            v.number,
                            o.name,
                            v.name,
                            names.join("\", \"")
                        ),
                        self.loc_old(v.line, &ptr),
                        self.loc_new(line, &ptr),
                    );
                }
                Some(_) => {}
            }
        }
        self.reserved("RESERVED_ENUM_NO_DELETE", "enum", name, &o.name, &o.reserved, &n.reserved, o.line, n.line);
        let (ot, nt) = (enum_type(self.old, o), enum_type(self.new, n));
        if ot != nt {
            self.emit(
                "ENUM_SAME_TYPE",
                format!("Enum \"{}\" changed from {ot} to {nt}.", o.name),
                self.loc_old(o.line, name),
                self.loc_new(n.line, name),
            );
        }
        let jf = |e: &Enum| option(&e.options, "features.json_format").map(str::to_string);
        if jf(o) != jf(n) || self.legacy_syntax_flip() {
            self.emit(
                "ENUM_SAME_JSON_FORMAT",
                format!("Enum \"{}\" changed its JSON format.", o.name),
                self.loc_old(o.line, name),
                self.loc_new(n.line, name),
            );
        }
    }

    fn service(&mut self, full: &str, o: &Service, n: &Service) {
        let old_decl = super::ast::declared_names(self.old);
        let new_decl = super::ast::declared_names(self.new);
        let new_rpcs: BTreeMap<&str, &super::ast::Rpc> = n.rpcs.iter().map(|r| (r.name.as_str(), r)).collect();
        for r in &o.rpcs {
            let ptr = format!("{full}/{}", r.name);
            let Some(nr) = new_rpcs.get(r.name.as_str()) else {
                self.emit(
                    "RPC_NO_DELETE",
                    format!("Previously present RPC \"{}\" on service \"{}\" was deleted.", r.name, o.name),
                    self.loc_old(r.line, &ptr),
                    None,
                );
                continue;
            };
            let ol = self.loc_old(r.line, &ptr);
            let nl = self.loc_new(nr.line, &ptr);
            let (oq, nq) = (self.old.qualify("", &r.request, &old_decl), self.new.qualify("", &nr.request, &new_decl));
            if oq != nq {
                self.emit(
                    "RPC_SAME_REQUEST_TYPE",
                    format!(
                        "RPC \"{}\" on service \"{}\" changed request type from \"{oq}\" to \"{nq}\".",
                        r.name, o.name
                    ),
                    ol.clone(),
                    nl.clone(),
                );
            }
            let (op, np) =
                (self.old.qualify("", &r.response, &old_decl), self.new.qualify("", &nr.response, &new_decl));
            if op != np {
                self.emit(
                    "RPC_SAME_RESPONSE_TYPE",
                    format!(
                        "RPC \"{}\" on service \"{}\" changed response type from \"{op}\" to \"{np}\".",
                        r.name, o.name
                    ),
                    ol.clone(),
                    nl.clone(),
                );
            }
            if r.client_streaming != nr.client_streaming {
                self.emit(
                    "RPC_SAME_CLIENT_STREAMING",
                    format!(
                        "RPC \"{}\" on service \"{}\" changed from {}client streaming to {}client streaming.",
                        r.name,
                        o.name,
                        if r.client_streaming { "" } else { "non-" },
                        if nr.client_streaming { "" } else { "non-" }
                    ),
                    ol.clone(),
                    nl.clone(),
                );
            }
            if r.server_streaming != nr.server_streaming {
                self.emit(
                    "RPC_SAME_SERVER_STREAMING",
                    format!(
                        "RPC \"{}\" on service \"{}\" changed from {}server streaming to {}server streaming.",
                        r.name,
                        o.name,
                        if r.server_streaming { "" } else { "non-" },
                        if nr.server_streaming { "" } else { "non-" }
                    ),
                    ol.clone(),
                    nl.clone(),
                );
            }
            let idem = |x: &super::ast::Rpc| {
                option(&x.options, "idempotency_level").unwrap_or("IDEMPOTENCY_UNKNOWN").to_string()
            };
            if idem(r) != idem(nr) {
                self.emit(
                    "RPC_SAME_IDEMPOTENCY_LEVEL",
                    format!(
                        "RPC \"{}\" on service \"{}\" changed option \"idempotency_level\" from \"{}\" to \"{}\".",
                        r.name,
                        o.name,
                        idem(r),
                        idem(nr)
                    ),
                    ol,
                    nl,
                );
            }
        }
    }
}

fn option<'a>(opts: &'a [super::ast::OptionDecl], name: &str) -> Option<&'a str> {
    opts.iter().rev().find(|o| o.name == name).map(|o| o.value.as_str())
}

fn unquote(v: &str) -> &str {
    v.trim_matches('"')
}

/// Unset boolean file options equal `false`; unset `optimize_for` equals `SPEED`.
fn norm_opt(name: &str, v: Option<&str>) -> String {
    match v {
        Some(v) => unquote(v).to_string(),
        None if name == "optimize_for" => "SPEED".into(),
        None if name == "cc_enable_arenas" => "true".into(),
        None if name.ends_with("_services") || name == "java_multiple_files" => "false".into(),
        None => String::new(),
    }
}

fn syntax_name(f: &ProtoFile) -> String {
    match &f.syntax {
        Syntax::Editions(e) => format!("editions {e}"),
        s => s.as_str().to_string(),
    }
}

fn json_of(f: &Field) -> String {
    f.json_name_option().map(str::to_string).unwrap_or_else(|| super::names::json_name(&f.name))
}

fn field_type(file: &ProtoFile, scope: &str, f: &Field, declared: &[String]) -> String {
    match &f.map {
        Some((k, v)) => format!("map<{k}, {}>", file.qualify(scope, v, declared)),
        None => file.qualify(scope, &f.type_name, declared),
    }
}

/// buf's presence-aware cardinality: `repeated` (also maps), `required`,
/// `optional` (explicit presence: proto2, proto3 `optional`, oneof members,
/// message-typed fields) or `optional_implicit` (proto3 scalars and enums).
fn cardinality(file: &ProtoFile, f: &Field, enums: &[String], scope: &str, declared: &[String]) -> &'static str {
    if f.map.is_some() || f.label == Label::Repeated {
        return "repeated";
    }
    let presence = f.option("features.field_presence");
    if f.label == Label::Required || presence == Some("LEGACY_REQUIRED") {
        return "required";
    }
    if f.label == Label::Optional || f.oneof.is_some() {
        return "optional";
    }
    let is_message = !super::ast::is_scalar(&f.type_name) && {
        let q = file.qualify(scope, &f.type_name, declared);
        !enums.contains(&q)
    };
    if is_message {
        return "optional";
    }
    match (&file.syntax, presence) {
        (Syntax::Proto2, _) => "optional",
        (Syntax::Proto3, _) => "optional_implicit",
        (Syntax::Editions(_), Some("IMPLICIT")) => "optional_implicit",
        (Syntax::Editions(_), _) => "optional",
    }
}

/// Every enum of a file, fully qualified.
fn enum_names(f: &ProtoFile) -> Vec<String> {
    flatten(f).enums.into_keys().collect()
}

fn real_oneof(_m: &Message, f: &Field) -> Option<String> {
    f.oneof.clone()
}

fn enum_type(file: &ProtoFile, e: &Enum) -> &'static str {
    if let Some(v) = option(&e.options, "features.enum_type") {
        return if v == "CLOSED" { "closed" } else { "open" };
    }
    match file.syntax {
        Syntax::Proto2 => "closed",
        _ => "open",
    }
}

fn in_ranges(ranges: &[(i64, i64)], n: i64) -> bool {
    ranges.iter().any(|(a, b)| *a <= n && n <= *b)
}

fn strip_pkg(full: &str, pkg: &str) -> String {
    if pkg.is_empty() {
        return full.to_string();
    }
    full.strip_prefix(&format!("{pkg}.")).unwrap_or(full).to_string()
}

/// `(Some(parent message), short name)` for nested types, `(None, name)` for top-level ones.
fn split_parent(full: &str, pkg: &str) -> (Option<String>, String) {
    let local = strip_pkg(full, pkg);
    match local.rsplit_once('.') {
        Some((p, s)) => (Some(p.to_string()), s.to_string()),
        None => (None, local),
    }
}

/// Groups of scalar types that share a wire encoding (protobuf language guide).
fn wire_group(t: &str) -> Option<u8> {
    match t {
        "int32" | "uint32" | "int64" | "uint64" | "bool" => Some(1),
        "sint32" | "sint64" => Some(2),
        "fixed32" | "sfixed32" => Some(3),
        "fixed64" | "sfixed64" => Some(4),
        "string" | "bytes" => Some(5),
        _ => None,
    }
}

/// Whether changing scalar type `a` to `b` keeps the encoding readable.
/// JSON additionally distinguishes strings from bytes and 32 from 64-bit ints.
fn wire_compatible(a: &str, b: &str, json: bool) -> bool {
    match (wire_group(a), wire_group(b)) {
        (Some(x), Some(y)) if x == y => {
            if json {
                json_group(a) == json_group(b)
            } else {
                true
            }
        }
        _ => false,
    }
}

/// Scalars whose JSON encodings are interchangeable.
fn json_group(t: &str) -> &str {
    match t {
        "int32" | "sint32" | "sfixed32" => "int32",
        "uint32" | "fixed32" => "uint32",
        "int64" | "sint64" | "sfixed64" => "int64",
        "uint64" | "fixed64" => "uint64",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(old: &str, new: &str) -> Vec<String> {
        let mut r: Vec<String> = diff_proto(old, new, "a.proto", "a.proto")
            .map(|v| v.into_iter().map(|c| c.rule).collect())
            .unwrap_or_else(|e| vec![format!("error: {e}")]);
        r.dedup();
        r
    }

    #[test]
    fn field_changes() {
        let old = "syntax = \"proto3\"; package a; message M { string product_id = 1; int32 n = 2; }";
        let new = "syntax = \"proto3\"; package a; message M { string productId = 1; }";
        assert_eq!(rules(old, new), vec!["FIELD_NO_DELETE", "FIELD_SAME_NAME"]);
    }

    #[test]
    fn every_rule_has_file_or_other_category() {
        for (r, c) in RULES {
            assert!(!c.is_empty(), "{r}");
        }
        assert_eq!(rule_categories("FIELD_SAME_ONEOF"), &["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]);
    }

    #[test]
    fn broken_input_is_an_error() {
        let r = diff_proto("message {", "message A {}", "a.proto", "a.proto");
        assert!(matches!(r, Err(DiffError::Parse { line: 1, .. })));
    }
}
