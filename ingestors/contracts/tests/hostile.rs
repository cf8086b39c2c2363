//! Hostile contract documents: `$ref`s that loop or leave the repository,
//! recursive schemas whose naive expansion is exponential, and YAML alias
//! bombs. Each must end with bounded facts and a diagnostic naming the line,
//! and no ingestor may read another file.

use brain_ingest_contracts::{diff_openapi, AsyncApiIngestor, JsonSchemaIngestor, OpenApiIngestor};
use brain_model::{Facts, Ingestor, NodeId, NodeKind, RefTarget, SourceFile};

const REPO: &str = "acme/hostile";

fn ingest(ing: &dyn Ingestor, path: &str, content: &str) -> Facts {
    assert!(ing.accepts(path), "{path}");
    ing.ingest(&SourceFile { repo: REPO, path, content })
}

fn openapi(schemas: &str) -> String {
    format!("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}")
}

fn codes(f: &Facts) -> Vec<(String, Option<u32>)> {
    f.diagnostics.iter().map(|d| (d.code.clone(), d.line)).collect()
}

/// Every id a fact of `f` names: nodes, edge ends and reference targets.
fn all_ids(f: &Facts) -> Vec<String> {
    let mut v: Vec<String> = f.nodes.iter().map(|n| n.id.to_string()).collect();
    v.extend(f.edges.iter().flat_map(|e| [e.from.to_string(), e.to.to_string()]));
    for r in &f.refs {
        if let RefTarget::AnyOf(ids) = &r.target {
            v.extend(ids.iter().map(|i| i.to_string()));
        }
    }
    v
}

#[test]
fn mutually_recursive_and_self_referencing_schemas_terminate() {
    let doc = openapi(
        "    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
        self: {$ref: '#/components/schemas/A'}
    B:
      type: object
      properties:
        a: {$ref: '#/components/schemas/A'}
        list: {type: array, items: {$ref: '#/components/schemas/B'}}
",
    );
    let f = ingest(&OpenApiIngestor, "api.yaml", &doc);
    let types: Vec<&str> = f.nodes.iter().filter(|n| n.kind == NodeKind::DataType).map(|n| n.name.as_str()).collect();
    assert_eq!(types, vec!["A", "B"], "{:?}", f.nodes);
    assert_eq!(f.nodes.iter().filter(|n| n.kind == NodeKind::Field).count(), 4);
    assert!(f.diagnostics.is_empty(), "{:?}", codes(&f));
}

#[test]
fn a_property_that_refs_its_own_ancestor_is_one_type_not_an_exponential_tree() {
    // Tree.node has 9 properties that each point back at Tree.node (an unnamed
    // schema): expanded naively this is 9^12 nested types.
    let mut props = String::new();
    for i in 0..9 {
        props.push_str(&format!("            p{i}: {{$ref: '#/components/schemas/Tree/properties/node'}}\n"));
    }
    let doc = openapi(&format!(
        "    Tree:\n      type: object\n      properties:\n        node:\n          type: object\n          properties:\n{props}"
    ));
    let f = ingest(&OpenApiIngestor, "api.yaml", &doc);
    assert!(f.nodes.len() < 20, "{} nodes", f.nodes.len());
    let node_type = NodeId::data_type(REPO, "api.yaml", "Tree.node");
    assert!(f.nodes.iter().any(|n| n.id == node_type));
    // Every p_i is typed by Tree.node itself: the recursion is an edge back, not a copy.
    let back = f.edges.iter().filter(|e| e.to == node_type && e.kind == brain_model::EdgeKind::UsesType).count();
    assert_eq!(back, 10, "{:?}", f.edges);

    // The same through the JSON Schema root (`$ref: '#'`) and $defs that refer to each other.
    let schema = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Node",
  "type": "object",
  "properties": {
    "children": {"type": "array", "items": {"$ref": "#"}},
    "left": {"$ref": "#/$defs/Left"}
  },
  "$defs": {
    "Left": {"type": "object", "properties": {"right": {"$ref": "#/$defs/Right"}, "up": {"$ref": "#"}}},
    "Right": {"type": "object", "properties": {"left": {"$ref": "#/$defs/Left"}}}
  }
}"##;
    let f = ingest(&JsonSchemaIngestor, "node.schema.json", schema);
    assert_eq!(f.nodes.iter().filter(|n| n.kind == NodeKind::DataType).count(), 3, "{:?}", f.nodes);
    assert!(f.nodes.len() < 12, "{} nodes", f.nodes.len());
}

