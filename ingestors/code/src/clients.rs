//! What code consumes and produces on the wire: HTTP client calls, gRPC
//! stubs and servers, and message-bus publish/subscribe.

use crate::ctx::{args_of, last_segment, object_pairs, Args, Ctx};
use crate::extract::CallSite;
use crate::flow::tyref::{Bnd, BndKind};
use crate::flow::{PayloadArg, PubSite};
use crate::lang::Lang;
use crate::langs::Nodes;
use crate::langs::{deco_args, deco_name, decorations, walk};
use crate::strval::{self, StrVal};
use brain_model::attr::{self, ns};
use brain_model::{wire, EdgeKind, NodeId, Reference, Span};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node as TsNode;

/// References already emitted: (from, kind, key).
pub type Seen = HashSet<(NodeId, EdgeKind, String)>;

/// Runs every detector over the file's call sites and class headers.
pub fn detect(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite]) {
    let stubs = grpc_stub_bindings(ctx, root, calls);
    let mut seen: Seen = HashSet::new();
    let mut wrappers: Vec<TopicWrapper> = Vec::new();
    let bound = queue_bindings(ctx, calls);
    let pubsub = crate::pubsub::loaded(ctx.src);
    for c in calls {
        http_client(ctx, c, &mut seen);
        crate::kiota::detect(ctx, c, &mut seen);
        crate::sdk::detect_call(ctx, c, &mut seen);
        crate::grpc_gateway::detect(ctx, c, &mut seen);
        generated_api_client(ctx, c, &mut seen);
        grpc_client(ctx, c, &stubs, &mut seen);
        bus(ctx, c, &mut seen, &mut wrappers, &bound);
        if pubsub {
            crate::pubsub::detect(ctx, c);
        }
        grpc_register(ctx, c, &mut seen);
    }
    grpc_server_classes(ctx, root, &mut seen);
    grpc_server_subclasses(ctx, root);
    bus_annotations(ctx, root, &mut seen);
    bus_struct_literals(ctx, root, &mut seen, &mut wrappers);
    crate::jetstream::detect(ctx, root, calls, &mut seen);
    wrapper_calls(ctx, calls, wrappers, &mut seen);
    crate::langs::clients(ctx, root, calls, &mut seen);
    crate::event_types::detect(ctx, root);
}

pub(crate) fn push(ctx: &mut Ctx, seen: &mut HashSet<(NodeId, EdgeKind, String)>, r: Reference) {
    let key = match &r.target {
        brain_model::RefTarget::Key { key, .. } => key.clone(),
        brain_model::RefTarget::AnyOf(_) => String::new(),
    };
    seen.insert((r.from.clone(), r.kind, key));
    ctx.add_wire_ref(r);
}

fn recv_text<'a>(ctx: &Ctx<'a>, c: &CallSite) -> &'a str {
    c.receiver.map(|r| ctx.text(r)).unwrap_or("")
}

pub(crate) fn http_method_word(s: &str) -> Option<&'static str> {
    Some(match s.to_ascii_uppercase().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => return None,
    })
}

/// A receiver that plausibly is an HTTP client (not a map, a router or a cache).
pub(crate) fn clientish(recv: &str) -> bool {
    let r = recv.to_ascii_lowercase();
    [
        "http",
        "client",
        "axios",
        "request",
        "session",
        "api",
        "rest",
        "fetch",
        "got",
        "ky",
        "superagent",
        "requests",
        "httpx",
        "reqwest",
        "webclient",
        "resttemplate",
        "okhttp",
        "agent",
    ]
    .iter()
    .any(|k| r.contains(k))
}

pub(crate) fn emit_http(
    ctx: &mut Ctx,
    seen: &mut HashSet<(NodeId, EdgeKind, String)>,
    c: &CallSite,
    method: &str,
    url: &StrVal,
    allow_relative: bool,
) {
    emit_http_at(ctx, seen, c, c.node, method, url, allow_relative);
}

/// [`emit_http`] with the evidence line taken from `at` (the method name of a long chained call).
pub(crate) fn emit_http_at(
    ctx: &mut Ctx,
    seen: &mut HashSet<(NodeId, EdgeKind, String)>,
    c: &CallSite,
    at: TsNode,
    method: &str,
    url: &StrVal,
    allow_relative: bool,
) {
    let Some((raw, dropped)) = url.as_url(allow_relative) else { return };
    // A page-relative path naming a file (`data/cities.json`, `img/logo.svg`) is a static asset.
    let relative = !raw.starts_with('/') && !raw.starts_with("http");
    if relative && raw.split(['?', '#']).next().unwrap_or("").rsplit('/').next().is_some_and(|last| last.contains('.'))
    {
        return;
    }
    // A path of nothing but parameters (`${base}/${p}`) would match any route: not a finding.
    let norm = wire::normalize_http_path(&raw);
    if !raw.starts_with("http") && norm.split('/').all(|s| s.is_empty() || s == "{}") {
        return;
    }
    let from = ctx.owner_of(c.node);
    let span = ctx.span(at);
    let conf = if dropped {
        0.6
    } else if url.is_exact() {
        0.9
    } else {
        0.8
    };
    ctx.sites.http.insert(c.node.id(), Bnd::new(BndKind::Http, wire::http_key(method, &raw)));
    crate::sdk::provide_method(ctx, c.node, &wire::http_key(method, &raw));
    let r = Reference::key(from, EdgeKind::Consumes, ns::HTTP, wire::http_key(method, &raw), ctx.inferred(span, conf))
        .with_attr(attr::HTTP_METHOD, method)
        .with_attr(attr::HTTP_PATH, raw)
        .with_attr(attr::PROTOCOL, "http");
    push(ctx, seen, r);
}

/// The path a client instance puts before every request (`axios.create({ baseURL: "/api" })`,
/// `httpx.Client(base_url=f"{HOST}/api/v1")`), from the file's binding of the receiver; `None`
/// when it has none or only a host.
fn base_path(ctx: &Ctx, at: TsNode, recv: &str) -> Option<String> {
    let name = last_segment(recv);
    let (s, e) = ctx.bindings.iter().find(|((_, n), r)| n == name && r.1 > r.0).map(|(_, r)| *r)?;
    let mut root = at;
    while let Some(p) = root.parent() {
        root = p;
    }
    let value = root.descendant_for_byte_range(s, e)?;
    let call = if matches!(value.kind(), "call_expression" | "call") { value } else { return None };
    let callee = ctx.text(call.child_by_field_name("function")?);
    let args = args_of(ctx.src, call.child_by_field_name("arguments")?);
    let base = match ctx.lang {
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript if callee.ends_with(".create") => {
            let obj = args.positional.first().filter(|o| o.kind() == "object")?;
            object_pairs(ctx.src, *obj).into_iter().find(|(k, _)| k == "baseURL" || k == "prefixUrl").map(|(_, v)| v)?
        }
        Lang::Python if ["Client", "AsyncClient"].iter().any(|c| callee.ends_with(c)) => named(&args, &["base_url"])?,
        _ => return None,
    };
    let v = strval::eval(ctx, base)?;
    // The path after the scheme and host, or after an unknown leading base.
    let (raw, _) = v.as_url(false)?;
    let path = match raw.split_once("://") {
        Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or(""),
        None => raw.as_str(),
    };
    let path = path.trim_end_matches('/');
    (!path.is_empty() && path.starts_with('/')).then(|| path.to_string())
}

/// Whether the file binds `recv` to an HTTP client instance (`axios.create(..)`, `ky.create(..)`,
/// `got.extend(..)`), whatever its name.
fn http_instance(ctx: &Ctx, recv: &str) -> bool {
    let name = last_segment(recv);
    ctx.bindings.iter().any(|((_, n), (s, e))| {
        n == name
            && ctx.src.get(*s..*e).is_some_and(|t| {
                ["axios.create(", "ky.create(", "ky.extend(", "got.extend("].iter().any(|f| t.starts_with(f))
            })
    })
}

/// `url` under the client's base path when it is a path of its own (`/users` on a client made for
/// `/api` is `/api/users`).
fn under_base(ctx: &Ctx, at: TsNode, recv: &str, url: StrVal) -> StrVal {
    let own_path = matches!(url.parts.first(), Some(strval::Part::Lit(l)) if l.starts_with('/'));
    match base_path(ctx, at, recv).filter(|_| own_path) {
        Some(base) => {
            let mut parts = vec![strval::Part::Lit(base)];
            parts.extend(url.parts);
            StrVal { parts }
        }
        None => url,
    }
}

/// The URL an options object names under one of `keys` (`{ url: "/x", method: "POST" }`).
fn url_in_object(ctx: &Ctx, obj: TsNode, keys: &[&str]) -> Option<StrVal> {
    object_pairs(ctx.src, obj)
        .into_iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .and_then(|(_, v)| strval::eval(ctx, v))
}

fn eval_arg(ctx: &Ctx, args: &Args, i: usize) -> Option<StrVal> {
    args.positional.get(i).and_then(|n| strval::eval(ctx, *n))
}

pub(crate) fn named<'t>(args: &Args<'t>, keys: &[&str]) -> Option<TsNode<'t>> {
    args.named.iter().find(|(k, _)| keys.contains(&k.as_str())).map(|(_, v)| *v)
}

/// `method: "POST"` in an options object.
fn method_in_object(ctx: &Ctx, obj: TsNode) -> Option<&'static str> {
    method_in_object_keys(ctx, obj, &["method"])
}

/// The HTTP method an options object names under one of `keys` (jQuery also says `type: "put"`).
fn method_in_object_keys(ctx: &Ctx, obj: TsNode, keys: &[&str]) -> Option<&'static str> {
    object_pairs(ctx.src, obj)
        .into_iter()
        .find(|(k, _)| keys.contains(&k.as_str()))
        .and_then(|(_, v)| strval::eval(ctx, v).and_then(|s| s.exact()))
        .and_then(|m| http_method_word(&m.to_ascii_lowercase()))
}

