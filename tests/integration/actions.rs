//! Action items as data: the task lists of the postmortems on the actions pages, in
//! `api/actions.json`, and the check for items left open past their due day. T is 20 March
//! 2025 in Berlin.

use serde_json::json;

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-20T12:00:00Z";

const CONFIG: &str = "base_url = \"https://example.org/\"\ntimezone = \"Europe/Berlin\"\n\n[[services]]\nname = \"api\"\n\n[[services]]\nname = \"web\"\n";

fn postmortem(title: &str, start: &str, services: &str, items: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstart = {start}\nduration = \"1h\"\nservices = {services}\n+++\n## Summary\n\nBody.\n\n## Action items\n\n{items}"
    )
}

fn actions_site() -> SiteTest {
    SiteTest::new()
        .config(CONFIG)
        .file(
            "content/older.md",
            &postmortem(
                "Older",
                "2025-01-10T10:00:00Z",
                "[\"api\"]",
                "- [ ] Add a canary stage @maria due:2025-03-01 [OPS-123](https://tracker.example/OPS-123)\n- [x] Roll back the config @omar due:2025-01-20\n- Talk to the vendor\n",
            ),
        )
        .file(
            "content/newer.md",
            &postmortem(
                "Newer",
                "2025-03-15T10:00:00Z",
                "[\"api\", \"web\"]",
                "- [ ] Alert on `p99` latency @omar due:2025-03-20\n- [ ] Write the runbook, see [the draft](https://docs.example/rb)\n- [ ] Page the web team @maria due:2025-03-19\n",
            ),
        )
}

#[test]
fn the_api_lists_every_task_overdue_first_then_by_due_day_then_done() {
    let site = actions_site();
    site.build(AS_OF);
    let api = site.json("api/actions.json");
    assert_eq!(api["as_of"], "2025-03-20T12:00:00Z");
    // Due on 1 March: 19 days late. Due on 19 March: late since the 20th began in Berlin.
    // Due today: not yet. The plain bullet is not a task.
    assert_eq!(
        api["actions"],
        json!([
            {"incident": "older", "text": "Add a canary stage", "owner": "maria", "due": "2025-03-01",
             "done": false, "overdue": true, "url": "https://tracker.example/OPS-123", "services": ["api"]},
            {"incident": "newer", "text": "Page the web team", "owner": "maria", "due": "2025-03-19",
             "done": false, "overdue": true, "url": null, "services": ["api", "web"]},
            {"incident": "newer", "text": "Alert on `p99` latency", "owner": "omar", "due": "2025-03-20",
             "done": false, "overdue": false, "url": null, "services": ["api", "web"]},
            {"incident": "newer", "text": "Write the runbook, see [the draft](https://docs.example/rb)",
             "owner": null, "due": null, "done": false, "overdue": false,
             "url": "https://docs.example/rb", "services": ["api", "web"]},
            {"incident": "older", "text": "Roll back the config", "owner": "omar", "due": "2025-01-20",
             "done": true, "overdue": false, "url": null, "services": ["api"]},
        ])
    );
}

#[test]
fn the_actions_page_and_its_filters_list_the_items_with_owner_due_day_and_incident() {
    let site = actions_site();
    site.build(AS_OF);
    let page = site.read("actions/index.html");
    assert!(
        page.contains("4 open items, <strong class=\"action-late\">2 overdue</strong>, 1 done"),
        "{page}"
    );
    assert!(page.contains("<span class=\"badge badge-overdue\">Overdue</span> Add a canary stage <a href=\"https://tracker.example/OPS-123\">OPS-123</a>"));
    assert!(page.contains("due <time datetime=\"2025-03-01\">1 March 2025</time> <strong class=\"action-late\">(19 days overdue)</strong>"));
    assert!(
        page.contains("Alert on <code>p99</code> latency"),
        "Markdown is rendered"
    );
    assert!(page.contains("from <a href=\"../incidents/older/\">Older</a>"));
    let open = page.find("id=\"open\"").unwrap();
    let done = page.find("id=\"done\"").unwrap();
    assert!(open < page.find("Add a canary stage").unwrap());
    assert!(done < page.find("Roll back the config").unwrap());

    let maria = site.read("actions/owners/maria/index.html");
    assert!(maria.contains("<h1>Action items of @maria</h1>"));
    assert!(maria.contains("Page the web team") && !maria.contains("Roll back the config"));
    let web = site.read("actions/services/web/index.html");
    assert!(web.contains("<h1>Action items for web</h1>"));
    assert!(web.contains("Page the web team") && !web.contains("Add a canary stage"));
    assert!(
        site.read("index.html").contains("href=\"./actions/\""),
        "the navigation links it"
    );
}

