//! Deferred types: what a value is, when the answer lives in another file.
//! Ingestors write them (the code ingestor's value flow, the GraphQL
//! ingestor's client documents) and the flow link pass resolves them, so the
//! encoding is part of the model, like the wire keys of [`crate::wire`].
//!
//! A read `p.GetPriceUsd()` is only a read of `hipstershop.Product.price_usd`
//! if `p` is a `Product`; the ingestor knows that `p` came from
//! `ListProducts`'s response, or was declared `*pb.Product`, but not what
//! those are. A [`TyRef`] records what it does know (a named type with its
//! import qualifier, or the payload of a boundary) plus the path of fields and
//! elements walked from it; the flow link pass resolves it against the graph.
//!
//! Encoding (a reference key, so it is stored with the file's facts):
//! `T|<qual>|<name>` (a named type; `qual` is the import it came through, e.g.
//! `go:github.com/acme/gen/orders`, `py:demo_pb2`, or the qualifier as written),
//! `I|<name>` (a shape declared inline in the same file), `P|<module>|<func>|<i>` (a
//! parameter of a function other files call), `R|<module>|<func>` (what a function of
//! another file returns), `B|<kind>|<key>` (the
//! payload of a boundary: `grpc` response and `grpc-req` request of
//! `Service/Method`, `http` response of `METHOD /path`, `topic` message), then
//! zero or more `>field` and `[]` steps.

use std::fmt::Write as _;

/// Reference key namespace of deferred types.
pub const NS: &str = "flow";
/// Attribute: the field name as the code wrote it.
pub const NAME: &str = "name";
/// Attribute: how a field is reached (`member`, `index`, `getter`, `setter`, `call`, `key`, `select`).
pub const ACCESS: &str = "access";
/// Attribute on type bindings: `decode` (consumer) or `encode` (producer).
pub const ROLE: &str = "role";
/// Attribute on type bindings: the boundary ([`Bnd::encode`]).
pub const BOUNDARY: &str = "boundary";

/// A boundary a value crosses.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bnd {
    pub kind: BndKind,
    /// `Service/Method`, `GET /orders/{}`, or the topic name.
    pub key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BndKind {
    /// The response message of an rpc.
    Grpc,
    /// The request message of an rpc.
    GrpcReq,
    /// The response body of an HTTP operation.
    Http,
    /// The request body of an HTTP operation.
    HttpReq,
    /// A message on a topic, subject or queue.
    Topic,
    /// The result of a GraphQL root field (`Query.orders`).
    Gql,
}

impl BndKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BndKind::Grpc => "grpc",
            BndKind::GrpcReq => "grpc-req",
            BndKind::Http => "http",
            BndKind::HttpReq => "http-req",
            BndKind::Topic => "topic",
            BndKind::Gql => "gql",
        }
    }
    pub fn parse(s: &str) -> Option<BndKind> {
        Some(match s {
            "grpc" => BndKind::Grpc,
            "grpc-req" => BndKind::GrpcReq,
            "http" => BndKind::Http,
            "http-req" => BndKind::HttpReq,
            "topic" => BndKind::Topic,
            "gql" => BndKind::Gql,
            _ => return None,
        })
    }
}

impl Bnd {
    pub fn new(kind: BndKind, key: impl Into<String>) -> Self {
        Bnd { kind, key: key.into() }
    }
    /// `grpc|Svc/M` (the `boundary` attribute of bindings).
    pub fn encode(&self) -> String {
        format!("{}|{}", self.kind.as_str(), self.key)
    }
    pub fn decode(s: &str) -> Option<Bnd> {
        let (k, key) = s.split_once('|')?;
        Some(Bnd { kind: BndKind::parse(k)?, key: key.to_string() })
    }
}

/// Where a deferred type starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// A type by name, with the import (or qualifier) it came through.
    Named { qual: String, name: String },
    /// A shape emitted inline by this file (an object literal a producer sends).
    Inline(String),
    /// The payload a boundary carries.
    Payload(Bnd),
    /// A parameter of a function other files call: `module` is the defining file's path without
    /// its extension, `func` the function's name, `index` the parameter's position. The flow
    /// link pass resolves it to what callers pass ([`crate::flow::ARG_OF`] bindings).
    Param { module: String, func: String, index: usize },
    /// What a function of another module returns (`module` as the caller imported it, or the
    /// defining file's path without extension on the callee's side).
    Returned { module: String, func: String },
}

/// One step from a value to a part of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// A field, by the name the code used (`GetProducts`, `products`, `Products`).
    Field(String),
    /// An element of a list or map.
    Elem,
}

/// A deferred type: a root and the steps walked from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TyRef {
    pub root: Root,
    pub steps: Vec<Step>,
}

/// The qualifier of a named type written in a GraphQL document (a fragment's or an inline
/// fragment's type condition): it names a type of a GraphQL schema, never a code type of that name.
pub const GRAPHQL_SCHEMA: &str = "graphql";

/// Deepest path kept; deeper reads are dropped (they are rarely contract fields).
pub const MAX_STEPS: usize = 6;

