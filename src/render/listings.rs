//! The listing pages: the history index, one page per year, one page per service.

use chrono::NaiveDate;
use serde::Serialize;

use super::pages::{description_of, view};
use super::views::{IncidentView, ServiceStatsView, duration_label};
use crate::content::Kind;
use crate::site::Site;
use crate::stats;
use crate::text::dates;

/// Up to this many entries, the history index lists every incident under its month;
/// larger archives show counts there and the lists on the year pages.
pub const HISTORY_INDEX_LIST_LIMIT: usize = 1_000;

/// A month of history with its entries (on the history index of a large site, without).
#[derive(Serialize)]
pub struct MonthGroup {
    /// `YYYY-MM`, the anchor of the month on its year page.
    key: String,
    name: String,
    /// Incidents (kind incident) that started in the month.
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
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
            let downtime: i64 = site
                .calendar
                .range(first..next)
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

/// A year on the history index.
#[derive(Serialize)]
pub struct HistoryYear {
    year: i32,
    url: String,
    count: usize,
    months: Vec<MonthGroup>,
}

/// `history.html`: every year with its months and counts.
#[derive(Serialize)]
pub struct HistoryPage {
    section: &'static str,
    years: Vec<HistoryYear>,
}

pub fn history_index(site: &Site) -> HistoryPage {
    let list = site.incidents.len() <= HISTORY_INDEX_LIST_LIMIT;
    let years = site
        .years
        .iter()
        .map(|&year| {
            let months = months_of(site, year, list);
            HistoryYear {
                year,
                url: format!("history/{year}/"),
                count: months.iter().map(|m| m.count).sum(),
                months,
            }
        })
        .collect();
    HistoryPage {
        section: "history",
        years,
    }
}

/// `history_year.html`: one year of history, by month.
#[derive(Serialize)]
pub struct HistoryYearPage {
    section: &'static str,
    year: i32,
    months: Vec<MonthGroup>,
    newer_year: Option<i32>,
    older_year: Option<i32>,
}

/// The year at `position` in `Site::years`.
pub fn history_year(site: &Site, position: usize) -> HistoryYearPage {
    let all = &site.years;
    let year = all[position];
    HistoryYearPage {
        section: "history",
        year,
        months: months_of(site, year, true),
        newer_year: position.checked_sub(1).map(|i| all[i]),
        older_year: all.get(position + 1).copied(),
    }
}

/// `service.html`: availability windows, time to resolve, the service's incidents.
#[derive(Serialize)]
pub struct ServicePage {
    section: &'static str,
    service: ServiceStatsView,
    incidents: Vec<IncidentView>,
}

/// The service at `index` in the statistics.
pub fn service(site: &Site, index: usize) -> ServicePage {
    let stats = &site.stats.services[index];
    ServicePage {
        section: "services",
        service: ServiceStatsView::new(stats, &description_of(site, &stats.name)),
        incidents: site
            .incidents
            .iter()
            .filter(|i| i.services.iter().any(|s| s == &stats.name))
            .map(|i| view(site, i))
            .collect(),
    }
}
