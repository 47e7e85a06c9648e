//! The documentation that is a contract stays in step with the code that defines it.

use std::path::Path;

use aftermath::diagnostics::{CHECKS, docs_table};

const START: &str = "<!-- checks:start -->\n";
const END: &str = "<!-- checks:end -->";

/// `docs/checks.md`'s table of checks is the registry's; `AFTERMATH_UPDATE_DOCS=1` rewrites it.
#[test]
fn the_checks_table_in_the_docs_is_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = text.find(START).expect("the start marker") + START.len();
    let to = text.find(END).expect("the end marker");
    let expected = docs_table();
    if std::env::var_os("AFTERMATH_UPDATE_DOCS").is_some() {
        let updated = format!("{}{expected}{}", &text[..from], &text[to..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        text[from..to] == expected,
        "docs/checks.md is out of date; run AFTERMATH_UPDATE_DOCS=1 cargo test\n{}",
        crate::support::diff(&text[from..to], &expected)
    );
}

/// No check is registered without code that reports it.
#[test]
fn every_registered_check_is_reported_somewhere() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut code = String::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().ends_with("diagnostics/checks.rs") || !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        code.push_str(text.split("#[cfg(test)]").next().unwrap());
    }
    for info in CHECKS {
        let variant = format!("Check::{:?}", info.check);
        assert!(code.contains(&variant), "{} is never reported", info.name);
    }
}

/// The shapes `docs/themes.md` describes under "Templates and what they receive", and where one
/// of each is found in a page's context (the first page of that type that has one).
const SHAPES: &[(&str, &str, &str)] = &[
    ("The site", "globals", "/site"),
    ("A service link", "globals", "/services/0"),
    ("An incident", "index.html", "/recent/0"),
    ("A time", "index.html", "/recent/0/start"),
    ("A timeline event", "incident.html", "/timeline/0"),
    ("A heading", "incident.html", "/toc/0"),
    ("A summary", "index.html", "/time_to_resolve"),
    ("Counts", "index.html", "/counts"),
    ("A service's numbers", "service.html", "/service"),
    (
        "An availability window",
        "service.html",
        "/service/windows/0",
    ),
    ("An uptime bar", "index.html", "/uptime/0"),
    ("A budget summary", "index.html", "/uptime/0/budget"),
    ("An error budget", "service.html", "/budget"),
    ("A budget share", "service.html", "/budget/incidents/0"),
    ("A budget flag", "incident.html", "/budget_flags/0"),
    ("An action item", "actions.html", "/open/0"),
    ("Action counts", "actions.html", "/counts"),
    ("A filter link", "actions.html", "/owners/0"),
    ("A report year", "reports.html", "/years/0"),
    ("A service year", "report_year.html", "/service_years/0"),
    (
        "A period cell",
        "report_year.html",
        "/service_years/0/months/0",
    ),
    ("A group bar", "index.html", "/groups/0"),
    ("A day cell", "index.html", "/uptime/0/days/0"),
    ("A history year", "history.html", "/years/0"),
    ("A month summary", "history.html", "/years/0/months/0"),
    ("A year group", "service.html", "/years/0"),
    ("A pager", "service.html", "/pager"),
    ("A status", "service.html", "/status"),
    ("A link", "globals", "/site/severity_pages/0"),
    ("A month", "history_year.html", "/months/0"),
    ("A calendar year", "calendar.html", "/years/0"),
    ("A month label", "calendar.html", "/years/0/months/0"),
    ("A bar", "stats.html", "/histogram/0"),
    ("A severity count", "stats.html", "/by_severity/0"),
    ("Charts", "stats.html", "/charts"),
    ("A month count", "stats.html", "/months/0"),
    ("A feed entry", "atom.xml", "/entries/0"),
    ("A sitemap URL", "sitemap.xml", "/urls/0"),
];

/// The names in backticks outside parentheses: `a`, `b` (`not this`) gives a and b.
fn documented_names(text: &str) -> std::collections::BTreeSet<String> {
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    outside
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| {
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect()
}

fn keys(value: &serde_json::Value) -> std::collections::BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect()
}

/// Every page context of the demo site, by template, as JSON.
fn demo_contexts() -> std::collections::BTreeMap<&'static str, Vec<serde_json::Value>> {
    use aftermath::render::plan::{Maker, all_types};
    let options = aftermath::BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: None,
        base_url: None,
        as_of: "2026-11-23T12:00:00Z".parse().unwrap(),
        include_drafts: false,
        audience: aftermath::config::Audience::Public,
        force: false,
        home: None,
        cache: false,
    };
    let site = aftermath::load(&options, aftermath::content::Reuse::Nothing)
        .expect("the demo loads")
        .site;
    let markdown = aftermath::markdown::MarkdownRenderer::new(site.config.raw_html);
    let shared = aftermath::render::shared::Shared::new(&site, markdown);
    let mut contexts = std::collections::BTreeMap::new();
    contexts.insert(
        "globals",
        vec![serde_json::to_value(aftermath::render::pages::globals(&site)).unwrap()],
    );
    for page_type in all_types() {
        if let Maker::Template(template, make) = page_type.maker {
            // Two page types share incident.html (incidents and upcoming maintenance).
            let pages: &mut Vec<serde_json::Value> = contexts.entry(template).or_default();
            pages.extend(
                (0..(page_type.count)(&site))
                    .map(|n| serde_json::to_value(make(&site, &shared, n)).unwrap()),
            );
        }
    }
    contexts
}

/// docs/themes.md names exactly the variables each template receives, and the fields of each
/// shape it describes.
#[test]
fn the_theme_docs_name_what_templates_receive() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/themes.md"))
            .unwrap();
    let from = text.find("## Templates and what they receive").unwrap();
    let to = text.find("## Highlighted code").unwrap();
    let part = &text[from..to];
    let contexts = demo_contexts();
    let mut rows = 0;
    for row in part.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        let template = cells[0].trim_start_matches("| ").trim_matches('`');
        if template == "base.html" || template.starts_with("partials/") {
            continue;
        }
        let pages = contexts
            .get(template)
            .unwrap_or_else(|| panic!("docs/themes.md documents {template}, which no page uses"));
        let actual = keys(&pages[0]);
        assert_eq!(
            documented_names(cells[2]),
            actual,
            "the variables of {template}"
        );
        rows += 1;
    }
    assert_eq!(rows, contexts.len() - 1, "every template has a row");

    let mut sections = part.split("\n### ").skip(1);
    let mut described = Vec::new();
    for section in sections.by_ref() {
        let (title, body) = section.split_once('\n').unwrap();
        let (_, template, pointer) = SHAPES
            .iter()
            .find(|(name, _, _)| *name == title)
            .unwrap_or_else(|| panic!("the shape \"{title}\" has no place in SHAPES"));
        let sample = contexts[template]
            .iter()
            .find_map(|page| page.pointer(pointer).filter(|value| !value.is_null()))
            .unwrap_or_else(|| panic!("no {pointer} in any {template} of the demo"));
        assert_eq!(
            documented_names(body),
            keys(sample),
            "the fields of \"{title}\""
        );
        described.push(title);
    }
    assert_eq!(described.len(), SHAPES.len(), "every shape is described");
}
