//! The JSON files: `api/stats.json`, `api/slo.json`, `api/incidents.json` and `feed.json`
//! (JSON Feed 1.1).
//!
//! Their shapes are contracts (users' scripts and dashboards read them) and are documented in
//! `docs/api.md`. They are built with serde from typed values, never assembled in templates, so
//! every string is escaped and key order is fixed.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::feeds::FeedBodies;
use crate::content::{Incident, Kind};
use crate::markdown::MarkdownRenderer;
use crate::render::views::{impact_percent, iso};
use crate::site::Site;
use crate::stats::slo::{self, Budget};
use crate::stats::summary::seconds_json;
use crate::stats::{ServiceStats, Statistics, end_as_of};

/// How many entries the feeds carry.
pub const FEED_LENGTH: usize = 20;

/// Pretty JSON with a final newline, as every JSON file is written.
///
/// Measured first, then written into a buffer of exactly that size: a growing buffer doubles,
/// and while the largest files grew (`api/actions.json` and `api/incidents.json`, 107 and
/// 76 MB at 100,000 incidents) each held up to three times its size, the peak of the build.
pub fn pretty_json(value: &impl serde::Serialize) -> Vec<u8> {
    let mut size = ByteCount(0);
    if serde_json::to_writer_pretty(&mut size, value).is_err() {
        return b"\n".to_vec();
    }
    let mut bytes = Vec::with_capacity(size.0 + 1);
    if serde_json::to_writer_pretty(&mut bytes, value).is_err() {
        bytes.clear();
    }
    bytes.push(b'\n');
    bytes
}

/// A writer that only counts the bytes written to it.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `api/stats.json`.
pub fn stats_json(site: &Site) -> Vec<u8> {
    pretty_json(&stats_value(&site.stats))
}

/// The shape of `api/stats.json` for any [`Statistics`] (also printed by `aftermath stats`).
pub fn stats_value(stats: &Statistics) -> Value {
    let services: Map<String, Value> = stats
        .services
        .iter()
        .map(|s| (s.name.clone(), service_json(s)))
        .collect();
    json!({
        "as_of": iso(stats.as_of),
        "incidents": {
            "total": stats.counts.total,
            "resolved": stats.counts.resolved,
            "ongoing": stats.counts.ongoing,
            "maintenance": stats.counts.maintenance,
        },
        "time_to_resolve": stats.time_to_resolve,
        "time_to_detect": stats.time_to_detect,
        "services": services,
        "overall": service_json(&stats.overall),
        "history_start": stats.history_start.map(iso),
    })
}

/// `api/slo.json`: each service with an objective, its budget and the incidents that used it.
pub fn slo_json(site: &Site) -> Vec<u8> {
    let services: Map<String, Value> = site
        .budgets
        .iter()
        .map(|b| (b.service.clone(), budget_json(b)))
        .collect();
    pretty_json(&json!({
        "as_of": iso(site.as_of),
        "services": services,
    }))
}

fn budget_json(budget: &Budget) -> Value {
    let incidents: Vec<Value> = budget
        .shares
        .iter()
        .map(|share| {
            json!({
                "id": share.id,
                "consumed_seconds": slo::seconds(share.consumed),
                "budget_fraction": budget.fraction_of(share.consumed),
                "flagged": budget.flags(share.consumed),
            })
        })
        .collect();
    json!({
        "target": budget.objective.target_percent(),
        "window": budget.objective.window.label(),
        "weighted": budget.objective.weighted,
        "window_start": from_timestamp(budget.from),
        "window_end": from_timestamp(budget.to),
        "budget_seconds": slo::seconds(budget.budget),
        "consumed_seconds": slo::seconds(budget.consumed),
        "remaining_seconds": slo::seconds(budget.remaining()),
        "remaining_fraction": budget.remaining_fraction(),
        "met": budget.met(),
        "incidents": incidents,
    })
}

/// RFC 3339 of a timestamp (seconds since the epoch).
fn from_timestamp(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0).map_or_else(String::new, iso)
}

fn service_json(service: &ServiceStats) -> Value {
    let windows: Map<String, Value> = service
        .windows
        .iter()
        .map(|(label, w)| {
            let value = json!({
                "downtime_seconds": w.downtime_seconds,
                "weighted_downtime_seconds": seconds_json(w.weighted_downtime_seconds()),
                "availability": w.availability(),
                "weighted_availability": w.weighted_availability(),
                "from": from_timestamp(w.from),
                "length_seconds": w.length_seconds,
            });
            (label.clone(), value)
        })
        .collect();
    json!({
        "incidents": service.incidents,
        "windows": windows,
        "start": service.start.map(iso),
    })
}

