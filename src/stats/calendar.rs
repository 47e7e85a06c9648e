//! Downtime per calendar day in the site's time zone.
//!
//! A day is `[local midnight, next local midnight)`: 23, 24 or 25 hours long around DST
//! changes. Each incident's interval is cut at day boundaries; a day's downtime is the union of
//! the pieces, per service and for the whole site. Only the days an incident touches are
//! visited, so the cost grows with the number of incidents, not with pairs of them.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::intervals::{Span, union_length};

/// What happened on one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Day {
    /// Downtime of any service (union), in seconds.
    pub downtime_seconds: i64,
    /// Per service name: downtime in seconds (union of that service's incidents).
    pub services: BTreeMap<String, ServiceDay>,
    /// Rank of the worst severity seen that day (0 = most severe), if any had one.
    pub worst_severity: Option<usize>,
    /// The incidents active that day, as the `index` of their [`CalendarEntry`], in the
    /// order given.
    pub incidents: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceDay {
    pub downtime_seconds: i64,
    pub worst_severity: Option<usize>,
    /// This service's incidents active that day, as entry indices.
    pub incidents: Vec<usize>,
}

/// One impact window of an incident as the calendar needs it. The windows of one incident
/// come one after another and share its `index`.
pub struct CalendarEntry<'a> {
    /// Where the incident is in the caller's list; days name their incidents by it.
    pub index: usize,
    pub span: Span,
    pub services: &'a [String],
    pub severity_rank: Option<usize>,
}

/// Adds `index` unless it was the last one added: the windows of one incident are given one
/// after another, so a day names each incident once.
fn push_once(indices: &mut Vec<usize>, index: usize) {
    if indices.last() != Some(&index) {
        indices.push(index);
    }
}

/// The first instant of `date` in `zone` (the earliest valid time if midnight is skipped).
pub fn day_start(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let mut local = date.and_hms_opt(0, 0, 0).expect("midnight");
    for _ in 0..4 {
        if let Some(t) = zone.from_local_datetime(&local).earliest() {
            return t.with_timezone(&Utc);
        }
        local += chrono::Duration::minutes(30);
    }
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// The local date of an instant.
pub fn local_date(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// Builds the calendar of all days touched by `entries`.
pub fn calendar(entries: &[CalendarEntry<'_>], zone: Tz) -> BTreeMap<NaiveDate, Day> {
    /// A service's pieces of one day: spans, worst severity, incident ids.
    type ServicePieces = (Vec<Span>, Option<usize>, Vec<usize>);
    #[derive(Default)]
    struct Pieces<'a> {
        all: Vec<Span>,
        services: BTreeMap<&'a str, ServicePieces>,
        worst: Option<usize>,
        incidents: Vec<usize>,
    }
    // Day boundaries are looked up in the time-zone database once per date, not per incident.
    let mut bounds: std::collections::HashMap<NaiveDate, Span> = std::collections::HashMap::new();
    let mut day_span = |date: NaiveDate| {
        *bounds.entry(date).or_insert_with(|| {
            Span::new(
                day_start(date, zone).timestamp(),
                day_start(next_day(date), zone).timestamp(),
            )
        })
    };
    let mut pieces: BTreeMap<NaiveDate, Pieces<'_>> = BTreeMap::new();
    for entry in entries.iter().filter(|e| !e.span.is_empty()) {
        let start = DateTime::<Utc>::from_timestamp(entry.span.start, 0).unwrap_or_default();
        let mut date = local_date(start, zone);
        loop {
            let day = day_span(date);
            if day.start >= entry.span.end {
                break;
            }
            if let Some(piece) = entry.span.clip(day) {
                let bucket = pieces.entry(date).or_default();
                bucket.all.push(piece);
                bucket.worst = min_rank(bucket.worst, entry.severity_rank);
                push_once(&mut bucket.incidents, entry.index);
                for service in entry.services {
                    let (spans, worst, ids) = bucket.services.entry(service.as_str()).or_default();
                    spans.push(piece);
                    *worst = min_rank(*worst, entry.severity_rank);
                    push_once(ids, entry.index);
                }
            }
            date = next_day(date);
        }
    }
    pieces
        .into_iter()
        .map(|(date, mut p)| {
            let services = p
                .services
                .into_iter()
                .map(|(name, (mut spans, worst, incidents))| {
                    let day = ServiceDay {
                        downtime_seconds: union_length(&mut spans),
                        worst_severity: worst,
                        incidents,
                    };
                    (name.to_string(), day)
                })
                .collect();
            let day = Day {
                downtime_seconds: union_length(&mut p.all),
                services,
                worst_severity: p.worst,
                incidents: p.incidents,
            };
            (date, day)
        })
        .collect()
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1)).unwrap_or(date)
}

fn min_rank(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Length of a local day in seconds (82800, 86400 or 90000 around DST changes).
pub fn day_length(date: NaiveDate, zone: Tz) -> i64 {
    day_start(next_day(date), zone).timestamp() - day_start(date, zone).timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    #[test]
    fn splits_an_incident_across_midnight_in_the_site_zone() {
        let services = vec!["api".to_string()];
        let entries = [CalendarEntry {
            index: 0,
            span: Span::new(at("2024-05-06T21:30:00Z"), at("2024-05-06T22:30:00Z")),
            services: &services,
            severity_rank: Some(1),
        }];
        // In Berlin (UTC+2) that is 23:30 to 00:30: 30 minutes on each day.
        let days = calendar(&entries, chrono_tz::Europe::Berlin);
        let first = &days[&NaiveDate::from_ymd_opt(2024, 5, 6).unwrap()];
        let second = &days[&NaiveDate::from_ymd_opt(2024, 5, 7).unwrap()];
        assert_eq!(first.downtime_seconds, 1800);
        assert_eq!(second.services["api"].downtime_seconds, 1800);
        assert_eq!(second.worst_severity, Some(1));
        // In UTC it is one day.
        assert_eq!(calendar(&entries, Tz::UTC).len(), 1);
    }

    #[test]
    fn overlapping_incidents_count_once_per_day() {
        let api = vec!["api".to_string()];
        let web = vec!["web".to_string()];
        let entries = [
            CalendarEntry {
                index: 0,
                span: Span::new(at("2024-01-01T10:00:00Z"), at("2024-01-01T12:00:00Z")),
                services: &api,
                severity_rank: Some(2),
            },
            CalendarEntry {
                index: 1,
                span: Span::new(at("2024-01-01T11:00:00Z"), at("2024-01-01T13:00:00Z")),
                services: &web,
                severity_rank: Some(0),
            },
        ];
        let days = calendar(&entries, Tz::UTC);
        let day = &days[&NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()];
        assert_eq!(day.downtime_seconds, 3 * 3600);
        assert_eq!(day.services["api"].downtime_seconds, 2 * 3600);
        assert_eq!(day.worst_severity, Some(0));
        assert_eq!(day.incidents, [0, 1]);
        assert_eq!(day.services["web"].incidents, [1]);
    }

    #[test]
    fn dst_days_have_their_real_length() {
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            day_length(NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(), berlin),
            82_800
        );
        assert_eq!(
            day_length(NaiveDate::from_ymd_opt(2024, 10, 27).unwrap(), berlin),
            90_000
        );
        assert_eq!(
            day_length(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(), berlin),
            86_400
        );
    }
}
