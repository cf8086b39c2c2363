//! Feature-flag evaluations: the code that asks a flag provider for a flag's
//! value, in every language the code ingestor reads.
//!
//! A call is an evaluation when its method is one of a flag SDK's evaluation
//! methods ([`family`]: OpenFeature `getBooleanValue`/`get_boolean_value`/
//! `GetBooleanValueAsync`/Go `BooleanValue(ctx, "x", …)`/React `useFlag`/
//! Ruby `fetch_boolean_value(flag_key: …)`/Rust `get_bool_value`,
//! LaunchDarkly `variation`/`boolVariation`, Unleash `isEnabled`, ConfigCat
//! `getValue`) **and** the file loads that SDK ([`loaded_sdks`]); the flag is
//! the key argument when it is a string the file fixes (a literal, a constant,
//! a concatenation of both). Each gives an unresolved `Evaluates` reference to
//! `(flag, key)`, which the linker joins to every definition of that key
//! (flagd, Flipt, operator `FeatureFlag`s, in any repository); a key nobody
//! defines stays unresolved ("evaluated but never defined").
//!
//! A key that is a parameter of the function around the call (a wrapper such
//! as `check_feature_flag(name)`) is followed one level: calls of that function
//! in the same file that pass a fixed string are evaluations (attr `via` = the
//! wrapper, confidence 0.8). Any other run-time key is not guessed: it is an
//! Info diagnostic `flag.dynamic-key` at the call. HTTP calls to an OFREP endpoint
//! (`/ofrep/v1/evaluate/flags/<key>`, the OpenFeature Remote Evaluation Protocol) are
//! evaluations too, with the same wrapper rule.

use crate::clients::parameter_of_enclosing;
use crate::ctx::{args_of, last_segment, Ctx};
use crate::extract::CallSite;
use crate::lang::Lang;
use crate::strval;
use brain_model::{attr::ns, Diagnostic, EdgeKind, Reference, Severity, Span};
use tree_sitter::Node as TsNode;

/// Attr on an evaluation reached through a wrapper: the wrapper's name.
pub const VIA: &str = "via";
/// Attr on an evaluation: the SDK family whose method was called.
pub const SDK: &str = "sdk";

/// Words in a file (lowercased) that say it loads a flag SDK, by SDK family. A method of a
/// family counts only in a file that names that family's SDK (`GetValue` is ConfigCat's only
/// where ConfigCat is loaded; .NET configuration has one too).
const SDK_MARKERS: [(&str, &[&str]); 5] = [
    ("openfeature", &["openfeature", "open_feature", "open-feature", "flagd"]),
    ("launchdarkly", &["launchdarkly", "ldclient", "ld_client"]),
    ("unleash", &["unleash"]),
    ("configcat", &["configcat"]),
    ("ofrep", &["/ofrep/"]),
];

/// The SDK families the file loads (asked once per file); empty when none.
pub(crate) fn loaded_sdks(src: &str) -> Vec<&'static str> {
    let lower = src.to_ascii_lowercase();
    SDK_MARKERS.iter().filter(|(_, ms)| ms.iter().any(|m| lower.contains(m))).map(|(f, _)| *f).collect()
}

