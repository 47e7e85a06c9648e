//! Statuspage's history feeds (`/history.atom`, `/history.rss`), read into the same incidents
//! as the API export.
//!
//! A feed entry is one incident: its title, a link to its page, and an HTML body that lists the
//! updates newest first, each as a date line and a state line
//! (`<small>Aug <var>21</var>, <var>00:37</var> UTC</small><br><strong>Resolved</strong> - ...`).
//! Maintenance opens with `THIS IS A SCHEDULED EVENT Aug 21, 01:00 - 03:00 UTC`; some pages add
//! `This incident affected: Actions and Pages.`, and the incident pages themselves put the date
//! after the update (`Posted Aug 18, 2026 - 10:23 UTC`). The feed is parsed with feed-rs and the
//! HTML turned into Markdown text with html2text; only the short date, state and "affected"
//! lines of that text are then read.
//!
//! The dates of the updates have no year: it is the year of the entry's `published` time, or the
//! one before when that would put the update days after the entry was published. A time in a
//! zone abbreviation (`PDT`) is read only when it is the site zone's abbreviation at that time.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;

use super::Draft;
use super::markdown_text::html_to_markdown;
use super::statuspage::{Component, FEED_FIELDS, Incident, Update, draft_of};
use crate::config::Config;
use crate::content::outline::month_number;
use crate::content::updates::UpdateStatus;

/// Every entry of a Statuspage history feed as `(label, draft)`, oldest first, or why the
/// input is not read.
pub fn drafts(text: &str, config: &Config) -> Result<Vec<(String, Draft)>, String> {
    let feed = feed_rs::parser::parse(text.as_bytes()).map_err(|err| {
        format!("an XML document, but not a feed that parses ({err}); nothing was written")
    })?;
    let mut out = Vec::new();
    for (index, entry) in feed.entries.iter().enumerate() {
        let label = format!("entries[{index}]");
        let html = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let anchor = entry.published.or(entry.updated);
        let mut notes = Vec::new();
        let read = read_entry(
            &html_to_markdown(&html),
            anchor,
            config.timezone,
            &mut notes,
        );
        if read.updates.is_empty() {
            continue;
        }
        let maintenance = read.scheduled.is_some();
        let incident = Incident {
            name: entry
                .title
                .as_ref()
                .map(|t| t.content.trim().to_string())
                .unwrap_or_default(),
            status: read
                .updates
                .first()
                .map(|u| u.status.clone())
                .unwrap_or_default(),
            shortlink: entry.links.first().map(|l| l.href.clone()),
            scheduled_for: read.scheduled.map(|(from, _)| from.to_rfc3339()),
            scheduled_until: read.scheduled.map(|(_, to)| to.to_rfc3339()),
            incident_updates: read.updates,
            components: read
                .affected
                .into_iter()
                .map(|name| Component { name })
                .collect(),
            fields: &FEED_FIELDS,
            ..Incident::default()
        };
        let mut draft = draft_of(&incident, &label, maintenance, config);
        draft.notes.extend(notes);
        out.push((label, draft));
    }
    if out.is_empty() {
        return Err("a feed, but not a Statuspage history feed: no entry holds status updates (a date line, then \"Resolved - ...\"); nothing was written".into());
    }
    out.sort_by_key(|(_, d)| d.start.as_ref().map(|(at, _)| *at));
    Ok(out)
}

/// What one entry's text gave.
#[derive(Debug, Default, PartialEq)]
struct Entry {
    /// Newest first, as the feed lists them.
    updates: Vec<Update>,
    affected: Vec<String>,
    scheduled: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

const MONTH: &str = r"(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})";
const CLOCK: &str = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})";
const ZONE: &str = r"(?P<zone>[A-Z]{2,5}|[+-]\d{2}:?\d{2})";

/// `Aug 21, 00:37 UTC` or `Posted Aug 18, 2026 - 10:23 UTC`, alone on its line.
static UPDATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:\*\*)?(?P<posted>Posted\s+)?{MONTH}\s*,\s*(?:(?P<year>\d{{4}})\s*[,-]?\s*)?{CLOCK}\s*{ZONE}(?:\*\*)?$"
    ))
    .expect("valid regex")
});

