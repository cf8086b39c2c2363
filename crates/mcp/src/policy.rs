//! The review policy of `brain.toml` (`[[policy.rules]]`) turned into the
//! query engine's [`ReviewPolicy`]. No rules configured means the engine's
//! standard policy; a rule with an unknown level or kind is kept as far as
//! it can be read and reported as a warning, never a failure.

use brain_ingest::PolicyRuleConfig;
use brain_model::NodeKind;
use brain_query::{ReviewLevel, ReviewPolicy, ReviewRule};

/// Converts configured rules, in order (first match wins). Returns the policy
/// and human-readable warnings about parts of rules that were not understood.
pub fn review_policy(rules: &[PolicyRuleConfig]) -> (ReviewPolicy, Vec<String>) {
    if rules.is_empty() {
        return (ReviewPolicy::standard(), Vec::new());
    }
    let mut warnings = Vec::new();
    let mut out = Vec::with_capacity(rules.len());
    for (k, r) in rules.iter().enumerate() {
        let n = k + 1;
        let Some(level) = ReviewLevel::parse(&r.level) else {
            warnings.push(format!(
                "policy rule {n}: unknown level '{}' (use auto, one-reviewer or owners); rule ignored",
                r.level
            ));
            continue;
        };
        let mut kinds = Vec::new();
        for k in &r.kinds {
            match NodeKind::parse(k) {
                Some(kind) => kinds.push(kind),
                None => warnings.push(format!("policy rule {n}: unknown kind '{k}' ignored")),
            }
        }
        if !r.kinds.is_empty() && kinds.is_empty() {
            // Every kind was unknown: an empty list would match everything.
            warnings.push(format!("policy rule {n}: no known kind left; rule ignored"));
            continue;
        }
        let name = r.reason.clone().unwrap_or_else(|| default_name(n, r, level));
        out.push(ReviewRule { name, paths: r.paths.clone(), kinds, tags: r.tags.clone(), level });
    }
    (ReviewPolicy { rules: out, default_level: ReviewLevel::OneReviewer }, warnings)
}

fn default_name(n: usize, r: &PolicyRuleConfig, level: ReviewLevel) -> String {
    let mut parts = Vec::new();
    if !r.paths.is_empty() {
        parts.push(format!("paths {}", r.paths.join(", ")));
    }
    if !r.kinds.is_empty() {
        parts.push(format!("kinds {}", r.kinds.join(", ")));
    }
    if !r.tags.is_empty() {
        parts.push(format!("tags {}", r.tags.join(", ")));
    }
    if parts.is_empty() {
        format!("policy rule {n}: {}", level.as_str())
    } else {
        format!("policy rule {n} ({}): {}", parts.join("; "), level.as_str())
    }
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
    fn rules_keep_order_and_bad_parts_are_reported() {
        let (p, w) = review_policy(&[
            rule(&["**/*.md"], &[], "auto"),
            rule(&[], &["operation", "widget"], "one-reviewer"),
            rule(&[], &["widget"], "owners"),
            rule(&["x/**"], &[], "everyone"),
        ]);
        assert_eq!(p.rules.len(), 2);
        assert_eq!(p.rules[0].level, ReviewLevel::Auto);
        assert_eq!(p.rules[0].name, "policy rule 1 (paths **/*.md): auto");
        assert_eq!(p.rules[1].kinds, vec![NodeKind::Operation]);
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w[0].contains("'widget'"));
        assert!(w[3].contains("'everyone'"));
    }
}
