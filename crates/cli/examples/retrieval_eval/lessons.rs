//! Lesson replay (issue 14): are lessons shown when they matter, and only then?
//!
//! The most recent `--lesson-window` eligible commits of a repository (see
//! `history`) are replayed oldest first in one checkout and data dir of their
//! own. At each commit C:
//! 1. **Probe.** If lessons recorded earlier apply to a file C modifies or
//!    deletes (the *relevant* lessons), C's parent tree is ingested and a packet
//!    is asked with C's message, exactly as for retrieval. A lesson is *shown*
//!    when it is among the packet's items.
//! 2. **Record.** If C is a fix (`history::is_fix`), a lesson is recorded the
//!    way the `recordLesson` mutation records one (`brain_query::lesson_facts`,
//!    `Brain::put_record`): the text is C's message, it applies to what C
//!    changed as an agent would name it, and it is created at C's author
//!    time. What C changed is read the way `impact` reads a diff (`git diff
//!    -U0` of the files C modified, mapped on C's parent tree): the innermost
//!    entities whose spans its hunks touch, or the file when they touch none
//!    (`--lesson-on symbols`, the default); with `--lesson-on files`, the File
//!    entities of the files C modified.
//!
//! Replay stops after `--lesson-probes` probes; at most `--lesson-fixes` lessons
//! are recorded. Figures:
//! - **lesson recall**: over (relevant lesson, probe) pairs, the share shown;
//!   also the share shown among pairs where the packet's file list reached one
//!   of the lesson's files (misses there are ranking, not retrieval, misses);
//! - **lesson precision**: over all probes, the lessons shown that are
//!   relevant / all lessons shown;
//! - lessons shown per packet (median, max).
//!
//! With `--out`, each probe's line lists every recorded lesson as the packet
//! saw it (relevant, shown, best rank and fused score of its files, best item
//! score, its words), for studying the lesson ranking offline.

use anyhow::Result;
use brain_ingest::Brain;
use brain_model::{NodeId, NodeKind};
use brain_query as q;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use crate::corpus::{RepoSpec, Split};
use crate::history::{self, Commit};
use crate::{rank, tree, Args};

/// A lesson recorded during the replay.
struct Recorded {
    id: NodeId,
    /// The files the fix modified (relevance is judged on files).
    files: BTreeSet<String>,
    /// What the lesson applies to: the entities whose spans the fix's hunks
    /// touch (or the files, with `--lesson-on files`).
    entities: BTreeSet<NodeId>,
    /// Its words ([`q::learn::word_set`]), for `--out`.
    words: BTreeSet<String>,
    /// When it was recorded (the fix's author time), for `--out`.
    created: u64,
}

/// Counts over one replay (or a half).
#[derive(Clone, Default)]
struct LessonTally {
    fixes: usize,
    probes: usize,
    pairs: usize,
    pairs_shown: usize,
    pairs_reached: usize,
    pairs_reached_shown: usize,
    shown: usize,
    shown_relevant: usize,
    per_packet: Vec<usize>,
}

impl LessonTally {
    /// Adds another tally.
    fn merge(&mut self, o: &LessonTally) {
        self.fixes += o.fixes;
        self.probes += o.probes;
        self.pairs += o.pairs;
        self.pairs_shown += o.pairs_shown;
        self.pairs_reached += o.pairs_reached;
        self.pairs_reached_shown += o.pairs_reached_shown;
        self.shown += o.shown;
        self.shown_relevant += o.shown_relevant;
        self.per_packet.extend(&o.per_packet);
    }

    /// One markdown row.
    fn row(&self, label: &str) -> String {
        let ratio = |a: usize, b: usize| if b == 0 { "–".to_string() } else { format!("{:.3}", a as f64 / b as f64) };
        let mut sorted = self.per_packet.clone();
        sorted.sort_unstable();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
        let max = sorted.last().copied().unwrap_or(0);
        format!(
            "| {label} | {} | {} | {} | {} ({}/{}) | {} ({}/{}) | {} ({}/{}) | {median} / {max} |",
            self.fixes,
            self.probes,
            self.pairs,
            ratio(self.pairs_shown, self.pairs),
            self.pairs_shown,
            self.pairs,
            ratio(self.pairs_reached_shown, self.pairs_reached),
            self.pairs_reached_shown,
            self.pairs_reached,
            ratio(self.shown_relevant, self.shown),
            self.shown_relevant,
            self.shown,
        )
    }
}

