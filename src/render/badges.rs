//! Badges for READMEs and dashboards: `badges/status.svg`, `badges/availability-30d.svg` and
//! `-90d.svg` for the whole site, the same under `badges/<service>/` for each service, each with
//! a shields.io "endpoint" JSON beside it (`.json`) for those who prefer shields.io's rendering.
//!
//! The SVGs are shields.io's flat style, drawn by the `shields` crate (its text widths are
//! measured from the font shields.io uses, so the text never overflows; each badge has a
//! `<title>` and an `aria-label`). The figures are the statistics' own: the current status of
//! the index, and availability rounded down to 5 decimals as everywhere.

use serde_json::json;
use shields::{BadgeParams, BadgeStyle, render_badge_svg};

use super::api::pretty_json;
use super::pages::status_at;
use crate::site::Site;
use crate::stats::ServiceStats;
use crate::stats::status::Status;
use crate::text::labels::percent_label;
use crate::text::slug::slugify;

/// The windows a badge exists for.
pub const BADGE_WINDOWS: [&str; 2] = ["30d", "90d"];

/// One badge: what it says and in which colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub label: String,
    pub message: String,
    /// A shields.io colour name (`brightgreen`, `yellow`, ...).
    pub color: &'static str,
}

impl Badge {
    pub fn svg(&self) -> Vec<u8> {
        let params = BadgeParams {
            style: BadgeStyle::Flat,
            label: Some(&self.label),
            message: Some(&self.message),
            label_color: None,
            message_color: Some(self.color),
            link: None,
            extra_link: None,
            logo: None,
            logo_color: None,
        };
        let mut svg = render_badge_svg(&params);
        svg.push('\n');
        svg.into_bytes()
    }

    /// shields.io's endpoint schema: `https://img.shields.io/endpoint?url=...`.
    pub fn endpoint_json(&self) -> Vec<u8> {
        pretty_json(&json!({
            "schemaVersion": 1,
            "label": self.label,
            "message": self.message,
            "color": self.color,
        }))
    }
}

/// Which badge: of the site (`None`) or of the service at this position, and what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadgeSpec {
    pub service: Option<usize>,
    /// `None`: the status; else the window (`30d`, `90d`).
    pub window: Option<&'static str>,
}

/// How many badges the site has: three for the site, then three per service.
pub fn badge_count(site: &Site) -> usize {
    3 * (site.stats.services.len() + 1)
}

/// The `n`-th badge: the site's status and windows first, then each service's.
pub fn badge_spec(n: usize) -> BadgeSpec {
    BadgeSpec {
        service: (n / 3).checked_sub(1),
        window: match n % 3 {
            0 => None,
            k => Some(BADGE_WINDOWS[k - 1]),
        },
    }
}

/// `badges/status`, `badges/api/availability-30d` (without the extension).
pub fn badge_path(site: &Site, spec: BadgeSpec) -> String {
    let folder = match spec.service {
        None => "badges/".to_string(),
        Some(position) => format!("badges/{}/", slugify(&site.stats.services[position].name)),
    };
    match spec.window {
        None => format!("{folder}status"),
        Some(window) => format!("{folder}availability-{window}"),
    }
}

/// What a badge says.
pub fn badge(site: &Site, spec: BadgeSpec) -> Badge {
    let (name, stats) = match spec.service {
        None => ("status".to_string(), &site.stats.overall),
        Some(position) => {
            let stats = &site.stats.services[position];
            (stats.name.clone(), stats)
        }
    };
    match spec.window {
        None => {
            let status = match spec.service {
                Some(position) => status_at(site, position),
                None => (0..site.stats.services.len())
                    .map(|p| status_at(site, p))
                    .max()
                    .unwrap_or(Status::Operational),
            };
            Badge {
                label: name,
                message: status.label().to_lowercase(),
                color: status_color(status),
            }
        }
        Some(window) => availability_badge(site, spec.service, stats, window),
    }
}

fn availability_badge(
    site: &Site,
    service: Option<usize>,
    stats: &ServiceStats,
    window: &str,
) -> Badge {
    let label = match service {
        Some(_) => format!("{} {window}", stats.name),
        None => format!("availability {window}"),
    };
    let availability = stats
        .windows
        .iter()
        .find(|(w, _)| w == window)
        .map(|(_, w)| w.availability());
    let target = service
        .and_then(|_| site.config.objective(&stats.name))
        .map(|o| f64::from(o.target_ppm) / 1_000_000.0);
    match availability {
        Some(availability) => Badge {
            label,
            message: percent_label(availability).replace(' ', ""),
            color: availability_color(availability, target),
        },
        None => Badge {
            label,
            message: "no data".into(),
            color: "lightgrey",
        },
    }
}

/// Green when operational, blue under maintenance, yellow when degraded, red in an outage.
fn status_color(status: Status) -> &'static str {
    match status {
        Status::Operational => "brightgreen",
        Status::Maintenance => "blue",
        Status::Degraded => "yellow",
        Status::Outage => "red",
    }
}

/// Against the service's objective when it has one (met: bright green, missed: orange);
/// otherwise 99.9 % and above bright green, 99 % green, 95 % yellow, below that red.
fn availability_color(availability: f64, target: Option<f64>) -> &'static str {
    match target {
        Some(target) if availability >= target => "brightgreen",
        Some(_) => "orange",
        None if availability >= 0.999 => "brightgreen",
        None if availability >= 0.99 => "green",
        None if availability >= 0.95 => "yellow",
        None => "red",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_the_objective_or_fixed_steps() {
        assert_eq!(availability_color(0.9995, Some(0.9995)), "brightgreen");
        assert_eq!(availability_color(0.99949, Some(0.9995)), "orange");
        assert_eq!(availability_color(0.9991, None), "brightgreen");
        assert_eq!(availability_color(0.995, None), "green");
        assert_eq!(availability_color(0.96, None), "yellow");
        assert_eq!(availability_color(0.5, None), "red");
    }

    #[test]
    fn a_badge_is_an_accessible_flat_svg() {
        let badge = Badge {
            label: "api 30d".into(),
            message: "99.972%".into(),
            color: "brightgreen",
        };
        let svg = String::from_utf8(badge.svg()).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<title>api 30d: 99.972%</title>"), "{svg}");
        assert!(svg.contains("aria-label=\"api 30d: 99.972%\""), "{svg}");
        let json = String::from_utf8(badge.endpoint_json()).unwrap();
        assert!(json.contains("\"schemaVersion\": 1"), "{json}");
    }
}
