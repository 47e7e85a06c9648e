//! The `aftermath` command: parses arguments, decides "now", prints reports, sets exit codes.
//!
//! Exit codes: 0 success (warnings allowed), 1 the content has errors, 2 usage or I/O errors.
//! This is the only place that reads the clock or the environment.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use aftermath::{BuildError, BuildOptions};

#[derive(Parser)]
#[command(
    name = "aftermath",
    version,
    about = "Turn a folder of postmortems into a static status-history site."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Compiler-style messages with the offending line.
    Human,
    /// A JSON array of {severity, file, line, column, message, hint}.
    Json,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
    };
    result.unwrap_or_else(|err| {
        eprintln!("error: {err:#}");
        ExitCode::from(2)
    })
}

/// "Now": `--as-of`, else `SOURCE_DATE_EPOCH`, else the clock (to the second).
fn as_of(flag: Option<&str>) -> Result<DateTime<Utc>> {
    if let Some(text) = flag {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .with_context(|| {
                format!("--as-of {text:?} is not an RFC 3339 time like 2025-03-01T00:00:00Z")
            });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH={epoch:?} is not a number of seconds"))?;
        return DateTime::from_timestamp(seconds, 0).context("SOURCE_DATE_EPOCH is out of range");
    }
    let now = Utc::now();
    Ok(DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now))
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

fn build(args: &BuildArgs) -> Result<ExitCode> {
    let options = BuildOptions {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        force: args.force,
        ..options(&args.site)?
    };
    match aftermath::build(&options) {
        Ok(report) => {
            if !args.quiet {
                eprint!("{}", report.warnings);
                eprintln!(
                    "built {} incidents from {} files into {} ({} files)",
                    report.incidents,
                    report.files_read,
                    report.output.display(),
                    report.files_written
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Invalid {
            diagnostics,
            files_read,
        }) => {
            eprint!("{diagnostics}");
            eprintln!("{}", diagnostics.summary(files_read));
            eprintln!("nothing was written: the previous site is unchanged");
            Ok(ExitCode::from(1))
        }
        Err(err) => Err(err.into()),
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let report = aftermath::check(&options(&args.site)?);
    let problems = &report.diagnostics;
    match args.format {
        Format::Json => print!("{}", problems.to_json()),
        Format::Github => {
            print!("{}", problems.to_github());
            println!("{}", problems.summary(report.files_read));
        }
        Format::Human if problems.is_empty() => {
            println!("no problems in {} files", report.files_read);
        }
        Format::Human => {
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
