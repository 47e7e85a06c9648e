//! What every page of a build shares besides the site: the Markdown renderer, and incident views
//! built once and shared by every page that shows the incident in a list (a history year, its
//! services', severity's and tags' pages, its neighbours' pages).
//! Building a view (dates in the site's language, durations, links) and turning it into a
//! template value cost as much as rendering the row; built once, each later use is a reference
//! count. Tera passes a value already in its own form through without copying it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::feeds::absolute_links;
use super::views::IncidentView;
use crate::content::Incident;
use crate::markdown::MarkdownRenderer;
use crate::site::Site;

/// What every page of a build shares besides the site.
pub struct Shared {
    pub markdown: MarkdownRenderer,
    pub views: ListedViews,
    /// The bodies of feed entries, by incident id: an entry is in the site's Atom and JSON
    /// feeds and in those of each of its services, and its body is rendered once for all.
    feed_bodies: Mutex<HashMap<String, Arc<str>>>,
}

impl Shared {
    pub fn new(site: &Site, markdown: MarkdownRenderer) -> Self {
        Shared {
            markdown,
            views: ListedViews::new(site),
            feed_bodies: Mutex::new(HashMap::new()),
        }
    }

    /// The incident's body as feeds carry it: rendered, with links made absolute against the
    /// incident's page.
    pub fn feed_body(&self, site: &Site, incident: &Incident) -> Arc<str> {
        let stored = |bodies: &HashMap<String, Arc<str>>| bodies.get(&incident.id).cloned();
        if let Some(body) = self.feed_bodies.lock().ok().and_then(|b| stored(&b)) {
            return body;
        }
        // Rendered outside the lock; two threads may both render it, to the same bytes.
        let page = format!("{}incidents/{}/", site.config.base_url, incident.id);
        let html = self.markdown.render(&incident.body).html;
        let body: Arc<str> = Arc::from(absolute_links(&html, &page));
        if let Ok(mut bodies) = self.feed_bodies.lock() {
            bodies.insert(incident.id.clone(), body.clone());
        }
        body
    }
}

/// The published incidents' views, in `Site::incidents` order, each built on first use.
pub struct ListedViews {
    views: Vec<OnceLock<Arc<IncidentView>>>,
}

/// One incident's view, as templates see it (the fields of `IncidentView`).
#[derive(Clone)]
pub struct SharedView(Arc<IncidentView>);

impl From<IncidentView> for SharedView {
    fn from(view: IncidentView) -> Self {
        SharedView(Arc::new(view))
    }
}

impl Serialize for SharedView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl ListedViews {
    pub fn new(site: &Site) -> Self {
        ListedViews {
            views: (0..site.incidents.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The view of `site.incidents[index]`.
    pub fn get(&self, site: &Site, index: usize) -> SharedView {
        let build = || {
            let incident = &site.incidents[index];
            Arc::new(IncidentView::new(incident, &site.config, site.as_of))
        };
        match self.views.get(index) {
            Some(slot) => SharedView(slot.get_or_init(build).clone()),
            // Not one of the site's incidents when the list was made: build it, keep nothing.
            None => SharedView(build()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three_incidents() -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        for day in 1..=3 {
            let text = format!(
                "+++\ntitle = \"Outage {day}\"\nservices = [\"api\"]\nstart = 2025-03-0{day}T10:00:00Z\nend = 2025-03-0{day}T11:00:00Z\n+++\nSee [the runbook](runbook/).\n"
            );
            std::fs::write(dir.path().join(format!("content/{day}.md")), text).unwrap();
        }
        let config = crate::config::Config {
            base_url: "https://status.example.com/".into(),
            ..Default::default()
        };
        let content = crate::content::load(dir.path(), &config, false, None);
        let as_of = "2025-04-01T00:00:00Z".parse().unwrap();
        Site::new(config, content.incidents, as_of)
    }

    #[test]
    fn a_shared_view_serialises_as_the_incident_view_it_was_built_from() {
        let site = three_incidents();
        let views = ListedViews::new(&site);
        for index in 0..3 {
            let shared = serde_json::to_value(views.get(&site, index)).unwrap();
            let incident = &site.incidents[index];
            let fresh = IncidentView::new(incident, &site.config, site.as_of);
            let fresh = serde_json::to_value(fresh).unwrap();
            assert_eq!(shared, fresh, "incident {index}");
            assert_eq!(shared["id"], site.incidents[index].id.as_str());
        }
    }

    #[test]
    fn a_feed_body_is_rendered_once_with_links_made_absolute() {
        let site = three_incidents();
        let markdown = MarkdownRenderer::new(site.config.raw_html);
        let shared = Shared::new(&site, markdown);
        let incident = &site.incidents[0];
        let body = shared.feed_body(&site, incident);
        let page = format!("https://status.example.com/incidents/{}/", incident.id);
        assert!(body.contains(&format!("href=\"{page}runbook/\"")), "{body}");
        // The second feed that carries the entry gets the same rendering, not a new one.
        assert!(Arc::ptr_eq(&body, &shared.feed_body(&site, incident)));
        assert!(!Arc::ptr_eq(
            &body,
            &shared.feed_body(&site, &site.incidents[1])
        ));
    }
}
