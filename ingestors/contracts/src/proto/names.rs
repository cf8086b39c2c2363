//! Names that protobuf code generators give a field, so that code reading
//! `order.GetProductId()` or `order.productId` can be matched to the proto
//! field `product_id`.
//!
//! Each function follows the generator's documented or implemented rule:
//! - JSON: protoc `ToJsonName` (drop `_`, upper-case the next character).
//! - Go: protoc-gen-go `GoCamelCase`.
//! - Java: protoc `UnderscoresToCamelCase` (digits end a word), with the
//!   `get` prefix and the `List`/`Map` suffixes of repeated and map accessors.
//! - C#: protoc's C# `UnderscoresToPascalCase` (same word rule as Java).
//! - Python: the field name unchanged.
//! - JavaScript / TypeScript (protobuf.js, ts-proto): lowerCamelCase as in JSON.

/// protoc's default JSON name: `product_id` → `productId`, `foo_bar_2` → `fooBar2`.
pub fn json_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper_next = false;
    for c in field.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// protoc-gen-go's `GoCamelCase`: `product_id` → `ProductId`, `foo_bar_2` → `FooBar_2`,
/// `_foo` → `XFoo`, `a.b_c` → `ABC`.
pub fn go_name(field: &str) -> String {
    let s = field.as_bytes();
    let mut b: Vec<u8> = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let next_lower = s.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if c == b'.' && next_lower {
            // Skip over '.' in ".{{lowercase}}".
        } else if c == b'.' {
            b.push(b'_');
        } else if c == b'_' && (i == 0 || s[i - 1] == b'.') {
            b.push(b'X');
        } else if c == b'_' && next_lower {
            // Skip over '_' in "_{{lowercase}}".
        } else if c.is_ascii_digit() {
            b.push(c);
        } else {
            b.push(c.to_ascii_uppercase());
            while i + 1 < s.len() && s[i + 1].is_ascii_lowercase() {
                b.push(s[i + 1]);
                i += 1;
            }
        }
        i += 1;
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// protoc's `UnderscoresToCamelCase(name, cap_first)` used by the Java and C#
/// generators: letters after `_` or a digit are upper-cased, `_` dropped.
pub fn underscores_to_camel(field: &str, cap_first: bool) -> String {
    let mut out = String::with_capacity(field.len());
    let mut cap_next = cap_first;
    for (i, c) in field.chars().enumerate() {
        if c.is_ascii_lowercase() {
            if cap_next {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            cap_next = false;
        } else if c.is_ascii_uppercase() {
            if i == 0 && !cap_first {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
            cap_next = false;
        } else if c.is_ascii_digit() {
            out.push(c);
            cap_next = true;
        } else {
            cap_next = true;
        }
    }
    out
}

/// How a field repeats, which changes Java accessor names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cardinality {
    Singular,
    Repeated,
    Map,
}

/// The Java getter: `getProductId`, `getTagsList` (repeated), `getLabelsMap` (map).
pub fn java_getter(field: &str, card: Cardinality) -> String {
    let base = underscores_to_camel(field, true);
    match card {
        Cardinality::Singular => format!("get{base}"),
        Cardinality::Repeated => format!("get{base}List"),
        Cardinality::Map => format!("get{base}Map"),
    }
}

/// The C# property: `ProductId`; a property that would equal its message's
/// name gets a trailing `_` (as protoc's C# generator does).
pub fn csharp_name(field: &str, message: &str) -> String {
    let name = underscores_to_camel(field, true);
    if name == message {
        format!("{name}_")
    } else {
        name
    }
}

/// The Python attribute: the field name as written.
pub fn python_name(field: &str) -> String {
    field.to_string()
}

/// The JavaScript/TypeScript property (protobuf.js, ts-proto): lowerCamelCase.
pub fn js_name(field: &str) -> String {
    json_name(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_follows_protoc_gen_go() {
        assert_eq!(go_name("product_id"), "ProductId");
        assert_eq!(go_name("foo_bar_2"), "FooBar_2");
        assert_eq!(go_name("foo_bar2"), "FooBar2");
        assert_eq!(go_name("_foo"), "XFoo");
        assert_eq!(go_name("fooBar"), "FooBar");
        assert_eq!(go_name("FOO_BAR"), "FOO_BAR");
        assert_eq!(go_name("url_1a"), "Url_1A");
        assert_eq!(go_name("x"), "X");
    }

    #[test]
    fn java_and_csharp_follow_protoc() {
        assert_eq!(java_getter("product_id", Cardinality::Singular), "getProductId");
        assert_eq!(java_getter("foo_bar_2", Cardinality::Singular), "getFooBar2");
        assert_eq!(java_getter("foo2bar", Cardinality::Singular), "getFoo2Bar");
        assert_eq!(java_getter("tags", Cardinality::Repeated), "getTagsList");
        assert_eq!(java_getter("labels", Cardinality::Map), "getLabelsMap");
        assert_eq!(csharp_name("product_id", "Order"), "ProductId");
        assert_eq!(csharp_name("order", "Order"), "Order_");
    }

    #[test]
    fn json_python_js() {
        assert_eq!(json_name("product_id"), "productId");
        assert_eq!(json_name("foo_bar_2"), "fooBar2");
        assert_eq!(json_name("already_camelCase"), "alreadyCamelCase");
        assert_eq!(python_name("product_id"), "product_id");
        assert_eq!(js_name("created_at"), "createdAt");
    }
}
