//! Blast radius: what a change reaches, why, who must review it, what to
//! test, and in which order to roll it out.
//!
//! A [`ChangeSet`] (ids, files with line ranges, a unified diff) is first
//! mapped to the entities it touches (the innermost symbols, fields,
//! operations, types, specs and tests whose spans overlap the changed lines,
//! else the file). From those, [`blast_radius`] walks the graph BACKWARDS
//! along "who depends on me" edges (see [`IMPACT_KINDS`]) with an index-based
//! layered BFS that keeps, per reached node, the shortest and then most
//! confident why-chain. It never spreads through `mentions` or name
//! similarity, and it only descends `contains` from a file when the change
//! could not be mapped to anything finer inside it.

use crate::about::{decisions_about, failures_about, lessons_for, owners_of, DecisionRef, FailureRef, LessonRef};
use crate::common::IdxMap;
use crate::common::{is_contract_kind, iso_date, EntityRef, Evidence, Hop, LineRange, ServiceIndex};
use crate::diff::{parse_unified_diff, FileStatus};
use crate::policy::{CompiledPolicy, ReviewDecision, ReviewPolicy};
use brain_graph::Graph;
use brain_model::{attr, Diagnostic, EdgeKind, Node, NodeId, NodeKind, Severity};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Edge kinds the traversal may follow, and how:
/// - read backwards (dependent -> changed): `calls`, `imports`, `reads_field`,
///   `writes_field`, `uses_type`, `consumes`, `subscribes`, `depends_on`,
///   `implements`, `tests`, and `has_field` (a changed field impacts its type);
/// - read forwards (a structural lift): `exposes` (a changed handler impacts the
///   operation it serves), `publishes` (a changed publisher impacts its topic);
/// - `contains`: down from a file only when the file itself is the change
///   (no finer mapping), and up from a file to the package containing it
///   (so that packages' dependents are reached);
/// - `imports` also from a changed symbol to the modules importing the file
///   that declares it, with confidence times [`IMPORT_LIFT`] (calls are best
///   effort in dynamic languages; the import is the dependable link).
pub const IMPACT_KINDS: &[EdgeKind] = &[
    EdgeKind::Calls,
    EdgeKind::Imports,
    EdgeKind::ReadsField,
    EdgeKind::WritesField,
    EdgeKind::UsesType,
    EdgeKind::Consumes,
    EdgeKind::Subscribes,
    EdgeKind::DependsOn,
    EdgeKind::Implements,
    EdgeKind::Tests,
    EdgeKind::HasField,
    EdgeKind::Exposes,
    EdgeKind::Publishes,
    EdgeKind::Contains,
];

/// What changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Entities changed, by id.
    #[serde(default)]
    pub ids: Vec<NodeId>,
    /// Files changed; empty `ranges` means the whole file.
    #[serde(default)]
    pub files: Vec<FileChange>,
    /// A unified diff and the repo it applies to.
    #[serde(default)]
    pub diff: Option<DiffChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileChange {
    pub repo: String,
    pub path: String,
    /// Changed lines (1-based, inclusive) in the indexed version; empty = whole file.
    #[serde(default)]
    pub ranges: Vec<LineRange>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffChange {
    pub repo: String,
    pub text: String,
}

/// Traversal options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImpactOptions {
    /// Maximum hops from a changed entity (default 4).
    pub max_depth: u32,
    /// Edge kinds to follow; `None` = all of [`IMPACT_KINDS`].
    pub edge_kinds: Option<Vec<EdgeKind>>,
    /// Chains whose confidence (product of edge confidences) falls below this are cut (default 0.5).
    pub min_confidence: f32,
    /// At most this many reached entities (default 2000); `truncated` says when hit.
    pub max_results: usize,
    /// At most this many nodes in the Mermaid diagram (default 40).
    pub max_diagram_nodes: usize,
    /// Today as Unix seconds (for lesson validity); `None` = ignore validity dates.
    pub now: Option<u64>,
}

impl Default for ImpactOptions {
    fn default() -> Self {
        ImpactOptions {
            max_depth: 4,
            edge_kinds: None,
            min_confidence: 0.5,
            max_results: 2000,
            max_diagram_nodes: 40,
            now: None,
        }
    }
}

/// How an input was mapped to entities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappedBy {
    /// Named by id.
    Id,
    /// Changed lines overlap the entity's span (innermost entity per line).
    Span,
    /// Changed lines hit no finer entity: the file itself.
    File,
    /// The whole file changed (no line ranges, added/deleted file): the file and what it contains.
    WholeFile,
    /// Nothing in the graph matches.
    NotFound,
}

/// One input (id, file, diff file) and what it mapped to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mapping {
    /// `id`, `repo:path:lines` or `diff repo:path`.
    pub input: String,
    pub mapped_by: MappedBy,
    pub entities: Vec<NodeId>,
}

/// An entity the change reaches.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Impacted {
    pub entity: EntityRef,
    pub service: Option<NodeId>,
    /// `true` at depth 1.
    pub direct: bool,
    pub depth: u32,
    /// Product of edge confidences along `why`.
    pub confidence: f32,
    /// From a changed entity to this one.
    pub why: Vec<Hop>,
}

/// Impacted entities of one service (or of no known service) in a repo.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceGroup {
    pub service: Option<NodeId>,
    pub entities: Vec<NodeId>,
}

/// Impacted entities of one repo.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RepoGroup {
    pub repo: String,
    pub commit: Option<String>,
    pub services: Vec<ServiceGroup>,
}

/// An owner who must review, and what they own in the change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnerReview {
    pub owner: NodeId,
    pub name: String,
    pub entities: Vec<NodeId>,
    /// Rules (`file:line`) that made them owner, deduplicated.
    pub rules: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// A test to run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TestToRun {
    pub id: NodeId,
    pub name: String,
    pub path: String,
    /// What it tests or how the change reaches it.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RepoTests {
    pub repo: String,
    pub tests: Vec<TestToRun>,
}

/// A contract boundary the change crosses.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Boundary {
    /// The contract node (operation, topic, type, field, spec) or, for a plain
    /// cross-repo edge, the entity depended upon.
    pub contract: NodeId,
    pub contract_kind: NodeKind,
    /// The producing side (nearest non-contract entity on the change's side).
    pub producer: NodeId,
    pub producer_repo: String,
    /// The consuming side.
    pub consumer: NodeId,
    pub consumer_repo: String,
    pub edge: EdgeKind,
}

/// One repo in rollout order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RolloutStep {
    pub repo: String,
    /// Repos that must roll out before this one (its producers in this change).
    pub after: Vec<String>,
    pub in_cycle: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Default)]
pub struct Rollout {
    pub steps: Vec<RolloutStep>,
    /// Sets of repos that depend on each other in this change (no safe order).
    pub cycles: Vec<Vec<String>>,
}

/// `Fast`: one repo, no contract, infra or data. `Full`: anything else. `Unknown`: an id or file
/// the change names is not in the graph, so nothing can be said about it (a gate must not pass).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Lane {
    Fast,
    Full,
    Unknown,
}

