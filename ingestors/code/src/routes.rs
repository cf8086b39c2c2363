//! HTTP routes served: decorator/annotation routes (actix, FastAPI, Flask,
//! Spring, ASP.NET), call routes (axum, express, fastify, gin, chi, echo,
//! net/http, ASP.NET minimal APIs, Ktor, Django `path`) and Next.js file routes.

use crate::ctx::{args_of, last_segment, Ctx};
use crate::extract::CallSite;
use crate::flow::tyref::{Bnd, BndKind};
use crate::lang::Lang;
use crate::langs::Nodes;
use crate::langs::{deco_args, deco_name, decorations, walk};
use crate::strval;
use brain_model::attr::{self, ns};
use brain_model::{wire, Edge, EdgeKind, NodeId, NodeKind};
use std::collections::HashMap;
use tree_sitter::Node as TsNode;

/// Attribute: the handler of a route as written.
pub const HANDLER: &str = "handler";

const METHODS: &[&str] = &["get", "post", "put", "delete", "patch", "head", "options"];

fn method_of(name: &str) -> Option<&'static str> {
    let l = name.to_ascii_lowercase();
    let l = l.strip_prefix("map").unwrap_or(&l);
    let l = l.strip_prefix("http").unwrap_or(l);
    let l = l.strip_suffix("mapping").unwrap_or(l);
    Some(match l {
        "get" => "GET",
        "post" => "POST",
        "put" => "PUT",
        "delete" | "del" => "DELETE",
        "patch" => "PATCH",
        "head" => "HEAD",
        "options" => "OPTIONS",
        "any" | "all" | "handle" | "handlefunc" | "request" => "ANY",
        _ => return None,
    })
}

/// Joins a prefix and a path with exactly one slash between them.
pub fn join_route(prefix: &str, path: &str) -> String {
    if prefix.is_empty() {
        return if path.is_empty() { "/".into() } else { path.to_string() };
    }
    if path.is_empty() || path == "/" {
        return prefix.to_string();
    }
    format!("{}/{}", prefix.trim_end_matches('/'), path.trim_start_matches('/'))
}

/// Emits an Operation for a served route.
pub fn emit_route(ctx: &mut Ctx, method: &str, path: &str, handler: Option<&str>, from: Option<NodeId>, at: TsNode) {
    let path = if path.is_empty() { "/" } else { path };
    let name = format!("{method} {path}");
    let op = NodeId::operation(ctx.repo, ctx.path, &name);
    if ctx.facts.nodes.iter().any(|n| n.id == op) {
        return;
    }
    let span = ctx.span(at);
    let mut node = ctx
        .new_node(op.clone(), NodeKind::Operation, &name, span)
        .with_attr(attr::HTTP_METHOD, method)
        .with_attr(attr::HTTP_PATH, path)
        .with_attr(attr::PROTOCOL, "http");
    if let Some(h) = handler {
        node = node.with_attr(HANDLER, h);
    }
    ctx.add_node(node);
    ctx.facts.provide(&op, ns::HTTP, wire::http_key(method, path));
    let from = from.unwrap_or_else(|| ctx.file_id.clone());
    let bnd = Bnd::new(BndKind::Http, wire::http_key(method, path));
    if from != ctx.file_id {
        ctx.sites.route_handlers.entry(from.clone()).or_default().push(bnd.clone());
    }
    ctx.sites.route_calls.entry(at.id()).or_default().push(bnd);
    let prov = ctx.declared(span);
    ctx.facts.edge(Edge::new(from, EdgeKind::Exposes, op, prov));
}

