//! Retrieval quality of the context packet on real repository history, against
//! plain BM25 over whole files (issue 6).
//!
//! ```text
//! cargo run --release -p brain --example retrieval_eval -- \
//!     --git-dir /work/.mirror/psf+requests/repo --commits 100
//! ```
//!
//! For each selected commit the commit message is the intent and the parent
//! tree is the code: the parent tree is checked out into a scratch directory,
//! ingested with the shipped ingestors (one data dir per repository, reused
//! across commits so only changed files re-parse), and asked for a context
//! packet exactly as the MCP tool asks (search with the intent, the repo as
//! scope, a name index, span text from the store). The packet's items (owners
//! left out: they are people) are ranked by score, mapped to the file of their
//! provenance and de-duplicated. The baseline is a tantivy index with one
//! document per file (path + content, tantivy's default tokenizer, no
//! stemming) over exactly the files the brain holds as text, queried with the
//! same message. Recall@k = |changed ∩ top-k files| / |changed|.
//!
//! **Commit selection** (deterministic: same repository and flags, same
//! commits). Walk first-parent history from HEAD backwards and skip merges.
//! Skip commits whose subject is trivial: it mentions a typo, starts with
//! "Merge", "Revert", "Bump" or "Release", is a dependency update
//! (`chore(deps)`, `build(deps)`, dependabot, renovate), is a version
//! number (`v2.34.2`, `0.4.16`), or has fewer than two words. The changed
//! files are those modified or deleted (renames count as a delete of the old
//! path; added files cannot be retrieved). Keep the commit when it has
//! 1..=`--max-files` of them; after ingesting the parent tree, the target set
//! is the changed files the brain holds as text files, and the commit is
//! skipped when that set is empty. `--skip N` drops the first N commits that
//! pass, `--commits N` evaluates the next N.
//!
//! The message is the subject and body with trailers removed
//! (`Signed-off-by:`, `Co-authored-by:` and the like).
//!
//! `--misses` prints, for each commit where either side misses a file, the
//! subject, the changed files and both top-10 lists; `--out FILE` writes one
//! JSON line per commit with the top-20 lists for offline reading.

use anyhow::{bail, Context, Result};
use brain_ingest::{Brain, NoProgress, RepoConfig};
use brain_model::{NodeId, NodeKind};
use brain_query as q;
use brain_store::SearchQuery;
use clap::Parser;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, Value, STORED, STRING, TEXT};
use tantivy::{doc, Index, IndexReader, IndexWriter, TantivyDocument, Term};

/// Cut-offs at which recall is reported.
const KS: [usize; 3] = [5, 10, 20];

#[derive(Parser, Debug)]
#[command(about = "Recall of changed files in the context packet vs BM25, over real commits")]
struct Args {
    /// Bare (or normal) git directories with full history; repeatable.
    #[arg(long = "git-dir", required = true)]
    git_dirs: Vec<PathBuf>,
    /// Commits to evaluate per repository.
    #[arg(long, default_value_t = 100)]
    commits: usize,
    /// Eligible commits to skip first (from HEAD backwards).
    #[arg(long, default_value_t = 0)]
    skip: usize,
    /// Most modified-or-deleted files a commit may have.
    #[arg(long, default_value_t = 10)]
    max_files: usize,
    /// Token budget of the packet.
    #[arg(long, default_value_t = 32_000)]
    budget: usize,
    /// Scratch directory (checkouts and data dirs); default: a temp dir.
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Print the commits where either side misses a changed file.
    #[arg(long)]
    misses: bool,
    /// Write one JSON line per evaluated commit to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// A commit from the history walk that passed the message and size rules.
struct Candidate {
    sha: String,
    parent: String,
    message: String,
    /// Modified or deleted paths (they existed in the parent).
    changed: Vec<String>,
}

/// What one commit scored.
struct Outcome {
    packet: [f64; 3],
    bm25: [f64; 3],
    status: q::PacketStatus,
    ingest: Duration,
    packet_time: Duration,
    bm25_time: Duration,
}

/// Sums over commits, for means.
#[derive(Default)]
struct Tally {
    commits: usize,
    packet: [f64; 3],
    bm25: [f64; 3],
    weak: usize,
    no_match: usize,
    ingest: Duration,
    packet_time: Duration,
    bm25_time: Duration,
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        self.commits += 1;
        for k in 0..KS.len() {
            self.packet[k] += o.packet[k];
            self.bm25[k] += o.bm25[k];
        }
        match o.status {
            q::PacketStatus::Weak => self.weak += 1,
            q::PacketStatus::NoMatch => self.no_match += 1,
            q::PacketStatus::Ok => {}
        }
        self.ingest += o.ingest;
        self.packet_time += o.packet_time;
        self.bm25_time += o.bm25_time;
    }