/// The indexed commit of a repo involved in the answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Freshness {
    pub repo: String,
    pub commit: Option<String>,
    /// Unix seconds of the last ingest (0 if unknown).
    pub ingested_at: u64,
}

/// The answer of [`blast_radius`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlastRadius {
    pub mappings: Vec<Mapping>,
    /// Entities the change maps to (depth 0).
    pub changed: Vec<EntityRef>,
    /// Reached entities (tests excluded, see `tests`), by depth then id.
    pub impacted: Vec<Impacted>,
    pub by_repo: Vec<RepoGroup>,
    pub owners: Vec<OwnerReview>,
    /// A smallest-found set of owners covering every owned touched entity (greedy set cover).
    pub reviewers: Vec<NodeId>,
    /// Touched entities nobody owns.
    pub unowned: Vec<NodeId>,
    pub tests: Vec<RepoTests>,
    pub decisions: Vec<DecisionRef>,
    pub failures: Vec<FailureRef>,
    pub lessons: Vec<LessonRef>,
    pub boundaries: Vec<Boundary>,
    pub rollout: Rollout,
    pub lane: Lane,
    pub lane_reasons: Vec<String>,
    pub review: ReviewDecision,
    pub mermaid: String,
    pub freshness: Vec<Freshness>,
    /// `true` when `max_results` cut the traversal.
    pub truncated: bool,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Copy)]
struct Visit {
    depth: u32,
    conf: f32,
    /// (parent, edge, stored edge points parent -> this)
    parent: Option<(NodeIndex, EdgeIndex, bool)>,
}

/// Computes the blast radius of `change`. Never fails: inputs that match
/// nothing are reported in `mappings` and `diagnostics`.
pub fn blast_radius(graph: &Graph, change: &ChangeSet, opts: &ImpactOptions, policy: &ReviewPolicy) -> BlastRadius {
    let mut diagnostics = Vec::new();
    let (mappings, seeds, unknown) = map_change(graph, change, &mut diagnostics);
    let allowed: Vec<EdgeKind> = opts.edge_kinds.clone().unwrap_or_else(|| IMPACT_KINDS.to_vec());
    let trav = traverse(graph, &seeds, &allowed, opts);

    let services = ServiceIndex::build(graph);
    // Effective repo per reached node: topics and repo-less nodes inherit their parent's.
    let mut eff_repo: IdxMap<&str> = IdxMap::with_capacity_and_hasher(trav.order.len(), Default::default());
    for &i in &trav.order {
        let n = graph.node_at(i);
        let own = n.prov.repo.as_str();
        let inherit = n.kind == NodeKind::Topic || own.is_empty() || n.attr(attr::EXTERNAL) == Some("true");
        let r = match trav.visits.get(&i).and_then(|v| v.parent) {
            Some((p, _, _)) if inherit => eff_repo.get(&p).copied().unwrap_or(own),
            _ => own,
        };
        eff_repo.insert(i, r);
    }

    let changed: Vec<EntityRef> = seeds.iter().map(|(i, _)| EntityRef::of(graph.node_at(*i))).collect();
    let mut impacted = Vec::new();
    let mut test_nodes: Vec<(NodeIndex, String)> = Vec::new();
    for &i in &trav.order {
        let Some(v) = trav.visits.get(&i) else { continue };
        if v.depth == 0 {
            continue;
        }
        let n = graph.node_at(i);
        if n.kind == NodeKind::Test {
            let reason = match v.parent {
                Some((p, e, _)) => format!("{} {}", graph.edge_at(e).kind, graph.node_at(p).name),
                None => String::new(),
            };
            test_nodes.push((i, reason));
            continue;
        }
        impacted.push(Impacted {
            entity: EntityRef::of(n),
            service: services.service_of(graph, n),
            direct: v.depth == 1,
            depth: v.depth,
            confidence: v.conf,
            why: chain(graph, &trav.visits, i),
        });
    }
    impacted.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.entity.id.cmp(&b.entity.id)));

    // Group by repo and service.
    let mut groups: BTreeMap<String, BTreeMap<Option<NodeId>, Vec<NodeId>>> = BTreeMap::new();
    for e in changed.iter().map(|c| (&c.id, None)).chain(impacted.iter().map(|i| (&i.entity.id, Some(i)))) {
        let Some(node) = graph.node(e.0) else { continue };
        let svc = match e.1 {
            Some(imp) => imp.service.clone(),
            None => services.service_of(graph, node),
        };
        let repo = graph.index_of(e.0).and_then(|i| eff_repo.get(&i)).copied().unwrap_or(node.prov.repo.as_str());
        groups.entry(repo.to_string()).or_default().entry(svc).or_default().push(e.0.clone());
    }
    let by_repo: Vec<RepoGroup> = groups
        .into_iter()
        .map(|(repo, svcs)| RepoGroup {
            commit: graph.repo(&repo).and_then(|r| r.commit.clone()),
            repo,
            services: svcs.into_iter().map(|(service, entities)| ServiceGroup { service, entities }).collect(),
        })
        .collect();

    let touched_ids: Vec<NodeId> =
        changed.iter().map(|c| c.id.clone()).chain(impacted.iter().map(|i| i.entity.id.clone())).collect();
    let (owners, reviewers, unowned) = owners_section(graph, &touched_ids);
    let tests = tests_section(graph, &touched_ids, &test_nodes);
    // Decisions, failures and lessons may be recorded against the services too.
    let mut about_ids = touched_ids.clone();
    for g in &by_repo {
        for s in g.services.iter().filter_map(|s| s.service.as_ref()) {
            if !about_ids.contains(s) {
                about_ids.push(s.clone());
            }
        }
    }
    let decisions = decisions_about(graph, &about_ids);
    let failures = failures_about(graph, &about_ids);
    let today = opts.now.map(iso_date);
    let lessons = lessons_for(graph, &about_ids, today.as_deref());
    let boundaries = boundaries(graph, &trav, &eff_repo);
    let seed_repos: BTreeSet<&str> =
        seeds.iter().filter_map(|(i, _)| eff_repo.get(i).copied()).filter(|r| !r.is_empty()).collect();
    let rollout = rollout(graph, &trav, &eff_repo, &seed_repos);

    let repos: BTreeSet<&str> = trav
        .order
        .iter()
        .filter(|i| graph.node_at(**i).kind != NodeKind::Test)
        .filter_map(|i| eff_repo.get(i).copied())
        .filter(|r| !r.is_empty())
        .collect();
    let (mut lane, mut lane_reasons) = lane(graph, &seeds, &impacted, &repos, &boundaries);
    if !unknown.is_empty() {
        lane = Lane::Unknown;
        lane_reasons = unknown.iter().map(|u| not_in_graph(graph, u)).collect();
    }

    let compiled = CompiledPolicy::cached(policy);
    diagnostics.extend(compiled.diagnostics.iter().cloned());
    let mut touched_nodes: Vec<&Node> = seeds.iter().map(|(i, _)| graph.node_at(*i)).collect();
    for b in &boundaries {
        if let Some(n) = graph.node(&b.contract) {
            if is_contract_kind(n.kind) && !touched_nodes.iter().any(|t| t.id == n.id) {
                touched_nodes.push(n);
            }
        }
    }
    let review = compiled.decide(touched_nodes);
    let mermaid = mermaid(graph, &trav, &seeds, &eff_repo, opts.max_diagram_nodes);
    let freshness = repos
        .iter()
        .map(|r| {
            let info = graph.repo(r);
            Freshness {
                repo: r.to_string(),
                commit: info.and_then(|i| i.commit.clone()),
                ingested_at: info.map(|i| i.ingested_at).unwrap_or(0),
            }
        })
        .collect();
    if trav.truncated {
        diagnostics.push(Diagnostic::new(
            Severity::Info,
            "impact.truncated",
            "",
            "",
            None,
            format!("stopped after {} entities (max_results)", opts.max_results),
        ));
    }
    BlastRadius {
        mappings,
        changed,
        impacted,
        by_repo,
        owners,
        reviewers,
        unowned,
        tests,
        decisions,
        failures,
        lessons,
        boundaries,
        rollout,
        lane,
        lane_reasons,
        review,
        mermaid,
        freshness,
        truncated: trav.truncated,
        diagnostics,
    }
}