/// jQuery: `$.ajax({url, type|method})`, `$.ajax(url, {type})`, `$.get(url)`, `$.post(url)`,
/// `$.getJSON(url)`. Page scripts name URLs relative to the page (`'accounts/current'`).
fn jquery(ctx: &mut Ctx, seen: &mut Seen, c: &CallSite, callee: &str, args: &Args) {
    let first = args.positional.first().copied();
    let (url, method) = match (callee, first.map(|f| f.kind())) {
        ("ajax", Some("object")) => {
            let Some(obj) = first else { return };
            (url_in_object(ctx, obj, &["url"]), method_in_object_keys(ctx, obj, &["method", "type"]).unwrap_or("GET"))
        }
        ("ajax", Some(_)) => {
            let m = args.positional.get(1).and_then(|o| method_in_object_keys(ctx, *o, &["method", "type"]));
            (eval_arg(ctx, args, 0), m.unwrap_or("GET"))
        }
        ("get" | "getJSON", _) => (eval_arg(ctx, args, 0), "GET"),
        ("post", _) => (eval_arg(ctx, args, 0), "POST"),
        _ => return,
    };
    if let Some(u) = url {
        emit_http(ctx, seen, c, method, &u, true);
    }
}

/// Callee names any HTTP client detector below can match.
fn http_candidate(callee: &str) -> bool {
    let l = callee.split('<').next().unwrap_or(callee);
    http_method_word(l).is_some()
        || matches!(
            l,
            "fetch"
                | "axios"
                | "$http"
                | "ajax"
                | "getJSON"
                | "request"
                | "NewRequest"
                | "NewRequestWithContext"
                | "PostForm"
                | "getForObject"
                | "getForEntity"
                | "postForObject"
                | "postForEntity"
                | "postForLocation"
                | "patchForObject"
                | "exchange"
                | "uri"
                | "url"
                | "GetStringAsync"
                | "GetStreamAsync"
                | "GetByteArrayAsync"
                | "GetFromJsonAsync"
                | "PostAsJsonAsync"
                | "PutAsJsonAsync"
                | "DeleteFromJsonAsync"
                | "PatchAsJsonAsync"
                | "HttpRequestMessage"
        )
        || (l.ends_with("Async") && http_method_word(l.trim_end_matches("Async")).is_some())
}

fn http_client(ctx: &mut Ctx, c: &CallSite, seen: &mut HashSet<(NodeId, EdgeKind, String)>) {
    let Some(args_node) = c.args else { return };
    let callee = ctx.text(c.callee);
    if !http_candidate(callee) {
        return;
    }
    let recv = recv_text(ctx, c);
    let args = args_of(ctx.src, args_node);
    match ctx.lang {
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
            if matches!(recv, "$" | "jQuery") && matches!(callee, "ajax" | "get" | "getJSON" | "post") {
                jquery(ctx, seen, c, callee, &args);
            } else if callee == "fetch" && (c.receiver.is_none() || matches!(recv, "window" | "globalThis" | "self")) {
                let Some(url) = eval_arg(ctx, &args, 0) else { return };
                let m = args.positional.get(1).and_then(|o| method_in_object(ctx, *o)).unwrap_or("GET");
                emit_http(ctx, seen, c, m, &url, true);
            } else if (callee == "axios" || callee == "$http") && c.receiver.is_none()
                || callee == "request" && (recv == "axios" || c.receiver.is_none() && requires_request_package(ctx))
            {
                let first = args.positional.first().copied();
                match first.map(|f| f.kind()) {
                    Some("object") => {
                        let url = url_in_object(ctx, first.unwrap_or(args_node), &["url", "uri"]);
                        let m = first.and_then(|o| method_in_object(ctx, o)).unwrap_or("GET");
                        if let Some(u) = url {
                            emit_http(ctx, seen, c, m, &u, true);
                        }
                    }
                    Some(_) => {
                        if let Some(u) = eval_arg(ctx, &args, 0) {
                            let m = args.positional.get(1).and_then(|o| method_in_object(ctx, *o)).unwrap_or("GET");
                            emit_http(ctx, seen, c, m, &u, true);
                        }
                    }
                    None => {}
                }
            } else if let Some(m) = http_method_word(callee).filter(|_| callee.chars().all(|ch| ch.is_lowercase())) {
                let client = clientish(recv) || http_instance(ctx, recv);
                if c.receiver.is_some() && client && !recv.ends_with("app") && !recv.contains("router") {
                    // `client.get(url)`, or a generated SDK's `client.post({ url: '/users/', .. })`.
                    let first = args.positional.first().copied();
                    let u = match first.filter(|f| f.kind() == "object") {
                        Some(o) => url_in_object(ctx, o, &["url"]),
                        None => eval_arg(ctx, &args, 0),
                    };
                    if let Some(u) = u {
                        let u = under_base(ctx, c.node, recv, u);
                        emit_http(ctx, seen, c, m, &u, true);
                    }
                }
            }
        }
        Lang::Python => {
            let r = last_segment(recv);
            let known = matches!(r, "requests" | "httpx") || clientish(recv);
            if !known || c.receiver.is_none() {
                return;
            }
            let url_node = args.positional.first().copied().or_else(|| named(&args, &["url"]));
            if let Some(m) = http_method_word(callee).filter(|_| callee.chars().all(|ch| ch.is_lowercase())) {
                if let Some(u) = url_node.and_then(|n| strval::eval(ctx, n)) {
                    let u = under_base(ctx, c.node, recv, u);
                    emit_http(ctx, seen, c, m, &u, false);
                }
            } else if callee == "request" {
                let m = eval_arg(ctx, &args, 0).and_then(|s| s.exact()).and_then(|s| http_method_word(&s));
                let u = args
                    .positional
                    .get(1)
                    .copied()
                    .or_else(|| named(&args, &["url"]))
                    .and_then(|n| strval::eval(ctx, n));
                if let (Some(m), Some(u)) = (m, u) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
            }
        }
        Lang::Go => match (recv, callee) {
            ("http", "Get" | "Head" | "Post" | "PostForm") => {
                let m = match callee {
                    "Get" => "GET",
                    "Head" => "HEAD",
                    _ => "POST",
                };
                if let Some(u) = eval_arg(ctx, &args, 0) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
            }
            ("http", "NewRequest" | "NewRequestWithContext") => {
                let off = usize::from(callee == "NewRequestWithContext");
                let m = eval_arg(ctx, &args, off).and_then(|s| go_method(&s));
                if let (Some(m), Some(u)) = (m, eval_arg(ctx, &args, off + 1)) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
            }
            (_, "Get" | "Post" | "Put" | "Delete" | "Patch" | "Head") if clientish(recv) || recv.ends_with(".R()") => {
                if let Some(u) = eval_arg(ctx, &args, 0) {
                    emit_http(ctx, seen, c, http_method_word(callee).unwrap_or("GET"), &u, false);
                }
            }
            _ => {}
        },
        Lang::Rust => {
            let m = match callee {
                "get" | "post" | "put" | "delete" | "patch" | "head" => http_method_word(callee),
                _ => None,
            };
            if let Some(m) = m {
                if recv == "reqwest" || recv.ends_with("reqwest") || clientish(recv) {
                    if let Some(u) = eval_arg(ctx, &args, 0) {
                        emit_http(ctx, seen, c, m, &u, false);
                    }
                }
            } else if callee == "request" && clientish(recv) {
                let m = args.positional.first().map(|n| last_segment(ctx.text(*n))).and_then(http_method_word);
                if let (Some(m), Some(u)) = (m, eval_arg(ctx, &args, 1)) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
            }
        }
        Lang::Java | Lang::Kotlin => {
            let rest_template = match callee {
                "getForObject" | "getForEntity" => Some("GET"),
                "postForObject" | "postForEntity" | "postForLocation" => Some("POST"),
                "put" if recv.to_lowercase().contains("rest") => Some("PUT"),
                "delete" if recv.to_lowercase().contains("rest") => Some("DELETE"),
                "patchForObject" => Some("PATCH"),
                _ => None,
            };
            if let Some(m) = rest_template {
                if let Some(u) = eval_arg(ctx, &args, 0) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
                return;
            }
            if callee == "exchange" && args.positional.len() >= 2 {
                let m = http_method_word(last_segment(ctx.text(args.positional[1])));
                if let (Some(m), Some(u)) = (m, eval_arg(ctx, &args, 0)) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
                return;
            }
            // WebClient: client.get().uri("/x"); OkHttp: Request.Builder().url(u).post(body).
            if callee == "uri" || callee == "url" {
                let chain = outer_chain(ctx, c.node);
                let m = if callee == "uri" {
                    [".get()", ".post()", ".put()", ".delete()", ".patch()"]
                        .iter()
                        .find(|p| recv.ends_with(*p))
                        .and_then(|p| http_method_word(p.trim_matches(['.', '(', ')'])))
                } else if recv.contains("Builder()") {
                    Some(
                        [".post(", ".put(", ".delete(", ".patch("]
                            .iter()
                            .find(|p| chain.contains(*p))
                            .and_then(|p| http_method_word(p.trim_matches(['.', '('])))
                            .unwrap_or("GET"),
                    )
                } else {
                    None
                };
                if let (Some(m), Some(u)) = (m, eval_arg(ctx, &args, 0)) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
                return;
            }
            // Ktor client.
            if ctx.lang == Lang::Kotlin && c.receiver.is_some() && clientish(recv) {
                if let Some(m) = http_method_word(callee).filter(|_| callee.chars().all(|ch| ch.is_lowercase())) {
                    if let Some(u) = eval_arg(ctx, &args, 0) {
                        emit_http(ctx, seen, c, m, &u, false);
                    }
                }
            }
        }
        Lang::CSharp => {
            let name = callee.split('<').next().unwrap_or(callee);
            let m = match name {
                "GetAsync" | "GetStringAsync" | "GetStreamAsync" | "GetByteArrayAsync" | "GetFromJsonAsync" => {
                    Some("GET")
                }
                "PostAsync" | "PostAsJsonAsync" => Some("POST"),
                "PutAsync" | "PutAsJsonAsync" => Some("PUT"),
                "DeleteAsync" | "DeleteFromJsonAsync" => Some("DELETE"),
                "PatchAsync" | "PatchAsJsonAsync" => Some("PATCH"),
                _ => None,
            };
            if let Some(m) = m {
                if c.receiver.is_some() {
                    if let Some(u) = eval_arg(ctx, &args, 0) {
                        emit_http(ctx, seen, c, m, &u, true);
                    }
                }
            } else if name == "HttpRequestMessage" && args.positional.len() >= 2 {
                let m = http_method_word(last_segment(ctx.text(args.positional[0])));
                if let (Some(m), Some(u)) = (m, eval_arg(ctx, &args, 1)) {
                    emit_http(ctx, seen, c, m, &u, true);
                }
            }
        }
        // Read in `langs::{php,ruby,cpp}_wire`.
        Lang::Php | Lang::Ruby | Lang::Cpp => {}
    }
}

