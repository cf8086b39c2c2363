//! Ruby on the wire. Routes served: Rails `config/routes.rb` (verbs with
//! `to:`, `root`, `match ... via:`, `resources`/`resource` with `only`/`except`,
//! nesting, `member`/`collection`, `namespace`/`scope` prefixes), Sinatra and
//! Grape (`get '/x' do`, `namespace`/`resource`/`route_param`, `prefix`,
//! path `version`). gRPC servers (`class S < X::Service`). Clients: Net::HTTP,
//! HTTParty, Faraday, RestClient, http.rb and client-named receivers; gRPC
//! `X::Stub.new` stubs; Bunny, Sneakers, ruby-kafka/rdkafka/Karafka, Redis and
//! NATS publish/subscribe.

use super::rest::{self, Resource};
use super::ruby::{literal, split_args};
use super::Nodes;
use crate::clients::{
    emit_http, emit_topic, http_method_word, implements, parameter_of_enclosing, push, Dir, Seen, TopicWrapper,
};
use crate::ctx::{last_segment, Ctx};
use crate::extract::CallSite;
use crate::routes::{emit_route, join_route};
use crate::strval;
use brain_model::attr::{self, ns};
use brain_model::{wire, EdgeKind, NodeId, Reference, Span};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node as TsNode;

const VERBS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options"];

/// A call node's parts: method name, receiver, argument list, block.
struct Call<'t> {
    method: String,
    receiver: Option<TsNode<'t>>,
    args: Option<TsNode<'t>>,
    block: Option<TsNode<'t>>,
}

fn call_parts<'t>(ctx: &Ctx, n: TsNode<'t>) -> Option<Call<'t>> {
    if n.kind() != "call" {
        return None;
    }
    Some(Call {
        method: ctx.text(n.child_by_field_name("method")?).to_string(),
        receiver: n.child_by_field_name("receiver"),
        args: n.child_by_field_name("arguments"),
        block: n.child_by_field_name("block"),
    })
}

/// The statements of a `do ... end` or `{ ... }` block.
fn block_statements<'t>(block: TsNode<'t>) -> Vec<TsNode<'t>> {
    let Some(body) = block.child_by_field_name("body") else { return Vec::new() };
    let mut c = body.walk();
    body.named_children(&mut c).collect()
}

/// Every route of the file.
pub fn routes(ctx: &mut Ctx, root: &Nodes<'_>, _calls: &[CallSite]) {
    let p = ctx.path;
    if p == "config/routes.rb" || p.ends_with("/config/routes.rb") || p.contains("config/routes/") {
        let mut c = root.root.walk();
        let tops: Vec<TsNode> = root.root.named_children(&mut c).collect();
        let scope = RailsScope::default();
        for t in tops {
            rails_statement(ctx, t, &scope, 0);
        }
        return;
    }
    if ctx.src.contains("Sinatra") || ctx.src.contains("sinatra") || ctx.src.contains("Grape") {
        dsl_routes(ctx, root);
    }
}

/// Where a routes.rb statement sits: the path prefix, and the resource it is nested in.
#[derive(Clone, Default)]
struct RailsScope {
    prefix: String,
    /// The enclosing `resources` collection path (for `member`/`collection` and `on:`).
    resource: Option<(String, bool)>,
    /// Controller module from `namespace :admin` / `scope module: "v1"` (`admin/v1`).
    module: String,
    /// The enclosing resource's controller (`get :preview` in it is `orders#preview`).
    controller: Option<String>,
}

impl RailsScope {
    fn handler(&self, controller: &str, action: &str) -> String {
        if self.module.is_empty() {
            format!("{controller}#{action}")
        } else {
            format!("{}/{controller}#{action}", self.module)
        }
    }
}

/// A Rails path without its optional groups (`/top(/:length(/page/:page))` is `/top`,
/// `/x(.:format)` is `/x`).
fn rails_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut depth = 0usize;
    for c in p.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn join_module(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

fn opt<'t>(named: &[(String, TsNode<'t>)], key: &str) -> Option<TsNode<'t>> {
    named.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}

