//! JavaScript and TypeScript: relative imports by path, npm packages,
//! `describe`/`it`/`test` blocks, interfaces and object type aliases as shapes.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::Nodes;
use super::{dir_of, join_path, walk};
use crate::ctx::{Ctx, Def};
use crate::lang::Lang;
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, NodeId, NodeKind, Reference};
use tree_sitter::Node as TsNode;

const NODE_BUILTINS: &[&str] = &[
    "fs",
    "path",
    "os",
    "http",
    "https",
    "url",
    "util",
    "events",
    "stream",
    "crypto",
    "child_process",
    "assert",
    "buffer",
    "zlib",
    "net",
    "tls",
    "dns",
    "readline",
    "querystring",
    "worker_threads",
    "cluster",
    "module",
    "process",
    "timers",
    "perf_hooks",
    "string_decoder",
    "vm",
    "v8",
    "inspector",
    "async_hooks",
    "tty",
    "dgram",
    "constants",
];

/// Candidate files for a relative module specifier, most likely first.
pub fn candidates(lang: Lang, from_path: &str, spec: &str) -> Vec<String> {
    let Some(base) = join_path(dir_of(from_path), spec) else { return Vec::new() };
    let ts = matches!(lang, Lang::TypeScript | Lang::Tsx);
    let mut out = Vec::new();
    let known_ext = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json"];
    if let Some(ext) = known_ext.iter().find(|e| base.ends_with(*e)) {
        let stem = &base[..base.len() - ext.len()];
        if ts && matches!(*ext, ".js" | ".mjs" | ".cjs") {
            // TypeScript ESM imports name the emitted `.js`.
            out.push(format!("{stem}.ts"));
            out.push(format!("{stem}.tsx"));
        }
        out.push(base.clone());
        return out;
    }
    let exts: &[&str] = if ts { &["ts", "tsx", "js", "jsx", "mts"] } else { &["js", "jsx", "mjs", "cjs", "ts", "tsx"] };
    for e in exts {
        out.push(format!("{base}.{e}"));
    }
    for e in exts {
        out.push(format!("{base}/index.{e}"));
    }
    out
}

