//! Bad input: exact messages, every problem in one run, nothing written.

use crate::support::SiteTest;

const AS_OF: &str = "2025-03-01T00:00:00Z";

#[test]
fn every_problem_of_every_file_is_reported_at_its_line() {
    let site = SiteTest::new()
        .config(
            r#"[[services]]
name = "api"
"#,
        )
        .file(
            "content/b.md",
            r#"
+++
title = "B"
start = 2024-05-06T15:00:00Z
end = 2024-05-06T09:00:00Z
impact = "lots"
services = ["apj"]
serverity = "major"
+++
"#,
        )
        .file(
            "content/a.md",
            r#"---
title: A
start: 2024-02-30 10:00
---
"#,
        );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(EVERY_PROBLEM)
        .run();
    assert!(!site.out().exists(), "nothing was written");
}

const EVERY_PROBLEM: &str = r#"error: content/a.md:3:8: "start": 2024-02-30 is not a date: February 2024 has 29 days
  |
3 | start: 2024-02-30 10:00
  |        ^^^^^^^^^^^^^^^^
  |
  = check: invalid-time

error: content/b.md:5:7: "end" (2024-05-06 09:00 UTC) is before "start" (2024-05-06 15:00 UTC)
  |
4 | start = 2024-05-06T15:00:00Z
  |         -------------------- "start" is here
5 | end = 2024-05-06T09:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = check: end-before-start

error: content/b.md:6:10: "impact": expected a percentage of users from 0 to 100, like 35, "35%" or "all", found "lots"
  |
6 | impact = "lots"
  |          ^^^^^^
  |
  = check: invalid-value

error: content/b.md:7:13: "services": "apj" is not declared in aftermath.toml
  |
7 | services = ["apj"]
  |             ^^^^^
  |
  = hint: did you mean "api"?
  = check: undeclared-service

error: content/b.md:8:1: unknown key "serverity"
  |
8 | serverity = "major"
  | ^^^^^^^^^
  |
  = hint: did you mean "severity"?
  = check: unknown-key

5 problems (5 errors, 0 warnings) in 2 of 2 files
nothing was written
"#;

