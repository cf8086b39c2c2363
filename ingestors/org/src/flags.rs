//! Feature-flag definitions ([`FlagIngestor`], ingestor name `flags`), recognised by content in
//! any `.json`, `.yaml` or `.yml` file:
//!
//! - **flagd** flag files (`{"flags": {"x": {"state", "variants", "defaultVariant"}}}`, JSON or
//!   YAML), and the same spec inside OpenFeature operator resources (`kind: FeatureFlag`,
//!   `spec.flagSpec.flags`; the older `FeatureFlagConfiguration`, `spec.featureFlagSpec`);
//! - **Flipt** declarative files (`flags:` a list of `{key, type|enabled|variants}`);
//! - **go-feature-flag** files (top-level flags with `variations` + `defaultRule`, or the older
//!   `true`/`false`/`default` form).
//!
//! Each flag is a `Flag` node `flag:<repo>:<path>#<key>` (declared, its span the key's entry)
//! providing `(flag, key)`, with attrs `flag_format`, `default_variant`, `variants` (names,
//! comma-joined), `state`; the file `contains` it. Code's `Evaluates` references (see
//! `brain_ingest_code::flags`) resolve to every definition of the key.

use crate::util;
use brain_ingest_contracts::yaml::{get_str, MarkedMappingNode, Node as YNode};
use brain_model::{attr::ns, Edge, EdgeKind, Facts, Ingestor, Node, NodeId, NodeKind, SourceFile, Span};

/// Ingestor name.
pub const FLAGS: &str = "flags";
/// Attr: the definition format (`flagd`, `flagd-operator`, `flipt`, `go-feature-flag`).
pub const FLAG_FORMAT: &str = "flag_format";
/// Attr: the variant served when no rule matches.
pub const DEFAULT_VARIANT: &str = "default_variant";
/// Attr: the variant names, comma-joined.
pub const VARIANTS: &str = "variants";
/// Attr: `ENABLED`/`DISABLED` (flagd), `true`/`false` (Flipt `enabled`, go-feature-flag `disable` negated).
pub const STATE: &str = "state";
/// Most flags kept from one file.
const MAX_FLAGS: usize = 5_000;

/// One flag as a file defines it, before it becomes a node.
struct Def {
    key: String,
    span: Span,
    format: &'static str,
    default_variant: Option<String>,
    variants: Vec<String>,
    state: Option<String>,
    description: Option<String>,
}

/// Reads flag definition files; see the module docs.
#[derive(Debug, Default, Clone, Copy)]
pub struct FlagIngestor;

impl Ingestor for FlagIngestor {
    fn name(&self) -> &'static str {
        FLAGS
    }
    fn accepts(&self, path: &str) -> bool {
        let n = util::file_name(path).to_ascii_lowercase();
        (n.ends_with(".json") || n.ends_with(".yaml") || n.ends_with(".yml"))
            && !n.ends_with("package-lock.json")
            && !n.starts_with("tsconfig")
    }
    fn ingest(&self, file: &SourceFile<'_>) -> Facts {
        let mut facts = Facts::default();
        let c = file.content;
        let flagd = c.contains("flags") && (c.contains("defaultVariant") || c.contains("variants"));
        let flipt = c.contains("flags") && c.contains("key");
        let goff = c.contains("variations") || (c.contains("percentage") && c.contains("default"));
        if !(flagd || flipt || goff) {
            return facts;
        }
        let defs = if util::file_name(file.path).to_ascii_lowercase().ends_with(".json") {
            json_defs(c)
        } else {
            yaml_defs(c)
        };
        let file_id = NodeId::file(file.repo, file.path);
        for d in defs.into_iter().take(MAX_FLAGS) {
            let id = NodeId::flag(file.repo, file.path, &d.key);
            let prov = util::declared(file, Some(d.span), FLAGS);
            let mut node = Node::new(id.clone(), NodeKind::Flag, &d.key, prov.clone()).with_attr(FLAG_FORMAT, d.format);
            if let Some(v) = d.default_variant {
                node = node.with_attr(DEFAULT_VARIANT, v);
            }
            if !d.variants.is_empty() {
                node = node.with_attr(VARIANTS, util::truncate(&d.variants.join(","), 300));
            }
            if let Some(s) = d.state {
                node = node.with_attr(STATE, s);
            }
            if let Some(t) = d.description {
                node.text = util::truncate(&t, 500);
            }
            facts.provide(&id, ns::FLAG, &d.key);
            facts.edge(Edge::new(file_id.clone(), EdgeKind::Contains, id, prov));
            facts.node(node);
        }
        facts
    }
}

