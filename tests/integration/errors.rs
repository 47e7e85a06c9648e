//! Bad input: exact messages, every problem in one run, nothing written.

use crate::support::{SiteTest, stderr};

const AS_OF: &str = "2025-03-01T00:00:00Z";

#[test]
fn every_problem_of_every_file_is_reported_at_its_line() {
    let site = SiteTest::new()
        .config("[[services]]\nname = \"api\"\n")
        .file(
            "content/b.md",
            "\n+++\ntitle = \"B\"\nstart = 2024-05-06T15:00:00Z\nend = 2024-05-06T09:00:00Z\nimpact = \"lots\"\nservices = [\"apj\"]\nserverity = \"major\"\n+++\n",
        )
        .file("content/a.md", "---\ntitle: A\nstart: 2024-02-30 10:00\n---\n");
    let report = site.build_err(AS_OF);
    let expected = [
        "error: content/a.md:3:8: \"start\": 2024-02-30 is not a date: February 2024 has 29 days",
        "error: content/b.md:5:7: \"end\" (2024-05-06 09:00 UTC) is before \"start\" (2024-05-06 15:00 UTC)",
        "error: content/b.md:6:10: \"impact\": expected a percentage of users from 0 to 100, like 35, \"35%\" or \"all\", found \"lots\"",
        "error: content/b.md:7:13: \"services\": \"apj\" is not declared in aftermath.toml",
        "error: content/b.md:8:1: unknown key \"serverity\"",
    ];
    let firsts: Vec<&str> = report.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(firsts, expected, "{report}");
    assert!(report.contains("  = hint: did you mean \"api\"?\n  = check: undeclared-service\n"));
    assert!(report.contains("  = hint: did you mean \"severity\"?\n  = check: unknown-key\n"));
    assert!(
        report.contains(
            r#"
  |
4 | start = 2024-05-06T15:00:00Z
  |         -------------------- "start" is here
5 | end = 2024-05-06T09:00:00Z
  |       ^^^^^^^^^^^^^^^^^^^^
  |
  = check: end-before-start
"#
        ),
        "{report}"
    );
}

#[test]
fn syntax_errors_point_at_the_markdown_file_line() {
    let site = SiteTest::new()
        .file(
            "content/t.md",
            "\u{feff}\r\n+++\r\ntitle = \"T\"\r\nstart = 2024-05-06T15:00:00Z,\r\n+++\r\n",
        )
        .file("content/y.md", "---\ntitle: Y\ntags: [a, b\n---\n")
        .file("content/open.md", "+++\ntitle = \"x\"\n")
        .file("content/none.md", "# Just a heading\n")
        .file("content/empty.md", "");
    let report = site.build_err(AS_OF);
    assert!(report.contains("error: content/t.md:4:"), "{report}");
    assert!(report.contains("TOML syntax error"), "{report}");
    assert!(report.contains("error: content/y.md:"), "{report}");
    assert!(report.contains("YAML syntax error"), "{report}");
    assert!(report.contains("error: content/open.md:1:1: the TOML front matter opened here is never closed; expected a line with only `+++`"), "{report}");
    assert!(report.contains("error: content/none.md:1:1: expected front matter: the first line must be `+++` (TOML) or `---` (YAML)"), "{report}");
    assert!(
        report.contains("error: content/empty.md:1:1: the file is empty"),
        "{report}"
    );
}

#[test]
fn missing_keys_and_conflicts() {
    let site = SiteTest::new()
        .file("content/a.md", "+++\nsummary = \"no title\"\n+++\n")
        .file("content/b.md", "+++\ntitle = \"B\"\nstart = 2024-05-06T15:00:00Z\nend = 2024-05-06T16:00:00Z\nduration = \"1h\"\n+++\n")
        .file("content/c.md", "+++\ntitle = \"C\"\nstart = \"2024-03-31 02:30\"\ntimezone = \"Europe/Berlin\"\n+++\n")
        .file("content/d.md", "+++\ntitle = \"D\"\nstart = 2024-05-06T15:00:00Z\ndetected = 2024-05-06T14:00:00Z\nkind = \"outage\"\n+++\n");
    let report = site.build_err(AS_OF);
    assert!(
        report.contains("error: content/a.md:1:1: missing required key \"title\""),
        "{report}"
    );
    assert!(
        report.contains("error: content/a.md:1:1: missing required key \"start\""),
        "{report}"
    );
    assert!(
        report.contains("error: content/b.md:5:1: give either \"end\" or \"duration\", not both"),
        "{report}"
    );
    assert!(
        report.contains(
            "error: content/c.md:3:9: \"start\": 2024-03-31 02:30 does not exist in Europe/Berlin"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "error: content/d.md:4:12: \"detected\" (2024-05-06 14:00 UTC) is before \"start\""
        ),
        "{report}"
    );
    assert!(
        report.contains("error: content/d.md:5:8: \"kind\": unknown kind \"outage\""),
        "{report}"
    );
}

