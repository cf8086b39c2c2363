//! Servlet context paths: a Spring Boot service configured with
//! `server.servlet.context-path: /accounts` (Boot 1: `server.context-path`,
//! WebFlux: `spring.webflux.base-path`, plus `spring.mvc.servlet.path`) serves
//! its controller's `@GetMapping("/{name}")` at `/accounts/{name}`, and that
//! is the path its callers (Feign clients, gateways, browsers) use.
//!
//! [`ContextPathPass`] reads those settings from the configuration files the
//! [`config`](crate::config) ingestor keeps: the module's own
//! `application*.yml|properties` / `bootstrap*`, or a config server's file
//! named after the module's `spring.application.name` (`shared/account-service.yml`).
//! It prefixes the HTTP operations served from the module's Java/Kotlin files,
//! provides the prefixed key, and links the unresolved calls that now name one
//! exactly. It runs before the gateway pass, which matches route templates
//! against the provided keys.

use crate::config::NS_CONFIG;
use brain_graph::{LinkContext, LinkPass};
use brain_model::{attr, attr::ns, wire, Edge, EdgeKind, NodeId, NodeKind, RefTarget};
use std::collections::HashMap;

/// Settings that put a prefix before every route of a Spring application, outermost first.
const CONTEXT_KEYS: &[&[&str]] = &[
    &["server.servlet.context-path", "server.servlet.contextPath", "server.context-path", "server.contextPath"],
    &["spring.webflux.base-path"],
    &["spring.mvc.servlet.path", "server.servlet-path"],
];

/// Prefixes Spring routes with their application's context path (see the module docs).
#[derive(Debug, Default, Clone, Copy)]
pub struct ContextPathPass;

/// The folder of the module a Spring configuration file belongs to: the part before
/// `src/main/`, or the file's folder.
pub(crate) fn module_dir(path: &str) -> &str {
    match path.find("src/main/") {
        Some(i) => path[..i].trim_end_matches('/'),
        None => path.rsplit_once('/').map(|(d, _)| d).unwrap_or(""),
    }
}

/// A configuration file's name without folder and extension.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// `/accounts`, or `None` for an empty, root or unresolved (`${..}`) value.
fn clean_prefix(v: &str) -> Option<String> {
    let v = v.trim().trim_end_matches("/*").trim_end_matches('/');
    if v.is_empty() || v.contains("${") || v.contains(char::is_whitespace) {
        return None;
    }
    Some(if v.starts_with('/') { v.to_string() } else { format!("/{v}") })
}

/// Whether a served operation's file is one Spring routes are written in.
fn spring_source(path: &str) -> bool {
    [".java", ".kt", ".groovy", ".scala"].iter().any(|e| path.ends_with(e))
}

/// `(repo, module dir) -> prefix` from every configuration file of the graph.
fn prefixes(ctx: &LinkContext) -> HashMap<(String, String), String> {
    // Settings per file: (repo, path) -> key -> value.
    let mut files: HashMap<(String, String), HashMap<&str, &str>> = HashMap::new();
    for (kv, ids) in ctx.provided_keys(NS_CONFIG) {
        let Some((k, v)) = kv.split_once('=') else { continue };
        let wanted = k == "spring.application.name" || CONTEXT_KEYS.iter().any(|ks| ks.contains(&k));
        if !wanted {
            continue;
        }
        for id in ids {
            let Some(n) = ctx.node(id) else { continue };
            files.entry((n.prov.repo.to_string(), n.prov.path.to_string())).or_default().insert(k, v);
        }
    }
    // Modules by application name, for config-server files named after them.
    let mut by_app: HashMap<(String, String), String> = HashMap::new();
    for ((repo, path), kv) in &files {
        if let Some(app) = kv.get("spring.application.name") {
            by_app.entry((repo.clone(), app.to_string())).or_insert_with(|| module_dir(path).to_string());
        }
    }
    let mut out: HashMap<(String, String), (u8, String)> = HashMap::new();
    for ((repo, path), kv) in &files {
        let mut prefix = String::new();
        for keys in CONTEXT_KEYS {
            if let Some(p) = keys.iter().find_map(|k| kv.get(k)).and_then(|v| clean_prefix(v)) {
                prefix.push_str(&p);
            }
        }
        if prefix.is_empty() {
            continue;
        }
        let s = stem(path);
        let own = s.starts_with("application") || s.starts_with("bootstrap");
        let module = if own {
            module_dir(path).to_string()
        } else if let Some(m) = by_app.get(&(repo.clone(), s.to_string())) {
            m.clone()
        } else {
            continue;
        };
        // The plain `application.yml` wins over a profile's (`application-docker.yml`), which wins
        // over a config server's copy; among equals the first path in order.
        let rank = match s {
            "application" | "bootstrap" => 0,
            _ if own => 2,
            _ => 1,
        };
        let slot = out.entry((repo.clone(), module)).or_insert((u8::MAX, String::new()));
        if rank < slot.0 {
            *slot = (rank, prefix);
        }
    }
    out.into_iter().map(|(k, (_, p))| (k, p)).collect()
}

