//! TypeScript, TSX and JavaScript into the flow IR (one lowerer for the
//! three grammars): functions, arrow functions and methods (`this` is the
//! receiver), class fields and constructor parameter properties
//! (`constructor(private readonly client: CartClient)`), `const`/`let` with
//! destructuring, `for ... of` (and `for await`), object and array literals,
//! `await`, `as T` / `<T>x` / `satisfies T`, template strings, decorators
//! that mark a request body (`@Body()`).
//!
//! Top-level `const f = (..) => ..` and `exports.f = function ..` become
//! functions of the file (so that a handler named in a route registration or
//! a gRPC implementation object is found by name); the same forms nested in a
//! body stay lambdas bound to a local name.

use super::{kids, other, text, type_from_text, unquote, MAX_NESTING};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr, TypeFields};
use crate::flow::libs;
use std::cell::{Cell, RefCell};
use tree_sitter::Node as TsNode;

/// Lowers one JavaScript or TypeScript file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx, classes: RefCell::new(FileIr::default()), keep_case: Cell::new(None), depth: Cell::new(0) };
    let mut ir = FileIr::default();
    for n in kids(root) {
        l.top_item(n, &mut ir);
    }
    let extra = l.classes.into_inner();
    ir.funcs.extend(extra.funcs);
    ir.types.extend(extra.types);
    ir.proto_keep_case = l.keep_case.get();
    ir
}

struct Lower<'c, 'a, 't> {
    ctx: &'c Ctx<'a>,
    /// Functions and field types of classes declared inside bodies.
    classes: RefCell<FileIr<'t>>,
    /// The `keepCase` option of a `protoLoader.loadSync(path, {..})` call, once one is seen.
    keep_case: Cell<Option<bool>>,
    /// Expressions being lowered (bounds the recursion on very deep syntax).
    depth: Cell<usize>,
}

/// Function-like node kinds.
fn is_function(kind: &str) -> bool {
    matches!(
        kind,
        "arrow_function"
            | "function_expression"
            | "function"
            | "generator_function"
            | "function_declaration"
            | "generator_function_declaration"
    )
}

impl<'c, 'a, 't> Lower<'c, 'a, 't> {
    /// A statement at the top of the module: declarations become functions, the rest runs at load.
    fn top_item(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        match n.kind() {
            "function_declaration" | "generator_function_declaration" => ir.funcs.push(self.func(n, n, None)),
            "class_declaration" | "abstract_class_declaration" => self.class(n, ir),
            "export_statement" => {
                if let Some(d) = n.child_by_field_name("declaration") {
                    self.top_item(d, ir);
                } else if let Some(v) = n.child_by_field_name("value") {
                    if is_function(v.kind()) {
                        ir.funcs.push(self.func(v, v, None));
                    } else if v.kind() == "class" {
                        self.class(v, ir);
                    } else {
                        ir.top.push(Stmt::Expr(self.expr(v)));
                    }
                }
            }
            "lexical_declaration" | "variable_declaration" => {
                for d in kids(n).into_iter().filter(|d| d.kind() == "variable_declarator") {
                    match d.child_by_field_name("value") {
                        // `const handler = async (req, res) => {..}`: a function of the file.
                        Some(v)
                            if is_function(v.kind())
                                && d.child_by_field_name("name").is_some_and(|x| x.kind() == "identifier") =>
                        {
                            let name = d.child_by_field_name("name").map(|x| text(self.ctx, x).to_string());
                            let mut f = self.func(v, d, None);
                            f.name = name.unwrap_or_default();
                            ir.funcs.push(f);
                        }
                        Some(v) if v.kind() == "class" => self.class(v, ir),
                        _ => self.declarator(d, &mut ir.top),
                    }
                }
            }
            "expression_statement" => {
                // `exports.getCart = function (call, callback) {..}` / `module.exports.x = () => ..`.
                let e = kids(n).into_iter().next();
                if let Some(a) = e.filter(|a| a.kind() == "assignment_expression") {
                    let (left, right) = (a.child_by_field_name("left"), a.child_by_field_name("right"));
                    if let (Some(l), Some(r)) = (left, right) {
                        if l.kind() == "member_expression" && is_function(r.kind()) {
                            let mut f = self.func(r, a, None);
                            // `module.exports = function charge(..)` is the module itself: its own name.
                            let default = matches!(text(self.ctx, l), "module.exports" | "exports");
                            if !default || f.name.is_empty() {
                                f.name = l
                                    .child_by_field_name("property")
                                    .map(|p| text(self.ctx, p).to_string())
                                    .unwrap_or_default();
                            }
                            ir.funcs.push(f);
                            return;
                        }
                    }
                }
                self.stmt(n, &mut ir.top);
            }
            _ => self.stmt(n, &mut ir.top),
        }
    }