/// Words of a symbol array, array or single literal (`%i[a b]`, `[:a, :b]`, `:a`).
fn words(ctx: &Ctx, n: TsNode) -> Vec<String> {
    if let Some(v) = literal(ctx, n) {
        return vec![v];
    }
    let mut out = Vec::new();
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        if let Some(v) = literal(ctx, ch) {
            out.push(v);
        }
    }
    out
}

fn rails_statement(ctx: &mut Ctx, n: TsNode, scope: &RailsScope, depth: u32) {
    if depth > 24 {
        return;
    }
    let Some(call) = call_parts(ctx, n) else {
        // `begin`/`if` wrappers and the like: look inside.
        let mut c = n.walk();
        let kids: Vec<TsNode> = n.named_children(&mut c).collect();
        for k in kids {
            if matches!(k.kind(), "call" | "body_statement" | "then" | "else" | "begin_block" | "if" | "unless") {
                rails_statement(ctx, k, scope, depth + 1);
            }
        }
        return;
    };
    let (pos, named) = split_args(ctx, call.args);
    let inner = |ctx: &mut Ctx, s: &RailsScope| {
        if let Some(b) = call.block {
            for st in block_statements(b) {
                rails_statement(ctx, st, s, depth + 1);
            }
        }
    };
    let first = pos.first().and_then(|a| literal(ctx, *a));
    match call.method.as_str() {
        "namespace" => {
            let name = first.clone().unwrap_or_default();
            let path = opt(&named, "path").and_then(|v| literal(ctx, v)).or(first).unwrap_or_default();
            let module = opt(&named, "module").and_then(|v| literal(ctx, v)).unwrap_or(name);
            let module = join_module(&scope.module, &module);
            inner(
                ctx,
                &RailsScope { prefix: join_route(&scope.prefix, &path), resource: None, module, controller: None },
            );
        }
        "scope" => {
            let path = opt(&named, "path")
                .and_then(|v| literal(ctx, v))
                .or(first.filter(|_| pos.first().is_some_and(|a| a.kind() == "string")));
            let prefix = match path {
                Some(p) => join_route(&scope.prefix, &p),
                None => scope.prefix.clone(),
            };
            let module = opt(&named, "module").and_then(|v| literal(ctx, v)).unwrap_or_default();
            let module = join_module(&scope.module, &module);
            inner(ctx, &RailsScope { prefix, module, ..scope.clone() });
        }
        "resources" | "resource" => {
            let singular = call.method == "resource";
            let only = opt(&named, "only").map(|v| words(ctx, v));
            let except = opt(&named, "except").map(|v| words(ctx, v)).unwrap_or_default();
            let path_opt = opt(&named, "path").and_then(|v| literal(ctx, v));
            let controller = opt(&named, "controller").and_then(|v| literal(ctx, v));
            for a in &pos {
                let Some(name) = literal(ctx, *a) else { continue };
                let base = join_route(&scope.prefix, path_opt.as_deref().unwrap_or(&name));
                let res = Resource {
                    base: base.clone(),
                    singular,
                    only: only.clone(),
                    except: except.clone(),
                    ..Default::default()
                };
                let ctrl =
                    controller.clone().unwrap_or_else(|| if singular { format!("{name}s") } else { name.clone() });
                for (action, method, path) in rest::expand(&res) {
                    let h = scope.handler(&ctrl, action);
                    rails_emit(ctx, method, &path, Some(&h), *a);
                }
                let prefix = rest::member_prefix(&base, singular);
                let module = scope.module.clone();
                inner(ctx, &RailsScope { prefix, resource: Some((base, singular)), module, controller: Some(ctrl) });
            }
        }
        "member" | "collection" => {
            let Some((base, singular)) = &scope.resource else { return };
            let prefix = if call.method == "member" && !singular { join_route(base, "{id}") } else { base.clone() };
            inner(ctx, &RailsScope { prefix, resource: None, ..scope.clone() });
        }
        "root" => {
            let h = first.or_else(|| opt(&named, "to").and_then(|v| literal(ctx, v)));
            let path = if scope.prefix.is_empty() { "/".to_string() } else { scope.prefix.clone() };
            rails_emit(ctx, "GET", &path, h.as_deref(), n);
        }
        m if VERBS.contains(&m) || m == "match" => {
            // `get 'path', to: 'c#a'`, `get 'path' => 'c#a'`, `get :action`, `match 'p', via: [:get, :post]`.
            let (path, mut h) = match pos.first() {
                Some(a) => (literal(ctx, *a), None),
                None => match named.first() {
                    Some((k, v)) if !matches!(k.as_str(), "to" | "via" | "on" | "as" | "controller" | "action") => {
                        (Some(k.clone()), literal(ctx, *v))
                    }
                    _ => (None, None),
                },
            };
            let Some(path) = path else { return };
            if let Some(to) = opt(&named, "to").and_then(|v| literal(ctx, v)) {
                h = Some(to);
            }
            // `namespace :mod do get "x" => "flagged#x"` routes to `mod/flagged#x`.
            if let Some(x) = h.as_mut().filter(|x| x.contains('#') && !x.contains('/') && !scope.module.is_empty()) {
                *x = format!("{}/{x}", scope.module);
            }
            // `get :preview` / `post "flag"` in a resource: its controller's action.
            if let (None, Some(ctrl)) = (&h, &scope.controller) {
                if path.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    h = Some(scope.handler(ctrl, &path));
                }
            }
            let prefix = match (opt(&named, "on").and_then(|v| literal(ctx, v)).as_deref(), &scope.resource) {
                (Some("collection"), Some((base, _))) => base.clone(),
                (Some("member"), Some((base, false))) => join_route(base, "{id}"),
                _ => scope.prefix.clone(),
            };
            let full = join_route(&prefix, &path);
            let methods: Vec<String> = if m == "match" {
                opt(&named, "via").map(|v| words(ctx, v)).unwrap_or_default().iter().map(|w| w.to_uppercase()).collect()
            } else {
                vec![m.to_uppercase()]
            };
            for meth in methods {
                let meth = if meth == "ALL" { "ANY".to_string() } else { meth };
                rails_emit(ctx, &meth, &full, h.as_deref(), n);
            }
        }
        // `concern`s are expanded where used (`concerns:`), which is not read: skip their bodies.
        "concern" | "mount" | "direct" | "resolve" => {}
        "draw" if call.block.is_none() => {}
        // `draw do`, `constraints`, `devise_scope`, `authenticate`, `defaults`, `controller`...: same scope.
        _ => inner(ctx, scope),
    }
}

