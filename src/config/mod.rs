//! `aftermath.toml`: the site's settings, strict and with a documented default for every key.
//!
//! The file is optional. It is read into the same spanned tree as front matter and checked key
//! by key (`keys.rs`): unknown keys are errors with a "did you mean" hint (a typo must never be
//! silently ignored), every problem is reported at its key or value in one run, and values are
//! checked here once (time zone, base URL, severities, services) so later stages can trust
//! them. See `docs/configuration.md`.

mod keys;
pub mod slo;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::diagnostics::{Check, Diagnostic, Diagnostics, Levels};

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
    /// Where `build` keeps what it can reuse next time (`.aftermath-cache`, under the root).
    pub cache_dir: PathBuf,
    pub language: String,
    /// The language's messages and formats (`language`, with the theme's catalog for it).
    pub locale: crate::i18n::Locale,
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
    /// The day (site zone) the history begins; `None`: the day of the first incident.
    pub history_start: Option<NaiveDate>,
    /// Whether a postmortem without `detected` takes it from a timeline event that says the
    /// problem was detected (see `content::detection`).
    pub detect_from_timeline: bool,
    /// The named levels `[[impact]]` tables may give instead of a percentage, in basis points
    /// (10000 = 100 %): the defaults, then the site's own, each name once.
    pub impact_levels: Vec<(String, u32)>,
    /// `[slo]`: the objective services have unless they set their own, and the alert share.
    pub slo: slo::SloDefaults,
    /// Where `build --audience internal` writes, unless `--output` says otherwise.
    pub internal_output_dir: PathBuf,
    /// Who the build is for. Not a key of the file: `--audience` sets it, so that everything
    /// read with the configuration (postmortems, pages) follows it.
    pub audience: Audience,
}

/// Who a build is for: the public (the default), or the organisation, with the postmortems
/// and blocks marked internal (see `content::internal`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Audience {
    #[default]
    Public,
    Internal,
}

/// The levels an `[[impact]]` window may name, by default (`[impact_levels]` may change them
/// and add more): "degraded" is slow or erroring for some but not down (0 %), "partial" takes
/// 30 % of users down and "major" all of them, the weights Statuspage-style uptime uses for
/// partial and major outages.
pub const DEFAULT_IMPACT_LEVELS: [(&str, u32); 3] =
    [("degraded", 0), ("partial", 3_000), ("major", 10_000)];

/// A declared service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    pub name: String,
    pub description: Option<String>,
    /// Other words for the service, used by `aftermath import` to recognise it in prose.
    pub aliases: Vec<String>,
    /// The group the index shows it in (services of one group share a summary row).
    pub group: Option<String>,
    /// The day (site zone) the service began, if after the history's start.
    pub since: Option<NaiveDate>,
    /// Its own `slo`, `slo_window` and `slo_weighted`, over the site's `[slo]`.
    pub slo: slo::ServiceSlo,
}

/// What happens to raw HTML written in postmortems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Keep safe HTML (tables, details, ...), drop scripts, event handlers and unsafe URLs.
    Sanitize,
    /// Show raw HTML as text.
    Escape,
    /// Pass it through untouched: only for sites whose every author is trusted.
    Trust,
}

/// Every top-level key of `aftermath.toml`.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "timezone",
    "history_start",
    "detect_from_timeline",
    "theme",
    "output_dir",
    "internal_output_dir",
    "cache_dir",
    "language",
    "severities",
    "max_incident_duration",
    "services",
    "markdown",
    "checks",
    "impact_levels",
    "slo",
    "extra",
];

impl Config {
    /// Where a build for this audience goes: `output_dir`, or `internal_output_dir`.
    pub fn output_folder(&self) -> &std::path::Path {
        match self.audience {
            Audience::Public => &self.output_dir,
            Audience::Internal => &self.internal_output_dir,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Incident history".into(),
            description: String::new(),
            base_url: "/".into(),
            timezone: Tz::UTC,
            theme: "default".into(),
            output_dir: PathBuf::from("public"),
            cache_dir: PathBuf::from(".aftermath-cache"),
            language: "en".into(),
            locale: crate::i18n::Locale::english(),
            severities: vec!["critical".into(), "major".into(), "minor".into()],
            services: Vec::new(),
            raw_html: RawHtml::Sanitize,
            max_incident_seconds: 30 * 86_400,
            extra: serde_json::Value::Object(serde_json::Map::new()),
            checks: Levels::default(),
            history_start: None,
            detect_from_timeline: true,
            impact_levels: DEFAULT_IMPACT_LEVELS
                .iter()
                .map(|(name, basis_points)| ((*name).to_string(), *basis_points))
                .collect(),
            slo: slo::SloDefaults::default(),
            internal_output_dir: PathBuf::from("public-internal"),
            audience: Audience::Public,
        }
    }
}

