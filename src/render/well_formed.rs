//! The last step of every HTML and XML page: no character that XML 1.0 forbids reaches it.
//!
//! Postmortems carry pasted logs, and a pasted ANSI-coloured log holds ESC (U+001B) and other
//! C0 controls. XML 1.0 forbids them (even written as `&#27;`), so one such character makes a
//! feed reader reject the whole `feed.xml`, and HTML counts them as parse errors. Every page is
//! filtered here once, whatever template or renderer produced it: the controls other than tab,
//! line feed and carriage return are dropped, raw or as numeric character references, and so
//! are the non-characters U+FFFE and U+FFFF. JSON outputs need nothing: JSON escapes them.

/// Whether a page at `path` is HTML or XML, which this filter applies to.
pub fn applies_to(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".xml")
}

/// `page` without the characters XML 1.0 forbids; the same bytes, not copied, when it has none
/// (the usual case costs one pass over the bytes).
pub fn strip_forbidden(page: Vec<u8>) -> Vec<u8> {
    if !needs_filtering(&page) {
        return page;
    }
    // Pages are rendered from `String`s, so this never fails; if it did, the page stays as is.
    let text = match String::from_utf8(page) {
        Ok(text) => text,
        Err(err) => return err.into_bytes(),
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        let skip = match c {
            '&' => forbidden_reference(rest.as_bytes()).unwrap_or(0),
            c if is_forbidden(c) => c.len_utf8(),
            _ => 0,
        };
        if skip == 0 {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        } else {
            rest = &rest[skip..];
        }
    }
    out.into_bytes()
}

/// Whether `page` holds a forbidden character, raw or as a reference. Control bytes are found
/// eight at a time; `&` and the lead byte of U+FFFE/U+FFFF by memchr.
fn needs_filtering(page: &[u8]) -> bool {
    let (words, tail) = page.as_chunks::<8>();
    let control = words
        .iter()
        .any(|word| has_control(u64::from_le_bytes(*word)))
        || tail.iter().any(|&b| is_control_byte(b));
    control
        || memchr::memchr2_iter(b'&', 0xEF, page).any(|i| match page[i] {
            b'&' => forbidden_reference(&page[i..]).is_some(),
            _ => page.get(i + 1) == Some(&0xBF) && matches!(page.get(i + 2), Some(0xBE | 0xBF)),
        })
}

/// A C0 control other than tab, line feed and carriage return.
fn is_control_byte(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Whether one of the eight bytes of `word` is a forbidden control byte: a byte below 0x20 is
/// found with the usual "has a byte less than n" trick, then confirmed byte by byte.
fn has_control(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below_0x20 = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    below_0x20 != 0 && word.to_le_bytes().into_iter().any(is_control_byte)
}

/// The length of the numeric character reference at the start of `bytes` (`&#27;`, `&#x1B;`,
/// `&#0031;`) if it names a forbidden character.
fn forbidden_reference(bytes: &[u8]) -> Option<usize> {
    let body = bytes.strip_prefix(b"&#")?;
    let (hex, digits) = match body.first() {
        Some(b'x' | b'X') => (true, &body[1..]),
        _ => (false, body),
    };
    let length = digits
        .iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count();
    if length == 0 || length > 8 || digits.get(length) != Some(&b';') {
        return None;
    }
    let number = std::str::from_utf8(&digits[..length]).ok()?;
    let value = u32::from_str_radix(number, if hex { 16 } else { 10 }).ok()?;
    let forbidden = char::from_u32(value).is_none_or(is_forbidden);
    let whole = 2 + usize::from(hex) + length + 1;
    forbidden.then_some(whole)
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
    fn every_position_and_byte_is_seen() {
        for at in 0..20 {
            for byte in 0u8..0x20 {
                let mut page = vec![b'a'; 19];
                page.insert(at, byte);
                let expected = !matches!(byte, b'\t' | b'\n' | b'\r');
                assert_eq!(needs_filtering(&page), expected, "byte {byte:#x} at {at}");
            }
            let mut page = vec![b'a'; 19];
            page.splice(at..at, "\u{ffff}".bytes());
            assert!(needs_filtering(&page), "U+FFFF at {at}");
        }
        assert!(!needs_filtering("é ü 日本 ☕ \u{fffd} \u{fff0}".as_bytes()));
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
