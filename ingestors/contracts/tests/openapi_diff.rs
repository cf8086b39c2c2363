//! OpenAPI diffs on fixture pairs: the set of rule ids must equal the
//! `# expect-rule:` lines of the new file; levels follow oasdiff.

use brain_ingest_contracts::diff::{Change, Level};
use brain_ingest_contracts::diff_openapi;
use brain_ingest_contracts::openapi::diff::{rule_level, DiffError};
use std::collections::BTreeSet;

fn read(name: &str) -> String {
    let p = format!("{}/tests/fixtures/openapi/diff/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn expected_rules(text: &str) -> BTreeSet<String> {
    // JSON fixtures: an `x-expect-rule` list of `"id (why)"` strings (extensions are ignored by the diff).
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        let list = v.get("x-expect-rule").and_then(|l| l.as_array()).cloned().unwrap_or_default();
        return list.iter().filter_map(|s| s.as_str()?.split_whitespace().next().map(str::to_string)).collect();
    }
    // YAML fixtures: `# expect-rule: id (why)` comments.
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect-rule:"))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

fn render(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let loc = |l: &Option<brain_ingest_contracts::diff::Location>| match l {
                Some(l) => format!("{}:{}", l.path, l.line.map(|x| x.to_string()).unwrap_or_default()),
                None => "-".to_string(),
            };
            format!("{} {} [{} -> {}] {}", c.level.as_str(), c.rule, loc(&c.old), loc(&c.new), c.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_pair(old: &str, new: &str) -> Vec<Change> {
    let (o, n) = (read(old), read(new));
    let changes = diff_openapi(&o, &n, old, new).unwrap_or_else(|e| panic!("{e}"));
    let got: BTreeSet<String> = changes.iter().map(|c| c.rule.clone()).collect();
    assert_eq!(got, expected_rules(&n), "\n{}", render(&changes));
    for c in &changes {
        assert_eq!(Some(c.level), rule_level(&c.rule), "{}", c.rule);
        assert!(c.old.is_some() || c.new.is_some());
    }
    changes
}

#[test]
fn orders_pair() {
    let changes = check_pair("orders-old.yaml", "orders-new.yaml");
    insta::assert_snapshot!("orders_diff", render(&changes));
    // Both sides carry lines: the removed property points at the old line, the
    // schema in the new file at its new line.
    let removed = changes.iter().find(|c| c.rule == "response-required-property-removed");
    let removed = removed.unwrap_or_else(|| panic!("{}", render(&changes)));
    assert_eq!(removed.level, Level::Breaking);
    assert_eq!(removed.old.as_ref().and_then(|l| l.line), Some(103));
    assert!(removed.new.as_ref().and_then(|l| l.line).is_some());
}

#[test]
fn swagger_pair() {
    let changes = check_pair("store-old.yaml", "store-new.yaml");
    insta::assert_snapshot!("store_diff", render(&changes));
}

#[test]
fn type_lists_3_1() {
    let changes = check_pair("pets-old.json", "pets-new.json");
    let level = |rule: &str| changes.iter().find(|c| c.rule == rule).map(|c| c.level);
    assert_eq!(level("response-property-list-of-types-widened"), Some(Level::Breaking));
    assert_eq!(level("request-property-list-of-types-widened"), Some(Level::Safe));
}

/// Schemas reached through `oneOf`/`anyOf` -> `$ref` -> `allOf` -> `$ref`,
/// security components, 3.0 boolean exclusive bounds, read-only flips,
/// parameter item bounds and an equivalent `anyOf` rewrite.
#[test]
fn composed_pair() {
    let changes = check_pair("composed-old.yaml", "composed-new.yaml");
    insta::assert_snapshot!("composed_diff", render(&changes));
    // The renamed property is located where it is written in each version (`Named`), not at the body.
    let removed = changes.iter().find(|c| c.rule == "response-required-property-removed");
    let removed = removed.unwrap_or_else(|| panic!("{}", render(&changes)));
    assert_eq!(removed.old.as_ref().and_then(|l| l.line), Some(52));
    assert_eq!(removed.level, Level::Breaking);
}

/// JSON Schema 2020-12 keywords in a 3.1 document: tuples, `contains`,
/// `dependentRequired`, numeric exclusive bounds, a `oneOf` of bare types.
#[test]
fn keywords_3_1_pair() {
    let changes = check_pair("keywords-old.yaml", "keywords-new.yaml");
    insta::assert_snapshot!("keywords_diff", render(&changes));
}

/// Parameter serialisation (brain's own ids), parameters added to a path
/// item, media types losing their schema, a response body enum value
/// removed, an annotation-only `allOf` member.
#[test]
fn params_pair() {
    let changes = check_pair("params-old.yaml", "params-new.yaml");
    insta::assert_snapshot!("params_diff", render(&changes));
    // The shared header is added to both operations of the path.
    let shared = changes.iter().filter(|c| c.rule == "new-required-request-default-parameter-to-existing-path");
    assert_eq!(shared.count(), 2, "{}", render(&changes));
}

/// Security requirements are alternatives, and one scheme may appear in several:
/// they are paired one to one (identical ones first), not each with the first of its scheme.
#[test]
fn security_alternatives_of_one_scheme() {
    let changes = check_pair("security-old.yaml", "security-new.yaml");
    assert_eq!(changes.len(), 1, "{}", render(&changes));
    assert!(changes[0].message.contains("'admin'"), "{}", render(&changes));
}

#[test]
fn identical_documents_have_no_changes() {
    for name in ["orders-old.yaml", "security-old.yaml", "composed-old.yaml", "keywords-old.yaml", "params-old.yaml"] {
        let o = read(name);
        assert_eq!(diff_openapi(&o, &o, "a.yaml", "b.yaml").map(|c| c.len()), Ok(0), "{name}");
    }
}

#[test]
fn errors_are_typed() {
    let err = diff_openapi("openapi: 3.0.0\npaths: {}\n", "a: [\n", "a.yaml", "b.yaml");
    assert!(matches!(err, Err(DiffError::Parse { ref path, .. }) if path == "b.yaml"), "{err:?}");
    let err = diff_openapi("a: 1\n", "openapi: 3.0.0\n", "a.yaml", "b.yaml");
    assert!(matches!(err, Err(DiffError::WrongFormat { .. })), "{err:?}");
}

#[test]
fn security_and_webhooks() {
    let old = "openapi: 3.1.0
info: {title: s, version: '1'}
security:
  - api_key: []
paths:
  /a:
    get:
      security:
        - oauth: [read]
      responses:
        '200': {description: ok}
webhooks:
  petAdopted:
    post:
      responses:
        '200': {description: ok}
";
    let new = "openapi: 3.1.0
info: {title: s, version: '2'}
paths:
  /a:
    get:
      security:
        - oauth: [read, write]
        - mtls: []
      responses:
        '200': {description: ok}
";
    let changes = diff_openapi(old, new, "old.yaml", "new.yaml").unwrap_or_else(|e| panic!("{e}"));
    let got: BTreeSet<(String, &str)> = changes.iter().map(|c| (c.rule.clone(), c.level.as_str())).collect();
    let want: BTreeSet<(String, &str)> = [
        ("api-global-security-removed", "safe"),
        ("api-security-scope-added", "safe"),
        ("api-security-added", "safe"),
        ("webhook-removed", "breaking"),
    ]
    .into_iter()
    .map(|(r, l)| (r.to_string(), l))
    .collect();
    assert_eq!(got, want, "\n{}", render(&changes));
    let hook = changes.iter().find(|c| c.rule == "webhook-removed").and_then(|c| c.old.as_ref()).and_then(|l| l.line);
    assert_eq!(hook, Some(14));
}
