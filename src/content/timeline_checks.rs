//! The checks of a body's timeline against the front matter: events before `start` or after
//! `end`, and events that go back in time, each a warning at its line.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::fields::utc_label;
use super::outline::Outline;
use crate::diagnostics::{Check, Diagnostic, Location, SourceText};

/// The location of a whole line of `text` (1-based), for problems about a body line.
pub fn whole_line(text: &str, line: usize) -> Location {
    let mut location = SourceText::new(text).locate_line(line, 1, 1);
    location.length = location.source_line.trim_end().chars().count().max(1);
    location
}

/// Warnings about timeline events outside `[start, end]` and about events out of order.
pub fn timeline_problems(
    file: &Path,
    text: &str,
    outline: &Outline,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) -> Vec<Diagnostic> {
    let at_line = |line: usize| Some(whole_line(text, line));
    let mut problems = Vec::new();
    for event in &outline.timeline {
        let outside = if event.at < start {
            Some((Check::TimelineBeforeStart, "before", "start", start))
        } else {
            end.filter(|end| event.at > *end)
                .map(|end| (Check::TimelineAfterEnd, "after", "end", end))
        };
        if let Some((timeline_check, relation, key, bound)) = outside {
            problems.push(
                Diagnostic::new(
                    timeline_check,
                    file,
                    format!(
                        "timeline event at {} is {relation} \"{key}\" ({})",
                        utc_label(event.at),
                        utc_label(bound)
                    ),
                )
                .at(at_line(event.line))
                .with_hint(format!(
                    "check the time, or whether \"{key}\" is right; times without a date are read on the start date"
                )),
            );
        }
    }
    for line in &outline.out_of_order {
        problems.push(
            Diagnostic::new(
                Check::TimelineOutOfOrder,
                file,
                "timeline events go back in time here; list them in order",
            )
            .at(at_line(*line)),
        );
    }
    problems
}
