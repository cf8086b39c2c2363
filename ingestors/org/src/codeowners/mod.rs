//! CODEOWNERS: the [`CodeownersIngestor`] records each CODEOWNERS file and
//! its owners; the [`CodeownersPass`] applies the winning file of each repo
//! to the repo's files, packages, services and specs.
//!
//! GitHub uses the first of `.github/CODEOWNERS`, `CODEOWNERS`,
//! `docs/CODEOWNERS`; GitLab reads `.gitlab/CODEOWNERS` (precedence 0, like
//! `.github`). A pure ingestor cannot know which files exist, so each file
//! becomes a `Document` node with attr `precedence` and the pass picks the
//! lowest per repo. A file is read with GitLab rules when it is under
//! `.gitlab/` or uses `[Section]` headers; otherwise with GitHub rules.

mod rules;

pub use rules::{
    looks_like_gitlab, owner_type, parse, parse_with, reviewers_cover, Decision, Flavor, Rule, RuleError, Ruleset,
    Section,
};

use crate::util;
use brain_graph::{LinkContext, LinkPass};
use brain_model::{
    attr, Diagnostic, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, Severity, SourceFile, Span,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Ingestor name, recorded in provenance.
pub const NAME: &str = "codeowners";
/// Attr on the CODEOWNERS document: lower wins.
pub const PRECEDENCE: &str = "precedence";
/// Attr on the CODEOWNERS document: `github` or `gitlab`.
pub const FLAVOR: &str = "flavor";
/// Attr on owner nodes: `user`, `team`, `email`, `role`.
pub const OWNER_TYPE: &str = "owner_type";
/// Attr on `Owns` edges: the pattern of the deciding rule.
pub const PATTERN: &str = "pattern";
/// Attr on `Owns` edges: the GitLab section of the deciding rule.
pub const SECTION: &str = "section";

/// The precedence of a CODEOWNERS location, or `None` if GitHub/GitLab never read it.
pub fn precedence(path: &str) -> Option<u32> {
    match path {
        ".github/CODEOWNERS" | ".gitlab/CODEOWNERS" => Some(0),
        "CODEOWNERS" => Some(1),
        "docs/CODEOWNERS" => Some(2),
        _ => None,
    }
}

fn flavor_for(path: &str, text: &str) -> Flavor {
    if path.starts_with(".gitlab/") || looks_like_gitlab(text) {
        Flavor::GitLab
    } else {
        Flavor::GitHub
    }
}

/// Records CODEOWNERS files and the owners they name.
#[derive(Debug, Default, Clone, Copy)]
pub struct CodeownersIngestor;

impl Ingestor for CodeownersIngestor {
    fn name(&self) -> &'static str {
        NAME
    }
    fn accepts(&self, path: &str) -> bool {
        precedence(path).is_some()
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let Some(prec) = precedence(file.path) else { return facts };
        let flavor = flavor_for(file.path, file.content);
        let (rs, errors) = parse_with(file.content, flavor);
        let doc = NodeId::doc(file.repo, file.path);
        let span = Span::new(1, util::line_count(file.content));
        facts.node(
            Node::new(doc.clone(), NodeKind::Document, "CODEOWNERS", util::declared(file, Some(span), NAME))
                .with_attr(attr::FORMAT, "codeowners")
                .with_attr(PRECEDENCE, prec.to_string())
                .with_attr(FLAVOR, flavor.as_str())
                .with_attr("rules", rs.rules.len().to_string())
                .with_text(file.content),
        );
        let mut seen = HashSet::new();
        let section_owners = rs.sections.iter().flat_map(|s| s.default_owners.iter().map(move |o| (o, s.line)));
        let rule_owners = rs.rules.iter().flat_map(|r| r.owners.iter().map(move |o| (o, r.line)));
        for (owner, line) in section_owners.chain(rule_owners) {
            if !seen.insert(owner.clone()) {
                continue;
            }
            facts.node(
                Node::new(
                    NodeId::owner(owner),
                    NodeKind::Owner,
                    owner.clone(),
                    util::declared(file, Some(Span::line(line)), NAME),
                )
                .with_attr(OWNER_TYPE, owner_type(owner)),
            );
        }
        for e in errors {
            facts.diagnostic(util::diag(file, Severity::Warning, "codeowners.syntax", Some(e.line), e.message));
        }
        facts
    }
}

/// Applies each repo's winning CODEOWNERS file: `Owns` edges owner → file
/// (and → repo for a catch-all rule, → package/service/spec through their
/// declaring file), and `codeowners.stale-rule` diagnostics for rules that
/// match no file.
#[derive(Debug, Default, Clone, Copy)]
pub struct CodeownersPass;

struct Winner {
    repo: String,
    path: String,
    text: String,
    flavor: Flavor,
}

