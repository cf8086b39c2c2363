//! Request-builder clients (Microsoft Kiota, and hand-written fluent clients
//! shaped like it): the URL is the chain of builder calls, one path segment
//! per step, ending in the HTTP method.
//!
//! ```text
//! catalogClient.catalog().products().byId(id).get()          // Java
//! client.catalog.products.byId(id).get()                     // TypeScript
//! client.Catalog.Products[id].GetAsync()                     // C#
//! client.Catalog().Products().ByIdString(id).Get(ctx, nil)   // Go
//! client.catalog.products.by_id(id).get()                    // Python
//! ```
//!
//! all call `GET /catalog/products/{id}`. The chain must start at a variable or
//! field named like a client (`catalogClient`, `client`) and consist of plain
//! segments and `byX(..)` / indexer parameters only; anything else (an
//! argument to a segment, a method of another library) is not a builder chain.
//! The call becomes an ordinary HTTP reference, so it links only where a
//! served route has that path.

use crate::clients::{emit_http_at, Seen};
use crate::ctx::Ctx;
use crate::extract::CallSite;
use crate::lang::Lang;
use crate::strval::{Part, StrVal};
use tree_sitter::Node as TsNode;

/// One step of a builder chain.
enum Seg {
    Name(String),
    Param,
}

/// Client libraries whose fluent calls are not request builders of the service's own API.
const NOT_BUILDER_ROOTS: &[&str] = &[
    "httpclient",
    "webclient",
    "restclient",
    "resttemplate",
    "grpcclient",
    "redisclient",
    "mongoclient",
    "dockerclient",
    "kubeclient",
    "k8sclient",
    "esclient",
    "elasticclient",
    "s3client",
];

/// The method a builder chain ends in, for this language's spelling.
fn terminal_method(lang: Lang, name: &str) -> Option<&'static str> {
    let n = match lang {
        Lang::CSharp => name.strip_suffix("Async")?,
        _ => name,
    };
    match n.to_ascii_lowercase().as_str() {
        "get" => Some("GET"),
        "post" => Some("POST"),
        "put" => Some("PUT"),
        "patch" => Some("PATCH"),
        "delete" => Some("DELETE"),
        _ => None,
    }
}

/// Finds a builder-chain call at `c` and emits it as an HTTP call.
pub fn detect(ctx: &mut Ctx, c: &CallSite, seen: &mut Seen) {
    if !matches!(
        ctx.lang,
        Lang::Java | Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Python | Lang::Go | Lang::CSharp
    ) {
        return;
    }
    let Some(method) = terminal_method(ctx.lang, ctx.text(c.callee)) else { return };
    if c.args.is_some_and(|a| a.named_child_count() > 3) {
        return;
    }
    let Some(recv) = c.receiver else { return };
    let Some(segs) = chain(ctx, recv) else { return };
    if !segs.iter().any(|s| matches!(s, Seg::Name(_))) {
        return;
    }
    let mut parts = Vec::new();
    for s in &segs {
        parts.push(Part::Lit("/".into()));
        match s {
            Seg::Name(n) => parts.push(Part::Lit(n.clone())),
            Seg::Param => parts.push(Part::Hole("param".into())),
        }
    }
    emit_http_at(ctx, seen, c, c.callee, method, &StrVal { parts }, false);
}

/// The fields of a call-like node: (object, method name node, argument list).
fn call_parts<'t>(lang: Lang, n: TsNode<'t>) -> Option<(TsNode<'t>, TsNode<'t>, Option<TsNode<'t>>)> {
    match (lang, n.kind()) {
        (Lang::Java, "method_invocation") => {
            Some((n.child_by_field_name("object")?, n.child_by_field_name("name")?, n.child_by_field_name("arguments")))
        }
        (_, "call_expression" | "call" | "invocation_expression") => {
            let f = n.child_by_field_name("function")?;
            let (obj, name) = member_parts(lang, f)?;
            Some((obj, name, n.child_by_field_name("arguments")))
        }
        _ => None,
    }
}

/// The fields of a member access: (object, member name node).
fn member_parts<'t>(lang: Lang, n: TsNode<'t>) -> Option<(TsNode<'t>, TsNode<'t>)> {
    match (lang, n.kind()) {
        (Lang::Java, "field_access") => Some((n.child_by_field_name("object")?, n.child_by_field_name("field")?)),
        (_, "member_expression") => Some((n.child_by_field_name("object")?, n.child_by_field_name("property")?)),
        (Lang::Python, "attribute") => Some((n.child_by_field_name("object")?, n.child_by_field_name("attribute")?)),
        (Lang::Go, "selector_expression") => Some((n.child_by_field_name("operand")?, n.child_by_field_name("field")?)),
        (Lang::CSharp, "member_access_expression") => {
            Some((n.child_by_field_name("expression")?, n.child_by_field_name("name")?))
        }
        _ => None,
    }
}

/// Whether a name stands for an API client a builder chain starts at.
fn client_like(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.ends_with("client") && !NOT_BUILDER_ROOTS.iter().any(|b| l.ends_with(b))
}

/// A path segment as the builder spells it: Kiota names steps after the segment, in the
/// language's case (`Products` in C# and Go is `/products`).
fn segment(lang: Lang, name: &str) -> Option<String> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let first = name.chars().next()?;
    match lang {
        Lang::CSharp | Lang::Go if first.is_ascii_uppercase() => {
            Some(first.to_ascii_lowercase().to_string() + &name[first.len_utf8()..])
        }
        Lang::CSharp | Lang::Go => None,
        _ if first.is_ascii_lowercase() => Some(name.to_string()),
        _ => None,
    }
}

/// Whether a step names a path parameter (`byId`, `ByIdString`, `by_product_id`).
fn is_param_step(name: &str) -> bool {
    let rest = name.strip_prefix("by").or_else(|| name.strip_prefix("By"));
    rest.is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase() || c == '_') && r.len() > 1)
}

fn is_self(ctx: &Ctx, n: TsNode) -> bool {
    matches!(n.kind(), "this" | "this_expression") || (n.kind() == "identifier" && ctx.text(n) == "self")
}

/// The builder steps from the client to `n` (outermost last), or `None` when `n` is not a
/// builder chain rooted at a client.
fn chain(ctx: &Ctx, mut n: TsNode) -> Option<Vec<Seg>> {
    let lang = ctx.lang;
    let mut steps: Vec<Seg> = Vec::new();
    for _ in 0..24 {
        if let Some((obj, name, args)) = call_parts(lang, n) {
            let name = ctx.text(name);
            let nargs = args.map(|a| a.named_child_count()).unwrap_or(0);
            if nargs == 0 {
                steps.push(Seg::Name(segment(lang, name)?));
            } else if nargs == 1 && is_param_step(name) {
                steps.push(Seg::Param);
            } else {
                return None;
            }
            n = obj;
            continue;
        }
        if lang == Lang::CSharp && n.kind() == "element_access_expression" {
            steps.push(Seg::Param);
            n = n.child_by_field_name("expression")?;
            continue;
        }
        if let Some((obj, name)) = member_parts(lang, n) {
            let name = ctx.text(name);
            // `this.catalogClient`, `self.client`, a Go receiver's `s.client`.
            if client_like(name) && (is_self(ctx, obj) || obj.kind() == "identifier") {
                break;
            }
            if is_self(ctx, obj) {
                return None;
            }
            steps.push(Seg::Name(segment(lang, name)?));
            n = obj;
            continue;
        }
        if n.kind() == "identifier" && client_like(ctx.text(n)) {
            break;
        }
        return None;
    }
    steps.reverse();
    Some(steps)
}
