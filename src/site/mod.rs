//! The frozen site: configuration, published incidents, statistics and calendar, as of T.
//!
//! Built once after loading and never changed afterwards; every page is rendered from it.
//! "Published" means: not a draft (unless `--drafts`) and started at or before T. Maintenance
//! that starts after T is kept apart as upcoming; incidents that start after T are left out, so
//! `--as-of` shows the site as it was at that time.

pub mod actions;
pub mod lists;
pub mod reviews;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::Config;
use crate::content::{Incident, Kind};
use crate::stats::calendar::{CalendarEntry, Day, calendar};
use crate::stats::impact::window_span;
use crate::stats::periods::{PeriodKind, PeriodRow, period_rows};
use crate::stats::slo::{self, Budget};
use crate::stats::{self, Statistics};

pub struct Site {
    pub config: Config,
    pub as_of: DateTime<Utc>,
    /// Published entries (incidents and maintenance), newest start first, ties by id.
    pub incidents: Vec<Incident>,
    /// Maintenance announced for after T, soonest first.
    pub upcoming: Vec<Incident>,
    pub stats: Statistics,
    /// Downtime per local day (incidents only); days name their incidents by index in
    /// `incidents`.
    pub calendar: BTreeMap<NaiveDate, Day>,
    /// The years (site zone) that have published entries, newest first.
    pub years: Vec<i32>,
    /// The entries by year, service (in the order of `stats.services`), severity and tag.
    pub lists: lists::Lists,
    /// Downtime per local day of each group of services (the union of its members), for the
    /// groups' bars; empty when no service has a group.
    pub group_calendar: BTreeMap<NaiveDate, Day>,
    /// The error budgets of the services with an objective, in the order of `stats.services`;
    /// shares name incidents by index in `incidents`.
    pub budgets: Vec<Budget>,
    /// The incidents (by index) that used more than the alert share of a budget: the budgets'
    /// positions and the shares.
    pub budget_flags: BTreeMap<usize, Vec<(usize, i128)>>,
    /// Every action item of the published entries, in display order (see `actions.rs`).
    pub actions: Vec<actions::ActionRow>,
    /// The lists of the actions pages.
    pub action_lists: actions::ActionLists,
    /// Every service over every month, quarter and year of the history (see `periods.rs`).
    pub reports: Reports,
}

/// The calendar-period rows of the reports, by kind of period.
pub struct Reports {
    pub months: Vec<PeriodRow>,
    pub quarters: Vec<PeriodRow>,
    pub years: Vec<PeriodRow>,
}

impl Reports {
    pub fn rows(&self, kind: PeriodKind) -> &[PeriodRow] {
        match kind {
            PeriodKind::Month => &self.months,
            PeriodKind::Quarter => &self.quarters,
            PeriodKind::Year => &self.years,
        }
    }
}

impl Site {
    pub fn new(config: Config, entries: Vec<Incident>, as_of: DateTime<Utc>) -> Site {
        let mut incidents = entries;
        // In place: the published entries are not moved into a new list.
        let mut upcoming: Vec<Incident> = incidents
            .extract_if(.., |i| i.start > as_of)
            .filter(|i| i.kind == Kind::Maintenance)
            .collect();
        upcoming.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        let entries: Vec<CalendarEntry<'_>> = incidents
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind == Kind::Incident)
            .flat_map(|(index, i)| {
                let severity_rank = i.severity.as_deref().and_then(|s| config.severity_rank(s));
                i.impact_windows.iter().filter_map(move |window| {
                    Some(CalendarEntry {
                        index,
                        span: window_span(i, window, as_of)?,
                        services: &window.services,
                        severity_rank,
                    })
                })
            })
            .collect();
        let (stats, calendar) = rayon::join(
            || stats::compute(&incidents, &config, as_of),
            || calendar(&entries, config.timezone),
        );
        let group_calendar = group_calendar(&config, &incidents, as_of);
        let services: Vec<String> = stats.services.iter().map(|s| s.name.clone()).collect();
        let budgets = slo::budgets(&incidents, &config, &services, as_of, stats.history_start);
        let budget_flags = slo::flags_by_incident(&budgets);
        let lists = lists::Lists::new(&incidents, config.timezone, &services, &config.severities);
        let years = lists.by_year.iter().map(|(year, _)| *year).collect();
        let actions = actions::action_rows(&incidents, as_of, config.timezone);
        let action_lists = actions::ActionLists::new(&actions, &incidents, &services);
        let rows = |kind| {
            period_rows(
                &incidents,
                &config,
                &services,
                as_of,
                stats.history_start,
                kind,
            )
        };
        let reports = Reports {
            months: rows(PeriodKind::Month),
            quarters: rows(PeriodKind::Quarter),
            years: rows(PeriodKind::Year),
        };
        Site {
            reports,
            actions,
            action_lists,
            config,
            as_of,
            years,
            lists,
            group_calendar,
            budgets,
            budget_flags,
            incidents,
            upcoming,
            stats,
            calendar,
        }
    }

    /// The budget of a service, if it has an objective.
    pub fn budget(&self, service: &str) -> Option<&Budget> {
        self.budgets.iter().find(|b| b.service == service)
    }

    /// The action item a row names.
    pub fn action(&self, row: &actions::ActionRow) -> &crate::content::actions::ActionItem {
        &self.incidents[row.incident].actions[row.item]
    }

    /// The published entry with this id.
    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents.iter().find(|i| i.id == id)
    }
}

/// The calendar of the groups: each impact window counted under the groups of its services.
fn group_calendar(
    config: &Config,
    incidents: &[Incident],
    as_of: DateTime<Utc>,
) -> BTreeMap<NaiveDate, Day> {
    if config.services.iter().all(|s| s.group.is_none()) {
        return BTreeMap::new();
    }
    let group_of = |name: &str| {
        config
            .services
            .iter()
            .find(|s| s.name == name)
            .and_then(|s| s.group.clone())
    };
    let groups: Vec<(usize, stats::intervals::Span, Vec<String>)> = incidents
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == Kind::Incident)
        .flat_map(|(index, i)| {
            i.impact_windows.iter().filter_map(move |window| {
                let mut names: Vec<String> =
                    window.services.iter().filter_map(|s| group_of(s)).collect();
                names.sort();
                names.dedup();
                Some((index, window_span(i, window, as_of)?, names))
            })
        })
        .collect();
    let entries: Vec<CalendarEntry<'_>> = groups
        .iter()
        .map(|(index, span, names)| CalendarEntry {
            index: *index,
            span: *span,
            services: names,
            severity_rank: incidents[*index]
                .severity
                .as_deref()
                .and_then(|s| config.severity_rank(s)),
        })
        .collect();
    calendar(&entries, config.timezone)
}
