//! A Statuspage-compatible summary: `api/v2/summary.json`, `status.json`, `components.json`,
//! `incidents/unresolved.json` and `scheduled-maintenances/upcoming.json` in the shapes of
//! Statuspage's public v2 API, so widgets, aggregators and monitoring integrations that read a
//! Statuspage read this site unchanged. What each field holds is in `docs/api.md`.

use serde_json::{Value, json};

use super::api::pretty_json;
use super::views::iso;
use crate::content::updates::UpdateStatus;
use crate::content::{Incident, Kind};
use crate::site::Site;
use crate::stats::end_as_of;
use crate::stats::status::{OUTAGE_IMPACT_BASIS_POINTS, Status, open_impact, status_of};
use crate::text::slug::slugify;

/// Which of the five files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V2File {
    Summary,
    Status,
    Components,
    Unresolved,
    Upcoming,
}

pub fn v2_json(site: &Site, file: V2File) -> Vec<u8> {
    let page = page(site);
    let value = match file {
        V2File::Summary => json!({
            "page": page,
            "components": components(site),
            "incidents": unresolved(site),
            "scheduled_maintenances": maintenances(site, true),
            "status": status(site),
        }),
        V2File::Status => json!({ "page": page, "status": status(site) }),
        V2File::Components => json!({ "page": page, "components": components(site) }),
        V2File::Unresolved => json!({ "page": page, "incidents": unresolved(site) }),
        V2File::Upcoming => {
            json!({ "page": page, "scheduled_maintenances": maintenances(site, false) })
        }
    };
    pretty_json(&value)
}

fn page_id(site: &Site) -> String {
    slugify(&site.config.title)
}

fn page(site: &Site) -> Value {
    json!({
        "id": page_id(site),
        "name": site.config.title,
        "url": site.config.base_url,
        "time_zone": site.config.timezone.name(),
        "updated_at": iso(site.as_of),
    })
}

/// A service's component status: `operational`, `under_maintenance`, `degraded_performance`
/// (an ongoing incident at 0 %), `partial_outage` (under half of the users) or `major_outage`.
fn component_status(site: &Site, position: usize) -> &'static str {
    let name = &site.stats.services[position].name;
    let entries = || {
        site.lists.by_service[position]
            .iter()
            .map(|&i| &site.incidents[i])
    };
    match open_impact(name, entries(), site.as_of) {
        Some(impact) if impact >= OUTAGE_IMPACT_BASIS_POINTS => "major_outage",
        Some(0) => "degraded_performance",
        Some(_) => "partial_outage",
        None => match status_of(name, entries(), site.as_of) {
            Status::Maintenance => "under_maintenance",
            _ => "operational",
        },
    }
}

fn group_id(name: &str) -> String {
    format!("group-{}", slugify(name))
}

/// The services in the order of the site, with their groups (Statuspage's two levels).
fn components(site: &Site) -> Vec<Value> {
    let page_id = page_id(site);
    let created = site.stats.history_start.map(iso);
    let mut out = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    for (position, stats) in site.stats.services.iter().enumerate() {
        let group = site
            .config
            .services
            .iter()
            .find(|s| s.name == stats.name)
            .and_then(|s| s.group.as_deref());
        if let Some(group) = group
            && !groups.contains(&group)
        {
            groups.push(group);
        }
        out.push(json!({
            "id": slugify(&stats.name),
            "name": stats.name,
            "status": component_status(site, position),
            "created_at": created,
            "updated_at": iso(site.as_of),
            "position": position + 1,
            "description": site.config.services.iter().find(|s| s.name == stats.name).and_then(|s| s.description.clone()),
            "showcase": true,
            "start_date": stats.start.map(|s| s.format("%Y-%m-%d").to_string()),
            "group_id": group.map(group_id),
            "page_id": page_id,
            "group": false,
            "only_show_if_degraded": false,
        }));
    }
    for group in groups {
        let members: Vec<Value> = out
            .iter()
            .filter(|c| c["group_id"] == group_id(group))
            .map(|c| c["id"].clone())
            .collect();
        let worst = out
            .iter()
            .filter(|c| c["group_id"] == group_id(group))
            .filter_map(|c| c["status"].as_str())
            .max_by_key(|s| severity(s))
            .unwrap_or("operational")
            .to_string();
        out.push(json!({
            "id": group_id(group),
            "name": group,
            "status": worst,
            "created_at": created,
            "updated_at": iso(site.as_of),
            "position": out.len() + 1,
            "description": Value::Null,
            "showcase": false,
            "start_date": Value::Null,
            "group_id": Value::Null,
            "page_id": page_id,
            "group": true,
            "only_show_if_degraded": false,
            "components": members,
        }));
    }
    out
}

