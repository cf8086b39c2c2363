//! Lessons in context packets, end to end on a real brain (sled, tantivy, the
//! shipped ingestors): a lesson recorded on the function a fix changed is
//! shown when a later task is about that function's file, a lesson on a file
//! the task does not reach is not, and lessons never take more than their
//! share of a small budget.

use brain_ingest::{Brain, NoProgress, RepoConfig};
use brain_model::{NodeId, NodeKind};
use brain_query::packet::Section;
use brain_query::{ContextPacket, LessonInput, PacketRequest, Scope};
use std::fs;
use std::path::Path;
use std::time::Duration;

const REPO: &str = "acme/net";

const RETRY: &str = r#"//! Retries of failed requests.

/// The delay in milliseconds before attempt `attempt`, doubling each time.
fn backoff_delay(attempt: u32) -> u64 {
    100u64 << attempt.min(10)
}

/// Sends `request` again after a failure until it succeeds or `max_attempts`
/// attempts were made; waits `backoff_delay` between attempts.
pub fn retry_request(request: &str, max_attempts: u32) -> bool {
    for attempt in 0..max_attempts {
        let _wait = backoff_delay(attempt);
        if !request.is_empty() {
            return true;
        }
    }
    false
}
"#;

const CACHE: &str = r#"//! The response cache.

/// Drops the least recently used entry when the cache is full.
pub fn evict_entry(entries: &mut Vec<String>) {
    entries.remove(0);
}

/// The key a response is cached under.
pub fn cache_key(url: &str) -> String {
    url.to_lowercase()
}
"#;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    fs::write(p, text).expect("write");
}

/// The id of the symbol named `name` declared in `path`.
fn symbol(brain: &Brain, path: &str, name: &str) -> NodeId {
    let g = brain.snapshot();
    let found = g
        .nodes_of_kind(NodeKind::Symbol)
        .find(|n| n.prov.repo == REPO && n.prov.path == path && n.name == name)
        .map(|n| n.id.clone());
    found.unwrap_or_else(|| panic!("no symbol {name} in {path}"))
}

/// Records a lesson the way `recordLesson` does and returns its id.
fn record(brain: &Brain, text: &str, on: NodeId, at: u64) -> NodeId {
    let input =
        LessonInput { text: text.into(), applies_to: vec![on], author: "agent:fixer".into(), ..Default::default() };
    let facts = brain_query::lesson_facts(&input, at);
    let id = facts.nodes[0].id.clone();
    brain.put_record(id.as_str(), facts).expect("record lesson");
    id
}

fn packet(brain: &Brain, intent: &str, budget: usize) -> ContextPacket {
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let g = brain.snapshot();
    let req = PacketRequest {
        intent: intent.into(),
        scope: Scope { repos: vec![REPO.into()], ..Default::default() },
        budget_tokens: budget,
        ..Default::default()
    };
    brain.context_packet(&g, None, &req)
}

/// The markdown's `## Lessons` section (empty when there is none).
fn lessons_section(p: &ContextPacket) -> String {
    let Some(at) = p.markdown.find("\n## Lessons\n") else { return String::new() };
    let rest = &p.markdown[at + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    rest[..end].to_string()
}

/// A fix's lesson is recorded on the function it changed (a private helper
/// the next task does not name); the next task about retries sees it, says
/// what it applies to, and does not see the cache lesson; a task about the
/// cache sees the cache lesson first.
#[test]
fn a_lesson_on_a_changed_function_is_shown_for_its_file_and_only_there() {
    let work = tempfile::tempdir().expect("tempdir");
    let root = work.path().join("net");
    write(&root, "src/retry.rs", RETRY);
    write(&root, "src/cache.rs", CACHE);
    let brain = Brain::open(&work.path().join("data"), brain_stack::ingestors(), brain_stack::passes()).expect("open");
    let cfg = RepoConfig { name: REPO.into(), path: root, include: vec![], exclude: vec![] };
    brain.ingest_repo(&cfg, &NoProgress).expect("ingest");
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let backoff = record(
        &brain,
        "Fix the backoff overflowing for large attempt numbers: cap the shift.",
        symbol(&brain, "src/retry.rs", "backoff_delay"),
        1_763_700_000,
    );
    let cache = record(
        &brain,
        "Fix eviction dropping the newest entry: evict the least recently used one.",
        symbol(&brain, "src/cache.rs", "evict_entry"),
        1_763_700_100,
    );

    let p = packet(&brain, "retry_request gives up before max_attempts attempts", 8000);
    assert_eq!(p.files.first().map(|f| f.path.as_str()), Some("src/retry.rs"), "{:?}", p.files);
    let shown: Vec<&NodeId> = p.items.iter().filter(|i| i.section == Section::Lessons).map(|i| &i.id).collect();
    assert_eq!(shown, vec![&backoff], "{}", p.markdown);
    let section = lessons_section(&p);
    assert!(section.contains("applies to backoff_delay"), "{section}");
    assert!(section.contains("cap the shift"), "{section}");
    assert!(!p.markdown.contains("evict the least recently used one"), "{}", p.markdown);

    // The cache task sees the cache lesson first.
    let p = packet(&brain, "evict_entry drops the wrong cache entry", 8000);
    let shown: Vec<&NodeId> = p.items.iter().filter(|i| i.section == Section::Lessons).map(|i| &i.id).collect();
    assert_eq!(shown.first(), Some(&&cache), "{}", p.markdown);
    let section = lessons_section(&p);
    let first = section.lines().nth(1).unwrap_or_default();
    assert!(
        first.contains("evict the least recently used one") && first.contains("applies to evict_entry"),
        "{section}"
    );
}

/// Lessons render before every other item, so they get a share of the
/// budget and no more: with a small budget and six long lessons on the
/// task's function, the packet shows the one that fits and still shows the
/// function and its file.
#[test]
fn lessons_keep_to_their_share_of_a_small_budget() {
    let work = tempfile::tempdir().expect("tempdir");
    let root = work.path().join("net");
    write(&root, "src/retry.rs", RETRY);
    write(&root, "src/cache.rs", CACHE);
    let brain = Brain::open(&work.path().join("data"), brain_stack::ingestors(), brain_stack::passes()).expect("open");
    let cfg = RepoConfig { name: REPO.into(), path: root, include: vec![], exclude: vec![] };
    brain.ingest_repo(&cfg, &NoProgress).expect("ingest");
    assert!(brain.wait_exact(Duration::from_secs(60)));
    let retry = symbol(&brain, "src/retry.rs", "retry_request");
    for n in 0..6u64 {
        let text = format!(
            "Retry lesson {n}: a retried request must be idempotent.\nCheck the method before retrying it.\n\
             Never retry a POST without an idempotency key.\nLog each attempt with its number.\n\
             Give up after max_attempts and return the last error."
        );
        record(&brain, &text, retry.clone(), 1_763_700_000 + n);
    }
    let budget = 1200;
    let p = packet(&brain, "retry_request retries a POST twice", budget);
    let section = lessons_section(&p);
    let shown = p.items.iter().filter(|i| i.section == Section::Lessons).count();
    assert_eq!(shown, 1, "{}", p.markdown);
    assert!(brain_model::text::estimate_tokens(&section) <= budget / 8, "{section}");
    assert!(p.markdown.contains("src/retry.rs"), "{}", p.markdown);
    assert!(p.items.iter().any(|i| i.id == retry && i.section == Section::Code), "{}", p.markdown);
}
