//! Page planning and parallel rendering.
//!
//! The frozen [`Site`] becomes a flat list of [`Page`]s. Each is rendered on the rayon pool
//! (its context built there, so memory stays flat however many incidents there are) and handed
//! straight to a sink: the staging folder for `build`, a discarding sink for `check`. Errors are
//! collected, sorted and returned together; one failed page fails the build.

pub mod api;
pub mod charts;
pub mod context;
pub mod days;
pub mod pages;
pub mod theme;
pub mod views;
pub mod well_formed;

use rayon::prelude::*;

use crate::diagnostics::{Check, Diagnostic, Diagnostics};
use crate::markdown::MarkdownRenderer;
use crate::output::{OutputError, Sink};
use crate::site::Site;
use theme::{Theme, template_diagnostic};

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Index,
    /// Index into `Site::incidents`.
    Incident(usize),
    HistoryIndex,
    HistoryYear(i32),
    Calendar,
    /// Index into `Site::stats.services`.
    Service(usize),
    Stats,
    NotFound,
    Atom,
    Sitemap,
    JsonFeed,
    ApiStats,
    ApiIncidents,
}

impl Page {
    /// Output path, relative to the output folder, with forward slashes.
    pub fn path(&self, site: &Site) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Incident(i) => format!("incidents/{}/index.html", site.incidents[*i].id),
            Page::HistoryIndex => "history/index.html".into(),
            Page::HistoryYear(year) => format!("history/{year}/index.html"),
            Page::Calendar => "calendar/index.html".into(),
            Page::Service(i) => {
                let name = &site.stats.services[*i].name;
                format!("services/{}/index.html", crate::text::slug::slugify(name))
            }
            Page::Stats => "stats/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Atom => "feed.xml".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::JsonFeed => "feed.json".into(),
            Page::ApiStats => "api/stats.json".into(),
            Page::ApiIncidents => "api/incidents.json".into(),
        }
    }
}

/// Every page of the site, in a fixed order.
pub fn plan(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Index,
        Page::HistoryIndex,
        Page::Calendar,
        Page::Stats,
        Page::NotFound,
        Page::Atom,
        Page::Sitemap,
        Page::JsonFeed,
        Page::ApiStats,
        Page::ApiIncidents,
    ];
    pages.extend(context::years(site).into_iter().map(Page::HistoryYear));
    pages.extend((0..site.stats.services.len()).map(Page::Service));
    pages.extend((0..site.incidents.len()).map(Page::Incident));
    pages
}

/// Told how rendering goes, for a progress bar; every method has a do-nothing default.
pub trait Progress: Sync {
    /// Rendering starts; `total` files will be written.
    fn start(&self, _total: u64) {}
    /// One more file was written.
    fn advance(&self) {}
    /// In a cached build, a page whose inputs changed since the previous build is ready. These
    /// pages are rendered before the rest of the site, so `serve` can serve them at once.
    fn changed_page(&self, _path: &str, _bytes: &std::sync::Arc<[u8]>) {}
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {}

/// Why rendering stopped.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Templates or theme files are wrong (every problem is listed).
    #[error("{0}")]
    Invalid(Diagnostics),
    /// Writing failed (a full disk, a read-only folder): rendering stopped at the first failure.
    #[error(transparent)]
    Output(OutputError),
}

/// Renders every page and asset into `sink`. Returns the number of files written.
pub fn render_site(site: &Site, theme: Theme, sink: &dyn Sink) -> Result<usize, RenderError> {
    render_site_with_progress(site, theme, sink, &Silent)
}

/// [`render_site`], reporting each written file to `progress`.
pub fn render_site_with_progress(
    site: &Site,
    theme: Theme,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<usize, RenderError> {
    render_pages(site, theme, sink, progress, None)
}

/// A page about to be written: where, its fingerprint (in cached builds) and, if its inputs
/// did not change, the bytes rendered before.
struct PlannedPage<'a> {
    page: &'a Page,
    path: String,
    fingerprint: Option<u64>,
    cached: Option<std::sync::Arc<[u8]>>,
}

/// A page as the cache keeps it: path, fingerprint, bytes.
type CachedPage = (String, u64, std::sync::Arc<[u8]>);

