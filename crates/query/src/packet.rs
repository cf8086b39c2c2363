//! Context packets: what an agent needs to know for a task, ranked, with a
//! reason per item, cut to a token budget.
//!
//! Pipeline of [`context_packet`]:
//! 1. **Seeds**: the search hits the caller passes (normalised by the best
//!    score, damped when the hit shares no word with the intent, nearly
//!    dropped when it shares only stopwords, a file matched on its content
//!    in between), entities the intent names exactly (ids, paths, identifiers
//!    such as `createdAt` or `OrderService::create`, and 2–3 word phrases such
//!    as "created at", all compared by [`brain_model::text::canonical_name`]),
//!    plain words of the intent that are exactly an entity's name (weaker),
//!    and the request scope. A name matching many entities weighs less on
//!    each (`specificity`); seeds whose path or qualified name carry more of
//!    the intent's words weigh more and are preferred when a name matches
//!    more than `MAX_PER_NAME` entities (`support_boost`). Measured on
//!    real commit histories by `crates/cli/examples/retrieval_eval.rs`.
//! 2. **Expansion**: a bounded undirected neighbourhood of the seeds (at most
//!    [`MAX_LOCAL`] nodes, two hops, hubs such as repos and owners not expanded),
//!    ranked by personalised PageRank with per-edge-kind weights
//!    ([`edge_weight`]) times edge confidence.
//! 3. **Sections**: code, contracts, tests, owners, decisions, failures,
//!    lessons (the most relevant, at most five and an eighth of the budget, on
//!    the packet's files, the entities declared in them and its items), agent
//!    instructions (Document nodes whose `applies_to` directory contains an
//!    included file), risk flags and the lane.
//! 4. **Markdown**: greedy by score, section headers accounted, never above
//!    `budget_tokens` by [`brain_model::text::estimate_tokens`].
//!
//! The [`PacketStatus`] tells an orchestrator whether to go on (`Ok`), look
//! twice (`Weak`: only loose matches) or stop with NO_OP/ESCALATE (`NoMatch`:
//! nothing the intent names exists and no relevant search hit). Everything
//! is deterministic: ties are broken by id.

use crate::about::{decisions_about, failures_about, lessons_for, owners_of};
use crate::common::IdxMap;
use crate::common::{is_contract_kind, iso_date, keys, short, EntityRef, Evidence, Hop};
use crate::files::{rank_files, FileSearchHit, PacketFile, PastChange, FUSION};
use crate::impact::Lane;
use brain_graph::Graph;
use brain_model::text::{canonical_name, estimate_tokens, split_words};
use brain_model::{attr, EdgeKind, Node, NodeId, NodeKind};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// Most nodes in the local neighbourhood ranked for one packet.
pub const MAX_LOCAL: usize = 4000;
/// Most neighbours followed from one node while building the neighbourhood.
const MAX_FANOUT: usize = 64;
/// Most items considered for the packet before the budget cut.
const MAX_ITEMS: usize = 80;
/// Most entities one name of the intent may match (a common name is not a pointer).
const MAX_PER_NAME: usize = 25;
/// Most entities collected per name before choosing the [`MAX_PER_NAME`] best.
const MAX_NAME_CANDIDATES: usize = 1000;
/// Most lines of span text asked from a [`SpanSource`] per item.
const MAX_SNIPPET_LINES: u32 = 40;
/// Repos not ingested for this long (seconds) are flagged stale.
pub const STALE_REPO_SECS: u64 = 14 * 86_400;

/// A full-text search hit, as the caller's index returned it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub id: NodeId,
    pub score: f32,
}

/// Where the task is allowed to work.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    #[serde(default)]
    pub repos: Vec<String>,
    /// Path prefixes inside the scope repos (or any repo when `repos` is empty).
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub ids: Vec<NodeId>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.repos.is_empty() && self.paths.is_empty() && self.ids.is_empty()
    }
    /// Whether `node` is inside the scope (an empty scope contains everything).
    pub fn contains(&self, node: &Node) -> bool {
        if self.is_empty() || self.ids.contains(&node.id) {
            return true;
        }
        let repo_ok = self.repos.is_empty() || self.repos.iter().any(|r| *r == node.prov.repo);
        let path_ok = self.paths.is_empty()
            || self.paths.iter().any(|p| {
                let p = p.trim_matches('/');
                p.is_empty() || node.prov.path == p || node.prov.path.starts_with(&format!("{p}/"))
            });
        (!self.repos.is_empty() || !self.paths.is_empty()) && repo_ok && path_ok
    }
}

/// What the caller asks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PacketRequest {
    pub intent: String,
    #[serde(default)]
    pub scope: Scope,
    pub budget_tokens: usize,
    /// Unix seconds, for stale repos and lesson validity; `None` skips those checks.
    #[serde(default)]
    pub now: Option<u64>,
    /// Search hits scoring below this are ignored (default 0).
    #[serde(default)]
    pub min_hit_score: f32,
}

/// Supplies source text for spans, so code items can show the lines they
/// point at. The store implements it; tests use a map.
pub trait SpanSource {
    /// Lines `start..=end` (1-based) of `path` in `repo`, or `None`.
    fn lines(&self, repo: &str, path: &str, start: u32, end: u32) -> Option<String>;
}

/// Whether the packet is worth acting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PacketStatus {
    /// The intent names entities that exist (ids, paths, identifiers, 2–3 word
    /// phrases), or a search hit's multi-word name is wholly in the intent.
    Ok,
    /// Only loose matches: partial word overlap, one plain word equal to a name.
    Weak,
    /// Nothing the intent names exists: stop with NO_OP or ESCALATE.
    NoMatch,
}

/// Packet sections, in rendering order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Lessons,
    Code,
    Contracts,
    Tests,
    Decisions,
    Failures,
    Owners,
    Instructions,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Lessons => "Lessons",
            Section::Code => "Code",
            Section::Contracts => "Contracts",
            Section::Tests => "Tests to run",
            Section::Decisions => "Decisions",
            Section::Failures => "Past failures",
            Section::Owners => "Owners",
            Section::Instructions => "Agent instructions",
        }
    }
}

/// One item of a packet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PacketItem {
    pub id: NodeId,
    pub kind: NodeKind,
    pub section: Section,
    pub title: String,
    /// `repo:path:lines`.
    pub location: String,
    pub signature: Option<String>,
    pub doc: Option<String>,
    /// Span text from the [`SpanSource`], when one was given.
    pub snippet: Option<String>,
    /// Why it is here, for people: "named in the intent", "calls create_refund".
    pub why: String,
    /// The chain from the nearest seed to this item.
    pub why_path: Vec<Hop>,
    pub evidence: Evidence,
    pub score: f32,
}

/// A risk worth telling the agent up front.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskFlag {
    /// `cross_repo`, `contract`, `incident`, `stale_repo`, `stale_lesson`.
    pub kind: String,
    pub message: String,
    pub ids: Vec<NodeId>,
}

/// The answer of [`context_packet`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContextPacket {
    pub intent: String,
    pub scope: Scope,
    pub status: PacketStatus,
    pub status_reason: String,
    /// Entities the intent or scope names that exist.
    pub named: Vec<NodeId>,
    /// The files the task most likely touches, best first, fused from the
    /// text, the graph and history ([`crate::files`]); those in the markdown.
    pub files: Vec<PacketFile>,
    /// The items in the markdown, by section then score.
    pub items: Vec<PacketItem>,
    /// What ranked but did not fit the budget, best first.
    pub cut: Vec<CutEntry>,
    pub risks: Vec<RiskFlag>,
    pub lane: Lane,
    pub lane_reasons: Vec<String>,
    /// High-ranked neighbours outside the scope (near, but not the task).
    pub non_goals: Vec<EntityRef>,
    /// CI jobs of the repos involved.
    pub ci_jobs: Vec<EntityRef>,
    pub repos: Vec<String>,
    pub markdown: String,
    /// `estimate_tokens(markdown)`; never above `budget_tokens`.
    pub tokens: usize,
    pub budget_tokens: usize,
    /// Items and files that did not fit the budget (`cut.len()`).
    pub omitted: usize,
}

/// An item or file left out of a packet by the budget.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CutEntry {
    /// `file` or the item's node kind.
    pub kind: String,
    /// The item's id, or `repo:path` of a file.
    pub id: String,
    pub title: String,
    pub score: f32,
}

/// Relative weight of an edge kind for ranking (before edge confidence).
pub fn edge_weight(kind: EdgeKind) -> f32 {
    use EdgeKind::*;
    match kind {
        Calls | ReadsField | WritesField | Consumes | Exposes | Publishes | Subscribes => 1.0,
        AppliesTo | Implements | UsesType | HasField | Tests | Evaluates => 0.8,
        Governs | Affected => 0.7,
        LearnedFrom | Imports | CopyOf | Repeats => 0.5,
        Contains | DependsOn => 0.4,
        Supersedes | Amends | BuiltFrom | Runs | Includes => 0.3,
        Owns | Mentions => 0.2,
        Touched => 0.1,
        ChangedWith => 0.3,
    }
}

