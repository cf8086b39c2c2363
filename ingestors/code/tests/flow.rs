//! The flow analysis on annotated fixtures: `tests/flow/<lang>/*` files whose
//! comments state the facts expected on their line.
//!
//! A comment `expect: <fragment>` on line N asserts that some fact of the
//! file's listing (the same rendering as the snapshots) sits on line N and
//! contains `<fragment>`; `expect-not: <fragment>` asserts that none does.
//! Several expectations on one line are separated by ` ;; `. The comment may
//! use any of the language's line-comment markers (`//`, `#`, `--`).

use brain_ingest_code::{render::render, CodeIngestor};
use brain_model::{Ingestor, SourceFile};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Whether a listing line is about source line `n` (`[L12]` or `[L12-20]`).
fn on_line(fact: &str, n: usize) -> bool {
    fact.contains(&format!("[L{n}]")) || fact.contains(&format!("[L{n}-"))
}

fn check_lang(lang: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/flow").join(lang);
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(!all.is_empty(), "no flow fixtures for {lang}");
    let mut failures = Vec::new();
    let mut checked = 0;
    for f in all {
        let rel = f.strip_prefix(&root).expect("prefix").to_string_lossy().replace('\\', "/");
        if !CodeIngestor.accepts(&rel) {
            continue;
        }
        let content = std::fs::read_to_string(&f).expect("fixture");
        let repo = format!("acme/{lang}");
        let facts = CodeIngestor.ingest(&SourceFile { repo: &repo, path: &rel, content: &content });
        let listing = render(&facts, &repo, &rel);
        for (i, line) in content.lines().enumerate() {
            let n = i + 1;
            for (marker, want) in [("expect-not:", false), ("expect:", true)] {
                let Some(pos) = line.find(marker) else { continue };
                for frag in line[pos + marker.len()..].split(" ;; ") {
                    let frag = frag.trim().trim_end_matches("*/").trim();
                    if frag.is_empty() {
                        continue;
                    }
                    checked += 1;
                    let present = listing.lines().any(|l| on_line(l, n) && l.contains(frag));
                    if present != want {
                        failures.push(format!("{rel}:{n}: {} `{frag}`", if want { "missing" } else { "unexpected" }));
                    }
                }
                break;
            }
        }
        if !failures.is_empty() && std::env::var_os("FLOW_LISTING").is_some() {
            eprintln!("--- {rel}\n{listing}");
        }
    }
    assert!(checked > 0, "no expectations in the {lang} flow fixtures");
    assert!(
        failures.is_empty(),
        "{lang}: {} of {checked} expectations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn go() {
    check_lang("go");
}

#[test]
fn java() {
    check_lang("java");
}

#[test]
fn csharp() {
    check_lang("csharp");
}

#[test]
fn rust() {
    check_lang("rust");
}

#[test]
fn kotlin() {
    check_lang("kotlin");
}

#[test]
fn typescript() {
    check_lang("typescript");
}

#[test]
fn javascript() {
    check_lang("javascript");
}

#[test]
fn python() {
    check_lang("python");
}

/// Very deep syntax (a generated chain of thousands of `+`) is lowered to a bounded depth.
#[test]
fn deep_expressions_do_not_overflow() {
    let chain = vec!["x.a"; 3_000].join(" +\n    ");
    for (path, src) in [
        ("deep.js", format!("function f(x) {{ return {chain}; }}\n")),
        ("deep.py", format!("def f(x):\n    return ({chain})\n")),
    ] {
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || CodeIngestor.ingest(&SourceFile { repo: "r", path, content: &src }).nodes.len())
            .expect("thread");
        assert!(handle.join().is_ok(), "{path}");
    }
}

#[test]
fn php() {
    check_lang("php");
}

#[test]
fn ruby() {
    check_lang("ruby");
}

#[test]
fn cpp() {
    check_lang("cpp");
}