fn rails_emit(ctx: &mut Ctx, method: &str, path: &str, handler: Option<&str>, at: TsNode) {
    let path = rails_path(path);
    let path = if path.starts_with('/') { path } else { format!("/{path}") };
    let from = Some(ctx.file_id.clone());
    emit_route(ctx, method, &path, handler, from, at);
}

/// Sinatra and Grape: `get '/x' do ... end` (Grape: `get ':id'`, `get do`) under
/// `namespace`/`resource(s)`/`group`/`segment`/`route_param` blocks and a class-level
/// `prefix` and path `version`.
fn dsl_routes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut found: Vec<(TsNode, String, Option<String>)> = Vec::new();
    root.each(|n, kind| {
        if kind != "call" {
            return;
        }
        let Some(call) = call_parts(ctx, n) else { return };
        if call.receiver.is_some() || call.block.is_none() || !VERBS.contains(&call.method.as_str()) {
            return;
        }
        let (pos, _) = split_args(ctx, call.args);
        let path = match pos.first() {
            Some(a) => match literal(ctx, *a) {
                Some(p) => Some(p),
                None => return,
            },
            None => None,
        };
        found.push((n, call.method.to_uppercase(), path));
    });
    for (n, method, path) in found {
        let prefix = dsl_prefix(ctx, n);
        let full = join_route(&prefix, path.as_deref().unwrap_or(""));
        let full = if full.starts_with('/') { full } else { format!("/{full}") };
        let from = Some(ctx.owner_of(n));
        emit_route(ctx, &method, &full, None, from, n);
    }
}