/// Incident pages rendered before, with the fingerprint of everything they were made from.
/// `serve` keeps one between rebuilds; a page whose fingerprint is unchanged is not rendered
/// again.
#[derive(Default)]
pub struct PageCache {
    pages: std::collections::HashMap<String, (u64, std::sync::Arc<[u8]>)>,
    /// How many pages the last render took from the cache.
    pub reused: usize,
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The fingerprint of everything a page is made from, for the pages that depend on part of the
/// site only: an incident page (the incident and its neighbours), a history year (its incidents
/// and calendar days, and the list of years) and a service page (its incidents). `None` for the
/// pages that depend on everything; those are always rendered.
fn page_fingerprint(site: &Site, site_key: u64, page: &Page) -> Option<u64> {
    use chrono::Datelike;
    let fingerprint =
        |i: Option<usize>| i.and_then(|i| site.incidents.get(i)).map(|i| i.fingerprint);
    match page {
        Page::Incident(index) => Some(hash_of(&(
            site_key,
            fingerprint(Some(*index)),
            fingerprint(index.checked_sub(1)),
            fingerprint(Some(index + 1)),
        ))),
        Page::HistoryYear(year) => {
            let zone = site.config.timezone;
            let incidents: Vec<u64> = site
                .incidents
                .iter()
                .filter(|i| i.start.with_timezone(&zone).year() == *year)
                .map(|i| i.fingerprint)
                .collect();
            let days: Vec<(String, i64, Option<usize>, usize)> = site
                .calendar
                .iter()
                .filter(|(date, _)| date.year() == *year)
                .map(|(date, day)| {
                    (
                        date.to_string(),
                        day.downtime_seconds,
                        day.worst_severity,
                        day.incidents.len(),
                    )
                })
                .collect();
            Some(hash_of(&(
                site_key,
                "year",
                year,
                incidents,
                days,
                context::years(site),
            )))
        }
        Page::Service(index) => {
            let name = &site.stats.services[*index].name;
            let incidents: Vec<u64> = site
                .incidents
                .iter()
                .filter(|i| i.services.contains(name))
                .map(|i| i.fingerprint)
                .collect();
            Some(hash_of(&(site_key, "service", name, incidents)))
        }
        _ => None,
    }
}

/// [`render_site_with_progress`], reusing incident pages from `cache` whose inputs did not
/// change, and leaving the new pages in it.
pub fn render_site_cached(
    site: &Site,
    theme: Theme,
    sink: &dyn Sink,
    progress: &dyn Progress,
    cache: &mut PageCache,
) -> Result<usize, RenderError> {
    render_pages(site, theme, sink, progress, Some(cache))
}

/// Renders the site; with a cache, reuses and keeps pages by fingerprint. Without one (a
/// one-off build), no fingerprint is computed and no page is kept once it is written, so
/// memory does not grow with the number of pages.
fn render_pages(
    site: &Site,
    mut theme: Theme,
    sink: &dyn Sink,
    progress: &dyn Progress,
    cache: Option<&mut PageCache>,
) -> Result<usize, RenderError> {
    let globals = pages::globals(site);
    // Only cached builds compare fingerprints; a one-off build computes none.
    let site_key = cache.is_some().then(|| {
        hash_of(&(
            serde_json::to_string(&globals).unwrap_or_default(),
            format!("{:?}", site.config),
            site.as_of,
            theme.fingerprint,
        ))
    });
    for (key, value) in globals {
        theme.tera.global_context().insert(key, &value);
    }
    let markdown = MarkdownRenderer::new(site.config.raw_html);
    let pages = plan(site);
    let page_paths: std::collections::BTreeSet<String> =
        pages.iter().map(|p| p.path(site)).collect();
    let clashes: Vec<&String> = theme
        .assets
        .keys()
        .filter(|a| page_paths.contains(*a))
        .collect();
    if !clashes.is_empty() {
        let mut problems = Diagnostics::new();
        for asset in clashes {
            problems.push(Diagnostic::new(
                Check::ThemeFile,
                format!("themes/{}/static/{asset}", site.config.theme),
                format!("this file would overwrite the generated page {asset}"),
            ));
        }
        return Err(RenderError::Invalid(problems));
    }
    progress.start((pages.len() + theme.assets.len()) as u64);
    let fresh: std::sync::Mutex<Vec<CachedPage>> = std::sync::Mutex::new(Vec::new());
    let reused = std::sync::atomic::AtomicUsize::new(0);
    let previous = cache.as_deref().map(|cache| &cache.pages);
    let planned: Vec<PlannedPage<'_>> = pages
        .par_iter()
        .map(|page| {
            let path = page.path(site);
            let fingerprint = site_key.and_then(|key| page_fingerprint(site, key, page));
            let cached = fingerprint
                .zip(previous)
                .and_then(|(f, pages)| pages.get(&path).filter(|(old, _)| *old == f))
                .map(|(_, bytes)| std::sync::Arc::clone(bytes));
            PlannedPage {
                page,
                path,
                fingerprint,
                cached,
            }
        })
        .collect();
    // After the first write fails (a full disk), nothing more is rendered or written.
    let stopped = std::sync::atomic::AtomicBool::new(false);
    let write = |planned: PlannedPage<'_>, changed: bool| -> Result<(), RenderFailure> {
        if stopped.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        let PlannedPage {
            page,
            path,
            fingerprint,
            cached,
        } = planned;
        let bytes = match cached {
            Some(bytes) => {
                reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                bytes
            }
            None => {
                let bytes = render_page(site, &theme, &markdown, page)?;
                let bytes = if well_formed::applies_to(&path) {
                    well_formed::strip_forbidden(bytes)
                } else {
                    bytes
                };
                std::sync::Arc::from(bytes)
            }
        };
        if changed {
            progress.changed_page(&path, &bytes);
        }
        if let Some(fingerprint) = fingerprint {
            let mut fresh = fresh
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            fresh.push((path.clone(), fingerprint, std::sync::Arc::clone(&bytes)));
        }
        sink.write_shared(&path, bytes).map_err(|err| {
            stopped.store(true, std::sync::atomic::Ordering::Relaxed);
            RenderFailure::Output(err)
        })?;
        progress.advance();
        Ok(())
    };
    let write_asset = |path: &String, bytes: &Vec<u8>| -> Result<(), RenderFailure> {
        if stopped.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        sink.write(path, bytes).map_err(|err| match err {
            OutputError::Refused { reason, .. } => RenderFailure::Asset(path.clone(), reason),
            err => {
                stopped.store(true, std::sync::atomic::Ordering::Relaxed);
                RenderFailure::Output(err)
            }
        })
    };
    // After a change, the pages that depend on it go first (unless nothing was cached yet).
    let rebuilding = previous.is_some_and(|pages| !pages.is_empty());
    let (changed, unchanged): (Vec<PlannedPage<'_>>, Vec<PlannedPage<'_>>) = planned
        .into_iter()
        .partition(|p| rebuilding && p.fingerprint.is_some() && p.cached.is_none());
    let mut results: Vec<Result<(), RenderFailure>> =
        changed.into_par_iter().map(|p| write(p, true)).collect();
    results.par_extend(
        unchanged.into_par_iter().map(|p| write(p, false)).chain(
            theme
                .assets
                .par_iter()
                .map(|(path, bytes)| write_asset(path, bytes)),
        ),
    );
    if let Some(cache) = cache {
        cache.pages = fresh
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .into_iter()
            .map(|(path, fingerprint, bytes)| (path, (fingerprint, bytes)))
            .collect();
        cache.reused = reused.into_inner();
    }
    let mut problems = Diagnostics::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(RenderFailure::Template(err)) => {
                problems.push(template_diagnostic(&err, &theme.origins))
            }
            Err(RenderFailure::Asset(path, reason)) => {
                problems.push(Diagnostic::new(
                    Check::ThemeFile,
                    format!("themes/{}/static/{path}", site.config.theme),
                    format!("this theme file cannot be published: {reason}"),
                ));
            }
            // One I/O failure is the whole story (a full disk fails every later write too).
            Err(RenderFailure::Output(err)) => return Err(RenderError::Output(err)),
        }
    }
    if problems.is_empty() {
        Ok(pages.len() + theme.assets.len())
    } else {
        problems.sort();
        Err(RenderError::Invalid(problems))
    }
}

