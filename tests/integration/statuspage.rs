//! `aftermath import` of Statuspage API exports, and the inputs the importer refuses: every
//! incident lands with the facts of its updates, and nothing unreadable becomes a postmortem.

use serde_json::Value;

use crate::support::SiteTest;

const SERVICES: &str = "[[services]]\nname = \"api\"\naliases = [\"api requests\"]\n[[services]]\nname = \"web\"\naliases = [\"website\"]\n[[services]]\nname = \"payments\"\n[[services]]\nname = \"notifications\"\naliases = [\"webhooks\"]\n[[services]]\nname = \"git\"\naliases = [\"git operations\"]\n";
const AS_OF: &str = "2025-03-01T00:00:00Z";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/statuspage/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn a_statuspage_export_imports_checks_clean_once_filled_in_and_builds_the_right_figures() {
    let site = SiteTest::new().config(SERVICES);
    let output = site.run(
        &[
            "import",
            &fixture("incidents.json"),
            &fixture("scheduled-maintenances.json"),
        ],
        &[],
    );
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{report}");
    assert!(report.ends_with("imported 5 of 5 postmortems from 2 files; run `aftermath check` to see what is left to fix\n"), "{report}");
    assert!(report.contains("note: another postmortem has the slug \"degraded-performance-for-git-operations\": written as \"degraded-performance-for-git-operations-2\""), "{report}");
    assert!(report.contains("note: `started_at` (2025-01-02 00:00 UTC) is more than a day from the first update (2025-01-05 03:00 UTC); the first update was used"), "{report}");

    let unfilled = site.run(&["check", "--as-of", AS_OF, "--deny-warnings"], &[]);
    let printed = String::from_utf8(unfilled.stdout).unwrap();
    assert_eq!(unfilled.status.code(), Some(1));
    assert!(printed.contains("warning: content/imported/2025-01-05-card-payments-failing.md:5:1: \"impact\" is still to fill in"), "{printed}");
    assert!(
        !printed.contains("webhook-and-api-request-delays.md:5:1"),
        "the component statuses gave its impact: {printed}"
    );

    // A person fills in every TODO line.
    for entry in std::fs::read_dir(site.root().join("content/imported")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let filled: String = text
            .lines()
            .map(|line| match line.strip_prefix("# TODO ") {
                Some(todo) if todo.starts_with("impact") => "impact = 50".to_string(),
                Some(todo) if todo.starts_with("severity") => "severity = \"minor\"".to_string(),
                Some(todo) => panic!("unexpected TODO in {}: {todo}", path.display()),
                None => line.to_string(),
            })
            .map(|line| line + "\n")
            .collect();
        std::fs::write(&path, filled).unwrap();
    }
    let clean = site.run(&["check", "--as-of", AS_OF, "--deny-warnings"], &[]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );

    site.build(AS_OF);
    let incidents = site.json("api/incidents.json");
    let facts: Vec<(String, Value, Value, Value, Value, Value)> = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["start"].clone(),
                i["end"].clone(),
                i["services"].clone(),
                i["severity"].clone(),
                i["kind"].clone(),
            )
        })
        .collect();
    let expected = [
        (
            "degraded-performance-for-git-operations-2",
            "2025-02-20T08:00:00Z",
            Value::Null,
            vec!["web"],
            "minor",
            "incident",
        ),
        (
            "payments-database-maintenance",
            "2025-02-10T02:05:00Z",
            Value::from("2025-02-10T02:55:00Z"),
            vec!["payments"],
            "",
            "maintenance",
        ),
        (
            "degraded-performance-for-git-operations",
            "2025-02-15T12:00:00Z",
            Value::from("2025-02-15T12:45:00Z"),
            vec!["git"],
            "minor",
            "incident",
        ),
        (
            "webhook-and-api-request-delays",
            "2025-01-20T09:52:00Z",
            Value::from("2025-01-20T11:05:30Z"),
            vec!["api", "notifications"],
            "major",
            "incident",
        ),
        (
            "card-payments-failing",
            "2025-01-05T03:00:00Z",
            Value::from("2025-01-05T05:30:00Z"),
            vec!["payments"],
            "critical",
            "incident",
        ),
    ];
    let mut expected: Vec<_> = expected
        .into_iter()
        .map(|(id, start, end, services, severity, kind)| {
            let severity = if severity.is_empty() {
                Value::Null
            } else {
                Value::from(severity)
            };
            (
                id.to_string(),
                Value::from(start),
                end,
                Value::from(services),
                severity,
                Value::from(kind),
            )
        })
        .collect();
    let mut facts = facts;
    facts.sort_by(|a, b| a.0.cmp(&b.0));
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(facts, expected);

    // Downtime by hand. From the component statuses: api partial (30 %) from the start, 09:52,
    // to the end, 11:05:30 (4,410 s); notifications major (100 %) 09:52 to 10:50 (3,480 s),
    // then degraded (0 %) to the end; web degraded from 20 February 08:00 to the as-of time
    // (748,800 s). Filled in at 50 %: payments 03:00 to 05:30 (9,000 s; maintenance never
    // counts), git 45 min.
    let stats = site.json("api/stats.json");
    for (service, plain, weighted) in [
        ("api", 4410, 1323),
        ("notifications", 4410, 3480),
        ("web", 748_800, 0),
        ("payments", 9000, 4500),
        ("git", 2700, 1350),
    ] {
        let window = &stats["services"][service]["windows"]["90d"];
        assert_eq!(window["downtime_seconds"], plain, "{service}");
        assert_eq!(window["weighted_downtime_seconds"], weighted, "{service}");
    }

    // Every incident's updates come back with their states, oldest first.
    let states = |id: &str| -> Vec<String> {
        incidents["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["status"].as_str().unwrap().to_string())
            .collect()
    };
    for (id, expected) in [
        (
            "degraded-performance-for-git-operations-2",
            &["investigating"][..],
        ),
        (
            "degraded-performance-for-git-operations",
            &["investigating", "resolved"],
        ),
        ("card-payments-failing", &["investigating", "resolved"]),
        (
            "payments-database-maintenance",
            &["in_progress", "verifying", "completed"],
        ),
        (
            "webhook-and-api-request-delays",
            &["investigating", "identified", "monitoring", "resolved"],
        ),
    ] {
        assert_eq!(states(id), expected, "{id}");
    }
    // Each Statuspage update comes back as an update with its state, in time order.
    let webhook = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "webhook-and-api-request-delays")
        .unwrap();
    let updates: Vec<(&str, &str)> = webhook["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["at"].as_str().unwrap(), u["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        updates,
        [
            ("2025-01-20T10:00:00Z", "investigating"),
            ("2025-01-20T10:20:00Z", "identified"),
            ("2025-01-20T10:50:00Z", "monitoring"),
            ("2025-01-20T11:05:00Z", "resolved"),
        ]
    );
    assert_eq!(
        webhook["updates"][3]["text"],
        "This incident has been resolved."
    );
    let windows: Vec<(&str, &str, &str, &str)> = webhook["impact_windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["services"][0].as_str().unwrap(),
                w["level"].as_str().unwrap(),
                w["from"].as_str().unwrap(),
                w["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        windows,
        [
            (
                "api",
                "partial",
                "2025-01-20T09:52:00Z",
                "2025-01-20T11:05:30Z"
            ),
            (
                "notifications",
                "major",
                "2025-01-20T09:52:00Z",
                "2025-01-20T10:50:00Z"
            ),
            (
                "notifications",
                "degraded",
                "2025-01-20T10:50:00Z",
                "2025-01-20T11:05:30Z"
            ),
        ]
    );

    let page = site.read("incidents/webhook-and-api-request-delays/index.html");
    assert!(
        page.contains("<strong class=\"tl-status tl-status-monitoring\">Monitoring</strong> — A fix has been implemented"),
        "the state is a label on the step: {page}"
    );
    assert!(
        page.contains(
            "The issue has been identified: a queue consumer &amp; its replica ran out of memory."
        ),
        "entities decoded once, escaped once"
    );
    assert!(
        page.contains("<div class=\"tl-detail\"><p>We're restarting them with more headroom.</p>"),
        "a second paragraph of an update stays with it: {page}"
    );
    assert!(page.contains("href=\"https://stspg.io/a1b2c3\""));
    let maintenance = std::fs::read_to_string(
        site.root()
            .join("content/imported/2025-02-10-payments-database-maintenance.md"),
    )
    .unwrap();
    assert!(
        maintenance
            .contains("Announced on 2025-02-01 09:00 UTC: We will upgrade the payments database.")
    );

    let again = site.run(&["import", &fixture("incidents.json")], &[]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "importing again duplicates nothing"
    );
    assert!(String::from_utf8(again.stdout).unwrap().contains(
        "2025-01-20-webhook-and-api-request-delays.md already exists; nothing was written"
    ));
}

