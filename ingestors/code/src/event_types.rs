//! Buses that route by the event's type, not by a topic string: the .NET
//! integration-event pattern (eShop's `IIntegrationEventHandler<T>`,
//! MassTransit's `IConsumer<T>`, NServiceBus/Rebus `IHandleMessages<T>`,
//! `AddSubscription<TEvent, THandler>()`), where the routing key is the
//! event class's name, and class-declared subjects (a listener or publisher
//! class that names its subject in a field, as NATS Streaming and many
//! in-house bus wrappers do: `readonly subject = Subjects.TicketCreated`).
//!
//! Handlers found here subscribe to the topic named after the event type (or
//! the declared subject); their handling method is recorded as a listener so the
//! flow analysis binds its parameter to that topic. Publishing a typed event is
//! handled by the flow analysis (it knows the value's type).

use crate::clients::{emit_topic_named, Dir};
use crate::ctx::{last_segment, Ctx};
use crate::lang::Lang;
use crate::langs::Nodes;
use crate::strval;
use tree_sitter::Node as TsNode;

/// Generic handler interfaces whose type argument is the event consumed.
const HANDLER_INTERFACES: &[&str] =
    &["IIntegrationEventHandler", "IConsumer", "IHandleMessages", "IEventHandler", "IMessageHandler", "IHandleEvent"];

/// Method names a handler class handles its event in.
const HANDLE_METHODS: &[&str] = &["Handle", "HandleAsync", "Consume", "onMessage", "on_message", "handle"];

/// Finds typed-event handlers and class-declared subjects.
pub fn detect(ctx: &mut Ctx, root: &Nodes<'_>) {
    if ctx.test_file || ctx.generated {
        return;
    }
    match ctx.lang {
        Lang::CSharp => csharp_handlers(ctx, root),
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Python | Lang::Java | Lang::Kotlin => {
            declared_subjects(ctx, root)
        }
        _ => {}
    }
}

fn csharp_handlers(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut found: Vec<(TsNode, String)> = Vec::new();
    root.each(|n, kind| {
        if kind != "class_declaration" && kind != "record_declaration" {
            return;
        }
        let Some(bases) = n.named_children(&mut n.walk()).find(|c| c.kind() == "base_list") else { return };
        let text = ctx.text(bases);
        for iface in HANDLER_INTERFACES {
            let Some(i) = text.find(&format!("{iface}<")) else { continue };
            let rest = &text[i + iface.len() + 1..];
            let ty = rest.split(['>', ',']).next().unwrap_or("").trim();
            let ty = last_segment(ty);
            if !ty.is_empty() {
                found.push((n, ty.to_string()));
            }
        }
    });
    for (class, event) in found {
        let method = handle_method(ctx, class).unwrap_or(class);
        emit_topic_named(ctx, method, Dir::Sub, "eventbus", &event);
        ctx.sites
            .listeners
            .entry((method.start_byte(), method.end_byte()))
            .or_default()
            .push(crate::flow::tyref::Bnd::new(crate::flow::tyref::BndKind::Topic, event.clone()));
    }
    // `eventBus.AddSubscription<OrderPaidIntegrationEvent, OrderPaidHandler>()` /
    // `services.AddSubscription<..>()`: the registration subscribes too.
    let mut regs: Vec<(TsNode, String)> = Vec::new();
    root.each(|n, kind| {
        if kind != "invocation_expression" {
            return;
        }
        let Some(f) = n.child_by_field_name("function") else { return };
        let t = ctx.text(f);
        if let Some(i) = t.find("AddSubscription<") {
            let ty = t[i + "AddSubscription<".len()..].split([',', '>']).next().unwrap_or("").trim();
            let ty = last_segment(ty);
            if !ty.is_empty() {
                regs.push((n, ty.to_string()));
            }
        }
    });
    for (n, event) in regs {
        emit_topic_named(ctx, n, Dir::Sub, "eventbus", &event);
    }
}

/// The method of a handler class that handles the event.
fn handle_method<'t>(ctx: &Ctx, class: TsNode<'t>) -> Option<TsNode<'t>> {
    let body = class.child_by_field_name("body").or_else(|| {
        let mut c = class.walk();
        let found = class.named_children(&mut c).find(|c| c.kind().ends_with("body") || c.kind() == "declaration_list");
        found
    })?;
    let mut c = body.walk();
    let found = body
        .named_children(&mut c)
        .find(|m| m.child_by_field_name("name").is_some_and(|x| HANDLE_METHODS.contains(&ctx.text(x))));
    found
}

