//! An imported free-form postmortem's body as readable Markdown.
//!
//! Postmortems pasted from documents and wikis keep their layout in plain lines: a section is a
//! "Root cause:" line, a timeline is lines that start with a time, "Date:" and "Authors:" sit
//! on lines of their own. Markdown joins such lines into one paragraph, so the importer
//! reshapes them, line by line and never inside code blocks:
//!
//! - the line the title was taken from is dropped (the page shows the title already);
//! - a line that is only a label (`Root cause:`, `**Impact**`, `Timeline`) becomes a `##` heading;
//! - two or more `Label: value` lines in a row become a list (`- **Date:** 2024-05-06`);
//! - a line that starts with a time (`10:32 UTC - ...`, `Aug 21, 10:32: ...`) becomes a list
//!   item in the timeline syntax, and a month and day without a year take the year of the
//!   dates around them (the latest full date above, else the first below, else the start);
//! - under a label heading, lines that end a sentence stay lines (a blank line is put after
//!   them); long lines that were wrapped in the middle of a sentence are left to join.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::content::outline::{SectionKind, classify, month_number};

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// A line that is only a label: `Root cause:`, `**Impact**`, `__Timeline:__`.
static LABEL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*|__)?\s*(?P<label>[A-Z][A-Za-z0-9/&'() -]{1,48}?)\s*(?P<colon>:)?\s*(?:\*\*|__)?\s*(?P<colon2>:)?$")
        .expect("valid regex")
});

/// `Label: value` on one line, the label one to three words.
static LABEL_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*|__)?(?P<label>[A-Z][A-Za-z]*(?: [A-Za-z]+){0,2})(?:\*\*|__)?:(?:\*\*|__)?\s+(?P<value>\S.*)$")
        .expect("valid regex")
});

/// A line that starts with a time, maybe after a date: the start of a timeline event.
static STARTS_WITH_TIME: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?xi)^(?:\*\*|__|\[)?
        (?:\d{{4}}-\d{{2}}-\d{{2}}[\sT,]+
          | {MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:\d{{4}},?\s+)?(?:at\s+)?
          | \d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\.?,?\s+(?:\d{{4}},?\s+)?(?:at\s+)?)?
        \d{{1,2}}(?::\d{{2}}|\s*[ap]\.?m\b)"
    );
    Regex::new(&pattern).expect("valid regex")
});

/// A month and day without a year at the start of a line (after list markers and bold).
static YEARLESS: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?xi)^(?P<lead>(?:[-*+]\s+|\d+\.\s+)?(?:\*\*|__|\[)?)
        (?:(?P<m1>{MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH})\.?)
        (?P<sep>,?\s+)(?P<rest>(?:at\s+)?\d{{1,2}}(?::\d{{2}}|\s*[ap]\.?m\b).*)$"
    );
    Regex::new(&pattern).expect("valid regex")
});

/// A full date anywhere in a line, for the years of the dates that lack one.
static FULL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?xi)(?P<iso>\b\d{{4}}-\d{{2}}-\d{{2}}\b)|(?P<m1>{MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})\b|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTH})\.?,?\s+(?P<y2>\d{{4}})\b"
    );
    Regex::new(&pattern).expect("valid regex")
});

/// What a line of the source became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Blank,
    Heading,
    Field,
    Event,
    /// A list item the source wrote as one.
    Item,
    Text,
}

/// The body of `lines` (each with its 1-based line number in the source) as Markdown.
/// `title_lines` are the lines the title came from (or passed over as generic); `start` gives
/// a year when no date around does.
pub fn reshape(lines: &[(usize, &str)], title_lines: &[usize], start: Option<NaiveDate>) -> String {
    let dates = full_dates(lines);
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 8);
    let mut previous = Shape::Blank;
    let mut in_fence = false;
    let mut under_label = false;
    for (position, (number, line)) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push((*line).to_string());
            previous = Shape::Text;
            continue;
        }
        if title_lines.contains(number) || is_underline_of_title(lines, position, title_lines) {
            continue;
        }
        let next = lines.get(position + 1).map(|(_, l)| l.trim()).unwrap_or("");
        let (shape, text) = shape_of(trimmed, next, previous, &dates, *number, start);
        match shape {
            Shape::Blank => under_label = under_label && previous != Shape::Blank,
            Shape::Heading => under_label = true,
            _ => {}
        }
        previous = push_line(&mut out, previous, shape, text, under_label);
    }
    // One blank line at most between blocks, none at the ends.
    let mut body = String::with_capacity(out.iter().map(|l| l.len() + 1).sum());
    let mut blank = true;
    let mut fenced = false;
    for line in &out {
        let fence = line.trim_start();
        if fence.starts_with("```") || fence.starts_with("~~~") {
            fenced = !fenced;
        }
        if line.is_empty() && blank && !fenced {
            continue;
        }
        blank = line.is_empty();
        body.push_str(line);
        body.push('\n');
    }
    format!("{}\n", body.trim_end_matches('\n'))
}

