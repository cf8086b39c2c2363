//! The official yaml-test-suite (github.com/yaml/yaml-test-suite, `data`
//! branch) run through the shared YAML reader. Slow corpus test, ignored by
//! default:
//!
//! ```text
//! git clone -b data https://github.com/yaml/yaml-test-suite /tmp/yts-data
//! YAML_TEST_SUITE=/tmp/yts-data cargo test -p brain-ingest-contracts --test yaml_test_suite -- --ignored --nocapture
//! ```
//!
//! Each case is a folder with `in.yaml`; an `error` file marks a case every
//! conforming parser must reject. A valid case counts as accepted when every
//! document of the stream parses; an error case counts as rejected when the
//! reader reports an error for some document.

use brain_ingest_contracts::schema::tree::parse_yaml;
use brain_ingest_contracts::yaml::parse_documents;
use std::path::{Path, PathBuf};

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() && !p.ends_with(".git") && !p.ends_with("name") && !p.ends_with("tags") {
            if p.join("in.yaml").is_file() {
                out.push(p.clone());
            }
            cases(&p, out);
        }
    }
}

#[derive(Default)]
struct Tally {
    valid: usize,
    accepted: usize,
    invalid: usize,
    rejected: usize,
    not_accepted: Vec<String>,
    not_rejected: Vec<String>,
}

impl Tally {
    fn add(&mut self, id: &str, is_error: bool, ok: bool) {
        if is_error {
            self.invalid += 1;
            self.rejected += usize::from(!ok);
            if ok {
                self.not_rejected.push(id.to_string());
            }
        } else {
            self.valid += 1;
            self.accepted += usize::from(ok);
            if !ok {
                self.not_accepted.push(id.to_string());
            }
        }
    }

    fn rate(&self) -> f64 {
        self.accepted as f64 / self.valid.max(1) as f64
    }

    fn report(&self, name: &str) {
        println!(
            "{name}: valid cases accepted {}/{} ({:.1}%), invalid cases rejected {}/{} ({:.1}%)",
            self.accepted,
            self.valid,
            100.0 * self.rate(),
            self.rejected,
            self.invalid,
            100.0 * self.rejected as f64 / self.invalid.max(1) as f64
        );
        println!("{name}: valid cases not accepted: {}", self.not_accepted.join(" "));
        println!("{name}: invalid cases accepted: {}", self.not_rejected.join(" "));
    }
}

#[test]
#[ignore = "slow corpus test: set YAML_TEST_SUITE to a checkout of yaml-test-suite's data branch"]
fn yaml_test_suite_pass_rate() {
    let Some(root) = std::env::var_os("YAML_TEST_SUITE") else {
        panic!("set YAML_TEST_SUITE to a checkout of the yaml-test-suite data branch");
    };
    let root = PathBuf::from(root);
    let mut dirs = Vec::new();
    cases(&root, &mut dirs);
    assert!(dirs.len() > 300, "{} cases under {}: not a yaml-test-suite data checkout?", dirs.len(), root.display());
    let (mut shared, mut schema) = (Tally::default(), Tally::default());
    for dir in &dirs {
        let id = dir.strip_prefix(&root).unwrap_or(dir).display().to_string();
        let Ok(text) = std::fs::read_to_string(dir.join("in.yaml")) else { continue };
        let is_error = dir.join("error").is_file();
        let ok = std::panic::catch_unwind(|| parse_documents(&text).iter().all(|d| d.root.is_ok())).unwrap_or(false);
        shared.add(&id, is_error, ok);
        // The schema reader reads the first document of a stream; an empty stream is "empty document".
        let first_ok = std::panic::catch_unwind(|| match parse_yaml(&text) {
            Ok(_) => true,
            Err(e) => e.message == "empty document",
        })
        .unwrap_or(false);
        schema.add(&id, is_error, first_ok);
    }
    shared.report("shared reader (yaml::parse_documents)");
    schema.report("schema reader (schema::tree::parse_yaml)");
    assert!(shared.rate() >= 0.95, "shared reader accepts {:.1}% of valid cases", 100.0 * shared.rate());
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if p.is_symlink() || name == ".git" || name == "node_modules" || name == "vendor" {
            continue;
        }
        if p.is_dir() {
            yaml_files(&p, out);
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(p);
        }
    }
}

/// Every `.yaml`/`.yml` file under `YAML_CORPUS` (checkouts of real
/// repositories) through the shared reader; prints each file it rejects with
/// the line, and the count. Templates (`{{ }}` Helm/Jinja files) are counted
/// apart: they are not YAML until rendered.
#[test]
#[ignore = "slow corpus test: set YAML_CORPUS to a folder of real checkouts"]
fn real_yaml_files() {
    let Some(root) = std::env::var_os("YAML_CORPUS") else {
        panic!("set YAML_CORPUS to a folder of checkouts");
    };
    let mut files = Vec::new();
    yaml_files(Path::new(&root), &mut files);
    files.sort();
    let (mut read, mut templates, mut rejected) = (0usize, 0usize, Vec::new());
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        if text.contains("{{") || text.contains("{%") {
            templates += 1;
            continue;
        }
        read += 1;
        if let Some(e) = parse_documents(&text).into_iter().find_map(|d| d.root.err()) {
            rejected.push(format!("{}:{}: {}", f.display(), e.line, e.message));
        }
    }
    for r in &rejected {
        println!("rejected {r}");
    }
    println!("{} of {read} YAML files rejected ({templates} template files not read)", rejected.len());
}
