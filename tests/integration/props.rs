//! Property tests: the loader turns any bytes into an incident or diagnostics, never a panic.
//!
//! Failing inputs proptest finds are saved under `tests/integration/proptest-regressions/` and
//! replayed first on every run; hand-made nasty inputs live in `tests/corpus/`.

use std::path::Path;

use aftermath::config::Config;
use aftermath::content::parse_postmortem;
use aftermath::markdown::MarkdownRenderer;
use proptest::prelude::*;

const VALID_TOML: &str = "+++\ntitle = \"Checkout down\"\nstart = 2024-05-06T15:00:00Z\nend = 2024-05-06T18:30:00+02:00\ndetected = \"2024-05-06 17:05\"\ntimezone = \"Europe/Berlin\"\nimpact = \"35%\"\nservices = [\"api\", \"web\"]\nseverity = \"major\"\ntags = [\"db\"]\n[extra]\nticket = 42\n+++\n## Summary\n\nBody with `code` and a [link](https://example.org).\n";
const VALID_YAML: &str = "---\ntitle: Checkout down\nstart: 2024-05-06T15:00:00Z\nduration: 1h 30m\nimpact: all\nservices: [api]\nkind: maintenance\nextra:\n  ticket: 42\n---\n```rust\nfn main() {}\n```\n";

/// Characters that mean something to the splitter and the parsers.
const PIECES: &[&str] = &[
    "+++",
    "---",
    "\n",
    "\r\n",
    "\u{feff}",
    "=",
    ":",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "#",
    " ",
    "\t",
    "2024-02-30",
    "T25:61:60Z",
    "+14:00",
    "-00:00",
    "P1DT",
    "é",
    "𝄞",
    "\0",
    "\\",
    "..",
    "%2e",
    "title",
    "start",
    "end",
    "[extra]",
    "- ",
    "&",
    "*a",
    "<script>",
];

fn check_never_panics(text: &str) {
    let config = Config::default();
    let (incident, problems) = parse_postmortem(text, Path::new("content/x.md"), &config);
    let lines = text.split('\n').count();
    for problem in &problems {
        let rendered = problem.to_string();
        assert!(!rendered.is_empty());
        if let Some(location) = &problem.location {
            assert!(
                location.line >= 1 && location.line <= lines,
                "line {} of {lines}: {rendered}",
                location.line
            );
        }
    }
    if incident.is_none() {
        assert!(
            problems.iter().any(|p| p.is_error()),
            "no incident and no error for {text:?}"
        );
    }
    if let Some(incident) = incident {
        static RENDERER: std::sync::OnceLock<MarkdownRenderer> = std::sync::OnceLock::new();
        let renderer = RENDERER.get_or_init(|| MarkdownRenderer::new(config.raw_html));
        let _ = renderer.render(&incident.body);
    }
}

/// Applies one edit to `text`: delete a range, insert a piece, or duplicate a line.
fn mutate(text: &str, choice: u8, at: usize, len: usize, piece: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = at % (chars.len() + 1);
    match choice % 3 {
        0 => {
            let end = (at + len % 8).min(chars.len());
            chars[..at].iter().chain(&chars[end..]).collect()
        }
        1 => {
            chars[..at].iter().collect::<String>() + piece + &chars[at..].iter().collect::<String>()
        }
        _ => {
            let lines: Vec<&str> = text.split('\n').collect();
            let line = at % lines.len();
            let mut out = lines.clone();
            out.insert(line, lines[line]);
            out.join("\n")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_never_panics(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_valid_files_never_panic(
        yaml in any::<bool>(),
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), proptest::sample::select(PIECES)), 1..6),
    ) {
        let mut text = if yaml { VALID_YAML.to_string() } else { VALID_TOML.to_string() };
        for (choice, at, len, piece) in edits {
            text = mutate(&text, choice, at, len, piece);
        }
        check_never_panics(&text);
    }
}

#[test]
fn the_valid_samples_are_valid() {
    for text in [VALID_TOML, VALID_YAML] {
        let (incident, problems) =
            parse_postmortem(text, Path::new("content/x.md"), &Config::default());
        assert!(incident.is_some(), "{problems:?}");
    }
}

#[test]
fn the_regression_corpus_never_panics() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(corpus).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        check_never_panics(&String::from_utf8_lossy(&bytes));
        count += 1;
    }
    assert!(count >= 10);
}
