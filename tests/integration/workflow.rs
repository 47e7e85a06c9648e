//! The authoring workflow through the real binary: init, new, serve, stats, completions.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{SiteTest, get, serve, stderr, wait_for};

const AS_OF: &str = "2026-11-23T12:00:00Z";

fn aftermath(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_aftermath"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

#[test]
fn init_then_build_works_and_init_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let site_text = site.display().to_string();
    let output = aftermath(&["init", &site_text, "--theme"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for file in [
        "aftermath.toml",
        ".gitignore",
        ".github/workflows/aftermath.yml",
        "themes/default/templates/base.html",
        "themes/default/static/assets/style.css",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let workflow = std::fs::read_to_string(site.join(".github/workflows/aftermath.yml")).unwrap();
    // CI installs the released binary through this repository's action (action.yml), pinned
    // to the major version; it never compiles aftermath or asks a registry for it.
    assert!(
        workflow
            .contains("uses: aftermath-ssg/aftermath@v0\n        with:\n          command: check")
            && workflow.contains("command: build")
            && workflow.contains("actions/deploy-pages@v5")
            && !workflow.contains("cargo install"),
        "{workflow}"
    );
    let build = aftermath(&["build", "--root", &site_text, "--as-of", AS_OF]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(site.join("public/index.html").is_file());
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .ends_with('\n')
    );
    // Built now, as a new user would, the example is a resolved incident of yesterday: no
    // warning, no "ongoing" banner.
    let check = aftermath(&["check", "--root", &site_text, "--deny-warnings"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let now = aftermath(&["build", "-q", "--root", &site_text, "--output", "now"]);
    assert!(now.status.success(), "{}", stderr(&now));
    let stats: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("now/api/stats.json")).unwrap())
            .unwrap();
    assert_eq!(stats["incidents"]["resolved"], 1);
    assert_eq!(stats["incidents"]["ongoing"], 0);
    let again = aftermath(&["init", &site_text]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("aftermath.toml already exists; nothing was written"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn new_then_check_passes_and_new_validates_its_input() {
    let site = SiteTest::new().config(
        r#"timezone = "Europe/Berlin"
[[services]]
name = "api"
"#,
    );
    let root = site.root().display().to_string();
    let made = aftermath(&[
        "new",
        "DNS \"resolver\" timeouts",
        "--root",
        &root,
        "--service",
        "api",
        "--severity",
        "major",
        "--start",
        "2026-11-23T09:30:00Z",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let path = site
        .root()
        .join("content/2026/2026-11-23-dns-resolver-timeouts.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(
            "+++\ntitle = 'DNS \"resolver\" timeouts'\nstart = 2026-11-23T10:30:00+01:00\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n# impact = 35     (percent of users affected; without it the incident counts as 100 %)\n+++\n"),
        "impact is a commented hint, not a stated 100 %: {text}"
    );
    for heading in [
        "## Summary",
        "## Impact",
        "## Timeline",
        "## Root cause",
        "## Resolution",
        "## Action items",
        "## Lessons learned",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    let check = site.run(&["check", "--as-of", AS_OF, "--deny-warnings"], &[]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let twice = aftermath(&[
        "new",
        "DNS resolver timeouts",
        "--root",
        &root,
        "--start",
        "2026-11-23T09:30:00Z",
    ]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(stderr(&twice).contains("already exists; nothing was written"));
    let service = aftermath(&["new", "X", "--root", &root, "--service", "apj"]);
    assert_eq!(service.status.code(), Some(1));
    assert!(
        stderr(&service)
            .contains("--service \"apj\" is not declared in aftermath.toml; did you mean \"api\"?"),
        "{}",
        stderr(&service)
    );
    let severity = aftermath(&["new", "X", "--root", &root, "--severity", "sev1"]);
    assert!(stderr(&severity).contains(
        "--severity \"sev1\" is not one of the site's severities: critical, major, minor"
    ));
}

#[test]
fn stats_outputs_match_the_api_files() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .display()
        .to_string();
    let out = tempfile::tempdir().unwrap();
    let out_text = out.path().join("public").display().to_string();
    assert!(
        aftermath(&[
            "build", "--root", &root, "--output", &out_text, "--as-of", AS_OF, "-q"
        ])
        .status
        .success()
    );
    let api = std::fs::read(out.path().join("public/api/stats.json")).unwrap();
    let json = aftermath(&[
        "stats", "--root", &root, "--format", "json", "--as-of", AS_OF,
    ]);
    assert_eq!(
        String::from_utf8(json.stdout).unwrap(),
        String::from_utf8(api).unwrap()
    );

    let incidents: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.path().join("public/api/incidents.json")).unwrap(),
    )
    .unwrap();
    let csv = String::from_utf8(
        aftermath(&[
            "stats", "--root", &root, "--format", "csv", "--as-of", AS_OF,
        ])
        .stdout,
    )
    .unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "id,title,kind,status,severity,services,impact_percent,start,end,detected,duration_seconds,time_to_detect_seconds,url"
    );
    let list = incidents["incidents"].as_array().unwrap();
    assert_eq!(rows.len() - 1, list.len());
    for (row, incident) in rows[1..].iter().zip(list) {
        assert!(
            row.starts_with(&format!("{},", incident["id"].as_str().unwrap())),
            "{row}"
        );
        let duration = incident["duration_seconds"]
            .as_i64()
            .map_or(String::new(), |d| d.to_string());
        assert!(row.contains(&format!(",{duration},")), "{row}");
    }

    let table = String::from_utf8(
        aftermath(&[
            "stats",
            "--root",
            &root,
            "--as-of",
            AS_OF,
            "--since",
            "2026-03-01",
            "--until",
            "2026-04-01",
            "--service",
            "auth",
        ])
        .stdout,
    )
    .unwrap();
    assert!(
        table.contains("Incidents: 2 (2 resolved, 0 ongoing)"),
        "{table}"
    );
    // The two overlapping March incidents on auth: 09:12-11:00 UTC, counted once.
    assert!(
        table.contains("auth                      period      1 h 48 min"),
        "{table}"
    );
    assert!(
        table.contains("2026-03    2 incidents      1 h 48 min of downtime"),
        "{table}"
    );
    let unknown = aftermath(&["stats", "--root", &root, "--service", "apii"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("unknown service \"apii\"; did you mean \"api\"?"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn completions_and_help_with_examples() {
    let bash = String::from_utf8(aftermath(&["completions", "bash"]).stdout).unwrap();
    assert!(
        bash.contains("_aftermath") && bash.contains("serve"),
        "bash completion"
    );
    for command in [
        "init",
        "new",
        "build",
        "check",
        "serve",
        "stats",
        "completions",
    ] {
        let help = String::from_utf8(aftermath(&[command, "--help"]).stdout).unwrap();
        assert!(help.contains("Examples:"), "{command} --help has examples");
    }
}

#[test]
fn serve_rebuilds_shows_errors_in_the_page_and_serves_nothing_outside() {
    let site = SiteTest::new().file(
        "content/a.md",
        r#"+++
title = "First title"
start = 2026-11-01T10:00:00Z
end = 2026-11-01T11:00:00Z
+++
Body.
"#,
    );
    let (mut child, address) = serve(&site, AS_OF);

    let (status, page) = get(&address, "/incidents/a/");
    assert_eq!(status, 200);
    assert!(page.contains("First title") && page.contains("EventSource(\"/__aftermath/events\")"));
    assert!(
        page.contains(&format!("href=\"http://{address}/incidents/a/\"")),
        "base URL rewritten to the local address"
    );

    let mut events = TcpStream::connect(&address).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    write!(
        events,
        "GET /__aftermath/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    let mut head = [0u8; 512];
    let read = events.read(&mut head).unwrap();
    assert!(
        String::from_utf8_lossy(&head[..read]).contains("text/event-stream"),
        "server-sent events"
    );

    std::fs::write(site.root().join("content/a.md"), "+++\ntitle = \"Second title\"\nstart = 2026-11-01T10:00:00Z\nend = 2026-11-01T11:00:00Z\n+++\nBody.\n").unwrap();
    assert!(
        wait_for(&address, "/incidents/a/", |b| b.contains("Second title"))
            .contains("Second title")
    );

    std::fs::write(
        site.root().join("content/b.md"),
        "+++\ntitle = \"Broken\"\nstart = whenever\n+++\n",
    )
    .unwrap();
    let broken = wait_for(&address, "/", |b| b.contains("aftermath-overlay"));
    assert!(
        broken.contains("aftermath-overlay") && broken.contains("content/b.md:3:9"),
        "{broken}"
    );
    assert!(
        get(&address, "/incidents/a/").1.contains("Second title"),
        "the last good site is still served"
    );

    std::fs::remove_file(site.root().join("content/b.md")).unwrap();
    assert!(
        !wait_for(&address, "/", |b| !b.contains("aftermath-overlay"))
            .contains("aftermath-overlay")
    );

    for path in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/incidents/..%2f..%2f..%2fetc/passwd",
        "/..%5c..%5caftermath.toml",
        "/content/a.md",
    ] {
        assert_eq!(get(&address, path).0, 404, "{path}");
    }
    assert_eq!(get(&address, "/stats").0, 308);
    assert!(
        !site.root().join("public").exists(),
        "serve writes no output folder"
    );

    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "serve stops on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("rebuilt in ") && log.contains("after a change to content/a.md"),
        "{log}"
    );
    assert!(
        log.contains("build failed") && log.contains("still serving the last good site"),
        "{log}"
    );
}

/// The statistics page and `aftermath stats` read one ranking and one monthly count.
#[test]
fn the_review_lists_the_same_longest_incidents_and_months_as_the_stats_page() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .display()
        .to_string();
    let out = tempfile::tempdir().unwrap();
    let out_text = out.path().join("public").display().to_string();
    let build = aftermath(&[
        "build", "--root", &root, "--output", &out_text, "--as-of", AS_OF, "-q",
    ]);
    assert!(build.status.success(), "{}", stderr(&build));
    let page = std::fs::read_to_string(out.path().join("public/stats/index.html")).unwrap();
    let longest_section = &page[page.find("id=\"longest\"").expect("a longest list")..];
    let longest_section = &longest_section[..longest_section.find("</ol>").unwrap()];
    let page_longest: Vec<String> = longest_section
        .split("class=\"row-title\" href=\"")
        .skip(1)
        .map(|row| {
            let title = &row[row.find('>').unwrap() + 1..row.find("</a>").unwrap()];
            title.replace("&amp;", "&").replace("&#x27;", "'")
        })
        .collect();
    let page_months: Vec<(String, String)> = page
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .filter_map(|row| {
            let (month, rest) = row.split_once("</th><td class=\"num\">")?;
            let count = rest.split_once("</td>")?.0;
            month
                .starts_with("20")
                .then(|| (month.to_string(), count.to_string()))
        })
        .collect();

    let table =
        String::from_utf8(aftermath(&["stats", "--root", &root, "--as-of", AS_OF]).stdout).unwrap();
    let section = |heading: &str| -> Vec<String> {
        table
            .split(heading)
            .nth(1)
            .unwrap_or_else(|| panic!("no {heading} in\n{table}"))
            .lines()
            .skip(1)
            .take_while(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    };
    let review_longest: Vec<String> = section("Longest incidents")
        .iter()
        .map(|line| {
            // "  duration  YYYY-MM-DD  title (severity)"
            let (_duration, rest) = line.trim_start().split_once("  ").unwrap();
            let (_date, title) = rest.trim_start().split_once("  ").unwrap();
            title
                .rsplit_once(" (")
                .map_or(title, |(t, _)| t)
                .to_string()
        })
        .collect();
    let review_months: Vec<(String, String)> = section("Month by month")
        .iter()
        .map(|line| {
            let mut words = line.split_whitespace();
            (
                words.next().unwrap().to_string(),
                words.next().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(review_longest.len(), 5, "{table}");
    assert_eq!(review_longest, page_longest);
    assert!(review_months.len() > 6, "{table}");
    assert_eq!(review_months, page_months);
}
