//! The bounds a postmortem is held to, so that no small file can cost seconds or gigabytes.
//!
//! Each limit is far above what a real postmortem needs and is reported as an error at the
//! offending line (docs/checks.md lists them). The per-day structures are bounded by the
//! accepted years in `time.rs`; what is bounded here is the rest: how many services and tags a
//! file may name (each service page shows every service of its incidents, so the output grows
//! with their square), how long a URL slug may be (it becomes a folder name, and file systems
//! refuse names over 255 bytes), and how deeply raw HTML may nest (the HTML5 tree builder that
//! sanitises it does work proportional to the depth for every tag).

use pulldown_cmark::{Event, Parser};

use crate::diagnostics::{Check, Diagnostic, Location, SourceText};
use crate::spanned::RawEntry;
use std::path::Path;

/// The most services one postmortem may name.
pub const MAX_SERVICES_PER_INCIDENT: usize = 100;
/// The most services a whole site may have, declared or named in postmortems.
pub const MAX_SERVICES_PER_SITE: usize = 500;
/// The most tags one postmortem may have.
pub const MAX_TAGS: usize = 100;
/// The longest URL slug, in bytes (slugs are ASCII): room below the common 255-byte limit
/// for a file name, and for the output folder's path in front of it.
pub const MAX_SLUG_BYTES: usize = 200;
/// How deeply raw HTML in a body may nest.
pub const MAX_HTML_DEPTH: usize = 256;

/// Elements that never have content, so they do not nest.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// An error when raw HTML in `body` nests deeper than [`MAX_HTML_DEPTH`], at the line where it
/// first does. The depth counted is an upper bound of what a browser would build: every opening
/// tag of a non-void element counts until its closing tag, even where HTML would close it
/// implicitly.
pub fn html_nesting(file: &Path, text: &str, body: &str, body_offset: usize) -> Option<Diagnostic> {
    // A cheap test first: deeper nesting needs at least that many `<`.
    if body.bytes().filter(|b| *b == b'<').count() <= MAX_HTML_DEPTH {
        return None;
    }
    let mut depth = 0usize;
    for (event, range) in Parser::new(body).into_offset_iter() {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        for (at, change) in tag_changes(&html) {
            depth = depth.saturating_add_signed(change);
            if depth > MAX_HTML_DEPTH {
                let offset = body_offset + range.start + at.min(range.len());
                let location = SourceText::new(text).locate(offset, offset + 1);
                return Some(
                    Diagnostic::new(
                        Check::LimitExceeded,
                        file,
                        format!("raw HTML here is nested more than {MAX_HTML_DEPTH} elements deep"),
                    )
                    .at(Some(location))
                    .with_hint(
                        "close the HTML elements you open, or write the content in Markdown",
                    ),
                );
            }
        }
    }
    None
}

/// Where each tag of an HTML fragment opens (+1) or closes (-1) an element.
fn tag_changes(html: &str) -> impl Iterator<Item = (usize, isize)> + '_ {
    html.match_indices('<').filter_map(move |(at, _)| {
        let rest = &html[at + 1..];
        let (closing, name_start) = match rest.strip_prefix('/') {
            Some(after) => (true, after),
            None => (false, rest),
        };
        let name: String = name_start
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        if closing {
            return Some((at, -1));
        }
        let tag_end = rest.find('>').map_or(rest.len(), |i| i);
        let self_closing = rest[..tag_end].ends_with('/');
        (!VOID_ELEMENTS.contains(&name.as_str()) && !self_closing).then_some((at, 1))
    })
}

/// Errors for a slug, service list or tag list over the limits, at its key (a slug from the
/// file name at `block`, the opening delimiter).
pub fn limit_problems(
    file: &Path,
    entries: &[RawEntry],
    block: &Location,
    id: &str,
    services: usize,
    tags: usize,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |key: &str| {
        entries
            .iter()
            .find(|e| e.key == key)
            .map_or_else(|| block.clone(), |e| e.key_location.clone())
    };
    if id.len() > MAX_SLUG_BYTES {
        let (source, hint) = match entries.iter().any(|e| e.key == "slug") {
            true => ("\"slug\" is", "shorten the slug"),
            false => (
                "the URL slug from the file name is",
                "add a shorter slug = \"...\" or rename the file",
            ),
        };
        problems.push(
            Diagnostic::new(
                Check::LimitExceeded,
                file,
                format!(
                    "{source} {} characters long; the longest that works as a folder name is {}",
                    id.len(),
                    MAX_SLUG_BYTES
                ),
            )
            .at(Some(at("slug")))
            .with_hint(hint),
        );
    }
    for (key, count, max) in [
        ("services", services, MAX_SERVICES_PER_INCIDENT),
        ("tags", tags, MAX_TAGS),
    ] {
        if count > max {
            problems.push(
                Diagnostic::new(
                    Check::LimitExceeded,
                    file,
                    format!("\"{key}\" has {count} entries; one postmortem may have at most {max}"),
                )
                .at(Some(at(key))),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(body: &str) -> Option<String> {
        let text = format!("+++\ntitle = \"x\"\n+++\n{body}");
        let offset = text.len() - body.len();
        html_nesting(Path::new("a.md"), &text, body, offset).map(|d| d.to_string())
    }

    #[test]
    fn deep_raw_html_is_refused_at_the_line_where_it_gets_too_deep() {
        let body = format!(
            "Intro\n\n{}x{}\n",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        let error = depth_error(&body).expect("300 levels are refused");
        assert!(
            error.starts_with(
                "error: a.md:6:1281: raw HTML here is nested more than 256 elements deep"
            ),
            "{error}"
        );
    }

    #[test]
    fn ordinary_html_void_elements_and_code_pass() {
        let closed = "<p>a</p>\n".repeat(1_000);
        assert_eq!(depth_error(&closed), None);
        let voids = format!("<div>{}</div>\n", "<br><img src=x><hr/>".repeat(500));
        assert_eq!(depth_error(&voids), None);
        let code = format!("```html\n{}\n```\n", "<div>".repeat(1_000));
        assert_eq!(depth_error(&code), None, "tags inside code are text");
        let comparisons = "a < b and c <d\n".repeat(400);
        assert_eq!(depth_error(&comparisons), None);
    }
}
