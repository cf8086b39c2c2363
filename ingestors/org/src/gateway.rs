//! Reverse proxies in front of services, and calls a route template serves: nginx `location` blocks
//! ([`NginxIngestor`]), Spring Cloud Gateway routes ([`spring_gateway_routes`], read with the
//! application config) and the [`GatewayPass`] that follows a call through
//! them to the route that serves it.
//!
//! A browser or a load generator calls the gateway (`/api/catalogue/products/7`);
//! the gateway strips its prefix and forwards to a service
//! (`location /api/catalogue/ { proxy_pass http://catalogue:8080/; }` sends
//! `/products/7` to `catalogue`). Without the gateway's rules such a call
//! matches no route and stays unresolved.
//!
//! Each proxied location is a `DependsOn` reference from the config file to
//! `(service, host)` (so the gateway meets its services), with attributes
//! [`ROUTE_PREFIX`] (the location) and, when `proxy_pass` names a URI,
//! [`ROUTE_REWRITE`] (what the prefix becomes). Hosts are written as in the
//! config ([`UPSTREAM`]: a name, an `upstream`'s first server, or an
//! environment variable such as `${CATALOGUE_HOST}`); the service key is the
//! name it stands for (`catalogue`).
//!
//! The pass takes unresolved HTTP calls whose path starts with a rewriting
//! prefix (the longest wins, as in nginx), rewrites the path and links the
//! call to the routes serving the rewritten path **in the code of the
//! proxied service**: the directory its compose build context names, or a
//! directory named like the host. A host that names no known place links only
//! a route that is the single one serving the rewritten path. The edge is
//! inferred (0.7 of the call's confidence) and says which rule it went
//! through ([`VIA`]).
//!
//! The pass also links an unresolved call with a literal where a route has a
//! parameter (`GET /update/42/SHIP/0` is served by `/update/{id}/{sku}/{qty}`):
//! the most specific routes of that shape, when one file declares them all
//! (`via` = `route template`).

use crate::infra::{BUILD_CONTEXT, COMPOSE_REPO};
use crate::util;
use brain_graph::{LinkContext, LinkPass};
use brain_model::{
    attr::ns, wire, Edge, EdgeKind, Facts, Ingestor, NodeId, NodeKind, Origin, RefTarget, Reference, SourceFile, Span,
};
use std::collections::HashMap;

/// Ingestor name of nginx configs.
pub const NGINX: &str = "nginx";
/// Attr on gateway `DependsOn` references: the location prefix (`/api/catalogue/`).
pub const ROUTE_PREFIX: &str = "route_prefix";
/// Attr on gateway `DependsOn` references: what the prefix is replaced with upstream (`/`).
pub const ROUTE_REWRITE: &str = "route_rewrite";
/// Attr on gateway `DependsOn` references: the upstream host as the config writes it (`$CATALOGUE_HOST`).
pub const UPSTREAM: &str = "upstream";
/// Attr on edges the [`GatewayPass`] makes: the rule, as `nginx <path>:<line> <prefix> -> <rewrite>`.
pub const VIA: &str = "via";

/// Reads nginx configs (`nginx.conf`, `*.conf`, `*.conf.template`) that proxy locations.
#[derive(Debug, Default, Clone, Copy)]
pub struct NginxIngestor;

impl Ingestor for NginxIngestor {
    fn name(&self) -> &'static str {
        NGINX
    }
    fn accepts(&self, path: &str) -> bool {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        name.ends_with(".conf") || name.ends_with(".conf.template") || name.ends_with(".conf.tmpl")
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        if !file.content.contains("proxy_pass") {
            return facts;
        }
        let from = NodeId::file(file.repo, file.path);
        for rule in proxy_rules(file.content) {
            // `${CATALOGUE_HOST}` stands for the service `catalogue`.
            let Some(service) = host_names(&rule.host).into_iter().next() else { continue };
            let mut r = Reference::key(
                from.clone(),
                EdgeKind::DependsOn,
                ns::SERVICE,
                service,
                util::inferred(file, Some(Span::line(rule.line)), NGINX, 0.8),
            )
            .with_attr(ROUTE_PREFIX, rule.prefix.clone())
            .with_attr(UPSTREAM, rule.host.clone());
            if let Some(w) = &rule.rewrite {
                r = r.with_attr(ROUTE_REWRITE, w.clone());
            }
            facts.reference(r);
        }
        facts
    }
}

