//! Google Cloud Pub/Sub publishers and subscribers in every client library.
//!
//! A message is published on a topic handle or path, which is where the code names the topic:
//! `client.Topic("t").Publish(ctx, m)` (Go), `pubsub.topic('t').publishMessage(..)` (Node),
//! `publisher.publish(publisher.topic_path(project, "t"), data)` (Python),
//! `Publisher.newBuilder(TopicName.of(project, "t"))` (Java/Kotlin),
//! `PublisherClient.CreateAsync(TopicName.FromProjectTopic(project, "t"))` (C#). The handle may be
//! made inline or bound to a variable first. Subscribers name a *subscription*, which the
//! infrastructure binds to a topic; the code alone does not say which, so a subscription is kept as
//! an unresolved `pubsub-subscription` reference at the receiving call rather than guessed.

use crate::clients::{emit_topic_named, Dir};
use crate::ctx::{args_of, last_segment, Ctx};
use crate::extract::CallSite;
use crate::lang::Lang;
use crate::strval;
use brain_model::{attr, EdgeKind, Reference};
use tree_sitter::Node as TsNode;

/// Namespace of a subscription a subscriber receives from (bound to its topic outside the code).
pub const NS_SUBSCRIPTION: &str = "pubsub-subscription";

/// Imports that load a Pub/Sub client library.
const LOADS: [&str; 6] = [
    "cloud.google.com/go/pubsub",
    "@google-cloud/pubsub",
    "google.cloud import pubsub",
    "google.cloud.pubsub",
    "com.google.cloud.pubsub",
    "Google.Cloud.PubSub",
];

/// Makers of topic handles and paths: how the function is written (its end) and where the topic
/// id is among its arguments.
const TOPIC_MAKERS: [(&str, usize); 7] = [
    (".Topic", 0),
    (".Publisher", 0),
    (".topic", 0),
    ("topic_path", 1),
    ("TopicName.of", 1),
    ("TopicName.FromProjectTopic", 1),
    ("TopicName", 1),
];

/// Makers of subscription handles and paths.
const SUBSCRIPTION_MAKERS: [(&str, usize); 6] = [
    (".Subscription", 0),
    (".Subscriber", 0),
    (".subscription", 0),
    ("subscription_path", 1),
    ("SubscriptionName.of", 1),
    ("SubscriptionName.FromProjectSubscription", 1),
];

/// Whether the file loads a Pub/Sub client library (asked once per file, before [`detect`]).
pub(crate) fn loaded(src: &str) -> bool {
    LOADS.iter().any(|l| src.contains(l))
}

/// Publishes and subscriptions of one call site of a file that [`loaded`] a Pub/Sub library.
pub(crate) fn detect(ctx: &mut Ctx, c: &CallSite) {
    let Some(args_node) = c.args else { return };
    let callee = last_segment(ctx.text(c.callee));
    let args = args_of(ctx.src, args_node);
    let arg0 = args.positional.first().copied();
    let recv = c.receiver;
    let recv_text = recv.map(|r| ctx.text(r)).unwrap_or("");
    // (handle expression, publish?) per library.
    let site: Option<(TsNode, Dir)> = match (ctx.lang, callee) {
        (Lang::Go, "Publish") => recv.map(|r| (r, Dir::Pub)),
        (Lang::Go, "Receive") => recv.map(|r| (r, Dir::Sub)),
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "publishMessage" | "publish" | "publishJSON") => {
            recv.map(|r| (r, Dir::Pub))
        }
        (Lang::TypeScript | Lang::Tsx | Lang::JavaScript, "on")
            if arg0.is_some_and(|a| ctx.text(a).trim_matches(['\'', '"', '`']) == "message") =>
        {
            recv.map(|r| (r, Dir::Sub))
        }
        (Lang::Python, "publish") => arg0.map(|a| (a, Dir::Pub)),
        (Lang::Python, "subscribe") => arg0.map(|a| (a, Dir::Sub)),
        (Lang::Java | Lang::Kotlin, "newBuilder") if recv_text.ends_with("Publisher") => arg0.map(|a| (a, Dir::Pub)),
        (Lang::Java | Lang::Kotlin, "newBuilder") if recv_text.ends_with("Subscriber") => arg0.map(|a| (a, Dir::Sub)),
        (Lang::CSharp, "CreateAsync" | "Create") if recv_text.ends_with("PublisherClient") => {
            arg0.map(|a| (a, Dir::Pub))
        }
        (Lang::CSharp, "CreateAsync" | "Create") if recv_text.ends_with("SubscriberClient") => {
            arg0.map(|a| (a, Dir::Sub))
        }
        _ => None,
    };
    let Some((handle, dir)) = site else { return };
    let makers: &[(&str, usize)] = if dir == Dir::Pub { &TOPIC_MAKERS } else { &SUBSCRIPTION_MAKERS };
    let Some(id) = handle_id(ctx, handle, makers, 2) else { return };
    let Some(name) = strval::eval(ctx, id) else { return };
    let Some(name) = name.exact().filter(|n| !n.is_empty()) else { return };
    match dir {
        Dir::Pub => emit_topic_named(ctx, c.node, Dir::Pub, "pubsub", &name),
        Dir::Sub => {
            let from = ctx.owner_of(c.node);
            let span = ctx.span(c.node);
            let r = Reference::key(from, EdgeKind::Subscribes, NS_SUBSCRIPTION, name, ctx.inferred(span, 0.7))
                .with_attr(attr::BUS, "pubsub");
            ctx.add_wire_ref(r);
        }
    }
}

