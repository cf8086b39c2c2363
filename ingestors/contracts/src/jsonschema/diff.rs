//! Compatibility diff between two versions of a JSON Schema document.
//!
//! The root schemas are compared with [`crate::schema::compat`]; each
//! finding gets a `payload-*` rule id and is graded for the requested
//! [`Compatibility`] (default *backward*, as in Confluent's schema
//! registry). A definition (`definitions` / `$defs` entry) that disappears
//! is `schema-definition-removed` (a warning: other files may `$ref` it).

use crate::diff::{Change, Level, Location};
use crate::openapi::diff::{parse_pair, DiffError};
use crate::schema::compat;
use crate::schema::payload::{payload_changes, Compatibility};

/// Compares two versions of a JSON Schema under backward compatibility.
pub fn diff_jsonschema(old: &str, new: &str, old_path: &str, new_path: &str) -> Result<Vec<Change>, DiffError> {
    diff_jsonschema_with(old, new, old_path, new_path, Compatibility::Backward)
}

/// Compares two versions of a JSON Schema, grading changes for `mode`.
pub fn diff_jsonschema_with(
    old: &str,
    new: &str,
    old_path: &str,
    new_path: &str,
    mode: Compatibility,
) -> Result<Vec<Change>, DiffError> {
    let (o, n) = parse_pair(old, new, old_path, new_path)?;
    if !o.is_map() {
        return Err(DiffError::WrongFormat { path: old_path.into(), expected: "a JSON Schema" });
    }
    if !n.is_map() {
        return Err(DiffError::WrongFormat { path: new_path.into(), expected: "a JSON Schema" });
    }
    let findings = compat::compare(&o, &o, &n, &n);
    let mut out = payload_changes(findings, mode, "schema", (old_path, new_path), ("#", "#"));
    for key in ["definitions", "$defs"] {
        let Some(od) = o.get(key) else { continue };
        let nd = n.get(key);
        for (name, line, _) in od.entries() {
            if nd.and_then(|d| d.get(name)).is_none() {
                out.push(Change {
                    rule: "schema-definition-removed".into(),
                    level: Level::Warning,
                    message: format!("definition '{name}' removed from {key}"),
                    old: Some(Location {
                        path: old_path.into(),
                        line: Some(*line),
                        pointer: format!("#/{key}/{name}"),
                    }),
                    new: None,
                });
            }
        }
    }
    Ok(out)
}