#[test]
fn syntax_errors_point_at_the_markdown_file_line() {
    let site = SiteTest::new()
        // A byte-order mark and Windows line endings: lines are still counted right.
        .file(
            "content/t.md",
            "\u{feff}\r\n+++\r\ntitle = \"T\"\r\nstart = 2024-05-06T15:00:00Z,\r\n+++\r\n",
        )
        .file(
            "content/y.md",
            r#"---
title: Y
tags: [a, b
---
"#,
        )
        .file(
            "content/open.md",
            r#"+++
title = "x"
"#,
        )
        .file("content/none.md", "# Just a heading\n")
        .file("content/empty.md", "");
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(SYNTAX_ERRORS)
        .run();
}

const SYNTAX_ERRORS: &str = r#"error: content/empty.md:1:1: the file is empty; expected front matter between `+++` (TOML) or `---` (YAML) lines
  |
1 |
  | ^
  |
  = hint: start the file with a `+++` line, then `title = "..."` and `start = ...`, then a closing `+++` line
  = check: no-front-matter

error: content/none.md:1:1: expected front matter: the first line must be `+++` (TOML) or `---` (YAML)
  |
1 | # Just a heading
  | ^^^^^^^^^^^^^^^^
  |
  = hint: every postmortem starts with a front-matter block holding at least `title` and `start`
  = check: no-front-matter

error: content/open.md:1:1: the TOML front matter opened here is never closed; expected a line with only `+++`
  |
1 | +++
  | ^^^
  |
  = hint: add a `+++` line after the last front-matter key
  = check: no-front-matter

error: content/t.md:4:29: TOML syntax error: unexpected key or value, expected newline, `#`
  |
4 | start = 2024-05-06T15:00:00Z,
  |                             ^
  |
  = check: front-matter-syntax

error: content/y.md:3:7: YAML syntax error: unclosed bracket '['
  |
3 | tags: [a, b
  |       ^
  |
  = check: front-matter-syntax

5 problems (5 errors, 0 warnings) in 5 of 5 files
nothing was written
"#;

#[test]
fn missing_keys_and_conflicts() {
    let site = SiteTest::new()
        .file(
            "content/a.md",
            r#"+++
summary = "no title"
+++
"#,
        )
        .file(
            "content/b.md",
            r#"+++
title = "B"
start = 2024-05-06T15:00:00Z
end = 2024-05-06T16:00:00Z
duration = "1h"
+++
"#,
        )
        .file(
            "content/c.md",
            r#"+++
title = "C"
start = "2024-03-31 02:30"
timezone = "Europe/Berlin"
+++
"#,
        )
        .file(
            "content/d.md",
            r#"+++
title = "D"
start = 2024-05-06T15:00:00Z
detected = 2024-05-06T14:00:00Z
kind = "outage"
+++
"#,
        );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(MISSING_AND_CONFLICTS)
        .run();
}

const MISSING_AND_CONFLICTS: &str = r#"error: content/a.md:1:1: missing required key "start"
  |
1 | +++
  | ^^^
  |
  = hint: add when user impact began, like start = 2024-05-06T14:30:00Z
  = check: missing-key

error: content/a.md:1:1: missing required key "title"
  |
1 | +++
  | ^^^
  |
  = hint: add a line like title = "Checkout unavailable"
  = check: missing-key

error: content/b.md:5:1: give either "end" or "duration", not both
  |
4 | end = 2024-05-06T16:00:00Z
  |       -------------------- "end" is set here
5 | duration = "1h"
  | ^^^^^^^^
  |
  = hint: keep the one you measured; the other follows from "start"
  = check: end-and-duration

error: content/c.md:3:9: "start": 2024-03-31 02:30 does not exist in Europe/Berlin: the clocks skip it when daylight saving time starts; write the time with its offset
  |
3 | start = "2024-03-31 02:30"
  |         ^^^^^^^^^^^^^^^^^^
  |
  = check: invalid-time

error: content/d.md:4:12: "detected" (2024-05-06 14:00 UTC) is before "start" (2024-05-06 15:00 UTC); "start" is when user impact began
  |
3 | start = 2024-05-06T15:00:00Z
  |         -------------------- "start" is here
4 | detected = 2024-05-06T14:00:00Z
  |            ^^^^^^^^^^^^^^^^^^^^
  |
  = check: detected-before-start

error: content/d.md:5:8: "kind": unknown kind "outage"
  |
5 | kind = "outage"
  |        ^^^^^^^^
  |
  = hint: the site's kinds are: incident, maintenance
  = check: unknown-value

6 problems (6 errors, 0 warnings) in 4 of 4 files
nothing was written
"#;

#[test]
fn two_files_with_one_url_are_both_named() {
    let site = SiteTest::new()
        .file(
            "content/2024-01-01-db-outage.md",
            r#"+++
title = "A"
start = 2024-01-01T10:00:00Z
end = 2024-01-01T11:00:00Z
+++
"#,
        )
        .file(
            "content/2025/DB Outage.md",
            r#"+++
title = "B"
start = 2025-01-01T10:00:00Z
end = 2025-01-01T11:00:00Z
+++
"#,
        );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(ONE_URL)
        .run();
}

const ONE_URL: &str = r#"error: content/2024-01-01-db-outage.md: two incidents would be written to incidents/db-outage/: this file and content/2025/DB Outage.md
 = hint: give one of them a different file name or a `slug`
 = check: duplicate-url

error: content/2025/DB Outage.md: two incidents would be written to incidents/db-outage/: this file and content/2024-01-01-db-outage.md
 = hint: give one of them a different file name or a `slug`
 = check: duplicate-url

2 problems (2 errors, 0 warnings) in 2 of 2 files
nothing was written
"#;

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = SiteTest::new().file(
        "content/a.md",
        r#"+++
title = "Good"
start = 2024-01-01T10:00:00Z
end = 2024-01-01T11:00:00Z
+++
"#,
    );
    site.build(AS_OF);
    let before = crate::support::tree(&site.out());
    let site = site.file(
        "content/b.md",
        r#"+++
title = "Bad"
start = yesterday
+++
"#,
    );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(BAD_SECOND_FILE)
        .run();
    assert_eq!(crate::support::tree(&site.out()), before);
    let siblings: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !siblings.iter().any(|n| {
            let name = n.to_string_lossy();
            name.starts_with(".aftermath") && name != ".aftermath-cache"
        }),
        "no staging folder is left: {siblings:?}"
    );
}

const BAD_SECOND_FILE: &str = r#"error: content/b.md:3:9: TOML syntax error: string values must be quoted, expected literal string
  |
3 | start = yesterday
  |         ^^^^^^^^^
  |
  = check: front-matter-syntax

