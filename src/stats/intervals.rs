//! Interval arithmetic on UTC seconds: union length and max-weight length, by sort and sweep.
//!
//! Overlapping incidents must never count twice (a bug several status pages shipped), so
//! downtime is the length of the union of intervals, and weighted downtime integrates the
//! largest impact active at each instant. Both run in O(n log n); nothing is pairwise.
//! Intervals are half-open `[start, end)`; weights are basis points (10000 = 100 %).

use std::collections::BTreeMap;

/// A half-open interval in seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn new(start: i64, end: i64) -> Self {
        Span { start, end }
    }

    /// The part inside `window`, if any.
    pub fn clip(self, window: Span) -> Option<Span> {
        let start = self.start.max(window.start);
        let end = self.end.min(window.end);
        (start < end).then_some(Span { start, end })
    }

    pub fn len(self) -> i64 {
        (self.end - self.start).max(0)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// Total length covered by at least one span.
pub fn union_length(spans: &mut [Span]) -> i64 {
    spans.sort_unstable();
    let mut total = 0;
    let mut current: Option<Span> = None;
    for span in spans.iter().filter(|s| s.start < s.end) {
        match current.as_mut() {
            Some(c) if span.start <= c.end => c.end = c.end.max(span.end),
            _ => {
                if let Some(done) = current {
                    total += done.len();
                }
                current = Some(*span);
            }
        }
    }
    total + current.map_or(0, Span::len)
}

/// Integral over time of the largest weight active at each instant, in basis-point seconds.
pub fn max_weight_length(spans: &[(Span, u32)]) -> i128 {
    let mut events: Vec<(i64, bool, u32)> = Vec::with_capacity(spans.len() * 2);
    for (span, weight) in spans.iter().filter(|(s, w)| s.start < s.end && *w > 0) {
        events.push((span.start, true, *weight));
        events.push((span.end, false, *weight));
    }
    events.sort_unstable();
    let mut active: BTreeMap<u32, usize> = BTreeMap::new();
    let mut total: i128 = 0;
    let mut previous = i64::MIN;
    for (at, opens, weight) in events {
        if let Some((&top, _)) = active.last_key_value() {
            total += i128::from(at - previous) * i128::from(top);
        }
        previous = at;
        if opens {
            *active.entry(weight).or_default() += 1;
        } else if let Some(count) = active.get_mut(&weight) {
            *count -= 1;
            if *count == 0 {
                active.remove(&weight);
            }
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: i64, end: i64) -> Span {
        Span::new(start, end)
    }

    #[test]
    fn union_merges_overlaps_and_touching_spans() {
        assert_eq!(union_length(&mut []), 0);
        assert_eq!(union_length(&mut [s(0, 10)]), 10);
        assert_eq!(union_length(&mut [s(5, 15), s(0, 10)]), 15);
        assert_eq!(union_length(&mut [s(0, 10), s(10, 20)]), 20);
        assert_eq!(union_length(&mut [s(0, 100), s(10, 20), s(30, 40)]), 100);
        assert_eq!(union_length(&mut [s(0, 10), s(20, 30), s(25, 35)]), 25);
        assert_eq!(union_length(&mut [s(5, 5), s(9, 3)]), 0);
    }

    #[test]
    fn weighted_length_takes_the_largest_active_weight() {
        assert_eq!(max_weight_length(&[]), 0);
        assert_eq!(max_weight_length(&[(s(0, 100), 5_000)]), 500_000);
        // 0-60 at 30 %, 30-90 at 100 %: 30 s at 30 % + 60 s at 100 %.
        assert_eq!(
            max_weight_length(&[(s(0, 60), 3_000), (s(30, 90), 10_000)]),
            30 * 3_000 + 60 * 10_000
        );
        // A small impact inside a big one adds nothing.
        assert_eq!(
            max_weight_length(&[(s(0, 100), 10_000), (s(10, 20), 2_000)]),
            100 * 10_000
        );
        // Two equal weights overlapping count once.
        assert_eq!(
            max_weight_length(&[(s(0, 10), 100), (s(5, 15), 100)]),
            15 * 100
        );
    }

    #[test]
    fn clip_keeps_the_part_inside_the_window() {
        assert_eq!(s(0, 100).clip(s(50, 200)), Some(s(50, 100)));
        assert_eq!(s(0, 10).clip(s(10, 20)), None);
    }
}
