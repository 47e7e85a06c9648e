//! Lines of an imported postmortem that are clearly not part of it: newsletter sign-ups,
//! author biographies, bare image links. They are reported and left out of the imported body.

use std::sync::LazyLock;

use regex::Regex;

/// Lines that are clearly not part of the postmortem: newsletter sign-ups, author biographies,
/// bare image links.
pub fn boilerplate(lines: &[&str]) -> Vec<(usize, &'static str)> {
    static IMAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^<?https?://\S+\.(?:png|jpe?g|gif|svg|webp)(?:\?\S*)?>?$")
            .expect("valid regex")
    });
    static NEWSLETTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)newsletter|subscribe (?:to|for)|sign up for|follow us on")
            .expect("valid regex")
    });
    static BIO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[#*_\s]*(?:about the author|author bio|written by|about me)\b")
            .expect("valid regex")
    });
    let mut out = Vec::new();
    let mut in_bio = false;
    for (index, line) in lines.iter().enumerate() {
        let text = line.trim();
        if in_bio {
            if text.starts_with('#') {
                in_bio = false;
            } else {
                out.push((index + 1, "author biography"));
                continue;
            }
        }
        if BIO.is_match(text) {
            in_bio = true;
            out.push((index + 1, "author biography"));
        } else if IMAGE.is_match(text) {
            out.push((index + 1, "bare image URL"));
        } else if NEWSLETTER.is_match(text) {
            out.push((index + 1, "newsletter sign-up"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::import::extract::extract;

    #[test]
    fn boilerplate_is_found_line_by_line() {
        let text = "# Outage\n\nbody\n\nhttps://x.example/diagram.png\nSubscribe to our newsletter!\n## About the author\nJane writes.\n## Next\nmore\n";
        let left: Vec<(usize, &str)> = extract(text, &Config::default()).left_out;
        assert_eq!(
            left,
            [
                (5, "bare image URL"),
                (6, "newsletter sign-up"),
                (7, "author biography"),
                (8, "author biography")
            ]
        );
    }
}