/// A Spring Cloud Gateway route being read: `uri`, `Path=` predicates, `StripPrefix=` count.
type SpringRoute = (Option<String>, Vec<String>, Option<usize>);

/// Spring Cloud Gateway routes in an application config, from its flattened settings
/// (`spring.cloud.gateway.routes[0].uri=lb://vets-service`, `...predicates[0]=Path=/api/vet/**`,
/// `...filters[0]=StripPrefix=2`): the same gateway references as nginx locations.
pub fn spring_gateway_routes(file: &SourceFile<'_>, settings: &[(String, String)], facts: &mut Facts) {
    const ROUTES: &str = "spring.cloud.gateway.routes[";
    let mut routes: std::collections::BTreeMap<usize, SpringRoute> = std::collections::BTreeMap::new();
    for (k, v) in settings {
        let Some(rest) = k.find(ROUTES).map(|i| &k[i + ROUTES.len()..]) else { continue };
        let Some((idx, field)) = rest.split_once(']') else { continue };
        let Ok(idx) = idx.parse::<usize>() else { continue };
        let r = routes.entry(idx).or_default();
        if field == ".uri" {
            r.0 = Some(v.clone());
        } else if field.starts_with(".predicates[") {
            if let Some(p) = v.strip_prefix("Path=") {
                r.1.extend(p.split(',').map(|x| x.trim().to_string()));
            }
        } else if field.starts_with(".filters[") {
            if let Some(n) = v.strip_prefix("StripPrefix=") {
                r.2 = n.trim().parse().ok();
            }
        }
    }
    let from = NodeId::file(file.repo, file.path);
    for (uri, paths, strip) in routes.into_values() {
        let Some(uri) = uri else { continue };
        let host = uri.split_once("://").map(|(_, r)| r).unwrap_or(&uri);
        let host = host.split(['/', ':']).next().unwrap_or("").to_ascii_lowercase();
        if host.is_empty() {
            continue;
        }
        for p in paths {
            let prefix = p.trim_end_matches("/**").trim_end_matches("**").trim_end_matches('/');
            if !prefix.starts_with('/') || prefix.contains(['*', '{']) {
                continue;
            }
            let line = file.content.lines().position(|l| l.contains(&p)).map(|i| i as u32 + 1);
            let mut r = Reference::key(
                from.clone(),
                EdgeKind::DependsOn,
                ns::SERVICE,
                host.clone(),
                util::inferred(file, line.map(Span::line), SPRING_GATEWAY, 0.8),
            )
            .with_attr(ROUTE_PREFIX, format!("{prefix}/"))
            .with_attr(UPSTREAM, uri.clone());
            if let Some(n) = strip {
                let kept: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).skip(n).collect();
                r = r
                    .with_attr(ROUTE_REWRITE, format!("/{}", kept.iter().map(|s| format!("{s}/")).collect::<String>()));
            }
            facts.reference(r);
        }
    }
}

/// Ingestor name on Spring Cloud Gateway route references (read by the config ingestor).
pub const SPRING_GATEWAY: &str = "spring-cloud-gateway";

/// One `location <prefix> { proxy_pass <url>; }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyRule {
    pub prefix: String,
    pub host: String,
    /// The URI part of `proxy_pass`, which replaces the prefix; `None` passes the path unchanged.
    pub rewrite: Option<String>,
    pub line: u32,
}

