//! Byte offset to 1-based line number, for parsers that report byte ranges.

use brain_model::Span;
use std::ops::Range;

/// Start offsets of every line of a text.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }
    /// 1-based line of a byte offset (offsets past the end map to the last line).
    pub fn line(&self, offset: usize) -> u32 {
        let idx = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(idx.max(1)).unwrap_or(u32::MAX)
    }
    /// Lines covered by a byte range (an empty or inverted range is its start line).
    pub fn span(&self, range: Range<usize>) -> Span {
        let start = self.line(range.start);
        let end = if range.end > range.start { self.line(range.end - 1) } else { start };
        Span::new(start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(1), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        assert_eq!(idx.line(100), 4);
        assert_eq!(idx.span(2..5), Span::new(2, 2));
        assert_eq!(idx.span(2..7), Span::new(2, 4));
    }
}
