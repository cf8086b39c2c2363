//! The mutation root. Every mutation needs the write token.

use super::answers::{FailureGql, LessonGql};
use super::service::now_secs;
use super::types::{Entity, NodeRef};
use super::{err, Ctx};
use crate::Access;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use brain_model::NodeId;
use brain_query as q;

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

/// A lesson to record.
#[derive(InputObject)]
pub struct LessonInputGql {
    /// What was learned, in words an agent can act on.
    pub text: String,
    /// Entities it applies to (files, symbols, operations, fields, services...).
    pub applies_to: Vec<ID>,
    /// The failure it was learned from.
    pub failure: Option<ID>,
    #[graphql(default)]
    pub tags: Vec<String>,
    /// Who wrote it (agent or person).
    #[graphql(default)]
    pub author: String,
    /// ISO date until which it holds.
    pub valid_until: Option<String>,
    /// A lesson this one replaces.
    pub supersedes: Option<ID>,
    /// A key the client chooses for this write (at most 200 characters):
    /// sending it again returns the record the first call wrote instead of
    /// writing another. Without it every call records a new entity.
    pub idempotency_key: Option<String>,
}

/// A failure to record.
#[derive(InputObject)]
pub struct FailureInputGql {
    pub title: String,
    #[graphql(default)]
    pub text: String,
    /// Entities the failure affected.
    pub affected: Vec<ID>,
    pub severity: Option<String>,
    #[graphql(default)]
    pub tags: Vec<String>,
    #[graphql(default)]
    pub author: String,
    /// A key the client chooses for this write (at most 200 characters):
    /// sending it again returns the record the first call wrote instead of
    /// writing another. Without it every call records a new entity.
    pub idempotency_key: Option<String>,
}

/// How an agent run ended.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RunState {
    PrReady,
    NoOp,
    Escalate,
    RetryableFailure,
}

#[derive(InputObject)]
pub struct RunInputGql {
    pub task: String,
    pub state: RunState,
    #[graphql(default)]
    pub touched: Vec<ID>,
    /// Links or short notes (PR URL, CI run, log excerpt).
    #[graphql(default)]
    pub evidence: Vec<String>,
    #[graphql(default)]
    pub agent: String,
    /// A key the client chooses for this write (at most 200 characters):
    /// sending it again returns the record the first call wrote instead of
    /// writing another. Without it every call records a new entity.
    pub idempotency_key: Option<String>,
}

/// A recorded failure and, when it repeats one already known, that one and its lessons.
#[derive(SimpleObject)]
pub struct RecordedFailure {
    pub failure: Entity,
    pub repeat_of: Option<FailureGql>,
    pub similarity: Option<f64>,
    /// Lessons that already exist for the repeated failure or its entities: read them first.
    pub lessons: Vec<LessonGql>,
}

/// An optional id that must name an entity of `kind` (a lesson supersedes a
/// lesson, is learned from a failure).
fn check_kind(
    ctx: &Ctx,
    id: Option<&ID>,
    what: &str,
    kind: brain_model::NodeKind,
) -> async_graphql::Result<Option<NodeId>> {
    let Some(i) = id else { return Ok(None) };
    let id = NodeId::new(i.0.clone());
    match ctx.brain.snapshot().node(&id) {
        Some(n) if n.kind == kind => Ok(Some(id)),
        Some(n) => Err(err("BAD_INPUT", format!("{what}: '{id}' is a {}, not a {}", n.kind, kind.as_str()))),
        None => Err(err("NOT_FOUND", format!("{what}: no entity with id '{id}'"))),
    }
}

fn check_ids(ctx: &Ctx, ids: &[ID], what: &str) -> async_graphql::Result<Vec<NodeId>> {
    let g = ctx.brain.snapshot();
    let mut out = Vec::new();
    for i in ids {
        let id = NodeId::new(i.0.clone());
        if !g.contains(&id) {
            return Err(err("NOT_FOUND", format!("{what}: no entity with id '{id}'")));
        }
        out.push(id);
    }
    Ok(out)
}

/// The id of a new record (see `brain_query::written_record_id`): unique per
/// call, or the same for every call with the same idempotency key.
fn new_record_id(prefix: &str, key: Option<&str>, content: &[&str]) -> async_graphql::Result<NodeId> {
    let key = match key.map(str::trim) {
        Some("") => return Err(err("BAD_INPUT", "idempotencyKey is empty: leave it out or send a key")),
        Some(k) if k.len() > 200 => return Err(err("BAD_INPUT", "idempotencyKey is over 200 characters")),
        k => k,
    };
    Ok(q::written_record_id(prefix, key, content, &brain_ingest::write_nonce()))
}

/// Writes a record durably and returns the entity from the new snapshot.
/// When a record with its id exists (a write repeated with its idempotency
/// key), that one is kept and returned.
async fn write_record(c: &Ctx, facts: brain_model::Facts) -> async_graphql::Result<Entity> {
    let id = facts.nodes.first().map(|n| n.id.clone()).ok_or_else(|| err("INTERNAL", "nothing to write"))?;
    let brain = c.brain.clone();
    let key = id.0.clone();
    tokio::task::spawn_blocking(move || brain.put_new_record(&key, facts))
        .await
        .map_err(|e| err("INTERNAL", e.to_string()))?
        .map_err(|e| err("STORE_FAILED", e.to_string()))?;
    let g = c.brain.snapshot();
    let node = g.node(&id).cloned().ok_or_else(|| err("INTERNAL", "the record is not in the new snapshot"))?;
    Ok(NodeRef::new(g, node).entity())
}

