//! The one place where pulldown-cmark, sanitising and syntax highlighting meet.
//!
//! Postmortem bodies are untrusted: many people write them, under pressure. By default every
//! link and image URL passes a scheme allowlist (no `javascript:`, `data:`, `vbscript:`), and a
//! body that contains raw HTML is run through ammonia, which keeps harmless markup (tables,
//! `<details>`) and drops scripts, event handlers and styles. Code blocks are highlighted by
//! syntect with CSS classes (`hl-*`), so the theme's light and dark palettes both apply. The
//! syntax definitions are loaded on the first code block only, never at start-up.

mod store;

pub use store::BodyStore;

use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::config::RawHtml;
use crate::highlight::Highlighter;
use crate::text::html::escape_into;
use crate::text::slug::slugify;

/// A heading of a rendered body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A body turned into HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMarkdown {
    pub html: String,
    pub headings: Vec<Heading>,
}

/// Renders Markdown with the site's raw-HTML policy. Cheap to share between threads.
pub struct MarkdownRenderer {
    raw_html: RawHtml,
    highlighter: Highlighter,
    sanitizer: ammonia::Builder<'static>,
    /// Bodies rendered by earlier builds (`cache_dir`), if the build keeps a cache.
    store: Option<Arc<BodyStore>>,
}

/// The shortest text worth keeping in the store.
const STORE_FROM_BYTES: usize = 512;

const CLASS_PREFIXES: [&str; 3] = ["hl-", "language-", "footnote-"];

impl MarkdownRenderer {
    pub fn new(raw_html: RawHtml) -> Self {
        let mut sanitizer = ammonia::Builder::default();
        sanitizer
            .add_tags(["input"])
            .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
            .add_generic_attributes(["id"])
            .add_tag_attributes("span", ["class"])
            .add_tag_attributes("code", ["class"])
            .add_tag_attributes("pre", ["class"])
            // A code block wider than the page scrolls: it must take the keyboard's focus.
            .set_tag_attribute_value("pre", "tabindex", "0")
            .add_tag_attributes("div", ["class"])
            .add_tag_attributes("sup", ["class"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                (_, "class") => {
                    let ours = value
                        .split_whitespace()
                        .all(|c| CLASS_PREFIXES.iter().any(|p| c.starts_with(p)) || c == "code");
                    ours.then(|| value.into())
                }
                ("input", "type") => (value == "checkbox").then(|| value.into()),
                _ => Some(value.into()),
            });
        MarkdownRenderer {
            raw_html,
            highlighter: Highlighter::new(),
            sanitizer,
            store: None,
        }
    }

    /// Takes bodies from `store` when it has them, and keeps what it renders there.
    pub fn with_store(mut self, store: Option<Arc<BodyStore>>) -> Self {
        self.store = store;
        self
    }

    /// Renders one body (or takes it from the store).
    pub fn render(&self, markdown: &str) -> RenderedMarkdown {
        // A short text (an action item, a timeline line) renders faster than a file is read.
        let Some(store) = self
            .store
            .as_ref()
            .filter(|_| markdown.len() >= STORE_FROM_BYTES)
        else {
            return self.render_now(markdown);
        };
        let key = store.key(markdown);
        store.get(&key).unwrap_or_else(|| {
            let rendered = self.render_now(markdown);
            store.put(&key, &rendered);
            rendered
        })
    }

    fn render_now(&self, markdown: &str) -> RenderedMarkdown {
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES;
        let mut pass = Pass {
            renderer: self,
            events: Vec::new(),
            headings: Vec::new(),
            used_ids: Vec::new(),
            has_raw_html: false,
            dropped_links: Vec::new(),
            code: None,
            heading: None,
        };
        for event in Parser::new_ext(markdown, options) {
            pass.take(event);
        }
        let mut rendered = String::with_capacity(markdown.len() * 3 / 2);
        html::push_html(&mut rendered, pass.events.into_iter());
        if pass.has_raw_html && self.raw_html == RawHtml::Sanitize {
            rendered = self.sanitizer.clean(&rendered).to_string();
        }
        RenderedMarkdown {
            html: rendered,
            headings: pass.headings,
        }
    }

