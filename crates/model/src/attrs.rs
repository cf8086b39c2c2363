//! [`Attrs`]: the small attribute map every node, edge and reference carries.
//!
//! Most entities have between zero and four attributes. A `BTreeMap` allocates
//! a leaf of eleven key/value slots (over 500 bytes) for the first one; a
//! sorted vector of pairs costs exactly what it holds. Keys are a small set
//! named by code (`brain_model::attr`), so they are shared [`Str`]s from one
//! process-wide table ([`key`]) rather than a `String` per entity. The API
//! mirrors the parts of `BTreeMap` the codebase uses (sorted iteration, `get`,
//! `insert`, `entry().or_insert`), and it serialises as a map, byte for byte
//! the same as the `BTreeMap<String, String>` it replaces, so stored facts
//! stay readable.

use crate::Str;
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashSet;
use std::fmt;
use std::sync::{OnceLock, RwLock};

/// Keys beyond this many distinct ones (keys built from input, say) are not
/// shared, so the table cannot grow without bound in a long-running server.
const MAX_SHARED_KEYS: usize = 4096;

/// The shared copy of an attribute key.
pub fn key(k: &str) -> Str {
    static KEYS: OnceLock<RwLock<HashSet<Str>>> = OnceLock::new();
    let keys = KEYS.get_or_init(Default::default);
    if let Some(shared) = keys.read().unwrap_or_else(|p| p.into_inner()).get(k) {
        return shared.clone();
    }
    let mut table = keys.write().unwrap_or_else(|p| p.into_inner());
    if let Some(shared) = table.get(k) {
        return shared.clone();
    }
    let fresh = Str::new(k);
    if table.len() < MAX_SHARED_KEYS {
        table.insert(fresh.clone());
    }
    fresh
}

#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Attrs(Vec<(Str, String)>);

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
    pub fn insert(&mut self, k: impl AsRef<str>, value: String) -> Option<String> {
        match self.position(k.as_ref()) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key(k.as_ref()), value));
                None
            }
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }
    pub fn entry(&mut self, key: impl AsRef<str>) -> Entry<'_> {
        let key = key.as_ref().to_string();
        Entry { map: self, key }
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Str, &String)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }
    pub fn keys(&self) -> impl Iterator<Item = &Str> {
        self.0.iter().map(|(k, _)| k)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

pub struct Entry<'a> {
    map: &'a mut Attrs,
    key: String,
}

impl<'a> Entry<'a> {
    pub fn or_insert(self, value: String) -> &'a mut String {
        let i = match self.map.position(&self.key) {
            Ok(i) => i,
            Err(i) => {
                self.map.0.insert(i, (key(&self.key), value));
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
    type Item = (Str, String);
    type IntoIter = std::vec::IntoIter<(Str, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Attrs {
    type Item = (&'a Str, &'a String);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (Str, String)>, fn(&'a (Str, String)) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        fn pair(p: &(Str, String)) -> (&Str, &String) {
            (&p.0, &p.1)
        }
        self.0.iter().map(pair)
    }
}

impl<K: AsRef<str>> FromIterator<(K, String)> for Attrs {
    fn from_iter<I: IntoIterator<Item = (K, String)>>(iter: I) -> Self {
        let mut a = Attrs::new();
        a.extend(iter);
        a
    }
}

impl<K: AsRef<str>> Extend<(K, String)> for Attrs {
    fn extend<I: IntoIterator<Item = (K, String)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl Serialize for Attrs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.as_str(), v)?;
        }
        m.end()
    }
}

/// Reads a key straight into the shared table, without an owned copy when
/// the format can lend the bytes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Str;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Str, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an attribute name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str, E> {
                Ok(key(v))
            }
        }
        d.deserialize_str(KeyVisitor)
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
                let mut v: Vec<(Str, String)> = Vec::with_capacity(access.size_hint().unwrap_or(0).min(64));
                while let Some(k) = access.next_key_seed(KeySeed)? {
                    let val: String = access.next_value()?;
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
            assert_eq!(a.insert(k, v.into()), b.insert(k.to_string(), v.to_string()));
        }
        a.entry("m").or_insert("ignored".into());
        a.entry("b").or_insert("5".into());
        b.entry("b".to_string()).or_insert("5".to_string());
        assert_eq!(
            a.iter().map(|(k, v)| (k.to_string(), v)).collect::<Vec<_>>(),
            b.iter().map(|(k, v)| (k.clone(), v)).collect::<Vec<_>>()
        );
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(postcard::to_allocvec(&a).ok(), postcard::to_allocvec(&b).ok());
        let back: Attrs = postcard::from_bytes(&postcard::to_allocvec(&b).unwrap_or_default()).unwrap_or_default();
        assert_eq!(back, a);
        assert!(Str::ptr_eq(back.iter().next().expect("key").0, a.iter().next().expect("key").0), "keys shared");
        assert_eq!(a.remove("a").as_deref(), Some("4"));
        assert_eq!(a.get("a"), None);
    }
}