/// Whether a JavaScript file loads the `request` HTTP client package (`require('request')`,
/// `import request from 'request'`), so that a bare `request(url, cb)` is an HTTP call.
fn requires_request_package(ctx: &Ctx) -> bool {
    ["require('request')", "require(\"request\")", "from 'request'", "from \"request\""]
        .iter()
        .any(|p| ctx.src.contains(p))
}

/// A method of a client an OpenAPI generator made, called on a receiver named for its class
/// (`this.ordersApi.createOrder(..)`, `client.OrdersApi.CreateOrder(ctx)`, `orders_api.create_order(..)`,
/// `_ordersApi.CreateOrderAsync(..)`): a call of the operation with that operationId, in the spec
/// whose tag the class is named for (`OrdersApi` → tag `orders`; see `wire::operation_id_key`).
fn generated_api_client(ctx: &mut Ctx, c: &CallSite, seen: &mut Seen) {
    let Some(recv) = c.receiver else { return };
    let last = last_segment(ctx.text(recv)).trim_start_matches('_');
    if last.contains(['(', ')', '[', ' ']) {
        return;
    }
    let squashed: String =
        last.chars().filter(|ch| ch.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    // A bare `api` is as often a router group (`api.Group("/v1")`, `api.MapGet(..)`) as a client.
    let Some(tag) =
        squashed.strip_suffix("apiclient").or_else(|| squashed.strip_suffix("api")).filter(|t| !t.is_empty())
    else {
        return;
    };
    let callee = last_segment(ctx.text(c.callee));
    let mut method = callee;
    for suffix in ["WithHttpInfoAsync", "WithHttpInfo", "Async", "Raw", "_with_http_info"] {
        if let Some(m) = method.strip_suffix(suffix).filter(|m| !m.is_empty()) {
            method = m;
            break;
        }
    }
    // Plain HTTP verbs on an `api` object are an HTTP client's, read by `http_client`.
    if http_method_word(method).is_some() || method.len() < 3 {
        return;
    }
    let key = wire::operation_id_key(Some(tag), method);
    let from = ctx.owner_of(c.node);
    let span = ctx.span(c.node);
    let r = Reference::key(from, EdgeKind::Consumes, ns::OPERATION_ID, key, ctx.inferred(span, 0.8))
        .with_attr(attr::PROTOCOL, "http");
    push(ctx, seen, r);
}

fn go_method(s: &StrVal) -> Option<&'static str> {
    if let Some(m) = s.exact() {
        return http_method_word(&m);
    }
    // http.MethodGet
    match s.parts.first() {
        Some(strval::Part::Hole(h)) => http_method_word(h.trim_start_matches("http.Method")),
        _ => None,
    }
}

/// The text of the whole method chain a call belongs to.
fn outer_chain<'a>(ctx: &Ctx<'a>, n: TsNode) -> &'a str {
    let mut top = n;
    while let Some(p) = top.parent() {
        if matches!(
            p.kind(),
            "method_invocation"
                | "call_expression"
                | "navigation_expression"
                | "field_access"
                | "value_arguments"
                | "call_suffix"
        ) && p.start_byte() == top.start_byte()
        {
            top = p;
        } else {
            break;
        }
    }
    ctx.text(top)
}

/// The variable or field a value is bound to (`x := v`, `let x = v`, `this.x = v`, `x: v`).
fn binding_name(ctx: &Ctx, n: TsNode) -> Option<String> {
    let mut cur = n;
    for _ in 0..6 {
        let p = cur.parent()?;
        let name = match p.kind() {
            "let_declaration" => p.child_by_field_name("pattern"),
            "variable_declarator" => p.child_by_field_name("name").or_else(|| p.named_child(0)),
            "assignment" | "assignment_expression" | "short_var_declaration" | "assignment_statement" => {
                p.child_by_field_name("left").or_else(|| p.named_child(0))
            }
            "keyed_element" | "pair" | "field_initializer" => p.named_child(0),
            "property_declaration" => p.named_children(&mut p.walk()).find(|c| c.kind() == "variable_declaration"),
            "var_spec" => p.child_by_field_name("name"),
            _ => None,
        };
        if let Some(nm) = name {
            if nm.id() != cur.id() {
                let t = ctx.text(nm);
                let t = t.split([',', ':']).next().unwrap_or(t).trim();
                return Some(last_segment(t.trim_start_matches("mut ")).to_string());
            }
        }
        cur = p;
    }
    None
}

