//! The theme: the default one embedded in the binary, overridable file by file.
//!
//! `themes/default/` of this repository is compiled in, so the binary needs no theme folder.
//! A site selects `theme = "<name>"`; any file in its `themes/<name>/templates/` or
//! `themes/<name>/static/` replaces the embedded file of the same name (or adds a new one).
//! Template syntax errors become diagnostics that name the theme file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostics::{Check, Diagnostic, Diagnostics, SourceText};

/// The default theme, embedded at compile time.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Every file of the embedded default theme: path (like `templates/base.html`) and bytes.
pub fn embedded_files() -> Vec<(String, &'static [u8])> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for file in dir.files() {
            out.push((
                file.path().to_string_lossy().replace('\\', "/"),
                file.contents(),
            ));
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut files = Vec::new();
    walk(&DEFAULT_THEME, &mut files);
    files.sort();
    files
}

/// Templates and static assets after overrides, ready to render.
pub struct Theme {
    pub tera: tera::Tera,
    /// Files copied to the output root: relative path → bytes, sorted.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for error messages.
    pub origins: BTreeMap<String, TemplateOrigin>,
    /// A hash of every template and asset: pages rendered with another theme are not reused.
    pub fingerprint: u64,
    /// Whether the site overrides or adds templates (its pages may then show anything the
    /// templates receive, `site.as_of` included, anywhere).
    pub custom_templates: bool,
}

/// A template's file and text, so render errors can point into it.
#[derive(Debug, Clone)]
pub struct TemplateOrigin {
    pub shown_as: PathBuf,
    pub text: String,
}

impl Theme {
    /// Loads the embedded default theme with the overrides of `root/themes/<name>`.
    pub fn load(
        root: &Path,
        name: &str,
        locale: &crate::i18n::Locale,
    ) -> Result<Theme, Diagnostics> {
        let mut problems = Diagnostics::new();
        let mut templates: BTreeMap<String, TemplateOrigin> = BTreeMap::new();
        let mut assets: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        collect_embedded(&DEFAULT_THEME, &mut templates, &mut assets);
        let embedded = templates.clone();

        let site_theme = root.join("themes").join(name);
        if site_theme.is_dir() {
            collect_overrides(
                root,
                &site_theme,
                &mut templates,
                &mut assets,
                &mut problems,
            );
        } else if name != "default" {
            problems.push(
                Diagnostic::new(
                    Check::MissingTheme,
                    crate::config::CONFIG_FILE,
                    format!("\"theme\": the folder themes/{name}/ does not exist"),
                )
                .with_hint("create it, or remove `theme` to use the built-in default theme"),
            );
        }
        if problems.has_errors() {
            return Err(problems);
        }

        let mut tera = tera::Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        super::filters::register(&mut tera, locale);
        let sources: Vec<(String, String)> = templates
            .iter()
            .map(|(name, origin)| (name.clone(), origin.text.clone()))
            .collect();
        if let Err(err) = tera.add_raw_templates(sources) {
            problems.push(template_diagnostic(&err, &templates));
            return Err(problems);
        }
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::hash::DefaultHasher::new();
            for (name, origin) in &templates {
                (name, &origin.text).hash(&mut hasher);
            }
            assets.hash(&mut hasher);
            hasher.finish()
        };
        let custom_templates = templates
            .iter()
            .any(|(name, origin)| embedded.get(name).is_none_or(|e| e.text != origin.text));
        Ok(Theme {
            tera,
            assets,
            origins: templates,
            fingerprint,
            custom_templates,
        })
    }
}

impl Theme {
    /// The message keys the templates ask for (`"key" | t`), each with the first template and
    /// line that does.
    pub fn message_keys(
        &self,
    ) -> BTreeMap<String, (PathBuf, Option<crate::diagnostics::Location>)> {
        let mut keys = BTreeMap::new();
        for origin in self.origins.values() {
            let source = SourceText::new(&origin.text);
            for (at, _) in origin.text.match_indices("\" | t") {
                let before = &origin.text[..at];
                let Some(open) = before.rfind('"') else {
                    continue;
                };
                let key = &before[open + 1..];
                if key.is_empty()
                    || !key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                {
                    continue;
                }
                keys.entry(key.to_string()).or_insert_with(|| {
                    (origin.shown_as.clone(), Some(source.locate(open + 1, at)))
                });
            }
        }
        keys
    }

