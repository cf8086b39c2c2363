//! [`BrainMcp`]: the MCP server handler. Each tool is a thin call into
//! `brain-query` over the brain's current snapshot, run on the blocking pool,
//! answered as concise text. Bad input is a tool error (`isError: true`) with
//! a message saying what to send instead; only a crashed task is a protocol
//! error.

use crate::access::McpAccess;
use crate::{policy, render, resource};
use brain_graph::Graph;
use brain_ingest::{Brain, PolicyRuleConfig};
use brain_model::{NodeId, NodeKind};
use brain_query::common::{iso_date, short};
use brain_query::{
    ChangeSet, DiffChange, FailureInput, FileChange, ImpactOptions, LessonInput, LineRange, NameIndex, PacketRequest,
    PacketSources, ReviewPolicy, Scope, SpanSource,
};
use brain_store::SearchQuery;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourceTemplatesResult, ListResourcesResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler};
use schemars::JsonSchema;
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Default token budget of a context packet.
pub const DEFAULT_BUDGET_TOKENS: usize = 4000;
/// Search hits fed to a context packet as seeds.
const PACKET_SEARCH_HITS: usize = 40;
/// Author recorded on lessons and failures written without one.
const DEFAULT_AUTHOR: &str = "mcp";

const INSTRUCTIONS: &str = "The brain is the engineering knowledge graph of this organisation: repos, code, \
services, API contracts, owners, decisions (ADRs), past failures and lessons. Before changing code, call \
`context_packet` with the task; it answers STATUS: OK / WEAK / NO_MATCH (stop with NO_OP or ESCALATE on \
NO_MATCH). Before merging, call `blast_radius` on the changed files or diff for impacted repos, owners, tests \
and review level. Use `search` and `get_entity` to look things up by name or id, `owners` for who must review. \
After a run, write back with `record_failure` and `record_lesson` (they need write access). Every answer names \
entities by id; entities are also resources at brain://entity/<id>.";

/// The brain as an MCP server. Cheap to clone (shared state behind an `Arc`);
/// the streamable HTTP transport clones one per session.
#[derive(Clone)]
pub struct BrainMcp {
    inner: Arc<Inner>,
    tool_router: ToolRouter<Self>,
}

struct Inner {
    brain: Arc<Brain>,
    policy: ReviewPolicy,
    allow_writes: bool,
    /// Name index of the last snapshot a packet was built on.
    names: Mutex<Option<Arc<NameIndex>>>,
}

impl std::fmt::Debug for BrainMcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrainMcp").field("allow_writes", &self.inner.allow_writes).finish_non_exhaustive()
    }
}

/// A tool's answer: text for the agent, or a message saying what went wrong.
type ToolAnswer = Result<String, String>;

impl BrainMcp {
    /// A server over `brain` with the review policy of `brain.toml`
    /// (`[[policy.rules]]`; empty = the standard policy). Writes are refused
    /// until [`BrainMcp::with_writes`] allows them.
    pub fn new(brain: Arc<Brain>, policy_rules: &[PolicyRuleConfig]) -> Self {
        let (policy, warnings) = policy::review_policy(policy_rules);
        for w in warnings {
            tracing::warn!("{w}");
        }
        BrainMcp {
            inner: Arc::new(Inner { brain, policy, allow_writes: false, names: Mutex::new(None) }),
            tool_router: Self::tool_router(),
        }
    }

    /// Whether `record_failure` and `record_lesson` may write. Over HTTP a
    /// per-request [`McpAccess`] marker, when present, decides instead.
    pub fn with_writes(self, allow: bool) -> Self {
        let inner = Inner {
            brain: self.inner.brain.clone(),
            policy: self.inner.policy.clone(),
            allow_writes: allow,
            names: Mutex::new(None),
        };
        BrainMcp { inner: Arc::new(inner), tool_router: self.tool_router }
    }

