//! `brain check` on the seeded drift corpus (`eval/seeded/`), scored against
//! each organisation's answer key (issue 13).
//!
//! ```text
//! cargo run --release -p brain --example seeded_eval -- [--split tune] [--verbose]
//! ```
//!
//! Each folder `NN-name/` holds a `brain.toml`, small repositories and an
//! `expected.toml` (format in `eval/seeded/README.md`). The organisation is
//! ingested through the real pipeline into a temporary data dir, checked with
//! every rule, and scored: a planted finding is found when a reported finding
//! has its rule and its consumer location (same repo and path, line within 1);
//! a reported error or warning at a decoy location, or anything reported in a
//! negative-control organisation, is a false alarm. Held-out organisations are
//! reported as totals unless `--show-heldout` is given.

use anyhow::{Context, Result};
use brain_ingest::{Brain, Config, NoProgress};
use clap::Parser;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
struct Args {
    #[arg(long, default_value = "eval/seeded")]
    corpus: PathBuf,
    #[arg(long)]
    split: Option<String>,
    #[arg(long)]
    only: Option<String>,
    /// Print every finding, miss and false alarm of tune organisations.
    #[arg(long)]
    verbose: bool,
    #[arg(long)]
    show_heldout: bool,
    /// Print the topics, type bindings and unresolved wire references of each organisation.
    #[arg(long)]
    dump: bool,
}

#[derive(Deserialize, Debug)]
struct Expected {
    org: String,
    split: String,
    #[serde(default)]
    negative_control: bool,
    #[serde(default)]
    finding: Vec<Planted>,
    #[serde(default)]
    decoy: Vec<Decoy>,
    #[serde(default)]
    transports: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct Planted {
    rule: String,
    consumer: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize, Debug)]
struct Decoy {
    at: String,
    #[serde(default)]
    why: String,
}

#[derive(Default, Clone)]
struct Tally {
    orgs: usize,
    planted: usize,
    found: usize,
    decoys: usize,
    decoys_flagged: usize,
    controls: usize,
    controls_clean: usize,
    reported: usize,
    reported_true: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.orgs += o.orgs;
        self.planted += o.planted;
        self.found += o.found;
        self.decoys += o.decoys;
        self.decoys_flagged += o.decoys_flagged;
        self.controls += o.controls;
        self.controls_clean += o.controls_clean;
        self.reported += o.reported;
        self.reported_true += o.reported_true;
    }
    fn line(&self) -> String {
        format!(
            "recall {:.3} ({}/{})  precision {:.3} ({}/{})  decoys flagged {}/{}  negative controls clean {}/{}",
            self.found as f64 / self.planted.max(1) as f64,
            self.found,
            self.planted,
            self.reported_true as f64 / self.reported.max(1) as f64,
            self.reported_true,
            self.reported,
            self.decoys_flagged,
            self.decoys,
            self.controls_clean,
            self.controls
        )
    }
}

fn split_loc(s: &str) -> Option<(String, String, u32)> {
    let (repo, rest) = s.split_once(':')?;
    let (path, line) = rest.rsplit_once(':')?;
    Some((repo.to_string(), path.to_string(), line.trim().parse().ok()?))
}

fn main() -> Result<()> {
    let args = Args::parse();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&args.corpus)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    dirs.sort();
    let mut totals: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_rule: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for d in dirs {
        let exp: Expected = toml::from_str(&std::fs::read_to_string(d.join("expected.toml"))?)
            .with_context(|| format!("{}", d.display()))?;
        if args.split.as_deref().is_some_and(|s| s != exp.split) {
            continue;
        }
        if args.only.as_deref().is_some_and(|o| !exp.org.contains(o)) {
            continue;
        }
        let show = exp.split == "tune" || args.show_heldout;
        let (t, rules) = match eval_org(&d, &exp, show && args.verbose, show && args.dump) {
            Ok(x) => x,
            Err(e) => {
                println!("!! {}: {e:#}", exp.org);
                continue;
            }
        };
        if show {
            println!("{:<28} {:<18} {}", exp.org, exp.transports.join(","), t.line());
        }
        totals.entry(exp.split.clone()).or_default().add(&t);
        for (r, (p, f)) in rules {
            let e = by_rule.entry((exp.split.clone(), r)).or_default();
            e.0 += p;
            e.1 += f;
        }
    }
    println!();
    for (split, t) in &totals {
        println!("== {split:<8} {} orgs  {}", t.orgs, t.line());
        for ((s, r), (p, f)) in &by_rule {
            if s == split {
                println!("   {r:<34} {f}/{p}");
            }
        }
    }
    Ok(())
}

type RuleCounts = BTreeMap<String, (usize, usize)>;

