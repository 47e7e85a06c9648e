//! The context of each page type: which data each template receives.
//!
//! One function per page; each returns a `tera::Context` built from the frozen site. Every
//! variable named here is part of the theme contract in `docs/themes.md`.

use chrono::{Days, NaiveDate};
use serde::Serialize;
use tera::Context;

use super::api::FEED_LENGTH;
use super::context::section;
use super::days::{DayCell, day_cell};
use super::views::{
    IncidentView, ServiceLink, ServiceStatsView, SummaryView, TimeView, duration_label, iso,
};
use crate::content::{Incident, Kind};
use crate::markdown::MarkdownRenderer;
use crate::site::Site;
use crate::stats::calendar::local_date;
use crate::stats::{self, end_as_of};
use crate::text::dates;

/// How many days the uptime bars on the index show.
pub const UPTIME_DAYS: u64 = 90;
/// How many recent entries the index lists.
pub const RECENT: usize = 10;
/// Up to this many entries, the history index lists every incident under its month;
/// larger archives show counts there and the lists on the year pages.
pub const HISTORY_INDEX_LIST_LIMIT: usize = 1_000;

/// Variables available to every template.
pub fn globals(site: &Site) -> Vec<(&'static str, serde_json::Value)> {
    let config = &site.config;
    let services: Vec<ServiceLink> = site
        .stats
        .services
        .iter()
        .map(|s| ServiceLink::new(&s.name))
        .collect();
    let site_value = serde_json::json!({
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "base_path": config.base_path(),
        "language": config.language,
        "timezone": config.timezone.name(),
        "severities": config.severities,
        "as_of": TimeView::new(site.as_of, config.timezone),
        "generator": concat!("Aftermath ", env!("CARGO_PKG_VERSION")),
        "extra": config.extra,
    });
    vec![
        ("site", site_value),
        (
            "services",
            serde_json::to_value(services).unwrap_or_default(),
        ),
    ]
}

/// A context with `section` set, for the navigation.
fn view(site: &Site, incident: &Incident) -> IncidentView {
    IncidentView::new(incident, &site.config, site.as_of)
}

fn description_of(site: &Site, name: &str) -> String {
    site.config
        .services
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.description.clone())
        .unwrap_or_default()
}

/// The index: ongoing incidents, uptime bars, headline numbers, recent entries.
pub fn index(site: &Site) -> Context {
    let mut context = section("index");
    let as_of = site.as_of;
    let ongoing: Vec<IncidentView> = site
        .incidents
        .iter()
        .filter(|i| end_as_of(i, as_of).is_none())
        .map(|i| view(site, i))
        .collect();
    let upcoming: Vec<IncidentView> = site.upcoming.iter().map(|i| view(site, i)).collect();
    let recent: Vec<IncidentView> = site
        .incidents
        .iter()
        .take(RECENT)
        .map(|i| view(site, i))
        .collect();
    let today = local_date(as_of, site.config.timezone);
    let first = today
        .checked_sub_days(Days::new(UPTIME_DAYS - 1))
        .unwrap_or(today);
    let bars: Vec<serde_json::Value> = site
        .stats
        .services
        .iter()
        .map(|service| {
            let days: Vec<DayCell> = first
                .iter_days()
                .take_while(|d| *d <= today)
                .map(|date| {
                    let day = site
                        .calendar
                        .get(&date)
                        .and_then(|d| d.services.get(&service.name));
                    let ids = day.map_or(&[][..], |d| &d.incidents[..]);
                    day_cell(
                        site,
                        date,
                        day.map_or(0, |d| d.downtime_seconds),
                        day.and_then(|d| d.worst_severity),
                        ids,
                    )
                })
                .collect();
            serde_json::json!({
                "service": ServiceStatsView::new(service, &description_of(site, &service.name)),
                "days": days,
            })
        })
        .collect();
    context.insert("ongoing", &ongoing);
    context.insert("upcoming", &upcoming);
    context.insert("recent", &recent);
    context.insert("uptime", &bars);
    context.insert("uptime_days", &UPTIME_DAYS);
    context.insert("overall", &ServiceStatsView::new(&site.stats.overall, ""));
    context.insert(
        "time_to_resolve",
        &SummaryView::new(&site.stats.time_to_resolve),
    );
    context.insert(
        "time_to_detect",
        &SummaryView::new(&site.stats.time_to_detect),
    );
    context.insert("counts", &counts(site));
    context
}

fn counts(site: &Site) -> serde_json::Value {
    let c = site.stats.counts;
    serde_json::json!({"total": c.total, "resolved": c.resolved, "ongoing": c.ongoing, "maintenance": c.maintenance})
}

/// An incident page: the header card, the rendered postmortem, previous and next.
pub fn incident(site: &Site, markdown: &MarkdownRenderer, index: usize) -> Context {
    let mut context = section("history");
    let incident = &site.incidents[index];
    let rendered = markdown.render(&incident.body);
    context.insert("incident", &view(site, incident));
    context.insert(
        "timeline",
        &super::views::TimelineEventView::list(incident, &site.config, site.as_of),
    );
    context.insert("content", &rendered.html);
    context.insert("toc", &rendered.headings);
    // The list is newest first: the newer entry is before, the older after.
    let newer = index.checked_sub(1).map(|i| view(site, &site.incidents[i]));
    let older = site.incidents.get(index + 1).map(|i| view(site, i));
    context.insert("newer", &newer);
    context.insert("older", &older);
    context
}

/// Years that have entries, newest first.
#[derive(Serialize)]
struct MonthGroup {
    key: String,
    name: String,
    count: usize,
    downtime_label: String,
    incidents: Vec<IncidentView>,
}