/// The SDK family of an evaluation method, if `method` is one.
fn family(method: &str) -> Option<&'static str> {
    // OpenFeature: get<Type>Value / get<Type>Details (Java, Kotlin, JS/TS, PHP), with `Async` (C#),
    // snake_case (Python, Rust), fetch_ (Ruby), Go's <Type>Value / <Type>ValueDetails / <Type>,
    // React hooks, Rust providers' resolve_<type>_value.
    const OF_TYPES: [&str; 9] = ["Boolean", "Bool", "String", "Number", "Integer", "Int", "Double", "Float", "Object"];
    let m = method.strip_suffix("Async").unwrap_or(method);
    if let Some(rest) = m.strip_prefix("get").or_else(|| m.strip_prefix("Get")) {
        if let Some(t) = rest.strip_suffix("Value").or_else(|| rest.strip_suffix("Details")) {
            if OF_TYPES.contains(&t) {
                return Some("openfeature");
            }
        }
    }
    if let Some(t) = m.strip_suffix("ValueDetails").or_else(|| m.strip_suffix("Value")) {
        if OF_TYPES.contains(&t) {
            return Some("openfeature");
        }
    }
    let snake = method
        .strip_prefix("get_")
        .or_else(|| method.strip_prefix("fetch_"))
        .or_else(|| method.strip_prefix("resolve_"));
    if let Some(rest) = snake {
        if let Some(t) = rest.strip_suffix("_value").or_else(|| rest.strip_suffix("_details")) {
            if matches!(t, "boolean" | "bool" | "string" | "number" | "integer" | "int" | "float" | "object" | "struct")
            {
                return Some("openfeature");
            }
        }
    }
    if method.starts_with("use") && (method.ends_with("FlagValue") || method.ends_with("FlagDetails"))
        || matches!(method, "useFlag" | "useSuspenseFlag")
    {
        return Some("openfeature");
    }
    match method {
        "variation"
        | "variationDetail"
        | "variation_detail"
        | "boolVariation"
        | "BoolVariation"
        | "stringVariation"
        | "StringVariation"
        | "intVariation"
        | "IntVariation"
        | "doubleVariation"
        | "DoubleVariation"
        | "FloatVariation"
        | "float64Variation"
        | "Float64Variation"
        | "jsonVariation"
        | "JsonVariation"
        | "jsonValueVariation"
        | "JSONVariation"
        | "boolVariationDetail"
        | "BoolVariationDetail"
        | "stringVariationDetail"
        | "StringVariationDetail"
        | "numberVariation"
        | "JsonValueVariation" => Some("launchdarkly"),
        "isEnabled" | "IsEnabled" | "is_enabled" | "getVariant" | "GetVariant" | "get_variant" => Some("unleash"),
        "getValue" | "GetValue" | "get_value" | "getValueAsync" | "GetValueAsync" => Some("configcat"),
        _ => None,
    }
}

/// Where the key is among the arguments: Go's OpenFeature client takes the context first.
fn key_position(lang: Lang, family: &str) -> usize {
    if lang == Lang::Go && family == "openfeature" {
        1
    } else {
        0
    }
}

/// Go's typed OpenFeature shortcuts (`client.Boolean(ctx, "x", false, ec)`) are common words:
/// only with the `openfeature` family's signature (a context first, then a string).
fn go_typed_shortcut(lang: Lang, method: &str) -> bool {
    lang == Lang::Go && matches!(method, "Boolean" | "String" | "Int" | "Float" | "Object")
}

/// A wrapper whose parameter at `index` is the flag key evaluated inside it.
struct Wrapper<'t> {
    name: String,
    index: usize,
    family: &'static str,
    /// The evaluation inside the wrapper and its key, reported as run-time when no caller passes a fixed key.
    at: TsNode<'t>,
    key: TsNode<'t>,
}

/// Evaluations of one file's call sites; `sdks` are the families it loads ([`loaded_sdks`]).
pub(crate) fn detect<'t>(ctx: &mut Ctx, calls: &[CallSite<'t>], sdks: &[&'static str]) {
    let mut wrappers: Vec<Wrapper<'t>> = Vec::new();
    for c in calls {
        let Some(args_node) = c.args else { continue };
        if sdks.contains(&"ofrep") {
            ofrep(ctx, c, args_node, &mut wrappers);
        }
        let method = last_segment(ctx.text(c.callee));
        let fam = match family(method) {
            Some(f) => f,
            None if go_typed_shortcut(ctx.lang, method) => "openfeature",
            None => continue,
        };
        if !sdks.contains(&fam) {
            continue;
        }
        // Go's OpenFeature client takes a context first (`client.String(ctx, "k", …)`), which
        // tells it from `attribute.String("k", v)` and the like.
        if ctx.lang == Lang::Go && fam == "openfeature" && !context_first(ctx, args_node) {
            continue;
        }
        let Some(key) = key_arg(ctx, args_node, key_position(ctx.lang, fam)) else { continue };
        match fixed_string(ctx, key) {
            Some(name) => emit(ctx, c, &name, fam, None),
            None => match parameter_of_enclosing(ctx, key).or_else(|| own_parameter(ctx, key)) {
                Some((name, index)) => wrappers.push(Wrapper { name, index, family: fam, at: c.callee, key }),
                None => dynamic(ctx, c.callee, key),
            },
        }
    }
    for w in wrappers {
        let mut found = false;
        for c in calls {
            if last_segment(ctx.text(c.callee)) != w.name || !own_call(ctx, c) {
                continue;
            }
            let Some(args_node) = c.args else { continue };
            let Some(key) = key_arg(ctx, args_node, w.index) else { continue };
            if let Some(name) = fixed_string(ctx, key) {
                emit(ctx, c, &name, w.family, Some(&w.name));
                found = true;
            }
        }
        if !found {
            dynamic(ctx, w.at, w.key);
        }
    }
}

