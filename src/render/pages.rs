//! What each template receives: one `#[derive(Serialize)]` struct per page type.
//!
//! Every field named here is part of the theme contract in `docs/themes.md`, and a test
//! (`tests/integration/docs.rs`) fails when the two disagree. The listing pages (history and
//! services) are in `listings.rs`, the calendar in `days.rs`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use super::api::FEED_LENGTH;
use super::budget::{BudgetFlag, BudgetSummary};
use super::days::{DayCell, day_cell, no_data_cell};
use super::shared::Shared;
use super::views::{
    IncidentView, Link, ServiceLink, ServiceStatsView, StatusView, SummaryView, TimeView,
    TimelineEventView, iso,
};
use crate::markdown::{Heading, MarkdownRenderer};
use crate::site::Site;
use crate::stats::calendar::Day;
use crate::stats::calendar::local_date;
use crate::stats::status::{Status, status_of};
use crate::stats::{Counts, ServiceStats, end_as_of};

/// How many days the uptime bars on the index show.
pub const UPTIME_DAYS: u64 = 90;
/// How many recent entries the index lists.
pub const RECENT: usize = 10;

/// `site`, given to every template.
#[derive(Serialize)]
pub struct SiteView {
    title: String,
    description: String,
    base_url: String,
    base_path: String,
    language: String,
    timezone: &'static str,
    severities: Vec<String>,
    /// Each severity with its page.
    severity_pages: Vec<Link>,
    as_of: TimeView,
    /// Whether any postmortem lists action items as tasks, for the link to `actions/`.
    has_actions: bool,
    /// The internal edition (`--audience internal`): the pages say so and ask not to be
    /// indexed.
    internal: bool,
    generator: &'static str,
    extra: serde_json::Value,
}

/// The variables every template receives besides its page's own.
#[derive(Serialize)]
pub struct Globals {
    pub site: SiteView,
    /// Every service, for the navigation.
    pub services: Vec<ServiceLink>,
}

impl Globals {
    /// Makes these variables available to every template of `tera`.
    pub fn install(&self, tera: &mut tera::Tera) {
        let context = tera.global_context();
        context.insert("site", &self.site);
        context.insert("services", &self.services);
    }
}

pub fn globals(site: &Site) -> Globals {
    let config = &site.config;
    Globals {
        site: SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            base_url: config.base_url.clone(),
            base_path: config.base_path(),
            language: config.language.clone(),
            timezone: config.timezone.name(),
            severities: config.severities.clone(),
            severity_pages: config
                .severities
                .iter()
                .map(|s| Link {
                    name: s.clone(),
                    url: super::views::severity_url(s),
                })
                .collect(),
            as_of: TimeView::new(site.as_of, config),
            has_actions: !site.actions.is_empty(),
            internal: config.audience == crate::config::Audience::Internal,
            generator: concat!("Aftermath ", env!("CARGO_PKG_VERSION")),
            extra: config.extra.clone(),
        },
        services: site
            .stats
            .services
            .iter()
            .map(|s| ServiceLink::new(&s.name))
            .collect(),
    }
}

/// An incident as listed on any page.
pub fn view(site: &Site, incident: &crate::content::Incident) -> IncidentView {
    IncidentView::new(incident, &site.config, site.as_of)
}

/// A service's description from the configuration (empty without one).
pub fn description_of(site: &Site, name: &str) -> String {
    site.config
        .services
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.description.clone())
        .unwrap_or_default()
}

/// Counts of published entries.
#[derive(Serialize)]
pub struct CountsView {
    total: usize,
    resolved: usize,
    ongoing: usize,
    maintenance: usize,
}

impl CountsView {
    pub fn new(c: Counts) -> Self {
        CountsView {
            total: c.total,
            resolved: c.resolved,
            ongoing: c.ongoing,
            maintenance: c.maintenance,
        }
    }
}

/// One service's uptime bar: its numbers, its current status and one cell per day.
#[derive(Clone, Serialize)]
pub struct UptimeBar {
    service: ServiceStatsView,
    pub status: StatusView,
    days: Vec<DayCell>,
    /// The service's error budget, when it has an objective (never for a group).
    budget: Option<BudgetSummary>,
}

/// `index.html`: ongoing incidents, uptime bars, headline numbers, recent entries.
#[derive(Serialize)]
pub struct IndexPage {
    section: &'static str,
    ongoing: Vec<IncidentView>,
    upcoming: Vec<IncidentView>,
    recent: Vec<IncidentView>,
    /// Every service's bar.
    uptime: Vec<UptimeBar>,
    /// The groups of services, each with its members' bars.
    groups: Vec<GroupBar>,
    /// The bars of the services in no group.
    ungrouped: Vec<UptimeBar>,
    uptime_days: u64,
    overall: ServiceStatsView,
    time_to_resolve: SummaryView,
    time_to_detect: SummaryView,
    counts: CountsView,
}

