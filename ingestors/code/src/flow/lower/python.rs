//! Python into the flow IR: functions and methods (`self` is the receiver
//! and not a parameter), class attribute annotations and `self.x = ..` in
//! methods, keyword arguments and `*`/`**` splats, `for`/`async for` and
//! comprehensions (lowered as `iter.map(lambda x: body)`), `with .. as`,
//! `await`, f-strings, dict literals, lambdas, type hints and FastAPI's
//! `response_model=`.
//!
//! A class name used as a value (`Order(**data)`, `Order.model_validate(p)`,
//! `demo_pb2.Product(id=x)`) is a [`ExprKind::TypeValue`] when the file
//! defines or imports the class, or reaches it through an imported module.

use super::{kids, other, text, type_from_text, unquote, MAX_NESTING};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr, TypeFields};
use crate::flow::libs;
use std::cell::Cell;
use std::collections::HashSet;
use tree_sitter::Node as TsNode;

/// Lowers one Python file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let mut classes = HashSet::new();
    for n in kids(root) {
        let d = definition(n);
        if d.kind() == "class_definition" {
            if let Some(nm) = d.child_by_field_name("name") {
                classes.insert(text(ctx, nm).to_string());
            }
        }
    }
    let l = Lower { ctx, classes, depth: Cell::new(0) };
    let mut ir = FileIr::default();
    for n in kids(root) {
        l.top_item(n, &mut ir);
    }
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// Classes defined at the top of the file.
    classes: HashSet<String>,
    /// Expressions being lowered (bounds the recursion on very deep syntax).
    depth: Cell<usize>,
}

/// The definition inside a `decorated_definition`, else the node itself.
fn definition(n: TsNode) -> TsNode {
    if n.kind() == "decorated_definition" {
        n.child_by_field_name("definition").unwrap_or(n)
    } else {
        n
    }
}

/// Decorators of a definition (on its `decorated_definition` parent).
fn decorators<'t>(def: TsNode<'t>) -> Vec<TsNode<'t>> {
    match def.parent().filter(|p| p.kind() == "decorated_definition") {
        Some(p) => kids(p).into_iter().filter(|k| k.kind() == "decorator").collect(),
        None => Vec::new(),
    }
}

/// Whether a name is written like a class (`Order`, `CartServiceStub`; not `TOPIC`).
fn class_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase()) && name.chars().any(|c| c.is_ascii_lowercase())
}

