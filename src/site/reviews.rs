//! Checks that need the whole site: what the error budgets ask of the postmortems, and the
//! action items left open past their due day.
//!
//! The Google SRE workbook's error-budget policy asks for a postmortem with follow-up work
//! whenever one incident uses a large share of a budget; an incident over `budget_alert` with
//! no action items is reported, a warning by default (`[checks]` can make it an error in CI).
//! So is an open action item whose due day has passed as of T.

use crate::diagnostics::{Check, Diagnostic};
use crate::stats::slo::Budget;
use crate::text::dates::long_date;
use crate::text::labels::{share_label, target_label};

use super::Site;

/// One warning per flagged incident without action items, naming every budget it used much of.
pub fn budgets_without_actions(site: &Site) -> Vec<Diagnostic> {
    site.budget_flags
        .iter()
        .filter(|(index, _)| site.incidents[**index].action_items.total == 0)
        .map(|(&index, flags)| {
            let incident = &site.incidents[index];
            let used: Vec<String> = flags
                .iter()
                .map(|&(position, consumed)| share_words(&site.budgets[position], consumed))
                .collect();
            let alert = f64::from(site.config.slo.budget_alert_basis_points) / 100.0;
            Diagnostic::new(
                Check::BudgetWithoutActions,
                &incident.source,
                format!(
                    "this incident used {}, more than budget_alert ({alert} %), and lists no action items",
                    used.join(" and ")
                ),
            )
            .with_hint("add an \"Action items\" section with what will prevent a repeat, like \"- [ ] Add a canary stage @maria due:2026-08-15\"")
        })
        .collect()
}

/// `41.7 % of the api error budget (99.9 % over 30d)`.
fn share_words(budget: &Budget, consumed: i128) -> String {
    format!(
        "{} of the {} error budget ({} over {})",
        share_label(budget.fraction_of(consumed)),
        budget.service,
        target_label(budget.objective.target_ppm),
        budget.objective.window.label()
    )
}

/// One warning per open action item past its due day, at its `due:` word.
pub fn overdue_actions(site: &Site) -> Vec<Diagnostic> {
    site.actions
        .iter()
        .filter(|row| row.overdue())
        .map(|row| {
            let incident = &site.incidents[row.incident];
            let item = site.action(row);
            let due = item.due.map(|d| long_date(&d)).unwrap_or_default();
            let owner = item.owner.as_ref().map(|o| format!(" (@{o})")).unwrap_or_default();
            let days = match row.days_overdue {
                1 => "1 day".to_string(),
                n => format!("{n} days"),
            };
            Diagnostic::new(
                Check::OverdueActionItem,
                &incident.source,
                format!(
                    "action item \"{}\"{owner} was due on {due}, {days} before the as-of day, and is still open",
                    short(&item.text)
                ),
            )
            .at(item.due_at.clone())
            .with_hint("mark it done with - [x] once it is, or write the new due day")
        })
        .collect()
}

/// The first 60 characters of an item's text, for a message.
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}
