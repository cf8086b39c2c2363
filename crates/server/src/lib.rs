//! HTTP server: GraphQL (async-graphql on axum), GraphiQL, health.
