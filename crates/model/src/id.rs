//! Stable, human-readable entity ids.
//!
//! An id is derived only from the source: kind prefix, repo, path and a
//! qualified name, e.g. `file:acme/orders:src/api.rs` or
//! `sym:acme/orders:src/api.rs#OrderService::create`. The same input gives the
//! same id on every run and machine, so lessons and failures written through
//! the API stay attached across re-ingests and restarts.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A stable entity id. Cheap to clone (shared text), compare and hash;
/// printable as is. The graph builder makes every copy of one id share one
/// allocation, so edges cost no id text.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub Arc<str>);

const PACKAGE_DIR_PREFIX: &str = "pkgdir:";

impl NodeId {
    pub fn new(s: impl Into<Arc<str>>) -> Self {
        NodeId(s.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The kind prefix (`file`, `sym`, ...), the part before the first `:`.
    pub fn prefix(&self) -> &str {
        self.0.split_once(':').map(|(p, _)| p).unwrap_or("")
    }

    /// `repo:<repo>`
    pub fn repo(repo: &str) -> Self {
        NodeId::new(format!("repo:{repo}"))
    }
    /// `file:<repo>:<path>`
    pub fn file(repo: &str, path: &str) -> Self {
        NodeId::new(format!("file:{repo}:{path}"))
    }
    /// `sym:<repo>:<path>#<qualified name>`
    pub fn symbol(repo: &str, path: &str, qualified: &str) -> Self {
        NodeId::new(format!("sym:{repo}:{path}#{qualified}"))
    }
    /// `pkgdir:<repo>:<dir>`: not a node but a reference scope entry meaning
    /// "every file directly in `dir`" (a Go package is its directory, and its
    /// files call each other without importing). `dir` is `""` at the root.
    pub fn package_dir(repo: &str, dir: &str) -> Self {
        NodeId::new(format!("{PACKAGE_DIR_PREFIX}{repo}:{dir}"))
    }
    /// The directory a [`NodeId::package_dir`] scope entry names, if `self`
    /// is one for `repo`.
    pub fn as_package_dir(&self, repo: &str) -> Option<&str> {
        self.0.strip_prefix(PACKAGE_DIR_PREFIX)?.strip_prefix(repo)?.strip_prefix(':')
    }
    /// `test:<repo>:<path>#<qualified name>`
    pub fn test(repo: &str, path: &str, qualified: &str) -> Self {
        NodeId::new(format!("test:{repo}:{path}#{qualified}"))
    }
    /// `pkg:<ecosystem>:<name>`; packages are global so that a dependency in
    /// one repo meets the package another repo publishes.
    pub fn package(ecosystem: &str, name: &str) -> Self {
        NodeId::new(format!("pkg:{ecosystem}:{name}"))
    }
    /// `svc:<name>`; services are global names (compose, k8s, catalog).
    pub fn service(name: &str) -> Self {
        NodeId::new(format!("svc:{name}"))
    }
    /// `owner:<handle>` such as `owner:@acme/orders-team` or `owner:group:default/payments`.
    pub fn owner(handle: &str) -> Self {
        NodeId::new(format!("owner:{handle}"))
    }
    /// `spec:<repo>:<path>`: an API contract document.
    pub fn spec(repo: &str, path: &str) -> Self {
        NodeId::new(format!("spec:{repo}:{path}"))
    }
    /// `op:<repo>:<path>#<name>`: an operation (HTTP route, rpc, GraphQL field, channel op).
    pub fn operation(repo: &str, path: &str, name: &str) -> Self {
        NodeId::new(format!("op:{repo}:{path}#{name}"))
    }
    /// `type:<repo>:<path>#<name>`: a data type (schema, message, struct on the wire).
    pub fn data_type(repo: &str, path: &str, name: &str) -> Self {
        NodeId::new(format!("type:{repo}:{path}#{name}"))
    }
    /// `field:<repo>:<path>#<Type>.<field>`
    pub fn field(repo: &str, path: &str, type_name: &str, field: &str) -> Self {
        NodeId::new(format!("field:{repo}:{path}#{type_name}.{field}"))
    }
    /// `topic:<name>`: a message channel, global by name.
    pub fn topic(name: &str) -> Self {
        NodeId::new(format!("topic:{name}"))
    }
    /// `adr:<repo>:<path>`
    pub fn decision(repo: &str, path: &str) -> Self {
        NodeId::new(format!("adr:{repo}:{path}"))
    }
    /// `failure:<repo>:<path>#<name>` for ingested failures.
    pub fn failure(repo: &str, path: &str, name: &str) -> Self {
        if name.is_empty() {
            NodeId::new(format!("failure:{repo}:{path}"))
        } else {
            NodeId::new(format!("failure:{repo}:{path}#{name}"))
        }
    }
    /// `doc:<repo>:<path>`: agent instructions, runbooks.
    pub fn doc(repo: &str, path: &str) -> Self {
        NodeId::new(format!("doc:{repo}:{path}"))
    }
    /// `flag:<repo>:<path>#<name>`: a feature flag as one file defines it.
    pub fn flag(repo: &str, path: &str, name: &str) -> Self {
        NodeId::new(format!("flag:{repo}:{path}#{name}"))
    }
    /// `image:<repo>:<path>`: the image a Dockerfile builds.
    pub fn image(repo: &str, dockerfile: &str) -> Self {
        NodeId::new(format!("image:{repo}:{dockerfile}"))
    }
    /// `ci:<repo>:<path>#<job>`
    pub fn ci_job(repo: &str, path: &str, job: &str) -> Self {
        NodeId::new(format!("ci:{repo}:{path}#{job}"))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl From<&str> for NodeId {
    fn from(s: &str) -> Self {
        NodeId(s.into())
    }
}

impl From<String> for NodeId {
    fn from(s: String) -> Self {
        NodeId(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_readable_and_stable() {
        assert_eq!(NodeId::file("acme/orders", "src/api.rs").as_str(), "file:acme/orders:src/api.rs");
        assert_eq!(
            NodeId::symbol("acme/orders", "src/api.rs", "OrderService::create").as_str(),
            "sym:acme/orders:src/api.rs#OrderService::create"
        );
        assert_eq!(NodeId::symbol("a", "b", "c"), NodeId::symbol("a", "b", "c"));
        assert_eq!(NodeId::file("r", "p").prefix(), "file");
    }
}
