//! The state a [`Brain`](crate::Brain) shares with its background relink,
//! and the relink itself.
//!
//! A small write publishes a patched snapshot ([`Graph::patch`]) at once and
//! asks for a relink: one thread per brain, started on first use, coalescing
//! requests, rebuilds the whole graph (link passes included) from the units
//! without holding the write lock. When it is done it takes the write lock,
//! patches the writes made while it ran (the units that differ from the ones
//! it built from) on top of the full graph and publishes that; if there were
//! any, another relink follows. The thread stops when the brain drops.

use crate::snapshot_file;
use brain_graph::{Graph, GraphBuilder, Interner, LinkPass, RepoInfo, SnapshotStamp, UnitFacts, SNAPSHOT_FORMAT};
use brain_model::history::RepoHistory;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(crate) type Units = BTreeMap<(String, String), Arc<UnitFacts>>;
pub(crate) type Records = BTreeMap<String, Arc<UnitFacts>>;

/// Every repository's history summary, and a version bumped with each change
/// (a relink that started before a history write must not publish over it).
#[derive(Clone, Default)]
pub(crate) struct Histories {
    pub(crate) version: u64,
    pub(crate) map: BTreeMap<String, Arc<RepoHistory>>,
}

impl Histories {
    /// Sets (or with `None` drops) a repository's summary.
    pub(crate) fn set(&mut self, repo: &str, summary: Option<Arc<RepoHistory>>) {
        match summary {
            Some(s) => self.map.insert(repo.to_string(), s),
            None => self.map.remove(repo),
        };
        self.version += 1;
    }
}

/// What the last background relink did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelinkRun {
    /// From taking the units to publishing the full snapshot.
    pub duration: Duration,
    /// Units written while it ran, patched on top of it.
    pub patched_units: usize,
}

/// Locks a mutex, recovering it from a panicked holder (the data is still consistent: every
/// writer replaces whole values).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[derive(Default)]
struct State {
    requested: bool,
    running: bool,
    stop: bool,
    /// Test hook: how long a relink waits after taking the units.
    delay: Duration,
    last: Option<RelinkRun>,
}

/// Everything the write path and the relink thread both touch.
pub(crate) struct Shared {
    pub(crate) passes: Vec<Box<dyn LinkPass>>,
    pub(crate) units: Mutex<Units>,
    pub(crate) records: Mutex<Records>,
    /// Git history summaries, applied in every full build.
    pub(crate) histories: Mutex<Histories>,
    /// Makes the facts of every unit share ids and provenance strings.
    pub(crate) interner: Mutex<Interner>,
    snapshot: RwLock<Arc<Graph>>,
    /// Held by every write and by the relink while it publishes.
    pub(crate) write_lock: Mutex<()>,
    state: Mutex<State>,
    cv: Condvar,
    /// Writes full snapshots to `snapshot.bin`.
    pub(crate) persister: Persister,
}

impl Shared {
    pub(crate) fn new(
        passes: Vec<Box<dyn LinkPass>>,
        units: Units,
        records: Records,
        interner: Interner,
        persister: Persister,
    ) -> Self {
        Shared {
            passes,
            units: Mutex::new(units),
            records: Mutex::new(records),
            histories: Mutex::new(Histories::default()),
            interner: Mutex::new(interner),
            snapshot: RwLock::new(Arc::new(Graph::default())),
            write_lock: Mutex::new(()),
            state: Mutex::new(State::default()),
            cv: Condvar::new(),
            persister,
        }
    }

