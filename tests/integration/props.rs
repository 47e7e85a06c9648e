//! Property tests: the loader turns any bytes into an incident or diagnostics, never a panic,
//! and a whole build of such files ends, within a time and memory bound, in a site or a report.
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
    "<div>",
    "0024-",
    "14000000w",
    "PT99999999999999999S",
    "\u{1b}[2J",
    "\\u001b",
    "&#27;",
];

/// What a build of hostile files may use: far more than any of them needs once the limits
/// hold, far less than the minutes and gigabytes they cost before.
const BUILD_SECONDS: u64 = 60;
const BUILD_MEMORY_KIB: u64 = 3 << 20;

/// Builds a site holding `files` with the real binary under `ulimit -v` and a timeout, and
/// returns the exit code: 0 (built) or 1 (reported), never a panic, an abort or a kill.
fn build_bounded(files: &[(String, String)]) -> i32 {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    for (name, text) in files {
        std::fs::write(root.join("content").join(name), text).unwrap();
    }
    let started = std::time::Instant::now();
    let output = std::process::Command::new("timeout")
        .arg(BUILD_SECONDS.to_string())
        .args([
            "sh",
            "-c",
            &format!("ulimit -v {BUILD_MEMORY_KIB}; exec \"$0\" \"$@\""),
        ])
        .arg(env!("CARGO_BIN_EXE_aftermath"))
        .args(["build", "-q", "--as-of", "2025-01-01T00:00:00Z", "--root"])
        .arg(&root)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "exit {code:?} after {:?}: {}",
        started.elapsed(),
        String::from_utf8_lossy(&output.stderr)
    );
    code
}

fn check_never_panics(text: &str) {
    let config = Config::default();
    let (incident, problems) = parse_postmortem(text, Path::new("content/x.md"), &config);
    let lines = text.split('\n').count();
    for problem in &problems {
        let rendered = problem.to_string();
        assert!(
            rendered.starts_with("error: content/x.md")
                || rendered.starts_with("warning: content/x.md"),
            "{rendered}"
        );
        assert!(
            !rendered
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "no control character reaches the terminal: {rendered:?}"
        );
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn mutated_files_build_within_bounds(
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), proptest::sample::select(PIECES)), 1..8),
    ) {
        let (mut toml, mut yaml) = (VALID_TOML.to_string(), VALID_YAML.to_string());
        for (choice, at, len, piece) in edits {
            toml = mutate(&toml, choice, at, len, piece);
            yaml = mutate(&yaml, choice.wrapping_add(1), at / 2, len, piece);
        }
        let files = [
            ("a.md".to_string(), toml),
            ("b.md".to_string(), yaml),
            ("valid.md".to_string(), VALID_TOML.to_string()),
        ];
        build_bounded(&files);
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
fn the_regression_corpus_never_panics_and_builds_within_bounds() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(corpus).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        check_never_panics(&text);
        files.push((
            path.file_name().unwrap().to_string_lossy().into_owned(),
            text,
        ));
    }
    assert!(files.len() >= 25);
    assert_eq!(build_bounded(&files), 1, "the corpus holds errors");
}
