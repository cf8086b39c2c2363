//! Faults: `brain serve --watch` and `brain ingest` are SIGKILLed at random
//! points in a scripted loop, and the data dir is put on a read-only or a
//! full file system.
//!
//! After every kill the store reopens, every lesson and failure the API
//! acknowledged is there (in the store, by id over GraphQL and by its words
//! through the search index), each repository holds its old or its new files
//! (never a mix), and the search index agrees with the store: an index that
//! carries the store's generation holds exactly one document per stored node;
//! one that is behind is rebuilt by the next open. Two fresh opens of the same
//! data dir (`brain stats`, then `brain serve`'s `/health`) count the same graph.
//!
//! Repeatable commands (every run prints its seed; the same seed replays the
//! same schedule of kills, edits and writes, the timing of a kill aside):
//!
//! ```text
//! cargo test -p brain --test faults                       # short loop (CI) and the mount scenarios
//! BRAIN_FAULT_ITERATIONS=300 BRAIN_FAULT_SEED=7 \
//!   cargo test -p brain --test faults -- --ignored --nocapture kill_loop_long
//! ```
//!
//! The mount scenarios (read-only data dir, full disk) mount tmpfs file systems
//! and need root; without it they fail and say why, unless
//! `BRAIN_SKIP_MOUNT_TESTS=1` is set, which skips them with a message.

#[path = "../../server/tests/common/mod.rs"]
mod common;
mod support;

use brain_model::NodeId;
use brain_store::{FactStore, SearchIndex, SledStore};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TOKEN: &str = "fault-loop-write-token";
const LANGS: [&str; 4] = ["rs", "ts", "py", "go"];

// ---------------------------------------------------------------------------
// Small helpers: a seeded RNG, an HTTP/1.1 client, the brain binary.

/// xorshift64*: enough randomness for a repeatable schedule, no dependency.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn seed_from_env() -> u64 {
    std::env::var("BRAIN_FAULT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1)
    })
}

fn brain() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brain"));
    c.env("CI", "1").env_remove("BRAIN_DATA_DIR").env_remove("BRAIN_READ_TOKEN").env_remove("BRAIN_WRITE_TOKEN");
    c
}

/// One HTTP/1.1 request; (status, body).
fn http(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.set_write_timeout(Some(Duration::from_secs(10)))?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    if !text.contains("\r\n\r\n") {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no complete HTTP response"));
    }
    Ok(common::parse_response(&text))
}

