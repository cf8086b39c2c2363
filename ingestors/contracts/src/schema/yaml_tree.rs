//! YAML to [`Value`] with lines, straight from yaml-rust2's event stream.
//!
//! The same reader as the shared [`crate::yaml`] loader (one event parser,
//! the same leniency for flow collections closed under their key), building
//! schema values instead of marked nodes. Anchors, aliases and `<<` merge keys
//! (which hand-written OpenAPI and AsyncAPI files use for shared responses and
//! headers) are expanded; alias expansion is bounded (a "billion laughs" file
//! is an error, not an OOM). Only the first document of a stream is read.
//! Plain scalars are typed (null, booleans, numbers); quoted ones stay strings.

use super::tree::{Kind, ParseError, Value, MAX_DEPTH};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::yaml::MAX_ALIAS_NODES;

const ALIAS_TOO_LARGE: &str =
    "anchors and aliases expand to more than 1,000,000 nodes (a \"billion laughs\" document?); not read";

/// Parses the first document of a YAML stream. When the strict parse fails
/// and indenting flow continuation lines helps (see
/// [`crate::yaml::relax_flow_indentation`]), the relaxed text is read.
pub fn parse(content: &str) -> Result<Value, ParseError> {
    let strict = parse_strict(content);
    if strict.is_ok() {
        return strict;
    }
    match crate::yaml::relax_flow_indentation(content).map(|relaxed| parse_strict(&relaxed)) {
        Some(Ok(v)) => Ok(v),
        _ => strict,
    }
}

fn parse_strict(content: &str) -> Result<Value, ParseError> {
    let mut loader = Loader::default();
    let mut parser = Parser::new_from_str(content);
    if let Err(e) = parser.load(&mut loader, false) {
        return Err(ParseError { line: (e.marker().line() as u32).max(1), message: e.info().to_string() });
    }
    if let Some(e) = loader.error {
        return Err(e);
    }
    loader.root.ok_or_else(|| ParseError { line: 1, message: "empty document".into() })
}

enum Frame {
    Seq { line: u32, anchor: usize, items: Vec<Value> },
    Map { line: u32, anchor: usize, entries: Vec<(String, u32, Value)>, key: Option<(String, u32)> },
}

#[derive(Default)]
struct Loader {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    root: Option<Value>,
    error: Option<ParseError>,
    copied: usize,
}

fn count(v: &Value) -> usize {
    1 + match &v.kind {
        Kind::Seq(items) => items.iter().map(count).sum(),
        Kind::Map(entries) => entries.iter().map(|(_, _, v)| count(v)).sum(),
        _ => 0,
    }
}

