//! The listing pages: the history index, the year pages, and the pages of each service,
//! severity and tag. Long lists are paged (see `paging.rs`); rows are grouped by month on a year
//! page and by year elsewhere.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::pages::{UptimeBar, description_of, uptime_bar};
use super::paging::{Pager, page_slice, page_url};
use super::shared::Shared;
use super::views::{IncidentView, ServiceLink, ServiceStatsView, StatusView};
use crate::content::Kind;
use crate::site::Site;
use crate::site::lists::Tag;
use crate::text::dates;

/// A month on the history index: its counts and where its entries are listed.
#[derive(Serialize)]
pub struct MonthSummary {
    /// `YYYY-MM`, the anchor of the month on its year page.
    key: String,
    name: String,
    /// Incidents (kind incident) that started in the month.
    count: usize,
    /// Maintenance windows that started in the month.
    maintenance: usize,
    downtime_seconds: i64,
    downtime_label: String,
    /// The year page (the right page of it) and the month's anchor.
    url: String,
}

/// A year on the history index.
#[derive(Serialize)]
pub struct HistoryYear {
    year: i32,
    url: String,
    /// Incidents (kind incident) that started in the year.
    count: usize,
    months: Vec<MonthSummary>,
}

/// `history.html`: every year with its months, counts and downtime.
#[derive(Serialize)]
pub struct HistoryPage {
    section: &'static str,
    years: Vec<HistoryYear>,
}

fn year_url(year: i32) -> String {
    format!("history/{year}/")
}

/// The month (first day, site zone) an entry starts in.
fn month_of(site: &Site, index: usize) -> NaiveDate {
    let local = site.incidents[index]
        .start
        .with_timezone(&site.config.timezone);
    NaiveDate::from_ymd_opt(local.year(), local.month(), 1).unwrap_or_default()
}

/// The downtime of any service over the month starting at `first`.
fn month_downtime(site: &Site, first: NaiveDate) -> i64 {
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    site.calendar
        .range(first..next)
        .map(|(_, day)| day.downtime_seconds)
        .sum()
}

fn incidents_among(site: &Site, list: &[usize]) -> usize {
    list.iter()
        .filter(|&&i| site.incidents[i].kind == Kind::Incident)
        .count()
}

/// The months of one year's list, newest first, each with the positions of its entries.
fn months_in(site: &Site, list: &[usize]) -> Vec<(NaiveDate, Vec<usize>)> {
    let mut months: Vec<(NaiveDate, Vec<usize>)> = Vec::new();
    for (position, &index) in list.iter().enumerate() {
        let month = month_of(site, index);
        match months.last_mut() {
            Some((m, positions)) if *m == month => positions.push(position),
            _ => months.push((month, vec![position])),
        }
    }
    months
}

pub fn history_index(site: &Site) -> HistoryPage {
    let years = site
        .lists
        .by_year
        .iter()
        .map(|(year, list)| {
            let months = months_in(site, list)
                .into_iter()
                .map(|(first, positions)| {
                    let entries: Vec<usize> = positions.iter().map(|&p| list[p]).collect();
                    let page = positions[0] / super::paging::PAGE_SIZE;
                    let key = dates::year_month(&first);
                    let downtime = month_downtime(site, first);
                    MonthSummary {
                        url: format!("{}#{key}", page_url(&year_url(*year), page)),
                        key,
                        name: site.config.locale.formats().month_year(first),
                        count: incidents_among(site, &entries),
                        maintenance: entries.len() - incidents_among(site, &entries),
                        downtime_seconds: downtime,
                        downtime_label: site.config.locale.duration(downtime),
                    }
                })
                .collect();
            HistoryYear {
                year: *year,
                url: year_url(*year),
                count: incidents_among(site, list),
                months,
            }
        })
        .collect();
    HistoryPage {
        section: "history",
        years,
    }
}

/// A month on a year page, with its entries on this page.
#[derive(Serialize)]
pub struct MonthGroup {
    /// `YYYY-MM`, the month's anchor.
    key: String,
    name: String,
    /// Incidents (kind incident) that started in the whole month, on any page.
    count: usize,
    /// Maintenance windows that started in the whole month.
    maintenance: usize,
    downtime_seconds: i64,
    downtime_label: String,
    incidents: Vec<Arc<IncidentView>>,
}

/// `history_year.html`: one page of a year's entries, by month.
#[derive(Serialize)]
pub struct HistoryYearPage {
    section: &'static str,
    year: i32,
    months: Vec<MonthGroup>,
    newer_year: Option<i32>,
    older_year: Option<i32>,
    pager: Pager,
}

/// Page `page` of the year at `position` in `Site::lists.by_year`.
pub fn history_year(site: &Site, shared: &Shared, position: usize, page: usize) -> HistoryYearPage {
    let all = &site.years;
    let (year, list) = &site.lists.by_year[position];
    let shown = page_slice(list, page);
    let months = months_in(site, list)
        .into_iter()
        .filter_map(|(first, positions)| {
            let on_page: Vec<Arc<IncidentView>> = positions
                .iter()
                .map(|&p| list[p])
                .filter(|i| shown.contains(i))
                .map(|i| shared.view(site, i))
                .collect();
            let whole: Vec<usize> = positions.iter().map(|&p| list[p]).collect();
            let downtime = month_downtime(site, first);
            (!on_page.is_empty()).then(|| MonthGroup {
                key: dates::year_month(&first),
                name: site.config.locale.formats().month_year(first),
                count: incidents_among(site, &whole),
                maintenance: whole.len() - incidents_among(site, &whole),
                downtime_seconds: downtime,
                downtime_label: site.config.locale.duration(downtime),
                incidents: on_page,
            })
        })
        .collect();
    HistoryYearPage {
        section: "history",
        year: *year,
        months,
        newer_year: position.checked_sub(1).map(|i| all[i]),
        older_year: all.get(position + 1).copied(),
        pager: Pager::new(&year_url(*year), page, list.len()),
    }
}

