//! One document tree with line numbers for YAML and JSON contract files.
//!
//! OpenAPI, AsyncAPI and JSON Schema documents come as YAML or JSON; both
//! are read into [`Value`], which keeps the 1-based start and end line of
//! every node so facts and diff findings can point at the exact line. YAML
//! goes through [`super::yaml_tree`] (yaml-rust2 events, anchors resolved);
//! JSON through a small line-tracking parser here (serde_json does not
//! report positions of values). Scalars keep their
//! text: the specs only need strings, booleans and numbers as written.

/// Deepest nesting accepted before a document is rejected (stack safety).
pub const MAX_DEPTH: usize = 256;

/// A node of a parsed document.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    /// 1-based line where the node starts.
    pub line: u32,
    /// 1-based line where the node ends (same as `line` for scalars).
    pub end_line: u32,
    pub kind: Kind,
}

/// What a [`Value`] holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    /// A number as written (`1`, `2.50`).
    Number(String),
    String(String),
    Seq(Vec<Value>),
    /// Entries in document order; the `u32` is the key's line.
    Map(Vec<(String, u32, Value)>),
}

/// A syntax or structure error with its 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: u32,
    pub message: String,
}

impl Value {
    fn new(line: u32, end_line: u32, kind: Kind) -> Self {
        Value { line, end_line: end_line.max(line), kind }
    }
    /// `map[key]`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
    /// The line of `key` in this mapping.
    pub fn key_line(&self, key: &str) -> Option<u32> {
        match &self.kind {
            Kind::Map(entries) => entries.iter().find(|(k, _, _)| k == key).map(|(_, l, _)| *l),
            _ => None,
        }
    }
    /// Entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(String, u32, Value)] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }
    /// Items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Value] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }
    pub fn is_map(&self) -> bool {
        matches!(self.kind, Kind::Map(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }
    /// The text of a scalar (strings, numbers, booleans).
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) | Kind::Number(s) => Some(s),
            Kind::Bool(true) => Some("true"),
            Kind::Bool(false) => Some("false"),
            _ => None,
        }
    }
    /// A boolean, also accepting the strings `true` / `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s == "true" => Some(true),
            Kind::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }
    /// A number.
    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            Kind::Number(s) | Kind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    /// `map[key]` as text.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    /// `map[key]` as a boolean, `false` when absent.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }
    /// A compact one-line rendering of a scalar or small structure (enum
    /// values, defaults), used in attributes and diff messages.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out, 0);
        out
    }
    fn render_into(&self, out: &mut String, depth: usize) {
        if depth > 8 {
            out.push('…');
            return;
        }
        match &self.kind {
            Kind::Null => out.push_str("null"),
            Kind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Kind::Number(s) | Kind::String(s) => out.push_str(s),
            Kind::Seq(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.render_into(out, depth + 1);
                }
                out.push(']');
            }
            Kind::Map(entries) => {
                out.push('{');
                for (i, (k, _, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push_str(": ");
                    v.render_into(out, depth + 1);
                }
                out.push('}');
            }
        }
    }
}

/// Resolves a local JSON pointer (`#/components/schemas/Order`, `#` for the root).
pub fn pointer<'a>(root: &'a Value, ptr: &str) -> Option<&'a Value> {
    let ptr = ptr.strip_prefix('#')?;
    let mut cur = root;
    if ptr.is_empty() {
        return Some(cur);
    }
    let ptr = ptr.strip_prefix('/')?;
    for raw in ptr.split('/') {
        let seg = unescape_segment(raw);
        cur = match &cur.kind {
            Kind::Map(_) => cur.get(&seg)?,
            Kind::Seq(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Decodes `~1`, `~0` and `%XX` escapes of one JSON pointer segment.
pub fn unescape_segment(raw: &str) -> String {
    let decoded = percent_decode(raw);
    decoded.replace("~1", "/").replace("~0", "~")
}

/// Decodes `%XX` escapes (invalid escapes are kept as written).
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Whether a file is read as JSON: by extension, or by its first character.
pub fn looks_like_json(path: &str, content: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".json") || content.trim_start().starts_with('{')
}

/// Parses a YAML or JSON document (the first document of a YAML stream).
pub fn parse_document(path: &str, content: &str) -> Result<Value, ParseError> {
    if looks_like_json(path, content) {
        parse_json(content)
    } else {
        parse_yaml(content)
    }
}

/// Parses the first document of a YAML stream into a [`Value`] (anchors,
/// aliases and merge keys resolved; see [`super::yaml_tree`]).
pub fn parse_yaml(content: &str) -> Result<Value, ParseError> {
    std::panic::catch_unwind(|| super::yaml_tree::parse(content))
        .unwrap_or_else(|_| Err(ParseError { line: 1, message: "the YAML parser failed on this file".into() }))
}

/// Parses a JSON text into a [`Value`] with lines.
pub fn parse_json(content: &str) -> Result<Value, ParseError> {
    let mut p = JsonParser { bytes: content.as_bytes(), pos: 0, line: 1 };
    // A UTF-8 byte order mark is tolerated.
    if p.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        p.pos = 3;
    }
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("unexpected text after the JSON value"));
    }
    Ok(v)
}

