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
use crate::i18n::Locale;
use crate::site::Site;
use crate::stats::periods::{NoData, PeriodKind, periods};
use crate::stats::service_start;
use crate::stats::slo::{BudgetWindow, budget_over, counted_against};

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
    headline(&mut out, &review, &site.config.locale);
    objectives(&mut out, site, &options, kind.unwrap_or(PeriodKind::Month))?;
    counts(&mut out, &review, &site.config.locale);
    longest(&mut out, site, &review);
    budgets(&mut out, site, &review);
    actions(&mut out, site, options.service.as_deref());
    Ok(out)
}

fn heading(out: &mut String, site: &Site, review: &Review<'_>, label: Option<String>) {
    let (zone, locale) = (site.config.timezone, &site.config.locale);
    let day = |s: i64| {
        DateTime::<Utc>::from_timestamp(s, 0)
            .map(|t| long_date(locale, t.with_timezone(&zone).date_naive()))
            .unwrap_or_default()
    };
    let scope = match (review.period, label) {
        // The period ends just before `until`: name its last day.
        (Some(p), Some(label)) => {
            let (from, to) = (day(p.start), day(p.end - 1));
            let args = [("label", label.as_str()), ("from", &from), ("to", &to)];
            locale.text("review.labelled_range", &args)
        }
        (Some(p), None) => {
            let (from, to) = (day(p.start), day(p.end - 1));
            locale.text("review.range", &[("from", &from), ("to", &to)])
        }
        (None, _) => locale.text("review.all_time", &[]),
    };
    let service = review.options.service.as_ref().map_or(String::new(), |s| {
        locale.text("review.service", &[("service", s)])
    });
    let title = locale.text("review.title", &[("scope", &scope), ("service", &service)]);
    let _ = writeln!(out, "# {title}\n");
    let as_of = crate::render::views::iso(site.as_of);
    let args = [
        ("site", site.config.title.as_str()),
        ("as_of", &as_of),
        ("zone", zone.name()),
    ];
    let _ = writeln!(out, "{}\n", locale.text("review.site_as_of", &args));
}

/// A day as the review's language writes it: `4 May 2026`, `4. Mai 2026`.
fn long_date(locale: &Locale, date: chrono::NaiveDate) -> String {
    locale.formats().long_date(date)
}

fn headline(out: &mut String, review: &Review<'_>, locale: &Locale) {
    let s = &review.statistics;
    let c = s.counts;
    let _ = writeln!(out, "## {}\n", locale.text("review.headline", &[]));
    let incidents = locale.count("list.incidents", c.total as i64, &[]);
    let numbers = [c.resolved, c.ongoing, c.maintenance].map(|n| n.to_string());
    let args = [
        ("incidents", incidents.as_str()),
        ("resolved", &numbers[0]),
        ("ongoing", &numbers[1]),
        ("maintenance", &numbers[2]),
    ];
    let _ = writeln!(out, "- {}", locale.text("review.headline_counts", &args));
    for (key, summary) in [
        ("stats.time_to_resolve", &s.time_to_resolve),
        ("stats.time_to_detect", &s.time_to_detect),
    ] {
        let name = locale.text(key, &[]);
        if summary.n == 0 {
            let _ = writeln!(
                out,
                "- {}",
                locale.text("review.summary_none", &[("name", &name)])
            );
            continue;
        }
        let figures =
            [summary.median, summary.p90, summary.mean].map(|v| locale.duration(v as i64));
        let n = summary.n.to_string();
        let args = [
            ("name", name.as_str()),
            ("median", &figures[0]),
            ("p90", &figures[1]),
            ("mean", &figures[2]),
            ("n", &n),
        ];
        let _ = writeln!(out, "- {}", locale.text("review.summary", &args));
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
    let locale = &site.config.locale;
    let _ = writeln!(out, "## {}\n", locale.text("review.objectives", &[]));
    if rows.is_empty() {
        let _ = writeln!(out, "{}\n", locale.text("review.no_objectives", &[]));
        return Ok(());
    }
    let missed = rows.iter().filter(|r| r.met == Some(false)).count();
    let judged = rows.iter().filter(|r| r.met.is_some()).count();
    let numbers = [judged - missed, judged, missed].map(|n| n.to_string());
    let args = [
        ("met", numbers[0].as_str()),
        ("judged", &numbers[1]),
        ("missed", &numbers[2]),
    ];
    let _ = writeln!(out, "{}\n", locale.text("review.objectives_met", &args));
    let _ = writeln!(out, "{}", locale.text("review.objectives_table", &[]));
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|---|");
    for row in rows {
        let (available, weighted) = match &row.counted {
            Ok(w) => (
                locale.percent(w.availability()),
                locale.percent(w.weighted_availability()),
            ),
            Err(NoData::BeforeHistory) | Err(NoData::NotYet) => {
                (locale.text("review.no_data", &[]), String::new())
            }
        };
        let result = match (row.met, row.partial) {
            (Some(true), false) => locale.text("review.met", &[]),
            (Some(true), true) => locale.text("review.met_so_far", &[]),
            (Some(false), _) => format!("**{}**", locale.text("review.missed", &[])),
            (None, _) => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {available} | {weighted} | {} | {result} |",
            cell(&row.service),
            row.period.label(),
            row.objective
                .map(|o| locale.target(o.target_ppm))
                .unwrap_or_default(),
            row.budget_used
                .map(|used| locale.share(used))
                .unwrap_or_default(),
        );
    }
    out.push('\n');
    Ok(())
}

fn counts(out: &mut String, review: &Review<'_>, locale: &Locale) {
    let s = &review.statistics;
    let text = |key: &str| locale.text(key, &[]);
    let _ = writeln!(out, "## {}\n", text("review.by_severity_and_service"));
    let _ = writeln!(out, "{}\n|---|---:|", text("review.severity_table"));
    for (severity, count) in &s.by_severity {
        let _ = writeln!(out, "| {} | {count} |", cell(severity));
    }
    let none = text("review.no_severity");
    let _ = writeln!(out, "| {none} | {} |\n", s.without_severity);
    let _ = writeln!(out, "{}\n|---|---:|", text("review.service_table"));
    for (service, count) in &review.by_service {
        let _ = writeln!(out, "| {} | {count} |", cell(service));
    }
    out.push('\n');
}

fn longest(out: &mut String, site: &Site, review: &Review<'_>) {
    let locale = &site.config.locale;
    let _ = writeln!(out, "## {}\n", locale.text("stats.longest", &[]));
    if review.statistics.longest.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            locale.text("review.longest_none_markdown", &[])
        );
        return;
    }
    for ranked in review.statistics.longest.iter().take(TOP) {
        if let Some(incident) = review.incidents.iter().find(|i| i.id == ranked.id) {
            let _ = writeln!(
                out,
                "1. [{}]({}) — {}, {}",
                link_text(&incident.title),
                incident_url(site, &incident.id),
                locale.duration(ranked.seconds),
                long_date(
                    locale,
                    incident
                        .start
                        .with_timezone(&site.config.timezone)
                        .date_naive()
                )
            );
        }
    }
    out.push('\n');
}

