//! The evaluator: follows values through a file's IR and emits what crosses
//! a boundary (see the module doc of [`crate::flow`]).
//!
//! Abstract values ([`Val`]) say what the code holds: a typed value (a
//! [`TyRef`]), a gRPC stub, a response or message envelope, a subscription,
//! an object literal with its fields. Two passes over every function: the
//! first learns what fields of classes and structs hold (a stub assigned in a
//! constructor, a struct literal built in `NewServer`) and which functions
//! receive messages as callbacks; the second emits. Nothing here fails: an
//! expression it does not understand is `Unknown`.

use super::ir::{Arg, Expr, ExprKind, FileIr, Func, Pair, Stmt, Target, TypeExpr};
use super::libs;
use super::tyref::{Bnd, BndKind, Root, Step, TyRef};
use super::{
    PayloadArg, ACCESS, ARG, ARG_OF, BOUNDARY, ENVELOPE, INLINE, KEEP_CASE, NAME, NS, ROLE, ROLE_ARG, ROLE_RETURNS,
    ROLE_SENT, TEXT,
};
use crate::ctx::Ctx;
use crate::lang::Lang;
use brain_model::attr::{self, ns};
use brain_model::{wire, Edge, EdgeKind, NodeId, NodeKind, Reference};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use tree_sitter::Node as TsNode;

/// Most statements evaluated per file (bounds pathological generated-looking code).
const MAX_STEPS: usize = 200_000;
/// Deepest expression nesting followed.
const MAX_DEPTH: usize = 64;

/// An object literal (or a typed struct literal) with the values of its fields.
#[derive(Clone, Debug)]
pub struct Obj {
    pub ty: Option<TyRef>,
    pub fields: Vec<(String, Val)>,
    /// The literal's line (inline shapes are named after it).
    pub line: u32,
    /// The line of each field, parallel to `fields` (shorter when unknown: the literal's line stands in).
    pub lines: Vec<u32>,
    pub start: usize,
    pub end: usize,
    /// Fields from this index on were added after the literal (`payload["k"] = v`, often under a
    /// condition): the shape does not promise them.
    pub optional_from: Option<usize>,
}

/// What the code holds.
#[derive(Clone, Debug)]
pub enum Val {
    Unknown,
    /// A value of a known or deferred type.
    Ty(TyRef),
    /// A gRPC client stub of a service.
    Stub(String),
    /// `stub.Method` not yet called (Python `stub.M.future(req)`).
    StubMethod(String, String),
    /// A grpc-js package object from `loadPackageDefinition` (members are services).
    GrpcNs,
    /// An HTTP response envelope (or a request being built) of an operation.
    Resp(Bnd),
    /// A message envelope received on a topic.
    Msg(Bnd),
    /// A consumer or subscription bound to topics.
    Sub(Vec<Bnd>),
    /// An object literal or struct literal.
    Obj(Rc<Obj>),
    /// A list whose elements are this.
    List(Box<Val>),
    /// A type used as a value (`Order.class`).
    TypeVal(TypeExpr),
    /// A function of this file (by index in `FileIr::funcs`) or a lambda (by node id).
    Func(FuncRef),
    /// The receiver inside a method of this class or struct.
    This(String),
    /// A producer bound to topics (kafka-go `Writer{Topic: t}`): what it writes is published.
    Producer(Vec<Bnd>),
    /// A callback that answers an rpc (grpc-js `callback(null, reply)`).
    Responder(Bnd),
}

/// How a function is entered (see [`Eval::entry`]).
struct Entry {
    seeds: Vec<Option<Val>>,
    listen: Option<Vec<Bnd>>,
    serving: Option<Bnd>,
    handler: Vec<Bnd>,
    exported: bool,
    /// A handler, listener or server method: called by a framework, not by other files.
    framework_called: bool,
    /// Whether a listener's message parameter was given already.
    msg_seeded: bool,
}

/// A function a value refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FuncRef {
    Top(usize),
    Lambda(usize),
}

type Env = HashMap<String, Val>;

struct Eval<'c, 'a, 't> {
    ctx: &'c mut Ctx<'a>,
    ir: &'c FileIr<'t>,
    lang: Lang,
    emit: bool,
    /// Values of class/struct fields: owner -> field -> value.
    fields: HashMap<String, HashMap<String, Val>>,
    /// Declared field types: owner -> field -> type.
    field_types: HashMap<String, HashMap<String, TypeExpr>>,
    globals: Env,
    /// Functions by name (top-level and methods; the first wins).
    by_name: HashMap<String, usize>,
    /// Lambdas by node id, so a lambda stored in a variable can be evaluated where it is passed.
    lambdas: HashMap<usize, &'c Func<'t>>,
    /// Parameter values learned for functions passed as callbacks or called with known values.
    seeds: HashMap<FuncRef, Vec<Option<Val>>>,
    /// Route operations a function answers (by function index), from detector sites.
    handler_of: HashMap<usize, Vec<Bnd>>,
    /// The operations the function being evaluated answers.
    handler: Vec<Bnd>,
    /// The rpc the function being evaluated serves.
    serving: Option<Bnd>,
    /// Lambdas passed to a route registration (`app.get("/x", (req, res) => ..)`): node id -> operations.
    route_lambdas: HashMap<usize, Vec<Bnd>>,
    /// The first shaped value the function being evaluated returns.
    ret: Option<Val>,
    /// What functions of the file return, learned in the first pass.
    returns: HashMap<FuncRef, Val>,
    seen: HashSet<(NodeId, &'static str, String, String, u32)>,
    /// Functions of this file that publish to a topic their caller names: function -> (bus, topic parameter).
    wrappers: HashMap<FuncRef, (String, usize)>,
    /// The functions being evaluated, innermost last.
    stack: Vec<FuncRef>,
    inline_done: HashSet<usize>,
    steps: usize,
    depth: usize,
}

/// Runs both passes over the file and emits into `ctx`.
pub fn run(ctx: &mut Ctx, ir: &FileIr<'_>) {
    let lang = ctx.lang;
    let mut field_types: HashMap<String, HashMap<String, TypeExpr>> = HashMap::new();
    for t in &ir.types {
        let m = field_types.entry(t.owner.clone()).or_default();
        for (n, ty) in &t.fields {
            m.insert(n.clone(), ty.clone());
        }
    }
    let mut by_name = HashMap::new();
    for (i, f) in ir.funcs.iter().enumerate() {
        if !f.name.is_empty() {
            by_name.entry(f.name.clone()).or_insert(i);
        }
    }
    let mut lambdas = HashMap::new();
    for f in &ir.funcs {
        collect_lambdas(&f.body, &mut lambdas);
    }
    collect_lambdas(&ir.top, &mut lambdas);
    let mut ev = Eval {
        ctx,
        ir,
        lang,
        emit: false,
        fields: HashMap::new(),
        field_types,
        globals: Env::new(),
        by_name,
        lambdas,
        seeds: HashMap::new(),
        handler_of: HashMap::new(),
        handler: Vec::new(),
        serving: None,
        route_lambdas: HashMap::new(),
        ret: None,
        returns: HashMap::new(),
        seen: HashSet::new(),
        wrappers: HashMap::new(),
        stack: Vec::new(),
        inline_done: HashSet::new(),
        steps: 0,
        depth: 0,
    };
    ev.find_handlers();
    // Learning passes until what functions receive and return stops changing (a callee
    // defined before its caller learns its seeds one pass late), then one emitting pass.
    let mut last = usize::MAX;
    for _ in 0..LEARNING_PASSES {
        ev.emit = false;
        ev.sweep(ir);
        let state = ev.learned();
        if state == last {
            break;
        }
        last = state;
    }
    ev.emit = true;
    ev.sweep(ir);
}

/// Most learning passes over a file before the emitting one.
const LEARNING_PASSES: usize = 4;

impl<'c, 'a, 't> Eval<'c, 'a, 't> {
    /// One pass over the file's top-level code and every function.
    fn sweep(&mut self, ir: &'c FileIr<'t>) {
        self.steps = 0;
        let mut top = Env::new();
        self.stmts(&ir.top, &mut top, None);
        self.globals = top;
        for i in 0..ir.funcs.len() {
            self.func(FuncRef::Top(i), &ir.funcs[i], None);
        }
    }

    /// How much the learning passes know (seeds, returns, fields, wrappers, servers), to tell a fixpoint.
    fn learned(&self) -> usize {
        self.seeds.values().map(|v| v.iter().filter(|s| s.is_some()).count()).sum::<usize>()
            + self.returns.len()
            + self.fields.values().map(HashMap::len).sum::<usize>()
            + self.wrappers.len()
            + self.ctx.sites.grpc_servers.len()
    }
}

fn collect_lambdas<'c, 't>(stmts: &'c [Stmt<'t>], out: &mut HashMap<usize, &'c Func<'t>>) {
    fn expr<'c, 't>(e: &'c Expr<'t>, out: &mut HashMap<usize, &'c Func<'t>>) {
        match &e.kind {
            ExprKind::Lambda(f) => {
                out.insert(e.node.id(), f);
                collect_lambdas(&f.body, out);
            }
            ExprKind::Member { obj, .. } => expr(obj, out),
            ExprKind::Index { obj, key } => {
                expr(obj, out);
                expr(key, out);
            }
            ExprKind::Call { callee, args, .. } => {
                expr(callee, out);
                args.iter().for_each(|a| expr(&a.value, out));
            }
            ExprKind::New { args, fields, .. } => {
                args.iter().for_each(|a| expr(&a.value, out));
                fields.iter().for_each(|p| expr(&p.value, out));
            }
            ExprKind::Object(ps) => ps.iter().for_each(|p| expr(&p.value, out)),
            ExprKind::List(xs) | ExprKind::Other(xs) | ExprKind::Effects(xs) => xs.iter().for_each(|x| expr(x, out)),
            ExprKind::Cast { expr: x, .. } | ExprKind::Wrap(x) => expr(x, out),
            ExprKind::Name(_) | ExprKind::TypeValue(_) | ExprKind::Str => {}
        }
    }
    for s in stmts {
        match s {
            Stmt::Let { value: Some(v), .. } => expr(v, out),
            Stmt::Let { .. } => {}
            Stmt::Expr(e) | Stmt::Return(e) => expr(e, out),
            Stmt::For { iter, body, .. } => {
                expr(iter, out);
                collect_lambdas(body, out);
            }
        }
    }
}

fn line_of(n: TsNode) -> u32 {
    n.start_position().row as u32 + 1
}

impl<'c, 'a, 't> Eval<'c, 'a, 't> {
    /// Marks functions that detectors found to be route handlers.
    fn find_handlers(&mut self) {
        if self.ctx.sites.route_handlers.is_empty() {
            return;
        }
        for (i, f) in self.ir.funcs.iter().enumerate() {
            let id = self.ctx.owner_of_def(f.node);
            if let Some(bs) = id.and_then(|id| self.ctx.sites.route_handlers.get(&id)) {
                self.handler_of.insert(i, bs.clone());
            }
        }
    }

    /// Evaluates a function with its parameters seeded; returns the first shaped value it returns.
    fn func(&mut self, r: FuncRef, f: &Func<'t>, outer: Option<&Env>) -> Val {
        if self.depth > MAX_DEPTH {
            return Val::Unknown;
        }
        let mut env = outer.cloned().unwrap_or_else(|| self.globals.clone());
        if let (Some(this), Some(owner)) = (&f.this, &f.owner) {
            env.insert(this.clone(), Val::This(owner.clone()));
        }
        let mut entry = self.entry(r, f);
        if let (Some(b), true) = (&entry.serving, self.emit) {
            self.implements(f.node, b);
        }
        if let (Some(b), Some(g)) = (entry.handler.first(), libs::request_global(self.lang)) {
            env.entry(g.to_string()).or_insert_with(|| Val::Resp(Bnd::new(BndKind::HttpReq, b.key.clone())));
        }
        for (i, p) in f.params.iter().enumerate() {
            let v = self.param_value(&mut entry, f, i, p);
            self.bind(&p.target, v, &mut env);
        }
        let saved_handler = std::mem::replace(&mut self.handler, std::mem::take(&mut entry.handler));
        let saved_serving = std::mem::replace(&mut self.serving, entry.serving.take());
        let saved_ret = self.ret.take();
        if let (false, Some(rt)) = (self.handler.is_empty(), &f.ret) {
            let t = libs::unwrap_payload_type(rt);
            if !t.is_opaque() && !t.name.is_empty() {
                let ty = self.named(&t.element());
                for b in self.handler.clone() {
                    self.binding(f.node, &b, &ty, "encode");
                }
            }
        }
        self.depth += 1;
        self.stack.push(r);
        self.stmts(&f.body, &mut env, Some(f));
        self.stack.pop();
        self.depth -= 1;
        self.handler = saved_handler;
        self.serving = saved_serving;
        let ret = std::mem::replace(&mut self.ret, saved_ret).unwrap_or(Val::Unknown);
        if !matches!(ret, Val::Unknown) && !self.emit {
            self.returns.entry(r).or_insert_with(|| ret.clone());
        }
        let method_of_class = matches!(r, FuncRef::Top(_)) && f.owner.is_some() && !f.name.is_empty();
        if (entry.exported || (method_of_class && !entry.framework_called))
            && self.emit
            && libs::infers_params(self.lang)
        {
            self.exported_return(f, &ret);
        }
        ret
    }

