//! Problems found in a site's input, each pointing at a file, line and column.
//!
//! Every stage that reads user input (config, front matter, templates) reports through
//! [`Diagnostic`] instead of failing on the first problem, so one run shows everything that is
//! wrong. The report is sorted by file, line and column, never by the order threads finished in.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The lower-case word printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in a source file: 1-based line and column (in characters), and how many characters
/// the problem spans, with the text of that line for the snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub length: usize,
    /// The whole line, shared by every location on it.
    pub source_line: Arc<str>,
}

/// One problem, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    #[must_use]
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&Path, usize, usize, Severity, &str) {
        let (line, column) = self
            .location
            .as_ref()
            .map_or((0, 0), |l| (l.line, l.column));
        (&self.file, line, column, self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    /// Compiler style: `error: file:line:col: message`, then the line with a caret under the
    /// offending text, then the hint. Control characters from the input are shown as visible
    /// symbols (a pasted escape sequence cannot move the cursor or clear the screen), and a long
    /// line is cut to a window around the problem.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = terminal_safe(&self.file.display().to_string());
        let message = terminal_safe(&self.message);
        match &self.location {
            Some(loc) => writeln!(
                f,
                "{}: {file}:{}:{}: {message}",
                self.severity.label(),
                loc.line,
                loc.column,
            )?,
            None => writeln!(f, "{}: {file}: {message}", self.severity.label())?,
        }
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            let gutter = " ".repeat(number.len() + 2);
            let (shown, lead, carets) = snippet(loc);
            writeln!(f, "{gutter}|")?;
            writeln!(f, " {number} | {shown}")?;
            writeln!(f, "{gutter}| {lead}{}", "^".repeat(carets))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "   = hint: {}", terminal_safe(hint))?;
        }
        Ok(())
    }
}

/// How many characters of a source line a snippet shows at most.
const SNIPPET_WIDTH: usize = 100;

/// The part of the line to show, the white space before the carets, and how many carets: never
/// wider than what is shown, at least one.
fn snippet(loc: &Location) -> (String, String, usize) {
    let line: Vec<char> = loc
        .source_line
        .trim_end_matches(['\r', '\n'])
        .chars()
        .collect();
    let column = loc.column.saturating_sub(1).min(line.len());
    let (from, to) = if line.len() <= SNIPPET_WIDTH {
        (0, line.len())
    } else {
        let from = column.saturating_sub(SNIPPET_WIDTH / 4);
        let to = (from + SNIPPET_WIDTH).min(line.len());
        (to.saturating_sub(SNIPPET_WIDTH).min(from), to)
    };
    let mut shown = String::new();
    let mut lead = String::new();
    if from > 0 {
        shown.push('…');
        lead.push(' ');
    }
    shown.push_str(&terminal_safe(&line[from..to].iter().collect::<String>()));
    if to < line.len() {
        shown.push('…');
    }
    lead.extend(
        line[from..column]
            .iter()
            .map(|&c| if c == '\t' { '\t' } else { ' ' }),
    );
    let carets = loc.length.clamp(1, (to - column).max(1));
    (shown, lead, carets)
}

/// `text` with every control character (but tab) shown as a visible symbol, one character
/// each so carets stay aligned: C0 controls as their control pictures (ESC as U+241B), DEL as
/// U+2421, C1 controls and bidirectional overrides as U+FFFD.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => c,
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
            '\u{7f}' => '\u{2421}',
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

impl Diagnostic {
    /// `{severity, file, line, column, message, hint}`; line and column are null when unknown.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "severity": self.severity.label(),
            "file": self.file.display().to_string(),
            "line": self.location.as_ref().map(|l| l.line),
            "column": self.location.as_ref().map(|l| l.column),
            "message": self.message,
            "hint": self.hint,
        })
    }

    /// A GitHub Actions workflow command, so the problem shows on the pull request's line.
    pub fn to_github(&self) -> String {
        let mut properties = format!(
            "file={}",
            escape_github_property(&self.file.display().to_string())
        );
        if let Some(location) = &self.location {
            properties.push_str(&format!(",line={},col={}", location.line, location.column));
        }
        let mut message = self.message.clone();
        if let Some(hint) = &self.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        format!(
            "::{} {properties}::{}",
            self.severity.label(),
            escape_github_data(&message)
        )
    }
}

