//! C++ (and `.h` headers): Doxygen and `//` doc comments, out-of-class
//! definitions (`void A::f()` is `A::f`, a method of `A`), prototypes kept in
//! headers only, gtest/Catch2/Boost.Test macros as tests, `#include "x.h"` as
//! file imports relative to the file and to the usual include roots.

use super::{comment_lines, dir_of, doc_text, join_path, lexical_prefix, qualify, Nodes};
use crate::ctx::{clip, Ctx, Def};
use brain_model::attr;
use brain_model::{EdgeKind, NodeId, NodeKind, Reference};
use tree_sitter::Node as TsNode;

/// Receivers whose calls are not worth a reference.
pub const BUILTIN_RECEIVERS: &[&str] = &["std", "absl", "fmt", "spdlog", "boost", "LOG", "VLOG", "gpr", "testing"];

/// Callees that are not worth a reference: standard containers, smart pointers, casts, gtest asserts.
pub const BUILTIN_CALLS: &[&str] = &[
    "size",
    "empty",
    "begin",
    "end",
    "cbegin",
    "cend",
    "push_back",
    "emplace_back",
    "pop_back",
    "insert",
    "emplace",
    "erase",
    "find",
    "count",
    "clear",
    "reserve",
    "resize",
    "at",
    "get",
    "reset",
    "release",
    "data",
    "c_str",
    "str",
    "length",
    "substr",
    "append",
    "front",
    "back",
    "first",
    "second",
    "swap",
    "move",
    "forward",
    "make_unique",
    "make_shared",
    "make_pair",
    "make_tuple",
    "static_cast",
    "dynamic_cast",
    "reinterpret_cast",
    "const_cast",
    "sizeof",
    "printf",
    "fprintf",
    "snprintf",
    "sprintf",
    "memcpy",
    "memset",
    "strlen",
    "strcmp",
    "malloc",
    "free",
    "assert",
    "static_assert",
    "to_string",
    "EXPECT_EQ",
    "EXPECT_NE",
    "EXPECT_TRUE",
    "EXPECT_FALSE",
    "EXPECT_THAT",
    "EXPECT_LT",
    "EXPECT_GT",
    "EXPECT_LE",
    "EXPECT_GE",
    "ASSERT_EQ",
    "ASSERT_NE",
    "ASSERT_TRUE",
    "ASSERT_FALSE",
    "ASSERT_THAT",
    "REQUIRE",
    "CHECK",
    "CHECK_EQ",
    "DCHECK",
    "lock",
    "unlock",
    "ok",
];

/// Test files: `*_test.cc`, `*_unittest.cc`, `test_*.cpp`, files under `test/` or `tests/`.
pub fn is_test_path(_path: &str, name: &str, in_test_dir: bool) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    in_test_dir
        || stem.ends_with("_test")
        || stem.ends_with("_unittest")
        || stem.ends_with("_tests")
        || stem.starts_with("test_")
        || stem.ends_with("Test")
        || stem.ends_with("Tests")
}

/// Whether a path is a header (prototypes there are the API; in sources they are forward declarations).
pub fn is_header(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(ext, "h" | "hh" | "hpp" | "hxx")
}

/// Test macros whose "body" tree-sitter reads as a function definition.
const TEST_MACROS: &[&str] =
    &["TEST", "TEST_F", "TEST_P", "TYPED_TEST", "TYPED_TEST_P", "TEST_CASE", "SCENARIO", "BOOST_AUTO_TEST_CASE"];

/// The function declarator of a definition or declaration, through pointer and reference declarators.
fn function_declarator(n: TsNode) -> Option<TsNode> {
    let mut d = n.child_by_field_name("declarator")?;
    for _ in 0..4 {
        match d.kind() {
            "function_declarator" => return Some(d),
            "pointer_declarator" | "reference_declarator" => {
                d = d
                    .child_by_field_name("declarator")
                    .or_else(|| d.named_child(d.named_child_count().checked_sub(1)?))?;
            }
            _ => return None,
        }
    }
    None
}

/// `A::B` for a definition of `A::B::f` (template arguments dropped), `None` when unqualified.
pub fn out_of_class_scope(ctx: &Ctx, n: TsNode) -> Option<String> {
    if n.kind() != "function_definition" {
        return None;
    }
    let mut q = function_declarator(n)?.child_by_field_name("declarator")?;
    let mut parts: Vec<&str> = Vec::new();
    while q.kind() == "qualified_identifier" && parts.len() < 8 {
        if let Some(s) = q.child_by_field_name("scope") {
            let t = ctx.text(s);
            parts.push(t.split('<').next().unwrap_or(t).trim());
        }
        q = q.child_by_field_name("name")?;
    }
    let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("::"))
    }
}

