//! PHP on the wire. Routes served: Laravel (`Route::get`, `Route::resource`,
//! `prefix(...)->group(...)`, `routes/api.php` under `/api`), Slim and Lumen
//! (`$app->get`, `$router->group`), Symfony `#[Route]` attributes and
//! `@Route` annotations. Clients: Guzzle and Laravel `Http::` calls, PSR-7
//! `new Request(...)`, `file_get_contents`, curl; gRPC `new XClient(...)`
//! stubs; php-amqplib and php-rdkafka publish/consume.

use super::rest::{self, Resource};
use super::{deco_name, decorations, walk, Nodes};
use crate::clients::{emit_http, emit_topic, http_method_word, push, Dir, Seen};
use crate::ctx::{args_of, last_segment, Args, Ctx};
use crate::extract::CallSite;
use crate::routes::{emit_route, join_route};
use crate::strval;
use brain_model::attr::{self, ns};
use brain_model::{wire, EdgeKind, Reference};
use std::collections::HashMap;
use tree_sitter::Node as TsNode;

/// A variable or property as a key (`$client`, `$this->client` give `client`).
fn var_key(t: &str) -> &str {
    let t = t.trim().trim_start_matches('$');
    t.strip_prefix("this->").or_else(|| t.strip_prefix("this?->")).unwrap_or(t)
}

fn callee<'a>(ctx: &Ctx<'a>, c: &CallSite) -> &'a str {
    ctx.text(c.callee)
}

fn recv<'a>(ctx: &Ctx<'a>, c: &CallSite) -> &'a str {
    c.receiver.map(|r| ctx.text(r)).unwrap_or("")
}

fn string_at(ctx: &Ctx, args: &Args, i: usize) -> Option<String> {
    args.positional.get(i).and_then(|n| strval::eval(ctx, *n)).and_then(|v| v.exact())
}

/// String values of an array literal (`['GET', 'POST']`).
fn strings_in(ctx: &Ctx, n: TsNode) -> Vec<String> {
    let mut out = Vec::new();
    walk(n, |x| {
        if matches!(x.kind(), "string" | "encapsed_string") {
            if let Some(v) = strval::eval(ctx, x).and_then(|v| v.exact()) {
                out.push(v);
            }
        }
    });
    out
}

/// `'key' => value` pairs of an array literal.
fn array_pairs<'t>(ctx: &Ctx, n: TsNode<'t>) -> Vec<(String, TsNode<'t>)> {
    let mut out = Vec::new();
    if n.kind() != "array_creation_expression" {
        return out;
    }
    let mut c = n.walk();
    for el in n.named_children(&mut c) {
        if el.named_child_count() == 2 {
            if let (Some(k), Some(v)) = (el.named_child(0), el.named_child(1)) {
                if let Some(key) = strval::eval(ctx, k).and_then(|s| s.exact()) {
                    out.push((key, v));
                }
            }
        }
    }
    out
}

/// The handler of a route as written: `[C::class, 'm']` gives `C@m`, `'C@m'` itself, `C::class` gives `C`.
fn handler(ctx: &Ctx, n: TsNode) -> Option<String> {
    match n.kind() {
        "array_creation_expression" => {
            let mut c = n.walk();
            let els: Vec<TsNode> = n.named_children(&mut c).filter_map(|e| e.named_child(0)).collect();
            let class = els.first().map(|e| ctx.text(*e).trim_end_matches("::class").to_string())?;
            let method = els.get(1).and_then(|m| strval::eval(ctx, *m)).and_then(|v| v.exact());
            Some(match method {
                Some(m) => format!("{}@{m}", last_segment(&class.replace('\\', "."))),
                None => class,
            })
        }
        "string" | "encapsed_string" => strval::eval(ctx, n).and_then(|v| v.exact()),
        "class_constant_access_expression" => Some(ctx.text(n).trim_end_matches("::class").to_string()),
        _ => None,
    }
}