    fn merge(&mut self, other: &Tally) {
        self.commits += other.commits;
        for k in 0..KS.len() {
            self.packet[k] += other.packet[k];
            self.bm25[k] += other.bm25[k];
        }
        self.weak += other.weak;
        self.no_match += other.no_match;
        self.ingest += other.ingest;
        self.packet_time += other.packet_time;
        self.bm25_time += other.bm25_time;
    }

    fn print(&self, label: &str) {
        let n = self.commits.max(1) as f64;
        let fmt = |v: &[f64; 3]| v.iter().map(|x| format!("{:5.3}", x / n)).collect::<Vec<_>>().join("  ");
        let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n;
        println!("== {label}: {} commits", self.commits);
        println!("   recall@5/10/20  packet {}", fmt(&self.packet));
        println!("   recall@5/10/20  bm25   {}", fmt(&self.bm25));
        println!("   packet status: {} weak, {} no_match", self.weak, self.no_match);
        println!(
            "   per commit: checkout+ingest {:.0} ms, packet {:.1} ms, bm25 {:.1} ms",
            ms(self.ingest),
            ms(self.packet_time),
            ms(self.bm25_time)
        );
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
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
    let mut overall = Tally::default();
    for git_dir in &args.git_dirs {
        let tally = eval_repo(git_dir, &work, &args, out.as_mut().map(|w| w as &mut dyn Write))?;
        tally.print(&repo_name(git_dir));
        overall.merge(&tally);
    }
    if args.git_dirs.len() > 1 {
        overall.print("overall");
    }
    if let Some(w) = out.as_mut() {
        w.flush()?;
    }
    Ok(())
}

/// A short repository name from its git dir (`/x/psf+requests/repo` -> `requests`).
fn repo_name(git_dir: &Path) -> String {
    let dir = if git_dir.file_name().is_some_and(|n| n == "repo" || n == ".git") {
        git_dir.parent().unwrap_or(git_dir)
    } else {
        git_dir
    };
    let raw = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "repo".into());
    let raw = raw.trim_end_matches(".git");
    raw.rsplit('+').next().unwrap_or(raw).to_string()
}