// ---------------------------------------------------------------- mapping

/// Maps a change to seed nodes; the flag says "whole file: may descend `contains`". Also returns
/// the ids and files the caller named that are not in the graph (a file a diff adds is not one).
fn map_change(
    graph: &Graph,
    change: &ChangeSet,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Mapping>, Vec<(NodeIndex, bool)>, Vec<Unknown>) {
    let mut unknown = Vec::new();
    let mut mappings = Vec::new();
    let mut seeds: Vec<(NodeIndex, bool)> = Vec::new();
    let add =
        |seeds: &mut Vec<(NodeIndex, bool)>, i: NodeIndex, whole: bool| match seeds.iter_mut().find(|(s, _)| *s == i) {
            Some(s) => s.1 |= whole,
            None => seeds.push((i, whole)),
        };
    for id in &change.ids {
        match graph.index_of(id) {
            Some(i) => {
                let whole = matches!(graph.node_at(i).kind, NodeKind::File | NodeKind::Spec);
                add(&mut seeds, i, whole);
                mappings.push(Mapping { input: id.to_string(), mapped_by: MappedBy::Id, entities: vec![id.clone()] });
            }
            None => {
                diags.push(Diagnostic::new(
                    Severity::Warning,
                    "impact.unknown-id",
                    "",
                    "",
                    None,
                    format!("{id} is not in the graph"),
                ));
                mappings.push(Mapping { input: id.to_string(), mapped_by: MappedBy::NotFound, entities: vec![] });
                unknown.push(Unknown::Id(id.to_string()));
            }
        }
    }
    let named_files = change.files.len();
    let mut file_inputs: Vec<(String, String, Vec<LineRange>, String)> = Vec::new();
    for f in &change.files {
        let label = if f.ranges.is_empty() {
            format!("{}:{}", f.repo, f.path)
        } else {
            let r: Vec<String> = f.ranges.iter().map(|r| format!("{}-{}", r.start, r.end)).collect();
            format!("{}:{}:{}", f.repo, f.path, r.join(","))
        };
        file_inputs.push((f.repo.clone(), f.path.clone(), f.ranges.clone(), label));
    }
    if let Some(d) = &change.diff {
        let parsed = parse_unified_diff(&d.repo, &d.text);
        diags.extend(parsed.diagnostics);
        for f in parsed.files {
            let label = format!("diff {}:{}", d.repo, f.path());
            let whole = f.binary || matches!(f.status, FileStatus::Added | FileStatus::Deleted);
            let mut ranges = Vec::new();
            if !whole {
                ranges.extend(f.removed.iter().copied());
                ranges.extend(f.inserted_only.iter().copied());
                if ranges.is_empty() && f.status == FileStatus::Renamed {
                    // A pure rename changes the file's identity: whole file.
                }
            }
            let path = f.path().to_string();
            file_inputs.push((d.repo.clone(), path.clone(), ranges, label));
            if f.status == FileStatus::Renamed {
                if let Some(np) = f.new_path.as_deref() {
                    if graph.contains(&NodeId::file(&d.repo, np)) {
                        file_inputs.push((d.repo.clone(), np.to_string(), Vec::new(), format!("diff {}:{np}", d.repo)));
                    }
                }
            }
        }
    }
    for (n, (repo, path, ranges, label)) in file_inputs.into_iter().enumerate() {
        let (ents, by) = map_file(graph, &repo, &path, &ranges);
        if by == MappedBy::NotFound && n < named_files {
            unknown.push(Unknown::File(repo.clone(), path.clone()));
        }
        if by == MappedBy::NotFound {
            diags.push(Diagnostic::new(
                Severity::Info,
                "impact.file-not-indexed",
                &repo,
                &path,
                None,
                "file is not in the graph (new, ignored or not ingested)",
            ));
        }
        for &i in &ents {
            add(&mut seeds, i, by == MappedBy::WholeFile);
        }
        mappings.push(Mapping {
            input: label,
            mapped_by: by,
            entities: ents.iter().map(|i| graph.node_at(*i).id.clone()).collect(),
        });
    }
    (mappings, seeds, unknown)
}

/// An input the caller named that the graph does not hold.
enum Unknown {
    Id(String),
    File(String, String),
}

/// Why the lane is unknown, with up to three entities the caller may have meant: ids whose name
/// is the unknown id's last segment, files of that repo whose name is the unknown file's.
fn not_in_graph(graph: &Graph, u: &Unknown) -> String {
    let (what, candidates): (String, Vec<String>) = match u {
        Unknown::Id(id) => {
            let tail = id.rsplit(['#', '/', ':', '.']).next().unwrap_or(id);
            let c = graph.nodes().filter(|n| n.name == tail).take(3).map(|n| n.id.to_string()).collect();
            (format!("id {id}"), c)
        }
        Unknown::File(repo, path) => {
            let name = path.rsplit('/').next().unwrap_or(path);
            let c = graph
                .nodes_of_kind(NodeKind::File)
                .filter(|n| n.prov.repo == *repo && n.prov.path.rsplit('/').next() == Some(name))
                .take(3)
                .map(|n| format!("{}:{}", n.prov.repo, n.prov.path))
                .collect();
            (format!("file {repo}:{path}"), c)
        }
    };
    if candidates.is_empty() {
        format!("{what} is not in the graph")
    } else {
        format!("{what} is not in the graph (did you mean {}?)", candidates.join(", "))
    }
}

/// Kinds a changed line range may map to.
fn mappable(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Symbol
            | NodeKind::Field
            | NodeKind::Operation
            | NodeKind::DataType
            | NodeKind::Spec
            | NodeKind::Test
            | NodeKind::Topic
            | NodeKind::CiJob
            | NodeKind::Service
            | NodeKind::Package
    )
}