/// Route prefixes of enclosing groups, outermost first: Laravel `Route::prefix('v1')->group(...)`
/// and `Route::group(['prefix' => 'v1'], ...)`, Slim `$app->group('/v1', ...)`, Lumen alike.
fn group_prefix(ctx: &Ctx, call: TsNode) -> String {
    let mut prefixes: Vec<String> = Vec::new();
    let mut cur = call.parent();
    while let Some(p) = cur {
        if matches!(p.kind(), "member_call_expression" | "scoped_call_expression")
            && p.child_by_field_name("name").is_some_and(|n| ctx.text(n) == "group")
        {
            let mut found: Vec<String> = Vec::new();
            if let Some(args) = p.child_by_field_name("arguments") {
                let a = args_of(ctx.src, args);
                if let Some(first) = a.positional.first() {
                    match first.kind() {
                        "array_creation_expression" => {
                            if let Some((_, v)) = array_pairs(ctx, *first).into_iter().find(|(k, _)| k == "prefix") {
                                found.extend(strval::eval(ctx, v).and_then(|s| s.exact()));
                            }
                        }
                        _ => found.extend(strval::eval(ctx, *first).and_then(|s| s.exact())),
                    }
                }
            }
            found.extend(chain_prefix(ctx, p.child_by_field_name("object").or_else(|| p.child_by_field_name("scope"))));
            prefixes.extend(found.into_iter().rev());
        }
        cur = p.parent();
    }
    prefixes.reverse();
    prefixes.iter().fold(String::new(), |acc, p| join_route(&acc, p))
}

/// `prefix('x')` calls in a receiver chain (`Route::prefix('v1')->middleware('auth')`).
fn chain_prefix(ctx: &Ctx, mut n: Option<TsNode>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(x) = n.filter(|x| matches!(x.kind(), "member_call_expression" | "scoped_call_expression")) {
        if x.child_by_field_name("name").is_some_and(|m| ctx.text(m) == "prefix") {
            if let Some(a) = x.child_by_field_name("arguments") {
                out.extend(string_at(ctx, &args_of(ctx.src, a), 0));
            }
        }
        n = x.child_by_field_name("object").or_else(|| x.child_by_field_name("scope"));
    }
    out.reverse();
    out
}

/// Text without what is inside parentheses and brackets (`Route::prefix('v1')->x()` gives `Route::prefix->x`).
fn without_args(r: &str) -> String {
    let mut l = String::with_capacity(r.len());
    let mut depth = 0usize;
    for c in r.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => l.push(c),
            _ => {}
        }
    }
    l
}

/// `Route`, `\Illuminate\Support\Facades\Route`, or a registrar chain on it
/// (`Route::prefix('v1')->middleware('auth')`), not `Route::getRoutes()`.
fn laravel_receiver(r: &str) -> bool {
    let l = without_args(r);
    let mut segs = l.split("->").flat_map(|s| s.split("::"));
    let head = segs.next().unwrap_or("");
    head.rsplit('\\').next() == Some("Route")
        && segs.all(|s| {
            matches!(
                s,
                "prefix"
                    | "middleware"
                    | "withoutMiddleware"
                    | "name"
                    | "as"
                    | "domain"
                    | "controller"
                    | "namespace"
                    | "where"
                    | "whereNumber"
                    | "whereUuid"
                    | "scopeBindings"
                    | "can"
            )
        })
}

fn router_receiver(r: &str) -> bool {
    let k = var_key(r);
    let k = k.rsplit("->").next().unwrap_or(k);
    r.starts_with('$')
        && matches!(k, "app" | "router" | "group" | "route" | "routes" | "r" | "api" | "proxy" | "collector" | "slim")
}

