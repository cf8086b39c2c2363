//! Review policy: how much review a change needs.
//!
//! A [`ReviewPolicy`] is an ordered list of [`ReviewRule`]s. A rule matches an
//! entity when every criterion it sets matches: `paths` (globset globs, tried
//! against the entity's path and against `repo/path`), `kinds` (node kinds)
//! and `tags` (any of the entity's `tags` attribute). An empty criterion
//! matches everything. For each touched entity the FIRST matching rule decides
//! its level; entities no rule matches get `default_level`. The level of the
//! whole change is the maximum, with `Auto < OneReviewer < Owners`.
//!
//! "Touched" means the changed entities themselves plus the contract nodes
//! (operations, topics, types, fields, specs) whose boundary the change crosses.

use crate::common::tags_of;
use brain_model::{Diagnostic, Node, NodeKind, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

/// How much review a change needs. Ordered: `Auto < OneReviewer < Owners`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewLevel {
    /// May merge after automated checks.
    Auto,
    /// Any one reviewer.
    #[default]
    OneReviewer,
    /// Every owner group of the touched entities must approve.
    Owners,
}

impl ReviewLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewLevel::Auto => "auto",
            ReviewLevel::OneReviewer => "one-reviewer",
            ReviewLevel::Owners => "owners",
        }
    }
    /// Parses `auto`, `one-reviewer` (or `one_reviewer`), `owners`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" => Some(ReviewLevel::Auto),
            "one-reviewer" | "one" | "reviewer" => Some(ReviewLevel::OneReviewer),
            "owners" => Some(ReviewLevel::Owners),
            _ => None,
        }
    }
}

/// One rule of a [`ReviewPolicy`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct ReviewRule {
    /// Shown in answers (`"contracts need owners"`).
    pub name: String,
    /// Glob patterns (`**/*.proto`, `infra/**`); empty = any path.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Node kinds; empty = any kind. In config, `data_type`, `DataType` and `data-type` are all accepted.
    #[serde(default, deserialize_with = "de_kinds")]
    pub kinds: Vec<NodeKind>,
    /// Tags; empty = any (a rule with tags matches entities carrying one of them).
    #[serde(default)]
    pub tags: Vec<String>,
    pub level: ReviewLevel,
}

fn de_kinds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<NodeKind>, D::Error> {
    let raw: Vec<String> = Vec::deserialize(d)?;
    raw.iter()
        .map(|s| {
            NodeKind::parse(s)
                .or_else(|| NodeKind::parse(&brain_model::text::canonical_name(s)))
                .ok_or_else(|| serde::de::Error::custom(format!("unknown node kind {s:?}")))
        })
        .collect()
}

/// Ordered review rules plus the level for entities no rule matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct ReviewPolicy {
    #[serde(default)]
    pub rules: Vec<ReviewRule>,
    #[serde(default)]
    pub default_level: ReviewLevel,
    /// The rules' globs as last compiled by [`CompiledPolicy::cached`].
    #[serde(skip)]
    pub compiled: CompiledCache,
}

/// Compiled globs kept with the policy they came from (a server answers
/// every blast radius with one policy). Checked against the rules on every
/// use, so changing the public fields cannot leave stale globs. Not part of
/// the policy's value: clones start empty and all caches compare equal.
#[derive(Default)]
pub struct CompiledCache(std::sync::Mutex<Option<(Vec<ReviewRule>, std::sync::Arc<CompiledGlobs>)>>);

impl Clone for CompiledCache {
    fn clone(&self) -> Self {
        CompiledCache::default()
    }
}

impl PartialEq for CompiledCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for CompiledCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CompiledCache")
    }
}

impl ReviewPolicy {
    /// A sensible default: contracts and infrastructure need owners, docs are automatic.
    pub fn standard() -> Self {
        let rule = |name: &str, paths: &[&str], kinds: &[NodeKind], level| ReviewRule {
            name: name.into(),
            paths: paths.iter().map(|s| s.to_string()).collect(),
            kinds: kinds.to_vec(),
            tags: Vec::new(),
            level,
        };
        ReviewPolicy {
            rules: vec![
                rule(
                    "contracts need owners",
                    &[],
                    &[NodeKind::Operation, NodeKind::Topic, NodeKind::DataType, NodeKind::Field, NodeKind::Spec],
                    ReviewLevel::Owners,
                ),
                rule(
                    "infrastructure needs owners",
                    &["**/docker-compose*.y*ml", "**/k8s/**", "**/helm/**", ".github/workflows/**", "**/Dockerfile"],
                    &[],
                    ReviewLevel::Owners,
                ),
                rule("docs are automatic", &["**/*.md", "docs/**"], &[], ReviewLevel::Auto),
            ],
            default_level: ReviewLevel::OneReviewer,
            compiled: CompiledCache::default(),
        }
    }
}

