//! What readers see tells the truth: detection only from real detection events, labels
//! truncated like the API, `stats` agreeing with the site, defaults never shown as facts.

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-01T00:00:00Z";

fn incident(title: &str, start: &str, end: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstart = {start}\nend = {end}\nservices = [\"api\"]\n+++\n{body}"
    )
}

fn detection_site(config: &str) -> SiteTest {
    SiteTest::new()
        .config(config)
        .file(
            "content/plans.md",
            &incident(
                "Plans and negations",
                "2025-02-01T10:00:00Z",
                "2025-02-01T11:00:00Z",
                "## Timeline\n\n- 10:05 We will improve our time to detection.\n- 10:10 No alerts were raised.\n- 10:20 We are improving alerting.\n- 10:30 MTTD was 30 minutes.\n",
            ),
        )
        .file(
            "content/paged.md",
            &incident(
                "A real page",
                "2025-02-02T10:00:00Z",
                "2025-02-02T11:00:00Z",
                "## Timeline\n\n- 10:05 Deploy finished.\n- 10:12 The on-call engineer was paged.\n",
            ),
        )
}

fn detected_of(site: &SiteTest) -> Vec<(String, serde_json::Value)> {
    let api = site.json("api/incidents.json");
    let mut found: Vec<_> = api["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_string(), i["detected"].clone()))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[test]
fn plans_negations_and_metrics_in_a_timeline_are_not_detection() {
    let site = detection_site("title = \"T\"\n");
    site.build(AS_OF);
    assert_eq!(
        detected_of(&site),
        [
            ("paged".to_string(), "2025-02-02T10:12:00Z".into()),
            ("plans".to_string(), serde_json::Value::Null),
        ]
    );
    let stats = site.json("api/stats.json");
    assert_eq!(stats["time_to_detect"]["n"], 1);
    assert_eq!(stats["time_to_detect"]["median_seconds"], 720);
}

#[test]
fn detect_from_timeline_false_reads_detection_only_from_front_matter() {
    let site = detection_site("title = \"T\"\ndetect_from_timeline = false\n");
    site.build(AS_OF);
    assert_eq!(
        detected_of(&site),
        [
            ("paged".to_string(), serde_json::Value::Null),
            ("plans".to_string(), serde_json::Value::Null),
        ]
    );
    assert_eq!(site.json("api/stats.json")["time_to_detect"]["n"], 0);
}

#[test]
fn detect_from_timeline_must_be_a_boolean() {
    let site = detection_site("title = \"T\"\ndetect_from_timeline = \"no\"\n");
    site.command(&["check", "--as-of", AS_OF])
        .status(1)
        .stdout(BAD_BOOLEAN)
        .run();
}

const BAD_BOOLEAN: &str = r#"error: aftermath.toml:2:24: "detect_from_timeline": expected true or false, found "no"
  |
2 | detect_from_timeline = "no"
  |                        ^^^^
  |
  = check: invalid-value

1 problem (1 error, 0 warnings) in 1 of 2 files
"#;

#[test]
fn a_detection_after_the_as_of_time_is_a_warning_at_its_value() {
    let site = SiteTest::new().file(
        "content/typo.md",
        "+++\ntitle = \"Typo\"\nstart = 2025-02-01T10:00:00Z\ndetected = 2026-02-01T10:10:00Z\n+++\n",
    );
    site.command(&["check", "--as-of", AS_OF])
        .stdout(FUTURE_DETECTION)
        .run();
}

const FUTURE_DETECTION: &str = r#"warning: content/typo.md:4:12: "detected" (2026-02-01 10:10 UTC) is after the as-of time (2025-03-01 00:00 UTC)
  |
4 | detected = 2026-02-01T10:10:00Z
  |            ^^^^^^^^^^^^^^^^^^^^
  |
  = hint: it counts for time to detect only once that time has passed; check the date
  = check: detected-in-the-future

1 problem (0 errors, 1 warning) in 1 of 1 file
"#;

#[test]
fn fractional_durations_are_truncated_on_the_stats_page() {
    // Two incidents of 3,599 s and 3,600 s: median and mean are 3,599.5 s, which is 59 min
    // (truncated, as the API's 3599.5 is), not "1 h".
    let site = SiteTest::new()
        .file(
            "content/a.md",
            &incident("A", "2025-02-01T10:00:00Z", "2025-02-01T10:59:59Z", ""),
        )
        .file(
            "content/b.md",
            &incident("B", "2025-02-02T10:00:00Z", "2025-02-02T11:00:00Z", ""),
        );
    site.build(AS_OF);
    assert_eq!(
        site.json("api/stats.json")["time_to_resolve"]["mean_seconds"],
        3599.5
    );
    let page = site.read("stats/index.html");
    assert!(
        page.contains(r#"<tr><th scope="row">Time to resolve</th><td class="num">2</td><td class="num">59 min</td><td class="num">59 min</td><td class="num">59 min</td></tr>"#),
        "{page}"
    );
}

fn edge_site() -> SiteTest {
    SiteTest::new()
        .file(
            "content/at-t.md",
            "+++\ntitle = \"Starts at T\"\nstart = 2025-03-01T00:00:00Z\nservices = [\"api\"]\n+++\n",
        )
        .file(
            "content/late-detection.md",
            "+++\ntitle = \"Late detection\"\nstart = 2025-02-28T20:00:00Z\nend = 2025-02-28T21:00:00Z\ndetected = 2025-03-02T00:00:00Z\n+++\n",
        )
        .file(
            "content/window.md",
            "+++\ntitle = \"Window\"\nkind = \"maintenance\"\nstart = 2025-02-10T20:00:00Z\nend = 2025-02-10T21:00:00Z\ndetected = 2025-02-10T20:05:00Z\n+++\n",
        )
        .file(
            "content/plain.md",
            "+++\ntitle = \"Plain\"\nstart = 2025-02-01T10:00:00Z\nend = 2025-02-01T11:00:00Z\ndetected = 2025-02-01T10:07:00Z\n+++\n",
        )
}

#[test]
fn stats_without_filters_is_the_sites_stats_json_byte_for_byte() {
    let site = edge_site();
    site.build(AS_OF);
    let output = site.run(&["stats", "--format", "json", "--as-of", AS_OF], &[]);
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(printed.trim_end(), site.read("api/stats.json").trim_end());
    assert_eq!(
        site.json("api/stats.json")["incidents"]["total"],
        3,
        "the one at T counts"
    );
}

#[test]
fn the_csv_gives_a_time_to_detect_only_where_the_statistics_count_one() {
    let site = edge_site();
    let output = site.run(&["stats", "--format", "csv", "--as-of", AS_OF], &[]);
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut ttd: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row.split(',').collect();
            (cells[0].to_string(), cells[11].to_string())
        })
        .collect();
    ttd.sort();
    let expected = [
        ("at-t", ""),
        ("late-detection", ""),
        ("plain", "420"),
        ("window", ""),
    ];
    assert_eq!(
        ttd,
        expected.map(|(a, b)| (a.to_string(), b.to_string())),
        "{csv}"
    );
}

#[test]
fn an_unstated_impact_is_shown_as_unstated_though_it_counts_as_everyone() {
    let site = SiteTest::new()
        .file(
            "content/unstated.md",
            "+++\ntitle = \"Unstated\"\nstart = 2025-02-01T10:00:00Z\nend = 2025-02-01T11:00:00Z\n+++\n",
        )
        .file(
            "content/stated.md",
            "+++\ntitle = \"Stated\"\nstart = 2025-02-02T10:00:00Z\nend = 2025-02-02T11:00:00Z\nimpact = 100\n+++\n",
        );
    site.build(AS_OF);
    let unstated = site.read("incidents/unstated/index.html");
    assert!(
        unstated.contains(
            r#"<dt>Impact</dt><dd>Not stated <span class="muted">(counts as 100 %)</span></dd>"#
        ),
        "{unstated}"
    );
    assert!(
        site.read("incidents/stated/index.html")
            .contains("<dt>Impact</dt><dd>100 % of users</dd>")
    );
    let api = site.json("api/incidents.json");
    assert!(
        api["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["impact"] == 100)
    );
}

#[test]
fn the_stats_page_says_what_ongoing_incidents_are_left_out_of() {
    let site = edge_site();
    site.build(AS_OF);
    let page = site.read("stats/index.html");
    assert!(
        page.contains("<p class=\"small\">Time to resolve and the longest incidents leave out 1 ongoing incident, which has no end yet.</p>"),
        "{page}"
    );
    let longest = &page[page.find("id=\"longest\"").unwrap()..];
    let ongoing = &longest[longest
        .find("Still ongoing, and open longest:")
        .expect("the ongoing one is named")..];
    assert!(ongoing.contains("Starts at T"), "{ongoing}");
    assert!(
        page.contains(">7 days or more<"),
        "the last histogram bucket includes 7 days"
    );
}

#[test]
fn the_terminal_report_never_prints_an_empty_heading() {
    let site = SiteTest::new().file(
        "content/open.md",
        "+++\ntitle = \"Open\"\nstart = 2025-02-28T10:00:00Z\n+++\n",
    );
    let output = site.run(&["stats", "--as-of", AS_OF], &[]);
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.contains("Longest incidents\n  none resolved in this period\n"),
        "{table}"
    );
}

#[test]
fn build_and_check_refuse_a_folder_that_holds_no_site() {
    let site = SiteTest::new();
    std::fs::remove_dir(site.root().join("content")).unwrap();
    let refusal = "error: the current folder holds no site: there is neither aftermath.toml nor content/\n  = help: run it in the site's folder, pass --root DIR, start one with `aftermath init`, or pass --allow-empty to build an empty site\n";
    for command in ["build", "check"] {
        site.command(&[command, "--as-of", AS_OF])
            .status(1)
            .stderr(refusal)
            .run();
    }
    assert!(!site.root().join("public").exists(), "nothing was written");
    site.command(&["check", "--allow-empty", "--as-of", AS_OF])
        .stdout("no problems in 0 files\n")
        .run();
}

#[test]
fn the_demo_site_checks_clean_on_any_date() {
    let root = env!("CARGO_MANIFEST_DIR");
    for as_of in [
        "2026-11-23T12:00:00Z",
        "2027-06-01T00:00:00Z",
        "2035-01-01T00:00:00Z",
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_aftermath"))
            .args(["check", "--deny-warnings", "--root", root, "--as-of", as_of])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{as_of}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
fn the_build_summary_counts_what_was_published_and_the_warnings() {
    let site = SiteTest::new()
        .file(
            "content/a.md",
            &incident("A", "2025-02-01T10:00:00Z", "2025-02-01T11:00:00Z", ""),
        )
        .file(
            "content/late.md",
            "+++\ntitle = \"Late\"\nstart = 2025-02-02T10:00:00Z\nend = 2025-02-02T11:00:00Z\ndetected = 2025-02-02T12:00:00Z\n+++\n",
        )
        .file(
            "content/done.md",
            "+++\ntitle = \"Done\"\nkind = \"maintenance\"\nstart = 2025-02-03T10:00:00Z\nend = 2025-02-03T11:00:00Z\n+++\n",
        )
        .file(
            "content/next.md",
            "+++\ntitle = \"Next\"\nkind = \"maintenance\"\nstart = 2025-03-03T10:00:00Z\nend = 2025-03-03T11:00:00Z\n+++\n",
        )
        .file(
            "content/wip.md",
            "+++\ntitle = \"WIP\"\ndraft = true\nstart = 2025-02-04T10:00:00Z\n+++\n",
        );
    site.command(&["build", "--as-of", AS_OF])
        .stderr(BUILD_SUMMARY)
        .run();
}

const BUILD_SUMMARY: &str = r#"warning: content/late.md:5:12: "detected" (2025-02-02 12:00 UTC) is after "end" (2025-02-02 11:00 UTC): the problem was found after impact ended
  |
5 | detected = 2025-02-02T12:00:00Z
  |            ^^^^^^^^^^^^^^^^^^^^
  |
  = check: detected-after-end

built 2 incidents and 2 maintenance (1 upcoming), 1 draft left out, from 5 files into [ROOT]/public (50 files)
1 warning in 1 file
"#;

#[test]
fn serve_prints_the_warnings_of_each_build() {
    use std::io::Read;
    let site = SiteTest::new().file(
        "content/late.md",
        "+++\ntitle = \"Late\"\nstart = 2025-02-02T10:00:00Z\nend = 2025-02-02T11:00:00Z\ndetected = 2025-02-02T12:00:00Z\n+++\n",
    );
    let (mut child, address) = crate::support::serve(&site, AS_OF);
    assert_eq!(crate::support::get(&address, "/").0, 200);
    crate::support::interrupt(&mut child);
    let mut printed = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut printed)
        .unwrap();
    let warning = printed
        .find("check: detected-after-end")
        .expect("the warning is printed");
    let summary = printed
        .find("1 warning in 1 file\nbuilt in ")
        .expect("then the summary");
    assert!(warning < summary, "{printed}");
}

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_highlight_colour_reads_at_4_5_to_1_on_code_in_both_schemes() {
    let css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/assets/style.css"
    ))
    .unwrap();
    let dark_at = css.find("prefers-color-scheme: dark").unwrap();
    for scheme in [&css[..dark_at], &css[dark_at..]] {
        let value = |name: &str| {
            let at = scheme.find(&format!("{name}: #")).unwrap() + name.len() + 2;
            scheme[at..at + 7].to_string()
        };
        let background = value("--code-bg");
        for token in [
            "comment",
            "string",
            "constant",
            "keyword",
            "name",
            "parameter",
        ] {
            let colour = value(&format!("--hl-{token}"));
            let ratio = contrast(&colour, &background);
            assert!(
                ratio >= 4.5,
                "--hl-{token} {colour} on {background}: {ratio:.2}:1"
            );
        }
    }
}

