//! The per-file extraction context: the source, the facts being built, the
//! definitions found so far and small helpers over tree-sitter nodes.

use crate::lang::Lang;
use brain_model::{attr, Edge, EdgeKind, Facts, Node, NodeId, NodeKind, Provenance, Reference, Span};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node as TsNode;

/// Attribute on references and edges seen on several lines of a file: every line, comma-separated.
pub const LINES: &str = "lines";

/// The ingestor name recorded in provenance.
pub const INGESTOR: &str = "code";

/// A definition found in the file (a symbol or a test).
#[derive(Clone, Debug)]
pub struct Def {
    pub id: NodeId,
    /// `function`, `method`, `class`, ... (see [`attr::SYMBOL_KIND`]); `scope` for impl blocks.
    pub kind: &'static str,
    pub name: String,
    pub qualified: String,
    pub start: usize,
    pub end: usize,
    pub start_line: u32,
    pub end_line: u32,
    pub is_test: bool,
    /// Index of the enclosing definition, if any (for Go methods: the receiver type).
    pub parent: Option<usize>,
    /// Index of the lexically enclosing definition.
    pub lex_parent: Option<usize>,
    /// Whether a node was emitted for it (scopes emit none).
    pub emitted: bool,
}

impl Def {
    /// Class-like definitions contain methods.
    pub fn is_container(&self) -> bool {
        matches!(self.kind, "class" | "struct" | "interface" | "trait" | "enum" | "scope" | "module")
    }

    /// Class-like definitions turn the functions inside them into methods.
    pub fn is_class_like(&self) -> bool {
        matches!(self.kind, "class" | "struct" | "interface" | "trait" | "enum" | "scope")
    }
}

/// Everything one file's extraction needs.
pub struct Ctx<'a> {
    pub lang: Lang,
    pub repo: &'a str,
    pub path: &'a str,
    pub src: &'a str,
    pub file_id: NodeId,
    pub facts: Facts,
    pub generated: bool,
    pub test_file: bool,
    pub defs: Vec<Def>,
    /// Definition index by the byte range of its node.
    pub def_at: HashMap<(usize, usize), usize>,
    /// Files this file imports (relative imports), used as call scope.
    pub imported_files: Vec<NodeId>,
    /// Local names bound to imported modules/packages (Go package names, Python modules).
    pub module_names: HashSet<String>,
    /// Imported simple name -> full path as written (`OrderService` -> `orders_proto::order_service_server::OrderService`).
    pub imported_names: HashMap<String, String>,
    /// Definition indexes sorted by (start, longest first), once [`Ctx::index_defs`] ran.
    pub order: Vec<usize>,
    /// String-ish bindings: (scope def index or `usize::MAX` for file level, name) -> value node range.
    pub bindings: HashMap<(usize, String), (usize, usize)>,
    /// Local names of imports -> what they import, with a language prefix
    /// (`pb` -> `go:github.com/acme/gen/orders`, `demo_pb2` -> `py:demo_pb2`, `Order` -> `java:com.acme.Order`).
    pub import_alias: HashMap<String, String>,
    /// Namespaces whose names are in scope unqualified, with a language prefix: the file's own
    /// package (Java, Kotlin, C#), wildcard imports and C# `using`s (`java:com.acme.orders`).
    pub open_namespaces: Vec<String>,
    /// Boundaries the detectors found, for the value-flow analysis.
    pub sites: crate::flow::Sites,
    /// Wire references by `(from, kind, target key)`, so a second site of the same one adds its line.
    wire_refs: HashMap<(NodeId, EdgeKind, String), usize>,
}

impl<'a> Ctx<'a> {
    pub fn new(lang: Lang, repo: &'a str, path: &'a str, src: &'a str) -> Self {
        Ctx {
            lang,
            repo,
            path,
            src,
            file_id: NodeId::file(repo, path),
            facts: Facts::default(),
            generated: false,
            test_file: false,
            defs: Vec::new(),
            def_at: HashMap::new(),
            imported_files: Vec::new(),
            module_names: HashSet::new(),
            imported_names: HashMap::new(),
            bindings: HashMap::new(),
            order: Vec::new(),
            import_alias: HashMap::new(),
            open_namespaces: Vec::new(),
            sites: crate::flow::Sites::default(),
            wire_refs: HashMap::new(),
        }
    }

