//! Human output: the `error: file:line:col: message` line users grep for, then a snippet drawn
//! by annotate-snippets (the renderer of rustc and cargo) with the primary span underlined with
//! carets and secondary spans with dashes and their labels, then the hint and the check's name.
//!
//! Everything from the input passes through [`terminal_safe`] first, so a pasted escape
//! sequence cannot move the cursor or fake a line; a long line is cut around the problem with
//! `...` by the renderer, and carets never run past the end of the line.

use std::borrow::Cow;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Label, Location, Severity};

/// The width snippets are cut to: a source line longer than this shows a window around the
/// problem.
const SNIPPET_WIDTH: usize = 100;

/// The whole human report of one diagnostic, ending with a line break.
pub fn human(diagnostic: &Diagnostic) -> String {
    let file = terminal_safe(&diagnostic.file.display().to_string());
    let message = terminal_safe(&diagnostic.message);
    let severity = diagnostic.severity.label();
    let mut out = match &diagnostic.location {
        Some(loc) => format!(
            "{severity}: {file}:{}:{}: {message}\n",
            loc.line, loc.column
        ),
        None => format!("{severity}: {file}: {message}\n"),
    };
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let hint = diagnostic.hint.as_deref().map(terminal_safe);
    let mut group = Group::with_level(level);
    if let Some(primary) = &diagnostic.location {
        for snippet in snippets(&file, primary, &diagnostic.labels) {
            group = group.element(snippet);
        }
    }
    if let Some(hint) = &hint {
        group = group.element(Level::HELP.with_name("hint").message(hint.as_str()));
    }
    group = group.element(
        Level::NOTE
            .with_name("check")
            .message(diagnostic.check.name()),
    );
    let renderer = Renderer::plain().term_width(SNIPPET_WIDTH + 8);
    out.push_str(&renderer.render(&[group]));
    out.push('\n');
    out
}

/// A line shown in a snippet: its number, its sanitised text and the spans on it.
struct ShownLine<'a> {
    number: usize,
    text: String,
    spans: Vec<(AnnotationKind, &'a Location, Option<&'a str>)>,
}

/// The snippets for a primary span and its labels: lines next to each other share one
/// snippet, others get their own (drawn with `:::` between them).
fn snippets<'a>(
    file: &str,
    primary: &'a Location,
    labels: &'a [Label],
) -> Vec<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let mut lines: Vec<ShownLine<'a>> = Vec::new();
    let spans =
        std::iter::once((AnnotationKind::Primary, primary, None)).chain(labels.iter().map(|l| {
            (
                AnnotationKind::Context,
                &l.location,
                Some(l.message.as_str()),
            )
        }));
    for (kind, location, label) in spans {
        match lines.iter_mut().find(|l| l.number == location.line) {
            Some(line) => line.spans.push((kind, location, label)),
            None => lines.push(ShownLine {
                number: location.line,
                text: terminal_safe(location.source_line.trim_end_matches(['\r', '\n'])),
                spans: vec![(kind, location, label)],
            }),
        }
    }
    lines.sort_by_key(|l| l.number);
    let mut runs: Vec<Vec<ShownLine<'a>>> = Vec::new();
    for line in lines {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|l| l.number + 1 == line.number) => run.push(line),
            _ => runs.push(vec![line]),
        }
    }
    // The first snippet sits under the header line, which names the file; later ones name it
    // again after `:::`, as rustc does.
    let file = file.to_string();
    runs.into_iter()
        .enumerate()
        .map(|(index, run)| {
            let snippet = snippet(run);
            if index == 0 {
                snippet
            } else {
                snippet.path(file.clone())
            }
        })
        .collect()
}

/// One snippet of consecutive lines, with every span turned into a byte range of its text.
fn snippet<'a>(run: Vec<ShownLine<'a>>) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let first = run[0].number;
    let mut source = String::new();
    let mut annotations = Vec::new();
    for line in &run {
        let offset = source.len();
        for (kind, location, label) in &line.spans {
            let span = byte_span(&line.text, location.column, location.length);
            let mut annotation = kind.span(offset + span.start..offset + span.end);
            if let Some(label) = label {
                annotation = annotation.label(terminal_safe(label));
            }
            annotations.push(annotation);
        }
        source.push_str(&line.text);
        source.push('\n');
    }
    Snippet::source(Cow::Owned(source))
        .line_start(first)
        .fold(false)
        .annotations(annotations)
}

