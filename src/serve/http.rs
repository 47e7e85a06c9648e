//! What the preview answers: pages from the in-memory site (with the reload script and, after a
//! failed rebuild, the diagnostics overlay), the reload event stream, and refusals.
//!
//! Only GET and HEAD are answered, and only for requests addressed to a loopback name: a page
//! of another site whose name resolves to 127.0.0.1 (DNS rebinding) must not read the preview,
//! drafts included. Paths are looked up in a map; no request reaches the file system.

use std::io::Write as _;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::Served;
use crate::diagnostics::Diagnostics;

/// The host names a request may be addressed to.
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// The path of the reload event stream; chosen so no site page can have it.
pub const EVENTS_PATH: &str = "/__aftermath/events";

/// How often an idle event stream gets a comment, so proxies and browsers keep it open and a
/// closed tab is noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Tells event streams that the site was rebuilt, or that the server is stopping.
#[derive(Default)]
pub struct Reloads {
    /// The number of builds so far, and whether the server is stopping.
    state: Mutex<(u64, bool)>,
    changed: Condvar,
}

impl Reloads {
    /// Wakes every stream: the site changed.
    pub fn reload(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0 += 1;
        self.changed.notify_all();
    }

    /// Ends every stream: the server is stopping.
    pub fn stop(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.changed.notify_all();
    }

    /// Waits up to `timeout` for a build after `seen`; the build count now, or `None` when
    /// the server is stopping.
    fn wait(&self, seen: u64, timeout: Duration) -> Option<u64> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |(builds, stopping)| {
                *builds == seen && !*stopping
            })
            .unwrap_or_else(PoisonError::into_inner);
        (!state.1).then_some(state.0)
    }

    fn builds(&self) -> u64 {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }
}

/// Answers one request. The event stream keeps its connection (on its own thread) until the
/// client leaves or the server stops.
pub fn answer(request: Request, served: &RwLock<Served>, reloads: &Arc<Reloads>) {
    if let Some(refusal) = refusal(&request) {
        let _ = request.respond(refusal);
        return;
    }
    if request.url().split('?').next() == Some(EVENTS_PATH) {
        let reloads = Arc::clone(reloads);
        std::thread::spawn(move || stream_events(request, &reloads));
        return;
    }
    let response = page(request.url(), served);
    let _ = request.respond(response);
}

/// A response for what is not answered: other methods, other host names.
fn refusal(request: &Request) -> Option<Response<std::io::Cursor<Vec<u8>>>> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let refusal = Response::from_string("only GET and HEAD are served\n").with_status_code(405);
        return Some(with_header(refusal, "Allow", "GET, HEAD"));
    }
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str());
    match host {
        Some(host) if !is_loopback_host(host) => Some(
            Response::from_string("this preview answers only requests to 127.0.0.1 or localhost\n")
                .with_status_code(403),
        ),
        _ => None,
    }
}

/// `response` with the header `name: value` (left out if the value is not plain ASCII).
fn with_header<R: std::io::Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

/// Server-sent events: `reload` after every build, a comment while idle.
fn stream_events(request: Request, reloads: &Reloads) {
    let mut seen = reloads.builds();
    let mut stream = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.flush())
        .is_err()
    {
        return;
    }
    while let Some(builds) = reloads.wait(seen, KEEP_ALIVE) {
        let event: &[u8] = if builds == seen {
            b": keep-alive\n\n"
        } else {
            b"data: reload\n\n"
        };
        seen = builds;
        if stream
            .write_all(event)
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The page at `url`, a redirect to its folder, or the site's 404 page.
fn page(url: &str, served: &RwLock<Served>) -> Response<std::io::Cursor<Vec<u8>>> {
    let served = served.read().unwrap_or_else(PoisonError::into_inner);
    let uri_path = url.split(['?', '#']).next().unwrap_or(url);
    let path = lookup_path(uri_path);
    let found = path
        .as_ref()
        .and_then(|p| served.files.get(p).map(|bytes| (p.clone(), bytes)));
    let (status, name, bytes) = match found {
        Some((name, bytes)) => (200, name, bytes.to_vec()),
        None => {
            if let Some(path) = &path
                && served.files.contains_key(&format!("{path}/index.html"))
            {
                let redirect = Response::from_data(Vec::new()).with_status_code(StatusCode(308));
                return with_header(redirect, "Location", &format!("{uri_path}/"));
            }
            let not_found = served.files.get("404.html").map_or_else(
                || b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>".to_vec(),
                |bytes| bytes.to_vec(),
            );
            (404, "404.html".to_string(), not_found)
        }
    };
    let content_type = content_type(&name);
    let body = if content_type.starts_with("text/html") {
        inject(&bytes, served.problems.as_ref())
    } else {
        bytes
    };
    let response = Response::from_data(body).with_status_code(status);
    with_header(
        with_header(response, "Content-Type", content_type),
        "Cache-Control",
        "no-store",
    )
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
        use crate::diagnostics::{Check, Diagnostic};
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
