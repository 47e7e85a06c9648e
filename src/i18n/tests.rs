//! The built-in languages as a reader sees them: plural forms, dates, numbers and durations.

use chrono::{NaiveDate, Weekday};

use super::*;
use crate::i18n::formats::Formats;

fn locale(language: &str) -> Locale {
    Locale::load(language, None).unwrap()
}

fn may_4() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 4).unwrap()
}

#[test]
fn every_built_in_catalog_reads_without_a_problem() {
    for language in built_in_languages() {
        let shown = PathBuf::from(format!("{language}.toml"));
        let (_, problems) = Catalog::parse(built_in_text(language).unwrap(), &shown);
        assert!(problems.is_empty(), "{language}: {problems}");
    }
    for language in ["en", "de", "fr", "es", "pt-BR", "ja"] {
        assert!(built_in_languages().contains(&language), "{language}");
    }
}

#[test]
fn every_built_in_catalog_has_every_english_message_with_its_placeholders() {
    let english = built_in(FALLBACK).unwrap();
    for language in built_in_languages() {
        let catalog = built_in(language).unwrap();
        for (key, (message, _)) in &english.messages {
            let Some(translated) = catalog.get(key) else {
                panic!("{language} lacks \"{key}\"");
            };
            let wanted = placeholders(message.form("other"));
            for form in forms(translated) {
                let found = placeholders(form);
                // `{count}` may be left out of a form whose number is implied ("ein Vorfall").
                let wanted: Vec<&String> = wanted.iter().filter(|p| *p != "count").collect();
                for p in wanted {
                    assert!(
                        found.contains(p),
                        "{language} \"{key}\" lacks {{{p}}}: {form}"
                    );
                }
            }
        }
        for key in catalog.messages.keys() {
            assert!(
                english.messages.contains_key(key),
                "{language} has an unknown \"{key}\""
            );
        }
    }
}

fn forms(message: &Message) -> Vec<&str> {
    match message {
        Message::Text(text) => vec![text.as_str()],
        Message::Plural(forms) => forms.values().map(String::as_str).collect(),
    }
}

fn placeholders(text: &str) -> Vec<String> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[test]
fn plural_forms_follow_each_languages_rules() {
    let en = locale("en");
    assert_eq!(en.count("list.incidents", 1, &[]), "1 incident");
    assert_eq!(en.count("list.incidents", 0, &[]), "0 incidents");
    assert_eq!(en.count("list.incidents", 1234, &[]), "1,234 incidents");
    let de = locale("de");
    assert_eq!(de.count("list.incidents", 1, &[]), "1 Störung");
    assert_eq!(de.count("list.incidents", 1234, &[]), "1.234 Störungen");
    let fr = Formats::new("fr").unwrap();
    // French counts 0 and 1 as one, and whole millions as many.
    assert_eq!(fr.plural_form(0), "one");
    assert_eq!(fr.plural_form(1), "one");
    assert_eq!(fr.plural_form(2), "other");
    assert_eq!(fr.plural_form(1_000_000), "many");
    let ja = locale("ja");
    assert_eq!(ja.formats().plural_form(1), "other");
    assert_eq!(ja.count("list.incidents", 1, &[]), "1件の障害");
    // Polish has three forms for whole numbers: one, few (2-4, 22-24...), many (0, 5-21...).
    let (catalog, problems) = Catalog::parse(
        "[list]\nincidents = { one = \"{count} incydent\", few = \"{count} incydenty\", many = \"{count} incydentów\", other = \"{count} incydentu\" }\n",
        Path::new("pl.toml"),
    );
    assert!(problems.is_empty(), "{problems}");
    let theme = ThemeCatalog {
        shown_as: PathBuf::from("themes/mine/i18n/pl.toml"),
        catalog,
    };
    let pl = Locale::load("pl", Some(theme)).unwrap();
    let forms: Vec<&str> = [1, 2, 4, 5, 12, 21, 22, 25]
        .into_iter()
        .map(|n| pl.formats().plural_form(n))
        .collect();
    assert_eq!(
        forms,
        ["one", "few", "few", "many", "many", "many", "few", "many"]
    );
    assert_eq!(pl.count("list.incidents", 1, &[]), "1 incydent");
    assert_eq!(pl.count("list.incidents", 3, &[]), "3 incydenty");
    assert_eq!(pl.count("list.incidents", 5, &[]), "5 incydentów");
    assert_eq!(pl.count("list.incidents", 22, &[]), "22 incydenty");
}

