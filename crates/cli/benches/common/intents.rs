//! Varied task descriptions for packet benchmarks: the templates of
//! `PACKET_INTENTS` in `benches/http-load.lua`, filled with the names of
//! entities spread evenly over a graph (shared by the `packet` bench and the
//! `packet_latency` example).

use brain_graph::Graph;
use brain_model::NodeKind;

/// `%s`: an entity's name, `%r`: its repository (last segment). Keep in step
/// with `PACKET_INTENTS` in `benches/http-load.lua`.
pub const TEMPLATES: &[&str] = &[
    "change %s and keep its callers working",
    "fix: %s returns the wrong value for negative input",
    "add a currency next to amount_cents in the record of %r",
    "fetch item should retry when the peer service times out",
    "rename %s and update every caller in %r",
    "why does %s fail on an empty id",
    "created_at is serialised in the wrong format by %r",
    "refactor(%r): split %s into smaller steps",
    "the items endpoint of %r returns 500 for a missing item",
    "who owns %s and which tests cover it",
    "add pagination to the items endpoint",
    "feat: log the record id when %s is called",
    "remove the deprecated fetch_item client from %r",
    "%s",
    "make the step functions of %r pure and document them",
    "bump the timeout of the http client used by fetch item",
];

/// `n` intents: template `k mod len` filled with the `k`-th of `n` symbols,
/// data types, fields and operations taken at an even stride (a fixed order).
pub fn intents(g: &Graph, n: usize) -> Vec<String> {
    let candidates: Vec<(&str, &str)> = g
        .nodes()
        .filter(|x| matches!(x.kind, NodeKind::Symbol | NodeKind::DataType | NodeKind::Field | NodeKind::Operation))
        .map(|x| (x.name.as_str(), &*x.prov.repo))
        .collect();
    if candidates.is_empty() {
        return TEMPLATES.iter().filter(|t| !t.contains("%s") && !t.contains("%r")).map(|t| t.to_string()).collect();
    }
    let stride = (candidates.len() / n.max(1)).max(1);
    (0..n)
        .map(|k| {
            let (name, repo) = candidates[(k * stride + k * 7919) % candidates.len()];
            let repo = repo.rsplit('/').next().unwrap_or(repo);
            TEMPLATES[k % TEMPLATES.len()].replace("%s", name).replace("%r", repo)
        })
        .collect()
}
