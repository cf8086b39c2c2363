//! Route prefixes declared away from the route: where a served path really starts.
//!
//! * **Servlet context paths.** A Spring Boot service configured with
//!   `server.servlet.context-path: /accounts` (Boot 1: `server.context-path`,
//!   WebFlux: `spring.webflux.base-path`, plus `spring.mvc.servlet.path`) serves
//!   its controller's `@GetMapping("/{name}")` at `/accounts/{name}`. The setting
//!   is read from the module's own `application*` / `bootstrap*` file or from a
//!   config server's file named after the module's `spring.application.name`
//!   (`shared/account-service.yml`), as the org crate's config ingestor keeps them
//!   (namespace `config`).
//! * **Router mounts in another file.** FastAPI `app.include_router(api_router,
//!   prefix=settings.API_V1_STR)`, Flask `register_blueprint(bp, url_prefix=..)`,
//!   Express `app.use('/api/users', usersRouter)`, Hono `app.route('/api', sub)` and
//!   Fastify `register(routes, { prefix })` mount the routes of an imported module
//!   under a prefix; mounts chain (`app` → `api_router` → `users.router`). The
//!   extractor records each mount of an imported module ([`detect_mounts`], namespace
//!   [`NS_MOUNT`]); the prefix may name a constant of another file, folded here.
//!
//! The same pass links grpc-gateway registrations to the routes they serve ([`crate::grpc_gateway`]).
//!
//! [`RoutePrefixPass`] prefixes the HTTP operations served from the files concerned,
//! provides the prefixed key, and links the unresolved calls that name one exactly. It
//! runs before the gateway pass, which matches route templates against provided keys.

use crate::clients::named;
use crate::ctx::{args_of, Ctx};
use crate::extract::CallSite;
use crate::lang::Lang;
use crate::strings::Names;
use brain_graph::{LinkContext, LinkPass};
use brain_model::{attr, attr::ns, wire, EdgeKind, NodeId, NodeKind, RefTarget};
use std::collections::{BTreeMap, HashMap, HashSet};
use tree_sitter::Node as TsNode;

/// Provide namespace of router mounts: `<imported module>|<prefix expression>` on the mounting file.
pub const NS_MOUNT: &str = "http-mount";
/// Provide namespace of configuration settings (written by the org crate's config ingestor).
const NS_CONFIG: &str = "config";

/// Settings that put a prefix before every route of a Spring application, outermost first.
const CONTEXT_KEYS: &[&[&str]] = &[
    &["server.servlet.context-path", "server.servlet.contextPath", "server.context-path", "server.contextPath"],
    &["spring.webflux.base-path"],
    &["spring.mvc.servlet.path", "server.servlet-path"],
];

/// Prefixes served routes with context paths and mount prefixes (see the module docs).
#[derive(Debug, Default, Clone, Copy)]
pub struct RoutePrefixPass;

/// `(repo, path)` of a file.
type FileKey = (String, String);

// ---------------------------------------------------------------------------------------------
// Extraction: mounts of imported routers.

/// Records the mounts of imported routers in a Python, JavaScript or TypeScript file.
pub fn detect_mounts(ctx: &mut Ctx, calls: &[CallSite]) {
    let js = matches!(ctx.lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx);
    if !(js || ctx.lang == Lang::Python) || ctx.test_file || ctx.generated {
        return;
    }
    let mut found = Vec::new();
    for c in calls {
        let (Some(args), Some(_)) = (c.args, c.receiver) else { continue };
        let a = args_of(ctx.src, args);
        let (child, prefix): (Option<TsNode>, Option<TsNode>) = match (js, ctx.text(c.callee)) {
            (false, "include_router") => (a.positional.first().copied(), named(&a, &["prefix"])),
            (false, "register_blueprint") => (a.positional.first().copied(), named(&a, &["url_prefix"])),
            (true, "use" | "route") if a.positional.len() == 2 => {
                (a.positional.get(1).copied(), a.positional.first().copied())
            }
            (true, "use") if a.positional.len() == 1 => (a.positional.first().copied(), None),
            (true, "register") => {
                let opts = a.positional.get(1).copied();
                let prefix = opts
                    .filter(|o| o.kind() == "object")
                    .and_then(|o| crate::ctx::object_pairs(ctx.src, o).into_iter().find(|(k, _)| k == "prefix"))
                    .map(|(_, v)| v);
                (a.positional.first().copied(), prefix)
            }
            _ => continue,
        };
        let Some(child) = child.and_then(|n| imported_module(ctx, n)) else { continue };
        let prefix = match prefix {
            None => String::new(),
            Some(p) => match crate::strval::eval(ctx, p) {
                Some(v) => v.render(),
                None => continue,
            },
        };
        if prefix.contains(char::is_whitespace) || prefix.len() > 200 || prefix.contains('|') {
            continue;
        }
        found.push(format!("{child}|{prefix}"));
    }
    let file = ctx.file_id.clone();
    for k in found {
        ctx.facts.provide(&file, NS_MOUNT, k);
    }
}

