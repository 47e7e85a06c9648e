//! `aftermath import`: turn existing postmortems into postmortems with front matter.
//!
//! Free-form text or Markdown (see `extract.rs`), and cState and Statusfy incident files (see
//! `formats.rs`), become one Markdown file each in the site, with the original body kept (less
//! lines that are clearly not part of it). Every field is written with where it came from; what
//! could not be determined is written as a commented `TODO` line, never guessed, so that
//! `aftermath check` shows what is left to fix. Existing files are never overwritten.

pub mod cleanup;
pub mod extract;
pub mod formats;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::config::Config;
use crate::content::split::split_front_matter;
use crate::output::{OutputError, create_new};
use crate::text::slug::slugify;
use crate::text::time::duration_label;

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

/// `text` as the rest of one TOML comment line: a line break or other control character from
/// the source (which would end the comment and inject keys) becomes a space.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => c,
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => ' ',
            c => c,
        })
        .collect()
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

/// Imports `source` into `root/into`.
pub fn import_file(root: &Path, into: &Path, source: &Path, config: &Config) -> Imported {
    let mut outcome = Imported {
        source: source.to_path_buf(),
        written: None,
        found: Vec::new(),
        missing: Vec::new(),
        notes: Vec::new(),
        left_out: Vec::new(),
        problem: None,
    };
    match std::fs::metadata(source) {
        Ok(metadata) if !metadata.is_file() => {
            outcome.problem =
                Some("not a regular file (a folder, a pipe or a device); nothing was read".into());
            return outcome;
        }
        Ok(metadata) if metadata.len() > MAX_IMPORT_BYTES => {
            outcome.problem = Some(format!(
                "{} bytes is more than a postmortem ({} MiB at most); nothing was read",
                metadata.len(),
                MAX_IMPORT_BYTES >> 20
            ));
            return outcome;
        }
        _ => {}
    }
    let text = match std::fs::read(source).map(String::from_utf8) {
        Ok(Ok(text)) => text.trim_start_matches('\u{feff}').to_string(),
        Ok(Err(_)) => {
            outcome.problem = Some("not UTF-8 text".into());
            return outcome;
        }
        Err(err) => {
            outcome.problem = Some(format!("cannot read it: {err}"));
            return outcome;
        }
    };
    let draft = match split_front_matter(&text) {
        Ok(split) => match crate::content::raw::parse_front_matter(&text, &split)
            .ok()
            .and_then(|entries| formats::detect(&entries).map(|f| (f, entries)))
        {
            Some((format, entries)) => {
                let mut draft = formats::map(format, &entries, split.body, config);
                draft
                    .notes
                    .insert(0, format!("read as a {} incident file", format.name()));
                draft
            }
            None => {
                outcome.problem = Some("it already has front matter that is neither cState nor Statusfy; nothing to import".into());
                return outcome;
            }
        },
        Err(_) => from_free_form(&text, config),
    };
    write_draft(root, into, source, config, draft, outcome)
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
    draft.body = text
        .lines()
        .enumerate()
        .filter(|(index, _)| !skipped.contains(&(index + 1)))
        .map(|(_, line)| line)
        .collect::<Vec<_>>()
        .join("\n");
    draft.body.push('\n');
    draft
}