/// The methods of a gorilla/mux route: `r.HandleFunc(p, h).Methods("GET", http.MethodHead)`
/// (HEAD is left out when GET is there: it is GET without a body).
fn gorilla_methods(ctx: &Ctx, call: TsNode) -> Vec<String> {
    let Some(sel) = call.parent().filter(|p| p.kind() == "selector_expression") else { return Vec::new() };
    if sel.child_by_field_name("field").map(|f| ctx.text(f)) != Some("Methods") {
        return Vec::new();
    }
    let Some(args) =
        sel.parent().filter(|p| p.kind() == "call_expression").and_then(|c| c.child_by_field_name("arguments"))
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut c = args.walk();
    for a in args.named_children(&mut c) {
        let t = ctx.text(a).trim_matches('"');
        let m = t.rsplit('.').next().unwrap_or(t).trim_start_matches("Method").to_ascii_uppercase();
        if METHODS.iter().any(|x| x.eq_ignore_ascii_case(&m)) && !out.contains(&m) {
            out.push(m);
        }
    }
    if out.iter().any(|m| m == "GET") {
        out.retain(|m| m != "HEAD");
    }
    out
}

/// Finds every route in the file.
pub fn routes(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite]) {
    // Mock servers in tests serve nothing in production; linking them to clients would be noise.
    if ctx.test_file {
        return;
    }
    decorated_routes(ctx, root);
    call_routes(ctx, calls);
    crate::langs::routes(ctx, root, calls);
    if matches!(ctx.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript) {
        next_routes(ctx, root);
    }
}

fn first_string(ctx: &Ctx, args: TsNode) -> Option<String> {
    let a = args_of(ctx.src, args);
    let named = a.named.iter().find(|(k, _)| matches!(k.as_str(), "value" | "path" | "template")).map(|(_, v)| *v);
    let n = named.or_else(|| a.positional.first().copied())?;
    // Spring `value = {"/a", "/b"}`: the first element.
    let n = if matches!(n.kind(), "element_value_array_initializer" | "array_initializer" | "collection_literal") {
        n.named_child(0)?
    } else {
        n
    };
    strval::eval(ctx, n).map(|v| v.render())
}

/// Whether the file can hold a decoration at all ([`crate::langs::decorations`]):
/// none in Go, and none without their sigil elsewhere. Saves a hash lookup per
/// tree node on files without any (1.9% of a moby ingest).
fn may_have_decorations(ctx: &Ctx) -> bool {
    match ctx.lang {
        Lang::Go => false,
        Lang::Rust => ctx.src.contains("#["),
        Lang::CSharp => ctx.src.contains('['),
        // PHP attributes (`#[Route]`) are read in `langs::php_wire`.
        Lang::Php | Lang::Ruby | Lang::Cpp => false,
        Lang::Python | Lang::Java | Lang::Kotlin | Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
            ctx.src.contains('@')
        }
    }
}

