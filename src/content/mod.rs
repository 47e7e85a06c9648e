//! Loading postmortems: find the files, read them in parallel, validate, freeze.
//!
//! `content/` is walked in sorted order (any depth; `.md` files only), each file is split,
//! parsed and validated on the rayon pool, and the results are collected in path order, so the
//! incidents and the diagnostics never depend on thread scheduling or file-system order.
//! Cross-file checks (two files that would get the same URL) run after that.

pub mod actions;
pub mod detection;
pub mod event_line;
pub mod fields;
pub mod impact;
pub mod incident;
pub mod internal;
pub mod limits;
pub mod ongoing;
pub mod outline;
pub mod parsed_store;
pub mod raw;
pub mod split;
pub mod timeline_checks;
pub mod updates;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Audience, Config};
use crate::diagnostics::{Check, Diagnostic, Diagnostics, SourceText};
use crate::text::slug;
pub use incident::{Incident, Kind};
use parsed_store::ParsedStore;

/// The folder of postmortems inside a site root.
pub const CONTENT_DIR: &str = "content";

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Published incidents, newest start first, ties by id.
    pub incidents: Vec<Incident>,
    pub diagnostics: Diagnostics,
    /// How many postmortem files were read.
    pub files_read: usize,
    /// How many of them were parsed (the others' results came from a cache).
    pub files_parsed: usize,
    /// Valid drafts not published (without `--drafts`).
    pub drafts_left_out: usize,
    /// Valid internal postmortems left out of a public build.
    pub internal_left_out: usize,
}

/// What loading one file gave: the incident if it is valid, and its problems.
pub type Loaded = (Option<Incident>, Vec<Diagnostic>);

/// Parse results of files that did not change, reused between rebuilds by `serve`.
#[derive(Default)]
pub struct LoadCache {
    /// The configuration the results were made with (they depend on it).
    config: String,
    files: std::collections::HashMap<PathBuf, (std::time::SystemTime, u64, Loaded)>,
    /// How many files the last load parsed (the others came from the cache).
    pub parsed: usize,
}

/// What loading may take from earlier loads instead of parsing again.
pub enum Reuse<'a> {
    /// Parse every file (`check`, `build --no-cache`).
    Nothing,
    /// `serve`: the results of files whose modification time and size did not change, kept in
    /// memory between rebuilds.
    Memory(&'a mut LoadCache),
    /// `build`: the parse results of the build cache (`cache_dir/parsed/`), keyed by each
    /// file's bytes, read and written.
    BuildCache,
}

impl Reuse<'_> {
    /// [`Reuse::BuildCache`] when the build cache is on, [`Reuse::Nothing`] otherwise.
    pub fn build_cache_if(on: bool) -> Reuse<'static> {
        match on {
            true => Reuse::BuildCache,
            false => Reuse::Nothing,
        }
    }
}

/// Reads and validates every postmortem under `root/content`, reusing what `reuse` allows.
pub fn load(root: &Path, config: &Config, include_drafts: bool, reuse: Reuse<'_>) -> Content {
    let mut diagnostics = Diagnostics::new();
    let (files, refused) = find_postmortems(root, &mut diagnostics);
    let (loaded, files_parsed): (Vec<Loaded>, usize) = match reuse {
        Reuse::Memory(cache) => {
            let loaded = load_reusing(root, config, &files, cache);
            (loaded, cache.parsed)
        }
        Reuse::Nothing => {
            let loaded = files
                .par_iter()
                .map(|relative| load_file(root, relative, config, None))
                .collect();
            (loaded, files.len())
        }
        Reuse::BuildCache => {
            let store = ParsedStore::new(&root.join(&config.cache_dir), config);
            let loaded = files
                .par_iter()
                .map(|relative| load_file(root, relative, config, Some(&store)))
                .collect();
            store.prune();
            (loaded, files.len() - store.hits())
        }
    };
    let files_read = files.len() + refused;
    let mut incidents = Vec::with_capacity(loaded.len());
    let mut drafts_left_out = 0;
    let mut internal_left_out = 0;
    for (incident, problems) in loaded {
        diagnostics.extend(problems);
        match incident {
            Some(incident) if incident.internal && config.audience == Audience::Public => {
                internal_left_out += 1;
            }
            Some(incident) if include_drafts || !incident.draft => incidents.push(incident),
            Some(_) => drafts_left_out += 1,
            None => {}
        }
    }
    report_url_collisions(&incidents, &mut diagnostics);
    report_service_collisions(&incidents, &mut diagnostics);
    report_too_many_services(&incidents, config, &mut diagnostics);
    incidents.sort_by(|a, b| b.start.cmp(&a.start).then_with(|| a.id.cmp(&b.id)));
    diagnostics.sort();
    Content {
        incidents,
        diagnostics,
        files_read,
        files_parsed,
        drafts_left_out,
        internal_left_out,
    }
}

