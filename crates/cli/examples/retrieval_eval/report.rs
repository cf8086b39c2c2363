//! Recall per commit, sums per repository and per half, the printed tables
//! and the JSON lines.
//!
//! Recall@k = |targets ∩ top-k files| / |targets|, averaged over commits
//! (each commit weighs the same). "All" targets are the changed files the
//! brain holds as text; "code" targets are those of them that are source
//! files ([`is_code`]), and a commit with none is left out of the code mean.
//! The ranked lists are the same for both: code recall asks how many of the
//! changed source files an agent finds in the list it is given.

use anyhow::Result;
use brain_query as q;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::time::Duration;

use crate::corpus::Split;

/// Cut-offs at which recall is reported.
pub const KS: [usize; 3] = [5, 10, 20];
/// Rankings in report order.
pub const ORDER: [&str; 4] = ["packet", "lexical", "bm25", "cochange"];

/// Extensions of source files (code-only recall). Docs, changelogs, lockfiles,
/// data and configuration (JSON, YAML, TOML, XML, `.csproj`, `.gradle`...) are not code.
const CODE_EXTENSIONS: &[&str] = &[
    "rs", "go", "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "vue", "svelte", "py", "pyi", "java", "kt",
    "kts", "scala", "groovy", "cs", "fs", "vb", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "swift", "rb",
    "php", "lua", "dart", "ex", "exs", "erl", "hs", "ml", "clj", "sh", "bash", "ps1", "sql", "proto", "graphql", "gql",
    "thrift",
];

/// Whether `path` is a source file: a code extension, and not a changelog.
pub fn is_code(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    !stem.is_empty()
        && CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        && !stem.to_lowercase().contains("changelog")
}

/// One ranking's answer for one commit.
pub struct Ranked {
    pub name: &'static str,
    pub files: Vec<String>,
    pub time: Duration,
}

/// What one evaluated commit scored.
pub struct Outcome {
    pub sha: String,
    pub subject: String,
    pub targets: Vec<String>,
    pub status: q::PacketStatus,
    /// Moving the checkout and ingesting the parent tree.
    pub ingest: Duration,
    pub rankings: Vec<Ranked>,
    /// Scored lists of the packet's inputs (lexical, graph, history), for
    /// tuning their fusion offline; empty unless asked for.
    pub signals: Vec<(&'static str, Vec<(String, f32)>)>,
}

impl Outcome {
    /// The targets that are source files.
    pub fn code_targets(&self) -> Vec<String> {
        self.targets.iter().filter(|t| is_code(t)).cloned().collect()
    }

    /// Recall of `ranked` at each of [`KS`] on all targets and on code targets (`None`: no code target).
    pub fn recall(&self, ranked: &[String]) -> ([f64; 3], Option<[f64; 3]>) {
        let code = self.code_targets();
        (recall(&self.targets, ranked), (!code.is_empty()).then(|| recall(&code, ranked)))
    }

    /// The list of the ranking called `name`.
    pub fn list(&self, name: &str) -> Option<&[String]> {
        self.rankings.iter().find(|r| r.name == name).map(|r| r.files.as_slice())
    }
}

/// Recall at each of [`KS`].
pub fn recall(targets: &[String], ranked: &[String]) -> [f64; 3] {
    let mut r = [0.0; 3];
    for (slot, k) in r.iter_mut().zip(KS) {
        let top: BTreeSet<&String> = ranked.iter().take(k).collect();
        let found = targets.iter().filter(|t| top.contains(t)).count();
        *slot = found as f64 / targets.len().max(1) as f64;
    }
    r
}

/// Recall sums of one ranking.
#[derive(Clone, Default)]
pub struct Sums {
    pub all: [f64; 3],
    pub code_commits: usize,
    pub code: [f64; 3],
    pub time: Duration,
}

/// Sums over commits, for means.
#[derive(Clone, Default)]
pub struct Tally {
    pub commits: usize,
    /// Selected commits dropped because no changed file is text to the brain.
    pub dropped: usize,
    pub weak: usize,
    pub no_match: usize,
    /// The first, full ingest.
    pub first_ingest: Duration,
    /// Later moves and ingests.
    pub ingest: Duration,
    pub wall: Duration,
    pub rankings: BTreeMap<&'static str, Sums>,
}

impl Tally {
    /// Counts one commit.
    pub fn add(&mut self, o: &Outcome) {
        self.commits += 1;
        match o.status {
            q::PacketStatus::Weak => self.weak += 1,
            q::PacketStatus::NoMatch => self.no_match += 1,
            q::PacketStatus::Ok => {}
        }
        self.ingest += o.ingest;
        for r in &o.rankings {
            let (all, code) = o.recall(&r.files);
            let s = self.rankings.entry(r.name).or_default();
            add3(&mut s.all, &all);
            if let Some(code) = code {
                s.code_commits += 1;
                add3(&mut s.code, &code);
            }
            s.time += r.time;
        }
    }