/// Nesting depth of a value (a scalar is 0). Anchored values are built
/// within [`MAX_DEPTH`] (aliases included), so this recursion is bounded.
fn depth(v: &Value) -> usize {
    match &v.kind {
        Kind::Seq(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Kind::Map(entries) => 1 + entries.iter().map(|(_, _, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

fn scalar(text: String, style: TScalarStyle) -> Kind {
    if style != TScalarStyle::Plain {
        return Kind::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Kind::Null,
        "true" | "True" | "TRUE" => Kind::Bool(true),
        "false" | "False" | "FALSE" => Kind::Bool(false),
        t if is_number(t) => Kind::Number(text),
        _ => Kind::String(text),
    }
}

fn is_number(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    body.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.') && body.parse::<f64>().is_ok()
}

impl Loader {
    fn fail(&mut self, line: u32, message: &str) {
        if self.error.is_none() {
            self.error = Some(ParseError { line, message: message.to_string() });
        }
    }

    fn push(&mut self, v: Value) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(v);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(v),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let text = v.as_str().map(str::to_string).unwrap_or_else(|| {
                        if v.is_null() {
                            "null".into()
                        } else {
                            v.render()
                        }
                    });
                    *key = Some((text, v.line));
                }
                Some((k, kline)) => {
                    if k == "<<" {
                        // Merge key: copy entries that the mapping does not define itself.
                        let sources: Vec<Value> = match v.kind {
                            Kind::Map(_) => vec![v],
                            Kind::Seq(items) => items,
                            _ => Vec::new(),
                        };
                        for src in sources {
                            if let Kind::Map(src_entries) = src.kind {
                                for e in src_entries {
                                    if !entries.iter().any(|(n, _, _)| *n == e.0) {
                                        entries.push(e);
                                    }
                                }
                            }
                        }
                    } else if let Some(slot) = entries.iter_mut().find(|(n, _, _)| *n == k) {
                        *slot = (k, kline, v);
                    } else {
                        entries.push((k, kline, v));
                    }
                }
            },
        }
    }

    /// Keeps a copy of an anchored value; the copy counts against [`MAX_ALIAS_NODES`].
    fn anchor(&mut self, id: usize, v: &Value, line: u32) {
        if id > 0 {
            self.copied += count(v);
            if self.copied > MAX_ALIAS_NODES {
                self.fail(line, ALIAS_TOO_LARGE);
                return;
            }
            self.anchors.insert(id, v.clone());
        }
    }
}

impl MarkedEventReceiver for Loader {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() || (self.root.is_some() && self.stack.is_empty()) {
            return;
        }
        let line = (mark.line() as u32).max(1);
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                let v = Value { line, end_line: line, kind: scalar(text, style) };
                self.anchor(anchor, &v, line);
                self.push(v);
            }
            Event::Alias(id) => {
                // Measure before copying, so a huge expansion is refused without being built.
                let Some((n, d)) = self.anchors.get(&id).map(|v| (count(v), depth(v))) else {
                    self.fail(line, "alias to an unknown anchor");
                    return;
                };
                self.copied += n;
                if self.copied > MAX_ALIAS_NODES {
                    self.fail(line, ALIAS_TOO_LARGE);
                    return;
                }
                if self.stack.len() + d > MAX_DEPTH {
                    self.fail(line, &format!("aliases nest deeper than {MAX_DEPTH} levels; not read"));
                    return;
                }
                let Some(v) = self.anchors.get(&id).cloned() else { return };
                self.push(v);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(line, "nesting too deep");
                    return;
                }
                let frame = if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { line, anchor, items: Vec::new() }
                } else {
                    Frame::Map { line, anchor, entries: Vec::new(), key: None }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else { return };
                let (v, anchor) = match frame {
                    Frame::Seq { line, anchor, items } => {
                        let end = items.last().map(|v| v.end_line).unwrap_or(line);
                        (Value { line, end_line: end.max(line), kind: Kind::Seq(items) }, anchor)
                    }
                    Frame::Map { line, anchor, entries, .. } => {
                        let end = entries.last().map(|(_, _, v)| v.end_line).unwrap_or(line);
                        (Value { line, end_line: end.max(line), kind: Kind::Map(entries) }, anchor)
                    }
                };
                self.anchor(anchor, &v, line);
                self.push(v);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &err\n  description: failed\n  code: 1\nuse:\n  <<: *err\n  code: 2\nlist: [*err]\n";
        let v = parse(text).unwrap_or_else(|e| panic!("{e}"));
        let used = v.get("use").unwrap_or(&v);
        assert_eq!(used.str_at("description"), Some("failed"));
        assert_eq!(used.str_at("code"), Some("2"));
        assert_eq!(v.get("list").map(|l| l.items().len()), Some(1));
        assert_eq!(v.key_line("list"), Some(7));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(parse(&text).is_err());
    }

    #[test]
    fn flow_sequences_closed_under_their_key() {
        let text = "paths:\n  /a:\n    get:\n      tags: [\n        pets,\n        admin\n      ]\n      summary: x\n";
        let v = parse(text).unwrap_or_else(|e| panic!("{e}"));
        let get = v.get("paths").and_then(|p| p.get("/a")).and_then(|a| a.get("get"));
        assert_eq!(get.and_then(|g| g.get("tags")).map(|t| t.items().len()), Some(2));
        assert_eq!(get.and_then(|g| g.key_line("summary")), Some(8));
    }

    #[test]
    fn errors_have_lines() {
        let err = parse("a: 1\nb: [unclosed\nc: 2\n").err().map(|e| e.line);
        assert!(err.is_some_and(|l| l >= 2), "{err:?}");
    }
}
