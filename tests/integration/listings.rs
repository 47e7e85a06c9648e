//! Long lists are paged, and every entry is reachable exactly once from each list it is on; a
//! service's status follows the documented rule.

use std::collections::BTreeMap;

use crate::support::SiteTest;

const AS_OF: &str = "2026-01-01T00:00:00Z";

/// 250 incidents over 2024 and 2025: every third on "db", every incident on "api", tags and
/// severities in turn.
fn big_site() -> SiteTest {
    let mut site = SiteTest::new().config(
        r#"title = "Big"
severities = ["critical", "major", "minor"]
[[services]]
name = "api"
[[services]]
name = "db"
"#,
    );
    for n in 0..250 {
        let day = n % 28 + 1;
        let month = n / 28 % 12 + 1;
        let year = 2024 + n / 200;
        let services = if n % 3 == 0 {
            r#"["api", "db"]"#
        } else {
            r#"["api"]"#
        };
        let severity = ["critical", "major", "minor"][n % 3];
        let tag = if n % 2 == 0 { "network" } else { "Network" };
        site = site.file(
            &format!("content/e{n:03}.md"),
            &format!(
                r#"+++
title = "Disruption with some services"
start = {year}-{month:02}-{day:02}T{hour:02}:00:00Z
duration = "30m"
services = {services}
severity = "{severity}"
tags = ["{tag}"]
+++
Body.
"#,
                hour = n % 24
            ),
        );
    }
    site
}

/// The incident links of every page of the list starting at `base`, following rel="next".
fn walk(site: &SiteTest, base: &str) -> (Vec<String>, usize) {
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut path = format!("{base}index.html");
    loop {
        let html = site.read(&path);
        pages += 1;
        let rows = html.matches("<li class=\"compact-row").count();
        assert!(rows <= 100, "{path} lists {rows} rows");
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        for chunk in main.split("class=\"compact-main\"><a href=\"").skip(1) {
            let link = &chunk[..chunk.find('"').unwrap()];
            seen.push(
                link.rsplit("incidents/")
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_string(),
            );
        }
        let Some(at) = html.find("<link rel=\"next\" href=\"") else {
            break;
        };
        let rest = &html[at + "<link rel=\"next\" href=\"".len()..];
        let next = &rest[..rest.find('"').unwrap()];
        let depth = path.matches('/').count();
        let relative = next.trim_start_matches("../").to_string();
        assert_eq!(next.matches("../").count(), depth, "{path}: {next}");
        path = format!("{relative}index.html");
    }
    (seen, pages)
}

fn exactly_once(seen: &[String]) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for id in seen {
        *counts.entry(id.as_str()).or_insert(0) += 1;
    }
    counts.retain(|_, n| *n != 1);
    counts
}

#[test]
fn every_entry_is_listed_exactly_once_on_each_of_its_lists() {
    let site = big_site();
    site.build(AS_OF);
    let mut from_history = Vec::new();
    for year in ["2025", "2024"] {
        let (seen, _) = walk(&site, &format!("history/{year}/"));
        from_history.extend(seen);
    }
    assert_eq!(from_history.len(), 250);
    assert_eq!(exactly_once(&from_history), BTreeMap::new());

    let (api, api_pages) = walk(&site, "services/api/");
    assert_eq!((api.len(), api_pages), (250, 3));
    assert_eq!(exactly_once(&api), BTreeMap::new());
    let (db, db_pages) = walk(&site, "services/db/");
    assert_eq!((db.len(), db_pages), (84, 1), "every third of 250");

    let mut by_severity = Vec::new();
    for severity in ["critical", "major", "minor"] {
        let (seen, pages) = walk(&site, &format!("severities/{severity}/"));
        assert_eq!(pages, 1, "{severity}: 83 or 84 entries fit on one page");
        by_severity.extend(seen);
    }
    assert_eq!(by_severity.len(), 250);
    assert_eq!(exactly_once(&by_severity), BTreeMap::new());

    let (tagged, tag_pages) = walk(&site, "tags/network/");
    assert_eq!(
        (tagged.len(), tag_pages),
        (250, 3),
        "\"network\" and \"Network\" share one page"
    );
}

