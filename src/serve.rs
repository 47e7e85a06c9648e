//! `aftermath serve`: a local preview that rebuilds on every change and reloads the browser.
//!
//! The site is built into memory (never into the output folder), so the server only ever looks
//! paths up in a map: no request can reach the file system, whatever it contains. `content/`,
//! `themes/` and `aftermath.toml` are watched; a burst of saves is debounced into one rebuild. A
//! failed rebuild keeps the last good site and adds an overlay with the diagnostics to every
//! page (in the HTML itself, so it shows without JavaScript) until the next good build. Pages
//! get a small script that reloads them over server-sent events; only in serve mode.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::{DateTime, Utc};
use notify::{RecursiveMode, Watcher as _};
use tokio::sync::{broadcast, watch};

use crate::BuildOptions;
use crate::diagnostics::{Check, Diagnostic, Diagnostics};
use crate::incremental::Incremental;

/// How long the sources must be quiet after a change before rebuilding. An editor's save (a
/// write, or a temporary file renamed over the old one) arrives within a few milliseconds; a
/// longer pause only delays the page.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// How long Ctrl-C waits for open requests before the server stops anyway (a client that sent
/// half a request must not keep it running).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// The host names a request may be addressed to: a page of another site whose name resolves to
/// 127.0.0.1 (DNS rebinding) must not read the preview, drafts included.
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// The path of the reload event stream; chosen so no site page can have it.
pub const EVENTS_PATH: &str = "/__aftermath/events";

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
    Server(std::io::Error),
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
    reloads: broadcast::Sender<()>,
    shutdown: watch::Receiver<bool>,
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
    let _ = state.reloads.send(());
}

/// Runs the server until Ctrl-C. `on_ready` receives the address once the first build is done.
pub async fn serve(
    options: ServeOptions,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .map_err(|cause| ServeError::Bind {
            port: options.port,
            cause,
        })?;
    let address = listener.local_addr().map_err(ServeError::Server)?;
    let base_url = format!("http://{address}/");
    let (reloads, _) = broadcast::channel(16);
    let (stop, shutdown) = watch::channel(false);
    let state = AppState {
        served: Arc::new(RwLock::new(Served::default())),
        builder: Arc::new(std::sync::Mutex::new(Incremental::default())),
        as_of: options.as_of.unwrap_or_else(|| (options.now)()),
        reloads,
        shutdown,
    };
    let options = Arc::new(options);
    rebuild(&options, &base_url, &state, None);

    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let (watcher, changed) = watch(&root)?;
    spawn_rebuilds(
        changed,
        Arc::clone(&watcher),
        root,
        Arc::clone(&options),
        base_url.clone(),
        state.clone(),
    );

    let mut stopping = state.shutdown.clone();
    let app = Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(page)
        .layer(axum::middleware::from_fn(only_local_reads))
        .with_state(state);
    on_ready(address);
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop.send(true);
        })
        .into_future();
    tokio::select! {
        result = server => result.map_err(ServeError::Server)?,
        () = async {
            let _ = stopping.wait_for(|stopped| *stopped).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {}
    }
    drop(watcher);
    Ok(())
}

type Watcher = Arc<std::sync::Mutex<notify::RecommendedWatcher>>;