/// The simple name a declaration declares (`f` in `int f(int);`).
fn declared_name<'a>(ctx: &Ctx<'a>, n: TsNode) -> Option<&'a str> {
    Some(ctx.text(function_declarator(n)?.child_by_field_name("declarator")?))
}

/// The gtest-style macro a "function definition" really is, if any.
fn test_macro<'a>(ctx: &Ctx<'a>, n: TsNode) -> Option<&'a str> {
    if n.kind() != "function_definition" || n.child_by_field_name("type").is_some() {
        return None;
    }
    let name = ctx.text(function_declarator(n)?.child_by_field_name("declarator")?);
    TEST_MACROS.contains(&name).then_some(name)
}

/// Drops prototypes outside headers and test macros; out-of-class definitions are
/// methods unless their scope is a namespace (a known one, or a lower-case name).
pub fn refine_kind(ctx: &Ctx, n: TsNode, kind: &'static str, parent: Option<&Def>) -> &'static str {
    if test_macro(ctx, n).is_some() {
        return "";
    }
    if n.kind() == "declaration" && !parent.is_some_and(Def::is_class_like) && !is_header(ctx.path) {
        return "";
    }
    // A method declared in its class and defined below it in the same file is one symbol: the definition.
    if matches!(n.kind(), "field_declaration" | "declaration") {
        if let (Some(p), Some(name)) = (parent, declared_name(ctx, n)) {
            if ctx.src.contains(&format!("{}::{name}(", p.name)) {
                return "";
            }
        }
    }
    if kind == "function" {
        if let Some(scope) = out_of_class_scope(ctx, n) {
            let full = qualifier(ctx, n).unwrap_or_else(|| scope.clone());
            let known = ctx.defs.iter().rev().find(|d| d.qualified == full);
            let namespace = match known {
                Some(d) => d.kind == "module",
                None => scope.rsplit("::").next().is_some_and(|s| s.starts_with(|c: char| c.is_lowercase())),
            };
            return if namespace { "function" } else { "method" };
        }
    }
    kind
}

/// The qualifier of an out-of-class definition: the enclosing namespaces and the written scope.
pub fn qualifier(ctx: &Ctx, n: TsNode) -> Option<String> {
    let scope = out_of_class_scope(ctx, n)?;
    if let Some(global) = scope.strip_prefix("::") {
        return Some(global.to_string());
    }
    Some(qualify(lexical_prefix(ctx, n).as_deref(), "::", &scope))
}

/// The header of a definition up to its body or constructor initialisers; a declaration whole.
pub fn signature(ctx: &Ctx, n: TsNode) -> String {
    let stop = n
        .child_by_field_name("body")
        .or_else(|| n.named_children(&mut n.walk()).find(|c| c.kind() == "field_initializer_list"))
        .map_or(n.end_byte(), |b| b.start_byte());
    let stop = n
        .named_children(&mut n.walk())
        .find(|c| c.kind() == "field_initializer_list")
        .map_or(stop, |f| f.start_byte().min(stop));
    let text = ctx.src.get(n.start_byte()..stop).unwrap_or("");
    // Comments inside the header (trailing `// ...` on a parameter line) are not part of it.
    let text: Vec<&str> = text.lines().map(|l| l.split("//").next().unwrap_or(l)).collect();
    let text = text.join(" ");
    clip(text.trim().trim_end_matches(';').trim_end_matches('{').trim(), 240)
}

/// Doxygen (`///`, `//!`, `/** */`, `/*! */`) and plain `//` comments right above a
/// definition (or its `template <...>` line); a trailing comment of the previous line is not one.
pub fn doc(ctx: &Ctx, n: TsNode) -> Option<String> {
    let mut anchor = n;
    while let Some(p) = anchor.parent().filter(|p| p.kind() == "template_declaration") {
        anchor = p;
    }
    let mut comments: Vec<&str> = Vec::new();
    let mut next_line = anchor.start_position().row;
    let mut cur = anchor.prev_sibling();
    while let Some(p) = cur {
        if p.kind() != "comment" || p.end_position().row + 1 < next_line {
            break;
        }
        let before = p.prev_sibling();
        if before.is_some_and(|b| b.end_position().row == p.start_position().row) {
            break;
        }
        comments.push(ctx.text(p));
        next_line = p.start_position().row;
        cur = before;
    }
    comments.reverse();
    let lines: Vec<String> = comments.iter().flat_map(|c| comment_lines(c)).collect();
    doc_text(&lines)
}

/// `#include "x.h"`: the file beside this one, at the repo root or under `include/` or `src/`;
/// `#include <a/b.h>`: under `include/` or the root (system headers without a `/` are skipped).
pub fn include_candidates(from_path: &str, spec: &str, quoted: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |p: Option<String>| {
        if let Some(p) = p.filter(|p| !p.is_empty()) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    };
    if spec.starts_with('/') || spec.contains('\\') {
        return out;
    }
    if quoted {
        add(join_path(dir_of(from_path), spec));
        add(join_path("", spec));
        add(join_path("include", spec));
        add(join_path("src", spec));
    } else if spec.contains('/') {
        add(join_path("include", spec));
        add(join_path("", spec));
    }
    out
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    let mut includes: Vec<(TsNode, String, bool)> = Vec::new();
    root.each(|n, kind| {
        if kind == "preproc_include" {
            if let Some(p) = n.child_by_field_name("path") {
                let quoted = p.kind() == "string_literal";
                let spec = ctx.text(p).trim_matches(['"', '<', '>']).trim().to_string();
                includes.push((n, spec, quoted));
            }
        }
    });
    for (n, spec, quoted) in includes {
        let ids: Vec<NodeId> =
            include_candidates(ctx.path, &spec, quoted).iter().map(|p| NodeId::file(ctx.repo, p)).collect();
        if ids.is_empty() {
            continue;
        }
        ctx.imported_files.extend(ids.iter().take(4).cloned());
        let prov = ctx.declared(ctx.span(n.child_by_field_name("path").unwrap_or(n)));
        ctx.add_ref(Reference::any_of(file.clone(), EdgeKind::Imports, ids, prov).with_attr("include", spec));
    }
    flow_names(ctx, root);
}

/// For the flow analysis: `using a::b::T;` names `T` (`T` -> `cpp:a.b.T`), `using namespace a::b;`
/// and the namespaces the file's code sits in open `cpp:a.b`.
fn flow_names(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut found: Vec<(bool, String)> = Vec::new();
    root.each(|n, kind| match kind {
        "using_declaration" => {
            let t = ctx.text(n).trim().trim_end_matches(';').trim_start_matches("using").trim();
            match t.strip_prefix("namespace") {
                Some(ns) => found.push((true, ns.trim().trim_start_matches("::").replace("::", "."))),
                None => found.push((false, t.trim_start_matches("::").replace("::", "."))),
            }
        }
        "namespace_definition" => {
            // Nested `namespace a { namespace b {` opens `a.b`.
            let mut path = Vec::new();
            let mut cur = Some(n);
            while let Some(c) = cur {
                if c.kind() == "namespace_definition" {
                    if let Some(nm) = c.child_by_field_name("name") {
                        path.push(ctx.text(nm).replace("::", "."));
                    }
                }
                cur = c.parent();
            }
            path.reverse();
            found.push((true, path.join(".")));
        }
        _ => {}
    });
    for (open, path) in found {
        if path.is_empty() || path == "std" || path.starts_with("std.") || path.starts_with("grpc") {
            continue;
        }
        if open {
            let ns = format!("cpp:{path}");
            if !ctx.open_namespaces.contains(&ns) {
                ctx.open_namespaces.push(ns);
            }
        } else if let Some((_, leaf)) = path.rsplit_once('.') {
            ctx.import_alias.insert(leaf.to_string(), format!("cpp:{path}"));
        }
    }
}

/// gtest `TEST(Suite, Name)` / `TEST_F` / `TEST_P`, Catch2 `TEST_CASE("name")` and Boost
/// `BOOST_AUTO_TEST_CASE(name)` become Test nodes (`Suite.Name`, gtest's full name).
pub fn test_macros(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut found: Vec<(TsNode, String)> = Vec::new();
    root.each(|n, kind| {
        if kind != "function_definition" || test_macro(ctx, n).is_none() {
            return;
        }
        let Some(params) = function_declarator(n).and_then(|f| f.child_by_field_name("parameters")) else { return };
        let mut c = params.walk();
        let words: Vec<String> = params
            .named_children(&mut c)
            .map(|p| ctx.text(p).trim().trim_matches('"').to_string())
            .filter(|w| !w.is_empty() && !w.starts_with('['))
            .take(2)
            .collect();
        if !words.is_empty() {
            found.push((n, words.join(".")));
        }
    });
    for (n, qualified) in found {
        if ctx.def_at.contains_key(&(n.start_byte(), n.end_byte())) {
            continue;
        }
        let span = ctx.span(n);
        let name = qualified.rsplit('.').next().unwrap_or(&qualified).to_string();
        let id = NodeId::test(ctx.repo, ctx.path, &qualified);
        if ctx.defs.iter().any(|d| d.id == id) {
            continue;
        }
        let parent = ctx.enclosing_def(n, false);
        let idx = ctx.defs.len();
        ctx.defs.push(Def {
            id: id.clone(),
            kind: "function",
            name: name.clone(),
            qualified: qualified.clone(),
            start: n.start_byte(),
            end: n.end_byte(),
            start_line: span.start_line,
            end_line: span.end_line,
            is_test: true,
            parent,
            lex_parent: parent,
            emitted: true,
        });
        ctx.def_at.insert((n.start_byte(), n.end_byte()), idx);
        let sig = signature(ctx, n);
        let node = ctx
            .new_node(id.clone(), NodeKind::Test, &name, span)
            .with_attr(attr::SYMBOL_KIND, "test")
            .with_attr(attr::QUALIFIED_NAME, &qualified)
            .with_attr(attr::SIGNATURE, sig)
            .with_attr(attr::TEST, "true");
        ctx.add_node(node);
        ctx.contains_from_file(&id, span);
    }
}

/// Thread-safety annotations (`TF_LOCKS_EXCLUDED(mu_)`, `ABSL_GUARDED_BY(mu_)`) that
/// tree-sitter reads as declarators and loses the definition around them.
const ANNOTATIONS: &[&str] = &[
    "GUARDED_BY",
    "LOCKS_EXCLUDED",
    "LOCKS_REQUIRED",
    "ACQUIRE",
    "RELEASE",
    "LOCK_FUNCTION",
    "LOCK_RETURNED",
    "ACQUIRED_AFTER",
    "ACQUIRED_BEFORE",
    "ASSERT_EXCLUSIVE_LOCK",
    "ASSERT_SHARED_LOCK",
];

/// Attribute-like macros, with or without arguments (`ABSL_ATTRIBUTE_UNUSED`,
/// `ABSL_PRINTF_ATTRIBUTE(4, 5)`, `ABSL_DEPRECATED("...")`, `TF_MUST_USE_RESULT`, `FOO_EXPORT`).
fn attribute_macro(word: &str) -> bool {
    ["_ATTRIBUTE", "DEPRECATED", "MUST_USE_RESULT", "NODISCARD", "_EXPORT", "_API", "NO_THREAD_SAFETY_ANALYSIS"]
        .iter()
        .any(|k| word.contains(k))
        || ANNOTATIONS.iter().any(|a| word.ends_with(a))
}

/// The text tree-sitter should parse, when it differs from the source: statement-like
/// macro invocations at the start of a line outside functions (`ABSL_FLAG(int, n, 1, "...");`,
/// `REGISTER_X(...)`) and thread-safety annotations are blanked with spaces, so every byte
/// offset (and line) stays that of the source. `TEST(...) {` and the like are kept.
pub fn parse_text(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut out: Vec<u8> = b.to_vec();
    let mut changed = false;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..].iter().position(|x| *x == b'\n').map_or(b.len(), |p| i + p);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = find(b, i + 2, b"*/").map_or(b.len(), |p| p + 2);
                line_start = false;
                continue;
            }
            b'"' | b'\'' => {
                i = skip_quoted(b, i);
                line_start = false;
                continue;
            }
            _ => {}
        }
        if c.is_ascii_uppercase() && (i == 0 || !is_ident(b[i - 1])) {
            let end = i + b[i..].iter().take_while(|x| is_ident(**x)).count();
            let word = src.get(i..end).unwrap_or("");
            let caps =
                word.len() >= 2 && word.bytes().all(|x| x.is_ascii_uppercase() || x.is_ascii_digit() || x == b'_');
            let open = end + b[end..].iter().take_while(|x| **x == b' ' || **x == b'\t').count();
            let annotation = caps && attribute_macro(word);
            if caps && b.get(open) != Some(&b'(') && annotation {
                for x in out.iter_mut().take(end).skip(i) {
                    *x = b' ';
                }
                changed = true;
            } else if caps && b.get(open) == Some(&b'(') {
                if let Some(close) = matching_paren(b, open) {
                    // gmock `MOCK_METHOD(...)` lines are statements wherever they are.
                    let statement = line_start || word.starts_with("MOCK_");
                    let stmt_end = if statement && !annotation { statement_macro_end(b, close + 1) } else { None };
                    let blank_to = if annotation { Some(close + 1) } else { stmt_end };
                    if let Some(to) = blank_to {
                        for x in out.iter_mut().take(to).skip(i) {
                            if *x != b'\n' {
                                *x = b' ';
                            }
                        }
                        changed = true;
                        line_start = false;
                        i = to;
                        continue;
                    }
                }
            }
            line_start = false;
            i = end.max(i + 1);
            continue;
        }
        // Only a macro in the first column is a statement outside functions (bodies are indented).
        line_start = false;
        i += 1;
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?.windows(pat.len()).position(|w| w == pat).map(|p| from + p)
}