/// A token of an nginx config: a word (quotes removed) or one of `{`, `}`, `;`, with its line.
fn tokens(src: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut line = 1u32;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '{' | '}' | ';' => out.push((c.to_string(), line)),
            '"' | '\'' => {
                let start = line;
                let mut w = String::new();
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                    if d == '\n' {
                        line += 1;
                    }
                    w.push(d);
                }
                out.push((w, start));
            }
            c if c.is_whitespace() => {}
            c => {
                let mut w = c.to_string();
                while let Some(&d) = chars.peek() {
                    // `${VAR}` keeps its braces.
                    if d.is_whitespace() || d == ';' || (matches!(d, '{' | '}') && !w.ends_with('$') && !in_var(&w)) {
                        break;
                    }
                    w.push(d);
                    chars.next();
                }
                out.push((w, line));
            }
        }
    }
    out
}

/// Whether a word is inside an unclosed `${`.
fn in_var(w: &str) -> bool {
    w.rfind("${").is_some_and(|i| !w[i..].contains('}'))
}

/// The proxied locations of a config, with `upstream` names replaced by their first server's host.
pub fn proxy_rules(src: &str) -> Vec<ProxyRule> {
    let toks = tokens(src);
    let mut stack: Vec<Vec<String>> = Vec::new();
    let mut words: Vec<(String, u32)> = Vec::new();
    let mut upstreams: HashMap<String, String> = HashMap::new();
    let mut raw: Vec<(String, String, u32)> = Vec::new();
    for (t, line) in toks {
        match t.as_str() {
            "{" => {
                stack.push(words.drain(..).map(|(w, _)| w).collect());
            }
            "}" => {
                stack.pop();
                words.clear();
            }
            ";" => {
                let ws: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
                let at = words.first().map(|(_, l)| *l).unwrap_or(line);
                match ws.as_slice() {
                    ["proxy_pass", url, ..] => {
                        if let Some(prefix) = stack.iter().rev().find_map(|b| location_prefix(b)) {
                            raw.push((prefix, url.to_string(), at));
                        }
                    }
                    ["server", addr, ..] => {
                        let upstream = stack.last().filter(|b| b.first().map(String::as_str) == Some("upstream"));
                        if let Some(name) = upstream.and_then(|b| b.get(1)) {
                            let host = addr.split(':').next().unwrap_or(addr).to_string();
                            upstreams.entry(name.clone()).or_insert(host);
                        }
                    }
                    _ => {}
                }
                words.clear();
            }
            _ => words.push((t, line)),
        }
    }
    raw.into_iter()
        .filter_map(|(prefix, url, line)| {
            let rest = url.split_once("://").map(|(_, r)| r)?;
            let (authority, uri) = match rest.find('/') {
                Some(i) => (&rest[..i], Some(&rest[i..])),
                None => (rest, None),
            };
            let host = host_of(authority);
            let host = upstreams.get(&host).cloned().unwrap_or(host);
            if host.is_empty() {
                return None;
            }
            Some(ProxyRule { prefix, host, rewrite: uri.map(str::to_string), line })
        })
        .collect()
}

/// A plain prefix location (`location /api/`, `location ^~ /api/`, `location = /x`); regex and named
/// locations give none.
fn location_prefix(block: &[String]) -> Option<String> {
    if block.first().map(String::as_str) != Some("location") {
        return None;
    }
    let p = match block.get(1)?.as_str() {
        "^~" | "=" => block.get(2)?,
        _ => block.get(1)?,
    };
    p.starts_with('/').then(|| p.clone())
}

/// The host of `host:port`, `${VAR}:port` or `$var` (variables kept as `$VAR`).
fn host_of(authority: &str) -> String {
    let a = authority.trim();
    if let Some(v) = a.strip_prefix("${") {
        let name = v.split('}').next().unwrap_or("");
        return format!("${name}");
    }
    if let Some(v) = a.strip_prefix('$') {
        let name: String = v.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        return format!("${name}");
    }
    a.split(':').next().unwrap_or(a).to_string()
}

/// Names a host may stand for: `$CATALOGUE_HOST` → `catalogue`, `$ORDER_API_ADDR` → `order_api`
/// and `order-api`, `Cart` → `cart`.
fn host_names(host: &str) -> Vec<String> {
    let Some(var) = host.strip_prefix('$') else { return vec![host.to_ascii_lowercase()] };
    let mut v = var.to_ascii_lowercase();
    for suffix in ["_hostname", "_host", "_address", "_addr", "_url", "_endpoint", "_service", "_svc", "_server"] {
        if let Some(s) = v.strip_suffix(suffix) {
            v = s.to_string();
            break;
        }
    }
    if v.is_empty() {
        return Vec::new();
    }
    let dashed = v.replace('_', "-");
    if dashed == v {
        vec![v]
    } else {
        vec![v, dashed]
    }
}

