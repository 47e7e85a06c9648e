//! `aftermath stats`: the numbers for a reliability review, for a period and a service.
//!
//! Same definitions and code as the site (`stats::compute_with`), never a second
//! implementation. Counts, time to resolve and time to detect cover the incidents that *start*
//! in the period; downtime and availability cover everything that *overlaps* it, clipped. With
//! no period and no service, the JSON is exactly `api/stats.json`.

pub mod markdown;
pub mod periods;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::content::{Incident, Kind};
use crate::i18n::Locale;
use crate::render::views::{impact_percent, iso};
use crate::site::Site;
use crate::stats::calendar::{day_start, local_date};
use crate::stats::intervals::Span;
use crate::stats::{self, MonthCount, MonthRange, Statistics, Window, end_as_of, span_as_of};
use crate::text::time::parse_instant;

/// What to review.
#[derive(Debug, Clone, Default)]
pub struct ReviewOptions {
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub service: Option<String>,
}

/// `YYYY-MM-DD` (the start of that day in the site's zone) or an RFC 3339 time.
pub fn parse_bound(text: &str, zone: Tz) -> Result<DateTime<Utc>, crate::text::time::TimeError> {
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(date) => Ok(day_start(date, zone)),
        Err(_) => parse_instant(text, zone).map(|p| p.utc),
    }
}

/// One month of the trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// `YYYY-MM` in the site's zone.
    pub month: String,
    pub incidents: usize,
    pub downtime_seconds: i64,
}

/// The numbers of one review.
pub struct Review<'a> {
    pub options: ReviewOptions,
    /// The period actually covered: `[since, until)`, `until` at most T.
    pub period: Option<Span>,
    pub statistics: Statistics,
    /// Published entries (incidents and maintenance) that start in the period, newest first.
    pub incidents: Vec<&'a Incident>,
    pub by_service: Vec<(String, usize)>,
    pub trend: Vec<Month>,
}

/// Why a review cannot be made: the options ask for something the site does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("unknown service \"{service}\"; {hint}")]
    UnknownService { service: String, hint: String },
    #[error("--since ({since}) must be before --until and the as-of time ({until})")]
    EmptyPeriod { since: String, until: String },
}

/// Computes a review of `site`; an unknown service is an error.
pub fn review<'a>(site: &'a Site, options: &ReviewOptions) -> Result<Review<'a>, ReviewError> {
    let as_of = site.as_of;
    check_service(site, options.service.as_deref())?;
    let until = options.until.unwrap_or(as_of).min(as_of);
    let since = options.since;
    if let Some(since) = since
        && since >= until
    {
        return Err(ReviewError::EmptyPeriod {
            since: iso(since),
            until: iso(until),
        });
    }
    let wanted = |i: &Incident| {
        options
            .service
            .as_ref()
            .is_none_or(|s| i.services.contains(s))
            && since.is_none_or(|s| i.start >= s)
            // Without --until, everything the site counts (start at or before T: the site
            // holds nothing later); a period given by --until ends just before it.
            && (options.until.is_none() || i.start < until)
    };
    let selected: Vec<Incident> = site
        .incidents
        .iter()
        .filter(|i| wanted(i))
        .cloned()
        .collect();
    let period = (since.is_some() || options.until.is_some()).then(|| {
        let start =
            since.unwrap_or_else(|| selected.iter().map(|i| i.start).min().unwrap_or(until));
        Span::new(start.timestamp(), until.timestamp())
    });
    let windows = match period {
        Some(span) => vec![Window {
            label: "period".into(),
            span,
        }],
        None => stats::rolling_windows(as_of),
    };
    // All time runs to the month of T, as on the site; a period ends just before `until`.
    let months = MonthRange {
        from: since,
        to: match period {
            Some(_) => until - chrono::Duration::seconds(1),
            None => as_of,
        },
    };
    let statistics = statistics(
        site,
        &selected,
        &windows,
        months,
        options.service.as_deref(),
    );
    let incidents: Vec<&Incident> = site.incidents.iter().filter(|i| wanted(i)).collect();
    let mut by_service: BTreeMap<String, usize> = BTreeMap::new();
    for incident in incidents.iter().filter(|i| i.kind == Kind::Incident) {
        for service in &incident.services {
            *by_service.entry(service.clone()).or_default() += 1;
        }
    }
    let trend = trend(
        site,
        &statistics.per_month,
        options.service.as_deref(),
        months,
    );
    Ok(Review {
        options: options.clone(),
        period,
        statistics,
        incidents,
        by_service: by_service.into_iter().collect(),
        trend,
    })
}

