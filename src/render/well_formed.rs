//! The last step of every HTML and XML page: no character that XML 1.0 forbids reaches it.
//!
//! Postmortems carry pasted logs, and a pasted ANSI-coloured log holds ESC (U+001B) and other
//! C0 controls. XML 1.0 forbids them (even written as `&#27;`), so one such character makes a
//! feed reader reject the whole `feed.xml`, and HTML counts them as parse errors. Every page is
//! filtered here once, whatever template or renderer produced it: the controls other than tab,
//! line feed and carriage return are dropped, raw or as numeric character references, and so
//! are the non-characters U+FFFE and U+FFFF. JSON outputs need nothing: JSON escapes them.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Numeric character references that could name a C0 control (`&#27;`, `&#x1B;`, `&#0031;`).
static CONTROL_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*([0-9]{1,2}));").expect("a valid pattern")
});

/// Whether a page at `path` is HTML or XML, which this filter applies to.
pub fn applies_to(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".xml")
}

/// `page` without the characters XML 1.0 forbids; the same bytes when it has none (the usual
/// case costs one scan).
pub fn strip_forbidden(page: Vec<u8>) -> Vec<u8> {
    let has_raw = page
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        || page
            .windows(3)
            .any(|w| w == [0xEF, 0xBF, 0xBE] || w == [0xEF, 0xBF, 0xBF]);
    if !has_raw && !page.windows(2).any(|w| w == b"&#") {
        return page;
    }
    // Pages are rendered from `String`s, so this never fails; if it did, the page stays as is.
    let text = match String::from_utf8(page) {
        Ok(text) => text,
        Err(err) => return err.into_bytes(),
    };
    let forbidden_reference = |caps: &regex::Captures<'_>| {
        let value = match (caps.get(1), caps.get(2)) {
            (Some(hex), _) => u32::from_str_radix(hex.as_str(), 16).ok(),
            (_, Some(decimal)) => decimal.as_str().parse().ok(),
            _ => None,
        };
        value.and_then(char::from_u32).is_some_and(is_forbidden)
    };
    let has_reference = CONTROL_REFERENCE
        .captures_iter(&text)
        .any(|caps| forbidden_reference(&caps));
    if !has_raw && !has_reference {
        return text.into_bytes();
    }
    let text: Cow<'_, str> = CONTROL_REFERENCE.replace_all(&text, |caps: &regex::Captures<'_>| {
        if forbidden_reference(caps) {
            String::new()
        } else {
            caps[0].to_string()
        }
    });
    text.chars()
        .filter(|c| !is_forbidden(*c))
        .collect::<String>()
        .into_bytes()
}

fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(text: &str) -> String {
        String::from_utf8(strip_forbidden(text.as_bytes().to_vec())).unwrap()
    }

    #[test]
    fn pasted_terminal_colours_leave_well_formed_xml() {
        let page = "<title>\u{1b}[31mERROR\u{1b}[0m db\u{7} down\u{fffe}</title>\n\t<p>a\r\nb</p>";
        assert_eq!(
            strip(page),
            "<title>[31mERROR[0m db down</title>\n\t<p>a\r\nb</p>"
        );
        let references =
            "<p>&#27;[31m &#x1B; &#x1b; &#0031; &#x0; &#9; &#10; &#x27; &#x2F; &#65;</p>";
        assert_eq!(
            strip(references),
            "<p>[31m     &#9; &#10; &#x27; &#x2F; &#65;</p>"
        );
        let document = strip(&format!("<a>{page}{references}</a>"));
        roxmltree::Document::parse(&document).expect("well-formed XML");
    }

    #[test]
    fn clean_pages_are_returned_as_they_are() {
        let page = "<p>plain &amp; simple &#x27;quoted&#x27;</p>"
            .as_bytes()
            .to_vec();
        let pointer = page.as_ptr();
        let out = strip_forbidden(page);
        assert_eq!(out.as_ptr(), pointer, "no copy when nothing is forbidden");
        assert!(applies_to("feed.xml") && applies_to("incidents/a/index.html"));
        assert!(!applies_to("api/stats.json") && !applies_to("feed.json"));
    }
}
