//! Service level objectives in `aftermath.toml`: the site-wide `[slo]` table and the `slo`,
//! `slo_window` and `slo_weighted` keys of `[[services]]`.
//!
//! A target is a percentage below 100 (`"99.9%"` or `99.9`), kept in parts per million so the
//! budget arithmetic stays exact; a window is rolling (`"28d"`, `"30d"`, `"90d"`, any number of
//! days) or a calendar period (`"month"`, `"quarter"`) in the site's time zone. The formulas
//! that use them are in `docs/statistics.md`.

use crate::diagnostics::Check;
use crate::spanned::checker::Checker;
use crate::spanned::{RawEntry, RawValue, describe};

/// Over what stretch of time a budget is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SloWindow {
    /// The last `days` days before T.
    Rolling { days: i64 },
    /// The current calendar month (site zone), against the whole month's budget.
    Month,
    /// The current calendar quarter (site zone), against the whole quarter's budget.
    Quarter,
}

impl SloWindow {
    /// As written in the configuration and the API: `30d`, `month`, `quarter`.
    pub fn label(self) -> String {
        match self {
            SloWindow::Rolling { days } => format!("{days}d"),
            SloWindow::Month => "month".into(),
            SloWindow::Quarter => "quarter".into(),
        }
    }
}

/// The site-wide `[slo]` table: defaults for every service, and the alert threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SloDefaults {
    /// `None`: services have no objective unless they set `slo`.
    pub target_ppm: Option<u32>,
    pub window: SloWindow,
    pub weighted: bool,
    /// An incident that uses more than this share of a budget is flagged, in basis points.
    pub budget_alert_basis_points: u32,
}

impl Default for SloDefaults {
    fn default() -> Self {
        SloDefaults {
            target_ppm: None,
            window: SloWindow::Rolling { days: 30 },
            weighted: true,
            budget_alert_basis_points: 2_000,
        }
    }
}

/// What a `[[services]]` table sets of its own objective.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceSlo {
    pub target_ppm: Option<u32>,
    pub window: Option<SloWindow>,
    pub weighted: Option<bool>,
}

/// A service's objective, its own keys over the site's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Objective {
    /// The target availability in parts per million (999000 = 99.9 %).
    pub target_ppm: u32,
    pub window: SloWindow,
    pub weighted: bool,
}

impl Objective {
    /// The target as a percentage: 99.9.
    pub fn target_percent(&self) -> f64 {
        f64::from(self.target_ppm) / 10_000.0
    }
}

impl SloDefaults {
    /// The objective of a service with `own` keys, or `None` when neither sets a target.
    pub fn objective(&self, own: &ServiceSlo) -> Option<Objective> {
        Some(Objective {
            target_ppm: own.target_ppm.or(self.target_ppm)?,
            window: own.window.unwrap_or(self.window),
            weighted: own.weighted.unwrap_or(self.weighted),
        })
    }
}

/// The keys of `[slo]`.
pub const SLO_KEYS: &[&str] = &["target", "window", "weighted", "budget_alert"];

/// One key of `[slo]` into `defaults`; a key with a problem is reported and left as it was.
pub fn read_default(out: &mut Checker<'_>, entry: &RawEntry, defaults: &mut SloDefaults) {
    match entry.key.as_str() {
        "target" => defaults.target_ppm = target(out, entry).or(defaults.target_ppm),
        "window" => defaults.window = window(out, entry).unwrap_or(defaults.window),
        "weighted" => defaults.weighted = out.boolean(entry).unwrap_or(defaults.weighted),
        _ => {
            defaults.budget_alert_basis_points =
                budget_alert(out, entry).unwrap_or(defaults.budget_alert_basis_points)
        }
    }
}

/// One of the `slo`, `slo_window` and `slo_weighted` keys of a `[[services]]` table.
pub fn read_service_key(out: &mut Checker<'_>, entry: &RawEntry, own: &mut ServiceSlo) {
    match entry.key.as_str() {
        "slo" => own.target_ppm = target(out, entry),
        "slo_window" => own.window = window(out, entry),
        _ => own.weighted = out.boolean(entry),
    }
}

/// A percentage as written: `99.9`, `"99.9%"`; `None` (reported) when it is not one.
fn percent(out: &mut Checker<'_>, entry: &RawEntry, what: &str) -> Option<f64> {
    let value = match &entry.value.value {
        RawValue::Integer(i) => Some(*i as f64),
        RawValue::Float(f) => Some(*f),
        RawValue::String(s) => {
            let s = s.trim();
            s.strip_suffix('%').unwrap_or(s).trim().parse::<f64>().ok()
        }
        _ => None,
    };
    if value.is_none() {
        let found = describe(&entry.value.value);
        out.error(
            Check::InvalidValue,
            &entry.value,
            format!("\"{}\": expected {what}, found {found}", entry.key),
        );
    }
    value
}

/// A target: a percentage above 0 and below 100, at most four decimals.
pub fn target(out: &mut Checker<'_>, entry: &RawEntry) -> Option<u32> {
    let value = percent(out, entry, "a target like \"99.9%\" or 99.9")?;
    let ppm = (value * 10_000.0).round();
    if value > 0.0 && value < 100.0 && (ppm / 10_000.0 - value).abs() < 1e-9 {
        return Some(ppm as u32);
    }
    out.error(
        Check::InvalidValue,
        &entry.value,
        format!(
            "\"{}\": {value}% is not a target: use a percentage above 0 and below 100 with at most four decimals, like 99.95",
            entry.key
        ),
    );
    None
}

/// A window: `"28d"` (any whole number of days), `"month"` or `"quarter"`.
pub fn window(out: &mut Checker<'_>, entry: &RawEntry) -> Option<SloWindow> {
    let text = match &entry.value.value {
        RawValue::String(s) => s.trim().to_lowercase(),
        _ => String::new(),
    };
    let parsed = match text.as_str() {
        "month" => Some(SloWindow::Month),
        "quarter" => Some(SloWindow::Quarter),
        days => days
            .strip_suffix('d')
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| (1..=3_660).contains(n))
            .map(|days| SloWindow::Rolling { days }),
    };
    if parsed.is_none() {
        out.expected(
            entry,
            "a rolling window like \"28d\", \"30d\" or \"90d\", or \"month\" or \"quarter\"",
        );
    }
    parsed
}

/// `budget_alert`: the share of a budget (a percentage, 0 to 100) that flags an incident.
pub fn budget_alert(out: &mut Checker<'_>, entry: &RawEntry) -> Option<u32> {
    let value = percent(out, entry, "a percentage like 20")?;
    if (0.0..=100.0).contains(&value) {
        return Some((value * 100.0).round() as u32);
    }
    out.error(
        Check::InvalidValue,
        &entry.value,
        format!("\"budget_alert\": {value}% is outside 0 to 100"),
    );
    None
}
