//! The command line: every argument type, and turning arguments into build options.
//!
//! Shared by `main.rs` (build, check, serve) and `commands.rs` (init, new, import, stats). With
//! `main.rs`, the only code that reads the clock or the environment.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use aftermath::BuildOptions;

#[derive(Parser)]
#[command(
    name = "aftermath",
    version,
    about = "Turn a folder of postmortems into a static status-history site.",
    after_help = "Start with `aftermath init my-site`, then `aftermath serve --root my-site`."
)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: phase timings, every file written.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new site: aftermath.toml, an example postmortem, .gitignore and a CI workflow.
    #[command(
        after_help = "Examples:\n  aftermath init my-status-site\n  aftermath init --theme        # also copy the default theme into themes/default/ to customise"
    )]
    Init(InitArgs),
    /// Start a new postmortem from the standard outline.
    #[command(
        after_help = "Examples:\n  aftermath new \"Checkout unavailable\" --service payments --severity major\n  aftermath new \"DNS outage\" --start 2025-03-01T14:30:00Z"
    )]
    New(NewArgs),
    /// Turn existing postmortems (free-form text or Markdown, cState, Statusfy) into files with front matter.
    #[command(
        after_help = "Examples:\n  aftermath import old-postmortems/\n  aftermath import notes/db-outage.txt --into content/2024\n\nFields that cannot be determined are written as `# TODO` lines; run `aftermath check` next."
    )]
    Import(ImportArgs),
    /// Build the site into the output folder (public/ by default).
    #[command(
        after_help = "Examples:\n  aftermath build\n  aftermath build --root my-site --output dist --base-url https://example.org/status/\n  aftermath build --as-of 2025-03-01T00:00:00Z   # the site as it was on that day"
    )]
    Build(BuildArgs),
    /// Check the configuration, every postmortem and the theme; write nothing.
    #[command(
        after_help = "Examples:\n  aftermath check\n  aftermath check --format github          # annotations on a pull request\n  aftermath check --format json --deny-warnings\n\nExit codes: 0 no errors (warnings allowed unless --deny-warnings), 1 problems found, 2 usage or I/O error."
    )]
    Check(CheckArgs),
    /// Preview the site on 127.0.0.1, rebuilding and reloading on every change.
    #[command(
        after_help = "Examples:\n  aftermath serve\n  aftermath serve --port 0 --open   # any free port, open the browser"
    )]
    Serve(ServeArgs),
    /// Print the numbers for a reliability review.
    #[command(
        after_help = "Examples:\n  aftermath stats\n  aftermath stats --since 2025-01-01 --until 2025-04-01 --service api\n  aftermath stats --format csv > incidents.csv\n  aftermath stats --format json   # the shape of api/stats.json\n  aftermath stats --period quarter --format csv"
    )]
    Stats(StatsArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  aftermath completions bash > ~/.local/share/bash-completion/completions/aftermath\n  aftermath completions zsh > ~/.zfunc/_aftermath"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Flags shared by every command that reads a site.
#[derive(clap::Args)]
pub struct SiteArgs {
    /// The site root (holds aftermath.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// "Now" for statistics and ongoing incidents, as RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Include postmortems marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Accept a root with neither aftermath.toml nor content/ (an empty site).
    #[arg(long)]
    pub allow_empty: bool,
    /// Who the site is for: `internal` adds the postmortems and blocks marked internal,
    /// marks every page internal and writes to `internal_output_dir`.
    #[arg(long, value_enum, default_value_t = AudienceArg::Public)]
    pub audience: AudienceArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum AudienceArg {
    Public,
    Internal,
}

impl AudienceArg {
    pub fn audience(self) -> aftermath::config::Audience {
        match self {
            AudienceArg::Public => aftermath::config::Audience::Public,
            AudienceArg::Internal => aftermath::config::Audience::Internal,
        }
    }
}

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also copy the built-in theme into themes/default/ for customising.
    #[arg(long)]
    pub theme: bool,
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The incident's title.
    pub title: String,
    /// An affected service (repeat for several).
    #[arg(long = "service")]
    pub services: Vec<String>,
    /// The severity, one of the site's severities.
    #[arg(long)]
    pub severity: Option<String>,
    /// When impact began (RFC 3339; default: now).
    #[arg(long)]
    pub start: Option<String>,
    /// The site root.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Files or folders to import (folders: their .md, .markdown and .txt files).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Where to write the imported files, relative to the site root.
    #[arg(long, default_value = "content/imported")]
    pub into: PathBuf,
    /// The format of the inputs; `auto` recognises each from its content.
    #[arg(long = "from", value_enum, default_value_t = ImportFrom::Auto)]
    pub from: ImportFrom,
    /// The site root.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportFrom {
    /// Recognise each input from its content.
    Auto,
    /// Free-form text or Markdown postmortems.
    Text,
    /// cState incident files.
    Cstate,
    /// Statusfy incident files.
    Statusfy,
    /// Statuspage API exports (incidents.json, scheduled-maintenances.json) and history feeds
    /// (history.atom, history.rss).
    Statuspage,
}

impl ImportFrom {
    pub fn format(self) -> aftermath::import::ImportFormat {
        use aftermath::import::ImportFormat;
        match self {
            ImportFrom::Auto => ImportFormat::Auto,
            ImportFrom::Text => ImportFormat::Text,
            ImportFrom::Cstate => ImportFormat::Cstate,
            ImportFrom::Statusfy => ImportFormat::Statusfy,
            ImportFrom::Statuspage => ImportFormat::Statuspage,
        }
    }
}

#[derive(clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: `output_dir` from aftermath.toml, else public/;
    /// for `--audience internal`, `internal_output_dir`, else public-internal/).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// The URL the site is published at (overrides `base_url`).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Replace a non-empty output folder that aftermath did not create.
    #[arg(long)]
    pub force: bool,
    /// Neither read nor write the build cache (`cache_dir`, default .aftermath-cache/).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style messages with the offending line.
    Human,
    /// A JSON array of {severity, file, line, column, message, hint}.
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

#[derive(clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Only incidents that start at or after this date (YYYY-MM-DD in the site's zone) or time.
    #[arg(long)]
    pub since: Option<String>,
    /// Only incidents that start before this date or time (default: the as-of time).
    #[arg(long)]
    pub until: Option<String>,
    /// Only this service.
    #[arg(long)]
    pub service: Option<String>,
    /// Print one row per service and calendar period (the rows of the reports/ pages).
    #[arg(long, value_enum)]
    pub period: Option<StatsPeriod>,
    /// How to print the numbers.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatsPeriod {
    Month,
    Quarter,
    Year,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StatsFormat {
    /// A report for the terminal.
    Table,
    /// The shape of api/stats.json.
    Json,
    /// One row per incident with its computed durations (with --period: one per period).
    Csv,
    /// A reliability review to paste into a document: of --since/--until, else of the last
    /// whole --period, else of all time.
    Markdown,
}

/// The clock, to the second: the only place it is read.
pub fn clock() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// "Now": `--as-of`, else `SOURCE_DATE_EPOCH`, else the clock.
pub fn as_of(flag: Option<&str>) -> Result<DateTime<Utc>> {
    Ok(fixed_as_of(flag)?.unwrap_or_else(clock))
}

/// `--as-of` or `SOURCE_DATE_EPOCH`, if either is given.
pub fn fixed_as_of(flag: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    let at = given_as_of(flag)?;
    if let Some(at) = at {
        use aftermath::text::time::{FIRST_YEAR, LAST_YEAR};
        use chrono::Datelike as _;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&at.year()) {
            bail!(
                "the as-of time {at} is outside the years Aftermath accepts ({FIRST_YEAR} to {LAST_YEAR})"
            );
        }
    }
    Ok(at)
}

