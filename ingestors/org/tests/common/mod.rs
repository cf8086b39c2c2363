//! Test helpers: load fixture repos, run ingestors, render facts as a sorted
//! readable listing, and build graphs with this crate's link passes.
#![allow(dead_code)]

use brain_graph::{Graph, GraphBuilder, LinkPass};
use brain_model::{Facts, Ingestor, Node, NodeId, NodeKind, Origin, Provenance, RefTarget, SourceFile};
use std::path::{Path, PathBuf};

pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Every file of a fixture folder as `(relative path, content)`, sorted.
pub fn load(name: &str) -> Vec<(String, String)> {
    let root = fixture_dir(name);
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let rel = p.strip_prefix(&root).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

/// Runs one ingestor over every file it accepts.
pub fn ingest(ing: &dyn Ingestor, repo: &str, files: &[(String, String)]) -> Facts {
    let mut facts = Facts::default();
    for (path, content) in files {
        if ing.accepts(path) {
            facts.extend(ing.ingest(&SourceFile { repo, path, content }));
        }
    }
    facts
}

fn origin(o: &Origin) -> String {
    match o {
        Origin::Declared => "declared".into(),
        Origin::Inferred { confidence } => format!("inferred {confidence:.2}"),
    }
}

fn loc(p: &Provenance) -> String {
    format!("{} [{}, {}]", p.location(), p.ingestor, origin(&p.origin))
}

fn attrs(a: &brain_model::Attrs) -> String {
    if a.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = a.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!(" {{{}}}", parts.join(", "))
}

fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = one.chars().take(70).collect();
    if cut.len() < one.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// A sorted, readable listing of facts.
pub fn render(facts: &Facts) -> String {
    let mut lines = Vec::new();
    for n in &facts.nodes {
        let text = if n.text.is_empty() { String::new() } else { format!(" text={:?}", short(&n.text)) };
        lines.push(format!("node {} ({}) {:?} @ {}{}{}", n.id, n.kind, n.name, loc(&n.prov), attrs(&n.attrs), text));
    }
    for e in &facts.edges {
        lines.push(format!("edge {} -{}-> {} @ {}{}", e.from, e.kind, e.to, loc(&e.prov), attrs(&e.attrs)));
    }
    for r in &facts.refs {
        let target = match &r.target {
            RefTarget::AnyOf(c) => format!("anyOf[{}]", c.iter().map(|i| i.as_str()).collect::<Vec<_>>().join(", ")),
            RefTarget::Key { ns, key, .. } => format!("key {ns}:{key}"),
        };
        lines.push(format!("ref  {} -{}-> {} @ {}{}", r.from, r.kind, target, loc(&r.prov), attrs(&r.attrs)));
    }
    for p in &facts.provides {
        lines.push(format!("provide {} {}:{}", p.node, p.ns, p.key));
    }
    for d in &facts.diagnostics {
        lines.push(format!("diag {}", d.render()));
    }
    lines.sort();
    lines.join("\n")
}

/// Repo and File nodes as the files ingestor would give them.
pub fn file_facts(repo: &str, files: &[(String, String)]) -> Facts {
    let mut f = Facts::default();
    f.node(Node::new(NodeId::repo(repo), NodeKind::Repo, repo, Provenance::declared(repo, "", None, "files")));
    for (path, _) in files {
        let name = path.rsplit('/').next().unwrap_or(path);
        f.node(Node::new(
            NodeId::file(repo, path),
            NodeKind::File,
            name,
            Provenance::declared(repo, path, None, "files"),
        ));
    }
    f
}

/// Every org ingestor over a fixture repo, plus its file nodes.
pub fn repo_facts(repo: &str, fixture: &str) -> Facts {
    let files = load(fixture);
    let mut facts = file_facts(repo, &files);
    for ing in brain_ingest_org::ingestors() {
        facts.extend(ingest(ing.as_ref(), repo, &files));
    }
    facts
}

/// Builds a graph from facts with this crate's passes.
pub fn build(all: &[Facts]) -> Graph {
    let mut b = GraphBuilder::new();
    for f in all {
        b.add_facts(f);
    }
    let passes = brain_ingest_org::passes();
    let refs: Vec<&dyn LinkPass> = passes.iter().map(|p| p.as_ref()).collect();
    b.build(&refs)
}

/// Edges of a kind as `from -kind-> to {attrs} @loc`, sorted.
pub fn edges_of(g: &Graph, kinds: &[brain_model::EdgeKind]) -> String {
    let mut lines: Vec<String> = g
        .edges()
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| format!("{} -{}-> {} @ {}{}", e.from, e.kind, e.to, loc(&e.prov), attrs(&e.attrs)))
        .collect();
    lines.sort();
    lines.join("\n")
}

pub fn diagnostics(g: &Graph, prefix: &str) -> String {
    let mut lines: Vec<String> = g.diagnostics().filter(|d| d.code.starts_with(prefix)).map(|d| d.render()).collect();
    lines.sort();
    lines.join("\n")
}
