//! Best-effort evaluation of string expressions: literals, concatenation,
//! templates, f-strings, `format!`/`Sprintf`/`String.format`, and same-file
//! constants or local bindings. Unknown parts become holes (`{name}`).

use crate::ctx::{last_segment, Ctx};
use tree_sitter::Node as TsNode;

/// A piece of an evaluated string.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    /// An unknown expression, by its source text.
    Hole(String),
}

/// An evaluated string expression.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrVal {
    pub parts: Vec<Part>,
}

impl StrVal {
    fn lit(s: impl Into<String>) -> Self {
        StrVal { parts: vec![Part::Lit(s.into())] }
    }
    fn hole(s: &str) -> Self {
        StrVal { parts: vec![Part::Hole(s.to_string())] }
    }
    fn push(&mut self, other: StrVal) {
        for p in other.parts {
            match (self.parts.last_mut(), p) {
                (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
                (_, p) => self.parts.push(p),
            }
        }
    }
    /// True when every part is known.
    pub fn is_exact(&self) -> bool {
        self.parts.iter().all(|p| matches!(p, Part::Lit(_)))
    }
    /// The exact value, if fully known.
    pub fn exact(&self) -> Option<String> {
        if self.is_exact() {
            Some(self.render())
        } else {
            None
        }
    }
    /// The value with holes written as `{expr}`.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit(l) => s.push_str(l),
                Part::Hole(h) => {
                    s.push('{');
                    s.push_str(&hole_name(h));
                    s.push('}');
                }
            }
        }
        s
    }
    /// A URL or path usable as an HTTP key: absolute URLs and `/paths` as they are, a leading
    /// unknown base (a variable holding the host) dropped when a `/path` follows. Returns the
    /// text and whether a leading unknown was dropped.
    pub fn as_url(&self, allow_relative: bool) -> Option<(String, bool)> {
        let mut parts = self.parts.as_slice();
        let mut dropped = false;
        if let Some(Part::Hole(_)) = parts.first() {
            parts = &parts[1..];
            dropped = true;
        }
        let first = match parts.first() {
            Some(Part::Lit(l)) => l.as_str(),
            _ => return None,
        };
        let ok = if dropped {
            first.starts_with('/')
        } else {
            first.starts_with("http://")
                || first.starts_with("https://")
                || first.starts_with('/')
                || (allow_relative && first.contains('/') && !first.contains(' ') && !first.starts_with('.'))
        };
        if !ok {
            return None;
        }
        let rendered = StrVal { parts: parts.to_vec() }.render();
        if rendered.contains(char::is_whitespace) || rendered.len() > 400 {
            return None;
        }
        Some((rendered, dropped))
    }
}

const MAX_DEPTH: u32 = 8;

/// A readable placeholder name for an unknown expression (`req.PathValue("id")` gives `PathValue`).
fn hole_name(h: &str) -> String {
    let head = h.split('(').next().unwrap_or(h);
    let head = head.rsplit("->").next().unwrap_or(head);
    let name: String = last_segment(head).chars().filter(|c| c.is_alphanumeric() || *c == '_').collect();
    if name.is_empty() {
        "param".to_string()
    } else {
        name
    }
}

/// Evaluates a string expression in the scope of `at` (for local bindings).
pub fn eval(ctx: &Ctx, n: TsNode) -> Option<StrVal> {
    eval_depth(ctx, n, 0)
}