#[test]
fn day_levels_differ_in_more_than_hue() {
    let css = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/static/assets/style.css"
    ))
    .unwrap();
    let hatched = |level: usize| {
        css.contains(&format!(
            ".l{level} {{ background: var(--l{level}) repeating-linear-gradient("
        ))
    };
    let dark_at = css.find("prefers-color-scheme: dark").unwrap();
    for (scheme, darker) in [(&css[..dark_at], true), (&css[dark_at..], false)] {
        let colour = |level: usize| {
            let name = format!("--l{level}: #");
            let at = scheme.find(&name).unwrap() + name.len() - 1;
            scheme[at..at + 7].to_string()
        };
        for level in 1..=4 {
            let (before, this) = (colour(level - 1), colour(level));
            let ordered = if darker {
                luminance(&this) < luminance(&before)
            } else {
                luminance(&this) > luminance(&before)
            };
            assert!(
                ordered,
                "l{level} {this} continues the lightness of l{} {before}",
                level - 1
            );
            assert!(
                contrast(&before, &this) >= 3.0 || hatched(level) != hatched(level - 1),
                "l{} {before} and l{level} {this} differ only in hue",
                level - 1
            );
        }
    }
}

#[test]
fn the_calendar_legend_names_every_kind_of_day_it_shows() {
    let site = SiteTest::new().file(
        "content/a.md",
        "+++\ntitle = \"A\"\nstart = 2025-02-10T10:00:00Z\nend = 2025-02-10T16:00:00Z\n+++\n",
    );
    site.build(AS_OF);
    let page = site.read("calendar/index.html");
    let legend = &page[page.find("<p class=\"legend").unwrap()..];
    let legend = &legend[..legend.find("</p>").unwrap()];
    let mut kinds: Vec<&str> = page
        .split("<td class=\"cell ")
        .skip(1)
        .map(|cell| cell.split('"').next().unwrap())
        .filter(|class| *class != "empty")
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert!(
        kinds.contains(&"l-1 future") && kinds.contains(&"l4"),
        "{kinds:?}"
    );
    for kind in kinds {
        assert!(
            legend.contains(&format!("<span class=\"swatch {kind}\"")),
            "the legend explains {kind}: {legend}"
        );
    }
}