/// The module an expression names through an import: `login.router` (`from app.api.routes import
/// login`) gives `py:app.api.routes.login.router`, `usersRouter` gives `js:src/routes/users`,
/// `require('./routes')` gives `js:src/routes`.
fn imported_module(ctx: &Ctx, n: TsNode) -> Option<String> {
    if n.kind() == "call_expression" && ctx.text(n).starts_with("require(") {
        let spec = crate::strval::eval(ctx, n.child_by_field_name("arguments")?.named_child(0)?)?.exact()?;
        if !spec.starts_with('.') {
            return None;
        }
        return crate::langs::js::relative_module(ctx.path, &spec).map(|m| format!("js:{m}"));
    }
    let text = ctx.text(n);
    if !text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') {
        return None;
    }
    let (head, rest) = match text.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (text, None),
    };
    let target = ctx.import_alias.get(head)?;
    if !(target.starts_with("py:") || target.starts_with("js:")) {
        return None;
    }
    Some(match rest {
        Some(r) if target.starts_with("py:") => format!("{target}.{r}"),
        _ => target.clone(),
    })
}

// ---------------------------------------------------------------------------------------------
// Linking.

/// The folder of the module a Spring configuration file belongs to: the part before
/// `src/main/`, or the file's folder.
fn module_dir(path: &str) -> &str {
    match path.find("src/main/") {
        Some(i) => path[..i].trim_end_matches('/'),
        None => path.rsplit_once('/').map(|(d, _)| d).unwrap_or(""),
    }
}

/// A file's name without folder and extension.
fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// `/accounts`, or `None` for an empty, root or unresolved (`${..}`) value.
fn clean_prefix(v: &str) -> Option<String> {
    let v = v.trim().trim_end_matches("/*").trim_end_matches('/');
    if v.is_empty() || v.contains("${") || v.contains(['{', '}']) || v.contains(char::is_whitespace) {
        return None;
    }
    Some(if v.starts_with('/') { v.to_string() } else { format!("/{v}") })
}

fn has_ext(path: &str, exts: &[&str]) -> bool {
    exts.iter().any(|e| path.ends_with(e))
}

const SPRING_EXTS: &[&str] = &[".java", ".kt", ".groovy", ".scala"];
const MOUNT_EXTS: &[&str] = &[".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"];

/// `(repo, module dir) -> context path` from every Spring configuration file of the graph.
fn context_paths(ctx: &LinkContext) -> HashMap<(String, String), String> {
    let mut files: HashMap<FileKey, HashMap<&str, &str>> = HashMap::new();
    for (kv, ids) in ctx.provided_keys(NS_CONFIG) {
        let Some((k, v)) = kv.split_once('=') else { continue };
        if k != "spring.application.name" && !CONTEXT_KEYS.iter().any(|ks| ks.contains(&k)) {
            continue;
        }
        for id in ids {
            let Some(n) = ctx.node(id) else { continue };
            files.entry((n.prov.repo.to_string(), n.prov.path.to_string())).or_default().insert(k, v);
        }
    }
    // Modules by application name, for config-server files named after them.
    let mut by_app: HashMap<(String, String), String> = HashMap::new();
    for ((repo, path), kv) in &files {
        if let Some(app) = kv.get("spring.application.name") {
            by_app.entry((repo.clone(), app.to_string())).or_insert_with(|| module_dir(path).to_string());
        }
    }
    let mut out: HashMap<(String, String), (u8, String)> = HashMap::new();
    for ((repo, path), kv) in &files {
        let prefix: String = CONTEXT_KEYS
            .iter()
            .filter_map(|keys| keys.iter().find_map(|k| kv.get(k)).and_then(|v| clean_prefix(v)))
            .collect();
        if prefix.is_empty() {
            continue;
        }
        let s = stem(path);
        let own = s.starts_with("application") || s.starts_with("bootstrap");
        let module = if own {
            module_dir(path).to_string()
        } else if let Some(m) = by_app.get(&(repo.clone(), s.to_string())) {
            m.clone()
        } else {
            continue;
        };
        // The plain `application.yml` wins over a config server's copy, which wins over a
        // profile's (`application-docker.yml`).
        let rank = match s {
            "application" | "bootstrap" => 0,
            _ if own => 2,
            _ => 1,
        };
        let slot = out.entry((repo.clone(), module)).or_insert((u8::MAX, String::new()));
        if rank < slot.0 || (rank == slot.0 && prefix < slot.1) {
            *slot = (rank, prefix);
        }
    }
    out.into_iter().map(|(k, (_, p))| (k, p)).collect()
}

