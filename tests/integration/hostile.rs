//! Hostile input and faults: nothing lost, no panic, bounded work, output every consumer reads.
//!
//! Each test is one finding of the hostile-input review, reproduced first and kept here so it
//! cannot come back. Tests that need root (a tmpfs mount, `chattr`) say so on stderr and stop
//! where the machine cannot do it; CI runs as root, where they run.

#![allow(clippy::print_stderr)]

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{SiteTest, stderr};

const AS_OF: &str = "2025-03-01T00:00:00Z";

fn incident(extra: &str) -> String {
    format!(
        "+++\ntitle = \"A\"\nstart = 2025-02-10T10:00:00Z\nduration = \"1h\"\n{extra}+++\nBody.\n"
    )
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn force_never_deletes_the_postmortems_through_a_content_link() {
    let site = SiteTest::new();
    let root = site.root();
    fs::create_dir_all(root.join("public")).unwrap();
    fs::write(root.join("public/a.md"), incident("")).unwrap();
    fs::remove_dir(root.join("content")).unwrap();
    std::os::unix::fs::symlink("public", root.join("content")).unwrap();

    let build = site.run(&["build", "--force", "--as-of", AS_OF], &[]);
    assert_eq!(build.status.code(), Some(2), "{}", stderr(&build));
    let real = root.canonicalize().unwrap().join("public");
    assert_eq!(
        stderr(&build),
        format!(
            "error: refusing to write the site to {}: it is inside content/ (a link to {}), which holds the site's sources\nnothing was published: the previous site is unchanged\n",
            real.display(),
            real.display()
        )
    );
    assert!(
        root.join("public/a.md").is_file(),
        "the postmortem survives"
    );
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("error: aftermath.toml: \"output_dir\": refusing to write the site to public: it is inside content/ (a link to"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn overflowing_durations_are_errors_at_their_line() {
    let site = SiteTest::new()
        .file(
            "content/a.md",
            &incident("").replace("\"1h\"", "\"14000000w\""),
        )
        .file(
            "content/b.md",
            &incident("").replace("\"1h\"", "\"PT99999999999999999S\""),
        );
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    assert_eq!(check.status.code(), Some(1), "no panic: {}", stderr(&check));
    let text = stdout(&check);
    for (file, value) in [("a", "14000000w"), ("b", "PT99999999999999999S")] {
        let line = format!(
            "error: content/{file}.md:4:12: \"duration\": the duration \"{value}\" is longer than the years Aftermath accepts (1970 to 2099); is it a typo?"
        );
        assert!(text.contains(&line), "{text}");
    }
    let build = site.run(&["build", "--as-of", AS_OF], &[]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
}

#[test]
fn a_year_typo_is_an_error_not_two_thousand_years_of_calendar() {
    let site = SiteTest::new().file(
        "content/a.md",
        &incident("").replace("2025-02-10T10:00:00Z", "0025-02-10T10:00:00Z"),
    );
    assert_eq!(
        site.build_err(AS_OF),
        r#"error: content/a.md:3:9: "start": the year 0025 in "0025-02-10T10:00:00Z" is outside the years Aftermath accepts (1970 to 2099); is it a typo?
  |
3 | start = 0025-02-10T10:00:00Z
  |         ^^^^^^^^^^^^^^^^^^^^
  |
  = check: invalid-time

"#
    );
    let late = SiteTest::new().file(
        "content/a.md",
        &incident("").replace("\"1h\"", "\"P36000D\""),
    );
    let end = late
        .file(
            "content/b.md",
            &incident("")
                .replace("2025-02-10", "2099-12-31")
                .replace("\"1h\"", "\"2d\""),
        )
        .build_err(AS_OF);
    assert!(
        end.contains("error: content/b.md:4:1: \"start\" plus \"duration\" ends after the year 2099; is the duration a typo?"),
        "{end}"
    );
}

#[test]
fn check_and_build_refuse_what_no_real_site_needs_at_its_line() {
    let services: Vec<String> = (0..101).map(|i| format!("\"s{i}\"")).collect();
    let tags: Vec<String> = (0..101).map(|i| format!("\"t{i}\"")).collect();
    let long_slug = "a".repeat(201);
    let site = SiteTest::new()
        .file(
            "content/services.md",
            &incident(&format!("services = [{}]\n", services.join(","))),
        )
        .file(
            "content/tags.md",
            &incident(&format!("tags = [{}]\n", tags.join(","))),
        )
        .file(
            "content/slug.md",
            &incident(&format!("slug = \"{long_slug}\"\n")),
        )
        .file(&format!("content/{}.md", "b".repeat(201)), &incident(""))
        .file(
            "content/deep.md",
            &format!("{}{}\n", incident(""), "<div>".repeat(300)),
        );
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    let text = stdout(&check);
    for expected in [
        format!("error: content/{}.md:1:1: the URL slug from the file name is 201 characters long; the longest that works as a folder name is 200", "b".repeat(201)),
        "error: content/deep.md:7:1281: raw HTML here is nested more than 256 elements deep".to_string(),
        "error: content/services.md:5:1: \"services\" has 101 entries; one postmortem may have at most 100".to_string(),
        "error: content/slug.md:5:1: \"slug\" is 201 characters long; the longest that works as a folder name is 200".to_string(),
        "error: content/tags.md:5:1: \"tags\" has 101 entries; one postmortem may have at most 100".to_string(),
    ] {
        assert!(text.contains(&expected), "missing {expected}\n{text}");
    }
    assert!(
        text.ends_with("5 problems (5 errors, 0 warnings) in 5 of 5 files\n"),
        "{text}"
    );
    let build = site.run(&["build", "--as-of", AS_OF], &[]);
    assert_eq!(build.status.code(), Some(1));
    assert_eq!(
        stderr(&build).matches("error: ").count(),
        5,
        "build reports what check reports"
    );
}

#[test]
fn pasted_terminal_colours_leave_every_xml_output_well_formed() {
    let site = SiteTest::new().file(
        "content/a.md",
        "+++\ntitle = \"\\u001b[31mDB\\u001b[0m down\"\nsummary = \"bell \\u0007 here\"\nstart = 2025-02-10T10:00:00Z\nduration = \"1h\"\n+++\n```\n\u{1b}[31mERROR\u{1b}[0m connection refused\n```\n\nAlso &#27;[1m as a reference.\n",
    );
    site.build(AS_OF);
    for path in ["feed.xml", "sitemap.xml"] {
        let xml = site.read(path);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let feed = site.read("feed.xml");
    assert!(feed.contains("<title>[31mDB[0m down</title>"), "{feed}");
    for page in ["feed.xml", "incidents/a/index.html", "index.html"] {
        let text = site.read(page);
        assert!(
            !text.contains(['\u{1b}', '\u{7}']),
            "{page} holds a control character"
        );
        assert!(!text.contains("&#27;"), "{page} holds a control reference");
    }
    assert!(
        site.json("feed.json")["items"][0]["title"]
            .as_str()
            .unwrap()
            .contains('\u{1b}'),
        "JSON escapes it and keeps it"
    );
}

#[test]
fn values_cannot_drive_the_terminal() {
    let site = SiteTest::new().file(
        "content/a.md",
        &incident("severity = \"\\u001b[2J\\u001b[Hno problems in 1 files\"\n"),
    );
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    let text = stdout(&check);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        text.starts_with("error: content/a.md:5:12: \"severity\": unknown severity \"\u{241b}[2J\u{241b}[Hno problems in 1 files\"\n"),
        "{text}"
    );
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let site = SiteTest::new().file(
        "content/a.md",
        &incident("").replace(
            "title = \"A\"",
            "title = \"=HYPERLINK(\\\"https://evil.example\\\")\"",
        ),
    );
    let csv = site.run(&["stats", "--format", "csv", "--as-of", AS_OF], &[]);
    let text = stdout(&csv);
    let row = text.lines().nth(1).unwrap();
    assert!(
        row.starts_with("a,\"'=HYPERLINK(\"\"https://evil.example\"\")\",incident,"),
        "{row}"
    );
}

#[test]
fn what_a_killed_build_left_is_cleaned_and_said() {
    let site = SiteTest::new().file("content/a.md", &incident(""));
    site.build(AS_OF);
    let parent = site.root();
    // A build killed while rendering: its folder has an unlocked marker.
    let killed = parent.join(".aftermath-staging-public-Kx81");
    fs::create_dir_all(killed.join("incidents/a")).unwrap();
    fs::write(killed.join(".aftermath-output"), "").unwrap();
    fs::write(killed.join("incidents/a/index.html"), "partial").unwrap();
    // A build killed between the two renames of a swap without exchange: no public/.
    fs::rename(site.out(), parent.join(".aftermath-old-public-Zz12")).unwrap();

    let build = site.run(&["build", "-q", "--as-of", AS_OF], &[]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    assert_eq!(
        stderr(&build),
        "note: restored the previous site from .aftermath-old-public-Zz12, left by an interrupted build\nnote: removed .aftermath-staging-public-Kx81, left by an interrupted build\n"
    );
    let mut left: Vec<String> = fs::read_dir(&parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".aftermath-cache", "content", "public"]);
}

#[test]
fn a_build_killed_mid_render_leaves_the_site_and_the_next_one_cleans_up() {
    let mut site = SiteTest::new();
    for i in 0..400 {
        site = site.file(
            &format!("content/i{i:03}.md"),
            &incident(&format!("services = [\"s{}\"]\n", i % 12)),
        );
    }
    site.build(AS_OF);
    let before = crate::support::tree(&site.out());
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftermath"))
        .args(["build", "-q", "--as-of", "2025-03-02T00:00:00Z"])
        .current_dir(site.root())
        .env("RAYON_NUM_THREADS", "1")
        .spawn()
        .unwrap();
    let staging_seen = (0..2_000).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(1));
        // Its marker is written (a folder without one may be a build that is just starting,
        // and is left alone for a minute).
        fs::read_dir(site.root()).unwrap().any(|e| {
            let path = e.unwrap().path();
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".aftermath-staging-")
                && path.join(".aftermath-output").is_file()
        })
    });
    child.kill().unwrap();
    let finished = child.wait().unwrap().success();
    if !staging_seen || finished {
        eprintln!("the build finished before it could be killed; nothing to check");
        return;
    }
    assert_eq!(
        crate::support::tree(&site.out()),
        before,
        "the published site is intact"
    );
    let next = site.run(&["build", "-q", "--as-of", AS_OF], &[]);
    assert!(
        stderr(&next).starts_with("note: removed .aftermath-staging-public-"),
        "{}",
        stderr(&next)
    );
    assert_eq!(crate::support::tree(&site.out()), before);
}

