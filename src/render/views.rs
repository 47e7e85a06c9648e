//! What templates see: plain serialisable views of incidents, times and durations.
//!
//! Formatting lives here, once: durations as "2 h 15 min", times in UTC and in the site's zone,
//! percentages that never round up to 100 %. Theme authors get ready-made labels plus the raw
//! values (`iso`, `*_seconds`) to format differently. The fields are documented in
//! `docs/themes.md`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::content::Incident;
use crate::i18n::Locale;
use crate::stats::status::Status;
use crate::stats::{ServiceStats, Summary, end_as_of};
use crate::text::dates;
pub use crate::text::labels::{impact_percent, percent_label};
use crate::text::slug::slugify;
pub use crate::text::time::{duration_label, seconds_label};

/// An instant, formatted for display.
#[derive(Debug, Clone, Serialize)]
pub struct TimeView {
    /// RFC 3339 in UTC, for `<time datetime>`.
    pub iso: String,
    /// `2024-05-06 15:00 UTC`.
    pub utc: String,
    /// `2024-05-06 17:00 CEST`, in the site time zone.
    pub local: String,
    /// `6 May 2024`, in the site time zone.
    pub date: String,
    /// `YYYY-MM-DD` in the site time zone.
    pub day: String,
}

impl TimeView {
    pub fn new(at: DateTime<Utc>, config: &Config) -> Self {
        let local = at.with_timezone(&config.timezone);
        TimeView {
            iso: iso(at),
            utc: dates::minute_with_zone(&at),
            local: dates::minute_with_zone(&local),
            date: config.locale.formats().long_date(local.date_naive()),
            day: dates::ymd(&local),
        }
    }
}

/// RFC 3339 in UTC with a `Z`, to the second: the form of every time in feeds and the API.
pub fn iso(at: DateTime<Utc>) -> String {
    dates::iso_utc(&at)
}

/// The first page of a severity's list.
pub fn severity_url(name: &str) -> String {
    format!("severities/{}/", slugify(name))
}

/// The first page of a tag's list, from the tag's slug.
pub fn tag_url(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// A name and the page that lists it (a severity or a tag); `url` is empty when it has none.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A service's current status (see `stats::status`).
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `operational`, `maintenance`, `degraded` or `outage`.
    pub key: &'static str,
    pub label: String,
}

impl StatusView {
    pub fn new(status: Status, locale: &Locale) -> Self {
        StatusView {
            key: status.as_str(),
            label: locale.text(&format!("status.{}", status.as_str()), &[]),
        }
    }
}

/// A service name and its page.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceLink {
    pub name: String,
    pub slug: String,
    /// Relative to the site root, like `services/api/`.
    pub url: String,
}

impl ServiceLink {
    pub fn new(name: &str) -> Self {
        let slug = slugify(name);
        ServiceLink {
            name: name.to_string(),
            url: format!("services/{slug}/"),
            slug,
        }
    }
}

/// How many severity styles the default theme has: `sev-0` (most severe) to `sev-3`.
pub const SEVERITY_STYLES: usize = 4;

/// The style of the severity at `rank` among `count`: up to [`SEVERITY_STYLES`] severities each
/// has its own; more are spread evenly over them, the most and the least severe at the ends.
pub fn severity_level(rank: usize, count: usize) -> i64 {
    let last = SEVERITY_STYLES - 1;
    let level = if count <= SEVERITY_STYLES {
        rank
    } else {
        // rank · last / (count − 1), rounded to the nearest.
        (2 * rank * last + (count - 1)) / (2 * (count - 1))
    };
    level.min(last) as i64
}

/// With more than [`SEVERITY_STYLES`] severities, how much of the most severe colour the
/// severity at `rank` mixes in (100 for the most severe, 0 for the least), so every severity
/// gets a colour of its own; `None` when each already has its own style.
pub fn severity_mix(rank: usize, count: usize) -> Option<usize> {
    (count > SEVERITY_STYLES).then(|| {
        let last = count - 1;
        (200 * (last - rank.min(last)) + last) / (2 * last)
    })
}