/// Whether a call can be of a function of this file: no receiver, the object itself (`self`,
/// `this`, `cls`, `@`), or a type name (a static method). `cache.get("x")` is not a call of a
/// wrapper `get` defined here.
fn own_call(ctx: &Ctx, c: &CallSite) -> bool {
    match c.receiver.map(|r| ctx.text(r).trim()) {
        None | Some("") => true,
        Some(r) => {
            matches!(r, "self" | "this" | "cls" | "Self" | "@" | "static")
                || r.chars().next().is_some_and(|ch| ch.is_ascii_uppercase())
        }
    }
}

/// Whether a Go call's first argument is a context (`ctx`, `r.Context()`, `context.Background()`).
fn context_first(ctx: &Ctx, args_node: TsNode) -> bool {
    let args = args_of(ctx.src, args_node);
    args.positional.len() >= 3
        && args.positional.first().is_some_and(|a| {
            let t = ctx.text(*a).to_ascii_lowercase();
            t.contains("ctx") || t.contains("context")
        })
}

/// The path of an OFREP single-flag evaluation (OpenFeature Remote Evaluation Protocol).
const OFREP_PATH: &str = "/ofrep/v1/evaluate/flags/";

/// An HTTP call to an OFREP endpoint: the key is the path segment after [`OFREP_PATH`], fixed
/// (an evaluation) or a parameter of the function around it (a wrapper).
fn ofrep<'t>(ctx: &mut Ctx, c: &CallSite<'t>, args_node: TsNode<'t>, wrappers: &mut Vec<Wrapper<'t>>) {
    let args = args_of(ctx.src, args_node);
    let Some(url) = args.positional.first().copied() else { return };
    let text = ctx.text(url);
    let Some(at) = text.find(OFREP_PATH) else { return };
    if let Some(v) = strval::eval(ctx, url).and_then(|v| v.exact()) {
        if let Some((_, key)) = v.split_once(OFREP_PATH) {
            let key = key.split(['?', '/', '"', '\'', '`']).next().unwrap_or("");
            if !key.is_empty() {
                emit(ctx, c, key, "ofrep", None);
            }
        }
        return;
    }
    // A literal key written right after the path (the host may still be a variable).
    let after = &text[at + OFREP_PATH.len()..];
    let literal: String = after.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    if !literal.is_empty() {
        emit(ctx, c, &literal, "ofrep", None);
        return;
    }
    // `${flagName}` right after the path: the substitution's expression.
    let start = url.start_byte() + at + OFREP_PATH.len();
    let mut w = url.walk();
    let sub = url.named_children(&mut w).find(|n| n.start_byte() >= start && n.start_byte() <= start + 2);
    let Some(expr) = sub.and_then(|s| if s.kind() == "template_substitution" { s.named_child(0) } else { Some(s) })
    else {
        return;
    };
    match parameter_of_enclosing(ctx, expr).or_else(|| own_parameter(ctx, expr)) {
        Some((name, index)) => wrappers.push(Wrapper { name, index, family: "ofrep", at: c.callee, key: expr }),
        None => dynamic(ctx, c.callee, expr),
    }
}

