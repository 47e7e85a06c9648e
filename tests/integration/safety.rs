//! Hostile content: no script, event handler or dangerous URL reaches a page.

use crate::support::SiteTest;

const HOSTILE: &str = r#"+++
title = "<script>alert('title')</script>"
summary = "\"><img src=x onerror=alert(1)>"
start = 2025-02-10T10:00:00Z
services = ["<b>svc</b>"]
tags = ["{{ config }}"]
+++
<script>alert(1)</script>
<img src="x" onerror="alert(2)">
<svg onload="alert(3)"><script>alert(4)</script></svg>
<iframe src="https://evil.example"></iframe>
<a href="javascript:alert(5)">raw link</a>
<style>body { display: none }</style>
<form action="https://evil.example"><input name="q"></form>
<meta http-equiv="refresh" content="0;url=https://evil.example">

[md link](javascript:alert(6)) [entity](&#106;avascript:alert(7)) ![img](data:text/html;base64,PHNjcmlwdD4=)
[vb](VBScript:msgbox) <b onclick="alert(8)">bold</b>

<scr<script>ipt>alert(9)</script> <img src="x" onerror  =alert(10)> <a href=" javascript:alert(11)">spaced</a>
<svg><a xlink:href="javascript:alert(12)"><text>svg link</text></a></svg> <object data="javascript:alert(13)"></object>
<base href="https://evil.example/"> <img src=x:alert(14) onerror=eval(src)> <a href="JAVASCRIPT&colon;alert(15)">colon</a>
[spaced md](<javascript :alert(16)>) [tab](java&#09;script:alert(17))

<details><summary>Kept</summary>Harmless HTML survives.</details>
"#;

#[test]
fn xss_cases_are_neutralised_in_every_output() {
    let site = SiteTest::new().file("content/x.md", HOSTILE);
    site.build("2025-03-01T00:00:00Z");
    for page in [
        "incidents/x/index.html",
        "index.html",
        "history/2025/index.html",
        "services/b-svc-b/index.html",
    ] {
        for tag in tags(&site.read(page)) {
            assert_safe_tag(page, &tag);
        }
    }
    // In Atom, titles are text and `content type="html"` holds escaped HTML: check that HTML.
    let feed = site.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("well-formed Atom");
    let contents: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("content"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(contents.len(), 1);
    for tag in tags(contents[0]) {
        assert_safe_tag("feed.xml content", &tag);
    }
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .and_then(|e| e.children().find(|c| c.has_tag_name("title")))
        .and_then(|t| t.text());
    assert_eq!(
        title,
        Some("[Ongoing] <script>alert('title')</script>"),
        "a text title, escaped once by XML"
    );
    let page = site.read("incidents/x/index.html");
    assert!(
        page.contains(
            "<h1 id=\"incident-title\">&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"
        ),
        "title is escaped"
    );
    assert!(page.contains("<details><summary>Kept</summary>Harmless HTML survives.</details>"));
    assert!(
        page.contains("{{ config }}"),
        "front-matter text is never evaluated as a template"
    );
    let json = site.read("api/incidents.json");
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        parsed["incidents"][0]["title"], "<script>alert('title')</script>",
        "JSON keeps the text, escaped by JSON rules"
    );
}

/// Every `<...>` tag of `html`, lower-cased (text between tags is left out).
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .map(|rest| format!("<{}", rest.split('>').next().unwrap_or("")).to_lowercase())
        .collect()
}

fn assert_safe_tag(page: &str, tag: &str) {
    for element in [
        "<script",
        "<iframe",
        "<style",
        "<form",
        "<svg",
        "<meta http-equiv",
        "<input name",
    ] {
        assert!(!tag.starts_with(element), "{page}: {tag}");
    }
    // Attribute names only: quoted values are text, however they look.
    let names: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    let handler = names
        .split_whitespace()
        .skip(1)
        .any(|attr| attr.starts_with("on") && attr.contains('='));
    assert!(!handler, "{page}: event handler in {tag}");
    for attribute in ["href=\"", "src=\"", "action=\"", "data=\""] {
        for value in tag.split(attribute).skip(1) {
            let url: String = value
                .split('"')
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            for bad in ["javascript:", "vbscript:", "data:"] {
                assert!(!url.starts_with(bad), "{page}: {tag}");
            }
        }
    }
}

#[test]
fn trusted_raw_html_is_an_explicit_choice() {
    let site = SiteTest::new()
        .config(
            r#"[markdown]
raw_html = "trust"
"#,
        )
        .file(
            "content/x.md",
            r#"+++
title = "T"
start = 2025-02-10T10:00:00Z
+++
<div class="custom" style="color:red">mine</div>
"#,
        );
    site.build("2025-03-01T00:00:00Z");
    assert!(
        site.read("incidents/x/index.html")
            .contains("<div class=\"custom\" style=\"color:red\">mine</div>")
    );
}

#[test]
fn output_folders_holding_sources_are_refused() {
    let site = SiteTest::new().file(
        "content/a.md",
        r#"+++
title = "A"
start = 2024-01-01T10:00:00Z
+++
"#,
    );
    for bad in [".", "content", "..", "themes"] {
        let output = site.run(
            &[
                "build",
                "--as-of",
                "2025-01-01T00:00:00Z",
                "--output",
                bad,
                "--force",
            ],
            &[],
        );
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(
            crate::support::stderr(&output).contains("refusing to write the site to"),
            "{bad}"
        );
    }
    assert!(
        site.root().join("content/a.md").is_file(),
        "sources survive"
    );
    let by_config = site.file("aftermath.toml", "output_dir = \"content\"\n");
    let output = by_config.run(&["build", "--as-of", "2025-01-01T00:00:00Z"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(by_config.root().join("content/a.md").is_file());
}

/// A valid site with one resolved incident.
fn one_incident() -> SiteTest {
    SiteTest::new().file(
        "content/a.md",
        r#"+++
title = "A"
start = 2024-01-01T10:00:00Z
end = 2024-01-01T11:00:00Z
+++
"#,
    )
}

#[test]
fn the_home_folder_and_ancestors_are_refused_by_flag_and_by_config() {
    let site = one_incident();
    let home = site.root().parent().unwrap().to_path_buf();
    let home_text = home.display().to_string();
    let by_flag = site.run(
        &[
            "build",
            "--as-of",
            "2025-01-01T00:00:00Z",
            "--output",
            &home_text,
            "--force",
        ],
        &[("HOME", &home_text)],
    );
    assert_eq!(by_flag.status.code(), Some(2));
    let message = crate::support::stderr(&by_flag);
    assert!(message.contains(": it is your home folder\n"), "{message}");
    let by_config = site.file("aftermath.toml", &format!("output_dir = \"{home_text}\"\n"));
    let output = by_config.run(
        &["build", "--as-of", "2025-01-01T00:00:00Z", "--force"],
        &[("HOME", &home_text)],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(crate::support::stderr(&output).contains("refusing to write the site to"));
    assert!(by_config.root().join("content/a.md").is_file());
}

#[test]
fn a_foreign_non_empty_folder_needs_force() {
    let site = one_incident();
    let dist = site.root().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("notes.txt"), "precious").unwrap();
    let refused = site.run(
        &[
            "build",
            "--as-of",
            "2025-01-01T00:00:00Z",
            "--output",
            "dist",
        ],
        &[],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(crate::support::stderr(&refused).contains(
        "the folder is not empty and was not created by aftermath (it has no .aftermath-output file); use --force to replace it"
    ));
    assert_eq!(
        std::fs::read_to_string(dist.join("notes.txt")).unwrap(),
        "precious"
    );
    let forced = site.run(
        &[
            "build",
            "--as-of",
            "2025-01-01T00:00:00Z",
            "--output",
            "dist",
            "--force",
        ],
        &[],
    );
    assert!(forced.status.success());
    assert!(dist.join("index.html").is_file() && dist.join(".aftermath-output").is_file());
    let again = site.run(
        &[
            "build",
            "--as-of",
            "2025-01-01T00:00:00Z",
            "--output",
            "dist",
        ],
        &[],
    );
    assert!(
        again.status.success(),
        "our own output is replaced without --force"
    );
}

#[test]
fn nothing_is_written_or_deleted_outside_the_output_folder() {
    let site = one_incident();
    let outside = site.root().parent().unwrap().to_path_buf();
    std::fs::write(outside.join("canary.txt"), "alive").unwrap();
    let before = crate::support::tree(&outside);
    let output = site.run(
        &[
            "build",
            "--as-of",
            "2025-01-01T00:00:00Z",
            "--output",
            "../out",
        ],
        &[],
    );
    assert!(
        output.status.success(),
        "{}",
        crate::support::stderr(&output)
    );
    let after: Vec<(String, Vec<u8>)> = crate::support::tree(&outside)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("out/"))
        .filter(|(name, _)| !name.starts_with("site/.aftermath-cache/"))
        .collect();
    assert_eq!(after, before, "only out/ and the build cache changed");
}

#[test]
fn content_symlinks_leading_outside_are_refused() {
    let site = one_incident();
    let secret = site.root().parent().unwrap().join("secret.md");
    std::fs::write(
        &secret,
        "+++\ntitle = \"Secret\"\nstart = 2024-01-01T10:00:00Z\n+++\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, site.root().join("content/leak.md")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/loop"),
    )
    .unwrap();
    let report = site.build_err("2025-01-01T00:00:00Z");
    assert!(report.contains("error: content/leak.md: this symbolic link points outside the site root (or nowhere), so it is not read"), "{report}");
    assert!(
        report.contains("warning: content/loop: this symbolic link to a folder is not followed"),
        "{report}"
    );
    assert!(!site.out().exists());
}