/// Runs `test` with a tmpfs of `size` mounted at a fresh folder, if this machine lets us mount.
fn with_tmpfs(size: &str, test: impl FnOnce(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("disk");
    fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(&mount)
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here (not root?); skipping");
        return;
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(&mount)));
    let _ = Command::new("umount").arg(&mount).status();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn a_full_disk_is_one_io_error_with_exit_2_and_nothing_left_behind() {
    with_tmpfs("96k", |disk| {
        let mut site = SiteTest::new();
        for i in 0..60 {
            site = site.file(&format!("content/i{i:02}.md"), &incident(""));
        }
        let output = disk.join("public");
        let build = site.run(
            &[
                "build",
                "--as-of",
                AS_OF,
                "--output",
                output.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(build.status.code(), Some(2), "{}", stderr(&build));
        let text = stderr(&build);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.starts_with("error: cannot write "), "{text}");
        assert!(
            text.contains("No space left on device (os error 28)\n"),
            "{text}"
        );
        assert_eq!(
            text.matches("os error").count(),
            1,
            "the cause is said once: {text}"
        );
        assert!(text.ends_with("nothing was published: the previous site is unchanged\n"));
        assert_eq!(
            fs::read_dir(disk).unwrap().count(),
            0,
            "the staging folder is removed"
        );
    });
}

#[test]
fn a_mount_point_as_output_is_refused_with_a_hint_and_no_debris() {
    with_tmpfs("1m", |disk| {
        let site = SiteTest::new().file("content/a.md", &incident(""));
        fs::write(disk.join(".aftermath-output"), "").unwrap();
        let build = site.run(
            &[
                "build",
                "--as-of",
                AS_OF,
                "--output",
                disk.to_str().unwrap(),
            ],
            &[],
        );
        assert_eq!(build.status.code(), Some(2), "{}", stderr(&build));
        assert!(
            stderr(&build).contains("it is in use or a mount point: build into a folder inside it (--output public/site)"),
            "{}",
            stderr(&build)
        );
        let parent = disk.parent().unwrap();
        let left: Vec<_> = fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["disk"], "no staging folder is left beside it");
    });
}

