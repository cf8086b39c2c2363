//! Kotlin into the flow IR: classes and objects (primary-constructor
//! parameters and properties are fields, property initializers and `init`
//! blocks assign them), functions with block or expression bodies, `val`/`var`
//! with or without types, `for (x in xs)`, trailing lambdas (`it` when no
//! parameter is named), `T::class.java`, `as` casts, `!!`.

use super::jvm_types::{self, is_type_name};
use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Param, Stmt, Target, TypeExpr, TypeFields};
use tree_sitter::Node as TsNode;

/// Lowers a Kotlin file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx };
    let mut ir = FileIr::default();
    for n in kids(root) {
        match n.kind() {
            "class_declaration" | "object_declaration" => l.class(n, &mut ir),
            "function_declaration" => ir.funcs.push(l.func(n, None)),
            "property_declaration" => l.stmt(n, &mut ir.top),
            _ => {}
        }
    }
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

/// Node kinds that are types.
fn is_type_node(k: &str) -> bool {
    matches!(k, "user_type" | "nullable_type" | "function_type" | "non_nullable_type" | "parenthesized_type")
}

impl<'c, 'a> Lower<'c, 'a> {
    fn t(&self, n: TsNode) -> &'a str {
        text(self.ctx, n)
    }

    fn class<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let Some(name) = n.child_by_field_name("name").map(|x| self.t(x).to_string()) else { return };
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        let mut init = Vec::new();
        for k in kids(n) {
            match k.kind() {
                "primary_constructor" => {
                    for p in kids(k).into_iter().filter(|p| p.kind() == "class_parameters").flat_map(kids) {
                        let nm = kids(p).into_iter().find(|x| x.kind() == "identifier").map(|x| self.t(x).to_string());
                        let ty = kids(p).into_iter().find(|x| is_type_node(x.kind())).map(|x| self.ty(x));
                        if let (Some(nm), Some(ty)) = (nm, ty) {
                            fields.fields.push((nm, ty));
                        }
                    }
                }
                "class_body" | "enum_class_body" => {
                    for m in kids(k) {
                        match m.kind() {
                            "function_declaration" => ir.funcs.push(self.func(m, Some(&name))),
                            "property_declaration" => self.property(m, &mut fields, &mut init),
                            "anonymous_initializer" => {
                                if let Some(b) = kids(m).into_iter().find(|x| x.kind() == "block") {
                                    init.extend(self.block(b));
                                }
                            }
                            "secondary_constructor" => ir.funcs.push(self.func(m, Some(&name))),
                            "class_declaration" | "object_declaration" | "companion_object" => self.class(m, ir),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if !init.is_empty() {
            let f = Func {
                node: n,
                name: String::new(),
                owner: Some(name.clone()),
                this: Some("this".into()),
                params: Vec::new(),
                ret: None,
                body: init,
            };
            ir.funcs.push(f);
        }
        ir.types.push(fields);
    }

    /// `val x: T = v` in a class body: a field and its initializer.
    fn property<'t>(&self, m: TsNode<'t>, fields: &mut TypeFields, init: &mut Vec<Stmt<'t>>) {
        let Some(vd) = kids(m).into_iter().find(|x| x.kind() == "variable_declaration") else { return };
        let Some(nm) = kids(vd).into_iter().find(|x| x.kind() == "identifier").map(|x| self.t(x).to_string()) else {
            return;
        };
        let ty = kids(vd).into_iter().find(|x| is_type_node(x.kind())).map(|x| self.ty(x));
        if let Some(t) = &ty {
            fields.fields.push((nm.clone(), t.clone()));
        }
        if let Some(v) = self.property_value(m) {
            let this = Expr::new(ExprKind::Name("this".into()), vd);
            init.push(Stmt::Let { target: Target::Member(Box::new(this), nm, vd), ty, value: Some(self.expr(v)) });
        }
    }

    /// The initializer of a property (the expression after `=`; `by lazy { }` delegates).
    fn property_value<'t>(&self, m: TsNode<'t>) -> Option<TsNode<'t>> {
        kids(m).into_iter().find(|x| {
            !matches!(
                x.kind(),
                "variable_declaration"
                    | "modifiers"
                    | "type_parameters"
                    | "getter"
                    | "setter"
                    | "multi_variable_declaration"
            ) && !is_type_node(x.kind())
        })
    }

    fn func<'t>(&self, n: TsNode<'t>, owner: Option<&str>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| self.t(x).to_string()).unwrap_or_default();
        let params = kids(n)
            .into_iter()
            .find(|k| k.kind() == "function_value_parameters")
            .map(|p| self.params(p))
            .unwrap_or_default();
        // The return type follows the parameters (a type before them is an extension's receiver).
        let ret = kids(n)
            .into_iter()
            .skip_while(|k| k.kind() != "function_value_parameters")
            .find(|k| is_type_node(k.kind()))
            .map(|t| self.ty(t));
        let body = match kids(n).into_iter().find(|k| k.kind() == "function_body" || k.kind() == "block") {
            Some(b) => match kids(b).into_iter().next() {
                Some(x) if b.kind() == "function_body" && x.kind() == "block" => self.block(x),
                Some(x) if b.kind() == "function_body" => vec![Stmt::Return(self.expr(x))],
                _ => self.block(b),
            },
            None => Vec::new(),
        };
        Func {
            node: n,
            name,
            owner: owner.map(str::to_string),
            this: owner.map(|_| "this".to_string()),
            params,
            ret,
            body,
        }
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        kids(list)
            .into_iter()
            .filter(|p| matches!(p.kind(), "parameter" | "variable_declaration" | "class_parameter"))
            .map(|p| Param {
                target: kids(p)
                    .into_iter()
                    .find(|x| x.kind() == "identifier")
                    .map(|x| Target::Name(self.t(x).to_string()))
                    .unwrap_or(Target::Ignore),
                ty: kids(p).into_iter().find(|x| is_type_node(x.kind())).map(|x| self.ty(x)),
                // `@RequestBody order: Order`: the served request's body.
                body: self.t(p).contains("@RequestBody"),
            })
            .collect()
    }

    fn ty(&self, t: TsNode) -> TypeExpr {
        let s = self.t(t);
        jvm_types::from_text(s.split(" by ").next().unwrap_or(s))
    }

    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        for s in kids(b) {
            self.stmt(s, &mut out);
        }
        out
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "property_declaration" => {
                let vd = kids(s)
                    .into_iter()
                    .find(|x| matches!(x.kind(), "variable_declaration" | "multi_variable_declaration"));
                let target = match vd {
                    Some(v) if v.kind() == "multi_variable_declaration" => {
                        Target::Tuple(kids(v).into_iter().map(|x| self.var_target(x)).collect())
                    }
                    Some(v) => self.var_target(v),
                    None => Target::Ignore,
                };
                let ty = vd.and_then(|v| kids(v).into_iter().find(|x| is_type_node(x.kind()))).map(|x| self.ty(x));
                let value = self.property_value(s).map(|v| self.expr(v));
                out.push(Stmt::Let { target, ty, value });
            }
            "assignment" => {
                let ks = kids(s);
                let (Some(l), Some(r)) = (ks.first(), ks.last()) else { return };
                let value = self.expr(*r);
                let compound = self
                    .t(s)
                    .get(self.t(*l).len()..)
                    .is_some_and(|rest| !rest.trim_start().starts_with("= ") && !rest.trim_start().starts_with('='));
                let target = self.target(*l);
                if compound && !matches!(target, Target::Member(..)) {
                    out.push(Stmt::Expr(value));
                } else {
                    out.push(Stmt::Let { target, ty: None, value: Some(value) });
                }
            }
            "for_statement" => {
                let ks = kids(s);
                let target = ks
                    .iter()
                    .find(|k| matches!(k.kind(), "variable_declaration" | "multi_variable_declaration"))
                    .map(|v| self.var_target(*v))
                    .unwrap_or(Target::Ignore);
                let ty = ks
                    .iter()
                    .find(|k| k.kind() == "variable_declaration")
                    .and_then(|v| kids(*v).into_iter().find(|x| is_type_node(x.kind())))
                    .map(|x| self.ty(x));
                let iter = ks
                    .iter()
                    .find(|k| {
                        !matches!(k.kind(), "variable_declaration" | "multi_variable_declaration" | "block")
                            && !k.kind().ends_with("statement")
                    })
                    .map(|x| self.expr(*x))
                    .unwrap_or_else(|| Expr::other(s));
                let body = ks.iter().find(|k| k.kind() == "block").map(|b| self.block(*b)).unwrap_or_default();
                out.push(Stmt::For { target, ty, iter, body });
            }
            "while_statement" | "do_while_statement" => {
                for k in kids(s) {
                    if k.kind() == "block" {
                        out.extend(self.block(k));
                    } else {
                        out.push(Stmt::Expr(self.expr(k)));
                    }
                }
            }
            "return_expression" => {
                if let Some(x) = kids(s).into_iter().next() {
                    out.push(Stmt::Return(self.expr(x)));
                }
            }
            "function_declaration" | "class_declaration" | "object_declaration" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    fn var_target<'t>(&self, v: TsNode<'t>) -> Target<'t> {
        match kids(v).into_iter().find(|x| x.kind() == "identifier") {
            Some(x) if self.t(x) == "_" => Target::Ignore,
            Some(x) => Target::Name(self.t(x).to_string()),
            None => Target::Ignore,
        }
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        let n = if n.kind() == "directly_assignable_expression" { kids(n).into_iter().next().unwrap_or(n) } else { n };
        match n.kind() {
            "identifier" => Target::Name(self.t(n).to_string()),
            "navigation_expression" => {
                let ks = kids(n);
                match (ks.first(), ks.last()) {
                    (Some(o), Some(f)) if ks.len() == 2 => {
                        Target::Member(Box::new(self.expr(*o)), self.t(*f).to_string(), n)
                    }
                    _ => Target::Ignore,
                }
            }
            _ => Target::Ignore,
        }
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        match n.kind() {
            "identifier" | "this_expression" | "super_expression" => {
                let t = self.t(n);
                let name = if n.kind() == "this_expression" { "this" } else { t };
                Expr::new(ExprKind::Name(name.to_string()), n)
            }
            "navigation_expression" => self.navigation(n),
            "call_expression" => self.call(n),
            "callable_reference" => {
                let ty = kids(n).into_iter().next().map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::TypeValue(ty), n)
            }
            "lambda_literal" | "annotated_lambda" | "anonymous_function" => self.lambda(n),
            "as_expression" => {
                let ks = kids(n);
                match (ks.first(), ks.last()) {
                    (Some(a), Some(b)) if ks.len() == 2 => {
                        Expr::new(ExprKind::Cast { expr: Box::new(self.expr(*a)), ty: self.ty(*b) }, n)
                    }
                    _ => other(n, |x| self.expr(x)),
                }
            }
            "parenthesized_expression" | "postfix_expression" | "unary_expression" => {
                match kids(n).into_iter().next() {
                    Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                    None => Expr::other(n),
                }
            }
            "index_expression" => {
                let ks = kids(n);
                match (ks.first(), ks.get(1)) {
                    (Some(o), Some(k)) => {
                        Expr::new(ExprKind::Index { obj: Box::new(self.expr(*o)), key: Box::new(self.expr(*k)) }, n)
                    }
                    _ => other(n, |x| self.expr(x)),
                }
            }
            "string_literal" | "multiline_string_literal" => Expr::new(ExprKind::Str, n),
            "if_expression" | "when_expression" | "try_expression" | "block" | "control_structure_body" => {
                // Branches run as a lambda evaluated in place; the last value of a branch is kept.
                let mut stmts = Vec::new();
                for k in kids(n) {
                    if k.kind() == "block" {
                        stmts.extend(self.block(k));
                    } else {
                        self.stmt(k, &mut stmts);
                    }
                }
                let f = Func {
                    node: n,
                    name: String::new(),
                    owner: None,
                    this: None,
                    params: Vec::new(),
                    ret: None,
                    body: stmts,
                };
                Expr::new(ExprKind::Other(vec![Expr::new(ExprKind::Lambda(Box::new(f)), n)]), n)
            }
            "number_literal" | "boolean_literal" | "null" | "character_literal" => Expr::other(n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// `a.b`, `a?.b`, `T::class.java` (a type value).
    fn navigation<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let ks = kids(n);
        let (Some(o), Some(f)) = (ks.first().copied(), ks.last().copied()) else { return other(n, |x| self.expr(x)) };
        if ks.len() != 2 {
            return other(n, |x| self.expr(x));
        }
        let name = self.t(f).to_string();
        if name == "java" || name == "class" {
            let inner = if name == "java" && o.kind() == "navigation_expression" {
                kids(o).into_iter().next()
            } else {
                Some(o)
            };
            if let Some(t) = inner.filter(|t| is_type_name(self.t(*t).rsplit('.').next().unwrap_or(""))) {
                return Expr::new(ExprKind::TypeValue(self.ty(t)), n);
            }
        }
        Expr::new(ExprKind::Member { obj: Box::new(self.receiver(o)), name }, f)
    }

    /// A capitalised receiver is a type (`GetCartRequest.newBuilder()`, `Json.decodeFromString`).
    fn receiver<'t>(&self, o: TsNode<'t>) -> Expr<'t> {
        let e = self.expr(o);
        match &e.kind {
            ExprKind::Name(x) if is_type_name(x) => Expr::new(ExprKind::TypeValue(TypeExpr::named("", x)), o),
            _ => e,
        }
    }

    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let ks = kids(n);
        let callee = ks.first().map(|c| self.expr(*c)).unwrap_or_else(|| Expr::other(n));
        let mut targs = Vec::new();
        let mut args = Vec::new();
        for k in ks.iter().skip(1) {
            match k.kind() {
                "type_arguments" => {
                    targs = kids(*k).into_iter().map(|t| self.ty(kids(t).into_iter().last().unwrap_or(t))).collect()
                }
                "value_arguments" => {
                    for a in kids(*k).into_iter().filter(|a| a.kind() == "value_argument") {
                        let aks = kids(a);
                        let name = (aks.len() == 2).then(|| self.t(aks[0]).to_string());
                        if let Some(v) = aks.last() {
                            args.push(Arg { name, value: self.expr(*v) });
                        }
                    }
                }
                "annotated_lambda" | "lambda_literal" => args.push(Arg { name: None, value: self.lambda(*k) }),
                _ => {}
            }
        }
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n)
    }

    fn lambda<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let lit = if n.kind() == "annotated_lambda" {
            kids(n).into_iter().find(|k| k.kind() == "lambda_literal").unwrap_or(n)
        } else {
            n
        };
        let mut params = Vec::new();
        let mut body = Vec::new();
        let ks = kids(lit);
        let last = ks.len().saturating_sub(1);
        for (i, k) in ks.into_iter().enumerate() {
            match k.kind() {
                "lambda_parameters" | "function_value_parameters" => params = self.params(k),
                "block" | "function_body" => body.extend(self.block(k)),
                _ if i == last && !k.kind().ends_with("declaration") && k.kind() != "assignment" => {
                    body.push(Stmt::Return(self.expr(k)))
                }
                _ => self.stmt(k, &mut body),
            }
        }
        if params.is_empty() {
            params.push(Param { target: Target::Name("it".into()), ty: None, body: false });
        }
        let f = Func { node: lit, name: String::new(), owner: None, this: None, params, ret: None, body };
        Expr::new(ExprKind::Lambda(Box::new(f)), n)
    }
}
