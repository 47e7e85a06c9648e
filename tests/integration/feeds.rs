//! Atom and JSON Feed: well-formed, absolute links, escaped text.

use crate::support::SiteTest;

fn site() -> SiteTest {
    SiteTest::new()
        .config(
            r#"title = "Acme & Co"
base_url = "https://example.org/status/"
"#,
        )
        .file(
            "content/a.md",
            r#"+++
title = "Payments <down> & out"
summary = "Card \"declines\""
start = 2025-02-10T10:00:00Z
end = 2025-02-10T12:00:00Z
services = ["payments"]
+++
Body with **bold**.
"#,
        )
        .file(
            "content/b.md",
            r#"+++
title = "Ongoing"
start = 2025-02-20T10:00:00Z
+++
"#,
        )
}

#[test]
fn atom_feed_is_well_formed_with_absolute_links() {
    let site = site();
    site.build("2025-03-01T00:00:00Z");
    let xml = site.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed Atom");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 2);
    let title = |n: roxmltree::Node| {
        n.children()
            .find(|c| c.has_tag_name("title"))
            .unwrap()
            .text()
            .unwrap()
            .to_string()
    };
    assert_eq!(title(entries[0]), "[Ongoing] Ongoing");
    assert_eq!(title(entries[1]), "Payments <down> & out");
    let updated = feed
        .children()
        .find(|c| c.has_tag_name("updated"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(
        updated, "2025-02-20T10:00:00Z",
        "the newest content time, not the build time"
    );
    let link = entries[1]
        .children()
        .find(|c| c.has_tag_name("link"))
        .unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://example.org/status/incidents/a/")
    );
    let content = entries[1]
        .children()
        .find(|c| c.has_tag_name("content"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(content.trim(), "<p>Body with <strong>bold</strong>.</p>");
}

#[test]
fn json_feed_follows_version_1_1() {
    let site = site();
    site.build("2025-03-01T00:00:00Z");
    let feed = site.json("feed.json");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], "Acme & Co");
    assert_eq!(feed["feed_url"], "https://example.org/status/feed.json");
    let item = &feed["items"][1];
    assert_eq!(item["id"], "https://example.org/status/incidents/a/");
    assert_eq!(item["title"], "Payments <down> & out");
    assert_eq!(item["summary"], "Card \"declines\"");
    assert_eq!(item["date_published"], "2025-02-10T10:00:00Z");
    assert_eq!(item["date_modified"], "2025-02-10T12:00:00Z");
    assert_eq!(item["tags"], serde_json::json!(["payments"]));
}
