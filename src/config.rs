//! `aftermath.toml`: the site's settings, strict and with a documented default for every key.
//!
//! The file is optional. Unknown keys are errors with a "did you mean" hint (a typo must never be
//! silently ignored), and values are checked here once (time zone, base URL, severities,
//! services) so later stages can trust them. See `docs/configuration.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::diagnostics::{CHECKS, Check, Diagnostic, Diagnostics, LevelError, Levels, SourceText};
use crate::suggest::did_you_mean;

/// The name of the configuration file in a site root.
pub const CONFIG_FILE: &str = "aftermath.toml";

/// The site configuration after validation.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub timezone: Tz,
    pub theme: String,
    pub output_dir: PathBuf,
    pub language: String,
    /// From most to least severe.
    pub severities: Vec<String>,
    pub services: Vec<ServiceConfig>,
    pub raw_html: RawHtml,
    /// Incidents longer than this (in seconds) get a warning: usually a typo in `end`.
    pub max_incident_seconds: i64,
    /// Free-form table handed to templates as `config.extra`.
    pub extra: serde_json::Value,
    /// Levels set in `[checks]` (see `docs/checks.md`).
    pub checks: Levels,
}

/// A declared service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Other words for the service, used by `aftermath import` to recognise it in prose.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// What happens to raw HTML written in postmortems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep safe HTML (tables, details, ...), drop scripts, event handlers and unsafe URLs.
    Sanitize,
    /// Show raw HTML as text.
    Escape,
    /// Pass it through untouched: only for sites whose every author is trusted.
    Trust,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    output_dir: Option<PathBuf>,
    language: Option<String>,
    severities: Option<Vec<String>>,
    max_incident_duration: Option<String>,
    #[serde(default)]
    services: Vec<ServiceConfig>,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    extra: Option<toml::Table>,
    #[serde(default)]
    checks: toml::Table,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkdownConfig {
    raw_html: Option<RawHtml>,
}

/// Every top-level key of `aftermath.toml`.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "timezone",
    "theme",
    "output_dir",
    "language",
    "severities",
    "max_incident_duration",
    "services",
    "markdown",
    "checks",
    "extra",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Incident history".into(),
            description: String::new(),
            base_url: "/".into(),
            timezone: Tz::UTC,
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            language: "en".into(),
            severities: vec!["critical".into(), "major".into(), "minor".into()],
            services: Vec::new(),
            raw_html: RawHtml::Sanitize,
            max_incident_seconds: 30 * 86_400,
            extra: serde_json::Value::Object(serde_json::Map::new()),
            checks: Levels::default(),
        }
    }
}