#[test]
fn a_site_without_tasks_has_an_empty_actions_page_and_no_link_to_it() {
    let site = SiteTest::new().config(CONFIG).file(
        "content/plain.md",
        &postmortem(
            "Plain",
            "2025-03-15T10:00:00Z",
            "[\"api\"]",
            "- Talk to the vendor\n",
        ),
    );
    site.build(AS_OF);
    assert!(!site.read("index.html").contains("actions/"));
    assert!(
        site.read("actions/index.html")
            .contains("No postmortem lists action items as tasks yet")
    );
    assert_eq!(site.json("api/actions.json")["actions"], json!([]));
}

const OVERDUE: &str = r#"warning: content/newer.md:15:32: action item "Page the web team" (@maria) was due on 19 March 2025, 1 day before the as-of day, and is still open
   |
15 | - [ ] Page the web team @maria due:2025-03-19
   |                                ^^^^^^^^^^^^^^
   |
   = hint: mark it done with - [x] once it is, or write the new due day
   = check: overdue-action-item

warning: content/older.md:13:33: action item "Add a canary stage" (@maria) was due on 1 March 2025, 19 days before the as-of day, and is still open
   |
13 | - [ ] Add a canary stage @maria due:2025-03-01 [OPS-123](https://tracker.example/OPS-123)
   |                                 ^^^^^^^^^^^^^^
   |
   = hint: mark it done with - [x] once it is, or write the new due day
   = check: overdue-action-item

2 problems (0 errors, 2 warnings) in 2 of 2 files
"#;

#[test]
fn open_items_past_their_due_day_are_reported_at_the_due_word() {
    actions_site()
        .command(&["check", "--as-of", AS_OF])
        .stdout(OVERDUE)
        .run();
}

#[test]
fn the_overdue_check_can_be_raised_to_an_error_in_ci() {
    let site = actions_site().config(&format!(
        "{CONFIG}\n[checks]\noverdue-action-item = \"deny\"\n"
    ));
    let expected = OVERDUE
        .replace("warning: content", "error: content")
        .replace("(0 errors, 2 warnings)", "(2 errors, 0 warnings)");
    site.command(&["check", "--as-of", AS_OF])
        .status(1)
        .stdout(&expected)
        .run();
    // A day before the first due day nothing is late.
    site.command(&["check", "--as-of", "2025-02-28T12:00:00Z"])
        .stdout("no problems in 2 files\n")
        .run();
}

#[test]
fn a_due_word_that_is_not_a_date_is_an_error_at_the_word() {
    let site = SiteTest::new().config(CONFIG).file(
        "content/typo.md",
        &postmortem(
            "Typo",
            "2025-03-15T10:00:00Z",
            "[\"api\"]",
            "- [ ] Rotate keys @kim due:2025-02-30\n",
        ),
    );
    site.command(&["check", "--as-of", AS_OF])
        .status(1)
        .stdout(
            r#"error: content/typo.md:13:24: "due:2025-02-30": expected a due date like due:2026-08-15
   |
13 | - [ ] Rotate keys @kim due:2025-02-30
   |                        ^^^^^^^^^^^^^^
   |
   = hint: write the day as due:YYYY-MM-DD, a date that exists
   = check: invalid-value

1 problem (1 error, 0 warnings) in 1 of 1 file
"#,
        )
        .run();
}

#[test]
fn an_incremental_rebuild_after_ticking_an_item_equals_a_full_build() {
    use aftermath::incremental::Incremental;
    use aftermath::render::Silent;
    let site = actions_site();
    let options = site.options(AS_OF);
    let mut builder = Incremental::default();
    builder.build(&options, &Silent).unwrap();
    // Tick the canary stage: every list's counts and the overdue order change.
    let path = site.root().join("content/older.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("- [ ] Add a canary stage", "- [x] Add a canary stage"),
    )
    .unwrap();
    let again = builder.build(&options, &Silent).unwrap();
    let full = Incremental::default().build(&options, &Silent).unwrap();
    assert_eq!(
        again.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &full {
        assert!(again[path] == *bytes, "{path} differs from a full build");
    }
    let maria = String::from_utf8_lossy(&again["actions/owners/maria/index.html"]).into_owned();
    assert!(
        maria.contains("1 open item, <strong class=\"action-late\">1 overdue</strong>, 1 done"),
        "{maria}"
    );
}
