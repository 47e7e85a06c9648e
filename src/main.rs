//! The `aftermath` command: parses arguments, decides "now", prints reports, sets exit codes.
//!
//! Exit codes: 0 success (warnings allowed), 1 the content has errors, 2 usage or I/O errors.
//! With `cli.rs`, the only place that reads the clock or the environment, or prints; argument
//! types live in `cli.rs`, the commands that write sources or print reports in `commands.rs`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;

use cli::{
    BuildArgs, CheckArgs, CheckFormat, Cli, Command, ServeArgs, clock, fixed_as_of, options,
    refuse_empty_site, report_invalid,
};

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, bail};
use clap::{CommandFactory, Parser};

use aftermath::{BuildError, BuildOptions};

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
    if let Some(refusal) = refuse_empty_site(&args.site) {
        eprintln!("{refusal}");
        return Ok(ExitCode::from(1));
    }
    if let Some(url) = &args.base_url {
        aftermath::config::normalize_base_url(url)
            .map_err(|m| anyhow::anyhow!("--base-url: {m}"))?;
    }
    let options = BuildOptions {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        force: args.force,
        cache: !args.no_cache,
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
    let result = aftermath::build(&options, &Bar(bar.clone()));
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            for note in &report.output_notes {
                eprintln!("note: {note}");
            }
            if !cli.quiet {
                eprint!("{}", report.warnings);
                eprintln!("{}", report.summary());
                if !report.warnings.is_empty() {
                    eprintln!("{}", report.warnings.warning_summary());
                }
            }
            if cli.verbose {
                for (phase, duration) in &report.timings {
                    eprintln!("  {phase}: {} ms", duration.as_millis());
                }
                if report.files_parsed < report.files_read {
                    eprintln!(
                        "  parsed {} of {} files (the others from the build cache)",
                        report.files_parsed, report.files_read
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Invalid {
            diagnostics,
            files_read,
        }) => {
            report_invalid(&diagnostics, files_read);
            eprintln!("{}", nothing_written(args));
            Ok(ExitCode::from(1))
        }
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("nothing was published: the previous site is unchanged");
            Ok(ExitCode::from(2))
        }
    }
}

/// What a failed build says it left: the previous site only when there is one.
fn nothing_written(args: &BuildArgs) -> &'static str {
    let root = &args.site.root;
    let output = args.output.clone().unwrap_or_else(|| {
        let mut config = aftermath::config::Config::load_checked(root).0;
        config.audience = args.site.audience.audience();
        config.output_folder().to_path_buf()
    });
    if root.join(output).exists() {
        "nothing was written: the previous site is unchanged"
    } else {
        "nothing was written"
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    if let Some(refusal) = refuse_empty_site(&args.site) {
        eprintln!("{refusal}");
        return Ok(ExitCode::from(1));
    }
    let report = aftermath::check(&options(&args.site)?);
    let problems = &report.diagnostics;
    match args.format {
        CheckFormat::Json => print!("{}", problems.to_json()),
        CheckFormat::Github => {
            print!("{}", problems.to_github());
            println!("{}", problems.summary(report.files_read));
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
    if let Some(refusal) = refuse_empty_site(&args.site) {
        eprintln!("{refusal}");
        return Ok(ExitCode::from(1));
    }
    let quiet = cli.quiet;
    let options = aftermath::serve::ServeOptions {
        root: args.site.root.clone(),
        port: args.port,
        include_drafts: args.site.drafts,
        audience: args.site.audience.audience(),
        as_of: fixed_as_of(args.site.as_of.as_deref())?,
        now: Arc::new(clock),
        log: Arc::new(move |line: String| {
            if !quiet || line.contains("error") {
                eprintln!("{}", line.trim_end());
            }
        }),
    };
    let open = args.open;
    aftermath::serve::serve(options, |address| {
        let url = format!("http://{address}/");
        println!("serving the site at {url} (Ctrl-C to stop)");
        if open {
            open_browser(&url);
        }
    })?;
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
