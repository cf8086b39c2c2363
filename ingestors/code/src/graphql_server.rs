//! GraphQL servers in code: which function resolves which root field.
//!
//! The schema says `Query.launches` exists; the code says who answers it. Each
//! resolver found here is an `Implements` reference to `(graphql, Query.launches)`
//! from the resolver (its symbol, else the file) at the line that names the field:
//!
//! * JavaScript/TypeScript resolver maps (Apollo, graphql-tools, Mercurius):
//!   `{ Query: { launches: .. }, Mutation: { .. } }`, and a map typed or named
//!   after its root (`const Query: QueryResolvers = { .. }`, `export const queryResolvers = { .. }`);
//! * Spring for GraphQL: `@QueryMapping`, `@MutationMapping`, `@SubscriptionMapping`
//!   (the method's name or the annotation's `name`), `@SchemaMapping(typeName = "Query", field = "x")`;
//! * Python: Ariadne `@query.field("launches")` on a `QueryType()`, Strawberry
//!   `@strawberry.type class Query` fields;
//! * Go gqlgen: methods of `queryResolver` / `mutationResolver` (`Launches` answers `launches`).

use crate::ctx::{args_of, last_segment, Ctx};
use crate::lang::Lang;
use crate::langs::{deco_args, deco_name, decorations, Nodes};
use crate::strval;
use brain_model::attr::{self, ns};
use brain_model::{EdgeKind, Reference, Span};
use tree_sitter::Node as TsNode;

const ROOTS: [&str; 3] = ["Query", "Mutation", "Subscription"];

/// Finds resolvers in the file and emits their references.
pub fn resolvers(ctx: &mut Ctx, root: &Nodes<'_>) {
    if ctx.test_file || ctx.generated {
        return;
    }
    let mut found: Vec<(TsNode, String)> = Vec::new();
    match ctx.lang {
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => js_maps(ctx, root, &mut found),
        Lang::Java | Lang::Kotlin => spring(ctx, root, &mut found),
        Lang::Python => python(ctx, root, &mut found),
        Lang::Go => gqlgen(ctx, root, &mut found),
        _ => {}
    }
    for (at, key) in found {
        let from = ctx.owner_of_def(at).unwrap_or_else(|| ctx.owner_of(at));
        let span = Span::line(ctx.span(at).start_line);
        let r = Reference::key(from, EdgeKind::Implements, ns::GRAPHQL, key, ctx.inferred(span, 0.85))
            .with_attr(attr::PROTOCOL, "graphql");
        ctx.add_wire_ref(r);
    }
}

/// The root a name or type annotation stands for (`Query`, `QueryResolvers`, `queryResolvers`).
fn root_of(name: &str) -> Option<&'static str> {
    let n = name.trim();
    ROOTS.iter().copied().find(|r| {
        n == *r
            || n.strip_prefix(r).is_some_and(|rest| rest.starts_with("Resolver"))
            || n.strip_prefix(&r.to_ascii_lowercase()).is_some_and(|rest| rest.starts_with("Resolver"))
    })
}