const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "is", "are", "be", "it", "by", "with", "from",
    "as", "this", "that", "not", "no", "fix", "add", "make", "update", "change", "use", "when", "should", "so", "we",
    "our", "its", "into", "all", "new", "can", "do", "does", "how", "why", "what", "which", "get", "set", "bug",
    "issue", "please", "support", "handle", "code", "test", "tests",
];

fn is_stop(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// Why a seed is a seed, and how strong.
#[derive(Clone, Debug)]
struct SeedInfo {
    weight: f32,
    why: String,
    exact: bool,
}

/// Optional helpers for [`context_packet_with`].
#[derive(Clone, Copy, Default)]
pub struct PacketSources<'a> {
    /// Source text for code spans.
    pub spans: Option<&'a dyn SpanSource>,
    /// A name index of this snapshot (faster named-entity matching).
    pub names: Option<&'a NameIndex>,
    /// Files the caller's lexical retriever ranked for the intent.
    pub files: &'a [FileSearchHit],
    /// Past changes whose messages resemble the intent.
    pub past: &'a [PastChange],
}

/// Builds a packet without span text and without a name index. See the module docs.
pub fn context_packet(graph: &Graph, seeds: &[SearchHit], req: &PacketRequest) -> ContextPacket {
    context_packet_with(graph, seeds, req, PacketSources::default())
}

