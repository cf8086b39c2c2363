//! C#: namespaces and `using`s (`cs:` module keys), System.Text.Json /
//! Newtonsoft shapes with ASP.NET's camelCase default.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::Nodes;
use super::{deco_args, deco_name, decorations, walk};
use crate::ctx::Ctx;
use brain_model::attr::ns;
use brain_model::{EdgeKind, Reference};
use tree_sitter::Node as TsNode;

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    let mut namespaces = Vec::new();
    let mut usings = Vec::new();
    root.each(|n, kind| match kind {
        "namespace_declaration" | "file_scoped_namespace_declaration" => namespaces.push(n),
        "using_directive" => usings.push(n),
        _ => {}
    });
    for n in namespaces {
        if let Some(name) = n.child_by_field_name("name") {
            let key = format!("cs:{}", ctx.text(name));
            if !ctx.open_namespaces.contains(&key) {
                ctx.open_namespaces.insert(0, key.clone());
            }
            if !ctx.facts.provides.iter().any(|p| p.key == key) {
                ctx.facts.provide(&file, ns::MODULE, key);
            }
        }
    }
    for u in usings {
        let t = ctx
            .text(u)
            .trim()
            .trim_start_matches("global")
            .trim()
            .trim_start_matches("using")
            .trim()
            .trim_end_matches(';')
            .trim();
        let t = t.strip_prefix("static ").unwrap_or(t).trim();
        // `using X = A.B;` aliases: the target.
        let alias = t.split_once('=').map(|(a, _)| a.trim().to_string());
        let t = t.rsplit('=').next().unwrap_or(t).trim();
        if t.is_empty() || t.starts_with("System") {
            continue;
        }
        // For the flow analysis: namespaces in scope, and aliases of types or namespaces.
        match alias {
            Some(a) => {
                ctx.import_alias.insert(a, format!("cs:{t}"));
            }
            None if !is_library_namespace(t) => {
                ctx.open_namespaces.push(format!("cs:{t}"));
            }
            None => {}
        }
        let prov = ctx.inferred(ctx.span(u), 0.8);
        ctx.add_ref(Reference::key(file.clone(), EdgeKind::Imports, ns::MODULE, format!("cs:{t}"), prov));
    }
}

/// Namespaces of frameworks and client libraries, which hold no contract types.
fn is_library_namespace(t: &str) -> bool {
    let head = t.split('.').next().unwrap_or(t);
    matches!(
        head,
        "System"
            | "Microsoft"
            | "Grpc"
            | "Confluent"
            | "NATS"
            | "RabbitMQ"
            | "Newtonsoft"
            | "StackExchange"
            | "Polly"
            | "Serilog"
            | "AutoMapper"
            | "MediatR"
            | "FluentValidation"
            | "Dapr"
            | "Azure"
            | "Amazon"
            | "OpenTelemetry"
            | "Xunit"
            | "NUnit"
            | "Moq"
            | "Npgsql"
            | "MongoDB"
            | "MassTransit"
            | "Steeltoe"
    ) || t.starts_with("Google.Protobuf")
}

fn attr_string(ctx: &Ctx, a: TsNode) -> Option<String> {
    let args = deco_args(a)?;
    let mut out = None;
    walk(args, |n| {
        if out.is_none() && matches!(n.kind(), "string_literal" | "verbatim_string_literal") {
            out = crate::strval::eval(ctx, n).and_then(|v| v.exact());
        }
    });
    out
}

const SHAPE_SUFFIXES: &[&str] =
    &["Dto", "DTO", "Request", "Response", "Event", "Message", "Command", "Model", "Payload", "Query", "Item"];

/// Records, DTO-like classes and classes with JSON attributes; ASP.NET serialises camelCase by default.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut classes = Vec::new();
    root.each(|n, kind| {
        if matches!(kind, "class_declaration" | "record_declaration" | "struct_declaration") {
            classes.push(n);
        }
    });
    for cls in classes {
        let Some(name) = cls.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let text = ctx.text(cls);
        let json_attrs = text.contains("[JsonPropertyName") || text.contains("[JsonProperty");
        let record = cls.kind() == "record_declaration";
        let dto = SHAPE_SUFFIXES.iter().any(|s| name.ends_with(s));
        if !(json_attrs || record || dto) {
            continue;
        }
        let mut members: Vec<(String, String, TsNode, bool)> = Vec::new();
        // Positional record parameters.
        if let Some(params) = cls.named_children(&mut cls.walk()).find(|c| c.kind() == "parameter_list") {
            let mut c = params.walk();
            for p in params.named_children(&mut c) {
                if let (Some(n), Some(t)) = (p.child_by_field_name("name"), p.child_by_field_name("type")) {
                    members.push((ctx.text(n).to_string(), ctx.text(t).to_string(), p, false));
                }
            }
        }
        if let Some(body) = cls.child_by_field_name("body") {
            let mut c = body.walk();
            for m in body.named_children(&mut c) {
                if m.kind() != "property_declaration" {
                    continue;
                }
                let mods = ctx.text(m);
                if mods.contains("static ") || mods.contains("private ") || mods.contains("protected ") {
                    continue;
                }
                let (Some(n), Some(t)) = (m.child_by_field_name("name"), m.child_by_field_name("type")) else {
                    continue;
                };
                let required_kw =
                    m.named_children(&mut m.walk()).any(|x| x.kind() == "modifier" && ctx.text(x) == "required");
                members.push((ctx.text(n).to_string(), ctx.text(t).to_string(), m, required_kw));
            }
        }
        if members.is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        for (fname, ty, owner, required_kw) in members {
            let mut wire = None;
            let mut ignored = false;
            let mut required_attr = false;
            for a in decorations(ctx, owner) {
                match deco_name(ctx, a).as_str() {
                    "JsonPropertyName" | "JsonProperty" | "DataMember" if wire.is_none() => {
                        wire = attr_string(ctx, a);
                    }
                    "JsonIgnore" => ignored = true,
                    "Required" | "JsonRequired" => required_attr = true,
                    _ => {}
                }
            }
            if ignored {
                continue;
            }
            let nullable = ty.ends_with('?');
            let wire = wire.unwrap_or_else(|| shape::apply_case(&fname, "camelCase"));
            fields.push(FieldSpec {
                wire,
                ty,
                required: required_kw || required_attr || !nullable,
                nullable,
                span: ctx.span(owner),
                name: fname,
            });
        }
        let serializer = if text.contains("[JsonProperty(") { "newtonsoft" } else { "system.text.json" };
        shape::emit(
            ctx,
            ShapeSpec {
                name,
                span: ctx.span(cls),
                serializer,
                convention: "camelCase (ASP.NET web default)".into(),
                fields,
            },
        );
    }
}
