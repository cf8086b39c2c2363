//! Line numbers of object keys in a JSON text. `serde_json` parses the values and reports
//! syntax errors; this scanner only finds where each key path (`["dependencies", "react"]`)
//! is written, so every dependency gets its exact line.

use std::collections::HashMap;

/// Key paths (object keys from the root; array elements add no segment) mapped to the 1-based
/// line of the key. For duplicate keys the last one wins, as in `serde_json`.
pub fn key_lines(text: &str, max_depth: usize) -> HashMap<Vec<String>, u32> {
    let mut out = HashMap::new();
    // One entry per open container: `Some(key)` for objects (the key being read), `None` for arrays.
    let mut stack: Vec<Option<Option<String>>> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut line: u32 = 1;
    let mut chars = text.chars().peekable();
    let mut expect_key = false;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '{' => {
                stack.push(Some(None));
                expect_key = true;
            }
            '[' => {
                stack.push(None);
                expect_key = false;
            }
            '}' | ']' => {
                // A key still open in the closing object ends with it; the parent's key (whose
                // value this container was) stays open until the parent's `,` or `}`.
                if let Some(Some(Some(_))) = stack.pop() {
                    path.pop();
                }
                expect_key = false;
            }
            ',' => {
                if let Some(Some(key)) = stack.last_mut() {
                    if key.take().is_some() {
                        path.pop();
                    }
                    expect_key = true;
                }
            }
            '"' => {
                let (s, newlines) = read_string(&mut chars);
                if expect_key {
                    if let Some(Some(key)) = stack.last_mut() {
                        path.push(s.clone());
                        if path.len() <= max_depth {
                            out.insert(path.clone(), line);
                        }
                        *key = Some(s);
                    }
                    expect_key = false;
                }
                line += newlines;
            }
            _ => {}
        }
    }
    out
}

/// Reads a string body after its opening quote; returns it and the raw newlines it spanned.
fn read_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> (String, u32) {
    let mut s = String::new();
    let mut newlines = 0;
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => s.push('\n'),
                Some('t') => s.push('\t'),
                Some('u') => {
                    let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        s.push(ch);
                    }
                }
                Some(other) => s.push(other),
                None => break,
            },
            '\n' => {
                newlines += 1;
                s.push(c);
            }
            _ => s.push(c),
        }
    }
    (s, newlines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_nested_keys_and_skips_values() {
        let text = "{\n  \"name\": \"x\",\n  \"deps\": {\n    \"a\": \"1\",\n    \"b\": {\"c\": [1, {\"d\": 2}]}\n  },\n  \"after\": [\"\\\"quoted\\\"\", \"e\"]\n}\n";
        let lines = key_lines(text, 3);
        assert_eq!(lines.get(&p(&["name"])), Some(&2));
        assert_eq!(lines.get(&p(&["deps"])), Some(&3));
        assert_eq!(lines.get(&p(&["deps", "a"])), Some(&4));
        assert_eq!(lines.get(&p(&["deps", "b"])), Some(&5));
        assert_eq!(lines.get(&p(&["deps", "b", "c"])), Some(&5));
        assert_eq!(lines.get(&p(&["deps", "b", "c", "d"])), None);
        assert_eq!(lines.get(&p(&["after"])), Some(&7));
        assert_eq!(lines.get(&p(&["e"])), None);
    }
}
