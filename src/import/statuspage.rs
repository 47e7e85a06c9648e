//! Atlassian Statuspage's public API v2 exports, mapped onto Aftermath's keys.
//!
//! `/api/v2/incidents.json` (`{"page", "incidents": [...]}`), `/api/v2/scheduled-maintenances.json`
//! (`{"page", "scheduled_maintenances": [...]}`) and one incident (`{"page", "incident"}`). Each
//! incident has `name`, `status`, `impact` (`none`, `minor`, `major`, `critical`, or
//! `maintenance`), `components[]`, `shortlink`, and `incident_updates[]` with `status`, `body`
//! and `display_at` / `created_at`; maintenance adds `scheduled_for` / `scheduled_until`.
//!
//! The mapping never guesses: start is the first update (or `started_at` when it is earlier by
//! at most a day, since impact often begins before the first post), end is the last `resolved`
//! (or `completed`) update, and every value says which field it came from.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::component_windows::{self, StatusChange};
use super::{Draft, match_service, stated_window};
use crate::config::Config;
use crate::content::updates::UpdateStatus;

const NOT_AN_EXPORT: &str = "JSON, but not a Statuspage export: expected an object with \"incidents\", \"scheduled_maintenances\" or \"incident\" (from /api/v2/incidents.json); nothing was written";

#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    incidents: Option<Vec<Incident>>,
    #[serde(default)]
    scheduled_maintenances: Option<Vec<Incident>>,
    #[serde(default)]
    incident: Option<Incident>,
}

/// An incident as Statuspage describes it: from the API export, or read out of a feed entry.
#[derive(Deserialize, Default)]
pub(super) struct Incident {
    pub name: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub impact: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
    #[serde(default)]
    pub scheduled_for: Option<String>,
    #[serde(default)]
    pub scheduled_until: Option<String>,
    #[serde(default)]
    pub shortlink: Option<String>,
    #[serde(default)]
    pub postmortem_body: Option<String>,
    #[serde(default)]
    pub incident_updates: Vec<Update>,
    #[serde(default)]
    pub components: Vec<Component>,
    /// What the source calls each field, for saying where a value came from.
    #[serde(skip, default = "json_fields")]
    pub fields: &'static Fields,
}

#[derive(Deserialize, Debug, PartialEq)]
pub(super) struct Update {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub display_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    /// The component statuses this update changed (API exports only).
    #[serde(default)]
    pub affected_components: Vec<AffectedComponent>,
}

#[derive(Deserialize)]
pub(super) struct Component {
    pub name: String,
}

/// One status change of an update: `{ "name": "Webhooks", "new_status": "major_outage" }`.
#[derive(Deserialize, Debug, PartialEq)]
pub(super) struct AffectedComponent {
    pub name: String,
    #[serde(default)]
    pub new_status: String,
}

/// The names of an incident's fields in its source, so that every value says where it came
/// from in the source's own words.
pub(super) struct Fields {
    name: &'static str,
    updates: &'static str,
    components: &'static str,
    scheduled_for: &'static str,
    scheduled_until: &'static str,
}

const JSON_FIELDS: Fields = Fields {
    name: "name",
    updates: "incident_updates",
    components: "components",
    scheduled_for: "scheduled_for",
    scheduled_until: "scheduled_until",
};

/// A feed entry's: its title, its updates in the order of its content, the "This incident
/// affected" line, the "THIS IS A SCHEDULED EVENT" line.
pub(super) const FEED_FIELDS: Fields = Fields {
    name: "title",
    updates: "updates",
    components: "affected",
    scheduled_for: "content, \"THIS IS A SCHEDULED EVENT\"",
    scheduled_until: "content, \"THIS IS A SCHEDULED EVENT\"",
};

fn json_fields() -> &'static Fields {
    &JSON_FIELDS
}

impl Default for &'static Fields {
    fn default() -> Self {
        &JSON_FIELDS
    }
}

