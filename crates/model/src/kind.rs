//! Node and edge kinds.
//!
//! Edge names follow the vocabulary (`contains`, `imports`, `calls`,
//! ...). Where Backstage has a well-known relation for the same thing, the
//! Backstage name is available through [`EdgeKind::backstage_name`] so catalog
//! users find `ownedBy`, `providesApi`, `consumesApi` and `dependsOn`.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable snake_case name used in ids, the API and the CLI.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
            /// Parses the snake_case name (case-insensitive, `-` accepted for `_`).
            pub fn parse(s: &str) -> Option<$name> {
                let norm = s.trim().to_ascii_lowercase().replace('-', "_");
                match norm.as_str() { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// What an entity is.
    pub enum NodeKind {
        Repo => "repo",
        Package => "package",
        Service => "service",
        File => "file",
        /// A definition in code: function, method, class, struct, enum, trait, ...
        Symbol => "symbol",
        /// An API contract document (OpenAPI, proto, GraphQL SDL, AsyncAPI, JSON Schema).
        Spec => "spec",
        /// Something a consumer invokes: HTTP route, rpc, GraphQL root field, channel operation.
        Operation => "operation",
        /// A message channel or topic.
        Topic => "topic",
        /// A shape on the wire: schema, message, struct, interface.
        DataType => "data_type",
        Field => "field",
        Owner => "owner",
        Decision => "decision",
        Failure => "failure",
        Lesson => "lesson",
        Run => "run",
        Test => "test",
        /// Agent instructions, runbooks, skills: text that governs work on code.
        Document => "document",
        /// A CI job (GitHub Actions, GitLab CI).
        CiJob => "ci_job",
        /// A feature flag as one file defines it (flagd, Flipt, an OpenFeature
        /// operator `FeatureFlag`); code that evaluates it points here.
        Flag => "flag",
        /// A container image as a Dockerfile builds it (its final stage).
        Image => "image",
    }
}

string_enum! {
    /// How two entities relate. Edges point from the subject to the object:
    /// `file --contains--> symbol`, `caller --calls--> callee`,
    /// `owner --owns--> file`, `decision --governs--> service`.
    pub enum EdgeKind {
        Contains => "contains",
        Imports => "imports",
        Calls => "calls",
        /// Code reads a field or property (`order.createdAt`).
        ReadsField => "reads_field",
        /// Code writes or emits a field (a struct field serialised on the wire).
        WritesField => "writes_field",
        DependsOn => "depends_on",
        /// A service, repo or code route provides an operation (Backstage `providesApi`).
        Exposes => "exposes",
        /// Code or a service calls an operation (Backstage `consumesApi`).
        Consumes => "consumes",
        Publishes => "publishes",
        Subscribes => "subscribes",
        UsesType => "uses_type",
        /// A data type has a field.
        HasField => "has_field",
        /// Code implements a contract element (a gRPC service impl, a struct mirroring a schema).
        Implements => "implements",
        Owns => "owns",
        Governs => "governs",
        Supersedes => "supersedes",
        Amends => "amends",
        Affected => "affected",
        LearnedFrom => "learned_from",
        AppliesTo => "applies_to",
        Tests => "tests",
        Repeats => "repeats",
        /// A run touched an entity.
        Touched => "touched",
        /// A service is built or deployed from a repo directory.
        BuiltFrom => "built_from",
        /// A spec or file is a vendored copy of another.
        CopyOf => "copy_of",
        /// Weak textual link: a document mentions an entity.
        Mentions => "mentions",
        /// A CI job runs tests or a package.
        Runs => "runs",
        /// Two files changed in the same commits (git history; `support`,
        /// `confidence` and `commits` attributes, inferred by `history`).
        ChangedWith => "changed_with",
        /// Code evaluates a feature flag (`getBooleanValue("x")`, `isEnabled("x")`).
        Evaluates => "evaluates",
        /// An image includes a file of its build context (`COPY`/`ADD`, any stage the final one depends on).
        Includes => "includes",
    }
}

impl EdgeKind {
    /// The Backstage well-known relation for this edge read forwards, if one exists.
    pub fn backstage_name(self) -> Option<&'static str> {
        match self {
            EdgeKind::Owns => Some("ownerOf"),
            EdgeKind::Exposes => Some("providesApi"),
            EdgeKind::Consumes => Some("consumesApi"),
            EdgeKind::DependsOn => Some("dependsOn"),
            EdgeKind::Contains => Some("hasPart"),
            _ => None,
        }
    }
    /// The Backstage name of the reverse relation (`owns` read backwards is `ownedBy`).
    pub fn backstage_reverse_name(self) -> Option<&'static str> {
        match self {
            EdgeKind::Owns => Some("ownedBy"),
            EdgeKind::Exposes => Some("apiProvidedBy"),
            EdgeKind::Consumes => Some("apiConsumedBy"),
            EdgeKind::DependsOn => Some("dependencyOf"),
            EdgeKind::Contains => Some("partOf"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in NodeKind::ALL {
            assert_eq!(NodeKind::parse(k.as_str()), Some(*k));
        }
        for k in EdgeKind::ALL {
            assert_eq!(EdgeKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(EdgeKind::parse("READS-FIELD"), Some(EdgeKind::ReadsField));
        assert_eq!(EdgeKind::Owns.backstage_reverse_name(), Some("ownedBy"));
    }
}