/// Watches the site's sources; changed paths arrive on the receiver (reads are ignored).
fn watch(
    root: &Path,
) -> Result<(Watcher, tokio::sync::mpsc::UnboundedReceiver<PathBuf>), ServeError> {
    let (changes, changed) = tokio::sync::mpsc::unbounded_channel::<PathBuf>();
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
fn spawn_rebuilds(
    mut changed: tokio::sync::mpsc::UnboundedReceiver<PathBuf>,
    rewatcher: Watcher,
    root: PathBuf,
    options: Arc<ServeOptions>,
    base_url: String,
    state: AppState,
) {
    tokio::spawn(async move {
        while let Some(first) = changed.recv().await {
            // An editor's save is a burst of events: wait until it has been quiet for a moment.
            let mut paths = vec![first];
            while let Ok(Some(path)) = tokio::time::timeout(DEBOUNCE, changed.recv()).await {
                paths.push(path);
            }
            // A source folder deleted and created again (a branch switch) lost its watch.
            rewatch(&rewatcher, &root, &paths);
            // Name a file that still exists (editors save through temporary files).
            let sources: Vec<&PathBuf> = paths.iter().filter(|p| is_source(&root, p)).collect();
            let Some(source) = sources
                .iter()
                .find(|p| p.is_file())
                .or(sources.first())
                .copied()
            else {
                continue;
            };
            let changed = source.strip_prefix(&root).unwrap_or(source).to_path_buf();
            let (options, base, state) = (Arc::clone(&options), base_url.clone(), state.clone());
            let _ = tokio::task::spawn_blocking(move || {
                rebuild(&options, &base, &state, Some(&changed))
            })
            .await;
        }
    });
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

/// Answers only GET and HEAD, and only to requests addressed to a loopback name.
async fn only_local_reads(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response<Body> {
    use axum::http::Method;
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(Body::from("only GET and HEAD are served\n"))
            .unwrap_or_default();
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if let Some(host) = host
        && !is_loopback_host(host)
    {
        return Response::builder()
            .status(StatusCode::FORBIDDEN)
            .body(Body::from(
                "this preview answers only requests to 127.0.0.1 or localhost\n",
            ))
            .unwrap_or_default();
    }
    next.run(request).await
}

/// `127.0.0.1:8000`, `localhost`, `[::1]:8000`: a loopback name, with any port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port))
            if !name.is_empty()
                && port.bytes().all(|b| b.is_ascii_digit())
                && !host.ends_with(']') =>
        {
            name
        }
        _ => host,
    };
    LOOPBACK_HOSTS.iter().any(|h| name.eq_ignore_ascii_case(h))
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

async fn events(
    State(state): State<AppState>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>> {
    let receiver = state.reloads.subscribe();
    let stream = futures_util::stream::unfold(
        (receiver, state.shutdown.clone()),
        |(mut receiver, mut shutdown)| async move {
            loop {
                tokio::select! {
                    message = receiver.recv() => match message {
                        Ok(()) => return Some((Ok(Event::default().data("reload")), (receiver, shutdown))),
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = shutdown.changed() => return None,
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The served file for a request path: `index.html` for folders, `None` for anything else,
/// including every path with `..`, `.`, a backslash or a NUL once decoded.
pub fn lookup_path(uri_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(uri_path)
        .decode_utf8()
        .ok()?;
    let trimmed = decoded.strip_prefix('/')?;
    let segments: Vec<&str> = trimmed.split('/').collect();
    let bad = |s: &&str| *s == ".." || *s == "." || s.contains(['\\', '\0']);
    if segments.iter().any(bad) {
        return None;
    }
    if trimmed.is_empty() || trimmed.ends_with('/') {
        Some(format!("{trimmed}index.html"))
    } else {
        Some(trimmed.to_string())
    }
}

async fn page(State(state): State<AppState>, uri: Uri) -> Response<Body> {
    let served = state
        .served
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let path = lookup_path(uri.path());
    let found = path
        .as_ref()
        .and_then(|p| served.files.get(p).map(|bytes| (p.clone(), bytes)));
    let (status, name, bytes) = match found {
        Some((name, bytes)) => (StatusCode::OK, name, bytes.to_vec()),
        None => {
            if let Some(path) = &path
                && served.files.contains_key(&format!("{path}/index.html"))
            {
                let location = format!("{}/", uri.path());
                return Response::builder()
                    .status(StatusCode::PERMANENT_REDIRECT)
                    .header(header::LOCATION, location)
                    .body(Body::empty())
                    .unwrap_or_default();
            }
            let not_found = served.files.get("404.html").map_or_else(
                || b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec(),
                |bytes| bytes.to_vec(),
            );
            (StatusCode::NOT_FOUND, "404.html".to_string(), not_found)
        }
    };
    let content_type = content_type(&name);
    let body = if content_type.starts_with("text/html") {
        inject(&bytes, served.problems.as_ref())
    } else {
        bytes
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, HeaderValue::from_static(content_type))
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body))
        .unwrap_or_default()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script and, while the last build failed, the diagnostics overlay.
pub fn inject(html: &[u8], problems: Option<&Diagnostics>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = String::new();
    if let Some(problems) = problems {
        extra.push_str(&overlay(problems));
    }
    extra.push_str(&format!(
        "<script>new EventSource(\"{EVENTS_PATH}\").onmessage = () => location.reload();</script>\n"
    ));
    match text.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn overlay(problems: &Diagnostics) -> String {
    let escaped = crate::text::html::escape(&format!("{problems}{}", problems.summary(0)));
    format!(
        "<div id=\"aftermath-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffe9e9;border-top:4px solid #ff5c5c;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace\"><p style=\"margin:0 0 .5rem;font-weight:700\">The last change broke the build; this is the last good version of the site.</p><pre style=\"margin:0;white-space:pre-wrap\">{escaped}</pre></div>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_names_are_answered() {
        for host in [
            "127.0.0.1:8000",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8000",
            "[::1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example:8000",
            "127.0.0.1.evil.example",
            "localhost.evil:80",
            "",
            "10.0.0.1:8000",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn lookup_refuses_traversal_in_every_spelling() {
        assert_eq!(lookup_path("/"), Some("index.html".into()));
        assert_eq!(
            lookup_path("/incidents/a/"),
            Some("incidents/a/index.html".into())
        );
        assert_eq!(
            lookup_path("/assets/style.css"),
            Some("assets/style.css".into())
        );
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/../../b",
            "/%2E%2E%2Fetc",
            "/a%5C..%5Cb",
            "/./x",
            "/a%00b",
            "relative",
        ] {
            assert_eq!(lookup_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_overlay_and_script_go_before_body_end() {
        let mut problems = Diagnostics::new();
        problems.push(Diagnostic::new(
            Check::InvalidValue,
            "content/a.md",
            "<bad> & wrong",
        ));
        let html = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some(&problems),
        ))
        .unwrap();
        assert!(
            html.contains("<p>x</p><div id=\"aftermath-overlay\""),
            "{html}"
        );
        assert!(
            html.contains("content/a.md: &lt;bad&gt; &amp; wrong"),
            "{html}"
        );
        assert!(
            html.ends_with("location.reload();</script>\n</body></html>"),
            "{html}"
        );
        let clean = String::from_utf8(inject(b"<body></body>", None)).unwrap();
        assert!(!clean.contains("aftermath-overlay"));
    }
}
