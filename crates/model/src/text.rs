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

/// Calls `f` with each compound identifier of `text`: a run of letters,
/// digits and `_` that splits into two or more words, as those words joined
/// without separator (`paymentTimeout`, `payment_timeout` and
/// `PAYMENT_TIMEOUT` all give `paymenttimeout`). Plain words and prose give
/// nothing, so a search on compounds finds the exact identifier and not its parts.
pub fn for_each_compound(text: &str, mut f: impl FnMut(usize, usize, &str)) {
    let mut start = None;
    let flush = |from: usize, to: usize, f: &mut dyn FnMut(usize, usize, &str)| {
        let raw = &text[from..to];
        let words = split_words(raw);
        if words.len() >= 2 {
            f(from, to, &words.concat());
        }
    };
    for (at, c) in text.char_indices() {
        let ident = c.is_alphanumeric() || c == '_';
        match (ident, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                flush(from, at, &mut f);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        flush(from, text.len(), &mut f);
    }
}

/// Words too common in task descriptions and commit subjects to point at
/// anything: English function words and the verbs every task starts with.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "is", "are", "be", "been", "it", "by", "with",
    "from", "as", "this", "that", "these", "those", "not", "no", "fix", "fixes", "fixed", "add", "adds", "added",
    "make", "makes", "update", "updates", "updated", "change", "changes", "use", "uses", "when", "should", "so", "we",
    "our", "its", "into", "all", "new", "can", "do", "does", "how", "why", "what", "which", "get", "set", "bug",
    "issue", "please", "support", "handle", "code", "test", "tests", "if", "if", "than", "then", "there", "was",
    "were", "has", "have", "had", "but", "also", "some", "more", "only", "now", "instead", "via", "any", "about",
    "after", "before", "allow", "allows", "ensure", "remove", "removes", "improve", "improves", "e", "g", "i", "s",
];

/// Whether `word` (lowercase) is in [`STOP_WORDS`].
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// Conventional-commit types: a subject `type(scope): text` names its scope,
/// not its type.
const COMMIT_TYPES: &[&str] = &[
    "fix",
    "feat",
    "feature",
    "chore",
    "docs",
    "doc",
    "refactor",
    "perf",
    "test",
    "tests",
    "build",
    "ci",
    "style",
    "revert",
    "deps",
    "bugfix",
    "hotfix",
    "improvement",
    "enhancement",
    "breaking",
];

/// A task description or commit subject read for search: its words without
/// stop words, its compound identifiers, and the scope its prefix names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntentTerms {
    /// Distinct lowercase words, stop words dropped, in order of appearance.
    pub words: Vec<String>,
    /// Distinct compound identifiers ([`for_each_compound`]).
    pub compounds: Vec<String>,
    /// Words of the scope a prefix names: `fix(http): ...`, `http2: ...`,
    /// `net/http: ...`, `[cli] ...` (a conventional type alone names no scope).
    pub scopes: Vec<String>,
}

impl IntentTerms {
    /// Reads `text` (see the type docs).
    pub fn parse(text: &str) -> IntentTerms {
        let (scope, rest) = split_scope(text);
        let mut t = IntentTerms::default();
        let push = |v: &mut Vec<String>, w: &str| {
            if !v.iter().any(|x| x == w) {
                v.push(w.to_string());
            }
        };
        for w in split_words(&scope) {
            if !is_stop_word(&w) && !COMMIT_TYPES.contains(&w.as_str()) {
                push(&mut t.scopes, &w);
            }
        }
        for w in split_words(rest).iter().chain(t.scopes.clone().iter()) {
            if !is_stop_word(w) {
                push(&mut t.words, w);
            }
        }
        for_each_compound(rest, |_, _, c| push(&mut t.compounds, c));
        t
    }

    /// Whether nothing is left to search for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.compounds.is_empty()
    }
}

/// Splits a leading scope off a subject: `fix(http)!: x` gives `("http", "x")`,
/// `net/http: x` gives `("net/http", "x")`, `[cli] x` gives `("cli", "x")`,
/// `feat: x` gives `("", "x")`. Text without such a prefix is all rest.
fn split_scope(text: &str) -> (String, &str) {
    let t = text.trim_start();
    if let Some(inner) = t.strip_prefix('[') {
        if let Some(end) = inner.find(']') {
            if end <= 40 && !inner[..end].contains(char::is_whitespace) {
                return (inner[..end].to_string(), &inner[end + 1..]);
            }
        }
    }
    let Some(colon) = t.find(": ").or_else(|| t.strip_suffix(':').map(|s| s.len())) else {
        return (String::new(), text);
    };
    let head = &t[..colon];
    let ok = |c: char| c.is_alphanumeric() || "_-./,()!*".contains(c);
    if head.is_empty() || head.len() > 48 || !head.chars().all(ok) {
        return (String::new(), text);
    }
    let rest = &t[colon + 1..];
    let head = head.trim_end_matches('!');
    let scope = match head.split_once('(') {
        Some((_, s)) => s.trim_end_matches(')').to_string(),
        None if COMMIT_TYPES.contains(&head.to_ascii_lowercase().as_str()) => String::new(),
        // A capitalised plain word is prose ("Note: ..."), not a package.
        None if head.starts_with(char::is_uppercase) && head.chars().all(char::is_alphabetic) => {
            return (String::new(), text)
        }
        None => head.to_string(),
    };
    (scope, rest)
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

    #[test]
    fn compounds_keep_whole_identifiers() {
        let mut got = Vec::new();
        for_each_compound("fix paymentTimeout in PAYMENT_TIMEOUT and http server v2Api", |_, _, c| {
            got.push(c.to_string())
        });
        assert_eq!(got, vec!["paymenttimeout", "paymenttimeout", "v2api"]);
    }

    #[test]
    fn intents_give_words_compounds_and_scopes() {
        let t = IntentTerms::parse("fix(http): retry the request on paymentTimeout");
        assert_eq!(t.scopes, vec!["http"]);
        assert_eq!(t.words, vec!["retry", "request", "payment", "timeout", "http"]);
        assert_eq!(t.compounds, vec!["paymenttimeout"]);
        assert_eq!(IntentTerms::parse("net/http: close idle conns").scopes, vec!["net", "http"]);
        assert_eq!(IntentTerms::parse("[cli] print help").scopes, vec!["cli"]);
        assert!(IntentTerms::parse("feat: add a flag").scopes.is_empty());
        assert!(IntentTerms::parse("Note: this is prose with a colon").scopes.is_empty());
        assert!(IntentTerms::parse("the and of").is_empty());
    }
}
