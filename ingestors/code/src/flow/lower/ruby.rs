//! Ruby into the flow IR: modules and classes (methods, `def self.x`,
//! class-body code such as Sinatra routes), top-level scripts, locals,
//! `@ivars` (members of `self`), blocks (`do |m| ... end`, `{ |x| ... }`,
//! passed as the call's last argument), hashes (object literals),
//! `h["k"]` / `h[:k]` / `h.dig("a", "b")` / `h.fetch("k")` (index reads),
//! `X.new(k: v)` (a typed value; keyword arguments are field writes),
//! `x.to_json` (an encoder call on `x`), and the last expression of a body
//! as its value.
//!
//! A call without arguments or parentheses (`reply.total`) is a call with
//! no arguments: the evaluator reads it as a field when the receiver is
//! typed. A constant receiver is a type value only for factory-like methods
//! (`Order.from_json(body)`); `JSON.parse(x)` and `Rails.logger` are names.

use super::{kids, other, text};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr};
use crate::flow::libs;
use tree_sitter::Node as TsNode;

/// Lowers a Ruby file.
pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx };
    let mut ir = FileIr::default();
    let mut top = Vec::new();
    l.body(root, None, &mut ir, &mut top);
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

    /// The statements of a program, module or class body: definitions go to `ir`, code to `out`.
    fn body<'t>(&self, n: TsNode<'t>, owner: Option<&str>, ir: &mut FileIr<'t>, out: &mut Vec<Stmt<'t>>) {
        for k in kids(n) {
            match k.kind() {
                "class" | "module" => self.class(k, ir),
                "method" | "singleton_method" => ir.funcs.push(self.method(k, owner)),
                "body_statement" => self.body(k, owner, ir, out),
                _ => self.stmt(k, out),
            }
        }
    }

    /// A class or module: its methods, and its body code as a function of the class.
    fn class<'t>(&self, n: TsNode<'t>, ir: &mut FileIr<'t>) {
        let Some(name) = n.child_by_field_name("name").map(|x| last_segment(self.t(x)).to_string()) else { return };
        let mut code = Vec::new();
        if let Some(b) = n.child_by_field_name("body") {
            self.body(b, Some(&name), ir, &mut code);
        }
        if !code.is_empty() {
            ir.funcs.push(Func {
                node: n,
                name: String::new(),
                owner: Some(name.clone()),
                this: Some("self".into()),
                params: Vec::new(),
                ret: None,
                body: code,
            });
        }
    }

    fn method<'t>(&self, n: TsNode<'t>, owner: Option<&str>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| self.t(x).to_string()).unwrap_or_default();
        let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let body = n.child_by_field_name("body").map(|b| self.block_body(b)).unwrap_or_default();
        Func { node: n, name, owner: owner.map(str::to_string), this: Some("self".into()), params, ret: None, body }
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        kids(list)
            .into_iter()
            .map(|p| {
                let target = match p.kind() {
                    "identifier" => Target::Name(self.t(p).to_string()),
                    "optional_parameter"
                    | "keyword_parameter"
                    | "splat_parameter"
                    | "hash_splat_parameter"
                    | "block_parameter" => p
                        .child_by_field_name("name")
                        .map(|x| Target::Name(self.t(x).to_string()))
                        .unwrap_or(Target::Ignore),
                    "destructured_parameter" => Target::Tuple(
                        kids(p)
                            .into_iter()
                            .map(|x| {
                                if x.kind() == "identifier" {
                                    Target::Name(self.t(x).to_string())
                                } else {
                                    Target::Ignore
                                }
                            })
                            .collect(),
                    ),
                    _ => Target::Ignore,
                };
                Param { target, ty: None, body: false }
            })
            .collect()
    }

    /// A body whose last expression is its value (a method's or block's result).
    fn block_body<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        self.stmt(b, &mut out);
        if let Some(Stmt::Expr(_)) = out.last() {
            if let Some(Stmt::Expr(e)) = out.pop() {
                out.push(Stmt::Return(e));
            }
        }
        out
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "body_statement"
            | "block_body"
            | "begin"
            | "then"
            | "else"
            | "elsif"
            | "ensure"
            | "rescue"
            | "do"
            | "if"
            | "unless"
            | "while"
            | "until"
            | "case"
            | "when"
            | "if_modifier"
            | "unless_modifier"
            | "while_modifier"
            | "until_modifier"
            | "rescue_modifier"
            | "parenthesized_statements"
            | "begin_block"
            | "end_block" => {
                for k in kids(s) {
                    self.stmt(k, out);
                }
            }
            "assignment" => {
                if let (Some(l), Some(r)) = (s.child_by_field_name("left"), s.child_by_field_name("right")) {
                    out.push(Stmt::Let { target: self.target(l), ty: None, value: Some(self.expr(r)) });
                }
            }
            "operator_assignment" => {
                if let (Some(l), Some(r)) = (s.child_by_field_name("left"), s.child_by_field_name("right")) {
                    // `@x ||= Foo.new` memoises: an assignment; `x += 1` only evaluates.
                    let op = s.child_by_field_name("operator").map(|o| self.t(o)).unwrap_or("");
                    if op == "||=" || !matches!(self.target(l), Target::Name(_)) {
                        out.push(Stmt::Let { target: self.target(l), ty: None, value: Some(self.expr(r)) });
                    } else {
                        out.push(Stmt::Expr(self.expr(r)));
                    }
                }
            }
            "return" | "next" | "break" => {
                if let Some(e) = kids(s).into_iter().next() {
                    let e = if e.kind() == "argument_list" { kids(e).into_iter().next() } else { Some(e) };
                    if let Some(e) = e {
                        out.push(Stmt::Return(self.expr(e)));
                    }
                }
            }
            "for" => {
                let target = s.child_by_field_name("pattern").map(|p| self.target(p)).unwrap_or(Target::Ignore);
                let iter = s
                    .child_by_field_name("value")
                    .and_then(|v| kids(v).into_iter().next())
                    .map(|v| self.expr(v))
                    .unwrap_or_else(|| Expr::other(s));
                let body = s.child_by_field_name("body").map(|b| self.block_body(b)).unwrap_or_default();
                out.push(Stmt::For { target, ty: None, iter, body });
            }
            "method" | "singleton_method" => {
                let f = self.method(s, None);
                let name = f.name.clone();
                out.push(Stmt::Let {
                    target: Target::Name(name),
                    ty: None,
                    value: Some(Expr::new(ExprKind::Lambda(Box::new(f)), s)),
                });
            }
            "comment" | "empty_statement" | "class" | "module" | "alias" | "undef" | "heredoc_body" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" | "global_variable" | "constant" => Target::Name(self.t(n).to_string()),
            "instance_variable" | "class_variable" => {
                let this = Expr::new(ExprKind::Name("self".into()), n);
                Target::Member(Box::new(this), ivar(self.t(n)), n)
            }
            "call" => {
                // `obj.name = v`.
                let (Some(r), Some(m)) = (n.child_by_field_name("receiver"), n.child_by_field_name("method")) else {
                    return Target::Ignore;
                };
                Target::Member(Box::new(self.expr(r)), self.t(m).to_string(), n)
            }
            "left_assignment_list" | "destructured_left_assignment" => {
                Target::Tuple(kids(n).into_iter().map(|k| self.target(k)).collect())
            }
            // `payload[:referral_code] = v`: a key added to a hash.
            "element_reference" => {
                let key = kids(n).into_iter().nth(1).filter(|k| matches!(k.kind(), "simple_symbol" | "string"));
                match (n.child_by_field_name("object"), key) {
                    (Some(o), Some(k)) => {
                        let name = crate::strval::eval(self.ctx, k).and_then(|v| v.exact());
                        match name.filter(|s| !s.is_empty() && !s.contains(' ')) {
                            Some(name) => Target::Member(Box::new(self.expr(o)), name, n),
                            None => Target::Ignore,
                        }
                    }
                    _ => Target::Ignore,
                }
            }
            _ => Target::Ignore,
        }
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        match n.kind() {
            "identifier" | "global_variable" | "self" => Expr::new(ExprKind::Name(self.t(n).to_string()), n),
            "constant" | "scope_resolution" => {
                Expr::new(ExprKind::Name(self.t(n).trim_start_matches("::").to_string()), n)
            }
            "instance_variable" | "class_variable" => {
                let this = Expr::new(ExprKind::Name("self".into()), n);
                Expr::new(ExprKind::Member { obj: Box::new(this), name: ivar(self.t(n)) }, n)
            }
            "call" => self.call(n),
            "element_reference" => {
                let obj = n.child_by_field_name("object").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = kids(n).into_iter().skip(1).map(|k| self.expr(k)).next().unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "hash" => Expr::new(ExprKind::Object(self.pairs(n)), n),
            "array" => Expr::new(ExprKind::List(kids(n).into_iter().map(|x| self.expr(x)).collect()), n),
            "string" | "simple_symbol" | "delimited_symbol" | "hash_key_symbol" | "string_array" | "symbol_array"
            | "heredoc_beginning" => Expr::new(ExprKind::Str, n),
            "parenthesized_statements" => match kids(n).into_iter().last() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            "lambda" => self.lambda(n),
            "do_block" | "block" => self.lambda(n),
            "integer" | "float" | "true" | "false" | "nil" | "comment" => Expr::other(n),
            "splat_argument" | "hash_splat_argument" | "block_argument" => match kids(n).into_iter().next() {
                Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                None => Expr::other(n),
            },
            "assignment" | "operator_assignment" => {
                let xs = n.child_by_field_name("right").map(|r| vec![self.expr(r)]).unwrap_or_default();
                Expr::new(ExprKind::Other(xs), n)
            }
            _ => other(n, |x| self.expr(x)),
        }
    }

    /// `{order_id: id, "total" => t}`: the pairs with literal keys.
    fn pairs<'t>(&self, n: TsNode<'t>) -> Vec<Pair<'t>> {
        let mut out = Vec::new();
        for p in kids(n).into_iter().filter(|p| p.kind() == "pair") {
            let (Some(k), Some(v)) = (p.child_by_field_name("key"), p.child_by_field_name("value")) else { continue };
            if let Some(key) = self.key_of(k) {
                out.push(Pair { key, value: self.expr(v), node: p });
            }
        }
        out
    }

    /// A literal hash key (`order_id:`, `"total" =>`, `:sku =>`).
    fn key_of(&self, k: TsNode) -> Option<String> {
        let s = match k.kind() {
            "hash_key_symbol" | "simple_symbol" => super::unquote(self.t(k)),
            "string" | "delimited_symbol" => crate::strval::eval(self.ctx, k).and_then(|v| v.exact())?,
            _ => return None,
        };
        (!s.is_empty() && s.len() <= 100 && !s.contains([' ', '/', '\n', '{', '%'])).then_some(s)
    }

    /// `recv.m(args) { block }`, `m(args)`, `X.new(k: v)`, `h.dig("a", "b")`, `x.to_json`.
    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let recv = n.child_by_field_name("receiver");
        let mnode = n.child_by_field_name("method");
        let m = mnode.map(|x| self.t(x)).unwrap_or("");
        let args_node = n.child_by_field_name("arguments");
        let mut args = args_node.map(|a| self.args(a)).unwrap_or_default();
        if let Some(b) = n.child_by_field_name("block") {
            args.push(Arg { name: None, value: self.lambda(b) });
        }
        let Some(r) = recv else {
            let callee = Expr::new(ExprKind::Name(m.to_string()), mnode.unwrap_or(n));
            return Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n);
        };
        let site = self.ctx.sites.http.contains_key(&n.id())
            || self.ctx.sites.publish.contains_key(&n.id())
            || self.ctx.sites.subscribe.contains_key(&n.id());
        let constant = matches!(r.kind(), "constant" | "scope_resolution");
        if m == "new" && constant && !site && !libs::is_ruby_library_class(self.t(r)) {
            return self.new_expr(n, r, args);
        }
        if !site {
            if let Some(e) = self.hash_read(n, r, m, args_node) {
                return e;
            }
            // `payload.to_json`: the encoder applied to the receiver.
            if args.is_empty() && libs::is_encoder(m) {
                let callee = Expr::new(ExprKind::Name(m.to_string()), mnode.unwrap_or(n));
                let arg = Arg { name: None, value: self.expr(r) };
                return Expr::new(ExprKind::Call { callee: Box::new(callee), args: vec![arg], targs: Vec::new() }, n);
            }
        }
        let obj = if constant && libs::is_static_factory(m) {
            Expr::new(ExprKind::TypeValue(self.type_name(self.t(r))), r)
        } else {
            self.expr(r)
        };
        let callee = Expr::new(ExprKind::Member { obj: Box::new(obj), name: m.to_string() }, mnode.unwrap_or(n));
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs: Vec::new() }, n)
    }

    /// `h.dig("a", "b")` and `h.fetch("k", default)`: index reads with literal keys.
    fn hash_read<'t>(&self, n: TsNode<'t>, r: TsNode<'t>, m: &str, args: Option<TsNode<'t>>) -> Option<Expr<'t>> {
        if !matches!(m, "dig" | "fetch") {
            return None;
        }
        let keys = kids(args?);
        let literal = |k: &TsNode| matches!(k.kind(), "string" | "simple_symbol");
        if keys.is_empty() || !literal(&keys[0]) {
            return None;
        }
        let keys = if m == "fetch" { vec![keys[0]] } else { keys.into_iter().take_while(|k| literal(k)).collect() };
        let mut e = self.expr(r);
        for k in keys {
            e = Expr::new(ExprKind::Index { obj: Box::new(e), key: Box::new(Expr::new(ExprKind::Str, k)) }, n);
        }
        Some(e)
    }

    /// `Order.new(order_id: id)`, `Cart::GetCartRequest.new(user_id: u)`, `Order.new(payload)`: keyword
    /// arguments alone are field writes.
    fn new_expr<'t>(&self, n: TsNode<'t>, r: TsNode<'t>, args: Vec<Arg<'t>>) -> Expr<'t> {
        let ty = self.type_name(self.t(r));
        let (named, positional): (Vec<Arg<'t>>, Vec<Arg<'t>>) = args.into_iter().partition(|a| a.name.is_some());
        // After positional arguments, keywords are options (`Serializer.new(ads, links: l)`), not fields.
        if !positional.is_empty() {
            let args = positional.into_iter().chain(named.into_iter().map(|a| Arg { name: None, value: a.value }));
            return Expr::new(ExprKind::New { ty, args: args.collect(), fields: Vec::new() }, n);
        }
        let fields = named
            .into_iter()
            .map(|a| Pair { key: a.name.unwrap_or_default(), node: a.value.node, value: a.value })
            .collect();
        Expr::new(ExprKind::New { ty, args: positional, fields }, n)
    }

    /// `A::B::C` as a type: qualifier `A.B`, name `C`.
    fn type_name(&self, s: &str) -> TypeExpr {
        let s = s.trim().trim_start_matches("::");
        match s.rsplit_once("::") {
            Some((q, n)) => TypeExpr::named(&q.replace("::", "."), n),
            None => TypeExpr::named("", s),
        }
    }

    /// Arguments: keyword pairs (`topic: "x"`, `"k" => v`) are named.
    fn args<'t>(&self, list: TsNode<'t>) -> Vec<Arg<'t>> {
        let mut out = Vec::new();
        for a in kids(list) {
            if a.kind() == "pair" {
                let (Some(k), Some(v)) = (a.child_by_field_name("key"), a.child_by_field_name("value")) else {
                    continue;
                };
                out.push(Arg { name: self.key_of(k), value: self.expr(v) });
            } else {
                out.push(Arg { name: None, value: self.expr(a) });
            }
        }
        out
    }

    /// A block or lambda: `do |a, b| ... end`, `{ |x| ... }`, `->(x) { ... }`.
    fn lambda<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let params = n
            .child_by_field_name("parameters")
            .or_else(|| kids(n).into_iter().find(|k| matches!(k.kind(), "block_parameters" | "lambda_parameters")))
            .map(|p| self.params(p))
            .unwrap_or_default();
        let body = match n.kind() {
            "lambda" => n.child_by_field_name("body").map(|b| self.lambda_body(b)).unwrap_or_default(),
            _ => n.child_by_field_name("body").map(|b| self.block_body(b)).unwrap_or_default(),
        };
        let f = Func { node: n, name: String::new(), owner: None, this: None, params, ret: None, body };
        Expr::new(ExprKind::Lambda(Box::new(f)), n)
    }

    /// A lambda's body: a `{ }` or `do end` block.
    fn lambda_body<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        match b.child_by_field_name("body") {
            Some(x) => self.block_body(x),
            None => self.block_body(b),
        }
    }
}

/// `@stub` -> `stub`.
fn ivar(s: &str) -> String {
    s.trim_start_matches('@').to_string()
}

/// The last segment of `A::B::C`.
fn last_segment(s: &str) -> &str {
    s.rsplit("::").next().unwrap_or(s)
}