    /// The source text of a node.
    pub fn text(&self, n: TsNode) -> &'a str {
        self.src.get(n.byte_range()).unwrap_or("")
    }

    /// The 1-based line span of a node.
    pub fn span(&self, n: TsNode) -> Span {
        Span::new(n.start_position().row as u32 + 1, n.end_position().row as u32 + 1)
    }

    pub fn declared(&self, span: Span) -> Provenance {
        Provenance::declared(self.repo, self.path, Some(span), INGESTOR)
    }

    pub fn inferred(&self, span: Span, confidence: f32) -> Provenance {
        Provenance::inferred(self.repo, self.path, Some(span), INGESTOR, confidence)
    }

    /// Sorts the definitions for [`Ctx::enclosing_def`]; call once all are known.
    pub fn index_defs(&mut self) {
        let mut order: Vec<usize> = (0..self.defs.len()).collect();
        order.sort_by_key(|i| (self.defs[*i].start, std::cmp::Reverse(self.defs[*i].end)));
        self.order = order;
    }

    /// The innermost definition enclosing `n` (itself excluded unless `include_self`).
    pub fn enclosing_def(&self, n: TsNode, include_self: bool) -> Option<usize> {
        if self.order.len() == self.defs.len() && !self.defs.is_empty() {
            let (s, e) = (n.start_byte(), n.end_byte());
            let pos = self.order.partition_point(|i| self.defs[*i].start <= s);
            let mut cand = pos.checked_sub(1).map(|p| self.order[p]);
            while let Some(i) = cand {
                let d = &self.defs[i];
                if d.start <= s && d.end >= e && (include_self || d.start != s || d.end != e) {
                    return Some(i);
                }
                cand = d.lex_parent;
            }
            return None;
        }
        let mut cur = if include_self { Some(n) } else { n.parent() };
        while let Some(c) = cur {
            if let Some(i) = self.def_at.get(&(c.start_byte(), c.end_byte())) {
                return Some(*i);
            }
            cur = c.parent();
        }
        None
    }

    /// The node id references from `n` start at: the enclosing emitted symbol or test, else the file.
    pub fn owner_of(&self, n: TsNode) -> NodeId {
        let mut idx = self.enclosing_def(n, false);
        while let Some(i) = idx {
            let d = &self.defs[i];
            if d.emitted {
                return d.id.clone();
            }
            idx = d.parent;
        }
        self.file_id.clone()
    }

    /// The symbol id of a definition node, when the extractor emitted one for it.
    pub fn owner_of_def(&self, n: TsNode) -> Option<NodeId> {
        let i = *self.def_at.get(&(n.start_byte(), n.end_byte()))?;
        let d = &self.defs[i];
        d.emitted.then(|| d.id.clone())
    }

    /// A type qualifier resolved through the file's imports (`pb` -> `go:github.com/acme/gen`);
    /// an unqualified name imported by name resolves to its import; else the qualifier as written.
    ///
    /// An import of the type itself (`import a.b.Order;` gives `Order` -> `java:a.b.Order`) yields
    /// its qualifier (`java:a.b`); a name imported by no one yields the open namespaces, comma
    /// separated (`cs:Acme.Orders,cs:Hipstershop`), for the link pass to try in turn.
    pub fn resolve_qualifier(&self, qual: &str, name: &str) -> String {
        if qual.is_empty() {
            if let Some(full) = self.import_alias.get(name) {
                let q = full
                    .strip_suffix(name)
                    .and_then(|q| q.strip_suffix('.').or_else(|| q.strip_suffix("::")))
                    .filter(|q| !q.ends_with(':'));
                return q.unwrap_or(full).to_string();
            }
            return self.open_namespaces.join(",");
        }
        let head = qual.split(['.', ':']).next().unwrap_or(qual);
        match self.import_alias.get(head) {
            Some(p) if head.len() == qual.len() => p.clone(),
            Some(p) => format!("{p}{}", &qual[head.len()..]),
            None => qual.to_string(),
        }
    }

    /// The handler symbol id for a simple or qualified name defined in this file.
    pub fn def_named(&self, name: &str) -> Option<&Def> {
        let name = name.trim();
        self.defs
            .iter()
            .find(|d| d.emitted && d.qualified == name)
            .or_else(|| self.defs.iter().find(|d| d.emitted && d.name == name))
    }

    /// Emits a `Contains` edge from the file.
    pub fn contains_from_file(&mut self, to: &NodeId, span: Span) {
        let prov = self.declared(span);
        self.facts.edge(Edge::new(self.file_id.clone(), EdgeKind::Contains, to.clone(), prov));
    }

    /// Adds a node, setting the language and generated attributes.
    pub fn add_node(&mut self, mut node: Node) -> NodeId {
        node.attrs.insert(attr::LANGUAGE, self.lang.name().to_string());
        self.facts.node(node)
    }

    /// Adds a reference.
    pub fn add_ref(&mut self, r: Reference) {
        self.facts.reference(r);
    }

    /// Adds a wire reference (a call, publish, subscription, implementation) once per
    /// `(from, kind, target)`: the graph keeps one edge for them, so every further site's
    /// line goes into the first one's [`LINES`] attribute. Returns whether it was new.
    pub fn add_wire_ref(&mut self, r: Reference) -> bool {
        let key = match &r.target {
            brain_model::RefTarget::Key { ns, key, .. } => format!("{ns}:{key}"),
            brain_model::RefTarget::AnyOf(c) => c.first().map(|c| c.as_str().to_string()).unwrap_or_default(),
        };
        let k = (r.from.clone(), r.kind, key);
        if let Some(&i) = self.wire_refs.get(&k) {
            let line = r.prov.span.map(|s| s.start_line).unwrap_or(0);
            if let Some(prev) = self.facts.refs.get_mut(i) {
                let first = prev.prov.span.map(|s| s.start_line).unwrap_or(0);
                let mut lines: Vec<u32> = match prev.attr(LINES) {
                    Some(ls) => ls.split(',').filter_map(|x| x.parse().ok()).collect(),
                    None => vec![first],
                };
                if line != 0 && !lines.contains(&line) && lines.len() < 64 {
                    lines.push(line);
                    lines.sort_unstable();
                    prev.attrs.insert(LINES, lines.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
                }
            }
            return false;
        }
        self.wire_refs.insert(k, self.facts.refs.len());
        self.facts.reference(r);
        true
    }

    /// A node of kind `Symbol`, `Test`, ... with the standard provenance.
    pub fn new_node(&self, id: NodeId, kind: NodeKind, name: &str, span: Span) -> Node {
        Node::new(id, kind, name, self.declared(span))
    }
}

