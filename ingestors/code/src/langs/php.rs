//! PHP: attributes, PHPUnit tests (`test*` methods, `@test`, `#[Test]`) and
//! Pest blocks, `namespace` + `use` as module keys (`php:App\Models\Order`),
//! `require`/`include` of files, and DTO shapes (public typed and promoted
//! properties, `#[SerializedName]`, JsonSerializable).

use super::shape::{self, FieldSpec, ShapeSpec};
use super::{deco_args, deco_name, decorations, dir_of, join_path, walk, Nodes};
use crate::ctx::{clip, Ctx, Def};
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, NodeId, NodeKind, Reference};
use tree_sitter::Node as TsNode;

/// Receivers whose calls are not worth a reference.
pub const BUILTIN_RECEIVERS: &[&str] = &["Log", "$logger", "$this->logger", "Carbon", "Str", "Arr", "Assert"];

/// Callees that are not worth a reference: core functions, test assertions, collection helpers.
pub const BUILTIN_CALLS: &[&str] = &[
    "__construct",
    "array_map",
    "array_filter",
    "array_keys",
    "array_values",
    "array_merge",
    "array_key_exists",
    "in_array",
    "count",
    "is_array",
    "is_string",
    "is_int",
    "is_null",
    "isset",
    "empty",
    "strlen",
    "strtolower",
    "strtoupper",
    "sprintf",
    "implode",
    "explode",
    "trim",
    "str_replace",
    "json_encode",
    "json_decode",
    "var_dump",
    "print_r",
    "printf",
    "dd",
    "dump",
    "compact",
    "array_push",
    "substr",
    "strpos",
    "str_contains",
    "intval",
    "is_numeric",
    "get_class",
    "method_exists",
    "call_user_func",
    "func_get_args",
    "expect",
    "toBe",
    "toEqual",
    "assertTrue",
    "assertFalse",
    "assertSame",
    "assertEquals",
    "assertCount",
    "assertNull",
    "assertNotNull",
    "assertInstanceOf",
    "get",
    "set",
    "has",
    "map",
    "filter",
    "first",
    "toArray",
    "collect",
    "self",
    "static",
    "parent",
    "it",
    "test",
    "describe",
    "beforeEach",
    "group",
    "middleware",
    "prefix",
    "name",
    "wait",
];

/// Test files: PHPUnit `tests/` and `*Test.php`.
pub fn is_test_path(_path: &str, name: &str, in_test_dir: bool) -> bool {
    in_test_dir || name.ends_with("Test.php") || name.ends_with("TestCase.php")
}

/// `#[Attr(...)]` groups on a declaration (class, method, property, parameter).
pub fn attributes<'t>(n: TsNode<'t>, out: &mut Vec<TsNode<'t>>) {
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if ch.kind() == "attribute_list" {
            walk(ch, |a| {
                if a.kind() == "attribute" {
                    out.push(a);
                }
            });
        }
    }
}

/// The PHPDoc block right above a declaration, as raw text.
pub fn docblock<'a>(ctx: &Ctx<'a>, n: TsNode) -> Option<&'a str> {
    let p = n.prev_sibling().filter(|p| p.kind() == "comment")?;
    let t = ctx.text(p);
    (t.starts_with("/**") && p.end_position().row + 1 >= n.start_position().row).then_some(t)
}

/// PHPUnit: `test*` methods of a test file's class, `@test` in the docblock, `#[Test]`.
pub fn is_test(ctx: &Ctx, n: TsNode, name: &str, parent: Option<&Def>) -> bool {
    if n.kind() != "method_declaration" || parent.is_none_or(|p| p.kind != "class") {
        return false;
    }
    (ctx.test_file && name.starts_with("test"))
        || decorations(ctx, n).iter().any(|d| deco_name(ctx, *d) == "Test")
        || docblock(ctx, n).is_some_and(|d| d.contains("@test"))
}

/// `namespace App\Models;` (the namespace of the file: `None` at the top).
fn namespace_of(ctx: &Ctx, root: &Nodes<'_>) -> Option<String> {
    let mut c = root.root.walk();
    let ns = root.root.named_children(&mut c).find(|n| n.kind() == "namespace_definition")?;
    ns.child_by_field_name("name").map(|n| ctx.text(n).trim_start_matches('\\').to_string())
}