/// Whether the line at `position` is the `===` or `---` under the title's line.
fn is_underline_of_title(lines: &[(usize, &str)], position: usize, title_lines: &[usize]) -> bool {
    let trimmed = lines[position].1.trim();
    let underline = trimmed.len() >= 3
        && (trimmed.chars().all(|c| c == '=') || trimmed.chars().all(|c| c == '-'));
    underline && position > 0 && title_lines.contains(&lines[position - 1].0)
}

/// What `line` is and how it is written, given the line after it and the shape before it.
fn shape_of(
    line: &str,
    next: &str,
    previous: Shape,
    dates: &[(usize, NaiveDate)],
    number: usize,
    start: Option<NaiveDate>,
) -> (Shape, String) {
    if line.is_empty() {
        return (Shape::Blank, String::new());
    }
    if line.starts_with('#') || line.starts_with('|') || line.starts_with('>') {
        return (Shape::Text, line.to_string());
    }
    let line = with_year(line, dates, number, start);
    if let Some(label) = label_only(&line) {
        return (Shape::Heading, format!("## {label}"));
    }
    if is_list_item(&line) {
        let shape = if STARTS_WITH_TIME.is_match(list_text(&line)) {
            Shape::Event
        } else {
            Shape::Item
        };
        return (shape, line);
    }
    if STARTS_WITH_TIME.is_match(&line) {
        return (Shape::Event, format!("- {line}"));
    }
    if let Some(caps) = LABEL_VALUE.captures(&line) {
        let in_run = previous == Shape::Field || LABEL_VALUE.is_match(next);
        if in_run {
            return (
                Shape::Field,
                format!("- **{}:** {}", &caps["label"], &caps["value"]),
            );
        }
    }
    (Shape::Text, line)
}

/// Appends `text` with the blank lines Markdown needs around it: headings stand apart, a list
/// starts after a blank line, a wrapped line of an event is indented under it (and counts as
/// part of it), and under a label heading a line that ends a sentence ends its paragraph.
/// Returns the shape the next line follows.
fn push_line(
    out: &mut Vec<String>,
    previous: Shape,
    shape: Shape,
    text: String,
    under_label: bool,
) -> Shape {
    let listed = |s: Shape| matches!(s, Shape::Event | Shape::Field | Shape::Item);
    if shape == Shape::Text && listed(previous) {
        out.push(format!("  {text}"));
        return previous;
    }
    match shape {
        Shape::Heading => {
            out.push(String::new());
            out.push(text);
            out.push(String::new());
        }
        Shape::Event | Shape::Field if !listed(previous) && previous != Shape::Blank => {
            out.push(String::new());
            out.push(text);
        }
        Shape::Text if under_label && previous == Shape::Text => {
            let ends_sentence = out.last().is_some_and(|l| ends_a_line(l));
            if ends_sentence {
                out.push(String::new());
            }
            out.push(text);
        }
        _ => out.push(text),
    }
    shape
}

/// A line that the writer ended on purpose: a sentence's end, or a short line.
fn ends_a_line(line: &str) -> bool {
    let line = line.trim_end();
    line.ends_with(['.', '!', '?', ':', ';']) || line.chars().count() < 50
}

