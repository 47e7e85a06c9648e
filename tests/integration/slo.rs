//! Error budgets in `api/slo.json`, against figures computed by hand. The site is in
//! Europe/Berlin and T is 20 March 2025, ten days before clocks go forward, so March is an
//! hour short of 31 days.

use serde_json::json;

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-20T12:00:00Z";

const CONFIG: &str = r#"base_url = "https://example.org/"
timezone = "Europe/Berlin"
history_start = 2025-01-01

[slo]
window = "30d"
budget_alert = 25

[[services]]
name = "api"
slo = "99.9%"

[[services]]
name = "web"
slo = 99.5
slo_window = "month"
slo_weighted = false

[[services]]
name = "db"

[[services]]
name = "search"
since = 2025-03-15
slo = 99
slo_window = "quarter"
"#;

fn entry(name: &str, start: &str, end: &str, services: &str, impact: u32) -> (String, String) {
    (
        format!("content/{name}.md"),
        format!(
            "+++\ntitle = \"{name}\"\nstart = {start}\nend = {end}\nservices = {services}\nimpact = {impact}\n+++\nBody.\n"
        ),
    )
}

fn budgets_site() -> SiteTest {
    let mut site = SiteTest::new().config(CONFIG);
    let entries = [
        // A and B overlap on api from 10:30 to 11:00; A's 20 % outranks B's 10 % there.
        entry(
            "a",
            "2025-03-10T10:00:00Z",
            "2025-03-10T11:00:00Z",
            "[\"api\"]",
            20,
        ),
        entry(
            "b",
            "2025-03-10T10:30:00Z",
            "2025-03-10T12:00:00Z",
            "[\"api\", \"web\"]",
            10,
        ),
        entry(
            "c",
            "2025-03-05T08:00:00Z",
            "2025-03-05T09:00:00Z",
            "[\"web\"]",
            30,
        ),
        // D begins before March does in Berlin (23:00 UTC); an hour of it is in March.
        entry(
            "d",
            "2025-02-28T22:00:00Z",
            "2025-03-01T00:00:00Z",
            "[\"web\"]",
            100,
        ),
        // Before api's 30 days began (18 February, 12:00 UTC).
        entry(
            "old",
            "2025-02-01T10:00:00Z",
            "2025-02-01T11:00:00Z",
            "[\"api\", \"db\"]",
            100,
        ),
        entry(
            "e",
            "2025-03-18T00:00:00Z",
            "2025-03-18T06:00:00Z",
            "[\"search\"]",
            100,
        ),
    ];
    for (path, text) in entries {
        site = site.file(&path, &text);
    }
    site.file(
        "content/upgrade.md",
        "+++\ntitle = \"Upgrade\"\nkind = \"maintenance\"\nstart = 2025-03-12T01:00:00Z\nend = 2025-03-12T03:00:00Z\nservices = [\"api\"]\n+++\nBody.\n",
    )
}

#[test]
fn a_rolling_weighted_budget_splits_overlaps_by_the_largest_impact() {
    let site = budgets_site();
    site.build(AS_OF);
    let slo = site.json("api/slo.json");
    // 30 days at 0.1 %: 2592 s. A: 10:00–11:00 at 20 % = 720 s; B: 11:00–12:00 at 10 % = 360 s
    // (its first half hour is A's). Maintenance and the February incident do not count.
    assert_eq!(
        slo["services"]["api"],
        json!({
            "target": 99.9,
            "window": "30d",
            "weighted": true,
            "window_start": "2025-02-18T12:00:00Z",
            "window_end": "2025-03-20T12:00:00Z",
            "budget_seconds": 2592.0,
            "consumed_seconds": 1080.0,
            "remaining_seconds": 1512.0,
            "remaining_fraction": 0.583333,
            "met": true,
            "incidents": [
                {"id": "a", "consumed_seconds": 720.0, "budget_fraction": 0.277778, "flagged": true},
                {"id": "b", "consumed_seconds": 360.0, "budget_fraction": 0.138889, "flagged": false},
            ],
        })
    );
    assert_eq!(slo["as_of"], "2025-03-20T12:00:00Z");
}