/// Collapses whitespace and cuts to `max` characters (on a char boundary), adding `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max + 4));
    let mut last_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !last_space && !out.is_empty() {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    let trimmed = out.trim_end();
    if trimmed.chars().count() > max {
        let cut: String = trimmed.chars().take(max).collect();
        format!("{cut}…")
    } else {
        trimmed.to_string()
    }
}

/// The last segment of a dotted or `::` path, without generic arguments (`a::b::C<T>` gives `C`).
pub fn last_segment(s: &str) -> &str {
    let s = s.split('<').next().unwrap_or(s).trim();
    let s = s.rsplit("::").next().unwrap_or(s);
    let s = s.rsplit('.').next().unwrap_or(s);
    s.trim_start_matches(['&', '*', '$', '@']).trim()
}

/// Positional and named argument nodes of an argument list, across grammars.
pub struct Args<'t> {
    pub positional: Vec<TsNode<'t>>,
    pub named: Vec<(String, TsNode<'t>)>,
    /// A trailing lambda (Kotlin `get("/x") { }`), a block argument.
    pub lambda: Option<TsNode<'t>>,
}

/// Splits an argument list node into positional and named arguments.
pub fn args_of<'t>(src: &str, args: TsNode<'t>) -> Args<'t> {
    let mut out = Args { positional: Vec::new(), named: Vec::new(), lambda: None };
    let text = |n: TsNode| src.get(n.byte_range()).unwrap_or("").to_string();
    let push = |out: &mut Args<'t>, n: TsNode<'t>| match n.kind() {
        "comment" | "line_comment" | "block_comment" => {}
        "element_value_pair" => {
            if let (Some(k), Some(v)) = (n.child_by_field_name("key"), n.child_by_field_name("value")) {
                out.named.push((text(k), v));
            }
        }
        "keyword_argument" => {
            if let (Some(k), Some(v)) = (n.child_by_field_name("name"), n.child_by_field_name("value")) {
                out.named.push((text(k), v));
            }
        }
        "argument" | "value_argument" | "attribute_argument" => {
            // C# `name: value`, Kotlin `name = value`, C# attribute `Name = value`.
            let mut named_children: Vec<TsNode<'t>> = Vec::new();
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                named_children.push(ch);
            }
            let name = n
                .child_by_field_name("name")
                .or_else(|| {
                    let mut c = n.walk();
                    let has_sep = n.children(&mut c).any(|ch| !ch.is_named() && (ch.kind() == "=" || ch.kind() == ":"));
                    if has_sep && named_children.len() >= 2 {
                        named_children.first().copied()
                    } else {
                        None
                    }
                })
                .or_else(|| {
                    named_children.iter().find(|c| c.kind() == "name_colon" || c.kind() == "name_equals").copied()
                });
            match (name, named_children.last()) {
                (Some(nm), Some(v)) if nm.id() != v.id() => {
                    let k = text(nm).trim_end_matches([':', '=']).trim().to_string();
                    out.named.push((k, *v));
                }
                (_, Some(v)) => out.positional.push(*v),
                _ => {}
            }
        }
        "annotated_lambda" | "lambda_literal" => out.lambda = Some(n),
        _ => out.positional.push(n),
    };
    if matches!(args.kind(), "annotated_lambda") {
        out.lambda = Some(args);
        return out;
    }
    let mut c = args.walk();
    for ch in args.named_children(&mut c) {
        push(&mut out, ch);
    }
    // Kotlin: `f(x) { }` puts the lambda beside the argument list.
    if args.kind() == "value_arguments" {
        if let Some(next) = args.next_named_sibling().filter(|n| n.kind() == "annotated_lambda") {
            out.lambda = Some(next);
        }
    }
    out
}

