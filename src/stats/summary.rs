//! n, mean, median and p90 of a list of durations.
//!
//! Percentiles use linear interpolation between closest ranks (numpy's default, SQL's
//! `PERCENTILE_CONT`): for sorted values x₀..xₙ₋₁ the p-th percentile is at rank p·(n−1).
//! Sums are integer seconds, so results never depend on summation order or thread count.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A duration summary; all values in seconds. `n = 0` has no values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
}

impl Summary {
    pub fn of(values: &[i64]) -> Summary {
        if values.is_empty() {
            return Summary {
                n: 0,
                mean: 0.0,
                median: 0.0,
                p90: 0.0,
            };
        }
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let total: i128 = sorted.iter().map(|v| i128::from(*v)).sum();
        Summary {
            n: sorted.len(),
            mean: total as f64 / sorted.len() as f64,
            median: percentile(&sorted, 0.5),
            p90: percentile(&sorted, 0.9),
        }
    }
}

/// The `p` quantile (0..=1) of sorted values, by linear interpolation.
pub fn percentile(sorted: &[i64], p: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0] as f64,
        n => {
            let rank = p * (n - 1) as f64;
            let lower = rank.floor() as usize;
            let upper = (lower + 1).min(n - 1);
            let fraction = rank - lower as f64;
            sorted[lower] as f64 + (sorted[upper] - sorted[lower]) as f64 * fraction
        }
    }
}

/// A number of seconds as JSON: a whole number when it is one, else one decimal.
pub fn seconds_json(value: f64) -> serde_json::Value {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 && rounded.abs() < 9.0e15 {
        serde_json::Value::from(rounded as i64)
    } else {
        serde_json::Number::from_f64(rounded)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

impl Serialize for Summary {
    /// `{"n": 0}` when empty, else `n`, `mean_seconds`, `median_seconds`, `p90_seconds`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.n == 0 {
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry("n", &0)?;
            return map.end();
        }
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("n", &self.n)?;
        map.serialize_entry("mean_seconds", &seconds_json(self.mean))?;
        map.serialize_entry("median_seconds", &seconds_json(self.median))?;
        map.serialize_entry("p90_seconds", &seconds_json(self.p90))?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_match_numpy_linear() {
        // numpy.percentile([1, 2, 3, 4], [50, 90]) == [2.5, 3.7]
        let v = [1, 2, 3, 4];
        assert_eq!(percentile(&v, 0.5), 2.5);
        assert!((percentile(&v, 0.9) - 3.7).abs() < 1e-9);
        // numpy.percentile([10, 20, 30, 40, 1000], [50, 90]) == [30, 616]
        let w = [10, 20, 30, 40, 1000];
        assert_eq!(percentile(&w, 0.5), 30.0);
        assert!((percentile(&w, 0.9) - 616.0).abs() < 1e-9);
        assert_eq!(percentile(&[7], 0.9), 7.0);
    }

    #[test]
    fn summary_sorts_and_averages() {
        let s = Summary::of(&[3600, 600, 10800]);
        assert_eq!(s.n, 3);
        assert!((s.mean - 5000.0).abs() < 1e-9);
        assert_eq!(s.median, 3600.0);
        assert!((s.p90 - 9360.0).abs() < 1e-9);
    }

    #[test]
    fn serializes_like_the_api_contract() {
        let empty = serde_json::to_string(&Summary::of(&[])).unwrap();
        assert_eq!(empty, r#"{"n":0}"#);
        let some = serde_json::to_string(&Summary::of(&[100, 201])).unwrap();
        assert_eq!(
            some,
            r#"{"n":2,"mean_seconds":150.5,"median_seconds":150.5,"p90_seconds":190.9}"#
        );
    }
}
