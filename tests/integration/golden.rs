//! Golden snapshots of the demo site: the `<main>` of one page of each type and both API files,
//! byte for byte. Output is deterministic, so any change shows as a diff here; when it is
//! intended, `INSTA_UPDATE=always cargo test golden` (or `cargo insta review`) updates them.

use std::path::Path;

use aftermath::render::Silent;

const AS_OF: &str = "2026-11-23T12:00:00Z";

/// One page of each page type that has a `<main>`.
const PAGES: &[(&str, &str)] = &[
    ("index", "index.html"),
    ("incident", "incidents/regional-network-outage/index.html"),
    ("history", "history/index.html"),
    ("history_year", "history/2026/index.html"),
    ("calendar", "calendar/index.html"),
    ("service", "services/payments/index.html"),
    ("stats", "stats/index.html"),
    ("not_found", "404.html"),
];

fn main_of(html: &str) -> &str {
    let from = html.find("<main").expect("a <main>");
    let to = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[from..to]
}

#[test]
fn the_demo_site_matches_its_golden_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = aftermath::BuildOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        output: Some(out.clone()),
        base_url: None,
        as_of: AS_OF.parse().unwrap(),
        include_drafts: false,
        audience: aftermath::config::Audience::Public,
        force: false,
        home: None,
        cache: false,
    };
    aftermath::build(&options, &Silent).expect("the demo builds");
    let read = |path: &str| std::fs::read_to_string(out.join(path)).unwrap();
    for (name, path) in PAGES {
        insta::assert_snapshot!(format!("main_{name}"), main_of(&read(path)));
    }
    insta::assert_snapshot!("api_stats", read("api/stats.json"));
    insta::assert_snapshot!("api_incidents", read("api/incidents.json"));
}
