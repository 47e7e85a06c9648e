//! The action items pages (`actions/`, and one per owner and per service, paged like the other
//! listings) and `api/actions.json`, from the rows of `site::actions`.

use serde::Serialize;

use super::api::pretty_json;
use super::paging::{Pager, page_slice, page_url};
use super::timeline::inline;
use super::views::ServiceLink;
use crate::markdown::MarkdownRenderer;
use crate::site::Site;
use crate::site::actions::{ActionFilter, ActionRow, ListCounts};
use crate::stats::calendar::local_date;
use crate::text::dates::ymd;
use crate::text::slug::slugify;

/// The folder of the actions pages.
pub const ACTIONS_URL: &str = "actions/";

/// The URL of a list's first page, relative to the root.
pub fn list_url(filter: ActionFilter<'_>) -> String {
    match filter {
        ActionFilter::All => ACTIONS_URL.to_string(),
        ActionFilter::Owner(owner) => format!("{ACTIONS_URL}owners/{}/", slugify(owner)),
        ActionFilter::Service(service) => {
            format!("{ACTIONS_URL}services/{}/", slugify(service))
        }
    }
}

/// `actions.html`: one page of one list.
#[derive(Serialize)]
pub struct ActionsPage {
    section: &'static str,
    /// `Action items`, `Action items of @maria`, `Action items for api`.
    heading: String,
    /// `all`, `owner` or `service`.
    filter: &'static str,
    /// Of the whole list, not only this page.
    counts: ListCounts,
    /// The open items on this page, then the done ones.
    open: Vec<ActionView>,
    done: Vec<ActionView>,
    /// Links to the other lists, the current one marked.
    all: FilterLink,
    owners: Vec<FilterLink>,
    services: Vec<FilterLink>,
    pager: Pager,
    /// The as-of day in the site's time zone (`2026-12-08`, and `8 December 2026`): overdue
    /// days count by the day, so the page says which day they are counted to.
    as_of_day: String,
    as_of_day_label: String,
}

/// A link to a list, with how many of its items are open.
#[derive(Serialize)]
struct FilterLink {
    name: String,
    url: String,
    open: usize,
    current: bool,
}

/// One action item as the pages show it.
#[derive(Serialize)]
pub struct ActionView {
    /// The item's words, Markdown rendered inline.
    text: String,
    done: bool,
    /// Empty when the item names no owner.
    owner: String,
    owner_url: String,
    /// `2026-08-15`, and `15 August 2026`; empty without a due day.
    due: String,
    due_label: String,
    overdue: bool,
    /// `20 days overdue`; empty when not overdue.
    overdue_label: String,
    /// The tracker link; empty without one. `link_text` is its label, or `link` when the link
    /// stays in the text.
    url: String,
    link_text: String,
    incident_title: String,
    incident_url: String,
    services: Vec<ServiceLink>,
}

/// Page `n` over all the lists one after the other.
pub fn actions_page(site: &Site, markdown: &MarkdownRenderer, n: usize) -> ActionsPage {
    let lists = &site.action_lists;
    let (list, page) = super::paging::locate(lists.lists().map(|(_, l)| l.len()), n);
    let (filter, positions) = lists.lists().nth(list).unwrap_or((ActionFilter::All, &[]));
    // The lists in order, each with its counts, linked from every page.
    let mut links = lists
        .lists()
        .zip(&lists.counts)
        .enumerate()
        .map(|(at, ((f, _), c))| {
            let name = match f {
                ActionFilter::All => site.config.locale.text("actions.all", &[]),
                ActionFilter::Owner(owner) => format!("@{owner}"),
                ActionFilter::Service(service) => service.to_string(),
            };
            FilterLink {
                name,
                url: list_url(f),
                open: c.open,
                current: at == list,
            }
        });
    let all = links.next().expect("the list of all items");
    let owners: Vec<FilterLink> = links.by_ref().take(lists.by_owner.len()).collect();
    let services: Vec<FilterLink> = links.collect();
    let (open, done): (Vec<ActionView>, Vec<ActionView>) = page_slice(positions, page)
        .iter()
        .map(|&position| action_view(site, markdown, &site.actions[position]))
        .partition(|view| !view.done);
    let locale = &site.config.locale;
    let today = local_date(site.as_of, site.config.timezone);
    let (heading, kind) = match filter {
        ActionFilter::All => (locale.text("actions.title", &[]), "all"),
        ActionFilter::Owner(owner) => (
            locale.text("actions.title_owner", &[("owner", owner)]),
            "owner",
        ),
        ActionFilter::Service(service) => (
            locale.text("actions.title_service", &[("service", service)]),
            "service",
        ),
    };
    ActionsPage {
        section: "actions",
        heading,
        filter: kind,
        counts: lists.counts.get(list).copied().unwrap_or_default(),
        open,
        done,
        all,
        owners,
        services,
        pager: Pager::new(&list_url(filter), page, positions.len()),
        as_of_day: ymd(&today),
        as_of_day_label: locale.formats().long_date(today),
    }
}

