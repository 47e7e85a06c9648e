//! `metrics.prom`: the site's figures in the Prometheus text exposition format (which
//! OpenMetrics scrapers read too), for the node-exporter textfile collector or any scraper
//! pointed at the static file. Every figure is the statistics' own; the file carries no
//! timestamps, so it changes only when a figure does.

use std::fmt::Write;

use crate::site::Site;
use crate::stats::slo;

/// One metric family: its name, type, help line and samples (labels, value).
struct Family {
    name: &'static str,
    kind: &'static str,
    help: &'static str,
    samples: Vec<(Vec<(&'static str, String)>, String)>,
}

pub fn metrics(site: &Site) -> Vec<u8> {
    let mut out = String::new();
    for family in families(site) {
        let _ = writeln!(out, "# HELP {} {}", family.name, family.help);
        let _ = writeln!(out, "# TYPE {} {}", family.name, family.kind);
        for (labels, value) in &family.samples {
            let _ = writeln!(
                out,
                "{}{} {value}",
                sample_name(&family, labels),
                label_text(labels)
            );
        }
    }
    out.into_bytes()
}

/// A summary's `_sum` and `_count` are written as labels named so; they become suffixes.
fn sample_name(family: &Family, labels: &[(&'static str, String)]) -> String {
    match labels.iter().find(|(k, _)| *k == "__suffix") {
        Some((_, suffix)) => format!("{}{suffix}", family.name),
        None => family.name.to_string(),
    }
}

/// `{service="api",window="30d"}` with `\`, `"` and line breaks escaped; empty without labels.
fn label_text(labels: &[(&'static str, String)]) -> String {
    let shown: Vec<String> = labels
        .iter()
        .filter(|(k, _)| *k != "__suffix")
        .map(|(k, v)| {
            let escaped = v
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n");
            format!("{k}=\"{escaped}\"")
        })
        .collect();
    match shown.is_empty() {
        true => String::new(),
        false => format!("{{{}}}", shown.join(",")),
    }
}

fn number(value: f64) -> String {
    // Rust prints the shortest representation that reads back exactly; whole numbers as such.
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn families(site: &Site) -> Vec<Family> {
    let stats = &site.stats;
    let per_window = |pick: fn(&crate::stats::WindowStats) -> f64| {
        stats
            .services
            .iter()
            .flat_map(|s| {
                s.windows.iter().map(move |(window, w)| {
                    (
                        vec![("service", s.name.clone()), ("window", window.clone())],
                        number(pick(w)),
                    )
                })
            })
            .collect()
    };
    let mut out = vec![
        Family {
            name: "aftermath_availability_ratio",
            kind: "gauge",
            help: "Availability of the service over the window (0 to 1, rounded down to 5 decimals).",
            samples: per_window(|w| w.availability()),
        },
        Family {
            name: "aftermath_weighted_availability_ratio",
            kind: "gauge",
            help: "Impact-weighted availability of the service over the window (0 to 1, rounded down to 5 decimals).",
            samples: per_window(|w| w.weighted_availability()),
        },
        Family {
            name: "aftermath_downtime_seconds",
            kind: "gauge",
            help: "Downtime of the service over the window, overlaps counted once.",
            samples: per_window(|w| w.downtime_seconds as f64),
        },
        incidents_by_severity(site),
        Family {
            name: "aftermath_ongoing_incidents",
            kind: "gauge",
            help: "Incidents ongoing at the as-of time.",
            samples: vec![(Vec::new(), stats.counts.ongoing.to_string())],
        },
        time_to_resolve(site),
    ];
    out.extend(budgets(site));
    out.push(Family {
        name: "aftermath_service_status",
        kind: "gauge",
        help: "1 for the current status of each service: operational, maintenance, degraded or outage.",
        samples: (0..stats.services.len())
            .map(|p| {
                let status = super::pages::status_at(site, p);
                (
                    vec![("service", stats.services[p].name.clone()), ("status", status.as_str().to_string())],
                    "1".to_string(),
                )
            })
            .collect(),
    });
    out
}

fn incidents_by_severity(site: &Site) -> Family {
    let stats = &site.stats;
    let mut samples: Vec<(Vec<(&'static str, String)>, String)> = stats
        .by_severity
        .iter()
        .map(|(severity, n)| (vec![("severity", severity.clone())], n.to_string()))
        .collect();
    samples.push((
        vec![("severity", "none".into())],
        stats.without_severity.to_string(),
    ));
    Family {
        name: "aftermath_incidents_total",
        kind: "counter",
        help: "Published incidents (maintenance not counted) by severity; severity=\"none\" for those without one.",
        samples,
    }
}

fn time_to_resolve(site: &Site) -> Family {
    let summary = &site.stats.time_to_resolve;
    // Seconds as api/stats.json gives them: whole when whole, else one decimal.
    let seconds = |v: f64| crate::stats::summary::seconds_json(v).to_string();
    let quantile = |q: &str, v: f64| (vec![("quantile", q.to_string())], seconds(v));
    let mut samples = Vec::new();
    if summary.n > 0 {
        samples.push(quantile("0.5", summary.median));
        samples.push(quantile("0.9", summary.p90));
    }
    samples.push((
        vec![("__suffix", "_sum".into())],
        number(summary.mean * summary.n as f64),
    ));
    samples.push((vec![("__suffix", "_count".into())], summary.n.to_string()));
    Family {
        name: "aftermath_time_to_resolve_seconds",
        kind: "summary",
        help: "Time to resolve of the resolved incidents: median and p90, and their sum and count.",
        samples,
    }
}

fn budgets(site: &Site) -> Vec<Family> {
    if site.budgets.is_empty() {
        return Vec::new();
    }
    let label = |b: &slo::Budget| {
        vec![
            ("service", b.service.clone()),
            ("window", b.objective.window.label()),
        ]
    };
    vec![
        Family {
            name: "aftermath_error_budget_remaining_ratio",
            kind: "gauge",
            help: "Share of the error budget left (negative once exhausted), as in api/slo.json.",
            samples: site
                .budgets
                .iter()
                .map(|b| (label(b), number(b.remaining_fraction())))
                .collect(),
        },
        Family {
            name: "aftermath_error_budget_remaining_seconds",
            kind: "gauge",
            help: "Error budget left in seconds (negative once exhausted), as in api/slo.json.",
            samples: site
                .budgets
                .iter()
                .map(|b| (label(b), number(slo::seconds(b.remaining()))))
                .collect(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        let labels = vec![("service", "a \"b\" \\ c\nd".to_string())];
        assert_eq!(label_text(&labels), "{service=\"a \\\"b\\\" \\\\ c\\nd\"}");
        assert_eq!(number(3600.0), "3600");
        assert_eq!(number(0.99972), "0.99972");
    }
}