/// Builds a packet; code items get span text from `sources.spans` when given.
pub fn context_packet_with(
    graph: &Graph,
    hits: &[SearchHit],
    req: &PacketRequest,
    sources: PacketSources<'_>,
) -> ContextPacket {
    let spans = sources.spans;
    let intent_words: BTreeSet<String> = split_words(&req.intent).into_iter().filter(|w| !is_stop(w)).collect();
    let mut seeds: BTreeMap<NodeIndex, SeedInfo> = BTreeMap::new();
    let put = |seeds: &mut BTreeMap<NodeIndex, SeedInfo>, i: NodeIndex, s: SeedInfo| match seeds.get_mut(&i) {
        Some(old) if old.weight >= s.weight => old.exact |= s.exact,
        _ => {
            seeds.insert(i, s);
        }
    };

    // Named entities and scope.
    let named_matches = match_named(graph, &req.intent, &req.scope, sources.names);
    let mut loose_names = 0usize;
    for (i, (weight, why, exact)) in &named_matches {
        if !exact {
            loose_names += 1;
        }
        put(&mut seeds, *i, SeedInfo { weight: *weight, why: why.clone(), exact: *exact });
    }
    for id in &req.scope.ids {
        if let Some(i) = graph.index_of(id) {
            put(&mut seeds, i, SeedInfo { weight: 1.0, why: "in the task scope".into(), exact: true });
        }
    }

    // Search hits.
    let max_score = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
    let context = content_words(&req.intent);
    let all_words: BTreeSet<String> = split_words(&req.intent).into_iter().collect();
    let mut strong_hits = 0usize;
    let mut partial_hits = 0usize;
    for h in hits {
        if h.score < req.min_hit_score || !h.score.is_finite() {
            continue;
        }
        let Some(i) = graph.index_of(&h.id) else { continue };
        let n = graph.node_at(i);
        let name_words: BTreeSet<String> = split_words(&n.name).into_iter().filter(|w| !is_stop(w)).collect();
        let overlap = name_words.iter().filter(|w| intent_words.contains(*w)).count();
        let norm = if max_score > 0.0 { h.score / max_score } else { 0.0 };
        let (rel, why) = // A multi-word name fully present in the intent is a strong match; a
        // one-word name is as loose as a plain word of the intent.
        if name_words.len() >= 2 && overlap == name_words.len() {
            strong_hits += 1;
            (1.0, format!("matches {} in name", quote_words(&name_words, &intent_words)))
        } else if overlap > 0 {
            partial_hits += 1;
            (0.6, format!("matches {} in name", quote_words(&name_words, &intent_words)))
        } else {
            // Matched in text or path only: keep, but weakly.
            let text_overlap = split_words(&n.text).iter().any(|w| intent_words.contains(w));
            if text_overlap {
                partial_hits += 1;
            }
            (text_hit_relevance(n, &all_words), "search hit in text".to_string())
        };
        let boost = support_boost(lexical_support(n, &context));
        put(&mut seeds, i, SeedInfo { weight: 0.8 * norm.max(0.05) * rel * boost, why, exact: false });
    }

    let exact: Vec<NodeId> =
        seeds.iter().filter(|(_, s)| s.exact).map(|(i, _)| graph.node_at(*i).id.clone()).collect::<Vec<_>>();
    let (status, status_reason) = if !exact.is_empty() {
        let names: Vec<String> =
            exact.iter().take(5).map(|i| format!("`{}`", graph.node(i).map_or("", |n| &n.name))).collect();
        (
            PacketStatus::Ok,
            format!(
                "the task names {} existing entit{}: {}",
                exact.len(),
                if exact.len() == 1 { "y" } else { "ies" },
                names.join(", ")
            ),
        )
    } else if strong_hits > 0 {
        (PacketStatus::Ok, format!("{strong_hits} search hit(s) match the intent by name"))
    } else if partial_hits > 0 || loose_names > 0 {
        (
            PacketStatus::Weak,
            format!(
                "only loose matches: {partial_hits} partial search hit(s), {loose_names} plain-word name match(es)"
            ),
        )
    } else if !sources.files.is_empty() {
        (
            PacketStatus::Weak,
            format!("only loose matches: {} file(s) whose text shares words with the intent", sources.files.len()),
        )
    } else if hits.is_empty() {
        (PacketStatus::NoMatch, "nothing the intent names exists, and search found nothing".into())
    } else {
        (PacketStatus::NoMatch, "nothing the intent names exists; search hits share no word with the intent".into())
    };
    if status == PacketStatus::NoMatch {
        seeds.clear();
    }

    // Expansion and ranking.
    let local = neighbourhood(graph, &seeds);
    let scores = personalised_pagerank(graph, &local, &seeds);
    let mut ranked: Vec<(NodeIndex, f32)> = Vec::with_capacity(local.order.len());
    for (k, &i) in local.order.iter().enumerate() {
        let n = graph.node_at(i);
        if matches!(n.kind, NodeKind::Repo | NodeKind::Owner | NodeKind::Run) {
            continue;
        }
        let mut s = scores[k];
        if !req.scope.is_empty() {
            s *= if req.scope.contains(n) { 1.5 } else { 0.6 };
        }
        ranked.push((i, s));
    }
    ranked.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| graph.node_at(a.0).id.cmp(&graph.node_at(b.0).id))
    });

    // Non-goals: well-ranked neighbours outside a non-empty scope.
    let mut non_goals = Vec::new();
    if !req.scope.is_empty() {
        for (i, _) in ranked.iter().take(40) {
            let n = graph.node_at(*i);
            let near_kind = matches!(
                n.kind,
                NodeKind::Symbol | NodeKind::File | NodeKind::Operation | NodeKind::Service | NodeKind::DataType
            );
            if near_kind && !req.scope.contains(n) && !seeds.get(i).is_some_and(|s| s.exact) && non_goals.len() < 5 {
                non_goals.push(EntityRef::of(n));
            }
        }
    }

    // Items from the ranking.
    let mut items: Vec<PacketItem> = Vec::new();
    let mut included: BTreeSet<NodeId> = BTreeSet::new();
    let top_score = ranked.first().map(|r| r.1).unwrap_or(1.0).max(f32::MIN_POSITIVE);
    let seed_paths: BTreeSet<(String, String)> = ranked
        .iter()
        .take(MAX_ITEMS * 2)
        .filter(|(i, _)| graph.node_at(*i).kind == NodeKind::Symbol)
        .map(|(i, _)| (graph.node_at(*i).prov.repo.to_string(), graph.node_at(*i).prov.path.to_string()))
        .collect();
    for &(i, s) in &ranked {
        if items.len() >= MAX_ITEMS {
            break;
        }
        let n = graph.node_at(i);
        let section = match n.kind {
            NodeKind::Symbol | NodeKind::File | NodeKind::Package | NodeKind::Service => Section::Code,
            k if is_contract_kind(k) => Section::Contracts,
            NodeKind::Test => Section::Tests,
            NodeKind::Decision => Section::Decisions,
            NodeKind::Failure => Section::Failures,
            NodeKind::Document => Section::Instructions,
            _ => continue, // lessons are added below from what is included
        };
        // A file adds nothing when symbols of it are already in: drop unless named.
        let is_exact = seeds.get(&i).is_some_and(|x| x.exact);
        if n.kind == NodeKind::File
            && !is_exact
            && seed_paths.contains(&(n.prov.repo.to_string(), n.prov.path.to_string()))
        {
            continue;
        }
        let (why, why_path) = explain(graph, &local, &seeds, i);
        items.push(make_item(graph, n, section, why, why_path, s / top_score, spans));
        included.insert(n.id.clone());
    }
    let incl_ids: Vec<NodeId> = included.iter().cloned().collect();
    let core_ids: Vec<NodeId> = items
        .iter()
        .filter(|i| matches!(i.section, Section::Code | Section::Contracts))
        .take(12)
        .map(|i| i.id.clone())
        .collect();
    let score_of: HashMap<NodeId, f32> = items.iter().map(|i| (i.id.clone(), i.score)).collect();
    let best = |ids: &[NodeId]| ids.iter().filter_map(|i| score_of.get(i)).fold(0.0f32, |a, b| a.max(*b));

    let today = req.now.map(iso_date);
    // Decisions and failures about included entities.
    for d in decisions_about(graph, &core_ids) {
        if included.insert(d.id.clone()) {
            if let Some(n) = graph.node(&d.id) {
                let why = format!(
                    "governs {} ({})",
                    d.entities.iter().take(3).map(|e| name_of(graph, e)).collect::<Vec<_>>().join(", "),
                    d.status
                );
                items.push(make_item(graph, n, Section::Decisions, why, Vec::new(), 0.9 * best(&d.entities), None));
            }
        }
    }
    for f in failures_about(graph, &core_ids) {
        if included.insert(f.id.clone()) {
            if let Some(n) = graph.node(&f.id) {
                let why = format!(
                    "affected {}",
                    f.entities.iter().take(3).map(|e| name_of(graph, e)).collect::<Vec<_>>().join(", ")
                );
                items.push(make_item(graph, n, Section::Failures, why, Vec::new(), 0.9 * best(&f.entities), None));
            }
        }
    }
    // Tests that test or call included code.
    for id in &core_ids {
        for e in graph.incoming(id) {
            if e.other.kind == NodeKind::Test
                && matches!(e.edge.kind, EdgeKind::Tests | EdgeKind::Calls)
                && included.insert(e.other.id.clone())
            {
                let why = format!("{} {}", e.edge.kind, name_of(graph, id));
                items.push(make_item(
                    graph,
                    e.other,
                    Section::Tests,
                    why,
                    Vec::new(),
                    0.8 * best(std::slice::from_ref(id)),
                    None,
                ));
            }
        }
    }
    // Owners of the core entities.
    let mut owners: BTreeMap<NodeId, (f32, Vec<NodeId>, Option<String>)> = BTreeMap::new();
    for id in &core_ids {
        for o in owners_of(graph, id) {
            let e = owners.entry(o.owner.clone()).or_insert((0.0, Vec::new(), o.rule.clone()));
            e.0 = e.0.max(best(std::slice::from_ref(id)));
            e.1.push(id.clone());
        }
    }
    for (oid, (s, ents, rule)) in owners {
        if let Some(n) = graph.node(&oid) {
            let mut why =
                format!("owns {}", ents.iter().take(3).map(|e| name_of(graph, e)).collect::<Vec<_>>().join(", "));
            if let Some(r) = rule {
                why.push_str(&format!(" (rule {r})"));
            }
            items.push(make_item(graph, n, Section::Owners, why, Vec::new(), 0.7 * s, None));
        }
    }
    // Agent instructions for included files.
    let files: BTreeSet<(String, String)> = items
        .iter()
        .filter(|i| matches!(i.section, Section::Code | Section::Contracts | Section::Tests))
        .map(|i| (i.evidence.repo.clone(), i.evidence.path.clone()))
        .collect();
    for (doc, dir) in governing_documents(graph, &files) {
        if !included.insert(doc.id.clone()) {
            continue;
        }
        let why = format!(
            "instructions for {}",
            if dir.is_empty() {
                "the whole repo".to_string()
            } else if dir.contains(['*', '?', '[', '{']) {
                dir.clone()
            } else {
                format!("{dir}/")
            }
        );
        let mut it = make_item(graph, doc, Section::Instructions, why, Vec::new(), 0.85, None);
        it.doc = Some(short_text(&doc.text, 600));
        items.push(it);
    }
    // Files, then lessons: the lessons on what the task most likely touches.
    let files = rank_files(graph, sources.names, &items, sources.files, sources.past, FUSION);
    let lessons = relevant_lessons(graph, &items, &files, &incl_ids, today.as_deref());
    // Lessons render before every other item: they may take a share of the budget, no more.
    let (mut lesson_tokens, lesson_cap) = (0usize, req.budget_tokens / LESSON_BUDGET_SHARE);
    let mut shown_lessons = Vec::new();
    for (l, score) in lessons {
        let Some(n) = graph.node(&l.id) else { continue };
        let why = format!(
            "applies to {}",
            l.entities.iter().take(3).map(|e| name_of(graph, e)).collect::<Vec<_>>().join(", ")
        );
        let mut it = make_item(graph, n, Section::Lessons, why, Vec::new(), 1.0 + score, None);
        it.doc = Some(l.text.clone());
        if l.stale {
            it.title = format!("{} (stale)", it.title);
        }
        let cost = estimate_tokens(&render_item(&it));
        if lesson_tokens + cost > lesson_cap {
            continue;
        }
        lesson_tokens += cost;
        items.push(it);
        shown_lessons.push(l);
    }
    let lessons = shown_lessons;
    items.sort_by(|a, b| {
        a.section
            .cmp(&b.section)
            .then(b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal))
            .then_with(|| a.id.cmp(&b.id))
    });

    // Risks, repos, lane, CI jobs.
    let code_repos: BTreeSet<String> = items
        .iter()
        .filter(|i| matches!(i.section, Section::Code | Section::Contracts))
        .take(20)
        .map(|i| i.evidence.repo.clone())
        .filter(|r| !r.is_empty())
        .collect();
    let mut risks = Vec::new();
    if code_repos.len() > 1 {
        risks.push(RiskFlag {
            kind: "cross_repo".into(),
            message: format!(
                "the task spans {} repos: {}",
                code_repos.len(),
                code_repos.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            ids: Vec::new(),
        });
    }
    let contracts: Vec<NodeId> =
        items.iter().filter(|i| i.section == Section::Contracts).take(5).map(|i| i.id.clone()).collect();
    let consumed: Vec<NodeId> = contracts
        .iter()
        .filter(|c| {
            graph.incoming(c).any(|e| {
                matches!(
                    e.edge.kind,
                    EdgeKind::Consumes | EdgeKind::Subscribes | EdgeKind::ReadsField | EdgeKind::UsesType
                )
            })
        })
        .cloned()
        .collect();
    if !consumed.is_empty() {
        risks.push(RiskFlag {
            kind: "contract".into(),
            message: "contract elements with consumers are involved: run `brain check`".into(),
            ids: consumed.clone(),
        });
    }
    let failures: Vec<NodeId> = items.iter().filter(|i| i.section == Section::Failures).map(|i| i.id.clone()).collect();
    if !failures.is_empty() {
        risks.push(RiskFlag {
            kind: "incident".into(),
            message: format!("{} past failure(s) on these entities", failures.len()),
            ids: failures,
        });
    }
    let stale_lessons: Vec<NodeId> = lessons.iter().filter(|l| l.stale).map(|l| l.id.clone()).collect();
    if !stale_lessons.is_empty() {
        risks.push(RiskFlag {
            kind: "stale_lesson".into(),
            message: "some lessons point at entities that changed or vanished".into(),
            ids: stale_lessons,
        });
    }
    if let Some(now) = req.now {
        for r in &code_repos {
            if let Some(info) = graph.repo(r) {
                if info.ingested_at > 0 && now.saturating_sub(info.ingested_at) > STALE_REPO_SECS {
                    risks.push(RiskFlag {
                        kind: "stale_repo".into(),
                        message: format!("{r} was last ingested {} days ago", (now - info.ingested_at) / 86_400),
                        ids: vec![NodeId::repo(r)],
                    });
                }
            }
        }
    }
    let mut lane_reasons = Vec::new();
    if code_repos.len() > 1 {
        lane_reasons.push("cross-repo".to_string());
    }
    if !consumed.is_empty() {
        lane_reasons.push("contract with consumers".to_string());
    }
    let core_nodes: Vec<&Node> = core_ids.iter().take(6).filter_map(|i| graph.node(i)).collect();
    if core_nodes.iter().any(|n| matches!(n.kind, NodeKind::Service | NodeKind::CiJob) || infra_path(&n.prov.path)) {
        lane_reasons.push("infrastructure".to_string());
    }
    if core_nodes
        .iter()
        .any(|n| matches!(n.kind, NodeKind::DataType | NodeKind::Field) || n.prov.path.contains("migration"))
    {
        lane_reasons.push("data shapes".to_string());
    }
    let lane = if lane_reasons.is_empty() { Lane::Fast } else { Lane::Full };
    if lane_reasons.is_empty() {
        lane_reasons.push("one repo, no contract, infra or data change".into());
    }
    let mut repos: BTreeSet<String> = code_repos.clone();
    repos.extend(req.scope.repos.iter().cloned());
    let ci_jobs: Vec<EntityRef> = {
        let mut v: Vec<EntityRef> = graph
            .nodes_of_kind(NodeKind::CiJob)
            .filter(|n| repos.contains(n.prov.repo.as_str()))
            .map(EntityRef::of)
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v.truncate(20);
        v
    };
    let mut named: Vec<NodeId> = exact;
    named.sort();

    let mut packet = ContextPacket {
        intent: req.intent.clone(),
        scope: req.scope.clone(),
        status,
        status_reason,
        named,
        files,
        items,
        cut: Vec::new(),
        risks,
        lane,
        lane_reasons,
        non_goals,
        ci_jobs,
        repos: repos.into_iter().collect(),
        markdown: String::new(),
        tokens: 0,
        budget_tokens: req.budget_tokens,
        omitted: 0,
    };
    let rendered = render_markdown(&packet, req.budget_tokens);
    packet.tokens = estimate_tokens(&rendered.markdown);
    packet.markdown = rendered.markdown;
    let mut cut: Vec<CutEntry> = Vec::new();
    let (mut kept_files, mut kept_items) = (Vec::new(), Vec::new());
    for (k, f) in std::mem::take(&mut packet.files).into_iter().enumerate() {
        if rendered.files[k] {
            kept_files.push(f);
        } else {
            cut.push(CutEntry {
                kind: "file".into(),
                id: format!("{}:{}", f.repo, f.path),
                title: f.path,
                score: f.score,
            });
        }
    }
    for (k, it) in std::mem::take(&mut packet.items).into_iter().enumerate() {
        if rendered.items[k] {
            kept_items.push(it);
        } else {
            cut.push(CutEntry {
                kind: it.kind.as_str().into(),
                id: it.id.0.to_string(),
                title: it.title,
                score: it.score,
            });
        }
    }
    cut.sort_by(|a, b| {
        b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.id.cmp(&b.id))
    });
    packet.files = kept_files;
    packet.items = kept_items;
    packet.omitted = cut.len();
    packet.cut = cut;
    packet
}