/// Writes `draft` as a new postmortem under `into` (never over an existing file).
fn write_draft(
    root: &Path,
    into: &Path,
    source: &Path,
    config: &Config,
    draft: Draft,
    mut outcome: Imported,
) -> Imported {
    let zone = draft.timezone.as_ref().map_or(config.timezone, |t| t.0);
    let front = front_matter(&draft, config, &mut outcome);
    let relative = into.join(file_name(&draft, source, zone));
    let contents = format!("{front}\n{}", draft.body.trim_start_matches('\n'));
    outcome.notes = draft.notes;
    outcome.left_out = draft.left_out;
    match create_new(&root.join(&relative), contents.as_bytes()) {
        Ok(()) => outcome.written = Some(relative),
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

/// `YYYY-MM-DD-<slug>.md` from the start (in the draft's zone) and the title (or, without one,
/// the source's name); no date without a start.
fn file_name(draft: &Draft, source: &Path, zone: Tz) -> String {
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
    match &draft.start {
        Some((start, _)) => format!(
            "{}-{slug}.md",
            start.with_timezone(&zone).format("%Y-%m-%d")
        ),
        None => format!("{slug}.md"),
    }
}

/// A draft's front matter, written key by key: what was found, with where it came from in a
/// comment, and a `# TODO` line for each required field that was not.
struct FrontMatter<'a> {
    text: String,
    outcome: &'a mut Imported,
}

impl FrontMatter<'_> {
    /// `field = value  # from`; the report shows the field as `shown`.
    fn found(&mut self, field: &'static str, value: &str, shown: String, from: &str) {
        // Every comment is one line whatever the source held (see `comment_text`).
        self.text
            .push_str(&format!("{field} = {value}  # {}\n", comment_text(from)));
        self.outcome.found.push((field, shown, from.to_string()));
    }

    fn todo(&mut self, field: &'static str, hint: &str) {
        self.outcome.missing.push(field);
        self.text.push_str(&format!(
            "# TODO {field}: not found in the original; {hint}\n"
        ));
    }
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The `+++` block of `draft`, recording in `outcome` what was found and what is missing.
fn front_matter(draft: &Draft, config: &Config, outcome: &mut Imported) -> String {
    let zone = draft.timezone.as_ref().map_or(config.timezone, |t| t.0);
    let time = |at: DateTime<Utc>| match &draft.timezone {
        Some((zone, _)) => quoted(&at.with_timezone(zone).format("%Y-%m-%d %H:%M").to_string()),
        None => at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    };
    let mut front = FrontMatter {
        text: String::from("+++\n"),
        outcome,
    };
    match &draft.title {
        Some((title, from)) => front.found("title", &quoted(title), title.clone(), from),
        None => front.todo("title", "write a short title"),
    }
    if let Some(summary) = &draft.summary {
        front
            .text
            .push_str(&format!("summary = {}\n", quoted(summary)));
    }
    if let Some((kind, from)) = &draft.kind {
        front.found("kind", &quoted(kind), kind.clone(), from);
    }
    let shown = |at: &DateTime<Utc>| {
        at.with_timezone(&zone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    };
    match &draft.start {
        Some((at, from)) => front.found("start", &time(*at), shown(at), from),
        None => front.todo(
            "start",
            "when did user impact begin? like start = 2024-05-06T14:30:00Z",
        ),
    }
    match &draft.end {
        Some((at, from)) => front.found("end", &time(*at), shown(at), from),
        None if draft.ongoing => {}
        None => front.todo(
            "end",
            "when did impact end? without it the incident is ongoing",
        ),
    }
    if let Some((zone, from)) = &draft.timezone {
        front.found(
            "timezone",
            &quoted(zone.name()),
            zone.name().to_string(),
            from,
        );
    }
    match &draft.impact {
        Some((impact, from)) => {
            front.found("impact", &impact.to_string(), format!("{impact} %"), from)
        }
        None if draft.kind.is_some() => {}
        None => front.todo(
            "impact",
            "what share of users was affected? (100 % until you say)",
        ),
    }
    write_services(&mut front, &draft.services);
    match &draft.severity {
        Some((severity, from)) => {
            front.found("severity", &quoted(severity), severity.clone(), from)
        }
        None if draft.kind.is_some() => {}
        None => front.todo(
            "severity",
            &format!("one of: {}", config.severities.join(", ")),
        ),
    }
    for note in &draft.notes {
        front
            .text
            .push_str(&format!("# NOTE {}\n", comment_text(note)));
    }
    front.text.push_str("+++\n");
    front.text
}

/// One `services = [...]` line with every origin in its comment, one report line per service.
fn write_services(front: &mut FrontMatter<'_>, services: &[(String, String)]) {
    if services.is_empty() {
        front.todo(
            "services",
            "which services were affected? like services = [\"api\"]",
        );
        return;
    }
    let names: Vec<String> = services.iter().map(|(s, _)| quoted(s)).collect();
    let from: Vec<&str> = services.iter().map(|(_, f)| f.as_str()).collect();
    front.text.push_str(&format!(
        "services = [{}]  # {}\n",
        names.join(", "),
        comment_text(&from.join("; "))
    ));
    for (name, from) in services {
        front
            .outcome
            .found
            .push(("services", name.clone(), from.clone()));
    }
}

impl Imported {
    /// The per-file report printed by `aftermath import`.
    pub fn report(&self) -> String {
        let mut out = match (&self.written, &self.problem) {
            (Some(written), _) => format!("{} -> {}\n", self.source.display(), written.display()),
            (None, Some(problem)) => {
                return format!("{}: not imported: {problem}\n", self.source.display());
            }
            (None, None) => format!("{}\n", self.source.display()),
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
