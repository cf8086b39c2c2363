//! API contract ingestors and spec diffs.
//!
//! Each format turns a spec file into `Spec`, `Operation`, `DataType` and
//! `Field` nodes with types, requiredness and wire names ([`brain_model::Facts`]),
//! and [`diff`] compares two versions of a spec with rule ids taken from the
//! established tools (oasdiff, buf, graphql-inspector).

pub mod asyncapi;
pub mod diff;
pub mod graphql;
pub mod jsonschema;
pub mod openapi;
pub mod proto;
pub mod schema;
pub mod yaml;

pub use asyncapi::{diff_asyncapi, AsyncApiIngestor};
pub use graphql::{diff_graphql, extract_operations_from_source, GraphqlIngestor};
pub use jsonschema::{diff_jsonschema, diff_jsonschema_with, JsonSchemaIngestor};
pub use openapi::{diff_openapi, OpenApiIngestor};
pub use proto::{diff_proto, ProtoIngestor};
