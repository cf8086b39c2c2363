//! YAML with line numbers, shared by every YAML-based ingestor
//! (OpenAPI, AsyncAPI, Backstage catalog, compose, Kubernetes, CI workflows).
//!
//! Wraps `marked-yaml` and adds multi-document streams (`---`), which the
//! catalog and Kubernetes manifests use.

pub use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode, MarkedSequenceNode};
pub use marked_yaml::Node;

/// One document of a YAML stream.
#[derive(Debug)]
pub struct Document {
    /// 1-based line where the document starts in the whole file.
    pub start_line: u32,
    /// The parsed document, or a parse error with its 1-based line in the whole file.
    pub root: Result<Node, YamlError>,
}

/// A YAML syntax error with its position in the whole file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct YamlError {
    pub line: u32,
    pub message: String,
}

/// Parses a single-document YAML text whose top level may be a mapping or a sequence.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    parse_at(text, 0)
}

/// Parses a possibly multi-document YAML stream. Empty documents are skipped.
pub fn parse_documents(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut start = 0usize; // 0-based line index of the current document's first line
    let mut current = String::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let flush = |start: usize, current: &mut String, docs: &mut Vec<Document>| {
        if current.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        }) {
            docs.push(Document { start_line: start as u32 + 1, root: parse_at(current, start as u32) });
        }
        current.clear();
    };
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") || t == "..." {
            flush(start, &mut current, &mut docs);
            start = i + 1;
            continue;
        }
        current.push_str(line);
    }
    flush(start, &mut current, &mut docs);
    docs
}

/// Parses `text`, which starts at 0-based line `line_offset` of its file. The
/// text is padded with that many blank lines so every marker holds the line in
/// the whole file.
fn parse_at(text: &str, line_offset: u32) -> Result<Node, YamlError> {
    let first = text.lines().map(str::trim_start).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
    let is_seq = first.starts_with("- ") || first == "-" || first.starts_with('[');
    let opts = marked_yaml::LoaderOptions::default();
    let opts = if is_seq { opts.toplevel_sequence() } else { opts };
    let padded;
    let input = if line_offset == 0 {
        text
    } else {
        padded = format!("{}{}", "\n".repeat(line_offset as usize), text);
        &padded
    };
    marked_yaml::parse_yaml_with_options(0, input, opts).map_err(|e| {
        let (line, message) = describe(&e);
        YamlError { line, message }
    })
}

fn describe(e: &marked_yaml::LoadError) -> (u32, String) {
    use marked_yaml::LoadError as E;
    let marker = match e {
        E::TopLevelMustBeMapping(m)
        | E::TopLevelMustBeSequence(m)
        | E::UnexpectedAnchor(m)
        | E::MappingKeyMustBeScalar(m)
        | E::UnexpectedTag(m) => Some(m.line()),
        E::ScanError(m, _) => Some(m.line()),
        _ => None,
    };
    (marker.unwrap_or(1) as u32, e.to_string())
}

/// 1-based line of a node in the whole file.
pub fn line_of(node: &Node) -> Option<u32> {
    node.span().start().map(|m| m.line() as u32)
}

/// The scalar text of `map[key]`, if present and scalar.
pub fn get_str<'a>(map: &'a MarkedMappingNode, key: &str) -> Option<&'a str> {
    map.get_scalar(key).map(|s| s.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_document_streams_keep_file_lines() {
        let text = "a: 1\n---\n# comment only\n---\nkind: Component\nmetadata:\n  name: orders\n---\n- x\n";
        let docs = parse_documents(text);
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert_eq!(docs[0].start_line, 1);
        let second = docs[1].root.as_ref().expect("second doc parses");
        let map = second.as_mapping().expect("mapping");
        assert_eq!(get_str(map, "kind"), Some("Component"));
        let meta = map.get_mapping("metadata").expect("metadata");
        assert_eq!(meta.get_node("name").and_then(line_of), Some(7));
        assert_eq!(docs[2].start_line, 9);
        assert!(docs[2].root.as_ref().is_ok_and(|n| n.as_sequence().is_some()));
    }

    #[test]
    fn errors_carry_file_lines() {
        let docs = parse_documents("a: 1\n---\nb: [unclosed\nc: 2\n");
        assert_eq!(docs.len(), 2);
        let err = docs[1].root.as_ref().expect_err("broken");
        assert!(err.line >= 3, "{err:?}");
    }
}
