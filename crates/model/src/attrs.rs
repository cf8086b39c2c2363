//! [`Attrs`]: the small attribute map every node, edge and reference carries.
//!
//! Most entities have between zero and four attributes. A `BTreeMap` allocates
//! a leaf of eleven key/value slots (over 500 bytes) for the first one; a
//! sorted vector of pairs costs exactly what it holds. The API mirrors the
//! parts of `BTreeMap` the codebase uses (sorted iteration, `get`, `insert`,
//! `entry().or_insert`), and it serialises as a map, byte for byte the same
//! as the `BTreeMap` it replaces, so stored facts stay readable.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A sorted string-to-string map optimised for a handful of entries.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Attrs(Vec<(String, String)>);

impl Attrs {
    pub const fn new() -> Self {
        Attrs(Vec::new())
    }
    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    pub fn get(&self, key: &str) -> Option<&String> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }
    /// Sets `key`, returning the previous value.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }
    /// The slot for `key`, like `BTreeMap::entry`.
    pub fn entry(&mut self, key: String) -> Entry<'_> {
        Entry { map: self, key }
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &String)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Drops spare capacity; called when a snapshot is frozen.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// A vacant or occupied slot of an [`Attrs`] map.
pub struct Entry<'a> {
    map: &'a mut Attrs,
    key: String,
}

impl<'a> Entry<'a> {
    /// The value for the key, inserting `value` if there is none.
    pub fn or_insert(self, value: String) -> &'a mut String {
        let i = match self.map.position(&self.key) {
            Ok(i) => i,
            Err(i) => {
                self.map.0.insert(i, (self.key, value));
                i
            }
        };
        &mut self.map.0[i].1
    }
}

impl fmt::Debug for Attrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl IntoIterator for Attrs {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, String)>, fn(&'a (String, String)) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair(p: &(String, String)) -> (&String, &String) {
            (&p.0, &p.1)
        }
        self.0.iter().map(pair)
    }
}

impl FromIterator<(String, String)> for Attrs {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        let mut a = Attrs::new();
        a.extend(iter);
        a
    }
}

impl Extend<(String, String)> for Attrs {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl Serialize for Attrs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Attrs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AttrsVisitor;
        impl<'de> Visitor<'de> for AttrsVisitor {
            type Value = Attrs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of string attributes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Attrs, A::Error> {
                let mut v: Vec<(String, String)> = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                while let Some((k, val)) = access.next_entry::<String, String>()? {
                    v.push((k, val));
                }
                // Stored maps are sorted already; sort anyway for hand-written JSON.
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v.dedup_by(|later, earlier| later.0 == earlier.0);
                Ok(Attrs(v))
            }
        }
        d.deserialize_map(AttrsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn behaves_like_a_btreemap_and_serialises_identically() {
        let mut a = Attrs::new();
        let mut b = BTreeMap::new();
        for (k, v) in [("z", "1"), ("a", "2"), ("m", "3"), ("a", "4")] {
            assert_eq!(a.insert(k.into(), v.into()), b.insert(k.to_string(), v.to_string()));
        }
        a.entry("m".into()).or_insert("ignored".into());
        a.entry("b".into()).or_insert("5".into());
        b.entry("b".to_string()).or_insert("5".to_string());
        assert_eq!(a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(postcard::to_allocvec(&a).ok(), postcard::to_allocvec(&b).ok());
        let back: Attrs = postcard::from_bytes(&postcard::to_allocvec(&b).unwrap_or_default()).unwrap_or_default();
        assert_eq!(back, a);
        assert_eq!(a.remove("a").as_deref(), Some("4"));
        assert_eq!(a.get("a"), None);
    }
}