/// An incident as templates see it (without its body; see `IncidentPage`).
#[derive(Debug, Clone, Serialize)]
pub struct IncidentView {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Relative to the site root: `incidents/<id>/`.
    pub url: String,
    /// Absolute, from `base_url`.
    pub permalink: String,
    pub kind: &'static str,
    /// `visibility = "internal"`: only in the internal edition.
    pub internal: bool,
    /// `resolved` or `ongoing`, as of the build.
    pub status: &'static str,
    pub severity: String,
    /// 0 for the most severe of the site's severities; -1 when unset.
    pub severity_rank: i64,
    /// The theme's style for the severity, 0 (most severe) to 3, whatever the number of
    /// configured severities; -1 when unset. See [`severity_level`].
    pub severity_level: i64,
    /// With more than four severities, an inline style that sets `--sev-mix` so each gets its
    /// own colour between the most and the least severe; empty otherwise. See [`severity_mix`].
    pub severity_style: String,
    pub services: Vec<ServiceLink>,
    pub tags: Vec<String>,
    /// The tags with their pages (a tag whose name gives an empty URL has none).
    pub tag_links: Vec<Link>,
    /// The severity's page; empty if unset.
    pub severity_url: String,
    pub impact_percent: f64,
    /// `35 %`, `35.5 %`, `100 %`.
    pub impact_label: String,
    /// Whether the postmortem gave `impact`; if not, it counts as 100 % but is shown as unstated.
    pub impact_stated: bool,
    /// The `[[impact]]` windows, when the postmortem wrote impact that way; else empty.
    pub impact_windows: Vec<ImpactWindowView>,
    pub start: TimeView,
    pub end: Option<TimeView>,
    pub detected: Option<TimeView>,
    /// Resolved: end − start. Ongoing: time so far (as of the build).
    pub duration_seconds: i64,
    pub duration_label: String,
    pub time_to_detect_label: String,
    /// `detected` was taken from the timeline, not from the front matter.
    pub detected_from_timeline: bool,
    pub action_items_total: usize,
    pub action_items_open: usize,
    pub source: String,
    pub extra: serde_json::Value,
}

impl IncidentView {
    pub fn new(incident: &Incident, config: &Config, as_of: DateTime<Utc>) -> Self {
        let locale = &config.locale;
        // Upcoming maintenance shows its planned end and length; anything else its end as of T.
        let upcoming = incident.start > as_of;
        let end = if upcoming {
            incident.end
        } else {
            end_as_of(incident, as_of)
        };
        let duration_seconds = (end.unwrap_or(as_of) - incident.start).num_seconds().max(0);
        let url = format!("incidents/{}/", incident.id);
        let rank = incident
            .severity
            .as_deref()
            .and_then(|s| config.severity_rank(s));
        IncidentView {
            id: incident.id.clone(),
            title: incident.title.clone(),
            summary: incident.summary.clone().unwrap_or_default(),
            permalink: format!("{}{url}", config.base_url),
            url,
            kind: incident.kind.as_str(),
            internal: incident.internal,
            status: match (upcoming, end) {
                (true, _) => "upcoming",
                (false, Some(_)) => "resolved",
                (false, None) => "ongoing",
            },
            severity: incident.severity.clone().unwrap_or_default(),
            severity_rank: rank.map_or(-1, |r| r as i64),
            severity_level: rank.map_or(-1, |r| severity_level(r, config.severities.len())),
            severity_style: rank
                .and_then(|r| severity_mix(r, config.severities.len()))
                .map_or(String::new(), |mix| format!("--sev-mix: {mix}%")),
            services: incident
                .services
                .iter()
                .map(|s| ServiceLink::new(s))
                .collect(),
            tags: incident.tags.clone(),
            tag_links: incident
                .tags
                .iter()
                .map(|t| Link {
                    name: t.clone(),
                    url: Some(slugify(t))
                        .filter(|s| !s.is_empty())
                        .map_or(String::new(), |s| tag_url(&s)),
                })
                .collect(),
            severity_url: incident
                .severity
                .as_deref()
                .map_or(String::new(), severity_url),
            impact_percent: impact_percent(incident.impact_basis_points),
            impact_label: locale.impact(incident.impact_basis_points),
            impact_stated: incident.impact_stated,
            impact_windows: match incident.impact_by_window {
                true => ImpactWindowView::all(incident, (end, as_of), config),
                false => Vec::new(),
            },
            start: TimeView::new(incident.start, config),
            end: end.map(|e| TimeView::new(e, config)),
            detected: incident.detected.map(|d| TimeView::new(d, config)),
            duration_seconds,
            duration_label: locale.duration(duration_seconds),
            time_to_detect_label: incident
                .detected
                .map(|d| locale.duration((d - incident.start).num_seconds()))
                .unwrap_or_default(),
            detected_from_timeline: incident.detected_from_timeline,
            action_items_total: incident.action_items.total,
            action_items_open: incident.action_items.open,
            source: incident.source.display().to_string(),
            extra: incident.extra.clone(),
        }
    }
}

