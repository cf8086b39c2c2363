//! Backstage software catalog (`catalog-info.yaml`, `*.catalog.yaml`,
//! `all.yaml`, or any YAML file) with `apiVersion: backstage.io/...`,
//! multi-document. Files without `backstage.io/` are skipped cheaply.
//!
//! Mapping (documented choices):
//! - `Component` and `Resource` → `Service` node `svc:<name>` (the same id a
//!   compose or Kubernetes service of that name gets, so they merge), attrs
//!   `backstage_kind`, `type`, `lifecycle`, `system`; they provide
//!   `(service, name)`. The repo holding the file `Contains` them.
//! - `System` and `Domain` → `Service` nodes `svc:system:<name>` /
//!   `svc:domain:<name>` (prefixed so that a system and a component of the
//!   same name stay apart).
//! - `API` → `Spec` node `api:<name>` with `backstage_kind=API`; a
//!   `definition: {$text|$openapi|$yaml|$json: ./path}` becomes a reference
//!   `Contains` → `spec:<repo>:<resolved path>` (the contract ingestors' node
//!   for that file); an inline definition is noted in attr `definition=inline`,
//!   a URL in `definition_url`.
//! - `Group` / `User` → `Owner` nodes `owner:group:<name>` / `owner:user:<name>`
//!   (`<namespace>/<name>` when the namespace is not `default`), attr `members`;
//!   `Contains` edges parent group → child group and group → member.
//! - Relations: `spec.owner` → `Owns` owner → entity; `dependsOn` →
//!   `DependsOn`; `providesApis` → `Exposes`; `consumesApis` → `Consumes`;
//!   `system`, `domain`, `subcomponentOf` → `Contains` parent → entity. All
//!   declared. Entity refs `[kind:][namespace/]name` are parsed per Backstage
//!   (default kind by relation, default namespace `default`).

use crate::util;
use brain_ingest_contracts::yaml::{get_str, line_of, MarkedMappingNode, Node as YNode};
use brain_model::{
    attr::ns, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Reference, Severity, SourceFile, Span,
};

/// Ingestor name, recorded in provenance.
pub const NAME: &str = "catalog";
/// Attr: the Backstage entity kind (`Component`, `API`, `System`, ...).
pub const BACKSTAGE_KIND: &str = "backstage_kind";

/// A parsed Backstage entity reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityRef {
    /// Lowercased kind.
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// Parses `[kind:][namespace/]name` with `default_kind` when no kind is written.
pub fn parse_ref(s: &str, default_kind: &str) -> Option<EntityRef> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (kind, rest) = match s.split_once(':') {
        Some((k, r)) if !k.contains('/') => (k.to_ascii_lowercase(), r),
        _ => (default_kind.to_ascii_lowercase(), s),
    };
    let (namespace, name) = match rest.split_once('/') {
        Some((n, m)) => (n.to_string(), m.to_string()),
        None => ("default".to_string(), rest.to_string()),
    };
    if name.is_empty() {
        return None;
    }
    Some(EntityRef { kind, namespace, name })
}

/// The node id an entity reference points at, by the mapping in the module docs.
pub fn entity_id(r: &EntityRef) -> NodeId {
    let qualified = if r.namespace == "default" { r.name.clone() } else { format!("{}/{}", r.namespace, r.name) };
    match r.kind.as_str() {
        "group" => NodeId::owner(&format!("group:{qualified}")),
        "user" => NodeId::owner(&format!("user:{qualified}")),
        "api" => NodeId::new(format!("api:{}", r.name)),
        "system" => NodeId::service(&format!("system:{}", r.name)),
        "domain" => NodeId::service(&format!("domain:{}", r.name)),
        _ => NodeId::service(&r.name),
    }
}

/// Reads Backstage catalog files.
#[derive(Debug, Default, Clone, Copy)]
pub struct CatalogIngestor;

impl Ingestor for CatalogIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        // Backstage locations may have any name: every YAML file is offered
        // and `ingest` keeps only `apiVersion: backstage.io/...` documents.
        let name = util::file_name(path);
        name.ends_with(".yaml") || name.ends_with(".yml")
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        if !file.content.contains("backstage.io") {
            return facts;
        }
        let (docs, stripped) = util::parse_yaml_tolerant(file.content);
        if stripped {
            facts.diagnostic(util::diag(
                file,
                Severity::Info,
                "yaml.anchors-dropped",
                None,
                "YAML anchors/aliases were not expanded",
            ));
        }
        let total = util::line_count(file.content);
        for (i, doc) in docs.iter().enumerate() {
            let end = docs.get(i + 1).map(|d| d.start_line.saturating_sub(1)).unwrap_or(total);
            match &doc.root {
                Ok(root) => {
                    if let Some(map) = root.as_mapping() {
                        entity(file, map, Span::new(doc.start_line, end), &mut facts);
                    }
                }
                Err(e) => facts.diagnostic(util::diag(
                    file,
                    Severity::Warning,
                    "catalog.yaml",
                    Some(e.line),
                    e.message.clone(),
                )),
            }
        }
        dedupe_nodes(&mut facts);
        facts
    }
}