/// Loads `files`, taking unchanged ones from `cache` and leaving the new results in it.
fn load_reusing(
    root: &Path,
    config: &Config,
    files: &[PathBuf],
    cache: &mut LoadCache,
) -> Vec<Loaded> {
    let config_key = format!("{config:?}");
    if cache.config != config_key {
        cache.files.clear();
        cache.config = config_key;
    }
    let stamps: Vec<Option<(std::time::SystemTime, u64)>> = files
        .iter()
        .map(|relative| {
            let metadata = std::fs::metadata(root.join(relative)).ok()?;
            Some((metadata.modified().ok()?, metadata.len()))
        })
        .collect();
    let loaded: Vec<Loaded> = files
        .par_iter()
        .zip(&stamps)
        .map(|(relative, stamp)| {
            let cached = cache
                .files
                .get(relative)
                .filter(|(modified, len, _)| Some((*modified, *len)) == *stamp);
            match cached {
                Some((_, _, result)) => result.clone(),
                None => load_file(root, relative, config, None),
            }
        })
        .collect();
    cache.parsed = 0;
    let present: std::collections::HashSet<&PathBuf> = files.iter().collect();
    cache.files.retain(|path, _| present.contains(path));
    for ((relative, stamp), result) in files.iter().zip(&stamps).zip(&loaded) {
        let Some((modified, len)) = *stamp else {
            continue;
        };
        let fresh = cache
            .files
            .get(relative)
            .is_none_or(|(m, l, _)| (*m, *l) != (modified, len));
        if fresh {
            cache.parsed += 1;
            cache
                .files
                .insert(relative.clone(), (modified, len, result.clone()));
        }
    }
    loaded
}

/// Relative paths of all `.md` files under `content/`, sorted.
/// Refused entries (symbolic links leading outside) count as files read too.
fn find_postmortems(root: &Path, diagnostics: &mut Diagnostics) -> (Vec<PathBuf>, usize) {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return (Vec::new(), 0);
    }
    let mut refused = 0;
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // `content/` itself may be a link (to a checkout elsewhere, say): it is followed, and links
    // inside it may point anywhere inside the site root or inside the folder it leads to.
    let canonical_content = content.canonicalize().unwrap_or_else(|_| content.clone());
    let inside = |target: &Path| {
        target.starts_with(&canonical_root) || target.starts_with(&canonical_content)
    };
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| content.clone(), Path::to_path_buf);
                diagnostics.push(Diagnostic::new(
                    Check::UnreadableFile,
                    relative_to(root, &path),
                    format!("cannot read this folder entry: {err}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let is_markdown = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if entry.depth() > 0 && entry.file_type().is_symlink() {
            match path.canonicalize() {
                Ok(target) if inside(&target) && target.is_dir() => {
                    diagnostics.push(
                        Diagnostic::new(Check::SymlinkToFolder,
                            relative_to(root, path),
                            "this symbolic link to a folder is not followed, so its postmortems are not read",
                        )
                        .with_hint("move the folder into content/ instead of linking to it"),
                    );
                }
                Ok(target) if inside(&target) => {
                    if target.is_file() && is_markdown {
                        files.push(relative_to(root, path));
                    }
                }
                _ => {
                    refused += 1;
                    diagnostics.push(
                        Diagnostic::new(Check::SymlinkOutsideRoot,
                            relative_to(root, path),
                            "this symbolic link points outside the site root (or nowhere), so it is not read",
                        )
                        .with_hint("copy the file into content/ instead of linking to it"),
                    );
                }
            }
            continue;
        }
        if entry.file_type().is_file() && is_markdown {
            files.push(relative_to(root, path));
        }
    }
    (files, refused)
}

