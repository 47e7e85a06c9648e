//! Reading the facts out of a free-form postmortem: title, start and end, stated duration, time
//! zone, impact and services, each with the line it was found on.
//!
//! The rules follow the shapes real postmortems use (see `docs/import.md`): `Duration:` lines
//! with two moments, `Start Time:`/`End Time:` lines (also as bullets, also bold), prose such as
//! "occurred from ... to ...", and the timeline's first and last events when nothing else says.
//! Nothing is guessed: what is not found stays unknown and is reported.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;

use super::moments::{DATE_ONLY, Moment, date_of, moments};
use crate::config::Config;
use crate::content::outline::{SectionKind, classify, read_outline};

/// A value and the 1-based line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub value: T,
    pub line: usize,
    /// How it was found, for the report (`Duration line`, `timeline`, ...).
    pub how: &'static str,
}

/// Everything read from one free-form file.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub title: Option<Found<String>>,
    /// The lines the title was read from or passed over as generic, left out of the body.
    pub title_lines: Vec<usize>,
    pub start: Option<Found<Moment>>,
    pub end: Option<Found<Moment>>,
    pub stated_duration: Option<Found<i64>>,
    pub timezone: Option<Found<Tz>>,
    pub impact: Option<Found<f64>>,
    /// Service name, the word that matched, and its line.
    pub services: Vec<Found<(String, String)>>,
    /// Lines left out of the imported body (1-based) and why.
    pub left_out: Vec<(usize, &'static str)>,
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s>*_•+-]*(?:\*\*|__)?\s*(duration|start(?:ed)?(?:\s+(?:time|date))?|began|begin|end(?:ed)?(?:\s+(?:time|date))?|resolved(?:\s+at)?|recovered)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?")
        .expect("valid regex")
});

static STATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:lasting|lasted|for a total of|duration of|for)\s+(?:approximately|about|around|roughly|nearly|almost|~)?\s*(?P<n>\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?P<u>hours?|hrs?|minutes?|mins?|days?)\b|\((?P<n2>\d+(?:\.\d+)?)\s*(?P<u2>hours?|minutes?)\)")
        .expect("valid regex")
});

static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?P<p>\d{1,3}(?:\.\d+)?)\s*%").expect("valid regex"));

static ALL_USERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:all|every|100\s*%\s*of)\s+(?:of\s+)?(?:our\s+|the\s+)?(?:users|customers|user base|requests)\b|complete unavailability|entire user base|completely unavailable")
        .expect("valid regex")
});

static IANA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[A-Z][A-Za-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b").expect("valid regex")
});

static TITLE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:post[- ]?mortem|incident report|incident|rca|root cause analysis|outage report)\s*(?:report)?\s*[:\-–—]\s*")
        .expect("valid regex")
});

static GENERIC_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:incident|outage|service|post[- ]incident)\s+)?(?:report|post[- ]?mortem|review|rca|root cause analysis|summary)(?:\s+(?:report|post[- ]?mortem|review|document))*$")
        .expect("valid regex")
});

/// A line as a title: without heading marks, emphasis and a "Postmortem:" prefix.
fn title_text(line: &str) -> String {
    let text = line
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_matches(['*', '_'])
        .trim();
    TITLE_PREFIX.replace(text, "").trim().to_string()
}

/// Whether `line` is a title that says nothing ("Incident report postmortem").
fn is_generic_title(line: &str) -> bool {
    GENERIC_TITLE.is_match(&title_text(line))
}

