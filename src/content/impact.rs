//! Impact per service and per window: `impact` as a list of `[[impact]]` tables.
//!
//! `impact = 35` says one thing about the whole incident and all its services. Real incidents
//! hit services differently and get worse and better (Statuspage records a status per
//! component), so `impact` may instead be a list of windows, each with the `services` it
//! covers, a percentage (`impact`) or a named `level` from `[impact_levels]`, and optional
//! `from` / `to` inside the incident. Every incident ends up with at least one window, so the
//! statistics read windows only; the rules are in `docs/front-matter.md` and how they count in
//! `docs/statistics.md`.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::fields::utc_label;
use crate::config::Config;
use crate::diagnostics::{Check, Diagnostic, Location};
use crate::spanned::checker::Checker;
use crate::spanned::{RawEntry, RawNode, RawValue};

/// One stretch of an incident with one impact on some of its services.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImpactWindow {
    /// The services it covers (without `services` in the table: the incident's `services`).
    pub services: Vec<String>,
    /// Share of users affected, in basis points (10000 = 100 %).
    pub basis_points: u32,
    /// The level it was given by, if it was given by name.
    pub level: Option<String>,
    pub from: DateTime<Utc>,
    /// `None`: to the incident's end (or T while it is ongoing).
    pub to: Option<DateTime<Utc>>,
}

/// The keys of one `[[impact]]` table.
pub const WINDOW_KEYS: &[&str] = &["services", "impact", "level", "from", "to"];

/// A window as written, before it is placed in its incident.
#[derive(Debug, Clone)]
pub struct WrittenWindow {
    /// `None` when the table has no `services` key.
    services: Option<Vec<String>>,
    basis_points: u32,
    level: Option<String>,
    from: Option<(DateTime<Utc>, Location)>,
    to: Option<(DateTime<Utc>, Location)>,
    /// Whether the table was read without a problem.
    complete: bool,
}

impl WrittenWindow {
    pub fn basis_points(&self) -> u32 {
        self.basis_points
    }

    pub fn services(&self) -> &[String] {
        self.services.as_deref().unwrap_or_default()
    }
}

impl Checker<'_> {
    /// `impact` given as a list of tables; every table is checked, each problem reported.
    pub fn impact_windows(
        &mut self,
        entry: &RawEntry,
        config: &Config,
        zone: (Tz, &str),
    ) -> Vec<WrittenWindow> {
        let RawValue::Array(items) = &entry.value.value else {
            return Vec::new();
        };
        if items.is_empty() {
            self.expected(entry, "a percentage, or at least one [[impact]] table");
        }
        items
            .iter()
            .filter_map(|item| self.impact_window(item, config, zone))
            .collect()
    }

    fn impact_window(
        &mut self,
        item: &RawNode,
        config: &Config,
        (zone, zone_source): (Tz, &str),
    ) -> Option<WrittenWindow> {
        let RawValue::Table(keys) = &item.value else {
            let found = crate::spanned::describe(&item.value);
            self.error(
                Check::InvalidValue,
                item,
                format!("\"impact\": expected each item to be a table with services and impact or level, found {found}"),
            );
            return None;
        };
        let before = self.problems.len();
        let mut window = WrittenWindow {
            services: None,
            basis_points: 10_000,
            level: None,
            from: None,
            to: None,
            complete: false,
        };
        let mut weight_keys = Vec::new();
        for key in keys {
            match key.key.as_str() {
                "services" => window.services = Some(self.services(key, config)),
                "impact" => {
                    weight_keys.push(key);
                    window.basis_points = self.impact(key).unwrap_or(window.basis_points);
                }
                "level" => {
                    weight_keys.push(key);
                    let names: Vec<String> = config
                        .impact_levels
                        .iter()
                        .map(|(n, _)| n.clone())
                        .collect();
                    window.level = self.one_of(key, &names, ("impact level", "impact levels"));
                    if let Some(level) = &window.level {
                        window.basis_points = config.impact_level(level).unwrap_or(10_000);
                    }
                }
                "from" | "to" => {
                    let at = self
                        .instant(key, zone, zone_source)
                        .map(|at| (at, key.value.location.clone()));
                    match key.key.as_str() {
                        "from" => window.from = at,
                        _ => window.to = at,
                    }
                }
                _ => self.unknown_key(key, WINDOW_KEYS, || {
                    format!("an [[impact]] table has {}", WINDOW_KEYS.join(", "))
                }),
            }
        }
        self.check_weight_keys(item, &weight_keys);
        // Kept with its problems, so where it lies is checked too.
        window.complete = self.problems.len() == before;
        Some(window)
    }

    /// Exactly one of `impact` and `level` in a table.
    fn check_weight_keys(&mut self, item: &RawNode, weight_keys: &[&RawEntry]) {
        match weight_keys {
            [] => self.problems.push(
                Diagnostic::new(
                    Check::MissingKey,
                    self.file,
                    "an [[impact]] table needs \"impact\" or \"level\"",
                )
                .at(Some(item.location.clone()))
                .with_hint(
                    "add a percentage like impact = 30, or a level like level = \"partial\"",
                ),
            ),
            [_] => {}
            [first, second, ..] => self.problems.push(
                Diagnostic::new(
                    Check::InvalidValue,
                    self.file,
                    "an [[impact]] table gives both \"impact\" and \"level\"; keep one",
                )
                .at(Some(second.key_location.clone()))
                .with_label(first.key_location.clone(), "the other is here"),
            ),
        }
    }
}

