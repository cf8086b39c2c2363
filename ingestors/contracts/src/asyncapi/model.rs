//! A version-neutral view of an AsyncAPI 2.x or 3.x document: operations as
//! (action, channel address, messages) from the application's point of view.
//!
//! Semantics of the action, which AsyncAPI 2 and 3 spell differently:
//! * AsyncAPI 2.x describes what *others* may do with the application:
//!   `publish` means others publish to the channel, so the application
//!   **receives**; `subscribe` means others subscribe, so the application
//!   **sends**.
//! * AsyncAPI 3.x says it directly: `action: send` / `action: receive`.

use crate::schema::refs::{deref, last_segment, RefError};
use crate::schema::tree::Value;

/// What the application does on a channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Send,
    Receive,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Send => "send",
            Action::Receive => "receive",
        }
    }
}

/// A message of an operation.
#[derive(Debug)]
pub struct Message<'a> {
    /// `components/messages` key, else `name` / `messageId` / `title`.
    pub name: Option<String>,
    /// The payload schema (3.x multi-format payloads unwrapped).
    pub payload: Option<&'a Value>,
    pub line: u32,
}

/// One operation of the application on a channel.
#[derive(Debug)]
pub struct Operation<'a> {
    pub action: Action,
    /// The channel address (2.x: the channel key; 3.x: `address`, or the key when null).
    pub address: String,
    /// 3.x operation key, or 2.x `operationId`.
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub messages: Vec<Message<'a>>,
    /// The broker's own name for the channel when a binding gives one
    /// (`bindings.kafka.topic`), if it differs from the address.
    pub broker_topic: Option<String>,
    pub line: u32,
    pub end_line: u32,
}

/// A problem found while reading (becomes a Diagnostic).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub what: &'static str,
    pub message: String,
}

/// The whole document.
#[derive(Debug)]
pub struct AsyncApi<'a> {
    pub root: &'a Value,
    /// `asyncapi` as written (`2.6.0`).
    pub spec_version: String,
    pub major: u32,
    pub title: Option<String>,
    pub info_version: Option<String>,
    pub description: Option<String>,
    /// Channel addresses declared (whether or not an operation uses them), with lines.
    pub channels: Vec<(String, u32)>,
    /// Distinct `servers.*.protocol` values (`kafka`, `mqtt`, `amqp`, ...).
    pub protocols: Vec<String>,
    pub operations: Vec<Operation<'a>>,
    pub problems: Vec<Problem>,
}

impl AsyncApi<'_> {
    /// `asyncapi-2.6`, `asyncapi-3.0`.
    pub fn format(&self) -> String {
        let mut parts = self.spec_version.split('.');
        let major = parts.next().unwrap_or("2");
        let minor = parts.next().unwrap_or("0");
        format!("asyncapi-{major}.{minor}")
    }
}

