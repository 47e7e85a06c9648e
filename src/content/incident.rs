//! The postmortem schema: from raw front-matter entries to a validated [`Incident`].
//!
//! This is the contract documented in `docs/front-matter.md`. Every key is checked on its own
//! and every problem becomes a [`Diagnostic`] at the key or value it is about, so a file with
//! several mistakes reports all of them. All instants are converted to UTC here, once.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::actions::ActionItem;
use super::detection::detection;
use super::fields::Located;
use super::impact::{ImpactWindow, WrittenWindow, place_windows};
use super::limits;
use super::outline::{ActionItems, TimelineEvent, read_outline};
use super::timeline_checks::{timeline_problems, whole_line};
use crate::config::Config;
use crate::diagnostics::{Check, Diagnostic, Location};
use crate::spanned::checker::Checker;
use crate::spanned::{RawEntry, RawValue, to_json};
use crate::text::slug::slug_from_file_stem;

/// Whether an entry is an unplanned incident or planned maintenance.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Incident,
    Maintenance,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Maintenance => "maintenance",
        }
    }
}

/// One postmortem, validated, with all instants in UTC. (Serialized only into the build
/// cache, `parsed_store.rs`; the JSON API has its own shapes.)
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Incident {
    /// The URL slug, unique in the site; also the `id` in the JSON API.
    pub id: String,
    /// The file, relative to the site root.
    pub source: std::path::PathBuf,
    pub title: String,
    pub summary: Option<String>,
    pub start: DateTime<Utc>,
    /// As written; `None` while ongoing. See `stats::Timeline` for the end as of the build.
    pub end: Option<DateTime<Utc>>,
    pub detected: Option<DateTime<Utc>>,
    /// Share of users affected, in basis points (10000 = 100 %), so sums stay exact integers.
    pub impact_basis_points: u32,
    /// Whether the front matter gave `impact` (otherwise it counts as 100 %, unstated).
    pub impact_stated: bool,
    /// Which services it affected when and how much: its `[[impact]]` windows, or one window
    /// over the whole incident and all its services at `impact`. Never empty;
    /// `impact_basis_points` is the largest of their impacts.
    pub impact_windows: Vec<ImpactWindow>,
    /// Whether `impact` was written as `[[impact]]` windows.
    pub impact_by_window: bool,
    /// The services of the `services` key and of the windows, in that order, each once.
    pub services: Vec<String>,
    pub severity: Option<String>,
    pub kind: Kind,
    pub tags: Vec<String>,
    pub draft: bool,
    /// `visibility = "internal"`: left out of the public edition entirely.
    pub internal: bool,
    pub extra: serde_json::Value,
    /// The Markdown after the front matter (shared: incidents are cloned between rebuilds).
    pub body: std::sync::Arc<str>,
    /// 1-based line of the file where `body` starts (timeline events give file lines).
    pub body_line: usize,
    /// The timeline read from the body (advisory; see `outline.rs`).
    pub timeline: Vec<TimelineEvent>,
    pub action_items: ActionItems,
    /// The task-list items of the action-items section, with owner, due date and link.
    pub actions: Vec<ActionItem>,
    /// `detected` was not in the front matter but taken from the timeline.
    pub detected_from_timeline: bool,
    /// Where `detected` was read: its front-matter value or its timeline line.
    pub detected_location: Option<Location>,
    /// A hash of the file's text: with the configuration, it determines everything above.
    pub fingerprint: u64,
}

/// The keys a postmortem may use, for "did you mean" hints.
pub const KEYS: &[&str] = &[
    "title",
    "start",
    "end",
    "duration",
    "detected",
    "timezone",
    "impact",
    "services",
    "severity",
    "kind",
    "summary",
    "tags",
    "slug",
    "draft",
    "visibility",
    "extra",
];

/// Builds an incident from the entries of one file; `None` if any error was found.
pub struct IncidentBuilder<'a> {
    pub config: &'a Config,
    pub file: &'a Path,
    /// The whole file, for snippets of body lines.
    pub text: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
    /// Location of the opening delimiter, for problems about keys that are missing.
    pub block_location: Location,
}

/// The front-matter values of one file as read, each with its default, before the checks
/// that involve several keys.
struct Fields {
    title: Option<String>,
    start: Option<Located>,
    end: Option<Located>,
    duration: Option<(i64, Location)>,
    detected: Option<Located>,
    impact: u32,
    impact_stated: bool,
    /// `impact` written as `[[impact]]` tables.
    windows: Vec<WrittenWindow>,
    /// The windows placed in the incident (see `impact::place_windows`).
    placed: Vec<ImpactWindow>,
    impact_by_window: bool,
    services: Vec<String>,
    severity: Option<String>,
    kind: Kind,
    summary: Option<String>,
    tags: Vec<String>,
    slug: Option<String>,
    draft: bool,
    /// `visibility = "internal"`: only the internal edition has it.
    internal: bool,
    extra: serde_json::Value,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            title: None,
            start: None,
            end: None,
            duration: None,
            detected: None,
            impact: 10_000,
            impact_stated: false,
            windows: Vec::new(),
            placed: Vec::new(),
            impact_by_window: false,
            services: Vec::new(),
            severity: None,
            kind: Kind::Incident,
            summary: None,
            tags: Vec::new(),
            slug: None,
            draft: false,
            internal: false,
            extra: serde_json::Value::Object(serde_json::Map::new()),
        }
    }
}

