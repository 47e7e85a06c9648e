//! Aftermath turns a folder of postmortems into a static status-history site.
//!
//! The pipeline, one module per stage, each reading only what the previous one froze:
//!
//! 1. [`config`]: read `aftermath.toml` (strict; every key has a default).
//! 2. [`content`]: find `content/**/*.md`, split and validate the front matter in parallel,
//!    collecting every problem as a [`diagnostics::Diagnostic`].
//! 3. [`stats`]: compute time to resolve/detect, availability and the calendar, once.
//! 4. [`markdown`] and [`render`]: turn bodies into sanitised HTML and plan and render pages.
//! 5. [`output`]: write into a staging folder and swap it in only when everything succeeded.
//!
//! Nothing below `main` reads the clock for the output: "now" is [`BuildOptions::as_of`]. (The
//! build cache's upkeep in [`store`] reads file times and the clock; it never reaches pages.)
//!
//! The modules form layers, and each uses only its own layer and those below it (a test,
//! `tests/integration/architecture.rs`, fails on a back-edge or a cycle between the files of a
//! stage): [`text`], [`diagnostics`], [`suggest`], [`spanned`] (the value tree front matter
//! and `aftermath.toml` are both read into), [`i18n`] (messages and locale formats) and
//! [`store`] (files kept between builds) at the bottom; [`config`] and
//! [`highlight`]; [`content`]; [`stats`]; [`site`] and [`markdown`]; [`output`] (the sinks that
//! rendering writes into); [`render`]; the functions of this file; then the commands built on
//! them ([`incremental`], [`review`], [`import`], [`scaffold`]) and [`serve`] on top.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod highlight;
pub mod i18n;
pub mod import;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod render;
pub mod review;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod spanned;
pub mod stats;
pub mod store;
pub mod suggest;
pub mod text;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use config::Config;
use diagnostics::Diagnostics;
use markdown::BodyStore;
use output::{OutputError, Staging, resolve_output_dir};
use render::theme::Theme;
use site::Site;

/// What `aftermath build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root: holds `aftermath.toml`, `content/` and optionally `themes/`.
    pub root: PathBuf,
    /// Overrides `output_dir` from the configuration.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the configuration.
    pub base_url: Option<String>,
    /// "Now" for every statistic: ongoing incidents run until here.
    pub as_of: DateTime<Utc>,
    pub include_drafts: bool,
    /// Who the build is for: the public, or the internal edition.
    pub audience: config::Audience,
    /// Replace a non-empty output folder that aftermath did not create.
    pub force: bool,
    /// The user's home folder, which is never used as output.
    pub home: Option<PathBuf>,
    /// Keep and use the build cache in `cache_dir` (`build` without `--no-cache`).
    pub cache: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// How long each phase took (load and validate, render and write, swap into place).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    pub output: PathBuf,
    pub files_written: usize,
    pub files_read: usize,
    /// How many of the files read were parsed (the others' results came from the cache).
    pub files_parsed: usize,
    /// Published unplanned incidents (started at or before the as-of time).
    pub incidents: usize,
    /// Published maintenance entries, upcoming ones included.
    pub maintenance: usize,
    /// Maintenance that starts after the as-of time.
    pub upcoming: usize,
    /// Valid drafts left out (built only with `--drafts`).
    pub drafts_left_out: usize,
    /// Valid internal postmortems left out of a public build.
    pub internal_left_out: usize,
    /// Built with `--audience internal`.
    pub internal_edition: bool,
    /// Warnings found while loading (the build went ahead).
    pub warnings: Diagnostics,
    /// What the build found left by interrupted builds and did about it, and anything the swap
    /// left over (the previous site could not be deleted): said, but the site is published.
    pub output_notes: Vec<String>,
}

impl BuildReport {
    /// The line `build` ends with: what was published, from how many files, where.
    /// "built 16 incidents and 2 maintenance (1 upcoming), 1 draft left out, from 20 files
    /// into public (120 files)".
    pub fn summary(&self) -> String {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut out = format!("built {}", count(self.incidents, "incident", "incidents"));
        if self.maintenance > 0 {
            out.push_str(&format!(" and {} maintenance", self.maintenance));
            if self.upcoming > 0 {
                out.push_str(&format!(" ({} upcoming)", self.upcoming));
            }
        }
        if self.drafts_left_out > 0 {
            let drafts = count(self.drafts_left_out, "draft", "drafts");
            out.push_str(&format!(", {drafts} left out"));
        }
        if self.internal_left_out > 0 {
            out.push_str(&format!(", {} internal left out", self.internal_left_out));
        }
        out.push_str(&format!(
            ", from {} into {} ({})",
            count(self.files_read, "file", "files"),
            self.output.display(),
            count(self.files_written, "file", "files")
        ));
        if self.internal_edition {
            out.push_str(", the internal edition");
        }
        out
    }
}

