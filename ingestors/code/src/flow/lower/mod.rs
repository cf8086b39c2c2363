//! Lowering: each language's syntax into the flow IR ([`super::ir`]).
//!
//! A lowerer keeps only what moves values (bindings, calls, member and index
//! access, literals, lambdas, loops, returns); any construct it does not know
//! becomes [`ExprKind::Other`] over its children, so the calls and reads
//! inside it are still seen.

mod cpp;
mod csharp;
mod go;
mod java;
mod js;
mod jvm_types;
mod kotlin;
mod php;
mod python;
mod ruby;
mod rust;

use super::ir::{Expr, ExprKind, FileIr, TypeExpr};
use crate::ctx::Ctx;
use crate::lang::Lang;
use crate::langs::Nodes;
use tree_sitter::Node as TsNode;

/// Deepest expression nesting a lowerer follows; deeper syntax (a generated chain of
/// thousands of `+`) is opaque, so the lowerers' recursion stays bounded.
pub(crate) const MAX_NESTING: usize = 96;

/// Lowers a whole file; `None` for languages without a lowerer yet.
pub fn lower<'t>(ctx: &Ctx, nodes: &Nodes<'t>) -> Option<FileIr<'t>> {
    match ctx.lang {
        Lang::Go => Some(go::lower(ctx, nodes.root)),
        Lang::Java => Some(java::lower(ctx, nodes.root)),
        Lang::Kotlin => Some(kotlin::lower(ctx, nodes.root)),
        Lang::CSharp => Some(csharp::lower(ctx, nodes.root)),
        Lang::Rust => Some(rust::lower(ctx, nodes.root)),
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript => Some(js::lower(ctx, nodes.root)),
        Lang::Python => Some(python::lower(ctx, nodes.root)),
        Lang::Php => Some(php::lower(ctx, nodes.root)),
        Lang::Ruby => Some(ruby::lower(ctx, nodes.root)),
        Lang::Cpp => Some(cpp::lower(ctx, nodes.root)),
    }
}

/// Named children of a node.
pub(crate) fn kids<'t>(n: TsNode<'t>) -> Vec<TsNode<'t>> {
    let mut c = n.walk();
    n.named_children(&mut c).filter(|k| !matches!(k.kind(), "comment" | "line_comment" | "block_comment")).collect()
}

/// The fallback for an expression a lowerer does not model: its named children, each lowered.
pub(crate) fn other<'t>(n: TsNode<'t>, mut lower: impl FnMut(TsNode<'t>) -> Expr<'t>) -> Expr<'t> {
    let xs: Vec<Expr<'t>> = kids(n).into_iter().map(&mut lower).collect();
    Expr::new(ExprKind::Other(xs), n)
}

/// The text of a node.
pub(crate) fn text<'a>(ctx: &Ctx<'a>, n: TsNode) -> &'a str {
    ctx.text(n)
}

/// Strips quotes from a literal key (`"order_id"`, `'x'`, `:sym`).
pub(crate) fn unquote(s: &str) -> String {
    s.trim().trim_start_matches(':').trim_matches(['"', '\'', '`']).to_string()
}

/// Deepest type nesting [`type_from_text`] follows.
const MAX_TYPE_DEPTH: usize = 8;

/// A type as written in TypeScript or Python annotations, parsed from its text:
/// `pb.Product`, `Promise<Order[]>`, `Array<Order>`, `Order | undefined`,
/// `List[Order]`, `Optional["Order"]`, `list[demo_pb2.Product]`, `Order | None`.
/// Object, function and tuple types are opaque (`object`).
pub(crate) fn type_from_text(s: &str) -> TypeExpr {
    type_text(s, 0)
}

