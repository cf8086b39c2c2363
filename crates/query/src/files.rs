//! The packet's ranked file list: one fused ranking of the files a task
//! touches, from three independent signals.
//!
//! - **lexical**: the caller's file retriever (BM25F over path and content,
//!   identifiers kept whole, the subject's scope on the path), best first;
//! - **graph**: the packet's own items added up per file (the best item of a
//!   file counts fully, the next half, the next a quarter: a file whose
//!   several symbols the graph ranks beats one lucky symbol);
//! - **history**: past changes whose message resembles the intent vote for
//!   the files they touched, `score / files touched` each, so a sweeping
//!   commit says little about any one file.
//!
//! The signals are fused by weighted reciprocal rank ([`FUSION`]): a file's
//! score is `Σ weight / (k + rank)` over the signals that rank it. The best
//! files then lend a share of their score to their companions (co-change
//! partners and test twins, [`crate::companions`]), which the intent's words
//! may not reach. Rank
//! fusion needs no common scale between BM25 scores, PageRank mass and
//! votes, and a file strong in one signal is never buried by the others, so
//! the list is never much worse than its best part. Files that are not
//! context are dropped (binaries and files too large to read); generated
//! files (lockfiles excepted) and vendored copies are kept but demoted
//! ([`DEMOTED`]) so the source they come from ranks first.
//!
//! Pure: the caller supplies the lexical hits and past changes.

use crate::companions::{companions, COMPANIONS};
use crate::packet::{NameIndex, PacketItem, Section};
use brain_graph::Graph;
use brain_model::{attr, NodeId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A file the caller's lexical retriever ranked for the intent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSearchHit {
    pub repo: String,
    pub path: String,
    pub score: f32,
}

/// A past change (a commit before the indexed one) whose message resembles
/// the intent, with the files it touched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PastChange {
    pub repo: String,
    pub sha: String,
    pub subject: String,
    pub score: f32,
    /// Repo-relative paths the change touched.
    pub files: Vec<String>,
}

/// Weights and rank constant of the fusion.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fusion {
    pub k: f32,
    pub lexical: f32,
    pub graph: f32,
    pub history: f32,
}

/// The fusion the packet uses. Chosen on the tune half of the retrieval
/// corpus (`eval/retrieval/corpus.toml`) only; see BENCHMARKS.md.
pub const FUSION: Fusion = Fusion { k: 10.0, lexical: 1.0, graph: 1.0, history: 1.5 };

/// Score factor of generated and vendored files.
pub const DEMOTED: f32 = 0.3;

/// Most files a packet lists before the budget cut.
pub const MAX_FILES: usize = 40;

/// One ranked file of a packet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PacketFile {
    pub repo: String,
    pub path: String,
    /// Fused score, 1.0 for the best file.
    pub score: f32,
    /// Why it ranks, for people: each signal that ranks it, strongest first.
    pub why: String,
    /// The packet's items in this file (ids), best first.
    pub entities: Vec<NodeId>,
    /// 1-based rank of the file in each signal, when it ranks there.
    pub lexical_rank: Option<u32>,
    pub graph_rank: Option<u32>,
    pub history_rank: Option<u32>,
}

type Key = (String, String);

/// Per-file graph evidence from the packet's items: the best item of a
/// file counts fully, the second half, the third a quarter. Best first.
pub fn graph_file_scores(items: &[PacketItem]) -> Vec<(Key, f32, Vec<NodeId>)> {
    let mut per: BTreeMap<Key, Vec<(f32, NodeId)>> = BTreeMap::new();
    for it in items {
        let counts = matches!(
            it.section,
            Section::Code | Section::Contracts | Section::Tests | Section::Decisions | Section::Failures
        );
        if !counts || it.evidence.path.is_empty() || !it.score.is_finite() {
            continue;
        }
        per.entry((it.evidence.repo.clone(), it.evidence.path.clone())).or_default().push((it.score, it.id.clone()));
    }
    let mut out: Vec<(Key, f32, Vec<NodeId>)> = per
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.1.cmp(&b.1)));
            let s = v.iter().take(3).zip([1.0, 0.5, 0.25]).map(|((s, _), w)| s * w).sum();
            (k, s, v.into_iter().map(|(_, id)| id).collect())
        })
        .collect();
    sort_desc(&mut out, |x| x.1, |x| &x.0);
    out
}

