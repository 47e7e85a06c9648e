//! "Did you mean ...?" hints for misspelt keys, services, severities and time zones.

/// Suggests the closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lowered = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&lowered, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| format!("did you mean \"{candidate}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["title", "start", "end", "severity", "services"];
        assert_eq!(
            did_you_mean("tittle", keys),
            Some("did you mean \"title\"?".into())
        );
        assert_eq!(
            did_you_mean("serverity", keys),
            Some("did you mean \"severity\"?".into())
        );
        assert_eq!(
            did_you_mean("Start", keys),
            Some("did you mean \"start\"?".into())
        );
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
