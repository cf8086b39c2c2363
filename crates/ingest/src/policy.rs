//! The review policy of `brain.toml` (`[[policy.rules]]`) turned into the
//! query engine's [`ReviewPolicy`], one conversion for GraphQL, MCP and the
//! CLI (so every API names the same deciding rule): rules in order, first match
//! wins, a rule without `reason` is named `policy rule N`. No rules means the
//! engine's standard policy; so does a configuration with a rule that cannot
//! be read (unknown level or kind), reported as warnings rather than failing.

use crate::PolicyRuleConfig;
use brain_model::NodeKind;
use brain_query::{ReviewLevel, ReviewPolicy, ReviewRule};

/// Converts configured rules, in order. Returns the policy and what was wrong
/// with the configuration (empty when it was used as written).
pub fn review_policy(rules: &[PolicyRuleConfig]) -> (ReviewPolicy, Vec<String>) {
    if rules.is_empty() {
        return (ReviewPolicy::standard(), Vec::new());
    }
    let mut warnings = Vec::new();
    let mut out = Vec::with_capacity(rules.len());
    for (k, r) in rules.iter().enumerate() {
        let n = k + 1;
        let level = ReviewLevel::parse(&r.level);
        if level.is_none() {
            warnings.push(format!("policy rule {n}: unknown level '{}' (auto, one-reviewer, owners)", r.level));
        }
        let mut kinds = Vec::new();
        for kind in &r.kinds {
            match NodeKind::parse(kind) {
                Some(kind) => kinds.push(kind),
                None => warnings.push(format!("policy rule {n}: unknown kind '{kind}'")),
            }
        }
        if let Some(level) = level {
            let name = r.reason.clone().unwrap_or_else(|| format!("policy rule {n}"));
            out.push(ReviewRule { name, paths: r.paths.clone(), kinds, tags: r.tags.clone(), level });
        }
    }
    if !warnings.is_empty() {
        warnings.push("the review policy in brain.toml is not used; the standard policy applies".into());
        return (ReviewPolicy::standard(), warnings);
    }
    (ReviewPolicy { rules: out, ..ReviewPolicy::standard() }, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(paths: &[&str], kinds: &[&str], level: &str) -> PolicyRuleConfig {
        PolicyRuleConfig {
            paths: paths.iter().map(|s| s.to_string()).collect(),
            kinds: kinds.iter().map(|s| s.to_string()).collect(),
            level: level.into(),
            ..Default::default()
        }
    }

    #[test]
    fn empty_config_is_the_standard_policy() {
        let (p, w) = review_policy(&[]);
        assert_eq!(p, ReviewPolicy::standard());
        assert!(w.is_empty());
    }

    #[test]
    fn rules_keep_their_order_and_names() {
        let mut owners = rule(&["**/billing/**"], &[], "owners");
        owners.reason = Some("billing needs its owners".into());
        let (p, w) =
            review_policy(&[rule(&["**/*.md"], &[], "auto"), owners, rule(&[], &["operation"], "one-reviewer")]);
        assert!(w.is_empty(), "{w:?}");
        let names: Vec<&str> = p.rules.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["policy rule 1", "billing needs its owners", "policy rule 3"]);
        assert_eq!(p.rules[0].level, ReviewLevel::Auto);
        assert_eq!(p.rules[2].kinds, vec![NodeKind::Operation]);
        assert_eq!(p.default_level, ReviewLevel::OneReviewer);
    }

    #[test]
    fn a_bad_rule_falls_back_to_the_standard_policy_with_warnings() {
        let (p, w) = review_policy(&[rule(&[], &["operation", "widget"], "owners"), rule(&["x/**"], &[], "everyone")]);
        assert_eq!(p, ReviewPolicy::standard());
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("unknown kind 'widget'"));
        assert!(w[1].contains("unknown level 'everyone'"));
    }
}