#[test]
fn a_statuspage_history_feed_imports_with_its_updates_components_and_maintenance() {
    let site = SiteTest::new().config(SERVICES);
    let output = site.run(
        &["import", &fixture("history.atom"), &fixture("history.rss")],
        &[],
    );
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{report}");
    assert!(report.ends_with("imported 4 of 4 postmortems from 2 files; run `aftermath check` to see what is left to fix\n"), "{report}");
    for line in [
        "  start      2025-12-31 23:40 UTC  (entries[2].updates[2], the first update)",
        "  end        2026-01-01 00:52 UTC  (entries[2].updates[0], \"resolved\")",
        "  services   notifications  (entries[2].affected[0], \"Webhooks\")",
        "  kind       maintenance  (entries[1].content, \"THIS IS A SCHEDULED EVENT\")",
        "  note: status \"update\" on Statuspage: imported as ongoing (no end)",
        "/history.rss entries[0] -> content/imported/2026-03-03-website-unavailable.md",
        "  start      2026-03-03 09:52 UTC  (entries[0].updates[0], the impact window it states)",
        "  note: entries[0].updates[0] states an impact window (2026-02-02 08:00 UTC to 2026-02-02 08:40 UTC) more than a day from the updates; the update times were used",
    ] {
        assert!(report.contains(line), "{line} in:\n{report}");
    }
    site.build("2026-03-10T00:00:00Z");
    let incidents = site.json("api/incidents.json");
    let facts: Vec<(String, Value, Value, Value, String)> = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let states: Vec<&str> = i["updates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["status"].as_str().unwrap())
                .collect();
            (
                i["id"].as_str().unwrap().to_string(),
                i["start"].clone(),
                i["end"].clone(),
                i["services"].clone(),
                states.join(" "),
            )
        })
        .collect();
    let row = |id: &str, start: &str, end: Value, services: &[&str], states: &str| {
        (
            id.to_string(),
            Value::from(start),
            end,
            Value::from(services.to_vec()),
            states.to_string(),
        )
    };
    assert_eq!(
        facts,
        [
            row(
                "website-unavailable",
                "2026-03-03T09:52:00Z",
                Value::from("2026-03-03T10:40:00Z"),
                &["web"],
                "investigating identified resolved"
            ),
            row(
                "slow-git-operations",
                "2026-02-20T08:00:00Z",
                Value::Null,
                &[],
                "investigating update"
            ),
            row(
                "payments-database-upgrade",
                "2026-01-14T23:00:00Z",
                Value::from("2026-01-15T00:40:00Z"),
                &["payments"],
                "in_progress completed"
            ),
            row(
                "webhook-api-request-delays",
                "2025-12-31T23:40:00Z",
                Value::from("2026-01-01T00:52:00Z"),
                &["notifications", "api"],
                "investigating identified resolved"
            ),
        ],
        "the December update of a January entry is in the year before"
    );
    let page = site.read("incidents/webhook-api-request-delays/index.html");
    assert!(
        page.contains("A queue consumer &amp; its replica ran out of memory. Details in <a href=\"https://example.com/rca/3001\""),
        "entities decoded once and the link kept: {page}"
    );
    assert!(
        page.contains("<div class=\"tl-detail\"><p>We are restarting them with more headroom.</p>")
    );
}

