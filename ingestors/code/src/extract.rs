//! One file's extraction: parse (with a per-thread parser), run the
//! language's definition and reference queries, and hand the tree to the
//! language module and the shared detectors (routes, clients, shapes).

use crate::ctx::{clip, last_segment, Ctx, Def};
use crate::lang::{self, Lang};
use crate::{clients, langs};
use brain_model::attr::{self, ns};
use brain_model::{Diagnostic, Edge, EdgeKind, Facts, NodeId, NodeKind, Reference, Severity, SourceFile};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use streaming_iterator::StreamingIterator;
use tree_sitter::{Node as TsNode, Parser, QueryCursor, Tree};

/// Files larger than this are not parsed.
pub const MAX_BYTES: usize = 1024 * 1024;
/// A file with a line longer than this (and few lines) is treated as minified.
const MINIFIED_LINE: usize = 2000;

thread_local! {
    static PARSERS: RefCell<HashMap<Lang, Parser>> = RefCell::new(HashMap::new());
}

/// Parses `src` with this thread's parser for `lang`.
pub fn parse(lang: Lang, src: &str) -> Option<Tree> {
    PARSERS.with(|cell| {
        let mut map = cell.borrow_mut();
        let parser = match map.entry(lang) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let mut p = Parser::new();
                p.set_language(&lang.grammar()).ok()?;
                v.insert(p)
            }
        };
        parser.parse(src, None)
    })
}

/// True for files whose header or name says they are generated (one rule for every ingestor).
pub use brain_model::source::is_generated;

fn is_minified(src: &str) -> bool {
    let mut lines = 0usize;
    let mut long = false;
    for l in src.lines() {
        lines += 1;
        if l.len() > MINIFIED_LINE {
            long = true;
        }
    }
    long && (lines < 50 || src.len() / lines.max(1) > 300)
}

/// Why a file is not parsed (too large, minified), if it is not.
pub fn skip_reason(content: &str) -> Option<&'static str> {
    if content.len() > MAX_BYTES {
        Some("larger than 1 MiB")
    } else if is_minified(content) {
        Some("minified (very long lines)")
    } else {
        None
    }
}

/// Test files by naming convention.
pub fn is_test_path(lang: Lang, path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let in_test_dir = path.split('/').any(|s| matches!(s, "test" | "tests" | "__tests__" | "spec" | "testing"));
    match lang {
        Lang::Go => name.ends_with("_test.go"),
        Lang::Python => name.starts_with("test_") || name.ends_with("_test.py") || name == "conftest.py" || in_test_dir,
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
            name.contains(".test.") || name.contains(".spec.") || path.split('/').any(|s| s == "__tests__")
        }
        Lang::Rust => in_test_dir || name.ends_with("_test.rs") || name == "tests.rs",
        Lang::Java | Lang::Kotlin | Lang::CSharp => {
            in_test_dir
                || path.contains("/src/test/")
                || name.contains("Test.")
                || name.contains("Tests.")
                || name.contains("Spec.")
                || path
                    .split('/')
                    .any(|s| s.ends_with(".Tests") || s.ends_with(".UnitTests") || s.ends_with(".FunctionalTests"))
        }
        Lang::Php | Lang::Ruby | Lang::Cpp => langs::is_test_path_more(lang, path, name, in_test_dir),
    }
}

/// A call site found by the reference query.
#[derive(Clone, Copy)]
pub struct CallSite<'t> {
    pub node: TsNode<'t>,
    pub callee: TsNode<'t>,
    pub receiver: Option<TsNode<'t>>,
    pub args: Option<TsNode<'t>>,
}

