//! `aftermath import` over the fixtures in tests/fixtures/import: every file imports, the site
//! builds, and each incident has the right start, end, impact and services.

use serde_json::Value;

use crate::support::{SiteTest, stderr};

const SERVICES: &str = "[[services]]\nname = \"api\"\naliases = [\"rest api\"]\n[[services]]\nname = \"web\"\naliases = [\"website\", \"dashboard\"]\n[[services]]\nname = \"payments\"\naliases = [\"checkout\"]\n[[services]]\nname = \"auth\"\naliases = [\"authentication\", \"login\"]\n[[services]]\nname = \"notifications\"\naliases = [\"email\", \"sms\"]\n";

/// (id, start, end, impact, services) as the fixtures say them, in UTC.
const EXPECTED: &[(&str, &str, &str, f64, &[&str])] = &[
    (
        "login-outage-after-a-bad-certificate",
        "2024-03-03T23:00:00Z",
        "2024-03-04T01:15:00Z",
        35.0,
        &["auth"],
    ),
    (
        "checkout-slowdown",
        "2024-03-03T14:00:00Z",
        "2024-03-03T15:30:00Z",
        30.0,
        &["payments"],
    ),
    (
        "api-gateway-crash-loop",
        "2024-03-03T23:00:00Z",
        "2024-03-04T02:30:00Z",
        80.0,
        &["api"],
    ),
    (
        "the-website-went-dark",
        "2024-06-02T16:00:00Z",
        "2024-06-03T02:00:00Z",
        100.0,
        &["web"],
    ),
    (
        "email-delivery-stopped",
        "2024-01-15T09:00:00Z",
        "2024-01-15T11:30:00Z",
        100.0,
        &["notifications"],
    ),
    (
        "elevated-api-error-rate",
        "2024-01-15T21:30:00Z",
        "2024-01-15T22:50:00Z",
        10.0,
        &["api"],
    ),
    (
        "sso-failure-for-enterprise-customers",
        "2024-02-10T14:00:00Z",
        "2024-02-10T14:45:00Z",
        5.0,
        &["auth"],
    ),
    (
        "dashboard-outage-in-april",
        "2024-04-10T15:30:00Z",
        "2024-04-10T17:00:00Z",
        60.0,
        &["web"],
    ),
    (
        "card-payments-failing-in-eu",
        "2024-05-06T20:15:00Z",
        "2024-05-06T21:07:00Z",
        35.0,
        &["payments"],
    ),
    (
        "search-index-lag",
        "2024-07-01T07:00:00Z",
        "2024-07-01T09:00:00Z",
        20.0,
        &["api"],
    ),
    (
        "api-outage",
        "2024-04-25T04:13:00Z",
        "2024-04-25T06:00:00Z",
        100.0,
        &["api"],
    ),
    (
        "website-partially-unavailable",
        "2024-02-01T10:00:00Z",
        "2024-02-01T12:30:00Z",
        100.0,
        &["web"],
    ),
];