    /// Whether writes are allowed when no per-request marker says otherwise.
    pub fn writes_allowed(&self) -> bool {
        self.inner.allow_writes
    }

    /// The names of the tools this server exposes.
    pub fn tool_names(&self) -> Vec<String> {
        self.tool_router.list_all().into_iter().map(|t| t.name.to_string()).collect()
    }

    fn may_write(&self, ctx: &RequestContext<RoleServer>) -> bool {
        let marker =
            ctx.extensions.get::<http::request::Parts>().and_then(|p| p.extensions.get::<McpAccess>()).copied();
        match marker {
            Some(access) => access == McpAccess::Write,
            None => self.inner.allow_writes,
        }
    }

    /// Runs `f` on the blocking pool (graph work and store writes are CPU/IO
    /// bound) and turns its answer into a tool result.
    async fn run<F>(&self, f: F) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(&Inner) -> ToolAnswer + Send + 'static,
    {
        let inner = self.inner.clone();
        match tokio::task::spawn_blocking(move || f(&inner)).await {
            Ok(Ok(text)) => Ok(CallToolResult::success(vec![ContentBlock::text(text)])),
            Ok(Err(msg)) => Ok(CallToolResult::error(vec![ContentBlock::text(msg)])),
            Err(e) => Err(ErrorData::internal_error(format!("the tool task failed: {e}"), None)),
        }
    }

    fn refuse_write(tool: &str) -> CallToolResult {
        CallToolResult::error(vec![ContentBlock::text(format!(
            "{tool} writes to the brain and writes are not enabled for this connection. Start the server with \
             writes allowed (`brain mcp --allow-writes`), or over HTTP send the write token \
             ('Authorization: Bearer <BRAIN_WRITE_TOKEN>')."
        ))])
    }
}

// ---------------------------------------------------------------- parameters

/// Input of `context_packet`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContextPacketParams {
    /// The task in plain words, e.g. "rename created_at in the order.created event".
    pub intent: String,
    /// Restrict the task to these repositories (names such as `acme/orders`).
    #[serde(default)]
    pub repos: Option<Vec<String>>,
    /// Restrict the task to these path prefixes inside the repositories.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
    /// Entity ids the task is about (from `search` or an earlier answer).
    #[serde(default)]
    pub ids: Option<Vec<String>>,
    /// Most tokens of the answer (default 4000, 200..=32000).
    #[serde(default)]
    pub budget_tokens: Option<usize>,
}

/// Input of `blast_radius`: entity ids, or a repo with changed paths, or a repo with a unified diff.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BlastRadiusParams {
    /// Changed entities by id.
    #[serde(default)]
    pub ids: Option<Vec<String>>,
    /// The repository `paths` and `diff` refer to (e.g. `acme/orders`).
    #[serde(default)]
    pub repo: Option<String>,
    /// Changed files relative to the repo root; `path:12-30` or `path:12` limits to those lines.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
    /// A unified diff (`git diff` output) against the indexed version of `repo`.
    #[serde(default)]
    pub diff: Option<String>,
    /// Most hops followed from a changed entity (default 4, 1..=8).
    #[serde(default)]
    pub max_depth: Option<u32>,
}

/// Input of `contract_check`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContractCheckParams {
    /// Only findings with a producer or consumer in these repositories.
    #[serde(default)]
    pub repos: Option<Vec<String>>,
    /// Only these rules (field-casing-drift, consumer-field-missing, type-drift, optionality-drift,
    /// unknown-operation, unknown-rpc, unknown-topic, spec-copy-drift, ...).
    #[serde(default)]
    pub rules: Option<Vec<String>>,
    /// Drop findings below this severity: info, warning or error.
    #[serde(default)]
    pub min_severity: Option<String>,
}

