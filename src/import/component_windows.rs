//! Impact windows from Statuspage component statuses.
//!
//! Each Statuspage update may change the status of components (`affected_components`, with
//! `old_status` and `new_status`). Read in time order, those changes say which service was how
//! badly hit when: `degraded_performance`, `partial_outage` and `major_outage` open a window at
//! the level `degraded`, `partial` or `major`; `operational` (or `under_maintenance`) closes it.
//! Windows opened by the first update begin at the incident's start (a page sets the statuses
//! when it opens the incident, while impact may have begun earlier). Nothing is guessed: when
//! the statuses leave one of the incident's services without a window, no window is written
//! and the report says why.

use chrono::{DateTime, Utc};

use super::match_service;
use crate::config::Config;

/// One window for the front matter, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftWindow {
    pub service: String,
    pub level: &'static str,
    pub from: DateTime<Utc>,
    /// Whether `from` is the incident's start (the status was set by the first update).
    pub from_start: bool,
    /// `None`: to the incident's end.
    pub to: Option<DateTime<Utc>>,
    /// The update and status it was opened by, like `incidents[2].incident_updates[3], "major_outage" on "Webhooks"`.
    pub from_source: String,
    pub to_source: Option<String>,
}

/// A status change of one component at one update.
pub struct StatusChange<'a> {
    pub at: DateTime<Utc>,
    pub component: &'a str,
    pub new_status: &'a str,
    /// Where it is in the source, like `incidents[2].incident_updates[3]`.
    pub source: String,
}

/// The level a component status means, `None` for a status without impact.
fn level_of(status: &str) -> Option<&'static str> {
    match status {
        "degraded_performance" => Some("degraded"),
        "partial_outage" => Some("partial"),
        "major_outage" => Some("major"),
        _ => None,
    }
}

/// The windows the changes (oldest first) make inside `[start, end]`, or why none are
/// written: `Ok(empty)` when no component status changed at all.
pub fn windows(
    changes: &[StatusChange<'_>],
    (start, end): (DateTime<Utc>, Option<DateTime<Utc>>),
    services: &[String],
    config: &Config,
) -> Result<Vec<DraftWindow>, String> {
    let first_at = changes.first().map(|c| c.at);
    let mut open: Vec<DraftWindow> = Vec::new();
    let mut done: Vec<DraftWindow> = Vec::new();
    for change in changes {
        let service = match config.services.is_empty() {
            true => Some(change.component.trim().to_string()),
            false => match_service(change.component, config),
        };
        // Components that are no declared service were reported with the services already.
        let Some(service) = service else { continue };
        let level = level_of(change.new_status);
        if let Some(position) = open.iter().position(|w| w.service == service) {
            if Some(open[position].level) == level {
                continue;
            }
            let mut closed = open.remove(position);
            closed.to = Some(change.at);
            closed.to_source = Some(format!("{}, \"{}\"", change.source, change.new_status));
            done.push(closed);
        }
        if let Some(level) = level {
            let from_start = Some(change.at) == first_at || change.at <= start;
            open.push(DraftWindow {
                service,
                level,
                from: if from_start { start } else { change.at },
                from_start,
                to: None,
                from_source: format!(
                    "{}, \"{}\" on \"{}\"",
                    change.source, change.new_status, change.component
                ),
                to_source: None,
            });
        }
    }
    done.extend(open);
    let inside = |w: &DraftWindow| end.is_none_or(|end| w.from < end);
    let mut windows: Vec<DraftWindow> = done.into_iter().filter(inside).collect();
    for window in &mut windows {
        if let (Some(to), Some(end)) = (window.to, end)
            && to >= end
        {
            window.to = None;
        }
    }
    windows.retain(|w| w.to.is_none_or(|to| to > w.from));
    windows.sort_by(|a, b| a.from.cmp(&b.from).then_with(|| a.service.cmp(&b.service)));
    if windows.is_empty() {
        return Ok(windows);
    }
    let uncovered: Vec<&str> = services
        .iter()
        .filter(|s| !windows.iter().any(|w| &w.service == *s))
        .map(String::as_str)
        .collect();
    if !uncovered.is_empty() {
        return Err(format!(
            "the component statuses say nothing about {}; no [[impact]] windows were written",
            uncovered.join(", ")
        ));
    }
    Ok(windows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2025, 1, 20, hour, minute, 0).unwrap()
    }

    fn change<'a>(
        at: DateTime<Utc>,
        component: &'a str,
        status: &'a str,
        i: usize,
    ) -> StatusChange<'a> {
        StatusChange {
            at,
            component,
            new_status: status,
            source: format!("u[{i}]"),
        }
    }

    #[test]
    fn statuses_in_time_order_open_and_close_windows() {
        let config = Config::default();
        let changes = [
            change(at(10, 0), "api", "partial_outage", 3),
            change(at(10, 0), "hooks", "major_outage", 3),
            change(at(10, 50), "hooks", "degraded_performance", 1),
            change(at(11, 5), "api", "operational", 0),
            change(at(11, 5), "hooks", "operational", 0),
        ];
        let services = ["api".to_string(), "hooks".to_string()];
        let windows = windows(&changes, (at(9, 52), Some(at(11, 5))), &services, &config).unwrap();
        type Row<'a> = (&'a str, &'a str, DateTime<Utc>, Option<DateTime<Utc>>);
        let summary: Vec<Row<'_>> = windows
            .iter()
            .map(|w| (w.service.as_str(), w.level, w.from, w.to))
            .collect();
        // The first update's statuses go back to the start; closing at the end leaves `to` out.
        assert_eq!(
            summary,
            [
                ("api", "partial", at(9, 52), None),
                ("hooks", "major", at(9, 52), Some(at(10, 50))),
                ("hooks", "degraded", at(10, 50), None),
            ]
        );
        assert_eq!(
            windows[1].from_source,
            "u[3], \"major_outage\" on \"hooks\""
        );
        assert_eq!(
            windows[1].to_source.as_deref(),
            Some("u[1], \"degraded_performance\"")
        );
    }

    #[test]
    fn a_service_the_statuses_leave_out_means_no_windows() {
        let config = Config::default();
        let changes = [change(at(10, 0), "api", "major_outage", 0)];
        let services = ["api".to_string(), "web".to_string()];
        assert_eq!(
            windows(&changes, (at(10, 0), None), &services, &config).unwrap_err(),
            "the component statuses say nothing about web; no [[impact]] windows were written"
        );
        assert_eq!(
            windows(&[], (at(10, 0), None), &services, &config),
            Ok(Vec::new())
        );
    }
}
