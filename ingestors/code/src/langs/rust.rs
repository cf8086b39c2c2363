//! Rust: module paths from file paths, `use`/`mod` imports, serde shapes.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::Nodes;
use super::{decorations, dir_of};
use crate::ctx::Ctx;
use brain_model::attr::ns;
use brain_model::{EdgeKind, NodeId, Reference};
use tree_sitter::Node as TsNode;

/// The crate directory (the folder holding `src/`) and the module path segments of a file.
fn module_segments(path: &str) -> (String, Vec<String>) {
    let parts: Vec<&str> = path.split('/').collect();
    let src_at = parts.iter().rposition(|p| *p == "src");
    let (crate_dir, rest) = match src_at {
        Some(i) => (parts[..i].join("/"), &parts[i + 1..]),
        None => (dir_of(path).to_string(), &parts[parts.len().saturating_sub(1)..]),
    };
    let mut segs: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
    if let Some(last) = segs.pop() {
        let stem = last.trim_end_matches(".rs");
        let root_file = match src_at {
            Some(_) => matches!(stem, "mod" | "lib" | "main"),
            None => stem == "mod",
        };
        if !root_file {
            segs.push(stem.to_string());
        }
    }
    (crate_dir, segs)
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let (crate_dir, segs) = module_segments(ctx.path);
    let module = if segs.is_empty() { "crate".to_string() } else { format!("crate::{}", segs.join("::")) };
    let file = ctx.file_id.clone();
    // `crate::` paths mean nothing outside their crate: the key names the repo and crate dir.
    let crate_key = format!("rust:{}:{crate_dir}:", ctx.repo);
    ctx.facts.provide(&file, ns::MODULE, format!("{crate_key}{module}"));
    let crate_name = crate_dir.rsplit('/').next().unwrap_or("").replace('-', "_");
    if !crate_name.is_empty() {
        let m = if segs.is_empty() { crate_name.clone() } else { format!("{crate_name}::{}", segs.join("::")) };
        ctx.facts.provide(&file, ns::MODULE, format!("rust:{m}"));
    }
    // The directory `mod foo;` resolves against.
    let name = ctx.path.rsplit('/').next().unwrap_or("");
    let mod_dir = if matches!(name, "mod.rs" | "lib.rs" | "main.rs") {
        dir_of(ctx.path).to_string()
    } else {
        ctx.path.trim_end_matches(".rs").to_string()
    };

    let mut cursor = root.root.walk();
    let items: Vec<TsNode> = root.root.named_children(&mut cursor).collect();
    for item in items {
        match item.kind() {
            "mod_item" if item.child_by_field_name("body").is_none() => {
                let Some(n) = item.child_by_field_name("name") else { continue };
                let m = ctx.text(n);
                let prefix = if mod_dir.is_empty() { String::new() } else { format!("{mod_dir}/") };
                let cands = vec![
                    NodeId::file(ctx.repo, &format!("{prefix}{m}.rs")),
                    NodeId::file(ctx.repo, &format!("{prefix}{m}/mod.rs")),
                ];
                ctx.imported_files.extend(cands.iter().cloned());
                let prov = ctx.declared(ctx.span(item));
                ctx.add_ref(Reference::any_of(file.clone(), EdgeKind::Imports, cands, prov));
            }
            "use_declaration" => {
                if let Some(arg) = item.child_by_field_name("argument") {
                    let mut paths = Vec::new();
                    use_paths(ctx, arg, String::new(), &mut paths);
                    let span = ctx.span(item);
                    let mut emitted: Vec<String> = Vec::new();
                    for (full, in_list) in paths {
                        let leaf = full.rsplit("::").next().unwrap_or(&full).to_string();
                        if leaf.starts_with(|c: char| c.is_ascii_uppercase()) {
                            // For the flow analysis: `Product` -> `rust:crate::pb::Product`.
                            ctx.import_alias.insert(leaf.clone(), format!("rust:{full}"));
                        }
                        ctx.imported_names.insert(leaf, full.clone());
                        let segs_u: Vec<&str> = full.split("::").collect();
                        let first = segs_u[0];
                        if matches!(first, "std" | "core" | "alloc") {
                            continue;
                        }
                        let key = if matches!(first, "crate" | "self" | "super") {
                            let abs = absolutize(&segs, &segs_u);
                            let mut m: Vec<&str> = abs.split("::").collect();
                            if (in_list || m.len() >= 3) && m.len() > 1 {
                                m.pop();
                            }
                            (ns::MODULE, format!("{crate_key}{}", m.join("::")))
                        } else {
                            (ns::PACKAGE, format!("cargo:{first}"))
                        };
                        if emitted.contains(&key.1) {
                            continue;
                        }
                        emitted.push(key.1.clone());
                        let prov = if key.0 == ns::PACKAGE { ctx.inferred(span, 0.8) } else { ctx.inferred(span, 0.7) };
                        ctx.add_ref(Reference::key(file.clone(), EdgeKind::Imports, key.0, key.1, prov));
                    }
                }
            }
            _ => {}
        }
    }
}