/// History votes per file: `Σ score / |files touched|` over the past changes
/// that touched it. Best first.
pub fn history_file_scores(past: &[PastChange]) -> Vec<(Key, f32, Vec<usize>)> {
    let mut per: HashMap<Key, (f32, Vec<usize>)> = HashMap::new();
    for (k, c) in past.iter().enumerate() {
        if !c.score.is_finite() || c.score <= 0.0 || c.files.is_empty() {
            continue;
        }
        let share = c.score / c.files.len() as f32;
        for p in &c.files {
            let e = per.entry((c.repo.clone(), p.clone())).or_default();
            e.0 += share;
            e.1.push(k);
        }
    }
    let mut out: Vec<(Key, f32, Vec<usize>)> = per.into_iter().map(|(k, (s, v))| (k, s, v)).collect();
    sort_desc(&mut out, |x| x.1, |x| &x.0);
    out
}

fn sort_desc<T>(v: &mut [T], score: impl Fn(&T) -> f32, key: impl Fn(&T) -> &Key) {
    v.sort_by(|a, b| {
        score(b).partial_cmp(&score(a)).unwrap_or(std::cmp::Ordering::Equal).then_with(|| key(a).cmp(key(b)))
    });
}

/// Whether a path is a vendored or third-party copy.
fn vendored(path: &str) -> bool {
    path.split('/').any(|seg| matches!(seg, "vendor" | "third_party" | "third-party" | "node_modules" | "external"))
}

/// Whether a path is a dependency lockfile: generated, but the one place a
/// resolved version lives, so it is not demoted with generated code.
fn lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "Cargo.lock"
            | "package-lock.json"
            | "yarn.lock"
            | "pnpm-lock.yaml"
            | "poetry.lock"
            | "uv.lock"
            | "Pipfile.lock"
            | "go.sum"
            | "Gemfile.lock"
            | "composer.lock"
            | "packages.lock.json"
            | "gradle.lockfile"
            | "bun.lock"
    )
}

/// Whether a file ranks [`DEMOTED`]: generated (lockfiles excepted) or vendored.
fn demoted(graph: &Graph, repo: &str, path: &str) -> bool {
    let generated = !lockfile(path)
        && graph.node(&NodeId::file(repo, path)).is_some_and(|n| n.attr(attr::GENERATED) == Some("true"));
    generated || vendored(path)
}

