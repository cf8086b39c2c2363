//! The query root.

use super::types::*;
use super::{err, Ctx};
use async_graphql::{Context, Object, SimpleObject, ID};
use brain_model::{NodeId, NodeKind};
use brain_store::SearchQuery;

pub struct QueryRoot;

/// A search result.
#[derive(SimpleObject)]
#[graphql(name = "SearchHit")]
pub struct SearchHitGql {
    pub score: f64,
    pub entity: Entity,
}

#[derive(SimpleObject)]
pub struct KindCount {
    pub kind: String,
    pub count: usize,
}

/// Freshness of one repository: what was indexed and whether the checkout moved on.
#[derive(SimpleObject, Clone)]
pub struct RepoStatus {
    pub name: String,
    pub root: String,
    /// The commit that was ingested (null when not a git checkout).
    pub indexed_commit: Option<String>,
    /// True when the checkout's HEAD is no longer the indexed commit.
    pub stale: bool,
    /// Unix seconds of the last ingest.
    pub ingested_at: u64,
}

#[derive(SimpleObject)]
pub struct Stats {
    pub nodes: usize,
    pub edges: usize,
    pub nodes_by_kind: Vec<KindCount>,
    pub edges_by_kind: Vec<KindCount>,
    /// References no producer answered (unknown endpoints, topics, modules).
    pub unresolved_references: usize,
    pub diagnostics: usize,
    /// Increases with every committed change.
    pub generation: u64,
    pub repos: Vec<RepoStatus>,
}

/// Something an ingestor or the linker wants a person to know.
#[derive(SimpleObject)]
#[graphql(name = "Diagnostic")]
pub struct DiagnosticGql {
    pub severity: String,
    pub code: String,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Statuses of all ingested repos; `stale` compares the checkout's HEAD now.
pub fn repo_statuses(graph: &brain_graph::Graph) -> Vec<RepoStatus> {
    graph
        .repos()
        .values()
        .map(|r| {
            let head = brain_ingest::git_head(std::path::Path::new(&r.root));
            RepoStatus {
                name: r.name.clone(),
                root: r.root.clone(),
                indexed_commit: r.commit.clone(),
                stale: head.is_some() && head != r.commit,
                ingested_at: r.ingested_at,
            }
        })
        .collect()
}

#[Object]
impl QueryRoot {
    /// One entity by id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Option<Entity> {
        let g = snapshot(ctx);
        let node = g.node(&NodeId::new(id.0))?.clone();
        Some(NodeRef::new(g, node).entity())
    }

    /// Full-text search over every entity. Identifiers are split into words,
    /// so `createdAt`, `created_at` and "created at" find each other.
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        kinds: Option<Vec<NodeKindGql>>,
        repos: Option<Vec<String>>,
        #[graphql(default = 20)] first: usize,
    ) -> async_graphql::Result<Vec<SearchHitGql>> {
        let c = ctx.data_unchecked::<Ctx>();
        let q = SearchQuery {
            text: query,
            kinds: kinds.unwrap_or_default().into_iter().map(|k| NodeKind::from(k).as_str().to_string()).collect(),
            repos: repos.unwrap_or_default(),
            limit: first.clamp(1, 200),
        };
        let hits = c.brain.search(&q).map_err(|e| err("BAD_INPUT", e.to_string()))?;
        let g = c.brain.snapshot();
        Ok(hits
            .into_iter()
            .filter_map(|h| {
                let node = g.node(&NodeId::new(h.id))?.clone();
                Some(SearchHitGql { score: f64::from(h.score), entity: NodeRef::new(g.clone(), node).entity() })
            })
            .collect())
    }

    /// Edges of an entity, filtered by kind and direction, paginated.
    async fn neighbors(
        &self,
        ctx: &Context<'_>,
        id: ID,
        edge_kinds: Option<Vec<EdgeKindGql>>,
        #[graphql(default)] direction: Direction,
        #[graphql(default = 50)] first: usize,
        after: Option<String>,
    ) -> async_graphql::Result<EdgePage> {
        let g = snapshot(ctx);
        let id = NodeId::new(id.0);
        if !g.contains(&id) {
            return Err(err("NOT_FOUND", format!("no entity with id '{id}'")));
        }
        edge_page(&g, &id, edge_kinds.as_deref(), direction, first, after.as_deref())
    }

    /// Sizes, freshness and health of the graph.
    async fn stats(&self, ctx: &Context<'_>) -> Stats {
        let g = snapshot(ctx);
        let s = g.stats();
        Stats {
            nodes: s.nodes,
            edges: s.edges,
            nodes_by_kind: s
                .nodes_by_kind
                .iter()
                .map(|(k, v)| KindCount { kind: k.as_str().into(), count: *v })
                .collect(),
            edges_by_kind: s
                .edges_by_kind
                .iter()
                .map(|(k, v)| KindCount { kind: k.as_str().into(), count: *v })
                .collect(),
            unresolved_references: s.unresolved,
            diagnostics: s.diagnostics,
            generation: g.generation(),
            repos: repo_statuses(&g),
        }
    }

    /// Ingested repositories with their indexed commit and staleness.
    async fn repos(&self, ctx: &Context<'_>) -> Vec<RepoStatus> {
        repo_statuses(&snapshot(ctx))
    }

    /// Ingest and link diagnostics (files that could not be read or parsed, stale rules...).
    async fn diagnostics(
        &self,
        ctx: &Context<'_>,
        repo: Option<String>,
        #[graphql(default = 100)] first: usize,
    ) -> Vec<DiagnosticGql> {
        let g = snapshot(ctx);
        g.diagnostics()
            .iter()
            .filter(|d| repo.as_ref().is_none_or(|r| &d.repo == r))
            .take(first.clamp(1, 1000))
            .map(|d| DiagnosticGql {
                severity: d.severity.as_str().into(),
                code: d.code.clone(),
                repo: d.repo.clone(),
                path: d.path.clone(),
                line: d.line,
                message: d.message.clone(),
            })
            .collect()
    }
}
