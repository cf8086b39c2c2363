//! The tool bodies: each takes its parameters, reads the current snapshot,
//! calls `brain-query` (or `brain-check`, the store for writes) and renders
//! text. They run on the blocking pool; an `Err` is a tool error message.

use crate::params::*;
use crate::render;
use brain_graph::Graph;
use brain_ingest::Brain;
use brain_model::{NodeId, NodeKind};
use brain_query::common::{iso_date, short};
use brain_query::{
    ChangeSet, ContextPacket, DiffChange, FailureInput, LessonInput, NameIndex, PacketRequest, ReviewPolicy, Scope,
};
use brain_store::SearchQuery;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Default token budget of a context packet.
pub const DEFAULT_BUDGET_TOKENS: usize = 4000;
/// Edges listed each way by `get_entity` and entity resources.
pub const DEFAULT_MAX_EDGES: usize = 25;
/// Author recorded on lessons and failures written without one.
const DEFAULT_AUTHOR: &str = "mcp";

/// A tool's answer: text for the agent, or a message saying what went wrong.
pub(crate) type ToolAnswer = Result<String, String>;

/// What every tool works on; shared by all clones of a server.
pub(crate) struct Inner {
    pub(crate) brain: Arc<Brain>,
    pub(crate) policy: ReviewPolicy,
    pub(crate) allow_writes: bool,
    /// Name index of the last snapshot a packet was built on.
    pub(crate) names: Mutex<Option<Arc<NameIndex>>>,
}

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

/// The context packet exactly as the `context_packet` tool builds it, before
/// rendering: the packet of [`Brain::context_packet`] within the
/// scope, the budget clamped and less the rendering reserve, span text from
/// the store. Returns the packet and the budget its rendering gets. Shared
/// with the retrieval harness (`retrieval_eval`), so that what it measures is
/// what an agent is given.
pub fn tool_packet(
    brain: &Brain,
    g: &Graph,
    names: &NameIndex,
    p: ContextPacketParams,
) -> Result<(ContextPacket, usize), String> {
    let intent = p.intent.trim().to_string();
    if intent.is_empty() {
        return Err("intent is empty: describe the task in a sentence".into());
    }
    let repos = clean(p.repos);
    for r in &repos {
        known_repo(g, r)?;
    }
    let ids = existing_ids(g, &clean(p.ids), "ids")?;
    let scope = Scope { repos, paths: clean(p.paths), ids };
    let budget = p.budget_tokens.unwrap_or(DEFAULT_BUDGET_TOKENS).clamp(200, 32_000);
    let req = PacketRequest {
        intent,
        scope,
        budget_tokens: budget - render::packet_reserve(budget),
        now: Some(now_secs()),
        ..Default::default()
    };
    Ok((brain.context_packet(g, Some(names), &req), budget))
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

    pub(crate) fn context_packet(&self, p: ContextPacketParams) -> ToolAnswer {
        let g = self.brain.snapshot();
        let names = self.name_index(&g);
        let (packet, budget) = tool_packet(&self.brain, &g, &names, p)?;
        Ok(render::packet(&packet, budget))
    }

    pub(crate) fn blast_radius(&self, p: BlastRadiusParams) -> ToolAnswer {
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
                change.files.push(brain_query::ask::file_change(&repo, spec).map_err(|e| format!("paths: {e}"))?);
            }
            if let Some(text) = diff {
                change.diff = Some(DiffChange { repo, text });
            }
        }
        let opts = brain_query::ask::impact_options(p.max_depth, p.min_confidence, None, Some(now_secs()));
        let b = brain_query::blast_radius(&g, &change, &opts, &self.policy);
        // A change naming what the graph does not hold cannot be judged: an error, not a lane.
        if b.lane == brain_query::Lane::Unknown {
            return Err(b.lane_reasons.join("; "));
        }
        Ok(render::blast_radius(&b))
    }

    pub(crate) fn contract_check(&self, p: ContractCheckParams) -> ToolAnswer {
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
            return Ok(format!("No contract findings.\n{}", brain_check::coverage_text(&report.coverage)));
        }
        Ok(brain_check::to_text(&report))
    }

    pub(crate) fn search(&self, p: SearchParams) -> ToolAnswer {
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

    pub(crate) fn get_entity(&self, p: GetEntityParams) -> ToolAnswer {
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

    pub(crate) fn owners(&self, p: OwnersParams) -> ToolAnswer {
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
            for path in &paths {
                let path = brain_query::ask::changed_path(path).map_err(|e| format!("paths: {e}"))?;
                ids.push(NodeId::file(&repo, &path));
            }
        } else if let Some(repo) = p.repo.filter(|r| !r.trim().is_empty()) {
            known_repo(&g, repo.trim())?;
            ids.push(NodeId::repo(repo.trim()));
        }
        if ids.is_empty() {
            return Err("give `id`, or `repo` (with optional `paths`)".into());
        }
        Ok(render::owners(&g, &ids))
    }

    pub(crate) fn flags(&self, p: FlagsParams) -> ToolAnswer {
        let g = self.brain.snapshot();
        if let Some(r) = p.repo.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            known_repo(&g, r)?;
        }
        let q = brain_query::ask::flag_query(p.key.as_deref(), p.repo.as_deref());
        Ok(brain_query::render_flags(&brain_query::flags(&g, &q)))
    }

    pub(crate) fn images(&self, p: ImagesParams) -> ToolAnswer {
        let g = self.brain.snapshot();
        let repo = p.repo.trim();
        known_repo(&g, repo)?;
        let (path, including, services) =
            brain_query::ask::images_for_path(&g, repo, &p.path).map_err(|e| format!("path: {e}"))?;
        Ok(brain_query::render_images(&including, &services, repo, &path))
    }

    pub(crate) fn record_failure(&self, p: RecordFailureParams) -> ToolAnswer {
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
        // Unique per call: the same failure recorded twice is two records (the second a repeat).
        let id = brain_query::written_record_id("failure:api", None, &[&title, &text], &brain_ingest::write_nonce());
        let mut input = FailureInput {
            id: Some(id),
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

    pub(crate) fn record_lesson(&self, p: RecordLessonParams) -> ToolAnswer {
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
        let id = brain_query::written_record_id("lesson", None, &[&text], &brain_ingest::write_nonce());
        let input = LessonInput {
            id: Some(id),
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
