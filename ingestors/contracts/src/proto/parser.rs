//! Recursive-descent parser for `.proto` files (proto2, proto3, editions).
//!
//! Error recovery: a statement that does not parse is reported as a
//! [`ParseError`] with its line and skipped up to the next `;` or the end of
//! the enclosing block (`}`), so one bad line costs only that declaration.
//! The parser never panics and always returns a [`ProtoFile`].

use super::ast::*;
use super::lexer::{tokenize, Tok, Token};

/// Parses a whole file.
pub fn parse(src: &str) -> ProtoFile {
    let mut p = Parser { toks: tokenize(src), pos: 0, file: ProtoFile::default() };
    p.file_body();
    p.file
}

type PResult<T> = Result<T, ParseError>;

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    file: ProtoFile,
}

/// Keeps the parser from recursing without bound on hostile input.
const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }
    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.toks.get(self.pos + n).map(|t| &t.tok)
    }
    fn line(&self) -> u32 {
        self.toks.get(self.pos).or_else(|| self.toks.last()).map(|t| t.line).unwrap_or(1)
    }
    fn prev_line(&self) -> u32 {
        if self.pos == 0 {
            return 1;
        }
        self.toks.get(self.pos - 1).map(|t| t.line).unwrap_or(1)
    }
    fn doc(&self) -> Option<String> {
        self.toks.get(self.pos).and_then(|t| t.doc.clone())
    }
    fn err<T>(&self, message: impl Into<String>) -> PResult<T> {
        let found = match self.toks.get(self.pos) {
            Some(t) => match &t.tok {
                Tok::Error(e) => e.clone(),
                _ => format!("found `{}`", t.text()),
            },
            None => "found end of file".to_string(),
        };
        Err(ParseError { line: self.line(), message: format!("{}, {found}", message.into()) })
    }
    fn is_sym(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Sym(c))
    }
    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == kw)
    }
    fn eat_sym(&mut self, c: char) -> bool {
        if self.is_sym(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect_sym(&mut self, c: char) -> PResult<()> {
        if self.eat_sym(c) {
            Ok(())
        } else {
            self.err(format!("expected `{c}`"))
        }
    }
    fn ident(&mut self) -> PResult<String> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.pos += 1;
                Ok(s)
            }
            _ => self.err("expected a name"),
        }
    }
    /// A type reference; a name broken over lines (`a.b.Enum\n    .Value`) is joined.
    fn type_ref(&mut self) -> PResult<String> {
        let mut s = self.ident()?;
        while let Some(Tok::Ident(next)) = self.peek() {
            if !next.starts_with('.') {
                break;
            }
            s.push_str(next);
            self.pos += 1;
        }
        Ok(s)
    }
    /// A simple (undotted) identifier.
    fn simple_ident(&mut self) -> PResult<String> {
        let line = self.line();
        let s = self.ident()?;
        if s.contains('.') {
            return Err(ParseError { line, message: format!("expected a simple name, found `{s}`") });
        }
        Ok(s)
    }
    fn string(&mut self) -> PResult<String> {
        let mut out = match self.peek() {
            Some(Tok::Str(s)) => s.clone(),
            _ => return self.err("expected a string"),
        };
        self.pos += 1;
        // Adjacent literals concatenate.
        while let Some(Tok::Str(s)) = self.peek() {
            out.push_str(s);
            self.pos += 1;
        }
        Ok(out)
    }
    fn int(&mut self) -> PResult<i64> {
        let neg = self.eat_sym('-');
        let line = self.line();
        match self.peek() {
            Some(Tok::Int(s)) => {
                let v = parse_int(s).ok_or_else(|| ParseError { line, message: format!("bad integer `{s}`") })?;
                self.pos += 1;
                Ok(if neg { -v } else { v })
            }
            _ => self.err("expected an integer"),
        }
    }

    /// Skips to just after the next `;` or to the `}` that closes the current
    /// block (not consumed), skipping whole nested blocks.
    fn recover(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t {
                Tok::Sym(';') if depth == 0 => {
                    self.pos += 1;
                    return;
                }
                Tok::Sym('{') => depth += 1,
                Tok::Sym('}') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn report(&mut self, e: ParseError) {
        self.file.errors.push(e);
        self.recover();
    }

    fn file_body(&mut self) {
        while self.peek().is_some() {
            let start = self.pos;
            if let Err(e) = self.top_statement() {
                self.report(e);
            }
            if self.pos == start {
                // A stray `}` at top level: report and skip it so we always progress.
                let e = ParseError { line: self.line(), message: "unexpected `}`".into() };
                self.file.errors.push(e);
                self.pos += 1;
            }
        }
    }

    fn top_statement(&mut self) -> PResult<()> {
        let doc = self.doc();
        let line = self.line();
        let Some(Tok::Ident(kw)) = self.peek().cloned() else {
            if self.eat_sym(';') {
                return Ok(());
            }
            return self.err("expected a declaration");
        };
        if is_visibility(&kw, self.peek_at(1)) {
            // Edition 2024 `local` / `export` before `message` / `enum`; the doc comment moves on.
            self.pos += 1;
            if let Some(t) = self.toks.get_mut(self.pos) {
                t.doc = t.doc.take().or(doc);
            }
            return self.top_statement();
        }
        match kw.as_str() {
            "syntax" => {
                self.pos += 1;
                self.expect_sym('=')?;
                let v = self.string()?;
                self.expect_sym(';')?;
                self.file.syntax = match v.as_str() {
                    "proto3" => Syntax::Proto3,
                    "proto2" => Syntax::Proto2,
                    other => return Err(ParseError { line, message: format!("unknown syntax `{other}`") }),
                };
                self.file.syntax_declared = true;
            }
            "edition" => {
                self.pos += 1;
                self.expect_sym('=')?;
                let v = self.string()?;
                self.expect_sym(';')?;
                self.file.syntax = Syntax::Editions(v);
                self.file.syntax_declared = true;
            }
            "package" => {
                self.pos += 1;
                let name = self.ident()?;
                self.expect_sym(';')?;
                self.file.package = Some(name);
                self.file.package_line = line;
            }
            "import" => {
                self.pos += 1;
                let kind = if self.is_kw("public") {
                    self.pos += 1;
                    ImportKind::Public
                } else if self.is_kw("weak") {
                    self.pos += 1;
                    ImportKind::Weak
                } else if self.is_kw("option") {
                    // Edition 2024: imported only for its custom options.
                    self.pos += 1;
                    ImportKind::Option
                } else {
                    ImportKind::Normal
                };
                let path = self.string()?;
                self.expect_sym(';')?;
                self.file.imports.push(Import { path, kind, line });
            }
            "option" => {
                let o = self.option_statement()?;
                self.file.options.push(o);
            }
            "message" => {
                let m = self.message(doc, 0)?;
                self.file.messages.push(m);
            }
            "enum" => {
                let e = self.enum_decl(doc)?;
                self.file.enums.push(e);
            }
            "service" => {
                let s = self.service(doc)?;
                self.file.services.push(s);
            }
            "extend" => {
                let mut nested = Vec::new();
                let x = self.extend(0, &mut nested)?;
                self.file.extends.push(x);
                self.file.messages.extend(nested);
            }
            other => return self.err(format!("unknown declaration `{other}`")),
        }
        Ok(())
    }

    /// `option name = value ;`
    fn option_statement(&mut self) -> PResult<OptionDecl> {
        self.pos += 1; // option
        let o = self.option_assignment()?;
        self.expect_sym(';')?;
        Ok(o)
    }

    /// `name = value` where name is `ident`, `(ext.name)` or `(ext).sub.field`.
    fn option_assignment(&mut self) -> PResult<OptionDecl> {
        let line = self.line();
        let mut name = String::new();
        loop {
            if self.eat_sym('(') {
                let inner = self.ident()?;
                self.expect_sym(')')?;
                if !name.is_empty() && !name.ends_with('.') {
                    name.push('.');
                }
                name.push('(');
                name.push_str(&inner);
                name.push(')');
            } else {
                let part = self.ident()?;
                if !name.is_empty() && !part.starts_with('.') {
                    name.push('.');
                }
                name.push_str(&part);
            }
            if self.is_sym('=') {
                break;
            }
            if self.is_sym('.') && self.peek_at(1) == Some(&Tok::Sym('(')) {
                // `features.(pb.java).utf8_validation`
                self.pos += 1;
                name.push('.');
                continue;
            }
            match self.peek() {
                Some(Tok::Ident(s)) if s.starts_with('.') => continue,
                Some(Tok::Sym('(')) => continue,
                _ => return self.err("expected `=` in option"),
            }
        }
        self.expect_sym('=')?;
        let value = self.option_value(0)?;
        Ok(OptionDecl { name, value, line })
    }

    /// A constant, or an aggregate `{ ... }` kept as text.
    fn option_value(&mut self, depth: usize) -> PResult<String> {
        if depth > MAX_DEPTH {
            return self.err("option value nested too deeply");
        }
        if self.is_sym('{') {
            return self.aggregate();
        }
        let mut out = String::new();
        if self.eat_sym('-') {
            out.push('-');
        } else if self.eat_sym('+') {
        }
        match self.peek().cloned() {
            Some(Tok::Ident(s)) | Some(Tok::Int(s)) | Some(Tok::Float(s)) => {
                self.pos += 1;
                out.push_str(&s);
                Ok(out)
            }
            Some(Tok::Str(_)) => {
                let s = self.string()?;
                Ok(format!("{s:?}"))
            }
            _ => self.err("expected an option value"),
        }
    }

    /// A text-format aggregate value, kept as space-joined token text.
    fn aggregate(&mut self) -> PResult<String> {
        let start_line = self.line();
        let mut depth = 0usize;
        let mut parts = Vec::new();
        while let Some(t) = self.toks.get(self.pos) {
            match t.tok {
                Tok::Sym('{') => depth += 1,
                Tok::Sym('}') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        parts.push("}".to_string());
                        self.pos += 1;
                        return Ok(parts.join(" "));
                    }
                }
                _ => {}
            }
            parts.push(t.text());
            self.pos += 1;
        }
        Err(ParseError { line: start_line, message: "unterminated aggregate option value".into() })
    }

    /// `[a = 1, (b).c = { ... }]`
    fn field_options(&mut self) -> PResult<Vec<OptionDecl>> {
        let mut out = Vec::new();
        if !self.eat_sym('[') {
            return Ok(out);
        }
        loop {
            out.push(self.option_assignment()?);
            if self.eat_sym(',') {
                continue;
            }
            self.expect_sym(']')?;
            return Ok(out);
        }
    }

    fn message(&mut self, doc: Option<String>, depth: usize) -> PResult<Message> {
        if depth > MAX_DEPTH {
            return self.err("messages nested too deeply");
        }
        let line = self.line();
        self.pos += 1; // message
        let name = self.simple_ident()?;
        self.expect_sym('{')?;
        let mut m = new_message(name, line, doc);
        self.message_body(&mut m, depth)?;
        Ok(m)
    }

    /// Statements up to and including the closing `}`.
    fn message_body(&mut self, m: &mut Message, depth: usize) -> PResult<()> {
        loop {
            if self.eat_sym('}') {
                m.end_line = self.prev_line();
                return Ok(());
            }
            if self.peek().is_none() {
                return Err(ParseError {
                    line: m.line,
                    message: format!("message `{}` is not closed with `}}`", m.name),
                });
            }
            let start = self.pos;
            if let Err(e) = self.message_statement(m, None, depth) {
                self.report(e);
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
    }

    fn message_statement(&mut self, m: &mut Message, oneof: Option<&str>, depth: usize) -> PResult<()> {
        let doc = self.doc();
        if self.eat_sym(';') {
            return Ok(());
        }
        let Some(Tok::Ident(kw)) = self.peek().cloned() else {
            return self.err("expected a field or declaration");
        };
        if is_visibility(&kw, self.peek_at(1)) {
            self.pos += 1;
            if let Some(t) = self.toks.get_mut(self.pos) {
                t.doc = t.doc.take().or(doc);
            }
            return self.message_statement(m, oneof, depth);
        }
        let next = self.peek_at(1).cloned();
        let next2 = self.peek_at(2).cloned();
        let named_block = matches!(next, Some(Tok::Ident(_))) && next2 == Some(Tok::Sym('{'));
        match kw.as_str() {
            "message" if named_block => {
                let inner = self.message(doc, depth + 1)?;
                m.messages.push(inner);
            }
            "enum" if named_block => {
                let e = self.enum_decl(doc)?;
                m.enums.push(e);
            }
            "extend" if oneof.is_none() && matches!(next, Some(Tok::Ident(_))) => {
                let x = self.extend(depth + 1, &mut m.messages)?;
                m.extends.push(x);
            }
            "oneof" if oneof.is_none() && named_block => {
                let line = self.line();
                self.pos += 1;
                let name = self.simple_ident()?;
                self.expect_sym('{')?;
                m.oneofs.push(Oneof { name: name.clone(), line });
                loop {
                    if self.eat_sym('}') {
                        break;
                    }
                    if self.peek().is_none() {
                        return Err(ParseError { line, message: format!("oneof `{name}` is not closed with `}}`") });
                    }
                    let start = self.pos;
                    if self.is_kw("option") && self.peek_at(1) != Some(&Tok::Sym('=')) {
                        match self.option_statement() {
                            Ok(_) => {}
                            Err(e) => self.report(e),
                        }
                    } else if let Err(e) = self.message_statement(m, Some(&name), depth) {
                        self.report(e);
                    }
                    if self.pos == start {
                        self.pos += 1;
                    }
                }
            }
            "option" if next != Some(Tok::Sym('=')) && oneof.is_none() => {
                let o = self.option_statement()?;
                m.options.push(o);
            }
            "reserved" if !matches!(next, Some(Tok::Sym('='))) && !is_field_start(&next, &next2) => {
                self.pos += 1;
                let r = self.reserved_body()?;
                m.reserved.ranges.extend(r.ranges);
                m.reserved.names.extend(r.names);
            }
            "extensions" if matches!(next, Some(Tok::Int(_))) => {
                self.pos += 1;
                let r = self.ranges()?;
                let _ = self.field_options()?;
                self.expect_sym(';')?;
                m.extension_ranges.extend(r);
            }
            _ => {
                let f = self.field(oneof, doc, depth, &mut m.messages)?;
                m.fields.push(f);
            }
        }
        Ok(())
    }

    /// `reserved 2, 15, 9 to 11, 40 to max;` or `reserved "foo", "bar";` or (editions) `reserved foo, bar;`.
    fn reserved_body(&mut self) -> PResult<Reserved> {
        let mut r = Reserved::default();
        match self.peek() {
            Some(Tok::Str(_)) | Some(Tok::Ident(_)) => loop {
                let name = match self.peek() {
                    Some(Tok::Str(_)) => self.string()?,
                    _ => self.simple_ident()?,
                };
                r.names.push(name);
                if self.eat_sym(',') {
                    continue;
                }
                self.expect_sym(';')?;
                return Ok(r);
            },
            _ => {
                r.ranges = self.ranges()?;
                self.expect_sym(';')?;
                Ok(r)
            }
        }
    }

    fn ranges(&mut self) -> PResult<Vec<(i64, i64)>> {
        let mut out = Vec::new();
        loop {
            let lo = self.int()?;
            let hi = if self.is_kw("to") {
                self.pos += 1;
                if self.is_kw("max") {
                    self.pos += 1;
                    i64::MAX
                } else {
                    self.int()?
                }
            } else {
                lo
            };
            out.push((lo, hi));
            if !self.eat_sym(',') {
                return Ok(out);
            }
        }
    }

    /// A field, a map field or a proto2 group. Group bodies are pushed to `nested`.
    fn field(
        &mut self,
        oneof: Option<&str>,
        doc: Option<String>,
        depth: usize,
        nested: &mut Vec<Message>,
    ) -> PResult<Field> {
        let line = self.line();
        let label = match self.peek() {
            Some(Tok::Ident(s)) if s == "optional" && !self.label_is_type() => Label::Optional,
            Some(Tok::Ident(s)) if s == "required" && !self.label_is_type() => Label::Required,
            Some(Tok::Ident(s)) if s == "repeated" && !self.label_is_type() => Label::Repeated,
            _ => Label::None,
        };
        if label != Label::None {
            self.pos += 1;
        }
        // map<K, V>
        if self.is_kw("map") && self.peek_at(1) == Some(&Tok::Sym('<')) {
            self.pos += 2;
            let k = self.ident()?;
            self.expect_sym(',')?;
            let v = self.type_ref()?;
            self.expect_sym('>')?;
            let name = self.simple_ident()?;
            self.expect_sym('=')?;
            let number = self.int()?;
            let options = self.field_options()?;
            self.expect_sym(';')?;
            return Ok(Field {
                name,
                number,
                label,
                type_name: v.clone(),
                map: Some((k, v)),
                oneof: oneof.map(str::to_string),
                group: false,
                options,
                line,
                doc,
            });
        }
        // group Name = N { ... }
        if self.is_kw("group")
            && matches!(self.peek_at(1), Some(Tok::Ident(_)))
            && self.peek_at(2) == Some(&Tok::Sym('='))
        {
            self.pos += 1;
            let gname = self.simple_ident()?;
            self.expect_sym('=')?;
            let number = self.int()?;
            let options = self.field_options()?;
            self.expect_sym('{')?;
            let mut body = new_message(gname.clone(), line, doc.clone());
            body.is_group = true;
            if depth > MAX_DEPTH {
                return self.err("groups nested too deeply");
            }
            self.message_body(&mut body, depth + 1)?;
            nested.push(body);
            return Ok(Field {
                name: gname.to_ascii_lowercase(),
                number,
                label,
                type_name: gname,
                map: None,
                oneof: oneof.map(str::to_string),
                group: true,
                options,
                line,
                doc,
            });
        }
        let type_name = match self.peek() {
            Some(Tok::Ident(_)) => self.type_ref()?,
            _ => return self.err("expected a field type"),
        };
        let name = self.simple_ident()?;
        self.expect_sym('=')?;
        let number = self.int()?;
        let options = self.field_options()?;
        self.expect_sym(';')?;
        Ok(Field {
            name,
            number,
            label,
            type_name,
            map: None,
            oneof: oneof.map(str::to_string),
            group: false,
            options,
            line,
            doc,
        })
    }

    /// `optional foo = 1;` has a type named `optional`? Only when the token
    /// after next is `=`: `optional = 1` is not valid, `optional int32 x = 1` has 4 tokens.
    fn label_is_type(&self) -> bool {
        matches!(self.peek_at(1), Some(Tok::Ident(_))) && self.peek_at(2) == Some(&Tok::Sym('='))
    }

    fn extend(&mut self, depth: usize, nested: &mut Vec<Message>) -> PResult<Extend> {
        let line = self.line();
        self.pos += 1; // extend
        let extendee = self.type_ref()?;
        self.expect_sym('{')?;
        let mut fields = Vec::new();
        loop {
            if self.eat_sym('}') {
                break;
            }
            if self.peek().is_none() {
                return Err(ParseError { line, message: format!("extend `{extendee}` is not closed with `}}`") });
            }
            let start = self.pos;
            let doc = self.doc();
            if self.eat_sym(';') {
                continue;
            }
            match self.field(None, doc, depth, nested) {
                Ok(f) => fields.push(f),
                Err(e) => self.report(e),
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
        Ok(Extend { extendee, fields, line })
    }

    fn enum_decl(&mut self, doc: Option<String>) -> PResult<Enum> {
        let line = self.line();
        self.pos += 1; // enum
        let name = self.simple_ident()?;
        self.expect_sym('{')?;
        let mut e = Enum {
            name,
            values: Vec::new(),
            reserved: Reserved::default(),
            options: Vec::new(),
            line,
            end_line: line,
            doc,
        };
        loop {
            if self.eat_sym('}') {
                e.end_line = self.prev_line();
                return Ok(e);
            }
            if self.peek().is_none() {
                return Err(ParseError { line, message: format!("enum `{}` is not closed with `}}`", e.name) });
            }
            let start = self.pos;
            if let Err(err) = self.enum_statement(&mut e) {
                self.report(err);
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
    }

    fn enum_statement(&mut self, e: &mut Enum) -> PResult<()> {
        let doc = self.doc();
        let line = self.line();
        if self.eat_sym(';') {
            return Ok(());
        }
        let next = self.peek_at(1).cloned();
        if self.is_kw("option") && next != Some(Tok::Sym('=')) {
            let o = self.option_statement()?;
            e.options.push(o);
            return Ok(());
        }
        if self.is_kw("reserved") && next != Some(Tok::Sym('=')) {
            self.pos += 1;
            let r = self.reserved_body()?;
            e.reserved.ranges.extend(r.ranges);
            e.reserved.names.extend(r.names);
            return Ok(());
        }
        let name = self.simple_ident()?;
        self.expect_sym('=')?;
        let number = self.int()?;
        let options = self.field_options()?;
        self.expect_sym(';')?;
        e.values.push(EnumValue { name, number, options, line, doc });
        Ok(())
    }

    fn service(&mut self, doc: Option<String>) -> PResult<Service> {
        let line = self.line();
        self.pos += 1; // service
        let name = self.simple_ident()?;
        self.expect_sym('{')?;
        let mut s = Service { name, rpcs: Vec::new(), options: Vec::new(), line, end_line: line, doc };
        loop {
            if self.eat_sym('}') {
                s.end_line = self.prev_line();
                return Ok(s);
            }
            if self.peek().is_none() {
                return Err(ParseError { line, message: format!("service `{}` is not closed with `}}`", s.name) });
            }
            let start = self.pos;
            let res = if self.eat_sym(';') {
                Ok(())
            } else if self.is_kw("option") {
                self.option_statement().map(|o| s.options.push(o))
            } else if self.is_kw("rpc") {
                self.rpc().map(|r| s.rpcs.push(r))
            } else {
                self.err("expected `rpc` or `option` in service")
            };
            if let Err(e) = res {
                self.report(e);
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
    }

    fn rpc(&mut self) -> PResult<Rpc> {
        let doc = self.doc();
        let line = self.line();
        self.pos += 1; // rpc
        let name = self.simple_ident()?;
        let (request, client_streaming) = self.rpc_type()?;
        if !self.is_kw("returns") {
            return self.err("expected `returns`");
        }
        self.pos += 1;
        let (response, server_streaming) = self.rpc_type()?;
        let mut options = Vec::new();
        if self.eat_sym('{') {
            loop {
                if self.eat_sym('}') {
                    break;
                }
                if self.eat_sym(';') {
                    continue;
                }
                if self.peek().is_none() {
                    return Err(ParseError { line, message: format!("rpc `{name}` options are not closed with `}}`") });
                }
                if self.is_kw("option") {
                    match self.option_statement() {
                        Ok(o) => options.push(o),
                        Err(e) => self.report(e),
                    }
                } else {
                    let e = self.err::<()>("expected `option` in rpc body");
                    if let Err(e) = e {
                        self.report(e);
                    }
                    if self.is_sym('}') {
                        continue;
                    }
                }
            }
            // An optional `;` after the body is allowed.
            self.eat_sym(';');
        } else {
            self.expect_sym(';')?;
        }
        Ok(Rpc { name, request, client_streaming, response, server_streaming, options, line, doc })
    }

    /// `( [stream] Type )`
    fn rpc_type(&mut self) -> PResult<(String, bool)> {
        self.expect_sym('(')?;
        let mut streaming = false;
        if self.is_kw("stream") && matches!(self.peek_at(1), Some(Tok::Ident(_))) {
            self.pos += 1;
            streaming = true;
        }
        let t = self.type_ref()?;
        self.expect_sym(')')?;
        Ok((t, streaming))
    }
}

/// `local` / `export` (edition 2024 symbol visibility) directly before `message` or `enum`.
fn is_visibility(kw: &str, next: Option<&Tok>) -> bool {
    (kw == "local" || kw == "export") && matches!(next, Some(Tok::Ident(n)) if n == "message" || n == "enum")
}

fn is_field_start(next: &Option<Tok>, next2: &Option<Tok>) -> bool {
    // `reserved foo = 1;` would be a field of type `reserved`.
    matches!(next, Some(Tok::Ident(_))) && next2 == &Some(Tok::Sym('='))
}

fn new_message(name: String, line: u32, doc: Option<String>) -> Message {
    Message {
        name,
        fields: Vec::new(),
        oneofs: Vec::new(),
        messages: Vec::new(),
        enums: Vec::new(),
        extends: Vec::new(),
        reserved: Reserved::default(),
        extension_ranges: Vec::new(),
        options: Vec::new(),
        line,
        end_line: line,
        doc,
        is_group: false,
        is_map_entry: false,
    }
}

/// Decimal, `0x` hex or leading-zero octal.
pub fn parse_int(s: &str) -> Option<i64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return u64::from_str_radix(h, 16).ok().map(|v| v as i64);
    }
    if s.len() > 1 && s.starts_with('0') {
        return u64::from_str_radix(&s[1..], 8).ok().map(|v| v as i64);
    }
    s.parse::<u64>().ok().map(|v| v as i64)
}
