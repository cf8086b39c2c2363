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
mod jvm_types;
mod kotlin;
mod php;
mod ruby;
mod rust;

use super::ir::{Expr, ExprKind, FileIr};
use crate::ctx::Ctx;
use crate::lang::Lang;
use crate::langs::Nodes;
use tree_sitter::Node as TsNode;

/// Lowers a whole file; `None` for languages without a lowerer yet.
pub fn lower<'t>(ctx: &Ctx, nodes: &Nodes<'t>) -> Option<FileIr<'t>> {
    match ctx.lang {
        Lang::Go => Some(go::lower(ctx, nodes.root)),
        Lang::Java => Some(java::lower(ctx, nodes.root)),
        Lang::Kotlin => Some(kotlin::lower(ctx, nodes.root)),
        Lang::CSharp => Some(csharp::lower(ctx, nodes.root)),
        Lang::Rust => Some(rust::lower(ctx, nodes.root)),
        Lang::Php => Some(php::lower(ctx, nodes.root)),
        Lang::Ruby => Some(ruby::lower(ctx, nodes.root)),
        Lang::Cpp => Some(cpp::lower(ctx, nodes.root)),
        _ => None,
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