/// The gRPC service a stub constructor builds, if `c` is one.
fn stub_service(ctx: &Ctx, c: &CallSite) -> Option<String> {
    let callee = ctx.text(c.callee);
    let recv = recv_text(ctx, c);
    let callee_last = last_segment(callee);
    match ctx.lang {
        Lang::Go => callee_last
            .strip_prefix("New")
            .and_then(|s| s.strip_suffix("Client"))
            .filter(|s| !s.is_empty() && c.receiver.is_some())
            .map(str::to_string),
        Lang::Python => callee_last.strip_suffix("Stub").filter(|s| !s.is_empty()).map(str::to_string),
        Lang::Java | Lang::Kotlin => {
            if matches!(callee_last, "newBlockingStub" | "newStub" | "newFutureStub" | "newBlockingV2Stub") {
                last_segment(recv).strip_suffix("Grpc").map(str::to_string)
            } else {
                callee_last.strip_suffix("CoroutineStub").map(str::to_string)
            }
        }
        Lang::CSharp => {
            // new Orders.OrdersClient(channel)
            let t = callee.trim();
            let (q, n) = t.rsplit_once('.')?;
            let svc = n.strip_suffix("Client")?;
            (last_segment(q) == svc).then(|| svc.to_string())
        }
        Lang::Rust => {
            if matches!(callee_last, "new" | "connect" | "with_interceptor" | "with_origin") {
                let r = last_segment(recv);
                r.strip_suffix("Client")
                    .filter(|s| {
                        !s.is_empty() && recv.contains("_client::") || !s.is_empty() && r.ends_with("ServiceClient")
                    })
                    .map(str::to_string)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Variables and fields holding gRPC stubs, by name.
fn grpc_stub_bindings(ctx: &Ctx, root: &Nodes<'_>, calls: &[CallSite]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in calls {
        if let Some(svc) = stub_service(ctx, c) {
            if let Some(name) = binding_name(ctx, c.node) {
                out.insert(name, svc);
            }
        }
    }
    // Typed fields and parameters: `users pb.UserServiceClient`, `private final XGrpc.XBlockingStub stub`.
    root.each(|n, kind| {
        if !matches!(
            kind,
            "field_declaration"
                | "parameter_declaration"
                | "formal_parameter"
                | "class_parameter"
                | "property_declaration"
                | "parameter"
        ) {
            return;
        }
        let t = ctx.text(n);
        if t.len() > 300 {
            return;
        }
        let words: Vec<&str> =
            t.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).filter(|w| !w.is_empty()).collect();
        let Some(ty) = words.iter().find(|w| {
            let l = last_segment(w);
            (l.ends_with("ServiceClient") && ctx.lang == Lang::Go)
                || l.ends_with("BlockingStub")
                || l.ends_with("FutureStub")
                || l.ends_with("CoroutineStub")
        }) else {
            return;
        };
        let l = last_segment(ty);
        let svc = l
            .strip_suffix("Client")
            .or_else(|| l.strip_suffix("BlockingStub"))
            .or_else(|| l.strip_suffix("FutureStub"))
            .or_else(|| l.strip_suffix("CoroutineStub"))
            .unwrap_or(l);
        let svc = ty
            .split('.')
            .find(|s| s.ends_with("Grpc") || s.ends_with("GrpcKt"))
            .map(|s| s.trim_end_matches("Kt").trim_end_matches("Grpc"))
            .unwrap_or(svc);
        let name = n
            .child_by_field_name("name")
            .or_else(|| n.child_by_field_name("declarator").and_then(|d| d.child_by_field_name("name")))
            .map(|x| ctx.text(x).to_string())
            .or_else(|| {
                words
                    .iter()
                    .find(|w| {
                        !w.contains('.')
                            && **w != *ty
                            && !matches!(**w, "private" | "final" | "val" | "var" | "public" | "protected" | "readonly")
                    })
                    .map(|w| w.to_string())
            });
        if let Some(name) = name {
            out.insert(name, svc.to_string());
        }
    });
    out
}

fn grpc_client(
    ctx: &mut Ctx,
    c: &CallSite,
    stubs: &HashMap<String, String>,
    seen: &mut HashSet<(NodeId, EdgeKind, String)>,
) {
    let Some(recv) = c.receiver else { return };
    let rt = ctx.text(recv);
    let key = last_segment(rt.trim_end_matches("()"));
    let Some(svc) = stubs.get(key).cloned() else { return };
    let callee = last_segment(ctx.text(c.callee));
    let method = match ctx.lang {
        Lang::CSharp => callee.strip_suffix("Async").unwrap_or(callee).to_string(),
        Lang::Rust | Lang::Python if callee.contains('_') || callee.starts_with(|ch: char| ch.is_lowercase()) => {
            if ctx.lang == Lang::Python && callee.starts_with(|ch: char| ch.is_uppercase()) {
                callee.to_string()
            } else {
                crate::langs::shape::apply_case(callee, "PascalCase")
            }
        }
        Lang::Java | Lang::Kotlin => {
            let mut ch = callee.chars();
            match ch.next() {
                Some(f) => f.to_uppercase().collect::<String>() + ch.as_str(),
                None => return,
            }
        }
        _ => callee.to_string(),
    };
    if matches!(method.as_str(), "Close" | "WithInterceptor" | "WithCallOptions" | "GetChannel" | "Clone") {
        return;
    }
    let from = ctx.owner_of(c.node);
    let span = ctx.span(c.node);
    let r = Reference::key(from, EdgeKind::Consumes, ns::GRPC, wire::grpc_key(&svc, &method), ctx.inferred(span, 0.8))
        .with_attr(attr::PROTOCOL, "grpc");
    push(ctx, seen, r);
}

pub(crate) fn implements(ctx: &mut Ctx, seen: &mut Seen, from: NodeId, svc: &str, span: Span) {
    if svc.is_empty() {
        return;
    }
    let r = Reference::key(from, EdgeKind::Implements, ns::GRPC, svc, ctx.inferred(span, 0.9))
        .with_attr(attr::PROTOCOL, "grpc");
    push(ctx, seen, r);
}

/// `pb.RegisterXServer(s, impl)`, `add_XServicer_to_server(impl, server)`, `services.AddGrpc().MapGrpcService<T>`.
fn grpc_register(ctx: &mut Ctx, c: &CallSite, seen: &mut HashSet<(NodeId, EdgeKind, String)>) {
    let callee = last_segment(ctx.text(c.callee));
    let svc = match ctx.lang {
        Lang::Go => callee.strip_prefix("Register").and_then(|s| s.strip_suffix("Server")),
        Lang::Python => callee.strip_prefix("add_").and_then(|s| s.strip_suffix("Servicer_to_server")),
        _ => None,
    };
    if let Some(svc) = svc.filter(|s| !s.is_empty()) {
        let from = ctx.owner_of(c.node);
        let span = ctx.span(c.node);
        implements(ctx, seen, from, svc, span);
    }
}

/// Class headers that implement a generated gRPC base.
fn grpc_server_classes(ctx: &mut Ctx, root: &Nodes<'_>, seen: &mut HashSet<(NodeId, EdgeKind, String)>) {
    let mut found: Vec<(TsNode, String)> = Vec::new();
    root.each(|n, kind| {
        let bases: Option<String> = match (ctx.lang, kind) {
            (Lang::Python, "class_definition") => {
                n.child_by_field_name("superclasses").map(|s| ctx.text(s).to_string())
            }
            (Lang::Java, "class_declaration") => n.child_by_field_name("superclass").map(|s| ctx.text(s).to_string()),
            (Lang::Kotlin, "class_declaration") | (Lang::Kotlin, "object_declaration") => n
                .named_children(&mut n.walk())
                .find(|c| c.kind() == "delegation_specifiers")
                .map(|s| ctx.text(s).to_string()),
            (Lang::CSharp, "class_declaration") => {
                n.named_children(&mut n.walk()).find(|c| c.kind() == "base_list").map(|s| ctx.text(s).to_string())
            }
            (Lang::Rust, "impl_item") => n.child_by_field_name("trait").map(|t| {
                let name = last_segment(ctx.text(t)).to_string();
                let full = ctx.imported_names.get(&name).cloned().unwrap_or_else(|| ctx.text(t).to_string());
                full
            }),
            (Lang::Go, "type_spec") => n.child_by_field_name("type").filter(|t| t.kind() == "struct_type").map(|t| {
                // Embedded pb.UnimplementedXServer.
                ctx.text(t).split_whitespace().filter(|w| w.contains("Unimplemented")).collect::<Vec<_>>().join(" ")
            }),
            _ => None,
        };
        if let Some(b) = bases {
            for word in b.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == ':')) {
                let w = word.trim_matches(':');
                let svc = match ctx.lang {
                    Lang::Python => last_segment(w).strip_suffix("Servicer").map(str::to_string),
                    Lang::Java => {
                        last_segment(w).strip_suffix("ImplBase").filter(|_| w.contains("Grpc.")).map(str::to_string)
                    }
                    Lang::Kotlin => last_segment(w)
                        .strip_suffix("CoroutineImplBase")
                        .or_else(|| last_segment(w).strip_suffix("ImplBase"))
                        .map(str::to_string),
                    Lang::CSharp => w.rsplit_once('.').and_then(|(q, n)| {
                        let svc = n.strip_suffix("Base")?;
                        (last_segment(q) == svc).then(|| svc.to_string())
                    }),
                    Lang::Rust => w.contains("_server::").then(|| last_segment(w).to_string()),
                    Lang::Go => last_segment(w)
                        .strip_prefix("Unimplemented")
                        .and_then(|s| s.strip_suffix("Server"))
                        .map(str::to_string),
                    _ => None,
                };
                if let Some(s) = svc.filter(|s| !s.is_empty()) {
                    let tname = n
                        .child_by_field_name("name")
                        .or_else(|| n.child_by_field_name("type"))
                        .map(|t| last_segment(ctx.text(t)).to_string());
                    if let Some(t) = tname {
                        ctx.sites.grpc_servers.insert(t, s.clone());
                    }
                    found.push((n, s));
                    break;
                }
            }
        }
    });
    for (n, svc) in found {
        let from = ctx
            .enclosing_def(n, true)
            .filter(|i| ctx.defs[*i].emitted)
            .map(|i| ctx.defs[i].id.clone())
            .or_else(|| {
                // Rust impl scope / Go type_spec: the type's symbol.
                let name = n
                    .child_by_field_name("type")
                    .or_else(|| n.child_by_field_name("name"))
                    .map(|t| last_segment(ctx.text(t)).to_string());
                name.and_then(|nm| ctx.def_named(&nm).map(|d| d.id.clone()))
            })
            .unwrap_or_else(|| ctx.file_id.clone());
        let span = ctx.span(n);
        implements(ctx, seen, from, &svc, Span::line(span.start_line));
    }
}

/// Classes of the file that extend a gRPC server class of the same file
/// (`class DummyEmailService(BaseEmailService)`) serve its service too (for the flow analysis).
fn grpc_server_subclasses(ctx: &mut Ctx, root: &Nodes<'_>) {
    if ctx.sites.grpc_servers.is_empty() {
        return;
    }
    let mut classes: Vec<(String, String)> = Vec::new();
    root.each(|n, kind| {
        let bases = match kind {
            "class_definition" => n.child_by_field_name("superclasses"),
            "class_declaration" | "class" => n
                .child_by_field_name("superclass")
                .or_else(|| n.named_children(&mut n.walk()).find(|c| c.kind() == "class_heritage")),
            _ => None,
        };
        let name = n.child_by_field_name("name").map(|x| ctx.text(x).to_string());
        if let (Some(b), Some(name)) = (bases, name) {
            classes.push((name, ctx.text(b).to_string()));
        }
    });
    // Two rounds reach a grandchild (`Base(Servicer)` <- `Impl(Base)` <- `Dummy(Impl)`).
    for _ in 0..2 {
        for (name, bases) in &classes {
            if ctx.sites.grpc_servers.contains_key(name) {
                continue;
            }
            let parent = bases
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .map(last_segment)
                .find_map(|w| ctx.sites.grpc_servers.get(w).cloned());
            if let Some(svc) = parent {
                ctx.sites.grpc_servers.insert(name.clone(), svc);
            }
        }
    }
}

/// Publish or subscribe.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Dir {
    Pub,
    Sub,
}

enum TopicArg {
    Pos(usize),
    Key(&'static [&'static str]),
    /// An object/struct literal argument at this position with one of these keys.
    Obj(usize, &'static [&'static str]),
    /// The first of the first n positional arguments that is not a context.
    FirstStr(usize),
    /// A routing key at this position, else the exchange at that one (when the key is empty).
    KeyOrExchange(usize, usize),
    /// A keyword argument with one of these names, else the argument at this position.
    KeyOr(&'static [&'static str], usize),
}

fn bus_of(recv: &str, default: &'static str) -> &'static str {
    let r = recv.to_ascii_lowercase();
    if r.contains("kafka") || r.contains("producer") || r.contains("consumer") {
        "kafka"
    } else if r.contains("nats")
        || r == "nc"
        || r == "js"
        || r.ends_with(".nc")
        || r.ends_with(".js")
        || r.contains("jetstream")
    {
        "nats"
    } else if r.contains("redis") || r == "rdb" || r.ends_with(".rdb") {
        "redis"
    } else if r.contains("rabbit") || r.contains("amqp") || r.contains("channel") || r == "ch" {
        "rabbitmq"
    } else if r.contains("sns") {
        "sns"
    } else if r.contains("sqs") {
        "sqs"
    } else {
        default
    }
}

/// `nats` when the file loads a NATS client library and the receiver is named like a connection
/// (`client.publish(..)`, `this.stan.subscribe(..)`, `sc.publish(..)`).
fn nats_client_of_file(ctx: &Ctx, at: TsNode, recv: &str) -> &'static str {
    let loads = [
        "node-nats-streaming",
        "'nats'",
        "\"nats\"",
        "@nats-io/",
        "nats-io/nats.go",
        "nats-io/stan.go",
        "import nats",
        "from nats",
        "io.nats.client",
        "NATS.Client",
        "async_nats",
    ];
    let name = last_segment(recv).trim_start_matches('_').to_ascii_lowercase();
    let loaded = || loads.iter().any(|l| ctx.src.contains(l));
    // `nc` is what NATS's own examples in every language call a connection.
    if (matches!(name.as_str(), "client" | "stan" | "sc" | "nc" | "conn" | "connection" | "dispatcher")
        || name.contains("nats"))
        && loaded()
    {
        return "nats";
    }
    // Declared with a NATS type (`ec *nats.EncodedConn`, `NatsConnection bus`), or created from a
    // connection in a file that loads a NATS client (`Dispatcher d = connection.createDispatcher(..)`).
    let simple = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_');
    // A file that never says "nats" holds no NATS declaration: the scan below is skipped.
    let mentions = ["nats", "Nats", "NATS"].iter().any(|w| ctx.src.contains(w));
    if simple
        && mentions
        && declarations_of(ctx, at, last_segment(recv)).any(|line| {
            let l = line.to_ascii_lowercase();
            l.contains("nats") || (["connection", "dispatcher", "jetstream"].iter().any(|w| l.contains(w)) && loaded())
        })
    {
        return "nats";
    }
    ""
}

