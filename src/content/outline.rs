//! What a postmortem body says, read from its usual outline: sections, the timeline, action items.
//!
//! Real postmortems follow a common outline (summary, impact, timeline, root cause, resolution,
//! action items, lessons) under many wordings: `## Issue Summary`, `Timeline:`, `### Corrective
//! and preventive measures`. Headings are classified by keywords, whatever their case; the
//! timeline section's lines become dated events. All of it is advisory: the front matter stays
//! the source of truth for every number, and the body only fills in `detected` when it is
//! missing.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;

use super::actions::{ActionItem, BadDue, ITEM_NUMBER, NumberedLine, is_list_item, read_actions};
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ActionItems {
    pub total: usize,
    pub open: usize,
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// A time written in a line: in the incident's zone (maybe with an abbreviation such as `CET`,
/// which picks the right hour when a local time happens twice), in UTC, or at a fixed offset.
#[derive(Debug, Clone, PartialEq, Eq)]
enum WrittenZone {
    Local(Option<String>),
    Fixed(FixedOffset),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EventLine {
    date: Option<NaiveDate>,
    time: NaiveTime,
    zone: WrittenZone,
    text: String,
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

static EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^
        (?:
          (?P<iso>\d{4}-\d{2}-\d{2})
          | (?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})
          | (?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>[a-z]{3,9})\.?,?\s+(?P<year2>\d{4})
        )?
        (?:[,\s]+(?:at\s+)?|T)?
        (?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?(?::(?P<second>\d{2}))?
        \s*(?P<ampm>[ap]\.?\s?m\.?)?
        \s*(?P<zone>\(\s*(?:utc|gmt|z)\s*\)|\b(?:utc|gmt)\b|z\b|[+-]\d{2}:?\d{2}\b)?
        \s*(?P<label>\(?(?-i:CET|CEST|EET|EEST|WET|WEST|BST|IST|PST|PDT|MST|MDT|CST|CDT|EST|EDT|AEST|AEDT|JST|KST|HKT|SGT|NZST|NZDT|EAT|WAT|CAT)\b\)?)?
        \s*(?:[:|\-–—]+\s*)?
        (?P<text>\S.*)$",
    )
    .expect("valid regex")
});

/// Reads one timeline line: list markers, bold and table pipes around it are allowed.
fn parse_event_line(line: &str) -> Option<EventLine> {
    let mut text = line.trim().to_string();
    if text.starts_with('|') {
        if text.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            return None;
        }
        let cells: Vec<&str> = text.trim_matches('|').split('|').map(str::trim).collect();
        text = cells.join(" | ");
    }
    let stripped = text.trim_start();
    let stripped = ["- ", "* ", "+ ", "•", "·"]
        .iter()
        .find_map(|marker| stripped.strip_prefix(marker))
        .unwrap_or(stripped)
        .trim_start();
    let stripped = ITEM_NUMBER
        .find(stripped)
        .map_or(stripped, |m| &stripped[m.end()..]);
    let stripped = unbold_leading(stripped);
    let caps = EVENT.captures(&stripped)?;
    let time = event_time(&caps)?;
    let date = event_date(&caps)?;
    let zone = event_zone(&caps)?;
    let text = caps["text"]
        .trim()
        .trim_start_matches([':', '-', '–', '—', '|', ' '])
        .trim()
        .to_string();
    (!text.is_empty()).then_some(EventLine {
        date,
        time,
        zone,
        text,
    })
}

/// The line without the bold or italic markers around its start (`**10:15 PM:** text`);
/// emphasis later in the text is the author's and stays.
fn unbold_leading(text: &str) -> String {
    for marker in ["**", "__", "*", "_"] {
        if let Some(rest) = text.strip_prefix(marker)
            && let Some((bold, after)) = rest.split_once(marker)
        {
            return format!("{bold}{after}");
        }
    }
    text.to_string()
}

/// The time of day: `14:05`, `14:05:30`, `2pm`, `2:05 p.m.` (a bare hour needs am or pm).
fn event_time(caps: &regex::Captures<'_>) -> Option<NaiveTime> {
    let hour: u32 = caps["hour"].parse().ok()?;
    let minute: u32 = caps
        .name("minute")
        .map_or(Some(0), |m| m.as_str().parse().ok())?;
    let second: u32 = caps
        .name("second")
        .map_or(Some(0), |m| m.as_str().parse().ok())?;
    let ampm = caps
        .name("ampm")
        .map(|m| m.as_str().to_lowercase().replace(['.', ' '], ""));
    if caps.name("minute").is_none() && ampm.is_none() {
        return None;
    }
    let hour = match ampm.as_deref() {
        Some("am") if (1..=12).contains(&hour) => hour % 12,
        Some("pm") if (1..=12).contains(&hour) => hour % 12 + 12,
        Some(_) => return None,
        None => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second.min(59))
}