/// Most lessons a packet shows.
const MAX_LESSONS: usize = 5;
/// Lessons below this relevance (0..1) are left out.
const MIN_LESSON_RELEVANCE: f32 = 0.3;
/// Lessons take at most `budget / LESSON_BUDGET_SHARE` tokens (they render
/// before every other item, so without a share a small budget would hold
/// nothing else).
const LESSON_BUDGET_SHARE: usize = 8;

/// The lessons worth showing, best first with their relevance (0..1): a
/// lesson applying to one of the packet's files, or to an entity declared in
/// one (the function a fix changed), counts that file's fused score; one
/// applying to an included item that item's score (the best counts). Lessons
/// on entities the task barely reaches are left out, and at most
/// [`MAX_LESSONS`] are kept: a lesson on every entity nearby is noise.
///
/// Measured by the lesson replay (BENCHMARKS.md): the relevance of a lesson
/// is the chance that the task changes its file, so it is bounded by the file
/// ranking; the words a lesson shares with the intent added nothing there.
fn relevant_lessons(
    graph: &Graph,
    items: &[PacketItem],
    files: &[PacketFile],
    included: &[NodeId],
    today: Option<&str>,
) -> Vec<(crate::about::LessonRef, f32)> {
    let top_item = items.iter().map(|i| i.score).fold(0.0f32, f32::max).max(f32::MIN_POSITIVE);
    let file_score: HashMap<(&str, &str), f32> =
        files.iter().map(|f| ((f.repo.as_str(), f.path.as_str()), f.score)).collect();
    let mut weight: HashMap<NodeId, f32> = HashMap::new();
    for i in items {
        let w = weight.entry(i.id.clone()).or_default();
        *w = w.max(i.score / top_item);
    }
    for f in files {
        let w = weight.entry(NodeId::file(&f.repo, &f.path)).or_default();
        *w = w.max(f.score);
    }
    let mut ids: Vec<NodeId> = included.to_vec();
    ids.extend(files.iter().map(|f| NodeId::file(&f.repo, &f.path)));
    // Lessons on entities inside the packet's files (a function a fix
    // changed), which the files themselves do not reach: the entity weighs
    // what its file does, or more when it is an item itself.
    for l in graph.nodes_of_kind(NodeKind::Lesson) {
        for e in graph.outgoing(&l.id) {
            if e.edge.kind != EdgeKind::AppliesTo {
                continue;
            }
            if let Some(s) = file_score.get(&(e.other.prov.repo.as_str(), e.other.prov.path.as_str())) {
                let w = weight.entry(e.other.id.clone()).or_default();
                *w = w.max(*s);
                ids.push(e.other.id.clone());
            }
        }
    }
    ids.sort();
    ids.dedup();
    let mut found: Vec<(crate::about::LessonRef, f32)> = lessons_for(graph, &ids, today)
        .into_iter()
        .map(|l| {
            let r = l.entities.iter().filter_map(|e| weight.get(e)).fold(0.0f32, |a, b| a.max(*b));
            (l, r)
        })
        .filter(|(_, r)| *r >= MIN_LESSON_RELEVANCE)
        .collect();
    found.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.0.id.cmp(&b.0.id)));
    found.truncate(MAX_LESSONS);
    found
}

/// For each `(repo, path)`, the closest Document governing it: the one whose
/// `applies_to` folder is the longest prefix of the path, or whose
/// `applies_to` globs (comma-separated, cursor-rule style) match it. Returns
/// each chosen document once, with what it applies to.
fn governing_documents<'g>(graph: &'g Graph, files: &BTreeSet<(String, String)>) -> Vec<(&'g Node, String)> {
    use globset::{Glob, GlobSetBuilder};
    let mut docs: Vec<(&Node, String, Option<globset::GlobSet>)> = Vec::new();
    for doc in graph.nodes_of_kind(NodeKind::Document) {
        let Some(raw) = doc.attr(keys::APPLIES_TO) else { continue };
        let raw = raw.trim();
        if raw.contains(['*', '?', '[', '{']) {
            let mut b = GlobSetBuilder::new();
            for g in raw.split(',').map(str::trim).filter(|g| !g.is_empty()) {
                if let Ok(glob) = Glob::new(g.trim_start_matches("./")) {
                    b.add(glob);
                }
            }
            if let Ok(set) = b.build() {
                docs.push((doc, raw.to_string(), Some(set)));
            }
        } else {
            let dir = raw.trim_matches('/').trim_start_matches("./").trim_matches('.').to_string();
            docs.push((doc, dir, None));
        }
    }
    let mut chosen: BTreeMap<NodeId, (&Node, String)> = BTreeMap::new();
    for (repo, path) in files {
        let mut best: Option<(usize, &Node, &String)> = None;
        for (doc, what, globs) in &docs {
            if doc.prov.repo != *repo {
                continue;
            }
            let specificity = match globs {
                Some(set) if set.is_match(path) => what.len() + 1,
                Some(_) => continue,
                None if what.is_empty() => 0,
                None if path == what || path.starts_with(&format!("{what}/")) => what.len() + 1,
                None => continue,
            };
            if best.is_none_or(|(s, d, _)| specificity > s || (specificity == s && doc.id < d.id)) {
                best = Some((specificity, doc, what));
            }
        }
        if let Some((_, doc, what)) = best {
            chosen.entry(doc.id.clone()).or_insert((doc, what.clone()));
        }
    }
    chosen.into_values().collect()
}

fn infra_path(p: &str) -> bool {
    let p = p.to_ascii_lowercase();
    p.contains("docker-compose")
        || p.contains("k8s/")
        || p.contains("helm/")
        || p.starts_with(".github/workflows/")
        || p.ends_with("dockerfile")
}

fn quote_words(name_words: &BTreeSet<String>, intent: &BTreeSet<String>) -> String {
    name_words.iter().filter(|w| intent.contains(*w)).map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", ")
}

fn name_of(graph: &Graph, id: &NodeId) -> String {
    graph.node(id).map(|n| n.name.clone()).unwrap_or_else(|| id.to_string())
}

