//! Prometheus metrics at `/metrics`, kept in a small process-wide registry
//! (counters and fixed-bucket histograms; no exporter dependency).
//!
//! Every label set is bounded whatever clients send: routes are the
//! router's templates (`/graphql`, `/mcp`; anything unrouted is
//! `unmatched`), and GraphQL operation names are kept for the first
//! [`MAX_OPERATIONS`] valid names seen, every other one counted as `other`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Distinct operation names kept as labels; later ones count as `other`.
pub const MAX_OPERATIONS: usize = 64;

/// The label of operations past [`MAX_OPERATIONS`] or with invalid names.
pub const OTHER_OPERATION: &str = "other";

/// The label of requests no route matched.
pub const UNMATCHED_ROUTE: &str = "unmatched";

const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    fn observe(&mut self, secs: f64) {
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                self.counts[i] += 1;
            }
        }
        self.sum += secs;
        self.count += 1;
    }
}

#[derive(Default)]
struct Registry {
    requests: BTreeMap<(String, u16), u64>,
    operations: BTreeMap<String, Histogram>,
    graphql_errors: BTreeMap<String, u64>,
    ingests: BTreeMap<String, Histogram>,
    files_parsed: BTreeMap<String, u64>,
    lessons_shown: u64,
}

fn registry() -> &'static Mutex<Registry> {
    static R: OnceLock<Mutex<Registry>> = OnceLock::new();
    R.get_or_init(Mutex::default)
}

fn with<T>(f: impl FnOnce(&mut Registry) -> T) -> T {
    let mut r = registry().lock().unwrap_or_else(|p| p.into_inner());
    f(&mut r)
}

/// Counts an HTTP response by route template (`None`: no route matched) and status.
pub fn record_http(route: Option<&str>, status: u16) {
    let route = route.unwrap_or(UNMATCHED_ROUTE);
    with(|r| *r.requests.entry((route.to_string(), status)).or_default() += 1);
}

/// Observes a GraphQL operation's latency; `errors` counts its errors.
/// The name is a label only when it is a GraphQL name of at most 64
/// characters and one of the first [`MAX_OPERATIONS`] seen.
pub fn record_graphql(operation: &str, took: Duration, errors: usize) {
    with(|r| {
        let known = r.operations.contains_key(operation);
        let label = if known
            || (is_graphql_name(operation) && r.operations.len() < MAX_OPERATIONS && operation != OTHER_OPERATION)
        {
            operation
        } else {
            OTHER_OPERATION
        };
        r.operations.entry(label.to_string()).or_default().observe(took.as_secs_f64());
        if errors > 0 {
            *r.graphql_errors.entry(label.to_string()).or_default() += errors as u64;
        }
    });
}

/// `[_A-Za-z][_0-9A-Za-z]*`, at most 64 characters.
fn is_graphql_name(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 64
        && chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Observes one repository ingest (CLI, watcher or `reingest`).
pub fn record_ingest(repo: &str, took: Duration, parsed: usize) {
    with(|r| {
        r.ingests.entry(repo.to_string()).or_default().observe(took.as_secs_f64());
        *r.files_parsed.entry(repo.to_string()).or_default() += parsed as u64;
    });
}

/// Counts lessons shown in packets and blast radii (the learning loop's reach).
pub fn record_lessons_shown(n: usize) {
    with(|r| r.lessons_shown += n as u64);
}

/// Lessons shown since the process started.
pub fn lessons_shown() -> u64 {
    with(|r| r.lessons_shown)
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn histogram(out: &mut String, name: &str, label: &str, value: &str, h: &Histogram) {
    for (i, b) in BUCKETS.iter().enumerate() {
        let _ = writeln!(out, "{name}_bucket{{{label}=\"{}\",le=\"{b}\"}} {}", esc(value), h.counts[i]);
    }
    let _ = writeln!(out, "{name}_bucket{{{label}=\"{}\",le=\"+Inf\"}} {}", esc(value), h.count);
    let _ = writeln!(out, "{name}_sum{{{label}=\"{}\"}} {}", esc(value), h.sum);
    let _ = writeln!(out, "{name}_count{{{label}=\"{}\"}} {}", esc(value), h.count);
}

/// The Prometheus text exposition, with graph gauges from the snapshot.
pub fn render(graph: &brain_graph::Graph) -> String {
    let mut out = String::new();
    with(|r| {
        out.push_str("# HELP brain_http_requests_total HTTP responses by route and status.\n# TYPE brain_http_requests_total counter\n");
        for ((route, status), n) in &r.requests {
            let _ = writeln!(out, "brain_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}", esc(route));
        }
        out.push_str("# HELP brain_graphql_duration_seconds GraphQL request latency by operation.\n# TYPE brain_graphql_duration_seconds histogram\n");
        for (op, h) in &r.operations {
            histogram(&mut out, "brain_graphql_duration_seconds", "operation", op, h);
        }
        out.push_str("# HELP brain_graphql_errors_total GraphQL errors by operation.\n# TYPE brain_graphql_errors_total counter\n");
        for (op, n) in &r.graphql_errors {
            let _ = writeln!(out, "brain_graphql_errors_total{{operation=\"{}\"}} {n}", esc(op));
        }
        out.push_str("# HELP brain_ingest_duration_seconds Repository ingest duration.\n# TYPE brain_ingest_duration_seconds histogram\n");
        for (repo, h) in &r.ingests {
            histogram(&mut out, "brain_ingest_duration_seconds", "repo", repo, h);
        }
        out.push_str("# HELP brain_ingest_files_parsed_total Files parsed by ingests.\n# TYPE brain_ingest_files_parsed_total counter\n");
        for (repo, n) in &r.files_parsed {
            let _ = writeln!(out, "brain_ingest_files_parsed_total{{repo=\"{}\"}} {n}", esc(repo));
        }
    });
    let _ = writeln!(out, "# HELP brain_lessons_shown_total Lessons shown in packets and blast radii.\n# TYPE brain_lessons_shown_total counter\nbrain_lessons_shown_total {}", lessons_shown());
    let s = graph.stats();
    let _ = writeln!(
        out,
        "# HELP brain_graph_nodes Nodes in the current snapshot.\n# TYPE brain_graph_nodes gauge\nbrain_graph_nodes {}",
        s.nodes
    );
    let _ = writeln!(
        out,
        "# HELP brain_graph_edges Edges in the current snapshot.\n# TYPE brain_graph_edges gauge\nbrain_graph_edges {}",
        s.edges
    );
    let _ = writeln!(out, "# HELP brain_graph_generation Store generation of the current snapshot.\n# TYPE brain_graph_generation gauge\nbrain_graph_generation {}", graph.generation());
    let _ = writeln!(out, "# HELP brain_graph_diagnostics Ingest and link diagnostics.\n# TYPE brain_graph_diagnostics gauge\nbrain_graph_diagnostics {}", s.diagnostics);
    for (k, n) in &s.nodes_by_kind {
        let _ = writeln!(out, "brain_graph_nodes_by_kind{{kind=\"{}\"}} {n}", k.as_str());
    }
    out
}
