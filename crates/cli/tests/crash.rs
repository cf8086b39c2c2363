//! Killing a real `brain ingest` process at any point leaves each repository
//! in its old state or its new state, never a mix, and the store reopens.

mod support;

use brain_store::{FactStore, SledStore};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn brain() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brain"));
    c.stdout(Stdio::null()).stderr(Stdio::null()).env("CI", "1");
    c
}

fn touch_all(org: &Path, round: usize) {
    let mut stack = vec![org.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() && !p.ends_with("data") {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "ts" || x == "py" || x == "go") {
                let mut text = std::fs::read_to_string(&p).expect("read");
                text.push_str(&format!("\n// round {round}\n"));
                std::fs::write(&p, text).expect("write");
            }
        }
    }
}

/// Every repo in the store holds exactly the old or exactly the new content.
fn check_consistent(
    data: &Path,
    old: &HashMap<String, BTreeMap<String, String>>,
    new: &HashMap<String, BTreeMap<String, String>>,
) {
    let store = SledStore::open(&data.join("store")).expect("the store reopens after a kill");
    let stored_repos: HashSet<String> = store.repos().expect("repos").into_iter().map(|r| r.name).collect();
    for (repo, new_files) in new {
        let units: BTreeMap<String, String> =
            store.unit_hashes(repo).expect("hashes").into_iter().filter(|(p, _)| !p.is_empty()).collect();
        if units.is_empty() {
            assert!(
                old.get(repo).is_none_or(|o| o.is_empty()) || !stored_repos.contains(repo),
                "{repo}: units vanished"
            );
            continue;
        }
        let matches_new = &units == new_files;
        let matches_old = old.get(repo).is_some_and(|o| &units == o);
        assert!(matches_new || matches_old, "{repo}: the store holds a mix of two ingests");
    }
}

#[test]
fn killing_an_ingest_midway_loses_nothing() {
    let work = tempfile::tempdir().expect("tempdir");
    let org = work.path().join("org");
    let repos = 6;
    let spec = brain_synth::SynthSpec { repos, files_per_repo: 80, functions_per_file: 10 };
    brain_synth::generate(&org, &spec).expect("synth");
    let data: PathBuf = work.path().join("data");
    let config = org.join("brain.toml");

    let names = support::synth_names(repos);
    let mut old: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    for (round, delay_ms) in [60u64, 200, 450, 800].into_iter().enumerate() {
        let new = support::disk_hashes(&org, &names);
        let mut child = brain()
            .arg("ingest")
            .arg(&config)
            .arg("--data-dir")
            .arg(&data)
            .arg("--quiet")
            .spawn()
            .expect("spawn brain");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        check_consistent(&data, &old, &new);
        // Let the next round start from whatever landed, then finish this state fully.
        let status =
            brain().arg("ingest").arg(&config).arg("--data-dir").arg(&data).arg("--quiet").status().expect("run brain");
        assert!(status.success(), "a full ingest after a kill succeeds");
        check_consistent(&data, &new, &new);
        old = new;
        touch_all(&org, round);
    }
    // The search index agrees with the store after all of that.
    let out = Command::new(env!("CARGO_BIN_EXE_brain"))
        .args(["search", "step", "--limit", "3", "--data-dir"])
        .arg(&data)
        .output()
        .expect("search");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("symbol"), "{}", String::from_utf8_lossy(&out.stdout));
}
