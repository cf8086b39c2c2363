//! Agent instruction documents: `AGENTS.md`, `CLAUDE.md`, `.cursor/rules/*.mdc|md`,
//! `.cursorrules`, `**/SKILL.md`, `runbooks/**/*.md`,
//! `.github/copilot-instructions.md`.
//!
//! Each is a `Document` node `doc:<repo>:<path>` with attrs `doc_kind`
//! (`agents`, `claude`, `cursor-rule`, `copilot`, `skill`, `runbook`) and
//! `applies_to` (the folder it governs: its own folder, or for cursor rules
//! the `globs:` of their front matter; `.cursor/rules`, `.cursorrules` and
//! `.github/copilot-instructions.md` govern the repo root), the body as
//! text, and a declared `AppliesTo` edge to the repo. The query engine picks
//! the closest governing document for a path.

use crate::util;
use brain_model::{Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Severity, SourceFile, Span};

/// Ingestor name, recorded in provenance.
pub const NAME: &str = "agent-docs";
/// Attr: kind of document.
pub const DOC_KIND: &str = "doc_kind";
/// Attr: folder (or globs) the document governs; `""` is the repo root.
pub const APPLIES_TO: &str = "applies_to";

/// The `doc_kind` of an agent-instruction path, if it is one.
pub fn doc_kind(path: &str) -> Option<&'static str> {
    let name = util::file_name(path);
    let lower = path.to_ascii_lowercase();
    if name == "AGENTS.md" || name == "AGENT.md" {
        Some("agents")
    } else if name == "CLAUDE.md" {
        Some("claude")
    } else if path == ".cursorrules"
        || path.ends_with("/.cursorrules")
        || (util::has_dir_segments(path, &[".cursor", "rules"]) && (name.ends_with(".mdc") || name.ends_with(".md")))
    {
        Some("cursor-rule")
    } else if path == ".github/copilot-instructions.md"
        || (lower.starts_with(".github/instructions/") && lower.ends_with(".instructions.md"))
    {
        Some("copilot")
    } else if name == "SKILL.md" {
        Some("skill")
    } else if util::has_dir_segments(path, &["runbooks"]) && lower.ends_with(".md") {
        Some("runbook")
    } else {
        None
    }
}

/// Reads agent instruction documents.
#[derive(Debug, Default, Clone, Copy)]
pub struct AgentDocsIngestor;

impl Ingestor for AgentDocsIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        doc_kind(path).is_some()
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let Some(kind) = doc_kind(file.path) else { return facts };
        let fm = util::front_matter(file.content);
        if let Some((line, msg)) = fm.as_ref().and_then(|f| f.error.clone()) {
            facts.diagnostic(util::diag(file, Severity::Warning, "agent-docs.front-matter", Some(line), msg));
        }
        let fm_map = fm.as_ref().and_then(|f| f.map.as_ref());
        let body_line = fm.as_ref().map(|f| f.body_line).unwrap_or(1);
        let body = util::text_from_line(file.content, body_line);
        let dir = util::dir_of(file.path);
        let mut applies_to = match kind {
            "cursor-rule" | "copilot" => String::new(),
            "skill" | "runbook" => dir.to_string(),
            _ => dir.to_string(),
        };
        let mut node_attrs: Vec<(&str, String)> = Vec::new();
        if let Some(m) = fm_map {
            let globs = util::yaml_strings(m.get_node("globs").or_else(|| m.get_node("applyTo")));
            let globs: Vec<String> = globs
                .into_iter()
                .flat_map(|(g, _)| g.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>())
                .filter(|g| !g.is_empty())
                .collect();
            if !globs.is_empty() {
                applies_to = globs.join(",");
            }
            for k in ["description", "name", "alwaysApply"] {
                if let Some(v) = brain_ingest_contracts::yaml::get_str(m, k) {
                    node_attrs.push((k, v.to_string()));
                }
            }
        }
        let title = util::headings(body)
            .first()
            .map(|h| h.title.clone())
            .unwrap_or_else(|| util::file_name(file.path).to_string());
        let id = NodeId::doc(file.repo, file.path);
        let prov = util::declared(file, Some(Span::new(1, util::line_count(file.content))), NAME);
        let mut node = Node::new(id.clone(), NodeKind::Document, title, prov.clone())
            .with_attr(DOC_KIND, kind)
            .with_attr(APPLIES_TO, applies_to)
            .with_text(body.trim());
        for (k, v) in node_attrs {
            node = node.with_attr(k, v);
        }
        facts.node(node);
        facts.edge(Edge::new(id, EdgeKind::AppliesTo, NodeId::repo(file.repo), prov));
        facts
    }
}
