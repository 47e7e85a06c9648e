//! The statistics page: headline numbers, per-service availability, charts and their tables.

use serde::Serialize;

use super::charts;
use super::pages::{CountsView, description_of, view};
use super::views::{IncidentView, ServiceStatsView, SummaryView, severity_url};
use crate::content::Kind;
use crate::site::Site;
use crate::stats::end_as_of;

/// A bar of the duration histogram, with its height relative to the tallest.
#[derive(Serialize)]
pub struct HistogramBar {
    label: String,
    count: usize,
    percent: usize,
}

/// Incidents of one severity, or without one.
#[derive(Serialize)]
pub struct SeverityCount {
    /// As configured; empty for the incidents without a severity.
    name: String,
    /// How pages say it: `Critical`, or `No severity`.
    label: String,
    count: usize,
    /// The severity's page; empty for the incidents without one.
    url: String,
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
    /// The ongoing incident open longest: left out of `longest` and of time to resolve.
    longest_ongoing: Option<IncidentView>,
    charts: Charts,
    months: Vec<MonthCount>,
}

/// `text` with its first letter in upper case and the rest in lower case, as Tera's
/// `capitalize` filter writes severities on the other pages.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first
            .to_uppercase()
            .chain(chars.as_str().to_lowercase().chars())
            .collect()
    })
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
        time_to_resolve: SummaryView::new(&s.time_to_resolve, &site.config.locale),
        time_to_detect: SummaryView::new(&s.time_to_detect, &site.config.locale),
        overall: ServiceStatsView::overall(&s.overall, &site.config),
        service_stats: s
            .services
            .iter()
            .map(|st| ServiceStatsView::new(st, &description_of(site, &st.name), &site.config))
            .collect(),
        histogram: s
            .duration_histogram
            .iter()
            .enumerate()
            .map(|(n, b)| HistogramBar {
                label: site.config.locale.text(&format!("histogram.b{n}"), &[]),
                count: b.count,
                percent: b.count * 100 / tallest,
            })
            .collect(),
        by_severity: s
            .by_severity
            .iter()
            .map(|(name, count)| SeverityCount {
                name: name.clone(),
                label: capitalized(name),
                count: *count,
                url: severity_url(name),
            })
            .chain(std::iter::once(SeverityCount {
                name: String::new(),
                label: site.config.locale.text("listing.no_severity", &[]),
                count: s.without_severity,
                url: String::new(),
            }))
            .collect(),
        longest: s
            .longest
            .iter()
            .filter_map(|r| site.incident(&r.id))
            .map(|i| view(site, i))
            .collect(),
        longest_ongoing: site
            .incidents
            .iter()
            .filter(|i| i.kind == Kind::Incident && end_as_of(i, site.as_of).is_none())
            .min_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)))
            .map(|i| view(site, i)),
        charts: Charts {
            per_month: charts::incidents_per_month(&months, &site.config.locale),
            time_to_resolve: charts::time_to_resolve(&points, &site.config),
            durations: charts::duration_histogram(&s.duration_histogram, &site.config.locale),
            dots_limited: points.len() > charts::MAX_DOTS,
        },
        months: months
            .into_iter()
            .map(|(month, count)| MonthCount { month, count })
            .collect(),
    }
}
