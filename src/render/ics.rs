//! The maintenance calendar: `maintenance.ics` (every maintenance window, past and upcoming)
//! and `services/<service>/maintenance.ics`, in iCalendar (RFC 5545), for calendar apps to
//! subscribe to.
//!
//! Each window is one VEVENT with a UID that stays the same across builds (the entry's id and
//! the site's address), DTSTART and DTEND in UTC (the planned end while it has not ended),
//! DTSTAMP at its last change (its end, or its start), SUMMARY, DESCRIPTION (its summary) and
//! URL. Nothing depends on the clock, so rebuilding gives the same bytes.
//!
//! Written here rather than with a calendar crate: a publisher needs only content lines, the
//! escaping of TEXT values and the folding of long lines (RFC 5545, 3.1 and 3.3.11), and the
//! crate we used brought a parser and three more crates into every build. The tests read the
//! files back with that crate's parser.

use chrono::{DateTime, Utc};

use crate::content::{Incident, Kind};
use crate::site::Site;
use crate::stats::end_as_of;

/// The calendar of the site's maintenance, or of the service at `service` in the statistics.
pub fn maintenance_ics(site: &Site, service: Option<usize>) -> Vec<u8> {
    let name = service.map(|p| site.stats.services[p].name.as_str());
    let wanted = |i: &&Incident| {
        i.kind == Kind::Maintenance && name.is_none_or(|n| i.services.iter().any(|s| s == n))
    };
    // Oldest first, the upcoming after the published.
    let mut windows: Vec<&Incident> = site.incidents.iter().filter(wanted).collect();
    windows.reverse();
    windows.extend(site.upcoming.iter().filter(wanted));
    let title = match name {
        Some(name) => format!("{}: {name} maintenance", site.config.title),
        None => format!("{}: maintenance", site.config.title),
    };
    let mut out = String::new();
    line(&mut out, "BEGIN", "VCALENDAR");
    line(&mut out, "VERSION", "2.0");
    line(&mut out, "PRODID", "-//Aftermath//Maintenance calendar//EN");
    line(&mut out, "CALSCALE", "GREGORIAN");
    line(&mut out, "METHOD", "PUBLISH");
    line(&mut out, "NAME", &text(&title));
    line(&mut out, "X-WR-CALNAME", &text(&title));
    for incident in windows {
        event(&mut out, site, incident);
    }
    line(&mut out, "END", "VCALENDAR");
    out.into_bytes()
}

/// One VEVENT, its properties in name order.
fn event(out: &mut String, site: &Site, incident: &Incident) {
    let base = &site.config.base_url;
    let host = base
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .filter(|h| !h.is_empty())
        .unwrap_or("aftermath.invalid");
    // The planned end for upcoming windows; the end as of T, or T while it runs, otherwise.
    let end = match incident.start > site.as_of {
        true => incident.end.unwrap_or(incident.start),
        false => end_as_of(incident, site.as_of)
            .or(incident.end)
            .unwrap_or(site.as_of),
    };
    let changed = end_as_of(incident, site.as_of).unwrap_or(incident.start);
    line(out, "BEGIN", "VEVENT");
    if let Some(summary) = &incident.summary {
        line(out, "DESCRIPTION", &text(summary));
    }
    line(out, "DTEND", &utc(end));
    line(out, "DTSTAMP", &utc(changed));
    line(out, "DTSTART", &utc(incident.start));
    line(out, "SUMMARY", &text(&incident.title));
    line(out, "UID", &text(&format!("{}@{host}", incident.id)));
    line(out, "URL", &format!("{base}incidents/{}/", incident.id));
    line(out, "END", "VEVENT");
}

/// A UTC date-time value: `20250903T013000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped: backslashes, semicolons, commas and line breaks (RFC 5545, 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends the content line `name:value`, folded so no line is longer than 75 octets (a
/// continuation starts with a space), never inside a character, each ended by CRLF.
fn line(out: &mut String, name: &str, value: &str) {
    const LIMIT: usize = 75;
    let whole = format!("{name}:{value}");
    let mut room = LIMIT;
    let mut used = 0;
    for c in whole.chars() {
        if used + c.len_utf8() > room {
            out.push_str("\r\n ");
            room = LIMIT - 1;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped_and_long_lines_folded_between_characters() {
        assert_eq!(text("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        let mut out = String::new();
        line(&mut out, "SUMMARY", &"é".repeat(40));
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "two lines and the empty rest: {lines:?}");
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert_eq!(lines[0], format!("SUMMARY:{}", "é".repeat(33)));
        assert_eq!(lines[1], format!(" {}", "é".repeat(7)));
        let mut short = String::new();
        line(&mut short, "VERSION", "2.0");
        assert_eq!(short, "VERSION:2.0\r\n");
    }
}