/// An unknown service is an error, with the closest name or the list of names.
fn check_service(site: &Site, service: Option<&str>) -> Result<(), ReviewError> {
    let names: Vec<&str> = site
        .stats
        .services
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    match service {
        Some(service) if !names.contains(&service) => {
            let hint = crate::suggest::did_you_mean(service, names.iter().copied())
                .unwrap_or_else(|| format!("the services are: {}", names.join(", ")));
            Err(ReviewError::UnknownService {
                service: service.to_string(),
                hint,
            })
        }
        _ => Ok(()),
    }
}

/// The statistics of the selected incidents, with downtime and availability from every incident
/// that overlaps the windows (also those started before), for the one service if one is asked.
fn statistics(
    site: &Site,
    selected: &[Incident],
    windows: &[Window],
    months: MonthRange,
    only: Option<&str>,
) -> Statistics {
    // The site's history start, not the first selected incident's: a review of one service or
    // one period covers the same days the site does.
    let scope = stats::Scope {
        as_of: site.as_of,
        windows: windows.to_vec(),
        months,
        history_start: site.stats.history_start,
    };
    let mut statistics = stats::compute_with(selected, &site.config, &scope);
    let availability = stats::compute_with(&site.incidents, &site.config, &scope);
    statistics.overall.windows = availability.overall.windows.clone();
    for service in &mut statistics.services {
        if let Some(all) = availability
            .services
            .iter()
            .find(|s| s.name == service.name)
        {
            service.windows = all.windows.clone();
        }
    }
    if let Some(only) = only {
        statistics.services.retain(|s| s.name == only);
        statistics.overall = statistics.services[0].clone();
    }
    statistics
}

/// The months of the statistics with the downtime of each from the calendar, clipped to the
/// days of `range` (of the one service, if one is asked for).
fn trend(
    site: &Site,
    months: &[MonthCount],
    service: Option<&str>,
    range: MonthRange,
) -> Vec<Month> {
    let zone = site.config.timezone;
    let last = local_date(range.to, zone);
    let first = range.from.map(|t| local_date(t, zone));
    months
        .iter()
        .map(|m| {
            let month = NaiveDate::from_ymd_opt(m.year, m.month, 1).unwrap_or_default();
            let next = month
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(last);
            let from = first.map_or(month, |f| month.max(f));
            let downtime = site
                .calendar
                .range(from..next.min(last.succ_opt().unwrap_or(last)))
                .map(|(_, day)| match service {
                    Some(name) => day.services.get(name).map_or(0, |d| d.downtime_seconds),
                    None => day.downtime_seconds,
                })
                .sum();
            Month {
                month: m.key(),
                incidents: m.incidents,
                downtime_seconds: downtime,
            }
        })
        .collect()
}

