//! PHP into the flow IR: namespaces, classes (typed and PHPDoc `@var`
//! properties, constructor promotion as fields, methods), top-level
//! functions and script code, `$x = ...`, `[$a, $b] = ...`, `foreach`,
//! `$this->x`, `->` / `?->` member access and calls, `Cls::m()` static calls,
//! `new X(...)` (named arguments are field writes), arrays (string-keyed
//! ones are object literals), closures and arrow functions, casts,
//! `Foo::class`.
//!
//! Variables lose their `$`. `self::`/`static::` calls are calls on `this`.
//! A class-named scope is a type value only for factory-like static methods
//! (`OrderDto::fromArray($data)` decodes into `OrderDto`); any other static
//! call (`Log::info($data)`, `Http::get($url)`) is a call on a name. In a
//! file that does not speak gRPC, `XClient` types are SDK or HTTP clients,
//! not stubs, and are lowered as opaque.

use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr, TypeFields};
use crate::flow::libs;
use tree_sitter::Node as TsNode;

/// Lowers a PHP file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let grpc = ctx.src.contains("Grpc\\") || ctx.src.contains("->wait()") || ctx.src.contains("Grpc;");
    let l = Lower { ctx, grpc };
    let mut ir = FileIr::default();
    let mut top = Vec::new();
    l.decls(root, &mut ir, &mut top);
    ir.top = top;
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
    /// Whether the file speaks gRPC (`Grpc\...`, `->wait()`): only then is an `XClient` a stub.
    grpc: bool,
}

