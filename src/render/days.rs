//! Days as the site shows them: the cells of the uptime bars and of the calendar heatmap.
//!
//! Each day carries its downtime as a colour level and as a full sentence (for screen readers,
//! and as the tooltip shown on hover and keyboard focus), and links to its incident, or to the
//! month in the history when several incidents touched it.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::content::Kind;
use crate::site::Site;
use crate::stats::calendar::local_date;
use crate::text::dates;

/// One day of an uptime bar or a calendar cell.
#[derive(Clone, Serialize)]
pub struct DayCell {
    pub day: String,
    /// 0 no downtime, 1 under 10 min, 2 under 1 h, 3 under 4 h, 4 longer; -1 no data (in the
    /// future, or before the history or the service began).
    pub level: i8,
    /// A day after the as-of time (also level -1), drawn apart from the past without data.
    pub future: bool,
    pub downtime_label: String,
    pub severity: String,
    pub label: String,
    pub url: String,
}

fn level(downtime_seconds: i64) -> i8 {
    match downtime_seconds {
        0 => 0,
        s if s < 600 => 1,
        s if s < 3_600 => 2,
        s if s < 4 * 3_600 => 3,
        _ => 4,
    }
}

pub fn day_cell(
    site: &Site,
    date: NaiveDate,
    downtime: i64,
    worst: Option<usize>,
    ids: &[usize],
) -> DayCell {
    let incidents = ids.len();
    let severity = worst
        .and_then(|r| site.config.severities.get(r).cloned())
        .unwrap_or_default();
    let locale = &site.config.locale;
    let pretty = locale.formats().long_date(date);
    let downtime_label = locale.duration(downtime);
    let label = if downtime == 0 {
        locale.text("day.no_downtime", &[("date", &pretty)])
    } else {
        let count = locale.count("list.incidents", incidents as i64, &[]);
        let key = match severity.is_empty() {
            true => "day.downtime",
            false => "day.downtime_severity",
        };
        let args = [
            ("date", pretty.as_str()),
            ("downtime", &downtime_label),
            ("incidents", &count),
            ("severity", &severity),
        ];
        locale.text(key, &args)
    };
    DayCell {
        day: dates::ymd(&date),
        level: level(downtime),
        future: false,
        downtime_label,
        severity,
        url: match ids {
            [] => String::new(),
            [only] => format!("incidents/{}/", site.incidents[*only].id),
            _ => format!("history/{}/#{}", date.year(), dates::year_month(&date)),
        },
        label,
    }
}

/// A day without data: in the future, or before the history (or the service) began; `why` is
/// the key of its label (`day.future`, `day.before_history`, `day.before_service`).
pub fn no_data_cell(site: &Site, date: NaiveDate, why: &str) -> DayCell {
    let mut cell = day_cell(site, date, 0, None, &[]);
    let locale = &site.config.locale;
    cell.level = -1;
    cell.label = locale.text(why, &[("date", &locale.formats().long_date(date))]);
    cell
}

/// Where a month starts in a calendar year: its name and the week column of its first day.
#[derive(Serialize)]
pub struct MonthLabel {
    name: String,
    column: usize,
}

/// One year of the calendar.
#[derive(Serialize)]
pub struct CalendarYear {
    year: i32,
    /// Seven rows (from the language's first day of the week), one cell per week; `None` before January 1 and after
    /// December 31.
    rows: Vec<Vec<Option<DayCell>>>,
    weeks: usize,
    months: Vec<MonthLabel>,
    downtime_label: String,
    /// Incidents (kind incident) that started in the year.
    incidents: usize,
}

/// `calendar.html`: a heatmap per year, weeks as columns, from the language's first day of the
/// week (Monday in most of Europe, Sunday in Brazil, Japan and the United States).
#[derive(Serialize)]
pub struct CalendarPage {
    section: &'static str,
    years: Vec<CalendarYear>,
    /// The weekdays' short names in row order.
    weekdays: Vec<String>,
}

/// The seven weekdays from the language's first day of the week.
fn week_days(site: &Site) -> impl Iterator<Item = chrono::Weekday> {
    let first = site.config.locale.formats().first_weekday();
    (0..7u8).map(move |n| (0..n).fold(first, |day, _| day.succ()))
}

pub fn calendar(site: &Site) -> CalendarPage {
    let formats = site.config.locale.formats();
    let today = local_date(site.as_of, site.config.timezone);
    let mut all_years: Vec<i32> = site.years.clone();
    if !all_years.contains(&today.year()) {
        all_years.insert(0, today.year());
    }
    CalendarPage {
        section: "calendar",
        years: all_years
            .into_iter()
            .map(|year| calendar_year(site, year, today))
            .collect(),
        weekdays: week_days(site).map(|d| formats.weekday(d)).collect(),
    }
}

fn calendar_year(site: &Site, year: i32, today: NaiveDate) -> CalendarYear {
    let first_day = site
        .stats
        .history_start
        .map(|start| local_date(start, site.config.timezone));
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
    let week_start = site.config.locale.formats().first_weekday();
    let lead = first.weekday().days_since(week_start) as usize;
    let mut weeks: Vec<Vec<Option<DayCell>>> = vec![vec![]];
    weeks[0].extend((0..lead).map(|_| None));
    let mut total = 0;
    let mut months = Vec::new();
    for date in first.iter_days().take_while(|d| *d <= last) {
        if weeks.last().is_some_and(|w| w.len() == 7) {
            weeks.push(Vec::new());
        }
        if date.day() == 1 {
            months.push(MonthLabel {
                name: site.config.locale.formats().month_short(date.month()),
                column: weeks.len() - 1,
            });
        }
        let cell = if date > today {
            let mut cell = no_data_cell(site, date, "day.future");
            cell.future = true;
            cell
        } else if first_day.is_some_and(|first| date < first) {
            no_data_cell(site, date, "day.before_history")
        } else {
            let day = site.calendar.get(&date);
            let downtime = day.map_or(0, |d| d.downtime_seconds);
            total += downtime;
            let ids = day.map_or(&[][..], |d| &d.incidents[..]);
            day_cell(
                site,
                date,
                downtime,
                day.and_then(|d| d.worst_severity),
                ids,
            )
        };
        if let Some(week) = weeks.last_mut() {
            week.push(Some(cell));
        }
    }
    if let Some(week) = weeks.last_mut() {
        week.resize_with(7, || None);
    }
    let week_count = weeks.len();
    // Rows are weekdays, columns weeks (as a table: one row per weekday).
    let mut rows: Vec<Vec<Option<DayCell>>> =
        (0..7).map(|_| Vec::with_capacity(week_count)).collect();
    for week in weeks {
        for (row, cell) in rows.iter_mut().zip(week) {
            row.push(cell);
        }
    }
    let zone = site.config.timezone;
    CalendarYear {
        year,
        rows,
        weeks: week_count,
        months,
        downtime_label: site.config.locale.duration(total),
        incidents: site
            .incidents
            .iter()
            .filter(|i| i.kind == Kind::Incident && i.start.with_timezone(&zone).year() == year)
            .count(),
    }
}