/// Routes declared by decorators and annotations on functions and methods.
fn decorated_routes(ctx: &mut Ctx, root: &Nodes<'_>) {
    if !may_have_decorations(ctx) {
        return;
    }
    let defs: Vec<(usize, TsNode)> = {
        let mut v = Vec::new();
        root.each(|n, _| {
            if let Some(i) = ctx.def_at.get(&(n.start_byte(), n.end_byte())) {
                v.push((*i, n));
            }
        });
        v
    };
    // Class-level prefixes (Spring @RequestMapping, ASP.NET [Route]).
    let mut class_prefix: HashMap<usize, String> = HashMap::new();
    let mut feign: HashMap<usize, bool> = HashMap::new();
    for (i, n) in &defs {
        if !ctx.defs[*i].is_container() {
            continue;
        }
        for d in decorations(ctx, *n) {
            let name = deco_name(ctx, d);
            if matches!(name.as_str(), "RequestMapping" | "Route" | "RoutePrefix" | "Path") {
                if let Some(p) = deco_args(d).and_then(|a| first_string(ctx, a)) {
                    let cls = ctx.defs[*i].name.clone();
                    let ctrl = cls.strip_suffix("Controller").unwrap_or(&cls).to_lowercase();
                    class_prefix.insert(*i, p.replace("[controller]", &ctrl));
                }
            }
            if name == "FeignClient" {
                feign.insert(*i, true);
            }
            // NestJS / routing-controllers: `@Controller('checkout')` prefixes its methods' routes.
            if matches!(ctx.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
                && matches!(name.as_str(), "Controller" | "JsonController")
            {
                let p = deco_args(d).and_then(|a| first_string(ctx, a)).unwrap_or_default();
                class_prefix.insert(*i, p);
            }
        }
    }
    for (i, n) in defs {
        let d = ctx.defs[i].clone();
        if d.is_container() {
            continue;
        }
        let parent = d.parent;
        let prefix = parent.and_then(|p| class_prefix.get(&p)).cloned().unwrap_or_default();
        let in_feign = parent.is_some_and(|p| feign.contains_key(&p));
        for deco in decorations(ctx, n) {
            let name = deco_name(ctx, deco);
            let path_head = crate::langs::deco_path(ctx, deco);
            let args = deco_args(deco);
            let (method, path): (String, Option<String>) = match ctx.lang {
                Lang::Python => {
                    // @app.get("/x"), @router.post(...), @app.route("/x", methods=[...]), @bp.route
                    if !path_head.contains('.') {
                        continue;
                    }
                    let m = match method_of(&name) {
                        Some(m) if m != "ANY" => m.to_string(),
                        _ if name == "route" || name == "api_route" => {
                            let t = ctx.text(deco);
                            let methods: Vec<&str> = METHODS
                                .iter()
                                .copied()
                                .filter(|m| {
                                    t.to_uppercase().contains(&format!("\"{}\"", m.to_uppercase()))
                                        || t.to_uppercase().contains(&format!("'{}'", m.to_uppercase()))
                                })
                                .collect();
                            if methods.len() > 1 {
                                let p = args.and_then(|a| first_string(ctx, a)).unwrap_or_default();
                                let recv = path_head.rsplit_once('.').map(|(r, _)| r.to_string()).unwrap_or_default();
                                let full = join_route(&var_prefix(ctx, &recv), &p);
                                for m in methods {
                                    emit_route(
                                        ctx,
                                        &m.to_uppercase(),
                                        &full,
                                        Some(&d.qualified),
                                        Some(d.id.clone()),
                                        deco,
                                    );
                                }
                                continue;
                            }
                            methods.first().map(|m| m.to_uppercase()).unwrap_or_else(|| "GET".into())
                        }
                        _ => continue,
                    };
                    let p = args.and_then(|a| first_string(ctx, a));
                    let recv = path_head.rsplit_once('.').map(|(r, _)| r.to_string()).unwrap_or_default();
                    (m, p.map(|p| join_route(&var_prefix(ctx, &recv), &p)))
                }
                Lang::Rust => {
                    // actix-web: #[get("/x")], #[route("/x", method = "GET")]
                    let m = match method_of(&name) {
                        Some(m) if m != "ANY" => m.to_string(),
                        _ => continue,
                    };
                    (m, args.and_then(|a| first_string_tt(ctx, a)))
                }
                Lang::Java | Lang::Kotlin => {
                    let m = match name.as_str() {
                        "GetMapping" | "PostMapping" | "PutMapping" | "DeleteMapping" | "PatchMapping" => {
                            method_of(&name).unwrap_or("GET").to_string()
                        }
                        "RequestMapping" => {
                            let t = ctx.text(deco);
                            METHODS
                                .iter()
                                .find(|m| t.contains(&format!("RequestMethod.{}", m.to_uppercase())))
                                .map(|m| m.to_uppercase())
                                .unwrap_or_else(|| "ANY".into())
                        }
                        "GET" | "POST" | "PUT" | "DELETE" | "PATCH" => name.clone(), // JAX-RS
                        _ => continue,
                    };
                    let p = args.and_then(|a| first_string(ctx, a)).unwrap_or_default();
                    (m, Some(join_route(&prefix, &p)))
                }
                Lang::CSharp => {
                    let m = match name.as_str() {
                        "HttpGet" | "HttpPost" | "HttpPut" | "HttpDelete" | "HttpPatch" | "HttpHead"
                        | "HttpOptions" => method_of(&name).unwrap_or("GET").to_string(),
                        _ => continue,
                    };
                    let p = args.and_then(|a| first_string(ctx, a)).unwrap_or_default();
                    let p = p.replace("[action]", &d.name);
                    let full = if p.starts_with('/') || p.starts_with("~/") {
                        p.trim_start_matches('~').to_string()
                    } else {
                        join_route(&prefix, &p)
                    };
                    (m, Some(full))
                }
                Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
                    // `@Get(':id')` in a `@Controller` class.
                    let in_controller = parent.is_some_and(|p| class_prefix.contains_key(&p));
                    let m = match name.as_str() {
                        "Get" | "Post" | "Put" | "Delete" | "Patch" | "Head" | "Options" | "All" if in_controller => {
                            method_of(&name).unwrap_or("ANY").to_string()
                        }
                        _ => continue,
                    };
                    let p = args.and_then(|a| first_string(ctx, a)).unwrap_or_default();
                    (m, Some(join_route(&prefix, &p)))
                }
                _ => continue,
            };
            let Some(path) = path else { continue };
            if in_feign {
                // A Feign interface declares calls it makes, not routes it serves.
                let key = wire::http_key(&method, &path);
                let span = ctx.span(deco);
                let r = brain_model::Reference::key(
                    d.id.clone(),
                    EdgeKind::Consumes,
                    ns::HTTP,
                    key,
                    ctx.inferred(span, 0.8),
                )
                .with_attr(attr::HTTP_METHOD, &method)
                .with_attr(attr::HTTP_PATH, &path)
                .with_attr(attr::PROTOCOL, "http");
                ctx.add_ref(r);
                continue;
            }
            let path = if path.starts_with('/') || ctx.lang == Lang::CSharp { path } else { format!("/{path}") };
            emit_route(ctx, &method, &path, Some(&d.qualified), Some(d.id.clone()), deco);
        }
    }
}

