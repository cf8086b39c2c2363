//! A version-neutral view of an OpenAPI 3.0/3.1 or Swagger 2.0 document:
//! operations with their merged parameters, request body and responses,
//! `$ref`s to parameters, bodies, responses and headers already followed.
//!
//! Swagger 2.0 is mapped onto the 3.x shape: an `in: body` parameter is the
//! request body (media types from `consumes`), a response `schema` is the
//! response content (media types from `produces`), `basePath` is the server
//! base path. Both the ingestor and the diff read this view.

use crate::schema::refs::{deref, Ref, RefError};
use crate::schema::tree::Value;

/// HTTP methods of a path item, in the order operations are listed.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Which flavour of OpenAPI a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

impl Version {
    /// The `format` attribute value.
    pub fn format(self) -> &'static str {
        match self {
            Version::Swagger2 => "swagger-2.0",
            Version::OpenApi30 => "openapi-3.0",
            Version::OpenApi31 => "openapi-3.1",
        }
    }
    /// Where named schemas live.
    pub fn schemas_pointer(self) -> &'static str {
        match self {
            Version::Swagger2 => "#/definitions",
            _ => "#/components/schemas",
        }
    }
}

/// A problem found while building the view (becomes a Diagnostic).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    /// Code suffix: `ref-unresolved`, `ref-cycle`, `ref-external`, `structure`.
    pub what: &'static str,
    pub message: String,
}

/// One parameter after `$ref` resolution and path/operation merging.
#[derive(Debug)]
pub struct Param<'a> {
    pub name: String,
    /// `path`, `query`, `header`, `cookie` (or Swagger's `formData`).
    pub location: String,
    pub required: bool,
    pub deprecated: bool,
    /// The parameter's schema (Swagger 2: the parameter object itself).
    pub schema: Option<&'a Value>,
    /// The parameter object (`style`, `explode`, `allowEmptyValue`, `allowReserved`).
    pub value: &'a Value,
    /// Declared on the path item (shared by its operations), not on the operation.
    pub shared: bool,
    pub line: u32,
}

/// A request body.
#[derive(Debug)]
pub struct Body<'a> {
    pub required: bool,
    /// `(media type, schema)`; the schema is `None` when the media type has none.
    pub content: Vec<(String, Option<&'a Value>)>,
    pub line: u32,
    pub end_line: u32,
}

/// A response header.
#[derive(Debug)]
pub struct Header<'a> {
    pub name: String,
    pub required: bool,
    pub schema: Option<&'a Value>,
    pub line: u32,
}

/// One response of an operation.
#[derive(Debug)]
pub struct Response<'a> {
    /// As written: `200`, `4XX`, `default`.
    pub status: String,
    pub content: Vec<(String, Option<&'a Value>)>,
    pub headers: Vec<Header<'a>>,
    pub line: u32,
    pub end_line: u32,
}

/// One operation (method + path), or a 3.1 webhook operation.
#[derive(Debug)]
pub struct Operation<'a> {
    /// Upper case: `POST`.
    pub method: String,
    /// As written in `paths`.
    pub path: String,
    /// Set for 3.1 `webhooks` entries (the webhook name); `path` is then empty.
    pub webhook: Option<String>,
    pub value: &'a Value,
    pub operation_id: Option<String>,
    /// `tags`: generated clients group operations into one class per tag (`OrdersApi`).
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param<'a>>,
    pub body: Option<Body<'a>>,
    pub responses: Vec<Response<'a>>,
    /// Security requirements, each `scheme[scope,scope]` joined with ` & `
    /// inside one requirement, requirements joined with ` | `; `none` for `[]`.
    pub security: Option<String>,
    pub line: u32,
    pub end_line: u32,
}

/// The whole document.
#[derive(Debug)]
pub struct Api<'a> {
    pub root: &'a Value,
    pub version: Version,
    /// `openapi` / `swagger` as written.
    pub spec_version: String,
    pub title: Option<String>,
    pub info_version: Option<String>,
    pub description: Option<String>,
    /// Path prefixes from `servers[].url` (3.x) or `basePath` (2.0), without `/` alone.
    pub base_paths: Vec<String>,
    pub operations: Vec<Operation<'a>>,
    pub problems: Vec<Problem>,
}

/// Reads the version of a parsed document; `None` when it is not OpenAPI/Swagger.
pub fn version_of(root: &Value) -> Option<(Version, String)> {
    if let Some(v) = root.get("openapi") {
        let text = v.as_str().unwrap_or_default().to_string();
        let version =
            if text.starts_with("3.1") || text.starts_with("3.2") { Version::OpenApi31 } else { Version::OpenApi30 };
        return Some((version, text));
    }
    let v = root.get("swagger")?;
    Some((Version::Swagger2, v.as_str().unwrap_or("2.0").to_string()))
}

