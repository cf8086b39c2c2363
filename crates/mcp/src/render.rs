//! Plain-text renderings of query answers for agents: short, one fact per
//! line, every entity by id so the agent can follow up with `get_entity`.
//! Lists are capped; a cap always says how much was left out.

use brain_graph::Graph;
use brain_model::text::estimate_tokens;
use brain_model::{Node, NodeId};
use brain_query::common::short;
use brain_query::{BlastRadius, ContextPacket, Evidence, PacketStatus};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Most impacted entities listed in a blast radius answer.
pub const MAX_IMPACTED: usize = 40;
/// Most tests listed in a blast radius answer.
pub const MAX_TESTS: usize = 30;
/// Most lines of each other list (boundaries, owners, decisions, failures, lessons).
pub const MAX_LIST: usize = 20;
/// Most characters of an entity's text shown by `get_entity`.
pub const MAX_TEXT_CHARS: usize = 600;
/// Most characters of one attribute value shown by `get_entity`.
const MAX_ATTR_CHARS: usize = 160;

/// `repo:path:lines@commit` of a node; records written through the API have none.
pub fn location(graph: &Graph, node: &Node) -> String {
    let loc = Evidence::new(graph, &node.prov).location();
    if loc.is_empty() {
        "recorded through the API".to_string()
    } else {
        loc
    }
}

/// An entity: kind, name, evidence, attributes, text excerpt, and its edges
/// in and out (at most `max_edges` each way). `None` when the id is unknown.
pub fn entity(graph: &Graph, id: &NodeId, max_edges: usize) -> Option<String> {
    let node = graph.node(id)?;
    let ev = Evidence::new(graph, &node.prov);
    let mut s = String::new();
    let _ = writeln!(s, "{}", node.id);
    let loc = location(graph, node);
    let _ = writeln!(s, "kind: {}", node.kind);
    let _ = writeln!(s, "name: {}", node.name);
    let origin =
        if ev.declared { "declared".to_string() } else { format!("inferred, confidence {:.2}", ev.confidence) };
    let _ = writeln!(s, "evidence: {loc} ({}, by {})", origin, if ev.ingestor.is_empty() { "?" } else { &ev.ingestor });
    if !node.attrs.is_empty() {
        s.push_str("attributes:\n");
        for (k, v) in node.attrs.iter() {
            let _ = writeln!(s, "  {k}: {}", short(&v.replace('\n', " "), MAX_ATTR_CHARS));
        }
    }
    let text = node.text.trim();
    if !text.is_empty() {
        let excerpt: String = text.chars().take(MAX_TEXT_CHARS).collect();
        let more = if text.chars().count() > MAX_TEXT_CHARS { "\n  …" } else { "" };
        let _ = writeln!(s, "text:\n  {}{more}", excerpt.replace('\n', "\n  "));
    }
    let out: Vec<String> = graph
        .outgoing(id)
        .map(|e| format!("  -{}-> {} ({}){}", e.edge.kind, e.other.id, e.other.kind, edge_note(graph, e.edge)))
        .collect();
    let inc: Vec<String> = graph
        .incoming(id)
        .map(|e| format!("  <-{}- {} ({}){}", e.edge.kind, e.other.id, e.other.kind, edge_note(graph, e.edge)))
        .collect();
    push_capped(&mut s, "outgoing edges", out, max_edges);
    push_capped(&mut s, "incoming edges", inc, max_edges);
    Some(s)
}

/// ` @ location` of an edge, plus `inferred` when it is a heuristic link.
fn edge_note(graph: &Graph, edge: &brain_model::Edge) -> String {
    let ev = Evidence::new(graph, &edge.prov);
    let loc = ev.location();
    let mut s = String::new();
    if !loc.is_empty() {
        s.push_str(" @ ");
        s.push_str(&loc);
    }
    if !ev.declared {
        let _ = write!(s, " [inferred {:.2}]", ev.confidence);
    }
    s
}

