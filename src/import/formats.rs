//! cState and Statusfy incident files, mapped onto Aftermath's keys.
//!
//! cState (a Hugo theme): `date` is the start, `resolvedWhen` the end, `severity` is `down`,
//! `disrupted` or `notice` (notice is maintenance), `affected` lists systems; its dates are UTC
//! by convention. Statusfy: `date` is when the incident was *created* (reported, since impact
//! may have begun earlier), `severity` is `major-outage`, `partial-outage`,
//! `degraded-performance` or `under-maintenance`, `affectedsystems` lists systems, and the end
//! is the time of the last `::: update Resolved | <time>` block; scheduled maintenance has
//! `scheduled` and `duration` (minutes).

use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use regex::Regex;

use super::Draft;
use crate::config::Config;
use crate::spanned::{RawEntry, RawValue};
use crate::text::time::parse_instant;

/// Which tool a file with front matter comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Cstate,
    Statusfy,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Cstate => "cState",
            Format::Statusfy => "Statusfy",
        }
    }
}

/// Recognises cState and Statusfy front matter by its keys and values.
pub fn detect(entries: &[RawEntry]) -> Option<Format> {
    let has = |key: &str| entries.iter().any(|e| e.key == key);
    let severity = text(entries, "severity").unwrap_or_default();
    if has("resolvedWhen")
        || has("affected")
        || ["down", "disrupted", "notice"].contains(&severity.as_str())
    {
        Some(Format::Cstate)
    } else if has("affectedsystems") || has("scheduled") || severity.contains('-') {
        Some(Format::Statusfy)
    } else {
        None
    }
}

fn entry<'a>(entries: &'a [RawEntry], key: &str) -> Option<&'a RawEntry> {
    entries.iter().find(|e| e.key == key)
}

