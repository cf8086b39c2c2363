//! YAML with line numbers, shared by every YAML-based ingestor
//! (OpenAPI, AsyncAPI, Backstage catalog, compose, Kubernetes, CI workflows,
//! front matter).
//!
//! One reader for the whole workspace: `yaml-rust2`'s event parser (which
//! passes the whole yaml-test-suite; see BENCHMARKS.md) feeds this loader,
//! which builds `marked-yaml` nodes, and [`crate::schema::yaml_tree`], which
//! builds schema values. This loader reads multi-document streams, anchors,
//! aliases (bounded expansion), `<<` merge keys, tags (ignored) and complex
//! keys (rendered as text). A document that fails is reported with its line
//! and the documents after the next `---` are still read.
//!
//! Like libyaml and go-yaml (which Docker Compose and Kubernetes use), a
//! flow collection whose continuation lines are not indented past their parent
//! (a `command: [` closed by `]` under the key) is accepted: when the strict
//! parse fails, [`relax_flow_indentation`] indents those lines and the text is
//! read again, every line in place. A tab after `key:` is read as a space
//! the same way.

pub use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode, MarkedSequenceNode};
pub use marked_yaml::Node;

use marked_yaml::{Marker, Span};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker as YMarker, TScalarStyle};

/// Most nodes that anchors and alias expansion may copy in one document.
pub(crate) const MAX_ALIAS_NODES: usize = 1_000_000;
/// Deepest nesting read (aliases included).
const MAX_DEPTH: usize = 256;

/// One document of a YAML stream.
#[derive(Debug)]
pub struct Document {
    /// 1-based line where the document starts in the whole file: the line
    /// after its `---` (1 for the first document), comments included.
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

/// Parses the first document of a YAML text (front matter, single-document
/// files). An empty text is an empty mapping.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    match parse_documents(text).into_iter().next() {
        Some(doc) => doc.root,
        None => Ok(Node::from(MarkedMappingNode::new_empty(Span::new_start(Marker::new(0, 0, 1, 1))))),
    }
}

/// Parses a possibly multi-document YAML stream. Empty documents are skipped.
pub fn parse_documents(text: &str) -> Vec<Document> {
    let strict = parse_stream(text);
    if strict.iter().all(|d| d.root.is_ok()) {
        return strict;
    }
    match relax_flow_indentation(text) {
        Some(relaxed) => {
            let retry = parse_stream(&relaxed);
            let errors = |docs: &[Document]| docs.iter().filter(|d| d.root.is_err()).count();
            if errors(&retry) < errors(&strict) && retry.len() >= strict.len() {
                retry
            } else {
                strict
            }
        }
        None => strict,
    }
}

/// Parses a stream strictly; after an error, reading resumes at the next
/// `---` line.
fn parse_stream(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let (mut offset, mut line_offset, mut char_offset) = (0usize, 0usize, 0usize);
    loop {
        let rest = &text[offset..];
        let mut loader = Loader { line_offset, char_offset, ..Loader::default() };
        let result = Parser::new_from_str(rest).load(&mut loader, true);
        docs.append(&mut loader.docs);
        let Err(e) = result else { break };
        let line = (e.marker().line() + line_offset).max(1) as u32;
        let start_line = loader.doc_line.unwrap_or(line);
        docs.push(Document { start_line, root: Err(YamlError { line, message: e.info().to_string() }) });
        // Resume at the first document marker after the error line.
        let mut pos = offset;
        let mut n = line_offset;
        let mut next = None;
        for l in text[offset..].split_inclusive('\n') {
            n += 1;
            if n > line as usize && (l.trim_end() == "---" || l.starts_with("--- ")) {
                next = Some((pos, n - 1));
                break;
            }
            pos += l.len();
        }
        let Some((pos, lines_before)) = next else { break };
        char_offset += text[offset..pos].chars().count();
        offset = pos;
        line_offset = lines_before;
    }
    // A document's region starts after the `---` or `...` line before its
    // first node (comments above the content belong to it).
    let markers: Vec<u32> = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_end();
            t == "---" || t == "..." || l.starts_with("--- ")
        })
        .map(|(i, _)| i as u32 + 1)
        .collect();
    for doc in &mut docs {
        let before = markers.iter().rev().find(|m| **m < doc.start_line);
        doc.start_line = before.map_or(1, |m| m + 1);
    }
    docs
}

