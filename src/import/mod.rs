//! `aftermath import`: turn existing postmortems into postmortems with front matter.
//!
//! Free-form text or Markdown (see `extract.rs`), and cState and Statusfy incident files (see
//! `formats.rs`), become one Markdown file each in the site, with the original body kept (less
//! lines that are clearly not part of it); a Statuspage API export (see `statuspage.rs`) or
//! history feed (`statuspage_feed.rs`) becomes one file per incident. Input that no format
//! recognises (other JSON, other XML, HTML, binary) is
//! refused, never turned into a plausible-looking postmortem. Every field is written with where
//! it came from; what could not be determined is written as a commented `TODO` line, never
//! guessed, so that `aftermath check` shows what is left to fix. Existing files are never
//! overwritten, and slugs are never reused.

pub mod cleanup;
mod component_windows;
pub mod extract;
pub mod formats;
mod markdown_text;
pub mod moments;
mod reshape;
mod stated_window;
pub mod statuspage;
pub mod statuspage_feed;
mod write;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::Config;
use crate::content::split::split_front_matter;
use crate::output::{OutputError, create_new};
use crate::text::slug::{slug_from_file_stem, slugify};
use crate::text::time::duration_label;
use write::front_matter;

/// What was read from one input, before it is written. Each value carries where it came from.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub title: Option<(String, String)>,
    pub summary: Option<String>,
    pub start: Option<(DateTime<Utc>, String)>,
    pub end: Option<(DateTime<Utc>, String)>,
    /// Written in this zone (a name found in the text), as local times.
    pub timezone: Option<(Tz, String)>,
    pub impact: Option<(f64, String)>,
    pub services: Vec<(String, String)>,
    pub severity: Option<(String, String)>,
    pub kind: Option<(String, String)>,
    /// Impact per service and window (from Statuspage component statuses).
    pub impact_windows: Vec<component_windows::DraftWindow>,
    pub ongoing: bool,
    pub body: String,
    /// Things the report should say: disagreements, assumptions, unknown services.
    pub notes: Vec<String>,
    /// Lines of the input left out of the body, and why.
    pub left_out: Vec<(usize, &'static str)>,
}

/// The outcome for one input file.
#[derive(Debug)]
pub struct Imported {
    pub source: PathBuf,
    /// The incident within the source, for exports that hold many (`incidents[3]`).
    pub part: Option<String>,
    /// The file written, relative to the site root; `None` if nothing was written.
    pub written: Option<PathBuf>,
    /// `(field, value, where)` for every field found.
    pub found: Vec<(&'static str, String, String)>,
    pub missing: Vec<&'static str>,
    pub notes: Vec<String>,
    pub left_out: Vec<(usize, &'static str)>,
    pub problem: Option<String>,
}

/// The declared service `word` names, by name or alias, allowing one typo in longer words.
pub fn match_service(word: &str, config: &Config) -> Option<String> {
    let word = word.trim().to_lowercase();
    config.services.iter().find_map(|service| {
        std::iter::once(&service.name)
            .chain(&service.aliases)
            .any(|name| {
                let name = name.to_lowercase();
                name == word || (name.len() >= 5 && strsim::levenshtein(&name, &word) <= 1)
            })
            .then(|| service.name.clone())
    })
}

/// The largest file `import` reads: far above any postmortem, and it bounds the work.
pub const MAX_IMPORT_BYTES: u64 = 16 << 20;

/// The longest slug `import` writes in a file name (a long first line must not become a file
/// name the file system refuses).
const MAX_IMPORTED_SLUG: usize = 80;

/// `slug` cut to [`MAX_IMPORTED_SLUG`] characters at a dash where there is one.
fn short_slug(slug: &str) -> String {
    if slug.len() <= MAX_IMPORTED_SLUG {
        return slug.to_string();
    }
    let cut = &slug[..MAX_IMPORTED_SLUG];
    cut.rfind('-')
        .filter(|&i| i > MAX_IMPORTED_SLUG / 2)
        .map_or(cut, |i| &cut[..i])
        .to_string()
}

/// Every file to import: the files given, and the `.md`, `.markdown` and `.txt` files in the
/// folders given (sorted).
pub fn inputs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            for entry in walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                let is_text = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| {
                        ["md", "markdown", "txt"].contains(&e.to_ascii_lowercase().as_str())
                    });
                if entry.file_type().is_file() && is_text {
                    files.push(entry.path().to_path_buf());
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    files
}

/// Which format to read inputs as: `Auto` recognises each from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Auto,
    Text,
    Cstate,
    Statusfy,
    Statuspage,
}