/// Whether a call's receiver is a Kafka client: named like one (`kafkaTemplate`, `producer`,
/// `_consumer`), or declared or created as one in the code around the call (`group
/// sarama.ConsumerGroup`, `p = Producer(conf)` in a file that loads a Kafka library,
/// `c, err := kafka.NewConsumer(..)`).
fn kafka_client(ctx: &Ctx, at: TsNode, recv: &str) -> bool {
    let r = recv.to_ascii_lowercase();
    if ["rabbit", "amqp", "jms", "sqs", "sns", "nats"].iter().any(|b| r.contains(b)) {
        return false;
    }
    if r.contains("kafka") || r.contains("producer") || r.contains("consumer") || r.contains("template") {
        return true;
    }
    let name = last_segment(recv).trim_start_matches('_');
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return false;
    }
    // A file that never names a Kafka library holds no Kafka declaration: the scan below is skipped.
    let file_loads_kafka = ["kafka", "Kafka", "KAFKA"].iter().any(|w| ctx.src.contains(w));
    if !file_loads_kafka && !ctx.src.contains("sarama") && !ctx.src.contains("kgo.") {
        return false;
    }
    declarations_of(ctx, at, last_segment(recv)).any(|line| {
        let l = line.to_ascii_lowercase();
        l.contains("kafka")
            || l.contains("sarama")
            || l.contains("kgo.")
            || (file_loads_kafka && (l.contains("producer") || l.contains("consumer") || l.contains("consumergroup")))
    })
}

/// The lines that declare or assign `name` in the function around `at`, its parameters included,
/// then in the rest of the file: lines where `name` is followed by `=`, `:=`, `:`, `,` or ends the
/// declaration (`KafkaProducer<K, V> producer;`, `group sarama.ConsumerGroup` in a parameter list).
fn declarations_of<'a>(ctx: &Ctx<'a>, at: TsNode, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut scope = at;
    while let Some(p) = scope.parent() {
        scope = p;
        if p.child_by_field_name("parameters").is_some() {
            break;
        }
    }
    let local = ctx.text(scope);
    let src = ctx.src;
    local
        .lines()
        .chain(src.lines())
        .flat_map(move |line| line.split([',', '(']).map(move |part| (line, part)))
        .filter_map(move |(line, part)| {
            let part = part.trim_end();
            let mut from = 0;
            while let Some(i) = part[from..].find(name).map(|i| i + from) {
                from = i + name.len();
                let before = part[..i].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = part[from..].trim_start();
                let declares = rest.is_empty()
                    || rest.starts_with(';')
                    || rest.starts_with(':')
                    || (rest.starts_with('=') && !rest.starts_with("=="))
                    || rest.starts_with(')')
                    || rest.chars().next().is_some_and(|c| c.is_alphabetic() || c == '*' || c == '[');
                if declares && !rest.starts_with("::") {
                    return Some(line);
                }
            }
            None
        })
}

/// The simple type `name` is declared with near `at` (`private final OrderEventPublisher
/// orderEventPublisher;` gives `OrderEventPublisher`), for typed languages that write the type first.
pub(crate) fn declared_type<'a>(ctx: &Ctx<'a>, at: TsNode, name: &'a str) -> Option<&'a str> {
    declarations_of(ctx, at, name).find_map(|line| {
        let i = line.find(name)?;
        let before = line[..i].trim_end();
        let ty = before.rsplit([' ', '(', ',', '\t']).next()?;
        let ty = ty.split('<').next().unwrap_or(ty).rsplit('.').next().unwrap_or(ty);
        (!ty.is_empty()
            && ty.starts_with(|c: char| c.is_ascii_uppercase())
            && ty.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then_some(ty)
    })
}

/// The bus a receiver variable was connected to, from its binding (`client = await nats.connect(url)`).
fn bound_bus(ctx: &Ctx, recv: &str) -> &'static str {
    let name = last_segment(recv);
    if name.is_empty() {
        return "";
    }
    for ((_, n), (s, e)) in &ctx.bindings {
        if n != name {
            continue;
        }
        let t = ctx.src.get(*s..*e).unwrap_or("").to_ascii_lowercase();
        let call = t.split('(').next().unwrap_or("");
        if call.contains("nats") || call.contains("jetstream") {
            return "nats";
        }
        if call.contains("redis") {
            return "redis";
        }
        if call.contains("amqp") || call.contains("pika") || call.contains("rabbit") {
            return "rabbitmq";
        }
    }
    ""
}

/// Where a RabbitMQ queue-binding call takes its routing key: a keyword argument with one of these
/// names, else this position (`queue_bind(queue, exchange, routing_key)`, amqp091
/// `QueueBind(name, key, exchange, ..)`, amqplib `bindQueue(queue, exchange, pattern)`,
/// RabbitMQ.Client `QueueBind(queue, exchange, routingKey)`, Java `queueBind(queue, exchange, key)`).
/// The queue is the `queue` keyword or the first argument.
fn binding_key_arg(lang: Lang, callee: &str) -> Option<(&'static [&'static str], usize)> {
    match (lang, callee) {
        (Lang::Python, "queue_bind") => Some((&["routing_key"], 2)),
        (Lang::Go, "QueueBind") => Some((&[], 1)),
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "bindQueue") => Some((&[], 2)),
        (Lang::CSharp, "QueueBind" | "QueueBindAsync") => Some((&["routingKey"], 2)),
        (Lang::Java | Lang::Kotlin, "queueBind") => Some((&[], 2)),
        _ => None,
    }
}

/// RabbitMQ queues of this file and the routing keys bound to them (`queue_bind(queue=Q,
/// routing_key=K)`, `QueueBind(q, key, exchange)`, `bindQueue(q, exchange, key)`): a consumer of
/// `Q` receives what is published with `K`. Queues by value when the file knows it, else as written.
fn queue_bindings(ctx: &Ctx, calls: &[CallSite]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for c in calls {
        let Some(args_node) = c.args else { continue };
        let callee = last_segment(ctx.text(c.callee));
        let Some((key_names, key_pos)) = binding_key_arg(ctx.lang, callee) else { continue };
        let args = args_of(ctx.src, args_node);
        let queue = named(&args, &["queue"]).or_else(|| args.positional.first().copied());
        let key = named(&args, key_names).or_else(|| args.positional.get(key_pos).copied());
        let (Some(q), Some(k)) = (queue, key) else { continue };
        let Some(k) = strval::eval(ctx, k).and_then(|v| v.exact()).filter(|k| !k.is_empty()) else { continue };
        out.entry(queue_name(ctx, q)).or_default().push(k);
    }
    out
}

/// A queue argument as [`queue_bindings`] keys it.
fn queue_name(ctx: &Ctx, q: TsNode) -> String {
    strval::eval(ctx, q).and_then(|v| v.exact()).unwrap_or_else(|| ctx.text(q).to_string())
}

