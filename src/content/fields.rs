//! Per-key checks of the front matter: each reads one raw value, records every problem as a
//! diagnostic at that value, and returns what it could read.
//!
//! Used by `incident.rs`, which decides which key goes to which check; [`Checker::interval`]
//! then checks how `start`, `end`, `duration` and `detected` fit together.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::config::Config;
use crate::diagnostics::{Check, Diagnostic, Location};
use crate::spanned::checker::Checker;
use crate::spanned::{RawEntry, RawValue};
use crate::suggest::did_you_mean;
use crate::text::slug::slugify;
use crate::text::time::{duration_label, parse_duration, parse_instant};

/// `2024-05-06 09:00 UTC`, as used in messages.
pub fn utc_label(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// An instant with the location of the value it was read from.
pub type Located = (DateTime<Utc>, Location);

/// The checks of values only postmortems have (the shared ones are in [`crate::spanned::checker`]).
impl Checker<'_> {
    /// Resolves `end` from `end` or `duration`, and checks the order of start, end, detected.
    pub fn interval(
        &mut self,
        start: Option<&Located>,
        end: Option<Located>,
        duration: Option<(i64, Location)>,
        detected: Option<&Located>,
        max_seconds: i64,
    ) -> Option<Located> {
        let end = self.resolve_end(start, end, duration);
        let Some((start, start_location)) = start else {
            return end;
        };
        if let Some((end, location)) = &end
            && end <= start
        {
            let relation = if end == start {
                "the same as"
            } else {
                "before"
            };
            let message = format!(
                "\"end\" ({}) is {relation} \"start\" ({})",
                utc_label(*end),
                utc_label(*start)
            );
            self.problems.push(
                Diagnostic::new(Check::EndBeforeStart, self.file, message)
                    .at(Some(location.clone()))
                    .with_label(start_location.clone(), "\"start\" is here"),
            );
        }
        if let Some((end, location)) = &end
            && (*end - *start).num_seconds() > max_seconds
        {
            let message = format!(
                "the incident lasts {}, longer than max_incident_duration ({})",
                duration_label((*end - *start).num_seconds()),
                duration_label(max_seconds)
            );
            self.problems.push(
                Diagnostic::new(Check::LongIncident, self.file, message)
                    .at(Some(location.clone()))
                    .with_hint("check the date of \"end\"; if it is right, raise max_incident_duration in aftermath.toml"),
            );
        }
        if let Some(detected) = detected {
            self.check_detected(detected, (start, start_location), end.as_ref());
        }
        end
    }

    /// The end from `end` or from `start` plus `duration`; both given is an error.
    fn resolve_end(
        &mut self,
        start: Option<&Located>,
        end: Option<Located>,
        duration: Option<(i64, Location)>,
    ) -> Option<Located> {
        match (end, duration) {
            (Some((_, end_location)), Some((_, duration_location))) => {
                self.problems.push(
                    Diagnostic::new(
                        Check::EndAndDuration,
                        self.file,
                        "give either \"end\" or \"duration\", not both",
                    )
                    .at(Some(duration_location))
                    .with_label(end_location, "\"end\" is set here")
                    .with_hint("keep the one you measured; the other follows from \"start\""),
                );
                None
            }
            (Some(end), None) => Some(end),
            (None, Some((seconds, location))) => start.and_then(|(s, _)| {
                // Durations are at most MAX_DURATION_SECONDS and starts within the accepted
                // years, so this only fails on a start in 2099 with a long duration.
                let end = chrono::TimeDelta::try_seconds(seconds)
                    .and_then(|d| s.checked_add_signed(d))
                    .filter(|end| end.year() <= crate::text::time::LAST_YEAR);
                if end.is_none() {
                    self.problems.push(
                        Diagnostic::new(Check::InvalidTime,
                            self.file,
                            format!(
                                "\"start\" plus \"duration\" ends after the year {}; is the duration a typo?",
                                crate::text::time::LAST_YEAR
                            ),
                        )
                        .at(Some(location.clone())),
                    );
                }
                end.map(|end| (end, location))
            }),
            (None, None) => None,
        }
    }

    /// `detected` must lie between start and end.
    fn check_detected(
        &mut self,
        detected: &Located,
        start: (&DateTime<Utc>, &Location),
        end: Option<&Located>,
    ) {
        let (detected, location) = detected;
        let (start, start_location) = start;
        if detected < start {
            let message = format!(
                "\"detected\" ({}) is before \"start\" ({}); \"start\" is when user impact began",
                utc_label(*detected),
                utc_label(*start)
            );
            self.problems.push(
                Diagnostic::new(Check::DetectedBeforeStart, self.file, message)
                    .at(Some(location.clone()))
                    .with_label(start_location.clone(), "\"start\" is here"),
            );
        } else if let Some((end, _)) = end
            && detected > end
        {
            let message = format!(
                "\"detected\" ({}) is after \"end\" ({}): the problem was found after impact ended",
                utc_label(*detected),
                utc_label(*end)
            );
            self.problems.push(
                Diagnostic::new(Check::DetectedAfterEnd, self.file, message)
                    .at(Some(location.clone())),
            );
        }
    }

    pub fn instant(
        &mut self,
        entry: &RawEntry,
        zone: Tz,
        zone_source: &str,
    ) -> Option<DateTime<Utc>> {
        let text = match &entry.value.value {
            RawValue::String(s) | RawValue::Datetime(s) => s,
            _ => {
                self.expected(entry, "a date and time like 2024-05-06T14:30:00Z");
                return None;
            }
        };
        match parse_instant(text, zone) {
            Ok(parsed) => {
                if !parsed.had_offset && zone_source == "the site timezone" {
                    self.problems.push(
                        Diagnostic::new(Check::LocalTime,
                            self.file,
                            format!(
                                "\"{}\" has no UTC offset; read as {zone} ({zone_source})",
                                entry.key
                            ),
                        )
                        .at(Some(entry.value.location.clone()))
                        .with_hint("write the offset (like 2024-05-06T14:30:00+02:00) or set timezone in this file"),
                    );
                }
                Some(parsed.utc)
            }
            Err(message) => {
                self.error(
                    Check::InvalidTime,
                    &entry.value,
                    format!("\"{}\": {message}", entry.key),
                );
                None
            }
        }
    }

    pub fn duration(&mut self, entry: &RawEntry) -> Option<i64> {
        match &entry.value.value {
            RawValue::String(s) => match parse_duration(s) {
                Ok(seconds) => Some(seconds),
                Err(message) => {
                    self.error(
                        Check::InvalidTime,
                        &entry.value,
                        format!("\"duration\": {message}"),
                    );
                    None
                }
            },
            _ => {
                self.expected(entry, "a duration in quotes like \"90m\" or \"2h 30m\"");
                None
            }
        }
    }

    pub fn impact(&mut self, entry: &RawEntry) -> Option<u32> {
        let percent = match &entry.value.value {
            RawValue::Integer(i) => Some(*i as f64),
            RawValue::Float(f) => Some(*f),
            RawValue::String(s) => {
                let s = s.trim();
                if s.eq_ignore_ascii_case("all") {
                    Some(100.0)
                } else {
                    s.strip_suffix('%').unwrap_or(s).trim().parse::<f64>().ok()
                }
            }
            _ => None,
        };
        match percent {
            Some(p) if (0.0..=100.0).contains(&p) => Some((p * 100.0).round() as u32),
            Some(p) => {
                self.error(
                    Check::InvalidValue,
                    &entry.value,
                    format!("\"impact\": {p}% is outside 0 to 100"),
                );
                None
            }
            None => {
                self.expected(
                    entry,
                    "a percentage of users from 0 to 100, like 35, \"35%\" or \"all\"",
                );
                None
            }
        }
    }

    pub fn services(&mut self, entry: &RawEntry, config: &Config) -> Vec<String> {
        let names = self.strings(entry);
        let RawValue::Array(nodes) = &entry.value.value else {
            return names;
        };
        let mut out: Vec<String> = Vec::new();
        for (name, node) in names.into_iter().zip(nodes) {
            let slug = slugify(&name);
            if slug.is_empty() {
                self.error(
                    Check::InvalidSlug,
                    node,
                    format!("\"services\": \"{name}\" gives an empty URL; use letters or digits in service names"),
                );
            } else if slug.len() > super::limits::MAX_SLUG_BYTES {
                self.error(
                    Check::LimitExceeded,
                    node,
                    format!(
                        "\"services\": a service name may give a URL of at most {} characters; this one gives {}",
                        super::limits::MAX_SLUG_BYTES,
                        slug.len()
                    ),
                );
            } else if config.declares_services() && !config.services.iter().any(|s| s.name == name)
            {
                let declared = config.services.iter().map(|s| s.name.as_str());
                let hint = did_you_mean(&name, declared).unwrap_or_else(|| {
                    let all: Vec<&str> = config.services.iter().map(|s| s.name.as_str()).collect();
                    format!("declared services are: {}", all.join(", "))
                });
                self.problems.push(
                    Diagnostic::new(
                        Check::UndeclaredService,
                        self.file,
                        format!("\"services\": \"{name}\" is not declared in aftermath.toml"),
                    )
                    .at(Some(node.location.clone()))
                    .with_hint(hint),
                );
            } else if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    pub fn slug(&mut self, entry: &RawEntry) -> Option<String> {
        let RawValue::String(value) = &entry.value.value else {
            self.expected(entry, "a slug in quotes like \"db-outage\"");
            return None;
        };
        let clean = slugify(value);
        if clean.is_empty() || clean != *value {
            let hint = if clean.is_empty() {
                "use lower-case letters, digits and dashes".to_string()
            } else {
                format!("did you mean \"{clean}\"?")
            };
            self.problems.push(
                Diagnostic::new(Check::InvalidSlug,
                    self.file,
                    format!("\"slug\": \"{value}\" is not a URL slug (lower-case letters, digits and single dashes only)"),
                )
                .at(Some(entry.value.location.clone()))
                .with_hint(hint),
            );
            return None;
        }
        Some(clean)
    }
}
