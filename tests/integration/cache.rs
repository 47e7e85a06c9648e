//! The build cache (`cache_dir`): it can only make a build faster, never different.

use std::fs;
use std::path::Path;

use crate::support::{SiteTest, stderr, tree};

const AS_OF: &str = "2025-04-01T00:00:00Z";

/// Every output file with its bytes.
type Tree = Vec<(String, Vec<u8>)>;
/// A change to the site, by name.
type Change<'a> = (&'a str, &'a dyn Fn(&SiteTest));

/// Enough text that the body is worth keeping in the cache (short texts are not kept).
const LESSONS: &str = "## Lessons learned\n\nThe deploy went out to every region at once, so the first sign of trouble was a \
page from the payments team rather than an alert. Canary stages would have stopped it at one region; \
the rollback took twelve minutes because the previous build had already been cleaned up. We now keep \
the last three builds, roll out region by region, and alert on the error rate of each stage. The \
runbook for a failed deploy now starts with the rollback command, not with the investigation, and \
the on-call engineer may roll back without asking anyone first.\n";

fn postmortem(day: u32, language: &str) -> String {
    format!(
        "+++\ntitle = \"Outage on day {day}\"\nstart = 2025-03-{day:02}T10:00:00Z\nend = 2025-03-{day:02}T11:00:00Z\nservices = [\"api\"]\nseverity = \"minor\"\n+++\n## Root cause\n\nA <em>bad</em> deploy on day {day}.\n\n```{language}\nfn day_{day}() -> u32 {{ {day} }}\n```\n\n{LESSONS}"
    )
}

fn site() -> SiteTest {
    let mut site = SiteTest::new().config("title = \"Cached\"\n[[services]]\nname = \"api\"\n");
    for day in 1..=8 {
        site = site.file(&format!("content/day-{day}.md"), &postmortem(day, "rust"));
    }
    // Still ongoing: its page shows the as-of time.
    let ongoing = postmortem(20, "rust").replace("end = 2025-03-20T11:00:00Z\n", "");
    site.file("content/day-20.md", &ongoing)
}

/// A file of an entry, not the store's own note of when it was last pruned (`.pruned`).
fn is_entry(entry: &walkdir::DirEntry) -> bool {
    entry.file_type().is_file() && !entry.file_name().to_string_lossy().starts_with('.')
}

/// The pages in the page store.
fn stored_pages(root: &Path) -> usize {
    walkdir::WalkDir::new(root.join(".aftermath-cache/pages"))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(is_entry))
        .count()
}

