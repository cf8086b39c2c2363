//! Git history as a source, end to end: a real repository made with the
//! `git` command line, ingested by a real brain (sled, tantivy, the shipped
//! ingestors): commits stored, `changed_with` edges with their support,
//! "similar past changes", incremental reads, and never a commit beyond the
//! indexed one. Skipped (with a note) where `git` is not on PATH.

use brain_graph::Graph;
use brain_ingest::{Brain, HistoryConfig, NoProgress, RepoConfig};
use brain_model::{attr, EdgeKind, NodeId};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const REPO: &str = "acme/shop";

fn has_git() -> bool {
    let ok = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: git is not on PATH; history tests skipped");
    }
    ok
}

/// Runs git in `dir` with a fixed identity and clock, ignoring the user's config.
fn git(dir: &Path, args: &[&str], time: i64) -> String {
    let date = format!("{} +0000", time.max(1_600_000_000));
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Ann Lee", "-c", "user.email=ann@example.com", "-c", "commit.gpgsign=false"])
        .args(["-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

/// Writes `files` (appending a line to each, so that each commit changes
/// them), commits everything with `message` and returns the commit's hash.
fn commit(root: &Path, n: i64, message: &str, files: &[&str]) -> String {
    for f in files {
        let p = root.join(f);
        let old = fs::read_to_string(&p).unwrap_or_default();
        write(root, f, &format!("{old}// change {n}\n"));
    }
    git(root, &["add", "-A"], 0);
    git(root, &["commit", "-q", "--allow-empty", "-m", message], 1_700_000_000 + n * 86_400);
    git(root, &["rev-parse", "HEAD"], 0)
}

fn open(data: &Path) -> Brain {
    Brain::open(data, brain_stack::ingestors(), brain_stack::passes()).expect("open brain")
}

fn repo(name: &str, dir: &Path) -> RepoConfig {
    RepoConfig { name: name.into(), path: dir.to_path_buf(), include: vec![], exclude: vec![] }
}

fn file(repo: &str, path: &str) -> NodeId {
    NodeId::file(repo, path)
}

/// `(support, confidence)` of the `changed_with` edge between two files.
fn co_change(g: &Graph, repo: &str, a: &str, b: &str) -> Option<(String, String)> {
    let to = file(repo, b);
    g.outgoing(&file(repo, a)).find(|e| e.edge.kind == EdgeKind::ChangedWith && e.other.id == to).map(|e| {
        assert_eq!(&*e.edge.prov.ingestor, "history");
        assert!(!e.edge.prov.origin.is_declared(), "co-change is inferred");
        (
            e.edge.attr(attr::SUPPORT).unwrap_or_default().to_string(),
            e.edge.attr(attr::CONFIDENCE).unwrap_or_default().to_string(),
        )
    })
}

fn changed_with_count(g: &Graph) -> usize {
    g.edges().filter(|e| e.kind == EdgeKind::ChangedWith).count()
}

/// The six commits of the shop, oldest first.
fn shop(root: &Path) -> Vec<String> {
    git(root, &["init", "-q"], 0);
    vec![
        commit(root, 1, "Initial import", &["README.md", "src/orders.rs", "src/http/client.rs"]),
        commit(root, 2, "Retry requests on timeout in the HTTP client", &["src/http/client.rs", "src/http/retry.rs"]),
        commit(
            root,
            3,
            "fix(http): backoff jitter for retries\n\nSigned-off-by: Ann Lee <ann@example.com>",
            &["src/http/client.rs", "src/http/retry.rs"],
        ),
        commit(root, 4, "Add order export to CSV", &["src/orders.rs", "src/export.rs"]),
        commit(root, 5, "Rename the paymentTimeout setting", &["src/http/retry.rs", "src/http/client.rs"]),
        commit(root, 6, "docs: usage", &["README.md"]),
    ]
}

#[test]
fn history_is_read_with_the_files_and_gives_co_change_and_similar_changes() {
    if !has_git() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("shop");
    fs::create_dir_all(&root).expect("mkdir");
    let shas = shop(&root);
    let data = tmp.path().join("data");
    let brain = open(&data);

    let report = brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest");
    assert_eq!(report.commit.as_deref(), Some(shas[5].as_str()), "the indexed commit is HEAD");
    let h = report.history.clone().expect("history read");
    assert_eq!((h.commits_read, h.commits_total, h.replaced), (6, 6, true), "{h:?}");
    assert_eq!(h.head.as_deref(), Some(shas[5].as_str()));
    let stats = brain.history_stats(REPO).expect("stats").expect("stored");
    assert_eq!((stats.commits, stats.head.as_str()), (6, shas[5].as_str()));

    // client and retry changed together in commits 2, 3 and 5; client changed 4 times, retry 3.
    let g = brain.snapshot();
    assert_eq!(co_change(&g, REPO, "src/http/client.rs", "src/http/retry.rs"), Some(("3".into(), "0.75".into())));
    assert_eq!(co_change(&g, REPO, "src/http/retry.rs", "src/http/client.rs"), Some(("3".into(), "1.00".into())));
    assert_eq!(co_change(&g, REPO, "src/orders.rs", "src/export.rs"), None, "one shared commit is below support 2");
    let client = g.node(&file(REPO, "src/http/client.rs")).expect("client file");
    assert_eq!(client.attr(attr::CHURN_COMMITS), Some("4"));
    assert_eq!(client.attr(attr::TOP_AUTHORS), Some("Ann Lee (4)"));

    // Similar past changes: the message that resembles the text first, with the files it touched.
    let hits = brain.similar_changes(None, "retry the request when it times out", 5).expect("similar");
    let top = hits.first().expect("a hit");
    assert_eq!(top.sha, shas[1], "{hits:?}");
    assert_eq!(top.subject, "Retry requests on timeout in the HTTP client");
    assert_eq!((top.repo.as_str(), top.author.as_str(), top.time), (REPO, "Ann Lee", 1_700_000_000 + 2 * 86_400));
    let mut files = top.files.clone();
    files.sort();
    assert_eq!(files, ["src/http/client.rs", "src/http/retry.rs"]);
    let ident = brain.similar_changes(None, "payment_timeout", 5).expect("similar");
    assert_eq!(ident.first().map(|c| c.sha.as_str()), Some(shas[4].as_str()), "{ident:?}");
    let scoped = brain.similar_changes(None, "fix(http): jitter", 5).expect("similar");
    assert_eq!(scoped.first().map(|c| c.sha.as_str()), Some(shas[2].as_str()));
    assert!(brain.similar_changes(Some(&["acme/other".to_string()]), "retry", 5).expect("similar").is_empty());
    assert!(brain.similar_changes(Some(&[REPO.to_string()]), "retry", 5).expect("similar").len() >= 2);

    // Two more commits: only they are read. The second renames orders.rs; its history follows.
    let more = [commit(&root, 7, "Export orders as JSON too", &["src/orders.rs", "src/export.rs"]), {
        git(&root, &["mv", "src/orders.rs", "src/order.rs"], 0);
        commit(&root, 8, "Rename the orders module", &["src/export.rs"])
    }];
    let report = brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("re-ingest");
    let h = report.history.clone().expect("history read");
    assert_eq!((h.commits_read, h.commits_total, h.replaced), (2, 8, false), "{h:?}");
    let g = brain.snapshot();
    assert_eq!(co_change(&g, REPO, "src/export.rs", "src/order.rs").map(|s| s.0), Some("3".into()));
    assert!(g.node(&file(REPO, "src/orders.rs")).is_none());
    let hits = brain.similar_changes(None, "orders JSON export", 1).expect("similar");
    assert_eq!(hits.first().map(|c| c.sha.as_str()), Some(more[0].as_str()));
    let renamed = brain.similar_changes(None, "rename orders module", 1).expect("similar");
    assert!(
        renamed[0].files.contains(&"src/order.rs".to_string())
            && renamed[0].files.contains(&"src/orders.rs".to_string())
    );

    // Nothing new: nothing read, nothing written.
    let generation = brain.store().generation();
    let report = brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest again");
    assert_eq!(report.history.map(|h| (h.commits_read, h.commits_total)), Some((0, 8)));
    assert_eq!(brain.store().generation(), generation, "an unchanged repository writes nothing");

    // A reopened brain (persisted snapshot, then units and histories loaded for writes) keeps it all.
    let edges = changed_with_count(&brain.snapshot());
    assert!(edges >= 4, "{edges}");
    drop(brain);
    let brain = open(&data);
    assert_eq!(changed_with_count(&brain.snapshot()), edges);
    brain.prepare_for_writes().expect("prepare");
    assert!(brain.wait_exact(Duration::from_secs(60)));
    std::thread::sleep(Duration::from_millis(200));
    assert!(brain.wait_exact(Duration::from_secs(60)));
    assert_eq!(changed_with_count(&brain.snapshot()), edges, "a relink from the store keeps the history");
    assert_eq!(brain.similar_changes(None, "paymentTimeout", 1).expect("similar")[0].sha, shas[4]);

    // A small write (a patch, then the background relink) keeps the edges.
    write(&root, "src/http/client.rs", "// edited\n");
    brain.ingest_paths(&repo(REPO, &root), &["src/http/client.rs".to_string()]).expect("save");
    assert!(brain.wait_exact(Duration::from_secs(60)));
    assert_eq!(
        co_change(&brain.snapshot(), REPO, "src/http/client.rs", "src/http/retry.rs").map(|s| s.0),
        Some("3".into())
    );

    // The checkout moves back (a branch switch the watcher sees): history follows the indexed commit.
    git(&root, &["checkout", "-q", "-f", &shas[4]], 0);
    let paths: Vec<String> = ["src/export.rs", "src/orders.rs", "src/order.rs"].map(String::from).into();
    let report = brain.ingest_paths(&repo(REPO, &root), &paths).expect("paths");
    assert_eq!(report.commit.as_deref(), Some(shas[4].as_str()));
    assert_eq!(report.history.map(|h| (h.commits_total, h.replaced)), Some((5, true)));
    let json = brain.similar_changes(None, "orders JSON export", 10).expect("similar");
    assert!(json.iter().all(|c| shas[..5].contains(&c.sha)), "{json:?}");
    git(&root, &["checkout", "-q", "-f", "main"], 0);

    // History turned off: the stored history goes, and its edges and commits with it.
    brain.set_history_config(HistoryConfig { enabled: false, ..HistoryConfig::default() });
    let report = brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest without history");
    assert!(report.history.is_some_and(|h| h.replaced && h.commits_total == 0));
    assert!(brain.history_stats(REPO).expect("stats").is_none());
    assert_eq!(changed_with_count(&brain.snapshot()), 0);
    assert!(brain.similar_changes(None, "retry", 5).expect("similar").is_empty());
}

#[test]
fn history_beyond_the_indexed_commit_is_never_used() {
    if !has_git() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("shop");
    fs::create_dir_all(&root).expect("mkdir");
    let mut shas = shop(&root);
    shas.push(commit(&root, 7, "Export orders as JSON too", &["src/orders.rs", "src/export.rs"]));
    shas.push(commit(&root, 8, "Stream the JSON export", &["src/orders.rs", "src/export.rs"]));
    // A mirror, as a harness holds it, and a tree at commit 5 without .git.
    let mirror = tmp.path().join("mirror.git");
    git(tmp.path(), &["clone", "-q", "--mirror", root.to_str().expect("utf-8 path"), "mirror.git"], 0);
    let tree = tmp.path().join("tree");
    git(tmp.path(), &["clone", "-q", root.to_str().expect("utf-8 path"), "tree"], 0);
    git(&tree, &["checkout", "-q", "--detach", &shas[4]], 0);
    fs::remove_dir_all(tree.join(".git")).expect("drop .git");

    let brain = open(&tmp.path().join("data"));
    const SNAP: &str = "acme/snap";
    let err = brain.ingest_history(SNAP, &mirror, &shas[4]).expect_err("not ingested yet");
    assert!(err.to_string().contains("not ingested"), "{err}");
    let report = brain.ingest_repo(&repo(SNAP, &tree), &NoProgress).expect("ingest tree");
    assert!(report.history.is_none() && report.commit.is_none(), "no .git: no automatic history");

    let h = brain.ingest_history(SNAP, &mirror, &shas[4]).expect("history at commit 5");
    assert_eq!((h.commits_read, h.commits_total, h.replaced), (5, 5, true));
    let only = [SNAP.to_string()];
    let hits = brain.similar_changes(Some(&only), "export orders JSON", 10).expect("similar");
    assert_eq!(hits.first().map(|c| c.sha.as_str()), Some(shas[3].as_str()), "{hits:?}");
    assert!(hits.iter().all(|c| c.sha != shas[6] && c.sha != shas[7]), "commits after the indexed one: {hits:?}");
    assert!(brain.similar_changes(Some(&only), "docs usage", 10).expect("similar").iter().all(|c| c.sha != shas[5]));

    // Moving forward reads only the new commits; a branch name is resolved.
    let h = brain.ingest_history(SNAP, &mirror, "main").expect("history at main");
    assert_eq!((h.commits_read, h.commits_total, h.replaced), (3, 8, false));
    assert_eq!(h.head.as_deref(), Some(shas[7].as_str()));
    let g = brain.snapshot();
    assert_eq!(co_change(&g, SNAP, "src/export.rs", "src/orders.rs").map(|s| s.0), Some("3".into()));

    // Back to an older commit: the stored head is not its ancestor, so history is read afresh.
    let h = brain.ingest_history(SNAP, &mirror, &shas[2]).expect("history at commit 3");
    assert_eq!((h.commits_read, h.commits_total, h.replaced), (3, 3, true));
    for text in ["paymentTimeout", "export orders JSON", "retry jitter timeout", "docs usage"] {
        let hits = brain.similar_changes(Some(&only), text, 10).expect("similar");
        assert!(hits.iter().all(|c| shas[..3].contains(&c.sha)), "{text}: {hits:?}");
    }
    assert!(brain.similar_changes(Some(&only), "export JSON", 10).expect("similar").is_empty());
    assert_eq!(co_change(&brain.snapshot(), SNAP, "src/export.rs", "src/orders.rs"), None);
    assert_eq!(brain.history_stats(SNAP).expect("stats").map(|s| s.commits), Some(3));

    // Bad revisions are refused before git sees them.
    for bad in ["--output=/tmp/x", "no-such-branch", "HEAD ~1"] {
        assert!(brain.ingest_history(SNAP, &mirror, bad).is_err(), "{bad}");
    }
    // Removing the repository removes its history.
    brain.remove_repo(SNAP).expect("remove");
    assert!(brain.history_stats(SNAP).expect("stats").is_none());
    assert!(brain.similar_changes(None, "retry", 10).expect("similar").is_empty());
}

#[test]
fn caps_bound_what_is_read() {
    if !has_git() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("shop");
    fs::create_dir_all(&root).expect("mkdir");
    let shas = shop(&root);
    let brain = open(&tmp.path().join("data"));
    brain.set_history_config(HistoryConfig { max_commits: 3, max_files_per_commit: 2, ..HistoryConfig::default() });
    let report = brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest");
    assert_eq!(report.history.map(|h| (h.commits_read, h.commits_total)), Some((3, 3)));
    // Only the newest three commits: 4, 5, 6.
    assert!(brain.similar_changes(None, "jitter", 5).expect("similar").is_empty());
    assert_eq!(brain.similar_changes(None, "paymentTimeout", 5).expect("similar")[0].sha, shas[4]);
    // Two more commits stay within the cap plus a quarter? No (3 + 2 > 3): the newest three are read afresh.
    commit(&root, 7, "Export orders as JSON too", &["src/orders.rs", "src/export.rs"]);
    commit(&root, 8, "Touch three files", &["src/orders.rs", "src/export.rs", "README.md"]);
    let report = brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest");
    let h = report.history.expect("history");
    assert_eq!((h.commits_total, h.replaced), (3, true), "{h:?}");
    // Commit 8 changed three files, over the co-change cap of two: orders and export share only commit 7.
    assert_eq!(co_change(&brain.snapshot(), REPO, "src/orders.rs", "src/export.rs"), None);
}

#[test]
fn a_real_log_with_a_merge_a_rename_and_a_latin1_message_is_read() {
    use brain_ingest::git_log;
    use brain_model::history::ChangeStatus;
    if !has_git() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    git(root, &["init", "-q"], 0);
    commit(root, 1, "Initial", &["a.rs", "b.rs"]);
    git(root, &["checkout", "-q", "-b", "topic"], 0);
    commit(root, 2, "Topic work", &["a.rs"]);
    git(root, &["checkout", "-q", "main"], 0);
    git(root, &["mv", "b.rs", "c.rs"], 0);
    commit(root, 3, "Rename b to c", &[]);
    git(root, &["merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic"], 1_700_000_000 + 4 * 86_400);
    // A message in Latin-1, declared so: git re-encodes it; the reader never fails on it.
    write(root, "d.rs", "d\n");
    git(root, &["add", "-A"], 0);
    fs::write(root.join("msg"), b"Caf\xe9 cr\xe8me\n").expect("message");
    git(root, &["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", "msg"], 1_700_000_000 + 5 * 86_400);

    let log = git_log::read_log(root, "HEAD", None, 100).expect("log");
    let subjects: Vec<&str> = log.iter().map(|c| c.subject()).collect();
    assert_eq!(subjects, ["Café crème", "Merge branch 'topic'", "Rename b to c", "Topic work", "Initial"]);
    let merge = &log[1];
    assert_eq!((merge.parents, merge.files.len()), (2, 0), "a merge keeps its message, not its files");
    let rename = &log[2].files[0];
    assert_eq!(
        (rename.status, rename.path.as_str(), rename.from.as_deref()),
        (ChangeStatus::Renamed, "c.rs", Some("b.rs"))
    );
    // Incremental: only what the old head lacks; ancestry decides a rewrite.
    let since = git_log::read_log(root, "HEAD", Some(&log[2].sha), 100).expect("since");
    let since: Vec<&str> = since.iter().map(|c| c.subject()).collect();
    assert_eq!(since, ["Café crème", "Merge branch 'topic'", "Topic work"]);
    assert!(git_log::is_ancestor(root, &log[4].sha, &log[0].sha).expect("ancestry"));
    assert!(!git_log::is_ancestor(root, &log[0].sha, &log[4].sha).expect("ancestry"));
    assert!(!git_log::is_ancestor(root, "0123456789012345678901234567890123456789", &log[0].sha).expect("unknown"));
    assert_eq!(git_log::work_tree_head(root).expect("head"), Some(log[0].sha.clone()));
    fs::create_dir_all(root.join("sub")).expect("mkdir");
    assert_eq!(git_log::work_tree_head(&root.join("sub")).expect("sub"), None, "a subdirectory is not a repo root");
    assert_eq!(git_log::read_log(root, "HEAD", None, 2).expect("capped").len(), 2);
}

/// An empty git repository `shop` in `work`.
fn shop_repo(work: &Path) -> PathBuf {
    let root = work.join("shop");
    fs::create_dir_all(&root).expect("mkdir");
    git(&root, &["init", "-q"], 0);
    root
}

/// A packet's past changes name today's paths: a file moved after the change
/// that touched it is voted for under its new path, and the packet ranks it.
#[test]
fn packet_history_follows_renames_to_todays_paths() {
    if !has_git() {
        return;
    }
    let work = tempfile::tempdir().expect("tempdir");
    let root = shop_repo(work.path());
    commit(&root, 1, "Initial import", &["README.md", "pay/gateway.rs"]);
    commit(&root, 2, "Retry the gateway charge on timeout", &["pay/gateway.rs"]);
    write(&root, "crates/pay/src/gateway.rs", &fs::read_to_string(root.join("pay/gateway.rs")).expect("read"));
    fs::remove_file(root.join("pay/gateway.rs")).expect("rm");
    git(&root, &["add", "-A"], 0);
    git(&root, &["commit", "-q", "-m", "Move the payment code into crates/"], 1_700_000_000 + 3 * 86_400);
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest");
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let past = brain.packet_past_changes("retry the charge on gateway timeout", &[REPO.to_string()]);
    let retry = past.iter().find(|c| c.subject.starts_with("Retry the gateway")).expect("the retry commit");
    assert_eq!(retry.files, vec!["crates/pay/src/gateway.rs".to_string()], "{past:?}");
    let g = brain.snapshot();
    let req = brain_query::PacketRequest {
        intent: "retry the charge on gateway timeout".into(),
        scope: brain_query::Scope { repos: vec![REPO.into()], ..Default::default() },
        budget_tokens: 4000,
        ..Default::default()
    };
    let p = brain.context_packet(&g, None, &req);
    let first = p.files.first().expect("a file");
    assert_eq!(first.path, "crates/pay/src/gateway.rs", "{:?}", p.files);
    assert!(first.history_rank.is_some(), "{first:?}");
}

/// A packet ranks what changes with its best file though the task's words
/// never reach it: the doc that changed with the tokenizer in 3 of its 4
/// commits follows it, saying so; a file that changed alone does not.
#[test]
fn packet_files_bring_their_co_change_partners() {
    if !has_git() {
        return;
    }
    let work = tempfile::tempdir().expect("tempdir");
    let root = shop_repo(work.path());
    write(&root, "src/tokenizer.rs", "/// Reads unicode escapes in strings.\npub fn unicode_escape() {}\n");
    commit(&root, 1, "Initial import", &["README.md", "src/tokenizer.rs"]);
    commit(&root, 2, "Refactor", &["src/tokenizer.rs", "docs/SYNTAX.md"]);
    commit(&root, 3, "Tidy up", &["src/tokenizer.rs", "docs/SYNTAX.md"]);
    commit(&root, 4, "Polish", &["src/tokenizer.rs", "docs/SYNTAX.md"]);
    commit(&root, 5, "Bump", &["src/other.rs"]);
    commit(&root, 6, "Bump again", &["src/other.rs"]);
    let brain = open(&work.path().join("data"));
    brain.ingest_repo(&repo(REPO, &root), &NoProgress).expect("ingest");
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let g = brain.snapshot();
    let req = brain_query::PacketRequest {
        intent: "tokenizer mishandles unicode escapes".into(),
        scope: brain_query::Scope { repos: vec![REPO.into()], ..Default::default() },
        budget_tokens: 4000,
        ..Default::default()
    };
    let p = brain.context_packet(&g, None, &req);
    let paths: Vec<&str> = p.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.first(), Some(&"src/tokenizer.rs"), "{:?}", p.files);
    let doc = p.files.iter().find(|f| f.path == "docs/SYNTAX.md").unwrap_or_else(|| panic!("{:?}", p.files));
    assert!(doc.why.contains("changed with `src/tokenizer.rs` in 3 of its 4 commits"), "{}", doc.why);
    assert!(!paths.contains(&"src/other.rs"), "{paths:?}");
}
