//! How much of the organisation's contract surface the checks could see.
//!
//! A contract boundary is an operation or rpc a spec declares, a route code
//! serves, or a topic something publishes. It is covered when code is linked
//! to it as a consumer: a call, a subscription, or a type decoded from its
//! payload. Client calls and subscriptions whose target the brain could not
//! resolve are listed with their location, so a reader of a clean report can
//! see what was not checked rather than assume it matches.

use crate::index::Index;
use crate::model::{Coverage, Evidence};
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, NodeKind, RefTarget};
use std::collections::BTreeSet;

/// Most unresolved references listed.
const MAX_LISTED: usize = 200;

/// Coverage of the checks over the graph (limited to `repos` when given).
pub fn coverage(ix: &Index<'_>, repos: &[String]) -> Coverage {
    let g = ix.graph;
    let in_scope = |repo: &str| repos.is_empty() || repos.iter().any(|r| r == repo);
    let mut c = Coverage::default();
    let mut with: BTreeSet<String> = BTreeSet::new();
    for n in g.nodes() {
        let boundary = match n.kind {
            NodeKind::Operation => n.attr("kind") != Some("service"),
            NodeKind::Topic => g.incoming(&n.id).any(|e| e.edge.kind == EdgeKind::Publishes),
            _ => false,
        };
        if !boundary {
            continue;
        }
        c.contracts += 1;
        let consumers = g
            .incoming(&n.id)
            .filter(|e| {
                matches!(e.edge.kind, EdgeKind::Consumes | EdgeKind::Subscribes)
                    && matches!(e.other.kind, NodeKind::Symbol | NodeKind::File | NodeKind::Test)
            })
            .count()
            + g.outgoing(&n.id)
                .filter(|e| e.edge.kind == EdgeKind::UsesType && e.edge.attr("role") == Some("decode"))
                .count();
        c.consumer_links += consumers;
        let name = match n.kind {
            NodeKind::Topic => format!("topic {}", n.name),
            _ => n.attr(attr::QUALIFIED_NAME).unwrap_or(&n.name).to_string(),
        };
        if consumers > 0 {
            with.insert(name);
        } else if in_scope(&n.prov.repo) && c.without_consumers.len() < MAX_LISTED {
            c.without_consumers.push(format!("{name} ({}:{})", n.prov.repo, n.prov.path));
        }
    }
    c.contracts_with_consumers = with.len().min(c.contracts);
    c.reads_checked = ix.flow_misses.len()
        + g.edges().filter(|e| e.kind == EdgeKind::ReadsField && &*e.prov.ingestor == "flow").count();
    for r in g.unresolved() {
        if !matches!(r.kind, EdgeKind::Consumes | EdgeKind::Publishes | EdgeKind::Subscribes) || !in_scope(&r.prov.repo)
        {
            continue;
        }
        let RefTarget::Key { ns: n, key, .. } = &r.target else { continue };
        let what = match n.as_str() {
            ns::HTTP => format!("HTTP call {key} (no operation serves it)"),
            ns::GRPC => format!("gRPC call {key} (no proto defines it)"),
            ns::GRAPHQL => format!("GraphQL field {key} (no schema defines it)"),
            "topic-expr" => {
                let verb = if r.kind == EdgeKind::Subscribes { "subscribes to" } else { "publishes to" };
                format!("{verb} `{key}` (name not resolved from constants or configuration)")
            }
            _ => continue,
        };
        c.unresolved_total += 1;
        if c.unresolved.len() < MAX_LISTED {
            c.unresolved.push(Evidence {
                role: "unresolved".into(),
                repo: r.prov.repo.to_string(),
                path: r.prov.path.to_string(),
                line: r.prov.span.map(|s| s.start_line),
                entity: Some(r.from.as_str().to_string()),
                detail: what,
                owners: ix.owners_of(&r.prov.repo, &r.prov.path, Some(&r.from)),
            });
        }
    }
    c
}
