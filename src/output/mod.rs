//! The only code that writes or deletes files: a staging folder, then an atomic swap.
//!
//! [`guard`] decides whether an output folder may be replaced at all (never one that holds or
//! contains the sources, the home folder or a system folder, judged on the real paths after
//! symbolic links). [`staging`] renders into `.aftermath-staging-*` beside the output, makes it
//! durable, and exchanges it with the old output in one atomic step; what a killed build left
//! behind is restored or removed by the next one. The sinks here are where rendered files go:
//! the staging folder for `build`, memory for `serve`, nowhere for `check`.

pub mod guard;
pub mod staging;

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

pub use guard::resolve_output_dir;
pub use staging::{Staging, Swapped};

/// The file that marks a folder as written by aftermath (so it may be replaced).
pub const MARKER_FILE: &str = ".aftermath-output";

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to write the site to {path}: {reason}")]
    Refused { path: PathBuf, reason: String },
    /// The cause is part of the message (not a `source`), so it is printed once.
    #[error("cannot write {path}: {cause}")]
    Io { path: PathBuf, cause: io::Error },
    #[error("cannot replace {path}: {cause}{}", swap_hint(cause))]
    Swap { path: PathBuf, cause: io::Error },
}

impl OutputError {
    /// The I/O error behind this one, if any.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match self {
            OutputError::Io { cause, .. } | OutputError::Swap { cause, .. } => Some(cause.kind()),
            OutputError::Refused { .. } => None,
        }
    }
}

/// What to do when the output folder cannot be replaced.
fn swap_hint(cause: &io::Error) -> &'static str {
    match cause.kind() {
        io::ErrorKind::ResourceBusy => {
            "; it is in use or a mount point: build into a folder inside it (--output public/site)"
        }
        io::ErrorKind::PermissionDenied => {
            "; check that you may rename it (its permissions, an immutable attribute, a read-only file system)"
        }
        _ => "",
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |cause| OutputError::Io {
        path: path.to_path_buf(),
        cause,
    }
}

/// Where rendered files go: the staging folder for `build`, nowhere for `check`.
pub trait Sink: Sync {
    /// Writes `bytes` at `relative` (forward slashes) inside the output.
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError>;

    /// [`Sink::write`] for bytes that may be shared (a sink that keeps them need not copy).
    fn write_shared(&self, relative: &str, bytes: std::sync::Arc<[u8]>) -> Result<(), OutputError> {
        self.write(relative, &bytes)
    }
}

/// Accepts every file and keeps none, so `check` renders exactly what `build` would.
pub struct Discard;

impl Sink for Discard {
    fn write(&self, relative: &str, _bytes: &[u8]) -> Result<(), OutputError> {
        contained(relative).map(|_| ())
    }
}

/// Keeps every file in memory, for `serve`: nothing touches the disk.
#[derive(Default)]
pub struct Memory {
    files: std::sync::Mutex<std::collections::BTreeMap<String, std::sync::Arc<[u8]>>>,
}

impl Memory {
    pub fn into_files(self) -> std::collections::BTreeMap<String, std::sync::Arc<[u8]>> {
        self.files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for Memory {
    fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_shared(relative, std::sync::Arc::from(bytes))
    }

    fn write_shared(&self, relative: &str, bytes: std::sync::Arc<[u8]>) -> Result<(), OutputError> {
        contained(relative)?;
        let mut files = self
            .files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.insert(relative.to_string(), bytes);
        Ok(())
    }
}

/// Creates `path` with `bytes` (and its parent folders), refusing to overwrite anything:
/// how `init` and `new` add files to a site.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write as _;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => OutputError::Refused {
                path: path.to_path_buf(),
                reason: "the file already exists".into(),
            },
            _ => OutputError::Io {
                path: path.to_path_buf(),
                cause: source,
            },
        })?;
    file.write_all(bytes).map_err(io_error(path))
}

/// `relative` as a path that stays inside the output: no `..`, no root, no backslash.
fn contained(relative: &str) -> Result<&Path, OutputError> {
    let path = Path::new(relative);
    let escapes = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)));
    if escapes || relative.contains('\\') || relative.is_empty() {
        return Err(OutputError::Refused {
            path: path.to_path_buf(),
            reason: "the page path leaves the output folder".into(),
        });
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_cannot_leave_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::create(&dir.path().join("public")).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "a\\..\\x", ""] {
            assert!(staging.write(bad, b"x").is_err(), "{bad}");
            assert!(Discard.write(bad, b"x").is_err(), "{bad}");
        }
        assert!(Discard.write("incidents/a/index.html", b"x").is_ok());
    }
}
