//! What a postmortem body says, read from its usual outline: sections, the timeline, action items.
//!
//! Real postmortems follow a common outline (summary, impact, timeline, root cause, resolution,
//! action items, lessons) under many wordings: `## Issue Summary`, `Timeline:`, `### Corrective
//! and preventive measures`. Headings are classified by keywords, whatever their case; the
//! timeline section's lines become dated events. All of it is advisory: the front matter stays
//! the source of truth for every number, and the body only fills in `detected` when it is
//! missing.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::actions::{ActionItem, BadDue, NumberedLine, is_list_item, read_actions};
pub(crate) use super::event_line::month_number;
use super::event_line::{WrittenZone, parse_event_line};
use super::updates::{UpdateStatus, split_status};

/// The standard sections of a postmortem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Summary,
    Impact,
    Timeline,
    RootCause,
    Resolution,
    ActionItems,
    Lessons,
    Other,
}

/// Classifies a heading by its wording.
pub fn classify(heading: &str) -> SectionKind {
    let text = heading.trim().trim_end_matches(':').to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["timeline", "chronology", "sequence of events", "time line"]) {
        SectionKind::Timeline
    } else if has(&[
        "action item",
        "corrective",
        "preventive",
        "preventative",
        "follow-up",
        "follow up",
        "next steps",
        "remediation items",
    ]) {
        SectionKind::ActionItems
    } else if has(&[
        "root cause",
        "contributing factor",
        "cause",
        "what went wrong technically",
    ]) {
        SectionKind::RootCause
    } else if has(&[
        "lesson",
        "learning",
        "what went well",
        "what went wrong",
        "where we got lucky",
        "takeaway",
    ]) {
        SectionKind::Lessons
    } else if has(&[
        "resolution",
        "recovery",
        "mitigation",
        "how we fixed",
        "fix",
    ]) {
        SectionKind::Resolution
    } else if has(&["impact", "affected", "customer effect"]) {
        SectionKind::Impact
    } else if has(&[
        "summary",
        "overview",
        "tl;dr",
        "what happened",
        "description",
    ]) {
        SectionKind::Summary
    } else {
        SectionKind::Other
    }
}

/// A heading of the body: a Markdown `#` heading, or a short line like `Timeline:` that names a
/// standard section.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Heading {
    kind: SectionKind,
    /// 0-based line in the body.
    line: usize,
}

fn headings(lines: &[&str]) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut in_code = false;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let text = if let Some(rest) = trimmed.strip_prefix('#') {
            rest.trim_start_matches('#').trim()
        } else {
            let list_item = ["- ", "* ", "+ ", "• ", "|"]
                .iter()
                .any(|m| trimmed.starts_with(m));
            let unbolded = trimmed.trim_matches(['*', '_']).trim();
            if list_item || !unbolded.ends_with(':') || unbolded.len() > 60 {
                continue;
            }
            let plain = unbolded
                .trim_end_matches(':')
                .trim_matches(['*', '_'])
                .trim();
            if classify(plain) == SectionKind::Other || parse_event_line(plain).is_some() {
                continue;
            }
            plain
        };
        out.push(Heading {
            kind: classify(text),
            line: index,
        });
    }
    out
}

/// How many action items the body lists, and how many are still open (`- [ ]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActionItems {
    pub total: usize,
    pub open: usize,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimelineEvent {
    pub at: DateTime<Utc>,
    pub text: String,
    /// 1-based line in the Markdown file.
    pub line: usize,
    /// Whether the line gave a date (otherwise the incident's start date was assumed).
    pub dated: bool,
    /// The state the line announces (`Resolved - ...`), which makes it a status update; `text`
    /// is then what follows the state.
    pub status: Option<UpdateStatus>,
}

/// What the body's outline gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub sections: Vec<SectionKind>,
    pub timeline: Vec<TimelineEvent>,
    pub action_items: ActionItems,
    /// The task-list items of the action-items section, parsed.
    pub actions: Vec<ActionItem>,
    /// `due:` words of those items that are not dates.
    pub bad_due: Vec<BadDue>,
    /// Timeline lines that went backwards in time (1-based file lines).
    pub out_of_order: Vec<usize>,
}

/// Reads the outline of `body`, whose first line is line `body_line` of the file. Times without
/// a date take the local date of `start` in `zone` and roll over to the next day when the clock
/// goes back by more than six hours (23:30, then 00:10).
pub fn read_outline(body: &str, body_line: usize, start: DateTime<Utc>, zone: Tz) -> Outline {
    let lines: Vec<&str> = body.lines().collect();
    let found = headings(&lines);
    let mut outline = Outline {
        sections: found.iter().map(|h| h.kind).collect(),
        ..Outline::default()
    };
    for (index, heading) in found.iter().enumerate() {
        let end = found.get(index + 1).map_or(lines.len(), |next| next.line);
        let body_lines = &lines[heading.line + 1..end];
        match heading.kind {
            SectionKind::Timeline => read_timeline(
                body_lines,
                heading.line + 1 + body_line,
                start,
                zone,
                &mut outline,
            ),
            SectionKind::ActionItems => {
                for line in body_lines {
                    if is_list_item(line) {
                        outline.action_items.total += 1;
                        if line.contains("[ ]") {
                            outline.action_items.open += 1;
                        }
                    }
                }
                let first = heading.line + 1 + body_line;
                let numbered: Vec<NumberedLine<'_>> = body_lines
                    .iter()
                    .enumerate()
                    .map(|(offset, line)| (first + offset, *line))
                    .collect();
                let (items, bad) = read_actions(&numbered);
                outline.actions.extend(items);
                outline.bad_due.extend(bad);
            }
            _ => {}
        }
    }
    // Kept for the whole build, for every incident: no room to grow (a growing list doubles;
    // 100,000 timelines of ten events held 60 % more than they needed).
    outline.timeline.shrink_to_fit();
    outline.actions.shrink_to_fit();
    outline
}

