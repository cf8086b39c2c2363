//! Python: docstrings, pytest/unittest tests, dotted module paths, imports,
//! pydantic models and dataclasses.

use super::shape::{self, FieldSpec, ShapeSpec};
use super::Nodes;
use super::{decorations, dir_of};
use crate::ctx::{Ctx, Def};
use brain_model::attr::ns;
use brain_model::{EdgeKind, NodeId, Reference};
use tree_sitter::Node as TsNode;

/// Standard-library top-level modules that never become package references.
const STDLIB: &[&str] = &[
    "__future__",
    "abc",
    "argparse",
    "ast",
    "asyncio",
    "base64",
    "bisect",
    "builtins",
    "collections",
    "concurrent",
    "contextlib",
    "contextvars",
    "copy",
    "csv",
    "dataclasses",
    "datetime",
    "decimal",
    "enum",
    "errno",
    "functools",
    "gc",
    "glob",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "logging",
    "math",
    "mimetypes",
    "multiprocessing",
    "operator",
    "os",
    "pathlib",
    "pickle",
    "platform",
    "pprint",
    "queue",
    "random",
    "re",
    "secrets",
    "select",
    "shlex",
    "shutil",
    "signal",
    "socket",
    "sqlite3",
    "ssl",
    "stat",
    "string",
    "struct",
    "subprocess",
    "sys",
    "tempfile",
    "textwrap",
    "threading",
    "time",
    "timeit",
    "traceback",
    "types",
    "typing",
    "unittest",
    "urllib",
    "uuid",
    "warnings",
    "weakref",
    "xml",
    "zipfile",
    "zlib",
    "codecs",
    "calendar",
    "numbers",
    "fractions",
    "statistics",
    "email",
    "getpass",
    "locale",
    "gettext",
    "configparser",
    "fnmatch",
    "tomllib",
    "typing_extensions",
    "encodings",
    "unicodedata",
    "binascii",
    "array",
    "selectors",
    "site",
    "sysconfig",
    "tokenize",
    "token",
    "keyword",
    "dis",
    "difflib",
    "doctest",
    "cgi",
    "wsgiref",
    "optparse",
    "atexit",
    "faulthandler",
    "cProfile",
    "profile",
    "pstats",
    "trace",
    "tracemalloc",
    "ctypes",
    "mmap",
    "lzma",
    "bz2",
    "tarfile",
    "zipimport",
    "pkgutil",
    "runpy",
    "posixpath",
    "ntpath",
    "stringprep",
    "http.client",
];

/// Whether a top-level module is part of the standard library.
pub fn is_stdlib(top: &str) -> bool {
    STDLIB.contains(&top)
}

/// Import names whose distribution is named differently on PyPI.
fn distribution(top: &str) -> String {
    match top {
        "yaml" => "pyyaml",
        "sklearn" => "scikit-learn",
        "PIL" => "pillow",
        "cv2" => "opencv-python",
        "bs4" => "beautifulsoup4",
        "dateutil" => "python-dateutil",
        "jwt" => "pyjwt",
        "google" => "protobuf",
        "grpc" => "grpcio",
        "dotenv" => "python-dotenv",
        "attr" => "attrs",
        "psycopg2" => "psycopg2",
        "kafka" => "kafka-python",
        "confluent_kafka" => "confluent-kafka",
        other => return other.replace('_', "-").to_lowercase(),
    }
    .to_string()
}

pub fn docstring(ctx: &Ctx, n: TsNode) -> Option<String> {
    let body = n.child_by_field_name("body")?;
    let first = body.named_child(0)?;
    if first.kind() != "expression_statement" {
        return None;
    }
    let s = first.named_child(0).filter(|s| s.kind() == "string")?;
    let t = ctx.text(s);
    let t = t.trim_start_matches(['r', 'u', 'b', 'R', 'U', 'B']).trim_matches('"').trim_matches('\'');
    let lines: Vec<&str> = t.lines().map(str::trim).collect();
    let d = lines.join("\n").trim().to_string();
    if d.is_empty() {
        None
    } else {
        Some(crate::ctx::clip(&d, 2000))
    }
}