impl<'c, 'a> Lower<'c, 'a> {
    /// A statement at the top of the module: functions and classes, or code run at import.
    fn top_item<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let d = definition(n);
        match d.kind() {
            "function_definition" => ir.funcs.push(self.func(d, None)),
            "class_definition" => self.class(d, ir),
            _ => self.stmt(n, &mut ir.top),
        }
    }

    /// A class: its methods and the types its attributes are annotated with.
    fn class<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let Some(name) = n.child_by_field_name("name").map(|x| text(self.ctx, x).to_string()) else { return };
        let Some(body) = n.child_by_field_name("body") else { return };
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        for st in kids(body) {
            let d = definition(st);
            match d.kind() {
                "function_definition" => ir.funcs.push(self.func(d, Some(&name))),
                "expression_statement" => {
                    let Some(a) = kids(d).into_iter().next().filter(|a| a.kind() == "assignment") else { continue };
                    let (Some(l), Some(t)) = (a.child_by_field_name("left"), a.child_by_field_name("type")) else {
                        continue;
                    };
                    if l.kind() == "identifier" {
                        fields.fields.push((text(self.ctx, l).to_string(), self.ty(t)));
                    }
                }
                _ => {}
            }
        }
        if !fields.fields.is_empty() {
            ir.types.push(fields);
        }
    }

    /// A function or method; a method's first parameter is its receiver unless it is static.
    fn func<'t>(&self, n: TsNode<'t>, owner: Option<&str>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| text(self.ctx, x).to_string()).unwrap_or_default();
        let decos: Vec<String> = decorators(n).iter().map(|d| text(self.ctx, *d).to_string()).collect();
        let is_static = decos.iter().any(|d| d.starts_with("@staticmethod"));
        let is_classmethod = decos.iter().any(|d| d.starts_with("@classmethod"));
        let mut params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let mut this = None;
        if owner.is_some() && !is_static && !params.is_empty() {
            let recv = params.remove(0);
            if !is_classmethod {
                this = recv.target_name().map(str::to_string);
            }
        }
        let ret = n
            .child_by_field_name("return_type")
            .map(|t| self.ty(t))
            .or_else(|| decorators(n).into_iter().find_map(|d| self.response_model(d)));
        let body = n.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
        Func { node: n, name, owner: owner.map(str::to_string), this, params, ret, body }
    }

    /// FastAPI `@app.get("/x", response_model=Order)`: the type the handler answers with.
    fn response_model(&self, d: TsNode) -> Option<TypeExpr> {
        let call = kids(d).into_iter().find(|k| k.kind() == "call")?;
        let args = call.child_by_field_name("arguments")?;
        let kw = kids(args).into_iter().find(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name").is_some_and(|n| text(self.ctx, n) == "response_model")
        })?;
        kw.child_by_field_name("value").map(|v| type_from_text(text(self.ctx, v)))
    }

    /// Parameters with their hints; a model-typed parameter not injected by `Depends(..)` may be a body.
    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        let mut out = Vec::new();
        for p in kids(list) {
            let (target, ty, default) = match p.kind() {
                "identifier" => (Target::Name(text(self.ctx, p).to_string()), None, None),
                "typed_parameter" => {
                    let name = kids(p).into_iter().find(|k| k.kind() == "identifier");
                    let t = name.map(|x| Target::Name(text(self.ctx, x).to_string())).unwrap_or(Target::Ignore);
                    (t, p.child_by_field_name("type").map(|t| self.ty(t)), None)
                }
                "default_parameter" | "typed_default_parameter" => {
                    let t = p
                        .child_by_field_name("name")
                        .filter(|x| x.kind() == "identifier")
                        .map(|x| Target::Name(text(self.ctx, x).to_string()))
                        .unwrap_or(Target::Ignore);
                    (t, p.child_by_field_name("type").map(|t| self.ty(t)), p.child_by_field_name("value"))
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => (Target::Ignore, None, None),
                _ => continue,
            };
            let injected = default.is_some_and(|d| {
                d.kind() == "call"
                    && d.child_by_field_name("function").is_some_and(|f| {
                        let t = text(self.ctx, f);
                        libs::is_injected_default(t.rsplit('.').next().unwrap_or(t))
                    })
            });
            let ty = ty.filter(|t| !libs::is_framework_type(&t.name) && !injected);
            let body = ty.as_ref().is_some_and(|t| !t.is_opaque() && !t.element().is_opaque());
            out.push(Param { target, ty, body });
        }
        out
    }

    /// A type hint.
    fn ty(&self, t: TsNode) -> TypeExpr {
        type_from_text(text(self.ctx, t))
    }

    /// The statements of a block.
    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        self.block_into(b, &mut out);
        out
    }

    /// Appends the statements of a block (or one statement).
    fn block_into<'t>(&self, b: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        if b.kind() == "block" {
            for s in kids(b) {
                self.stmt(s, out);
            }
        } else {
            self.stmt(b, out);
        }
    }

    /// One statement; control flow is flattened (every branch is followed).
    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "expression_statement" => {
                for e in kids(s) {
                    self.expr_stmt(e, out);
                }
            }
            "return_statement" => {
                if let Some(e) = kids(s).into_iter().next() {
                    out.push(Stmt::Return(self.expr(e)));
                }
            }
            "if_statement" | "elif_clause" | "while_statement" => {
                if let Some(c) = s.child_by_field_name("condition") {
                    out.push(Stmt::Expr(self.expr(c)));
                }
                for k in kids(s) {
                    match k.kind() {
                        "block" => self.block_into(k, out),
                        "elif_clause" | "else_clause" => self.stmt(k, out),
                        _ => {}
                    }
                }
            }
            "else_clause" | "finally_clause" | "except_clause" | "except_group_clause" => {
                for k in kids(s) {
                    if k.kind() == "block" {
                        self.block_into(k, out);
                    }
                }
            }
            "try_statement" => {
                for k in kids(s) {
                    match k.kind() {
                        "block" => self.block_into(k, out),
                        _ => self.stmt(k, out),
                    }
                }
            }
            "for_statement" => {
                let target = s.child_by_field_name("left").map(|l| self.target(l)).unwrap_or(Target::Ignore);
                let iter = s.child_by_field_name("right").map(|r| self.expr(r)).unwrap_or_else(|| Expr::other(s));
                let body = s.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
                out.push(Stmt::For { target, ty: None, iter, body });
                if let Some(a) = s.child_by_field_name("alternative") {
                    self.stmt(a, out);
                }
            }
            "with_statement" => {
                for clause in kids(s).into_iter().filter(|k| k.kind() == "with_clause") {
                    for item in kids(clause).into_iter().filter(|k| k.kind() == "with_item") {
                        self.with_item(item, out);
                    }
                }
                if let Some(b) = s.child_by_field_name("body") {
                    self.block_into(b, out);
                }
            }
            "function_definition" | "decorated_definition" => {
                let d = definition(s);
                if d.kind() == "function_definition" {
                    let f = self.func(d, None);
                    let name = f.name.clone();
                    out.push(Stmt::Let {
                        target: Target::Name(name),
                        ty: None,
                        value: Some(Expr::new(ExprKind::Lambda(Box::new(f)), d)),
                    });
                }
            }
            "block" => self.block_into(s, out),
            "match_statement" => {
                if let Some(v) = s.child_by_field_name("subject") {
                    out.push(Stmt::Expr(self.expr(v)));
                }
                if let Some(body) = s.child_by_field_name("body") {
                    for case in kids(body) {
                        if let Some(b) = case.child_by_field_name("consequence") {
                            self.block_into(b, out);
                        }
                    }
                }
            }
            "raise_statement" | "assert_statement" | "delete_statement" | "print_statement" => {
                for e in kids(s) {
                    out.push(Stmt::Expr(self.expr(e)));
                }
            }
            "import_statement"
            | "import_from_statement"
            | "future_import_statement"
            | "pass_statement"
            | "break_statement"
            | "continue_statement"
            | "global_statement"
            | "nonlocal_statement"
            | "class_definition"
            | "comment"
            | "type_alias_statement" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    /// `with x as y` (the value is bound), `with x` (evaluated).
    fn with_item<'t>(&self, item: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let Some(v) = item.child_by_field_name("value") else { return };
        if v.kind() == "as_pattern" {
            let value = kids(v).into_iter().next().map(|e| self.expr(e));
            let target = v
                .child_by_field_name("alias")
                .and_then(|a| kids(a).into_iter().next().or(Some(a)))
                .map(|t| self.target(t))
                .unwrap_or(Target::Ignore);
            out.push(Stmt::Let { target, ty: None, value });
        } else {
            out.push(Stmt::Expr(self.expr(v)));
        }
    }

    /// An expression statement: assignments become bindings.
    fn expr_stmt<'t>(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match e.kind() {
            "assignment" => {
                let target = e.child_by_field_name("left").map(|l| self.target(l)).unwrap_or(Target::Ignore);
                let ty = e.child_by_field_name("type").map(|t| self.ty(t));
                let right = e.child_by_field_name("right");
                match right {
                    // `a = b = v`: both names get the value.
                    Some(r) if r.kind() == "assignment" => {
                        self.expr_stmt(r, out);
                        let value = r.child_by_field_name("left").map(|l| self.expr(l));
                        out.push(Stmt::Let { target, ty, value });
                    }
                    Some(r) => out.push(Stmt::Let { target, ty, value: Some(self.expr(r)) }),
                    None => out.push(Stmt::Let { target, ty, value: None }),
                }
            }
            "augmented_assignment" => {
                let right = e.child_by_field_name("right").map(|r| self.expr(r));
                match e.child_by_field_name("left").map(|l| self.target(l)) {
                    Some(t @ Target::Member(..)) => out.push(Stmt::Let { target: t, ty: None, value: right }),
                    _ => {
                        if let Some(r) = right {
                            out.push(Stmt::Expr(r));
                        }
                    }
                }
            }
            // A generator's items: `yield x` gives a list of `x`, `yield from xs` the items of `xs`.
            "yield" => {
                let from = text(self.ctx, e).trim_start_matches("yield").trim_start().starts_with("from");
                if let Some(v) = kids(e).into_iter().next() {
                    let v = self.expr(v);
                    out.push(Stmt::Return(if from { v } else { Expr::new(ExprKind::List(vec![v]), e) }));
                }
            }
            _ => out.push(Stmt::Expr(self.expr(e))),
        }
    }

    /// An assignment target: a name, `obj.attr`, `d["key"]`, or a tuple of them.
    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" if text(self.ctx, n) == "_" => Target::Ignore,
            "identifier" => Target::Name(text(self.ctx, n).to_string()),
            "attribute" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("attribute").map(|f| text(self.ctx, f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "subscript" => {
                let key = n.child_by_field_name("subscript").filter(|k| k.kind() == "string" && !has_interpolation(*k));
                match (n.child_by_field_name("value"), key) {
                    (Some(o), Some(k)) => Target::Member(Box::new(self.expr(o)), unquote(text(self.ctx, k)), n),
                    _ => Target::Ignore,
                }
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "tuple" | "list" => {
                Target::Tuple(kids(n).into_iter().map(|k| self.target(k)).collect())
            }
            "parenthesized_expression" => kids(n).into_iter().next().map(|x| self.target(x)).unwrap_or(Target::Ignore),
            _ => Target::Ignore,
        }
    }

    /// An expression, lowered to at most [`MAX_NESTING`] levels (deeper ones are opaque).
    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        if self.depth.get() >= MAX_NESTING {
            return Expr::other(n);
        }
        self.depth.set(self.depth.get() + 1);
        let e = self.expr_inner(n);
        self.depth.set(self.depth.get() - 1);
        e
    }

    /// An expression, one level.
    fn expr_inner<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        match n.kind() {
            "identifier" => {
                let t = text(self.ctx, n);
                if class_like(t) && (self.classes.contains(t) || self.ctx.import_alias.contains_key(t)) {
                    return Expr::new(ExprKind::TypeValue(TypeExpr::named("", t)), n);
                }
                Expr::new(ExprKind::Name(t.to_string()), n)
            }
            "attribute" => {
                let obj = n.child_by_field_name("object");
                let name =
                    n.child_by_field_name("attribute").map(|f| text(self.ctx, f).to_string()).unwrap_or_default();
                // `demo_pb2.Product`, `models.Order`: a class of an imported module.
                if let Some(o) = obj.filter(|o| o.kind() == "identifier") {
                    let m = text(self.ctx, o);
                    if class_like(&name) && (self.ctx.module_names.contains(m) || self.ctx.import_alias.contains_key(m))
                    {
                        return Expr::new(ExprKind::TypeValue(TypeExpr::named(m, &name)), n);
                    }
                }
                let obj = obj.map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "subscript" => {
                let obj = n.child_by_field_name("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = n.child_by_field_name("subscript").map(|k| self.expr(k)).unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "call" => self.call(n),
            "await" | "parenthesized_expression" => match kids(n).into_iter().next() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            "string" => {
                let subs: Vec<Expr<'t>> = kids(n)
                    .into_iter()
                    .filter(|k| k.kind() == "interpolation")
                    .filter_map(|k| k.child_by_field_name("expression").or_else(|| kids(k).into_iter().next()))
                    .map(|k| self.expr(k))
                    .collect();
                if subs.is_empty() {
                    Expr::new(ExprKind::Str, n)
                } else {
                    Expr::new(ExprKind::Effects(subs), n)
                }
            }
            "dictionary" => {
                let mut pairs = Vec::new();
                let mut rest = Vec::new();
                for p in kids(n) {
                    let key = p.child_by_field_name("key").filter(|k| k.kind() == "string" && !has_interpolation(*k));
                    match (p.kind(), key, p.child_by_field_name("value")) {
                        ("pair", Some(k), Some(v)) => {
                            let key = unquote(text(self.ctx, k));
                            if !key.is_empty() && key.len() <= 100 && !key.contains(char::is_whitespace) {
                                pairs.push(Pair { key, value: self.expr(v), node: p });
                            }
                        }
                        _ => rest.push(self.expr(p)),
                    }
                }
                if pairs.is_empty() && !rest.is_empty() {
                    return Expr::new(ExprKind::Other(rest), n);
                }
                Expr::new(ExprKind::Object(pairs), n)
            }
            "list" | "tuple" | "set" => {
                Expr::new(ExprKind::List(kids(n).into_iter().map(|k| self.expr(k)).collect()), n)
            }
            "list_comprehension" | "set_comprehension" | "generator_expression" | "dictionary_comprehension" => {
                self.comprehension(n)
            }
            "lambda" => {
                let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
                let body = n.child_by_field_name("body").map(|b| vec![Stmt::Return(self.expr(b))]).unwrap_or_default();
                let f = Func { node: n, name: String::new(), owner: None, this: None, params, ret: None, body };
                Expr::new(ExprKind::Lambda(Box::new(f)), n)
            }
            "conditional_expression" => {
                // `a if c else b`: the condition first, so a shaped branch is the value.
                let ks = kids(n);
                let mut xs = Vec::new();
                if let Some(c) = ks.get(1) {
                    xs.push(self.expr(*c));
                }
                for i in [0, 2] {
                    if let Some(x) = ks.get(i) {
                        xs.push(self.expr(*x));
                    }
                }
                Expr::new(ExprKind::Other(xs), n)
            }
            "list_splat" | "dictionary_splat" => match kids(n).into_iter().next() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            // Arithmetic, comparisons and `not` compute no payload (`a or b` is one of its operands).
            "binary_operator" | "comparison_operator" | "not_operator" | "unary_operator" | "concatenated_string" => {
                Expr::new(ExprKind::Effects(kids(n).into_iter().map(|k| self.expr(k)).collect()), n)
            }
            "integer" | "float" | "true" | "false" | "none" | "comment" | "ellipsis" | "keyword_argument" => {
                Expr::other(n)
            }
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// A call: positional, keyword (`json=x`) and splatted (`*xs`, `**kw`) arguments.
    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let mut args = Vec::new();
        if let Some(a) = n.child_by_field_name("arguments") {
            if a.kind() == "generator_expression" {
                args.push(Arg { name: None, value: self.comprehension(a) });
            } else {
                for x in kids(a) {
                    match x.kind() {
                        "keyword_argument" => {
                            let name = x.child_by_field_name("name").map(|k| text(self.ctx, k).to_string());
                            if let Some(v) = x.child_by_field_name("value") {
                                args.push(Arg { name, value: self.expr(v) });
                            }
                        }
                        "list_splat" | "dictionary_splat" => {
                            let star = if x.kind() == "list_splat" { "*" } else { "**" };
                            if let Some(v) = kids(x).into_iter().next() {
                                args.push(Arg { name: Some(star.to_string()), value: self.expr(v) });
                            }
                        }
                        _ => args.push(Arg { name: None, value: self.expr(x) }),
                    }
                }
            }
        }
        let callee = n.child_by_field_name("function").map(|f| self.expr(f)).unwrap_or_else(|| Expr::other(n));
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n)
    }

    /// `[body for x in xs if c]` as `xs.map(lambda x: body)`; nested `for` clauses nest.
    fn comprehension<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let ks = kids(n);
        let clauses: Vec<TsNode<'t>> = ks.iter().copied().filter(|k| k.kind() == "for_in_clause").collect();
        let conds: Vec<TsNode<'t>> = ks.iter().copied().filter(|k| k.kind() == "if_clause").collect();
        let body_node = n.child_by_field_name("body").or_else(|| ks.first().copied());
        let mut inner: Vec<Stmt<'t>> =
            conds.iter().filter_map(|c| kids(*c).into_iter().next()).map(|c| Stmt::Expr(self.expr(c))).collect();
        if let Some(b) = body_node.filter(|b| b.kind() != "for_in_clause") {
            inner.push(Stmt::Return(self.expr(b)));
        }
        let mut cur: Option<Expr<'t>> = None;
        for cl in clauses.iter().rev() {
            let target = cl.child_by_field_name("left").map(|l| self.target(l)).unwrap_or(Target::Ignore);
            let iter = cl.child_by_field_name("right").map(|r| self.expr(r)).unwrap_or_else(|| Expr::other(*cl));
            let body = match cur.take() {
                Some(e) => vec![Stmt::Return(e)],
                None => std::mem::take(&mut inner),
            };
            let f = Func {
                node: *cl,
                name: String::new(),
                owner: None,
                this: None,
                params: vec![Param { target, ty: None, body: false }],
                ret: None,
                body,
            };
            let lambda = Expr::new(ExprKind::Lambda(Box::new(f)), *cl);
            let callee = Expr::new(ExprKind::Member { obj: Box::new(iter), name: "map".into() }, n);
            cur = Some(Expr::new(
                ExprKind::Call {
                    callee: Box::new(callee),
                    args: vec![Arg { name: None, value: lambda }],
                    targs: Vec::new(),
                },
                n,
            ));
        }
        cur.unwrap_or_else(|| other(n, |x| self.expr(x)))
    }
}

/// Whether a string literal is an f-string with substitutions.
fn has_interpolation(n: TsNode) -> bool {
    kids(n).iter().any(|k| k.kind() == "interpolation")
}
