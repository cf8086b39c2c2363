//! Breaking-change diff between two versions of an OpenAPI / Swagger
//! document, classified with oasdiff's rule ids and default levels
//! (`ERR` → [`Level::Breaking`], `WARN` → [`Level::Warning`], `INFO` →
//! [`Level::Safe`]); the ids and levels are in `oasdiff_rules.txt`.
//!
//! Operations are matched by method and normalised path (`/orders/{id}` and
//! `/orders/{orderId}` are the same endpoint); parameters by location and
//! name; schemas are compared with [`crate::schema::compat`] and each
//! finding is named by direction (request or response) and place (body,
//! property, parameter, header).

use super::model::{self, Api, Operation, Version};
use crate::diff::{Change, Level, Location};
use crate::schema::compat::{self, BoundChange, Finding, What};
use crate::schema::tree::{parse_document, ParseError, Value};
use brain_model::wire::normalize_http_path;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// Why two documents could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// A document is not valid YAML/JSON.
    #[error("{path}:{}: {}", .error.line, .error.message)]
    Parse { path: String, error: ParseError },
    /// A document is not of the expected format.
    #[error("{path}: not {expected} document")]
    WrongFormat { path: String, expected: &'static str },
}

/// Parses both documents, mapping errors to [`DiffError`].
pub fn parse_pair(old: &str, new: &str, old_path: &str, new_path: &str) -> Result<(Value, Value), DiffError> {
    let o = parse_document(old_path, old).map_err(|error| DiffError::Parse { path: old_path.to_string(), error })?;
    let n = parse_document(new_path, new).map_err(|error| DiffError::Parse { path: new_path.to_string(), error })?;
    Ok((o, n))
}

/// oasdiff rule id → level, for the rules this diff can report.
pub fn rule_level(rule: &str) -> Option<Level> {
    static TABLE: OnceLock<HashMap<&'static str, Level>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        include_str!("oasdiff_rules.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let (level, id) = l.split_once(' ')?;
                let level = match level {
                    "ERR" => Level::Breaking,
                    "WARN" => Level::Warning,
                    _ => Level::Safe,
                };
                Some((id.trim(), level))
            })
            .collect()
    });
    table.get(rule).copied().or_else(|| BRAIN_RULES.iter().find(|(id, _)| *id == rule).map(|(_, l)| *l))
}

/// Rules oasdiff does not have, reported under the brain's own ids (RULES.md lists them apart).
pub const BRAIN_RULES: &[(&str, Level)] = &[
    // Clients serialise the parameter the old way; the server now parses another.
    ("request-parameter-style-changed", Level::Breaking),
    ("request-parameter-explode-changed", Level::Breaking),
    // An empty value or unencoded reserved characters clients send are refused from now on.
    ("request-parameter-allow-empty-value-unset", Level::Breaking),
    ("request-parameter-allow-empty-value-set", Level::Safe),
    ("request-parameter-allow-reserved-unset", Level::Breaking),
    ("request-parameter-allow-reserved-set", Level::Safe),
];

