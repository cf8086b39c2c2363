//! C# into the flow IR: namespaces, classes, records and structs (fields,
//! properties, primary-constructor parameters as fields, constructors,
//! methods, local functions), top-level statements, `var`, `await`,
//! `foreach`, object initializers (`new X { A = 1 }` writes `A`), compound
//! assignments (`x.Quantity += 1` writes), LINQ lambdas, `typeof(T)`,
//! generic calls (`GetFromJsonAsync<T>`, `Deserialize<T>`).
//!
//! A capitalised name that is not a member of the enclosing class is a
//! type when a member is taken from it (`JsonSerializer.Deserialize`,
//! `Cart.Parser.ParseFrom`), so static calls reach the library knowledge.

use super::jvm_types::{self, is_type_name};
use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr, TypeFields};
use std::collections::HashSet;
use tree_sitter::Node as TsNode;

/// Lowers a C# file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let mut l = Lower { ctx, members: HashSet::new() };
    let mut ir = FileIr::default();
    let mut top = Vec::new();
    l.decls(root, &mut ir, &mut top);
    if !top.is_empty() {
        ir.funcs.push(Func {
            node: root,
            name: String::new(),
            owner: None,
            this: None,
            params: Vec::new(),
            ret: None,
            body: top,
        });
    }
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// Member names of the class being lowered (capitalised names that are not types).
    members: HashSet<String>,
}

