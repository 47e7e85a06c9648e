//! Inline SVG charts for the statistics page, drawn at build time (no chart library, no
//! JavaScript). Coordinates are printed with fixed precision so output is byte-identical, colours
//! come from CSS classes so light and dark mode both apply, and every chart has a `<title>`, a
//! `<desc>` and a data table or text next to it in the template.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Utc};

use crate::config::Config;
use crate::i18n::Locale;
use crate::stats::Bucket;
use crate::stats::slo::Budget;
use crate::text::html::escape;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 34.0;

/// At most this many incidents are drawn as dots; larger sites show the most recent ones.
pub const MAX_DOTS: usize = 1_000;

fn open(out: &mut String, id: &str, title: &str, description: &str) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    );
}

fn axis(out: &mut String) {
    let _ = write!(
        out,
        "<line class=\"chart-axis\" x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>",
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
        HEIGHT - BOTTOM
    );
}

/// Bars, one per label, with value labels on the y axis at 0 and the maximum.
fn bars(
    id: &str,
    title: &str,
    description: &str,
    data: &[(String, usize)],
    tick_every: usize,
) -> String {
    let mut out = String::new();
    open(&mut out, id, title, description);
    let max = data.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / data.len().max(1) as f64;
    let _ = write!(
        out,
        "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{max}</text>",
        LEFT - 6.0,
        TOP + 4.0
    );
    let _ = write!(
        out,
        "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
        LEFT - 6.0,
        HEIGHT - BOTTOM
    );
    for (index, (label, value)) in data.iter().enumerate() {
        let height = plot_height * (*value as f64) / (max as f64);
        let x = LEFT + slot * index as f64 + slot * 0.15;
        let _ = write!(
            out,
            "<rect class=\"chart-bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\"><title>{}: {value}</title></rect>",
            HEIGHT - BOTTOM - height,
            slot * 0.7,
            escape(label)
        );
        if index % tick_every.max(1) == 0 {
            let _ = write!(
                out,
                "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                LEFT + slot * (index as f64 + 0.5),
                HEIGHT - BOTTOM + 16.0,
                escape(label)
            );
        }
    }
    axis(&mut out);
    out.push_str("</svg>");
    out
}

/// Incidents started per month, from the first month with an incident to the as-of month.
pub fn incidents_per_month(months: &[(String, usize)], locale: &Locale) -> String {
    let total: usize = months.iter().map(|(_, c)| c).sum();
    let count = locale.formats().integer(months.len() as i64);
    let description = locale.count(
        "chart.per_month_description",
        total as i64,
        &[("months", &count)],
    );
    let tick_every = (months.len() / 8).max(1);
    bars(
        "per-month",
        &locale.text("stats.per_month", &[]),
        &description,
        months,
        tick_every,
    )
}

/// The duration histogram with its log-scale buckets.
pub fn duration_histogram(buckets: &[Bucket], locale: &Locale) -> String {
    let data: Vec<(String, usize)> = buckets
        .iter()
        .enumerate()
        .map(|(n, b)| (locale.text(&format!("histogram.b{n}"), &[]), b.count))
        .collect();
    let total: usize = data.iter().map(|(_, c)| c).sum();
    let description = locale.count("chart.durations_description", total as i64, &[]);
    bars(
        "durations",
        &locale.text("stats.durations", &[]),
        &description,
        &data,
        1,
    )
}

