//! `api/stats.json` and `api/incidents.json` against figures computed by hand.

use serde_json::json;

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-01T00:00:00Z";

/// Overlapping incidents (a, b), an ongoing one (c), maintenance (d) and an old one (e).
fn fixture() -> SiteTest {
    SiteTest::new()
        .config(
            r#"title = "Fixture"
base_url = "https://example.org/status/"
[[services]]
name = "api"
[[services]]
name = "web"
"#,
        )
        .file(
            "content/a.md",
            r#"+++
title = "A"
start = 2025-02-10T10:00:00Z
end = 2025-02-10T12:00:00Z
detected = 2025-02-10T10:15:00Z
services = ["api"]
severity = "major"
+++
"#,
        )
        .file(
            "content/b.md",
            r#"---
title: B
start: 2025-02-10T11:00:00Z
end: 2025-02-10T13:00:00Z
detected: 2025-02-10T11:05:00Z
services: [api, web]
severity: critical
impact: 50%
---
"#,
        )
        .file(
            "content/nested/deeper/c.md",
            r#"+++
title = "C"
start = 2025-02-28T20:00:00Z
services = ["web"]
impact = 25
+++
"#,
        )
        .file(
            "content/d.md",
            r#"+++
title = "D"
kind = "maintenance"
start = 2025-02-15T00:00:00Z
end = 2025-02-15T06:00:00Z
services = ["api"]
+++
"#,
        )
        .file(
            "content/2024-06-01-e.md",
            r#"+++
title = "E"
start = 2024-06-01T00:00:00Z
duration = "1h"
services = ["api"]
impact = 10
+++
"#,
        )
}

#[test]
fn stats_json_matches_hand_computed_figures() {
    let site = fixture();
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    let expected = json!({
        "as_of": "2025-03-01T00:00:00Z",
        "incidents": { "total": 4, "resolved": 3, "ongoing": 1, "maintenance": 1 },
        // a 7200, b 7200, e 3600: mean 6000, median 7200, p90 at rank 1.8 = 7200.
        "time_to_resolve": { "n": 3, "mean_seconds": 6000, "median_seconds": 7200, "p90_seconds": 7200 },
        // a 900, b 300: p90 at rank 0.9 = 300 + 0.9 × 600 = 840.
        "time_to_detect": { "n": 2, "mean_seconds": 600, "median_seconds": 600, "p90_seconds": 840 },
        "services": {
            "api": {
                "incidents": 3,
                "windows": {
                    // a ∪ b = 10:00-13:00 = 10800 s; weighted 3600 + 3600 (max 100 %) + 1800 (50 %).
                    "30d": { "downtime_seconds": 10800, "weighted_downtime_seconds": 9000,
                             "availability": 0.99583, "weighted_availability": 0.99652,
                             "from": "2025-01-30T00:00:00Z", "length_seconds": 2_592_000 },
                    "90d": { "downtime_seconds": 10800, "weighted_downtime_seconds": 9000,
                             "availability": 0.99861, "weighted_availability": 0.99884,
                             "from": "2024-12-01T00:00:00Z", "length_seconds": 7_776_000 },
                    // The history begins with e, on 2024-06-01: the window covers the 273 days
                    // since (23587200 s), not 365. e adds 3600 s, weighted 360 s (10 %):
                    // 1 − 14400 / 23587200 = 0.999389…, 1 − 9360 / 23587200 = 0.999603….
                    "365d": { "downtime_seconds": 14400, "weighted_downtime_seconds": 9360,
                              "availability": 0.99938, "weighted_availability": 0.9996,
                              "from": "2024-06-01T00:00:00Z", "length_seconds": 23_587_200 }
                },
                "start": "2024-06-01T00:00:00Z"
            },
            "web": {
                "incidents": 2,
                "windows": {
                    // b 7200 s at 50 % + c ongoing 14400 s at 25 %.
                    "30d": { "downtime_seconds": 21600, "weighted_downtime_seconds": 7200,
                             "availability": 0.99166, "weighted_availability": 0.99722,
                             "from": "2025-01-30T00:00:00Z", "length_seconds": 2_592_000 },
                    "90d": { "downtime_seconds": 21600, "weighted_downtime_seconds": 7200,
                             "availability": 0.99722, "weighted_availability": 0.99907,
                             "from": "2024-12-01T00:00:00Z", "length_seconds": 7_776_000 },
                    // 1 − 21600 / 23587200 = 0.999084…, 1 − 7200 / 23587200 = 0.999694….
                    "365d": { "downtime_seconds": 21600, "weighted_downtime_seconds": 7200,
                              "availability": 0.99908, "weighted_availability": 0.99969,
                              "from": "2024-06-01T00:00:00Z", "length_seconds": 23_587_200 }
                },
                "start": "2024-06-01T00:00:00Z"
            }
        },
        // The whole site: a ∪ b = 10:00-13:00 and c's 4 h to T, 25200 s; weighted 3600 +
        // 3600 + 1800 (b at 50 %) + 4 h × 25 % = 12600; e adds 3600 (360 weighted) to 365d.
        "overall": {
            "incidents": 4,
            "windows": {
                "30d": { "downtime_seconds": 25200, "weighted_downtime_seconds": 12600,
                         "availability": 0.99027, "weighted_availability": 0.99513,
                         "from": "2025-01-30T00:00:00Z", "length_seconds": 2_592_000 },
                "90d": { "downtime_seconds": 25200, "weighted_downtime_seconds": 12600,
                         "availability": 0.99675, "weighted_availability": 0.99837,
                         "from": "2024-12-01T00:00:00Z", "length_seconds": 7_776_000 },
                "365d": { "downtime_seconds": 28800, "weighted_downtime_seconds": 12960,
                          "availability": 0.99877, "weighted_availability": 0.99945,
                          "from": "2024-06-01T00:00:00Z", "length_seconds": 23_587_200 }
            },
            "start": "2024-06-01T00:00:00Z"
        },
        "history_start": "2024-06-01T00:00:00Z"
    });
    assert_eq!(
        stats,
        expected,
        "{}",
        serde_json::to_string_pretty(&stats).unwrap()
    );
}

