//! Calls to operations, rpcs and topics that no producer offers.
//!
//! The rule only fires when the target is plausibly internal, because calls
//! to third-party APIs are not findings:
//!
//! * HTTP: the URL's host names a known service (compose, k8s, catalog) or
//!   repository (`http://orders:8080/...`, `https://orders.internal/...`), or
//!   the URL has no host and its path prefix (first segment, or first two
//!   when the first is `api` or a version such as `v1`) is the prefix of an
//!   operation some spec or route in the graph serves.
//! * gRPC: the service part of `Service/Method` is a service a proto defines,
//!   and the method is not a generated field getter (`resp.GetCostUsd()` on a
//!   response is a field read that a client detector may mistake for a call).
//!
//! An HTTP call whose path is served for other methods only is a warning (route
//! methods are the least reliable fact extracted from code); a route registered
//! without a method (`ANY`) serves every method.
//! * GraphQL: the same document already resolves another root field against
//!   a schema in the graph.
//! * Topics: a topic that is subscribed to but neither published by code nor
//!   offered by a contract, whose namespace (the part before the first `.`,
//!   `-`, `_`, `/` or `:`) is the namespace of a topic that is produced.

use crate::index::Index;
use crate::model::{finding_id, Finding, Rule, Severity};
use brain_model::attr::{self, ns};
use brain_model::text::canonical_name;
use brain_model::{wire, EdgeKind, NodeKind, RefTarget, Reference};
use std::collections::{BTreeMap, BTreeSet};