/// Extracts the facts of one file.
pub fn extract(file: &SourceFile<'_>) -> Facts {
    let Some(lang) = Lang::from_path(file.path) else { return Facts::default() };
    let mut facts = Facts::default();
    if let Some(why) = skip_reason(file.content) {
        facts.diagnostic(Diagnostic::new(
            Severity::Info,
            "parse.skipped",
            file.repo,
            file.path,
            None,
            format!("not parsed: {why}"),
        ));
        return facts;
    }
    let Some(queries) = lang::queries(lang) else {
        facts.diagnostic(Diagnostic::new(
            Severity::Error,
            "parse.query",
            file.repo,
            file.path,
            None,
            format!("the {} queries failed to compile", lang.name()),
        ));
        return facts;
    };
    let parse_text = langs::parse_text(lang, file.content);
    let Some(tree) = parse(lang, parse_text.as_deref().unwrap_or(file.content)) else {
        facts.diagnostic(Diagnostic::new(
            Severity::Warning,
            "parse.failed",
            file.repo,
            file.path,
            None,
            "parser gave no tree",
        ));
        return facts;
    };
    let root = tree.root_node();
    let mut ctx = Ctx::new(lang, file.repo, file.path, file.content);
    ctx.generated = is_generated(file.path, file.content);
    ctx.test_file = is_test_path(lang, file.path);
    if root.has_error() {
        let line = first_error_line(root);
        ctx.facts.diagnostic(Diagnostic::new(
            Severity::Warning,
            "parse.syntax",
            file.repo,
            file.path,
            line,
            "syntax error; extracted what the parser recovered",
        ));
    }

    let nodes = langs::Nodes::collect(root);
    definitions(&mut ctx, &queries.defs, root);
    langs::module_and_imports(&mut ctx, &nodes);
    langs::extra_defs(&mut ctx, &nodes);
    ctx.index_defs();
    let calls = references(&mut ctx, &queries.refs, root);
    provide_constants(&mut ctx, root);
    langs::shapes(&mut ctx, &nodes);
    crate::routes::routes(&mut ctx, &nodes, &calls);
    crate::route_prefix::detect_mounts(&mut ctx, &calls);
    clients::detect(&mut ctx, &nodes, &calls);
    let sdks = crate::flags::loaded_sdks(ctx.src);
    if !sdks.is_empty() {
        crate::flags::detect(&mut ctx, &calls, &sdks);
    }
    crate::graphql_server::resolvers(&mut ctx, &nodes);
    crate::flow::analyze(&mut ctx, &nodes);

    finish(ctx)
}

/// Provide namespace of string constants (`NAME=value`, and `Type.NAME=value` for class
/// constants): topics, queues and URLs are often named by a constant declared in another file.
pub const NS_CONST: &str = "const";

/// `x as const`, `x satisfies T`, `(x)`: the expression inside.
fn unwrap_as_const(n: TsNode) -> TsNode {
    let mut n = n;
    while matches!(n.kind(), "as_expression" | "satisfies_expression" | "parenthesized_expression") {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

/// A name written like a table of constants: `TOPICS`, `QUEUE_NAMES`, `Subjects`, `kafkaTopics`.
fn enum_like_name(name: &str) -> bool {
    let upper = name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase());
    let l = name.to_ascii_lowercase();
    upper || ["topics", "subjects", "queues", "channels", "events", "streams"].iter().any(|w| l.ends_with(w))
}

/// String constants declared at file or type level, as `NAME=value` provides of the file.
fn provide_constants(ctx: &mut Ctx, root: TsNode) {
    let mut out: Vec<String> = Vec::new();
    let mut entries: Vec<(usize, String, (usize, usize))> =
        ctx.bindings.iter().map(|((scope, name), range)| (*scope, name.clone(), *range)).collect();
    entries.sort();
    for (scope, name, (s, e)) in entries {
        let owner = if scope == usize::MAX {
            None
        } else {
            match ctx.defs.get(scope) {
                Some(d) if d.is_container() => Some(d.name.clone()),
                _ => continue,
            }
        };
        let Some(node) = root.descendant_for_byte_range(s, e) else { continue };
        let mut node = node;
        while let Some(p) = node.parent() {
            if p.start_byte() == s && p.end_byte() == e {
                node = p;
            } else {
                break;
            }
        }
        // `export const TOPICS = { readings: "telemetry.readings.v1" } as const`: an enum-like object
        // of names; `TOPICS.readings` is read as `{readings}`.
        if owner.is_none() {
            let obj = unwrap_as_const(node);
            if obj.kind() == "object" && enum_like_name(&name) {
                for (k, v) in crate::ctx::object_pairs(ctx.src, obj) {
                    let Some(v) = crate::strval::eval(ctx, v).and_then(|v| v.exact()) else { continue };
                    if v.is_empty() || v.len() > 200 || v.contains(['\n', ' ', '\t']) {
                        continue;
                    }
                    out.push(format!("{name}.{k}={v}"));
                    out.push(format!("{k}={v}"));
                }
                continue;
            }
        }
        let Some(v) = crate::strval::eval(ctx, node).and_then(|v| v.exact()) else { continue };
        if v.is_empty() || v.len() > 200 || v.contains(['\n', ' ', '\t']) {
            continue;
        }
        out.push(format!("{name}={v}"));
        if let Some(o) = owner {
            out.push(format!("{o}.{name}={v}"));
        }
        if out.len() > 500 {
            break;
        }
    }
    if matches!(ctx.lang, Lang::TypeScript | Lang::Tsx) && ctx.src.contains("enum ") {
        out.extend(string_enum_members(ctx, root));
    }
    let file = ctx.file_id.clone();
    for k in out {
        ctx.facts.provide(&file, NS_CONST, k);
    }
}

/// TypeScript string enums (`enum Subjects { TicketCreated = 'ticket:created' }`): each member as
/// `Subjects.TicketCreated=ticket:created` and `TicketCreated=ticket:created`.
fn string_enum_members(ctx: &Ctx, root: TsNode) -> Vec<String> {
    let mut out = Vec::new();
    crate::langs::walk(root, |n| {
        if n.kind() != "enum_declaration" || out.len() > 500 {
            return;
        }
        let (Some(name), Some(body)) = (n.child_by_field_name("name"), n.child_by_field_name("body")) else { return };
        let enum_name = ctx.text(name);
        let mut c = body.walk();
        for m in body.named_children(&mut c) {
            if m.kind() != "enum_assignment" {
                continue;
            }
            let (Some(k), Some(v)) = (m.child_by_field_name("name"), m.child_by_field_name("value")) else { continue };
            let Some(v) = crate::strval::eval(ctx, v).and_then(|v| v.exact()) else { continue };
            if v.is_empty() || v.len() > 200 || v.contains(['\n', ' ', '\t']) {
                continue;
            }
            let k = ctx.text(k);
            out.push(format!("{enum_name}.{k}={v}"));
            out.push(format!("{k}={v}"));
        }
    });
    out
}

fn first_error_line(root: TsNode) -> Option<u32> {
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.is_error() || n.is_missing() {
            return Some(n.start_position().row as u32 + 1);
        }
        if n.has_error() {
            let mut kids: Vec<TsNode> = n.children(&mut cursor).collect();
            kids.reverse();
            stack.extend(kids);
        }
    }
    None
}

