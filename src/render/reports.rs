//! The calendar-period report pages: `reports/` (every year at a glance) and `reports/<year>/`
//! (each service month by month, the quarters and the year), from `Site::reports`, the same
//! rows `aftermath stats --period` prints.

use chrono::Datelike;
use serde::Serialize;

use super::views::ServiceLink;
use crate::i18n::Locale;
use crate::site::Site;
use crate::stats::periods::{NoData, PeriodKind, PeriodRow};

/// The folder of the report pages.
pub const REPORTS_URL: &str = "reports/";

/// `reports/<year>/`.
pub fn year_url(year: i32) -> String {
    format!("{REPORTS_URL}{year}/")
}

/// One service over one period, as the report tables show it.
#[derive(Serialize)]
pub struct PeriodCell {
    /// `2025-03`, `2025-Q1`, `2025`: the row's anchor too.
    key: String,
    /// `March`, `Q1`, `2025`.
    label: String,
    /// `no data` (before the history began), `not yet`, or empty when there are figures.
    no_data: String,
    /// Empty without figures.
    availability_label: String,
    weighted_availability_label: String,
    /// What the objective is judged on, `availability_label` or the weighted one.
    objective_availability_label: String,
    /// `99.9 %`; empty without an objective.
    target_label: String,
    /// `met`, `missed`, or empty (no objective or no data).
    objective: &'static str,
    /// `41.7 %` of the budget; empty when there is none.
    budget_used_label: String,
    incidents: usize,
    /// The median time to resolve of the incidents that started in it, or empty.
    time_to_resolve_label: String,
    /// `so far` while the period runs at T.
    partial: bool,
}

impl PeriodCell {
    fn new(row: &PeriodRow, locale: &Locale) -> PeriodCell {
        let figures = row.counted.as_ref().ok();
        let first_day = row.period.first_day;
        let label = match row.period.kind {
            PeriodKind::Month => locale.formats().month_name(first_day.month()),
            PeriodKind::Quarter => {
                let quarter = (first_day.month0() / 3 + 1).to_string();
                locale.text("reports.quarter", &[("quarter", &quarter)])
            }
            PeriodKind::Year => row.period.label(),
        };
        let availability = figures.map(|w| locale.percent(w.availability()));
        let weighted = figures.map(|w| locale.percent(w.weighted_availability()));
        let judged = match row.objective {
            Some(objective) if !objective.weighted => availability.clone(),
            _ => weighted.clone(),
        };
        PeriodCell {
            key: row.period.label(),
            label,
            no_data: match row.counted {
                Ok(_) => String::new(),
                Err(NoData::BeforeHistory) => locale.text("reports.no_data", &[]),
                Err(NoData::NotYet) => locale.text("reports.not_yet", &[]),
            },
            availability_label: availability.unwrap_or_default(),
            weighted_availability_label: weighted.unwrap_or_default(),
            objective_availability_label: judged.unwrap_or_default(),
            target_label: row
                .objective
                .map(|o| locale.target(o.target_ppm))
                .unwrap_or_default(),
            objective: match row.met {
                Some(true) => "met",
                Some(false) => "missed",
                None => "",
            },
            budget_used_label: row
                .budget_used
                .map(|used| locale.share(used))
                .unwrap_or_default(),
            incidents: row.incidents,
            time_to_resolve_label: match row.time_to_resolve.n {
                0 => String::new(),
                _ => locale.duration(row.time_to_resolve.median as i64),
            },
            partial: row.partial && row.counted.is_ok(),
        }
    }
}

/// One service's year: its months, quarters and the year.
#[derive(Serialize)]
pub struct ServiceYear {
    service: ServiceLink,
    /// `99.9 % over impact-weighted downtime`, or empty without an objective.
    objective_label: String,
    months: Vec<PeriodCell>,
    quarters: Vec<PeriodCell>,
    year: Option<PeriodCell>,
    /// Of the months with an objective and figures: how many met it, and how many missed it.
    months_met: usize,
    months_missed: usize,
}

/// `report_year.html`.
#[derive(Serialize)]
pub struct ReportYearPage {
    section: &'static str,
    year: i32,
    /// Every service's year, in the order of the services.
    service_years: Vec<ServiceYear>,
    /// `Jan` to `Dec`, for the overview's columns.
    month_labels: Vec<String>,
    newer_year: Option<i32>,
    older_year: Option<i32>,
}

/// `reports.html`: every year, each service's year row.
#[derive(Serialize)]
pub struct ReportsPage {
    section: &'static str,
    years: Vec<ReportYearSummary>,
}

#[derive(Serialize)]
struct ReportYearSummary {
    year: i32,
    url: String,
    /// Each service's year.
    services: Vec<ServiceCell>,
}

#[derive(Serialize)]
struct ServiceCell {
    service: ServiceLink,
    cell: PeriodCell,
}

/// The years the reports cover, newest first.
pub fn report_years(site: &Site) -> Vec<i32> {
    let mut years: Vec<i32> = site
        .reports
        .years
        .iter()
        .map(|row| row.period.first_day.year())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    years
}

/// `reports/`: every year, each service's figures over it.
pub fn reports_page(site: &Site) -> ReportsPage {
    let years = report_years(site)
        .into_iter()
        .map(|year| ReportYearSummary {
            year,
            url: year_url(year),
            services: site
                .reports
                .years
                .iter()
                .filter(|row| row.period.first_day.year() == year)
                .map(|row| ServiceCell {
                    service: ServiceLink::new(&row.service),
                    cell: PeriodCell::new(row, &site.config.locale),
                })
                .collect(),
        })
        .collect();
    ReportsPage {
        section: "reports",
        years,
    }
}

/// The page of the `n`-th year, newest first.
pub fn report_year_page(site: &Site, n: usize) -> ReportYearPage {
    let years = report_years(site);
    let year = years[n];
    let locale = &site.config.locale;
    let in_year = |rows: &[PeriodRow], name: &str| -> Vec<PeriodCell> {
        rows.iter()
            .filter(|r| r.service == name && r.period.first_day.year() == year)
            .map(|row| PeriodCell::new(row, locale))
            .collect()
    };
    let services = site
        .stats
        .services
        .iter()
        .map(|stats| {
            let name = stats.name.as_str();
            let months = in_year(&site.reports.months, name);
            let count = |state: &str| months.iter().filter(|m| m.objective == state).count();
            ServiceYear {
                service: ServiceLink::new(name),
                objective_label: site
                    .config
                    .objective(name)
                    .map(|o| {
                        let basis = match o.weighted {
                            true => locale.text("budget.basis_weighted", &[]),
                            false => locale.text("budget.basis_plain", &[]),
                        };
                        let target = locale.target(o.target_ppm);
                        let args = [("target", target.as_str()), ("basis", &basis)];
                        locale.text("reports.objective_value", &args)
                    })
                    .unwrap_or_default(),
                months_met: count("met"),
                months_missed: count("missed"),
                quarters: in_year(&site.reports.quarters, name),
                year: in_year(&site.reports.years, name).into_iter().next(),
                months,
            }
        })
        .collect();
    ReportYearPage {
        section: "reports",
        year,
        service_years: services,
        month_labels: (1..=12).map(|m| locale.formats().month_short(m)).collect(),
        newer_year: n.checked_sub(1).map(|i| years[i]),
        older_year: years.get(n + 1).copied(),
    }
}
