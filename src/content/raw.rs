//! Reads a front-matter block (TOML or YAML) into the spanned tree of [`crate::spanned`],
//! with positions as 1-based lines and columns of the Markdown file.
//!
//! Typed validation happens afterwards in `incident.rs`, field by field.

use super::split::{FrontMatterFormat, SplitFile};
use crate::diagnostics::SourceText;
use crate::spanned::{RawEntry, SyntaxError, parse_toml, parse_yaml};

/// Parses the front matter of `split` (cut from `file_text`) into its top-level entries.
pub fn parse_front_matter(
    file_text: &str,
    split: &SplitFile<'_>,
) -> Result<Vec<RawEntry>, SyntaxError> {
    // Every location is inside the front matter: the body is not indexed.
    let end = split.front_matter_offset + split.front_matter.len();
    let source = SourceText::new(&file_text[..end]);
    if split.front_matter.trim().is_empty() {
        return Ok(Vec::new());
    }
    match split.format {
        FrontMatterFormat::Toml => {
            parse_toml(&source, split.front_matter, split.front_matter_offset)
        }
        FrontMatterFormat::Yaml => parse_yaml(&source, split.front_matter, split.front_matter_line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::split::split_front_matter;
    use crate::spanned::RawValue;

    fn parse(text: &str) -> Result<Vec<RawEntry>, SyntaxError> {
        let split = split_front_matter(text).unwrap();
        parse_front_matter(text, &split)
    }

    #[test]
    fn toml_values_keep_file_positions() {
        let text = "\n+++\ntitle = \"DB down\"\nimpact = 35\nstart = 2024-05-06T15:00:00Z\n+++\n";
        let entries = parse(text).unwrap();
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "impact", "start"]);
        assert_eq!(entries[1].value.value, RawValue::Integer(35));
        assert_eq!(
            entries[2].value.value,
            RawValue::Datetime("2024-05-06T15:00:00Z".into())
        );
        assert_eq!(entries[2].key_location.line, 5);
        assert_eq!(entries[2].value.location.column, 9);
    }

    #[test]
    fn yaml_is_yaml_1_2_and_keeps_file_positions() {
        let text = "---\ntitle: DB down\nat: 10:15\nok: no\nimpact: 35\ntags: [a, b]\n---\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries[1].value.value, RawValue::String("10:15".into()));
        assert_eq!(entries[2].value.value, RawValue::String("no".into()));
        assert_eq!(entries[3].value.value, RawValue::Integer(35));
        assert_eq!(entries[3].key_location.line, 5);
        assert_eq!(entries[3].value.location.column, 9);
        assert!(matches!(entries[4].value.value, RawValue::Array(ref a) if a.len() == 2));
    }

    #[test]
    fn toml_syntax_errors_point_at_the_file_line() {
        let text = "\n\n+++\ntitle = \"a\"\nimpact = 35,\n+++\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.location.line, 5);
        assert!(
            err.message.starts_with("TOML syntax error"),
            "{}",
            err.message
        );
    }

    #[test]
    fn yaml_syntax_errors_and_duplicates_point_at_the_file_line() {
        let err = parse("---\ntitle: a\ntags: [a, b\n---\n").unwrap_err();
        assert!(
            err.message.starts_with("YAML syntax error"),
            "{}",
            err.message
        );
        assert!(err.location.line >= 3, "{err:?}");

        let dup = parse("---\ntitle: a\ntitle: b\n---\n").unwrap_err();
        assert_eq!(dup.location.line, 3, "{dup:?}");
        assert_eq!(dup.message, "YAML syntax error: duplicate key \"title\"");
        let toml_dup = parse("+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n").unwrap_err();
        assert_eq!(
            toml_dup.message,
            "TOML syntax error: duplicate key \"title\""
        );
        assert_eq!((toml_dup.location.line, toml_dup.location.column), (3, 1));
    }
}