#[test]
fn input_no_format_reads_is_refused_and_nothing_is_written() {
    let site = SiteTest::new()
        .file("in/history.atom", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Status</title></feed>\n")
        .file("in/picture.xml", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n")
        .file("in/page.html", "<!DOCTYPE html>\n<html><body><h1>Postmortem</h1></body></html>\n")
        .file("in/other.json", "{\"name\": \"not an export\"}\n")
        .file("in/broken.json", "{\"incidents\": [\n")
        .file("in/binary.md", "PK\u{0}\u{3}\u{4} zip")
        .file("in/notes.md", "Login outage\n\nStart: 2025-01-01 10:00 UTC\n");
    let cases = [
        (
            "in/history.atom",
            "a feed, but not a Statuspage history feed: no entry holds status updates (a date line, then \"Resolved - ...\"); nothing was written",
        ),
        (
            "in/picture.xml",
            "an XML document, but not a feed that parses (unable to parse feed: no root element); nothing was written",
        ),
        (
            "in/page.html",
            "an HTML page, which no format reads: save the postmortem as text or Markdown; nothing was written",
        ),
        (
            "in/other.json",
            "JSON, but not a Statuspage export: expected an object with \"incidents\", \"scheduled_maintenances\" or \"incident\" (from /api/v2/incidents.json); nothing was written",
        ),
        (
            "in/broken.json",
            "not valid JSON: EOF while parsing a list at line 2 column 0; nothing was written",
        ),
        ("in/binary.md", "binary data, not text; nothing was written"),
    ];
    for (input, message) in cases {
        let output = site.run(&["import", input], &[]);
        assert_eq!(output.status.code(), Some(1), "{input}");
        let printed = String::from_utf8(output.stdout).unwrap();
        assert!(
            printed.starts_with(&format!("{input}: not imported: {message}\n")),
            "{printed}"
        );
    }
    let forced = site.run(&["import", "--from", "statuspage", "in/notes.md"], &[]);
    assert!(String::from_utf8(forced.stdout).unwrap().contains(
        "in/notes.md: not imported: neither JSON nor a feed: --from statuspage reads Statuspage's API exports"
    ));
    let as_text = site.run(&["import", "--from", "text", "in/history.atom"], &[]);
    assert!(String::from_utf8(as_text.stdout).unwrap().contains(
        "in/history.atom: not imported: an XML document, which only --from statuspage reads (a Statuspage history feed); nothing was written"
    ));
    assert!(
        !site.root().join("content/imported").exists(),
        "nothing was written"
    );
}

#[test]
fn free_form_postmortems_with_one_title_import_into_a_site_that_builds() {
    let postmortem = |date: &str| {
        format!(
            "Web Stack Outage Incident\n\nStart: {date} 10:00 UTC\nEnd: {date} 11:00 UTC\n\nThe web stack was down.\n"
        )
    };
    let site = SiteTest::new()
        .file("content/2024-12-01-web-stack-outage-incident.md", "+++\ntitle = \"Web Stack Outage Incident\"\nstart = 2024-12-01T10:00:00Z\nend = 2024-12-01T11:00:00Z\n+++\n")
        .file("notes/a.md", &postmortem("2025-01-10"))
        .file("notes/b.md", &postmortem("2025-02-10"));
    let output = site.run(&["import", "notes"], &[]);
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains("notes/a.md -> content/imported/2025-01-10-web-stack-outage-incident-2.md"),
        "{report}"
    );
    assert!(
        report.contains("notes/b.md -> content/imported/2025-02-10-web-stack-outage-incident-3.md"),
        "{report}"
    );
    site.build(AS_OF);
    assert!(
        site.read("incidents/web-stack-outage-incident-3/index.html")
            .contains("Web Stack Outage Incident")
    );
}
