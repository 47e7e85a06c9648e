//! `aftermath.toml` key by key: the file is read into the spanned tree of [`crate::spanned`] and
//! each key goes through its own check, as front-matter keys do, so every problem is reported
//! in one run at the key or value it is about. A key with a problem keeps its default.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{BASE_URL_HINT, Config, RawHtml, ServiceConfig, TOP_LEVEL_KEYS, normalize_base_url};
use crate::diagnostics::{
    CHECKS, Check, Diagnostic, Diagnostics, LevelError, Location, SourceText,
};
use crate::spanned::checker::Checker;
use crate::spanned::{RawEntry, RawNode, RawValue, parse_toml, to_json};
use crate::suggest::did_you_mean;

const SERVICE_KEYS: &[&str] = &[
    "name",
    "description",
    "aliases",
    "group",
    "since",
    "slo",
    "slo_window",
    "slo_weighted",
];
const MARKDOWN_KEYS: &[&str] = &["raw_html"];

/// The configuration in `text` (shown as `file`), with every problem found in it.
pub fn read(text: &str, file: &Path, root: Option<&Path>) -> (Config, Diagnostics) {
    let source = SourceText::new(text);
    let mut config = Config::default();
    let mut out = Checker {
        file,
        problems: Vec::new(),
    };
    let mut language_at = None;
    match parse_toml(&source, text, 0) {
        Ok(entries) => {
            for entry in &entries {
                read_key(&mut out, entry, &mut config);
            }
            language_at = entries
                .iter()
                .find(|e| e.key == "language")
                .map(|e| e.value.location.clone());
        }
        Err(err) => out
            .problems
            .push(Diagnostic::new(Check::ConfigSyntax, file, err.message).at(Some(err.location))),
    }
    let mut problems = Diagnostics::new();
    problems.extend(out.problems);
    locale(&mut config, (file, root), language_at, &mut problems);
    problems.sort();
    (config, problems)
}

/// Picks the locale of `language`, with the theme's catalog for it when `root` has one; a
/// language Aftermath has no catalog of, and the theme neither, is an error at its value.
fn locale(
    config: &mut Config,
    (file, root): (&Path, Option<&Path>),
    language_at: Option<crate::diagnostics::Location>,
    problems: &mut Diagnostics,
) {
    let theme = root.and_then(|root| {
        crate::i18n::read_theme_catalog(root, &config.theme, &config.language, problems)
    });
    match crate::i18n::Locale::load(&config.language, theme) {
        Ok(locale) => config.locale = locale,
        Err(message) => {
            problems.push(Diagnostic::new(Check::UnknownLanguage, file, message).at(language_at))
        }
    }
}

/// Reads one top-level key into `config`, unless it has a problem.
fn read_key(out: &mut Checker<'_>, entry: &RawEntry, config: &mut Config) {
    let before = out.problems.len();
    let mut next = config.clone();
    match entry.key.as_str() {
        "title" => set(&mut next.title, out.text(entry, true)),
        "description" => next.description = out.text(entry, false).unwrap_or_default(),
        "language" => set(&mut next.language, out.text(entry, true)),
        "output_dir" => set(
            &mut next.output_dir,
            out.text(entry, true).map(PathBuf::from),
        ),
        "cache_dir" => set(
            &mut next.cache_dir,
            out.text(entry, true).map(PathBuf::from),
        ),
        "internal_output_dir" => set(
            &mut next.internal_output_dir,
            out.text(entry, true).map(PathBuf::from),
        ),
        "base_url" => set(&mut next.base_url, base_url(out, entry)),
        "timezone" => set(&mut next.timezone, out.timezone(entry)),
        "history_start" => next.history_start = date(out, entry),
        "detect_from_timeline" => set(&mut next.detect_from_timeline, out.boolean(entry)),
        "theme" => set(&mut next.theme, theme(out, entry)),
        "severities" => next.severities = severities(out, entry),
        "max_incident_duration" => set(&mut next.max_incident_seconds, duration(out, entry)),
        "services" => next.services = services(out, entry),
        "markdown" => {
            for item in table(out, entry, MARKDOWN_KEYS) {
                set(&mut next.raw_html, raw_html(out, item));
            }
        }
        "checks" => checks(out, entry, &mut next),
        "impact_levels" => impact_levels(out, entry, &mut next.impact_levels),
        "slo" => {
            for item in table(out, entry, super::slo::SLO_KEYS) {
                super::slo::read_default(out, item, &mut next.slo);
            }
        }
        "extra" => match &entry.value.value {
            RawValue::Table(_) => next.extra = to_json(&entry.value.value),
            _ => out.expected(entry, "a table of your own settings"),
        },
        _ => unknown_key(out, entry, TOP_LEVEL_KEYS),
    }
    if out.problems.len() == before {
        *config = next;
    }
}