    /// Who calls a function and with what: its seeds, the topics it listens to, the rpc it
    /// serves, the routes it handles, and whether other files may call it.
    fn entry(&self, r: FuncRef, f: &Func<'t>) -> Entry {
        let seeds = self.seeds.get(&r).cloned().unwrap_or_default();
        // Listener methods (`@KafkaListener`) receive messages of their topics.
        let listen = self.ctx.sites.listeners.get(&(f.node.start_byte(), f.node.end_byte())).cloned();
        // gRPC server methods serve the rpc of their name.
        let serving = f
            .owner
            .as_ref()
            .and_then(|o| self.ctx.sites.grpc_servers.get(o).cloned())
            .filter(|_| libs::is_rpc_signature(self.lang, f.params.iter().map(|p| p.ty.as_ref())))
            .and_then(|svc| {
                libs::rpc_method(self.lang, &f.name).map(|m| Bnd::new(BndKind::GrpcReq, wire::grpc_key(&svc, &m)))
            });
        // Route handlers: found by the detectors (named functions) or passed inline to a registration.
        let handler = match r {
            FuncRef::Top(i) => self.handler_of.get(&i).cloned(),
            FuncRef::Lambda(id) => self.route_lambdas.get(&id).cloned(),
        }
        .unwrap_or_default();
        let framework_called = !handler.is_empty() || serving.is_some() || listen.is_some();
        // A function other files may call: its parameters come from and its result goes to them.
        let exported = matches!(r, FuncRef::Top(_)) && f.owner.is_none() && !f.name.is_empty() && !framework_called;
        Entry { seeds, listen, serving, handler, exported, framework_called, msg_seeded: false }
    }

    /// The value parameter `i` starts with: what callers pass, its declared type, the message of a
    /// listener, the request of an rpc or a route, or (for functions of other files' callers) a
    /// deferred parameter.
    fn param_value(&mut self, e: &mut Entry, f: &Func<'t>, i: usize, p: &super::ir::Param<'t>) -> Val {
        let mut v = e.seeds.get(i).cloned().flatten().unwrap_or(Val::Unknown);
        if let (Some(ty), true, Some(b)) = (&p.ty, p.body, e.handler.first()) {
            // A parameter bound to the request body (`@Body() dto: T`, a FastAPI model): the server's type.
            let b = Bnd::new(BndKind::HttpReq, b.key.clone());
            v = self.typed(Val::Ty(TyRef::payload(b)), ty, p.target_node(f.node));
        } else if let Some(ty) = &p.ty {
            v = self.typed(v, ty, p.target_node(f.node));
        }
        if let (Some(topics), false) = (e.listen.clone(), e.msg_seeded) {
            let framework = p.ty.as_ref().is_some_and(|t| {
                matches!(t.name.as_str(), "Acknowledgment" | "Channel" | "Headers" | "MessageHeaders" | "Context")
            });
            if !framework {
                e.msg_seeded = true;
                v = self.listener_param(&topics, p.ty.as_ref(), v, f.node);
            }
        }
        if !matches!(v, Val::Unknown) {
            return v;
        }
        let name = p.target_name();
        if let Some(b) = &e.serving {
            // The request is the first parameter that is not a context or `self`.
            if name.is_some_and(|n| libs::is_message_param(n) || n.contains("req")) {
                return Val::Ty(TyRef::payload(b.clone()));
            }
        }
        if let (Some(b), true) = (e.handler.first(), p.ty.as_ref().is_none_or(TypeExpr::is_opaque)) {
            // express `(req, res) =>`: the request envelope, whose body is the operation's request.
            if name.is_some_and(libs::is_request_param) {
                return Val::Resp(Bnd::new(BndKind::HttpReq, b.key.clone()));
            }
        }
        if e.exported && matches!(p.target, Target::Name(_) | Target::Fields(_)) {
            return Val::Ty(TyRef::param(module_of(self.ctx.path), &f.name, i));
        }
        v
    }

    /// What a function other files call returns: a typed value is bound to it; the keys of an
    /// object literal are writes of whatever its callers send it as.
    fn exported_return(&mut self, f: &Func<'t>, ret: &Val) {
        // A method answers to `Class.method` (`InvoicesClient().iter_invoices()` in another file).
        let name = match &f.owner {
            Some(o) => format!("{o}.{}", f.name),
            None => f.name.clone(),
        };
        let callee = format!("{}|{name}", module_of(self.ctx.path));
        let me = TyRef::returned(module_of(self.ctx.path), &name);
        match ret {
            Val::Ty(t) if !t.is_param() => self.call_binding(f.node, t, ROLE_RETURNS, &callee),
            Val::Obj(o) => match &o.ty {
                Some(t) => {
                    let t = t.clone();
                    self.call_binding(f.node, &t, ROLE_RETURNS, &callee);
                }
                None => {
                    let o = o.clone();
                    self.obj_writes(&me, &o, f.node);
                }
            },
            Val::List(inner) => {
                if let Val::Obj(o) = &**inner {
                    if o.ty.is_none() {
                        let o = o.clone();
                        self.obj_writes(&me.elem(), &o, f.node);
                    }
                }
            }
            _ => {}
        }
    }

    /// A binding between a function of another file (`<module>|<function>`) and a type: what it
    /// returns ([`ROLE_RETURNS`]) or the payload its result is sent as ([`ROLE_SENT`]).
    fn call_binding(&mut self, at: TsNode, t: &TyRef, role: &'static str, callee: &str) {
        if !self.emit {
            return;
        }
        let from = self.ctx.owner_of_def(at).unwrap_or_else(|| self.ctx.owner_of(at));
        let span = self.ctx.span(at);
        let key = t.encode();
        let r = Reference::key(from, EdgeKind::UsesType, NS, key.clone(), self.ctx.inferred(span, 0.7))
            .with_attr(ROLE, role)
            .with_attr(ARG_OF, callee.to_string());
        self.push_ref(role, &key, callee, span.start_line, r);
    }

    fn stmts(&mut self, stmts: &[Stmt<'t>], env: &mut Env, f: Option<&Func<'t>>) {
        for s in stmts {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return;
            }
            match s {
                Stmt::Let { target, ty, value } => {
                    let mut v = match value {
                        Some(e) => self.expr(e, env),
                        None => Val::Unknown,
                    };
                    if let Some(ty) = ty {
                        let at = value.as_ref().map(|e| e.node).or_else(|| f.map(|f| f.node));
                        if let Some(at) = at {
                            v = self.typed(v, ty, at);
                        }
                    }
                    match f {
                        Some(_) => self.bind(target, v, env),
                        None => self.bind_top(target, v, env),
                    }
                }
                Stmt::Expr(e) => {
                    self.expr(e, env);
                }
                Stmt::For { target, ty, iter, body } => {
                    let it = self.expr(iter, env);
                    let mut v = element(&it);
                    if let Some(ty) = ty {
                        v = self.typed(v, ty, iter.node);
                    }
                    match f {
                        Some(_) => self.bind(target, v, env),
                        None => self.bind_top(target, v, env),
                    }
                    self.stmts(body, env, f);
                }
                Stmt::Return(e) => {
                    let mut v = self.expr(e, env);
                    // `function toDto(o): OrderDto { return { .. } }`: the literal is of the declared type.
                    if let (Some(rt), Val::Obj(_) | Val::List(_)) = (f.and_then(|f| f.ret.as_ref()), &v) {
                        v = self.typed(v, rt, e.node);
                    }
                    if !self.handler.is_empty() {
                        self.respond(e.node, &v);
                    }
                    if self.ret.is_none() && shaped(&v) {
                        self.ret = Some(v);
                    }
                }
            }
        }
    }

    /// A value given a declared type: decoding a payload into it binds the type to the boundary.
    fn typed(&mut self, v: Val, ty: &TypeExpr, at: TsNode) -> Val {
        let inner = libs::unwrap_payload_type(ty);
        if let Some(svc) = libs::stub_from_type(self.lang, ty) {
            return Val::Stub(svc);
        }
        if libs::is_message_type(ty) {
            return match v {
                Val::Unknown => Val::Unknown,
                other => other,
            };
        }
        if inner.is_opaque() {
            // `const data: any = await res.json()` keeps the payload.
            return v;
        }
        let el = inner.element();
        if el.is_opaque() {
            return v;
        }
        match &v {
            Val::Ty(t) if t.boundary().is_some() && is_payload_ref(t) => {
                let b = t.boundary().cloned();
                let named = self.named(&el);
                if let Some(b) = b {
                    if matches!(b.kind, BndKind::Http | BndKind::Topic | BndKind::HttpReq) {
                        self.binding(at, &b, &named, "decode");
                        return wrap_list(inner, Val::Ty(named));
                    }
                }
                // A gRPC response keeps its boundary type (more precise than the name).
                v
            }
            Val::Resp(b) if matches!(b.kind, BndKind::Http) && is_response_type(ty) => {
                let named = self.named(&el);
                let b = b.clone();
                self.binding(at, &b, &named, "decode");
                Val::Resp(b)
            }
            // `const o: Order = { id, total }`, `{..} satisfies Order`: the literal writes the type's fields.
            Val::Obj(o) if o.ty.is_none() => self.typed_literal(o, &el, at),
            Val::List(x) if inner.list && matches!(&**x, Val::Obj(o) if o.ty.is_none()) => match &**x {
                Val::Obj(o) => {
                    let t = self.typed_literal(o, &el, at);
                    Val::List(Box::new(t))
                }
                _ => v,
            },
            Val::Ty(_) | Val::Stub(_) | Val::Resp(_) | Val::Msg(_) | Val::Sub(_) | Val::Obj(_) => v,
            _ => wrap_list(inner, Val::Ty(self.named(&el))),
        }
    }

    /// An object literal given a declared type: its keys are writes of the type's fields.
    fn typed_literal(&mut self, o: &Obj, t: &TypeExpr, at: TsNode) -> Val {
        let named = self.named(t);
        self.obj_writes(&named, o, at);
        Val::Obj(Rc::new(Obj {
            ty: Some(named),
            fields: o.fields.clone(),
            lines: o.lines.clone(),
            line: o.line,
            start: o.start,
            end: o.end,
            optional_from: o.optional_from,
        }))
    }

    fn listener_param(&mut self, topics: &[Bnd], ty: Option<&TypeExpr>, v: Val, at: TsNode) -> Val {
        let Some(b) = topics.first().cloned() else { return v };
        match ty {
            // `void on(String payload)`, `byte[] body`: the message's value itself.
            Some(t) if !libs::is_message_type(t) && libs::unwrap_payload_type(t).is_opaque() => {
                Val::Ty(TyRef::payload(b))
            }
            Some(t) if libs::is_message_type(t) => {
                let inner = libs::unwrap_payload_type(t);
                // `ConsumerRecord<String, OrderEvent>` names the payload type as its last argument.
                if let Some(last) = t.args.last().filter(|a| !a.is_opaque() && libs::is_message_type(t)) {
                    let named = self.named(last);
                    for b in topics {
                        self.binding(at, b, &named, "decode");
                    }
                    let _ = inner;
                    return Val::Msg(b);
                }
                Val::Msg(b)
            }
            Some(t) => {
                let el = libs::unwrap_payload_type(t).element();
                let named = self.named(&el);
                for b in topics {
                    self.binding(at, b, &named, "decode");
                }
                Val::Ty(named)
            }
            None => Val::Msg(b),
        }
    }

    /// A named type, its qualifier resolved through the file's imports where possible.
    fn named(&self, t: &TypeExpr) -> TyRef {
        let qual = self.ctx.resolve_qualifier(&t.qual, &t.name);
        TyRef::named(&qual, &t.name)
    }

    fn bind_top(&mut self, target: &Target<'t>, v: Val, env: &mut Env) {
        match target {
            Target::Name(n) => {
                env.insert(n.clone(), v);
            }
            Target::Tuple(ts) => {
                for (i, t) in ts.iter().enumerate() {
                    let el = self.tuple_element(&v, i);
                    self.bind_top(t, el, env);
                }
            }
            Target::Fields(fs) => {
                for (name, t, at) in fs {
                    let fv = self.member_of(&v, name, Some(*at), "member");
                    self.bind_top(t, fv, env);
                }
            }
            Target::Member(..) | Target::Ignore => {}
        }
    }

    /// The value a positional pattern binds at `i`: each element of a JavaScript array
    /// (`const [run, { data }] = useMutation(M)`), else the first of several results (Go
    /// `v, err := f()`) and nothing known for the rest.
    fn tuple_element(&self, v: &Val, i: usize) -> Val {
        match v {
            Val::List(el) if matches!(self.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript) => (**el).clone(),
            _ if i == 0 => v.clone(),
            _ => Val::Unknown,
        }
    }

    /// Binds a value inside a function: names, destructuring, and member writes.
    fn bind(&mut self, target: &Target<'t>, v: Val, env: &mut Env) {
        match target {
            Target::Name(n) => {
                // In Java, Kotlin and C# a variable keeps its declared type: `cart = Parse(b)` of an
                // unknown call does not forget that `Cart cart;` is a Cart.
                let keep = matches!(v, Val::Unknown)
                    && matches!(self.lang, Lang::Java | Lang::Kotlin | Lang::CSharp)
                    && matches!(env.get(n), Some(Val::Ty(_) | Val::Obj(_) | Val::Stub(_)));
                if !keep {
                    env.insert(n.clone(), v);
                }
            }
            Target::Tuple(ts) => {
                for (i, t) in ts.iter().enumerate() {
                    let el = self.tuple_element(&v, i);
                    self.bind(t, el, env);
                }
            }
            Target::Fields(fs) => {
                for (name, t, at) in fs {
                    let fv = self.member_of(&v, name, Some(*at), "member");
                    self.bind(t, fv, env);
                }
            }
            Target::Member(obj, name, node) => {
                let o = self.expr(obj, env);
                // `payload["k"] = v` on a literal held in a variable: the shape gains the key.
                if let (Val::Obj(lit), ExprKind::Name(var)) = (&o, &obj.kind) {
                    if lit.ty.is_none() && !lit.fields.iter().any(|(k, _)| k == name) && lit.fields.len() < 200 {
                        let mut grown = Obj::clone(lit);
                        grown.optional_from.get_or_insert(grown.fields.len());
                        grown.fields.push((name.clone(), v));
                        grown.lines.resize(grown.fields.len() - 1, grown.line);
                        grown.lines.push(line_of(*node));
                        env.insert(var.clone(), Val::Obj(Rc::new(grown)));
                        return;
                    }
                }
                match o {
                    Val::This(owner) if !self.emit => {
                        self.fields.entry(owner).or_default().insert(name.clone(), v);
                    }
                    Val::Ty(t) => self.field_fact(&t, name, "member", *node, EdgeKind::WritesField),
                    Val::Obj(o) => {
                        if let Some(t) = &o.ty {
                            let t = t.clone();
                            self.field_fact(&t, name, "member", *node, EdgeKind::WritesField);
                        }
                    }
                    _ => {}
                }
            }
            Target::Ignore => {}
        }
    }