pub fn is_test(ctx: &Ctx, n: TsNode, name: &str, parent: Option<&Def>) -> bool {
    if !name.starts_with("test") {
        return false;
    }
    match parent {
        None => ctx.test_file && (name.starts_with("test_") || name == "test"),
        Some(p) if p.kind == "class" => {
            // unittest.TestCase methods, or pytest classes named Test*.
            p.name.starts_with("Test")
                || p.name.ends_with("Test")
                || p.name.ends_with("Tests")
                || class_is_testcase(ctx, n)
        }
        Some(_) => false,
    }
}

fn class_is_testcase(ctx: &Ctx, method: TsNode) -> bool {
    let mut cur = method.parent();
    while let Some(c) = cur {
        if c.kind() == "class_definition" {
            return c.child_by_field_name("superclasses").is_some_and(|s| ctx.text(s).contains("TestCase"));
        }
        cur = c.parent();
    }
    false
}

/// Module names of a file: `src/orders/models.py` gives `src.orders.models` and `orders.models`.
fn module_names(path: &str) -> Vec<String> {
    let p = path.trim_end_matches(".pyi").trim_end_matches(".py");
    let mut segs: Vec<&str> = p.split('/').collect();
    if segs.last() == Some(&"__init__") {
        segs.pop();
    }
    if segs.is_empty() || segs.iter().any(|s| s.contains(['-', ' ', '.'])) && segs.len() == 1 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for start in 0..segs.len() {
        let tail = &segs[start..];
        if tail.iter().any(|s| s.is_empty() || s.contains(['-', ' ', '.'])) {
            continue;
        }
        if tail.len() >= 2 || start == 0 {
            out.push(tail.join("."));
        }
    }
    out
}

pub fn module_and_imports(ctx: &mut Ctx, root: &Nodes<'_>) {
    let file = ctx.file_id.clone();
    for m in module_names(ctx.path) {
        ctx.facts.provide(&file, ns::MODULE, format!("py:{m}"));
    }
    let mut imports = Vec::new();
    root.each(|n, kind| {
        if matches!(kind, "import_statement" | "import_from_statement" | "future_import_statement") {
            imports.push(n);
        }
    });
    let here = dir_of(ctx.path).to_string();
    for imp in imports {
        let span = ctx.span(imp);
        if imp.kind() == "import_statement" {
            let mut c = imp.walk();
            let names: Vec<TsNode> = imp.children_by_field_name("name", &mut c).collect();
            for nm in names {
                let (dotted, alias) = match nm.kind() {
                    "aliased_import" => (
                        nm.child_by_field_name("name").map(|x| ctx.text(x)).unwrap_or(""),
                        nm.child_by_field_name("alias").map(|x| ctx.text(x)),
                    ),
                    _ => (ctx.text(nm), None),
                };
                let local = alias.unwrap_or_else(|| dotted.split('.').next().unwrap_or(dotted)).to_string();
                // `import demo_pb2 as pb` binds the whole path; `import a.b` binds `a`.
                let target = if alias.is_some() { dotted } else { local.as_str() };
                ctx.import_alias.insert(local.clone(), format!("py:{target}"));
                ctx.module_names.insert(local);
                absolute(ctx, &file, dotted, span);
            }
        } else if imp.kind() == "import_from_statement" {
            let Some(m) = imp.child_by_field_name("module_name") else { continue };
            from_import_aliases(ctx, imp, m);
            let mut c = imp.walk();
            let names: Vec<String> = imp
                .children_by_field_name("name", &mut c)
                .map(|x| {
                    let x = if x.kind() == "aliased_import" { x.child_by_field_name("name").unwrap_or(x) } else { x };
                    ctx.text(x).to_string()
                })
                .collect();
            if m.kind() == "relative_import" {
                let t = ctx.text(m);
                let dots = t.chars().take_while(|c| *c == '.').count();
                let rest = &t[dots..];
                let mut base = here.clone();
                let ups = dots.saturating_sub(1);
                let mut ok = true;
                for _ in 0..ups {
                    match base.rsplit_once('/') {
                        Some((d, _)) => base = d.to_string(),
                        None if !base.is_empty() => base.clear(),
                        None => ok = false,
                    }
                }
                if !ok {
                    continue;
                }
                let join = |b: &str, r: &str| if b.is_empty() { r.to_string() } else { format!("{b}/{r}") };
                let mut cands = Vec::new();
                if rest.is_empty() {
                    for n in &names {
                        cands.push(join(&base, &format!("{n}.py")));
                        cands.push(join(&base, &format!("{n}/__init__.py")));
                    }
                    cands.push(join(&base, "__init__.py"));
                } else {
                    let r = rest.replace('.', "/");
                    cands.push(join(&base, &format!("{r}.py")));
                    cands.push(join(&base, &format!("{r}/__init__.py")));
                }
                let ids: Vec<NodeId> = cands.iter().map(|p| NodeId::file(ctx.repo, p)).collect();
                ctx.imported_files.extend(ids.iter().cloned());
                let prov = ctx.declared(span);
                ctx.add_ref(Reference::any_of(file.clone(), EdgeKind::Imports, ids, prov));
            } else {
                absolute(ctx, &file, ctx.text(m), span);
            }
        }
    }
}

