//! The numbers the site publishes, computed once from the frozen incidents.
//!
//! Every formula here is documented in `docs/statistics.md` and is a contract. Inputs are the
//! published incidents and the "as of" time T; nothing here reads the clock. An incident's
//! interval is `[start, end)`, or `[start, T)` while it is ongoing (or ends after T); only
//! `kind = incident` counts, maintenance never counts as downtime.

pub mod calendar;
pub mod impact;
pub mod intervals;
pub mod periods;
pub mod series;
pub mod slo;
pub mod status;
pub mod summary;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Incident, Kind};
use impact::{Affecting, impact_spans};
use intervals::{Span, max_weight_length, union_length};
pub use series::{MonthCount, MonthRange, Resolved, time_to_detect};
pub use summary::Summary;

/// The rolling windows the site reports availability over, ending at T: label and days.
pub const WINDOWS: [(&str, i64); 3] = [("30d", 30), ("90d", 90), ("365d", 365)];

/// A named stretch of time to compute downtime and availability over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub label: String,
    pub span: Span,
}

/// The site's windows: the last 30, 90 and 365 days before T.
pub fn rolling_windows(as_of: DateTime<Utc>) -> Vec<Window> {
    WINDOWS
        .iter()
        .map(|(label, days)| Window {
            label: (*label).to_string(),
            span: Span::new(as_of.timestamp() - days * 86_400, as_of.timestamp()),
        })
        .collect()
}

/// An incident's end as of T: `None` while ongoing (no end yet, or an end after T).
pub fn end_as_of(incident: &Incident, as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    incident.end.filter(|end| *end <= as_of)
}

/// An incident's interval as of T, in seconds: `[start, end)` or `[start, T)`.
pub fn span_as_of(incident: &Incident, as_of: DateTime<Utc>) -> Span {
    let end = end_as_of(incident, as_of).unwrap_or(as_of);
    Span::new(
        incident.start.timestamp(),
        end.timestamp().max(incident.start.timestamp()),
    )
}

/// Counts of published entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Entries of kind incident.
    pub total: usize,
    pub resolved: usize,
    pub ongoing: usize,
    /// Entries of kind maintenance (not part of `total`).
    pub maintenance: usize,
}

/// Downtime of one service over one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowStats {
    /// Where the window begins: its nominal start, or the history's (or the service's) start
    /// when that is later.
    pub from: i64,
    pub length_seconds: i64,
    pub downtime_seconds: i64,
    /// Weighted downtime in basis-point seconds (divide by 10000 for seconds).
    pub weighted_downtime: i128,
}

impl WindowStats {
    pub fn weighted_downtime_seconds(&self) -> f64 {
        self.weighted_downtime as f64 / 10_000.0
    }

    /// 1 − downtime / length, rounded down to 5 decimals (never rounded up to 1).
    pub fn availability(&self) -> f64 {
        floor_ratio(
            i128::from(self.length_seconds - self.downtime_seconds),
            i128::from(self.length_seconds),
        )
    }

    /// 1 − weighted downtime / length, rounded down to 5 decimals.
    pub fn weighted_availability(&self) -> f64 {
        let length = i128::from(self.length_seconds) * 10_000;
        floor_ratio(length - self.weighted_downtime, length)
    }
}

/// `numerator / denominator` rounded down to 5 decimals, computed on integers.
fn floor_ratio(numerator: i128, denominator: i128) -> f64 {
    if denominator <= 0 {
        return 1.0;
    }
    let scaled = (numerator.max(0) * 100_000) / denominator;
    scaled as f64 / 100_000.0
}

/// What one service went through.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceStats {
    pub name: String,
    /// Where its history begins: the later of `history_start` and its `since`.
    pub start: Option<DateTime<Utc>>,
    /// Published incidents (kind incident) that list the service, all time.
    pub incidents: usize,
    /// In the order of the windows asked for.
    pub windows: Vec<(String, WindowStats)>,
    pub time_to_resolve: Summary,
}

/// A group of services (`group` on `[[services]]`), counted as the union of its members.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupStats {
    /// Named after the group; its incidents and downtime are those of any member, overlaps
    /// counted once.
    pub stats: ServiceStats,
    /// The members' positions in [`Statistics::services`].
    pub members: Vec<usize>,
}

/// A bar of the duration histogram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub label: &'static str,
    pub count: usize,
}

/// Upper bounds (exclusive, seconds) and labels of the duration histogram buckets.
pub const DURATION_BUCKETS: [(i64, &str); 7] = [
    (5 * 60, "under 5 min"),
    (15 * 60, "5–15 min"),
    (3_600, "15–60 min"),
    (4 * 3_600, "1–4 h"),
    (24 * 3_600, "4–24 h"),
    (7 * 86_400, "1–7 days"),
    (i64::MAX, "7 days or more"),
];