/// Which rule decided the level of one entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleMatch {
    pub entity: brain_model::NodeId,
    /// Index into `ReviewPolicy::rules`; `None` when the default level applied.
    pub rule: Option<usize>,
    pub rule_name: String,
    pub level: ReviewLevel,
}

/// The review level of a change and how it was decided.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewDecision {
    pub level: ReviewLevel,
    /// One entry per touched entity, in input order.
    pub matches: Vec<RuleMatch>,
}

/// A policy with its globs compiled. Invalid globs are reported once and never match.
pub struct CompiledPolicy<'p> {
    policy: &'p ReviewPolicy,
    globs: std::sync::Arc<Vec<Option<GlobSet>>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Globs and diagnostics of a compiled policy.
type CompiledGlobs = (std::sync::Arc<Vec<Option<GlobSet>>>, Vec<Diagnostic>);

impl<'p> CompiledPolicy<'p> {
    /// Like [`CompiledPolicy::new`], reusing the globs compiled for this
    /// policy value before (kept in [`ReviewPolicy::compiled`]). A server
    /// answers every blast radius with the same policy; compiling its globs
    /// per request was a fifth of the CPU under load.
    pub fn cached(policy: &'p ReviewPolicy) -> Self {
        let slot = &policy.compiled.0;
        let hit = {
            let last = slot.lock().unwrap_or_else(|p| p.into_inner());
            last.as_ref().filter(|(rules, _)| *rules == policy.rules).map(|(_, c)| c.clone())
        };
        let compiled = match hit {
            Some(c) => c,
            None => {
                let fresh = CompiledPolicy::new(policy);
                let c = std::sync::Arc::new((fresh.globs, fresh.diagnostics));
                *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some((policy.rules.clone(), c.clone()));
                c
            }
        };
        CompiledPolicy { policy, globs: compiled.0.clone(), diagnostics: compiled.1.clone() }
    }

