//! `aftermath stats --format markdown`: a reliability review ready to paste into a document or
//! an issue: headline numbers with their n, objectives met and missed, incidents by severity
//! and service, the longest incidents, the incidents that used most of each budget, and the
//! action items still open (overdue first).
//!
//! It covers `[--since, --until)` when given; else, with `--period`, the last period that ended
//! by T; else all time. Every figure comes from the same code as the site's.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::periods::period_report;
use super::{Review, ReviewError, ReviewOptions, review};
use crate::site::Site;
use crate::stats::periods::{NoData, PeriodKind, periods};
use crate::stats::service_start;
use crate::stats::slo::{BudgetWindow, budget_over, counted_against};
use crate::text::dates::long_date;
use crate::text::labels::{percent_label, share_label, target_label};
use crate::text::time::duration_label;

/// How many incidents the longest and the budget lists name.
const TOP: usize = 5;

/// The options for the markdown review: the bounds given, or the last whole period of `kind`
/// (then with its label, like `2025-Q1`).
pub fn review_options(
    site: &Site,
    options: &ReviewOptions,
    kind: Option<PeriodKind>,
) -> (ReviewOptions, Option<String>) {
    if options.since.is_some() || options.until.is_some() {
        return (options.clone(), None);
    }
    let (Some(kind), Some(start)) = (kind, site.stats.history_start) else {
        return (options.clone(), None);
    };
    let t = site.as_of.timestamp();
    let last = periods(kind, start, site.as_of, site.config.timezone)
        .into_iter()
        .rfind(|p| p.end <= t);
    let at = |s: i64| DateTime::<Utc>::from_timestamp(s, 0);
    match last {
        Some(period) => (
            ReviewOptions {
                since: at(period.start),
                until: at(period.end),
                service: options.service.clone(),
            },
            Some(period.label()),
        ),
        None => (options.clone(), None),
    }
}

/// The review as Markdown.
pub fn markdown(
    site: &Site,
    options: &ReviewOptions,
    kind: Option<PeriodKind>,
) -> Result<String, ReviewError> {
    let (options, label) = review_options(site, options, kind);
    let review = review(site, &options)?;
    let mut out = String::new();
    heading(&mut out, site, &review, label);
    headline(&mut out, &review);
    objectives(&mut out, site, &options, kind.unwrap_or(PeriodKind::Month))?;
    counts(&mut out, &review);
    longest(&mut out, site, &review);
    budgets(&mut out, site, &review);
    actions(&mut out, site, options.service.as_deref());
    Ok(out)
}

fn heading(out: &mut String, site: &Site, review: &Review<'_>, label: Option<String>) {
    let zone = site.config.timezone;
    let day = |s: i64| {
        DateTime::<Utc>::from_timestamp(s, 0)
            .map(|t| long_date(&t.with_timezone(&zone)))
            .unwrap_or_default()
    };
    let scope = match (review.period, label) {
        // The period ends just before `until`: name its last day.
        (Some(p), Some(label)) => format!("{label} ({} to {})", day(p.start), day(p.end - 1)),
        (Some(p), None) => format!("{} to {}", day(p.start), day(p.end - 1)),
        (None, _) => "all time".into(),
    };
    let service = review
        .options
        .service
        .as_ref()
        .map_or(String::new(), |s| format!(", {s}"));
    let _ = writeln!(out, "# Reliability review: {scope}{service}\n");
    let _ = writeln!(
        out,
        "{}, as of {}. Times are in {}.\n",
        site.config.title,
        crate::render::views::iso(site.as_of),
        zone.name()
    );
}

fn headline(out: &mut String, review: &Review<'_>) {
    let s = &review.statistics;
    let c = s.counts;
    let _ = writeln!(out, "## Headline\n");
    let _ = writeln!(
        out,
        "- **{}** ({} resolved, {} ongoing), {} maintenance",
        plural(c.total, "incident"),
        c.resolved,
        c.ongoing,
        c.maintenance
    );
    for (name, summary) in [
        ("Time to resolve", &s.time_to_resolve),
        ("Time to detect", &s.time_to_detect),
    ] {
        if summary.n == 0 {
            let _ = writeln!(out, "- {name}: no incident to measure (n = 0)");
            continue;
        }
        let _ = writeln!(
            out,
            "- {name}: median {}, p90 {}, mean {} (n = {})",
            duration_label(summary.median as i64),
            duration_label(summary.p90 as i64),
            duration_label(summary.mean as i64),
            summary.n
        );
    }
    out.push('\n');
}

fn objectives(
    out: &mut String,
    site: &Site,
    options: &ReviewOptions,
    kind: PeriodKind,
) -> Result<(), ReviewError> {
    let report = period_report(site, kind, options)?;
    let rows: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.objective.is_some())
        .collect();
    let _ = writeln!(out, "## Objectives\n");
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "No service has an objective (set `[slo] target` in aftermath.toml).\n"
        );
        return Ok(());
    }
    let missed = rows.iter().filter(|r| r.met == Some(false)).count();
    let judged = rows.iter().filter(|r| r.met.is_some()).count();
    let _ = writeln!(
        out,
        "{} of {judged} met, {missed} missed.\n",
        judged - missed
    );
    let _ = writeln!(
        out,
        "| Service | Period | Objective | Availability | Impact-weighted | Budget used | Result |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|---|");
    for row in rows {
        let (available, weighted) = match &row.counted {
            Ok(w) => (
                percent_label(w.availability()),
                percent_label(w.weighted_availability()),
            ),
            Err(NoData::BeforeHistory) | Err(NoData::NotYet) => ("no data".into(), String::new()),
        };
        let result = match (row.met, row.partial) {
            (Some(true), false) => "met",
            (Some(true), true) => "met so far",
            (Some(false), _) => "**missed**",
            (None, _) => "",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {available} | {weighted} | {} | {result} |",
            cell(&row.service),
            row.period.label(),
            row.objective
                .map(|o| target_label(o.target_ppm))
                .unwrap_or_default(),
            row.budget_used.map(share_label).unwrap_or_default(),
        );
    }
    out.push('\n');
    Ok(())
}