    fn expr(&mut self, e: &Expr<'t>, env: &mut Env) -> Val {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.depth > MAX_DEPTH {
            return Val::Unknown;
        }
        self.depth += 1;
        let v = self.expr_inner(e, env);
        self.depth -= 1;
        v
    }

    fn expr_inner(&mut self, e: &Expr<'t>, env: &mut Env) -> Val {
        match &e.kind {
            ExprKind::Name(n) => self.lookup(n, env),
            ExprKind::Member { obj, name } => {
                let o = self.expr(obj, env);
                self.member_of(&o, name, Some(e.node), "member")
            }
            ExprKind::Index { obj, key } => {
                let o = self.expr(obj, env);
                self.expr(key, env);
                let k = match &key.kind {
                    ExprKind::Str => crate::strval::eval(self.ctx, key.node).and_then(|s| s.exact()),
                    _ => None,
                };
                match k {
                    Some(k) if !k.is_empty() && k.len() <= 100 && !k.contains(['/', ' ', '\n', '{', '%']) => {
                        self.member_of(&o, &k, Some(e.node), "index")
                    }
                    _ => element(&o),
                }
            }
            ExprKind::Call { callee, args, targs } => self.call(e, callee, args, targs, env),
            ExprKind::New { ty, args, fields } => self.new_value(e, ty, args, fields, env),
            ExprKind::Object(pairs) => {
                let fields: Vec<(String, Val)> =
                    pairs.iter().map(|p| (p.key.clone(), self.expr(&p.value, env))).collect();
                Val::Obj(Rc::new(Obj {
                    ty: None,
                    fields,
                    lines: pairs.iter().map(|p| line_of(p.node)).collect(),
                    line: line_of(e.node),
                    start: e.node.start_byte(),
                    end: e.node.end_byte(),
                    optional_from: None,
                }))
            }
            ExprKind::List(xs) => {
                let mut first = Val::Unknown;
                for (i, x) in xs.iter().enumerate() {
                    let v = self.expr(x, env);
                    if i == 0 {
                        first = v;
                    }
                }
                Val::List(Box::new(first))
            }
            ExprKind::Lambda(f) => {
                // Evaluated where it is defined for its effects (and, in the first pass, for what
                // it stores in fields); a callee that knows what it passes evaluates it again.
                let outer = env.clone();
                self.func(FuncRef::Lambda(e.node.id()), f, Some(&outer));
                Val::Func(FuncRef::Lambda(e.node.id()))
            }
            ExprKind::Cast { expr, ty } => {
                let v = self.expr(expr, env);
                self.typed(v, ty, e.node)
            }
            ExprKind::Wrap(x) => self.expr(x, env),
            ExprKind::TypeValue(t) => Val::TypeVal(t.clone()),
            ExprKind::Str => Val::Unknown,
            ExprKind::Effects(xs) => {
                for x in xs {
                    self.expr(x, env);
                }
                Val::Unknown
            }
            ExprKind::Other(xs) => {
                // `a || b`, `a ?? b`, ternaries: the last value with a shape wins over unknown
                // (and over an empty fallback: `res.data || {}`).
                let mut pick = Val::Unknown;
                for x in xs {
                    let v = self.expr(x, env);
                    if shaped(&v) || matches!(pick, Val::Unknown) {
                        pick = v;
                    }
                }
                if xs.len() <= 3 {
                    pick
                } else {
                    Val::Unknown
                }
            }
        }
    }

    fn lookup(&mut self, n: &str, env: &Env) -> Val {
        if let Some(v) = env.get(n) {
            return v.clone();
        }
        if let Some(Val::This(owner)) = env.values().find(|v| matches!(v, Val::This(_))).cloned() {
            // Java/C#/Kotlin/TS fields used without `this.`.
            if let Some(v) = self.field_value(&owner, n) {
                return v;
            }
        }
        if let Some(i) = self.by_name.get(n) {
            return Val::Func(FuncRef::Top(*i));
        }
        // A class of this file used as a value: its static methods (`Server.handler`).
        if self.ir.funcs.iter().any(|f| f.owner.as_deref() == Some(n)) {
            return Val::This(n.to_string());
        }
        Val::Unknown
    }

    fn field_value(&mut self, owner: &str, name: &str) -> Option<Val> {
        if let Some(v) = self.fields.get(owner).and_then(|m| m.get(name)) {
            return Some(v.clone());
        }
        let t = self.field_types.get(owner).and_then(|m| m.get(name)).cloned()?;
        if let Some(svc) = libs::stub_from_type(self.lang, &t) {
            return Some(Val::Stub(svc));
        }
        let inner = libs::unwrap_payload_type(&t);
        if inner.is_opaque() || inner.element().is_opaque() {
            return None;
        }
        Some(wrap_list(inner, Val::Ty(self.named(&inner.element()))))
    }

    /// `o.name` (or `o["name"]`): a read when `o` is typed.
    fn member_of(&mut self, o: &Val, name: &str, at: Option<TsNode>, access: &'static str) -> Val {
        match o {
            Val::Ty(t) => {
                // `s.getOrder` of a method of a type of this file is the method, not a field.
                if let (Root::Named { name: tn, .. }, true) = (&t.root, t.steps.is_empty()) {
                    if let Some(fr) = self.method_of(tn, name) {
                        return Val::Func(fr);
                    }
                }
                if let Some(at) = at {
                    self.field_fact(t, name, access, at, EdgeKind::ReadsField);
                }
                // A struct of this file says what its field holds.
                if let (Root::Named { name: tn, .. }, true) = (&t.root, t.steps.is_empty()) {
                    let tn = tn.clone();
                    if self.field_types.contains_key(&tn) {
                        if let Some(v) = self.field_value(&tn, name) {
                            return v;
                        }
                    }
                }
                t.field(name).map(Val::Ty).unwrap_or(Val::Unknown)
            }
            Val::Obj(obj) => {
                let known = obj.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
                match (&obj.ty, known) {
                    // A typed struct literal read back (`res.Items` after `res := pb.Resp{}`).
                    (Some(t), k) => {
                        let t = t.clone();
                        let typed = self.member_of(&Val::Ty(t), name, at, access);
                        match k {
                            Some(v) if !matches!(v, Val::Unknown) => v,
                            _ => typed,
                        }
                    }
                    (None, Some(v)) => v,
                    (None, None) => Val::Unknown,
                }
            }
            Val::Resp(b) if libs::is_response_body(name) => Val::Ty(TyRef::payload(b.clone())),
            Val::Msg(b) if libs::is_message_payload(name) => Val::Ty(TyRef::payload(b.clone())),
            Val::Msg(b) if libs::is_message_wrapper(name) => Val::Msg(b.clone()),
            Val::Stub(s) => Val::StubMethod(s.clone(), name.to_string()),
            Val::GrpcNs => Val::GrpcNs,
            Val::Sub(bs) => Val::Sub(bs.clone()),
            Val::This(owner) => {
                let owner = owner.clone();
                // A field, else a method (`Server.handler` of a static method, `this.onMessage`).
                self.field_value(&owner, name)
                    .or_else(|| self.method_of(&owner, name).map(Val::Func))
                    .unwrap_or(Val::Unknown)
            }
            Val::List(inner) if matches!(name, "length" | "size" | "Count" | "len") => {
                let _ = inner;
                Val::Unknown
            }
            _ => Val::Unknown,
        }
    }

    fn call(&mut self, e: &Expr<'t>, callee: &Expr<'t>, args: &[Arg<'t>], targs: &[TypeExpr], env: &mut Env) -> Val {
        let id = e.node.id();
        // Sites the detectors found.
        if let Some(b) = self.ctx.sites.http.get(&id).cloned() {
            let vals = self.args(args, env);
            // The request body a client sends is what the operation's request carries.
            if let Some(body) = self.request_body(callee, args, &vals) {
                self.produce(e.node, &Bnd::new(BndKind::HttpReq, b.key.clone()), &body);
            }
            if let Some(t) = self.decoded_type(targs, &vals) {
                let named = self.named(&t.element());
                self.binding(e.node, &b, &named, "decode");
                let body = wrap_list(&t, Val::Ty(named));
                // JS/TS clients typed `get<T>` (axios, ky) answer a response whose `data` is a `T`.
                if matches!(self.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx) {
                    return Val::Obj(Rc::new(Obj {
                        ty: None,
                        fields: vec![("data".into(), body.clone()), ("body".into(), body)],
                        line: 0,
                        lines: Vec::new(),
                        start: 0,
                        end: 0,
                        optional_from: None,
                    }));
                }
                return body;
            }
            return Val::Resp(b);
        }
        if let Some(site) = self.ctx.sites.publish.get(&id).cloned() {
            let vals = self.args(args, env);
            let payload = match &site.payload {
                PayloadArg::Pos(i) => {
                    args.iter().enumerate().filter(|(_, a)| a.name.is_none()).nth(*i).map(|(j, _)| vals[j].clone())
                }
                PayloadArg::Key(k) => args.iter().position(|a| a.name.as_deref() == Some(*k)).map(|j| vals[j].clone()),
                PayloadArg::Any => vals.iter().find(|v| matches!(v, Val::Ty(_) | Val::Obj(_))).cloned(),
            };
            if let Some(p) = payload {
                for b in &site.topics {
                    self.produce(e.node, b, &p);
                }
            }
            // `func (p *Publisher) publish(ctx, topic string, v any)`: the topic is the caller's.
            if !self.emit {
                self.note_wrapper(&site);
            }
            return Val::Unknown;
        }
        if let Some(topics) = self.ctx.sites.subscribe.get(&id).cloned() {
            let vals = self.args(args, env);
            self.callbacks(&vals, &Val::Msg(any_of(&topics)), env);
            self.imported_callbacks(e.node, args, &vals, &any_of(&topics));
            if let Some((recv, _)) = callee.method() {
                self.rebind(recv, Val::Sub(topics.clone()), env);
            }
            return Val::Sub(topics);
        }
        if let Some(ops) = self.ctx.sites.route_calls.get(&id).cloned() {
            for a in args {
                if let ExprKind::Lambda(_) = a.value.kind {
                    self.route_lambdas.insert(a.value.node.id(), ops.clone());
                }
            }
            self.args(args, env);
            return Val::Unknown;
        }
        // `resp.product_ids.extend(ids)`: adding to a repeated field of a typed value writes the field.
        if let Some((ExprKind::Member { obj, name }, m)) = callee.method().map(|(r, m)| (&r.kind, m)) {
            if libs::is_repeated_writer(m) {
                let o = self.expr(obj, env);
                let t = match &o {
                    Val::Ty(t) => Some(t.clone()),
                    Val::Obj(x) => x.ty.clone(),
                    _ => None,
                };
                if let Some(t) = t {
                    let at = callee.method().map(|(r, _)| r.node).unwrap_or(e.node);
                    self.field_fact(&t, name, "member", at, EdgeKind::WritesField);
                    self.args(args, env);
                    return Val::Unknown;
                }
            }
        }
        match callee.method() {
            Some((recv_e, m)) => {
                if let Some(v) = self.collection_write(recv_e, m, args, env) {
                    return v;
                }
                let recv = self.expr(recv_e, env);
                let recv = typed_obj(&recv, self.lang, m, args.len()).unwrap_or(recv);
                self.method_call(e, callee.node, recv_e, &recv, m, args, targs, env)
            }
            None => {
                let f = self.expr(callee, env);
                let name = callee.path().unwrap_or_default();
                self.plain_call(e, &name, &f, args, targs, env)
            }
        }
    }

    /// `cart.Items.Add(item)`, `order.lines.push(l)`, `req.getTagsList().add(t)`: adding to a
    /// collection field of a typed value writes that field (and does not read it).
    fn collection_write(&mut self, recv_e: &Expr<'t>, m: &str, args: &[Arg<'t>], env: &mut Env) -> Option<Val> {
        if !libs::is_collection_mutator(m) || args.is_empty() {
            return None;
        }
        let ExprKind::Member { obj, name } = &recv_e.kind else { return None };
        obj.path()?;
        let t = match self.expr(obj, env) {
            Val::Ty(t) => t,
            Val::Obj(o) => o.ty.clone()?,
            _ => return None,
        };
        self.field_fact(&t, name, "member", recv_e.node, EdgeKind::WritesField);
        self.args(args, env);
        Some(Val::Unknown)
    }

    fn args(&mut self, args: &[Arg<'t>], env: &mut Env) -> Vec<Val> {
        args.iter().map(|a| self.expr(&a.value, env)).collect()
    }

    /// The type a decoder call names: `<T>` type arguments or a `T.class` / `typeof(T)` argument.
    fn decoded_type(&self, targs: &[TypeExpr], vals: &[Val]) -> Option<TypeExpr> {
        for t in targs {
            let inner = libs::unwrap_payload_type(t);
            if !inner.is_opaque() && !inner.element().is_opaque() {
                return Some(inner.clone());
            }
        }
        for v in vals {
            if let Val::TypeVal(t) = v {
                if !t.is_opaque() {
                    return Some(t.clone());
                }
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    fn method_call(
        &mut self,
        e: &Expr<'t>,
        at: TsNode<'t>,
        recv_e: &Expr<'t>,
        recv: &Val,
        m: &str,
        args: &[Arg<'t>],
        targs: &[TypeExpr],
        env: &mut Env,
    ) -> Val {
        // Rust `Option`/`Result` plumbing keeps the value: `consumer.recv().await.expect("..")`.
        if self.lang == Lang::Rust && libs::is_rust_passthrough(m) && !matches!(recv, Val::Unknown) {
            self.args(args, env);
            return recv.clone();
        }
        match recv {
            // A caller's value, not known here: keyed reads are reads, other calls are library calls.
            Val::Ty(t) if t.is_param() => {
                let vals = self.args(args, env);
                if let (true, Some(k)) = (libs::is_key_get(m), args.first().and_then(|a| self.literal_key(&a.value))) {
                    // `d.get("k")`: a read by wire name that tolerates absence (unlike `d["k"]`).
                    self.field_fact(t, &k, "get", e.node, EdgeKind::ReadsField);
                    return t.field(&k).map(Val::Ty).unwrap_or(Val::Unknown);
                }
                let path = recv_e.path();
                return self.library_call(e, path.as_deref(), m, args, &vals, targs, env);
            }
            Val::Stub(_) if libs::is_stub_passthrough(self.lang, m) => return recv.clone(),
            Val::Stub(svc) => {
                let svc = svc.clone();
                return self.rpc_call(e, &svc, m, args, env);
            }
            Val::StubMethod(svc, method) if matches!(m, "future" | "with_call" | "__call__") => {
                let (svc, method) = (svc.clone(), method.clone());
                return self.rpc_call(e, &svc, &method, args, env);
            }
            _ => {}
        }
        // A method of a class another module of the project defines (`InvoicesClient().iter_invoices()`):
        // what it returns is learned from that module.
        if libs::infers_params(self.lang) {
            let named = match recv {
                Val::Ty(t) if t.steps.is_empty() => Some(t),
                Val::Obj(o) => o.ty.as_ref().filter(|t| t.steps.is_empty()),
                _ => None,
            };
            if let Some(TyRef { root: Root::Named { qual, name }, .. }) = named {
                let module = qual.split_once(':').map(|(_, m)| m.to_string()).unwrap_or_default();
                if !module.is_empty() && self.is_project_module(&module) && self.method_of(name, m).is_none() {
                    let func = format!("{name}.{m}");
                    self.args(args, env);
                    return Val::Ty(TyRef::returned(&module, &func));
                }
            }
        }
        // A method of this class or struct called on its receiver: a call to a function of this file.
        if let Val::This(owner) = recv {
            let idx = self.ir.funcs.iter().position(|f| f.name == m && f.owner.as_deref() == Some(owner.as_str()));
            if let Some(i) = idx {
                let name = m.to_string();
                return self.plain_call(e, &name, &Val::Func(FuncRef::Top(i)), args, targs, env);
            }
        }
        let vals = self.args(args, env);
        // A typed event published on a bus that routes by type (`eventBus.PublishAsync(evt)`).
        if self.typed_event_publish(e, recv_e, m, &vals) {
            return Val::Unknown;
        }
        // grpc-js: `server.addService(proto.Svc.service, { getX: fn })`.
        if m == "addService" || m == "AddService" {
            self.grpc_js_server(recv_e, args, &vals, env);
            return Val::Unknown;
        }
        // A promise of a value: `.then(cb)` gives `cb` the value and is what `cb` returns.
        if libs::is_promise_then(m)
            && matches!(recv, Val::Ty(_) | Val::Resp(_) | Val::Msg(_) | Val::Obj(_) | Val::List(_))
        {
            return match vals.first() {
                Some(Val::Func(fr)) => self.call_now(*fr, recv, env),
                _ => Val::Unknown,
            };
        }
        // `this.load(id)` / `self.load(id)`: a method of the same class.
        if let Val::This(owner) = recv {
            if let Some(fr) = self.method_of(owner, m) {
                return self.local_call(fr, &vals);
            }
        }
        match recv {
            Val::Ty(t) => {
                // `data.get("key")`, `node.get("field")`: a key read.
                if let (true, Some(k)) = (libs::is_key_get(m), args.first().and_then(|a| self.literal_key(&a.value))) {
                    // `d.get("k")`: a read by wire name that tolerates absence (unlike `d["k"]`).
                    self.field_fact(t, &k, "get", e.node, EdgeKind::ReadsField);
                    return t.field(&k).map(Val::Ty).unwrap_or(Val::Unknown);
                }
                // C++ protobuf accessors (`set_x(v)`, `mutable_x()`, `add_x()`, `x_size()`) name field `x`.
                if let Some(a) = libs::proto_accessor(self.lang, m, args.len()) {
                    return self.accessor(t, m, &a, at);
                }
                if args.is_empty() {
                    if let Some(access) = libs::getter(self.lang, m) {
                        self.field_fact(t, m, access, at, EdgeKind::ReadsField);
                        return t.field(m).map(Val::Ty).unwrap_or(Val::Unknown);
                    }
                    if libs::is_build(m) || libs::is_same_collection(m) {
                        return Val::Ty(t.clone());
                    }
                    if libs::is_element_method(m) {
                        return Val::Ty(t.elem());
                    }
                    if self.lang == Lang::Rust
                        && matches!(m, "unwrap" | "clone" | "as_ref" | "into_inner" | "unwrap_or_default")
                    {
                        return Val::Ty(t.clone());
                    }
                }
                if libs::setter(m) && !args.is_empty() {
                    self.field_fact(t, m, "setter", at, EdgeKind::WritesField);
                    return Val::Ty(t.clone());
                }
                // Java `getItems(i)`: the i-th element of a repeated field.
                if args.len() == 1
                    && matches!(self.lang, Lang::Java | Lang::Kotlin)
                    && libs::getter(self.lang, m).is_some()
                {
                    self.field_fact(t, m, "getter", at, EdgeKind::ReadsField);
                    return t.field(m).map(|f| Val::Ty(f.elem())).unwrap_or(Val::Unknown);
                }
                if libs::is_element_lambda(m) {
                    let mapped = self.callbacks(&vals, &Val::Ty(t.elem()), env);
                    if libs::is_element_mapper(m) && !matches!(mapped, Val::Unknown) {
                        // `batch.map((r) => ({ value: JSON.stringify(r) }))`: a list of what the lambda makes.
                        return Val::List(Box::new(mapped));
                    }
                    if libs::is_element_method(m) {
                        // `items.FirstOrDefault(i => ..)`, `xs.find(x => ..)`.
                        return Val::Ty(t.elem());
                    }
                    return if libs::is_same_collection(m) { Val::Ty(t.clone()) } else { Val::Unknown };
                }
                if libs::is_element_method(m) {
                    return Val::Ty(t.elem());
                }
                if is_payload_ref(t) {
                    if let Some(dt) = self.decoded_type(targs, &vals) {
                        return self.decode_into(e.node, t, &dt);
                    }
                    if libs::is_decoder(m) || libs::is_message_payload(m) || libs::is_call_result(m) {
                        // `json.NewDecoder(r.Body).Decode(&out)`: the argument receives it.
                        if matches!(m, "Decode" | "decode") {
                            if let Some(a) = args.first() {
                                self.decode_target(a, t, env);
                            }
                        }
                        return Val::Ty(t.clone());
                    }
                }
                // Java records and Kotlin/C# properties read as calls: `event.orderId()` (no arguments,
                // on a typed value, named like a field). The link pass keeps only those that are fields.
                if args.is_empty()
                    && matches!(self.lang, Lang::Java | Lang::Kotlin)
                    && m.starts_with(|c: char| c.is_ascii_lowercase())
                    && !libs::is_not_a_field(m)
                {
                    self.field_fact(t, m, "call", at, EdgeKind::ReadsField);
                    return t.field(m).map(Val::Ty).unwrap_or(Val::Unknown);
                }
                // A method of a library object (`mapper.readValue(payload, T.class)`): by name.
                let path = recv_e.path();
                self.library_call(e, path.as_deref(), m, args, &vals, targs, env)
            }
            Val::Resp(b) => {
                if let Some(dt) = self.decoded_type(targs, &vals) {
                    let named = self.named(&dt.element());
                    let b = b.clone();
                    self.binding(e.node, &b, &named, "decode");
                    return wrap_list(&dt, Val::Ty(named));
                }
                if libs::is_response_body_method(m) || libs::is_response_body(m) {
                    return Val::Ty(TyRef::payload(b.clone()));
                }
                if matches!(m, "then") {
                    let v = Val::Resp(b.clone());
                    self.callbacks(&vals, &v, env);
                }
                // Builder and request chains keep the envelope (`.retrieve()`, `.send()`, `.execute()`).
                Val::Resp(b.clone())
            }
            Val::Msg(b) => {
                if let Some(dt) = self.decoded_type(targs, &vals) {
                    let t = TyRef::payload(b.clone());
                    return self.decode_into(e.node, &t, &dt);
                }
                if libs::is_message_payload(m) {
                    return Val::Ty(TyRef::payload(b.clone()));
                }
                if matches!(m, "ack" | "Ack" | "nak" | "respond" | "Respond") {
                    return Val::Unknown;
                }
                Val::Unknown
            }
            Val::Sub(bs) => {
                let msg = Val::Msg(any_of(bs));
                self.callbacks(&vals, &msg, env);
                if libs::is_poll(m) {
                    return msg;
                }
                Val::Sub(bs.clone())
            }
            Val::List(inner) => {
                // `items.push({..})` into a list of nothing known yet: the list holds that now.
                if let (true, Val::Unknown) = (libs::is_list_append(m), &**inner) {
                    if let Some(v) = vals.iter().find(|v| shaped(v)) {
                        let v = Val::List(Box::new(v.clone()));
                        self.rebind(recv_e, v, env);
                    }
                    return Val::Unknown;
                }
                if libs::is_element_lambda(m) {
                    let el = (**inner).clone();
                    let mapped = self.callbacks(&vals, &el, env);
                    if libs::is_element_mapper(m) && !matches!(mapped, Val::Unknown) {
                        return Val::List(Box::new(mapped));
                    }
                }
                if libs::is_element_method(m) {
                    return (**inner).clone();
                }
                if libs::is_same_collection(m) {
                    return recv.clone();
                }
                Val::Unknown
            }
            Val::TypeVal(t) => {
                // `Order.newBuilder()`, `Order.parse_obj(data)`, `Order.model_validate(payload)`.
                if libs::is_type_factory(m) && !t.is_opaque() {
                    return Val::Ty(self.named(t));
                }
                if let Some(p) = vals.iter().find_map(payload_of) {
                    // `JsonSerializer.Deserialize<T>(p)` decodes into `T`; `Order.parse_obj(p)` into the receiver.
                    match self.decoded_type(targs, &vals) {
                        Some(dt) => return self.decode_into(e.node, &p, &dt),
                        None if !libs::is_codec_class(&t.name) => return self.decode_into(e.node, &p, t),
                        None => return Val::Ty(p),
                    }
                }
                if libs::is_decoder(m) && !t.is_opaque() && targs.is_empty() {
                    return Val::Ty(self.named(t));
                }
                // Static calls by name (`CartServiceGrpc.newBlockingStub(ch)`, `JsonSerializer.Deserialize<T>(s)`).
                let path = if t.qual.is_empty() { t.name.clone() } else { format!("{}.{}", t.qual, t.name) };
                self.library_call(e, Some(&path), m, args, &vals, targs, env)
            }
            // `handler.bind(this)` is the handler.
            Val::Func(_) if m == "bind" => recv.clone(),
            Val::Func(_) if matches!(m, "then" | "call" | "apply") => Val::Unknown,
            Val::GrpcNs => Val::GrpcNs,
            Val::Producer(bs) => {
                if let Some(p) = vals.iter().find(|v| matches!(v, Val::Ty(_) | Val::Obj(_) | Val::List(_))).cloned() {
                    for b in bs.clone() {
                        self.produce(e.node, &b, &p);
                    }
                }
                Val::Unknown
            }
            _ => {
                // Library calls by name: decoders, encoders, stub constructors, response writers.
                let path = recv_e.path();
                self.library_call(e, path.as_deref(), m, args, &vals, targs, env)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn library_call(
        &mut self,
        e: &Expr<'t>,
        recv_path: Option<&str>,
        m: &str,
        args: &[Arg<'t>],
        vals: &[Val],
        targs: &[TypeExpr],
        env: &mut Env,
    ) -> Val {
        let full = match recv_path {
            Some(r) => format!("{r}.{m}"),
            None => m.to_string(),
        };
        self.pass_to_import(e.node, recv_path, m, vals);
        if let Some((root, tuple)) = self.graphql_hook(recv_path, m) {
            // Apollo `const { data } = useQuery(QUERY)`: `data` holds the operation's root type;
            // `const [run, { data }] = useMutation(M)` gives it in the second element.
            let data = Val::Ty(TyRef::named(super::tyref::GRAPHQL_SCHEMA, root));
            let result = Val::Obj(Rc::new(Obj {
                ty: None,
                fields: vec![("data".to_string(), data)],
                line: line_of(e.node),
                lines: Vec::new(),
                start: e.node.start_byte(),
                end: e.node.end_byte(),
                optional_from: None,
            }));
            return if tuple { Val::List(Box::new(result)) } else { result };
        }
        if let Some(svc) = libs::stub_from_call(self.lang, &full, recv_path) {
            return Val::Stub(svc);
        }
        // Go `pb.RegisterCartServiceServer(srv, &cartServer{})`: the type serves the service.
        if let (Some(svc), false) = (m.strip_prefix("Register").and_then(|s| s.strip_suffix("Server")), self.emit) {
            if let Some(Val::Obj(o)) = vals.get(1) {
                if let Some(TyRef { root: Root::Named { name, .. }, .. }) = &o.ty {
                    self.ctx.sites.grpc_servers.insert(name.clone(), svc.to_string());
                }
            }
        }
        if m == "loadPackageDefinition" {
            return Val::GrpcNs;
        }
        // A payload going through a decoder: into a named type, or as it is.
        if let Some(p) = vals.iter().find_map(payload_of) {
            if let Some(dt) = self.decoded_type(targs, vals) {
                return self.decode_into(e.node, &p, &dt);
            }
            if libs::is_decoder(m) || libs::is_payload_passthrough(m) {
                // Go `json.Unmarshal(data, &out)`, `proto.Unmarshal(data, msg)`: the second argument receives it.
                if matches!(m, "Unmarshal" | "unmarshal" | "UnmarshalJSON") {
                    if let Some(a) = args.get(1) {
                        self.decode_target(a, &p, env);
                    }
                }
                return Val::Ty(p);
            }
        }
        // `json.loads(msg.data)` in a handler another module subscribes: decoding the envelope
        // parameter's payload member keeps the deferred value (the link pass knows the payload).
        if libs::is_decoder(m) {
            if let Some(Val::Ty(t)) = vals.iter().find(|v| match v {
                Val::Ty(t) => {
                    matches!(t.root, Root::Param { .. })
                        && matches!(t.steps.as_slice(), [Step::Field(f)] if libs::is_envelope_payload(f))
                }
                _ => false,
            }) {
                return Val::Ty(t.clone());
            }
        }
        // `curl_exec($ch)`: the body of the response the handle was made for; `JSON.parse(Net::HTTP.get(u))`:
        // a decoder given the response decodes its body.
        if libs::is_body_reader(m) || libs::is_decoder(m) {
            if let Some(Val::Resp(b)) = vals.iter().find(|v| matches!(v, Val::Resp(_))) {
                return Val::Ty(TyRef::payload(b.clone()));
            }
        }
        // Request builders and senders keep the envelope: `client.Do(req)`, `client.newCall(req)`;
        // readers and writers built from a config keep its topics (`kafka.NewReader(cfg)`).
        if let Some(r) = vals.iter().find(|v| matches!(v, Val::Resp(_) | Val::Sub(_) | Val::Producer(_))) {
            return r.clone();
        }
        if libs::is_encoder(m) {
            if let Some(v) = vals.iter().find(|v| matches!(v, Val::Ty(_) | Val::Obj(_))) {
                if !self.handler.is_empty() && libs::is_response_writer(m) {
                    self.respond(e.node, v);
                }
                return v.clone();
            }
        }
        if !self.handler.is_empty() && libs::is_response_writer(m) {
            if let Some(v) = vals.iter().rev().find(|v| matches!(v, Val::Ty(_) | Val::Obj(_) | Val::List(_))) {
                self.respond(e.node, v);
                return Val::Unknown;
            }
        }
        // A function of another module of the project: what it returns is learned from it.
        if libs::infers_params(self.lang) {
            if let Some((module, func)) = self.imported_callee(recv_path, m).filter(|(m, _)| self.is_project_module(m))
            {
                return Val::Ty(TyRef::returned(&module, &func));
            }
        }
        Val::Unknown
    }

    fn plain_call(
        &mut self,
        e: &Expr<'t>,
        name: &str,
        f: &Val,
        args: &[Arg<'t>],
        targs: &[TypeExpr],
        env: &mut Env,
    ) -> Val {
        let vals = self.args(args, env);
        match f {
            Val::Func(fr) => {
                if let Some((bus, ti)) = self.wrappers.get(fr).cloned() {
                    self.wrapper_call(e, &bus, ti, args, &vals);
                }
                self.local_call(*fr, &vals)
            }
            Val::StubMethod(svc, method) => {
                let (svc, method) = (svc.clone(), method.clone());
                self.rpc_call_vals(e, &svc, &method, &vals, env)
            }
            Val::Responder(b) => {
                let t = TyRef::payload(b.clone());
                for v in &vals {
                    match v {
                        Val::Obj(o) if o.ty.is_none() => self.obj_writes(&t, o, e.node),
                        Val::Ty(TyRef { root: Root::Returned { .. }, .. }) => {
                            let b = b.clone();
                            self.produce(e.node, &b, v);
                        }
                        _ => {}
                    }
                }
                Val::Unknown
            }
            Val::TypeVal(t) => {
                let t = t.clone();
                self.construct(e, &t, args, &vals)
            }
            _ => {
                let (recv, m) = match name.rsplit_once('.') {
                    Some((r, m)) => (Some(r), m),
                    None => (None, name),
                };
                // Python/Kotlin constructors look like calls: `demo_pb2.Product(id=x)`, `Order(**data)`.
                if self.call_is_constructor(m) {
                    let t = TypeExpr::named(recv.unwrap_or(""), m);
                    return self.construct(e, &t, args, &vals);
                }
                self.library_call(e, recv, m, args, &vals, targs, env)
            }
        }
    }

    /// A call of a function another file defines (`charge(call.request)` of `require('./charge')`,
    /// `svc.charge(req)`, `orders.create(payload)` of `from app import orders`): what is passed
    /// is bound to the callee's parameters.
    fn pass_to_import(&mut self, at: TsNode, recv_path: Option<&str>, m: &str, vals: &[Val]) {
        if !self.emit
            || !libs::infers_params(self.lang)
            || !vals.iter().any(|v| matches!(v, Val::Ty(t) if !t.is_param()) || matches!(v, Val::Msg(_)))
        {
            return;
        }
        let Some((module, func)) = self.imported_callee(recv_path, m) else { return };
        if !self.is_project_module(&module) {
            return;
        }
        for (i, v) in vals.iter().enumerate() {
            // A message handed on whole (`for msg in consumer: handle(msg)`): its envelope.
            let (t, envelope) = match v {
                Val::Ty(t) if !t.is_param() => (t.clone(), false),
                Val::Msg(b) => (TyRef::payload(b.clone()), true),
                _ => continue,
            };
            self.arg_binding(at, &format!("{module}|{func}"), i, &t, envelope);
        }
    }

    /// A subscription whose handler is a function of another module of the project
    /// (`nc.subscribe(subject, cb=on_stock_low)` with `from app.handlers import on_stock_low`):
    /// the handler's first parameter receives the message envelope of `b` ([`ENVELOPE`]).
    fn imported_callbacks(&mut self, at: TsNode, args: &[Arg<'t>], vals: &[Val], b: &Bnd) {
        if !self.emit || self.lang != Lang::Python {
            return;
        }
        for (a, v) in args.iter().zip(vals) {
            if !matches!(v, Val::Unknown) {
                continue;
            }
            let Some(path) = a.value.path() else { continue };
            let (recv, m) = match path.rsplit_once('.') {
                Some((r, m)) => (Some(r), m),
                None => (None, path.as_str()),
            };
            let Some((module, func)) = self.imported_callee(recv, m) else { continue };
            if !self.is_project_module(&module) {
                continue;
            }
            self.arg_binding(at, &format!("{module}|{func}"), 0, &TyRef::payload(b.clone()), true);
        }
    }

    /// What a caller passes as argument `i` of `callee` (`<module>|<function>` of another
    /// file): a value's type, or with `envelope` the message whose payload `t` is.
    fn arg_binding(&mut self, at: TsNode, callee: &str, i: usize, t: &TyRef, envelope: bool) {
        let from = self.ctx.owner_of(at);
        let span = self.ctx.span(at);
        let key = t.encode();
        let mut r = Reference::key(from, EdgeKind::UsesType, NS, key.clone(), self.ctx.inferred(span, 0.7))
            .with_attr(ROLE, ROLE_ARG)
            .with_attr(ARG_OF, callee.to_string())
            .with_attr(ARG, i.to_string());
        if envelope {
            r = r.with_attr(ENVELOPE, "true");
        }
        self.push_ref("arg", &key, &format!("{callee}|{i}"), span.start_line, r);
    }

    /// Whether an imported module is code of this repository (a relative JavaScript import, a
    /// Python module outside the standard library), not a library.
    fn is_project_module(&self, module: &str) -> bool {
        match self.lang {
            Lang::Python => !crate::langs::python::is_stdlib(module.split('.').next().unwrap_or(module)),
            _ => {
                let prefix = format!("{}:{module}", self.ctx.repo);
                self.ctx.imported_files.iter().any(|f| {
                    let id = f.as_str().strip_prefix("file:").unwrap_or(f.as_str());
                    id.strip_prefix(&prefix).is_some_and(|rest| rest.starts_with('.') || rest.starts_with("/index."))
                })
            }
        }
    }

    /// The module (as imported, without the language prefix) and name of an imported function.
    fn imported_callee(&self, recv_path: Option<&str>, m: &str) -> Option<(String, String)> {
        let strip = |s: &str| s.split_once(':').map(|(_, x)| x.to_string());
        match recv_path {
            // `svc.charge(..)` of a module imported as `svc`.
            Some(r) if !r.contains('.') => {
                let module = strip(self.ctx.import_alias.get(r)?)?;
                Some((module, m.to_string()))
            }
            Some(_) => None,
            None => {
                let full = self.ctx.import_alias.get(m)?;
                let target = strip(full)?;
                if full.starts_with("py:") {
                    // `from app.orders import create`: module `app.orders`, function `create`.
                    let (module, func) = target.rsplit_once('.')?;
                    Some((module.to_string(), func.to_string()))
                } else {
                    // JavaScript imports a function by its own name or as the module's default.
                    Some((target, m.to_string()))
                }
            }
        }
    }

    /// The body an HTTP client call sends: `requests.post(url, json=x)`, `axios.post(url, x)`,
    /// `fetch(url, { body: JSON.stringify(x) })`, `axios({ url, data: x })`.
    fn request_body(&self, callee: &Expr<'t>, args: &[Arg<'t>], vals: &[Val]) -> Option<Val> {
        if let Some(i) = args.iter().position(|a| a.name.as_deref().is_some_and(libs::is_request_body_key)) {
            return vals.get(i).cloned();
        }
        let m = match callee.method() {
            Some((_, m)) => m.to_string(),
            None => callee.path().unwrap_or_default(),
        };
        let positional: Vec<&Val> = args.iter().zip(vals).filter(|(a, _)| a.name.is_none()).map(|(_, v)| v).collect();
        let field = |v: &Val, keys: &[&str]| match v {
            Val::Obj(o) if o.ty.is_none() => {
                o.fields.iter().find(|(k, _)| keys.contains(&k.as_str())).map(|(_, v)| v.clone())
            }
            _ => None,
        };
        if libs::sends_body(&m) {
            return positional.get(1).map(|v| (*v).clone());
        }
        // An options object: `fetch(url, { method, body })`, `axios({ method, url, data })`.
        positional.iter().take(2).find_map(|v| field(v, &["body", "data", "json"]))
    }

    /// A call to a function of this file: what it is passed seeds its parameters; its value is
    /// its declared return type, else what it was seen to return.
    fn local_call(&mut self, fr: FuncRef, vals: &[Val]) -> Val {
        if !self.emit {
            let seeds: Vec<Option<Val>> = vals.iter().map(|v| seedable(v).then(|| v.clone())).collect();
            if seeds.iter().any(Option::is_some) {
                self.merge_seeds(fr, seeds);
            }
        }
        // What the body was seen returning wins when it is a client, consumer or envelope
        // (`def build_consumer() -> KafkaConsumer: return KafkaConsumer("order.created")`).
        let learned = self.returns.get(&fr).cloned();
        if let Some(v @ (Val::Sub(_) | Val::Producer(_) | Val::Stub(_) | Val::Resp(_) | Val::Msg(_))) = &learned {
            return v.clone();
        }
        if let FuncRef::Top(i) = fr {
            if let Some(rt) = &self.ir.funcs[i].ret {
                let inner = libs::unwrap_payload_type(rt);
                if let Some(svc) = libs::stub_from_type(self.lang, inner) {
                    return Val::Stub(svc);
                }
                if !inner.is_opaque() && !inner.element().is_opaque() {
                    return wrap_list(inner, Val::Ty(self.named(&inner.element())));
                }
            }
        }
        learned.unwrap_or(Val::Unknown)
    }

    /// The method `m` of class (or object literal) `owner` in this file.
    fn method_of(&self, owner: &str, m: &str) -> Option<FuncRef> {
        let mine = |f: &Func<'_>| f.name == m && f.owner.as_deref() == Some(owner);
        if let Some(i) = self.ir.funcs.iter().position(mine) {
            return Some(FuncRef::Top(i));
        }
        self.lambdas.iter().filter(|(_, f)| mine(f)).map(|(id, _)| *id).min().map(FuncRef::Lambda)
    }

    /// Calls a callback now with `v` (a promise's `then`); its value is what it returns.
    fn call_now(&mut self, fr: FuncRef, v: &Val, env: &mut Env) -> Val {
        match fr {
            FuncRef::Lambda(id) => {
                let Some(f) = self.lambdas.get(&id).copied() else { return Val::Unknown };
                if f.params.is_empty() {
                    return Val::Unknown;
                }
                let mut seeds = vec![None; f.params.len()];
                seeds[0] = Some(v.clone());
                let saved = self.seeds.insert(fr, seeds);
                let outer = env.clone();
                let r = self.func(fr, f, Some(&outer));
                match saved {
                    Some(s) => self.seeds.insert(fr, s),
                    None => self.seeds.remove(&fr),
                };
                r
            }
            FuncRef::Top(_) => self.local_call(fr, std::slice::from_ref(v)),
        }
    }

    /// The text of a string literal key (`"order_id"`), if the expression is one.
    fn literal_key(&self, e: &Expr<'t>) -> Option<String> {
        match &e.kind {
            ExprKind::Str => crate::strval::eval(self.ctx, e.node)
                .and_then(|s| s.exact())
                .filter(|k| !k.is_empty() && k.len() <= 100 && !k.contains(['/', ' ', '\n', '{', '%'])),
            _ => None,
        }
    }

    fn call_is_constructor(&self, m: &str) -> bool {
        matches!(self.lang, Lang::Python | Lang::Kotlin)
            && m.starts_with(|c: char| c.is_ascii_uppercase())
            && m.chars().any(|c| c.is_ascii_lowercase())
            && !libs::is_decoder(m)
    }

    /// `T(field=x, **payload)`: a typed value; keyword arguments are field writes, a splatted payload a decode.
    fn construct(&mut self, e: &Expr<'t>, t: &TypeExpr, args: &[Arg<'t>], vals: &[Val]) -> Val {
        if let Some(svc) = libs::stub_from_call(self.lang, &format!("{}.{}", t.qual, t.name), Some(&t.qual)) {
            return Val::Stub(svc);
        }
        if t.is_opaque() {
            return Val::Unknown;
        }
        let named = self.named(t);
        if let Some(p) = vals.iter().find_map(payload_of) {
            return self.decode_into(e.node, &p, t);
        }
        let mut fields = Vec::new();
        let mut lines = Vec::new();
        for (a, v) in args.iter().zip(vals) {
            if let Some(n) = &a.name {
                if !n.starts_with('*') {
                    self.field_fact(&named, n, "key", a.value.node, EdgeKind::WritesField);
                    fields.push((n.clone(), v.clone()));
                    lines.push(line_of(a.value.node));
                }
            }
        }
        Val::Obj(Rc::new(Obj {
            ty: Some(named),
            fields,
            lines,
            line: line_of(e.node),
            start: e.node.start_byte(),
            end: e.node.end_byte(),
            optional_from: None,
        }))
    }

    fn new_value(&mut self, e: &Expr<'t>, ty: &TypeExpr, args: &[Arg<'t>], fields: &[Pair<'t>], env: &mut Env) -> Val {
        let vals = self.args(args, env);
        // Struct literals the detectors found: `kafka.ReaderConfig{Topic: t}`, `kafka.Writer{Topic: t}`,
        // `sarama.ProducerMessage{Topic: t, Value: v}`.
        if let Some(topics) = self.ctx.sites.subscribe.get(&e.node.id()).cloned() {
            for p in fields {
                self.expr(&p.value, env);
            }
            return Val::Sub(topics);
        }
        if let Some(site) = self.ctx.sites.publish.get(&e.node.id()).cloned() {
            if !self.emit {
                self.note_wrapper(&site);
            }
            let fvals: Vec<(String, Val)> = fields.iter().map(|p| (p.key.clone(), self.expr(&p.value, env))).collect();
            if let Some((_, v)) = fvals.iter().find(|(k, _)| matches!(k.as_str(), "Value" | "value" | "Data" | "Body"))
            {
                for b in &site.topics {
                    self.produce(e.node, b, v);
                }
                return Val::Unknown;
            }
            return Val::Producer(site.topics);
        }
        if let Some(svc) = libs::stub_from_type(self.lang, ty)
            .or_else(|| libs::stub_from_call(self.lang, &format!("{}.{}", ty.qual, ty.name), Some(&ty.qual)))
        {
            return Val::Stub(svc);
        }
        // grpc-js: `new proto.hipstershop.CartService(addr, creds)`.
        if matches!(self.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx) && !ty.qual.is_empty() {
            let head = ty.qual.split('.').next().unwrap_or("");
            if matches!(env.get(head).or_else(|| self.globals.get(head)), Some(Val::GrpcNs)) {
                return Val::Stub(ty.name.clone());
            }
        }
        if let Some(r) = vals.iter().find(|v| matches!(v, Val::Resp(_))) {
            return r.clone();
        }
        // `new AMQPMessage(json_encode($payload))`: the envelope carries its first argument.
        if libs::is_envelope_class(&ty.name) {
            return vals.first().cloned().unwrap_or(Val::Unknown);
        }
        let fvals: Vec<(String, Val)> = fields.iter().map(|p| (p.key.clone(), self.expr(&p.value, env))).collect();
        if ty.is_opaque() {
            return Val::Unknown;
        }
        let named = self.named(ty);
        if let Some(p) = vals.iter().find_map(payload_of) {
            return self.decode_into(e.node, &p, ty);
        }
        for p in fields {
            self.field_fact(&named, &p.key, "key", p.node, EdgeKind::WritesField);
        }
        let mut all = fvals;
        for (a, v) in args.iter().zip(&vals) {
            if let Some(n) = &a.name {
                all.push((n.clone(), v.clone()));
            }
        }
        // A struct literal of a type of this file records what its fields hold (Go constructors).
        if !self.emit {
            let m = self.fields.entry(ty.name.clone()).or_default();
            for (k, v) in &all {
                if matches!(v, Val::Stub(_) | Val::Sub(_) | Val::Ty(_) | Val::Resp(_) | Val::Producer(_)) {
                    m.insert(k.clone(), v.clone());
                }
            }
        }
        Val::Obj(Rc::new(Obj {
            ty: Some(named),
            lines: fields.iter().map(|p| line_of(p.node)).collect(),
            fields: all,
            line: line_of(e.node),
            start: e.node.start_byte(),
            end: e.node.end_byte(),
            optional_from: None,
        }))
    }

    /// The GraphQL root type whose data an Apollo Client hook's result holds under `data`
    /// (`useQuery`, `useSuspenseQuery`, `useReadQuery`: `Query`; `useSubscription`: `Subscription`;
    /// `useLazyQuery` and `useMutation` return `[run, result]`, said by `true`), in files that
    /// load Apollo Client.
    fn graphql_hook(&self, recv_path: Option<&str>, m: &str) -> Option<(&'static str, bool)> {
        if recv_path.is_some() || !matches!(self.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript) {
            return None;
        }
        let hook = match m {
            "useQuery" | "useSuspenseQuery" | "useReadQuery" => ("Query", false),
            "useSubscription" => ("Subscription", false),
            "useLazyQuery" => ("Query", true),
            "useMutation" => ("Mutation", true),
            _ => return None,
        };
        // `@apollo/client`, and before it `@apollo/react-hooks` and `react-apollo`.
        (self.ctx.src.contains("@apollo/") || self.ctx.src.contains("react-apollo")).then_some(hook)
    }

    /// `eventBus.PublishAsync(new OrderPaidIntegrationEvent(..))` (eShop), MassTransit
    /// `publishEndpoint.Publish(evt)`, an outbox's `SaveEventAndChangesAsync(evt)`: buses that
    /// route by the event's type publish on the topic named after it.
    fn typed_event_publish(&mut self, e: &Expr<'t>, recv_e: &Expr<'t>, m: &str, vals: &[Val]) -> bool {
        if !matches!(self.lang, Lang::CSharp | Lang::Java | Lang::Kotlin) {
            return false;
        }
        if self.eventuate_publish(e, recv_e, m, vals) {
            return true;
        }
        let recv = recv_e.path().unwrap_or_default().to_ascii_lowercase();
        let busish = [
            "bus",
            "publishendpoint",
            "integrationevent",
            "eventservice",
            "outbox",
            "messagesession",
            "eventpublisher",
        ]
        .iter()
        .any(|k| recv.contains(k));
        let verb = m.starts_with("Publish")
            || m.starts_with("publish")
            || m.contains("Event")
            || m == "Send"
            || m == "SendAsync";
        if !busish || !verb {
            return false;
        }
        // The event is the first argument (`PublishAsync(evt, ct)`); a later typed argument is a
        // token or an option, never the event.
        let ty = vals.first().and_then(|v| match v {
            Val::Ty(t) if t.steps.is_empty() => Some(t.clone()),
            Val::Obj(o) => o.ty.clone().filter(|t| t.steps.is_empty()),
            _ => None,
        });
        let Some(t) = ty else { return false };
        let Root::Named { name, .. } = &t.root else { return false };
        if super::ir::is_opaque_name(name) {
            return false;
        }
        let name = name.clone();
        if self.emit {
            let from = self.ctx.owner_of(e.node);
            let span = self.ctx.span(e.node);
            let r = Reference::key(from, EdgeKind::Publishes, ns::TOPIC, name.clone(), self.ctx.inferred(span, 0.75))
                .with_attr(attr::BUS, "eventbus");
            self.ctx.add_wire_ref(r);
        }
        self.binding(e.node, &Bnd::new(BndKind::Topic, name), &t, "encode");
        true
    }

    /// Eventuate Tram domain events go to the channel named after the aggregate's class:
    /// `publisher.publish(order, events)` (a `DomainEventPublisherForAggregate<Order, ..>`),
    /// `publisher.publishById(id, events)` (the aggregate from the publisher's type,
    /// `OrderEventPublisher`), `domainEventPublisher.publish(Order.class, id, events)` and
    /// `publish("com.acme.Order", id, events)`.
    fn eventuate_publish(&mut self, e: &Expr<'t>, recv_e: &Expr<'t>, m: &str, vals: &[Val]) -> bool {
        if !matches!(m, "publish" | "publishById") || !self.ctx.src.contains("io.eventuate") {
            return false;
        }
        let args: Vec<tree_sitter::Node<'t>> = match e.node.child_by_field_name("arguments") {
            Some(a) => {
                let mut c = a.walk();
                a.named_children(&mut c).collect()
            }
            None => return false,
        };
        if args.len() < 2 {
            return false;
        }
        let first = self.ctx.text(args[0]);
        let aggregate = if let Some(class) = first.strip_suffix(".class") {
            Some(class.to_string())
        } else if let Some(name) = crate::strval::eval(self.ctx, args[0]).and_then(|v| v.exact()) {
            Some(name)
        } else if m == "publish" {
            vals.first()
                .and_then(|v| match v {
                    Val::Ty(t) if t.steps.is_empty() => Some(t.clone()),
                    Val::Obj(o) => o.ty.clone().filter(|t| t.steps.is_empty()),
                    _ => None,
                })
                .and_then(|t| match &t.root {
                    Root::Named { name, .. } if !super::ir::is_opaque_name(name) => Some(name.clone()),
                    _ => None,
                })
        } else {
            None
        };
        // `publishById`, or an aggregate of unknown type: the publisher's type names it.
        let aggregate = aggregate.or_else(|| {
            let recv = recv_e.path()?;
            let name = recv.rsplit('.').next()?;
            crate::clients::declared_type(self.ctx, e.node, name)
                .and_then(|t| {
                    t.strip_suffix("DomainEventPublisher")
                        .or_else(|| t.strip_suffix("EventPublisher"))
                        .map(str::to_string)
                })
                .filter(|a| !a.is_empty())
        });
        let Some(aggregate) = aggregate else { return false };
        // `Order` as the file names it: its import, else the file's own package.
        let qual = if aggregate.contains('.') { String::new() } else { self.ctx.resolve_qualifier("", &aggregate) };
        let channel = match qual.split(',').next().and_then(|q| q.strip_prefix("java:")).filter(|q| !q.is_empty()) {
            Some(pkg) => format!("{pkg}.{aggregate}"),
            None => aggregate,
        };
        if self.emit {
            let from = self.ctx.owner_of(e.node);
            let span = self.ctx.span(e.node);
            let r = Reference::key(from, EdgeKind::Publishes, ns::TOPIC, channel, self.ctx.inferred(span, 0.8))
                .with_attr(attr::BUS, "eventuate");
            self.ctx.add_wire_ref(r);
        }
        true
    }

    /// A publish inside the current function whose topic is one of its parameters.
    fn note_wrapper(&mut self, site: &super::PubSite) {
        let Some(&fr) = self.stack.last() else { return };
        let Some(f) = self.func_of(fr) else { return };
        for b in &site.topics {
            let Some(name) = b.key.strip_prefix('{').and_then(|k| k.strip_suffix('}')) else { continue };
            if let Some(i) = f.params.iter().position(|p| p.target_name() == Some(name)) {
                self.wrappers.insert(fr, (site.bus.clone(), i));
            }
        }
    }

    fn func_of(&self, fr: FuncRef) -> Option<&'c Func<'t>> {
        match fr {
            FuncRef::Top(i) => self.ir.funcs.get(i),
            FuncRef::Lambda(id) => self.lambdas.get(&id).copied(),
        }
    }

    /// A call of a publishing wrapper: the caller's topic argument and payload are the publish.
    fn wrapper_call(&mut self, e: &Expr<'t>, bus: &str, topic_param: usize, args: &[Arg<'t>], vals: &[Val]) {
        if !self.emit {
            return;
        }
        let Some(arg) = args.get(topic_param) else { return };
        let Some(v) = crate::strval::eval(self.ctx, arg.value.node) else { return };
        let (ns_key, key) = match v.exact() {
            Some(name) if !name.is_empty() && !name.contains("${") => (ns::TOPIC, name),
            _ => (crate::clients::NS_TOPIC_EXPR, v.render()),
        };
        if key.is_empty() || key.len() > 200 || key.contains(char::is_whitespace) {
            return;
        }
        let from = self.ctx.owner_of(e.node);
        let span = self.ctx.span(e.node);
        let r = Reference::key(from, EdgeKind::Publishes, ns_key, key.clone(), self.ctx.inferred(span, 0.75))
            .with_attr(attr::BUS, bus);
        self.ctx.add_wire_ref(r);
        let b = Bnd::new(BndKind::Topic, key);
        // The payload: a whole typed value or literal, not a field of one (`e.OrderID` is the key).
        let whole = |v: &&Val| match v {
            Val::Ty(t) => t.steps.is_empty() && matches!(t.root, Root::Named { .. } | Root::Inline(_)),
            Val::Obj(_) => true,
            _ => false,
        };
        if let Some(p) = vals.iter().enumerate().filter(|(i, _)| *i != topic_param).map(|(_, v)| v).find(whole) {
            let p = p.clone();
            self.produce(e.node, &b, &p);
        }
    }

    fn rpc_call(&mut self, e: &Expr<'t>, svc: &str, m: &str, args: &[Arg<'t>], env: &mut Env) -> Val {
        let vals = self.args(args, env);
        let resp = self.rpc_call_vals(e, svc, m, &vals, env);
        // C++ `stub->M(&ctx, req, &reply)`: the reply is an out-parameter; the call gives a `Status`.
        if self.lang == Lang::Cpp && !matches!(resp, Val::Unknown) {
            if let Some(out) = args.get(2).and_then(|a| a.value.as_name()) {
                env.insert(out.to_string(), resp);
            }
            return Val::Unknown;
        }
        resp
    }

    /// A C++ protobuf accessor on a typed value: a write or read of its field, giving the field's value.
    fn accessor(&mut self, t: &TyRef, m: &str, a: &libs::Accessor, at: TsNode) -> Val {
        if let Some(access) = a.access {
            let kind = if a.write { EdgeKind::WritesField } else { EdgeKind::ReadsField };
            self.field_fact(t, m, access, at, kind);
        }
        let f = if a.field.is_empty() { Some(t.clone()) } else { t.field(&a.field) };
        match f {
            Some(f) if a.elem => Val::Ty(f.elem()),
            Some(f) => Val::Ty(f),
            None => Val::Unknown,
        }
    }

    fn rpc_call_vals(&mut self, e: &Expr<'t>, svc: &str, m: &str, vals: &[Val], env: &mut Env) -> Val {
        let Some(method) = libs::rpc_method(self.lang, m) else { return Val::Unknown };
        let key = wire::grpc_key(svc, &method);
        if self.emit {
            let from = self.ctx.owner_of(e.node);
            let span = self.ctx.span(e.node);
            let r = Reference::key(from, EdgeKind::Consumes, ns::GRPC, key.clone(), self.ctx.inferred(span, 0.85))
                .with_attr(attr::PROTOCOL, "grpc");
            self.push_ref("call", &key, "", span.start_line, r);
        }
        let resp = Val::Ty(TyRef::payload(Bnd::new(BndKind::Grpc, key.clone())));
        // The request: an untyped object literal's keys are writes of the request message.
        let req = Bnd::new(BndKind::GrpcReq, key.clone());
        for v in vals {
            if let Val::Obj(o) = v {
                if o.ty.is_none() {
                    self.obj_writes(&TyRef::payload(req.clone()), o, e.node);
                }
            }
        }
        // Callback style (grpc-js): `client.getX(req, (err, res) => ...)`; the response is the last parameter.
        self.callbacks_last(vals, &resp, env);
        resp
    }

    fn obj_writes(&mut self, t: &TyRef, o: &Obj, at: TsNode) {
        let _ = at;
        if !self.emit {
            return;
        }
        for (i, (k, v)) in o.fields.iter().enumerate() {
            let from = self.ctx.owner_of(at);
            let line = o.lines.get(i).copied().unwrap_or(o.line);
            let span = brain_model::Span::line(line);
            let r = self.keep_case(
                Reference::key(from, EdgeKind::WritesField, NS, t.encode(), self.ctx.inferred(span, 0.7))
                    .with_attr(NAME, k.clone())
                    .with_attr(ACCESS, "key"),
                t,
            );
            self.push_ref("write", &t.encode(), k, line, r);
            // Nested literals write the fields of the field's type.
            let (inner, ft) = match v {
                Val::Obj(x) => (Some(x), t.field(k)),
                Val::List(el) => match &**el {
                    Val::Obj(x) => (Some(x), t.field(k).map(|f| f.elem())),
                    _ => (None, None),
                },
                _ => (None, None),
            };
            if let (Some(x), Some(ft)) = (inner, ft) {
                if x.ty.is_none() && self.depth < MAX_DEPTH {
                    let x = x.clone();
                    self.depth += 1;
                    self.obj_writes(&ft, &x, at);
                    self.depth -= 1;
                }
            }
        }
    }

    /// grpc-js servers: every key of the implementation object serves the rpc of its name.
    fn grpc_js_server(&mut self, recv_e: &Expr<'t>, args: &[Arg<'t>], vals: &[Val], env: &mut Env) {
        let _ = recv_e;
        let Some(first) = args.first() else { return };
        // `proto.hipstershop.CartService.service` / `cartProto.CartService.service`.
        let path = first.value.path().unwrap_or_default();
        let segs: Vec<&str> = path.split('.').collect();
        let Some(svc) = segs.iter().rev().nth(1).filter(|_| segs.last() == Some(&"service")).map(|s| s.to_string())
        else {
            return;
        };
        let Some(Val::Obj(imp)) = vals.get(1).cloned() else { return };
        for (k, v) in &imp.fields {
            let Some(method) = libs::rpc_method(self.lang, k) else { continue };
            let key = wire::grpc_key(&svc, &method);
            let req = Val::Ty(TyRef::payload(Bnd::new(BndKind::GrpcReq, key.clone())));
            let resp = Bnd::new(BndKind::Grpc, key.clone());
            let fr = match v {
                Val::Func(fr) => *fr,
                _ => continue,
            };
            // `(call, callback)`: `call.request` is the request; `callback(null, reply)` answers.
            let call_obj = Val::Obj(Rc::new(Obj {
                ty: None,
                fields: vec![("request".to_string(), req)],
                line: 0,
                lines: Vec::new(),
                start: 0,
                end: 0,
                optional_from: None,
            }));
            if !self.emit {
                self.merge_seeds(fr, vec![Some(call_obj), Some(Val::Responder(resp))]);
            } else if let Some(node) = self.func_node(fr) {
                self.implements(node, &Bnd::new(BndKind::GrpcReq, key.clone()));
            }
            let _ = env.len();
        }
    }

    fn func_node(&self, fr: FuncRef) -> Option<TsNode<'t>> {
        match fr {
            FuncRef::Top(i) => self.ir.funcs.get(i).map(|f| f.node),
            FuncRef::Lambda(id) => self.lambdas.get(&id).map(|f| f.node),
        }
    }

    fn implements(&mut self, at: TsNode, b: &Bnd) {
        let from = self.ctx.owner_of_def(at).unwrap_or_else(|| self.ctx.owner_of(at));
        let span = self.ctx.span(at);
        let r = Reference::key(from, EdgeKind::Implements, ns::GRPC, b.key.clone(), self.ctx.inferred(span, 0.85))
            .with_attr(attr::PROTOCOL, "grpc");
        self.push_ref("serve", &b.key, "", span.start_line, r);
    }

    /// Lambdas and functions among `vals` receive `v` as their first parameter that is not an error.
    /// Calls the callbacks among `vals` with `v`; what the first one returns (in the emit pass,
    /// where lambdas run in their caller's scope), else `Unknown`.
    fn callbacks(&mut self, vals: &[Val], v: &Val, env: &mut Env) -> Val {
        let mut out = Val::Unknown;
        for a in vals {
            match a {
                Val::Func(fr) => {
                    let r = self.call_back(*fr, v, false, env);
                    if matches!(out, Val::Unknown) {
                        out = r;
                    }
                }
                Val::Obj(o) => {
                    // `consumer.run({ eachMessage: async ({ message }) => ... })`.
                    for (_, fv) in &o.fields {
                        if let Val::Func(fr) = fv {
                            self.call_back(*fr, v, false, env);
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn callbacks_last(&mut self, vals: &[Val], v: &Val, env: &mut Env) {
        for a in vals {
            if let Val::Func(fr) = a {
                self.call_back(*fr, v, true, env);
            }
        }
    }

    /// Gives a callback its message: the parameter named like a message (or destructured
    /// `{ message }`), else the first (or, for `(err, res)` callbacks, the last) parameter.
    fn call_back(&mut self, fr: FuncRef, v: &Val, last: bool, env: &mut Env) -> Val {
        let Some(f) = (match fr {
            FuncRef::Top(i) => self.ir.funcs.get(i),
            FuncRef::Lambda(id) => self.lambdas.get(&id).copied(),
        }) else {
            return Val::Unknown;
        };
        let n = f.params.len();
        if n == 0 {
            return Val::Unknown;
        }
        let idx = if last {
            n - 1
        } else {
            f.params.iter().position(|p| p.target_name().is_some_and(libs::is_message_param)).unwrap_or_else(|| {
                // `(err, msg)` callbacks (NATS, node-style).
                if n >= 2 && f.params[0].target_name().is_some_and(|x| x.starts_with("err") || x == "e" || x == "_") {
                    1
                } else {
                    0
                }
            })
        };
        // A destructured `{ message }` parameter reads the envelope's member.
        let val = match (&f.params[idx].target, v) {
            (Target::Fields(_), Val::Msg(b)) => Val::Obj(Rc::new(Obj {
                ty: None,
                fields: vec![
                    ("message".to_string(), Val::Msg(b.clone())),
                    ("msg".to_string(), Val::Msg(b.clone())),
                    ("data".to_string(), Val::Ty(TyRef::payload(b.clone()))),
                    ("value".to_string(), Val::Ty(TyRef::payload(b.clone()))),
                    ("payload".to_string(), Val::Ty(TyRef::payload(b.clone()))),
                ],
                line: 0,
                lines: Vec::new(),
                start: 0,
                end: 0,
                optional_from: None,
            })),
            // pika `(ch, method, properties, body)`: a parameter named like the payload is the payload.
            (Target::Name(p), Val::Msg(b)) if libs::is_payload_param(p) => Val::Ty(TyRef::payload(b.clone())),
            _ => v.clone(),
        };
        let mut seeds = vec![None; n];
        seeds[idx] = Some(val);
        if self.emit {
            if let FuncRef::Lambda(_) = fr {
                // Lambdas are evaluated again with their seed, in the caller's scope.
                self.seeds.insert(fr, seeds);
                let outer = env.clone();
                let ret = self.func(fr, f, Some(&outer));
                self.seeds.remove(&fr);
                return ret;
            }
        } else {
            self.merge_seeds(fr, seeds);
        }
        Val::Unknown
    }

    fn merge_seeds(&mut self, fr: FuncRef, seeds: Vec<Option<Val>>) {
        let e = self.seeds.entry(fr).or_default();
        if e.len() < seeds.len() {
            e.resize(seeds.len(), None);
        }
        for (i, s) in seeds.into_iter().enumerate() {
            // A value a later pass learned better (a subscription where a declared type was
            // assumed) replaces a weaker one; the first of equals stays.
            if s.is_some() && seed_rank(s.as_ref()) > seed_rank(e[i].as_ref()) {
                e[i] = s;
            }
        }
    }

    /// Decoding payload `p` into type `t`: the consumer's own type is bound to the boundary.
    fn decode_into(&mut self, at: TsNode, p: &TyRef, t: &TypeExpr) -> Val {
        let inner = libs::unwrap_payload_type(t);
        if inner.is_opaque() || inner.element().is_opaque() {
            return Val::Ty(p.clone());
        }
        let named = self.named(&inner.element());
        if let (Some(b), true) = (p.boundary(), p.steps.is_empty()) {
            if matches!(b.kind, BndKind::Http | BndKind::Topic | BndKind::HttpReq) {
                let b = b.clone();
                self.binding(at, &b, &named, "decode");
            }
        }
        wrap_list(inner, Val::Ty(named))
    }

    /// `Decode(&out)` / `Unmarshal(data, &out)`: `out`'s declared type receives the payload.
    fn decode_target(&mut self, a: &Arg<'t>, p: &TyRef, env: &mut Env) {
        let Some(name) = a.value.as_name().map(str::to_string) else { return };
        match env.get(&name).cloned() {
            Some(Val::Ty(TyRef { root: Root::Named { qual, name: tn }, steps })) if steps.is_empty() => {
                if let (Some(b), true) = (p.boundary(), p.steps.is_empty()) {
                    if matches!(b.kind, BndKind::Http | BndKind::Topic | BndKind::HttpReq) {
                        let b = b.clone();
                        self.binding(a.value.node, &b, &TyRef::named(&qual, &tn), "decode");
                    }
                }
            }
            Some(Val::List(inner)) => {
                if let Val::Ty(TyRef { root: Root::Named { qual, name: tn }, .. }) = *inner {
                    if let Some(b) = p.boundary().cloned() {
                        self.binding(a.value.node, &b, &TyRef::named(&qual, &tn), "decode");
                    }
                }
            }
            Some(Val::Obj(o)) => {
                if let (Some(t), Some(b)) = (&o.ty, p.boundary().cloned()) {
                    self.binding(a.value.node, &b, t, "decode");
                }
            }
            _ => {
                // An untyped target (`var m map[string]any`) holds the payload itself.
                env.insert(name, Val::Ty(p.clone()));
            }
        }
    }

    /// A producer sends `v` on `b`: a typed value binds its type, an object literal an inline shape.
    fn produce(&mut self, at: TsNode, b: &Bnd, v: &Val) {
        let Some(v) = sent_value(v) else { return };
        match &v {
            Val::Ty(TyRef { root: Root::Returned { module, func }, steps }) if steps.is_empty() => {
                let callee = format!("{module}|{func}");
                self.call_binding(at, &TyRef::payload(b.clone()), ROLE_SENT, &callee);
            }
            Val::Ty(t) if matches!(t.root, Root::Named { .. }) && t.steps.is_empty() => {
                self.binding(at, b, t, "encode");
            }
            Val::Obj(o) => match &o.ty {
                Some(t) => self.binding(at, b, t, "encode"),
                None => {
                    if let Some(name) = self.inline_shape(o) {
                        self.binding(at, b, &TyRef::inline(&name), "encode");
                    }
                    // Its keys write the fields of the boundary's contract type, where one exists.
                    self.obj_writes(&TyRef::payload(b.clone()), o, at);
                }
            },
            Val::List(inner) => {
                let inner = (**inner).clone();
                self.produce(at, b, &inner);
            }
            _ => {}
        }
    }

    /// A value a route handler answers with.
    fn respond(&mut self, at: TsNode, v: &Val) {
        for b in self.handler.clone() {
            self.produce(at, &b, v);
        }
    }

    /// Emits an object literal a producer sends as an inline DataType; returns its name.
    fn inline_shape(&mut self, o: &Obj) -> Option<String> {
        if o.fields.is_empty() || o.line == 0 {
            return None;
        }
        let name = format!("payload@L{}", o.line);
        if !self.emit || !self.inline_done.insert(o.start) {
            return Some(name);
        }
        let id = NodeId::data_type(self.ctx.repo, self.ctx.path, &name);
        if self.ctx.facts.nodes.iter().any(|n| n.id == id) {
            return Some(name);
        }
        let span = brain_model::Span::line(o.line);
        let node = self
            .ctx
            .new_node(id.clone(), NodeKind::DataType, &name, span)
            .with_attr(INLINE, "true")
            .with_attr(crate::langs::shape::SERIALIZER, "literal")
            .with_attr(crate::langs::shape::CONVENTION, "as written");
        self.ctx.add_node(node);
        self.ctx.contains_from_file(&id, span);
        for (i, (k, v)) in o.fields.iter().enumerate() {
            let required = o.optional_from.is_none_or(|from| i < from);
            let fid = NodeId::field(self.ctx.repo, self.ctx.path, &name, k);
            let ty = match v {
                Val::Ty(TyRef { root: Root::Named { name, .. }, steps }) if steps.is_empty() => name.clone(),
                Val::Obj(_) => "object".to_string(),
                Val::List(_) => "array".to_string(),
                _ => String::new(),
            };
            let fnode = self
                .ctx
                .new_node(fid.clone(), NodeKind::Field, k, span)
                .with_attr(attr::WIRE_NAME, k.clone())
                .with_attr(attr::TYPE, ty)
                .with_attr(attr::REQUIRED, if required { "true" } else { "false" });
            self.ctx.add_node(fnode);
            let prov = self.ctx.declared(span);
            self.ctx.facts.edge(Edge::new(id.clone(), EdgeKind::HasField, fid, prov));
        }
        Some(name)
    }

    /// A type bound to a boundary: `decode` (the consumer's type) or `encode` (the producer's).
    fn binding(&mut self, at: TsNode, b: &Bnd, t: &TyRef, role: &'static str) {
        if !self.emit {
            return;
        }
        // A binding at a definition (a handler's return type, a listener's parameter) is the definition's own.
        let from = self.ctx.owner_of_def(at).unwrap_or_else(|| self.ctx.owner_of(at));
        let span = self.ctx.span(at);
        let key = t.encode();
        // A consumer of several topics that decodes inside a branch on the topic decodes that
        // branch's topics only.
        let narrowed;
        let b = match b.kind {
            BndKind::Topic if b.key.contains(' ') => {
                let topics: Vec<&str> = b.key.split(' ').collect();
                match super::guard::guarded_topics(self.ctx, at, &topics) {
                    Some(named) => {
                        narrowed = Bnd::new(BndKind::Topic, named.join(" "));
                        &narrowed
                    }
                    None => b,
                }
            }
            _ => b,
        };
        let r = Reference::key(from, EdgeKind::UsesType, NS, key.clone(), self.ctx.inferred(span, 0.8))
            .with_attr(ROLE, role)
            .with_attr(BOUNDARY, b.encode());
        self.push_ref(role, &key, &b.encode(), span.start_line, r);
    }

    /// A field read or write on a typed value.
    fn field_fact(&mut self, t: &TyRef, name: &str, access: &'static str, at: TsNode, kind: EdgeKind) {
        if !self.emit || name.is_empty() || name.len() > 100 {
            return;
        }
        if let Root::Named { name: tn, .. } = &t.root {
            if super::ir::is_opaque_name(tn) {
                return;
            }
        }
        let from = self.ctx.owner_of(at);
        let line = line_of(at);
        let key = t.encode();
        // The expression as written (`event["createdAt"]`), the evidence a reader recognises.
        let text = crate::ctx::clip(self.ctx.text(at).lines().next().unwrap_or(""), 60);
        let r = self.keep_case(
            Reference::key(from, kind, NS, key.clone(), self.ctx.inferred(brain_model::Span::line(line), 0.8))
                .with_attr(NAME, name)
                .with_attr(ACCESS, access)
                .with_attr(TEXT, text),
            t,
        );
        let tag = if kind == EdgeKind::ReadsField { "read" } else { "write" };
        self.push_ref(tag, &key, name, line, r);
    }

    /// Marks a read or write in a file that loads protos at run time with how their fields are named.
    fn keep_case(&self, r: Reference, t: &TyRef) -> Reference {
        let rpc = match &t.root {
            Root::Payload(b) => matches!(b.kind, BndKind::Grpc | BndKind::GrpcReq),
            Root::Named { .. } => true,
            Root::Inline(_) | Root::Param { .. } | Root::Returned { .. } => false,
        };
        match self.ir.proto_keep_case.filter(|_| rpc) {
            Some(k) => r.with_attr(KEEP_CASE, if k { "true" } else { "false" }),
            None => r,
        }
    }

    fn push_ref(&mut self, tag: &'static str, key: &str, name: &str, line: u32, r: Reference) {
        if !self.seen.insert((r.from.clone(), tag, key.to_string(), name.to_string(), line)) {
            return;
        }
        if matches!(tag, "call" | "serve") {
            self.ctx.add_wire_ref(r);
        } else {
            self.ctx.add_ref(r);
        }
    }

    /// After `consumer.subscribe(..)`, the consumer variable is the subscription.
    fn rebind(&mut self, recv: &Expr<'t>, v: Val, env: &mut Env) {
        // A consumer subscribed several times (`subscribe({topic: a})`, then b) receives them all.
        let v = match (&v, recv.as_name().and_then(|n| env.get(n).or_else(|| self.globals.get(n)))) {
            (Val::Sub(new), Some(Val::Sub(old))) => {
                let mut all = old.clone();
                for b in new {
                    if !all.contains(b) {
                        all.push(b.clone());
                    }
                }
                Val::Sub(all)
            }
            _ => v,
        };
        match &recv.kind {
            ExprKind::Name(n) if !matches!(env.get(n), Some(Val::This(_))) => {
                env.insert(n.clone(), v);
            }
            ExprKind::Member { obj, name } => {
                if let Some(Val::This(owner)) = obj.as_name().and_then(|o| env.get(o)).cloned() {
                    if !self.emit {
                        self.fields.entry(owner).or_default().insert(name.clone(), v);
                    }
                }
            }
            ExprKind::Wrap(x) => self.rebind(x, v, env),
            _ => {}
        }
    }
}

/// A typed object literal (`new Order()`, `Order { .. }`) used through an accessor is a value
/// of its type: `evt.setSku(x)` writes and `evt.getSku()` reads `Order`.
fn typed_obj(v: &Val, lang: Lang, m: &str, nargs: usize) -> Option<Val> {
    let Val::Obj(o) = v else { return None };
    let t = o.ty.clone()?;
    if lang == Lang::Rust {
        return None;
    }
    let accessor = (nargs == 0 && libs::getter(lang, m).is_some()) || (nargs >= 1 && libs::setter(m));
    accessor.then_some(Val::Ty(t))
}

/// A file's module path: its path without the extension (`src/payment/charge.js` gives `src/payment/charge`).
fn module_of(path: &str) -> &str {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => stem,
        _ => path,
    }
}

/// Whether a value says anything (an empty object literal does not: `x || {}`).
fn shaped(v: &Val) -> bool {
    match v {
        Val::Unknown => false,
        Val::Obj(o) => o.ty.is_some() || !o.fields.is_empty(),
        _ => true,
    }
}

/// The message of a consumer of several topics: one boundary whose key lists them (space
/// separated: topic names hold no whitespace); its payload is any of theirs.
fn any_of(bs: &[Bnd]) -> Bnd {
    if bs.len() == 1 {
        return bs[0].clone();
    }
    let keys: Vec<&str> = bs.iter().filter(|b| b.kind == BndKind::Topic).map(|b| b.key.as_str()).collect();
    match keys.len() {
        0 => bs[0].clone(),
        _ => Bnd::new(BndKind::Topic, keys.join(" ")),
    }
}

/// How much a parameter seed says: envelopes and boundary payloads over named types, named
/// types over deferred parameters, anything over nothing.
fn seed_rank(v: Option<&Val>) -> u8 {
    match v {
        None | Some(Val::Unknown) => 0,
        Some(Val::Ty(t)) => match &t.root {
            Root::Payload(_) => 4,
            Root::Named { .. } | Root::Inline(_) if t.steps.is_empty() => 3,
            Root::Named { .. } | Root::Inline(_) => 2,
            _ => 1,
        },
        Some(Val::Sub(_) | Val::Msg(_) | Val::Resp(_) | Val::Stub(_) | Val::Producer(_)) => 5,
        Some(_) => 2,
    }
}

/// Whether a deferred type is a boundary payload itself (not a field of it).
fn is_payload_ref(t: &TyRef) -> bool {
    matches!(t.root, Root::Payload(_)) && t.steps.iter().all(|s| *s == Step::Elem)
}

/// Response envelope types whose argument is the body type (`ResponseEntity<Order>`).
fn is_response_type(t: &TypeExpr) -> bool {
    matches!(t.name.as_str(), "ResponseEntity" | "HttpResponse" | "Response" | "ApiResponse" | "AxiosResponse")
}

fn wrap_list(t: &TypeExpr, v: Val) -> Val {
    if t.list {
        Val::List(Box::new(v))
    } else {
        v
    }
}

/// The element of a collection value (iteration, `xs[i]`).
fn element(v: &Val) -> Val {
    match v {
        Val::Ty(t) => Val::Ty(t.elem()),
        Val::List(inner) => (**inner).clone(),
        Val::Sub(bs) => Val::Msg(any_of(bs)),
        Val::Msg(b) => Val::Msg(b.clone()),
        _ => Val::Unknown,
    }
}

/// A boundary payload among values (what a decoder decodes).
fn payload_of(v: &Val) -> Option<TyRef> {
    match v {
        Val::Ty(t) if is_payload_ref(t) => Some(t.clone()),
        _ => None,
    }
}

/// Values worth passing to a called function of the same file.
fn seedable(v: &Val) -> bool {
    match v {
        Val::Ty(_) | Val::Msg(_) | Val::Resp(_) | Val::Stub(_) | Val::Sub(_) => true,
        // An object literal handed to a helper that sends it (`this.createOrder({..})`).
        Val::Obj(_) | Val::List(_) => shaped(v),
        _ => false,
    }
}

/// What a publish or a response actually carries: envelopes (`kafka.Message{Value: b}`,
/// `{ messages: [{ value: JSON.stringify(e) }] }`, `new ProducerRecord(t, k, v)`) are opened.
fn sent_value(v: &Val) -> Option<Val> {
    match v {
        Val::Obj(o) => {
            let env_keys =
                ["Value", "value", "messages", "Body", "body", "Data", "data", "payload", "Payload", "message"];
            let is_envelope = o.ty.as_ref().is_some_and(|t| match &t.root {
                Root::Named { name, .. } => matches!(
                    name.as_str(),
                    "Message" | "ProducerMessage" | "ProducerRecord" | "Publishing" | "PublishRequest" | "Msg"
                ),
                _ => false,
            }) || (o.ty.is_none()
                && o.fields.iter().all(|(k, _)| {
                    env_keys.contains(&k.as_str())
                        || k == "key"
                        || k == "topic"
                        || k == "headers"
                        || k == "Key"
                        || k == "Topic"
                        || k == "Headers"
                        || k == "subject"
                        // kafkajs `send({topic, acks, timeout, compression, messages})` and
                        // its messages' `partition` / `timestamp`.
                        || matches!(k.as_str(), "acks" | "timeout" | "compression" | "partition" | "timestamp")
                }));
            if is_envelope {
                for k in env_keys {
                    if let Some((_, inner)) = o.fields.iter().find(|(f, _)| f == k) {
                        return sent_value(inner).or_else(|| Some(inner.clone()));
                    }
                }
                return None;
            }
            Some(v.clone())
        }
        Val::List(inner) => sent_value(inner),
        Val::Ty(_) => Some(v.clone()),
        _ => None,
    }
}

impl<'t> super::ir::Param<'t> {
    /// The parameter's simple name, if it has one.
    pub fn target_name(&self) -> Option<&str> {
        match &self.target {
            Target::Name(n) => Some(n),
            _ => None,
        }
    }
    fn target_node(&self, fallback: TsNode<'t>) -> TsNode<'t> {
        match &self.target {
            Target::Member(_, _, n) => *n,
            _ => fallback,
        }
    }
}
