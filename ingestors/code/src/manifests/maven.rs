//! pom.xml: the project's `groupId:artifactId` (group inherited from `<parent>` when absent),
//! `<parent>`, `<dependencies>` with scope, `<dependencyManagement>` (as a `managed` catalog on
//! the file), `<modules>`, and the dependencies of `<profiles>` (attr `profile`). `${...}`
//! placeholders are resolved from `<properties>` and the project's own coordinates in the same
//! file; others are kept as written. Build plugins are not read.

use super::model::{Dependency, Ecosystem, Manifest, PackageDecl};
use brain_model::Span;
use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;

/// Parses a pom.xml. Never fails: XML errors become a problem with the line.
pub fn parse(text: &str) -> Manifest {
    let mut m = Manifest::new(Ecosystem::Maven);
    let opts = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let doc = match Document::parse_with_options(text, opts) {
        Ok(d) => d,
        Err(e) => {
            m.problem(Some(e.pos().row), format!("invalid XML: {e}"));
            return m;
        }
    };
    let root = doc.root_element();
    if root.tag_name().name() != "project" {
        m.problem(Some(1), format!("root element is <{}>, not <project>", root.tag_name().name()));
        return m;
    }
    let span_of = |n: Node<'_, '_>| -> Span {
        let r = n.range();
        Span::new(doc.text_pos_at(r.start).row, doc.text_pos_at(r.end.saturating_sub(1).max(r.start)).row)
    };

    let parent = child(root, "parent");
    let parent_group = parent.and_then(|p| child_text(p, "groupId"));
    let parent_version = parent.and_then(|p| child_text(p, "version"));

    let mut props: HashMap<String, String> = HashMap::new();
    if let Some(p) = child(root, "properties") {
        for n in p.children().filter(Node::is_element) {
            props.insert(n.tag_name().name().to_string(), n.text().unwrap_or("").trim().to_string());
        }
    }
    let group = child_text(root, "groupId").or(parent_group.clone());
    let version = child_text(root, "version").or(parent_version.clone());
    for (k, v) in [("groupId", &group), ("version", &version)] {
        if let Some(v) = v {
            props.insert(format!("project.{k}"), v.clone());
            props.insert(format!("pom.{k}"), v.clone());
        }
    }
    if let Some(a) = child_text(root, "artifactId") {
        props.insert("project.artifactId".into(), a);
    }
    if let Some(v) = &parent_version {
        props.insert("project.parent.version".into(), v.clone());
    }
    if let Some(g) = &parent_group {
        props.insert("project.parent.groupId".into(), g.clone());
    }
    let resolve = |s: String| interpolate(&s, &props);

    match (child(root, "artifactId"), &group) {
        (Some(a), Some(g)) => {
            let artifact = resolve(a.text().unwrap_or("").trim().to_string());
            let mut attrs = Vec::new();
            if let Some(p) = child_text(root, "packaging") {
                attrs.push(("packaging".to_string(), p));
            }
            m.package = Some(PackageDecl {
                name: format!("{}:{artifact}", resolve(g.clone())),
                version: version.clone().map(&resolve),
                span: span_of(a),
                attrs,
            });
        }
        (Some(a), None) => m.problem(Some(span_of(a).start_line), "project has no groupId and no parent groupId"),
        (None, _) => m.problem(Some(span_of(root).start_line), "project has no artifactId"),
    }

    if let Some(p) = parent {
        match (child_text(p, "groupId"), child_text(p, "artifactId")) {
            (Some(g), Some(a)) => {
                m.deps.push(
                    Dependency::package(format!("{}:{}", resolve(g), resolve(a)), "parent", span_of(p))
                        .with_version(child_text(p, "version").map(&resolve)),
                );
            }
            _ => m.problem(Some(span_of(p).start_line), "<parent> needs groupId and artifactId"),
        }
    }

    if let Some(deps) = child(root, "dependencies") {
        dependencies(deps, &span_of, &resolve, &mut m, false, None);
    }
    if let Some(deps) = child(root, "dependencyManagement").and_then(|dm| child(dm, "dependencies")) {
        dependencies(deps, &span_of, &resolve, &mut m, true, None);
    }
    // Profile dependencies apply only when the profile is active: kept, with attr `profile`.
    if let Some(profiles) = child(root, "profiles") {
        for p in profiles.children().filter(|n| n.is_element() && n.tag_name().name() == "profile") {
            let id = child_text(p, "id").unwrap_or_default();
            if let Some(deps) = child(p, "dependencies") {
                dependencies(deps, &span_of, &resolve, &mut m, false, Some(&id));
            }
            if let Some(deps) = child(p, "dependencyManagement").and_then(|dm| child(dm, "dependencies")) {
                dependencies(deps, &span_of, &resolve, &mut m, true, Some(&id));
            }
        }
    }
    if let Some(mods) = child(root, "modules") {
        m.members = mods
            .children()
            .filter(|n| n.is_element() && n.tag_name().name() == "module")
            .filter_map(|n| n.text().map(|t| t.trim().to_string()))
            .collect();
        m.members_span = Some(span_of(mods));
    }
    m
}

fn dependencies<'a, 'i>(
    deps: Node<'a, 'i>,
    span_of: &dyn Fn(Node<'a, 'i>) -> Span,
    resolve: &dyn Fn(String) -> String,
    m: &mut Manifest,
    managed: bool,
    profile: Option<&str>,
) {
    for d in deps.children().filter(|n| n.is_element() && n.tag_name().name() == "dependency") {
        let span = span_of(d);
        let (Some(g), Some(a)) = (child_text(d, "groupId"), child_text(d, "artifactId")) else {
            m.problem(Some(span.start_line), "<dependency> needs groupId and artifactId");
            continue;
        };
        let scope = match child_text(d, "scope").map(resolve) {
            None => "normal".to_string(),
            Some(s) if s == "compile" => "normal".to_string(),
            Some(s) => s,
        };
        let mut dep = Dependency::package(format!("{}:{}", resolve(g), resolve(a)), &scope, span)
            .with_version(child_text(d, "version").map(resolve));
        for k in ["type", "classifier"] {
            if let Some(v) = child_text(d, k) {
                dep = dep.with_attr(k, resolve(v));
            }
        }
        if child_text(d, "optional").as_deref() == Some("true") {
            dep = dep.with_attr("optional", "true");
        }
        if let Some(id) = profile {
            dep = dep.with_attr("profile", id);
        }
        if managed {
            m.managed.push(dep.with_attr("managed", "true"));
        } else {
            m.deps.push(dep);
        }
    }
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn child_text(n: Node<'_, '_>, name: &str) -> Option<String> {
    child(n, name).and_then(|c| c.text()).map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Replaces `${key}` with known properties (one level; unknown ones stay as written).
fn interpolate(s: &str, props: &HashMap<String, String>) -> String {
    if !s.contains("${") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j) => {
                let key = &after[..j];
                match props.get(key) {
                    Some(v) if !v.contains("${") => out.push_str(v),
                    _ => {
                        out.push_str("${");
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
