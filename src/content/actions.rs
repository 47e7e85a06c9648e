//! Action items as data: the task-list items (`- [ ]`, `- [x]`) of a postmortem's "Action
//! items" section, with the owner, due date and link written on them, for the actions page,
//! `api/actions.json` and the overdue check.
//!
//! `- [ ] Add a canary stage @maria due:2026-08-15 [OPS-123](https://tracker/OPS-123)` is an
//! open item owned by maria, due on 15 August 2026 and tracked at the link. The owner is the
//! first `@name`, the due date the first `due:` word (outside links and code). A link at the
//! end of the item labelled with one word (a ticket) is its tracker link and leaves the text;
//! otherwise the first link of the text gives the URL and stays where it is. Indented lines
//! under an item continue it.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::diagnostics::{Check, Diagnostic, Location};

/// One task-list item of the action-items section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionItem {
    /// The item's words as Markdown, without the owner, the due date and a trailing link.
    pub text: String,
    pub done: bool,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub url: Option<String>,
    /// The label of a trailing link (`OPS-123`), which left the text.
    pub link_text: Option<String>,
    /// 1-based line of the file where the item starts.
    pub line: usize,
    /// Where the `due:` word is in the file, for an open item (the overdue check points at it;
    /// a done item keeps no copy of its line, which at 100,000 postmortems was 25 MB).
    pub due_at: Option<Location>,
}

/// A `due:` word that does not give a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDue {
    pub location: Location,
    pub written: String,
}

impl BadDue {
    /// The error, at the word.
    pub fn diagnostic(&self, file: &std::path::Path) -> Diagnostic {
        Diagnostic::new(
            Check::InvalidValue,
            file,
            format!(
                "\"{}\": expected a due date like due:2026-08-15",
                self.written
            ),
        )
        .at(Some(self.location.clone()))
        .with_hint("write the day as due:YYYY-MM-DD, a date that exists")
    }
}

/// One line of the file: its 1-based number and its text.
pub type NumberedLine<'a> = (usize, &'a str);

static TASK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+\[([ xX])\]\s+").expect("valid regex")
});

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]+)\]\(([^)\s]+)\)").expect("valid regex"));