fn short_text(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.trim().to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

fn make_item(
    graph: &Graph,
    n: &Node,
    section: Section,
    why: String,
    why_path: Vec<Hop>,
    score: f32,
    spans: Option<&dyn SpanSource>,
) -> PacketItem {
    let evidence = Evidence::new(graph, &n.prov);
    let snippet = match (spans, n.prov.span) {
        (Some(src), Some(sp)) if matches!(section, Section::Code | Section::Contracts) && n.kind != NodeKind::File => {
            let end = sp.end_line.min(sp.start_line.saturating_add(MAX_SNIPPET_LINES - 1));
            src.lines(&n.prov.repo, &n.prov.path, sp.start_line, end)
        }
        _ => None,
    };
    let title = match n.kind {
        NodeKind::Failure => n.attr(keys::TITLE).unwrap_or(&n.name).to_string(),
        _ => n.name.clone(),
    };
    let doc = n.attr(attr::DOC).map(|d| short_text(d, 300)).or_else(|| match n.kind {
        NodeKind::Decision | NodeKind::Failure => Some(short_text(&n.text, 300)).filter(|s| !s.is_empty()),
        _ => None,
    });
    PacketItem {
        id: n.id.clone(),
        kind: n.kind,
        section,
        title,
        location: n.prov.location(),
        signature: n.attr(attr::SIGNATURE).map(str::to_string),
        doc,
        snippet,
        why,
        why_path,
        evidence,
        score: (score * 1000.0).round() / 1000.0,
    }
}

// ---------------------------------------------------------------- named entities

/// Squashes a name to lowercase alphanumerics into `buf` (no allocation when `buf` has room).
fn squash_into(s: &str, buf: &mut String) {
    buf.clear();
    for c in s.chars() {
        if c.is_alphanumeric() {
            buf.extend(c.to_lowercase());
        }
    }
}

fn trim_token(t: &str) -> &str {
    let t = t.trim_matches(|c: char| "`'\"“”‘’,;<>!?".contains(c)).trim_end_matches(['.', ':']);
    // Brackets only when unbalanced (`(see foo)` but not `/orders/{id}`).
    let t = if t.starts_with(['(', '[']) && !t.contains([')', ']']) { &t[1..] } else { t };
    if t.ends_with([')', ']']) && !t.contains(['(', '[']) {
        &t[..t.len() - 1]
    } else {
        t
    }
}

fn looks_like_path(t: &str) -> bool {
    t.contains('/') && !t.contains("://")
        || {
            let ext = t.rsplit_once('.');
            matches!(ext, Some((a, e)) if !a.is_empty() && (1..=5).contains(&e.len()) && e.chars().all(|c| c.is_ascii_alphanumeric()) && e.chars().any(|c| c.is_ascii_alphabetic()) && !a.contains(' '))
        }
}

fn looks_like_identifier(t: &str) -> bool {
    let has_lower = t.chars().any(|c| c.is_lowercase());
    let inner_upper = t.chars().skip(1).any(|c| c.is_uppercase());
    t.len() >= 3
        && (t.contains('_')
            || t.contains("::")
            || (has_lower && inner_upper)
            || t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(|c| c.is_alphabetic()))
}

/// Entities the intent or scope names: `(weight, why, exact)` per node.
fn match_named(
    graph: &Graph,
    intent: &str,
    scope: &Scope,
    names: Option<&NameIndex>,
) -> BTreeMap<NodeIndex, (f32, String, bool)> {
    let mut out: BTreeMap<NodeIndex, (f32, String, bool)> = BTreeMap::new();
    // targets: squashed -> (canonical, label, weight, exact)
    let mut targets: HashMap<String, Vec<(String, String, f32, bool)>> = HashMap::new();
    let mut paths: Vec<(String, String)> = Vec::new();
    let mut plain: Vec<String> = Vec::new();
    let mut buf = String::new();
    let raw_tokens: Vec<&str> = intent.split_whitespace().collect();
    let mut skip_until = 0usize;
    for (k, raw) in raw_tokens.iter().enumerate() {
        if k < skip_until {
            continue;
        }
        let t = trim_token(raw);
        if t.is_empty() {
            continue;
        }
        if t.contains(':') {
            // Ids may contain spaces (`op:r:spec.yaml#GET /orders/{id}`): try the longest run first.
            let found = (0..4usize).rev().find_map(|m| {
                let end = k + m + 1;
                if end > raw_tokens.len() {
                    return None;
                }
                let joined = trim_token(&raw_tokens[k..end].join(" ")).to_string();
                graph.index_of(&NodeId::new(joined.as_str())).map(|i| (i, joined, end))
            });
            if let Some((i, joined, end)) = found {
                out.insert(i, (1.0, format!("named in the intent as `{joined}`"), true));
                skip_until = end;
                plain.push(String::new());
                continue;
            }
        }
        // `GET /orders/{id}`: an HTTP operation named by method and path.
        const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        if METHODS.contains(&t) {
            if let Some(next) = raw_tokens.get(k + 1).map(|n| trim_token(n)).filter(|n| n.starts_with('/')) {
                let name = format!("{t} {next}");
                squash_into(&name, &mut buf);
                targets.entry(buf.clone()).or_default().push((canonical_name(&name), format!("`{name}`"), 1.0, true));
                skip_until = k + 2;
                plain.push(String::new());
                continue;
            }
        }
        if looks_like_path(t) && t.contains('/') {
            paths.push((t.trim_start_matches("./").to_string(), t.to_string()));
            plain.push(String::new()); // phrase breaker
            continue;
        }
        let ident = looks_like_identifier(t) || raw.contains('`');
        // Qualified names: match the full name and its last segment.
        let mut forms = vec![t.to_string()];
        for sep in ["::", "."] {
            if let Some((_, last)) = t.rsplit_once(sep) {
                if !last.is_empty() {
                    forms.push(last.to_string());
                }
            }
        }
        if looks_like_path(t) {
            paths.push((t.to_string(), t.to_string()));
        }
        for f in forms {
            squash_into(&f, &mut buf);
            if buf.len() < 3 {
                continue;
            }
            let words = split_words(&f);
            if !ident && (words.len() != 1 || is_stop(&words[0])) {
                continue;
            }
            let (w, exact) = if ident { (1.0, true) } else { (0.5, false) };
            targets.entry(buf.clone()).or_default().push((canonical_name(&f), format!("`{f}`"), w, exact));
        }
        if !ident {
            // Stopwords stay in phrases ("created at"); a phrase needs one content word.
            plain.extend(split_words(t));
        } else {
            plain.push(String::new()); // phrase breaker
        }
    }
    // 2- and 3-word phrases of consecutive plain words ("created at" finds createdAt).
    for n in [2usize, 3] {
        for win in plain.windows(n) {
            if win.iter().any(|w| w.is_empty()) || win.iter().all(|w| is_stop(w)) {
                continue;
            }
            let canon = win.join("_");
            squash_into(&canon, &mut buf);
            targets.entry(buf.clone()).or_default().push((canon, format!("'{}'", win.join(" ")), 0.9, true));
        }
    }
    let scope_paths: Vec<String> =
        scope.paths.iter().map(|p| p.trim_matches('/').to_string()).filter(|p| !p.is_empty()).collect();
    if targets.is_empty() && paths.is_empty() && scope_paths.is_empty() {
        return out;
    }
    let suffixes: Vec<(String, String, &str)> =
        paths.iter().map(|(p, label)| (p.clone(), format!("/{p}"), label.as_str())).collect();
    let scope_prefixes: Vec<(String, String)> = scope_paths.iter().map(|p| (p.clone(), format!("{p}/"))).collect();
    let mut scope_count = 0usize;
    // Cheap prefilters for the scan: squashed length and first byte of the targets.
    let mut len_ok = [false; 128];
    let mut first_ok = [false; 256];
    for k in targets.keys() {
        len_ok[k.len().min(127)] = true;
        first_ok[usize::from(k.as_bytes().first().copied().unwrap_or(0))] = true;
    }
    let mut consider_file = |i: NodeIndex, n: &Node, out: &mut BTreeMap<NodeIndex, (f32, String, bool)>| {
        for (p, suffix, label) in &suffixes {
            if n.prov.path == *p || n.prov.path.ends_with(suffix.as_str()) {
                out.insert(i, (1.0, format!("named in the intent as `{label}`"), true));
            }
        }
        if scope_count < 50
            && !scope_prefixes.is_empty()
            && (scope.repos.is_empty() || scope.repos.iter().any(|r| *r == n.prov.repo))
            && scope_prefixes.iter().any(|(p, pre)| n.prov.path == *p || n.prov.path.starts_with(pre.as_str()))
        {
            scope_count += 1;
            out.entry(i).or_insert((0.6, "in the task scope".into(), false));
        }
    };
    // Every entity each target name matches (up to MAX_NAME_CANDIDATES), chosen below.
    let mut found: BTreeMap<(String, usize), Vec<NodeIndex>> = BTreeMap::new();
    // Returns `true` once every target of `squashed` has its MAX_NAME_CANDIDATES matches.
    let mut consider_name = |i: NodeIndex, n: &Node, squashed: &str| -> bool {
        let Some(ts) = targets.get(squashed) else { return true };
        let canon = canonical_name(&n.name);
        let mut full = true;
        for (ti, (tc, _, _, exact)) in ts.iter().enumerate() {
            let list = found.entry((squashed.to_string(), ti)).or_default();
            let same = *tc == canon || (*exact && canon.replace('_', "") == tc.replace('_', ""));
            if same && list.len() < MAX_NAME_CANDIDATES {
                list.push(i);
            }
            full &= list.len() >= MAX_NAME_CANDIDATES;
        }
        full
    };
    // The index covers the snapshot's frozen base; nodes a patch added or
    // replaced since are scanned (the delta is small), removed ones skipped.
    let indexed = names.filter(|ix| ix.is_for(graph));
    let scan: Box<dyn Iterator<Item = (NodeIndex, &Node)>> = match indexed {
        Some(_) => Box::new(graph.delta_nodes()),
        None => Box::new(graph.node_indices()),
    };
    if let Some(ix) = indexed {
        let mut keys: Vec<&String> = targets.keys().collect();
        keys.sort();
        for k in keys {
            for &i in ix.by_squash.get(k.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                if graph.changed_in_delta(i) {
                    continue;
                }
                if consider_name(i, graph.node_at(i), k) {
                    break;
                }
            }
        }
        if !suffixes.is_empty() || !scope_prefixes.is_empty() {
            for &i in &ix.files {
                if !graph.changed_in_delta(i) {
                    consider_file(i, graph.node_at(i), &mut out);
                }
            }
        }
    }
    for (i, n) in scan {
        if n.kind == NodeKind::File {
            consider_file(i, n, &mut out);
            continue;
        }
        if targets.is_empty() || !named_kind(n.kind) {
            continue;
        }
        if !prefilter(&n.name, &len_ok, &first_ok) {
            continue;
        }
        squash_into(&n.name, &mut buf);
        if len_ok[buf.len().min(127)] {
            let _saturated = consider_name(i, n, &buf);
        }
    }
    let context = content_words(intent);
    for ((squashed, ti), nodes) in found {
        let Some((_, label, w, exact)) = targets.get(&squashed).and_then(|ts| ts.get(ti)) else { continue };
        let why = if *exact { format!("named in the intent as {label}") } else { format!("matches {label} in name") };
        for (i, weight) in pick_named(graph, &nodes, *w, &context) {
            merge_named(&mut out, i, (weight, why.clone(), *exact));
        }
    }
    out
}

/// The matches of one name worth seeding, with their weights: a name that
/// matches many entities is a weak pointer to each ([`specificity`]), and
/// among them those whose path or qualified name also carry other words of
/// the intent come first ([`support_boost`]); at most [`MAX_PER_NAME`].
fn pick_named(graph: &Graph, nodes: &[NodeIndex], weight: f32, context: &BTreeSet<String>) -> Vec<(NodeIndex, f32)> {
    let spec = specificity(nodes.len());
    let mut scored: Vec<(NodeIndex, usize)> =
        nodes.iter().map(|&i| (i, lexical_support(graph.node_at(i), context))).collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| graph.node_at(a.0).id.cmp(&graph.node_at(b.0).id)));
    scored.into_iter().take(MAX_PER_NAME).map(|(i, s)| (i, weight * spec * support_boost(s))).collect()
}