#[test]
fn every_fixture_imports_builds_and_gives_the_right_facts() {
    let site = SiteTest::new().config(SERVICES);
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let fixtures = fixtures.display().to_string();
    let output = site.run(&["import", &fixtures], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.ends_with(
            "imported 12 of 12 postmortems from 12 files; run `aftermath check` to see what is left to fix\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("services   auth  (line 7, \"authentcation\")"),
        "a typo of an alias: {report}"
    );
    assert!(
        report.contains(
            "note: the stated duration (5 h, line 6) disagrees with start and end (2 h 30 min)"
        ),
        "{report}"
    );
    assert!(
        report.contains("note: no time zone found: times were read as UTC (the site timezone)"),
        "{report}"
    );
    assert!(report.contains("left out: line 13 (bare image URL), line 15 (newsletter sign-up), line 17 (author biography)"), "{report}");

    let check = site.run(&["check", "--as-of", "2025-01-01T00:00:00Z"], &[]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    site.build("2025-01-01T00:00:00Z");
    let list = site.json("api/incidents.json");
    let incidents = list["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), EXPECTED.len());
    for (id, start, end, impact, services) in EXPECTED {
        let incident = incidents
            .iter()
            .find(|i| i["id"] == *id)
            .unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(incident["start"], *start, "{id} start");
        assert_eq!(incident["end"], *end, "{id} end");
        assert_eq!(incident["impact"].as_f64(), Some(*impact), "{id} impact");
        let names: Vec<&str> = incident["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(names, *services, "{id} services");
    }
    let cstate = incidents.iter().find(|i| i["id"] == "api-outage").unwrap();
    assert_eq!(
        cstate["severity"], "critical",
        "cState down is the most severe"
    );
    assert_eq!(
        incidents
            .iter()
            .find(|i| i["id"] == "website-partially-unavailable")
            .unwrap()["severity"],
        Value::from("major")
    );

    let imported = std::fs::read_to_string(
        site.root()
            .join("content/imported/2024-04-10-dashboard-outage-in-april.md"),
    )
    .unwrap();
    assert!(
        !imported.contains("newsletter")
            && !imported.contains("architecture.png")
            && !imported.contains("long walks")
    );
    assert!(
        imported
            .contains("# TODO severity: not found in the original; one of: critical, major, minor")
    );
    assert!(
        imported.contains("A misconfigured load balancer health check."),
        "the body is kept"
    );

    let again = site.run(&["import", &fixtures], &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8(again.stdout)
            .unwrap()
            .contains("already exists; nothing was written")
    );
}

#[test]
fn what_cannot_be_found_is_written_as_todo_and_check_shows_it() {
    let site = SiteTest::new().config(SERVICES).file(
        "notes/vague.txt",
        r#"Something broke

We are not sure when. Some users noticed.
"#,
    );
    let output = site.run(&["import", "notes/vague.txt"], &[]);
    assert!(output.status.success());
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report
            .contains("not found: start, end, impact, services, severity (written as TODO lines)"),
        "{report}"
    );
    let file =
        std::fs::read_to_string(site.root().join("content/imported/something-broke.md")).unwrap();
    assert!(file.starts_with("+++\ntitle = \"Something broke\"  # line 1, first heading or line\n# TODO start: not found in the original;"), "{file}");
    let check = site.run(&["check", "--as-of", "2025-01-01T00:00:00Z"], &[]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8(check.stdout)
            .unwrap()
            .contains("content/imported/something-broke.md:1:1: missing required key \"start\"")
    );
}

/// A postmortem pasted from a document: a generic first line, label lines, `Label: value`
/// lines, a timeline of year-less dates with a wrapped line, and a list.
const PLAIN_TEXT: &str = "Incident report postmortem

Web Stack Outage Incident

Date: 2026-11-23
Authors: Jane Doe, Bob Roe

Summary:
Between 10:32 and 11:02 UTC the website returned errors.
About 40% of users were affected.

Timeline:
Nov 23, 10:32 UTC - alerts fired for elevated 502s
Nov 23, 10:40 UTC - on-call rolled back the deploy, which took
longer than usual because the pipeline was slow
Nov 23, 11:02 UTC - resolved

Root cause:
A bad configuration push.

Action items:
- Add a canary stage
- Alert on 502 rate
";

#[test]
fn a_plain_text_postmortem_becomes_readable_markdown() {
    let site = SiteTest::new()
        .config(SERVICES)
        .file("notes/web-stack.txt", PLAIN_TEXT);
    let output = site.run(&["import", "notes/web-stack.txt"], &[]);
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains(
            "title      Web Stack Outage Incident  (line 3, first heading or line after a generic one)"
        ),
        "{report}"
    );
    let written = std::fs::read_to_string(
        site.root()
            .join("content/imported/2026-11-23-web-stack-outage-incident.md"),
    )
    .unwrap();
    let body = written.split("+++\n").nth(2).unwrap();
    assert_eq!(
        body,
        "
- **Date:** 2026-11-23
- **Authors:** Jane Doe, Bob Roe

## Summary

Between 10:32 and 11:02 UTC the website returned errors.

About 40% of users were affected.

## Timeline

- Nov 23, 2026, 10:32 UTC - alerts fired for elevated 502s
- Nov 23, 2026, 10:40 UTC - on-call rolled back the deploy, which took
  longer than usual because the pipeline was slow
- Nov 23, 2026, 11:02 UTC - resolved

## Root cause

A bad configuration push.

## Action items

- Add a canary stage
- Alert on 502 rate
"
    );

    let path = site
        .root()
        .join("content/imported/2026-11-23-web-stack-outage-incident.md");
    let filled = written.replace(
        "# TODO severity: not found in the original; one of: critical, major, minor",
        "severity = \"minor\"",
    );
    std::fs::write(&path, filled).unwrap();
    let check = site.run(
        &[
            "check",
            "--as-of",
            "2026-12-01T00:00:00Z",
            "--deny-warnings",
        ],
        &[],
    );
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    site.build("2026-12-01T00:00:00Z");
    let page = site.read("incidents/web-stack-outage-incident/index.html");
    for part in [
        "<h2 id=\"summary\">Summary</h2>",
        "<h2 id=\"root-cause\">Root cause</h2>",
        "<li><strong>Date:</strong> 2026-11-23</li>",
        "<p>About 40% of users were affected.</p>",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
    assert_eq!(
        page.matches("class=\"tl-offset\"").count(),
        3,
        "three timeline events, each with its year: {page}"
    );
    assert!(!page.contains("Incident report postmortem"), "{page}");
}