fn escape_github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(text: &str) -> String {
    escape_github_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// All problems of one run, kept sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics::default()
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(more);
    }

    /// Sorts by file, line, column, so output does not depend on thread scheduling.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
    }

    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems as a JSON array (see `docs/checks.md`).
    pub fn to_json(&self) -> String {
        let items: Vec<serde_json::Value> = self.items.iter().map(Diagnostic::to_json).collect();
        let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
        text.push('\n');
        text
    }

    /// One GitHub Actions workflow command per problem.
    pub fn to_github(&self) -> String {
        self.items.iter().map(|d| d.to_github() + "\n").collect()
    }

    /// The closing line: `2 problems (1 error, 1 warning) in 2 of 48 files`.
    pub fn summary(&self, files_read: usize) -> String {
        let mut files: Vec<&Path> = self.items.iter().map(|d| d.file.as_path()).collect();
        files.sort();
        files.dedup();
        let plural = |n: usize, word: &str| {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        format!(
            "{} ({}, {}) in {} of {}",
            plural(self.items.len(), "problem"),
            plural(self.error_count(), "error"),
            plural(self.warning_count(), "warning"),
            files.len(),
            plural(files_read.max(files.len()), "file"),
        )
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for item in &self.items {
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

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
    fn prints_compiler_style_with_caret() {
        let text = "+++\ntitle = \"x\"\nend = 2024-05-06T09:00:00Z\n+++\n";
        let source = SourceText::new(text);
        let start = text.find("2024").unwrap();
        let d = Diagnostic::error("content/db.md", "\"end\" is before \"start\"")
            .at(Some(source.locate(start, start + 20)));
        assert_eq!(
            d.to_string(),
            "error: content/db.md:3:7: \"end\" is before \"start\"\n   |\n 3 | end = 2024-05-06T09:00:00Z\n   |       ^^^^^^^^^^^^^^^^^^^^\n"
        );
    }

    #[test]
    fn machine_formats_carry_every_field() {
        let source = SourceText::new("a\nend = x\n");
        let d = Diagnostic::error("content/a, b.md", "50% broken:\nsecond line")
            .at(Some(source.locate(8, 9)))
            .with_hint("fix it");
        assert_eq!(
            d.to_github(),
            "::error file=content/a%2C b.md,line=2,col=7::50%25 broken:%0Asecond line%0Ahint: fix it"
        );
        assert_eq!(
            d.to_json(),
            serde_json::json!({"severity": "error", "file": "content/a, b.md", "line": 2, "column": 7,
                               "message": "50% broken:\nsecond line", "hint": "fix it"})
        );
        let bare = Diagnostic::warning("aftermath.toml", "w");
        assert_eq!(bare.to_github(), "::warning file=aftermath.toml::w");
        assert_eq!(bare.to_json()["line"], serde_json::Value::Null);
    }

    #[test]
    fn locates_columns_in_characters_not_bytes() {
        let source = SourceText::new("title = \"café\" x\n");
        let loc = source.locate(16, 17);
        assert_eq!((loc.line, loc.column, loc.length), (1, 16, 1));
    }

    #[test]
    fn sorts_by_file_then_line_and_counts() {
        let mut all = Diagnostics::new();
        let at = |line| {
            Some(Location {
                line,
                column: 1,
                length: 1,
                source_line: Arc::from(""),
            })
        };
        all.push(Diagnostic::warning("b.md", "w").at(at(3)));
        all.push(Diagnostic::error("a.md", "late").at(at(9)));
        all.push(Diagnostic::error("a.md", "early").at(at(2)));
        all.sort();
        let messages: Vec<&str> = all.items().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["early", "late", "w"]);
        assert_eq!(
            all.summary(48),
            "3 problems (2 errors, 1 warning) in 2 of 48 files"
        );
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

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let text = "severity = \"\u{1b}[2J\u{1b}[Hno problems\r\u{7}\"\n";
        let source = SourceText::new(text);
        let d = Diagnostic::error(
            "content/a\u{1b}.md",
            "unknown severity \"\u{1b}[2J\"\nno problems",
        )
        .at(Some(source.locate(12, 16)))
        .with_hint("\u{9b}31m\u{202e}");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert_eq!(
            shown.lines().count(),
            5,
            "a newline in a value starts no fake line: {shown}"
        );
        assert!(shown.contains("\u{241b}[2J"), "{shown}");
    }

    #[test]
    fn long_lines_are_cut_around_the_problem_and_carets_fit() {
        let text = format!("{}BAD{}\n", "a".repeat(2_000), "b".repeat(2_000));
        let source = SourceText::new(&text);
        let d = Diagnostic::warning("a.md", "w").at(Some(source.locate(2_000, 6_000)));
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert!(lines[2].chars().count() < 120, "{}", lines[2]);
        assert!(
            lines[2].contains("…aaaa") && lines[2].contains("BADbbb") && lines[2].ends_with('…')
        );
        let caret_at = lines[3].find('^').unwrap();
        assert_eq!(
            &lines[2][lines[2].char_indices().nth(caret_at).unwrap().0..][..3],
            "BAD"
        );
        assert!(lines[3].chars().count() <= lines[2].chars().count());
    }
}
