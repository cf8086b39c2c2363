//! The JSON-Schema layer shared by the OpenAPI, AsyncAPI and JSON Schema
//! ingestors and their diffs.
//!
//! * [`tree`]: YAML/JSON documents as one tree with line numbers ([`yaml_tree`] for YAML).
//! * [`refs`]: `$ref` parsing, relative file resolution, bounded following.
//! * [`emit`]: schemas to `DataType`/`Field` nodes.
//! * [`compat`]: schema-to-schema comparison shared by every diff
//!   (OpenAPI request/response bodies, AsyncAPI payloads, JSON Schema files).

pub mod compat;
pub mod emit;
pub mod payload;
pub mod refs;
pub mod render;
pub mod tree;
pub mod yaml_tree;

/// Which contract format a document declares at its top level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopKey {
    OpenApi,
    Swagger,
    AsyncApi,
}

/// A cheap look at the text for a top-level `key:` (`openapi`, `swagger`,
/// `asyncapi`): in YAML a line starting with the key at column 0, in JSON
/// the quoted key followed by `:` anywhere (the parse then confirms it is
/// at the top level). Ordinary YAML and JSON files are skipped without parsing.
pub fn sniff(content: &str, key: &str) -> bool {
    let trimmed = content.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let quoted = format!("\"{key}\"");
        return content.match_indices(&quoted).any(|(i, _)| content[i + quoted.len()..].trim_start().starts_with(':'));
    }
    content.lines().any(|line| {
        let l = line.trim_start_matches('\u{feff}');
        [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|k| l.strip_prefix(k.as_str()).is_some_and(|rest| rest.trim_start().starts_with(':')))
    })
}

/// Which contract format a document declares at its top level, by [`sniff`].
pub fn sniff_top_key(content: &str) -> Option<TopKey> {
    [("openapi", TopKey::OpenApi), ("swagger", TopKey::Swagger), ("asyncapi", TopKey::AsyncApi)]
        .into_iter()
        .find(|(k, _)| sniff(content, k))
        .map(|(_, t)| t)
}

/// Whether a path has an extension these ingestors read.
pub fn is_yaml_or_json(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_needs_a_top_level_key() {
        assert_eq!(sniff_top_key("# c\nopenapi: 3.0.3\n"), Some(TopKey::OpenApi));
        assert_eq!(sniff_top_key("info:\n  openapi: x\n"), None);
        assert_eq!(sniff_top_key("{\"swagger\": \"2.0\"}"), Some(TopKey::Swagger));
        assert_eq!(sniff_top_key("'asyncapi' : 2.6.0"), Some(TopKey::AsyncApi));
        assert_eq!(sniff_top_key("name: ci\non: push\n"), None);
        // A JSON AsyncAPI document that mentions "openapi" as a value is still AsyncAPI.
        assert!(sniff("{\"asyncapi\": \"3.0.0\", \"x\": \"openapi\"}", "asyncapi"));
        assert!(!sniff("{\"asyncapi\": \"3.0.0\", \"x\": \"openapi\"}", "openapi"));
    }
}