fn bus(
    ctx: &mut Ctx,
    c: &CallSite,
    seen: &mut Seen,
    wrappers: &mut Vec<TopicWrapper>,
    bound: &HashMap<String, Vec<String>>,
) {
    let Some(args_node) = c.args else { return };
    let callee = last_segment(ctx.text(c.callee)).to_string();
    let recv = recv_text(ctx, c).to_string();
    let rl = recv.to_ascii_lowercase();
    let rule: Option<(Dir, &'static str, TopicArg)> = match (ctx.lang, callee.as_str()) {
        // Kafka. A record built in the call (`send(new ProducerRecord<>(topic, ..))`) names the
        // topic itself, wherever it is sent from.
        (Lang::Java | Lang::Kotlin, "send") if kafka_client(ctx, c.node, &recv) => {
            let arg0 = args_of(ctx.src, args_node).positional.first().map(|a| ctx.text(*a)).unwrap_or("");
            (!arg0.contains("ProducerRecord")).then_some((Dir::Pub, "kafka", TopicArg::Pos(0)))
        }
        (Lang::Java | Lang::Kotlin, name) if name.starts_with("ProducerRecord") => {
            Some((Dir::Pub, "kafka", TopicArg::Pos(0)))
        }
        (Lang::Python, "send" | "produce" | "send_and_wait") if kafka_client(ctx, c.node, &recv) => {
            Some((Dir::Pub, "kafka", TopicArg::KeyOr(&["topic"], 0)))
        }
        (Lang::Python, "KafkaConsumer" | "AIOKafkaConsumer") => Some((Dir::Sub, "kafka", TopicArg::Pos(0))),
        // Eventuate Tram: `DomainEventHandlersBuilder.forAggregateType("com.acme.Order")`.
        (Lang::Java | Lang::Kotlin, "forAggregateType") => Some((Dir::Sub, "eventuate", TopicArg::Pos(0))),
        (
            Lang::Python | Lang::Go | Lang::Rust | Lang::Java | Lang::Kotlin,
            "subscribe" | "SubscribeTopics" | "Subscribe",
        ) if kafka_client(ctx, c.node, &recv) => Some((Dir::Sub, "kafka", TopicArg::KeyOr(&["topics"], 0))),
        // sarama: `group.Consume(ctx, topics, handler)`, `consumer.ConsumePartition(topic, p, offset)`.
        (Lang::Go, "Consume") if kafka_client(ctx, c.node, &recv) => Some((Dir::Sub, "kafka", TopicArg::FirstStr(2))),
        (Lang::Go, "ConsumePartition") if kafka_client(ctx, c.node, &recv) => {
            Some((Dir::Sub, "kafka", TopicArg::Pos(0)))
        }
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "send") if rl.contains("producer") => {
            Some((Dir::Pub, "kafka", TopicArg::Obj(0, &["topic"])))
        }
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "subscribe") if rl.contains("consumer") => {
            Some((Dir::Sub, "kafka", TopicArg::Obj(0, &["topic", "topics"])))
        }
        (Lang::Rust, "to") if recv.ends_with("FutureRecord") || recv.ends_with("BaseRecord") => {
            Some((Dir::Pub, "kafka", TopicArg::Pos(0)))
        }
        (Lang::CSharp, "ProduceAsync" | "Produce") => Some((Dir::Pub, "kafka", TopicArg::Pos(0))),
        (Lang::CSharp, "Subscribe") if rl.contains("consumer") => Some((Dir::Sub, "kafka", TopicArg::Pos(0))),
        // Go amqp091: `ch.Publish(exchange, key, ..)`, `ch.PublishWithContext(ctx, exchange, key, ..)`, `ch.Consume(queue, ..)`.
        (Lang::Go, "Publish" | "PublishWithContext" | "PublishWithDeferredConfirmWithContext")
            if bus_of(&recv, "") == "rabbitmq" =>
        {
            let at = usize::from(callee != "Publish");
            Some((Dir::Pub, "rabbitmq", TopicArg::KeyOrExchange(at + 1, at)))
        }
        (Lang::Go, "Consume" | "ConsumeWithContext") if bus_of(&recv, "") == "rabbitmq" => {
            Some((Dir::Sub, "rabbitmq", TopicArg::FirstStr(2)))
        }
        // NATS and Redis pub/sub, by receiver; the subject is the first string argument
        // (JetStream's Go API takes a context first).
        (
            _,
            "publish" | "Publish" | "PublishAsync" | "publishAsync" | "PublishMsg" | "Request" | "RequestWithContext"
            | "request" | "requestMany" | "RequestMsg",
        ) if !rl.contains("sns") => {
            let b = bus_of(&recv, bound_bus(ctx, &recv));
            let b = if b.is_empty() { nats_client_of_file(ctx, c.node, &recv) } else { b };
            (!b.is_empty() && b != "kafka").then_some((Dir::Pub, b, TopicArg::FirstStr(2)))
        }
        (
            _,
            "subscribe" | "Subscribe" | "QueueSubscribe" | "queueSubscribe" | "SubscribeAsync" | "SubscribeSync"
            | "ChanSubscribe" | "QueueSubscribeSync" | "ChanQueueSubscribe" | "PullSubscribe" | "subscribeSync",
        ) => {
            let b = bus_of(&recv, bound_bus(ctx, &recv));
            let b = if b.is_empty() { nats_client_of_file(ctx, c.node, &recv) } else { b };
            (!b.is_empty() && b != "kafka").then_some((Dir::Sub, b, TopicArg::FirstStr(2)))
        }
        // RabbitMQ bindings: a queue bound to a routing key receives what is published with it, so the
        // binding is where the consumer subscribes to that key.
        (lang, name) if binding_key_arg(lang, name).is_some() => {
            binding_key_arg(lang, name).map(|(keys, pos)| (Dir::Sub, "rabbitmq", TopicArg::KeyOr(keys, pos)))
        }
        (Lang::Java | Lang::Kotlin, "with") if recv.starts_with("BindingBuilder") => {
            Some((Dir::Sub, "rabbitmq", TopicArg::Pos(0)))
        }
        // RabbitMQ
        (Lang::Python, "basic_publish") => Some((Dir::Pub, "rabbitmq", TopicArg::Key(&["routing_key", "exchange"]))),
        (Lang::Python, "basic_consume") => Some((Dir::Sub, "rabbitmq", TopicArg::Key(&["queue"]))),
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "sendToQueue") => {
            Some((Dir::Pub, "rabbitmq", TopicArg::Pos(0)))
        }
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "consume") if bus_of(&recv, "") == "rabbitmq" => {
            Some((Dir::Sub, "rabbitmq", TopicArg::Pos(0)))
        }
        (Lang::Java | Lang::Kotlin, "convertAndSend") if rl.contains("rabbit") || rl.contains("amqp") => {
            Some((Dir::Pub, "rabbitmq", TopicArg::Pos(0)))
        }
        (Lang::CSharp, "BasicPublish" | "BasicPublishAsync") => {
            Some((Dir::Pub, "rabbitmq", TopicArg::Key(&["routingKey", "exchange"])))
        }
        (Lang::CSharp, "BasicConsume" | "BasicConsumeAsync") => Some((Dir::Sub, "rabbitmq", TopicArg::Key(&["queue"]))),
        // SNS / SQS (boto3 keyword arguments, AWS SDK v3 commands).
        (Lang::Python, "publish") if rl.contains("sns") => Some((Dir::Pub, "sns", TopicArg::Key(&["TopicArn"]))),
        (Lang::Python, "send_message" | "send_message_batch") => Some((Dir::Pub, "sqs", TopicArg::Key(&["QueueUrl"]))),
        (Lang::Python, "receive_message") => Some((Dir::Sub, "sqs", TopicArg::Key(&["QueueUrl"]))),
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "PublishCommand") => {
            Some((Dir::Pub, "sns", TopicArg::Obj(0, &["TopicArn"])))
        }
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "SendMessageCommand") => {
            Some((Dir::Pub, "sqs", TopicArg::Obj(0, &["QueueUrl"])))
        }
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "ReceiveMessageCommand") => {
            Some((Dir::Sub, "sqs", TopicArg::Obj(0, &["QueueUrl"])))
        }
        // Redis streams.
        (_, "xadd" | "XAdd" | "xAdd") => Some((
            Dir::Pub,
            "redis",
            if ctx.lang == Lang::Go { TopicArg::Obj(1, &["Stream"]) } else { TopicArg::Pos(0) },
        )),
        (_, "xreadgroup" | "xread" | "XReadGroup" | "XRead" | "xReadGroup" | "xRead") => Some((
            Dir::Sub,
            "redis",
            if ctx.lang == Lang::Go { TopicArg::Obj(1, &["Streams"]) } else { TopicArg::Pos(0) },
        )),
        _ => None,
    };
    let Some((dir, bus, arg)) = rule else { return };
    let args = args_of(ctx.src, args_node);
    let node = match arg {
        TopicArg::Pos(i) => args.positional.get(i).copied(),
        // Keys in priority order; an empty exchange falls through to the routing key.
        TopicArg::Key(keys) => keys.iter().find_map(|k| {
            named(&args, &[k]).filter(|v| strval::eval(ctx, *v).and_then(|s| s.exact()).is_none_or(|s| !s.is_empty()))
        }),
        TopicArg::KeyOr(keys, i) => named(&args, keys).or_else(|| args.positional.get(i).copied()),
        TopicArg::Obj(i, keys) => args.positional.get(i).and_then(|o| {
            object_pairs(ctx.src, *o).into_iter().find(|(k, _)| keys.contains(&k.as_str())).map(|(_, v)| v)
        }),
        // The first argument that is not a context (JetStream's Go API takes one first).
        TopicArg::FirstStr(n) => args
            .positional
            .iter()
            .take(n)
            .find(|a| {
                let t = ctx.text(**a);
                !(t == "ctx" || t.ends_with("Context()") || t.starts_with("context.") || t.ends_with("ctx"))
            })
            .copied(),
        TopicArg::KeyOrExchange(key, exchange) => [key, exchange].into_iter().find_map(|i| {
            args.positional
                .get(i)
                .filter(|a| strval::eval(ctx, **a).and_then(|v| v.exact()).is_none_or(|v| !v.is_empty()))
                .copied()
        }),
    };
    let pattern = if dir == Dir::Pub && callee.to_ascii_lowercase().starts_with("request") {
        Some("request")
    } else if dir == Dir::Sub && answers_requests(ctx, c.node, args_node) {
        Some("reply")
    } else {
        None
    };
    let Some(node) = node else { return };
    // `func (p *Publisher) publish(subject string, v any) { p.nc.Publish(subject, data) }`: the
    // topic is whatever the wrapper's callers pass.
    if let Some((func, index)) = parameter_of_enclosing(ctx, node) {
        wrappers.push(TopicWrapper { func, index, dir, bus, pattern, flow_site: false });
        return;
    }
    emit_topic_arg(ctx, seen, c.node, node, dir, bus, pattern);
    // A consumer of a bound queue also receives the routing keys bound to it.
    if dir == Dir::Sub && bus == "rabbitmq" {
        for k in bound.get(&queue_name(ctx, node)).into_iter().flatten() {
            emit_topic(ctx, seen, c.node, dir, bus, k);
        }
    }
}