/// Runs `test` if `chattr +i` works on the temporary folder's file system.
fn immutable(path: &Path, on: bool) -> bool {
    Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn an_output_that_cannot_be_renamed_fails_cleanly_and_keeps_the_old_site() {
    let site = SiteTest::new().file("content/a.md", &incident(""));
    site.build(AS_OF);
    let before = crate::support::tree(&site.out());
    if !immutable(&site.out(), true) {
        eprintln!("chattr is not available here; skipping");
        return;
    }
    let build = site.run(&["build", "--as-of", "2025-03-02T00:00:00Z"], &[]);
    immutable(&site.out(), false);
    assert_eq!(build.status.code(), Some(2), "{}", stderr(&build));
    assert!(
        stderr(&build)
            .contains("Operation not permitted (os error 1); check that you may rename it"),
        "{}",
        stderr(&build)
    );
    let left: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left.len(),
        3,
        "content, public and the build cache only: {left:?}"
    );
    assert_eq!(
        crate::support::tree(&site.out()),
        before,
        "the old site is intact"
    );
}

#[test]
fn an_old_site_that_cannot_be_deleted_is_a_note_after_publishing() {
    let site = SiteTest::new().file("content/a.md", &incident(""));
    site.build(AS_OF);
    let stuck = site.out().join("incidents/a");
    if !immutable(&stuck, true) {
        eprintln!("chattr is not available here; skipping");
        return;
    }
    let build = site.run(&["build", "-q", "--as-of", "2025-03-02T00:00:00Z"], &[]);
    let moved: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".aftermath-staging-")
        })
        .collect();
    for path in &moved {
        immutable(&path.join("incidents/a"), false);
    }
    assert_eq!(
        build.status.code(),
        Some(0),
        "published: {}",
        stderr(&build)
    );
    assert!(
        stderr(&build)
            .starts_with("note: the new site is in place, but the previous one, moved to "),
        "{}",
        stderr(&build)
    );
    assert_eq!(moved.len(), 1);
    let next = site.run(&["build", "-q", "--as-of", AS_OF], &[]);
    assert!(
        stderr(&next).starts_with("note: removed .aftermath-staging-public-"),
        "{}",
        stderr(&next)
    );
}

