//! Problems found in a site's input, each pointing at a file, line and column.
//!
//! Every stage that reads user input (config, front matter, templates) reports through
//! [`Diagnostic`] instead of failing on the first problem, so one run shows everything that is
//! wrong. Each diagnostic belongs to a named check of the registry, [`CHECKS`], whose level
//! `[checks]` in `aftermath.toml` can change. The report is sorted by file, line and column,
//! never by the order threads finished in.

mod checks;
mod render;
mod source;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use checks::{CHECKS, Check, CheckInfo, Level, LevelError, Levels, docs_table};
pub use render::terminal_safe;
pub use source::SourceText;

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub length: usize,
    /// The whole line, shared by every location on it.
    pub source_line: Arc<str>,
}

/// A second place in the same file that explains the problem ("\"start\" is here").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// One problem, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub check: Check,
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// The primary span: where the problem is.
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
    /// Secondary spans in the same file, shown in the snippet with their labels.
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// A problem found by `check`, at the check's default level.
    pub fn new(check: Check, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        let severity = match check.info().default {
            Level::Deny => Severity::Error,
            Level::Warn | Level::Allow => Severity::Warning,
        };
        Diagnostic {
            check,
            severity,
            file: file.into(),
            location: None,
            message: message.into(),
            hint: None,
            labels: Vec::new(),
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

    /// Adds a secondary span; one on the primary line or an adjacent one shares its snippet.
    #[must_use]
    pub fn with_label(mut self, location: Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            location,
            message: message.into(),
        });
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
    /// Compiler style: `error: file:line:col: message`, then the snippet with carets under the
    /// offending text and labels at the other places, the hint and the check's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render::human(self))
    }
}

impl Diagnostic {
    /// `{severity, check, file, line, column, message, hint, labels}`; line and column are null
    /// when unknown; each label is `{line, column, message}`.
    pub fn to_json(&self) -> serde_json::Value {
        let labels: Vec<serde_json::Value> = self
            .labels
            .iter()
            .map(|label| {
                serde_json::json!({
                    "line": label.location.line,
                    "column": label.location.column,
                    "message": label.message,
                })
            })
            .collect();
        serde_json::json!({
            "severity": self.severity.label(),
            "check": self.check.name(),
            "file": self.file.display().to_string(),
            "line": self.location.as_ref().map(|l| l.line),
            "column": self.location.as_ref().map(|l| l.column),
            "message": self.message,
            "hint": self.hint,
            "labels": labels,
        })
    }

