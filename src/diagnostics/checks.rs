//! The registry of checks: every problem Aftermath reports belongs to one named check, with a
//! default level and a line of documentation, declared once in [`checks!`] below.
//!
//! The names are a contract, like cargo's lint names: they appear in every output format
//! (`check: end-before-start` in human output, `"check"` in JSON, `title=` in GitHub
//! annotations), `[checks]` in `aftermath.toml` sets levels by name, and `docs/checks.md`'s
//! table is generated from this list (a test keeps them in sync). Only warnings can be
//! relaxed or raised: an error means the numbers would be wrong or the output unsafe, so no
//! setting can turn one into a warning.

use std::collections::BTreeMap;

/// What happens when a check finds a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported; the build goes ahead.
    Warn,
    /// Reported as an error; the build stops.
    Deny,
}

impl Level {
    /// The word used in `aftermath.toml` and in the docs.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    pub fn from_name(name: &str) -> Option<Level> {
        [Level::Allow, Level::Warn, Level::Deny]
            .into_iter()
            .find(|level| level.name() == name)
    }
}

/// One row of the registry.
#[derive(Debug)]
pub struct CheckInfo {
    pub check: Check,
    /// The kebab-case name users write and grep for.
    pub name: &'static str,
    pub default: Level,
    /// Whether `[checks]` may change the level (only warnings may).
    pub configurable: bool,
    /// One line for `docs/checks.md`.
    pub summary: &'static str,
}

/// Declares the [`Check`] enum and the [`CHECKS`] table from one list, so they cannot drift.
macro_rules! checks {
    ($( $variant:ident $name:literal $default:ident $summary:literal ),* $(,)?) => {
        /// Every check Aftermath runs, in the order of `docs/checks.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[derive(serde::Serialize, serde::Deserialize)]
        pub enum Check {
            $( $variant, )*
        }

        /// The registry, indexed by `Check as usize`.
        pub const CHECKS: &[CheckInfo] = &[
            $( CheckInfo {
                check: Check::$variant,
                name: $name,
                default: Level::$default,
                configurable: matches!(Level::$default, Level::Warn),
                summary: $summary,
            }, )*
        ];
    };
}

checks! {
    // The file.
    UnreadableFile "unreadable-file" Deny "a file or folder entry cannot be read",
    NotUtf8 "not-utf8" Deny "a postmortem or template is not UTF-8 text",
    NoFrontMatter "no-front-matter" Deny "a postmortem is empty, has no front matter, or never closes it",
    FrontMatterSyntax "front-matter-syntax" Deny "the front matter is not valid TOML or YAML (also duplicate keys and YAML nested over 32 levels)",
    SymlinkOutsideRoot "symlink-outside-root" Deny "a symbolic link leads outside the site root or the theme folder, or nowhere",
    SymlinkToFolder "symlink-to-folder" Warn "a symbolic link to a folder inside content/ is not followed",
    // Keys and values.
    UnknownKey "unknown-key" Deny "a key Aftermath does not know, in front matter or aftermath.toml",
    MissingKey "missing-key" Deny "a postmortem without `title` or `start`",
    InvalidValue "invalid-value" Deny "a value of the wrong type, empty, repeated or out of range",
    UnknownValue "unknown-value" Deny "a severity or kind the site does not define",
    UndeclaredService "undeclared-service" Deny "a service not declared in `[[services]]` when the site declares them",
    InvalidSlug "invalid-slug" Deny "a slug, file name or service name that cannot be a URL",
    LimitExceeded "limit-exceeded" Deny "more services, tags, characters or nesting than Aftermath accepts",
    UnknownTimeZone "unknown-time-zone" Deny "a `timezone` that is not an IANA time zone name",
    // Times.
    InvalidTime "invalid-time" Deny "a date, time or duration that cannot be read, does not exist or is outside 1970 to 2099",
    LocalTime "local-time" Warn "a time without UTC offset, read in the site's time zone",
    EndBeforeStart "end-before-start" Deny "`end` is before or the same as `start`",
    EndAndDuration "end-and-duration" Deny "both `end` and `duration` are given",
    DetectedBeforeStart "detected-before-start" Deny "`detected` is before `start`",
    DetectedAfterEnd "detected-after-end" Warn "`detected` is after `end`",
    DetectedInTheFuture "detected-in-the-future" Warn "`detected` is after the as-of time (the build's \"now\")",
    LongIncident "long-incident" Warn "an incident longer than `max_incident_duration` (usually a typo in `end`)",
    OngoingTooLong "ongoing-too-long" Warn "an ongoing incident open longer than `max_incident_duration`",
    InternalBlock "internal-block" Deny "an `<!-- internal -->` block left open, nested, or a closing marker without one",
    TimelineBeforeStart "timeline-before-start" Warn "a timeline event before `start`",
    TimelineAfterEnd "timeline-after-end" Warn "a timeline event after `end`",
    TimelineOutOfOrder "timeline-out-of-order" Warn "timeline events that go back in time",
    BudgetWithoutActions "budget-without-actions" Warn "an incident that used more than `budget_alert` of an error budget has no action items",
    OverdueActionItem "overdue-action-item" Warn "an open action item whose due day has passed",
    ImportTodo "import-todo" Warn "a `# TODO` line that `aftermath import` left for a value it could not find",
    // The site.
    DuplicateUrl "duplicate-url" Deny "two incidents that would be written to one URL",
    DuplicateServicePage "duplicate-service-page" Deny "two spellings of a service that would share one page",
    ConfigSyntax "config-syntax" Deny "`aftermath.toml` is not valid TOML",
    InvalidCheckLevel "invalid-check-level" Deny "`[checks]` names an unknown check or relaxes an error",
    MissingTheme "missing-theme" Deny "the configured theme folder does not exist",
    ThemeFile "theme-file" Deny "a theme file that would overwrite a page, leave the output folder, or cannot be published",
    TemplateError "template-error" Deny "a template syntax error, or an error while rendering any page",
    CatalogSyntax "catalog-syntax" Deny "a theme's message catalog (`i18n/<lang>.toml`) is not valid TOML or has a malformed message",
    UnknownLanguage "unknown-language" Deny "a `language` that is not a language tag, or one with no catalog and no locale data",
    CatalogMissingKey "catalog-missing-key" Warn "a theme's catalog for a language Aftermath has no catalog of lacks a message (English is shown)",
    CatalogUnusedKey "catalog-unused-key" Warn "a theme's catalog has a message that neither the theme nor Aftermath uses",
    UnsafeOutputDir "unsafe-output-dir" Deny "an `output_dir` that would overwrite or delete sources",
    InvalidOption "invalid-option" Deny "a command-line value (such as `--base-url`) that is not valid",
    OutputError "output-error" Deny "the output folder cannot be written",
    InternalError "internal-error" Deny "a bug in Aftermath; please report it",
}