/// The index after a quoted literal starting at `i` (to the end of the line if unterminated).
fn skip_quoted(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'\n' => return j,
            x if x == q => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// The index of the `)` matching the `(` at `open`, skipping literals and comments.
fn matching_paren(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = open;
    while j < b.len() {
        match b[j] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j);
                }
            }
            b'"' | b'\'' => {
                j = skip_quoted(b, j);
                continue;
            }
            b'/' if b.get(j + 1) == Some(&b'/') => {
                j = b[j..].iter().position(|x| *x == b'\n').map_or(b.len(), |p| j + p);
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// After a line-initial `MACRO(...)`: the end of the statement (`;`, a `->f(...)` chain, or the
/// line end), unless a body (`{`) or an initialiser list (`:`) follows, which makes it a definition.
fn statement_macro_end(b: &[u8], mut j: usize) -> Option<usize> {
    loop {
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if b.get(j..j + 2) == Some(b"->") || b.get(j) == Some(&b'.') {
            j += if b[j] == b'.' { 1 } else { 2 };
            while j < b.len() && is_ident(b[j]) {
                j += 1;
            }
            if b.get(j) == Some(&b'(') {
                j = matching_paren(b, j)? + 1;
            }
            continue;
        }
        break;
    }
    match b.get(j) {
        Some(b';') => Some(j + 1),
        None | Some(b'\n') | Some(b'\r') => {
            // A body on the next line makes it a definition (`TEST(A, B)\n{`).
            let next = b[j..].iter().position(|x| !x.is_ascii_whitespace()).map(|p| b[j + p]);
            (!matches!(next, Some(b'{') | Some(b':'))).then_some(j)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_and_tests() {
        let c = include_candidates("src/orders/server.cc", "orders/store.h", true);
        assert_eq!(c[0], "src/orders/orders/store.h");
        assert!(c.contains(&"orders/store.h".to_string()) && c.contains(&"include/orders/store.h".to_string()));
        assert_eq!(include_candidates("a.cc", "../x.h", true)[0], "x.h".to_string());
        assert!(include_candidates("a.cc", "vector", false).is_empty());
        assert_eq!(include_candidates("a.cc", "grpcpp/grpcpp.h", false)[0], "include/grpcpp/grpcpp.h");
        assert!(is_test_path("x", "server_test.cc", false) && !is_test_path("x", "server.cc", false));
        assert!(is_header("a/b.hpp") && !is_header("a/b.cc"));
    }

    #[test]
    fn macros_are_blanked_in_place() {
        let src = "ABSL_FLAG(int, n, 1, \"x(\");\nint f() TF_LOCKS_EXCLUDED(mu_) {\n  CHECK(x);\n}\nTEST(A, B) {\n}\nREGISTER(X)\nint g();\n";
        let t = parse_text(src).expect("changed");
        assert_eq!(t.len(), src.len());
        assert_eq!(t.lines().count(), src.lines().count());
        assert!(t.starts_with("   ") && !t.contains("ABSL_FLAG") && !t.contains("TF_LOCKS") && !t.contains("REGISTER"));
        assert!(t.contains("CHECK(x);") && t.contains("TEST(A, B) {") && t.contains("int f()"));
        assert_eq!(parse_text("int f();\n"), None);
        assert_eq!(parse_text("X(\"unterminated"), None);
    }
}
