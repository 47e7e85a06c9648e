//! The commands that write a site's sources or print reports: `init`, `new`, `import`, `stats`.
//!
//! Each reads its parsed arguments, calls the library, prints, and returns the exit code; the
//! library does the work and never prints.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};

use aftermath::BuildError;
use aftermath::review::markdown::markdown;
use aftermath::review::periods::period_report;
use aftermath::review::{ReviewOptions, parse_bound};
use aftermath::scaffold::{NewPostmortem, ScaffoldError};
use aftermath::stats::periods::PeriodKind;

use crate::cli::{
    Cli, ImportArgs, InitArgs, NewArgs, StatsArgs, StatsFormat, StatsPeriod, clock, options,
    report_invalid,
};

pub fn init(args: &InitArgs, cli: &Cli) -> Result<ExitCode> {
    match aftermath::scaffold::init(&args.dir, args.theme, clock()) {
        Ok(files) => {
            if !cli.quiet {
                for file in &files {
                    if cli.verbose || !file.starts_with("themes") {
                        println!("created {}", args.dir.join(file).display());
                    }
                }
                if args.theme && !cli.verbose {
                    println!(
                        "created {} (the default theme)",
                        args.dir.join("themes/default/").display()
                    );
                }
                let root = if args.dir == Path::new(".") {
                    String::new()
                } else {
                    format!(" --root {}", args.dir.display())
                };
                println!("next: edit aftermath.toml, then `aftermath serve{root}`");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ScaffoldError::Exists(path)) => {
            eprintln!(
                "error: {} already exists; nothing was written",
                path.display()
            );
            Ok(ExitCode::from(1))
        }
        Err(err) => Err(err.into()),
    }
}

pub fn new(args: &NewArgs) -> Result<ExitCode> {
    let config = match aftermath::config::Config::load(&args.root) {
        Ok(config) => config,
        Err(problems) => {
            eprint!("{problems}");
            return Ok(ExitCode::from(1));
        }
    };
    let start = match &args.start {
        Some(text) => {
            aftermath::text::time::parse_instant(text, config.timezone)
                .map_err(|message| anyhow::anyhow!("--start: {message}"))?
                .utc
        }
        None => clock(),
    };
    let request = NewPostmortem {
        title: &args.title,
        services: &args.services,
        severity: args.severity.as_deref(),
        start,
    };
    match aftermath::scaffold::new_postmortem(&args.root, &config, &request) {
        Ok(path) => {
            println!("created {}", args.root.join(path).display());
            Ok(ExitCode::SUCCESS)
        }
        Err(
            ScaffoldError::Exists(path)
            | ScaffoldError::Output(aftermath::output::OutputError::Refused { path, .. }),
        ) => {
            eprintln!(
                "error: {} already exists; nothing was written",
                path.display()
            );
            Ok(ExitCode::from(1))
        }
        Err(ScaffoldError::Invalid(message)) => {
            eprintln!("error: {message}");
            Ok(ExitCode::from(1))
        }
        Err(err) => Err(err.into()),
    }
}

pub fn import(args: &ImportArgs) -> Result<ExitCode> {
    let config = match aftermath::config::Config::load(&args.root) {
        Ok(config) => config,
        Err(problems) => {
            eprint!("{problems}");
            return Ok(ExitCode::from(1));
        }
    };
    if args.into.is_absolute()
        || args
            .into
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        bail!("--into must be a folder inside the site, like content/imported");
    }
    let files = aftermath::import::inputs(&args.inputs);
    if files.is_empty() {
        bail!(
            "no .md, .markdown or .txt files found in {}",
            args.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut importer =
        aftermath::import::Importer::new(&args.root, &args.into, &config, args.from.format());
    let (mut written, mut total) = (0, 0);
    for file in &files {
        for outcome in importer.import(file) {
            print!("{}", outcome.report());
            written += usize::from(outcome.written.is_some());
            total += 1;
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    println!(
        "imported {written} of {} from {}; run `aftermath check` to see what is left to fix",
        plural(total, "postmortem"),
        plural(files.len(), "file")
    );
    Ok(if written == total {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub fn stats(args: &StatsArgs) -> Result<ExitCode> {
    let options = options(&args.site)?;
    let loaded = match aftermath::load(&options, aftermath::content::Reuse::Nothing) {
        Ok(loaded) => loaded,
        Err(BuildError::Invalid {
            diagnostics,
            files_read,
        }) => {
            report_invalid(&diagnostics, files_read);
            return Ok(ExitCode::from(1));
        }
        Err(err) => return Err(err.into()),
    };
    let zone = loaded.site.config.timezone;
    let bound = |flag: &str, text: &Option<String>| -> Result<Option<DateTime<Utc>>> {
        text.as_deref()
            .map(|t| parse_bound(t, zone).map_err(|m| anyhow::anyhow!("--{flag}: {m}")))
            .transpose()
    };
    let review_options = ReviewOptions {
        since: bound("since", &args.since)?,
        until: bound("until", &args.until)?,
        service: args.service.clone(),
    };
    let kind = args.period.map(|period| match period {
        StatsPeriod::Month => PeriodKind::Month,
        StatsPeriod::Quarter => PeriodKind::Quarter,
        StatsPeriod::Year => PeriodKind::Year,
    });
    let site = &loaded.site;
    match (args.format, kind) {
        (StatsFormat::Markdown, kind) => print!("{}", markdown(site, &review_options, kind)?),
        (format, Some(kind)) => {
            let report = period_report(site, kind, &review_options)?;
            match format {
                StatsFormat::Json => print!("{}", String::from_utf8_lossy(&report.to_json())),
                StatsFormat::Csv => print!("{}", report.to_csv()?),
                _ => print!("{}", report.to_table(&site.config.locale)),
            }
        }
        (format, None) => {
            let review = aftermath::review::review(site, &review_options)?;
            match format {
                StatsFormat::Json => print!("{}", String::from_utf8_lossy(&review.to_json())),
                StatsFormat::Csv => print!("{}", review.to_csv(site)?),
                _ => print!("{}", review.to_table(site)),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