struct JsonParser<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
}

impl JsonParser<'_> {
    fn error(&self, message: &str) -> ParseError {
        ParseError { line: self.line, message: message.to_string() }
    }
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
    }
    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        let line = self.line;
        match self.bytes.get(self.pos) {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => {
                self.pos += 1;
                let mut entries = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(Value::new(line, self.line, Kind::Map(entries)));
                }
                loop {
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(self.error("expected a string key"));
                    }
                    let kline = self.line;
                    let key = self.string()?;
                    self.skip_ws();
                    if self.bytes.get(self.pos) != Some(&b':') {
                        return Err(self.error("expected ':' after a key"));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let v = self.value(depth + 1)?;
                    // Duplicate keys: the last one wins, as in most JSON readers.
                    if let Some(slot) = entries.iter_mut().find(|(k, _, _)| *k == key) {
                        *slot = (key, kline, v);
                    } else {
                        entries.push((key, kline, v));
                    }
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(Value::new(line, self.line, Kind::Map(entries)));
                        }
                        _ => return Err(self.error("expected ',' or '}'")),
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(Value::new(line, self.line, Kind::Seq(items)));
                }
                loop {
                    self.skip_ws();
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Value::new(line, self.line, Kind::Seq(items)));
                        }
                        _ => return Err(self.error("expected ',' or ']'")),
                    }
                }
            }
            Some(b'"') => {
                let s = self.string()?;
                Ok(Value::new(line, self.line, Kind::String(s)))
            }
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while let Some(&b) = self.bytes.get(self.pos) {
                    if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E') {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                let text = std::str::from_utf8(&self.bytes[start..self.pos]).unwrap_or("0");
                if text.parse::<f64>().is_err() {
                    return Err(self.error("invalid number"));
                }
                Ok(Value::new(line, line, Kind::Number(text.to_string())))
            }
            Some(_) => Err(self.error("unexpected character")),
        }
    }
    fn literal(&mut self, word: &str, kind: Kind) -> Result<Value, ParseError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value::new(self.line, self.line, kind))
        } else {
            Err(self.error("unexpected literal"))
        }
    }
    /// Reads a string starting at the opening quote.
    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            self.pos += 1;
            match b {
                b'"' => break,
                b'\n' => return Err(self.error("line break inside a string")),
                b'\\' => {
                    let Some(&e) = self.bytes.get(self.pos) else {
                        return Err(self.error("unterminated escape"));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.bytes[self.pos..].starts_with(b"\\u") {
                                self.pos += 2;
                                let low = self.hex4()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                                }
                            }
                            let c = char::from_u32(code).unwrap_or('\u{FFFD}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                _ => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8 in string"))
    }
    fn hex4(&mut self) -> Result<u32, ParseError> {
        let hex = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(hex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_lines_and_escapes() {
        let v = parse_json("{\n  \"a\": 1,\n  \"b\": {\n    \"c~/d\": \"x\\u00e9\\\"\"\n  }\n}\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.key_line("b"), Some(3));
        let b = v.get("b").map(|b| (b.line, b.end_line));
        assert_eq!(b, Some((3, 5)));
        assert_eq!(pointer(&v, "#/b/c~0~1d").and_then(Value::as_str), Some("xé\""));
        assert_eq!(v.get("a").map(|a| a.kind.clone()), Some(Kind::Number("1".into())));
    }

    #[test]
    fn json_errors_carry_lines() {
        let err = parse_json("{\n  \"a\": 1,\n  \"b\" 2\n}").err().map(|e| e.line);
        assert_eq!(err, Some(3));
        assert!(parse_json(&"[".repeat(1000)).is_err());
    }

    #[test]
    fn yaml_scalars_are_typed_only_when_plain() {
        let v = parse_yaml("a: true\nb: 'true'\nc: ~\nd: 1.5\ne: \"null\"\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.get("a").map(|x| x.kind.clone()), Some(Kind::Bool(true)));
        assert_eq!(v.get("b").map(|x| x.kind.clone()), Some(Kind::String("true".into())));
        assert!(v.get("c").is_some_and(Value::is_null));
        assert_eq!(v.get("d").map(|x| x.kind.clone()), Some(Kind::Number("1.5".into())));
        assert_eq!(v.get("e").and_then(Value::as_str), Some("null"));
        assert_eq!(v.key_line("e"), Some(5));
    }

    #[test]
    fn percent_escapes_in_pointers() {
        assert_eq!(unescape_segment("a%7Bb%7D~1c"), "a{b}/c");
        assert_eq!(unescape_segment("100%"), "100%");
    }
}