impl LinkPass for ContextPathPass {
    fn name(&self) -> &'static str {
        "context-path"
    }

    fn run(&self, ctx: &mut LinkContext) {
        let prefixes = prefixes(ctx);
        if prefixes.is_empty() {
            return;
        }
        let mut changes: Vec<(NodeId, String, String)> = Vec::new();
        for n in ctx.nodes_of_kind(NodeKind::Operation) {
            let (Some(m), Some(p)) = (n.attr(attr::HTTP_METHOD), n.attr(attr::HTTP_PATH)) else { continue };
            if !spring_source(&n.prov.path) || n.attr(attr::PROTOCOL) != Some("http") {
                continue;
            }
            // The deepest module the file is in.
            let best = prefixes
                .iter()
                .filter(|((repo, dir), _)| {
                    repo.as_str() == n.prov.repo.as_str()
                        && (dir.is_empty()
                            || n.prov.path.strip_prefix(dir.as_str()).is_some_and(|r| r.starts_with('/')))
                })
                .max_by_key(|((_, dir), _)| dir.len());
            let Some((_, prefix)) = best else { continue };
            let full = if p == "/" { format!("{prefix}/") } else { format!("{prefix}{p}") };
            changes.push((n.id.clone(), m.to_string(), full));
        }
        let mut by_key: HashMap<String, Vec<NodeId>> = HashMap::new();
        for (id, method, path) in changes {
            let key = wire::http_key(&method, &path);
            if let Some(node) = ctx.node_mut(&id) {
                node.name = format!("{method} {path}");
                node.attrs.insert(attr::HTTP_PATH, path);
            }
            ctx.provide(id.clone(), ns::HTTP, &key);
            by_key.entry(key).or_default().push(id);
        }
        let mut keep = Vec::new();
        for r in ctx.take_unresolved() {
            let to = match (&r.kind, &r.target) {
                (EdgeKind::Consumes, RefTarget::Key { ns: n, key, .. }) if n == ns::HTTP => by_key.get(key),
                _ => None,
            };
            let Some(to) = to else {
                keep.push(r);
                continue;
            };
            for id in to {
                let mut e = Edge::new(r.from.clone(), r.kind, id.clone(), r.prov.clone());
                e.attrs = r.attrs.clone();
                ctx.add_edge(e);
            }
        }
        for r in keep {
            ctx.push_unresolved(r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_cleaned() {
        assert_eq!(clean_prefix("/accounts/").as_deref(), Some("/accounts"));
        assert_eq!(clean_prefix("uaa").as_deref(), Some("/uaa"));
        assert_eq!(clean_prefix("/"), None);
        assert_eq!(clean_prefix("${CONTEXT_PATH:/x}"), None);
        assert_eq!(module_dir("account-service/src/main/resources/bootstrap.yml"), "account-service");
        assert_eq!(stem("config/src/main/resources/shared/account-service.yml"), "account-service");
    }
}
