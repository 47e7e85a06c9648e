//! A service's current status as of T, from its ongoing incidents and maintenance.
//!
//! The rule (documented in `docs/statistics.md`): an ongoing incident whose impact window on
//! the service at T affects at least half of the users ([`OUTAGE_IMPACT_BASIS_POINTS`]) makes
//! the service **outage**; any other ongoing incident with a window on it at T makes it
//! **degraded**; with no such incident, maintenance in progress makes it **maintenance**;
//! otherwise it is **operational**. The worst status wins.

use chrono::{DateTime, Utc};

use super::end_as_of;
use super::impact::{Affecting, impact_spans};
use crate::content::{Incident, Kind};

/// From this impact up (50 %), an ongoing incident is an outage rather than a degradation.
pub const OUTAGE_IMPACT_BASIS_POINTS: u32 = 5_000;

/// Best first: a worse status compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Operational,
    Maintenance,
    Degraded,
    Outage,
}

impl Status {
    /// The key themes style by: `operational`, `maintenance`, `degraded`, `outage`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::Maintenance => "maintenance",
            Status::Degraded => "degraded",
            Status::Outage => "outage",
        }
    }

    /// How pages say it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Operational => "Operational",
            Status::Maintenance => "Under maintenance",
            Status::Degraded => "Degraded",
            Status::Outage => "Outage",
        }
    }
}

/// The largest impact (basis points) on the service `name` at T of its ongoing incidents, or
/// `None` when none is ongoing: what tells a degraded service (0 %) from a partial outage.
pub fn open_impact<'a>(
    name: &str,
    entries: impl IntoIterator<Item = &'a Incident>,
    as_of: DateTime<Utc>,
) -> Option<u32> {
    let names = [name];
    entries
        .into_iter()
        .filter(|i| i.kind == Kind::Incident && i.start <= as_of && end_as_of(i, as_of).is_none())
        .filter_map(|i| {
            impact_spans(i, Affecting::AnyOf(&names), as_of)
                .filter(|(span, _)| span.end == as_of.timestamp())
                .map(|(_, weight)| weight)
                .max()
        })
        .max()
}

/// The status of the service `name`, whose entries (incidents and maintenance, published) are
/// `entries`.
pub fn status_of<'a>(
    name: &str,
    entries: impl IntoIterator<Item = &'a Incident>,
    as_of: DateTime<Utc>,
) -> Status {
    let names = [name];
    entries
        .into_iter()
        .filter(|i| i.start <= as_of && end_as_of(i, as_of).is_none())
        .filter_map(|i| {
            if i.kind == Kind::Maintenance {
                return Some(Status::Maintenance);
            }
            // The windows on this service still open at T (an ongoing span ends at T).
            let now = impact_spans(i, Affecting::AnyOf(&names), as_of)
                .filter(|(span, _)| span.end == as_of.timestamp())
                .map(|(_, weight)| weight)
                .max()?;
            Some(match now >= OUTAGE_IMPACT_BASIS_POINTS {
                true => Status::Outage,
                false => Status::Degraded,
            })
        })
        .max()
        .unwrap_or(Status::Operational)
}