/// Builds with the cache into `public/` and without it into `cold/`; returns both trees.
#[track_caller]
fn cached_and_cold(site: &SiteTest, as_of: &str) -> (Tree, Tree) {
    for args in [
        vec!["build", "-q", "--as-of", as_of],
        vec![
            "build",
            "-q",
            "--no-cache",
            "--as-of",
            as_of,
            "--output",
            "cold",
        ],
    ] {
        let output = site.run(&args, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    (tree(&site.out()), tree(&site.root().join("cold")))
}

fn cache_files(root: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(root.join(".aftermath-cache"))
        .into_iter()
        .map(Result::unwrap)
        .filter(is_entry)
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn a_cached_build_equals_a_cold_one_after_every_kind_of_change() {
    let site = site();
    let (cached, cold) = cached_and_cold(&site, AS_OF);
    assert_eq!(cached, cold, "first build");
    assert!(cache_files(&site.root()).len() >= 8, "the bodies are kept");

    let changes: [Change; 7] = [
        ("one body", &|site| {
            let path = site.root().join("content/day-3.md");
            let text = fs::read_to_string(&path).unwrap().replace("bad", "broken");
            fs::write(path, text).unwrap();
        }),
        ("one front-matter key", &|site| {
            let path = site.root().join("content/day-4.md");
            let text = fs::read_to_string(&path)
                .unwrap()
                .replace("minor", "critical");
            fs::write(path, text).unwrap();
        }),
        ("the raw-HTML policy in the configuration", &|site| {
            let config = "title = \"Cached\"\n[markdown]\nraw_html = \"escape\"\n[[services]]\nname = \"api\"\n";
            fs::write(site.root().join("aftermath.toml"), config).unwrap();
        }),
        ("a template", &|site| {
            let path = site.root().join("themes/default/templates/404.html");
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(
                path,
                "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock content %}",
            )
            .unwrap();
        }),
        ("nothing but the as-of time", &|_| {}),
        ("an incident template that prints the as-of time", &|site| {
            let path = site.root().join("themes/default/templates/incident.html");
            fs::write(
                path,
                "{% extends \"base.html\" %}{% block content %}<h1>{{ incident.title }}</h1><p>As of {{ site.as_of.iso }}</p>{{ content | safe }}{% endblock content %}",
            )
            .unwrap();
        }),
        ("nothing but the as-of time, with that template", &|_| {}),
    ];
    for (n, (change, apply)) in changes.iter().enumerate() {
        apply(&site);
        let as_of = format!("2025-04-{:02}T00:00:00Z", n + 2);
        let (cached, cold) = cached_and_cold(&site, &as_of);
        assert!(
            cached == cold,
            "after changing {change}, the cached build differs"
        );
    }
    assert!(
        site.read("incidents/day-5/index.html")
            .contains("A &lt;em&gt;bad&lt;/em&gt; deploy"),
        "the escape policy reached bodies rendered before it was set"
    );
}

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let site = site();
    let (_, cold) = cached_and_cold(&site, AS_OF);
    let files = cache_files(&site.root());
    let whole: Vec<Vec<u8>> = files.iter().map(|f| fs::read(f).unwrap()).collect();
    for (n, file) in files.iter().enumerate() {
        match n % 3 {
            0 => fs::write(file, &whole[n][..whole[n].len() / 2]).unwrap(),
            1 => fs::write(file, &whole[(n + 1) % whole.len()]).unwrap(),
            _ => fs::write(file, b"<p>not what was rendered</p>").unwrap(),
        }
    }
    let (cached, cold_again) = cached_and_cold(&site, AS_OF);
    assert!(
        cached == cold && cold_again == cold,
        "a damaged cache changed the output"
    );
    let rewritten: Vec<Vec<u8>> = files.iter().map(|f| fs::read(f).unwrap()).collect();
    assert!(
        rewritten == whole,
        "every damaged entry is written again whole"
    );
}

#[test]
fn builds_sharing_a_cache_at_the_same_time_are_all_correct() {
    let site = site();
    let cold = site.run(
        &[
            "build",
            "-q",
            "--no-cache",
            "--as-of",
            AS_OF,
            "--output",
            "cold",
        ],
        &[],
    );
    assert!(cold.status.success(), "{}", stderr(&cold));
    let builds: Vec<std::process::Child> = (0..4)
        .map(|n| {
            std::process::Command::new(env!("CARGO_BIN_EXE_aftermath"))
                .args([
                    "build",
                    "-q",
                    "--as-of",
                    AS_OF,
                    "--output",
                    &format!("out-{n}"),
                ])
                .current_dir(site.root())
                .env_remove("SOURCE_DATE_EPOCH")
                .spawn()
                .unwrap()
        })
        .collect();
    for mut build in builds {
        assert!(build.wait().unwrap().success());
    }
    let expected = tree(&site.root().join("cold"));
    for n in 0..4 {
        assert!(
            tree(&site.root().join(format!("out-{n}"))) == expected,
            "build {n} differs"
        );
    }
}

#[test]
fn no_cache_neither_reads_nor_writes_and_cache_dir_moves_it() {
    let site = site();
    let output = site.run(&["build", "-q", "--no-cache", "--as-of", AS_OF], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!site.root().join(".aftermath-cache").exists());

    fs::write(
        site.root().join("aftermath.toml"),
        "title = \"Cached\"\ncache_dir = \"build/cache\"\n[[services]]\nname = \"api\"\n",
    )
    .unwrap();
    let output = site.run(&["build", "-q", "--as-of", AS_OF], &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!site.root().join(".aftermath-cache").exists());
    assert!(site.root().join("build/cache/bodies").is_dir());
}

#[test]
fn pages_of_resolved_incidents_and_their_lists_are_reused_whatever_the_as_of_time() {
    // 2024: three resolved major incidents tagged "network"; 2025: one minor incident, ongoing.
    let mut site = SiteTest::new().config("title = \"Cached\"\n[[services]]\nname = \"api\"\n");
    for day in 1..=3 {
        let text = postmortem(day, "rust")
            .replace("2025-03", "2024-03")
            .replace("minor", "major")
            .replace("services = ", "tags = [\"network\"]\nservices = ");
        site = site.file(&format!("content/old-{day}.md"), &text);
    }
    let ongoing = postmortem(20, "rust").replace("end = 2025-03-20T11:00:00Z\n", "");
    let site = site.file("content/day-20.md", &ongoing);

    cached_and_cold(&site, AS_OF);
    // Kept: the incident pages, the pages of the year, severity and tag lists and the action
    // item list (by the day); not the pages with figures as of the build (index, services'
    // first pages, statistics).
    let kept: Vec<String> = tree(&site.out())
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| {
            [
                "incidents/",
                "history/20",
                "severities/",
                "tags/",
                "actions/",
            ]
            .iter()
            .any(|kind| path.starts_with(kind))
                && path.ends_with("index.html")
        })
        .collect();
    assert!(
        kept.contains(&"tags/network/index.html".to_string()),
        "{kept:?}"
    );
    let stored = stored_pages(&site.root());
    assert_eq!(
        stored,
        kept.len(),
        "one stored page per kept page: {kept:?}"
    );

    // A new as-of time: only the pages that show the ongoing incident are new (its own, its
    // year's and its severity's), and the action item list of the new day; its resolved
    // neighbour's page and the 2024, major and network pages are taken from the store.
    let (cached, cold) = cached_and_cold(&site, "2025-04-02T00:00:00Z");
    assert!(cached == cold);
    assert_eq!(stored_pages(&site.root()), stored + 4);
    assert!(
        site.read("incidents/day-20/index.html")
            .contains("2025-04-02"),
        "the ongoing incident's page is as of the new time"
    );
}

/// The files in one of the cache's stores.
fn entries(root: &Path, store: &str) -> usize {
    walkdir::WalkDir::new(root.join(".aftermath-cache").join(store))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(is_entry))
        .count()
}

