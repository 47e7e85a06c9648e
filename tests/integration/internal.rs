//! The internal edition from the same files: a canary word sits in every internal place (an
//! internal postmortem's title, summary, service, tag, body, timeline and action items; an
//! internal block of a public postmortem with a timeline line and an action item in it). No
//! byte of the public build may hold it; the internal build shows all of it.

use crate::support::{SiteTest, tree};

const AS_OF: &str = "2025-03-20T12:00:00Z";
const CANARY: &str = "zqxcanary";

fn canary_site() -> SiteTest {
    SiteTest::new()
        .config("title = \"Acme status\"\nbase_url = \"https://status.example.org/\"\n")
        .file(
            "content/zqxcanary-outage.md",
            "+++\ntitle = \"Ledger outage zqxcanary\"\nsummary = \"The zqxcanary ledger was down.\"\nstart = 2025-03-10T10:00:00Z\nend = 2025-03-10T11:00:00Z\nservices = [\"zqxcanary\"]\ntags = [\"zqxcanary\"]\nseverity = \"critical\"\nvisibility = \"internal\"\n+++\n## Timeline\n\n- 10:00 UTC — zqxcanary alerts fired\n\n## Action items\n\n- [ ] Fix the zqxcanary ledger @zqxcanary due:2025-04-01\n",
        )
        .file(
            "content/api-errors.md",
            "+++\ntitle = \"API errors\"\nstart = 2025-03-12T10:00:00Z\nend = 2025-03-12T10:30:00Z\nservices = [\"api\"]\n+++\n## Summary\n\nThe API returned errors.\n\n<!-- internal -->\nThe cause was a zqxcanary config push by the on-call engineer.\n<!-- /internal -->\n\n## Timeline\n\n- 10:00 UTC — Errors begin.\n<!-- internal -->\n- 10:05 UTC — zqxcanary paged the database team.\n<!-- /internal -->\n- 10:30 UTC — Resolved.\n\n## Action items\n\n- [x] Roll back the push @maria\n<!-- internal -->\n- [ ] Review the zqxcanary access @zqxcanary\n<!-- /internal -->\n",
        )
}

#[test]
fn no_byte_of_the_public_build_holds_an_internal_word() {
    let site = canary_site();
    let report = site.build(AS_OF);
    assert_eq!(report.internal_left_out, 1);
    for (path, bytes) in tree(&site.out()) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains(CANARY), "{path} holds the canary");
    }
    assert!(
        !site.root().join("public/robots.txt").exists(),
        "the public site keeps its own"
    );
    // The internal postmortem does not count: one incident, one action item, on api only.
    let stats = site.json("api/stats.json");
    assert_eq!(stats["incidents"]["total"], 1);
    assert_eq!(
        site.json("api/actions.json")["actions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let page = site.read("incidents/api-errors/index.html");
    assert!(!page.contains("Internal edition") && !page.contains("noindex"));
    // The timeline keeps its public lines.
    assert!(page.contains("Errors begin.") && page.contains("Resolved."));
}

#[test]
fn the_internal_edition_shows_every_internal_place_and_says_what_it_is() {
    let site = canary_site();
    site.command(&["build", "--audience", "internal", "--as-of", AS_OF])
        .stderr("built 2 incidents, from 2 files into [ROOT]/public-internal (65 files), the internal edition\n")
        .run();
    let out = site.root().join("public-internal");
    let read = |path: &str| std::fs::read_to_string(out.join(path)).unwrap();
    let internal = read("incidents/zqxcanary-outage/index.html");
    assert!(
        internal.contains("Ledger outage zqxcanary") && internal.contains("zqxcanary alerts fired")
    );
    let public = read("incidents/api-errors/index.html");
    assert!(public.contains("zqxcanary config push"), "the block");
    assert!(
        public.contains("zqxcanary paged the database team"),
        "the timeline line"
    );
    for path in [
        "services/zqxcanary/index.html",
        "tags/zqxcanary/index.html",
        "actions/owners/zqxcanary/index.html",
        "api/actions.json",
        "api/incidents.json",
        "feed.xml",
        "feed.json",
        "sitemap.xml",
        "badges/zqxcanary/status.svg",
        "services/zqxcanary/feed.xml",
        "api/v2/components.json",
        "metrics.prom",
        "embed/index.html",
    ] {
        assert!(read(path).contains(CANARY), "{path}");
    }
    assert_eq!(
        read("robots.txt"),
        "# The internal edition: not for search engines.\nUser-agent: *\nDisallow: /\n"
    );
    for (path, bytes) in tree(&out).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(&bytes);
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"),
            "{path}"
        );
        assert!(
            html.contains("<strong>Internal edition.</strong>"),
            "{path}"
        );
    }
    let stats: serde_json::Value = serde_json::from_str(&read("api/stats.json")).unwrap();
    assert_eq!(stats["incidents"]["total"], 2);
}

#[test]
fn the_internal_edition_is_never_written_where_the_public_site_is() {
    let site = canary_site();
    site.build(AS_OF);
    site.command(&["build", "--audience", "internal", "--output", "public", "--as-of", AS_OF])
        .status(1)
        .stderr("error: --audience: refusing to write the internal edition to public, where the public site is built: it would be published\n = hint: leave --output out to use internal_output_dir, or give another folder\n = check: unsafe-output-dir\n\n1 problem (1 error, 0 warnings) in 1 of 2 files\nnothing was written: the previous site is unchanged\n")
        .run();
    for (path, bytes) in tree(&site.out()) {
        assert!(!String::from_utf8_lossy(&bytes).contains(CANARY), "{path}");
    }
}

#[test]
fn an_internal_block_left_open_is_an_error_at_its_marker() {
    let site = SiteTest::new().file(
        "content/open.md",
        "+++\ntitle = \"Open\"\nstart = 2025-03-12T10:00:00Z\nduration = \"1h\"\n+++\nPublic.\n\n<!-- internal -->\nSecret.\n",
    );
    site.command(&["check", "--as-of", AS_OF])
        .status(1)
        .stdout("error: content/open.md:8:1: this internal block is never closed\n  |\n8 | <!-- internal -->\n  | ^^^^^^^^^^^^^^^^^\n  |\n  = hint: end it with <!-- /internal --> on a line of its own; until then the rest of the file is internal\n  = check: internal-block\n\n1 problem (1 error, 0 warnings) in 1 of 1 file\n")
        .run();
}
