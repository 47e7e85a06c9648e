//! A small harness: write a fixture site into a temporary folder, build it, read the output.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aftermath::{BuildError, BuildOptions, BuildReport};
use chrono::{DateTime, Utc};

pub struct SiteTest {
    dir: tempfile::TempDir,
}

impl SiteTest {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir_all(dir.path().join("site/content")).unwrap();
        SiteTest { dir }
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn config(self, text: &str) -> Self {
        self.file("aftermath.toml", text)
    }

    /// Writes `text` at `path` relative to the site root.
    pub fn file(self, path: &str, text: &str) -> Self {
        let full = self.root().join(path);
        fs::create_dir_all(full.parent().unwrap()).unwrap();
        fs::write(full, text).unwrap();
        self
    }

    pub fn options(&self, as_of: &str) -> BuildOptions {
        BuildOptions {
            root: self.root(),
            output: None,
            base_url: None,
            as_of: as_of.parse::<DateTime<Utc>>().expect("as_of"),
            include_drafts: false,
            force: false,
            home: None,
        }
    }

    /// Builds in-process; panics with the report if the build fails.
    pub fn build(&self, as_of: &str) -> BuildReport {
        match aftermath::build(&self.options(as_of)) {
            Ok(report) => report,
            Err(BuildError::Invalid { diagnostics, .. }) => panic!("build failed:\n{diagnostics}"),
            Err(err) => panic!("build failed: {err}"),
        }
    }

    /// Builds and returns the printed problems of a failed build.
    pub fn build_err(&self, as_of: &str) -> String {
        match aftermath::build(&self.options(as_of)) {
            Ok(_) => panic!("the build should have failed"),
            Err(BuildError::Invalid { diagnostics, .. }) => diagnostics.to_string(),
            Err(err) => err.to_string(),
        }
    }

    pub fn read(&self, path: &str) -> String {
        let full = self.out().join(path);
        fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
    }

    pub fn json(&self, path: &str) -> serde_json::Value {
        serde_json::from_str(&self.read(path)).expect("valid JSON")
    }

    /// Runs the real binary with `args` in the site root.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_aftermath"));
        command
            .args(args)
            .current_dir(self.root())
            .env_remove("SOURCE_DATE_EPOCH");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("run aftermath")
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().display().to_string(),
                fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