/// Evaluates up to `args.commits` commits of one repository.
fn eval_repo(git_dir: &Path, work: &Path, args: &Args, mut out: Option<&mut dyn Write>) -> Result<Tally> {
    let name = repo_name(git_dir);
    let checkout = work.join(format!("{name}-tree"));
    let data_dir = work.join(format!("{name}-data"));
    let index_file = work.join(format!("{name}-git-index"));
    let brain =
        Brain::open(&data_dir, brain_stack::ingestors(), brain_stack::passes()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let repo = RepoConfig { name: name.clone(), path: checkout.clone(), include: vec![], exclude: vec![] };
    let mut bm25 = Bm25::new()?;
    let mut tally = Tally::default();
    let mut skipped = 0usize;
    for cand in candidates(git_dir, args.max_files)? {
        if tally.commits >= args.commits {
            break;
        }
        let started = Instant::now();
        materialise(git_dir, &cand.parent, &checkout, &index_file)?;
        brain.ingest_repo(&repo, &NoProgress).map_err(|e| anyhow::anyhow!("{e}"))?;
        let graph = brain.snapshot();
        let text_files = text_files(&graph, &name);
        let targets: Vec<String> = cand.changed.iter().filter(|p| text_files.contains(*p)).cloned().collect();
        if targets.is_empty() {
            continue;
        }
        if skipped < args.skip {
            skipped += 1;
            continue;
        }
        let ingest = started.elapsed();
        let intent = intent_of(&cand.message);

        let t = Instant::now();
        let (packet_files, status) = packet_ranking(&brain, &name, &intent, args.budget);
        let packet_time = t.elapsed();

        let t = Instant::now();
        bm25.sync(&brain, &name, &text_files)?;
        let bm25_files = bm25.search(&intent, KS[KS.len() - 1])?;
        let bm25_time = t.elapsed();

        let o = Outcome {
            packet: recalls(&targets, &packet_files),
            bm25: recalls(&targets, &bm25_files),
            status,
            ingest,
            packet_time,
            bm25_time,
        };
        if args.misses && (o.packet[1] < 1.0 || o.bm25[1] < 1.0) {
            print_miss(&name, &cand, &targets, &packet_files, &bm25_files, &o);
        }
        if let Some(w) = out.as_deref_mut() {
            write_line(w, &name, &cand, &targets, &packet_files, &bm25_files, &o)?;
        }
        tally.add(&o);
    }
    Ok(tally)
}

// ---------------------------------------------------------------- commits

/// First-parent, non-merge commits from HEAD backwards that pass the message
/// and size rules (see the module docs), newest first.
fn candidates(git_dir: &Path, max_files: usize) -> Result<Vec<Candidate>> {
    let log = git(
        git_dir,
        &[
            "-c",
            "core.quotePath=false",
            "log",
            "--first-parent",
            "--no-merges",
            "--no-renames",
            "--name-status",
            "--format=%x1e%H %P%x1f%B%x1f",
            "HEAD",
        ],
    )?;
    Ok(log.split('\x1e').filter_map(|rec| parse_record(rec, max_files)).collect())
}

/// One `git log` record: `SHA PARENT\x1fMESSAGE\x1f` then name-status lines.
fn parse_record(rec: &str, max_files: usize) -> Option<Candidate> {
    let mut parts = rec.splitn(3, '\x1f');
    let head = parts.next()?.trim();
    let message = parts.next()?.trim().to_string();
    let status = parts.next().unwrap_or("");
    let mut ids = head.split_whitespace();
    let sha = ids.next()?.to_string();
    let parent = ids.next()?.to_string();
    if ids.next().is_some() || is_trivial(&message) {
        return None;
    }
    let changed: Vec<String> = status
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(s, p)| matches!(s.chars().next(), Some('M' | 'D' | 'T')) && !p.starts_with('"'))
        .map(|(_, p)| p.to_string())
        .collect();
    (1..=max_files).contains(&changed.len()).then_some(Candidate { sha, parent, message, changed })
}

/// Whether a commit message says too little to be a task (see the module docs).
fn is_trivial(message: &str) -> bool {
    let subject = message.lines().next().unwrap_or("").trim().to_lowercase();
    let words: Vec<&str> = subject.split_whitespace().collect();
    let versionish = |w: &str| {
        let w = w.trim_start_matches('v');
        w.contains('.')
            && w.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c.is_ascii_lowercase())
            && w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    words.len() < 2
        || subject.contains("typo")
        || ["merge", "revert", "bump", "release"].iter().any(|p| subject.starts_with(p))
        || ["(deps)", "(deps-dev)", "dependabot", "renovate"].iter().any(|p| subject.contains(p))
        || words.first().is_some_and(|w| versionish(w)) && words.len() <= 2
}

