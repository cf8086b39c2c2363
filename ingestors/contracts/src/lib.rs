//! API contract ingestors and spec diffs.
//!
//! Each format turns a spec file into `Spec`, `Operation`, `DataType` and
//! `Field` nodes with types, requiredness and wire names ([`brain_model::Facts`]),
//! and [`diff`] compares two versions of a spec with rule ids taken from the
//! established tools (oasdiff, buf, graphql-inspector).

pub mod diff;
pub mod yaml;
