//! When was the problem detected? Read from a timeline event only when the event says that
//! detection happened.
//!
//! Postmortems rarely state `detected` in front matter, but their timelines usually hold the
//! moment ("22:15 — alerts fired for elevated login errors", "08:05 the on-call engineer was
//! paged"). The same words also appear in lines that are not detection at all: plans ("we will
//! improve our time to detection"), negations ("no alerts were raised"), metric names ("MTTD
//! was 40 min"). Taking those as detection invents a time to detect, so an event counts only
//! when one of its sentences says detection happened and that sentence holds no negation, plan
//! or metric name. The rules, with examples, are in `docs/statistics.md`; `detect_from_timeline
//! = false` in `aftermath.toml` turns this off.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;

use super::outline::TimelineEvent;

/// Words saying that detection happened: an alert or page went out, someone detected,
/// noticed or reported the problem.
static HAPPENED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:",
        // An alert, alarm, page or monitor that fired.
        r"(?:alerts?|alarms?|pages?|pagers?|monitors?|monitoring|pagerduty|opsgenie|health ?checks?|probes?|canar(?:y|ies))\b",
        r"[^.;]*?\b(?:fired|fires|firing|triggered|triggers|went off|goes off|tripped|trips|raised|sent|went out|flagged|flags|caught|catches|reported|reports|detected|detects)\b",
        // Someone or something detected or noticed it.
        r"|detected|detects|noticed|notices|spotted|spots|observed",
        r"|paged|pages (?:the|an?|our)|alerted|notified|escalated to",
        // A report from outside.
        r"|(?:customers?|users?|support|clients?|merchants?|partners?)\b[^.;]*?\breport(?:ed|s)?",
        r"|reported by|first reports?|reports? (?:from|of)|opened a (?:ticket|support case)",
        r")"
    ))
    .expect("detection pattern")
});

/// Words that make a sentence a negation, a plan or a metric rather than an event.
static NOT_AN_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:",
        // Negations.
        r"no|not|never|none|nobody|without|neither|nor|\w+n['’]t|failed to|fail to|unable to",
        // Plans and wishes.
        r"|will|would|should|shall|must|could|plan|plans|planned|planning|going to|need to|needs to",
        r"|improve|improves|improving|improvement|improvements|add|adding|to detect|to alert|to notice",
        r"|action items?|follow-?ups?|in the future|next time",
        // Metric names.
        r"|time to (?:detect|detection|alert|notice)|detection time|mttd|ttd|mtta",
        r")\b"
    ))
    .expect("negation pattern")
});

/// Whether an event's text says that the problem was detected then.
pub fn says_detected(text: &str) -> bool {
    sentences(text).any(|sentence| HAPPENED.is_match(sentence) && !NOT_AN_EVENT.is_match(sentence))
}

/// A text's sentences and clauses: "Alerts fired, but no page was sent" holds an event
/// ("Alerts fired") and a negation.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)[.;!?]\s+|[.;!?]$|,?\s+\bbut\b\s+|,?\s+\bhowever\b,?\s+").expect("split")
    });
    SPLIT.split(text).filter(|s| !s.trim().is_empty())
}

/// The first timeline event at or after `start` that says the problem was detected.
pub fn detection(timeline: &[TimelineEvent], start: DateTime<Utc>) -> Option<&TimelineEvent> {
    timeline
        .iter()
        .find(|event| event.at >= start && says_detected(&event.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_that_say_detection_happened_count() {
        for text in [
            "Alerts fired for elevated login errors.",
            "The on-call engineer was paged.",
            "PagerDuty alert triggered for API latency",
            "Monitoring detected elevated 5xx rates",
            "Engineers noticed the queue growing",
            "A customer reported failed checkouts",
            "Customers began reporting timeouts",
            "First reports from users on Twitter",
            "Support escalated to the on-call team",
            "Health checks flagged two hosts",
            "Alerts fired, but no page was sent.",
            "On-call notices the error rate climbing",
            "paged",
        ] {
            assert!(says_detected(text), "{text:?} should count");
        }
    }

    #[test]
    fn plans_negations_and_metric_names_do_not_count() {
        for text in [
            "We will improve our time to detection.",
            "We are improving alerting.",
            "No alerts were raised.",
            "The alert did not fire because the threshold was too high",
            "Monitoring failed to detect the partial outage",
            "Nobody noticed for two hours",
            "Add an alert on queue depth",
            "Time to detect was 40 minutes",
            "MTTD: 12 min",
            "We should page the database team sooner in the future",
            "Deploy of config v42 started",
            "Rollback completed",
            "Alerting thresholds reviewed",
        ] {
            assert!(!says_detected(text), "{text:?} should not count");
        }
    }
}