    fn code_block(&self, lang: &str, text: &str) -> String {
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class=\"language-{}\"", slugify(lang))
        };
        let body = Some(lang)
            .filter(|l| !l.is_empty())
            .and_then(|lang| self.highlighter.highlight(lang, text))
            .unwrap_or_else(|| {
                let mut escaped = String::with_capacity(text.len());
                escape_into(&mut escaped, text);
                escaped
            });
        format!("<pre class=\"code\" tabindex=\"0\"><code{class}>{body}</code></pre>\n")
    }
}

/// A heading being read: its level, the id it was given, its events and its text.
type OpenHeading<'a> = (u8, Option<String>, Vec<Event<'a>>, String);

/// One body's walk over its events: code blocks highlighted, unsafe links dropped, raw HTML
/// escaped or marked for sanitising, headings given unique ids for the table of contents.
struct Pass<'r, 'a> {
    renderer: &'r MarkdownRenderer,
    events: Vec<Event<'a>>,
    headings: Vec<Heading>,
    used_ids: Vec<String>,
    has_raw_html: bool,
    /// For each open link or image, whether it was dropped (its end is dropped too).
    dropped_links: Vec<bool>,
    /// The language and text of the code block being read.
    code: Option<(String, String)>,
    heading: Option<OpenHeading<'a>>,
}

impl<'a> Pass<'_, 'a> {
    fn take(&mut self, event: Event<'a>) {
        if let Some((_, text)) = self.code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = self.code.take().unwrap_or_default();
                    let block = self.renderer.code_block(&lang, &text);
                    self.events.push(Event::Html(block.into()));
                }
                _ => {}
            }
            return;
        }
        if let Some(event) = self.filter(event) {
            self.place(event);
        }
    }

    /// The event as the policy allows it, or `None` when it is dropped or held (a code block).
    fn filter(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        let raw_html = self.renderer.raw_html;
        Some(match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
                return None;
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let safe =
                    raw_html == RawHtml::Trust || link_destination(&tag).is_none_or(is_safe_url);
                self.dropped_links.push(!safe);
                if !safe {
                    return None;
                }
                Event::Start(tag)
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if self.dropped_links.pop().unwrap_or(false) {
                    return None;
                }
                Event::End(end)
            }
            // A task list item's box: disabled, and labelled for screen readers (a bare
            // checkbox is a form field without a label).
            Event::TaskListMarker(done) => Event::InlineHtml(CowStr::from(if done {
                "<input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> "
            } else {
                "<input type=\"checkbox\" disabled=\"\" aria-label=\"To do\"> "
            })),
            Event::Html(raw) | Event::InlineHtml(raw) if raw_html == RawHtml::Escape => {
                Event::Text(raw)
            }
            Event::Html(raw) => {
                self.has_raw_html = true;
                Event::Html(raw)
            }
            Event::InlineHtml(raw) => {
                self.has_raw_html = true;
                Event::InlineHtml(raw)
            }
            other => other,
        })
    }

    /// Adds the event to the output, or to the heading being read.
    fn place(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((
                    level as u8,
                    id.map(|i| i.to_string()),
                    Vec::new(),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(level)) => {
                let (depth, given, inner, text) = self.heading.take().unwrap_or_default();
                let id = unique_id(given.unwrap_or_else(|| slugify(&text)), &mut self.used_ids);
                self.headings.push(Heading {
                    level: depth,
                    id: id.clone(),
                    text: text.trim().to_string(),
                });
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
                self.events.extend(inner);
                self.events.push(Event::End(TagEnd::Heading(level)));
            }
            other => match self.heading.as_mut() {
                Some((_, _, inner, text)) => {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        text.push_str(t);
                    }
                    inner.push(other);
                }
                None => self.events.push(other),
            },
        }
    }
}

/// The URL of a link or an image.
fn link_destination<'a>(tag: &'a Tag<'_>) -> Option<&'a str> {
    match tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => Some(dest_url),
        _ => None,
    }
}

