//! Page planning and parallel rendering.
//!
//! The frozen [`Site`] becomes a flat list of [`plan::Job`]s, one per output file, from the
//! page types of [`plan::all_types`]. Each is rendered on the rayon pool (its context built
//! there, so memory stays flat however many incidents there are) and handed straight to a sink:
//! the staging folder for `build`, memory for `serve`, a discarding sink for `check`. Errors are
//! collected, sorted and returned together; one failed page fails the build.

pub mod actions;
pub mod api;
pub mod badges;
pub mod budget;
pub mod charts;
pub mod days;
pub mod embed;
pub mod feeds;
pub mod filters;
pub mod ics;
pub mod listings;
pub mod memo;
pub mod metrics;
pub mod page_type;
pub mod pages;
pub mod paging;
pub mod plan;
pub mod plan_inputs;
pub mod plan_outputs;
pub mod reports;
pub mod shared;
pub mod stats_page;
pub mod statuspage;
pub mod stored_pages;
pub mod theme;
pub mod timeline;
pub mod views;
pub mod well_formed;

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::diagnostics::{Check, Diagnostic, Diagnostics};
use crate::markdown::MarkdownRenderer;
use crate::output::{OutputError, Sink};
use crate::site::Site;
use plan::{Job, Links, Maker};
use plan_inputs::hash_of;
use shared::Shared;
use stored_pages::StoredPages;
use theme::{Theme, template_diagnostic};

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

/// Where rendering goes and what it may reuse.
pub struct Target<'a> {
    pub sink: &'a dyn Sink,
    pub progress: &'a dyn Progress,
    /// Pages of the previous render (`serve`); `None` for a one-off build, which then computes
    /// no fingerprint and keeps no page once it is written, so memory does not grow with the
    /// number of pages.
    pub cache: Option<&'a mut PageCache>,
    /// Rendered bodies kept between builds (`cache_dir`); `None` renders every body.
    pub bodies: Option<std::sync::Arc<crate::markdown::BodyStore>>,
    /// Pages kept between builds (`cache_dir/pages`, see `stored_pages.rs`); `None` renders
    /// every page.
    pub pages: Option<&'a crate::store::Store>,
}

impl<'a> Target<'a> {
    /// Into `sink`, silently, reusing nothing.
    pub fn new(sink: &'a dyn Sink) -> Self {
        Target {
            sink,
            progress: &Silent,
            cache: None,
            bodies: None,
            pages: None,
        }
    }

    pub fn progress(self, progress: &'a dyn Progress) -> Self {
        Target { progress, ..self }
    }

    /// Takes rendered bodies from `store` and keeps new ones there.
    pub fn bodies(self, store: Option<std::sync::Arc<crate::markdown::BodyStore>>) -> Self {
        Target {
            bodies: store,
            ..self
        }
    }

    /// Takes the kept page types' pages from `store` when they show what they showed, and keeps
    /// new ones.
    pub fn pages(self, store: Option<&'a crate::store::Store>) -> Self {
        Target {
            pages: store,
            ..self
        }
    }

    pub fn cache(self, cache: &'a mut PageCache) -> Self {
        Target {
            cache: Some(cache),
            ..self
        }
    }
}

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

/// A page as the cache keeps it: path, fingerprint, bytes.
type CachedPage = (String, u64, Arc<[u8]>);

/// The pages of a render by path: fingerprint and bytes.
type CachedPages = HashMap<String, (u64, Arc<[u8]>)>;

/// Pages rendered before, with the fingerprint of everything they were made from. `serve`
/// keeps one between rebuilds; a page whose fingerprint is unchanged is not rendered again.
#[derive(Default)]
pub struct PageCache {
    pages: CachedPages,
    /// How many pages the last render took from the cache.
    pub reused: usize,
}

/// A job about to run: its fingerprint (in cached builds) and, if its inputs did not change,
/// the bytes rendered before.
struct Planned {
    job: Job,
    fingerprint: Option<u64>,
    cached: Option<Arc<[u8]>>,
}

