//! Type helpers shared by the Java, Kotlin, C# and Rust lowerers: types
//! parsed from their text, collection types, and the naming convention that
//! tells a type from a variable (`Order.newBuilder()` vs `order.getId()`).

use crate::flow::ir::TypeExpr;

/// Generic collection types whose (first) argument is the element.
pub fn is_collection(name: &str) -> bool {
    matches!(
        name,
        "List"
            | "ArrayList"
            | "LinkedList"
            | "Collection"
            | "Set"
            | "HashSet"
            | "TreeSet"
            | "LinkedHashSet"
            | "SortedSet"
            | "Iterable"
            | "Iterator"
            | "Stream"
            | "Flux"
            | "Seq"
            | "Sequence"
            | "MutableList"
            | "MutableSet"
            | "MutableCollection"
            | "Array"
            | "ImmutableList"
            | "ImmutableSet"
            | "IEnumerable"
            | "IList"
            | "ICollection"
            | "IReadOnlyList"
            | "IReadOnlyCollection"
            | "IAsyncEnumerable"
            | "ISet"
            | "RepeatedField"
            | "Vec"
            | "VecDeque"
            | "BTreeSet"
            | "Flow"
            | "Page"
            | "Slice"
    )
}

/// Marks `List<T>` and friends as collections of their argument.
pub fn mark_collection(mut t: TypeExpr) -> TypeExpr {
    if is_collection(&t.name) && !t.args.is_empty() {
        t.list = true;
    }
    t
}

/// Splits the generic arguments of `A<B, C<D>>` at the top level.
fn split_args(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(s[start..].trim());
    }
    out.into_iter().filter(|x| !x.is_empty()).collect()
}

/// A type from its text: `a.b.C`, `Outer.Inner<T>`, `List<Order>`, `Order[]`, `Order?`, `&mut a::B<T>`.
pub fn from_text(s: &str) -> TypeExpr {
    from_text_depth(s, 0)
}

fn from_text_depth(s: &str, depth: u32) -> TypeExpr {
    let s = s.trim().trim_start_matches('&').trim_start_matches("mut ").trim_start_matches('@').trim();
    let s = s.trim_end_matches(['?', '!']).trim();
    if depth > 6 || s.is_empty() {
        return TypeExpr::default();
    }
    if let Some(el) = s.strip_suffix("[]") {
        let el = from_text_depth(el, depth + 1);
        return TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true };
    }
    if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        // Rust `[T]` / `[T; N]`.
        let el = from_text_depth(inner.split(';').next().unwrap_or(inner), depth + 1);
        return TypeExpr { name: el.name.clone(), qual: el.qual.clone(), args: vec![el], list: true };
    }
    let (head, args) = match s.find('<') {
        Some(i) if s.ends_with('>') => (&s[..i], split_args(&s[i + 1..s.len() - 1])),
        _ => (s, Vec::new()),
    };
    let head = head.trim();
    let (qual, name) = match head.rfind(['.', ':']) {
        Some(i) => (head[..i].trim_end_matches(':'), &head[i + 1..]),
        None => ("", head),
    };
    let t = TypeExpr {
        name: name.trim().to_string(),
        qual: qual.replace("::", ".").trim().to_string(),
        args: args.into_iter().map(|a| from_text_depth(a, depth + 1)).collect(),
        list: false,
    };
    mark_collection(t)
}

/// A name written like a type (`Order`, `CartItem`), not a constant (`MAX`) or a variable.
pub fn is_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().any(|c| c.is_ascii_lowercase()) && !s.contains('_')
}

/// A dotted path naming a type (`hipstershop.Demo.Ad`, `Hipstershop.Cart`), as a type.
pub fn type_path(p: &str) -> Option<TypeExpr> {
    let (q, last) = p.rsplit_once('.')?;
    if !is_type_name(last) {
        return None;
    }
    // Every segment before the type is a package (lower case) or an enclosing type.
    let ok = q.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
    ok.then(|| TypeExpr::named(q, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_types() {
        let t = from_text("java.util.List<hipstershop.Demo.Ad>");
        assert!(t.list);
        assert_eq!(t.element(), TypeExpr::named("hipstershop.Demo", "Ad"));
        let t = from_text("Map<String, List<Order>>");
        assert_eq!(t.args.len(), 2);
        let t = from_text("&mut pb::cart_client::CartClient<Channel>");
        assert_eq!((t.qual.as_str(), t.name.as_str()), ("pb.cart_client", "CartClient"));
        assert!(from_text("Order[]").list);
    }
}