/// Links and images may use http(s), mailto, tel, relative paths and fragments only.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        None => true,
        Some(colon) => {
            let before = &cleaned[..colon];
            // A colon after a path, query or fragment character is not a scheme.
            if before.contains(['/', '?', '#']) {
                return true;
            }
            matches!(before, "http" | "https" | "mailto" | "tel")
        }
    }
}

fn unique_id(base: String, used: &mut Vec<String>) -> String {
    let base = if base.is_empty() {
        "section".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(markdown: &str) -> String {
        MarkdownRenderer::new(RawHtml::Sanitize)
            .render(markdown)
            .html
    }

    /// Every `href` and `src` value in `html`.
    fn urls(html: &str) -> Vec<String> {
        html.split(" href=\"")
            .skip(1)
            .chain(html.split(" src=\"").skip(1))
            .map(|rest| rest.split('"').next().unwrap_or("").to_lowercase())
            .collect()
    }

    #[test]
    fn task_list_boxes_are_labelled_with_or_without_raw_html() {
        let plain = render("- [x] rolled back\n- [ ] add an alert\n");
        assert_eq!(
            plain,
            "<ul>\n<li><input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> rolled back</li>\n<li><input type=\"checkbox\" disabled=\"\" aria-label=\"To do\"> add an alert</li>\n</ul>\n"
        );
        // Raw HTML elsewhere sends the whole body through the sanitiser, which keeps the label.
        let sanitised = render("<b>x</b>\n\n- [ ] add an alert\n");
        assert!(sanitised.contains("aria-label=\"To do\""), "{sanitised}");
    }

    #[test]
    fn unsafe_urls_never_become_links() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:x",
            "data:text/html;base64,xx",
            "vbscript:x",
            "&#106;avascript:alert(1)",
        ] {
            let html = render(&format!("[click]({url}) ![img]({url})"));
            for target in urls(&html) {
                assert!(
                    !target.contains("script:") && !target.starts_with("data:"),
                    "{url}: {html}"
                );
            }
            assert!(html.contains("click"), "{html}");
        }
        let ok =
            render("[a](https://example.com/x) [b](../y) [c](#z) [d](mailto:a@b.c) [e](a/b:c)");
        assert_eq!(ok.matches("<a href").count(), 5, "{ok}");
    }

    #[test]
    fn raw_html_is_sanitised_escaped_or_trusted() {
        let body = "Hi <script>alert(1)</script><img src=x onerror=alert(1)>\n\n<details><summary>More</summary>text</details>\n";
        let clean = render(body);
        assert!(
            !clean.contains("<script") && !clean.contains("onerror"),
            "{clean}"
        );
        assert!(
            clean.contains("<details>") && clean.contains("<img src=\"x\">"),
            "{clean}"
        );

        let escaped = MarkdownRenderer::new(RawHtml::Escape).render(body).html;
        assert!(escaped.contains("&lt;script&gt;"), "{escaped}");

        let trusted = MarkdownRenderer::new(RawHtml::Trust).render(body).html;
        assert!(trusted.contains("<script>alert(1)</script>"), "{trusted}");
    }

    #[test]
    fn code_is_highlighted_with_classes_that_survive_sanitising() {
        let html = render("<b>x</b>\n\n```rust\nfn main() { let x = \"<b>\"; }\n```\n");
        assert!(
            html.contains("<pre class=\"code\" tabindex=\"0\"><code class=\"language-rust\">"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        let plain = render("```nosuchlang\n<b>\n```\n");
        assert!(plain.contains("&lt;b&gt;"), "{plain}");
    }

    #[test]
    fn headings_get_unique_ids_for_the_table_of_contents() {
        let out = MarkdownRenderer::new(RawHtml::Sanitize)
            .render("## Root cause\n\n## Root `cause`\n\n### Timeline {#tl}\n");
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["root-cause", "root-cause-1", "tl"]);
        assert!(
            out.html.contains("<h2 id=\"root-cause\">Root cause</h2>"),
            "{}",
            out.html
        );
        assert_eq!(out.headings[1].text, "Root cause");
    }
}
