//! A service's current status as of T, from its ongoing incidents and maintenance.
//!
//! The rule (documented in `docs/statistics.md`): an ongoing incident that affects at least
//! half of the users ([`OUTAGE_IMPACT_BASIS_POINTS`]) makes the service **outage**; any other
//! ongoing incident makes it **degraded**; with no ongoing incident, maintenance in progress makes
//! it **maintenance**; otherwise it is **operational**. The worst status wins.

use chrono::{DateTime, Utc};

use super::end_as_of;
use crate::content::{Incident, Kind};

/// From this impact up (50 %), an ongoing incident is an outage rather than a degradation.
pub const OUTAGE_IMPACT_BASIS_POINTS: u32 = 5_000;

/// Best first: a worse status compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

/// The status of a service whose entries (incidents and maintenance, published) are `entries`.
pub fn status_of<'a>(
    entries: impl IntoIterator<Item = &'a Incident>,
    as_of: DateTime<Utc>,
) -> Status {
    entries
        .into_iter()
        .filter(|i| i.start <= as_of && end_as_of(i, as_of).is_none())
        .map(|i| match i.kind {
            Kind::Maintenance => Status::Maintenance,
            Kind::Incident if i.impact_basis_points >= OUTAGE_IMPACT_BASIS_POINTS => Status::Outage,
            Kind::Incident => Status::Degraded,
        })
        .max()
        .unwrap_or(Status::Operational)
}