    pub fn new(policy: &'p ReviewPolicy) -> Self {
        let mut diagnostics = Vec::new();
        let globs = policy
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if r.paths.is_empty() {
                    return None;
                }
                let mut b = GlobSetBuilder::new();
                for p in &r.paths {
                    match Glob::new(p) {
                        Ok(g) => {
                            b.add(g);
                        }
                        Err(e) => diagnostics.push(Diagnostic::new(
                            Severity::Warning,
                            "policy.bad-glob",
                            "",
                            "",
                            None,
                            format!("review rule {i} ({}): glob {p:?} ignored: {e}", r.name),
                        )),
                    }
                }
                // An unbuildable set matches nothing: an empty set does exactly that.
                Some(b.build().unwrap_or_else(|_| GlobSet::empty()))
            })
            .collect();
        CompiledPolicy { policy, globs: std::sync::Arc::new(globs), diagnostics }
    }

    /// The first rule matching `node`, or the default level.
    pub fn level_of(&self, node: &Node) -> RuleMatch {
        let tags = tags_of(node);
        let full = format!("{}/{}", node.prov.repo, node.prov.path);
        for (i, rule) in self.policy.rules.iter().enumerate() {
            if !rule.kinds.is_empty() && !rule.kinds.contains(&node.kind) {
                continue;
            }
            if !rule.tags.is_empty() && !rule.tags.iter().any(|t| tags.iter().any(|x| x.eq_ignore_ascii_case(t))) {
                continue;
            }
            if let Some(Some(set)) = self.globs.get(i) {
                if node.prov.path.is_empty() || !(set.is_match(&node.prov.path) || set.is_match(&full)) {
                    continue;
                }
            }
            return RuleMatch {
                entity: node.id.clone(),
                rule: Some(i),
                rule_name: rule.name.clone(),
                level: rule.level,
            };
        }
        RuleMatch { entity: node.id.clone(), rule: None, rule_name: "default".into(), level: self.policy.default_level }
    }

    /// Decides the level for a set of touched entities (max over entities;
    /// `default_level` when there are none).
    pub fn decide<'a>(&self, touched: impl IntoIterator<Item = &'a Node>) -> ReviewDecision {
        let matches: Vec<RuleMatch> = touched.into_iter().map(|n| self.level_of(n)).collect();
        let level = matches.iter().map(|m| m.level).max().unwrap_or(self.policy.default_level);
        ReviewDecision { level, matches }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brain_model::{NodeId, Provenance};

    fn node(kind: NodeKind, path: &str) -> Node {
        Node::new(NodeId::new(format!("x:{path}")), kind, "n", Provenance::declared("acme/r", path, None, "t"))
    }

    #[test]
    fn first_match_wins_and_overall_is_max() {
        let p = ReviewPolicy::standard();
        let c = CompiledPolicy::new(&p);
        assert_eq!(c.level_of(&node(NodeKind::File, "README.md")).level, ReviewLevel::Auto);
        assert_eq!(c.level_of(&node(NodeKind::File, "deploy/k8s/app.yaml")).level, ReviewLevel::Owners);
        assert_eq!(c.level_of(&node(NodeKind::Field, "docs/api.md")).rule, Some(0));
        let d = c.decide([&node(NodeKind::File, "README.md"), &node(NodeKind::Symbol, "src/a.rs")]);
        assert_eq!(d.level, ReviewLevel::OneReviewer);
        assert_eq!(d.matches[1].rule_name, "default");
        assert!(ReviewLevel::Auto < ReviewLevel::OneReviewer && ReviewLevel::OneReviewer < ReviewLevel::Owners);
    }

    #[test]
    fn cached_compilation_follows_the_policy_it_is_given() {
        let standard = ReviewPolicy::standard();
        let strict = ReviewPolicy {
            rules: vec![ReviewRule {
                name: "docs".into(),
                paths: vec!["**/*.md".into()],
                level: ReviewLevel::Owners,
                ..Default::default()
            }],
            default_level: ReviewLevel::Auto,
            ..Default::default()
        };
        let readme = node(NodeKind::File, "README.md");
        for _ in 0..2 {
            assert_eq!(CompiledPolicy::cached(&standard).level_of(&readme).level, ReviewLevel::Auto);
            assert_eq!(CompiledPolicy::cached(&strict).level_of(&readme).level, ReviewLevel::Owners);
        }
    }

    #[test]
    fn bad_globs_are_reported_and_match_nothing() {
        let p = ReviewPolicy {
            rules: vec![ReviewRule {
                name: "bad".into(),
                paths: vec!["a/[".into()],
                level: ReviewLevel::Owners,
                ..Default::default()
            }],
            default_level: ReviewLevel::Auto,
            ..Default::default()
        };
        let c = CompiledPolicy::new(&p);
        assert_eq!(c.diagnostics.len(), 1);
        assert_eq!(c.level_of(&node(NodeKind::File, "a/[")).level, ReviewLevel::Auto);
    }

    #[test]
    fn policies_read_from_json() {
        let json = r#"{"rules":[{"name":"protos","paths":["**/*.proto"],"kinds":["DataType","ci-job"],"level":"owners"}],
                       "default_level":"auto"}"#;
        let p: ReviewPolicy = serde_json::from_str(json).expect("valid policy");
        assert_eq!(p.rules[0].kinds, vec![NodeKind::DataType, NodeKind::CiJob]);
        assert_eq!(p.rules[0].level, ReviewLevel::Owners);
        assert_eq!(p.default_level, ReviewLevel::Auto);
        assert!(serde_json::from_str::<ReviewPolicy>(r#"{"rules":[{"name":"x","kinds":["nope"],"level":"auto"}]}"#)
            .is_err());
    }

    #[test]
    fn tags_restrict_rules() {
        let p = ReviewPolicy {
            rules: vec![ReviewRule {
                name: "pii".into(),
                tags: vec!["PII".into()],
                level: ReviewLevel::Owners,
                ..Default::default()
            }],
            default_level: ReviewLevel::Auto,
            ..Default::default()
        };
        let c = CompiledPolicy::new(&p);
        assert_eq!(c.level_of(&node(NodeKind::Field, "a.yaml")).level, ReviewLevel::Auto);
        let tagged = node(NodeKind::Field, "a.yaml").with_attr("tags", "billing, pii");
        assert_eq!(c.level_of(&tagged).level, ReviewLevel::Owners);
    }
}
