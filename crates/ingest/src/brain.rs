//! [`Brain`]: the store, the search index and the published snapshot, and
//! the ingest of one repository end to end.

use crate::config::{HistoryConfig, HistorySettings};
use crate::history::{self, HistoryReport, HistoryStats, PrepareError, Prepared};
use crate::relink::{lock, Histories, Persister, RelinkRun, Shared};
use crate::snapshot_file;
use crate::walk::{walk, FileLimits, WalkedFile};
use crate::{git_log, IngestError, RepoConfig};
use brain_graph::{Graph, Interner, LinkPass, RepoInfo, SnapshotStamp, UnitFacts, SNAPSHOT_FORMAT};
use brain_model::history::{RepoHistory, SimilarChange};
use brain_model::{
    attr, Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Severity, SourceFile,
};
use brain_store::{
    history_stamp, FactStore, FileHit, FileQuery, HistoryChange, HistoryIndex, HistoryWrite, IndexDoc, RepoChanges,
    RepoMeta, SearchHit, SearchIndex, SearchQuery, SledStore, StoredUnit, UnitWrite,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Told about ingest progress (a progress bar, logs, nothing).
pub trait IngestObserver: Sync {
    fn repo_started(&self, _repo: &str, _files: usize) {}
    fn file_done(&self, _repo: &str, _path: &str) {}
}

/// An observer that ignores everything.
pub struct NoProgress;
impl IngestObserver for NoProgress {}

/// What one repository ingest did.
#[derive(Clone, Debug, Default)]
pub struct IngestReport {
    pub repo: String,
    pub commit: Option<String>,
    pub files_seen: usize,
    /// Files whose content changed (or are new) and went through the ingestors.
    pub parsed: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Binary, huge or unreadable files recorded without parsing.
    pub skipped: usize,
    /// Files with at least one error diagnostic.
    pub failed: usize,
    /// Nodes and edges in the changed units.
    pub nodes_written: usize,
    pub edges_written: usize,
    pub duration: Duration,
    pub diagnostics: Vec<Diagnostic>,
    /// What reading its git history did (`None` when history is off or the root is not a git work tree).
    pub history: Option<HistoryReport>,
}

/// One repository's name and how its ingest went, from [`Brain::ingest_repos`].
pub type RepoOutcome = (String, Result<IngestReport, IngestError>);

const RECORD_UNIT_PREFIX: &str = "record\0";
/// Where the repo node itself is stored.
const REPO_UNIT_PATH: &str = "";
/// A write changing at most this many units publishes a patched snapshot
/// (and relinks in the background); a larger one rebuilds the graph at once.
pub const PATCH_MAX_UNITS: usize = 64;

/// The units a write replaced: old facts out, new facts in.
#[derive(Default)]
struct Changes {
    removed: Vec<Arc<UnitFacts>>,
    added: Vec<Arc<UnitFacts>>,
    /// A new snapshot is needed (units changed, or the repo is new to the snapshot).
    publish: bool,
    /// Search index updates of the committed writes, applied after the snapshot is published.
    index: Vec<(Vec<String>, Vec<IndexDoc>, u64)>,
    /// A repository new to the snapshot: its first ingest is linked whole, not patched.
    new_repo: bool,
    /// Commit-message index updates of the committed writes (history changed: a full build, never a patch).
    history: Vec<HistoryChange>,
}

impl Changes {
    fn extend(&mut self, other: Changes) {
        self.removed.extend(other.removed);
        self.added.extend(other.added);
        self.publish |= other.publish;
        self.index.extend(other.index);
        self.new_repo |= other.new_repo;
        self.history.extend(other.history);
    }
    fn small(&self) -> bool {
        !self.new_repo && self.history.is_empty() && self.removed.len().max(self.added.len()) <= PATCH_MAX_UNITS
    }
}

/// The brain's state: durable store, search index, current snapshot.
pub struct Brain {
    data_dir: PathBuf,
    store: Arc<dyn FactStore>,
    index: SearchIndex,
    /// Commit messages of every repository's stored history ("similar past changes").
    history_index: HistoryIndex,
    /// How git history is read (`[history]` in brain.toml).
    history_config: Mutex<HistoryConfig>,
    /// Where repositories keep decisions and incident reports (brain.toml `decisions`, `incidents`, ...).
    record_paths: Mutex<crate::records::RecordPaths>,
    ingestors: Vec<Box<dyn Ingestor>>,
    /// Units, records, the snapshot and the write lock, shared with the relink thread.
    shared: Arc<Shared>,
    relink: Mutex<Option<JoinHandle<()>>>,
    limits: FileLimits,
    /// Units and records behind a snapshot read from disk: `Idle` until a
    /// write needs them or [`Brain::prepare_for_writes`] loads them in the background.
    loading: Mutex<Loading>,
    /// Whether `open` served the persisted snapshot (rather than relinking).
    from_disk: bool,
}

impl Drop for Brain {
    fn drop(&mut self) {
        if let Loading::Running(handle) = std::mem::replace(&mut *lock(&self.loading), Loading::Done) {
            let _ = handle.join();
        }
        // Leave an exact snapshot on disk, so the next open can serve it.
        if !self.snapshot().is_exact() {
            self.shared.request(&self.relink);
            self.shared.wait_exact(Duration::from_secs(600));
        }
        self.shared.stop();
        if let Some(h) = lock(&self.relink).take() {
            let _ = h.join();
        }
        // A command that exits right after a write leaves its snapshot on disk.
        self.shared.persister.stop();
    }
}

/// Whether the units behind the served snapshot are in memory.
enum Loading {
    /// Loaded (or linked from them at open).
    Done,
    /// Not loaded: the snapshot came from disk and nothing wrote yet.
    Idle,
    /// Loading (and relinking) on a background thread.
    Running(JoinHandle<Result<(), IngestError>>),
}

/// Units, records and their interner, loaded from the store.
struct Loaded {
    units: BTreeMap<(String, String), Arc<UnitFacts>>,
    records: BTreeMap<String, Arc<UnitFacts>>,
    histories: BTreeMap<String, Arc<RepoHistory>>,
    interner: Interner,
}

impl Brain {
    /// Opens the store and index in `data_dir` and publishes the first snapshot.
    ///
    /// When the persisted snapshot (`snapshot.bin`) reflects the store's
    /// generation and was linked by the same code, it is served at once;
    /// the units load in the background and are linked again there, so that
    /// later writes can patch (a write waits for that). Otherwise every unit
    /// is loaded and linked now. An index that does not reflect the store's
    /// generation is rebuilt.
    pub fn open(
        data_dir: &Path,
        ingestors: Vec<Box<dyn Ingestor>>,
        passes: Vec<Box<dyn LinkPass>>,
    ) -> Result<Brain, IngestError> {
        std::fs::create_dir_all(data_dir).map_err(|e| IngestError::Walk {
            path: data_dir.into(),
            message: format!("cannot create data dir: {e}"),
        })?;
        let store: Arc<dyn FactStore> = Arc::new(SledStore::open(&data_dir.join("store"))?);
        let (index, index_generation) = SearchIndex::open(&data_dir.join("index"))?;
        let (history_index, history_index_stamp) = HistoryIndex::open(&data_dir.join("history"))?;
        let generation = store.generation();
        let store_id = store.store_id();
        check_derived(data_dir, &store_id, generation, index.store(), index_generation)?;
        index.set_store(&store_id);
        let linker = linker_id(&passes);
        let persisted = if index_generation == generation {
            let stamp =
                SnapshotStamp { format: SNAPSHOT_FORMAT, generation, linker: linker.clone(), store: store_id.clone() };
            snapshot_file::read(data_dir, &stamp)
        } else {
            Err("the search index is behind the store".to_string())
        };
        let persister = Persister::start(data_dir.to_path_buf(), linker, store_id);
        let shared = Arc::new(Shared::new(passes, BTreeMap::new(), BTreeMap::new(), Interner::new(), persister));
        let brain = Brain {
            data_dir: data_dir.to_path_buf(),
            store: store.clone(),
            index,
            history_index,
            history_config: Mutex::new(HistoryConfig::default()),
            record_paths: Mutex::new(crate::records::RecordPaths::default()),
            ingestors,
            shared: shared.clone(),
            relink: Mutex::new(None),
            limits: FileLimits::default(),
            loading: Mutex::new(Loading::Done),
            from_disk: persisted.is_ok(),
        };
        match persisted {
            Ok(graph) => {
                tracing::info!(generation, nodes = graph.node_count(), "serving the persisted snapshot");
                shared.persister.on_disk(generation);
                shared.set_snapshot(Arc::new(graph));
                *lock(&brain.loading) = Loading::Idle;
            }
            Err(why) => {
                tracing::info!(reason = %why, "linking the snapshot from the store");
                install(&shared, load_units(store.as_ref(), None)?);
                if index_generation != generation {
                    tracing::info!(index_generation, generation, "search index is behind the store; rebuilding it");
                    brain.rebuild_index(generation)?;
                }
                brain.publish()?;
            }
        }
        if history_index_stamp != brain.history_stamp()? {
            tracing::info!("the commit-message index does not reflect the stored histories; rebuilding it");
            brain.rebuild_history_index()?;
        }
        Ok(brain)
    }

    /// Sets how git history is read by later ingests (`[history]` in brain.toml; on by default).
    pub fn set_history_config(&self, config: HistoryConfig) {
        *lock(&self.history_config) = config;
    }

    /// Sets where repositories keep decisions and incident reports for later ingests
    /// (brain.toml `decisions`, `exclude_decisions`, `incidents`, `exclude_incidents`).
    pub fn set_record_paths(&self, paths: crate::records::RecordPaths) {
        *lock(&self.record_paths) = paths;
    }

    /// The stamp of the store's histories (see [`history_stamp`]).
    fn history_stamp(&self) -> Result<String, IngestError> {
        let records = self.store.histories()?;
        Ok(history_stamp(records.iter().map(|(r, h)| (r.as_str(), h))))
    }

    /// Rebuilds the commit-message index from the store's commits.
    fn rebuild_history_index(&self) -> Result<(), IngestError> {
        let records = self.store.histories()?;
        let stamp = history_stamp(records.iter().map(|(r, h)| (r.as_str(), h)));
        let mut docs = Vec::new();
        for (repo, _) in &records {
            self.store.for_each_commit(repo, &mut |c| docs.push(history::doc(repo, &c)))?;
        }
        self.history_index.rebuild(docs.into_iter(), &stamp)?;
        Ok(())
    }

    /// Updates the commit-message index after a committed history write;
    /// like [`Brain::index_after_commit`], a failure leaves it to be rebuilt.
    fn history_index_after_commit(&self, changes: &[HistoryChange]) {
        if changes.is_empty() {
            return;
        }
        let result = self
            .history_stamp()
            .map_err(|e| e.to_string())
            .and_then(|stamp| self.history_index.update(changes, &stamp).map_err(|e| e.to_string()));
        if let Err(e) = result {
            tracing::warn!(error = %e, "commit-message index update failed; it will be rebuilt from the store");
        }
    }

    /// A long-running brain (a server) calls this after `open`: when the
    /// snapshot came from disk, the units behind it load and are linked on a
    /// background thread, so that the first write can patch instead of
    /// waiting for them. A no-op otherwise.
    pub fn prepare_for_writes(&self) -> Result<(), IngestError> {
        let mut slot = lock(&self.loading);
        if !matches!(*slot, Loading::Idle) {
            return Ok(());
        }
        let (store, shared, graph) = (self.store.clone(), self.shared.clone(), self.snapshot());
        let handle = std::thread::Builder::new()
            .name("brain-load-units".into())
            .spawn(move || {
                let loaded = load_units(store.as_ref(), Some(&graph))?;
                drop(graph);
                install(&shared, loaded);
                // Link from the units so that writes can patch (the file lacks their indexes).
                shared.relink_once(Duration::ZERO);
                Ok(())
            })
            .map_err(|e| IngestError::Walk {
                path: self.data_dir.clone(),
                message: format!("cannot start the unit loader: {e}"),
            })?;
        *slot = Loading::Running(handle);
        Ok(())
    }

    /// Makes sure the units are in memory before a write: waits for the
    /// background load, or loads them now.
    fn ensure_loaded(&self) -> Result<(), IngestError> {
        // Held throughout, so a second writer waits for the same load.
        let mut slot = lock(&self.loading);
        match std::mem::replace(&mut *slot, Loading::Done) {
            Loading::Done => Ok(()),
            Loading::Idle => {
                let loaded = load_units(self.store.as_ref(), Some(&self.snapshot()));
                match loaded {
                    Ok(loaded) => {
                        install(&self.shared, loaded);
                        Ok(())
                    }
                    Err(e) => {
                        *slot = Loading::Idle;
                        Err(e)
                    }
                }
            }
            Loading::Running(handle) => handle.join().map_err(|_| IngestError::Walk {
                path: self.data_dir.clone(),
                message: "loading units from the store crashed".into(),
            })?,
        }
    }

    /// True when `open` served the snapshot persisted by an earlier run
    /// instead of linking one from the store.
    pub fn opened_from_snapshot(&self) -> bool {
        self.from_disk
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn with_limits(mut self, limits: FileLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The current snapshot. Cheap; hold it for the whole request.
    pub fn snapshot(&self) -> Arc<Graph> {
        self.shared.snapshot()
    }

    /// Waits until the snapshot is a full build (no patch waiting for the
    /// background relink); `false` if it is not after `timeout`.
    pub fn wait_exact(&self, timeout: Duration) -> bool {
        self.shared.wait_exact(timeout)
    }

    /// What the last background relink did, if one ran.
    pub fn last_relink(&self) -> Option<RelinkRun> {
        self.shared.last_run()
    }

    /// Test hook: makes every background relink wait this long after taking
    /// the units, so that tests can write while one runs.
    #[doc(hidden)]
    pub fn set_relink_delay(&self, delay: Duration) {
        self.shared.set_delay(delay);
    }

    pub fn store(&self) -> &dyn FactStore {
        self.store.as_ref()
    }

    pub fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, IngestError> {
        Ok(self.index.search(q)?)
    }

    /// Files ranked for a described change ([`SearchIndex::search_files`]).
    pub fn search_files(&self, q: &FileQuery) -> Result<Vec<FileHit>, IngestError> {
        Ok(self.index.search_files(q)?)
    }

    /// Stored text of a file (for code spans), if it was a text file.
    pub fn content(&self, repo: &str, path: &str) -> Result<Option<String>, IngestError> {
        Ok(self.store.content(repo, path)?)
    }

    /// Writes an API record (lesson, failure, run) durably, indexes it and
    /// publishes a (patched) snapshot that contains it. Returns when it is on disk.
    pub fn put_record(&self, id: &str, facts: Facts) -> Result<(), IngestError> {
        self.put_record_inner(id, facts, false).map(|_| ())
    }

    /// Writes an API record only when no record has `id` yet (an idempotent
    /// write replayed with the same key); `false` when one had it, which is
    /// left as it was. The check and the write happen under the write lock.
    pub fn put_new_record(&self, id: &str, facts: Facts) -> Result<bool, IngestError> {
        self.put_record_inner(id, facts, true)
    }

    fn put_record_inner(&self, id: &str, facts: Facts, only_new: bool) -> Result<bool, IngestError> {
        // Before the write lock: the loader takes it to publish.
        self.ensure_loaded()?;
        let _guard = lock(&self.shared.write_lock);
        if only_new && self.store.record(id)?.is_some() {
            return Ok(false);
        }
        self.catch_up_index()?;
        let generation = self.store.put_record(id, &facts)?;
        let unit = format!("{RECORD_UNIT_PREFIX}{id}");
        let docs = index_docs(&unit, &facts.nodes, &facts.refs, None);
        let new = Arc::new(UnitFacts::new(facts, &mut lock(&self.shared.interner)));
        let old = lock(&self.shared.records).insert(id.to_string(), new.clone());
        self.publish_changes(Changes {
            removed: old.into_iter().collect(),
            added: vec![new],
            publish: true,
            index: vec![(vec![unit], docs, generation)],
            new_repo: false,
            history: Vec::new(),
        })?;
        Ok(true)
    }

    /// Updates the search index after a committed store write. The write is
    /// durable already, so a failing index (a full disk) must not turn it
    /// into an error a client would retry: the index keeps its old stamp and
    /// is rebuilt from the store at the next write or open.
    fn index_after_commit(&self, units: &[String], docs: &[IndexDoc], generation: u64) {
        if let Err(e) = self.index.replace_units(units, docs, generation) {
            tracing::warn!(error = %e, "search index update failed; it will be rebuilt from the store");
        }
    }

    /// Rebuilds the indexes if an earlier update failed (called before every write).
    fn catch_up_index(&self) -> Result<(), IngestError> {
        if self.index.is_stale() {
            tracing::info!("search index missed an update; rebuilding it from the store");
            self.rebuild_index(self.store.generation())?;
        }
        if self.history_index.is_stale() {
            tracing::info!("commit-message index missed an update; rebuilding it from the store");
            self.rebuild_history_index()?;
        }
        Ok(())
    }

    /// Ingests one repository: only changed files are parsed; the store
    /// changes atomically; a new snapshot is published.
    pub fn ingest_repo(&self, repo: &RepoConfig, observer: &dyn IngestObserver) -> Result<IngestReport, IngestError> {
        let mut out = self.ingest_repos(std::slice::from_ref(repo), observer)?;
        out.pop().map(|(_, r)| r).unwrap_or_else(|| Ok(IngestReport::default()))
    }

    /// Ingests several repositories and publishes one snapshot at the end
    /// (one per repository would rebuild the graph that many times). Each
    /// repository's store commit is atomic on its own; a repository that
    /// fails does not stop the others. The outer error is a failure to
    /// publish the snapshot.
    pub fn ingest_repos(
        &self,
        repos: &[RepoConfig],
        observer: &dyn IngestObserver,
    ) -> Result<Vec<RepoOutcome>, IngestError> {
        // Before the write lock: the loader takes it to publish.
        self.ensure_loaded()?;
        let _guard = lock(&self.shared.write_lock);
        self.catch_up_index()?;
        let mut out = Vec::with_capacity(repos.len());
        let mut changes = Changes::default();
        for repo in repos {
            let result = self.ingest_one(repo, observer).map(|(report, changed)| {
                changes.extend(changed);
                report
            });
            out.push((repo.name.clone(), result));
        }
        self.publish_changes(changes)?;
        Ok(out)
    }

    /// One repository, without publishing; says what changed.
    fn ingest_one(
        &self,
        repo: &RepoConfig,
        observer: &dyn IngestObserver,
    ) -> Result<(IngestReport, Changes), IngestError> {
        let started = Instant::now();
        let (files, warnings) = walk(repo)?;
        let stored: HashMap<String, String> = self.store.unit_hashes(&repo.name)?.into_iter().collect();
        let seen: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
        let deletes: Vec<String> =
            stored.keys().filter(|p| p.as_str() != REPO_UNIT_PATH && !seen.contains(p.as_str())).cloned().collect();
        let settings = lock(&self.history_config).for_repo(&repo.name);
        let history = self.plan_history(&repo.name, &repo.path, settings)?;
        let (mut report, changed) = self.apply(repo, &files, deletes, &stored, observer, history)?;
        report.diagnostics.extend(warnings);
        report.duration = started.elapsed();
        Ok((report, changed))
    }

    /// Re-ingests only the given repo-relative paths (a file watcher's
    /// events): existing files are re-read, missing ones removed. Paths
    /// outside the repo's include/exclude globs or its `.gitignore` are ignored.
    pub fn ingest_paths(&self, repo: &RepoConfig, paths: &[String]) -> Result<IngestReport, IngestError> {
        // Before the write lock: the loader takes it to publish.
        self.ensure_loaded()?;
        let _guard = lock(&self.shared.write_lock);
        self.catch_up_index()?;
        let started = Instant::now();
        // Point lookups: reading every unit of the repo for its hash cost ~200 ms at 3,000 files.
        let mut stored: HashMap<String, String> = HashMap::new();
        for rel in paths.iter().map(String::as_str).chain([REPO_UNIT_PATH]) {
            if let Some(hash) = self.store.unit_hash(&repo.name, rel)? {
                stored.insert(rel.to_string(), hash);
            }
        }
        let filter = crate::walk::PathFilter::new(repo)?;
        let mut files = Vec::new();
        let mut deletes = Vec::new();
        for rel in paths {
            if !filter.accepts(rel) {
                continue;
            }
            let abs = repo.path.join(rel);
            match std::fs::metadata(&abs) {
                Ok(m) if m.is_file() => files.push(WalkedFile { rel: rel.clone(), abs, size: m.len() }),
                _ if stored.contains_key(rel) => deletes.push(rel.clone()),
                _ => {}
            }
        }
        // A checkout moved to another commit (a pull, a branch switch): its history follows it,
        // so that it never reaches past the indexed commit.
        let settings = lock(&self.history_config).for_repo(&repo.name);
        let history = self.plan_history(&repo.name, &repo.path, settings)?;
        let (mut report, changes) = self.apply(repo, &files, deletes, &stored, &NoProgress, history)?;
        self.publish_changes(changes)?;
        report.duration = started.elapsed();
        Ok(report)
    }

    /// Parses `files` (skipping unchanged ones), removes `deletes`, commits
    /// them and the `history` change atomically. Returns the units it
    /// replaced; the caller publishes a snapshot and updates the indexes.
    fn apply(
        &self,
        repo: &RepoConfig,
        files: &[WalkedFile],
        deletes: Vec<String>,
        stored: &HashMap<String, String>,
        observer: &dyn IngestObserver,
        history: Option<Prepared>,
    ) -> Result<(IngestReport, Changes), IngestError> {
        observer.repo_started(&repo.name, files.len());
        // The history was read up to the head it names: the indexed commit is that one.
        let commit = history.as_ref().and_then(|h| h.report.head.clone()).or_else(|| git_head(&repo.path));
        let outcomes: Vec<FileOutcome> = files
            .par_iter()
            .map(|f| {
                let o = self.process_file(&repo.name, f, stored.get(&f.rel));
                observer.file_done(&repo.name, &f.rel);
                o
            })
            .collect();
        let mut report = IngestReport {
            repo: repo.name.clone(),
            commit: commit.clone(),
            files_seen: files.len(),
            ..Default::default()
        };
        let (history_write, history_summary, history_change) = match history {
            Some(h) => {
                report.diagnostics.extend(h.report.diagnostics.iter().cloned());
                report.history = Some(h.report);
                let change = HistoryChange { repo: repo.name.clone(), replace: h.replace_docs, docs: h.docs };
                (h.write, h.summary, change)
            }
            None => (None, None, HistoryChange::default()),
        };
        let mut upserts = Vec::new();
        for o in outcomes {
            match o {
                FileOutcome::Unchanged => report.unchanged += 1,
                FileOutcome::Changed { write, skipped } => {
                    if skipped {
                        report.skipped += 1;
                    } else {
                        report.parsed += 1;
                    }
                    if write.unit.facts.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                        report.failed += 1;
                    }
                    report.nodes_written += write.unit.facts.nodes.len();
                    report.edges_written += write.unit.facts.edges.len() + write.unit.facts.refs.len();
                    report.diagnostics.extend(write.unit.facts.diagnostics.iter().cloned());
                    upserts.push(write);
                }
            }
        }
        report.removed = deletes.len();
        let meta = RepoMeta {
            name: repo.name.clone(),
            root: repo.path.to_string_lossy().into_owned(),
            commit,
            ingested_at: now_secs(),
        };
        let repo_unit = repo_unit(&meta);
        if stored.get(REPO_UNIT_PATH) != Some(&repo_unit.unit.hash) {
            upserts.push(repo_unit);
        }
        if upserts.is_empty()
            && deletes.is_empty()
            && history_write.is_none()
            && self.snapshot().repo(&repo.name).is_some()
        {
            // Nothing changed, not even the commit: no write, no new snapshot.
            return Ok((report, Changes::default()));
        }
        let history_changed = history_write.is_some();
        let history_removed = matches!(history_write, Some(HistoryWrite::Remove));
        let changes = RepoChanges { repo: meta, upserts, deletes, history: history_write };
        let generation = self.store.commit_repo(&changes)?;

        let mut unit_keys = Vec::new();
        let mut docs = Vec::new();
        for w in &changes.upserts {
            let key = unit_key(&repo.name, &w.path);
            docs.extend(index_docs(&key, &w.unit.facts.nodes, &w.unit.facts.refs, w.content.as_deref()));
            unit_keys.push(key);
        }
        unit_keys.extend(changes.deletes.iter().map(|p| unit_key(&repo.name, p)));
        let mut replaced = Changes::default();
        {
            // Converted before the units lock: readers of the map (a relink taking it) never wait for parsing.
            let converted: Vec<(String, Arc<UnitFacts>)> = {
                let mut interner = lock(&self.shared.interner);
                changes
                    .upserts
                    .into_iter()
                    .map(|w| (w.path, Arc::new(UnitFacts::new(w.unit.facts, &mut interner))))
                    .collect()
            };
            let mut units = lock(&self.shared.units);
            for p in &changes.deletes {
                replaced.removed.extend(units.remove(&(repo.name.clone(), p.clone())));
            }
            for (path, facts) in converted {
                replaced.added.push(facts.clone());
                replaced.removed.extend(units.insert((repo.name.clone(), path), facts));
            }
        }
        replaced.new_repo = self.snapshot().repo(&repo.name).is_none();
        replaced.publish = !unit_keys.is_empty() || replaced.new_repo || history_changed;
        if history_changed {
            lock(&self.shared.histories).set(&repo.name, if history_removed { None } else { history_summary });
            replaced.history.push(history_change);
        }
        // Always commit the index with the new generation, so it agrees with the store.
        replaced.index.push((unit_keys, docs, generation));
        Ok((report, replaced))
    }

    /// Removes a repository from the brain (its units, not API records).
    pub fn remove_repo(&self, name: &str) -> Result<(), IngestError> {
        self.ensure_loaded()?;
        let _guard = lock(&self.shared.write_lock);
        let keys: Vec<String> = {
            let units = lock(&self.shared.units);
            units.keys().filter(|(r, _)| r == name).map(|(r, p)| unit_key(r, p)).collect()
        };
        let generation = self.store.remove_repo(name)?;
        lock(&self.shared.units).retain(|(r, _), _| r != name);
        let had_history = lock(&self.shared.histories).map.contains_key(name);
        if had_history {
            lock(&self.shared.histories).set(name, None);
        }
        self.publish()?;
        self.index_after_commit(&keys, &[], generation);
        self.history_index_after_commit(&[HistoryChange { repo: name.to_string(), replace: true, docs: vec![] }]);
        Ok(())
    }

    /// What an ingest of the repository at `root` does to its history: read
    /// it up to `HEAD` when `root` is the top of a git work tree, drop it when
    /// history is off. A git failure is a diagnostic, never an error.
    fn plan_history(
        &self,
        repo: &str,
        root: &Path,
        settings: Option<HistorySettings>,
    ) -> Result<Option<Prepared>, IngestError> {
        let Some(settings) = settings else {
            let stored = self.store.history(repo)?.is_some() || lock(&self.shared.histories).map.contains_key(repo);
            return Ok(stored.then(|| Prepared::remove(repo)));
        };
        let head = match git_log::work_tree_head(root) {
            Ok(Some(head)) => head,
            Ok(None) => return Ok(None),
            Err(e) => return Ok(Some(Prepared::failed(repo, Severity::Info, "history.unavailable", &e))),
        };
        match history::prepare(self.store.as_ref(), repo, root, &head, &settings) {
            Ok(p) => Ok(Some(p)),
            Err(PrepareError::Store(e)) => Err(e.into()),
            Err(PrepareError::Git(e)) => Ok(Some(Prepared::failed(repo, Severity::Warning, "history.failed", &e))),
        }
    }

    /// Reads the git history of commit `head` (a hash, branch or tag) from
    /// `git_dir` (a bare or mirror git dir, or a work tree) into the
    /// repository `repo`, which must have been ingested: for a tree on disk
    /// without `.git` whose commit is known. Only commits reachable from
    /// `head` are stored; incremental like the automatic read (only
    /// `last..head` when the stored head is an ancestor of `head`, afresh
    /// otherwise). The commits and summary are one atomic store write; the
    /// graph is rebuilt with its `changed_with` edges before it returns.
    /// History settings are the repository's (`[history]`), even when off for ingest.
    pub fn ingest_history(&self, repo: &str, git_dir: &Path, head: &str) -> Result<HistoryReport, IngestError> {
        let fail = |message: String| IngestError::History { repo: repo.to_string(), message };
        let config = lock(&self.history_config).clone();
        let settings = config.for_repo(repo).unwrap_or(HistorySettings {
            max_commits: config.max_commits,
            max_files_per_commit: config.max_files_per_commit,
        });
        let head = git_log::resolve_commit(git_dir, head).map_err(|e| fail(e.0))?;
        // Before the write lock: the loader takes it to publish.
        self.ensure_loaded()?;
        let _guard = lock(&self.shared.write_lock);
        self.catch_up_index()?;
        let Some(meta) = self.store.repos()?.into_iter().find(|m| m.name == repo) else {
            return Err(fail("the repository is not ingested; ingest its files first".into()));
        };
        let prepared = match history::prepare(self.store.as_ref(), repo, git_dir, &head, &settings) {
            Ok(p) => p,
            Err(PrepareError::Store(e)) => return Err(e.into()),
            Err(PrepareError::Git(e)) => return Err(fail(e.0)),
        };
        let Some(write) = prepared.write else { return Ok(prepared.report) };
        let changes = RepoChanges { repo: meta, upserts: Vec::new(), deletes: Vec::new(), history: Some(write) };
        let generation = self.store.commit_repo(&changes)?;
        lock(&self.shared.histories).set(repo, prepared.summary);
        self.publish_changes(Changes {
            publish: true,
            // Stamps the search index with the new generation (no entity changed).
            index: vec![(Vec::new(), Vec::new(), generation)],
            history: vec![HistoryChange {
                repo: repo.to_string(),
                replace: prepared.replace_docs,
                docs: prepared.docs,
            }],
            ..Changes::default()
        })?;
        Ok(prepared.report)
    }

    /// Past commits whose messages resemble `text` ("similar past changes"),
    /// best first, with the files they touched: BM25 over commit messages
    /// (identifier parts and wholes, no stop words, conventional-commit
    /// types dropped), in `repos` when given. Only commits reachable from
    /// each repository's indexed commit are stored, so only they are found.
    pub fn similar_changes(
        &self,
        repos: Option<&[String]>,
        text: &str,
        limit: usize,
    ) -> Result<Vec<SimilarChange>, IngestError> {
        let hits = self.history_index.search(text, repos, limit)?;
        Ok(hits
            .into_iter()
            .map(|h| SimilarChange {
                repo: h.repo,
                sha: h.sha,
                subject: h.subject,
                author: h.author,
                time: h.time,
                score: h.score,
                files: h.files,
            })
            .collect())
    }

    /// The derived history of a repository (churn, co-change, renames), if it has one.
    pub fn history_summary(&self, repo: &str) -> Option<Arc<RepoHistory>> {
        if let Some(h) = lock(&self.shared.histories).map.get(repo) {
            return Some(h.clone());
        }
        // Not loaded yet (the first snapshot is served before the units load): read it.
        self.store.history(repo).ok().flatten().map(|r| Arc::new(r.summary))
    }

    /// What is stored of a repository's history, if anything.
    pub fn history_stats(&self, repo: &str) -> Result<Option<HistoryStats>, IngestError> {
        Ok(self.store.history(repo)?.map(|r| HistoryStats::of(repo, &r)))
    }

    fn process_file(&self, repo: &str, f: &WalkedFile, stored_hash: Option<&String>) -> FileOutcome {
        let hints = lock(&self.record_paths).hints(repo, &f.rel);
        if f.size > self.limits.max_file_bytes {
            let hash = format!("size:{}", f.size);
            if stored_hash == Some(&hash) {
                return FileOutcome::Unchanged;
            }
            let reason = format!(
                "file is {} bytes, over the {} byte limit; recorded without parsing",
                f.size, self.limits.max_file_bytes
            );
            return skipped_unit(repo, f, hash, "file.too-large", reason);
        }
        let bytes = match read_regular_file(&f.abs, self.limits.max_file_bytes) {
            Ok(Read::Bytes(b)) => b,
            Ok(Read::TooLarge) => {
                let reason = format!(
                    "file grew over the {} byte limit while it was read; recorded without parsing",
                    self.limits.max_file_bytes
                );
                return skipped_unit(
                    repo,
                    f,
                    format!("size:>{}", self.limits.max_file_bytes),
                    "file.too-large",
                    reason,
                );
            }
            Ok(Read::NotRegular) => {
                let reason = "no longer a regular file (replaced by a link or a special file); not read".to_string();
                return skipped_unit(repo, f, "not-regular".into(), "file.unreadable", reason);
            }
            Err(e) => {
                return skipped_unit(repo, f, format!("unreadable:{e}"), "file.unreadable", format!("cannot read: {e}"))
            }
        };
        let hash = hinted_hash(content_hash(&bytes), &hints);
        if stored_hash == Some(&hash) {
            return FileOutcome::Unchanged;
        }
        let sniff = &bytes[..bytes.len().min(8192)];
        if sniff.contains(&0) {
            return skipped_unit(repo, f, hash, "file.binary", "binary file; recorded without parsing".into());
        }
        let mut facts = Facts::default();
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                facts.diagnostic(Diagnostic::new(
                    Severity::Info,
                    "file.not-utf8",
                    repo,
                    &f.rel,
                    None,
                    format!(
                        "not valid UTF-8 (first bad byte at offset {}); read with replacement characters",
                        e.utf8_error().valid_up_to()
                    ),
                ));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        let source = SourceFile { repo, path: &f.rel, content: &text };
        for ing in &self.ingestors {
            if !ing.accepts(&f.rel) {
                continue;
            }
            match catch_unwind(AssertUnwindSafe(|| ing.ingest_hinted(&source, &hints))) {
                Ok(more) => facts.extend(more),
                Err(_) => facts.diagnostic(Diagnostic::new(
                    Severity::Error,
                    "ingest.panic",
                    repo,
                    &f.rel,
                    None,
                    format!("the {} ingestor crashed on this file; its facts were skipped (please report)", ing.name()),
                )),
            }
        }
        FileOutcome::Changed {
            write: UnitWrite { path: f.rel.clone(), unit: StoredUnit { hash, facts }, content: Some(text) },
            skipped: false,
        }
    }

    fn rebuild_index(&self, generation: u64) -> Result<(), IngestError> {
        let units = lock(&self.shared.units);
        let records = lock(&self.shared.records);
        let mut docs = Vec::new();
        for ((repo, path), facts) in units.iter() {
            let content = self.store.content(repo, path)?;
            docs.extend(index_docs(&unit_key(repo, path), &facts.nodes, &facts.refs, content.as_deref()));
        }
        for (id, facts) in records.iter() {
            docs.extend(index_docs(&format!("{RECORD_UNIT_PREFIX}{id}"), &facts.nodes, &facts.refs, None));
        }
        self.index.rebuild(docs.into_iter(), generation)?;
        Ok(())
    }

    fn repo_infos(&self) -> Result<Vec<RepoInfo>, IngestError> {
        Ok(self
            .store
            .repos()?
            .into_iter()
            .map(|meta| RepoInfo {
                name: meta.name,
                root: meta.root,
                commit: meta.commit,
                ingested_at: meta.ingested_at,
            })
            .collect())
    }

    /// Publishes what a write changed: a patched snapshot and a background
    /// relink for a small change, a full rebuild for a large one.
    /// Then updates the search index (a write is visible to graph queries first).
    fn publish_changes(&self, changes: Changes) -> Result<(), IngestError> {
        // A snapshot read from disk has no units or indexes to patch: the first write links in full.
        let small = changes.small() && self.snapshot().can_patch();
        let published = match (changes.publish, small) {
            (false, _) => Ok(()),
            (true, true) => self.publish_patch(&changes),
            (true, false) => self.publish(),
        };
        for (keys, docs, generation) in &changes.index {
            self.index_after_commit(keys, docs, *generation);
        }
        self.history_index_after_commit(&changes.history);
        published
    }

    /// Patches the current snapshot with a write's units (the caller holds
    /// the write lock) and asks for a background relink.
    fn publish_patch(&self, changes: &Changes) -> Result<(), IngestError> {
        let generation = self.store.generation();
        let repos = self.repo_infos()?.into_iter().map(|r| (r.name.clone(), r)).collect();
        let g = self.snapshot().patch(&changes.removed, &changes.added, generation, repos);
        self.shared.set_snapshot(Arc::new(g));
        self.shared.request(&self.relink);
        Ok(())
    }

    /// Rebuilds the graph from every unit and record and publishes it.
    fn publish(&self) -> Result<(), IngestError> {
        let generation = self.store.generation();
        let repos = self.repo_infos()?;
        let graph = {
            let units = lock(&self.shared.units);
            let records = lock(&self.shared.records);
            let histories = lock(&self.shared.histories);
            self.shared.build(&units, &records, &histories, repos, generation)
        };
        self.shared.set_snapshot(Arc::new(graph));
        // Forget ids and paths of facts that are gone (the old snapshot just went).
        lock(&self.shared.interner).prune();
        Ok(())
    }
}

/// Loads every unit and record from the store, interning their strings.
/// With `share`, ids, strings and unchanged nodes are taken from that graph
/// (the persisted snapshot being served), so the two do not hold two copies.
fn load_units(store: &dyn FactStore, share: Option<&Graph>) -> Result<Loaded, IngestError> {
    let mut interner = Interner::new();
    if let Some(graph) = share {
        interner.share_with(graph);
    }
    let mut units = BTreeMap::new();
    store.for_each_unit(&mut |repo, path, unit| {
        let facts = UnitFacts::new_sharing(unit.facts, &mut interner, share);
        units.insert((repo.to_string(), path.to_string()), Arc::new(facts));
    })?;
    let mut records = BTreeMap::new();
    for (id, facts) in store.records()? {
        records.insert(id, Arc::new(UnitFacts::new_sharing(facts, &mut interner, share)));
    }
    let mut histories = BTreeMap::new();
    for (repo, record) in store.histories()? {
        let summary = history::summary_of(store, &repo, record)?;
        histories.insert(repo, Arc::new(summary));
    }
    Ok(Loaded { units, records, histories, interner })
}

/// Names the code that links a snapshot: a persisted snapshot is reused only
/// by the same version with the same link passes.
fn linker_id(passes: &[Box<dyn LinkPass>]) -> String {
    let names: Vec<&str> = passes.iter().map(|p| p.name()).collect();
    format!("brain {} link r{} [{}]", env!("CARGO_PKG_VERSION"), brain_graph::LINK_REVISION, names.join(","))
}

/// Installs loaded units and records (and their interner) as the brain's.
fn install(shared: &Shared, loaded: Loaded) {
    *lock(&shared.units) = loaded.units;
    *lock(&shared.records) = loaded.records;
    let mut histories = lock(&shared.histories);
    *histories = Histories { version: histories.version + 1, map: loaded.histories };
    drop(histories);
    *lock(&shared.interner) = loaded.interner;
}

/// What reading a walked file gave.
enum Read {
    Bytes(Vec<u8>),
    /// It grew past the limit between the walk and the read.
    TooLarge,
    /// It became a symlink, a directory or a special file after the walk.
    NotRegular,
}

/// Reads at most `max` bytes of a regular file, refusing links and special
/// files that replaced it after the walk.
fn read_regular_file(path: &Path, max: u64) -> std::io::Result<Read> {
    use std::io::Read as _;
    if !std::fs::symlink_metadata(path)?.file_type().is_file() {
        return Ok(Read::NotRegular);
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Ok(Read::NotRegular);
    }
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Ok(Read::TooLarge);
    }
    Ok(Read::Bytes(bytes))
}

enum FileOutcome {
    Unchanged,
    Changed { write: UnitWrite, skipped: bool },
}

fn skipped_unit(repo: &str, f: &WalkedFile, hash: String, code: &str, reason: String) -> FileOutcome {
    let mut facts = Facts::default();
    let prov = Provenance::declared(repo, &f.rel, None, "pipeline");
    let name = f.rel.rsplit('/').next().unwrap_or(&f.rel).to_string();
    let file = facts.node(
        Node::new(NodeId::file(repo, &f.rel), NodeKind::File, name, prov.clone())
            .with_attr(attr::SIZE, f.size.to_string())
            .with_attr("skipped", code.trim_start_matches("file.")),
    );
    facts.edge(Edge::new(NodeId::repo(repo), EdgeKind::Contains, file, prov));
    let severity = if code == "file.unreadable" { Severity::Error } else { Severity::Info };
    facts.diagnostic(Diagnostic::new(severity, code, repo, &f.rel, None, reason));
    FileOutcome::Changed {
        write: UnitWrite { path: f.rel.clone(), unit: StoredUnit { hash, facts }, content: None },
        skipped: true,
    }
}

fn repo_unit(meta: &RepoMeta) -> UnitWrite {
    let mut facts = Facts::default();
    let prov = Provenance::declared(&meta.name, "", None, "pipeline");
    let mut node = Node::new(NodeId::repo(&meta.name), NodeKind::Repo, meta.name.clone(), prov)
        .with_attr("root", meta.root.clone());
    if let Some(c) = &meta.commit {
        node = node.with_attr("commit", c.clone());
    }
    facts.node(node);
    let hash = blake3::hash(format!("{}\0{}\0{:?}", meta.name, meta.root, meta.commit).as_bytes()).to_hex().to_string();
    UnitWrite { path: REPO_UNIT_PATH.into(), unit: StoredUnit { hash, facts }, content: None }
}

/// Whether the search index derives from this store at a generation the store has reached.
/// An index stamped by another store, or ahead of the store's generation (the store lost
/// commits, or was replaced by an empty one), is damage: reported, never rebuilt over.
fn check_derived(
    data_dir: &Path,
    store_id: &str,
    generation: u64,
    index_store: Option<String>,
    index_generation: u64,
) -> Result<(), IngestError> {
    let damaged = |message: String| Err(IngestError::Damaged { path: data_dir.to_path_buf(), message });
    let foreign = index_store.filter(|s| s != store_id);
    if index_generation > generation {
        let replaced = if foreign.is_some() { " (and a new, empty store has taken its place)" } else { "" };
        return damaged(format!(
            "the store is at generation {generation} but its search index was written at generation {index_generation}: the store has lost data{replaced}"
        ));
    }
    if let Some(other) = foreign {
        return damaged(format!(
            "its search index belongs to another store (index stamped {other}, store {store_id}; generation {index_generation} against {generation})"
        ));
    }
    Ok(())
}

/// Bump when any ingestor's output for the same file changes (new facts, a
/// fixed extraction), so that the next ingest re-parses files whose content
/// did not change; it is part of every stored content hash.
pub const FACTS_REVISION: u32 = 11;

/// The stored hash of a file whose configuration says something about it
/// (brain.toml record paths): the content hash tagged with the hints, so that
/// a changed setting re-ingests the file.
fn hinted_hash(hash: String, hints: &brain_model::PathHints) -> String {
    if hints.is_empty() {
        hash
    } else {
        format!("{hash}.{}", hints.tag())
    }
}

/// The stored hash of a file's content: blake3, tagged with [`FACTS_REVISION`].
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{}.r{FACTS_REVISION}", blake3::hash(bytes).to_hex())
}