enum Frame {
    Seq { start: Marker, anchor: usize, items: Vec<Node> },
    Map { node: MarkedMappingNode, anchor: usize, key: Option<MarkedScalarNode> },
}

#[derive(Default)]
struct Loader {
    line_offset: usize,
    char_offset: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    copied: usize,
    /// Line of the current document's first node.
    doc_line: Option<u32>,
    root: Option<Node>,
    error: Option<YamlError>,
    docs: Vec<Document>,
}

fn count(n: &Node) -> usize {
    1 + match n {
        Node::Scalar(_) => 0,
        Node::Sequence(s) => s.iter().map(count).sum(),
        Node::Mapping(m) => m.values().map(count).sum(),
    }
}

fn depth(n: &Node) -> usize {
    match n {
        Node::Scalar(_) => 0,
        Node::Sequence(s) => 1 + s.iter().map(depth).max().unwrap_or(0),
        Node::Mapping(m) => 1 + m.values().map(depth).max().unwrap_or(0),
    }
}

/// A complex key (a sequence or mapping used as a key) as flow text.
fn render(n: &Node) -> String {
    match n {
        Node::Scalar(s) => s.as_str().to_string(),
        Node::Sequence(s) => format!("[{}]", s.iter().map(render).collect::<Vec<_>>().join(", ")),
        Node::Mapping(m) => {
            format!(
                "{{{}}}",
                m.iter().map(|(k, v)| format!("{}: {}", k.as_str(), render(v))).collect::<Vec<_>>().join(", ")
            )
        }
    }
}

fn is_empty_scalar(n: &Node) -> bool {
    matches!(n, Node::Scalar(s) if s.may_coerce() && matches!(s.as_str(), "" | "~"))
}

impl Loader {
    fn marker(&self, m: YMarker) -> Marker {
        Marker::new(0, m.index() + self.char_offset, m.line() + self.line_offset, m.col() + 1)
    }

    fn fail(&mut self, line: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError { line: line as u32, message });
        }
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { node: map, key, .. }) => match key.take() {
                None => {
                    let k = match node {
                        Node::Scalar(s) => s,
                        other => {
                            let mut span = Span::new_blank();
                            span.set_start(other.span().start().copied());
                            MarkedScalarNode::new(span, render(&other))
                        }
                    };
                    *key = Some(k);
                }
                Some(k) if k.as_str() == "<<" && k.may_coerce() => {
                    // Merge key: copy entries the mapping does not define itself.
                    let sources: Vec<Node> = match node {
                        Node::Mapping(m) => vec![Node::Mapping(m)],
                        Node::Sequence(s) => s.iter().cloned().collect(),
                        Node::Scalar(_) => Vec::new(),
                    };
                    for src in sources {
                        if let Node::Mapping(src) = src {
                            for (sk, sv) in src.iter() {
                                if !map.contains_key(sk) {
                                    map.insert(sk.clone(), sv.clone());
                                }
                            }
                        }
                    }
                }
                Some(k) => {
                    map.insert(k, node);
                }
            },
        }
    }

    fn anchor(&mut self, id: usize, node: &Node, line: usize) {
        if id == 0 {
            return;
        }
        self.copied += count(node);
        if self.copied > MAX_ALIAS_NODES {
            self.fail(line, too_large());
            return;
        }
        self.anchors.insert(id, node.clone());
    }

    fn finish_document(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.copied = 0;
        let root = self.root.take();
        let error = self.error.take();
        let start_line = self.doc_line.take().unwrap_or(1);
        match (root, error) {
            (_, Some(e)) => self.docs.push(Document { start_line, root: Err(e) }),
            (Some(root), None) if !is_empty_scalar(&root) => self.docs.push(Document { start_line, root: Ok(root) }),
            _ => {}
        }
    }
}

fn too_large() -> String {
    format!(
        "anchors and aliases expand to more than {MAX_ALIAS_NODES} nodes (a \"billion laughs\" document?); not read"
    )
}