/// All site-wide statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub as_of: DateTime<Utc>,
    /// Where the history begins (`history_start`, else the first incident's day); windows and
    /// days before it are not counted.
    pub history_start: Option<DateTime<Utc>>,
    pub counts: Counts,
    pub time_to_resolve: Summary,
    pub time_to_detect: Summary,
    /// Any service at all (the union of every incident), same windows.
    pub overall: ServiceStats,
    pub services: Vec<ServiceStats>,
    /// The groups of services, in the order their first member is declared.
    pub groups: Vec<GroupStats>,
    /// Incident counts per configured severity, in the site's order.
    pub by_severity: Vec<(String, usize)>,
    /// Incidents without a severity (kept apart: a severity may be named "none").
    pub without_severity: usize,
    pub duration_histogram: Vec<Bucket>,
    /// Resolved incidents by start time: the time-to-resolve chart.
    pub resolved: Vec<Resolved>,
    /// The longest resolved incidents, longest first.
    pub longest: Vec<Resolved>,
    /// Incidents started per month, every month of the range.
    pub per_month: Vec<MonthCount>,
}

/// What a computation covers besides the incidents: the as-of time T, the windows, the months,
/// and where the history begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub as_of: DateTime<Utc>,
    pub windows: Vec<Window>,
    pub months: MonthRange,
    pub history_start: Option<DateTime<Utc>>,
}

impl Scope {
    /// The site's: rolling windows, months up to the month of T, and the history's start from
    /// the configuration or the first incident.
    pub fn site(incidents: &[Incident], config: &Config, as_of: DateTime<Utc>) -> Scope {
        Scope {
            as_of,
            windows: rolling_windows(as_of),
            months: MonthRange {
                from: None,
                to: as_of,
            },
            history_start: history_start(incidents, config),
        }
    }
}

/// The start (in the site's zone) of `history_start`, or else of the day of the first incident.
pub fn history_start(incidents: &[Incident], config: &Config) -> Option<DateTime<Utc>> {
    let zone = config.timezone;
    let day = config.history_start.or_else(|| {
        series::counted(incidents)
            .iter()
            .map(|i| i.start)
            .min()
            .map(|first| calendar::local_date(first, zone))
    })?;
    Some(calendar::day_start(day, zone))
}

/// Where a service's history begins: the later of the history's start and its `since`.
pub fn service_start(
    config: &Config,
    name: &str,
    history_start: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    let since = config
        .services
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.since)
        .map(|day| calendar::day_start(day, config.timezone));
    match (history_start, since) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Computes every statistic over `incidents` (already filtered to the published ones) for the
/// site's own scope.
pub fn compute(incidents: &[Incident], config: &Config, as_of: DateTime<Utc>) -> Statistics {
    compute_with(incidents, config, &Scope::site(incidents, config, as_of))
}

/// [`compute`] over the given scope.
pub fn compute_with(incidents: &[Incident], config: &Config, scope: &Scope) -> Statistics {
    let as_of = scope.as_of;
    let counted = series::counted(incidents);
    let resolved = series::resolved(&counted, as_of);
    let resolved_durations: Vec<i64> = resolved.iter().map(|r| r.seconds).collect();
    let detect_durations: Vec<i64> = counted
        .iter()
        .filter_map(|i| series::time_to_detect(i, as_of))
        .collect();
    let counts = Counts {
        total: counted.len(),
        resolved: resolved.len(),
        ongoing: counted.len() - resolved.len(),
        maintenance: incidents
            .iter()
            .filter(|i| i.kind == Kind::Maintenance)
            .count(),
    };
    Statistics {
        as_of,
        counts,
        time_to_resolve: Summary::of(&resolved_durations),
        time_to_detect: Summary::of(&detect_durations),
        history_start: scope.history_start,
        overall: service_stats(
            "all services",
            &counted,
            Affecting::Anything,
            scope,
            scope.history_start,
        ),
        services: per_service(&counted, config, scope),
        groups: per_group(&counted, config, scope),
        by_severity: by_severity(&counted, config),
        without_severity: counted.iter().filter(|i| i.severity.is_none()).count(),
        duration_histogram: duration_histogram(&resolved_durations),
        longest: series::longest(&resolved),
        per_month: series::per_month(&counted, config.timezone, scope.months),
        resolved,
    }
}

/// The declared services (or, without declarations, every service named), each with its stats.
fn per_service(counted: &[&Incident], config: &Config, scope: &Scope) -> Vec<ServiceStats> {
    let service_names: Vec<String> = if config.declares_services() {
        config.services.iter().map(|s| s.name.clone()).collect()
    } else {
        let mut names: Vec<String> = counted.iter().flat_map(|i| i.services.clone()).collect();
        names.sort();
        names.dedup();
        names
    };
    // One pass over the incidents groups them by service; the services are then independent.
    let mut affected: std::collections::HashMap<&str, Vec<&Incident>> = service_names
        .iter()
        .map(|n| (n.as_str(), Vec::new()))
        .collect();
    for incident in counted {
        for service in &incident.services {
            if let Some(list) = affected.get_mut(service.as_str())
                && list
                    .last()
                    .is_none_or(|last| !std::ptr::eq(*last, *incident))
            {
                list.push(incident);
            }
        }
    }
    service_names
        .par_iter()
        .map(|name| {
            let start = service_start(config, name, scope.history_start);
            let names = [name.as_str()];
            let affecting = Affecting::AnyOf(&names);
            service_stats(name, &affected[name.as_str()], affecting, scope, start)
        })
        .collect()
}