fn unit_key(repo: &str, path: &str) -> String {
    format!("{repo}\0{path}")
}

/// Search documents for a unit's nodes; a File node's body is its content.
/// What a node reads, calls over HTTP, publishes or subscribes to (its
/// unresolved references) is searchable on that node too, so the consumer
/// that reads `createdAt` is found by "created at".
fn index_docs<N: std::borrow::Borrow<Node>>(
    unit: &str,
    nodes: &[N],
    refs: &[brain_model::Reference],
    content: Option<&str>,
) -> Vec<IndexDoc> {
    let mut uses: HashMap<&NodeId, String> = HashMap::new();
    for r in refs {
        let word = match (&r.kind, &r.target) {
            (
                EdgeKind::ReadsField | EdgeKind::Consumes | EdgeKind::Publishes | EdgeKind::Subscribes,
                brain_model::RefTarget::Key { key, .. },
            ) => key,
            _ => continue,
        };
        let body = uses.entry(&r.from).or_default();
        if body.len() < 4096 {
            body.push_str(word);
            body.push('\n');
        }
    }
    nodes
        .iter()
        .map(|n| {
            let n: &Node = n.borrow();
            let mut body = String::new();
            for key in [attr::QUALIFIED_NAME, attr::SIGNATURE, attr::DOC, attr::WIRE_NAME, attr::HTTP_PATH, attr::TOPIC]
            {
                if let Some(v) = n.attr(key) {
                    body.push_str(v);
                    body.push('\n');
                }
            }
            body.push_str(&n.text);
            if let Some(u) = uses.get(&n.id) {
                body.push('\n');
                body.push_str(u);
            }
            if n.kind == NodeKind::File {
                if let Some(c) = content {
                    body.push('\n');
                    body.push_str(c);
                }
            }
            IndexDoc {
                unit: unit.to_string(),
                id: n.id.0.to_string(),
                kind: n.kind.as_str().to_string(),
                repo: n.prov.repo.to_string(),
                path: n.prov.path.to_string(),
                name: n.name.clone(),
                body,
            }
        })
        .collect()
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `HEAD` of the git checkout containing `root`, if any.
pub fn git_head(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!s.is_empty()).then_some(s)
}
