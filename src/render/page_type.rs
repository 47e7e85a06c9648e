//! The shape of the plan: what a page type is (how many pages, where, how they are made, what
//! they are made from, whether the sitemap lists them) and what a template receives. Shared by
//! the table of pages (`plan.rs`) and the table of outputs read elsewhere (`plan_outputs.rs`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::shared::Shared;
use super::{actions, days, embed, listings, pages, reports, stats_page};
use crate::site::Site;

/// What a template receives: one typed struct per page type (see `pages.rs`), serialised as
/// that struct.
#[derive(Serialize)]
#[serde(untagged)]
pub enum PageContext {
    Index(Box<pages::IndexPage>),
    Incident(Box<pages::IncidentPage>),
    History(listings::HistoryPage),
    HistoryYear(listings::HistoryYearPage),
    Calendar(days::CalendarPage),
    Service(Box<listings::ServicePage>),
    Stats(Box<stats_page::StatsPage>),
    NotFound(pages::NotFoundPage),
    Atom(pages::AtomFeed),
    Listing(listings::ListingPage),
    Sitemap(SitemapPage),
    Actions(Box<actions::ActionsPage>),
    Reports(reports::ReportsPage),
    ReportYear(Box<reports::ReportYearPage>),
    Embed(Box<embed::EmbedPage>),
}

/// How a page's bytes are made.
pub enum Maker {
    /// A theme template rendered with its page's context (plus `root`, added when rendering).
    Template(&'static str, fn(&Site, &Shared, usize) -> PageContext),
    /// Bytes built in code (the JSON files).
    Bytes(fn(&Site, &Shared, usize) -> Vec<u8>),
}

/// What `root` (the prefix of every link on a page) is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// `./` or `../..`: the page works from any folder and from `file://`.
    Relative,
    /// The site's base path: the page is served at any URL (the 404 page).
    FromBasePath,
}

/// Whether and how `sitemap.xml` lists a page.
pub enum Sitemap {
    Unlisted,
    /// Listed without a last-modified time.
    Undated,
    /// Listed with the time it last changed.
    Dated(fn(&Site, usize) -> DateTime<Utc>),
}

/// Where a page type's pages go in the output folder, with forward slashes.
pub enum PagePath {
    Fixed(&'static str),
    /// The n-th page's path.
    Of(fn(&Site, usize) -> String),
}

impl PagePath {
    pub fn of(&self, site: &Site, n: usize) -> String {
        match self {
            PagePath::Fixed(path) => (*path).to_string(),
            PagePath::Of(path) => path(site, n),
        }
    }
}

/// One type of output file.
pub struct PageType {
    pub name: &'static str,
    /// How many pages of this type the site has.
    pub count: fn(&Site) -> usize,
    /// The n-th page's path in the output folder, with forward slashes.
    pub path: PagePath,
    pub maker: Maker,
    pub links: Links,
    /// What the n-th page is made from besides the site-wide inputs, hashed: a cached build
    /// reuses the page while this is unchanged. `None`: it reads the whole site, so it is always
    /// rendered.
    pub inputs: Option<fn(&Site, usize) -> u64>,
    /// Whether a build may take its pages from the build cache (`stored_pages.rs`).
    pub kept: Kept,
    pub sitemap: Sitemap,
}

/// The whole list the n-th page shows part of, and the page's number in it; `None` when the
/// page is not kept.
pub type ListOfPage = fn(&Site, usize) -> Option<(&[usize], usize)>;

/// Whether a page may be taken from the build cache's page store instead of being rendered,
/// and what its key holds besides the site-wide inputs and its own `inputs`.
#[derive(Clone, Copy)]
pub enum Kept {
    /// Always rendered: it shows figures as of the build, or it reads the whole site.
    Never,
    /// An incident's page: keyed by the incident and its two neighbours, and by the as-of time
    /// while the incident is upcoming or ongoing.
    Incident,
    /// A page of a list: keyed by its path, by every entry of the whole list (whichever page:
    /// counts and pagers show the whole list), by what `besides` hashes, and by the as-of time
    /// while one of the entries on the page is upcoming or ongoing. `entries` gives the whole
    /// list and the page's number in it, or `None` for a page that is never kept (a service's
    /// first page, with its figures as of the build).
    List {
        entries: ListOfPage,
        besides: Option<fn(&Site, usize) -> u64>,
    },
    /// A page whose figures change by the day, not by the moment (the action item lists and
    /// their overdue days): keyed by its `inputs` and the as-of day in the site's time zone,
    /// which it prints instead of the as-of time. Builds of one day share it.
    ByDay,
}

/// One file to write: its type, its position among the pages of that type, and its path.
pub struct Job {
    pub page_type: &'static PageType,
    pub n: usize,
    pub path: String,
}

impl PageType {
    /// A page type with one page at a fixed path, made from the whole site.
    pub const fn single(
        name: &'static str,
        path: &'static str,
        maker: Maker,
        sitemap: Sitemap,
    ) -> PageType {
        PageType {
            name,
            count: |_| 1,
            path: PagePath::Fixed(path),
            maker,
            links: Links::Relative,
            inputs: None,
            kept: Kept::Never,
            sitemap,
        }
    }
}

/// One URL of the sitemap, relative to `base_url`; `lastmod` is empty when unknown.
#[derive(Serialize)]
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: String,
}

/// `sitemap.xml`.
#[derive(Serialize)]
pub struct SitemapPage {
    pub urls: Vec<SitemapUrl>,
}