/// The file a mount names: a Python module (`py:app.api.routes.login.router` is the router of
/// `app/api/routes/login.py`) or a script path without extension (`js:src/routes/users`).
fn mounted_file(ctx: &LinkContext, files: &HashSet<FileKey>, repo: &str, module: &str) -> Option<String> {
    if let Some(py) = module.strip_prefix("py:") {
        let mut m = py;
        for _ in 0..3 {
            let found = ctx
                .providers(ns::MODULE, &format!("py:{m}"))
                .iter()
                .filter_map(|id| ctx.node(id))
                .find(|n| n.prov.repo.as_str() == repo && n.kind == NodeKind::File)
                .map(|n| n.prov.path.to_string());
            if found.is_some() {
                return found;
            }
            m = m.rsplit_once('.')?.0;
        }
        return None;
    }
    let base = module.strip_prefix("js:")?;
    for ext in MOUNT_EXTS {
        for cand in [format!("{base}{ext}"), format!("{base}/index{ext}")] {
            if files.contains(&(repo.to_string(), cand.clone())) {
                return Some(cand);
            }
        }
    }
    None
}

/// `(repo, path) -> prefix` for every file whose routes an imported-router mount puts under one.
fn mount_prefixes(ctx: &LinkContext) -> HashMap<FileKey, String> {
    let mut raw: Vec<(FileKey, String, String)> = Vec::new();
    for (key, ids) in ctx.provided_keys(NS_MOUNT) {
        let Some((module, prefix)) = key.split_once('|') else { continue };
        for id in ids {
            let Some(n) = ctx.node(id) else { continue };
            raw.push(((n.prov.repo.to_string(), n.prov.path.to_string()), module.to_string(), prefix.to_string()));
        }
    }
    if raw.is_empty() {
        return HashMap::new();
    }
    let files: HashSet<FileKey> =
        ctx.nodes_of_kind(NodeKind::File).map(|n| (n.prov.repo.to_string(), n.prov.path.to_string())).collect();
    let names = Names::collect(ctx);
    // child file -> (parent file, prefix), the first in a stable order when mounted twice.
    let mut parent: BTreeMap<FileKey, (FileKey, String)> = BTreeMap::new();
    raw.sort();
    for ((repo, path), module, prefix) in raw {
        let Some(child) = mounted_file(ctx, &files, &repo, &module) else { continue };
        let folded = if prefix.contains('{') {
            match names.fold(&prefix, &repo, &path) {
                Some(v) => v,
                None => continue,
            }
        } else {
            prefix
        };
        let p = clean_prefix(&folded).unwrap_or_default();
        if child != path {
            parent.entry((repo.clone(), child)).or_insert(((repo, path), p));
        }
    }
    let mut out = HashMap::new();
    for child in parent.keys() {
        let mut full = String::new();
        let mut cur = child;
        let mut seen = HashSet::new();
        while let Some((up, p)) = parent.get(cur) {
            if !seen.insert(cur) {
                break;
            }
            full = format!("{p}{full}");
            cur = up;
        }
        if !full.is_empty() {
            out.insert(child.clone(), full);
        }
    }
    out
}

