//! `aftermath check`: every problem of every file in one run, each message pinned exactly,
//! in the three output formats, with the documented exit codes; nothing is written.

use serde_json::Value;

use crate::support::{SiteTest, stderr};

const AS_OF: &str = "2025-01-01T00:00:00Z";

/// (file, contents, line, column, exact message) for each case of docs/checks.md.
const CASES: &[(&str, &str, u64, u64, &str)] = &[
    (
        "content/empty.md",
        "",
        1,
        1,
        "the file is empty; expected front matter between `+++` (TOML) or `---` (YAML) lines",
    ),
    (
        "content/no-front-matter.md",
        "# Outage\n",
        1,
        1,
        "expected front matter: the first line must be `+++` (TOML) or `---` (YAML)",
    ),
    (
        "content/unterminated.md",
        "\n\n+++\ntitle = \"A\"\n",
        3,
        1,
        "the TOML front matter opened here is never closed; expected a line with only `+++`",
    ),
    (
        "content/toml-syntax.md",
        "\u{feff}\r\n\r\n+++\r\ntitle = \"A\"\r\nstart = 2024-05-06T15:00:00Z,\r\n+++\r\n",
        5,
        29,
        "TOML syntax error: unexpected key or value, expected newline, `#`",
    ),
    (
        "content/yaml-syntax.md",
        "\u{feff}\r\n---\r\ntitle: A\r\ntags: [a, b\r\n---\r\n",
        4,
        7,
        "YAML syntax error: unclosed bracket '['",
    ),
    (
        "content/duplicate-toml.md",
        "+++\ntitle = \"A\"\ntitle = \"B\"\nstart = 2024-05-06T15:00:00Z\n+++\n",
        3,
        1,
        "TOML syntax error: duplicate key \"title\"",
    ),
    (
        "content/duplicate-yaml.md",
        "---\ntitle: A\nstart: 2024-05-06T15:00:00Z\ntitle: B\n---\n",
        4,
        1,
        "YAML syntax error: duplicate key \"title\"",
    ),
    (
        "content/unknown-key.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\ntittle = \"x\"\n+++\n",
        4,
        1,
        "unknown key \"tittle\"",
    ),
    (
        "content/impact-type.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nimpact = \"lots\"\n+++\n",
        4,
        10,
        "\"impact\": expected a percentage of users from 0 to 100, like 35, \"35%\" or \"all\", found \"lots\"",
    ),
    (
        "content/services-type.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nservices = \"web\"\n+++\n",
        4,
        12,
        "\"services\": expected a list of strings like [\"a\", \"b\"], found \"web\"",
    ),
    (
        "content/missing-title.md",
        "+++\nstart = 2024-05-06T15:00:00Z\n+++\n",
        1,
        1,
        "missing required key \"title\"",
    ),
    (
        "content/missing-start.md",
        "---\ntitle: A\n---\n",
        1,
        1,
        "missing required key \"start\"",
    ),
    (
        "content/unparsable.md",
        "+++\ntitle = \"A\"\nstart = \"last tuesday\"\n+++\n",
        3,
        9,
        "\"start\": expected a date as YYYY-MM-DD with a time, like 2024-05-06T14:30:00Z, 2024-05-06T16:30:00+02:00 or 2024-05-06 14:30; found \"last tuesday\"",
    ),
    (
        "content/impossible.md",
        "---\ntitle: A\nstart: 2024-02-30 10:00\n---\n",
        3,
        8,
        "\"start\": 2024-02-30 is not a date: February 2024 has 29 days",
    ),
    (
        "content/end-before-start.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nend = 2024-05-06T09:00:00Z\n+++\n",
        4,
        7,
        "\"end\" (2024-05-06 09:00 UTC) is before \"start\" (2024-05-06 15:00 UTC)",
    ),
    (
        "content/end-and-duration.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nend = 2024-05-06T16:00:00Z\nduration = \"1h\"\n+++\n",
        5,
        1,
        "give either \"end\" or \"duration\", not both",
    ),
    (
        "content/dst-gap.md",
        "+++\ntitle = \"A\"\nstart = \"2024-03-10 02:30\"\ntimezone = \"America/New_York\"\n+++\n",
        3,
        9,
        "\"start\": 2024-03-10 02:30 does not exist in America/New_York: the clocks skip it when daylight saving time starts; write the time with its offset",
    ),
    (
        "content/dst-fold.md",
        "+++\ntitle = \"A\"\nstart = \"2024-11-03 01:30\"\ntimezone = \"America/New_York\"\n+++\n",
        3,
        9,
        "\"start\": 2024-11-03 01:30 happens twice in America/New_York (at -04:00 and at -05:00) because the clocks go back; write the time with the offset you mean, like 2024-11-03T01:30:00-04:00",
    ),
    (
        "content/unknown-zone.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\ntimezone = \"Mars/Olympus\"\n+++\n",
        4,
        12,
        "\"timezone\": \"Mars/Olympus\" is not an IANA time zone name",
    ),
    (
        "content/detected-early.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\ndetected = 2024-05-06T14:00:00Z\n+++\n",
        4,
        12,
        "\"detected\" (2024-05-06 14:00 UTC) is before \"start\" (2024-05-06 15:00 UTC); \"start\" is when user impact began",
    ),
    (
        "content/impact-range.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nimpact = 140\n+++\n",
        4,
        10,
        "\"impact\": 140% is outside 0 to 100",
    ),
    (
        "content/severity.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nseverity = \"sev1\"\n+++\n",
        4,
        12,
        "\"severity\": unknown severity \"sev1\"",
    ),
    (
        "content/kind.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nkind = \"outage\"\n+++\n",
        4,
        8,
        "\"kind\": unknown kind \"outage\"",
    ),
    (
        "content/service.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nservices = [\"web\", \"apj\"]\n+++\n",
        4,
        20,
        "\"services\": \"apj\" is not declared in aftermath.toml",
    ),
    (
        "content/slug-parent.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nslug = \"../x\"\n+++\n",
        4,
        8,
        "\"slug\": \"../x\" is not a URL slug (lower-case letters, digits and single dashes only)",
    ),
    (
        "content/slug-encoded.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nslug = \"%2e%2e/x\"\n+++\n",
        4,
        8,
        "\"slug\": \"%2e%2e/x\" is not a URL slug (lower-case letters, digits and single dashes only)",
    ),
    (
        "content/slug-absolute.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nslug = \"/etc/passwd\"\n+++\n",
        4,
        8,
        "\"slug\": \"/etc/passwd\" is not a URL slug (lower-case letters, digits and single dashes only)",
    ),
    (
        "content/slug-backslash.md",
        "+++\ntitle = \"A\"\nstart = 2024-05-06T15:00:00Z\nslug = '..\\x'\n+++\n",
        4,
        8,
        "\"slug\": \"..\\x\" is not a URL slug (lower-case letters, digits and single dashes only)",
    ),
];

