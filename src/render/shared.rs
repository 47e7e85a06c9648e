//! What every page of a build shares besides the site: the Markdown renderer, and what several
//! pages show and would otherwise each build again. An incident's view (dates in the site's
//! language, durations, links) is shown by its own page, its neighbours' pages, its year's,
//! services', severity's and tags' lists; a feed entry's body by the site's Atom and JSON feeds
//! and by those of each of its services. (Action items' rows are not kept: they would cost 31
//! MB at 10,000 incidents to save 3 % of the work.)

use std::sync::Arc;

use super::feeds::FeedBodies;
use super::memo::Built;
use super::views::IncidentView;
use crate::markdown::MarkdownRenderer;
use crate::site::Site;

/// What every page of a build shares besides the site.
pub struct Shared {
    pub markdown: MarkdownRenderer,
    views: Built<IncidentView>,
    pub feed_bodies: FeedBodies,
}

impl Shared {
    pub fn new(site: &Site, markdown: MarkdownRenderer) -> Self {
        Shared {
            markdown,
            views: Built::new(site.incidents.len()),
            feed_bodies: FeedBodies::default(),
        }
    }

    /// The view of `site.incidents[index]`.
    pub fn view(&self, site: &Site, index: usize) -> Arc<IncidentView> {
        self.views.get(index, || {
            IncidentView::new(&site.incidents[index], &site.config, site.as_of)
        })
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
        let content =
            crate::content::load(dir.path(), &config, false, crate::content::Reuse::Nothing);
        let as_of = "2025-04-01T00:00:00Z".parse().unwrap();
        Site::new(config, content.incidents, as_of)
    }

    #[test]
    fn a_shared_view_serialises_as_the_incident_view_it_was_built_from() {
        let site = three_incidents();
        let shared = Shared::new(&site, MarkdownRenderer::new(site.config.raw_html));
        for index in 0..3 {
            let shared = serde_json::to_value(shared.view(&site, index)).unwrap();
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
        let body = shared.feed_bodies.body(&site, &shared.markdown, incident);
        let page = format!("https://status.example.com/incidents/{}/", incident.id);
        assert!(body.contains(&format!("href=\"{page}runbook/\"")), "{body}");
        // The second feed that carries the entry gets the same rendering, not a new one.
        assert!(Arc::ptr_eq(
            &body,
            &shared.feed_bodies.body(&site, &shared.markdown, incident)
        ));
        assert!(!Arc::ptr_eq(
            &body,
            &shared
                .feed_bodies
                .body(&site, &shared.markdown, &site.incidents[1])
        ));
    }
}
