//! Per-language knowledge that queries cannot say: doc comments, decorators
//! and annotations, test conventions, module identity, imports and data
//! shapes. Each language has a module; this one dispatches.

use crate::clients::Seen;
use crate::ctx::{Ctx, Def};
use crate::extract::CallSite;
use crate::lang::Lang;
use tree_sitter::Node as TsNode;

pub mod cpp;
pub mod cpp_wire;
pub mod csharp;
pub mod go;
pub mod js;
pub mod jvm;
pub mod php;
pub mod php_wire;
pub mod python;
pub mod rest;
pub mod ruby;
pub mod ruby_wire;
pub mod rust;
pub mod shape;

/// A parsed file's root and every node in it (pre-order), collected once so
/// that detectors scan a slice instead of re-walking the tree.
pub struct Nodes<'t> {
    pub root: TsNode<'t>,
    all: Vec<(TsNode<'t>, &'static str)>,
}

impl<'t> Nodes<'t> {
    pub fn collect(root: TsNode<'t>) -> Self {
        let mut all = Vec::new();
        walk(root, |n| {
            if n.is_named() {
                all.push((n, n.kind()));
            }
        });
        Nodes { root, all }
    }

    /// Calls `f` with every named node and its kind, in document order.
    pub fn each(&self, mut f: impl FnMut(TsNode<'t>, &'static str)) {
        for (n, k) in &self.all {
            f(*n, k);
        }
    }
}

/// Decorators, annotations and attributes attached to a definition node.
pub fn decorations<'t>(ctx: &Ctx, n: TsNode<'t>) -> Vec<TsNode<'t>> {
    let mut out = Vec::new();
    match ctx.lang {
        Lang::Rust => {
            let mut cur = n.prev_sibling();
            while let Some(p) = cur {
                match p.kind() {
                    "attribute_item" => out.push(p),
                    "line_comment" | "block_comment" => {}
                    _ => break,
                }
                cur = p.prev_sibling();
            }
            out.reverse();
        }
        Lang::Python => {
            if let Some(p) = n.parent().filter(|p| p.kind() == "decorated_definition") {
                let mut c = p.walk();
                out.extend(p.named_children(&mut c).filter(|c| c.kind() == "decorator"));
            }
        }
        Lang::Java | Lang::Kotlin => {
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                if ch.kind() == "modifiers" {
                    let mut c2 = ch.walk();
                    out.extend(
                        ch.named_children(&mut c2).filter(|a| matches!(a.kind(), "annotation" | "marker_annotation")),
                    );
                }
            }
        }
        Lang::CSharp => {
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                if ch.kind() == "attribute_list" {
                    let mut c2 = ch.walk();
                    out.extend(ch.named_children(&mut c2).filter(|a| a.kind() == "attribute"));
                }
            }
        }
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
            let mut c = n.walk();
            out.extend(n.named_children(&mut c).filter(|a| a.kind() == "decorator"));
            let mut cur = n.prev_named_sibling();
            while let Some(p) = cur.filter(|p| p.kind() == "decorator") {
                out.push(p);
                cur = p.prev_named_sibling();
            }
        }
        Lang::Php => php::attributes(n, &mut out),
        Lang::Go | Lang::Ruby | Lang::Cpp => {}
    }
    out
}

/// The name of a decoration, last path segment (`tokio::test` gives `test`, `@app.get(...)` gives `get`).
pub fn deco_name(ctx: &Ctx, d: TsNode) -> String {
    let t = ctx.text(d).trim_start_matches(['@', '#', '!', '[']).trim_start_matches('[');
    let head = t.split(['(', ']', ' ', '=']).next().unwrap_or(t);
    head.rsplit(['.', ':']).next().unwrap_or(head).trim().to_string()
}

/// The full dotted head of a decoration (`app.get`, `actix_web::get`).
pub fn deco_path(ctx: &Ctx, d: TsNode) -> String {
    let t = ctx.text(d).trim_start_matches(['@', '#', '!', '[']).trim_start_matches('[');
    t.split(['(', ']', ' ']).next().unwrap_or(t).trim().to_string()
}

/// The argument list node of a decoration, if it has one.
pub fn deco_args<'t>(d: TsNode<'t>) -> Option<TsNode<'t>> {
    let mut stack = vec![d];
    while let Some(n) = stack.pop() {
        if matches!(
            n.kind(),
            "argument_list"
                | "arguments"
                | "annotation_argument_list"
                | "attribute_argument_list"
                | "value_arguments"
                | "token_tree"
        ) {
            return Some(n);
        }
        let mut c = n.walk();
        let kids: Vec<TsNode<'t>> = n.named_children(&mut c).collect();
        stack.extend(kids.into_iter().rev());
    }
    None
}

