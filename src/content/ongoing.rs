//! Checks that depend on "now": an ongoing incident that has been open suspiciously long, a
//! detection time that has not happened yet.
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

/// A `detected` after the as-of time is a typo or a date copied from a template: until the
/// time passes, the incident has no time to detect.
pub fn future_detections(incidents: &[Incident], as_of: DateTime<Utc>) -> Vec<Diagnostic> {
    incidents
        .iter()
        .filter(|i| i.start <= as_of && i.detected.is_some_and(|d| d > as_of))
        .map(|i| {
            let source = if i.detected_from_timeline {
                "the timeline's detection event"
            } else {
                "\"detected\""
            };
            let detected = i.detected.map(super::fields::utc_label).unwrap_or_default();
            Diagnostic::new(
                Check::DetectedInTheFuture,
                &i.source,
                format!(
                    "{source} ({detected}) is after the as-of time ({})",
                    super::fields::utc_label(as_of)
                ),
            )
            .at(i.detected_location.clone())
            .with_hint(
                "it counts for time to detect only once that time has passed; check the date",
            )
        })
        .collect()
}
