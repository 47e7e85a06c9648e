//! Incremental rebuilds (what `serve` does) give exactly what a full build gives.

use aftermath::incremental::Incremental;
use aftermath::render::Silent;

use crate::support::SiteTest;

fn postmortem(n: usize, title: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nstart = 2025-01-{:02}T10:00:00Z\nend = 2025-01-{:02}T11:00:00Z\nservices = [\"api\"]\n+++\n## Timeline\n\n- 10:00 — started\n- 10:30 — alert fired\n\n```rust\nfn main() {{}}\n```\n",
        1 + n % 28,
        1 + n % 28
    )
}

#[test]
fn an_incremental_rebuild_equals_a_full_build_and_reuses_unchanged_pages() {
    let config =
        "title = \"Incremental\"\n[[services]]\nname = \"api\"\n[[services]]\nname = \"web\"\n";
    let mut site = SiteTest::new().config(config);
    for n in 0..30 {
        site = site.file(
            &format!("content/i{n:02}.md"),
            &postmortem(n, &format!("Incident {n}")),
        );
    }
    let options = site.options("2025-03-01T00:00:00Z");
    let mut builder = Incremental::default();
    let first = builder.build(&options, &Silent).unwrap();
    assert_eq!(
        builder.last_work(),
        (30, 0),
        "a first build parses and renders everything"
    );
    assert_eq!(
        first,
        Incremental::default().build(&options, &Silent).unwrap()
    );

    // Edit one title (its page and its neighbours' pages change), delete one file, add one.
    edit(
        &site.root().join("content/i05.md"),
        &postmortem(5, "Incident five, renamed"),
    );
    std::fs::remove_file(site.root().join("content/i20.md")).unwrap();
    std::fs::write(
        site.root().join("content/new.md"),
        postmortem(40, "A new one"),
    )
    .unwrap();
    let moved = postmortem(7, "Incident 7").replace("[\"api\"]", "[\"web\"]");
    std::fs::write(site.root().join("content/i07.md"), moved).unwrap();
    let second = builder.build(&options, &Silent).unwrap();
    let (parsed, reused) = builder.last_work();
    assert_eq!(
        parsed, 3,
        "only the edited and the new files are parsed again"
    );
    assert!(reused >= 20, "most incident pages are reused ({reused})");
    let full = Incremental::default().build(&options, &Silent).unwrap();
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &full {
        assert!(second[path] == *bytes, "{path} differs from a full build");
    }
    assert!(
        String::from_utf8_lossy(&second["incidents/i05/index.html"])
            .contains("Incident five, renamed")
    );
    assert!(!second.contains_key("incidents/i20/index.html"));
    let web = String::from_utf8_lossy(&second["services/web/index.html"]).into_owned();
    assert!(
        web.contains("Incident 7"),
        "an incident moved to another service shows there"
    );

    // A theme change re-renders every page.
    let site = site.file(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}gone{% endblock content %}",
    );
    let third = builder
        .build(&site.options("2025-03-01T00:00:00Z"), &Silent)
        .unwrap();
    assert_eq!(
        builder.last_work().1,
        0,
        "nothing reused after a theme change"
    );
    assert_eq!(
        third,
        Incremental::default()
            .build(&site.options("2025-03-01T00:00:00Z"), &Silent)
            .unwrap()
    );
}

/// Records the pages a rebuild announces as changed, in order.
#[derive(Default)]
struct ChangedPages(std::sync::Mutex<Vec<(String, std::sync::Arc<[u8]>)>>);

impl aftermath::render::Progress for ChangedPages {
    fn changed_page(&self, path: &str, bytes: &std::sync::Arc<[u8]>) {
        self.0
            .lock()
            .unwrap()
            .push((path.to_string(), std::sync::Arc::clone(bytes)));
    }
}

#[test]
fn the_pages_that_depend_on_an_edit_are_announced_first_with_their_final_bytes() {
    let mut site = SiteTest::new().config(
        r#"title = "Early"
[[services]]
name = "api"
"#,
    );
    for n in 0..10 {
        site = site.file(
            &format!("content/i{n:02}.md"),
            &postmortem(n, &format!("Incident {n}")),
        );
    }
    let options = site.options("2025-03-01T00:00:00Z");
    let mut builder = Incremental::default();
    let first = ChangedPages::default();
    builder.build(&options, &first).unwrap();
    assert!(
        first.0.lock().unwrap().is_empty(),
        "a first build has nothing to compare with, so nothing goes first"
    );

    edit(
        &site.root().join("content/i05.md"),
        &postmortem(5, "Incident five, renamed"),
    );
    let changed = ChangedPages::default();
    let files = builder.build(&options, &changed).unwrap();
    let mut announced: Vec<(String, std::sync::Arc<[u8]>)> = changed.0.into_inner().unwrap();
    announced.sort_by(|a, b| a.0.cmp(&b.0));
    let paths: Vec<&str> = announced.iter().map(|(p, _)| p.as_str()).collect();
    // The page itself, its neighbours (they link to it by title), its year and its service.
    assert_eq!(
        paths,
        [
            "history/2025/index.html",
            "incidents/i04/index.html",
            "incidents/i05/index.html",
            "incidents/i06/index.html",
            "services/api/index.html",
        ]
    );
    for (path, bytes) in &announced {
        assert!(
            files[path] == *bytes,
            "{path} is announced with its final bytes"
        );
    }
    assert!(String::from_utf8_lossy(&announced[2].1).contains("Incident five, renamed"));
}

/// Rewrites `path` and moves its modification time a minute on, so the change is seen however
/// coarse the file system's clock is and however fast the test runs.
fn edit(path: &std::path::Path, text: &str) {
    let before = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(before + std::time::Duration::from_secs(60))
        .unwrap();
}
