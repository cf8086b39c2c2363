//! NATS JetStream pull consumers in Go (`github.com/nats-io/nats.go/jetstream`): a consumer is
//! made on a stream and then pulled from, so the subscription names no subject.
//!
//! ```go
//! stream, _ := js.CreateStream(ctx, jetstream.StreamConfig{Name: "EVENTS", Subjects: []string{"events.>"}})
//! cons, _ := stream.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: "processor"})
//! cc, _ := cons.Consume(handle)     // subscribes to events.>
//! msgs, _ := cons.Fetch(10)         // idem
//! ```
//!
//! A pull (`Consume`, `Fetch`, `FetchNoWait`, `FetchBytes`, `Messages`, `Next`) on a variable the
//! file assigned from a consumer-making call subscribes to the consumer's `FilterSubject(s)` when
//! it states them, else to the subjects of the stream it was made on: the stream variable's
//! `StreamConfig`, or the `StreamConfig` of that name (`js.CreateOrUpdateConsumer(ctx, "EVENTS", ..)`).
//! A consumer whose stream the file does not configure subscribes to nothing the brain can name.

use crate::clients::{emit_topic, Dir, Seen};
use crate::ctx::Ctx;
use crate::extract::CallSite;
use crate::lang::Lang;
use crate::langs::{walk, Nodes};
use crate::strval;
use std::collections::HashMap;
use tree_sitter::Node as TsNode;

const PULLS: &[&str] = &["Consume", "Fetch", "FetchNoWait", "FetchBytes", "Messages", "Next"];
const MAKE_CONSUMER: &[&str] =
    &["CreateOrUpdateConsumer", "CreateConsumer", "UpdateConsumer", "Consumer", "OrderedConsumer"];
const MAKE_STREAM: &[&str] = &["CreateStream", "CreateOrUpdateStream", "UpdateStream", "Stream"];

/// What the file's assignments make: variable -> the call on its right-hand side.
fn assigned_calls<'t>(ctx: &Ctx, root: &Nodes<'t>) -> HashMap<String, TsNode<'t>> {
    let mut out = HashMap::new();
    root.each(|n, kind| {
        if !matches!(kind, "short_var_declaration" | "assignment_statement") {
            return;
        }
        let (Some(left), Some(right)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else { return };
        let (Some(var), Some(call)) = (left.named_child(0), right.named_child(0)) else { return };
        if var.kind() == "identifier" && call.kind() == "call_expression" {
            out.insert(ctx.text(var).to_string(), call);
        }
    });
    out
}

/// The method a call expression calls and what it is called on (`stream.CreateOrUpdateConsumer`).
fn method<'t>(ctx: &Ctx<'t>, call: TsNode<'t>) -> Option<(&'t str, TsNode<'t>)> {
    let f = call.child_by_field_name("function").filter(|f| f.kind() == "selector_expression")?;
    Some((ctx.text(f.child_by_field_name("field")?), f.child_by_field_name("operand")?))
}

/// String values of the keyed elements `keys` of composite literals inside `n`, and the
/// `Name` of the literal they are in.
fn literal_values(ctx: &Ctx, n: TsNode, keys: &[&str]) -> Vec<(Option<String>, Vec<String>)> {
    let mut out = Vec::new();
    walk(n, |lit| {
        if lit.kind() != "composite_literal" {
            return;
        }
        let Some(body) = lit.child_by_field_name("body") else { return };
        let mut name = None;
        let mut values = Vec::new();
        let mut c = body.walk();
        for el in body.named_children(&mut c).filter(|e| e.kind() == "keyed_element") {
            let (Some(k), Some(v)) = (el.named_child(0), el.named_child(1)) else { continue };
            let key = ctx.text(k);
            if key == "Name" {
                name = strval::eval(ctx, v).and_then(|s| s.exact());
            } else if keys.contains(&key) {
                walk(v, |s| {
                    if matches!(s.kind(), "interpreted_string_literal" | "raw_string_literal" | "identifier") {
                        if let Some(x) = strval::eval(ctx, s).and_then(|s| s.exact()) {
                            values.push(x);
                        }
                    }
                });
            }
        }
        if name.is_some() || !values.is_empty() {
            out.push((name, values));
        }
    });
    out
}

/// Finds pulls from JetStream consumers and subscribes them to their subjects.
pub fn detect(ctx: &mut Ctx, root: &Nodes<'_>, calls: &[CallSite], seen: &mut Seen) {
    if ctx.lang != Lang::Go || !ctx.src.contains("nats.go/jetstream") {
        return;
    }
    let made = assigned_calls(ctx, root);
    let streams: Vec<(Option<String>, Vec<String>)> =
        literal_values(ctx, root.root, &["Subjects"]).into_iter().filter(|(_, s)| !s.is_empty()).collect();
    for c in calls {
        let callee = ctx.text(c.callee);
        let Some(recv) = c.receiver.filter(|r| r.kind() == "identifier") else { continue };
        if !PULLS.contains(&callee) {
            continue;
        }
        let Some(&make) = made.get(ctx.text(recv)) else { continue };
        let Some((m, on)) = method(ctx, make) else { continue };
        if !MAKE_CONSUMER.contains(&m) {
            continue;
        }
        let filters: Vec<String> =
            literal_values(ctx, make, &["FilterSubject", "FilterSubjects"]).into_iter().flat_map(|(_, v)| v).collect();
        let subjects = if !filters.is_empty() {
            filters
        } else {
            // The stream: the variable the consumer was made on, or the name passed to `js`.
            let stream_name = made
                .get(ctx.text(on))
                .filter(|s| method(ctx, **s).is_some_and(|(sm, _)| MAKE_STREAM.contains(&sm)))
                .map(|s| literal_values(ctx, *s, &["Subjects"]))
                .and_then(|v| v.into_iter().next());
            match stream_name {
                Some((_, subjects)) => subjects,
                None => {
                    let arg = make.child_by_field_name("arguments").and_then(|a| a.named_child(1));
                    let name = arg.and_then(|a| strval::eval(ctx, a)).and_then(|s| s.exact());
                    match name {
                        Some(n) => streams
                            .iter()
                            .find(|(sn, _)| sn.as_deref() == Some(&n))
                            .map(|s| s.1.clone())
                            .unwrap_or_default(),
                        None => Vec::new(),
                    }
                }
            }
        };
        for s in subjects {
            emit_topic(ctx, seen, c.node, Dir::Sub, "nats", &s);
        }
    }
}
