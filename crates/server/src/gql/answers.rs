//! GraphQL shapes of the query engine's answers (blast radius, context
//! packet, owners, decisions, failures, lessons) and their inputs. The
//! essentials are typed; `details` carries the whole answer as one JSON value
//! and `text`/`markdown` as one rendering, for clients that want it pre-built
//! (cheaper than resolving every field). Answer fields are built only when
//! selected.

use super::types::{EdgeKindGql, Evidence, NodeKindGql, OriginGql};
use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject, ID};
use brain_graph::Graph;
use brain_model::{NodeId, Span};
use brain_query as q;
use std::sync::Arc;

pub fn evidence(e: &q::Evidence) -> Evidence {
    Evidence {
        repo: e.repo.clone(),
        path: e.path.clone(),
        start_line: e.span.map(|s| s.start_line),
        end_line: e.span.map(|s| s.end_line),
        ingestor: e.ingestor.clone(),
        origin: if e.declared { OriginGql::Declared } else { OriginGql::Inferred },
        confidence: f64::from(e.confidence),
        commit: e.commit.clone(),
        location: e.location(),
    }
}

fn ids(v: &[NodeId]) -> Vec<ID> {
    v.iter().map(|i| ID(i.0.to_string())).collect()
}

/// A short reference to an entity.
#[derive(SimpleObject, Clone)]
pub struct EntityBrief {
    pub id: ID,
    pub kind: NodeKindGql,
    pub name: String,
    pub repo: String,
    pub path: String,
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
}

impl From<&q::EntityRef> for EntityBrief {
    fn from(e: &q::EntityRef) -> Self {
        EntityBrief {
            id: ID(e.id.0.to_string()),
            kind: e.kind.into(),
            name: e.name.clone(),
            repo: e.repo.clone(),
            path: e.path.clone(),
            start_line: e.span.map(|s: Span| s.start_line),
            end_line: e.span.map(|s: Span| s.end_line),
        }
    }
}

/// One edge of a why-chain, oriented the way the query walked it; `forward`
/// says whether the stored edge points `from -> to`.
#[derive(SimpleObject, Clone)]
pub struct HopGql {
    pub from: ID,
    pub edge: EdgeKindGql,
    pub to: ID,
    pub forward: bool,
    pub evidence: Evidence,
    /// `a -calls-> b` / `a <-consumes- b`.
    pub text: String,
}

pub fn hop(h: &q::Hop) -> HopGql {
    {
        HopGql {
            from: ID(h.from.0.to_string()),
            edge: h.edge.into(),
            to: ID(h.to.0.to_string()),
            forward: h.forward,
            evidence: evidence(&h.evidence),
            text: h.render(),
        }
    }
}

#[derive(SimpleObject)]
pub struct ImpactedGql {
    pub entity: EntityBrief,
    pub service: Option<ID>,
    pub direct: bool,
    pub depth: u32,
    pub confidence: f64,
    /// From a changed entity to this one, each hop with its evidence.
    pub why: Vec<HopGql>,
}