#[test]
fn imported_values_cannot_inject_front_matter_through_comments() {
    let cstate = "---\ntitle: API outage\ndate: 2024-04-25 04:13:00\nresolved: true\nresolvedWhen: 2024-04-25 06:00:00\nseverity: down\naffected:\n  - \"Edge\\ndraft = true\\nslug = \\\"hijacked\\\"\\n+++\\n\"\nsection: issue\n---\n\n*Resolved* - Rolled back.\n";
    let site = SiteTest::new()
        .config(
            r#"[[services]]
name = "api"
"#,
        )
        .file("notes/cstate.md", cstate);
    let import = site.run(&["import", "notes/cstate.md"], &[]);
    assert_eq!(import.status.code(), Some(0), "{}", stdout(&import));
    let written = fs::read_to_string(
        site.root()
            .join("content/imported/2024-04-25-api-outage.md"),
    )
    .unwrap();
    let front: Vec<&str> = written.split("+++\n").nth(1).unwrap().lines().collect();
    assert!(
        front
            .iter()
            .all(|l| !l.starts_with("draft") && !l.starts_with("slug")),
        "{written}"
    );
    assert_eq!(written.matches("+++\n").count(), 2, "{written}");
    assert!(
        written.contains("Edge draft = true slug = \"hijacked\" +++"),
        "{written}"
    );
    site.build(AS_OF);
    assert!(
        site.read("incidents/api-outage/index.html")
            .contains("API outage"),
        "the incident is published, not hidden as a draft"
    );
}