impl IncidentBuilder<'_> {
    pub fn build(&self, entries: &[RawEntry], body: &str) -> (Option<Incident>, Vec<Diagnostic>) {
        let mut out = Checker {
            file: self.file,
            problems: Vec::new(),
        };
        let zone_entry = entries.iter().find(|e| e.key == "timezone");
        let zone = match zone_entry {
            Some(entry) => out.timezone(entry).unwrap_or(self.config.timezone),
            None => self.config.timezone,
        };
        let zone_source = if zone_entry.is_some() {
            "the file's timezone"
        } else {
            "the site timezone"
        };
        let mut fields = Fields::default();
        for entry in entries {
            self.read_entry(entry, &mut fields, &mut out, (zone, zone_source));
        }
        self.report_missing(entries, &fields, &mut out.problems);
        let end = out.interval(
            fields.start.as_ref(),
            fields.end.take(),
            fields.duration.take(),
            fields.detected.as_ref(),
            self.config.max_incident_seconds,
        );
        let id = self.id(fields.slug.take(), &mut out.problems);
        let windows = fields.start.as_ref().map(|(start, _)| {
            let services_entry = entries.iter().find(|e| e.key == "services");
            let (windows, problems) = place_windows(
                std::mem::take(&mut fields.windows),
                (*start, end.as_ref().map(|(e, _)| *e)),
                (&fields.services, services_entry),
                fields.impact,
                self.file,
            );
            out.problems.extend(problems);
            windows
        });
        for window in windows.iter().flatten() {
            for service in &window.services {
                if !fields.services.contains(service) {
                    fields.services.push(service.clone());
                }
            }
        }
        out.problems.extend(limits::limit_problems(
            self.file,
            entries,
            &self.block_location,
            &id,
            fields.services.len(),
            fields.tags.len(),
        ));
        let body_offset = self.text.len() - body.len();
        out.problems.extend(limits::html_nesting(
            self.file,
            self.text,
            body,
            body_offset,
        ));
        if out.problems.iter().any(Diagnostic::is_error) {
            return (None, out.problems);
        }
        fields.placed = windows.unwrap_or_default();
        let Some(body) = self.body_for_audience(body, &mut out.problems) else {
            return (None, out.problems);
        };
        let incident = self.assemble(
            id,
            fields,
            end.map(|(e, _)| e),
            &body,
            zone,
            &mut out.problems,
        );
        (incident, out.problems)
    }

    /// The body with the internal blocks the audience may not see emptied, or `None` (with the
    /// problems) when a marker is wrong.
    fn body_for_audience<'b>(
        &self,
        body: &'b str,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<std::borrow::Cow<'b, str>> {
        let (body, markers) = super::internal::body_for(
            body,
            self.config.audience,
            self.file,
            self.text,
            self.body_line,
        );
        let fine = markers.is_empty();
        problems.extend(markers);
        fine.then_some(body)
    }

    /// Reads one key into `fields`, reporting a bad value or an unknown key.
    fn read_entry(
        &self,
        entry: &RawEntry,
        fields: &mut Fields,
        out: &mut Checker<'_>,
        (zone, zone_source): (chrono_tz::Tz, &str),
    ) {
        let node = &entry.value;
        match entry.key.as_str() {
            "title" => fields.title = out.text(entry, true),
            "summary" => fields.summary = out.text(entry, false),
            "start" | "end" | "detected" => {
                if let Some(at) = out.instant(entry, zone, zone_source) {
                    let located = Some((at, node.location.clone()));
                    match entry.key.as_str() {
                        "start" => fields.start = located,
                        "end" => fields.end = located,
                        _ => fields.detected = located,
                    }
                }
            }
            "duration" => {
                fields.duration = out.duration(entry).map(|d| (d, entry.key_location.clone()));
            }
            "timezone" => {}
            "impact" if matches!(node.value, RawValue::Array(_)) => {
                fields.windows = out.impact_windows(entry, self.config, (zone, zone_source));
                let peak = fields.windows.iter().map(WrittenWindow::basis_points).max();
                fields.impact = peak.unwrap_or(fields.impact);
                fields.impact_stated = true;
                fields.impact_by_window = true;
            }
            "impact" => {
                fields.impact = out.impact(entry).unwrap_or(fields.impact);
                fields.impact_stated = true;
            }
            "services" => fields.services = out.services(entry, self.config),
            "severity" => {
                fields.severity =
                    out.one_of(entry, &self.config.severities, ("severity", "severities"));
            }
            "kind" => {
                let kinds = ["incident".to_string(), "maintenance".to_string()];
                fields.kind = match out.one_of(entry, &kinds, ("kind", "kinds")).as_deref() {
                    Some("maintenance") => Kind::Maintenance,
                    _ => Kind::Incident,
                };
            }
            "tags" => fields.tags = out.strings(entry),
            "slug" => fields.slug = out.slug(entry),
            "draft" => match node.value {
                RawValue::Bool(b) => fields.draft = b,
                _ => out.expected(entry, "true or false"),
            },
            "visibility" => {
                let values = ["public".to_string(), "internal".to_string()];
                let visibility = out.one_of(entry, &values, ("visibility", "visibilities"));
                fields.internal = visibility.as_deref() == Some("internal");
            }
            "extra" => match &node.value {
                RawValue::Table(_) => fields.extra = to_json(&node.value),
                _ => out.expected(entry, "a table of your own keys"),
            },
            _ => out.unknown_key(entry, KEYS, || {
                "put your own keys under [extra] (TOML) or extra: (YAML)".to_string()
            }),
        }
    }

    /// `title` and `start` are required (a key that is written but wrong was reported already).
    fn report_missing(
        &self,
        entries: &[RawEntry],
        fields: &Fields,
        problems: &mut Vec<Diagnostic>,
    ) {
        let missing = [
            ("title", fields.title.is_none()),
            ("start", fields.start.is_none()),
        ];
        for (key, missing) in missing {
            let written = entries.iter().any(|e| e.key == key);
            if missing && !written {
                problems.push(
                    Diagnostic::new(
                        Check::MissingKey,
                        self.file,
                        format!("missing required key \"{key}\""),
                    )
                    .at(Some(self.block_location.clone()))
                    .with_hint(match key {
                        "title" => "add a line like title = \"Checkout unavailable\"",
                        _ => "add when user impact began, like start = 2024-05-06T14:30:00Z",
                    }),
                );
            }
        }
    }

    /// The URL slug: `slug` if given, else from the file name; empty is an error.
    fn id(&self, slug: Option<String>, problems: &mut Vec<Diagnostic>) -> String {
        let stem = self.file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let id = slug.unwrap_or_else(|| slug_from_file_stem(stem));
        if id.is_empty() {
            problems.push(
                Diagnostic::new(
                    Check::InvalidSlug,
                    self.file,
                    "the file name gives an empty URL slug",
                )
                .at(Some(self.block_location.clone()))
                .with_hint("rename the file or add slug = \"short-name\""),
            );
        }
        id
    }

    /// The incident from valid fields: the body's outline read and checked, and `detected` taken
    /// from the timeline when the front matter has none.
    fn assemble(
        &self,
        id: String,
        fields: Fields,
        end: Option<DateTime<Utc>>,
        body: &str,
        zone: chrono_tz::Tz,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Incident> {
        let (Some(title), Some((start, _))) = (fields.title, fields.start) else {
            return None;
        };
        let outline = read_outline(body, self.body_line, start, zone);
        problems.extend(timeline_problems(
            self.file, self.text, &outline, start, end,
        ));
        problems.extend(outline.bad_due.iter().map(|bad| bad.diagnostic(self.file)));
        let mut detected_location = fields.detected.as_ref().map(|(_, l)| l.clone());
        let mut detected = fields.detected.map(|(d, _)| d);
        let mut detected_from_timeline = false;
        if detected.is_none()
            && fields.kind == Kind::Incident
            && self.config.detect_from_timeline
            && let Some(event) = detection(&outline.timeline, start)
        {
            detected = Some(event.at);
            detected_from_timeline = true;
            detected_location = Some(whole_line(self.text, event.line));
        }
        Some(Incident {
            id,
            source: self.file.to_path_buf(),
            title,
            summary: fields.summary,
            start,
            end,
            detected,
            impact_basis_points: fields.impact,
            impact_stated: fields.impact_stated,
            impact_windows: fields.placed,
            impact_by_window: fields.impact_by_window,
            services: fields.services,
            severity: fields.severity,
            kind: fields.kind,
            tags: fields.tags,
            draft: fields.draft,
            internal: fields.internal,
            extra: fields.extra,
            body: std::sync::Arc::from(body),
            body_line: self.body_line,
            timeline: outline.timeline,
            action_items: outline.action_items,
            actions: outline.actions,
            detected_from_timeline,
            detected_location,
            fingerprint: {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::hash::DefaultHasher::new();
                self.text.hash(&mut hasher);
                hasher.finish()
            },
        })
    }
}