/// Input of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// Words or an identifier; `createdAt`, `created_at` and "created at" find each other.
    pub query: String,
    /// Only these kinds (repo, file, symbol, operation, topic, data_type, field, owner, decision, failure, lesson, test, ...).
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
    /// Only these repositories.
    #[serde(default)]
    pub repos: Option<Vec<String>>,
    /// Most hits (default 20, 1..=100).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Input of `get_entity`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEntityParams {
    /// The entity id, e.g. `sym:acme/orders:src/model.rs#OrderCreated`.
    pub id: String,
    /// Most edges listed each way (default 25, 1..=500).
    #[serde(default)]
    pub max_edges: Option<usize>,
}

/// Input of `owners`: an entity id, or a repo with paths.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct OwnersParams {
    /// Entity id to find owners of.
    #[serde(default)]
    pub id: Option<String>,
    /// Repository of `paths`.
    #[serde(default)]
    pub repo: Option<String>,
    /// File paths relative to the repo root.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
}

/// Input of `record_failure`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordFailureParams {
    /// What went wrong, with the error message and what was being done.
    pub text: String,
    /// Ids of the entities the failure concerns (at least one; use `search` to find them).
    pub entities: Vec<String>,
    /// A one-line title (default: the first line of `text`).
    #[serde(default)]
    pub title: Option<String>,
    /// low, medium, high or critical.
    #[serde(default)]
    pub severity: Option<String>,
    /// Who recorded it (agent or run name).
    #[serde(default)]
    pub agent: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// Input of `record_lesson`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordLessonParams {
    /// The lesson, as advice for the next agent ("read created_at, not createdAt, from order.created").
    pub text: String,
    /// Ids of the entities it applies to (at least one).
    pub applies_to: Vec<String>,
    /// Id of the failure it was learned from.
    #[serde(default)]
    pub failure: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Who wrote it.
    #[serde(default)]
    pub author: Option<String>,
}

// ---------------------------------------------------------------- tools

#[tool_router]
impl BrainMcp {
    #[tool(
        description = "Context for a task before changing code: the code, contracts, tests, owners, decisions, past \
                       failures and lessons that matter, ranked, each with why and evidence (repo:path:lines), cut to \
                       budget_tokens. First line is STATUS: OK, WEAK (loose matches only) or NO_MATCH (nothing the \
                       task names exists: stop with NO_OP or ESCALATE).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn context_packet(
        &self,
        Parameters(p): Parameters<ContextPacketParams>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.context_packet(p)).await
    }

    #[tool(
        description = "What a change reaches: give entity ids, or repo + changed paths, or repo + a unified diff. \
                       Answers impacted entities by repo with the edge that reached each, contract boundaries \
                       crossed, owners who must review, tests to run, governing decisions, past failures and \
                       lessons, rollout order, lane (Fast/Full) and review level.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn blast_radius(&self, Parameters(p): Parameters<BlastRadiusParams>) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.blast_radius(p)).await
    }

    #[tool(
        description = "Producer/consumer contract checks across repos: casing drift (created_at vs createdAt), \
                       missing fields, type and optionality drift, unknown endpoints/rpcs/topics, vendored spec \
                       drift. Each finding: severity[rule] message, the boundary, evidence on both sides \
                       (repo:path:line with owners), a suggested fix. Ends with the error/warning counts.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn contract_check(
        &self,
        Parameters(p): Parameters<ContractCheckParams>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.contract_check(p)).await
    }

    #[tool(
        description = "Full-text search over every entity (code symbols, files, operations, topics, fields, owners, \
                       decisions, failures, lessons). Identifiers are split, so createdAt, created_at and 'created \
                       at' find each other. One line per hit: id [kind] name — repo:path:line.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn search(&self, Parameters(p): Parameters<SearchParams>) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.search(p)).await
    }

    #[tool(
        description = "One entity by id: kind, name, evidence (repo:path:lines@commit, declared or inferred), \
                       attributes, text excerpt, and its edges in and out with the ids at the other end.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_entity(&self, Parameters(p): Parameters<GetEntityParams>) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.get_entity(p)).await
    }

    #[tool(
        description = "Who owns an entity or files (give id, or repo + paths), with the CODEOWNERS or catalog rule \
                       that decided it.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn owners(&self, Parameters(p): Parameters<OwnersParams>) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.owners(p)).await
    }

    #[tool(
        description = "Record a failure (needs write access): what went wrong and the entity ids it concerns. \
                       Answers the new failure id, whether it repeats a recorded failure, and the lessons already \
                       learned about those entities.",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn record_failure(
        &self,
        Parameters(p): Parameters<RecordFailureParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        if !self.may_write(&ctx) {
            return Ok(Self::refuse_write("record_failure"));
        }
        self.run(move |inner| inner.record_failure(p)).await
    }

    #[tool(
        description = "Record a lesson (needs write access): advice for the next agent, attached to the entity ids \
                       it applies to, optionally the failure it was learned from. Later context packets and blast \
                       radius answers touching those entities show it. Answers the lesson id.",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn record_lesson(
        &self,
        Parameters(p): Parameters<RecordLessonParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        if !self.may_write(&ctx) {
            return Ok(Self::refuse_write("record_lesson"));
        }
        self.run(move |inner| inner.record_lesson(p)).await
    }
}

