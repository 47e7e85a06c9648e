//! Every action item of the published entries in one list, in the order the actions page and
//! `api/actions.json` show them: open items first (overdue ones first, the longest overdue at
//! the top, then by due date, then those without one), then done items, newest entry first.
//!
//! An open item is overdue once its due day (in the site's time zone) has passed as of T: an
//! item due on 15 August is overdue from 16 August.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::content::Incident;
use crate::content::actions::ActionItem;

/// One item of one entry, by index in `Site::incidents` and in that entry's `actions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionRow {
    pub incident: usize,
    pub item: usize,
    /// Days past the due day as of T; 0 when not overdue.
    pub days_overdue: i64,
}

impl ActionRow {
    pub fn overdue(&self) -> bool {
        self.days_overdue > 0
    }
}

/// The rows of every item of `incidents` (newest first), in display order.
pub fn action_rows(incidents: &[Incident], as_of: DateTime<Utc>, zone: Tz) -> Vec<ActionRow> {
    let today = as_of.with_timezone(&zone).date_naive();
    let mut rows: Vec<(SortKey, ActionRow)> = incidents
        .iter()
        .enumerate()
        .flat_map(|(incident, entry)| {
            entry.actions.iter().enumerate().map(move |(item, action)| {
                let days_overdue = days_overdue(action, today);
                let row = ActionRow {
                    incident,
                    item,
                    days_overdue,
                };
                (sort_key(action, days_overdue, incident, item), row)
            })
        })
        .collect();
    rows.sort_by_key(|(key, _)| *key);
    rows.into_iter().map(|(_, row)| row).collect()
}

/// (done, group, due, incident, item): groups among open items are overdue, due, no due.
type SortKey = (bool, u8, NaiveDate, usize, usize);

fn sort_key(action: &ActionItem, days_overdue: i64, incident: usize, item: usize) -> SortKey {
    let group = match (action.done, action.due) {
        (true, _) => 0,
        (false, Some(_)) if days_overdue > 0 => 0,
        (false, Some(_)) => 1,
        (false, None) => 2,
    };
    let due = match action.done {
        true => NaiveDate::MAX,
        false => action.due.unwrap_or(NaiveDate::MAX),
    };
    (action.done, group, due, incident, item)
}

fn days_overdue(action: &ActionItem, today: NaiveDate) -> i64 {
    match (action.done, action.due) {
        (false, Some(due)) if due < today => (today - due).num_days(),
        _ => 0,
    }
}

/// The rows (by position in `Site::actions`) of every list the actions pages show: all of
/// them, each owner's (by name) and each service's (in the order of the statistics), leaving
/// out owners and services without items.
#[derive(Debug, Clone, Default)]
pub struct ActionLists {
    pub all: Vec<usize>,
    pub by_owner: Vec<(String, Vec<usize>)>,
    pub by_service: Vec<(String, Vec<usize>)>,
    /// The counts of each list, in the order of [`ActionLists::lists`], counted once so that
    /// every page can show every list's without going through them.
    pub counts: Vec<ListCounts>,
}

/// How many items a list holds, open (of which overdue) and done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ListCounts {
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    pub done: usize,
}

impl ActionLists {
    pub fn new(rows: &[ActionRow], incidents: &[Incident], services: &[String]) -> ActionLists {
        let mut owners: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
        let mut by_service: Vec<(String, Vec<usize>)> =
            services.iter().map(|s| (s.clone(), Vec::new())).collect();
        for (position, row) in rows.iter().enumerate() {
            let incident = &incidents[row.incident];
            if let Some(owner) = &incident.actions[row.item].owner {
                owners.entry(owner).or_default().push(position);
            }
            for (service, list) in &mut by_service {
                if incident.services.contains(service) {
                    list.push(position);
                }
            }
        }
        by_service.retain(|(_, list)| !list.is_empty());
        let mut lists = ActionLists {
            all: (0..rows.len()).collect(),
            by_owner: owners
                .into_iter()
                .map(|(o, l)| (o.to_string(), l))
                .collect(),
            by_service,
            counts: Vec::new(),
        };
        let done = |position: &usize| {
            let row = &rows[*position];
            incidents[row.incident].actions[row.item].done
        };
        lists.counts = lists
            .lists()
            .map(|(_, positions)| {
                let open = positions.iter().filter(|p| !done(p)).count();
                ListCounts {
                    total: positions.len(),
                    open,
                    overdue: positions.iter().filter(|p| rows[**p].overdue()).count(),
                    done: positions.len() - open,
                }
            })
            .collect();
        lists
    }

    /// The lists one after the other: all, then the owners', then the services'.
    pub fn lists(&self) -> impl Iterator<Item = (ActionFilter<'_>, &[usize])> {
        std::iter::once((ActionFilter::All, self.all.as_slice()))
            .chain(
                self.by_owner
                    .iter()
                    .map(|(o, l)| (ActionFilter::Owner(o), l.as_slice())),
            )
            .chain(
                self.by_service
                    .iter()
                    .map(|(s, l)| (ActionFilter::Service(s), l.as_slice())),
            )
    }
}

/// Which items a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionFilter<'a> {
    All,
    Owner(&'a str),
    Service(&'a str),
}
