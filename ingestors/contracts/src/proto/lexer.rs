//! Tokenizer for `.proto` files (proto2, proto3 and editions).
//!
//! Produces identifiers (dotted names such as `google.protobuf.Empty` or
//! `.acme.v1.Order` are one token), integer and float literals, string
//! literals (escapes decoded), and single-character symbols, each with its
//! 1-based line. Comments are dropped, but the comment block directly above
//! a token (no blank line between) is kept as that token's `doc`. Lexing
//! never fails: a stray character becomes an [`Tok::Error`] token that the
//! parser reports.

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// Identifier or dotted name, possibly starting with `.`.
    Ident(String),
    /// Integer literal as written (decimal, hex or octal).
    Int(String),
    /// Float literal as written.
    Float(String),
    /// String literal, escapes decoded.
    Str(String),
    /// Punctuation: `{ } [ ] ( ) < > ; , = : - + / .`.
    Sym(char),
    /// Something the lexer could not read (an unterminated string, a stray byte).
    Error(String),
}

/// A token with its line and the comment directly above it.
#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: u32,
    pub doc: Option<String>,
}

impl Token {
    /// The token as it would be written back (for option values).
    pub fn text(&self) -> String {
        match &self.tok {
            Tok::Ident(s) | Tok::Int(s) | Tok::Float(s) => s.clone(),
            Tok::Str(s) => format!("{s:?}"),
            Tok::Sym(c) => c.to_string(),
            Tok::Error(s) => s.clone(),
        }
    }
}

/// Splits `src` into tokens.
pub fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0usize;
    let mut line = 1u32;
    // Pending doc comment: text and the line it ended on.
    let mut doc: Option<(String, u32)> = None;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            let start = i + 2;
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            // A comment after a token on the same line trails that token: not a doc.
            if out.last().is_none_or(|t: &Token| t.line != line) {
                push_doc(&mut doc, text.trim(), line);
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start_line = line;
            let start = i + 2;
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            if i >= chars.len() {
                out.push(Token { tok: Tok::Error("unterminated block comment".into()), line: start_line, doc: None });
                break;
            }
            let text: String = chars[start..i].iter().collect();
            i += 2;
            let cleaned: Vec<&str> = text.lines().map(|l| l.trim().trim_start_matches('*').trim()).collect();
            push_doc(&mut doc, cleaned.join("\n").trim(), line);
            continue;
        }
        let tok_line = line;
        let this_doc = match doc.take() {
            Some((text, end)) if end + 1 >= tok_line && !text.is_empty() => Some(text),
            _ => None,
        };
        let tok = if c.is_ascii_alphabetic() || c == '_' || (c == '.' && next_is_ident_start(&chars, i + 1)) {
            let start = i;
            i += 1;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == '.' && next_is_ident_start(&chars, i + 1)))
            {
                i += 1;
            }
            Tok::Ident(chars[start..i].iter().collect())
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            lex_number(&chars, &mut i)
        } else if c == '"' || c == '\'' {
            lex_string(&chars, &mut i, &mut line)
        } else if "{}[]()<>;,=:-+/.".contains(c) {
            i += 1;
            Tok::Sym(c)
        } else {
            i += 1;
            Tok::Error(format!("unexpected character {c:?}"))
        };
        out.push(Token { tok, line: tok_line, doc: this_doc });
    }
    out
}

fn push_doc(doc: &mut Option<(String, u32)>, text: &str, end_line: u32) {
    match doc {
        Some((prev, prev_end)) if *prev_end + 1 >= end_line => {
            if !text.is_empty() {
                if !prev.is_empty() {
                    prev.push('\n');
                }
                prev.push_str(text);
            }
            *prev_end = end_line;
        }
        _ => *doc = Some((text.to_string(), end_line)),
    }
}

fn next_is_ident_start(chars: &[char], i: usize) -> bool {
    chars.get(i).is_some_and(|c| c.is_ascii_alphabetic() || *c == '_')
}

