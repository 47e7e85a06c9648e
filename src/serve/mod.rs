//! `aftermath serve`: a local preview that rebuilds on every change and reloads the browser.
//!
//! The site is built into memory (never into the output folder), so the server only ever looks
//! paths up in a map: no request can reach the file system, whatever it contains. `content/`,
//! `themes/` and `aftermath.toml` are watched; a burst of saves is debounced into one rebuild. A
//! failed rebuild keeps the last good site and adds an overlay with the diagnostics to every
//! page (in the HTML itself, so it shows without JavaScript) until the next good build. Pages
//! get a small script that reloads them over server-sent events; only in serve mode.
//!
//! Plain threads: a few workers answer requests (tiny_http reads them), each event stream has
//! a thread of its own, one thread rebuilds. A preview serves one person; an async runtime
//! would cost more to compile than it could save here.

mod http;

pub use http::{EVENTS_PATH, inject, is_loopback_host, lookup_path};

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use notify::{RecursiveMode, Watcher as _};

use crate::BuildOptions;
use crate::diagnostics::{Check, Diagnostic, Diagnostics};
use crate::incremental::Incremental;
use http::Reloads;

/// How long the sources must be quiet after a change before rebuilding. An editor's save (a
/// write, or a temporary file renamed over the old one) arrives within a few milliseconds; a
/// longer pause only delays the page.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// How long Ctrl-C waits for answers being written before the server stops anyway (a client
/// that sent half a request must not keep it running).
const SHUTDOWN_GRACE: Duration = Duration::from_millis(200);

/// Threads that answer requests (event streams have threads of their own).
const WORKERS: usize = 4;

/// How `serve` was asked to run. `now` is called for every rebuild (unless `as_of` is fixed).
pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub include_drafts: bool,
    /// Serve the public site or the internal edition.
    pub audience: crate::config::Audience,
    pub as_of: Option<DateTime<Utc>>,
    pub now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    /// Where progress lines go (the library never prints).
    pub log: Arc<dyn Fn(String) + Send + Sync>,
}

/// Why the server could not start or stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    // Causes are part of the messages, not `source`s, so a printed chain says them once.
    #[error("cannot listen on 127.0.0.1:{port}: {cause}{}", port_hint(cause))]
    Bind { port: u16, cause: std::io::Error },
    #[error("cannot watch {path}: {cause}")]
    Watch { path: PathBuf, cause: notify::Error },
    #[error("the server failed: {0}")]
    Server(String),
}

/// What to do when the port is taken.
fn port_hint(cause: &std::io::Error) -> &'static str {
    if cause.kind() == std::io::ErrorKind::AddrInUse {
        "; another program uses that port: pick another with --port, or --port 0 for any free one"
    } else {
        ""
    }
}

/// The last good site, and the problems of the last build if it failed.
#[derive(Default)]
struct Served {
    files: BTreeMap<String, Arc<[u8]>>,
    problems: Option<Diagnostics>,
}

#[derive(Clone)]
struct AppState {
    served: Arc<RwLock<Served>>,
    /// The caches of the incremental builder, kept between rebuilds.
    builder: Arc<std::sync::Mutex<Incremental>>,
    /// "Now" for every rebuild: fixed when the server starts, so unchanged pages stay unchanged.
    as_of: DateTime<Utc>,
    reloads: Arc<Reloads>,
}

/// Serves each page that depends on a change as soon as it is rendered, before the rest of the
/// site is rebuilt: the edited postmortem's page is new in a fraction of the rebuild time.
struct ServeChangedPages<'a>(&'a RwLock<Served>);

impl crate::render::Progress for ServeChangedPages<'_> {
    fn changed_page(&self, path: &str, bytes: &Arc<[u8]>) {
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .files
            .insert(path.to_string(), Arc::clone(bytes));
    }
}

/// Rebuilds and swaps the served site; logs the time taken (and the change that caused it) or
/// the problems.
fn rebuild(options: &ServeOptions, base_url: &str, state: &AppState, changed: Option<&Path>) {
    let started = Instant::now();
    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        base_url: Some(base_url.to_string()),
        as_of: state.as_of,
        include_drafts: options.include_drafts,
        audience: options.audience,
        force: false,
        home: None,
        cache: false,
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut builder = state
            .builder
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let files = builder.build(&build_options, &ServeChangedPages(&state.served))?;
        let warnings = builder.warnings();
        let printed = if warnings.is_empty() {
            String::new()
        } else {
            format!("{warnings}{}\n", warnings.warning_summary())
        };
        Ok((files, printed))
    }))
    .unwrap_or_else(|panic| {
        // A bug, not the user's input: say so instead of keeping an unrelated old overlay,
        // and start the next build from empty caches.
        *state
            .builder
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Incremental::default();
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut problems = Diagnostics::new();
        problems.push(Diagnostic::new(
            Check::InternalError,
            "(aftermath)",
            format!("internal error while building: {what}; please report it"),
        ));
        Err(problems)
    });
    let elapsed = started.elapsed().as_millis();
    let mut served = state
        .served
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match result {
        Ok((files, warnings)) => {
            let cause = changed.map_or_else(String::new, |p| {
                format!(" after a change to {}", p.display())
            });
            let verb = if changed.is_some() {
                "rebuilt"
            } else {
                "built"
            };
            (options.log)(format!(
                "{warnings}{verb} in {elapsed} ms ({} files){cause}",
                files.len()
            ));
            served.files = files;
            served.problems = None;
        }
        Err(problems) => {
            (options.log)(format!(
                "{problems}build failed in {elapsed} ms; still serving the last good site"
            ));
            served.problems = Some(problems);
        }
    }
    drop(served);
    state.reloads.reload();
}