    /// A GitHub Actions workflow command, so the problem shows on the pull request's line,
    /// titled with the check's name.
    pub fn to_github(&self) -> String {
        let mut properties = format!(
            "file={}",
            escape_github_property(&self.file.display().to_string())
        );
        if let Some(location) = &self.location {
            properties.push_str(&format!(",line={},col={}", location.line, location.column));
        }
        properties.push_str(&format!(",title={}", self.check.name()));
        let mut message = self.message.clone();
        for label in &self.labels {
            message.push_str(&format!(
                "\nline {}: {}",
                label.location.line, label.message
            ));
        }
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

    /// Applies `[checks]`: drops what is allowed, makes denied warnings errors.
    pub fn apply(&mut self, levels: &Levels) {
        self.items
            .retain_mut(|item| match levels.level(item.check) {
                Level::Allow => false,
                Level::Warn => {
                    item.severity = Severity::Warning;
                    true
                }
                Level::Deny => {
                    item.severity = Severity::Error;
                    true
                }
            });
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

    /// The line a build that went ahead despite warnings ends with: "3 warnings in 2 files".
    pub fn warning_summary(&self) -> String {
        let mut files: Vec<&Path> = self.items.iter().map(|d| d.file.as_path()).collect();
        files.sort();
        files.dedup();
        let (warnings, files) = (self.warning_count(), files.len());
        format!(
            "{warnings} warning{} in {files} file{}",
            if warnings == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        )
    }

    /// The closing line: `2 problems (1 error, 1 warning) in 2 of 48 files`, or
    /// `no problems in 48 files`.
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
        if self.items.is_empty() {
            return format!("no problems in {}", plural(files_read, "file"));
        }
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

/// How many warnings of one check in one file are shown in full; the rest are summed up in one
/// line per file and check (the JSON and GitHub formats list every one).
pub const WARNINGS_SHOWN_PER_CHECK: usize = 3;

impl fmt::Display for Diagnostics {
    /// The human report: every error, and the first few warnings of each check in each file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file_items in self.items.chunk_by(|a, b| a.file == b.file) {
            // Per check: warnings seen so far, and the lines of those not shown.
            let mut per_check: Vec<(Check, usize, Vec<usize>)> = Vec::new();
            for item in file_items {
                if !item.is_error() {
                    let at = match per_check.iter().position(|(c, _, _)| *c == item.check) {
                        Some(at) => at,
                        None => {
                            per_check.push((item.check, 0, Vec::new()));
                            per_check.len() - 1
                        }
                    };
                    let (_, seen, hidden) = &mut per_check[at];
                    *seen += 1;
                    if *seen > WARNINGS_SHOWN_PER_CHECK {
                        hidden.push(item.location.as_ref().map_or(0, |l| l.line));
                        continue;
                    }
                }
                writeln!(f, "{item}")?;
            }
            let file = terminal_safe(&file_items[0].file.display().to_string());
            for (check, _, lines) in per_check.iter().filter(|(_, _, l)| !l.is_empty()) {
                writeln!(f, "{}\n", hidden_warnings(&file, *check, lines))?;
            }
        }
        Ok(())
    }
}

/// `warning: a.md: 37 more timeline-before-start warnings, on lines 12, 13, ...`.
fn hidden_warnings(file: &str, check: Check, lines: &[usize]) -> String {
    const LINES_NAMED: usize = 10;
    let mut named: Vec<String> = lines
        .iter()
        .filter(|&&l| l > 0)
        .take(LINES_NAMED)
        .map(usize::to_string)
        .collect();
    if lines.len() > LINES_NAMED {
        named.push("...".to_string());
    }
    let count = lines.len();
    let on = if named.is_empty() {
        String::new()
    } else {
        format!(", on lines {}", named.join(", "))
    };
    format!(
        "warning: {file}: {count} more {} warning{}{on} (not shown; `check --format json` lists every one)",
        check.name(),
        if count == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_formats_carry_every_field() {
        let source = SourceText::new("start = x\nend = x\n");
        let d = Diagnostic::new(
            Check::EndBeforeStart,
            "content/a, b.md",
            "50% broken:\nsecond line",
        )
        .at(Some(source.locate(16, 17)))
        .with_label(source.locate(8, 9), "\"start\" is here")
        .with_hint("fix it");
        assert_eq!(
            d.to_github(),
            "::error file=content/a%2C b.md,line=2,col=7,title=end-before-start::50%25 broken:%0Asecond line%0Aline 1: \"start\" is here%0Ahint: fix it"
        );
        assert_eq!(
            d.to_json(),
            serde_json::json!({"severity": "error", "check": "end-before-start",
                               "file": "content/a, b.md", "line": 2, "column": 7,
                               "message": "50% broken:\nsecond line", "hint": "fix it",
                               "labels": [{"line": 1, "column": 9, "message": "\"start\" is here"}]})
        );
        let bare = Diagnostic::new(Check::LocalTime, "aftermath.toml", "w");
        assert_eq!(
            bare.to_github(),
            "::warning file=aftermath.toml,title=local-time::w"
        );
        assert_eq!(bare.to_json()["line"], serde_json::Value::Null);
        assert_eq!(bare.to_json()["labels"], serde_json::json!([]));
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
        all.push(Diagnostic::new(Check::LocalTime, "b.md", "w").at(at(3)));
        all.push(Diagnostic::new(Check::EndBeforeStart, "a.md", "late").at(at(9)));
        all.push(Diagnostic::new(Check::EndBeforeStart, "a.md", "early").at(at(2)));
        all.sort();
        let messages: Vec<&str> = all.items().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["early", "late", "w"]);
        assert_eq!(
            all.summary(48),
            "3 problems (2 errors, 1 warning) in 2 of 48 files"
        );
        assert_eq!(Diagnostics::new().summary(1), "no problems in 1 file");
        assert_eq!(Diagnostics::new().summary(0), "no problems in 0 files");
    }

    #[test]
    fn levels_drop_allowed_problems_and_turn_denied_warnings_into_errors() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::new(Check::TimelineAfterEnd, "a.md", "after"));
        all.push(Diagnostic::new(Check::LocalTime, "a.md", "local"));
        all.push(Diagnostic::new(Check::TimelineOutOfOrder, "a.md", "order"));
        all.push(Diagnostic::new(Check::EndBeforeStart, "b.md", "end"));
        let mut levels = Levels::default();
        levels.set("timeline-after-end", "allow").unwrap();
        levels.set("local-time", "deny").unwrap();
        all.apply(&levels);
        let kept: Vec<(&str, Severity)> = all
            .items()
            .iter()
            .map(|d| (d.message.as_str(), d.severity))
            .collect();
        assert_eq!(
            kept,
            [
                ("local", Severity::Error),
                ("order", Severity::Warning),
                ("end", Severity::Error)
            ]
        );
    }
}
