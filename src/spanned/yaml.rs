//! YAML documents into the spanned tree, with serde-saphyr's positions shifted to file lines.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::{RawEntry, RawNode, RawValue, SyntaxError, first_line};
use crate::diagnostics::{Location, SourceText};

/// How deeply YAML front matter may nest (no postmortem needs more than a few levels).
const MAX_YAML_DEPTH: usize = 32;

/// Parses a YAML document, `text`, whose first line is line `start_line` of the file `source`
/// indexes; it must be a mapping.
pub fn parse_yaml(
    source: &SourceText<'_>,
    text: &str,
    start_line: usize,
) -> Result<Vec<RawEntry>, SyntaxError> {
    let line_shift = start_line - 1;
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
    let parsed: Result<YamlNode, _> = serde_saphyr::from_str_with_options(text, options);
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