/// Every route of the file.
pub fn routes(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite]) {
    symfony_routes(ctx, root);
    let file_prefix = if ctx.path == "routes/api.php" || ctx.path.ends_with("/routes/api.php") { "/api" } else { "" };
    for c in calls {
        let name = callee(ctx, c).to_string();
        let r = recv(ctx, c).to_string();
        let laravel = laravel_receiver(&r);
        if !laravel && !router_receiver(&r) {
            continue;
        }
        let Some(args_node) = c.args else { continue };
        let args = args_of(ctx.src, args_node);
        let prefix = join_route(file_prefix, &group_prefix(ctx, c.node));
        let prefix = chain_prefix(ctx, c.receiver).iter().fold(prefix, |acc, p| join_route(&acc, p));
        let lower = name.to_ascii_lowercase();
        let (methods, path_at): (Vec<String>, usize) = match lower.as_str() {
            "get" | "post" | "put" | "patch" | "delete" | "options" => (vec![lower.to_uppercase()], 0),
            "any" | "map" if laravel || name == "any" => (vec!["ANY".into()], 0),
            "view" if laravel => (vec!["GET".into()], 0),
            "match" | "map" => {
                let ms = args.positional.first().map(|a| strings_in(ctx, *a)).unwrap_or_default();
                (ms.iter().filter_map(|m| http_method_word(m)).map(str::to_string).collect(), 1)
            }
            "resource" | "apiresource" | "resources" | "apiresources" if laravel => {
                laravel_resources(ctx, c, &args, &prefix, lower.starts_with("api"));
                continue;
            }
            _ => continue,
        };
        let Some(path) = string_at(ctx, &args, path_at) else { continue };
        if !laravel && args.positional.len() < path_at + 2 {
            continue;
        }
        let h = args.positional.get(path_at + 1).and_then(|h| handler(ctx, *h));
        let full = join_route(&prefix, &path);
        let full = if full.starts_with('/') { full } else { format!("/{full}") };
        let from = Some(ctx.owner_of(c.node));
        for m in methods {
            emit_route(ctx, &m, &full, h.as_deref(), from.clone(), c.node);
        }
    }
}

/// `Route::resource('photos', C::class)` (seven routes, `->only([...])`/`->except([...])`),
/// `apiResource` (no forms), nested `photos.comments`, `Route::resources([...])`.
fn laravel_resources(ctx: &mut Ctx, c: &CallSite, args: &Args, prefix: &str, api: bool) {
    let mut decls: Vec<(String, Option<String>)> = Vec::new();
    match args.positional.first() {
        Some(a) if a.kind() == "array_creation_expression" => {
            for (k, v) in array_pairs(ctx, *a) {
                decls.push((k, handler(ctx, v)));
            }
        }
        Some(a) => {
            if let Some(name) = strval::eval(ctx, *a).and_then(|v| v.exact()) {
                decls.push((name, args.positional.get(1).and_then(|h| handler(ctx, *h))));
            }
        }
        None => {}
    }
    // Filters chained on the pending registration: `->only([...])`, `->except([...])`.
    let (mut only, mut except) = (None, Vec::new());
    let mut up = c.node.parent();
    while let Some(p) = up.filter(|p| p.kind() == "member_call_expression") {
        let m = p.child_by_field_name("name").map(|n| ctx.text(n)).unwrap_or("");
        let vals = p.child_by_field_name("arguments").map(|a| strings_in(ctx, a)).unwrap_or_default();
        match m {
            "only" => only = Some(vals),
            "except" => except = vals,
            _ => {}
        }
        up = p.parent();
    }
    if let Some(opts) = args.positional.get(2) {
        for (k, v) in array_pairs(ctx, *opts) {
            match k.as_str() {
                "only" => only = Some(strings_in(ctx, v)),
                "except" => except = strings_in(ctx, v),
                _ => {}
            }
        }
    }
    let from = Some(ctx.owner_of(c.node));
    for (name, h) in decls {
        let mut segs: Vec<&str> = name.split('.').filter(|s| !s.is_empty()).collect();
        let Some(last) = segs.pop() else { continue };
        let base = segs.iter().fold(prefix.to_string(), |acc, s| rest::member_prefix(&join_route(&acc, s), false));
        let res = Resource {
            base: join_route(&base, last),
            api,
            laravel: true,
            only: only.clone(),
            except: except.clone(),
            ..Default::default()
        };
        for (action, method, path) in rest::expand(&res) {
            let path = if path.starts_with('/') { path } else { format!("/{path}") };
            let handler = h.as_ref().map(|h| format!("{h}@{action}"));
            emit_route(ctx, method, &path, handler.as_deref(), from.clone(), c.node);
        }
    }
}

