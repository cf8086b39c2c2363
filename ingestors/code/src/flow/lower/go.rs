//! Go into the flow IR: functions and methods (the receiver is `this`),
//! struct field types, `:=`/`=`/`var`, `range` loops, composite literals,
//! `&x`/`*x`, type assertions, function literals.

use super::{kids, other, text, unquote};
use crate::ctx::Ctx;
use crate::flow::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Param, Stmt, Target, TypeExpr, TypeFields};
use tree_sitter::Node as TsNode;

pub fn lower<'t>(ctx: &Ctx, root: TsNode<'t>) -> FileIr<'t> {
    let l = Lower { ctx };
    let mut ir = FileIr::default();
    for n in kids(root) {
        match n.kind() {
            "function_declaration" | "method_declaration" => ir.funcs.push(l.func(n)),
            "type_declaration" => {
                for spec in kids(n).into_iter().filter(|s| s.kind() == "type_spec") {
                    if let Some(t) = l.struct_fields(spec) {
                        ir.types.push(t);
                    }
                }
            }
            "var_declaration" => l.var_decl(n, &mut ir.top),
            _ => {}
        }
    }
    ir
}

struct Lower<'c, 'a> {
    ctx: &'c Ctx<'a>,
}

impl<'c, 'a> Lower<'c, 'a> {
    fn func<'t>(&self, n: TsNode<'t>) -> Func<'t> {
        let name = n.child_by_field_name("name").map(|x| text(self.ctx, x).to_string()).unwrap_or_default();
        let (mut owner, mut this) = (None, None);
        if let Some(recv) = n.child_by_field_name("receiver") {
            if let Some(p) = kids(recv).into_iter().next() {
                this = p.child_by_field_name("name").map(|x| text(self.ctx, x).to_string());
                owner = p.child_by_field_name("type").map(|t| self.ty(t).name).filter(|s| !s.is_empty());
            }
        }
        let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
        let ret = n.child_by_field_name("result").and_then(|r| self.result(r));
        let body = n.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
        Func { node: n, name, owner, this, params, ret, body }
    }

    fn params<'t>(&self, list: TsNode<'t>) -> Vec<Param<'t>> {
        let mut out = Vec::new();
        for p in kids(list) {
            if !matches!(p.kind(), "parameter_declaration" | "variadic_parameter_declaration") {
                continue;
            }
            let ty = p.child_by_field_name("type").map(|t| self.ty(t));
            let mut c = p.walk();
            let names: Vec<TsNode> = p.children_by_field_name("name", &mut c).collect();
            if names.is_empty() {
                out.push(Param { target: Target::Ignore, ty: ty.clone(), body: false });
            }
            for nm in names {
                out.push(Param { target: Target::Name(text(self.ctx, nm).to_string()), ty: ty.clone(), body: false });
            }
        }
        out
    }

    /// The first result type (`(T, error)` gives `T`).
    fn result(&self, r: TsNode) -> Option<TypeExpr> {
        if r.kind() == "parameter_list" {
            let first = kids(r).into_iter().next()?;
            return first.child_by_field_name("type").map(|t| self.ty(t));
        }
        Some(self.ty(r))
    }

    fn struct_fields(&self, spec: TsNode) -> Option<TypeFields> {
        let name = text(self.ctx, spec.child_by_field_name("name")?).to_string();
        let st = spec.child_by_field_name("type").filter(|t| t.kind() == "struct_type")?;
        let list = kids(st).into_iter().find(|k| k.kind() == "field_declaration_list")?;
        let mut fields = Vec::new();
        for d in kids(list).into_iter().filter(|d| d.kind() == "field_declaration") {
            let Some(t) = d.child_by_field_name("type") else { continue };
            let ty = self.ty(t);
            let mut c = d.walk();
            let names: Vec<String> =
                d.children_by_field_name("name", &mut c).map(|x| text(self.ctx, x).to_string()).collect();
            if names.is_empty() {
                // An embedded field is named after its type.
                fields.push((ty.name.clone(), ty));
            } else {
                for nm in names {
                    fields.push((nm, ty.clone()));
                }
            }
        }
        Some(TypeFields { owner: name, fields })
    }

    pub(crate) fn ty(&self, t: TsNode) -> TypeExpr {
        match t.kind() {
            "type_identifier" | "identifier" => TypeExpr::named("", text(self.ctx, t)),
            "qualified_type" => {
                let q = t.child_by_field_name("package").map(|x| text(self.ctx, x)).unwrap_or("");
                let n = t.child_by_field_name("name").map(|x| text(self.ctx, x)).unwrap_or("");
                TypeExpr::named(q, n)
            }
            "pointer_type" | "parenthesized_type" => kids(t).into_iter().next().map(|x| self.ty(x)).unwrap_or_default(),
            "slice_type" | "array_type" | "implicit_length_array_type" => {
                let el = t.child_by_field_name("element").map(|x| self.ty(x)).unwrap_or_default();
                TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true }
            }
            "generic_type" => {
                let mut base = t.child_by_field_name("type").map(|x| self.ty(x)).unwrap_or_default();
                if let Some(ta) = t.child_by_field_name("type_arguments") {
                    base.args = kids(ta).into_iter().map(|a| self.ty(a)).collect();
                }
                base
            }
            "type_elem" => kids(t).into_iter().next().map(|x| self.ty(x)).unwrap_or_default(),
            "map_type" => TypeExpr::named("", "Map"),
            _ => TypeExpr::named("", "interface"),
        }
    }

    fn var_decl<'t>(&self, n: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        let mut specs = Vec::new();
        for k in kids(n) {
            match k.kind() {
                "var_spec" => specs.push(k),
                "var_spec_list" => specs.extend(kids(k).into_iter().filter(|s| s.kind() == "var_spec")),
                _ => {}
            }
        }
        for s in specs {
            let ty = s.child_by_field_name("type").map(|t| self.ty(t));
            let mut c = s.walk();
            let names: Vec<String> =
                s.children_by_field_name("name", &mut c).map(|x| text(self.ctx, x).to_string()).collect();
            let values: Vec<TsNode> = s.child_by_field_name("value").map(kids).unwrap_or_default();
            for (i, nm) in names.into_iter().enumerate() {
                let value = values.get(i).map(|v| self.expr(*v));
                out.push(Stmt::Let { target: Target::Name(nm), ty: ty.clone(), value });
            }
        }
    }

    fn block<'t>(&self, b: TsNode<'t>) -> Vec<Stmt<'t>> {
        let mut out = Vec::new();
        self.stmts_into(b, &mut out);
        out
    }

    fn stmts_into<'t>(&self, b: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        for s in kids(b) {
            if s.kind() == "statement_list" {
                self.stmts_into(s, out);
            } else {
                self.stmt(s, out);
            }
        }
    }

    fn stmt<'t>(&self, s: TsNode<'t>, out: &mut Vec<Stmt<'t>>) {
        match s.kind() {
            "short_var_declaration" | "assignment_statement" => {
                let op = s.child_by_field_name("operator").map(|o| text(self.ctx, o)).unwrap_or("=");
                let left: Vec<TsNode> = s.child_by_field_name("left").map(kids).unwrap_or_default();
                let right: Vec<TsNode> = s.child_by_field_name("right").map(kids).unwrap_or_default();
                if op != "=" && op != ":=" {
                    // `x += y`: both sides are read.
                    for e in left.iter().chain(&right) {
                        out.push(Stmt::Expr(self.expr(*e)));
                    }
                    return;
                }
                if left.len() == right.len() {
                    for (l, r) in left.iter().zip(&right) {
                        out.push(Stmt::Let { target: self.target(*l), ty: None, value: Some(self.expr(*r)) });
                    }
                } else if let Some(r) = right.first() {
                    let targets = left.iter().map(|l| self.target(*l)).collect();
                    out.push(Stmt::Let { target: Target::Tuple(targets), ty: None, value: Some(self.expr(*r)) });
                }
            }
            "var_declaration" => self.var_decl(s, out),
            "expression_statement"
            | "go_statement"
            | "defer_statement"
            | "send_statement"
            | "inc_statement"
            | "dec_statement" => {
                for k in kids(s) {
                    out.push(Stmt::Expr(self.expr(k)));
                }
            }
            "return_statement" => {
                // `return v, err` returns `v`; the others are still evaluated (`fmt.Errorf(.., x.GetId())`).
                let values: Vec<TsNode> = kids(s).into_iter().next().map(kids).unwrap_or_default();
                for (i, v) in values.into_iter().enumerate() {
                    let e = self.expr(v);
                    out.push(if i == 0 { Stmt::Return(e) } else { Stmt::Expr(e) });
                }
            }
            "if_statement" => {
                if let Some(i) = s.child_by_field_name("initializer") {
                    self.stmt(i, out);
                }
                if let Some(c) = s.child_by_field_name("condition") {
                    out.push(Stmt::Expr(self.expr(c)));
                }
                if let Some(b) = s.child_by_field_name("consequence") {
                    self.stmts_into(b, out);
                }
                if let Some(a) = s.child_by_field_name("alternative") {
                    if a.kind() == "block" {
                        self.stmts_into(a, out);
                    } else {
                        self.stmt(a, out);
                    }
                }
            }
            "for_statement" => {
                let body = s.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
                let clause = kids(s).into_iter().find(|k| k.kind() != "block");
                match clause {
                    Some(rc) if rc.kind() == "range_clause" => {
                        let left: Vec<TsNode> = rc.child_by_field_name("left").map(kids).unwrap_or_default();
                        let right = rc.child_by_field_name("right");
                        let iter = right.map(|r| self.expr(r)).unwrap_or_else(|| Expr::other(rc));
                        // `for _, v := range xs` binds the element to the second name.
                        // A lone name is the element of a channel and the key of a slice or map; binding
                        // the element to it is harmless for the latter (an index has no fields).
                        let target = match left.len() {
                            2 => self.target(left[1]),
                            1 => self.target(left[0]),
                            _ => Target::Ignore,
                        };
                        out.push(Stmt::For { target, ty: None, iter, body });
                    }
                    Some(fc) if fc.kind() == "for_clause" => {
                        for k in kids(fc) {
                            self.stmt(k, out);
                        }
                        out.extend(body);
                    }
                    Some(cond) => {
                        out.push(Stmt::Expr(self.expr(cond)));
                        out.extend(body);
                    }
                    None => out.extend(body),
                }
            }
            "expression_switch_statement" | "type_switch_statement" | "select_statement" => {
                if let Some(i) = s.child_by_field_name("initializer") {
                    self.stmt(i, out);
                }
                if let Some(v) = s.child_by_field_name("value") {
                    out.push(Stmt::Expr(self.expr(v)));
                }
                for case in kids(s) {
                    if matches!(case.kind(), "expression_case" | "default_case" | "type_case" | "communication_case") {
                        if let Some(c) = case.child_by_field_name("communication") {
                            self.stmt(c, out);
                        }
                        for k in kids(case) {
                            if k.kind() == "statement_list" {
                                self.stmts_into(k, out);
                            }
                        }
                    }
                }
            }
            "receive_statement" => {
                let left: Vec<TsNode> = s.child_by_field_name("left").map(kids).unwrap_or_default();
                if let Some(r) = s.child_by_field_name("right") {
                    let value = Some(self.expr(r));
                    match left.first() {
                        Some(l) => out.push(Stmt::Let { target: self.target(*l), ty: None, value }),
                        None => out.push(Stmt::Expr(self.expr(r))),
                    }
                }
            }
            "block" | "labeled_statement" => self.stmts_into(s, out),
            "const_declaration"
            | "type_declaration"
            | "empty_statement"
            | "break_statement"
            | "continue_statement"
            | "goto_statement"
            | "fallthrough_statement" => {}
            _ => out.push(Stmt::Expr(self.expr(s))),
        }
    }

    fn target<'t>(&self, n: TsNode<'t>) -> Target<'t> {
        match n.kind() {
            "identifier" if text(self.ctx, n) == "_" => Target::Ignore,
            "identifier" => Target::Name(text(self.ctx, n).to_string()),
            "selector_expression" => {
                let obj = n.child_by_field_name("operand").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let f = n.child_by_field_name("field").map(|f| text(self.ctx, f).to_string()).unwrap_or_default();
                Target::Member(Box::new(obj), f, n)
            }
            "unary_expression" | "parenthesized_expression" => {
                kids(n).into_iter().last().map(|x| self.target(x)).unwrap_or(Target::Ignore)
            }
            _ => Target::Ignore,
        }
    }

    fn expr<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let k = n.kind();
        match k {
            "identifier" | "field_identifier" | "package_identifier" => {
                Expr::new(ExprKind::Name(text(self.ctx, n).to_string()), n)
            }
            "selector_expression" => {
                let obj = n.child_by_field_name("operand").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let name = n.child_by_field_name("field").map(|f| text(self.ctx, f).to_string()).unwrap_or_default();
                Expr::new(ExprKind::Member { obj: Box::new(obj), name }, n)
            }
            "call_expression" => self.call(n),
            "index_expression" => {
                let obj = n.child_by_field_name("operand").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let key = n.child_by_field_name("index").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                Expr::new(ExprKind::Index { obj: Box::new(obj), key: Box::new(key) }, n)
            }
            "composite_literal" => self.composite(n),
            "unary_expression" | "parenthesized_expression" | "slice_expression" => {
                match n.child_by_field_name("operand") {
                    Some(o) => Expr::new(ExprKind::Wrap(Box::new(self.expr(o))), n),
                    None => match kids(n).into_iter().next() {
                        Some(x) => Expr::new(ExprKind::Wrap(Box::new(self.expr(x))), n),
                        None => Expr::other(n),
                    },
                }
            }
            "type_assertion_expression" => {
                let inner = n.child_by_field_name("operand").map(|o| self.expr(o)).unwrap_or_else(|| Expr::other(n));
                let ty = n.child_by_field_name("type").map(|t| self.ty(t)).unwrap_or_default();
                Expr::new(ExprKind::Cast { expr: Box::new(inner), ty }, n)
            }
            "func_literal" => {
                let params = n.child_by_field_name("parameters").map(|p| self.params(p)).unwrap_or_default();
                let ret = n.child_by_field_name("result").and_then(|r| self.result(r));
                let body = n.child_by_field_name("body").map(|b| self.block(b)).unwrap_or_default();
                Expr::new(
                    ExprKind::Lambda(Box::new(Func {
                        node: n,
                        name: String::new(),
                        owner: None,
                        this: None,
                        params,
                        ret,
                        body,
                    })),
                    n,
                )
            }
            "interpreted_string_literal" | "raw_string_literal" => Expr::new(ExprKind::Str, n),
            "literal_element" => match kids(n).into_iter().next() {
                Some(x) if x.kind() == "literal_value" => self.literal_value(x, None),
                Some(x) => self.expr(x),
                None => Expr::other(n),
            },
            "int_literal" | "float_literal" | "true" | "false" | "nil" | "rune_literal" | "imaginary_literal"
            | "iota" => Expr::other(n),
            _ => other(n, |x| self.expr(x)),
        }
    }

    fn call<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let f = n.child_by_field_name("function");
        let args: Vec<Arg<'t>> = n
            .child_by_field_name("arguments")
            .map(kids)
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let a = if a.kind() == "variadic_argument" { kids(a).into_iter().next().unwrap_or(a) } else { a };
                Arg { name: None, value: self.expr(a) }
            })
            .collect();
        // Conversions (`string(b)`, `[]byte(s)`) and `new(T)` look like calls.
        if let Some(f) = f {
            let ft = text(self.ctx, f);
            if matches!(ft, "string" | "[]byte" | "byte" | "json.RawMessage") || f.kind() == "slice_type" {
                if let Some(a) = args.into_iter().next() {
                    return Expr::new(ExprKind::Wrap(Box::new(a.value)), n);
                }
                return Expr::other(n);
            }
            if ft == "new" {
                let ty = n
                    .child_by_field_name("arguments")
                    .and_then(|a| kids(a).into_iter().next())
                    .map(|t| self.ty(t))
                    .unwrap_or_default();
                return Expr::new(ExprKind::New { ty, args: Vec::new(), fields: Vec::new() }, n);
            }
        }
        let targs = n
            .child_by_field_name("type_arguments")
            .map(|ta| kids(ta).into_iter().map(|t| self.ty(t)).collect())
            .unwrap_or_default();
        let callee = f.map(|f| self.expr(f)).unwrap_or_else(|| Expr::other(n));
        Expr::new(ExprKind::Call { callee: Box::new(callee), args, targs }, n)
    }

    fn composite<'t>(&self, n: TsNode<'t>) -> Expr<'t> {
        let ty_node = n.child_by_field_name("type");
        let ty = ty_node.map(|t| self.ty(t));
        match n.child_by_field_name("body") {
            Some(body) => self.literal_value(body, ty.filter(|_| ty_node.is_some_and(|t| t.kind() != "map_type"))),
            None => Expr::other(n),
        }
    }

    /// `{A: x, B: y}` of a struct type, `{x, y}` of a slice, `{"k": v}` of a map.
    fn literal_value<'t>(&self, body: TsNode<'t>, ty: Option<TypeExpr>) -> Expr<'t> {
        let items = kids(body);
        let keyed = items.iter().any(|i| i.kind() == "keyed_element");
        match ty {
            Some(t) if t.list => {
                // `[]*pb.Item{{...}, {...}}`: elements of the element type.
                let el = t.element();
                let xs = items
                    .into_iter()
                    .map(|i| match kids(i).into_iter().next() {
                        Some(v) if v.kind() == "literal_value" => self.literal_value(v, Some(el.clone())),
                        Some(v) => self.expr(v),
                        None => Expr::other(i),
                    })
                    .collect();
                Expr::new(ExprKind::List(xs), body)
            }
            Some(t) => {
                let fields = if keyed { self.pairs(&items) } else { Vec::new() };
                Expr::new(ExprKind::New { ty: t, args: Vec::new(), fields }, body.parent().unwrap_or(body))
            }
            None if keyed => Expr::new(ExprKind::Object(self.pairs(&items)), body),
            None => Expr::new(ExprKind::List(items.into_iter().map(|i| self.expr(i)).collect()), body),
        }
    }

    fn pairs<'t>(&self, items: &[TsNode<'t>]) -> Vec<Pair<'t>> {
        let mut out = Vec::new();
        for i in items {
            if i.kind() != "keyed_element" {
                continue;
            }
            let (Some(k), Some(v)) = (i.child_by_field_name("key"), i.child_by_field_name("value")) else { continue };
            let key = unquote(text(self.ctx, k));
            if key.is_empty() || key.contains(char::is_whitespace) {
                continue;
            }
            out.push(Pair { key, value: self.expr(v), node: *i });
        }
        out
    }
}
