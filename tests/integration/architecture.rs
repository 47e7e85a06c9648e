//! The module graph follows the pipeline: no stage reaches up into a later one, and the files
//! of one stage form no cycle. The layers are the ones `src/lib.rs` describes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// From the bottom up: a module may use its own layer and the layers below it. `lib` stands for
/// the items of `lib.rs` itself (`BuildOptions`, `load`, `build`).
const LAYERS: &[&[&str]] = &[
    &["text", "diagnostics", "suggest", "spanned", "i18n", "store"],
    &["config", "highlight"],
    &["content"],
    &["stats"],
    &["site", "markdown"],
    &["output"],
    &["render"],
    &["lib"],
    &["incremental", "review", "import", "scaffold"],
    &["serve"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every library source file as (top-level module, file name, code before its tests).
fn sources() -> Vec<(String, String, String)> {
    all_sources()
        .into_iter()
        .filter(|(_, name, _)| !["main.rs", "cli.rs", "commands.rs"].contains(&name.as_str()))
        .collect()
}

/// [`sources`] and the binary's files (`main.rs`, `cli.rs`, `commands.rs`).
fn all_sources() -> Vec<(String, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&src).unwrap().to_path_buf();
        let name = relative.to_string_lossy().replace('\\', "/");
        if !name.ends_with(".rs") {
            continue;
        }
        let module = match name.split_once('/') {
            Some((folder, _)) => folder.to_string(),
            None => name.trim_end_matches(".rs").to_string(),
        };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap().to_string();
        files.push((module, name, code));
    }
    files
}

/// The names after `crate::` (and in `use crate::{a, b}` groups) in `code`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.insert(name);
        }
    }
    found
}

#[test]
fn no_stage_imports_a_later_one() {
    let mut violations = Vec::new();
    for (module, file, code) in sources() {
        let own = layer(&module)
            .unwrap_or_else(|| panic!("{file}: module {module} has no layer in this test"));
        for name in crate_references(&code) {
            let target = if name.starts_with(char::is_uppercase) || layer(&name).is_none() {
                "lib".to_string()
            } else {
                name
            };
            let theirs = layer(&target).unwrap();
            if theirs > own && target != module {
                violations.push(format!(
                    "src/{file} ({module}) uses crate::{target}, a later stage"
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_files_of_a_stage_form_no_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file, code) in sources() {
        let Some((_, inner)) = file.split_once('/') else {
            continue;
        };
        let me = format!("{module}/{}", inner.trim_end_matches(".rs"));
        for (at, _) in code.match_indices("super::") {
            let name: String = code[at + "super::".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("src/{module}/{name}.rs"))
                .is_file()
            {
                edges
                    .entry(me.clone())
                    .or_default()
                    .insert(format!("{module}/{name}"));
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
            panic!("a cycle: {}", cycle.join(" -> "));
        }
    }
}

/// The longest a function outside tests may be, in lines from `fn` to its closing brace.
const MAX_FUNCTION_LINES: usize = 80;

/// `code` with string and char literals and comments blanked out (newlines kept), so that
/// braces can be counted.
fn code_only(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                out.push(blank(chars[i]));
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && matches!(next, Some('"') | Some('#'))
            && !chars[i.saturating_sub(1)].is_alphanumeric()
        {
            let hashes = chars[i + 1..].iter().take_while(|c| **c == '#').count();
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            i += 2 + hashes;
            let rest: String = chars[i..].iter().collect();
            let end = rest.find(&close).map_or(rest.len(), |e| e + close.len());
            out.extend(rest[..end].chars().map(blank));
            i += rest[..end].chars().count();
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
            i += 1;
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A char literal ('{', '\n', '\u{7f}'), not a lifetime.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every function of `code` with its line and length in lines.
fn function_lengths(code: &str) -> Vec<(String, usize, usize)> {
    let code = code_only(code);
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(at) = line.find("fn ") else {
            continue;
        };
        if at > 0 && !line[..at].ends_with(' ') {
            continue;
        }
        let name: String = line[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let mut depth = 0usize;
        let mut opened = false;
        for (offset, text) in lines[start..].iter().enumerate() {
            for c in text.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            if !opened && text.trim_end().ends_with(';') {
                break;
            }
            if opened && depth == 0 {
                found.push((name.clone(), start + 1, offset + 1));
                break;
            }
        }
    }
    found
}

#[test]
fn no_function_outside_tests_is_longer_than_80_lines() {
    let mut long = Vec::new();
    for (_, file, code) in all_sources() {
        for (name, line, length) in function_lengths(&code) {
            if length > MAX_FUNCTION_LINES {
                long.push(format!("src/{file}:{line}: fn {name} is {length} lines"));
            }
        }
    }
    assert!(
        long.is_empty(),
        "split these by stage:\n{}",
        long.join("\n")
    );
}

#[test]
fn function_lengths_are_counted_from_fn_to_its_closing_brace() {
    let code = "fn short() {\n    let s = \"}\";\n    let c = '{';\n}\n\n/// fn not_code() {\npub fn longer(x: u8) -> u8 {\n    // }\n    if x > 1 {\n        x\n    } else {\n        0\n    }\n}\n";
    assert_eq!(
        function_lengths(code),
        [("short".to_string(), 1, 4), ("longer".to_string(), 7, 8)]
    );
}
