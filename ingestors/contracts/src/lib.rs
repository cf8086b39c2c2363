//! API contract ingestors (OpenAPI, Swagger, protobuf, GraphQL SDL, AsyncAPI, JSON Schema) and spec diffs.
