//! Number labels shared by every output: availability percentages and impact shares.
//!
//! Statistics are exact integers or fractions already rounded down; these functions only
//! write them, the same way on pages, in the terminal report and in feeds.

/// A fraction (0..=1, already rounded down) as `99.722 %`.
pub fn percent_label(fraction: f64) -> String {
    let thousandths = (fraction * 100_000.0).round() as i64;
    format!("{}.{:03} %", thousandths / 1000, thousandths % 1000)
}

/// A share (0.278, or 1.47 above the whole) with one decimal: `27.8 %`, `147.0 %`. Budget
/// shares and budget use everywhere.
pub fn share_label(fraction: f64) -> String {
    format!("{:.1} %", fraction * 100.0)
}

/// A target in parts per million as a percentage: 999000 → `99.9 %`, 999950 → `99.995 %`.
pub fn target_label(ppm: u32) -> String {
    let whole = ppm / 10_000;
    let decimals = format!("{:04}", ppm % 10_000);
    let decimals = decimals.trim_end_matches('0');
    if decimals.is_empty() {
        format!("{whole} %")
    } else {
        format!("{whole}.{decimals} %")
    }
}

/// Impact in basis points as a percentage number: 3550 → 35.5, 10000 → 100.
pub fn impact_percent(basis_points: u32) -> f64 {
    f64::from(basis_points) / 100.0
}

/// Impact in basis points as `35 %` or `35.5 %`.
pub fn impact_label(basis_points: u32) -> String {
    let whole = basis_points / 100;
    match basis_points % 100 {
        0 => format!("{whole} %"),
        rest if rest % 10 == 0 => format!("{whole}.{} %", rest / 10),
        rest => format!("{whole}.{rest:02} %"),
    }
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
    fn percentages_keep_three_decimals() {
        assert_eq!(percent_label(0.99722), "99.722 %");
        assert_eq!(percent_label(1.0), "100.000 %");
        assert_eq!(percent_label(0.99999), "99.999 %");
        assert_eq!(percent_label(0.5), "50.000 %");
    }
}