impl MarkedEventReceiver for Loader {
    fn on_event(&mut self, ev: Event, mark: YMarker) {
        let m = self.marker(mark);
        let line = m.line();
        if matches!(ev, Event::DocumentEnd) {
            self.finish_document();
            return;
        }
        if self.error.is_some() {
            return;
        }
        if self.doc_line.is_none()
            && matches!(ev, Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_))
        {
            self.doc_line = Some(line as u32);
        }
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                let mut s = MarkedScalarNode::new(Span::new_start(m), text);
                s.set_coerce(style == TScalarStyle::Plain);
                let node = Node::from(s);
                self.anchor(anchor, &node, line);
                self.push(node);
            }
            Event::Alias(id) => {
                // Measure before copying, so a huge expansion is refused without being built.
                let Some((n, d)) = self.anchors.get(&id).map(|v| (count(v), depth(v))) else {
                    self.fail(line, "alias to an unknown anchor".into());
                    return;
                };
                self.copied += n;
                if self.copied > MAX_ALIAS_NODES {
                    self.fail(line, too_large());
                    return;
                }
                if self.stack.len() + d > MAX_DEPTH {
                    self.fail(line, format!("aliases nest deeper than {MAX_DEPTH} levels; not read"));
                    return;
                }
                if let Some(v) = self.anchors.get(&id).cloned() {
                    self.push(v);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(line, format!("nesting deeper than {MAX_DEPTH} levels; not read"));
                    return;
                }
                let frame = if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { start: m, anchor, items: Vec::new() }
                } else {
                    Frame::Map { node: MarkedMappingNode::new_empty(Span::new_start(m)), anchor, key: None }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else { return };
                let (node, anchor) = match frame {
                    Frame::Seq { start, anchor, items } => {
                        (Node::from(MarkedSequenceNode::new(Span::new_with_marks(start, m), items)), anchor)
                    }
                    Frame::Map { mut node, anchor, .. } => {
                        node.span_mut().set_end(Some(m));
                        (Node::from(node), anchor)
                    }
                };
                self.anchor(anchor, &node, line);
                self.push(node);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

/// Indents the continuation lines of flow collections (`[...]`, `{...}`)
/// past the column of their opening bracket and turns a tab after a `:` or an
/// entry's `-` into a space, keeping every line in place, the way libyaml and
/// go-yaml read them. Block scalars, quoted scalars and comments are left
/// alone. `None` when nothing needed changing.
pub(crate) fn relax_flow_indentation(text: &str) -> Option<String> {
    #[derive(PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut changed = false;
    let mut depth = 0usize;
    let mut opener_col = 0usize;
    let mut quote = Quote::None;
    let mut block_scalar: Option<usize> = None; // indentation of the line that opened a block scalar
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start_matches(' ').len();
        let blank = body.trim().is_empty();
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                out.push_str(line);
                continue;
            }
            block_scalar = None;
        }
        if body == "---" || body.starts_with("--- ") || body == "..." {
            depth = 0;
            quote = Quote::None;
            out.push_str(line);
            continue;
        }
        if depth > 0 && quote == Quote::None && !blank && indent <= opener_col {
            out.push_str(&" ".repeat(opener_col + 1 - indent));
            changed = true;
        }
        // Scan the line for flow brackets, quotes and comments.
        let mut chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        // Last significant character before the current one on this line (None at line start).
        let mut prev_sig: Option<char> = None;
        while i < chars.len() {
            let c = chars[i];
            let prev = if i == 0 { None } else { Some(chars[i - 1]) };
            match quote {
                Quote::Single => {
                    if c == '\'' {
                        if chars.get(i + 1) == Some(&'\'') {
                            i += 1;
                        } else {
                            quote = Quote::None;
                            prev_sig = Some(c);
                        }
                    }
                }
                Quote::Double => {
                    if c == '\\' {
                        i += 1;
                    } else if c == '"' {
                        quote = Quote::None;
                        prev_sig = Some(c);
                    }
                }
                Quote::None => {
                    let node_start = prev.is_none_or(|p| p == ' ' || p == '\t' || (depth > 0 && "[{,".contains(p)))
                        && prev_sig.is_none_or(|p| if depth > 0 { "[{,:?".contains(p) } else { ":-?".contains(p) });
                    if c == '#' && prev.is_none_or(|p| p == ' ' || p == '\t') {
                        break;
                    }
                    if c == ' ' || c == '\t' {
                        i += 1;
                        continue;
                    }
                    if (c == ':' || (c == '-' && depth == 0 && node_start))
                        && chars.get(i + 1) == Some(&'\t')
                        && scalar_follows(&chars[i + 1..])
                    {
                        // A tab separating a key from its scalar value (`key:<TAB>value`) or an
                        // entry from its dash; before a block collection a tab stays an error.
                        chars[i + 1] = ' ';
                        changed = true;
                    }
                    if node_start && c == '\'' {
                        quote = Quote::Single;
                    } else if node_start && c == '"' {
                        quote = Quote::Double;
                    } else if (c == '[' || c == '{') && (depth > 0 || node_start) {
                        if depth == 0 {
                            opener_col = i;
                        }
                        depth += 1;
                    } else if (c == ']' || c == '}') && depth > 0 {
                        depth -= 1;
                    } else if depth == 0 && node_start && (c == '|' || c == '>') {
                        block_scalar = Some(indent);
                    }
                    prev_sig = Some(c);
                }
            }
            i += 1;
        }
        out.extend(chars);
        out.push_str(&line[body.len()..]);
    }
    changed.then_some(out)
}