/// The date written before the time, if any: `Some(None)` when there is none, `None` when one
/// is written but is not a real date.
fn event_date(caps: &regex::Captures<'_>) -> Option<Option<NaiveDate>> {
    if let Some(iso) = caps.name("iso") {
        return NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d")
            .ok()
            .map(Some);
    }
    let Some(month) = caps.name("month").or(caps.name("month2")) else {
        return Some(None);
    };
    let day: u32 = caps
        .name("day")
        .or(caps.name("day2"))?
        .as_str()
        .parse()
        .ok()?;
    let year: i32 = caps
        .name("year")
        .or(caps.name("year2"))?
        .as_str()
        .parse()
        .ok()?;
    NaiveDate::from_ymd_opt(year, month_number(month.as_str())?, day).map(Some)
}

/// The zone written after the time: UTC, an offset, or a local label like `PDT` (or none).
fn event_zone(caps: &regex::Captures<'_>) -> Option<WrittenZone> {
    let label = caps
        .name("label")
        .map(|l| l.as_str().trim_matches(['(', ')']).to_string());
    let zone = match caps
        .name("zone")
        .map(|z| z.as_str().trim_matches(['(', ')', ' ']).to_lowercase())
    {
        None => WrittenZone::Local(label),
        Some(z) if z == "utc" || z == "gmt" || z == "z" => {
            WrittenZone::Fixed(FixedOffset::east_opt(0)?)
        }
        Some(offset) => {
            let digits: String = offset.chars().filter(char::is_ascii_digit).collect();
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let seconds =
                digits[..2].parse::<i32>().ok()? * 3600 + digits[2..].parse::<i32>().ok()? * 60;
            WrittenZone::Fixed(FixedOffset::east_opt(sign * seconds)?)
        }
    };
    Some(zone)
}

/// The month a name or abbreviation stands for (`Jan`, `january`, `Sept`), 1 to 12.
pub(crate) fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_lowercase();
    let position = MONTHS.iter().position(|m| lower.starts_with(m))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (lower.len() == 3 || full[position].starts_with(&lower) || lower == "sept")
        .then_some(position as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn event(line: &str) -> Option<(Option<NaiveDate>, NaiveTime, String)> {
        parse_event_line(line).map(|e| (e.date, e.time, e.text))
    }

    #[test]
    fn reads_every_documented_line_shape() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let d = |y, m, day| Some(NaiveDate::from_ymd_opt(y, m, day).unwrap());
        assert_eq!(
            event("10:15 PM: Alerts fired for elevated login errors."),
            Some((
                None,
                t(22, 15),
                "Alerts fired for elevated login errors.".into()
            ))
        );
        assert_eq!(
            event("- **10:15 PM:** Alerts fired for elevated login errors."),
            Some((
                None,
                t(22, 15),
                "Alerts fired for elevated login errors.".into()
            ))
        );
        assert_eq!(
            event("• 08:05 AM: The on-call engineer was paged."),
            Some((None, t(8, 5), "The on-call engineer was paged.".into()))
        );
        assert_eq!(
            event("09:00 AM - Rollback started"),
            Some((None, t(9, 0), "Rollback started".into()))
        );
        assert_eq!(
            event("June 3rd, 2024, 2:00 AM (UTC): Service fully restored."),
            Some((d(2024, 6, 3), t(2, 0), "Service fully restored.".into()))
        );
        assert_eq!(
            event("June 3rd, 2024, 2:00 AM (CEST): Service fully restored."),
            Some((d(2024, 6, 3), t(2, 0), "Service fully restored.".into())),
            "the zone's closing parenthesis is not part of the text"
        );
        assert_eq!(
            event("2024-06-03 02:00 UTC — Service fully restored."),
            Some((d(2024, 6, 3), t(2, 0), "Service fully restored.".into()))
        );
        assert_eq!(
            event("| 22:15 | Config v42 rolled out |"),
            Some((None, t(22, 15), "Config v42 rolled out".into()))
        );
        assert_eq!(
            event("3 March 2024 21:30 — paged"),
            Some((d(2024, 3, 3), t(21, 30), "paged".into()))
        );
        assert_eq!(
            event("12:00 AM: midnight"),
            Some((None, t(0, 0), "midnight".into()))
        );
        assert_eq!(
            event("12:00 PM: noon"),
            Some((None, t(12, 0), "noon".into()))
        );
        assert_eq!(
            event("9 AM: standup"),
            Some((None, t(9, 0), "standup".into()))
        );
        assert_eq!(
            event("- 22:40 — routes withdrawn. **Impact begins.**"),
            Some((
                None,
                t(22, 40),
                "routes withdrawn. **Impact begins.**".into()
            )),
            "bold in the text is kept"
        );
        assert_eq!(
            event("**10:15 PM**: paged"),
            Some((None, t(22, 15), "paged".into()))
        );
        assert_eq!(
            event("1. 14:05 — first"),
            Some((None, t(14, 5), "first".into()))
        );
    }

    #[test]
    fn ignores_lines_that_are_not_events() {
        for line in [
            "",
            "|---|---|",
            "| Time | Event |",
            "We fixed it.",
            "3 engineers joined",
            "- 25:00: impossible",
            "13:00 PM: nonsense",
        ] {
            assert_eq!(event(line), None, "{line:?}");
        }
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
