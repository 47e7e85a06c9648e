//! Byte-identical output whatever the thread count, file creation order or time zone.

use crate::support::{SiteTest, tree};

const FILES: [(&str, &str); 4] = [
    (
        "content/2025/a.md",
        "+++\ntitle = \"A\"\nstart = 2025-02-10T10:00:00Z\nend = 2025-02-10T12:00:00Z\nservices = [\"api\", \"web\"]\n+++\n## Timeline\n\n```rust\nfn main() {}\n```\n",
    ),
    (
        "content/2025/b.md",
        "---\ntitle: B\nstart: 2025-02-10T10:00:00Z\nend: 2025-02-10T11:00:00Z\nservices: [web]\nimpact: 33.3\n---\nSame start as a.\n",
    ),
    (
        "content/2024/c.md",
        "+++\ntitle = \"C\"\nstart = \"2024-10-27 02:30\"\ntimezone = \"UTC\"\nduration = \"26h\"\nservices = [\"db\"]\n+++\n",
    ),
    (
        "content/d.md",
        "+++\ntitle = \"D\"\nstart = 2025-02-27T23:00:00Z\nservices = [\"api\"]\n+++\n",
    ),
];

fn site(reverse: bool) -> SiteTest {
    let mut site = SiteTest::new().config(
        r#"title = "Same"
timezone = "Europe/Berlin"
"#,
    );
    let mut files = FILES.to_vec();
    if reverse {
        files.reverse();
    }
    for (path, text) in files {
        site = site.file(path, text);
    }
    site
}

#[test]
fn output_is_byte_identical_across_threads_order_and_time_zone() {
    let args = ["build", "--as-of", "2025-03-01T00:00:00Z", "-q"];
    let reference = site(false);
    assert!(
        reference
            .run(&args, &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC")])
            .status
            .success()
    );
    let expected = tree(&reference.out());
    assert!(expected.len() > 15);

    for (reverse, env) in [
        (false, [("RAYON_NUM_THREADS", "4"), ("TZ", "UTC")]),
        (
            true,
            [("RAYON_NUM_THREADS", "2"), ("TZ", "Pacific/Chatham")],
        ),
        (
            false,
            [("RAYON_NUM_THREADS", "1"), ("TZ", "America/Los_Angeles")],
        ),
    ] {
        let other = site(reverse);
        let output = other.run(&args, &env);
        assert!(
            output.status.success(),
            "{}",
            crate::support::stderr(&output)
        );
        let actual = tree(&other.out());
        let names: Vec<&String> = actual.iter().map(|(n, _)| n).collect();
        assert_eq!(names, expected.iter().map(|(n, _)| n).collect::<Vec<_>>());
        for ((name, a), (_, b)) in actual.iter().zip(&expected) {
            if a != b {
                let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
                let (line, (got, want)) = a
                    .lines()
                    .zip(b.lines())
                    .enumerate()
                    .find(|(_, (x, y))| x != y)
                    .unwrap_or((a.lines().count().min(b.lines().count()), ("(end)", "(end)")));
                panic!(
                    "{name} differs with {env:?}, reversed={reverse}, first at line {}:\n  got:  {got}\n  want: {want}",
                    line + 1
                );
            }
        }
    }
}

#[test]
fn source_date_epoch_sets_now() {
    let site = site(false);
    site.command(&["build", "-q"])
        .env("SOURCE_DATE_EPOCH", "1740787200")
        .run();
    assert_eq!(site.json("api/stats.json")["as_of"], "2025-03-01T00:00:00Z");
}