/// Renders every page and asset into the target. Returns the number of files written.
pub fn render_site(
    site: &Site,
    mut theme: Theme,
    target: Target<'_>,
) -> Result<usize, RenderError> {
    let globals = pages::globals(site);
    // Only cached builds compare fingerprints; a one-off build computes none.
    let site_key = target.cache.is_some().then(|| {
        hash_of(&(
            serde_json::to_string(&globals).unwrap_or_default(),
            format!("{:?}", site.config),
            site.as_of,
            theme.fingerprint,
        ))
    });
    let stored = target
        .pages
        .map(|store| StoredPages::new(store, site, &theme, &globals));
    globals.install(&mut theme.tera);
    let jobs = plan::jobs(site);
    refuse_clashing_assets(site, &theme, &jobs)?;
    let total = jobs.len() + theme.assets.len();
    target.progress.start(total as u64);
    let previous = target.cache.as_deref().map(|cache| &cache.pages);
    let planned = look_up(site, jobs, site_key, previous);
    // After a change, the pages that depend on it go first (unless nothing was cached yet).
    let rebuilding = previous.is_some_and(|pages| !pages.is_empty());
    let writer = Writer {
        site,
        theme: &theme,
        shared: Shared::new(
            site,
            MarkdownRenderer::new(site.config.raw_html).with_store(target.bodies),
        ),
        sink: target.sink,
        progress: target.progress,
        stopped: AtomicBool::new(false),
        reused: AtomicUsize::new(0),
        fresh: Mutex::new(Vec::new()),
        stored,
    };
    let (changed, mut unchanged): (Vec<Planned>, Vec<Planned>) = planned
        .into_iter()
        .partition(|p| rebuilding && p.fingerprint.is_some() && p.cached.is_none());
    heavy_first(&mut unchanged);
    // One page per rayon task: a page costs from microseconds (an incident with its body
    // cached) to a large share of the build (the index, a year, the API), and a thread that
    // finishes early must be able to take any page left, or the build ends on one core.
    let mut results: Vec<Result<(), RenderFailure>> = changed
        .into_par_iter()
        .with_max_len(1)
        .map(|p| writer.page(p, true))
        .collect();
    results.par_extend(
        unchanged
            .into_par_iter()
            .with_max_len(1)
            .map(|p| writer.page(p, false))
            .chain(
                theme
                    .assets
                    .par_iter()
                    .map(|(path, bytes)| writer.asset(path, bytes)),
            ),
    );
    if let Some(cache) = target.cache {
        cache.reused = writer.reused.into_inner();
        cache.pages = writer
            .fresh
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_iter()
            .map(|(path, fingerprint, bytes)| (path, (fingerprint, bytes)))
            .collect();
    }
    collect_failures(site, &theme, results).map(|()| total)
}

/// Puts the page types with the fewest pages first: those are the aggregates (the index, years,
/// services, statistics, the API), each far heavier than one incident page, so they start at
/// once and the light pages fill the cores around them. Stable: plan order holds within a type.
fn heavy_first(planned: &mut [Planned]) {
    let mut pages_of_type: HashMap<&'static str, usize> = HashMap::new();
    for p in planned.iter() {
        *pages_of_type.entry(p.job.page_type.name).or_default() += 1;
    }
    planned.sort_by_key(|p| pages_of_type[p.job.page_type.name]);
}

/// Each job with its fingerprint (in cached builds, for the page types that have inputs) and the
/// bytes of the previous render when the fingerprint did not change.
fn look_up(
    site: &Site,
    jobs: Vec<Job>,
    site_key: Option<u64>,
    previous: Option<&CachedPages>,
) -> Vec<Planned> {
    jobs.into_par_iter()
        .map(|job| {
            let fingerprint = site_key
                .zip(job.page_type.inputs)
                .map(|(key, inputs)| hash_of(&(key, job.page_type.name, inputs(site, job.n))));
            let cached = fingerprint
                .zip(previous)
                .and_then(|(f, pages)| pages.get(&job.path).filter(|(old, _)| *old == f))
                .map(|(_, bytes)| Arc::clone(bytes));
            Planned {
                job,
                fingerprint,
                cached,
            }
        })
        .collect()
}

