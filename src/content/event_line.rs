//! One line of a postmortem's timeline, read: `10:15 PM: Alerts fired`, `- **22:40** — routes
//! withdrawn`, `June 3rd, 2024, 2:00 AM (UTC): restored`, `| 22:15 | Config v42 rolled out |`.
//! A line gives a time, and may give a date before it and a zone after it; `outline.rs` places
//! the lines in time.

use std::sync::LazyLock;

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use regex::{Captures, Regex};

use super::actions::ITEM_NUMBER;

/// A time written in a line: in the incident's zone (maybe with an abbreviation such as `CET`,
/// which picks the right hour when a local time happens twice), in UTC, or at a fixed offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WrittenZone {
    Local(Option<String>),
    Fixed(FixedOffset),
}

/// One timeline line read: the date if it gives one, the time, the zone and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EventLine {
    pub date: Option<NaiveDate>,
    pub time: NaiveTime,
    pub zone: WrittenZone,
    pub text: String,
}

/// What a timeline line starts with: an optional date, the time, an optional zone and an
/// optional separator. The event's words follow.
const PREFIX: &str = r"(?xi)^
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
        \s*(?:[:|\-–—]+\s*)?";

/// A whole timeline line: the prefix, then the words (`text`), which must not be empty.
static EVENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("{PREFIX}\n(?P<text>\\S.*)$")).expect("valid regex"));

/// The prefix alone (see [`event_parts`]).
static EVENT_PREFIX: LazyLock<Regex> = LazyLock::new(|| Regex::new(PREFIX).expect("valid regex"));

/// The parts of a timeline line and its words. The prefix is matched alone first: capturing
/// groups over the whole line, whose words run to its end, cost 1.7 times as much on the
/// generated benchmark site's timelines (callgrind). Where words
/// follow the prefix's match, the whole pattern matches the same way (its words start with the
/// first character the prefix leaves, never a space); where nothing follows, the whole pattern
/// may still match with a shorter prefix (`14:05 UTC` is the time and the words `UTC`), so it
/// decides.
fn event_parts(line: &str) -> Option<(Captures<'_>, &str)> {
    let caps = EVENT_PREFIX.captures(line)?;
    let end = caps.get(0)?.end();
    if end < line.len() {
        return Some((caps, &line[end..]));
    }
    let caps = EVENT.captures(line)?;
    let text = caps.name("text")?.as_str();
    Some((caps, text))
}

/// Reads one timeline line: list markers, bold and table pipes around it are allowed.
pub(super) fn parse_event_line(line: &str) -> Option<EventLine> {
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
    let (caps, text) = event_parts(&stripped)?;
    let time = event_time(&caps)?;
    let date = event_date(&caps)?;
    let zone = event_zone(&caps)?;
    let text = text
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
fn event_time(caps: &Captures<'_>) -> Option<NaiveTime> {
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
fn event_date(caps: &Captures<'_>) -> Option<Option<NaiveDate>> {
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
fn event_zone(caps: &Captures<'_>) -> Option<WrittenZone> {
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

    /// The parts and words the whole pattern alone finds, for comparing with [`event_parts`].
    fn by_the_whole_pattern(line: &str) -> Option<(Option<NaiveTime>, String, String)> {
        let caps = EVENT.captures(line)?;
        let zone = format!("{:?}", event_zone(&caps));
        Some((event_time(&caps), zone, caps["text"].to_string()))
    }

    #[test]
    fn the_prefix_first_reads_every_line_as_the_whole_pattern_does() {
        for line in [
            "10:15 PM: Alerts fired",
            "14:05 UTC",
            "14:05 UTC ",
            "14:05 PST",
            "14:05 (UTC) - ",
            "14:05 -",
            "2pm",
            "2 pm — paged",
            "2024-06-03 02:00 UTC — restored",
            "June 3rd, 2024, 2:00 AM (CEST): restored",
            "3 March 2024 21:30 — paged",
            "2024 outage",
            "09:00 AM - Rollback started",
            "12:00+02:00 failover",
            "12:00 +0200",
            "9 AM",
            "We fixed it.",
            "",
        ] {
            let fast = event_parts(line).map(|(caps, text)| {
                let zone = format!("{:?}", event_zone(&caps));
                (event_time(&caps), zone, text.to_string())
            });
            assert_eq!(fast, by_the_whole_pattern(line), "{line:?}");
        }
    }

    #[test]
    fn the_prefix_first_reads_every_line_of_the_demo_as_the_whole_pattern_does() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut lines = 0;
        for entry in walkdir::WalkDir::new(content) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let line = line.trim_start_matches(['-', '*', ' ']);
                let fast = event_parts(line).map(|(caps, text)| {
                    let zone = format!("{:?}", event_zone(&caps));
                    (event_time(&caps), zone, text.to_string())
                });
                assert_eq!(
                    fast,
                    by_the_whole_pattern(line),
                    "{}: {line:?}",
                    path.display()
                );
                lines += 1;
            }
        }
        assert!(lines > 500, "the demo has {lines} lines");
    }
}
