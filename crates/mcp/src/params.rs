//! The input of each tool, with the JSON schema (schemars) clients see.
//! Lists are `Option` so that clients sending `null` are accepted.

use schemars::JsonSchema;
use serde::Deserialize;

/// Input of `context_packet`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContextPacketParams {
    /// The task in plain words, e.g. "rename created_at in the order.created event".
    pub intent: String,
    /// Restrict the task to these repositories (names such as `acme/orders`).
    #[serde(default)]
    pub repos: Option<Vec<String>>,
    /// Restrict the task to these path prefixes inside the repositories.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
    /// Entity ids the task is about (from `search` or an earlier answer).
    #[serde(default)]
    pub ids: Option<Vec<String>>,
    /// Most tokens of the answer (default 4000, 200..=32000).
    #[serde(default)]
    pub budget_tokens: Option<usize>,
}

/// Input of `blast_radius`: entity ids, or a repo with changed paths, or a repo with a unified diff.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BlastRadiusParams {
    /// Changed entities by id.
    #[serde(default)]
    pub ids: Option<Vec<String>>,
    /// The repository `paths` and `diff` refer to (e.g. `acme/orders`).
    #[serde(default)]
    pub repo: Option<String>,
    /// Changed files relative to the repo root; `path:12-30` or `path:12` limits to those lines.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
    /// A unified diff (`git diff` output) against the indexed version of `repo`.
    #[serde(default)]
    pub diff: Option<String>,
    /// Most hops followed from a changed entity (default 4, 1..=8).
    #[serde(default)]
    pub max_depth: Option<u32>,
}

/// Input of `contract_check`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContractCheckParams {
    /// Only findings with a producer or consumer in these repositories.
    #[serde(default)]
    pub repos: Option<Vec<String>>,
    /// Only these rules (field-casing-drift, consumer-field-missing, type-drift, optionality-drift,
    /// unknown-operation, unknown-rpc, unknown-topic, spec-copy-drift, ...).
    #[serde(default)]
    pub rules: Option<Vec<String>>,
    /// Drop findings below this severity: info, warning or error.
    #[serde(default)]
    pub min_severity: Option<String>,
}

/// Input of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// Words or an identifier; `createdAt`, `created_at` and "created at" find each other.
    pub query: String,
    /// Only these kinds (repo, file, symbol, operation, topic, data_type, field, owner, decision, failure, lesson, test, ...).
    #[serde(default)]
    pub kinds: Option<Vec<String>>,
    /// Only these repositories.
    #[serde(default)]
    pub repos: Option<Vec<String>>,
    /// Most hits (default 20, 1..=100).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// Input of `get_entity`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEntityParams {
    /// The entity id, e.g. `sym:acme/orders:src/model.rs#OrderCreated`.
    pub id: String,
    /// Most edges listed each way (default 25, 1..=500).
    #[serde(default)]
    pub max_edges: Option<usize>,
}

/// Input of `owners`: an entity id, or a repo with paths.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct OwnersParams {
    /// Entity id to find owners of.
    #[serde(default)]
    pub id: Option<String>,
    /// Repository of `paths`.
    #[serde(default)]
    pub repo: Option<String>,
    /// File paths relative to the repo root.
    #[serde(default)]
    pub paths: Option<Vec<String>>,
}

/// Input of `record_failure`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordFailureParams {
    /// What went wrong, with the error message and what was being done.
    pub text: String,
    /// Ids of the entities the failure concerns (at least one; use `search` to find them).
    pub entities: Vec<String>,
    /// A one-line title (default: the first line of `text`).
    #[serde(default)]
    pub title: Option<String>,
    /// low, medium, high or critical.
    #[serde(default)]
    pub severity: Option<String>,
    /// Who recorded it (agent or run name).
    #[serde(default)]
    pub agent: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
}

/// Input of `record_lesson`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordLessonParams {
    /// The lesson, as advice for the next agent ("read created_at, not createdAt, from order.created").
    pub text: String,
    /// Ids of the entities it applies to (at least one).
    pub applies_to: Vec<String>,
    /// Id of the failure it was learned from.
    #[serde(default)]
    pub failure: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Who wrote it.
    #[serde(default)]
    pub author: Option<String>,
}