#[test]
fn no_page_has_an_empty_meta_description() {
    let site = edge_site();
    site.build(AS_OF);
    let index = site.read("index.html");
    assert!(
        index.contains(r#"<meta name="description" content="Incident history, uptime and reliability statistics of Incident history.">"#),
        "{index}"
    );
    for page in [
        "history/index.html",
        "stats/index.html",
        "calendar/index.html",
    ] {
        assert!(
            !site.read(page).contains(r#"name="description" content="""#),
            "{page}"
        );
    }
}

#[test]
fn feeds_use_absolute_links_and_one_title_rule() {
    let site = SiteTest::new()
        .config("title = \"T\"\nbase_url = \"https://status.example.com/\"\n")
        .file(
            "content/first.md",
            &incident("First", "2025-02-01T10:00:00Z", "2025-02-01T11:00:00Z", "Text.\n"),
        )
        .file(
            "content/second.md",
            "+++\ntitle = \"Second\"\nstart = 2025-02-28T10:00:00Z\n+++\nLike [the first one](../first/).\n",
        );
    site.build(AS_OF);
    let absolute = "https://status.example.com/incidents/first/";
    let json = site.json("feed.json");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items[0]["title"], "[Ongoing] Second");
    assert_eq!(items[1]["title"], "First");
    let html = items[0]["content_html"].as_str().unwrap();
    assert!(html.contains(&format!("href=\"{absolute}\"")), "{html}");
    let atom = site.read("feed.xml");
    assert!(atom.contains("<title>[Ongoing] Second</title>"), "{atom}");
    assert!(
        atom.contains(&format!("href=&quot;{absolute}&quot;")),
        "{atom}"
    );
    assert!(!atom.contains("href=&quot;../"), "{atom}");
}

#[test]
fn upcoming_maintenance_has_a_page_and_a_feed_entry() {
    let site = SiteTest::new()
        .config("title = \"T\"\nbase_url = \"https://status.example.com/\"\n")
        .file(
            "content/past.md",
            &incident("Past", "2025-02-01T10:00:00Z", "2025-02-01T11:00:00Z", ""),
        )
        .file(
            "content/drill.md",
            "+++\ntitle = \"Failover drill\"\nkind = \"maintenance\"\nstart = 2025-03-08T05:00:00Z\nend = 2025-03-08T06:30:00Z\nservices = [\"api\"]\n+++\nWe fail the database over.\n",
        );
    site.build(AS_OF);
    let page = site.read("incidents/drill/index.html");
    assert!(
        page.contains("<p class=\"kicker\">Upcoming maintenance"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Starts</dt>") && page.contains("<dt>Ends</dt>"),
        "{page}"
    );
    assert!(page.contains("1 h 30 min planned"), "{page}");
    assert!(
        site.read("index.html")
            .contains(r#"<a class="row-title" href="./incidents/drill/">Failover drill</a>"#)
    );
    let json = site.json("feed.json");
    assert_eq!(
        json["items"][0]["title"],
        "[Upcoming maintenance] Failover drill"
    );
    assert_eq!(
        json["items"][0]["url"],
        "https://status.example.com/incidents/drill/"
    );
    assert!(
        site.read("feed.xml")
            .contains("<title>[Upcoming maintenance] Failover drill</title>")
    );
    // It is not history yet: no year lists it, and the statistics do not count it.
    assert!(
        !site
            .read("history/2025/index.html")
            .contains("Failover drill")
    );
    assert_eq!(site.json("api/stats.json")["incidents"]["maintenance"], 0);
}

#[test]
fn a_month_of_maintenance_only_is_not_headed_zero_incidents() {
    let site = SiteTest::new()
        .file(
            "content/window.md",
            "+++\ntitle = \"Window\"\nkind = \"maintenance\"\nstart = 2025-01-20T10:00:00Z\nend = 2025-01-20T11:00:00Z\n+++\n",
        )
        .file(
            "content/outage.md",
            "+++\ntitle = \"Outage\"\nstart = 2025-02-03T10:00:00Z\nend = 2025-02-03T10:30:00Z\n+++\n",
        );
    site.build(AS_OF);
    let year = site.read("history/2025/index.html");
    assert!(
        year.contains(
            "<h2 id=\"2025-01\">January 2025 <span class=\"muted small\">1 maintenance</span></h2>"
        ),
        "{year}"
    );
    assert!(year.contains(
        "<h2 id=\"2025-02\">February 2025 <span class=\"muted small\">1 incident, 30 min of downtime</span></h2>"
    ));
    let index = site.read("history/index.html");
    assert!(index.contains("January 2025</a></th><td class=\"num\">0</td><td class=\"num\">0 s</td><td class=\"num\">1</td>"), "{index}");
}

#[test]
fn repeated_warnings_of_one_check_are_summed_up_after_the_first_three() {
    let events: String = (0..6)
        .map(|i| format!("- 09:0{i} UTC: event {i}\n"))
        .collect();
    let site = SiteTest::new().file(
        "content/early.md",
        &format!(
            "+++\ntitle = \"Early\"\nstart = 2025-02-01T10:00:00Z\nend = 2025-02-01T11:00:00Z\n+++\n## Timeline\n\n{events}"
        ),
    );
    let printed = String::from_utf8(site.run(&["check", "--as-of", AS_OF], &[]).stdout).unwrap();
    assert_eq!(
        printed.matches("= check: timeline-before-start").count(),
        3,
        "{printed}"
    );
    assert!(printed.contains(
        "warning: content/early.md: 3 more timeline-before-start warnings, on lines 11, 12, 13 (not shown; `check --format json` lists every one)\n"
    ), "{printed}");
    assert!(
        printed.ends_with("6 problems (0 errors, 6 warnings) in 1 of 1 file\n"),
        "{printed}"
    );
    let json = site
        .run(&["check", "--as-of", AS_OF, "--format", "json"], &[])
        .stdout;
    let json = String::from_utf8(json).unwrap();
    assert_eq!(
        json.matches("\"timeline-before-start\"").count(),
        6,
        "{json}"
    );
}

#[test]
fn every_headline_availability_names_its_window_and_the_weighted_figure() {
    let site = SiteTest::new()
        .config("[[services]]\nname = \"api\"\n\n[[services]]\nname = \"web\"\n")
        .file(
            "content/outage.md",
            "+++\ntitle = \"Outage\"\nstart = 2025-02-03T10:00:00Z\nend = 2025-02-03T10:30:00Z\nimpact = 50\nservices = [\"api\"]\n+++\n",
        );
    site.build(AS_OF);
    for page in [
        "index.html",
        "services/api/index.html",
        "services/web/index.html",
    ] {
        let html = site.read(page);
        let figures: Vec<&str> = html
            .split("<p class=\"uptime-figure\">")
            .skip(1)
            .map(|rest| rest.split("</p>").next().unwrap())
            .collect();
        assert!(!figures.is_empty(), "{page} shows a figure");
        for figure in figures {
            assert!(
                figure.contains("available over 90 days · ") && figure.contains("impact-weighted"),
                "{page}: {figure}"
            );
        }
    }
    let index = site.read("index.html");
    assert!(index.contains("99.919 % <span class=\"muted\">available over 90 days · 99.959 % impact-weighted</span>"), "{index}");
}