/// Most lines examined per file; larger changes map to the whole file.
const MAX_LINES_PER_FILE: u32 = 50_000;

fn map_file(graph: &Graph, repo: &str, path: &str, ranges: &[LineRange]) -> (Vec<NodeIndex>, MappedBy) {
    // Ranges may come from JSON unnormalised.
    let ranges: Vec<LineRange> = ranges.iter().map(|r| LineRange::new(r.start, r.end)).collect();
    let ranges = ranges.as_slice();
    let file = graph.index_of(&NodeId::file(repo, path));
    let spec = graph.index_of(&NodeId::spec(repo, path));
    // A spec file is both a File and a Spec node: the change is on both.
    let anchors: Vec<NodeIndex> = [file, spec].into_iter().flatten().collect();
    if anchors.is_empty() {
        return (Vec::new(), MappedBy::NotFound);
    }
    let total: u64 = ranges.iter().map(|r| r.end.saturating_sub(r.start) as u64 + 1).sum();
    if ranges.is_empty() || total > MAX_LINES_PER_FILE as u64 {
        return (anchors, MappedBy::WholeFile);
    }
    // Candidates: nodes declared in this file, reached from the file/spec by contains/has_field/exposes.
    let mut cands: Vec<(NodeIndex, u32, u32)> = Vec::new();
    let mut seen: BTreeSet<NodeIndex> = BTreeSet::new();
    let mut stack: Vec<(NodeIndex, u32)> = [file, spec].into_iter().flatten().map(|i| (i, 0)).collect();
    while let Some((i, d)) = stack.pop() {
        if !seen.insert(i) || seen.len() > 20_000 {
            continue;
        }
        let n = graph.node_at(i);
        if n.prov.repo == repo && n.prov.path == path && mappable(n.kind) {
            if let Some(sp) = n.prov.span {
                cands.push((i, sp.start_line, sp.end_line));
            }
        }
        if d >= 4 {
            continue;
        }
        for (e, j) in graph.neighbors_raw(i, Direction::Outgoing) {
            if matches!(graph.edge_at(e).kind, EdgeKind::Contains | EdgeKind::HasField | EdgeKind::Exposes) {
                let m = graph.node_at(j);
                if m.prov.repo == repo && m.prov.path == path {
                    stack.push((j, d + 1));
                }
            }
        }
    }
    let mut hit: BTreeSet<NodeIndex> = BTreeSet::new();
    for r in ranges {
        for line in r.start..=r.end {
            let mut best: Option<u32> = None;
            for &(_, s, e) in &cands {
                if s <= line && line <= e {
                    let len = e.saturating_sub(s);
                    best = Some(best.map_or(len, |b| b.min(len)));
                }
            }
            if let Some(b) = best {
                for &(i, s, e) in &cands {
                    if s <= line && line <= e && e.saturating_sub(s) == b {
                        hit.insert(i);
                    }
                }
            }
        }
    }
    if hit.is_empty() {
        return (anchors, MappedBy::File);
    }
    let mut v: Vec<NodeIndex> = hit.into_iter().collect();
    v.sort_by(|a, b| graph.node_at(*a).id.cmp(&graph.node_at(*b).id));
    (v, MappedBy::Span)
}

// ---------------------------------------------------------------- traversal

struct Traversal {
    visits: IdxMap<Visit>,
    /// Reached nodes in discovery order (seeds first); parents precede children.
    order: Vec<NodeIndex>,
    /// Every followed step `(near, far)`, including ones reaching already-seen
    /// nodes (so rollout sees cycles that a BFS tree hides). Bounded.
    links: Vec<(NodeIndex, NodeIndex)>,
    truncated: bool,
}

/// Most steps recorded for rollout ordering.
const MAX_LINKS: usize = 100_000;

fn traverse(graph: &Graph, seeds: &[(NodeIndex, bool)], allowed: &[EdgeKind], opts: &ImpactOptions) -> Traversal {
    let mut allow = [false; 64];
    for k in allowed {
        allow[*k as usize] = true;
    }
    let ok = |k: EdgeKind| allow[k as usize];
    let mut visits: IdxMap<Visit> = IdxMap::with_capacity_and_hasher(256, Default::default());
    let mut order = Vec::with_capacity(256);
    let mut frontier: Vec<NodeIndex> = Vec::new();
    // Whole-file seeds and what they contain, down every level (a class's methods, and through
    // them the routes they expose): everything declared in a wholly changed file changed.
    let mut whole: BTreeSet<NodeIndex> = seeds.iter().filter(|(_, w)| *w).map(|(i, _)| *i).collect();
    for (i, _) in seeds {
        if visits.insert(*i, Visit { depth: 0, conf: 1.0, parent: None }).is_none() {
            order.push(*i);
            frontier.push(*i);
        }
    }
    let mut truncated = false;
    let mut links: Vec<(NodeIndex, NodeIndex)> = Vec::new();
    let mut next: Vec<NodeIndex> = Vec::new();
    let mut depth = 0u32;
    'outer: while !frontier.is_empty() && depth < opts.max_depth {
        next.clear();
        for &i in &frontier {
            let Some(cur) = visits.get(&i).copied() else { continue };
            let node_kind = graph.node_at(i).kind;
            // Backwards: dependents of i.
            for (e, j) in graph.neighbors_raw(i, Direction::Incoming) {
                let edge = graph.edge_at(e);
                let k = edge.kind;
                let follow = match k {
                    EdgeKind::Contains => {
                        // Up from a file to its package.
                        node_kind == NodeKind::File && graph.node_at(j).kind == NodeKind::Package
                    }
                    EdgeKind::Exposes | EdgeKind::Publishes => false,
                    _ => IMPACT_KINDS.contains(&k),
                };
                if !follow || !ok(k) {
                    continue;
                }
                if step(
                    &mut visits,
                    &mut order,
                    &mut next,
                    &mut links,
                    (i, j, e, false),
                    cur,
                    edge.prov.origin.confidence(),
                    opts,
                ) {
                    truncated = true;
                    break 'outer;
                }
            }
            // A changed symbol impacts the modules importing its file (reduced
            // confidence), unless the importer's calls into that file are known
            // and none reaches the symbol: then it uses the file, not this.
            if node_kind == NodeKind::Symbol && ok(EdgeKind::Imports) {
                if let Some(file) = declaring_file(graph, i) {
                    for (e, j) in graph.neighbors_raw(file, Direction::Incoming) {
                        let edge = graph.edge_at(e);
                        if edge.kind != EdgeKind::Imports || j == i {
                            continue;
                        }
                        if calls_file_but_not(graph, j, file, i) {
                            continue;
                        }
                        let conf = edge.prov.origin.confidence() * IMPORT_LIFT;
                        if step(&mut visits, &mut order, &mut next, &mut links, (i, j, e, false), cur, conf, opts) {
                            truncated = true;
                            break 'outer;
                        }
                    }
                }
            }
            // Forwards: structural lifts.
            for (e, j) in graph.neighbors_raw(i, Direction::Outgoing) {
                let edge = graph.edge_at(e);
                let k = edge.kind;
                let follow = match k {
                    EdgeKind::Exposes | EdgeKind::Publishes => true,
                    EdgeKind::Contains => whole.contains(&i),
                    _ => false,
                };
                if !follow || !ok(k) {
                    continue;
                }
                if k == EdgeKind::Contains {
                    whole.insert(j);
                }
                if step(
                    &mut visits,
                    &mut order,
                    &mut next,
                    &mut links,
                    (i, j, e, true),
                    cur,
                    edge.prov.origin.confidence(),
                    opts,
                ) {
                    truncated = true;
                    break 'outer;
                }
            }
        }
        std::mem::swap(&mut frontier, &mut next);
        depth += 1;
    }
    Traversal { visits, order, links, truncated }
}

