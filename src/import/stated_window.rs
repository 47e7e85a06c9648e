//! The impact window a resolution or postmortem states in words: "On July 25, 2026, between
//! 09:07 and 10:04 UTC, ...". Statuspage updates are posted after the fact (impact usually
//! begins before the first "Investigating" and ends before "Resolved"), so such a sentence is
//! the better start and end, but only when it agrees with the update times; one that is more
//! than a day away is reported, not trusted.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use regex::Regex;

use crate::content::outline::month_number;

/// "On July 25, 2026, between 09:07 and 10:04 UTC", "On September 26, 2025 between 16:22 UTC
/// and 18:32 UTC", "on 3 March 2026 from 10:00 to 10:40 UTC".
static WINDOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\bon\s+
        (?: (?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)? | (?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>[a-z]{3,9})\.? )
        ,?\s+(?P<year>\d{4}),?\s+
        (?:between|from)\s+(?P<h1>\d{1,2}):(?P<m1>\d{2})(?:\s*UTC)?\s+
        (?:and|to|until)\s+(?P<h2>\d{1,2}):(?P<m2>\d{2})\s*UTC\b",
    )
    .expect("valid regex")
});

/// The first window `text` states, in UTC; an end before the start is on the next day.
pub fn stated_window(text: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let caps = WINDOW.captures(text)?;
    let month = month_number(caps.name("month").or(caps.name("month2"))?.as_str())?;
    let day: u32 = caps
        .name("day")
        .or(caps.name("day2"))?
        .as_str()
        .parse()
        .ok()?;
    let date = NaiveDate::from_ymd_opt(caps["year"].parse().ok()?, month, day)?;
    let time = |h: &str, m: &str| date.and_hms_opt(caps[h].parse().ok()?, caps[m].parse().ok()?, 0);
    let start = time("h1", "m1")?.and_utc();
    let mut end = time("h2", "m2")?.and_utc();
    if end <= start {
        end += Duration::days(1);
    }
    Some((start, end))
}

/// Whether a stated window agrees with the updates: its start at most a day before (or after)
/// the first update, its end at most a day from the resolution.
pub fn agrees(
    window: (DateTime<Utc>, DateTime<Utc>),
    first_update: DateTime<Utc>,
    resolved: Option<DateTime<Utc>>,
) -> bool {
    let near = |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).abs() <= Duration::days(1);
    near(window.0, first_update) && resolved.is_none_or(|end| near(window.1, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn windows_in_the_words_status_pages_use() {
        assert_eq!(
            stated_window("On July 25, 2026, between 09:07 and 10:04 UTC, the models degraded."),
            Some((at("2026-07-25T09:07:00Z"), at("2026-07-25T10:04:00Z")))
        );
        assert_eq!(
            stated_window(
                "On September 26, 2025 between 16:22 UTC and 18:32 UTC raw file access was degraded"
            ),
            Some((at("2025-09-26T16:22:00Z"), at("2025-09-26T18:32:00Z")))
        );
        assert_eq!(
            stated_window("on 3 March 2026 from 23:40 to 00:20 UTC"),
            Some((at("2026-03-03T23:40:00Z"), at("2026-03-04T00:20:00Z"))),
            "past midnight"
        );
        assert_eq!(stated_window("This incident has been resolved."), None);
        assert_eq!(
            stated_window("between 09:07 and 10:04 UTC"),
            None,
            "no date"
        );
    }

    #[test]
    fn a_window_agrees_only_within_a_day_of_the_updates() {
        let window = (at("2026-07-25T09:07:00Z"), at("2026-07-25T10:04:00Z"));
        assert!(agrees(
            window,
            at("2026-07-25T09:42:00Z"),
            Some(at("2026-07-25T10:11:00Z"))
        ));
        assert!(!agrees(window, at("2026-07-27T09:42:00Z"), None));
        assert!(!agrees(
            window,
            at("2026-07-25T09:42:00Z"),
            Some(at("2026-07-28T10:11:00Z"))
        ));
    }
}