#[test]
fn a_middle_page_says_where_it_is_and_links_both_ways() {
    let site = big_site();
    site.build(AS_OF);
    let page = site.read("services/api/page/2/index.html");
    assert!(
        page.contains("<link rel=\"prev\" href=\"../../../../services/api/\">"),
        "{page}"
    );
    assert!(page.contains("<link rel=\"next\" href=\"../../../../services/api/page/3/\">"));
    assert!(page.contains("Page 2 of 3 · entries 101–200 of 250"));
    assert!(
        !page.contains("<h2>Availability</h2>"),
        "the numbers are on the first page only"
    );
    let first = site.read("services/api/index.html");
    assert!(first.contains("<h2>Availability</h2>"));
    assert!(!first.contains("rel=\"prev\""));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("services/api/page/3/</loc>"),
        "every page is in the sitemap"
    );
}

#[test]
fn history_months_link_to_the_page_that_lists_them() {
    let site = big_site();
    site.build(AS_OF);
    let history = site.read("history/index.html");
    // 2024 has 200 entries, newest first: August (4), July, June and May (28 each) and the
    // first 12 of April fill page 1; April goes on on page 2, which its link does not need.
    assert!(
        history.contains("<a href=\"../history/2024/#2024-08\">August 2024</a>"),
        "{history}"
    );
    assert!(history.contains("<a href=\"../history/2024/#2024-04\">April 2024</a>"));
    assert!(history.contains("<a href=\"../history/2024/page/2/#2024-03\">March 2024</a>"));
    let second = site.read("history/2024/page/2/index.html");
    assert!(
        second.contains("<h2 id=\"2024-04\">April 2024 <span class=\"muted small\">28 incidents"),
        "a month split between pages heads both, with the whole month's count"
    );
}

#[test]
fn a_service_status_follows_its_ongoing_incidents_and_maintenance() {
    let mut site = SiteTest::new().config(
        r#"title = "Status"
[[services]]
name = "down"
[[services]]
name = "slow"
[[services]]
name = "works"
[[services]]
name = "both"
[[services]]
name = "fine"
[[services]]
name = "half"
"#,
    );
    let entries = [
        // (file, services, impact, kind, end)
        ("a", "down", 60.0, "incident", None),
        ("b", "slow", 20.0, "incident", None),
        ("c", "works", 100.0, "maintenance", None),
        ("d", "both", 100.0, "maintenance", None),
        ("e", "both", 10.0, "incident", Some("2026-02-01T00:00:00Z")),
        ("f", "fine", 100.0, "incident", Some("2025-12-31T12:00:00Z")),
        ("g", "half", 50.0, "incident", None),
    ];
    for (file, service, impact, kind, end) in entries {
        let end = end.map_or(String::new(), |e| format!("end = {e}\n"));
        site = site.file(
            &format!("content/{file}.md"),
            &format!(
                r#"+++
title = "{file}"
start = 2025-12-31T10:00:00Z
{end}services = ["{service}"]
impact = {impact}
kind = "{kind}"
+++
"#
            ),
        );
    }
    site.build(AS_OF);
    let index = site.read("index.html");
    for (service, key, label) in [
        ("down", "outage", "Outage"),
        ("slow", "degraded", "Degraded"),
        ("works", "maintenance", "Under maintenance"),
        // An incident that ends after the as-of time is ongoing, and beats maintenance.
        ("both", "degraded", "Degraded"),
        ("fine", "operational", "Operational"),
        // 50 % is the threshold of an outage.
        ("half", "outage", "Outage"),
    ] {
        let page = site.read(&format!("services/{service}/index.html"));
        let badge = format!("<span class=\"status status-{key}\">{label}</span>");
        assert!(
            page.contains(&format!("<h1>{service} {badge}</h1>")),
            "{service}: {page}"
        );
        let row = &index[index.find(&format!(">{service}</a></h3>")).unwrap()..];
        assert!(row[..400].contains(&badge), "{service} on the index");
    }
}
