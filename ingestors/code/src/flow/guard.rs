//! Topic guards: which of a consumer's topics a branch of its code handles.
//!
//! A consumer subscribed to several topics usually dispatches on the message's
//! topic before decoding it:
//!
//! ```text
//! match msg.topic() { READINGS_TOPIC => from_slice::<Reading>(p), HEARTBEAT_TOPIC => .. }
//! switch (result.Topic) { case "telemetry.readings.v1": Deserialize<Reading>(..) }
//! if msg.subject == "orders.created": Order.parse_raw(msg.data)
//! ```
//!
//! A type decoded inside such a branch is the payload of the topics the branch
//! names, not of every topic the consumer receives. [`guarded_topics`] finds the
//! innermost enclosing branch (match arm, switch case, the consequence of an
//! `if`) whose pattern or condition names some of the given topics, as string
//! literals or same-file constants.

use crate::ctx::Ctx;
use crate::strval;
use tree_sitter::Node as TsNode;

/// The subset of `topics` the innermost branch around `at` names, or `None` when no
/// enclosing branch names any of them.
pub fn guarded_topics(ctx: &Ctx, at: TsNode, topics: &[&str]) -> Option<Vec<String>> {
    let mut child = at;
    let mut node = at.parent();
    while let Some(n) = node {
        if let Some(guard) = guard_of(n, child) {
            let named = names_in(ctx, guard, topics);
            if !named.is_empty() {
                return Some(named);
            }
        }
        child = n;
        node = n.parent();
    }
    None
}

/// The part of branch `n` that decides whether `child` runs: a match arm's or a case's
/// pattern, or an `if`'s condition when `child` is its consequence.
fn guard_of<'t>(n: TsNode<'t>, child: TsNode<'t>) -> Option<TsNode<'t>> {
    match n.kind() {
        // Rust `PAT => ..`, Go `case "a", "b":`, JavaScript `case "a":`.
        "match_arm" => n.child_by_field_name("pattern"),
        "expression_case" | "switch_case" => n.child_by_field_name("value"),
        // C# `case "a":` sections, Java `case "a" ->` / `case "a":` groups, Python `case "a":`,
        // Kotlin `"a" ->` entries: the labels are the children before the body.
        "switch_section" | "switch_block_statement_group" | "switch_rule" | "case_clause" | "when_entry" => {
            let mut c = n.walk();
            let label = n.children(&mut c).find(|c| {
                let k = c.kind();
                k.contains("label") || k.contains("pattern") || k == "when_condition"
            });
            label
        }
        "if_statement" | "if_expression" | "elif_clause" => {
            let consequence = n.child_by_field_name("consequence")?;
            (consequence.id() == child.id()).then(|| n.child_by_field_name("condition")).flatten()
        }
        _ => None,
    }
}

/// The topics among `topics` that strings or constants inside `guard` name.
fn names_in(ctx: &Ctx, guard: TsNode, topics: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![guard];
    while let Some(n) = stack.pop() {
        if n.is_named() && n.child_count() <= 3 {
            if let Some(v) = strval::eval(ctx, n).and_then(|v| v.exact()) {
                if topics.contains(&v.as_str()) && !out.contains(&v) {
                    out.push(v);
                }
                continue;
            }
        }
        let mut c = n.walk();
        stack.extend(n.named_children(&mut c));
    }
    out
}