fn counts(out: &mut String, review: &Review<'_>) {
    let s = &review.statistics;
    let _ = writeln!(out, "## Incidents by severity and service\n");
    let _ = writeln!(out, "| Severity | Incidents |\n|---|---:|");
    for (severity, count) in &s.by_severity {
        let _ = writeln!(out, "| {} | {count} |", cell(severity));
    }
    let _ = writeln!(out, "| no severity | {} |\n", s.without_severity);
    let _ = writeln!(out, "| Service | Incidents |\n|---|---:|");
    for (service, count) in &review.by_service {
        let _ = writeln!(out, "| {} | {count} |", cell(service));
    }
    out.push('\n');
}

fn longest(out: &mut String, site: &Site, review: &Review<'_>) {
    let _ = writeln!(out, "## Longest incidents\n");
    if review.statistics.longest.is_empty() {
        let _ = writeln!(out, "None resolved in this period.\n");
        return;
    }
    for ranked in review.statistics.longest.iter().take(TOP) {
        if let Some(incident) = review.incidents.iter().find(|i| i.id == ranked.id) {
            let _ = writeln!(
                out,
                "1. [{}]({}) — {}, {}",
                link_text(&incident.title),
                incident_url(site, &incident.id),
                duration_label(ranked.seconds),
                long_date(&incident.start.with_timezone(&site.config.timezone))
            );
        }
    }
    out.push('\n');
}

/// For each service with an objective: the incidents that used most of its budget over the
/// review's period (or its SLO window, for an all-time review).
fn budgets(out: &mut String, site: &Site, review: &Review<'_>) {
    let _ = writeln!(out, "## Incidents that used the most error budget\n");
    let mut any = false;
    for stats in &site.stats.services {
        let name = stats.name.as_str();
        if review.options.service.as_ref().is_some_and(|s| s != name) {
            continue;
        }
        let Some(objective) = site.config.objective(name) else {
            continue;
        };
        let budget = match review.period {
            Some(period) => budget_over(
                &site.incidents,
                &counted_against(&site.incidents, name),
                &BudgetWindow {
                    name,
                    objective,
                    // Clipped to where the service's history begins, as the reports are.
                    from: service_start(&site.config, name, site.stats.history_start)
                        .map_or(period.start, |s| s.timestamp().max(period.start)),
                    to: period.end,
                    as_of: site.as_of,
                    alert_basis_points: site.config.slo.budget_alert_basis_points,
                },
            ),
            None => match site.budget(name) {
                Some(budget) => budget.clone(),
                None => continue,
            },
        };
        for share in budget.shares.iter().take(TOP) {
            any = true;
            let incident = &site.incidents[share.index];
            let _ = writeln!(
                out,
                "- {}: [{}]({}) used {} of the {} budget",
                cell(name),
                link_text(&incident.title),
                incident_url(site, &incident.id),
                share_label(budget.fraction_of(share.consumed)),
                target_label(objective.target_ppm)
            );
        }
    }
    if !any {
        let _ = writeln!(out, "No incident used any error budget.");
    }
    out.push('\n');
}

fn actions(out: &mut String, site: &Site, service: Option<&str>) {
    let _ = writeln!(out, "## Open action items\n");
    let open: Vec<_> = site
        .actions
        .iter()
        .filter(|row| !site.action(row).done)
        .filter(|row| {
            service.is_none_or(|s| site.incidents[row.incident].services.iter().any(|x| x == s))
        })
        .collect();
    if open.is_empty() {
        let _ = writeln!(out, "None.");
        return;
    }
    let overdue = open.iter().filter(|r| r.overdue()).count();
    let _ = writeln!(out, "{} open, {overdue} overdue.\n", open.len());
    for row in open {
        let item = site.action(row);
        let incident = &site.incidents[row.incident];
        let owner = item
            .owner
            .as_ref()
            .map(|o| format!(" @{o}"))
            .unwrap_or_default();
        let due = match (item.due, row.overdue()) {
            (Some(due), true) => format!(" — **overdue** since {}", long_date(&due)),
            (Some(due), false) => format!(" — due {}", long_date(&due)),
            (None, _) => String::new(),
        };
        let _ = writeln!(
            out,
            "- [ ] {}{owner}{due} ([{}]({}))",
            item.text,
            link_text(&incident.title),
            incident_url(site, &incident.id)
        );
    }
}

fn incident_url(site: &Site, id: &str) -> String {
    format!("{}incidents/{id}/", site.config.base_url)
}

/// Text for a Markdown table cell: pipes escaped, on one line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Text for a Markdown link label.
fn link_text(text: &str) -> String {
    cell(text).replace('[', "\\[").replace(']', "\\]")
}

fn plural(n: usize, word: &str) -> String {
    match n {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}
