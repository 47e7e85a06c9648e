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
                             "availability": 0.99583, "weighted_availability": 0.99652 },
                    "90d": { "downtime_seconds": 10800, "weighted_downtime_seconds": 9000,
                             "availability": 0.99861, "weighted_availability": 0.99884 },
                    // e adds 3600 s, weighted 360 s (10 %).
                    "365d": { "downtime_seconds": 14400, "weighted_downtime_seconds": 9360,
                              "availability": 0.99954, "weighted_availability": 0.9997 }
                }
            },
            "web": {
                "incidents": 2,
                "windows": {
                    // b 7200 s at 50 % + c ongoing 14400 s at 25 %.
                    "30d": { "downtime_seconds": 21600, "weighted_downtime_seconds": 7200,
                             "availability": 0.99166, "weighted_availability": 0.99722 },
                    "90d": { "downtime_seconds": 21600, "weighted_downtime_seconds": 7200,
                             "availability": 0.99722, "weighted_availability": 0.99907 },
                    "365d": { "downtime_seconds": 21600, "weighted_downtime_seconds": 7200,
                              "availability": 0.99931, "weighted_availability": 0.99977 }
                }
            }
        }
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
            "impact": 25, "services": ["web"], "severity": null, "kind": "incident", "status": "ongoing"
        })
    );
    assert_eq!(
        list["incidents"][2],
        json!({
            "id": "b", "title": "B", "url": "https://example.org/status/incidents/b/",
            "start": "2025-02-10T11:00:00Z", "end": "2025-02-10T13:00:00Z", "duration_seconds": 7200,
            "detected": "2025-02-10T11:05:00Z", "impact": 50, "services": ["api", "web"],
            "severity": "critical", "kind": "incident", "status": "resolved"
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