/// Every incident of an export as `(label, draft)`, the label naming it in the report
/// (`incidents[2]`), or why the input is not read: not JSON, JSON of another shape (refused
/// rather than read as prose), or an export without incidents.
pub fn drafts(text: &str, config: &Config) -> Result<Vec<(String, Draft)>, String> {
    let json: serde_json::Value = serde_json::from_str(text)
        .map_err(|err| format!("not valid JSON: {err}; nothing was written"))?;
    let recognised = ["incidents", "scheduled_maintenances", "incident"]
        .iter()
        .any(|key| json.get(key).is_some_and(|v| v.is_array() || v.is_object()));
    if !recognised {
        return Err(NOT_AN_EXPORT.to_string());
    }
    let export: Export = serde_json::from_value(json).map_err(|err| {
        format!("a Statuspage export, but it does not read as one: {err}; nothing was written")
    })?;
    let mut out = Vec::new();
    for (key, list, maintenance) in [
        ("incidents", export.incidents, false),
        (
            "scheduled_maintenances",
            export.scheduled_maintenances,
            true,
        ),
    ] {
        for (index, incident) in list.into_iter().flatten().enumerate() {
            let label = format!("{key}[{index}]");
            let is_maintenance = maintenance || incident.scheduled_for.is_some();
            out.push((
                label.clone(),
                draft_of(&incident, &label, is_maintenance, config),
            ));
        }
    }
    if let Some(incident) = export.incident {
        let maintenance = incident.scheduled_for.is_some();
        out.push((
            "incident".to_string(),
            draft_of(&incident, "incident", maintenance, config),
        ));
    }
    // Oldest first (exports list newest first), so of two incidents with one title the older
    // keeps the plain slug.
    out.sort_by_key(|(_, d)| d.start.as_ref().map(|(at, _)| *at));
    if out.is_empty() {
        return Err("a Statuspage export without incidents; nothing was written".into());
    }
    Ok(out)
}

fn instant(text: Option<&str>) -> Option<DateTime<Utc>> {
    let parsed = DateTime::parse_from_rfc3339(text?.trim()).ok()?;
    // Whole seconds: the front matter and the statistics work in seconds.
    DateTime::from_timestamp(parsed.timestamp(), 0)
}

/// The updates with their times, oldest first; an update without a readable time is left out.
fn timed_updates(incident: &Incident) -> Vec<(DateTime<Utc>, &Update)> {
    let mut updates: Vec<(DateTime<Utc>, &Update)> = incident
        .incident_updates
        .iter()
        .filter_map(|u| {
            let at = instant(u.display_at.as_deref()).or(instant(u.created_at.as_deref()))?;
            Some((at, u))
        })
        .collect();
    updates.sort_by_key(|(at, _)| *at);
    updates
}

/// The draft of one incident; `label` names it in its source (`incidents[2]`, `entries[0]`).
pub(super) fn draft_of(
    incident: &Incident,
    label: &str,
    maintenance: bool,
    config: &Config,
) -> Draft {
    let at = |field: &str| format!("{label}.{field}");
    let updates = timed_updates(incident);
    let mut draft = Draft {
        title: Some((incident.name.trim().to_string(), at(incident.fields.name))),
        ..Draft::default()
    };
    if maintenance {
        draft.kind = Some(("maintenance".into(), at(incident.fields.scheduled_for)));
    }
    start_and_end(incident, label, maintenance, &updates, &mut draft);
    services(incident, label, config, &mut draft);
    if !maintenance {
        severity(incident, label, config, &mut draft);
        impact_windows(incident, label, &updates, config, &mut draft);
    }
    draft.body = body(incident, &updates, draft.start.as_ref().map(|(at, _)| *at));
    if maintenance {
        draft.summary = updates
            .iter()
            .find(|(_, u)| u.status == "scheduled")
            .and_then(|(_, u)| u.body.as_deref())
            .map(|b| decoded(b).lines().next().unwrap_or("").trim().to_string())
            .filter(|b| !b.is_empty());
    }
    draft
}

/// `[[impact]]` windows from the component statuses the updates set (see
/// `component_windows.rs`), or a note saying why there are none.
fn impact_windows(
    incident: &Incident,
    label: &str,
    updates: &[(DateTime<Utc>, &Update)],
    config: &Config,
    draft: &mut Draft,
) {
    let Some((start, _)) = &draft.start else {
        return;
    };
    let changes: Vec<StatusChange<'_>> = updates
        .iter()
        .flat_map(|(at, update)| {
            let source = format!(
                "{label}.{}[{}]",
                incident.fields.updates,
                source_index(incident, update)
            );
            update
                .affected_components
                .iter()
                .map(move |c| StatusChange {
                    at: *at,
                    component: &c.name,
                    new_status: &c.new_status,
                    source: source.clone(),
                })
        })
        .collect();
    let services: Vec<String> = draft.services.iter().map(|(s, _)| s.clone()).collect();
    let end = draft.end.as_ref().map(|(at, _)| *at);
    match component_windows::windows(&changes, (*start, end), &services, config) {
        Ok(windows) => draft.impact_windows = windows,
        Err(note) => draft.notes.push(note),
    }
}

/// Where `update` stands in the source's list (exports list updates newest first).
fn source_index(incident: &Incident, update: &Update) -> usize {
    incident
        .incident_updates
        .iter()
        .position(|u| std::ptr::eq(u, update))
        .unwrap_or(0)
}

