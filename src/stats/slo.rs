//! Error budgets: how much of each service's objective its incidents have used, and which
//! incident used how much.
//!
//! A budget is `(1 − target) × window length`; what is consumed is the window's downtime
//! (impact-weighted unless the objective says otherwise). Each instant of downtime goes to one
//! incident, the one with the largest impact active then (ties: the earliest start, then the
//! id), so the incidents' shares add up to the consumed total exactly. Amounts are kept in
//! millionths of a second, the unit in which a target in parts per million, a weight in basis
//! points and a length in seconds all multiply to whole numbers. The formulas are contracts,
//! documented in `docs/statistics.md`.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;

use super::calendar::{day_start, local_date};
use super::impact::{Affecting, impact_spans};
use super::intervals::Span;
use super::service_start;
use crate::config::Config;
use crate::config::slo::{Objective, SloWindow};
use crate::content::{Incident, Kind};

/// Millionths of a second in a second: the unit of every amount here.
pub const UNIT: i128 = 1_000_000;

/// One service's error budget as of T.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub service: String,
    pub objective: Objective,
    /// Where the window begins: its nominal start, or the service's (or the history's) start
    /// when that is later.
    pub from: i64,
    /// Where it ends: T for a rolling window, the end of the period for a calendar one.
    pub to: i64,
    /// Downtime is counted up to here: T, or `to` if that is earlier.
    pub counted_to: i64,
    /// In millionths of a second.
    pub budget: i128,
    /// In millionths of a second; the sum of the shares.
    pub consumed: i128,
    /// The incidents that used some of it, largest share first (ties by id).
    pub shares: Vec<Share>,
    /// The consumed total over time: `(second, consumed so far)` at each change, from `from`
    /// to `counted_to`.
    pub burn: Burn,
    /// A share above this (basis points of the budget) flags its incident.
    pub alert_basis_points: u32,
}

/// What one incident used of a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// Its position in the entries the budgets were computed from.
    pub index: usize,
    pub id: String,
    /// In millionths of a second.
    pub consumed: i128,
}

impl Budget {
    /// What is left, in millionths of a second; negative once the budget is exhausted.
    pub fn remaining(&self) -> i128 {
        self.budget - self.consumed
    }

    /// Whether the objective holds: no more consumed than the budget.
    pub fn met(&self) -> bool {
        self.consumed <= self.budget
    }

    /// `remaining / budget`, rounded to 6 decimals; 1 for an empty window.
    pub fn remaining_fraction(&self) -> f64 {
        if self.budget == 0 {
            return 1.0;
        }
        rounded_ratio(self.remaining(), self.budget)
    }

    /// `share / budget`, rounded to 6 decimals; 0 for an empty window.
    pub fn fraction_of(&self, consumed: i128) -> f64 {
        if self.budget == 0 {
            return 0.0;
        }
        rounded_ratio(consumed, self.budget)
    }

    /// Whether a share is above the alert threshold (compared exactly, not rounded).
    pub fn flags(&self, consumed: i128) -> bool {
        consumed * 10_000 > i128::from(self.alert_basis_points) * self.budget
    }

    /// The incidents whose share is above the alert threshold.
    pub fn flagged(&self) -> impl Iterator<Item = &Share> {
        self.shares.iter().filter(|s| self.flags(s.consumed))
    }
}

/// For each incident (by index) that is flagged, the budgets (by position) it is flagged in
/// and its share of each.
pub fn flags_by_incident(budgets: &[Budget]) -> BTreeMap<usize, Vec<(usize, i128)>> {
    let mut flags: BTreeMap<usize, Vec<(usize, i128)>> = BTreeMap::new();
    for (position, budget) in budgets.iter().enumerate() {
        for share in budget.flagged() {
            flags
                .entry(share.index)
                .or_default()
                .push((position, share.consumed));
        }
    }
    flags
}

/// An amount in millionths of a second as seconds (exact for any realistic amount).
pub fn seconds(amount: i128) -> f64 {
    amount as f64 / UNIT as f64
}

/// `numerator / denominator` rounded half away from zero to 6 decimals, on integers.
pub(super) fn rounded_ratio(numerator: i128, denominator: i128) -> f64 {
    let scaled = numerator * 2_000_000 / denominator;
    let rounded = (scaled + scaled.signum()) / 2;
    rounded as f64 / 1_000_000.0
}

/// The stretch of time a window covers as of T: `(start, end)` in seconds.
pub fn window_bounds(window: SloWindow, as_of: DateTime<Utc>, zone: Tz) -> (i64, i64) {
    let months = match window {
        SloWindow::Rolling { days } => {
            return (as_of.timestamp() - days * 86_400, as_of.timestamp());
        }
        SloWindow::Month => 1,
        SloWindow::Quarter => 3,
    };
    let today = local_date(as_of, zone);
    let first_month = (today.month0() / months) * months + 1;
    let first = NaiveDate::from_ymd_opt(today.year(), first_month, 1).unwrap_or(today);
    let next = first + Months::new(months);
    (
        day_start(first, zone).timestamp(),
        day_start(next, zone).timestamp(),
    )
}