/// Follows unresolved HTTP calls through gateway rules (see the module docs).
#[derive(Debug, Default, Clone, Copy)]
pub struct GatewayPass;

/// A rewriting rule with where it was written.
struct Rule {
    prefix: String,
    rewrite: String,
    hosts: Vec<String>,
    via: String,
}

impl LinkPass for GatewayPass {
    fn name(&self) -> &'static str {
        "gateway"
    }
    fn run(&self, ctx: &mut LinkContext) {
        let mut rules = rules_of(ctx);
        // nginx picks the longest matching prefix.
        rules.sort_by(|a, b| b.prefix.len().cmp(&a.prefix.len()).then_with(|| a.via.cmp(&b.via)));
        let places = service_places(ctx);
        let routes = Routes::of(ctx);
        let mut keep = Vec::new();
        let mut provides: Vec<(NodeId, String)> = Vec::new();
        for r in ctx.take_unresolved() {
            let linked = match (&r.kind, &r.target) {
                (EdgeKind::Consumes, RefTarget::Key { ns: n, key, .. }) if n == ns::HTTP => {
                    let direct = key.split_once(' ').map(|(m, p)| routes.matching(m, p)).unwrap_or_default();
                    if !direct.is_empty() && one_place(ctx, &direct) {
                        direct.into_iter().map(|id| (id, "route template".to_string())).collect()
                    } else {
                        follow(ctx, &routes, &rules, &places, key)
                    }
                }
                _ => Vec::new(),
            };
            if linked.is_empty() {
                keep.push(r);
                continue;
            }
            for (to, via) in linked {
                let mut prov = r.prov.clone();
                prov.origin = Origin::inferred(prov.origin.confidence() * 0.7);
                let mut e = Edge::new(r.from.clone(), r.kind, to.clone(), prov);
                e.attrs = r.attrs.clone();
                e = e.with_attr(VIA, via);
                ctx.add_edge(e);
                if let RefTarget::Key { key, .. } = &r.target {
                    provides.push((to, key.clone()));
                }
            }
        }
        for r in keep {
            ctx.push_unresolved(r);
        }
        // Later passes (the flow pass reads responses by the call's key) see the gateway path too.
        for (op, key) in provides {
            ctx.provide(op, ns::HTTP, &key);
        }
    }
}

/// Served HTTP routes by method and number of segments, for calls with a literal where a route
/// has a parameter (`/update/42/SHIP/0` is served by `/update/{}/{}/{}`).
struct Routes {
    by_shape: HashMap<(String, usize), Vec<Route>>,
}

/// A route's path segments (`{}` for parameters) and the operations serving it.
type Route = (Vec<String>, Vec<NodeId>);

impl Routes {
    fn of(ctx: &LinkContext) -> Routes {
        let mut by_shape: HashMap<(String, usize), Vec<Route>> = HashMap::new();
        for (key, ids) in ctx.provided_keys(ns::HTTP) {
            let Some((m, p)) = key.split_once(' ') else { continue };
            let segs: Vec<String> = p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
            if !segs.iter().any(|s| s == "{}") {
                continue;
            }
            by_shape.entry((m.to_string(), segs.len())).or_default().push((segs, ids.to_vec()));
        }
        Routes { by_shape }
    }

