//! Syntax tree of one `.proto` file, as produced by [`super::parser`].
//!
//! Names are kept as written; [`ProtoFile::qualify`] resolves a type
//! reference the way protoc scopes names, as far as one file allows.

/// `syntax = "proto2"`, `"proto3"`, or `edition = "2023"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Syntax {
    Proto2,
    Proto3,
    Editions(String),
}

impl Syntax {
    /// `proto2`, `proto3` or `editions`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Syntax::Proto2 => "proto2",
            Syntax::Proto3 => "proto3",
            Syntax::Editions(_) => "editions",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Normal,
    Public,
    Weak,
    /// `import option` (edition 2024): only for custom options.
    Option,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: String,
    pub kind: ImportKind,
    pub line: u32,
}

/// `name = value` with the value as written (aggregates as `{ ... }` text).
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDecl {
    pub name: String,
    pub value: String,
    pub line: u32,
}

/// Field label as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    /// No label (proto3 implicit presence, editions, oneof members).
    None,
    Optional,
    Required,
    Repeated,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: String,
    pub number: i64,
    pub label: Label,
    /// Type as written (`string`, `.acme.v1.Money`, `Outer.Inner`); for maps the value type.
    pub type_name: String,
    /// `(key type, value type)` for `map<K, V>` fields.
    pub map: Option<(String, String)>,
    pub oneof: Option<String>,
    /// `true` for a proto2 group (its message is in the enclosing message's `messages`).
    pub group: bool,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub doc: Option<String>,
}

impl Field {
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.iter().find(|o| o.name == name).map(|o| o.value.as_str())
    }
    /// The `json_name` option, if set.
    pub fn json_name_option(&self) -> Option<&str> {
        self.option("json_name").map(|v| v.trim_matches('"'))
    }
    /// The type as written, `map<K, V>` for maps.
    pub fn display_type(&self) -> String {
        match &self.map {
            Some((k, v)) => format!("map<{k}, {v}>"),
            None => self.type_name.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Oneof {
    pub name: String,
    pub line: u32,
}

/// `reserved` and `extensions` contents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reserved {
    /// Inclusive ranges; `max` is `i64::MAX`.
    pub ranges: Vec<(i64, i64)>,
    pub names: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub name: String,
    pub fields: Vec<Field>,
    pub oneofs: Vec<Oneof>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub extends: Vec<Extend>,
    pub reserved: Reserved,
    pub extension_ranges: Vec<(i64, i64)>,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub end_line: u32,
    pub doc: Option<String>,
    /// `true` when this message is the body of a proto2 group.
    pub is_group: bool,
    /// `true` when this is the synthetic entry message of a `map` field (never produced by the parser).
    pub is_map_entry: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    pub name: String,
    pub number: i64,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub doc: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub name: String,
    pub values: Vec<EnumValue>,
    pub reserved: Reserved,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub end_line: u32,
    pub doc: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rpc {
    pub name: String,
    pub request: String,
    pub client_streaming: bool,
    pub response: String,
    pub server_streaming: bool,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub doc: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub name: String,
    pub rpcs: Vec<Rpc>,
    pub options: Vec<OptionDecl>,
    pub line: u32,
    pub end_line: u32,
    pub doc: Option<String>,
}

/// `extend Foo { ... }`: extension fields of another message.
#[derive(Clone, Debug, PartialEq)]
pub struct Extend {
    pub extendee: String,
    pub fields: Vec<Field>,
    pub line: u32,
}

/// A syntax error the parser recovered from.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProtoFile {
    pub syntax: Syntax,
    /// Whether `syntax`/`edition` was stated (proto2 is the default when it is not).
    pub syntax_declared: bool,
    pub package: Option<String>,
    pub package_line: u32,
    pub imports: Vec<Import>,
    pub options: Vec<OptionDecl>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub services: Vec<Service>,
    pub extends: Vec<Extend>,
    pub errors: Vec<ParseError>,
}

impl Default for ProtoFile {
    fn default() -> Self {
        ProtoFile {
            syntax: Syntax::Proto2,
            syntax_declared: false,
            package: None,
            package_line: 0,
            imports: Vec::new(),
            options: Vec::new(),
            messages: Vec::new(),
            enums: Vec::new(),
            services: Vec::new(),
            extends: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// Every message and enum name declared in a file, as `Outer.Inner` (without package).
pub fn declared_names(file: &ProtoFile) -> Vec<String> {
    fn walk(prefix: &str, msgs: &[Message], enums: &[Enum], out: &mut Vec<String>) {
        for e in enums {
            out.push(join(prefix, &e.name));
        }
        for m in msgs {
            let name = join(prefix, &m.name);
            out.push(name.clone());
            walk(&name, &m.messages, &m.enums, out);
        }
    }
    let mut out = Vec::new();
    walk("", &file.messages, &file.enums, &mut out);
    out
}

/// `a.b` from `a` and `b`, or `b` when `a` is empty.
pub fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Scalar type names of the protobuf language.
pub const SCALARS: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32",
    "sfixed64", "bool", "string", "bytes",
];

pub fn is_scalar(t: &str) -> bool {
    SCALARS.contains(&t)
}

impl ProtoFile {
    pub fn package_str(&self) -> &str {
        self.package.as_deref().unwrap_or("")
    }

    /// Resolves a type reference written inside `scope` (`Outer.Inner`, no package)
    /// to a fully-qualified name without leading dot, following protoc's scoping
    /// as far as this file tells: a leading `.` is absolute; otherwise the
    /// innermost enclosing scope that declares the first name component wins;
    /// names not declared in this file are taken relative to the innermost
    /// package component matching their first component, or else the package.
    /// Scalars are returned unchanged.
    pub fn qualify(&self, scope: &str, written: &str, declared: &[String]) -> String {
        if is_scalar(written) {
            return written.to_string();
        }
        if let Some(abs) = written.strip_prefix('.') {
            return abs.to_string();
        }
        let pkg = self.package_str();
        let first = written.split('.').next().unwrap_or(written);
        // Scopes inside the file, innermost first.
        let mut s = scope.to_string();
        loop {
            let cand_first = join(&s, first);
            if declared.contains(&cand_first) {
                return join(pkg, &join(&s, written));
            }
            if s.is_empty() {
                break;
            }
            s = match s.rfind('.') {
                Some(i) => s[..i].to_string(),
                None => String::new(),
            };
        }
        if written.contains('.') {
            let parts: Vec<&str> = pkg.split('.').filter(|p| !p.is_empty()).collect();
            if let Some(i) = parts.iter().rposition(|p| *p == first) {
                return join(&parts[..i].join("."), written);
            }
            return written.to_string();
        }
        join(pkg, written)
    }
}