/// Key/value pairs of an object or struct literal (`{topic: "x"}`, `Foo{Topic: "x"}`).
pub fn object_pairs<'t>(src: &str, n: TsNode<'t>) -> Vec<(String, TsNode<'t>)> {
    let mut out = Vec::new();
    let mut stack = vec![n];
    let mut seen = 0;
    while let Some(cur) = stack.pop() {
        seen += 1;
        if seen > 200 {
            break;
        }
        match cur.kind() {
            "pair" | "keyed_element" | "field_initializer" | "assignment_expression" => {
                let key = cur
                    .child_by_field_name("key")
                    .or_else(|| cur.child_by_field_name("field"))
                    .or_else(|| cur.child_by_field_name("left"))
                    .or_else(|| cur.named_child(0));
                let val = cur
                    .child_by_field_name("value")
                    .or_else(|| cur.child_by_field_name("right"))
                    .or_else(|| cur.named_child(cur.named_child_count().saturating_sub(1)));
                if let (Some(k), Some(v)) = (key, val) {
                    let kt = src.get(k.byte_range()).unwrap_or("").trim_matches(['"', '\'']).to_string();
                    out.push((kt, v));
                }
            }
            "object"
            | "literal_value"
            | "composite_literal"
            | "struct_expression"
            | "field_initializer_list"
            | "initializer_expression"
            | "dictionary"
            | "arguments"
            | "argument_list" => {
                let mut c = cur.walk();
                for ch in cur.named_children(&mut c) {
                    stack.push(ch);
                }
            }
            "literal_element" | "unary_expression" => {
                let mut c = cur.walk();
                for ch in cur.named_children(&mut c) {
                    stack.push(ch);
                }
            }
            _ => {}
        }
    }
    out.reverse();
    out
}