fn failing_site() -> SiteTest {
    let mut site = SiteTest::new().config(
        r#"[[services]]
name = "web"
"#,
    );
    for (file, text, ..) in CASES {
        site = site.file(file, text);
    }
    site.file("content/latin1.md", "")
}

#[test]
fn every_case_is_reported_in_one_run_with_its_exact_message() {
    let site = failing_site();
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"+++\ntitle = \"Caf\xe9\"\n+++\n",
    )
    .unwrap();
    let output = site.run(&["check", "--format", "json", "--as-of", AS_OF], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let problems: Value = serde_json::from_slice(&output.stdout).expect("a JSON array");
    let problems = problems.as_array().unwrap();
    for (file, _, line, column, message) in CASES {
        let found = problems
            .iter()
            .find(|p| p["file"] == *file && p["message"] == *message);
        let Some(found) = found else {
            let for_file: Vec<&Value> = problems.iter().filter(|p| p["file"] == *file).collect();
            panic!("{file}: expected {message:?}, got {for_file:#?}");
        };
        assert_eq!(
            (found["line"].as_u64(), found["column"].as_u64()),
            (Some(*line), Some(*column)),
            "{file}"
        );
        assert_eq!(found["severity"], "error");
    }
    let latin1 = problems
        .iter()
        .find(|p| p["file"] == "content/latin1.md")
        .unwrap();
    assert_eq!(
        latin1["message"],
        "the file is not UTF-8 text (invalid byte at line 2, column 13)"
    );
    let files: Vec<&str> = problems
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "sorted by file");
    assert!(!site.out().exists(), "check writes nothing");
}

