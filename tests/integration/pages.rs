//! The HTML pages: what each page type shows, sub-path hosting, drafts, theme overrides.

use crate::support::SiteTest;
use aftermath::render::Silent;

const AS_OF: &str = "2025-03-01T00:00:00Z";

fn site() -> SiteTest {
    SiteTest::new()
        .config(
            r#"title = "Acme"
base_url = "https://example.org/status/"
timezone = "Europe/Berlin"
[[services]]
name = "api"
description = "Public API"
[[services]]
name = "Web App"
"#,
        )
        .file(
            "content/2025/2025-02-01-midnight.md",
            r#"+++
title = "Across midnight"
summary = "Late night outage."
start = 2025-02-01T22:30:00Z
end = 2025-02-01T23:30:00Z
detected = 2025-02-01T22:40:00Z
services = ["api"]
severity = "major"
impact = 35.5
tags = ["network"]
+++
## Summary

Text.

## Timeline

```sql
SELECT 1;
```
"#,
        )
        .file(
            "content/2025/2025-02-20-ongoing.md",
            r#"---
title: Still broken
start: 2025-02-28T23:00:00Z
services: [Web App]
severity: critical
---
We are on it.
"#,
        )
        .file(
            "content/2024/2024-07-01-old.md",
            r#"+++
title = "Last year"
start = "2024-07-01 10:00"
timezone = "Europe/Berlin"
duration = "45m"
services = ["api"]
+++
"#,
        )
        .file(
            "content/2025/draft.md",
            r#"+++
title = "Secret draft"
start = 2025-02-02T10:00:00Z
draft = true
+++
"#,
        )
}

#[test]
fn every_page_type_is_written() {
    let site = site();
    let report = site.build(AS_OF);
    assert_eq!(report.incidents, 3);
    for page in [
        "index.html",
        "incidents/midnight/index.html",
        "incidents/ongoing/index.html",
        "incidents/old/index.html",
        "history/index.html",
        "history/2025/index.html",
        "history/2024/index.html",
        "calendar/index.html",
        "services/api/index.html",
        "services/web-app/index.html",
        "stats/index.html",
        "404.html",
        "feed.xml",
        "feed.json",
        "sitemap.xml",
        "api/stats.json",
        "api/incidents.json",
        "assets/style.css",
        ".aftermath-output",
    ] {
        assert!(site.out().join(page).is_file(), "{page} is missing");
    }
}

#[test]
fn the_index_leads_with_ongoing_incidents_and_uptime_bars() {
    let site = site();
    site.build(AS_OF);
    let index = site.read("index.html");
    assert!(index.contains("1 ongoing incident"), "banner");
    let banner = index.find("1 ongoing incident").unwrap();
    let recent = index.find("Recent incidents").unwrap();
    assert!(
        index[banner..recent].contains("Still broken"),
        "ongoing incident is listed first"
    );
    assert_eq!(
        index.matches("class=\"bar l").count(),
        2 * 90,
        "90 daily bars per service"
    );
    assert!(
        index.contains("1 February 2025: 30 min of downtime (1 incident, worst severity major)"),
        "day label in Berlin time"
    );
    assert!(
        index.contains("2 February 2025: 30 min of downtime"),
        "the other half after midnight"
    );
    assert!(
        index.contains("Median time to resolve</dt><dd>52 min <span class=\"muted\">n = 2</span>"),
        "{index}"
    );
    assert!(!index.contains("Secret draft"));
}