/// The title: the first heading or meaningful line, without "Postmortem:" and the like. A
/// generic first line ("Incident report postmortem") gives way to a better line after it.
fn title(lines: &[&str]) -> Option<Found<String>> {
    let mut generic: Option<Found<String>> = None;
    for (index, line) in lines.iter().enumerate() {
        let raw = line.trim();
        if raw.is_empty() || raw.starts_with("http") || raw.starts_with("![") {
            continue;
        }
        let cleaned = title_text(line);
        if is_generic_title(line) {
            generic.get_or_insert(Found {
                value: cleaned,
                line: index + 1,
                how: "first heading or line",
            });
            continue;
        }
        if cleaned.is_empty() || classify(&cleaned) != SectionKind::Other && cleaned.len() < 25 {
            continue;
        }
        let how = match generic {
            Some(_) => "first heading or line after a generic one",
            None => "first heading or line",
        };
        return Some(Found {
            value: cleaned,
            line: index + 1,
            how,
        });
    }
    generic
}

/// The lines to leave out of the body with the title: its own and the generic ones above it.
fn title_lines(lines: &[&str], title: Option<&Found<String>>) -> Vec<usize> {
    let Some(title) = title else {
        return Vec::new();
    };
    (1..=title.line)
        .filter(|&n| n == title.line || is_generic_title(lines[n - 1]))
        .collect()
}

/// Reads a free-form postmortem. `config` supplies the services, aliases and the site zone.
pub fn extract(text: &str, config: &Config) -> Extracted {
    let lines: Vec<&str> = text.lines().collect();
    let title = title(&lines);
    let mut found = Extracted {
        title_lines: title_lines(&lines, title.as_ref()),
        title,
        ..Extracted::default()
    };
    let first_date = lines
        .iter()
        .find_map(|l| DATE_ONLY.captures(l).and_then(|c| date_of(&c)));

    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        if found.timezone.is_none()
            && let Some(zone) = IANA
                .find_iter(line)
                .find_map(|m| m.as_str().parse::<Tz>().ok())
        {
            found.timezone = Some(Found {
                value: zone,
                line: number,
                how: "time zone name",
            });
        }
        labelled_moments(line, number, first_date, &mut found);
        let lower = line.to_lowercase();
        if found.start.is_none() && (lower.contains(" from ") || lower.contains("between")) {
            let here = moments(line, first_date);
            if here.len() >= 2 {
                found.start = Some(Found {
                    value: here[0],
                    line: number,
                    how: "sentence",
                });
                found.end = Some(Found {
                    value: here[1],
                    line: number,
                    how: "sentence",
                });
            }
        }
        if found.stated_duration.is_none() {
            found.stated_duration = stated_duration(line).map(|value| Found {
                value,
                line: number,
                how: "stated duration",
            });
        }
    }
    find_impact(&lines, &mut found);
    find_services(&lines, config, &mut found);
    if found.start.is_none() || found.end.is_none() {
        let zone = found.timezone.as_ref().map_or(config.timezone, |t| t.value);
        timeline_fallback(text, first_date, zone, &mut found);
    }
    found.left_out = super::cleanup::boilerplate(&lines);
    found
}

/// `Start: ...`, `Resolved: ...` or `Duration: 10:02 - 11:30` lines give the start and end
/// (the first of each kind wins).
fn labelled_moments(
    line: &str,
    number: usize,
    first_date: Option<NaiveDate>,
    found: &mut Extracted,
) {
    let Some(label) = LABEL.captures(line) else {
        return;
    };
    let rest = &line[label.get(0).map_or(0, |m| m.end())..];
    let kind = label[1].to_lowercase();
    let fallback = found
        .start
        .as_ref()
        .map(|s| s.value.local.date())
        .or(first_date);
    let here = moments(rest, fallback);
    if kind == "duration" && here.len() >= 2 {
        found.start.get_or_insert(Found {
            value: here[0],
            line: number,
            how: "Duration line",
        });
        found.end.get_or_insert(Found {
            value: here[1],
            line: number,
            how: "Duration line",
        });
    } else if let Some(first) = here.first() {
        let field = if kind.starts_with("start") || kind.starts_with("beg") {
            &mut found.start
        } else {
            &mut found.end
        };
        if kind != "duration" {
            field.get_or_insert(Found {
                value: *first,
                line: number,
                how: "labelled line",
            });
        }
    }
}

