//! Reads a front-matter block (TOML or YAML) into one spanned value tree.
//!
//! Typed validation happens afterwards in `incident.rs`, field by field, so that one file with
//! five mistakes produces five messages, each pointing at its key or value. Both languages end
//! up here with positions as 1-based lines and columns of the Markdown file.
//!
//! YAML is read with a YAML 1.2 parser (serde-saphyr): `10:15` stays a string, `no` stays a
//! string, and duplicate keys are errors. Dates and times are strings in YAML and parsed by
//! `time.rs`; TOML datetimes arrive as their RFC 3339 text marked as [`RawValue::Datetime`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::split::{FrontMatterFormat, SplitFile};
use crate::diagnostics::{Location, SourceText};

/// A value from the front matter with where it stands in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct RawNode {
    pub value: RawValue,
    pub location: Location,
}

/// An untyped front-matter value.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML datetime, as RFC 3339 text (it may lack an offset, a time or a date).
    Datetime(String),
    Array(Vec<RawNode>),
    Table(Vec<RawEntry>),
    Null,
}

impl RawValue {
    /// How the value is described in "expected a string, found an integer".
    pub fn type_name(&self) -> &'static str {
        match self {
            RawValue::String(_) => "a string",
            RawValue::Integer(_) => "an integer",
            RawValue::Float(_) => "a number",
            RawValue::Bool(_) => "a boolean",
            RawValue::Datetime(_) => "a date-time",
            RawValue::Array(_) => "a list",
            RawValue::Table(_) => "a table",
            RawValue::Null => "an empty value",
        }
    }
}

/// `key = value`, with the key's own location for "unknown key" messages.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEntry {
    pub key: String,
    pub key_location: Location,
    pub value: RawNode,
}

/// A syntax error in the block, located in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub location: Location,
}

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
        FrontMatterFormat::Toml => parse_toml(&source, split),
        FrontMatterFormat::Yaml => parse_yaml(&source, split),
    }
}

fn parse_toml(
    source: &SourceText<'_>,
    split: &SplitFile<'_>,
) -> Result<Vec<RawEntry>, SyntaxError> {
    let base = split.front_matter_offset;
    let table = toml::de::DeTable::parse(split.front_matter).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let mut message = first_line(err.message()).to_string();
        if message == "duplicate key" {
            let key = split.front_matter.get(span.clone()).unwrap_or("").trim();
            message = format!("duplicate key \"{key}\"");
        }
        SyntaxError {
            message: format!("TOML syntax error: {message}"),
            location: source.locate(base + span.start, base + span.end),
        }
    })?;
    let mut entries: Vec<RawEntry> = table
        .into_inner()
        .into_iter()
        .map(|(key, value)| toml_entry(source, base, key, value))
        .collect();
    entries.sort_by_key(|e| (e.key_location.line, e.key_location.column));
    Ok(entries)
}

fn toml_entry(
    source: &SourceText<'_>,
    base: usize,
    key: toml::Spanned<toml::de::DeString<'_>>,
    value: toml::Spanned<toml::de::DeValue<'_>>,
) -> RawEntry {
    let span = key.span();
    RawEntry {
        key: key.into_inner().into_owned(),
        key_location: source.locate(base + span.start, base + span.end),
        value: toml_node(source, base, value),
    }
}

fn toml_node(
    source: &SourceText<'_>,
    base: usize,
    node: toml::Spanned<toml::de::DeValue<'_>>,
) -> RawNode {
    use toml::de::DeValue;
    let span = node.span();
    let location = source.locate(base + span.start, base + span.end);
    let value = match node.into_inner() {
        DeValue::String(s) => RawValue::String(s.into_owned()),
        DeValue::Integer(i) => i
            .to_string()
            .replace('_', "")
            .parse::<i64>()
            .map_or_else(|_| RawValue::String(i.to_string()), RawValue::Integer),
        DeValue::Float(f) => f
            .to_string()
            .replace('_', "")
            .parse::<f64>()
            .map_or_else(|_| RawValue::String(f.to_string()), RawValue::Float),
        DeValue::Boolean(b) => RawValue::Bool(b),
        DeValue::Datetime(d) => RawValue::Datetime(d.to_string()),
        DeValue::Array(items) => RawValue::Array(
            items
                .into_iter()
                .map(|item| toml_node(source, base, item))
                .collect(),
        ),
        DeValue::Table(table) => {
            let mut entries: Vec<RawEntry> = table
                .into_iter()
                .map(|(k, v)| toml_entry(source, base, k, v))
                .collect();
            entries.sort_by_key(|e| (e.key_location.line, e.key_location.column));
            RawValue::Table(entries)
        }
    };
    RawNode { value, location }
}

/// How deeply YAML front matter may nest (no postmortem needs more than a few levels).
const MAX_YAML_DEPTH: usize = 32;

