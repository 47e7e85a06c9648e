//! Which folders a build may replace: decided on real paths, after every symbolic link.
//!
//! Building replaces the whole output folder, so a wrong output would delete whatever it holds.
//! Refused with or without `--force`: the file-system root, a system folder (`/usr`, `/home`,
//! ...), the home folder and its ancestors, the site root and its ancestors, and any folder that
//! is, holds or lies inside `content/`, `themes/` or `aftermath.toml`, once each of them is
//! resolved (so `content -> public` or `public -> content` is caught). Refused without
//! `--force`: a non-empty folder that aftermath did not create (it has no marker file).

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::{MARKER_FILE, OutputError, io_error};

/// Folders that are never an output, nor is any folder that contains them (as real paths).
const SYSTEM_FOLDERS: [&str; 24] = [
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/mnt",
    "/media",
    "/opt",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/srv",
    "/sys",
    "/tmp",
    "/usr",
    "/var",
    "/Applications",
    "/Library",
    "/System",
    "/Users",
];

/// The longest output path accepted: pages sit up to about 250 bytes below it, and most
/// systems refuse paths over 4,096 bytes.
const MAX_OUTPUT_PATH_BYTES: usize = 3_800;

/// Resolves `output` (relative to `root` when relative) and checks it is safe to replace.
pub fn resolve_output_dir(
    root: &Path,
    output: &Path,
    force: bool,
    home: Option<&Path>,
) -> Result<PathBuf, OutputError> {
    let root = root.canonicalize().map_err(io_error(root))?;
    let joined = if output.is_absolute() {
        output.to_path_buf()
    } else {
        root.join(output)
    };
    let resolved = normalize(&joined);
    let refuse = |reason: String| OutputError::Refused {
        path: resolved.clone(),
        reason,
    };
    if fs::symlink_metadata(&resolved).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse("it is a symbolic link; give the real folder".into()));
    }
    let real = real_path(&resolved);
    if let Some(reason) = protected_reason(&real, &root, home) {
        return Err(refuse(reason));
    }
    if real.as_os_str().len() > MAX_OUTPUT_PATH_BYTES {
        return Err(refuse(format!(
            "its path is longer than {MAX_OUTPUT_PATH_BYTES} bytes, too long for the pages inside it"
        )));
    }
    if resolved.is_file() {
        return Err(refuse("it is a file, not a folder".into()));
    }
    if resolved.is_dir() && !force && !resolved.join(MARKER_FILE).is_file() {
        let empty = fs::read_dir(&resolved)
            .map_err(io_error(&resolved))?
            .next()
            .is_none();
        if !empty {
            return Err(refuse(format!(
                "the folder is not empty and was not created by aftermath (it has no {MARKER_FILE} file); use --force to replace it"
            )));
        }
    }
    Ok(resolved)
}

/// Why replacing the real folder `real` would destroy something, if it would.
fn protected_reason(real: &Path, root: &Path, home: Option<&Path>) -> Option<String> {
    if real.parent().is_none() {
        return Some("it is the root of the file system".into());
    }
    let system: Vec<PathBuf> = SYSTEM_FOLDERS
        .iter()
        .map(|folder| real_path(Path::new(folder)))
        .collect();
    if system.iter().any(|folder| folder == real) {
        return Some("it is a system folder".into());
    }
    if let Some(folder) = system.iter().find(|folder| folder.starts_with(real)) {
        return Some(format!(
            "it contains the system folder {}",
            folder.display()
        ));
    }
    if let Some(home) = home.map(real_path)
        && home.starts_with(real)
    {
        return Some(if home == real {
            "it is your home folder".into()
        } else {
            "it contains your home folder".into()
        });
    }
    if root.starts_with(real) {
        return Some(
            "it is the site root or a folder that contains it; building there would delete the postmortems"
                .into(),
        );
    }
    for (source, label) in [
        ("content", "content/"),
        ("themes", "themes/"),
        (crate::config::CONFIG_FILE, crate::config::CONFIG_FILE),
    ] {
        let written = root.join(source);
        let protected = real_path(&written);
        let link = if protected == written {
            String::new()
        } else {
            format!(" (a link to {})", protected.display())
        };
        if real.starts_with(&protected) {
            return Some(format!(
                "it is inside {label}{link}, which holds the site's sources"
            ));
        }
        if protected.starts_with(real) {
            return Some(format!(
                "it contains {label}{link}, which holds the site's sources; building there would delete them"
            ));
        }
    }
    None
}

