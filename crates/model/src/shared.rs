//! [`Str`]: an immutable, cheaply cloned string for values repeated across
//! many facts (a provenance's repository, path and ingestor).
//!
//! A 100,000-node repository repeats its name on every node, edge and
//! reference; as `String`s that is hundreds of thousands of allocations. A
//! `Str` clone is a reference-count increment, and the graph builder interns
//! them (see `brain_graph::Interner`) so that one repository name or one path
//! is stored once per snapshot. It serialises as a plain string.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Str(Arc<str>);

impl Str {
    pub fn new(s: &str) -> Self {
        Str(Arc::from(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// How many clones share this allocation (interners prune at 1).
    pub fn ref_count(&self) -> usize {
        Arc::strong_count(&self.0)
    }
    /// True when both point at the same allocation (interned together).
    pub fn ptr_eq(a: &Str, b: &Str) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Default for Str {
    fn default() -> Self {
        // One shared empty string: provenance of API records has no path.
        static EMPTY: std::sync::OnceLock<Str> = std::sync::OnceLock::new();
        EMPTY.get_or_init(|| Str(Arc::from(""))).clone()
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<std::path::Path> for Str {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&*self.0)
    }
}

impl AsRef<std::ffi::OsStr> for Str {
    fn as_ref(&self) -> &std::ffi::OsStr {
        std::ffi::OsStr::new(&*self.0)
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Self {
        Str::new(s)
    }
}

impl From<String> for Str {
    fn from(s: String) -> Self {
        Str(Arc::from(s))
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Self {
        Str::new(s)
    }
}

impl From<Str> for String {
    fn from(s: Str) -> String {
        s.0.to_string()
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        **self == *other.0
    }
}

impl Serialize for Str {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl serde::de::Visitor<'_> for StrVisitor {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str, E> {
                Ok(Str::new(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Str, E> {
                Ok(Str::from(v))
            }
        }
        d.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_and_serialises_like_a_string() {
        let s = Str::from("acme/orders");
        assert_eq!(s, "acme/orders");
        assert_eq!("acme/orders", s);
        assert_eq!(s, String::from("acme/orders"));
        assert_eq!(s.len(), 11);
        let bytes = postcard::to_allocvec(&s).unwrap_or_default();
        assert_eq!(bytes, postcard::to_allocvec("acme/orders").unwrap_or_default());
        let back: Str = postcard::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(back, s);
        assert!(Str::ptr_eq(&Str::default(), &Str::default()));
    }
}
