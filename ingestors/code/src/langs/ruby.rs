//! Ruby: `#` doc comments, `class A::B` qualified by `A`, `attr_accessor`
//! methods, RSpec/minitest/Rails test blocks and `test_` methods,
//! `require`/`require_relative` as file imports, constant provides (`rb:A::B`),
//! `Struct.new(..., keyword_init: true)` and dry-struct shapes.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::{dir_of, doc_text, join_path, lexical_prefix, qualify, Nodes};
use crate::ctx::{clip, Ctx, Def};
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, NodeId, NodeKind, Reference};
use tree_sitter::Node as TsNode;

/// Receivers whose calls are not worth a reference.
pub const BUILTIN_RECEIVERS: &[&str] =
    &["Rails", "Time", "Date", "DateTime", "JSON", "File", "Dir", "Kernel", "Math", "logger", "Logger", "I18n", "ENV"];

/// Callees that are not worth a reference: core methods, collection methods, RSpec matchers.
pub const BUILTIN_CALLS: &[&str] = &[
    "new",
    "puts",
    "print",
    "p",
    "pp",
    "raise",
    "require",
    "require_relative",
    "include",
    "extend",
    "prepend",
    "attr_accessor",
    "attr_reader",
    "attr_writer",
    "private",
    "protected",
    "public",
    "module_function",
    "private_constant",
    "freeze",
    "frozen?",
    "dup",
    "clone",
    "to_s",
    "to_i",
    "to_f",
    "to_a",
    "to_h",
    "to_sym",
    "to_json",
    "inspect",
    "nil?",
    "empty?",
    "present?",
    "blank?",
    "presence",
    "is_a?",
    "kind_of?",
    "respond_to?",
    "send",
    "public_send",
    "each",
    "each_with_index",
    "each_with_object",
    "map",
    "flat_map",
    "select",
    "reject",
    "find",
    "detect",
    "reduce",
    "inject",
    "include?",
    "any?",
    "all?",
    "none?",
    "count",
    "size",
    "length",
    "first",
    "last",
    "sort",
    "sort_by",
    "group_by",
    "uniq",
    "compact",
    "flatten",
    "join",
    "split",
    "strip",
    "downcase",
    "upcase",
    "gsub",
    "sub",
    "merge",
    "merge!",
    "fetch",
    "dig",
    "key?",
    "keys",
    "values",
    "push",
    "pop",
    "shift",
    "tap",
    "then",
    "lambda",
    "proc",
    "block_given?",
    "loop",
    "format",
    "sprintf",
    "expect",
    "to",
    "not_to",
    "to_not",
    "eq",
    "eql",
    "be",
    "let",
    "let!",
    "subject",
    "before",
    "after",
    "around",
    "describe",
    "context",
    "it",
    "specify",
    "assert",
    "assert_equal",
    "refute",
    "class",
    "call",
    "URI",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "root",
    "match",
    "resource",
    "resources",
    "namespace",
    "scope",
    "member",
    "collection",
    "route_param",
    "prefix",
    "version",
    "attribute",
    "attribute?",
    "test",
    "validates",
    "validate",
    "belongs_to",
    "has_many",
    "has_one",
    "before_action",
    "after_action",
    "helper_method",
    "rescue_from",
    "delegate",
    "described_class",
    "optional",
    "all",
    "where",
];

/// Test files: RSpec `spec/` and `*_spec.rb`, minitest `test/` and `*_test.rb`.
pub fn is_test_path(_path: &str, name: &str, in_test_dir: bool) -> bool {
    in_test_dir || name.ends_with("_spec.rb") || name.ends_with("_test.rb") || name.starts_with("test_")
}

