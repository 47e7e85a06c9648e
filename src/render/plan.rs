//! Every page type in one table, and the list of jobs planning makes from it.
//!
//! A [`PageType`] says everything about one kind of output file: how many the site has, where
//! each goes, how it is made (a template and its context, or bytes), what it is made from (for
//! cached rebuilds) and whether the sitemap lists it. Adding a page type is one entry in
//! [`PAGE_TYPES`] (pages of the site) or in `plan_outputs::OUTPUT_TYPES` (files read
//! elsewhere); planning, rendering, the cache and the sitemap all read them from there. The
//! pages of a type are known by their position: the n-th incident, service or year.

pub use super::page_type::{
    Job, Kept, Links, Maker, PageContext, PagePath, PageType, Sitemap, SitemapPage, SitemapUrl,
};
use super::pages::status_at;
use super::paging::{locate, page_url, total_pages};
use super::plan_inputs::{
    fingerprints, hash_of, incident_inputs, service_lengths, severity_lengths, tag_lengths,
    year_calendar, year_inputs, year_lengths,
};
use super::plan_outputs::OUTPUT_TYPES;
use super::views::{ServiceLink, iso};
use super::{actions, api, days, listings, pages, reports, stats_page};
use crate::site::Site;
use crate::stats::end_as_of;