static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`[^`]*`").expect("valid regex"));

static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^@([A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*)[.,;:]?$").expect("valid regex")
});

/// Reads the task items among `lines` (the section's lines): each item with its continuation
/// lines, and the `due:` words that are not dates.
pub fn read_actions(lines: &[NumberedLine<'_>]) -> (Vec<ActionItem>, Vec<BadDue>) {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    let mut index = 0;
    let mut in_code = false;
    while index < lines.len() {
        let trimmed = lines[index].1.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        let task = if in_code {
            None
        } else {
            TASK.captures(lines[index].1)
        };
        let Some(task) = task else {
            index += 1;
            continue;
        };
        let indent = task[1].len();
        let mut item_lines = vec![(lines[index], task.get(0).map_or(0, |m| m.end()))];
        index += 1;
        while let Some(&(number, text)) = lines.get(index) {
            let continues = !text.trim().is_empty()
                && text.len() - text.trim_start().len() > indent
                && !is_list_item(text);
            if !continues {
                break;
            }
            item_lines.push(((number, text), text.len() - text.trim_start().len()));
            index += 1;
        }
        match parse_item(&item_lines, task[2] != *" ") {
            Ok(item) => items.push(item),
            Err(bad) => problems.push(bad),
        }
    }
    (items, problems)
}

/// Whether a line starts a list item of its own (`- `, `* `, `+ `, `1. `).
pub fn is_list_item(line: &str) -> bool {
    let item = line.trim_start();
    item.starts_with("- ")
        || item.starts_with("* ")
        || item.starts_with("+ ")
        || ITEM_NUMBER.is_match(item)
}

/// A numbered list item's number: `1. `, `2) `.
pub static ITEM_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}[.)]\s").expect("valid regex"));

/// A part of the item's joined text: where it starts there, and where it came from.
struct Segment {
    joined_start: usize,
    line: usize,
    line_text: std::sync::Arc<str>,
    line_start: usize,
}

fn parse_item(lines: &[(NumberedLine<'_>, usize)], done: bool) -> Result<ActionItem, BadDue> {
    let mut joined = String::new();
    let mut segments = Vec::new();
    for &((number, text), from) in lines {
        if !joined.is_empty() {
            joined.push(' ');
        }
        let part = text[from..].trim_end();
        segments.push(Segment {
            joined_start: joined.len(),
            line: number,
            line_text: std::sync::Arc::from(text),
            line_start: from,
        });
        joined.push_str(part);
    }
    let shielded = shielded_ranges(&joined);
    let mut owner = None;
    let mut due = None;
    let mut kept: Vec<&str> = Vec::new();
    let mut next_range = 0;
    for (offset, word) in words(&joined) {
        // Words come in order and the ranges are disjoint and sorted: one pass over both.
        while shielded.get(next_range).is_some_and(|r| r.end <= offset) {
            next_range += 1;
        }
        let inside = shielded
            .get(next_range)
            .is_some_and(|r| r.contains(&offset));
        if !inside
            && owner.is_none()
            && let Some(found) = OWNER.captures(word)
        {
            owner = Some(found[1].to_string());
            continue;
        }
        if !inside
            && due.is_none()
            && word.len() > 4
            && word
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("due:"))
        {
            let place = locate(&segments, offset, word);
            let date = NaiveDate::parse_from_str(&word[4..], "%Y-%m-%d")
                .ok()
                .filter(|_| word.len() == 14);
            match date {
                Some(date) => due = Some((date, place)),
                None => {
                    return Err(BadDue {
                        location: place,
                        written: word.to_string(),
                    });
                }
            }
            continue;
        }
        kept.push(word);
    }
    let mut text = kept.join(" ");
    let (url, link_text) = link_of(&mut text);
    let (due, due_at) = due.unzip();
    Ok(ActionItem {
        text,
        done,
        owner,
        due,
        url,
        link_text,
        line: segments.first().map_or(0, |s| s.line),
        due_at: due_at.filter(|_| !done),
    })
}

/// The byte ranges of links and code spans in `text`, merged where they overlap, in order.
fn shielded_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = LINK
        .find_iter(text)
        .chain(CODE.find_iter(text))
        .map(|m| m.range())
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// The URL of the item: a trailing link labelled with one word (a ticket like `OPS-123`),
/// which is taken out of `text` with its label, or else the first link of the text, which
/// stays.
fn link_of(text: &mut String) -> (Option<String>, Option<String>) {
    let Some(found) = LINK.captures_iter(text).last() else {
        return (None, None);
    };
    let whole = found.get(0).expect("the whole match");
    if whole.end() == text.len() && !found[1].contains(char::is_whitespace) {
        let (label, url) = (found[1].to_string(), found[2].to_string());
        let start = whole.start();
        text.truncate(start);
        let trimmed = text
            .trim_end()
            .trim_end_matches(['-', '—', '–', ':', ','])
            .trim_end();
        text.truncate(trimmed.len());
        return (Some(url), Some(label));
    }
    let first = LINK.captures(text).map(|c| c[2].to_string());
    (first, None)
}

/// The words of `text` (split at whitespace) with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(from)) => {
                out.push((from, &text[from..at]));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    if let Some(from) = start {
        out.push((from, &text[from..]));
    }
    out
}

/// Where in the file the word at `offset` of the joined text is.
fn locate(segments: &[Segment], offset: usize, word: &str) -> Location {
    let segment = segments
        .iter()
        .rev()
        .find(|s| s.joined_start <= offset)
        .expect("the first segment starts at 0");
    let in_line = segment.line_start + offset - segment.joined_start;
    let column = segment.line_text[..in_line].chars().count() + 1;
    Location {
        line: segment.line,
        column,
        length: word.chars().count(),
        source_line: std::sync::Arc::clone(&segment.line_text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(line: &str) -> ActionItem {
        let (items, problems) = read_actions(&[(10, line)]);
        assert!(problems.is_empty(), "{problems:?}");
        items.into_iter().next().expect("one item")
    }

    #[test]
    fn an_item_gives_its_owner_due_date_and_trailing_link() {
        let item = one(
            "- [ ] Add a canary stage @maria due:2026-08-15 [OPS-123](https://tracker/OPS-123)",
        );
        assert_eq!(item.text, "Add a canary stage");
        assert!(!item.done);
        assert_eq!(item.owner.as_deref(), Some("maria"));
        assert_eq!(item.due, NaiveDate::from_ymd_opt(2026, 8, 15));
        assert_eq!(item.url.as_deref(), Some("https://tracker/OPS-123"));
        assert_eq!(item.link_text.as_deref(), Some("OPS-123"));
        let due_at = item.due_at.expect("a due word");
        assert_eq!((due_at.line, due_at.column, due_at.length), (10, 33, 14));
        let done = one("- [x] Add a canary stage @maria due:2026-08-15");
        assert_eq!(done.due, NaiveDate::from_ymd_opt(2026, 8, 15));
        assert_eq!(done.due_at, None, "a done item is never overdue");
    }

    #[test]
    fn a_link_inside_the_text_stays_and_gives_the_url() {
        let item = one("* [x] Fix [the retry loop](https://x.test/pr/9) in the worker (@li.wei).");
        assert!(item.done);
        assert_eq!(
            item.text,
            "Fix [the retry loop](https://x.test/pr/9) in the worker (@li.wei)."
        );
        assert_eq!(item.owner, None, "a mention in brackets is text");
        assert_eq!(item.url.as_deref(), Some("https://x.test/pr/9"));
        assert_eq!(item.link_text, None);
        let item = one("1. [X] Page the database team @li.wei, then close");
        assert_eq!(item.owner.as_deref(), Some("li.wei"));
        assert_eq!(item.text, "Page the database team then close");
    }

    #[test]
    fn mentions_and_due_words_in_code_or_links_are_text_and_emails_are_not_owners() {
        let item =
            one("- [ ] Document `due:soon` and mail ops@example.org [@team page](https://t/)");
        assert_eq!(item.owner, None);
        assert_eq!(item.due, None);
        assert_eq!(
            item.text, "Document `due:soon` and mail ops@example.org [@team page](https://t/)",
            "a trailing link of several words stays in the text"
        );
        assert_eq!(item.url.as_deref(), Some("https://t/"));
    }

    #[test]
    fn indented_lines_continue_an_item_and_plain_items_are_not_tasks() {
        let lines = [
            (20, "- [ ] Move the queue to its own cluster,"),
            (21, "  before the sale @omar due:2027-01-10"),
            (22, "- Plain bullet, not a task"),
            (23, "- [x] Done one"),
        ];
        let (items, problems) = read_actions(&lines);
        assert!(problems.is_empty());
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].text,
            "Move the queue to its own cluster, before the sale"
        );
        assert_eq!(items[0].owner.as_deref(), Some("omar"));
        let due_at = items[0].due_at.clone().expect("a due word");
        assert_eq!((due_at.line, due_at.column, due_at.length), (21, 25, 14));
        assert_eq!(&*due_at.source_line, lines[1].1);
        assert_eq!((items[1].line, items[1].done), (23, true));
    }

    #[test]
    fn a_due_word_that_is_not_a_date_is_reported_where_it_is() {
        let (items, problems) = read_actions(&[(7, "- [ ] Rotate keys due:2026-02-30 @kim")]);
        assert!(items.is_empty());
        let place = &problems[0].location;
        assert_eq!((place.line, place.column, place.length), (7, 19, 14));
        assert_eq!(problems[0].written, "due:2026-02-30");
        let (_, problems) = read_actions(&[(7, "- [ ] Rotate keys due:next-week")]);
        assert_eq!(problems[0].written, "due:next-week");
        // Words that start with a wide character are text, not a due word cut in half.
        let item = one("- [ ] Prüfen dué:2026 ééééé @zoë");
        assert_eq!(
            (item.text.as_str(), item.due),
            ("Prüfen dué:2026 ééééé @zoë", None)
        );
    }
}