/// `# ...` comment lines right above the definition (magic comments and rubocop directives skipped).
pub fn doc(ctx: &Ctx, n: TsNode) -> Option<String> {
    let row = n.start_position().row;
    let lines: Vec<&str> = ctx.src.lines().take(row).collect();
    let mut out: Vec<String> = Vec::new();
    for l in lines.iter().rev() {
        let t = l.trim();
        let Some(c) = t.strip_prefix('#') else { break };
        if c.starts_with('!') || c.contains("frozen_string_literal") || c.contains("rubocop:") || c.contains("typed:") {
            break;
        }
        let c = c.trim();
        if !c.is_empty() {
            out.push(c.to_string());
        }
    }
    out.reverse();
    doc_text(&out)
}

/// A definition's header: its first line without a trailing comment (Ruby bodies have no braces).
pub fn signature(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let first = first.split(" # ").next().unwrap_or(first);
    clip(first.trim(), 240)
}

/// minitest and Rails test methods: `test_*` in a class of a test file.
pub fn is_test(ctx: &Ctx, name: &str, parent: Option<&Def>) -> bool {
    ctx.test_file && name.starts_with("test_") && parent.is_some_and(|p| p.kind == "class")
}

/// `class A::B` (named `B`): qualified by the enclosing definitions and `A`.
pub fn qualifier(ctx: &Ctx, n: TsNode) -> Option<String> {
    if !matches!(n.kind(), "class" | "module") {
        return None;
    }
    let name = n.child_by_field_name("name").filter(|x| x.kind() == "scope_resolution")?;
    let scope = ctx.text(name.child_by_field_name("scope")?).trim_start_matches("::");
    Some(qualify(lexical_prefix(ctx, n).as_deref(), "::", scope))
}

/// The string value of a literal argument: `'x'`, `"x"`, `:x`, `%w` words.
pub fn literal(ctx: &Ctx, n: TsNode) -> Option<String> {
    match n.kind() {
        "simple_symbol" => Some(ctx.text(n).trim_start_matches(':').to_string()),
        "hash_key_symbol" | "identifier" | "constant" => Some(ctx.text(n).to_string()),
        "bare_symbol" | "bare_string" => Some(ctx.text(n).to_string()),
        "string" | "delimited_symbol" => crate::strval::eval(ctx, n).and_then(|v| v.exact()),
        _ => None,
    }
}

/// Positional arguments and `key: value` / `"key" => value` pairs of an argument list.
pub fn split_args<'t>(ctx: &Ctx, args: Option<TsNode<'t>>) -> (Vec<TsNode<'t>>, Vec<(String, TsNode<'t>)>) {
    let mut pos = Vec::new();
    let mut named = Vec::new();
    let Some(args) = args else { return (pos, named) };
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        match a.kind() {
            "pair" => {
                if let (Some(k), Some(v)) = (a.child_by_field_name("key"), a.child_by_field_name("value")) {
                    let key = literal(ctx, k).unwrap_or_else(|| ctx.text(k).to_string());
                    named.push((key.trim_end_matches(':').to_string(), v));
                }
            }
            "hash" => {
                let mut c2 = a.walk();
                for p in a.named_children(&mut c2).filter(|p| p.kind() == "pair") {
                    if let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) {
                        let key = literal(ctx, k).unwrap_or_else(|| ctx.text(k).to_string());
                        named.push((key, v));
                    }
                }
            }
            "comment" | "block_argument" => {}
            _ => pos.push(a),
        }
    }
    (pos, named)
}

/// The method name and arguments of a receiver-less call (`attr_accessor :a`, `it "x" do`).
fn bare_call<'a, 't>(ctx: &Ctx<'a>, n: TsNode<'t>) -> Option<(&'a str, Option<TsNode<'t>>)> {
    if n.kind() != "call" {
        return None;
    }
    let recv = n.child_by_field_name("receiver");
    let method = ctx.text(n.child_by_field_name("method")?);
    // `RSpec.describe` is the one receiver a test block is allowed.
    if recv.is_some_and(|r| ctx.text(r) != "RSpec") {
        return None;
    }
    Some((method, n.child_by_field_name("arguments")))
}

