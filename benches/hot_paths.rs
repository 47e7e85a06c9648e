//! Micro-benchmarks of the hot paths: front-matter parsing, Markdown with highlighting,
//! statistics and calendar over 100,000 incidents, and rendering one incident page.
//! Run with `cargo bench --bench hot_paths`; the whole-site harness is `bench/run.py`.

use std::path::Path;

use aftermath::config::Config;
use aftermath::content::{Incident, Kind, parse_postmortem};
use aftermath::markdown::MarkdownRenderer;
use aftermath::site::Site;
use chrono::{DateTime, Duration, Utc};

const POSTMORTEM: &str = "+++\ntitle = \"Checkout timeouts from a slow query\"\nsummary = \"A query plan change made checkout time out.\"\nstart = 2026-07-28T17:02:00Z\nend = 2026-07-28T18:00:00Z\ndetected = 2026-07-28T17:04:00Z\nservices = [\"payments\", \"api\"]\nseverity = \"critical\"\nimpact = 70\ntags = [\"database\"]\n+++\n\n## Summary\n\nAfter routine statistics collection, PostgreSQL chose a sequential scan.\n\n## Timeline\n\n- 19:02 — latency spikes. Impact begins.\n- 19:04 — alerts fire.\n- 19:31 — plan change found.\n- 20:00 — latency normal.\n\n## Root cause\n\n```rust\nlet reserved = sqlx::query_scalar!(\"SELECT count(*) FROM reservations WHERE sku = $1\", sku)\n    .fetch_one(&pool)\n    .await?;\n```\n\n## Action items\n\n- [ ] Pin critical query plans.\n- [x] Alert on p99 latency.\n";

fn main() {
    divan::main();
}

#[divan::bench]
fn front_matter_parse() -> Option<Incident> {
    parse_postmortem(
        divan::black_box(POSTMORTEM),
        Path::new("content/x.md"),
        &Config::default(),
    )
    .0
}

#[divan::bench]
fn markdown_render_with_highlighting(bencher: divan::Bencher) {
    let renderer = MarkdownRenderer::new(aftermath::config::RawHtml::Sanitize);
    let body = POSTMORTEM.split("+++\n").nth(2).unwrap_or_default();
    renderer.render(body); // load the syntax definitions once, outside the measurement
    bencher.bench_local(|| renderer.render(divan::black_box(body)));
}

fn incidents(count: usize) -> Vec<Incident> {
    let (template, _) = parse_postmortem(POSTMORTEM, Path::new("content/x.md"), &Config::default());
    let template = template.expect("valid sample");
    let origin: DateTime<Utc> = "2018-01-01T00:00:00Z".parse().expect("time");
    (0..count)
        .map(|n| {
            let start = origin + Duration::minutes((n as i64 * 7_919) % (6 * 365 * 24 * 60));
            Incident {
                id: format!("incident-{n}"),
                start,
                end: Some(start + Duration::minutes(5 + (n as i64 * 31) % 600)),
                detected: Some(start + Duration::minutes(3)),
                services: vec![format!("service-{}", n % 12)],
                kind: if n % 50 == 0 {
                    Kind::Maintenance
                } else {
                    Kind::Incident
                },
                ..template.clone()
            }
        })
        .collect()
}

#[divan::bench(sample_count = 10)]
fn statistics_and_calendar_100k(bencher: divan::Bencher) {
    let all = incidents(100_000);
    let as_of: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().expect("time");
    bencher
        .with_inputs(|| all.clone())
        .bench_local_values(|input| Site::new(Config::default(), input, as_of));
}

#[divan::bench]
fn template_render_incident_page(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().expect("temp dir");
    let as_of: DateTime<Utc> = "2026-11-23T00:00:00Z".parse().expect("time");
    let site = Site::new(Config::default(), incidents(100), as_of);
    let mut theme = aftermath::render::theme::Theme::load(
        dir.path(),
        "default",
        &aftermath::i18n::Locale::english(),
    )
    .expect("theme");
    aftermath::render::pages::globals(&site).install(&mut theme.tera);
    bencher.bench_local(|| {
        // Fresh each time, so that the page's views are built as in a build, not kept.
        let markdown = MarkdownRenderer::new(aftermath::config::RawHtml::Sanitize);
        let shared = aftermath::render::shared::Shared::new(&site, markdown);
        let page = aftermath::render::pages::incident(&site, &shared, 0);
        let mut context = tera::Context::from_serialize(&page).expect("a context");
        context.insert("root", "../../");
        theme
            .tera
            .render("incident.html", &context)
            .expect("renders")
    });
}
