//! C++ into the flow IR: namespaces, classes and structs (field types,
//! inline methods, constructor initialiser lists as field assignments),
//! out-of-class definitions (`Status Impl::GetQuote(...)`), declarations
//! with types (`auto`, `const X& x`, `X x{...}`, `std::unique_ptr<X::Stub>`),
//! member access through `.` and `->`, `&x` / `*x`, range `for`, lambdas,
//! `new X(...)`, casts.
//!
//! Qualified names keep their scope as a dotted qualifier (`hipstershop::Money`
//! is `hipstershop.Money`); smart pointers and `std::optional` stand for their
//! element, `std::vector` and protobuf repeated fields are lists.

use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Param, Stmt, Target, TypeExpr, TypeFields};
use tree_sitter::Node as TsNode;

/// Lowers a C++ file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx };
    let mut ir = FileIr::default();
    let mut top = Vec::new();
    l.decls(root, &mut ir, &mut top);
    ir.top = top;
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl<'c, 'a> Lower<'c, 'a> {
    fn t(&self, n: TsNode) -> &'a str {
        text(self.ctx, n)
    }

    /// Namespace-level declarations: classes, functions, globals.
    fn decls<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>, top: &mut Vec<Stmt<'t>>) {
        for k in kids(n) {
            match k.kind() {
                "namespace_definition" | "linkage_specification" => {
                    if let Some(b) = k.child_by_field_name("body") {
                        self.decls(b, ir, top);
                    }
                }
                "declaration_list"
                | "template_declaration"
                | "preproc_if"
                | "preproc_ifdef"
                | "preproc_else"
                | "preproc_elif"
                | "export_declaration" => self.decls(k, ir, top),
                "class_specifier" | "struct_specifier" => self.class(k, ir),
                "function_definition" => {
                    if let Some(f) = self.func(k, None) {
                        ir.funcs.push(f);
                    }
                }
                "declaration" => {
                    // `class X {...} x;` and globals.
                    if let Some(t) = k.child_by_field_name("type").filter(|t| t.kind().ends_with("_specifier")) {
                        if matches!(t.kind(), "class_specifier" | "struct_specifier") {
                            self.class(t, ir);
                        }
                    }
                    self.declaration(k, top);
                }
                _ => {}
            }
        }
    }

    fn class<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let Some(name) = n.child_by_field_name("name").map(|x| last(self.t(x)).to_string()) else { return };
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        for m in n.child_by_field_name("body").map(kids).unwrap_or_default() {
            self.member(m, &name, &mut fields, ir);
        }
        ir.types.push(fields);
    }

    /// A member of a class body.
    fn member<'t>(&self, m: TsNode<'t>, owner: &str, fields: &mut TypeFields, ir: &mut FileIr<'t>) {
        match m.kind() {
            "field_declaration" => {
                let Some(ty) = m.child_by_field_name("type").map(|t| self.ty(t)) else { return };
                let mut c = m.walk();
                for d in m.children_by_field_name("declarator", &mut c) {
                    if let Some(nm) = declared_name(self.ctx, d) {
                        fields.fields.push((nm, pointer_of(d, ty.clone())));
                    }
                }
            }
            "function_definition" => {
                if let Some(f) = self.func(m, Some(owner)) {
                    ir.funcs.push(f);
                }
            }
            "template_declaration" | "preproc_if" | "preproc_ifdef" | "preproc_else" => {
                for k in kids(m) {
                    self.member(k, owner, fields, ir);
                }
            }
            "class_specifier" | "struct_specifier" => self.class(m, ir),
            _ => {}
        }
    }

    /// A function or method definition; `owner` is the class it is written in, else the scope
    /// of its qualified name (`Status Impl::GetQuote(...)`).
    fn func<'t>(&self, n: TsNode<'t>, owner: Option<&str>) -> Option<Func<'t>> {
        let fd = function_declarator(n.child_by_field_name("declarator")?)?;
        let dname = fd.child_by_field_name("declarator")?;
        let full = self.t(dname);
        let (scope, name) = match full.rsplit_once("::") {
            Some((s, nm)) => (Some(last(s).to_string()), nm.to_string()),
            None => (None, full.to_string()),
        };
        let owner = owner.map(str::to_string).or(scope);
        let params = fd.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let ret = n.child_by_field_name("type").map(|t| self.ty(t));
        let mut body = Vec::new();
        // Constructor initialisers: `stub_(X::NewStub(channel))` assigns the field.
        for k in kids(n).into_iter().filter(|k| k.kind() == "field_initializer_list") {
            for fi in kids(k).into_iter().filter(|x| x.kind() == "field_initializer") {
                let ks = kids(fi);
                let (Some(f), Some(a)) = (ks.first(), ks.last()) else { continue };
                let Some(v) = kids(*a).into_iter().next() else { continue };
                let this = Expr::new(ExprKind::Name("this".into()), fi);
                body.push(Stmt::Let {
                    target: Target::Member(Box::new(this), self.t(*f).to_string(), fi),
                    ty: None,
                    value: Some(self.expr(v)),
                });
            }
        }
        if let Some(b) = n.child_by_field_name("body") {
            self.stmt(b, &mut body);
        }
        let this = owner.as_ref().map(|_| "this".to_string());
        Some(Func { node: n, name, owner, this, params, ret, body })
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        kids(list)
            .into_iter()
            .filter(|p| matches!(p.kind(), "parameter_declaration" | "optional_parameter_declaration"))
            .map(|p| {
                let ty = p.child_by_field_name("type").map(|t| self.ty(t));
                let d = p.child_by_field_name("declarator");
                let target = d.and_then(|d| declared_name(self.ctx, d)).map(Target::Name).unwrap_or(Target::Ignore);
                Param { target, ty, body: false }
            })
            .collect()
    }

    /// A type as written: smart pointers and `optional` are their element; vectors and
    /// repeated fields are lists; builtins and `auto` are opaque.
    fn ty(&self, t: TsNode) -> TypeExpr {
        match t.kind() {
            "type_identifier" | "identifier" | "namespace_identifier" => TypeExpr::named("", self.t(t)),
            "qualified_identifier" => {
                let mut scope = Vec::new();
                let mut cur = t;
                loop {
                    if let Some(s) = cur.child_by_field_name("scope") {
                        scope.push(self.t(s).to_string());
                    }
                    match cur.child_by_field_name("name") {
                        Some(nm) if nm.kind() == "qualified_identifier" => cur = nm,
                        Some(nm) => {
                            let mut inner = self.ty(nm);
                            let q = scope.join(".");
                            if q == "std" || q.is_empty() || !inner.qual.is_empty() {
                                if q == "std" && inner.args.is_empty() {
                                    inner.qual = "std".into();
                                }
                                return inner;
                            }
                            inner.qual = q;
                            return inner;
                        }
                        None => return TypeExpr::named("", "object"),
                    }
                }
            }
            "template_type" => {
                let name = t.child_by_field_name("name").map(|x| self.t(x)).unwrap_or("");
                let args: Vec<TypeExpr> = t
                    .child_by_field_name("arguments")
                    .map(kids)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| a.child_by_field_name("type").map(|x| self.ty(x)).unwrap_or_else(|| self.ty(a)))
                    .collect();
                let first = args.first().cloned().unwrap_or_default();
                match name {
                    "unique_ptr" | "shared_ptr" | "weak_ptr" | "optional" | "reference_wrapper" | "atomic" => first,
                    "vector" | "list" | "deque" | "set" | "unordered_set" | "span" | "array" | "RepeatedPtrField"
                    | "RepeatedField" => {
                        TypeExpr { name: first.name.clone(), qual: first.qual.clone(), args: vec![first], list: true }
                    }
                    "map" | "unordered_map" | "multimap" | "pair" | "tuple" | "function" | "variant"
                    | "basic_string" | "Map" => TypeExpr::named("", "object"),
                    _ => TypeExpr { name: name.to_string(), qual: String::new(), args, list: false },
                }
            }
            "type_descriptor" => t.child_by_field_name("type").map(|x| self.ty(x)).unwrap_or_default(),
            "primitive_type" | "sized_type_specifier" => TypeExpr::named("", "int"),
            "placeholder_type_specifier" | "auto" | "decltype" => TypeExpr::named("", "var"),
            _ => TypeExpr::named("", "object"),
        }
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "compound_statement" | "condition_clause" | "else_clause" | "case_statement" | "try_statement"
            | "catch_clause" | "labeled_statement" | "if_statement" | "while_statement" | "do_statement"
            | "switch_statement" | "for_statement" => {
                for k in kids(s) {
                    if k.kind() == "declaration" {
                        self.declaration(k, out);
                    } else if is_stmt(k.kind()) {
                        self.stmt(k, out);
                    } else {
                        self.expr_stmt(k, out);
                    }
                }
            }
            "declaration" => self.declaration(s, out),
            "expression_statement" => {
                for k in kids(s) {
                    self.expr_stmt(k, out);
                }
            }
            "return_statement" | "co_return_statement" => {
                if let Some(e) = kids(s).into_iter().next() {
                    out.push(Stmt::Return(self.expr(e)));
                }
            }
            "for_range_loop" => {
                let ty = s.child_by_field_name("type").map(|t| self.ty(t)).filter(|t| t.name != "var");
                let target = s
                    .child_by_field_name("declarator")
                    .and_then(|d| declared_name(self.ctx, d))
                    .map(Target::Name)
                    .unwrap_or(Target::Ignore);
                let iter = s.child_by_field_name("right").map(|v| self.expr(v)).unwrap_or_else(|| Expr::other(s));
                let mut body = Vec::new();
                if let Some(b) = s.child_by_field_name("body") {
                    self.stmt(b, &mut body);
                }
                out.push(Stmt::For { target, ty, iter, body });
            }
            "comment"
            | "break_statement"
            | "continue_statement"
            | "goto_statement"
            | "type_definition"
            | "alias_declaration"
            | "using_declaration"
            | "static_assert_declaration" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    /// `T x;`, `T x = v;`, `auto x = v;`, `T x{a, b};`, `T x(a, b);`, `const T& x = v;`.
    fn declaration<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let Some(ty) = s.child_by_field_name("type").map(|t| self.ty(t)) else { return };
        let mut c = s.walk();
        let decls: Vec<TsNode<'t>> = s.children_by_field_name("declarator", &mut c).collect();
        for d in decls {
            let Some(name) = declared_name(self.ctx, d) else { continue };
            let ty = Some(pointer_of(d, ty.clone())).filter(|t| t.name != "var");
            let value = match d.kind() {
                "init_declarator" => d.child_by_field_name("value").map(|v| match v.kind() {
                    // `T x(a, b)` / `T x{a, b}`: a construction; its arguments are still evaluated.
                    "argument_list" | "initializer_list" => other(v, |x| self.expr(x)),
                    _ => self.expr(v),
                }),
                _ => None,
            };
            out.push(Stmt::Let { target: Target::Name(name), ty, value });
        }
    }

    /// Assignments bind (a compound assignment to a member writes it); anything else is evaluated.
    fn expr_stmt<'t>(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        if e.kind() == "assignment_expression" {
            if let (Some(l), Some(r)) = (e.child_by_field_name("left"), e.child_by_field_name("right")) {
                let op = e.child_by_field_name("operator").map(|o| self.t(o)).unwrap_or("=");
                let value = self.expr(r);
                let target = self.target(l);
                if op == "=" || matches!(target, Target::Member(..)) {
                    out.push(Stmt::Let { target, ty: None, value: Some(value) });
                } else {
                    out.push(Stmt::Expr(value));
                }
                return;
            }
        }
        if is_stmt(e.kind()) {
            self.stmt(e, out);
        } else {
            out.push(Stmt::Expr(self.expr(e)));
        }
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" => Target::Name(self.t(n).to_string()),
            "field_expression" => {
                let obj = n.child_by_field_name("argument").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("field").map(|f| self.t(f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "pointer_expression" | "parenthesized_expression" => {
                kids(n).into_iter().last().map(|x| self.target(x)).unwrap_or(Target::Ignore)
            }
            _ => Target::Ignore,
        }
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let f = |name: &str| n.child_by_field_name(name);
        match n.kind() {
            "identifier" | "this" | "field_identifier" => Expr::new(ExprKind::Name(self.t(n).to_string()), n),
            "qualified_identifier" => self.qualified(n),
            "field_expression" => {
                let obj = f("argument").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let name = f("field").map(|x| self.t(x).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "call_expression" => self.call(n),
            "pointer_expression" | "parenthesized_expression" | "reference_expression" | "co_await_expression" => {
                match kids(n).into_iter().last() {
                    Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                    None => Expr::other(n),
                }
            }
            "subscript_expression" => {
                let obj = f("argument").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = f("indices")
                    .or_else(|| f("index"))
                    .and_then(
                        |i| if i.kind() == "subscript_argument_list" { kids(i).into_iter().next() } else { Some(i) },
                    )
                    .map(|k| self.expr(k))
                    .unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "new_expression" => {
                let ty = f("type").map(|t| self.ty(t)).unwrap_or_default();
                let args = f("arguments").map(|a| self.args(a)).unwrap_or_default();
                Expr::new(ExprKind::New { ty, args, fields: Vec::new() }, n)
            }
            "compound_literal_expression" => {
                let ty = f("type").map(|t| self.ty(t)).unwrap_or_default();
                let args = f("value").map(|a| self.args(a)).unwrap_or_default();
                Expr::new(ExprKind::New { ty, args, fields: Vec::new() }, n)
            }
            "cast_expression" => {
                let inner = f("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let ty = f("type").map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::Cast { expr: Box::new(inner), ty }, n)
            }
            "lambda_expression" => self.lambda(n),
            "string_literal" | "raw_string_literal" | "concatenated_string" | "char_literal" => {
                Expr::new(ExprKind::Str, n)
            }
            "initializer_list" => Expr::new(ExprKind::List(kids(n).into_iter().map(|x| self.expr(x)).collect()), n),
            "number_literal" | "true" | "false" | "null" | "nullptr" | "comment" => Expr::other(n),
            "assignment_expression" => {
                let xs = f("right").map(|r| vec![self.expr(r)]).unwrap_or_default();
                Expr::new(ExprKind::Other(xs), n)
            }
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// `a::b::c` as member `c` of the name `a.b` (a scope is never a local variable, so
    /// `context::propagation::X` is not a read of a parameter named `context`); static calls
    /// still reach library knowledge by the path.
    fn qualified<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let segs: Vec<&str> = self.t(n).split("::").map(|s| s.split('<').next().unwrap_or(s).trim()).collect();
        match segs.split_last() {
            Some((last, scope)) if !scope.is_empty() => {
                let obj = Expr::new(ExprKind::Name(scope.join(".")), n);
                Expr::new(ExprKind::Member { obj: Box::new(obj), name: last.to_string() }, n)
            }
            _ => Expr::new(ExprKind::Name(segs.join(".")), n),
        }
    }

    /// `f(args)`, `obj.m(args)`, `obj->m(args)`, `X::M(args)`; `std::move(x)` is `x`;
    /// `static_cast<T>(x)` is a cast.
    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let fnode = n.child_by_field_name("function");
        let args = n.child_by_field_name("arguments").map(|a| self.args(a)).unwrap_or_default();
        let Some(fx) = fnode else { return other(n, |x| self.expr(x)) };
        let ftext = self.t(fx);
        if matches!(ftext, "std::move" | "std::ref" | "std::cref" | "std::forward" | "move") && args.len() == 1 {
            if let Some(a) = args.into_iter().next() {
                return Expr::new(ExprKind::Wrap(Box::new(a.value)), n);
            }
            return Expr::other(n);
        }
        if fx.kind() == "template_function" {
            let name = fx.child_by_field_name("name").map(|x| self.t(x)).unwrap_or("");
            let targs: Vec<TypeExpr> = fx
                .child_by_field_name("arguments")
                .map(kids)
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.child_by_field_name("type").map(|x| self.ty(x)).unwrap_or_else(|| self.ty(a)))
                .collect();
            if name.ends_with("_cast") {
                if let (Some(ty), Some(a)) = (targs.first().cloned(), args.into_iter().next()) {
                    return Expr::new(ExprKind::Cast { expr: Box::new(a.value), ty }, n);
                }
                return Expr::other(n);
            }
            let callee = Expr::new(ExprKind::Name(last(name).to_string()), fx);
            return Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n);
        }
        let callee = match fx.kind() {
            "field_expression" => {
                let obj = fx.child_by_field_name("argument").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(fx));
                let nm = fx.child_by_field_name("field");
                let name = nm.map(|x| self.t(x).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, nm.unwrap_or(fx))
            }
            _ => self.expr(fx),
        };
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n)
    }

    fn args<'t>(&self, list: TsNode<'t>) -> Vec<Arg<'t>> {
        kids(list).into_iter().map(|a| Arg { name: None, value: self.expr(a) }).collect()
    }

    fn lambda<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let params = n
            .child_by_field_name("declarator")
            .and_then(|d| d.child_by_field_name("parameters"))
            .map(|p| self.params(p))
            .unwrap_or_default();
        let mut body = Vec::new();
        if let Some(b) = n.child_by_field_name("body") {
            self.stmt(b, &mut body);
        }
        let f = Func { node: n, name: String::new(), owner: None, this: None, params, ret: None, body };
        Expr::new(ExprKind::Lambda(Box::new(f)), n)
    }
}