#[derive(SimpleObject)]
pub struct ServiceGroupGql {
    pub service: Option<ID>,
    pub entities: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct RepoGroupGql {
    pub repo: String,
    pub commit: Option<String>,
    pub services: Vec<ServiceGroupGql>,
}

#[derive(SimpleObject)]
pub struct OwnerReviewGql {
    pub owner: ID,
    pub name: String,
    pub entities: Vec<ID>,
    /// The rules (`file:line`) that made them owner.
    pub rules: Vec<String>,
}

#[derive(SimpleObject)]
pub struct TestGql {
    pub id: ID,
    pub repo: String,
    pub name: String,
    pub path: String,
    pub reason: String,
}

#[derive(SimpleObject, Clone)]
pub struct DecisionGql {
    pub id: ID,
    pub title: String,
    pub status: String,
    pub date: Option<String>,
    pub entities: Vec<ID>,
    pub evidence: Evidence,
}

impl From<&q::DecisionRef> for DecisionGql {
    fn from(d: &q::DecisionRef) -> Self {
        DecisionGql {
            id: ID(d.id.0.to_string()),
            title: d.title.clone(),
            status: d.status.clone(),
            date: d.date.clone(),
            entities: ids(&d.entities),
            evidence: evidence(&d.evidence),
        }
    }
}

#[derive(SimpleObject, Clone)]
pub struct FailureGql {
    pub id: ID,
    pub title: String,
    pub severity: Option<String>,
    pub date: Option<String>,
    pub entities: Vec<ID>,
    pub evidence: Evidence,
}

impl From<&q::FailureRef> for FailureGql {
    fn from(f: &q::FailureRef) -> Self {
        FailureGql {
            id: ID(f.id.0.to_string()),
            title: f.title.clone(),
            severity: f.severity.clone(),
            date: f.date.clone(),
            entities: ids(&f.entities),
            evidence: evidence(&f.evidence),
        }
    }
}

#[derive(SimpleObject, Clone)]
pub struct LessonGql {
    pub id: ID,
    pub text: String,
    pub status: String,
    /// The entity it applied to no longer exists.
    pub stale: bool,
    pub tags: Vec<String>,
    pub author: Option<String>,
    pub valid_until: Option<String>,
    pub entities: Vec<ID>,
    pub learned_from: Vec<ID>,
    pub evidence: Evidence,
}

impl From<&q::LessonRef> for LessonGql {
    fn from(l: &q::LessonRef) -> Self {
        LessonGql {
            id: ID(l.id.0.to_string()),
            text: l.text.clone(),
            status: l.status.clone(),
            stale: l.stale,
            tags: l.tags.clone(),
            author: l.author.clone(),
            valid_until: l.valid_until.clone(),
            entities: ids(&l.entities),
            learned_from: ids(&l.learned_from),
            evidence: evidence(&l.evidence),
        }
    }
}

#[derive(SimpleObject)]
pub struct OwnerGql {
    pub owner: ID,
    pub name: String,
    /// The entity asked about.
    pub entity: ID,
    /// What carried the ownership (the entity, its file, its repo).
    pub via: ID,
    /// The rule (`file:line`) that decided it.
    pub rule: Option<String>,
    pub evidence: Evidence,
}

impl From<&q::OwnerRef> for OwnerGql {
    fn from(o: &q::OwnerRef) -> Self {
        OwnerGql {
            owner: ID(o.owner.0.to_string()),
            name: o.name.clone(),
            entity: ID(o.entity.0.to_string()),
            via: ID(o.via.0.to_string()),
            rule: o.rule.clone(),
            evidence: evidence(&o.evidence),
        }
    }
}

#[derive(SimpleObject)]
pub struct BoundaryGql {
    pub contract: ID,
    pub contract_kind: NodeKindGql,
    pub producer: ID,
    pub producer_repo: String,
    pub consumer: ID,
    pub consumer_repo: String,
    pub edge: EdgeKindGql,
}

#[derive(SimpleObject)]
pub struct RolloutStepGql {
    pub repo: String,
    /// Repos that must roll out before this one.
    pub after: Vec<String>,
    pub in_cycle: bool,
}

/// How much process a change needs.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Lane")]
pub enum LaneGql {
    /// One repo, low risk.
    Fast,
    /// Crosses a repo or a contract, or touches infrastructure or data.
    Full,
    /// An id or file the change names is not in the graph: nothing can be said (`laneReasons` names it).
    Unknown,
}

impl From<q::Lane> for LaneGql {
    fn from(l: q::Lane) -> Self {
        match l {
            q::Lane::Fast => LaneGql::Fast,
            q::Lane::Full => LaneGql::Full,
            q::Lane::Unknown => LaneGql::Unknown,
        }
    }
}

/// The indexed commit of a repo in the answer, and whether the checkout moved past it.
#[derive(SimpleObject, Clone)]
pub struct FreshnessGql {
    pub repo: String,
    pub indexed_commit: Option<String>,
    pub ingested_at: u64,
    pub stale: bool,
}

pub fn freshness(ctx: &Context<'_>, graph: &Graph, repos: impl IntoIterator<Item = String>) -> Vec<FreshnessGql> {
    let heads = ctx.data_opt::<super::Ctx>().map(|c| &c.heads);
    let mut seen = std::collections::BTreeSet::new();
    repos
        .into_iter()
        .filter(|r| !r.is_empty() && seen.insert(r.clone()))
        .map(|r| {
            let info = graph.repo(&r);
            let indexed = info.and_then(|i| i.commit.clone());
            let head = info.and_then(|i| match heads {
                Some(h) => h.head(&i.root),
                None => brain_ingest::git_head(std::path::Path::new(&i.root)),
            });
            FreshnessGql {
                stale: head.is_some() && head != indexed,
                indexed_commit: indexed,
                ingested_at: info.map(|i| i.ingested_at).unwrap_or(0),
                repo: r,
            }
        })
        .collect()
}

// Every field is built only when it is selected: a client that wants the
// whole answer as one pre-built value selects `text` or `details` and pays
// for nothing else.
pub struct BlastRadiusGql {
    graph: Arc<Graph>,
    b: q::BlastRadius,
}

impl BlastRadiusGql {
    pub fn new(graph: Arc<Graph>, b: q::BlastRadius) -> Self {
        BlastRadiusGql { graph, b }
    }
}

/// What a change reaches and why.
#[Object]
impl BlastRadiusGql {
    /// Entities the change maps to.
    async fn changed(&self) -> Vec<EntityBrief> {
        self.b.changed.iter().map(EntityBrief::from).collect()
    }
    async fn impacted(&self) -> Vec<ImpactedGql> {
        self.b
            .impacted
            .iter()
            .map(|i| ImpactedGql {
                entity: (&i.entity).into(),
                service: i.service.as_ref().map(|s| ID(s.0.to_string())),
                direct: i.direct,
                depth: i.depth,
                confidence: f64::from(i.confidence),
                why: i.why.iter().map(hop).collect(),
            })
            .collect()
    }
    async fn by_repo(&self) -> Vec<RepoGroupGql> {
        self.b
            .by_repo
            .iter()
            .map(|r| RepoGroupGql {
                repo: r.repo.clone(),
                commit: r.commit.clone(),
                services: r
                    .services
                    .iter()
                    .map(|s| ServiceGroupGql {
                        service: s.service.as_ref().map(|x| ID(x.0.to_string())),
                        entities: ids(&s.entities),
                    })
                    .collect(),
            })
            .collect()
    }
    /// Owners who must review.
    async fn owners(&self) -> Vec<OwnerReviewGql> {
        self.b
            .owners
            .iter()
            .map(|o| OwnerReviewGql {
                owner: ID(o.owner.0.to_string()),
                name: o.name.clone(),
                entities: ids(&o.entities),
                rules: o.rules.clone(),
            })
            .collect()
    }
    /// A smallest set of owners covering every owned touched entity.
    async fn reviewers(&self) -> Vec<ID> {
        ids(&self.b.reviewers)
    }
    async fn unowned(&self) -> Vec<ID> {
        ids(&self.b.unowned)
    }
    async fn tests(&self) -> Vec<TestGql> {
        self.b
            .tests
            .iter()
            .flat_map(|rt| {
                rt.tests.iter().map(move |t| TestGql {
                    id: ID(t.id.0.to_string()),
                    repo: rt.repo.clone(),
                    name: t.name.clone(),
                    path: t.path.clone(),
                    reason: t.reason.clone(),
                })
            })
            .collect()
    }
    async fn decisions(&self) -> Vec<DecisionGql> {
        self.b.decisions.iter().map(DecisionGql::from).collect()
    }
    async fn failures(&self) -> Vec<FailureGql> {
        self.b.failures.iter().map(FailureGql::from).collect()
    }
    async fn lessons(&self) -> Vec<LessonGql> {
        self.b.lessons.iter().map(LessonGql::from).collect()
    }
    async fn boundaries(&self) -> Vec<BoundaryGql> {
        self.b
            .boundaries
            .iter()
            .map(|x| BoundaryGql {
                contract: ID(x.contract.0.to_string()),
                contract_kind: x.contract_kind.into(),
                producer: ID(x.producer.0.to_string()),
                producer_repo: x.producer_repo.clone(),
                consumer: ID(x.consumer.0.to_string()),
                consumer_repo: x.consumer_repo.clone(),
                edge: x.edge.into(),
            })
            .collect()
    }
    /// Producers before consumers.
    async fn rollout(&self) -> Vec<RolloutStepGql> {
        self.b
            .rollout
            .steps
            .iter()
            .map(|s| RolloutStepGql { repo: s.repo.clone(), after: s.after.clone(), in_cycle: s.in_cycle })
            .collect()
    }
    async fn rollout_cycles(&self) -> &Vec<Vec<String>> {
        &self.b.rollout.cycles
    }
    async fn lane(&self) -> LaneGql {
        self.b.lane.into()
    }
    async fn lane_reasons(&self) -> &Vec<String> {
        &self.b.lane_reasons
    }
    /// `auto`, `one-reviewer` or `owners`, from the policy in brain.toml.
    async fn review_level(&self) -> &str {
        self.b.review.level.as_str()
    }
    async fn mermaid(&self) -> &str {
        &self.b.mermaid
    }
    async fn freshness(&self, ctx: &Context<'_>) -> Vec<FreshnessGql> {
        freshness(ctx, &self.graph, self.b.freshness.iter().map(|f| f.repo.clone()))
    }
    async fn truncated(&self) -> bool {
        self.b.truncated
    }
    /// The same answer as text for a terminal or a prompt.
    async fn text(&self) -> String {
        q::impact::render_text(&self.b)
    }
    /// The whole answer as one JSON value.
    async fn details(&self) -> Json<&q::BlastRadius> {
        Json(&self.b)
    }
}

/// Whether a packet is worth acting on.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "PacketStatus")]
pub enum PacketStatusGql {
    /// The intent names entities that exist, or search matches it well.
    Ok,
    /// Only loose matches: consider ESCALATE.
    Weak,
    /// Nothing the intent names exists: stop with NO_OP or ESCALATE.
    NoMatch,
}

#[derive(SimpleObject)]
pub struct PacketItemGql {
    pub id: ID,
    pub kind: NodeKindGql,
    /// `lessons`, `code`, `contracts`, `tests`, `decisions`, `failures`, `owners`, `instructions`.
    pub section: String,
    pub title: String,
    pub location: String,
    pub signature: Option<String>,
    pub doc: Option<String>,
    pub snippet: Option<String>,
    /// Why it is here, for people.
    pub why: String,
    /// The chain from the task to this item.
    pub why_path: Vec<HopGql>,
    pub evidence: Evidence,
    pub score: f64,
}

/// A file the task likely touches, ranked by fusing the text, the graph and history.
#[derive(SimpleObject)]
pub struct PacketFileGql {
    pub repo: String,
    pub path: String,
    /// Fused score, 1.0 for the best file.
    pub score: f64,
    /// Why it ranks: each signal that ranks it, strongest first.
    pub why: String,
    /// The packet's items in this file, best first.
    pub entities: Vec<ID>,
    /// Rank of the file by its text (BM25F over path and content), when it ranks there.
    pub lexical_rank: Option<u32>,
    /// Rank of the file by the graph (its items added up), when it ranks there.
    pub graph_rank: Option<u32>,
    /// Rank of the file by similar past changes, when it ranks there.
    pub history_rank: Option<u32>,
}

/// Something that ranked but did not fit the budget.
#[derive(SimpleObject)]
pub struct CutEntryGql {
    /// `file`, or the item's node kind.
    pub kind: String,
    /// The item's id, or `repo:path` of a file.
    pub id: String,
    pub title: String,
    pub score: f64,
}

#[derive(SimpleObject)]
pub struct RiskGql {
    pub kind: String,
    pub message: String,
    pub ids: Vec<ID>,
}

// Fields are built only when selected (`markdown` and `details` are the
// whole packet as one pre-built value).
pub struct ContextPacketGql {
    graph: Arc<Graph>,
    p: q::ContextPacket,
}

impl ContextPacketGql {
    pub fn new(graph: Arc<Graph>, p: q::ContextPacket) -> Self {
        ContextPacketGql { graph, p }
    }
}

/// Everything an agent needs for one task, ranked, with evidence, within a budget.
#[Object]
impl ContextPacketGql {
    async fn intent(&self) -> &str {
        &self.p.intent
    }
    async fn status(&self) -> PacketStatusGql {
        match self.p.status {
            q::PacketStatus::Ok => PacketStatusGql::Ok,
            q::PacketStatus::Weak => PacketStatusGql::Weak,
            q::PacketStatus::NoMatch => PacketStatusGql::NoMatch,
        }
    }
    async fn status_reason(&self) -> &str {
        &self.p.status_reason
    }
    /// Entities the intent or scope names that exist.
    async fn named(&self) -> Vec<ID> {
        ids(&self.p.named)
    }
    /// The files the task most likely touches, best first (those that fit the budget).
    async fn files(&self) -> Vec<PacketFileGql> {
        self.p
            .files
            .iter()
            .map(|f| PacketFileGql {
                repo: f.repo.clone(),
                path: f.path.clone(),
                score: f64::from(f.score),
                why: f.why.clone(),
                entities: ids(&f.entities),
                lexical_rank: f.lexical_rank,
                graph_rank: f.graph_rank,
                history_rank: f.history_rank,
            })
            .collect()
    }
    /// Items that ranked but did not fit the budget, best first.
    async fn cut(&self) -> Vec<CutEntryGql> {
        self.p
            .cut
            .iter()
            .map(|c| CutEntryGql {
                kind: c.kind.clone(),
                id: c.id.clone(),
                title: c.title.clone(),
                score: f64::from(c.score),
            })
            .collect()
    }
    /// The items that fit the budget, by section then score.
    async fn items(&self) -> Vec<PacketItemGql> {
        self.p
            .items
            .iter()
            .map(|i| PacketItemGql {
                id: ID(i.id.0.to_string()),
                kind: i.kind.into(),
                section: serde_json::to_value(i.section)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                title: i.title.clone(),
                location: i.location.clone(),
                signature: i.signature.clone(),
                doc: i.doc.clone(),
                snippet: i.snippet.clone(),
                why: i.why.clone(),
                why_path: i.why_path.iter().map(hop).collect(),
                evidence: evidence(&i.evidence),
                score: f64::from(i.score),
            })
            .collect()
    }
    async fn risks(&self) -> Vec<RiskGql> {
        self.p
            .risks
            .iter()
            .map(|r| RiskGql { kind: r.kind.clone(), message: r.message.clone(), ids: ids(&r.ids) })
            .collect()
    }
    async fn lane(&self) -> LaneGql {
        self.p.lane.into()
    }
    async fn lane_reasons(&self) -> &Vec<String> {
        &self.p.lane_reasons
    }
    /// Near the task but out of scope.
    async fn non_goals(&self) -> Vec<EntityBrief> {
        self.p.non_goals.iter().map(EntityBrief::from).collect()
    }
    async fn ci_jobs(&self) -> Vec<EntityBrief> {
        self.p.ci_jobs.iter().map(EntityBrief::from).collect()
    }
    async fn repos(&self) -> &Vec<String> {
        &self.p.repos
    }
    /// The packet as markdown, never over `budgetTokens`.
    async fn markdown(&self) -> &str {
        &self.p.markdown
    }
    /// The factory task packet (intent, scope, non-goals, validation, owners...), unknowns left blank.
    async fn task_packet(&self) -> String {
        q::render_task_packet(&self.p)
    }
    async fn tokens(&self) -> usize {
        self.p.tokens
    }
    async fn budget_tokens(&self) -> usize {
        self.p.budget_tokens
    }
    /// How many items and files did not fit the budget (listed in `cut`).
    async fn omitted(&self) -> usize {
        self.p.omitted
    }
    async fn freshness(&self, ctx: &Context<'_>) -> Vec<FreshnessGql> {
        freshness(ctx, &self.graph, self.p.repos.iter().cloned())
    }
    /// The whole packet as one JSON value.
    async fn details(&self) -> Json<&q::ContextPacket> {
        Json(&self.p)
    }
}

/// Changed lines, 1-based and inclusive.
#[derive(InputObject)]
pub struct LineRangeInput {
    pub start: u32,
    pub end: u32,
}

#[derive(InputObject)]
pub struct FileChangeInput {
    pub repo: String,
    pub path: String,
    /// Changed lines; none means the whole file.
    #[graphql(default)]
    pub ranges: Vec<LineRangeInput>,
}

#[derive(InputObject)]
pub struct DiffInput {
    /// The ingested repo the diff applies to.
    pub repo: String,
    /// A unified diff (`git diff` output).
    pub text: String,
}

#[derive(InputObject)]
pub struct GitRangeInput {
    pub repo: String,
    /// A git revision range such as `main..feature` or `HEAD~1`.
    pub range: String,
}

/// A change: entity ids, files (with optional line ranges), a unified diff, or a git range.
#[derive(InputObject, Default)]
pub struct ChangeInput {
    #[graphql(default)]
    pub ids: Vec<ID>,
    #[graphql(default)]
    pub files: Vec<FileChangeInput>,
    pub diff: Option<DiffInput>,
    pub git_range: Option<GitRangeInput>,
}

/// Traversal bounds for blast radius.
#[derive(InputObject, Default)]
pub struct ImpactOptionsInput {
    /// Maximum hops (default 6, at most 8).
    pub max_depth: Option<u32>,
    /// Edge kinds to follow (default: every dependency kind).
    pub edge_kinds: Option<Vec<EdgeKindGql>>,
    /// Cut chains whose confidence (the product along the chain) falls below this (default 0.3).
    pub min_confidence: Option<f64>,
    /// At most this many impacted entities (default 2000, at most 10000).
    pub max_results: Option<usize>,
}

/// Where a task may work.
#[derive(InputObject, Default)]
pub struct ScopeInput {
    #[graphql(default)]
    pub repos: Vec<String>,
    #[graphql(default)]
    pub paths: Vec<String>,
    #[graphql(default)]
    pub ids: Vec<ID>,
}

/// A spec version: inline text, or a file of an ingested repo at a git revision
/// (no revision: the indexed working tree).
#[derive(InputObject)]
pub struct SpecSourceInput {
    /// The spec's text (with `path` naming it, for the format and messages).
    pub text: Option<String>,
    pub path: String,
    /// An ingested repo whose checkout holds `path`.
    pub repo: Option<String>,
    /// A git revision in that repo (`main`, `HEAD~1`, a sha).
    pub rev: Option<String>,
}

/// Where a change sits in one version of a spec.
#[derive(SimpleObject)]
pub struct SpecLocationGql {
    pub path: String,
    pub line: Option<u32>,
    pub pointer: String,
}

/// One classified difference between two versions of a spec.
#[derive(SimpleObject)]
pub struct SpecChangeGql {
    /// Upstream rule id where one exists (oasdiff, buf, graphql-inspector).
    pub rule: String,
    /// `breaking`, `warning` or `safe`.
    pub level: String,
    pub message: String,
    pub old: Option<SpecLocationGql>,
    pub new: Option<SpecLocationGql>,
}

impl From<&brain_ingest_contracts::diff::Change> for SpecChangeGql {
    fn from(c: &brain_ingest_contracts::diff::Change) -> Self {
        let loc = |l: &brain_ingest_contracts::diff::Location| SpecLocationGql {
            path: l.path.clone(),
            line: l.line,
            pointer: l.pointer.clone(),
        };
        SpecChangeGql {
            rule: c.rule.clone(),
            level: c.level.as_str().to_string(),
            message: c.message.clone(),
            old: c.old.as_ref().map(loc),
            new: c.new.as_ref().map(loc),
        }
    }
}

/// One side of a contract finding: where, what, and who owns it.
#[derive(SimpleObject)]
pub struct FindingSideGql {
    /// `producer`, `consumer`, `contract`, `original` or `copy`.
    pub role: String,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    pub entity: Option<ID>,
    pub detail: String,
    pub owners: Vec<ID>,
    pub location: String,
}

impl From<&brain_check::Evidence> for FindingSideGql {
    fn from(e: &brain_check::Evidence) -> Self {
        FindingSideGql {
            role: e.role.clone(),
            repo: e.repo.clone(),
            path: e.path.clone(),
            line: e.line,
            entity: e.entity.clone().map(ID),
            detail: e.detail.clone(),
            owners: e.owners.iter().cloned().map(ID).collect(),
            location: e.location(),
        }
    }
}

/// A contract problem between a producer and a consumer.
#[derive(SimpleObject)]
pub struct FindingGql {
    /// Stable across runs (a hash of the rule and both sides).
    pub id: String,
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    pub message: String,
    pub boundary: Option<String>,
    pub producer: Option<FindingSideGql>,
    pub consumer: Option<FindingSideGql>,
    pub related: Vec<FindingSideGql>,
    pub fix: String,
}

/// The result of a contract check.
#[derive(SimpleObject)]
pub struct ContractCheckGql {
    pub findings: Vec<FindingGql>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Problems diffing specs against `against` (a spec that does not parse at that revision...).
    pub problems: Vec<String>,
    pub text: String,
    /// SARIF 2.1.0 for code-scanning UIs.
    pub sarif: Json<serde_json::Value>,
}

impl ContractCheckGql {
    pub fn new(r: &brain_check::CheckReport, problems: Vec<String>) -> Self {
        ContractCheckGql {
            findings: r
                .findings
                .iter()
                .map(|f| FindingGql {
                    id: f.id.clone(),
                    rule: f.rule.clone(),
                    severity: serde_json::to_value(f.severity)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    message: f.message.clone(),
                    boundary: f.boundary.clone(),
                    producer: f.producer.as_ref().map(FindingSideGql::from),
                    consumer: f.consumer.as_ref().map(FindingSideGql::from),
                    related: f.related.iter().map(FindingSideGql::from).collect(),
                    fix: f.fix.clone(),
                })
                .collect(),
            errors: r.summary.errors,
            warnings: r.summary.warnings,
            infos: r.summary.infos,
            problems,
            text: brain_check::to_text(r),
            sarif: Json(brain_check::to_sarif(r)),
        }
    }
}

/// Who owns one path, and the rule that decided it.
#[derive(SimpleObject)]
pub struct PathOwnerGql {
    pub path: String,
    /// Empty when no rule matches, or the winning rule unsets ownership.
    pub owners: Vec<ID>,
    /// `CODEOWNERS-file:line` of the deciding rule.
    pub rule: Option<String>,
    pub pattern: Option<String>,
    pub section: Option<String>,
}

/// Owners of a set of paths in one repository.
#[derive(SimpleObject)]
pub struct PathOwnersGql {
    pub repo: String,
    /// The CODEOWNERS file that applies (GitHub reads the first of `.github/`, the root, `docs/`).
    pub codeowners: Option<String>,
    pub paths: Vec<PathOwnerGql>,
    /// The smallest set of owners that covers every owned path.
    pub reviewers: Vec<ID>,
}

/// One file's definition of a feature flag.
#[derive(SimpleObject, Clone)]
#[graphql(name = "FlagDefinition")]
pub struct FlagDefinitionGql {
    pub flag: EntityBrief,
    /// `flagd`, `flagd-operator`, `flipt`, `go-feature-flag`.
    pub format: String,
    pub default_variant: Option<String>,
    pub variants: Vec<String>,
    pub state: Option<String>,
    pub description: String,
    pub evidence: Evidence,
}

/// One place code evaluates a feature flag with a fixed key.
#[derive(SimpleObject, Clone)]
#[graphql(name = "FlagEvaluation")]
pub struct FlagEvaluationGql {
    pub key: String,
    /// The function, method or file that evaluates it.
    pub by: Option<EntityBrief>,
    /// `openfeature`, `launchdarkly`, `unleash`, `configcat`.
    pub sdk: Option<String>,
    /// The same-file wrapper function the key was passed through.
    pub via: Option<String>,
    /// Every line of `by` that evaluates the key.
    pub lines: Vec<u32>,
    pub evidence: Evidence,
}

/// A feature flag key: where it is defined and where it is evaluated.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Flag")]
pub struct FlagGql {
    pub key: String,
    pub definitions: Vec<FlagDefinitionGql>,
    pub evaluations: Vec<FlagEvaluationGql>,
}

/// An evaluation whose key is known only at run time: never guessed, listed so the answer says
/// what it cannot see.
#[derive(SimpleObject, Clone)]
#[graphql(name = "DynamicFlagEvaluation")]
pub struct DynamicFlagEvaluationGql {
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    pub message: String,
}

/// Feature flags: definitions, evaluations, and the gaps between them.
#[derive(SimpleObject, Clone)]
#[graphql(name = "FlagReport")]
pub struct FlagReportGql {
    pub flags: Vec<FlagGql>,
    /// Keys evaluated (in scope) that no ingested file defines.
    pub evaluated_never_defined: Vec<String>,
    /// Keys defined (in scope) that no ingested code evaluates with a fixed key (see `dynamic`).
    pub defined_never_evaluated: Vec<String>,
    pub dynamic: Vec<DynamicFlagEvaluationGql>,
    /// The same answer as text.
    pub text: String,
}

impl From<&q::FlagReport> for FlagReportGql {
    fn from(r: &q::FlagReport) -> Self {
        let brief = |e: &q::EntityRef| EntityBrief::from(e);
        FlagReportGql {
            flags: r
                .flags
                .iter()
                .map(|f| FlagGql {
                    key: f.key.clone(),
                    definitions: f
                        .definitions
                        .iter()
                        .map(|d| FlagDefinitionGql {
                            flag: brief(&d.flag),
                            format: d.format.clone(),
                            default_variant: d.default_variant.clone(),
                            variants: d.variants.clone(),
                            state: d.state.clone(),
                            description: d.description.clone(),
                            evidence: evidence(&d.evidence),
                        })
                        .collect(),
                    evaluations: f
                        .evaluations
                        .iter()
                        .map(|e| FlagEvaluationGql {
                            key: e.key.clone(),
                            by: e.by.as_ref().map(brief),
                            sdk: e.sdk.clone(),
                            via: e.via.clone(),
                            lines: e.lines.clone(),
                            evidence: evidence(&e.evidence),
                        })
                        .collect(),
                })
                .collect(),
            evaluated_never_defined: r.evaluated_never_defined.clone(),
            defined_never_evaluated: r.defined_never_evaluated.clone(),
            dynamic: r
                .dynamic
                .iter()
                .map(|d| DynamicFlagEvaluationGql {
                    repo: d.repo.clone(),
                    path: d.path.clone(),
                    line: d.line,
                    message: d.message.clone(),
                })
                .collect(),
            text: q::render_flags(r),
        }
    }
}

/// An image that includes files at the path asked about.
#[derive(SimpleObject, Clone)]
#[graphql(name = "ImageInclusion")]
pub struct ImageInclusionGql {
    pub image: EntityBrief,
    /// `repo:path` of the Dockerfile.
    pub dockerfile: String,
    pub stages: Vec<String>,
    pub base_images: Vec<String>,
    /// Services whose compose `build:` builds this image.
    pub services: Vec<EntityBrief>,
    /// Included files under the path (at most 20 listed; `fileCount` counts them all).
    pub files: Vec<String>,
    pub file_count: usize,
    /// The first `COPY`/`ADD` source (as written) that includes them, and its stage.
    pub source: String,
    pub stage: String,
    pub evidence: Evidence,
}

/// A service built from the directory asked about.
#[derive(SimpleObject, Clone)]
#[graphql(name = "ServiceBuild")]
pub struct ServiceBuildGql {
    pub service: EntityBrief,
    pub image: Option<EntityBrief>,
    /// `includes` (its image copies files from here), `dockerfile` (its Dockerfile is here) or
    /// `build-context`.
    pub reason: String,
    pub file_count: usize,
    pub evidence: Evidence,
}

/// Container images including a path, and services built from it.
#[derive(SimpleObject, Clone)]
#[graphql(name = "ImagesAnswer")]
pub struct ImagesAnswerGql {
    pub repo: String,
    /// The path as understood (repo-relative; `""` is the whole repository).
    pub path: String,
    pub images: Vec<ImageInclusionGql>,
    pub services: Vec<ServiceBuildGql>,
    pub text: String,
}

impl ImagesAnswerGql {
    pub fn new(repo: &str, path: &str, including: &[q::ImageInclusion], services: &[q::ServiceBuild]) -> Self {
        ImagesAnswerGql {
            repo: repo.to_string(),
            path: path.to_string(),
            images: including
                .iter()
                .map(|i| ImageInclusionGql {
                    image: EntityBrief::from(&i.image.image),
                    dockerfile: i.image.dockerfile.clone(),
                    stages: i.image.stages.clone(),
                    base_images: i.image.base_images.clone(),
                    services: i.image.services.iter().map(EntityBrief::from).collect(),
                    files: i.files.clone(),
                    file_count: i.file_count,
                    source: i.source.clone(),
                    stage: i.stage.clone(),
                    evidence: evidence(&i.evidence),
                })
                .collect(),
            services: services
                .iter()
                .map(|s| ServiceBuildGql {
                    service: EntityBrief::from(&s.service),
                    image: s.image.as_ref().map(EntityBrief::from),
                    reason: s.reason.clone(),
                    file_count: s.file_count,
                    evidence: evidence(&s.evidence),
                })
                .collect(),
            text: q::render_images(including, services, repo, path),
        }
    }
}