/// "lasted 2 hours", "for forty minutes": the duration a line states, in seconds.
fn stated_duration(line: &str) -> Option<i64> {
    let caps = STATED.captures(line)?;
    let amount = caps
        .name("n")
        .or(caps.name("n2"))
        .map_or("", |m| m.as_str());
    let unit = caps
        .name("u")
        .or(caps.name("u2"))
        .map_or("", |m| m.as_str())
        .to_lowercase();
    let amount = word_number(amount).or_else(|| amount.parse::<f64>().ok())?;
    let scale = if unit.starts_with('d') {
        86_400.0
    } else if unit.starts_with('h') {
        3_600.0
    } else {
        60.0
    };
    Some((amount * scale).round() as i64)
}

fn word_number(word: &str) -> Option<f64> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    WORDS
        .iter()
        .position(|w| w.eq_ignore_ascii_case(word))
        .map(|p| p as f64 + 1.0)
}

/// Sections of the text by kind, as (kind, first line index, end line index).
fn sections(lines: &[&str]) -> Vec<(SectionKind, usize, usize)> {
    let mut out: Vec<(SectionKind, usize, usize)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text = line.trim();
        let heading = text
            .strip_prefix('#')
            .map(|t| t.trim_start_matches('#').trim())
            .or_else(|| {
                let plain = text.trim_matches(['*', '_']).trim();
                (plain.ends_with(':') && plain.len() <= 40).then(|| plain.trim_end_matches(':'))
            });
        if let Some(heading) = heading {
            let kind = classify(heading);
            if kind != SectionKind::Other || text.starts_with('#') {
                if let Some(last) = out.last_mut() {
                    last.2 = index;
                }
                out.push((kind, index, lines.len()));
            }
        }
    }
    out
}

fn find_impact(lines: &[&str], found: &mut Extracted) {
    let impact_ranges: Vec<(usize, usize)> = sections(lines)
        .into_iter()
        .filter(|(kind, ..)| matches!(kind, SectionKind::Impact | SectionKind::Summary))
        .map(|(_, a, b)| (a, b))
        .collect();
    let order: Vec<usize> = impact_ranges
        .iter()
        .flat_map(|(a, b)| *a..*b)
        .chain(0..lines.len())
        .collect();
    for index in order {
        let line = lines[index];
        let lower = line.to_lowercase();
        let about_users = [
            "user", "customer", "request", "traffic", "affected", "impact",
        ]
        .iter()
        .any(|w| lower.contains(w));
        if !about_users {
            continue;
        }
        if let Some(caps) = PERCENT.captures(line)
            && let Ok(value) = caps["p"].parse::<f64>()
            && (0.0..=100.0).contains(&value)
        {
            found.impact = Some(Found {
                value,
                line: index + 1,
                how: "percentage of users",
            });
            return;
        }
        if ALL_USERS.is_match(line) {
            found.impact = Some(Found {
                value: 100.0,
                line: index + 1,
                how: "\"all users\"",
            });
            return;
        }
    }
}

/// Services named in the summary and impact (or, without those sections, anywhere), by name or
/// alias, allowing one typo in words of five letters or more.
fn find_services(lines: &[&str], config: &Config, found: &mut Extracted) {
    let wanted: Vec<(usize, usize)> = sections(lines)
        .into_iter()
        .filter(|(kind, ..)| matches!(kind, SectionKind::Impact | SectionKind::Summary))
        .map(|(_, a, b)| (a, b))
        .collect();
    let ranges = if wanted.is_empty() {
        vec![(0, lines.len())]
    } else {
        wanted
    };
    for service in &config.services {
        let names: Vec<String> = std::iter::once(service.name.to_lowercase())
            .chain(service.aliases.iter().map(|a| a.to_lowercase()))
            .collect();
        'lines: for &(a, b) in &ranges {
            for (index, line) in lines.iter().enumerate().take(b).skip(a) {
                let words: Vec<String> = line
                    .split(|c: char| !c.is_alphanumeric() && c != '-')
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                for name in &names {
                    let parts: Vec<&str> = name.split_whitespace().collect();
                    let matched = words.windows(parts.len().max(1)).find(|window| {
                        window.iter().zip(&parts).all(|(word, part)| {
                            word == part
                                || (part.len() >= 5 && strsim::levenshtein(word, part) <= 1)
                        })
                    });
                    if let Some(window) = matched {
                        found.services.push(Found {
                            value: (service.name.clone(), window.join(" ")),
                            line: index + 1,
                            how: "service name or alias",
                        });
                        break 'lines;
                    }
                }
            }
        }
    }
}