/// Why a build did not happen. Nothing was written in either case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The input has errors (every one of them is listed).
    #[error("{}", diagnostics.summary(*files_read))]
    Invalid {
        diagnostics: Diagnostics,
        files_read: usize,
    },
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// A validated site, ready to render.
pub struct LoadedSite {
    pub site: Site,
    pub theme: Theme,
    pub files_read: usize,
    /// How many files were parsed (the others' results came from a cache).
    pub files_parsed: usize,
    pub drafts_left_out: usize,
    pub internal_left_out: usize,
    pub warnings: Diagnostics,
}

/// Loads and validates everything `build` needs, reusing the parse results of unchanged files
/// as `reuse` allows (only [`content::Reuse::BuildCache`] writes, into the cache folder).
pub fn load(options: &BuildOptions, reuse: content::Reuse<'_>) -> Result<LoadedSite, BuildError> {
    let invalid = |diagnostics: Diagnostics, files_read| BuildError::Invalid {
        diagnostics,
        files_read,
    };
    // A broken configuration does not hide the content's problems: both are reported.
    let (mut config, config_problems) = Config::load_checked(&options.root);
    config.audience = options.audience;
    if let Some(base_url) = &options.base_url {
        config.base_url = config::normalize_base_url(base_url).map_err(|message| {
            let mut problems = Diagnostics::new();
            problems.push(diagnostics::Diagnostic::new(
                diagnostics::Check::InvalidOption,
                "--base-url",
                message.to_string(),
            ));
            invalid(problems, 0)
        })?;
    }
    let content = content::load(&options.root, &config, options.include_drafts, reuse);
    let mut diagnostics = content.diagnostics;
    diagnostics.extend(config_problems.items().iter().cloned());
    diagnostics.extend(content::ongoing::forgotten_incidents(
        &content.incidents,
        &config,
        options.as_of,
    ));
    diagnostics.extend(content::ongoing::future_detections(
        &content.incidents,
        options.as_of,
    ));
    let theme = match Theme::load(&options.root, &config.theme, &config.locale) {
        Ok(theme) => {
            diagnostics.extend(theme.catalog_problems(&config.locale));
            Some(theme)
        }
        Err(problems) => {
            diagnostics.extend(problems.items().iter().cloned());
            None
        }
    };
    diagnostics.apply(&config.checks);
    diagnostics.sort();
    let theme = match theme {
        Some(theme) if !diagnostics.has_errors() => theme,
        _ => return Err(invalid(diagnostics, content.files_read)),
    };
    let site = Site::new(config, content.incidents, options.as_of);
    // What needs the statistics is checked once the site is built, at the levels set.
    let mut reviews = Diagnostics::new();
    reviews.extend(site::reviews::budgets_without_actions(&site));
    reviews.extend(site::reviews::overdue_actions(&site));
    reviews.apply(&site.config.checks);
    diagnostics.extend(reviews.items().iter().cloned());
    diagnostics.sort();
    if diagnostics.has_errors() {
        return Err(invalid(diagnostics, content.files_read));
    }
    Ok(LoadedSite {
        site,
        theme,
        files_read: content.files_read,
        files_parsed: content.files_parsed,
        drafts_left_out: content.drafts_left_out,
        internal_left_out: content.internal_left_out,
        warnings: diagnostics,
    })
}

/// What `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every problem, errors and warnings, sorted by file and line.
    pub diagnostics: Diagnostics,
    pub files_read: usize,
}

/// Validates everything `build` would (configuration, postmortems, theme, every page's
/// rendering and the output folder setting) and writes nothing.
pub fn check(options: &BuildOptions) -> CheckReport {
    let loaded = match load(options, content::Reuse::Nothing) {
        Ok(loaded) => loaded,
        Err(BuildError::Invalid {
            diagnostics,
            files_read,
        }) => {
            return CheckReport {
                diagnostics,
                files_read,
            };
        }
        Err(BuildError::Output(err)) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(diagnostics::Diagnostic::new(
                diagnostics::Check::OutputError,
                "(output)",
                err.to_string(),
            ));
            return CheckReport {
                diagnostics,
                files_read: 0,
            };
        }
    };
    let mut diagnostics = loaded.warnings;
    let output = loaded.site.config.output_folder().to_path_buf();
    if let Err(OutputError::Refused { reason, .. }) =
        resolve_output_dir(&options.root, &output, true, options.home.as_deref())
    {
        diagnostics.push(diagnostics::Diagnostic::new(
            diagnostics::Check::UnsafeOutputDir,
            config::CONFIG_FILE,
            format!(
                "\"output_dir\": refusing to write the site to {}: {reason}",
                output.display()
            ),
        ));
    }
    match render::render_site(
        &loaded.site,
        loaded.theme,
        render::Target::new(&output::Discard),
    ) {
        Ok(_) => {}
        Err(render::RenderError::Invalid(problems)) => {
            diagnostics.extend(problems.items().iter().cloned());
        }
        Err(render::RenderError::Output(err)) => {
            diagnostics.push(diagnostics::Diagnostic::new(
                diagnostics::Check::OutputError,
                "(output)",
                err.to_string(),
            ));
        }
    }
    diagnostics.sort();
    CheckReport {
        diagnostics,
        files_read: loaded.files_read,
    }
}