/// Confidence factor of the lift from a changed symbol to the importers of its file.
pub const IMPORT_LIFT: f32 = 0.7;

/// The File node that (transitively, at most 3 levels) contains symbol `i`.
/// Whether code in `importer` (a file) has resolved calls into `file` and
/// none of them reaches `symbol` (or a symbol inside it).
fn calls_file_but_not(graph: &Graph, importer: NodeIndex, file: NodeIndex, symbol: NodeIndex) -> bool {
    let mut into_file = false;
    let mut stack = vec![importer];
    let mut seen = 0usize;
    while let Some(cur) = stack.pop() {
        seen += 1;
        if seen > 10_000 {
            return false; // too big to tell: keep the import
        }
        for (e, j) in graph.neighbors_raw(cur, Direction::Outgoing) {
            match graph.edge_at(e).kind {
                EdgeKind::Contains if graph.node_at(j).kind == NodeKind::Symbol => stack.push(j),
                EdgeKind::Calls if declaring_file(graph, j) == Some(file) => {
                    if j == symbol || declaring_symbols(graph, j).any(|s| s == symbol) {
                        return false;
                    }
                    into_file = true;
                }
                _ => {}
            }
        }
    }
    into_file
}

/// The symbols containing `i`, innermost first.
fn declaring_symbols(graph: &Graph, i: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
    std::iter::successors(Some(i), move |cur| {
        graph
            .neighbors_raw(*cur, Direction::Incoming)
            .find(|(e, p)| graph.edge_at(*e).kind == EdgeKind::Contains && graph.node_at(*p).kind == NodeKind::Symbol)
            .map(|(_, p)| p)
    })
    .skip(1)
    .take(8)
}

fn declaring_file(graph: &Graph, i: NodeIndex) -> Option<NodeIndex> {
    let mut cur = i;
    for _ in 0..3 {
        let parent = graph.neighbors_raw(cur, Direction::Incoming).find(|(e, p)| {
            graph.edge_at(*e).kind == EdgeKind::Contains
                && matches!(graph.node_at(*p).kind, NodeKind::File | NodeKind::Symbol)
        });
        let (_, p) = parent?;
        if graph.node_at(p).kind == NodeKind::File {
            return Some(p);
        }
        cur = p;
    }
    None
}

/// Records reaching `j` from `i`; returns `true` when the result cap is hit.
#[allow(clippy::too_many_arguments)]
fn step(
    visits: &mut IdxMap<Visit>,
    order: &mut Vec<NodeIndex>,
    next: &mut Vec<NodeIndex>,
    links: &mut Vec<(NodeIndex, NodeIndex)>,
    (i, j, e, forward): (NodeIndex, NodeIndex, EdgeIndex, bool),
    cur: Visit,
    edge_conf: f32,
    opts: &ImpactOptions,
) -> bool {
    if i == j {
        return false;
    }
    let conf = cur.conf * edge_conf;
    if conf < opts.min_confidence {
        return false;
    }
    let depth = cur.depth + 1;
    if links.len() < MAX_LINKS {
        links.push((i, j));
    }
    match visits.get_mut(&j) {
        Some(v) => {
            if v.depth == depth && conf > v.conf {
                v.conf = conf;
                v.parent = Some((i, e, forward));
            }
            false
        }
        None => {
            if order.len() >= opts.max_results {
                return true;
            }
            visits.insert(j, Visit { depth, conf, parent: Some((i, e, forward)) });
            order.push(j);
            next.push(j);
            false
        }
    }
}

fn chain(graph: &Graph, visits: &IdxMap<Visit>, i: NodeIndex) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut cur = i;
    while let Some((p, e, forward)) = visits.get(&cur).and_then(|v| v.parent) {
        let edge = graph.edge_at(e);
        hops.push(Hop {
            from: graph.node_at(p).id.clone(),
            edge: edge.kind,
            to: graph.node_at(cur).id.clone(),
            forward,
            evidence: Evidence::new(graph, &edge.prov),
        });
        cur = p;
        if hops.len() > 64 {
            break;
        }
    }
    hops.reverse();
    hops
}

// ---------------------------------------------------------------- sections

type OwnersSection = (Vec<OwnerReview>, Vec<NodeId>, Vec<NodeId>);

fn owners_section(graph: &Graph, touched: &[NodeId]) -> OwnersSection {
    let mut by_owner: BTreeMap<NodeId, OwnerReview> = BTreeMap::new();
    let mut unowned = Vec::new();
    let mut owned_by: Vec<(NodeId, Vec<NodeId>)> = Vec::new();
    for id in touched {
        let owners = owners_of(graph, id);
        if owners.is_empty() {
            unowned.push(id.clone());
            continue;
        }
        owned_by.push((id.clone(), owners.iter().map(|o| o.owner.clone()).collect()));
        for o in owners {
            let entry = by_owner.entry(o.owner.clone()).or_insert_with(|| OwnerReview {
                owner: o.owner.clone(),
                name: o.name.clone(),
                entities: Vec::new(),
                rules: Vec::new(),
                evidence: Vec::new(),
            });
            entry.entities.push(id.clone());
            if let Some(r) = o.rule {
                if !entry.rules.contains(&r) {
                    entry.rules.push(r);
                }
            }
            if !entry.evidence.contains(&o.evidence) && entry.evidence.len() < 8 {
                entry.evidence.push(o.evidence);
            }
        }
    }
    // Greedy set cover: the owner covering most uncovered entities, ties by id.
    let mut uncovered: BTreeSet<usize> = (0..owned_by.len()).collect();
    let mut reviewers = Vec::new();
    while !uncovered.is_empty() {
        let mut best: Option<(&NodeId, usize)> = None;
        for o in by_owner.keys() {
            let c = uncovered.iter().filter(|k| owned_by[**k].1.contains(o)).count();
            if c > 0 && best.is_none_or(|(_, bc)| c > bc) {
                best = Some((o, c));
            }
        }
        let Some((o, _)) = best else { break };
        uncovered.retain(|k| !owned_by[*k].1.contains(o));
        reviewers.push(o.clone());
    }
    (by_owner.into_values().collect(), reviewers, unowned)
}