/// The first string literal of a Rust attribute token tree.
fn first_string_tt(ctx: &Ctx, tt: TsNode) -> Option<String> {
    let mut out = None;
    walk(tt, |n| {
        if out.is_none() && n.kind() == "string_literal" {
            out = strval::eval(ctx, n).and_then(|v| v.exact());
        }
    });
    out
}

/// The route prefix bound to a variable in this file (`r.Group("/v1")`, `APIRouter(prefix=...)`, `MapGroup`).
fn var_prefix(ctx: &Ctx, var: &str) -> String {
    let var = last_segment(var);
    prefix_of_binding(ctx, var, 0)
}

fn prefix_of_binding(ctx: &Ctx, var: &str, depth: u32) -> String {
    if depth > 4 || var.is_empty() {
        return String::new();
    }
    // Any binding of `var` in the file whose value is a grouping call.
    let mut found = String::new();
    for ((_, name), (s, e)) in &ctx.bindings {
        if name != var {
            continue;
        }
        let text = ctx.src.get(*s..*e).unwrap_or("");
        let group = ["Group(", "MapGroup(", "APIRouter(", "Blueprint(", "Router(", "group(", "Route("];
        if !group.iter().any(|g| text.contains(g)) {
            continue;
        }
        let lit = |key: &str| crate::langs::python::kwarg_str(text, key);
        let p = lit("prefix").or_else(|| lit("url_prefix")).or_else(|| {
            // First string literal argument of the grouping call.
            let i = group.iter().filter_map(|g| text.find(g).map(|i| i + g.len())).min()?;
            let rest = text[i..].trim_start();
            let q = rest.chars().next()?;
            if q == '"' || q == '\'' || q == '`' {
                rest[1..].split(q).next().map(str::to_string)
            } else {
                None
            }
        });
        let Some(p) = p else { continue };
        // The receiver of the grouping call may itself be a group.
        let recv = text.split(['.', '(']).next().unwrap_or("").trim();
        let outer =
            if recv != var && !recv.is_empty() { prefix_of_binding(ctx, recv, depth + 1) } else { String::new() };
        found = join_route(&outer, &p);
        break;
    }
    found
}