/// The time of the first (or `last`) update with one of `statuses`, and where it came from.
fn update_with(
    incident: &Incident,
    updates: &[(DateTime<Utc>, &Update)],
    label: &str,
    statuses: &[&str],
    last: bool,
) -> Option<(DateTime<Utc>, String)> {
    let mut matching = updates
        .iter()
        .filter(|(_, u)| statuses.contains(&u.status.as_str()));
    let (at, update) = if last {
        matching.next_back()
    } else {
        matching.next()
    }?;
    Some((
        *at,
        format!(
            "{label}.{}[{}], \"{}\"",
            incident.fields.updates,
            source_index(incident, update),
            update.status
        ),
    ))
}

fn start_and_end(
    incident: &Incident,
    label: &str,
    maintenance: bool,
    updates: &[(DateTime<Utc>, &Update)],
    draft: &mut Draft,
) {
    let at = |field: &str| format!("{label}.{field}");
    let fields = incident.fields;
    let last_with = |statuses: &[&str]| update_with(incident, updates, label, statuses, true);
    let first_with = |statuses: &[&str]| update_with(incident, updates, label, statuses, false);
    if maintenance {
        draft.start = first_with(&["in_progress"]).or_else(|| {
            instant(incident.scheduled_for.as_deref()).map(|t| (t, at(fields.scheduled_for)))
        });
        draft.end = last_with(&["completed"]).or_else(|| {
            instant(incident.scheduled_until.as_deref()).map(|t| (t, at(fields.scheduled_until)))
        });
        return;
    }
    let first = updates
        .first()
        .map(|(t, u)| {
            let index = source_index(incident, u);
            (
                *t,
                format!("{label}.{}[{index}], the first update", fields.updates),
            )
        })
        .or_else(|| instant(incident.created_at.as_deref()).map(|t| (t, at("created_at"))));
    let stated = instant(incident.started_at.as_deref());
    draft.start = match (first, stated) {
        (Some((first_at, from)), Some(stated_at)) => {
            let earlier_by = first_at - stated_at;
            if earlier_by >= Duration::zero() && earlier_by <= Duration::days(1) {
                Some((stated_at, at("started_at")))
            } else {
                if (earlier_by.num_seconds()).abs() > 86_400 {
                    draft.notes.push(format!(
                        "`started_at` ({}) is more than a day from the first update ({}); the first update was used",
                        stated_at.format("%Y-%m-%d %H:%M UTC"),
                        first_at.format("%Y-%m-%d %H:%M UTC")
                    ));
                }
                Some((first_at, from))
            }
        }
        (first, None) => first,
        (None, Some(stated_at)) => Some((stated_at, at("started_at"))),
    };
    let resolved = matches!(incident.status.as_str(), "resolved" | "postmortem");
    draft.end = last_with(&["resolved"])
        .or_else(|| instant(incident.resolved_at.as_deref()).map(|t| (t, at("resolved_at"))));
    use_stated_window(incident, updates, label, draft);
    if !resolved && draft.end.is_none() {
        draft.ongoing = true;
        draft.notes.push(format!(
            "status \"{}\" on Statuspage: imported as ongoing (no end)",
            incident.status
        ));
    }
}

/// Start and end from the impact window a resolution (or the postmortem) states, when it
/// agrees with the updates; a window more than a day from them is reported instead.
fn use_stated_window(
    incident: &Incident,
    updates: &[(DateTime<Utc>, &Update)],
    label: &str,
    draft: &mut Draft,
) {
    let from_updates = updates.iter().rev().find_map(|(_, update)| {
        let text = decoded(update.body.as_deref()?);
        let window = stated_window::stated_window(&text)?;
        let index = source_index(incident, update);
        Some((
            window,
            format!("{label}.{}[{index}]", incident.fields.updates),
        ))
    });
    let from_postmortem = || {
        let text = decoded(incident.postmortem_body.as_deref()?);
        Some((
            stated_window::stated_window(&text)?,
            format!("{label}.postmortem_body"),
        ))
    };
    let (Some(((start, end), from)), Some((first, _))) =
        (from_updates.or_else(from_postmortem), draft.start.clone())
    else {
        return;
    };
    let resolved = draft.end.as_ref().map(|(at, _)| *at);
    let utc = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    if stated_window::agrees((start, end), first, resolved) {
        draft.start = Some((start, format!("{from}, the impact window it states")));
        if resolved.is_some() {
            draft.end = Some((end, format!("{from}, the impact window it states")));
        }
    } else {
        draft.notes.push(format!(
            "{from} states an impact window ({} to {}) more than a day from the updates; the update times were used",
            utc(start),
            utc(end)
        ));
    }
}