/// The budgets of every service that has an objective, in the order of `services`, from the
/// published `entries` (maintenance never counts).
pub fn budgets(
    entries: &[Incident],
    config: &Config,
    services: &[String],
    as_of: DateTime<Utc>,
    history_start: Option<DateTime<Utc>>,
) -> Vec<Budget> {
    let mut affecting: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, incident) in entries.iter().enumerate() {
        if incident.kind != Kind::Incident {
            continue;
        }
        for service in &incident.services {
            affecting.entry(service.as_str()).or_default().push(index);
        }
    }
    services
        .par_iter()
        .filter_map(|name| {
            let objective = config.objective(name)?;
            let (nominal_from, to) = window_bounds(objective.window, as_of, config.timezone);
            let from = service_start(config, name, history_start)
                .map_or(nominal_from, |s| s.timestamp().max(nominal_from));
            let indices = affecting.get(name.as_str()).map_or(&[][..], Vec::as_slice);
            let window = BudgetWindow {
                name,
                objective,
                from,
                to,
                as_of,
                alert_basis_points: config.slo.budget_alert_basis_points,
            };
            Some(budget_over(entries, indices, &window))
        })
        .collect()
}

/// The entries (by index) that count against a service's budget: its incidents, never
/// maintenance.
pub fn counted_against(entries: &[Incident], name: &str) -> Vec<usize> {
    entries
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == Kind::Incident && i.services.iter().any(|s| s == name))
        .map(|(index, _)| index)
        .collect()
}

/// What a budget is computed over: a service, its objective and `[from, to)`.
pub struct BudgetWindow<'a> {
    pub name: &'a str,
    pub objective: Objective,
    pub from: i64,
    pub to: i64,
    pub as_of: DateTime<Utc>,
    pub alert_basis_points: u32,
}

/// The budget of one service over a window, counted up to T, from the entries at `indices`
/// (those that name the service).
pub fn budget_over(entries: &[Incident], indices: &[usize], window: &BudgetWindow<'_>) -> Budget {
    let counted_to = window.to.min(window.as_of.timestamp());
    let from = window.from.min(counted_to);
    let pieces = pieces(
        entries,
        indices,
        window.name,
        Span::new(from, counted_to),
        window.as_of,
    );
    let (used, mut burn) = attribute(&pieces, window.objective.weighted);
    let mut shares: Vec<Share> = used
        .into_iter()
        .map(|(index, consumed)| Share {
            index,
            id: entries[index].id.clone(),
            consumed,
        })
        .collect();
    shares.sort_by(|a, b| b.consumed.cmp(&a.consumed).then_with(|| a.id.cmp(&b.id)));
    let consumed = shares.iter().map(|s| s.consumed).sum();
    if burn.first().is_none_or(|&(time, _)| time > from) {
        burn.insert(0, (from, 0));
    }
    if burn.last().is_some_and(|&(time, _)| time < counted_to) {
        burn.push((counted_to, consumed));
    }
    Budget {
        service: window.name.to_string(),
        budget: i128::from(1_000_000 - window.objective.target_ppm) * i128::from(window.to - from),
        consumed,
        objective: window.objective,
        from,
        to: window.to,
        counted_to,
        shares,
        burn,
        alert_basis_points: window.alert_basis_points,
    }
}

/// The amount used by each moment: `(time, used so far)`, a step at each change.
pub type Burn = Vec<(i64, i128)>;

/// A stretch of one incident's impact on the service, inside the counted window.
struct Piece<'a> {
    span: Span,
    basis_points: u32,
    index: usize,
    /// The incident's start and id, which break ties between equal impacts.
    start: i64,
    id: &'a str,
}

fn pieces<'a>(
    entries: &'a [Incident],
    indices: &[usize],
    name: &str,
    counted: Span,
    as_of: DateTime<Utc>,
) -> Vec<Piece<'a>> {
    let names = [name];
    indices
        .iter()
        .flat_map(|&index| {
            let incident = &entries[index];
            impact_spans(incident, Affecting::AnyOf(&names), as_of).filter_map(
                move |(span, basis_points)| {
                    Some(Piece {
                        span: span.clip(counted)?,
                        basis_points,
                        index,
                        start: incident.start.timestamp(),
                        id: &incident.id,
                    })
                },
            )
        })
        .collect()
}