/// Variables that hold a server/router in JS (`const app = express()`).
fn is_server_receiver(ctx: &Ctx, recv: &str) -> bool {
    let r = last_segment(recv);
    if matches!(r, "app" | "router" | "server" | "fastify" | "routes" | "srv") {
        return true;
    }
    ctx.bindings.iter().any(|((_, name), (s, e))| {
        name == r && {
            let t = ctx.src.get(*s..*e).unwrap_or("");
            [
                "express(",
                "Router(",
                "fastify(",
                "Fastify(",
                "Hono(",
                "Koa(",
                "gin.",
                "chi.",
                "echo.",
                "mux.",
                "http.NewServeMux",
                "Group(",
                "MapGroup(",
                "APIRouter(",
                "Blueprint(",
                "WebApplication",
                ".Build()",
            ]
            .iter()
            .any(|p| t.contains(p))
        }
    })
}

/// Ancestor route prefixes: chi `r.Route("/x", func(r chi.Router) {...})`, Ktor `route("/x") { ... }`.
fn nested_prefix(ctx: &Ctx, call: TsNode) -> String {
    let mut prefixes = Vec::new();
    let mut cur = call.parent();
    while let Some(c) = cur {
        if matches!(c.kind(), "call_expression" | "invocation_expression") && c.id() != call.id() {
            let f = c.child_by_field_name("function").or_else(|| c.named_child(0));
            let fname = f.map(|f| last_segment(ctx.text(f))).unwrap_or("");
            let fname = fname.split('(').next().unwrap_or(fname);
            if matches!(fname, "Route" | "route") {
                // Kotlin: `route("/x") { }` is call_expression(call_expression(route, args), lambda).
                let args = c
                    .child_by_field_name("arguments")
                    .or_else(|| f.and_then(|f| f.named_children(&mut f.walk()).find(|x| x.kind() == "value_arguments")))
                    .or_else(|| c.named_children(&mut c.walk()).find(|x| x.kind() == "value_arguments"));
                if let Some(p) = args.and_then(|a| first_string(ctx, a)) {
                    prefixes.push(p);
                }
            }
        }
        cur = c.parent();
    }
    prefixes.reverse();
    prefixes.iter().fold(String::new(), |acc, p| join_route(&acc, p))
}

fn handler_of(ctx: &Ctx, n: TsNode) -> Option<String> {
    match n.kind() {
        "identifier"
        | "member_expression"
        | "selector_expression"
        | "field_expression"
        | "scoped_identifier"
        | "attribute"
        | "member_access_expression"
        | "navigation_expression"
        | "callable_reference" => Some(ctx.text(n).to_string()),
        _ => None,
    }
}

fn route_from(ctx: &Ctx, handler: Option<&str>, call: TsNode) -> Option<NodeId> {
    if let Some(h) = handler {
        if let Some(d) = ctx.def_named(last_segment(h)) {
            return Some(d.id.clone());
        }
    }
    let owner = ctx.owner_of(call);
    Some(owner)
}

