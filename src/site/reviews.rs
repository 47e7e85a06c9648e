//! Checks that need the whole site: what the error budgets ask of the postmortems.
//!
//! The Google SRE workbook's error-budget policy asks for a postmortem with follow-up work
//! whenever one incident uses a large share of a budget; an incident over `budget_alert` with
//! no action items is reported, a warning by default (`[checks]` can make it an error in CI).

use crate::diagnostics::{Check, Diagnostic};
use crate::stats::slo::Budget;
use crate::text::labels::target_label;

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
        "{:.1} % of the {} error budget ({} over {})",
        budget.fraction_of(consumed) * 100.0,
        budget.service,
        target_label(budget.objective.target_ppm),
        budget.objective.window.label()
    )
}