impl Config {
    /// Reads `aftermath.toml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, Path::new(CONFIG_FILE)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(err) => {
                let mut all = Diagnostics::new();
                all.push(Diagnostic::new(
                    Check::UnreadableFile,
                    CONFIG_FILE,
                    format!("cannot read the file: {err}"),
                ));
                Err(all)
            }
        }
    }

    /// What postmortems are checked against when `aftermath.toml` has errors, so one run
    /// reports the configuration's problems and the content's: the defaults, with each
    /// top-level key that is valid on its own. (A key with a mistake counts as unset, so a
    /// content error that follows from it may disappear once the key is fixed.)
    pub fn salvage(root: &Path) -> Config {
        let Ok(text) = std::fs::read_to_string(root.join(CONFIG_FILE)) else {
            return Config::default();
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            return Config::default();
        };
        let valid = |table: &toml::Table| Config::parse(&table.to_string(), Path::new(CONFIG_FILE));
        let kept: toml::Table = table
            .into_iter()
            .filter(|(key, value)| {
                let mut alone = toml::Table::new();
                alone.insert(key.clone(), value.clone());
                valid(&alone).is_ok()
            })
            .collect();
        valid(&kept).unwrap_or_default()
    }

    /// Parses and validates the text of a configuration file shown as `file` in messages.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Diagnostics> {
        let source = SourceText::new(text);
        let mut problems = Diagnostics::new();
        let raw: ConfigFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(err) => {
                let span = err.span().unwrap_or(0..0);
                let message = err.message().trim().to_string();
                let hint = unknown_key_hint(&message);
                let check = match hint {
                    Some(_) => Check::UnknownKey,
                    None => Check::ConfigSyntax,
                };
                let mut diagnostic = Diagnostic::new(check, file, config_message(&message))
                    .at(Some(source.locate(span.start, span.end)));
                if let Some(hint) = hint {
                    diagnostic = diagnostic.with_hint(hint);
                }
                problems.push(diagnostic);
                return Err(problems);
            }
        };
        let defaults = Config::default();
        let locate =
            |path: &[Step<'_>]| span_of(text, path).map(|span| source.locate(span.start, span.end));
        let mut error = |check: Check, path: &[Step<'_>], message: String, hint: Option<&str>| {
            let mut d = Diagnostic::new(check, file, message).at(locate(path));
            if let Some(hint) = hint {
                d = d.with_hint(hint);
            }
            problems.push(d);
        };

        let timezone = match raw.timezone.as_deref() {
            None => defaults.timezone,
            Some(name) => Tz::from_str(name).unwrap_or_else(|_| {
                let hint = did_you_mean(name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
                error(
                    Check::UnknownTimeZone,
                    &[Step::Key("timezone")],
                    format!("\"timezone\": \"{name}\" is not an IANA time zone name"),
                    Some(&hint.unwrap_or_else(|| {
                        "use a name like \"UTC\", \"Europe/Berlin\" or \"America/New_York\"".into()
                    })),
                );
                Tz::UTC
            }),
        };
        let base_url = match raw.base_url {
            None => defaults.base_url.clone(),
            Some(url) => normalize_base_url(&url).unwrap_or_else(|message| {
                error(
                    Check::InvalidValue,
                    &[Step::Key("base_url")],
                    format!("\"base_url\": {message}"),
                    Some(BASE_URL_HINT),
                );
                url
            }),
        };
        let theme = raw.theme.unwrap_or(defaults.theme.clone());
        if theme.is_empty()
            || !theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            error(
                Check::InvalidValue,
                &[Step::Key("theme")],
                format!("\"theme\": \"{theme}\" is not a theme folder name"),
                Some("use the name of a folder in themes/, made of letters, digits, - and _"),
            );
        }
        let severities = raw.severities.unwrap_or(defaults.severities.clone());
        if severities.is_empty() {
            error(
                Check::InvalidValue,
                &[Step::Key("severities")],
                "\"severities\" must list at least one severity".into(),
                None,
            );
        }
        let mut seen = BTreeSet::new();
        for (index, severity) in severities.iter().enumerate() {
            if severity.trim().is_empty() || !seen.insert(severity.as_str()) {
                error(
                    Check::InvalidValue,
                    &[Step::Key("severities"), Step::Index(index)],
                    format!("\"severities\" lists \"{severity}\" more than once or empty"),
                    None,
                );
            }
        }
        let mut names = BTreeSet::new();
        for (index, service) in raw.services.iter().enumerate() {
            let at = [Step::Key("services"), Step::Index(index), Step::Key("name")];
            if service.name.trim().is_empty() {
                error(
                    Check::InvalidValue,
                    &at,
                    "a [[services]] entry has an empty \"name\"".into(),
                    None,
                );
            } else if !names.insert(crate::text::slug::slugify(&service.name)) {
                error(
                    Check::InvalidValue,
                    &at,
                    format!(
                        "the service \"{}\" is declared twice (or two names give the same URL)",
                        service.name
                    ),
                    None,
                );
            }
        }
        let max_incident_seconds = match raw.max_incident_duration.as_deref() {
            None => defaults.max_incident_seconds,
            Some(text) => crate::text::time::parse_duration(text).unwrap_or_else(|message| {
                error(
                    Check::InvalidTime,
                    &[Step::Key("max_incident_duration")],
                    format!("\"max_incident_duration\": {message}"),
                    None,
                );
                defaults.max_incident_seconds
            }),
        };
        let mut checks = Levels::default();
        for (name, level) in &raw.checks {
            let result = match level.as_str() {
                Some(level) => checks.set(name, level),
                None => Err(LevelError::UnknownLevel(level.to_string())),
            };
            if let Err(err) = result {
                let hint = match &err {
                    LevelError::UnknownCheck(_) => {
                        did_you_mean(name, CHECKS.iter().map(|c| c.name))
                            .or_else(|| Some("docs/checks.md lists every check".into()))
                    }
                    _ => None,
                };
                error(
                    Check::InvalidCheckLevel,
                    &[Step::Key("checks"), Step::Key(name)],
                    format!("\"checks\": {err}"),
                    hint.as_deref(),
                );
            }
        }
        let extra = raw
            .extra
            .map(|t| serde_json::to_value(t).unwrap_or_default())
            .unwrap_or(defaults.extra.clone());
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Config {
            title: raw.title.unwrap_or(defaults.title),
            description: raw.description.unwrap_or_default(),
            base_url,
            timezone,
            theme,
            output_dir: raw.output_dir.unwrap_or(defaults.output_dir),
            language: raw.language.unwrap_or(defaults.language),
            severities,
            services: raw.services,
            raw_html: raw.markdown.raw_html.unwrap_or(RawHtml::Sanitize),
            max_incident_seconds,
            extra,
            checks,
        })
    }

    /// Whether `[[services]]` are declared (then postmortems may name only those).
    pub fn declares_services(&self) -> bool {
        !self.services.is_empty()
    }

    /// Rank of a severity: 0 is the most severe; `None` if it is not one of the site's.
    pub fn severity_rank(&self, severity: &str) -> Option<usize> {
        self.severities.iter().position(|s| s == severity)
    }

    /// The path part of `base_url`, like `/status/`, for pages served at any depth (404.html).
    pub fn base_path(&self) -> String {
        let without_scheme = self
            .base_url
            .strip_prefix("https://")
            .or_else(|| self.base_url.strip_prefix("http://"));
        match without_scheme {
            Some(rest) => rest
                .find('/')
                .map_or("/".to_string(), |i| rest[i..].to_string()),
            None => self.base_url.clone(),
        }
    }
}