/// `use A\B\C;`, `use A\B\C as D;`, `use A\{B, C};`: (full name, local name).
fn use_clauses(ctx: &Ctx, decl: TsNode) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let group_prefix = {
        let mut c = decl.walk();
        let found = decl.named_children(&mut c).find(|x| x.kind() == "namespace_name");
        found.map(|p| ctx.text(p).trim_start_matches('\\').to_string())
    };
    walk(decl, |n| {
        if n.kind() != "namespace_use_clause" {
            return;
        }
        let Some(target) = n.named_child(0) else { return };
        let full = ctx.text(target).trim_start_matches('\\').to_string();
        let full = match &group_prefix {
            Some(p) => format!("{p}\\{full}"),
            None => full,
        };
        let local = n
            .child_by_field_name("alias")
            .map(|a| ctx.text(a).to_string())
            .unwrap_or_else(|| full.rsplit('\\').next().unwrap_or(&full).to_string());
        out.push((full, local));
    });
    out
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    let namespace = namespace_of(ctx, root);
    if let Some(n) = &namespace {
        ctx.facts.provide(&file, ns::MODULE, format!("php:{n}"));
        ctx.open_namespaces.push(format!("php:{}", n.replace('\\', ".")));
    }
    // Top-level classes, interfaces, traits, enums: `php:Namespace\Name`.
    let mut c = root.root.walk();
    let tops: Vec<TsNode> = root.root.named_children(&mut c).collect();
    for t in tops {
        if !matches!(t.kind(), "class_declaration" | "interface_declaration" | "trait_declaration" | "enum_declaration")
        {
            continue;
        }
        if let Some(name) = t.child_by_field_name("name") {
            let key = match &namespace {
                Some(n) => format!("php:{n}\\{}", ctx.text(name)),
                None => format!("php:{}", ctx.text(name)),
            };
            ctx.facts.provide(&file, ns::MODULE, key);
        }
    }
    let mut uses = Vec::new();
    let mut requires = Vec::new();
    root.each(|n, kind| match kind {
        "namespace_use_declaration" => uses.push(n),
        "require_expression" | "require_once_expression" | "include_expression" | "include_once_expression" => {
            requires.push(n)
        }
        _ => {}
    });
    for u in uses {
        let span = ctx.span(u);
        for (full, local) in use_clauses(ctx, u) {
            // For the flow analysis: `Order` -> `php:App.Dto.Order`.
            ctx.import_alias.insert(local.clone(), format!("php:{}", full.replace('\\', ".")));
            ctx.imported_names.insert(local, full.clone());
            let prov = ctx.inferred(span, 0.8);
            ctx.add_ref(Reference::key(file.clone(), EdgeKind::Imports, ns::MODULE, format!("php:{full}"), prov));
        }
    }
    for r in requires {
        let Some(arg) = r.named_child(0) else { continue };
        let Some(v) = crate::strval::eval(ctx, arg) else { continue };
        // `__DIR__ . '/x.php'` is relative to this file; a bare literal to the repo root.
        let path = match v.parts.as_slice() {
            [crate::strval::Part::Hole(h), crate::strval::Part::Lit(rest)] if h == "__DIR__" => {
                join_path(dir_of(ctx.path), rest.trim_start_matches('/'))
            }
            [crate::strval::Part::Lit(p)] if !p.starts_with('/') => {
                join_path(dir_of(ctx.path), p).into_iter().chain(join_path("", p)).next()
            }
            _ => None,
        };
        let Some(path) = path.filter(|p| p.ends_with(".php")) else { continue };
        let id = NodeId::file(ctx.repo, &path);
        ctx.imported_files.push(id.clone());
        let prov = ctx.declared(ctx.span(r));
        ctx.add_ref(Reference::any_of(file.clone(), EdgeKind::Imports, vec![id], prov));
    }
}