fn tests_section(graph: &Graph, touched: &[NodeId], reached: &[(NodeIndex, String)]) -> Vec<RepoTests> {
    let mut found: BTreeMap<NodeId, TestToRun> = BTreeMap::new();
    let mut add = |n: &Node, reason: String| {
        found.entry(n.id.clone()).or_insert_with(|| TestToRun {
            id: n.id.clone(),
            name: n.name.clone(),
            path: n.prov.path.to_string(),
            reason,
        });
    };
    for (i, reason) in reached {
        add(graph.node_at(*i), reason.clone());
    }
    for id in touched {
        let Some(node) = graph.node(id) else { continue };
        if node.kind == NodeKind::Test {
            add(node, "changed".into());
            continue;
        }
        for e in graph.incoming(id) {
            let is_test_file = e.other.kind == NodeKind::File && e.other.attr(attr::TEST) == Some("true");
            if matches!(e.edge.kind, EdgeKind::Tests | EdgeKind::Calls | EdgeKind::Imports)
                && (e.other.kind == NodeKind::Test || is_test_file)
            {
                add(e.other, format!("{} {}", e.edge.kind, node.name));
            }
        }
    }
    let mut by_repo: BTreeMap<String, Vec<TestToRun>> = BTreeMap::new();
    for (id, t) in found {
        let repo = graph.node(&id).map(|n| n.prov.repo.to_string()).unwrap_or_default();
        by_repo.entry(repo.to_string()).or_default().push(t);
    }
    by_repo.into_iter().map(|(repo, tests)| RepoTests { repo, tests }).collect()
}

fn boundaries(graph: &Graph, trav: &Traversal, eff: &IdxMap<&str>) -> Vec<Boundary> {
    let mut out: Vec<Boundary> = Vec::new();
    for &i in &trav.order {
        let Some((p, e, _)) = trav.visits.get(&i).and_then(|v| v.parent) else { continue };
        let (near, far) = (graph.node_at(p), graph.node_at(i));
        let edge = graph.edge_at(e);
        let (near_repo, far_repo) = (eff.get(&p).copied().unwrap_or(""), eff.get(&i).copied().unwrap_or(""));
        let b = if is_contract_kind(near.kind) && !is_contract_kind(far.kind) {
            // Leaving the contract: the producer is the nearest non-contract ancestor.
            let mut prod = None;
            let mut cur = p;
            while let Some((pp, _, _)) = trav.visits.get(&cur).and_then(|v| v.parent) {
                if !is_contract_kind(graph.node_at(pp).kind) {
                    prod = Some(pp);
                    break;
                }
                cur = pp;
            }
            // No producing code on the chain (the contract itself changed): the
            // code that exposes or publishes it, else the contract itself.
            let prod = prod
                .or_else(|| {
                    graph
                        .neighbors_raw(p, Direction::Incoming)
                        .filter(|(e, _)| matches!(graph.edge_at(*e).kind, EdgeKind::Exposes | EdgeKind::Publishes))
                        .map(|(_, j)| j)
                        .min_by(|a, b| graph.node_at(*a).id.cmp(&graph.node_at(*b).id))
                })
                .unwrap_or(p);
            Some(Boundary {
                contract: near.id.clone(),
                contract_kind: near.kind,
                producer: graph.node_at(prod).id.clone(),
                producer_repo: eff.get(&prod).copied().unwrap_or(graph.node_at(prod).prov.repo.as_str()).to_string(),
                consumer: far.id.clone(),
                consumer_repo: far_repo.to_string(),
                edge: edge.kind,
            })
        } else if !is_contract_kind(near.kind)
            && !is_contract_kind(far.kind)
            && !near_repo.is_empty()
            && !far_repo.is_empty()
            && near_repo != far_repo
        {
            Some(Boundary {
                contract: near.id.clone(),
                contract_kind: near.kind,
                producer: near.id.clone(),
                producer_repo: near_repo.to_string(),
                consumer: far.id.clone(),
                consumer_repo: far_repo.to_string(),
                edge: edge.kind,
            })
        } else {
            None
        };
        if let Some(b) = b {
            if !out.contains(&b) {
                out.push(b);
            }
        }
    }
    out
}

fn rollout(graph: &Graph, trav: &Traversal, eff: &IdxMap<&str>, seed_repos: &BTreeSet<&str>) -> Rollout {
    let mut repos: BTreeSet<String> = seed_repos.iter().map(|s| s.to_string()).collect();
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    for &i in &trav.order {
        if graph.node_at(i).kind == NodeKind::Test {
            continue;
        }
        let r = eff.get(&i).copied().unwrap_or("");
        if r.is_empty() {
            continue;
        }
        repos.insert(r.to_string());
    }
    for &(p, i) in &trav.links {
        if graph.node_at(i).kind == NodeKind::Test {
            continue;
        }
        let (pr, r) = (eff.get(&p).copied().unwrap_or(""), eff.get(&i).copied().unwrap_or(""));
        if !pr.is_empty() && !r.is_empty() && pr != r {
            edges.insert((pr.to_string(), r.to_string()));
        }
    }
    if repos.is_empty() {
        return Rollout::default();
    }
    // Cycles: strongly connected components of the repo graph.
    let mut g: petgraph::graph::DiGraph<&str, ()> = petgraph::graph::DiGraph::new();
    let idx: BTreeMap<&str, NodeIndex> = repos.iter().map(|r| (r.as_str(), g.add_node(r.as_str()))).collect();
    for (a, b) in &edges {
        if let (Some(&x), Some(&y)) = (idx.get(a.as_str()), idx.get(b.as_str())) {
            g.add_edge(x, y, ());
        }
    }
    let mut cycles: Vec<Vec<String>> = petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut v: Vec<String> = c.iter().map(|i| g[*i].to_string()).collect();
            v.sort();
            v
        })
        .collect();
    cycles.sort();
    let in_cycle: BTreeSet<&str> = cycles.iter().flatten().map(String::as_str).collect();
    // Kahn's algorithm; ready repos ordered changed-side first, then by name.
    let mut indeg: BTreeMap<&str, usize> = repos.iter().map(|r| (r.as_str(), 0)).collect();
    for (_, b) in &edges {
        if let Some(d) = indeg.get_mut(b.as_str()) {
            *d += 1;
        }
    }
    let key = |r: &str| (!seed_repos.contains(r), r.to_string());
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut steps = Vec::new();
    let mut remaining: Vec<&str> = repos.iter().map(String::as_str).collect();
    while !remaining.is_empty() {
        let mut ready: Vec<&str> = remaining.iter().copied().filter(|r| indeg.get(r).copied() == Some(0)).collect();
        if ready.is_empty() {
            // A cycle: release the best-ranked remaining repo.
            remaining.sort_by_key(|r| key(r));
            ready.push(remaining[0]);
        }
        ready.sort_by_key(|r| key(r));
        let r = ready[0];
        remaining.retain(|x| *x != r);
        done.insert(r);
        for (a, b) in &edges {
            if a == r {
                if let Some(d) = indeg.get_mut(b.as_str()) {
                    *d = d.saturating_sub(1);
                }
            }
        }
        let after: Vec<String> = edges.iter().filter(|(_, b)| b == r).map(|(a, _)| a.clone()).collect();
        steps.push(RolloutStep { repo: r.to_string(), after, in_cycle: in_cycle.contains(r) });
        if let Some(d) = indeg.get_mut(r) {
            *d = usize::MAX / 2;
        }
    }
    Rollout { steps, cycles }
}