/// The prefix of enclosing Grape/Sinatra blocks and the class's `prefix`/`version`.
fn dsl_prefix(ctx: &Ctx, n: TsNode) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = n.parent();
    while let Some(p) = cur {
        if let Some(call) = call_parts(ctx, p).filter(|c| c.receiver.is_none() && c.block.is_some()) {
            let (pos, _) = split_args(ctx, call.args);
            let first = pos.first().and_then(|a| literal(ctx, *a));
            match call.method.as_str() {
                "namespace" | "resource" | "resources" | "group" | "segment" => parts.extend(first),
                "route_param" => parts.extend(first.map(|f| format!(":{f}"))),
                _ => {}
            }
        }
        if p.kind() == "class" {
            // Class-level `prefix :api` and `version 'v1', using: :path`, in reverse (we build outward).
            if let Some(body) = p.child_by_field_name("body") {
                let mut version = None;
                let mut prefix = None;
                let mut c = body.walk();
                for st in body.named_children(&mut c) {
                    let Some(call) = call_parts(ctx, st).filter(|c| c.receiver.is_none()) else { continue };
                    let (pos, named) = split_args(ctx, call.args);
                    match call.method.as_str() {
                        "prefix" => prefix = pos.first().and_then(|a| literal(ctx, *a)),
                        "version" => {
                            let using = opt(&named, "using").and_then(|v| literal(ctx, v));
                            if using.as_deref().is_none_or(|u| u == "path") {
                                version = pos.first().and_then(|a| literal(ctx, *a));
                            }
                        }
                        _ => {}
                    }
                }
                parts.extend(version);
                parts.extend(prefix);
            }
        }
        cur = p.parent();
    }
    parts.reverse();
    parts.iter().fold(String::new(), |acc, p| join_route(&acc, p))
}

/// Variables and instance variables bound to a call whose text starts with one of `heads`.
fn bound_to(ctx: &Ctx, root: &Nodes<'_>, heads: &[&str]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    root.each(|n, kind| {
        if kind != "assignment" && kind != "operator_assignment" {
            return;
        }
        let (Some(l), Some(r)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else { return };
        let rt = ctx.text(r);
        if let Some(h) = heads.iter().find(|h| rt.starts_with(*h)) {
            out.insert(ctx.text(l).to_string(), (*h).to_string());
        }
    });
    out
}

/// The gRPC service of a stub constructor `Pkg::OrderService::Stub.new(...)`.
fn stub_service(ctx: &Ctx, c: &CallSite) -> Option<String> {
    if ctx.text(c.callee) != "new" {
        return None;
    }
    let r = ctx.text(c.receiver?);
    let svc = r.strip_suffix("::Stub")?;
    Some(last_segment(svc).to_string()).filter(|s| !s.is_empty())
}

/// The variable a call's value is assigned to (`x = call`, `@x ||= call`).
fn assigned_to(ctx: &Ctx, n: TsNode) -> Option<String> {
    let p = n.parent().filter(|p| matches!(p.kind(), "assignment" | "operator_assignment"))?;
    Some(ctx.text(p.child_by_field_name("left")?).to_string())
}