/// Classes that name their subject in a field and extend a listener or publisher base
/// (`class TicketCreatedListener extends Listener<..> { readonly subject = Subjects.TicketCreated; onMessage(data) {..} }`).
fn declared_subjects(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut found: Vec<(TsNode, Dir, String, Option<TsNode>)> = Vec::new();
    root.each(|n, kind| {
        if !matches!(kind, "class_declaration" | "class_definition" | "class") {
            return;
        }
        let header = header_text(ctx, n);
        let dir = if ["Listener", "Consumer", "Subscriber", "Handler"].iter().any(|b| extends_like(header, b)) {
            Dir::Sub
        } else if ["Publisher", "Producer", "Emitter"].iter().any(|b| extends_like(header, b)) {
            Dir::Pub
        } else {
            return;
        };
        let Some(subject) = subject_field(ctx, n) else { return };
        let at = if dir == Dir::Sub { handle_method(ctx, n) } else { None };
        found.push((n, dir, subject, at));
    });
    for (class, dir, subject, method) in found {
        let site = method.unwrap_or(class);
        emit_topic_named(ctx, site, dir, "bus", &subject);
        if let (Dir::Sub, Some(m)) = (dir, method) {
            ctx.sites
                .listeners
                .entry((m.start_byte(), m.end_byte()))
                .or_default()
                .push(crate::flow::tyref::Bnd::new(crate::flow::tyref::BndKind::Topic, subject.clone()));
        }
    }
}

/// The class header up to its body (`class X extends Listener<Y>`, `class X(BaseConsumer):`).
fn header_text<'a>(ctx: &Ctx<'a>, class: TsNode) -> &'a str {
    let body = class.child_by_field_name("body");
    match body {
        Some(b) => ctx.src.get(class.start_byte()..b.start_byte()).unwrap_or(""),
        None => ctx.text(class).lines().next().unwrap_or(""),
    }
}

/// Whether a class header extends something named like `base` (`Listener`, `BaseListener`, `AbstractListener<T>`).
fn extends_like(header: &str, base: &str) -> bool {
    let after = header
        .split_once("extends")
        .map(|(_, r)| r)
        .or_else(|| header.split_once('(').map(|(_, r)| r))
        .or_else(|| header.split_once(':').map(|(_, r)| r))
        .unwrap_or("");
    after.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w.ends_with(base) && w.len() <= base.len() + 12)
}

/// The value of a `subject`/`topic`/`queue`/`channel` field of a class, folded where it is a
/// same-file constant or an enum member written as text (`Subjects.TicketCreated` stays an expression).
fn subject_field(ctx: &Ctx, class: TsNode) -> Option<String> {
    let body = class.child_by_field_name("body")?;
    let mut stack = vec![body];
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 400 {
            break;
        }
        let kind = n.kind();
        let (name, value) = match kind {
            "public_field_definition" | "field_definition" => {
                (n.child_by_field_name("name"), n.child_by_field_name("value"))
            }
            "assignment" => (n.child_by_field_name("left"), n.child_by_field_name("right")),
            "variable_declarator" => (n.child_by_field_name("name"), n.child_by_field_name("value")),
            _ => {
                if !matches!(kind, "function_definition" | "method_definition" | "method_declaration") {
                    let mut c = n.walk();
                    stack.extend(n.named_children(&mut c));
                }
                continue;
            }
        };
        let (Some(name), Some(value)) = (name, value) else { continue };
        let nm = last_segment(ctx.text(name)).to_ascii_lowercase();
        if !matches!(nm.as_str(), "subject" | "topic" | "queue" | "channel" | "queuename" | "topicname" | "routingkey")
        {
            continue;
        }
        let v = strval::eval(ctx, value)?;
        return Some(match v.exact() {
            Some(s) if !s.is_empty() => s,
            // `Subjects.TicketCreated`: an enum member another file declares; the string link
            // step folds `{TicketCreated}` through the constants it provides.
            _ => v.render(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::extends_like;

    #[test]
    fn bases_by_name() {
        assert!(extends_like("class TicketCreatedListener extends Listener<TicketCreatedEvent> ", "Listener"));
        assert!(extends_like("class OrderConsumer(BaseConsumer):", "Consumer"));
        assert!(!extends_like("class ListenerFactory", "Listener"));
    }
}