/// Symfony: `#[Route('/x', methods: ['GET'])]` or `@Route("/x", methods={"GET"})` on
/// controller methods, under the class's own `Route` prefix.
fn symfony_routes(ctx: &mut Ctx, root: &Nodes<'_>) {
    if !ctx.src.contains("Route") {
        return;
    }
    let mut classes = Vec::new();
    root.each(|n, kind| {
        if kind == "class_declaration" {
            classes.push(n);
        }
    });
    for cls in classes {
        let class_name = cls.child_by_field_name("name").map(|n| ctx.text(n).to_string()).unwrap_or_default();
        let prefix = route_spec(ctx, cls).map(|(p, _)| p).unwrap_or_default();
        let Some(body) = cls.child_by_field_name("body") else { continue };
        let mut c = body.walk();
        let methods: Vec<TsNode> = body.named_children(&mut c).filter(|m| m.kind() == "method_declaration").collect();
        for m in methods {
            let Some((path, verbs)) = route_spec(ctx, m) else { continue };
            let full = join_route(&prefix, &path);
            let full = if full.starts_with('/') { full } else { format!("/{full}") };
            let name = m.child_by_field_name("name").map(|n| ctx.text(n)).unwrap_or("");
            let h = format!("{class_name}::{name}");
            let from = ctx.def_at.get(&(m.start_byte(), m.end_byte())).map(|i| ctx.defs[*i].id.clone());
            let verbs = if verbs.is_empty() { vec!["ANY".to_string()] } else { verbs };
            for v in verbs {
                emit_route(ctx, &v, &full, Some(&h), from.clone(), m);
            }
        }
    }
}

/// The path and methods of a `Route` attribute or docblock annotation on a declaration.
fn route_spec(ctx: &Ctx, n: TsNode) -> Option<(String, Vec<String>)> {
    for a in decorations(ctx, n) {
        if deco_name(ctx, a) != "Route" {
            continue;
        }
        let args = a.child_by_field_name("parameters").map(|p| args_of(ctx.src, p))?;
        let path_node =
            args.named.iter().find(|(k, _)| k == "path").map(|(_, v)| *v).or(args.positional.first().copied());
        let path = path_node.and_then(|p| strval::eval(ctx, p)).and_then(|v| v.exact()).unwrap_or_default();
        let verbs = args
            .named
            .iter()
            .find(|(k, _)| k == "methods")
            .map(|(_, v)| strings_in(ctx, *v))
            .unwrap_or_default()
            .iter()
            .filter_map(|m| http_method_word(m))
            .map(str::to_string)
            .collect();
        return Some((path, verbs));
    }
    let doc = super::php::docblock(ctx, n)?;
    let i = doc.find("@Route(")?;
    let rest = &doc[i + 7..];
    let end = rest.find(')').unwrap_or(rest.len());
    let inner = &rest[..end];
    let path = inner.split('"').nth(1).unwrap_or("").to_string();
    let verbs = inner
        .find("methods")
        .map(|j| {
            let t = &inner[j..];
            let t = t.split(['}', ']']).next().unwrap_or(t);
            t.split('"').filter_map(http_method_word).map(str::to_string).collect()
        })
        .unwrap_or_default();
    Some((path, verbs))
}

/// Receivers that are HTTP clients in PHP (`$client`, `$this->http`, `Http::`, `$guzzle`),
/// not the incoming request, the session or a container.
fn php_clientish(r: &str) -> bool {
    // The object a chain starts from and the last property before the call, without arguments:
    // `Http::asForm()->withBasicAuth($this->config[...])` is `Http` and `withBasicAuth`.
    let l = without_args(r).to_ascii_lowercase();
    let segs: Vec<&str> = l.split("->").flat_map(|s| s.split("::")).map(str::trim).collect();
    let head = segs.first().copied().unwrap_or("").trim_start_matches(['$', '\\']);
    let head = if head == "this" { segs.get(1).copied().unwrap_or("") } else { head };
    let last = segs.last().copied().unwrap_or("");
    let excluded = ["request", "session", "container", "cache", "config", "repository", "collection"];
    if [head, last].iter().any(|s| excluded.iter().any(|k| s.contains(k))) {
        return false;
    }
    [head, last].iter().any(|s| ["http", "client", "guzzle", "api", "rest"].iter().any(|k| s.contains(k)))
}