const STDLIB: &[&str] = &[
    "json",
    "net/http",
    "net/https",
    "uri",
    "set",
    "time",
    "date",
    "securerandom",
    "openssl",
    "yaml",
    "logger",
    "fileutils",
    "pathname",
    "tempfile",
    "erb",
    "csv",
    "digest",
    "base64",
    "open3",
    "optparse",
    "ostruct",
    "benchmark",
    "socket",
    "timeout",
    "English",
    "stringio",
    "zlib",
    "singleton",
    "forwardable",
    "bigdecimal",
    "open-uri",
    "pp",
    "rbconfig",
    "shellwords",
    "tmpdir",
    "monitor",
    "observer",
    "delegate",
    "English",
];

/// `require "x/y"`: `lib/x/y.rb` or `x/y.rb` (and `spec/` or `test/` from specs and tests,
/// whose runners put them on the load path); `require_relative "../x"`: beside this file.
pub fn require_candidates(from_path: &str, spec: &str, relative: bool) -> Vec<String> {
    let file = if spec.ends_with(".rb") { spec.to_string() } else { format!("{spec}.rb") };
    let mut out = Vec::new();
    if relative {
        out.extend(join_path(dir_of(from_path), &file));
    } else if !STDLIB.contains(&spec) && !spec.starts_with('/') {
        let top = from_path.split('/').next().unwrap_or("");
        if matches!(top, "spec" | "test") && from_path.contains('/') {
            out.extend(join_path(top, &file));
        }
        out.extend(join_path("lib", &file));
        out.extend(join_path("", &file));
    }
    out
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    // Constants this file defines: `rb:Billing::Invoice` (Zeitwerk maps them to paths).
    let consts: Vec<String> =
        ctx.defs.iter().filter(|d| matches!(d.kind, "class" | "module")).map(|d| d.qualified.clone()).collect();
    for q in consts {
        let key = format!("rb:{q}");
        if !ctx.facts.provides.iter().any(|p| p.key == key) {
            ctx.facts.provide(&file, ns::MODULE, key);
        }
    }
    let mut reqs: Vec<(TsNode, String, bool)> = Vec::new();
    root.each(|n, kind| {
        if kind != "call" || n.child_by_field_name("receiver").is_some() {
            return;
        }
        let Some(m) = n.child_by_field_name("method") else { return };
        let relative = match ctx.text(m) {
            "require_relative" => true,
            "require" | "load" => false,
            _ => return,
        };
        let arg = n.child_by_field_name("arguments").and_then(|a| a.named_child(0));
        if let Some(spec) = arg.filter(|a| a.kind() == "string").and_then(|a| literal(ctx, a)) {
            reqs.push((n, spec, relative));
        }
    });
    for (n, spec, relative) in reqs {
        let ids: Vec<NodeId> =
            require_candidates(ctx.path, &spec, relative).iter().map(|p| NodeId::file(ctx.repo, p)).collect();
        if ids.is_empty() {
            continue;
        }
        ctx.imported_files.extend(ids.iter().cloned());
        let prov = ctx.declared(ctx.span(n));
        ctx.add_ref(Reference::any_of(file.clone(), EdgeKind::Imports, ids, prov).with_attr("require", spec));
    }
}