fn eval_depth(ctx: &Ctx, n: TsNode, depth: u32) -> Option<StrVal> {
    if depth > MAX_DEPTH {
        return None;
    }
    let k = n.kind();
    match k {
        "string"
        | "string_literal"
        | "interpreted_string_literal"
        | "raw_string_literal"
        | "template_string"
        | "interpolated_string_expression"
        | "verbatim_string_literal"
        | "concatenated_string"
        | "line_string_literal"
        | "multi_line_string_literal"
        | "character_literal"
        | "encapsed_string" => Some(literal(ctx, n, depth)),
        // Ruby symbols (`:orders`, `routing_key:`).
        "simple_symbol" | "hash_key_symbol" => {
            Some(StrVal::lit(ctx.text(n).trim_start_matches(':').trim_end_matches(':')))
        }
        "binary_expression" | "binary_operator" | "additive_expression" => {
            let op = n.child_by_field_name("operator").map(|o| ctx.text(o)).or_else(|| {
                let mut c = n.walk();
                let ops: Vec<&str> = n.children(&mut c).filter(|c| !c.is_named()).map(|c| ctx.text(c)).collect();
                ops.first().copied()
            });
            // PHP concatenates with `.`.
            if op != Some("+") && !(op == Some(".") && ctx.lang == crate::lang::Lang::Php) {
                return None;
            }
            let l = n.child_by_field_name("left").or_else(|| n.named_child(0))?;
            let r = n.child_by_field_name("right").or_else(|| n.named_child(1))?;
            let mut v = eval_depth(ctx, l, depth + 1)?;
            v.push(eval_depth(ctx, r, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(r))));
            Some(v)
        }
        "parenthesized_expression"
        | "literal_element"
        | "expression_list"
        | "value_argument"
        | "argument"
        | "reference_expression"
        | "await_expression"
        | "try_expression" => {
            let inner = n.named_child(n.named_child_count().saturating_sub(1))?;
            eval_depth(ctx, inner, depth + 1)
        }
        "identifier" | "simple_identifier" | "variable_name" | "constant" | "name" | "instance_variable" => {
            let name = ctx.text(n);
            match lookup(ctx, n, name) {
                Some(v) => eval_depth(ctx, v, depth + 1).or_else(|| Some(StrVal::hole(name))),
                None => Some(StrVal::hole(name)),
            }
        }
        // `self::BASE` (PHP), `Config::BASE` (Ruby): the constant by its last name.
        "class_constant_access_expression" | "scope_resolution" => {
            let last = n.named_child(n.named_child_count().checked_sub(1)?)?;
            let name = ctx.text(last);
            match lookup(ctx, n, name) {
                Some(v) => eval_depth(ctx, v, depth + 1).or_else(|| Some(StrVal::hole(ctx.text(n)))),
                None => Some(StrVal::hole(ctx.text(n))),
            }
        }
        "macro_invocation" => rust_format(ctx, n, depth),
        "call_expression" | "call" | "method_invocation" | "invocation_expression" | "function_call_expression" => {
            call(ctx, n, depth)
        }
        // `self.ROUTING_KEY` / `this.topic`: a constant of the enclosing class.
        "member_expression" | "attribute" if own_member(ctx, n).is_some() => {
            let (name, at) = own_member(ctx, n)?;
            match lookup(ctx, at, name) {
                Some(v) => eval_depth(ctx, v, depth + 1).or_else(|| Some(StrVal::hole(ctx.text(n)))),
                None => Some(StrVal::hole(ctx.text(n))),
            }
        }
        "member_expression"
        | "attribute"
        | "field_expression"
        | "selector_expression"
        | "field_access"
        | "member_access_expression"
        | "navigation_expression"
        | "this"
        | "self" => Some(StrVal::hole(ctx.text(n))),
        _ => None,
    }
}

/// `self.NAME` / `this.NAME` / `cls.NAME`: the member's name and the node to look it up from.
fn own_member<'a, 't>(ctx: &Ctx<'a>, n: TsNode<'t>) -> Option<(&'a str, TsNode<'t>)> {
    let obj = n.child_by_field_name("object")?;
    if !matches!(ctx.text(obj), "self" | "this" | "cls") {
        return None;
    }
    let prop = n.child_by_field_name("attribute").or_else(|| n.child_by_field_name("property"))?;
    Some((ctx.text(prop), n))
}

