//! The command line as a person uses it: help, errors they can act on, exit codes.

use std::path::Path;
use std::process::Command;

fn brain() -> Command {
    Command::new(env!("CARGO_BIN_EXE_brain"))
}

#[test]
fn help_lists_every_command() {
    let out = brain().arg("--help").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for c in [
        "ingest", "serve", "up", "search", "show", "stats", "impact", "packet", "lessons", "diff", "check", "mcp",
        "synth", "health", "history", "repair",
    ] {
        assert!(text.contains(c), "--help misses {c}:\n{text}");
    }
    for c in ["ingest", "serve", "search", "impact", "diff"] {
        let out = brain().args([c, "--help"]).output().expect("run");
        assert!(out.status.success(), "{c} --help");
    }
}

#[test]
fn errors_say_what_to_do_and_exit_non_zero() {
    let work = tempfile::tempdir().expect("tempdir");
    let out = brain().args(["search", "x", "--data-dir"]).arg(work.path()).output().expect("run");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("run `brain ingest` first"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = brain().args(["ingest"]).arg(work.path().join("nope.toml")).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    let cfg = work.path().join("brain.toml");
    std::fs::write(&cfg, "[[repos]]\nname = \"a\"\n").expect("write");
    let out = brain().arg("ingest").arg(&cfg).output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("brain.toml") && err.contains("path"), "{err}");
}