/// A theme's static file may not take the path of a generated page.
fn refuse_clashing_assets(site: &Site, theme: &Theme, jobs: &[Job]) -> Result<(), RenderError> {
    let page_paths: BTreeSet<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
    let mut problems = Diagnostics::new();
    for asset in theme
        .assets
        .keys()
        .filter(|a| page_paths.contains(a.as_str()))
    {
        problems.push(Diagnostic::new(
            Check::ThemeFile,
            format!("themes/{}/static/{asset}", site.config.theme),
            format!("this file would overwrite the generated page {asset}"),
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(RenderError::Invalid(problems))
    }
}

/// Every template and theme-file problem, sorted; or the one write failure that stopped it all.
fn collect_failures(
    site: &Site,
    theme: &Theme,
    results: Vec<Result<(), RenderFailure>>,
) -> Result<(), RenderError> {
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
        Ok(())
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

/// What every parallel write shares.
struct Writer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    shared: Shared,
    sink: &'a dyn Sink,
    progress: &'a dyn Progress,
    /// Set by the first failed write (a full disk): nothing more is rendered or written.
    stopped: AtomicBool,
    reused: AtomicUsize,
    /// The pages to keep for the next cached render.
    fresh: Mutex<Vec<CachedPage>>,
    /// Pages kept between builds.
    stored: Option<StoredPages<'a>>,
}

impl Writer<'_> {
    /// Renders (or takes from the cache) one page and writes it.
    fn page(&self, planned: Planned, changed: bool) -> Result<(), RenderFailure> {
        if self.stopped.load(Ordering::Relaxed) {
            return Ok(());
        }
        let Planned {
            job,
            fingerprint,
            cached,
        } = planned;
        let bytes = match cached {
            Some(bytes) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                bytes
            }
            None => self.make(&job)?,
        };
        if changed {
            self.progress.changed_page(&job.path, &bytes);
        }
        if let Some(fingerprint) = fingerprint {
            let mut fresh = self.fresh.lock().unwrap_or_else(PoisonError::into_inner);
            fresh.push((job.path.clone(), fingerprint, Arc::clone(&bytes)));
        }
        self.sink.write_shared(&job.path, bytes).map_err(|err| {
            self.stopped.store(true, Ordering::Relaxed);
            RenderFailure::Output(err)
        })?;
        self.progress.advance();
        Ok(())
    }

    /// Renders the page of `job`, or takes it from the page store when it shows what it showed
    /// when it was stored.
    fn make(&self, job: &Job) -> Result<Arc<[u8]>, RenderFailure> {
        let stored = self.stored.as_ref().and_then(|stored| {
            let key = stored.key(self.site, job.page_type, job.n, &job.path)?;
            Some((stored, key))
        });
        if let Some(bytes) = stored.as_ref().and_then(|(s, key)| s.get(key)) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return Ok(Arc::from(bytes));
        }
        let bytes = self.render(job)?;
        let bytes = if well_formed::applies_to(&job.path) {
            well_formed::strip_forbidden(bytes)
        } else {
            bytes
        };
        if let Some((stored, key)) = &stored {
            stored.put(key, &bytes);
        }
        Ok(Arc::from(bytes))
    }

    /// One job's bytes, from its page type.
    fn render(&self, job: &Job) -> Result<Vec<u8>, RenderFailure> {
        match job.page_type.maker {
            Maker::Bytes(make) => Ok(make(self.site, &self.shared, job.n)),
            Maker::Template(template, make) => {
                let mut context =
                    tera::Context::from_serialize(&make(self.site, &self.shared, job.n))?;
                let root = match job.page_type.links {
                    Links::FromBasePath => self.site.config.base_path(),
                    Links::Relative => match job.path.matches('/').count() {
                        0 => "./".to_string(),
                        depth => "../".repeat(depth),
                    },
                };
                context.insert("root", &root);
                Ok(self.theme.tera.render(template, &context)?.into_bytes())
            }
        }
    }

    /// Copies one theme file.
    fn asset(&self, path: &str, bytes: &[u8]) -> Result<(), RenderFailure> {
        if self.stopped.load(Ordering::Relaxed) {
            return Ok(());
        }
        self.sink.write(path, bytes).map_err(|err| match err {
            OutputError::Refused { reason, .. } => RenderFailure::Asset(path.to_string(), reason),
            err => {
                self.stopped.store(true, Ordering::Relaxed);
                RenderFailure::Output(err)
            }
        })
    }
}
