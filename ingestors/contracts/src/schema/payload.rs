//! Payload compatibility rules shared by the AsyncAPI and JSON Schema diffs.
//!
//! A schema change is named with a `payload-*` rule id (this crate's own;
//! the list with the compatibility each one breaks is in RULES.md) and
//! graded against the compatibility the payload needs (see
//! [`Compatibility`]): a change that breaks the needed compatibility is
//! [`Level::Breaking`], one that breaks only the other direction is
//! [`Level::Warning`] (it bites on replay or rollback), anything else is
//! [`Level::Safe`].

use super::compat::{compat_of, BoundChange, Compat, Finding, What};
use crate::diff::{Change, Level, Location};

/// The compatibility a payload must keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Compatibility {
    /// New readers must read old data: the schema of data the owner *receives*
    /// (its producers upgrade later). The default for standalone JSON Schema,
    /// as in Confluent's schema registry.
    #[default]
    Backward,
    /// Old readers must read new data: the schema of data the owner *sends*
    /// (its consumers upgrade later).
    Forward,
    /// Both.
    Full,
}

impl Compatibility {
    /// Grades a change by what it breaks.
    pub fn level(self, c: Compat) -> Level {
        let (needed, other) = match self {
            Compatibility::Backward => (c.breaks_backward, c.breaks_forward),
            Compatibility::Forward => (c.breaks_forward, c.breaks_backward),
            Compatibility::Full => (c.breaks_backward || c.breaks_forward, false),
        };
        if needed {
            Level::Breaking
        } else if other {
            Level::Warning
        } else {
            Level::Safe
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Compatibility::Backward => "backward",
            Compatibility::Forward => "forward",
            Compatibility::Full => "full",
        }
    }
}

/// The `payload-*` rule id and a description of one finding.
pub fn payload_rule(f: &Finding) -> (String, String) {
    let root = f.at.is_empty();
    let (rule, desc): (String, String) = match &f.what {
        What::PropertyRemoved { required: true, .. } => {
            ("payload-required-property-removed".into(), "required property removed".into())
        }
        What::PropertyRemoved { .. } => ("payload-property-removed".into(), "optional property removed".into()),
        What::PropertyAdded { required: true, .. } => {
            ("payload-required-property-added".into(), "required property added".into())
        }
        What::PropertyAdded { .. } => ("payload-property-added".into(), "optional property added".into()),
        What::BecameRequired { .. } => ("payload-property-became-required".into(), "became required".into()),
        What::BecameOptional { .. } => ("payload-property-became-optional".into(), "became optional".into()),
        What::TypeChanged { old, new, widened, narrowed } => {
            let kind = if *widened {
                "widened"
            } else if *narrowed {
                "narrowed"
            } else {
                "changed"
            };
            let subject = if root { "payload" } else { "payload-property" };
            (format!("{subject}-type-{kind}"), format!("type changed from '{old}' to '{new}'"))
        }
        What::EnumValueRemoved(v) => ("payload-enum-value-removed".into(), format!("enum value '{v}' removed")),
        What::EnumValueAdded(v) => ("payload-enum-value-added".into(), format!("enum value '{v}' added")),
        What::BecameEnum => ("payload-became-enum".into(), "became an enum".into()),
        What::BecameNullable => ("payload-became-nullable".into(), "became nullable".into()),
        What::BecameNotNullable => ("payload-became-not-nullable".into(), "became not nullable".into()),
        What::Bound { bound, change, old, new } => {
            let c = match change {
                BoundChange::Set => "set",
                BoundChange::Unset => "unset",
                BoundChange::Increased => "increased",
                BoundChange::Decreased => "decreased",
            };
            let fmt = |v: &Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "none".into());
            (format!("payload-{}-{c}", bound.slug()), format!("{} {c} from {} to {}", bound.slug(), fmt(old), fmt(new)))
        }
        What::PatternAdded(p) => ("payload-pattern-added".into(), format!("pattern '{p}' added")),
        What::PatternRemoved => ("payload-pattern-removed".into(), "pattern removed".into()),
        What::PatternChanged { old, new } => {
            ("payload-pattern-changed".into(), format!("pattern changed from '{old}' to '{new}'"))
        }
        What::OneOfAdded(v) => ("payload-one-of-added".into(), format!("oneOf variant '{v}' added")),
        What::OneOfRemoved(v) => ("payload-one-of-removed".into(), format!("oneOf variant '{v}' removed")),
        What::AnyOfAdded(v) => ("payload-any-of-added".into(), format!("anyOf variant '{v}' added")),
        What::AnyOfRemoved(v) => ("payload-any-of-removed".into(), format!("anyOf variant '{v}' removed")),
        What::AdditionalPropertiesClosed => {
            ("payload-additional-properties-closed".into(), "additional properties no longer allowed".into())
        }
        What::AdditionalPropertiesOpened => {
            ("payload-additional-properties-opened".into(), "additional properties now allowed".into())
        }
        What::DefaultChanged { old, new } => (
            "payload-default-changed".into(),
            format!("default changed ({} → {})", old.as_deref().unwrap_or("none"), new.as_deref().unwrap_or("none")),
        ),
        // Not graded for payloads yet: kept out by `payload_changes`.
        What::AccessChanged { .. } | What::Keyword { .. } => ("payload-other".into(), String::new()),
        What::ConstChanged { old, new } => (
            "payload-const-changed".into(),
            format!("const changed ({} → {})", old.as_deref().unwrap_or("none"), new.as_deref().unwrap_or("none")),
        ),
    };
    (rule, desc)
}

/// Turns findings into changes graded for `mode`; `what` names the payload
/// in messages, `ptrs` are the logical pointers of the compared roots.
pub fn payload_changes(
    findings: Vec<Finding>,
    mode: Compatibility,
    what: &str,
    paths: (&str, &str),
    ptrs: (&str, &str),
) -> Vec<Change> {
    findings
        .into_iter()
        .filter(|f| !matches!(f.what, What::AccessChanged { .. } | What::Keyword { .. }))
        .map(|f| {
            let (rule, desc) = payload_rule(&f);
            let compat = compat_of(&f.what);
            let suffix = if f.at.is_empty() { String::new() } else { format!(".{}", f.at) };
            let place = if f.at.is_empty() { what.to_string() } else { format!("{what}, property '{}'", f.at) };
            Change {
                rule,
                level: mode.level(compat),
                message: format!("{place}: {desc} ({}; {} compatibility required)", compat.label(), mode.as_str()),
                old: Some(Location {
                    path: paths.0.to_string(),
                    line: f.old_line,
                    pointer: format!("{}{suffix}", ptrs.0),
                }),
                new: Some(Location {
                    path: paths.1.to_string(),
                    line: f.new_line,
                    pointer: format!("{}{suffix}", ptrs.1),
                }),
            }
        })
        .collect()
}