/// Keeps the stronger of two reasons a node is named; exactness is kept once found.
fn merge_named(out: &mut BTreeMap<NodeIndex, (f32, String, bool)>, i: NodeIndex, new: (f32, String, bool)) {
    match out.get_mut(&i) {
        Some(old) => {
            let exact = old.2 || new.2;
            if new.0 > old.0 || (new.2 && !old.2) {
                *old = (old.0.max(new.0), new.1, exact);
            } else {
                old.2 = exact;
            }
        }
        None => {
            out.insert(i, new);
        }
    }
}

/// Relevance of a search hit whose name shares no content word with the
/// intent. A file matched on its content is real evidence (its body is the
/// file); a name that shares only stopwords with the intent (`to_bytes` for
/// "... to ...") owes its score to the stopword and is nearly noise.
fn text_hit_relevance(n: &Node, intent_words: &BTreeSet<String>) -> f32 {
    if n.kind == NodeKind::File {
        0.5
    } else if split_words(&n.name).iter().any(|w| is_stop(w) && intent_words.contains(w)) {
        0.05
    } else {
        0.25
    }
}

/// Words of the intent that can point somewhere: not stopwords, three letters or more.
fn content_words(intent: &str) -> BTreeSet<String> {
    split_words(intent).into_iter().filter(|w| w.len() >= 3 && !is_stop(w)).collect()
}

/// How many content words of the intent occur in the node's path, name or qualified name.
fn lexical_support(n: &Node, context: &BTreeSet<String>) -> usize {
    let mut words: BTreeSet<String> = split_words(&n.prov.path).into_iter().collect();
    words.extend(split_words(&n.name));
    if let Some(q) = n.attr(attr::QUALIFIED_NAME) {
        words.extend(split_words(q));
    }
    words.iter().filter(|w| context.contains(*w)).count()
}

/// Seed weight multiplier for lexical support: 1 without, up to 3.
fn support_boost(support: usize) -> f32 {
    1.0 + 0.5 * support.min(4) as f32
}

/// What one match of a name is worth when the name matches `count` entities
/// (1 for a unique name, about 0.24 for 25).
fn specificity(count: usize) -> f32 {
    1.0 / (1.0 + (count.max(1) as f32).ln())
}

/// Whether `name` could squash to a target: its first alphanumeric byte and
/// its alphanumeric length must both occur among the targets. ASCII fast
/// path; names with non-ASCII characters always pass.
fn prefilter(name: &str, len_ok: &[bool; 128], first_ok: &[bool; 256]) -> bool {
    if !name.is_ascii() {
        return true;
    }
    let mut len = 0usize;
    let mut first = None;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if first.is_none() {
                first = Some(b.to_ascii_lowercase());
            }
            len += 1;
        }
    }
    first.is_some_and(|f| first_ok[usize::from(f)]) && len_ok[len.min(127)]
}

/// Kinds whose names the intent can name.
fn named_kind(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Symbol
            | NodeKind::Field
            | NodeKind::DataType
            | NodeKind::Operation
            | NodeKind::Topic
            | NodeKind::Service
            | NodeKind::Package
            | NodeKind::Test
            | NodeKind::Spec
            | NodeKind::CiJob
            | NodeKind::Flag
    )
}

/// Entity names by squashed form (lowercase alphanumerics), built once per
/// snapshot so that packets need not scan every node to find what the intent
/// names. Without one, [`context_packet`] scans the graph (tens of ms at 1M nodes).
/// An index built from another snapshot is detected and ignored.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// [`Graph::base_id`] of the snapshot it indexes (its frozen base only).
    base: u64,
    by_squash: HashMap<String, Vec<NodeIndex>>,
    files: Vec<NodeIndex>,
    /// Files by [`crate::companions::twin_stem`].
    by_twin_stem: HashMap<String, Vec<NodeIndex>>,
}

impl NameIndex {
    pub fn build(graph: &Graph) -> Self {
        let mut by_squash: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        let mut files = Vec::new();
        let mut by_twin_stem: HashMap<String, Vec<NodeIndex>> = HashMap::new();
        let mut buf = String::new();
        for (i, n) in graph.base_nodes() {
            if n.kind == NodeKind::File {
                files.push(i);
                if let Some((stem, _)) = crate::companions::twin_stem(&n.prov.path) {
                    by_twin_stem.entry(stem).or_default().push(i);
                }
            } else if named_kind(n.kind) {
                squash_into(&n.name, &mut buf);
                if buf.len() >= 3 {
                    by_squash.entry(buf.clone()).or_default().push(i);
                }
            }
        }
        NameIndex { base: graph.base_id(), by_squash, files, by_twin_stem }
    }
    /// The frozen base's files whose [`crate::companions::twin_stem`] is `stem`.
    pub(crate) fn files_by_twin_stem(&self, stem: &str) -> &[NodeIndex] {
        self.by_twin_stem.get(stem).map_or(&[], Vec::as_slice)
    }
    /// Whether this index can serve `graph`: it was built from the same
    /// frozen base (a patched snapshot's delta is scanned on top of it).
    pub fn is_for(&self, graph: &Graph) -> bool {
        self.base == graph.base_id()
    }
}

// ---------------------------------------------------------------- expansion

struct Local {
    order: Vec<NodeIndex>,
    pos: IdxMap<usize>,
    /// BFS parent in the neighbourhood: (parent, edge, stored edge points parent -> node).
    parent: IdxMap<(NodeIndex, EdgeIndex, bool)>,
    /// Edges seen between local nodes: (edge, position of one end, position of the other), deduplicated.
    links: Vec<(EdgeIndex, usize, usize)>,
}

fn is_hub(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Repo
            | NodeKind::Owner
            | NodeKind::Lesson
            | NodeKind::Failure
            | NodeKind::Decision
            | NodeKind::Document
            | NodeKind::Run
            | NodeKind::CiJob
    )
}

