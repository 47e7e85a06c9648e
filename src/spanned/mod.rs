//! Spanned values: TOML and YAML read into one tree in which every key and value knows its
//! line and column, and the per-key checks that read typed values out of it.
//!
//! Front matter (`content/`) and `aftermath.toml` (`config.rs`) both go through this tree, so a
//! problem in either is reported the same way: at the very key or value it is about, every
//! problem of a file in one run, with no parsing of a library's English messages. Typed
//! validation happens key by key afterwards ([`checker::Checker`]), so a file with five mistakes
//! gives five messages.
//!
//! YAML is read with a YAML 1.2 parser (serde-saphyr): `10:15` stays a string, `no` stays a
//! string, and duplicate keys are errors. TOML datetimes arrive as their RFC 3339 text marked as
//! [`RawValue::Datetime`].

pub mod checker;
mod yaml;

use crate::diagnostics::{Location, SourceText};

pub use yaml::parse_yaml;

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

/// Parses a TOML document, `text`, that starts at byte `base` of the file `source` indexes.
pub fn parse_toml(
    source: &SourceText<'_>,
    text: &str,
    base: usize,
) -> Result<Vec<RawEntry>, SyntaxError> {
    let table = toml::de::DeTable::parse(text).map_err(|err| {
        let span = err.span().unwrap_or(0..0);
        let mut message = first_line(err.message()).to_string();
        if message == "duplicate key" {
            let key = text.get(span.clone()).unwrap_or("").trim();
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

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

pub fn describe(value: &RawValue) -> String {
    match value {
        RawValue::String(s) => format!("\"{s}\""),
        RawValue::Integer(i) => format!("the integer {i}"),
        RawValue::Float(f) => format!("the number {f}"),
        RawValue::Bool(b) => format!("the boolean {b}"),
        RawValue::Datetime(d) => format!("the date-time {d}"),
        other => other.type_name().to_string(),
    }
}

/// Converts a raw value to JSON for `extra` (dates become their text).
pub fn to_json(value: &RawValue) -> serde_json::Value {
    use serde_json::Value;
    match value {
        RawValue::String(s) | RawValue::Datetime(s) => Value::String(s.clone()),
        RawValue::Integer(i) => Value::from(*i),
        RawValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        RawValue::Bool(b) => Value::Bool(*b),
        RawValue::Null => Value::Null,
        RawValue::Array(items) => Value::Array(items.iter().map(|n| to_json(&n.value)).collect()),
        RawValue::Table(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.clone(), to_json(&e.value.value)))
                .collect(),
        ),
    }
}