/// A flagd flag entry: an object with `variants` or `defaultVariant` or `state`.
fn flagd_entry(v: &serde_json::Value) -> bool {
    v.as_object().is_some_and(|o| o.contains_key("variants") || o.contains_key("defaultVariant"))
}

fn json_defs(text: &str) -> Vec<Def> {
    let Ok(root) = serde_json::from_str::<serde_json::Value>(text) else { return Vec::new() };
    let Some(flags) = root.get("flags").and_then(|f| f.as_object()) else { return Vec::new() };
    if flags.is_empty() || !flags.values().all(flagd_entry) {
        return Vec::new();
    }
    let lines = util::Lines::new(text);
    // The key as an object key (`"x":`) after the `flags` object's own position.
    let from = text.find("\"flags\"").unwrap_or(0);
    let mut out = Vec::new();
    for (key, v) in flags {
        let needle = format!("\"{key}\"");
        let mut at = None;
        let mut i = from;
        while let Some(p) = text[i..].find(&needle).map(|p| i + p) {
            if text[p + needle.len()..].trim_start().starts_with(':') {
                at = Some(p);
                break;
            }
            i = p + needle.len();
        }
        let line = at.map(|a| lines.at(a)).unwrap_or(1);
        let o = v.as_object();
        let s = |k: &str| o.and_then(|o| o.get(k)).and_then(|x| x.as_str()).map(str::to_string);
        out.push(Def {
            key: key.clone(),
            span: Span::line(line),
            format: "flagd",
            default_variant: s("defaultVariant"),
            variants: o
                .and_then(|o| o.get("variants"))
                .and_then(|v| v.as_object())
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
            state: s("state"),
            description: s("description"),
        });
    }
    out
}

fn key_line(k: &brain_ingest_contracts::yaml::MarkedScalarNode) -> u32 {
    k.span().start().map(|m| m.line() as u32).unwrap_or(1)
}

/// The lines of a mapping entry: from its key to the line before its value's end (the reader
/// ends a block value where the next entry starts).
fn entry_span(key: &brain_ingest_contracts::yaml::MarkedScalarNode, value_end: Option<usize>) -> Span {
    let line = key_line(key);
    let end = value_end.map(|l| (l as u32).saturating_sub(1)).unwrap_or(line).max(line);
    Span::new(line, end)
}

