//! Splits a postmortem file into its front-matter block and its Markdown body.
//!
//! We own this step (instead of a parser extension) so we know the exact line where the block
//! starts: every later error in the front matter is shifted by it and points at the real line of
//! the Markdown file, also after a UTF-8 BOM, blank lines or CRLF line endings.

/// Which language the front matter is written in, chosen by its delimiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterFormat {
    /// Between `+++` lines.
    Toml,
    /// Between `---` lines.
    Yaml,
}

impl FrontMatterFormat {
    pub fn delimiter(self) -> &'static str {
        match self {
            FrontMatterFormat::Toml => "+++",
            FrontMatterFormat::Yaml => "---",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FrontMatterFormat::Toml => "TOML",
            FrontMatterFormat::Yaml => "YAML",
        }
    }
}

/// A file cut in two. Offsets are byte offsets into the text given to [`split_front_matter`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitFile<'a> {
    pub format: FrontMatterFormat,
    /// The text between the delimiter lines (may be empty).
    pub front_matter: &'a str,
    /// Byte offset of `front_matter` in the file.
    pub front_matter_offset: usize,
    /// 1-based line of the first line of `front_matter`.
    pub front_matter_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Why a file could not be split. `line` is 1-based; `column` and `length` mark the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub line: usize,
    pub column: usize,
    pub length: usize,
    pub message: String,
    pub hint: Option<String>,
}

const BOM: &str = "\u{feff}";

/// Finds the front-matter block: the first non-blank line must be `+++` or `---`, and a later
/// line holding only the same delimiter closes it.
pub fn split_front_matter(text: &str) -> Result<SplitFile<'_>, SplitError> {
    let mut offset = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut line = 1;
    let opening = loop {
        let rest = &text[offset..];
        if rest.is_empty() {
            return Err(SplitError {
                line: 1,
                column: 1,
                length: 1,
                message: "the file is empty; expected front matter between `+++` (TOML) or `---` (YAML) lines".into(),
                hint: Some("start the file with a `+++` line, then `title = \"...\"` and `start = ...`, then a closing `+++` line".into()),
            });
        }
        let (content, next) = next_line(text, offset);
        if content.trim().is_empty() {
            offset = next;
            line += 1;
            continue;
        }
        break (content, next);
    };
    let (first, after_opening) = opening;
    let format = match first.trim_end() {
        "+++" => FrontMatterFormat::Toml,
        "---" => FrontMatterFormat::Yaml,
        _ => {
            return Err(SplitError {
                line,
                column: 1,
                length: first.trim_end().chars().count().max(1),
                message: "expected front matter: the first line must be `+++` (TOML) or `---` (YAML)".into(),
                hint: Some("every postmortem starts with a front-matter block holding at least `title` and `start`".into()),
            });
        }
    };
    let opening_line = line;
    let front_matter_offset = after_opening;
    let front_matter_line = line + 1;
    let mut cursor = after_opening;
    line += 1;
    while cursor < text.len() {
        let (content, next) = next_line(text, cursor);
        if content.trim_end() == format.delimiter() {
            let body_line = line + 1;
            return Ok(SplitFile {
                format,
                front_matter: &text[front_matter_offset..cursor],
                front_matter_offset,
                front_matter_line,
                body: &text[next..],
                body_line,
            });
        }
        cursor = next;
        line += 1;
    }
    let delimiter = format.delimiter();
    Err(SplitError {
        line: opening_line,
        column: 1,
        length: 3,
        message: format!(
            "the {} front matter opened here is never closed; expected a line with only `{delimiter}`",
            format.name()
        ),
        hint: Some(format!(
            "add a `{delimiter}` line after the last front-matter key"
        )),
    })
}

/// The line starting at `offset` without its line ending, and the offset of the next line.
fn next_line(text: &str, offset: usize) -> (&str, usize) {
    let rest = &text[offset..];
    match rest.find('\n') {
        Some(i) => (rest[..i].trim_end_matches('\r'), offset + i + 1),
        None => (rest, text.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml() {
        let toml = split_front_matter("+++\ntitle = \"a\"\n+++\n# Body\n").unwrap();
        assert_eq!(toml.format, FrontMatterFormat::Toml);
        assert_eq!(toml.front_matter, "title = \"a\"\n");
        assert_eq!(toml.front_matter_line, 2);
        assert_eq!(toml.body, "# Body\n");
        assert_eq!(toml.body_line, 4);

        let yaml = split_front_matter("---\ntitle: a\n---\n").unwrap();
        assert_eq!(yaml.format, FrontMatterFormat::Yaml);
        assert_eq!(yaml.front_matter, "title: a\n");
        assert_eq!(yaml.body, "");
    }

    #[test]
    fn keeps_real_line_numbers_after_bom_blank_lines_and_crlf() {
        let text = "\u{feff}\r\n  \r\n+++\r\ntitle = \"a\"\r\n+++\r\nbody";
        let split = split_front_matter(text).unwrap();
        assert_eq!(split.front_matter_line, 4);
        assert_eq!(split.front_matter, "title = \"a\"\r\n");
        assert_eq!(&text[split.front_matter_offset..][..5], "title");
        assert_eq!(split.body, "body");
        assert_eq!(split.body_line, 6);
    }

    #[test]
    fn an_empty_block_is_allowed_here() {
        let split = split_front_matter("---\n---\n").unwrap();
        assert_eq!(split.front_matter, "");
    }

    #[test]
    fn reports_missing_unterminated_and_empty() {
        let none = split_front_matter("# Just markdown\n").unwrap_err();
        assert_eq!(none.line, 1);
        assert!(none.message.starts_with("expected front matter"));

        let open = split_front_matter("\n+++\ntitle = \"a\"\n").unwrap_err();
        assert_eq!(open.line, 2);
        assert_eq!(
            open.message,
            "the TOML front matter opened here is never closed; expected a line with only `+++`"
        );

        let empty = split_front_matter("\u{feff}").unwrap_err();
        assert!(empty.message.starts_with("the file is empty"));
    }

    #[test]
    fn a_yaml_block_is_not_closed_by_toml_delimiters() {
        let err = split_front_matter("---\ntitle: a\n+++\n").unwrap_err();
        assert!(err.message.contains("YAML front matter"));
    }
}
