//! Impact per service and per window: `[[impact]]` tables in front matter. The figures below
//! are computed by hand from the windows; each test says how.

use serde_json::json;

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-01T00:00:00Z";

const CONFIG: &str = r#"base_url = "https://example.org/"
history_start = 2025-01-01

[[services]]
name = "api"
group = "Platform"

[[services]]
name = "web"
group = "Platform"

[[services]]
name = "db"
"#;

/// X, 10:00–14:00 on 10 February: api down (major) until 11:00, api and web partly down
/// (partial, 30 %) from 10:30 to 12:00, db at 10 % throughout. Y, 11:30–12:30: web at 50 %.
fn overlapping_windows() -> SiteTest {
    SiteTest::new()
        .config(CONFIG)
        .file(
            "content/x.md",
            r#"+++
title = "X"
start = 2025-02-10T10:00:00Z
end = 2025-02-10T14:00:00Z
services = ["api"]

[[impact]]
services = ["api"]
level = "major"
to = 2025-02-10T11:00:00Z

[[impact]]
services = ["api", "web"]
level = "partial"
from = 2025-02-10T10:30:00Z
to = 2025-02-10T12:00:00Z

[[impact]]
services = ["db"]
impact = 10
+++
Body.
"#,
        )
        .file(
            "content/y.md",
            "---\ntitle: Y\nstart: 2025-02-10T11:30:00Z\nend: 2025-02-10T12:30:00Z\nservices: [web]\nimpact: 50\n---\nBody.\n",
        )
}

#[test]
fn each_service_counts_its_own_windows_at_the_largest_impact_of_each_instant() {
    let site = overlapping_windows();
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    let downtime = |service: &str| {
        let window = &stats["services"][service]["windows"]["30d"];
        (
            window["downtime_seconds"].as_i64().unwrap(),
            window["weighted_downtime_seconds"].as_f64().unwrap(),
        )
    };
    // api: 10:00–12:00 in plain terms; 10:00–11:00 at 100 % and 11:00–12:00 at 30 %.
    assert_eq!(downtime("api"), (7_200, 3_600.0 + 1_080.0));
    // web: X's 10:30–12:00 and Y's 11:30–12:30 make 10:30–12:30; 10:30–11:30 at 30 %, then
    // Y's 50 % to 12:30.
    assert_eq!(downtime("web"), (7_200, 1_080.0 + 1_800.0));
    // db: the whole of X at 10 %.
    assert_eq!(downtime("db"), (14_400, 1_440.0));
    assert_eq!(stats["services"]["web"]["incidents"], 2);

    // The history began on 1 January: the 90-day window is 59 days (5,097,600 s) long.
    let index = site.read("index.html");
    // Platform (api or web): 10:00–12:30 = 9000 s; 10:00–11:00 at 100 %, 11:00–11:30 at
    // 30 %, 11:30–12:30 at 50 %: 5940 s. 1 − 9000/5097600 = 0.998234…, 1 − 5940/5097600 =
    // 0.998834….
    assert!(
        index.contains(
            "99.823 % <span class=\"muted\">available over 90 days · 99.883 % impact-weighted"
        ),
        "{index}"
    );
    // Any service: 10:00–14:00 = 14400 s; weighted as Platform plus db's 10 % from 12:30 to
    // 14:00 (540 s): 6480 s. 1 − 14400/5097600 = 0.997175…, 1 − 6480/5097600 = 0.998728….
    assert!(index.contains(
        "<dd>99.717 % <span class=\"muted\">available</span><br><span class=\"small\">99.872 %"
    ));

    // The bars and the calendar follow the windows; an incident is named once per day
    // however many of its windows touch the service.
    for (page, label) in [
        (
            "services/api/index.html",
            "10 February 2025: 2 h of downtime (1 incident)",
        ),
        (
            "services/web/index.html",
            "10 February 2025: 2 h of downtime (2 incidents)",
        ),
        (
            "services/db/index.html",
            "10 February 2025: 4 h of downtime (1 incident)",
        ),
        (
            "index.html",
            "10 February 2025: 2 h 30 min of downtime (2 incidents)",
        ),
        (
            "calendar/index.html",
            "10 February 2025: 4 h of downtime (2 incidents)",
        ),
    ] {
        assert!(site.read(page).contains(label), "{page}: {label}");
    }
}