impl Review<'_> {
    /// The review as `api/stats.json` shapes.
    pub fn to_json(&self) -> Vec<u8> {
        crate::render::api::pretty_json(&crate::render::api::stats_value(&self.statistics))
    }

    /// One row per incident with its computed durations, for spreadsheets.
    /// One row per incident; text cells that a spreadsheet would run as a formula are
    /// neutralised (see [`spreadsheet_safe`]).
    pub fn to_csv(&self, site: &Site) -> Result<String, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "id",
            "title",
            "kind",
            "status",
            "severity",
            "services",
            "impact_percent",
            "start",
            "end",
            "detected",
            "duration_seconds",
            "time_to_detect_seconds",
            "url",
        ])?;
        for incident in &self.incidents {
            let end = end_as_of(incident, site.as_of);
            let span = span_as_of(incident, site.as_of);
            writer.write_record([
                incident.id.clone(),
                spreadsheet_safe(&incident.title),
                incident.kind.as_str().to_string(),
                if end.is_some() { "resolved" } else { "ongoing" }.to_string(),
                spreadsheet_safe(incident.severity.as_deref().unwrap_or_default()),
                spreadsheet_safe(&incident.services.join(";")),
                impact_percent(incident.impact_basis_points).to_string(),
                iso(incident.start),
                end.map(iso).unwrap_or_default(),
                incident.detected.map(iso).unwrap_or_default(),
                end.map(|_| span.len().to_string()).unwrap_or_default(),
                stats::time_to_detect(incident, site.as_of)
                    .map(|seconds| seconds.to_string())
                    .unwrap_or_default(),
                format!("{}incidents/{}/", site.config.base_url, incident.id),
            ])?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A plain-text report for the terminal, in the site's language.
    pub fn to_table(&self, site: &Site) -> String {
        let locale = &site.config.locale;
        let mut out = String::new();
        self.write_heading(&mut out, site);
        self.write_summaries(&mut out, locale);
        self.write_availability(&mut out, locale);
        self.write_longest(&mut out, site);
        self.write_trend(&mut out, locale);
        out
    }

    /// What the review covers, then the counts by severity and by service.
    fn write_heading(&self, out: &mut String, site: &Site) {
        let (zone, locale) = (site.config.timezone, &site.config.locale);
        let s = &self.statistics;
        let local = |at: i64| {
            DateTime::<Utc>::from_timestamp(at, 0).map_or_else(String::new, |t| {
                t.with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
        };
        let scope = match self.period {
            Some(p) => locale.text(
                "review.range",
                &[("from", &local(p.start)), ("to", &local(p.end))],
            ),
            None => locale.text("review.all_time", &[]),
        };
        let service = self.options.service.as_ref().map_or(String::new(), |s| {
            locale.text("review.service_named", &[("service", s)])
        });
        let as_of = iso(s.as_of);
        let args = [
            ("scope", scope.as_str()),
            ("service", &service),
            ("as_of", &as_of),
        ];
        let _ = writeln!(out, "{}", locale.text("review.title_as_of", &args));
        let c = s.counts;
        let numbers = [c.total, c.resolved, c.ongoing, c.maintenance].map(|n| n.to_string());
        let args = [
            ("total", numbers[0].as_str()),
            ("resolved", &numbers[1]),
            ("ongoing", &numbers[2]),
            ("maintenance", &numbers[3]),
        ];
        let _ = writeln!(out, "{}", locale.text("review.counts", &args));
        let (list, none) = (counted_list(&s.by_severity), s.without_severity.to_string());
        let args = [("list", list.as_str()), ("none", &none)];
        let _ = writeln!(out, "{}", locale.text("review.by_severity", &args));
        let services = if self.by_service.is_empty() {
            locale.text("review.none", &[])
        } else {
            counted_list(&self.by_service)
        };
        let by_service = locale.text("review.by_service", &[("list", &services)]);
        let _ = writeln!(out, "{by_service}\n");
    }

    /// Time to resolve and to detect: n, median, p90 and mean.
    fn write_summaries(&self, out: &mut String, locale: &Locale) {
        let s = &self.statistics;
        let mut rows = vec![vec![
            String::new(),
            "n".into(),
            locale.text("review.median", &[]),
            "p90".into(),
            locale.text("review.mean", &[]),
        ]];
        for (key, summary) in [
            ("stats.time_to_resolve", &s.time_to_resolve),
            ("stats.time_to_detect", &s.time_to_detect),
        ] {
            let label = |v: f64| match summary.n {
                0 => "-".to_string(),
                _ => locale.seconds(v),
            };
            rows.push(vec![
                locale.text(key, &[]),
                summary.n.to_string(),
                label(summary.median),
                label(summary.p90),
                label(summary.mean),
            ]);
        }
        out.push_str(&columns(
            &rows,
            &[
                (18, Align::Left),
                (5, Align::Right),
                (12, Align::Right),
                (12, Align::Right),
                (12, Align::Right),
            ],
        ));
    }

    /// Downtime and availability, plain and weighted, per service and window.
    fn write_availability(&self, out: &mut String, locale: &Locale) {
        let s = &self.statistics;
        let heads = [
            "review.availability",
            "review.window",
            "review.downtime",
            "review.available",
            "review.weighted_downtime",
            "review.weighted",
        ];
        let mut rows = vec![
            heads
                .iter()
                .map(|key| locale.text(key, &[]))
                .collect::<Vec<_>>(),
        ];
        // The statistics name all services in English; the report names them in its language.
        let all_services = locale.text("availability.all_services", &[]);
        let mut services: Vec<(&str, &stats::ServiceStats)> =
            s.services.iter().map(|s| (s.name.as_str(), s)).collect();
        if self.options.service.is_none() {
            services.push((&all_services, &s.overall));
        }
        for (name, service) in services {
            for (window, w) in &service.windows {
                rows.push(vec![
                    name.to_string(),
                    window.clone(),
                    locale.duration(w.downtime_seconds),
                    locale.percent(w.availability()),
                    locale.seconds(w.weighted_downtime_seconds()),
                    locale.percent(w.weighted_availability()),
                ]);
            }
        }
        out.push('\n');
        out.push_str(&columns(
            &rows,
            &[
                (24, Align::Left),
                (8, Align::Right),
                (14, Align::Right),
                (12, Align::Right),
                (14, Align::Right),
                (12, Align::Right),
            ],
        ));
    }

    /// The longest resolved incidents of the review, as the statistics ranked them.
    fn write_longest(&self, out: &mut String, site: &Site) {
        let (zone, locale) = (site.config.timezone, &site.config.locale);
        let _ = writeln!(out, "\n{}", locale.text("stats.longest", &[]));
        if self.statistics.longest.is_empty() {
            let _ = writeln!(out, "  {}", locale.text("review.longest_none", &[]));
        }
        for ranked in &self.statistics.longest {
            let Some(incident) = self.incidents.iter().find(|i| i.id == ranked.id) else {
                continue;
            };
            let severity = incident
                .severity
                .as_deref()
                .map_or(String::new(), |s| format!(" ({s})"));
            let _ = writeln!(
                out,
                "  {}  {}  {}{severity}",
                pad(&locale.duration(ranked.seconds), 12, Align::Right),
                local_date(incident.start, zone),
                incident.title
            );
        }
    }

    /// Incidents and downtime month by month.
    fn write_trend(&self, out: &mut String, locale: &Locale) {
        let heading = match self.options.service {
            Some(_) => "review.month_by_month_service",
            None => "review.month_by_month",
        };
        let _ = writeln!(out, "\n{}", locale.text(heading, &[]));
        for month in &self.trend {
            let n = month.incidents as i64;
            // The number right-aligned in three columns, the words after it.
            let padded = format!("{n:>3}");
            let incidents = locale.count("review.trend_incidents", n, &[("count", &padded)]);
            let downtime = pad(&locale.duration(month.downtime_seconds), 14, Align::Right);
            let _ = writeln!(
                out,
                "  {}  {}  {}",
                month.month,
                pad(&incidents, 13, Align::Left),
                locale.text("review.trend_downtime", &[("downtime", &downtime)])
            );
        }
    }
}

/// Which side of a column text keeps to.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Right,
}

/// `rows` as lines of columns at least as wide as `layout` says, wider where a cell needs it
/// (widths in terminal columns, so Japanese lines up too). The first column carries its own
/// space before the second; the others are two spaces apart.
pub(crate) fn columns(rows: &[Vec<String>], layout: &[(usize, Align)]) -> String {
    let widths: Vec<usize> = layout
        .iter()
        .enumerate()
        .map(|(n, (least, _))| {
            let widest = rows
                .iter()
                .filter_map(|row| row.get(n))
                .map(|cell| unicode_width::UnicodeWidthStr::width(cell.as_str()))
                .max()
                .unwrap_or(0);
            // The first column ends in a space, so the second never touches it.
            let widest = if n == 0 { widest + 1 } else { widest };
            widest.max(*least)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (n, (cell, ((_, align), width))) in
            row.iter().zip(layout.iter().zip(&widths)).enumerate()
        {
            if n > 1 {
                line.push_str("  ");
            }
            line.push_str(&pad(cell, *width, *align));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `text` padded with spaces to `width` terminal columns, counting wide characters (Japanese)
/// as two, so tables line up in every language.
pub(crate) fn pad(text: &str, width: usize, align: Align) -> String {
    let fill = " ".repeat(width.saturating_sub(unicode_width::UnicodeWidthStr::width(text)));
    match align {
        Align::Left => format!("{text}{fill}"),
        Align::Right => format!("{fill}{text}"),
    }
}

/// `name count, name count`.
fn counted_list(counts: &[(String, usize)]) -> String {
    let items: Vec<String> = counts.iter().map(|(n, c)| format!("{n} {c}")).collect();
    items.join(", ")
}

/// A text cell that a spreadsheet cannot take for a formula: one starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`, as OWASP's CSV-injection guidance says.
/// The quote shows in the cell; no formula runs.
pub fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_neutralised() {
        for (cell, safe) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("Checkout = slow", "Checkout = slow"),
            ("", ""),
        ] {
            assert_eq!(spreadsheet_safe(cell), safe, "{cell}");
        }
    }
}
