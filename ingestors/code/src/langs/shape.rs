//! Emitting data shapes (DataType + Field nodes) and the naming conventions
//! serialisers apply (serde `rename_all`, pydantic alias generators, Jackson
//! naming strategies, ASP.NET's camelCase default).

use crate::ctx::Ctx;
use brain_model::attr::{self, ns};
use brain_model::{Edge, EdgeKind, NodeId, NodeKind, Span};

/// Attribute: the naming convention applied to a shape's wire names.
pub const CONVENTION: &str = "convention";
/// Attribute: the serialiser or framework that defines the shape (`serde`, `pydantic`, ...).
pub const SERIALIZER: &str = "serializer";

/// A field of a shape.
pub struct FieldSpec {
    pub name: String,
    pub wire: String,
    pub ty: String,
    pub required: bool,
    pub nullable: bool,
    pub span: Span,
}

/// A shape to emit.
pub struct ShapeSpec {
    pub name: String,
    pub span: Span,
    pub serializer: &'static str,
    pub convention: String,
    pub fields: Vec<FieldSpec>,
}

/// Emits the DataType, its Fields, `HasField` and `Contains` edges and the type provide.
pub fn emit(ctx: &mut Ctx, s: ShapeSpec) {
    let id = NodeId::data_type(ctx.repo, ctx.path, &s.name);
    if ctx.facts.nodes.iter().any(|n| n.id == id) {
        return;
    }
    let node = ctx
        .new_node(id.clone(), NodeKind::DataType, &s.name, s.span)
        .with_attr(SERIALIZER, s.serializer)
        .with_attr(CONVENTION, &s.convention);
    ctx.add_node(node);
    ctx.contains_from_file(&id, s.span);
    ctx.facts.provide(&id, ns::TYPE, s.name.clone());
    for f in s.fields {
        let fid = NodeId::field(ctx.repo, ctx.path, &s.name, &f.name);
        let mut node = ctx
            .new_node(fid.clone(), NodeKind::Field, &f.name, f.span)
            .with_attr(attr::WIRE_NAME, &f.wire)
            .with_attr(attr::TYPE, crate::ctx::clip(&f.ty, 120))
            .with_attr(attr::REQUIRED, if f.required { "true" } else { "false" });
        if f.nullable {
            node = node.with_attr(attr::NULLABLE, "true");
        }
        ctx.add_node(node);
        let prov = ctx.declared(f.span);
        ctx.facts.edge(Edge::new(id.clone(), EdgeKind::HasField, fid, prov));
    }
}

fn words(name: &str) -> Vec<String> {
    brain_model::text::split_words(name)
}

fn cap(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Applies a naming convention given by its serde name (`camelCase`, `snake_case`,
/// `kebab-case`, `SCREAMING_SNAKE_CASE`, `PascalCase`, `lowercase`, `UPPERCASE`,
/// `SCREAMING-KEBAB-CASE`) or a generator name (`to_camel`, `to_pascal`, `to_snake`).
/// Unknown conventions leave the name as it is.
pub fn apply_case(name: &str, convention: &str) -> String {
    let w = words(name);
    if w.is_empty() {
        return name.to_string();
    }
    match convention {
        "camelCase" | "to_camel" | "camel" | "LOWER_CAMEL_CASE" | "LowerCamelCaseStrategy" => {
            let mut s = w[0].clone();
            for x in &w[1..] {
                s.push_str(&cap(x));
            }
            s
        }
        "PascalCase" | "to_pascal" | "UPPER_CAMEL_CASE" | "UpperCamelCaseStrategy" => {
            w.iter().map(|x| cap(x)).collect()
        }
        "snake_case" | "to_snake" | "SNAKE_CASE" | "SnakeCaseStrategy" => w.join("_"),
        "kebab-case" | "KEBAB_CASE" | "KebabCaseStrategy" => w.join("-"),
        "SCREAMING_SNAKE_CASE" | "UPPER_SNAKE_CASE" | "UpperSnakeCaseStrategy" => w.join("_").to_uppercase(),
        "SCREAMING-KEBAB-CASE" => w.join("-").to_uppercase(),
        // serde's `lowercase`/`UPPERCASE` act on the Rust name as written (snake_case fields).
        "lowercase" | "LOWER_CASE" | "LowerCaseStrategy" => name.to_lowercase(),
        "UPPERCASE" => name.to_uppercase(),
        "LOWER_DOT_CASE" | "LowerDotCaseStrategy" => w.join("."),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::apply_case;

    #[test]
    fn conventions() {
        assert_eq!(apply_case("order_id", "camelCase"), "orderId");
        assert_eq!(apply_case("order_id", "PascalCase"), "OrderId");
        assert_eq!(apply_case("order_id", "kebab-case"), "order-id");
        assert_eq!(apply_case("order_id", "SCREAMING_SNAKE_CASE"), "ORDER_ID");
        assert_eq!(apply_case("order_id", "SCREAMING-KEBAB-CASE"), "ORDER-ID");
        assert_eq!(apply_case("order_id", "lowercase"), "order_id");
        assert_eq!(apply_case("orderId", "SnakeCaseStrategy"), "order_id");
        assert_eq!(apply_case("ProductId", "camelCase"), "productId");
        assert_eq!(apply_case("created_at", "to_camel"), "createdAt");
        assert_eq!(apply_case("x", "unknown"), "x");
    }
}