fn type_text(s: &str, depth: usize) -> TypeExpr {
    let opaque = || TypeExpr::named("", "object");
    let s = s.trim().trim_start_matches(':').trim();
    let s = s.strip_prefix("readonly ").unwrap_or(s).trim();
    if depth > MAX_TYPE_DEPTH || s.is_empty() {
        return opaque();
    }
    if (s.starts_with('"') && s.ends_with('"') || s.starts_with('\'') && s.ends_with('\'')) && s.len() >= 2 {
        return type_text(&s[1..s.len() - 1], depth + 1);
    }
    // A union: the first member that is not null-ish.
    let members = split_top(s, '|');
    if members.len() > 1 {
        return members
            .iter()
            .map(|m| m.trim())
            .find(|m| !matches!(*m, "null" | "undefined" | "None" | "void" | ""))
            .map(|m| type_text(m, depth + 1))
            .unwrap_or_else(opaque);
    }
    if let Some(inner) = s.strip_suffix("[]") {
        let el = type_text(inner, depth + 1);
        return list_of(el);
    }
    if s.starts_with(['{', '(', '[']) || s.contains("=>") || s.starts_with("typeof ") || s.starts_with("keyof ") {
        return opaque();
    }
    let (head, args) = match s.find(['<', '[']) {
        Some(i) if s.ends_with(['>', ']']) => (&s[..i], split_top(&s[i + 1..s.len() - 1], ',')),
        Some(_) => return opaque(),
        None => (s, Vec::new()),
    };
    let head = head.trim();
    if head.is_empty() || !head.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') {
        return opaque();
    }
    let (qual, name) = match head.rsplit_once('.') {
        Some((q, n)) => (q, n),
        None => ("", head),
    };
    let args: Vec<TypeExpr> = args.iter().map(|a| type_text(a, depth + 1)).collect();
    match name {
        "Optional" | "Annotated" | "Required" | "NotRequired" | "Final" | "ClassVar" | "Readonly" | "Partial"
        | "Awaited" | "NonNullable" | "DeepPartial" => args.into_iter().next().unwrap_or_else(opaque),
        "Union" => args.into_iter().find(|a| a.name != "None").unwrap_or_else(opaque),
        "List" | "list" | "Array" | "ReadonlyArray" | "Sequence" | "Iterable" | "Iterator" | "AsyncIterator"
        | "AsyncIterable" | "Set" | "set" | "FrozenSet" | "frozenset" | "Collection" | "Generator"
        | "AsyncGenerator" | "tuple" | "Tuple" => list_of(args.into_iter().next().unwrap_or_else(opaque)),
        "Dict" | "dict" | "Mapping" | "Record" | "MutableMapping" | "DefaultDict" | "OrderedDict" => {
            TypeExpr::named("", "Map")
        }
        _ => TypeExpr { name: name.to_string(), qual: qual.to_string(), args, list: false },
    }
}

/// A collection of `el`, in the shape the Go lowerer gives `[]T`.
fn list_of(el: TypeExpr) -> TypeExpr {
    TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true }
}

/// Splits at `sep` outside brackets and quotes.
fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut quote) = (0i32, 0usize, None::<char>);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<' | '[' | '(' | '{') => depth += 1,
            (None, '>' | ']' | ')' | '}') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_from_text() {
        let t = type_from_text("Promise<Order[]>");
        assert_eq!((t.name.as_str(), t.args.len()), ("Promise", 1));
        assert!(t.args[0].list && t.args[0].element().name == "Order");
        let t = type_from_text("Optional[demo_pb2.Product]");
        assert_eq!((t.qual.as_str(), t.name.as_str()), ("demo_pb2", "Product"));
        let t = type_from_text("List['Order']");
        assert!(t.list && t.element().name == "Order");
        assert_eq!(type_from_text("Order | None").name, "Order");
        assert_eq!(type_from_text("undefined | pb.Cart").qual, "pb");
        assert!(type_from_text("{ a: string }").is_opaque() || type_from_text("{ a: string }").name == "object");
        assert_eq!(type_from_text("Dict[str, Any]").name, "Map");
        assert_eq!(type_from_text("(a: X) => void").name, "object");
    }
}