/// HTTP, gRPC and bus calls of the file.
pub fn clients(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite], seen: &mut Seen) {
    let stubs = grpc_stubs(ctx, root, calls);
    let bases = base_uris(ctx, calls);
    for c in calls {
        let Some(args_node) = c.args else { continue };
        let name = callee(ctx, c).to_string();
        let r = recv(ctx, c).to_string();
        let args = args_of(ctx.src, args_node);
        if let Some(svc) = c.receiver.and_then(|_| stubs.get(var_key(&r))) {
            let from = ctx.owner_of(c.node);
            let span = ctx.span(c.node);
            let key = wire::grpc_key(svc, &name);
            let rf = Reference::key(from, EdgeKind::Consumes, ns::GRPC, key, ctx.inferred(span, 0.8))
                .with_attr(attr::PROTOCOL, "grpc");
            push(ctx, seen, rf);
            continue;
        }
        let verb = name.strip_suffix("Async").unwrap_or(&name);
        match verb {
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options" if c.receiver.is_some() => {
                let client = bases.contains_key(var_key(&r)) || php_clientish(&r);
                if client && !router_receiver(&r) && !laravel_receiver(&r) {
                    if let Some(u) = args.positional.first().and_then(|n| strval::eval(ctx, *n)) {
                        emit_http(ctx, seen, c, &verb.to_uppercase(), &with_base(&bases, &r, u), true);
                    }
                }
            }
            "request" | "send" if c.receiver.is_some() && (bases.contains_key(var_key(&r)) || php_clientish(&r)) => {
                let m = string_at(ctx, &args, 0).and_then(|m| http_method_word(&m));
                if let (Some(m), Some(u)) = (m, args.positional.get(1).and_then(|n| strval::eval(ctx, *n))) {
                    emit_http(ctx, seen, c, m, &with_base(&bases, &r, u), true);
                }
            }
            // PSR-7 `new Request('POST', 'http://...')` (Guzzle, Nyholm, Laminas).
            "Request" if c.node.kind() == "object_creation_expression" => {
                let m = string_at(ctx, &args, 0).and_then(|m| http_method_word(&m));
                if let (Some(m), Some(u)) = (m, args.positional.get(1).and_then(|n| strval::eval(ctx, *n))) {
                    emit_http(ctx, seen, c, m, &u, false);
                }
            }
            "file_get_contents" | "fopen" if c.receiver.is_none() => {
                if let Some(u) = args.positional.first().and_then(|n| strval::eval(ctx, *n)) {
                    if u.parts.first().is_some_and(|p| matches!(p, strval::Part::Lit(l) if l.starts_with("http"))) {
                        emit_http(ctx, seen, c, "GET", &u, false);
                    }
                }
            }
            "curl_init" if c.receiver.is_none() => curl(ctx, c, &args, seen),
            _ => bus(ctx, c, &name, &r, &args, seen),
        }
    }
}

/// Variables holding Guzzle clients (`$inventory = new Client([...])`), with their
/// `base_uri` (empty without one).
fn base_uris(ctx: &Ctx, calls: &[CallSite]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in calls {
        if c.node.kind() != "object_creation_expression" || ctx.text(c.callee) != "Client" {
            continue;
        }
        let opts = c.args.and_then(|a| args_of(ctx.src, a).positional.first().copied());
        let base = opts
            .and_then(|o| array_pairs(ctx, o).into_iter().find(|(k, _)| k == "base_uri"))
            .and_then(|(_, v)| strval::eval(ctx, v))
            .and_then(|s| s.exact())
            .unwrap_or_default();
        let Some(p) = c.node.parent().filter(|p| p.kind() == "assignment_expression") else { continue };
        if let Some(l) = p.child_by_field_name("left") {
            out.insert(var_key(ctx.text(l)).to_string(), base);
        }
    }
    out
}