/// What an input is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Json,
    Xml,
    Html,
    Text,
}

fn shape_of(text: &str) -> Shape {
    let start = text.trim_start();
    let head: String = start
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    if start.starts_with('{') || start.starts_with('[') {
        Shape::Json
    } else if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Shape::Html
    } else if head.starts_with("<?xml") || head.starts_with("<feed") || head.starts_with("<rss") {
        Shape::Xml
    } else {
        Shape::Text
    }
}

/// Imports files into one site, keeping every slug it writes unique against the site's content
/// and against what it wrote before.
pub struct Importer<'a> {
    pub root: &'a Path,
    pub into: &'a Path,
    pub config: &'a Config,
    pub format: ImportFormat,
    /// The URL slugs taken: by files under `content/`, and by those written in this run.
    taken: std::collections::BTreeSet<String>,
    /// The files written in this run.
    written: std::collections::BTreeSet<PathBuf>,
}

impl<'a> Importer<'a> {
    pub fn new(root: &'a Path, into: &'a Path, config: &'a Config, format: ImportFormat) -> Self {
        let taken = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| e.path().file_stem()?.to_str().map(slug_from_file_stem))
            .collect();
        Importer {
            root,
            into,
            config,
            format,
            taken,
            written: std::collections::BTreeSet::new(),
        }
    }

    /// Imports `source`: one outcome per postmortem written or refused.
    pub fn import(&mut self, source: &Path) -> Vec<Imported> {
        let outcome = outcome_for(source);
        let refuse = |mut outcome: Imported, problem: String| {
            outcome.problem = Some(problem);
            vec![outcome]
        };
        let text = match read_input(source) {
            Ok(text) => text,
            Err(problem) => return refuse(outcome, problem),
        };
        match (self.format, shape_of(&text)) {
            (ImportFormat::Auto | ImportFormat::Statuspage, shape @ (Shape::Json | Shape::Xml)) => {
                let (read, what) = if shape == Shape::Json {
                    (statuspage::drafts(&text, self.config), "incident")
                } else {
                    (statuspage_feed::drafts(&text, self.config), "feed entry")
                };
                match read {
                    Ok(drafts) => drafts
                        .into_iter()
                        .map(|(part, mut draft)| {
                            draft
                                .notes
                                .insert(0, format!("read as a Statuspage {what}"));
                            let mut each = outcome_for(source);
                            each.part = Some(part);
                            write_draft(self, source, draft, each)
                        })
                        .collect(),
                    Err(problem) => refuse(outcome, problem),
                }
            }
            (format, shape @ (Shape::Json | Shape::Xml | Shape::Html)) => {
                refuse(outcome, refusal(format, shape).into())
            }
            (ImportFormat::Statuspage, Shape::Text) => refuse(
                outcome,
                refusal(ImportFormat::Statuspage, Shape::Text).into(),
            ),
            (_, Shape::Text) => match self.text_draft(&text) {
                Ok(draft) => vec![write_draft(self, source, draft, outcome)],
                Err(problem) => refuse(outcome, problem),
            },
        }
    }

    /// A text input's draft: a cState or Statusfy file by its front matter, else free-form.
    fn text_draft(&self, text: &str) -> Result<Draft, String> {
        let Ok(split) = split_front_matter(text) else {
            return Ok(from_free_form(text, self.config));
        };
        if self.format == ImportFormat::Text {
            return Ok(from_free_form(text, self.config));
        }
        let entries = crate::content::raw::parse_front_matter(text, &split).ok();
        let format = match self.format {
            ImportFormat::Cstate => Some(formats::Format::Cstate),
            ImportFormat::Statusfy => Some(formats::Format::Statusfy),
            _ => entries.as_deref().and_then(formats::detect),
        };
        match (format, entries) {
            (Some(format), Some(entries)) => {
                let mut draft = formats::map(format, &entries, split.body, self.config);
                draft
                    .notes
                    .insert(0, format!("read as a {} incident file", format.name()));
                Ok(draft)
            }
            _ => Err(
                "it already has front matter that is neither cState nor Statusfy; nothing to import"
                    .into(),
            ),
        }
    }
}