#[Object]
impl MutationRoot {
    /// Records a lesson attached to the entities it concerns. It is shown by every
    /// later context packet and blast radius that touches them, survives restarts
    /// and re-ingests, and is marked stale (never deleted) if they disappear.
    async fn record_lesson(&self, ctx: &Context<'_>, input: LessonInputGql) -> async_graphql::Result<Entity> {
        require_write(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        if input.text.trim().is_empty() {
            return Err(err("BAD_INPUT", "the lesson text is empty"));
        }
        if input.applies_to.is_empty() {
            return Err(err("BAD_INPUT", "a lesson must apply to at least one entity (appliesTo)"));
        }
        let applies_to = check_ids(c, &input.applies_to, "appliesTo")?;
        let failure = check_kind(c, input.failure.as_ref(), "failure", brain_model::NodeKind::Failure)?;
        let supersedes = check_kind(c, input.supersedes.as_ref(), "supersedes", brain_model::NodeKind::Lesson)?;
        if let Some(u) = input.valid_until.as_deref().filter(|u| !q::learn::is_iso_date(u)) {
            return Err(err("BAD_INPUT", format!("validUntil '{u}' is not a date: write it as YYYY-MM-DD")));
        }
        let id = new_record_id("lesson", input.idempotency_key.as_deref(), &[&input.text, &input.author])?;
        let li = q::LessonInput {
            id: Some(id),
            text: input.text,
            applies_to,
            failure,
            tags: input.tags,
            author: input.author,
            valid_from: String::new(),
            valid_until: input.valid_until,
            supersedes,
        };
        write_record(c, q::lesson_facts(&li, now_secs())).await
    }

    /// Retires a lesson: it stays in the graph with status `retired` and is no longer shown.
    async fn retire_lesson(&self, ctx: &Context<'_>, id: ID, reason: Option<String>) -> async_graphql::Result<Entity> {
        require_write(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        let mut facts = c
            .brain
            .store()
            .record(&id.0)
            .map_err(|e| err("STORE_FAILED", e.to_string()))?
            .filter(|f| f.nodes.first().is_some_and(|n| n.kind == brain_model::NodeKind::Lesson))
            .ok_or_else(|| err("NOT_FOUND", format!("no lesson with id '{}'", id.0)))?;
        let retired = q::learn::retire_lesson(&facts.nodes[0]);
        facts.nodes[0] = match reason {
            Some(r) => retired.with_attr("retired_reason", r),
            None => retired,
        };
        write_record(c, facts).await
    }

    /// Records a failure. When it repeats one already recorded (same entities,
    /// similar text) it is linked as a repeat and returned with the lessons that exist.
    async fn record_failure(
        &self,
        ctx: &Context<'_>,
        input: FailureInputGql,
    ) -> async_graphql::Result<RecordedFailure> {
        require_write(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        if input.title.trim().is_empty() {
            return Err(err("BAD_INPUT", "the failure title is empty"));
        }
        let affected = check_ids(c, &input.affected, "affected")?;
        let id = new_record_id("failure:api", input.idempotency_key.as_deref(), &[&input.title, &input.text])?;
        let mut fi = q::FailureInput {
            id: Some(id),
            title: input.title,
            text: input.text,
            affected,
            severity: input.severity,
            date: None,
            tags: input.tags,
            author: input.author,
            repeats: None,
        };
        let repeat = q::find_repeat(&c.brain.snapshot(), &fi);
        fi.repeats = repeat.as_ref().map(|r| r.failure.id.clone());
        let failure = write_record(c, q::failure_facts(&fi, now_secs())).await?;
        Ok(RecordedFailure {
            failure,
            similarity: repeat.as_ref().map(|r| f64::from(r.similarity)),
            lessons: repeat.as_ref().map(|r| r.lessons.iter().map(LessonGql::from).collect()).unwrap_or_default(),
            repeat_of: repeat.as_ref().map(|r| FailureGql::from(&r.failure)),
        })
    }

    /// Records an agent run and the entities it touched.
    async fn record_run(&self, ctx: &Context<'_>, input: RunInputGql) -> async_graphql::Result<Entity> {
        require_write(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        let touched = check_ids(c, &input.touched, "touched")?;
        let id = new_record_id("run", input.idempotency_key.as_deref(), &[&input.task, &input.agent])?;
        let ri = q::RunInput {
            id: Some(id),
            task: input.task,
            state: match input.state {
                RunState::PrReady => q::RunState::PrReady,
                RunState::NoOp => q::RunState::NoOp,
                RunState::Escalate => q::RunState::Escalate,
                RunState::RetryableFailure => q::RunState::RetryableFailure,
            },
            touched,
            evidence: input.evidence,
            agent: input.agent,
        };
        write_record(c, q::run_facts(&ri, now_secs())).await
    }

    /// Re-ingests a configured repository (after a merge); only changed files are parsed.
    #[graphql(complexity = "1000 + child_complexity")]
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
