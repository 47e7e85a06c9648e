//! `aftermath init` and `aftermath new`: start a site, start a postmortem.
//!
//! Both only ever create files (through `output::create_new`) and refuse to overwrite any:
//! `init` checks every file it would write before writing the first one.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Timelike, Utc};

use crate::config::{CONFIG_FILE, Config};
use crate::output::{OutputError, create_new};
use crate::render::theme::embedded_files;
use crate::suggest::did_you_mean;
use crate::text::slug::slugify;

/// Why `init` or `new` did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; nothing was written")]
    Exists(PathBuf),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Output(#[from] OutputError),
}

const CONFIG_TEMPLATE: &str = r#"# aftermath.toml: every key is optional; the values shown are the defaults unless noted.
# Documentation: docs/configuration.md in the Aftermath repository.

# The site's name, in page titles and feeds.
title = "Incident history"

# One sentence for the page description and the feeds.
# description = ""

# The address the site is published at; feeds and the sitemap need it. (Not the default.)
base_url = "https://status.example.com/"

# IANA time zone for local times in postmortems and for the calendar's days.
timezone = "UTC"

# A folder in themes/ whose files override the built-in theme one by one.
# theme = "default"

# Where `aftermath build` writes the site.
# output_dir = "public"

# Where `aftermath build --audience internal` writes the internal edition (with the
# postmortems marked visibility = "internal" and the <!-- internal --> blocks).
# internal_output_dir = "public-internal"

# Where `aftermath build` keeps rendered postmortem bodies for the next build (under the site
# root; .gitignore lists it). Delete it at any time; `build --no-cache` neither reads nor writes it.
# cache_dir = ".aftermath-cache"

# The language of the pages, feeds and `aftermath stats` reports: en, de, fr, es, pt-BR or ja
# (a region picks date formats: en-US); a theme can add others (docs/themes.md#languages).
# language = "en"

# Allowed severities, from most to least severe.
# severities = ["critical", "major", "minor"]

# Incidents longer than this (and ongoing ones open longer) get a warning.
# max_incident_duration = "30d"

# The day the history begins: earlier days are "no data", and availability windows start no
# earlier. Default: the day of the first incident.
# history_start = 2024-01-01

# Whether a postmortem without `detected` takes it from a timeline event that says the
# problem was detected ("alerts fired", "on-call paged", "a customer reported ...").
# detect_from_timeline = true

# Declared services: postmortems may only name these, and each gets a page. (Not the default.)
[[services]]
name = "api"
description = "The public API."
# Other words for it, recognised by `aftermath import`.
aliases = ["rest api"]
# Services of one group share a summary row on the index.
# group = "Platform"
# The day the service began, when after the history's start.
# since = 2024-06-01
# Its own objective, over the site's [slo]: a target, a window, plain or weighted downtime.
# slo = "99.95%"
# slo_window = "quarter"
# slo_weighted = false

[[services]]
name = "web"
description = "The website and dashboard."

[markdown]
# "sanitize" (default), "escape" or "trust" raw HTML in postmortems.
# raw_html = "sanitize"

# The levels an [[impact]] window in a postmortem may name, as a percentage of users; change
# these or add your own.
[impact_levels]
# degraded = 0
# partial = 30
# major = 100

# Service level objectives: a service with a target gets an error budget (api/slo.json, the
# index and its page). No target is the default: no service has a budget.
[slo]
# target = "99.9%"
# "28d", "30d", "90d" (any number of days before T), or the current "month" or "quarter".
# window = "30d"
# Count impact-weighted downtime (true) or every minute of an incident in full (false).
# weighted = true
# An incident that uses more than this share of a budget (percent) is flagged.
# budget_alert = 20

# Relax or raise a warning by its name (docs/checks.md lists them): "allow", "warn" or "deny".
[checks]
# timeline-after-end = "allow"

# Your own settings for templates, as site.extra.
# [extra]
"#;

const GITIGNORE: &str = "# The generated site (aftermath build)\n/public/\n# The internal edition (aftermath build --audience internal): keep it out of the repository\n/public-internal/\n/.aftermath-*\n";