/// Runs the unknown-target checks.
pub fn check(ix: &Index<'_>, opts_topic: bool, opts_op: bool, opts_rpc: bool, out: &mut Vec<Finding>) {
    let g = ix.graph;
    let mut known_hosts: BTreeSet<String> = BTreeSet::new();
    for n in g.nodes_of_kind(NodeKind::Service) {
        known_hosts.insert(n.name.to_ascii_lowercase());
    }
    for r in g.repos().keys() {
        known_hosts.insert(r.rsplit('/').next().unwrap_or(r).to_ascii_lowercase());
    }
    for n in g.nodes_of_kind(NodeKind::Repo) {
        known_hosts.insert(n.name.rsplit('/').next().unwrap_or(&n.name).to_ascii_lowercase());
    }
    let mut http_prefixes: BTreeSet<String> = BTreeSet::new();
    // Normalised path -> methods served (`ANY` for routes registered without a method).
    let mut http_paths: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut grpc_services: BTreeSet<String> = BTreeSet::new();
    // Generated getters of proto fields (`GetCostUsd`): a call to one is a field read, never an rpc.
    let mut proto_getters: BTreeSet<String> = BTreeSet::new();
    for f in g.nodes_of_kind(NodeKind::Field) {
        if let Some(go) = f.attr("go_name") {
            proto_getters.insert(canonical_name(&format!("Get{go}")));
        }
        if let Some(j) = f.attr("java_getter") {
            let mut c = j.chars();
            if let Some(first) = c.next() {
                proto_getters.insert(canonical_name(&(first.to_uppercase().collect::<String>() + c.as_str())));
            }
        }
    }
    for op in g.nodes_of_kind(NodeKind::Operation) {
        match op.attr(attr::PROTOCOL) {
            Some("http") => {
                if let Some(p) = op.attr(attr::HTTP_PATH) {
                    let norm = wire::normalize_http_path(p);
                    if let Some(pre) = path_prefix(&norm) {
                        http_prefixes.insert(pre);
                    }
                    let method = op.attr(attr::HTTP_METHOD).unwrap_or("ANY").to_ascii_uppercase();
                    http_paths.entry(norm).or_default().insert(method);
                }
            }
            Some("grpc") => {
                if let Some(s) = op.attr("service") {
                    grpc_services.insert(s.to_string());
                }
            }
            _ => {}
        }
    }
    let has_graphql = g.nodes_of_kind(NodeKind::Operation).any(|o| o.attr(attr::PROTOCOL) == Some("graphql"));
    let mut graphql_files: BTreeSet<(String, String)> = BTreeSet::new();
    for ((repo, path), links) in &ix.links_by_file {
        if links.iter().any(|l| l.op.attr(attr::PROTOCOL) == Some("graphql")) {
            graphql_files.insert((repo.clone(), path.clone()));
        }
    }
    for r in g.unresolved() {
        if r.kind != EdgeKind::Consumes {
            continue;
        }
        let RefTarget::Key { ns: n, key, .. } = &r.target else { continue };
        match n.as_str() {
            ns::HTTP if opts_op => {
                let raw = r.attr(attr::HTTP_PATH).unwrap_or("");
                // A page-relative URL (`api/owners`) reaches a path that depends on where the page
                // is served: linked when a route matches, never reported as unknown.
                if !raw.is_empty() && !raw.starts_with('/') && !raw.contains("://") {
                    continue;
                }
                let (method, path) = key.split_once(' ').unwrap_or(("", ""));
                let served = http_paths.get(path);
                if served.is_some_and(|m| m.contains(method) || m.contains("ANY") || m.contains("*")) {
                    // A route registered for any method (or matched by a later pass) serves it.
                    continue;
                }
                // A GraphQL endpoint is served by the GraphQL server, not by a route in the graph.
                if has_graphql && is_graphql_path(path) {
                    continue;
                }
                let other_methods = served.map(|m| m.iter().cloned().collect::<Vec<_>>().join(", "));
                let why = match host_of(raw) {
                    Some(h) => {
                        let label = h.split('.').next().unwrap_or(&h).to_string();
                        if known_hosts.contains(&label) && internal_host(&h) {
                            Some(format!("host `{h}` is the internal service `{label}`"))
                        } else {
                            None
                        }
                    }
                    None => path_prefix(path)
                        .filter(|p| http_prefixes.contains(p))
                        .map(|p| format!("path prefix `{p}` belongs to an API in the graph")),
                };
                if let Some(why) = why {
                    let f = match &other_methods {
                        Some(m) => {
                            let what = format!("the path is served, but only for {m}");
                            let mut f = finding(ix, r, Rule::UnknownOperation, key, &why, &what);
                            // Route methods are the least reliable fact ingestors extract.
                            f.severity = Severity::Warning;
                            f
                        }
                        None => finding(
                            ix,
                            r,
                            Rule::UnknownOperation,
                            key,
                            &why,
                            "no spec or route in the graph serves this method and path",
                        ),
                    };
                    out.push(f);
                }
            }
            ns::GRPC if opts_rpc => {
                let (service, method) = key.split_once('/').unwrap_or((key.as_str(), ""));
                if grpc_services.contains(service) && !proto_getters.contains(&canonical_name(method)) {
                    let why = format!("`{service}` is a service defined by a proto in the graph");
                    out.push(finding(ix, r, Rule::UnknownRpc, key, &why, "the service defines no such method"));
                }
            }
            ns::GRAPHQL if opts_op && graphql_files.contains(&(r.prov.repo.to_string(), r.prov.path.to_string())) => {
                let why = "the same document queries a schema in the graph".to_string();
                out.push(finding(ix, r, Rule::UnknownOperation, key, &why, "the schema has no such root field"));
            }
            _ => {}
        }
    }
    if opts_topic {
        topics(ix, out);
    }
}