#[test]
fn two_files_with_one_url_are_both_named() {
    let site = SiteTest::new()
        .file(
            "content/2024-01-01-db-outage.md",
            "+++\ntitle = \"A\"\nstart = 2024-01-01T10:00:00Z\n+++\n",
        )
        .file(
            "content/2025/DB Outage.md",
            "+++\ntitle = \"B\"\nstart = 2025-01-01T10:00:00Z\n+++\n",
        );
    let report = site.build_err(AS_OF);
    assert!(report.contains("error: content/2024-01-01-db-outage.md: two incidents would be written to incidents/db-outage/: this file and content/2025/DB Outage.md"), "{report}");
    assert!(report.contains("error: content/2025/DB Outage.md: two incidents would be written to incidents/db-outage/: this file and content/2024-01-01-db-outage.md"), "{report}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = SiteTest::new().file(
        "content/a.md",
        "+++\ntitle = \"Good\"\nstart = 2024-01-01T10:00:00Z\nend = 2024-01-01T11:00:00Z\n+++\n",
    );
    site.build(AS_OF);
    let before = crate::support::tree(&site.out());
    let site = site.file(
        "content/b.md",
        "+++\ntitle = \"Bad\"\nstart = yesterday\n+++\n",
    );
    let output = site.run(&["build", "--as-of", AS_OF], &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("error: content/b.md:3:9: TOML syntax error"),
        "{err}"
    );
    assert!(
        err.contains("1 problem (1 error, 0 warnings) in 1 of 2 files"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(crate::support::tree(&site.out()), before);
    let siblings: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !siblings
            .iter()
            .any(|n| n.to_string_lossy().starts_with(".aftermath")),
        "{siblings:?}"
    );
}

#[test]
fn a_bad_config_and_a_bad_template_are_reported_with_their_lines() {
    let config = SiteTest::new().config("title = \"x\"\ntimezone = \"Mars/Olympus\"\n");
    let report = config.build_err(AS_OF);
    assert!(report.contains("error: aftermath.toml:2:12: \"timezone\": \"Mars/Olympus\" is not an IANA time zone name"), "{report}");

    let theme = SiteTest::new().config("theme = \"mine\"\n").file(
        "themes/mine/templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ oops( }}\n{% endblock content %}\n",
    );
    let report = theme.build_err(AS_OF);
    assert!(
        report.starts_with("error: themes/mine/templates/404.html:3:"),
        "{report}"
    );
    assert!(report.contains("template error"), "{report}");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = SiteTest::new();
    let output = site.run(&["build", "--as-of", "yesterday"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--as-of \"yesterday\" is not an RFC 3339 time"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn service_names_that_share_a_page_are_refused() {
    let site = SiteTest::new()
        .file(
            "content/a.md",
            "+++\ntitle = \"A\"\nstart = 2024-01-01T10:00:00Z\nservices = [\"Web App\"]\n+++\n",
        )
        .file(
            "content/b.md",
            "+++\ntitle = \"B\"\nstart = 2024-01-02T10:00:00Z\nservices = [\"web-app\"]\n+++\n",
        )
        .file(
            "content/c.md",
            "+++\ntitle = \"C\"\nstart = 2024-01-03T10:00:00Z\nservices = [\"!!!\"]\n+++\n",
        );
    let report = site.build_err(AS_OF);
    assert!(report.contains("error: content/a.md: the service \"Web App\" would share the page services/web-app/ with \"Web App\" and \"web-app\""), "{report}");
    assert!(
        report.contains(
            "error: content/b.md: the service \"web-app\" would share the page services/web-app/"
        ),
        "{report}"
    );
    assert!(
        report.contains("error: content/c.md:4:13: \"services\": \"!!!\" gives an empty URL"),
        "{report}"
    );
}

#[test]
fn a_theme_file_may_not_replace_a_generated_page() {
    let site = SiteTest::new()
        .config("theme = \"t\"\n")
        .file("themes/t/static/index.html", "<p>mine</p>");
    let report = site.build_err(AS_OF);
    assert_eq!(
        report,
        "error: themes/t/static/index.html: this file would overwrite the generated page index.html\n = check: theme-file\n\n"
    );
    assert!(!site.out().exists(), "nothing was written");
}

#[test]
fn a_bad_base_url_flag_is_reported() {
    let site = SiteTest::new();
    let output = site.run(
        &["build", "--as-of", AS_OF, "--base-url", "example.org"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "a bad flag is a usage error");
    assert!(
        stderr(&output).contains("error: --base-url: \"example.org\" is not an absolute URL"),
        "{}",
        stderr(&output)
    );
}