/// One entry of `api/incidents.json`, in the field order of the contract.
#[derive(serde::Serialize)]
struct IncidentEntry<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    start: String,
    end: Option<String>,
    duration_seconds: Option<i64>,
    detected: Option<String>,
    /// A whole number when whole, else a decimal.
    impact: serde_json::Number,
    services: &'a [String],
    severity: Option<&'a str>,
    kind: &'static str,
    status: &'static str,
    impact_windows: Vec<ImpactEntry<'a>>,
    updates: Vec<UpdateEntry<'a>>,
}

/// One impact window of an entry: which services, how much, from when to when (`to` is null
/// while the window is open at T).
#[derive(serde::Serialize)]
struct ImpactEntry<'a> {
    services: &'a [String],
    impact: serde_json::Number,
    level: Option<&'a str>,
    from: String,
    to: Option<String>,
}

/// A percentage as JSON: a whole number when whole, else a decimal.
fn percent_json(basis_points: u32) -> serde_json::Number {
    if basis_points.is_multiple_of(100) {
        serde_json::Number::from(basis_points / 100)
    } else {
        serde_json::Number::from_f64(impact_percent(basis_points))
            .unwrap_or_else(|| serde_json::Number::from(0))
    }
}

/// The windows of `incident` as of T.
fn impact_entries(incident: &Incident, as_of: DateTime<Utc>) -> Vec<ImpactEntry<'_>> {
    let end = end_as_of(incident, as_of);
    incident
        .impact_windows
        .iter()
        .map(|window| ImpactEntry {
            services: &window.services,
            impact: percent_json(window.basis_points),
            level: window.level.as_deref(),
            from: iso(window.from),
            to: window
                .to
                .map_or(end, |to| (to <= as_of).then_some(to))
                .map(iso),
        })
        .collect()
}

/// One status update of an entry (a timeline line that starts with a state).
#[derive(serde::Serialize)]
struct UpdateEntry<'a> {
    at: String,
    status: &'static str,
    text: &'a str,
}

#[derive(serde::Serialize)]
struct IncidentList<'a> {
    incidents: Vec<IncidentEntry<'a>>,
}

/// `api/incidents.json`: every published entry, newest start first, ties by id. Serialised
/// from typed values straight to bytes (no intermediate JSON tree: 10,000 entries take a few
/// milliseconds).
pub fn incidents_json(site: &Site) -> Vec<u8> {
    let incidents = site
        .incidents
        .iter()
        .map(|incident| {
            let end = end_as_of(incident, site.as_of);
            let impact = percent_json(incident.impact_basis_points);
            IncidentEntry {
                id: &incident.id,
                title: &incident.title,
                url: format!("{}incidents/{}/", site.config.base_url, incident.id),
                start: iso(incident.start),
                end: end.map(iso),
                duration_seconds: end.map(|e| (e - incident.start).num_seconds()),
                detected: incident.detected.map(iso),
                impact,
                services: &incident.services,
                severity: incident.severity.as_deref(),
                kind: incident.kind.as_str(),
                status: if end.is_some() { "resolved" } else { "ongoing" },
                impact_windows: impact_entries(incident, site.as_of),
                updates: incident
                    .timeline
                    .iter()
                    .filter_map(|event| {
                        Some(UpdateEntry {
                            at: iso(event.at),
                            status: event.status?.key(),
                            text: &event.text,
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    pretty_json(&IncidentList { incidents })
}

/// `feed.json`: the newest entries as a JSON Feed 1.1.
/// The JSON Feed of the site, or of the service at `service` in the statistics.
pub fn json_feed(
    site: &Site,
    markdown: &MarkdownRenderer,
    bodies: &FeedBodies,
    service: Option<usize>,
) -> Vec<u8> {
    let base = &site.config.base_url;
    let name = service.map(|p| site.stats.services[p].name.as_str());
    let place = super::feeds::FeedPlace::new(site, name);
    let items: Vec<Value> = super::feeds::entries(site, FEED_LENGTH, name)
        .into_iter()
        .map(|incident| {
            let url = format!("{base}incidents/{}/", incident.id);
            let end = end_as_of(incident, site.as_of);
            let mut tags: Vec<String> = incident.services.clone();
            if let Some(severity) = &incident.severity {
                tags.push(severity.clone());
            }
            if incident.kind == Kind::Maintenance {
                tags.push("maintenance".into());
            }
            tags.extend(incident.tags.iter().cloned());
            let mut item = json!({
                "id": url,
                "url": url,
                "title": super::feeds::entry_title(incident, site.as_of, &site.config.locale),
                "content_html": bodies.body(site, markdown, incident).as_ref(),
                "date_published": iso(incident.start),
                "date_modified": iso(end.unwrap_or(incident.start)),
                "tags": tags,
            });
            if let Some(summary) = &incident.summary {
                item["summary"] = Value::String(summary.clone());
            }
            item
        })
        .collect();
    pretty_json(&json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": place.title,
        "home_page_url": place.home_url,
        "feed_url": place.json_url,
        "description": site.config.description,
        "language": site.config.language,
        "items": items,
    }))
}