fn is_infra_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let file = p.rsplit('/').next().unwrap_or(&p);
    file.starts_with("docker-compose")
        || file.starts_with("compose.")
        || file == "dockerfile"
        || p.contains("k8s/")
        || p.contains("kubernetes/")
        || p.contains("helm/")
        || p.starts_with(".github/workflows/")
        || file == ".gitlab-ci.yml"
        || p.ends_with(".tf")
}

fn is_data_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.contains("migration") || p.ends_with(".sql") || p.contains("schema") || p.ends_with(".proto")
}

fn lane(
    graph: &Graph,
    seeds: &[(NodeIndex, bool)],
    impacted: &[Impacted],
    repos: &BTreeSet<&str>,
    boundaries: &[Boundary],
) -> (Lane, Vec<String>) {
    let mut reasons = Vec::new();
    if repos.len() > 1 {
        let v: Vec<&str> = repos.iter().copied().collect();
        reasons.push(format!("reaches {} repos: {}", v.len(), v.join(", ")));
    }
    if let Some(b) = boundaries.first() {
        reasons.push(format!(
            "crosses {} contract boundar{} (e.g. {})",
            boundaries.len(),
            if boundaries.len() == 1 { "y" } else { "ies" },
            b.contract
        ));
    }
    let seed_nodes = seeds.iter().map(|(i, _)| graph.node_at(*i));
    let mut infra = BTreeSet::new();
    let mut data = BTreeSet::new();
    for n in seed_nodes {
        if matches!(n.kind, NodeKind::Service | NodeKind::CiJob) || is_infra_path(&n.prov.path) {
            infra.insert(n.id.to_string());
        }
        if matches!(n.kind, NodeKind::DataType | NodeKind::Field) || is_data_path(&n.prov.path) {
            data.insert(n.id.to_string());
        }
    }
    for i in impacted {
        if matches!(i.entity.kind, NodeKind::Field | NodeKind::DataType) && i.depth <= 1 {
            data.insert(i.entity.id.to_string());
        }
    }
    if let Some(x) = infra.iter().next() {
        reasons.push(format!("touches infrastructure ({x})"));
    }
    if let Some(x) = data.iter().next() {
        reasons.push(format!("touches data shapes ({x})"));
    }
    let lane = if reasons.is_empty() { Lane::Fast } else { Lane::Full };
    if reasons.is_empty() {
        reasons.push("one repo, no contract, infra or data change".into());
    }
    (lane, reasons)
}

// ---------------------------------------------------------------- mermaid

fn mermaid_label(s: &str) -> String {
    let s = crate::common::short(s, 32);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '|' => out.push_str("#124;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            c => out.push(c),
        }
    }
    out
}

fn mermaid(
    graph: &Graph,
    trav: &Traversal,
    seeds: &[(NodeIndex, bool)],
    eff: &IdxMap<&str>,
    max_nodes: usize,
) -> String {
    let shown: Vec<NodeIndex> = trav.order.iter().copied().take(max_nodes.max(1)).collect();
    let pos: IdxMap<usize> = shown.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let mut by_repo: BTreeMap<&str, Vec<NodeIndex>> = BTreeMap::new();
    for i in &shown {
        by_repo.entry(eff.get(i).copied().unwrap_or("")).or_default().push(*i);
    }
    let mut out = String::from("graph LR\n");
    for (ri, (repo, nodes)) in by_repo.iter().enumerate() {
        let indent = if repo.is_empty() { "  " } else { "    " };
        if !repo.is_empty() {
            out.push_str(&format!("  subgraph r{ri}[\"{}\"]\n", mermaid_label(repo)));
        }
        for i in nodes {
            let n = graph.node_at(*i);
            let class = if seeds.iter().any(|(s, _)| s == i) { ":::changed" } else { "" };
            out.push_str(&format!("{indent}n{}[\"{}: {}\"]{class}\n", pos[i], n.kind.as_str(), mermaid_label(&n.name)));
        }
        if !repo.is_empty() {
            out.push_str("  end\n");
        }
    }
    // Each arrow points the way its edge does, so it reads as its label says
    // ("fetchOrder reads_field created_at"), whichever way the impact travelled it.
    for i in &shown {
        if let Some((p, e, forward)) = trav.visits.get(i).and_then(|v| v.parent) {
            if let Some(pp) = pos.get(&p) {
                let (from, to) = if forward { (*pp, pos[i]) } else { (pos[i], *pp) };
                out.push_str(&format!("  n{from} -->|{}| n{to}\n", graph.edge_at(e).kind));
            }
        }
    }
    if trav.order.len() > shown.len() {
        out.push_str(&format!("  more[\"… {} more\"]\n", trav.order.len() - shown.len()));
    }
    out.push_str("  classDef changed fill:#fde2e1,stroke:#c0392b\n");
    out
}

// ---------------------------------------------------------------- text

