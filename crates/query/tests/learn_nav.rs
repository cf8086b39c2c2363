//! Learning loop and navigation over the fixture org (see tests/fixture/mod.rs).

mod fixture;

use brain_model::{EdgeKind, NodeId};
use brain_query::learn::{find_repeat_with, lesson_record_facts};
use brain_query::nav::{decode_cursor, owners_of};
use brain_query::{
    failure_facts, find_repeat, lesson_facts, lesson_from_markdown, lesson_to_markdown, lessons_for, neighbors, path,
    FailureInput, LessonInput, NavDirection, NavError,
};
use fixture::*;

/// The same casing bug on the same field is a repeat; the lesson comes with it.
#[test]
fn repeats_need_shared_entities_and_similar_text() {
    let g = org_graph();
    let input = FailureInput {
        title: "Order page shows no date: createdAt vs created_at".into(),
        text: "web client read createdAt but the orders API sends created_at".into(),
        affected: vec![field_created_at()],
        ..Default::default()
    };
    let m = find_repeat(&g, &input).expect("a repeat");
    assert_eq!(m.failure.id, incident());
    assert!(m.similarity >= 0.4, "{}", m.similarity);
    assert_eq!(m.lessons.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), vec!["lesson:casing"]);
    // Same text, unrelated entity: not a repeat.
    let other = FailureInput { affected: vec![sym(BILLING, "billing/worker.py", "on_order_created")], ..input.clone() };
    assert!(find_repeat(&g, &other).is_none());
    // Same entity, different failure: not a repeat.
    let different = FailureInput {
        title: "Timeout talking to the database".into(),
        text: "connection pool exhausted under load".into(),
        ..input.clone()
    };
    assert!(find_repeat(&g, &different).is_none());
    // A sibling in the same file counts as overlapping (the spec file holds both fields).
    let sibling = FailureInput { affected: vec![field_total()], ..input.clone() };
    assert!(find_repeat_with(&g, &sibling, 0.4).is_some());
}

/// A lesson written through the API shows up for its entity once in the graph,
/// and survives a markdown round trip.
#[test]
fn lessons_written_through_the_api_attach_and_round_trip() {
    let input = LessonInput {
        text: "Total is integer cents; never parse it as float.".into(),
        applies_to: vec![field_total()],
        failure: Some(incident()),
        tags: vec!["money".into()],
        author: "alice".into(),
        ..Default::default()
    };
    let facts = lesson_facts(&input, 1_763_726_400);
    let g = graph_of(&[org_facts(), facts.clone()]);
    let found = lessons_for(&g, &[field_total()], Some("2026-11-21"));
    assert!(found.iter().any(|l| l.id == facts.nodes[0].id && l.tags == vec!["money".to_string()]), "{found:?}");
    let node = g.node(&facts.nodes[0].id).expect("lesson in graph");
    let edges: Vec<_> = g.outgoing(&node.id).map(|e| e.edge.clone()).collect();
    let md = lesson_to_markdown(node, &edges);
    insta::assert_snapshot!("lesson_markdown", md);
    let rec = lesson_from_markdown(&md).expect("parses");
    let again = lesson_record_facts(&rec);
    assert_eq!(&again.nodes[0], node);
    let f = failure_facts(
        &FailureInput {
            title: "x".into(),
            affected: vec![field_total()],
            repeats: Some(incident()),
            ..Default::default()
        },
        0,
    );
    assert!(f.edges.iter().any(|e| e.kind == EdgeKind::Repeats));
}

#[test]
fn expired_and_future_lessons_are_handled() {
    let input = LessonInput {
        text: "temporary workaround".into(),
        applies_to: vec![field_total()],
        valid_from: "2026-01-01".into(),
        valid_until: Some("2026-06-30".into()),
        ..Default::default()
    };
    let g = graph_of(&[org_facts(), lesson_facts(&input, 0)]);
    let l = lessons_for(&g, &[field_total()], Some("2026-11-21"));
    assert!(l.iter().any(|l| l.text == "temporary workaround" && l.stale));
    let l = lessons_for(&g, &[field_total()], Some("2025-01-01"));
    assert!(!l.iter().any(|l| l.text == "temporary workaround"), "not valid yet");
}

/// Lessons and failures are found from their own edges while they are few, and
/// from the entities' incoming edges once they are many (over 4,096 lessons):
/// both ways give the same answer.
#[test]
fn lessons_are_the_same_found_from_either_end() {
    let today = Some("2026-11-21");
    let ids = [field_total(), field_created_at(), sym(BILLING, "billing/worker.py", "on_order_created")];
    let mut facts = vec![org_facts()];
    facts.push(lesson_facts(
        &LessonInput {
            text: "Total is integer cents.".into(),
            applies_to: vec![field_total()],
            failure: Some(incident()),
            author: "alice".into(),
            ..Default::default()
        },
        0,
    ));
    let few = graph_of(&facts);
    let many_lessons: Vec<_> = (0..4100)
        .map(|i| {
            lesson_facts(
                &LessonInput {
                    text: format!("unrelated lesson {i}"),
                    applies_to: vec![sym(WEB, "src/orders.ts", "fetchOrder")],
                    author: "bob".into(),
                    ..Default::default()
                },
                0,
            )
        })
        .collect();
    facts.extend(many_lessons);
    let many = graph_of(&facts);
    let summary = |l: Vec<brain_query::about::LessonRef>| -> Vec<(String, Vec<NodeId>, Vec<NodeId>)> {
        l.into_iter().map(|l| (l.id.to_string(), l.entities, l.via)).collect()
    };
    let a = summary(lessons_for(&few, &ids, today));
    let b = summary(lessons_for(&many, &ids, today));
    assert!(!a.is_empty() && a.iter().any(|l| !l.2.is_empty()), "{a:?}");
    assert_eq!(a, b);
}