impl<'c, 'a> Lower<'c, 'a> {
    fn t(&self, n: TsNode) -> &'a str {
        text(self.ctx, n)
    }

    /// Namespace members, type declarations and top-level statements.
    fn decls<'t>(&mut self, n: TsNode<'t>, ir: &mut FileIr<'t>, top: &mut Vec<Stmt<'t>>) {
        for k in kids(n) {
            match k.kind() {
                "namespace_declaration" | "file_scoped_namespace_declaration" => match k.child_by_field_name("body") {
                    Some(b) => self.decls(b, ir, top),
                    None => self.decls(k, ir, top),
                },
                "declaration_list" => self.decls(k, ir, top),
                "class_declaration"
                | "record_declaration"
                | "struct_declaration"
                | "interface_declaration"
                | "record_struct_declaration" => self.class(k, ir),
                "global_statement" => {
                    for s in kids(k) {
                        self.stmt(s, top);
                    }
                }
                _ => {}
            }
        }
    }

    fn class<'t>(&mut self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let Some(name) = n.child_by_field_name("name").map(|x| self.t(x).to_string()) else { return };
        let saved = std::mem::take(&mut self.members);
        let body = n.child_by_field_name("body");
        for m in body.map(kids).unwrap_or_default() {
            if let Some(nm) = m.child_by_field_name("name") {
                self.members.insert(self.t(nm).to_string());
            }
            if m.kind() == "field_declaration" {
                for d in declarators(m) {
                    if let Some(nm) = d.child_by_field_name("name") {
                        self.members.insert(self.t(nm).to_string());
                    }
                }
            }
        }
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        // Primary constructor and positional record parameters are members.
        if let Some(ps) = kids(n).into_iter().find(|k| k.kind() == "parameter_list") {
            for p in self.params(ps) {
                if let (Target::Name(nm), Some(ty)) = (p.target, p.ty) {
                    self.members.insert(nm.clone());
                    fields.fields.push((nm, ty));
                }
            }
        }
        let mut init = Vec::new();
        for m in body.map(kids).unwrap_or_default() {
            match m.kind() {
                "field_declaration" | "property_declaration" => self.field(m, &mut fields, &mut init),
                "method_declaration"
                | "constructor_declaration"
                | "local_function_statement"
                | "operator_declaration" => ir.funcs.push(self.method(m, &name)),
                "class_declaration" | "record_declaration" | "struct_declaration" | "interface_declaration" => {
                    self.class(m, ir)
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
        self.members = saved;
    }

    /// Fields and properties: declared types, and initializers as assignments to `this.x`.
    fn field<'t>(&self, m: TsNode<'t>, fields: &mut TypeFields, init: &mut Vec<Stmt<'t>>) {
        let mut decls: Vec<(String, Option<TypeExpr>, Option<TsNode<'t>>, TsNode<'t>)> = Vec::new();
        if m.kind() == "property_declaration" {
            let ty = m.child_by_field_name("type").map(|t| self.ty(t));
            if let Some(nm) = m.child_by_field_name("name") {
                decls.push((self.t(nm).to_string(), ty, m.child_by_field_name("value"), m));
            }
        } else if let Some(vd) = kids(m).into_iter().find(|k| k.kind() == "variable_declaration") {
            let ty = vd.child_by_field_name("type").map(|t| self.ty(t));
            for d in declarators(m) {
                if let Some(nm) = d.child_by_field_name("name") {
                    decls.push((self.t(nm).to_string(), ty.clone(), declarator_value(d), d));
                }
            }
        }
        for (nm, ty, value, at) in decls {
            if let Some(t) = &ty {
                fields.fields.push((nm.clone(), t.clone()));
            }
            if let Some(v) = value {
                let this = Expr::new(ExprKind::Name("this".into()), at);
                init.push(Stmt::Let { target: Target::Member(Box::new(this), nm, at), ty, value: Some(self.expr(v)) });
            }
        }
    }

    fn method<'t>(&self, n: TsNode<'t>, owner: &str) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| self.t(x).to_string()).unwrap_or_default();
        let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let ret = n.child_by_field_name("returns").or_else(|| n.child_by_field_name("type")).map(|t| self.ty(t));
        let body = self.body(n);
        Func { node: n, name, owner: Some(owner.to_string()), this: Some("this".into()), params, ret, body }
    }

    /// A method or lambda body: a block, or `=> expr`.
    fn body<'t>(&self, n: TsNode<'t>) -> Vec<Stmt<'t>> {
        let b = n
            .child_by_field_name("body")
            .or_else(|| kids(n).into_iter().find(|k| k.kind() == "arrow_expression_clause"));
        match b {
            Some(b) if b.kind() == "block" => self.block(b),
            Some(b) if b.kind() == "arrow_expression_clause" => {
                kids(b).into_iter().next().map(|e| vec![Stmt::Return(self.expr(e))]).unwrap_or_default()
            }
            Some(b) => vec![Stmt::Return(self.expr(b))],
            None => Vec::new(),
        }
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        kids(list)
            .into_iter()
            .filter(|p| p.kind() == "parameter")
            .map(|p| Param {
                target: p
                    .child_by_field_name("name")
                    .map(|x| Target::Name(self.t(x).to_string()))
                    .unwrap_or(Target::Ignore),
                ty: p.child_by_field_name("type").map(|t| self.ty(t)),
                // `[FromBody] Order o`: the served request's body.
                body: self.t(p).contains("FromBody"),
            })
            .collect()
    }

    fn ty(&self, t: TsNode) -> TypeExpr {
        match t.kind() {
            "generic_name" => {
                let mut base = kids(t).into_iter().next().map(|b| TypeExpr::named("", self.t(b))).unwrap_or_default();
                if let Some(ta) = kids(t).into_iter().find(|k| k.kind() == "type_argument_list") {
                    base.args = kids(ta).into_iter().map(|a| self.ty(a)).collect();
                }
                jvm_types::mark_collection(base)
            }
            "qualified_name" => {
                let q = t.child_by_field_name("qualifier").map(|x| self.t(x)).unwrap_or("");
                let mut n = t.child_by_field_name("name").map(|x| self.ty(x)).unwrap_or_default();
                n.qual = q.trim_start_matches("global::").to_string();
                n
            }
            "nullable_type" | "ref_type" | "scoped_type" => {
                kids(t).into_iter().next().map(|x| self.ty(x)).unwrap_or_default()
            }
            "array_type" => {
                let el = t.child_by_field_name("type").map(|x| self.ty(x)).unwrap_or_default();
                TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true }
            }
            "implicit_type" => TypeExpr::named("", "var"),
            "tuple_type" => TypeExpr::named("", "object"),
            _ => jvm_types::from_text(self.t(t).trim_start_matches("global::")),
        }
    }

    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        self.stmt(b, &mut out);
        out
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let field = |f: &str| s.child_by_field_name(f);
        match s.kind() {
            "block" | "unsafe_statement" | "checked_statement" | "labeled_statement" => {
                for k in kids(s) {
                    self.stmt(k, out);
                }
            }
            "local_declaration_statement" | "variable_declaration" | "field_declaration" => self.local(s, out),
            "expression_statement" => {
                for k in kids(s) {
                    self.expr_stmt(k, out);
                }
            }
            "return_statement" | "yield_statement" | "throw_statement" => {
                if let Some(e) = kids(s).into_iter().next() {
                    out.push(Stmt::Return(self.expr(e)));
                }
            }
            "if_statement" | "while_statement" | "do_statement" | "lock_statement" | "using_statement"
            | "fixed_statement" => {
                for k in kids(s) {
                    match k.kind() {
                        "block" | "if_statement" | "expression_statement" | "return_statement" => self.stmt(k, out),
                        "variable_declaration" => self.local(k, out),
                        _ if k.kind().ends_with("statement") => self.stmt(k, out),
                        _ => out.push(Stmt::Expr(self.expr(k))),
                    }
                }
            }
            "for_statement" => {
                for k in kids(s) {
                    if k.kind().ends_with("statement") || k.kind() == "block" || k.kind() == "variable_declaration" {
                        self.stmt(k, out);
                    } else {
                        self.expr_stmt(k, out);
                    }
                }
            }
            "foreach_statement" => {
                let ty = field("type").map(|t| self.ty(t)).filter(|t| t.name != "var");
                let target = field("left").map(|n| self.target(n)).unwrap_or(Target::Ignore);
                let iter = field("right").map(|v| self.expr(v)).unwrap_or_else(|| Expr::other(s));
                let body = field("body").map(|b| self.block(b)).unwrap_or_default();
                out.push(Stmt::For { target, ty, iter, body });
            }
            "try_statement" => {
                for k in kids(s) {
                    match k.kind() {
                        "block" => self.stmt(k, out),
                        "catch_clause" | "finally_clause" => {
                            if let Some(b) = kids(k).into_iter().find(|x| x.kind() == "block") {
                                self.stmt(b, out);
                            }
                        }
                        _ => {}
                    }
                }
            }
            "switch_statement" => {
                for k in kids(s) {
                    if k.kind() == "switch_body" {
                        for sec in kids(k) {
                            for x in kids(sec) {
                                if x.kind().ends_with("statement") || x.kind() == "block" {
                                    self.stmt(x, out);
                                }
                            }
                        }
                    } else {
                        out.push(Stmt::Expr(self.expr(k)));
                    }
                }
            }
            "local_function_statement" => {
                let Some(nm) = field("name") else { return };
                let f = Func {
                    node: s,
                    name: String::new(),
                    owner: None,
                    this: None,
                    params: field("parameters").map(|p| self.params(p)).unwrap_or_default(),
                    ret: field("type").or_else(|| field("returns")).map(|t| self.ty(t)),
                    body: self.body(s),
                };
                out.push(Stmt::Let {
                    target: Target::Name(self.t(nm).to_string()),
                    ty: None,
                    value: Some(Expr::new(ExprKind::Lambda(Box::new(f)), s)),
                });
            }
            "empty_statement" | "break_statement" | "continue_statement" | "goto_statement" | "comment" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    /// `var x = v;`, `T a = v, b;`, `using var x = v;`.
    fn local<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let vd = if s.kind() == "variable_declaration" {
            Some(s)
        } else {
            kids(s).into_iter().find(|k| k.kind() == "variable_declaration")
        };
        let Some(vd) = vd else { return };
        let ty = vd.child_by_field_name("type").map(|t| self.ty(t)).filter(|t| t.name != "var");
        for d in kids(vd).into_iter().filter(|k| k.kind() == "variable_declarator") {
            let target = match d.child_by_field_name("name") {
                Some(n) => Target::Name(self.t(n).to_string()),
                None => kids(d).into_iter().next().map(|n| self.target(n)).unwrap_or(Target::Ignore),
            };
            let value = declarator_value(d).map(|v| self.expr(v));
            out.push(Stmt::Let { target, ty: ty.clone(), value });
        }
    }

    /// Assignments bind (a compound assignment to a member writes it); anything else is evaluated.
    fn expr_stmt<'t>(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        if e.kind() == "assignment_expression" {
            if let (Some(l), Some(r)) = (e.child_by_field_name("left"), e.child_by_field_name("right")) {
                let op = operator(self.ctx, e);
                let value = self.expr(r);
                let target = self.target(l);
                if op != "=" {
                    let value = Expr::new(ExprKind::Other(vec![value]), r);
                    if matches!(target, Target::Member(..)) {
                        out.push(Stmt::Let { target, ty: None, value: Some(value) });
                    } else {
                        out.push(Stmt::Expr(value));
                    }
                } else {
                    out.push(Stmt::Let { target, ty: None, value: Some(value) });
                }
                return;
            }
        }
        out.push(Stmt::Expr(self.expr(e)));
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" if self.t(n) == "_" => Target::Ignore,
            "identifier" => Target::Name(self.t(n).to_string()),
            "member_access_expression" => {
                let obj = n.child_by_field_name("expression").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("name").map(|f| self.t(f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "tuple_expression" | "tuple_pattern" | "parenthesized_variable_designation" => Target::Tuple(
                kids(n).into_iter().map(|k| self.target(kids(k).into_iter().last().unwrap_or(k))).collect(),
            ),
            "declaration_expression" => n.child_by_field_name("name").map(|x| self.target(x)).unwrap_or(Target::Ignore),
            _ => Target::Ignore,
        }
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let f = |name: &str| n.child_by_field_name(name);
        match n.kind() {
            "identifier" | "this" | "this_expression" | "base" => Expr::new(ExprKind::Name(self.t(n).to_string()), n),
            "member_access_expression" => {
                let obj = f("expression").map(|o| self.receiver(o)).unwrap_or_else(|| Expr::other(n));
                let name = f("name").map(|x| self.simple_name(x)).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "conditional_access_expression" => {
                let obj = f("condition")
                    .or_else(|| kids(n).into_iter().next())
                    .map(|o| self.expr(o))
                    .unwrap_or_else(|| Expr::other(n));
                match kids(n).into_iter().find(|k| k.kind() == "member_binding_expression") {
                    Some(mb) => {
                        let name = f("name")
                            .or_else(|| kids(mb).into_iter().last())
                            .map(|x| self.simple_name(x))
                            .unwrap_or_default();
                        Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
                    }
                    None => Expr::new(ExprKind::Wrap(Box::new(obj)), n),
                }
            }
            "invocation_expression" => self.call(n),
            "object_creation_expression" => self.new_expr(n),
            "implicit_object_creation_expression" | "anonymous_object_creation_expression" => {
                let pairs = self.init_pairs(f("initializer").unwrap_or(n));
                Expr::new(ExprKind::Object(pairs), n)
            }
            "element_access_expression" => {
                let obj = f("expression").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = f("subscript")
                    .and_then(|s| kids(s).into_iter().next())
                    .map(|a| kids(a).into_iter().last().unwrap_or(a))
                    .map(|k| self.expr(k))
                    .unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "await_expression"
            | "parenthesized_expression"
            | "postfix_unary_expression"
            | "checked_expression"
            | "ref_expression" => match kids(n).into_iter().next() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            "cast_expression" => {
                let inner = f("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let ty = f("type").map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::Cast { expr: Box::new(inner), ty }, n)
            }
            "as_expression" => {
                let ks = kids(n);
                match (ks.first(), ks.last()) {
                    (Some(a), Some(b)) if ks.len() == 2 => {
                        Expr::new(ExprKind::Cast { expr: Box::new(self.expr(*a)), ty: self.ty(*b) }, n)
                    }
                    _ => other(n, |x| self.expr(x)),
                }
            }
            "typeof_expression" => {
                let ty = f("type").or_else(|| kids(n).into_iter().next()).map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::TypeValue(ty), n)
            }
            "string_literal" | "verbatim_string_literal" | "interpolated_string_expression" | "raw_string_literal" => {
                Expr::new(ExprKind::Str, n)
            }
            "lambda_expression" | "anonymous_method_expression" => self.lambda(n),
            "conditional_expression" => {
                let xs = ["condition", "consequence", "alternative"]
                    .iter()
                    .filter_map(|x| f(x))
                    .map(|x| self.expr(x))
                    .collect();
                Expr::new(ExprKind::Other(xs), n)
            }
            "initializer_expression"
            | "array_creation_expression"
            | "implicit_array_creation_expression"
            | "collection_expression" => {
                let items =
                    kids(n)
                        .into_iter()
                        .flat_map(|k| if k.kind() == "initializer_expression" { kids(k) } else { vec![k] });
                let xs = items.filter(|k| !k.kind().ends_with("type")).map(|x| self.expr(x)).collect();
                Expr::new(ExprKind::List(xs), n)
            }
            "integer_literal" | "real_literal" | "boolean_literal" | "null_literal" | "character_literal"
            | "predefined_type" => Expr::other(n),
            "generic_name" => Expr::new(ExprKind::Name(self.simple_name(n)), n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// The name of `Foo` or `Foo<T>`.
    fn simple_name(&self, n: TsNode) -> String {
        match n.kind() {
            "generic_name" => kids(n).into_iter().next().map(|x| self.t(x).to_string()).unwrap_or_default(),
            _ => self.t(n).to_string(),
        }
    }

    /// A member's receiver: a capitalised name that is no member of the class is a type
    /// (`JsonSerializer`, `Cart.Parser` of protobuf is its message `Cart`).
    fn receiver<'t>(&self, o: TsNode<'t>) -> Expr<'t> {
        let e = self.expr(o);
        let path = match &e.kind {
            ExprKind::Name(x) if is_type_name(x) && !self.members.contains(x) => Some(x.clone()),
            ExprKind::Member { .. } => e.path().filter(|p| {
                let head = p.split('.').next().unwrap_or("");
                !self.members.contains(head) && head.starts_with(|c: char| c.is_ascii_uppercase())
            }),
            _ => None,
        };
        let Some(path) = path else { return e };
        let path = path.strip_suffix(".Parser").unwrap_or(&path);
        let ty = match path.rsplit_once('.') {
            Some((q, n)) if is_type_name(n) => TypeExpr::named(q, n),
            None if is_type_name(path) => TypeExpr::named("", path),
            _ => return e,
        };
        Expr::new(ExprKind::TypeValue(ty), o)
    }

    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let fnode = n.child_by_field_name("function");
        let mut targs = Vec::new();
        let callee = match fnode {
            Some(fx) if fx.kind() == "member_access_expression" => {
                let obj =
                    fx.child_by_field_name("expression").map(|o| self.receiver(o)).unwrap_or_else(|| Expr::other(fx));
                let nm = fx.child_by_field_name("name");
                if let Some(g) = nm.filter(|g| g.kind() == "generic_name") {
                    targs = self.type_args(g);
                }
                let name = nm.map(|x| self.simple_name(x)).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, nm.unwrap_or(fx))
            }
            Some(fx) if fx.kind() == "generic_name" => {
                targs = self.type_args(fx);
                Expr::new(ExprKind::Name(self.simple_name(fx)), fx)
            }
            Some(fx) => self.expr(fx),
            None => Expr::other(n),
        };
        let args = n.child_by_field_name("arguments").map(|a| self.args(a)).unwrap_or_default();
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n)
    }

    fn type_args(&self, g: TsNode) -> Vec<TypeExpr> {
        kids(g).into_iter().filter(|k| k.kind() == "type_argument_list").flat_map(kids).map(|t| self.ty(t)).collect()
    }

    fn args<'t>(&self, list: TsNode<'t>) -> Vec<Arg<'t>> {
        kids(list)
            .into_iter()
            .filter(|a| a.kind() == "argument")
            .filter_map(|a| {
                let ks = kids(a);
                let name = ks
                    .iter()
                    .find(|k| k.kind() == "name_colon")
                    .map(|k| self.t(*k).trim_end_matches(':').trim().to_string());
                let v = ks.into_iter().rfind(|k| k.kind() != "name_colon")?;
                Some(Arg { name, value: self.expr(v) })
            })
            .collect()
    }

    /// `new T(args) { A = x, B = y }`.
    fn new_expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let ty = n.child_by_field_name("type").map(|t| self.ty(t)).unwrap_or_default();
        let mut args = n.child_by_field_name("arguments").map(|a| self.args(a)).unwrap_or_default();
        let init = n.child_by_field_name("initializer");
        let fields = init.map(|i| self.init_pairs(i)).unwrap_or_default();
        if let Some(i) = init {
            // A collection initializer's items are evaluated too.
            for k in kids(i).into_iter().filter(|k| k.kind() != "assignment_expression") {
                args.push(Arg { name: None, value: self.expr(k) });
            }
        }
        Expr::new(ExprKind::New { ty, args, fields }, n)
    }

    fn init_pairs<'t>(&self, init: TsNode<'t>) -> Vec<Pair<'t>> {
        let mut out = Vec::new();
        for k in kids(init) {
            let (l, r) = match k.kind() {
                "assignment_expression" => (k.child_by_field_name("left"), k.child_by_field_name("right")),
                "anonymous_object_member_declarator" | "name_equals" => {
                    let ks = kids(k);
                    (ks.first().copied(), ks.last().copied())
                }
                _ => (None, None),
            };
            let (Some(l), Some(r)) = (l, r) else { continue };
            let key = self.t(l).trim_end_matches('=').trim().to_string();
            if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            out.push(Pair { key, value: self.expr(r), node: k });
        }
        out
    }

    fn lambda<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let params = match n.child_by_field_name("parameters") {
            Some(p) if p.kind() == "parameter_list" => self.params(p),
            Some(p) if matches!(p.kind(), "identifier" | "implicit_parameter") => {
                vec![Param { target: Target::Name(self.t(p).to_string()), ty: None, body: false }]
            }
            Some(p) => kids(p)
                .into_iter()
                .map(|x| Param { target: Target::Name(self.t(x).to_string()), ty: None, body: false })
                .collect(),
            None => kids(n)
                .into_iter()
                .take_while(|k| k.kind() == "identifier" || k.kind() == "parameter_list")
                .flat_map(|k| {
                    if k.kind() == "identifier" {
                        vec![Param { target: Target::Name(self.t(k).to_string()), ty: None, body: false }]
                    } else {
                        self.params(k)
                    }
                })
                .collect(),
        };
        let body = self.body(n);
        let f = Func { node: n, name: String::new(), owner: None, this: None, params, ret: None, body };
        Expr::new(ExprKind::Lambda(Box::new(f)), n)
    }
}

/// The `variable_declarator`s of a field or local declaration.
fn declarators(m: TsNode) -> Vec<TsNode> {
    kids(m)
        .into_iter()
        .filter(|k| k.kind() == "variable_declaration")
        .flat_map(kids)
        .filter(|d| d.kind() == "variable_declarator")
        .collect()
}

/// The initial value of `x = v` (the last named child that is not the name).
fn declarator_value(d: TsNode) -> Option<TsNode> {
    let name = d.child_by_field_name("name");
    kids(d).into_iter().rfind(|k| {
        Some(k.id()) != name.map(|n| n.id()) && k.kind() != "bracketed_argument_list" && k.kind() != "tuple_pattern"
    })
}

/// The operator of an assignment (`=`, `+=`, `??=`).
fn operator(ctx: &Ctx, e: TsNode) -> String {
    if let Some(o) = e.child_by_field_name("operator") {
        return text(ctx, o).to_string();
    }
    let mut c = e.walk();
    let op = e.children(&mut c).find(|k| !k.is_named() && k.kind().ends_with('=')).map(|k| k.kind().to_string());
    op.unwrap_or_else(|| "=".to_string())
}