#[test]
fn dates_follow_each_languages_patterns() {
    let cases = [
        ("en", "4 May 2026", "May 2026", "4 May"),
        ("en-US", "May 4, 2026", "May 2026", "May 4"),
        ("de", "4. Mai 2026", "Mai 2026", "4. Mai"),
        ("fr", "4 mai 2026", "mai 2026", "4 mai"),
        ("es", "4 de mayo de 2026", "mayo de 2026", "4 may"),
        ("pt-BR", "4 de maio de 2026", "maio de 2026", "4 de mai."),
        ("ja", "2026年5月4日", "2026年5月", "5月4日"),
        ("pl", "4 maja 2026", "maj 2026", "4 maj"),
    ];
    for (language, long, month_year, day_month) in cases {
        let tag = if language == "en" { "en-GB" } else { language };
        let formats = Formats::new(tag).unwrap();
        assert_eq!(formats.long_date(may_4()), long, "{language}");
        assert_eq!(formats.month_year(may_4()), month_year, "{language}");
        assert_eq!(formats.day_month(may_4()), day_month, "{language}");
    }
}

#[test]
fn weeks_start_where_readers_expect() {
    assert_eq!(locale("en").formats().first_weekday(), Weekday::Mon);
    assert_eq!(locale("en-US").formats().first_weekday(), Weekday::Sun);
    assert_eq!(locale("de").formats().first_weekday(), Weekday::Mon);
    assert_eq!(Formats::new("pt-BR").unwrap().first_weekday(), Weekday::Sun);
    assert_eq!(locale("ja").formats().first_weekday(), Weekday::Sun);
    assert_eq!(locale("de").formats().weekday(Weekday::Mon), "Mo");
    assert_eq!(locale("ja").formats().weekday(Weekday::Sun), "日");
}

#[test]
fn durations_and_numbers_are_written_in_the_language() {
    let cases = [
        ("en", "1 h 30 min", "3 d 4 h", "45 s", "99.722 %"),
        (
            "de",
            "1 Std. 30 Min.",
            "3 Tg. 4 Std.",
            "45 Sek.",
            "99,722 %",
        ),
        ("fr", "1 h 30 min", "3 j 4 h", "45 s", "99,722\u{202f}%"),
        ("es", "1 h 30 min", "3 d 4 h", "45 s", "99,722\u{a0}%"),
        ("pt-BR", "1 h 30 min", "3 dias 4 h", "45 s", "99,722%"),
        ("ja", "1時間30分", "3日4時間", "45秒", "99.722%"),
    ];
    for (language, short, long, seconds, percent) in cases {
        let l = locale(language);
        assert_eq!(l.duration(5_400), short, "{language}");
        assert_eq!(l.duration(3 * 86_400 + 4 * 3_600 + 59), long, "{language}");
        assert_eq!(l.duration(45), seconds, "{language}");
        assert_eq!(l.percent(0.99722), percent, "{language}");
    }
    let en = locale("en");
    assert_eq!(en.target(999_000), "99.9 %");
    assert_eq!(en.target(999_950), "99.995 %");
    assert_eq!(en.impact(3_550), "35.5 %");
    assert_eq!(en.impact(10_000), "100 %");
    assert_eq!(en.share(0.278), "27.8 %");
    assert_eq!(locale("de").target(999_500), "99,95 %");
}

#[test]
fn a_language_without_a_catalog_is_refused_unless_a_theme_brings_one() {
    let err = Locale::load("xx", None).unwrap_err();
    assert!(
        err.starts_with("\"language\": no catalog for \"xx\"; Aftermath has "),
        "{err}"
    );
    let (catalog, _) = Catalog::parse("[nav]\nstatus = \"Tila\"\n", Path::new("fi.toml"));
    let theme = ThemeCatalog {
        shown_as: PathBuf::from("themes/mine/i18n/fi.toml"),
        catalog,
    };
    let finnish = Locale::load("fi", Some(theme)).unwrap();
    assert_eq!(finnish.text("nav.status", &[]), "Tila");
    assert_eq!(
        finnish.text("nav.history", &[]),
        "History",
        "English fills the gaps"
    );
    assert_eq!(finnish.formats().long_date(may_4()), "4. toukokuuta 2026");
}