/// One node per id: an entity defined in the file wins over the placeholder
/// owner nodes written for `spec.owner` references; attrs are merged.
fn dedupe_nodes(facts: &mut Facts) {
    let mut out: Vec<Node> = Vec::with_capacity(facts.nodes.len());
    let mut at: std::collections::HashMap<NodeId, usize> = std::collections::HashMap::new();
    for n in std::mem::take(&mut facts.nodes) {
        match at.get(&n.id) {
            Some(&i) => {
                let o = &mut out[i];
                if o.attr(BACKSTAGE_KIND).is_none() && n.attr(BACKSTAGE_KIND).is_some() {
                    let old = std::mem::replace(o, n);
                    for (k, v) in old.attrs {
                        o.attrs.entry(k).or_insert(v);
                    }
                } else {
                    for (k, v) in n.attrs {
                        o.attrs.entry(k).or_insert(v);
                    }
                }
            }
            None => {
                at.insert(n.id.clone(), out.len());
                out.push(n);
            }
        }
    }
    facts.nodes = out;
}

fn entity(file: &SourceFile<'_>, map: &MarkedMappingNode, span: Span, facts: &mut Facts) {
    let Some(api_version) = get_str(map, "apiVersion") else { return };
    if !api_version.starts_with("backstage.io/") {
        return;
    }
    let kind = get_str(map, "kind").unwrap_or("");
    let Some(meta) = map.get_mapping("metadata") else {
        facts.diagnostic(util::diag(
            file,
            Severity::Warning,
            "catalog.entity",
            Some(span.start_line),
            format!("{kind} entity without metadata"),
        ));
        return;
    };
    let Some(name) = get_str(meta, "name").filter(|n| !n.trim().is_empty()) else {
        facts.diagnostic(util::diag(
            file,
            Severity::Warning,
            "catalog.entity",
            Some(span.start_line),
            format!("{kind} entity without metadata.name"),
        ));
        return;
    };
    let namespace = get_str(meta, "namespace").unwrap_or("default");
    let spec = map.get_mapping("spec");
    let sget = |k: &str| spec.and_then(|s| get_str(s, k));
    let line_at = |node: Option<&YNode>| node.and_then(line_of).map(Span::line).or(Some(span));
    let prov = util::declared(file, Some(span), NAME);
    let self_ref =
        EntityRef { kind: kind.to_ascii_lowercase(), namespace: namespace.to_string(), name: name.to_string() };
    let id = entity_id(&self_ref);
    let node_kind = match self_ref.kind.as_str() {
        "component" | "resource" | "system" | "domain" => NodeKind::Service,
        "api" => NodeKind::Spec,
        "group" | "user" => NodeKind::Owner,
        _ => return, // Location, Template and custom kinds carry no graph facts
    };
    let mut node = Node::new(id.clone(), node_kind, name, prov.clone()).with_attr(BACKSTAGE_KIND, kind);
    if namespace != "default" {
        node = node.with_attr("namespace", namespace);
    }
    for (key, attr_key) in [("type", "type"), ("lifecycle", "lifecycle"), ("system", "system"), ("domain", "domain")] {
        if let Some(v) = sget(key) {
            node = node.with_attr(attr_key, v);
        }
    }
    if let Some(title) = get_str(meta, "title") {
        node = node.with_attr("title", title);
    }
    let mut text = get_str(meta, "description").unwrap_or("").to_string();
    if let Some(tags) = meta.get_sequence("tags") {
        let tags: Vec<&str> = tags.iter().filter_map(|t| t.as_scalar().map(|s| s.as_str())).collect();
        node = node.with_attr("tags", tags.join(","));
    }
    match self_ref.kind.as_str() {
        "group" | "user" => {
            node = node.with_attr(crate::codeowners::OWNER_TYPE, self_ref.kind.as_str());
            if let Some(profile) = spec.and_then(|s| s.get_mapping("profile")) {
                for k in ["displayName", "email"] {
                    if let Some(v) = get_str(profile, k) {
                        node = node.with_attr(k, v);
                    }
                }
            }
            let members = util::yaml_strings(spec.and_then(|s| s.get_node("members")));
            if !members.is_empty() {
                let names: Vec<&str> = members.iter().map(|(m, _)| m.as_str()).collect();
                node = node.with_attr("members", names.join(","));
            }
            for (m, line) in &members {
                if let Some(r) = parse_ref(m, "user") {
                    facts.edge(Edge::new(
                        id.clone(),
                        EdgeKind::Contains,
                        entity_id(&r),
                        util::declared(file, line.map(Span::line), NAME),
                    ));
                }
            }
            for (key, parent_is_self) in [("parent", false), ("children", true), ("memberOf", false)] {
                for (v, line) in util::yaml_strings(spec.and_then(|s| s.get_node(key))) {
                    let Some(r) = parse_ref(&v, "group") else { continue };
                    let other = entity_id(&r);
                    let p = util::declared(file, line.map(Span::line), NAME);
                    let e = if parent_is_self {
                        Edge::new(id.clone(), EdgeKind::Contains, other, p)
                    } else {
                        Edge::new(other, EdgeKind::Contains, id.clone(), p)
                    };
                    facts.edge(e);
                }
            }
        }
        "api" => {
            if let Some(def) = spec.and_then(|s| s.get_node("definition")) {
                api_definition(file, &id, def, &mut node, facts);
            }
        }
        "component" | "resource" => {
            facts.provide(&id, ns::SERVICE, name);
            facts.edge(Edge::new(NodeId::repo(file.repo), EdgeKind::Contains, id.clone(), prov.clone()));
        }
        _ => {}
    }
    if text.is_empty() {
        text = name.to_string();
    }
    facts.node(node.with_text(text));

    // spec.owner
    if let Some(owner) = sget("owner") {
        if let Some(r) = parse_ref(owner, "group") {
            let oid = entity_id(&r);
            let p = util::declared(file, line_at(spec.and_then(|s| s.get_node("owner"))), NAME);
            let handle = oid.as_str().trim_start_matches("owner:").to_string();
            facts.node(
                Node::new(oid.clone(), NodeKind::Owner, handle, p.clone())
                    .with_attr(crate::codeowners::OWNER_TYPE, r.kind.as_str()),
            );
            facts.edge(Edge::new(oid, EdgeKind::Owns, id.clone(), p));
        }
    }
    // containment: system, domain, subcomponentOf
    for (key, default_kind) in [("system", "system"), ("domain", "domain"), ("subcomponentOf", "component")] {
        if let Some(v) = sget(key) {
            if let Some(r) = parse_ref(v, default_kind) {
                let p = util::declared(file, line_at(spec.and_then(|s| s.get_node(key))), NAME);
                facts.edge(Edge::new(entity_id(&r), EdgeKind::Contains, id.clone(), p));
            }
        }
    }
    // relations with lists of refs
    for (key, kind, default_kind) in [
        ("dependsOn", EdgeKind::DependsOn, "component"),
        ("providesApis", EdgeKind::Exposes, "api"),
        ("consumesApis", EdgeKind::Consumes, "api"),
    ] {
        for (v, line) in util::yaml_strings(spec.and_then(|s| s.get_node(key))) {
            match parse_ref(&v, default_kind) {
                Some(r) => facts.edge(
                    Edge::new(id.clone(), kind, entity_id(&r), util::declared(file, line.map(Span::line), NAME))
                        .with_attr("backstage_ref", v.as_str()),
                ),
                None => facts.diagnostic(util::diag(
                    file,
                    Severity::Warning,
                    "catalog.ref",
                    line,
                    format!("bad entity reference `{v}` in {key}"),
                )),
            }
        }
    }
}