    pub(crate) fn snapshot(&self) -> Arc<Graph> {
        self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Publishes `g`; a full build linked here is also written to disk in the background.
    pub(crate) fn set_snapshot(&self, g: Arc<Graph>) {
        if g.is_exact() && g.can_patch() {
            self.persister.request(g.clone());
        }
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = g;
    }

    /// The full graph over `units`, `records` and `histories`, link passes included.
    pub(crate) fn build(
        &self,
        units: &Units,
        records: &Records,
        histories: &Histories,
        repos: impl IntoIterator<Item = RepoInfo>,
        generation: u64,
    ) -> Graph {
        let mut b = GraphBuilder::new().with_generation(generation);
        for r in repos {
            b.set_repo(r);
        }
        for (repo, h) in &histories.map {
            b.add_history(repo, h.clone());
        }
        for facts in units.values().chain(records.values()) {
            b.add_unit(facts);
        }
        let passes: Vec<&dyn LinkPass> = self.passes.iter().map(|p| p.as_ref()).collect();
        b.build(&passes)
    }

    /// Asks for a relink, starting the thread on first use.
    pub(crate) fn request(self: &Arc<Self>, thread: &Mutex<Option<JoinHandle<()>>>) {
        lock(&self.state).requested = true;
        self.cv.notify_all();
        let mut t = lock(thread);
        if t.is_none() {
            let shared = self.clone();
            match std::thread::Builder::new().name("brain-relink".into()).spawn(move || shared.run()) {
                Ok(h) => *t = Some(h),
                Err(e) => tracing::warn!(error = %e, "cannot start the relink thread; snapshots stay patched"),
            }
        }
    }

    /// Stops the thread (after the relink under way, if any).
    pub(crate) fn stop(&self) {
        lock(&self.state).stop = true;
        self.cv.notify_all();
    }

    pub(crate) fn set_delay(&self, delay: Duration) {
        lock(&self.state).delay = delay;
    }

    pub(crate) fn last_run(&self) -> Option<RelinkRun> {
        lock(&self.state).last.clone()
    }

    /// Waits until the snapshot is a full build and no relink is pending.
    pub(crate) fn wait_exact(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut st = lock(&self.state);
        loop {
            if !st.requested && !st.running && self.snapshot().is_exact() {
                return true;
            }
            let now = Instant::now();
            if now >= deadline || (!st.requested && !st.running) {
                // Nothing will make it exact (a relink failed): do not wait for nothing.
                return self.snapshot().is_exact();
            }
            st = self.cv.wait_timeout(st, deadline - now).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    fn run(self: Arc<Self>) {
        loop {
            let delay = {
                let mut st = lock(&self.state);
                while !st.requested && !st.stop {
                    st = self.cv.wait(st).unwrap_or_else(|p| p.into_inner());
                }
                if st.stop {
                    return;
                }
                st.requested = false;
                st.running = true;
                st.delay
            };
            let run = catch_unwind(AssertUnwindSafe(|| self.relink_once(delay)));
            let mut st = lock(&self.state);
            st.running = false;
            match run {
                Ok(run) => {
                    // Writes patched on top: the snapshot is not exact yet, go again (a write
                    // asked already, unless a full publish replaced it meanwhile).
                    st.requested |= run.patched_units > 0;
                    st.last = Some(run);
                }
                Err(_) => tracing::error!("the background relink panicked; the snapshot stays patched"),
            }
            drop(st);
            self.cv.notify_all();
        }
    }

    /// Builds the full graph from the units and publishes it with the writes made meanwhile patched on top.
    pub(crate) fn relink_once(&self, delay: Duration) -> RelinkRun {
        let started = Instant::now();
        let units = lock(&self.units).clone();
        let records = lock(&self.records).clone();
        let histories = lock(&self.histories).clone();
        let snap = self.snapshot();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let full = self.build(&units, &records, &histories, snap.repos().values().cloned(), snap.generation());
        let guard = lock(&self.write_lock);
        if lock(&self.histories).version != histories.version {
            // A history write published a full build meanwhile (a patch cannot carry history):
            // this one is older. Writes patched on top of that build asked for another relink.
            drop(guard);
            return RelinkRun { duration: started.elapsed(), patched_units: 0 };
        }
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        diff(&units, &lock(&self.units), &mut removed, &mut added);
        diff(&records, &lock(&self.records), &mut removed, &mut added);
        let cur = self.snapshot();
        let g = full.patch(&removed, &added, cur.generation(), cur.repos().clone());
        let exact = g.is_exact();
        self.set_snapshot(Arc::new(g));
        drop(guard);
        if exact {
            // Forget ids and paths of facts that are gone (the old snapshots just went).
            lock(&self.interner).prune();
        }
        RelinkRun { duration: started.elapsed(), patched_units: removed.len().max(added.len()) }
    }
}

/// Units in `now` that differ from `then`: old facts into `removed`, new into `added`.
fn diff<K: Ord>(
    then: &BTreeMap<K, Arc<UnitFacts>>,
    now: &BTreeMap<K, Arc<UnitFacts>>,
    removed: &mut Vec<Arc<UnitFacts>>,
    added: &mut Vec<Arc<UnitFacts>>,
) {
    for (k, old) in then {
        match now.get(k) {
            Some(new) if Arc::ptr_eq(old, new) => {}
            Some(new) => {
                removed.push(old.clone());
                added.push(new.clone());
            }
            None => removed.push(old.clone()),
        }
    }
    for (k, new) in now {
        if !then.contains_key(k) {
            added.push(new.clone());
        }
    }
}

/// Writes published snapshots to disk on a background thread, newest only.
pub(crate) struct Persister {
    shared: Arc<(Mutex<PersistState>, Condvar)>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Default)]
struct PersistState {
    pending: Option<Arc<Graph>>,
    stop: bool,
    /// Generation of the snapshot on disk, when known (nothing to write for it again).
    on_disk: Option<u64>,
}

impl Persister {
    pub(crate) fn start(data_dir: PathBuf, linker: String, store: String) -> Persister {
        let shared: Arc<(Mutex<PersistState>, Condvar)> = Arc::default();
        let worker = shared.clone();
        let thread = std::thread::Builder::new()
            .name("brain-persist".into())
            .spawn(move || loop {
                let (state, cvar) = &*worker;
                let graph = {
                    let mut st = lock(state);
                    while st.pending.is_none() && !st.stop {
                        st = cvar.wait(st).unwrap_or_else(|p| p.into_inner());
                    }
                    match st.pending.take() {
                        Some(g) => g,
                        None => return,
                    }
                };
                let stamp = SnapshotStamp {
                    format: SNAPSHOT_FORMAT,
                    generation: graph.generation(),
                    linker: linker.clone(),
                    store: store.clone(),
                };
                let started = Instant::now();
                let written = snapshot_file::write(&data_dir, &graph, &stamp);
                if written.is_ok() {
                    lock(state).on_disk = Some(stamp.generation);
                }
                match written {
                    Ok(()) => {
                        tracing::debug!(generation = stamp.generation, took = ?started.elapsed(), "snapshot persisted")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot persist the snapshot; the next open relinks from the store")
                    }
                }
            })
            .ok();
        if thread.is_none() {
            tracing::warn!("cannot start the snapshot writer; every open will relink from the store");
        }
        Persister { shared, thread: Mutex::new(thread) }
    }

    /// Asks for `graph` to be written (replacing an older request not yet started).
    pub(crate) fn request(&self, graph: Arc<Graph>) {
        if lock(&self.thread).is_none() {
            return;
        }
        let (state, cvar) = &*self.shared;
        let mut st = lock(state);
        if st.on_disk == Some(graph.generation()) {
            return;
        }
        st.pending = Some(graph);
        cvar.notify_all();
    }

    /// Records that the file on disk already holds `generation` (the brain opened from it).
    pub(crate) fn on_disk(&self, generation: u64) {
        lock(&self.shared.0).on_disk = Some(generation);
    }

    /// Finishes pending work and stops the thread.
    pub(crate) fn stop(&self) {
        let (state, cvar) = &*self.shared;
        lock(state).stop = true;
        cvar.notify_all();
        if let Some(t) = lock(&self.thread).take() {
            let _ = t.join();
        }
    }
}