#[test]
fn ref_chains_that_loop_are_reported_not_followed_forever() {
    let doc = openapi(
        "    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/C'}
    C: {$ref: '#/components/schemas/A'}
    Holder:
      type: object
      properties:
        x: {$ref: '#/components/schemas/A/properties/none'}
",
    );
    let f = ingest(&OpenApiIngestor, "api.yaml", &doc);
    let c = codes(&f);
    assert!(c.iter().any(|(code, line)| code == "openapi.ref-cycle" && line.is_some()), "{c:?}");
    assert!(f.nodes.len() < 20, "{} nodes", f.nodes.len());
}

#[test]
fn refs_that_leave_the_repository_are_refused_and_never_read() {
    // A real file outside the "repo" that a naive resolver would read.
    let dir = std::env::temp_dir().join(format!("brain-hostile-refs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let secret = dir.join("secret.yaml");
    std::fs::write(
        &secret,
        "components:\n  schemas:\n    Secret:\n      properties:\n        leaked: {type: string}\n",
    )
    .expect("write");
    let abs = secret.display().to_string();
    let outside = [
        "../../../etc/passwd#/x".to_string(),
        "/etc/passwd".to_string(),
        "file:///etc/passwd".to_string(),
        "http://evil.example/x.json#/Y".to_string(),
        "%2e%2e/%2e%2e/%2e%2e/etc/passwd#/x".to_string(),
        "..\\..\\..\\etc\\passwd".to_string(),
        "C:\\Windows\\win.ini".to_string(),
        "//evil.example/share/x.yaml".to_string(),
        format!("{abs}#/components/schemas/Secret"),
        format!("file://{abs}#/components/schemas/Secret"),
    ];
    let mut props = String::new();
    for (i, r) in outside.iter().enumerate() {
        props.push_str(&format!("        p{i}: {{$ref: '{r}'}}\n"));
    }
    props.push_str("        money: {$ref: './common.yaml#/components/schemas/Money'}\n");
    props.push_str("        shared: {$ref: '../shared/types.yaml#/Id'}\n");
    let doc = openapi(&format!(
        "    Order:\n      type: object\n      allOf:\n        - {{$ref: 'https://evil.example/base.json'}}\n      properties:\n{props}"
    ));
    let f = ingest(&OpenApiIngestor, "api/orders.yaml", &doc);
    let _ = std::fs::remove_dir_all(&dir);

    // Nothing of the outside file, and no id anywhere outside the repo.
    assert!(!f.nodes.iter().any(|n| n.name == "leaked" || n.name == "Secret"), "{:?}", f.nodes);
    for id in all_ids(&f) {
        let path = id.split_once(':').map(|(_, rest)| rest).unwrap_or(&id);
        assert!(!id.contains("etc/passwd") && !id.contains("://") && !id.contains(".."), "{id}");
        assert!(!path.contains(&abs) && !id.contains("Windows") && !id.contains("evil"), "{id}");
    }
    // One clear diagnostic per outside ref (plus the allOf base), each with its line.
    let outside_diags: Vec<_> = f.diagnostics.iter().filter(|d| d.code == "openapi.ref-outside").collect();
    assert_eq!(outside_diags.len(), outside.len() + 1, "{:?}", codes(&f));
    assert!(outside_diags.iter().all(|d| d.line.is_some() && d.message.contains("$ref '")));
    assert!(outside_diags.iter().any(|d| d.message.contains("'../../../etc/passwd#/x' points outside the repository")));
    assert!(outside_diags.iter().any(|d| d.message.contains("'http://evil.example/x.json#/Y' is a remote URL")));

    // Refs into other files of the same repo still become references for the linker.
    let targets: Vec<String> = f
        .refs
        .iter()
        .filter_map(|r| match &r.target {
            RefTarget::AnyOf(ids) => Some(ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
            _ => None,
        })
        .collect();
    assert!(targets.contains(&NodeId::data_type(REPO, "api/common.yaml", "Money").to_string()), "{targets:?}");
    assert!(targets.contains(&NodeId::data_type(REPO, "shared/types.yaml", "Id").to_string()), "{targets:?}");
    assert_eq!(targets.len(), 2, "{targets:?}");
}

#[test]
fn outside_refs_to_whole_path_items_are_refused_too() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: '../../../../etc/passwd'}\n  /b: {$ref: 'https://evil.example/p.yaml'}\n  /c: {$ref: './paths/c.yaml'}\n";
    let f = ingest(&OpenApiIngestor, "api.yaml", doc);
    let c = codes(&f);
    assert_eq!(c.iter().filter(|(code, _)| code == "openapi.ref-outside").count(), 2, "{c:?}");
    assert!(c.contains(&("openapi.ref-external".to_string(), Some(6))), "{c:?}");
}

/// 9 levels of 9 aliases (387 million scalars once expanded), under `key` at `indent`.
fn laughs(indent: &str) -> String {
    let mut s = format!("{indent}l0: &l0 \"lol\"\n");
    for i in 1..=9 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        s.push_str(&format!("{indent}l{i}: &l{i} [{refs}]\n"));
    }
    s
}

