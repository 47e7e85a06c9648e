//! Every internal link and asset reference of the built demo site resolves, fragments included.

use aftermath::render::Silent;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.split(needle.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The file a link from `page` points at, or `None` for external links.
fn resolve(
    out: &Path,
    page: &Path,
    base_path: &str,
    link: &str,
) -> Option<(PathBuf, Option<String>)> {
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    let mut target = if path.is_empty() {
        page.to_path_buf()
    } else if let Some(absolute) = path.strip_prefix(base_path) {
        out.join(absolute)
    } else {
        page.parent().unwrap().join(path)
    };
    if path.ends_with('/') || target.is_dir() {
        target = target.join("index.html");
    }
    Some((target, fragment))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

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
        force: false,
        home: None,
    };
    aftermath::build(&options, &Silent).unwrap();
    let pages: Vec<(PathBuf, String)> = crate::support::tree(&out)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| (out.join(name), String::from_utf8(bytes).unwrap()))
        .collect();
    let ids: BTreeMap<PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|(path, html)| {
            (
                normalize(path),
                attribute_values(html, "id")
                    .into_iter()
                    .map(String::from)
                    .collect(),
            )
        })
        .collect();
    let mut checked = 0;
    for (page, html) in &pages {
        for link in attribute_values(html, "href")
            .into_iter()
            .chain(attribute_values(html, "src"))
        {
            let Some((target, fragment)) = resolve(&out, page, "/status/", link) else {
                continue;
            };
            let target = normalize(&target);
            assert!(target.is_file(), "{}: broken link {link}", page.display());
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = ids.get(&target).is_some_and(|set| set.contains(&fragment));
                assert!(
                    known,
                    "{}: no id \"{fragment}\" in {}",
                    page.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}
