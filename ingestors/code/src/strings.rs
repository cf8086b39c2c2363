//! Folding names across files: a topic the code names by a constant declared
//! in another file (`p.publish(ctx, TopicOrderPlaced, e)`), or by a
//! configuration placeholder (`@KafkaListener(topics = "${app.topics.placed}")`).
//!
//! The extractor keeps such a name as an expression (`{TopicOrderPlaced}`,
//! `${app.topics.placed}`, `orders.{region}`) in a `topic-expr` reference, and
//! the flow analysis puts the same expression in the boundary of what it binds
//! to that topic. Here, with the whole graph at hand, each `{Name}` hole is
//! looked up among the string constants files provide (`NAME=value`,
//! namespace `const`: the reader's file first, then its directory, then a
//! value unique in its repository) and each `${key}` / `${key:default}` among
//! the repository's configuration settings (namespace `config`). A name that
//! folds completely becomes a topic edge; one that does not stays an
//! unresolved reference, visible as an outbound message the brain could not
//! place.

use crate::clients::NS_TOPIC_EXPR;
use crate::extract::NS_CONST;
use brain_graph::LinkContext;
use brain_model::attr;
use brain_model::tyref::{self, Bnd, BndKind, Root, TyRef};
use brain_model::{Edge, Node, NodeId, NodeKind, Origin, RefTarget, Reference};
use std::collections::HashMap;

/// Provide namespace of configuration settings (written by the org crate's config ingestor).
const NS_CONFIG: &str = "config";

/// Where a constant or setting is declared.
struct Place {
    repo: String,
    path: String,
    value: String,
}

/// Constants and settings by name.
pub(crate) struct Names {
    consts: HashMap<String, Vec<Place>>,
    config: HashMap<String, Vec<Place>>,
}

impl Names {
    pub(crate) fn collect(ctx: &LinkContext) -> Names {
        let mut n = Names { consts: HashMap::new(), config: HashMap::new() };
        for (ns, map) in [(NS_CONST, &mut n.consts), (NS_CONFIG, &mut n.config)] {
            for (key, providers) in ctx.provided_keys(ns) {
                let Some((name, value)) = key.split_once('=') else { continue };
                for p in providers {
                    let Some(node) = ctx.node(p) else { continue };
                    map.entry(name.to_string()).or_default().push(Place {
                        repo: node.prov.repo.to_string(),
                        path: node.prov.path.to_string(),
                        value: value.to_string(),
                    });
                }
            }
        }
        n
    }

    /// A constant for a reader at `repo`/`path`: same file, same directory, then unique in the repo.
    fn constant(&self, name: &str, repo: &str, path: &str) -> Option<&str> {
        let places = self.consts.get(name)?;
        let dir = |p: &str| p.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        if let Some(p) = places.iter().find(|p| p.repo == repo && p.path == path) {
            return Some(&p.value);
        }
        let same_dir: Vec<&Place> = places.iter().filter(|p| p.repo == repo && dir(&p.path) == dir(path)).collect();
        if let Some(v) = unique(&same_dir) {
            return Some(v);
        }
        let same_repo: Vec<&Place> = places.iter().filter(|p| p.repo == repo).collect();
        unique(&same_repo)
    }

    /// A setting of the reader's repository (dotted key, or a dotenv name).
    fn setting(&self, key: &str, repo: &str) -> Option<&str> {
        let places = self.config.get(key)?;
        let mine: Vec<&Place> = places.iter().filter(|p| p.repo == repo).collect();
        // Several profiles (`application-dev.yml`) may differ: the base file wins, else one value.
        if let Some(base) = mine.iter().find(|p| {
            let n = p.path.rsplit('/').next().unwrap_or(&p.path);
            n.starts_with("application.") || n == ".env" || n == "appsettings.json"
        }) {
            return Some(&base.value);
        }
        unique(&mine)
    }

    /// Folds an expression; `None` while any hole stays unknown.
    pub(crate) fn fold(&self, expr: &str, repo: &str, path: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = expr;
        while let Some(i) = rest.find('{') {
            let placeholder = rest[..i].ends_with('$');
            out.push_str(&rest[..if placeholder { i - 1 } else { i }]);
            let close = rest[i..].find('}')? + i;
            let inner = &rest[i + 1..close];
            let value = if placeholder {
                let (key, default) = match inner.split_once(':') {
                    Some((k, d)) => (k, Some(d)),
                    None => (inner, None),
                };
                self.setting(key, repo).map(str::to_string).or_else(|| default.map(str::to_string))?
            } else {
                let name = inner.rsplit(['.', ':']).next().unwrap_or(inner);
                self.constant(name, repo, path).or_else(|| self.setting(name, repo)).map(str::to_string)?
            };
            // A constant may itself hold a placeholder (`TOPIC = "${app.topic}"`).
            let value = if value.contains('{') && value != expr { self.fold(&value, repo, path)? } else { value };
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        (!out.is_empty() && !out.contains(char::is_whitespace)).then_some(out)
    }
}

fn unique<'a>(places: &[&'a Place]) -> Option<&'a str> {
    let first = places.first()?;
    places.iter().all(|p| p.value == first.value).then_some(first.value.as_str())
}

