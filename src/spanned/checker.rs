//! Per-key checks: each reads one spanned value, records every problem as a diagnostic at that
//! value, and returns what it could read, so the caller goes on with the next key.
//!
//! The checks shared by front matter and `aftermath.toml` are here; `content/fields.rs` adds
//! those only postmortems need (times, impact, services) as a second `impl Checker`.

use std::path::Path;

use chrono_tz::Tz;

use super::{RawEntry, RawNode, RawValue, describe};
use crate::diagnostics::{Check, Diagnostic};
use crate::suggest::did_you_mean;

/// Field checks that record problems as they go.
pub struct Checker<'a> {
    pub file: &'a Path,
    pub problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub fn error(&mut self, check: Check, node: &RawNode, message: String) {
        self.problems
            .push(Diagnostic::new(check, self.file, message).at(Some(node.location.clone())));
    }

    /// `unknown key "x"` at the key, with the closest known key as the hint, or `otherwise`.
    pub fn unknown_key(
        &mut self,
        entry: &RawEntry,
        known: &[&str],
        otherwise: impl FnOnce() -> String,
    ) {
        let hint = did_you_mean(&entry.key, known.iter().copied()).unwrap_or_else(otherwise);
        self.problems.push(
            Diagnostic::new(
                Check::UnknownKey,
                self.file,
                format!("unknown key \"{}\"", entry.key),
            )
            .at(Some(entry.key_location.clone()))
            .with_hint(hint),
        );
    }

    pub fn expected(&mut self, entry: &RawEntry, what: &str) {
        let found = describe(&entry.value.value);
        self.error(
            Check::InvalidValue,
            &entry.value,
            format!("\"{}\": expected {what}, found {found}", entry.key),
        );
    }

    /// A `true` or `false`, or an error naming what was found instead.
    pub fn boolean(&mut self, entry: &RawEntry) -> Option<bool> {
        match entry.value.value {
            RawValue::Bool(value) => Some(value),
            _ => {
                self.expected(entry, "true or false");
                None
            }
        }
    }

    pub fn text(&mut self, entry: &RawEntry, required: bool) -> Option<String> {
        match &entry.value.value {
            RawValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            RawValue::String(_) if !required => None,
            RawValue::String(_) => {
                self.error(
                    Check::InvalidValue,
                    &entry.value,
                    format!("\"{}\" must not be empty", entry.key),
                );
                None
            }
            _ => {
                self.expected(entry, "a string in quotes");
                None
            }
        }
    }

    pub fn timezone(&mut self, entry: &RawEntry) -> Option<Tz> {
        let RawValue::String(name) = &entry.value.value else {
            self.expected(entry, "an IANA time zone name like \"Europe/Berlin\"");
            return None;
        };
        match name.parse::<Tz>() {
            Ok(zone) => Some(zone),
            Err(_) => {
                let hint = did_you_mean(name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()));
                let mut d = Diagnostic::new(
                    Check::UnknownTimeZone,
                    self.file,
                    format!("\"timezone\": \"{name}\" is not an IANA time zone name"),
                )
                .at(Some(entry.value.location.clone()));
                d = d.with_hint(hint.unwrap_or_else(|| {
                    "use a name like \"UTC\", \"Europe/Berlin\" or \"America/New_York\"".into()
                }));
                self.problems.push(d);
                None
            }
        }
    }

    pub fn strings(&mut self, entry: &RawEntry) -> Vec<String> {
        let RawValue::Array(items) = &entry.value.value else {
            self.expected(entry, "a list of strings like [\"a\", \"b\"]");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match &item.value {
                RawValue::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                other => {
                    let found = describe(other);
                    self.error(
                        Check::InvalidValue,
                        item,
                        format!(
                            "\"{}\": expected each item to be a non-empty string, found {found}",
                            entry.key
                        ),
                    );
                }
            }
        }
        out
    }

    pub fn one_of(
        &mut self,
        entry: &RawEntry,
        allowed: &[String],
        (what, whats): (&str, &str),
    ) -> Option<String> {
        let RawValue::String(value) = &entry.value.value else {
            self.expected(entry, &format!("one of: {}", allowed.join(", ")));
            return None;
        };
        if allowed.iter().any(|a| a == value) {
            return Some(value.clone());
        }
        let hint = did_you_mean(value, allowed.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the site's {whats} are: {}", allowed.join(", ")));
        self.problems.push(
            Diagnostic::new(
                Check::UnknownValue,
                self.file,
                format!("\"{}\": unknown {what} \"{value}\"", entry.key),
            )
            .at(Some(entry.value.location.clone()))
            .with_hint(hint),
        );
        None
    }
}