    /// The routes with parameters that serve `method path`, the most specific (fewest parameters)
    /// only; a call's unknown segment matches only a parameter.
    fn matching(&self, method: &str, path: &str) -> Vec<NodeId> {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut best: Option<usize> = None;
        let mut out: Vec<NodeId> = Vec::new();
        for m in [method, "ANY"] {
            for (rsegs, ids) in self.by_shape.get(&(m.to_string(), segs.len())).into_iter().flatten() {
                let fits = rsegs.iter().zip(&segs).all(|(r, c)| r == "{}" || (r == c && *c != "{}"));
                if !fits {
                    continue;
                }
                let params = rsegs.iter().filter(|r| *r == "{}").count();
                if best.is_none_or(|b| params < b) {
                    best = Some(params);
                    out.clear();
                }
                if best == Some(params) {
                    out.extend(ids.iter().cloned());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Whether these routes are all declared in one file (a template several services serve, as in a
/// monorepo, is ambiguous: a literal call path says nothing about which).
fn one_place(ctx: &LinkContext, ids: &[NodeId]) -> bool {
    let places: std::collections::HashSet<(&str, &str)> =
        ids.iter().filter_map(|id| ctx.node(id)).map(|n| (n.prov.repo.as_str(), n.prov.path.as_str())).collect();
    places.len() == 1 && ids.len() <= 4
}

/// The rewriting rules in the graph: resolved and unresolved gateway references.
fn rules_of(ctx: &LinkContext) -> Vec<Rule> {
    let mut out = Vec::new();
    let mut add =
        |prefix: Option<&str>, rewrite: Option<&str>, host: &str, gateway: &str, path: &str, line: Option<u32>| {
            let (Some(prefix), Some(rewrite)) = (prefix, rewrite) else { return };
            if prefix == rewrite || prefix == "/" {
                return;
            }
            out.push(Rule {
                prefix: prefix.to_string(),
                rewrite: rewrite.to_string(),
                hosts: host_names(host),
                via: format!("{gateway} {path}:{} {prefix} -> {rewrite}", line.unwrap_or(0)),
            });
        };
    for e in ctx.edges() {
        if e.kind == EdgeKind::DependsOn && e.attr(ROUTE_PREFIX).is_some() {
            let host = e.to.as_str().rsplit(':').next().unwrap_or("");
            let p = &e.prov;
            add(e.attr(ROUTE_PREFIX), e.attr(ROUTE_REWRITE), host, &p.ingestor, &p.path, p.span.map(|s| s.start_line));
        }
    }
    for r in ctx.unresolved() {
        if r.kind == EdgeKind::DependsOn && r.attr(ROUTE_PREFIX).is_some() {
            if let RefTarget::Key { key, .. } = &r.target {
                let p = &r.prov;
                add(
                    r.attr(ROUTE_PREFIX),
                    r.attr(ROUTE_REWRITE),
                    key,
                    &p.ingestor,
                    &p.path,
                    p.span.map(|s| s.start_line),
                );
            }
        }
    }
    out
}

/// Where each compose service's code is: `(repo, directory)` from its build context inside the repo.
fn service_places(ctx: &LinkContext) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for n in ctx.nodes_of_kind(NodeKind::Service) {
        let Some(bc) = n.attr(BUILD_CONTEXT) else { continue };
        if bc.starts_with("..") || bc.is_empty() || bc == "." {
            continue;
        }
        let repo = n.attr(COMPOSE_REPO).unwrap_or(&n.prov.repo).to_string();
        out.insert(n.name.to_ascii_lowercase(), (repo, bc.trim_end_matches('/').to_string()));
    }
    // A Spring service names itself (`spring.application.name: vets-service`) in its module's config.
    for (key, files) in ctx.provided_keys(crate::config::NS_CONFIG) {
        let Some(name) = key.strip_prefix("spring.application.name=") else { continue };
        for f in files {
            let Some(n) = ctx.node(f) else { continue };
            let path = n.prov.path.as_str();
            let dir = match path.find("src/main/") {
                Some(i) => path[..i].trim_end_matches('/'),
                None => path.rsplit_once('/').map(|(d, _)| d).unwrap_or(""),
            };
            if !dir.is_empty() {
                out.entry(name.to_ascii_lowercase()).or_insert_with(|| (n.prov.repo.to_string(), dir.to_string()));
            }
        }
    }
    out
}

/// The routes an unresolved call reaches through the first rule whose prefix matches it.
fn follow(
    ctx: &LinkContext,
    routes: &Routes,
    rules: &[Rule],
    places: &HashMap<String, (String, String)>,
    key: &str,
) -> Vec<(NodeId, String)> {
    let Some((method, path)) = key.split_once(' ') else { return Vec::new() };
    for rule in rules {
        let Some(rest) = strip_route_prefix(path, &rule.prefix) else { continue };
        let rewritten = wire::normalize_http_path(&format!("{}/{}", rule.rewrite.trim_end_matches('/'), rest));
        let mut candidates: Vec<NodeId> = Vec::new();
        for m in [method, "ANY"] {
            candidates.extend(ctx.providers(ns::HTTP, &format!("{m} {rewritten}")).iter().cloned());
        }
        if candidates.is_empty() {
            candidates = routes.matching(method, &rewritten);
        }
        candidates.sort();
        candidates.dedup();
        let in_service = |id: &NodeId| -> bool {
            let Some(n) = ctx.node(id) else { return false };
            rule.hosts.iter().any(|h| match places.get(h) {
                Some((repo, dir)) => n.prov.repo == *repo && n.prov.path.starts_with(&format!("{dir}/")),
                None => n.prov.path.split('/').rev().skip(1).any(|seg| seg.eq_ignore_ascii_case(h)),
            })
        };
        let chosen: Vec<NodeId> = candidates.iter().filter(|c| in_service(c)).cloned().collect();
        // A host that names no known place: only a route that is the single one serving the path.
        let place_known = rule.hosts.iter().any(|h| places.contains_key(h));
        let chosen = if chosen.is_empty() && candidates.len() == 1 && !place_known { candidates } else { chosen };
        // The longest matching prefix decides, linked or not (nginx sends the call nowhere else).
        return chosen.into_iter().map(|c| (c, rule.via.clone())).collect();
    }
    Vec::new()
}

/// The rest of `path` after a location prefix (`/api/cart/` matches `/api/cart/x`; `/api/cart`
/// also matches `/api/cart` itself and `/api/cart/x`, never `/api/carts`).
fn strip_route_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let p = prefix.trim_end_matches('/');
    let rest = path.strip_prefix(p)?;
    if rest.is_empty() {
        return Some("");
    }
    rest.strip_prefix('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = r#"
upstream users_up {
    server user:8080 max_fails=3;
}
server {
    listen 8080;
    location / {
        root /usr/share/nginx/html;
    }
    # location /commented/ { proxy_pass http://nowhere/; }
    location /api/catalogue/ {
        proxy_pass http://${CATALOGUE_HOST}:8080/;
    }
    location ^~ /api/user/ {
        proxy_pass http://users_up/;
    }
    location /static/ {
        proxy_pass http://cdn;
    }
    location ~ ^/re/(.*)$ {
        proxy_pass http://regex:80/$1;
    }
}
"#;

    #[test]
    fn proxied_locations_are_read_with_their_rewrites() {
        let rules = proxy_rules(CONF);
        let got: Vec<(&str, &str, Option<&str>, u32)> =
            rules.iter().map(|r| (r.prefix.as_str(), r.host.as_str(), r.rewrite.as_deref(), r.line)).collect();
        assert_eq!(
            got,
            vec![
                ("/api/catalogue/", "$CATALOGUE_HOST", Some("/"), 12),
                ("/api/user/", "user", Some("/"), 15),
                ("/static/", "cdn", None, 18),
            ]
        );
    }

    #[test]
    fn host_variables_name_services() {
        assert_eq!(host_names("$CATALOGUE_HOST"), vec!["catalogue"]);
        assert_eq!(host_names("$ORDER_API_ADDR"), vec!["order_api", "order-api"]);
        assert_eq!(host_names("cart"), vec!["cart"]);
    }

    #[test]
    fn prefixes_match_whole_segments() {
        assert_eq!(strip_route_prefix("/api/cart/add/1", "/api/cart/"), Some("add/1"));
        assert_eq!(strip_route_prefix("/api/cart", "/api/cart"), Some(""));
        assert_eq!(strip_route_prefix("/api/carts/1", "/api/cart"), None);
        assert_eq!(strip_route_prefix("/other", "/api/"), None);
    }
}
