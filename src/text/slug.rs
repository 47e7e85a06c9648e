//! URL slugs: the one function that turns titles, file names and service names into URL parts.
//!
//! Slugs are lower-case ASCII letters, digits and single dashes (Unicode is transliterated), so
//! they cannot hold `/`, `\`, `..` or `%`, and two names that differ only by case or accents give
//! the same slug: collisions are then found and reported instead of overwriting a page.

/// `"DB Outage: Café"` becomes `"db-outage-cafe"`. May return an empty string.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// The default slug of a postmortem file: its name without the extension and a leading date
/// (`2024-05-06-db-outage.md` and `2024-05-06_db-outage.md` give `db-outage`).
pub fn slug_from_file_stem(stem: &str) -> String {
    let bytes = stem.as_bytes();
    let has_date = bytes.len() > 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && matches!(bytes[10], b'-' | b'_' | b' ' | b'.');
    let rest = if has_date { &stem[11..] } else { stem };
    slugify(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_url_parts() {
        assert_eq!(slugify("DB Outage: Café"), "db-outage-cafe");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("%2e%2e/x"), "2e-2e-x");
        assert_eq!(slugify("a\\b"), "a-b");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn file_names_lose_their_leading_date() {
        assert_eq!(slug_from_file_stem("2024-05-06-db-outage"), "db-outage");
        assert_eq!(slug_from_file_stem("2024-05-06_DB Outage"), "db-outage");
        assert_eq!(slug_from_file_stem("2024-05-06"), "2024-05-06");
        assert_eq!(slug_from_file_stem("cdn-purge"), "cdn-purge");
    }
}