/// Routes registered by calls.
fn call_routes(ctx: &mut Ctx, calls: &[CallSite]) {
    for c in calls {
        let callee = ctx.text(c.callee);
        let recv = c.receiver.map(|r| ctx.text(r)).unwrap_or("");
        let Some(args_node) = c.args else { continue };
        let candidate = method_of(callee).is_some()
            || matches!(callee, "route" | "path" | "add_api_route" | "add_url_rule")
            || callee.starts_with("Map");
        if !candidate {
            continue;
        }
        let args = args_of(ctx.src, args_node);
        match ctx.lang {
            Lang::Rust => {
                // axum `.route("/p", get(h).post(h2))`, actix `.route("/p", web::get().to(h))`.
                if callee != "route" || args.positional.len() < 2 {
                    continue;
                }
                let Some(path) = strval::eval(ctx, args.positional[0]).and_then(|v| v.exact()) else { continue };
                let prefix = String::new();
                let spec = args.positional[1];
                let mut found: Vec<(&'static str, Option<String>)> = Vec::new();
                walk(spec, |n| {
                    if n.kind() != "call_expression" {
                        return;
                    }
                    let Some(f) = n.child_by_field_name("function") else { return };
                    let fname = last_segment(ctx.text(f));
                    let fname = match f.kind() {
                        "field_expression" => f.child_by_field_name("field").map(|x| ctx.text(x)).unwrap_or(fname),
                        _ => fname,
                    };
                    if let Some(m) = method_of(fname).filter(|m| *m != "ANY" || fname == "any") {
                        let h = n
                            .child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                            .and_then(|a| handler_of(ctx, a));
                        found.push((m, h));
                    } else if fname == "to" {
                        let h = n
                            .child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                            .and_then(|a| handler_of(ctx, a));
                        if let Some(last) = found.last_mut() {
                            if last.1.is_none() {
                                last.1 = h;
                            }
                        }
                    }
                });
                for (m, h) in found {
                    let full = join_route(&prefix, &path);
                    let from = route_from(ctx, h.as_deref(), c.node);
                    emit_route(ctx, m, &full, h.as_deref(), from, c.node);
                }
            }
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
                let Some(m) = method_of(callee) else { continue };
                if callee.starts_with("map") || callee.starts_with("Map") || c.receiver.is_none() {
                    continue;
                }
                let server = is_server_receiver(ctx, recv) || recv.ends_with(".route()") || recv.contains(".route(");
                if !server || args.positional.len() < 2 && !recv.contains(".route(") {
                    continue;
                }
                let (path, handler) = if recv.contains(".route(") {
                    // app.route("/x").get(h)
                    let p =
                        c.receiver.and_then(|r| r.child_by_field_name("arguments")).and_then(|a| first_string(ctx, a));
                    (p, args.positional.first().and_then(|h| handler_of(ctx, *h)))
                } else {
                    let p = strval::eval(ctx, args.positional[0]).and_then(|v| v.exact());
                    (p, args.positional.last().and_then(|h| handler_of(ctx, *h)))
                };
                let Some(path) = path.filter(|p| p.starts_with('/') || p == "*") else { continue };
                let base = recv.split('.').next().unwrap_or(recv);
                let full = join_route(&mount_prefix(ctx, base), &path);
                let from = route_from(ctx, handler.as_deref(), c.node);
                emit_route(ctx, m, &full, handler.as_deref(), from, c.node);
            }
            Lang::Python => {
                // Django `path("orders/<int:id>/", views.detail)`.
                if callee == "path"
                    && c.receiver.is_none()
                    && ctx.path.ends_with("urls.py")
                    && args.positional.len() >= 2
                {
                    let Some(p) = strval::eval(ctx, args.positional[0]).and_then(|v| v.exact()) else { continue };
                    let handler = handler_of(ctx, args.positional[1]);
                    let full = format!("/{}", p.trim_start_matches('/'));
                    let from = route_from(ctx, handler.as_deref(), c.node);
                    emit_route(ctx, "ANY", &full, handler.as_deref(), from, c.node);
                } else if callee == "add_api_route" || callee == "add_url_rule" {
                    let Some(p) = args.positional.first().and_then(|a| strval::eval(ctx, *a)).and_then(|v| v.exact())
                    else {
                        continue;
                    };
                    let t = ctx.text(args_node).to_uppercase();
                    let m = METHODS
                        .iter()
                        .find(|m| t.contains(&format!("\"{}\"", m.to_uppercase())))
                        .map(|m| m.to_uppercase())
                        .unwrap_or_else(|| "GET".into());
                    let handler = args.positional.get(1).and_then(|h| handler_of(ctx, *h));
                    let full = join_route(&var_prefix(ctx, recv), &p);
                    let from = route_from(ctx, handler.as_deref(), c.node);
                    emit_route(ctx, &m, &full, handler.as_deref(), from, c.node);
                }
            }
            Lang::Go => {
                // net/http HandleFunc("GET /x/{id}", h); gin GET; echo GET; chi Get; gorilla HandleFunc(...).Methods("GET").
                let Some(m) = method_of(callee) else { continue };
                if c.receiver.is_none() || args.positional.len() < 2 {
                    continue;
                }
                let is_upper = callee.chars().all(|ch| ch.is_uppercase());
                let chi_style = callee.len() > 1 && callee[1..].chars().all(|ch| ch.is_lowercase());
                if !(is_upper || chi_style || matches!(callee, "HandleFunc" | "Handle" | "Any" | "Match")) {
                    continue;
                }
                // A registration ends with a handler; `client.Get("/x", &out)` is a client call.
                let handler_like = args.positional.last().is_some_and(|h| {
                    matches!(h.kind(), "identifier" | "selector_expression" | "func_literal" | "call_expression")
                });
                if !handler_like || recv.to_ascii_lowercase().contains("client") {
                    continue;
                }
                let Some(raw) = strval::eval(ctx, args.positional[0]).and_then(|v| v.exact()) else { continue };
                let (method, path) = match raw.split_once(' ') {
                    Some((mm, p)) if mm.chars().all(|ch| ch.is_ascii_uppercase()) => {
                        (mm.to_string(), p.trim().to_string())
                    }
                    _ => (m.to_string(), raw.clone()),
                };
                if !path.starts_with('/') {
                    continue;
                }
                let mut methods = vec![method.clone()];
                if method == "ANY" {
                    // gorilla/mux `.Methods("GET")` / `.Methods(http.MethodGet, http.MethodHead)` on the returned route.
                    let ms = gorilla_methods(ctx, c.node);
                    if !ms.is_empty() {
                        methods = ms;
                    }
                }
                let handler = args.positional.last().and_then(|h| handler_of(ctx, *h));
                let base = recv.split('.').next().unwrap_or(recv);
                let prefix = join_route(&var_prefix(ctx, base), &nested_prefix(ctx, c.node));
                let full = join_route(&prefix, &path);
                let from = route_from(ctx, handler.as_deref(), c.node);
                for method in methods {
                    emit_route(ctx, &method, &full, handler.as_deref(), from.clone(), c.node);
                }
            }
            Lang::CSharp => {
                // Minimal APIs: app.MapGet("/x", handler), group prefixes from MapGroup.
                if !callee.starts_with("Map") {
                    continue;
                }
                let Some(m) = method_of(callee) else { continue };
                if m == "ANY" || args.positional.is_empty() {
                    continue;
                }
                let Some(p) = strval::eval(ctx, args.positional[0]).and_then(|v| v.exact()) else { continue };
                let handler = args.positional.get(1).and_then(|h| handler_of(ctx, *h));
                let base = recv.split('.').next().unwrap_or(recv);
                let full = join_route(&var_prefix(ctx, base), &p);
                let full = if full.starts_with('/') { full } else { format!("/{full}") };
                let from = route_from(ctx, handler.as_deref(), c.node);
                emit_route(ctx, m, &full, handler.as_deref(), from, c.node);
            }
            Lang::Kotlin => {
                // Ktor: get("/x") { } / post { } inside routing { } or route("/p") { }.
                if c.receiver.is_some() {
                    continue;
                }
                let Some(m) = method_of(callee).filter(|m| *m != "ANY") else { continue };
                let lambda = args.lambda.is_some()
                    || args_node.kind() == "annotated_lambda"
                    || c.node.next_named_sibling().is_some_and(|s| s.kind() == "annotated_lambda");
                if !lambda || !in_ktor_routing(ctx, c.node) {
                    continue;
                }
                let p = if args_node.kind() == "value_arguments" { first_string(ctx, args_node) } else { None };
                let full = join_route(&nested_prefix(ctx, c.node), &p.unwrap_or_default());
                let full = if full.starts_with('/') { full } else { format!("/{full}") };
                let from = Some(ctx.owner_of(c.node));
                emit_route(ctx, m, &full, None, from, c.node);
            }
            Lang::Java | Lang::Php | Lang::Ruby | Lang::Cpp => {}
        }
    }
}

