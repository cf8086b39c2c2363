//! Retrieval quality of the context packet on real repository history
//! (issues 6 and 14): the packet against plain BM25 over whole files and a
//! co-change (history-only) baseline, and the lesson replay.
//!
//! ```text
//! cargo build --release -p brain --example retrieval_eval
//! target/release/examples/retrieval_eval --corpus eval/retrieval/corpus.toml --out /tmp/reval.jsonl
//! target/release/examples/retrieval_eval --split tune            # tune half only, per repository
//! target/release/examples/retrieval_eval --lessons               # lesson replay (repos with lessons = true)
//! target/release/examples/retrieval_eval --git-dir /work/.mirror/psf+requests/repo --commits 60   # ad hoc
//! ```
//!
//! For each selected commit (see `history` for the selection, fixed in
//! `eval/retrieval/corpus.toml`) the commit message is the intent and the
//! parent tree is the code: one checkout per repository is moved from parent
//! to parent, oldest selected commit first, and ingested incrementally with
//! the shipped ingestors into one data dir per repository (see `tree`). The
//! targets are the modified or deleted files the brain holds as text; a
//! selected commit with none is dropped. Each ranking (see `rank`) answers
//! with a list of files; recall@5/10/20 on all targets and on source files
//! only is reported per repository and per half (see `report`). Held-out
//! repositories are reported as totals only unless `--show-heldout`, and
//! their commits are left out of `--out` and `--misses` likewise.
//!
//! The lesson replay is in `lessons`.

mod corpus;
mod history;
mod lessons;
mod rank;
mod report;
mod tree;

use anyhow::{bail, Result};
use brain_ingest::Brain;
use clap::Parser;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use corpus::{RepoSpec, Selection, Split};
use report::{Outcome, Ranked, Report, Tally};