/// Each resolved incident as a dot: when it started (x) and how long it took (y, log scale).
pub fn time_to_resolve(points: &[(DateTime<Utc>, i64)], config: &Config) -> String {
    let (zone, locale) = (config.timezone, &config.locale);
    let mut out = String::new();
    let shown = &points[points.len().saturating_sub(MAX_DOTS)..];
    let month = |at: &DateTime<Utc>| {
        locale
            .formats()
            .month_year(at.with_timezone(&zone).date_naive())
    };
    let description = match (shown.first(), shown.last()) {
        (Some(first), Some(last)) => locale.count(
            "chart.resolve_description",
            shown.len() as i64,
            &[("from", &month(&first.0)), ("to", &month(&last.0))],
        ),
        _ => locale.text("chart.none_resolved", &[]),
    };
    let title = locale.text("stats.resolve_over_time", &[]);
    open(&mut out, "ttr", &title, &description);
    let (low, high) = (60f64.ln(), (30.0 * 86_400f64).ln());
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y_of = |seconds: i64| {
        let value = (seconds.max(60) as f64).ln().min(high);
        HEIGHT - BOTTOM - plot_height * (value - low) / (high - low)
    };
    for seconds in [60, 3_600, 86_400, 30 * 86_400] {
        let y = y_of(seconds);
        let label = escape(&locale.duration(seconds));
        let _ = write!(
            out,
            "<line class=\"chart-grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/><text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{label}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
    if let (Some(first), Some(last)) = (shown.first(), shown.last()) {
        let (from, to) = (
            first.0.timestamp() as f64,
            last.0.timestamp().max(first.0.timestamp() + 1) as f64,
        );
        let plot_width = WIDTH - LEFT - RIGHT;
        let x_of = |at: DateTime<Utc>| {
            LEFT + 6.0 + (plot_width - 12.0) * (at.timestamp() as f64 - from) / (to - from)
        };
        let mut year = None;
        for (at, seconds) in shown {
            let local = at.with_timezone(&zone);
            if year != Some(local.year()) {
                year = Some(local.year());
                let _ = write!(
                    out,
                    "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    x_of(*at),
                    HEIGHT - BOTTOM + 16.0,
                    local.year()
                );
            }
            let _ = write!(
                out,
                "<circle class=\"chart-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}: {}</title></circle>",
                x_of(*at),
                y_of(*seconds),
                local.format("%Y-%m-%d"),
                escape(&locale.duration(*seconds))
            );
        }
    }
    axis(&mut out);
    out.push_str("</svg>");
    out
}

/// An error budget's use over its window: the consumed total as a line rising toward the
/// budget's level (dashed), with a mark at T when the window runs past it.
pub fn budget_burn(budget: &Budget, config: &Config) -> String {
    let locale = &config.locale;
    let day_label = |at: i64| day_label(at, config);
    let mut out = String::new();
    let id = format!("burn-{}", crate::text::slug::slugify(&budget.service));
    let key = match budget.met() {
        true => "budget.chart_description",
        false => "budget.chart_description_exhausted",
    };
    let description = locale.text(
        key,
        &[
            ("used", &locale.duration(budget_seconds(budget.consumed))),
            ("budget", &locale.duration(budget_seconds(budget.budget))),
            ("from", &day_label(budget.from)),
            ("to", &day_label(budget.counted_to)),
        ],
    );
    let title = locale.text("budget.chart_title", &[("service", &budget.service)]);
    open(&mut out, &id, &title, &description);
    let top = budget.budget.max(budget.consumed).max(1) as f64;
    let span = (budget.to - budget.from).max(1) as f64;
    let (plot_width, plot_height) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let x_of = |at: i64| LEFT + plot_width * (at - budget.from) as f64 / span;
    let y_of = |amount: i128| HEIGHT - BOTTOM - plot_height * amount as f64 / top;
    let level = y_of(budget.budget);
    let _ = write!(
        out,
        "<line class=\"chart-budget\" x1=\"{LEFT}\" y1=\"{level:.1}\" x2=\"{:.1}\" y2=\"{level:.1}\"/><text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text><text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
        WIDTH - RIGHT,
        LEFT + 4.0,
        // Above the dashed line, or under it when the line is the top of the plot.
        if level - 5.0 < TOP + 12.0 {
            level + 14.0
        } else {
            level - 5.0
        },
        escape(&locale.text(
            "budget.chart_level",
            &[("amount", &locale.duration(budget_seconds(budget.budget)))]
        )),
        LEFT - 6.0,
        HEIGHT - BOTTOM
    );
    let points: Vec<String> = budget
        .burn
        .iter()
        .map(|&(at, amount)| format!("{:.1},{:.1}", x_of(at), y_of(amount)))
        .collect();
    let _ = write!(
        out,
        "<polyline class=\"chart-burn\" points=\"{}\"/>",
        points.join(" ")
    );
    if budget.counted_to < budget.to {
        let x = x_of(budget.counted_to);
        let _ = write!(
            out,
            "<line class=\"chart-grid\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
            HEIGHT - BOTTOM
        );
    }
    for (at, anchor) in [(budget.from, "start"), (budget.to - 1, "end")] {
        let _ = write!(
            out,
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            x_of(at),
            HEIGHT - BOTTOM + 16.0,
            escape(&day_label(at))
        );
    }
    axis(&mut out);
    out.push_str("</svg>");
    out
}

/// Whole seconds of an amount in millionths of a second, for labels.
fn budget_seconds(amount: i128) -> i64 {
    (amount / crate::stats::slo::UNIT) as i64
}

/// `3 March 2025` in the site's zone.
fn day_label(at: i64, config: &Config) -> String {
    DateTime::from_timestamp(at, 0).map_or_else(String::new, |at| {
        let local = at.with_timezone(&config.timezone).date_naive();
        config.locale.formats().long_date(local)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_maximum_and_carry_titles() {
        let svg = incidents_per_month(
            &[("2025-01".into(), 1), ("2025-02".into(), 4)],
            &Locale::english(),
        );
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"per-month-title per-month-desc\""));
        assert!(svg.contains("<title>2025-02: 4</title>"));
        assert!(
            svg.contains("height=\"174.0\""),
            "the tallest bar fills the plot: {svg}"
        );
        assert!(svg.contains("height=\"43.5\""), "a quarter of it: {svg}");
    }

    #[test]
    fn dots_use_a_log_scale_and_escape_nothing_unsafe() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let svg = time_to_resolve(
            &[
                (at("2025-01-01T00:00:00Z"), 60),
                (at("2025-06-01T00:00:00Z"), 30 * 86_400),
            ],
            &Config::default(),
        );
        assert!(
            svg.contains("cy=\"186.0\""),
            "1 minute sits on the axis: {svg}"
        );
        assert!(svg.contains("cy=\"12.0\""), "30 days at the top: {svg}");
        assert!(svg.contains("<title>2025-06-01: 30 d</title>"));
        let none = time_to_resolve(&[], &Config::default());
        assert!(none.contains("No resolved incidents yet."));
        let german = Config {
            locale: Locale::load("de", None).unwrap(),
            ..Config::default()
        };
        let svg = time_to_resolve(&[(at("2025-06-01T00:00:00Z"), 30 * 86_400)], &german);
        assert!(svg.contains("<title>2025-06-01: 30 Tg.</title>"), "{svg}");
        assert!(svg.contains("von Juni 2025 bis Juni 2025"), "{svg}");
    }
}
