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

use brain_graph::{Graph, GraphBuilder, Interner, LinkPass, RepoInfo, UnitFacts};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub(crate) type Units = BTreeMap<(String, String), Arc<UnitFacts>>;
pub(crate) type Records = BTreeMap<String, Arc<UnitFacts>>;

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
    /// Makes the facts of every unit share ids and provenance strings.
    pub(crate) interner: Mutex<Interner>,
    snapshot: RwLock<Arc<Graph>>,
    /// Held by every write and by the relink while it publishes.
    pub(crate) write_lock: Mutex<()>,
    state: Mutex<State>,
    cv: Condvar,
}

impl Shared {
    pub(crate) fn new(passes: Vec<Box<dyn LinkPass>>, units: Units, records: Records, interner: Interner) -> Self {
        Shared {
            passes,
            units: Mutex::new(units),
            records: Mutex::new(records),
            interner: Mutex::new(interner),
            snapshot: RwLock::new(Arc::new(Graph::default())),
            write_lock: Mutex::new(()),
            state: Mutex::new(State::default()),
            cv: Condvar::new(),
        }
    }

    pub(crate) fn snapshot(&self) -> Arc<Graph> {
        self.snapshot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn set_snapshot(&self, g: Arc<Graph>) {
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = g;
    }

    /// The full graph over `units` and `records`, link passes included.
    pub(crate) fn build(
        &self,
        units: &Units,
        records: &Records,
        repos: impl IntoIterator<Item = RepoInfo>,
        generation: u64,
    ) -> Graph {
        let mut b = GraphBuilder::new().with_generation(generation);
        for r in repos {
            b.set_repo(r);
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

    fn relink_once(&self, delay: Duration) -> RelinkRun {
        let started = Instant::now();
        let units = lock(&self.units).clone();
        let records = lock(&self.records).clone();
        let snap = self.snapshot();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let full = self.build(&units, &records, snap.repos().values().cloned(), snap.generation());
        let guard = lock(&self.write_lock);
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