fn services(incident: &Incident, label: &str, config: &Config, draft: &mut Draft) {
    for (index, component) in incident.components.iter().enumerate() {
        let from = format!(
            "{label}.{}[{index}], \"{}\"",
            incident.fields.components, component.name
        );
        let name = if config.services.is_empty() {
            Some(component.name.trim().to_string())
        } else {
            match_service(&component.name, config)
        };
        match name {
            Some(name) if !draft.services.iter().any(|(s, _)| *s == name) => {
                draft.services.push((name, from));
            }
            Some(_) => {}
            None => draft.notes.push(format!(
                "component \"{}\" is not a declared service: add it, or an alias of one, to aftermath.toml and import again",
                component.name
            )),
        }
    }
}

/// `impact` onto the site's severities: by name when the site uses Statuspage's names, else
/// `critical` is the most severe, `minor` the least, `major` the one between.
fn severity(incident: &Incident, label: &str, config: &Config, draft: &mut Draft) {
    let Some(impact) = incident.impact.as_deref().map(str::trim) else {
        return;
    };
    let from = format!("{label}.impact, \"{impact}\"");
    let levels = &config.severities;
    let chosen = if levels.iter().any(|s| s == impact) {
        Some(impact.to_string())
    } else {
        let position = match impact {
            "critical" => Some(0),
            "major" => Some(levels.len() / 2),
            "minor" => Some(levels.len().saturating_sub(1)),
            _ => None,
        };
        position.and_then(|p| levels.get(p).cloned())
    };
    match chosen {
        Some(severity) => draft.severity = Some((severity, from)),
        None => draft.notes.push(format!(
            "impact \"{impact}\" on Statuspage names no severity: choose one"
        )),
    }
}

/// The body: where it was published, maintenance announcements made before `start`, the
/// postmortem if there is one, then every other update as a timeline line
/// (`- 2026-08-21 00:37 UTC: Resolved - ...`), its further lines indented under it.
fn body(
    incident: &Incident,
    updates: &[(DateTime<Utc>, &Update)],
    start: Option<DateTime<Utc>>,
) -> String {
    let mut out = String::new();
    if let Some(link) = incident
        .shortlink
        .as_deref()
        .filter(|l| l.starts_with("https://"))
    {
        out.push_str(&format!("Originally published on Statuspage: <{link}>\n\n"));
    }
    let announced = |at: &DateTime<Utc>, update: &Update| {
        update.status == "scheduled" && start.is_some_and(|start| *at < start)
    };
    for (at, update) in updates.iter().filter(|(at, u)| announced(at, u)) {
        let text = decoded(update.body.as_deref().unwrap_or(""));
        out.push_str(&format!(
            "Announced on {}: {}\n\n",
            at.format("%Y-%m-%d %H:%M UTC"),
            text.trim()
        ));
    }
    let updates: Vec<&(DateTime<Utc>, &Update)> =
        updates.iter().filter(|(at, u)| !announced(at, u)).collect();
    if let Some(postmortem) = incident.postmortem_body.as_deref().map(decoded)
        && !postmortem.trim().is_empty()
    {
        out.push_str("## Postmortem\n\n");
        out.push_str(postmortem.trim());
        out.push_str("\n\n");
    }
    if !updates.is_empty() {
        out.push_str("## Timeline\n\n");
        for (at, update) in updates {
            let text = decoded(update.body.as_deref().unwrap_or(""));
            let mut lines = text.trim().lines().map(str::trim_end);
            let first = lines.next().unwrap_or("");
            let separator = if first.is_empty() { "" } else { " - " };
            out.push_str(&format!(
                "- {}: {}{separator}{first}\n",
                at.format("%Y-%m-%d %H:%M UTC"),
                status_word(&update.status),
            ));
            for line in lines {
                if line.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
    }
    out
}

/// Statuspage's status key as the state a timeline line starts with (`in_progress` is
/// `In progress`); a key that names no state (`postmortem`) is an `Update`.
fn status_word(status: &str) -> &'static str {
    UpdateStatus::from_word(status)
        .unwrap_or(UpdateStatus::Update)
        .label()
}

/// Text with its HTML entities (`&amp;`, `&#39;`) decoded.
fn decoded(text: &str) -> String {
    html_escape::decode_html_entities(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_read_as_on_the_page() {
        assert_eq!(status_word("in_progress"), "In progress");
        assert_eq!(status_word("investigating"), "Investigating");
        assert_eq!(status_word("postmortem"), "Update");
        assert_eq!(status_word(""), "Update");
    }

    #[test]
    fn times_keep_whole_seconds_in_utc() {
        assert_eq!(
            instant(Some("2026-08-21T02:37:12.345+02:00")).map(|t| t.to_rfc3339()),
            Some("2026-08-21T00:37:12+00:00".to_string())
        );
        assert_eq!(instant(Some("yesterday")), None);
    }
}