fn text(entries: &[RawEntry], key: &str) -> Option<String> {
    match &entry(entries, key)?.value.value {
        RawValue::String(s) | RawValue::Datetime(s) => Some(s.trim().to_string()),
        RawValue::Integer(i) => Some(i.to_string()),
        RawValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn strings(entries: &[RawEntry], key: &str) -> Vec<String> {
    match entry(entries, key).map(|e| &e.value.value) {
        Some(RawValue::Array(items)) => items
            .iter()
            .filter_map(|i| match &i.value {
                RawValue::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        Some(RawValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn line(entries: &[RawEntry], key: &str) -> usize {
    entry(entries, key).map_or(0, |e| e.key_location.line)
}

/// Where a key's value came from, for the report and the draft's comments.
fn origin_of(entries: &[RawEntry], key: &str) -> String {
    format!("line {}, `{key}`", line(entries, key))
}

/// A time from these tools: RFC 3339, or a local time read as UTC (their convention).
fn instant(value: &str) -> Option<DateTime<Utc>> {
    parse_instant(value, chrono_tz::Tz::UTC).ok().map(|p| p.utc)
}

/// Maps a cState or Statusfy file onto a draft.
pub fn map(format: Format, entries: &[RawEntry], body: &str, config: &Config) -> Draft {
    let mut draft = Draft {
        body: body.to_string(),
        ..Draft::default()
    };
    let origin = |key: &str| origin_of(entries, key);
    if let Some(title) = text(entries, "title") {
        draft.title = Some((title, origin("title")));
    }
    let systems_key = if format == Format::Cstate {
        "affected"
    } else {
        "affectedsystems"
    };
    for system in strings(entries, systems_key) {
        match super::match_service(&system, config) {
            Some(name) => draft.services.push((name, origin(systems_key))),
            None => draft.notes.push(format!("\"{system}\" ({}) is not a declared service; add it to aftermath.toml or map it by hand", origin(systems_key))),
        }
    }
    match format {
        Format::Cstate => cstate(entries, config, &mut draft),
        Format::Statusfy => statusfy(entries, body, config, &mut draft),
    }
    draft
}

/// The site's most, middle and least severe severity, for the tools' fixed levels.
fn severity_levels(config: &Config) -> [Option<String>; 3] {
    let severities = &config.severities;
    [
        severities.first().cloned(),
        severities.get(severities.len() / 2).cloned(),
        severities.last().cloned(),
    ]
}

/// cState: `date` and `resolvedWhen` in UTC, `resolved: false` for ongoing, and severities
/// `down`, `disrupted` and `notice` (maintenance).
fn cstate(entries: &[RawEntry], config: &Config, draft: &mut Draft) {
    let origin = |key: &str| origin_of(entries, key);
    if let Some(start) = text(entries, "date").as_deref().and_then(instant) {
        draft.start = Some((start, format!("{} (cState dates are UTC)", origin("date"))));
    }
    let resolved = text(entries, "resolved").is_none_or(|r| r != "false");
    if let Some(end) = text(entries, "resolvedWhen")
        .as_deref()
        .and_then(instant)
        .filter(|_| resolved)
    {
        draft.end = Some((end, origin("resolvedWhen")));
    } else if !resolved {
        draft
            .notes
            .push("`resolved: false`: imported as ongoing".into());
        draft.ongoing = true;
    }
    let [most, middle, _] = severity_levels(config);
    let severity = text(entries, "severity").unwrap_or_default();
    let level =
        |name: Option<String>| name.map(|s| (s, format!("{} ({severity})", origin("severity"))));
    match severity.as_str() {
        "down" => draft.severity = level(most),
        "disrupted" => draft.severity = level(middle),
        "notice" => {
            draft.kind = Some((
                "maintenance".into(),
                format!("{} (notice)", origin("severity")),
            ))
        }
        _ => {}
    }
}

/// Statusfy: `scheduled` plus `duration` for maintenance, else `date` (when it was reported)
/// and the body's `Resolved` update; severities from `major-outage` to `under-maintenance`.
fn statusfy(entries: &[RawEntry], body: &str, config: &Config, draft: &mut Draft) {
    let origin = |key: &str| origin_of(entries, key);
    if let Some(summary) = text(entries, "description") {
        draft.summary = Some(summary);
    }
    if let (Some(scheduled), Some(minutes)) = (
        text(entries, "scheduled").as_deref().and_then(instant),
        text(entries, "duration").and_then(|d| d.parse::<i64>().ok()),
    ) {
        draft.kind = Some(("maintenance".into(), origin("scheduled")));
        draft.start = Some((scheduled, origin("scheduled")));
        draft.end = Some((scheduled + Duration::minutes(minutes), origin("duration")));
    } else if let Some(start) = text(entries, "date").as_deref().and_then(instant) {
        draft.start = Some((start, origin("date")));
        draft.notes.push("Statusfy's `date` is when the incident was reported; move `start` earlier if impact began before".into());
        if let Some((end, at)) = statusfy_resolved(body) {
            draft.end = Some((end, format!("body line {at}, the `Resolved` update")));
        }
    }
    let [most, middle, least] = severity_levels(config);
    let severity = text(entries, "severity").unwrap_or_default();
    let level =
        |name: Option<String>| name.map(|s| (s, format!("{} ({severity})", origin("severity"))));
    match severity.as_str() {
        "major-outage" => draft.severity = level(most),
        "partial-outage" => draft.severity = level(middle),
        "degraded-performance" => draft.severity = level(least),
        "under-maintenance" => draft.kind = Some(("maintenance".into(), origin("severity"))),
        _ => {}
    }
}

/// The time of the last `::: update Resolved | <time>` block of a Statusfy body, and its line.
fn statusfy_resolved(body: &str) -> Option<(DateTime<Utc>, usize)> {
    static UPDATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^:::\s*update\s+resolved\s*\|\s*(\S+)").expect("valid regex")
    });
    body.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let caps = UPDATE.captures(line.trim())?;
            let value = caps[1].trim();
            let at = instant(value).or_else(|| {
                NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.fZ")
                    .ok()
                    .map(|n| n.and_utc())
            })?;
            Some((at, index + 1))
        })
        .last()
}