#[test]
fn an_incident_page_shows_times_in_utc_and_the_site_zone() {
    let site = site();
    site.build(AS_OF);
    let page = site.read("incidents/midnight/index.html");
    assert!(page.contains("<h1 id=\"incident-title\">Across midnight</h1>"));
    assert!(page.contains("<time datetime=\"2025-02-01T22:30:00Z\">2025-02-01 23:30 CET</time>"));
    assert!(page.contains("2025-02-01 22:30 UTC"));
    assert!(page.contains("<time datetime=\"2025-02-01T23:30:00Z\">2025-02-02 00:30 CET</time>"));
    assert!(page.contains("<dd>1 h</dd>"), "duration");
    assert!(page.contains("10 min after start"), "time to detect");
    assert!(page.contains("35.5 % of users"));
    assert!(page.contains("<a href=\"../../services/api/\">api</a>"));
    assert!(
        page.contains("<a href=\"#timeline\">Timeline</a>"),
        "table of contents"
    );
    assert!(page.contains("class=\"hl-"), "highlighted code");
    assert!(
        page.contains("href=\"../../incidents/old/\" rel=\"prev\""),
        "older neighbour"
    );
    assert!(
        page.contains("href=\"../../incidents/ongoing/\" rel=\"next\""),
        "newer neighbour"
    );
    let ongoing = site.read("incidents/ongoing/index.html");
    assert!(ongoing.contains("Ongoing as of <time datetime=\"2025-03-01T00:00:00Z\">"));
    assert!(ongoing.contains("<dd>1 h so far</dd>"));
}

#[test]
fn history_calendar_services_and_stats() {
    let site = site();
    site.build(AS_OF);
    let history = site.read("history/index.html");
    assert!(history.contains("href=\"../history/2025/\">2025</a>"));
    assert!(
        !history.contains("incidents/midnight/"),
        "the history index is compact: months, not incidents"
    );
    // "Still broken" starts at 00:00 CET on 1 March: it belongs to March in the site zone.
    assert!(
        history.contains(
            "<tr><th scope=\"row\"><a href=\"../history/2025/#2025-02\">February 2025</a></th><td class=\"num\">1</td><td class=\"num\">1 h</td><td class=\"num\">0</td></tr>"
        ),
        "{history}"
    );
    assert!(
        history.contains(
            "<tr><th scope=\"row\"><a href=\"../history/2025/#2025-03\">March 2025</a></th><td class=\"num\">1</td><td class=\"num\">1 h</td><td class=\"num\">0</td></tr>"
        ),
        "{history}"
    );
    let year = site.read("history/2025/index.html");
    assert!(year.contains("id=\"2025-02\""));
    assert!(year.contains("Across midnight") && year.contains("Still broken"));
    let calendar = site.read("calendar/index.html");
    assert!(calendar.contains("<span class=\"tip\">1 February 2025: 30 min of downtime"));
    assert!(
        calendar.contains("href=\"../incidents/midnight/\""),
        "a day links to its incident"
    );
    assert!(calendar.contains("<h2 id=\"cal2024\">2024"));
    let service = site.read("services/web-app/index.html");
    assert!(
        service.contains("<h1>Web App <span class=\"status status-outage\">Outage</span></h1>"),
        "an ongoing incident at 100 % impact: {service}"
    );
    assert!(service.contains("Still broken"));
    assert!(!service.contains("Across midnight"));
    let api = site.read("services/api/index.html");
    assert!(api.contains("Public API"));
    assert!(
        api.contains("Median 52 min"),
        "median of 45 min and 1 h: {api}"
    );
    let stats = site.read("stats/index.html");
    assert!(stats.contains("<h2 id=\"definitions\">Definitions</h2>"));
    assert!(
        stats.contains("<th scope=\"row\">15–60 min</th><td class=\"num\">1</td>"),
        "histogram"
    );
    assert!(
        stats.contains("<th scope=\"row\">1–4 h</th><td class=\"num\">1</td>"),
        "1 h is in 1–4 h"
    );
}