#[test]
fn paths_cross_edges_in_either_direction() {
    let g = org_graph();
    let from = sym(WEB, "src/orders.ts", "fetchOrder");
    let to = sym(ORDERS, "src/api.rs", "get_order");
    let hops = path(&g, &from, &to, 4).expect("a path");
    let shape: Vec<(String, EdgeKind, bool)> = hops.iter().map(|h| (h.to.to_string(), h.edge, h.forward)).collect();
    assert_eq!(
        shape,
        vec![(op_get().to_string(), EdgeKind::Consumes, true), (to.to_string(), EdgeKind::Exposes, false)]
    );
    assert_eq!(path(&g, &from, &from, 3), Some(vec![]));
    assert!(path(&g, &from, &to, 1).is_none());
    assert!(path(&g, &from, &NodeId::new("nope"), 5).is_none());
}

#[test]
fn neighbours_paginate_with_cursors() {
    let g = org_graph();
    let ty = type_order();
    let all = neighbors(&g, &ty, &[], NavDirection::Both, 100, None).expect("ok");
    assert_eq!(all.total, all.items.len());
    assert!(!all.has_next && all.end_cursor.is_none());
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = neighbors(&g, &ty, &[], NavDirection::Both, 2, after.as_deref()).expect("ok");
        seen.extend(page.items.iter().map(|n| (n.edge, n.node.id.clone())));
        if !page.has_next {
            break;
        }
        after = page.end_cursor;
    }
    assert_eq!(seen, all.items.iter().map(|n| (n.edge, n.node.id.clone())).collect::<Vec<_>>());
    let fields = neighbors(&g, &ty, &[EdgeKind::HasField], NavDirection::Out, 10, None).expect("ok");
    assert_eq!(fields.total, 2);
    assert_eq!(neighbors(&g, &ty, &[], NavDirection::In, 1, Some("zz")), Err(NavError::InvalidCursor("zz".into())));
    assert!(matches!(neighbors(&g, &NodeId::new("x"), &[], NavDirection::In, 1, None), Err(NavError::NotFound(_))));
    assert_eq!(decode_cursor("7"), Ok(7));
}

#[test]
fn owners_come_from_the_most_specific_rule() {
    let g = org_graph();
    // The spec file is owned by the api guild: repo-level owners are not added.
    let o = owners_of(&g, &field_created_at());
    assert_eq!(o.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), vec!["@acme/api-guild"]);
    assert_eq!(o[0].via, NodeId::file(ORDERS, "openapi.yaml"));
    assert_eq!(o[0].rule.as_deref(), Some(".github/CODEOWNERS:3"));
    // Code in src/ falls back to the repo owner.
    let o = owners_of(&g, &sym(ORDERS, "src/db.rs", "save_order"));
    assert_eq!(o.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), vec!["@acme/orders-team"]);
    assert_eq!(o[0].via, NodeId::repo(ORDERS));
}

/// A restatement of the incident in lower case (identifiers no longer
/// camelCased) or prefixed with commit hashes is still a repeat; the
/// incident's words and the restatement's compare after the same splitting.
#[test]
fn lower_cased_and_hash_prefixed_restatements_are_repeats() {
    let g = org_graph();
    let lower = FailureInput {
        title: "order page blank: createdat vs created_at casing mismatch".into(),
        text: "the web client read createdat while the orders api sends created_at; the order page showed no date."
            .into(),
        affected: vec![field_created_at()],
        ..Default::default()
    };
    let m = find_repeat(&g, &lower).expect("a lower-cased restatement repeats");
    assert_eq!(m.failure.id, incident());
    let hashed = FailureInput {
        title: "3fa9c2e1 d41d8cd98f00b204: Order page blank, createdAt vs created_at casing mismatch".into(),
        text:
            "Seen in build 9b2e7c4d0a1f and 77aa12bc34de56f0: the web client read createdAt, the API sends created_at."
                .into(),
        affected: vec![field_created_at()],
        ..Default::default()
    };
    let m = find_repeat(&g, &hashed).expect("a hash-prefixed restatement repeats");
    assert_eq!(m.failure.id, incident());
    let words = brain_query::learn::word_set("OrderCreated 3fa9c2e1 ordercreated deadbeef");
    assert!(words.contains("ordercreated") && words.contains("order") && words.contains("created"), "{words:?}");
    assert!(!words.iter().any(|w| w.contains("3fa9") || w == "3" || w == "fa"), "hex ids are no words: {words:?}");
    assert!(words.contains("deadbeef"), "a hex-looking word without digits is a word: {words:?}");
}

/// Ids of written records are unique per write unless the client sends an
/// idempotency key, which gives the same id every time.
#[test]
fn written_record_ids_are_unique_per_write_or_keyed() {
    use brain_query::written_record_id as id;
    let content = ["Checkout failed", "same text"];
    assert_ne!(id("failure:api", None, &content, "1-1-1"), id("failure:api", None, &content, "1-1-2"));
    assert_eq!(id("failure:api", Some("k1"), &content, "a"), id("failure:api", Some("k1"), &["other"], "b"));
    assert_ne!(id("failure:api", Some("k1"), &content, "a"), id("failure:api", Some("k2"), &content, "a"));
    assert_ne!(id("lesson", Some("k1"), &content, "a").as_str(), id("run", Some("k1"), &content, "a").as_str());
    assert!(id("failure:api", None, &content, "n").as_str().starts_with("failure:api:"));
}
