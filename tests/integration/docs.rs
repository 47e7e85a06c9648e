//! The documentation that is a contract stays in step with the code that defines it.

use std::path::Path;

use aftermath::diagnostics::{CHECKS, docs_table};

const START: &str = "<!-- checks:start -->\n";
const END: &str = "<!-- checks:end -->";

/// `docs/checks.md`'s table of checks is the registry's; `AFTERMATH_UPDATE_DOCS=1` rewrites it.
#[test]
fn the_checks_table_in_the_docs_is_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checks.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let from = text.find(START).expect("the start marker") + START.len();
    let to = text.find(END).expect("the end marker");
    let expected = docs_table();
    if std::env::var_os("AFTERMATH_UPDATE_DOCS").is_some() {
        let updated = format!("{}{expected}{}", &text[..from], &text[to..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        text[from..to] == expected,
        "docs/checks.md is out of date; run AFTERMATH_UPDATE_DOCS=1 cargo test\n{}",
        crate::support::diff(&text[from..to], &expected)
    );
}

/// No check is registered without code that reports it.
#[test]
fn every_registered_check_is_reported_somewhere() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut code = String::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().ends_with("diagnostics/checks.rs") || !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        code.push_str(text.split("#[cfg(test)]").next().unwrap());
    }
    for info in CHECKS {
        let variant = format!("Check::{:?}", info.check);
        assert!(code.contains(&variant), "{} is never reported", info.name);
    }
}
