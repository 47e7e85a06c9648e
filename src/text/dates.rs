//! Date and time labels in fixed, language-free forms (ISO days, `17:02`, `2024-05-06 15:00 UTC`)
//! and the English long date of messages for the terminal, written directly, without chrono's
//! format-string interpreter. Dates readers see on pages are written by `i18n::formats`.
//!
//! Every page shows several formatted times per incident, and parsing `strftime` strings for
//! each of them took about 9 % of a build's CPU time. Each function here gives exactly the
//! output of the `strftime` form named in its comment; the tests compare them with chrono.

use std::fmt::{Display, Write};

use chrono::{DateTime, Datelike, TimeZone, Timelike};

/// `%B`: the month's English name.
pub fn month_name(date: &impl Datelike) -> &'static str {
    crate::text::time::month_name(date.month())
}

/// `%Y` as chrono writes it: four digits, with a sign outside 0000-9999.
fn push_year(out: &mut String, year: i32) {
    if (0..=9999).contains(&year) {
        let _ = write!(out, "{year:04}");
    } else {
        let _ = write!(out, "{year:+05}");
    }
}

/// `%Y-%m-%d`.
pub fn ymd(date: &impl Datelike) -> String {
    let mut out = String::with_capacity(10);
    push_ymd(&mut out, date);
    out
}

fn push_ymd(out: &mut String, date: &impl Datelike) {
    push_year(out, date.year());
    let _ = write!(out, "-{:02}-{:02}", date.month(), date.day());
}

/// `%Y-%m`.
pub fn year_month(date: &impl Datelike) -> String {
    let mut out = String::with_capacity(7);
    push_year(&mut out, date.year());
    let _ = write!(out, "-{:02}", date.month());
    out
}

/// `%-d %B %Y`.
pub fn long_date(date: &impl Datelike) -> String {
    let mut out = String::with_capacity(17);
    let _ = write!(out, "{} {} ", date.day(), month_name(date));
    push_year(&mut out, date.year());
    out
}

/// `%H:%M`.
pub fn hour_minute(time: &impl Timelike) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// `%Y-%m-%d %H:%M %Z`: the zone's abbreviation, or its offset where it has none.
pub fn minute_with_zone<Z: TimeZone>(at: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    let mut out = String::with_capacity(22);
    push_ymd(&mut out, at);
    let _ = write!(out, " {:02}:{:02} {}", at.hour(), at.minute(), at.offset());
    out
}

/// `%Y-%m-%dT%H:%M:%SZ`, for a time already in UTC.
pub fn iso_utc(at: &DateTime<chrono::Utc>) -> String {
    let mut out = String::with_capacity(20);
    push_ymd(&mut out, at);
    let _ = write!(
        out,
        "T{:02}:{:02}:{:02}Z",
        at.hour(),
        at.minute(),
        at.second()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};
    use chrono_tz::Tz;

    #[test]
    fn every_label_matches_chronos_strftime() {
        let zones: [Tz; 5] = [
            chrono_tz::UTC,
            chrono_tz::Europe::Berlin,
            chrono_tz::Pacific::Chatham,
            chrono_tz::America::Sao_Paulo, // abbreviations like "-03"
            chrono_tz::Asia::Kathmandu,
        ];
        let mut at: DateTime<Utc> = "1969-12-31T23:59:59Z".parse().unwrap();
        let mut checked = 0;
        while at.year() < 2040 {
            for zone in zones {
                let local = at.with_timezone(&zone);
                assert_eq!(ymd(&local), local.format("%Y-%m-%d").to_string());
                assert_eq!(year_month(&local), local.format("%Y-%m").to_string());
                assert_eq!(long_date(&local), local.format("%-d %B %Y").to_string());
                assert_eq!(hour_minute(&local), local.format("%H:%M").to_string());
                assert_eq!(
                    minute_with_zone(&local),
                    local.format("%Y-%m-%d %H:%M %Z").to_string()
                );
            }
            assert_eq!(iso_utc(&at), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            assert_eq!(
                minute_with_zone(&at),
                at.format("%Y-%m-%d %H:%M UTC").to_string()
            );
            at += Duration::seconds(86_400 * 17 + 3_607);
            checked += 1;
        }
        assert!(checked > 1_000);
    }

    #[test]
    fn years_outside_four_digits_are_signed_as_chrono_writes_them() {
        for year in [-1, 0, 9999, 10_000] {
            let date = chrono::NaiveDate::from_ymd_opt(year, 3, 4).unwrap();
            assert_eq!(ymd(&date), date.format("%Y-%m-%d").to_string());
            assert_eq!(long_date(&date), date.format("%-d %B %Y").to_string());
        }
    }
}
