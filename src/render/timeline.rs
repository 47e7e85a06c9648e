//! The incident page's timeline, shown once: in the body's place.
//!
//! A postmortem's timeline section is read into dated events (`content::outline`). The page
//! shows them as a structured list (time in the site zone, offset from the start of impact, the
//! phase where it changes), and that list takes the place of the lines it was read from, so the
//! reader never sees the same timeline twice. Only runs of event lines are replaced: a line that
//! is not an event (a note, a sub-heading, a line without a time) stays where it was, and lines
//! indented under an event (its details) stay with that event. Nothing the author wrote is lost.

use std::collections::HashMap;

use crate::content::Incident;
use crate::markdown::{MarkdownRenderer, RenderedMarkdown};
use crate::text::html::escape_into;

use super::views::TimelineEventView;

/// Marks where a run of events was, in the Markdown handed to the renderer. Private-use
/// characters never occur in a postmortem (a body that holds one is rendered as written).
const MARK: char = '\u{E000}';

/// A run of consecutive event lines of the body: 0-based lines `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    first: usize,
    last: usize,
    /// Each event of the run (index into the timeline) with the lines indented under it.
    events: Vec<(usize, Vec<String>)>,
}

/// Renders the body with every run of timeline lines replaced by the structured timeline.
/// `events` are the page's views of `incident.timeline`, in the same order.
pub fn render_body(
    incident: &Incident,
    events: &[TimelineEventView],
    markdown: &MarkdownRenderer,
    note_text: &str,
) -> RenderedMarkdown {
    let body = &incident.body;
    if events.is_empty() || body.contains(MARK) {
        return markdown.render(body);
    }
    let event_lines: HashMap<usize, usize> = incident
        .timeline
        .iter()
        .enumerate()
        .filter_map(|(index, e)| Some((e.line.checked_sub(incident.body_line)?, index)))
        .collect();
    let lines: Vec<&str> = body.lines().collect();
    let runs = event_runs(&lines, &event_lines);
    let mut rendered = markdown.render(&with_marks(&lines, &runs));
    let mut html = String::with_capacity(rendered.html.len() * 2);
    let mut rest = rendered.html.as_str();
    for (number, run) in runs.iter().enumerate() {
        let mark = format!("<p>{MARK}{number}{MARK}</p>\n");
        let Some((before, after)) = rest.split_once(&mark) else {
            // The mark landed inside other markup (a list or a quote): show the body as written.
            return markdown.render(body);
        };
        html.push_str(before);
        let note = (number + 1 == runs.len()).then_some(note_text);
        push_run(&mut html, run, events, markdown, note);
        rest = after;
    }
    html.push_str(rest);
    rendered.html = html;
    rendered
}

/// Finds the runs: an event line starts one; events, blank lines between them and lines
/// indented under an event continue it; a table's header rows before its first event join it.
fn event_runs(lines: &[&str], event_lines: &HashMap<usize, usize>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut line = 0;
    while line < lines.len() {
        let Some(&event) = event_lines.get(&line) else {
            line += 1;
            continue;
        };
        let floor = runs.last().map_or(0, |r| r.last + 1);
        let mut first = line;
        if lines[line].trim_start().starts_with('|') {
            while first > floor && lines[first - 1].trim_start().starts_with('|') {
                first -= 1;
            }
        }
        let mut run = Run {
            first,
            last: line,
            events: vec![(event, Vec::new())],
        };
        let mut next = line + 1;
        while next < lines.len() {
            let text = lines[next];
            if let Some(&event) = event_lines.get(&next) {
                run.events.push((event, Vec::new()));
                run.last = next;
            } else if text.trim().is_empty() {
                // A blank line continues the run only if an event or a detail follows it.
            } else if text.starts_with([' ', '\t']) && !text.trim_start().starts_with('|') {
                if let Some((_, details)) = run.events.last_mut() {
                    // Keep the blank lines between details, so paragraphs stay apart.
                    details.extend((run.last + 1..next).map(|_| String::new()));
                    details.push(text.to_string());
                }
                run.last = next;
            } else {
                break;
            }
            next += 1;
        }
        line = run.last + 1;
        runs.push(run);
    }
    runs
}

/// The body with each run's lines replaced by a paragraph that holds only its mark.
fn with_marks(lines: &[&str], runs: &[Run]) -> String {
    let mut out = String::new();
    let mut runs = runs.iter().enumerate().peekable();
    let mut line = 0;
    while line < lines.len() {
        if let Some((number, run)) = runs.next_if(|(_, r)| r.first == line) {
            out.push_str(&format!("\n{MARK}{number}{MARK}\n\n"));
            line = run.last + 1;
        } else {
            out.push_str(lines[line]);
            out.push('\n');
            line += 1;
        }
    }
    out
}

