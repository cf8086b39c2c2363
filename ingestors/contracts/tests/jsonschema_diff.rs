//! JSON Schema compatibility diffs.

use brain_ingest_contracts::schema::payload::Compatibility;
use brain_ingest_contracts::{diff_jsonschema, diff_jsonschema_with};
use std::collections::BTreeSet;

fn read(name: &str) -> String {
    let p = format!("{}/tests/fixtures/jsonschema/diff/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn customer_pair_backward() {
    let (o, n) = (read("customer-old.schema.json"), read("customer-new.schema.json"));
    let changes = diff_jsonschema(&o, &n, "old.json", "new.json").unwrap_or_else(|e| panic!("{e}"));
    let got: BTreeSet<String> = changes.iter().map(|c| format!("{} {}", c.rule, c.level.as_str())).collect();
    let want: BTreeSet<String> = read("expected.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let rendered: Vec<String> =
        changes.iter().map(|c| format!("{} {} {}", c.level.as_str(), c.rule, c.message)).collect();
    assert_eq!(got, want, "\n{}", rendered.join("\n"));
    // Lines on both sides: `email` maxLength is on line 8 (old) and 9 (new).
    let ml = changes.iter().find(|c| c.rule == "payload-max-length-decreased");
    assert_eq!(ml.and_then(|c| Some((c.old.as_ref()?.line?, c.new.as_ref()?.line?))), Some((8, 9)));
}

#[test]
fn forward_mode_flips_the_grading() {
    let (o, n) = (read("customer-old.schema.json"), read("customer-new.schema.json"));
    let changes =
        diff_jsonschema_with(&o, &n, "old.json", "new.json", Compatibility::Forward).unwrap_or_else(|e| panic!("{e}"));
    let level = |rule: &str| changes.iter().find(|c| c.rule == rule).map(|c| c.level.as_str());
    assert_eq!(level("payload-enum-value-added"), Some("breaking"));
    assert_eq!(level("payload-property-became-required"), Some("warning"));
}

/// Tuples (`items: [...]`) are descended position by position, and an
/// `anyOf` rewritten to an equivalent type (list) is not a change. The
/// fixtures have no `$schema`: the diff is asked for JSON Schema directly.
#[test]
fn tuple_items_and_equivalent_any_of() {
    let (o, n) = (read("tuple-old.json"), read("tuple-new.json"));
    let changes = diff_jsonschema(&o, &n, "old.json", "new.json").unwrap_or_else(|e| panic!("{e}"));
    let got: BTreeSet<String> = changes
        .iter()
        .map(|c| {
            let at = c.new.as_ref().map(|l| l.pointer.trim_start_matches("#.")).unwrap_or("");
            format!("{at} {} {}", c.rule, c.level.as_str())
        })
        .collect();
    let want: BTreeSet<String> = read("tuple-expected.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let rendered: Vec<String> =
        changes.iter().map(|c| format!("{} {} {} {:?}", c.level.as_str(), c.rule, c.message, c.new)).collect();
    assert_eq!(got, want, "\n{}", rendered.join("\n"));
}