/// Whether the text after a separator starts a scalar or flow node (not a
/// block collection: `- x`, `? x` or `key: x`).
fn scalar_follows(rest: &[char]) -> bool {
    let rest: Vec<char> = rest.iter().copied().skip_while(|c| *c == ' ' || *c == '\t').collect();
    let indicator =
        |c: char| matches!(rest.first(), Some(f) if *f == c) && rest.get(1).is_none_or(|n| *n == ' ' || *n == '\t');
    if rest.is_empty() || indicator('-') || indicator('?') {
        return false;
    }
    if matches!(rest.first(), Some('"' | '\'' | '[' | '{')) {
        return true;
    }
    !rest.windows(2).any(|w| w[0] == ':' && (w[1] == ' ' || w[1] == '\t')) && rest.last() != Some(&':')
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
    fn errors_carry_file_lines_and_later_documents_are_read() {
        let docs = parse_documents("a: 1\n---\nb: [unclosed\nc: 2\n---\nd: 4\n");
        assert_eq!(docs.len(), 3, "{docs:?}");
        let err = docs[1].root.as_ref().expect_err("broken");
        assert!(err.line >= 3, "{err:?}");
        let third = docs[2].root.as_ref().expect("third doc parses");
        let d = third.as_mapping().and_then(|m| m.get_node("d"));
        assert_eq!(d.and_then(line_of), Some(6));
    }

    #[test]
    fn flow_sequence_closed_under_its_key() {
        let text =
            "services:\n  flagd:\n    command: [\n      \"start\",\n      \"--uri\"\n    ]\n    ports:\n      - 8013\n";
        assert!(relax_flow_indentation(text).is_some());
        let root = parse(text).unwrap_or_else(|e| panic!("{e}"));
        let flagd = root.as_mapping().and_then(|m| m.get_mapping("services")).and_then(|m| m.get_mapping("flagd"));
        let cmd = flagd.and_then(|m| m.get_sequence("command")).map(|s| s.len());
        assert_eq!(cmd, Some(2));
        assert_eq!(flagd.and_then(|m| m.get_node("ports")).and_then(line_of), Some(8));
    }

    #[test]
    fn tab_after_a_key_is_a_separator() {
        let root = parse("image:\tnginx\nports:\n-\t80\nnote: \"a:\tb\"\n").unwrap_or_else(|e| panic!("{e}"));
        let map = root.as_mapping().expect("mapping");
        assert_eq!(get_str(map, "image"), Some("nginx"));
        assert_eq!(map.get_sequence("ports").map(|s| s.len()), Some(1));
        assert_eq!(get_str(map, "note"), Some("a:\tb"), "quoted text is left alone");
    }

    #[test]
    fn relaxing_leaves_block_scalars_and_quotes_alone() {
        // Were any of these brackets read as opening a flow collection, `d:` would be indented.
        let text = "run: |\n  [ -f x ] && echo \"[\"\nb: 'it''s [x'\nc: a[0\ne: \"[\\\"\"\nd: 1\n";
        assert_eq!(relax_flow_indentation(text), None);
    }
}