fn relative_to(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Reads, splits, parses and validates one file, or takes the result from `store` when a build
/// parsed the same bytes before.
fn load_file(
    root: &Path,
    relative: &Path,
    config: &Config,
    store: Option<&ParsedStore>,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let bytes = match std::fs::read(root.join(relative)) {
        Ok(bytes) => bytes,
        Err(err) => {
            return (
                None,
                vec![Diagnostic::new(
                    Check::UnreadableFile,
                    relative,
                    format!("cannot read the file: {err}"),
                )],
            );
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(err.as_bytes());
            let prefix = String::from_utf8_lossy(&err.as_bytes()[..offset]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let location = SourceText::new(&lossy).locate_line(line, column, 1);
            return (
                None,
                vec![
                    Diagnostic::new(Check::NotUtf8,
                        relative,
                        format!("the file is not UTF-8 text (invalid byte at line {line}, column {column})"),
                    )
                    .at(Some(location))
                    .with_hint("save the file as UTF-8"),
                ],
            );
        }
    };
    let Some(store) = store else {
        return parse_postmortem(&text, relative, config);
    };
    let key = store.key(relative, text.as_bytes());
    if let Some(stored) = store.get(&key) {
        return stored;
    }
    let parsed = parse_postmortem(&text, relative, config);
    store.put(&key, &parsed);
    parsed
}

/// Validates the text of one postmortem shown as `file` in messages.
pub fn parse_postmortem(
    text: &str,
    file: &Path,
    config: &Config,
) -> (Option<Incident>, Vec<Diagnostic>) {
    let source = SourceText::new(text);
    let split = match split::split_front_matter(text) {
        Ok(split) => split,
        Err(err) => {
            let mut d = Diagnostic::new(Check::NoFrontMatter, file, err.message)
                .at(Some(source.locate_line(err.line, err.column, err.length)));
            if let Some(hint) = err.hint {
                d = d.with_hint(hint);
            }
            return (None, vec![d]);
        }
    };
    let entries = match raw::parse_front_matter(text, &split) {
        Ok(entries) => entries,
        Err(err) => {
            return (
                None,
                vec![
                    Diagnostic::new(Check::FrontMatterSyntax, file, err.message)
                        .at(Some(err.location)),
                ],
            );
        }
    };
    let builder = incident::IncidentBuilder {
        config,
        file,
        text,
        body_line: split.body_line,
        // Only the lines before the front matter are indexed for this.
        block_location: SourceText::new(&text[..split.front_matter_offset]).locate_line(
            split.front_matter_line - 1,
            1,
            3,
        ),
    };
    let (incident, mut problems) = builder.build(&entries, split.body);
    problems.extend(import_todos(file, text, &split));
    (incident, problems)
}

/// A warning for each `# TODO` line `aftermath import` wrote in the front matter: a value it
/// could not find, to be filled in (or the line deleted) by a person.
fn import_todos(file: &Path, text: &str, split: &split::SplitFile<'_>) -> Vec<Diagnostic> {
    let source = SourceText::new(text);
    split
        .front_matter
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let todo = line.trim_start().strip_prefix("# TODO")?;
            let (what, why) = todo.split_once(':').unwrap_or((todo, ""));
            let (what, why) = (what.trim(), why.trim());
            let width = line.trim_end().chars().count().max(1);
            let at = source.locate_line(split.front_matter_line + index, 1, width);
            Some(
                Diagnostic::new(
                    Check::ImportTodo,
                    file,
                    format!("\"{what}\" is still to fill in: {why}"),
                )
                .at(Some(at))
                .with_hint(format!(
                    "add the value (like {what} = ...) and delete this line, or delete it to keep the default"
                )),
            )
        })
        .collect()
}

/// Two service names must never share a page (`Web App` and `web-app` both give `web-app`).
fn report_service_collisions(incidents: &[Incident], diagnostics: &mut Diagnostics) {
    let mut by_slug: BTreeMap<String, BTreeMap<&str, &Path>> = BTreeMap::new();
    for incident in incidents {
        for service in &incident.services {
            by_slug
                .entry(slug::slugify(service))
                .or_default()
                .entry(service)
                .or_insert(&incident.source);
        }
    }
    for (slug, names) in by_slug.into_iter().filter(|(_, n)| n.len() > 1) {
        let all: Vec<String> = names.keys().map(|n| format!("\"{n}\"")).collect();
        for (name, file) in &names {
            diagnostics.push(
                Diagnostic::new(Check::DuplicateServicePage,
                    *file,
                    format!(
                        "the service \"{name}\" would share the page services/{slug}/ with {}",
                        all.join(" and ")
                    ),
                )
                .with_hint("spell the service the same way everywhere, or declare [[services]] in aftermath.toml"),
            );
        }
    }
}

/// A site has at most [`limits::MAX_SERVICES_PER_SITE`] services: the error names the file that
/// brought in the first one over the limit.
fn report_too_many_services(
    incidents: &[Incident],
    config: &Config,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: std::collections::BTreeSet<&str> =
        config.services.iter().map(|s| s.name.as_str()).collect();
    let mut by_file: Vec<&Incident> = incidents.iter().collect();
    by_file.sort_by(|a, b| a.source.cmp(&b.source));
    for incident in by_file {
        seen.extend(incident.services.iter().map(String::as_str));
        if seen.len() > limits::MAX_SERVICES_PER_SITE {
            diagnostics.push(
                Diagnostic::new(Check::LimitExceeded,
                    &incident.source,
                    format!(
                        "with this file the site has more than {} services, the most it may have",
                        limits::MAX_SERVICES_PER_SITE
                    ),
                )
                .with_hint("name the services users see (a component, not every host); declare them in aftermath.toml"),
            );
            return;
        }
    }
}

/// Two incidents must never write the same page: report every file of each clash.
fn report_url_collisions(incidents: &[Incident], diagnostics: &mut Diagnostics) {
    let mut by_id: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for incident in incidents {
        by_id
            .entry(&incident.id)
            .or_default()
            .push(&incident.source);
    }
    for (id, files) in by_id.into_iter().filter(|(_, f)| f.len() > 1) {
        for file in &files {
            let others: Vec<String> = files
                .iter()
                .filter(|f| f != &file)
                .map(|f| f.display().to_string())
                .collect();
            diagnostics.push(
                Diagnostic::new(
                    Check::DuplicateUrl,
                    *file,
                    format!(
                        "two incidents would be written to incidents/{id}/: this file and {}",
                        others.join(", ")
                    ),
                )
                .with_hint("give one of them a different file name or a `slug`"),
            );
        }
    }
}