#[test]
fn links_work_under_a_sub_path() {
    let site = site();
    site.build(AS_OF);
    let not_found = site.read("404.html");
    assert!(
        not_found.contains("href=\"/status/assets/style.css\""),
        "404 is served at any depth"
    );
    assert!(not_found.contains("href=\"/status/history/\""));
    let index = site.read("index.html");
    assert!(index.contains("href=\"./assets/style.css\""));
    assert!(
        !index.contains("href=\"/"),
        "no root-absolute links that would ignore /status/"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/status/incidents/midnight/</loc>"));
}

#[test]
fn drafts_are_built_only_on_request() {
    let site = site();
    let mut options = site.options(AS_OF);
    options.include_drafts = true;
    aftermath::build(&options, &Silent).unwrap();
    assert!(
        site.read("incidents/draft/index.html")
            .contains("Secret draft")
    );
}

#[test]
fn a_site_theme_overrides_single_templates_and_assets() {
    let site = site()
        .file("aftermath.toml", r#"title = "Acme"
theme = "custom"
"#)
        .file(
            "themes/custom/templates/404.html",
            "{% extends \"base.html\" %}{% block content %}<p>Custom not found</p>{% endblock content %}",
        )
        .file("themes/custom/static/assets/extra.txt", "hello");
    site.build(AS_OF);
    assert!(site.read("404.html").contains("Custom not found"));
    assert!(
        site.read("404.html").contains("assets/style.css"),
        "base.html still comes from the default theme"
    );
    assert_eq!(site.read("assets/extra.txt"), "hello");
    assert!(site.read("index.html").contains("Recent incidents"));
}

/// However many severities a site configures, each badge gets one of the four styled classes,
/// and beyond four a mix of colours of its own.
#[test]
fn five_severities_each_get_their_own_colour() {
    let site = SiteTest::new()
        .config(
            r#"title = "Acme"
severities = ["sev1", "sev2", "sev3", "sev4", "sev5"]
"#,
        )
        .file(
            "content/a.md",
            r#"+++
title = "Worst"
start = 2025-02-01T10:00:00Z
end = 2025-02-01T11:00:00Z
severity = "sev1"
+++
"#,
        )
        .file(
            "content/b.md",
            r#"+++
title = "Mildest"
start = 2025-02-02T10:00:00Z
end = 2025-02-02T11:00:00Z
severity = "sev5"
+++
"#,
        );
    site.build(AS_OF);
    assert!(
        site.read("incidents/a/index.html")
            .contains("class=\"badge sev sev-0\" style=\"--sev-mix: 100%\">Sev1<")
    );
    assert!(
        site.read("incidents/b/index.html")
            .contains("class=\"badge sev sev-3\" style=\"--sev-mix: 0%\">Sev5<")
    );
    let css = site.read("assets/style.css");
    assert!(
        css.contains(".sev-3 { color: var(--sev-3);")
            && css.contains(".sev[style] { color: color-mix(in oklab, var(--sev-0) var(--sev-mix), var(--sev-3)); }"),
        "the stylesheet styles them"
    );
}

/// A component file replaced in a theme changes every page that calls it.
#[test]
fn a_theme_component_replaces_the_markup_everywhere_it_is_called() {
    let site = site()
        .file("aftermath.toml", r#"title = "Acme"
theme = "custom"
"#)
        .file(
            "themes/custom/templates/partials/badges.html",
            "{% component badges(item: map) %}<b class=\"mine\">{{ item.severity }}</b>{% endcomponent badges %}\n",
        );
    site.build(AS_OF);
    let incident = site.read("incidents/midnight/index.html");
    assert!(
        incident.contains("<b class=\"mine\">major</b>"),
        "{incident}"
    );
    assert!(!incident.contains("class=\"badges\""), "{incident}");
    let index = site.read("index.html");
    assert!(
        index.contains("<b class=\"mine\">critical</b>"),
        "the rows of the index call it too: {index}"
    );
}

#[test]
fn the_repository_demo_site_builds_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let options = aftermath::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.path().join("public")),
        base_url: None,
        as_of: "2026-11-23T12:00:00Z".parse().unwrap(),
        include_drafts: false,
        audience: aftermath::config::Audience::Public,
        force: false,
        home: None,
        cache: false,
    };
    let report = aftermath::build(&options, &Silent).expect("the demo site builds");
    assert!(report.warnings.is_empty(), "{}", report.warnings);
    assert!(report.incidents >= 15, "at least 15 published postmortems");
    let stats: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("public/api/stats.json")).unwrap(),
    )
    .unwrap();
    assert!(stats["services"].as_object().unwrap().len() >= 4);
    assert_eq!(stats["incidents"]["ongoing"], 1);
    assert!(stats["incidents"]["maintenance"].as_u64().unwrap() >= 1);
}