#[test]
fn import_refuses_pipes_and_shortens_long_titles() {
    let site = SiteTest::new().file(
        "notes/long.txt",
        &format!(
            "{}\n\nOn 2024-05-06 from 10:00 to 11:00 UTC the API was down.\n",
            "Outage ".repeat(80)
        ),
    );
    let fifo = site.root().join("notes/pipe.md");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let import = site.run(&["import", "notes"], &[]);
    let text = stdout(&import);
    if made {
        let import_pipe = site.run(&["import", "notes/pipe.md"], &[]);
        assert_eq!(import_pipe.status.code(), Some(1));
        assert!(
            stdout(&import_pipe)
                .contains("not a regular file (a folder, a pipe or a device); nothing was read"),
            "{}",
            stdout(&import_pipe)
        );
    }
    let names: Vec<String> = fs::read_dir(site.root().join("content/imported"))
        .unwrap_or_else(|e| panic!("{e}: {text}"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{text}");
    assert!(
        names[0].len() <= 95 && names[0].ends_with("-outage.md"),
        "{names:?}"
    );
}

/// Sends `request` as it is and returns the response's status line.
fn status_line(address: &str, request: &str) -> String {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or("").to_string()
}

#[test]
fn serve_answers_only_local_reads_stops_promptly_and_survives_a_branch_switch() {
    use crate::support::{get, interrupt, serve, wait_for};
    let site = SiteTest::new().file("content/a.md", &incident(""));
    let (mut child, address) = serve(&site, AS_OF);

    let post = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(
        status_line(&address, &post),
        "HTTP/1.1 405 Method Not Allowed"
    );
    let rebound = "GET / HTTP/1.1\r\nHost: attacker.example:8000\r\nConnection: close\r\n\r\n";
    assert_eq!(status_line(&address, rebound), "HTTP/1.1 403 Forbidden");
    let events =
        "GET /__aftermath/events HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n";
    assert_eq!(status_line(&address, events), "HTTP/1.1 403 Forbidden");
    let local = format!(
        "HEAD / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        address.split(':').nth(1).unwrap()
    );
    assert_eq!(status_line(&address, &local), "HTTP/1.1 200 OK");

    // A branch switch: content/ is deleted and created again; edits after it still rebuild.
    fs::remove_dir_all(site.root().join("content")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    fs::create_dir_all(site.root().join("content")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    fs::write(
        site.root().join("content/a.md"),
        incident("").replace("\"A\"", "\"After the switch\""),
    )
    .unwrap();
    assert!(
        wait_for(&address, "/incidents/a/", |b| b
            .contains("After the switch"))
        .contains("After the switch"),
        "the recreated folder is watched"
    );
    assert_eq!(get(&address, "/incidents/a/").0, 200);

    // A client that sent half a request does not keep the server from stopping.
    let mut partial = std::net::TcpStream::connect(&address).unwrap();
    std::io::Write::write_all(&mut partial, b"GET / HT").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    let (took, status) = interrupt(&mut child);
    assert!(status.success(), "{status:?}");
    assert!(
        took < std::time::Duration::from_secs(5),
        "stopped in {took:?}"
    );
    drop(partial);
}

#[test]
fn a_config_typo_does_not_hide_the_contents_errors() {
    let site = SiteTest::new()
        .config(
            r#"titel = "Status"
severities = ["sev1", "sev2"]
"#,
        )
        .file("content/a.md", &incident("severity = \"sev3\"\n"));
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    let text = stdout(&check);
    assert!(
        text.contains("error: aftermath.toml:1:1: unknown key \"titel\""),
        "{text}"
    );
    assert!(
        text.contains("error: content/a.md:5:12: \"severity\": unknown severity \"sev3\""),
        "checked against the valid keys of the configuration: {text}"
    );
    assert!(
        text.ends_with("2 problems (2 errors, 0 warnings) in 2 of 2 files\n"),
        "{text}"
    );
}

#[test]
fn a_linked_content_folder_is_read_and_says_nothing_about_links() {
    let site = SiteTest::new();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("a.md"), incident("")).unwrap();
    fs::remove_dir(site.root().join("content")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root().join("content")).unwrap();
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    assert_eq!(stdout(&check), "no problems in 1 file\n");
    site.build(AS_OF);
    assert!(site.read("incidents/a/index.html").contains("<h1"));
}

#[test]
fn deep_front_matter_is_refused_in_parallel_without_a_stack_overflow() {
    let mut yaml = String::from("---\ntitle: x\nstart: 2025-02-10T10:00:00Z\nextra:\n");
    for depth in 1..=66 {
        yaml.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
    }
    yaml.push_str(&format!("{}v: 1\n---\nBody.\n", "  ".repeat(67)));
    let toml = format!(
        "{}[extra]\nk = {}{}\n+++\n",
        incident("").split("+++\nBody").next().unwrap(),
        "[".repeat(200),
        "]".repeat(200)
    );
    let mut site = SiteTest::new();
    for i in 0..6 {
        site = site
            .file(&format!("content/y{i}.md"), &yaml)
            .file(&format!("content/t{i}.md"), &toml);
    }
    let check = site.run(&["check", "--as-of", AS_OF], &[]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let text = stdout(&check);
    assert!(
        text.contains("error: content/y0.md:36:65: YAML syntax error: the front matter nests more than 32 levels deep; flatten it"),
        "{text}"
    );
    assert!(!text.contains("aliases"), "{text}");
    assert!(
        text.contains("error: content/t0.md:6:85: TOML syntax error: cannot recurse further"),
        "{text}"
    );
}

#[test]
fn a_theme_file_named_to_escape_is_blamed_on_the_theme_file() {
    let site = SiteTest::new()
        .config("theme = \"t\"\n")
        .file("content/a.md", &incident(""))
        .file("themes/t/static/a\\..\\..\\x.css", "x");
    assert_eq!(
        site.build_err(AS_OF),
        "error: themes/t/static/a\\..\\..\\x.css: this file's name would publish it outside the output folder (as a/../../x.css); rename it\n = check: theme-file\n\n"
    );
}

#[test]
fn a_port_in_use_is_said_once_with_what_to_do() {
    let site = SiteTest::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let serve = site.run(&["serve", "--port", &port], &[]);
    assert_eq!(serve.status.code(), Some(2));
    assert_eq!(
        stderr(&serve),
        format!(
            "error: cannot listen on 127.0.0.1:{port}: Address already in use (os error 98); another program uses that port: pick another with --port, or --port 0 for any free one\n"
        )
    );
}