/// The blast radius as a terminal reads it at any size: the verdict first (lane, review, counts),
/// then impacted entities grouped by repo and service with counts and the nearest `per_group`
/// of each, and every other list cut at `per_group` lines with what was left out counted.
/// [`render_text`] is the whole answer.
pub fn render_summary(b: &BlastRadius, per_group: usize) -> String {
    use std::fmt::Write as _;
    let per_group = per_group.max(1);
    let mut s = String::new();
    let more = |n: usize| if n > per_group { format!(" (+{} more)", n - per_group) } else { String::new() };
    let _ = writeln!(s, "Lane: {:?} ({})", b.lane, b.lane_reasons.join("; "));
    let _ = writeln!(s, "Review: {}", b.review.level.as_str());
    s.push_str("Changed:\n");
    for m in &b.mappings {
        let ids: Vec<&str> = m.entities.iter().take(per_group).map(NodeId::as_str).collect();
        let _ = writeln!(s, "  {} -> {:?}: {}{}", m.input, m.mapped_by, ids.join(", "), more(m.entities.len()));
    }
    let direct = b.impacted.iter().filter(|i| i.direct).count();
    let _ = writeln!(
        s,
        "Impacted: {} entit{} ({direct} direct) in {} repo{}{}",
        b.impacted.len(),
        if b.impacted.len() == 1 { "y" } else { "ies" },
        b.by_repo.len(),
        if b.by_repo.len() == 1 { "" } else { "s" },
        if b.truncated { ", traversal truncated" } else { "" }
    );
    // repo -> service (or, where no service is known, the folder two levels down) -> entities.
    let mut groups: BTreeMap<&str, BTreeMap<String, Vec<&Impacted>>> = BTreeMap::new();
    for i in &b.impacted {
        let group = match &i.service {
            Some(svc) => svc.as_str().to_string(),
            None => {
                let dirs: Vec<&str> = i.entity.path.split('/').collect();
                let folder = dirs[..dirs.len().saturating_sub(1).min(2)].join("/");
                format!("(no service) {}/", folder)
            }
        };
        groups.entry(i.entity.repo.as_str()).or_default().entry(group).or_default().push(i);
    }
    for (repo, services) in &groups {
        let n: usize = services.values().map(Vec::len).sum();
        let _ = writeln!(s, "  {} ({n})", if repo.is_empty() { "(no repo)" } else { repo });
        let mut services: Vec<(&String, &Vec<&Impacted>)> = services.iter().collect();
        services.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(b.0)));
        for (service, items) in services {
            let mut items = items.clone();
            items.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.entity.id.cmp(&b.entity.id)));
            let _ = writeln!(s, "    {service} ({})", items.len());
            for i in items.iter().take(per_group) {
                let _ = writeln!(s, "      {} [{}] depth {}", i.entity.id, i.entity.kind.as_str(), i.depth);
            }
            if items.len() > per_group {
                let _ = writeln!(s, "      … {} more", items.len() - per_group);
            }
        }
    }
    if !b.boundaries.is_empty() {
        let _ = writeln!(s, "Contract boundaries ({}):", b.boundaries.len());
        for c in b.boundaries.iter().take(per_group) {
            let _ = writeln!(
                s,
                "  {} ({}): {} -> {} [{}]",
                c.contract, c.contract_kind, c.producer_repo, c.consumer, c.consumer_repo
            );
        }
        if b.boundaries.len() > per_group {
            let _ = writeln!(s, "  … {} more", b.boundaries.len() - per_group);
        }
    }
    let reviewers: Vec<&str> = b.reviewers.iter().take(per_group).map(NodeId::as_str).collect();
    let _ = writeln!(s, "Reviewers: {}{}", reviewers.join(", "), more(b.reviewers.len()));
    let tests: Vec<(&str, &TestToRun)> =
        b.tests.iter().flat_map(|r| r.tests.iter().map(move |t| (r.repo.as_str(), t))).collect();
    if !tests.is_empty() {
        let _ = writeln!(s, "Tests ({}):", tests.len());
        for (repo, t) in tests.iter().take(per_group) {
            let _ = writeln!(s, "  {repo} {} ({})", t.name, t.path);
        }
        if tests.len() > per_group {
            let _ = writeln!(s, "  … {} more", tests.len() - per_group);
        }
    }
    for d in b.decisions.iter().take(per_group) {
        let _ = writeln!(s, "Decision: {} [{}] {}", d.title, d.status, d.id);
    }
    for f in b.failures.iter().take(per_group) {
        let _ = writeln!(s, "Failure: {} {}", f.title, f.id);
    }
    for l in b.lessons.iter().take(per_group) {
        let _ = writeln!(
            s,
            "Lesson{}: {} {}",
            if l.stale { " (stale)" } else { "" },
            crate::common::short(&l.text, 80),
            l.id
        );
    }
    if !b.rollout.steps.is_empty() {
        let steps: Vec<&str> = b.rollout.steps.iter().map(|st| st.repo.as_str()).collect();
        let _ = writeln!(s, "Rollout: {}", steps.join(" -> "));
    }
    s
}

/// A plain-text rendering for people (the CLI prints it; tests snapshot it).
pub fn render_text(b: &BlastRadius) -> String {
    let mut s = String::new();
    s.push_str("Changed:\n");
    for m in &b.mappings {
        s.push_str(&format!(
            "  {} -> {:?}: {}\n",
            m.input,
            m.mapped_by,
            m.entities.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    s.push_str(&format!("Impacted ({}{}):\n", b.impacted.len(), if b.truncated { ", truncated" } else { "" }));
    for i in &b.impacted {
        s.push_str(&format!(
            "  [{}] {} {} (depth {}, conf {:.2})\n",
            if i.direct { "direct" } else { "transitive" },
            i.entity.kind.as_str(),
            i.entity.id,
            i.depth,
            i.confidence
        ));
        for h in &i.why {
            s.push_str(&format!("      {} @ {}\n", h.render(), h.evidence.location()));
        }
    }
    s.push_str("By repo:\n");
    for r in &b.by_repo {
        s.push_str(&format!("  {} @{}\n", r.repo, r.commit.as_deref().unwrap_or("?")));
        for g in &r.services {
            s.push_str(&format!(
                "    {}: {}\n",
                g.service.as_ref().map_or("(no service)", |x| x.as_str()),
                g.entities.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    s.push_str(&format!("Reviewers: {}\n", b.reviewers.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")));
    for o in &b.owners {
        s.push_str(&format!("  {} owns {} [{}]\n", o.name, o.entities.len(), o.rules.join(", ")));
    }
    s.push_str("Tests:\n");
    for r in &b.tests {
        for t in &r.tests {
            s.push_str(&format!("  {} {} ({}) — {}\n", r.repo, t.name, t.path, t.reason));
        }
    }
    for d in &b.decisions {
        s.push_str(&format!("Decision: {} [{}] {}\n", d.title, d.status, d.id));
    }
    for f in &b.failures {
        s.push_str(&format!("Failure: {} {}\n", f.title, f.id));
    }
    for l in &b.lessons {
        s.push_str(&format!(
            "Lesson{}: {} {}\n",
            if l.stale { " (stale)" } else { "" },
            crate::common::short(&l.text, 80),
            l.id
        ));
    }
    for c in &b.boundaries {
        s.push_str(&format!(
            "Boundary: {} ({}) {} [{}] -> {} [{}] via {}\n",
            c.contract, c.contract_kind, c.producer, c.producer_repo, c.consumer, c.consumer_repo, c.edge
        ));
    }
    s.push_str("Rollout:\n");
    for (k, st) in b.rollout.steps.iter().enumerate() {
        s.push_str(&format!(
            "  {}. {}{}{}\n",
            k + 1,
            st.repo,
            if st.after.is_empty() { String::new() } else { format!(" (after {})", st.after.join(", ")) },
            if st.in_cycle { " [cycle]" } else { "" }
        ));
    }
    for c in &b.rollout.cycles {
        s.push_str(&format!("  cycle: {}\n", c.join(" <-> ")));
    }
    s.push_str(&format!("Lane: {:?} ({})\n", b.lane, b.lane_reasons.join("; ")));
    s.push_str(&format!("Review: {}\n", b.review.level.as_str()));
    for m in &b.review.matches {
        s.push_str(&format!("  {} -> {} ({})\n", m.entity, m.level.as_str(), m.rule_name));
    }
    s
}
