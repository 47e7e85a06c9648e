//! Problems found in a site's input, each pointing at a file, line and column.
//!
//! Every stage that reads user input (config, front matter, templates) reports through
//! [`Diagnostic`] instead of failing on the first problem, so one run shows everything that is
//! wrong. The report is sorted by file, line and column, never by the order threads finished in.

use std::fmt;
use std::path::{Path, PathBuf};

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
    pub source_line: String,
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
    /// offending text, then the hint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match &self.location {
            Some(loc) => writeln!(
                f,
                "{}: {file}:{}:{}: {}",
                self.severity.label(),
                loc.line,
                loc.column,
                self.message
            )?,
            None => writeln!(f, "{}: {file}: {}", self.severity.label(), self.message)?,
        }
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            let gutter = " ".repeat(number.len() + 2);
            let source = loc.source_line.trim_end_matches(['\r', '\n']);
            writeln!(f, "{gutter}|")?;
            writeln!(f, " {number} | {source}")?;
            let lead: String = source
                .chars()
                .take(loc.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{gutter}| {lead}{}", "^".repeat(loc.length.max(1)))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "   = hint: {hint}")?;
        }
        Ok(())
    }
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
pub struct SourceText<'a> {
    text: &'a str,
}

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceText { text }
    }

    /// Location of the byte range `start..end` (clamped to the text and to its first line).
    pub fn locate(&self, start: usize, end: usize) -> Location {
        let start = floor_char_boundary(self.text, start.min(self.text.len()));
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = floor_char_boundary(self.text, end.clamp(start, line_end));
        let line = self.text[..start].matches('\n').count() + 1;
        let column = self.text[line_start..start].chars().count() + 1;
        Location {
            line,
            column,
            length: self.text[start..end].chars().count(),
            source_line: self.text[line_start..line_end].to_string(),
        }
    }

    /// Location of a 1-based line and column, spanning `length` characters.
    pub fn locate_line(&self, line: usize, column: usize, length: usize) -> Location {
        let source_line = self
            .text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_string();
        Location {
            line,
            column,
            length,
            source_line,
        }
    }
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
                source_line: String::new(),
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
}