    /// A class: its methods, field types, field initializers and constructor parameter properties.
    fn class(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let name = n.child_by_field_name("name").map(|x| text(self.ctx, x).to_string()).unwrap_or_default();
        if name.is_empty() {
            return;
        }
        let Some(body) = n.child_by_field_name("body") else { return };
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        let mut inits: Vec<Stmt<'t>> = Vec::new();
        let mut methods: Vec<Func<'t>> = Vec::new();
        for m in kids(body) {
            match m.kind() {
                "method_definition" => {
                    let mut f = self.func(m, m, Some(&name));
                    if f.name == "constructor" {
                        self.parameter_properties(m, &mut fields, &mut f);
                    }
                    methods.push(f);
                }
                "public_field_definition" | "field_definition" => {
                    let fname = m
                        .child_by_field_name("name")
                        .or_else(|| m.child_by_field_name("property"))
                        .map(|x| unquote(text(self.ctx, x)))
                        .unwrap_or_default();
                    let ty = m.child_by_field_name("type").map(|t| self.ty(t));
                    if let Some(t) = &ty {
                        fields.fields.push((fname.clone(), t.clone()));
                    }
                    match m.child_by_field_name("value") {
                        Some(v) if is_function(v.kind()) => {
                            let mut f = self.func(v, m, Some(&name));
                            f.name = fname;
                            methods.push(f);
                        }
                        Some(v) => inits.push(Stmt::Let {
                            target: Target::Member(Box::new(Expr::new(ExprKind::Name("this".into()), m)), fname, m),
                            ty,
                            value: Some(self.expr(v)),
                        }),
                        None => {}
                    }
                }
                _ => {}
            }
        }
        // Field initializers run before the constructor's body.
        if !inits.is_empty() {
            match methods.iter_mut().find(|f| f.name == "constructor") {
                Some(c) => {
                    let body = std::mem::take(&mut c.body);
                    c.body = inits;
                    c.body.extend(body);
                }
                None => methods.push(Func {
                    node: n,
                    name: String::new(),
                    owner: Some(name.clone()),
                    this: Some("this".into()),
                    params: Vec::new(),
                    ret: None,
                    body: inits,
                }),
            }
        }
        ir.funcs.extend(methods);
        if !fields.fields.is_empty() {
            ir.types.push(fields);
        }
    }

    /// `constructor(private readonly client: CartClient)`: a field typed and assigned from the parameter.
    fn parameter_properties(&self, ctor: TsNode<'t>, fields: &mut TypeFields, f: &mut Func<'t>) {
        let Some(ps) = ctor.child_by_field_name("parameters") else { return };
        let mut assigns = Vec::new();
        for p in kids(ps) {
            let is_prop = kids(p).iter().any(|k| k.kind() == "accessibility_modifier")
                || text(self.ctx, p).trim_start().starts_with("readonly ");
            if !is_prop {
                continue;
            }
            let Some(nm) = p.child_by_field_name("pattern").filter(|x| x.kind() == "identifier") else { continue };
            let name = text(self.ctx, nm).to_string();
            if let Some(t) = p.child_by_field_name("type").map(|t| self.ty(t)) {
                fields.fields.push((name.clone(), t));
            }
            assigns.push(Stmt::Let {
                target: Target::Member(Box::new(Expr::new(ExprKind::Name("this".into()), p)), name.clone(), p),
                ty: None,
                value: Some(Expr::new(ExprKind::Name(name), nm)),
            });
        }
        if !assigns.is_empty() {
            assigns.append(&mut f.body);
            f.body = assigns;
        }
    }

