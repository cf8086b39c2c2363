//! `$ref` parsing and bounded resolution.
//!
//! A `$ref` is either local (`#/components/schemas/Order`), relative to
//! another file (`./common.yaml#/components/schemas/Error`, `pet.json`), or a
//! URL. Local refs are followed inside the document with a hop limit so a
//! cycle (`A: {$ref: B}`, `B: {$ref: A}`) ends with an error, never a hang.
//! Other files are never read (ingestors are per file): the caller turns an
//! external ref into a [`brain_model::Reference`] resolved by the linker.
//!
//! A ref that leaves the repository is [`Ref::Remote`] and is never followed:
//! URLs and URNs (any `scheme:`, including `file:`), absolute paths
//! (`/etc/passwd`, `//host/x`, `C:\x`) and relative paths whose `..` climb
//! above the repo root. Percent escapes and backslashes are decoded first, so
//! `%2e%2e/` and `..\` are caught too.

use super::tree::{percent_decode, pointer, unescape_segment, Value};

/// Most `$ref` hops followed from one place before giving up as a cycle.
pub const MAX_HOPS: usize = 32;

/// A parsed `$ref`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ref {
    /// A pointer into the same document (`#/components/schemas/Order`).
    Local(String),
    /// A pointer into another file of the same repo; `path` is resolved
    /// against the referring file and normalised, `pointer` may be `#` or empty.
    External { path: String, pointer: String },
    /// A URL or a path outside the repo: not followed.
    Remote(String),
}

impl Ref {
    /// Parses `target` as written in a file at `file_path`.
    pub fn parse(file_path: &str, target: &str) -> Ref {
        let target = target.trim();
        if target.starts_with('#') {
            return Ref::Local(target.to_string());
        }
        if has_scheme(target) {
            return Ref::Remote(target.to_string());
        }
        let (file, frag) = match target.split_once('#') {
            Some((f, p)) => (f, format!("#{p}")),
            None => (target, String::new()),
        };
        let file = percent_decode(file).replace('\\', "/");
        if file.starts_with('/') || file.contains('\0') {
            return Ref::Remote(target.to_string());
        }
        match join_relative(file_path, &file) {
            Some(path) => Ref::External { path, pointer: frag },
            None => Ref::Remote(target.to_string()),
        }
    }

    /// For a [`Ref::Remote`], why it is not followed (for diagnostics);
    /// `None` for refs inside the repository.
    pub fn outside_reason(&self) -> Option<&'static str> {
        let Ref::Remote(target) = self else { return None };
        let scheme = target.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        Some(match scheme.as_deref() {
            Some("http" | "https" | "urn") => "is a remote URL; remote documents are not fetched",
            Some("file") => "is a file: URL outside the repository; not read",
            Some(s) if s.len() > 1 && has_scheme(target) => "is a URL; remote documents are not fetched",
            _ => "points outside the repository (absolute path or `..` above the root); not read",
        })
    }

    /// The name a ref gives its target: the last pointer segment, or the
    /// file's stem for a whole-file ref (`schemas/Pet.yaml` gives `Pet`,
    /// `order.schema.json` gives `order`).
    pub fn target_name(&self) -> String {
        match self {
            Ref::Local(p) => last_segment(p).unwrap_or_default(),
            Ref::External { path, pointer } => last_segment(pointer).unwrap_or_else(|| file_stem(path)),
            Ref::Remote(u) => {
                let (file, frag) = u.split_once('#').unwrap_or((u, ""));
                last_segment(&format!("#{frag}")).unwrap_or_else(|| file_stem(file))
            }
        }
    }
}

/// Last segment of a JSON pointer, unescaped; `None` for the root.
pub fn last_segment(ptr: &str) -> Option<String> {
    let p = ptr.strip_prefix('#').unwrap_or(ptr);
    let seg = p.rsplit('/').next().unwrap_or("");
    if seg.is_empty() {
        None
    } else {
        Some(unescape_segment(seg))
    }
}

/// `order.schema.json` → `order`, `schemas/Pet.yaml` → `Pet`.
pub fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut stem = name;
    for ext in [".json", ".yaml", ".yml"] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    stem.strip_suffix(".schema").unwrap_or(stem).to_string()
}

/// Whether `s` starts with a URI scheme (`http:`, `file:`, `urn:`, `C:`).
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !scheme.contains('/')
}

/// Resolves `rel` against the directory of `from` (both repo-relative, `/`
/// separated), normalising `.` and `..`; `None` when it leaves the repo.
pub fn join_relative(from: &str, rel: &str) -> Option<String> {
    if rel.is_empty() {
        return Some(from.to_string());
    }
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = from.split('/').collect();
        p.pop();
        p
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

/// Why a local `$ref` could not be followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefError {
    /// The pointer names nothing in the document.
    Unresolved(String),
    /// The chain of refs went round in a circle (or longer than [`MAX_HOPS`]).
    Cycle(String),
}

/// Follows local `$ref`s from `v` until a non-ref node: `Ok((node, last
/// pointer followed))`. External and remote refs stop the walk and are
/// returned as is (the node holding the `$ref`).
pub fn deref<'a>(root: &'a Value, v: &'a Value) -> Result<(&'a Value, Option<String>), RefError> {
    let mut cur = v;
    let mut last = None;
    let mut seen: Vec<&str> = Vec::new();
    for _ in 0..MAX_HOPS {
        let Some(target) = cur.str_at("$ref") else {
            return Ok((cur, last));
        };
        if !target.starts_with('#') {
            return Ok((cur, last));
        }
        if seen.contains(&target) {
            return Err(RefError::Cycle(target.to_string()));
        }
        seen.push(target);
        match pointer(root, target) {
            Some(next) => {
                last = Some(target.to_string());
                cur = next;
            }
            None => return Err(RefError::Unresolved(target.to_string())),
        }
    }
    Err(RefError::Cycle(cur.str_at("$ref").unwrap_or_default().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_refs_resolve_against_the_referring_file() {
        assert_eq!(
            Ref::parse("api/v1/orders.yaml", "../common.yaml#/components/schemas/Error"),
            Ref::External { path: "api/common.yaml".into(), pointer: "#/components/schemas/Error".into() }
        );
        assert_eq!(Ref::parse("orders.yaml", "./schemas/Pet.yaml").target_name(), "Pet");
        assert_eq!(Ref::parse("a.yaml", "../../x.yaml#/A"), Ref::Remote("../../x.yaml#/A".into()));
        assert_eq!(Ref::parse("a.yaml", "#/definitions/A~1B").target_name(), "A/B");
        assert!(matches!(Ref::parse("a.yaml", "https://x/y.json#/Z"), Ref::Remote(_)));
    }

    #[test]
    fn escapes_are_decoded_before_deciding_where_a_ref_points() {
        assert_eq!(
            Ref::parse("api/a.yaml", "my%20types.yaml#/X"),
            Ref::External { path: "api/my types.yaml".into(), pointer: "#/X".into() }
        );
        assert_eq!(Ref::parse("api/a.yaml", "..\\b.yaml"), Ref::External { path: "b.yaml".into(), pointer: "".into() });
        for outside in ["%2E%2E/%2e%2e/x.yaml", "..\\..\\x.yaml", "/etc/passwd", "file:x.yaml", "c:\\x.yaml", "a%00b"] {
            let r = Ref::parse("api/a.yaml", outside);
            assert!(matches!(r, Ref::Remote(_)), "{outside}: {r:?}");
            assert!(r.outside_reason().is_some());
        }
        assert_eq!(Ref::parse("a.yaml", "#/x").outside_reason(), None);
    }
}