/// Pushes a definition found outside the query and emits its node.
fn push_def(ctx: &mut Ctx, n: TsNode, at: TsNode, name: &str, qualified: &str, kind: &'static str, test: bool) {
    let id =
        if test { NodeId::test(ctx.repo, ctx.path, qualified) } else { NodeId::symbol(ctx.repo, ctx.path, qualified) };
    if ctx.defs.iter().any(|d| d.id == id) {
        return;
    }
    let span = ctx.span(at);
    let parent = ctx.enclosing_def(n, false);
    let idx = ctx.defs.len();
    ctx.defs.push(Def {
        id: id.clone(),
        kind,
        name: name.to_string(),
        qualified: qualified.to_string(),
        start: at.start_byte(),
        end: at.end_byte(),
        start_line: span.start_line,
        end_line: span.end_line,
        is_test: test,
        parent,
        lex_parent: parent,
        emitted: true,
    });
    ctx.def_at.insert((at.start_byte(), at.end_byte()), idx);
    let sig = signature(ctx.text(n));
    let sig = sig.trim_end_matches(" do").to_string();
    let mut node = ctx
        .new_node(id.clone(), if test { NodeKind::Test } else { NodeKind::Symbol }, name, span)
        .with_attr(attr::SYMBOL_KIND, kind)
        .with_attr(attr::QUALIFIED_NAME, qualified)
        .with_attr(attr::SIGNATURE, sig);
    if test {
        node = node.with_attr(attr::TEST, "true");
        ctx.add_node(node);
        ctx.contains_from_file(&id, span);
        return;
    }
    if let Some(d) = doc(ctx, n) {
        node = node.with_attr(attr::DOC, d.clone()).with_text(d);
    }
    ctx.add_node(node);
    match parent.map(|p| ctx.defs[p].id.clone()) {
        Some(p) => {
            let prov = ctx.declared(span);
            ctx.facts.edge(brain_model::Edge::new(p, EdgeKind::Contains, id.clone(), prov));
        }
        None => ctx.contains_from_file(&id, span),
    }
    ctx.facts.provide(&id, ns::SYMBOL, name.to_string());
}

/// `attr_accessor :a, :b` (methods `a`, `b`) and, in test files, RSpec
/// `describe`/`context`/`it` and Rails `test "..." do` blocks (Test nodes `outer > inner`).
pub fn extra_defs(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut attrs: Vec<(TsNode, TsNode, String)> = Vec::new();
    let mut blocks: Vec<(TsNode, String, bool)> = Vec::new();
    let test_file = ctx.test_file;
    root.each(|n, kind| {
        if kind != "call" {
            return;
        }
        let Some((method, args)) = bare_call(ctx, n) else { return };
        match method {
            "attr_accessor" | "attr_reader" | "attr_writer" => {
                let Some(args) = args else { return };
                let mut c = args.walk();
                for a in args.named_children(&mut c) {
                    if let Some(name) = literal(ctx, a).filter(|_| a.kind() != "identifier") {
                        attrs.push((n, a, name));
                    }
                }
            }
            "describe" | "context" | "feature" | "shared_examples" | "it" | "specify" | "scenario" | "test"
                if test_file && n.child_by_field_name("block").is_some() =>
            {
                let suite = matches!(method, "describe" | "context" | "feature" | "shared_examples");
                let title = args.and_then(|a| a.named_child(0)).map(|t| match t.kind() {
                    "constant" | "scope_resolution" => ctx.text(t).to_string(),
                    _ => literal(ctx, t)
                        .or_else(|| crate::strval::eval(ctx, t).map(|v| v.render()))
                        .unwrap_or_else(|| ctx.text(t).to_string()),
                });
                if let Some(t) = title.filter(|t| !t.is_empty()) {
                    blocks.push((n, clip(&t, 120), suite));
                }
            }
            _ => {}
        }
    });
    for (call, at, name) in attrs {
        let prefix = ctx.enclosing_def(call, false).map(|p| ctx.defs[p].qualified.clone());
        let qualified = qualify(prefix.as_deref(), "::", &name);
        push_def(ctx, call, at, &name, &qualified, "method", false);
    }
    for (n, title, suite) in blocks {
        // Nested in the enclosing block or test class (`InvoiceTest > computes tax`).
        let parent = ctx.enclosing_def(n, false).filter(|p| ctx.defs[*p].emitted);
        let qualified = match parent.map(|p| ctx.defs[p].qualified.clone()) {
            Some(p) => format!("{p} > {title}"),
            None => title.clone(),
        };
        push_def(ctx, n, n, &title, &qualified, if suite { "module" } else { "function" }, true);
    }
}