    /// A function, method or arrow function; `def` is the node its symbol is recorded at.
    fn func(&self, n: TsNode<'t>, def: TsNode<'t>, owner: Option<&str>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| unquote(text(self.ctx, x))).unwrap_or_default();
        let mut params = Vec::new();
        if let Some(ps) = n.child_by_field_name("parameters") {
            params = self.params(ps);
        } else if let Some(p) = n.child_by_field_name("parameter") {
            params.push(Param { target: self.pattern(p), ty: None, body: false });
        }
        let ret = n.child_by_field_name("return_type").map(|t| self.ty(t));
        let body = match n.child_by_field_name("body") {
            Some(b) if b.kind() == "statement_block" => self.block(b),
            Some(e) => vec![Stmt::Return(self.expr(e))],
            None => Vec::new(),
        };
        let this = owner.map(|_| "this".to_string());
        Func { node: def, name, owner: owner.map(str::to_string), this, params, ret, body }
    }

    /// Formal parameters: patterns, declared types (framework types dropped), `@Body()`.
    fn params(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        let mut out = Vec::new();
        for p in kids(list) {
            match p.kind() {
                "required_parameter" | "optional_parameter" => {
                    let pat = p.child_by_field_name("pattern").or_else(|| p.child_by_field_name("name"));
                    let target = pat.map(|x| self.pattern(x)).unwrap_or(Target::Ignore);
                    let ty =
                        p.child_by_field_name("type").map(|t| self.ty(t)).filter(|t| !libs::is_framework_type(&t.name));
                    let body = kids(p).iter().any(|k| {
                        k.kind() == "decorator" && libs::is_body_decorator(&crate::langs::deco_name(self.ctx, *k))
                    });
                    out.push(Param { target, ty, body });
                }
                _ => out.push(Param { target: self.pattern(p), ty: None, body: false }),
            }
        }
        out
    }

    /// A binding pattern: a name, `{ a, b: c, d = 1 }`, `[x, y]`, `x = default`, `...rest`.
    fn pattern(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" | "shorthand_property_identifier_pattern" => Target::Name(text(self.ctx, n).to_string()),
            "this" => Target::Ignore,
            "assignment_pattern" => n.child_by_field_name("left").map(|l| self.pattern(l)).unwrap_or(Target::Ignore),
            "object_pattern" => {
                let mut fs = Vec::new();
                for k in kids(n) {
                    match k.kind() {
                        "shorthand_property_identifier_pattern" => {
                            let t = text(self.ctx, k).to_string();
                            fs.push((t.clone(), Target::Name(t), k));
                        }
                        "pair_pattern" => {
                            let key =
                                k.child_by_field_name("key").map(|x| unquote(text(self.ctx, x))).unwrap_or_default();
                            let v = k.child_by_field_name("value").map(|v| self.pattern(v)).unwrap_or(Target::Ignore);
                            if !key.is_empty() {
                                fs.push((key, v, k));
                            }
                        }
                        "object_assignment_pattern" => {
                            if let Some(l) = k.child_by_field_name("left") {
                                if l.kind() == "shorthand_property_identifier_pattern" {
                                    let t = text(self.ctx, l).to_string();
                                    fs.push((t.clone(), Target::Name(t), l));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Target::Fields(fs)
            }
            "array_pattern" => Target::Tuple(kids(n).into_iter().map(|k| self.pattern(k)).collect()),
            "member_expression" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("property").map(|f| text(self.ctx, f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "subscript_expression" => {
                // `o["key"] = v` writes the key; `xs[i] = v` is nothing.
                let key = n.child_by_field_name("index").filter(|k| k.kind() == "string");
                match (n.child_by_field_name("object"), key) {
                    (Some(o), Some(k)) => Target::Member(Box::new(self.expr(o)), unquote(text(self.ctx, k)), n),
                    _ => Target::Ignore,
                }
            }
            "parenthesized_expression" | "non_null_expression" => {
                kids(n).into_iter().next().map(|x| self.pattern(x)).unwrap_or(Target::Ignore)
            }
            _ => Target::Ignore,
        }
    }

    /// A type annotation or type node.
    fn ty(&self, t: TsNode) -> TypeExpr {
        type_from_text(text(self.ctx, t))
    }

    /// The statements of a block.
    fn block(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        for s in kids(b) {
            self.stmt(s, &mut out);
        }
        out
    }

    /// Statements of a block, or one statement.
    fn body_into(&self, b: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        if b.kind() == "statement_block" {
            for s in kids(b) {
                self.stmt(s, out);
            }
        } else {
            self.stmt(b, out);
        }
    }

    /// `name: T = value` of a `const`/`let`/`var`.
    fn declarator(&self, d: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let target = d.child_by_field_name("name").map(|x| self.pattern(x)).unwrap_or(Target::Ignore);
        let ty = d.child_by_field_name("type").map(|t| self.ty(t));
        let value = d.child_by_field_name("value").map(|v| self.expr(v));
        out.push(Stmt::Let { target, ty, value });
    }

    /// One statement; control flow is flattened (both branches are followed).
    fn stmt(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "lexical_declaration" | "variable_declaration" => {
                for d in kids(s).into_iter().filter(|d| d.kind() == "variable_declarator") {
                    self.declarator(d, out);
                }
            }
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
            "statement_block" => self.body_into(s, out),
            "if_statement" => {
                if let Some(c) = s.child_by_field_name("condition") {
                    out.push(Stmt::Expr(self.expr(c)));
                }
                if let Some(b) = s.child_by_field_name("consequence") {
                    self.body_into(b, out);
                }
                if let Some(a) = s.child_by_field_name("alternative") {
                    for k in kids(a) {
                        self.body_into(k, out);
                    }
                }
            }
            "for_in_statement" => {
                let of = s.child_by_field_name("operator").is_some_and(|o| text(self.ctx, o) == "of");
                let target = match s.child_by_field_name("left") {
                    Some(l) if of => self.pattern(l),
                    _ => Target::Ignore,
                };
                let iter = s.child_by_field_name("right").map(|r| self.expr(r)).unwrap_or_else(|| Expr::other(s));
                let mut body = Vec::new();
                if let Some(b) = s.child_by_field_name("body") {
                    self.body_into(b, &mut body);
                }
                out.push(Stmt::For { target, ty: None, iter, body });
            }
            "for_statement" => {
                for f in ["initializer", "condition", "increment"] {
                    if let Some(x) = s.child_by_field_name(f) {
                        match x.kind() {
                            "lexical_declaration" | "variable_declaration" | "expression_statement" => {
                                self.stmt(x, out)
                            }
                            _ => self.expr_stmt(x, out),
                        }
                    }
                }
                if let Some(b) = s.child_by_field_name("body") {
                    self.body_into(b, out);
                }
            }
            "while_statement" | "do_statement" => {
                if let Some(c) = s.child_by_field_name("condition") {
                    out.push(Stmt::Expr(self.expr(c)));
                }
                if let Some(b) = s.child_by_field_name("body") {
                    self.body_into(b, out);
                }
            }
            "try_statement" => {
                for f in ["body", "handler", "finalizer"] {
                    if let Some(b) = s.child_by_field_name(f) {
                        let b = b.child_by_field_name("body").unwrap_or(b);
                        self.body_into(b, out);
                    }
                }
            }
            "switch_statement" => {
                if let Some(v) = s.child_by_field_name("value") {
                    out.push(Stmt::Expr(self.expr(v)));
                }
                if let Some(body) = s.child_by_field_name("body") {
                    for case in kids(body) {
                        if let Some(v) = case.child_by_field_name("value") {
                            out.push(Stmt::Expr(self.expr(v)));
                        }
                        let mut c = case.walk();
                        let stmts: Vec<TsNode<'t>> = case.children_by_field_name("body", &mut c).collect();
                        for st in stmts {
                            self.stmt(st, out);
                        }
                    }
                }
            }
            "labeled_statement" => {
                if let Some(b) = s.child_by_field_name("body") {
                    self.body_into(b, out);
                }
            }
            "function_declaration" | "generator_function_declaration" => {
                let f = self.func(s, s, None);
                let name = f.name.clone();
                out.push(Stmt::Let {
                    target: Target::Name(name),
                    ty: None,
                    value: Some(Expr::new(ExprKind::Lambda(Box::new(f)), s)),
                });
            }
            "class_declaration" | "abstract_class_declaration" => {
                let mut ir = self.classes.borrow_mut();
                self.class(s, &mut ir);
            }
            "export_statement" => {
                if let Some(d) = s.child_by_field_name("declaration") {
                    self.stmt(d, out);
                }
            }
            "throw_statement" => {
                for e in kids(s) {
                    out.push(Stmt::Expr(self.expr(e)));
                }
            }
            "import_statement"
            | "empty_statement"
            | "break_statement"
            | "continue_statement"
            | "debugger_statement"
            | "interface_declaration"
            | "type_alias_declaration"
            | "enum_declaration"
            | "comment"
            | "ambient_declaration"
            | "abstract_method_signature" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    /// An expression in statement position: assignments become bindings.
    fn expr_stmt(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match e.kind() {
            "assignment_expression" => {
                let target = e.child_by_field_name("left").map(|l| self.pattern(l)).unwrap_or(Target::Ignore);
                let value = e.child_by_field_name("right").map(|r| self.expr(r));
                out.push(Stmt::Let { target, ty: None, value });
            }
            "augmented_assignment_expression" => {
                // `o.total += x` writes the member; `n += 1` only reads.
                let left = e.child_by_field_name("left");
                let right = e.child_by_field_name("right").map(|r| self.expr(r));
                match left.map(|l| self.pattern(l)) {
                    Some(t @ Target::Member(..)) => out.push(Stmt::Let { target: t, ty: None, value: right }),
                    _ => {
                        if let Some(r) = right {
                            out.push(Stmt::Expr(r));
                        }
                    }
                }
            }
            "sequence_expression" => {
                for k in kids(e) {
                    self.expr_stmt(k, out);
                }
            }
            _ => out.push(Stmt::Expr(self.expr(e))),
        }
    }

    /// An expression, lowered to at most [`MAX_NESTING`] levels (deeper ones are opaque).
    fn expr(&self, n: TsNode<'t>) -> Expr<'t> {
        if self.depth.get() >= MAX_NESTING {
            return Expr::other(n);
        }
        self.depth.set(self.depth.get() + 1);
        let e = self.expr_inner(n);
        self.depth.set(self.depth.get() - 1);
        e
    }

    /// An expression, one level.
    fn expr_inner(&self, n: TsNode<'t>) -> Expr<'t> {
        match n.kind() {
            "identifier" | "shorthand_property_identifier" | "property_identifier" => {
                Expr::new(ExprKind::Name(text(self.ctx, n).to_string()), n)
            }
            "this" => Expr::new(ExprKind::Name("this".into()), n),
            "member_expression" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let name = n.child_by_field_name("property").map(|f| text(self.ctx, f).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "subscript_expression" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = n.child_by_field_name("index").map(|k| self.expr(k)).unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "call_expression" => self.call(n),
            "new_expression" => self.new_expr(n),
            "await_expression" | "parenthesized_expression" | "non_null_expression" | "spread_element" => {
                match kids(n).into_iter().find(|k| k.kind() != "type_annotation") {
                    Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                    None => Expr::other(n),
                }
            }
            "as_expression" | "satisfies_expression" | "type_assertion" => {
                let ks = kids(n);
                let (e, t) = if n.kind() == "type_assertion" {
                    (ks.iter().find(|k| k.kind() != "type_arguments"), ks.iter().find(|k| k.kind() == "type_arguments"))
                } else {
                    (ks.first(), ks.get(1))
                };
                match (e, t) {
                    (Some(e), Some(t)) => {
                        let ty = if t.kind() == "type_arguments" {
                            kids(*t).into_iter().next().map(|x| self.ty(x)).unwrap_or_default()
                        } else {
                            self.ty(*t)
                        };
                        Expr::new(ExprKind::Cast { expr: Box::new(self.expr(*e)), ty }, n)
                    }
                    (Some(e), None) => Expr::new(ExprKind::Wrap(Box::new(self.expr(*e))), n),
                    _ => Expr::other(n),
                }
            }
            "arrow_function" | "function_expression" | "function" | "generator_function" => {
                Expr::new(ExprKind::Lambda(Box::new(self.func(n, n, None))), n)
            }
            "object" => self.object(n),
            "array" => Expr::new(ExprKind::List(kids(n).into_iter().map(|k| self.expr(k)).collect()), n),
            "string" => Expr::new(ExprKind::Str, n),
            "template_string" => {
                let subs: Vec<Expr<'t>> = kids(n)
                    .into_iter()
                    .filter(|k| k.kind() == "template_substitution")
                    .flat_map(kids)
                    .map(|k| self.expr(k))
                    .collect();
                if subs.is_empty() {
                    Expr::new(ExprKind::Str, n)
                } else {
                    Expr::new(ExprKind::Effects(subs), n)
                }
            }
            "assignment_expression" => {
                // In expression position (`() => (this.x = y)`, `a = b = c`): the value.
                match n.child_by_field_name("right") {
                    Some(r) => self.expr(r),
                    None => Expr::other(n),
                }
            }
            // Arithmetic and comparisons compute no payload; `a || b` / `a ?? b` are one of their operands.
            "binary_expression"
                if !n
                    .child_by_field_name("operator")
                    .is_some_and(|o| matches!(text(self.ctx, o), "||" | "??" | "&&")) =>
            {
                Expr::new(ExprKind::Effects(kids(n).into_iter().map(|k| self.expr(k)).collect()), n)
            }
            "unary_expression" | "update_expression" => {
                Expr::new(ExprKind::Effects(kids(n).into_iter().map(|k| self.expr(k)).collect()), n)
            }
            "number" | "true" | "false" | "null" | "undefined" | "regex" | "type_identifier" | "type_annotation"
            | "type_arguments" | "predefined_type" | "comment" | "super" | "import" => Expr::other(n),
            k if k.ends_with("_type") => Expr::other(n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// Call arguments (all positional).
    fn args(&self, n: Option<TsNode<'t>>) -> Vec<Arg<'t>> {
        match n.filter(|a| a.kind() == "arguments") {
            Some(a) => kids(a).into_iter().map(|x| Arg { name: None, value: self.expr(x) }).collect(),
            None => Vec::new(),
        }
    }

    /// A call with its type arguments; notes a proto loader's options.
    fn call(&self, n: TsNode<'t>) -> Expr<'t> {
        let args = self.args(n.child_by_field_name("arguments"));
        let targs: Vec<TypeExpr> = n
            .child_by_field_name("type_arguments")
            .map(|ta| kids(ta).into_iter().map(|t| self.ty(t)).collect())
            .unwrap_or_default();
        // `await api.get<T>(url)` parses as a call of `await api.get` (a grammar quirk with type
        // arguments): the call is of the awaited function, and the await wraps the call.
        let f = n.child_by_field_name("function");
        if let Some(inner) = f.filter(|f| f.kind() == "await_expression").and_then(|f| kids(f).into_iter().next()) {
            let callee = self.expr(inner);
            let call = Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n);
            return Expr::new(ExprKind::Wrap(Box::new(call)), n);
        }
        let callee = f.map(|f| self.expr(f)).unwrap_or_else(|| Expr::other(n));
        if let ExprKind::Member { obj, name } = &callee.kind {
            if libs::is_proto_loader(obj.path().as_deref().unwrap_or(""), name) {
                self.proto_loader_options(n);
            }
        }
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n)
    }

    /// `protoLoader.loadSync(path, { keepCase: true, .. })`: how loaded messages name their fields
    /// (camelCase unless `keepCase` is true; one loader with `keepCase: true` in the file wins).
    fn proto_loader_options(&self, call: TsNode) {
        let opts =
            call.child_by_field_name("arguments").and_then(|a| kids(a).into_iter().find(|k| k.kind() == "object"));
        let keep = opts.is_some_and(|o| {
            kids(o).into_iter().any(|p| {
                p.kind() == "pair"
                    && p.child_by_field_name("key").is_some_and(|k| unquote(text(self.ctx, k)) == "keepCase")
                    && p.child_by_field_name("value").is_some_and(|v| text(self.ctx, v) == "true")
            })
        });
        if self.keep_case.get() != Some(true) {
            self.keep_case.set(Some(keep));
        }
    }

    /// `new T(args)`: a typed value, except for builtins (`new Promise(..)`, `new Map()`).
    fn new_expr(&self, n: TsNode<'t>) -> Expr<'t> {
        let args = self.args(n.child_by_field_name("arguments"));
        let Some(c) = n.child_by_field_name("constructor") else { return Expr::other(n) };
        let ty = match c.kind() {
            "identifier" | "member_expression" | "nested_identifier" => type_from_text(text(self.ctx, c)),
            _ => TypeExpr::default(),
        };
        if ty.name.is_empty() || libs::is_builtin_class(&ty.name) {
            let mut xs: Vec<Expr<'t>> = args.into_iter().map(|a| a.value).collect();
            xs.truncate(3);
            return Expr::new(ExprKind::Other(xs), n);
        }
        let mut ty = ty;
        if let Some(ta) = n.child_by_field_name("type_arguments") {
            ty.args = kids(ta).into_iter().map(|t| self.ty(t)).collect();
        }
        Expr::new(ExprKind::New { ty, args, fields: Vec::new() }, n)
    }

    /// `{ a: x, b, "c-d": y, m() {..}, ...rest }` (spreads are evaluated for their effects only).
    /// Methods (`m() {..}`, `m: function () {..}`) have the literal as `this`, named after its line.
    fn object(&self, n: TsNode<'t>) -> Expr<'t> {
        let owner = format!("{{}}@L{}", n.start_position().row + 1);
        let mut pairs = Vec::new();
        for p in kids(n) {
            match p.kind() {
                "pair" => {
                    let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) else {
                        continue;
                    };
                    if k.kind() == "computed_property_name" {
                        continue;
                    }
                    let key = unquote(text(self.ctx, k));
                    if key.is_empty() || key.len() > 100 || key.contains(char::is_whitespace) {
                        continue;
                    }
                    if v.kind() == "function_expression" || v.kind() == "function" {
                        let mut f = self.func(v, v, Some(&owner));
                        f.name = key.clone();
                        pairs.push(Pair { key, value: Expr::new(ExprKind::Lambda(Box::new(f)), v), node: p });
                        continue;
                    }
                    pairs.push(Pair { key, value: self.expr(v), node: p });
                }
                "shorthand_property_identifier" => {
                    let key = text(self.ctx, p).to_string();
                    pairs.push(Pair {
                        key,
                        value: Expr::new(ExprKind::Name(text(self.ctx, p).to_string()), p),
                        node: p,
                    });
                }
                "method_definition" => {
                    let f = self.func(p, p, Some(&owner));
                    if !f.name.is_empty() {
                        let key = f.name.clone();
                        pairs.push(Pair { key, value: Expr::new(ExprKind::Lambda(Box::new(f)), p), node: p });
                    }
                }
                _ => {}
            }
        }
        Expr::new(ExprKind::Object(pairs), n)
    }
}
