//! Diff pairs with the rule ids buf and graphql-inspector report for them
//! (measured with `bench/agreement.mjs`: buf 1.75, @graphql-inspector/core 6.4).
//! The pairs live in `bench/pairs/` so the bench and these tests share them.

use brain_ingest_contracts::diff::Level;
use brain_ingest_contracts::{graphql, proto};

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{}/bench/pairs/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_default()
}

/// `(pair, rule ids buf reports, sorted)`.
const PROTO: &[(&str, &[&str])] = &[
    ("enum_delete", &["ENUM_NO_DELETE", "FIELD_NO_DELETE"]),
    ("enum_value_delete", &["ENUM_VALUE_NO_DELETE"]),
    ("enum_value_rename", &["ENUM_VALUE_SAME_NAME"]),
    ("field_cardinality", &["FIELD_SAME_CARDINALITY"]),
    ("field_delete", &["FIELD_NO_DELETE"]),
    ("field_json_name", &["FIELD_SAME_JSON_NAME"]),
    ("field_oneof", &["FIELD_SAME_CARDINALITY", "FIELD_SAME_ONEOF"]),
    ("field_rename", &["FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]),
    ("field_type", &["FIELD_SAME_TYPE"]),
    ("field_type_message", &["FIELD_SAME_CARDINALITY", "FIELD_SAME_TYPE"]),
    ("file_option", &["FILE_SAME_GO_PACKAGE"]),
    ("idempotency", &["RPC_SAME_IDEMPOTENCY_LEVEL"]),
    ("message_delete", &["FIELD_NO_DELETE", "MESSAGE_NO_DELETE"]),
    ("nested_message_delete", &["MESSAGE_NO_DELETE"]),
    (
        "oneof_delete",
        &[
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_ONEOF",
            "FIELD_SAME_ONEOF",
            "ONEOF_NO_DELETE",
        ],
    ),
    ("package_change", &["FILE_SAME_PACKAGE"]),
    ("reserved_delete", &["RESERVED_MESSAGE_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE"]),
    ("reserved_enum_delete", &["RESERVED_ENUM_NO_DELETE"]),
    ("rpc_delete", &["RPC_NO_DELETE"]),
    ("rpc_request_type", &["RPC_SAME_REQUEST_TYPE"]),
    ("rpc_response_type", &["RPC_SAME_RESPONSE_TYPE"]),
    ("rpc_streaming", &["RPC_SAME_CLIENT_STREAMING", "RPC_SAME_SERVER_STREAMING"]),
    ("safe_additions", &[]),
    ("service_delete", &["SERVICE_NO_DELETE"]),
    (
        "syntax_change",
        &[
            "ENUM_SAME_JSON_FORMAT",
            "ENUM_SAME_TYPE",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_CARDINALITY",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_JAVA_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FIELD_SAME_UTF8_VALIDATION",
            "FILE_SAME_SYNTAX",
            "MESSAGE_SAME_JSON_FORMAT",
            "MESSAGE_SAME_JSON_FORMAT",
            "MESSAGE_SAME_JSON_FORMAT",
            "MESSAGE_SAME_JSON_FORMAT",
            "MESSAGE_SAME_JSON_FORMAT",
            "MESSAGE_SAME_JSON_FORMAT",
        ],
    ),
];

/// `(pair, "RULE:CRITICALITY" graphql-inspector reports, sorted)`.
const GRAPHQL: &[(&str, &[&str])] = &[
    ("arg_added_optional", &["FIELD_ARGUMENT_ADDED:DANGEROUS"]),
    ("arg_added_required", &["FIELD_ARGUMENT_ADDED:BREAKING"]),
    ("arg_default_changed", &["FIELD_ARGUMENT_DEFAULT_CHANGED:DANGEROUS"]),
    ("arg_removed", &["FIELD_ARGUMENT_REMOVED:BREAKING"]),
    ("arg_type_changed", &["FIELD_ARGUMENT_TYPE_CHANGED:BREAKING"]),
    (
        "deprecation_added",
        &[
            "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED:NON_BREAKING",
            "FIELD_DEPRECATION_ADDED:NON_BREAKING",
            "FIELD_DEPRECATION_REASON_ADDED:NON_BREAKING",
        ],
    ),
    (
        "deprecation_removed",
        &[
            "DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED:NON_BREAKING",
            "FIELD_DEPRECATION_REASON_REMOVED:NON_BREAKING",
            "FIELD_DEPRECATION_REMOVED:DANGEROUS",
        ],
    ),
    ("description_changed", &["TYPE_DESCRIPTION_CHANGED:NON_BREAKING"]),
    ("directive_location_removed", &["DIRECTIVE_LOCATION_REMOVED:BREAKING"]),
    ("directive_removed", &["DIRECTIVE_REMOVED:BREAKING"]),
    ("directive_usage_added", &["DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED:DANGEROUS"]),
    ("enum_value_added", &["ENUM_VALUE_ADDED:DANGEROUS"]),
    ("enum_value_removed", &["ENUM_VALUE_REMOVED:BREAKING"]),
    ("field_added", &["FIELD_ADDED:NON_BREAKING"]),
    ("field_removed", &["FIELD_REMOVED:BREAKING"]),
    ("field_type_breaking", &["FIELD_TYPE_CHANGED:BREAKING"]),
    ("field_type_safe", &["FIELD_TYPE_CHANGED:NON_BREAKING"]),
    ("input_default_changed", &["INPUT_FIELD_DEFAULT_VALUE_CHANGED:DANGEROUS"]),
    ("input_field_added_optional", &["INPUT_FIELD_ADDED:DANGEROUS"]),
    ("input_field_added_required", &["INPUT_FIELD_ADDED:BREAKING"]),
    ("input_field_removed", &["INPUT_FIELD_REMOVED:BREAKING"]),
    ("input_field_type_changed", &["INPUT_FIELD_TYPE_CHANGED:BREAKING"]),
    ("interface_removed", &["OBJECT_TYPE_INTERFACE_REMOVED:BREAKING"]),
    // The next four as graphql-inspector 8.0 reports them (6.4 has no rule for the middle two and
    // calls a non-null input field with a default breaking, although clients may leave it out).
    ("input_field_added_required_default", &["INPUT_FIELD_ADDED:DANGEROUS"]),
    ("interface_interface_removed", &["OBJECT_TYPE_INTERFACE_REMOVED:BREAKING"]),
    ("directive_repeatable_removed", &["DIRECTIVE_REPEATABLE_REMOVED:DANGEROUS"]),
    ("directive_arg_type_changed", &["DIRECTIVE_ARGUMENT_TYPE_CHANGED:BREAKING"]),
    (
        "schema_root_changed",
        &["SCHEMA_QUERY_TYPE_CHANGED:BREAKING", "TYPE_ADDED:NON_BREAKING", "TYPE_REMOVED:BREAKING"],
    ),
    ("type_kind_changed", &["FIELD_REMOVED:BREAKING", "TYPE_KIND_CHANGED:BREAKING"]),
    ("type_removed", &["FIELD_REMOVED:BREAKING", "TYPE_REMOVED:BREAKING"]),
    ("union_member_added", &["UNION_MEMBER_ADDED:DANGEROUS"]),
    ("union_member_removed", &["UNION_MEMBER_REMOVED:BREAKING"]),
];

#[test]
fn proto_pairs_match_buf() {
    for (name, want) in PROTO {
        let file = "acme/orders/v1/orders.proto";
        let (o, n) = (read(&format!("proto/{name}/old/{file}")), read(&format!("proto/{name}/new/{file}")));
        assert!(!o.is_empty() && !n.is_empty(), "{name}");
        let changes = proto::diff_proto(&o, &n, file, file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut got: Vec<&str> = changes.iter().map(|c| c.rule.as_str()).collect();
        got.sort();
        assert_eq!(got, *want, "{name}");
        assert!(changes.iter().all(|c| c.level == Level::Breaking));
        assert!(changes.iter().all(|c| c.message.ends_with(']')), "{name}: categories in message");
    }
}

#[test]
fn graphql_pairs_match_graphql_inspector() {
    for (name, want) in GRAPHQL {
        let (o, n) = (read(&format!("graphql/{name}/old.graphql")), read(&format!("graphql/{name}/new.graphql")));
        assert!(!o.is_empty() && !n.is_empty(), "{name}");
        let changes =
            graphql::diff_graphql(&o, &n, "old.graphql", "new.graphql").unwrap_or_else(|e| panic!("{name}: {e}"));
        let level = |l: Level| match l {
            Level::Breaking => "BREAKING",
            Level::Warning => "DANGEROUS",
            Level::Safe => "NON_BREAKING",
        };
        let mut got: Vec<String> = changes.iter().map(|c| format!("{}:{}", c.rule, level(c.level))).collect();
        got.sort();
        assert_eq!(got, *want, "{name}");
    }
}

/// A directive argument's change is located at the argument (graphql-inspector's
/// path `@auth.role`), on its own line in each version.
#[test]
fn directive_argument_changes_are_located_at_the_argument() {
    let (o, n) = (
        read("graphql/directive_arg_type_changed/old.graphql"),
        read("graphql/directive_arg_type_changed/new.graphql"),
    );
    let changes = graphql::diff_graphql(&o, &n, "old.graphql", "new.graphql").unwrap_or_else(|e| panic!("{e}"));
    let c =
        changes.iter().find(|c| c.rule == "DIRECTIVE_ARGUMENT_TYPE_CHANGED").unwrap_or_else(|| panic!("{changes:?}"));
    let line_of =
        |text: &str, what: &str| text.lines().position(|l| l.trim_start().starts_with(what)).map(|i| i as u32 + 1);
    assert_eq!(c.old.as_ref().map(|l| (l.pointer.as_str(), l.line)), Some(("@auth.role", line_of(&o, "role:"))));
    assert_eq!(c.new.as_ref().map(|l| (l.pointer.as_str(), l.line)), Some(("@auth.role", line_of(&n, "role:"))));
}

#[test]
fn wire_categories_report_their_own_rules() {
    let old = "syntax = \"proto3\"; package a; message M { int32 a = 1; string b = 2; reserved 9; }";
    let new = "syntax = \"proto3\"; package a; message M { int64 a = 1; }";
    let rules = |c| {
        let mut r: Vec<String> = proto::diff::diff_proto_in(old, new, "a.proto", "a.proto", c)
            .map(|v| v.into_iter().map(|c| c.rule).collect())
            .unwrap_or_default();
        r.sort();
        r
    };
    assert_eq!(
        rules(proto::diff::Category::Wire),
        vec!["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "RESERVED_MESSAGE_NO_DELETE"]
    );
    assert_eq!(
        rules(proto::diff::Category::WireJson),
        vec![
            "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
            "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
            "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
            "RESERVED_MESSAGE_NO_DELETE"
        ]
    );
}

#[test]
fn unparseable_side_is_an_error_with_line() {
    let e = graphql::diff_graphql("type Query { a: Int }", "type Query {\n  a:\n}", "o.graphql", "n.graphql");
    assert!(matches!(e, Err(graphql::DiffError::Parse { ref path, .. }) if path == "n.graphql"), "{e:?}");
    let e = proto::diff_proto("message A {}", "message A {\n  int32 = 1;\n}", "o.proto", "n.proto");
    assert!(matches!(e, Err(proto::DiffError::Parse { line: 2, .. })), "{e:?}");
}
