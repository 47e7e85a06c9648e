//! Message catalogs: one TOML file per language, read into key → message with every key's place
//! in the file.
//!
//! A catalog groups its messages in tables (`[nav]`, `[incident]`...); a message's key is its
//! path, `nav.status`. A message is a string with `{name}` placeholders, or, when it says a
//! count, an inline table of CLDR plural forms (`{ one = "{count} incident", other = "{count}
//! incidents" }`): `other` is required, the language's other forms (`zero`, `two`, `few`,
//! `many`) are optional and fall back to `other`. `[language]` is not a message table: it names
//! the language (`name`) and the CLDR locale its dates and numbers follow (`formats`).
//!
//! The same reader serves the built-in catalogs and a theme's overrides, so both report a bad
//! value at its line and column.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Check, Diagnostic, Diagnostics, Location, SourceText};
use crate::spanned::{RawEntry, RawValue, parse_toml};

/// The CLDR plural categories, in the order catalogs list them.
pub const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One message: a text, or the forms of a text that says a count.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Text(String),
    /// Plural form name (`one`, `other`...) → text; always has `other`.
    Plural(BTreeMap<String, String>),
}

impl Message {
    /// The text for plural form `form`, or `other` when the message lacks it; a plain text
    /// whatever the form.
    pub fn form(&self, form: &str) -> &str {
        match self {
            Message::Text(text) => text,
            Message::Plural(forms) => forms
                .get(form)
                .or_else(|| forms.get("other"))
                .map_or("", String::as_str),
        }
    }
}

/// The `[language]` table of a catalog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LanguageInfo {
    /// The language's own name for itself (`Deutsch`).
    pub name: Option<String>,
    /// The CLDR locale for dates, numbers and the first day of the week (`en-GB`).
    pub formats: Option<String>,
}

/// A catalog as read from one file.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub language: LanguageInfo,
    /// Key → message and where the key stands in the file.
    pub messages: BTreeMap<String, (Message, Location)>,
}

impl Catalog {
    /// Reads the catalog `text`, shown as `file` in messages; every problem is reported, and
    /// the messages that could be read are kept.
    pub fn parse(text: &str, file: &Path) -> (Catalog, Diagnostics) {
        let source = SourceText::new(text);
        let mut problems = Diagnostics::new();
        let mut catalog = Catalog::default();
        match parse_toml(&source, text, 0) {
            Ok(entries) => {
                let mut reader = Reader {
                    file,
                    catalog: &mut catalog,
                    problems: &mut problems,
                };
                reader.top_level(entries);
            }
            Err(err) => problems.push(
                Diagnostic::new(Check::CatalogSyntax, file, err.message).at(Some(err.location)),
            ),
        }
        (catalog, problems)
    }

    pub fn get(&self, key: &str) -> Option<&Message> {
        self.messages.get(key).map(|(message, _)| message)
    }
}

struct Reader<'a> {
    file: &'a Path,
    catalog: &'a mut Catalog,
    problems: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn problem(&mut self, location: &Location, message: String) {
        self.problems.push(
            Diagnostic::new(Check::CatalogSyntax, self.file, message).at(Some(location.clone())),
        );
    }

    fn top_level(&mut self, entries: Vec<RawEntry>) {
        for entry in entries {
            if entry.key == "language" {
                self.language(entry);
            } else {
                self.entry(String::new(), entry);
            }
        }
    }

    fn language(&mut self, entry: RawEntry) {
        let RawValue::Table(fields) = entry.value.value else {
            let found = entry.value.value.type_name();
            return self.problem(
                &entry.value.location,
                format!("\"language\" must be a table with `name` and `formats`, found {found}"),
            );
        };
        for field in fields {
            let text = match field.value.value {
                RawValue::String(text) => text,
                other => {
                    let found = other.type_name();
                    self.problem(
                        &field.value.location,
                        format!("\"language.{}\" must be a string, found {found}", field.key),
                    );
                    continue;
                }
            };
            match field.key.as_str() {
                "name" => self.catalog.language.name = Some(text),
                "formats" => self.catalog.language.formats = Some(text),
                other => self.problem(
                    &field.key_location,
                    format!("unknown key \"language.{other}\": expected `name` or `formats`"),
                ),
            }
        }
    }

    fn entry(&mut self, prefix: String, entry: RawEntry) {
        let key = if prefix.is_empty() {
            entry.key
        } else {
            format!("{prefix}.{}", entry.key)
        };
        match entry.value.value {
            RawValue::String(text) => {
                self.placeholders(&key, &text, &entry.value.location);
                self.insert(key, Message::Text(text), entry.key_location);
            }
            RawValue::Table(fields) if is_plural(&fields) => {
                let mut forms = BTreeMap::new();
                for field in fields {
                    match field.value.value {
                        RawValue::String(text) => {
                            self.placeholders(&key, &text, &field.value.location);
                            forms.insert(field.key, text);
                        }
                        other => {
                            let found = other.type_name();
                            self.problem(
                                &field.value.location,
                                format!("\"{key}.{}\" must be a string, found {found}", field.key),
                            );
                        }
                    }
                }
                if forms.contains_key("other") {
                    self.insert(key, Message::Plural(forms), entry.key_location);
                }
            }
            RawValue::Table(fields) if fields.iter().any(|f| is_form(&f.key)) => {
                self.problem(
                    &entry.key_location,
                    format!(
                        "\"{key}\" mixes plural forms with other keys or lacks `other`: a message that says a count has the forms {} and always `other`",
                        PLURAL_FORMS.join(", ")
                    ),
                );
            }
            RawValue::Table(fields) => {
                for field in fields {
                    self.entry(key.clone(), field);
                }
            }
            other => {
                let found = other.type_name();
                self.problem(
                    &entry.value.location,
                    format!("\"{key}\" must be a text or a table of plural forms, found {found}"),
                );
            }
        }
    }

    fn insert(&mut self, key: String, message: Message, location: Location) {
        self.catalog.messages.insert(key, (message, location));
    }

    /// Every `{` opens a placeholder `{name}` (letters, digits, `_`), and every `}` closes one.
    fn placeholders(&mut self, key: &str, text: &str, location: &Location) {
        if let Err(at) = check_placeholders(text) {
            self.problem(
                location,
                format!(
                    "\"{key}\": a brace that does not make a placeholder at character {}: write placeholders as {{name}}",
                    at + 1
                ),
            );
        }
    }
}