fn topics(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let g = ix.graph;
    let mut produced_ns: BTreeSet<String> = BTreeSet::new();
    for op in g.nodes_of_kind(NodeKind::Operation) {
        if let Some(t) = op.attr(attr::TOPIC) {
            produced_ns.insert(topic_ns(t));
        }
    }
    let mut orphans = Vec::new();
    let mut published_names: Vec<&str> = Vec::new();
    for t in g.nodes_of_kind(NodeKind::Topic) {
        let published = g.incoming(&t.id).any(|e| e.edge.kind == EdgeKind::Publishes);
        if published {
            produced_ns.insert(topic_ns(&t.name));
            published_names.push(&t.name);
            continue;
        }
        orphans.push(t);
    }
    // Publishes whose topic the brain could not fold (a parameter, an unknown setting): a
    // subscription they might serve is not called unknown.
    let mut unfolded: Vec<(String, String)> = Vec::new();
    for r in g.unresolved() {
        if r.kind != EdgeKind::Publishes {
            continue;
        }
        if let RefTarget::Key { ns: n, key, .. } = &r.target {
            if n == "topic-expr" {
                unfolded.push((r.prov.repo.to_string(), key.clone()));
            }
        }
    }
    for t in orphans {
        if !produced_ns.contains(&topic_ns(&t.name)) {
            continue;
        }
        // A wildcard subscription (`inventory.stock.>`, `orders.*`, `#`) that matches a published
        // topic, or a subscription to one of the subjects a publisher computes at run time
        // (`orders.new.*` for `orders.new.{i}`).
        if published_names.iter().any(|p| topic_matches(&t.name, p) || (p.contains('*') && topic_matches(p, &t.name))) {
            continue;
        }
        let could_be = unfolded.iter().any(|(repo, expr)| {
            let lit = expr.split('{').next().unwrap_or("");
            (!lit.is_empty() && t.name.starts_with(lit))
                || (lit.is_empty()
                    && published_names.iter().any(|p| topic_ns(p) == topic_ns(&t.name))
                    && g.nodes_of_kind(NodeKind::Topic).any(|x| {
                        topic_ns(&x.name) == topic_ns(&t.name)
                            && g.incoming(&x.id).any(|e| {
                                e.edge.kind == EdgeKind::Publishes && e.edge.prov.repo.as_ref() as &str == repo.as_str()
                            })
                    }))
        });
        if could_be {
            continue;
        }
        for e in g.incoming(&t.id) {
            if e.edge.kind != EdgeKind::Subscribes
                || !matches!(e.other.kind, NodeKind::Symbol | NodeKind::File | NodeKind::Test)
            {
                continue;
            }
            // A name kept in a constant is reported where the constant is written: that is what
            // a fix changes; the subscribing call is named in the detail.
            let call_line = e.edge.prov.span.map(|s| s.start_line);
            let named_line = e.edge.attr(attr::NAMED_LINE).and_then(|l| l.parse::<u32>().ok());
            let detail = match (named_line, call_line) {
                (Some(_), Some(c)) => format!("subscribes to `{}` (the call on line {c})", t.name),
                _ => format!("subscribes to `{}`", t.name),
            };
            let consumer = ix.at(
                "consumer",
                &e.edge.prov.repo,
                &e.edge.prov.path,
                named_line.or(call_line),
                Some(&e.other.id),
                detail,
            );
            let ns_ = topic_ns(&t.name);
            let id = finding_id(Rule::UnknownTopic, &[&consumer.location(), &t.name]);
            out.push(Finding {
                id,
                rule: Rule::UnknownTopic.id().into(),
                severity: Severity::Error,
                message: format!(
                    "{} subscribes to `{}`, but no contract or code in the graph produces it (other `{ns_}` topics are produced, so it is internal)",
                    consumer.location(),
                    t.name
                ),
                boundary: Some(format!("topic {}", t.name)),
                producer: None,
                consumer: Some(consumer),
                related: Vec::new(),
                fix: format!("check the topic name against the producer's contract (known `{ns_}` topics), or add the topic to the producer first"),
            });
        }
    }
}