/// Compares two versions of an OpenAPI 3.x / Swagger 2.0 document.
pub fn diff_openapi(old: &str, new: &str, old_path: &str, new_path: &str) -> Result<Vec<Change>, DiffError> {
    let (o, n) = parse_pair(old, new, old_path, new_path)?;
    let oa = model::read(&o).ok_or_else(|| DiffError::WrongFormat { path: old_path.into(), expected: "an OpenAPI" })?;
    let na = model::read(&n).ok_or_else(|| DiffError::WrongFormat { path: new_path.into(), expected: "an OpenAPI" })?;
    let mut d = Differ { old: &oa, new: &na, old_path, new_path, out: Vec::new() };
    d.run();
    Ok(d.out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A request or response body (`request-body-*` / `request-property-*`).
    Body,
    /// A parameter (`request-parameter-*` / `request-parameter-property-*`).
    Parameter,
    /// A response header (`response-header-*`).
    Header,
}

struct Differ<'a, 'b> {
    old: &'b Api<'a>,
    new: &'b Api<'a>,
    old_path: &'b str,
    new_path: &'b str,
    out: Vec<Change>,
}

fn op_key(op: &Operation<'_>) -> String {
    match &op.webhook {
        Some(w) => format!("webhook {w} {}", op.method),
        None => format!("{} {}", op.method, normalize_http_path(&op.path)),
    }
}

fn op_pointer(op: &Operation<'_>) -> String {
    match &op.webhook {
        Some(w) => format!("webhooks.{w}.{}", op.method.to_ascii_lowercase()),
        None => format!("paths.{}.{}", op.path, op.method.to_ascii_lowercase()),
    }
}

fn is_success(status: &str) -> bool {
    status.starts_with('2') || status.eq_ignore_ascii_case("2XX")
}

impl<'a> Differ<'a, '_> {
    fn loc(&self, old: bool, line: Option<u32>, pointer: &str) -> Location {
        Location {
            path: if old { self.old_path } else { self.new_path }.to_string(),
            line,
            pointer: pointer.to_string(),
        }
    }

    /// The location of a top-level section (`paths`, `webhooks`) in one version, if present.
    fn section(&self, old: bool, key: &str) -> Option<Location> {
        let root = if old { self.old.root } else { self.new.root };
        root.key_line(key).map(|line| self.loc(old, Some(line), key))
    }

    fn emit(&mut self, rule: &str, message: String, old: Option<Location>, new: Option<Location>) {
        let Some(level) = rule_level(rule) else { return };
        self.out.push(Change { rule: rule.to_string(), level, message, old, new });
    }

    fn run(&mut self) {
        let old_ops: BTreeMap<String, &Operation<'a>> = self.old.operations.iter().map(|o| (op_key(o), o)).collect();
        let new_ops: BTreeMap<String, &Operation<'a>> = self.new.operations.iter().map(|o| (op_key(o), o)).collect();
        let new_paths: Vec<String> =
            self.new.operations.iter().filter(|o| o.webhook.is_none()).map(|o| normalize_http_path(&o.path)).collect();

        for (key, op) in &old_ops {
            if new_ops.contains_key(key) {
                continue;
            }
            let ptr = op_pointer(op);
            let old_loc = Some(self.loc(true, Some(op.line), &ptr));
            if let Some(w) = &op.webhook {
                let new_loc = self.section(false, "webhooks");
                self.emit("webhook-removed", format!("webhook '{w}' {} removed", op.method), old_loc, new_loc);
                continue;
            }
            let path_gone = !new_paths.contains(&normalize_http_path(&op.path));
            let rule = match (path_gone, op.deprecated) {
                (true, false) => "api-path-removed-without-deprecation",
                (true, true) => "api-path-removed-with-deprecation",
                (false, false) => "api-removed-without-deprecation",
                (false, true) => "api-removed-with-deprecation",
            };
            let what = if path_gone { "api path removed" } else { "api operation removed" };
            // The path item that remains in the new version, else the `paths` section.
            let norm = normalize_http_path(&op.path);
            let sibling =
                self.new.operations.iter().find(|o| o.webhook.is_none() && normalize_http_path(&o.path) == norm);
            let new_loc = match sibling {
                Some(o) => Some(self.loc(false, Some(o.line), &format!("paths.{}", o.path))),
                None => self.section(false, "paths"),
            };
            self.emit(rule, format!("{what}: {} {}", op.method, op.path), old_loc, new_loc);
        }
        for (key, op) in &new_ops {
            if old_ops.contains_key(key) {
                continue;
            }
            let ptr = op_pointer(op);
            let rule = if op.webhook.is_some() { "webhook-added" } else { "endpoint-added" };
            let old_loc = self.section(true, if op.webhook.is_some() { "webhooks" } else { "paths" });
            self.emit(rule, format!("endpoint added: {key}"), old_loc, Some(self.loc(false, Some(op.line), &ptr)));
        }
        for (key, o) in &old_ops {
            if let Some(n) = new_ops.get(key) {
                self.operation(o, n);
            }
        }
        self.security_global();
        self.security_components();
        self.schemas_removed();
    }

    fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let (optr, nptr) = (op_pointer(o), op_pointer(n));
        let label =
            format!("{} {}", n.method, if n.path.is_empty() { n.webhook.as_deref().unwrap_or("") } else { &n.path });
        let ol = |line: u32| Some(line);
        if !o.deprecated && n.deprecated {
            self.emit(
                "endpoint-deprecated",
                format!("{label} deprecated"),
                Some(self.loc(true, ol(o.line), &optr)),
                Some(self.loc(false, ol(n.line), &nptr)),
            );
        }
        match (&o.operation_id, &n.operation_id) {
            (Some(a), Some(b)) if a != b => self.emit(
                "api-operation-id-removed",
                format!("{label}: operationId changed from '{a}' to '{b}'"),
                Some(self.loc(true, ol(o.line), &optr)),
                Some(self.loc(false, ol(n.line), &nptr)),
            ),
            (Some(a), None) => self.emit(
                "api-operation-id-removed",
                format!("{label}: operationId '{a}' removed"),
                Some(self.loc(true, ol(o.line), &optr)),
                Some(self.loc(false, ol(n.line), &nptr)),
            ),
            (None, Some(b)) => self.emit(
                "api-operation-id-added",
                format!("{label}: operationId '{b}' added"),
                Some(self.loc(true, ol(o.line), &optr)),
                Some(self.loc(false, ol(n.line), &nptr)),
            ),
            _ => {}
        }
        self.security(
            o.value.get("security"),
            n.value.get("security"),
            &label,
            (o.line, n.line),
            (&optr, &nptr),
            false,
        );
        self.parameters(o, n, &label, &optr, &nptr);
        self.request_body(o, n, &label, &optr, &nptr);
        self.responses(o, n, &label, &optr, &nptr);
    }

    fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str, optr: &str, nptr: &str) {
        // Path parameters are matched by position (their names may change freely).
        let key = |p: &model::Param<'_>, op: &Operation<'_>| -> String {
            if p.location == "path" {
                let idx = op
                    .path
                    .split('/')
                    .filter(|s| s.starts_with('{'))
                    .position(|s| s.trim_matches(['{', '}']) == p.name);
                format!("path#{}", idx.map(|i| i.to_string()).unwrap_or_else(|| p.name.clone()))
            } else {
                format!("{}:{}", p.location, p.name.to_ascii_lowercase())
            }
        };
        for op_ in &o.params {
            let k = key(op_, o);
            let pptr = format!("{optr}.parameters.{}.{}", op_.location, op_.name);
            match n.params.iter().find(|np| key(np, n) == k) {
                None => {
                    let rule = if op_.deprecated {
                        "request-parameter-removed-with-deprecation"
                    } else {
                        "request-parameter-removed"
                    };
                    self.emit(
                        rule,
                        format!("{label}: removed the '{}' {} request parameter", op_.name, op_.location),
                        Some(self.loc(true, Some(op_.line), &pptr)),
                        Some(self.loc(false, Some(n.line), nptr)),
                    );
                }
                Some(np) => {
                    let nptr_p = format!("{nptr}.parameters.{}.{}", np.location, np.name);
                    let (ol, nl) =
                        (Some(self.loc(true, Some(op_.line), &pptr)), Some(self.loc(false, Some(np.line), &nptr_p)));
                    if !op_.required && np.required {
                        self.emit(
                            "request-parameter-became-required",
                            format!("{label}: the '{}' {} request parameter became required", np.name, np.location),
                            ol.clone(),
                            nl.clone(),
                        );
                    } else if op_.required && !np.required {
                        self.emit(
                            "request-parameter-became-optional",
                            format!("{label}: the '{}' {} request parameter became optional", np.name, np.location),
                            ol.clone(),
                            nl.clone(),
                        );
                    }
                    self.serialisation(op_, np, label, (ol.clone(), nl.clone()));
                    if let (Some(os), Some(ns)) = (op_.schema, np.schema) {
                        let findings = compat::compare(self.old.root, os, self.new.root, ns);
                        let what = format!("the '{}' {} request parameter", np.name, np.location);
                        self.findings(findings, Dir::Request, Place::Parameter, label, &what, (&pptr, &nptr_p));
                    }
                }
            }
        }
        for np in &n.params {
            let k = key(np, n);
            if o.params.iter().any(|op_| key(op_, o) == k) {
                continue;
            }
            let nptr_p = format!("{nptr}.parameters.{}.{}", np.location, np.name);
            // A parameter added to the path item (for all its operations): oasdiff's own ids.
            let on_existing_path = np.shared && np.location != "path";
            let rule = if np.location == "path" {
                "new-request-path-parameter"
            } else if on_existing_path && np.required {
                "new-required-request-default-parameter-to-existing-path"
            } else if on_existing_path {
                "new-optional-request-default-parameter-to-existing-path"
            } else if np.required {
                "new-required-request-parameter"
            } else {
                "new-optional-request-parameter"
            };
            self.emit(
                rule,
                format!(
                    "{label}: added the {} '{}' {} request parameter",
                    if np.required { "required" } else { "optional" },
                    np.name,
                    np.location
                ),
                Some(self.loc(true, Some(o.line), optr)),
                Some(self.loc(false, Some(np.line), &nptr_p)),
            );
        }
    }

    /// A media type that gained or lost its schema (`{subject}-media-type-schema-added`/`-removed`).
    fn schema_existence(
        &mut self,
        subject: &str,
        (had, has): (bool, bool),
        what: String,
        locs: (Option<Location>, Option<Location>),
    ) {
        let change = match (had, has) {
            (false, true) => "added",
            (true, false) => "removed",
            _ => return,
        };
        self.emit(&format!("{subject}-media-type-schema-{change}"), format!("{what}: schema {change}"), locs.0, locs.1);
    }

    /// How a parameter is written on the wire: `style`, `explode` (with their
    /// defaults by location), `allowEmptyValue`, `allowReserved`. oasdiff has no
    /// rules for these; the ids are the brain's own (`BRAIN_RULES`).
    fn serialisation(
        &mut self,
        o: &model::Param<'a>,
        n: &model::Param<'a>,
        label: &str,
        locs: (Option<Location>, Option<Location>),
    ) {
        let style = |p: &model::Param<'_>| {
            p.value.str_at("style").map(str::to_string).unwrap_or_else(|| {
                if matches!(p.location.as_str(), "query" | "cookie") { "form" } else { "simple" }.to_string()
            })
        };
        let explode =
            |p: &model::Param<'_>| p.value.get("explode").and_then(Value::as_bool).unwrap_or(style(p) == "form");
        let what = format!("the '{}' {} request parameter", n.name, n.location);
        if style(o) != style(n) {
            let msg = format!("{label}: {what}: style changed from '{}' to '{}'", style(o), style(n));
            self.emit("request-parameter-style-changed", msg, locs.0.clone(), locs.1.clone());
        }
        if explode(o) != explode(n) {
            let msg = format!("{label}: {what}: explode changed from {} to {}", explode(o), explode(n));
            self.emit("request-parameter-explode-changed", msg, locs.0.clone(), locs.1.clone());
        }
        for (key, slug) in [("allowEmptyValue", "allow-empty-value"), ("allowReserved", "allow-reserved")] {
            let (a, b) = (o.value.flag(key), n.value.flag(key));
            if a != b {
                let change = if b { "set" } else { "unset" };
                let msg = format!("{label}: {what}: {key} {change}");
                self.emit(&format!("request-parameter-{slug}-{change}"), msg, locs.0.clone(), locs.1.clone());
            }
        }
    }

    fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str, optr: &str, nptr: &str) {
        let (bo, bn) = (format!("{optr}.requestBody"), format!("{nptr}.requestBody"));
        match (&o.body, &n.body) {
            (None, Some(b)) => {
                let rule = if b.required { "request-body-added-required" } else { "request-body-added-optional" };
                self.emit(
                    rule,
                    format!("{label}: added a request body"),
                    Some(self.loc(true, Some(o.line), optr)),
                    Some(self.loc(false, Some(b.line), &bn)),
                );
            }
            (Some(b), None) => {
                self.emit(
                    "request-body-removed",
                    format!("{label}: removed the request body"),
                    Some(self.loc(true, Some(b.line), &bo)),
                    Some(self.loc(false, Some(n.line), nptr)),
                );
            }
            (Some(ob), Some(nb)) => {
                let (ol, nl) = (Some(self.loc(true, Some(ob.line), &bo)), Some(self.loc(false, Some(nb.line), &bn)));
                if !ob.required && nb.required {
                    self.emit(
                        "request-body-became-required",
                        format!("{label}: the request body became required"),
                        ol.clone(),
                        nl.clone(),
                    );
                } else if ob.required && !nb.required {
                    self.emit(
                        "request-body-became-optional",
                        format!("{label}: the request body became optional"),
                        ol.clone(),
                        nl.clone(),
                    );
                }
                for (media, os) in &ob.content {
                    match nb.content.iter().find(|(m, _)| m == media) {
                        None => self.emit(
                            "request-body-media-type-removed",
                            format!("{label}: removed the media type '{media}' from the request body"),
                            ol.clone(),
                            nl.clone(),
                        ),
                        Some((_, ns)) => match (os, ns) {
                            (Some(os), Some(ns)) => {
                                let findings = compat::compare(self.old.root, os, self.new.root, ns);
                                self.findings(
                                    findings,
                                    Dir::Request,
                                    Place::Body,
                                    label,
                                    "the request body",
                                    (&bo, &bn),
                                );
                            }
                            (o_schema, n_schema) => self.schema_existence(
                                "request-body",
                                (o_schema.is_some(), n_schema.is_some()),
                                format!("{label}: the request body's '{media}'"),
                                (ol.clone(), nl.clone()),
                            ),
                        },
                    }
                }
                for (media, _) in &nb.content {
                    if !ob.content.iter().any(|(m, _)| m == media) {
                        self.emit(
                            "request-body-media-type-added",
                            format!("{label}: added the media type '{media}' to the request body"),
                            ol.clone(),
                            nl.clone(),
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }

    fn responses(&mut self, o: &Operation<'a>, n: &Operation<'a>, label: &str, optr: &str, nptr: &str) {
        for or in &o.responses {
            let rptr = format!("{optr}.responses.{}", or.status);
            match n.responses.iter().find(|r| r.status.eq_ignore_ascii_case(&or.status)) {
                None => {
                    let rule = if is_success(&or.status) {
                        "response-success-status-removed"
                    } else {
                        "response-non-success-status-removed"
                    };
                    self.emit(
                        rule,
                        format!("{label}: removed the '{}' response", or.status),
                        Some(self.loc(true, Some(or.line), &rptr)),
                        Some(self.loc(false, Some(n.line), nptr)),
                    );
                }
                Some(nr) => {
                    let nrptr = format!("{nptr}.responses.{}", nr.status);
                    let (ol, nl) =
                        (Some(self.loc(true, Some(or.line), &rptr)), Some(self.loc(false, Some(nr.line), &nrptr)));
                    for (media, os) in &or.content {
                        match nr.content.iter().find(|(m, _)| m == media) {
                            None => self.emit(
                                "response-media-type-removed",
                                format!("{label}: removed the media type '{media}' from the '{}' response", or.status),
                                ol.clone(),
                                nl.clone(),
                            ),
                            Some((_, ns)) => match (os, ns) {
                                (Some(os), Some(ns)) => {
                                    let findings = compat::compare(self.old.root, os, self.new.root, ns);
                                    let what = format!("the '{}' response", nr.status);
                                    self.findings(findings, Dir::Response, Place::Body, label, &what, (&rptr, &nrptr));
                                }
                                (o_schema, n_schema) => self.schema_existence(
                                    "response-body",
                                    (o_schema.is_some(), n_schema.is_some()),
                                    format!("{label}: the '{}' response's '{media}'", nr.status),
                                    (ol.clone(), nl.clone()),
                                ),
                            },
                        }
                    }
                    for (media, _) in &nr.content {
                        if !or.content.iter().any(|(m, _)| m == media) {
                            self.emit(
                                "response-media-type-added",
                                format!("{label}: added the media type '{media}' to the '{}' response", nr.status),
                                ol.clone(),
                                nl.clone(),
                            );
                        }
                    }
                    for oh in &or.headers {
                        let hptr = format!("{rptr}.headers.{}", oh.name);
                        match nr.headers.iter().find(|h| h.name.eq_ignore_ascii_case(&oh.name)) {
                            None => {
                                let rule = if oh.required {
                                    "required-response-header-removed"
                                } else {
                                    "optional-response-header-removed"
                                };
                                self.emit(
                                    rule,
                                    format!(
                                        "{label}: removed the response header '{}' from the '{}' response",
                                        oh.name, or.status
                                    ),
                                    Some(self.loc(true, Some(oh.line), &hptr)),
                                    nl.clone(),
                                );
                            }
                            Some(nh) => {
                                let nhptr = format!("{nrptr}.headers.{}", nh.name);
                                if oh.required && !nh.required {
                                    self.emit(
                                        "response-header-became-optional",
                                        format!("{label}: the response header '{}' became optional", nh.name),
                                        Some(self.loc(true, Some(oh.line), &hptr)),
                                        Some(self.loc(false, Some(nh.line), &nhptr)),
                                    );
                                }
                                if let (Some(os), Some(ns)) = (oh.schema, nh.schema) {
                                    let findings = compat::compare(self.old.root, os, self.new.root, ns);
                                    let what = format!("the response header '{}'", nh.name);
                                    self.findings(
                                        findings,
                                        Dir::Response,
                                        Place::Header,
                                        label,
                                        &what,
                                        (&hptr, &nhptr),
                                    );
                                }
                            }
                        }
                    }
                    for nh in &nr.headers {
                        if !or.headers.iter().any(|h| h.name.eq_ignore_ascii_case(&nh.name)) {
                            let nhptr = format!("{nrptr}.headers.{}", nh.name);
                            self.emit(
                                "response-header-added",
                                format!("{label}: added the response header '{}'", nh.name),
                                ol.clone(),
                                Some(self.loc(false, Some(nh.line), &nhptr)),
                            );
                        }
                    }
                }
            }
        }
        for nr in &n.responses {
            if !o.responses.iter().any(|r| r.status.eq_ignore_ascii_case(&nr.status)) {
                let rule = if is_success(&nr.status) {
                    "response-success-status-added"
                } else {
                    "response-non-success-status-added"
                };
                let nrptr = format!("{nptr}.responses.{}", nr.status);
                self.emit(
                    rule,
                    format!("{label}: added the '{}' response", nr.status),
                    Some(self.loc(true, Some(o.line), optr)),
                    Some(self.loc(false, Some(nr.line), &nrptr)),
                );
            }
        }
    }

    fn security(
        &mut self,
        o: Option<&Value>,
        n: Option<&Value>,
        label: &str,
        lines: (u32, u32),
        ptrs: (&str, &str),
        global: bool,
    ) {
        let parse = |v: Option<&Value>| -> Vec<BTreeMap<String, Vec<String>>> {
            v.map(Value::items)
                .unwrap_or(&[])
                .iter()
                .map(|req| {
                    req.entries()
                        .iter()
                        .map(|(s, _, scopes)| {
                            (s.clone(), scopes.items().iter().filter_map(Value::as_str).map(str::to_string).collect())
                        })
                        .collect()
                })
                .collect()
        };
        let (oreqs, nreqs) = (parse(o), parse(n));
        let names = |r: &BTreeMap<String, Vec<String>>| r.keys().cloned().collect::<Vec<_>>().join(" & ");
        let prefix = if global { "api-global-security" } else { "api-security" };
        let (ol, nl) = (
            Some(self.loc(true, Some(o.map(|v| v.line).unwrap_or(lines.0)), &format!("{}.security", ptrs.0))),
            Some(self.loc(false, Some(n.map(|v| v.line).unwrap_or(lines.1)), &format!("{}.security", ptrs.1))),
        );
        // Requirements are alternatives (OR); one scheme may appear in several. Pair identical ones
        // first, then the rest by their schemes, one to one; what is left was removed or added.
        let mut paired_new = vec![false; nreqs.len()];
        let mut pending = Vec::new();
        for r in &oreqs {
            match (0..nreqs.len()).find(|&i| !paired_new[i] && nreqs[i] == *r) {
                Some(i) => paired_new[i] = true,
                None => pending.push(r),
            }
        }
        for r in pending {
            let Some(i) = (0..nreqs.len()).find(|&i| !paired_new[i] && nreqs[i].keys().eq(r.keys())) else {
                self.emit(
                    &format!("{prefix}-removed"),
                    format!("{label}: removed the security requirement '{}'", names(r)),
                    ol.clone(),
                    nl.clone(),
                );
                continue;
            };
            paired_new[i] = true;
            for (scheme, scopes) in &nreqs[i] {
                let old_scopes = r.get(scheme).cloned().unwrap_or_default();
                for s in scopes.iter().filter(|s| !old_scopes.contains(s)) {
                    self.emit(
                        &format!("{prefix}-scope-added"),
                        format!("{label}: added the scope '{s}' to the security scheme '{scheme}'"),
                        ol.clone(),
                        nl.clone(),
                    );
                }
                for s in old_scopes.iter().filter(|s| !scopes.contains(s)) {
                    self.emit(
                        &format!("{prefix}-scope-removed"),
                        format!("{label}: removed the scope '{s}' from the security scheme '{scheme}'"),
                        ol.clone(),
                        nl.clone(),
                    );
                }
            }
        }
        for (i, r) in nreqs.iter().enumerate() {
            if !paired_new[i] {
                self.emit(
                    &format!("{prefix}-added"),
                    format!("{label}: added the security requirement '{}'", names(r)),
                    ol.clone(),
                    nl.clone(),
                );
            }
        }
    }

    fn security_global(&mut self) {
        let (o, n) = (self.old.root.get("security"), self.new.root.get("security"));
        self.security(o, n, "API", (self.old.root.line, self.new.root.line), ("", ""), true);
    }

    /// `components.securitySchemes` (Swagger 2.0 `securityDefinitions`): schemes
    /// added, removed, retyped, and their OAuth flows' URLs and scopes.
    fn security_components(&mut self) {
        let (ptr_o, ptr_n) = (schemes_pointer(self.old.version), schemes_pointer(self.new.version));
        let (os, ns) = (schemes(self.old.root, self.old.version), schemes(self.new.root, self.new.version));
        let entries = |v: Option<&'a Value>| v.map(Value::entries).unwrap_or(&[]);
        for (name, oline, o) in entries(os) {
            let oloc = Some(self.loc(true, Some(*oline), &format!("{ptr_o}.{name}")));
            let Some((_, nline, n)) = entries(ns).iter().find(|(k, _, _)| k == name) else {
                let nloc = ns.map(|v| self.loc(false, Some(v.line), ptr_n));
                self.emit(
                    "api-security-component-removed",
                    format!("removed the security scheme '{name}'"),
                    oloc,
                    nloc,
                );
                continue;
            };
            let nloc = Some(self.loc(false, Some(*nline), &format!("{ptr_n}.{name}")));
            if o.str_at("type") != n.str_at("type") {
                self.emit(
                    "api-security-component-type-changed",
                    format!(
                        "the security scheme '{name}' changed type from '{}' to '{}'",
                        o.str_at("type").unwrap_or("none"),
                        n.str_at("type").unwrap_or("none")
                    ),
                    oloc.clone(),
                    nloc.clone(),
                );
            }
            for (flow, of, nf) in oauth_flows(o, n) {
                for (key, rule) in [
                    ("authorizationUrl", "api-security-component-oauth-url-changed"),
                    ("tokenUrl", "api-security-component-oauth-token-url-changed"),
                ] {
                    if of.str_at(key) != nf.str_at(key) {
                        self.emit(
                            rule,
                            format!("the security scheme '{name}' ({flow} flow): {key} changed"),
                            oloc.clone(),
                            nloc.clone(),
                        );
                    }
                }
                let (osc, nsc) = (of.get("scopes"), nf.get("scopes"));
                for (scope, _, d) in entries(osc) {
                    match entries(nsc).iter().find(|(k, _, _)| k == scope) {
                        None => self.emit(
                            "api-security-component-oauth-scope-removed",
                            format!("the security scheme '{name}': removed the scope '{scope}'"),
                            oloc.clone(),
                            nloc.clone(),
                        ),
                        Some((_, _, e)) if e.render() != d.render() => self.emit(
                            "api-security-component-oauth-scope-changed",
                            format!("the security scheme '{name}': the scope '{scope}' changed"),
                            oloc.clone(),
                            nloc.clone(),
                        ),
                        _ => {}
                    }
                }
                for (scope, _, _) in entries(nsc) {
                    if !entries(osc).iter().any(|(k, _, _)| k == scope) {
                        self.emit(
                            "api-security-component-oauth-scope-added",
                            format!("the security scheme '{name}': added the scope '{scope}'"),
                            oloc.clone(),
                            nloc.clone(),
                        );
                    }
                }
            }
        }
        for (name, nline, _) in entries(ns) {
            if !entries(os).iter().any(|(k, _, _)| k == name) {
                let oloc = os.map(|v| self.loc(true, Some(v.line), ptr_o));
                let nloc = Some(self.loc(false, Some(*nline), &format!("{ptr_n}.{name}")));
                self.emit("api-security-component-added", format!("added the security scheme '{name}'"), oloc, nloc);
            }
        }
    }

    fn schemas_removed(&mut self) {
        let ptr = |v: Version| if v == Version::Swagger2 { ["definitions", ""] } else { ["components", "schemas"] };
        let get = |root: &'a Value, v: Version| -> Option<&'a Value> {
            let [a, b] = ptr(v);
            let x = root.get(a)?;
            if b.is_empty() {
                Some(x)
            } else {
                x.get(b)
            }
        };
        let (Some(os), ns) = (get(self.old.root, self.old.version), get(self.new.root, self.new.version)) else {
            return;
        };
        for (name, line, _) in os.entries() {
            if ns.and_then(|n| n.get(name)).is_none() {
                self.emit(
                    "api-schema-removed",
                    format!("removed the schema '{name}'"),
                    Some(self.loc(
                        true,
                        Some(*line),
                        &format!("{}.{name}", ptr(self.old.version).join(".").trim_end_matches('.')),
                    )),
                    None,
                );
            }
        }
    }

    /// Names schema findings with oasdiff ids and emits them.
    fn findings(
        &mut self,
        findings: Vec<Finding>,
        dir: Dir,
        place: Place,
        label: &str,
        what: &str,
        ptrs: (&str, &str),
    ) {
        for f in findings {
            let Some((rule, desc)) = name_finding(&f, dir, place) else { continue };
            let suffix = if f.at.is_empty() { String::new() } else { format!(".{}", f.at) };
            let message = if f.at.is_empty() {
                format!("{label}: {what}: {desc}")
            } else {
                format!("{label}: {what}, property '{}': {desc}", f.at)
            };
            let old = Some(self.loc(true, f.old_line, &format!("{}{suffix}", ptrs.0)));
            let new = Some(self.loc(false, f.new_line, &format!("{}{suffix}", ptrs.1)));
            self.emit(&rule, message, old, new);
        }
    }
}

/// Where a version keeps its security schemes.
fn schemes_pointer(v: Version) -> &'static str {
    if v == Version::Swagger2 {
        "securityDefinitions"
    } else {
        "components.securitySchemes"
    }
}

/// The security schemes map of a document, if any.
fn schemes(root: &Value, v: Version) -> Option<&Value> {
    if v == Version::Swagger2 {
        root.get("securityDefinitions")
    } else {
        root.get("components")?.get("securitySchemes")
    }
}

/// The OAuth flows both versions of a scheme declare, by flow name
/// (3.x `flows.<name>`; Swagger 2.0 keeps one flow on the scheme itself).
fn oauth_flows<'v>(o: &'v Value, n: &'v Value) -> Vec<(String, &'v Value, &'v Value)> {
    match (o.get("flows"), n.get("flows")) {
        (Some(of), Some(nf)) => {
            of.entries().iter().filter_map(|(k, _, a)| nf.get(k).map(|b| (k.clone(), a, b))).collect()
        }
        (None, None) if o.str_at("type") == Some("oauth2") && n.str_at("type") == Some("oauth2") => {
            vec![(o.str_at("flow").unwrap_or("oauth2").to_string(), o, n)]
        }
        _ => Vec::new(),
    }
}

/// Whether a type string is a list of types (`string|integer`), not a
/// `oneOf<..>`/`anyOf<..>` or a generic.
fn is_type_list(t: &str) -> bool {
    t.contains('|') && !t.contains('<')
}

/// The oasdiff id and a description of one schema finding, or `None` when
/// oasdiff has no rule for it in this place.
fn name_finding(f: &Finding, dir: Dir, place: Place) -> Option<(String, String)> {
    // A parameter has no properties: its items and map values are the parameter's own constraints.
    let root = f.at.is_empty() || (place != Place::Body && f.at.chars().all(|c| "[]{}0123456789".contains(c)));
    let subject = match (dir, place, root) {
        (Dir::Request, Place::Body, true) => "request-body",
        (Dir::Request, Place::Body, false) => "request-property",
        (Dir::Request, Place::Parameter, true) => "request-parameter",
        (Dir::Request, Place::Parameter, false) => "request-parameter-property",
        (Dir::Response, Place::Body, true) => "response-body",
        (Dir::Response, Place::Body, false) => "response-property",
        (Dir::Response, Place::Header, true) => "response-header",
        _ => return None,
    };
    let req = dir == Dir::Request;
    let (rule, desc): (String, String) = match &f.what {
        What::PropertyRemoved { required, write_only, read_only } => {
            if req {
                if *read_only {
                    return None;
                }
                ("request-property-removed".into(), "property removed".into())
            } else {
                let kind = match (required, write_only) {
                    (true, true) => "response-required-write-only-property-removed",
                    (false, true) => "response-optional-write-only-property-removed",
                    (true, false) => "response-required-property-removed",
                    (false, false) => "response-optional-property-removed",
                };
                (kind.into(), format!("{} property removed", if *required { "required" } else { "optional" }))
            }
        }
        What::PropertyAdded { required, read_only, write_only, with_default } => {
            if req {
                if *read_only {
                    return None;
                }
                let r = match (required, with_default) {
                    (true, true) => "new-required-request-property-with-default",
                    (true, false) => "new-required-request-property",
                    _ => "new-optional-request-property",
                };
                (r.into(), format!("{} property added", if *required { "required" } else { "optional" }))
            } else {
                let r = match (required, write_only) {
                    (true, true) => "response-required-write-only-property-added",
                    (false, true) => "response-optional-write-only-property-added",
                    (true, false) => "response-required-property-added",
                    (false, false) => "response-optional-property-added",
                };
                (r.into(), format!("{} property added", if *required { "required" } else { "optional" }))
            }
        }
        What::BecameRequired { read_only, write_only } => {
            if req {
                if *read_only {
                    return None;
                }
                ("request-property-became-required".into(), "became required".into())
            } else if *write_only {
                ("response-write-only-property-became-required".into(), "became required".into())
            } else {
                ("response-property-became-required".into(), "became required".into())
            }
        }
        What::BecameOptional { read_only, write_only } => {
            if req {
                if *read_only {
                    return None;
                }
                ("request-property-became-optional".into(), "became optional".into())
            } else if *write_only {
                ("response-write-only-property-became-optional".into(), "became optional".into())
            } else {
                ("response-property-became-optional".into(), "became optional".into())
            }
        }
        What::TypeChanged { old, new, widened, narrowed } if is_type_list(old) || is_type_list(new) => {
            // 3.1 / JSON Schema type arrays (`type: [string, integer]`): oasdiff's list-of-types rules.
            let kind = if *widened {
                "list-of-types-widened"
            } else if *narrowed {
                "list-of-types-narrowed"
            } else {
                "type-changed"
            };
            (format!("{subject}-{kind}"), format!("list of types changed from '{old}' to '{new}'"))
        }
        What::TypeChanged { old, new, widened, narrowed } => {
            let kind = if *widened {
                "generalized"
            } else if *narrowed && !req {
                "specialized"
            } else {
                "changed"
            };
            (format!("{subject}-type-{kind}"), format!("type/format changed from '{old}' to '{new}'"))
        }
        What::EnumValueRemoved(v) if subject == "response-body" => {
            ("response-mediatype-enum-value-removed".into(), format!("enum value '{v}' removed"))
        }
        What::EnumValueRemoved(v) => {
            let s = if req && subject == "request-parameter-property" { "request-parameter-property" } else { subject };
            (format!("{s}-enum-value-removed"), format!("enum value '{v}' removed"))
        }
        What::EnumValueAdded(v) => {
            let s = if subject == "response-body" { "response-property" } else { subject };
            (format!("{s}-enum-value-added"), format!("enum value '{v}' added"))
        }
        What::BecameEnum => (format!("{subject}-became-enum"), "became an enum".into()),
        What::BecameNullable => (format!("{subject}-became-nullable"), "became nullable".into()),
        What::BecameNotNullable => (format!("{subject}-became-not-nullable"), "became not nullable".into()),
        What::Bound { bound, change, old, new } => {
            let c = match change {
                BoundChange::Set => "set",
                BoundChange::Unset => "unset",
                BoundChange::Increased => "increased",
                BoundChange::Decreased => "decreased",
            };
            let fmt = |v: &Option<f64>| v.map(|x| x.to_string()).unwrap_or_else(|| "none".into());
            (
                format!("{subject}-{}-{c}", bound.slug()),
                format!("{} {c} from {} to {}", bound.slug(), fmt(old), fmt(new)),
            )
        }
        What::PatternAdded(p) => (format!("{subject}-pattern-added"), format!("pattern '{p}' added")),
        What::PatternRemoved => (format!("{subject}-pattern-removed"), "pattern removed".into()),
        What::PatternChanged { old, new } => {
            (format!("{subject}-pattern-changed"), format!("pattern changed from '{old}' to '{new}'"))
        }
        What::OneOfAdded(v) => (format!("{subject}-one-of-added"), format!("oneOf variant '{v}' added")),
        What::OneOfRemoved(v) => (format!("{subject}-one-of-removed"), format!("oneOf variant '{v}' removed")),
        What::AnyOfAdded(v) => (format!("{subject}-any-of-added"), format!("anyOf variant '{v}' added")),
        What::AnyOfRemoved(v) => (format!("{subject}-any-of-removed"), format!("anyOf variant '{v}' removed")),
        What::AdditionalPropertiesClosed | What::AdditionalPropertiesOpened => return None,
        What::AccessChanged { required, write_only, now } => {
            if root {
                return None;
            }
            let side = if req { "request" } else { "response" };
            let which = if *required { "required" } else { "optional" };
            let not = if *now { "" } else { "not-" };
            let access = if *write_only { "write-only" } else { "read-only" };
            (format!("{side}-{which}-property-became-{not}{access}"), format!("became {not}{access}"))
        }
        What::Keyword { key, change, detail } => {
            let (key_words, change_words) = (key.replace('-', " "), change.replace('-', " "));
            let desc = if detail.is_empty() || detail == "any" {
                format!("{key_words} {change_words}")
            } else {
                format!("{key_words} '{detail}' {change_words}")
            };
            (format!("{subject}-{key}-{change}"), desc)
        }
        What::DefaultChanged { old, new } => {
            let c = match (old, new) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                _ => "changed",
            };
            (
                format!("{subject}-default-value-{c}"),
                format!(
                    "default value {c} ({} → {})",
                    old.as_deref().unwrap_or("none"),
                    new.as_deref().unwrap_or("none")
                ),
            )
        }
        What::ConstChanged { old, new } => {
            let c = match (old, new) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                _ => "changed",
            };
            (
                format!("{subject}-const-{c}"),
                format!("const {c} ({} → {})", old.as_deref().unwrap_or("none"), new.as_deref().unwrap_or("none")),
            )
        }
    };
    Some((rule, desc))
}

