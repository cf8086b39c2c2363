//! Helpers shared by the CLI's process-level tests (crash and fault loops).

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Repo name -> (path -> stored content hash) of every file of each named repo of a synth
/// organisation (`synth/svc0003` lives in `<org>/svc0003`).
pub fn disk_hashes(org: &Path, repos: &[String]) -> HashMap<String, BTreeMap<String, String>> {
    let mut out = HashMap::new();
    for name in repos {
        let root = org.join(name.trim_start_matches("synth/"));
        let mut files = BTreeMap::new();
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(&root).expect("prefix").to_string_lossy().replace('\\', "/");
                    files.insert(rel, brain_ingest::content_hash(&std::fs::read(&p).expect("read")));
                }
            }
        }
        out.insert(name.clone(), files);
    }
    out
}

/// The names `brain synth` gives the first `n` repositories.
pub fn synth_names(n: usize) -> Vec<String> {
    (0..n).map(|r| format!("synth/svc{r:04}")).collect()
}