/// The topic or subscription id argument of the maker call `expr` is, or that the variable `expr`
/// was bound to (`t := client.Topic(id)`, `topic_path = publisher.topic_path(project, "t")`).
fn handle_id<'t>(ctx: &Ctx, expr: TsNode<'t>, makers: &[(&str, usize)], depth: u8) -> Option<TsNode<'t>> {
    let expr = unwrap(expr);
    if let Some((function, args)) = call_parts(ctx, expr) {
        let (_, pos) = makers.iter().find(|(m, _)| made_by(&function, m))?;
        return args_of(ctx.src, args).positional.get(*pos).copied();
    }
    if depth == 0 || !matches!(expr.kind(), "identifier" | "simple_identifier") {
        return None;
    }
    let bound = strval::lookup(ctx, expr, ctx.text(expr))?;
    handle_id(ctx, bound, makers, depth - 1)
}

/// Whether a call of `function` is the maker written `maker`: `client.Topic` is `.Topic`,
/// `ProjectTopicName.of` and `TopicName.of` are `TopicName.of`, `new TopicName(..)` is `TopicName`.
fn made_by(function: &str, maker: &str) -> bool {
    let Some(head) = function.strip_suffix(maker) else { return false };
    maker.starts_with('.') || head.is_empty() || head.ends_with('.') || head.ends_with("Project")
}

/// `await x`, `(x)`, Go's one-value `expression_list`: the expression inside.
fn unwrap(mut n: TsNode) -> TsNode {
    while matches!(n.kind(), "await_expression" | "await" | "parenthesized_expression" | "expression_list") {
        match n.named_child(0) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

/// A call's function as written (`client.Topic`, `TopicName.of`, `TopicName` for `new
/// TopicName(..)`) and its argument list.
fn call_parts<'a, 't>(ctx: &Ctx<'a>, n: TsNode<'t>) -> Option<(String, TsNode<'t>)> {
    let args = n.child_by_field_name("arguments").or_else(|| {
        let mut c = n.walk();
        let found = n.named_children(&mut c).find(|c| matches!(c.kind(), "value_arguments" | "argument_list"));
        found
    });
    let function = match n.kind() {
        "call_expression" | "call" | "invocation_expression" => {
            n.child_by_field_name("function").or_else(|| n.named_child(0)).map(|f| ctx.text(f).to_string())
        }
        "method_invocation" => {
            let name = ctx.text(n.child_by_field_name("name")?);
            Some(match n.child_by_field_name("object") {
                Some(o) => format!("{}.{name}", ctx.text(o)),
                None => name.to_string(),
            })
        }
        "object_creation_expression" => n.child_by_field_name("type").map(|t| ctx.text(t).to_string()),
        _ => None,
    }?;
    Some((function, args?))
}