/// The byte range of `length` characters from 1-based character `column` of `line`, clamped
/// to the line (a span past its end marks the last character, or the end of an empty line).
fn byte_span(line: &str, column: usize, length: usize) -> std::ops::Range<usize> {
    let chars = line.chars().count();
    let start = column.saturating_sub(1).min(chars);
    let end = (start + length.max(1)).min(chars);
    let start = if start == chars {
        chars.saturating_sub(1)
    } else {
        start
    };
    let byte = |index: usize| {
        line.char_indices()
            .nth(index)
            .map_or(line.len(), |(i, _)| i)
    };
    byte(start)..byte(end.max(start))
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

#[cfg(test)]
mod tests {
    use super::super::{Check, SourceText};
    use super::*;

    const POSTMORTEM: &str =
        "+++\ntitle = \"x\"\nstart = 2024-05-06T15:00:00Z\nend = 2024-05-06T09:00:00Z\n+++\n";

    fn end_before_start() -> Diagnostic {
        let source = SourceText::new(POSTMORTEM);
        let end = POSTMORTEM.rfind("2024").unwrap();
        Diagnostic::new(
            Check::EndBeforeStart,
            "content/db.md",
            "\"end\" is before \"start\"",
        )
        .at(Some(source.locate(end, end + 20)))
    }

    #[test]
    fn prints_the_header_then_carets_the_hint_and_the_check() {
        let d = end_before_start().with_hint("swap them");
        assert_eq!(
            d.to_string(),
            r#"error: content/db.md:4:7: "end" is before "start"
  |
4 | end = 2024-05-06T09:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = hint: swap them
  = check: end-before-start
"#
        );
    }

    #[test]
    fn a_label_on_the_next_line_shares_the_snippet() {
        let source = SourceText::new(POSTMORTEM);
        let start = POSTMORTEM.find("2024").unwrap();
        let d =
            end_before_start().with_label(source.locate(start, start + 20), "\"start\" is here");
        assert_eq!(
            d.to_string(),
            r#"error: content/db.md:4:7: "end" is before "start"
  |
3 | start = 2024-05-06T15:00:00Z
  |         -------------------- "start" is here
4 | end = 2024-05-06T09:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = check: end-before-start
"#
        );
    }

    #[test]
    fn a_distant_label_gets_its_own_snippet_naming_the_file() {
        let source = SourceText::new(POSTMORTEM);
        let d = end_before_start().with_label(source.locate(0, 3), "opened here");
        assert_eq!(
            d.to_string(),
            r#"error: content/db.md:4:7: "end" is before "start"
  |
1 | +++
  | --- opened here
  |
 ::: content/db.md:4:7
  |
4 | end = 2024-05-06T09:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = check: end-before-start
"#
        );
    }

    #[test]
    fn a_problem_about_a_whole_file_has_no_snippet() {
        let d = Diagnostic::new(Check::OngoingTooLong, "content/db.md", "open for 31 d")
            .with_hint("add \"end\"");
        assert_eq!(
            d.to_string(),
            "warning: content/db.md: open for 31 d\n = hint: add \"end\"\n = check: ongoing-too-long\n"
        );
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let text = "severity = \"\u{1b}[2J\u{1b}[Hno problems\r\u{7}\"\n";
        let source = SourceText::new(text);
        let d = Diagnostic::new(
            Check::UnknownValue,
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
            7,
            "a newline in a value starts no fake line: {shown}"
        );
        assert!(shown.contains("\u{241b}[2J"), "{shown}");
    }

    #[test]
    fn long_lines_are_cut_around_the_problem_and_carets_fit() {
        let text = format!("{}BAD{}\n", "a".repeat(2_000), "b".repeat(2_000));
        let source = SourceText::new(&text);
        let d =
            Diagnostic::new(Check::LocalTime, "a.md", "w").at(Some(source.locate(2_000, 2_003)));
        let shown = d.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let (code, carets) = (lines[2], lines[3]);
        assert!(code.chars().count() <= SNIPPET_WIDTH + 8, "{code}");
        assert!(
            code.contains("...aaa") && code.contains("BADbbb") && code.ends_with("..."),
            "{code}"
        );
        let caret_at = carets.find('^').unwrap();
        assert_eq!(&code[caret_at..caret_at + 3], "BAD", "{shown}");
        assert_eq!(carets.matches('^').count(), 3);
    }

    #[test]
    fn carets_never_run_past_the_line() {
        for (text, start, end, carets) in [
            ("ab\n", 0, 99, 2),
            ("\n", 0, 0, 1),
            ("abc\n", 3, 3, 1),
            ("\tkey =\t\"x\"\n", 7, 10, 3),
        ] {
            let source = SourceText::new(text);
            let shown = Diagnostic::new(Check::LocalTime, "a.md", "w")
                .at(Some(source.locate(start, end)))
                .to_string();
            let lines: Vec<&str> = shown.lines().collect();
            assert_eq!(lines[3].matches('^').count(), carets, "{shown}");
            assert!(
                lines[3].trim_end().chars().count() <= lines[2].chars().count().max(5),
                "{shown}"
            );
        }
    }

    #[test]
    fn spans_are_clamped_to_the_line_in_bytes() {
        assert_eq!(byte_span("café x", 4, 1), 3..5);
        assert_eq!(byte_span("ab", 1, 99), 0..2);
        assert_eq!(byte_span("ab", 3, 1), 1..2);
        assert_eq!(byte_span("", 1, 1), 0..0);
    }
}
