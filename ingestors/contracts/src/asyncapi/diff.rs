//! Diff between two versions of an AsyncAPI document.
//!
//! Operations are matched by (action, channel address), messages by name
//! (or position when unnamed). Payloads are compared with
//! [`crate::schema::compat`] and graded by the compatibility their direction
//! needs: a payload the application **sends** must stay *forward*
//! compatible (consumers on the old schema read new messages); a payload it
//! **receives** must stay *backward* compatible (the new reader reads what
//! not-yet-upgraded producers send).
//!
//! Own rule ids (AsyncAPI has no established diff tool with stable ids):
//! `asyncapi-channel-removed`, `asyncapi-operation-removed`,
//! `asyncapi-operation-added`, `asyncapi-message-removed`,
//! `asyncapi-message-added`, plus the `payload-*` rules of
//! [`crate::schema::payload`].

use super::model::{self, Action, AsyncApi, Operation};
use crate::diff::{Change, Level, Location};
use crate::openapi::diff::{parse_pair, DiffError};
use crate::schema::compat;
use crate::schema::payload::{payload_changes, Compatibility};

/// Compares two versions of an AsyncAPI 2.x / 3.x document.
pub fn diff_asyncapi(old: &str, new: &str, old_path: &str, new_path: &str) -> Result<Vec<Change>, DiffError> {
    let (o, n) = parse_pair(old, new, old_path, new_path)?;
    let oa =
        model::read(&o).ok_or_else(|| DiffError::WrongFormat { path: old_path.into(), expected: "an AsyncAPI" })?;
    let na =
        model::read(&n).ok_or_else(|| DiffError::WrongFormat { path: new_path.into(), expected: "an AsyncAPI" })?;
    let mut out = Vec::new();
    let loc =
        |path: &str, line: u32, pointer: String| Some(Location { path: path.to_string(), line: Some(line), pointer });
    // Where a removed (or added) thing would sit in the other version.
    let section = |api: &AsyncApi<'_>, path: &str| {
        let key = if api.major >= 3 && api.root.get("operations").is_some() { "operations" } else { "channels" };
        api.root.key_line(key).and_then(|line| loc(path, line, key.to_string()))
    };

    for (addr, line) in &oa.channels {
        if !na.channels.iter().any(|(a, _)| a == addr) {
            out.push(Change {
                rule: "asyncapi-channel-removed".into(),
                level: Level::Breaking,
                message: format!("channel '{addr}' removed"),
                old: loc(old_path, *line, format!("channels.{addr}")),
                new: na.root.key_line("channels").and_then(|l| loc(new_path, l, "channels".into())),
            });
        }
    }
    for op in &oa.operations {
        let label = format!("{} {}", op.action.as_str(), op.address);
        match find(&na, op) {
            None => out.push(Change {
                rule: "asyncapi-operation-removed".into(),
                level: Level::Breaking,
                message: format!("operation '{label}' removed"),
                old: loc(old_path, op.line, label.clone()),
                new: section(&na, new_path),
            }),
            Some(nop) => messages(&oa, &na, op, nop, (old_path, new_path), &mut out),
        }
    }
    for op in &na.operations {
        if find(&oa, op).is_none() {
            let label = format!("{} {}", op.action.as_str(), op.address);
            out.push(Change {
                rule: "asyncapi-operation-added".into(),
                level: Level::Safe,
                message: format!("operation '{label}' added"),
                old: section(&oa, old_path),
                new: loc(new_path, op.line, label),
            });
        }
    }
    Ok(out)
}

/// The operation of `api` matching `op`: same action and address, and the
/// same operation id when several operations share the channel (request/reply).
fn find<'b, 'a>(api: &'b AsyncApi<'a>, op: &Operation<'_>) -> Option<&'b Operation<'a>> {
    let same = |o: &&Operation<'a>| o.action == op.action && o.address == op.address;
    api.operations
        .iter()
        .filter(same)
        .find(|o| o.operation_id == op.operation_id)
        .or_else(|| api.operations.iter().find(same))
}

fn messages(
    oa: &AsyncApi<'_>,
    na: &AsyncApi<'_>,
    o: &Operation<'_>,
    n: &Operation<'_>,
    paths: (&str, &str),
    out: &mut Vec<Change>,
) {
    let label = format!("{} {}", o.action.as_str(), o.address);
    let mode = match o.action {
        Action::Send => Compatibility::Forward,
        Action::Receive => Compatibility::Backward,
    };
    let loc =
        |path: &str, line: u32, pointer: String| Some(Location { path: path.to_string(), line: Some(line), pointer });
    let key = |i: usize, m: &model::Message<'_>| m.name.clone().unwrap_or_else(|| format!("#{i}"));
    for (i, om) in o.messages.iter().enumerate() {
        let k = key(i, om);
        let ptr = format!("{label}.messages.{k}");
        match n.messages.iter().enumerate().find(|(j, nm)| key(*j, nm) == k) {
            None => out.push(Change {
                rule: "asyncapi-message-removed".into(),
                // Removing a message the application receives breaks its producers;
                // one it sends silently starves its consumers.
                level: Level::Breaking,
                message: format!("{label}: message '{k}' removed"),
                old: loc(paths.0, om.line, ptr.clone()),
                new: loc(paths.1, n.line, label.clone()),
            }),
            Some((_, nm)) => {
                if let (Some(op), Some(np)) = (om.payload, nm.payload) {
                    let findings = compat::compare(oa.root, op, na.root, np);
                    let what = format!("{label}: message '{k}' payload");
                    let p = format!("{ptr}.payload");
                    out.extend(payload_changes(findings, mode, &what, paths, (&p, &p)));
                }
            }
        }
    }
    for (j, nm) in n.messages.iter().enumerate() {
        let k = key(j, nm);
        if !o.messages.iter().enumerate().any(|(i, om)| key(i, om) == k) {
            out.push(Change {
                rule: "asyncapi-message-added".into(),
                // Consumers of a sent channel may not handle a new message type.
                level: if o.action == Action::Send { Level::Warning } else { Level::Safe },
                message: format!("{label}: message '{k}' added"),
                old: loc(paths.0, o.line, label.clone()),
                new: loc(paths.1, nm.line, format!("{label}.messages.{k}")),
            });
        }
    }
}