impl<'c, 'a> Lower<'c, 'a> {
    fn t(&self, n: TsNode) -> &'a str {
        text(self.ctx, n)
    }

    /// Top-level declarations and statements (inside `namespace X { ... }` too).
    fn decls<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>, top: &mut Vec<Stmt<'t>>) {
        for k in kids(n) {
            match k.kind() {
                "namespace_definition" => {
                    if let Some(b) = k.child_by_field_name("body") {
                        self.decls(b, ir, top);
                    }
                }
                "compound_statement" => self.decls(k, ir, top),
                "class_declaration" | "trait_declaration" | "enum_declaration" | "interface_declaration" => {
                    self.class(k, ir)
                }
                "function_definition" => ir.funcs.push(self.func(k, None)),
                "php_tag" | "text_interpolation" | "namespace_use_declaration" | "declare_statement" | "text" => {}
                _ => self.stmt(k, top),
            }
        }
    }

    fn class<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let Some(name) = n.child_by_field_name("name").map(|x| self.t(x).to_string()) else { return };
        let mut fields = TypeFields { owner: name.clone(), fields: Vec::new() };
        let mut init = Vec::new();
        for m in n.child_by_field_name("body").map(kids).unwrap_or_default() {
            match m.kind() {
                "property_declaration" => self.property(m, &mut fields, &mut init),
                "method_declaration" => {
                    // Promoted constructor parameters are properties.
                    if m.child_by_field_name("name").is_some_and(|x| self.t(x) == "__construct") {
                        for p in m.child_by_field_name("parameters").map(kids).unwrap_or_default() {
                            if p.kind() != "property_promotion_parameter" {
                                continue;
                            }
                            if let (Some(v), Some(t)) = (p.child_by_field_name("name"), p.child_by_field_name("type")) {
                                fields.fields.push((var(self.t(v)), self.ty(t)));
                            }
                        }
                    }
                    ir.funcs.push(self.func(m, Some(&name)));
                }
                _ => {}
            }
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

    /// `private Client $http;`, `/** @var OrdersClient */ private $orders;`, `public $x = [...]`.
    fn property<'t>(&self, m: TsNode<'t>, fields: &mut TypeFields, init: &mut Vec<Stmt<'t>>) {
        let ty = m.child_by_field_name("type").map(|t| self.ty(t)).or_else(|| self.doc_var(m));
        for el in kids(m).into_iter().filter(|e| e.kind() == "property_element") {
            let Some(v) = el.child_by_field_name("name") else { continue };
            let name = var(self.t(v));
            if let Some(t) = &ty {
                fields.fields.push((name.clone(), t.clone()));
            }
            if let Some(d) = el.child_by_field_name("default_value") {
                let this = Expr::new(ExprKind::Name("this".into()), el);
                init.push(Stmt::Let {
                    target: Target::Member(Box::new(this), name, el),
                    ty: None,
                    value: Some(self.expr(d)),
                });
            }
        }
    }

    /// The class named by a PHPDoc `@var Type` above a property.
    fn doc_var(&self, m: TsNode) -> Option<TypeExpr> {
        let doc = crate::langs::php::docblock(self.ctx, m)?;
        let rest = doc.split("@var").nth(1)?;
        let word = rest.split_whitespace().next()?.trim_start_matches('?');
        let word = word.split('|').find(|w| !w.eq_ignore_ascii_case("null"))?;
        Some(self.type_name(word.trim_end_matches("[]"), word.ends_with("[]")))
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
            this: owner.map(|_| "this".to_string()),
            params,
            ret,
            body,
        }
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        kids(list)
            .into_iter()
            .filter(|p| matches!(p.kind(), "simple_parameter" | "property_promotion_parameter" | "variadic_parameter"))
            .map(|p| Param {
                target: p.child_by_field_name("name").map(|x| Target::Name(var(self.t(x)))).unwrap_or(Target::Ignore),
                ty: p.child_by_field_name("type").map(|t| self.ty(t)),
                body: false,
            })
            .collect()
    }

    /// A declared type: `Order`, `?Order`, `\App\Dto\Order`, `Order|null`; builtins are opaque.
    fn ty(&self, t: TsNode) -> TypeExpr {
        match t.kind() {
            "optional_type" | "union_type" | "intersection_type" | "disjunctive_normal_form_type" => kids(t)
                .into_iter()
                .map(|k| self.ty(k))
                .find(|x| !x.is_opaque())
                .unwrap_or_else(|| TypeExpr::named("", "object")),
            "named_type" => kids(t).into_iter().next().map(|k| self.ty(k)).unwrap_or_default(),
            "name" | "qualified_name" => self.type_name(self.t(t), false),
            _ => TypeExpr::named("", "object"),
        }
    }

    /// A class name as written (`\App\Dto\Order` gives qualifier `App.Dto`).
    fn type_name(&self, s: &str, list: bool) -> TypeExpr {
        let s = s.trim().trim_start_matches('\\');
        let (qual, name) = match s.rsplit_once('\\') {
            Some((q, n)) => (q.replace('\\', "."), n),
            None => (String::new(), s),
        };
        let builtin = matches!(
            name.to_ascii_lowercase().as_str(),
            "array"
                | "mixed"
                | "iterable"
                | "callable"
                | "self"
                | "static"
                | "null"
                | "stdclass"
                | "closure"
                | "object"
        ) || is_framework_type(name);
        let sdk_client = (!self.grpc && name.ends_with("Client")) || name.ends_with("ClientInterface");
        if builtin || sdk_client || name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return TypeExpr::named("", "object");
        }
        let el = TypeExpr::named(&qual, name);
        if list {
            return TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true };
        }
        el
    }

    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        self.stmt(b, &mut out);
        out
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "compound_statement" | "colon_block" | "else_clause" | "else_if_clause" | "finally_clause" => {
                for k in kids(s) {
                    self.stmt(k, out);
                }
            }
            "expression_statement" => {
                for k in kids(s) {
                    self.expr_stmt(k, out);
                }
            }
            "return_statement" => {
                if let Some(e) = kids(s).into_iter().next() {
                    out.push(Stmt::Return(self.expr(e)));
                }
            }
            "foreach_statement" => self.foreach(s, out),
            "if_statement" | "while_statement" | "do_statement" | "for_statement" | "switch_statement"
            | "switch_block" | "case_statement" | "default_statement" | "try_statement" | "catch_clause" => {
                for k in kids(s) {
                    if is_stmt(k.kind()) {
                        self.stmt(k, out);
                    } else if !matches!(k.kind(), "type_list" | "variable_name" | "name") || s.kind() != "catch_clause"
                    {
                        self.expr_stmt(k, out);
                    }
                }
            }
            "function_definition" => {
                // A nested named function: a lambda bound to its name.
                let f = self.func(s, None);
                let name = f.name.clone();
                out.push(Stmt::Let {
                    target: Target::Name(name),
                    ty: None,
                    value: Some(Expr::new(ExprKind::Lambda(Box::new(f)), s)),
                });
            }
            "echo_statement"
            | "unset_statement"
            | "global_declaration"
            | "function_static_declaration"
            | "parenthesized_expression"
            | "sequence_expression" => {
                for k in kids(s) {
                    self.expr_stmt(k, out);
                }
            }
            "comment"
            | "empty_statement"
            | "break_statement"
            | "continue_statement"
            | "named_label_statement"
            | "goto_statement"
            | "php_tag"
            | "text_interpolation"
            | "const_declaration" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    /// `foreach ($xs as $x)`, `foreach ($xs as $k => $v)`.
    fn foreach<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let ks: Vec<TsNode<'t>> = kids(s).into_iter().filter(|k| k.kind() != "compound_statement").collect();
        let body = s.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
        let iter = ks.first().map(|i| self.expr(*i)).unwrap_or_else(|| Expr::other(s));
        let target = match ks.get(1) {
            Some(p) if p.kind() == "pair" => kids(*p).last().map(|v| self.target(*v)).unwrap_or(Target::Ignore),
            Some(v) => self.target(*v),
            None => Target::Ignore,
        };
        out.push(Stmt::For { target, ty: None, iter, body });
    }

    /// Assignments bind (a compound assignment to a member writes it); anything else is evaluated.
    fn expr_stmt<'t>(&self, e: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match e.kind() {
            "assignment_expression" | "reference_assignment_expression" => {
                if let (Some(l), Some(r)) = (e.child_by_field_name("left"), e.child_by_field_name("right")) {
                    out.push(Stmt::Let { target: self.target(l), ty: None, value: Some(self.expr(r)) });
                    return;
                }
            }
            "augmented_assignment_expression" => {
                if let (Some(l), Some(r)) = (e.child_by_field_name("left"), e.child_by_field_name("right")) {
                    let value = Expr::new(ExprKind::Other(vec![self.expr(r)]), r);
                    let target = self.target(l);
                    if matches!(target, Target::Member(..)) {
                        out.push(Stmt::Let { target, ty: None, value: Some(value) });
                    } else {
                        out.push(Stmt::Expr(value));
                    }
                    return;
                }
            }
            _ => {}
        }
        if is_stmt(e.kind()) {
            self.stmt(e, out);
        } else {
            out.push(Stmt::Expr(self.expr(e)));
        }
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "variable_name" => Target::Name(var(self.t(n))),
            "member_access_expression" | "nullsafe_member_access_expression" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("name").map(|f| self.t(f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "list_literal" | "array_creation_expression" => {
                let els = kids(n);
                let keyed = els.iter().any(|e| e.kind() == "array_element_initializer" && kids(*e).len() == 2);
                if keyed {
                    let mut fs = Vec::new();
                    for e in els {
                        let ks = kids(e);
                        if let (2, Some(k), Some(v)) = (ks.len(), ks.first(), ks.last()) {
                            if let Some(key) = self.key_of(*k) {
                                fs.push((key, self.target(*v), e));
                            }
                        }
                    }
                    Target::Fields(fs)
                } else {
                    Target::Tuple(
                        els.into_iter()
                            .map(|e| match e.kind() {
                                "array_element_initializer" => {
                                    kids(e).into_iter().next().map(|v| self.target(v)).unwrap_or(Target::Ignore)
                                }
                                _ => self.target(e),
                            })
                            .collect(),
                    )
                }
            }
            "by_ref" => kids(n).into_iter().next().map(|v| self.target(v)).unwrap_or(Target::Ignore),
            _ => Target::Ignore,
        }
    }

    /// A literal array key (`'order_id'`, `"total"`), if it is one.
    fn key_of(&self, k: TsNode) -> Option<String> {
        if !matches!(k.kind(), "string" | "encapsed_string") {
            return None;
        }
        let s = crate::strval::eval(self.ctx, k).and_then(|v| v.exact())?;
        (!s.is_empty() && s.len() <= 100 && !s.contains([' ', '/', '\n', '{', '%'])).then_some(s)
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let f = |name: &str| n.child_by_field_name(name);
        match n.kind() {
            "variable_name" => Expr::new(ExprKind::Name(var(self.t(n))), n),
            "name" => Expr::new(ExprKind::Name(self.t(n).to_string()), n),
            "member_access_expression" | "nullsafe_member_access_expression" => {
                let obj = f("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let name = f("name").map(|x| self.t(x).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "member_call_expression" | "nullsafe_member_call_expression" => {
                let obj = f("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                self.method_call(n, obj)
            }
            "scoped_call_expression" => self.static_call(n),
            "function_call_expression" => {
                let callee = match f("function") {
                    Some(c) if matches!(c.kind(), "name" | "qualified_name") => {
                        let nm = self.t(c).trim_start_matches('\\');
                        Expr::new(ExprKind::Name(nm.rsplit('\\').next().unwrap_or(nm).to_string()), c)
                    }
                    Some(c) => self.expr(c),
                    None => Expr::other(n),
                };
                let args = f("arguments").map(|a| self.args(a)).unwrap_or_default();
                Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n)
            }
            "object_creation_expression" => self.new_expr(n),
            "subscript_expression" => {
                let ks = kids(n);
                let obj = ks.first().map(|o| self.expr(*o)).unwrap_or_else(|| Expr::other(n));
                match ks.get(1) {
                    Some(k) => Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(self.expr(*k)) }, n),
                    None => Expr::new(ExprKind::Wrap(Box::new(obj)), n),
                }
            }
            "array_creation_expression" => self.array(n),
            "anonymous_function" | "arrow_function" => self.lambda(n),
            "cast_expression" => {
                let inner = f("value").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let ty = f("type").map(|t| TypeExpr::named("", self.t(t))).unwrap_or_default();
                Expr::new(ExprKind::Cast { expr: Box::new(inner), ty }, n)
            }
            "parenthesized_expression" | "unary_op_expression" | "error_suppression_expression" | "by_ref" => {
                match kids(n).into_iter().last() {
                    Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                    None => Expr::other(n),
                }
            }
            "class_constant_access_expression" => {
                let ks = kids(n);
                match (ks.first(), ks.get(1)) {
                    (Some(c), Some(k)) if self.t(*k) == "class" => {
                        Expr::new(ExprKind::TypeValue(self.type_name(self.t(*c), false)), n)
                    }
                    _ => Expr::other(n),
                }
            }
            "string" | "encapsed_string" | "heredoc" | "nowdoc" => Expr::new(ExprKind::Str, n),
            "assignment_expression" | "augmented_assignment_expression" => {
                let xs = f("right").map(|r| vec![self.expr(r)]).unwrap_or_default();
                Expr::new(ExprKind::Other(xs), n)
            }
            "integer" | "float" | "boolean" | "null" | "comment" => Expr::other(n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// `$obj->m(args)`.
    fn method_call<'t>(&self, n: TsNode<'t>, obj: Expr<'t>) -> Expr<'t> {
        let nm = n.child_by_field_name("name");
        let name = nm.map(|x| self.t(x).to_string()).unwrap_or_default();
        let callee = Expr::new(ExprKind::Member { obj: Box::new(obj), name }, nm.unwrap_or(n));
        let args = n.child_by_field_name("arguments").map(|a| self.args(a)).unwrap_or_default();
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n)
    }

    /// `Cls::m(args)`, `self::m()`, `static::m()`, `parent::m()`.
    fn static_call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let scope = n.child_by_field_name("scope");
        let name = n.child_by_field_name("name").map(|x| self.t(x)).unwrap_or("");
        let obj = match scope {
            Some(s) if s.kind() == "relative_scope" => Expr::new(ExprKind::Name("this".into()), s),
            Some(s) if matches!(s.kind(), "name" | "qualified_name") && libs::is_static_factory(name) => {
                Expr::new(ExprKind::TypeValue(self.type_name(self.t(s), false)), s)
            }
            Some(s) if matches!(s.kind(), "name" | "qualified_name") => {
                let nm = self.t(s).trim_start_matches('\\');
                Expr::new(ExprKind::Name(nm.rsplit('\\').next().unwrap_or(nm).to_string()), s)
            }
            Some(s) => self.expr(s),
            None => Expr::other(n),
        };
        self.method_call(n, obj)
    }

    /// `new X(a, b, name: c)`: named arguments are field writes. A detector's HTTP site
    /// (`new Request('GET', $url)`) stays a call so its response is followed.
    fn new_expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let cls = kids(n).into_iter().find(|k| matches!(k.kind(), "name" | "qualified_name"));
        let args_node = kids(n).into_iter().find(|k| k.kind() == "arguments");
        let args = args_node.map(|a| self.args(a)).unwrap_or_default();
        let Some(cls) = cls else { return other(n, |x| self.expr(x)) };
        if self.ctx.sites.http.contains_key(&n.id()) {
            let callee = Expr::new(ExprKind::Name(self.t(cls).to_string()), cls);
            return Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n);
        }
        let ty = self.type_name(self.t(cls), false);
        let (named, positional): (Vec<Arg<'t>>, Vec<Arg<'t>>) = args.into_iter().partition(|a| a.name.is_some());
        let fields = named
            .into_iter()
            .map(|a| Pair { key: a.name.unwrap_or_default(), node: a.value.node, value: a.value })
            .collect();
        Expr::new(ExprKind::New { ty, args: positional, fields }, n)
    }

    fn args<'t>(&self, list: TsNode<'t>) -> Vec<Arg<'t>> {
        kids(list)
            .into_iter()
            .filter(|a| a.kind() == "argument")
            .filter_map(|a| {
                let name = a.child_by_field_name("name").map(|x| self.t(x).to_string());
                let v = kids(a).into_iter().rfind(|k| Some(k.id()) != a.child_by_field_name("name").map(|x| x.id()))?;
                Some(Arg { name, value: self.expr(v) })
            })
            .collect()
    }

    /// `['order_id' => $id, 'total' => $t]` is an object literal; `[$a, $b]` a list.
    fn array<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let els: Vec<TsNode<'t>> = kids(n).into_iter().filter(|e| e.kind() == "array_element_initializer").collect();
        let keyed: Vec<(String, TsNode<'t>, TsNode<'t>)> = els
            .iter()
            .filter_map(|e| {
                let ks = kids(*e);
                match (ks.len(), ks.first(), ks.last()) {
                    (2, Some(k), Some(v)) => self.key_of(*k).map(|key| (key, *v, *e)),
                    _ => None,
                }
            })
            .collect();
        if !keyed.is_empty() {
            let pairs = keyed.into_iter().map(|(key, v, e)| Pair { key, value: self.expr(v), node: e }).collect();
            return Expr::new(ExprKind::Object(pairs), n);
        }
        let xs = els.into_iter().filter_map(|e| kids(e).into_iter().last()).map(|v| self.expr(v)).collect();
        Expr::new(ExprKind::List(xs), n)
    }

    fn lambda<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let ret = n.child_by_field_name("return_type").map(|t| self.ty(t));
        let body = match n.child_by_field_name("body") {
            Some(b) if b.kind() == "compound_statement" => self.block(b),
            Some(b) => vec![Stmt::Return(self.expr(b))],
            None => Vec::new(),
        };
        let f = Func { node: n, name: String::new(), owner: None, this: None, params, ret, body };
        Expr::new(ExprKind::Lambda(Box::new(f)), n)
    }
}

/// PSR-7, Symfony and Laravel request and response classes: envelopes, not payload shapes.
fn is_framework_type(name: &str) -> bool {
    matches!(
        name,
        "Request"
            | "Response"
            | "ServerRequestInterface"
            | "RequestInterface"
            | "ResponseInterface"
            | "StreamInterface"
            | "JsonResponse"
            | "LoggerInterface"
            | "App"
            | "Application"
            | "Container"
            | "ContainerInterface"
    )
}

/// A variable's name without its `$`.
fn var(s: &str) -> String {
    s.trim_start_matches(['$', '&']).to_string()
}

/// Statement kinds lowered by [`Lower::stmt`] rather than as expressions.
fn is_stmt(kind: &str) -> bool {
    kind.ends_with("_statement")
        || matches!(
            kind,
            "compound_statement"
                | "colon_block"
                | "else_clause"
                | "else_if_clause"
                | "catch_clause"
                | "finally_clause"
                | "switch_block"
                | "case_statement"
                | "default_statement"
                | "function_definition"
        )
}