/// Rule ids reported outside schema comparison (operations, parameters,
/// bodies, responses, headers, security, components).
pub const STRUCTURAL_RULES: &[&str] = &[
    "api-path-removed-without-deprecation",
    "api-path-removed-with-deprecation",
    "api-removed-without-deprecation",
    "api-removed-with-deprecation",
    "endpoint-added",
    "endpoint-deprecated",
    "webhook-added",
    "webhook-removed",
    "api-operation-id-removed",
    "api-operation-id-added",
    "api-security-removed",
    "api-security-added",
    "api-security-scope-added",
    "api-security-scope-removed",
    "api-global-security-removed",
    "api-global-security-added",
    "api-global-security-scope-added",
    "api-global-security-scope-removed",
    "api-security-component-added",
    "api-security-component-removed",
    "api-security-component-type-changed",
    "api-security-component-oauth-url-changed",
    "api-security-component-oauth-token-url-changed",
    "api-security-component-oauth-scope-added",
    "api-security-component-oauth-scope-removed",
    "api-security-component-oauth-scope-changed",
    "api-schema-removed",
    "request-parameter-removed",
    "request-parameter-removed-with-deprecation",
    "request-parameter-became-required",
    "request-parameter-became-optional",
    "new-request-path-parameter",
    "new-required-request-default-parameter-to-existing-path",
    "new-optional-request-default-parameter-to-existing-path",
    "request-parameter-style-changed",
    "request-parameter-explode-changed",
    "request-parameter-allow-empty-value-unset",
    "request-parameter-allow-empty-value-set",
    "request-parameter-allow-reserved-unset",
    "request-parameter-allow-reserved-set",
    "request-body-media-type-schema-added",
    "request-body-media-type-schema-removed",
    "response-body-media-type-schema-added",
    "response-body-media-type-schema-removed",
    "new-required-request-parameter",
    "new-optional-request-parameter",
    "request-body-added-required",
    "request-body-added-optional",
    "request-body-removed",
    "request-body-became-required",
    "request-body-became-optional",
    "request-body-media-type-removed",
    "request-body-media-type-added",
    "response-success-status-removed",
    "response-non-success-status-removed",
    "response-success-status-added",
    "response-non-success-status-added",
    "response-media-type-removed",
    "response-media-type-added",
    "required-response-header-removed",
    "optional-response-header-removed",
    "response-header-became-optional",
    "response-header-added",
];

