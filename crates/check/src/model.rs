//! The report vocabulary: rules, severities, evidence, findings and options.

use brain_ingest_contracts::diff::Change;
use serde::{Deserialize, Serialize};

/// How bad a finding is. `Error` fails a CI gate ([`CheckReport::has_errors`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    /// SARIF `level` of this severity.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Info => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $id:literal, $title:literal, $help:literal;)*) => {
        /// A check rule. Ids are stable: CI configurations and SARIF consumers key on them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            /// Every rule, in documentation order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];
            /// The stable kebab-case id (`field-casing-drift`).
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }
            /// A short title.
            pub fn title(self) -> &'static str {
                match self { $(Rule::$variant => $title,)* }
            }
            /// What the rule checks and how to fix what it finds.
            pub fn help(self) -> &'static str {
                match self { $(Rule::$variant => $help,)* }
            }
            /// Parses a rule id.
            pub fn parse(id: &str) -> Option<Rule> {
                match id.trim() { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    FieldCasingDrift => "field-casing-drift", "Field casing drift between producer and consumer",
        "The consumer reads (or declares) a field whose name differs from the producer's wire name only in casing or separators (createdAt vs created_at). The value never arrives. Read the producer's wire name, or map it in the consumer's deserialiser (serde rename, json tag, pydantic alias, @JsonProperty).";
    ConsumerFieldMissing => "consumer-field-missing", "Consumer reads a field the producer does not provide",
        "The consumer reads (or requires) a field that is not in the payload of the operation, rpc or topic it is linked to. Remove the read, make it optional, or add the field to the producer's contract first.";
    TypeDrift => "type-drift", "Field type differs between producer and consumer",
        "The consumer's data shape declares a field with a type incompatible with the producer's schema (string vs integer, scalar vs array). Align the consumer's type with the contract.";
    OptionalityDrift => "optionality-drift", "Consumer requires a field the producer may omit",
        "The consumer's data shape requires a field that the producer's schema marks optional or nullable. Make the consumer's field optional (Option, ?, | None, omitempty) or make the producer guarantee it.";
    UnknownOperation => "unknown-operation", "Consumer calls an operation no producer offers",
        "An HTTP or GraphQL call targets an internal service (its host names a known service or repo, or its path shares a known API's base) but no spec or route provides that method and path. Fix the path or add the operation to the producer.";
    UnknownTopic => "unknown-topic", "Consumer uses a topic no producer offers",
        "A topic is subscribed to (or published) in a namespace other known topics use, but no contract or code produces it. Check the topic name against the producer's contract.";
    UnknownRpc => "unknown-rpc", "Consumer calls an rpc the service does not define",
        "A gRPC call targets a known service but a method that no proto defines. Regenerate the stubs or fix the method name.";
    BreakingChangeWithConsumers => "breaking-change-with-consumers", "Breaking contract change with affected consumers",
        "A spec change removes or alters something that consumers in the graph use. Roll out consumers first, keep the old element deprecated, or version the contract.";
    SpecCopyDrift => "spec-copy-drift", "Vendored spec copy differs from its original",
        "A copy of a contract in another repository no longer matches the original. Re-vendor the spec or generate clients from the original.";
}

/// One side of a finding: where the evidence is and who owns it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// `producer`, `consumer`, `contract`, `original` or `copy`.
    pub role: String,
    pub repo: String,
    pub path: String,
    pub line: Option<u32>,
    /// The graph entity this evidence is about, if any.
    pub entity: Option<String>,
    /// What is there, for people (`event["createdAt"]`, `created_at: string/date-time (required)`).
    pub detail: String,
    /// Owners of the entity, its file or its repo (owner ids such as `owner:@acme/team-billing`).
    pub owners: Vec<String>,
}

impl Evidence {
    /// `repo:path:line`.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{}:{}", self.repo, self.path, l),
            None if self.path.is_empty() => self.repo.clone(),
            None => format!("{}:{}", self.repo, self.path),
        }
    }
}