/// A call's URL against its client's `base_uri`.
fn with_base(bases: &HashMap<String, String>, recv: &str, url: strval::StrVal) -> strval::StrVal {
    match bases.get(var_key(recv)).filter(|b| !b.is_empty()) {
        Some(b) => super::join_base(b, &url, false),
        None => url,
    }
}

/// `$ch = curl_init($url)`: the method from `curl_setopt($ch, CURLOPT_CUSTOMREQUEST, 'PUT')`,
/// `CURLOPT_POST` or a `curl_setopt_array` in the same function; the URL from `curl_init` or `CURLOPT_URL`.
fn curl(ctx: &mut Ctx, c: &CallSite, args: &Args, seen: &mut Seen) {
    let handle =
        c.node.parent().filter(|p| p.kind() == "assignment_expression").and_then(|p| p.child_by_field_name("left"));
    let handle = handle.map(|h| ctx.text(h).to_string()).unwrap_or_default();
    let scope =
        ctx.enclosing_def(c.node, false).map(|i| (ctx.defs[i].start, ctx.defs[i].end)).unwrap_or((0, ctx.src.len()));
    let mut url = args.positional.first().and_then(|n| strval::eval(ctx, *n));
    let mut method = "GET".to_string();
    // The options set on this handle, read from the syntax tree of the enclosing scope.
    let root = {
        let mut r = c.node;
        while let Some(p) = r.parent() {
            r = p;
        }
        r
    };
    let scope_node = root.descendant_for_byte_range(scope.0, scope.1).unwrap_or(root);
    let mut opts: Vec<(String, TsNode)> = Vec::new();
    walk(scope_node, |n| {
        if n.kind() != "function_call_expression" {
            return;
        }
        let f = n.child_by_field_name("function").map(|f| ctx.text(f)).unwrap_or("");
        let Some(a) = n.child_by_field_name("arguments") else { return };
        let a = args_of(ctx.src, a);
        let on_handle = a.positional.first().is_some_and(|h| handle.is_empty() || ctx.text(*h) == handle);
        if !on_handle {
            return;
        }
        match f {
            "curl_setopt" if a.positional.len() >= 3 => {
                opts.push((ctx.text(a.positional[1]).to_string(), a.positional[2]));
            }
            "curl_setopt_array" if a.positional.len() >= 2 => {
                let arr = a.positional[1];
                let mut cc = arr.walk();
                for el in arr.named_children(&mut cc) {
                    if let (Some(k), Some(v)) = (el.named_child(0), el.named_child(1)) {
                        opts.push((ctx.text(k).to_string(), v));
                    }
                }
            }
            _ => {}
        }
    });
    for (k, v) in opts {
        match k.trim_start_matches('\\') {
            "CURLOPT_URL" => url = strval::eval(ctx, v).or(url),
            "CURLOPT_CUSTOMREQUEST" => {
                if let Some(m) = strval::eval(ctx, v).and_then(|s| s.exact()).and_then(|m| http_method_word(&m)) {
                    method = m.to_string();
                }
            }
            "CURLOPT_POST" if ctx.text(v) != "false" && method == "GET" => method = "POST".into(),
            _ => {}
        }
    }
    if let Some(u) = url {
        emit_http(ctx, seen, c, &method, &u, false);
    }
}

/// The service of a generated gRPC client class name (`OrderServiceClient` gives `OrderService`),
/// not of HTTP, SOAP or cache clients.
fn grpc_client_service(class: &str) -> Option<&str> {
    let class = class.rsplit('\\').next().unwrap_or(class);
    let svc = class.strip_suffix("Client").filter(|s| !s.is_empty())?;
    let l = svc.to_ascii_lowercase();
    (!["http", "guzzle", "soap", "redis", "rest", "api", "s3", "sqs", "sns", "mail"].iter().any(|k| l.ends_with(k)))
        .then_some(svc)
}