/// Runs the server until Ctrl-C. `on_ready` receives the address once the first build is done.
pub fn serve(options: ServeOptions, on_ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", options.port)).map_err(|cause| {
        ServeError::Bind {
            port: options.port,
            cause,
        }
    })?;
    let address = listener
        .local_addr()
        .map_err(|err| ServeError::Server(err.to_string()))?;
    let server = Arc::new(
        tiny_http::Server::from_listener(listener, None)
            .map_err(|err| ServeError::Server(err.to_string()))?,
    );
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .map_err(|err| ServeError::Server(format!("cannot handle Ctrl-C: {err}")))?;

    let base_url = format!("http://{address}/");
    let state = AppState {
        served: Arc::new(RwLock::new(Served::default())),
        builder: Arc::new(std::sync::Mutex::new(Incremental::default())),
        as_of: options.as_of.unwrap_or_else(|| (options.now)()),
        reloads: Arc::new(Reloads::default()),
    };
    let options = Arc::new(options);
    rebuild(&options, &base_url, &state, None);

    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let (watcher, changed) = watch(&root)?;
    let rebuilds = (Arc::clone(&options), base_url, state.clone());
    let rewatcher = Arc::clone(&watcher);
    std::thread::spawn(move || rebuild_on_changes(&changed, &rewatcher, &root, rebuilds));
    for _ in 0..WORKERS {
        let (server, state) = (Arc::clone(&server), state.clone());
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                http::answer(request, &state.served, &state.reloads);
            }
        });
    }
    on_ready(address);

    let _ = stopped.recv();
    state.reloads.stop();
    for _ in 0..WORKERS {
        server.unblock();
    }
    std::thread::sleep(SHUTDOWN_GRACE);
    drop(watcher);
    Ok(())
}

type Watcher = Arc<std::sync::Mutex<notify::RecommendedWatcher>>;

/// Watches the site's sources; changed paths arrive on the receiver (reads are ignored).
fn watch(root: &Path) -> Result<(Watcher, Receiver<PathBuf>), ServeError> {
    let (changes, changed) = std::sync::mpsc::channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        // Reading files (our own rebuilds do) must not trigger a rebuild.
        if let Ok(event) = result
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                let _ = changes.send(path);
            }
        }
    })
    .map_err(|cause| ServeError::Watch {
        path: root.to_path_buf(),
        cause,
    })?;
    for (path, mode) in watched_paths(root) {
        watcher
            .watch(&path, mode)
            .map_err(|cause| ServeError::Watch {
                path: path.clone(),
                cause,
            })?;
    }
    Ok((Arc::new(std::sync::Mutex::new(watcher)), changed))
}

/// Rebuilds after each burst of changes to a source file, one rebuild at a time.
fn rebuild_on_changes(
    changed: &Receiver<PathBuf>,
    rewatcher: &Watcher,
    root: &Path,
    (options, base_url, state): (Arc<ServeOptions>, String, AppState),
) {
    while let Ok(first) = changed.recv() {
        // An editor's save is a burst of events: wait until it has been quiet for a moment.
        let mut paths = vec![first];
        loop {
            match changed.recv_timeout(DEBOUNCE) {
                Ok(path) => paths.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // A source folder deleted and created again (a branch switch) lost its watch.
        rewatch(rewatcher, root, &paths);
        // Name a file that still exists (editors save through temporary files).
        let sources: Vec<&PathBuf> = paths.iter().filter(|p| is_source(root, p)).collect();
        let Some(source) = sources
            .iter()
            .find(|p| p.is_file())
            .or(sources.first())
            .copied()
        else {
            continue;
        };
        let changed = source.strip_prefix(root).unwrap_or(source);
        rebuild(&options, &base_url, &state, Some(changed));
    }
}

/// Watches `content/` or `themes/` again when an event says it was (re)created.
fn rewatch(watcher: &std::sync::Mutex<notify::RecommendedWatcher>, root: &Path, paths: &[PathBuf]) {
    let mut watcher = watcher
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for folder in ["content", "themes"] {
        let path = root.join(folder);
        if paths.contains(&path) && path.is_dir() {
            let _ = watcher.unwatch(&path);
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// What to watch: `content/` and `themes/` recursively, the root itself for `aftermath.toml`
/// (and for those folders appearing). Never the output folder.
fn watched_paths(root: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    let mut paths = vec![(root.to_path_buf(), RecursiveMode::NonRecursive)];
    for folder in ["content", "themes"] {
        let path = root.join(folder);
        if path.is_dir() {
            paths.push((path, RecursiveMode::Recursive));
        }
    }
    paths
}

/// Whether a changed path is one of the site's sources.
fn is_source(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative == Path::new(crate::config::CONFIG_FILE)
        || relative.starts_with("content")
        || relative.starts_with("themes")
}
