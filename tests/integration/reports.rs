//! Calendar-period reports against figures computed by hand: the `reports/` pages and
//! `aftermath stats --period`, which must agree figure for figure. Berlin, history from
//! 1 February 2025, T = 10 April 2025 12:00 UTC; March is an hour short (clocks go forward on
//! the 30th, during incident B).

use serde_json::{Value, json};

use crate::support::SiteTest;

const AS_OF: &str = "2025-04-10T12:00:00Z";

const CONFIG: &str = r#"base_url = "https://example.org/"
timezone = "Europe/Berlin"
history_start = 2025-02-01

[[services]]
name = "api"
slo = "99.9%"
slo_weighted = false

[[services]]
name = "db"
"#;

fn incident(name: &str, start: &str, end: &str, impact: u32) -> (String, String) {
    (
        format!("content/{name}.md"),
        format!(
            "+++\ntitle = \"{name}\"\nstart = {start}\nend = {end}\nservices = [\"api\"]\nimpact = {impact}\n+++\nBody.\n"
        ),
    )
}

fn reports_site() -> SiteTest {
    let mut site = SiteTest::new().config(CONFIG);
    for (path, text) in [
        incident("a", "2025-03-10T10:00:00Z", "2025-03-10T11:00:00Z", 50),
        incident("b", "2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z", 100),
        incident("c", "2025-04-02T08:00:00Z", "2025-04-02T09:00:00Z", 100),
    ] {
        site = site.file(&path, &text);
    }
    site
}

fn rows(site: &SiteTest, period: &str) -> Vec<Value> {
    let output = site.run(
        &[
            "stats", "--period", period, "--format", "json", "--as-of", AS_OF,
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        crate::support::stderr(&output)
    );
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    value["rows"].as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [Value], service: &str, period: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["service"] == service && r["period"] == period)
        .unwrap_or_else(|| panic!("no row {service} {period}"))
}

#[test]
fn months_are_counted_in_the_site_zone_against_their_whole_budget() {
    let site = reports_site();
    let months = rows(&site, "month");
    // January is before the history began; May onwards has not begun and is left out.
    let periods: Vec<&str> = months
        .iter()
        .filter(|r| r["service"] == "api")
        .map(|r| r["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2025-01", "2025-02", "2025-03", "2025-04"]);
    let january = row(&months, "api", "2025-01");
    assert_eq!(
        (
            &january["no_data"],
            &january["availability"],
            &january["met"]
        ),
        (&json!("before-history"), &Value::Null, &Value::Null)
    );
    // March: 31 days less an hour = 2 674 800 s; A and B 2 h of downtime (A at 50 %), so
    // 1 − 7 200 / 2 674 800 = 0.99730 (rounded down), weighted 1 − 5 400 / 2 674 800 = 0.99798.
    // The objective counts plain downtime: 7 200 s of a 2 674.8 s budget.
    let march = row(&months, "api", "2025-03");
    assert_eq!(march["length_seconds"], 2_674_800);
    assert_eq!(march["availability"], 0.9973);
    assert_eq!(march["weighted_availability"], 0.99798);
    assert_eq!(march["budget_used"], 2.69179);
    assert_eq!(march["met"], false);
    assert_eq!(march["incidents"], 2);
    assert_eq!(march["time_to_resolve_median_seconds"], 3600);
    // April so far: from 1 April 00:00 CEST to T, 828 000 s, against all of April's 2 592 s.
    let april = row(&months, "api", "2025-04");
    assert_eq!(
        (april["partial"].clone(), april["length_seconds"].clone()),
        (json!(true), json!(828_000))
    );
    assert_eq!(april["availability"], 0.99565);
    assert_eq!(april["budget_used"], 1.388889);
    assert_eq!(april["met"], false);
    // A service without a target has figures but no objective.
    let db = row(&months, "db", "2025-03");
    assert_eq!(
        (
            db["availability"].clone(),
            db["target"].clone(),
            db["met"].clone(),
            db["budget_used"].clone()
        ),
        (json!(1.0), Value::Null, Value::Null, Value::Null)
    );
}

#[test]
fn quarters_and_years_start_with_the_history() {
    let site = reports_site();
    // Q1 from 1 February: 28 days and March, 5 094 000 s; 7 200 s of a 5 094 s budget.
    let q1 = row(&rows(&site, "quarter"), "api", "2025-Q1").clone();
    assert_eq!(q1["counted_from"], "2025-01-31T23:00:00Z");
    assert_eq!(q1["length_seconds"], 5_094_000);
    assert_eq!(q1["availability"], 0.99858);
    assert_eq!(q1["budget_used"], 1.413428);
    // The year so far: 5 922 000 s counted, 10 800 s of downtime, against the budget of the
    // whole year from 1 February (28 857.6 s).
    let year = row(&rows(&site, "year"), "api", "2025").clone();
    assert_eq!(year["availability"], 0.99817);
    assert_eq!(year["weighted_availability"], 0.99848);
    assert_eq!(year["budget_used"], 0.374251);
    assert_eq!(year["met"], true);
    assert_eq!(year["incidents"], 3);
}