/// A state in bold or as a heading, then the update's first text: `**Resolved** - ...`.
static STATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*(?P<bold>[A-Za-z][A-Za-z ]{2,20})\*\*\s*(?:[-–—:]\s*(?P<text>.*))?|#{1,6}\s+(?P<heading>[A-Za-z][A-Za-z ]{2,20}))$")
        .expect("valid regex")
});

/// `THIS IS A SCHEDULED EVENT Aug 21, 01:00 - 03:00 UTC`, maybe ending on another day.
static SCHEDULED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:\*\*)?this is a scheduled event\s+(?P<from>.+?)\s+-\s+(?P<to>.+?)(?:\*\*)?$",
    )
    .expect("valid regex")
});

static AFFECTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^This (?:incident|scheduled maintenance) affected:\s*(?P<list>.+?)\.?$")
        .expect("valid regex")
});

/// A date and time without the `Posted` and the line anchors: `Aug 21, 01:00 UTC`,
/// `Aug 21, 01:00`.
static MOMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:{MONTH}\s*,\s*(?:(?P<year>\d{{4}})\s*[,-]?\s*)?)?{CLOCK}(?:\s*{ZONE})?$"
    ))
    .expect("valid regex")
});

/// Reads the updates, the affected components and the maintenance window out of one entry's
/// text. `anchor` (when the entry was published) gives the year.
fn read_entry(
    text: &str,
    anchor: Option<DateTime<Utc>>,
    zone: Tz,
    notes: &mut Vec<String>,
) -> Entry {
    let mut entry = Entry::default();
    // An update whose time is still to come (the incident page's "Posted" follows the text).
    let mut pending_time: Option<Option<DateTime<Utc>>> = None;
    let mut body: Vec<String> = Vec::new();
    let mut current: Option<(Option<DateTime<Utc>>, String)> = None;
    let finish = |current: &mut Option<(Option<DateTime<Utc>>, String)>,
                  body: &mut Vec<String>,
                  updates: &mut Vec<Update>| {
        if let Some((at, status)) = current.take() {
            updates.push(Update {
                status,
                body: Some(body.join("\n").trim().to_string()),
                display_at: at.map(|t| t.to_rfc3339()),
                created_at: None,
                affected_components: Vec::new(),
            });
        }
        body.clear();
    };
    for line in text.lines().map(str::trim) {
        if let Some(caps) = UPDATE_TIME.captures(line) {
            let at = moment_at(&caps, anchor, zone, notes);
            if caps.name("posted").is_some() {
                if let Some((time, _)) = current.as_mut() {
                    *time = at;
                    finish(&mut current, &mut body, &mut entry.updates);
                }
            } else {
                finish(&mut current, &mut body, &mut entry.updates);
                pending_time = Some(at);
            }
        } else if let Some(caps) = SCHEDULED.captures(line) {
            entry.scheduled = scheduled_window(&caps, anchor, zone, notes);
        } else if let Some(caps) = AFFECTED.captures(line) {
            entry.affected = affected_list(&caps["list"]);
        } else if let Some((status, first)) = state_line(line) {
            if pending_time.is_none() {
                finish(&mut current, &mut body, &mut entry.updates);
            }
            current = Some((pending_time.take().flatten(), status));
            body.push(first);
        } else if current.is_some() {
            body.push(line.to_string());
        }
    }
    finish(&mut current, &mut body, &mut entry.updates);
    entry
}

/// The state key and first text of a state line (`**In progress** - ...` is `in_progress`).
fn state_line(line: &str) -> Option<(String, String)> {
    let caps = STATE.captures(line)?;
    let word = caps.name("bold").or(caps.name("heading"))?.as_str().trim();
    let key = match UpdateStatus::from_word(word) {
        Some(status) => status.key().to_string(),
        None if word.eq_ignore_ascii_case("postmortem") => "postmortem".to_string(),
        None => return None,
    };
    let text = caps.name("text").map_or("", |t| t.as_str()).trim();
    Some((key, text.to_string()))
}