fn api_definition(file: &SourceFile<'_>, id: &NodeId, def: &YNode, node: &mut Node, facts: &mut Facts) {
    let line = line_of(def).map(Span::line);
    match def {
        YNode::Mapping(m) => {
            let target =
                ["$text", "$openapi", "$yaml", "$json", "$asyncapi", "$graphql"].iter().find_map(|k| get_str(m, k));
            match target {
                Some(t) if t.starts_with("http://") || t.starts_with("https://") => {
                    node.attrs.insert("definition_url", t.to_string());
                }
                Some(t) => match util::resolve_relative(util::dir_of(file.path), t) {
                    Some(p) => {
                        node.attrs.insert("definition_path", p.clone());
                        facts.reference(Reference::any_of(
                            id.clone(),
                            EdgeKind::Contains,
                            vec![NodeId::spec(file.repo, &p)],
                            util::declared(file, line, NAME),
                        ));
                    }
                    None => facts.diagnostic(util::diag(
                        file,
                        Severity::Warning,
                        "catalog.definition",
                        line.map(|s| s.start_line),
                        format!("definition `{t}` points outside the repo"),
                    )),
                },
                None => {
                    node.attrs.insert("definition", "inline".into());
                }
            }
        }
        _ => {
            node.attrs.insert("definition", "inline".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_follow_backstage_defaults() {
        assert_eq!(
            parse_ref("team-a", "group"),
            Some(EntityRef { kind: "group".into(), namespace: "default".into(), name: "team-a".into() })
        );
        assert_eq!(
            parse_ref("user:ops/jdoe", "group"),
            Some(EntityRef { kind: "user".into(), namespace: "ops".into(), name: "jdoe".into() })
        );
        assert_eq!(
            entity_id(&parse_ref("resource:orders-db", "component").unwrap_or_else(|| unreachable!())).as_str(),
            "svc:orders-db"
        );
        assert_eq!(parse_ref("", "group"), None);
    }
}
