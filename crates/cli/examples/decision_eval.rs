//! Decisions and incidents found in real repositories (issue 15), against hand-written truth.
//!
//! ```text
//! cargo run --release -p brain --example decision_eval -- --repos /tmp/dec/repos [--split tune] [--misses]
//! ```
//!
//! Reads `eval/decisions/{tune,heldout}/*.toml` (format in
//! `eval/decisions/README.md`). Each source's checkout is taken from
//! `--repos` (`<owner>+<name>/`, e.g. made with `git archive`) and ingested
//! with the shipped ingestors exactly as `brain ingest` would (no record
//! paths configured; only `include` when the truth file names one). Then:
//!
//! * decisions (`Decision` nodes) and incidents (`Failure` nodes of
//!   `failure_kind=incident`) are matched to the truth by path: recall over
//!   the truth, precision over everything the brain reports in the repository
//!   (a record outside `scope` that the truth does not list is a false positive);
//! * of the matched decisions: status (the normalised `status` attribute, both
//!   absent counts as right) and number; supersession edges (`supersedes`,
//!   `amends` between decisions) against the truth's relations, both ways;
//! * of the matched incidents: the date, the minutes to repair / detect and
//!   the severity, wherever the truth states them (exact);
//! * `governs` edges are counted, and listed with `--governs` for judging.
//!
//! Held-out sources are reported as totals only unless `--show-heldout` is given.

use anyhow::{bail, Context, Result};
use brain_ingest::{Brain, NoProgress, RepoConfig};
use brain_model::{attr, EdgeKind, NodeKind};
use clap::Parser;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(about = "Decision and incident recall/precision of the brain against hand-written truth")]
struct Args {
    /// Folder of checkouts named `<owner>+<name>`.
    #[arg(long)]
    repos: PathBuf,
    /// Truth folder (holds `tune/` and `heldout/`).
    #[arg(long, default_value = "eval/decisions")]
    truth: PathBuf,
    /// Only this split (`tune` or `heldout`).
    #[arg(long)]
    split: Option<String>,
    /// Only truth files whose name contains this.
    #[arg(long)]
    only: Option<String>,
    /// Print each miss, false positive and wrong field (tune sources only, unless --show-heldout).
    #[arg(long)]
    misses: bool,
    /// Print every governs edge with its matched text.
    #[arg(long)]
    governs: bool,
    /// Report held-out sources one by one (only once the work is done).
    #[arg(long)]
    show_heldout: bool,
}

#[derive(Deserialize, Debug)]
struct Truth {
    source: String,
    #[serde(default)]
    commit: String,
    split: String,
    kind: String,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    decision: Vec<TruthDecision>,
    #[serde(default)]
    relation: Vec<TruthRelation>,
    #[serde(default)]
    incident: Vec<TruthIncident>,
}

#[derive(Deserialize, Debug)]
struct TruthDecision {
    path: String,
    number: Option<u32>,
    status: Option<String>,
}

#[derive(Deserialize, Debug)]
struct TruthRelation {
    from: toml::Value,
    kind: String,
    to: toml::Value,
}

#[derive(Deserialize, Debug)]
struct TruthIncident {
    path: String,
    date: Option<String>,
    minutes_to_repair: Option<u32>,
    minutes_to_detect: Option<u32>,
    severity: Option<String>,
}