#[test]
fn a_free_form_timeline_becomes_a_structured_one() {
    let site = SiteTest::new()
        .config("timezone = \"Europe/Berlin\"\n")
        .file(
            "content/login.md",
            "+++\ntitle = \"Login outage\"\nstart = 2025-02-01T21:00:00Z\nend = 2025-02-02T01:00:00Z\n+++\n\
             # Issue Summary\n\nLogins failed.\n\n\
             Timeline:\n\n\
             10:00 PM: Deploy of `auth` v42 finished.\n\
             - **10:15 PM:** Alerts fired for elevated login errors.\n\
             • 11:30 PM: The on-call engineer was paged again.\n\
             | 00:30 | Rollback started |\n\
             February 2nd, 2025, 1:00 AM (CET): Service fully restored.\n\
             2025-02-02 01:00 UTC — Customers informed.\n\n\
             ## Corrective and preventive measures\n\n- [x] Canary deploys\n- [ ] Alert on login errors sooner\n",
        );
    site.build(AS_OF);
    let page = site.read("incidents/login/index.html");
    let offsets: Vec<&str> = page
        .split("<span class=\"tl-offset\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(
        offsets,
        [
            "+0 min",
            "+15 min",
            "+1 h 30 min",
            "+2 h 30 min",
            "+3 h",
            "+4 h"
        ]
    );
    assert!(
        page.contains("<time datetime=\"2025-02-01T23:30:00Z\">2 Feb 00:30</time>"),
        "rolled over midnight"
    );
    assert!(
        page.contains("<span class=\"tl-text\">Deploy of <code>auth</code> v42 finished.</span>"),
        "inline Markdown in event text"
    );
    let phases: Vec<&str> = page
        .split("<span class=\"tl-phase\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(
        phases,
        ["before detection", "detection to resolution"],
        "a phase is named where it starts, not on every row"
    );
    assert!(
        page.contains("15 min after start (from the timeline)"),
        "detected taken from the first alert"
    );
    assert!(page.contains("<dt>Action items</dt><dd>2 <span class=\"muted\">(1 open)</span></dd>"));
    let stats = site.json("api/stats.json");
    assert_eq!(stats["time_to_detect"]["median_seconds"], 900);
    assert_eq!(
        site.json("api/incidents.json")["incidents"][0]["detected"],
        "2025-02-01T21:15:00Z"
    );
}

#[test]
fn the_timeline_is_shown_once_in_the_bodys_place() {
    let site = SiteTest::new().file(
        "content/db.md",
        "+++\ntitle = \"Database failover\"\nstart = 2025-02-01T10:00:00Z\nend = 2025-02-01T11:00:00Z\n+++\n\
         ## Summary\n\nThe primary failed.\n\n\
         ## Timeline\n\n\
         - 10:00 UTC: Primary stopped answering.\n\
         \x20 The replica lagged by `40 s`.\n\
         - 10:20 UTC: Failover finished.\n\n\
         Overnight the team watched the replica.\n\n\
         - 11:00 UTC: Declared resolved.\n\n\
         ## Root cause\n\nA full disk.\n",
    );
    site.build(AS_OF);
    let page = site.read("incidents/db/index.html");
    assert!(
        !page.contains("Primary stopped answering.</li>"),
        "the body's own list is gone"
    );
    assert_eq!(page.matches("Primary stopped answering.").count(), 1);
    let order = [
        "<h2 id=\"timeline\">Timeline</h2>",
        "<ol class=\"timeline\">",
        "<div class=\"tl-detail\"><p>The replica lagged by <code>40 s</code>.</p>",
        "Failover finished.",
        "<p>Overnight the team watched the replica.</p>",
        "<ol class=\"timeline\">",
        "Declared resolved.",
        "<p class=\"tl-note\">Times in UTC; offsets from the start of impact.</p>",
        "<h2 id=\"root-cause\">Root cause</h2>",
    ];
    let mut rest = page.as_str();
    for part in order {
        let at = rest
            .find(part)
            .unwrap_or_else(|| panic!("{part} in order in:\n{page}"));
        rest = &rest[at + part.len()..];
    }
}