/// What page `n` shows, hashed for cached builds: the rows on it (each entry's fingerprint and
/// id, the item and how late it is) and every list, whose name and counts all its links show.
/// The as-of day, which the page prints, is added by the page store (`Kept::ByDay`).
pub fn actions_inputs(site: &Site, n: usize) -> u64 {
    let lists = &site.action_lists;
    let (list, page) = super::paging::locate(lists.lists().map(|(_, l)| l.len()), n);
    let positions = lists.lists().nth(list).map_or(&[][..], |(_, p)| p);
    let rows: Vec<(u64, &str, usize, i64)> = page_slice(positions, page)
        .iter()
        .map(|&p| {
            let row = &site.actions[p];
            let incident = &site.incidents[row.incident];
            (
                incident.fingerprint,
                incident.id.as_str(),
                row.item,
                row.days_overdue,
            )
        })
        .collect();
    let filters: Vec<ActionFilter<'_>> = lists.lists().map(|(f, _)| f).collect();
    super::plan_inputs::hash_of(&("actions", list, page, rows, filters, &lists.counts))
}

fn filter_of(lists: &crate::site::actions::ActionLists, list: usize) -> ActionFilter<'_> {
    lists
        .lists()
        .nth(list)
        .map_or(ActionFilter::All, |(f, _)| f)
}

/// The path of page `n` over all the lists.
pub fn actions_path(site: &Site, n: usize) -> String {
    let lists = &site.action_lists;
    let (list, page) = super::paging::locate(lists.lists().map(|(_, l)| l.len()), n);
    format!(
        "{}index.html",
        page_url(&list_url(filter_of(lists, list)), page)
    )
}

/// How many pages the lists take in all.
pub fn actions_pages(site: &Site) -> usize {
    super::paging::total_pages(site.action_lists.lists().map(|(_, l)| l.len()))
}

fn action_view(site: &Site, markdown: &MarkdownRenderer, row: &ActionRow) -> ActionView {
    let incident = &site.incidents[row.incident];
    let item = site.action(row);
    let owner = item.owner.clone().unwrap_or_default();
    ActionView {
        text: inline(markdown, &item.text),
        done: item.done,
        owner_url: match &item.owner {
            Some(owner) => list_url(ActionFilter::Owner(owner)),
            None => String::new(),
        },
        owner,
        due: item.due.map(|d| ymd(&d)).unwrap_or_default(),
        due_label: item
            .due
            .map(|d| site.config.locale.formats().long_date(d))
            .unwrap_or_default(),
        overdue: row.overdue(),
        overdue_label: match row.days_overdue {
            0 => String::new(),
            n => site.config.locale.count("actions.overdue_days", n, &[]),
        },
        url: item.url.clone().unwrap_or_default(),
        link_text: item.link_text.clone().unwrap_or_else(|| "link".into()),
        incident_title: incident.title.clone(),
        incident_url: format!("incidents/{}/", incident.id),
        services: incident
            .services
            .iter()
            .map(|s| ServiceLink::new(s))
            .collect(),
    }
}

/// One item of `api/actions.json`, borrowed from the site: the file is serialised straight
/// from these (a `serde_json::Value` tree of every item cost more than 100 MB at 10k entries).
#[derive(Serialize)]
struct ActionJson<'a> {
    incident: &'a str,
    text: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    done: bool,
    overdue: bool,
    url: Option<&'a str>,
    services: &'a [String],
}

#[derive(Serialize)]
struct ActionsJson<'a> {
    as_of: String,
    actions: Vec<ActionJson<'a>>,
}

/// `api/actions.json`: every item in the order of the actions page.
pub fn actions_json(site: &Site) -> Vec<u8> {
    let actions = site
        .actions
        .iter()
        .map(|row| {
            let incident = &site.incidents[row.incident];
            let item = site.action(row);
            ActionJson {
                incident: &incident.id,
                text: &item.text,
                owner: item.owner.as_deref(),
                due: item.due.map(|d| ymd(&d)),
                done: item.done,
                overdue: row.overdue(),
                url: item.url.as_deref(),
                services: &incident.services,
            }
        })
        .collect();
    pretty_json(&ActionsJson {
        as_of: super::views::iso(site.as_of),
        actions,
    })
}
