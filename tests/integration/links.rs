//! Every internal link and asset reference of the built demo site resolves, fragments included.

use std::path::Path;

use aftermath::render::Silent;

use crate::support::links::{Bodies, check_links};

#[test]
fn every_internal_link_of_the_demo_site_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let options = aftermath::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.clone()),
        base_url: Some("https://example.org/status/".into()),
        as_of: "2026-11-23T12:00:00Z".parse().unwrap(),
        include_drafts: false,
        audience: aftermath::config::Audience::Public,
        force: false,
        home: None,
        cache: false,
    };
    aftermath::build(&options, &Silent).unwrap();
    let (checked, broken) = check_links(&out, "/status/", Bodies::Checked);
    assert_eq!(broken, Vec::<String>::new(), "broken links");
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn a_broken_link_and_a_missing_fragment_are_both_found() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(out.join("index.html"), "<a href=\"a/\">a</a> <a href=\"a/#here\">x</a> <a href=\"a/#gone\">y</a> <a href=\"nowhere/\">z</a> <a href=\"https://example.org/\">e</a>").unwrap();
    std::fs::write(
        out.join("a/index.html"),
        "<h2 id=\"here\">Here</h2><a href=\"/index.html\">home</a>",
    )
    .unwrap();
    let (checked, broken) = check_links(out, "/", Bodies::Checked);
    assert_eq!(checked, 5);
    assert_eq!(
        broken,
        [
            "index.html: a/#gone (no id \"gone\")",
            "index.html: nowhere/ (no such file)"
        ]
    );
}
