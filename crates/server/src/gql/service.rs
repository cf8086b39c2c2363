//! Glue between resolvers and the engine: policy from config, span text
//! from the store, the name index cache, git ranges, the clock.

use super::Ctx;
use brain_ingest::Brain;
use brain_model::NodeKind;
use brain_query as q;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Span text from the store's copy of each file.
/// One name index per frozen snapshot base ([`brain_graph::Graph::base_id`]):
/// patched snapshots (a saved file, a lesson) share their base's index and
/// the packet scans their small delta on top, so the index is rebuilt only
/// after a full build. A request never waits for one to be built: the first
/// context packet on a new base starts the build on a blocking thread (one
/// build at a time) and scans the graph meanwhile, which gives the same
/// answer more slowly. Holding a lock across the build stalled every packet,
/// and with them the runtime's worker threads, after each ingest.
#[derive(Default)]
pub struct NameIndexCache(Arc<Mutex<NameSlot>>);

#[derive(Default)]
struct NameSlot {
    ready: Option<Arc<q::NameIndex>>,
    /// Base ids only grow, so an older base's request never replaces a newer index.
    ready_base: u64,
    building: bool,
}

impl NameIndexCache {
    /// The index for `graph` if it is built; otherwise `None` (and a build starts).
    pub fn get(&self, graph: &Arc<brain_graph::Graph>) -> Option<Arc<q::NameIndex>> {
        let generation = graph.base_id();
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(idx) = slot.ready.as_ref().filter(|_| slot.ready_base == generation) {
            return Some(idx.clone());
        }
        if slot.building || slot.ready.is_some() && slot.ready_base > generation {
            return None;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Outside a runtime (embedding, tests): build in place.
            let idx = Arc::new(q::NameIndex::build(graph));
            slot.ready = Some(idx.clone());
            slot.ready_base = generation;
            return Some(idx);
        };
        slot.building = true;
        drop(slot);
        let cell = self.0.clone();
        let graph = graph.clone();
        runtime.spawn_blocking(move || {
            // Clears `building` even if the build panics, so a later packet retries.
            struct Done(Arc<Mutex<NameSlot>>, Option<Arc<q::NameIndex>>, u64);
            impl Drop for Done {
                fn drop(&mut self) {
                    let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
                    slot.building = false;
                    if let Some(idx) = self.1.take() {
                        if slot.ready.is_none() || slot.ready_base <= self.2 {
                            slot.ready = Some(idx);
                            slot.ready_base = self.2;
                        }
                    }
                }
            }
            let mut done = Done(cell, None, generation);
            done.1 = Some(Arc::new(q::NameIndex::build(&graph)));
        });
        None
    }
}

/// `git rev-parse HEAD` per checkout, remembered for a second: answers show
/// whether a checkout moved past its indexed commit, and spawning git for
/// every repo of every answer cost more than the answer under load.
#[derive(Default)]
pub struct HeadCache(Mutex<HashMap<String, (Instant, Option<String>)>>);

const HEAD_TTL: Duration = Duration::from_secs(1);

impl HeadCache {
    pub fn head(&self, root: &str) -> Option<String> {
        {
            let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((at, head)) = cache.get(root) {
                if at.elapsed() < HEAD_TTL {
                    return head.clone();
                }
            }
        }
        let head = brain_ingest::git_head(std::path::Path::new(root));
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(root.to_string(), (Instant::now(), head.clone()));
        head
    }
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// `git diff RANGE` in a configured repo's checkout.
pub fn git_diff(ctx: &Ctx, repo: &str, range: &str) -> Result<String, String> {
    let root = ctx
        .repos
        .iter()
        .find(|r| r.name == repo)
        .map(|r| r.path.clone())
        .or_else(|| ctx.brain.snapshot().repo(repo).map(|r| std::path::PathBuf::from(&r.root)))
        .ok_or_else(|| format!("no ingested repository named '{repo}'"))?;
    git_diff_at(&root, range)
}

/// Refuses anything that is not plainly a git revision or range before it
/// reaches a `git` command line: empty, a leading `-` (`--output=/tmp/x` would
/// be an option), whitespace or control characters.
pub fn check_revision(rev: &str) -> Result<(), String> {
    if rev.is_empty() {
        return Err("the git revision is empty".into());
    }
    if rev.starts_with('-') {
        return Err(format!("'{rev}' is not a git revision: it starts with '-' and would be read as an option"));
    }
    if rev.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{rev:?} is not a git revision: it has whitespace or control characters"));
    }
    Ok(())
}

/// A path of a repository from an API input: normalised (`./a/../b` gives
/// `b`), refused when absolute or outside the repository.
pub fn repo_path_input(path: &str) -> Result<String, String> {
    brain_query::ask::changed_path(path)
}

/// `git diff RANGE` in the checkout at `root` (the range is validated, never an option).
pub fn git_diff_at(root: &std::path::Path, range: &str) -> Result<String, String> {
    check_revision(range)?;
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["diff", "--no-color", "--no-ext-diff", range, "--"])
        .arg(".")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git diff {range} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The contract format of a spec, by extension and content.