impl Config {
    /// Reads `aftermath.toml` from `root`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let (config, problems) = Config::load_checked(root);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    /// Reads `aftermath.toml` from `root` and returns it with every problem it has. Postmortems
    /// are checked against this configuration even when it has errors, so one run reports the
    /// configuration's problems and the content's: a key with a mistake counts as unset (so a
    /// content error that follows from it may disappear once the key is fixed).
    pub fn load_checked(root: &Path) -> (Config, Diagnostics) {
        match std::fs::read_to_string(root.join(CONFIG_FILE)) {
            Ok(text) => keys::read(&text, Path::new(CONFIG_FILE), Some(root)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                keys::read("", Path::new(CONFIG_FILE), Some(root))
            }
            Err(err) => {
                let mut problems = Diagnostics::new();
                problems.push(Diagnostic::new(
                    Check::UnreadableFile,
                    CONFIG_FILE,
                    format!("cannot read the file: {err}"),
                ));
                (Config::default(), problems)
            }
        }
    }

    /// Parses and validates the text of a configuration file shown as `file` in messages.
    pub fn parse(text: &str, file: &Path) -> Result<Config, Diagnostics> {
        let (config, problems) = keys::read(text, file, None);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(config)
    }

    /// Whether `[[services]]` are declared (then postmortems may name only those).
    pub fn declares_services(&self) -> bool {
        !self.services.is_empty()
    }

    /// Rank of a severity: 0 is the most severe; `None` if it is not one of the site's.
    pub fn severity_rank(&self, severity: &str) -> Option<usize> {
        self.severities.iter().position(|s| s == severity)
    }

    /// The weight of a named impact level, in basis points.
    pub fn impact_level(&self, name: &str) -> Option<u32> {
        self.impact_levels
            .iter()
            .find(|(level, _)| level == name)
            .map(|(_, basis_points)| *basis_points)
    }

