//! A small language-neutral picture of what a function does with values:
//! bindings, calls, member and index reads, literals, lambdas and loops.
//! Each language lowers its tree-sitter syntax into this shape
//! (`flow/lower/<lang>.rs`); the evaluator (`flow/eval.rs`) follows values
//! through it without knowing the language. Tree-sitter nodes are kept so
//! that strings can be evaluated and every fact carries its line.

use tree_sitter::Node as TsNode;

/// A type as written: `pb.Product`, `List<Order>`, `*Order`, `Optional[Order]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeExpr {
    /// The last name segment (`Product`), generic arguments and pointers removed.
    pub name: String,
    /// The qualifier as written (`pb`, `hipstershop`, `com.acme.orders`), empty when none.
    pub qual: String,
    /// Generic arguments (`T` of `List<T>`, `Json<T>`, `ResponseEntity<T>`).
    pub args: Vec<TypeExpr>,
    /// A slice, array, list or other collection of `args[0]` (or of itself when written `T[]`).
    pub list: bool,
}

impl TypeExpr {
    pub fn named(qual: &str, name: &str) -> Self {
        TypeExpr { name: name.to_string(), qual: qual.to_string(), args: Vec::new(), list: false }
    }
    /// The element type of a collection (`T` of `[]T`, `List<T>`), else itself.
    pub fn element(&self) -> TypeExpr {
        if self.list {
            if let Some(a) = self.args.first() {
                return a.clone();
            }
            let mut t = self.clone();
            t.list = false;
            return t;
        }
        self.clone()
    }
    /// True for names that carry no shape (`string`, `int`, `Object`, `any`).
    pub fn is_opaque(&self) -> bool {
        self.name.is_empty() || is_opaque_name(&self.name)
    }
}

/// Builtin and framework type names that never name a payload shape.
pub fn is_opaque_name(name: &str) -> bool {
    matches!(
        name,
        "string"
            | "String"
            | "str"
            | "int"
            | "int32"
            | "int64"
            | "uint32"
            | "uint64"
            | "Integer"
            | "Long"
            | "long"
            | "float"
            | "float32"
            | "float64"
            | "double"
            | "Double"
            | "bool"
            | "boolean"
            | "Boolean"
            | "byte"
            | "bytes"
            | "any"
            | "unknown"
            | "object"
            | "Object"
            | "dynamic"
            | "var"
            | "interface"
            | "error"
            | "Error"
            | "Exception"
            | "void"
            | "Void"
            | "None"
            | "Unit"
            | "number"
            | "Number"
            | "Dict"
            | "dict"
            | "Any"
            | "Map"
            | "HashMap"
            | "JsonNode"
            | "JsonElement"
            | "JObject"
            | "Value"
            | "Context"
            | "context"
            | "char"
            | "short"
            | "decimal"
            | "IActionResult"
            | "IResult"
            | "ActionResult"
            | "Task"
            | "ValueTask"
            | "HttpResponseMessage"
            | "Application"
    )
}

/// One function, method, constructor or lambda.
#[derive(Debug)]
pub struct Func<'t> {
    /// The definition node (a symbol when the extractor emitted one; lambdas use their enclosing symbol).
    pub node: TsNode<'t>,
    /// Its own name (`GetProduct`), empty for lambdas.
    pub name: String,
    /// The class or receiver type it belongs to, if any.
    pub owner: Option<String>,
    /// The name its receiver goes by inside the body (`s` in `func (s *server)`, `self`, `this`).
    pub this: Option<String>,
    pub params: Vec<Param<'t>>,
    /// The declared return type, if written.
    pub ret: Option<TypeExpr>,
    pub body: Vec<Stmt<'t>>,
}

/// A parameter: a name (or a destructuring pattern) and its declared type.
#[derive(Debug)]
pub struct Param<'t> {
    pub target: Target<'t>,
    pub ty: Option<TypeExpr>,
    /// The lowerer knows this parameter receives a served request's body
    /// (NestJS `@Body()`, a FastAPI model parameter).
    pub body: bool,
}

/// A statement, reduced to what moves values.
#[derive(Debug)]
pub enum Stmt<'t> {
    /// A declaration or an assignment: `x := f()`, `let {data} = await g()`, `this.c = new C()`.
    Let { target: Target<'t>, ty: Option<TypeExpr>, value: Option<Expr<'t>> },
    /// An expression evaluated for its effects (calls, reads).
    Expr(Expr<'t>),
    /// `for x in xs` / `for _, x := range xs` / `for (T x : xs)`.
    For { target: Target<'t>, ty: Option<TypeExpr>, iter: Expr<'t>, body: Vec<Stmt<'t>> },
    /// A returned value.
    Return(Expr<'t>),
}

/// Where a value goes.
#[derive(Debug)]
pub enum Target<'t> {
    Name(String),
    /// `obj.name = v` (a write when `obj` has a known type).
    Member(Box<Expr<'t>>, String, TsNode<'t>),
    /// `a, b := f()` (positional).
    Tuple(Vec<Target<'t>>),
    /// `{data, status} = r` / `{ message }` parameters: field name -> target, and the
    /// node the field is named at (destructuring reads the field).
    Fields(Vec<(String, Target<'t>, TsNode<'t>)>),
    Ignore,
}

/// An expression and the syntax node it came from.
#[derive(Debug)]
pub struct Expr<'t> {
    pub kind: ExprKind<'t>,
    pub node: TsNode<'t>,
}

/// A key/value in an object, dict or struct literal.
#[derive(Debug)]
pub struct Pair<'t> {
    pub key: String,
    pub value: Expr<'t>,
    /// The pair's node (its line is the write's line).
    pub node: TsNode<'t>,
}