/// Replays every repository and prints the table (held-out ones as totals only unless `--show-heldout`).
pub fn run(specs: &[RepoSpec], work: &Path, args: &Args, mut out: Option<&mut (dyn Write + 'static)>) -> Result<()> {
    let mut rows = Vec::new();
    let mut halves: BTreeMap<Split, LessonTally> = BTreeMap::new();
    for spec in specs {
        let visible = spec.split != Split::Heldout || args.show_heldout;
        let sink = if visible { out.as_deref_mut() } else { None };
        let t = replay(spec, work, args, sink)?;
        eprintln!("{}: {} fixes recorded, {} probes", spec.name, t.fixes, t.probes);
        if visible {
            rows.push(t.row(&format!("{} ({}, {})", spec.name, spec.language, spec.split.as_str())));
        }
        halves.entry(spec.split).or_default().merge(&t);
    }
    println!();
    println!(
        "| repository | lessons recorded | probes | relevant pairs | lesson recall | recall where the packet reached the file | lesson precision | shown per packet (median / max) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in rows {
        println!("{r}");
    }
    for (split, t) in &halves {
        println!("{}", t.row(&format!("**{} total**", split.as_str())));
    }
    Ok(())
}

/// Replays one repository (see the module docs).
fn replay(
    spec: &RepoSpec,
    work: &Path,
    args: &Args,
    mut out: Option<&mut (dyn Write + 'static)>,
) -> Result<LessonTally> {
    let log = history::first_parent_log(&spec.git_dir, &spec.head)?;
    let window: Vec<usize> = log
        .iter()
        .enumerate()
        .filter(|(_, c)| history::is_eligible(c, spec.selection.max_files))
        .map(|(i, _)| i)
        .take(args.lesson_window)
        .collect();
    let (checkout, data_dir) = crate::scratch_paths(work, &spec.name, "lessons");
    let mut tree = tree::Tree::new(&spec.git_dir, checkout);
    let repo = tree.repo_config(&spec.name);
    let brain =
        Brain::open(&data_dir, brain_stack::ingestors(), brain_stack::passes()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut lessons: Vec<Recorded> = Vec::new();
    let mut tally = LessonTally::default();
    for c in window.iter().rev().filter_map(|&i| log.get(i)) {
        if tally.probes >= args.lesson_probes {
            break;
        }
        let changed: BTreeSet<String> = c.changed().into_iter().collect();
        let relevant: BTreeSet<&NodeId> =
            lessons.iter().filter(|l| !l.files.is_disjoint(&changed)).map(|l| &l.id).collect();
        let fix = history::is_fix(c.subject()) && tally.fixes < args.lesson_fixes;
        if relevant.is_empty() && !fix {
            continue;
        }
        let Some(parent) = c.parent.as_deref() else { continue };
        let moved = tree.move_to(parent)?;
        tree::ingest(&brain, &repo, &moved, args.full_ingest)?;
        if !relevant.is_empty() {
            probe(&brain, spec, c, &lessons, &relevant, &mut tally, out.as_deref_mut())?;
        }
        if fix {
            if let Some(l) = record(&brain, spec, c, args.lesson_on == "files")? {
                lessons.push(l);
                tally.fixes += 1;
            }
        }
    }
    drop(brain);
    if !args.keep {
        tree.remove();
        let _ = std::fs::remove_dir_all(&data_dir);
    }
    Ok(tally)
}

/// Asks the packet for `c` and counts which lessons it shows.
fn probe(
    brain: &Brain,
    spec: &RepoSpec,
    c: &Commit,
    lessons: &[Recorded],
    relevant: &BTreeSet<&NodeId>,
    tally: &mut LessonTally,
    out: Option<&mut (dyn Write + 'static)>,
) -> Result<()> {
    let intent = history::intent_of(&c.message);
    let packet = rank::packet(brain, &spec.name, &intent, spec.selection.budget_tokens)?;
    let shown = rank::packet_lessons(&packet);
    let ranked_files = rank::packet_files(&packet, &spec.name);
    let files: BTreeSet<String> = ranked_files.iter().cloned().collect();
    tally.probes += 1;
    tally.per_packet.push(shown.len());
    tally.shown += shown.len();
    tally.shown_relevant += shown.iter().filter(|id| relevant.contains(id)).count();
    for l in lessons.iter().filter(|l| relevant.contains(&l.id)) {
        let is_shown = shown.contains(&l.id);
        tally.pairs += 1;
        tally.pairs_shown += usize::from(is_shown);
        if !l.files.is_disjoint(&files) {
            tally.pairs_reached += 1;
            tally.pairs_reached_shown += usize::from(is_shown);
        }
    }
    if let Some(w) = out {
        let line = json!({
            "repo": spec.name,
            "split": spec.split.as_str(),
            "sha": c.sha,
            "subject": c.subject(),
            "relevant": relevant.iter().map(|i| i.as_str()).collect::<Vec<_>>(),
            "shown": shown.iter().map(NodeId::as_str).collect::<Vec<_>>(),
            "time": c.time,
            "words": q::learn::word_set(&intent),
            "candidates": candidates(&packet, &ranked_files, lessons, relevant),
        });
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Every recorded lesson as the packet saw it, for tuning the lesson ranking
/// offline: whether it is relevant and shown, the best rank and fused score
/// of its files among the packet's files, the best score (over the top code
/// item's) of the items it applies to, and its words.
fn candidates(
    packet: &q::ContextPacket,
    ranked_files: &[String],
    lessons: &[Recorded],
    relevant: &BTreeSet<&NodeId>,
) -> Vec<serde_json::Value> {
    let top = packet
        .items
        .iter()
        .filter(|i| i.kind != NodeKind::Lesson)
        .map(|i| i.score)
        .fold(0.0f32, f32::max)
        .max(f32::MIN_POSITIVE);
    let item_score: BTreeMap<&NodeId, f32> =
        packet.items.iter().filter(|i| i.kind != NodeKind::Lesson).map(|i| (&i.id, i.score / top)).collect();
    let shown = rank::packet_lessons(packet);
    lessons
        .iter()
        .map(|l| {
            let file_rank = ranked_files.iter().position(|f| l.files.contains(f)).map(|r| r + 1);
            let file_score =
                packet.files.iter().filter(|f| l.files.contains(&f.path)).map(|f| f.score).fold(0.0f32, f32::max);
            let item = l.entities.iter().filter_map(|e| item_score.get(e)).fold(0.0f32, |a, b| a.max(*b));
            json!({
                "id": l.id.as_str(),
                "relevant": relevant.contains(&l.id),
                "shown": shown.contains(&l.id),
                "file_rank": file_rank,
                "file_score": file_score,
                "item_score": item,
                "entities": l.entities.len(),
                "words": l.words,
                "created": l.created,
            })
        })
        .collect()
}

/// Records the lesson of fix commit `c` on what it changed that the brain
/// holds (`None` when it holds none of the files it modified): the entities
/// whose spans its hunks touch, as `impact` maps a diff (a file whose hunks
/// touch no entity stands for itself), or the files with `--lesson-on files`.
fn record(brain: &Brain, spec: &RepoSpec, c: &Commit, on_files: bool) -> Result<Option<Recorded>> {
    let graph = brain.snapshot();
    let files: BTreeSet<String> = c
        .modified()
        .into_iter()
        .filter(|p| graph.node(&NodeId::file(&spec.name, p)).is_some_and(|n| n.kind == NodeKind::File))
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    let entities: BTreeSet<NodeId> = match (&c.parent, on_files) {
        (Some(parent), false) => {
            let mut args = vec!["diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", parent, &c.sha, "--"];
            args.extend(files.iter().map(String::as_str));
            let change = q::ChangeSet {
                diff: Some(q::DiffChange { repo: spec.name.clone(), text: history::git(&spec.git_dir, &args)? }),
                ..Default::default()
            };
            let opts = q::ImpactOptions { max_depth: 0, ..Default::default() };
            q::blast_radius(&graph, &change, &opts, &q::ReviewPolicy::default())
                .mappings
                .into_iter()
                .flat_map(|m| m.entities)
                .collect()
        }
        _ => files.iter().map(|p| NodeId::file(&spec.name, p)).collect(),
    };
    if entities.is_empty() {
        return Ok(None);
    }
    let text = history::intent_of(&c.message);
    let words = q::learn::word_set(&text);
    let input = q::LessonInput {
        text,
        applies_to: entities.iter().cloned().collect(),
        author: "replay".into(),
        tags: vec!["fix".into()],
        ..Default::default()
    };
    let facts = q::lesson_facts(&input, c.time);
    let Some(id) = facts.nodes.first().map(|n| n.id.clone()) else { return Ok(None) };
    brain.put_record(id.as_str(), facts).map_err(|e| anyhow::anyhow!("{e}"))?;
    tree::wait_relinked(brain)?;
    Ok(Some(Recorded { id, files, entities, words, created: c.time }))
}
