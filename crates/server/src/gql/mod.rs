//! The GraphQL schema: typed entities behind the `Entity` interface, the
//! query root and the mutation root; the per-request bounds the resolvers
//! check (deadline, edge budget) and the wording of limit errors.

pub mod answers;
mod mutation;
mod query;
pub mod service;
mod types;

pub use mutation::MutationRoot;
pub use query::QueryRoot;
pub use types::*;

use crate::{Limits, ServeOptions};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{EmptySubscription, ErrorExtensionValues, ErrorExtensions, Schema, ServerError};
use brain_ingest::Brain;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub type BrainSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Shared state resolvers read from the context.
pub struct Ctx {
    pub brain: Arc<Brain>,
    pub policy: brain_query::ReviewPolicy,
    pub repos: Vec<brain_ingest::RepoConfig>,
    pub names: service::NameIndexCache,
    pub heads: service::HeadCache,
}

/// The executable schema with its limits.
pub fn build_schema(brain: Arc<Brain>, opts: &ServeOptions) -> BrainSchema {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .data(Ctx {
            brain,
            policy: brain_ingest::policy::review_policy(&opts.policy).0,
            repos: opts.repos.clone(),
            names: service::NameIndexCache::default(),
            heads: service::HeadCache::default(),
        })
        .limit_depth(opts.limits.max_depth)
        .limit_complexity(opts.limits.max_complexity)
        .limit_recursive_depth(RECURSIVE_DEPTH)
        .limit_directives(DIRECTIVES)
        .finish()
}

const RECURSIVE_DEPTH: usize = 64;
const DIRECTIVES: usize = 20;

/// The SDL checked in as `schema/brain.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription).finish().sdl()
}

/// A GraphQL error with a stable code in `extensions.code`.
pub fn err(code: &'static str, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message.into()).extend_with(|_, e| e.set("code", code))
}

/// A GraphQL-shaped error body for failures outside execution (auth, timeout).
pub fn error_body(message: &str, code: &str) -> serde_json::Value {
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] })
}

/// A GraphQL-shaped error body for a request refused by a limit: `code` is
/// `BAD_INPUT` (or `TIMEOUT`), `extensions.limit` names the limit
/// (`body`, `depth`, `complexity`, `edges`, `time`...).
pub fn limit_body(message: &str, code: &str, limit: &str) -> serde_json::Value {
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code, "limit": limit } }] })
}

/// What a request may still spend, checked by the resolvers that do real
/// work. A resolver runs to completion once polled, so the HTTP timeout alone
/// cannot stop a query of many expensive fields: each of them checks the
/// deadline before it starts, and edge pages count against a budget.
pub struct RequestBudget {
    started: Instant,
    timeout: Duration,
    max_edges: usize,
    edges: AtomicUsize,
}

impl RequestBudget {
    pub fn new(limits: &Limits) -> Self {
        RequestBudget {
            started: Instant::now(),
            timeout: limits.timeout,
            max_edges: limits.max_edges,
            edges: AtomicUsize::new(0),
        }
    }
}

/// The message of every time-limit error.
pub fn timeout_message(timeout: Duration) -> String {
    format!("the query took longer than the time limit of {} ms and was stopped", timeout.as_millis())
}

/// Fails with `TIMEOUT` once the request is past its deadline.
pub fn check_time(ctx: &async_graphql::Context<'_>) -> async_graphql::Result<()> {
    match ctx.data_opt::<RequestBudget>() {
        Some(b) if b.started.elapsed() >= b.timeout => Err(limit_err("TIMEOUT", "time", timeout_message(b.timeout))),
        _ => Ok(()),
    }
}

/// Counts `n` edges against the request's budget (and checks the deadline).
pub fn charge_edges(ctx: &async_graphql::Context<'_>, n: usize) -> async_graphql::Result<()> {
    check_time(ctx)?;
    let Some(b) = ctx.data_opt::<RequestBudget>() else { return Ok(()) };
    let total = b.edges.fetch_add(n, Ordering::Relaxed).saturating_add(n);
    if total > b.max_edges {
        return Err(limit_err(
            "BAD_INPUT",
            "edges",
            format!(
                "the query asks for more than {} edges in total (nested `neighbors` multiply): ask for fewer levels or smaller pages",
                b.max_edges
            ),
        ));
    }
    Ok(())
}

fn limit_err(code: &'static str, limit: &'static str, message: String) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| {
        e.set("code", code);
        e.set("limit", limit);
    })
}

/// Parsed documents by query text. Clients send the same few queries with
/// different variables; parsing one (pest) was 15% of the server's CPU under
/// a blast-radius load, a clone of the parsed document costs a fraction of
/// that. Bounded: short queries only, cleared when full.
#[derive(Default)]
pub struct ParsedQueries(std::sync::Mutex<HashMap<String, Arc<ExecutableDocument>>>);

const PARSED_QUERIES: usize = 512;
const PARSED_QUERY_MAX_LEN: usize = 16 * 1024;

