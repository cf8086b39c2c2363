//! Without `git` on PATH a git checkout is ingested without its history,
//! with a diagnostic saying so. Its own test binary: it changes PATH.

use brain_ingest::{Brain, NoProgress, RepoConfig};
use std::process::Command;

#[test]
fn without_git_the_files_are_ingested_and_a_diagnostic_says_why() {
    let Ok(out) = Command::new("git").arg("--version").output() else {
        eprintln!("note: git is not on PATH; this test needs it to make the repository first");
        return;
    };
    assert!(out.status.success());
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("repo");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("main.py"), "def main():\n    pass\n").expect("write");
    for args in [&["init", "-q"][..], &["add", "-A"], &["commit", "-q", "-m", "Initial"]] {
        let ok = Command::new("git")
            .arg("-C")
            .arg(&root)
            .args(["-c", "user.name=Ann", "-c", "user.email=ann@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git");
        assert!(ok.success());
    }
    // No git from here on (this binary runs this one test).
    let empty = tmp.path().join("empty-path");
    std::fs::create_dir_all(&empty).expect("mkdir");
    std::env::set_var("PATH", &empty);
    let brain = Brain::open(&tmp.path().join("data"), brain_stack::ingestors(), brain_stack::passes()).expect("open");
    let cfg = RepoConfig { name: "acme/app".into(), path: root, include: vec![], exclude: vec![] };
    let report = brain.ingest_repo(&cfg, &NoProgress).expect("ingest goes on");
    assert_eq!(report.parsed, 1);
    let d = report.diagnostics.iter().find(|d| d.code == "history.unavailable").expect("a diagnostic");
    assert!(d.message.contains("git is not on PATH"), "{}", d.message);
    assert!(brain.history_stats("acme/app").expect("stats").is_none());
    let err = brain.ingest_history("acme/app", tmp.path(), "HEAD").expect_err("no git");
    assert!(err.to_string().contains("git is not on PATH"), "{err}");
}