1 problem (1 error, 0 warnings) in 1 of 2 files
nothing was written: the previous site is unchanged
"#;

#[test]
fn a_bad_config_is_reported_at_its_value() {
    let site = SiteTest::new().config(
        r#"title = "x"
timezone = "Mars/Olympus"
"#,
    );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(BAD_CONFIG)
        .run();
}

const BAD_CONFIG: &str = r#"error: aftermath.toml:2:12: "timezone": "Mars/Olympus" is not an IANA time zone name
  |
2 | timezone = "Mars/Olympus"
  |            ^^^^^^^^^^^^^^
  |
  = hint: use a name like "UTC", "Europe/Berlin" or "America/New_York"
  = check: unknown-time-zone

1 problem (1 error, 0 warnings) in 1 of 1 file
nothing was written
"#;

#[test]
fn a_bad_template_is_reported_at_its_line() {
    let site = SiteTest::new().config("theme = \"mine\"\n").file(
        "themes/mine/templates/404.html",
        r#"{% extends "base.html" %}
{% block content %}
{{ oops( }}
{% endblock content %}
"#,
    );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(BAD_TEMPLATE)
        .run();
}

const BAD_TEMPLATE: &str = r#"error: themes/mine/templates/404.html:3:10: template error: Found `}}` but expected identifier.
  |
3 | {{ oops( }}
  |          ^^
  |
  = check: template-error

1 problem (1 error, 0 warnings) in 1 of 1 file
nothing was written
"#;

#[test]
fn usage_errors_exit_with_2() {
    SiteTest::new()
        .command(&["build", "--as-of", "yesterday"])
        .status(2)
        .stderr(BAD_AS_OF)
        .run();
}

const BAD_AS_OF: &str = r#"error: --as-of "yesterday" is not an RFC 3339 time like 2025-03-01T00:00:00Z: premature end of input
"#;

#[test]
fn service_names_that_share_a_page_are_refused() {
    let site = SiteTest::new()
        .file(
            "content/a.md",
            r#"+++
title = "A"
start = 2024-01-01T10:00:00Z
end = 2024-01-01T11:00:00Z
services = ["Web App"]
+++
"#,
        )
        .file(
            "content/b.md",
            r#"+++
title = "B"
start = 2024-01-02T10:00:00Z
end = 2024-01-02T11:00:00Z
services = ["web-app"]
+++
"#,
        )
        .file(
            "content/c.md",
            r#"+++
title = "C"
start = 2024-01-03T10:00:00Z
end = 2024-01-03T11:00:00Z
services = ["!!!"]
+++
"#,
        );
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(SHARED_PAGE)
        .run();
}

const SHARED_PAGE: &str = r#"error: content/a.md: the service "Web App" would share the page services/web-app/ with "Web App" and "web-app"
 = hint: spell the service the same way everywhere, or declare [[services]] in aftermath.toml
 = check: duplicate-service-page

error: content/b.md: the service "web-app" would share the page services/web-app/ with "Web App" and "web-app"
 = hint: spell the service the same way everywhere, or declare [[services]] in aftermath.toml
 = check: duplicate-service-page

error: content/c.md:5:13: "services": "!!!" gives an empty URL; use letters or digits in service names
  |
5 | services = ["!!!"]
  |             ^^^^^
  |
  = check: invalid-slug

3 problems (3 errors, 0 warnings) in 3 of 3 files
nothing was written
"#;

#[test]
fn a_theme_file_may_not_replace_a_generated_page() {
    let site = SiteTest::new()
        .config("theme = \"t\"\n")
        .file("themes/t/static/index.html", "<p>mine</p>");
    site.command(&["build", "--as-of", AS_OF])
        .status(1)
        .stderr(THEME_FILE)
        .run();
    assert!(!site.out().exists(), "nothing was written");
}

const THEME_FILE: &str = r#"error: themes/t/static/index.html: this file would overwrite the generated page index.html
 = check: theme-file

1 problem (1 error, 0 warnings) in 1 of 1 file
nothing was written
"#;

#[test]
fn a_bad_base_url_flag_is_a_usage_error() {
    SiteTest::new()
        .command(&["build", "--as-of", AS_OF, "--base-url", "example.org"])
        .status(2)
        .stderr(BAD_BASE_URL)
        .run();
}

const BAD_BASE_URL: &str = r#"error: --base-url: "example.org" is not an absolute URL
"#;