#[test]
fn parse_results_are_kept_and_their_warnings_said_on_every_build() {
    // Day 2's timeline goes back in time: a warning that a build from the cache must repeat.
    let timeline = "## Timeline\n\n- 10:40 Rolled back\n- 10:05 Alerted\n\n";
    let text = postmortem(2, "rust").replace("## Root cause", &format!("{timeline}## Root cause"));
    let site = site().file("content/day-2.md", &text);
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--as-of", AS_OF, "--output", "out"];
        args.extend_from_slice(extra);
        let output = site.run(&args, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        stderr(&output)
    };
    let cold = build(&["--no-cache"]);
    assert!(cold.contains("timeline-out-of-order"), "{cold}");
    assert_eq!(build(&[]), cold, "the first cached build");
    assert_eq!(
        entries(&site.root(), "parsed"),
        9,
        "one parse result per file"
    );
    assert_eq!(build(&[]), cold, "a build that parsed nothing");
    let verbose = build(&["-v"]);
    assert!(
        verbose.contains("  parsed 0 of 9 files (the others from the build cache)\n"),
        "{verbose}"
    );

    // A changed file is parsed again, and its old result stays until it is pruned.
    fs::write(site.root().join("content/day-2.md"), postmortem(2, "rust")).unwrap();
    let fixed = build(&["-v"]);
    assert!(!fixed.contains("timeline-out-of-order"), "{fixed}");
    assert!(fixed.contains("  parsed 1 of 9 files"), "{fixed}");
    assert_eq!(entries(&site.root(), "parsed"), 10);
}

