//! Outputs read elsewhere: badges (SVG and shields.io endpoint JSON), per-service feeds and the
//! maintenance calendar. Their figures are the statistics' own, checked against
//! `api/stats.json`, and the calendar is read back with a real iCalendar parser.

use icalendar::Component;
use serde_json::Value;

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-01T00:00:00Z";

fn site() -> SiteTest {
    SiteTest::new()
        .config("title = \"Acme\"\nbase_url = \"https://status.example.org/\"\n\n[[services]]\nname = \"api\"\nslo = \"99.9%\"\n\n[[services]]\nname = \"web\"\n")
        .file(
            "content/a.md",
            "+++\ntitle = \"API errors\"\nsummary = \"Errors, then recovery.\"\nstart = 2025-02-20T10:00:00Z\nend = 2025-02-20T11:30:00Z\nservices = [\"api\"]\nimpact = 40\n+++\nBody.\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"Web down\"\nstart = 2025-02-28T23:00:00Z\nservices = [\"web\"]\n+++\nStill down.\n",
        )
        .file(
            "content/upgrade.md",
            "+++\ntitle = \"Database upgrade; with a, comma\"\nsummary = \"A long summary that is longer than seventy-five octets, so that the line must be folded, with ü and a semicolon; too.\"\nkind = \"maintenance\"\nstart = 2025-02-10T01:00:00Z\nend = 2025-02-10T02:00:00Z\nservices = [\"api\"]\n+++\nBody.\n",
        )
        .file(
            "content/next.md",
            "+++\ntitle = \"Network maintenance\"\nkind = \"maintenance\"\nstart = 2025-03-05T01:00:00Z\nend = 2025-03-05T03:00:00Z\nservices = [\"web\"]\n+++\nBody.\n",
        )
}

/// `0.99722` as the badges print it: `99.722%`.
fn percent(value: &Value) -> String {
    let thousandths = (value.as_f64().unwrap() * 100_000.0).round() as i64;
    format!("{}.{:03}%", thousandths / 1000, thousandths % 1000)
}

#[test]
fn every_badge_figure_is_the_one_in_the_statistics() {
    let site = site();
    site.build(AS_OF);
    let stats = site.json("api/stats.json");
    for (folder, figures, label) in [
        ("badges/api/", &stats["services"]["api"], "api"),
        ("badges/web/", &stats["services"]["web"], "web"),
        ("badges/", &stats["overall"], "availability"),
    ] {
        for window in ["30d", "90d"] {
            let badge = site.json(&format!("{folder}availability-{window}.json"));
            let expected = percent(&figures["windows"][window]["availability"]);
            assert_eq!(badge["schemaVersion"], 1);
            assert_eq!(badge["label"], format!("{label} {window}"));
            assert_eq!(badge["message"], expected.as_str(), "{folder} {window}");
            let svg = site.read(&format!("{folder}availability-{window}.svg"));
            assert!(
                svg.contains(&format!("<title>{label} {window}: {expected}</title>")),
                "{svg}"
            );
            roxmltree::Document::parse(&svg).expect("the badge is well-formed XML");
        }
    }
    // api: 1.5 h down in 30 days is 99.791 %, under its 99.9 % objective.
    assert_eq!(
        site.json("badges/api/availability-30d.json")["color"],
        "orange"
    );
    // web is down now; the site's status is its worst service's.
    assert_eq!(site.json("badges/web/status.json")["message"], "outage");
    assert_eq!(
        site.json("badges/api/status.json")["message"],
        "operational"
    );
    let status = site.json("badges/status.json");
    assert_eq!(
        (
            status["label"].clone(),
            status["message"].clone(),
            status["color"].clone()
        ),
        ("status".into(), "outage".into(), "red".into())
    );
}

#[test]
fn a_service_feed_holds_that_service_only_with_its_upcoming_maintenance() {
    let site = site();
    site.build(AS_OF);
    let atom = site.read("services/web/feed.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| {
            e.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert_eq!(
        titles,
        [
            "[Upcoming maintenance] Network maintenance",
            "[Ongoing] Web down"
        ]
    );
    assert!(atom.contains("<title>Acme: web</title>"), "{atom}");
    assert!(atom.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://status.example.org/services/web/feed.xml\"/>"));
    let json = site.json("services/api/feed.json");
    assert_eq!(
        json["feed_url"],
        "https://status.example.org/services/api/feed.json"
    );
    let items: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "API errors",
            "[Maintenance] Database upgrade; with a, comma"
        ],
        "newest first"
    );
    let page = site.read("services/web/index.html");
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"web: Atom feed\" href=\"../../services/web/feed.xml\">"), "{page}");
}

#[test]
fn the_maintenance_calendar_reads_back_with_stable_uids_and_folded_lines() {
    let site = site();
    site.build(AS_OF);
    let text = site.read("maintenance.ics");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "an unfolded line: {line}");
    }
    let calendar: icalendar::Calendar = text.parse().expect("a valid iCalendar file");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].get_summary(),
        Some("Database upgrade; with a, comma")
    );
    assert_eq!(events[0].get_uid(), Some("upgrade@status.example.org"));
    assert_eq!(
        events[0].get_description(),
        Some(
            "A long summary that is longer than seventy-five octets, so that the line must be folded, with ü and a semicolon; too."
        )
    );
    assert!(
        text.contains("DTSTART:20250210T010000Z\r\n")
            && text.contains("DTEND:20250210T020000Z\r\n")
    );
    assert_eq!(events[1].get_uid(), Some("next@status.example.org"));
    assert!(
        text.contains("DTEND:20250305T030000Z\r\n"),
        "the planned end of an upcoming window"
    );
    // The same file a day later: nothing in it depends on the clock.
    site.build("2025-03-02T00:00:00Z");
    assert_eq!(site.read("maintenance.ics"), text);
    let web: icalendar::Calendar = site.read("services/web/maintenance.ics").parse().unwrap();
    assert_eq!(
        web.components.iter().filter_map(|c| c.as_event()).count(),
        1
    );
}