impl Check {
    pub fn info(self) -> &'static CheckInfo {
        &CHECKS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn from_name(name: &str) -> Option<Check> {
        CHECKS
            .iter()
            .find(|info| info.name == name)
            .map(|info| info.check)
    }
}

/// Levels set in `[checks]`, on top of each check's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels {
    overrides: BTreeMap<Check, Level>,
}

/// Why a `[checks]` entry is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    #[error("there is no check named \"{0}\"")]
    UnknownCheck(String),
    #[error("\"{0}\" is not a level; use \"allow\", \"warn\" or \"deny\"")]
    UnknownLevel(String),
    #[error(
        "\"{check}\" is an error and stays one: it means numbers would be wrong or output unsafe"
    )]
    Fixed { check: &'static str },
}

impl Levels {
    /// Records `name = level`, as written in `[checks]`.
    pub fn set(&mut self, name: &str, level: &str) -> Result<(), LevelError> {
        let check = Check::from_name(name).ok_or_else(|| LevelError::UnknownCheck(name.into()))?;
        let level =
            Level::from_name(level).ok_or_else(|| LevelError::UnknownLevel(level.into()))?;
        let info = check.info();
        if !info.configurable && level != info.default {
            return Err(LevelError::Fixed { check: info.name });
        }
        self.overrides.insert(check, level);
        Ok(())
    }

    pub fn level(&self, check: Check) -> Level {
        self.overrides
            .get(&check)
            .copied()
            .unwrap_or(check.info().default)
    }
}

/// The Markdown table of every check, as it stands in `docs/checks.md`.
pub fn docs_table() -> String {
    let mut table =
        String::from("| check | default | can be changed | what it finds |\n|---|---|---|---|\n");
    for info in CHECKS {
        let changeable = if info.configurable { "yes" } else { "no" };
        table.push_str(&format!(
            "| `{}` | {} | {changeable} | {} |\n",
            info.name,
            info.default.name(),
            info.summary
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_the_enum_and_names_are_unique_kebab_case() {
        let mut names = std::collections::BTreeSet::new();
        for (index, info) in CHECKS.iter().enumerate() {
            assert_eq!(info.check as usize, index);
            assert_eq!(Check::from_name(info.name), Some(info.check));
            assert!(names.insert(info.name), "{} twice", info.name);
            assert!(
                info.name.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{}",
                info.name
            );
            assert_ne!(
                info.default,
                Level::Allow,
                "{} would never be seen",
                info.name
            );
        }
    }

    #[test]
    fn warnings_can_be_relaxed_or_raised_and_errors_cannot_be_relaxed() {
        let mut levels = Levels::default();
        levels.set("timeline-after-end", "allow").unwrap();
        levels.set("local-time", "deny").unwrap();
        levels.set("end-before-start", "deny").unwrap();
        assert_eq!(levels.level(Check::TimelineAfterEnd), Level::Allow);
        assert_eq!(levels.level(Check::LocalTime), Level::Deny);
        assert_eq!(levels.level(Check::TimelineOutOfOrder), Level::Warn);
        assert_eq!(
            levels
                .set("end-before-start", "warn")
                .unwrap_err()
                .to_string(),
            "\"end-before-start\" is an error and stays one: it means numbers would be wrong or output unsafe"
        );
        assert_eq!(
            levels.set("timeline-after-ending", "allow"),
            Err(LevelError::UnknownCheck("timeline-after-ending".into()))
        );
        assert_eq!(
            levels.set("local-time", "off"),
            Err(LevelError::UnknownLevel("off".into()))
        );
    }
}