/// Builds the view. Never fails: what cannot be read becomes a [`Problem`].
pub fn read(root: &Value) -> Option<Api<'_>> {
    let (version, spec_version) = version_of(root)?;
    let mut b = Builder { root, version, problems: Vec::new(), path: "" };
    let info = root.get("info");
    let mut api = Api {
        root,
        version,
        spec_version,
        title: info.and_then(|i| i.str_at("title")).map(str::to_string),
        info_version: info.and_then(|i| i.str_at("version")).map(str::to_string),
        description: info.and_then(|i| i.str_at("description")).map(str::to_string),
        base_paths: base_paths(root, version),
        operations: Vec::new(),
        problems: Vec::new(),
    };
    if !root.is_map() {
        b.problem(root.line, "structure", "the document is not a mapping");
    }
    if let Some(paths) = root.get("paths") {
        if !paths.is_map() && !paths.is_null() {
            b.problem(paths.line, "structure", "'paths' is not a mapping");
        }
        for (path, _, item) in paths.entries() {
            if !path.starts_with('/') && !path.starts_with("x-") {
                b.problem(item.line, "structure", format!("path '{path}' does not start with '/'"));
            }
            if path.starts_with("x-") {
                continue;
            }
            b.path_item(path, None, item, &mut api.operations);
        }
    }
    if let Some(hooks) = root.get("webhooks") {
        for (name, _, item) in hooks.entries() {
            b.path_item("", Some(name), item, &mut api.operations);
        }
    }
    api.problems = b.problems;
    Some(api)
}

fn base_paths(root: &Value, version: Version) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |p: String| {
        let p = p.trim_end_matches('/').to_string();
        if !p.is_empty() && p.starts_with('/') && !out.contains(&p) {
            out.push(p);
        }
    };
    if version == Version::Swagger2 {
        if let Some(bp) = root.str_at("basePath") {
            push(bp.to_string());
        }
        return out;
    }
    for server in root.get("servers").map(Value::items).unwrap_or(&[]) {
        let Some(url) = server.str_at("url") else { continue };
        // Substitute server variables with their defaults.
        let mut url = url.to_string();
        for (name, _, var) in server.get("variables").map(Value::entries).unwrap_or(&[]) {
            if let Some(d) = var.str_at("default") {
                url = url.replace(&format!("{{{name}}}"), d);
            }
        }
        let path = match url.find("://") {
            Some(i) => match url[i + 3..].find('/') {
                Some(j) => url[i + 3 + j..].to_string(),
                None => String::new(),
            },
            None => url.clone(),
        };
        let path = path.split(['?', '#']).next().unwrap_or("").to_string();
        if !path.contains('{') {
            push(path);
        }
    }
    out
}

struct Builder<'a> {
    root: &'a Value,
    version: Version,
    problems: Vec<Problem>,
    path: &'a str,
}

impl<'a> Builder<'a> {
    fn problem(&mut self, line: u32, what: &'static str, message: impl Into<String>) {
        self.problems.push(Problem { line, what, message: message.into() });
    }

    /// Follows local refs, reporting problems; `None` for unfollowable refs.
    fn resolve(&mut self, v: &'a Value) -> Option<&'a Value> {
        match deref(self.root, v) {
            Ok((r, _)) => {
                if let Some(target) = r.str_at("$ref") {
                    // An external or remote ref to a parameter/response/body.
                    match Ref::parse(self.path, target).outside_reason() {
                        Some(reason) => self.problem(r.line, "ref-outside", format!("$ref '{target}' {reason}")),
                        None => self.problem(
                            r.line,
                            "ref-external",
                            format!("$ref '{target}' points into another file's document; not followed"),
                        ),
                    }
                    return None;
                }
                Some(r)
            }
            Err(RefError::Unresolved(t)) => {
                self.problem(v.line, "ref-unresolved", format!("$ref '{t}' points at nothing in this file"));
                None
            }
            Err(RefError::Cycle(t)) => {
                self.problem(v.line, "ref-cycle", format!("$ref '{t}' is part of a reference cycle"));
                None
            }
        }
    }

    fn path_item(&mut self, path: &str, webhook: Option<&str>, item: &'a Value, out: &mut Vec<Operation<'a>>) {
        let Some(item) = self.resolve(item) else { return };
        let shared = item.get("parameters");
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            if !op.is_map() {
                self.problem(op.line, "structure", format!("'{method}' under '{path}' is not a mapping"));
                continue;
            }
            let mut params = Vec::new();
            let mut body = None;
            for (list, is_shared) in [(shared, true), (op.get("parameters"), false)] {
                for p in list.map(Value::items).unwrap_or(&[]) {
                    self.parameter(op, p, is_shared, &mut params, &mut body);
                }
            }
            if let Some(rb) = op.get("requestBody") {
                if let Some(rb) = self.resolve(rb) {
                    body = Some(Body {
                        required: rb.flag("required"),
                        content: self.content(rb.get("content")),
                        line: rb.line,
                        end_line: rb.end_line,
                    });
                }
            }
            let mut responses = Vec::new();
            for (status, kline, resp) in op.get("responses").map(Value::entries).unwrap_or(&[]) {
                if status.starts_with("x-") {
                    continue;
                }
                let Some(r) = self.resolve(resp) else {
                    responses.push(Response {
                        status: status.clone(),
                        content: Vec::new(),
                        headers: Vec::new(),
                        line: *kline,
                        end_line: resp.end_line,
                    });
                    continue;
                };
                let content = if self.version == Version::Swagger2 {
                    match r.get("schema") {
                        Some(s) => self.media_types(op, "produces").into_iter().map(|m| (m, Some(s))).collect(),
                        None => Vec::new(),
                    }
                } else {
                    self.content(r.get("content"))
                };
                let mut headers = Vec::new();
                for (name, hline, h) in r.get("headers").map(Value::entries).unwrap_or(&[]) {
                    let Some(h) = self.resolve(h) else { continue };
                    let schema = if self.version == Version::Swagger2 { Some(h) } else { h.get("schema") };
                    headers.push(Header { name: name.clone(), required: h.flag("required"), schema, line: *hline });
                }
                responses.push(Response {
                    status: status.clone(),
                    content,
                    headers,
                    line: *kline,
                    end_line: r.end_line.max(resp.end_line),
                });
            }
            let security = op.get("security").or_else(|| self.root.get("security")).map(render_security);
            out.push(Operation {
                method: method.to_ascii_uppercase(),
                path: path.to_string(),
                webhook: webhook.map(str::to_string),
                value: op,
                operation_id: op.str_at("operationId").map(str::to_string),
                tags: op
                    .get("tags")
                    .map(|t| t.items().iter().filter_map(|v| v.as_str()).map(str::to_string).collect())
                    .unwrap_or_default(),
                summary: op.str_at("summary").or_else(|| op.str_at("description")).map(str::to_string),
                deprecated: op.flag("deprecated"),
                params,
                body,
                responses,
                security,
                line: item.key_line(method).unwrap_or(op.line),
                end_line: op.end_line,
            });
        }
    }