#[test]
fn a_services_later_pages_are_kept_and_its_first_page_with_figures_is_not() {
    // 101 resolved incidents of "api": its list has two pages.
    let mut site = SiteTest::new().config("title = \"Cached\"\n[[services]]\nname = \"api\"\n");
    for n in 0..101 {
        let (month, day) = (1 + n / 28, 1 + n % 28);
        let text = format!(
            "+++\ntitle = \"Outage {n}\"\nstart = 2024-{month:02}-{day:02}T10:00:00Z\nend = 2024-{month:02}-{day:02}T11:00:00Z\nservices = [\"api\"]\n+++\nShort.\n"
        );
        site = site.file(&format!("content/outage-{n}.md"), &text);
    }
    cached_and_cold(&site, AS_OF);
    let first = site.read("services/api/index.html");
    let second = site.read("services/api/page/2/index.html");
    assert!(
        first.contains("Figures as of"),
        "the first page has figures"
    );
    assert!(!second.contains("Figures as of"), "{second}");
    assert!(second.contains("Operational"), "{second}");
    let stored = stored_pages(&site.root());

    // A new as-of time: the second page (and every other kept page) comes from the store.
    let (cached, cold) = cached_and_cold(&site, "2025-04-02T00:00:00Z");
    assert!(cached == cold);
    assert_eq!(
        stored_pages(&site.root()),
        stored + 1,
        "no page but the action item list, counted to the new day, was stored again"
    );

    // An ongoing incident changes the service's status, shown on every page: rendered again.
    let ongoing =
        "+++\ntitle = \"Now\"\nstart = 2025-04-02T10:00:00Z\nservices = [\"api\"]\n+++\nShort.\n";
    fs::write(site.root().join("content/now.md"), ongoing).unwrap();
    let (cached, cold) = cached_and_cold(&site, "2025-04-03T00:00:00Z");
    assert!(cached == cold);
    let second = site.read("services/api/page/2/index.html");
    assert!(!second.contains("Operational"), "{second}");

    // Hours later the ongoing incident's row on the first page says so, and its own page and
    // its year's; the second page does not show it and comes from the store.
    let stored = stored_pages(&site.root());
    let (cached, cold) = cached_and_cold(&site, "2025-04-03T20:00:00Z");
    assert!(cached == cold);
    assert_eq!(
        stored_pages(&site.root()),
        stored + 2,
        "the ongoing incident's page and history/2025/"
    );
}

#[test]
fn action_item_lists_are_kept_through_the_day_they_count_overdue_days_to() {
    let actions = "## Action items\n\n- [ ] Add a canary stage @maria due:2025-03-20\n- [x] Keep three builds @omar\n";
    let mut site = SiteTest::new().config("title = \"Cached\"\n[[services]]\nname = \"api\"\n");
    for day in 1..=3 {
        let text = format!("{}\n{actions}", postmortem(day, "rust"));
        site = site.file(&format!("content/day-{day}.md"), &text);
    }
    let action_pages = |site: &SiteTest| {
        tree(&site.out())
            .into_iter()
            .filter(|(path, _)| path.starts_with("actions/") && path.ends_with(".html"))
            .count()
    };
    cached_and_cold(&site, "2025-04-01T00:00:00Z");
    let page = site.read("actions/index.html");
    assert!(
        page.contains("Overdue days as of <time datetime=\"2025-04-01\">1 April 2025</time>."),
        "{page}"
    );
    assert!(page.contains("12 days overdue"), "{page}");
    let stored = stored_pages(&site.root());
    assert!(action_pages(&site) >= 4, "all, an owner, a service");

    // Later the same day: the lists come from the store.
    let (cached, cold) = cached_and_cold(&site, "2025-04-01T21:30:00Z");
    assert!(cached == cold);
    assert_eq!(stored_pages(&site.root()), stored);

    // The next day every list counts one day more: rendered again.
    let (cached, cold) = cached_and_cold(&site, "2025-04-02T08:00:00Z");
    assert!(cached == cold);
    assert!(site.read("actions/index.html").contains("13 days overdue"));
    assert_eq!(stored_pages(&site.root()), stored + action_pages(&site));
}