/// A small site with one error and one warning, checked at 2024-05-07.
fn two_problems() -> SiteTest {
    SiteTest::new()
        .config("timezone = \"Europe/Berlin\"\n")
        .file(
            "content/2024/db-outage.md",
            r#"+++
title = "DB"
start = 2024-05-06T15:00:00Z
end = 2024-05-06T09:00:00Z
+++
"#,
        )
        .file(
            "content/2024/cdn.md",
            r#"---
title: CDN
start: 2024-05-06 10:00
---
"#,
        )
        .file(
            "content/2024/fine.md",
            r#"+++
title = "Fine"
start = 2024-05-06T15:00:00Z
end = 2024-05-06T16:00:00Z
+++
"#,
        )
}

#[test]
fn the_human_format_shows_each_problem_with_its_snippet_and_a_summary() {
    two_problems()
        .command(&["check", "--as-of", "2024-05-07T00:00:00Z"])
        .status(1)
        .stdout(
            r#"warning: content/2024/cdn.md:3:8: "start" has no UTC offset; read as Europe/Berlin (the site timezone)
  |
3 | start: 2024-05-06 10:00
  |        ^^^^^^^^^^^^^^^^
  |
  = hint: write the offset (like 2024-05-06T14:30:00+02:00) or set timezone in this file
  = check: local-time

error: content/2024/db-outage.md:4:7: "end" (2024-05-06 09:00 UTC) is before "start" (2024-05-06 15:00 UTC)
  |
3 | start = 2024-05-06T15:00:00Z
  |         -------------------- "start" is here
4 | end = 2024-05-06T09:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = check: end-before-start

2 problems (1 error, 1 warning) in 2 of 3 files
"#,
        )
        .run();
}

#[test]
fn the_github_format_is_one_annotation_per_problem() {
    two_problems()
        .command(&[
            "check",
            "--format",
            "github",
            "--as-of",
            "2024-05-07T00:00:00Z",
        ])
        .status(1)
        .stdout(GITHUB_ANNOTATIONS)
        .run();
}

const GITHUB_ANNOTATIONS: &str = r#"::warning file=content/2024/cdn.md,line=3,col=8,title=local-time::"start" has no UTC offset; read as Europe/Berlin (the site timezone)%0Ahint: write the offset (like 2024-05-06T14:30:00+02:00) or set timezone in this file
::error file=content/2024/db-outage.md,line=4,col=7,title=end-before-start::"end" (2024-05-06 09:00 UTC) is before "start" (2024-05-06 15:00 UTC)%0Aline 3: "start" is here
2 problems (1 error, 1 warning) in 2 of 3 files
"#;

#[test]
fn warnings_pass_unless_denied() {
    let site = SiteTest::new()
        .config("max_incident_duration = \"7d\"\n")
        .file(
            "content/long.md",
            r#"+++
title = "Long"
start = 2024-05-01T00:00:00Z
end = 2024-05-20T00:00:00Z
+++
"#,
        )
        .file(
            "content/open.md",
            r#"+++
title = "Open"
start = 2024-12-01T00:00:00Z
+++
"#,
        )
        .file(
            "content/late.md",
            r#"+++
title = "Late"
start = 2024-05-01T00:00:00Z
end = 2024-05-01T01:00:00Z
detected = 2024-05-01T02:00:00Z
+++
"#,
        );
    site.command(&["check", "--as-of", AS_OF])
        .stdout(THREE_WARNINGS)
        .run();
    site.command(&["check", "--deny-warnings", "--as-of", AS_OF])
        .status(1)
        .stdout(THREE_WARNINGS)
        .run();
}

const THREE_WARNINGS: &str = r#"warning: content/late.md:5:12: "detected" (2024-05-01 02:00 UTC) is after "end" (2024-05-01 01:00 UTC): the problem was found after impact ended
  |
5 | detected = 2024-05-01T02:00:00Z
  |            ^^^^^^^^^^^^^^^^^^^^
  |
  = check: detected-after-end

warning: content/long.md:4:7: the incident lasts 19 d, longer than max_incident_duration (7 d)
  |
4 | end = 2024-05-20T00:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = hint: check the date of "end"; if it is right, raise max_incident_duration in aftermath.toml
  = check: long-incident

warning: content/open.md: this incident has been ongoing for 31 d, longer than max_incident_duration (7 d)
 = hint: if it is over, add "end"; it counts as downtime until then
 = check: ongoing-too-long

3 problems (0 errors, 3 warnings) in 3 of 3 files
"#;

