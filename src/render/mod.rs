//! Page planning and parallel rendering.
//!
//! The frozen [`Site`] becomes a flat list of [`Page`]s. Each is rendered on the rayon pool
//! (its context built there, so memory stays flat however many incidents there are) and handed
//! straight to a sink: the staging folder for `build`, a discarding sink for `check`. Errors are
//! collected, sorted and returned together; one failed page fails the build.

pub mod api;
pub mod charts;
pub mod days;
pub mod pages;
pub mod theme;
pub mod views;

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
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
                format!(
                    "services/{}/index.html",
                    crate::content::slug::slugify(name)
                )
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
    pages.extend(pages::years(site).into_iter().map(Page::HistoryYear));
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
}

/// No progress reporting.
pub struct Silent;

impl Progress for Silent {}

/// Renders every page and asset into `sink`. Returns the number of files written.
pub fn render_site(site: &Site, theme: Theme, sink: &dyn Sink) -> Result<usize, Diagnostics> {
    render_site_with_progress(site, theme, sink, &Silent)
}

/// [`render_site`], reporting each written file to `progress`.
pub fn render_site_with_progress(
    site: &Site,
    mut theme: Theme,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Result<usize, Diagnostics> {
    let globals = pages::globals(site);
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
            problems.push(crate::diagnostics::Diagnostic::error(
                format!("themes/{}/static/{asset}", site.config.theme),
                format!("this file would overwrite the generated page {asset}"),
            ));
        }
        return Err(problems);
    }
    progress.start((pages.len() + theme.assets.len()) as u64);
    let results: Vec<Result<(), RenderFailure>> = pages
        .par_iter()
        .map(|page| {
            let bytes = render_page(site, &theme, &markdown, page)?;
            sink.write(&page.path(site), &bytes)
                .map_err(RenderFailure::Output)?;
            progress.advance();
            Ok(())
        })
        .chain(
            theme
                .assets
                .par_iter()
                .map(|(path, bytes)| sink.write(path, bytes).map_err(RenderFailure::Output)),
        )
        .collect();
    let mut problems = Diagnostics::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(RenderFailure::Template(err)) => {
                problems.push(template_diagnostic(&err, &theme.origins))
            }
            Err(RenderFailure::Output(err)) => {
                problems.push(crate::diagnostics::Diagnostic::error(
                    "(output)",
                    err.to_string(),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(pages.len() + theme.assets.len())
    } else {
        problems.sort();
        Err(problems)
    }
}

enum RenderFailure {
    Template(tera::Error),
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
            let mut context = pages::section("404");
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