pub fn index(site: &Site) -> IndexPage {
    let as_of = site.as_of;
    // Each service's bar is made once; groups and the ungrouped list take copies.
    let uptime = uptime_bars(site);
    IndexPage {
        section: "index",
        ongoing: site
            .incidents
            .iter()
            .filter(|i| end_as_of(i, as_of).is_none())
            .map(|i| view(site, i))
            .collect(),
        upcoming: site.upcoming.iter().map(|i| view(site, i)).collect(),
        recent: site
            .incidents
            .iter()
            .take(RECENT)
            .map(|i| view(site, i))
            .collect(),
        groups: group_bars(site, &uptime),
        ungrouped: uptime
            .iter()
            .enumerate()
            .filter(|(p, _)| !site.stats.groups.iter().any(|g| g.members.contains(p)))
            .map(|(_, bar)| bar.clone())
            .collect(),
        uptime,
        uptime_days: UPTIME_DAYS,
        overall: ServiceStatsView::overall(&site.stats.overall, &site.config),
        time_to_resolve: SummaryView::new(&site.stats.time_to_resolve, &site.config.locale),
        time_to_detect: SummaryView::new(&site.stats.time_to_detect, &site.config.locale),
        counts: CountsView::new(site.stats.counts),
    }
}

/// The last [`UPTIME_DAYS`] days of every service.
fn uptime_bars(site: &Site) -> Vec<UptimeBar> {
    site.stats
        .services
        .iter()
        .map(|service| uptime_bar(site, service))
        .collect()
}

/// The last [`UPTIME_DAYS`] days of `name` in `calendar` (per service, or per group); days
/// before `start` have no data.
fn bar_days(
    site: &Site,
    calendar: &BTreeMap<NaiveDate, Day>,
    name: &str,
    start: Option<DateTime<Utc>>,
) -> Vec<DayCell> {
    let first_day = start.map(|s| local_date(s, site.config.timezone));
    let today = local_date(site.as_of, site.config.timezone);
    let first = today
        .checked_sub_days(Days::new(UPTIME_DAYS - 1))
        .unwrap_or(today);
    first
        .iter_days()
        .take_while(|d| *d <= today)
        .map(|date| {
            if first_day.is_some_and(|first| date < first) {
                return no_data_cell(site, date, "day.before_service");
            }
            let day = calendar.get(&date).and_then(|d| d.services.get(name));
            let ids = day.map_or(&[][..], |d| &d.incidents[..]);
            day_cell(
                site,
                date,
                day.map_or(0, |d| d.downtime_seconds),
                day.and_then(|d| d.worst_severity),
                ids,
            )
        })
        .collect()
}

/// The status of the service at `position` in the statistics.
pub(super) fn status_at(site: &Site, position: usize) -> Status {
    let entries = &site.lists.by_service[position];
    let name = &site.stats.services[position].name;
    status_of(
        name,
        entries.iter().map(|&i| &site.incidents[i]),
        site.as_of,
    )
}

/// The last [`UPTIME_DAYS`] days of one service, and its status now.
pub fn uptime_bar(site: &Site, service: &ServiceStats) -> UptimeBar {
    let position = site
        .stats
        .services
        .iter()
        .position(|s| s.name == service.name);
    UptimeBar {
        service: ServiceStatsView::new(service, &description_of(site, &service.name), &site.config),
        status: StatusView::new(
            position.map_or(Status::Operational, |p| status_at(site, p)),
            &site.config.locale,
        ),
        days: bar_days(site, &site.calendar, &service.name, service.start),
        budget: site
            .budget(&service.name)
            .map(|b| super::budget::summary(b, &site.config)),
    }
}

/// A group of services on the index: its own bar (the union of its members) and theirs.
#[derive(Serialize)]
pub struct GroupBar {
    name: String,
    /// The group's numbers and days; its status is the worst of its members'.
    bar: UptimeBar,
    members: Vec<UptimeBar>,
}

/// `bars`: every service's bar, in the order of the statistics.
fn group_bars(site: &Site, bars: &[UptimeBar]) -> Vec<GroupBar> {
    site.stats
        .groups
        .iter()
        .map(|group| {
            let worst = group
                .members
                .iter()
                .map(|&m| status_at(site, m))
                .max()
                .unwrap_or(Status::Operational);
            GroupBar {
                name: group.stats.name.clone(),
                bar: UptimeBar {
                    service: ServiceStatsView::new(&group.stats, "", &site.config),
                    status: StatusView::new(worst, &site.config.locale),
                    days: bar_days(
                        site,
                        &site.group_calendar,
                        &group.stats.name,
                        group.stats.start,
                    ),
                    budget: None,
                },
                members: group.members.iter().map(|&m| bars[m].clone()).collect(),
            }
        })
        .collect()
}

