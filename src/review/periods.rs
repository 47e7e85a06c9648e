//! `aftermath stats --period month|quarter|year`: the rows of the `reports/` pages (the very
//! same `Site::reports`), for one service or all, as a terminal table, JSON or CSV.
//!
//! Periods that have not begun at T are left out; periods before a service's history began are
//! kept, with empty figures ("no data"), as on the pages.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Align, ReviewError, ReviewOptions, check_service, columns, spreadsheet_safe};
use crate::i18n::Locale;
use crate::render::api::pretty_json;
use crate::render::views::iso;
use crate::site::Site;
use crate::stats::periods::{NoData, PeriodKind, PeriodRow};
use crate::stats::summary::seconds_json;

/// The rows asked for.
pub struct PeriodReport<'a> {
    pub kind: PeriodKind,
    pub as_of: DateTime<Utc>,
    pub rows: Vec<&'a PeriodRow>,
}

/// The rows of `kind` for the options' service (or all), of the periods that overlap
/// `[since, until)` and have begun at T.
pub fn period_report<'a>(
    site: &'a Site,
    kind: PeriodKind,
    options: &ReviewOptions,
) -> Result<PeriodReport<'a>, ReviewError> {
    check_service(site, options.service.as_deref())?;
    let since = options.since.map(|t| t.timestamp());
    let until = options.until.map(|t| t.timestamp());
    let rows = site
        .reports
        .rows(kind)
        .iter()
        .filter(|row| row.counted != Err(NoData::NotYet))
        .filter(|row| options.service.as_ref().is_none_or(|s| *s == row.service))
        .filter(|row| since.is_none_or(|s| row.period.end > s))
        .filter(|row| until.is_none_or(|u| row.period.start < u))
        .collect();
    Ok(PeriodReport {
        kind,
        as_of: site.as_of,
        rows,
    })
}

/// `month`, `quarter`, `year`.
pub fn kind_name(kind: PeriodKind) -> &'static str {
    match kind {
        PeriodKind::Month => "month",
        PeriodKind::Quarter => "quarter",
        PeriodKind::Year => "year",
    }
}

/// The figures of one row as JSON; the same numbers the report pages print.
pub fn row_json(row: &PeriodRow) -> Value {
    let at = |seconds: i64| DateTime::from_timestamp(seconds, 0).map(iso);
    let counted = row.counted.as_ref().ok();
    json!({
        "service": row.service,
        "period": row.period.label(),
        "start": at(row.period.start),
        "end": at(row.period.end),
        "partial": row.partial,
        "no_data": match row.counted {
            Ok(_) => Value::Null,
            Err(NoData::BeforeHistory) => json!("before-history"),
            Err(NoData::NotYet) => json!("not-yet"),
        },
        "counted_from": counted.and_then(|w| at(w.from)),
        "length_seconds": counted.map(|w| w.length_seconds),
        "downtime_seconds": counted.map(|w| w.downtime_seconds),
        "weighted_downtime_seconds": counted.map(|w| seconds_json(w.weighted_downtime_seconds())),
        "availability": counted.map(|w| w.availability()),
        "weighted_availability": counted.map(|w| w.weighted_availability()),
        "target": row.objective.map(|o| o.target_percent()),
        "weighted": row.objective.map(|o| o.weighted),
        "met": row.met,
        "budget_used": row.budget_used,
        "incidents": row.incidents,
        "time_to_resolve_median_seconds": match row.time_to_resolve.n {
            0 => Value::Null,
            _ => seconds_json(row.time_to_resolve.median),
        },
    })
}

impl PeriodReport<'_> {
    pub fn to_json(&self) -> Vec<u8> {
        let rows: Vec<Value> = self.rows.iter().map(|row| row_json(row)).collect();
        pretty_json(&json!({
            "as_of": iso(self.as_of),
            "period": kind_name(self.kind),
            "rows": rows,
        }))
    }

    /// `service,period,availability,weighted_availability,target,met,budget_used,incidents`;
    /// empty cells where there is no figure.
    pub fn to_csv(&self) -> Result<String, csv::Error> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record([
            "service",
            "period",
            "availability",
            "weighted_availability",
            "target",
            "met",
            "budget_used",
            "incidents",
        ])?;
        let text = |value: Option<String>| value.unwrap_or_default();
        for row in &self.rows {
            let counted = row.counted.as_ref().ok();
            writer.write_record([
                spreadsheet_safe(&row.service),
                row.period.label(),
                text(counted.map(|w| w.availability().to_string())),
                text(counted.map(|w| w.weighted_availability().to_string())),
                text(row.objective.map(|o| o.target_percent().to_string())),
                text(row.met.map(|m| m.to_string())),
                text(row.budget_used.map(|b| b.to_string())),
                row.incidents.to_string(),
            ])?;
        }
        let bytes = writer.into_inner().map_err(|e| e.into_error())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// One line per row, aligned for the terminal, in the site's language.
    pub fn to_table(&self, locale: &Locale) -> String {
        let heads = [
            "review.service_col",
            "review.period",
            "review.available",
            "review.weighted",
            "review.target",
            "review.met",
            "review.budget",
            "review.incidents",
        ];
        let mut rows = vec![
            heads
                .iter()
                .map(|key| locale.text(key, &[]))
                .collect::<Vec<_>>(),
        ];
        for r in &self.rows {
            let (available, weighted) = match &r.counted {
                Ok(w) => (
                    locale.percent(w.availability()),
                    locale.percent(w.weighted_availability()),
                ),
                Err(_) => (locale.text("review.no_data", &[]), String::new()),
            };
            let met = match (r.met, r.partial) {
                (Some(true), false) => locale.text("review.met", &[]),
                (Some(true), true) => locale.text("review.so_far", &[]),
                (Some(false), _) => locale.text("review.missed", &[]),
                (None, _) => "-".into(),
            };
            rows.push(vec![
                r.service.clone(),
                r.period.label(),
                available,
                weighted,
                r.objective
                    .map_or_else(|| "-".into(), |o| locale.target(o.target_ppm)),
                met,
                r.budget_used
                    .map_or_else(|| "-".into(), |b| locale.share(b)),
                r.incidents.to_string(),
            ]);
        }
        columns(
            &rows,
            &[
                (20, Align::Left),
                (9, Align::Left),
                (10, Align::Right),
                (10, Align::Right),
                (8, Align::Right),
                (7, Align::Left),
                (9, Align::Right),
                (9, Align::Right),
            ],
        )
    }
}