fn js_maps<'t>(ctx: &Ctx, root: &Nodes<'t>, out: &mut Vec<(TsNode<'t>, String)>) {
    let mut objs: Vec<(TsNode<'t>, &'static str)> = Vec::new();
    root.each(|n, kind| match kind {
        // `{ Query: { launches: .. } }`
        "pair" => {
            let key = n.child_by_field_name("key").map(|k| ctx.text(k).trim_matches(['"', '\'']));
            let val = n.child_by_field_name("value").filter(|v| v.kind() == "object");
            if let (Some(r), Some(v)) = (key.and_then(|k| ROOTS.iter().copied().find(|r| *r == k)), val) {
                objs.push((v, r));
            }
        }
        // `const Query: QueryResolvers = { .. }`, `export const queryResolvers = { .. }`
        "variable_declarator" => {
            let val = n.child_by_field_name("value").filter(|v| v.kind() == "object");
            let name = n.child_by_field_name("name").map(|x| ctx.text(x)).unwrap_or("");
            let ty = n.child_by_field_name("type").map(|t| ctx.text(t).trim_start_matches(':').trim()).unwrap_or("");
            if let Some(v) = val {
                if let Some(r) = root_of(last_segment(ty)).or_else(|| root_of(name)) {
                    objs.push((v, r));
                }
            }
        }
        _ => {}
    });
    for (obj, r) in objs {
        let mut c = obj.walk();
        for p in obj.named_children(&mut c) {
            let key = match p.kind() {
                "pair" => p.child_by_field_name("key"),
                "method_definition" => p.child_by_field_name("name"),
                "shorthand_property_identifier" => Some(p),
                _ => None,
            };
            let Some(k) = key else { continue };
            let field = ctx.text(k).trim_matches(['"', '\'']);
            if field.is_empty() || field.starts_with("__") || !field.chars().all(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            out.push((p, format!("{r}.{field}")));
        }
    }
}

fn spring<'t>(ctx: &Ctx, root: &Nodes<'t>, out: &mut Vec<(TsNode<'t>, String)>) {
    let mut methods = Vec::new();
    root.each(|n, kind| {
        if matches!(kind, "method_declaration" | "function_declaration") {
            methods.push(n);
        }
    });
    for m in methods {
        let Some(name) = m.child_by_field_name("name").map(|x| ctx.text(x).to_string()).or_else(|| {
            let mut c = m.walk();
            let found = m.named_children(&mut c).find(|k| k.kind() == "simple_identifier" || k.kind() == "identifier");
            found.map(|k| ctx.text(k).to_string())
        }) else {
            continue;
        };
        for d in decorations(ctx, m) {
            let dn = deco_name(ctx, d);
            let args = deco_args(d).map(|a| args_of(ctx.src, a));
            let named = |keys: &[&str]| {
                args.as_ref().and_then(|a| {
                    a.named
                        .iter()
                        .find(|(k, _)| keys.contains(&k.as_str()))
                        .and_then(|(_, v)| strval::eval(ctx, *v).and_then(|s| s.exact()))
                })
            };
            let first = || {
                args.as_ref()
                    .and_then(|a| a.positional.first())
                    .and_then(|v| strval::eval(ctx, *v))
                    .and_then(|s| s.exact())
            };
            let key = match dn.as_str() {
                "QueryMapping" | "MutationMapping" | "SubscriptionMapping" => {
                    let r = dn.trim_end_matches("Mapping");
                    let field = named(&["name", "value"]).or_else(first).unwrap_or_else(|| name.clone());
                    Some(format!("{r}.{field}"))
                }
                "SchemaMapping" => named(&["typeName"])
                    .filter(|t| ROOTS.contains(&t.as_str()))
                    .map(|t| format!("{t}.{}", named(&["field", "value"]).unwrap_or_else(|| name.clone()))),
                _ => None,
            };
            if let Some(k) = key {
                out.push((m, k));
            }
        }
    }
}

fn python<'t>(ctx: &Ctx, root: &Nodes<'t>, out: &mut Vec<(TsNode<'t>, String)>) {
    // Ariadne: `query = QueryType()` / `ObjectType("Query")`, then `@query.field("launches")`.
    let mut objects: Vec<(String, &'static str)> = Vec::new();
    root.each(|n, kind| {
        if kind != "assignment" {
            return;
        }
        let (Some(l), Some(r)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else { return };
        let rt = ctx.text(r);
        let root = if rt.starts_with("QueryType(") {
            Some("Query")
        } else if rt.starts_with("MutationType(") {
            Some("Mutation")
        } else if rt.starts_with("SubscriptionType(") {
            Some("Subscription")
        } else {
            ROOTS.iter().copied().find(|x| rt.starts_with("ObjectType(") && rt.contains(&format!("\"{x}\"")))
        };
        if let Some(rt) = root {
            objects.push((ctx.text(l).to_string(), rt));
        }
    });
    let mut defs = Vec::new();
    root.each(|n, kind| {
        if matches!(kind, "function_definition" | "class_definition") {
            defs.push(n);
        }
    });
    for d in defs {
        for deco in decorations(ctx, d) {
            let t = ctx.text(deco).trim_start_matches('@');
            // `@query.field("launches")`
            if let Some((obj, rest)) = t.split_once(".field(") {
                if let Some((_, r)) = objects.iter().find(|(o, _)| o == obj) {
                    if let Some(f) = rest.split('"').nth(1).or_else(|| rest.split('\'').nth(1)) {
                        out.push((d, format!("{r}.{f}")));
                    }
                }
            }
            // Strawberry: `@strawberry.type class Query:` whose methods and annotated fields are root fields.
            if d.kind() == "class_definition" && (t == "strawberry.type" || t.starts_with("strawberry.type(")) {
                let cname = d.child_by_field_name("name").map(|x| ctx.text(x)).unwrap_or("");
                let Some(r) = ROOTS.iter().copied().find(|r| *r == cname) else { continue };
                let Some(body) = d.child_by_field_name("body") else { continue };
                let mut c = body.walk();
                for m in body.named_children(&mut c) {
                    let f = match m.kind() {
                        "function_definition" => m.child_by_field_name("name").map(|x| ctx.text(x)),
                        "decorated_definition" => m
                            .child_by_field_name("definition")
                            .and_then(|x| x.child_by_field_name("name"))
                            .map(|x| ctx.text(x)),
                        "expression_statement" => m
                            .named_child(0)
                            .filter(|a| a.kind() == "assignment")
                            .and_then(|a| a.child_by_field_name("left"))
                            .map(|x| ctx.text(x)),
                        _ => None,
                    };
                    if let Some(f) = f.filter(|f| !f.starts_with('_')) {
                        out.push((m, format!("{r}.{}", camel(f))));
                    }
                }
            }
        }
    }
}

fn gqlgen<'t>(ctx: &Ctx, root: &Nodes<'t>, out: &mut Vec<(TsNode<'t>, String)>) {
    root.each(|n, kind| {
        if kind != "method_declaration" {
            return;
        }
        let Some(recv) = crate::langs::go::receiver_type(ctx, n) else { return };
        let r = match recv.as_str() {
            "queryResolver" => "Query",
            "mutationResolver" => "Mutation",
            "subscriptionResolver" => "Subscription",
            _ => return,
        };
        if let Some(name) = n.child_by_field_name("name").map(|x| ctx.text(x)) {
            let mut ch = name.chars();
            let field: String =
                ch.next().map(|f| f.to_lowercase().collect::<String>() + ch.as_str()).unwrap_or_default();
            out.push((n, format!("{r}.{field}")));
        }
    });
}

/// `snake_case` as Strawberry exposes it (`camelCase`).
fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_by_name_and_type() {
        assert_eq!(root_of("QueryResolvers"), Some("Query"));
        assert_eq!(root_of("mutationResolvers"), Some("Mutation"));
        assert_eq!(root_of("Query"), Some("Query"));
        assert_eq!(root_of("QueryBuilder"), None);
        assert_eq!(camel("launch_sites"), "launchSites");
    }
}
