//! Live freshness: watches configured repositories and re-ingests changed
//! paths, debounced, so a long-running server never answers from a
//! superseded graph.

use crate::{Brain, RepoConfig};
use notify::{RecursiveMode, Watcher};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Stops the watcher when dropped.
pub struct WatchHandle {
    _watcher: notify::RecommendedWatcher,
    stop: mpsc::Sender<Option<PathBuf>>,
}

impl Drop for WatchHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(None);
    }
}

/// Starts watching `repos`. Events are folded for `debounce` after the last
/// one, then each repo's changed paths are re-ingested with
/// [`Brain::ingest_paths`]. `on_ingest` is told about every report.
pub fn watch(
    brain: Arc<Brain>,
    repos: Vec<RepoConfig>,
    debounce: Duration,
    on_ingest: impl Fn(&crate::IngestReport) + Send + 'static,
) -> notify::Result<WatchHandle> {
    let (tx, rx) = mpsc::channel::<Option<PathBuf>>();
    let events = tx.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(ev) = res {
            for p in ev.paths {
                let _ = events.send(Some(p));
            }
        }
    })?;
    let roots: Vec<(RepoConfig, PathBuf)> = repos
        .into_iter()
        .map(|r| {
            let canon = r.path.canonicalize().unwrap_or_else(|_| r.path.clone());
            (r, canon)
        })
        .collect();
    for (_, root) in &roots {
        watcher.watch(root, RecursiveMode::Recursive)?;
    }
    std::thread::Builder::new()
        .name("brain-watch".into())
        .spawn(move || {
            let mut pending: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
            let mut last = Instant::now();
            loop {
                let timeout = if pending.is_empty() {
                    Duration::from_secs(3600)
                } else {
                    debounce.saturating_sub(last.elapsed())
                };
                match rx.recv_timeout(timeout) {
                    Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    Ok(Some(path)) => {
                        for (i, (_, root)) in roots.iter().enumerate() {
                            if let Ok(rel) = path.strip_prefix(root) {
                                let rel = rel
                                    .components()
                                    .map(|c| c.as_os_str().to_string_lossy())
                                    .collect::<Vec<_>>()
                                    .join("/");
                                if !rel.is_empty() {
                                    pending.entry(i).or_default().insert(rel);
                                }
                            }
                        }
                        last = Instant::now();
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        for (i, paths) in std::mem::take(&mut pending) {
                            let repo = &roots[i].0;
                            let paths: Vec<String> = paths.into_iter().collect();
                            match brain.ingest_paths(repo, &paths) {
                                Ok(report) => on_ingest(&report),
                                Err(e) => tracing::warn!(repo = %repo.name, error = %e, "watch re-ingest failed"),
                            }
                        }
                    }
                }
            }
        })
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(WatchHandle { _watcher: watcher, stop: tx })
}
