//! Calendar-period reports: for every service and every month, quarter and year (in the site's
//! time zone) from the first year of the history to T, its availability against its objective,
//! the budget used, and the incidents that started in it. The `reports/` pages and
//! `aftermath stats --period` print these rows, so both always agree.
//!
//! A period counts from its first local midnight, or from where the service's history begins
//! when that is later, to its end or T, whichever is first. A period with nothing of that left
//! is "no data": before the history began, or not begun yet. The budget of a period is that of
//! the whole period from that start (as for a calendar `slo_window`): a month under way has
//! its whole month's budget, of which it has used so much. Formulas: `docs/statistics.md`.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;

use super::calendar::{day_start, local_date};
use super::impact::{Affecting, impact_spans};
use super::intervals::Span;
use super::slo::rounded_ratio;
use super::summary::Summary;
use super::{WindowStats, end_as_of, service_start, window_stats};
use crate::config::Config;
use crate::config::slo::Objective;
use crate::content::{Incident, Kind};

/// How long the periods of a report are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }
}

/// One calendar period: its first day and its bounds (local midnights, as UTC seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: PeriodKind,
    pub first_day: NaiveDate,
    pub start: i64,
    pub end: i64,
}

impl Period {
    pub fn new(kind: PeriodKind, first_day: NaiveDate, zone: Tz) -> Period {
        let next = first_day + Months::new(kind.months());
        Period {
            kind,
            first_day,
            start: day_start(first_day, zone).timestamp(),
            end: day_start(next, zone).timestamp(),
        }
    }

    /// `2025-03`, `2025-Q1` or `2025`.
    pub fn label(&self) -> String {
        let year = self.first_day.year();
        match self.kind {
            PeriodKind::Month => format!("{year}-{:02}", self.first_day.month()),
            PeriodKind::Quarter => format!("{year}-Q{}", self.first_day.month0() / 3 + 1),
            PeriodKind::Year => year.to_string(),
        }
    }
}

/// Why a period has no figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoData {
    /// It ended before the service's history began.
    BeforeHistory,
    /// It begins after T.
    NotYet,
}

/// One service over one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRow {
    pub service: String,
    pub period: Period,
    /// What is counted, from the period's (or the service's) start to its end or T; `None`
    /// with the reason when nothing is.
    pub counted: Result<WindowStats, NoData>,
    /// The period has not ended at T.
    pub partial: bool,
    pub objective: Option<Objective>,
    /// Consumed over budget, 6 decimals, and whether it stayed within; `None` without an
    /// objective or data.
    pub budget_used: Option<f64>,
    pub met: Option<bool>,
    /// Incidents that affect the service and start in the period, and their time to resolve.
    pub incidents: usize,
    pub time_to_resolve: Summary,
}

