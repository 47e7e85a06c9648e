//! Where an incident counts: the stretches of time and weights its impact windows put on a
//! set of services, as of T.
//!
//! Every downtime figure (per service, per group, overall, per day) is built from these spans,
//! so `[[impact]]` windows count the same everywhere: plain downtime is the union of the spans,
//! weighted downtime the largest weight active at each instant (`intervals.rs`).

use chrono::{DateTime, Utc};

use super::intervals::Span;
use super::span_as_of;
use crate::content::Incident;
use crate::content::impact::ImpactWindow;

/// Which services a figure is about.
#[derive(Debug, Clone, Copy)]
pub enum Affecting<'a> {
    /// Any service, and incidents that name none (the whole site).
    Anything,
    /// Any of these services.
    AnyOf(&'a [&'a str]),
}

impl Affecting<'_> {
    fn covers(self, window: &ImpactWindow) -> bool {
        match self {
            Affecting::Anything => true,
            Affecting::AnyOf(names) => window.services.iter().any(|s| names.contains(&s.as_str())),
        }
    }
}

/// A window's interval as of T, inside the incident's: `None` when nothing of it has happened
/// by T.
pub fn window_span(
    incident: &Incident,
    window: &ImpactWindow,
    as_of: DateTime<Utc>,
) -> Option<Span> {
    let incident_span = span_as_of(incident, as_of);
    let end = window.to.map_or(incident_span.end, |to| to.timestamp());
    Span::new(window.from.timestamp(), end).clip(incident_span)
}

/// The spans and weights (basis points) `incident` puts on the services `affecting` selects,
/// in the order of its windows.
pub fn impact_spans(
    incident: &Incident,
    affecting: Affecting<'_>,
    as_of: DateTime<Utc>,
) -> impl Iterator<Item = (Span, u32)> {
    incident
        .impact_windows
        .iter()
        .filter(move |w| affecting.covers(w))
        .filter_map(move |w| window_span(incident, w, as_of).map(|span| (span, w.basis_points)))
}
