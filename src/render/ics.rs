//! The maintenance calendar: `maintenance.ics` (every maintenance window, past and upcoming)
//! and `services/<service>/maintenance.ics`, in iCalendar (RFC 5545), for calendar apps to
//! subscribe to. Written with the `icalendar` crate, which folds and escapes the lines.
//!
//! Each window is one VEVENT with a UID that stays the same across builds (the entry's id and
//! the site's address), DTSTART and DTEND in UTC (the planned end while it has not ended),
//! DTSTAMP at its last change (its end, or its start), SUMMARY, DESCRIPTION (its summary) and
//! URL. Nothing depends on the clock, so rebuilding gives the same bytes.

use icalendar::{Calendar, Component, Event, EventLike};

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
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Aftermath//Maintenance calendar//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"));
    let title = match name {
        Some(name) => format!("{}: {name} maintenance", site.config.title),
        None => format!("{}: maintenance", site.config.title),
    };
    calendar.name(&title);
    for incident in windows {
        calendar.push(event(site, incident));
    }
    calendar.done().to_string().into_bytes()
}

fn event(site: &Site, incident: &Incident) -> Event {
    let base = &site.config.base_url;
    let url = format!("{base}incidents/{}/", incident.id);
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
    let mut event = Event::new();
    event
        .uid(&format!("{}@{host}", incident.id))
        .timestamp(changed)
        .starts(incident.start)
        .ends(end)
        .summary(&incident.title)
        .url(&url);
    if let Some(summary) = &incident.summary {
        event.description(summary);
    }
    event.done()
}