fn is_form(key: &str) -> bool {
    PLURAL_FORMS.contains(&key)
}

fn is_plural(fields: &[RawEntry]) -> bool {
    fields.iter().all(|f| is_form(&f.key)) && fields.iter().any(|f| f.key == "other")
}

/// `Err(character index)` of the first brace that is not part of a `{name}` placeholder.
fn check_placeholders(text: &str) -> Result<(), usize> {
    let mut open: Option<usize> = None;
    for (index, c) in text.chars().enumerate() {
        match (c, open) {
            ('{', None) => open = Some(index),
            ('}', Some(_)) => open = None,
            ('{' | '}', _) => return Err(index),
            (c, Some(start)) if !(c.is_ascii_alphanumeric() || c == '_') => return Err(start),
            _ => {}
        }
    }
    open.map_or(Ok(()), Err)
}

/// `text` with each `{name}` replaced by the value `args` gives it; a placeholder without a
/// value stays as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(arg, _)| *arg == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Catalog, Vec<String>) {
        let (catalog, problems) = Catalog::parse(text, Path::new("i18n/xx.toml"));
        let messages = problems
            .items()
            .iter()
            .map(|d| {
                let at = d.location.as_ref().map_or((0, 0), |l| (l.line, l.column));
                format!("{}:{}: {}", at.0, at.1, d.message)
            })
            .collect();
        (catalog, messages)
    }

    #[test]
    fn tables_make_dotted_keys_and_inline_forms_make_plurals() {
        let (catalog, problems) = read(
            "[language]\nname = \"Deutsch\"\nformats = \"de\"\n\n[nav]\nstatus = \"Status\"\n\n[index]\nongoing = { one = \"{count} laufender Vorfall\", other = \"{count} laufende Vorfälle\" }\n",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(catalog.language.formats.as_deref(), Some("de"));
        assert_eq!(
            catalog.get("nav.status"),
            Some(&Message::Text("Status".into()))
        );
        let ongoing = catalog.get("index.ongoing").unwrap();
        assert_eq!(ongoing.form("one"), "{count} laufender Vorfall");
        assert_eq!(ongoing.form("few"), "{count} laufende Vorfälle");
        assert_eq!(catalog.messages["index.ongoing"].1.line, 9);
    }

    #[test]
    fn bad_messages_are_reported_at_their_place() {
        let (catalog, problems) = read(
            "[nav]\nstatus = 3\nhistory = \"History {year\"\ncount = { one = \"a\" }\nok = \"fine\"\n",
        );
        assert_eq!(
            problems,
            [
                "2:10: \"nav.status\" must be a text or a table of plural forms, found an integer",
                "3:11: \"nav.history\": a brace that does not make a placeholder at character 9: write placeholders as {name}",
                "4:1: \"nav.count\" mixes plural forms with other keys or lacks `other`: a message that says a count has the forms zero, one, two, few, many, other and always `other`",
            ]
        );
        assert!(catalog.get("nav.ok").is_some());
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill(
                "{count} of {total} days",
                &[("count", "3"), ("total", "90")]
            ),
            "3 of 90 days"
        );
        assert_eq!(fill("{missing} stays", &[]), "{missing} stays");
        assert_eq!(fill("no braces", &[("x", "y")]), "no braces");
        assert_eq!(check_placeholders("a {b} c"), Ok(()));
        assert_eq!(check_placeholders("a {b c}"), Err(2));
        assert_eq!(check_placeholders("a } b"), Err(2));
    }
}