/// Every page type, in the order the sitemap lists them.
pub static PAGE_TYPES: [PageType; 21] = [
    PageType::single(
        "index",
        "index.html",
        Maker::Template("index.html", |site, _, _| {
            PageContext::Index(Box::new(pages::index(site)))
        }),
        Sitemap::Undated,
    ),
    PageType::single(
        "history",
        "history/index.html",
        Maker::Template("history.html", |site, _, _| {
            PageContext::History(listings::history_index(site))
        }),
        Sitemap::Undated,
    ),
    PageType::single(
        "calendar",
        "calendar/index.html",
        Maker::Template("calendar.html", |site, _, _| {
            PageContext::Calendar(days::calendar(site))
        }),
        Sitemap::Undated,
    ),
    PageType::single(
        "stats",
        "stats/index.html",
        Maker::Template("stats.html", |site, _, _| {
            PageContext::Stats(Box::new(stats_page::stats(site)))
        }),
        Sitemap::Undated,
    ),
    PageType {
        links: Links::FromBasePath,
        ..PageType::single(
            "not-found",
            "404.html",
            Maker::Template("404.html", |_, _, _| {
                PageContext::NotFound(pages::not_found())
            }),
            Sitemap::Unlisted,
        )
    },
    PageType::single(
        "atom",
        "feed.xml",
        Maker::Template("atom.xml", |site, shared, _| {
            PageContext::Atom(pages::atom(site, shared, None))
        }),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "sitemap",
        "sitemap.xml",
        Maker::Template("sitemap.xml", |site, _, _| {
            PageContext::Sitemap(sitemap(site))
        }),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "json-feed",
        "feed.json",
        Maker::Bytes(|site, shared, _| {
            api::json_feed(site, &shared.markdown, &shared.feed_bodies, None)
        }),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "api-stats",
        "api/stats.json",
        Maker::Bytes(|site, _, _| api::stats_json(site)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "api-slo",
        "api/slo.json",
        Maker::Bytes(|site, _, _| api::slo_json(site)),
        Sitemap::Unlisted,
    ),
    PageType::single(
        "api-actions",
        "api/actions.json",
        Maker::Bytes(|site, _, _| actions::actions_json(site)),
        Sitemap::Unlisted,
    ),
    PageType {
        name: "actions",
        count: actions::actions_pages,
        path: PagePath::Of(actions::actions_path),
        maker: Maker::Template("actions.html", |site, shared, n| {
            PageContext::Actions(Box::new(actions::actions_page(site, &shared.markdown, n)))
        }),
        links: Links::Relative,
        inputs: Some(actions::actions_inputs),
        kept: Kept::ByDay,
        sitemap: Sitemap::Undated,
    },
    PageType::single(
        "reports",
        "reports/index.html",
        Maker::Template("reports.html", |site, _, _| {
            PageContext::Reports(reports::reports_page(site))
        }),
        Sitemap::Undated,
    ),
    PageType {
        name: "report-year",
        count: |site| reports::report_years(site).len(),
        path: PagePath::Of(|site, n| {
            format!(
                "{}index.html",
                reports::year_url(reports::report_years(site)[n])
            )
        }),
        maker: Maker::Template("report_year.html", |site, _, n| {
            PageContext::ReportYear(Box::new(reports::report_year_page(site, n)))
        }),
        links: Links::Relative,
        // Availability up to T changes the current year's figures: always rendered.
        inputs: None,
        kept: Kept::Never,
        sitemap: Sitemap::Undated,
    },
    PageType::single(
        "api-incidents",
        "api/incidents.json",
        Maker::Bytes(|site, _, _| api::incidents_json(site)),
        Sitemap::Unlisted,
    ),
    PageType {
        name: "history-year",
        count: |site| total_pages(year_lengths(site)),
        path: PagePath::Of(|site, n| {
            let (year, page) = locate(year_lengths(site), n);
            let base = format!("history/{}/", site.lists.by_year[year].0);
            format!("{}index.html", page_url(&base, page))
        }),
        maker: Maker::Template("history_year.html", |site, shared, n| {
            let (year, page) = locate(year_lengths(site), n);
            PageContext::HistoryYear(listings::history_year(site, shared, year, page))
        }),
        links: Links::Relative,
        inputs: Some(|site, n| {
            let (year, page) = locate(year_lengths(site), n);
            hash_of(&(year_inputs(site, year), page))
        }),
        kept: Kept::List {
            entries: |site, n| {
                let (year, page) = locate(year_lengths(site), n);
                Some((&site.lists.by_year[year].1, page))
            },
            besides: Some(|site, n| year_calendar(site, locate(year_lengths(site), n).0)),
        },
        sitemap: Sitemap::Undated,
    },
    PageType {
        name: "service",
        count: |site| total_pages(service_lengths(site)),
        path: PagePath::Of(|site, n| {
            let (service, page) = locate(service_lengths(site), n);
            let base = ServiceLink::new(&site.stats.services[service].name).url;
            format!("{}index.html", page_url(&base, page))
        }),
        maker: Maker::Template("service.html", |site, shared, n| {
            let (service, page) = locate(service_lengths(site), n);
            PageContext::Service(Box::new(listings::service(site, shared, service, page)))
        }),
        links: Links::Relative,
        inputs: Some(|site, n| {
            let (service, page) = locate(service_lengths(site), n);
            let name = &site.stats.services[service].name;
            hash_of(&(
                "service",
                name,
                page,
                fingerprints(site, &site.lists.by_service[service]),
            ))
        }),
        // The first page shows the uptime bar, availability and the error budget, as of the
        // build; the others show the service's name, its status now and entries.
        kept: Kept::List {
            entries: |site, n| {
                let (service, page) = locate(service_lengths(site), n);
                (page > 0).then(|| (&site.lists.by_service[service][..], page))
            },
            besides: Some(|site, n| hash_of(&status_at(site, locate(service_lengths(site), n).0))),
        },
        sitemap: Sitemap::Undated,
    },
    PageType {
        name: "severity",
        count: |site| total_pages(severity_lengths(site)),
        path: PagePath::Of(|site, n| {
            let (rank, page) = locate(severity_lengths(site), n);
            let base = super::views::severity_url(&site.config.severities[rank]);
            format!("{}index.html", page_url(&base, page))
        }),
        maker: Maker::Template("listing.html", |site, shared, n| {
            let (rank, page) = locate(severity_lengths(site), n);
            PageContext::Listing(listings::severity(site, shared, rank, page))
        }),
        links: Links::Relative,
        inputs: Some(|site, n| {
            let (rank, page) = locate(severity_lengths(site), n);
            hash_of(&(
                "severity",
                rank,
                page,
                fingerprints(site, &site.lists.by_severity[rank]),
            ))
        }),
        kept: Kept::List {
            entries: |site, n| {
                let (rank, page) = locate(severity_lengths(site), n);
                Some((&site.lists.by_severity[rank], page))
            },
            besides: None,
        },
        sitemap: Sitemap::Undated,
    },
    PageType {
        name: "tag",
        count: |site| total_pages(tag_lengths(site)),
        path: PagePath::Of(|site, n| {
            let (tag, page) = locate(tag_lengths(site), n);
            let base = listings::tag_url(&site.lists.tags[tag]);
            format!("{}index.html", page_url(&base, page))
        }),
        maker: Maker::Template("listing.html", |site, shared, n| {
            let (tag, page) = locate(tag_lengths(site), n);
            PageContext::Listing(listings::tag(site, shared, tag, page))
        }),
        links: Links::Relative,
        inputs: Some(|site, n| {
            let (position, page) = locate(tag_lengths(site), n);
            let tag = &site.lists.tags[position];
            hash_of(&(
                "tag",
                &tag.slug,
                &tag.name,
                page,
                fingerprints(site, &tag.incidents),
            ))
        }),
        kept: Kept::List {
            entries: |site, n| {
                let (tag, page) = locate(tag_lengths(site), n);
                Some((&site.lists.tags[tag].incidents, page))
            },
            besides: None,
        },
        sitemap: Sitemap::Undated,
    },
    PageType {
        name: "incident",
        count: |site| site.incidents.len(),
        path: PagePath::Of(|site, n| format!("incidents/{}/index.html", site.incidents[n].id)),
        maker: Maker::Template("incident.html", |site, shared, n| {
            PageContext::Incident(Box::new(pages::incident(site, shared, n)))
        }),
        links: Links::Relative,
        inputs: Some(incident_inputs),
        kept: Kept::Incident,
        sitemap: Sitemap::Dated(|site, n| {
            let incident = &site.incidents[n];
            end_as_of(incident, site.as_of).unwrap_or(incident.start)
        }),
    },
    PageType {
        name: "upcoming maintenance",
        count: |site| site.upcoming.len(),
        path: PagePath::Of(|site, n| format!("incidents/{}/index.html", site.upcoming[n].id)),
        maker: Maker::Template("incident.html", |site, shared, n| {
            PageContext::Incident(Box::new(pages::upcoming(site, &shared.markdown, n)))
        }),
        links: Links::Relative,
        inputs: Some(|site, n| hash_of(&site.upcoming[n].fingerprint)),
        kept: Kept::Never,
        sitemap: Sitemap::Undated,
    },
];

/// The page types, then the outputs read elsewhere.
pub fn all_types() -> impl Iterator<Item = &'static PageType> {
    PAGE_TYPES.iter().chain(OUTPUT_TYPES.iter())
}