fn absolutize(module: &[String], path: &[&str]) -> String {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = path;
    match path.first() {
        Some(&"crate") => {
            base.clear();
            rest = &path[1..];
        }
        Some(&"self") => rest = &path[1..],
        Some(&"super") => {
            let mut i = 0;
            while path.get(i) == Some(&"super") {
                base.pop();
                i += 1;
            }
            rest = &path[i..];
        }
        _ => {}
    }
    let mut out = vec!["crate".to_string()];
    out.extend(base);
    out.extend(rest.iter().map(|s| s.to_string()));
    out.join("::")
}

fn use_paths(ctx: &Ctx, n: TsNode, prefix: String, out: &mut Vec<(String, bool)>) {
    let join = |p: &str, s: &str| if p.is_empty() { s.to_string() } else { format!("{p}::{s}") };
    match n.kind() {
        "scoped_use_list" => {
            let p = n.child_by_field_name("path").map(|x| join(&prefix, ctx.text(x))).unwrap_or(prefix);
            if let Some(list) = n.child_by_field_name("list") {
                let mut c = list.walk();
                for ch in list.named_children(&mut c) {
                    let mut sub = Vec::new();
                    use_paths(ctx, ch, p.clone(), &mut sub);
                    out.extend(sub.into_iter().map(|(s, _)| (s, true)));
                }
            }
        }
        "use_list" => {
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                use_paths(ctx, ch, prefix.clone(), out);
            }
        }
        "use_as_clause" => {
            if let Some(p) = n.child_by_field_name("path") {
                use_paths(ctx, p, prefix, out);
            }
        }
        "use_wildcard" => {
            let t = ctx.text(n).trim_end_matches("::*").trim_end_matches('*');
            out.push((join(&prefix, t), false));
        }
        "self" => out.push((prefix, false)),
        _ => out.push((join(&prefix, ctx.text(n)), false)),
    }
}