#[test]
fn the_api_lists_each_window_with_its_services_level_and_times() {
    let site = overlapping_windows();
    site.build(AS_OF);
    let incidents = site.json("api/incidents.json");
    let x = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "x")
        .unwrap();
    assert_eq!(
        x["services"],
        json!(["api", "web", "db"]),
        "the windows' services join"
    );
    assert_eq!(
        x["impact"], 100,
        "the incident's impact is its largest window's"
    );
    assert_eq!(
        x["impact_windows"],
        json!([
            { "services": ["api"], "impact": 100, "level": "major",
              "from": "2025-02-10T10:00:00Z", "to": "2025-02-10T11:00:00Z" },
            { "services": ["api", "web"], "impact": 30, "level": "partial",
              "from": "2025-02-10T10:30:00Z", "to": "2025-02-10T12:00:00Z" },
            { "services": ["db"], "impact": 10, "level": null,
              "from": "2025-02-10T10:00:00Z", "to": "2025-02-10T14:00:00Z" }
        ])
    );
    let page = site.read("incidents/x/index.html");
    assert!(page.contains("Up to 100 % of users"), "{page}");
    assert!(
        page.contains("<td>30 % <span class=\"muted\">(partial)</span></td><td><time datetime=\"2025-02-10T10:30:00Z\">10:30 UTC</time></td><td><time datetime=\"2025-02-10T12:00:00Z\">12:00 UTC</time>"),
        "{page}"
    );
    assert!(
        !site
            .read("incidents/y/index.html")
            .contains("Impact by service"),
        "a single impact needs no table"
    );
}

#[test]
fn a_service_is_as_bad_as_the_window_open_on_it_now() {
    let site = overlapping_windows();
    let status = |site: &SiteTest, service: &str| {
        let page = site.read(&format!("services/{service}/index.html"));
        let at = page.find("class=\"status status-").unwrap() + "class=\"status status-".len();
        page[at..].split('"').next().unwrap().to_string()
    };
    // 11:45: api's major window is over, its partial one (30 %) is open; web has Y (50 %).
    site.build("2025-02-10T11:45:00Z");
    assert_eq!(status(&site, "api"), "degraded");
    assert_eq!(status(&site, "web"), "outage");
    assert_eq!(status(&site, "db"), "degraded");
    // 12:15: X goes on, but no window of it is open on api any more.
    site.build("2025-02-10T12:15:00Z");
    assert_eq!(status(&site, "api"), "operational");
    assert_eq!(status(&site, "web"), "outage");
    let incidents = site.json("api/incidents.json");
    let x = &incidents["incidents"].as_array().unwrap()[1];
    assert_eq!(x["id"], "x");
    assert_eq!(x["impact_windows"][1]["to"], "2025-02-10T12:00:00Z");
    assert_eq!(
        x["impact_windows"][2]["to"],
        serde_json::Value::Null,
        "open at T"
    );
}

#[test]
fn the_site_may_change_the_levels_and_add_its_own() {
    let site = SiteTest::new()
        .config("[impact_levels]\npartial = 50\nbrownout = 5\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\nstart = 2025-02-10T10:00:00Z\nend = 2025-02-10T12:00:00Z\n\n\
             [[impact]]\nservices = [\"api\"]\nlevel = \"partial\"\nto = 2025-02-10T11:00:00Z\n\n\
             [[impact]]\nservices = [\"api\"]\nlevel = \"brownout\"\nfrom = 2025-02-10T11:00:00Z\n+++\n",
        );
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    let window = &stats["services"]["api"]["windows"]["30d"];
    assert_eq!(window["downtime_seconds"], 7_200);
    // An hour at 50 %, an hour at 5 %.
    assert_eq!(window["weighted_downtime_seconds"], 1_800 + 180);
}