fn neighbourhood(graph: &Graph, seeds: &BTreeMap<NodeIndex, SeedInfo>) -> Local {
    let mut order = Vec::new();
    let mut pos: IdxMap<usize> = IdxMap::default();
    let mut parent: IdxMap<(NodeIndex, EdgeIndex, bool)> = IdxMap::default();
    let mut links: Vec<(EdgeIndex, usize, usize)> = Vec::new();
    let mut queue = VecDeque::new();
    let mut seed_list: Vec<(&NodeIndex, &SeedInfo)> = seeds.iter().collect();
    seed_list
        .sort_by(|a, b| b.1.weight.partial_cmp(&a.1.weight).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(b.0)));
    for (i, _) in seed_list {
        pos.insert(*i, order.len());
        order.push(*i);
        queue.push_back((*i, 0u32));
    }
    while let Some((i, d)) = queue.pop_front() {
        if d >= 2 || order.len() >= MAX_LOCAL {
            continue;
        }
        let kind = graph.node_at(i).kind;
        if is_hub(kind) && d > 0 {
            continue;
        }
        let mut taken = 0;
        for (dir, fwd) in [(Direction::Outgoing, true), (Direction::Incoming, false)] {
            for (e, j) in graph.neighbors_raw(i, dir) {
                if taken >= MAX_FANOUT || order.len() >= MAX_LOCAL {
                    break;
                }
                let ek = graph.edge_at(e).kind;
                if ek == EdgeKind::Mentions || ek == EdgeKind::Touched {
                    continue;
                }
                // Do not spread from a repo/package into everything it contains.
                if ek == EdgeKind::Contains && fwd && matches!(kind, NodeKind::Repo | NodeKind::Package) {
                    continue;
                }
                taken += 1;
                let here = pos.get(&i).copied().unwrap_or(0);
                if let Some(&there) = pos.get(&j) {
                    links.push((e, here, there));
                    continue;
                }
                pos.insert(j, order.len());
                links.push((e, here, order.len()));
                order.push(j);
                parent.insert(j, (i, e, fwd));
                queue.push_back((j, d + 1));
            }
        }
    }
    links.sort_unstable_by_key(|l| l.0);
    links.dedup_by_key(|l| l.0);
    Local { order, pos, parent, links }
}

fn personalised_pagerank(graph: &Graph, local: &Local, seeds: &BTreeMap<NodeIndex, SeedInfo>) -> Vec<f32> {
    let n = local.order.len();
    if n == 0 {
        return Vec::new();
    }
    // Local adjacency (undirected), weighted, from the edges the neighbourhood walk saw.
    let mut adj: Vec<Vec<(usize, f32)>> = vec![Vec::new(); n];
    for &(e, k, m) in &local.links {
        let edge = graph.edge_at(e);
        let w = edge_weight(edge.kind) * edge.prov.origin.confidence();
        if w > 0.0 && m != k && k < n && m < n {
            adj[k].push((m, w));
            adj[m].push((k, w));
        }
    }
    let total: f32 = seeds.values().map(|s| s.weight).sum::<f32>().max(f32::MIN_POSITIVE);
    let mut p = vec![0.0f32; n];
    for (i, s) in seeds {
        if let Some(&k) = local.pos.get(i) {
            p[k] = s.weight / total;
        }
    }
    let wsum: Vec<f32> = adj.iter().map(|a| a.iter().map(|x| x.1).sum::<f32>()).collect();
    let alpha = 0.5f32;
    let mut r = p.clone();
    let mut next = vec![0.0f32; n];
    for _ in 0..24 {
        for (k, x) in next.iter_mut().enumerate() {
            *x = alpha * p[k];
        }
        let mut dangling = 0.0f32;
        for k in 0..n {
            if r[k] == 0.0 {
                continue;
            }
            if wsum[k] == 0.0 {
                dangling += r[k];
                continue;
            }
            let share = (1.0 - alpha) * r[k] / wsum[k];
            for &(m, w) in &adj[k] {
                next[m] += share * w;
            }
        }
        // Dangling mass returns to the seeds.
        if dangling > 0.0 {
            for (x, pm) in next.iter_mut().zip(&p) {
                *x += (1.0 - alpha) * dangling * pm;
            }
        }
        std::mem::swap(&mut r, &mut next);
    }
    // Seeds keep at least their own weight so an exact match always ranks.
    for (i, s) in seeds {
        if let Some(&k) = local.pos.get(i) {
            r[k] = r[k].max(s.weight / total) + s.weight * 0.01;
        }
    }
    r
}

fn explain(graph: &Graph, local: &Local, seeds: &BTreeMap<NodeIndex, SeedInfo>, i: NodeIndex) -> (String, Vec<Hop>) {
    if let Some(s) = seeds.get(&i) {
        return (s.why.clone(), Vec::new());
    }
    let mut hops = Vec::new();
    let mut cur = i;
    while let Some(&(p, e, fwd)) = local.parent.get(&cur) {
        let edge = graph.edge_at(e);
        hops.push(Hop {
            from: graph.node_at(p).id.clone(),
            edge: edge.kind,
            to: graph.node_at(cur).id.clone(),
            forward: fwd,
            evidence: Evidence::new(graph, &edge.prov),
        });
        cur = p;
        if hops.len() > 8 {
            break;
        }
    }
    hops.reverse();
    let Some(first) = hops.first() else { return ("related".into(), hops) };
    let seed_name = name_of(graph, &first.from);
    let mut why = String::new();
    // "calls create_refund" reads from the item's side: describe the last hop.
    if let Some(last) = hops.last() {
        let prev = name_of(graph, &last.from);
        why = if last.forward {
            format!("{} of {prev}", reverse_label(last.edge))
        } else {
            format!("{} {prev}", last.edge.as_str().replace('_', " "))
        };
    }
    if hops.len() > 1 {
        why.push_str(&format!(" (via {} hops from {seed_name})", hops.len()));
    }
    (why, hops)
}

/// How to read `a --kind--> b` from b's side ("callee of a").
fn reverse_label(kind: EdgeKind) -> &'static str {
    use EdgeKind::*;
    match kind {
        Calls => "called by; callee",
        Contains => "part",
        Imports => "imported module",
        ReadsField => "field read",
        WritesField => "field written",
        Exposes => "operation exposed",
        Consumes => "operation consumed",
        Publishes => "topic published",
        Subscribes => "topic subscribed",
        UsesType => "type used",
        HasField => "field",
        Tests => "tested code",
        Governs => "governed entity",
        Affected => "affected entity",
        AppliesTo => "subject",
        Owns => "owned entity",
        DependsOn => "dependency",
        Implements => "implemented contract",
        _ => "neighbour",
    }
}

// ---------------------------------------------------------------- markdown

fn render_item(it: &PacketItem) -> String {
    let mut s = format!("- **{}** ({})", it.title.replace('\n', " "), it.kind.as_str());
    if !it.location.is_empty() {
        s.push_str(&format!(" `{}`", it.location));
    }
    if !it.why.is_empty() {
        s.push_str(&format!(" — {}", it.why));
    }
    s.push('\n');
    if let Some(sig) = &it.signature {
        s.push_str(&format!("  `{}`\n", short(sig, 160).replace('`', "'")));
    }
    if let Some(doc) = &it.doc {
        for line in doc.lines().filter(|l| !l.trim().is_empty()).take(6) {
            s.push_str(&format!("  > {}\n", line.trim()));
        }
    }
    if let Some(sn) = &it.snippet {
        s.push_str("  ```\n");
        for line in sn.lines() {
            s.push_str("  ");
            s.push_str(line);
            s.push('\n');
        }
        s.push_str("  ```\n");
    }
    s
}

fn section_header(sec: Section) -> String {
    format!("\n## {}\n", sec.title())
}

/// The markdown of a packet and which of its files and items it holds.
struct Rendered {
    markdown: String,
    files: Vec<bool>,
    items: Vec<bool>,
}

/// Share of the budget the file list may take before the items.
const FILES_BUDGET_SHARE: usize = 4;

fn render_file(f: &PacketFile) -> String {
    let mut s = format!("- `{}:{}`", f.repo, f.path);
    if !f.why.is_empty() {
        s.push_str(&format!(" — {}", f.why));
    }
    s.push('\n');
    s
}

