//! Java and Kotlin: packages and imports (`java:` module keys for both),
//! Kotlin declaration flavours, Jackson/kotlinx/record shapes.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::Nodes;
use super::{deco_args, deco_name, decorations, walk};
use crate::ctx::Ctx;
use crate::lang::Lang;
use brain_model::attr::ns;
use brain_model::{EdgeKind, Reference};
use tree_sitter::Node as TsNode;

/// Kotlin `interface`, `enum class`, `object` and `fun interface` flavours.
pub fn refine_kotlin(ctx: &Ctx, n: TsNode, kind: &'static str) -> &'static str {
    if n.kind() != "class_declaration" {
        return kind;
    }
    let mut c = n.walk();
    for ch in n.children(&mut c) {
        match ch.kind() {
            "interface" => return "interface",
            "modifiers" if ctx.text(ch).split_whitespace().any(|w| w == "enum") => return "enum",
            _ => {}
        }
    }
    kind
}

fn package_of(ctx: &Ctx, root: &Nodes<'_>) -> Option<String> {
    let mut c = root.root.walk();
    let found = root.root.named_children(&mut c).find(|n| matches!(n.kind(), "package_declaration" | "package_header"));
    let p = found?;
    let t = ctx.text(p).trim().trim_start_matches("package").trim().trim_end_matches(';').trim();
    Some(t.split_whitespace().collect::<String>())
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    let pkg = package_of(ctx, root);
    if let Some(p) = &pkg {
        ctx.facts.provide(&file, ns::MODULE, format!("java:{p}"));
        ctx.open_namespaces.push(format!("java:{p}"));
    }
    // Top-level types.
    let mut c = root.root.walk();
    let tops: Vec<TsNode> = root.root.named_children(&mut c).collect();
    for t in &tops {
        if t.kind().ends_with("_declaration") && t.kind() != "package_declaration" && t.kind() != "import_declaration" {
            if let Some(n) = t.child_by_field_name("name") {
                if t.kind() == "function_declaration" || t.kind() == "property_declaration" {
                    continue;
                }
                let name = ctx.text(n);
                let key = match &pkg {
                    Some(p) => format!("java:{p}.{name}"),
                    None => format!("java:{name}"),
                };
                ctx.facts.provide(&file, ns::MODULE, key);
            }
        }
    }
    for t in tops {
        if !matches!(t.kind(), "import_declaration" | "import") {
            continue;
        }
        let text = ctx.text(t).trim().trim_start_matches("import").trim().trim_end_matches(';').trim();
        let static_import = text.starts_with("static ");
        let text = text.strip_prefix("static ").unwrap_or(text).trim();
        let text = text.split(" as ").next().unwrap_or(text).trim();
        let wildcard = text.ends_with(".*");
        let path = text.trim_end_matches(".*").split_whitespace().collect::<String>();
        let first = path.split('.').next().unwrap_or("");
        if matches!(first, "java" | "javax" | "kotlin" | "kotlinx" | "android" | "androidx")
            && !path.starts_with("kotlinx.serialization.xx")
        {
            if let Some(leaf) = path.rsplit('.').next() {
                ctx.imported_names.insert(leaf.to_string(), path.clone());
            }
            continue;
        }
        // `import a.b.C.method` (static or Kotlin top-level): the type is the last capitalised segment.
        let segs: Vec<&str> = path.split('.').collect();
        let key = if wildcard {
            path.clone()
        } else {
            match segs.iter().rposition(|s| s.starts_with(|c: char| c.is_uppercase())) {
                Some(i) => segs[..=i].join("."),
                None => path.clone(),
            }
        };
        if let Some(leaf) = segs.last() {
            ctx.imported_names.insert(leaf.to_string(), path.clone());
        }
        // For the flow analysis: `Order` -> `java:com.acme.Order`; `com.acme.*` opens a namespace.
        if wildcard {
            // Frameworks' packages hold no contract types.
            let framework = [
                "org.springframework",
                "io.grpc",
                "com.fasterxml",
                "org.apache",
                "jakarta.",
                "lombok",
                "reactor.",
                "io.ktor",
                "org.jetbrains",
                "io.micronaut",
                "io.quarkus",
            ]
            .iter()
            .any(|f| path.starts_with(f));
            if !framework {
                ctx.open_namespaces.push(format!("java:{path}"));
            }
        } else if !static_import {
            if let Some(leaf) = segs.last().filter(|l| l.starts_with(|c: char| c.is_uppercase())) {
                ctx.import_alias.insert(leaf.to_string(), format!("java:{path}"));
            }
        }
        let prov = ctx.inferred(ctx.span(t), 0.8);
        ctx.add_ref(Reference::key(file.clone(), EdgeKind::Imports, ns::MODULE, format!("java:{key}"), prov));
    }
}

fn naming_strategy(ctx: &Ctx, cls: TsNode) -> Option<String> {
    for d in decorations(ctx, cls) {
        let name = deco_name(ctx, d);
        let text = ctx.text(d);
        if name == "JsonNaming" {
            for s in [
                "SnakeCaseStrategy",
                "KebabCaseStrategy",
                "LowerCamelCaseStrategy",
                "UpperCamelCaseStrategy",
                "LowerCaseStrategy",
                "UpperSnakeCaseStrategy",
                "LowerDotCaseStrategy",
            ] {
                if text.contains(s) {
                    return Some(s.to_string());
                }
            }
        }
        if name == "JsonClassDescription" {
            continue;
        }
    }
    None
}

fn annotation_string(ctx: &Ctx, d: TsNode) -> Option<String> {
    let args = deco_args(d)?;
    let mut out = None;
    walk(args, |n| {
        if out.is_none() && matches!(n.kind(), "string_literal" | "string") {
            out = crate::strval::eval(ctx, n).and_then(|v| v.exact());
        }
    });
    out
}

/// Jackson-annotated classes, Java records, kotlinx `@Serializable` classes.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut classes = Vec::new();
    root.each(|n, kind| {
        if matches!(kind, "class_declaration" | "record_declaration") {
            classes.push(n);
        }
    });
    for cls in classes {
        let Some(name) = cls.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let class_annos: Vec<String> = decorations(ctx, cls).iter().map(|d| deco_name(ctx, *d)).collect();
        let serializable = class_annos.iter().any(|a| a == "Serializable");
        let strategy = naming_strategy(ctx, cls);
        let record = cls.kind() == "record_declaration";
        // Annotations on the class's own fields or constructor parameters (not nested types).
        let mut member_text = String::new();
        let mut c = cls.walk();
        for ch in cls.named_children(&mut c) {
            match ch.kind() {
                "primary_constructor" | "formal_parameters" => member_text.push_str(ctx.text(ch)),
                "class_body" => {
                    let mut cc = ch.walk();
                    for f in ch.named_children(&mut cc) {
                        if matches!(f.kind(), "field_declaration" | "property_declaration") {
                            member_text.push_str(ctx.text(f));
                        }
                    }
                }
                _ => {}
            }
        }
        let jackson = strategy.is_some()
            || member_text.contains("@JsonProperty")
            || member_text.contains("@get:JsonProperty")
            || class_annos.iter().any(|a| a.starts_with("Json"));
        if !(record || jackson || serializable) {
            continue;
        }
        // (name, type, annotations node owner, span node)
        let mut members: Vec<(String, String, TsNode, bool)> = Vec::new();
        match ctx.lang {
            Lang::Java => {
                if record {
                    if let Some(params) = cls.child_by_field_name("parameters") {
                        let mut c = params.walk();
                        for p in params.named_children(&mut c) {
                            if let (Some(n), Some(t)) = (p.child_by_field_name("name"), p.child_by_field_name("type")) {
                                members.push((ctx.text(n).to_string(), ctx.text(t).to_string(), p, false));
                            }
                        }
                    }
                } else if let Some(body) = cls.child_by_field_name("body") {
                    let mut c = body.walk();
                    for f in body.named_children(&mut c) {
                        if f.kind() != "field_declaration" || ctx.text(f).contains("static ") {
                            continue;
                        }
                        let ty = f.child_by_field_name("type").map(|t| ctx.text(t).to_string()).unwrap_or_default();
                        let mut cc = f.walk();
                        for d in f.children_by_field_name("declarator", &mut cc) {
                            if let Some(n) = d.child_by_field_name("name") {
                                members.push((ctx.text(n).to_string(), ty.clone(), f, false));
                            }
                        }
                    }
                }
            }
            Lang::Kotlin => {
                walk(cls, |n| {
                    if n.kind() == "class_parameter"
                        && n.parent()
                            .and_then(|p| p.parent())
                            .is_some_and(|pp| pp.parent().is_some_and(|c| c.id() == cls.id()))
                    {
                        let mut c = n.walk();
                        let kids: Vec<TsNode> = n.named_children(&mut c).collect();
                        let name = kids.iter().find(|k| k.kind() == "identifier").map(|k| ctx.text(*k).to_string());
                        let ty = kids
                            .iter()
                            .find(|k| k.kind().ends_with("type"))
                            .map(|k| ctx.text(*k).to_string())
                            .unwrap_or_default();
                        let has_default = ctx.text(n).contains('=');
                        if let Some(nm) = name {
                            members.push((nm, ty, n, has_default));
                        }
                    }
                });
            }
            _ => {}
        }
        let mut fields = Vec::new();
        for (fname, ty, owner, has_default) in members {
            let annos: Vec<TsNode> = match ctx.lang {
                Lang::Kotlin | Lang::Java => {
                    let mut v = decorations(ctx, owner);
                    let mut c = owner.walk();
                    v.extend(
                        owner.named_children(&mut c).filter(|x| matches!(x.kind(), "annotation" | "marker_annotation")),
                    );
                    v
                }
                _ => Vec::new(),
            };
            let mut wire: Option<String> = None;
            let mut ignored = false;
            let mut nullable_anno = false;
            let mut required_anno = false;
            for a in &annos {
                match deco_name(ctx, *a).as_str() {
                    "JsonProperty" | "SerialName" | "SerializedName" | "Json" => {
                        if wire.is_none() {
                            wire = annotation_string(ctx, *a);
                        }
                        if ctx.text(*a).contains("required = true") || ctx.text(*a).contains("required=true") {
                            required_anno = true;
                        }
                    }
                    "JsonIgnore" | "Transient" => ignored = true,
                    "Nullable" => nullable_anno = true,
                    "NotNull" | "NonNull" | "NotBlank" | "NotEmpty" => required_anno = true,
                    _ => {}
                }
            }
            if ignored {
                continue;
            }
            let nullable = nullable_anno || ty.ends_with('?') || ty.starts_with("Optional<");
            let wire = wire.unwrap_or_else(|| match &strategy {
                Some(s) => shape::apply_case(&fname, s),
                None => fname.clone(),
            });
            fields.push(FieldSpec {
                wire,
                ty,
                required: required_anno || (!nullable && !has_default),
                nullable,
                span: ctx.span(owner),
                name: fname,
            });
        }
        let (serializer, convention) = if serializable {
            ("kotlinx", "kotlinx @SerialName".to_string())
        } else if let Some(s) = &strategy {
            ("jackson", format!("jackson @JsonNaming({s})"))
        } else if jackson {
            ("jackson", "jackson @JsonProperty".to_string())
        } else {
            ("record", "as written".to_string())
        };
        shape::emit(ctx, ShapeSpec { name, span: ctx.span(cls), serializer, convention, fields });
    }
}