/// The fused file ranking (see the module docs), at most [`MAX_FILES`].
pub fn rank_files(
    graph: &Graph,
    names: Option<&NameIndex>,
    items: &[PacketItem],
    lexical: &[FileSearchHit],
    past: &[PastChange],
    fusion: Fusion,
) -> Vec<PacketFile> {
    #[derive(Default)]
    struct Acc {
        score: f32,
        lexical: Option<u32>,
        graph: Option<u32>,
        history: Option<u32>,
        entities: Vec<NodeId>,
        commits: Vec<usize>,
        demoted: bool,
        /// Why a companion of a better-ranked file was lent score.
        companion: Option<String>,
    }
    let mut acc: BTreeMap<Key, Acc> = BTreeMap::new();
    let rank_of = |k: usize| u32::try_from(k + 1).unwrap_or(u32::MAX);
    let rrf = |w: f32, rank: u32| w / (fusion.k + rank as f32);
    let mut lex: Vec<&FileSearchHit> = lexical.iter().filter(|h| h.score.is_finite()).collect();
    lex.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| (&a.repo, &a.path).cmp(&(&b.repo, &b.path)))
    });
    // Only files the graph holds as text now: a past change may name a file
    // since deleted, and binaries are never context. Ranks count held files only.
    let held =
        |repo: &str, path: &str| graph.node(&NodeId::file(repo, path)).is_some_and(|n| n.attr("skipped").is_none());
    let mut seen = std::collections::BTreeSet::new();
    for h in lex.into_iter().filter(|h| held(&h.repo, &h.path)) {
        if !seen.insert((h.repo.clone(), h.path.clone())) {
            continue;
        }
        let r = rank_of(seen.len() - 1);
        let a = acc.entry((h.repo.clone(), h.path.clone())).or_default();
        a.lexical = Some(r);
        a.score += rrf(fusion.lexical, r);
    }
    let graph_files = graph_file_scores(items).into_iter().filter(|(k, _, _)| held(&k.0, &k.1));
    for (k, (key, _, ids)) in graph_files.enumerate() {
        let r = rank_of(k);
        let a = acc.entry(key).or_default();
        a.graph = Some(r);
        a.score += rrf(fusion.graph, r);
        a.entities = ids;
    }
    let history_files = history_file_scores(past).into_iter().filter(|(k, _, _)| held(&k.0, &k.1));
    for (k, (key, _, commits)) in history_files.enumerate() {
        let r = rank_of(k);
        let a = acc.entry(key).or_default();
        a.history = Some(r);
        a.score += rrf(fusion.history, r);
        a.commits = commits;
    }
    let mut files: Vec<(Key, Acc)> = acc
        .into_iter()
        .map(|((repo, path), mut a)| {
            if demoted(graph, &repo, &path) {
                a.score *= DEMOTED;
                a.demoted = true;
            }
            ((repo, path), a)
        })
        .collect();
    sort_desc(&mut files, |x| x.1.score, |x| &x.0);
    // Companions of the best files: co-change partners and test twins.
    let anchors: Vec<(Key, f32)> = files.iter().take(COMPANIONS.anchors).map(|(k, a)| (k.clone(), a.score)).collect();
    let lent = companions(graph, names, &anchors, COMPANIONS);
    if !lent.is_empty() {
        let mut by_key: BTreeMap<Key, Acc> = files.into_iter().collect();
        for (key, l) in lent {
            if !held(&key.0, &key.1) {
                continue;
            }
            let fresh = !by_key.contains_key(&key);
            let demote = if fresh { demoted(graph, &key.0, &key.1) } else { false };
            let a = by_key.entry(key).or_default();
            a.demoted |= demote;
            a.score += if a.demoted { l.score * DEMOTED } else { l.score };
            a.companion = Some(l.why);
        }
        files = by_key.into_iter().collect();
        sort_desc(&mut files, |x| x.1.score, |x| &x.0);
    }
    files.truncate(MAX_FILES);
    let top = files.first().map(|f| f.1.score).unwrap_or(1.0).max(f32::MIN_POSITIVE);
    files
        .into_iter()
        .map(|((repo, path), a)| {
            let mut why = Vec::new();
            if let Some(r) = a.graph {
                let names: Vec<String> = a
                    .entities
                    .iter()
                    .take(2)
                    .filter_map(|id| graph.node(id))
                    .filter(|n| n.kind != brain_model::NodeKind::File)
                    .map(|n| format!("`{}`", n.name))
                    .collect();
                if names.is_empty() {
                    why.push((r, format!("ranked #{r} by the graph")));
                } else {
                    why.push((r, format!("holds {} (graph #{r})", names.join(", "))));
                }
            }
            if let Some(r) = a.lexical {
                why.push((r, format!("text #{r}")));
            }
            if let Some(r) = a.history {
                let n = a.commits.len();
                let example = a.commits.first().and_then(|k| past.get(*k)).map(|c| {
                    format!(", e.g. {} \"{}\"", c.sha.get(..10).unwrap_or(&c.sha), crate::common::short(&c.subject, 48))
                });
                why.push((
                    r,
                    format!(
                        "changed in {n} similar past change{}{} (history #{r})",
                        if n == 1 { "" } else { "s" },
                        example.unwrap_or_default()
                    ),
                ));
            }
            why.sort_by_key(|w| w.0);
            let mut why: Vec<String> = why.into_iter().map(|w| w.1).collect();
            if let Some(c) = a.companion {
                why.push(c);
            }
            if a.demoted {
                why.push("demoted: generated or vendored".into());
            }
            PacketFile {
                repo,
                path,
                score: a.score / top,
                why: why.join("; "),
                entities: a.entities,
                lexical_rank: a.lexical,
                graph_rank: a.graph,
                history_rank: a.history,
            }
        })
        .collect()
}