/// `incident.html`: the header card, the rendered postmortem, previous and next.
#[derive(Serialize)]
pub struct IncidentPage {
    section: &'static str,
    incident: Arc<IncidentView>,
    timeline: Vec<TimelineEventView>,
    /// The rendered body (HTML).
    content: String,
    toc: Vec<Heading>,
    newer: Option<Arc<IncidentView>>,
    older: Option<Arc<IncidentView>>,
    /// The services whose error budget it used more than the alert share of.
    budget_flags: Vec<BudgetFlag>,
}

pub fn incident(site: &Site, shared: &Shared, index: usize) -> IncidentPage {
    // The list is newest first: the newer entry is before, the older after.
    let neighbour = |i: usize| (i < site.incidents.len()).then(|| shared.view(site, i));
    let newer = index.checked_sub(1).and_then(neighbour);
    let older = neighbour(index + 1);
    let entry = &site.incidents[index];
    let view = shared.view(site, index);
    entry_page(
        site,
        &shared.markdown,
        entry,
        view,
        [newer, older],
        Some(index),
    )
}

/// An entry's page, with its `[newer, older]` neighbours and its position among the published
/// entries (`None` for upcoming maintenance).
fn entry_page(
    site: &Site,
    markdown: &MarkdownRenderer,
    entry: &crate::content::Incident,
    view: Arc<IncidentView>,
    [newer, older]: [Option<Arc<IncidentView>>; 2],
    published: Option<usize>,
) -> IncidentPage {
    let timeline = TimelineEventView::list(entry, &site.config, site.as_of);
    let zone = site.config.timezone.name();
    let note = site.config.locale.text("timeline.note", &[("zone", zone)]);
    let rendered = super::timeline::render_body(entry, &timeline, markdown, &note);
    IncidentPage {
        section: "history",
        incident: view,
        timeline,
        content: rendered.html,
        toc: rendered.headings,
        newer,
        older,
        budget_flags: super::budget::flags(site, published),
    }
}

/// The page of upcoming maintenance: the same page as an incident's, without neighbours (the
/// history lists only what has started).
pub fn upcoming(site: &Site, markdown: &MarkdownRenderer, index: usize) -> IncidentPage {
    let entry = &site.upcoming[index];
    let view = Arc::new(view(site, entry));
    entry_page(site, markdown, entry, view, [None, None], None)
}

/// `404.html`: nothing beyond the globals.
#[derive(Serialize)]
pub struct NotFoundPage {
    section: &'static str,
}

pub fn not_found() -> NotFoundPage {
    NotFoundPage { section: "404" }
}

/// One entry of the Atom feed.
#[derive(Serialize)]
pub struct AtomEntry {
    incident: IncidentView,
    /// The title with the state marks every feed uses (`[Ongoing] ...`).
    title: String,
    updated: String,
    /// The rendered body (HTML).
    content: String,
}

/// `atom.xml`: the newest entries.
#[derive(Serialize)]
pub struct AtomFeed {
    /// The feed's title, the page it is about (also its id) and its own address.
    title: String,
    home_url: String,
    self_url: String,
    entries: Vec<AtomEntry>,
    updated: String,
}

/// The Atom feed of the site, or of the service at `service` in the statistics.
pub fn atom(site: &Site, shared: &Shared, service: Option<usize>) -> AtomFeed {
    let changed = |i: &crate::content::Incident| -> DateTime<Utc> {
        end_as_of(i, site.as_of).unwrap_or(i.start)
    };
    let name = service.map(|p| site.stats.services[p].name.as_str());
    let place = super::feeds::FeedPlace::new(site, name);
    let entries = super::feeds::entries(site, FEED_LENGTH, name);
    // The feed changes when its newest published entry does (not with upcoming maintenance).
    let updated = entries
        .iter()
        .filter(|i| i.start <= site.as_of)
        .map(|i| changed(i))
        .max()
        .unwrap_or(site.as_of);
    AtomFeed {
        title: place.title,
        home_url: place.home_url,
        self_url: place.atom_url,
        entries: entries
            .into_iter()
            .map(|i| {
                let incident = view(site, i);
                AtomEntry {
                    title: super::feeds::entry_title(i, site.as_of, &site.config.locale),
                    updated: iso(changed(i)),
                    content: shared
                        .feed_bodies
                        .body(site, &shared.markdown, i)
                        .to_string(),
                    incident,
                }
            })
            .collect(),
        updated: iso(updated),
    }
}