fn in_ktor_routing(ctx: &Ctx, n: TsNode) -> bool {
    let mut cur = n.parent();
    while let Some(c) = cur {
        match c.kind() {
            "call_expression" => {
                let head = c.named_child(0).map(|h| ctx.text(h)).unwrap_or("");
                let head = head.split(['(', ' ', '{']).next().unwrap_or(head);
                if matches!(last_segment(head), "routing" | "route" | "authenticate" | "Routing") {
                    return true;
                }
            }
            "function_declaration" => {
                let sig = ctx.text(c).split('{').next().unwrap_or("");
                if sig.contains("Route.") || sig.contains("Routing.") {
                    return true;
                }
            }
            _ => {}
        }
        cur = c.parent();
    }
    false
}

/// Express `app.use("/api", router)` mounts in the same file.
fn mount_prefix(ctx: &Ctx, var: &str) -> String {
    let needle = format!(", {var})");
    for line in ctx.src.lines() {
        let l = line.trim();
        if l.contains(".use(") && l.contains(&needle) {
            if let Some(i) = l.find(".use(") {
                let rest = &l[i + 5..];
                let q = rest.chars().next().unwrap_or(' ');
                if q == '"' || q == '\'' || q == '`' {
                    if let Some(p) = rest[1..].split(q).next() {
                        return p.to_string();
                    }
                }
            }
        }
    }
    String::new()
}