/// Counts of one source or a total.
#[derive(Default, Clone)]
struct Score {
    truth: usize,
    found: usize,
    matched: usize,
    /// (right, checked) per field.
    fields: BTreeMap<&'static str, (usize, usize)>,
    rel_truth: usize,
    rel_found: usize,
    rel_matched: usize,
    governs: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.truth += o.truth;
        self.found += o.found;
        self.matched += o.matched;
        for (k, (r, c)) in &o.fields {
            let e = self.fields.entry(k).or_default();
            e.0 += r;
            e.1 += c;
        }
        self.rel_truth += o.rel_truth;
        self.rel_found += o.rel_found;
        self.rel_matched += o.rel_matched;
        self.governs += o.governs;
    }
    fn field(&mut self, name: &'static str, right: bool) {
        let e = self.fields.entry(name).or_default();
        e.1 += 1;
        if right {
            e.0 += 1;
        }
    }
    fn line(&self) -> String {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "  -  ".to_string()
            } else {
                format!("{:5.1}", 100.0 * a as f64 / b as f64)
            }
        };
        let mut s = format!(
            "recall {} ({}/{})  precision {} ({}/{})",
            pct(self.matched, self.truth),
            self.matched,
            self.truth,
            pct(self.matched, self.found),
            self.matched,
            self.found
        );
        for (k, (r, c)) in &self.fields {
            s.push_str(&format!("  {k} {} ({r}/{c})", pct(*r, *c)));
        }
        if self.rel_truth + self.rel_found > 0 {
            s.push_str(&format!(
                "  relations recall {} ({}/{}) precision {} ({}/{})",
                pct(self.rel_matched, self.rel_truth),
                self.rel_matched,
                self.rel_truth,
                pct(self.rel_matched, self.rel_found),
                self.rel_matched,
                self.rel_found
            ));
        }
        if self.governs > 0 {
            s.push_str(&format!("  governs {}", self.governs));
        }
        s
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let scratch = tempfile::tempdir()?;
    let mut files: Vec<PathBuf> = Vec::new();
    for split in ["tune", "heldout"] {
        if args.split.as_deref().is_some_and(|s| s != split) {
            continue;
        }
        let Ok(rd) = std::fs::read_dir(args.truth.join(split)) else { continue };
        let mut v: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        v.sort();
        files.extend(v);
    }
    if let Some(o) = &args.only {
        files.retain(|f| f.to_string_lossy().contains(o.as_str()));
    }
    let mut totals: BTreeMap<(String, String), Score> = BTreeMap::new();
    for f in files {
        let truth: Truth = toml::from_str(&std::fs::read_to_string(&f)?).with_context(|| format!("{}", f.display()))?;
        let show = truth.split == "tune" || args.show_heldout;
        let name = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        match eval_source(&truth, &args, scratch.path(), show && args.misses) {
            Ok(score) => {
                if show {
                    println!("{:<10} {:<28} {}", truth.kind, name, score.line());
                }
                totals.entry((truth.split.clone(), truth.kind.clone())).or_default().add(&score);
            }
            Err(e) => println!("!! {name}: {e:#}"),
        }
    }
    println!();
    for ((split, kind), s) in &totals {
        println!("== {split:<8} {kind:<10} {}", s.line());
    }
    Ok(())
}

