//! The embeddable widget: `embed/index.html` (every service) and `embed/<service>/index.html`
//! (one), small chromeless pages with the current status and the 90-day bars for an
//! `<iframe>`, without JavaScript. Links open in the page that embeds them. Sizes are in
//! `docs/api.md`.

use serde::Serialize;

use super::pages::{UPTIME_DAYS, UptimeBar, uptime_bar};
use super::views::ServiceLink;
use crate::site::Site;

/// `embed.html`.
#[derive(Serialize)]
pub struct EmbedPage {
    section: &'static str,
    /// `Larkspur status history` or `api`.
    heading: String,
    /// The page the widget stands for: the index or the service's page.
    home_url: String,
    bars: Vec<UptimeBar>,
    uptime_days: u64,
}

/// Page `n`: the whole site (0), then each service in the order of the statistics.
pub fn embed_page(site: &Site, n: usize) -> EmbedPage {
    let services = &site.stats.services;
    let (heading, home_url, bars) = match n.checked_sub(1) {
        None => (
            site.config.title.clone(),
            String::new(),
            services.iter().map(|s| uptime_bar(site, s)).collect(),
        ),
        Some(position) => {
            let stats = &services[position];
            (
                stats.name.clone(),
                ServiceLink::new(&stats.name).url,
                vec![uptime_bar(site, stats)],
            )
        }
    };
    EmbedPage {
        section: "embed",
        heading,
        home_url,
        bars,
        uptime_days: UPTIME_DAYS,
    }
}

/// `embed/index.html`, `embed/<slug>/index.html`.
pub fn embed_path(site: &Site, n: usize) -> String {
    match n.checked_sub(1) {
        None => "embed/index.html".to_string(),
        Some(position) => format!(
            "embed/{}/index.html",
            ServiceLink::new(&site.stats.services[position].name).slug
        ),
    }
}
