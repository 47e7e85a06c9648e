//! The site in the reader's language: messages from catalogs, and dates, numbers and durations
//! from CLDR locale data.
//!
//! `language` in `aftermath.toml` picks a [`Locale`] once, when the configuration is read; every
//! stage that writes words for readers (page views, charts, feeds, the `stats` report) asks it,
//! so no English is left in a German site. Messages come from the built-in catalogs
//! (`themes/default/i18n/<lang>.toml`, compiled in), over which a theme's
//! `themes/<name>/i18n/<lang>.toml` may replace or add messages; whatever neither has comes from
//! English. Plural forms, month and weekday names, date patterns, digits and separators and the
//! first day of the week come from ICU4X's compiled CLDR data ([`formats`]), not from tables of
//! our own. Machine formats (RFC 3339, the API, feeds' dates) never pass through here.

pub mod catalog;
pub mod formats;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Check, Diagnostic, Diagnostics, Location};
pub use catalog::{Catalog, Message};
use formats::Formats;

/// The built-in catalogs, one `<lang>.toml` per language.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default/i18n");

/// The language every catalog falls back to, and the one machine-readable reports stay in.
pub const FALLBACK: &str = "en";

/// The languages Aftermath has catalogs of, as `language` takes them.
pub fn built_in_languages() -> Vec<&'static str> {
    let mut languages: Vec<&str> = BUILT_IN
        .files()
        .filter_map(|f| f.path().to_str()?.strip_suffix(".toml"))
        .collect();
    languages.sort_unstable();
    languages
}

/// The text of a built-in catalog, if Aftermath has one for `language`.
pub fn built_in_text(language: &str) -> Option<&'static str> {
    BUILT_IN
        .get_file(format!("{language}.toml"))
        .and_then(|f| f.contents_utf8())
}

fn built_in(language: &str) -> Option<Catalog> {
    let text = built_in_text(language)?;
    let shown = PathBuf::from(format!("(built-in theme) i18n/{language}.toml"));
    Some(Catalog::parse(text, &shown).0)
}

/// A theme's own catalog for the site's language, as read from `themes/<name>/i18n/`.
pub struct ThemeCatalog {
    /// As shown in messages (`themes/mine/i18n/de.toml`).
    pub shown_as: PathBuf,
    pub catalog: Catalog,
}

/// The language of a site: its messages and its formats. Cheap to clone and shared by every
/// thread that renders.
#[derive(Clone)]
pub struct Locale(Arc<Inner>);

struct Inner {
    /// The language as configured (`de`, `pt-BR`).
    tag: String,
    messages: BTreeMap<String, Message>,
    formats: Formats,
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Locale({})", self.0.tag)
    }
}

impl Default for Locale {
    fn default() -> Self {
        Locale::english()
    }
}

impl Locale {
    /// English, the language of reports meant for machines and of tests.
    pub fn english() -> Locale {
        Locale::load(FALLBACK, None).unwrap_or_else(|_| unreachable!("English is built in"))
    }

    /// The locale for `language` (a BCP 47 tag: `de`, `pt-BR`), with a theme's catalog over
    /// the built-in one. A language with neither a built-in catalog nor a theme catalog is an
    /// error; one with a theme catalog only gets English for what it lacks.
    pub fn load(language: &str, theme: Option<&ThemeCatalog>) -> Result<Locale, String> {
        let own = catalog_language(language).and_then(built_in);
        if own.is_none() && theme.is_none() {
            return Err(format!(
                "\"language\": no catalog for \"{language}\"; Aftermath has {}, and a theme can add one as themes/<name>/i18n/{language}.toml",
                built_in_languages().join(", ")
            ));
        }
        let english = built_in(FALLBACK).unwrap_or_default();
        let mut messages: BTreeMap<String, Message> = english
            .messages
            .iter()
            .map(|(key, (message, _))| (key.clone(), message.clone()))
            .collect();
        let mut formats = None;
        for catalog in own.iter().chain(theme.map(|t| &t.catalog)) {
            for (key, (message, _)) in &catalog.messages {
                messages.insert(key.clone(), message.clone());
            }
            if catalog.language.formats.is_some() {
                formats.clone_from(&catalog.language.formats);
            }
        }
        // A tag with a region (`en-US`) decides the formats itself; a bare language takes its
        // catalog's (`en` writes dates as in `en-GB`, 4 May 2026), or its own CLDR data.
        let formats_tag = match language.contains('-') {
            true => language.to_string(),
            false => formats.unwrap_or_else(|| language.to_string()),
        };
        let formats = Formats::new(&formats_tag)?;
        Ok(Locale(Arc::new(Inner {
            tag: language.to_string(),
            messages,
            formats,
        })))
    }