    /// The objective of a service (declared or not), or `None` when it has no target.
    pub fn objective(&self, service: &str) -> Option<slo::Objective> {
        let own = self
            .services
            .iter()
            .find(|s| s.name == service)
            .map(|s| s.slo.clone())
            .unwrap_or_default();
        self.slo.objective(&own)
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

pub(crate) const BASE_URL_HINT: &str = "use the address the site is published at, like \"https://status.example.com/\" or \"https://example.org/status/\"";

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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("aftermath.toml")).map_err(|d| d.to_string())
    }

    #[test]
    fn problems_point_at_the_entry_they_are_about_and_the_first_one() {
        let text = "severities = [\"critical\", \"minor\", \"critical\"]\n\n[[services]]\nname = \"api\"\n\n[[services]]\nname = \"web\"\n\n[[services]]\nname = \"API\"\n";
        assert_eq!(
            parse(text).unwrap_err(),
            r#"error: aftermath.toml:1:36: "severities" lists "critical" more than once
  |
1 | severities = ["critical", "minor", "critical"]
  |               ----------           ^^^^^^^^^^
  |               |
  |               first listed here
  |
  = check: invalid-value

error: aftermath.toml:10:8: the service "API" is declared twice (or two names give the same URL)
   |
 4 | name = "api"
   |        ----- first declared here
   |
  ::: aftermath.toml:10:8
   |
10 | name = "API"
   |        ^^^^^
   |
   = check: invalid-value

"#
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
    fn bad_values_are_all_reported_at_the_value() {
        let err = parse(
            "timezone = \"Europe/Berln\"\nbase_url = \"example.org\"\ntheme = \"../x\"\ntitle = 5\n[[services]]\ndescription = \"no name\"\nnmae = \"x\"\n[markdown]\nraw_html = \"off\"\n",
        )
        .unwrap_err();
        let headers: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(
            headers,
            [
                "error: aftermath.toml:1:12: \"timezone\": \"Europe/Berln\" is not an IANA time zone name",
                "error: aftermath.toml:2:12: \"base_url\": \"example.org\" is not an absolute URL",
                "error: aftermath.toml:3:9: \"theme\": \"../x\" is not a theme folder name",
                "error: aftermath.toml:4:9: \"title\": expected a string in quotes, found the integer 5",
                "error: aftermath.toml:5:1: a [[services]] entry has no \"name\"",
                "error: aftermath.toml:7:1: unknown key \"nmae\"",
                "error: aftermath.toml:9:12: \"raw_html\": expected \"sanitize\", \"escape\" or \"trust\", found \"off\"",
            ],
            "{err}"
        );
        assert!(err.contains("did you mean \"Europe/Berlin\"?"), "{err}");
        assert!(err.contains("did you mean \"name\"?"), "{err}");
    }

    #[test]
    fn a_key_with_a_problem_keeps_its_default_and_the_others_are_read() {
        let (config, problems) = keys::read(
            "title = \"Acme\"\ntimezone = \"Mars/Olympus\"\nseverities = [\"sev1\", \"sev1\"]\n[checks]\nlocal-time = \"deny\"\n",
            Path::new(CONFIG_FILE),
            None,
        );
        assert_eq!(problems.error_count(), 2);
        assert_eq!(config.title, "Acme");
        assert_eq!(config.timezone, Tz::UTC);
        assert_eq!(config.severities, ["critical", "major", "minor"]);
        assert_eq!(
            config.checks.level(Check::LocalTime),
            crate::diagnostics::Level::Deny
        );
    }

    #[test]
    fn impact_levels_change_the_defaults_and_add_new_ones() {
        let config = parse("[impact_levels]\npartial = 50\nbrownout = 2.5\n").unwrap();
        assert_eq!(config.impact_level("degraded"), Some(0));
        assert_eq!(config.impact_level("partial"), Some(5_000));
        assert_eq!(config.impact_level("major"), Some(10_000));
        assert_eq!(config.impact_level("brownout"), Some(250));
        assert_eq!(config.impact_level("severe"), None);
        let err = parse("[impact_levels]\nhuge = 130\n").unwrap_err();
        assert!(
            err.starts_with("error: aftermath.toml:2:8: \"impact_levels\": \"huge\" must be a percentage of users from 0 to 100, like 30, found the integer 130"),
            "{err}"
        );
    }

    #[test]
    fn objectives_come_from_the_service_over_the_site() {
        use slo::SloWindow;
        let config = parse(
            "[slo]\ntarget = \"99.9%\"\nwindow = \"28d\"\n[[services]]\nname = \"api\"\nslo = 99.95\nslo_window = \"quarter\"\nslo_weighted = false\n[[services]]\nname = \"web\"\n",
        )
        .unwrap();
        let api = config.objective("api").unwrap();
        assert_eq!(
            (api.target_ppm, api.window, api.weighted),
            (999_500, SloWindow::Quarter, false)
        );
        let web = config.objective("web").unwrap();
        assert_eq!(
            (web.target_ppm, web.window, web.weighted),
            (999_000, SloWindow::Rolling { days: 28 }, true)
        );
        assert_eq!(parse("").unwrap().objective("api"), None);
    }

    #[test]
    fn bad_objectives_are_reported_at_their_values() {
        let err = parse(
            "[slo]\ntarget = \"100%\"\nwindow = \"week\"\nbudget_alert = 120\nweighted = \"yes\"\nwindw = \"30d\"\n[[services]]\nname = \"api\"\nslo = \"high\"\nslo_window = \"0d\"\n",
        )
        .unwrap_err();
        let headers: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(
            headers,
            [
                "error: aftermath.toml:2:10: \"target\": 100% is not a target: use a percentage above 0 and below 100 with at most four decimals, like 99.95",
                "error: aftermath.toml:3:10: \"window\": expected a rolling window like \"28d\", \"30d\" or \"90d\", or \"month\" or \"quarter\", found \"week\"",
                "error: aftermath.toml:4:16: \"budget_alert\": 120% is outside 0 to 100",
                "error: aftermath.toml:5:12: \"weighted\": expected true or false, found \"yes\"",
                "error: aftermath.toml:6:1: unknown key \"windw\"",
                "error: aftermath.toml:9:7: \"slo\": expected a target like \"99.9%\" or 99.9, found \"high\"",
                "error: aftermath.toml:10:14: \"slo_window\": expected a rolling window like \"28d\", \"30d\" or \"90d\", or \"month\" or \"quarter\", found \"0d\"",
            ],
            "{err}"
        );
        assert!(err.contains("did you mean \"window\"?"), "{err}");
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse("title = \"a\"\ntitle = \"b\"\n").unwrap_err();
        assert!(
            err.starts_with(
                "error: aftermath.toml:2:1: TOML syntax error: duplicate key \"title\""
            ),
            "{err}"
        );
        assert!(err.contains("= check: config-syntax"), "{err}");
    }
}