fn finding(ix: &Index<'_>, r: &Reference, rule: Rule, key: &str, why: &str, what: &str) -> Finding {
    let line = r.prov.span.map(|s| s.start_line);
    let raw = r.attr(attr::HTTP_PATH).unwrap_or(key);
    let consumer = ix.at("consumer", &r.prov.repo, &r.prov.path, line, Some(&r.from), format!("calls `{raw}`"));
    let id = finding_id(rule, &[&consumer.location(), key]);
    Finding {
        id,
        rule: rule.id().into(),
        severity: Severity::Error,
        message: format!("{} calls `{key}`: {what} ({why})", consumer.location()),
        boundary: Some(key.to_string()),
        producer: None,
        consumer: Some(consumer),
        related: Vec::new(),
        fix: format!(
            "fix the call at {} to an operation the producer offers, or add `{key}` to the producer's contract first",
            r.prov.location()
        ),
    }
}

/// The host of a URL (`http://orders:8080/x` gives `orders`), lowercased.
pub fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let host = rest.split(['/', ':', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    (!host.is_empty() && !host.starts_with('{') && !host.starts_with('$')).then(|| host.to_ascii_lowercase())
}

/// Whether a host is a cluster-internal name: a bare name (`orders`) or one
/// under an internal suffix (`orders.svc.cluster.local`, `orders.internal`).
pub fn internal_host(host: &str) -> bool {
    !host.contains('.')
        || [".svc", ".cluster.local", ".internal", ".local", ".lan", ".consul"].iter().any(|s| host.ends_with(s))
        || host.contains(".svc.")
}

/// The identifying prefix of a normalised path: its first segment, or first
/// two when the first is `api` or a version (`v1`).
pub fn path_prefix(path: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let first = *segs.first()?;
    if first == "{}" {
        return None;
    }
    let generic =
        first == "api" || (first.starts_with('v') && first[1..].chars().all(|c| c.is_ascii_digit()) && first.len() > 1);
    if generic {
        let second = segs.get(1).filter(|s| **s != "{}")?;
        return Some(format!("/{first}/{second}"));
    }
    Some(format!("/{first}"))
}

/// Whether a subscription pattern matches a topic: NATS (`*` one token, `>` the rest), AMQP
/// topic exchanges (`*` one word, `#` any words), or the same name.
pub fn topic_matches(pattern: &str, topic: &str) -> bool {
    if pattern == topic {
        return true;
    }
    if !pattern.contains(['*', '>', '#']) {
        return false;
    }
    let p: Vec<&str> = pattern.split('.').collect();
    let t: Vec<&str> = topic.split('.').collect();
    fn go(p: &[&str], t: &[&str]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(&">"), _) => !t.is_empty(),
            (Some(&"#"), _) => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            (Some(&"*"), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(&p, &t)
}

/// The conventional endpoints of a GraphQL server (`/graphql`, `/api/graphql`, `/query`, `/gql`).
fn is_graphql_path(path: &str) -> bool {
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    matches!(last, "graphql" | "gql" | "query" | "graphiql")
}

/// The namespace of a topic name.
pub fn topic_ns(t: &str) -> String {
    t.split(['.', '-', '_', '/', ':']).next().unwrap_or(t).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_prefixes() {
        assert_eq!(host_of("http://orders:8080/orders/{id}").as_deref(), Some("orders"));
        assert_eq!(host_of("https://api.stripe.com/v1/charges").as_deref(), Some("api.stripe.com"));
        assert_eq!(host_of("/orders"), None);
        assert!(internal_host("orders") && internal_host("orders.commerce.svc.cluster.local"));
        assert!(!internal_host("orders.example.com"));
        assert_eq!(path_prefix("/v1/users/{}").as_deref(), Some("/v1/users"));
        assert_eq!(path_prefix("/orders/{}").as_deref(), Some("/orders"));
        assert_eq!(path_prefix("/{}"), None);
        assert_eq!(topic_ns("order.created"), "order");
        assert!(topic_matches("inventory.stock.>", "inventory.stock.updated"));
        assert!(topic_matches("orders.*", "orders.created") && !topic_matches("orders.*", "orders.created.v1"));
        assert!(topic_matches("user.#", "user.signed_up") && topic_matches("#", "a.b"));
        assert!(!topic_matches("inventory.stock.updated", "inventory.stock.low"));
    }
}