/// The message as a user would give it: subject and body without trailers.
fn intent_of(message: &str) -> String {
    const TRAILERS: &[&str] = &[
        "signed-off-by:",
        "co-authored-by:",
        "reviewed-by:",
        "acked-by:",
        "tested-by:",
        "reported-by:",
        "change-id:",
        "cc:",
    ];
    message
        .lines()
        .filter(|l| {
            let l = l.trim_start().to_lowercase();
            !TRAILERS.iter().any(|t| l.starts_with(t))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// Replaces `dir` with the tree of `rev`, through a private index file so the
/// git directory is not changed.
fn materialise(git_dir: &Path, rev: &str, dir: &Path, index_file: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    let _ = std::fs::remove_file(index_file);
    let run = |args: &[&str]| -> Result<()> {
        let st = Command::new("git")
            .arg("--git-dir")
            .arg(git_dir)
            .env("GIT_INDEX_FILE", index_file)
            .args(args)
            .status()
            .context("running git")?;
        if !st.success() {
            bail!("git {} failed", args.join(" "));
        }
        Ok(())
    };
    run(&["read-tree", rev])?;
    let prefix = format!("{}/", dir.display());
    run(&["checkout-index", "-a", "-f", &format!("--prefix={prefix}")])
}

fn git(git_dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git").arg("--git-dir").arg(git_dir).args(args).output().context("running git")?;
    if !out.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

// ---------------------------------------------------------------- rankings

/// Paths of the repo's File nodes that were read as text (not skipped as binary or huge).
fn text_files(graph: &brain_graph::Graph, repo: &str) -> BTreeSet<String> {
    graph
        .nodes_of_kind(NodeKind::File)
        .filter(|n| n.prov.repo == repo && n.attr("skipped").is_none())
        .map(|n| n.prov.path.to_string())
        .collect()
}

/// The packet's files in rank order, as the MCP `context_packet` tool builds it.
fn packet_ranking(brain: &Brain, repo: &str, intent: &str, budget: usize) -> (Vec<String>, q::PacketStatus) {
    let scope = q::Scope { repos: vec![repo.to_string()], paths: vec![], ids: vec![] };
    let query = SearchQuery { text: intent.to_string(), kinds: vec![], repos: scope.repos.clone(), limit: 40 };
    let hits: Vec<q::SearchHit> = brain
        .search(&query)
        .map(|h| h.into_iter().map(|h| q::SearchHit { id: NodeId::new(h.id), score: h.score }).collect())
        .unwrap_or_default();
    let graph = brain.snapshot();
    let names = q::NameIndex::build(&graph);
    let spans = brain_server::gql::service::StoreSpans(brain);
    let req = q::PacketRequest {
        intent: intent.to_string(),
        scope,
        budget_tokens: budget,
        now: Some(brain_server::gql::service::now_secs()),
        min_hit_score: 0.0,
    };
    let sources = q::PacketSources { spans: Some(&spans), names: Some(&names) };
    let packet = q::context_packet_with(&graph, &hits, &req, sources);
    (ranked_files(&packet), packet.status)
}

/// Item files by descending score (owners left out), first occurrence kept.
fn ranked_files(packet: &q::ContextPacket) -> Vec<String> {
    let mut items: Vec<&q::packet::PacketItem> = packet
        .items
        .iter()
        .filter(|i| i.section != q::packet::Section::Owners && !i.evidence.path.is_empty())
        .collect();
    items.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(std::cmp::Ordering::Equal));
    let mut seen = BTreeSet::new();
    items.into_iter().map(|i| i.evidence.path.clone()).filter(|p| seen.insert(p.clone())).collect()
}

/// Recall at each of [`KS`].
fn recalls(targets: &[String], ranked: &[String]) -> [f64; 3] {
    let mut r = [0.0; 3];
    for (slot, k) in r.iter_mut().zip(KS) {
        let top: BTreeSet<&String> = ranked.iter().take(k).collect();
        let found = targets.iter().filter(|t| top.contains(t)).count();
        *slot = found as f64 / targets.len().max(1) as f64;
    }
    r
}

/// Plain BM25 over whole files: one document per file, path + content.
struct Bm25 {
    index: Index,
    reader: IndexReader,
    writer: IndexWriter,
    key: Field,
    path: Field,
    content: Field,
    /// What is indexed now: path -> content hash.
    indexed: HashMap<String, blake3::Hash>,
}

impl Bm25 {
    fn new() -> Result<Self> {
        let mut b = Schema::builder();
        let key = b.add_text_field("key", STRING | STORED);
        let path = b.add_text_field("path", TEXT);
        let content = b.add_text_field("content", TEXT);
        let index = Index::create_in_ram(b.build());
        let writer = index.writer_with_num_threads(1, 64 * 1024 * 1024)?;
        let reader = index.reader()?;
        Ok(Bm25 { index, reader, writer, key, path, content, indexed: HashMap::new() })
    }

    /// Makes the index hold exactly `files` with the brain's stored content.
    fn sync(&mut self, brain: &Brain, repo: &str, files: &BTreeSet<String>) -> Result<()> {
        let gone: Vec<String> = self.indexed.keys().filter(|p| !files.contains(*p)).cloned().collect();
        for p in gone {
            self.writer.delete_term(Term::from_field_text(self.key, &p));
            self.indexed.remove(&p);
        }
        for p in files {
            let text = brain.content(repo, p).map_err(|e| anyhow::anyhow!("{e}"))?.unwrap_or_default();
            let hash = blake3::hash(text.as_bytes());
            if self.indexed.get(p) == Some(&hash) {
                continue;
            }
            self.writer.delete_term(Term::from_field_text(self.key, p));
            self.writer.add_document(doc!(self.key => p.as_str(), self.path => p.as_str(), self.content => text))?;
            self.indexed.insert(p.clone(), hash);
        }
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The `limit` best files for `text` (every word a should-clause on path and content).
    fn search(&self, text: &str, limit: usize) -> Result<Vec<String>> {
        let mut analyzer = self.index.tokenizer_for_field(self.content)?;
        let mut words = BTreeSet::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            words.insert(t.text.clone());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = words
            .iter()
            .flat_map(|w| [self.path, self.content].map(|f| (f, w)))
            .map(|(f, w)| {
                let tq = TermQuery::new(Term::from_field_text(f, w), IndexRecordOption::WithFreqs);
                (Occur::Should, Box::new(tq) as Box<dyn Query>)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(limit).order_by_score())?;
        let mut files = Vec::with_capacity(top.len());
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            if let Some(p) = d.get_first(self.key).and_then(|v| v.as_str()) {
                files.push(p.to_string());
            }
        }
        Ok(files)
    }
}

// ---------------------------------------------------------------- reports

fn subject(c: &Candidate) -> &str {
    c.message.lines().next().unwrap_or("")
}

fn print_miss(repo: &str, c: &Candidate, targets: &[String], packet: &[String], bm25: &[String], o: &Outcome) {
    let mark = |list: &[String]| -> String {
        list.iter()
            .take(10)
            .map(|p| if targets.contains(p) { format!("*{p}") } else { p.clone() })
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!("-- {repo} {} {}", &c.sha[..c.sha.len().min(10)], subject(c));
    println!("   changed: {}", targets.join(" "));
    println!("   packet  r@10 {:.2} ({:?}): {}", o.packet[1], o.status, mark(packet));
    println!("   bm25    r@10 {:.2}: {}", o.bm25[1], mark(bm25));
}

fn write_line(
    w: &mut dyn Write,
    repo: &str,
    c: &Candidate,
    targets: &[String],
    packet: &[String],
    bm25: &[String],
    o: &Outcome,
) -> Result<()> {
    let line = serde_json::json!({
        "repo": repo,
        "sha": c.sha,
        "subject": subject(c),
        "targets": targets,
        "status": format!("{:?}", o.status),
        "packet": packet.iter().take(20).collect::<Vec<_>>(),
        "bm25": bm25.iter().take(20).collect::<Vec<_>>(),
        "packet_recall": o.packet,
        "bm25_recall": o.bm25,
    });
    writeln!(w, "{line}")?;
    Ok(())
}