/// One step of the way to a value in `aftermath.toml`: a key of a table or an item of a list.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The span of the value at `path` (of its key, when the path ends with a key), read from the
/// parsed tree, so a problem points at the very entry it is about.
fn span_of(text: &str, path: &[Step<'_>]) -> Option<std::ops::Range<usize>> {
    use toml::de::{DeTable, DeValue};
    fn in_table(table: &DeTable<'_>, path: &[Step<'_>]) -> Option<std::ops::Range<usize>> {
        let (Step::Key(key), rest) = path.split_first()? else {
            return None;
        };
        let (name, value) = table.iter().find(|(name, _)| name.get_ref() == key)?;
        if rest.is_empty() {
            return Some(name.span());
        }
        in_value(value.get_ref(), value.span(), rest)
    }
    fn in_value(
        value: &DeValue<'_>,
        span: std::ops::Range<usize>,
        path: &[Step<'_>],
    ) -> Option<std::ops::Range<usize>> {
        match (path.first(), value) {
            (None, _) => Some(span),
            (Some(Step::Index(index)), DeValue::Array(items)) => {
                let item = items.get(*index)?;
                in_value(item.get_ref(), item.span(), &path[1..])
            }
            (Some(Step::Key(_)), DeValue::Table(table)) => in_table(table, path),
            _ => None,
        }
    }
    let root = DeTable::parse(text).ok()?;
    in_table(root.get_ref(), path)
}

const BASE_URL_HINT: &str = "use the address the site is published at, like \"https://status.example.com/\" or \"https://example.org/status/\"";

/// A base URL that is neither an absolute http(s) URL nor a path starting with `/`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not an absolute URL")]
pub struct NotABaseUrl(pub String);

/// Checks a base URL (absolute http(s) URL or a path starting with `/`) and ends it with `/`.
pub fn normalize_base_url(url: &str) -> Result<String, NotABaseUrl> {
    let ok = url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
    if !ok || url.contains(char::is_whitespace) || url.contains(['"', '<', '>']) {
        return Err(NotABaseUrl(url.to_string()));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// Rewords toml's messages where they would confuse a site author.
fn config_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    if first.starts_with("unknown field") {
        let key = first.split('`').nth(1).unwrap_or("?");
        format!("unknown key \"{key}\"")
    } else {
        first.to_string()
    }
}

fn unknown_key_hint(message: &str) -> Option<String> {
    let key = message.strip_prefix("unknown field `")?.split('`').next()?;
    did_you_mean(key, TOP_LEVEL_KEYS.iter().copied()).or_else(|| {
        Some(format!(
            "known keys are {}; put your own settings under [extra]",
            TOP_LEVEL_KEYS.join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("aftermath.toml")).map_err(|d| d.to_string())
    }

    #[test]
    fn problems_point_at_the_entry_they_are_about() {
        let text = "severities = [\"critical\", \"minor\", \"critical\"]\n\n[[services]]\nname = \"api\"\n\n[[services]]\nname = \"web\"\n\n[[services]]\nname = \"API\"\n";
        let report = parse(text).unwrap_err();
        assert!(
            report.contains("error: aftermath.toml:1:36: \"severities\" lists \"critical\" more than once or empty"),
            "the third item, not the key: {report}"
        );
        assert!(
            report.contains("error: aftermath.toml:10:1: the service \"API\" is declared twice"),
            "the third [[services]] entry, not the first name line: {report}"
        );
    }

    #[test]
    fn every_key_has_a_default() {
        let config = parse("").unwrap();
        assert_eq!(config.title, "Incident history");
        assert_eq!(config.timezone, Tz::UTC);
        assert_eq!(config.severities, ["critical", "major", "minor"]);
        assert_eq!(config.raw_html, RawHtml::Sanitize);
        assert_eq!(config.base_url, "/");
    }

    #[test]
    fn reads_services_timezone_and_base_path() {
        let config = parse(
            "title = \"Acme\"\nbase_url = \"https://example.org/status\"\ntimezone = \"Europe/Berlin\"\n[[services]]\nname = \"api\"\ndescription = \"Public API\"\n",
        )
        .unwrap();
        assert_eq!(config.base_url, "https://example.org/status/");
        assert_eq!(config.base_path(), "/status/");
        assert_eq!(config.timezone, chrono_tz::Europe::Berlin);
        assert_eq!(
            config.services[0].description.as_deref(),
            Some("Public API")
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let err = parse("titel = \"Acme\"\n").unwrap_err();
        assert!(
            err.starts_with("error: aftermath.toml:1:1: unknown key \"titel\""),
            "{err}"
        );
        assert!(err.contains("hint: did you mean \"title\"?"), "{err}");
    }

    #[test]
    fn bad_values_are_all_reported() {
        let err =
            parse("timezone = \"Europe/Berln\"\nbase_url = \"example.org\"\ntheme = \"../x\"\n")
                .unwrap_err();
        assert!(
            err.contains(
                "aftermath.toml:1:1: \"timezone\": \"Europe/Berln\" is not an IANA time zone name"
            ),
            "{err}"
        );
        assert!(err.contains("did you mean \"Europe/Berlin\"?"), "{err}");
        assert!(err.contains("aftermath.toml:2:1: \"base_url\""), "{err}");
        assert!(err.contains("aftermath.toml:3:1: \"theme\""), "{err}");
    }
}
