//! HTML turned into the Markdown a postmortem is written in, for inputs that carry HTML
//! (feed entries, update bodies).
//!
//! html2text (on html5ever, the parser ammonia already uses) does the parsing, entities and
//! layout: paragraphs become blocks, `<br>` a line break, lists list items. The decorator below
//! only chooses the Markdown for inline markup: `**strong**`, `*em*`, `` `code` ``, and
//! `[text](url)` for web links (other links keep their text only, so no `javascript:` or
//! relative URL is carried into the site).

use html2text::render::TextDecorator;

/// The Markdown for `html`, lines unwrapped; empty when it cannot be read.
pub fn html_to_markdown(html: &str) -> String {
    html2text::config::with_decorator(MarkdownDecorator::default())
        .link_footnotes(false)
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), UNWRAPPED)
        .unwrap_or_default()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Wide enough that no line of an update is wrapped.
const UNWRAPPED: usize = 10_000;

#[derive(Debug, Clone, Default)]
struct MarkdownDecorator {
    /// For each open link, the URL it ends with, if it is written as a Markdown link.
    links: Vec<Option<String>>,
}

impl TextDecorator for MarkdownDecorator {
    type Annotation = ();

    fn decorate_link_start(&mut self, url: &str) -> (String, Self::Annotation) {
        let web = url.starts_with("https://") || url.starts_with("http://");
        self.links.push(web.then(|| url.replace(' ', "%20")));
        (if web { "[" } else { "" }.to_string(), ())
    }

    fn decorate_link_end(&mut self) -> String {
        match self.links.pop().flatten() {
            Some(url) => format!("]({url})"),
            None => String::new(),
        }
    }

    fn decorate_em_start(&self) -> (String, Self::Annotation) {
        ("*".to_string(), ())
    }

    fn decorate_em_end(&self) -> String {
        "*".to_string()
    }

    fn decorate_strong_start(&self) -> (String, Self::Annotation) {
        ("**".to_string(), ())
    }

    fn decorate_strong_end(&self) -> String {
        "**".to_string()
    }

    fn decorate_strikeout_start(&self) -> (String, Self::Annotation) {
        ("~~".to_string(), ())
    }

    fn decorate_strikeout_end(&self) -> String {
        "~~".to_string()
    }

    fn decorate_code_start(&self) -> (String, Self::Annotation) {
        ("`".to_string(), ())
    }

    fn decorate_code_end(&self) -> String {
        "`".to_string()
    }

    fn decorate_preformat_first(&self) -> Self::Annotation {}

    fn decorate_preformat_cont(&self) -> Self::Annotation {}

    fn decorate_image(&mut self, _src: &str, title: &str) -> (String, Self::Annotation) {
        (title.to_string(), ())
    }

    fn header_prefix(&self, level: usize) -> String {
        format!("{} ", "#".repeat(level.clamp(1, 6)))
    }

    fn quote_prefix(&self) -> String {
        "> ".to_string()
    }

    fn unordered_item_prefix(&self) -> String {
        "- ".to_string()
    }

    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }

    fn make_subblock_decorator(&self) -> Self {
        MarkdownDecorator::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuspage_update_html_becomes_markdown_lines() {
        let html = "<p><small>Oct <var data-var='date'> 3</var>, <var data-var='time'>03:47</var> UTC</small><br><strong>Resolved</strong> - Fixed &amp; verified.<br /><br />See <a href=\"https://example.org/rca\">the RCA</a> and <a href=\"javascript:alert(1)\">this</a>.</p>";
        assert_eq!(
            html_to_markdown(html),
            "Oct 3, 03:47 UTC\n**Resolved** - Fixed & verified.\n\nSee [the RCA](https://example.org/rca) and this."
        );
    }
}