#[test]
fn incidents_json_lists_every_entry_newest_first() {
    let site = fixture();
    site.build(AS_OF);
    let list = site.json("api/incidents.json");
    let ids: Vec<&str> = list["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["c", "d", "b", "a", "e"], "newest start first");
    assert_eq!(
        list["incidents"][0],
        json!({
            "id": "c", "title": "C", "url": "https://example.org/status/incidents/c/",
            "start": "2025-02-28T20:00:00Z", "end": null, "duration_seconds": null, "detected": null,
            "impact": 25, "services": ["web"], "severity": null, "kind": "incident", "status": "ongoing",
            "impact_windows": [
                { "services": ["web"], "impact": 25, "level": null,
                  "from": "2025-02-28T20:00:00Z", "to": null }
            ],
            "updates": []
        })
    );
    assert_eq!(
        list["incidents"][2],
        json!({
            "id": "b", "title": "B", "url": "https://example.org/status/incidents/b/",
            "start": "2025-02-10T11:00:00Z", "end": "2025-02-10T13:00:00Z", "duration_seconds": 7200,
            "detected": "2025-02-10T11:05:00Z", "impact": 50, "services": ["api", "web"],
            "severity": "critical", "kind": "incident", "status": "resolved",
            "impact_windows": [
                { "services": ["api", "web"], "impact": 50, "level": null,
                  "from": "2025-02-10T11:00:00Z", "to": "2025-02-10T13:00:00Z" }
            ],
            "updates": []
        })
    );
    assert_eq!(list["incidents"][1]["kind"], "maintenance");
    assert_eq!(
        list["incidents"][4]["end"], "2024-06-01T01:00:00Z",
        "duration gives the end"
    );
}

#[test]
fn as_of_in_the_past_shows_the_site_as_it_was() {
    let site = fixture();
    // At 11:30 on the day of a and b: both ongoing, c not yet started.
    site.build("2025-02-10T11:30:00Z");
    let stats = site.json("api/stats.json");
    assert_eq!(
        stats["incidents"],
        json!({ "total": 3, "resolved": 1, "ongoing": 2, "maintenance": 0 })
    );
    assert_eq!(
        stats["services"]["api"]["windows"]["30d"]["downtime_seconds"],
        5400
    );
    let list = site.json("api/incidents.json");
    assert_eq!(list["incidents"].as_array().unwrap().len(), 3);
    assert_eq!(list["incidents"][0]["status"], "ongoing");
    assert_eq!(list["incidents"][0]["end"], serde_json::Value::Null);
}

#[test]
fn an_empty_site_builds_with_zero_counts() {
    let site = SiteTest::new();
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    assert_eq!(stats["time_to_resolve"], json!({ "n": 0 }));
    assert_eq!(stats["incidents"]["total"], 0);
    assert!(
        site.read("index.html")
            .contains("No incidents have been published yet.")
    );
}

/// Windows start no earlier than the history (or the service): figures by hand.
#[test]
fn windows_begin_where_the_history_and_each_service_begin() {
    let site = SiteTest::new()
        .config(
            r#"title = "Young"
history_start = 2025-02-01
[[services]]
name = "old"
[[services]]
name = "new"
since = 2025-02-20
"#,
        )
        .file(
            "content/before.md",
            r#"+++
title = "Before the history"
start = 2025-01-15T10:00:00Z
end = 2025-01-15T12:00:00Z
services = ["old"]
+++
"#,
        )
        .file(
            "content/launch.md",
            r#"+++
title = "Launch week outage"
start = 2025-02-25T10:00:00Z
end = 2025-02-25T11:00:00Z
services = ["new"]
+++
"#,
        );
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    assert_eq!(stats["history_start"], "2025-02-01T00:00:00Z");
    // "old": the 30-day window would begin on 2025-01-30; the history begins on 2025-02-01, so
    // it covers 28 days (2419200 s), and the incident of 2025-01-15 is outside it.
    let old = &stats["services"]["old"];
    assert_eq!(old["start"], "2025-02-01T00:00:00Z");
    assert_eq!(
        old["windows"]["30d"],
        json!({ "downtime_seconds": 0, "weighted_downtime_seconds": 0, "availability": 1.0,
                "weighted_availability": 1.0, "from": "2025-02-01T00:00:00Z",
                "length_seconds": 2_419_200 })
    );
    assert_eq!(
        old["incidents"], 1,
        "it still counts as one of its incidents"
    );
    // "new" began on 2025-02-20: 9 days (777600 s) with 1 h down: 1 − 3600 / 777600 = 0.995370….
    let new = &stats["services"]["new"];
    for window in ["30d", "90d", "365d"] {
        assert_eq!(
            new["windows"][window],
            json!({ "downtime_seconds": 3600, "weighted_downtime_seconds": 3600,
                    "availability": 0.99537, "weighted_availability": 0.99537,
                    "from": "2025-02-20T00:00:00Z", "length_seconds": 777_600 }),
            "{window}"
        );
    }
    let page = site.read("services/new/index.html");
    assert!(page.contains(
        "<span class=\"tip\">19 February 2025: no data, before its history began</span>"
    ));
    assert!(page.contains("<span class=\"tip\">20 February 2025: no downtime recorded</span>"));
    assert!(
        page.contains("Last 365 days<br><span class=\"muted small\">since 20 February 2025</span>")
    );
    let calendar = site.read("calendar/index.html");
    assert!(calendar.contains("15 January 2025: no data, before the history began"));
    assert!(calendar.contains("1 February 2025: no downtime recorded"));
}

#[test]
fn a_history_start_that_is_not_a_day_is_an_error_at_its_value() {
    SiteTest::new()
        .config("history_start = \"March 2021\"\n")
        .command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(BAD_HISTORY_START)
        .run();
}

const BAD_HISTORY_START: &str = r#"error: aftermath.toml:1:17: "history_start": expected a day like 2021-03-01, found "March 2021"
  |
1 | history_start = "March 2021"
  |                 ^^^^^^^^^^^^
  |
  = check: invalid-value

1 problem (1 error, 0 warnings) in 1 of 1 file
nothing was written
"#;