fn is_comment(k: &str) -> bool {
    matches!(k, "comment" | "line_comment" | "block_comment")
}

/// The doc comment of a definition.
pub fn doc(ctx: &Ctx, n: TsNode) -> Option<String> {
    match ctx.lang {
        Lang::Python => return python::docstring(ctx, n),
        Lang::Ruby => return ruby::doc(ctx, n),
        Lang::Cpp => return cpp::doc(ctx, n),
        _ => {}
    }
    // Comments precede the definition, or its export/decorator wrapper.
    let mut anchor = n;
    while let Some(p) = anchor.parent() {
        if matches!(
            p.kind(),
            "export_statement" | "decorated_definition" | "lexical_declaration" | "variable_declaration"
        ) && p.start_byte() <= anchor.start_byte()
            && p.named_child(0).is_some_and(|c| c.id() == anchor.id() || p.kind() != "lexical_declaration")
        {
            anchor = p;
        } else {
            break;
        }
    }
    let mut comments: Vec<&str> = Vec::new();
    let mut cur = anchor.prev_sibling();
    let mut next_line = anchor.start_position().row;
    while let Some(p) = cur {
        let end_row = p.end_position().row;
        if is_comment(p.kind()) {
            if end_row + 1 < next_line {
                break;
            }
            comments.push(ctx.text(p));
        } else if matches!(p.kind(), "attribute_item" | "decorator" | "attribute_list" | "annotation") {
        } else {
            break;
        }
        next_line = p.start_position().row;
        cur = p.prev_sibling();
    }
    comments.reverse();
    let doc_style = |c: &str| match ctx.lang {
        Lang::Rust => (c.starts_with("///") && !c.starts_with("////")) || c.starts_with("/**"),
        Lang::CSharp => c.starts_with("///") || c.starts_with("/**"),
        Lang::Go => c.starts_with("//") && !c.contains("expect:"),
        _ => c.starts_with("/**"),
    };
    let mut lines: Vec<String> = Vec::new();
    for c in comments.into_iter().filter(|c| doc_style(c)) {
        for l in c.lines() {
            let l = l.trim();
            let l = l
                .trim_start_matches("/**")
                .trim_start_matches("///")
                .trim_start_matches("//")
                .trim_end_matches("*/")
                .trim_start_matches('*')
                .trim();
            let l = strip_xml(l);
            if !l.is_empty() {
                lines.push(l);
            }
        }
    }
    if lines.is_empty() {
        None
    } else {
        Some(crate::ctx::clip(&lines.join("\n"), 2000).replace(" \n", "\n"))
    }
}