fn severity(status: &str) -> u8 {
    match status {
        "major_outage" => 4,
        "partial_outage" => 3,
        "degraded_performance" => 2,
        "under_maintenance" => 1,
        _ => 0,
    }
}

/// `indicator` from the worst component: major outage `critical`, partial outage `major`,
/// degraded `minor`, else `none`; the description as Statuspage words it.
fn status(site: &Site) -> Value {
    let worst = (0..site.stats.services.len())
        .map(|p| component_status(site, p))
        .max_by_key(|s| severity(s))
        .unwrap_or("operational");
    let (indicator, description) = match worst {
        "major_outage" => ("critical", "Major System Outage"),
        "partial_outage" => ("major", "Partial System Outage"),
        "degraded_performance" => ("minor", "Minor Service Outage"),
        "under_maintenance" => ("none", "Service Under Maintenance"),
        _ => ("none", "All Systems Operational"),
    };
    json!({ "indicator": indicator, "description": description })
}

/// Ongoing incidents, newest first.
fn unresolved(site: &Site) -> Vec<Value> {
    site.incidents
        .iter()
        .filter(|i| i.kind == Kind::Incident && end_as_of(i, site.as_of).is_none())
        .map(|i| entry(site, i, "investigating"))
        .collect()
}

/// Upcoming maintenance (soonest first), and with `in_progress` the windows running at T.
fn maintenances(site: &Site, in_progress: bool) -> Vec<Value> {
    let running = site
        .incidents
        .iter()
        .filter(|i| i.kind == Kind::Maintenance && end_as_of(i, site.as_of).is_none());
    let upcoming = site.upcoming.iter();
    let chosen: Vec<&Incident> = match in_progress {
        true => running.rev().chain(upcoming).collect(),
        false => upcoming.collect(),
    };
    chosen
        .into_iter()
        .map(|i| {
            let default = if i.start > site.as_of {
                "scheduled"
            } else {
                "in_progress"
            };
            let mut value = entry(site, i, default);
            value["scheduled_for"] = json!(iso(i.start));
            value["scheduled_until"] = json!(i.end.map(iso));
            value
        })
        .collect()
}

/// An incident or maintenance in Statuspage's shape as of T: its status is that of its latest
/// status update (or `default`), its updates newest first. An `Update` line carries the state
/// before it, as Statuspage's updates do.
fn entry(site: &Site, incident: &Incident, default: &str) -> Value {
    let mut state = default;
    let updates: Vec<(String, &crate::content::outline::TimelineEvent)> = incident
        .timeline
        .iter()
        .filter(|e| e.at <= site.as_of)
        .filter_map(|e| {
            let status = e.status?;
            if status != UpdateStatus::Update {
                state = status.key();
            }
            Some((state.to_string(), e))
        })
        .collect();
    let status = state;
    let monitoring_at = updates
        .iter()
        .find(|(s, _)| s == "monitoring")
        .map(|(_, e)| iso(e.at));
    let updated_at = updates.last().map_or(incident.start, |(_, e)| e.at);
    let services: Vec<Value> = incident
        .services
        .iter()
        .map(|s| json!({ "id": slugify(s), "name": s }))
        .collect();
    let incident_updates: Vec<Value> = updates
        .iter()
        .enumerate()
        .rev()
        .map(|(n, (state, event))| {
            json!({
                "id": format!("{}-{}", incident.id, n + 1),
                "status": state,
                "body": event.text,
                "incident_id": incident.id,
                "created_at": iso(event.at),
                "updated_at": iso(event.at),
                "display_at": iso(event.at),
            })
        })
        .collect();
    json!({
        "id": incident.id,
        "name": incident.title,
        "status": status,
        "created_at": iso(incident.start),
        "updated_at": iso(updated_at.max(incident.start)),
        "monitoring_at": monitoring_at,
        "resolved_at": Value::Null,
        "impact": impact(site, incident),
        "shortlink": format!("{}incidents/{}/", site.config.base_url, incident.id),
        "started_at": iso(incident.start),
        "page_id": page_id(site),
        "incident_updates": incident_updates,
        "components": services,
    })
}

/// `critical`, `major`, `minor` or `none`: the severity when it is one of those names, else by
/// its rank (the most severe `critical`, the next `major`, the rest `minor`); `maintenance` for
/// maintenance, as Statuspage says; `none` without a severity.
fn impact(site: &Site, incident: &Incident) -> &'static str {
    if incident.kind == Kind::Maintenance {
        return "maintenance";
    }
    let Some(severity) = incident.severity.as_deref() else {
        return "none";
    };
    match severity {
        "critical" => "critical",
        "major" => "major",
        "minor" => "minor",
        "none" => "none",
        other => match site.config.severity_rank(other) {
            Some(0) => "critical",
            Some(1) => "major",
            _ => "minor",
        },
    }
}