fn yaml_defs(text: &str) -> Vec<Def> {
    let (docs, _) = util::parse_yaml_tolerant(text);
    let mut out = Vec::new();
    for doc in &docs {
        let Ok(root) = &doc.root else { continue };
        let Some(map) = root.as_mapping() else { continue };
        // OpenFeature operator resources embed a flagd spec.
        if get_str(map, "apiVersion").is_some_and(|a| a.contains("openfeature.dev")) {
            let spec = map.get_mapping("spec");
            let flags = spec
                .and_then(|s| s.get_mapping("flagSpec").or_else(|| s.get_mapping("featureFlagSpec")))
                .and_then(|f| f.get_mapping("flags"));
            if let Some(flags) = flags {
                out.extend(flagd_yaml(flags, "flagd-operator"));
            }
            continue;
        }
        match map.get_node("flags") {
            Some(YNode::Mapping(flags)) => out.extend(flagd_yaml(flags, "flagd")),
            Some(YNode::Sequence(items)) => {
                // Flipt: every item a mapping with a `key` and a flag's fields.
                let entries: Vec<&MarkedMappingNode> = items.iter().filter_map(YNode::as_mapping).collect();
                let flipt = !entries.is_empty()
                    && entries.len() == items.len()
                    && entries.iter().all(|e| {
                        get_str(e, "key").is_some()
                            && (e.get_node("type").is_some()
                                || e.get_node("enabled").is_some()
                                || e.get_node("variants").is_some())
                    });
                if flipt {
                    for e in entries {
                        let Some(key) = e.get_scalar("key") else { continue };
                        let variants = match e.get_node("variants") {
                            Some(YNode::Sequence(v)) => v
                                .iter()
                                .filter_map(|x| x.as_mapping().and_then(|m| get_str(m, "key")).map(str::to_string))
                                .collect(),
                            _ => Vec::new(),
                        };
                        out.push(Def {
                            key: key.as_str().to_string(),
                            span: entry_span(key, e.span().end().map(|m| m.line())),
                            format: "flipt",
                            default_variant: None,
                            variants,
                            state: get_str(e, "enabled").map(str::to_string),
                            description: get_str(e, "description").map(str::to_string),
                        });
                    }
                }
            }
            _ => out.extend(goff_yaml(map)),
        }
    }
    out
}

fn flagd_yaml(flags: &MarkedMappingNode, format: &'static str) -> Vec<Def> {
    let entries: Vec<_> = flags.iter().collect();
    let is_flagd = !entries.is_empty()
        && entries.iter().all(|(_, v)| {
            v.as_mapping().is_some_and(|m| m.get_node("variants").is_some() || m.get_node("defaultVariant").is_some())
        });
    if !is_flagd {
        return Vec::new();
    }
    entries
        .into_iter()
        .filter_map(|(k, v)| {
            let m = v.as_mapping()?;
            let span = entry_span(k, v.span().end().map(|x| x.line()));
            Some(Def {
                key: k.as_str().to_string(),
                span,
                format,
                default_variant: get_str(m, "defaultVariant").map(str::to_string),
                variants: m
                    .get_mapping("variants")
                    .map(|vs| vs.iter().map(|(n, _)| n.as_str().to_string()).collect())
                    .unwrap_or_default(),
                state: get_str(m, "state").map(str::to_string),
                description: get_str(m, "description").map(str::to_string),
            })
        })
        .collect()
}

/// go-feature-flag: every top-level entry a flag (`variations` + `defaultRule`/`targeting`, or
/// the older `true`/`false`/`default`).
fn goff_yaml(map: &MarkedMappingNode) -> Vec<Def> {
    let entries: Vec<_> = map.iter().collect();
    let is_flag = |m: &MarkedMappingNode| {
        (m.get_node("variations").is_some()
            && (m.get_node("defaultRule").is_some() || m.get_node("targeting").is_some()))
            || (m.get_node("true").is_some() && m.get_node("false").is_some() && m.get_node("default").is_some())
    };
    if entries.is_empty() || !entries.iter().all(|(_, v)| v.as_mapping().is_some_and(is_flag)) {
        return Vec::new();
    }
    entries
        .into_iter()
        .filter_map(|(k, v)| {
            let m = v.as_mapping()?;
            let span = entry_span(k, v.span().end().map(|x| x.line()));
            let variants = match m.get_mapping("variations") {
                Some(vs) => vs.iter().map(|(n, _)| n.as_str().to_string()).collect(),
                None => vec!["true".into(), "false".into(), "default".into()],
            };
            Some(Def {
                key: k.as_str().to_string(),
                span,
                format: "go-feature-flag",
                default_variant: m
                    .get_mapping("defaultRule")
                    .and_then(|r| get_str(r, "variation"))
                    .map(str::to_string)
                    .or_else(|| m.get_node("default").map(|_| "default".to_string())),
                variants,
                state: get_str(m, "disable").map(|d| if d == "true" { "DISABLED" } else { "ENABLED" }.to_string()),
                description: None,
            })
        })
        .collect()
}
