//! [`BrainMcp`]: the MCP server handler. Each tool is a thin call into
//! `brain-query` over the brain's current snapshot, run on the blocking pool,
//! answered as concise text. Bad input is a tool error (`isError: true`) with
//! a message saying what to send instead; only a crashed task is a protocol
//! error.

use crate::access::McpAccess;
use crate::params::*;
use crate::tools::{Inner, ToolAnswer, DEFAULT_MAX_EDGES};
use crate::{render, resource};
use brain_ingest::{Brain, PolicyRuleConfig};
use brain_model::NodeId;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourceTemplatesResult, ListResourcesResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler};
use std::sync::{Arc, Mutex};

const INSTRUCTIONS: &str = "The brain is the engineering knowledge graph of this organisation: repos, code, \
services, API contracts, owners, decisions (ADRs), past failures and lessons. Before changing code, call \
`context_packet` with the task; it answers STATUS: OK / WEAK / NO_MATCH (stop with NO_OP or ESCALATE on \
NO_MATCH). Before merging, call `blast_radius` on the changed files or diff for impacted repos, owners, tests \
and review level. Use `search` and `get_entity` to look things up by name or id, `owners` for who must review, \
`flags` for feature flags (defined, evaluated, gaps) and `images` for the images and services built from a path. \
After a run, write back with `record_failure` and `record_lesson` (they need write access). Every answer names \
entities by id; entities are also resources at brain://entity/<id>.";

/// The brain as an MCP server. Cheap to clone (shared state behind an `Arc`);
/// the streamable HTTP transport clones one per session.
#[derive(Clone)]
pub struct BrainMcp {
    inner: Arc<Inner>,
    tool_router: ToolRouter<Self>,
}

impl std::fmt::Debug for BrainMcp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrainMcp").field("allow_writes", &self.inner.allow_writes).finish_non_exhaustive()
    }
}

impl BrainMcp {
    /// A server over `brain` with the review policy of `brain.toml`
    /// (`[[policy.rules]]`; empty = the standard policy). Writes are refused
    /// until [`BrainMcp::with_writes`] allows them.
    pub fn new(brain: Arc<Brain>, policy_rules: &[PolicyRuleConfig]) -> Self {
        let (policy, warnings) = brain_ingest::policy::review_policy(policy_rules);
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
        description = "Feature flags: where a flag key is defined (flagd, OpenFeature operator, Flipt, \
                       go-feature-flag files) and where code evaluates it (SDK calls with a fixed key), with \
                       repo:path:line evidence; plus the keys evaluated but never defined, defined but never \
                       evaluated, and evaluations whose key is known only at run time (never guessed). Give `key` \
                       for one flag, `repo` to narrow.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn flags(&self, Parameters(p): Parameters<FlagsParams>) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.flags(p)).await
    }

    #[tool(
        description = "Container images: which images (Dockerfiles, any stage the final image depends on) \
                       include a file or any file under a directory, and which services (compose `build:`) are \
                       built from that directory, with the COPY line and compose entry as evidence.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn images(&self, Parameters(p): Parameters<ImagesParams>) -> Result<CallToolResult, ErrorData> {
        self.run(move |inner| inner.images(p)).await
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