fn gql(addr: SocketAddr, query: &str, variables: Value) -> std::io::Result<(u16, Value)> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let (status, text) = http(addr, "POST", "/graphql", Some(TOKEN), &body)?;
    let v = serde_json::from_str(&text)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{e}: {text}")))?;
    Ok((status, v))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// A `brain serve` process; SIGKILLed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Server {
    fn spawn(config: &Path, data: &Path, log: &Path, watch: bool) -> Server {
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let out = std::fs::File::create(log).expect("server log");
        let err = out.try_clone().expect("server log");
        let mut cmd = brain();
        cmd.arg("serve").arg(config).arg("--data-dir").arg(data).arg("--addr").arg(addr.to_string());
        if watch {
            cmd.arg("--watch");
        }
        let child = cmd
            .env("BRAIN_WRITE_TOKEN", TOKEN)
            .env("BRAIN_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("spawn brain serve");
        Server { child, addr, log: log.to_path_buf() }
    }

    /// Polls /health until it answers 200; Err(log) when the process exits first.
    fn wait_healthy(&mut self, limit: Duration) -> Result<Value, String> {
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("brain serve exited with {status}:\n{}", tail(&self.log, 30)));
            }
            if let Ok((200, body)) = http(self.addr, "GET", "/health", None, "") {
                return serde_json::from_str(&body).map_err(|e| format!("bad /health body {body}: {e}"));
            }
            if started.elapsed() > limit {
                return Err(format!("no /health within {limit:?}:\n{}", tail(&self.log, 30)));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts a server and waits for it (retrying when the picked port was taken meanwhile).
    fn start(config: &Path, data: &Path, log: &Path, watch: bool) -> (Server, Value) {
        let mut last = String::new();
        for _ in 0..5 {
            let mut s = Server::spawn(config, data, log, watch);
            match s.wait_healthy(Duration::from_secs(180)) {
                Ok(h) => return (s, h),
                Err(e) if e.contains("cannot listen") => last = e,
                Err(e) => panic!("brain serve did not start: {e}"),
            }
        }
        panic!("brain serve could not bind a port: {last}")
    }

    fn kill(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn assert_no_panic(text: &str, what: &str) {
    assert!(
        !text.contains("panicked at") && !text.contains("RUST_BACKTRACE"),
        "{what} panicked instead of reporting an error:\n{text}"
    );
}

// ---------------------------------------------------------------------------
// Consistency checks on a data dir nobody has open.

fn store_hashes(store: &SledStore, repos: &[String]) -> HashMap<String, BTreeMap<String, String>> {
    repos
        .iter()
        .map(|r| {
            let units = store.unit_hashes(r).expect("unit hashes").into_iter().filter(|(p, _)| !p.is_empty()).collect();
            (r.clone(), units)
        })
        .collect()
}

/// What [`check_data_dir`] found.
#[derive(Debug, PartialEq)]
enum IndexState {
    /// The index carries the store's generation and holds exactly its nodes.
    Agrees,
    /// The index is behind the store (a kill between the store commit and
    /// the index commit); the next open rebuilds it.
    Behind { index: u64, store: u64 },
}

/// The store reopens, holds every acknowledged record, and the index agrees
/// with it or is behind it (never ahead, never stamped current while different).
/// Returns the index state and the store's per-repo unit hashes.
fn check_data_dir(
    data: &Path,
    acks: &[Ack],
    repos: &[String],
    ctx: &str,
) -> (IndexState, HashMap<String, BTreeMap<String, String>>) {
    let store = SledStore::open(&data.join("store")).unwrap_or_else(|e| {
        panic!("{ctx}: the store does not reopen after the kill: {e}{}", lock_holders(&data.join("store/db")))
    });
    let records: HashMap<String, brain_model::Facts> = store.records().expect("records").into_iter().collect();
    for a in acks {
        assert!(
            records.contains_key(&a.id),
            "{ctx}: acknowledged {} {} ({}) is not in the store",
            a.kind,
            a.id,
            a.marker
        );
    }
    let mut expected: Vec<String> = Vec::new();
    store
        .for_each_unit(&mut |_, _, unit| expected.extend(unit.facts.nodes.iter().map(|n| n.id.0.to_string())))
        .expect("units");
    for facts in records.values() {
        expected.extend(facts.nodes.iter().map(|n| n.id.0.to_string()));
    }
    let store_gen = store.generation();
    let hashes = store_hashes(&store, repos);
    drop(store);
    let (index, index_gen) = SearchIndex::open(&data.join("index"))
        .unwrap_or_else(|e| panic!("{ctx}: the search index does not reopen: {e}"));
    assert!(
        index_gen <= store_gen,
        "{ctx}: the index says generation {index_gen} but the store is at {store_gen}: the store lost a commit"
    );
    if index_gen < store_gen {
        return (IndexState::Behind { index: index_gen, store: store_gen }, hashes);
    }
    let mut have = index.indexed_ids().expect("indexed ids");
    have.sort();
    expected.sort();
    if have != expected {
        let h: HashSet<&String> = have.iter().collect();
        let e: HashSet<&String> = expected.iter().collect();
        let missing: Vec<_> = e.difference(&h).take(10).collect();
        let extra: Vec<_> = h.difference(&e).take(10).collect();
        panic!(
            "{ctx}: the index is stamped with the store's generation {store_gen} but disagrees with it: {} docs vs {} nodes; missing {missing:?}; extra {extra:?}",
            have.len(),
            expected.len()
        );
    }
    (IndexState::Agrees, hashes)
}

/// Who holds a lock on `file`, from /proc/locks (to tell our own process from a survivor).
fn lock_holders(file: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    let Ok(ino) = std::fs::metadata(file).map(|m| m.ino()) else { return String::new() };
    let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    let holders: Vec<String> = locks
        .lines()
        .filter(|l| l.split_whitespace().nth(5).is_some_and(|dev| dev.ends_with(&format!(":{ino}"))))
        .filter_map(|l| l.split_whitespace().nth(4))
        .map(|pid| {
            let cmd = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap_or_default().replace('\0', " ");
            format!("pid {pid} ({})", if pid == std::process::id().to_string() { "this test" } else { cmd.trim() })
        })
        .collect();
    format!("\nlock holders of {}: {holders:?}", file.display())
}

/// `brain stats` on the data dir: a fresh open (which rebuilds a stale index); (nodes, edges).
fn stats_counts(data: &Path, ctx: &str) -> (u64, u64) {
    let out = brain().arg("stats").arg("--data-dir").arg(data).output().expect("run brain stats");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{ctx}: brain stats failed after the kill: {stderr}");
    let first = stdout.lines().next().unwrap_or_default();
    let nums: Vec<u64> = first.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse().ok()).collect();
    assert!(nums.len() >= 2, "{ctx}: unexpected stats output: {stdout}");
    (nums[0], nums[1])
}

// ---------------------------------------------------------------------------
// The load: writers of lessons and failures, and an editor of source files.

#[derive(Clone, Debug)]
struct Ack {
    id: String,
    kind: &'static str,
    /// A word only this record contains, to find it through the search index.
    marker: String,
}

#[derive(Default)]
struct Tally {
    sent: u64,
    acked: u64,
    /// Requests cut off by the kill (connection refused or reset).
    cut: u64,
    edits: u64,
    reingests: u64,
    /// GraphQL errors, which must not happen while nothing is faulty.
    errors: Vec<String>,
}

/// A word of letters only (the identifier tokenizer splits at digits).
fn marker(seed: u64, n: u64) -> String {
    let mut s = String::from("zq");
    for mut v in [seed % 456_976, n] {
        for _ in 0..5 {
            s.push((b'a' + (v % 26) as u8) as char);
            v /= 26;
        }
    }
    s
}

const RECORD_LESSON: &str = "mutation($input: LessonInputGql!) { recordLesson(input: $input) { id } }";
const RECORD_FAILURE: &str = "mutation($input: FailureInputGql!) { recordFailure(input: $input) { failure { id } } }";

fn writer(
    addr: SocketAddr,
    seed: u64,
    counter: Arc<AtomicU64>,
    anchors: Vec<String>,
    stop: Arc<AtomicBool>,
) -> (Vec<Ack>, Tally) {
    let mut rng = Rng::new(seed);
    let mut acks = Vec::new();
    let mut t = Tally::default();
    while !stop.load(Ordering::Relaxed) {
        let m = marker(seed, counter.fetch_add(1, Ordering::Relaxed));
        let anchor = rng.pick(&anchors).clone();
        let lesson = rng.chance(60);
        let (query, vars, path, kind) = if lesson {
            let input = json!({ "text": format!("fault loop lesson {m}: retry the write after a crash"),
                "appliesTo": [anchor], "tags": ["faults"], "author": "fault-loop" });
            (RECORD_LESSON, json!({ "input": input }), ["recordLesson", "id"], "lesson")
        } else {
            let input = json!({ "title": format!("fault loop failure {m} in the writer"),
                "text": "killed mid-write", "affected": [anchor], "author": "fault-loop" });
            (RECORD_FAILURE, json!({ "input": input }), ["recordFailure", "failure"], "failure")
        };
        t.sent += 1;
        match gql(addr, query, vars) {
            Ok((200, v)) if v.get("errors").is_none_or(Value::is_null) => {
                let node = &v["data"][path[0]][path[1]];
                let id = if kind == "lesson" { node.as_str() } else { node["id"].as_str() };
                match id {
                    Some(id) => {
                        t.acked += 1;
                        acks.push(Ack { id: id.to_string(), kind, marker: m });
                    }
                    None => t.errors.push(format!("no id in an answer without errors: {v}")),
                }
            }
            Ok((status, v)) => t.errors.push(format!("{kind}: HTTP {status}: {v}")),
            Err(_) => {
                // The server is gone (killed): this request was cut off.
                t.cut += 1;
                break;
            }
        }
    }
    (acks, t)
}

fn editor(addr: SocketAddr, org: PathBuf, repos: Vec<String>, seed: u64, stop: Arc<AtomicBool>) -> Tally {
    let mut rng = Rng::new(seed);
    let mut t = Tally::default();
    let mut n = 0u64;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let r = rng.below(repos.len() as u64) as usize;
        match rng.below(10) {
            0..=7 => {
                edit_files(&org, &repos, r, 1 + rng.below(3) as usize, &mut rng, seed ^ n);
                t.edits += 1;
            }
            _ => {
                t.sent += 1;
                let q = "mutation($repo: String!) { reingest(repo: $repo) { parsed } }";
                match gql(addr, q, json!({ "repo": repos[r] })) {
                    Ok((200, v)) if v.get("errors").is_none_or(Value::is_null) => t.reingests += 1,
                    Ok((status, v)) => t.errors.push(format!("reingest: HTTP {status}: {v}")),
                    Err(_) => {
                        t.cut += 1;
                        break;
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(10 + rng.below(60)));
    }
    t
}

/// Appends to `count` source files of repo `r`, or adds or deletes a file of its own.
fn edit_files(org: &Path, repos: &[String], r: usize, count: usize, rng: &mut Rng, tag: u64) {
    let lang = LANGS[r % LANGS.len()];
    let src = org.join(repos[r].trim_start_matches("synth/")).join("src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&src).expect("src").flatten().map(|e| e.path()).collect();
    files.sort();
    let ours: Vec<PathBuf> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("fault")))
        .cloned()
        .collect();
    let comment = if lang == "py" { "#" } else { "//" };
    match rng.below(8) {
        0 => {
            let body = match lang {
                "rs" => format!("pub fn fault_fn_{tag}() -> u64 {{ {tag} }}\n"),
                "ts" => format!("export function faultFn{tag}(): number {{ return {tag}; }}\n"),
                "py" => format!("def fault_fn_{tag}():\n    return {tag}\n"),
                _ => format!("package svc\n\nfunc FaultFn{tag}() int {{ return {} }}\n", tag % 1000),
            };
            let _ = std::fs::write(src.join(format!("fault{tag}.{lang}")), body);
        }
        1 if !ours.is_empty() => {
            let _ = std::fs::remove_file(rng.pick(&ours));
        }
        _ => {
            for _ in 0..count {
                let p = rng.pick(&files);
                if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(p) {
                    let _ = writeln!(f, "{comment} fault edit {tag}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The loop.

struct World {
    _tmp: tempfile::TempDir,
    org: PathBuf,
    config: PathBuf,
    data: PathBuf,
    logs: PathBuf,
    repos: Vec<String>,
    anchors: Vec<String>,
}

fn world(repos: usize, files: usize) -> World {
    let tmp = tempfile::tempdir().expect("tempdir");
    let org = tmp.path().join("org");
    let spec = brain_synth::SynthSpec { repos, files_per_repo: files, functions_per_file: 6 };
    brain_synth::generate(&org, &spec).expect("synth");
    let names: Vec<String> = (0..repos).map(|r| format!("synth/svc{r:04}")).collect();
    let anchors = names
        .iter()
        .flat_map(|r| {
            [
                NodeId::repo(r).0.to_string(),
                NodeId::file(r, "openapi.yaml").0.to_string(),
                NodeId::file(r, ".github/CODEOWNERS").0.to_string(),
            ]
        })
        .collect();
    let logs = tmp.path().join("logs");
    std::fs::create_dir_all(&logs).expect("logs");
    World { config: org.join("brain.toml"), data: tmp.path().join("data"), org, logs, repos: names, anchors, _tmp: tmp }
}

#[derive(Default, Debug)]
struct Summary {
    iterations: u64,
    serve_kills: u64,
    startup_kills: u64,
    ingest_kills: u64,
    /// Ingest kills after which a changed repo already held its new files.
    ingest_kills_landed: u64,
    lessons: u64,
    failures: u64,
    writes_sent: u64,
    writes_cut: u64,
    edits: u64,
    reingests: u64,
    index_behind: u64,
}

/// Checks over the API that every acknowledged record is served by id and
/// found by its marker word through the search index.
fn check_online(addr: SocketAddr, acks: &[Ack], ctx: &str) {
    for chunk in acks.chunks(40) {
        let mut q = String::from("{");
        for (i, a) in chunk.iter().enumerate() {
            let id = serde_json::to_string(&a.id).expect("json");
            let m = serde_json::to_string(&a.marker).expect("json");
            q.push_str(&format!(
                " n{i}: node(id: {id}) {{ id }} s{i}: search(query: {m}, first: 5) {{ entity {{ id }} }}"
            ));
        }
        q.push_str(" }");
        let (status, v) = gql(addr, &q, json!({})).unwrap_or_else(|e| panic!("{ctx}: verification query failed: {e}"));
        assert_eq!(status, 200, "{ctx}: {v}");
        assert!(v.get("errors").is_none_or(Value::is_null), "{ctx}: {v}");
        for (i, a) in chunk.iter().enumerate() {
            assert_eq!(
                v["data"][format!("n{i}")]["id"].as_str(),
                Some(a.id.as_str()),
                "{ctx}: acknowledged {} {} is not served by id",
                a.kind,
                a.id
            );
            let found = v["data"][format!("s{i}")]
                .as_array()
                .is_some_and(|hits| hits.iter().any(|h| h["entity"]["id"].as_str() == Some(a.id.as_str())));
            assert!(found, "{ctx}: acknowledged {} {} is not found by searching '{}'", a.kind, a.id, a.marker);
        }
    }
}

/// Runs `iterations` kills (or until `budget` is spent) and returns what happened.
fn kill_loop(iterations: u64, budget: Option<Duration>, repos: usize, files: usize) -> Summary {
    let seed = seed_from_env();
    println!("fault loop: seed {seed} (replay with BRAIN_FAULT_SEED={seed}), {iterations} iterations");
    let started = Instant::now();
    let w = world(repos, files);
    let mut rng = Rng::new(seed);
    let counter = Arc::new(AtomicU64::new(0));

    let t0 = Instant::now();
    let out =
        brain().arg("ingest").arg(&w.config).arg("--data-dir").arg(&w.data).arg("--quiet").output().expect("ingest");
    assert!(out.status.success(), "first ingest: {}", String::from_utf8_lossy(&out.stderr));
    let full_ingest = t0.elapsed();
    // A typical incremental ingest: open, walk, parse a few files, commit, snapshot.
    edit_files(&w.org, &w.repos, 0, 3, &mut rng, 0);
    let t0 = Instant::now();
    let out =
        brain().arg("ingest").arg(&w.config).arg("--data-dir").arg(&w.data).arg("--quiet").output().expect("ingest");
    assert!(out.status.success(), "second ingest: {}", String::from_utf8_lossy(&out.stderr));
    let small_ingest = t0.elapsed();
    let t0 = Instant::now();
    let (mut s, _) = Server::start(&w.config, &w.data, &w.logs.join("serve-first.log"), true);
    let startup = t0.elapsed();
    s.kill();
    println!(
        "  org: {repos} repos x {files} files; full ingest {full_ingest:?}, incremental {small_ingest:?}, server start {startup:?}"
    );

    let mut acks: Vec<Ack> = Vec::new();
    let mut unchecked_online = 0usize; // acks[unchecked_online..] were not yet checked over the API
    let mut expected_counts = Some(stats_counts(&w.data, "before the loop"));
    let mut sum = Summary::default();
    let mut all_errors = Vec::new();
    for it in 0..iterations {
        if budget.is_some_and(|b| started.elapsed() > b) {
            break;
        }
        sum.iterations += 1;
        // The first three iterations try each kind of kill once; then the RNG picks.
        let mode = match it {
            0 => 0,
            1 => 20,
            2 => 99,
            _ => rng.below(100),
        };
        let ctx = format!("seed {seed} iteration {it}");
        let log = w.logs.join(format!("serve-{}.log", it % 4));
        let mut old_hashes = None;
        if mode < 20 {
            // Kill an ingest at a random point; a third of them change every file of a repo.
            let r = rng.below(w.repos.len() as u64) as usize;
            let all = rng.chance(33);
            edit_files(&w.org, &w.repos, r, if all { files } else { 1 + rng.below(4) as usize }, &mut rng, it + 1);
            let store = SledStore::open(&w.data.join("store")).unwrap_or_else(|e| panic!("{ctx}: store: {e}"));
            old_hashes = Some(store_hashes(&store, &w.repos));
            drop(store);
            let horizon =
                (if all { full_ingest / repos as u32 + small_ingest } else { small_ingest }).as_millis() as u64;
            let delay = rng.below(horizon * 3 / 2 + 1);
            let mut child = brain()
                .arg("ingest")
                .arg(&w.config)
                .arg("--data-dir")
                .arg(&w.data)
                .arg("--quiet")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn brain ingest");
            std::thread::sleep(Duration::from_millis(delay));
            let _ = child.kill();
            let _ = child.wait();
            sum.ingest_kills += 1;
        } else if mode < 32 {
            // Kill the server while it opens (store, index rebuild, first snapshot).
            let mut s = Server::spawn(&w.config, &w.data, &log, true);
            std::thread::sleep(Duration::from_millis(rng.below(startup.as_millis() as u64 * 3 / 2 + 1)));
            s.kill();
            assert_no_panic(&std::fs::read_to_string(&log).unwrap_or_default(), &format!("{ctx}: brain serve"));
            sum.startup_kills += 1;
        } else {
            // Serve, check, load, kill.
            let (mut s, health) = Server::start(&w.config, &w.data, &log, true);
            if let Some((nodes, edges)) = expected_counts.take() {
                assert_eq!(
                    (health["nodes"].as_u64(), health["edges"].as_u64()),
                    (Some(nodes), Some(edges)),
                    "{ctx}: two fresh opens of the same data dir count different graphs"
                );
            }
            // Everything acknowledged since the last API check, and a sample of the older ones.
            let mut to_check: Vec<Ack> = acks[unchecked_online..].to_vec();
            for _ in 0..20.min(unchecked_online) {
                to_check.push(acks[rng.below(unchecked_online as u64) as usize].clone());
            }
            check_online(s.addr, &to_check, &ctx);
            unchecked_online = acks.len();

            let stop = Arc::new(AtomicBool::new(false));
            let mut writers = Vec::new();
            for _ in 0..2 {
                let (addr, c, a, st, sd) = (s.addr, counter.clone(), w.anchors.clone(), stop.clone(), rng.next());
                writers.push(std::thread::spawn(move || writer(addr, sd, c, a, st)));
            }
            let ed = {
                let (addr, org, repos, st, sd) = (s.addr, w.org.clone(), w.repos.clone(), stop.clone(), rng.next());
                std::thread::spawn(move || editor(addr, org, repos, sd, st))
            };
            std::thread::sleep(Duration::from_millis(rng.below(2500)));
            s.kill();
            stop.store(true, Ordering::Relaxed);
            for h in writers {
                let (a, t) = h.join().expect("writer thread");
                sum.lessons += a.iter().filter(|a| a.kind == "lesson").count() as u64;
                sum.failures += a.iter().filter(|a| a.kind == "failure").count() as u64;
                sum.writes_sent += t.sent;
                sum.writes_cut += t.cut;
                all_errors.extend(t.errors);
                acks.extend(a);
            }
            let t = ed.join().expect("editor thread");
            sum.edits += t.edits;
            sum.reingests += t.reingests;
            all_errors.extend(t.errors);
            assert_no_panic(&std::fs::read_to_string(&log).unwrap_or_default(), &format!("{ctx}: brain serve"));
            sum.serve_kills += 1;
        }

        // After the kill, with nothing running: the store reopens and holds
        // every acknowledged write; the index agrees with it or is behind.
        let (state, hashes) = check_data_dir(&w.data, &acks, &w.repos, &ctx);
        if let Some(old) = old_hashes {
            let new = support::disk_hashes(&w.org, &w.repos);
            let mut landed = false;
            for r in &w.repos {
                let (now, was, disk) = (&hashes[r], &old[r], &new[r]);
                assert!(now == was || now == disk, "{ctx}: {r} holds a mix of two ingests after the kill");
                landed |= now != was;
            }
            if landed {
                sum.ingest_kills_landed += 1;
            }
        }
        if matches!(state, IndexState::Behind { .. }) {
            sum.index_behind += 1;
        }
        // A fresh open rebuilds a stale index; afterwards it agrees exactly.
        expected_counts = Some(stats_counts(&w.data, &ctx));
        let (after, _) = check_data_dir(&w.data, &acks, &w.repos, &format!("{ctx} (after reopening)"));
        assert_eq!(after, IndexState::Agrees, "{ctx}: reopening did not bring the index up to the store");
        if it % 10 == 9 {
            println!("  {it}: {sum:?} after {:?}", started.elapsed());
        }
    }

    // Finally every acknowledged record, over the API.
    let (s, _) = Server::start(&w.config, &w.data, &w.logs.join("serve-final.log"), false);
    check_online(s.addr, &acks, &format!("seed {seed} final check"));
    drop(s);
    assert!(
        all_errors.is_empty(),
        "seed {seed}: GraphQL errors while nothing was faulty: {:#?}",
        &all_errors[..all_errors.len().min(10)]
    );
    println!(
        "fault loop: seed {seed}: {} kills ({} serving, {} starting, {} ingesting) in {:?}; {} lessons and {} failures acknowledged (of {} sent, {} cut off by kills), all present; index behind the store after {} kills, rebuilt each time; {} edits, {} reingests",
        sum.serve_kills + sum.startup_kills + sum.ingest_kills,
        sum.serve_kills,
        sum.startup_kills,
        sum.ingest_kills,
        started.elapsed(),
        sum.lessons,
        sum.failures,
        sum.writes_sent,
        sum.writes_cut,
        sum.index_behind,
        sum.edits,
        sum.reingests
    );
    sum
}

#[test]
fn killing_serve_and_ingest_at_random_points_loses_nothing() {
    let n = std::env::var("BRAIN_FAULT_SHORT_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    let sum = kill_loop(n, None, 3, 12);
    assert_eq!(sum.iterations, n);
}

/// The long version: `BRAIN_FAULT_ITERATIONS` kills (default 250), or until
/// `BRAIN_FAULT_MINUTES` have passed.
#[test]
#[ignore = "long: run with --ignored (BRAIN_FAULT_ITERATIONS, BRAIN_FAULT_MINUTES, BRAIN_FAULT_SEED)"]
fn kill_loop_long() {
    let n = std::env::var("BRAIN_FAULT_ITERATIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(250);
    let budget = std::env::var("BRAIN_FAULT_MINUTES")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(|m| Duration::from_secs(m * 60));
    kill_loop(n, budget, 4, 25);
}

// ---------------------------------------------------------------------------
// Read-only and full file systems: real tmpfs mounts (root only).

/// A tmpfs mounted for one test; unmounted when dropped.
struct Mount {
    dir: PathBuf,
}

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Result<Mount, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!("`mount -t tmpfs` failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
        }
        Ok(Mount { dir: dir.to_path_buf() })
    }

    fn remount(&self, opts: &str) {
        let out =
            Command::new("mount").args(["-o", &format!("remount,{opts}")]).arg(&self.dir).output().expect("mount");
        assert!(
            out.status.success(),
            "mount -o remount,{opts} {}: {}",
            self.dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount").arg(&self.dir).status().is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// Mounts a tmpfs, or fails saying why, unless BRAIN_SKIP_MOUNT_TESTS=1 says to skip.
fn tmpfs_or_skip(dir: &Path, size: &str, test: &str) -> Option<Mount> {
    match Mount::tmpfs(dir, size) {
        Ok(m) => Some(m),
        Err(why) if std::env::var("BRAIN_SKIP_MOUNT_TESTS").is_ok_and(|v| v == "1") => {
            eprintln!("SKIPPED {test}: {why} (BRAIN_SKIP_MOUNT_TESTS=1)");
            None
        }
        Err(why) => panic!(
            "{test} mounts a tmpfs and cannot: {why}. Run the tests as root (mounting needs CAP_SYS_ADMIN), or set BRAIN_SKIP_MOUNT_TESTS=1 to skip the mount scenarios explicitly"
        ),
    }
}

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/brain.toml")
}

/// A command that must fail: non-zero exit, the data dir and the cause named, no panic.
fn assert_clear_failure(out: &std::process::Output, data: &Path, cause: &str, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{what} succeeded: {stderr}");
    assert_no_panic(&stderr, what);
    assert!(
        stderr.contains(&data.display().to_string()),
        "{what}: the error does not name the data dir {}: {stderr}",
        data.display()
    );
    assert!(stderr.contains(cause), "{what}: the error does not say '{cause}': {stderr}");
    println!("{what}: {}", stderr.trim());
    stderr
}

/// Runs `brain serve` and expects it to exit (not to serve) within a minute.
fn serve_must_refuse(config: &Path, data: &Path) -> std::process::Output {
    let mut child = brain()
        .arg("serve")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .arg("--addr")
        .arg(format!("127.0.0.1:{}", free_port()))
        .env("BRAIN_WRITE_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn brain serve");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!("brain serve kept running on {}: {}", data.display(), String::from_utf8_lossy(&out.stdout));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn a_data_dir_on_a_read_only_file_system_is_refused_clearly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(mount) = tmpfs_or_skip(&tmp.path().join("ro"), "1m", "read-only data dir") else { return };
    mount.remount("ro");
    let data = mount.dir.join("data");
    let out = brain().arg("ingest").arg(acme()).arg("--data-dir").arg(&data).arg("--quiet").output().expect("ingest");
    assert_clear_failure(&out, &data, "Read-only file system", "brain ingest on a read-only mount");
    let out = serve_must_refuse(&acme(), &data);
    assert_clear_failure(&out, &data, "Read-only file system", "brain serve on a read-only mount");
}

/// An ingested data dir remounted read-only: brain refuses to start (the store
/// and index open read-write and take locks), says why and what to do, and
/// the data is intact once the mount is writable again.
#[test]
fn an_existing_data_dir_remounted_read_only_is_refused_and_kept_intact() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(mount) = tmpfs_or_skip(&tmp.path().join("data-mnt"), "64m", "data dir remounted read-only") else {
        return;
    };
    let data = mount.dir.join("data");
    let out = brain().arg("ingest").arg(acme()).arg("--data-dir").arg(&data).arg("--quiet").output().expect("ingest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = stats_counts(&data, "before the remount");
    mount.remount("ro");
    let out = serve_must_refuse(&acme(), &data);
    let err = assert_clear_failure(&out, &data, "Read-only file system", "brain serve on a read-only data dir");
    assert!(err.contains("remount it read-write") || err.contains("writable --data-dir"), "no advice: {err}");
    for cmd in [&["stats"][..], &["search", "order"][..]] {
        let out = brain().args(cmd).arg("--data-dir").arg(&data).output().expect("run brain");
        assert_clear_failure(
            &out,
            &data,
            "Read-only file system",
            &format!("brain {} on a read-only data dir", cmd[0]),
        );
    }
    mount.remount("rw");
    assert_eq!(stats_counts(&data, "after the remount"), before, "the data changed while read-only");
    let (state, _) = check_data_dir(&data, &[], &[], "after the read-only remount");
    assert_eq!(state, IndexState::Agrees);
}

/// Fills the file system holding `path` (a file) until writes fail.
fn fill_disk(path: &Path) {
    let mut f = std::fs::File::create(path).expect("filler");
    let mut chunk = 1 << 20;
    while chunk > 0 {
        if f.write_all(&vec![0u8; chunk]).is_err() {
            chunk /= 2;
        }
    }
}

/// An org bigger than the disk: the ingest fails clearly, every repo holds
/// all or none of its files, and after freeing space the store reopens and a
/// new ingest completes.
#[test]
fn a_full_disk_fails_the_ingest_clearly_and_keeps_the_store_consistent() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let org = tmp.path().join("org");
    let repos = 6;
    brain_synth::generate(&org, &brain_synth::SynthSpec { repos, files_per_repo: 60, functions_per_file: 10 })
        .expect("synth");
    let names: Vec<String> = (0..repos).map(|r| format!("synth/svc{r:04}")).collect();
    let Some(mount) = tmpfs_or_skip(&tmp.path().join("small"), FULL_DISK_SIZE, "full disk") else { return };
    let data = mount.dir.join("data");
    let out = brain().arg("ingest").arg(&org).arg("--data-dir").arg(&data).arg("--quiet").output().expect("ingest");
    let err = assert_clear_failure(&out, &data, "No space left on device", "brain ingest on a full disk");
    assert!(err.contains("disk holding the data dir is full"), "no advice: {err}");

    mount.remount("size=256m");
    let disk = support::disk_hashes(&org, &names);
    let (_, stored) = check_data_dir(&data, &[], &names, "after the disk filled up");
    let mut complete = 0;
    for r in &names {
        assert!(stored[r].is_empty() || stored[r] == disk[r], "{r} holds part of its files after the disk filled up");
        complete += usize::from(!stored[r].is_empty());
    }
    println!("full disk: {complete} of {repos} repos were committed before the disk filled up");
    assert!(complete < repos, "the disk did not fill up: raise the org size or lower FULL_DISK_SIZE");
    let out = brain().arg("ingest").arg(&org).arg("--data-dir").arg(&data).arg("--quiet").output().expect("ingest");
    assert!(out.status.success(), "ingest after freeing space: {}", String::from_utf8_lossy(&out.stderr));
    let (state, stored) = check_data_dir(&data, &[], &names, "after the second ingest");
    assert_eq!(state, IndexState::Agrees);
    for r in &names {
        assert_eq!(stored[r], disk[r], "{r} after the second ingest");
    }
}

/// Small enough that the synth org of the full-disk test does not fit.
const FULL_DISK_SIZE: &str = "3m";

/// A lesson recorded while the disk is full either gets a clear STORE_FAILED
/// error and is not acknowledged, or (when the store still had room and only
/// the index failed) is acknowledged and survives; everything acknowledged
/// survives, and after a restart with space the brain writes again and the
/// index agrees.
#[test]
fn a_lesson_recorded_on_a_full_disk_is_refused_clearly_or_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let Some(mount) = tmpfs_or_skip(&tmp.path().join("data-mnt"), "64m", "lesson on a full disk") else { return };
    let data = mount.dir.join("data");
    let out = brain().arg("ingest").arg(acme()).arg("--data-dir").arg(&data).arg("--quiet").output().expect("ingest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log = tmp.path().join("serve.log");
    let (mut server, _) = Server::start(&acme(), &data, &log, false);
    let anchor = NodeId::repo("acme/billing").0;
    let record = |addr: SocketAddr, m: &str| {
        let input = json!({ "text": format!("full disk lesson {m}"), "appliesTo": [anchor], "author": "faults" });
        gql(addr, RECORD_LESSON, json!({ "input": input })).expect("record lesson")
    };
    let (status, v) = record(server.addr, "zqbefore");
    assert_eq!(status, 200);
    let before = Ack {
        id: v["data"]["recordLesson"]["id"].as_str().expect("acknowledged").to_string(),
        kind: "lesson",
        marker: "zqbefore".into(),
    };

    let filler = mount.dir.join("filler");
    fill_disk(&filler);
    let (status, v) = record(server.addr, "zqwhilefull");
    println!("recordLesson on a full disk: HTTP {status}: {v}");
    assert_eq!(status, 200, "{v}");
    let mut acks = vec![before];
    match v["data"]["recordLesson"]["id"].as_str() {
        // The store committed it (sled had room) and only the search index
        // failed: the write is durable, so it is acknowledged and must survive;
        // the index catches up from the store.
        Some(id) => acks.push(Ack { id: id.to_string(), kind: "lesson", marker: "zqwhilefull".into() }),
        None => {
            let e = &v["errors"][0];
            assert_eq!(e["extensions"]["code"].as_str(), Some("STORE_FAILED"), "{v}");
            let msg = e["message"].as_str().unwrap_or_default();
            assert!(msg.contains("No space left on device") && msg.contains("full"), "unclear error: {msg}");
            assert!(msg.contains(&data.display().to_string()), "the error does not name the data dir: {msg}");
        }
    }

    std::fs::remove_file(&filler).expect("free space");
    let (status, v) = record(server.addr, "zqafterfree");
    println!("recordLesson after freeing space, same process: HTTP {status}: {v}");
    if let Some(id) = v["data"]["recordLesson"]["id"].as_str() {
        acks.push(Ack { id: id.to_string(), kind: "lesson", marker: "zqafterfree".into() });
    } else {
        assert_eq!(v["errors"][0]["extensions"]["code"].as_str(), Some("STORE_FAILED"), "{v}");
    }
    server.kill();
    assert_no_panic(&std::fs::read_to_string(&log).unwrap_or_default(), "brain serve on a full disk");

    let (state, _) = check_data_dir(&data, &acks, &[], "after the full disk");
    println!("index after the full disk and a kill: {state:?}");
    stats_counts(&data, "after the full disk");
    let (state, _) = check_data_dir(&data, &acks, &[], "after reopening");
    assert_eq!(state, IndexState::Agrees);
    let (server, _) = Server::start(&acme(), &data, &log, false);
    let (status, v) = record(server.addr, "zqrestarted");
    assert!(status == 200 && v["data"]["recordLesson"]["id"].is_string(), "no write after a restart with space: {v}");
    acks.push(Ack {
        id: v["data"]["recordLesson"]["id"].as_str().unwrap_or_default().into(),
        kind: "lesson",
        marker: "zqrestarted".into(),
    });
    check_online(server.addr, &acks, "after the full disk");
}