/// Next.js: `app/**/route.ts` exports `GET`/`POST`...; `pages/api/**` default handlers.
fn next_routes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let path = ctx.path.to_string();
    let segs: Vec<&str> = path.split('/').collect();
    let file = segs.last().copied().unwrap_or("");
    let stem = file.split('.').next().unwrap_or(file);
    if stem == "route" {
        let Some(app_at) = segs.iter().rposition(|s| *s == "app") else { return };
        let dirs: Vec<&str> = segs[app_at + 1..segs.len() - 1]
            .iter()
            .copied()
            .filter(|s| !(s.starts_with('@') || s.starts_with('(') && s.ends_with(')')))
            .collect();
        let route = format!("/{}", dirs.join("/"));
        let mut exported = Vec::new();
        root.each(|n, kind| {
            if kind == "export_statement" {
                walk(n, |x| {
                    if matches!(x.kind(), "function_declaration" | "variable_declarator") {
                        if let Some(nm) = x.child_by_field_name("name") {
                            exported.push((ctx.text(nm).to_string(), x));
                        }
                    }
                });
            }
        });
        for (name, n) in exported {
            if let Some(m) = method_of(&name).filter(|_| name.chars().all(|c| c.is_ascii_uppercase())) {
                let from = ctx.def_named(&name).map(|d| d.id.clone());
                emit_route(ctx, m, &route, Some(&name), from, n);
            }
        }
    } else if let Some(api_at) = segs.iter().position(|s| *s == "pages").filter(|i| segs.get(i + 1) == Some(&"api")) {
        let mut parts: Vec<&str> = segs[api_at + 1..segs.len() - 1].to_vec();
        if stem != "index" {
            parts.push(stem);
        }
        let route = format!("/{}", parts.join("/"));
        let text = ctx.src;
        let mut methods: Vec<&str> = Vec::new();
        if text.contains(".method") {
            for m in METHODS {
                let up = m.to_uppercase();
                if text.contains(&format!("'{up}'")) || text.contains(&format!("\"{up}\"")) {
                    methods.push(m);
                }
            }
        }
        if methods.is_empty() {
            emit_route(ctx, "ANY", &route, None, None, root.root);
        }
        for m in methods {
            emit_route(ctx, &m.to_uppercase(), &route, None, None, root.root);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins() {
        assert_eq!(join_route("/api", "/orders"), "/api/orders");
        assert_eq!(join_route("/api/", "orders"), "/api/orders");
        assert_eq!(join_route("", "/x"), "/x");
        assert_eq!(join_route("/api", ""), "/api");
        assert_eq!(method_of("MapGet"), Some("GET"));
        assert_eq!(method_of("HttpDelete"), Some("DELETE"));
        assert_eq!(method_of("PostMapping"), Some("POST"));
    }
}
