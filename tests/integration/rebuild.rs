//! What a rebuild changes in the output: a page depends only on what it shows, and a page
//! whose bytes did not change keeps its file and modification time, so a deploy of a rebuilt
//! site uploads the few files that changed.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::support::SiteTest;

fn postmortem(day: u32, title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstart = 2025-03-{day:02}T10:00:00Z\nend = 2025-03-{day:02}T11:00:00Z\nservices = [\"api\"]\n+++\n## Summary\n\nWhat happened on day {day}.\n"
    )
}

/// Sets every file's modification time to long ago, so a file written again stands out.
fn age_every_file(dir: &Path) -> SystemTime {
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = fs::File::options().write(true).open(entry.path()).unwrap();
            file.set_modified(long_ago).unwrap();
        }
    }
    long_ago
}

/// The output files whose modification time is no longer `since`.
fn rewritten(dir: &Path, since: SystemTime) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.metadata().unwrap().modified().unwrap() != since)
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

#[test]
fn adding_a_postmortem_rewrites_its_neighbours_and_the_aggregates_not_the_other_incidents() {
    let mut site = SiteTest::new().config("title = \"Rebuilds\"\n[[services]]\nname = \"api\"\n");
    for day in [2, 6, 10, 14, 18, 22] {
        site = site.file(
            &format!("content/day-{day:02}.md"),
            &postmortem(day, &format!("Outage on day {day}")),
        );
    }
    site.build("2025-04-01T00:00:00Z");
    let long_ago = age_every_file(&site.out());

    // One postmortem between days 10 and 14, built a day later.
    let site = site.file("content/day-12.md", &postmortem(12, "Outage on day 12"));
    site.build("2025-04-02T00:00:00Z");
    let rewritten = rewritten(&site.out(), long_ago);

    let incident_pages: BTreeSet<&str> = rewritten
        .iter()
        .map(String::as_str)
        .filter(|path| path.starts_with("incidents/"))
        .collect();
    assert_eq!(
        incident_pages,
        BTreeSet::from([
            "incidents/day-10/index.html",
            "incidents/day-12/index.html",
            "incidents/day-14/index.html",
        ]),
        "only the new incident and its older and newer neighbours are written"
    );
    for page in [
        "index.html",
        "api/stats.json",
        "history/2025/index.html",
        "feed.xml",
    ] {
        assert!(rewritten.contains(page), "{page} lists the new incident");
    }
    for page in ["404.html", "incidents/day-02/index.html"] {
        assert!(
            !rewritten.contains(page),
            "{page} is the same file as before"
        );
    }
    assert!(
        !site
            .read("incidents/day-02/index.html")
            .contains("2025-04-0"),
        "an incident page does not print the as-of time"
    );
}