/// A calendar day like `2021-03-01` (a TOML date, or a string).
fn date(out: &mut Checker<'_>, entry: &RawEntry) -> Option<NaiveDate> {
    let text = match &entry.value.value {
        RawValue::String(text) | RawValue::Datetime(text) => text.trim(),
        _ => "",
    };
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    if parsed.is_none() {
        out.expected(entry, "a day like 2021-03-01");
    }
    parsed
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

fn unknown_key(out: &mut Checker<'_>, entry: &RawEntry, known: &[&str]) {
    out.unknown_key(entry, known, || {
        format!(
            "known keys are {}; put your own settings under [extra]",
            known.join(", ")
        )
    });
}
/// The entries of a table value, after reporting the keys not in `known`.
fn table<'a>(out: &mut Checker<'_>, entry: &'a RawEntry, known: &[&str]) -> Vec<&'a RawEntry> {
    let RawValue::Table(entries) = &entry.value.value else {
        out.expected(entry, "a table");
        return Vec::new();
    };
    let mut kept = Vec::new();
    for item in entries {
        if known.contains(&item.key.as_str()) {
            kept.push(item);
        } else {
            unknown_key(out, item, known);
        }
    }
    kept
}

fn base_url(out: &mut Checker<'_>, entry: &RawEntry) -> Option<String> {
    let url = out.text(entry, true)?;
    match normalize_base_url(&url) {
        Ok(url) => Some(url),
        Err(err) => {
            out.problems.push(
                Diagnostic::new(
                    Check::InvalidValue,
                    out.file,
                    format!("\"base_url\": {err}"),
                )
                .at(Some(entry.value.location.clone()))
                .with_hint(BASE_URL_HINT),
            );
            None
        }
    }
}

fn theme(out: &mut Checker<'_>, entry: &RawEntry) -> Option<String> {
    let theme = out.text(entry, true)?;
    let is_name = theme
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if is_name {
        return Some(theme);
    }
    out.problems.push(
        Diagnostic::new(
            Check::InvalidValue,
            out.file,
            format!("\"theme\": \"{theme}\" is not a theme folder name"),
        )
        .at(Some(entry.value.location.clone()))
        .with_hint("use the name of a folder in themes/, made of letters, digits, - and _"),
    );
    None
}

fn severities(out: &mut Checker<'_>, entry: &RawEntry) -> Vec<String> {
    let names = out.strings(entry);
    if names.is_empty() && matches!(&entry.value.value, RawValue::Array(items) if items.is_empty())
    {
        out.error(
            Check::InvalidValue,
            &entry.value,
            "\"severities\" must list at least one severity".into(),
        );
    }
    if let RawValue::Array(nodes) = &entry.value.value {
        let mut first_seen: BTreeMap<&str, &RawNode> = BTreeMap::new();
        for node in nodes {
            let RawValue::String(name) = &node.value else {
                continue;
            };
            match first_seen.get(name.trim()) {
                Some(first) => out.problems.push(
                    Diagnostic::new(
                        Check::InvalidValue,
                        out.file,
                        format!("\"severities\" lists \"{name}\" more than once"),
                    )
                    .at(Some(node.location.clone()))
                    .with_label(first.location.clone(), "first listed here"),
                ),
                None => {
                    first_seen.insert(name.trim(), node);
                }
            }
        }
    }
    names
}

fn duration(out: &mut Checker<'_>, entry: &RawEntry) -> Option<i64> {
    let text = out.text(entry, true)?;
    match crate::text::time::parse_duration(&text) {
        Ok(seconds) => Some(seconds),
        Err(err) => {
            out.error(
                Check::InvalidTime,
                &entry.value,
                format!("\"max_incident_duration\": {err}"),
            );
            None
        }
    }
}

/// `[[services]]`: each a table with a unique `name`, and an optional description and aliases.
fn services(out: &mut Checker<'_>, entry: &RawEntry) -> Vec<ServiceConfig> {
    let RawValue::Array(items) = &entry.value.value else {
        out.expected(entry, "a list of [[services]] tables");
        return Vec::new();
    };
    let mut services = Vec::new();
    let mut slugs: BTreeMap<String, Location> = BTreeMap::new();
    for item in items {
        let Some((service, location)) = service(out, item) else {
            continue;
        };
        let slug = crate::text::slug::slugify(&service.name);
        if slug.is_empty() {
            out.problems.push(
                Diagnostic::new(
                    Check::InvalidSlug,
                    out.file,
                    format!("the service \"{}\" gives an empty URL", service.name),
                )
                .at(Some(location))
                .with_hint("use letters or digits in service names"),
            );
        } else if let Some(first) = slugs.get(&slug) {
            out.problems.push(
                Diagnostic::new(
                    Check::InvalidValue,
                    out.file,
                    format!(
                        "the service \"{}\" is declared twice (or two names give the same URL)",
                        service.name
                    ),
                )
                .at(Some(location))
                .with_label(first.clone(), "first declared here"),
            );
        } else {
            slugs.insert(slug, location);
            services.push(service);
        }
    }
    services
}

/// One `[[services]]` table, with the location of its name; `None` when it has no usable name.
fn service(out: &mut Checker<'_>, item: &RawNode) -> Option<(ServiceConfig, Location)> {
    let RawValue::Table(_) = &item.value else {
        let message = "\"services\": expected a [[services]] table with a name".into();
        out.error(Check::InvalidValue, item, message);
        return None;
    };
    let wrapper = RawEntry {
        key: "services".into(),
        key_location: item.location.clone(),
        value: item.clone(),
    };
    let mut service = ServiceConfig {
        name: String::new(),
        description: None,
        aliases: Vec::new(),
        group: None,
        since: None,
        slo: super::slo::ServiceSlo::default(),
    };
    let mut name_location = None;
    for key in table(out, &wrapper, SERVICE_KEYS) {
        match key.key.as_str() {
            "name" => {
                service.name = out.text(key, true).unwrap_or_default();
                name_location = Some(key.value.location.clone());
            }
            "description" => service.description = out.text(key, false),
            "group" => service.group = out.text(key, true),
            "since" => service.since = date(out, key),
            "aliases" => service.aliases = out.strings(key),
            _ => super::slo::read_service_key(out, key, &mut service.slo),
        }
    }
    let Some(location) = name_location else {
        out.problems.push(
            Diagnostic::new(
                Check::MissingKey,
                out.file,
                "a [[services]] entry has no \"name\"",
            )
            .at(Some(item.location.clone()))
            .with_hint("add a line like name = \"api\""),
        );
        return None;
    };
    (!service.name.is_empty()).then_some((service, location))
}

fn raw_html(out: &mut Checker<'_>, entry: &RawEntry) -> Option<RawHtml> {
    let mode = match &entry.value.value {
        RawValue::String(mode) => mode.as_str(),
        _ => "",
    };
    let parsed = match mode {
        "sanitize" => RawHtml::Sanitize,
        "escape" => RawHtml::Escape,
        "trust" => RawHtml::Trust,
        _ => {
            out.expected(entry, "\"sanitize\", \"escape\" or \"trust\"");
            return None;
        }
    };
    Some(parsed)
}

/// `[checks]`: `name = "allow" | "warn" | "deny"` for each check to change.
fn checks(out: &mut Checker<'_>, entry: &RawEntry, config: &mut Config) {
    let RawValue::Table(items) = &entry.value.value else {
        out.expected(entry, "a table of check names and levels");
        return;
    };
    for item in items {
        let RawValue::String(level) = &item.value.value else {
            out.expected(item, "\"allow\", \"warn\" or \"deny\"");
            continue;
        };
        let Err(err) = config.checks.set(&item.key, level) else {
            continue;
        };
        let (location, hint) = match &err {
            LevelError::UnknownCheck(_) => (
                item.key_location.clone(),
                did_you_mean(&item.key, CHECKS.iter().map(|c| c.name))
                    .or_else(|| Some("docs/checks.md lists every check".into())),
            ),
            _ => (item.value.location.clone(), None),
        };
        let mut diagnostic = Diagnostic::new(
            Check::InvalidCheckLevel,
            out.file,
            format!("\"checks\": {err}"),
        )
        .at(Some(location));
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        out.problems.push(diagnostic);
    }
}

/// `[impact_levels]`: `name = percent` for each level to add or change (0 to 100).
fn impact_levels(out: &mut Checker<'_>, entry: &RawEntry, levels: &mut Vec<(String, u32)>) {
    let RawValue::Table(items) = &entry.value.value else {
        out.expected(
            entry,
            "a table of level names and percentages, like partial = 30",
        );
        return;
    };
    for item in items {
        let percent = match item.value.value {
            RawValue::Integer(i) => i as f64,
            RawValue::Float(f) => f,
            _ => f64::NAN,
        };
        if !(0.0..=100.0).contains(&percent) {
            let found = crate::spanned::describe(&item.value.value);
            out.error(
                Check::InvalidValue,
                &item.value,
                format!(
                    "\"impact_levels\": \"{}\" must be a percentage of users from 0 to 100, like 30, found {found}",
                    item.key
                ),
            );
            continue;
        }
        let basis_points = (percent * 100.0).round() as u32;
        match levels.iter_mut().find(|(name, _)| *name == item.key) {
            Some((_, weight)) => *weight = basis_points,
            None => levels.push((item.key.clone(), basis_points)),
        }
    }
}
