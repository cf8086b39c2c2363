//! The query root.

use super::answers::*;
use super::service::{check_revision, git_diff, now_secs, repo_path_input};
use super::types::*;
use super::{check_time, err, Ctx};
use async_graphql::{Context, Object, SimpleObject, ID};
use brain_model::{NodeId, NodeKind};
use brain_query as q;
use brain_store::SearchQuery;

pub struct QueryRoot;

/// A search result.
#[derive(SimpleObject)]
#[graphql(name = "SearchHit")]
pub struct SearchHitGql {
    pub score: f64,
    pub entity: Entity,
}

/// A past commit whose message resembles a text ("similar past changes"),
/// with the files it touched. Only commits reachable from the repository's
/// indexed commit are known.
#[derive(SimpleObject)]
#[graphql(name = "SimilarChange")]
pub struct SimilarChangeGql {
    pub repo: String,
    /// Full commit hash.
    pub sha: String,
    /// The first line of its message.
    pub subject: String,
    pub author: String,
    /// Committer time, Unix seconds.
    pub time: i64,
    /// Committer date, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// BM25 score of its message against the text; higher is closer.
    pub score: f64,
    /// Repo-relative paths it changed as of that commit (a rename: the new path, then the old one; a merge: none).
    pub files: Vec<String>,
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
    /// False while the snapshot is patched with recent writes and the full
    /// relink (owners, decisions, cross-repo passes) is still running: entities
    /// and direct links are current, whole-graph passes may lag a few seconds.
    pub exact: bool,
    /// Lessons recorded through the API (active, stale and retired).
    pub lessons_recorded: usize,
    /// Lessons shown in context packets and blast radii since the server started.
    pub lessons_shown: u64,
    /// Failures recorded as repeats of an earlier one.
    pub repeat_failures: usize,
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

/// Statuses of all ingested repos; `stale` compares the checkout's HEAD (read
/// at most once a second per checkout).
pub fn repo_statuses(graph: &brain_graph::Graph, heads: &super::service::HeadCache) -> Vec<RepoStatus> {
    graph
        .repos()
        .values()
        .map(|r| {
            let head = heads.head(&r.root);
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
    #[graphql(complexity = "20 + first.clamp(1, 200) * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        kinds: Option<Vec<NodeKindGql>>,
        repos: Option<Vec<String>>,
        #[graphql(default = 20)] first: usize,
    ) -> async_graphql::Result<Vec<SearchHitGql>> {
        check_time(ctx)?;
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

    /// Similar past changes: commits whose messages resemble `text` (BM25;
    /// identifiers match their parts and whole, stop words and
    /// conventional-commit types are ignored), best first, with the files
    /// they touched. Needs git history: `brain ingest` reads it for repos
    /// whose root is a git checkout.
    #[graphql(complexity = "10 + limit.clamp(1, 100) * child_complexity")]
    async fn similar_changes(
        &self,
        ctx: &Context<'_>,
        text: String,
        repos: Option<Vec<String>>,
        #[graphql(default = 10)] limit: usize,
    ) -> async_graphql::Result<Vec<SimilarChangeGql>> {
        check_time(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        let changes = c
            .brain
            .similar_changes(repos.as_deref(), &text, limit.clamp(1, 100))
            .map_err(|e| err("STORE_FAILED", e.to_string()))?;
        Ok(changes
            .into_iter()
            .map(|s| SimilarChangeGql {
                date: brain_model::history::iso_date(s.time),
                repo: s.repo,
                sha: s.sha,
                subject: s.subject,
                author: s.author,
                time: s.time,
                score: f64::from(s.score),
                files: s.files,
            })
            .collect())
    }

    /// Edges of an entity, filtered by kind and direction, paginated.
    #[graphql(complexity = "2 + first.clamp(1, 500) * child_complexity")]
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
        edge_page(ctx, &g, &id, edge_kinds.as_deref(), direction, first, after.as_deref())
    }

    /// Sizes, freshness and health of the graph.
    #[graphql(complexity = "100 + child_complexity")]
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
            exact: g.is_exact(),
            lessons_recorded: g.nodes_of_kind(NodeKind::Lesson).count(),
            lessons_shown: crate::metrics::lessons_shown(),
            repeat_failures: g.edges().filter(|e| e.kind == brain_model::EdgeKind::Repeats).count(),
            repos: repo_statuses(&g, &ctx.data_unchecked::<Ctx>().heads),
        }
    }

    /// Ingested repositories with their indexed commit and staleness.
    #[graphql(complexity = "20 + child_complexity")]
    async fn repos(&self, ctx: &Context<'_>) -> Vec<RepoStatus> {
        repo_statuses(&snapshot(ctx), &ctx.data_unchecked::<Ctx>().heads)
    }

    /// What a change reaches and why: impacted entities by repo and service with
    /// why-chains, owners to review, tests to run, governing decisions, past
    /// failures and lessons, contract boundaries, rollout order, lane, review level.
    /// Select `text` or `details` for the whole answer as one pre-built value.
    #[graphql(complexity = "500 + child_complexity")]
    async fn blast_radius(
        &self,
        ctx: &Context<'_>,
        change: ChangeInput,
        options: Option<ImpactOptionsInput>,
    ) -> async_graphql::Result<BlastRadiusGql> {
        check_time(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        let mut files = Vec::with_capacity(change.files.len());
        for f in change.files {
            let path = repo_path_input(&f.path).map_err(|m| err("BAD_INPUT", format!("files: {m}")))?;
            files.push(q::FileChange {
                repo: f.repo,
                path,
                ranges: f
                    .ranges
                    .into_iter()
                    .map(|r| q::LineRange { start: r.start, end: r.end.max(r.start) })
                    .collect(),
            });
        }
        let mut set = q::ChangeSet {
            ids: change.ids.into_iter().map(|i| NodeId::new(i.0)).collect(),
            files,
            diff: change.diff.map(|d| q::DiffChange { repo: d.repo, text: d.text }),
        };
        if let Some(gr) = change.git_range {
            if set.diff.is_some() {
                return Err(err("BAD_INPUT", "give either a diff or a gitRange, not both"));
            }
            let text = git_diff(c, &gr.repo, &gr.range).map_err(|m| err("BAD_INPUT", m))?;
            set.diff = Some(q::DiffChange { repo: gr.repo, text });
        }
        if set.ids.is_empty() && set.files.is_empty() && set.diff.is_none() {
            return Err(err("BAD_INPUT", "the change is empty: give ids, files, a diff or a gitRange"));
        }
        let o = options.unwrap_or_default();
        let opts = q::ImpactOptions {
            edge_kinds: o.edge_kinds.map(|ks| ks.into_iter().map(brain_model::EdgeKind::from).collect()),
            ..q::ask::impact_options(o.max_depth, o.min_confidence, o.max_results, Some(now_secs()))
        };
        let g = c.brain.snapshot();
        let b = q::blast_radius(&g, &set, &opts, &c.policy);
        // A change naming what the graph does not hold cannot be judged: fail closed.
        if b.lane == q::Lane::Unknown {
            return Err(err("NOT_FOUND", b.lane_reasons.join("; ")));
        }
        crate::metrics::record_lessons_shown(b.lessons.len());
        Ok(BlastRadiusGql::new(g, b))
    }

    /// A context packet for a task: ranked items with a reason each, sections for
    /// code, contracts, owners, decisions, failures, lessons and tests, risk flags,
    /// the lane, and a markdown rendering within `budgetTokens`. `status` is
    /// `NO_MATCH` when the task names nothing that exists.
    #[graphql(complexity = "1000 + child_complexity")]
    async fn context_packet(
        &self,
        ctx: &Context<'_>,
        intent: String,
        scope: Option<ScopeInput>,
        #[graphql(default = 4000)] budget_tokens: usize,
    ) -> async_graphql::Result<ContextPacketGql> {
        check_time(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        if intent.trim().is_empty() {
            return Err(err("BAD_INPUT", "the intent is empty: describe the task"));
        }
        let budget_tokens = budget_tokens.clamp(200, 200_000);
        let mut scope = scope.unwrap_or_default();
        // A scope path is a directory or file prefix; surrounding '/' are tolerated.
        for p in &mut scope.paths {
            *p = repo_path_input(p.trim_matches('/')).map_err(|m| err("BAD_INPUT", format!("scope.paths: {m}")))?;
        }
        let req = q::PacketRequest {
            intent,
            scope: q::Scope {
                repos: scope.repos,
                paths: scope.paths,
                ids: scope.ids.into_iter().map(|i| NodeId::new(i.0)).collect(),
            },
            budget_tokens,
            now: Some(now_secs()),
            min_hit_score: 0.0,
        };
        let g = c.brain.snapshot();
        let names = c.names.get(&g);
        let p = c.brain.context_packet(&g, names.as_deref(), &req);
        crate::metrics::record_lessons_shown(p.items.iter().filter(|i| i.kind == NodeKind::Lesson).count());
        Ok(ContextPacketGql::new(g, p))
    }

    /// The shortest chain of edges between two entities (either direction), with evidence.
    #[graphql(complexity = "50 + child_complexity")]
    async fn path(
        &self,
        ctx: &Context<'_>,
        from: ID,
        to: ID,
        #[graphql(default = 6)] max_depth: u32,
    ) -> async_graphql::Result<Option<Vec<HopGql>>> {
        check_time(ctx)?;
        let g = snapshot(ctx);
        let (from, to) = (NodeId::new(from.0), NodeId::new(to.0));
        for id in [&from, &to] {
            if !g.contains(id) {
                return Err(err("NOT_FOUND", format!("no entity with id '{id}'")));
            }
        }
        Ok(q::path(&g, &from, &to, max_depth.clamp(1, 12)).map(|hops| hops.iter().map(hop).collect()))
    }

    /// Who owns an entity (through its file and repo), with the rule that decided it.
    #[graphql(complexity = "20 + child_complexity")]
    async fn owners(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Vec<OwnerGql>> {
        let g = snapshot(ctx);
        let id = NodeId::new(id.0);
        if !g.contains(&id) {
            return Err(err("NOT_FOUND", format!("no entity with id '{id}'")));
        }
        Ok(q::owners_of(&g, &id).iter().map(OwnerGql::from).collect())
    }

    /// Owners of paths in a repository by its CODEOWNERS (GitHub or GitLab rules), with
    /// the deciding rule per path and the smallest set of reviewers covering them all.
    /// Paths need not exist yet (a new file in a planned change).
    #[graphql(complexity = "50 + child_complexity")]
    async fn owners_for_paths(
        &self,
        ctx: &Context<'_>,
        repo: String,
        paths: Vec<String>,
    ) -> async_graphql::Result<PathOwnersGql> {
        use brain_ingest_org::codeowners as co;
        check_time(ctx)?;
        let g = snapshot(ctx);
        if g.repo(&repo).is_none() {
            return Err(err("NOT_FOUND", format!("no ingested repository named '{repo}'")));
        }
        // A leading '/' anchors at the repo root, as in CODEOWNERS; `..` and the like are refused.
        let mut checked = Vec::with_capacity(paths.len());
        for path in &paths {
            checked.push(
                repo_path_input(path.trim_start_matches('/')).map_err(|m| err("BAD_INPUT", format!("paths: {m}")))?,
            );
        }
        let doc = g
            .nodes_of_kind(NodeKind::Document)
            .filter(|n| n.prov.repo == repo && co::precedence(&n.prov.path).is_some())
            .min_by_key(|n| (co::precedence(&n.prov.path).unwrap_or(u32::MAX), n.prov.path.to_string()));
        let Some(doc) = doc else {
            return Ok(PathOwnersGql {
                repo,
                codeowners: None,
                paths: paths
                    .into_iter()
                    .map(|path| PathOwnerGql { path, owners: vec![], rule: None, pattern: None, section: None })
                    .collect(),
                reviewers: vec![],
            });
        };
        let flavor = if doc.attr(co::FLAVOR) == Some("gitlab") || co::looks_like_gitlab(&doc.text) {
            co::Flavor::GitLab
        } else {
            co::Flavor::GitHub
        };
        let (rules, _) = co::parse_with(&doc.text, flavor);
        let mut decisions = Vec::new();
        let mut out = Vec::new();
        for (path, p) in paths.into_iter().zip(checked) {
            match rules.owners_of(&p) {
                Some(d) => {
                    out.push(PathOwnerGql {
                        path,
                        owners: d.owners.iter().map(|o| ID(NodeId::owner(o).0.to_string())).collect(),
                        rule: Some(format!("{}:{}", doc.prov.path, d.rule_line)),
                        pattern: Some(d.pattern.clone()),
                        section: d.section.clone(),
                    });
                    decisions.push(d);
                }
                None => out.push(PathOwnerGql { path, owners: vec![], rule: None, pattern: None, section: None }),
            }
        }
        let reviewers =
            co::reviewers_cover(&decisions).into_iter().map(|o| ID(NodeId::owner(&o).0.to_string())).collect();
        Ok(PathOwnersGql { repo, codeowners: Some(doc.prov.path.to_string()), paths: out, reviewers })
    }

    /// Decisions (ADRs) that govern these entities or what contains them.
    #[graphql(complexity = "20 + child_complexity")]
    async fn decisions(&self, ctx: &Context<'_>, about: Vec<ID>) -> Vec<DecisionGql> {
        let g = snapshot(ctx);
        let ids: Vec<NodeId> = about.into_iter().map(|i| NodeId::new(i.0)).collect();
        q::decisions_about(&g, &ids).iter().map(DecisionGql::from).collect()
    }

    /// What went wrong here before: failures that affected these entities.
    #[graphql(complexity = "20 + child_complexity")]
    async fn failures(&self, ctx: &Context<'_>, about: Vec<ID>) -> Vec<FailureGql> {
        let g = snapshot(ctx);
        let ids: Vec<NodeId> = about.into_iter().map(|i| NodeId::new(i.0)).collect();
        q::failures_about(&g, &ids).iter().map(FailureGql::from).collect()
    }

    /// Lessons that apply to these entities (stale ones flagged, retired ones left out).
    #[graphql(complexity = "20 + child_complexity")]
    async fn lessons(&self, ctx: &Context<'_>, about: Vec<ID>) -> Vec<LessonGql> {
        let g = snapshot(ctx);
        let ids: Vec<NodeId> = about.into_iter().map(|i| NodeId::new(i.0)).collect();
        let today = q::common::iso_date(now_secs());
        q::lessons_for(&g, &ids, Some(&today)).iter().map(LessonGql::from).collect()
    }

    /// Producer/consumer contract checks across repositories: casing drift
    /// (`created_at` vs `createdAt`), missing fields, type and optionality drift,
    /// unknown operations/topics/rpcs, spec copy drift; with `against`, the specs'
    /// breaking changes since that git revision and the consumers they break.
    #[graphql(complexity = "2000 + child_complexity")]
    async fn contract_check(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] repos: Vec<String>,
        #[graphql(default)] rules: Vec<String>,
        against: Option<String>,
    ) -> async_graphql::Result<ContractCheckGql> {
        check_time(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        if let Some(rev) = &against {
            check_revision(rev).map_err(|m| err("BAD_INPUT", format!("against: {m}")))?;
        }
        let g = c.brain.snapshot();
        let (spec_diffs, problems) = match &against {
            Some(rev) => super::service::spec_diffs_against(&c.repos, &g, &c.brain, rev, &repos),
            None => (Vec::new(), Vec::new()),
        };
        let opts = brain_check::CheckOptions { rules, repos, min_severity: None, spec_diffs };
        let report = brain_check::check(&g, &opts);
        Ok(ContractCheckGql::new(&report, problems))
    }

    /// Breaking-change diff between two versions of a spec (OpenAPI/Swagger, AsyncAPI,
    /// JSON Schema, protobuf, GraphQL SDL), with upstream rule ids and locations in both.
    #[graphql(complexity = "200 + child_complexity")]
    async fn spec_diff(
        &self,
        ctx: &Context<'_>,
        old: SpecSourceInput,
        new: SpecSourceInput,
    ) -> async_graphql::Result<Vec<SpecChangeGql>> {
        check_time(ctx)?;
        let c = ctx.data_unchecked::<Ctx>();
        let load = |s: &SpecSourceInput| -> async_graphql::Result<String> {
            if let Some(t) = &s.text {
                return Ok(t.clone());
            }
            let repo = s.repo.as_ref().ok_or_else(|| {
                err("BAD_INPUT", format!("{}: give `text`, or `repo` (and optionally `rev`)", s.path))
            })?;
            let path = repo_path_input(&s.path).map_err(|m| err("BAD_INPUT", m))?;
            let root = c
                .repos
                .iter()
                .find(|r| &r.name == repo)
                .map(|r| r.path.clone())
                .or_else(|| c.brain.snapshot().repo(repo).map(|r| std::path::PathBuf::from(&r.root)))
                .ok_or_else(|| err("NOT_FOUND", format!("no ingested repository named '{repo}'")))?;
            match &s.rev {
                Some(rev) => super::service::git_show(&root, rev, &path).map_err(|m| err("BAD_INPUT", m)),
                None => c
                    .brain
                    .content(repo, &path)
                    .map_err(|e| err("STORE_FAILED", e.to_string()))?
                    .ok_or_else(|| err("NOT_FOUND", format!("{repo}:{path} is not an ingested text file"))),
            }
        };
        let (o, n) = (load(&old)?, load(&new)?);
        let changes = super::service::spec_diff(&o, &n, &old.path, &new.path).map_err(|m| err("BAD_INPUT", m))?;
        Ok(changes.iter().map(SpecChangeGql::from).collect())
    }

    /// Feature flags: where each key is defined (flagd, operator FeatureFlag, Flipt,
    /// go-feature-flag files) and evaluated (SDK calls with a fixed key), the keys evaluated but
    /// never defined and defined but never evaluated, and the evaluations whose key is known only
    /// at run time. `key` narrows to one flag; `repo` to flags defined or evaluated in it.
    #[graphql(complexity = "200 + child_complexity")]
    async fn flags(
        &self,
        ctx: &Context<'_>,
        key: Option<String>,
        repo: Option<String>,
    ) -> async_graphql::Result<FlagReportGql> {
        check_time(ctx)?;
        let g = snapshot(ctx);
        if let Some(r) = repo.as_deref().filter(|r| !r.trim().is_empty()) {
            if g.repo(r.trim()).is_none() {
                return Err(err("NOT_FOUND", format!("no ingested repository named '{r}'")));
            }
        }
        let query = q::ask::flag_query(key.as_deref(), repo.as_deref());
        Ok(FlagReportGql::from(&q::flags(&g, &query)))
    }

    /// Container images: the images that include a file (or any file under a directory) of a
    /// repository — through any Dockerfile stage the final image depends on — and the services
    /// built from that directory (compose `build:`), each with its evidence.
    #[graphql(complexity = "200 + child_complexity")]
    async fn images(&self, ctx: &Context<'_>, repo: String, path: String) -> async_graphql::Result<ImagesAnswerGql> {
        check_time(ctx)?;
        let g = snapshot(ctx);
        if g.repo(&repo).is_none() {
            return Err(err("NOT_FOUND", format!("no ingested repository named '{repo}'")));
        }
        let (p, including, services) =
            q::ask::images_for_path(&g, &repo, &path).map_err(|m| err("BAD_INPUT", format!("path: {m}")))?;
        Ok(ImagesAnswerGql::new(&repo, &p, &including, &services))
    }

    /// Ingest and link diagnostics (files that could not be read or parsed, stale rules...).
    #[graphql(complexity = "5 + first.clamp(1, 1000) * child_complexity")]
    async fn diagnostics(
        &self,
        ctx: &Context<'_>,
        repo: Option<String>,
        #[graphql(default = 100)] first: usize,
    ) -> Vec<DiagnosticGql> {
        let g = snapshot(ctx);
        g.diagnostics()
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