#[test]
fn a_calendar_month_counts_from_the_local_first_against_the_whole_month_across_dst() {
    let site = budgets_site();
    site.build(AS_OF);
    let web = &site.json("api/slo.json")["services"]["web"];
    // March in Berlin: 1 March 00:00 CET to 1 April 00:00 CEST, 31 days less an hour =
    // 2 674 800 s; 0.5 % of it is 13 374 s. Plain downtime: B 1.5 h, C 1 h, D's last hour.
    assert_eq!(web["window_start"], "2025-02-28T23:00:00Z");
    assert_eq!(web["window_end"], "2025-03-31T22:00:00Z");
    assert_eq!(web["weighted"], false);
    assert_eq!(web["budget_seconds"], 13_374.0);
    assert_eq!(web["consumed_seconds"], 12_600.0);
    assert_eq!(web["remaining_seconds"], 774.0);
    assert_eq!(web["remaining_fraction"], 0.057873);
    let shares: Vec<(&str, f64)> = web["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap(),
                i["budget_fraction"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(shares, [("b", 0.403769), ("c", 0.269179), ("d", 0.269179)]);
}

#[test]
fn a_budget_is_exhausted_and_starts_with_its_service_and_a_service_without_target_has_none() {
    let site = budgets_site();
    site.build(AS_OF);
    let slo = site.json("api/slo.json");
    let search = &slo["services"]["search"];
    // The quarter, clipped to 15 March 00:00 CET: 17 days less an hour = 1 465 200 s; 1 % is
    // 14 652 s. E used 6 h at 100 %: 21 600 s, 6 948 s more than the budget.
    assert_eq!(search["window_start"], "2025-03-14T23:00:00Z");
    assert_eq!(search["window_end"], "2025-03-31T22:00:00Z");
    assert_eq!(search["budget_seconds"], 14_652.0);
    assert_eq!(search["remaining_seconds"], -6_948.0);
    assert_eq!(search["remaining_fraction"], -0.474201);
    assert_eq!(search["met"], false);
    assert_eq!(search["incidents"][0]["budget_fraction"], 1.474201);
    let names: Vec<&String> = slo["services"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["api", "web", "search"], "db has no target");
}

/// A site whose api budget (99.9 % over 30 days: 2 592 s) one long incident blows through,
/// another dents by a quarter with its follow-up written down, and a third barely touches.
fn review_site(checks: &str) -> SiteTest {
    let config = format!(
        "base_url = \"https://example.org/\"\nhistory_start = 2025-01-01\n\n[slo]\ntarget = \"99.9%\"\n\n[[services]]\nname = \"api\"\n{checks}"
    );
    let body = |title: &str, start: &str, end: &str, rest: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nstart = {start}\nend = {end}\nservices = [\"api\"]\n+++\n{rest}"
        )
    };
    SiteTest::new()
        .config(&config)
        .file(
            "content/long.md",
            &body(
                "Long outage",
                "2025-03-10T10:00:00Z",
                "2025-03-10T11:00:00Z",
                "Body.\n",
            ),
        )
        .file(
            "content/followed.md",
            &body(
                "Followed up",
                "2025-03-12T10:00:00Z",
                "2025-03-12T10:12:00Z",
                "## Action items\n\n- [ ] Add a canary stage @maria due:2025-04-01\n",
            ),
        )
        .file(
            "content/blip.md",
            &body(
                "Blip",
                "2025-03-14T10:00:00Z",
                "2025-03-14T10:01:00Z",
                "Body.\n",
            ),
        )
}

const BUDGET_WITHOUT_ACTIONS: &str = r#"warning: content/long.md: this incident used 138.9 % of the api error budget (99.9 % over 30d), more than budget_alert (20 %), and lists no action items
 = hint: add an "Action items" section with what will prevent a repeat, like "- [ ] Add a canary stage @maria due:2026-08-15"
 = check: budget-without-actions

1 problem (0 errors, 1 warning) in 1 of 3 files
"#;

#[test]
fn an_incident_that_used_much_of_a_budget_without_action_items_is_reported() {
    // Long used 3 600 s of 2 592 s; Followed up 720 s (27.8 %) but lists an action item; Blip
    // used 60 s (2.3 %), under the alert.
    let site = review_site("");
    site.command(&["check", "--as-of", AS_OF])
        .stdout(BUDGET_WITHOUT_ACTIONS)
        .run();
}

#[test]
fn the_budget_check_can_fail_the_build_in_ci() {
    let site = review_site("\n[checks]\nbudget-without-actions = \"deny\"\n");
    let expected = BUDGET_WITHOUT_ACTIONS
        .replacen("warning:", "error:", 1)
        .replace("(0 errors, 1 warning)", "(1 error, 0 warnings)");
    site.command(&["check", "--as-of", AS_OF])
        .status(1)
        .stdout(&expected)
        .run();
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(&format!("{expected}nothing was written\n"))
        .run();
    assert!(
        !site.root().join("public").exists(),
        "a denied check writes nothing"
    );
}

#[test]
fn flagged_incidents_are_marked_on_their_page_and_on_the_service_page() {
    let site = review_site("");
    site.build(AS_OF);
    let flag = "this incident used 138.9 % of the <a href=\"../../services/api/#budget\">api</a> error budget";
    assert!(site.read("incidents/long/index.html").contains(flag));
    assert!(
        site.read("incidents/followed/index.html")
            .contains("this incident used 27.8 % of the")
    );
    assert!(
        !site
            .read("incidents/blip/index.html")
            .contains("budget-flag")
    );
    let service = site.read("services/api/index.html");
    assert!(service.contains("error budget exhausted"), "{service}");
    let flagged = service.matches("class=\"badge badge-flag\"").count();
    assert_eq!(flagged, 2, "Long outage and Followed up are over 20 %");
}