/// Finds the binding of `name` visible at `at`: the innermost enclosing definition's, then the file's.
pub(crate) fn lookup<'t>(ctx: &Ctx<'_>, at: TsNode<'t>, name: &str) -> Option<TsNode<'t>> {
    let mut scope = ctx.enclosing_def(at, true);
    loop {
        let key = (scope.unwrap_or(usize::MAX), name.to_string());
        if let Some((s, e)) = ctx.bindings.get(&key) {
            let root = {
                let mut r = at;
                while let Some(p) = r.parent() {
                    r = p;
                }
                r
            };
            return root.descendant_for_byte_range(*s, *e).map(|mut d| {
                // descendant_for_byte_range can return a leaf of the same range; climb to the widest.
                while let Some(p) = d.parent() {
                    if p.start_byte() == *s && p.end_byte() == *e {
                        d = p;
                    } else {
                        break;
                    }
                }
                d
            });
        }
        match scope {
            // An out-of-class C++ method of a class declared elsewhere has no parent but sits in its namespace.
            Some(i) => scope = ctx.defs.get(i).and_then(|d| d.parent.or(d.lex_parent)),
            None => break,
        }
    }
    // Ruby instance variables are set in one method and read in another: a unique assignment in the file.
    if name.starts_with('@') {
        let mut found = ctx.bindings.iter().filter(|((_, n), _)| n == name).map(|(_, r)| *r);
        if let (Some((s, e)), None) = (found.next(), found.next()) {
            let mut root = at;
            while let Some(p) = root.parent() {
                root = p;
            }
            return root.descendant_for_byte_range(s, e).map(|mut d| {
                while let Some(p) = d.parent().filter(|p| p.start_byte() == s && p.end_byte() == e) {
                    d = p;
                }
                d
            });
        }
    }
    None
}

fn unescape(s: &str) -> String {
    match s {
        "\\\"" => "\"".into(),
        "\\'" => "'".into(),
        "\\\\" => "\\".into(),
        "\\/" => "/".into(),
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "{{" => "{".into(),
        "}}" => "}".into(),
        other => other.to_string(),
    }
}

fn literal(ctx: &Ctx, n: TsNode, depth: u32) -> StrVal {
    let mut v = StrVal::default();
    let mut saw_content = false;
    let mut kt_buf = String::new();
    let mut kt_at: Option<TsNode> = None;
    let mut c = n.walk();
    for ch in n.children(&mut c) {
        if let (false, Some(at)) = (matches!(ch.kind(), "string_content"), kt_at) {
            v.push(kotlin_template(ctx, at, &std::mem::take(&mut kt_buf), depth));
            kt_at = None;
        }
        match ch.kind() {
            "string_content"
            | "string_fragment"
            | "interpreted_string_literal_content"
            | "raw_string_literal_content"
            | "string_literal_content"
            | "verbatim_string_characters" => {
                saw_content = true;
                let t = ctx.text(ch);
                if ctx.lang == crate::lang::Lang::Kotlin {
                    kt_buf.push_str(t);
                    kt_at = Some(ch);
                } else {
                    v.push(StrVal::lit(t));
                }
                continue;
            }
            "escape_sequence" | "escape_interpolation" => {
                saw_content = true;
                v.push(StrVal::lit(unescape(ctx.text(ch))));
            }
            "template_substitution" | "interpolation" => {
                saw_content = true;
                let inner = {
                    let mut cc = ch.walk();
                    let found = ch.named_children(&mut cc).find(|x| {
                        !matches!(
                            x.kind(),
                            "interpolation_brace" | "interpolation_start" | "format_specifier" | "type_conversion"
                        )
                    });
                    found
                };
                match inner {
                    Some(e) => v.push(eval_depth(ctx, e, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(e)))),
                    None => v.push(StrVal::hole(ctx.text(ch))),
                }
            }
            // PHP `"...$id..."` / `"...{$o->id}..."`.
            "variable_name" | "member_access_expression" | "subscript_expression" if n.kind() == "encapsed_string" => {
                saw_content = true;
                v.push(eval_depth(ctx, ch, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(ch))));
            }
            "string" | "string_literal" => {
                // Python concatenated_string parts.
                saw_content = true;
                v.push(literal(ctx, ch, depth + 1));
            }
            _ => {}
        }
    }
    if let Some(at) = kt_at {
        v.push(kotlin_template(ctx, at, &kt_buf, depth));
    }
    if !saw_content {
        let t = ctx.text(n);
        let inner = t
            .trim_start_matches(['r', 'b', 'f', 'u', 'R', 'B', 'F', 'U', '@', '$', '#'])
            .trim_start_matches(['"', '\'', '`'])
            .trim_end_matches('#')
            .trim_end_matches(['"', '\'', '`']);
        let looks_empty = t.len() <= 2 || inner.is_empty();
        if !looks_empty {
            v.push(StrVal::lit(inner));
        } else {
            v.push(StrVal::lit(""));
        }
    }
    v
}