impl LinkPass for CodeownersPass {
    fn name(&self) -> &'static str {
        "codeowners"
    }
    fn run(&self, ctx: &mut LinkContext) {
        let mut by_repo: BTreeMap<String, Vec<(u32, String, String, Flavor)>> = BTreeMap::new();
        for n in ctx.nodes_of_kind(NodeKind::Document) {
            if n.attr(attr::FORMAT) != Some("codeowners") {
                continue;
            }
            let prec = n.attr(PRECEDENCE).and_then(|p| p.parse().ok()).unwrap_or(9);
            let flavor = if n.attr(FLAVOR) == Some("gitlab") { Flavor::GitLab } else { Flavor::GitHub };
            by_repo.entry(n.prov.repo.to_string()).or_default().push((
                prec,
                n.prov.path.to_string(),
                n.text.clone(),
                flavor,
            ));
        }
        let mut winners = Vec::new();
        for (repo, mut files) in by_repo {
            files.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut it = files.into_iter();
            let Some((_, path, text, flavor)) = it.next() else { continue };
            for (_, other, _, _) in it {
                ctx.diagnostic(Diagnostic::new(
                    Severity::Info,
                    "codeowners.ignored-file",
                    &repo,
                    &other,
                    None,
                    format!("not used: {path} takes precedence"),
                ));
            }
            winners.push(Winner { repo, path, text, flavor });
        }
        // Packages (by manifest file), services and specs (by declaring file), per repo:
        // collected in one scan, not one scan of the whole graph per repo.
        let owned_kinds = [NodeKind::Package, NodeKind::Service, NodeKind::Spec];
        let mut entities: HashMap<String, Vec<(NodeId, String)>> = HashMap::new();
        for n in ctx.nodes().filter(|n| owned_kinds.contains(&n.kind) && !n.prov.path.is_empty()) {
            if n.attr(attr::EXTERNAL) != Some("true") {
                entities.entry(n.prov.repo.to_string()).or_default().push((n.id.clone(), n.prov.path.to_string()));
            }
        }
        for w in winners {
            let owned = entities.remove(&w.repo).unwrap_or_default();
            apply(ctx, &w, owned);
        }
    }
}

/// `entities`: the repo's packages, services and specs with their declaring paths.
fn apply(ctx: &mut LinkContext, w: &Winner, entities: Vec<(NodeId, String)>) {
    let (rs, _) = parse_with(&w.text, w.flavor);
    let files: Vec<(NodeId, String)> =
        ctx.files_in_repo(&w.repo).into_iter().map(|n| (n.id.clone(), n.prov.path.to_string())).collect();
    let rule_prov = |line: u32| Provenance::declared(&w.repo, &w.path, Some(Span::line(line)), NAME);
    let owns = |owner: &str, to: NodeId, d: &Decision| {
        let mut e = Edge::new(NodeId::owner(owner), EdgeKind::Owns, to, rule_prov(d.rule_line))
            .with_attr(attr::RULE, format!("{}:{}", w.path, d.rule_line))
            .with_attr(PATTERN, d.pattern.clone());
        if let Some(s) = &d.section {
            e = e.with_attr(SECTION, s.clone());
        }
        e
    };
    let mut decisions_by_path: HashMap<String, Vec<Decision>> = HashMap::with_capacity(files.len());
    let mut new_edges = Vec::new();
    for (id, path) in &files {
        let ds = rs.decisions_of(path);
        for d in &ds {
            for o in &d.owners {
                new_edges.push(owns(o, id.clone(), d));
            }
        }
        decisions_by_path.insert(path.clone(), ds);
    }
    // Catch-all rules own the repo itself.
    for r in rs.rules.iter().filter(|r| r.is_catch_all() && !r.exclude) {
        let d = Decision {
            owners: r.owners.clone(),
            rule_line: r.line,
            pattern: r.pattern.clone(),
            section: r.section.clone(),
        };
        for o in &r.owners {
            new_edges.push(owns(o, NodeId::repo(&w.repo), &d));
        }
    }
    for (id, path) in entities {
        let ds = match decisions_by_path.get(&path) {
            Some(ds) => ds.clone(),
            None => rs.decisions_of(&path),
        };
        for d in &ds {
            for o in &d.owners {
                new_edges.push(owns(o, id.clone(), d));
            }
        }
    }
    for e in new_edges {
        ctx.add_edge(e);
    }
    if files.is_empty() {
        return;
    }
    let paths: Vec<&str> = files.iter().map(|(_, p)| p.as_str()).collect();
    for i in rs.stale_rules(&paths) {
        let r = &rs.rules[i];
        {
            ctx.diagnostic(Diagnostic::new(
                Severity::Warning,
                "codeowners.stale-rule",
                &w.repo,
                &w.path,
                Some(r.line),
                format!("`{}` matches no file in {}", r.pattern, w.repo),
            ));
        }
    }
}
