//! Spec-to-spec breaking-change findings, shared by every contract format.
//!
//! Rule ids keep the upstream tool's id where one exists (oasdiff for OpenAPI,
//! buf for protobuf, graphql-inspector for GraphQL) so results can be compared
//! line by line with those tools.

use serde::{Deserialize, Serialize};

/// How bad a change is for existing consumers, under the policy that a
/// published contract must stay backward compatible for its consumers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// Not breaking.
    Safe,
    /// May break some consumers (graphql-inspector "dangerous", oasdiff "warning").
    Warning,
    /// Breaks consumers (oasdiff "error", buf breaking, graphql-inspector "breaking").
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Safe => "safe",
            Level::Warning => "warning",
            Level::Breaking => "breaking",
        }
    }
}

/// Where a change sits in one version of a spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    pub line: Option<u32>,
    /// Logical pointer: `paths./orders.post.requestBody`, `acme.v1.Order.created_at`.
    pub pointer: String,
}

/// One classified difference between two versions of a spec.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Upstream rule id where one exists (`response-property-removed`, `FIELD_NO_DELETE`, `FIELD_REMOVED`).
    pub rule: String,
    pub level: Level,
    pub message: String,
    pub old: Option<Location>,
    pub new: Option<Location>,
}
