//! The mutation root. Every mutation needs the write token.

use super::{err, Ctx};
use crate::Access;
use async_graphql::{Context, Object, SimpleObject};

pub struct MutationRoot;

/// Fails unless the request carries the write token.
pub fn require_write(ctx: &Context<'_>) -> async_graphql::Result<()> {
    match ctx.data_opt::<Access>() {
        Some(Access::Write) => Ok(()),
        _ => Err(err(
            "FORBIDDEN",
            "this mutation needs the write token: send 'Authorization: Bearer <BRAIN_WRITE_TOKEN>'",
        )),
    }
}

/// What a re-ingest did.
#[derive(SimpleObject)]
pub struct IngestSummary {
    pub repo: String,
    pub files_seen: usize,
    pub parsed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub failed: usize,
    pub duration_ms: u64,
}

#[Object]
impl MutationRoot {
    /// Re-ingests a configured repository (after a merge); only changed files are parsed.
    async fn reingest(&self, ctx: &Context<'_>, repo: String) -> async_graphql::Result<IngestSummary> {
        require_write(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        let Some(cfg) = c.repos.iter().find(|r| r.name == repo).cloned() else {
            return Err(err("NOT_FOUND", format!("no configured repository named '{repo}'")));
        };
        let brain = c.brain.clone();
        let report = tokio::task::spawn_blocking(move || brain.ingest_repo(&cfg, &brain_ingest::NoProgress))
            .await
            .map_err(|e| err("INTERNAL", e.to_string()))?
            .map_err(|e| err("INGEST_FAILED", e.to_string()))?;
        Ok(IngestSummary {
            repo: report.repo,
            files_seen: report.files_seen,
            parsed: report.parsed,
            unchanged: report.unchanged,
            removed: report.removed,
            failed: report.failed,
            duration_ms: report.duration.as_millis() as u64,
        })
    }
}
