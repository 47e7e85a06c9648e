//! What the Atom feed and the JSON Feed share: one title rule and links that work outside
//! the site.
//!
//! A feed reader shows an entry's HTML away from its page and resolves a relative link
//! against the feed's own address (`feed.xml`), so `href="../session-store-failover/"` written
//! for `incidents/<id>/` would lead nowhere. Every link and image in feed content is made
//! absolute against the entry's page, and both feeds mark entries the same way.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Utc};
use regex::{Captures, Regex};

use crate::content::{Incident, Kind};
use crate::i18n::Locale;
use crate::markdown::MarkdownRenderer;
use crate::site::Site;
use crate::stats::end_as_of;

/// The entries of a feed: upcoming maintenance first (soonest first: subscribers hear of it
/// before it starts), then the `length` newest published entries; of one service only when
/// `service` names one.
pub fn entries<'a>(site: &'a Site, length: usize, service: Option<&str>) -> Vec<&'a Incident> {
    let wanted = |i: &&Incident| service.is_none_or(|s| i.services.iter().any(|x| x == s));
    site.upcoming
        .iter()
        .filter(wanted)
        .chain(site.incidents.iter().filter(wanted).take(length))
        .collect()
}

/// Where a feed is and what it is called: the site's, or one service's.
pub struct FeedPlace {
    pub title: String,
    /// The page the feed is about (absolute), also its id.
    pub home_url: String,
    pub atom_url: String,
    pub json_url: String,
}

impl FeedPlace {
    pub fn new(site: &Site, service: Option<&str>) -> FeedPlace {
        let base = &site.config.base_url;
        let home_url = match service {
            Some(name) => format!("{base}{}", crate::render::views::ServiceLink::new(name).url),
            None => base.clone(),
        };
        let mut title = match service {
            Some(name) => format!("{}: {name}", site.config.title),
            None => site.config.title.clone(),
        };
        if site.config.audience == crate::config::Audience::Internal {
            let edition = site.config.locale.text("base.internal_edition", &[]);
            title.push_str(&format!(" ({edition})"));
        }
        FeedPlace {
            title,
            atom_url: format!("{home_url}feed.xml"),
            json_url: format!("{home_url}feed.json"),
            home_url,
        }
    }
}

/// An entry's title in every feed: `[Ongoing]`, `[Upcoming maintenance]` or `[Maintenance]`
/// before the incident's own title, so the state is seen in any reader.
pub fn entry_title(incident: &Incident, as_of: DateTime<Utc>, locale: &Locale) -> String {
    let upcoming = incident.start > as_of;
    let ongoing = !upcoming && end_as_of(incident, as_of).is_none();
    let key = match (incident.kind, upcoming, ongoing) {
        (Kind::Maintenance, true, _) => "feeds.upcoming",
        (Kind::Maintenance, false, true) => "feeds.maintenance_in_progress",
        (Kind::Maintenance, false, false) => "feeds.maintenance",
        (Kind::Incident, _, true) => "feeds.ongoing",
        (Kind::Incident, _, false) => return incident.title.clone(),
    };
    locale.text(key, &[("title", &incident.title)])
}

/// `html` with every `href` and `src` resolved against `page` (an absolute URL). Our HTML
/// comes from pulldown-cmark and the sanitiser, which always double-quote attribute values
/// and escape quotes inside them. With a relative `base_url` (no scheme) nothing can be made
/// absolute and the HTML is returned as it is.
pub fn absolute_links(html: &str, page: &str) -> String {
    static ATTRIBUTE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\b(href|src)="([^"]*)""#).expect("attribute pattern"));
    let Ok(base) = url::Url::parse(page) else {
        return html.to_string();
    };
    ATTRIBUTE
        .replace_all(html, |caps: &Captures<'_>| {
            let value = caps[2].replace("&amp;", "&");
            match base.join(&value) {
                Ok(resolved) => format!(
                    "{}=\"{}\"",
                    &caps[1],
                    resolved.as_str().replace('&', "&amp;")
                ),
                Err(_) => caps[0].to_string(),
            }
        })
        .into_owned()
}

/// The bodies of feed entries, by incident id, kept for the rest of a build: an entry is in the
/// site's Atom and JSON feeds and in those of each of its services, and its body is rendered
/// once for all of them.
#[derive(Default)]
pub struct FeedBodies {
    bodies: Mutex<HashMap<String, Arc<str>>>,
}

impl FeedBodies {
    /// The incident's body as feeds carry it: rendered, with links made absolute against the
    /// incident's page.
    pub fn body(&self, site: &Site, markdown: &MarkdownRenderer, incident: &Incident) -> Arc<str> {
        let kept = |bodies: &HashMap<String, Arc<str>>| bodies.get(&incident.id).cloned();
        if let Some(body) = self.bodies.lock().ok().and_then(|b| kept(&b)) {
            return body;
        }
        // Rendered outside the lock; two threads may both render it, to the same bytes.
        let page = format!("{}incidents/{}/", site.config.base_url, incident.id);
        let html = markdown.render(&incident.body).html;
        let body: Arc<str> = Arc::from(absolute_links(&html, &page));
        if let Ok(mut bodies) = self.bodies.lock() {
            bodies.insert(incident.id.clone(), body.clone());
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_against_the_entrys_page() {
        let page = "https://status.example.com/incidents/db-outage/";
        let html = r##"<p><a href="../session-store-failover/">earlier</a> <a href="#timeline">t</a> <img src="/assets/graph.png" alt=""> <a href="https://other.example/x?a=1&amp;b=2">x</a> <a href="mailto:ops@example.com">m</a></p>"##;
        assert_eq!(
            absolute_links(html, page),
            r##"<p><a href="https://status.example.com/incidents/session-store-failover/">earlier</a> <a href="https://status.example.com/incidents/db-outage/#timeline">t</a> <img src="https://status.example.com/assets/graph.png" alt=""> <a href="https://other.example/x?a=1&amp;b=2">x</a> <a href="mailto:ops@example.com">m</a></p>"##
        );
    }

    #[test]
    fn a_relative_base_url_leaves_links_alone() {
        let html = r#"<a href="../x/">x</a>"#;
        assert_eq!(absolute_links(html, "/incidents/a/"), html);
    }
}