#[test]
fn billion_laughs_is_refused_with_a_line_in_every_contract_format() {
    let bomb = laughs("    ");
    let cases: [(&dyn Ingestor, &str, String, &str); 3] = [
        (&OpenApiIngestor, "api.yaml", openapi(&format!("    Bomb:\n      x-lol:\n{bomb}")), "openapi.parse"),
        (
            &AsyncApiIngestor,
            "events.yaml",
            format!("asyncapi: 2.6.0\ninfo: {{title: t, version: '1'}}\nchannels: {{}}\ncomponents:\n  x-lol:\n{bomb}"),
            "asyncapi.parse",
        ),
        (
            &JsonSchemaIngestor,
            "bomb.schema.yaml",
            format!("$schema: https://json-schema.org/draft/2020-12/schema\ntype: object\n$defs:\n  x:\n{bomb}"),
            "jsonschema.parse",
        ),
    ];
    for (ing, path, text, code) in cases {
        let f = ingest(ing, path, &text);
        let d = f.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{path}: {:?}", codes(&f)));
        assert!(d.message.contains("billion laughs"), "{}", d.message);
        // The line of the alias that went over the bound, inside the bomb.
        assert!(d.line.is_some_and(|l| l > 5 && l as usize <= text.lines().count()), "{d:?}");
        assert!(f.nodes.len() < 10, "{path}: {} nodes", f.nodes.len());
    }
    // The spec diff reads YAML the same way: an error, not an out-of-memory.
    let bomb_doc = openapi(&format!("    Bomb:\n      x-lol:\n{bomb}"));
    assert!(diff_openapi(&openapi("    A: {type: string}\n"), &bomb_doc, "a.yaml", "a.yaml").is_err());
}

#[test]
fn aliases_that_nest_too_deep_are_refused() {
    // Each anchor is 200 levels deep and wraps the previous one: a few
    // aliases reach thousands of levels, which recursive code cannot walk.
    let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n");
    text.push_str(&format!("a0: &a0 {}x{}\n", "[".repeat(200), "]".repeat(200)));
    for i in 1..20 {
        text.push_str(&format!("a{i}: &a{i} {}*a{}{}\n", "[".repeat(200), i - 1, "]".repeat(200)));
    }
    let f = ingest(&OpenApiIngestor, "api.yaml", &text);
    let d = f.diagnostics.iter().find(|d| d.code == "openapi.parse").unwrap_or_else(|| panic!("{:?}", codes(&f)));
    assert!(d.message.contains("deeper"), "{}", d.message);
}

#[test]
fn legitimate_anchors_still_work() {
    let doc = openapi(
        "    Base: &base
      type: object
      properties:
        id: {type: string}
    Order:
      <<: *base
      properties:
        id: {type: string}
        total: {type: integer}
",
    );
    let f = ingest(&OpenApiIngestor, "api.yaml", &doc);
    assert!(f.diagnostics.is_empty(), "{:?}", codes(&f));
    assert!(f.nodes.iter().any(|n| n.id == NodeId::field(REPO, "api.yaml", "Order", "total")));
}
