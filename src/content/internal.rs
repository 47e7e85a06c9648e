//! Internal blocks: the parts of a public postmortem that only the internal edition shows.
//!
//! ```markdown
//! <!-- internal -->
//! The root cause was a config push by the on-call engineer; see INC-4411.
//! <!-- /internal -->
//! ```
//!
//! The markers are HTML comments, so the postmortem reads naturally in any Markdown viewer
//! (GitHub shows the inside, the markers stay hidden). They must stand alone on their line,
//! outside code blocks. For the public, every line of a block, markers included, becomes an
//! empty line before anything reads the body (the timeline, the action items, the page), so
//! line numbers stay those of the file and nothing of the block reaches any output; for the
//! internal edition only the marker lines are emptied. A block left open, a closing marker
//! without an opening one, and a block inside a block are errors, and a public build then hides
//! everything after the faulty marker.

use std::borrow::Cow;
use std::path::Path;

use crate::config::Audience;
use crate::diagnostics::{Check, Diagnostic, SourceText};

const OPEN: &str = "<!-- internal -->";
const CLOSE: &str = "<!-- /internal -->";

/// The body for `audience`, and the problems with its markers. `body_line` is the file line of
/// the body's first line; `text` the whole file, for the snippets.
pub fn body_for<'a>(
    body: &'a str,
    audience: Audience,
    file: &Path,
    text: &str,
    body_line: usize,
) -> (Cow<'a, str>, Vec<Diagnostic>) {
    if !body.contains("<!--") {
        return (Cow::Borrowed(body), Vec::new());
    }
    let mut out = String::with_capacity(body.len());
    let mut problems = Vec::new();
    let mut open_at: Option<usize> = None;
    let mut in_code = false;
    let source = SourceText::new(text);
    let mut problem = |line: usize, message: &str, hint: &str| {
        let length = source
            .locate_line(line, 1, 1)
            .source_line
            .trim_end()
            .chars()
            .count();
        problems.push(
            Diagnostic::new(Check::InternalBlock, file, message)
                .at(Some(source.locate_line(line, 1, length.max(1))))
                .with_hint(hint),
        );
    };
    for (index, line) in body.split_inclusive('\n').enumerate() {
        let file_line = body_line + index;
        let marker = line.trim();
        if marker.starts_with("```") || marker.starts_with("~~~") {
            in_code = !in_code;
        }
        let is_open = !in_code && marker.eq_ignore_ascii_case(OPEN);
        let is_close = !in_code && marker.eq_ignore_ascii_case(CLOSE);
        match (is_open, is_close, open_at) {
            (true, _, Some(first)) => problem(
                file_line,
                &format!("an internal block starts inside the one opened on line {first}"),
                "close the first block with <!-- /internal --> before opening another",
            ),
            (true, _, None) => open_at = Some(file_line),
            (_, true, None) => problem(
                file_line,
                "<!-- /internal --> closes no internal block",
                "open the block with <!-- internal --> on a line of its own, or remove this line",
            ),
            (_, true, Some(_)) => open_at = None,
            _ => {}
        }
        let hidden = is_open || is_close || (open_at.is_some() && audience == Audience::Public);
        if hidden {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
        } else {
            out.push_str(line);
        }
    }
    if let Some(first) = open_at {
        problem(
            first,
            "this internal block is never closed",
            "end it with <!-- /internal --> on a line of its own; until then the rest of the file is internal",
        );
    }
    (Cow::Owned(out), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Public.\n<!-- internal -->\nSecret cause.\n<!-- /internal -->\nMore.\n";

    #[test]
    fn the_public_sees_empty_lines_where_the_block_was_and_the_organisation_sees_it() {
        let file = Path::new("content/x.md");
        let (public, problems) = body_for(BODY, Audience::Public, file, BODY, 1);
        assert!(problems.is_empty());
        assert_eq!(public, "Public.\n\n\n\nMore.\n");
        let (internal, _) = body_for(BODY, Audience::Internal, file, BODY, 1);
        assert_eq!(internal, "Public.\n\nSecret cause.\n\nMore.\n");
    }

    #[test]
    fn markers_in_code_are_text_and_faulty_markers_are_errors_that_hide_the_rest() {
        let file = Path::new("content/x.md");
        let code = "```\n<!-- internal -->\n```\n";
        assert_eq!(body_for(code, Audience::Public, file, code, 1).0, code);
        let open = "A\n<!-- internal -->\nB\n";
        let (public, problems) = body_for(open, Audience::Public, file, open, 1);
        assert_eq!(public, "A\n\n\n");
        assert_eq!(problems[0].message, "this internal block is never closed");
        assert_eq!(problems[0].location.as_ref().map(|l| l.line), Some(2));
        let stray = "A\n<!-- /internal -->\n";
        let (_, problems) = body_for(stray, Audience::Public, file, stray, 1);
        assert_eq!(
            problems[0].message,
            "<!-- /internal --> closes no internal block"
        );
    }
}