fn lex_number(chars: &[char], i: &mut usize) -> Tok {
    let start = *i;
    let mut float = false;
    if chars[*i] == '0' && matches!(chars.get(*i + 1), Some('x' | 'X')) {
        *i += 2;
        while *i < chars.len() && chars[*i].is_ascii_hexdigit() {
            *i += 1;
        }
        return Tok::Int(chars[start..*i].iter().collect());
    }
    while *i < chars.len() {
        let c = chars[*i];
        if c.is_ascii_digit() {
            *i += 1;
        } else if c == '.' {
            float = true;
            *i += 1;
        } else if (c == 'e' || c == 'E')
            && chars.get(*i + 1).is_some_and(|n| n.is_ascii_digit() || *n == '-' || *n == '+')
        {
            float = true;
            *i += 2;
        } else if c.is_ascii_alphabetic() || c == '_' {
            // `1f` is not valid proto; swallow it into the literal so the parser reports it once.
            *i += 1;
            float = true;
        } else {
            break;
        }
    }
    let text: String = chars[start..*i].iter().collect();
    if float {
        Tok::Float(text)
    } else {
        Tok::Int(text)
    }
}

fn lex_string(chars: &[char], i: &mut usize, line: &mut u32) -> Tok {
    let quote = chars[*i];
    *i += 1;
    let mut s = String::new();
    while *i < chars.len() {
        let c = chars[*i];
        if c == quote {
            *i += 1;
            return Tok::Str(s);
        }
        if c == '\n' {
            return Tok::Error("unterminated string literal".into());
        }
        if c == '\\' {
            *i += 1;
            let Some(&e) = chars.get(*i) else { break };
            *i += 1;
            match e {
                'n' => s.push('\n'),
                't' => s.push('\t'),
                'r' => s.push('\r'),
                'a' => s.push('\u{7}'),
                'b' => s.push('\u{8}'),
                'f' => s.push('\u{c}'),
                'v' => s.push('\u{b}'),
                'x' | 'X' => {
                    let v = take_digits(chars, i, 16, 2);
                    s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                'u' => {
                    let v = take_digits(chars, i, 16, 4);
                    s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                'U' => {
                    let v = take_digits(chars, i, 16, 8);
                    s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                '0'..='7' => {
                    *i -= 1;
                    let v = take_digits(chars, i, 8, 3);
                    s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                }
                other => s.push(other),
            }
            continue;
        }
        s.push(c);
        *i += 1;
    }
    // Only reached at end of input.
    let _ = line;
    Tok::Error("unterminated string literal".into())
}

fn take_digits(chars: &[char], i: &mut usize, radix: u32, max: usize) -> u32 {
    let mut v = 0u32;
    let mut n = 0;
    while n < max {
        match chars.get(*i).and_then(|c| c.to_digit(radix)) {
            Some(d) => {
                v = v.saturating_mul(radix).saturating_add(d);
                *i += 1;
                n += 1;
            }
            None => break,
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_lines_and_docs() {
        let toks = tokenize("// The order.\nmessage Order { // trailing\n  .acme.v1.Money total = 1 [default = -1.5e3];\n string s = 2 [json_name = 'x\\x41'];\n}");
        assert_eq!(toks[0].tok, Tok::Ident("message".into()));
        assert_eq!(toks[0].doc.as_deref(), Some("The order."));
        assert_eq!(toks[3].tok, Tok::Ident(".acme.v1.Money".into()));
        assert_eq!(toks[3].line, 3);
        assert!(toks.iter().any(|t| t.tok == Tok::Float("1.5e3".into())));
        assert!(toks.iter().any(|t| t.tok == Tok::Str("xA".into())));
    }

    #[test]
    fn unterminated_string_is_an_error_token() {
        let toks = tokenize("option x = \"abc\nmessage A {}");
        assert!(toks.iter().any(|t| matches!(t.tok, Tok::Error(_))));
        assert!(toks.iter().any(|t| t.tok == Tok::Ident("message".into())));
    }
}