#[test]
fn every_problem_of_the_windows_is_reported_at_its_key() {
    let site = SiteTest::new()
        .config(CONFIG)
        .file(
            "content/bad.md",
            r#"+++
title = "Bad"
start = 2025-02-10T10:00:00Z
end = 2025-02-10T11:00:00Z
services = ["api", "web"]

[[impact]]
services = ["api"]
level = "mayor"

[[impact]]
services = ["api"]
impact = 30
level = "major"

[[impact]]
services = ["db"]
from = 2025-02-10T09:00:00Z
+++
"#,
        )
        .file(
            "content/uncovered.md",
            r#"+++
title = "Uncovered"
start = 2025-02-10T10:00:00Z
end = 2025-02-10T11:00:00Z
services = ["api", "web"]

[[impact]]
services = ["api"]
from = 2025-02-10T10:30:00Z
to = 2025-02-10T10:00:00Z
impact = 40
+++
"#,
        );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(BAD_WINDOWS)
        .run();
}

const BAD_WINDOWS: &str = r#"error: content/bad.md:9:9: "level": unknown impact level "mayor"
  |
9 | level = "mayor"
  |         ^^^^^^^
  |
  = hint: did you mean "major"?
  = check: unknown-value

error: content/bad.md:14:1: an [[impact]] table gives both "impact" and "level"; keep one
   |
13 | impact = 30
   | ------ the other is here
14 | level = "major"
   | ^^^^^
   |
   = check: invalid-value

error: content/bad.md:16:1: an [[impact]] table needs "impact" or "level"
   |
16 | [[impact]]
   | ^^^^^^^^^^
   |
   = hint: add a percentage like impact = 30, or a level like level = "partial"
   = check: missing-key

error: content/bad.md:18:8: "from" (2025-02-10 09:00 UTC) of an [[impact]] window is outside the incident (2025-02-10 10:00 UTC to 2025-02-10 11:00 UTC)
   |
18 | from = 2025-02-10T09:00:00Z
   |        ^^^^^^^^^^^^^^^^^^^^
   |
   = hint: a window lies inside the incident; leave out from or to for its start or end
   = check: invalid-value

error: content/uncovered.md:5:20: "services": "web" is in no [[impact]] window
  |
5 | services = ["api", "web"]
  |                    ^^^^^
  |
  = hint: add it to a window's services, or leave services out of a window to cover all of them
  = check: invalid-value

error: content/uncovered.md:10:6: an [[impact]] window ends (2025-02-10 10:00 UTC) before it begins (2025-02-10 10:30 UTC)
   |
10 | to = 2025-02-10T10:00:00Z
   |      ^^^^^^^^^^^^^^^^^^^^
   |
   = check: end-before-start

6 problems (6 errors, 0 warnings) in 2 of 2 files
nothing was written
"#;

#[test]
fn yaml_front_matter_writes_the_windows_as_a_list_of_maps() {
    let site = SiteTest::new().file(
        "content/a.md",
        "---\ntitle: A\nstart: 2025-02-10T10:00:00Z\nend: 2025-02-10T11:00:00Z\nimpact:\n  - services: [api]\n    level: major\n    to: 2025-02-10T10:15:00Z\n  - services: [api, web]\n    impact: 20%\n---\n",
    );
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    let api = &stats["services"]["api"]["windows"]["30d"];
    // 15 min at 100 %, then 45 min at 20 % (the 20 % under the first 15 min adds nothing).
    assert_eq!(api["downtime_seconds"], 3_600);
    assert_eq!(api["weighted_downtime_seconds"], 900 + 540);
    let web = &stats["services"]["web"]["windows"]["30d"];
    assert_eq!(web["weighted_downtime_seconds"], 720);
}
