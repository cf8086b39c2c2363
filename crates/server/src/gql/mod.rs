//! The GraphQL schema: typed entities behind the `Entity` interface, the
//! query root and the mutation root.

pub mod answers;
mod mutation;
mod query;
pub mod service;
mod types;

pub use mutation::MutationRoot;
pub use query::QueryRoot;
pub use types::*;

use crate::ServeOptions;
use async_graphql::{EmptySubscription, ErrorExtensions, Schema};
use brain_ingest::Brain;
use std::sync::Arc;

pub type BrainSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Shared state resolvers read from the context.
pub struct Ctx {
    pub brain: Arc<Brain>,
    pub policy: brain_query::ReviewPolicy,
    pub repos: Vec<brain_ingest::RepoConfig>,
    pub names: service::NameIndexCache,
}

/// The executable schema with its limits.
pub fn build_schema(brain: Arc<Brain>, opts: &ServeOptions) -> BrainSchema {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription)
        .data(Ctx {
            brain,
            policy: brain_ingest::policy::review_policy(&opts.policy).0,
            repos: opts.repos.clone(),
            names: service::NameIndexCache::default(),
        })
        .limit_depth(opts.limits.max_depth)
        .limit_complexity(opts.limits.max_complexity)
        .limit_recursive_depth(64)
        .limit_directives(20)
        .finish()
}

/// The SDL checked in as `schema/brain.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot, MutationRoot, EmptySubscription).finish().sdl()
}

/// A GraphQL error with a stable code in `extensions.code`.
pub fn err(code: &'static str, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message.into()).extend_with(|_, e| e.set("code", code))
}

/// A GraphQL-shaped error body for failures outside execution (auth, timeout).
pub fn error_body(message: &str, code: &str) -> serde_json::Value {
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": code } }] })
}