fn parse_yaml(
    source: &SourceText<'_>,
    split: &SplitFile<'_>,
) -> Result<Vec<RawEntry>, SyntaxError> {
    let line_shift = split.front_matter_line - 1;
    let locate = |line: u64, column: u64, length: usize| {
        let line = usize::try_from(line).unwrap_or(0).max(1) + line_shift;
        let column = usize::try_from(column).unwrap_or(0).max(1);
        source.locate_line(line, column, length)
    };
    // YAML 1.2 core booleans only: `no`, `on`, `off` and `yes` stay strings.
    // The depth budget keeps the recursive descent well inside a worker thread's stack.
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! { max_depth: MAX_YAML_DEPTH },
    };
    let parsed: Result<YamlNode, _> =
        serde_saphyr::from_str_with_options(split.front_matter, options);
    let root = parsed.map_err(|err| {
        let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
        SyntaxError {
            message: format!("YAML syntax error: {}", yaml_message(&err)),
            location: locate(line, column, 1),
        }
    })?;
    let root = root.into_raw(&locate);
    match root.value {
        RawValue::Table(entries) => Ok(entries),
        RawValue::Null => Ok(Vec::new()),
        other => Err(SyntaxError {
            message: format!(
                "the YAML front matter must be a mapping of `key: value` lines, found {}",
                other.type_name()
            ),
            location: root.location,
        }),
    }
}

/// serde-saphyr's message without its own snippet (we print ours, with file lines).
fn yaml_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let text = first_line(&text);
    if text.starts_with("budget breached: Depth") {
        return format!(
            "the front matter nests more than {MAX_YAML_DEPTH} levels deep; flatten it"
        );
    }
    if text.starts_with("budget breached") {
        return "the front matter expands to too many values through aliases (*name); write the values out".into();
    }
    if let Some(rest) = text.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return format!("duplicate key \"{key}\"");
    }
    // Drop a trailing " at line X column Y": our location says it with the real file line.
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text.to_string(),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// The YAML tree as serde-saphyr hands it over, before locations are shifted to file lines.
struct YamlNode {
    value: YamlValue,
    line: u64,
    column: u64,
    length: usize,
}

enum YamlValue {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<YamlNode>),
    Table(Vec<(YamlNode, YamlNode)>),
    Null,
}

impl YamlNode {
    fn into_raw(self, locate: &dyn Fn(u64, u64, usize) -> Location) -> RawNode {
        let location = locate(self.line, self.column, self.length);
        let value = match self.value {
            YamlValue::String(s) => RawValue::String(s),
            YamlValue::Integer(i) => RawValue::Integer(i),
            YamlValue::Float(f) => RawValue::Float(f),
            YamlValue::Bool(b) => RawValue::Bool(b),
            YamlValue::Null => RawValue::Null,
            YamlValue::Array(items) => {
                RawValue::Array(items.into_iter().map(|i| i.into_raw(locate)).collect())
            }
            YamlValue::Table(entries) => RawValue::Table(
                entries
                    .into_iter()
                    .map(|(key, value)| {
                        let key = key.into_raw(locate);
                        let name = match key.value {
                            RawValue::String(s) => s,
                            RawValue::Integer(i) => i.to_string(),
                            RawValue::Float(f) => f.to_string(),
                            RawValue::Bool(b) => b.to_string(),
                            _ => String::new(),
                        };
                        RawEntry {
                            key: name,
                            key_location: key.location,
                            value: value.into_raw(locate),
                        }
                    })
                    .collect(),
            ),
        };
        RawNode { value, location }
    }
}

impl<'de> Deserialize<'de> for YamlNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<YamlValue>::deserialize(deserializer)?;
        let length = match &spanned.value {
            YamlValue::String(s) => s.chars().count(),
            YamlValue::Integer(i) => i.to_string().len(),
            YamlValue::Bool(b) => b.to_string().len(),
            _ => 1,
        };
        Ok(YamlNode {
            line: spanned.referenced.line(),
            column: spanned.referenced.column(),
            length,
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlValueVisitor)
    }
}

struct YamlValueVisitor;

impl<'de> Visitor<'de> for YamlValueVisitor {
    type Value = YamlValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<YamlValue, E> {
        Ok(YamlValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<YamlValue, E> {
        Ok(YamlValue::Integer(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlValue, E> {
        i64::try_from(v)
            .map(YamlValue::Integer)
            .map_err(|_| E::custom("integer too large"))
    }
    fn visit_f64<E>(self, v: f64) -> Result<YamlValue, E> {
        Ok(YamlValue::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v))
    }
    fn visit_unit<E>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }
    fn visit_none<E>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlValue, D::Error> {
        YamlValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YamlValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<YamlNode>()? {
            items.push(item);
        }
        Ok(YamlValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<YamlNode>()? {
            let value = map.next_value::<YamlNode>()?;
            entries.push((key, value));
        }
        Ok(YamlValue::Table(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::split::split_front_matter;

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