/// For each service with an objective: the incidents that used most of its budget over the
/// review's period (or its SLO window, for an all-time review).
fn budgets(out: &mut String, site: &Site, review: &Review<'_>) {
    let locale = &site.config.locale;
    let _ = writeln!(out, "## {}\n", locale.text("review.most_budget", &[]));
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
            let link = format!(
                "[{}]({})",
                link_text(&incident.title),
                incident_url(site, &incident.id)
            );
            let (service, share, target) = (
                cell(name),
                locale.share(budget.fraction_of(share.consumed)),
                locale.target(objective.target_ppm),
            );
            let args = [
                ("service", service.as_str()),
                ("incident", &link),
                ("share", &share),
                ("target", &target),
            ];
            let _ = writeln!(out, "- {}", locale.text("review.budget_share", &args));
        }
    }
    if !any {
        let _ = writeln!(out, "{}", locale.text("review.no_budget_used", &[]));
    }
    out.push('\n');
}

fn actions(out: &mut String, site: &Site, service: Option<&str>) {
    let locale = &site.config.locale;
    let _ = writeln!(out, "## {}\n", locale.text("review.open_actions", &[]));
    let open: Vec<_> = site
        .actions
        .iter()
        .filter(|row| !site.action(row).done)
        .filter(|row| {
            service.is_none_or(|s| site.incidents[row.incident].services.iter().any(|x| x == s))
        })
        .collect();
    if open.is_empty() {
        let _ = writeln!(out, "{}", locale.text("review.actions_none", &[]));
        return;
    }
    let overdue = open.iter().filter(|r| r.overdue()).count().to_string();
    let count = open.len().to_string();
    let args = [("open", count.as_str()), ("overdue", &overdue)];
    let _ = writeln!(out, "{}\n", locale.text("review.actions_counts", &args));
    for row in open {
        let item = site.action(row);
        let incident = &site.incidents[row.incident];
        let owner = item
            .owner
            .as_ref()
            .map(|o| format!(" @{o}"))
            .unwrap_or_default();
        let due = match (item.due, row.overdue()) {
            (Some(due), true) => {
                let date = long_date(locale, due);
                format!(
                    " — {}",
                    locale.text("review.overdue_since", &[("date", &date)])
                )
            }
            (Some(due), false) => {
                let date = long_date(locale, due);
                format!(" — {}", locale.text("review.due", &[("date", &date)]))
            }
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