/// HTTP, gRPC and bus calls of the file, and gRPC servers.
pub fn clients(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite], seen: &mut Seen) {
    grpc_servers(ctx, root, seen);
    let http_vars = bound_to(
        ctx,
        root,
        &["Faraday.new", "Faraday::Connection.new", "Net::HTTP.new", "Net::HTTP.start", "HTTPX", "HTTP.", "Excon.new"],
    );
    let queues = bound_queues(ctx, root);
    let httparty = ctx.src.contains("include HTTParty");
    let bases = base_urls(ctx, root);
    let mut stubs: HashMap<String, String> = HashMap::new();
    let mut wrappers = Vec::new();
    for c in calls {
        if let Some(svc) = stub_service(ctx, c) {
            if let Some(v) = assigned_to(ctx, c.node) {
                stubs.insert(v, svc);
            }
        }
    }
    for c in calls {
        let name = ctx.text(c.callee).to_string();
        let recv = c.receiver.map(|r| ctx.text(r)).unwrap_or("").to_string();
        if let Some(svc) = stubs.get(&recv).cloned() {
            let method = super::shape::apply_case(&name, "PascalCase");
            let from = ctx.owner_of(c.node);
            let span = ctx.span(c.node);
            let r = Reference::key(
                from,
                EdgeKind::Consumes,
                ns::GRPC,
                wire::grpc_key(&svc, &method),
                ctx.inferred(span, 0.8),
            )
            .with_attr(attr::PROTOCOL, "grpc");
            push(ctx, seen, r);
            continue;
        }
        http(ctx, c, &name, &recv, &http_vars, httparty, &bases, seen);
        bus(ctx, c, &name, &recv, &queues, seen, &mut wrappers);
    }
    crate::clients::wrapper_calls(ctx, calls, wrappers, seen);
    sneakers_and_karafka(ctx, root, seen);
}

