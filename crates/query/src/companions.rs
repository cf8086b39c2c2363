//! Files that change with a ranked file, found without the intent's words
//! (what only a brain knows): the files that historically change together
//! with it (`changed_with` edges from the repository's history, weighted by
//! their confidence) and its test twin (`src/foo.rs` and `tests/foo.rs`,
//! `foo.go` and `foo_test.go`, `foo.py` and `test_foo.py`, `Foo.java` and
//! `FooTest.java`, `foo.ts` and `foo.spec.ts`; see [`twin_stem`]).
//!
//! [`companions`] lends each of the best-ranked files' companions a share of
//! its fused score: a task that touches `parser.rs` most likely touches the
//! file that changed with it in 14 of its 20 commits, and its tests.
//!
//! Pure: the graph and the caller's ranking in, added scores out.

use crate::packet::NameIndex;
use brain_graph::Graph;
use brain_model::{EdgeKind, NodeId, NodeKind};
use std::collections::{BTreeMap, HashMap};

/// How companions are scored. Chosen on the tune half of the retrieval
/// corpus (`eval/retrieval/corpus.toml`) only; see BENCHMARKS.md.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompanionWeights {
    /// How many of the best-ranked files lend to their companions.
    pub anchors: usize,
    /// Share of an anchor's score a co-change partner gets, times the edge's confidence.
    pub changed_with: f32,
    /// Share of an anchor's score its test twin gets.
    pub twin: f32,
}

/// The weights the packet uses.
pub const COMPANIONS: CompanionWeights = CompanionWeights { anchors: 4, changed_with: 0.15, twin: 0.1 };

/// `(repo, path)` of a file.
pub type FileKey = (String, String);

/// One companion's share: the score it is lent and why, for people.
#[derive(Clone, Debug, PartialEq)]
pub struct Lent {
    pub score: f32,
    pub why: String,
}

/// The scores lent to companions of `anchors` (best first, each with its
/// fused score), at most one reason per companion (the largest share).
/// Test twins come from `names` when it indexes `graph`, else from a scan
/// of the anchors' repositories' files.
pub fn companions(
    graph: &Graph,
    names: Option<&NameIndex>,
    anchors: &[(FileKey, f32)],
    w: CompanionWeights,
) -> BTreeMap<FileKey, Lent> {
    let anchors = &anchors[..anchors.len().min(w.anchors)];
    let mut out: BTreeMap<FileKey, Lent> = BTreeMap::new();
    // The largest single share of each companion, whose reason it shows.
    let mut best: HashMap<FileKey, f32> = HashMap::new();
    let mut lend = |key: FileKey, score: f32, why: &dyn Fn() -> String| {
        if !(score.is_finite() && score > 0.0) {
            return;
        }
        let b = best.entry(key.clone()).or_insert(0.0);
        let e = out.entry(key).or_insert_with(|| Lent { score: 0.0, why: String::new() });
        if score > *b {
            *b = score;
            e.why = why();
        }
        e.score += score;
    };
    if w.changed_with > 0.0 {
        for ((repo, path), s) in anchors {
            for e in graph.outgoing(&NodeId::file(repo, path)) {
                if e.edge.kind != EdgeKind::ChangedWith || e.other.prov.repo.as_str() != repo.as_str() {
                    continue;
                }
                let conf = e.edge.prov.origin.confidence();
                let support = e.edge.attr(brain_model::attr::SUPPORT).unwrap_or("?");
                let commits = e.edge.attr(brain_model::attr::COMMITS).unwrap_or("?");
                lend((repo.clone(), e.other.prov.path.to_string()), w.changed_with * s * conf, &|| {
                    format!("changed with `{path}` in {support} of its {commits} commits")
                });
            }
        }
    }
    if w.twin > 0.0 {
        let twins = TwinLookup::new(graph, names, anchors);
        for ((repo, path), s) in anchors {
            for other in twins.of(repo, path) {
                lend((repo.clone(), other), w.twin * s, &|| format!("test twin of `{path}`"));
            }
        }
    }
    out
}

/// Files by twin stem, for the anchors' repositories.
struct TwinLookup<'g> {
    graph: &'g Graph,
    index: Option<&'g NameIndex>,
    /// Scanned files (no usable index): stem -> (repo, path, is test).
    scanned: HashMap<String, Vec<(String, String, bool)>>,
}

impl<'g> TwinLookup<'g> {
    fn new(graph: &'g Graph, names: Option<&'g NameIndex>, anchors: &[(FileKey, f32)]) -> Self {
        let index = names.filter(|ix| ix.is_for(graph));
        let mut scanned: HashMap<String, Vec<(String, String, bool)>> = HashMap::new();
        let wanted: std::collections::BTreeSet<&str> = anchors.iter().map(|((r, _), _)| r.as_str()).collect();
        let mut add = |n: &brain_model::Node| {
            if n.kind == NodeKind::File && wanted.contains(n.prov.repo.as_str()) {
                if let Some((stem, test)) = twin_stem(&n.prov.path) {
                    scanned.entry(stem).or_default().push((n.prov.repo.to_string(), n.prov.path.to_string(), test));
                }
            }
        };
        match index {
            // The index covers the frozen base; files a patch added are scanned.
            Some(_) => graph.delta_nodes().for_each(|(_, n)| add(n)),
            None => graph.nodes_of_kind(NodeKind::File).for_each(add),
        }
        TwinLookup { graph, index, scanned }
    }