/// Pest: `test('x', fn)` / `it('x', fn)` inside optional `describe('y', fn)` blocks.
pub fn test_blocks(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut blocks: Vec<(TsNode, String, bool)> = Vec::new();
    root.each(|n, kind| {
        if kind != "function_call_expression" {
            return;
        }
        let Some(f) = n.child_by_field_name("function") else { return };
        let suite = match ctx.text(f) {
            "describe" => true,
            "test" | "it" => false,
            _ => return,
        };
        let Some(title) = n.child_by_field_name("arguments").and_then(|a| a.named_child(0)) else { return };
        if let Some(t) = crate::strval::eval(ctx, title) {
            blocks.push((n, clip(&t.render(), 120), suite));
        }
    });
    for (n, title, suite) in blocks {
        let parent = ctx.enclosing_def(n, false).filter(|p| ctx.defs[*p].is_test);
        let qualified = match parent.map(|p| ctx.defs[p].qualified.clone()) {
            Some(p) => format!("{p} > {title}"),
            None => title.clone(),
        };
        let id = NodeId::test(ctx.repo, ctx.path, &qualified);
        if ctx.defs.iter().any(|d| d.id == id) {
            continue;
        }
        let span = ctx.span(n);
        let idx = ctx.defs.len();
        ctx.defs.push(Def {
            id: id.clone(),
            kind: if suite { "module" } else { "function" },
            name: title.clone(),
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
        let sig = clip(ctx.text(n).lines().next().unwrap_or(""), 240);
        let node = ctx
            .new_node(id.clone(), NodeKind::Test, &title, span)
            .with_attr(attr::SYMBOL_KIND, if suite { "suite" } else { "test" })
            .with_attr(attr::QUALIFIED_NAME, &qualified)
            .with_attr(attr::SIGNATURE, sig)
            .with_attr(attr::TEST, "true");
        ctx.add_node(node);
        ctx.contains_from_file(&id, span);
    }
}

const SHAPE_SUFFIXES: &[&str] =
    &["Dto", "DTO", "Request", "Response", "Event", "Message", "Command", "Payload", "Data"];

/// The first string argument of an attribute (`#[SerializedName('order_id')]`).
fn attr_string(ctx: &Ctx, a: TsNode) -> Option<String> {
    let args = deco_args(a)?;
    let mut out = None;
    walk(args, |n| {
        if out.is_none() && matches!(n.kind(), "string" | "encapsed_string") {
            out = crate::strval::eval(ctx, n).and_then(|v| v.exact());
        }
    });
    out
}

/// DTO-like classes: public typed properties and constructor-promoted public properties,
/// wire names from `#[SerializedName]` (Symfony) / `#[SerializedPath]` or as written.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut classes = Vec::new();
    root.each(|n, kind| {
        if kind == "class_declaration" {
            classes.push(n);
        }
    });
    for cls in classes {
        let Some(name) = cls.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let Some(body) = cls.child_by_field_name("body") else { continue };
        let text = ctx.text(cls);
        let serialized = text.contains("SerializedName") || text.contains("JsonSerializable");
        let dto = SHAPE_SUFFIXES.iter().any(|s| name.ends_with(s));
        if !(serialized || dto) {
            continue;
        }
        // (name, type, node carrying attributes, has default)
        let mut members: Vec<(String, String, TsNode, bool)> = Vec::new();
        let mut c = body.walk();
        for m in body.named_children(&mut c) {
            match m.kind() {
                "property_declaration" => {
                    let head = ctx.text(m);
                    if !head.contains("public") || head.contains("static ") {
                        continue;
                    }
                    let ty = m.child_by_field_name("type").map(|t| ctx.text(t).to_string()).unwrap_or_default();
                    let mut c2 = m.walk();
                    for el in m.named_children(&mut c2).filter(|e| e.kind() == "property_element") {
                        let Some(v) = el.child_by_field_name("name") else { continue };
                        let has_default = el.child_by_field_name("default_value").is_some();
                        members.push((ctx.text(v).trim_start_matches('$').to_string(), ty.clone(), m, has_default));
                    }
                }
                "method_declaration" => {
                    if m.child_by_field_name("name").is_none_or(|n| ctx.text(n) != "__construct") {
                        continue;
                    }
                    let Some(params) = m.child_by_field_name("parameters") else { continue };
                    let mut c2 = params.walk();
                    for p in params.named_children(&mut c2).filter(|p| p.kind() == "property_promotion_parameter") {
                        if p.child_by_field_name("visibility").is_none_or(|v| ctx.text(v) != "public") {
                            continue;
                        }
                        let Some(v) = p.child_by_field_name("name") else { continue };
                        let ty = p.child_by_field_name("type").map(|t| ctx.text(t).to_string()).unwrap_or_default();
                        let has_default = p.child_by_field_name("default_value").is_some();
                        members.push((ctx.text(v).trim_start_matches('$').to_string(), ty, p, has_default));
                    }
                }
                _ => {}
            }
        }
        if members.is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        for (fname, ty, owner, has_default) in members {
            let mut wire = None;
            let mut ignored = false;
            for a in decorations(ctx, owner) {
                match deco_name(ctx, a).as_str() {
                    "SerializedName" | "SerializedPath" | "JsonProperty" if wire.is_none() => {
                        wire = attr_string(ctx, a).map(|w| w.trim_matches(['[', ']']).to_string());
                    }
                    "Ignore" | "JsonIgnore" => ignored = true,
                    _ => {}
                }
            }
            if ignored {
                continue;
            }
            let nullable = ty.starts_with('?') || ty.to_ascii_lowercase().contains("null");
            fields.push(FieldSpec {
                wire: wire.unwrap_or_else(|| fname.clone()),
                ty,
                required: !nullable && !has_default,
                nullable,
                span: ctx.span(owner),
                name: fname,
            });
        }
        let serializer = if text.contains("SerializedName") { "symfony-serializer" } else { "php" };
        shape::emit(ctx, ShapeSpec { name, span: ctx.span(cls), serializer, convention: "as written".into(), fields });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_paths() {
        assert!(is_test_path("tests/Unit/OrderTest.php", "OrderTest.php", true));
        assert!(is_test_path("src/OrderTest.php", "OrderTest.php", false));
        assert!(!is_test_path("src/Order.php", "Order.php", false));
    }
}