/// What [`parameter_of_enclosing`] does not read: Kotlin's `function_value_parameters` (no
/// `parameters` field) and Python's typed parameters (`flag_name: str`). The function around a
/// bare name and the name's position among its parameters.
fn own_parameter(ctx: &Ctx, n: TsNode) -> Option<(String, usize)> {
    if !matches!(ctx.lang, Lang::Kotlin | Lang::Python) || !matches!(n.kind(), "identifier" | "simple_identifier") {
        return None;
    }
    let name = ctx.text(n);
    let mut cur = n.parent();
    while let Some(p) = cur {
        if matches!(p.kind(), "function_declaration" | "function_definition") {
            let fname = ctx.text(p.child_by_field_name("name")?).to_string();
            let mut w = p.walk();
            let params = p
                .child_by_field_name("parameters")
                .or_else(|| p.named_children(&mut w).find(|c| c.kind() == "function_value_parameters"))?;
            let mut w = params.walk();
            let names: Vec<&str> = params
                .named_children(&mut w)
                .filter_map(|c| match c.kind() {
                    "identifier" => Some(ctx.text(c)),
                    "parameter" | "typed_parameter" | "default_parameter" | "typed_default_parameter" => {
                        c.child_by_field_name("name").or_else(|| c.named_child(0)).map(|id| ctx.text(id))
                    }
                    _ => None,
                })
                .filter(|p| !matches!(*p, "self" | "cls"))
                .collect();
            return names.iter().position(|p| *p == name).map(|i| (fname, i));
        }
        cur = p.parent();
    }
    None
}

/// The key argument: positional `pos`, or a named `flag_key:`/`flagKey`/`key` argument.
fn key_arg<'t>(ctx: &Ctx, args_node: TsNode<'t>, pos: usize) -> Option<TsNode<'t>> {
    let args = args_of(ctx.src, args_node);
    const NAMES: [&str; 4] = ["flag_key", "flagKey", "key", "flag"];
    if let Some((_, v)) = args.named.iter().find(|(k, _)| NAMES.contains(&k.trim_start_matches(':'))) {
        return Some(*v);
    }
    // Ruby keyword arguments arrive as `pair`s.
    for a in &args.positional {
        if a.kind() == "pair" {
            let k = a.child_by_field_name("key").map(|k| ctx.text(k).trim_end_matches(':').trim_start_matches(':'));
            if k.is_some_and(|k| NAMES.contains(&k)) {
                return a.child_by_field_name("value");
            }
        }
    }
    if args.positional.iter().any(|a| a.kind() == "pair") {
        return None;
    }
    args.positional.get(pos).copied()
}

/// The string a key expression always has in this file, if it is fixed.
fn fixed_string(ctx: &Ctx, key: TsNode) -> Option<String> {
    strval::eval(ctx, key)?.exact().filter(|s| !s.is_empty() && s.len() <= 200 && !s.contains(char::is_whitespace))
}

/// The evaluation's span runs from the method's line (a chained call may start lines above) to the call's end.
fn emit(ctx: &mut Ctx, c: &CallSite, name: &str, fam: &'static str, via: Option<&str>) {
    let from = ctx.owner_of(c.node);
    let span = Span::new(ctx.span(c.callee).end_line, ctx.span(c.node).end_line);
    let confidence = if via.is_some() { 0.8 } else { 0.9 };
    let mut r =
        Reference::key(from, EdgeKind::Evaluates, ns::FLAG, name, ctx.inferred(span, confidence)).with_attr(SDK, fam);
    if let Some(v) = via {
        r = r.with_attr(VIA, v);
    }
    ctx.add_wire_ref(r);
}

fn dynamic(ctx: &mut Ctx, at: TsNode, key: TsNode) {
    let shown: String = ctx.text(key).chars().take(60).collect();
    ctx.facts.diagnostic(Diagnostic::new(
        Severity::Info,
        "flag.dynamic-key",
        ctx.repo,
        ctx.path,
        Some(ctx.span(at).end_line),
        format!("a feature flag is evaluated with a key known only at run time (`{shown}`); not guessed"),
    ));
}

#[cfg(test)]
mod tests {
    use super::family;

    #[test]
    fn evaluation_methods() {
        for m in [
            "getBooleanValue",
            "getNumberDetails",
            "GetBooleanValueAsync",
            "GetDoubleValueAsync",
            "BooleanValueDetails",
            "IntValue",
            "get_boolean_value",
            "fetch_number_value",
            "resolve_int_value",
            "get_bool_value",
            "useNumberFlagValue",
            "useFlag",
        ] {
            assert_eq!(family(m), Some("openfeature"), "{m}");
        }
        assert_eq!(family("boolVariation"), Some("launchdarkly"));
        assert_eq!(family("isEnabled"), Some("unleash"));
        for m in ["getValue2", "get_value_of", "getStringBuilder", "Value", "getName", "BooleanParser"] {
            assert_ne!(family(m), Some("openfeature"), "{m}");
        }
    }
}
