//! Cross-service link recall and precision on real systems (issue 13).
//!
//! ```text
//! cargo run --release -p brain --example link_eval -- --repos /work/repos [--split tune] [--misses]
//! ```
//!
//! Reads the ground truth in `eval/links/{tune,heldout}/*.toml` (format in
//! `eval/links/README.md`: every cross-service call, served operation,
//! publish, subscribe and contract-field read/write of a real system, written
//! by reading its code). Each system's checkout is taken from `--repos`
//! (`<owner>+<name>/`, e.g. made with `git archive`), ingested with the
//! shipped ingestors exactly as `brain ingest` would, and the brain's edges
//! leaving the annotated files are compared with the truth:
//!
//! * an edge matches a truth edge when the file, the kind (`call` = Consumes,
//!   `serve` = Exposes/Implements, `publish`, `subscribe`, `read` =
//!   ReadsField, `write` = WritesField) and the target agree, and the line is
//!   within 2 (a `serve` also matches on its handler's definition line).
//!   Targets are compared as keys: HTTP `METHOD /path/{}` (parameters
//!   unnamed), gRPC `Service/Method`, topics by name, fields as
//!   `Type.field` (package and `service:` prefixes dropped);
//! * recall counts every truth edge; precision counts the brain's edges from
//!   `scope` files (calls, serves, publishes, subscribes) and `read_scope`
//!   files (reads, writes) only, where the truth is complete.
//!
//! Held-out systems are reported as totals only unless `--show-heldout` is given.