/// Whether a subscription answers requests: its handler replies (`msg.Respond(..)`,
/// `m.respond(..)`), or it is the only subscription of a function that replies to a request's
/// reply subject (`nc.publish(msg.getReplyTo(), ..)` in the dispatcher's handler,
/// `client.publish(request.reply.unwrap(), ..)` in the loop over it).
fn answers_requests(ctx: &Ctx, call: TsNode, args: TsNode) -> bool {
    const HANDLER: [&str; 5] = [".Respond(", ".respond(", "msg.reply", ".RespondMsg(", ".ReplyAsync("];
    if HANDLER.iter().any(|p| ctx.text(args).contains(p)) {
        return true;
    }
    let mut scope = call;
    while let Some(p) = scope.parent() {
        scope = p;
        if p.child_by_field_name("parameters").is_some() {
            break;
        }
    }
    let body = ctx.text(scope);
    let word_at = |t: &str, w: &str| {
        t.match_indices(w).filter(|(i, _)| !t[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_')).count()
    };
    let reply_field = body
        .match_indices(".reply")
        .any(|(i, m)| !body[i + m.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'));
    let replies =
        reply_field || HANDLER.iter().chain(&["getReplyTo()", ".reply_to", ".ReplyTo"]).any(|p| body.contains(p));
    replies && word_at(&body.to_ascii_lowercase(), "subscribe(") == 1
}

/// A function of this file that publishes or subscribes to the topic its parameter `index` names.
pub(crate) struct TopicWrapper {
    pub func: String,
    pub index: usize,
    pub dir: Dir,
    pub bus: &'static str,
    pub pattern: Option<&'static str>,
    /// The wrapper's own site stays registered for the flow analysis, which then carries the
    /// payload to the callers itself: the callers' references are added without sites of their own.
    pub flow_site: bool,
}

/// Calls of topic wrappers in the same file publish or subscribe what they pass (wrappers of
/// wrappers too, two levels deep).
pub(crate) fn wrapper_calls(ctx: &mut Ctx, calls: &[CallSite], mut wrappers: Vec<TopicWrapper>, seen: &mut Seen) {
    for _ in 0..2 {
        if wrappers.is_empty() {
            return;
        }
        let current = std::mem::take(&mut wrappers);
        for c in calls {
            let Some(args_node) = c.args else { continue };
            let callee = last_segment(ctx.text(c.callee));
            for w in current.iter().filter(|w| w.func == callee) {
                // A recursive call inside the wrapper passes its own parameter along.
                let Some(arg) = args_of(ctx.src, args_node).positional.get(w.index).copied() else { continue };
                if let Some((func, index)) = parameter_of_enclosing(ctx, arg) {
                    if func != w.func {
                        wrappers.push(TopicWrapper { func, index, ..*w });
                    }
                    continue;
                }
                let id = c.node.id();
                let had = (ctx.sites.publish.contains_key(&id), ctx.sites.subscribe.contains_key(&id));
                emit_topic_arg(ctx, seen, c.node, arg, w.dir, w.bus, w.pattern);
                if w.flow_site {
                    if !had.0 {
                        ctx.sites.publish.remove(&id);
                    }
                    if !had.1 {
                        ctx.sites.subscribe.remove(&id);
                    }
                }
            }
        }
    }
}

/// If `n` is a bare name that is a parameter of the named function around it: the function's name
/// and the parameter's position as its callers count (`self`, `cls` and Rust `self` not counted).
pub(crate) fn parameter_of_enclosing(ctx: &Ctx, n: TsNode) -> Option<(String, usize)> {
    // Go wraps a keyed value: `Topic: topic`.
    let n = if n.kind() == "literal_element" { n.named_child(0)? } else { n };
    if !matches!(n.kind(), "identifier" | "simple_identifier") {
        return None;
    }
    let name = ctx.text(n);
    let mut cur = n.parent();
    while let Some(p) = cur {
        if let Some(params) = p.child_by_field_name("parameters").filter(|_| {
            matches!(
                p.kind(),
                "function_declaration"
                    | "method_declaration"
                    | "function_definition"
                    | "method_definition"
                    | "function_item"
                    | "method"
                    | "constructor_declaration"
                    | "local_function_statement"
            )
        }) {
            let fname = ctx.text(p.child_by_field_name("name")?).to_string();
            let mut index = 0usize;
            let mut walker = params.walk();
            for param in params.named_children(&mut walker) {
                if matches!(param.kind(), "self_parameter" | "comment") {
                    continue;
                }
                // Go groups names: `topic, key string` is two parameters.
                let mut names: Vec<&str> =
                    param.children_by_field_name("name", &mut param.walk()).map(|x| ctx.text(x)).collect();
                if names.is_empty() {
                    names.push(
                        param.child_by_field_name("pattern").map(|x| ctx.text(x)).unwrap_or_else(|| ctx.text(param)),
                    );
                }
                for pname in names {
                    if index == 0 && ctx.lang == Lang::Python && matches!(pname, "self" | "cls") {
                        continue;
                    }
                    if pname == name {
                        return Some((fname, index));
                    }
                    index += 1;
                }
            }
            return None;
        }
        cur = p.parent();
    }
    None
}

/// Publishes or subscribes at `at` to the topic(s) the expression `node` names.
fn emit_topic_arg(
    ctx: &mut Ctx,
    seen: &mut Seen,
    at: TsNode,
    node: TsNode,
    dir: Dir,
    bus: &'static str,
    pattern: Option<&'static str>,
) {
    // `subscribe(listOf(topic))`, `List.of(TOPIC)`, `Collections.singletonList(t)`, `Arrays.asList(a, b)`.
    let node = list_call_arg(ctx, node).unwrap_or(node);
    let values = topic_values(ctx, node);
    if values.is_empty() {
        // `&[READINGS_TOPIC, HEARTBEAT_TOPIC]`, `new[] { Topics.A, Topics.B }`: each named element.
        let exprs = named_list_elements(ctx, node);
        if !exprs.is_empty() {
            for (e, exact, named_at) in exprs {
                if exact {
                    let before = ctx.facts.refs.len();
                    emit_topic(ctx, seen, at, dir, bus, &e);
                    mark_named_line(ctx, before, named_at);
                } else {
                    emit_topic_expr(ctx, at, dir, bus, &e, pattern);
                }
            }
            return;
        }
        // A name built from constants, configuration or parameters: kept as an expression
        // the string link step folds (`{TopicOrderPlaced}`, `orders.{region}`).
        if let Some(expr) = strval::eval(ctx, node).filter(|v| !v.is_exact()).map(|v| v.render()) {
            emit_topic_expr(ctx, at, dir, bus, &expr, pattern);
        }
        return;
    }
    let named_at = constant_line(ctx, node);
    for topic in values {
        let before = ctx.facts.refs.len();
        emit_topic(ctx, seen, at, dir, bus, &topic);
        if let (Some(p), true) = (pattern, ctx.facts.refs.len() > before) {
            if let Some(r) = ctx.facts.refs.last_mut() {
                r.attrs.insert(PATTERN, p.to_string());
            }
        }
        mark_named_line(ctx, before, named_at);
    }
}

/// The line a same-file constant named by `n` (`HEARTBEAT_TOPIC`) is given its value on.
fn constant_line(ctx: &Ctx, n: TsNode) -> Option<u32> {
    if !matches!(n.kind(), "identifier" | "simple_identifier" | "constant" | "name") {
        return None;
    }
    let v = strval::lookup(ctx, n, ctx.text(n))?;
    Some(v.start_position().row as u32 + 1)
}

/// Records [`attr::NAMED_LINE`] on the reference [`emit_topic`] just added (if it added one).
fn mark_named_line(ctx: &mut Ctx, before: usize, line: Option<u32>) {
    let Some(line) = line else { return };
    if ctx.facts.refs.len() <= before {
        return;
    }
    if let Some(r) = ctx.facts.refs.last_mut() {
        if r.prov.span.is_some_and(|s| s.start_line != line) {
            r.attrs.insert(attr::NAMED_LINE, line.to_string());
        }
    }
}

/// Attribute on NATS-style request/reply references: `request` (a call awaiting a reply) or `reply`
/// (a subscription that answers).
pub const PATTERN: &str = "pattern";

/// The first element of a list built by a call (`listOf(t)`, `List.of(t)`, `Arrays.asList(t)`).
fn list_call_arg<'t>(ctx: &Ctx, n: TsNode<'t>) -> Option<TsNode<'t>> {
    if !matches!(n.kind(), "call_expression" | "method_invocation" | "invocation_expression" | "call") {
        return None;
    }
    let f = n
        .child_by_field_name("function")
        .or_else(|| n.child_by_field_name("name"))
        .or_else(|| n.named_child(0))
        .map(|f| last_segment(ctx.text(f)))?;
    if !matches!(f, "listOf" | "setOf" | "arrayOf" | "of" | "singletonList" | "singleton" | "asList" | "mutableListOf")
    {
        return None;
    }
    let args = n.child_by_field_name("arguments").or_else(|| {
        let mut c = n.walk();
        let found =
            n.named_children(&mut c).find(|c| matches!(c.kind(), "value_arguments" | "argument_list" | "call_suffix"));
        found
    })?;
    let a = args_of(ctx.src, args);
    a.positional.first().copied().or_else(|| {
        // Kotlin `call_suffix` wraps the value arguments.
        let mut c = args.walk();
        let va = args.named_children(&mut c).find(|c| c.kind() == "value_arguments")?;
        args_of(ctx.src, va).positional.first().copied()
    })
}

/// Topic names in a literal, a list of literals, or a dict of streams.
fn topic_values(ctx: &Ctx, n: TsNode) -> Vec<String> {
    let n =
        if matches!(n.kind(), "unary_expression" | "reference_expression") { n.named_child(0).unwrap_or(n) } else { n };
    match n.kind() {
        "list"
        | "array"
        | "array_expression"
        | "composite_literal"
        | "literal_value"
        | "array_creation_expression"
        | "implicit_array_creation_expression"
        | "collection_literal"
        | "element_value_array_initializer"
        | "dictionary"
        | "object" => {
            let mut out = Vec::new();
            walk(n, |x| {
                if x.parent().is_some_and(|p| p.kind() == "pair") && p_is_value(x) {
                    return;
                }
                if matches!(x.kind(), "string" | "string_literal" | "interpreted_string_literal" | "raw_string_literal")
                {
                    if let Some(v) = strval::eval(ctx, x).and_then(|v| v.exact()) {
                        if v != ">" && v != "$" && !v.is_empty() {
                            out.push(v);
                        }
                    }
                }
            });
            out.truncate(8);
            out
        }
        _ => strval::eval(ctx, n).and_then(|v| v.exact()).into_iter().filter(|s| !s.is_empty()).collect(),
    }
}

/// The elements of a list literal that name constants (not literals): their values when this file
/// knows them (`true`), else expressions to fold (`{READINGS_TOPIC}`); none unless every element is
/// a plain or qualified name.
fn named_list_elements(ctx: &Ctx, n: TsNode) -> Vec<(String, bool, Option<u32>)> {
    let n =
        if matches!(n.kind(), "unary_expression" | "reference_expression") { n.named_child(0).unwrap_or(n) } else { n };
    if !matches!(
        n.kind(),
        "list"
            | "array"
            | "array_expression"
            | "array_creation_expression"
            | "implicit_array_creation_expression"
            | "collection_literal"
            | "element_value_array_initializer"
    ) {
        return Vec::new();
    }
    let mut elems: Vec<TsNode> = Vec::new();
    let mut c = n.walk();
    for x in n.named_children(&mut c) {
        if matches!(x.kind(), "initializer_expression" | "array_initializer") {
            let mut c2 = x.walk();
            elems.extend(x.named_children(&mut c2));
        } else if !matches!(x.kind(), "array_type" | "type_identifier" | "predefined_type" | "comment") {
            elems.push(x);
        }
    }
    let names = |k: &str| {
        matches!(
            k,
            "identifier"
                | "member_expression"
                | "field_access"
                | "scoped_identifier"
                | "attribute"
                | "selector_expression"
                | "member_access_expression"
                | "navigation_expression"
                | "simple_identifier"
        )
    };
    if elems.is_empty() || elems.len() > 8 || !elems.iter().all(|e| names(e.kind())) {
        return Vec::new();
    }
    elems
        .iter()
        .filter_map(|e| strval::eval(ctx, *e).map(|v| (v.render(), v.is_exact(), constant_line(ctx, *e))))
        .collect()
}

fn p_is_value(x: TsNode) -> bool {
    x.parent().and_then(|p| p.child_by_field_name("value")).is_some_and(|v| v.id() == x.id())
}

pub(crate) fn emit_topic(
    ctx: &mut Ctx,
    seen: &mut HashSet<(NodeId, EdgeKind, String)>,
    at: TsNode,
    dir: Dir,
    bus: &str,
    topic: &str,
) {
    // ARNs and queue URLs: the name is the last segment.
    let name = if topic.starts_with("arn:") {
        topic.rsplit(':').next().unwrap_or(topic)
    } else if topic.starts_with("http") {
        topic.rsplit('/').next().unwrap_or(topic)
    } else {
        topic
    };
    if name.is_empty() || name.contains(char::is_whitespace) || name.len() > 200 {
        return;
    }
    // `${app.topics.order-placed}` (Spring), `{{ .Values.topic }}`, `{TicketCreated}`: configuration or
    // constants, folded at link time.
    if name.contains('{') {
        emit_topic_expr(ctx, at, dir, bus, name, None);
        return;
    }
    let b = Bnd::new(BndKind::Topic, name);
    if dir == Dir::Pub {
        let site = ctx.sites.publish.entry(at.id()).or_insert_with(|| PubSite {
            topics: Vec::new(),
            payload: PayloadArg::Any,
            bus: bus.to_string(),
        });
        if !site.topics.contains(&b) {
            site.topics.push(b);
        }
    } else {
        let v = ctx.sites.subscribe.entry(at.id()).or_default();
        if !v.contains(&b) {
            v.push(b);
        }
    }
    let from = ctx.owner_of(at);
    let span = ctx.span(at);
    let kind = if dir == Dir::Pub { EdgeKind::Publishes } else { EdgeKind::Subscribes };
    let r = Reference::key(from, kind, ns::TOPIC, name, ctx.inferred(span, 0.8)).with_attr(attr::BUS, bus);
    push(ctx, seen, r);
}

/// A subscription or publish found outside a call site (a handler class, a declared subject).
pub(crate) fn emit_topic_named(ctx: &mut Ctx, at: TsNode, dir: Dir, bus: &str, name: &str) {
    let mut seen = HashSet::new();
    emit_topic(ctx, &mut seen, at, dir, bus, name);
}

/// Namespace of topic references whose name is an expression (`{TopicOrderPlaced}`,
/// `${app.topics.placed}`, `orders.{region}`): the string link step folds constants and
/// configuration into them; what stays unresolved is a visible unresolved reference.
pub const NS_TOPIC_EXPR: &str = "topic-expr";

fn emit_topic_expr(ctx: &mut Ctx, at: TsNode, dir: Dir, bus: &str, expr: &str, pattern: Option<&str>) {
    if expr.is_empty() || expr.len() > 200 || expr.contains(char::is_whitespace) {
        return;
    }
    let b = Bnd::new(BndKind::Topic, expr);
    if dir == Dir::Pub {
        let site = ctx.sites.publish.entry(at.id()).or_insert_with(|| PubSite {
            topics: Vec::new(),
            payload: PayloadArg::Any,
            bus: bus.to_string(),
        });
        if !site.topics.contains(&b) {
            site.topics.push(b);
        }
    } else {
        let v = ctx.sites.subscribe.entry(at.id()).or_default();
        if !v.contains(&b) {
            v.push(b);
        }
    }
    let from = ctx.owner_of(at);
    let span = ctx.span(at);
    let kind = if dir == Dir::Pub { EdgeKind::Publishes } else { EdgeKind::Subscribes };
    let mut r = Reference::key(from, kind, NS_TOPIC_EXPR, expr, ctx.inferred(span, 0.7)).with_attr(attr::BUS, bus);
    if let Some(p) = pattern {
        r = r.with_attr(PATTERN, p);
    }
    ctx.add_wire_ref(r);
}

/// Listener annotations: `@KafkaListener(topics = "x")`, `@RabbitListener(queues = "q")`, `@SqsListener("q")`.
fn bus_annotations(ctx: &mut Ctx, root: &Nodes<'_>, seen: &mut HashSet<(NodeId, EdgeKind, String)>) {
    if !matches!(ctx.lang, Lang::Java | Lang::Kotlin | Lang::Python | Lang::TypeScript | Lang::Tsx) {
        return;
    }
    let defs: Vec<TsNode> = {
        let mut v = Vec::new();
        root.each(|n, _| {
            if ctx.def_at.contains_key(&(n.start_byte(), n.end_byte())) {
                v.push(n);
            }
        });
        v
    };
    for n in defs {
        for d in decorations(ctx, n) {
            let name = deco_name(ctx, d);
            let bus = match name.as_str() {
                "KafkaListener" => "kafka",
                "RabbitListener" => "rabbitmq",
                "SqsListener" => "sqs",
                "JmsListener" => "jms",
                "EventPattern" | "MessagePattern" => "nestjs",
                "EventuateDomainEventHandler" => "eventuate",
                _ => continue,
            };
            let Some(args) = deco_args(d) else { continue };
            let mut topics = Vec::new();
            walk(args, |x| {
                if matches!(x.kind(), "string_literal" | "string") {
                    if let Some(v) = strval::eval(ctx, x).and_then(|v| v.exact()) {
                        topics.push(v);
                    }
                }
            });
            // `groupId = "..."` and other attributes are strings too: keep the ones after topics/queues/value.
            let t = ctx.text(args);
            let keyed = t.contains("topics") || t.contains("queues") || t.contains("value") || t.contains("channel");
            if keyed {
                topics.retain(|tp| {
                    let at = t.find(&format!("\"{tp}\"")).unwrap_or(0);
                    let before = &t[..at];
                    let last_key =
                        before.rfind('=').map(|i| before[..i].trim_end().rsplit([' ', ',', '(']).next().unwrap_or(""));
                    matches!(last_key, Some("topics" | "queues" | "value" | "topicPattern" | "channel") | None)
                });
            }
            for tp in topics {
                emit_topic(ctx, seen, d, Dir::Sub, bus, &tp);
            }
            if let Some(bs) = ctx.sites.subscribe.get(&d.id()).cloned() {
                ctx.sites.listeners.entry((n.start_byte(), n.end_byte())).or_default().extend(bs);
            }
        }
    }
}

/// Go struct literals: sarama `ProducerMessage{Topic: "x"}`, kafka-go `Writer{Topic:}` /
/// `ReaderConfig{Topic:}`, confluent-kafka-go `TopicPartition{Topic: &topic}`, franz-go
/// `kgo.Record{Topic:}`.
fn bus_struct_literals(ctx: &mut Ctx, root: &Nodes<'_>, seen: &mut Seen, wrappers: &mut Vec<TopicWrapper>) {
    if ctx.lang != Lang::Go {
        return;
    }
    let mut lits = Vec::new();
    root.each(|n, kind| {
        if kind == "composite_literal" {
            lits.push(n);
        }
    });
    for n in lits {
        let written = n.child_by_field_name("type").map(|t| ctx.text(t)).unwrap_or_default();
        let ty = last_segment(written).to_string();
        let dir = match ty.as_str() {
            "ProducerMessage" | "Writer" | "Message" | "TopicPartition" => Dir::Pub,
            "Record" if written == "kgo.Record" => Dir::Pub,
            "ReaderConfig" | "ConsumerConfig" => Dir::Sub,
            _ => continue,
        };
        let Some(body) = n.child_by_field_name("body") else { continue };
        for (k, v) in object_pairs(ctx.src, body) {
            if k == "Topic" {
                // confluent-kafka-go takes the topic's address.
                let inner = if v.kind() == "literal_element" { v.named_child(0).unwrap_or(v) } else { v };
                let v = match inner.kind() {
                    "unary_expression" if ctx.text(inner).starts_with('&') => inner.named_child(0).unwrap_or(v),
                    _ => v,
                };
                // `kafka.Message{Topic: topic}` in a function taking `topic`: its callers say which. The
                // expression stays too: the flow analysis binds the payload at this site.
                if let Some((func, index)) = parameter_of_enclosing(ctx, v) {
                    wrappers.push(TopicWrapper { func, index, dir, bus: "kafka", pattern: None, flow_site: true });
                }
                match strval::eval(ctx, v) {
                    Some(t) if t.is_exact() => emit_topic(ctx, seen, n, dir, "kafka", &t.render()),
                    Some(t) => emit_topic_expr(ctx, n, dir, "kafka", &t.render(), None),
                    None => {}
                }
            }
        }
    }
}