fn eval_source(truth: &Truth, args: &Args, work: &Path, misses: bool) -> Result<Score> {
    let folder = args.repos.join(truth.source.replace('/', "+"));
    if !folder.is_dir() {
        bail!("no checkout at {} (commit {})", folder.display(), truth.commit);
    }
    let data = work.join(format!("{}-{}", truth.source.replace('/', "+"), truth.kind));
    let _ = std::fs::remove_dir_all(&data);
    let brain =
        Brain::open(&data, brain_stack::ingestors(), brain_stack::passes()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let config =
        RepoConfig { name: "sys".into(), path: folder.clone(), include: truth.include.clone(), exclude: vec![] };
    brain.ingest_repos(&[config], &NoProgress).map_err(|e| anyhow::anyhow!("{e}"))?;
    let g = brain.snapshot();
    let mut score = Score::default();
    if truth.kind == "decisions" {
        let found: BTreeMap<String, &brain_model::Node> =
            g.nodes_of_kind(NodeKind::Decision).map(|n| (n.prov.path.to_string(), n)).collect();
        let by_path: BTreeMap<&str, &TruthDecision> = truth.decision.iter().map(|d| (d.path.as_str(), d)).collect();
        score.truth = by_path.len();
        score.found = found.len();
        for (p, d) in &by_path {
            let Some(n) = found.get(*p) else {
                if misses {
                    println!("   missed   {p}");
                }
                continue;
            };
            score.matched += 1;
            let st = n.attr(attr::STATUS).map(str::to_string);
            let right = st == d.status;
            score.field("status", right);
            if !right && misses {
                println!("   status   {p}: brain {st:?}, truth {:?} ({:?})", d.status, n.attr("status_text"));
            }
            if let Some(num) = d.number {
                let got = n.attr("number").and_then(|x| x.parse::<u32>().ok());
                score.field("number", got == Some(num));
                if got != Some(num) && misses {
                    println!("   number   {p}: brain {got:?}, truth {num}");
                }
            }
        }
        if misses {
            for p in found.keys().filter(|p| !by_path.contains_key(p.as_str())) {
                println!("   extra    {p}");
            }
        }
        // Relations, by path.
        let path_of = |v: &toml::Value| -> Option<String> {
            match v {
                toml::Value::Integer(n) => {
                    truth.decision.iter().find(|d| d.number == Some(*n as u32)).map(|d| d.path.clone())
                }
                toml::Value::String(s) => Some(s.clone()),
                _ => None,
            }
        };
        let want: BTreeSet<(String, String, String)> =
            truth.relation.iter().filter_map(|r| Some((path_of(&r.from)?, r.kind.clone(), path_of(&r.to)?))).collect();
        let mut got: BTreeSet<(String, String, String)> = BTreeSet::new();
        for e in g.edges() {
            let kind = match e.kind {
                EdgeKind::Supersedes => "supersedes",
                EdgeKind::Amends => "amends",
                EdgeKind::Governs => {
                    score.governs += 1;
                    if args.governs {
                        let to = g.node(&e.to).map(|n| format!("{} {:?}", n.kind.as_str(), n.name)).unwrap_or_default();
                        println!(
                            "   governs  {} -> {to} matched {:?} conf {:.2}",
                            e.prov.path,
                            e.attr("matched").unwrap_or(""),
                            e.prov.origin.confidence()
                        );
                    }
                    continue;
                }
                _ => continue,
            };
            let (Some(a), Some(b)) = (g.node(&e.from), g.node(&e.to)) else { continue };
            if a.kind == NodeKind::Decision && b.kind == NodeKind::Decision {
                got.insert((a.prov.path.to_string(), kind.to_string(), b.prov.path.to_string()));
            }
        }
        score.rel_truth = want.len();
        score.rel_found = got.len();
        score.rel_matched = want.intersection(&got).count();
        if misses {
            for r in want.difference(&got) {
                println!("   rel miss {} {} {}", r.0, r.1, r.2);
            }
            for r in got.difference(&want) {
                println!("   rel extra {} {} {}", r.0, r.1, r.2);
            }
        }
    } else {
        let found: BTreeMap<String, &brain_model::Node> = g
            .nodes_of_kind(NodeKind::Failure)
            .filter(|n| n.attr("failure_kind") == Some("incident"))
            .map(|n| (n.prov.path.to_string(), n))
            .collect();
        let by_path: BTreeMap<&str, &TruthIncident> = truth.incident.iter().map(|d| (d.path.as_str(), d)).collect();
        score.truth = by_path.len();
        score.found = found.len();
        for (p, t) in &by_path {
            let Some(n) = found.get(*p) else {
                if misses {
                    println!("   missed   {p}");
                }
                continue;
            };
            score.matched += 1;
            let mut check = |field: &'static str, want: Option<String>, got: Option<String>| {
                if let Some(w) = want {
                    let right = got.as_deref() == Some(w.as_str());
                    score.field(field, right);
                    if !right && misses {
                        println!("   {field:<8} {p}: brain {got:?}, truth {w:?}");
                    }
                }
            };
            check("date", t.date.clone(), n.attr(attr::DATE).map(str::to_string));
            check(
                "repair",
                t.minutes_to_repair.map(|m| m.to_string()),
                n.attr("minutes_to_repair").map(str::to_string),
            );
            check(
                "detect",
                t.minutes_to_detect.map(|m| m.to_string()),
                n.attr("minutes_to_detect").map(str::to_string),
            );
            check("severity", t.severity.clone(), n.attr(attr::SEVERITY).map(str::to_string));
        }
        if misses {
            for p in found.keys().filter(|p| !by_path.contains_key(p.as_str())) {
                println!("   extra    {p}");
            }
        }
    }
    Ok(score)
}