    /// What `check` says of the theme's own catalog for the site's language: messages neither
    /// its templates nor Aftermath use, and, for a new language, messages it lacks. (A template
    /// asking for a message no catalog has fails to render, at its line.)
    pub fn catalog_problems(&self, locale: &crate::i18n::Locale) -> Vec<Diagnostic> {
        let used = self.message_keys();
        locale.theme_catalog_problems(&used).items().to_vec()
    }
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut BTreeMap<String, TemplateOrigin>,
    assets: &mut BTreeMap<String, Vec<u8>>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            templates.insert(
                name.to_string(),
                TemplateOrigin {
                    shown_as: PathBuf::from(format!("(built-in theme) templates/{name}")),
                    text: String::from_utf8_lossy(file.contents()).into_owned(),
                },
            );
        } else if let Some(name) = path.strip_prefix("static/") {
            assets.insert(name.to_string(), file.contents().to_vec());
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, assets);
    }
}

fn collect_overrides(
    root: &Path,
    theme_dir: &Path,
    templates: &mut BTreeMap<String, TemplateOrigin>,
    assets: &mut BTreeMap<String, Vec<u8>>,
    problems: &mut Diagnostics,
) {
    let canonical_theme = theme_dir
        .canonicalize()
        .unwrap_or_else(|_| theme_dir.to_path_buf());
    for part in ["templates", "static"] {
        let base = theme_dir.join(part);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            let shown = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            if entry.file_type().is_symlink() {
                let inside = path
                    .canonicalize()
                    .is_ok_and(|t| t.starts_with(&canonical_theme) && t.is_file());
                if !inside {
                    problems.push(Diagnostic::new(
                        Check::SymlinkOutsideRoot,
                        shown,
                        "this symbolic link points outside the theme folder, so it is not used",
                    ));
                    continue;
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            let name = path
                .strip_prefix(&base)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            if name.split('/').any(|part| part == ".." || part == ".") {
                problems.push(Diagnostic::new(Check::ThemeFile,
                    shown,
                    format!("this file's name would publish it outside the output folder (as {name}); rename it"),
                ));
                continue;
            }
            match std::fs::read(path) {
                Ok(bytes) if part == "static" => {
                    assets.insert(name, bytes);
                }
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        templates.insert(
                            name,
                            TemplateOrigin {
                                shown_as: shown,
                                text,
                            },
                        );
                    }
                    Err(_) => problems.push(Diagnostic::new(
                        Check::NotUtf8,
                        shown,
                        "the template is not UTF-8 text",
                    )),
                },
                Err(err) => problems.push(Diagnostic::new(
                    Check::UnreadableFile,
                    shown,
                    format!("cannot read the file: {err}"),
                )),
            }
        }
    }
}

/// Turns a Tera error into a diagnostic at the template's file and line.
pub fn template_diagnostic(
    err: &tera::Error,
    origins: &BTreeMap<String, TemplateOrigin>,
) -> Diagnostic {
    use tera::ErrorKind;
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let origin = origins.get(report.filename());
            let shown =
                origin.map_or_else(|| PathBuf::from(report.filename()), |o| o.shown_as.clone());
            let location = origin.map(|o| {
                let span = report.span();
                let length = if span.start_line == span.end_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                SourceText::new(&o.text).locate_line(span.start_line, span.start_col + 1, length)
            });
            Diagnostic::new(
                Check::TemplateError,
                shown,
                format!("template error: {}", report.message()),
            )
            .at(location)
        }
        _ => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            Diagnostic::new(
                Check::TemplateError,
                "(theme)",
                format!("template error: {message}"),
            )
        }
    }
}