    /// The language as configured, for `<html lang>`.
    pub fn tag(&self) -> &str {
        &self.0.tag
    }

    pub fn formats(&self) -> &Formats {
        &self.0.formats
    }

    /// Whether a message `key` exists (in any catalog of this locale).
    pub fn has(&self, key: &str) -> bool {
        self.0.messages.contains_key(key)
    }

    /// The message `key` with its placeholders filled from `args`; the key itself when no
    /// catalog has it (a test keeps every key the code asks for in the English catalog).
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        match self.0.messages.get(key) {
            Some(message) => catalog::fill(message.form("other"), args),
            None => key.to_string(),
        }
    }

    /// The message `key` in the plural form the language uses for `count`, with `{count}`
    /// written as a number of this language and the other placeholders from `args`.
    pub fn count(&self, key: &str, count: i64, args: &[(&str, &str)]) -> String {
        let Some(message) = self.0.messages.get(key) else {
            return key.to_string();
        };
        let form = self.0.formats.plural_form(count);
        let number = self.0.formats.integer(count);
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(args.len() + 1);
        all.push(("count", &number));
        all.extend_from_slice(args);
        catalog::fill(message.form(form), &all)
    }

    /// `45 s`, `12 min`, `2 h 15 min`, `3 d 4 h` in this language: at most two units, the
    /// smaller one left out when it is zero, truncated (never rounded up).
    pub fn duration(&self, seconds: i64) -> String {
        let seconds = seconds.max(0);
        let (days, hours, minutes) = (
            seconds / 86_400,
            seconds % 86_400 / 3_600,
            seconds % 3_600 / 60,
        );
        let unit = |key: &str, n: i64| self.count(key, n, &[]);
        let pair = |a: String, b: String| self.text("duration.pair", &[("a", &a), ("b", &b)]);
        match seconds {
            s if s < 60 => unit("duration.seconds", s),
            s if s < 3_600 => unit("duration.minutes", minutes),
            s if s < 86_400 && minutes == 0 => unit("duration.hours", hours),
            s if s < 86_400 => pair(
                unit("duration.hours", hours),
                unit("duration.minutes", minutes),
            ),
            _ if hours == 0 => unit("duration.days", days),
            _ => pair(unit("duration.days", days), unit("duration.hours", hours)),
        }
    }

    /// A duration that may hold a fraction of a second, truncated as the API publishes it
    /// (see [`crate::text::time::seconds_label`]).
    pub fn seconds(&self, seconds: f64) -> String {
        let published = (seconds * 10.0).round() / 10.0;
        self.duration(published.trunc() as i64)
    }

    /// A fraction (0..=1, already rounded down) as `99.722 %` with three decimals.
    pub fn percent(&self, fraction: f64) -> String {
        let thousandths = (fraction * 100_000.0).round() as i64;
        self.percent_of(thousandths, 3)
    }

    /// A share with one decimal, `27.8 %` (budget shares and budget use).
    pub fn share(&self, fraction: f64) -> String {
        let tenths = (fraction * 1000.0).round() as i64;
        self.percent_of(tenths, 1)
    }

    /// Impact in basis points, `35 %` or `35.5 %`, without needless decimals.
    pub fn impact(&self, basis_points: u32) -> String {
        let (value, decimals) = match basis_points % 100 {
            0 => (i64::from(basis_points / 100), 0),
            rest if rest % 10 == 0 => (i64::from(basis_points / 10), 1),
            _ => (i64::from(basis_points), 2),
        };
        self.percent_of(value, decimals)
    }

    /// A target in parts per million, `99.9 %`, `99.995 %`, without needless decimals.
    pub fn target(&self, ppm: u32) -> String {
        let mut value = i64::from(ppm);
        let mut decimals = 4;
        while decimals > 0 && value % 10 == 0 {
            value /= 10;
            decimals -= 1;
        }
        self.percent_of(value, decimals)
    }

    /// `value` / 10^`decimals` as a percentage in this language's digits and pattern.
    fn percent_of(&self, value: i64, decimals: i16) -> String {
        let number = self.0.formats.decimal(value, decimals);
        self.text("format.percent", &[("n", &number)])
    }
}

