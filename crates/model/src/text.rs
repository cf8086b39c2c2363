//! Text helpers shared by the search index and ranking.

/// Splits identifiers and prose into lowercase words, so that `createdAt`,
/// `created_at`, `CreatedAt`, `created-at` and "created at" all give
/// `["created", "at"]`. Acronyms stay together (`HTTPServer` gives
/// `["http", "server"]`); digits split from letters (`v2Api` gives `["v", "2", "api"]`).
pub fn split_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each lowercase word of `text` (see [`split_words`]).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    for_each_word_span(text, |_, _, w| f(w));
}

/// Like [`for_each_word`], with the byte range of each word in `text`
/// (for search tokenizers that need offsets).
pub fn for_each_word_span(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut word = String::new();
    let mut start = 0usize;
    for i in 0..chars.len() {
        let (at, c) = chars[i];
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                f(start, at, &word);
                word.clear();
            }
            continue;
        }
        if !word.is_empty() {
            let prev = chars[i - 1].1;
            let next = chars.get(i + 1).map(|(_, c)| *c);
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_alphabetic() && c.is_numeric())
                || (prev.is_numeric() && c.is_alphabetic())
                || (prev.is_uppercase() && c.is_uppercase() && next.is_some_and(|n| n.is_lowercase()));
            if boundary {
                f(start, at, &word);
                word.clear();
            }
        }
        if word.is_empty() {
            start = at;
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        f(start, text.len(), &word);
    }
}

/// The canonical form of a name for comparing wire names across casing
/// conventions: words joined by `_` (`createdAt` and `created_at` both give `created_at`).
pub fn canonical_name(name: &str) -> String {
    split_words(name).join("_")
}

/// An estimate of the tokens a text costs in a typical BPE tokenizer. It errs
/// high on purpose: one token per 3 bytes of text, plus one per line break,
/// so a rendering cut to this estimate never exceeds a real budget for
/// English prose and code (BPE tokenizers average about 4 bytes per token).
pub fn estimate_tokens(text: &str) -> usize {
    text.len().div_ceil(3) + text.bytes().filter(|b| *b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_split_into_the_same_words() {
        for s in ["createdAt", "created_at", "CreatedAt", "created-at", "created at", "CREATED_AT"] {
            assert_eq!(split_words(s), vec!["created", "at"], "{s}");
        }
        assert_eq!(split_words("HTTPServer"), vec!["http", "server"]);
        assert_eq!(split_words("getProductId()"), vec!["get", "product", "id"]);
        assert_eq!(split_words("v2Api"), vec!["v", "2", "api"]);
        assert_eq!(canonical_name("orderId"), "order_id");
    }

    #[test]
    fn word_spans_point_into_the_text() {
        let text = "order.createdAt";
        let mut spans = Vec::new();
        for_each_word_span(text, |a, b, w| spans.push((a, b, w.to_string())));
        assert_eq!(spans, vec![(0, 5, "order".into()), (6, 13, "created".into()), (13, 15, "at".into())]);
    }

    #[test]
    fn token_estimate_errs_high() {
        assert!(estimate_tokens("hello world") >= 2);
        assert_eq!(estimate_tokens(""), 0);
    }
}
