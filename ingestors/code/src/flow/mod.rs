//! Value flow inside one file: which values cross a service boundary and
//! what the code does with them.
//!
//! The detectors (`routes`, `clients`) find *where* a file talks to other
//! services: an HTTP call, a publish, a subscription, a served route. This
//! module follows the values around those places: the stub a gRPC call is made
//! on (held in a field, injected, a global), the response it returns, the
//! fields read from it (`resp.GetProducts()[i].GetName()`), the local type a
//! message is decoded into, the struct or literal a handler answers with and
//! a producer publishes. Each language lowers its syntax to a small IR
//! ([`ir`], `lower/<lang>.rs`); one evaluator ([`eval`]) walks it.
//!
//! What comes out is references the flow link pass resolves across files
//! (types are usually declared elsewhere):
//!
//! * `ReadsField` / `WritesField` with key namespace [`NS`]: the key is the
//!   receiver's [`tyref::TyRef`], attributes [`NAME`] (as written) and
//!   [`ACCESS`] (`member`, `index`, `getter`, `setter`, `call`, `key`);
//! * `UsesType` with key namespace [`NS`] and attributes [`ROLE`]
//!   (`decode`: the consumer's own type a payload is decoded into; `encode`:
//!   the type a producer sends) and [`BOUNDARY`] (a [`tyref::Bnd`]);
//! * `UsesType` with [`ROLE`] `arg` / `returns` / `sent` and [`ARG_OF`]: a value passed to,
//!   returned by, or sent on from a function of another file (JavaScript, TypeScript,
//!   Python), so that that function's parameter reads (`P|..` roots) and its callers'
//!   reads of its result (`R|..` roots) resolve across files;
//! * [`KEEP_CASE`] on reads and writes of files that load protos at run time
//!   (`@grpc/proto-loader`), so that a camelCase read of a snake_case field is casing drift;
//! * `Consumes` to gRPC methods called on stubs, `Implements` from server
//!   methods to their rpc;
//! * inline DataTypes for object literals a producer sends, so a producer
//!   without a spec still has a payload shape.

pub mod eval;
pub mod guard;
pub mod ir;
pub mod libs;
pub mod link;
pub mod lower;
/// Deferred types live in the model (the GraphQL ingestor writes them too).
pub use brain_model::tyref;

use crate::ctx::Ctx;
use crate::langs::Nodes;
use brain_model::NodeId;
use std::collections::HashMap;
use tyref::Bnd;

pub use brain_model::tyref::{ACCESS, BOUNDARY, NAME, NS, ROLE};
/// Attribute on reads and writes: the expression as written (first line, clipped), for evidence.
pub const TEXT: &str = "text";
/// Attribute on inline DataTypes.
pub const INLINE: &str = "inline";
/// Role of a type binding: the value passed to a function of another file (attributes
/// [`ARG_OF`] and [`ARG`]); the callee's parameter reads resolve to it.
pub const ROLE_ARG: &str = "arg";
/// Role of a type binding: what a function other files call returns (the key), on the callee's side.
pub const ROLE_RETURNS: &str = "returns";
/// Role of a type binding: the boundary payload (the key) a caller sends what a function of
/// another file returned as.
pub const ROLE_SENT: &str = "sent";
/// Attribute on `arg`, `returns` and `sent` bindings: the function as `<module>|<function>`
/// (the module as imported on the caller's side, the file's path without extension on the callee's).
pub const ARG_OF: &str = "arg_of";
/// Attribute on `arg` bindings: the argument's position.
pub const ARG: &str = "arg";
/// Attribute on `arg` bindings: the argument is the message envelope of the payload the key
/// names (a subscription's handler in another module gets `msg`; `msg.data` is the payload).
pub const ENVELOPE: &str = "envelope";
/// Attribute on reads and writes in files that load protos at run time (`@grpc/proto-loader`):
/// `true` when fields keep their `.proto` names (`keepCase: true`), `false` when they are camelCase.
pub const KEEP_CASE: &str = "keep_case";

/// Where in a payload argument the message is.
#[derive(Clone, Debug, PartialEq)]
pub enum PayloadArg {
    /// The n-th positional argument.
    Pos(usize),
    /// A named argument (`value=`, `body=`).
    Key(&'static str),
    /// Any argument: the evaluator takes the first value with a shape.
    Any,
}

/// A publish found by a detector.
#[derive(Clone, Debug)]
pub struct PubSite {
    pub topics: Vec<Bnd>,
    pub payload: PayloadArg,
    /// The bus (`kafka`, `nats`, `rabbitmq`, ...).
    pub bus: String,
}

/// Boundaries the detectors found, keyed by the syntax node they were found at.
#[derive(Debug, Default)]
pub struct Sites {
    /// HTTP client calls: call node id -> the operation's response.
    pub http: HashMap<usize, Bnd>,
    /// Publishes: call node id -> topics and where the payload is.
    pub publish: HashMap<usize, PubSite>,
    /// Subscriptions: call node id -> topics.
    pub subscribe: HashMap<usize, Vec<Bnd>>,
    /// Listener methods (`@KafkaListener`, `@EventPattern`): definition byte range -> topics.
    pub listeners: HashMap<(usize, usize), Vec<Bnd>>,
    /// Route registrations with the handler inline: call node id -> operations.
    pub route_calls: HashMap<usize, Vec<Bnd>>,
    /// Route handlers defined in this file: symbol id -> operations.
    pub route_handlers: HashMap<NodeId, Vec<Bnd>>,
    /// gRPC server implementations: class or struct name -> service name.
    pub grpc_servers: HashMap<String, String>,
}

/// Lowers the file and follows its values; emits what [`eval`] finds into `ctx`.
pub fn analyze(ctx: &mut Ctx, nodes: &Nodes<'_>) {
    if ctx.generated {
        return;
    }
    let Some(ir) = lower::lower(ctx, nodes) else { return };
    eval::run(ctx, &ir);
}