/// The `function_declarator` inside a definition's declarator (under pointers and references).
fn function_declarator(d: TsNode) -> Option<TsNode> {
    let mut cur = d;
    for _ in 0..8 {
        if cur.kind() == "function_declarator" {
            return Some(cur);
        }
        cur = cur.child_by_field_name("declarator").or_else(|| kids(cur).into_iter().next())?;
    }
    None
}

/// The name a declarator declares (`x`, `*x`, `&x`, `x = v`, `x[3]`).
fn declared_name(ctx: &Ctx, d: TsNode) -> Option<String> {
    let mut cur = d;
    for _ in 0..8 {
        match cur.kind() {
            "identifier" | "field_identifier" => return Some(text(ctx, cur).to_string()),
            "function_declarator" => return None,
            _ => cur = cur.child_by_field_name("declarator").or_else(|| kids(cur).into_iter().next())?,
        }
    }
    None
}

/// A declared type, a list when the declarator is an array (`Item items[3]`).
fn pointer_of(d: TsNode, ty: TypeExpr) -> TypeExpr {
    let mut cur = d;
    for _ in 0..8 {
        if cur.kind() == "array_declarator" {
            return TypeExpr { name: ty.name.clone(), qual: ty.qual.clone(), args: vec![ty], list: true };
        }
        match cur.child_by_field_name("declarator") {
            Some(x) => cur = x,
            None => break,
        }
    }
    ty
}

/// Statement kinds lowered by [`Lower::stmt`].
fn is_stmt(kind: &str) -> bool {
    kind.ends_with("_statement")
        || matches!(kind, "compound_statement" | "for_range_loop" | "else_clause" | "catch_clause" | "declaration")
}

/// The last segment of `a::b::c`.
fn last(s: &str) -> &str {
    s.rsplit("::").next().unwrap_or(s)
}