/// Gives each instant covered by a piece to the piece that ranks first (largest impact, then
/// the earliest incident start, then the id) and returns what each incident (by index) used
/// and the burn over time.
fn attribute(pieces: &[Piece<'_>], weighted: bool) -> (Vec<(usize, i128)>, Burn) {
    // Rank the incidents once by (start, id), so that the active set's key is small.
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&pieces[a], &pieces[b]);
        (a.start, a.id, a.index).cmp(&(b.start, b.id, b.index))
    });
    let mut rank = vec![0; pieces.len()];
    let mut current = 0;
    for (position, &piece) in order.iter().enumerate() {
        if position > 0 && pieces[order[position - 1]].index != pieces[piece].index {
            current += 1;
        }
        rank[piece] = current;
    }
    let mut events: Vec<(i64, bool, usize)> = Vec::with_capacity(pieces.len() * 2);
    for (number, piece) in pieces.iter().enumerate() {
        events.push((piece.span.start, true, number));
        events.push((piece.span.end, false, number));
    }
    events.sort_unstable_by_key(|&(at, opens, number)| (at, opens, number));
    let mut active: BTreeMap<(Reverse<u32>, usize), (usize, usize)> = BTreeMap::new();
    let mut used: BTreeMap<usize, i128> = BTreeMap::new();
    let mut burn: Burn = Vec::new();
    let mut total: i128 = 0;
    let mut previous = i64::MIN;
    for (at, opens, number) in events {
        if let Some((&(Reverse(basis_points), _), &(piece, _))) = active.first_key_value() {
            let per_second = if weighted {
                i128::from(basis_points) * 100
            } else {
                UNIT
            };
            let amount = i128::from(at - previous) * per_second;
            if amount > 0 {
                if burn.last().is_none_or(|&(time, _)| time < previous) {
                    burn.push((previous, total));
                }
                *used.entry(pieces[piece].index).or_default() += amount;
                total += amount;
                burn.push((at, total));
            }
        }
        previous = at;
        let key = (Reverse(pieces[number].basis_points), rank[number]);
        if opens {
            active.entry(key).or_insert((number, 0)).1 += 1;
        } else if let Some(entry) = active.get_mut(&key) {
            entry.1 -= 1;
            if entry.1 == 0 {
                active.remove(&key);
            }
        }
    }
    (used.into_iter().collect(), burn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(index: usize, start: i64, end: i64, percent: u32) -> Piece<'static> {
        const IDS: [&str; 3] = ["a", "b", "c"];
        Piece {
            span: Span::new(start, end),
            basis_points: percent * 100,
            index,
            start,
            id: IDS[index],
        }
    }

    #[test]
    fn each_instant_goes_to_the_largest_impact_and_the_shares_add_up() {
        // a: 0-100 at 30 %; b: 50-80 at 100 %; c: 90-120 at 30 %.
        let pieces = [
            piece(0, 0, 100, 30),
            piece(1, 50, 80, 100),
            piece(2, 90, 120, 30),
        ];
        let (used, burn) = attribute(&pieces, true);
        // a keeps 0-50 and 80-100 (70 s at 30 %): 21 s; b 30 s at 100 %; c keeps 100-120.
        assert_eq!(used, [(0, 21 * UNIT), (1, 30 * UNIT), (2, 6 * UNIT)]);
        assert_eq!(burn.last(), Some(&(120, 57 * UNIT)));
        let (plain, _) = attribute(&pieces, false);
        assert_eq!(plain, [(0, 70 * UNIT), (1, 30 * UNIT), (2, 20 * UNIT)]);
    }

    #[test]
    fn equal_impacts_go_to_the_earliest_start_then_the_id() {
        let pieces = [
            piece(1, 10, 40, 50),
            piece(0, 0, 30, 50),
            piece(2, 10, 20, 50),
        ];
        let (used, _) = attribute(&pieces, false);
        assert_eq!(used, [(0, 30 * UNIT), (1, 10 * UNIT)]);
    }

    #[test]
    fn a_zero_impact_uses_nothing_of_a_weighted_budget_but_counts_plainly() {
        let pieces = [piece(0, 0, 60, 0)];
        assert_eq!(attribute(&pieces, true).0, []);
        assert_eq!(attribute(&pieces, false).0, [(0, 60 * UNIT)]);
    }

    #[test]
    fn calendar_windows_follow_the_site_zone_across_a_dst_change() {
        let zone: Tz = "Europe/Berlin".parse().unwrap();
        let as_of: DateTime<Utc> = "2026-03-20T12:00:00Z".parse().unwrap();
        let (from, to) = window_bounds(SloWindow::Month, as_of, zone);
        assert_eq!(
            from,
            "2026-02-28T23:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp()
        );
        // March in Berlin has 31 days less the hour clocks skip.
        assert_eq!(to - from, 31 * 86_400 - 3_600);
        let (from, to) = window_bounds(SloWindow::Quarter, as_of, zone);
        assert_eq!(
            from,
            "2025-12-31T23:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp()
        );
        assert_eq!(
            to,
            "2026-03-31T22:00:00Z"
                .parse::<DateTime<Utc>>()
                .unwrap()
                .timestamp()
        );
        let rolling = window_bounds(SloWindow::Rolling { days: 28 }, as_of, zone);
        assert_eq!(rolling.1 - rolling.0, 28 * 86_400);
    }

    #[test]
    fn fractions_round_half_away_from_zero() {
        assert_eq!(rounded_ratio(1, 3), 0.333333);
        assert_eq!(rounded_ratio(2, 3), 0.666667);
        assert_eq!(rounded_ratio(-1, 8), -0.125);
        assert_eq!(rounded_ratio(-2, 3), -0.666667);
    }
}
