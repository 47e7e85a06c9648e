//! The site in another language: the demo built in every built-in language shows no English
//! message of the default theme, and a theme's catalog is checked against what is used.

use std::path::Path;

use crate::support::{SiteTest, tree};

const AS_OF: &str = "2026-12-01T00:00:00Z";

/// The demo site (content and configuration) with `language` set.
fn demo_in(language: &str) -> SiteTest {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = std::fs::read_to_string(root.join("aftermath.toml")).unwrap();
    let mut site = SiteTest::new().config(&format!("language = \"{language}\"\n{config}"));
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .to_string();
            site = site.file(&relative, &std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    site
}

/// The literal parts of every message of a catalog: the text between placeholders.
fn fragments(catalog: &str) -> Vec<String> {
    let value: toml::Table = catalog.parse().unwrap();
    let mut texts = Vec::new();
    fn walk(value: &toml::Value, texts: &mut Vec<String>) {
        match value {
            toml::Value::String(text) => texts.push(text.clone()),
            toml::Value::Table(table) => table.values().for_each(|v| walk(v, texts)),
            _ => {}
        }
    }
    for (key, value) in &value {
        if key != "language" {
            walk(value, &mut texts);
        }
    }
    texts
        .iter()
        .flat_map(|text| {
            let without_tags = regex_lite_strip(text);
            without_tags
                .split(['{', '}'])
                .enumerate()
                .filter(|(n, _)| n % 2 == 0)
                .map(|(_, part)| part.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|part| part.len() >= 12 && part.contains(' '))
        .collect()
}

/// `text` without HTML tags.
fn regex_lite_strip(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// The text a reader sees around the postmortems: each page without its prose, titles and
/// summaries (the demo's postmortems are written in English).
fn interface_text(html: &str) -> String {
    let mut page = html.to_string();
    for (open, close) in [
        ("<div class=\"prose\">", "</div>\n</article>"),
        ("<title>", "</title>"),
    ] {
        while let Some(start) = page.find(open) {
            let Some(end) = page[start..].find(close) else {
                break;
            };
            page.replace_range(start..start + end + close.len(), " ");
        }
    }
    regex_lite_strip(&page).replace("&quot;", "\"")
}

#[test]
fn the_demo_in_every_built_in_language_shows_no_english_message() {
    let english = aftermath::i18n::built_in_text("en").unwrap();
    let languages = aftermath::i18n::built_in_languages();
    assert_eq!(languages, ["de", "en", "es", "fr", "ja", "pt-BR"]);
    for language in languages.into_iter().filter(|l| *l != "en") {
        let site = demo_in(language);
        site.build(AS_OF);
        // What the language's catalog itself quotes in English (the "Action items" section
        // authors write) is not a leftover.
        let own = aftermath::i18n::built_in_text(language).unwrap();
        let english: Vec<String> = fragments(english)
            .into_iter()
            .filter(|f| !own.contains(f.as_str()))
            .collect();
        let mut found = Vec::new();
        for (path, bytes) in tree(&site.out()) {
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8(bytes).unwrap();
            assert!(
                html.contains(&format!("<html lang=\"{language}\">")),
                "{path}"
            );
            let text = interface_text(&html);
            for fragment in &english {
                if text.contains(fragment.as_str()) {
                    found.push(format!("{path}: {fragment}"));
                }
            }
        }
        found.dedup();
        assert!(
            found.is_empty(),
            "{language}: English left:\n{}",
            found.join("\n")
        );
    }
}

/// Every word of five letters or more the English catalog uses, less the words the demo's own
/// files use (service names, titles, severities) and those the language's catalog quotes
/// (`numpy`, the "Action items" section authors write).
fn english_words(demo_text: &str) -> std::collections::BTreeSet<String> {
    let words = |text: &str| -> std::collections::BTreeSet<String> {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 5)
            .map(str::to_lowercase)
            .collect()
    };
    let catalog: Vec<String> = fragments(aftermath::i18n::built_in_text("en").unwrap());
    let own = words(demo_text);
    words(&catalog.join(" "))
        .into_iter()
        .filter(|w| !own.contains(w))
        .collect()
}

#[test]
fn the_japanese_demo_shows_no_english_word_of_the_interface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut demo_text = std::fs::read_to_string(root.join("aftermath.toml")).unwrap();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            demo_text.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    demo_text.push_str(aftermath::i18n::built_in_text("ja").unwrap());
    let english = english_words(&demo_text);
    let site = demo_in("ja");
    site.build(AS_OF);
    let mut found = std::collections::BTreeSet::new();
    for (path, bytes) in tree(&site.out()) {
        if !path.ends_with(".html") {
            continue;
        }
        // The API files keep their names in every language.
        let text = interface_text(&String::from_utf8(bytes).unwrap())
            .replace("incidents.json", "")
            .replace("stats.json", "");
        for word in text.split(|c: char| !c.is_ascii_alphabetic()) {
            if english.contains(&word.to_lowercase()) {
                found.insert(format!("{path}: {word}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English words left:\n{}",
        found.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn german_pages_say_dates_durations_and_counts_the_german_way() {
    let site = demo_in("de");
    site.build(AS_OF);
    let index = site.read("index.html");
    assert!(index.contains("Verfügbarkeit, letzte 90 Tage"), "{index}");
    assert!(index.contains("% <span class=\"muted\">verfügbar</span>"));
    let calendar = site.read("calendar/index.html");
    assert!(calendar.contains("<th scope=\"row\" class=\"weekday\">Mo</th>"));
    assert!(calendar.contains("Dezember 2026") || calendar.contains("1. Dezember 2026"));
    let japanese = demo_in("ja");
    japanese.build(AS_OF);
    let calendar = japanese.read("calendar/index.html");
    // Japanese weeks start on Sunday.
    let first = calendar.find("class=\"weekday\">").unwrap();
    assert!(
        calendar[first..].starts_with("class=\"weekday\">日</th>"),
        "{}",
        &calendar[first..first + 40]
    );
}

#[test]
fn a_theme_catalog_overrides_messages_and_check_names_unused_ones() {
    let site = SiteTest::new()
        .config("language = \"de\"\ntheme = \"mine\"\n")
        .file("content/a.md", "+++\ntitle = \"A\"\nstart = 2026-11-01T10:00:00Z\nend = 2026-11-01T11:00:00Z\n+++\nBody.\n")
        .file("themes/mine/i18n/de.toml", "[nav]\nstatus = \"Lage\"\nstatsu = \"Tippfehler\"\n");
    site.build(AS_OF);
    assert!(site.read("index.html").contains(">Lage</a>"));
    assert!(
        site.read("index.html").contains(">Verlauf</a>"),
        "the rest from the built-in catalog"
    );
    let output = site.run(&["check"], &[]);
    let said = crate::support::stderr(&output) + &String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("warning: themes/mine/i18n/de.toml:3:1: \"nav.statsu\" is a message neither the theme's templates nor Aftermath use"),
        "{said}"
    );
}

#[test]
fn a_language_without_a_catalog_is_an_error_at_its_value() {
    let site = SiteTest::new().config("title = \"X\"\nlanguage = \"xx\"\n");
    let err = site.build_err(AS_OF);
    assert!(
        err.contains("error: aftermath.toml:2:12: \"language\": no catalog for \"xx\"; Aftermath has de, en, es, fr, ja, pt-BR"),
        "{err}"
    );
}

#[test]
fn stats_reports_speak_the_sites_language_while_json_and_csv_keys_stay_english() {
    let site = demo_in("de");
    let stats = |args: &[&str]| {
        let mut all = vec!["stats", "--as-of", AS_OF];
        all.extend_from_slice(args);
        let output = site.run(&all, &[]);
        assert!(
            output.status.success(),
            "{}",
            crate::support::stderr(&output)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let table = stats(&[]);
    assert!(
        table.starts_with(
            "Zuverlässigkeitsbericht: gesamter Zeitraum (Stand 2026-12-01T00:00:00Z)\n"
        ),
        "{table}"
    );
    assert!(
        table.contains("\nZeit bis zur Behebung     16  1 Std. 40 Min.  15 Std. 57 Min."),
        "{table}"
    );
    assert!(
        table.contains("\nalle Dienste                 30d "),
        "{table}"
    );
    assert!(
        table.contains(" Ausfallzeit\n") && table.contains(" Std. "),
        "{table}"
    );
    let periods = stats(&["--period", "quarter"]);
    assert!(
        periods.starts_with("Dienst              Zeitraum"),
        "{periods}"
    );
    assert!(periods.contains("99,95 %"), "{periods}");
    let markdown = stats(&["--period", "quarter", "--format", "markdown"]);
    assert!(
        markdown.starts_with(
            "# Zuverlässigkeitsbericht: 2026-Q3 (1. Juli 2026 bis 30. September 2026)\n"
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n## Ziele\n\n5 von 5 erreicht, 0 verfehlt.\n"),
        "{markdown}"
    );
    let json = stats(&["--format", "json"]);
    assert!(
        json.contains("\"time_to_resolve\"") && !json.contains("Behebung"),
        "{json}"
    );
    let csv = stats(&["--period", "quarter", "--format", "csv"]);
    assert!(csv.starts_with("service,period,"), "{csv}");
    assert!(site.build(AS_OF).files_written > 0);
    let page = site.read("stats/index.html");
    assert!(page.contains("<caption class=\"visually-hidden\">Verfügbarkeit (alle Dienste) über"));
}

#[test]
fn a_template_asking_for_an_unknown_message_fails_at_its_line() {
    let site = SiteTest::new()
        .config("theme = \"mine\"\n")
        .file("content/a.md", "+++\ntitle = \"A\"\nstart = 2026-11-01T10:00:00Z\nend = 2026-11-01T11:00:00Z\n+++\nBody.\n")
        .file("themes/mine/templates/404.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ \"not_found.txet\" | t }}</p>\n{% endblock content %}\n");
    let err = site.build_err(AS_OF);
    assert!(
        err.contains("error: themes/mine/templates/404.html:3:"),
        "{err}"
    );
    assert!(
        err.contains("no message \"not_found.txet\" in the catalogs of \"en\""),
        "{err}"
    );
}
