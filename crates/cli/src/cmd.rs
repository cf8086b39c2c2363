//! The subcommands.

use crate::output::{block, line, print_report, Progress};

use anyhow::{bail, Context, Result};
use brain_ingest::{Brain, Config, RepoConfig};
use brain_model::{NodeId, NodeKind};
use brain_server::{ServeOptions, Tokens};
use brain_store::SearchQuery;
use clap::Args;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// A brain.toml, a directory containing one, or a directory to ingest as one repo.
    /// Default: ./brain.toml.
    pub target: Option<PathBuf>,
    /// Only this repo of the config.
    #[arg(long)]
    pub repo: Option<String>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// A brain.toml, a directory containing one, or a directory (as one repo).
    pub target: Option<PathBuf>,
    /// Address to listen on. Non-loopback addresses need BRAIN_READ_TOKEN and BRAIN_WRITE_TOKEN.
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<SocketAddr>,
    /// No progress bar while ingesting (`up`).
    #[arg(long, short)]
    pub quiet: bool,
    /// Re-ingest files as they change (debounced), so answers never come from a superseded graph.
    #[arg(long)]
    pub watch: bool,
    /// A name clients use for this server (`brain.internal` or `brain.internal:8443`); requests
    /// with any other Host than these, the loopback names and the bound address are refused
    /// (repeatable; also BRAIN_ALLOWED_HOSTS, comma-separated, and [server] allowed_hosts).
    #[arg(long = "allow-host", value_name = "HOST")]
    pub allow_hosts: Vec<String>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    pub query: String,
    /// Only entities of these kinds (repeatable): file, symbol, operation, field, decision, ...
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only entities of these repos (repeatable).
    #[arg(long = "repo", value_name = "REPO")]
    pub repos: Vec<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The brain.toml or directory whose data dir to read (default: ./brain.toml's).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// An entity id such as `file:acme/orders:src/api.rs`.
    pub id: String,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RepairArgs {
    /// The brain.toml whose data dir to repair (when --data-dir is not given).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// List diagnostics too.
    #[arg(long)]
    pub diagnostics: bool,
    /// Report disk use against the data it holds (reads the whole store).
    #[arg(long)]
    pub disk: bool,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Resolves the target into a config: a brain.toml, a directory holding one,
/// or a directory as one repo. Without a target: `./brain.toml`, or the
/// current directory when `brain ingest .` left its data dir here.
pub fn load_config(target: Option<&Path>) -> Result<Config> {
    let target = match target {
        Some(t) => t.to_path_buf(),
        None => {
            let here = PathBuf::from("brain.toml");
            if here.exists() {
                here
            } else if Path::new(".brain").join("store").exists() {
                // `brain ingest .` was run here: this directory is the one repo.
                PathBuf::from(".")
            } else {
                bail!("no brain.toml in the current directory: pass a brain.toml or a directory to ingest (see `brain ingest --help`)");
            }
        }
    };
    if target.is_file() {
        return Config::load(&target).with_context(|| format!("reading {}", target.display()));
    }
    if target.is_dir() {
        let inner = target.join("brain.toml");
        if inner.is_file() {
            return Config::load(&inner).with_context(|| format!("reading {}", inner.display()));
        }
        if let Some(why) = brain_ingest::config::system_root_problem(&target) {
            bail!("{why}");
        }
        return Ok(Config::for_dir(&target));
    }
    bail!("{} does not exist: pass a brain.toml or a directory", target.display())
}

fn data_dir_for(explicit: Option<PathBuf>, config: &Config) -> PathBuf {
    explicit.unwrap_or_else(|| config.base_dir.join(".brain"))
}

pub fn open_brain(data_dir: &Path) -> Result<Brain> {
    std::fs::create_dir_all(data_dir).map_err(|e| {
        anyhow::anyhow!("cannot create the data dir {}: {e}{}", data_dir.display(), brain_store::io_hint(&e))
    })?;
    Brain::open(data_dir, brain_stack::ingestors(), brain_stack::passes()).map_err(|e| match e {
        // A running server (or an ingest) holds the store: say which and what to do instead.
        brain_ingest::IngestError::Store(brain_store::StoreError::Locked { .. }) => {
            anyhow::Error::new(crate::running::InUse::at(data_dir))
        }
        e => anyhow::anyhow!(e.to_string()),
    })
}

fn run_ingest(brain: &Brain, config: &Config, only: Option<&str>, quiet: bool) -> Result<bool> {
    if config.repos.is_empty() {
        bail!("the config lists no repositories ([[repos]] name = \"...\" path = \"...\")");
    }
    brain.set_history_config(config.history.clone());
    brain.set_record_paths(config.records.clone());
    let progress = Progress::new(quiet);
    let repos: Vec<RepoConfig> = config.repos.iter().filter(|r| only.is_none_or(|o| o == r.name)).cloned().collect();
    if repos.is_empty() {
        bail!("no repo named '{}' in the config", only.unwrap_or_default());
    }
    let mut ok = true;
    for (name, result) in brain.ingest_repos(&repos, &progress)? {
        progress.finish();
        match result {
            Ok(report) => print_report(&report, 20)?,
            Err(e) => {
                eprintln!("error: {}: {}", line(&name), line(&e.to_string()));
                ok = false;
            }
        }
    }
    let g = brain.snapshot();
    outln!(
        "graph: {} nodes, {} edges, {} repos (data dir {})",
        g.node_count(),
        g.edge_count(),
        g.repos().len(),
        brain.data_dir().display()
    );
    Ok(ok)
}

pub fn ingest(data_dir: Option<PathBuf>, a: IngestArgs) -> Result<ExitCode> {
    let config = load_config(a.target.as_deref())?;
    let brain = open_brain(&data_dir_for(data_dir, &config))?;
    let ok = run_ingest(&brain, &config, a.repo.as_deref(), a.quiet)?;
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

pub fn serve(data_dir: Option<PathBuf>, a: ServeArgs, ingest_first: bool) -> Result<ExitCode> {
    let config = load_config(a.target.as_deref())?;
    let brain = Arc::new(open_brain(&data_dir_for(data_dir, &config))?);
    // The watcher and the reingest mutation read history with the config's settings too.
    brain.set_history_config(config.history.clone());
    brain.set_record_paths(config.records.clone());
    brain.prepare_for_writes()?;
    if ingest_first {
        run_ingest(&brain, &config, None, a.quiet)?;
    }
    let addr: SocketAddr = match a.addr {
        Some(a) => a,
        None => match &config.server.addr {
            Some(s) => s.parse().with_context(|| format!("[server] addr '{s}' is not HOST:PORT"))?,
            None => SocketAddr::from(([127, 0, 0, 1], 7777)),
        },
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let tokens = Tokens {
        read: env("BRAIN_READ_TOKEN").or_else(|| config.server.read_token.clone()),
        write: env("BRAIN_WRITE_TOKEN").or_else(|| config.server.write_token.clone()),
    };
    let mut allowed_hosts = config.server.allowed_hosts.clone();
    allowed_hosts.extend(a.allow_hosts.iter().cloned());
    if let Some(v) = env("BRAIN_ALLOWED_HOSTS") {
        allowed_hosts.extend(v.split(',').map(str::trim).filter(|h| !h.is_empty()).map(str::to_string));
    }
    let opts = ServeOptions {
        tokens,
        limits: server_limits(&config.server),
        policy: config.policy.clone(),
        repos: config.repos.clone(),
        allowed_hosts,
        cors_origins: config.server.cors_origins.clone(),
    };
    opts.check(addr)?;
    // Bound here, before anything is printed, so that the addresses shown are the real ones
    // (`--addr 127.0.0.1:0` takes a free port) and are what the data dir records.
    let std_listener =
        std::net::TcpListener::bind(addr).map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let g = brain.snapshot();
    outln!("brain: serving {} nodes and {} edges from {} repos", g.node_count(), g.edge_count(), g.repos().len());
    outln!("  GraphiQL  http://{addr}/");
    outln!("  GraphQL   POST http://{addr}/graphql");
    outln!("  MCP       http://{addr}/mcp");
    if !addr.ip().is_loopback() || !opts.allowed_hosts.is_empty() {
        let hosts = brain_server::AllowedHosts::new(Some(addr), &opts.allowed_hosts, &opts.cors_origins);
        outln!("  answers   Host: {} (add names with --allow-host)", hosts.describe());
    }
    outln!(
        "  try:      {{ search(query: \"created at\") {{ score entity {{ id kind name evidence {{ location }} }} }} }}"
    );
    if opts.tokens.write.is_none() {
        outln!("  writes are disabled: set BRAIN_WRITE_TOKEN to enable mutations");
    }
    let watch = if a.watch {
        let handle = brain_ingest::watch::watch(brain.clone(), config.repos.clone(), std::time::Duration::from_millis(250), |r| {
            if r.parsed + r.removed > 0 {
                tracing::info!(repo = %r.repo, parsed = r.parsed, removed = r.removed, ms = r.duration.as_millis() as u64, "re-ingested changed files");
            }
        })
        .context("starting the file watcher")?;
        outln!("  watching {} repos for changes", config.repos.len());
        Some(handle)
    } else {
        None
    };
    // Other commands on this data dir name the server and its address instead of a lock error.
    let record = crate::running::ServerRecord::write(brain.data_dir(), addr);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = rt.block_on(async {
        let listener = tokio::net::TcpListener::from_std(std_listener)?;
        let stop = async {
            let signal = crate::running::stop_signal().await;
            tracing::warn!("{signal}: stopping (no new connections; open requests get up to 10 s)");
        };
        brain_server::serve_listener(brain.clone(), listener, opts, stop).await
    });
    // Graceful stop: the watcher first (no more writes), then the runtime (sessions and their
    // handles on the brain), then the brain itself, whose drop leaves an exact snapshot on disk
    // and releases the store. A tool still running on the blocking pool gets a few seconds.
    drop(watch);
    rt.shutdown_timeout(std::time::Duration::from_secs(5));
    match Arc::try_unwrap(brain) {
        Ok(brain) => drop(brain),
        Err(_) => tracing::warn!("a request still holds the brain at exit; the store was flushed at its last write"),
    }
    drop(record);
    served?;
    outln!("brain: stopped");
    Ok(ExitCode::SUCCESS)
}

/// The connection and session limits `[server]` sets, over the defaults.
fn server_limits(c: &brain_ingest::ServerConfig) -> brain_server::Limits {
    use std::time::Duration;
    let mut l = brain_server::Limits::default();
    if let Some(s) = c.header_timeout_secs {
        l.header_timeout = Duration::from_secs(s.max(1));
    }
    if let Some(s) = c.body_timeout_secs {
        l.body_timeout = Duration::from_secs(s.max(1));
    }
    if let Some(n) = c.max_connections {
        l.max_connections = n.max(1);
    }
    if let Some(n) = c.max_mcp_sessions {
        l.max_mcp_sessions = n;
    }
    if let Some(s) = c.mcp_session_idle_secs {
        l.mcp_session_idle = Duration::from_secs(s.max(1));
    }
    l
}

fn brain_for_query(data_dir: Option<PathBuf>, config: Option<&Path>) -> Result<Brain> {
    brain_at(data_dir, config, true)
}

fn brain_at(data_dir: Option<PathBuf>, config: Option<&Path>, must_exist: bool) -> Result<Brain> {
    let dir = match data_dir {
        Some(d) => d,
        None => data_dir_for(None, &load_config(config)?),
    };
    if must_exist && !dir.join("store").exists() {
        bail!("nothing ingested at {}: run `brain ingest` first (or pass --data-dir)", dir.display());
    }
    open_brain(&dir)
}

pub fn search(data_dir: Option<PathBuf>, a: SearchArgs) -> Result<ExitCode> {
    for k in &a.kinds {
        if NodeKind::parse(k).is_none() {
            let all: Vec<_> = NodeKind::ALL.iter().map(|k| k.as_str()).collect();
            bail!("unknown kind '{k}'; kinds are: {}", all.join(", "));
        }
    }
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let q = SearchQuery {
        text: a.query.clone(),
        kinds: a.kinds.iter().filter_map(|k| NodeKind::parse(k)).map(|k| k.as_str().to_string()).collect(),
        repos: a.repos.clone(),
        limit: a.limit,
    };
    let hits = brain.search(&q)?;
    let g = brain.snapshot();
    if a.json {
        let rows: Vec<_> = hits
            .iter()
            .map(|h| {
                let loc = g.node(&NodeId::new(h.id.clone())).map(|n| n.prov.location()).unwrap_or_default();
                serde_json::json!({ "score": h.score, "id": h.id, "kind": h.kind, "location": loc })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        if hits.is_empty() {
            outln!("no match for '{}'", line(&a.query));
        }
        for h in &hits {
            let loc = g.node(&NodeId::new(h.id.clone())).map(|n| n.prov.location()).unwrap_or_default();
            outln!("{:>7.2}  {:<10} {}  ({})", h.score, h.kind, line(&h.id), line(&loc));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(data_dir: Option<PathBuf>, a: ShowArgs) -> Result<ExitCode> {
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let g = brain.snapshot();
    let id = NodeId::new(a.id.clone());
    let Some(node) = g.node(&id) else {
        bail!(
            "no entity with id '{}' (ids look like file:REPO:PATH or sym:REPO:PATH#NAME; `brain search` finds them)",
            a.id
        );
    };
    let out: Vec<_> = g.outgoing(&id).collect();
    let inc: Vec<_> = g.incoming(&id).collect();
    if a.json {
        let edge = |e: &brain_graph::EdgeRef<'_>| {
            serde_json::json!({ "kind": e.edge.kind.as_str(), "other": e.other.id.0, "evidence": e.edge.prov.location(),
                "origin": if e.edge.prov.origin.is_declared() { "declared" } else { "inferred" }, "confidence": e.edge.prov.origin.confidence() })
        };
        let v = serde_json::json!({
            "id": node.id.0, "kind": node.kind.as_str(), "name": node.name, "evidence": node.prov.location(),
            "ingestor": node.prov.ingestor, "attributes": node.attrs,
            "outgoing": out.iter().map(edge).collect::<Vec<_>>(), "incoming": inc.iter().map(edge).collect::<Vec<_>>(),
        });
        outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{} {}  [{}]", node.kind, line(&node.name), line(node.id.as_str()));
    outln!(
        "  evidence: {} (by {}, {})",
        line(&node.prov.location()),
        node.prov.ingestor,
        if node.prov.origin.is_declared() {
            "declared".to_string()
        } else {
            format!("inferred {:.2}", node.prov.origin.confidence())
        }
    );
    for (k, v) in &node.attrs {
        outln!("  {}: {}", line(k), line(v.lines().next().unwrap_or_default()));
    }
    for (title, edges, arrow) in [("outgoing", &out, "->"), ("incoming", &inc, "<-")] {
        if edges.is_empty() {
            continue;
        }
        outln!("{title}:");
        for e in edges.iter().take(100) {
            outln!(
                "  {arrow} {:<12} {}  ({})",
                e.edge.kind.as_str(),
                line(e.other.id.as_str()),
                line(&e.edge.prov.location())
            );
        }
        if edges.len() > 100 {
            outln!("  ... {} more", edges.len() - 100);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Rebuilds what derives from the store (the search index, the persisted snapshot) after
/// `brain` refused a damaged data dir. The old index and snapshot are moved aside, never
/// deleted: they may be the last evidence of what the store lost.
pub fn repair(data_dir: Option<PathBuf>, a: RepairArgs) -> Result<ExitCode> {
    let dir = match data_dir {
        Some(d) => d,
        None => data_dir_for(None, &load_config(a.config.as_deref())?),
    };
    if !dir.join("store").exists() {
        bail!("no store at {}: nothing to repair from", dir.display());
    }
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    for part in ["index", "snapshot.bin"] {
        let from = dir.join(part);
        if from.exists() {
            let to = dir.join(format!("{part}.damaged-{stamp}"));
            std::fs::rename(&from, &to).with_context(|| format!("moving {} aside", from.display()))?;
            eprintln!("kept {} as {}", from.display(), to.display());
        }
    }
    let brain = open_brain(&dir)?;
    let g = brain.snapshot();
    outln!(
        "repaired {}: index and snapshot rebuilt from the store ({} repos, {} nodes, generation {})",
        dir.display(),
        g.repos().len(),
        g.node_count(),
        g.generation()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn stats(data_dir: Option<PathBuf>, a: StatsArgs) -> Result<ExitCode> {
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let g = brain.snapshot();
    let s = g.stats();
    outln!(
        "{} nodes, {} edges, {} unresolved references, {} diagnostics",
        s.nodes,
        s.edges,
        s.unresolved,
        s.diagnostics
    );
    for (k, n) in &s.nodes_by_kind {
        outln!("  {:<10} {n}", k.as_str());
    }
    for r in g.repos().values() {
        outln!("repo {} at {} (commit {})", line(&r.name), line(&r.root), r.commit.as_deref().unwrap_or("-"));
        if let Some(h) = brain.history_stats(&r.name)? {
            outln!(
                "  history: {} commits up to {} ({}), {} files, {} co-change pairs",
                h.commits,
                &h.head[..h.head.len().min(12)],
                brain_model::history::iso_date(h.head_time),
                h.files,
                h.pairs
            );
        }
    }
    if a.diagnostics {
        for d in g.diagnostics() {
            outln!("{}", line(&d.render()));
        }
    }
    if a.disk {
        print_disk_use(&brain)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The data dir's bytes on disk (store, index, snapshot) against the bytes of data the store holds.
fn print_disk_use(brain: &Brain) -> Result<()> {
    let logical = brain.store().logical_bytes().context("reading the store")?;
    let total: u64 = logical.iter().map(|(_, b)| b).sum();
    let mb = |b: u64| b as f64 / 1e6;
    for (name, bytes) in &logical {
        outln!("  data {name:<14} {:>10.1} MB", mb(*bytes));
    }
    outln!("  data total          {:>10.1} MB", mb(total));
    let dir = brain.data_dir();
    let mut on_disk = 0u64;
    for part in ["store", "index", "snapshot.bin"] {
        let bytes = dir_bytes(&dir.join(part));
        on_disk += bytes;
        outln!("  disk {part:<14} {:>10.1} MB", mb(bytes));
    }
    let ratio = if total > 0 { on_disk as f64 / total as f64 } else { 0.0 };
    outln!("  disk total          {:>10.1} MB ({ratio:.2}x the data)", mb(on_disk));
    Ok(())
}

/// Bytes of the files under `path` (a file or a directory tree).
fn dir_bytes(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return 0 };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path).into_iter().flatten().flatten().map(|e| dir_bytes(&e.path())).sum()
}

#[derive(Args, Debug)]
pub struct SynthArgs {
    /// Directory to write the organisation into (with a brain.toml).
    pub out: PathBuf,
    #[arg(long, default_value_t = 4)]
    pub repos: usize,
    #[arg(long, default_value_t = 50)]
    pub files: usize,
    #[arg(long, default_value_t = 10)]
    pub functions: usize,
}

pub fn synth(a: SynthArgs) -> Result<ExitCode> {
    let spec = brain_synth::SynthSpec { repos: a.repos, files_per_repo: a.files, functions_per_file: a.functions };
    let s = brain_synth::generate(&a.out, &spec).with_context(|| format!("writing {}", a.out.display()))?;
    outln!("wrote {} files, {} lines, {} bytes under {}", s.files, s.lines, s.bytes, a.out.display());
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct HealthArgs {
    #[arg(long, default_value = "127.0.0.1:7777")]
    pub addr: SocketAddr,
}

pub fn health(a: HealthArgs) -> Result<ExitCode> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect_timeout(&a.addr, std::time::Duration::from_secs(2))
        .with_context(|| format!("connecting to {}", a.addr))?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(2)))?;
    write!(s, "GET /health HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", a.addr)?;
    let mut buf = String::new();
    s.read_to_string(&mut buf)?;
    if buf.starts_with("HTTP/1.1 200") {
        outln!("{}", buf.split("\r\n\r\n").nth(1).unwrap_or_default());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("unhealthy: {}", buf.lines().next().unwrap_or("no answer"));
        Ok(ExitCode::FAILURE)
    }
}

#[derive(Args, Debug)]
pub struct ImpactArgs {
    /// The ingested repo the diff, range or files belong to.
    #[arg(long)]
    pub repo: Option<String>,
    /// A unified diff file (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub diff: Option<PathBuf>,
    /// A git revision range in the repo's checkout (`main..HEAD`, `HEAD~1`).
    #[arg(long, value_name = "RANGE")]
    pub range: Option<String>,
    /// Changed files, optionally with lines: `src/model.rs:50-60` (repeatable).
    #[arg(long = "file", value_name = "PATH[:A-B]")]
    pub files: Vec<String>,
    /// Changed entity ids (repeatable).
    #[arg(long = "id", value_name = "ID")]
    pub ids: Vec<String>,
    /// Edges followed from the change, at most (default 6, at most 8; the same at every door).
    #[arg(long, value_name = "N")]
    pub depth: Option<u32>,
    /// Paths whose confidence (the product of their edges') is lower are not followed (default 0.3).
    #[arg(long, value_name = "0..1")]
    pub min_confidence: Option<f64>,
    /// The whole answer as JSON.
    #[arg(long)]
    pub json: bool,
    /// Every impacted entity with the path that reached it, instead of the summary.
    #[arg(long)]
    pub all: bool,
    /// In the summary, entities shown per repo and service (and lines per list).
    #[arg(long, default_value_t = 5)]
    pub per_group: usize,
    /// The brain.toml to read (policy; the data dir beside it).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn impact(data_dir: Option<PathBuf>, a: ImpactArgs) -> Result<ExitCode> {
    use brain_query as q;
    let config = load_config(a.config.as_deref()).ok();
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let g = brain.snapshot();
    let repo = match &a.repo {
        Some(r) => Some(r.clone()),
        None if g.repos().len() == 1 => g.repos().keys().next().cloned(),
        None => None,
    };
    let need_repo = || {
        repo.clone().ok_or_else(|| {
            anyhow::anyhow!(
                "say which repo with --repo (ingested: {})",
                g.repos().keys().cloned().collect::<Vec<_>>().join(", ")
            )
        })
    };
    let mut change = q::ChangeSet { ids: a.ids.iter().map(|i| NodeId::new(i.clone())).collect(), ..Default::default() };
    for f in &a.files {
        // `./src/api.rs` is normalised; an absolute path or one outside the repo is refused.
        change.files.push(q::ask::file_change(&need_repo()?, f).map_err(|e| anyhow::anyhow!("--file: {e}"))?);
    }
    let diff_text = match (&a.diff, &a.range) {
        (Some(_), Some(_)) => bail!("give --diff or --range, not both"),
        (Some(p), None) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
            Some(s)
        }
        (Some(p), None) => Some(std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?),
        (None, Some(range)) => {
            let name = need_repo()?;
            let root = g
                .repo(&name)
                .map(|r| PathBuf::from(&r.root))
                .ok_or_else(|| anyhow::anyhow!("repo '{name}' is not ingested"))?;
            Some(brain_server::gql::service::git_diff_at(&root, range).map_err(anyhow::Error::msg)?)
        }
        (None, None) => None,
    };
    if let Some(text) = diff_text {
        change.diff = Some(q::DiffChange { repo: need_repo()?, text });
    }
    if change.ids.is_empty() && change.files.is_empty() && change.diff.is_none() {
        bail!("nothing changed: give --diff, --range, --file or --id");
    }
    let (policy, warnings) =
        brain_ingest::policy::review_policy(config.as_ref().map(|c| c.policy.as_slice()).unwrap_or_default());
    for w in warnings {
        eprintln!("warning: {}", line(&w.to_string()));
    }
    let now = Some(brain_server::gql::service::now_secs());
    let opts = q::ask::impact_options(a.depth, a.min_confidence, None, now);
    let b = q::blast_radius(&g, &change, &opts, &policy);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&b)?);
    } else {
        let text = if a.all { q::impact::render_text(&b) } else { q::impact::render_summary(&b, a.per_group) };
        out!("{}", block(&text));
    }
    // A change naming what the graph does not hold cannot be judged: fail closed.
    if b.lane == q::Lane::Unknown {
        for r in &b.lane_reasons {
            eprintln!("error: {r}");
        }
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct PacketArgs {
    /// The task, in the words a ticket would use.
    pub intent: String,
    #[arg(long = "repo")]
    pub repos: Vec<String>,
    #[arg(long = "path")]
    pub paths: Vec<String>,
    #[arg(long, default_value_t = 4000)]
    pub budget: usize,
    /// Render the factory task packet instead of the context markdown.
    #[arg(long)]
    pub task: bool,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn packet(data_dir: Option<PathBuf>, a: PacketArgs) -> Result<ExitCode> {
    use brain_query as q;
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let g = brain.snapshot();
    let req = q::PacketRequest {
        intent: a.intent.clone(),
        scope: q::Scope { repos: a.repos, paths: a.paths, ids: vec![] },
        budget_tokens: a.budget.max(200),
        now: Some(brain_server::gql::service::now_secs()),
        min_hit_score: 0.0,
    };
    let p = brain.context_packet(&g, None, &req);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&p)?);
    } else if a.task {
        out!("{}", block(&q::render_task_packet(&p)));
    } else {
        out!("{}", block(&p.markdown));
    }
    Ok(if p.status == q::PacketStatus::NoMatch { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

#[derive(Args, Debug)]
pub struct LessonsArgs {
    #[command(subcommand)]
    pub action: LessonsAction,
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

#[derive(clap::Subcommand, Debug)]
pub enum LessonsAction {
    /// Write every lesson as a markdown file (front matter + text) into DIR.
    Export { dir: PathBuf },
    /// Read lesson markdown files from DIR back into the brain (same ids: nothing is duplicated).
    Import { dir: PathBuf },
}

/// Largest lesson file imported (lessons are a few paragraphs).
const MAX_LESSON_FILE_BYTES: u64 = 1024 * 1024;

/// Reads one lesson file of an import directory: a regular file (a symlink is
/// not followed: it may lead anywhere), at most [`MAX_LESSON_FILE_BYTES`], UTF-8.
fn read_lesson_file(path: &Path) -> std::result::Result<String, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.file_type().is_symlink() {
        return Err("is a symbolic link; not followed".into());
    }
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    if meta.len() > MAX_LESSON_FILE_BYTES {
        return Err(format!("is {} bytes, over the {MAX_LESSON_FILE_BYTES} byte limit for a lesson", meta.len()));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_string(&mut std::io::Read::take(f, MAX_LESSON_FILE_BYTES + 1), &mut text))
        .map_err(|e| format!("cannot read: {e}"))?;
    if text.len() as u64 > MAX_LESSON_FILE_BYTES {
        return Err(format!("grew over the {MAX_LESSON_FILE_BYTES} byte limit for a lesson while being read"));
    }
    Ok(text)
}

fn lesson_file_name(id: &str) -> String {
    let safe: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    format!("{safe}.md")
}

pub fn lessons(data_dir: Option<PathBuf>, a: LessonsArgs) -> Result<ExitCode> {
    use brain_query as q;
    let importing = matches!(a.action, LessonsAction::Import { .. });
    let brain = brain_at(data_dir, a.config.as_deref(), !importing)?;
    match a.action {
        LessonsAction::Export { dir } => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            let mut n = 0;
            for (id, facts) in brain.store().records()? {
                let Some(node) = facts.nodes.first().filter(|n| n.kind == NodeKind::Lesson) else { continue };
                let text = q::lesson_to_markdown(node, &facts.edges);
                std::fs::write(dir.join(lesson_file_name(&id)), text)?;
                n += 1;
            }
            outln!("exported {n} lessons to {}", dir.display());
        }
        LessonsAction::Import { dir } => {
            let mut n = 0;
            let mut failed = 0;
            let mut entries: Vec<_> = std::fs::read_dir(&dir)
                .with_context(|| format!("reading {}", dir.display()))?
                .flatten()
                .map(|e| e.path())
                .collect();
            entries.sort();
            for path in entries.into_iter().filter(|p| p.extension().is_some_and(|x| x == "md")) {
                let text = match read_lesson_file(&path) {
                    Ok(t) => t,
                    Err(why) => {
                        eprintln!("{}: {why}; skipped", path.display());
                        failed += 1;
                        continue;
                    }
                };
                match q::lesson_from_markdown(&text) {
                    Ok(rec) => {
                        let facts = q::learn::lesson_record_facts(&rec);
                        let id = facts.nodes.first().map(|n| n.id.0.clone()).unwrap_or_default();
                        brain.put_record(&id, facts)?;
                        n += 1;
                    }
                    Err(e) => {
                        eprintln!("{}: {e}", path.display());
                        failed += 1;
                    }
                }
            }
            outln!(
                "imported {n} lessons from {}{}",
                dir.display(),
                if failed > 0 { format!(" ({failed} files could not be read)") } else { String::new() }
            );
            if failed > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
}

/// What the inputs of `brain diff` are, when their content or name does not say.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SpecFormat {
    Openapi,
    Asyncapi,
    Jsonschema,
    Proto,
    Graphql,
}

impl SpecFormat {
    fn as_str(self) -> &'static str {
        match self {
            SpecFormat::Openapi => "openapi",
            SpecFormat::Asyncapi => "asyncapi",
            SpecFormat::Jsonschema => "jsonschema",
            SpecFormat::Proto => "proto",
            SpecFormat::Graphql => "graphql",
        }
    }
}

/// Exit code of `brain diff` when it could not compare (unreadable input, unknown format, parse error).
pub const DIFF_ERROR: u8 = 2;

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old version: a file, or `REPO@REV:PATH` (REPO is a checkout directory; REV a git revision).
    pub old: String,
    /// The new version: a file, or `REPO@REV:PATH`, or `REPO:PATH` for the working tree.
    pub new: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// Print JSON (the same as `--format json`).
    #[arg(long)]
    pub json: bool,
    /// What the inputs are, when neither their content (`openapi:`, `asyncapi:`, a json-schema.org
    /// `$schema`) nor their name (`.proto`, `.graphql`, `.schema.json`) says.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub spec_format: Option<SpecFormat>,
    /// Exit non-zero on warnings too, not only on breaking changes.
    #[arg(long)]
    pub strict: bool,
}

/// Reads a spec version: a plain file, `DIR@REV:PATH` (git show) or `DIR:PATH`.
fn read_spec(arg: &str) -> Result<(String, String)> {
    let plain = Path::new(arg);
    if plain.is_file() {
        return Ok((std::fs::read_to_string(plain).with_context(|| format!("reading {arg}"))?, arg.to_string()));
    }
    if let Some((repo_rev, path)) = arg.split_once(':') {
        if let Some((repo, rev)) = repo_rev.split_once('@') {
            let text = brain_server::gql::service::git_show(Path::new(repo), rev, path).map_err(anyhow::Error::msg)?;
            return Ok((text, path.to_string()));
        }
        let p = Path::new(repo_rev).join(path);
        return Ok((
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?,
            path.to_string(),
        ));
    }
    bail!("{arg} is not a file, REPO@REV:PATH or REPO:PATH")
}

/// `brain diff`: exit 0 no breaking change, 1 a breaking change (or a warning with `--strict`),
/// [`DIFF_ERROR`] when the versions could not be compared (the error on stderr, nothing on stdout).
pub fn diff(a: DiffArgs) -> Result<ExitCode> {
    match diff_inner(&a) {
        Ok(code) => Ok(code),
        Err(e) => {
            eprintln!("error: {}", block(&format!("{e:#}")));
            Ok(ExitCode::from(DIFF_ERROR))
        }
    }
}

fn diff_inner(a: &DiffArgs) -> Result<ExitCode> {
    use brain_ingest_contracts::diff::Level;
    let (old, old_path) = read_spec(&a.old)?;
    let (new, new_path) = read_spec(&a.new)?;
    let format = a.spec_format.map(SpecFormat::as_str);
    let changes = brain_server::gql::service::spec_diff_as(&old, &new, &old_path, &new_path, format)
        .map_err(anyhow::Error::msg)?;
    if a.json || a.format == DiffFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&changes)?);
    } else {
        if changes.is_empty() {
            outln!("no changes between {} and {}", a.old, a.new);
        }
        for c in &changes {
            let at = |l: &Option<brain_ingest_contracts::diff::Location>| {
                l.as_ref()
                    .map(|l| format!("{}:{}", l.path, l.line.map(|n| n.to_string()).unwrap_or_default()))
                    .unwrap_or_else(|| "-".into())
            };
            outln!(
                "{:<9} {:<45} {}\n          old {}  new {}",
                c.level.as_str(),
                c.rule,
                c.message,
                at(&c.old),
                at(&c.new)
            );
        }
        let breaking = changes.iter().filter(|c| c.level == Level::Breaking).count();
        let warnings = changes.iter().filter(|c| c.level == Level::Warning).count();
        outln!("{} changes: {breaking} breaking, {warnings} warnings", changes.len());
    }
    let fail = changes.iter().any(|c| c.level == Level::Breaking || (a.strict && c.level == Level::Warning));
    Ok(if fail { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// A brain.toml, a directory containing one, or a directory (as one repo). It is ingested first
    /// (only changed files are parsed).
    pub target: Option<PathBuf>,
    /// Also diff every spec against this git revision and name the consumers its breaking changes break.
    #[arg(long, value_name = "REV")]
    pub against: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Only findings touching these repos (repeatable).
    #[arg(long = "repo")]
    pub repos: Vec<String>,
    /// Only these rules (repeatable), e.g. field-casing-drift.
    #[arg(long = "rule")]
    pub rules: Vec<String>,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn check(data_dir: Option<PathBuf>, a: CheckArgs) -> Result<ExitCode> {
    // `brain check --data-dir D` with no config at hand checks what D holds, as ingested: the repos
    // are the ones stored there (their roots as configured when they were ingested).
    let stored_only = a.target.is_none()
        && !Path::new("brain.toml").exists()
        && data_dir.as_ref().is_some_and(|d| d.join("store").exists());
    let (config, brain) = match data_dir.as_deref().filter(|_| stored_only) {
        Some(dir) => {
            let brain = open_brain(dir)?;
            let repos = brain
                .snapshot()
                .repos()
                .values()
                .map(|r| RepoConfig {
                    name: r.name.clone(),
                    path: PathBuf::from(&r.root),
                    include: vec![],
                    exclude: vec![],
                })
                .collect();
            (Config { repos, ..Config::for_dir(Path::new(".")) }, brain)
        }
        None => {
            let config = load_config(a.target.as_deref())?;
            let brain = open_brain(&data_dir_for(data_dir, &config))?;
            (config, brain)
        }
    };
    let to_ingest: &[RepoConfig] = if stored_only { &[] } else { &config.repos };
    for (name, result) in brain.ingest_repos(to_ingest, &brain_ingest::NoProgress)? {
        let report = result.with_context(|| format!("ingesting {name}"))?;
        for d in report.diagnostics.iter().filter(|d| d.severity == brain_model::Severity::Error) {
            eprintln!("{}", line(&d.render()));
        }
    }
    let g = brain.snapshot();
    let (spec_diffs, problems) = match &a.against {
        Some(rev) => brain_server::gql::service::spec_diffs_against(&config.repos, &g, &brain, rev, &a.repos),
        None => (Vec::new(), Vec::new()),
    };
    for p in &problems {
        eprintln!("warning: {}", line(&p.to_string()));
    }
    let opts =
        brain_check::CheckOptions { rules: a.rules.clone(), repos: a.repos.clone(), min_severity: None, spec_diffs };
    let report = brain_check::check(&g, &opts);
    let out = match a.format {
        CheckFormat::Text => brain_check::to_text(&report),
        CheckFormat::Json => serde_json::to_string_pretty(&report.to_json())?,
        CheckFormat::Sarif => serde_json::to_string_pretty(&brain_check::to_sarif(&report))?,
    };
    match &a.output {
        Some(p) => std::fs::write(p, out).with_context(|| format!("writing {}", p.display()))?,
        None => outln!("{out}"),
    }
    Ok(if report.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

#[derive(Args, Debug)]
pub struct McpArgs {
    /// A brain.toml, a directory containing one, or a directory (as one repo).
    /// Its data dir is served; nothing is ingested unless `--ingest` is given.
    pub target: Option<PathBuf>,
    /// Ingest (only changed files) before serving.
    #[arg(long)]
    pub ingest: bool,
    /// Let the agent record failures and lessons.
    #[arg(long)]
    pub allow_writes: bool,
}

pub fn mcp(data_dir: Option<PathBuf>, a: McpArgs) -> Result<ExitCode> {
    let config = load_config(a.target.as_deref())?;
    let brain = Arc::new(open_brain(&data_dir_for(data_dir, &config))?);
    // The watcher and the reingest mutation read history with the config's settings too.
    brain.set_history_config(config.history.clone());
    brain.set_record_paths(config.records.clone());
    brain.prepare_for_writes()?;
    if a.ingest {
        for (name, result) in brain.ingest_repos(&config.repos, &brain_ingest::NoProgress)? {
            result.with_context(|| format!("ingesting {name}"))?;
        }
    }
    let server = brain_mcp::BrainMcp::new(brain, &config.policy).with_writes(a.allow_writes);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(brain_mcp::serve_stdio(server))?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// What the change is about, in a commit message's or a ticket's words.
    pub text: String,
    /// Only these repos (repeatable).
    #[arg(long = "repo", value_name = "REPO")]
    pub repos: Vec<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Files listed per commit (the rest are counted).
    #[arg(long, default_value_t = 8)]
    pub files: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Similar past changes: commits whose messages resemble the text, and the files they touched.
pub fn history(data_dir: Option<PathBuf>, a: HistoryArgs) -> Result<ExitCode> {
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let repos = (!a.repos.is_empty()).then_some(a.repos.as_slice());
    let changes = brain.similar_changes(repos, &a.text, a.limit.clamp(1, 1000))?;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&changes)?);
        return Ok(ExitCode::SUCCESS);
    }
    if changes.is_empty() {
        let stored = brain.store().histories().context("reading the store")?;
        if stored.is_empty() {
            outln!(
                "no git history is stored: `brain ingest` reads it for repos whose root is a git checkout ([history] in brain.toml)"
            );
        } else {
            outln!("no past change resembles '{}'", a.text);
        }
        return Ok(ExitCode::SUCCESS);
    }
    for c in &changes {
        let sha = &c.sha[..c.sha.len().min(10)];
        let date = brain_model::history::iso_date(c.time);
        outln!("{:>6.2}  {sha}  {date}  {}  {}  ({})", c.score, line(&c.repo), line(&c.subject), line(&c.author));
        if !c.files.is_empty() {
            let shown: Vec<&str> = c.files.iter().take(a.files).map(String::as_str).collect();
            let more = c.files.len().saturating_sub(shown.len());
            let more = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            outln!("        {}{more}", line(&shown.join(", ")));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct FlagsArgs {
    /// One flag key (`adFailure`); without it, every flag.
    #[arg(long)]
    pub key: Option<String>,
    /// Only flags defined or evaluated in this repository.
    #[arg(long)]
    pub repo: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Feature flags: definitions, evaluations, and the keys evaluated but never defined or defined but never evaluated.
pub fn flags(data_dir: Option<PathBuf>, a: FlagsArgs) -> Result<ExitCode> {
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let g = brain.snapshot();
    if let Some(r) = a.repo.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        if g.repo(r).is_none() {
            bail!("no ingested repository named '{r}'");
        }
    }
    let report = brain_query::flags(&g, &brain_query::ask::flag_query(a.key.as_deref(), a.repo.as_deref()));
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        outln!("{}", block(brain_query::render_flags(&report).trim_end()));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct ImagesArgs {
    /// The repository.
    pub repo: String,
    /// A file or directory in it (`.`: the whole repository).
    pub path: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Container images including a path, and services built from it.
pub fn images(data_dir: Option<PathBuf>, a: ImagesArgs) -> Result<ExitCode> {
    let brain = brain_for_query(data_dir, a.config.as_deref())?;
    let g = brain.snapshot();
    if g.repo(&a.repo).is_none() {
        bail!("no ingested repository named '{}'", a.repo);
    }
    let (path, including, services) =
        brain_query::ask::images_for_path(&g, &a.repo, &a.path).map_err(|e| anyhow::anyhow!("path: {e}"))?;
    if a.json {
        let v = serde_json::json!({ "repo": a.repo, "path": path, "images": including, "services": services });
        outln!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        outln!("{}", block(brain_query::render_images(&including, &services, &a.repo, &path).trim_end()));
    }
    Ok(ExitCode::SUCCESS)
}