/// The entries of one year on a service, severity or tag page.
#[derive(Serialize)]
pub struct YearGroup {
    year: i32,
    /// Entries of the whole list in that year, on any page.
    count: usize,
    incidents: Vec<Arc<IncidentView>>,
}

/// The entries of `list` that page `page` shows, grouped by year.
fn years_of(site: &Site, shared: &Shared, list: &[usize], page: usize) -> Vec<YearGroup> {
    let zone = site.config.timezone;
    let year_of = |i: usize| site.incidents[i].start.with_timezone(&zone).year();
    let mut groups: Vec<YearGroup> = Vec::new();
    for &index in page_slice(list, page) {
        let year = year_of(index);
        let item = shared.view(site, index);
        match groups.last_mut() {
            Some(group) if group.year == year => group.incidents.push(item),
            _ => groups.push(YearGroup {
                year,
                count: entries_in_year(list, year, year_of),
                incidents: vec![item],
            }),
        }
    }
    groups
}

/// How many entries of `list` fall in `year`. The list is newest first, so a year's entries are
/// one run: two binary searches find it (counting by a scan made every page of a long list cost
/// the whole list again, quadratic in the list's length).
fn entries_in_year(list: &[usize], year: i32, year_of: impl Fn(usize) -> i32) -> usize {
    let first = list.partition_point(|&i| year_of(i) > year);
    let end = list.partition_point(|&i| year_of(i) >= year);
    end - first
}

/// `service.html`: current status, the uptime bar, availability and time to resolve (on the
/// first page), and the service's entries by year.
#[derive(Serialize)]
pub struct ServicePage {
    section: &'static str,
    service: ServiceStatsView,
    status: StatusView,
    uptime: UptimeBar,
    uptime_days: u64,
    /// Its error budget, when it has an objective.
    budget: Option<super::budget::BudgetView>,
    years: Vec<YearGroup>,
    pager: Pager,
}

/// Page `page` of the service at `index` in the statistics.
pub fn service(site: &Site, shared: &Shared, index: usize, page: usize) -> ServicePage {
    let stats = &site.stats.services[index];
    let list = &site.lists.by_service[index];
    let bar = uptime_bar(site, stats);
    ServicePage {
        section: "services",
        service: ServiceStatsView::new(stats, &description_of(site, &stats.name), &site.config),
        status: bar.status.clone(),
        uptime: bar,
        uptime_days: super::pages::UPTIME_DAYS,
        budget: site
            .budget(&stats.name)
            .map(|b| super::budget::view(site, b)),
        years: years_of(site, shared, list, page),
        pager: Pager::new(&ServiceLink::new(&stats.name).url, page, list.len()),
    }
}

/// `listing.html`: the entries of one severity or one tag, by year.
#[derive(Serialize)]
pub struct ListingPage {
    section: &'static str,
    /// `severity` or `tag`.
    kind: &'static str,
    name: String,
    /// Entries in the whole list.
    count: usize,
    years: Vec<YearGroup>,
    pager: Pager,
}

/// The URL of a tag's first page.
pub fn tag_url(tag: &Tag) -> String {
    super::views::tag_url(&tag.slug)
}

/// Page `page` of the severity at `rank`.
pub fn severity(site: &Site, shared: &Shared, rank: usize, page: usize) -> ListingPage {
    let name = &site.config.severities[rank];
    let list = &site.lists.by_severity[rank];
    ListingPage {
        section: "history",
        kind: "severity",
        name: name.clone(),
        count: list.len(),
        years: years_of(site, shared, list, page),
        pager: Pager::new(&super::views::severity_url(name), page, list.len()),
    }
}

/// Page `page` of the tag at `position` in `Site::lists.tags`.
pub fn tag(site: &Site, shared: &Shared, position: usize, page: usize) -> ListingPage {
    let tag = &site.lists.tags[position];
    ListingPage {
        section: "history",
        kind: "tag",
        name: tag.name.clone(),
        count: tag.incidents.len(),
        years: years_of(site, shared, &tag.incidents, page),
        pager: Pager::new(&tag_url(tag), page, tag.incidents.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_years_entries_are_counted_from_a_newest_first_list() {
        // Positions 0..7 of a newest-first list, with their years.
        let years = [2026, 2026, 2025, 2025, 2025, 2023, 2021];
        let list: Vec<usize> = (0..years.len()).collect();
        let year_of = |i: usize| years[i];
        let count = |year| entries_in_year(&list, year, year_of);
        assert_eq!(
            [
                count(2026),
                count(2025),
                count(2024),
                count(2023),
                count(2021),
                count(2027)
            ],
            [2, 3, 0, 1, 1, 0]
        );
        // A sublist (a service's entries) skips positions but keeps the order.
        let sublist = [1, 4, 6];
        assert_eq!(entries_in_year(&sublist, 2025, year_of), 1);
    }
}
