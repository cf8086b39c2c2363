//! Java into the flow IR: classes (fields with declared types and their
//! initializers, constructors, methods, nested and anonymous classes),
//! typed locals and `var`, `for (T x : xs)`, lambdas, builders and getters
//! (plain method calls), `T.class`, casts, `new T(..)`.
//!
//! A field initializer (`private final XStub stub = XGrpc.newBlockingStub(ch);`)
//! becomes an assignment `this.stub = ..` in a synthetic function of its
//! class, so the evaluator learns what the field holds as it does for
//! constructor assignments.

use super::jvm_types::{self, is_type_name};
use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Param, Stmt, Target, TypeExpr, TypeFields};
use tree_sitter::Node as TsNode;

/// Lowers a Java file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx };
    let mut ir = FileIr::default();
    for n in kids(root) {
        l.type_decl(n, &mut ir);
    }
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl<'c, 'a> Lower<'c, 'a> {
    fn t(&self, n: TsNode) -> &'a str {
        text(self.ctx, n)
    }

    /// A class, interface, enum or record and everything nested in it.
    fn type_decl<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        if !matches!(
            n.kind(),
            "class_declaration" | "interface_declaration" | "enum_declaration" | "record_declaration"
        ) {
            return;
        }
        let Some(name) = n.child_by_field_name("name").map(|x| self.t(x).to_string()) else { return };
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        // Record components are fields.
        if let Some(ps) = n.child_by_field_name("parameters") {
            for p in self.params(ps) {
                if let (Target::Name(nm), Some(ty)) = (p.target, p.ty) {
                    fields.fields.push((nm, ty));
                }
            }
        }
        let mut init = Vec::new();
        if let Some(body) = n.child_by_field_name("body") {
            self.class_body(body, &name, &mut fields, &mut init, ir);
        }
        if !init.is_empty() {
            ir.funcs.push(Func {
                node: n,
                name: String::new(),
                owner: Some(name.clone()),
                this: Some("this".into()),
                params: Vec::new(),
                ret: None,
                body: init,
            });
        }
        ir.types.push(fields);
    }

    fn class_body<'t>(
        &self,
        body: TsNode<'t>,
        owner: &str,
        fields: &mut TypeFields,
        init: &mut Vec<Stmt<'t>>,
        ir: &mut FileIr<'t>,
    ) {
        for m in kids(body) {
            match m.kind() {
                "field_declaration" | "constant_declaration" => self.field(m, fields, init),
                "method_declaration" | "constructor_declaration" | "compact_constructor_declaration" => {
                    ir.funcs.push(self.method(m, Some(owner)))
                }
                "enum_body_declarations" => self.class_body(m, owner, fields, init, ir),
                "block" | "static_initializer" => init.extend(self.block(m)),
                _ => self.type_decl(m, ir),
            }
        }
    }

    /// `private final T a = v, b;`: declared types, and initializers as assignments to `this.a`.
    fn field<'t>(&self, m: TsNode<'t>, fields: &mut TypeFields, init: &mut Vec<Stmt<'t>>) {
        let ty = m.child_by_field_name("type").map(|t| self.ty(t));
        let mut c = m.walk();
        for d in m.children_by_field_name("declarator", &mut c) {
            let Some(nm) = d.child_by_field_name("name").map(|x| self.t(x).to_string()) else { continue };
            if let Some(t) = &ty {
                fields.fields.push((nm.clone(), t.clone()));
            }
            if let Some(v) = d.child_by_field_name("value") {
                let this = Expr::new(ExprKind::Name("this".into()), d);
                init.push(Stmt::Let {
                    target: Target::Member(Box::new(this), nm, d),
                    ty: ty.clone(),
                    value: Some(self.expr(v)),
                });
            }
        }
    }

    fn method<'t>(&self, n: TsNode<'t>, owner: Option<&str>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| self.t(x).to_string()).unwrap_or_default();
        let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let ret = n.child_by_field_name("type").map(|t| self.ty(t));
        let body = n.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
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
        let mut out = Vec::new();
        for p in kids(list) {
            match p.kind() {
                "formal_parameter" | "spread_parameter" => {
                    let ty = p.child_by_field_name("type").map(|t| self.ty(t)).or_else(|| {
                        kids(p)
                            .into_iter()
                            .find(|k| k.kind().ends_with("type") || k.kind() == "type_identifier")
                            .map(|t| self.ty(t))
                    });
                    let name = p
                        .child_by_field_name("name")
                        .or_else(|| kids(p).into_iter().rev().find(|k| k.kind() == "variable_declarator"))
                        .map(|x| x.child_by_field_name("name").unwrap_or(x));
                    let target = name.map(|x| Target::Name(self.t(x).to_string())).unwrap_or(Target::Ignore);
                    // `@RequestBody Order o`: the served request's body.
                    let body = self.t(p).contains("@RequestBody");
                    out.push(Param { target, ty, body });
                }
                "identifier" => out.push(Param { target: Target::Name(self.t(p).to_string()), ty: None, body: false }),
                _ => {}
            }
        }
        out
    }

    /// A type as written.
    fn ty(&self, t: TsNode) -> TypeExpr {
        match t.kind() {
            "generic_type" => {
                let mut base = kids(t)
                    .into_iter()
                    .find(|k| matches!(k.kind(), "type_identifier" | "scoped_type_identifier"))
                    .map(|b| self.ty(b))
                    .unwrap_or_default();
                if let Some(ta) = kids(t).into_iter().find(|k| k.kind() == "type_arguments") {
                    base.args = kids(ta).into_iter().map(|a| self.ty(a)).collect();
                }
                jvm_types::mark_collection(base)
            }
            "array_type" => {
                let el = t.child_by_field_name("element").map(|x| self.ty(x)).unwrap_or_default();
                TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true }
            }
            "annotated_type" => kids(t).into_iter().last().map(|x| self.ty(x)).unwrap_or_default(),
            "wildcard" => {
                kids(t).into_iter().last().map(|x| self.ty(x)).unwrap_or_else(|| TypeExpr::named("", "Object"))
            }
            _ => jvm_types::from_text(self.t(t)),
        }
    }

    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        self.stmts_into(b, &mut out);
        out
    }

    fn stmts_into<'t>(&self, b: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        if b.kind().ends_with("statement") || b.kind().ends_with("declaration") {
            self.stmt(b, out);
            return;
        }
        for s in kids(b) {
            self.stmt(s, out);
        }
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let field = |f: &str| s.child_by_field_name(f);
        match s.kind() {
            "local_variable_declaration" => {
                let ty = field("type").map(|t| self.ty(t)).filter(|t| t.name != "var");
                let mut c = s.walk();
                for d in s.children_by_field_name("declarator", &mut c) {
                    let Some(nm) = d.child_by_field_name("name") else { continue };
                    let value = d.child_by_field_name("value").map(|v| self.expr(v));
                    out.push(Stmt::Let { target: Target::Name(self.t(nm).to_string()), ty: ty.clone(), value });
                }
            }
            "expression_statement" => {
                for k in kids(s) {
                    self.expr_stmt(k, out);
                }
            }
            "return_statement" | "yield_statement" => {
                if let Some(e) = kids(s).into_iter().next() {
                    out.push(Stmt::Return(self.expr(e)));
                }
            }
            "if_statement" | "while_statement" | "do_statement" => {
                if let Some(c) = field("condition") {
                    out.push(Stmt::Expr(self.expr(c)));
                }
                for f in ["consequence", "body", "alternative"] {
                    if let Some(b) = field(f) {
                        self.stmts_into(b, out);
                    }
                }
            }
            "for_statement" => {
                let mut c = s.walk();
                for i in s.children_by_field_name("init", &mut c) {
                    self.expr_stmt(i, out);
                }
                for f in ["condition"] {
                    if let Some(x) = field(f) {
                        out.push(Stmt::Expr(self.expr(x)));
                    }
                }
                if let Some(b) = field("body") {
                    self.stmts_into(b, out);
                }
            }
            "enhanced_for_statement" => {
                let ty = field("type").map(|t| self.ty(t)).filter(|t| t.name != "var");
                let target = field("name").map(|n| Target::Name(self.t(n).to_string())).unwrap_or(Target::Ignore);
                let iter = field("value").map(|v| self.expr(v)).unwrap_or_else(|| Expr::other(s));
                let body = field("body").map(|b| self.block_of(b)).unwrap_or_default();
                out.push(Stmt::For { target, ty, iter, body });
            }
            "try_statement" | "try_with_resources_statement" => {
                for k in kids(s) {
                    match k.kind() {
                        "resource_specification" => {
                            for r in kids(k) {
                                self.resource(r, out);
                            }
                        }
                        "catch_clause" | "finally_clause" => {
                            if let Some(b) = kids(k).into_iter().find(|x| x.kind() == "block") {
                                self.stmts_into(b, out);
                            }
                        }
                        "block" => self.stmts_into(k, out),
                        _ => {}
                    }
                }
            }
            "switch_expression" | "switch_statement" => out.push(Stmt::Expr(self.switch(s))),
            "block" | "labeled_statement" | "synchronized_statement" | "switch_block_statement_group" => {
                for k in kids(s) {
                    if k.kind() == "parenthesized_expression" {
                        out.push(Stmt::Expr(self.expr(k)));
                    } else {
                        self.stmt(k, out);
                    }
                }
            }
            "throw_statement" => {
                for k in kids(s) {
                    out.push(Stmt::Expr(self.expr(k)));
                }
            }
            "class_declaration"
            | "local_class_declaration"
            | "record_declaration"
            | "interface_declaration"
            | "enum_declaration"
            | "empty_statement"
            | "break_statement"
            | "continue_statement"
            | "identifier"
            | "assert_statement" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    /// A loop body as statements.
    fn block_of<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        if b.kind() == "block" {
            self.stmts_into(b, &mut out);
        } else {
            self.stmt(b, &mut out);
        }
        out
    }

    /// `try (var r = open())`.
    fn resource<'t>(&self, r: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let ty = r.child_by_field_name("type").map(|t| self.ty(t)).filter(|t| t.name != "var");
        match (r.child_by_field_name("name"), r.child_by_field_name("value")) {
            (Some(n), Some(v)) => {
                out.push(Stmt::Let { target: Target::Name(self.t(n).to_string()), ty, value: Some(self.expr(v)) })
            }
            _ => out.push(Stmt::Expr(self.expr(r))),
        }
    }

    /// An expression used as a statement: assignments bind, anything else is evaluated.
    fn expr_stmt<'t>(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        if e.kind() == "local_variable_declaration" {
            self.stmt(e, out);
            return;
        }
        if e.kind() == "assignment_expression" {
            if let (Some(l), Some(r)) = (e.child_by_field_name("left"), e.child_by_field_name("right")) {
                let op = e.child_by_field_name("operator").map(|o| self.t(o)).unwrap_or("=");
                let value = self.expr(r);
                // `a.b += x` writes `b`; `x += y` only reads.
                let value = if op == "=" { value } else { Expr::new(ExprKind::Other(vec![value]), r) };
                let target = self.target(l);
                if op != "=" && matches!(target, Target::Name(_)) {
                    out.push(Stmt::Expr(value));
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
            "identifier" => Target::Name(self.t(n).to_string()),
            "field_access" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("field").map(|f| self.t(f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "parenthesized_expression" => kids(n).into_iter().next().map(|x| self.target(x)).unwrap_or(Target::Ignore),
            _ => Target::Ignore,
        }
    }

    fn switch<'t>(&self, s: TsNode<'t>) -> Expr<'t> {
        let mut xs = Vec::new();
        if let Some(c) = s.child_by_field_name("condition") {
            xs.push(self.expr(c));
        }
        let mut stmts = Vec::new();
        if let Some(b) = s.child_by_field_name("body") {
            for k in kids(b) {
                match k.kind() {
                    "switch_rule" => {
                        for x in kids(k).into_iter().filter(|x| x.kind() != "switch_label") {
                            self.stmt(x, &mut stmts);
                        }
                    }
                    _ => {
                        for x in kids(k).into_iter().filter(|x| x.kind() != "switch_label") {
                            self.stmt(x, &mut stmts);
                        }
                    }
                }
            }
        }
        // Statements inside a switch run in a lambda-free block: fold them into a lambda body
        // evaluated in place.
        let f =
            Func { node: s, name: String::new(), owner: None, this: None, params: Vec::new(), ret: None, body: stmts };
        xs.push(Expr::new(ExprKind::Lambda(Box::new(f)), s));
        Expr::new(ExprKind::Other(xs), s)
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        match n.kind() {
            "identifier" | "this" | "super" => Expr::new(ExprKind::Name(self.t(n).to_string()), n),
            "field_access" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let name = n.child_by_field_name("field").map(|f| self.t(f).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "method_invocation" => self.call(n),
            "object_creation_expression" => {
                let ty = n.child_by_field_name("type").map(|t| self.ty(t)).unwrap_or_default();
                let args = self.args(n);
                Expr::new(ExprKind::New { ty, args, fields: Vec::new() }, n)
            }
            "array_access" => {
                let obj = n.child_by_field_name("array").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = n.child_by_field_name("index").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "lambda_expression" => self.lambda(n),
            "cast_expression" => {
                let inner = n.child_by_field_name("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let ty = n.child_by_field_name("type").map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::Cast { expr: Box::new(inner), ty }, n)
            }
            "class_literal" => {
                let ty = kids(n).into_iter().next().map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::TypeValue(ty), n)
            }
            "parenthesized_expression" => match kids(n).into_iter().next() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            "string_literal" | "text_block" => Expr::new(ExprKind::Str, n),
            "ternary_expression" => {
                let xs = ["condition", "consequence", "alternative"]
                    .iter()
                    .filter_map(|f| n.child_by_field_name(f))
                    .map(|x| self.expr(x))
                    .collect();
                Expr::new(ExprKind::Other(xs), n)
            }
            "array_initializer" => Expr::new(ExprKind::List(kids(n).into_iter().map(|x| self.expr(x)).collect()), n),
            "decimal_integer_literal"
            | "hex_integer_literal"
            | "decimal_floating_point_literal"
            | "true"
            | "false"
            | "null_literal"
            | "character_literal"
            | "method_reference" => Expr::other(n),
            "switch_expression" => self.switch(n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    fn args<'t>(&self, n: TsNode<'t>) -> Vec<Arg<'t>> {
        n.child_by_field_name("arguments")
            .map(kids)
            .unwrap_or_default()
            .into_iter()
            .map(|a| Arg { name: None, value: self.expr(a) })
            .collect()
    }

    /// `obj.m<T>(args)`: the callee's node is the method name, so facts sit on its line in chains.
    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let name_node = n.child_by_field_name("name");
        let name = name_node.map(|x| self.t(x).to_string()).unwrap_or_default();
        let at = name_node.unwrap_or(n);
        let callee = match n.child_by_field_name("object") {
            Some(o) => {
                let obj = self.expr(o);
                // `Order.newBuilder()`, `Hipstershop.Order.parseFrom(b)`: a type as receiver.
                let obj = match &obj.kind {
                    ExprKind::Name(x) if is_type_name(x) => Expr::new(ExprKind::TypeValue(TypeExpr::named("", x)), o),
                    ExprKind::Member { .. } => match obj.path().and_then(|p| jvm_types::type_path(&p)) {
                        Some(t) => Expr::new(ExprKind::TypeValue(t), o),
                        None => obj,
                    },
                    _ => obj,
                };
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, at)
            }
            None => Expr::new(ExprKind::Name(name), at),
        };
        let targs = n
            .child_by_field_name("type_arguments")
            .map(|ta| kids(ta).into_iter().map(|t| self.ty(t)).collect())
            .unwrap_or_default();
        Expr::new(ExprKind::Call { callee: Box::new(callee), args: self.args(n), targs }, n)
    }

    fn lambda<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let params = match n.child_by_field_name("parameters") {
            Some(p) if p.kind() == "identifier" => {
                vec![Param { target: Target::Name(self.t(p).to_string()), ty: None, body: false }]
            }
            Some(p) => self.params(p),
            None => Vec::new(),
        };
        let body = match n.child_by_field_name("body") {
            Some(b) if b.kind() == "block" => self.block(b),
            Some(b) => vec![Stmt::Return(self.expr(b))],
            None => Vec::new(),
        };
        let f = Func { node: n, name: String::new(), owner: None, this: None, params, ret: None, body };
        Expr::new(ExprKind::Lambda(Box::new(f)), n)
    }
}