/// `0.9973` as the pages print it: `99.730 %`.
fn percent(value: &Value) -> String {
    let thousandths = (value.as_f64().unwrap() * 100_000.0).round() as i64;
    format!("{}.{:03} %", thousandths / 1000, thousandths % 1000)
}

#[test]
fn the_report_page_and_stats_period_agree_figure_for_figure() {
    let site = reports_site();
    site.build(AS_OF);
    let page = site.read("reports/2025/index.html");
    for period in ["month", "quarter", "year"] {
        for r in rows(&site, period) {
            let id = format!(
                "id=\"{}-{}\"",
                r["service"].as_str().unwrap(),
                r["period"].as_str().unwrap()
            );
            let start = page.find(&id).unwrap_or_else(|| panic!("no row {id}"));
            let html = &page[start..start + page[start..].find("</tr>").unwrap()];
            if r["no_data"] == "before-history" {
                assert!(html.contains("no data"), "{html}");
                continue;
            }
            assert!(html.contains(&percent(&r["availability"])), "{id}: {html}");
            assert!(
                html.contains(&percent(&r["weighted_availability"])),
                "{id}: {html}"
            );
            match r["met"].as_bool() {
                Some(true) => assert!(html.contains(">Met<"), "{html}"),
                Some(false) => assert!(html.contains(">Missed<"), "{html}"),
                None => assert!(!html.contains(">Met<") && !html.contains(">Missed<")),
            }
            if let Some(used) = r["budget_used"].as_f64() {
                assert!(
                    html.contains(&format!("{:.1} %", used * 100.0)),
                    "{id}: {html}"
                );
            }
            assert!(
                html.contains(&format!("<td class=\"num\">{}</td>", r["incidents"])),
                "{id}: {html}"
            );
        }
    }
    // The months after T are on the page as not begun.
    assert!(page.contains("id=\"api-2025-05\""));
    let may = &page[page.find("id=\"api-2025-05\"").unwrap()..];
    assert!(may[..may.find("</tr>").unwrap()].contains("not yet"));
}

#[test]
fn the_csv_has_one_row_per_service_and_period_with_empty_cells_for_no_data() {
    let site = reports_site();
    let output = site.run(
        &[
            "stats",
            "--period",
            "month",
            "--format",
            "csv",
            "--service",
            "api",
            "--as-of",
            AS_OF,
        ],
        &[],
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "service,period,availability,weighted_availability,target,met,budget_used,incidents\n\
         api,2025-01,,,99.9,,,0\n\
         api,2025-02,1,1,99.9,true,0,0\n\
         api,2025-03,0.9973,0.99798,99.9,false,2.69179,2\n\
         api,2025-04,0.99565,0.99565,99.9,false,1.388889,1\n"
    );
}

#[test]
fn the_markdown_review_covers_the_last_whole_period() {
    let site = reports_site();
    let output = site.run(
        &[
            "stats", "--period", "quarter", "--format", "markdown", "--as-of", AS_OF,
        ],
        &[],
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with("# Reliability review: 2025-Q1 (1 January 2025 to 31 March 2025)\n"),
        "{text}"
    );
    assert!(
        text.contains("- **2 incidents** (2 resolved, 0 ongoing), 0 maintenance\n"),
        "{text}"
    );
    assert!(
        text.contains("- Time to resolve: median 1 h, p90 1 h, mean 1 h (n = 2)\n"),
        "{text}"
    );
    assert!(text.contains("0 of 1 met, 1 missed.\n"), "{text}");
    assert!(
        text.contains("| api | 2025-Q1 | 99.9 % | 99.858 % | 99.893 % | 141.3 % | **missed** |\n"),
        "{text}"
    );
    // The budget counts plain downtime from 1 February: each hour is 3 600 s of 5 094 s.
    assert!(text.contains("- api: [a](https://example.org/incidents/a/) used 70.7 % of the 99.9 % budget\n- api: [b](https://example.org/incidents/b/) used 70.7 % of the 99.9 % budget\n"), "{text}");
    assert!(text.ends_with("## Open action items\n\nNone.\n"), "{text}");
}
