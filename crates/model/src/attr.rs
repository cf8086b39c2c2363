//! Well-known attribute keys and provide namespaces.
//!
//! Attributes are a string map so every ingestor can say what it knows
//! without widening the core types; the keys below are the shared
//! vocabulary that the query engine and the API read.

/// Symbol kind in the language's terms: function, method, class, struct, enum, trait, interface, type, const, module, field.
pub const SYMBOL_KIND: &str = "symbol_kind";
/// Qualified name within its file (`OrderService::create`).
pub const QUALIFIED_NAME: &str = "qualified_name";
/// One-line signature as written.
pub const SIGNATURE: &str = "signature";
/// Doc comment.
pub const DOC: &str = "doc";
/// Source language (`rust`, `typescript`, `python`, ...).
pub const LANGUAGE: &str = "language";
/// Content hash (blake3 hex) of a file.
pub const HASH: &str = "hash";
/// Size in bytes.
pub const SIZE: &str = "size";
/// `true` when a file or symbol is generated code.
pub const GENERATED: &str = "generated";
/// `true` when a file is a test file.
pub const TEST: &str = "test";
/// HTTP method of an operation or client call (`GET`).
pub const HTTP_METHOD: &str = "http_method";
/// HTTP path pattern of an operation (`/orders/{id}`) or the URL of a client call.
pub const HTTP_PATH: &str = "http_path";
/// Name on the wire of a field (after serde rename, json tags, aliases).
pub const WIRE_NAME: &str = "wire_name";
/// Type of a field as declared (`string`, `int64`, `Option<String>`).
pub const TYPE: &str = "type";
/// `true`/`false`: whether a field is required on the wire.
pub const REQUIRED: &str = "required";
/// `true` when a field is nullable.
pub const NULLABLE: &str = "nullable";
/// Format or flavour of a spec (`openapi-3.1`, `proto3`, `graphql`, `asyncapi-2.6`, `jsonschema`).
pub const FORMAT: &str = "format";
/// Status of a decision (`accepted`, `superseded`, ...), lesson or run.
pub const STATUS: &str = "status";
/// A date (ISO 8601).
pub const DATE: &str = "date";
/// Severity of a failure.
pub const SEVERITY: &str = "severity";
/// Ecosystem of a package (`cargo`, `npm`, `go`, `pypi`, `maven`).
pub const ECOSYSTEM: &str = "ecosystem";
/// Version of a package or requirement.
pub const VERSION: &str = "version";
/// `true` for packages and services known only by reference.
pub const EXTERNAL: &str = "external";
/// Dependency scope: `normal`, `dev`, `build`, `peer`, `optional`.
pub const DEP_SCOPE: &str = "scope";
/// Topic or channel name.
pub const TOPIC: &str = "topic";
/// Field number in a proto message.
pub const FIELD_NUMBER: &str = "field_number";
/// The rule (file:line) that decided ownership.
pub const RULE: &str = "rule";
/// Directory a service is built from, relative to its repo.
pub const DIR: &str = "dir";
/// Messaging system for publish/subscribe (`kafka`, `nats`, ...).
pub const BUS: &str = "bus";
/// On topic references and edges whose name is a constant of the file: the line the constant's
/// value is written on (where a wrong name is fixed), when it is not the line of the call.
pub const NAMED_LINE: &str = "named_line";
/// Wire style of an operation: `http`, `grpc`, `graphql`, `event`.
pub const PROTOCOL: &str = "protocol";

/// Commits (of the indexed history) that changed a file.
pub const CHURN_COMMITS: &str = "churn_commits";
/// Commits that changed a file within the recent window (90 days) before the indexed commit.
pub const CHURN_RECENT: &str = "churn_recent";
/// Date (ISO 8601) of the last commit that changed a file.
pub const LAST_CHANGED: &str = "last_changed";
/// Most frequent authors of a file's commits: `Name (12), Other Name (3)`.
pub const TOP_AUTHORS: &str = "top_authors";
/// Commits changing both ends of a `changed_with` edge.
pub const SUPPORT: &str = "support";
/// `support` over the commits changing the edge's source file (two decimals).
pub const CONFIDENCE: &str = "confidence";
/// Commits changing the source file of a `changed_with` edge that were counted for co-change.
pub const COMMITS: &str = "commits";

/// Namespaces for [`crate::Provide`] and [`crate::RefTarget::Key`].
pub mod ns {
    /// A definition by simple name (`create_order`); resolution prefers scope.
    pub const SYMBOL: &str = "symbol";
    /// A module or namespace path, prefixed by language: `rust:crate::api`, `py:orders.models`, `java:com.acme.Order`.
    pub const MODULE: &str = "module";
    /// A package by `<ecosystem>:<name>`.
    pub const PACKAGE: &str = "package";
    /// An HTTP operation by `METHOD /normalised/{}/path`.
    pub const HTTP: &str = "http";
    /// An OpenAPI operation by its operationId as generated clients call it
    /// ([`crate::wire::operation_id_key`]: `createorder`, `orders|createorder`).
    pub const OPERATION_ID: &str = "operation-id";
    /// A gRPC method by `package.Service/Method`.
    pub const GRPC: &str = "grpc";
    /// A GraphQL root field by `Query.orders`.
    pub const GRAPHQL: &str = "graphql";
    /// A topic or channel by name.
    pub const TOPIC: &str = "topic";
    /// A data type by its wire name (`Order`).
    pub const TYPE: &str = "type";
    /// A service by name.
    pub const SERVICE: &str = "service";
    /// A path inside a repo (`<repo>:<path>`), for documents that link files.
    pub const PATH: &str = "path";
    /// A feature flag by its key (`adFailure`); flag providers serve keys across repositories.
    pub const FLAG: &str = "flag";
}