#[tool_handler]
impl ServerHandler for BrainMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().enable_resources().build())
            .with_server_info(Implementation::new("brain", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        // The repositories are the entry points; everything else is reached by id.
        let g = self.inner.brain.snapshot();
        let resources = g
            .repos()
            .keys()
            .map(|name| {
                let id = NodeId::repo(name);
                Resource::new(resource::entity_uri(id.as_str()), id.as_str())
                    .with_description(format!("repository {name}"))
                    .with_mime_type("text/plain")
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let t = ResourceTemplate::new(resource::ENTITY_TEMPLATE, "entity")
            .with_title("Brain entity by id")
            .with_description(
                "Any entity of the brain by id (as returned by search, get_entity and the other tools): kind, \
                 evidence, attributes and edges. Percent-encode '#' in the id as %23.",
            )
            .with_mime_type("text/plain");
        Ok(ListResourceTemplatesResult::with_all_items(vec![t]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let Some(id) = resource::entity_id(&request.uri) else {
            return Err(ErrorData::resource_not_found(
                format!("'{}' is not a brain resource; use {}", request.uri, resource::ENTITY_TEMPLATE),
                None,
            ));
        };
        let inner = self.inner.clone();
        let id2 = id.clone();
        let text = tokio::task::spawn_blocking(move || {
            render::entity(&inner.brain.snapshot(), &NodeId::new(id2), DEFAULT_MAX_EDGES)
        })
        .await
        .map_err(|e| ErrorData::internal_error(format!("reading the resource failed: {e}"), None))?;
        match text {
            Some(text) => {
                Ok(ReadResourceResult::new(
                    vec![ResourceContents::text(text, request.uri).with_mime_type("text/plain")],
                )
                .into())
            }
            None => Err(ErrorData::resource_not_found(format!("no entity with id '{id}'"), None)),
        }
    }
}

/// Edges listed each way by `get_entity` and entity resources.
const DEFAULT_MAX_EDGES: usize = 25;

// ---------------------------------------------------------------- tool bodies

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn clean(list: Option<Vec<String>>) -> Vec<String> {
    list.unwrap_or_default().into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Fails with a helpful message when `repo` is not ingested.
fn known_repo(graph: &Graph, repo: &str) -> Result<(), String> {
    if graph.repo(repo).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = graph.repos().keys().map(String::as_str).collect();
    Err(format!("no repository named '{repo}' is ingested; known repositories: {}", known.join(", ")))
}

/// Fails listing the ids that are not in the graph.
fn existing_ids(graph: &Graph, ids: &[String], what: &str) -> Result<Vec<NodeId>, String> {
    let missing: Vec<&str> =
        ids.iter().filter(|i| !graph.contains(&NodeId::new(i.as_str()))).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{what}: no entity with id {}; find ids with `search` (ids look like file:acme/orders:src/model.rs)",
            missing.iter().map(|m| format!("'{m}'")).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(ids.iter().map(|i| NodeId::new(i.as_str())).collect())
}

/// `path:12-30` or `path:12` -> the path and its line range.
fn split_path_range(spec: &str) -> (String, Vec<LineRange>) {
    if let Some((path, range)) = spec.rsplit_once(':') {
        let parsed = match range.split_once('-') {
            Some((a, b)) => a.trim().parse::<u32>().ok().zip(b.trim().parse::<u32>().ok()),
            None => range.trim().parse::<u32>().ok().map(|a| (a, a)),
        };
        if let Some((a, b)) = parsed {
            if a >= 1 && b >= a && !path.is_empty() {
                return (path.to_string(), vec![LineRange::new(a, b)]);
            }
        }
    }
    (spec.to_string(), Vec::new())
}

/// File contents by `(repo, path)`; `None` when the store has no text for it.
type ContentCache = HashMap<(String, String), Option<Arc<str>>>;

/// Source lines of code spans for packets, read from the store (cached per file).
struct StoreSpans<'a> {
    brain: &'a Brain,
    cache: RefCell<ContentCache>,
}

impl SpanSource for StoreSpans<'_> {
    fn lines(&self, repo: &str, path: &str, start: u32, end: u32) -> Option<String> {
        let key = (repo.to_string(), path.to_string());
        let text = {
            let mut cache = self.cache.borrow_mut();
            cache.entry(key).or_insert_with(|| self.brain.content(repo, path).ok().flatten().map(Arc::from)).clone()?
        };
        let start = start.max(1) as usize;
        let end = (end as usize).max(start);
        let lines: Vec<&str> = text.lines().skip(start - 1).take(end - start + 1).collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

impl Inner {
    fn name_index(&self, graph: &Graph) -> Arc<NameIndex> {
        let mut slot = self.names.lock().unwrap_or_else(|p| p.into_inner());
        match slot.as_ref() {
            Some(ix) if ix.is_for(graph) => ix.clone(),
            _ => {
                let ix = Arc::new(NameIndex::build(graph));
                *slot = Some(ix.clone());
                ix
            }
        }
    }

    fn context_packet(&self, p: ContextPacketParams) -> ToolAnswer {
        let intent = p.intent.trim().to_string();
        if intent.is_empty() {
            return Err("intent is empty: describe the task in a sentence".into());
        }
        let g = self.brain.snapshot();
        let repos = clean(p.repos);
        for r in &repos {
            known_repo(&g, r)?;
        }
        let scope = Scope { repos, paths: clean(p.paths), ids: clean(p.ids).into_iter().map(NodeId::new).collect() };
        let query = SearchQuery {
            text: intent.clone(),
            kinds: Vec::new(),
            repos: scope.repos.clone(),
            limit: PACKET_SEARCH_HITS,
        };
        let hits: Vec<brain_query::SearchHit> = match self.brain.search(&query) {
            Ok(hits) => {
                hits.into_iter().map(|h| brain_query::SearchHit { id: NodeId::new(h.id), score: h.score }).collect()
            }
            Err(e) => {
                // The packet still works from names in the intent and the scope.
                tracing::warn!(error = %e, "search for a context packet failed");
                Vec::new()
            }
        };
        let budget = p.budget_tokens.unwrap_or(DEFAULT_BUDGET_TOKENS).clamp(200, 32_000);
        let req = PacketRequest {
            intent,
            scope,
            budget_tokens: budget - render::packet_reserve(budget),
            now: Some(now_secs()),
            ..Default::default()
        };
        let names = self.name_index(&g);
        let spans = StoreSpans { brain: &self.brain, cache: RefCell::new(HashMap::new()) };
        let packet = brain_query::context_packet_with(
            &g,
            &hits,
            &req,
            PacketSources { spans: Some(&spans), names: Some(&names) },
        );
        Ok(render::packet(&packet, budget))
    }

    fn blast_radius(&self, p: BlastRadiusParams) -> ToolAnswer {
        let g = self.brain.snapshot();
        let ids = clean(p.ids);
        let paths = clean(p.paths);
        let diff = p.diff.filter(|d| !d.trim().is_empty());
        let repo = p.repo.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if ids.is_empty() && paths.is_empty() && diff.is_none() {
            return Err("say what changes: `ids`, or `repo` with `paths`, or `repo` with a unified `diff`".into());
        }
        let mut change = ChangeSet { ids: ids.into_iter().map(NodeId::new).collect(), ..Default::default() };
        if !paths.is_empty() || diff.is_some() {
            let Some(repo) = repo else {
                let known: Vec<&str> = g.repos().keys().map(String::as_str).collect();
                return Err(format!("`paths` and `diff` need `repo` (one of: {})", known.join(", ")));
            };
            known_repo(&g, &repo)?;
            for spec in &paths {
                let (path, ranges) = split_path_range(spec);
                change.files.push(FileChange {
                    repo: repo.clone(),
                    path: path.trim_start_matches("./").to_string(),
                    ranges,
                });
            }
            if let Some(text) = diff {
                change.diff = Some(DiffChange { repo, text });
            }
        }
        let opts = ImpactOptions {
            max_depth: p.max_depth.unwrap_or(4).clamp(1, 8),
            now: Some(now_secs()),
            ..Default::default()
        };
        let b = brain_query::blast_radius(&g, &change, &opts, &self.policy);
        Ok(render::blast_radius(&b))
    }

    fn contract_check(&self, p: ContractCheckParams) -> ToolAnswer {
        let g = self.brain.snapshot();
        let repos = clean(p.repos);
        for r in &repos {
            known_repo(&g, r)?;
        }
        let rules = clean(p.rules);
        for r in &rules {
            if brain_check::Rule::parse(r).is_none() {
                let all: Vec<&str> = brain_check::Rule::ALL.iter().map(|r| r.id()).collect();
                return Err(format!("unknown rule '{r}'; rules are: {}", all.join(", ")));
            }
        }
        let min_severity = match p.min_severity.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            None => None,
            Some(s) if s.is_empty() => None,
            Some(s) => match s.as_str() {
                "info" => Some(brain_check::Severity::Info),
                "warning" | "warn" => Some(brain_check::Severity::Warning),
                "error" => Some(brain_check::Severity::Error),
                _ => return Err(format!("unknown severity '{s}'; use info, warning or error")),
            },
        };
        let opts = brain_check::CheckOptions { rules, repos, min_severity, ..Default::default() };
        let report = brain_check::check(&g, &opts);
        if report.findings.is_empty() {
            return Ok("No contract findings: every consumer read and shape matches its producer.\n".into());
        }
        Ok(brain_check::to_text(&report))
    }

    fn search(&self, p: SearchParams) -> ToolAnswer {
        let text = p.query.trim().to_string();
        if text.is_empty() {
            return Err("query is empty".into());
        }
        let mut kinds = Vec::new();
        for k in clean(p.kinds) {
            match NodeKind::parse(&k) {
                Some(kind) => kinds.push(kind.as_str().to_string()),
                None => {
                    let all: Vec<&str> = NodeKind::ALL.iter().map(|k| k.as_str()).collect();
                    return Err(format!("unknown kind '{k}'; kinds are: {}", all.join(", ")));
                }
            }
        }
        let q = SearchQuery {
            text: text.clone(),
            kinds,
            repos: clean(p.repos),
            limit: p.limit.unwrap_or(20).clamp(1, 100),
        };
        let hits = self.brain.search(&q).map_err(|e| format!("search failed: {e}"))?;
        Ok(render::search(&self.brain.snapshot(), &text, &hits))
    }

    fn get_entity(&self, p: GetEntityParams) -> ToolAnswer {
        let id = p.id.trim();
        let g = self.brain.snapshot();
        if let Some(text) = render::entity(&g, &NodeId::new(id), p.max_edges.unwrap_or(DEFAULT_MAX_EDGES).clamp(1, 500))
        {
            return Ok(text);
        }
        // Suggest near ids: search the name part of what was asked.
        let name = id.rsplit(['#', ':', '/']).next().unwrap_or(id);
        let mut msg = format!("no entity with id '{id}'");
        let q = SearchQuery { text: name.to_string(), kinds: Vec::new(), repos: Vec::new(), limit: 5 };
        if let Ok(hits) = self.brain.search(&q) {
            if !hits.is_empty() {
                msg.push_str("; did you mean:\n");
                for h in hits {
                    let _ = writeln!(msg, "- {} [{}]", h.id, h.kind);
                }
            }
        }
        Err(msg)
    }

    fn owners(&self, p: OwnersParams) -> ToolAnswer {
        let g = self.brain.snapshot();
        let mut ids = Vec::new();
        if let Some(id) = p.id.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
            ids.push(NodeId::new(id));
        }
        let paths = clean(p.paths);
        if !paths.is_empty() {
            let Some(repo) = p.repo.map(|r| r.trim().to_string()).filter(|r| !r.is_empty()) else {
                return Err("`paths` need `repo`".into());
            };
            known_repo(&g, &repo)?;
            ids.extend(paths.iter().map(|path| NodeId::file(&repo, path.trim_start_matches("./"))));
        } else if let Some(repo) = p.repo.filter(|r| !r.trim().is_empty()) {
            known_repo(&g, repo.trim())?;
            ids.push(NodeId::repo(repo.trim()));
        }
        if ids.is_empty() {
            return Err("give `id`, or `repo` (with optional `paths`)".into());
        }
        Ok(render::owners(&g, &ids))
    }

    fn record_failure(&self, p: RecordFailureParams) -> ToolAnswer {
        let text = p.text.trim().to_string();
        if text.is_empty() {
            return Err("text is empty: say what went wrong".into());
        }
        let g = self.brain.snapshot();
        let entities = clean(Some(p.entities));
        if entities.is_empty() {
            return Err("entities is empty: give the ids the failure concerns (find them with `search`)".into());
        }
        let affected = existing_ids(&g, &entities, "entities")?;
        let title = p.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).unwrap_or_else(|| short(&text, 80));
        let mut input = FailureInput {
            title,
            text,
            affected: affected.clone(),
            severity: p.severity.map(|s| s.trim().to_ascii_lowercase()).filter(|s| !s.is_empty()),
            tags: clean(p.tags),
            author: p
                .agent
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .unwrap_or_else(|| DEFAULT_AUTHOR.into()),
            ..Default::default()
        };
        let repeat = brain_query::find_repeat(&g, &input);
        input.repeats = repeat.as_ref().map(|r| r.failure.id.clone());
        let now = now_secs();
        let facts = brain_query::failure_facts(&input, now);
        let id = facts.nodes.first().map(|n| n.id.clone()).ok_or("the failure could not be built")?;
        self.brain.put_record(id.as_str(), facts).map_err(|e| format!("the failure could not be stored: {e}"))?;

        let mut s = format!("Recorded failure {id} \"{}\"\n", input.title);
        let _ = writeln!(s, "affects: {}", affected.iter().map(NodeId::as_str).collect::<Vec<_>>().join(", "));
        let mut seen = std::collections::BTreeSet::new();
        match &repeat {
            Some(r) => {
                let _ = writeln!(
                    s,
                    "REPEAT of {} \"{}\" (similarity {:.2}; shared: {})",
                    r.failure.id,
                    r.failure.title,
                    r.similarity,
                    r.shared.iter().map(NodeId::as_str).collect::<Vec<_>>().join(", ")
                );
                if !r.lessons.is_empty() {
                    s.push_str("Lessons learned last time:\n");
                    for l in &r.lessons {
                        seen.insert(l.id.clone());
                        let _ = writeln!(s, "  - {} {}", short(&l.text, 200), l.id);
                    }
                }
            }
            None => s.push_str("Not a repeat of any recorded failure.\n"),
        }
        let today = iso_date(now);
        let lessons: Vec<_> = brain_query::lessons_for(&self.brain.snapshot(), &affected, Some(&today))
            .into_iter()
            .filter(|l| !seen.contains(&l.id))
            .collect();
        if !lessons.is_empty() {
            s.push_str("Lessons that apply to these entities:\n");
            for l in lessons {
                let _ = writeln!(s, "  - {} {}", short(&l.text, 200), l.id);
            }
        }
        s.push_str("Record what fixed it with `record_lesson` (failure = the id above).\n");
        Ok(s)
    }

    fn record_lesson(&self, p: RecordLessonParams) -> ToolAnswer {
        let text = p.text.trim().to_string();
        if text.is_empty() {
            return Err("text is empty: write the lesson as advice for the next agent".into());
        }
        let g = self.brain.snapshot();
        let targets = clean(Some(p.applies_to));
        if targets.is_empty() {
            return Err("applies_to is empty: give the ids the lesson applies to (find them with `search`)".into());
        }
        let applies_to = existing_ids(&g, &targets, "applies_to")?;
        let failure = match p.failure.map(|f| f.trim().to_string()).filter(|f| !f.is_empty()) {
            Some(f) => {
                let id = NodeId::new(f);
                match g.node(&id) {
                    Some(n) if n.kind == NodeKind::Failure => Some(id),
                    Some(n) => return Err(format!("failure: '{id}' is a {}, not a failure", n.kind)),
                    None => return Err(format!("failure: no entity with id '{id}'")),
                }
            }
            None => None,
        };
        let input = LessonInput {
            text,
            applies_to: applies_to.clone(),
            failure: failure.clone(),
            tags: clean(p.tags),
            author: p
                .author
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .unwrap_or_else(|| DEFAULT_AUTHOR.into()),
            ..Default::default()
        };
        let facts = brain_query::lesson_facts(&input, now_secs());
        let id = facts.nodes.first().map(|n| n.id.clone()).ok_or("the lesson could not be built")?;
        self.brain.put_record(id.as_str(), facts).map_err(|e| format!("the lesson could not be stored: {e}"))?;
        let mut s = format!("Recorded lesson {id}\n");
        let _ = writeln!(s, "applies to: {}", applies_to.iter().map(NodeId::as_str).collect::<Vec<_>>().join(", "));
        if let Some(f) = failure {
            let _ = writeln!(s, "learned from: {f}");
        }
        s.push_str("Context packets and blast radius answers that touch these entities will show it.\n");
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ranges_are_split_only_when_numeric() {
        assert_eq!(split_path_range("src/model.rs:50-60"), ("src/model.rs".into(), vec![LineRange::new(50, 60)]));
        assert_eq!(split_path_range("src/model.rs:57"), ("src/model.rs".into(), vec![LineRange::new(57, 57)]));
        assert_eq!(split_path_range("src/model.rs"), ("src/model.rs".into(), vec![]));
        assert_eq!(split_path_range("src/a:b.rs"), ("src/a:b.rs".into(), vec![]));
        assert_eq!(split_path_range("src/x.rs:9-3"), ("src/x.rs:9-3".into(), vec![]));
        assert_eq!(split_path_range("src/x.rs:0"), ("src/x.rs:0".into(), vec![]));
    }
}