/// The workflow `init` writes: the composite action of this repository (action.yml) installs
/// the released binary, so a CI run compiles nothing. `{action}` becomes the action's
/// reference, pinned to this version's major tag.
const WORKFLOW: &str = r#"# Checks postmortems on pull requests (annotations on the changed lines) and publishes the
# site to GitHub Pages on main. Enable Pages with "GitHub Actions" as the source.
# {action} installs the released aftermath binary (checksum verified, cached).
name: Status history site

on:
  pull_request:
  push:
    branches: [main]
  schedule:
    - cron: "17 3 * * *" # daily, so ongoing incidents and the 90-day bars stay current

permissions:
  contents: read

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: {action}
        with:
          command: check

  publish:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deploy.outputs.page_url }}
    steps:
      - uses: actions/checkout@v5
      - uses: {action}
        with:
          command: build
          output: public
      - uses: actions/upload-pages-artifact@v4
        with:
          path: public
      - id: deploy
        uses: actions/deploy-pages@v5
"#;

/// `owner/name@vMAJOR` of this build's repository (Cargo.toml's `repository`).
fn action_reference() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/");
    format!("{repository}@v{}", env!("CARGO_PKG_VERSION_MAJOR"))
}

/// The standard postmortem outline `new` writes below the front matter.
pub const OUTLINE: [&str; 7] = [
    "Summary",
    "Impact",
    "Timeline",
    "Root cause",
    "Resolution",
    "Action items",
    "Lessons learned",
];

const OUTLINE_PROMPTS: [&str; 7] = [
    "What happened, in two or three sentences.",
    "Who was affected, how, and for how long.",
    "- HH:MM: what happened (times in the site's time zone)",
    "Why it happened.",
    "How it was fixed.",
    "- [ ] What we will change, with an owner.",
    "What went well, what went wrong, where we got lucky.",
];

/// Creates a new site in `dir`. Returns the files written, relative to `dir`.
pub fn init(
    dir: &Path,
    with_theme: bool,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, ScaffoldError> {
    // The example is resolved and in the past (a day ago, on the hour), so a new site opens
    // without an "ongoing incident" banner and `check` finds nothing in the future.
    let start = (now - chrono::Duration::days(1))
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now - chrono::Duration::days(1));
    let date = start.format("%Y-%m-%d");
    let example = format!(
        "+++\ntitle = \"Example: API errors after a deploy\"\nsummary = \"Replace this with your first postmortem.\"\nstart = {start}\nend = {end}\ndetected = {detected}\nservices = [\"api\"]\nseverity = \"minor\"\nimpact = 10\n+++\n\n{outline}",
        start = start.format("%Y-%m-%dT%H:%M:00Z"),
        end = (start + chrono::Duration::minutes(25)).format("%Y-%m-%dT%H:%M:00Z"),
        detected = (start + chrono::Duration::minutes(4)).format("%Y-%m-%dT%H:%M:00Z"),
        outline = outline(),
    );
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            PathBuf::from(CONFIG_FILE),
            CONFIG_TEMPLATE.as_bytes().to_vec(),
        ),
        (
            PathBuf::from(format!("content/{}/{date}-example.md", start.format("%Y"))),
            example.into_bytes(),
        ),
        (PathBuf::from(".gitignore"), GITIGNORE.as_bytes().to_vec()),
        (
            PathBuf::from(".github/workflows/aftermath.yml"),
            WORKFLOW
                .replace("{action}", &action_reference())
                .into_bytes(),
        ),
    ];
    if with_theme {
        files.extend(
            embedded_files()
                .into_iter()
                .map(|(path, bytes)| (PathBuf::from("themes/default").join(path), bytes.to_vec())),
        );
    }
    if let Some((path, _)) = files.iter().find(|(path, _)| dir.join(path).exists()) {
        return Err(ScaffoldError::Exists(dir.join(path)));
    }
    for (path, bytes) in &files {
        create_new(&dir.join(path), bytes)?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

fn outline() -> String {
    OUTLINE
        .iter()
        .zip(OUTLINE_PROMPTS)
        .map(|(heading, prompt)| format!("## {heading}\n\n{prompt}\n\n"))
        .collect()
}

/// What `new` is asked to write.
pub struct NewPostmortem<'a> {
    pub title: &'a str,
    pub services: &'a [String],
    pub severity: Option<&'a str>,
    pub start: DateTime<Utc>,
}