fn months_of(site: &Site, year: i32, with_incidents: bool) -> Vec<MonthGroup> {
    let grouped = stats::by_month(&site.incidents, site.config.timezone);
    grouped
        .into_iter()
        .rev()
        .filter(|((y, _), _)| *y == year)
        .map(|((y, m), entries)| {
            let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
            let downtime: i64 = site
                .calendar
                .range(
                    first
                        ..first
                            .checked_add_months(chrono::Months::new(1))
                            .unwrap_or(first),
                )
                .map(|(_, day)| day.downtime_seconds)
                .sum();
            MonthGroup {
                key: dates::year_month(&first),
                name: dates::month_year(&first),
                count: entries.iter().filter(|i| i.kind == Kind::Incident).count(),
                downtime_label: duration_label(downtime),
                incidents: if with_incidents {
                    entries.iter().map(|i| view(site, i)).collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// The history index: every year with its months and counts.
pub fn history_index(site: &Site) -> Context {
    let mut context = section("history");
    let years: Vec<serde_json::Value> = site
        .years
        .iter()
        .map(|&year| {
            let list = site.incidents.len() <= HISTORY_INDEX_LIST_LIMIT;
            let months = months_of(site, year, list);
            let count: usize = months.iter().map(|m| m.count).sum();
            serde_json::json!({"year": year, "url": format!("history/{year}/"), "count": count, "months": months})
        })
        .collect();
    context.insert("years", &years);
    context
}

/// One year of history, by month: the year at `position` in `Site::years`.
pub fn history_year(site: &Site, position: usize) -> Context {
    let mut context = section("history");
    let all = &site.years;
    let year = all[position];
    context.insert("year", &year);
    context.insert("months", &months_of(site, year, true));
    context.insert("newer_year", &position.checked_sub(1).map(|i| all[i]));
    context.insert("older_year", &all.get(position + 1));
    context
}

/// A service page: availability windows, time to resolve, its incidents.
pub fn service(site: &Site, index: usize) -> Context {
    let mut context = section("services");
    let stats = &site.stats.services[index];
    let incidents: Vec<IncidentView> = site
        .incidents
        .iter()
        .filter(|i| i.services.iter().any(|s| s == &stats.name))
        .map(|i| view(site, i))
        .collect();
    context.insert(
        "service",
        &ServiceStatsView::new(stats, &description_of(site, &stats.name)),
    );
    context.insert("incidents", &incidents);
    context
}

/// The statistics page, with definitions.
pub fn stats(site: &Site) -> Context {
    let mut context = section("stats");
    let s = &site.stats;
    let services: Vec<ServiceStatsView> = s
        .services
        .iter()
        .map(|st| ServiceStatsView::new(st, &description_of(site, &st.name)))
        .collect();
    let max = s
        .duration_histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let histogram: Vec<serde_json::Value> = s
        .duration_histogram
        .iter()
        .map(|b| serde_json::json!({"label": b.label, "count": b.count, "percent": b.count * 100 / max}))
        .collect();
    let longest: Vec<IncidentView> = s
        .longest
        .iter()
        .filter_map(|r| site.incident(&r.id))
        .map(|i| view(site, i))
        .collect();
    let by_severity: Vec<serde_json::Value> = s
        .by_severity
        .iter()
        .map(|(name, count)| serde_json::json!({"name": name, "count": count}))
        .collect();
    context.insert("counts", &counts(site));
    context.insert("time_to_resolve", &SummaryView::new(&s.time_to_resolve));
    context.insert("time_to_detect", &SummaryView::new(&s.time_to_detect));
    context.insert("overall", &ServiceStatsView::new(&s.overall, ""));
    context.insert("service_stats", &services);
    context.insert("histogram", &histogram);
    context.insert("by_severity", &by_severity);
    context.insert("longest", &longest);
    let months: Vec<(String, usize)> = s.per_month.iter().map(|m| (m.key(), m.incidents)).collect();
    let points: Vec<(chrono::DateTime<chrono::Utc>, i64)> =
        s.resolved.iter().map(|r| (r.start, r.seconds)).collect();
    context.insert(
        "charts",
        &serde_json::json!({
            "per_month": super::charts::incidents_per_month(&months),
            "time_to_resolve": super::charts::time_to_resolve(&points, site.config.timezone),
            "durations": super::charts::duration_histogram(&s.duration_histogram),
            "dots_limited": points.len() > super::charts::MAX_DOTS,
        }),
    );
    let month_rows: Vec<serde_json::Value> = months
        .iter()
        .map(|(month, count)| serde_json::json!({"month": month, "count": count}))
        .collect();
    context.insert("months", &month_rows);
    context
}

/// The Atom feed's entries.
pub fn atom(site: &Site, markdown: &MarkdownRenderer) -> Context {
    let mut context = Context::new();
    let entries: Vec<serde_json::Value> = site
        .incidents
        .iter()
        .take(FEED_LENGTH)
        .map(|i| {
            let updated = end_as_of(i, site.as_of).unwrap_or(i.start);
            serde_json::json!({
                "incident": view(site, i),
                "updated": iso(updated),
                "content": markdown.render(&i.body).html,
            })
        })
        .collect();
    let updated = site
        .incidents
        .iter()
        .take(FEED_LENGTH)
        .map(|i| end_as_of(i, site.as_of).unwrap_or(i.start))
        .max()
        .unwrap_or(site.as_of);
    context.insert("entries", &entries);
    context.insert("updated", &iso(updated));
    context
}
