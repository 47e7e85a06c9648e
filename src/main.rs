//! The `aftermath` command: parses arguments, decides "now", prints reports, sets exit codes.
//!
//! Exit codes: 0 success (warnings allowed), 1 the content has errors, 2 usage or I/O errors.
//! This is the only place that reads the clock or the environment.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

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
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The site root (holds aftermath.toml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site (default: `output_dir` from aftermath.toml, else public/).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The URL the site is published at (overrides `base_url`).
    #[arg(long)]
    base_url: Option<String>,
    /// "Now" for statistics and ongoing incidents, as RFC 3339 (default: SOURCE_DATE_EPOCH, else the clock).
    #[arg(long)]
    as_of: Option<String>,
    /// Include postmortems marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Replace a non-empty output folder that aftermath did not create.
    #[arg(long)]
    force: bool,
    /// Print only errors.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => match build(&args) {
            Ok(code) => code,
            Err(err) => {
                eprintln!("error: {err:#}");
                ExitCode::from(2)
            }
        },
    }
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

fn build(args: &BuildArgs) -> Result<ExitCode> {
    if !args.root.is_dir() {
        bail!("the site root {} is not a folder", args.root.display());
    }
    let options = BuildOptions {
        root: args.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        as_of: as_of(args.as_of.as_deref())?,
        include_drafts: args.drafts,
        force: args.force,
        home: std::env::var_os("HOME").map(PathBuf::from),
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
