//! Coarse wire categories of declared types, for type-drift checks.
//!
//! Types are written in many notations (`string/date-time`, `integer/int64`,
//! `Option<i64>`, `str | None`, `number`, `*int32`, `[Product!]!`). Each is
//! reduced to a [`Category`]; only categories that cannot hold each other's
//! values are drift. Named types (`OrderStatus`, `LineItem`) are `Other` and
//! never compared, so an enum or nested object never cries wolf.

/// What a value looks like on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Str,
    Int,
    /// A number that may have a fraction (`float`, `double`, `f64`, `decimal`).
    Num,
    /// `number`: TypeScript's only numeric type, JSON Schema's integer-or-fraction. It holds
    /// integers, so an integer consumer of a `number` producer is not a drift.
    AnyNum,
    Bool,
    Array,
    /// A timestamp (a string on the wire in JSON).
    Time,
    /// A JSON object with no name of its own (`type: object`, a nested literal `{code, seats}`).
    Object,
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Str => "string",
            Category::Int => "integer",
            Category::Num | Category::AnyNum => "number",
            Category::Bool => "boolean",
            Category::Array => "array",
            Category::Time => "timestamp",
            Category::Object => "object",
            Category::Other => "other",
        }
    }
}

/// The category of a declared type.
pub fn category(ty: &str) -> Category {
    let mut t = ty.trim().trim_end_matches('!').trim().to_string();
    // Unwrap optionality wrappers.
    loop {
        let before = t.clone();
        for (open, close) in [("Option<", ">"), ("Optional<", ">"), ("Optional[", "]"), ("Nullable<", ">")] {
            if t.starts_with(open) && t.ends_with(close) {
                t = t[open.len()..t.len() - close.len()].trim().to_string();
            }
        }
        for suffix in ["| None", "| null", "| undefined", "?"] {
            if let Some(s) = t.strip_suffix(suffix) {
                t = s.trim().to_string();
            }
        }
        for prefix in ["None |", "null |", "undefined |", "*", "&'static ", "&"] {
            if let Some(s) = t.strip_prefix(prefix) {
                t = s.trim().to_string();
            }
        }
        if t == before {
            break;
        }
    }
    let lower = t.to_ascii_lowercase();
    let base = lower.split('/').next().unwrap_or("").trim();
    if lower.contains("date-time") || lower.contains("date_time") {
        return Category::Time;
    }
    if lower.ends_with("[]")
        || lower.starts_with("vec<")
        || lower.starts_with("list[")
        || lower.starts_with("list<")
        || lower.starts_with("array")
        || lower.starts_with("[]")
        || lower.starts_with("repeated ")
        || lower.starts_with("set<")
        || lower.starts_with("sequence[")
        || (lower.starts_with('[') && lower.ends_with(']'))
        || lower == "list"
    {
        return Category::Array;
    }
    match base {
        "string" | "str" | "&str" | "uuid" | "id" | "char" | "text" => Category::Str,
        "integer" | "int" | "int8" | "int16" | "int32" | "int64" | "uint32" | "uint64" | "i8" | "i16" | "i32"
        | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize" | "usize" | "long" | "short"
        | "integer32" | "sint32" | "sint64" | "fixed32" | "fixed64" | "sfixed32" | "sfixed64" | "bigint" => {
            Category::Int
        }
        // `number/double`: a format that says fractions.
        "number" if lower.contains("/float") || lower.contains("/double") => Category::Num,
        "number" => Category::AnyNum,
        "float" | "double" | "f32" | "f64" | "float32" | "float64" | "decimal" => Category::Num,
        "boolean" | "bool" => Category::Bool,
        "object" => Category::Object,
        "datetime"
        | "datetime<utc>"
        | "time.time"
        | "date"
        | "instant"
        | "offsetdatetime"
        | "timestamp"
        | "google.protobuf.timestamp"
        | "timestamppb.timestamp" => Category::Time,
        _ => Category::Other,
    }
}

/// Whether a consumer declaring `consumer` can read a value the producer declares as `producer`.
pub fn compatible(consumer: Category, producer: Category) -> bool {
    use Category::*;
    match (consumer, producer) {
        (Other, _) | (_, Other) => true,
        (a, b) if a == b => true,
        (Num, Int) | (Num, AnyNum) | (AnyNum, Int | Num) | (Int, AnyNum) => true,
        // A timestamp travels as a string; a consumer may keep it as either.
        (Str, Time) | (Time, Str) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notations_reduce_to_categories() {
        assert_eq!(category("string/date-time"), Category::Time);
        assert_eq!(category("integer/int64"), Category::Int);
        assert_eq!(category("Option<i64>"), Category::Int);
        assert_eq!(category("str | None"), Category::Str);
        assert_eq!(category("LineItem[]"), Category::Array);
        assert_eq!(category("[Product!]!"), Category::Array);
        assert_eq!(category("Int!"), Category::Int);
        assert_eq!(category("*int32"), Category::Int);
        assert_eq!(category("OrderStatus"), Category::Other);
        assert!(compatible(Category::Num, Category::Int));
        // A nested object sent where the consumer declares a string does not decode.
        assert!(!compatible(category("string"), category("object")));
        assert!(compatible(category("PlanInfo"), category("object")));
        // `number` (TypeScript, JSON Schema) holds integers; a float does not fit an integer.
        assert!(compatible(category("u32"), category("number")));
        assert!(!compatible(category("u32"), category("float64")));
        assert!(!compatible(Category::Int, Category::Str));
        assert!(compatible(Category::Time, Category::Str));
    }
}