impl ParsedQueries {
    /// Gives `req` its parsed document, from the cache when the text was seen
    /// before. Returns `None` when the query does not parse (execution then
    /// reports the syntax error).
    pub fn parse<'r>(&self, req: &'r mut async_graphql::Request) -> Option<&'r ExecutableDocument> {
        let cacheable = req.query.len() <= PARSED_QUERY_MAX_LEN;
        if cacheable {
            let hit = self.0.lock().unwrap_or_else(|p| p.into_inner()).get(req.query.as_str()).cloned();
            if let Some(doc) = hit {
                req.set_parsed_query(ExecutableDocument::clone(&doc));
                return req.parsed_query().ok();
            }
        }
        if cacheable {
            let doc = Arc::new(req.parsed_query().ok()?.clone());
            let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
            if cache.len() >= PARSED_QUERIES {
                cache.clear();
            }
            cache.insert(req.query.clone(), doc);
        }
        req.parsed_query().ok()
    }
}

/// The complexity-limit message (also used before execution, see [`expanded_fields`]).
pub fn complexity_message(limits: &Limits) -> String {
    format!(
        "the query is too complex: over the limit of {} (every field counts 1, lists count per requested item, and the engine's answers count more: blastRadius 500, contextPacket 1000, contractCheck 2000, search 20 + 1 per hit field); select fewer fields or split the query",
        limits.max_complexity
    )
}

/// Rewrites async-graphql's terse limit errors ("Query is too complex.") so
/// they say which limit was hit and its value, with `extensions.code` and
/// `extensions.limit`.
pub fn explain_limit_errors(errors: &mut [ServerError], limits: &Limits) {
    for e in errors.iter_mut() {
        let (message, limit) = match e.message.as_str() {
            "Query is too complex." => (complexity_message(limits), "complexity"),
            "Query is nested too deep." => (
                format!(
                    "the query is nested too deep: over the limit of {} levels of fields; ask for fewer nested levels",
                    limits.max_depth
                ),
                "depth",
            ),
            m if m.starts_with("The recursion depth of the query cannot be greater than") => (
                format!("the query is nested too deep: over the limit of {RECURSIVE_DEPTH} nested selections (fragments count)"),
                "recursion",
            ),
            m if m.starts_with("The number of directives on the field") => {
                (format!("{m} (the limit of directives per field is {DIRECTIVES})"), "directives")
            }
            _ => continue,
        };
        e.message = message;
        let mut ext = e.extensions.take().unwrap_or_else(ErrorExtensionValues::default);
        ext.set("code", "BAD_INPUT");
        ext.set("limit", limit);
        e.extensions = Some(ext);
    }
}

/// Gives every error without `extensions.code` one, so clients can branch
/// on it: errors outside any field (the query does not parse, fails
/// validation, or its variables do not fit) are `BAD_INPUT`; a field's error
/// that carries no code is `INTERNAL`.
pub fn code_uncoded_errors(errors: &mut [ServerError]) {
    for e in errors.iter_mut() {
        if e.extensions.as_ref().is_some_and(|x| x.get("code").is_some()) {
            continue;
        }
        let code = if e.path.is_empty() { "BAD_INPUT" } else { "INTERNAL" };
        let mut ext = e.extensions.take().unwrap_or_else(ErrorExtensionValues::default);
        ext.set("code", code);
        e.extensions = Some(ext);
    }
}

/// The number of fields a document selects with every fragment spread
/// expanded where it is used, counted with memoised fragments and stopping
/// above `cap`. async-graphql's own checks walk spreads without memoising,
/// so a chain of fragments that each spread the next one twice (a handful of
/// lines) would take exponential time before its limits apply; this count
/// takes time linear in the document and refuses such a query first.
pub fn expanded_fields(doc: &ExecutableDocument, cap: usize) -> usize {
    let mut memo: HashMap<&str, usize> = HashMap::new();
    let mut total = 0usize;
    for (_, op) in doc.operations.iter() {
        total = total.saturating_add(count_set(doc, &op.node.selection_set.node, &mut memo, &mut Vec::new(), cap));
        if total > cap {
            break;
        }
    }
    total
}

fn count_set<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    memo: &mut HashMap<&'a str, usize>,
    visiting: &mut Vec<&'a str>,
    cap: usize,
) -> usize {
    let mut n = 0usize;
    for item in &set.items {
        let add = match &item.node {
            Selection::Field(f) => {
                1usize.saturating_add(count_set(doc, &f.node.selection_set.node, memo, visiting, cap))
            }
            Selection::InlineFragment(f) => count_set(doc, &f.node.selection_set.node, memo, visiting, cap),
            Selection::FragmentSpread(s) => {
                let name = s.node.fragment_name.node.as_str();
                if let Some(known) = memo.get(name) {
                    *known
                } else if visiting.contains(&name) {
                    0 // a cycle: the validator reports it
                } else if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                    visiting.push(name);
                    let k = count_set(doc, &frag.node.selection_set.node, memo, visiting, cap);
                    visiting.pop();
                    memo.insert(name, k);
                    k
                } else {
                    0
                }
            }
        };
        n = n.saturating_add(add);
        if n > cap {
            return n;
        }
    }
    n
}
