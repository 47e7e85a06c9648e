//! The one HTML escaper of our own code, for text between tags.
//!
//! Templates are escaped by Tera, Markdown by pulldown-cmark and ammonia; this is for the HTML
//! the code writes itself: highlighted code, the SVG charts' titles and labels, and the error
//! overlay of `serve`. It escapes `&`, `<` and `>`, which is all text content needs; it is never
//! used inside attribute values.

/// Appends `text` to `out` with `&`, `<` and `>` escaped.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
}

/// `text` with `&`, `<` and `>` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities_and_the_rest_stays() {
        assert_eq!(
            escape("a < b && c > d \"quoted\" 'x' é"),
            "a &lt; b &amp;&amp; c &gt; d \"quoted\" 'x' é"
        );
        assert_eq!(
            escape("&amp;"),
            "&amp;amp;",
            "escaping twice shows the entity"
        );
    }
}
