//! Status updates: timeline lines that start with a state become `updates` in the API and
//! labelled steps on the incident page; prose that merely starts with a state word does not.

use serde_json::Value;

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-01T00:00:00Z";

#[test]
fn timeline_lines_that_start_with_a_state_are_updates() {
    let site = SiteTest::new()
        .file(
            "content/queue.md",
            "+++\ntitle = \"Queue delays\"\nstart = 2025-02-01T10:00:00Z\nend = 2025-02-01T11:00:00Z\n+++\n\
             ## Timeline\n\n\
             - 10:00 UTC: Investigating - We are looking into delayed jobs.\n\
             - 10:05 UTC: Identified the faulty deploy by its version.\n\
             - 10:20 UTC: **Identified:** a consumer ran out of memory.\n\
             - 10:40 UTC: Monitoring – a fix is deployed & we watch the queue.\n\
             - 11:00 UTC: Resolved\n",
        )
        .file(
            "content/db-upgrade.md",
            "+++\ntitle = \"Database upgrade\"\nkind = \"maintenance\"\nstart = 2025-02-10T02:00:00Z\nend = 2025-02-10T03:00:00Z\n+++\n\
             ## Timeline\n\n\
             - 02:00 UTC: In progress: the upgrade has started.\n\
             - 03:00 UTC: Completed - the database runs the new version.\n",
        )
        .file(
            "content/plain.md",
            "+++\ntitle = \"No updates\"\nstart = 2025-02-05T10:00:00Z\nend = 2025-02-05T10:30:00Z\n+++\n\
             ## Timeline\n\n- 10:00 UTC: Resolved by rolling back.\n",
        );
    site.build(AS_OF);

    let incidents = site.json("api/incidents.json");
    let updates = |id: &str| -> Vec<(String, String, String)> {
        let incident = incidents["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {incidents}"));
        incident["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| {
                let field = |name: &str| u[name].as_str().unwrap().to_string();
                (field("at"), field("status"), field("text"))
            })
            .collect()
    };
    let expected = |rows: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        rows.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    assert_eq!(
        updates("queue"),
        expected(&[
            (
                "2025-02-01T10:00:00Z",
                "investigating",
                "We are looking into delayed jobs."
            ),
            (
                "2025-02-01T10:20:00Z",
                "identified",
                "a consumer ran out of memory."
            ),
            (
                "2025-02-01T10:40:00Z",
                "monitoring",
                "a fix is deployed & we watch the queue."
            ),
            ("2025-02-01T11:00:00Z", "resolved", ""),
        ]),
        "the 10:05 line is prose, not an update"
    );
    assert_eq!(
        updates("db-upgrade"),
        expected(&[
            (
                "2025-02-10T02:00:00Z",
                "in_progress",
                "the upgrade has started."
            ),
            (
                "2025-02-10T03:00:00Z",
                "completed",
                "the database runs the new version."
            ),
        ])
    );
    assert_eq!(updates("plain"), expected(&[]));
    let plain = incidents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "plain")
        .unwrap();
    assert_eq!(plain["updates"], Value::Array(vec![]), "always present");

    let page = site.read("incidents/queue/index.html");
    assert!(page.contains("<span class=\"tl-text\"><strong class=\"tl-status tl-status-investigating\">Investigating</strong> — We are looking into delayed jobs.</span>"), "{page}");
    assert!(
        page.contains(
            "<span class=\"tl-text\">Identified the faulty deploy by its version.</span>"
        )
    );
    assert!(page.contains("<span class=\"tl-text\"><strong class=\"tl-status tl-status-resolved\">Resolved</strong></span>"), "no dangling dash when nothing follows");
    let maintenance = site.read("incidents/db-upgrade/index.html");
    assert!(maintenance.contains("<strong class=\"tl-status tl-status-in_progress\">In progress</strong> — the upgrade has started."));
}
