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
//!    `Brain::put_record`): the text is C's message, it applies to the File
//!    entities of the files C modified, and it is created at C's author time.
//!
//! Replay stops after `--lesson-probes` probes; at most `--lesson-fixes` lessons
//! are recorded. Figures:
//! - **lesson recall**: over (relevant lesson, probe) pairs, the share shown;
//!   also the share shown among pairs where the packet's file list reached one
//!   of the lesson's files (misses there are ranking, not retrieval, misses);
//! - **lesson precision**: over all probes, the lessons shown that are
//!   relevant / all lessons shown;
//! - lessons shown per packet (median, max).

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
    files: BTreeSet<String>,
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
            if let Some(l) = record(&brain, spec, c)? {
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
    let files: BTreeSet<String> = rank::packet_files(&packet, &spec.name).into_iter().collect();
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
        });
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Records the lesson of fix commit `c` on the files it modified that the
/// brain holds (`None` when it holds none of them).
fn record(brain: &Brain, spec: &RepoSpec, c: &Commit) -> Result<Option<Recorded>> {
    let graph = brain.snapshot();
    let files: BTreeSet<String> = c
        .modified()
        .into_iter()
        .filter(|p| graph.node(&NodeId::file(&spec.name, p)).is_some_and(|n| n.kind == NodeKind::File))
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    let input = q::LessonInput {
        text: history::intent_of(&c.message),
        applies_to: files.iter().map(|p| NodeId::file(&spec.name, p)).collect(),
        author: "replay".into(),
        tags: vec!["fix".into()],
        ..Default::default()
    };
    let facts = q::lesson_facts(&input, c.time);
    let Some(id) = facts.nodes.first().map(|n| n.id.clone()) else { return Ok(None) };
    brain.put_record(id.as_str(), facts).map_err(|e| anyhow::anyhow!("{e}"))?;
    tree::wait_relinked(brain)?;
    Ok(Some(Recorded { id, files }))
}
