//! The `aftermath` command: parses arguments, decides "now", prints reports, sets exit codes.
//!
//! Exit codes: 0 success (warnings allowed), 1 the content has errors, 2 usage or I/O errors.
//! This is the only place that reads the clock or the environment, or prints.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use aftermath::{BuildError, BuildOptions};

#[derive(Parser)]
#[command(
    name = "aftermath",
    version,
    about = "Turn a folder of postmortems into a static status-history site.",
    after_help = "Start with `aftermath init my-site`, then `aftermath serve --root my-site`."
)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: phase timings, every file written.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
        after_help = "Examples:\n  aftermath stats\n  aftermath stats --since 2025-01-01 --until 2025-04-01 --service api\n  aftermath stats --format csv > incidents.csv\n  aftermath stats --format json   # the shape of api/stats.json"
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
struct SiteArgs {
    /// The site root (holds aftermath.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// "Now" for statistics and ongoing incidents, as RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long)]
    as_of: Option<String>,
    /// Include postmortems marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(clap::Args)]
struct InitArgs {
    /// The folder to create the site in (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Also copy the built-in theme into themes/default/ for customising.
    #[arg(long)]
    theme: bool,
}

#[derive(clap::Args)]
struct NewArgs {
    /// The incident's title.
    title: String,
    /// An affected service (repeat for several).
    #[arg(long = "service")]
    services: Vec<String>,
    /// The severity, one of the site's severities.
    #[arg(long)]
    severity: Option<String>,
    /// When impact began (RFC 3339; default: now).
    #[arg(long)]
    start: Option<String>,
    /// The site root.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// Files or folders to import (folders: their .md, .markdown and .txt files).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Where to write the imported files, relative to the site root.
    #[arg(long, default_value = "content/imported")]
    into: PathBuf,
    /// The site root.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(clap::Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site (default: `output_dir` from aftermath.toml, else public/).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The URL the site is published at (overrides `base_url`).
    #[arg(long)]
    base_url: Option<String>,
    /// Replace a non-empty output folder that aftermath did not create.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// Compiler-style messages with the offending line.
    Human,
    /// A JSON array of {severity, file, line, column, message, hint}.
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

#[derive(clap::Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
}

#[derive(clap::Args)]
struct StatsArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Only incidents that start at or after this date (YYYY-MM-DD in the site's zone) or time.
    #[arg(long)]
    since: Option<String>,
    /// Only incidents that start before this date or time (default: the as-of time).
    #[arg(long)]
    until: Option<String>,
    /// Only this service.
    #[arg(long)]
    service: Option<String>,
    /// How to print the numbers.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    format: StatsFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatsFormat {
    /// A report for the terminal.
    Table,
    /// The shape of api/stats.json.
    Json,
    /// One row per incident with its computed durations.
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Init(args) => commands::init(args, &cli),
        Command::New(args) => commands::new(args),
        Command::Import(args) => commands::import(args),
        Command::Build(args) => build(args, &cli),
        Command::Check(args) => check(args),
        Command::Serve(args) => serve(args, &cli),
        Command::Stats(args) => commands::stats(args),
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Cli::command(),
                "aftermath",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|err| {
        eprintln!("error: {err:#}");
        ExitCode::from(2)
    })
}

/// The clock, to the second: the only place it is read.
fn clock() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// "Now": `--as-of`, else `SOURCE_DATE_EPOCH`, else the clock.
fn as_of(flag: Option<&str>) -> Result<DateTime<Utc>> {
    Ok(fixed_as_of(flag)?.unwrap_or_else(clock))
}