/// Removes `.` and `..` components without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The canonical form of the longest existing ancestor, with the rest appended.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let mut existing = normalize(path);
    let mut rest = Vec::new();
    while fs::symlink_metadata(&existing).is_err() {
        match (
            existing.file_name().map(ToOwned::to_owned),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut real = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        real.push(name);
    }
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("site/content/2024")).unwrap();
        fs::create_dir_all(dir.path().join("site/themes/default")).unwrap();
        fs::write(dir.path().join("site/aftermath.toml"), "").unwrap();
        dir
    }

    fn reason(root: &Path, output: &str, home: Option<&Path>) -> String {
        match resolve_output_dir(root, Path::new(output), true, home) {
            Err(OutputError::Refused { reason, .. }) => reason,
            other => panic!("{output} was not refused: {other:?}"),
        }
    }

    #[test]
    fn refuses_folders_that_hold_sources() {
        let dir = site();
        let root = dir.path().join("site");
        for bad in [".", "..", "content", "content/2024", "themes/default", "/"] {
            reason(&root, bad, None);
        }
        assert_eq!(
            reason(&root, "aftermath.toml", None),
            "it is inside aftermath.toml, which holds the site's sources"
        );
        assert!(resolve_output_dir(&root, Path::new("public"), false, None).is_ok());
        assert!(resolve_output_dir(&root, Path::new("../elsewhere"), false, None).is_ok());
    }

    #[test]
    fn refuses_the_home_folder_its_ancestors_and_system_folders() {
        let dir = site();
        let root = dir.path().join("site");
        let home = dir.path().join("users/maria");
        fs::create_dir_all(&home).unwrap();
        assert_eq!(
            reason(&root, home.to_str().unwrap(), Some(&home)),
            "it is your home folder"
        );
        let users = dir.path().join("users");
        assert_eq!(
            reason(&root, users.to_str().unwrap(), Some(&home)),
            "it contains your home folder"
        );
        assert_eq!(reason(&root, "/usr", None), "it is a system folder");
        assert_eq!(reason(&root, "/var/../etc", None), "it is a system folder");
        assert!(reason(&root, "/home", None).starts_with("it "));
    }

    #[test]
    fn symbolic_links_cannot_smuggle_a_source_folder_in() {
        let dir = site();
        let root = dir.path().join("site");
        // content/ is a link into the output folder: replacing the output deletes the sources.
        fs::rename(root.join("content"), root.join("public")).unwrap();
        std::os::unix::fs::symlink("public", root.join("content")).unwrap();
        let real_public = root.canonicalize().unwrap().join("public");
        assert_eq!(
            reason(&root, "public", None),
            format!(
                "it is inside content/ (a link to {}), which holds the site's sources",
                real_public.display()
            )
        );
        // content/ is a link to a folder outside the root: its parent contains it.
        fs::remove_file(root.join("content")).unwrap();
        let elsewhere = dir.path().join("elsewhere/posts");
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("content")).unwrap();
        assert!(reason(&root, "../elsewhere", None).starts_with("it contains content/ (a link to"));
        // The output is reached through a linked parent that leads into themes/.
        std::os::unix::fs::symlink(root.join("themes"), dir.path().join("out")).unwrap();
        assert!(reason(&root, "../out/public", None).starts_with("it is inside themes/,"));
    }

    #[test]
    fn refuses_a_foreign_non_empty_folder_unless_forced() {
        let dir = site();
        let root = dir.path().join("site");
        fs::create_dir_all(root.join("public")).unwrap();
        fs::write(root.join("public/notes.txt"), "mine").unwrap();
        let err = resolve_output_dir(&root, Path::new("public"), false, None).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        assert!(resolve_output_dir(&root, Path::new("public"), true, None).is_ok());
        fs::write(root.join("public").join(MARKER_FILE), "").unwrap();
        assert!(resolve_output_dir(&root, Path::new("public"), false, None).is_ok());
    }
}