/// The npm package of a bare specifier (`@scope/name/sub` gives `@scope/name`).
pub fn package_of(spec: &str) -> Option<String> {
    let spec = spec.strip_prefix("node:").map(|_| "").unwrap_or(spec);
    if spec.is_empty() || spec.starts_with(['.', '/', '~', '#']) || spec.starts_with("@/") || spec.contains(':') {
        return None;
    }
    let mut parts = spec.split('/');
    let first = parts.next()?;
    let name = if first.starts_with('@') { format!("{first}/{}", parts.next()?) } else { first.to_string() };
    if NODE_BUILTINS.contains(&name.as_str()) || name.starts_with("@types/") {
        return None;
    }
    Some(name)
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    let mut specs: Vec<(TsNode, String, Vec<String>)> = Vec::new();
    root.each(|n, kind| {
        let source = match kind {
            "import_statement" | "export_statement" => n.child_by_field_name("source"),
            "call_expression" => {
                let f = n.child_by_field_name("function");
                let is_req = f.is_some_and(|f| matches!(ctx.text(f), "require" | "import"));
                if is_req {
                    n.child_by_field_name("arguments").and_then(|a| a.named_child(0)).filter(|s| s.kind() == "string")
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some(s) = source {
            let spec = ctx.text(s).trim_matches(['"', '\'', '`']).to_string();
            let mut locals = Vec::new();
            if n.kind() == "import_statement" {
                walk(n, |x| {
                    if x.kind() == "namespace_import" || x.kind() == "import_clause" {
                        if let Some(id) = x.named_child(0).filter(|i| i.kind() == "identifier") {
                            locals.push(ctx.text(id).to_string());
                        }
                    }
                });
            }
            specs.push((n, spec, locals));
        }
    });
    import_aliases(ctx, &specs);
    for (n, spec, locals) in specs {
        let span = ctx.span(n);
        if spec.starts_with('.') {
            let ids: Vec<NodeId> =
                candidates(ctx.lang, ctx.path, &spec).iter().map(|p| NodeId::file(ctx.repo, p)).collect();
            if ids.is_empty() {
                continue;
            }
            ctx.imported_files.extend(ids.iter().take(4).cloned());
            let prov = ctx.declared(span);
            ctx.add_ref(Reference::any_of(file.clone(), EdgeKind::Imports, ids, prov));
        } else if let Some(pkg) = package_of(&spec) {
            for l in locals {
                ctx.module_names.insert(l);
            }
            let prov = ctx.declared(span);
            ctx.add_ref(Reference::key(file.clone(), EdgeKind::Imports, ns::PACKAGE, format!("npm:{pkg}"), prov));
        }
    }
}

/// What an import statement or `require` binds, for the flow analysis: every local name
/// (`Product` of `import {Product} from './gen/demo'`, `pb` of `import * as pb`, `{A}` or
/// `x` of `const x = require(..)`) to `js:<module>`, a relative module resolved against
/// the file's folder (`js:src/gen/demo`), a package as written (`js:@acme/contracts`).
fn import_aliases(ctx: &mut Ctx, specs: &[(TsNode, String, Vec<String>)]) {
    for (n, spec, _) in specs {
        let module = if spec.starts_with('.') {
            match relative_module(ctx.path, spec) {
                Some(m) => m,
                None => continue,
            }
        } else {
            spec.clone()
        };
        let mut names: Vec<String> = Vec::new();
        if n.kind() == "import_statement" {
            walk(*n, |x| match x.kind() {
                "namespace_import" | "import_clause" => {
                    if let Some(id) = x.named_child(0).filter(|i| i.kind() == "identifier") {
                        names.push(ctx.text(id).to_string());
                    }
                }
                "import_specifier" => {
                    if let Some(id) = x.child_by_field_name("alias").or_else(|| x.child_by_field_name("name")) {
                        names.push(ctx.text(id).to_string());
                    }
                }
                _ => {}
            });
        } else if n.kind() == "call_expression" {
            // `const x = require(..)` / `const {A, B: C} = require(..)` / `const x = require(..).y`.
            let mut cur = n.parent();
            while let Some(p) = cur.filter(|p| matches!(p.kind(), "member_expression" | "await_expression")) {
                cur = p.parent();
            }
            if let Some(pat) =
                cur.filter(|p| p.kind() == "variable_declarator").and_then(|d| d.child_by_field_name("name"))
            {
                match pat.kind() {
                    "identifier" => names.push(ctx.text(pat).to_string()),
                    "object_pattern" => walk(pat, |x| {
                        if matches!(x.kind(), "shorthand_property_identifier_pattern") {
                            names.push(ctx.text(x).to_string());
                        } else if x.kind() == "pair_pattern" {
                            if let Some(v) = x.child_by_field_name("value").filter(|v| v.kind() == "identifier") {
                                names.push(ctx.text(v).to_string());
                            }
                        }
                    }),
                    _ => {}
                }
            }
        }
        for name in names {
            ctx.import_alias.insert(name, format!("js:{module}"));
        }
    }
}

/// The module a relative import of the file at `path` names, without its script extension
/// (`./gen/demo.js` from `src/app.ts` gives `src/gen/demo`).
pub(crate) fn relative_module(path: &str, spec: &str) -> Option<String> {
    join_path(dir_of(path), spec).map(|p| strip_js_ext(&p).to_string())
}

/// A module path without its script extension (`src/gen/demo.js` gives `src/gen/demo`).
fn strip_js_ext(p: &str) -> &str {
    for e in [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"] {
        if let Some(s) = p.strip_suffix(e) {
            return s;
        }
    }
    p
}

/// `describe("x", () => { it("y", ...) })` blocks become Test nodes named `x > y`.
pub fn test_blocks(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut blocks: Vec<(TsNode, String, bool)> = Vec::new();
    root.each(|n, kind| {
        if kind != "call_expression" {
            return;
        }
        let Some(f) = n.child_by_field_name("function") else { return };
        let fname = ctx.text(f);
        let base = fname.split('.').next().unwrap_or(fname);
        let is_suite = matches!(base, "describe" | "suite" | "context");
        let is_case = matches!(base, "it" | "test" | "specify");
        if !is_suite && !is_case {
            return;
        }
        let Some(args) = n.child_by_field_name("arguments") else { return };
        let Some(title) = args.named_child(0) else { return };
        let Some(t) = crate::strval::eval(ctx, title) else { return };
        blocks.push((n, t.render(), is_suite));
    });
    let mut used: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for (n, title, is_suite) in blocks {
        let parent = ctx.enclosing_def(n, false);
        let qualified = match parent.map(|p| ctx.defs[p].qualified.clone()) {
            Some(p) => format!("{p} > {title}"),
            None => title.clone(),
        };
        let count = used.entry(qualified.clone()).or_insert(0);
        *count += 1;
        let qualified = if *count > 1 { format!("{qualified}~{count}") } else { qualified };
        let span = ctx.span(n);
        let id = NodeId::test(ctx.repo, ctx.path, &qualified);
        let idx = ctx.defs.len();
        ctx.defs.push(Def {
            id: id.clone(),
            kind: if is_suite { "module" } else { "function" },
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
        let sig = crate::ctx::clip(ctx.text(n).lines().next().unwrap_or(""), 240);
        let node = ctx
            .new_node(id.clone(), NodeKind::Test, &title, span)
            .with_attr(attr::SYMBOL_KIND, if is_suite { "suite" } else { "test" })
            .with_attr(attr::QUALIFIED_NAME, &qualified)
            .with_attr(attr::SIGNATURE, sig)
            .with_attr(attr::TEST, "true");
        ctx.add_node(node);
        ctx.contains_from_file(&id, span);
    }
}

/// Interfaces and object type aliases.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut decls = Vec::new();
    root.each(|n, kind| {
        if matches!(kind, "interface_declaration" | "type_alias_declaration") {
            decls.push(n);
        }
    });
    for d in decls {
        let Some(name) = d.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let body = match d.kind() {
            "interface_declaration" => d.child_by_field_name("body"),
            _ => d.child_by_field_name("value").filter(|v| v.kind() == "object_type"),
        };
        let Some(body) = body else { continue };
        let mut fields = Vec::new();
        let mut c = body.walk();
        for m in body.named_children(&mut c) {
            if m.kind() != "property_signature" {
                continue;
            }
            let Some(pn) = m.child_by_field_name("name") else { continue };
            let fname = ctx.text(pn).trim_matches(['"', '\'']).to_string();
            let mut optional = false;
            let mut cc = m.walk();
            for ch in m.children(&mut cc) {
                if ch.kind() == "?" {
                    optional = true;
                }
            }
            let ty = m
                .child_by_field_name("type")
                .map(|t| ctx.text(t).trim_start_matches(':').trim().to_string())
                .unwrap_or_default();
            let nullable = ty.split('|').any(|p| matches!(p.trim(), "null" | "undefined"));
            let undefined = ty.split('|').any(|p| p.trim() == "undefined");
            fields.push(FieldSpec {
                wire: fname.clone(),
                ty,
                required: !optional && !undefined,
                nullable,
                span: ctx.span(m),
                name: fname,
            });
        }
        shape::emit(
            ctx,
            ShapeSpec { name, span: ctx.span(d), serializer: "typescript", convention: "as written".into(), fields },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers() {
        assert_eq!(package_of("@acme/auth/scopes").as_deref(), Some("@acme/auth"));
        assert_eq!(package_of("axios").as_deref(), Some("axios"));
        assert_eq!(package_of("node:fs"), None);
        assert_eq!(package_of("fs"), None);
        assert_eq!(package_of("@/components/x"), None);
        let c = candidates(Lang::TypeScript, "src/api/client.ts", "../util");
        assert_eq!(c[0], "src/util.ts");
        assert!(c.contains(&"src/util/index.ts".to_string()));
        let c = candidates(Lang::TypeScript, "src/a.ts", "./b.js");
        assert_eq!(c[0], "src/b.ts");
    }
}