/// The incident's windows: each placed inside `[start, end]` (a `from` or `to` outside it, or
/// a `to` not after its `from`, is an error), without `services` covering `services`, and each
/// of `services` covered by some window (else an error at it). Without written windows, one
/// window covers the whole incident at `impact`.
pub fn place_windows(
    written: Vec<WrittenWindow>,
    (start, end): (DateTime<Utc>, Option<DateTime<Utc>>),
    (services, services_entry): (&[String], Option<&RawEntry>),
    impact: u32,
    file: &std::path::Path,
) -> (Vec<ImpactWindow>, Vec<Diagnostic>) {
    if written.is_empty() {
        let whole = ImpactWindow {
            services: services.to_vec(),
            basis_points: impact,
            level: None,
            from: start,
            to: None,
        };
        return (vec![whole], Vec::new());
    }
    let mut problems = Vec::new();
    let mut windows = Vec::with_capacity(written.len());
    // A window with a problem may lack services it was meant to have.
    let all_complete = written.iter().all(|w| w.complete);
    for window in written {
        let from = window.from.as_ref().map_or(start, |(at, _)| *at);
        let outside = |at: DateTime<Utc>| at < start || end.is_some_and(|end| at > end);
        for (key, bound) in [("from", &window.from), ("to", &window.to)] {
            if let Some((at, location)) = bound
                && outside(*at)
            {
                problems.push(outside_incident(file, key, *at, (start, end), location));
            }
        }
        if let Some((to, location)) = &window.to
            && *to <= from
        {
            problems.push(
                Diagnostic::new(
                    Check::EndBeforeStart,
                    file,
                    format!(
                        "an [[impact]] window ends ({}) before it begins ({})",
                        utc_label(*to),
                        utc_label(from)
                    ),
                )
                .at(Some(location.clone())),
            );
        }
        windows.push(ImpactWindow {
            services: window.services.unwrap_or_else(|| services.to_vec()),
            basis_points: window.basis_points,
            level: window.level,
            from,
            to: window.to.map(|(at, _)| at),
        });
    }
    if all_complete {
        problems.extend(uncovered_services(&windows, services_entry, file));
    }
    (windows, problems)
}

/// An error at each of the incident's `services` that no window covers.
fn uncovered_services(
    windows: &[ImpactWindow],
    services_entry: Option<&RawEntry>,
    file: &std::path::Path,
) -> Vec<Diagnostic> {
    let Some(RawValue::Array(nodes)) = services_entry.map(|e| &e.value.value) else {
        return Vec::new();
    };
    nodes
        .iter()
        .filter_map(|node| match &node.value {
            RawValue::String(name) => Some((name.trim(), node)),
            _ => None,
        })
        .filter(|(name, _)| !windows.iter().any(|w| w.services.iter().any(|s| s == name)))
        .map(|(name, node)| {
            Diagnostic::new(
                Check::InvalidValue,
                file,
                format!("\"services\": \"{name}\" is in no [[impact]] window"),
            )
            .at(Some(node.location.clone()))
            .with_hint("add it to a window's services, or leave services out of a window to cover all of them")
        })
        .collect()
}

fn outside_incident(
    file: &std::path::Path,
    key: &str,
    at: DateTime<Utc>,
    (start, end): (DateTime<Utc>, Option<DateTime<Utc>>),
    location: &Location,
) -> Diagnostic {
    let incident = match end {
        Some(end) => format!("{} to {}", utc_label(start), utc_label(end)),
        None => format!("from {}", utc_label(start)),
    };
    Diagnostic::new(
        Check::InvalidValue,
        file,
        format!(
            "\"{key}\" ({}) of an [[impact]] window is outside the incident ({incident})",
            utc_label(at)
        ),
    )
    .at(Some(location.clone()))
    .with_hint("a window lies inside the incident; leave out from or to for its start or end")
}
