//! Running the real binary against a fixture site, with what it must do set before it runs.
//!
//! In the spirit of just's `Test`: a test names the arguments and, only where they are not the
//! defaults, the exit status, standard output and standard error it expects; `run` checks all
//! three (status 0 and empty output unless told otherwise), with the site's folder shown as
//! `[ROOT]`. After every successful `build`, the output's links are checked and a one-thread
//! build of the same site must give the same bytes.

use std::process::{Command, Output};

use super::SiteTest;

/// A command to run against a [`SiteTest`] and what it must give.
#[must_use = "nothing happens until .run()"]
pub struct Run<'a> {
    site: &'a SiteTest,
    args: Vec<String>,
    env: Vec<(String, String)>,
    status: i32,
    stdout: String,
    stderr: String,
}

impl SiteTest {
    /// `aftermath <args>` in the site's folder.
    pub fn command(&self, args: &[&str]) -> Run<'_> {
        Run {
            site: self,
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
            status: 0,
            stdout: String::new(),
            stderr: String::new(),
        }
    }
}

impl Run<'_> {
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn status(mut self, code: i32) -> Self {
        self.status = code;
        self
    }

    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = text.into();
        self
    }

    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = text.into();
        self
    }

    /// Runs the command and checks status, stdout and stderr, then, after a successful build,
    /// the output.
    #[track_caller]
    pub fn run(self) -> Output {
        let output = self.execute(&self.args, &[]);
        let redact = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .replace(&self.site.root().display().to_string(), "[ROOT]")
        };
        let (stdout, stderr) = (redact(&output.stdout), redact(&output.stderr));
        let status = output.status.code().unwrap_or(-1);
        let mismatch = |name: &str, actual: &str, expected: &str| {
            if actual == expected {
                String::new()
            } else {
                format!(
                    "{name}: {}\nthe whole {name}:\n{actual}\n",
                    super::diff(actual, expected)
                )
            }
        };
        assert!(
            status == self.status && stdout == self.stdout && stderr == self.stderr,
            "aftermath {}\nstatus {status} (expected {})\n{}{}",
            self.args.join(" "),
            self.status,
            mismatch("stdout", &stdout, &self.stdout),
            mismatch("stderr", &stderr, &self.stderr),
        );
        if self.args.first().map(String::as_str) == Some("build") && status == 0 {
            self.check_build();
        }
        output
    }

    fn execute(&self, args: &[String], extra_env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_aftermath"));
        command
            .args(args)
            .current_dir(self.site.root())
            .env_remove("SOURCE_DATE_EPOCH")
            .env_remove("RAYON_NUM_THREADS");
        for (key, value) in &self.env {
            command.env(key, value);
        }
        for (key, value) in extra_env {
            command.env(key, value);
        }
        command.output().expect("run aftermath")
    }

    /// The output of the build that just ran: its links resolve, and a build on one thread
    /// writes the same bytes.
    #[track_caller]
    fn check_build(&self) {
        let internal = self
            .args
            .windows(2)
            .any(|w| w[0] == "--audience" && w[1] == "internal");
        let output = match self.args.iter().position(|a| a == "--output") {
            Some(at) => self.site.root().join(&self.args[at + 1]),
            None if internal => self.site.root().join("public-internal"),
            None => self.site.out(),
        };
        let again = tempfile::tempdir().unwrap();
        let mut args = self.args.clone();
        match args.iter().position(|a| a == "--output") {
            Some(at) => args[at + 1] = again.path().join("out").display().to_string(),
            None => args.extend([
                "--output".into(),
                again.path().join("out").display().to_string(),
            ]),
        }
        let one = self.execute(&args, &[("RAYON_NUM_THREADS", "1")]);
        assert!(
            one.status.success(),
            "the one-thread build failed: {}",
            super::stderr(&one)
        );
        self.site.check_output(&output, &again.path().join("out"));
    }
}

impl SiteTest {
    /// A built site's links resolve, and `twin` (the same site built on one thread) has the
    /// same files and bytes.
    #[track_caller]
    pub fn check_output(&self, output: &std::path::Path, twin: &std::path::Path) {
        let (config, _) = aftermath::config::Config::load_checked(&self.root());
        let (_, broken) =
            super::links::check_links(output, &config.base_path(), super::links::Bodies::Skipped);
        assert_eq!(
            broken,
            Vec::<String>::new(),
            "broken links in {}",
            output.display()
        );
        let (built, one_thread) = (super::tree(output), super::tree(twin));
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&built),
            names(&one_thread),
            "a one-thread build writes other files"
        );
        for ((name, a), (_, b)) in built.iter().zip(&one_thread) {
            assert!(
                a == b,
                "{name} differs in a one-thread build: {}",
                super::diff(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b))
            );
        }
    }
}
