//! Inline SVG charts for the statistics page, drawn at build time (no chart library, no
//! JavaScript). Coordinates are printed with fixed precision so output is byte-identical, colours
//! come from CSS classes so light and dark mode both apply, and every chart has a `<title>`, a
//! `<desc>` and a data table or text next to it in the template.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::stats::Bucket;
use crate::stats::slo::Budget;
use crate::text::html::escape;
use crate::text::time::duration_label;

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
pub fn incidents_per_month(months: &[(String, usize)]) -> String {
    let total: usize = months.iter().map(|(_, c)| c).sum();
    let description = format!(
        "{total} incidents over {} months, one bar per month.",
        months.len()
    );
    let tick_every = (months.len() / 8).max(1);
    bars(
        "per-month",
        "Incidents per month",
        &description,
        months,
        tick_every,
    )
}

/// The duration histogram with its log-scale buckets.
pub fn duration_histogram(buckets: &[Bucket]) -> String {
    let data: Vec<(String, usize)> = buckets
        .iter()
        .map(|b| (b.label.to_string(), b.count))
        .collect();
    let total: usize = data.iter().map(|(_, c)| c).sum();
    let description = format!(
        "{total} resolved incidents by how long they lasted, in buckets that grow roughly tenfold."
    );
    bars(
        "durations",
        "How long incidents last",
        &description,
        &data,
        1,
    )
}

/// Each resolved incident as a dot: when it started (x) and how long it took (y, log scale).
pub fn time_to_resolve(points: &[(DateTime<Utc>, i64)], zone: Tz) -> String {
    let mut out = String::new();
    let shown = &points[points.len().saturating_sub(MAX_DOTS)..];
    let description = if shown.is_empty() {
        "No resolved incidents yet.".to_string()
    } else {
        format!(
            "{} resolved incidents from {} to {}; the vertical axis is logarithmic, from 1 minute to 30 days.",
            shown.len(),
            shown[0].0.with_timezone(&zone).format("%B %Y"),
            shown[shown.len() - 1]
                .0
                .with_timezone(&zone)
                .format("%B %Y")
        )
    };
    open(&mut out, "ttr", "Time to resolve over time", &description);
    let (low, high) = (60f64.ln(), (30.0 * 86_400f64).ln());
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y_of = |seconds: i64| {
        let value = (seconds.max(60) as f64).ln().min(high);
        HEIGHT - BOTTOM - plot_height * (value - low) / (high - low)
    };
    for (seconds, label) in [
        (60, "1 min"),
        (3_600, "1 h"),
        (86_400, "1 d"),
        (30 * 86_400, "30 d"),
    ] {
        let y = y_of(seconds);
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
                duration_label(*seconds)
            );
        }
    }
    axis(&mut out);
    out.push_str("</svg>");
    out
}

/// An error budget's use over its window: the consumed total as a line rising toward the
/// budget's level (dashed), with a mark at T when the window runs past it.
pub fn budget_burn(budget: &Budget, zone: Tz) -> String {
    let mut out = String::new();
    let id = format!("burn-{}", crate::text::slug::slugify(&budget.service));
    let description = format!(
        "{} of a {} budget used from {} to {}{}.",
        duration_label(budget_seconds(budget.consumed)),
        duration_label(budget_seconds(budget.budget)),
        day_label(budget.from, zone),
        day_label(budget.counted_to, zone),
        if budget.met() {
            ""
        } else {
            ": the budget is exhausted"
        }
    );
    open(
        &mut out,
        &id,
        &format!("{}: error budget used", budget.service),
        &description,
    );
    let top = budget.budget.max(budget.consumed).max(1) as f64;
    let span = (budget.to - budget.from).max(1) as f64;
    let (plot_width, plot_height) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let x_of = |at: i64| LEFT + plot_width * (at - budget.from) as f64 / span;
    let y_of = |amount: i128| HEIGHT - BOTTOM - plot_height * amount as f64 / top;
    let level = y_of(budget.budget);
    let _ = write!(
        out,
        "<line class=\"chart-budget\" x1=\"{LEFT}\" y1=\"{level:.1}\" x2=\"{:.1}\" y2=\"{level:.1}\"/><text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\">budget {}</text><text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">0</text>",
        WIDTH - RIGHT,
        LEFT + 4.0,
        // Above the dashed line, or under it when the line is the top of the plot.
        if level - 5.0 < TOP + 12.0 {
            level + 14.0
        } else {
            level - 5.0
        },
        escape(&duration_label(budget_seconds(budget.budget))),
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
            day_label(at, zone)
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
fn day_label(at: i64, zone: Tz) -> String {
    DateTime::from_timestamp(at, 0).map_or_else(String::new, |at| {
        crate::text::dates::long_date(&at.with_timezone(&zone))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_maximum_and_carry_titles() {
        let svg = incidents_per_month(&[("2025-01".into(), 1), ("2025-02".into(), 4)]);
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
            Tz::UTC,
        );
        assert!(
            svg.contains("cy=\"186.0\""),
            "1 minute sits on the axis: {svg}"
        );
        assert!(svg.contains("cy=\"12.0\""), "30 days at the top: {svg}");
        assert!(svg.contains("<title>2025-06-01: 30 d</title>"));
        assert!(time_to_resolve(&[], Tz::UTC).contains("No resolved incidents yet."));
    }
}