/// Renders the packet's markdown within `budget` tokens: the files best
/// first (at most a quarter of the budget), risks, then items greedy by
/// score (lessons before all). Risks are chosen before files.
fn render_markdown(p: &ContextPacket, budget: usize) -> Rendered {
    let mut head = format!("# Context: {}\n", short(&p.intent, 120));
    head.push_str(&format!("status: {} — {}\n", status_str(p.status), p.status_reason));
    head.push_str(&format!("lane: {} ({})\n", lane_str(p.lane), p.lane_reasons.join(", ")));
    // Header lines are cut from the end if the budget is tiny.
    let mut head_lines: Vec<&str> = head.split_inclusive('\n').collect();
    while !head_lines.is_empty() && estimate_tokens(&head_lines.concat()) > budget {
        head_lines.pop();
    }
    let head = head_lines.concat();
    let mut used = estimate_tokens(&head);
    // Groups in rendering order: the files first (what an agent opens), then
    // risks, then the sections. Risks are still taken first within the budget.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Group {
        Files,
        Risks,
        Items(Section),
    }
    struct Block {
        order: usize,
        group: Group,
        text: String,
        prio: f32,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (k, r) in p.risks.iter().enumerate() {
        blocks.push(Block {
            order: k,
            group: Group::Risks,
            text: format!("- **{}**: {}\n", r.kind, r.message),
            prio: f32::INFINITY,
        });
    }
    let first_file = blocks.len();
    for (k, f) in p.files.iter().enumerate() {
        blocks.push(Block { order: k, group: Group::Files, text: render_file(f), prio: f32::MAX });
    }
    let first_item = blocks.len();
    for (k, it) in p.items.iter().enumerate() {
        let prio = if it.section == Section::Lessons { f32::MAX } else { it.score };
        blocks.push(Block { order: k, group: Group::Items(it.section), text: render_item(it), prio });
    }
    let header_text = |g: Group| match g {
        Group::Risks => "\n## Risks\n".to_string(),
        Group::Files => "\n## Files\n".to_string(),
        Group::Items(sec) => section_header(sec),
    };
    let mut chosen = vec![false; blocks.len()];
    let mut headers: BTreeSet<Group> = BTreeSet::new();
    let take = |b: usize, used: &mut usize, cap: usize, chosen: &mut Vec<bool>, headers: &mut BTreeSet<Group>| {
        let g = blocks[b].group;
        let mut cost = estimate_tokens(&blocks[b].text);
        if !headers.contains(&g) {
            cost += estimate_tokens(&header_text(g));
        }
        if *used + cost <= cap {
            *used += cost;
            chosen[b] = true;
            headers.insert(g);
            true
        } else {
            false
        }
    };
    if used <= budget {
        for b in 0..first_file {
            take(b, &mut used, budget, &mut chosen, &mut headers);
        }
        // Files in their order, up to their share; a file that does not fit ends the list.
        let files_cap = (used + budget / FILES_BUDGET_SHARE).min(budget);
        for b in first_file..first_item {
            if !take(b, &mut used, files_cap, &mut chosen, &mut headers) {
                break;
            }
        }
        let mut order: Vec<usize> = (first_item..blocks.len()).collect();
        order.sort_by(|a, b| {
            blocks[*b].prio.partial_cmp(&blocks[*a].prio).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(b))
        });
        for b in order {
            take(b, &mut used, budget, &mut chosen, &mut headers);
        }
    }
    let assemble = |chosen: &[bool]| -> String {
        let mut out = head.clone();
        let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
        for (b, c) in chosen.iter().enumerate() {
            if *c {
                groups.entry(blocks[b].group).or_default().push(b);
            }
        }
        for (g, mut bs) in groups {
            out.push_str(&header_text(g));
            bs.sort_by_key(|b| blocks[*b].order);
            for b in bs {
                out.push_str(&blocks[b].text);
            }
        }
        out
    };
    let mut md = assemble(&chosen);
    // Belt and braces: the estimate is subadditive so this never loops in practice.
    while estimate_tokens(&md) > budget {
        let worst = (0..blocks.len()).filter(|b| chosen[*b]).min_by(|a, b| {
            blocks[*a].prio.partial_cmp(&blocks[*b].prio).unwrap_or(std::cmp::Ordering::Equal).then(b.cmp(a))
        });
        match worst {
            Some(b) => chosen[b] = false,
            None => {
                md = String::new();
                break;
            }
        }
        md = assemble(&chosen);
    }
    Rendered { markdown: md, files: chosen[first_file..first_item].to_vec(), items: chosen[first_item..].to_vec() }
}

fn status_str(s: PacketStatus) -> &'static str {
    match s {
        PacketStatus::Ok => "ok",
        PacketStatus::Weak => "weak",
        PacketStatus::NoMatch => "no_match",
    }
}

fn lane_str(l: Lane) -> &'static str {
    match l {
        Lane::Fast => "fast",
        Lane::Full => "full",
        Lane::Unknown => "unknown",
    }
}

/// Renders the factory task packet: Intent, Scope, Non-goals, How to
/// reproduce, Validation, No-op rules, Evidence required, Owners to ask.
/// Whatever the graph does not know is left visibly blank as `_unknown_`.
pub fn render_task_packet(p: &ContextPacket) -> String {
    const UNKNOWN: &str = "_unknown_";
    let mut s = String::from("# Task packet\n\n## Intent\n");
    s.push_str(if p.intent.trim().is_empty() { UNKNOWN } else { p.intent.trim() });
    s.push_str(&format!("\n\nSignal: **{}** — {}\n", status_str(p.status), p.status_reason));
    s.push_str(&format!("Lane: **{}** ({})\n", lane_str(p.lane), p.lane_reasons.join(", ")));

    s.push_str("\n## Scope\n");
    let list = |v: Vec<String>| if v.is_empty() { UNKNOWN.to_string() } else { v.join(", ") };
    let repos = if p.scope.repos.is_empty() { p.repos.clone() } else { p.scope.repos.clone() };
    s.push_str(&format!("- Repos: {}\n", list(repos)));
    s.push_str(&format!("- Paths: {}\n", list(p.scope.paths.clone())));
    let mut ents: Vec<String> = p.scope.ids.iter().chain(p.named.iter()).map(|i| format!("`{i}`")).collect();
    ents.dedup();
    s.push_str(&format!("- Entities: {}\n", list(ents)));

    s.push_str("\n## Non-goals\n");
    if p.non_goals.is_empty() {
        s.push_str(&format!("- {UNKNOWN}\n"));
    }
    for n in &p.non_goals {
        s.push_str(&format!(
            "- `{}` ({}) — near the task but outside its scope; do not change it\n",
            n.id,
            n.kind.as_str()
        ));
    }

    s.push_str("\n## How to reproduce\n");
    let failures: Vec<&PacketItem> = p.items.iter().filter(|i| i.section == Section::Failures).collect();
    let tests: Vec<&PacketItem> = p.items.iter().filter(|i| i.section == Section::Tests).collect();
    if failures.is_empty() && tests.is_empty() {
        s.push_str(&format!("- {UNKNOWN}\n"));
    }
    for f in &failures {
        s.push_str(&format!("- Past failure **{}** (`{}`): {}\n", f.title, f.location, f.why));
    }
    for t in tests.iter().take(10) {
        s.push_str(&format!("- Run test `{}` (`{}`)\n", t.title, t.location));
    }

    s.push_str("\n## Validation\n");
    if tests.is_empty() {
        s.push_str(&format!("- Tests to run: {UNKNOWN}\n"));
    } else {
        let v: Vec<String> = tests.iter().take(15).map(|t| format!("`{}`", t.id)).collect();
        s.push_str(&format!("- Tests to run: {}\n", v.join(", ")));
    }
    if p.ci_jobs.is_empty() {
        s.push_str(&format!("- CI jobs: {UNKNOWN}\n"));
    } else {
        let v: Vec<String> = p.ci_jobs.iter().map(|j| format!("`{}` ({})", j.name, j.repo)).collect();
        s.push_str(&format!("- CI jobs: {}\n", v.join(", ")));
    }
    s.push_str("- `brain check` passes (no contract-boundary findings)\n");

    s.push_str("\n## No-op rules\n");
    match p.status {
        PacketStatus::NoMatch => s.push_str("- **Stop now**: nothing the intent names exists in the graph. Return NO_OP, or ESCALATE if the task must be clarified.\n"),
        PacketStatus::Weak => s.push_str("- Matches are loose: confirm the target exists before editing; if it does not, return ESCALATE.\n"),
        PacketStatus::Ok => {}
    }
    s.push_str("- If the requested behaviour is already present and tested, return NO_OP with the evidence.\n");
    s.push_str("- Do not invent entities, endpoints or fields the graph does not show; ESCALATE instead.\n");

    s.push_str("\n## Evidence required\n");
    s.push_str("- Test output for every test listed under Validation\n");
    s.push_str("- `brain check` output\n");
    let contracts: Vec<&PacketItem> = p.items.iter().filter(|i| i.section == Section::Contracts).take(5).collect();
    for c in contracts {
        s.push_str(&format!("- For contract `{}`: consumers still compatible (blast radius reviewed)\n", c.id));
    }
    let lessons: Vec<&PacketItem> = p.items.iter().filter(|i| i.section == Section::Lessons).collect();
    for l in lessons {
        s.push_str(&format!("- Lesson respected: {}\n", l.title));
    }

    s.push_str("\n## Owners to ask\n");
    let owners: Vec<&PacketItem> = p.items.iter().filter(|i| i.section == Section::Owners).collect();
    if owners.is_empty() {
        s.push_str(&format!("- {UNKNOWN}\n"));
    }
    for o in owners {
        s.push_str(&format!("- {} — {}\n", o.title, o.why));
    }
    s
}
