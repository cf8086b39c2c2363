//! Generated API SDKs for TypeScript and JavaScript (hey-api and openapi-typescript-codegen
//! `UsersService.createUser(..)`, orval-style exported functions `createUser(..)`): the URL is
//! in the generated file, the call in hand-written code that imports it.
//!
//! In a generated file, each method or function that makes an HTTP request provides
//! `<Class>.<method>=<http key>` and `<function>=<http key>` (namespace [`NS_SDK`]). A call of
//! an imported SDK class's method or SDK function is kept as a reference of that namespace;
//! the route-prefix pass turns it into the HTTP call it stands for, on the caller's line, or
//! drops it when no generated file declares it.

use crate::clients::{push, Seen};
use crate::ctx::Ctx;
use crate::extract::CallSite;
use crate::lang::Lang;
use brain_model::{attr, EdgeKind, Reference};
use tree_sitter::Node as TsNode;

/// Namespace of SDK methods: provides `<name>=<http key>`, references `<name>`.
pub const NS_SDK: &str = "sdk-op";

fn script(lang: Lang) -> bool {
    matches!(lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
}

/// In a generated file: records the HTTP request the method or function around `at` makes.
pub fn provide_method(ctx: &mut Ctx, at: TsNode, http_key: &str) {
    if !ctx.generated || !script(ctx.lang) {
        return;
    }
    let Some(i) = ctx.enclosing_def(at, false) else { return };
    let d = &ctx.defs[i];
    let mut names = vec![d.name.clone()];
    if let Some(class) = d.parent.map(|p| &ctx.defs[p]).filter(|p| p.is_container()) {
        names.push(format!("{}.{}", class.name, d.name));
    }
    let file = ctx.file_id.clone();
    for n in names {
        ctx.facts.provide(&file, NS_SDK, format!("{n}={http_key}"));
    }
}

/// Whether an import names a generated API client module (`@/client`, `./gen/api`, `../sdk`).
fn sdk_module(module: &str) -> bool {
    let m = module.to_ascii_lowercase();
    ["client", "api", "sdk", "gen", "service"].iter().any(|k| m.contains(k))
}

/// In hand-written code: a call of an imported SDK class's method (`UsersService.createUser(..)`)
/// or of an imported SDK function.
pub fn detect_call(ctx: &mut Ctx, c: &CallSite, seen: &mut Seen) {
    if ctx.generated || ctx.test_file || !script(ctx.lang) {
        return;
    }
    let callee = ctx.text(c.callee);
    if !callee.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') || callee.is_empty() {
        return;
    }
    let key = match c.receiver {
        Some(r) if r.kind() == "identifier" => {
            let class = ctx.text(r);
            let typed = ["Service", "Api", "Client", "Sdk"].iter().any(|s| class.ends_with(s));
            if !typed || !ctx.import_alias.contains_key(class) {
                return;
            }
            format!("{class}.{callee}")
        }
        None => match ctx.import_alias.get(callee) {
            Some(m) if sdk_module(m) => callee.to_string(),
            _ => return,
        },
        _ => return,
    };
    let from = ctx.owner_of(c.node);
    let span = ctx.span(c.node);
    let r = Reference::key(from, EdgeKind::Consumes, NS_SDK, key, ctx.inferred(span, 0.8))
        .with_attr(attr::PROTOCOL, "http");
    push(ctx, seen, r);
}