/// Where in the configured language's catalog to look: `pt-BR` has its own, `en-US` uses `en`.
fn catalog_language(language: &str) -> Option<&str> {
    if built_in_text(language).is_some() {
        return Some(language);
    }
    let base = language.split('-').next()?;
    built_in_text(base).is_some().then_some(base)
}

/// Reads `themes/<theme>/i18n/<language>.toml` under `root` when the theme has it.
pub fn read_theme_catalog(
    root: &Path,
    theme: &str,
    language: &str,
    problems: &mut Diagnostics,
) -> Option<ThemeCatalog> {
    let relative = Path::new("themes")
        .join(theme)
        .join("i18n")
        .join(format!("{language}.toml"));
    let text = match std::fs::read_to_string(root.join(&relative)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
        Err(err) => {
            problems.push(Diagnostic::new(
                Check::UnreadableFile,
                &relative,
                format!("cannot read the file: {err}"),
            ));
            return None;
        }
    };
    let (catalog, found) = Catalog::parse(&text, &relative);
    problems.extend(found.items().iter().cloned());
    Some(ThemeCatalog {
        shown_as: relative,
        catalog,
    })
}

/// The keys a theme catalog should be checked against: every message of the English catalog
/// (what Aftermath and the default theme use) and `used` (what the site's templates ask for).
pub fn check_theme_catalog(
    theme: &ThemeCatalog,
    language: &str,
    used: &BTreeMap<String, (PathBuf, Option<Location>)>,
) -> Diagnostics {
    let mut problems = Diagnostics::new();
    let english = built_in(FALLBACK).unwrap_or_default();
    let known = |key: &str| english.messages.contains_key(key) || used.contains_key(key);
    for (key, (_, location)) in &theme.catalog.messages {
        if !known(key) {
            problems.push(
                Diagnostic::new(
                    Check::CatalogUnusedKey,
                    &theme.shown_as,
                    format!("\"{key}\" is a message neither the theme's templates nor Aftermath use"),
                )
                .at(Some(location.clone()))
                .with_hint("remove it, or check its spelling against the built-in catalog (docs/themes.md#languages)"),
            );
        }
    }
    // A language Aftermath has a catalog of fills every gap from it: only a new language
    // shows English where the theme's catalog says nothing.
    if catalog_language(language).is_none() {
        let missing: Vec<&String> = english
            .messages
            .keys()
            .chain(used.keys())
            .filter(|key| !theme.catalog.messages.contains_key(*key))
            .collect();
        for key in missing {
            problems.push(
                Diagnostic::new(
                    Check::CatalogMissingKey,
                    &theme.shown_as,
                    format!("\"{key}\" is missing, so pages show it in English"),
                )
                .with_hint("add it; docs/themes.md#languages shows where the English text is"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests;