/// The value of one sample of `metrics.prom`, found by name and labels.
fn sample(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    let found = scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .unwrap_or_else(|| panic!("no {name} {labels:?}"));
    match &found.value {
        prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Counter(v) => *v,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn every_metric_is_the_figure_of_the_api_files() {
    let site = site();
    site.build(AS_OF);
    let text = site.read("metrics.prom");
    let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    let stats = site.json("api/stats.json");
    for service in ["api", "web"] {
        for window in ["30d", "90d", "365d"] {
            let figures = &stats["services"][service]["windows"][window];
            let labels = [("service", service), ("window", window)];
            assert_eq!(
                sample(&scrape, "aftermath_availability_ratio", &labels),
                figures["availability"].as_f64().unwrap()
            );
            assert_eq!(
                sample(&scrape, "aftermath_weighted_availability_ratio", &labels),
                figures["weighted_availability"].as_f64().unwrap()
            );
            assert_eq!(
                sample(&scrape, "aftermath_downtime_seconds", &labels),
                figures["downtime_seconds"].as_f64().unwrap()
            );
        }
    }
    assert_eq!(
        sample(&scrape, "aftermath_ongoing_incidents", &[]),
        stats["incidents"]["ongoing"].as_f64().unwrap()
    );
    assert_eq!(
        sample(
            &scrape,
            "aftermath_incidents_total",
            &[("severity", "none")]
        ),
        2.0
    );
    let summary = scrape
        .samples
        .iter()
        .find(|s| s.metric == "aftermath_time_to_resolve_seconds")
        .unwrap();
    let prometheus_parse::Value::Summary(quantiles) = &summary.value else {
        panic!("{summary:?}")
    };
    assert_eq!(
        quantiles[0].count,
        stats["time_to_resolve"]["median_seconds"].as_f64().unwrap()
    );
    let slo = site.json("api/slo.json");
    assert_eq!(
        sample(
            &scrape,
            "aftermath_error_budget_remaining_seconds",
            &[("service", "api")]
        ),
        slo["services"]["api"]["remaining_seconds"]
            .as_f64()
            .unwrap()
    );
    assert!(text.contains("# TYPE aftermath_incidents_total counter\n"));
    assert!(
        text.contains("aftermath_service_status{service=\"web\",status=\"outage\"} 1\n"),
        "{text}"
    );
}

#[test]
fn the_statuspage_summary_speaks_statuspage_v2() {
    let site = site();
    site.build(AS_OF);
    let summary = site.json("api/v2/summary.json");
    assert_eq!(summary["page"]["url"], "https://status.example.org/");
    assert_eq!(
        summary["status"],
        serde_json::json!({"indicator": "critical", "description": "Major System Outage"})
    );
    let components: Vec<(&str, &str)> = summary["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        components,
        [("api", "operational"), ("web", "major_outage")]
    );
    let incidents = summary["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    assert_eq!(
        (
            incidents[0]["name"].as_str(),
            incidents[0]["status"].as_str()
        ),
        (Some("Web down"), Some("investigating"))
    );
    assert_eq!(
        incidents[0]["shortlink"],
        "https://status.example.org/incidents/b/"
    );
    let upcoming = site.json("api/v2/scheduled-maintenances/upcoming.json");
    let windows = upcoming["scheduled_maintenances"].as_array().unwrap();
    assert_eq!(windows.len(), 1);
    assert_eq!(windows[0]["status"], "scheduled");
    assert_eq!(windows[0]["scheduled_for"], "2025-03-05T01:00:00Z");
    assert_eq!(windows[0]["scheduled_until"], "2025-03-05T03:00:00Z");
    for file in ["status", "components", "incidents/unresolved"] {
        assert_eq!(
            site.json(&format!("api/v2/{file}.json"))["page"],
            summary["page"]
        );
    }
    assert_eq!(site.json("api/v2/status.json")["status"], summary["status"]);
}

#[test]
fn the_embeds_show_status_and_bars_without_the_site_around_them() {
    let site = site();
    site.build(AS_OF);
    let all = site.read("embed/index.html");
    assert!(all.contains("<base target=\"_top\">"));
    assert!(
        !all.contains("<nav") && !all.contains("<script"),
        "chromeless, no JavaScript"
    );
    assert_eq!(all.matches("class=\"embed-service\"").count(), 2);
    assert!(all.contains("<a href=\"../services/web/\">web</a> <span class=\"status status-outage\">Outage</span>"), "{all}");
    let api = site.read("embed/api/index.html");
    assert_eq!(api.matches("class=\"embed-service\"").count(), 1);
    assert_eq!(api.matches("<li class=\"bar ").count(), 90);
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://status.example.org/embed/api/</loc>"));
    assert!(
        !sitemap.contains("badges/")
            && !sitemap.contains("metrics.prom")
            && !sitemap.contains(".ics")
    );
}