fn finish(ctx: Ctx) -> Facts {
    let generated = ctx.generated;
    let mut facts = ctx.facts;
    if generated {
        for n in &mut facts.nodes {
            n.attrs.insert(attr::GENERATED, "true".to_string());
        }
        for e in &mut facts.edges {
            e.attrs.insert(attr::GENERATED, "true".to_string());
        }
        for r in &mut facts.refs {
            r.attrs.insert(attr::GENERATED, "true".to_string());
        }
        facts.refs.retain(|r| {
            !matches!(r.kind, EdgeKind::Consumes | EdgeKind::Publishes | EdgeKind::Subscribes | EdgeKind::Implements)
        });
        let ops: HashSet<NodeId> =
            facts.nodes.iter().filter(|n| n.kind == NodeKind::Operation).map(|n| n.id.clone()).collect();
        facts.nodes.retain(|n| !ops.contains(&n.id));
        facts.edges.retain(|e| !ops.contains(&e.to));
        facts.provides.retain(|p| !ops.contains(&p.node));
    }
    facts
}

/// Runs the definition query and emits Symbol / Test nodes with Contains edges.
fn definitions(ctx: &mut Ctx, query: &tree_sitter::Query, root: TsNode) {
    let names = query.capture_names();
    let mut found: Vec<(TsNode, TsNode, &'static str)> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, root, ctx.src.as_bytes());
    while let Some(m) = matches.next() {
        let mut def: Option<(TsNode, &'static str)> = None;
        let mut name: Option<TsNode> = None;
        for c in m.captures {
            let cname = names[c.index as usize];
            if cname == "name" {
                name = Some(c.node);
            } else if cname == "scope" {
                def = Some((c.node, "scope"));
            } else if let Some(kind) = cname.strip_prefix("def.") {
                def = Some((c.node, static_kind(kind)));
            }
        }
        if let (Some((d, k)), Some(n)) = (def, name) {
            found.push((d, n, k));
        }
    }
    found.sort_by_key(|(d, _, _)| (d.start_byte(), std::cmp::Reverse(d.end_byte())));
    found.dedup_by_key(|(d, _, _)| (d.start_byte(), d.end_byte()));
    let mut stack: Vec<usize> = Vec::new();
    let mut used: HashMap<String, u32> = HashMap::new();
    for (node, name_node, kind) in found {
        while let Some(top) = stack.last() {
            if ctx.defs[*top].end <= node.start_byte() {
                stack.pop();
            } else {
                break;
            }
        }
        let lex_parent = stack.last().copied();
        let mut parent = lex_parent;
        let name = ctx.text(name_node).trim_matches(['"', '\'', '`']).to_string();
        let mut qual_prefix = parent.map(|p| ctx.defs[p].qualified.clone());
        if let Some(q) = langs::qualifier(ctx, node) {
            // Go methods: qualified and contained by their receiver type.
            parent = ctx.defs.iter().position(|d| d.kind != "scope" && d.qualified == q);
            qual_prefix = Some(q);
        }
        let parent_def = parent.map(|p| ctx.defs[p].clone());
        let mut kind = langs::refine_kind(ctx, node, kind, parent_def.as_ref());
        if kind.is_empty() {
            continue; // not a definition after all (C++ prototypes in sources, gtest macros)
        }
        if kind == "function" && parent_def.as_ref().is_some_and(|p| p.is_class_like()) {
            kind = "method";
        }
        let sep = ctx.lang.qual_sep();
        let mut qualified = match &qual_prefix {
            Some(p) if !p.is_empty() => format!("{p}{sep}{name}"),
            _ => name.clone(),
        };
        let is_test = kind != "scope" && langs::is_test(ctx, node, &name, parent_def.as_ref());
        let n = used.entry(qualified.clone()).or_insert(0);
        *n += 1;
        if *n > 1 && kind != "scope" {
            qualified = format!("{qualified}~{n}");
        }
        let span = ctx.span(node);
        let id = if is_test {
            NodeId::test(ctx.repo, ctx.path, &qualified)
        } else {
            NodeId::symbol(ctx.repo, ctx.path, &qualified)
        };
        let idx = ctx.defs.len();
        let emitted = kind != "scope";
        ctx.defs.push(Def {
            id: id.clone(),
            kind,
            name: name.clone(),
            qualified: qualified.clone(),
            start: node.start_byte(),
            end: node.end_byte(),
            start_line: span.start_line,
            end_line: span.end_line,
            is_test,
            parent,
            lex_parent,
            emitted,
        });
        ctx.def_at.insert((node.start_byte(), node.end_byte()), idx);
        stack.push(idx);
        if !emitted {
            continue;
        }
        let sig = signature(ctx, node);
        let doc = langs::doc(ctx, node);
        let mut sym = ctx
            .new_node(id.clone(), if is_test { NodeKind::Test } else { NodeKind::Symbol }, &name, span)
            .with_attr(attr::SYMBOL_KIND, kind)
            .with_attr(attr::QUALIFIED_NAME, &qualified)
            .with_attr(attr::SIGNATURE, sig);
        if let Some(d) = &doc {
            sym = sym.with_attr(attr::DOC, d.clone()).with_text(d.clone());
        }
        if is_test {
            sym = sym.with_attr(attr::TEST, "true");
        }
        ctx.add_node(sym);
        // Containment: tests from the file; otherwise the nearest emitted enclosing symbol.
        let container = if is_test {
            None
        } else {
            let mut p = parent;
            while let Some(i) = p {
                if ctx.defs[i].emitted && !ctx.defs[i].is_test {
                    break;
                }
                if ctx.defs[i].kind == "scope" {
                    // Rust impl blocks: the type's symbol when it is defined in this file.
                    let q = ctx.defs[i].qualified.clone();
                    p = ctx.defs.iter().position(|d| d.emitted && d.qualified == q);
                    break;
                }
                p = ctx.defs[i].parent;
            }
            p.map(|i| ctx.defs[i].id.clone())
        };
        match container {
            Some(c) => {
                let prov = ctx.declared(span);
                ctx.facts.edge(Edge::new(c, EdgeKind::Contains, id.clone(), prov));
            }
            None => ctx.contains_from_file(&id, span),
        }
        if !is_test {
            ctx.facts.provide(&id, ns::SYMBOL, name);
        }
    }
}

fn static_kind(k: &str) -> &'static str {
    match k {
        "function" => "function",
        "method" => "method",
        "class" => "class",
        "struct" => "struct",
        "enum" => "enum",
        "trait" => "trait",
        "interface" => "interface",
        "type" => "type",
        "const" => "const",
        "module" => "module",
        _ => "function",
    }
}

const BODY_KINDS: &[&str] = &[
    "block",
    "statement_block",
    "class_body",
    "function_body",
    "declaration_list",
    "field_declaration_list",
    "enum_variant_list",
    "interface_body",
    "enum_body",
    "object_type",
    "enum_class_body",
    "constructor_body",
    "record_declaration_body",
    "annotation_type_body",
];

/// The header of a definition up to its body, on one line.
pub fn signature(ctx: &Ctx, node: TsNode) -> String {
    if let Some(sig) = langs::signature(ctx, node) {
        return sig;
    }
    // Python: the header ends at its `:` (a comment may sit between it and the body).
    if ctx.lang == Lang::Python {
        let mut c = node.walk();
        let colon = node.children(&mut c).find(|ch| ch.kind() == ":");
        if let Some(colon) = colon {
            let t = ctx.src.get(node.start_byte()..colon.start_byte()).unwrap_or("");
            return clip(t.trim(), 240);
        }
    }
    let body = node.child_by_field_name("body").or_else(|| {
        let mut c = node.walk();
        let found = node.named_children(&mut c).find(|ch| BODY_KINDS.contains(&ch.kind()));
        found
    });
    let text = match body {
        Some(b) if b.start_byte() > node.start_byte() => ctx.src.get(node.start_byte()..b.start_byte()).unwrap_or(""),
        _ => ctx.text(node).lines().next().unwrap_or(""),
    };
    let t = text.trim().trim_end_matches(['{', ':', '=']).trim_end_matches("=>").trim();
    clip(t, 240)
}

/// Builtins and std calls that are not worth a reference.
fn is_builtin_call(lang: Lang, callee: &str, receiver: Option<&str>) -> bool {
    if let Some(r) = receiver {
        let head = r.split(['.', ':', '(']).next().unwrap_or(r);
        let skip_recv: &[&str] = match lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => &[
                "console", "Math", "JSON", "Object", "Array", "Promise", "Number", "String", "Date", "Reflect",
                "Symbol", "process", "window", "document", "expect",
            ],
            Lang::Python => &[
                "os",
                "sys",
                "json",
                "re",
                "math",
                "logging",
                "logger",
                "log",
                "time",
                "datetime",
                "typing",
                "str",
                "dict",
                "list",
                "self.assert",
            ],
            Lang::Go => &[
                "fmt", "strings", "strconv", "errors", "log", "time", "sort", "bytes", "os", "math", "sync", "atomic",
                "json", "t", "b", "require", "assert", "http", "context", "io", "filepath", "path", "url", "regexp",
                "reflect", "runtime", "bufio", "hex", "base64", "rand", "signal", "exec", "ioutil", "unicode", "utf8",
                "slices", "maps", "cmp", "net", "tls", "x509", "sql", "template", "testing", "slog", "binary", "flag",
            ],
            Lang::Rust => &[
                "std", "core", "alloc", "String", "Vec", "Box", "Option", "Result", "Arc", "Rc", "HashMap", "BTreeMap",
                "HashSet", "Some", "Ok", "Err",
            ],
            Lang::Java | Lang::Kotlin => &[
                "System",
                "Math",
                "String",
                "Objects",
                "Arrays",
                "Collections",
                "List",
                "Map",
                "Set",
                "Optional",
                "log",
                "logger",
                "LOG",
                "LOGGER",
                "Assertions",
                "Assert",
            ],
            Lang::CSharp => &[
                "Console",
                "Math",
                "String",
                "string",
                "Task",
                "Enumerable",
                "Assert",
                "Debug",
                "_logger",
                "logger",
                "Logger",
            ],
            Lang::Php | Lang::Ruby | Lang::Cpp => langs::builtin_receivers(lang),
        };
        if skip_recv.contains(&head) {
            return true;
        }
    }
    // Test assertions and test-framework structure are not calls worth a link.
    if callee.starts_with("assert") || callee.starts_with("Assert") {
        return true;
    }
    if matches!(lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
        && matches!(
            callee,
            "describe" | "it" | "test" | "beforeEach" | "afterEach" | "beforeAll" | "afterAll" | "suite" | "context"
        )
    {
        return true;
    }
    let common: &[&str] = match lang {
        Lang::Rust => &[
            "println",
            "print",
            "eprintln",
            "eprint",
            "format",
            "vec",
            "assert",
            "assert_eq",
            "assert_ne",
            "debug_assert",
            "debug_assert_eq",
            "panic",
            "write",
            "writeln",
            "todo",
            "unimplemented",
            "unreachable",
            "matches",
            "dbg",
            "Some",
            "Ok",
            "Err",
            "Box",
            "clone",
            "unwrap",
            "expect",
            "to_string",
            "into",
            "iter",
            "map",
            "collect",
            "len",
            "is_empty",
            "push",
            "as_ref",
            "as_str",
            "unwrap_or",
            "unwrap_or_default",
            "ok_or",
            "map_err",
            "to_owned",
            "into_iter",
            "format_args",
            "concat",
            "include_str",
            "include_bytes",
            "cfg",
            "env",
            "line",
            "file",
            "and_then",
            "iter_mut",
            "default",
            "new",
            "get",
            "insert",
            "contains",
            "filter",
            "unwrap_or_else",
            "ok",
            "as_mut",
            "borrow",
            "borrow_mut",
            "lock",
            "extend",
            "trace",
            "debug",
            "info",
            "warn",
            "error",
        ],
        Lang::Python => &[
            "print",
            "len",
            "range",
            "str",
            "int",
            "float",
            "bool",
            "list",
            "dict",
            "set",
            "tuple",
            "isinstance",
            "getattr",
            "setattr",
            "hasattr",
            "super",
            "enumerate",
            "zip",
            "map",
            "filter",
            "sorted",
            "min",
            "max",
            "sum",
            "any",
            "all",
            "open",
            "repr",
            "type",
            "iter",
            "next",
            "abs",
            "round",
            "format",
            "append",
            "extend",
            "get",
            "items",
            "keys",
            "values",
            "join",
            "split",
            "strip",
            "startswith",
            "endswith",
            "replace",
            "lower",
            "upper",
            "pop",
            "update",
            "encode",
            "decode",
            "id",
            "hash",
            "callable",
            "vars",
            "dir",
            "object",
            "frozenset",
            "bytes",
            "property",
            "staticmethod",
            "classmethod",
        ],
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => &[
            "require",
            "parseInt",
            "parseFloat",
            "setTimeout",
            "clearTimeout",
            "setInterval",
            "clearInterval",
            "String",
            "Number",
            "Boolean",
            "Array",
            "Object",
            "Symbol",
            "Error",
            "Promise",
            "Map",
            "Set",
            "Date",
            "RegExp",
            "push",
            "map",
            "filter",
            "forEach",
            "reduce",
            "find",
            "some",
            "every",
            "join",
            "split",
            "slice",
            "splice",
            "includes",
            "indexOf",
            "toString",
            "then",
            "catch",
            "finally",
            "keys",
            "values",
            "entries",
            "log",
            "resolve",
            "reject",
            "stringify",
            "parse",
            "concat",
            "trim",
            "replace",
            "startsWith",
            "endsWith",
            "toLowerCase",
            "toUpperCase",
            "get",
            "set",
            "has",
            "delete",
            "apply",
            "call",
            "bind",
            "expect",
            "toBe",
            "toEqual",
            "isArray",
            "assign",
            "TypeError",
            "JSON",
        ],
        Lang::Go => &[
            "len", "cap", "append", "make", "new", "panic", "recover", "copy", "delete", "close", "print", "println",
            "string", "int", "int64", "int32", "float64", "byte", "rune", "error", "Errorf", "Error", "String", "min",
            "max", "clear", "uint", "uint64", "uint32", "bool", "float32",
        ],
        Lang::Java | Lang::Kotlin => &[
            "println",
            "print",
            "printf",
            "toString",
            "equals",
            "hashCode",
            "valueOf",
            "format",
            "size",
            "get",
            "put",
            "add",
            "isEmpty",
            "stream",
            "map",
            "filter",
            "collect",
            "forEach",
            "of",
            "asList",
            "length",
            "append",
            "listOf",
            "mutableListOf",
            "mapOf",
            "mutableMapOf",
            "setOf",
            "arrayOf",
            "let",
            "also",
            "apply",
            "run",
            "with",
            "require",
            "check",
            "error",
            "requireNotNull",
            "checkNotNull",
            "repeat",
            "lazy",
            "to",
            "String",
            "ArrayList",
            "HashMap",
            "Object",
            "StringBuilder",
            "assertEquals",
            "assertTrue",
            "assertFalse",
            "assertNotNull",
            "assertNull",
            "assertThat",
            "isEqualTo",
            "when",
            "thenReturn",
            "verify",
            "orElse",
            "orElseThrow",
            "contains",
            "containsKey",
            "isPresent",
            "ifPresent",
            "getClass",
            "trim",
            "first",
            "last",
            "firstOrNull",
            "toList",
            "toMutableList",
            "emptyList",
            "emptyMap",
            "super",
            "this",
        ],
        Lang::CSharp => &[
            "ToString",
            "Equals",
            "GetHashCode",
            "nameof",
            "typeof",
            "Add",
            "Contains",
            "Select",
            "Where",
            "ToList",
            "ToArray",
            "FirstOrDefault",
            "First",
            "Any",
            "Count",
            "OrderBy",
            "Format",
            "WriteLine",
            "Write",
            "Ok",
            "NotFound",
            "BadRequest",
            "Dispose",
            "ConfigureAwait",
            "GetType",
            "Trim",
            "Join",
            "Split",
            "Substring",
            "IsNullOrEmpty",
            "IsNullOrWhiteSpace",
            "ThrowIfNull",
            "Exception",
            "ArgumentNullException",
            "ArgumentException",
            "InvalidOperationException",
            "List",
            "Dictionary",
            "HashSet",
            "Task",
            "FromResult",
            "Equal",
            "True",
            "False",
            "NotNull",
            "Null",
            "AreEqual",
            "IsTrue",
            "IsFalse",
            "IsNotNull",
        ],
        Lang::Php | Lang::Ruby | Lang::Cpp => langs::builtin_calls(lang),
    };
    common.contains(&callee)
}

/// The receiver's name of the Go method declaring `node` (`d` in `func (d *Daemon) Rm()`).
fn go_receiver_name<'c>(ctx: &'c Ctx, node: TsNode<'_>) -> Option<&'c str> {
    let mut cur = node.parent();
    while let Some(n) = cur {
        match n.kind() {
            "method_declaration" => {
                let param = n.child_by_field_name("receiver")?.named_child(0)?;
                return Some(ctx.text(param.child_by_field_name("name")?));
            }
            "function_declaration" | "source_file" => return None,
            _ => cur = n.parent(),
        }
    }
    None
}

fn is_self(recv: &str) -> bool {
    matches!(recv, "self" | "this" | "base" | "super" | "cls" | "Self" | "&self" | "@" | "me" | "$this" | "static")
}

/// Runs the reference query: string bindings, calls, field reads. Returns the call sites.
fn references<'t>(ctx: &mut Ctx, query: &tree_sitter::Query, root: TsNode<'t>) -> Vec<CallSite<'t>> {
    let names = query.capture_names();
    let mut calls: Vec<CallSite<'t>> = Vec::new();
    let mut members: Vec<(TsNode<'t>, TsNode<'t>, TsNode<'t>)> = Vec::new();
    let mut indexes: Vec<(TsNode<'t>, TsNode<'t>, TsNode<'t>)> = Vec::new();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, root, ctx.src.as_bytes());
    while let Some(m) = matches.next() {
        let mut cap: HashMap<&str, TsNode<'t>> = HashMap::new();
        for c in m.captures {
            cap.insert(names[c.index as usize], c.node);
        }
        if let (Some(n), Some(callee)) = (cap.get("call"), cap.get("callee")) {
            calls.push(CallSite {
                node: *n,
                callee: *callee,
                receiver: cap.get("receiver").copied(),
                args: cap.get("args").copied(),
            });
        } else if let (Some(n), Some(f), Some(r)) = (cap.get("member"), cap.get("field"), cap.get("receiver")) {
            members.push((*n, *f, *r));
        } else if let (Some(n), Some(k), Some(r)) = (cap.get("index"), cap.get("key"), cap.get("receiver")) {
            indexes.push((*n, *k, *r));
        } else if let (Some(n), Some(name), Some(v)) = (cap.get("const"), cap.get("const.name"), cap.get("const.value"))
        {
            let mut scope_idx = ctx.enclosing_def(*n, false);
            while let Some(i) = scope_idx.filter(|i| ctx.defs[*i].kind == "const") {
                scope_idx = ctx.defs[i].parent;
            }
            let scope = scope_idx.unwrap_or(usize::MAX);
            let key = (scope, ctx.text(*name).to_string());
            // Rebinding the same name with a different value makes it unknown.
            let range = (v.start_byte(), v.end_byte());
            match ctx.bindings.get(&key) {
                Some(prev) if *prev != range => {
                    let a = ctx.src.get(prev.0..prev.1).unwrap_or("");
                    if a != ctx.text(*v) {
                        ctx.bindings.insert(key, (0, 0));
                    }
                }
                Some(_) => {}
                None => {
                    ctx.bindings.insert(key, range);
                }
            }
        }
    }
    ctx.bindings.retain(|_, v| *v != (0, 0));

    // Callee containers (`a.b` in `a.b()`) are not field reads; index reads via `.get("x")` are not calls.
    let callee_parents: HashSet<(usize, usize)> =
        calls.iter().filter_map(|c| c.callee.parent()).map(|p| (p.start_byte(), p.end_byte())).collect();
    let index_calls: HashSet<(usize, usize)> = indexes.iter().map(|(n, _, _)| (n.start_byte(), n.end_byte())).collect();

    let mut seen: HashSet<(NodeId, String, String)> = HashSet::new();
    let lang = ctx.lang;
    for c in &calls {
        if index_calls.contains(&(c.node.start_byte(), c.node.end_byte())) {
            continue;
        }
        let callee = last_segment(ctx.text(c.callee)).to_string();
        if callee.is_empty() || !callee.chars().next().is_some_and(|ch| ch.is_alphabetic() || ch == '_') {
            continue;
        }
        let recv = c.receiver.map(|r| ctx.text(r));
        if is_builtin_call(lang, &callee, recv) {
            continue;
        }
        let from = ctx.owner_of(c.node);
        let span = ctx.span(c.node);
        let empty_args = c.args.is_some_and(|a| a.named_child_count() == 0 && a.kind() != "annotated_lambda");
        let getter = recv.is_some_and(|r| !is_self(r))
            && empty_args
            && ((callee.starts_with("get") && callee[3..].starts_with(|ch: char| ch.is_ascii_uppercase()))
                || (callee.starts_with("Get") && callee[3..].starts_with(|ch: char| ch.is_ascii_uppercase())));
        if getter && !matches!(lang, Lang::Rust | Lang::Python) {
            let r = clip(recv.unwrap_or(""), 60);
            if seen.insert((from.clone(), format!("field:{callee}"), r.clone())) {
                ctx.add_ref(
                    Reference::key(from, EdgeKind::ReadsField, "field", callee, ctx.inferred(span, 0.7))
                        .with_attr("receiver", r)
                        .with_attr("access", "getter"),
                );
            }
            continue;
        }
        if !seen.insert((from.clone(), format!("call:{callee}"), String::new())) {
            continue;
        }
        let local = ctx.defs.iter().any(|d| d.emitted && d.name == callee);
        // Go names the receiver (`func (d *Daemon) Rm()`): `d.Get()` inside is a call on self,
        // to a method of the same type, often declared in a sibling file of the package.
        let go_self = |r: &str| lang == Lang::Go && go_receiver_name(ctx, c.node) == Some(r);
        let conf = match recv {
            None if local => 0.8,
            None => 0.7,
            Some(r) if is_self(r) && local => 0.8,
            Some(r) if go_self(r) && local => 0.8,
            Some(r) if go_self(r) => 0.7,
            Some(r) if ctx.module_names.contains(r) => 0.7,
            Some(_) => 0.5,
        };
        let mut scope = vec![ctx.file_id.clone()];
        scope.extend(ctx.imported_files.iter().cloned());
        if lang == Lang::Go {
            // The package's other files are in scope without an import.
            let dir = ctx.path.rsplit_once('/').map_or("", |(d, _)| d);
            scope.push(NodeId::package_dir(ctx.repo, dir));
        }
        ctx.add_ref(
            Reference::key(from, EdgeKind::Calls, ns::SYMBOL, callee, ctx.inferred(span, conf)).with_scope(scope),
        );
    }

    // Method values passed as handlers (`s.getOrder`) are not field reads.
    let callable_names: HashSet<String> =
        ctx.defs.iter().filter(|d| matches!(d.kind, "function" | "method")).map(|d| d.name.clone()).collect();
    let callable_names: HashSet<&str> = callable_names.iter().map(String::as_str).collect();
    for (n, field, recv) in members {
        if callee_parents.contains(&(n.start_byte(), n.end_byte())) {
            continue;
        }
        if is_write_target(n) {
            continue;
        }
        let r = ctx.text(recv);
        if is_self(r) || ctx.module_names.contains(r) || skip_member_receiver(lang, r) {
            continue;
        }
        let key = ctx.text(field).to_string();
        if r.ends_with("_pb2") || r.ends_with("_pb2_grpc") || callable_names.contains(key.as_str()) {
            continue;
        }
        let from = ctx.owner_of(n);
        let rc = clip(r, 60);
        if !seen.insert((from.clone(), format!("field:{key}"), rc.clone())) {
            continue;
        }
        let span = ctx.span(n);
        ctx.add_ref(
            Reference::key(from, EdgeKind::ReadsField, "field", key, ctx.inferred(span, 0.6))
                .with_attr("receiver", rc)
                .with_attr("access", "member"),
        );
    }
    for (n, keyn, recv) in indexes {
        let Some(key) = crate::strval::eval(ctx, keyn).and_then(|v| v.exact()) else { continue };
        if key.is_empty() || key.len() > 100 || key.contains(['/', ' ', '\n', '{', '%']) {
            continue;
        }
        let from = ctx.owner_of(n);
        let rc = clip(ctx.text(recv), 60);
        if !seen.insert((from.clone(), format!("field:{key}"), rc.clone())) {
            continue;
        }
        let span = ctx.span(n);
        ctx.add_ref(
            Reference::key(from, EdgeKind::ReadsField, "field", key, ctx.inferred(span, 0.6))
                .with_attr("receiver", rc)
                .with_attr("access", "index"),
        );
    }
    calls
}

fn is_write_target(n: TsNode) -> bool {
    let Some(p) = n.parent() else { return false };
    let assign = matches!(
        p.kind(),
        "assignment"
            | "assignment_expression"
            | "augmented_assignment"
            | "augmented_assignment_expression"
            | "compound_assignment_expr"
    );
    if !assign {
        return false;
    }
    p.child_by_field_name("left").or_else(|| p.named_child(0)).is_some_and(|l| l.id() == n.id())
}

fn skip_member_receiver(lang: Lang, r: &str) -> bool {
    let first = r.chars().next().unwrap_or(' ');
    // `Type.CONST`, `Enum.Variant`, `Console.Out`: static access, not data.
    let simple = r.chars().all(|c| c.is_alphanumeric() || c == '_');
    if simple && first.is_uppercase() && lang != Lang::Go {
        return true;
    }
    if r.starts_with("this.") || r.starts_with("self.") && r.matches('.').count() == 1 && lang == Lang::Rust {
        return false;
    }
    matches!(
        r,
        "console"
            | "Math"
            | "JSON"
            | "process"
            | "window"
            | "document"
            | "os"
            | "sys"
            | "std"
            | "module"
            | "exports"
            | "process.env"
            | "import.meta"
            | "os.environ"
            | "navigator"
            | "globalThis"
            | "location"
    )
}