/// Every rule id this diff can report, sorted: [`STRUCTURAL_RULES`] plus
/// each schema finding named in each place where oasdiff has a rule for it.
pub fn all_rules() -> Vec<&'static str> {
    use crate::schema::compat::Bound;
    let mut whats = vec![
        What::TypeChanged { old: String::new(), new: String::new(), widened: false, narrowed: false },
        What::TypeChanged { old: String::new(), new: String::new(), widened: true, narrowed: false },
        What::TypeChanged { old: String::new(), new: String::new(), widened: false, narrowed: true },
        What::TypeChanged { old: "a|b".into(), new: "a".into(), widened: false, narrowed: true },
        What::TypeChanged { old: "a".into(), new: "a|b".into(), widened: true, narrowed: false },
        What::EnumValueRemoved(String::new()),
        What::EnumValueAdded(String::new()),
        What::BecameEnum,
        What::BecameNullable,
        What::BecameNotNullable,
        What::PatternAdded(String::new()),
        What::PatternRemoved,
        What::PatternChanged { old: String::new(), new: String::new() },
        What::OneOfAdded(String::new()),
        What::OneOfRemoved(String::new()),
        What::AnyOfAdded(String::new()),
        What::AnyOfRemoved(String::new()),
    ];
    for (a, b) in
        [(None, Some(String::new())), (Some(String::new()), None), (Some("a".to_string()), Some("b".to_string()))]
    {
        whats.push(What::DefaultChanged { old: a.clone(), new: b.clone() });
        whats.push(What::ConstChanged { old: a, new: b });
    }
    for (bound, _) in Bound::ALL {
        for change in [BoundChange::Set, BoundChange::Unset, BoundChange::Increased, BoundChange::Decreased] {
            whats.push(What::Bound { bound, change, old: None, new: None });
        }
    }
    for required in [false, true] {
        for (read_only, write_only) in [(false, false), (true, false), (false, true)] {
            whats.push(What::PropertyRemoved { required, read_only, write_only });
            for with_default in [false, true] {
                whats.push(What::PropertyAdded { required, read_only, write_only, with_default });
            }
        }
    }
    for required in [false, true] {
        for write_only in [false, true] {
            for now in [false, true] {
                whats.push(What::AccessChanged { required, write_only, now });
            }
        }
    }
    for (key, changes) in crate::schema::compat::KEYWORD_CHANGES {
        for change in *changes {
            whats.push(What::Keyword { key, change, detail: String::new() });
        }
    }
    for (read_only, write_only) in [(false, false), (false, true)] {
        whats.push(What::BecameRequired { read_only, write_only });
        whats.push(What::BecameOptional { read_only, write_only });
    }
    let mut out: Vec<&'static str> = STRUCTURAL_RULES.to_vec();
    let table: Vec<&'static str> = include_str!("oasdiff_rules.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(' ').map(|(_, id)| id.trim()))
        .collect();
    for what in whats {
        for dir in [Dir::Request, Dir::Response] {
            for place in [Place::Body, Place::Parameter, Place::Header] {
                for at in ["", "p"] {
                    let f = Finding { at: at.to_string(), what: what.clone(), old_line: None, new_line: None };
                    if let Some((rule, _)) = name_finding(&f, dir, place) {
                        if let Some(id) = table.iter().find(|t| **t == rule) {
                            out.push(id);
                        }
                    }
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_known_and_documented() {
        let doc = include_str!("../../RULES.md");
        for rule in all_rules() {
            assert!(rule_level(rule).is_some(), "{rule} has no level");
            assert!(doc.contains(&format!("`{rule}`")), "{rule} is not in RULES.md");
        }
        for rule in STRUCTURAL_RULES {
            assert!(rule_level(rule).is_some(), "{rule} is not an oasdiff rule");
        }
    }

    /// Prints the table rows for RULES.md:
    /// `cargo test -p brain-ingest-contracts --lib print_rules -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn print_rules() {
        for r in all_rules() {
            let level = rule_level(r).map(Level::as_str).unwrap_or("?");
            println!("RULE | `{r}` | {level} |");
        }
    }
}