/// Why an input of this shape is not read in this format.
fn refusal(format: ImportFormat, shape: Shape) -> &'static str {
    match (format, shape) {
        (ImportFormat::Statuspage, _) => {
            "neither JSON nor a feed: --from statuspage reads Statuspage's API exports (/api/v2/incidents.json, /api/v2/scheduled-maintenances.json) and its history feed (/history.atom, /history.rss); nothing was written"
        }
        (_, Shape::Json) => "JSON, which only --from statuspage reads; nothing was written",
        (_, Shape::Xml) => {
            "an XML document, which only --from statuspage reads (a Statuspage history feed); nothing was written"
        }
        _ => {
            "an HTML page, which no format reads: save the postmortem as text or Markdown; nothing was written"
        }
    }
}

/// A fresh outcome for a postmortem of `source`.
fn outcome_for(source: &Path) -> Imported {
    Imported {
        source: source.to_path_buf(),
        part: None,
        written: None,
        found: Vec::new(),
        missing: Vec::new(),
        notes: Vec::new(),
        left_out: Vec::new(),
        problem: None,
    }
}

/// The text of an input, or why it is not read: not a regular file, too large, binary.
fn read_input(source: &Path) -> Result<String, String> {
    match std::fs::metadata(source) {
        Ok(metadata) if !metadata.is_file() => {
            return Err(
                "not a regular file (a folder, a pipe or a device); nothing was read".into(),
            );
        }
        Ok(metadata) if metadata.len() > MAX_IMPORT_BYTES => {
            return Err(format!(
                "{} bytes is more than a postmortem ({} MiB at most); nothing was read",
                metadata.len(),
                MAX_IMPORT_BYTES >> 20
            ));
        }
        _ => {}
    }
    match std::fs::read(source).map(String::from_utf8) {
        Ok(Ok(text)) if text.contains('\0') => {
            Err("binary data, not text; nothing was written".into())
        }
        Ok(Ok(text)) => Ok(text.trim_start_matches('\u{feff}').to_string()),
        Ok(Err(_)) => Err("not UTF-8 text (binary data?); nothing was written".into()),
        Err(err) => Err(format!("cannot read it: {err}")),
    }
}

/// Turns what `extract` found into a draft: instants, zone, and the cross-check of the stated
/// duration against start and end.
fn from_free_form(text: &str, config: &Config) -> Draft {
    let found = extract::extract(text, config);
    let written_zone = found.timezone.as_ref().map(|t| t.value);
    let zone = written_zone.unwrap_or(config.timezone);
    let origin = |line: usize, how: &str| format!("line {line}, {how}");
    let mut draft = Draft {
        title: found
            .title
            .as_ref()
            .map(|t| (t.value.clone(), origin(t.line, t.how))),
        timezone: found
            .timezone
            .as_ref()
            .map(|t| (t.value, origin(t.line, t.how))),
        impact: found
            .impact
            .as_ref()
            .map(|i| (i.value, origin(i.line, i.how))),
        services: found
            .services
            .iter()
            .map(|s| {
                (
                    s.value.0.clone(),
                    origin(s.line, &format!("\"{}\"", s.value.1)),
                )
            })
            .collect(),
        left_out: found.left_out.clone(),
        ..Draft::default()
    };
    let mut zoneless = false;
    for (slot, moment) in [
        (&mut draft.start, &found.start),
        (&mut draft.end, &found.end),
    ] {
        if let Some(moment) = moment {
            zoneless |= moment.value.offset.is_none();
            *slot = moment
                .value
                .utc(zone)
                .map(|at| (at, origin(moment.line, moment.how)));
        }
    }
    if zoneless && written_zone.is_none() {
        draft.notes.push(format!(
            "no time zone found: times were read as {} (the site timezone)",
            config.timezone
        ));
    }
    if let (Some((start, _)), Some((end, _)), Some(stated)) =
        (&draft.start, &draft.end, &found.stated_duration)
    {
        let computed = (*end - *start).num_seconds();
        let tolerance = (computed / 10).max(300);
        if (computed - stated.value).abs() > tolerance {
            draft.notes.push(format!(
                "the stated duration ({}, line {}) disagrees with start and end ({})",
                duration_label(stated.value),
                stated.line,
                duration_label(computed)
            ));
        }
    }
    let skipped: std::collections::BTreeSet<usize> =
        found.left_out.iter().map(|(line, _)| *line).collect();
    let kept: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(number, _)| !skipped.contains(number))
        .collect();
    let start_date = draft
        .start
        .as_ref()
        .map(|(at, _)| at.with_timezone(&zone).date_naive());
    draft.body = reshape::reshape(&kept, &found.title_lines, start_date);
    draft
}