    fn parameter(
        &mut self,
        op: &'a Value,
        p: &'a Value,
        shared: bool,
        params: &mut Vec<Param<'a>>,
        body: &mut Option<Body<'a>>,
    ) {
        let Some(p) = self.resolve(p) else { return };
        let (Some(name), Some(location)) = (p.str_at("name"), p.str_at("in")) else {
            self.problem(p.line, "structure", "parameter without 'name' or 'in'");
            return;
        };
        if location == "body" {
            let schema = p.get("schema");
            *body = Some(Body {
                required: p.flag("required"),
                content: self.media_types(op, "consumes").into_iter().map(|m| (m, schema)).collect(),
                line: p.line,
                end_line: p.end_line,
            });
            return;
        }
        let schema = if self.version == Version::Swagger2 {
            Some(p)
        } else {
            p.get("schema")
                .or_else(|| p.get("content").and_then(|c| c.entries().first()).and_then(|(_, _, m)| m.get("schema")))
        };
        let param = Param {
            name: name.to_string(),
            location: location.to_string(),
            required: p.flag("required") || location == "path",
            deprecated: p.flag("deprecated"),
            schema,
            value: p,
            shared,
            line: p.line,
        };
        // An operation-level parameter overrides a path-level one with the same name and location.
        if let Some(slot) = params.iter_mut().find(|x| x.name == param.name && x.location == param.location) {
            *slot = param;
        } else {
            params.push(param);
        }
    }

    fn content(&mut self, content: Option<&'a Value>) -> Vec<(String, Option<&'a Value>)> {
        content
            .map(Value::entries)
            .unwrap_or(&[])
            .iter()
            .map(|(media, _, m)| (media.clone(), m.get("schema")))
            .collect()
    }

    fn media_types(&self, op: &Value, key: &str) -> Vec<String> {
        let list = op.get(key).or_else(|| self.root.get(key)).map(Value::items).unwrap_or(&[]);
        let out: Vec<String> = list.iter().filter_map(Value::as_str).map(str::to_string).collect();
        if out.is_empty() {
            vec!["application/json".to_string()]
        } else {
            out
        }
    }
}

/// Renders security requirements (`[{oauth: [a]}, {key: []}]` → `oauth[a] | key`).
fn render_security(v: &Value) -> String {
    let reqs: Vec<String> = v
        .items()
        .iter()
        .map(|req| {
            let parts: Vec<String> = req
                .entries()
                .iter()
                .map(|(scheme, _, scopes)| {
                    let scopes: Vec<&str> = scopes.items().iter().filter_map(Value::as_str).collect();
                    if scopes.is_empty() {
                        scheme.clone()
                    } else {
                        format!("{scheme}[{}]", scopes.join(","))
                    }
                })
                .collect();
            if parts.is_empty() {
                "none".to_string()
            } else {
                parts.join(" & ")
            }
        })
        .collect();
    if reqs.is_empty() {
        "none".to_string()
    } else {
        reqs.join(" | ")
    }
}

/// Picks the schema used for types from a content map: the first JSON
/// media type (`application/json`, `*+json`), else the first with a schema.
pub fn primary_schema<'a>(content: &[(String, Option<&'a Value>)]) -> Option<&'a Value> {
    content
        .iter()
        .find(|(m, s)| s.is_some() && (m.contains("json") || m == "*/*"))
        .or_else(|| content.iter().find(|(_, s)| s.is_some()))
        .and_then(|(_, s)| *s)
}