/// Every file of the site, in a fixed order: the page types in table order, each type's pages
/// by position.
pub fn jobs(site: &Site) -> Vec<Job> {
    all_types()
        .flat_map(|page_type| {
            (0..(page_type.count)(site)).map(move |n| Job {
                page_type,
                n,
                path: page_type.path.of(site, n),
            })
        })
        .collect()
}

/// The sitemap's URLs: every listed page, in plan order.
fn sitemap(site: &Site) -> SitemapPage {
    let urls: Vec<SitemapUrl> = jobs(site)
        .into_iter()
        .filter_map(|job| {
            let lastmod = match job.page_type.sitemap {
                Sitemap::Unlisted => return None,
                Sitemap::Undated => String::new(),
                Sitemap::Dated(changed) => iso(changed(site, job.n)),
            };
            let loc = job.path.strip_suffix("index.html").unwrap_or(&job.path);
            Some(SitemapUrl {
                loc: loc.to_string(),
                lastmod,
            })
        })
        .collect();
    SitemapPage { urls }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_types_have_distinct_names_and_templates_of_the_default_theme() {
        let mut names: Vec<&str> = all_types().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            all_types().count(),
            "a page type name is repeated"
        );
        let templates =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for page_type in all_types() {
            if let Maker::Template(template, _) = page_type.maker {
                assert!(
                    templates.join(template).is_file(),
                    "{}: no template {template} in the default theme",
                    page_type.name
                );
            }
        }
    }
}
