//! What the pages show of error budgets: a short line per service on the index, the whole
//! budget with its burn chart and the incidents that used it on the service page, and a flag on
//! the page of an incident that used more than the alert share.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use super::charts;
use super::views::ServiceLink;
use crate::config::slo::SloWindow;
use crate::site::Site;
use crate::stats::slo::{Budget, UNIT};
use crate::text::dates;
use crate::text::labels::{share_label, target_label};
use crate::text::time::duration_label;

/// A service's budget in a few words, beside its availability on the index.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetSummary {
    /// `99.9 %`.
    pub target_label: String,
    /// `the last 30 days`, `March 2025`, `Q1 2025`.
    pub window_label: String,
    /// `58.3 % of the error budget left`, or `error budget exhausted`.
    pub left_label: String,
    /// What is left as a share of the budget, like `58.3 %` (negative once exhausted).
    pub left_fraction_label: String,
    pub exhausted: bool,
}

/// A service's whole budget, for its page.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub summary: BudgetSummary,
    /// `impact-weighted downtime` or `downtime`: what is counted against the budget.
    pub basis_label: String,
    /// Empty, or `since 15 March 2025` when the service began within the window.
    pub covers_label: String,
    pub budget_label: String,
    pub consumed_label: String,
    /// What is used as a share of the budget, like `41.7 %`.
    pub consumed_fraction_label: String,
    /// `25 min` left, or how far over it is once exhausted.
    pub remaining_label: String,
    pub remaining_fraction: f64,
    /// `20 %`: a share above this flags its incident.
    pub alert_label: String,
    /// The burn chart, inline SVG with a title and a description.
    pub chart: String,
    pub incidents: Vec<ShareView>,
}

/// One incident's share of a budget.
#[derive(Debug, Clone, Serialize)]
pub struct ShareView {
    pub title: String,
    pub url: String,
    pub consumed_label: String,
    /// `27.8 %` of the budget.
    pub fraction_label: String,
    pub flagged: bool,
}

/// A flag on an incident's page: it used more than the alert share of a service's budget.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetFlag {
    pub service: ServiceLink,
    pub target_label: String,
    pub window_label: String,
    /// Its share of the budget, like `27.8 %`.
    pub fraction_label: String,
    pub alert_label: String,
}

fn amount_label(amount: i128) -> String {
    duration_label((amount / UNIT) as i64)
}

fn window_label(budget: &Budget, zone: Tz) -> String {
    let Some(from) = DateTime::<Utc>::from_timestamp(budget.from, 0) else {
        return String::new();
    };
    let local = from.with_timezone(&zone);
    match budget.objective.window {
        SloWindow::Rolling { days } => format!("the last {days} days"),
        SloWindow::Month => dates::month_year(&local),
        SloWindow::Quarter => format!("Q{} {}", local.month0() / 3 + 1, local.year()),
    }
}

/// The short form of `budget`.
pub fn summary(budget: &Budget, zone: Tz) -> BudgetSummary {
    let exhausted = !budget.met();
    BudgetSummary {
        target_label: target_label(budget.objective.target_ppm),
        window_label: window_label(budget, zone),
        left_label: if exhausted {
            "error budget exhausted".into()
        } else {
            format!(
                "{} of the error budget left",
                share_label(budget.remaining_fraction())
            )
        },
        left_fraction_label: share_label(budget.remaining_fraction()),
        exhausted,
    }
}

/// The whole of `budget`, with the incidents of `site` that used it.
pub fn view(site: &Site, budget: &Budget) -> BudgetView {
    let zone = site.config.timezone;
    let nominal = match budget.objective.window {
        SloWindow::Rolling { days } => site.as_of.timestamp() - days * 86_400 == budget.from,
        _ => {
            crate::stats::slo::window_bounds(budget.objective.window, site.as_of, zone).0
                == budget.from
        }
    };
    let covers_label = match DateTime::<Utc>::from_timestamp(budget.from, 0) {
        Some(from) if !nominal => format!("since {}", dates::long_date(&from.with_timezone(&zone))),
        _ => String::new(),
    };
    let remaining = budget.remaining();
    BudgetView {
        summary: summary(budget, zone),
        basis_label: if budget.objective.weighted {
            "impact-weighted downtime".into()
        } else {
            "downtime".into()
        },
        covers_label,
        budget_label: amount_label(budget.budget),
        consumed_label: amount_label(budget.consumed),
        consumed_fraction_label: share_label(budget.fraction_of(budget.consumed)),
        remaining_label: if remaining < 0 {
            format!("{} over", amount_label(-remaining))
        } else {
            amount_label(remaining)
        },
        remaining_fraction: budget.remaining_fraction(),
        alert_label: alert_label(budget),
        chart: charts::budget_burn(budget, zone),
        incidents: budget
            .shares
            .iter()
            .map(|share| {
                let incident = &site.incidents[share.index];
                ShareView {
                    title: incident.title.clone(),
                    url: format!("incidents/{}/", incident.id),
                    consumed_label: amount_label(share.consumed),
                    fraction_label: share_label(budget.fraction_of(share.consumed)),
                    flagged: budget.flags(share.consumed),
                }
            })
            .collect(),
    }
}

/// The budgets the entry at `index` used more than the alert share of (none for upcoming
/// maintenance, which is not in the published list).
pub fn flags(site: &Site, index: Option<usize>) -> Vec<BudgetFlag> {
    let zone = site.config.timezone;
    let flagged = index.and_then(|i| site.budget_flags.get(&i));
    flagged
        .into_iter()
        .flatten()
        .map(|&(position, consumed)| {
            let budget = &site.budgets[position];
            BudgetFlag {
                service: ServiceLink::new(&budget.service),
                target_label: target_label(budget.objective.target_ppm),
                window_label: window_label(budget, zone),
                fraction_label: share_label(budget.fraction_of(consumed)),
                alert_label: alert_label(budget),
            }
        })
        .collect()
}

fn alert_label(budget: &Budget) -> String {
    format!("{} %", f64::from(budget.alert_basis_points) / 100.0)
}
