//! The persisted snapshot: a brain reopened over an unchanged store serves
//! the snapshot written by the last run, and it is the graph a relink would
//! build; anything that makes it untrustworthy (a damaged file, a store that
//! moved on, other link passes) falls back to relinking. Real example org,
//! real sled store and tantivy index in temp dirs.

use brain_graph::Graph;
use brain_ingest::{Brain, Config, NoProgress};
use brain_model::{Edge, Facts, Node, NodeId, NodeKind, Provenance};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn example_config() -> Config {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/acme/brain.toml");
    Config::load(&path).expect("example config")
}

fn open(data: &Path) -> Brain {
    Brain::open(data, brain_stack::ingestors(), brain_stack::passes()).expect("open brain")
}

/// A lesson record as the API writes it.
fn lesson(id: &str, text: &str) -> Facts {
    let mut f = Facts::default();
    f.node(Node::new(NodeId::new(id), NodeKind::Lesson, text, Provenance::declared("", "", None, "api")));
    f
}

/// Everything a query can see, in a comparable order.
fn contents(g: &Graph) -> (Vec<Node>, Vec<String>, usize, usize) {
    let mut nodes: Vec<Node> = g.nodes().cloned().collect();
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    let mut edges: Vec<String> = g.edges().map(|e: &Edge| format!("{e:?}")).collect();
    edges.sort();
    (nodes, edges, g.unresolved().count(), g.diagnostics().count())
}

/// Ingests the example org into `data` and returns the graph it linked.
fn ingest_example(data: &Path) -> Arc<Graph> {
    let brain = open(data);
    for (name, r) in brain.ingest_repos(&example_config().repos, &NoProgress).expect("ingest") {
        r.unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    brain.snapshot()
}

#[test]
fn a_reopened_brain_serves_the_persisted_snapshot_and_it_equals_a_relink() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    let linked = ingest_example(&data);
    assert!(data.join("snapshot.bin").is_file(), "dropping the brain leaves its snapshot on disk");

    let reopened = open(&data);
    assert!(reopened.opened_from_snapshot());
    let served = reopened.snapshot();
    assert!(served.node_count() > 100, "the example org is not tiny: {}", served.node_count());
    assert_eq!(contents(&served), contents(&linked));
    assert_eq!(served.repos(), linked.repos());
    assert_eq!(served.generation(), linked.generation());

    // A write waits for the units loading behind the snapshot, then works as usual.
    reopened.put_record("lesson:persisted-1", lesson("lesson:persisted-1", "keep amounts in cents")).expect("record");
    let after = reopened.snapshot();
    assert!(after.node(&NodeId::new("lesson:persisted-1")).is_some());
    assert_eq!(after.node_count(), linked.node_count() + 1, "nothing else appeared or vanished");
    drop(reopened);

    // The snapshot written after the lesson is the one the next open serves.
    let again = open(&data);
    assert!(again.opened_from_snapshot());
    assert!(again.snapshot().node(&NodeId::new("lesson:persisted-1")).is_some());
}

#[test]
fn a_damaged_stale_or_foreign_snapshot_is_relinked_not_trusted() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    let linked = ingest_example(&data);
    let file = data.join("snapshot.bin");

    // One flipped byte: the checksum catches it.
    let mut bytes = std::fs::read(&file).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&file, &bytes).expect("write");
    let brain = open(&data);
    assert!(!brain.opened_from_snapshot());
    assert_eq!(contents(&brain.snapshot()), contents(&linked));
    drop(brain);

    // Truncated: relinked, and the relink wrote a good file again.
    let len = std::fs::metadata(&file).expect("meta").len();
    std::fs::File::options().write(true).open(&file).expect("open").set_len(len / 3).expect("truncate");
    let brain = open(&data);
    assert!(!brain.opened_from_snapshot());
    drop(brain);
    assert!(open(&data).opened_from_snapshot());

    // Linked by other passes: not reused.
    let other = Brain::open(&data, brain_stack::ingestors(), vec![]).expect("open");
    assert!(!other.opened_from_snapshot());
    drop(other);

    // An older snapshot than the store (the write after it was not persisted).
    let old = std::fs::read(&file).expect("read");
    let brain = open(&data);
    brain.put_record("lesson:after", lesson("lesson:after", "newer than the file")).expect("record");
    drop(brain);
    std::fs::write(&file, old).expect("restore old snapshot");
    let brain = open(&data);
    assert!(!brain.opened_from_snapshot(), "the store moved on; the old snapshot must not hide the lesson");
    assert!(brain.snapshot().node(&NodeId::new("lesson:after")).is_some());
}

#[test]
fn a_server_loads_the_units_behind_a_served_snapshot_so_that_writes_patch() {
    let work = tempfile::tempdir().expect("tempdir");
    let data = work.path().join("data");
    let linked = ingest_example(&data);
    let brain = open(&data);
    assert!(brain.opened_from_snapshot());
    assert!(!brain.snapshot().can_patch(), "read from disk: no units behind it yet");
    brain.prepare_for_writes().expect("load in the background");
    brain.put_record("lesson:served-1", lesson("lesson:served-1", "retry with backoff")).expect("record");
    let g = brain.snapshot();
    assert!(g.node(&NodeId::new("lesson:served-1")).is_some());
    assert!(g.can_patch(), "the write landed on a base linked from the units");
    assert!(brain.wait_exact(std::time::Duration::from_secs(120)));
    assert_eq!(brain.snapshot().node_count(), linked.node_count() + 1);
}