/// A call argument, positional or named (`json=payload`, `topic: "x"`).
#[derive(Debug)]
pub struct Arg<'t> {
    pub name: Option<String>,
    pub value: Expr<'t>,
}

#[derive(Debug)]
pub enum ExprKind<'t> {
    /// An identifier (`x`, `self`, `this`).
    Name(String),
    /// `obj.name`, `obj?.name`, `obj->name`.
    Member { obj: Box<Expr<'t>>, name: String },
    /// `obj[key]`.
    Index { obj: Box<Expr<'t>>, key: Box<Expr<'t>> },
    /// `f(args)`, `obj.m(args)`, `f<T>(args)`, `f::<T>(args)`.
    Call { callee: Box<Expr<'t>>, args: Vec<Arg<'t>>, targs: Vec<TypeExpr> },
    /// `new T(args) { A = x }`, `T{A: x}`, `&pb.T{A: x}`, `T(a=x)` when `T` is known to be a type.
    New { ty: TypeExpr, args: Vec<Arg<'t>>, fields: Vec<Pair<'t>> },
    /// An untyped object, dict or map literal.
    Object(Vec<Pair<'t>>),
    /// A list or array literal.
    List(Vec<Expr<'t>>),
    /// A function literal (arrow function, lambda, closure, `func(...)`).
    Lambda(Box<Func<'t>>),
    /// `x as T`, `(T) x`, `x.(T)`, `<T>x`.
    Cast { expr: Box<Expr<'t>>, ty: TypeExpr },
    /// A value-transparent wrapper: `await x`, `(x)`, `&x`, `*x`, `x!`, `x?`, `try x`.
    Wrap(Box<Expr<'t>>),
    /// A type used as a value: `T.class`, `typeof(T)`, `T::class.java`, a class name passed to a decoder.
    TypeValue(TypeExpr),
    /// A string literal or template (evaluated from the node by `strval`).
    Str,
    /// Anything else; its children are still evaluated for their effects.
    Other(Vec<Expr<'t>>),
    /// Evaluated for its effects only, of no payload shape itself: a string template with
    /// substitutions, arithmetic, a comparison.
    Effects(Vec<Expr<'t>>),
}

impl<'t> Expr<'t> {
    pub fn new(kind: ExprKind<'t>, node: TsNode<'t>) -> Self {
        Expr { kind, node }
    }
    pub fn other(node: TsNode<'t>) -> Self {
        Expr { kind: ExprKind::Other(Vec::new()), node }
    }
    /// The identifier this expression is, if it is one.
    pub fn as_name(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Name(n) => Some(n),
            ExprKind::Wrap(e) => e.as_name(),
            _ => None,
        }
    }
    /// The dotted path of a name or member chain (`a.b.c`), if it is one.
    pub fn path(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Member { obj, name } => obj.path().map(|p| format!("{p}.{name}")),
            ExprKind::Wrap(e) => e.path(),
            _ => None,
        }
    }
    /// The method name and receiver of a call `recv.m(..)`.
    pub fn method(&self) -> Option<(&Expr<'t>, &str)> {
        match &self.kind {
            ExprKind::Member { obj, name } => Some((obj, name.as_str())),
            _ => None,
        }
    }
}

/// Declared field types of one class or struct (`client pb.CartServiceClient`, `private final XStub stub`).
#[derive(Debug, Default)]
pub struct TypeFields {
    pub owner: String,
    pub fields: Vec<(String, TypeExpr)>,
}

/// What one file lowers to.
#[derive(Debug, Default)]
pub struct FileIr<'t> {
    pub funcs: Vec<Func<'t>>,
    /// Declared field types by class/struct.
    pub types: Vec<TypeFields>,
    /// File-level statements (module globals, top-level script code).
    pub top: Vec<Stmt<'t>>,
    /// How protobuf fields are named on messages of protos loaded at run time
    /// (`@grpc/proto-loader` `keepCase`): `Some(true)` as in the `.proto`,
    /// `Some(false)` camelCase, `None` when the file loads none.
    pub proto_keep_case: Option<bool>,
}
