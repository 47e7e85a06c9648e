//! The module graph follows the pipeline: no stage reaches up into a later one, and the files
//! of one stage form no cycle. The layers are the ones `src/lib.rs` describes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// From the bottom up: a module may use its own layer and the layers below it. `lib` stands for
/// the items of `lib.rs` itself (`BuildOptions`, `load`, `build`).
const LAYERS: &[&[&str]] = &[
    &["text", "diagnostics", "suggest", "spanned"],
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&src).unwrap().to_path_buf();
        let name = relative.to_string_lossy().replace('\\', "/");
        if !name.ends_with(".rs") || ["main.rs", "cli.rs", "commands.rs"].contains(&name.as_str()) {
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