/// Writes `content/<YYYY>/<date>-<slug>.md`; returns its path relative to `root`.
pub fn new_postmortem(
    root: &Path,
    config: &Config,
    new: &NewPostmortem<'_>,
) -> Result<PathBuf, ScaffoldError> {
    let slug = slugify(new.title);
    if slug.is_empty() {
        return Err(ScaffoldError::Invalid(format!(
            "the title \"{}\" gives an empty file name; use letters or digits",
            new.title
        )));
    }
    for service in new.services {
        if config.declares_services() && !config.services.iter().any(|s| &s.name == service) {
            let names = config.services.iter().map(|s| s.name.as_str());
            let hint = did_you_mean(service, names).unwrap_or_else(|| {
                let all: Vec<&str> = config.services.iter().map(|s| s.name.as_str()).collect();
                format!("declared services are: {}", all.join(", "))
            });
            return Err(ScaffoldError::Invalid(format!(
                "--service \"{service}\" is not declared in aftermath.toml; {hint}"
            )));
        }
    }
    if let Some(severity) = new.severity
        && config.severity_rank(severity).is_none()
    {
        return Err(ScaffoldError::Invalid(format!(
            "--severity \"{severity}\" is not one of the site's severities: {}",
            config.severities.join(", ")
        )));
    }
    let local = new.start.with_timezone(&config.timezone);
    let relative = PathBuf::from(format!(
        "content/{}/{}-{slug}.md",
        local.format("%Y"),
        local.format("%Y-%m-%d")
    ));
    let path = root.join(&relative);
    if path.exists() {
        return Err(ScaffoldError::Exists(relative));
    }
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    let mut front = format!("+++\ntitle = {}\n", quoted(new.title));
    front.push_str(&format!(
        "start = {}\n",
        local.format("%Y-%m-%dT%H:%M:%S%:z")
    ));
    front.push_str(
        "# end = ...        (when impact ended; without it the incident shows as ongoing)\n",
    );
    front.push_str("# detected = ...   (when the problem was detected)\n");
    let services: Vec<String> = new.services.iter().map(|s| quoted(s)).collect();
    front.push_str(&format!("services = [{}]\n", services.join(", ")));
    if let Some(severity) = new.severity {
        front.push_str(&format!("severity = {}\n", quoted(severity)));
    }
    front.push_str("# impact = 35     (percent of users affected; without it the incident counts as 100 %)\n+++\n\n");
    front.push_str(&outline());
    create_new(&path, front.as_bytes())?;
    Ok(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_refuses_to_overwrite_anything() {
        let dir = tempfile::tempdir().unwrap();
        let now = "2026-11-23T10:00:00Z".parse().unwrap();
        let files = init(dir.path(), true, now).unwrap();
        assert!(files.iter().any(|f| f.ends_with("templates/base.html")));
        assert!(
            dir.path()
                .join("content/2026/2026-11-22-example.md")
                .is_file()
        );
        std::fs::write(dir.path().join("aftermath.toml"), "title = \"mine\"").unwrap();
        let err = init(dir.path(), false, now).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("aftermath.toml already exists; nothing was written"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("aftermath.toml")).unwrap(),
            "title = \"mine\""
        );
    }

    #[test]
    fn the_config_template_is_valid_and_documents_every_key() {
        Config::parse(CONFIG_TEMPLATE, Path::new(CONFIG_FILE)).unwrap();
        let nested = [
            "aliases",
            "description",
            "group",
            "since",
            "raw_html",
            "slo_window",
            "slo_weighted",
            "target",
            "window",
            "weighted",
            "budget_alert",
        ];
        for key in crate::config::TOP_LEVEL_KEYS.iter().chain(&nested) {
            assert!(CONFIG_TEMPLATE.contains(key), "{key}");
        }
    }
}
