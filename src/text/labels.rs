//! Number labels shared by every output: availability percentages and impact shares.
//!
//! Statistics are exact integers or fractions already rounded down; these functions only
//! write them, the same way on pages, in the terminal report and in feeds.

/// A number written with a fixed count of decimals: `value` / 10^`decimals`. Every percentage
/// label is one of these, so pages in any language show the same digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fixed {
    pub value: i64,
    pub decimals: u8,
}

impl Fixed {
    /// With `.` as the decimal separator: `99.722`.
    pub fn english(self) -> String {
        let scale = 10i64.pow(u32::from(self.decimals));
        let sign = if self.value < 0 { "-" } else { "" };
        let magnitude = self.value.unsigned_abs();
        let (whole, rest) = (magnitude / scale as u64, magnitude % scale as u64);
        match self.decimals {
            0 => format!("{sign}{whole}"),
            d => format!("{sign}{whole}.{rest:0width$}", width = usize::from(d)),
        }
    }
}

/// A fraction (0..=1, already rounded down) in percent with three decimals: 99.722.
pub fn percent_fixed(fraction: f64) -> Fixed {
    Fixed {
        value: (fraction * 100_000.0).round() as i64,
        decimals: 3,
    }
}

/// A share (0.278, or 1.47 above the whole) in percent with one decimal: 27.8, 147.0.
pub fn share_fixed(fraction: f64) -> Fixed {
    Fixed {
        value: (fraction * 1000.0).round() as i64,
        decimals: 1,
    }
}

/// A target in parts per million in percent, without needless decimals: 999000 → 99.9.
pub fn target_fixed(ppm: u32) -> Fixed {
    without_trailing_zeros(i64::from(ppm), 4)
}

/// Impact in basis points in percent, without needless decimals: 3550 → 35.5, 10000 → 100.
pub fn impact_fixed(basis_points: u32) -> Fixed {
    without_trailing_zeros(i64::from(basis_points), 2)
}

/// `value` / 10^`decimals` with the decimals that are zero left out.
fn without_trailing_zeros(mut value: i64, mut decimals: u8) -> Fixed {
    while decimals > 0 && value % 10 == 0 {
        value /= 10;
        decimals -= 1;
    }
    Fixed { value, decimals }
}

/// A fraction (0..=1, already rounded down) as `99.722 %`.
pub fn percent_label(fraction: f64) -> String {
    format!("{} %", percent_fixed(fraction).english())
}

/// A share (0.278, or 1.47 above the whole) with one decimal: `27.8 %`, `147.0 %`. Budget
/// shares and budget use everywhere.
pub fn share_label(fraction: f64) -> String {
    format!("{} %", share_fixed(fraction).english())
}

/// A target in parts per million as a percentage: 999000 → `99.9 %`, 999950 → `99.995 %`.
pub fn target_label(ppm: u32) -> String {
    format!("{} %", target_fixed(ppm).english())
}

/// Impact in basis points as a percentage number: 3550 → 35.5, 10000 → 100.
pub fn impact_percent(basis_points: u32) -> f64 {
    f64::from(basis_points) / 100.0
}

/// Impact in basis points as `35 %` or `35.5 %`.
pub fn impact_label(basis_points: u32) -> String {
    format!("{} %", impact_fixed(basis_points).english())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_show_the_decimals_they_have() {
        assert_eq!(target_label(999_000), "99.9 %");
        assert_eq!(target_label(999_950), "99.995 %");
        assert_eq!(target_label(990_000), "99 %");
    }

    #[test]
    fn impact_labels_drop_needless_decimals() {
        assert_eq!(impact_label(10_000), "100 %");
        assert_eq!(impact_label(3_550), "35.5 %");
        assert_eq!(impact_label(3_505), "35.05 %");
        assert_eq!(impact_label(0), "0 %");
    }

    #[test]
    fn shares_below_zero_keep_their_sign() {
        assert_eq!(share_label(-0.005), "-0.5 %");
        assert_eq!(share_label(-0.4), "-40.0 %");
        assert_eq!(share_label(1.47), "147.0 %");
    }

    #[test]
    fn percentages_keep_three_decimals() {
        assert_eq!(percent_label(0.99722), "99.722 %");
        assert_eq!(percent_label(1.0), "100.000 %");
        assert_eq!(percent_label(0.99999), "99.999 %");
        assert_eq!(percent_label(0.5), "50.000 %");
    }
}