fn strip_xml(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The text to parse when it must differ from the source (same length, same lines):
/// C++ macro invocations that tree-sitter cannot read are blanked.
pub fn parse_text(lang: Lang, src: &str) -> Option<String> {
    match lang {
        Lang::Cpp => cpp::parse_text(src),
        _ => None,
    }
}

/// A language's own definition header, when the body-based one in `extract.rs` does not fit
/// (Ruby bodies have no braces: the header is the first line).
pub fn signature(ctx: &Ctx, n: TsNode) -> Option<String> {
    match ctx.lang {
        Lang::Ruby => Some(ruby::signature(ctx.text(n))),
        Lang::Cpp => Some(cpp::signature(ctx, n)),
        _ => None,
    }
}

/// Adjusts the kind a query gave (Kotlin interfaces, Rust trait methods, ...);
/// an empty kind drops the definition.
pub fn refine_kind(ctx: &Ctx, n: TsNode, kind: &'static str, parent: Option<&Def>) -> &'static str {
    match ctx.lang {
        Lang::Kotlin => jvm::refine_kotlin(ctx, n, kind),
        Lang::Cpp => cpp::refine_kind(ctx, n, kind, parent),
        Lang::Ruby if kind == "function" && parent.is_some_and(|p| p.kind == "module") => "method",
        Lang::Rust if kind == "function" && parent.is_some_and(|p| p.kind == "trait") => "method",
        _ => kind,
    }
}

/// Overrides the qualifier of a definition (Go methods by receiver type).
pub fn qualifier(ctx: &Ctx, n: TsNode) -> Option<String> {
    match ctx.lang {
        Lang::Go if n.kind() == "method_declaration" => go::receiver_type(ctx, n),
        Lang::Cpp => cpp::qualifier(ctx, n),
        Lang::Ruby => ruby::qualifier(ctx, n),
        _ => None,
    }
}

/// Whether a definition is a test.
pub fn is_test(ctx: &Ctx, n: TsNode, name: &str, parent: Option<&Def>) -> bool {
    if !n.kind().contains("function") && !n.kind().contains("method") {
        return false;
    }
    match ctx.lang {
        Lang::Rust => decorations(ctx, n).iter().any(|d| {
            let p = deco_path(ctx, d.named_child(0).unwrap_or(*d));
            matches!(deco_name(ctx, *d).as_str(), "test" | "rstest" | "test_case" | "quickcheck" | "proptest")
                || p.ends_with("::test")
        }),
        Lang::Python => python::is_test(ctx, n, name, parent),
        Lang::Go => {
            ctx.test_file
                && n.kind() == "function_declaration"
                && ["Test", "Benchmark", "Fuzz", "Example"].iter().any(|p| {
                    name.strip_prefix(p)
                        .is_some_and(|rest| rest.is_empty() || !rest.starts_with(|c: char| c.is_lowercase()))
                })
        }
        Lang::Java | Lang::Kotlin => decorations(ctx, n).iter().any(|d| {
            matches!(
                deco_name(ctx, *d).as_str(),
                "Test" | "ParameterizedTest" | "RepeatedTest" | "TestFactory" | "TestTemplate"
            )
        }),
        Lang::CSharp => decorations(ctx, n).iter().any(|d| {
            matches!(
                deco_name(ctx, *d).as_str(),
                "Fact" | "Theory" | "Test" | "TestCase" | "TestCaseSource" | "TestMethod" | "DataTestMethod"
            )
        }),
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => false,
        Lang::Php => php::is_test(ctx, n, name, parent),
        Lang::Ruby => ruby::is_test(ctx, name, parent),
        Lang::Cpp => false,
    }
}

/// Module identity (provides) and imports (references) of the file.
pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    match ctx.lang {
        Lang::Rust => rust::module_and_imports(ctx, root),
        Lang::Python => python::module_and_imports(ctx, root),
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => js::module_and_imports(ctx, root),
        Lang::Go => go::module_and_imports(ctx, root),
        Lang::Java | Lang::Kotlin => jvm::module_and_imports(ctx, root),
        Lang::CSharp => csharp::module_and_imports(ctx, root),
        Lang::Php => php::module_and_imports(ctx, root),
        Lang::Ruby => ruby::module_and_imports(ctx, root),
        Lang::Cpp => cpp::module_and_imports(ctx, root),
    }
}

/// Definitions that queries do not find (JS/TS `describe`/`it`, RSpec and Pest
/// blocks, gtest `TEST` macros, Ruby `attr_accessor`s).
pub fn extra_defs(ctx: &mut Ctx, root: &Nodes<'_>) {
    match ctx.lang {
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript if ctx.test_file => js::test_blocks(ctx, root),
        Lang::Php if ctx.test_file => php::test_blocks(ctx, root),
        Lang::Ruby => ruby::extra_defs(ctx, root),
        Lang::Cpp => cpp::test_macros(ctx, root),
        _ => {}
    }
}

/// Data shapes with wire names.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    match ctx.lang {
        Lang::Rust => rust::shapes(ctx, root),
        Lang::Python => python::shapes(ctx, root),
        Lang::TypeScript | Lang::Tsx => js::shapes(ctx, root),
        Lang::JavaScript => {}
        Lang::Go => go::shapes(ctx, root),
        Lang::Java | Lang::Kotlin => jvm::shapes(ctx, root),
        Lang::CSharp => csharp::shapes(ctx, root),
        Lang::Php => php::shapes(ctx, root),
        Lang::Ruby => ruby::shapes(ctx, root),
        Lang::Cpp => {}
    }
}

/// Routes served that the shared detector in `routes.rs` does not read (PHP, Ruby).
pub fn routes(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite]) {
    match ctx.lang {
        Lang::Php => php_wire::routes(ctx, root, calls),
        Lang::Ruby => ruby_wire::routes(ctx, root, calls),
        _ => {}
    }
}

/// HTTP/gRPC clients, gRPC servers and bus calls that the shared detector in
/// `clients.rs` does not read (PHP, Ruby, C++).
pub fn clients(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite], seen: &mut Seen) {
    match ctx.lang {
        Lang::Php => php_wire::clients(ctx, root, calls, seen),
        Lang::Ruby => ruby_wire::clients(ctx, root, calls, seen),
        Lang::Cpp => cpp_wire::clients(ctx, root, calls, seen),
        _ => {}
    }
}