/// serde structs: `#[derive(Serialize|Deserialize)]` with `rename_all`, `rename`, `skip`, `default`, `Option`.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut structs = Vec::new();
    root.each(|n, kind| {
        if kind == "struct_item" {
            structs.push(n);
        }
    });
    for s in structs {
        let attrs = decorations(ctx, s);
        let texts: Vec<&str> = attrs.iter().map(|a| ctx.text(*a)).collect();
        let serde =
            texts.iter().any(|t| t.contains("derive") && (t.contains("Serialize") || t.contains("Deserialize")));
        if !serde {
            continue;
        }
        let Some(name) = s.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let rename_all = texts.iter().find_map(|t| serde_arg(t, "rename_all"));
        let container_default = texts.iter().any(|t| t.contains("serde") && has_flag(t, "default"));
        let mut fields = Vec::new();
        if let Some(body) = s.child_by_field_name("body").filter(|b| b.kind() == "field_declaration_list") {
            let mut c = body.walk();
            let mut pending: Vec<String> = Vec::new();
            for ch in body.named_children(&mut c) {
                match ch.kind() {
                    "attribute_item" => pending.push(ctx.text(ch).to_string()),
                    "field_declaration" => {
                        let attrs = std::mem::take(&mut pending);
                        let Some(fname) = ch.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else {
                            continue;
                        };
                        let ty = ch.child_by_field_name("type").map(|n| ctx.text(n).to_string()).unwrap_or_default();
                        let serde_attrs: Vec<&String> = attrs.iter().filter(|a| a.contains("serde")).collect();
                        if serde_attrs.iter().any(|a| has_flag(a, "skip") || has_flag(a, "flatten")) {
                            continue;
                        }
                        let wire =
                            serde_attrs.iter().find_map(|a| serde_arg(a, "rename")).unwrap_or_else(
                                || match &rename_all {
                                    Some(conv) => shape::apply_case(&fname, conv),
                                    None => fname.clone(),
                                },
                            );
                        let optional = ty.starts_with("Option<") || ty.starts_with("std::option::Option<");
                        let defaulted = container_default
                            || serde_attrs.iter().any(|a| has_flag(a, "default") || a.contains("skip_serializing_if"));
                        fields.push(FieldSpec {
                            wire,
                            ty: ty.clone(),
                            required: !optional && !defaulted,
                            nullable: optional,
                            span: ctx.span(ch),
                            name: fname,
                        });
                    }
                    _ => pending.clear(),
                }
            }
        }
        let convention = match &rename_all {
            Some(c) => format!("serde rename_all={c}"),
            None => "serde".to_string(),
        };
        shape::emit(ctx, ShapeSpec { name, span: ctx.span(s), serializer: "serde", convention, fields });
    }
}

/// The string value of `key = "..."` inside an attribute (`rename_all = "camelCase"`).
/// `rename` does not match `rename_all`; `serialize = "x"` inside `rename(...)` is taken for `rename`.
pub fn serde_arg(attr: &str, key: &str) -> Option<String> {
    let mut search = attr;
    while let Some(i) = search.find(key) {
        let before = search[..i].chars().last();
        let after = &search[i + key.len()..];
        let boundary_ok = before.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let rest = after.trim_start();
        if boundary_ok && rest.starts_with('=') {
            let v = rest[1..].trim_start();
            if let Some(stripped) = v.strip_prefix('"') {
                return stripped.split('"').next().map(str::to_string);
            }
        } else if boundary_ok && rest.starts_with('(') && key == "rename" {
            if let Some(v) = serde_arg(rest, "deserialize").or_else(|| serde_arg(rest, "serialize")) {
                return Some(v);
            }
        }
        search = &search[i + key.len()..];
    }
    None
}

fn has_flag(attr: &str, flag: &str) -> bool {
    attr.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == flag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(module_segments("src/api.rs"), ("".to_string(), vec!["api".to_string()]));
        assert_eq!(module_segments("crates/x/src/lib.rs"), ("crates/x".to_string(), vec![]));
        assert_eq!(module_segments("crates/x/src/a/mod.rs"), ("crates/x".to_string(), vec!["a".to_string()]));
        assert_eq!(absolutize(&["a".into(), "b".into()], &["super", "c"]), "crate::a::c");
        assert_eq!(serde_arg(r#"#[serde(rename_all = "camelCase")]"#, "rename"), None);
        assert_eq!(serde_arg(r#"#[serde(rename_all = "camelCase")]"#, "rename_all").as_deref(), Some("camelCase"));
        assert_eq!(serde_arg(r#"#[serde(rename = "id")]"#, "rename").as_deref(), Some("id"));
    }
}
