//! Go: package directories, import paths, method receivers, json-tagged structs.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::Nodes;
use super::{dir_of, walk};
use crate::ctx::Ctx;
use brain_model::attr::ns;
use brain_model::{EdgeKind, Reference};
use tree_sitter::Node as TsNode;

/// The receiver type of a method (`func (s *Server) X()` gives `Server`).
pub fn receiver_type(ctx: &Ctx, n: TsNode) -> Option<String> {
    let recv = n.child_by_field_name("receiver")?;
    let param = recv.named_child(0)?;
    let ty = param.child_by_field_name("type")?;
    let t = ctx.text(ty).trim_start_matches('*');
    let t = t.split('[').next().unwrap_or(t);
    Some(t.trim().to_string())
}

/// The name a Go import is used by in code.
pub fn local_name(path: &str) -> String {
    let mut segs: Vec<&str> = path.split('/').collect();
    let mut last = segs.pop().unwrap_or(path);
    if last.len() >= 2 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit()) {
        last = segs.pop().unwrap_or(last);
    }
    let last = last.split('.').next().unwrap_or(last);
    let last = last.strip_suffix("-go").unwrap_or(last);
    last.trim_start_matches("go-").replace('-', "_")
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    ctx.facts.provide(&file, ns::MODULE, format!("go-dir:{}:{}", ctx.repo, dir_of(ctx.path)));
    let mut specs = Vec::new();
    root.each(|n, kind| {
        if kind == "import_spec" {
            specs.push(n);
        }
    });
    for s in specs {
        let Some(p) = s.child_by_field_name("path") else { continue };
        let path = ctx.text(p).trim_matches(['"', '`']).to_string();
        let alias = s.child_by_field_name("name").map(|a| ctx.text(a).to_string());
        let local = alias.clone().unwrap_or_else(|| local_name(&path));
        ctx.import_alias.insert(local.clone(), format!("go:{path}"));
        ctx.module_names.insert(local);
        let first = path.split('/').next().unwrap_or("");
        if !first.contains('.') {
            continue; // standard library
        }
        // A module key: the go.mod package provides `go:<module path>`; sub-packages
        // are resolved to their directory by `CodeLinkPass`.
        let prov = ctx.inferred(ctx.span(s), 0.8);
        ctx.add_ref(
            Reference::key(file.clone(), EdgeKind::Imports, ns::MODULE, format!("go:{path}"), prov)
                .with_attr("import_path", path),
        );
    }
}

/// Structs with at least one `json:` tag.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut specs = Vec::new();
    root.each(|n, kind| {
        if kind == "type_spec" && n.child_by_field_name("type").is_some_and(|t| t.kind() == "struct_type") {
            specs.push(n);
        }
    });
    for spec in specs {
        let Some(name) = spec.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let Some(st) = spec.child_by_field_name("type") else { continue };
        let mut decls = Vec::new();
        walk(st, |n| {
            if n.kind() == "field_declaration"
                && n.parent().is_some_and(|p| p.parent().is_some_and(|pp| pp.id() == st.id()))
            {
                decls.push(n);
            }
        });
        let mut any_tag = false;
        let mut fields = Vec::new();
        for d in decls {
            let tag = d.child_by_field_name("tag").map(|t| ctx.text(t).trim_matches(['`', '"']).replace("\\\"", "\""));
            let json = tag.as_deref().and_then(json_tag);
            if json.is_some() {
                any_tag = true;
            }
            let ty = d.child_by_field_name("type").map(|t| ctx.text(t).to_string()).unwrap_or_default();
            let mut c = d.walk();
            let names: Vec<String> =
                d.children_by_field_name("name", &mut c).map(|n| ctx.text(n).to_string()).collect();
            for fname in names {
                if !fname.starts_with(|c: char| c.is_uppercase()) {
                    continue;
                }
                let (wire, omitempty) = match &json {
                    Some((w, _)) if w == "-" => continue,
                    Some((w, o)) if !w.is_empty() => (w.clone(), *o),
                    Some((_, o)) => (fname.clone(), *o),
                    None => (fname.clone(), false),
                };
                fields.push(FieldSpec {
                    wire,
                    ty: ty.clone(),
                    required: !omitempty,
                    nullable: ty.starts_with('*'),
                    span: ctx.span(d),
                    name: fname,
                });
            }
        }
        if any_tag {
            shape::emit(
                ctx,
                ShapeSpec {
                    name,
                    span: ctx.span(spec),
                    serializer: "encoding/json",
                    convention: "json tags".into(),
                    fields,
                },
            );
        }
    }
}

/// The name and `omitempty` flag of a struct tag's `json:"..."` part.
pub fn json_tag(tag: &str) -> Option<(String, bool)> {
    let i = tag.find("json:\"")?;
    let rest = &tag[i + 6..];
    let val = rest.split('"').next()?;
    let mut parts = val.split(',');
    let name = parts.next().unwrap_or("").to_string();
    let omitempty = parts.any(|p| p == "omitempty" || p == "omitzero");
    Some((name, omitempty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_names() {
        assert_eq!(json_tag(r#"json:"id,omitempty" db:"x""#), Some(("id".to_string(), true)));
        assert_eq!(json_tag(r#"json:"-""#), Some(("-".to_string(), false)));
        assert_eq!(json_tag(r#"yaml:"x""#), None);
        assert_eq!(local_name("github.com/go-chi/chi/v5"), "chi");
        assert_eq!(local_name("gopkg.in/yaml.v3"), "yaml");
    }
}
