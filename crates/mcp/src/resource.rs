//! Entity resource URIs: `brain://entity/<id>`.
//!
//! Ids contain `:`, `/` and `#` (`sym:acme/orders:src/api.rs#create`). A `#`
//! would start a URI fragment, so URIs we hand out percent-encode `%`, `#`,
//! `?` and spaces; reading accepts both the encoded and the raw form.

/// The URI scheme and path prefix of entity resources.
pub const ENTITY_PREFIX: &str = "brain://entity/";
/// The RFC 6570 template advertised to clients.
pub const ENTITY_TEMPLATE: &str = "brain://entity/{id}";

/// The resource URI of an entity id.
pub fn entity_uri(id: &str) -> String {
    let mut s = String::with_capacity(ENTITY_PREFIX.len() + id.len());
    s.push_str(ENTITY_PREFIX);
    for c in id.chars() {
        match c {
            '%' => s.push_str("%25"),
            '#' => s.push_str("%23"),
            '?' => s.push_str("%3F"),
            ' ' => s.push_str("%20"),
            c => s.push(c),
        }
    }
    s
}

/// The entity id a resource URI names, or `None` when it is not an entity URI.
pub fn entity_id(uri: &str) -> Option<String> {
    let raw = uri.strip_prefix(ENTITY_PREFIX)?;
    let id = percent_decode(raw)?;
    (!id.is_empty()).then_some(id)
}

/// Decodes `%XX` escapes; `None` on a malformed escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_ids_with_fragments_and_spaces() {
        for id in ["repo:acme/orders", "sym:acme/orders:src/api.rs#OrderService::create", "file:r:a b%c?.md"] {
            let uri = entity_uri(id);
            assert!(!uri[ENTITY_PREFIX.len()..].contains('#'), "{uri}");
            assert_eq!(entity_id(&uri).as_deref(), Some(id));
        }
        // The raw form (a client that did not encode) is accepted too.
        assert_eq!(entity_id("brain://entity/sym:a:b#c").as_deref(), Some("sym:a:b#c"));
    }

    #[test]
    fn bad_uris_are_rejected() {
        assert_eq!(entity_id("file:///etc/passwd"), None);
        assert_eq!(entity_id("brain://entity/"), None);
        assert_eq!(entity_id("brain://entity/bad%zz"), None);
        assert_eq!(entity_id("brain://entity/cut%2"), None);
    }
}