pub fn spec_format(path: &str, text: &str) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".proto") {
        return Some("proto");
    }
    if [".graphql", ".graphqls", ".gql"].iter().any(|e| lower.ends_with(e)) {
        return Some("graphql");
    }
    let head: String = text.chars().take(4096).collect();
    let has_key = |k: &str| head.lines().any(|l| l.trim_start_matches(['{', ' ', '"']).starts_with(k));
    if has_key("openapi") || has_key("swagger") {
        Some("openapi")
    } else if has_key("asyncapi") {
        Some("asyncapi")
    } else if head.contains("json-schema.org") || lower.ends_with(".schema.json") {
        Some("jsonschema")
    } else {
        None
    }
}

/// The spec formats [`spec_diff_as`] can be told to read.
pub const SPEC_FORMATS: [&str; 5] = ["openapi", "asyncapi", "jsonschema", "proto", "graphql"];

/// Classified changes between two versions of a spec (format detected from the new one).
pub fn spec_diff(
    old: &str,
    new: &str,
    old_path: &str,
    new_path: &str,
) -> Result<Vec<brain_ingest_contracts::diff::Change>, String> {
    spec_diff_as(old, new, old_path, new_path, None)
}

/// [`spec_diff`] with the format given (one of [`SPEC_FORMATS`]) instead of
/// detected, for inputs that name no format (a JSON Schema without `$schema`).
pub fn spec_diff_as(
    old: &str,
    new: &str,
    old_path: &str,
    new_path: &str,
    format: Option<&str>,
) -> Result<Vec<brain_ingest_contracts::diff::Change>, String> {
    use brain_ingest_contracts as c;
    let format = match format {
        Some(f) => SPEC_FORMATS
            .into_iter()
            .find(|k| *k == f)
            .ok_or_else(|| format!("unknown spec format '{f}': expected one of {}", SPEC_FORMATS.join(", ")))?,
        None => spec_format(new_path, new).or_else(|| spec_format(old_path, old)).ok_or_else(|| {
            format!(
                "cannot tell the format of {new_path}: expected OpenAPI/Swagger, AsyncAPI, JSON Schema, .proto \
                 or GraphQL SDL (say which with --spec-format)"
            )
        })?,
    };
    match format {
        "proto" => c::diff_proto(old, new, old_path, new_path).map_err(|e| e.to_string()),
        "graphql" => c::diff_graphql(old, new, old_path, new_path).map_err(|e| e.to_string()),
        "openapi" => c::diff_openapi(old, new, old_path, new_path).map_err(|e| e.to_string()),
        "asyncapi" => c::diff_asyncapi(old, new, old_path, new_path).map_err(|e| e.to_string()),
        _ => c::diff_jsonschema(old, new, old_path, new_path).map_err(|e| e.to_string()),
    }
}

/// `git show REV:PATH` in a checkout.
pub fn git_show(root: &std::path::Path, rev: &str, path: &str) -> Result<String, String> {
    check_revision(rev)?;
    if rev.contains(':') {
        return Err(format!("'{rev}' is not a git revision: ':' separates the revision from the path"));
    }
    let path = repo_path_input(path)?;
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git show {rev}:{path} failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Spec diffs of every ingested spec of `repos` (all when empty) against git
/// revision `rev`: the graph holds the working tree, `rev` is the old side.
pub fn spec_diffs_against(
    ctx_repos: &[brain_ingest::RepoConfig],
    graph: &brain_graph::Graph,
    brain: &Brain,
    rev: &str,
    repos: &[String],
) -> (Vec<brain_check::SpecDiff>, Vec<String>) {
    let mut diffs = Vec::new();
    let mut problems = Vec::new();
    for spec in graph.nodes_of_kind(NodeKind::Spec) {
        let (repo, path) = (&spec.prov.repo, &spec.prov.path);
        if path.is_empty() || (!repos.is_empty() && !repos.iter().any(|r| r == repo)) {
            continue;
        }
        let root = ctx_repos
            .iter()
            .find(|r| &r.name == repo)
            .map(|r| r.path.clone())
            .or_else(|| graph.repo(repo).map(|r| std::path::PathBuf::from(&r.root)));
        let Some(root) = root else { continue };
        let Ok(Some(new)) = brain.content(repo, path) else { continue };
        let old = match git_show(&root, rev, path) {
            Ok(t) => t,
            Err(_) => continue, // the spec is new since `rev`: nothing to break
        };
        match spec_diff(&old, &new, path, path) {
            Ok(changes) if !changes.is_empty() => {
                diffs.push(brain_check::SpecDiff { repo: repo.to_string(), path: path.to_string(), changes })
            }
            Ok(_) => {}
            Err(e) => problems.push(format!("{repo}:{path}: {e}")),
        }
    }
    (diffs, problems)
}