#[test]
fn timeline_problems_are_warnings_at_their_lines() {
    let site = SiteTest::new().file(
        "content/t.md",
        r#"+++
title = "T"
start = 2025-02-01T10:00:00Z
end = 2025-02-01T12:00:00Z
detected = 2025-02-01T10:05:00Z
+++
## Timeline
- 09:30: early deploy
- 10:40: b
- 10:20: a, out of order
- 13:00: after the end
"#,
    );
    let output = site.run(&["check", "--as-of", AS_OF], &[]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("warning: content/t.md:8:1: timeline event at 2025-02-01 09:30 UTC is before \"start\" (2025-02-01 10:00 UTC)"), "{text}");
    assert!(
        text.contains(
            "warning: content/t.md:10:1: timeline events go back in time here; list them in order"
        ),
        "{text}"
    );
    assert!(text.contains("warning: content/t.md:11:1: timeline event at 2025-02-01 13:00 UTC is after \"end\" (2025-02-01 12:00 UTC)"), "{text}");
    assert_eq!(output.status.code(), Some(0), "warnings only");
}

/// A severity named "none" is a severity like any other, never taken for "no severity".
#[test]
fn a_severity_named_none_is_not_no_severity() {
    let site = SiteTest::new()
        .config(
            r#"title = "Acme"
severities = ["high", "none"]
"#,
        )
        .file(
            "content/a.md",
            r#"+++
title = "Named none"
start = 2025-02-01T10:00:00Z
end = 2025-02-01T11:00:00Z
severity = "none"
+++
"#,
        )
        .file(
            "content/b.md",
            r#"+++
title = "Unset"
start = 2025-02-02T10:00:00Z
end = 2025-02-02T11:00:00Z
+++
"#,
        );
    site.build(AS_OF);
    let stats = site.read("stats/index.html");
    assert!(
        stats.contains("<tr><th scope=\"row\"><a href=\"../severities/none/\">None</a></th><td class=\"num\">1</td></tr>"),
        "{stats}"
    );
    assert!(stats.contains("<tr><th scope=\"row\">No severity</th><td class=\"num\">1</td></tr>"));
    assert!(
        site.read("severities/none/index.html")
            .contains("Named none")
    );
    assert!(!site.read("severities/none/index.html").contains(">Unset<"));
}

/// A group's row counts its members' downtime once where they overlap, and shows the worst
/// status among them.
#[test]
fn a_group_of_services_shows_the_union_of_its_members() {
    let site = SiteTest::new()
        .config(
            r#"title = "Acme"
[[services]]
name = "api"
group = "Platform"
[[services]]
name = "auth"
group = "Platform"
[[services]]
name = "web"
"#,
        )
        // api 10:00-11:00 and auth 10:30-11:30 overlap: 1 h 30 min of group downtime.
        .file(
            "content/a.md",
            r#"+++
title = "API down"
start = 2025-02-27T10:00:00Z
end = 2025-02-27T11:00:00Z
services = ["api"]
+++
"#,
        )
        .file(
            "content/b.md",
            r#"+++
title = "Auth slow"
start = 2025-02-27T10:30:00Z
end = 2025-02-27T11:30:00Z
services = ["auth"]
+++
"#,
        )
        .file(
            "content/c.md",
            r#"+++
title = "Auth still slow"
start = 2025-02-28T20:00:00Z
services = ["auth"]
impact = 10
+++
"#,
        );
    site.build(AS_OF);
    let index = site.read("index.html");
    let group = &index[index
        .find("<h3 class=\"group-name\">Platform</h3>")
        .expect("a group row")..];
    let group = &group[..group.find("</details>").unwrap()];
    assert!(
        group.contains("<span class=\"status status-degraded\">Degraded</span>"),
        "the worst member's status: {group}"
    );
    assert!(
        group.contains("27 February 2025: 1 h 30 min of downtime (2 incidents)"),
        "overlaps counted once: {group}"
    );
    assert!(group.contains("2 services: api (Operational), auth (Degraded)"));
    let web = index.find(">web</a></h3>").expect("web has its own row");
    assert!(
        web > index.find("</details>").unwrap(),
        "ungrouped services follow the groups"
    );
}