impl LinkPass for RoutePrefixPass {
    fn name(&self) -> &'static str {
        "route-prefix"
    }

    fn run(&self, ctx: &mut LinkContext) {
        sdk_calls_to_http(ctx);
        crate::grpc_gateway::link(ctx);
        let contexts = context_paths(ctx);
        let mounts = mount_prefixes(ctx);
        if contexts.is_empty() && mounts.is_empty() {
            return;
        }
        let mut changes: Vec<(NodeId, String, String)> = Vec::new();
        for n in ctx.nodes_of_kind(NodeKind::Operation) {
            let (Some(m), Some(p)) = (n.attr(attr::HTTP_METHOD), n.attr(attr::HTTP_PATH)) else { continue };
            if n.attr(attr::PROTOCOL) != Some("http") {
                continue;
            }
            let (repo, path) = (n.prov.repo.as_str(), n.prov.path.as_str());
            let prefix = if has_ext(path, SPRING_EXTS) {
                // The deepest module the file is in.
                contexts
                    .iter()
                    .filter(|((r, dir), _)| {
                        r.as_str() == repo
                            && (dir.is_empty()
                                || path.strip_prefix(dir.as_str()).is_some_and(|rest| rest.starts_with('/')))
                    })
                    .max_by_key(|((_, dir), _)| dir.len())
                    .map(|(_, p)| p)
            } else if has_ext(path, MOUNT_EXTS) {
                mounts.get(&(repo.to_string(), path.to_string()))
            } else {
                None
            };
            let Some(prefix) = prefix else { continue };
            let full = if p == "/" { format!("{prefix}/") } else { format!("{prefix}{p}") };
            changes.push((n.id.clone(), m.to_string(), full));
        }
        prefix_operations(ctx, changes);
    }
}

/// Turns each call of a generated SDK method into the HTTP call the method makes (see
/// [`crate::sdk`]); one that no generated file of its repository declares, or declares with
/// different requests, is dropped.
fn sdk_calls_to_http(ctx: &mut LinkContext) {
    let mut methods: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (kv, ids) in ctx.provided_keys(crate::sdk::NS_SDK) {
        let Some((name, key)) = kv.split_once('=') else { continue };
        for id in ids {
            let Some(n) = ctx.node(id) else { continue };
            let v = methods.entry((n.prov.repo.to_string(), name.to_string())).or_default();
            if !v.iter().any(|k| k == key) {
                v.push(key.to_string());
            }
        }
    }
    let mut keep = Vec::new();
    for r in ctx.take_unresolved() {
        let RefTarget::Key { ns: n, key, .. } = &r.target else {
            keep.push(r);
            continue;
        };
        if n != crate::sdk::NS_SDK {
            keep.push(r);
            continue;
        }
        let Some([http]) = methods.get(&(r.prov.repo.to_string(), key.clone())).map(Vec::as_slice) else { continue };
        let mut call = brain_model::Reference::key(r.from.clone(), r.kind, ns::HTTP, http.clone(), r.prov.clone());
        call.attrs = r.attrs.clone();
        if let Some((m, p)) = http.split_once(' ') {
            call = call.with_attr(attr::HTTP_METHOD, m).with_attr(attr::HTTP_PATH, p);
        }
        keep.push(call);
    }
    for r in keep {
        ctx.push_unresolved(r);
    }
}

/// Renames operations to their prefixed paths, provides the prefixed keys and links the
/// unresolved calls that name one of them exactly.
fn prefix_operations(ctx: &mut LinkContext, changes: Vec<(NodeId, String, String)>) {
    let mut by_key: HashMap<String, Vec<NodeId>> = HashMap::new();
    for (id, method, path) in changes {
        let key = wire::http_key(&method, &path);
        if let Some(node) = ctx.node_mut(&id) {
            node.name = format!("{method} {path}");
            node.attrs.insert(attr::HTTP_PATH, path);
        }
        ctx.provide(id.clone(), ns::HTTP, &key);
        by_key.entry(key).or_default().push(id);
    }
    if by_key.is_empty() {
        return;
    }
    let mut keep = Vec::new();
    for r in ctx.take_unresolved() {
        let to = match (&r.kind, &r.target) {
            (EdgeKind::Consumes, RefTarget::Key { ns: n, key, .. }) if n == ns::HTTP => by_key.get(key),
            _ => None,
        };
        let Some(to) = to else {
            keep.push(r);
            continue;
        };
        for id in to {
            ctx.link_ref(&r, id.clone());
        }
    }
    for r in keep {
        ctx.push_unresolved(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_cleaned() {
        assert_eq!(clean_prefix("/accounts/").as_deref(), Some("/accounts"));
        assert_eq!(clean_prefix("uaa").as_deref(), Some("/uaa"));
        assert_eq!(clean_prefix("/"), None);
        assert_eq!(clean_prefix("${CONTEXT_PATH:/x}"), None);
        assert_eq!(clean_prefix("{API_V1_STR}"), None);
        assert_eq!(module_dir("account-service/src/main/resources/bootstrap.yml"), "account-service");
        assert_eq!(stem("config/src/main/resources/shared/account-service.yml"), "account-service");
    }
}
