//! AsyncAPI diffs: payload changes graded by the direction of the operation.

use brain_ingest_contracts::diff::Change;
use brain_ingest_contracts::diff_asyncapi;
use std::collections::BTreeSet;

fn read(name: &str) -> String {
    let p = format!("{}/tests/fixtures/asyncapi/diff/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn events_pair() {
    let (o, n) = (read("events-old.yaml"), read("events-new.yaml"));
    let changes: Vec<Change> = diff_asyncapi(&o, &n, "old.yaml", "new.yaml").unwrap_or_else(|e| panic!("{e}"));
    let got: BTreeSet<String> = changes.iter().map(|c| format!("{} {}", c.rule, c.level.as_str())).collect();
    let want: BTreeSet<String> = n
        .lines()
        .filter_map(|l| l.strip_prefix("# expect-rule:"))
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect();
    let rendered: Vec<String> =
        changes.iter().map(|c| format!("{} {} {}", c.level.as_str(), c.rule, c.message)).collect();
    assert_eq!(got, want, "\n{}", rendered.join("\n"));
    insta::assert_snapshot!("events_diff", rendered.join("\n"));
}