/// Iterates over all descendants of `root` (pre-order), calling `f` for each.
pub fn walk<'t>(root: TsNode<'t>, mut f: impl FnMut(TsNode<'t>)) {
    let mut cursor = root.walk();
    let mut visited_children = false;
    loop {
        if !visited_children {
            f(cursor.node());
            if cursor.goto_first_child() {
                continue;
            }
        }
        if cursor.goto_next_sibling() {
            visited_children = false;
            continue;
        }
        if !cursor.goto_parent() {
            break;
        }
        visited_children = true;
    }
}

/// Joins a directory and a relative path, resolving `.` and `..`; `None` when it escapes the repo.
pub fn join_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dir.is_empty() { Vec::new() } else { dir.split('/').collect() };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The directory of a repo-relative path (`""` at the root).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Test files by naming convention, for the languages whose rules live in their modules.
pub fn is_test_path_more(lang: Lang, path: &str, name: &str, in_test_dir: bool) -> bool {
    match lang {
        Lang::Php => php::is_test_path(path, name, in_test_dir),
        Lang::Ruby => ruby::is_test_path(path, name, in_test_dir),
        Lang::Cpp => cpp::is_test_path(path, name, in_test_dir),
        _ => false,
    }
}

/// Receivers whose calls are not worth a reference (standard library, loggers).
pub fn builtin_receivers(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Php => php::BUILTIN_RECEIVERS,
        Lang::Ruby => ruby::BUILTIN_RECEIVERS,
        Lang::Cpp => cpp::BUILTIN_RECEIVERS,
        _ => &[],
    }
}

/// Callee names that are not worth a reference (builtins, collection methods).
pub fn builtin_calls(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Php => php::BUILTIN_CALLS,
        Lang::Ruby => ruby::BUILTIN_CALLS,
        Lang::Cpp => cpp::BUILTIN_CALLS,
        _ => &[],
    }
}

/// The qualified name of the innermost definition found so far that encloses
/// `n` (while the definition query runs: Ruby `class A::B`, C++ `void A::f()`).
pub fn lexical_prefix(ctx: &Ctx, n: TsNode) -> Option<String> {
    ctx.defs
        .iter()
        .rev()
        .find(|d| {
            d.start <= n.start_byte() && d.end >= n.end_byte() && (d.start, d.end) != (n.start_byte(), n.end_byte())
        })
        .map(|d| d.qualified.clone())
}

/// Joins a prefix and a name with a separator, either side possibly empty.
pub fn qualify(prefix: Option<&str>, sep: &str, name: &str) -> String {
    match prefix {
        Some(p) if !p.is_empty() && !name.is_empty() => format!("{p}{sep}{name}"),
        Some(p) if !p.is_empty() => p.to_string(),
        _ => name.to_string(),
    }
}

/// The text of doc comments as lines, without comment markers (`///`, `//!`,
/// `/** */`, `#`) and without the leading `*` of block comment lines.
pub fn comment_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for l in text.lines() {
        let l = l.trim();
        let l = l
            .trim_start_matches("/**")
            .trim_start_matches("/*!")
            .trim_start_matches("/*")
            .trim_start_matches("///")
            .trim_start_matches("//!")
            .trim_start_matches("//")
            .trim_start_matches('#')
            .trim_end_matches("*/")
            .trim_start_matches('*')
            .trim_start_matches('<')
            .trim();
        if !l.is_empty() {
            out.push(l.to_string());
        }
    }
    out
}

/// Joins doc lines into the `doc` attribute (clipped), `None` when empty.
pub fn doc_text(lines: &[String]) -> Option<String> {
    if lines.is_empty() {
        None
    } else {
        Some(crate::ctx::clip(&lines.join("\n"), 2000).replace(" \n", "\n"))
    }
}

/// A client call's URL against the client's base URL (Guzzle `base_uri`, Faraday `url:`,
/// HTTParty `base_uri`): a relative path joins the base; an absolute path replaces the base's
/// path unless `concat` (HTTParty appends every path); a full URL stays as it is.
pub fn join_base(base: &str, url: &crate::strval::StrVal, concat: bool) -> crate::strval::StrVal {
    use crate::strval::{Part, StrVal};
    let Some(Part::Lit(first)) = url.parts.first() else { return url.clone() };
    if first.starts_with("http://") || first.starts_with("https://") || (first.starts_with('/') && !concat) {
        return url.clone();
    }
    let joined = format!("{}/{}", base.trim_end_matches('/'), first.trim_start_matches('/'));
    let mut parts = vec![Part::Lit(joined)];
    parts.extend(url.parts.iter().skip(1).cloned());
    StrVal { parts }
}