use anyhow::{bail, Context, Result};
use brain_ingest::{Brain, NoProgress, RepoConfig};
use brain_model::{attr, wire, EdgeKind, NodeKind};
use clap::Parser;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(about = "Cross-service edge recall/precision of the brain against hand-written ground truth")]
struct Args {
    /// Folder of checkouts named `<owner>+<name>`.
    #[arg(long)]
    repos: PathBuf,
    /// Ground-truth folder (holds `tune/` and `heldout/`).
    #[arg(long, default_value = "eval/links")]
    truth: PathBuf,
    /// Only this split (`tune` or `heldout`).
    #[arg(long)]
    split: Option<String>,
    /// Only systems whose file name contains this.
    #[arg(long)]
    only: Option<String>,
    /// Print each missed truth edge and each unmatched brain edge (tune systems only).
    #[arg(long)]
    misses: bool,
    /// Report held-out systems one by one (only once the work is done).
    #[arg(long)]
    show_heldout: bool,
    /// Print every brain edge found in files whose path contains this.
    #[arg(long)]
    dump: Option<String>,
    /// Where data dirs go (a temporary folder by default).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

#[derive(Deserialize, Debug)]
struct Truth {
    system: String,
    #[serde(default)]
    commit: String,
    split: String,
    #[serde(default)]
    repos: Vec<TruthRepo>,
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    read_scope: Vec<String>,
    #[serde(default)]
    edge: Vec<TruthEdge>,
}

#[derive(Deserialize, Debug)]
struct TruthRepo {
    name: String,
    path: String,
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    read_scope: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
struct TruthEdge {
    at: String,
    kind: String,
    protocol: String,
    target: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    note: String,
}

/// One edge, as compared.
#[derive(Clone, Debug)]
struct Found {
    path: String,
    lines: Vec<u32>,
    kind: String,
    target: String,
    protocol: String,
    lang: String,
}

#[derive(Default, Clone)]
struct Score {
    truth: usize,
    hit: usize,
    brain: usize,
    brain_ok: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.truth += o.truth;
        self.hit += o.hit;
        self.brain += o.brain;
        self.brain_ok += o.brain_ok;
    }
    fn line(&self) -> String {
        let r = if self.truth == 0 { f64::NAN } else { self.hit as f64 / self.truth as f64 };
        let p = if self.brain == 0 { f64::NAN } else { self.brain_ok as f64 / self.brain as f64 };
        format!(
            "recall {:>5.3} ({:>4}/{:<4})  precision {:>5.3} ({:>4}/{:<4})",
            r, self.hit, self.truth, p, self.brain_ok, self.brain
        )
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let scratch = tempfile::tempdir()?;
    let work = args.work_dir.clone().unwrap_or_else(|| scratch.path().to_path_buf());
    let mut files: Vec<PathBuf> = Vec::new();
    for split in ["tune", "heldout"] {
        if args.split.as_deref().is_some_and(|s| s != split) {
            continue;
        }
        let dir = args.truth.join(split);
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
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
    let mut totals: BTreeMap<String, Score> = BTreeMap::new();
    let mut by: BTreeMap<(String, String, String), Score> = BTreeMap::new();
    for f in files {
        let truth: Truth = toml::from_str(&std::fs::read_to_string(&f)?).with_context(|| format!("{}", f.display()))?;
        let show = truth.split == "tune" || args.show_heldout;
        let t0 = Instant::now();
        let (score, parts) = match eval_system(&truth, &args, &work, show) {
            Ok(x) => x,
            Err(e) => {
                println!("!! {}: {e:#}", truth.system);
                continue;
            }
        };
        if show {
            println!("{:<48} {}  ({:.1} s)", truth.system, score.line(), t0.elapsed().as_secs_f64());
        }
        totals.entry(truth.split.clone()).or_default().add(&score);
        for (k, s) in parts {
            by.entry((truth.split.clone(), k.0, k.1)).or_default().add(&s);
        }
    }
    println!();
    for (split, s) in &totals {
        println!("== {split:<8} {}", s.line());
        for ((sp, dim, val), s) in &by {
            if sp == split {
                println!("   {dim:<9} {val:<12} {}", s.line());
            }
        }
    }
    Ok(())
}

type Parts = BTreeMap<(String, String), Score>;

fn eval_system(truth: &Truth, args: &Args, work: &Path, show: bool) -> Result<(Score, Parts)> {
    let folder = args.repos.join(truth.system.replace('/', "+"));
    if !folder.is_dir() {
        bail!("no checkout at {}", folder.display());
    }
    let data = work.join(truth.system.replace('/', "+"));
    let _ = std::fs::remove_dir_all(&data);
    let brain =
        Brain::open(&data, brain_stack::ingestors(), brain_stack::passes()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let repos: Vec<TruthRepo> = if truth.repos.is_empty() {
        vec![TruthRepo { name: "sys".into(), path: ".".into(), scope: vec![], read_scope: vec![] }]
    } else {
        truth
            .repos
            .iter()
            .map(|r| TruthRepo { name: r.name.clone(), path: r.path.clone(), scope: vec![], read_scope: vec![] })
            .collect()
    };
    let configs: Vec<RepoConfig> = repos
        .iter()
        .map(|r| RepoConfig { name: r.name.clone(), path: folder.join(&r.path), include: vec![], exclude: vec![] })
        .collect();
    brain.ingest_repos(&configs, &NoProgress).map_err(|e| anyhow::anyhow!("{e}"))?;
    let g = brain.snapshot();
    // Paths in the truth are relative to the checkout; a repo at `path` prefixes its files.
    let prefix = |repo: &str| -> String {
        let p = repos.iter().find(|r| r.name == repo).map(|r| r.path.as_str()).unwrap_or(".");
        if p == "." || p.is_empty() {
            String::new()
        } else {
            format!("{}/", p.trim_end_matches('/'))
        }
    };
    let mut scope: BTreeSet<String> = truth.scope.iter().cloned().collect();
    let mut read_scope: BTreeSet<String> = truth.read_scope.iter().cloned().collect();
    for r in &truth.repos {
        scope.extend(r.scope.iter().cloned());
        read_scope.extend(r.read_scope.iter().cloned());
    }
    // The brain's edges leaving code.
    let mut found: Vec<Found> = Vec::new();
    let mut sources: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for n in g.nodes() {
        if !matches!(n.kind, NodeKind::Symbol | NodeKind::File | NodeKind::Test) {
            continue;
        }
        let path = format!("{}{}", prefix(&n.prov.repo), n.prov.path);
        let lang = g
            .node(&brain_model::NodeId::file(&n.prov.repo, &n.prov.path))
            .and_then(|f| f.attr(attr::LANGUAGE))
            .map(|l| if l == "tsx" { "typescript" } else { l })
            .unwrap_or("")
            .to_string();
        for e in g.outgoing(&n.id) {
            let pattern = e.edge.attr("pattern");
            let kind = match e.edge.kind {
                EdgeKind::Consumes => "call",
                EdgeKind::Exposes | EdgeKind::Implements => "serve",
                EdgeKind::Publishes if pattern == Some("request") => "call",
                EdgeKind::Subscribes if pattern == Some("reply") => "serve",
                EdgeKind::Publishes => "publish",
                EdgeKind::Subscribes => "subscribe",
                EdgeKind::ReadsField => "read",
                EdgeKind::WritesField => "write",
                _ => continue,
            };
            let Some((mut target, mut protocol)) = target_of(&g, e.other) else { continue };
            // An HTTP call that reaches an rpc through gRPC transcoding is a call of that route.
            if protocol == "grpc" && e.edge.attr(attr::PROTOCOL) == Some("http") {
                if let (Some(m), Some(p)) = (e.edge.attr(attr::HTTP_METHOD), e.edge.attr(attr::HTTP_PATH)) {
                    (target, protocol) = (wire::http_key(m, p), "http".into());
                }
            }
            // An edge seen on several lines stands for one claim per line.
            let mut sites: Vec<u32> = e.edge.prov.span.map(|s| s.start_line).into_iter().collect();
            if let Some(ls) = e.edge.attr("lines") {
                sites = ls.split(',').filter_map(|l| l.parse::<u32>().ok()).collect();
            }
            for site in sites {
                let mut lines = vec![site];
                if kind == "serve" {
                    if let Some(s) = n.prov.span {
                        lines.push(s.start_line);
                        // The line naming the handler, below its annotations.
                        if n.kind == NodeKind::Symbol {
                            if let Some(l) = name_line(&mut sources, &folder.join(&path), s.start_line, &n.name) {
                                lines.push(l);
                            }
                        }
                    }
                }
                found.push(Found {
                    path: path.clone(),
                    lines,
                    kind: kind.into(),
                    target: target.clone(),
                    protocol: protocol.clone(),
                    lang: lang.clone(),
                });
            }
        }
    }
    // Same edge reported twice (two copies of a contract): one.
    let mut uniq: BTreeMap<(String, String, String, Vec<u32>), Found> = BTreeMap::new();
    for f in found {
        uniq.entry((f.path.clone(), f.kind.clone(), f.target.clone(), f.lines.clone())).or_insert(f);
    }
    let found: Vec<Found> = uniq.into_values().collect();
    if let Some(d) = &args.dump {
        for f in found.iter().filter(|f| f.path.contains(d.as_str())) {
            println!("   found {}:{:?} {} {} {}", f.path, f.lines, f.kind, f.protocol, f.target);
        }
        for r in g.unresolved().filter(|r| format!("{}{}", prefix(&r.prov.repo), r.prov.path).contains(d.as_str())) {
            if let brain_model::RefTarget::Key { ns, key, .. } = &r.target {
                if ns == "flow" {
                    println!(
                        "   unres {}:{} {:?} {key} {:?}",
                        r.prov.path,
                        r.prov.span.map(|s| s.start_line).unwrap_or(0),
                        r.kind,
                        r.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()
                    );
                }
            }
        }
    }
    let mut used = vec![false; found.len()];
    let mut score = Score::default();
    let mut parts: Parts = BTreeMap::new();
    let mut misses = Vec::new();
    for t in &truth.edge {
        let Some((path, line)) = t.at.rsplit_once(':') else { continue };
        let line: u32 = line.trim().parse().unwrap_or(0);
        let want = norm_target(&t.protocol, &t.target);
        let hit = found.iter().enumerate().position(|(i, f)| {
            !used[i]
                && f.path == path
                && f.kind == t.kind
                && same_target(&f.target, &want)
                && f.lines.iter().any(|l| l.abs_diff(line) <= 2)
        });
        let dims = [("kind", t.kind.clone()), ("protocol", t.protocol.clone()), ("lang", t.lang.clone())];
        score.truth += 1;
        for (d, v) in &dims {
            parts.entry((d.to_string(), v.clone())).or_default().truth += 1;
        }
        if let Some(i) = hit {
            used[i] = true;
            score.hit += 1;
            for (d, v) in &dims {
                parts.entry((d.to_string(), v.clone())).or_default().hit += 1;
            }
        } else {
            misses.push(t.clone());
        }
    }
    let mut extra = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let in_scope = if matches!(f.kind.as_str(), "read" | "write") {
            read_scope.contains(&f.path)
        } else {
            scope.contains(&f.path)
        };
        if !in_scope {
            continue;
        }
        score.brain += 1;
        let dims = [("kind", f.kind.clone()), ("protocol", f.protocol.clone()), ("lang", f.lang.clone())];
        for (d, v) in &dims {
            parts.entry((d.to_string(), v.clone())).or_default().brain += 1;
        }
        if used[i] {
            score.brain_ok += 1;
            for (d, v) in &dims {
                parts.entry((d.to_string(), v.clone())).or_default().brain_ok += 1;
            }
        } else {
            extra.push(f.clone());
        }
    }
    if args.misses && show {
        for m in &misses {
            println!("   miss  {} {} {} {}  {}", m.at, m.kind, m.protocol, m.target, m.note);
        }
        for x in &extra {
            println!("   extra {}:{:?} {} {} {}", x.path, x.lines, x.kind, x.protocol, x.target);
        }
    }
    let _ = &truth.commit;
    Ok((score, parts))
}

/// The comparable target of an edge's far end, and its protocol.
fn target_of(g: &brain_graph::Graph, n: &brain_model::Node) -> Option<(String, String)> {
    match n.kind {
        NodeKind::Operation => {
            if let (Some(m), Some(p)) = (n.attr(attr::HTTP_METHOD), n.attr(attr::HTTP_PATH)) {
                return Some((wire::http_key(m, p), "http".into()));
            }
            let proto = n.attr(attr::PROTOCOL).unwrap_or("");
            // A gRPC service as a whole (class-level `implements`) is not an operation.
            if proto == "grpc" && n.attr("kind") == Some("service") {
                return None;
            }
            let q = n.attr(attr::QUALIFIED_NAME).unwrap_or(&n.name).to_string();
            match proto {
                "grpc" => Some((grpc_short(&q), "grpc".into())),
                "graphql" => Some((n.name.clone(), "graphql".into())),
                _ => Some((q, proto.to_string())),
            }
        }
        NodeKind::Topic => {
            let bus = match n.attr(attr::BUS).unwrap_or("topic") {
                "rabbitmq" => "amqp",
                b => b,
            };
            Some((n.name.clone(), bus.to_string()))
        }
        NodeKind::Field => {
            let owner = g
                .incoming(&n.id)
                .find(|e| e.edge.kind == EdgeKind::HasField)
                .map(|e| e.other.attr(attr::QUALIFIED_NAME).unwrap_or(&e.other.name).to_string())?;
            let fname = n.attr("proto_name").or(n.attr(attr::WIRE_NAME)).unwrap_or(&n.name);
            let proto = if n.prov.path.ends_with(".proto") {
                "grpc"
            } else if n.prov.path.ends_with(".graphql")
                || n.prov.path.ends_with(".graphqls")
                || n.prov.path.ends_with(".gql")
            {
                "graphql"
            } else {
                "http"
            };
            Some((field_short(&format!("{owner}.{fname}")), proto.into()))
        }
        _ => None,
    }
}

fn grpc_short(q: &str) -> String {
    match q.split_once('/') {
        Some((svc, m)) => format!("{}/{m}", svc.rsplit('.').next().unwrap_or(svc)),
        None => q.to_string(),
    }
}

/// `Type.field` without package or `service:` prefix.
fn field_short(q: &str) -> String {
    let q = q.rsplit(':').next().unwrap_or(q);
    let mut segs: Vec<&str> = q.split('.').collect();
    if segs.len() > 2 {
        segs = segs[segs.len() - 2..].to_vec();
    }
    segs.join(".")
}

fn norm_target(protocol: &str, target: &str) -> String {
    let t = target.trim();
    if let Some((m, p)) = t.split_once(' ') {
        if m.chars().all(|c| c.is_ascii_uppercase()) && p.starts_with('/') {
            return wire::http_key(m, p);
        }
    }
    match protocol {
        "grpc" if t.contains('/') => grpc_short(t),
        _ if t.contains('.')
            && !t.contains('/')
            && t.split('.').count() >= 2
            && t.chars().next().is_some_and(|c| c.is_alphabetic()) =>
        {
            // Could be a field (`pkg.Type.field`) or a dotted topic (`orders.created`); keep both forms.
            t.to_string()
        }
        _ => t.to_string(),
    }
}

fn same_target(found: &str, want: &str) -> bool {
    found == want || field_short(want) == found || (want.contains(':') && field_short(want) == found)
}

/// The first line at or below `start` (within the next 15) that names `name`
/// followed by `(`: a handler's definition line under its annotations.
fn name_line(cache: &mut BTreeMap<PathBuf, Vec<String>>, file: &Path, start: u32, name: &str) -> Option<u32> {
    let short = name.rsplit(['.', ':']).next().unwrap_or(name);
    if short.is_empty() {
        return None;
    }
    let lines = cache.entry(file.to_path_buf()).or_insert_with(|| {
        std::fs::read_to_string(file).map(|t| t.lines().map(str::to_string).collect()).unwrap_or_default()
    });
    let pat = format!("{short}(");
    (start..start + 15).find(|l| {
        (*l as usize)
            .checked_sub(1)
            .and_then(|i| lines.get(i))
            .is_some_and(|t| t.contains(&pat) || t.contains(&format!("{short} (")))
    })
}