fn read_timeline(
    lines: &[&str],
    first_line: usize,
    start: DateTime<Utc>,
    zone: Tz,
    outline: &mut Outline,
) {
    let start_date = start.with_timezone(&zone).date_naive();
    let mut day = start_date;
    let mut previous: Option<DateTime<Utc>> = None;
    let mut in_code = false;
    for (offset, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let Some(parsed) = parse_event_line(line) else {
            continue;
        };
        let file_line = first_line + offset;
        let date = parsed.date.unwrap_or(day);
        let Some(mut at) = to_utc(date, parsed.time, &parsed.zone, zone) else {
            continue;
        };
        if parsed.date.is_none()
            && let Some(before) = previous
            && at < before
        {
            if before - at > Duration::hours(6) {
                day = day.succ_opt().unwrap_or(day);
                at = to_utc(day, parsed.time, &parsed.zone, zone).unwrap_or(at);
            } else {
                outline.out_of_order.push(file_line);
            }
        } else if parsed.date.is_some() && previous.is_some_and(|before| at < before) {
            outline.out_of_order.push(file_line);
        }
        if let Some(date) = parsed.date {
            day = date;
        }
        previous = Some(at);
        let (status, text) = split_status(&parsed.text);
        outline.timeline.push(TimelineEvent {
            at,
            text: text.to_string(),
            line: file_line,
            dated: parsed.date.is_some(),
            status,
        });
    }
}

fn to_utc(
    date: NaiveDate,
    time: NaiveTime,
    written: &WrittenZone,
    zone: Tz,
) -> Option<DateTime<Utc>> {
    let naive = date.and_time(time);
    match written {
        WrittenZone::Fixed(offset) => offset
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.with_timezone(&Utc)),
        WrittenZone::Local(label) => match zone.from_local_datetime(&naive) {
            chrono::LocalResult::Ambiguous(first, second) => {
                let named = |t: &DateTime<Tz>| {
                    label.as_deref() == Some(t.format("%Z").to_string().as_str())
                };
                Some(if named(&second) { second } else { first }.with_timezone(&Utc))
            }
            other => other.earliest().map(|t| t.with_timezone(&Utc)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn times_roll_over_midnight_and_out_of_order_lines_are_found() {
        let body = "## Timeline (all times Europe/Berlin)\n\n- 23:30 — deploy\n- 23:50 — alerts fired\n- 00:10 — rollback\n- 00:05 — typo line\n- 1:30 AM: resolved\n";
        let outline = read_outline(
            body,
            10,
            at("2024-05-06T21:30:00Z"),
            chrono_tz::Europe::Berlin,
        );
        let times: Vec<String> = outline.timeline.iter().map(|e| e.at.to_rfc3339()).collect();
        assert_eq!(
            times,
            [
                "2024-05-06T21:30:00+00:00",
                "2024-05-06T21:50:00+00:00",
                "2024-05-06T22:10:00+00:00",
                "2024-05-06T22:05:00+00:00",
                "2024-05-06T23:30:00+00:00"
            ]
        );
        assert_eq!(
            outline.timeline[0].line, 12,
            "file line = body line + index in the body"
        );
        assert_eq!(outline.out_of_order, [15]);
    }

    #[test]
    fn a_zone_abbreviation_picks_the_hour_that_happens_twice() {
        let body = "## Timeline\n- 02:15 CEST: first\n- 02:15 CET: second\n- 02:45 CET: third\n";
        let outline = read_outline(
            body,
            1,
            at("2025-10-26T00:00:00Z"),
            chrono_tz::Europe::Berlin,
        );
        let times: Vec<String> = outline.timeline.iter().map(|e| e.at.to_rfc3339()).collect();
        assert_eq!(
            times,
            [
                "2025-10-26T00:15:00+00:00",
                "2025-10-26T01:15:00+00:00",
                "2025-10-26T01:45:00+00:00"
            ]
        );
        assert!(outline.out_of_order.is_empty());
        assert_eq!(outline.timeline[1].text, "second");
    }

    #[test]
    fn sections_are_recognised_whatever_their_wording() {
        let body = "# Issue Summary\ntext\n\nTimeline:\n10:00 AM: start\n\n### Root Cause and Resolution\nx\n## Corrective and Preventative Measures\n- [x] done\n- [ ] open one\n1. numbered\n\n**Lessons learned:**\n- be careful\n";
        let outline = read_outline(body, 1, at("2024-01-01T09:00:00Z"), Tz::UTC);
        assert_eq!(
            outline.sections,
            [
                SectionKind::Summary,
                SectionKind::Timeline,
                SectionKind::RootCause,
                SectionKind::ActionItems,
                SectionKind::Lessons
            ]
        );
        assert_eq!(outline.action_items, ActionItems { total: 3, open: 1 });
        assert_eq!(outline.timeline.len(), 1);
        assert_eq!(outline.timeline[0].at, at("2024-01-01T10:00:00Z"));
    }
}
