//! The files ingestor: every text file becomes a `File` node contained by its
//! repo, tagged with its language and whether it is a test or generated file.
//! The pipeline indexes the file's content for search.

use brain_model::{attr, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, Provenance, SourceFile, Span};

/// See the crate docs.
#[derive(Clone, Copy, Debug, Default)]
pub struct FilesIngestor;

impl Ingestor for FilesIngestor {
    fn name(&self) -> &'static str {
        "files"
    }
    fn accepts(&self, _path: &str) -> bool {
        true
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let lines = file.content.lines().count().max(1) as u32;
        let prov = Provenance::declared(file.repo, file.path, Some(Span::new(1, lines)), self.name());
        let name = file.path.rsplit('/').next().unwrap_or(file.path);
        let mut node = Node::new(NodeId::file(file.repo, file.path), NodeKind::File, name, prov.clone())
            .with_attr(attr::SIZE, file.content.len().to_string())
            .with_attr("lines", lines.to_string());
        if let Some(lang) = language_of(file.path) {
            node = node.with_attr(attr::LANGUAGE, lang);
        }
        if is_test_path(file.path) {
            node = node.with_attr(attr::TEST, "true");
        }
        if is_generated(file.path, file.content) {
            node = node.with_attr(attr::GENERATED, "true");
        }
        let id = facts.node(node);
        let mut contains = prov;
        contains.span = None;
        facts.edge(Edge::new(NodeId::repo(file.repo), EdgeKind::Contains, id, contains));
        facts
    }
}

/// Language by file extension or name.
pub fn language_of(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    Some(match ext.as_str() {
        "rs" => "rust",
        "ts" | "mts" | "cts" => "typescript",
        "tsx" => "tsx",
        "js" | "mjs" | "cjs" => "javascript",
        "jsx" => "jsx",
        "py" | "pyi" => "python",
        "go" => "go",
        "java" => "java",
        "cs" => "csharp",
        "kt" | "kts" => "kotlin",
        "php" => "php",
        "rb" | "rake" => "ruby",
        "cpp" | "cc" | "cxx" | "hpp" | "hh" | "hxx" | "h" => "cpp",
        "proto" => "protobuf",
        "graphql" | "graphqls" | "gql" => "graphql",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "md" | "markdown" | "mdc" => "markdown",
        "xml" => "xml",
        "sql" => "sql",
        "sh" | "bash" => "shell",
        _ if name == "Dockerfile" || name.starts_with("Dockerfile.") => "dockerfile",
        _ if name == "CODEOWNERS" => "codeowners",
        _ if name == "Rakefile" => "ruby",
        _ => return None,
    })
}

/// Test files by the common conventions of each language.
pub fn is_test_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let segs: Vec<&str> = path.split('/').collect();
    let in_test_dir = segs[..segs.len().saturating_sub(1)]
        .iter()
        .any(|s| matches!(*s, "tests" | "test" | "__tests__" | "spec" | "testdata" | "src/test"))
        || path.contains("src/test/");
    in_test_dir
        || name.ends_with("_test.go")
        || name.ends_with("_test.rs")
        || (name.starts_with("test_") && name.ends_with(".py"))
        || name.ends_with("_test.py")
        || [".test.", ".spec."].iter().any(|m| name.contains(m))
        || name.ends_with("Test.java")
        || name.ends_with("Tests.java")
        || name.ends_with("Test.kt")
        || name.ends_with("Tests.cs")
        || name.ends_with("Test.cs")
        || name.ends_with("Test.php")
        || name.ends_with("_spec.rb")
        || name.ends_with("_test.rb")
        || [".cc", ".cpp", ".cxx"]
            .iter()
            .any(|e| name.ends_with(&format!("_test{e}")) || name.ends_with(&format!("_unittest{e}")))
}

/// Generated files by name or by a marker in the first lines (the rule every ingestor shares).
pub use brain_model::source::is_generated;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_a_node_in_its_repo() {
        let facts = FilesIngestor.ingest(&SourceFile {
            repo: "acme/users",
            path: "internal/server/server_test.go",
            content: "package server\n",
        });
        assert_eq!(facts.nodes.len(), 1);
        let n = &facts.nodes[0];
        assert_eq!(n.id.as_str(), "file:acme/users:internal/server/server_test.go");
        assert_eq!(n.attr(attr::LANGUAGE), Some("go"));
        assert_eq!(n.attr(attr::TEST), Some("true"));
        assert_eq!(facts.edges[0].from.as_str(), "repo:acme/users");
    }

    #[test]
    fn conventions() {
        assert!(is_test_path("billing/tests/test_consumer.py"));
        assert!(is_test_path("web/src/api/orders.test.ts"));
        assert!(!is_test_path("orders/src/api.rs"));
        assert!(is_test_path("spec/models/order_spec.rb") && is_test_path("app/OrderTest.php"));
        assert!(is_test_path("src/orders/server_test.cc") && !is_test_path("src/orders/server.cc"));
        assert_eq!(language_of("src/a.h"), Some("cpp"));
        assert_eq!(language_of("lib/tasks/db.rake"), Some("ruby"));
        assert_eq!(language_of("Rakefile"), Some("ruby"));
        assert_eq!(language_of("public/index.php"), Some("php"));
        assert!(is_generated("gen/x.pb.go", ""));
        assert!(is_generated("a.go", "// Code generated by protoc-gen-go. DO NOT EDIT.\n"));
        assert!(!is_generated("a.go", "package a\n"));
    }
}