/// Kotlin `$name` and `${expr}` templates inside string content.
fn kotlin_template(ctx: &Ctx, at: TsNode, t: &str, depth: u32) -> StrVal {
    let mut v = StrVal::default();
    let bytes: Vec<char> = t.chars().collect();
    let mut i = 0;
    let mut lit = String::new();
    while i < bytes.len() {
        if bytes[i] == '$' && i + 1 < bytes.len() && (bytes[i + 1].is_alphabetic() || bytes[i + 1] == '_') {
            let mut j = i + 1;
            while j < bytes.len() && (bytes[j].is_alphanumeric() || bytes[j] == '_') {
                j += 1;
            }
            let name: String = bytes[i + 1..j].iter().collect();
            if !lit.is_empty() {
                v.push(StrVal::lit(std::mem::take(&mut lit)));
            }
            v.push(resolve_name(ctx, at, &name, depth));
            i = j;
        } else {
            lit.push(bytes[i]);
            i += 1;
        }
    }
    if !lit.is_empty() {
        v.push(StrVal::lit(lit));
    }
    // Content split across nodes (`$` then `BASE/x`) is rejoined by the caller's push; a bare
    // `$` followed by a name in the next node is handled by the caller seeing `$` as literal.
    v
}

fn resolve_name(ctx: &Ctx, at: TsNode, name: &str, depth: u32) -> StrVal {
    match lookup(ctx, at, name) {
        Some(v) => eval_depth(ctx, v, depth + 1).unwrap_or_else(|| StrVal::hole(name)),
        None => StrVal::hole(name),
    }
}

/// Substitutes `%s`/`%d`/`%v`/`{}`/`{0}` placeholders of a format string with argument values.
fn apply_format(ctx: &Ctx, anchor: TsNode, fmt: &StrVal, args: &[TsNode], depth: u32) -> StrVal {
    let Some(f) = fmt.exact() else { return fmt.clone() };
    let mut out = StrVal::default();
    let mut next = 0usize;
    let chars: Vec<char> = f.chars().collect();
    let mut i = 0;
    let mut lit = String::new();
    let take = |idx: usize, out: &mut StrVal, lit: &mut String, at_name: Option<&str>| {
        if !lit.is_empty() {
            out.push(StrVal::lit(std::mem::take(lit)));
        }
        match (at_name, args.get(idx)) {
            (Some(name), _) if !name.is_empty() => {
                out.push(resolve_name(ctx, anchor, name, depth));
            }
            (_, Some(a)) => out.push(eval_depth(ctx, *a, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(*a)))),
            _ => out.push(StrVal::hole("arg")),
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '%' && i + 1 < chars.len() && chars[i + 1] != '%' {
            // %s, %d, %v, %05d ...
            let mut j = i + 1;
            while j < chars.len() && !chars[j].is_alphabetic() {
                j += 1;
            }
            take(next, &mut out, &mut lit, None);
            next += 1;
            i = j + 1;
        } else if c == '{' && i + 1 < chars.len() && chars[i + 1] == '{' {
            lit.push('{');
            i += 2;
        } else if c == '{' {
            let Some(close) = chars[i..].iter().position(|x| *x == '}') else {
                lit.push(c);
                i += 1;
                continue;
            };
            let inner: String = chars[i + 1..i + close].iter().collect();
            let inner = inner.split(':').next().unwrap_or("").trim().to_string();
            if let Ok(idx) = inner.parse::<usize>() {
                take(idx, &mut out, &mut lit, None);
            } else if inner.is_empty() {
                take(next, &mut out, &mut lit, None);
                next += 1;
            } else {
                take(usize::MAX, &mut out, &mut lit, Some(&inner));
            }
            i += close + 1;
        } else {
            lit.push(c);
            i += 1;
        }
    }
    if !lit.is_empty() {
        out.push(StrVal::lit(lit));
    }
    out
}

