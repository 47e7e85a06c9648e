//! What the pages show of error budgets: a short line per service on the index, the whole
//! budget with its burn chart and the incidents that used it on the service page, and a flag on
//! the page of an incident that used more than the alert share.

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use super::charts;
use super::views::ServiceLink;
use crate::config::Config;
use crate::config::slo::SloWindow;
use crate::i18n::Locale;
use crate::site::Site;
use crate::stats::slo::{Budget, UNIT};

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

fn amount_label(locale: &Locale, amount: i128) -> String {
    locale.duration((amount / UNIT) as i64)
}

fn window_label(budget: &Budget, config: &Config) -> String {
    let Some(from) = DateTime::<Utc>::from_timestamp(budget.from, 0) else {
        return String::new();
    };
    let locale = &config.locale;
    let local = from.with_timezone(&config.timezone);
    match budget.objective.window {
        SloWindow::Rolling { days } => locale.count("budget.last_days", days, &[]),
        SloWindow::Month => locale.formats().month_year(local.date_naive()),
        SloWindow::Quarter => quarter_label(locale, local.month0() / 3 + 1, local.year()),
    }
}

/// `Q1 2025`, `1. Quartal 2025`, `2025年第1四半期`.
pub fn quarter_label(locale: &Locale, quarter: u32, year: i32) -> String {
    let (quarter, year) = (quarter.to_string(), year.to_string());
    locale.text("budget.quarter", &[("quarter", &quarter), ("year", &year)])
}

/// The short form of `budget`.
pub fn summary(budget: &Budget, config: &Config) -> BudgetSummary {
    let locale = &config.locale;
    let exhausted = !budget.met();
    let left = locale.share(budget.remaining_fraction());
    BudgetSummary {
        target_label: locale.target(budget.objective.target_ppm),
        window_label: window_label(budget, config),
        left_label: match exhausted {
            true => locale.text("budget.exhausted", &[]),
            false => locale.text("budget.left", &[("share", &left)]),
        },
        left_fraction_label: left,
        exhausted,
    }
}

/// The whole of `budget`, with the incidents of `site` that used it.
pub fn view(site: &Site, budget: &Budget) -> BudgetView {
    let (config, locale) = (&site.config, &site.config.locale);
    let zone = config.timezone;
    let nominal = match budget.objective.window {
        SloWindow::Rolling { days } => site.as_of.timestamp() - days * 86_400 == budget.from,
        _ => {
            crate::stats::slo::window_bounds(budget.objective.window, site.as_of, zone).0
                == budget.from
        }
    };
    let covers_label = match DateTime::<Utc>::from_timestamp(budget.from, 0) {
        Some(from) if !nominal => {
            let date = locale
                .formats()
                .long_date(from.with_timezone(&zone).date_naive());
            locale.text("availability.since", &[("date", &date)])
        }
        _ => String::new(),
    };
    let remaining = budget.remaining();
    BudgetView {
        summary: summary(budget, config),
        basis_label: match budget.objective.weighted {
            true => locale.text("budget.basis_weighted", &[]),
            false => locale.text("budget.basis_plain", &[]),
        },
        covers_label,
        budget_label: amount_label(locale, budget.budget),
        consumed_label: amount_label(locale, budget.consumed),
        consumed_fraction_label: locale.share(budget.fraction_of(budget.consumed)),
        remaining_label: if remaining < 0 {
            let amount = amount_label(locale, -remaining);
            locale.text("budget.over", &[("amount", &amount)])
        } else {
            amount_label(locale, remaining)
        },
        remaining_fraction: budget.remaining_fraction(),
        alert_label: alert_label(locale, budget),
        chart: charts::budget_burn(budget, config),
        incidents: budget
            .shares
            .iter()
            .map(|share| {
                let incident = &site.incidents[share.index];
                ShareView {
                    title: incident.title.clone(),
                    url: format!("incidents/{}/", incident.id),
                    consumed_label: amount_label(locale, share.consumed),
                    fraction_label: locale.share(budget.fraction_of(share.consumed)),
                    flagged: budget.flags(share.consumed),
                }
            })
            .collect(),
    }
}

/// The budgets the entry at `index` used more than the alert share of (none for upcoming
/// maintenance, which is not in the published list).
pub fn flags(site: &Site, index: Option<usize>) -> Vec<BudgetFlag> {
    let (config, locale) = (&site.config, &site.config.locale);
    let flagged = index.and_then(|i| site.budget_flags.get(&i));
    flagged
        .into_iter()
        .flatten()
        .map(|&(position, consumed)| {
            let budget = &site.budgets[position];
            BudgetFlag {
                service: ServiceLink::new(&budget.service),
                target_label: locale.target(budget.objective.target_ppm),
                window_label: window_label(budget, config),
                fraction_label: locale.share(budget.fraction_of(consumed)),
                alert_label: alert_label(locale, budget),
            }
        })
        .collect()
}

fn alert_label(locale: &Locale, budget: &Budget) -> String {
    locale.impact(budget.alert_basis_points)
}