enum RenderFailure {
    Template(tera::Error),
    /// A theme asset whose path the output refuses.
    Asset(String, String),
    Output(OutputError),
}

impl From<tera::Error> for RenderFailure {
    fn from(err: tera::Error) -> Self {
        RenderFailure::Template(err)
    }
}

fn render_page(
    site: &Site,
    theme: &Theme,
    markdown: &MarkdownRenderer,
    page: &Page,
) -> Result<Vec<u8>, RenderFailure> {
    let depth = page.path(site).matches('/').count();
    let root = if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    };
    let html = |template: &str, mut context: tera::Context| -> Result<Vec<u8>, RenderFailure> {
        context.insert("root", &root);
        Ok(theme.tera.render(template, &context)?.into_bytes())
    };
    match page {
        Page::Index => html("index.html", pages::index(site)),
        Page::Incident(i) => html("incident.html", pages::incident(site, markdown, *i)),
        Page::HistoryIndex => html("history.html", pages::history_index(site)),
        Page::HistoryYear(year) => html("history_year.html", pages::history_year(site, *year)),
        Page::Calendar => html("calendar.html", days::calendar(site)),
        Page::Service(i) => html("service.html", pages::service(site, *i)),
        Page::Stats => html("stats.html", pages::stats(site)),
        Page::NotFound => {
            let mut context = context::section("404");
            context.insert("root", &site.config.base_path());
            Ok(theme.tera.render("404.html", &context)?.into_bytes())
        }
        Page::Atom => html("atom.xml", pages::atom(site, markdown)),
        Page::Sitemap => html("sitemap.xml", pages::sitemap(site)),
        Page::JsonFeed => Ok(api::json_feed(site, markdown)),
        Page::ApiStats => Ok(api::stats_json(site)),
        Page::ApiIncidents => Ok(api::incidents_json(site)),
    }
}