/// `Point = Struct.new(:x, :y, keyword_init: true)` (members are the hash keys) and
/// dry-struct classes (`attribute :name, Types::String`, `attribute? :note` optional).
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut structs: Vec<(TsNode, String, TsNode)> = Vec::new();
    let mut dry: Vec<TsNode> = Vec::new();
    root.each(|n, kind| match kind {
        "assignment" => {
            let (Some(l), Some(r)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else { return };
            if l.kind() == "constant" && r.kind() == "call" && ctx.text(r).starts_with("Struct.new") {
                if let Some(a) = r.child_by_field_name("arguments") {
                    structs.push((n, ctx.text(l).to_string(), a));
                }
            }
        }
        "class" => {
            let sup = n.child_by_field_name("superclass").map(|s| ctx.text(s)).unwrap_or("");
            if sup.contains("Dry::Struct") || sup.contains("Dry::Validation") || sup.ends_with("::Struct") {
                dry.push(n);
            }
        }
        _ => {}
    });
    for (n, name, args) in structs {
        let (pos, named) = split_args(ctx, Some(args));
        if !named.iter().any(|(k, v)| k == "keyword_init" && ctx.text(*v) == "true") {
            continue; // positional structs have no wire names
        }
        let fields = pos
            .iter()
            .filter_map(|a| {
                let f = literal(ctx, *a).filter(|_| a.kind() == "simple_symbol")?;
                Some(FieldSpec {
                    wire: f.clone(),
                    ty: String::new(),
                    required: false,
                    nullable: true,
                    span: ctx.span(*a),
                    name: f,
                })
            })
            .collect();
        shape::emit(
            ctx,
            ShapeSpec { name, span: ctx.span(n), serializer: "ruby-struct", convention: "as written".into(), fields },
        );
    }
    for cls in dry {
        let Some(name) = cls.child_by_field_name("name").map(|x| crate::ctx::last_segment(ctx.text(x)).to_string())
        else {
            continue;
        };
        let Some(body) = cls.child_by_field_name("body") else { continue };
        let mut fields = Vec::new();
        let mut c = body.walk();
        for st in body.named_children(&mut c) {
            let Some((method, args)) = bare_call(ctx, st) else { continue };
            if !matches!(method, "attribute" | "attribute?") {
                continue;
            }
            let (pos, _) = split_args(ctx, args);
            let Some(f) = pos.first().and_then(|a| literal(ctx, *a)) else { continue };
            let ty = pos.get(1).map(|t| ctx.text(*t).to_string()).unwrap_or_default();
            let optional = method == "attribute?";
            let nullable = ty.contains(".optional") || ty.contains("Nil");
            fields.push(FieldSpec { wire: f.clone(), ty, required: !optional, nullable, span: ctx.span(st), name: f });
        }
        if !fields.is_empty() {
            shape::emit(
                ctx,
                ShapeSpec {
                    name,
                    span: ctx.span(cls),
                    serializer: "dry-struct",
                    convention: "as written".into(),
                    fields,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_and_tests() {
        assert_eq!(require_candidates("app/models/order.rb", "../lib/util", true), vec!["app/lib/util.rb"]);
        assert_eq!(
            require_candidates("a.rb", "billing/invoice", false),
            vec!["lib/billing/invoice.rb", "billing/invoice.rb"]
        );
        assert!(require_candidates("a.rb", "json", false).is_empty());
        assert_eq!(require_candidates("spec/models/a_spec.rb", "rails_helper", false)[0], "spec/rails_helper.rb");
        assert!(is_test_path("spec/x_spec.rb", "x_spec.rb", true));
        assert!(is_test_path("x_test.rb", "x_test.rb", false));
        assert!(!is_test_path("app/x.rb", "x.rb", false));
    }
}