impl TyRef {
    pub fn named(qual: &str, name: &str) -> Self {
        TyRef { root: Root::Named { qual: qual.to_string(), name: name.to_string() }, steps: Vec::new() }
    }
    pub fn payload(b: Bnd) -> Self {
        TyRef { root: Root::Payload(b), steps: Vec::new() }
    }
    pub fn inline(name: &str) -> Self {
        TyRef { root: Root::Inline(name.to_string()), steps: Vec::new() }
    }
    pub fn param(module: &str, func: &str, index: usize) -> Self {
        TyRef { root: Root::Param { module: module.into(), func: func.into(), index }, steps: Vec::new() }
    }
    pub fn returned(module: &str, func: &str) -> Self {
        TyRef { root: Root::Returned { module: module.into(), func: func.into() }, steps: Vec::new() }
    }
    /// Whether this is (a part of) a parameter or a return value of a function of another file:
    /// a value whose type only the link pass learns.
    pub fn is_param(&self) -> bool {
        matches!(self.root, Root::Param { .. } | Root::Returned { .. })
    }
    /// The type of field `name` of this one.
    pub fn field(&self, name: &str) -> Option<TyRef> {
        if self.steps.len() >= MAX_STEPS {
            return None;
        }
        let mut t = self.clone();
        t.steps.push(Step::Field(name.to_string()));
        Some(t)
    }
    /// The element type (a list's item); an element of an element collapses.
    pub fn elem(&self) -> TyRef {
        let mut t = self.clone();
        if t.steps.last() != Some(&Step::Elem) && t.steps.len() < MAX_STEPS {
            t.steps.push(Step::Elem);
        }
        t
    }
    /// The boundary this type is the payload of (with no steps walked), if any.
    pub fn boundary(&self) -> Option<&Bnd> {
        match &self.root {
            Root::Payload(b) => Some(b),
            _ => None,
        }
    }

    pub fn encode(&self) -> String {
        let mut s = match &self.root {
            Root::Named { qual, name } => format!("T|{qual}|{name}"),
            Root::Inline(n) => format!("I|{n}"),
            Root::Payload(b) => format!("B|{}", b.encode()),
            Root::Param { module, func, index } => format!("P|{module}|{func}|{index}"),
            Root::Returned { module, func } => format!("R|{module}|{func}"),
        };
        for st in &self.steps {
            match st {
                Step::Field(f) => {
                    let _ = write!(s, ">{f}");
                }
                Step::Elem => s.push_str("[]"),
            }
        }
        s
    }

    pub fn decode(s: &str) -> Option<TyRef> {
        // The root ends at the first step marker that follows it.
        let (head, rest) = split_root(s);
        let root = if let Some(r) = head.strip_prefix("T|") {
            let (qual, name) = r.split_once('|')?;
            Root::Named { qual: qual.to_string(), name: name.to_string() }
        } else if let Some(n) = head.strip_prefix("I|") {
            Root::Inline(n.to_string())
        } else if let Some(b) = head.strip_prefix("B|") {
            Root::Payload(Bnd::decode(b)?)
        } else if let Some(p) = head.strip_prefix("P|") {
            let (rest, index) = p.rsplit_once('|')?;
            let (module, func) = rest.rsplit_once('|')?;
            Root::Param { module: module.to_string(), func: func.to_string(), index: index.parse().ok()? }
        } else if let Some(p) = head.strip_prefix("R|") {
            let (module, func) = p.rsplit_once('|')?;
            Root::Returned { module: module.to_string(), func: func.to_string() }
        } else {
            return None;
        };
        let mut steps = Vec::new();
        let mut r = rest;
        while !r.is_empty() {
            if let Some(x) = r.strip_prefix("[]") {
                steps.push(Step::Elem);
                r = x;
            } else if let Some(x) = r.strip_prefix('>') {
                let end = x.find(['>', '[']).unwrap_or(x.len());
                steps.push(Step::Field(x[..end].to_string()));
                r = &x[end..];
            } else {
                return None;
            }
        }
        Some(TyRef { root, steps })
    }
}

/// Splits `T|q|Name>a[]` into `T|q|Name` and `>a[]`. Keys may hold `/`, spaces and `{}` but not `>` or `[`.
fn split_root(s: &str) -> (&str, &str) {
    match s.find(['>', '[']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let cases = [
            TyRef::named("go:github.com/acme/gen", "Product"),
            TyRef::payload(Bnd::new(BndKind::Grpc, "ProductCatalogService/ListProducts"))
                .field("GetProducts")
                .map(|t| t.elem())
                .and_then(|t| t.field("Name"))
                .unwrap_or_else(|| TyRef::inline("x")),
            TyRef::payload(Bnd::new(BndKind::Http, "GET /orders/{}")),
            TyRef::payload(Bnd::new(BndKind::Topic, "orders.created")).elem(),
            TyRef::inline("publish@12"),
            TyRef::param("src/payment/charge", "charge", 0).field("amount").unwrap_or_else(|| TyRef::inline("x")),
            TyRef::returned("app.client", "get_cart").elem(),
        ];
        for c in cases {
            let e = c.encode();
            assert_eq!(TyRef::decode(&e), Some(c.clone()), "{e}");
        }
        assert_eq!(TyRef::decode("X|y"), None);
        assert_eq!(
            TyRef::decode("T|q|N>a?"),
            Some(TyRef::named("q", "N").field("a?").unwrap_or_else(|| TyRef::inline("x")))
        );
    }
}
