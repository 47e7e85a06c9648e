//! Every internal link and asset reference of a built site resolves, fragments included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.split(needle.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The file a link from `page` points at, or `None` for external links.
fn resolve(out: &Path, page: &Path, base_path: &str, link: &str) -> Option<(PathBuf, String)> {
    if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
        return None;
    }
    let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
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
    Some((normalize(&target), fragment.to_string()))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The page without the postmortem's own body (the default theme's `<div class="prose">`): the
/// links a postmortem's author wrote are theirs to keep working, not the generator's.
fn generated_part(html: &str) -> String {
    const BODY: &str = "<div class=\"prose\">";
    const END: &str = "\n  </div>\n</article>";
    match (html.find(BODY), html.rfind(END)) {
        (Some(from), Some(to)) if from < to => format!("{}{}", &html[..from], &html[to..]),
        _ => html.to_string(),
    }
}

/// Whether the links inside postmortem bodies are checked too (for the demo, whose bodies we
/// wrote) or skipped (for fixtures, whose bodies may hold hostile or dangling links on purpose).
#[derive(Clone, Copy)]
pub enum Bodies {
    Checked,
    Skipped,
}

/// What the links of the HTML pages under `out` found: how many were checked, and each broken
/// one as `page: link` (a missing file, or a missing `id` for a fragment), leaving out the links
/// in postmortem bodies unless asked (see [`generated_part`]). `base_path` is the
/// path of `base_url` (`/` or `/status/`), which absolute links start with.
pub fn check_links(out: &Path, base_path: &str, bodies: Bodies) -> (usize, Vec<String>) {
    let pages: Vec<(PathBuf, String)> = super::tree(out)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| {
            let path = normalize(&out.join(name));
            (path, String::from_utf8(bytes).unwrap())
        })
        .collect();
    let ids: BTreeMap<&Path, BTreeSet<&str>> = pages
        .iter()
        .map(|(path, html)| {
            (
                path.as_path(),
                attribute_values(html, "id").into_iter().collect(),
            )
        })
        .collect();
    let (mut checked, mut broken) = (0, Vec::new());
    for (page, html) in &pages {
        let generated = match bodies {
            Bodies::Checked => html.clone(),
            Bodies::Skipped => generated_part(html),
        };
        let links = attribute_values(&generated, "href")
            .into_iter()
            .chain(attribute_values(&generated, "src"));
        for link in links {
            let Some((target, fragment)) = resolve(out, page, base_path, link) else {
                continue;
            };
            checked += 1;
            let shown = page.strip_prefix(normalize(out)).unwrap_or(page).display();
            if !target.is_file() {
                broken.push(format!("{shown}: {link} (no such file)"));
            } else if !fragment.is_empty()
                && !ids
                    .get(target.as_path())
                    .is_some_and(|set| set.contains(fragment.as_str()))
            {
                broken.push(format!("{shown}: {link} (no id \"{fragment}\")"));
            }
        }
    }
    (checked, broken)
}