/// One `[[impact]]` window: which services, how much, when (`to` is empty while it is open).
#[derive(Debug, Clone, Serialize)]
pub struct ImpactWindowView {
    pub services: Vec<ServiceLink>,
    /// `30 %`.
    pub impact_label: String,
    /// The level it was given by; empty if given as a percentage.
    pub level: String,
    pub from: TimeView,
    pub to: Option<TimeView>,
    /// `19:02 CEST` on the incident's first local day, else `29 Jul 01:55 CEST`.
    pub from_label: String,
    pub to_label: String,
}

impl ImpactWindowView {
    /// The windows of `incident`, which ends at `end` as of T (`None` while ongoing).
    fn all(
        incident: &Incident,
        (end, as_of): (Option<DateTime<Utc>>, DateTime<Utc>),
        config: &Config,
    ) -> Vec<Self> {
        let zone = config.timezone;
        let closes = |to: Option<DateTime<Utc>>| match to {
            Some(to) => (to <= as_of).then_some(to),
            None => end,
        };
        let first_day = incident.start.with_timezone(&zone).date_naive();
        let label = |at: DateTime<Utc>| {
            let local = at.with_timezone(&zone);
            match local.date_naive() == first_day {
                true => format!("{} {}", dates::hour_minute(&local), local.offset()),
                false => format!(
                    "{} {} {}",
                    config.locale.formats().day_month(local.date_naive()),
                    dates::hour_minute(&local),
                    local.offset()
                ),
            }
        };
        incident
            .impact_windows
            .iter()
            .map(|w| {
                let to = closes(w.to);
                ImpactWindowView {
                    services: w.services.iter().map(|s| ServiceLink::new(s)).collect(),
                    impact_label: config.locale.impact(w.basis_points),
                    level: w.level.clone().unwrap_or_default(),
                    from: TimeView::new(w.from, config),
                    to: to.map(|to| TimeView::new(to, config)),
                    from_label: label(w.from),
                    to_label: to.map(label).unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// One event of an incident's timeline, placed relative to the incident.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEventView {
    pub iso: String,
    /// `22:15`, or `7 May 00:35` when the day differs from the start's (site zone).
    pub time: String,
    /// `+15 min`, `+2 h 30 min`, `−10 min` from the start of impact.
    pub offset_label: String,
    /// `before-start`, `before-detection`, `responding` or `after-resolution`.
    pub phase: &'static str,
    pub phase_label: String,
    /// Whether this event is the first of its phase (where the page names the phase).
    pub phase_starts: bool,
    /// The event's text as written (Markdown), after its state if it has one.
    pub text: String,
    /// For a status update, its state's key (`in_progress`) and label (`In progress`).
    pub status: Option<&'static str>,
    pub status_label: Option<String>,
}

impl TimelineEventView {
    pub fn list(incident: &Incident, config: &Config, as_of: DateTime<Utc>) -> Vec<Self> {
        let (zone, locale) = (config.timezone, &config.locale);
        let start_day = incident.start.with_timezone(&zone).date_naive();
        let end = crate::stats::end_as_of(incident, as_of);
        let mut previous_phase = "";
        incident
            .timeline
            .iter()
            .map(|event| {
                let local = event.at.with_timezone(&zone);
                let offset = (event.at - incident.start).num_seconds();
                let sign = if offset < 0 { "−" } else { "+" };
                let (phase, phase_key) = if event.at < incident.start {
                    ("before-start", "phase.before_start")
                } else if incident.detected.is_some_and(|d| event.at < d) {
                    ("before-detection", "phase.before_detection")
                } else if end.is_none_or(|end| event.at <= end) {
                    if incident.detected.is_some() {
                        ("responding", "phase.responding")
                    } else {
                        ("responding", "phase.during_impact")
                    }
                } else {
                    ("after-resolution", "phase.after_resolution")
                };
                let phase_label = locale.text(phase_key, &[]);
                let phase_starts = std::mem::replace(&mut previous_phase, phase) != phase;
                TimelineEventView {
                    iso: iso(event.at),
                    time: if local.date_naive() == start_day {
                        dates::hour_minute(&local)
                    } else {
                        format!(
                            "{} {}",
                            locale.formats().day_month(local.date_naive()),
                            dates::hour_minute(&local)
                        )
                    },
                    offset_label: match offset.abs() < 60 {
                        true => format!("+{}", locale.count("duration.minutes", 0, &[])),
                        false => format!("{sign}{}", locale.duration(offset.abs())),
                    },
                    phase,
                    phase_label,
                    phase_starts,
                    text: event.text.clone(),
                    status: event.status.map(crate::content::updates::UpdateStatus::key),
                    status_label: event
                        .status
                        .map(|s| locale.text(&format!("update.{}", s.key()), &[])),
                }
            })
            .collect()
    }
}

/// A duration summary with labels, for headline numbers.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryView {
    pub n: usize,
    pub mean_label: String,
    pub median_label: String,
    pub p90_label: String,
}

impl SummaryView {
    pub fn new(summary: &Summary, locale: &Locale) -> Self {
        let label = |v: f64| {
            if summary.n == 0 {
                String::new()
            } else {
                locale.seconds(v)
            }
        };
        SummaryView {
            n: summary.n,
            mean_label: label(summary.mean),
            median_label: label(summary.median),
            p90_label: label(summary.p90),
        }
    }
}

/// One availability window of a service, with labels.
#[derive(Debug, Clone, Serialize)]
pub struct WindowView {
    pub window: String,
    /// `Last 30 days`.
    pub window_label: String,
    /// Empty when the window covers all its days; else what it covers, like `since 1 June
    /// 2024` (the history or the service began within it).
    pub covers_label: String,
    pub downtime_seconds: i64,
    pub downtime_label: String,
    pub weighted_downtime_label: String,
    pub availability: f64,
    pub availability_label: String,
    pub weighted_availability: f64,
    pub weighted_availability_label: String,
}

/// A service's numbers.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceStatsView {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub description: String,
    pub incidents: usize,
    /// In order: 30, 90, 365 days.
    pub windows: Vec<WindowView>,
    /// The same windows by name, for templates: `service.by_window["90d"]`.
    pub by_window: std::collections::BTreeMap<String, WindowView>,
    pub time_to_resolve: SummaryView,
}

/// What a window covers when its history began within it (see [`WindowView::covers_label`]).
fn covers_label(days: i64, w: &crate::stats::WindowStats, config: &Config) -> String {
    let locale = &config.locale;
    if w.length_seconds >= days * 86_400 {
        return String::new();
    }
    if w.length_seconds == 0 {
        return locale.text("availability.no_data_yet", &[]);
    }
    DateTime::<Utc>::from_timestamp(w.from, 0).map_or_else(String::new, |from| {
        let date = locale
            .formats()
            .long_date(from.with_timezone(&config.timezone).date_naive());
        locale.text("availability.since", &[("date", &date)])
    })
}

impl ServiceStatsView {
    /// The numbers of all services together, named in the site's language.
    pub fn overall(stats: &ServiceStats, config: &Config) -> Self {
        let mut view = ServiceStatsView::new(stats, "", config);
        view.name = config.locale.text("availability.all_services", &[]);
        view
    }

    pub fn new(stats: &ServiceStats, description: &str, config: &Config) -> Self {
        let locale = &config.locale;
        let link = ServiceLink::new(&stats.name);
        let windows: Vec<WindowView> = stats
            .windows
            .iter()
            .map(|(window, w)| {
                let days: i64 = window.trim_end_matches('d').parse().unwrap_or(0);
                WindowView {
                    window: window.clone(),
                    window_label: locale.count("availability.last_days", days, &[]),
                    covers_label: covers_label(days, w, config),
                    downtime_seconds: w.downtime_seconds,
                    downtime_label: locale.duration(w.downtime_seconds),
                    weighted_downtime_label: locale.seconds(w.weighted_downtime_seconds()),
                    availability: w.availability(),
                    availability_label: locale.percent(w.availability()),
                    weighted_availability: w.weighted_availability(),
                    weighted_availability_label: locale.percent(w.weighted_availability()),
                }
            })
            .collect();
        ServiceStatsView {
            name: stats.name.clone(),
            slug: link.slug,
            url: link.url,
            description: description.to_string(),
            incidents: stats.incidents,
            by_window: windows
                .iter()
                .map(|w| (w.window.clone(), w.clone()))
                .collect(),
            windows,
            time_to_resolve: SummaryView::new(&stats.time_to_resolve, locale),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_severities_gets_one_of_four_styles_most_severe_first() {
        let levels = |count: usize| -> Vec<i64> {
            (0..count).map(|rank| severity_level(rank, count)).collect()
        };
        assert_eq!(levels(1), [0]);
        assert_eq!(levels(3), [0, 1, 2]);
        assert_eq!(levels(4), [0, 1, 2, 3]);
        assert_eq!(levels(5), [0, 1, 2, 2, 3]);
        assert_eq!(levels(7), [0, 1, 1, 2, 2, 3, 3]);
        assert_eq!(severity_mix(0, 4), None, "four severities have four styles");
        let mixes: Vec<Option<usize>> = (0..6).map(|rank| severity_mix(rank, 6)).collect();
        assert_eq!(
            mixes,
            [Some(100), Some(80), Some(60), Some(40), Some(20), Some(0)]
        );
        let many = levels(20);
        assert_eq!((many[0], many[19]), (0, 3));
        assert!(many.windows(2).all(|w| w[0] <= w[1]), "{many:?}");
    }

    #[test]
    fn times_show_utc_and_the_site_zone() {
        let at = DateTime::parse_from_rfc3339("2024-05-06T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let config = Config {
            timezone: chrono_tz::Europe::Berlin,
            ..Config::default()
        };
        let view = TimeView::new(at, &config);
        assert_eq!(view.iso, "2024-05-06T22:30:00Z");
        assert_eq!(view.utc, "2024-05-06 22:30 UTC");
        assert_eq!(view.local, "2024-05-07 00:30 CEST");
        assert_eq!(view.date, "7 May 2024");
        assert_eq!(view.day, "2024-05-07");
    }
}