/// Base URLs: Faraday connections (`conn = Faraday.new(url: "http://x/v1")`, by variable) and
/// the HTTParty class's `base_uri "http://x/v1"` (under the empty name).
fn base_urls(ctx: &Ctx, root: &Nodes<'_>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    root.each(|n, kind| {
        if kind != "call" {
            return;
        }
        let Some(call) = call_parts(ctx, n) else { return };
        let (pos, named) = split_args(ctx, call.args);
        let recv = call.receiver.map(|r| ctx.text(r)).unwrap_or("");
        let base = match (recv, call.method.as_str()) {
            ("", "base_uri") => pos.first().copied(),
            ("Faraday" | "Faraday::Connection", "new") => opt(&named, "url").or(pos.first().copied()),
            _ => None,
        };
        let Some(base) = base.and_then(|b| strval::eval(ctx, b)).and_then(|v| v.exact()) else { return };
        let name = if recv.is_empty() { Some(String::new()) } else { assigned_to(ctx, n) };
        if let Some(name) = name {
            out.insert(name, base);
        }
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn http(
    ctx: &mut Ctx,
    c: &CallSite,
    name: &str,
    recv: &str,
    http_vars: &HashMap<String, String>,
    httparty: bool,
    bases: &HashMap<String, String>,
    seen: &mut Seen,
) {
    let (pos, named) = split_args(ctx, c.args);
    let url_at = |i: usize| pos.get(i).and_then(|n| strval::eval(ctx, *n));
    match (recv, name) {
        ("Net::HTTP", "get" | "get_response" | "get_print" | "post" | "post_form") => {
            let m = if name.starts_with("post") { "POST" } else { "GET" };
            if let Some(u) = url_at(0) {
                emit_http(ctx, seen, c, m, &u, false);
            }
        }
        (r, "new") if r.starts_with("Net::HTTP::") => {
            if let (Some(m), Some(u)) = (http_method_word(last_segment(r)), url_at(0)) {
                emit_http(ctx, seen, c, m, &u, false);
            }
        }
        ("RestClient::Request", "execute") => {
            let m = opt(&named, "method").and_then(|v| literal(ctx, v)).and_then(|m| http_method_word(&m));
            let u = opt(&named, "url").and_then(|v| strval::eval(ctx, v));
            if let (Some(m), Some(u)) = (m, u) {
                emit_http(ctx, seen, c, m, &u, false);
            }
        }
        (r, verb) if VERBS.contains(&verb) => {
            let r_head = r.split(['.', '(']).next().unwrap_or(r);
            let known =
                matches!(r_head, "HTTParty" | "RestClient" | "HTTP" | "HTTPX" | "Faraday" | "Excon" | "Typhoeus")
                    || http_vars.contains_key(r)
                    || (httparty && (r.is_empty() || r == "self.class" || r == "self"))
                    || ruby_clientish(r);
            if !known || (r.is_empty() && !httparty) {
                return;
            }
            if let Some(u) = url_at(0).or_else(|| opt(&named, "url").and_then(|v| strval::eval(ctx, v))) {
                // HTTParty appends to its class's base_uri; Faraday resolves against its url.
                let own = httparty && (r.is_empty() || r == "self.class" || r == "self");
                let u = match (own, bases.get(if own { "" } else { r })) {
                    (_, Some(b)) => super::join_base(b, &u, own),
                    (_, None) => u,
                };
                emit_http(ctx, seen, c, &verb.to_uppercase(), &u, true);
            }
        }
        _ => {}
    }
}

/// Receivers named like HTTP clients (`@client`, `api`, `http`, `conn`), not the Rails request or session.
fn ruby_clientish(r: &str) -> bool {
    let l = r.trim_start_matches('@').to_ascii_lowercase();
    if l.is_empty()
        || ["request", "session", "params", "cache", "redis", "headers", "cookies"].iter().any(|k| l.contains(k))
    {
        return false;
    }
    crate::clients::clientish(&l) || matches!(l.as_str(), "conn" | "connection" | "faraday")
}

/// Variables bound to Bunny queues and exchanges: `q = ch.queue("orders")`, `x = ch.topic("events")`.
fn bound_queues(ctx: &Ctx, root: &Nodes<'_>) -> HashMap<String, (bool, String)> {
    let mut out = HashMap::new();
    root.each(|n, kind| {
        if kind != "assignment" {
            return;
        }
        let (Some(l), Some(r)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else { return };
        let Some(call) = call_parts(ctx, r) else { return };
        let is_queue = call.method == "queue";
        if !is_queue && !matches!(call.method.as_str(), "topic" | "fanout" | "direct" | "exchange") {
            return;
        }
        let (pos, _) = split_args(ctx, call.args);
        if let Some(name) = pos.first().and_then(|a| strval::eval(ctx, *a)).and_then(|v| v.exact()) {
            out.insert(ctx.text(l).to_string(), (is_queue, name));
        }
    });
    out
}

fn bus_of(recv: &str) -> Option<&'static str> {
    let r = recv.to_ascii_lowercase();
    if r.contains("kafka") || r.contains("producer") || r.contains("consumer") {
        Some("kafka")
    } else if r.contains("redis") {
        Some("redis")
    } else if r.contains("nats") {
        Some("nats")
    } else {
        None
    }
}

fn bus(
    ctx: &mut Ctx,
    c: &CallSite,
    name: &str,
    recv: &str,
    queues: &HashMap<String, (bool, String)>,
    seen: &mut Seen,
    wrappers: &mut Vec<TopicWrapper>,
) {
    let (pos, named) = split_args(ctx, c.args);
    // `def publish(routing_key, payload) @exchange.publish(.., routing_key: routing_key)`: the key is
    // whatever the wrapper's callers pass.
    if name == "publish" {
        if let Some((func, index)) = opt(&named, "routing_key").and_then(|k| parameter_of_enclosing(ctx, k)) {
            wrappers.push(TopicWrapper {
                func,
                index,
                dir: Dir::Pub,
                bus: "rabbitmq",
                pattern: None,
                flow_site: false,
            });
            return;
        }
    }
    let exact =
        |n: Option<TsNode>| n.and_then(|n| strval::eval(ctx, n)).and_then(|v| v.exact()).filter(|s| !s.is_empty());
    let (dir, bus, topics): (Dir, &str, Vec<String>) = match name {
        // Bunny: `exchange.publish(payload, routing_key: "x")`; the exchange's name when the key is unknown.
        "publish" if opt(&named, "routing_key").is_some() || queues.contains_key(recv) => {
            let key = exact(opt(&named, "routing_key"));
            let exchange = queues.get(recv).filter(|(q, _)| !q).map(|(_, n)| n.clone());
            (Dir::Pub, "rabbitmq", key.or(exchange).into_iter().collect())
        }
        // ruby-kafka `producer.produce(payload, topic: "x")`, `deliver_message`; rdkafka `produce(topic: "x")`.
        "produce" | "deliver_message" | "produce_async" | "produce_sync" if opt(&named, "topic").is_some() => {
            (Dir::Pub, "kafka", exact(opt(&named, "topic")).into_iter().collect())
        }
        "subscribe" => {
            if let Some((true, q)) = queues.get(recv) {
                (Dir::Sub, "rabbitmq", vec![q.clone()])
            } else if let Some(q) = c.receiver.and_then(|r| call_parts(ctx, r)).filter(|r| r.method == "queue") {
                let (qpos, _) = split_args(ctx, q.args);
                (Dir::Sub, "rabbitmq", exact(qpos.first().copied()).into_iter().collect())
            } else if let Some(b) = bus_of(recv) {
                (Dir::Sub, b, pos.iter().filter_map(|a| exact(Some(*a))).collect())
            } else {
                return;
            }
        }
        "publish" => match bus_of(recv) {
            Some(b) if b != "kafka" => (Dir::Pub, b, exact(pos.first().copied()).into_iter().collect()),
            _ => return,
        },
        _ => return,
    };
    for t in topics {
        emit_topic(ctx, seen, c.node, dir, bus, &t);
    }
}

/// Sneakers workers (`from_queue "orders"`) and Karafka routes (`topic :orders do consumer X end`).
fn sneakers_and_karafka(ctx: &mut Ctx, root: &Nodes<'_>, seen: &mut Seen) {
    let mut found: Vec<(TsNode, &'static str, String)> = Vec::new();
    root.each(|n, kind| {
        if kind != "call" {
            return;
        }
        let Some(call) = call_parts(ctx, n).filter(|c| c.receiver.is_none()) else { return };
        let (pos, _) = split_args(ctx, call.args);
        let Some(name) = pos.first().and_then(|a| literal(ctx, *a)) else { return };
        match call.method.as_str() {
            "from_queue" => found.push((n, "rabbitmq", name)),
            "topic" if call.block.is_some_and(|b| ctx.text(b).contains("consumer")) => found.push((n, "kafka", name)),
            _ => {}
        }
    });
    for (n, bus, name) in found {
        emit_topic(ctx, seen, n, Dir::Sub, bus, &name);
    }
}

/// `class OrderServer < Orders::OrderService::Service`: implements gRPC service `OrderService`.
fn grpc_servers(ctx: &mut Ctx, root: &Nodes<'_>, seen: &mut Seen) {
    let mut found: Vec<(TsNode, String)> = Vec::new();
    root.each(|n, kind| {
        if kind != "class" {
            return;
        }
        let Some(sup) = n.child_by_field_name("superclass").and_then(|s| s.named_child(0)) else { return };
        if let Some(svc) = ctx.text(sup).strip_suffix("::Service") {
            found.push((n, last_segment(svc).to_string()));
        }
    });
    let mut done: HashSet<String> = HashSet::new();
    for (n, svc) in found {
        // For the flow analysis: the class's rpc methods serve the service.
        if let Some(nm) = n.child_by_field_name("name") {
            ctx.sites.grpc_servers.insert(last_segment(ctx.text(nm)).to_string(), svc.clone());
        }
        if svc.is_empty() || !done.insert(svc.clone()) {
            continue;
        }
        let from = ctx
            .def_at
            .get(&(n.start_byte(), n.end_byte()))
            .map(|i| ctx.defs[*i].id.clone())
            .unwrap_or_else(|| NodeId::clone(&ctx.file_id));
        let span = ctx.span(n);
        implements(ctx, seen, from, &svc, Span::line(span.start_line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clientish_receivers() {
        assert!(ruby_clientish("@client") && ruby_clientish("conn") && ruby_clientish("api"));
        assert!(!ruby_clientish("request") && !ruby_clientish("session") && !ruby_clientish(""));
        assert_eq!(bus_of("$redis"), Some("redis"));
        assert_eq!(rails_path("/top(/:length(/page/:page))"), "/top");
        assert_eq!(rails_path("/domain/:id(.:format)"), "/domain/:id");
    }
}
