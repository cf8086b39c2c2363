//! grpc-gateway: a Go program that registers a service's generated gateway handler
//! (`gw.RegisterProductServiceHandlerFromEndpoint(ctx, mux, endpoint, opts)`, `Register…Handler`,
//! `Register…HandlerClient`) serves the HTTP routes the service's rpcs declare in their
//! `google.api.http` options, and forwards each request to the rpc.
//!
//! The extractor keeps the registration as a reference of namespace [`NS_GRPC_GATEWAY`] keyed by
//! the service's name; [`link`] (run by the route-prefix pass) finds the service's rpcs that have
//! HTTP rules (attribute `http_rules` of the proto ingestor), and gives the registering function a
//! served HTTP operation per rule (declared at the registration) and a call of each such rpc.

use crate::clients::{push, Seen};
use crate::ctx::Ctx;
use crate::extract::CallSite;
use crate::lang::Lang;
use brain_graph::LinkContext;
use brain_model::attr::{self, ns};
use brain_model::{wire, Edge, EdgeKind, Node, NodeId, NodeKind, Origin, RefTarget, Reference};

/// Namespace of gateway registrations: references keyed by the service's simple name.
pub const NS_GRPC_GATEWAY: &str = "grpc-gateway";
/// Attribute of rpc operations (proto ingestor): the service's name.
const SERVICE: &str = "service";
/// Attribute of rpc operations (proto ingestor): `GET /v1/x; POST /v1/y`.
const HTTP_RULES: &str = "http_rules";

/// The service a gateway registration names: `RegisterProductServiceHandlerFromEndpoint` gives
/// `ProductService`.
fn registered_service(callee: &str) -> Option<&str> {
    let rest = callee.strip_prefix("Register")?;
    let svc = rest
        .strip_suffix("HandlerFromEndpoint")
        .or_else(|| rest.strip_suffix("HandlerClient"))
        .or_else(|| rest.strip_suffix("Handler"))?;
    (!svc.is_empty() && svc.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(svc)
}

/// Records a gateway handler registration in Go.
pub fn detect(ctx: &mut Ctx, c: &CallSite, seen: &mut Seen) {
    if ctx.lang != Lang::Go || c.receiver.is_none() {
        return;
    }
    let Some(svc) = registered_service(ctx.text(c.callee)) else { return };
    let from = ctx.owner_of(c.node);
    let span = ctx.span(c.node);
    let r = Reference::key(from, EdgeKind::Consumes, NS_GRPC_GATEWAY, svc, ctx.inferred(span, 0.8))
        .with_attr(attr::PROTOCOL, "grpc");
    push(ctx, seen, r);
}

/// Links gateway registrations to their services' HTTP rules and rpcs.
pub fn link(ctx: &mut LinkContext) {
    let mut keep = Vec::new();
    let mut regs = Vec::new();
    for r in ctx.take_unresolved() {
        match &r.target {
            RefTarget::Key { ns: n, .. } if n == NS_GRPC_GATEWAY => regs.push(r),
            _ => keep.push(r),
        }
    }
    for r in keep {
        ctx.push_unresolved(r);
    }
    for r in regs {
        let RefTarget::Key { key: svc, .. } = &r.target else { continue };
        // The service's rpcs with HTTP rules, those of the registering repository first.
        let mut rpcs: Vec<(NodeId, String, bool)> = ctx
            .nodes_of_kind(NodeKind::Operation)
            .filter(|n| n.attr(SERVICE).is_some_and(|s| s.rsplit('.').next() == Some(svc.as_str())))
            .filter_map(|n| Some((n.id.clone(), n.attr(HTTP_RULES)?.to_string(), n.prov.repo == r.prov.repo)))
            .collect();
        if rpcs.iter().any(|x| x.2) {
            rpcs.retain(|x| x.2);
        }
        if rpcs.is_empty() {
            ctx.push_unresolved(r);
            continue;
        }
        for (rpc, rules, _) in rpcs {
            ctx.link_ref(&r, rpc);
            for rule in rules.split("; ") {
                let Some((method, path)) = rule.split_once(' ') else { continue };
                let name = format!("{method} {path}");
                let id = NodeId::operation(&r.prov.repo, &r.prov.path, &name);
                let mut prov = r.prov.clone();
                prov.origin = Origin::inferred(0.8);
                if !ctx.contains(&id) {
                    ctx.add_node(
                        Node::new(id.clone(), NodeKind::Operation, &name, prov.clone())
                            .with_attr(attr::HTTP_METHOD, method)
                            .with_attr(attr::HTTP_PATH, path)
                            .with_attr(attr::PROTOCOL, "http"),
                    );
                }
                ctx.provide(id.clone(), ns::HTTP, &wire::http_key(method, path));
                ctx.add_edge(Edge::new(r.from.clone(), EdgeKind::Exposes, id, prov));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::registered_service;

    #[test]
    fn registrations_name_their_service() {
        assert_eq!(registered_service("RegisterProductServiceHandlerFromEndpoint"), Some("ProductService"));
        assert_eq!(registered_service("RegisterOrdersHandler"), Some("Orders"));
        assert_eq!(registered_service("RegisterOrdersHandlerClient"), Some("Orders"));
        assert_eq!(registered_service("RegisterOrdersServer"), None);
        assert_eq!(registered_service("RegisterHandler"), None);
    }
}