    /// The held text files in `repo` that are `path`'s test twins (a test's
    /// subject, a subject's tests).
    fn of(&self, repo: &str, path: &str) -> Vec<String> {
        let Some((stem, test)) = twin_stem(path) else { return Vec::new() };
        let mut out: Vec<String> = Vec::new();
        if let Some(ix) = self.index {
            for &i in ix.files_by_twin_stem(&stem) {
                if self.graph.changed_in_delta(i) {
                    continue;
                }
                let n = self.graph.node_at(i);
                if n.prov.repo.as_str() == repo && twin_stem(&n.prov.path).is_some_and(|(_, t)| t != test) {
                    out.push(n.prov.path.to_string());
                }
            }
        }
        for (r, p, t) in self.scanned.get(&stem).into_iter().flatten() {
            if r == repo && *t != test && !out.contains(p) {
                out.push(p.clone());
            }
        }
        out.sort();
        out
    }
}

/// File stems too generic to pair a test with its subject (`mod.rs`,
/// `index.ts`, `__init__.py`, `main.go`...).
const GENERIC_STEMS: &[&str] =
    &["mod", "lib", "index", "init", "main", "utils", "util", "helpers", "helper", "common", "types", "conftest"];

/// The key a file shares with its test twin, and whether it is the test:
/// the file name without extensions and test markers (`test_` prefix,
/// `_test`, `_tests`, `Test`, `Tests`, `.test`, `.spec`, `_spec` suffixes),
/// lowercased, with its extension family appended so a Go file never pairs
/// with a Python test. `None` for names too short or too generic to pair.
pub fn twin_stem(path: &str) -> Option<(String, bool)> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (base, ext) = name.split_once('.')?;
    let ext = ext.rsplit('.').next().unwrap_or(ext);
    let family = match ext {
        "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs" | "mts" | "cts" => "js",
        "rs" | "go" | "py" | "java" | "kt" | "cs" | "rb" | "php" | "swift" | "scala" | "c" | "cc" | "cpp" | "h" => ext,
        _ => return None,
    };
    let mut marked = false;
    // `.test` / `.spec` between the base and the extension.
    let inner = name.strip_suffix(&format!(".{ext}")).unwrap_or(name);
    if let Some(b) = inner.strip_suffix(".test").or_else(|| inner.strip_suffix(".spec")) {
        marked = true;
        return finish(b, family, marked, path);
    }
    let mut b = base;
    if let Some(rest) = b.strip_prefix("test_") {
        b = rest;
        marked = true;
    }
    for suffix in ["_tests", "_test", "_spec", "Tests", "Test"] {
        if let Some(rest) = b.strip_suffix(suffix) {
            if !rest.is_empty() {
                b = rest;
                marked = true;
                break;
            }
        }
    }
    finish(b, family, marked, path)
}

fn finish(base: &str, family: &str, marked: bool, path: &str) -> Option<(String, bool)> {
    let stem: String = base.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    if stem.chars().count() < 3 || GENERIC_STEMS.contains(&stem.as_str()) {
        return None;
    }
    let in_test_dir = path
        .split('/')
        .rev()
        .skip(1)
        .any(|s| matches!(s, "tests" | "test" | "__tests__" | "spec" | "specs") || s.ends_with(".Tests"));
    Some((format!("{stem}.{family}"), marked || in_test_dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_and_its_subject_share_a_stem() {
        let pairs = [
            ("crates/core/src/search.rs", "crates/core/tests/search.rs"),
            ("internal/server/server.go", "internal/server/server_test.go"),
            ("poetry/installer.py", "tests/test_installer.py"),
            ("src/main/java/okhttp3/Cache.java", "src/test/java/okhttp3/CacheTest.java"),
            ("src/schema.ts", "src/__tests__/schema.test.ts"),
            ("lib/parse.js", "lib/parse.spec.ts"),
            ("Src/Newtonsoft.Json/JsonConvert.cs", "Src/Newtonsoft.Json.Tests/JsonConvertTests.cs"),
        ];
        for (code, test) in pairs {
            let (a, a_test) = twin_stem(code).unwrap_or_else(|| panic!("{code}"));
            let (b, b_test) = twin_stem(test).unwrap_or_else(|| panic!("{test}"));
            assert_eq!(a, b, "{code} / {test}");
            assert!(!a_test, "{code}");
            assert!(b_test, "{test}");
        }
    }

    #[test]
    fn generic_short_and_unknown_names_pair_with_nothing() {
        for p in ["src/lib.rs", "src/mod.rs", "pkg/__init__.py", "src/index.ts", "a/io.go", "README.md", "Makefile"] {
            assert_eq!(twin_stem(p), None, "{p}");
        }
        assert_ne!(twin_stem("parse.go").map(|s| s.0), twin_stem("test_parse.py").map(|s| s.0));
    }
}
