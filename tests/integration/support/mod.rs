//! A small harness: write a fixture site into a temporary folder, build it, read the output.

pub mod links;
pub mod run;

use aftermath::render::Silent;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

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
            audience: aftermath::config::Audience::Public,
            force: false,
            home: None,
            cache: false,
        }
    }

    /// Builds in-process; panics with the report if the build fails. Then checks the output
    /// as every successful build is checked (see `run.rs`): its links resolve, and the binary
    /// on one thread writes the same bytes.
    #[track_caller]
    pub fn build(&self, as_of: &str) -> BuildReport {
        let report = match aftermath::build(&self.options(as_of), &Silent) {
            Ok(report) => report,
            Err(BuildError::Invalid { diagnostics, .. }) => panic!("build failed:\n{diagnostics}"),
            Err(err) => panic!("build failed: {err}"),
        };
        let twin = tempfile::tempdir().unwrap();
        let out = twin.path().join("out").display().to_string();
        let one = self.run(
            &["build", "-q", "--as-of", as_of, "--output", &out],
            &[("RAYON_NUM_THREADS", "1")],
        );
        assert!(
            one.status.success(),
            "the one-thread build failed: {}",
            stderr(&one)
        );
        self.check_output(&report.output, &twin.path().join("out"));
        report
    }

    /// Builds and returns the printed problems of a failed build.
    pub fn build_err(&self, as_of: &str) -> String {
        match aftermath::build(&self.options(as_of), &Silent) {
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

/// A GET over a plain TCP connection: the status code and the body.
pub fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// Polls `path` until `accept` holds for its body, for up to 15 seconds.
pub fn wait_for(address: &str, path: &str, accept: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (_, body) = get(address, path);
        if accept(&body) || started.elapsed() > Duration::from_secs(15) {
            return body;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts `aftermath serve --port 0` on `site` and returns it with its address, once it is
/// ready (it prints the address after the first build).
pub fn serve(site: &SiteTest, as_of: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftermath"))
        .args(["serve", "--port", "0", "--as-of", as_of])
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("serve prints its address");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an address")
        .to_string();
    assert!(address.starts_with("127.0.0.1:"), "{line}");
    (child, address)
}

/// Sends SIGINT (Ctrl-C) to `child` and returns how long it took to exit, and its status.
pub fn interrupt(child: &mut Child) -> (Duration, std::process::ExitStatus) {
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (started.elapsed(), status);
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "it stops on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Where two texts part: the first line that differs, with the lines around it on each side.
pub fn diff(actual: &str, expected: &str) -> String {
    let (a, e): (Vec<&str>, Vec<&str>) = (actual.lines().collect(), expected.lines().collect());
    let Some(first) = (0..a.len().max(e.len())).find(|&i| a.get(i) != e.get(i)) else {
        return "the texts differ only in line endings or a final line break".into();
    };
    let around = first.saturating_sub(2)..first + 3;
    let side = |lines: &[&str], mark: char| {
        lines
            .get(around.start.min(lines.len())..around.end.min(lines.len()))
            .unwrap_or_default()
            .iter()
            .map(|line| format!("{mark} {line}\n"))
            .collect::<String>()
    };
    format!(
        "first difference at line {}:\n--- actual\n{}+++ expected\n{}",
        first + 1,
        side(&a, '-'),
        side(&e, '+')
    )
}