fn push_capped(s: &mut String, title: &str, mut lines: Vec<String>, cap: usize) {
    let total = lines.len();
    let _ = writeln!(s, "{title} ({total}):");
    lines.sort();
    for l in lines.iter().take(cap) {
        s.push_str(l);
        s.push('\n');
    }
    if total > cap {
        let _ = writeln!(s, "  … {} more (raise max_edges to see them)", total - cap);
    }
}

/// Appends at most `cap` lines, then how many were left out.
fn push_lines(s: &mut String, lines: &[String], cap: usize) {
    for l in lines.iter().take(cap) {
        s.push_str(l);
        s.push('\n');
    }
    if lines.len() > cap {
        let _ = writeln!(s, "  … {} more", lines.len() - cap);
    }
}

/// One line per search hit: id, kind, name, location.
pub fn search(graph: &Graph, query: &str, hits: &[brain_store::SearchHit]) -> String {
    let mut lines = Vec::new();
    for h in hits {
        let id = NodeId::new(h.id.clone());
        match graph.node(&id) {
            Some(n) => lines.push(format!("- {} [{}] {} — {}", n.id, n.kind, n.name, location(graph, n))),
            // Indexed but not in this snapshot (a record being written): still useful.
            None => lines.push(format!("- {} [{}] — {}", h.id, h.kind, h.repo)),
        }
    }
    if lines.is_empty() {
        return format!("No entity matches \"{query}\". Try fewer or other words, or drop the kind/repo filters.\n");
    }
    let mut s = format!("{} hit{} for \"{query}\":\n", lines.len(), if lines.len() == 1 { "" } else { "s" });
    for l in lines {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

/// Owners of each entity with the rule that made them owners.
pub fn owners(graph: &Graph, ids: &[NodeId]) -> String {
    let mut s = String::new();
    for id in ids {
        let Some(node) = graph.node(id) else {
            let _ = writeln!(s, "{id}: not in the brain");
            continue;
        };
        let owners = brain_query::owners_of(graph, id);
        if owners.is_empty() {
            let _ = writeln!(s, "{id} ({}): no owner recorded (no CODEOWNERS or catalog rule covers it)", node.kind);
            continue;
        }
        let _ = writeln!(s, "{id} ({}):", node.kind);
        for o in owners {
            let rule = o.rule.clone().unwrap_or_else(|| o.evidence.location());
            let via = if o.via == *id { String::new() } else { format!(" via {}", o.via) };
            let _ = writeln!(s, "  {} ({}) — rule {rule}{via}", o.name, o.owner);
        }
    }
    s
}

/// The status line an orchestrator acts on, the packet's markdown, then the
/// ids of the items shown. The whole answer stays within `budget_tokens`
/// (by [`estimate_tokens`]): ids are dropped from the end when it would not.
pub fn packet(p: &ContextPacket, budget_tokens: usize) -> String {
    let status = match p.status {
        PacketStatus::Ok => "STATUS: OK",
        PacketStatus::Weak => {
            "STATUS: WEAK — only loose matches; check the items before acting, or ESCALATE for a clearer task"
        }
        PacketStatus::NoMatch => {
            "STATUS: NO_MATCH — nothing the task names exists in the brain; stop with NO_OP or ESCALATE rather than \
             invent work"
        }
    };
    let mut head = format!("{status}\n({})\n\n{}", p.status_reason, p.markdown);
    if !head.ends_with('\n') {
        head.push('\n');
    }
    let footer = if p.omitted > 0 {
        format!(
            "\n({} more item{} or file{} did not fit the token budget; ask again with a larger budget_tokens)\n",
            p.omitted,
            if p.omitted == 1 { "" } else { "s" },
            if p.omitted == 1 { "" } else { "s" },
        )
    } else {
        String::new()
    };
    let mut ids = packet_ids(p);
    loop {
        let mut s = head.clone();
        if !ids.is_empty() {
            s.push_str("\nIds (for get_entity, owners, blast_radius):\n");
            for id in &ids {
                let _ = writeln!(s, "- {id}");
            }
        }
        s.push_str(&footer);
        if ids.is_empty() || estimate_tokens(&s) <= budget_tokens {
            return s;
        }
        ids.pop();
    }
}

/// Most item ids listed under a packet's markdown.
pub const MAX_PACKET_IDS: usize = 15;

/// Tokens kept free of the packet's budget for the status line and the id list.
pub fn packet_reserve(budget_tokens: usize) -> usize {
    (budget_tokens / 5).min(500)
}

/// Ids of the items the markdown shows, in the markdown's order (sections,
/// then score), at most [`MAX_PACKET_IDS`]. An item is shown when its
/// rendered head line (`- **title** (kind) `location``) is in the markdown.
fn packet_ids(p: &ContextPacket) -> Vec<&NodeId> {
    let mut out = Vec::new();
    for it in &p.items {
        let mut head = format!("- **{}** ({})", it.title.replace('\n', " "), it.kind.as_str());
        if !it.location.is_empty() {
            let _ = write!(head, " `{}`", it.location);
        }
        if p.markdown.contains(&head) && !out.contains(&&it.id) {
            out.push(&it.id);
            if out.len() == MAX_PACKET_IDS {
                break;
            }
        }
    }
    out
}

/// The blast radius for an agent: what the input mapped to, impacted
/// entities by repo, owners, tests, decisions, failures, lessons, contract
/// boundaries, rollout order, lane and review level.
pub fn blast_radius(b: &BlastRadius) -> String {
    let mut s = String::new();
    s.push_str("Change:\n");
    for m in &b.mappings {
        let what = if m.entities.is_empty() {
            "nothing in the brain".to_string()
        } else {
            let ids: Vec<&str> = m.entities.iter().take(8).map(NodeId::as_str).collect();
            let more = if m.entities.len() > 8 { format!(" … {} more", m.entities.len() - 8) } else { String::new() };
            format!("{}{more}", ids.join(", "))
        };
        let _ = writeln!(s, "  {} -> {what} ({:?})", m.input, m.mapped_by);
    }
    let repos: Vec<&str> = b.by_repo.iter().map(|r| r.repo.as_str()).collect();
    let _ = writeln!(
        s,
        "Lane: {:?} ({}); review: {}",
        b.lane,
        if b.lane_reasons.is_empty() { "-".to_string() } else { b.lane_reasons.join("; ") },
        b.review.level.as_str()
    );
    let _ = writeln!(
        s,
        "Impacted: {} entit{} in {} repo{}: {}{}",
        b.impacted.len(),
        if b.impacted.len() == 1 { "y" } else { "ies" },
        repos.len(),
        if repos.len() == 1 { "" } else { "s" },
        repos.join(", "),
        if b.truncated { " (traversal truncated)" } else { "" }
    );
    // Impacted entities grouped by repo, nearest first, each with its last hop.
    let mut by_repo: BTreeMap<&str, Vec<&brain_query::impact::Impacted>> = BTreeMap::new();
    for i in &b.impacted {
        by_repo.entry(i.entity.repo.as_str()).or_default().push(i);
    }
    let mut shown = 0usize;
    for (repo, mut items) in by_repo {
        items.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.entity.id.cmp(&b.entity.id)));
        let _ = writeln!(s, "  {}:", if repo.is_empty() { "(global)" } else { repo });
        for i in items {
            if shown >= MAX_IMPACTED {
                break;
            }
            shown += 1;
            // The last hop reached this entity; "it" stands for the entity itself.
            let why = i
                .why
                .last()
                .map(|h| {
                    if h.forward {
                        format!(" — {} -{}-> it", h.from, h.edge)
                    } else {
                        format!(" — it -{}-> {}", h.edge, h.from)
                    }
                })
                .unwrap_or_default();
            let _ = writeln!(s, "    {} [{}] depth {}{why}", i.entity.id, i.entity.kind, i.depth);
        }
    }
    if b.impacted.len() > shown {
        let _ = writeln!(s, "  … {} more impacted entities not listed", b.impacted.len() - shown);
    }
    if !b.boundaries.is_empty() {
        let mut lines: Vec<String> = Vec::new();
        for c in &b.boundaries {
            let l = format!(
                "  {} ({}): {} [{}] -> {} [{}] via {}",
                c.contract, c.contract_kind, c.producer, c.producer_repo, c.consumer, c.consumer_repo, c.edge
            );
            if !lines.contains(&l) {
                lines.push(l);
            }
        }
        let _ = writeln!(s, "Contract boundaries crossed ({}):", lines.len());
        push_lines(&mut s, &lines, MAX_LIST);
    }
    s.push_str("Owners to review:\n");
    if b.owners.is_empty() {
        s.push_str("  none recorded\n");
    }
    let owners: Vec<String> = b
        .owners
        .iter()
        .map(|o| {
            let rules = if o.rules.is_empty() { String::new() } else { format!(" (rule {})", o.rules.join(", ")) };
            format!("  {} ({}) owns {} impacted{rules}", o.name, o.owner, o.entities.len())
        })
        .collect();
    push_lines(&mut s, &owners, MAX_LIST);
    if !b.unowned.is_empty() {
        let _ =
            writeln!(s, "  unowned: {}", b.unowned.iter().take(10).map(NodeId::as_str).collect::<Vec<_>>().join(", "));
    }
    let total_tests: usize = b.tests.iter().map(|r| r.tests.len()).sum();
    let _ = writeln!(s, "Tests to run ({total_tests}):");
    let mut listed = 0usize;
    for r in &b.tests {
        for t in &r.tests {
            if listed >= MAX_TESTS {
                break;
            }
            listed += 1;
            let _ = writeln!(s, "  {} {} ({}) — {}", r.repo, t.name, t.path, t.reason);
        }
    }
    if total_tests > listed {
        let _ = writeln!(s, "  … {} more", total_tests - listed);
    }
    if !b.decisions.is_empty() {
        s.push_str("Decisions:\n");
        let lines: Vec<String> = b.decisions.iter().map(|d| format!("  {} [{}] {}", d.title, d.status, d.id)).collect();
        push_lines(&mut s, &lines, MAX_LIST);
    }
    if !b.failures.is_empty() {
        s.push_str("Past failures:\n");
        let lines: Vec<String> = b
            .failures
            .iter()
            .map(|f| {
                let sev = f.severity.as_deref().map(|x| format!(" [{x}]")).unwrap_or_default();
                format!("  {}{sev} {}", f.title, f.id)
            })
            .collect();
        push_lines(&mut s, &lines, MAX_LIST);
    }
    if !b.lessons.is_empty() {
        s.push_str("Lessons:\n");
        let lines: Vec<String> = b
            .lessons
            .iter()
            .map(|l| format!("  {}{} {}", if l.stale { "(stale) " } else { "" }, short(&l.text, 160), l.id))
            .collect();
        push_lines(&mut s, &lines, MAX_LIST);
    }
    if !b.rollout.steps.is_empty() {
        let order: Vec<String> = b
            .rollout
            .steps
            .iter()
            .map(|st| if st.in_cycle { format!("{} [cycle]", st.repo) } else { st.repo.clone() })
            .collect();
        let _ = writeln!(s, "Rollout order: {}", order.join(" -> "));
    }
    let deciding: Vec<String> = b
        .review
        .matches
        .iter()
        .filter(|m| m.level == b.review.level)
        .take(5)
        .map(|m| format!("{} ({})", m.entity, m.rule_name))
        .collect();
    if !deciding.is_empty() {
        let _ = writeln!(s, "Review {} because: {}", b.review.level.as_str(), deciding.join("; "));
    }
    for d in b.diagnostics.iter().take(10) {
        let _ = writeln!(s, "Note: {}", d.message);
    }
    s
}
