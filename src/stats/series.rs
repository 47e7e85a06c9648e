//! The per-incident series behind the charts and lists: resolved durations in time order, the
//! longest incidents, and incidents started per calendar month.
//!
//! The statistics page and `aftermath stats` both read these from [`super::Statistics`], so the
//! site and a reliability review can never rank or count differently.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use super::end_as_of;
use crate::content::{Incident, Kind};

/// How many incidents "the longest incidents" lists.
pub const LONGEST: usize = 5;

/// A resolved incident's start and its time to resolve in seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub id: String,
    pub start: DateTime<Utc>,
    pub seconds: i64,
}

/// The incidents started in one calendar month of the site's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    pub year: i32,
    pub month: u32,
    pub incidents: usize,
}

impl MonthCount {
    /// `YYYY-MM`.
    pub fn key(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// Which months [`per_month`] covers: from the month of `from` (or, without it, of the first
/// incident) to the month of `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRange {
    pub from: Option<DateTime<Utc>>,
    pub to: DateTime<Utc>,
}

/// Resolved incidents (kind incident, ended by T) by start time, ties by id.
pub fn resolved(counted: &[&Incident], as_of: DateTime<Utc>) -> Vec<Resolved> {
    let mut series: Vec<Resolved> = counted
        .iter()
        .filter_map(|i| {
            end_as_of(i, as_of).map(|end| Resolved {
                id: i.id.clone(),
                start: i.start,
                seconds: (end - i.start).num_seconds(),
            })
        })
        .collect();
    series.sort_by(|a, b| (a.start, a.seconds, &a.id).cmp(&(b.start, b.seconds, &b.id)));
    series
}

/// The [`LONGEST`] longest resolved incidents, longest first, ties by id.
pub fn longest(resolved: &[Resolved]) -> Vec<Resolved> {
    let mut ranked: Vec<&Resolved> = resolved.iter().collect();
    ranked.sort_by(|a, b| b.seconds.cmp(&a.seconds).then_with(|| a.id.cmp(&b.id)));
    ranked.into_iter().take(LONGEST).cloned().collect()
}

/// Incidents started per month of `zone` over `range`, every month listed (zeros included).
pub fn per_month(counted: &[&Incident], zone: Tz, range: MonthRange) -> Vec<MonthCount> {
    let Some(first) = range.from.or_else(|| counted.iter().map(|i| i.start).min()) else {
        return Vec::new();
    };
    let mut counts: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for incident in counted {
        let local = incident.start.with_timezone(&zone);
        *counts.entry((local.year(), local.month())).or_default() += 1;
    }
    let first = first.with_timezone(&zone);
    let last = range.to.with_timezone(&zone);
    let (mut year, mut month) = (first.year(), first.month());
    let mut out = Vec::new();
    while (year, month) <= (last.year(), last.month()) {
        out.push(MonthCount {
            year,
            month,
            incidents: counts.get(&(year, month)).copied().unwrap_or(0),
        });
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    out
}

/// The entries of kind incident.
/// An incident's time to detect as the statistics count it: an unplanned incident whose
/// `detected` is at or before T. Maintenance never has one.
pub fn time_to_detect(incident: &Incident, as_of: DateTime<Utc>) -> Option<i64> {
    (incident.kind == Kind::Incident)
        .then_some(incident.detected)
        .flatten()
        .filter(|d| *d <= as_of)
        .map(|d| (d - incident.start).num_seconds())
}

pub fn counted(incidents: &[Incident]) -> Vec<&Incident> {
    incidents
        .iter()
        .filter(|i| i.kind == Kind::Incident)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn resolved_in(id: &str, start: &str, seconds: i64) -> Resolved {
        Resolved {
            id: id.into(),
            start: at(start),
            seconds,
        }
    }

    #[test]
    fn the_longest_are_ranked_by_duration_then_id() {
        let series = vec![
            resolved_in("b", "2025-01-01T00:00:00Z", 600),
            resolved_in("a", "2025-01-02T00:00:00Z", 600),
            resolved_in("c", "2025-01-03T00:00:00Z", 60),
            resolved_in("d", "2025-01-04T00:00:00Z", 7200),
            resolved_in("e", "2025-01-05T00:00:00Z", 1),
            resolved_in("f", "2025-01-06T00:00:00Z", 2),
        ];
        let ids: Vec<String> = longest(&series).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["d", "a", "b", "c", "f"]);
    }

    #[test]
    fn months_run_from_the_start_of_the_range_to_its_end_with_zeros() {
        let range = MonthRange {
            from: Some(at("2024-11-20T00:00:00Z")),
            to: at("2025-02-01T00:00:00Z"),
        };
        let months: Vec<(String, usize)> = per_month(&[], Tz::UTC, range)
            .into_iter()
            .map(|m| (m.key(), m.incidents))
            .collect();
        assert_eq!(
            months,
            [
                ("2024-11".to_string(), 0),
                ("2024-12".to_string(), 0),
                ("2025-01".to_string(), 0),
                ("2025-02".to_string(), 0)
            ]
        );
        let no_start = MonthRange {
            from: None,
            to: at("2025-02-01T00:00:00Z"),
        };
        assert!(per_month(&[], Tz::UTC, no_start).is_empty());
    }
}