#[test]
fn checks_in_the_config_relax_or_raise_warnings_by_name() {
    let timeline = r#"+++
title = "Late notes"
start = 2024-05-01T10:00:00
end = 2024-05-01T11:00:00Z
+++

## Timeline

- 10:30 paged
- 10:10 noticed
- 12:00 follow-up filed
"#;
    let site = SiteTest::new()
        .config(
            r#"[checks]
timeline-after-end = "allow"
local-time = "deny"
"#,
        )
        .file("content/late.md", timeline);
    let report = site.run(&["check", "--as-of", AS_OF], &[]);
    assert_eq!(report.status.code(), Some(1), "a denied warning fails");
    assert_eq!(
        String::from_utf8(report.stdout).unwrap(),
        r#"error: content/late.md:3:9: "start" has no UTC offset; read as UTC (the site timezone)
  |
3 | start = 2024-05-01T10:00:00
  |         ^^^^^^^^^^^^^^^^^^^
  |
  = hint: write the offset (like 2024-05-06T14:30:00+02:00) or set timezone in this file
  = check: local-time

warning: content/late.md:10:1: timeline events go back in time here; list them in order
   |
10 | - 10:10 noticed
   | ^^^^^^^^^^^^^^^
   |
   = check: timeline-out-of-order

2 problems (1 error, 1 warning) in 1 of 1 file
"#
    );
}

#[test]
fn checks_in_the_config_cannot_relax_errors_or_name_unknown_checks() {
    let site = SiteTest::new().config(
        r#"[checks]
end-before-start = "warn"
timeline-after-ending = "allow"
local-time = "off"
"#,
    );
    let report = site.run(&["check", "--format", "json", "--as-of", AS_OF], &[]);
    assert_eq!(report.status.code(), Some(1));
    let problems: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let found: Vec<(u64, &str, &str)> = problems
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["check"].as_str().unwrap(),
                p["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                2,
                "invalid-check-level",
                "\"checks\": \"end-before-start\" is an error and stays one: it means numbers would be wrong or output unsafe"
            ),
            (
                3,
                "invalid-check-level",
                "\"checks\": there is no check named \"timeline-after-ending\""
            ),
            (
                4,
                "invalid-check-level",
                "\"checks\": \"off\" is not a level; use \"allow\", \"warn\" or \"deny\""
            ),
        ]
    );
}

#[test]
fn a_clean_site_passes_and_usage_errors_exit_with_2() {
    let site = SiteTest::new().file(
        "content/a.md",
        r#"+++
title = "A"
start = 2024-05-06T15:00:00Z
end = 2024-05-06T16:00:00Z
+++
"#,
    );
    site.command(&["check", "--as-of", AS_OF])
        .stdout("no problems in 1 file\n")
        .run();
    site.command(&["check", "--format", "json", "--as-of", AS_OF])
        .stdout("[]\n")
        .run();
    site.command(&["check", "--format", "xml"])
        .status(2)
        .stderr(BAD_FORMAT)
        .run();
    site.command(&["check", "--root", "/nonexistent/site"])
        .status(2)
        .stderr(NO_SUCH_ROOT)
        .run();
}

const BAD_FORMAT: &str = r#"error: invalid value 'xml' for '--format <FORMAT>'
  [possible values: human, json, github]

For more information, try '--help'.
"#;

const NO_SUCH_ROOT: &str = r#"error: the site root /nonexistent/site is not a folder
"#;

#[test]
fn check_renders_every_page_to_find_template_errors_and_checks_output_dir() {
    let site = SiteTest::new()
        .config(
            r#"theme = "mine"
output_dir = "content"
"#,
        )
        .file(
            "content/a.md",
            r#"+++
title = "A"
start = 2024-05-06T15:00:00Z
end = 2024-05-06T16:00:00Z
+++
"#,
        )
        .file(
            "themes/mine/templates/incident.html",
            r#"{% extends "base.html" %}
{% block content %}
{{ incident.start.no_such_field }}
{% endblock content %}
"#,
        );
    site.command(&["check", "--as-of", AS_OF])
        .status(1)
        .stdout(TEMPLATE_AND_OUTPUT_DIR)
        .run();
    assert!(!site.root().join("public").exists());
}

const TEMPLATE_AND_OUTPUT_DIR: &str = r#"error: aftermath.toml: "output_dir": refusing to write the site to content: it is inside content/, which holds the site's sources
 = check: unsafe-output-dir

error: themes/mine/templates/incident.html:3:19: template error: Field `no_such_field` is not defined. Available fields: date, day, iso, local, utc
  |
3 | {{ incident.start.no_such_field }}
  |                   ^^^^^^^^^^^^^
  |
  = check: template-error

2 problems (2 errors, 0 warnings) in 2 of 2 files
"#;