#[derive(Parser, Debug)]
#[command(about = "Recall of changed files: context packet vs BM25 vs co-change, over real commits")]
pub struct Args {
    /// The corpus file (repositories, split, selection).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/retrieval/corpus.toml"))]
    corpus: PathBuf,
    /// Where the corpus's git directories were fetched.
    #[arg(long, default_value = "/work/.mirror")]
    mirror: PathBuf,
    /// Only this half of the corpus: tune, heldout or all.
    #[arg(long, default_value = "all")]
    split: String,
    /// Only these corpus repositories (short names, e.g. `ripgrep`); repeatable.
    #[arg(long)]
    only: Vec<String>,
    /// Print held-out repositories one by one (and write their commits to --out).
    #[arg(long)]
    show_heldout: bool,
    /// Ad hoc: evaluate these git directories instead of the corpus; repeatable.
    #[arg(long = "git-dir")]
    git_dirs: Vec<PathBuf>,
    /// Ad hoc: commits to evaluate per repository.
    #[arg(long, default_value_t = 100)]
    commits: usize,
    /// Ad hoc: eligible commits to pass over first (from HEAD backwards).
    #[arg(long, default_value_t = 0)]
    skip: usize,
    /// Ad hoc: select every n-th eligible commit.
    #[arg(long, default_value_t = 1)]
    stride: usize,
    /// Ad hoc: most modified-or-deleted files a commit may have.
    #[arg(long, default_value_t = 10)]
    max_files: usize,
    /// Ad hoc: token budget of the packet.
    #[arg(long, default_value_t = 32_000)]
    budget: usize,
    /// Scratch directory (checkouts and data dirs); default: a temp dir.
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep each repository's checkout and data dir (default: removed when it is done).
    #[arg(long)]
    keep: bool,
    /// Re-walk the whole checkout at every commit instead of re-ingesting the changed paths.
    #[arg(long)]
    full_ingest: bool,
    /// Print the commits where the packet or BM25 misses a changed file in its top 10.
    #[arg(long)]
    misses: bool,
    /// Write one JSON line per evaluated commit (or replayed probe, with --lessons) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Record the packet's input signals (lexical, graph, history; top 100 each, scored), its fused
    /// files, and the `changed_with` edges and test twins of the signals' top 50 files in the JSON lines.
    #[arg(long)]
    signals: bool,
    /// Run the lesson replay instead (on corpus repositories marked `lessons = true`, or the --git-dir ones).
    #[arg(long)]
    lessons: bool,
    /// Lesson replay: the most recent eligible commits replayed, oldest first.
    #[arg(long, default_value_t = 2000)]
    lesson_window: usize,
    /// Lesson replay: most fix commits recorded as lessons.
    #[arg(long, default_value_t = 150)]
    lesson_fixes: usize,
    /// Lesson replay: most later commits asked for a packet.
    #[arg(long, default_value_t = 300)]
    lesson_probes: usize,
    /// Lesson replay: what a lesson applies to, `symbols` (the entities whose spans the fix's hunks touch,
    /// as `impact` maps a diff) or `files` (the files it modified).
    #[arg(long, default_value = "symbols")]
    lesson_on: String,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let specs = repo_specs(&args)?;
    let scratch = match &args.work_dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            None
        }
        None => Some(tempfile::tempdir()?),
    };
    let work = args.work_dir.clone().or_else(|| scratch.as_ref().map(|t| t.path().to_path_buf()));
    let Some(work) = work else { bail!("no work directory") };
    let mut out = match &args.out {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let sink = out.as_mut().map(|w| w as &mut (dyn Write + 'static));
    if args.lessons {
        lessons::run(&specs, &work, &args, sink)?;
    } else {
        run_retrieval(&specs, &work, &args, sink)?;
    }
    if let Some(w) = out.as_mut() {
        w.flush()?;
    }
    Ok(())
}

/// The repositories to run: the `--git-dir` ones, or the corpus filtered by `--split` and `--only`.
fn repo_specs(args: &Args) -> Result<Vec<RepoSpec>> {
    if !args.git_dirs.is_empty() {
        let selection = Selection {
            stride: args.stride.max(1),
            cap: args.commits,
            max_files: args.max_files,
            budget_tokens: args.budget,
            skip: args.skip,
        };
        return Ok(args
            .git_dirs
            .iter()
            .map(|g| RepoSpec {
                name: corpus::name_from_git_dir(g),
                language: "?".into(),
                split: Split::Adhoc,
                git_dir: g.clone(),
                head: "HEAD".into(),
                selection: selection.clone(),
            })
            .collect());
    }
    let corpus = corpus::load(&args.corpus)?;
    let split = match args.split.as_str() {
        "all" => None,
        "tune" => Some(Split::Tune),
        "heldout" => Some(Split::Heldout),
        other => bail!("--split {other}: expected tune, heldout or all"),
    };
    let mut specs = Vec::new();
    for r in &corpus.repos {
        let name = corpus::short_name(&r.name);
        if split.is_some_and(|s| s != r.split) || (!args.only.is_empty() && !args.only.contains(&name)) {
            continue;
        }
        if args.lessons && !r.lessons && args.only.is_empty() {
            continue;
        }
        specs.push(RepoSpec {
            name,
            language: r.language.clone(),
            split: r.split,
            git_dir: corpus::resolve_git_dir(&args.mirror, &r.git_dir)?,
            head: r.head.clone(),
            selection: corpus.selection.clone(),
        });
    }
    if specs.is_empty() {
        bail!("no repository to run (check --split / --only)");
    }
    Ok(specs)
}

/// Evaluates every repository and prints the report.
fn run_retrieval(
    specs: &[RepoSpec],
    work: &Path,
    args: &Args,
    mut out: Option<&mut (dyn Write + 'static)>,
) -> Result<()> {
    let mut report = Report { show_heldout: args.show_heldout, repos: Vec::new() };
    for spec in specs {
        let visible = spec.split != Split::Heldout || args.show_heldout;
        let sink = if visible { out.as_deref_mut() } else { None };
        let tally = eval_repo(spec, work, args, sink, visible)?;
        eprintln!("{}: {}", spec.name, tally.timing());
        report.repos.push((spec.name.clone(), spec.language.clone(), spec.split, tally));
    }
    report.print();
    Ok(())
}

/// Scratch paths of one repository: checkout and data dir.
pub fn scratch_paths(work: &Path, name: &str, what: &str) -> (PathBuf, PathBuf) {
    (work.join(format!("{name}-{what}-tree")), work.join(format!("{name}-{what}-data")))
}

/// Evaluates the selected commits of one repository, oldest first.
fn eval_repo(
    spec: &RepoSpec,
    work: &Path,
    args: &Args,
    mut out: Option<&mut (dyn Write + 'static)>,
    visible: bool,
) -> Result<Tally> {
    let started = Instant::now();
    let log = history::first_parent_log(&spec.git_dir, &spec.head)?;
    let selected = history::select(&log, &spec.selection);
    let (checkout, data_dir) = scratch_paths(work, &spec.name, "eval");
    let mut tree = tree::Tree::new(&spec.git_dir, checkout);
    let repo = tree.repo_config(&spec.name);
    let brain =
        Brain::open(&data_dir, brain_stack::ingestors(), brain_stack::passes()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut bm25 = rank::Bm25Files::new()?;
    let mut past = rank::CommitIndex::new()?;
    let mut fed = log.len();
    let mut tally = Tally::default();
    for &i in selected.iter().rev() {
        let Some(c) = log.get(i) else { continue };
        let Some(parent) = c.parent.as_deref() else { continue };
        let t = Instant::now();
        let moved = tree.move_to(parent)?;
        tree::ingest(&brain, &repo, &moved, args.full_ingest)?;
        // The brain's own history, up to the checked-out commit (the tree has no .git).
        brain.ingest_history(&spec.name, &spec.git_dir, parent).map_err(|e| anyhow::anyhow!("{e}"))?;
        tree::wait_relinked(&brain)?;
        let text_files = rank::text_files(&brain.snapshot(), &spec.name);
        let ingest = match moved {
            tree::Moved::Full => {
                tally.first_ingest += t.elapsed();
                Duration::ZERO
            }
            tree::Moved::Paths(_) => t.elapsed(),
        };
        let changed_paths = match &moved {
            tree::Moved::Paths(p) => Some(p.as_slice()),
            tree::Moved::Full => None,
        };
        // History strictly before the commit: everything older than it in the log.
        while fed > i + 1 {
            fed -= 1;
            if let Some(old) = log.get(fed) {
                past.add(fed, &history::intent_of(&old.message))?;
            }
        }
        past.commit()?;
        bm25.sync(&brain, &spec.name, &text_files, changed_paths)?;
        let targets: Vec<String> = c.changed().into_iter().filter(|p| text_files.contains(p)).collect();
        if targets.is_empty() {
            tally.dropped += 1;
            continue;
        }
        let intent = history::intent_of(&c.message);
        let rankers = Rankers {
            brain: &brain,
            spec,
            log: &log,
            bm25: &bm25,
            past: &past,
            text_files: &text_files,
            signals: args.signals,
        };
        let o = rankers.rank(c, &intent, targets, ingest)?;
        if args.misses && visible {
            report::print_miss(&spec.name, &o);
        }
        if let Some(w) = out.as_deref_mut() {
            report::write_line(w, &spec.name, &spec.language, spec.split, &o)?;
        }
        tally.add(&o);
    }
    drop(brain);
    if tree.missing > 0 {
        eprintln!(
            "{}: {} blobs were missing from the git directory (left out of the checkout)",
            spec.name, tree.missing
        );
    }
    if !args.keep {
        tree.remove();
        let _ = std::fs::remove_dir_all(&data_dir);
    }
    tally.wall = started.elapsed();
    Ok(tally)
}

/// What the rankings of one repository draw on at one commit.
struct Rankers<'a> {
    brain: &'a Brain,
    spec: &'a RepoSpec,
    log: &'a [history::Commit],
    bm25: &'a rank::Bm25Files,
    past: &'a rank::CommitIndex,
    text_files: &'a BTreeSet<String>,
    /// Whether to record the packet's input signals in the JSON lines.
    signals: bool,
}

impl Rankers<'_> {
    /// Asks every ranking for `intent`; `targets` and `ingest` are carried into the outcome.
    fn rank(&self, c: &history::Commit, intent: &str, targets: Vec<String>, ingest: Duration) -> Result<Outcome> {
        let name = self.spec.name.as_str();
        let mut rankings = Vec::new();
        let t = Instant::now();
        let packet = rank::packet(self.brain, name, intent, self.spec.selection.budget_tokens)?;
        rankings.push(Ranked { name: "packet", files: rank::packet_files(&packet, name), time: t.elapsed() });
        let t = Instant::now();
        let files = rank::lexical(self.brain, name, intent);
        rankings.push(Ranked { name: "lexical", files, time: t.elapsed() });
        let t = Instant::now();
        let files = self.bm25.search(intent, report::KS[report::KS.len() - 1])?;
        rankings.push(Ranked { name: "bm25", files, time: t.elapsed() });
        let t = Instant::now();
        let hits = self.past.search(intent, rank::SIMILAR_COMMITS)?;
        let files = rank::cochange_files(self.log, &hits, self.text_files);
        rankings.push(Ranked { name: "cochange", files, time: t.elapsed() });
        let signals = if self.signals {
            rank::signals(self.brain, &packet, name, self.log, &hits, self.text_files)
        } else {
            Vec::new()
        };
        Ok(Outcome {
            sha: c.sha.clone(),
            subject: c.subject().to_string(),
            targets,
            status: packet.status,
            ingest,
            rankings,
            signals,
        })
    }
}
