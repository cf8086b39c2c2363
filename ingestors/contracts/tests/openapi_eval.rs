//! Spec-diff figures on pairs labelled from oasdiff's own checker tests
//! (`eval/specdiff/openapi.tsv`, see its README). Ignored; run on purpose:
//! `BRAIN_OASDIFF=/path/to/oasdiff cargo test -p brain-ingest-contracts --test openapi_eval -- --ignored --nocapture`
//!
//! Prints per half the rule recall and the verdict precision and recall; the
//! tune half also lists each pair with a missed id or a wrong verdict.
//! Verdict recall counts every pair labelled breaking; verdict precision only
//! the pairs whose oasdiff test ran every check (`checks run` = `all`): a test
//! of one check says nothing of what the others find in the same pair.

use brain_ingest_contracts::diff::Level;
use brain_ingest_contracts::diff_openapi;
use std::collections::BTreeSet;
use std::path::PathBuf;

struct Pair {
    split: String,
    test: String,
    base: String,
    revision: String,
    expect: BTreeSet<String>,
    breaking: bool,
    /// The oasdiff test ran every check, so a `clean` verdict is the whole tool's.
    complete: bool,
}

fn pairs() -> Vec<Pair> {
    let p = format!("{}/../../eval/specdiff/openapi.tsv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 7, "{l}");
            Pair {
                split: f[0].to_string(),
                test: f[1].to_string(),
                base: f[2].to_string(),
                revision: f[3].to_string(),
                expect: f[5].split(',').filter(|s| *s != "-").map(str::to_string).collect(),
                breaking: f[6] == "breaking",
                complete: f[7] == "all",
            }
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    pairs: usize,
    expected: usize,
    found: usize,
    tp: usize,
    fp: usize,
    fn_: usize,
    tp_complete: usize,
    errors: usize,
}

fn ratio(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.2} ({a}/{b})", a as f64 / b as f64)
    }
}

#[test]
#[ignore]
fn openapi_eval() {
    let Ok(root) = std::env::var("BRAIN_OASDIFF") else {
        eprintln!("BRAIN_OASDIFF not set");
        return;
    };
    let root = PathBuf::from(root);
    for split in ["tune", "heldout"] {
        let mut t = Tally::default();
        for p in pairs().iter().filter(|p| p.split == split) {
            t.pairs += 1;
            let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let (o, n) = (read(&p.base), read(&p.revision));
            let changes = match diff_openapi(&o, &n, &p.base, &p.revision) {
                Ok(c) => c,
                Err(e) => {
                    t.errors += 1;
                    if split == "tune" {
                        println!("ERROR {}: {e}", p.test);
                    }
                    continue;
                }
            };
            let got: BTreeSet<String> = changes.iter().map(|c| c.rule.clone()).collect();
            let found: BTreeSet<&String> = p.expect.iter().filter(|r| got.contains(*r)).collect();
            t.expected += p.expect.len();
            t.found += found.len();
            let brain_breaking = changes.iter().any(|c| c.level == Level::Breaking);
            // Recall over every breaking label (an asserted ERR id is the whole tool's verdict too);
            // precision only where the test ran every check.
            match (brain_breaking, p.breaking) {
                (true, true) => {
                    t.tp += 1;
                    t.tp_complete += usize::from(p.complete);
                }
                (true, false) if p.complete => t.fp += 1,
                (false, true) => t.fn_ += 1,
                _ => {}
            }
            if split == "tune" && (found.len() < p.expect.len() || brain_breaking != p.breaking) {
                let missed: Vec<&String> = p.expect.iter().filter(|r| !got.contains(*r)).collect();
                let breaking: Vec<&String> =
                    changes.iter().filter(|c| c.level == Level::Breaking).map(|c| &c.rule).collect();
                println!(
                    "{} [{} vs {}] missed {missed:?} breaking {breaking:?} got {got:?}",
                    p.test, p.base, p.revision
                );
            }
        }
        println!(
            "SUMMARY {split}: pairs {} rule recall {} verdict precision {} verdict recall {} errors {}",
            t.pairs,
            ratio(t.found, t.expected),
            ratio(t.tp_complete, t.tp_complete + t.fp),
            ratio(t.tp, t.tp + t.fn_),
            t.errors
        );
    }
}