/// `format!("{}/x", base)` and friends: the first literal is the format string.
fn rust_format(ctx: &Ctx, n: TsNode, depth: u32) -> Option<StrVal> {
    let name = n.child_by_field_name("macro").map(|m| ctx.text(m)).unwrap_or("");
    if !matches!(name, "format" | "concat") {
        return None;
    }
    let tt = n.named_children(&mut n.walk()).find(|c| c.kind() == "token_tree")?;
    let items: Vec<TsNode> = tt.named_children(&mut tt.walk()).collect();
    let fmt_node = items.first()?;
    let fmt = eval_depth(ctx, *fmt_node, depth + 1)?;
    if name == "concat" {
        let mut v = fmt;
        for it in &items[1..] {
            v.push(eval_depth(ctx, *it, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(*it))));
        }
        return Some(v);
    }
    // Arguments: identifiers or simple expressions after the format string (a token tree is
    // flat, so take identifiers and literals only; named args `x = y` are skipped).
    let args: Vec<TsNode> = items[1..].iter().copied().filter(|c| c.kind() != "token_tree").collect();
    Some(apply_format(ctx, n, &fmt, &args, depth))
}

fn call(ctx: &Ctx, n: TsNode, depth: u32) -> Option<StrVal> {
    let func =
        n.child_by_field_name("function").or_else(|| n.child_by_field_name("name")).or_else(|| n.named_child(0))?;
    let fname = ctx.text(func);
    let args_node = n.child_by_field_name("arguments").or_else(|| {
        let mut c = n.walk();
        let found = n.named_children(&mut c).find(|c| matches!(c.kind(), "value_arguments" | "argument_list"));
        found
    })?;
    let args = crate::ctx::args_of(ctx.src, args_node);
    let last = last_segment(fname);
    match last {
        "Sprintf" | "format" | "formatted" | "sprintf"
            if fname.contains("Sprintf") || fname.starts_with("String") || fname == "format" || fname == "sprintf" =>
        {
            let fmt = eval_depth(ctx, *args.positional.first()?, depth + 1)?;
            Some(apply_format(ctx, n, &fmt, &args.positional[1..], depth))
        }
        "format" => {
            // Python `"...".format(a, b)` / Java `"...".formatted(...)`: the receiver is the format string.
            let recv = func.child_by_field_name("object")?;
            let fmt = eval_depth(ctx, recv, depth + 1)?;
            Some(apply_format(ctx, n, &fmt, &args.positional, depth))
        }
        "Join" | "join" if fname.contains("path") || fname.contains("url") => {
            let mut v = StrVal::default();
            for (i, a) in args.positional.iter().enumerate() {
                if i > 0 {
                    v.push(StrVal::lit("/"));
                }
                v.push(eval_depth(ctx, *a, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(*a))));
            }
            Some(v)
        }
        // Ruby `URI("...")`, `URI.parse(...)`, `URI.join(base, "/x")`.
        "URI" if ctx.lang == crate::lang::Lang::Ruby => {
            let method = n.child_by_field_name("method").map(|m| ctx.text(m)).unwrap_or("");
            let mut v = StrVal::default();
            for a in if method == "join" { &args.positional[..] } else { args.positional.get(..1)? } {
                v.push(eval_depth(ctx, *a, depth + 1).unwrap_or_else(|| StrVal::hole(ctx.text(*a))));
            }
            Some(v)
        }
        "to_string" | "to_owned" | "as_str" | "String" | "toString" | "str" | "into" | "string" => {
            let recv = func
                .child_by_field_name("value")
                .or_else(|| func.child_by_field_name("object"))
                .or_else(|| args.positional.first().copied())?;
            eval_depth(ctx, recv, depth + 1)
        }
        _ => None,
    }
}
