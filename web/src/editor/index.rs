//! Where each line of the text starts, so the editor can find the lines
//! on screen and the caret's line without walking the text per line.
//! Built once per edit (a byte scan for newlines; nothing is tokenized).

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    /// Byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
    len: usize,
    /// Every char is one byte and one UTF-16 unit, so offsets need no
    /// conversion.
    ascii: bool,
}

impl Index {
    pub fn new(text: &str) -> Index {
        let mut starts = Vec::with_capacity(text.len() / 24 + 1);
        starts.push(0);
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Index {
            starts,
            len: text.len(),
            ascii: text.is_ascii(),
        }
    }

    /// The number of lines (an empty text has one, empty).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    pub fn start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Line `line` (0-based) of `text`, without its newline (nor a `\r`
    /// before it).
    pub fn line<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let start = self.start(line).min(text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1)
            .min(text.len())
            .max(start);
        let s = text.get(start..end).unwrap_or("");
        s.strip_suffix('\r').unwrap_or(s)
    }

    /// The 0-based line holding byte `at`.
    pub fn line_of(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).saturating_sub(1)
    }

    /// A textarea offset (UTF-16 units) as a byte offset into `text`.
    pub fn byte_offset(&self, text: &str, utf16: usize) -> usize {
        if self.ascii {
            return utf16.min(text.len());
        }
        let mut units = 0;
        for (i, c) in text.char_indices() {
            if units >= utf16 {
                return i;
            }
            units += c.len_utf16();
        }
        text.len()
    }
}

/// A byte offset as a textarea offset (UTF-16 units).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let head = text.get(..byte).unwrap_or(text);
    if head.is_ascii() {
        head.len()
    } else {
        head.chars().map(char::len_utf16).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_offsets() {
        let text = "SET a 1\r\n\nGET a";
        let idx = Index::new(text);
        assert_eq!(idx.lines(), 3);
        assert_eq!(idx.line(text, 0), "SET a 1");
        assert_eq!(idx.line(text, 1), "");
        assert_eq!(idx.line(text, 2), "GET a");
        assert_eq!(idx.line(text, 9), "");
        assert_eq!(idx.line_of(0), 0);
        assert_eq!(idx.line_of(8), 0);
        assert_eq!(idx.line_of(9), 1);
        assert_eq!(idx.line_of(10), 2);
        assert_eq!(idx.line_of(99), 2);
        assert_eq!(Index::new("").lines(), 1);
        assert_eq!(Index::new("a\n").line("a\n", 1), "");
    }

    #[test]
    fn utf16_conversions() {
        let text = "é🎉\nx";
        let idx = Index::new(text);
        // é: 2 bytes, 1 unit; 🎉: 4 bytes, 2 units.
        assert_eq!(idx.byte_offset(text, 0), 0);
        assert_eq!(idx.byte_offset(text, 1), 2);
        assert_eq!(idx.byte_offset(text, 3), 6);
        assert_eq!(idx.byte_offset(text, 4), 7);
        assert_eq!(idx.byte_offset(text, 50), text.len());
        assert_eq!(utf16_offset(text, 6), 3);
        assert_eq!(utf16_offset(text, 8), 5);
        assert_eq!(idx.line_of(idx.byte_offset(text, 4)), 1);
    }

    #[test]
    fn a_100k_line_text_indexes_quickly() {
        let text = "SET key value\n".repeat(100_000);
        let idx = Index::new(&text);
        assert_eq!(idx.lines(), 100_001);
        assert_eq!(idx.line(&text, 99_999), "SET key value");
        assert_eq!(idx.line_of(text.len() - 1), 99_999);
    }
}
