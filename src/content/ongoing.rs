//! Checks that depend on "now": an ongoing incident that has been open suspiciously long.
//!
//! Loading a file does not know the as-of time (so its result can be cached across builds);
//! these checks run on the loaded incidents once the time is fixed.

use chrono::{DateTime, Utc};

use super::Incident;
use crate::config::Config;
use crate::diagnostics::{Check, Diagnostic};
use crate::text::time::duration_label;

/// Ongoing incidents open for longer than `max_incident_duration` were probably resolved
/// without anyone adding `end`: they would count as downtime until someone notices.
pub fn forgotten_incidents(
    incidents: &[Incident],
    config: &Config,
    as_of: DateTime<Utc>,
) -> Vec<Diagnostic> {
    incidents
        .iter()
        .filter(|i| i.end.is_none() && i.start <= as_of)
        .filter(|i| (as_of - i.start).num_seconds() > config.max_incident_seconds)
        .map(|i| {
            let open = duration_label((as_of - i.start).num_seconds());
            Diagnostic::new(Check::OngoingTooLong,
                &i.source,
                format!(
                    "this incident has been ongoing for {open}, longer than max_incident_duration ({})",
                    duration_label(config.max_incident_seconds)
                ),
            )
            .with_hint("if it is over, add \"end\"; it counts as downtime until then")
        })
        .collect()
}
