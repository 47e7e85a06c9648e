//! Source text to locations: parsers give byte offsets, diagnostics show 1-based lines and
//! character columns with the text of the line.

use std::sync::Arc;

use super::Location;

/// A file's text, so byte offsets from parsers can become lines and columns.
///
/// Locating is linear in the file however many values it has: line starts are indexed once,
/// columns come from a character count taken every 1,024 bytes, and each line's text
/// is copied at most once and shared by every location on it (a 100,000-item list on one line
/// costs one copy of that line, not 100,000).
pub struct SourceText<'a> {
    text: &'a str,
    /// Built on the first lookup: most files are read without a single problem to locate.
    index: std::cell::OnceCell<LineIndex>,
    lines: std::cell::RefCell<std::collections::HashMap<usize, Arc<str>>>,
}

/// Where lines start, and how many characters come before every `CHECKPOINT` bytes.
struct LineIndex {
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Characters before each multiple of `CHECKPOINT` bytes; empty for ASCII text.
    char_checkpoints: Vec<usize>,
}

/// How many bytes apart the character counts of [`SourceText`] are taken.
const CHECKPOINT: usize = 1024;

impl LineIndex {
    fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(newline_offsets(text).map(|i| i + 1))
            .collect();
        let mut char_checkpoints = Vec::new();
        if !text.is_ascii() {
            let mut chars = 0;
            let mut from = 0;
            for block_start in (0..=text.len()).step_by(CHECKPOINT) {
                let boundary = floor_char_boundary(text, block_start);
                chars += text[from..boundary].chars().count();
                from = boundary;
                char_checkpoints.push(chars);
            }
        }
        LineIndex {
            line_starts,
            char_checkpoints,
        }
    }
}

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceText {
            text,
            index: std::cell::OnceCell::new(),
            lines: std::cell::RefCell::default(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        &self
            .index
            .get_or_init(|| LineIndex::new(self.text))
            .line_starts
    }

    /// Characters before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoints = &self
            .index
            .get_or_init(|| LineIndex::new(self.text))
            .char_checkpoints;
        if checkpoints.is_empty() {
            return offset;
        }
        let block = offset / CHECKPOINT;
        let from = floor_char_boundary(self.text, block * CHECKPOINT);
        checkpoints[block] + self.text[from..offset].chars().count()
    }

    /// The text of 0-based line `index`, without its line break, shared between locations.
    fn line_text(&self, index: usize) -> Arc<str> {
        let mut lines = self.lines.borrow_mut();
        Arc::clone(lines.entry(index).or_insert_with(|| {
            let line_starts = self.line_starts();
            let start = line_starts.get(index).copied().unwrap_or(self.text.len());
            let end = line_starts
                .get(index + 1)
                .map_or(self.text.len(), |next| next - 1);
            Arc::from(&self.text[start..end.max(start)])
        }))
    }

    /// Location of the byte range `start..end` (clamped to the text and to its first line).
    pub fn locate(&self, start: usize, end: usize) -> Location {
        let start = floor_char_boundary(self.text, start.min(self.text.len()));
        let line_starts = self.line_starts();
        let index = line_starts.partition_point(|&s| s <= start) - 1;
        let line_start = line_starts[index];
        let line_end = line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let end = floor_char_boundary(self.text, end.clamp(start, line_end));
        let before = self.chars_before(start);
        Location {
            line: index + 1,
            column: before - self.chars_before(line_start) + 1,
            length: self.chars_before(end) - before,
            source_line: self.line_text(index),
        }
    }

    /// Location of a 1-based line and column, spanning `length` characters.
    pub fn locate_line(&self, line: usize, column: usize, length: usize) -> Location {
        let source_line = if line >= 1 && line <= self.line_starts().len() {
            self.line_text(line - 1)
        } else {
            Arc::from("")
        };
        Location {
            line,
            column,
            length,
            source_line,
        }
    }
}

/// Byte offsets of every `\n` in `text`.
fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_columns_in_characters_not_bytes() {
        let source = SourceText::new("title = \"café\" x\n");
        let loc = source.locate(16, 17);
        assert_eq!((loc.line, loc.column, loc.length), (1, 16, 1));
    }

    #[test]
    fn locations_agree_with_a_naive_count_in_any_script() {
        let text = "ab\ncafé ☕ x\n\n日本語テキスト end\n".repeat(300);
        let source = SourceText::new(&text);
        for start in (0..text.len())
            .filter(|i| text.is_char_boundary(*i))
            .step_by(7)
        {
            let loc = source.locate(start, start + 4);
            let before = &text[..start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            assert_eq!(loc.line, before.matches('\n').count() + 1, "at {start}");
            assert_eq!(
                loc.column,
                text[line_start..start].chars().count() + 1,
                "at {start}"
            );
            let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            assert_eq!(&*loc.source_line, &text[line_start..line_end], "at {start}");
        }
    }

    #[test]
    fn every_location_on_one_line_shares_one_copy_of_it() {
        let line = format!("tags = [{}]", vec!["\"t\""; 5_000].join(","));
        let source = SourceText::new(&line);
        let first = source.locate(8, 11);
        let last = source.locate(line.len() - 4, line.len() - 1);
        assert!(Arc::ptr_eq(&first.source_line, &last.source_line));
        assert!(Arc::ptr_eq(
            &first.source_line,
            &source.locate_line(1, 1, 1).source_line
        ));
    }
}
