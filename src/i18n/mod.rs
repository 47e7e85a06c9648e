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
use std::sync::{Arc, LazyLock};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Check, Diagnostic, Diagnostics, Location};
use crate::text::labels::{self, Fixed};
use crate::text::time::{DurationUnit, duration_parts, published_seconds};
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
    /// The theme's catalog for this language, kept for `check`.
    theme: Option<ThemeCatalog>,
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

/// English, made once: every configuration starts from it, and every other language falls
/// back to its messages.
static ENGLISH: LazyLock<Locale> = LazyLock::new(|| {
    Locale::build(FALLBACK, None).unwrap_or_else(|err| unreachable!("English is built in: {err}"))
});

impl Locale {
    /// English, the language of reports meant for machines and of tests.
    pub fn english() -> Locale {
        ENGLISH.clone()
    }

    /// The locale for `language` (a BCP 47 tag: `de`, `pt-BR`), with a theme's catalog over
    /// the built-in one. A language with neither a built-in catalog nor a theme catalog is an
    /// error; one with a theme catalog only gets English for what it lacks.
    pub fn load(language: &str, theme: Option<ThemeCatalog>) -> Result<Locale, String> {
        match (language, &theme) {
            (FALLBACK, None) => Ok(Locale::english()),
            _ => Locale::build(language, theme),
        }
    }

    fn build(language: &str, theme: Option<ThemeCatalog>) -> Result<Locale, String> {
        let own_language = catalog_language(language);
        let own = own_language.and_then(built_in);
        if own.is_none() && theme.is_none() {
            return Err(format!(
                "\"language\": no catalog for \"{language}\"; Aftermath has {}, and a theme can add one as themes/<name>/i18n/{language}.toml",
                built_in_languages().join(", ")
            ));
        }
        let mut messages = match own_language {
            Some(FALLBACK) => BTreeMap::new(),
            _ => ENGLISH.0.messages.clone(),
        };
        let mut formats = None;
        for catalog in own.iter().chain(theme.as_ref().map(|t| &t.catalog)) {
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
            theme,
        })))
    }

    /// The language as configured, for `<html lang>`.
    pub fn tag(&self) -> &str {
        &self.0.tag
    }

    /// A hash of the language and every message, the theme's included: what a page made with
    /// this locale depends on, for the build cache.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        let theme = self.0.theme.as_ref().map(|t| format!("{:?}", t.catalog));
        (&self.0.tag, format!("{:?}", self.0.messages), theme).hash(&mut hasher);
        hasher.finish()
    }

    pub fn formats(&self) -> &Formats {
        &self.0.formats
    }

    /// The message `key`, from the theme's catalog, the language's or English.
    pub fn message(&self, key: &str) -> Option<&Message> {
        self.0.messages.get(key)
    }

    /// Whether a message `key` exists (in any catalog of this locale).
    pub fn has(&self, key: &str) -> bool {
        self.0.messages.contains_key(key)
    }

    /// `message` with its placeholders filled from `args`; with a `count`, in the plural form
    /// the language uses for it, and `{count}` written as a number of this language unless
    /// `args` writes it.
    pub fn write(&self, message: &Message, count: Option<i64>, args: &[(&str, &str)]) -> String {
        let Some(count) = count else {
            return catalog::fill(message.form("other"), args);
        };
        let number = self.0.formats.integer(count);
        // A `count` in `args` (a number padded for a column) is written instead.
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(args.len() + 1);
        all.extend_from_slice(args);
        all.push(("count", &number));
        catalog::fill(message.form(self.0.formats.plural_form(count)), &all)
    }

    /// The message `key` with its placeholders filled from `args`; the key itself when no
    /// catalog has it (a test keeps every key the code asks for in the English catalog).
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.message(key)
            .map_or_else(|| key.to_string(), |m| self.write(m, None, args))
    }

    /// The message `key` in the plural form the language uses for `count` (see [`Self::write`]).
    pub fn count(&self, key: &str, count: i64, args: &[(&str, &str)]) -> String {
        self.message(key)
            .map_or_else(|| key.to_string(), |m| self.write(m, Some(count), args))
    }

    /// `45 s`, `12 min`, `2 h 15 min`, `3 d 4 h` in this language, in the units of
    /// [`duration_parts`].
    pub fn duration(&self, seconds: i64) -> String {
        let unit = |(unit, n): (DurationUnit, i64)| {
            let key = match unit {
                DurationUnit::Seconds => "duration.seconds",
                DurationUnit::Minutes => "duration.minutes",
                DurationUnit::Hours => "duration.hours",
                DurationUnit::Days => "duration.days",
            };
            self.count(key, n, &[])
        };
        match duration_parts(seconds) {
            (first, None) => unit(first),
            (first, Some(second)) => {
                let (a, b) = (unit(first), unit(second));
                self.text("duration.pair", &[("a", &a), ("b", &b)])
            }
        }
    }

    /// A duration that may hold a fraction of a second, truncated as the API publishes it
    /// (see [`crate::text::time::seconds_label`]).
    pub fn seconds(&self, seconds: f64) -> String {
        self.duration(published_seconds(seconds))
    }

    /// A fraction (0..=1, already rounded down) as `99.722 %` with three decimals.
    pub fn percent(&self, fraction: f64) -> String {
        self.percent_of(labels::percent_fixed(fraction))
    }

    /// A share with one decimal, `27.8 %` (budget shares and budget use).
    pub fn share(&self, fraction: f64) -> String {
        self.percent_of(labels::share_fixed(fraction))
    }

    /// Impact in basis points, `35 %` or `35.5 %`, without needless decimals.
    pub fn impact(&self, basis_points: u32) -> String {
        self.percent_of(labels::impact_fixed(basis_points))
    }

    /// A target in parts per million, `99.9 %`, `99.995 %`, without needless decimals.
    pub fn target(&self, ppm: u32) -> String {
        self.percent_of(labels::target_fixed(ppm))
    }

    /// A percentage in this language's digits and pattern.
    fn percent_of(&self, number: Fixed) -> String {
        let digits = self
            .0
            .formats
            .decimal(number.value, i16::from(number.decimals));
        self.text("format.percent", &[("n", &digits)])
    }

    /// What `check` says of the theme's catalog, given the message keys the site's templates
    /// use with where they first do (`used`): messages neither they nor Aftermath use, and,
    /// for a language Aftermath has no catalog of, messages the catalog lacks.
    pub fn theme_catalog_problems(
        &self,
        used: &BTreeMap<String, (PathBuf, Option<Location>)>,
    ) -> Diagnostics {
        let mut problems = Diagnostics::new();
        let Some(theme) = &self.0.theme else {
            return problems;
        };
        let english = &ENGLISH.0.messages;
        for (key, (_, location)) in &theme.catalog.messages {
            if !english.contains_key(key) && !used.contains_key(key) {
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
        if catalog_language(&self.0.tag).is_none() {
            let missing = english.keys().chain(used.keys());
            for key in missing.filter(|key| !theme.catalog.messages.contains_key(*key)) {
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

#[cfg(test)]
mod tests;
