//! The outputs read elsewhere than on the site's pages, as page types: badges, per-service
//! feeds and maintenance calendars, the Statuspage-compatible summary, the metrics file, the
//! embeds and the internal edition's `robots.txt`. `plan.rs` plans them after the pages.

use super::page_type::{Kept, Links, Maker, PageContext, PagePath, PageType, Sitemap};
use super::views::ServiceLink;
use super::{api, badges, embed, ics, metrics, pages, statuspage};
use crate::config::Audience;

/// Every output type, in the order they are planned.
pub static OUTPUT_TYPES: [PageType; 14] = [
    PageType {
        name: "robots",
        // Only the internal edition: a public site may have its own in the theme.
        count: |site| usize::from(site.config.audience == Audience::Internal),
        path: PagePath::Fixed("robots.txt"),
        maker: Maker::Bytes(|_, _, _| {
            b"# The internal edition: not for search engines.\nUser-agent: *\nDisallow: /\n"
                .to_vec()
        }),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Unlisted,
    },
    PageType {
        name: "badge-svg",
        count: badges::badge_count,
        path: PagePath::Of(|site, n| {
            format!("{}.svg", badges::badge_path(site, badges::badge_spec(n)))
        }),
        maker: Maker::Bytes(|site, _, n| badges::badge(site, badges::badge_spec(n)).svg()),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Unlisted,
    },
    PageType {
        name: "badge-json",
        count: badges::badge_count,
        path: PagePath::Of(|site, n| {
            format!("{}.json", badges::badge_path(site, badges::badge_spec(n)))
        }),
        maker: Maker::Bytes(|site, _, n| {
            badges::badge(site, badges::badge_spec(n)).endpoint_json()
        }),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Unlisted,
    },
    PageType {
        name: "service-atom",
        count: |site| site.stats.services.len(),
        path: PagePath::Of(|site, n| {
            format!(
                "{}feed.xml",
                ServiceLink::new(&site.stats.services[n].name).url
            )
        }),
        maker: Maker::Template("atom.xml", |site, shared, n| {
            PageContext::Atom(pages::atom(site, shared, Some(n)))
        }),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Unlisted,
    },
    PageType {
        name: "service-json-feed",
        count: |site| site.stats.services.len(),
        path: PagePath::Of(|site, n| {
            format!(
                "{}feed.json",
                ServiceLink::new(&site.stats.services[n].name).url
            )
        }),
        maker: Maker::Bytes(|site, shared, n| {
            api::json_feed(site, &shared.markdown, &shared.feed_bodies, Some(n))
        }),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Unlisted,
    },
    PageType::single(
        "maintenance-ics",
        "maintenance.ics",
        Maker::Bytes(|site, _, _| ics::maintenance_ics(site, None)),
        Sitemap::Unlisted,
    ),
    PageType {
        name: "service-maintenance-ics",
        count: |site| site.stats.services.len(),
        path: PagePath::Of(|site, n| {
            format!(
                "{}maintenance.ics",
                ServiceLink::new(&site.stats.services[n].name).url
            )
        }),
        maker: Maker::Bytes(|site, _, n| ics::maintenance_ics(site, Some(n))),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Unlisted,
    },
    PageType::single(
        "statuspage-summary",
        "api/v2/summary.json",
        Maker::Bytes(|site, _, _| statuspage::v2_json(site, statuspage::V2File::Summary)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "statuspage-status",
        "api/v2/status.json",
        Maker::Bytes(|site, _, _| statuspage::v2_json(site, statuspage::V2File::Status)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "statuspage-components",
        "api/v2/components.json",
        Maker::Bytes(|site, _, _| statuspage::v2_json(site, statuspage::V2File::Components)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "statuspage-unresolved",
        "api/v2/incidents/unresolved.json",
        Maker::Bytes(|site, _, _| statuspage::v2_json(site, statuspage::V2File::Unresolved)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "statuspage-upcoming",
        "api/v2/scheduled-maintenances/upcoming.json",
        Maker::Bytes(|site, _, _| statuspage::v2_json(site, statuspage::V2File::Upcoming)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "metrics",
        "metrics.prom",
        Maker::Bytes(|site, _, _| metrics::metrics(site)),
        Sitemap::Unlisted,
    ),
    PageType {
        name: "embed",
        count: |site| site.stats.services.len() + 1,
        path: PagePath::Of(embed::embed_path),
        maker: Maker::Template("embed.html", |site, _, n| {
            PageContext::Embed(Box::new(embed::embed_page(site, n)))
        }),
        links: Links::Relative,
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Undated,
    },
];