/// Writes one run as an ordered list; `note` (where times are shown) follows the last run.
fn push_run(
    html: &mut String,
    run: &Run,
    events: &[TimelineEventView],
    markdown: &MarkdownRenderer,
    note: Option<&str>,
) {
    html.push_str("<ol class=\"timeline\">\n");
    for (index, details) in &run.events {
        let Some(event) = events.get(*index) else {
            continue;
        };
        html.push_str(&format!("<li class=\"tl tl-{}\">", event.phase));
        if event.phase_starts {
            html.push_str("<span class=\"tl-phase\">");
            escape_into(html, &event.phase_label);
            html.push_str("</span>");
        }
        html.push_str(&format!(
            "<span class=\"tl-offset\">{}</span> <time datetime=\"{}\">{}</time> <span class=\"tl-text\">",
            event.offset_label, event.iso, event.time
        ));
        if let (Some(key), Some(label)) = (event.status, &event.status_label) {
            let separator = if event.text.is_empty() { "" } else { " — " };
            html.push_str(&format!("<strong class=\"tl-status tl-status-{key}\">"));
            escape_into(html, label);
            html.push_str(&format!("</strong>{separator}"));
        }
        html.push_str(&inline(markdown, &event.text));
        html.push_str("</span>");
        if !details.is_empty() {
            html.push_str("<div class=\"tl-detail\">");
            html.push_str(&markdown.render(&dedent(details)).html);
            html.push_str("</div>");
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    if let Some(note) = note {
        html.push_str("<p class=\"tl-note\">");
        escape_into(html, note);
        html.push_str("</p>\n");
    }
}

/// One line of Markdown as inline HTML (`code`, emphasis and links, without a paragraph).
pub(super) fn inline(markdown: &MarkdownRenderer, text: &str) -> String {
    // Plain words (most timeline lines and action items) need no Markdown parser: escaped,
    // they are what the parser would give.
    if !text.contains(MARKDOWN_SIGNS)
        && !text.trim_start().starts_with(['#', '-', '+', '=', '|'])
        && !starts_numbered(text)
    {
        let mut escaped = String::with_capacity(text.len());
        escape_into(&mut escaped, text.trim());
        return escaped;
    }
    let html = markdown.render(text).html;
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => {
            let mut escaped = String::new();
            escape_into(&mut escaped, text);
            escaped
        }
    }
}

/// The characters that can make a line more than plain text in Markdown (emphasis, links,
/// code, HTML, entities, escapes, strikethrough, footnotes and hard breaks at the end).
const MARKDOWN_SIGNS: &[char] = &[
    '*', '_', '[', ']', '<', '>', '`', '!', '~', '\\', '&', '^', '\n',
];

/// `1. ` or `1) ` at the start: an ordered list item, not plain text.
fn starts_numbered(text: &str) -> bool {
    let digits = text
        .trim_start()
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    digits > 0 && matches!(text.trim_start().as_bytes().get(digits), Some(b'.' | b')'))
}

/// Lines without the indentation they share.
fn dedent(lines: &[String]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in lines {
        out.push_str(line.get(indent..).unwrap_or("").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the Markdown parser makes of one line, without the paragraph around it.
    fn parsed(markdown: &MarkdownRenderer, text: &str) -> String {
        let html = markdown.render(text).html;
        let inner = html
            .trim_end()
            .strip_prefix("<p>")
            .and_then(|t| t.strip_suffix("</p>"));
        inner.unwrap_or(&html).to_string()
    }

    #[test]
    fn plain_lines_skip_the_parser_and_give_what_it_gives() {
        let markdown = MarkdownRenderer::new(crate::config::RawHtml::Sanitize);
        for text in [
            "Alert on the deferral rate per mailbox provider, not only on the total",
            "Fail the release when a purge fails.",
            "Route \"password\" resets through a second IP (eu-west-1): 50 % of traffic",
            "  Trailing and leading spaces  ",
        ] {
            assert_eq!(
                inline(&markdown, text),
                parsed(&markdown, text.trim()),
                "{text}"
            );
        }
        // Lines with Markdown in them still go through the parser.
        assert_eq!(
            inline(&markdown, "Fix `retry` *now*"),
            "Fix <code>retry</code> <em>now</em>"
        );
        assert_eq!(inline(&markdown, "a & b"), "a &amp; b");
        assert_eq!(
            inline(&markdown, "1. not a list"),
            escape_text("1. not a list")
        );
    }

    fn escape_text(text: &str) -> String {
        let mut out = String::new();
        escape_into(&mut out, text);
        out
    }

    fn runs(body: &str, events: &[usize]) -> Vec<(usize, usize, usize)> {
        let lines: Vec<&str> = body.lines().collect();
        let map = events.iter().enumerate().map(|(i, &l)| (l, i)).collect();
        event_runs(&lines, &map)
            .into_iter()
            .map(|r| (r.first, r.last, r.events.len()))
            .collect()
    }

    #[test]
    fn a_line_without_a_time_splits_the_timeline_and_stays_where_it_was() {
        let body = "## Timeline\n\n- 10:00 a\n\n- 10:05 b\n- no time here\n- 11:00 c\nAfter.\n";
        assert_eq!(runs(body, &[2, 4, 6]), [(2, 4, 2), (6, 6, 1)]);
    }

    #[test]
    fn indented_lines_stay_with_their_event() {
        let body = "- 10:00 a\n  more about a\n\n  - a detail\n- 10:05 b\n\nProse.\n";
        let lines: Vec<&str> = body.lines().collect();
        let map = [(0, 0), (4, 1)].into_iter().collect();
        let found = event_runs(&lines, &map);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].first, found[0].last), (0, 4));
        assert_eq!(
            dedent(&found[0].events[0].1),
            "more about a\n\n- a detail\n"
        );
    }

    #[test]
    fn a_tables_header_rows_join_its_events() {
        let body = "Intro\n| Time | Event |\n|---|---|\n| 10:00 | a |\n| 10:05 | b |\n";
        assert_eq!(runs(body, &[3, 4]), [(1, 4, 2)]);
    }

    #[test]
    fn marks_replace_exactly_the_runs() {
        let lines = ["Intro", "- 10:00 a", "- 10:05 b", "Outro"];
        let found = vec![Run {
            first: 1,
            last: 2,
            events: vec![],
        }];
        assert_eq!(
            with_marks(&lines, &found),
            format!("Intro\n\n{MARK}0{MARK}\n\nOutro\n")
        );
    }
}