/// Each group's statistics over the incidents that affect any of its members.
fn per_group(counted: &[&Incident], config: &Config, scope: &Scope) -> Vec<GroupStats> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (position, service) in config.services.iter().enumerate() {
        let Some(group) = service.group.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, members)) => members.push(position),
            None => groups.push((group, vec![position])),
        }
    }
    groups
        .into_iter()
        .map(|(name, members)| {
            let names: Vec<&str> = members
                .iter()
                .map(|&m| config.services[m].name.as_str())
                .collect();
            let affected: Vec<&Incident> = counted
                .iter()
                .filter(|i| i.services.iter().any(|s| names.contains(&s.as_str())))
                .copied()
                .collect();
            // A group begins with its earliest member.
            let start = names
                .iter()
                .filter_map(|n| service_start(config, n, scope.history_start))
                .min();
            GroupStats {
                stats: service_stats(name, &affected, Affecting::AnyOf(&names), scope, start),
                members,
            }
        })
        .collect()
}

/// Incident counts per configured severity, in the site's order.
fn by_severity(counted: &[&Incident], config: &Config) -> Vec<(String, usize)> {
    config
        .severities
        .iter()
        .map(|s| {
            (
                s.clone(),
                counted
                    .iter()
                    .filter(|i| i.severity.as_deref() == Some(s))
                    .count(),
            )
        })
        .collect()
}

/// How many resolved durations fall in each of [`DURATION_BUCKETS`].
fn duration_histogram(resolved_durations: &[i64]) -> Vec<Bucket> {
    DURATION_BUCKETS
        .iter()
        .enumerate()
        .map(|(index, (upper, label))| {
            let lower = if index == 0 {
                0
            } else {
                DURATION_BUCKETS[index - 1].0
            };
            let count = resolved_durations
                .iter()
                .filter(|d| **d >= lower && **d < *upper)
                .count();
            Bucket { label, count }
        })
        .collect()
}

/// Statistics of one service (or several, as one) from the incidents that affect it and the
/// impact windows they put on it, over the scope's windows shortened to begin no earlier than
/// `start`.
pub fn service_stats(
    name: &str,
    affected: &[&Incident],
    affecting: Affecting<'_>,
    scope: &Scope,
    start: Option<DateTime<Utc>>,
) -> ServiceStats {
    let as_of = scope.as_of;
    let spans: Vec<(Span, u32)> = affected
        .iter()
        .flat_map(|i| impact_spans(i, affecting, as_of))
        .collect();
    let windows = scope
        .windows
        .iter()
        .map(|window| {
            let from = start.map_or(window.span.start, |s| {
                s.timestamp().clamp(window.span.start, window.span.end)
            });
            let stats = window_stats(&spans, Span::new(from, window.span.end));
            (window.label.clone(), stats)
        })
        .collect();
    let durations: Vec<i64> = affected
        .iter()
        .filter_map(|i| end_as_of(i, as_of).map(|end| (end - i.start).num_seconds()))
        .collect();
    ServiceStats {
        name: name.to_string(),
        start,
        incidents: affected.len(),
        windows,
        time_to_resolve: Summary::of(&durations),
    }
}

/// Downtime (the union) and weighted downtime (the largest weight at each instant) of
/// `spans` over `covered`: the figures of every availability window and report period.
pub fn window_stats(spans: &[(Span, u32)], covered: Span) -> WindowStats {
    let clipped: Vec<(Span, u32)> = spans
        .iter()
        .filter_map(|(span, weight)| span.clip(covered).map(|s| (s, *weight)))
        .collect();
    let mut plain: Vec<Span> = clipped.iter().map(|(s, _)| *s).collect();
    WindowStats {
        from: covered.start,
        length_seconds: covered.len(),
        downtime_seconds: union_length(&mut plain),
        weighted_downtime: max_weight_length(&clipped),
    }
}

/// Groups published entries by local year and month (newest first) for history pages.
pub fn by_month(
    incidents: &[Incident],
    zone: chrono_tz::Tz,
) -> BTreeMap<(i32, u32), Vec<&Incident>> {
    use chrono::Datelike;
    let mut months: BTreeMap<(i32, u32), Vec<&Incident>> = BTreeMap::new();
    for incident in incidents {
        let local = incident.start.with_timezone(&zone);
        months
            .entry((local.year(), local.month()))
            .or_default()
            .push(incident);
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_is_floored_on_integers() {
        let w = WindowStats {
            from: 0,
            length_seconds: 30 * 86_400,
            downtime_seconds: 7_200,
            weighted_downtime: 3_600 * 10_000,
        };
        assert_eq!(w.availability(), 0.99722);
        assert_eq!(w.weighted_availability(), 0.99861);
        let one_second = WindowStats {
            from: 0,
            length_seconds: 365 * 86_400,
            downtime_seconds: 1,
            weighted_downtime: 10_000,
        };
        assert_eq!(one_second.availability(), 0.99999);
    }
}