/// Writes `draft` as a new postmortem under `into` (never over an existing file), with a slug
/// no other postmortem of the site has: `-2`, `-3`... is added when it is taken, and the report
/// says so. A file of the same date and slug that was there before is the same incident imported
/// again: it is refused, not duplicated.
fn write_draft(
    importer: &mut Importer<'_>,
    source: &Path,
    mut draft: Draft,
    mut outcome: Imported,
) -> Imported {
    let config = importer.config;
    let zone = draft.timezone.as_ref().map_or(config.timezone, |t| t.0);
    let (prefix, slug) = file_name(&draft, source, zone);
    let mut unique = slug.clone();
    let mut number = 1;
    let path_of = |slug: &str| importer.into.join(format!("{prefix}{slug}.md"));
    loop {
        let path = importer.root.join(path_of(&unique));
        // The same date and title as a file that was there before this run: the same incident
        // imported again, which `create_new` refuses below.
        let imported_before = path.exists() && !importer.written.contains(&path);
        if imported_before || !importer.taken.contains(&unique) {
            break;
        }
        number += 1;
        unique = format!("{slug}-{number}");
    }
    if number > 1 {
        draft.notes.push(format!(
            "another postmortem has the slug \"{slug}\": written as \"{unique}\""
        ));
    }
    let relative = path_of(&unique);
    let front = front_matter(&draft, config, &mut outcome);
    let contents = format!("{front}\n{}", draft.body.trim_start_matches('\n'));
    outcome.notes = draft.notes;
    outcome.left_out = draft.left_out;
    match create_new(&importer.root.join(&relative), contents.as_bytes()) {
        Ok(()) => {
            importer.taken.insert(unique);
            importer.written.insert(importer.root.join(&relative));
            outcome.written = Some(relative);
        }
        Err(OutputError::Refused { .. }) => {
            outcome.problem = Some(format!(
                "{} already exists; nothing was written",
                relative.display()
            ))
        }
        Err(err) => outcome.problem = Some(err.to_string()),
    }
    outcome
}

/// The file name's `YYYY-MM-DD-` prefix (from the start, in the draft's zone; empty without a
/// start) and its slug (from the title or, without one, the source's name).
fn file_name(draft: &Draft, source: &Path, zone: Tz) -> (String, String) {
    let title = draft.title.as_ref().map_or("", |(t, _)| t.as_str());
    let stem = source
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("postmortem");
    let slug = short_slug(
        &Some(slugify(title))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| slugify(stem)),
    );
    let prefix = match &draft.start {
        Some((start, _)) => format!("{}-", start.with_timezone(&zone).format("%Y-%m-%d")),
        None => String::new(),
    };
    (prefix, slug)
}

impl Imported {
    /// The per-file report printed by `aftermath import`.
    pub fn report(&self) -> String {
        let source = match &self.part {
            Some(part) => format!("{} {part}", self.source.display()),
            None => self.source.display().to_string(),
        };
        let mut out = match (&self.written, &self.problem) {
            (Some(written), _) => format!("{source} -> {}\n", written.display()),
            (None, Some(problem)) => {
                return format!("{source}: not imported: {problem}\n");
            }
            (None, None) => format!("{source}\n"),
        };
        for (field, value, from) in &self.found {
            out.push_str(&format!("  {field:<10} {value}  ({from})\n"));
        }
        if !self.missing.is_empty() {
            out.push_str(&format!(
                "  not found: {} (written as TODO lines)\n",
                self.missing.join(", ")
            ));
        }
        for note in &self.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        if !self.left_out.is_empty() {
            let lines: Vec<String> = self
                .left_out
                .iter()
                .map(|(line, why)| format!("line {line} ({why})"))
                .collect();
            out.push_str(&format!("  left out: {}\n", lines.join(", ")));
        }
        out
    }
}