#[test]
fn spec_diff_gates_on_breaking_changes() {
    let work = tempfile::tempdir().expect("tempdir");
    let old = work.path().join("old.proto");
    let new = work.path().join("new.proto");
    std::fs::write(
        &old,
        "syntax = \"proto3\";\npackage acme.users.v1;\nmessage User {\n  string user_id = 1;\n  string email = 2;\n}\n",
    )
    .expect("write");
    std::fs::write(&new, "syntax = \"proto3\";\npackage acme.users.v1;\nmessage User {\n  string user_id = 1;\n}\n")
        .expect("write");
    let out = brain().arg("diff").arg(&old).arg(&new).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FIELD_NO_DELETE"), "{text}");
    let out = brain().arg("diff").arg(&old).arg(&old).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

/// `brain diff` exit codes: 0 no breaking change, 1 breaking, 2 could not compare (the error on
/// stderr, nothing on stdout); `--format json` (and its alias `--json`) print the changes as JSON;
/// `--spec-format` reads a schema that names no format.
#[test]
fn diff_exit_codes_formats_and_spec_format() {
    let work = tempfile::tempdir().expect("tempdir");
    let (old, new, bad) = (work.path().join("old.json"), work.path().join("new.json"), work.path().join("bad.json"));
    // JSON Schemas without `$schema` and without a `.schema.json` name.
    std::fs::write(&old, r#"{"type": "object", "properties": {"id": {"type": "string"}}}"#).expect("write");
    std::fs::write(&new, r#"{"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}"#)
        .expect("write");
    std::fs::write(&bad, "{ not json").expect("write");

    let out = brain().arg("diff").arg(&old).arg(&new).output().expect("run");
    assert_eq!(out.status.code(), Some(2), "an unknown format is an error, not a breaking change");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot tell the format") && err.contains("--spec-format"), "{err}");

    let out = brain().arg("diff").arg(&old).arg(&new).args(["--spec-format", "jsonschema"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("payload-property-type-changed"), "{text}");

    for flags in [&["--format", "json"][..], &["--json"][..]] {
        let out = brain()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["--spec-format", "jsonschema"])
            .args(flags)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        assert!(v.as_array().is_some_and(|a| a.iter().any(|c| c["rule"] == "payload-property-type-changed")), "{v}");
    }

    let out = brain().arg("diff").arg(&old).arg(&old).args(["--spec-format", "jsonschema"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));

    for args in [vec![old.clone(), bad.clone()], vec![old.clone(), work.path().join("missing.json")]] {
        let out = brain().arg("diff").args(&args).args(["--spec-format", "jsonschema"]).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
    }
    let help = brain().args(["diff", "--help"]).output().expect("run");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("Exit codes") && help.contains("2 the versions could not be compared"), "{help}");
}

/// `brain stats --disk` says how much disk the data dir takes against the
/// data it holds (issue 8: disk at most 3x the logical data).
#[test]
fn stats_reports_disk_use_against_the_data() {
    let work = tempfile::tempdir().expect("tempdir");
    let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/brain.toml");
    let data = work.path().join("data");
    let ingest =
        brain().arg("ingest").arg(&config).arg("--data-dir").arg(&data).arg("--quiet").output().expect("ingest");
    assert!(ingest.status.success(), "{}", String::from_utf8_lossy(&ingest.stderr));
    let out = brain().args(["stats", "--disk", "--data-dir"]).arg(&data).output().expect("stats");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let mb = |label: &str| -> f64 {
        let line =
            text.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("{label}: {text}"));
        line.split_whitespace().rev().find_map(|w| w.parse().ok()).unwrap_or(-1.0)
    };
    assert!(mb("data facts") > 0.0, "{text}");
    assert!(mb("data file contents") > 0.0, "{text}");
    assert!(mb("disk snapshot.bin") > 0.0, "the persisted snapshot is on disk: {text}");
    assert!(text.contains("x the data)"), "{text}");
}

#[test]
fn history_lists_similar_past_changes_of_an_ingested_checkout() {
    let git_ok = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !git_ok {
        eprintln!("note: git is not on PATH; skipped");
        return;
    }
    let work = tempfile::tempdir().expect("tempdir");
    let repo = work.path().join("shop");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .arg("-C")
            .arg(&repo)
            .args(["-c", "user.name=Ann Lee", "-c", "user.email=ann@example.com", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"]);
    for (i, msg) in ["Initial import", "Retry payments on gateway timeout", "Log the retry count"].iter().enumerate() {
        std::fs::write(repo.join("src/pay.py"), format!("def pay():\n    return {i}\n")).expect("write");
        std::fs::write(repo.join("src/retry.py"), format!("LIMIT = {i}\n")).expect("write");
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", msg]);
    }
    let data = work.path().join("data");
    let out = brain().args(["ingest", "-q", "--data-dir"]).arg(&data).arg(&repo).output().expect("ingest");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("history: 3 commits read afresh, 3 stored"), "{text}");
    let out = brain().args(["history", "payment gateway timeout", "--data-dir"]).arg(&data).output().expect("history");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("Retry payments on gateway timeout") && first.contains("Ann Lee"), "{text}");
    assert!(text.lines().nth(1).is_some_and(|l| l.contains("src/pay.py") && l.contains("src/retry.py")), "{text}");
    let out =
        brain().args(["history", "retry", "--json", "--repo", "shop", "--data-dir"]).arg(&data).output().expect("json");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // Both messages naming retries, then the first commit (its path src/retry.py, ranked lower).
    assert_eq!(rows.as_array().map(Vec::len), Some(3), "{rows}");
    assert_eq!(rows[2]["subject"], "Initial import", "{rows}");
    let out = brain().args(["stats", "--data-dir"]).arg(&data).output().expect("stats");
    assert!(String::from_utf8_lossy(&out.stdout).contains("history: 3 commits"));
}

/// After `brain ingest .` in a folder, the query commands run in that folder
/// find its brain without `--config` or `--data-dir`, and a packet lists the
/// files a task touches first.
#[test]
fn queries_after_ingest_dot_need_no_flags_and_packets_list_files() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path();
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(
        dir.join("src/payments.py"),
        "PAYMENT_TIMEOUT = 30\n\ndef retry_payment(order):\n    return order\n",
    )
    .expect("write");
    std::fs::write(dir.join("src/users.py"), "def rename_user(user):\n    return user\n").expect("write");
    let out = brain().args(["ingest", "-q", "."]).current_dir(dir).output().expect("ingest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = brain().args(["search", "retry payment"]).current_dir(dir).output().expect("search");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("retry_payment"));
    let out = brain()
        .args(["packet", "raise PAYMENT_TIMEOUT for slow gateways", "--json"])
        .current_dir(dir)
        .output()
        .expect("packet");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let p: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(p["files"][0]["path"], "src/payments.py", "{p}");
    assert!(p["markdown"].as_str().is_some_and(|m| m.contains("## Files")), "{p}");
}

/// `brain check --data-dir D` from anywhere checks what D holds, without a brain.toml at hand.
#[test]
fn check_runs_on_a_data_dir_alone() {
    let work = tempfile::tempdir().expect("tempdir");
    let repo = work.path().join("orders");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    std::fs::write(
        repo.join("src/client.ts"),
        "export async function get(id: string) {\n  return fetch(`http://users/users/${id}`);\n}\n",
    )
    .expect("write");
    let data = work.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let out =
        brain().args(["ingest", "-q", "orders", "--data-dir", data]).current_dir(work.path()).output().expect("ingest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = brain().args(["check", "--data-dir", data]).current_dir(elsewhere.path()).output().expect("check");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("GET /users/{}"), "{text}");
}

/// `brain impact` of an id or file the graph does not hold fails closed: exit 2 and what was
/// meant, never "Lane: Fast" with exit 0.
#[test]
fn impact_of_unknown_inputs_fails_closed() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path();
    std::fs::create_dir_all(dir.join("src")).expect("mkdir");
    std::fs::write(dir.join("src/payments.py"), "def retry_payment(order):\n    return order\n").expect("write");
    let out = brain().args(["ingest", "-q", "."]).current_dir(dir).output().expect("ingest");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = brain().args(["impact", "--file", "lib/payments.py"]).current_dir(dir).output().expect("impact");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lib/payments.py is not in the graph (did you mean") && err.contains(":src/payments.py"),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Lane: Fast"));
    let out = brain().args(["impact", "--file", "src/payments.py"]).current_dir(dir).output().expect("impact");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A file name carrying a terminal escape sequence and a newline is shown
/// escaped: it can neither recolour or retitle the terminal nor forge a line.
#[cfg(unix)]
#[test]
fn file_names_with_control_characters_reach_the_terminal_escaped() {
    let work = tempfile::tempdir().expect("tempdir");
    let repo = work.path().join("shop");
    std::fs::create_dir_all(&repo).expect("mkdir");
    let evil = "pay\u{1b}[2J\u{1b}]0;pwned\u{7}ment\nerror: forged.rs";
    std::fs::write(repo.join(evil), "fn checkout_total() {}\n").expect("write");
    let data = work.path().join("data");
    let out = brain().arg("--data-dir").arg(&data).args(["ingest", "--quiet"]).arg(&repo).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = brain().arg("--data-dir").arg(&data).args(["search", "forged"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("pay\\x1b[2J\\x1b]0;pwned\\x07ment\\nerror: forged.rs"), "{text}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    assert!(!text.lines().any(|l| l.starts_with("error: forged")), "no forged line: {text}");
    let id = text.lines().find_map(|l| l.split_whitespace().nth(2)).unwrap_or_default().to_string();
    assert!(id.starts_with("file:"), "{text}");
}

#[cfg(unix)]
#[test]
fn the_filesystem_root_is_no_repository() {
    let work = tempfile::tempdir().expect("tempdir");
    for target in ["/", "/etc"] {
        let out = brain().arg("--data-dir").arg(work.path()).args(["ingest", "--quiet", target]).output().expect("run");
        assert!(!out.status.success(), "{target}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a repository") || err.contains("filesystem root"), "{target}: {err}");
    }
}

/// A data dir whose parts disagree in a way only damage explains is refused with what is wrong
/// and how to recover, never served or rebuilt over; `brain repair` rebuilds from the store and
/// keeps the old index. A snapshot copied from another data dir is never served.
#[test]
fn damaged_or_foreign_data_dirs_are_refused_and_repaired() {
    let work = tempfile::tempdir().expect("tempdir");
    let repo = |name: &str, body: &str| {
        let dir = work.path().join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("lib.py"), body).expect("write");
        dir
    };
    let ingest = |src: &Path, data: &Path| {
        let out = brain().arg("--data-dir").arg(data).args(["ingest", "--quiet"]).arg(src).output().expect("ingest");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let stats = |data: &Path| brain().arg("--data-dir").arg(data).arg("stats").output().expect("stats");
    let shop = repo("shop", "def checkout_total(cart):\n    return cart\n");
    let blog = repo("blog", "def publish_post(post):\n    return post\n");
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    ingest(&shop, &a);
    ingest(&blog, &b);

    // A snapshot from another data dir at the same generation is not served as this one's.
    std::fs::copy(b.join("snapshot.bin"), a.join("snapshot.bin")).expect("copy snapshot");
    let out = stats(&a);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("repo shop") && !text.contains("repo blog"), "{text}");

    // An index from another store: refused.
    std::fs::remove_dir_all(a.join("index")).expect("rm index");
    copy_dir(&b.join("index"), &a.join("index"));
    let out = stats(&a);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("another store") && err.contains("brain repair"), "{err}");

    // The store lost its data (its files removed, an empty store in their place): refused too.
    let out = stats(&b);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in std::fs::read_dir(b.join("store")).expect("read store") {
        let p = f.expect("entry").path();
        if p.is_dir() {
            std::fs::remove_dir_all(&p).expect("rm");
        } else {
            std::fs::remove_file(&p).expect("rm");
        }
    }
    let out = stats(&b);
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lost data") && err.contains("brain repair"), "{err}");

    // Repair rebuilds from the store and keeps the old index beside it.
    let out = brain().arg("--data-dir").arg(&a).arg("repair").output().expect("repair");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_dir(&a).expect("ls").any(|e| e
        .expect("e")
        .file_name()
        .to_string_lossy()
        .starts_with("index.damaged-")));
    let out = stats(&a);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("repo shop"));
    let out = brain().arg("--data-dir").arg(&a).args(["search", "checkout_total"]).output().expect("search");
    assert!(String::from_utf8_lossy(&out.stdout).contains("checkout_total"), "the index answers again");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read") {
        let p = e.expect("entry").path();
        let dest = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}
