//! The input of each tool, with the JSON schema (schemars) clients see.
//! Optional numbers and lists are read by [`crate::lenient`]: typed values,
//! their text (what form-based clients such as the MCP Inspector send), or
//! `null`; their schemas are plain `integer`/`number`/`array` types.

use crate::lenient;
use schemars::JsonSchema;
use serde::Deserialize;

/// Input of `context_packet`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContextPacketParams {
    /// The task in plain words, e.g. "rename created_at in the order.created event".
    pub intent: String,
    /// Restrict the task to these repositories (names such as `acme/orders`).
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub repos: Option<Vec<String>>,
    /// Restrict the task to these path prefixes inside the repositories.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub paths: Option<Vec<String>>,
    /// Entity ids the task is about (from `search` or an earlier answer).
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub ids: Option<Vec<String>>,
    /// Most tokens of the answer (default 4000, 200..=32000).
    #[serde(default, deserialize_with = "lenient::opt_usize")]
    #[schemars(with = "usize")]
    pub budget_tokens: Option<usize>,
}

/// Input of `blast_radius`: entity ids, or a repo with changed paths, or a repo with a unified diff.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct BlastRadiusParams {
    /// Changed entities by id.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub ids: Option<Vec<String>>,
    /// The repository `paths` and `diff` refer to (e.g. `acme/orders`).
    #[serde(default)]
    #[schemars(with = "String")]
    pub repo: Option<String>,
    /// Changed files relative to the repo root; `path:12-30` or `path:12` limits to those lines.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub paths: Option<Vec<String>>,
    /// A unified diff (`git diff` output) against the indexed version of `repo`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub diff: Option<String>,
    /// Most hops followed from a changed entity (default 6, 1..=8).
    #[serde(default, deserialize_with = "lenient::opt_u32")]
    #[schemars(with = "u32")]
    pub max_depth: Option<u32>,
    /// Chains whose confidence (the product of their edges') falls below this are cut (default 0.3, 0..=1).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    #[schemars(with = "f64")]
    pub min_confidence: Option<f64>,
}

/// Input of `contract_check`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ContractCheckParams {
    /// Only findings with a producer or consumer in these repositories.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub repos: Option<Vec<String>>,
    /// Only these rules (field-casing-drift, consumer-field-missing, type-drift, optionality-drift,
    /// unknown-operation, unknown-rpc, unknown-topic, spec-copy-drift, ...).
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub rules: Option<Vec<String>>,
    /// Drop findings below this severity: info, warning or error.
    #[serde(default)]
    #[schemars(with = "String")]
    pub min_severity: Option<String>,
}

/// Input of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// Words or an identifier; `createdAt`, `created_at` and "created at" find each other.
    pub query: String,
    /// Only these kinds (repo, file, symbol, operation, topic, data_type, field, owner, decision, failure, lesson, test, ...).
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub kinds: Option<Vec<String>>,
    /// Only these repositories.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub repos: Option<Vec<String>>,
    /// Most hits (default 20, 1..=100).
    #[serde(default, deserialize_with = "lenient::opt_usize")]
    #[schemars(with = "usize")]
    pub limit: Option<usize>,
}

/// Input of `get_entity`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEntityParams {
    /// The entity id, e.g. `sym:acme/orders:src/model.rs#OrderCreated`.
    pub id: String,
    /// Most edges listed each way (default 25, 1..=500).
    #[serde(default, deserialize_with = "lenient::opt_usize")]
    #[schemars(with = "usize")]
    pub max_edges: Option<usize>,
}

/// Input of `flags`: an optional flag key and repository.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct FlagsParams {
    /// One flag key (`adFailure`); empty or absent: every flag.
    #[serde(default)]
    #[schemars(with = "String")]
    pub key: Option<String>,
    /// Only flags defined or evaluated in this repository.
    #[serde(default)]
    #[schemars(with = "String")]
    pub repo: Option<String>,
}

/// Input of `images`: a repository and a path in it.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ImagesParams {
    /// Repository of `path`.
    pub repo: String,
    /// A file or directory relative to the repo root (`.` is the whole repository).
    pub path: String,
}

/// Input of `owners`: an entity id, or a repo with paths.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct OwnersParams {
    /// Entity id to find owners of.
    #[serde(default)]
    #[schemars(with = "String")]
    pub id: Option<String>,
    /// Repository of `paths`.
    #[serde(default)]
    #[schemars(with = "String")]
    pub repo: Option<String>,
    /// File paths relative to the repo root.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub paths: Option<Vec<String>>,
}

/// Input of `record_failure`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordFailureParams {
    /// What went wrong, with the error message and what was being done.
    pub text: String,
    /// Ids of the entities the failure concerns (at least one; use `search` to find them).
    #[serde(deserialize_with = "lenient::list")]
    pub entities: Vec<String>,
    /// A one-line title (default: the first line of `text`).
    #[serde(default)]
    #[schemars(with = "String")]
    pub title: Option<String>,
    /// low, medium, high or critical.
    #[serde(default)]
    #[schemars(with = "String")]
    pub severity: Option<String>,
    /// Who recorded it (agent or run name).
    #[serde(default)]
    #[schemars(with = "String")]
    pub agent: Option<String>,
    /// Free tags.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub tags: Option<Vec<String>>,
}

/// Input of `record_lesson`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordLessonParams {
    /// The lesson, as advice for the next agent ("read created_at, not createdAt, from order.created").
    pub text: String,
    /// Ids of the entities it applies to (at least one).
    #[serde(deserialize_with = "lenient::list")]
    pub applies_to: Vec<String>,
    /// Id of the failure it was learned from.
    #[serde(default)]
    #[schemars(with = "String")]
    pub failure: Option<String>,
    /// Free tags.
    #[serde(default, deserialize_with = "lenient::opt_list")]
    #[schemars(with = "Vec<String>")]
    pub tags: Option<Vec<String>>,
    /// Who wrote it.
    #[serde(default)]
    #[schemars(with = "String")]
    pub author: Option<String>,
}