/// Folds `topic-expr` references into topic edges and expression boundaries of flow
/// references into topic names. Returns the references it did not touch.
pub fn fold_names(ctx: &mut LinkContext, refs: Vec<Reference>) -> Vec<Reference> {
    let needs = refs.iter().any(|r| match &r.target {
        RefTarget::Key { ns, key, .. } => {
            ns == NS_TOPIC_EXPR
                || (ns == tyref::NS && (key.contains('{') || r.attr(tyref::BOUNDARY).is_some_and(|b| b.contains('{'))))
        }
        RefTarget::AnyOf(_) => false,
    });
    if !needs {
        return refs;
    }
    let names = Names::collect(ctx);
    let mut keep = Vec::with_capacity(refs.len());
    for mut r in refs {
        let RefTarget::Key { ns, key, .. } = &r.target else {
            keep.push(r);
            continue;
        };
        if ns == NS_TOPIC_EXPR {
            let folded = names.fold(key, &r.prov.repo, &r.prov.path).or_else(|| {
                // A NATS subject with a token computed at run time (`orders.new.{i}`) is one
                // subject of the wildcard `orders.new.*`.
                (r.attr(attr::BUS) == Some("nats")).then(|| nats_wildcard(key)).flatten()
            });
            match folded {
                Some(topic) => topic_edge(ctx, &r, &topic),
                None => keep.push(r),
            }
            continue;
        }
        if ns == tyref::NS {
            let (repo, path) = (r.prov.repo.to_string(), r.prov.path.to_string());
            if let Some(b) = r.attr(tyref::BOUNDARY).and_then(Bnd::decode).filter(|b| b.key.contains('{')) {
                if let Some(name) = names.fold(&b.key, &repo, &path) {
                    r.attrs.insert(tyref::BOUNDARY, Bnd::new(b.kind, name).encode());
                }
            }
            if let RefTarget::Key { key, .. } = &mut r.target {
                if let Some(mut t) = TyRef::decode(key) {
                    if let Root::Payload(b) = &t.root {
                        if b.kind == BndKind::Topic && b.key.contains('{') {
                            if let Some(name) = names.fold(&b.key, &repo, &path) {
                                t.root = Root::Payload(Bnd::new(BndKind::Topic, name));
                                *key = t.encode();
                            }
                        }
                    }
                }
            }
        }
        keep.push(r);
    }
    keep
}

/// `orders.new.*` for `orders.new.{i}`: every token that is wholly unknown becomes `*`; `None`
/// when a token mixes text and an unknown, or no token is known.
fn nats_wildcard(expr: &str) -> Option<String> {
    let mut known = false;
    let mut out = Vec::new();
    for tok in expr.split('.') {
        if tok.starts_with('{') && tok.ends_with('}') && tok[1..tok.len() - 1].find(['{', '}']).is_none() {
            out.push("*");
        } else if tok.is_empty() || tok.contains(['{', '}', '$']) {
            return None;
        } else {
            known = true;
            out.push(tok);
        }
    }
    known.then(|| out.join("."))
}

fn topic_edge(ctx: &mut LinkContext, r: &Reference, topic: &str) {
    let id = NodeId::topic(topic);
    if !ctx.contains(&id) {
        let mut prov = r.prov.clone();
        prov.span = None;
        prov.origin = Origin::inferred(1.0);
        ctx.add_node(Node::new(id.clone(), NodeKind::Topic, topic, prov).with_attr(attr::TOPIC, topic));
    }
    let mut prov = r.prov.clone();
    prov.ingestor = "code-link".to_string().into();
    prov.origin = Origin::inferred(r.prov.origin.confidence() * 0.95);
    let mut e = Edge::new(r.from.clone(), r.kind, id, prov);
    e.attrs = r.attrs.clone();
    ctx.add_edge(e);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut n = Names { consts: HashMap::new(), config: HashMap::new() };
        let place = |repo: &str, path: &str, v: &str| Place { repo: repo.into(), path: path.into(), value: v.into() };
        n.consts
            .insert("TopicOrderPlaced".into(), vec![place("orders", "internal/events/events.go", "orders.placed.v1")]);
        n.consts.insert("Prefix".into(), vec![place("a", "x.go", "p1"), place("a", "y/z.go", "p2")]);
        n.config.insert(
            "app.topics.cancelled".into(),
            vec![place("loyalty", "src/main/resources/application.yml", "orders.cancelled.v1")],
        );
        n
    }

    #[test]
    fn nats_tokens_computed_at_run_time_are_wildcards() {
        assert_eq!(nats_wildcard("orders.new.{i}").as_deref(), Some("orders.new.*"));
        assert_eq!(nats_wildcard("{region}.orders.{id}").as_deref(), Some("*.orders.*"));
        assert_eq!(nats_wildcard("orders.v{n}"), None);
        assert_eq!(nats_wildcard("{subject}"), None);
        assert_eq!(nats_wildcard("${app.subject}"), None);
    }

    #[test]
    fn holes_fold_through_constants_and_settings() {
        let n = names();
        assert_eq!(
            n.fold("{TopicOrderPlaced}", "orders", "internal/events/publisher.go").as_deref(),
            Some("orders.placed.v1")
        );
        assert_eq!(n.fold("${app.topics.cancelled}", "loyalty", "src/L.java").as_deref(), Some("orders.cancelled.v1"));
        assert_eq!(n.fold("${app.topics.missing:fallback.topic}", "loyalty", "a").as_deref(), Some("fallback.topic"));
        // Another repository's constant is not this one's.
        assert_eq!(n.fold("{TopicOrderPlaced}", "billing", "x.go"), None);
        // Two values in the repository and none nearby: unknown.
        assert_eq!(n.fold("{Prefix}.x", "a", "q/r.go"), None);
        assert_eq!(n.fold("{Prefix}.x", "a", "x.go").as_deref(), Some("p1.x"));
    }
}