    /// Adds another tally (a repository into its half).
    pub fn merge(&mut self, other: &Tally) {
        self.commits += other.commits;
        self.dropped += other.dropped;
        self.weak += other.weak;
        self.no_match += other.no_match;
        self.first_ingest += other.first_ingest;
        self.ingest += other.ingest;
        self.wall += other.wall;
        for (name, o) in &other.rankings {
            let s = self.rankings.entry(name).or_default();
            add3(&mut s.all, &o.all);
            add3(&mut s.code, &o.code);
            s.code_commits += o.code_commits;
            s.time += o.time;
        }
    }

    /// Markdown rows: one per ranking, recall on all and on code targets.
    pub fn rows(&self, label: &str) -> Vec<String> {
        let mut out = Vec::new();
        for name in ORDER {
            let Some(s) = self.rankings.get(name) else { continue };
            let code_commits = s.code_commits;
            let first =
                if out.is_empty() { format!("{label} ({} / {code_commits})", self.commits) } else { String::new() };
            out.push(format!(
                "| {first} | {name} | {} | {} |",
                means(&s.all, self.commits),
                means(&s.code, code_commits)
            ));
        }
        out
    }

    /// One line of timings and statuses.
    pub fn timing(&self) -> String {
        let n = self.commits.max(1) as f64;
        let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n;
        let per: Vec<String> =
            ORDER.iter().filter_map(|k| self.rankings.get(k).map(|s| format!("{k} {:.0} ms", ms(s.time)))).collect();
        format!(
            "{} commits, {} dropped, packet {} weak / {} no_match; first ingest {:.1} s, then per commit: ingest {:.0} ms, {}; wall {:.0} s",
            self.commits,
            self.dropped,
            self.weak,
            self.no_match,
            self.first_ingest.as_secs_f64(),
            ms(self.ingest),
            per.join(", "),
            self.wall.as_secs_f64()
        )
    }
}

fn add3(acc: &mut [f64; 3], v: &[f64; 3]) {
    for (a, b) in acc.iter_mut().zip(v) {
        *a += b;
    }
}

/// `| 0.512 | 0.634 | 0.701` style cells of sums divided by `n`.
fn means(sums: &[f64; 3], n: usize) -> String {
    sums.iter().map(|x| format!("{:.3}", x / n.max(1) as f64)).collect::<Vec<_>>().join(" | ")
}

/// Every repository's tally and the halves' totals.
pub struct Report {
    pub show_heldout: bool,
    pub repos: Vec<(String, String, Split, Tally)>,
}

impl Report {
    /// Prints the table: per repository (held-out ones only with `show_heldout`), then per half.
    pub fn print(&self) {
        println!();
        println!(
            "| repository (commits / with code) | ranking | R@5 | R@10 | R@20 | code R@5 | code R@10 | code R@20 |"
        );
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (name, lang, split, t) in &self.repos {
            if *split != Split::Heldout || self.show_heldout {
                for row in t.rows(&format!("{name} ({lang}, {})", split.as_str())) {
                    println!("{row}");
                }
            }
        }
        let mut halves: BTreeMap<Split, Tally> = BTreeMap::new();
        let mut all = Tally::default();
        for (_, _, split, t) in &self.repos {
            halves.entry(*split).or_default().merge(t);
            all.merge(t);
        }
        for (split, t) in &halves {
            let repos = self.repos.iter().filter(|r| r.2 == *split).count();
            for row in t.rows(&format!("**{} total, {repos} repos**", split.as_str())) {
                println!("{row}");
            }
        }
        if halves.len() > 1 {
            for row in all.rows("**all**") {
                println!("{row}");
            }
        }
        println!();
        for (name, _, split, t) in &self.repos {
            if *split != Split::Heldout || self.show_heldout {
                println!("{name}: {}", t.timing());
            }
        }
        for (split, t) in &halves {
            println!("{} total: {}", split.as_str(), t.timing());
        }
    }
}

/// Prints a commit where the packet or BM25 misses a changed file in its top 10.
pub fn print_miss(repo: &str, o: &Outcome) {
    let mark = |list: &[String]| -> String {
        list.iter()
            .take(10)
            .map(|p| if o.targets.contains(p) { format!("*{p}") } else { p.clone() })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let packet = o.list("packet").unwrap_or_default();
    let bm25 = o.list("bm25").unwrap_or_default();
    let (p, _) = o.recall(packet);
    let (b, _) = o.recall(bm25);
    if p[1] >= 1.0 && b[1] >= 1.0 {
        return;
    }
    println!("-- {repo} {} {}", &o.sha[..o.sha.len().min(10)], o.subject);
    println!("   changed: {}", o.targets.join(" "));
    println!("   packet  r@10 {:.2} ({:?}): {}", p[1], o.status, mark(packet));
    println!("   bm25    r@10 {:.2}: {}", b[1], mark(bm25));
}

/// One JSON line per commit, with the top-20 list of every ranking.
pub fn write_line(w: &mut dyn Write, repo: &str, lang: &str, split: Split, o: &Outcome) -> Result<()> {
    let mut ranked = serde_json::Map::new();
    let mut recalls = serde_json::Map::new();
    let mut ms = serde_json::Map::new();
    ms.insert("ingest".into(), json!(o.ingest.as_secs_f64() * 1000.0));
    for r in &o.rankings {
        let (all, code) = o.recall(&r.files);
        ranked.insert(r.name.into(), json!(r.files.iter().take(20).collect::<Vec<_>>()));
        recalls.insert(r.name.into(), json!({ "all": all, "code": code }));
        ms.insert(r.name.into(), json!(r.time.as_secs_f64() * 1000.0));
    }
    let signals: serde_json::Map<String, serde_json::Value> =
        o.signals.iter().map(|(name, list)| (name.to_string(), json!(list))).collect();
    let line = json!({
        "signals": signals,
        "repo": repo,
        "language": lang,
        "split": split.as_str(),
        "sha": o.sha,
        "subject": o.subject,
        "targets": o.targets,
        "code_targets": o.code_targets(),
        "status": format!("{:?}", o.status),
        "ranked": ranked,
        "recall": recalls,
        "ms": ms,
    });
    writeln!(w, "{line}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_files_are_source_files_only() {
        for p in ["src/lib.rs", "a/b.tsx", "x.py", "Foo.cs", "api.proto"] {
            assert!(is_code(p), "{p}");
        }
        for p in ["README.md", "Cargo.lock", "package.json", "CHANGELOG.md", "changelog.rs", ".rs", "Makefile"] {
            assert!(!is_code(p), "{p}");
        }
    }

    #[test]
    fn recall_counts_targets_in_the_top_k() {
        let targets = vec!["a".to_string(), "b".to_string()];
        let mut ranked: Vec<String> = (0..30).map(|i| format!("x{i}")).collect();
        ranked.insert(2, "a".into());
        ranked.insert(12, "b".into());
        assert_eq!(recall(&targets, &ranked), [0.5, 0.5, 1.0]);
        assert_eq!(recall(&targets, &[]), [0.0, 0.0, 0.0]);
    }
}