fn is_list_item(line: &str) -> bool {
    ["- ", "* ", "+ ", "• "].iter().any(|m| line.starts_with(m))
        || line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn list_text(line: &str) -> &str {
    line.split_once(' ')
        .map_or(line, |(_, rest)| rest.trim_start())
}

/// The label of a label-only line: ends with a colon, is all bold, or names a known section.
fn label_only(line: &str) -> Option<String> {
    let caps = LABEL_ONLY.captures(line)?;
    let label = caps["label"].trim();
    let bold = (line.starts_with("**") && line.trim_end_matches(':').ends_with("**"))
        || (line.starts_with("__") && line.trim_end_matches(':').ends_with("__"));
    let colon = caps.name("colon").is_some() || caps.name("colon2").is_some();
    let known = classify(label) != SectionKind::Other;
    let short = label.split_whitespace().count() <= 5;
    (short && (colon || bold || known)).then(|| label.to_string())
}

/// Every full date of the source, by line.
fn full_dates(lines: &[(usize, &str)]) -> Vec<(usize, NaiveDate)> {
    let mut out = Vec::new();
    for (number, line) in lines {
        for caps in FULL_DATE.captures_iter(line) {
            if let Some(date) = date_of(&caps) {
                out.push((*number, date));
            }
        }
    }
    out
}

fn date_of(caps: &regex::Captures<'_>) -> Option<NaiveDate> {
    if let Some(iso) = caps.name("iso") {
        return NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok();
    }
    let (month, day, year) = match caps.name("m1") {
        Some(m) => (m, caps.name("d1")?, caps.name("y1")?),
        None => (caps.name("m2")?, caps.name("d2")?, caps.name("y2")?),
    };
    NaiveDate::from_ymd_opt(
        year.as_str().parse().ok()?,
        month_number(month.as_str())?,
        day.as_str().parse().ok()?,
    )
}

/// `line` with a year after a leading month and day that lack one (`Aug 21, 10:32` becomes
/// `Aug 21, 2025, 10:32`), from the latest full date above it, else the first below, else
/// `start`; a month well before that date's month is in the year after (December, then
/// January).
fn with_year(
    line: &str,
    dates: &[(usize, NaiveDate)],
    number: usize,
    start: Option<NaiveDate>,
) -> String {
    let Some(caps) = YEARLESS.captures(line) else {
        return line.to_string();
    };
    // `dates` are in line order: the ones above this line come before `above`.
    let above = dates.partition_point(|(n, _)| *n < number);
    let reference = above
        .checked_sub(1)
        .map(|i| dates[i])
        .or_else(|| dates[above..].iter().find(|(n, _)| *n > number).copied())
        .map(|(_, d)| d)
        .or(start);
    let Some(reference) = reference else {
        return line.to_string();
    };
    let month_text = caps
        .name("m1")
        .or(caps.name("m2"))
        .map_or("", |m| m.as_str());
    let Some(month) = month_number(month_text) else {
        return line.to_string();
    };
    let year = if month + 6 < reference.month() {
        reference.year() + 1
    } else {
        reference.year()
    };
    let lead = &caps["lead"];
    let date = match (caps.name("m1"), caps.name("d1")) {
        (Some(m), Some(d)) => format!("{} {}", m.as_str(), d.as_str()),
        _ => format!("{} {}", &caps["d2"], &caps["m2"]),
    };
    format!("{lead}{date}, {year}, {}", &caps["rest"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(text: &str) -> Vec<(usize, &str)> {
        text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect()
    }

    #[test]
    fn labels_become_headings_and_timelines_lists() {
        let text = "Incident report postmortem\n\nWeb Stack Outage Incident\n\nDate: 2024-05-06\nAuthors: Jane, Bob\n\nSummary:\nThe web stack was down.\nUsers saw errors.\n\nTimeline:\n10:32 UTC - alerts fired\n10:40 UTC - rolled back the deploy,\n  which took a while\n11:02 UTC - resolved\n\nAction items:\n- Add a canary\n- Alert on 502s\n";
        let body = reshape(&numbered(text), &[1, 3], None);
        assert_eq!(
            body,
            "- **Date:** 2024-05-06\n- **Authors:** Jane, Bob\n\n## Summary\n\nThe web stack was down.\n\nUsers saw errors.\n\n## Timeline\n\n- 10:32 UTC - alerts fired\n- 10:40 UTC - rolled back the deploy,\n  which took a while\n- 11:02 UTC - resolved\n\n## Action items\n\n- Add a canary\n- Alert on 502s\n"
        );
    }

    #[test]
    fn dates_without_a_year_take_it_from_the_dates_around_them() {
        let text = "Started on December 30, 2024.\n\n**Timeline**\nDec 31, 23:50 UTC: paged\nJan 1, 00:20 UTC: resolved\n- Jan 1 at 01:00 UTC: all clear\n";
        let body = reshape(&numbered(text), &[], None);
        assert!(
            body.contains("- Dec 31, 2024, 23:50 UTC: paged\n"),
            "{body}"
        );
        assert!(
            body.contains("- Jan 1, 2025, 00:20 UTC: resolved\n"),
            "{body}"
        );
        assert!(
            body.contains("- Jan 1, 2025, at 01:00 UTC: all clear\n"),
            "{body}"
        );
        assert!(body.contains("## Timeline\n"), "{body}");
        let alone = reshape(
            &numbered("Aug 21, 10:32 UTC: paged\n"),
            &[],
            NaiveDate::from_ymd_opt(2026, 8, 21),
        );
        assert_eq!(alone, "- Aug 21, 2026, 10:32 UTC: paged\n");
    }

    #[test]
    fn markdown_and_code_are_left_as_written() {
        let text = "# Title\n\n## Impact\n\nA long paragraph that was wrapped at the usual width of seventy\ncharacters goes on here.\n\n```\n10:32 start\n\n\nNote: x\n```\n";
        assert_eq!(reshape(&numbered(text), &[1], None), text[9..].to_string());
    }
}
