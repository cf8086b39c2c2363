//! Tool arguments as clients really send them. A form-based client (the
//! official MCP Inspector) sends what it cannot type from the schema as text:
//! `"5"` for a number, `"[\"a\"]"` or `"a, b"` for a list. These readers take
//! the typed value or its text, `null` or `""` as absent, and refuse anything
//! else with a message naming the field's expected form. The schemas given to
//! clients are single types (`integer`, `number`, `array` of strings), never a
//! union with `null`, so that such clients draw the right input.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `5`, `"5"` -> 5; `null`, `""` -> absent.
pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    opt_unsigned(d)?.map(|n| u32::try_from(n).map_err(|_| D::Error::custom(format!("{n} is too large")))).transpose()
}

/// `5`, `"5"` -> 5; `null`, `""` -> absent.
pub fn opt_usize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    opt_unsigned(d)?.map(|n| usize::try_from(n).map_err(|_| D::Error::custom(format!("{n} is too large")))).transpose()
}

fn opt_unsigned<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let bad = |v: &dyn std::fmt::Display| D::Error::custom(format!("expected a whole number such as 5, got {v}"));
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => Ok(Some(u)),
            // 5.0 from a client that only has floats.
            (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 && f <= u32::MAX as f64 => Ok(Some(f as u64)),
            _ => Err(bad(&n)),
        },
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse::<u64>().map(Some).map_err(|_| bad(&format!("'{s}'"))),
        other => Err(bad(&other)),
    }
}

/// `0.3`, `"0.3"` -> 0.3; `null`, `""` -> absent.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let bad = |v: &dyn std::fmt::Display| D::Error::custom(format!("expected a number such as 0.3, got {v}"));
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_f64().map(Some).ok_or_else(|| bad(&n)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Some(f)),
            _ => Err(bad(&format!("'{s}'"))),
        },
        other => Err(bad(&other)),
    }
}

/// `["a", "b"]`, `"[\"a\", \"b\"]"`, `"a, b"`, `"a"` -> the list; `null`, `""` -> absent.
pub fn opt_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    list_of(Value::deserialize(d)?).map_err(D::Error::custom)
}

/// A required list, read like [`opt_list`] (absent or empty is an empty list).
pub fn list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(list_of(Value::deserialize(d)?).map_err(D::Error::custom)?.unwrap_or_default())
}

fn list_of(v: Value) -> Result<Option<Vec<String>>, String> {
    let item = |v: Value| match v {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("expected a list of strings such as [\"a\", \"b\"], got an item {other}")),
    };
    match v {
        Value::Null => Ok(None),
        Value::Array(items) => items.into_iter().map(item).collect::<Result<_, _>>().map(Some),
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            if t.starts_with('[') {
                return match serde_json::from_str::<Value>(t) {
                    Ok(Value::Array(items)) => items.into_iter().map(item).collect::<Result<_, _>>().map(Some),
                    _ => Err(format!(
                        "expected a list such as [\"a\", \"b\"] or a, b; the text '{t}' is not a JSON list"
                    )),
                };
            }
            Ok(Some(t.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()))
        }
        other => Err(format!("expected a list of strings such as [\"a\", \"b\"], got {other}")),
    }
}