fn eval_org(dir: &Path, exp: &Expected, verbose: bool, dump: bool) -> Result<(Tally, RuleCounts)> {
    let cfg = Config::load(&dir.join("brain.toml")).map_err(|e| anyhow::anyhow!("{e}"))?;
    let data = tempfile::tempdir()?;
    let brain = Brain::open(data.path(), brain_stack::ingestors(), brain_stack::passes())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    brain.ingest_repos(&cfg.repos, &NoProgress).map_err(|e| anyhow::anyhow!("{e}"))?;
    let g = brain.snapshot();
    if dump {
        dump_graph(&g);
    }
    let report = brain_check::check(&g, &brain_check::CheckOptions::default());
    let reported: Vec<&brain_check::Finding> =
        report.findings.iter().filter(|f| f.severity >= brain_check::Severity::Warning).collect();
    let at = |f: &brain_check::Finding| -> Option<(String, String, u32)> {
        let c = f.consumer.as_ref().or(f.producer.as_ref())?;
        Some((c.repo.clone(), c.path.clone(), c.line.unwrap_or(0)))
    };
    let mut t = Tally { orgs: 1, ..Tally::default() };
    let mut rules: RuleCounts = BTreeMap::new();
    let mut matched = vec![false; reported.len()];
    for p in &exp.finding {
        t.planted += 1;
        let e = rules.entry(p.rule.clone()).or_default();
        e.0 += 1;
        let Some((repo, path, line)) = split_loc(&p.consumer) else { continue };
        let hit = reported.iter().enumerate().find(|(_, f)| {
            f.rule == p.rule && at(f).is_some_and(|(r, pa, l)| r == repo && pa == path && l.abs_diff(line) <= 1)
        });
        match hit {
            Some((i, _)) => {
                matched[i] = true;
                t.found += 1;
                e.1 += 1;
            }
            None if verbose => println!("   miss  {} {}  {}", p.rule, p.consumer, p.note),
            None => {}
        }
    }
    for dcy in &exp.decoy {
        t.decoys += 1;
        let Some((repo, path, line)) = split_loc(&dcy.at) else { continue };
        let flagged =
            reported.iter().any(|f| at(f).is_some_and(|(r, pa, l)| r == repo && pa == path && l.abs_diff(line) <= 1));
        if flagged {
            t.decoys_flagged += 1;
            if verbose {
                println!("   decoy flagged  {}  {}", dcy.at, dcy.why);
            }
        }
    }
    if exp.negative_control {
        t.controls = 1;
        if reported.is_empty() {
            t.controls_clean = 1;
        }
    }
    t.reported = reported.len();
    // A finding that matches no planted drift but sits on a planted line under another rule is not counted true.
    t.reported_true = matched.iter().filter(|m| **m).count();
    if verbose {
        for (i, f) in reported.iter().enumerate() {
            if !matched[i] {
                let loc = at(f).map(|(r, p, l)| format!("{r}:{p}:{l}")).unwrap_or_default();
                println!("   extra {} {} {}", f.rule, loc, f.message);
            }
        }
    }
    Ok((t, rules))
}

fn dump_graph(g: &brain_graph::Graph) {
    use brain_model::{EdgeKind, NodeKind, RefTarget};
    for t in g.nodes_of_kind(NodeKind::Topic) {
        for e in g.incoming(&t.id) {
            println!(
                "   topic {} <-{:?}- {} L{:?}",
                t.name,
                e.edge.kind,
                e.other.id,
                e.edge.prov.span.map(|s| s.start_line)
            );
        }
    }
    for e in g.edges() {
        if e.kind == EdgeKind::UsesType && e.attr("role").is_some_and(|r| r == "encode" || r == "decode") {
            println!(
                "   bind  {} {} -> {} [{}]",
                e.attr("role").unwrap_or(""),
                e.from,
                e.to,
                e.attr("boundary").unwrap_or("")
            );
        }
        if &*e.prov.ingestor == "flow" && e.kind != EdgeKind::UsesType {
            println!("   flow  {:?} {} -> {} {:?}", e.kind, e.from, e.to, e.attr("name"));
        }
        if matches!(e.kind, EdgeKind::Consumes) {
            println!("   call  {} -> {}", e.from, e.to);
        }
    }
    for r in g.unresolved() {
        if let RefTarget::Key { ns, key, .. } = &r.target {
            if matches!(ns.as_str(), "topic-expr" | "flow" | "http" | "grpc" | "graphql" | "topic") {
                let attrs: Vec<String> = r.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                println!(
                    "   unres {:?} {} {ns}:{key} {} L{:?}",
                    r.kind,
                    r.from,
                    attrs.join(","),
                    r.prov.span.map(|s| s.start_line)
                );
            }
        }
    }
}
