//! C++ on the wire: gRPC servers (classes deriving `X::Service`,
//! `X::CallbackService`, `X::AsyncService`, `X::WithAsyncMethod_M<...>`), gRPC
//! stubs (`X::NewStub(channel)` or a `std::unique_ptr<X::Stub>` member, then
//! `stub_->M(&ctx, req, &resp)`, `AsyncM`, `PrepareAsyncM`, `async()->M`,
//! `experimental_async()->M`), cpr HTTP calls (`cpr::Get(cpr::Url{...})`) and
//! librdkafka/cppkafka produce and subscribe. HTTP servers are not read.

use super::{walk, Nodes};
use crate::clients::{emit_http, emit_topic, implements, push, Dir, Seen};
use crate::ctx::{last_segment, Ctx};
use crate::extract::CallSite;
use crate::strval;
use brain_model::attr::{self, ns};
use brain_model::{wire, EdgeKind, Reference, Span};
use std::collections::HashMap;
use tree_sitter::Node as TsNode;

/// The service of a generated server base (`orders::OrderService::Service` gives `OrderService`).
pub fn service_of_base(base: &str) -> Option<String> {
    let base = base.split('<').next().unwrap_or(base).trim();
    let (svc, last) = base.rsplit_once("::")?;
    let generated = matches!(last, "Service" | "CallbackService" | "AsyncService" | "ExperimentalCallbackService")
        || last.starts_with("WithAsyncMethod_")
        || last.starts_with("WithCallbackMethod_")
        || last.starts_with("WithStreamedUnaryMethod_");
    let svc = last_segment(svc);
    (generated && !svc.is_empty() && svc.starts_with(|c: char| c.is_uppercase())).then(|| svc.to_string())
}

/// The variable or member a value initialises or is assigned to.
fn target_of(ctx: &Ctx, n: TsNode) -> Option<String> {
    let mut cur = n;
    for _ in 0..4 {
        let p = cur.parent()?;
        let name = match p.kind() {
            "init_declarator" => p.child_by_field_name("declarator"),
            "assignment_expression" => p.child_by_field_name("left"),
            // Constructor initialiser lists: `stub_(X::NewStub(channel))`.
            "field_initializer" => p.named_child(0),
            _ => None,
        };
        if let Some(nm) = name.filter(|x| x.id() != cur.id()) {
            let t = ctx.text(nm).trim_start_matches(['*', '&']).trim();
            return Some(t.rsplit(['.', '>']).next().unwrap_or(t).to_string());
        }
        cur = p;
    }
    None
}

/// Variables and members holding stubs: `auto stub = X::NewStub(ch)`, `std::unique_ptr<X::Stub> stub_`.
fn stubs(ctx: &Ctx, root: &Nodes<'_>, calls: &[CallSite]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in calls {
        if ctx.text(c.callee) != "NewStub" {
            continue;
        }
        let Some(svc) = c.receiver.map(|r| last_segment(ctx.text(r)).to_string()).filter(|s| !s.is_empty()) else {
            continue;
        };
        if let Some(t) = target_of(ctx, c.node) {
            out.insert(t, svc);
        }
    }
    root.each(|n, kind| {
        if !matches!(kind, "field_declaration" | "declaration" | "parameter_declaration") {
            return;
        }
        let Some(ty) = n.child_by_field_name("type") else { return };
        let t = ctx.text(ty);
        let Some(i) = t.find("::Stub") else { return };
        let svc = last_segment(t[..i].rsplit(['<', ' ', ',']).next().unwrap_or(""));
        let Some(d) = n.child_by_field_name("declarator") else { return };
        let mut name = None;
        walk(d, |x| {
            if name.is_none() && matches!(x.kind(), "identifier" | "field_identifier") {
                name = Some(ctx.text(x).to_string());
            }
        });
        if let Some(nm) = name.filter(|_| !svc.is_empty()) {
            out.insert(nm, svc.to_string());
        }
    });
    out
}

/// The rpc a stub method call names (`AsyncGetOrder`, `PrepareAsyncGetOrder` give `GetOrder`).
fn rpc_name(callee: &str) -> Option<&str> {
    let m = callee.strip_prefix("PrepareAsync").or_else(|| callee.strip_prefix("Async")).unwrap_or(callee);
    (!m.is_empty() && m.starts_with(|c: char| c.is_uppercase())).then_some(m)
}