/// The internal edition never goes where the public site is built (`output_dir`): from there
/// it would be published.
fn refuse_internal_into_public(
    loaded: &LoadedSite,
    options: &BuildOptions,
    output: &std::path::Path,
) -> Result<(), BuildError> {
    let config = &loaded.site.config;
    if config.audience != config::Audience::Internal {
        return Ok(());
    }
    let same = |a: &std::path::Path, b: &std::path::Path| {
        let full = |p: &std::path::Path| options.root.join(p);
        match (full(a).canonicalize(), full(b).canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => full(a) == full(b),
        }
    };
    if !same(output, &config.output_dir) {
        return Ok(());
    }
    let mut problems = Diagnostics::new();
    problems.push(
        diagnostics::Diagnostic::new(
            diagnostics::Check::UnsafeOutputDir,
            "--audience",
            format!(
                "refusing to write the internal edition to {}, where the public site is built: it would be published",
                output.display()
            ),
        )
        .with_hint("leave --output out to use internal_output_dir, or give another folder"),
    );
    Err(BuildError::Invalid {
        diagnostics: problems,
        files_read: loaded.files_read,
    })
}

/// Builds the site: validate, render into a staging folder, then swap it into place, telling
/// `progress` (`&render::Silent` for nobody) of each file written.
pub fn build(
    options: &BuildOptions,
    progress: &dyn render::Progress,
) -> Result<BuildReport, BuildError> {
    let started = std::time::Instant::now();
    let loaded = load(options, content::Reuse::build_cache_if(options.cache))?;
    let loaded_at = started.elapsed();
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| loaded.site.config.output_folder().to_path_buf());
    refuse_internal_into_public(&loaded, options, &output)?;
    let output = resolve_output_dir(
        &options.root,
        &output,
        options.force,
        options.home.as_deref(),
    )?;
    let staging = Staging::create(&output)?;
    let mut output_notes = staging.recovered.clone();
    let site = &loaded.site;
    let unplanned = |i: &&content::Incident| i.kind == content::Kind::Incident;
    let incidents = site.incidents.iter().filter(unplanned).count();
    let maintenance = site.incidents.len() - incidents + site.upcoming.len();
    let upcoming = site.upcoming.len();
    let drafts_left_out = loaded.drafts_left_out;
    let cache_dir = options.root.join(&loaded.site.config.cache_dir);
    let bodies = options.cache.then(|| {
        let policy = format!("{:?}", loaded.site.config.raw_html);
        Arc::new(BodyStore::new(&cache_dir, policy))
    });
    let pages = options
        .cache
        .then(|| store::Store::new(cache_dir.join("pages"), "pages"));
    let files_written = render::render_site(
        &loaded.site,
        loaded.theme,
        render::Target::new(&staging)
            .progress(progress)
            .bodies(bodies.clone())
            .pages(pages.as_ref()),
    )
    .map_err(|err| match err {
        render::RenderError::Invalid(diagnostics) => BuildError::Invalid {
            diagnostics,
            files_read: loaded.files_read,
        },
        render::RenderError::Output(err) => BuildError::Output(err),
    })?;
    let rendered_at = started.elapsed();
    output_notes.extend(staging.commit()?.warnings);
    if let Some(bodies) = bodies {
        bodies.prune();
    }
    if let Some(pages) = pages {
        pages.prune();
    }
    Ok(BuildReport {
        timings: vec![
            ("load and validate", loaded_at),
            ("render and write", rendered_at - loaded_at),
            ("swap into place", started.elapsed() - rendered_at),
        ],
        output,
        files_written,
        files_read: loaded.files_read,
        files_parsed: loaded.files_parsed,
        incidents,
        maintenance,
        upcoming,
        drafts_left_out,
        internal_left_out: loaded.internal_left_out,
        internal_edition: loaded.site.config.audience == config::Audience::Internal,
        warnings: loaded.warnings,
        output_notes,
    })
}
