//! The statistics page: headline numbers, per-service availability, charts and their tables.

use serde::Serialize;

use super::charts;
use super::pages::{CountsView, description_of, view};
use super::views::{IncidentView, ServiceStatsView, SummaryView};
use crate::site::Site;

/// A bar of the duration histogram, with its height relative to the tallest.
#[derive(Serialize)]
pub struct HistogramBar {
    label: &'static str,
    count: usize,
    percent: usize,
}

/// Incidents of one severity (`none` for those without).
#[derive(Serialize)]
pub struct SeverityCount {
    name: String,
    count: usize,
}

/// The charts as inline SVG (use `| safe`).
#[derive(Serialize)]
pub struct Charts {
    per_month: String,
    time_to_resolve: String,
    durations: String,
    /// The time-to-resolve chart shows the most recent [`charts::MAX_DOTS`] incidents only.
    dots_limited: bool,
}

/// Incidents started in one month (`YYYY-MM`).
#[derive(Serialize)]
pub struct MonthCount {
    month: String,
    count: usize,
}

/// `stats.html`.
#[derive(Serialize)]
pub struct StatsPage {
    section: &'static str,
    counts: CountsView,
    time_to_resolve: SummaryView,
    time_to_detect: SummaryView,
    overall: ServiceStatsView,
    service_stats: Vec<ServiceStatsView>,
    histogram: Vec<HistogramBar>,
    by_severity: Vec<SeverityCount>,
    longest: Vec<IncidentView>,
    charts: Charts,
    months: Vec<MonthCount>,
}

pub fn stats(site: &Site) -> StatsPage {
    let s = &site.stats;
    let tallest = s
        .duration_histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let months: Vec<(String, usize)> = s.per_month.iter().map(|m| (m.key(), m.incidents)).collect();
    let points: Vec<(chrono::DateTime<chrono::Utc>, i64)> =
        s.resolved.iter().map(|r| (r.start, r.seconds)).collect();
    StatsPage {
        section: "stats",
        counts: CountsView::new(s.counts),
        time_to_resolve: SummaryView::new(&s.time_to_resolve),
        time_to_detect: SummaryView::new(&s.time_to_detect),
        overall: ServiceStatsView::new(&s.overall, ""),
        service_stats: s
            .services
            .iter()
            .map(|st| ServiceStatsView::new(st, &description_of(site, &st.name)))
            .collect(),
        histogram: s
            .duration_histogram
            .iter()
            .map(|b| HistogramBar {
                label: b.label,
                count: b.count,
                percent: b.count * 100 / tallest,
            })
            .collect(),
        by_severity: s
            .by_severity
            .iter()
            .map(|(name, count)| SeverityCount {
                name: name.clone(),
                count: *count,
            })
            .collect(),
        longest: s
            .longest
            .iter()
            .filter_map(|r| site.incident(&r.id))
            .map(|i| view(site, i))
            .collect(),
        charts: Charts {
            per_month: charts::incidents_per_month(&months),
            time_to_resolve: charts::time_to_resolve(&points, site.config.timezone),
            durations: charts::duration_histogram(&s.duration_histogram),
            dots_limited: points.len() > charts::MAX_DOTS,
        },
        months: months
            .into_iter()
            .map(|(month, count)| MonthCount { month, count })
            .collect(),
    }
}