/// Variables and properties holding gRPC clients, in a file that speaks gRPC (`Grpc\...` or
/// `->wait()` on a call): `$c = new OrderServiceClient($host, [...])`, or a typed property or
/// (promoted) parameter `OrderServiceClient $orders`.
fn grpc_stubs(ctx: &Ctx, root: &Nodes<'_>, calls: &[CallSite]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if !(ctx.src.contains("Grpc") || ctx.src.contains("grpc") || ctx.src.contains("->wait()")) {
        return out;
    }
    for c in calls {
        if c.node.kind() != "object_creation_expression" {
            continue;
        }
        let Some(svc) = grpc_client_service(ctx.text(c.callee)) else { continue };
        let Some(p) = c.node.parent().filter(|p| p.kind() == "assignment_expression") else { continue };
        if let Some(l) = p.child_by_field_name("left") {
            out.insert(var_key(ctx.text(l)).to_string(), svc.to_string());
        }
    }
    root.each(|n, kind| {
        if !matches!(kind, "property_promotion_parameter" | "simple_parameter" | "property_declaration") {
            return;
        }
        let Some(svc) =
            n.child_by_field_name("type").and_then(|t| grpc_client_service(ctx.text(t).trim_start_matches('?')))
        else {
            return;
        };
        let mut names = Vec::new();
        walk(n, |x| {
            if x.kind() == "variable_name" {
                names.push(var_key(ctx.text(x)).to_string());
            }
        });
        for nm in names {
            out.insert(nm, svc.to_string());
        }
    });
    out
}

/// php-amqplib `basic_publish($msg, $exchange, $routingKey)` / `basic_consume($queue)`,
/// php-rdkafka `$producer->newTopic('x')` / `$consumer->subscribe(['x'])`.
fn bus(ctx: &mut Ctx, c: &CallSite, name: &str, r: &str, args: &Args, seen: &mut Seen) {
    let rl = r.to_ascii_lowercase();
    let named = |keys: &[&str]| args.named.iter().find(|(k, _)| keys.contains(&k.as_str())).map(|(_, v)| *v);
    let exact =
        |n: Option<TsNode>| n.and_then(|n| strval::eval(ctx, n)).and_then(|v| v.exact()).filter(|s| !s.is_empty());
    let (dir, bus, topics): (Dir, &str, Vec<String>) = match name {
        "basic_publish" => {
            let key = exact(named(&["routing_key", "routingKey"]).or(args.positional.get(2).copied()));
            let exchange = exact(named(&["exchange"]).or(args.positional.get(1).copied()));
            (Dir::Pub, "rabbitmq", key.or(exchange).into_iter().collect())
        }
        "basic_consume" => {
            (Dir::Sub, "rabbitmq", exact(named(&["queue"]).or(args.positional.first().copied())).into_iter().collect())
        }
        "newTopic" if rl.contains("producer") || rl.contains("kafka") => {
            (Dir::Pub, "kafka", exact(args.positional.first().copied()).into_iter().collect())
        }
        "subscribe" if rl.contains("consumer") || rl.contains("kafka") => {
            (Dir::Sub, "kafka", args.positional.first().map(|a| strings_in(ctx, *a)).unwrap_or_default())
        }
        _ => return,
    };
    for t in topics {
        emit_topic(ctx, seen, c.node, dir, bus, &t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers() {
        assert_eq!(var_key("$this->client"), "client");
        assert!(laravel_receiver("Route"));
        assert!(laravel_receiver("Route::middleware('auth')"));
        assert!(laravel_receiver("\\Illuminate\\Support\\Facades\\Route"));
        assert!(
            laravel_receiver("Route::prefix('v1')->middleware(['auth'])") && !laravel_receiver("Route::getRoutes()")
        );
        assert!(router_receiver("$app") && router_receiver("$group") && !router_receiver("$client"));
        assert!(php_clientish("$this->client") && php_clientish("Http::withToken($t)") && !php_clientish("$request"));
        assert!(php_clientish("Http::asForm()->withBasicAuth($this->config['k'])"));
        assert!(!php_clientish("$this->cache") && !php_clientish("$request->session()"));
        assert_eq!(grpc_client_service("\\Acme\\OrderServiceClient"), Some("OrderService"));
        assert_eq!(grpc_client_service("HttpClient"), None);
        assert_eq!(grpc_client_service("Client"), None);
    }
}
