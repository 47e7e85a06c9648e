//! The front matter `import` writes: every value through the TOML serialiser with where it came
//! from in a one-line comment, and a `# TODO` line for each required value that was not found.

use chrono::{DateTime, Utc};

use super::component_windows::DraftWindow;
use super::{Draft, Imported};
use crate::config::Config;

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
pub(super) fn front_matter(draft: &Draft, config: &Config, outcome: &mut Imported) -> String {
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
        None if draft.kind.is_some() || !draft.impact_windows.is_empty() => {}
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
    write_windows(&mut front, &draft.impact_windows, &time);
    front.text.push_str("+++\n");
    front.text
}

/// One `[[impact]]` table per window (tables come after every other key), each time with the
/// update it was read from; the report shows each as `level on service`.
fn write_windows(
    front: &mut FrontMatter<'_>,
    windows: &[DraftWindow],
    time: &dyn Fn(DateTime<Utc>) -> String,
) {
    for window in windows {
        front.text.push_str(&format!(
            "\n[[impact]]\nservices = [{}]\nlevel = {}  # {}\n",
            quoted(&window.service),
            quoted(window.level),
            comment_text(&window.from_source)
        ));
        let from_note = match window.from_start {
            true => "  # the start: the first update set this status",
            false => "",
        };
        front
            .text
            .push_str(&format!("from = {}{from_note}\n", time(window.from)));
        if let (Some(to), Some(source)) = (window.to, &window.to_source) {
            front
                .text
                .push_str(&format!("to = {}  # {}\n", time(to), comment_text(source)));
        }
        front.outcome.found.push((
            "impact",
            format!("{} on {}", window.level, window.service),
            window.from_source.clone(),
        ));
    }
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