pub fn clients(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite], seen: &mut Seen) {
    servers(ctx, root, seen);
    let stubs = stubs(ctx, root, calls);
    for c in calls {
        let callee = ctx.text(c.callee).to_string();
        let recv = c.receiver.map(|r| ctx.text(r)).unwrap_or("").to_string();
        // `stub_->M(...)`, `stub->async()->M(...)`.
        let key = ["->async()", ".async()", "->experimental_async()", ".experimental_async()"]
            .iter()
            .fold(recv.as_str(), |k, s| k.strip_suffix(s).unwrap_or(k));
        let key = key.rsplit(['.', '>']).next().unwrap_or(key).trim_start_matches(['*', '&']);
        if let (Some(svc), Some(m)) = (stubs.get(key), rpc_name(&callee)) {
            let from = ctx.owner_of(c.node);
            let span = ctx.span(c.node);
            let r = Reference::key(from, EdgeKind::Consumes, ns::GRPC, wire::grpc_key(svc, m), ctx.inferred(span, 0.8))
                .with_attr(attr::PROTOCOL, "grpc");
            push(ctx, seen, r);
            continue;
        }
        let Some(args) = c.args else { continue };
        let first = args.named_child(0);
        match (recv.as_str(), callee.as_str()) {
            ("cpr", "Get" | "Post" | "Put" | "Delete" | "Patch" | "Head") => {
                // `cpr::Url{...}` or a plain string.
                let url = first.and_then(|a| match a.kind() {
                    "compound_literal_expression" => a.child_by_field_name("value").and_then(|v| v.named_child(0)),
                    _ => Some(a),
                });
                if let Some(u) = url.and_then(|u| strval::eval(ctx, u)) {
                    emit_http(ctx, seen, c, &callee.to_uppercase(), &u, false);
                }
            }
            (r, "produce") if r.to_ascii_lowercase().contains("producer") => {
                let topic = first.and_then(|a| {
                    let mut lit = None;
                    // cppkafka `MessageBuilder("topic")`, or the topic name itself.
                    walk(a, |x| {
                        if lit.is_none() && x.kind() == "string_literal" {
                            lit = strval::eval(ctx, x).and_then(|v| v.exact());
                        }
                    });
                    lit.or_else(|| strval::eval(ctx, a).and_then(|v| v.exact()))
                });
                if let Some(t) = topic {
                    emit_topic(ctx, seen, c.node, Dir::Pub, "kafka", &t);
                }
            }
            ("RdKafka::Topic", "create") => {
                let t = args.named_child(1).and_then(|a| strval::eval(ctx, a)).and_then(|v| v.exact());
                if let Some(t) = t {
                    emit_topic(ctx, seen, c.node, Dir::Pub, "kafka", &t);
                }
            }
            (r, "subscribe") if r.to_ascii_lowercase().contains("consumer") => {
                let mut topics = Vec::new();
                if let Some(a) = first {
                    walk(a, |x| {
                        if x.kind() == "string_literal" {
                            topics.extend(strval::eval(ctx, x).and_then(|v| v.exact()));
                        }
                    });
                }
                for t in topics {
                    emit_topic(ctx, seen, c.node, Dir::Sub, "kafka", &t);
                }
            }
            _ => {}
        }
    }
}

/// Classes deriving a generated gRPC service base implement that service.
fn servers(ctx: &mut Ctx, root: &Nodes<'_>, seen: &mut Seen) {
    let mut found: Vec<(TsNode, String)> = Vec::new();
    root.each(|n, kind| {
        if !matches!(kind, "class_specifier" | "struct_specifier") {
            return;
        }
        let Some(bases) = n.named_children(&mut n.walk()).find(|c| c.kind() == "base_class_clause") else { return };
        let mut c = bases.walk();
        for b in bases.named_children(&mut c) {
            if let Some(svc) = service_of_base(ctx.text(b)) {
                found.push((n, svc));
                break;
            }
        }
    });
    for (n, svc) in found {
        // For the flow analysis: the class's rpc methods serve the service.
        if let Some(nm) = n.child_by_field_name("name") {
            ctx.sites.grpc_servers.insert(last_segment(ctx.text(nm)).to_string(), svc.clone());
        }
        let from = ctx
            .def_at
            .get(&(n.start_byte(), n.end_byte()))
            .map(|i| ctx.defs[*i].id.clone())
            .unwrap_or_else(|| ctx.file_id.clone());
        let span = ctx.span(n);
        implements(ctx, seen, from, &svc, Span::line(span.start_line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_and_rpcs() {
        assert_eq!(service_of_base("helloworld::Greeter::Service").as_deref(), Some("Greeter"));
        assert_eq!(service_of_base("Greeter::CallbackService").as_deref(), Some("Greeter"));
        assert_eq!(service_of_base("Greeter::WithAsyncMethod_SayHello<Greeter::Service>").as_deref(), Some("Greeter"));
        assert_eq!(service_of_base("grpc::Service"), None);
        assert_eq!(service_of_base("Base"), None);
        assert_eq!(rpc_name("PrepareAsyncGetOrder"), Some("GetOrder"));
        assert_eq!(rpc_name("AsyncGetOrder"), Some("GetOrder"));
        assert_eq!(rpc_name("reset"), None);
    }
}