/// `from pkg import demo_pb2`, `from .models import Order as O`: each local name to
/// `py:<module>.<name>` (a relative module resolved against the file's folder, dotted).
fn from_import_aliases(ctx: &mut Ctx, imp: TsNode, module: TsNode) {
    let t = ctx.text(module);
    let dots = t.chars().take_while(|c| *c == '.').count();
    let base = if dots == 0 {
        t.to_string()
    } else {
        let mut dir = dir_of(ctx.path).to_string();
        for _ in 1..dots {
            dir = dir_of(&dir).to_string();
        }
        let rest = &t[dots..];
        [dir.replace('/', "."), rest.to_string()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(".")
    };
    let mut c = imp.walk();
    let names: Vec<TsNode> = imp.children_by_field_name("name", &mut c).collect();
    for x in names {
        let (name, alias) = match x.kind() {
            "aliased_import" => {
                (x.child_by_field_name("name").unwrap_or(x), x.child_by_field_name("alias").unwrap_or(x))
            }
            _ => (x, x),
        };
        let full = [base.as_str(), ctx.text(name)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(".");
        ctx.import_alias.insert(ctx.text(alias).to_string(), format!("py:{full}"));
    }
}

fn absolute(ctx: &mut Ctx, file: &NodeId, dotted: &str, span: brain_model::Span) {
    let top = dotted.split('.').next().unwrap_or(dotted);
    if STDLIB.contains(&top) || top.is_empty() {
        return;
    }
    let prov = ctx.inferred(span, 0.7);
    ctx.add_ref(Reference::key(file.clone(), EdgeKind::Imports, ns::MODULE, format!("py:{dotted}"), prov));
    let prov = ctx.inferred(span, 0.5);
    ctx.add_ref(Reference::key(
        file.clone(),
        EdgeKind::Imports,
        ns::PACKAGE,
        format!("pypi:{}", distribution(top)),
        prov,
    ));
}

/// pydantic `BaseModel` subclasses and `@dataclass` classes.
pub fn shapes(ctx: &mut Ctx, root: &Nodes<'_>) {
    let mut classes = Vec::new();
    root.each(|n, kind| {
        if kind == "class_definition" {
            classes.push(n);
        }
    });
    for cls in classes {
        let bases = cls.child_by_field_name("superclasses").map(|s| ctx.text(s)).unwrap_or("");
        let decos: Vec<String> = decorations(ctx, cls).iter().map(|d| ctx.text(*d).to_string()).collect();
        let pydantic = ["BaseModel", "BaseSettings", "Schema"].iter().any(|b| bases.contains(b));
        let dataclass = decos.iter().any(|d| d.contains("dataclass") || d.contains("attr.s") || d.contains("define"));
        let typed_dict = bases.contains("TypedDict");
        if !pydantic && !dataclass && !typed_dict {
            continue;
        }
        let Some(name) = cls.child_by_field_name("name").map(|n| ctx.text(n).to_string()) else { continue };
        let Some(body) = cls.child_by_field_name("body") else { continue };
        let mut generator: Option<String> = None;
        let mut fields = Vec::new();
        let mut c = body.walk();
        for st in body.named_children(&mut c) {
            // model_config = ConfigDict(alias_generator=to_camel) / {"alias_generator": to_camel}; class Config.
            let text = ctx.text(st);
            if text.contains("alias_generator") {
                generator = alias_generator(text);
            }
            if st.kind() != "expression_statement" {
                continue;
            }
            let Some(a) = st.named_child(0).filter(|a| a.kind() == "assignment") else { continue };
            let (Some(left), Some(ty)) = (a.child_by_field_name("left"), a.child_by_field_name("type")) else {
                continue;
            };
            if left.kind() != "identifier" {
                continue;
            }
            let fname = ctx.text(left).to_string();
            if fname.starts_with('_') || fname == "model_config" {
                continue;
            }
            let ty = ctx.text(ty).to_string();
            if ty.starts_with("ClassVar") {
                continue;
            }
            let value = a.child_by_field_name("right").map(|v| ctx.text(v)).unwrap_or("");
            let alias = if value.contains("Field(") || value.contains("field(") {
                kwarg_str(value, "alias").or_else(|| kwarg_str(value, "serialization_alias"))
            } else {
                None
            };
            let optional = ty.starts_with("Optional[")
                || ty.contains("| None")
                || ty.contains("None |")
                || ty.starts_with("NotRequired[");
            let has_default = match value.strip_prefix("Field(").or_else(|| value.strip_prefix("field(")) {
                Some(args) => {
                    let first = args.split([',', ')']).next().unwrap_or("").trim();
                    value.contains("default") || (!first.is_empty() && first != "..." && !first.contains('='))
                }
                None => a.child_by_field_name("right").is_some(),
            };
            let wire = match (&alias, &generator) {
                (Some(a), _) => a.clone(),
                (None, Some(g)) => shape::apply_case(&fname, g),
                (None, None) => fname.clone(),
            };
            fields.push(FieldSpec {
                wire,
                ty,
                required: !optional && !has_default,
                nullable: optional,
                span: ctx.span(st),
                name: fname,
            });
        }
        let serializer = if pydantic {
            "pydantic"
        } else if typed_dict {
            "typeddict"
        } else {
            "dataclass"
        };
        let convention = match &generator {
            Some(g) => format!("{serializer} alias_generator={g}"),
            None => serializer.to_string(),
        };
        shape::emit(ctx, ShapeSpec { name, span: ctx.span(cls), serializer, convention, fields });
    }
}

fn alias_generator(text: &str) -> Option<String> {
    let i = text.find("alias_generator")?;
    let rest = &text[i + "alias_generator".len()..];
    let rest = rest.trim_start_matches(['"', '\'', ' ', ':', '=']);
    let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
    let name = name.rsplit('.').next().unwrap_or(&name).to_string();
    match name.as_str() {
        "to_camel" | "to_lower_camel" | "camelize" => Some("to_camel".into()),
        "to_pascal" => Some("to_pascal".into()),
        "to_snake" => Some("to_snake".into()),
        _ if name.is_empty() => None,
        other => Some(other.to_string()),
    }
}

/// The string value of `key="..."` in a call's text.
pub fn kwarg_str(text: &str, key: &str) -> Option<String> {
    let mut search = text;
    while let Some(i) = search.find(key) {
        let before_ok = search[..i].chars().last().is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let rest = search[i + key.len()..].trim_start();
        if before_ok {
            if let Some(r) = rest.strip_prefix('=') {
                let r = r.trim_start();
                let q = r.chars().next()?;
                if q == '"' || q == '\'' {
                    return r[1..].split(q).next().map(str::to_string);
                }
            }
        }
        search = &search[i + key.len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_cover_source_roots() {
        assert_eq!(module_names("src/orders/models.py"), vec!["src.orders.models", "orders.models"]);
        assert_eq!(module_names("pkg/__init__.py"), vec!["pkg"]);
        assert_eq!(module_names("setup.py"), vec!["setup"]);
        assert_eq!(kwarg_str(r#"Field(alias="created")"#, "alias").as_deref(), Some("created"));
    }
}