/// `--as-of` or `SOURCE_DATE_EPOCH`, if either is given.
fn fixed_as_of(flag: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    let at = given_as_of(flag)?;
    if let Some(at) = at {
        use aftermath::content::time::{FIRST_YEAR, LAST_YEAR};
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
fn given_as_of(flag: Option<&str>) -> Result<Option<DateTime<Utc>>> {
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

fn options(site: &SiteArgs) -> Result<BuildOptions> {
    if !site.root.is_dir() {
        bail!("the site root {} is not a folder", site.root.display());
    }
    Ok(BuildOptions {
        root: site.root.clone(),
        output: None,
        base_url: None,
        as_of: as_of(site.as_of.as_deref())?,
        include_drafts: site.drafts,
        force: false,
        home: std::env::var_os("HOME").map(PathBuf::from),
    })
}

/// Prints the problems that stopped a command, then their summary line.
fn report_invalid(diagnostics: &aftermath::diagnostics::Diagnostics, files_read: usize) {
    eprint!("{diagnostics}");
    eprintln!("{}", diagnostics.summary(files_read));
}

/// A progress bar on a terminal; nothing in CI or when output is redirected.
struct Bar(indicatif::ProgressBar);

impl aftermath::render::Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
    }
    fn advance(&self) {
        self.0.inc(1);
    }
}

fn build(args: &BuildArgs, cli: &Cli) -> Result<ExitCode> {
    if let Some(url) = &args.base_url {
        aftermath::config::normalize_base_url(url)
            .map_err(|m| anyhow::anyhow!("--base-url: {m}"))?;
    }
    let options = BuildOptions {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        force: args.force,
        ..options(&args.site)?
    };
    let interactive =
        std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() && !cli.quiet;
    let bar = indicatif::ProgressBar::new(0);
    if interactive {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let result = aftermath::build_with_progress(&options, &Bar(bar.clone()));
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            for note in &report.output_notes {
                eprintln!("note: {note}");
            }
            if !cli.quiet {
                eprint!("{}", report.warnings);
                eprintln!(
                    "built {} incidents from {} files into {} ({} files)",
                    report.incidents,
                    report.files_read,
                    report.output.display(),
                    report.files_written
                );
            }
            if cli.verbose {
                for (phase, duration) in &report.timings {
                    eprintln!("  {phase}: {} ms", duration.as_millis());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Invalid {
            diagnostics,
            files_read,
        }) => {
            report_invalid(&diagnostics, files_read);
            eprintln!("nothing was written: the previous site is unchanged");
            Ok(ExitCode::from(1))
        }
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("nothing was published: the previous site is unchanged");
            Ok(ExitCode::from(2))
        }
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let report = aftermath::check(&options(&args.site)?);
    let problems = &report.diagnostics;
    match args.format {
        CheckFormat::Json => print!("{}", problems.to_json()),
        CheckFormat::Github => {
            print!("{}", problems.to_github());
            println!("{}", problems.summary(report.files_read));
        }
        CheckFormat::Human if problems.is_empty() => {
            println!("no problems in {} files", report.files_read)
        }
        CheckFormat::Human => {
            print!("{problems}");
            println!("{}", problems.summary(report.files_read));
        }
    }
    let failed = problems.has_errors() || (args.deny_warnings && !problems.is_empty());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn serve(args: &ServeArgs, cli: &Cli) -> Result<ExitCode> {
    if !args.site.root.is_dir() {
        bail!("the site root {} is not a folder", args.site.root.display());
    }
    let quiet = cli.quiet;
    let options = aftermath::serve::ServeOptions {
        root: args.site.root.clone(),
        port: args.port,
        include_drafts: args.site.drafts,
        as_of: fixed_as_of(args.site.as_of.as_deref())?,
        now: Arc::new(clock),
        log: Arc::new(move |line: String| {
            if !quiet || line.contains("error") {
                eprintln!("{}", line.trim_end());
            }
        }),
    };
    let open = args.open;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(aftermath::serve::serve(options, |address| {
        let url = format!("http://{address}/");
        println!("serving the site at {url} (Ctrl-C to stop)");
        if open {
            open_browser(&url);
        }
    }))?;
    if !cli.quiet {
        eprintln!("stopped");
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens `url` with the platform's opener; failures are only reported.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(err) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("could not open a browser ({opener}: {err}); open {url} yourself");
    }
}