/// `A, B, and C` or `A and B` as names.
fn affected_list(list: &str) -> Vec<String> {
    let parts: Vec<&str> = if list.contains(',') {
        list.split(',').collect()
    } else {
        list.split(" and ").collect()
    };
    parts
        .into_iter()
        .map(|p| p.trim().trim_start_matches("and ").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn scheduled_window(
    caps: &regex::Captures<'_>,
    anchor: Option<DateTime<Utc>>,
    zone: Tz,
    notes: &mut Vec<String>,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let to = MOMENT.captures(caps["to"].trim())?;
    let from = MOMENT.captures(caps["from"].trim().trim_end_matches(','))?;
    // The zone is written once, at the end; the end's date is the start's unless it has one.
    let zone_of_to = to.name("zone").map(|z| z.as_str().to_string());
    let start = moment_parts(&from, None, zone_of_to.as_deref(), anchor, zone, notes)?;
    let end = moment_parts(&to, Some(start), zone_of_to.as_deref(), anchor, zone, notes)?;
    (end > start).then_some((start, end))
}

fn moment_at(
    caps: &regex::Captures<'_>,
    anchor: Option<DateTime<Utc>>,
    zone: Tz,
    notes: &mut Vec<String>,
) -> Option<DateTime<Utc>> {
    moment_parts(caps, None, None, anchor, zone, notes)
}

/// One written moment in UTC: its own date, else `same_day_as`'s; its own zone, else
/// `zone_written`; the year from `anchor` when it has none.
fn moment_parts(
    caps: &regex::Captures<'_>,
    same_day_as: Option<DateTime<Utc>>,
    zone_written: Option<&str>,
    anchor: Option<DateTime<Utc>>,
    zone: Tz,
    notes: &mut Vec<String>,
) -> Option<DateTime<Utc>> {
    let hour: u32 = caps["hour"].parse().ok()?;
    let minute: u32 = caps["minute"].parse().ok()?;
    let written = caps
        .name("zone")
        .map(|z| z.as_str())
        .or(zone_written)
        .unwrap_or("UTC");
    let date = match (caps.name("month"), same_day_as) {
        (Some(month), _) => {
            let month = month_number(month.as_str())?;
            let day: u32 = caps["day"].parse().ok()?;
            match caps.name("year").and_then(|y| y.as_str().parse().ok()) {
                Some(year) => NaiveDate::from_ymd_opt(year, month, day)?,
                None => year_from_anchor(month, day, anchor?)?,
            }
        }
        (None, Some(day)) => day.date_naive(),
        (None, None) => return None,
    };
    let naive = date.and_hms_opt(hour, minute, 0)?;
    let at = in_zone(naive, written, zone);
    if at.is_none() {
        notes.push(format!(
            "an update at {naive} {written} was left out: its zone is neither UTC, an offset, nor the site's zone ({zone}) at that time; set `timezone` in aftermath.toml to the page's zone and import again"
        ));
    }
    let start_of_window = same_day_as;
    match (at, start_of_window) {
        // A window that ends past midnight: "23:00 - 01:00".
        (Some(end), Some(start)) if caps.name("month").is_none() && end <= start => {
            Some(end + Duration::days(1))
        }
        (at, _) => at,
    }
}

/// The date `month`/`day` nearest before `anchor` (an update is never days after its entry was
/// published; allow two for clocks and zones).
fn year_from_anchor(month: u32, day: u32, anchor: DateTime<Utc>) -> Option<NaiveDate> {
    let limit = anchor.date_naive() + Duration::days(2);
    (0..=4)
        .filter_map(|back| NaiveDate::from_ymd_opt(anchor.year() - back, month, day))
        .find(|date| *date <= limit)
}

/// A wall-clock time written with `zone_written` (`UTC`, `+02:00`, or the site zone's
/// abbreviation at that time) in UTC; `None` for another abbreviation.
fn in_zone(
    naive: chrono::NaiveDateTime,
    zone_written: &str,
    site_zone: Tz,
) -> Option<DateTime<Utc>> {
    if matches!(zone_written, "UTC" | "GMT" | "Z") {
        return Some(Utc.from_utc_datetime(&naive));
    }
    if zone_written.starts_with(['+', '-']) {
        let digits: String = zone_written.chars().filter(char::is_ascii_digit).collect();
        let sign = if zone_written.starts_with('-') { -1 } else { 1 };
        let seconds = digits.get(..2)?.parse::<i32>().ok()? * 3600
            + digits.get(2..)?.parse::<i32>().ok()? * 60;
        let offset = FixedOffset::east_opt(sign * seconds)?;
        return offset
            .from_local_datetime(&naive)
            .single()
            .map(|t| t.with_timezone(&Utc));
    }
    let candidates = site_zone.from_local_datetime(&naive);
    [candidates.earliest(), candidates.latest()]
        .into_iter()
        .flatten()
        .find(|t| t.format("%Z").to_string() == zone_written)
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn read(text: &str, anchor: &str, zone: Tz) -> (Entry, Vec<String>) {
        let mut notes = Vec::new();
        let entry = read_entry(text, Some(at(anchor)), zone, &mut notes);
        (entry, notes)
    }

    #[test]
    fn feed_updates_are_read_with_their_states_and_years() {
        let text = "Jan 2, 00:10 UTC\n**Resolved** - This incident has been resolved.\n\n\
                    Dec 31, 23:50 UTC\n**Investigating** - We are investigating.\n\nA second paragraph.\n";
        let (entry, notes) = read(text, "2026-01-02T00:11:00Z", chrono_tz::UTC);
        assert!(notes.is_empty(), "{notes:?}");
        let got: Vec<(&str, Option<&str>, Option<&str>)> = entry
            .updates
            .iter()
            .map(|u| {
                (
                    u.status.as_str(),
                    u.display_at.as_deref(),
                    u.body.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "resolved",
                    Some("2026-01-02T00:10:00+00:00"),
                    Some("This incident has been resolved.")
                ),
                (
                    "investigating",
                    Some("2025-12-31T23:50:00+00:00"),
                    Some("We are investigating.\n\nA second paragraph.")
                ),
            ],
            "the year before the entry for a December update of a January entry"
        );
    }

    #[test]
    fn incident_page_text_puts_the_date_after_the_update() {
        let text = "## Resolved\n\nThis incident has been resolved.\n\nPosted Aug 18, 2026 - 10:23 UTC\n\n\
                    ## Investigating\n\nWe are looking into it.\n\nPosted Aug 18, 2026 - 09:58 UTC\n\n\
                    This incident affected: Actions, Pages, and API Requests.\n";
        let (entry, _) = read(text, "2026-08-18T10:30:00Z", chrono_tz::UTC);
        let got: Vec<(&str, Option<&str>)> = entry
            .updates
            .iter()
            .map(|u| (u.status.as_str(), u.display_at.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("resolved", Some("2026-08-18T10:23:00+00:00")),
                ("investigating", Some("2026-08-18T09:58:00+00:00")),
            ]
        );
        assert_eq!(entry.affected, ["Actions", "Pages", "API Requests"]);
    }

    #[test]
    fn a_scheduled_event_gives_the_maintenance_window() {
        let text = "**THIS IS A SCHEDULED EVENT Oct 14, 23:00 - 01:30 UTC**\n\n\
                    Oct 14, 20:00 UTC\n**Scheduled** - We will upgrade the database.\n";
        let (entry, _) = read(text, "2026-10-14T20:00:00Z", chrono_tz::UTC);
        assert_eq!(
            entry.scheduled,
            Some((at("2026-10-14T23:00:00Z"), at("2026-10-15T01:30:00Z"))),
            "past midnight"
        );
        assert_eq!(entry.updates[0].status, "scheduled");
    }

    #[test]
    fn a_zone_abbreviation_is_read_only_as_the_site_zone() {
        let text = "Jul 3, 09:00 PDT\n**Investigating** - Slow pages.\n";
        let (entry, notes) = read(
            text,
            "2026-07-03T17:00:00Z",
            chrono_tz::America::Los_Angeles,
        );
        assert_eq!(
            entry.updates[0].display_at.as_deref(),
            Some("2026-07-03T16:00:00+00:00")
        );
        assert!(notes.is_empty());
        let (entry, notes) = read(text, "2026-07-03T17:00:00Z", chrono_tz::Europe::Berlin);
        assert_eq!(entry.updates[0].display_at, None);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("2026-07-03 09:00:00 PDT was left out"),
            "{notes:?}"
        );
    }

    #[test]
    fn affected_lists_split_on_commas_or_a_single_and() {
        assert_eq!(affected_list("Actions and Pages"), ["Actions", "Pages"]);
        assert_eq!(affected_list("Git Operations"), ["Git Operations"]);
        assert_eq!(
            affected_list("Git Operations, Webhooks, and API Requests"),
            ["Git Operations", "Webhooks", "API Requests"]
        );
    }
}
