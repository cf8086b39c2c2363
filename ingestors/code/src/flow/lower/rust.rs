//! Rust into the flow IR: functions, `impl` blocks (methods get `self`),
//! struct field types, `let` with patterns and types, `if let` / `while let`
//! / `match` patterns (`Some(x)`, `Ok(x)`, `Json(body)` are transparent),
//! `?` and `.await`, struct literals (writes), method chains, turbofish type
//! arguments (`json::<T>()`, `from_slice::<T>(..)`), closures.

use super::jvm_types::{self, is_type_name};
use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr, TypeFields};
use tree_sitter::Node as TsNode;

/// Lowers a Rust file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx };
    let mut ir = FileIr::default();
    l.items(root, None, &mut ir);
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl<'c, 'a> Lower<'c, 'a> {
    fn t(&self, n: TsNode) -> &'a str {
        text(self.ctx, n)
    }

    /// Items of a file, module or `impl` block.
    fn items<'t>(&self, n: TsNode<'t>, owner: Option<&str>, ir: &mut FileIr<'t>) {
        for k in kids(n) {
            match k.kind() {
                "function_item" => ir.funcs.push(self.func(k, owner)),
                "impl_item" => {
                    let ty = k.child_by_field_name("type").map(|t| self.ty(t).name);
                    if let Some(b) = k.child_by_field_name("body") {
                        self.items(b, ty.as_deref(), ir);
                    }
                }
                "mod_item" => {
                    if let Some(b) = k.child_by_field_name("body") {
                        self.items(b, None, ir);
                    }
                }
                "struct_item" => {
                    if let Some(t) = self.struct_fields(k) {
                        ir.types.push(t);
                    }
                }
                _ => {}
            }
        }
    }

    fn struct_fields(&self, n: TsNode) -> Option<TypeFields> {
        let name = self.t(n.child_by_field_name("name")?).to_string();
        let body = n.child_by_field_name("body").filter(|b| b.kind() == "field_declaration_list")?;
        let fields = kids(body)
            .into_iter()
            .filter(|d| d.kind() == "field_declaration")
            .filter_map(|d| {
                let nm = self.t(d.child_by_field_name("name")?).to_string();
                Some((nm, self.ty(d.child_by_field_name("type")?)))
            })
            .collect();
        Some(TypeFields { owner: name, fields })
    }

    fn func<'t>(&self, n: TsNode<'t>, owner: Option<&str>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| self.t(x).to_string()).unwrap_or_default();
        let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let ret = n.child_by_field_name("return_type").map(|t| self.ty(t));
        let body = n.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
        Func {
            node: n,
            name,
            owner: owner.map(str::to_string),
            this: owner.map(|_| "self".to_string()),
            params,
            ret,
            body,
        }
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        let mut out = Vec::new();
        for p in kids(list) {
            match p.kind() {
                "parameter" => {
                    let ty = p.child_by_field_name("type").map(|t| self.ty(t));
                    // axum `Json(order): Json<Order>`: the served request's body.
                    let body = ty.as_ref().is_some_and(|t| t.name == "Json");
                    out.push(Param {
                        target: p.child_by_field_name("pattern").map(|x| self.pattern(x)).unwrap_or(Target::Ignore),
                        ty,
                        body,
                    })
                }
                "identifier" => out.push(Param { target: Target::Name(self.t(p).to_string()), ty: None, body: false }),
                _ if p.kind().ends_with("pattern") => {
                    out.push(Param { target: self.pattern(p), ty: None, body: false })
                }
                _ => {}
            }
        }
        out
    }

    fn ty(&self, t: TsNode) -> TypeExpr {
        match t.kind() {
            "generic_type" => {
                let mut base = t.child_by_field_name("type").map(|b| self.ty(b)).unwrap_or_default();
                if let Some(ta) = t.child_by_field_name("type_arguments") {
                    base.args = kids(ta).into_iter().filter(|a| a.kind() != "lifetime").map(|a| self.ty(a)).collect();
                }
                jvm_types::mark_collection(base)
            }
            "reference_type" | "pointer_type" => t.child_by_field_name("type").map(|x| self.ty(x)).unwrap_or_default(),
            "array_type" => {
                let el = t.child_by_field_name("element").map(|x| self.ty(x)).unwrap_or_default();
                TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true }
            }
            "primitive_type" => TypeExpr::named("", self.t(t)),
            "tuple_type" | "unit_type" | "function_type" | "dynamic_type" | "abstract_type" => {
                TypeExpr::named("", "object")
            }
            _ => jvm_types::from_text(self.t(t)),
        }
    }

    /// A pattern as a binding target: wrappers (`Some(x)`, `Ok(x)`, `Json(x)`) pass their value through.
    fn pattern<'t>(&self, p: TsNode<'t>) -> Target<'t> {
        match p.kind() {
            "identifier" if self.t(p) == "_" => Target::Ignore,
            "identifier" => Target::Name(self.t(p).to_string()),
            "mut_pattern" | "ref_pattern" | "reference_pattern" => {
                kids(p).into_iter().last().map(|x| self.pattern(x)).unwrap_or(Target::Ignore)
            }
            "tuple_struct_pattern" => {
                let inner: Vec<TsNode> = kids(p).into_iter().skip(1).collect();
                match inner.as_slice() {
                    [one] => self.pattern(*one),
                    _ => Target::Tuple(inner.into_iter().map(|x| self.pattern(x)).collect()),
                }
            }
            "tuple_pattern" => Target::Tuple(kids(p).into_iter().map(|x| self.pattern(x)).collect()),
            "struct_pattern" => {
                let mut fs = Vec::new();
                for f in kids(p).into_iter().filter(|f| f.kind() == "field_pattern") {
                    let name = f.child_by_field_name("name").map(|x| self.t(x).to_string());
                    let pat = f.child_by_field_name("pattern");
                    match (name, pat) {
                        (Some(n), Some(pt)) => fs.push((n, self.pattern(pt), f)),
                        (Some(n), None) => fs.push((n.clone(), Target::Name(n), f)),
                        _ => {}
                    }
                }
                Target::Fields(fs)
            }
            "captured_pattern" => kids(p).into_iter().last().map(|x| self.pattern(x)).unwrap_or(Target::Ignore),
            _ => Target::Ignore,
        }
    }

    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        let ks = kids(b);
        let n = ks.len();
        for (i, s) in ks.into_iter().enumerate() {
            // The block's tail expression is its value.
            if i + 1 == n
                && !s.kind().ends_with("statement")
                && !s.kind().ends_with("declaration")
                && !s.kind().ends_with("item")
            {
                out.push(Stmt::Return(self.expr(s)));
            } else {
                self.stmt(s, &mut out);
            }
        }
        out
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "let_declaration" => {
                let target = s.child_by_field_name("pattern").map(|p| self.pattern(p)).unwrap_or(Target::Ignore);
                let ty = s.child_by_field_name("type").map(|t| self.ty(t));
                let value = s.child_by_field_name("value").map(|v| self.expr(v));
                out.push(Stmt::Let { target, ty, value });
                if let Some(alt) = s.child_by_field_name("alternative") {
                    out.extend(self.block(alt));
                }
            }
            "expression_statement" => {
                for k in kids(s) {
                    self.expr_stmt(k, out);
                }
            }
            "function_item" | "struct_item" | "use_declaration" | "impl_item" | "mod_item" | "enum_item"
            | "const_item" | "static_item" | "type_item" | "trait_item" | "macro_definition" | "attribute_item"
            | "empty_statement" => {}
            _ => self.expr_stmt(s, out),
        }
    }

    /// Control flow in statement position is flattened; assignments bind; anything else is evaluated.
    fn expr_stmt<'t>(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let f = |name: &str| e.child_by_field_name(name);
        match e.kind() {
            "assignment_expression" => {
                let target = f("left").map(|l| self.target(l)).unwrap_or(Target::Ignore);
                out.push(Stmt::Let { target, ty: None, value: f("right").map(|r| self.expr(r)) });
            }
            "compound_assignment_expr" => {
                let target = f("left").map(|l| self.target(l)).unwrap_or(Target::Ignore);
                let value = f("right").map(|r| Expr::new(ExprKind::Other(vec![self.expr(r)]), r));
                match target {
                    Target::Member(..) => out.push(Stmt::Let { target, ty: None, value }),
                    _ => out.extend(value.map(Stmt::Expr)),
                }
            }
            "if_expression" | "while_expression" => {
                if let Some(c) = f("condition") {
                    self.condition(c, out);
                }
                for b in [f("consequence"), f("body")].into_iter().flatten() {
                    out.extend(self.block(b));
                }
                if let Some(a) = f("alternative") {
                    for k in kids(a) {
                        if k.kind() == "block" {
                            out.extend(self.block(k));
                        } else {
                            self.expr_stmt(k, out);
                        }
                    }
                }
            }
            "for_expression" => {
                let target = f("pattern").map(|p| self.pattern(p)).unwrap_or(Target::Ignore);
                let iter = f("value").map(|v| self.expr(v)).unwrap_or_else(|| Expr::other(e));
                let body = f("body").map(|b| self.block(b)).unwrap_or_default();
                out.push(Stmt::For { target, ty: None, iter, body });
            }
            "loop_expression" | "block" | "unsafe_block" | "async_block" => {
                let b = f("body").unwrap_or(e);
                let b = if b.kind() == "block" {
                    b
                } else {
                    kids(b).into_iter().find(|k| k.kind() == "block").unwrap_or(b)
                };
                out.extend(self.block(b));
            }
            "match_expression" => {
                let v = f("value");
                for arm in f("body").map(kids).unwrap_or_default().into_iter().filter(|a| a.kind() == "match_arm") {
                    let pat = arm.child_by_field_name("pattern").and_then(|p| kids(p).into_iter().next());
                    if let (Some(p), Some(v)) = (pat, v) {
                        out.push(Stmt::Let { target: self.pattern(p), ty: None, value: Some(self.expr(v)) });
                    }
                    if let Some(val) = arm.child_by_field_name("value") {
                        self.expr_stmt(val, out);
                    }
                }
            }
            "return_expression" => {
                if let Some(x) = kids(e).into_iter().next() {
                    out.push(Stmt::Return(self.expr(x)));
                }
            }
            _ => out.push(Stmt::Expr(self.expr(e))),
        }
    }

    /// `if let Some(x) = v` / `while let Ok(m) = rx.recv()` bind; other conditions are evaluated.
    fn condition<'t>(&self, c: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match c.kind() {
            "let_condition" => {
                let target = c.child_by_field_name("pattern").map(|p| self.pattern(p)).unwrap_or(Target::Ignore);
                out.push(Stmt::Let { target, ty: None, value: c.child_by_field_name("value").map(|v| self.expr(v)) });
            }
            "let_chain" => {
                for k in kids(c) {
                    self.condition(k, out);
                }
            }
            _ => out.push(Stmt::Expr(self.expr(c))),
        }
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" => Target::Name(self.t(n).to_string()),
            "field_expression" => {
                let obj = n.child_by_field_name("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("field").map(|f| self.t(f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            _ => Target::Ignore,
        }
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let f = |name: &str| n.child_by_field_name(name);
        match n.kind() {
            "identifier" | "self" => Expr::new(ExprKind::Name(self.t(n).to_string()), n),
            "field_expression" => {
                let obj = f("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let name = f("field").map(|x| self.t(x).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "scoped_identifier" => self.scoped(n),
            "call_expression" => self.call(n),
            "struct_expression" => self.struct_lit(n),
            "index_expression" => {
                let ks = kids(n);
                match (ks.first(), ks.get(1)) {
                    (Some(o), Some(k)) => {
                        Expr::new(ExprKind::Index { obj: Box::new(self.expr(*o)), key: Box::new(self.expr(*k)) }, n)
                    }
                    _ => other(n, |x| self.expr(x)),
                }
            }
            "await_expression" | "try_expression" | "reference_expression" | "parenthesized_expression" => {
                match f("value").or_else(|| kids(n).into_iter().next()) {
                    Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                    None => Expr::other(n),
                }
            }
            "unary_expression" => match kids(n).into_iter().next() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            "type_cast_expression" => {
                let inner = f("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let ty = f("type").map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::Cast { expr: Box::new(inner), ty }, n)
            }
            "closure_expression" => {
                let params = f("parameters").map(|p| self.params(p)).unwrap_or_default();
                let body = match f("body") {
                    Some(b) if b.kind() == "block" => self.block(b),
                    Some(b) => vec![Stmt::Return(self.expr(b))],
                    None => Vec::new(),
                };
                let func = Func { node: n, name: String::new(), owner: None, this: None, params, ret: None, body };
                Expr::new(ExprKind::Lambda(Box::new(func)), n)
            }
            "string_literal" | "raw_string_literal" => Expr::new(ExprKind::Str, n),
            "array_expression" => Expr::new(ExprKind::List(kids(n).into_iter().map(|x| self.expr(x)).collect()), n),
            "block" | "async_block" | "unsafe_block" | "if_expression" | "match_expression" | "loop_expression"
            | "while_expression" | "for_expression" => {
                // Control flow as a value: its statements run in a lambda evaluated in place.
                let mut stmts = Vec::new();
                self.expr_stmt(n, &mut stmts);
                let func = Func {
                    node: n,
                    name: String::new(),
                    owner: None,
                    this: None,
                    params: Vec::new(),
                    ret: None,
                    body: stmts,
                };
                Expr::new(ExprKind::Other(vec![Expr::new(ExprKind::Lambda(Box::new(func)), n)]), n)
            }
            "integer_literal" | "float_literal" | "boolean_literal" | "char_literal" | "unit_expression" => {
                Expr::other(n)
            }
            "macro_invocation" => Expr::other(n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// `a::b::C::new` as a member chain; a type segment becomes a type value.
    fn scoped<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let name = n.child_by_field_name("name").map(|x| self.t(x).to_string()).unwrap_or_default();
        match n.child_by_field_name("path") {
            Some(p) => {
                let path = self.t(p);
                let last = path.rsplit("::").next().unwrap_or(path);
                let obj = if is_type_name(last.split('<').next().unwrap_or(last)) {
                    Expr::new(ExprKind::TypeValue(jvm_types::from_text(path)), p)
                } else if p.kind() == "scoped_identifier" {
                    self.scoped(p)
                } else {
                    Expr::new(ExprKind::Name(path.to_string()), p)
                };
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            None => Expr::new(ExprKind::Name(name), n),
        }
    }

    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let mut targs = Vec::new();
        let mut fnode = n.child_by_field_name("function");
        if let Some(g) = fnode.filter(|g| g.kind() == "generic_function") {
            targs = g
                .child_by_field_name("type_arguments")
                .map(kids)
                .unwrap_or_default()
                .into_iter()
                .map(|t| self.ty(t))
                .collect();
            fnode = g.child_by_field_name("function");
        }
        let callee = match fnode {
            Some(fx) if fx.kind() == "field_expression" => {
                let obj = fx.child_by_field_name("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(fx));
                let nm = fx.child_by_field_name("field");
                let name = nm.map(|x| self.t(x).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, nm.unwrap_or(fx))
            }
            Some(fx) => self.expr(fx),
            None => Expr::other(n),
        };
        let args = n
            .child_by_field_name("arguments")
            .map(kids)
            .unwrap_or_default()
            .into_iter()
            .map(|a| Arg { name: None, value: self.expr(a) })
            .collect();
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n)
    }

    /// `T { a: x, b, ..rest }`: a typed value whose fields are written.
    fn struct_lit<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let ty = n.child_by_field_name("name").map(|t| self.ty(t)).unwrap_or_default();
        let mut fields = Vec::new();
        let mut args = Vec::new();
        for k in n.child_by_field_name("body").map(kids).unwrap_or_default() {
            match k.kind() {
                "field_initializer" => {
                    let (Some(name), Some(v)) = (k.child_by_field_name("field"), k.child_by_field_name("value")) else {
                        continue;
                    };
                    fields.push(Pair { key: self.t(name).to_string(), value: self.expr(v), node: k });
                }
                "shorthand_field_initializer" => {
                    let name = self.t(k).to_string();
                    fields.push(Pair { key: name.clone(), value: Expr::new(ExprKind::Name(name), k), node: k });
                }
                _ => args.push(Arg { name: None, value: self.expr(k) }),
            }
        }
        Expr::new(ExprKind::New { ty, args, fields }, n)
    }
}