/// The periods of `kind` over the whole years from the history's first year to T's year (the
/// periods after T are there, as "not yet", so that every year is whole).
pub fn periods(
    kind: PeriodKind,
    from: DateTime<Utc>,
    as_of: DateTime<Utc>,
    zone: Tz,
) -> Vec<Period> {
    let first_year = local_date(from, zone).year();
    let last_year = local_date(as_of, zone).year().max(first_year);
    let (Some(mut day), Some(end)) = (
        NaiveDate::from_ymd_opt(first_year, 1, 1),
        NaiveDate::from_ymd_opt(last_year + 1, 1, 1),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while day < end {
        out.push(Period::new(kind, day, zone));
        day = day + Months::new(kind.months());
    }
    out
}

/// Every service's rows over every period of `kind`, service by service in the order of
/// `services`, periods oldest first. Empty without a history.
pub fn period_rows(
    entries: &[Incident],
    config: &Config,
    services: &[String],
    as_of: DateTime<Utc>,
    history_start: Option<DateTime<Utc>>,
    kind: PeriodKind,
) -> Vec<PeriodRow> {
    let Some(start) = history_start else {
        return Vec::new();
    };
    let list = periods(kind, start, as_of, config.timezone);
    services
        .par_iter()
        .flat_map_iter(|name| {
            let affected: Vec<&Incident> = entries
                .iter()
                .filter(|i| i.kind == Kind::Incident && i.services.contains(name))
                .collect();
            let names = [name.as_str()];
            let spans: Vec<(Span, u32)> = affected
                .iter()
                .flat_map(|i| impact_spans(i, Affecting::AnyOf(&names), as_of))
                .collect();
            let from = service_start(config, name, history_start);
            let objective = config.objective(name);
            list.iter()
                .map(|period| {
                    let service = Service {
                        name,
                        affected: &affected,
                        spans: &spans,
                        from,
                        objective,
                    };
                    row(&service, *period, as_of)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What a service's rows are computed from.
struct Service<'a> {
    name: &'a str,
    affected: &'a [&'a Incident],
    spans: &'a [(Span, u32)],
    from: Option<DateTime<Utc>>,
    objective: Option<Objective>,
}

fn row(service: &Service<'_>, period: Period, as_of: DateTime<Utc>) -> PeriodRow {
    let t = as_of.timestamp();
    let from = service
        .from
        .map_or(period.start, |s| s.timestamp().max(period.start));
    let to = period.end.min(t);
    let counted = if period.start > t {
        Err(NoData::NotYet)
    } else if from >= to {
        Err(NoData::BeforeHistory)
    } else {
        Ok(window_stats(service.spans, Span::new(from, to)))
    };
    let (budget_used, met) = match (&counted, service.objective) {
        (Ok(stats), Some(objective)) => {
            let (used, met) = budget(stats, objective, period.end - from);
            (Some(used), Some(met))
        }
        _ => (None, None),
    };
    let started: Vec<&&Incident> = service
        .affected
        .iter()
        .filter(|i| (period.start..period.end).contains(&i.start.timestamp()))
        .collect();
    let durations: Vec<i64> = started
        .iter()
        .filter_map(|i| end_as_of(i, as_of).map(|end| (end - i.start).num_seconds()))
        .collect();
    PeriodRow {
        service: service.name.to_string(),
        period,
        counted,
        partial: period.end > t,
        objective: service.objective,
        budget_used,
        met,
        incidents: started.len(),
        time_to_resolve: Summary::of(&durations),
    }
}

/// The share of the budget (1 − target over `length` seconds) used, 6 decimals half away from
/// zero, and whether the use stayed within it; on integers in millionths.
fn budget(stats: &WindowStats, objective: Objective, length: i64) -> (f64, bool) {
    // Both in parts-per-million seconds: the budget, and what was used.
    let budget = i128::from(1_000_000 - objective.target_ppm) * i128::from(length);
    let used = match objective.weighted {
        true => stats.weighted_downtime * 100,
        false => i128::from(stats.downtime_seconds) * 1_000_000,
    };
    if budget <= 0 {
        return (0.0, used == 0);
    }
    (rounded_ratio(used, budget), used <= budget)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cover_the_whole_years_from_the_first_to_that_of_t() {
        let zone: Tz = "Europe/Berlin".parse().unwrap();
        let from = "2024-11-20T10:00:00Z".parse().unwrap();
        let as_of = "2025-02-10T00:00:00Z".parse().unwrap();
        let labels = |kind| -> Vec<String> {
            periods(kind, from, as_of, zone)
                .iter()
                .map(Period::label)
                .collect()
        };
        assert_eq!(labels(PeriodKind::Year), ["2024", "2025"]);
        assert_eq!(labels(PeriodKind::Quarter).len(), 8);
        assert_eq!(labels(PeriodKind::Quarter)[4], "2025-Q1");
        assert_eq!(labels(PeriodKind::Month).len(), 24);
        // March 2025 in Berlin is an hour short: clocks go forward on the 30th.
        let march = Period::new(
            PeriodKind::Month,
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            zone,
        );
        assert_eq!(march.end - march.start, 31 * 86_400 - 3_600);
    }

    #[test]
    fn budget_use_is_rounded_and_met_is_exact() {
        let objective = Objective {
            target_ppm: 999_000,
            window: crate::config::slo::SloWindow::Month,
            weighted: false,
        };
        let stats = |downtime| WindowStats {
            from: 0,
            length_seconds: 2_592_000,
            downtime_seconds: downtime,
            weighted_downtime: 0,
        };
        // 30 days at 99.9 %: 2,592 s.
        assert_eq!(budget(&stats(2_592), objective, 2_592_000), (1.0, true));
        assert_eq!(
            budget(&stats(2_593), objective, 2_592_000),
            (1.000386, false)
        );
        assert_eq!(budget(&stats(0), objective, 2_592_000), (0.0, true));
    }
}