/// One contract problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: a hash of the rule and both sides, so CI output diffs cleanly.
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// The boundary the finding is on: `topic order.created`, `GET /orders/{}`, `UserService/GetUser`.
    pub boundary: Option<String>,
    pub producer: Option<Evidence>,
    pub consumer: Option<Evidence>,
    /// Further evidence (the contract element, other copies).
    pub related: Vec<Evidence>,
    pub fix: String,
}

/// A spec diff to check against the graph's consumers (see [`crate::breaking`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SpecDiff {
    /// Repo and path of the spec as ingested (the old version is what the graph holds).
    pub repo: String,
    pub path: String,
    pub changes: Vec<Change>,
}

/// What to check.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckOptions {
    /// Only these rules (by id); empty means all.
    pub rules: Vec<String>,
    /// Only findings with a consumer or producer in one of these repos; empty means all.
    pub repos: Vec<String>,
    /// Drop findings below this severity.
    pub min_severity: Option<Severity>,
    /// Spec diffs for `breaking-change-with-consumers`.
    pub spec_diffs: Vec<SpecDiff>,
}

impl CheckOptions {
    pub(crate) fn enabled(&self, rule: Rule) -> bool {
        self.rules.is_empty() || self.rules.iter().any(|r| r == rule.id())
    }
}

/// Counts per severity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// What the checks could see: a clean report over contracts nobody was linked to is not
/// evidence that consumers match, so every report says how much was checked.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Contract boundaries (spec operations and rpcs, served routes, topics with a producer).
    pub contracts: usize,
    /// Of those, how many have at least one linked consumer in code.
    pub contracts_with_consumers: usize,
    /// Consumer links (a call, subscription or decoded type tied to a boundary).
    pub consumer_links: usize,
    /// Field reads checked against a producer's type (resolved or flagged).
    pub reads_checked: usize,
    /// Client calls, publishes and subscriptions whose target could not be resolved
    /// (a URL from the environment, a topic name that could not be folded), with where they are.
    pub unresolved: Vec<Evidence>,
    /// How many were unresolved in all (`unresolved` lists the first 200).
    pub unresolved_total: usize,
    /// Contracts with no linked consumer: a breaking change to them is still reported, with
    /// consumers unknown; read checks cannot cover them.
    pub without_consumers: Vec<String>,
}

/// The result of [`crate::check`]: findings sorted by severity (errors first), rule and location.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// What was checked (see [`Coverage`]).
    #[serde(default)]
    pub coverage: Coverage,
}

impl CheckReport {
    /// Sorts, de-duplicates by id and counts.
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.rule.cmp(&b.rule))
                .then_with(|| loc_key(a).cmp(&loc_key(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut seen = std::collections::HashSet::new();
        findings.retain(|f| seen.insert(f.id.clone()));
        let mut summary = Summary::default();
        for f in &findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        CheckReport { findings, summary, coverage: Coverage::default() }
    }
    /// Exit-code policy: `true` when any finding is an error (`brain check` exits non-zero).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
    /// The report as JSON (the serde form of this struct).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
    /// Findings of one rule.
    pub fn of_rule<'a>(&'a self, rule: Rule) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule == rule.id())
    }
}

fn loc_key(f: &Finding) -> (String, String, Option<u32>) {
    let e = f.consumer.as_ref().or(f.producer.as_ref());
    e.map(|e| (e.repo.clone(), e.path.clone(), e.line)).unwrap_or_default()
}

/// A stable id for a finding: blake3 over the rule and the identifying parts, 16 hex digits.
pub(crate) fn finding_id(rule: Rule, parts: &[&str]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(rule.id().as_bytes());
    for p in parts {
        h.update(&[0]);
        h.update(p.as_bytes());
    }
    let hex = h.finalize().to_hex();
    format!("{}-{}", rule.id(), &hex.as_str()[..16])
}