/// Reads the view; `None` when the document has no `asyncapi` key.
pub fn read(root: &Value) -> Option<AsyncApi<'_>> {
    let spec_version = root.get("asyncapi")?.as_str().unwrap_or_default().to_string();
    let major = spec_version.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(2);
    let info = root.get("info");
    let mut r = Reader { root, problems: Vec::new() };
    let mut api = AsyncApi {
        root,
        spec_version,
        major,
        title: info.and_then(|i| i.str_at("title")).map(str::to_string),
        info_version: info.and_then(|i| i.str_at("version")).map(str::to_string),
        description: info.and_then(|i| i.str_at("description")).map(str::to_string),
        channels: Vec::new(),
        protocols: Vec::new(),
        operations: Vec::new(),
        problems: Vec::new(),
    };
    for (_, _, server) in root.get("servers").map(Value::entries).unwrap_or(&[]) {
        if let Some(p) = server.str_at("protocol") {
            if !api.protocols.iter().any(|x| x == p) {
                api.protocols.push(p.to_string());
            }
        }
    }
    if major >= 3 {
        for (key, kline, ch) in root.get("channels").map(Value::entries).unwrap_or(&[]) {
            let ch = r.resolve(ch).unwrap_or(ch);
            api.channels.push((address_of(key, ch), *kline));
        }
        for (key, kline, op) in root.get("operations").map(Value::entries).unwrap_or(&[]) {
            let Some(op) = r.resolve(op) else { continue };
            let action = match op.str_at("action") {
                Some("send") => Action::Send,
                Some("receive") => Action::Receive,
                other => {
                    r.problem(
                        op.line,
                        "structure",
                        format!("operation '{key}' has action {other:?}; expected send or receive"),
                    );
                    continue;
                }
            };
            let Some(ch_ref) = op.get("channel") else {
                r.problem(op.line, "structure", format!("operation '{key}' has no channel"));
                continue;
            };
            let ch_key = ch_ref.str_at("$ref").and_then(last_segment).unwrap_or_default();
            let Some(ch) = r.resolve(ch_ref) else { continue };
            let address = address_of(&ch_key, ch);
            let mut messages = Vec::new();
            let listed = op.get("messages").map(Value::items);
            match listed {
                Some(list) if !list.is_empty() => {
                    for m in list {
                        if let Some(msg) = r.message(m) {
                            messages.push(msg);
                        }
                    }
                }
                _ => {
                    for (_, _, m) in ch.get("messages").map(Value::entries).unwrap_or(&[]) {
                        if let Some(msg) = r.message(m) {
                            messages.push(msg);
                        }
                    }
                }
            }
            let broker_topic = broker_topic(ch, &address);
            api.operations.push(Operation {
                action,
                address,
                operation_id: Some(key.clone()),
                summary: op.str_at("summary").or_else(|| op.str_at("description")).map(str::to_string),
                messages,
                broker_topic,
                line: *kline,
                end_line: op.end_line,
            });
        }
    } else {
        for (address, kline, ch) in root.get("channels").map(Value::entries).unwrap_or(&[]) {
            api.channels.push((address.clone(), *kline));
            let Some(ch) = r.resolve(ch) else { continue };
            for (key, action) in [("publish", Action::Receive), ("subscribe", Action::Send)] {
                let Some(op) = ch.get(key) else { continue };
                let Some(op) = r.resolve(op) else { continue };
                let mut messages = Vec::new();
                if let Some(m) = op.get("message") {
                    let resolved = r.resolve(m);
                    match resolved.and_then(|x| x.get("oneOf")) {
                        Some(list) => {
                            for item in list.items() {
                                if let Some(msg) = r.message(item) {
                                    messages.push(msg);
                                }
                            }
                        }
                        None => messages.extend(r.message(m)),
                    }
                }
                api.operations.push(Operation {
                    action,
                    address: address.clone(),
                    operation_id: op.str_at("operationId").map(str::to_string),
                    summary: op.str_at("summary").or_else(|| op.str_at("description")).map(str::to_string),
                    messages,
                    broker_topic: broker_topic(ch, address),
                    line: ch.key_line(key).unwrap_or(op.line),
                    end_line: op.end_line,
                });
            }
        }
    }
    api.problems = r.problems;
    Some(api)
}

/// `bindings.kafka.topic` of a channel when it differs from the address.
fn broker_topic(ch: &Value, address: &str) -> Option<String> {
    let t = ch.get("bindings")?.get("kafka")?.str_at("topic")?;
    (t != address).then(|| t.to_string())
}

fn address_of(key: &str, ch: &Value) -> String {
    match ch.get("address") {
        Some(a) if !a.is_null() => a.as_str().unwrap_or(key).to_string(),
        _ => key.to_string(),
    }
}

struct Reader<'a> {
    root: &'a Value,
    problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    fn problem(&mut self, line: u32, what: &'static str, message: String) {
        self.problems.push(Problem { line, what, message });
    }

    fn resolve(&mut self, v: &'a Value) -> Option<&'a Value> {
        match deref(self.root, v) {
            Ok((r, _)) => {
                if let Some(t) = r.str_at("$ref") {
                    self.problem(
                        r.line,
                        "ref-external",
                        format!("$ref '{t}' points into another document; not followed"),
                    );
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

    /// Reads a message (possibly a `$ref` chain to `components/messages/X`).
    fn message(&mut self, m: &'a Value) -> Option<Message<'a>> {
        let (resolved, last) = match deref(self.root, m) {
            Ok(x) => x,
            Err(_) => {
                self.resolve(m);
                return None;
            }
        };
        if resolved.get("$ref").is_some() {
            self.resolve(m);
            return None;
        }
        let from_components =
            last.as_deref().filter(|p| p.starts_with("#/components/messages/")).and_then(last_segment);
        let name = from_components
            .or_else(|| resolved.str_at("name").map(str::to_string))
            .or_else(|| resolved.str_at("messageId").map(str::to_string))
            .or_else(|| resolved.str_at("title").map(str::to_string));
        // 3.x multi-format payloads: only JSON Schema flavours are read (not Avro, RAML, protobuf).
        let payload = resolved.get("payload").and_then(|p| match (p.str_at("schemaFormat"), p.get("schema")) {
            (Some(f), Some(s)) => {
                let f = f.to_ascii_lowercase();
                (f.contains("json") || f.contains("asyncapi") || f.contains("openapi")).then_some(s)
            }
            _ => Some(p),
        });
        Some(Message { name, payload, line: m.line })
    }
}