/// `--as-of` or `SOURCE_DATE_EPOCH` as written.
pub fn given_as_of(flag: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    if let Some(text) = flag {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .with_context(|| {
                format!("--as-of {text:?} is not an RFC 3339 time like 2025-03-01T00:00:00Z")
            });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds"))?;
        return DateTime::from_timestamp(seconds, 0)
            .map(Some)
            .context("SOURCE_DATE_EPOCH is out of range");
    }
    Ok(None)
}

pub fn options(site: &SiteArgs) -> Result<BuildOptions> {
    if !site.root.is_dir() {
        bail!("the site root {} is not a folder", site.root.display());
    }
    Ok(BuildOptions {
        root: site.root.clone(),
        output: None,
        base_url: None,
        as_of: as_of(site.as_of.as_deref())?,
        include_drafts: site.drafts,
        audience: site.audience.audience(),
        force: false,
        home: std::env::var_os("HOME").map(PathBuf::from),
        cache: true,
    })
}

/// A root with neither `aftermath.toml` nor `content/` is almost always the wrong working
/// directory (a CI step in the wrong folder): building it would publish an empty site over
/// the real one. The message says what was looked for and how to go ahead anyway.
pub fn refuse_empty_site(site: &SiteArgs) -> Option<String> {
    let root = &site.root;
    let empty =
        root.is_dir() && !root.join("aftermath.toml").exists() && !root.join("content").exists();
    (empty && !site.allow_empty).then(|| {
        let shown = if root.as_os_str() == "." {
            "the current folder".to_string()
        } else {
            root.display().to_string()
        };
        format!(
            "error: {shown} holds no site: there is neither aftermath.toml nor content/\n  = help: run it in the site's folder, pass --root DIR, start one with `aftermath init`, or pass --allow-empty to build an empty site"
        )
    })
}

/// Prints the problems that stopped a command, then their summary line.
pub fn report_invalid(diagnostics: &aftermath::diagnostics::Diagnostics, files_read: usize) {
    eprint!("{diagnostics}");
    eprintln!("{}", diagnostics.summary(files_read));
}