fn timeline_fallback(text: &str, first_date: Option<NaiveDate>, zone: Tz, found: &mut Extracted) {
    let Some(date) = found
        .start
        .as_ref()
        .map(|s| s.value.local.date())
        .or(first_date)
    else {
        return;
    };
    let anchor = zone
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(
            || DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default(),
            |t| t.with_timezone(&Utc),
        );
    let outline = read_outline(text, 1, anchor, zone);
    // Timeline times are wall-clock times in the zone; keep them local so the report says so.
    let as_moment = |at: DateTime<Utc>| Moment {
        local: at.with_timezone(&zone).naive_local(),
        offset: None,
    };
    if let (None, Some(first)) = (&found.start, outline.timeline.first()) {
        found.start = Some(Found {
            value: as_moment(first.at),
            line: first.line,
            how: "first timeline event",
        });
    }
    if let (None, Some(last)) = (&found.end, outline.timeline.last())
        && outline.timeline.len() > 1
    {
        found.end = Some(Found {
            value: as_moment(last.at),
            line: last.line,
            how: "last timeline event",
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let text = "[[services]]\nname = \"auth\"\naliases = [\"authentication\", \"login\"]\n[[services]]\nname = \"api\"\naliases = [\"rest api\"]\n";
        Config::parse(text, std::path::Path::new("aftermath.toml")).unwrap()
    }

    #[test]
    fn impact_phrases() {
        let impact = |text: &str| extract(text, &config()).impact.map(|i| i.value);
        assert_eq!(
            impact("Approximately 35% of users were affected."),
            Some(35.0)
        );
        assert_eq!(impact("The outage was affecting 30% of users."), Some(30.0));
        assert_eq!(impact("about 80% of our user base saw errors"), Some(80.0));
        assert_eq!(impact("Login was down for all users."), Some(100.0));
        assert_eq!(impact("complete unavailability for all users"), Some(100.0));
        assert_eq!(
            impact("CPU was at 95% on one node."),
            None,
            "not about users"
        );
    }

    #[test]
    fn titles_lose_their_boilerplate() {
        let title = |text: &str| extract(text, &config()).title.map(|t| t.value);
        assert_eq!(
            title("# Postmortem: Login outage\n"),
            Some("Login outage".into())
        );
        assert_eq!(
            title("\n\nPost-mortem - DNS failure\n"),
            Some("DNS failure".into())
        );
        assert_eq!(
            title("**Incident Report: Disk full**\n"),
            Some("Disk full".into())
        );
        assert_eq!(
            title("Incident report postmortem\n\nWeb Stack Outage Incident\n"),
            Some("Web Stack Outage Incident".into()),
            "a generic first line gives way"
        );
        assert_eq!(
            title("# Post-mortem\n\n## Summary\n"),
            Some("Post-mortem".into()),
            "unless nothing better follows"
        );
    }

    #[test]
    fn services_by_name_alias_and_typo() {
        let services = |text: &str| -> Vec<String> {
            extract(text, &config())
                .services
                .into_iter()
                .map(|s| s.value.0)
                .collect()
        };
        assert_eq!(services("The login page failed."), ["auth"]);
        assert_eq!(services("The REST API returned 502s."), ["api"]);
        assert_eq!(services("authentcation errors for everyone"), ["auth"]);
        assert!(services("The database was slow.").is_empty());
    }
}
