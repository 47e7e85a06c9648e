//! Status updates: timeline lines that start with a state, the way status pages post them.
//!
//! Hosted status pages publish an incident as a series of updates, each with a state
//! ("Investigating - We are looking into elevated error rates", "Resolved - This incident has
//! been resolved"). A postmortem keeps them as ordinary timeline lines whose text starts with
//! the state and a separator; reading the state back out makes them data (`updates` in
//! `api/incidents.json`, labelled steps on the page) without a second syntax to learn. The
//! state word must be followed by a dash or a colon, so prose such as "Identified the faulty
//! deploy" stays an ordinary event.

use std::sync::LazyLock;

use regex::Regex;

/// The state an update announces: Statuspage's incident and maintenance states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum UpdateStatus {
    Investigating,
    Identified,
    Monitoring,
    Update,
    Resolved,
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

impl UpdateStatus {
    pub const ALL: [UpdateStatus; 9] = [
        UpdateStatus::Investigating,
        UpdateStatus::Identified,
        UpdateStatus::Monitoring,
        UpdateStatus::Update,
        UpdateStatus::Resolved,
        UpdateStatus::Scheduled,
        UpdateStatus::InProgress,
        UpdateStatus::Verifying,
        UpdateStatus::Completed,
    ];

    /// The key in `api/incidents.json` (`in_progress`), which is also Statuspage's.
    pub fn key(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "investigating",
            UpdateStatus::Identified => "identified",
            UpdateStatus::Monitoring => "monitoring",
            UpdateStatus::Update => "update",
            UpdateStatus::Resolved => "resolved",
            UpdateStatus::Scheduled => "scheduled",
            UpdateStatus::InProgress => "in_progress",
            UpdateStatus::Verifying => "verifying",
            UpdateStatus::Completed => "completed",
        }
    }

    /// The word a reader sees and an author writes (`In progress`).
    pub fn label(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "Investigating",
            UpdateStatus::Identified => "Identified",
            UpdateStatus::Monitoring => "Monitoring",
            UpdateStatus::Update => "Update",
            UpdateStatus::Resolved => "Resolved",
            UpdateStatus::Scheduled => "Scheduled",
            UpdateStatus::InProgress => "In progress",
            UpdateStatus::Verifying => "Verifying",
            UpdateStatus::Completed => "Completed",
        }
    }

    /// The state for a key or a label, whatever its case (`in_progress`, `In progress`).
    pub fn from_word(word: &str) -> Option<UpdateStatus> {
        let word = word.trim().replace(['_', '-'], " ").to_lowercase();
        UpdateStatus::ALL
            .into_iter()
            .find(|status| status.label().to_lowercase() == word)
    }
}

/// A state word at the start of a text, whatever its case.
static LEADING_STATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:investigating|identified|monitoring|update|resolved|scheduled|in[ _-]progress|verifying|completed)",
    )
    .expect("valid regex")
});

/// Splits a timeline event's text into its state and the rest, when it starts with one:
/// `Resolved - All systems normal` is (`Resolved`, `All systems normal`). The word may be bold
/// (`**Resolved** - ...`, `**Resolved:** ...`) and must be followed by a dash or a colon and a
/// space, or by nothing.
pub fn split_status(text: &str) -> (Option<UpdateStatus>, &str) {
    let not_an_update = (None, text);
    let marker = ["**", "__"].into_iter().find(|m| text.starts_with(m));
    let unmarked = &text[marker.map_or(0, str::len)..];
    let Some(word) = LEADING_STATE.find(unmarked) else {
        return not_an_update;
    };
    let mut rest = &unmarked[word.end()..];
    let mut separated = false;
    if let Some(marker) = marker {
        if let Some(after) = rest.strip_prefix(':').and_then(|r| r.strip_prefix(marker)) {
            separated = true;
            rest = after;
        } else if let Some(after) = rest.strip_prefix(marker) {
            rest = after;
        } else {
            return not_an_update;
        }
    }
    let rest = rest.trim_start();
    let rest = if separated || rest.is_empty() {
        rest
    } else {
        match rest.strip_prefix(['-', '–', '—', ':']) {
            Some(after) if after.is_empty() || after.starts_with(char::is_whitespace) => after,
            _ => return not_an_update,
        }
    };
    (UpdateStatus::from_word(word.as_str()), rest.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_and_a_separator_make_an_update() {
        assert_eq!(
            split_status("Resolved - This incident has been resolved."),
            (
                Some(UpdateStatus::Resolved),
                "This incident has been resolved."
            )
        );
        assert_eq!(
            split_status("In progress: maintenance started"),
            (Some(UpdateStatus::InProgress), "maintenance started")
        );
        assert_eq!(
            split_status("**Monitoring** – a fix is deployed"),
            (Some(UpdateStatus::Monitoring), "a fix is deployed")
        );
        assert_eq!(
            split_status("**Identified:** the cause is a bad deploy"),
            (Some(UpdateStatus::Identified), "the cause is a bad deploy")
        );
        assert_eq!(
            split_status("completed"),
            (Some(UpdateStatus::Completed), "")
        );
    }

    #[test]
    fn prose_that_starts_with_a_state_word_is_not_an_update() {
        for text in [
            "Identified the faulty deploy",
            "Resolved by rolling back",
            "Updated the DNS record",
            "Monitoring-based alert fired",
            "**Resolved - unclosed bold",
            "**Resolved** by rolling back",
            "Completed-ish",
        ] {
            assert_eq!(split_status(text), (None, text), "{text}");
        }
    }

    #[test]
    fn keys_and_labels_name_the_same_state() {
        for status in UpdateStatus::ALL {
            assert_eq!(UpdateStatus::from_word(status.key()), Some(status));
            assert_eq!(UpdateStatus::from_word(status.label()), Some(status));
        }
        assert_eq!(UpdateStatus::from_word("postmortem"), None);
    }
}
