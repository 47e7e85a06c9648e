//! The one place that turns written times and durations into UTC instants and seconds.
//!
//! Instants: RFC 3339 with an offset or `Z` (a space may stand for `T`, seconds and fractions
//! are optional), or a local `YYYY-MM-DD HH:MM[:SS]` read in an IANA time zone. Local times that
//! do not exist (the DST gap) or happen twice (the DST fold) are errors, never a silent guess.
//! Durations: `90m`, `3h30m`, `2d 4h`, `1h 30min`, or ISO 8601 `PT1H30M`.

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Utc,
};
use chrono_tz::Tz;

/// A parsed instant, and whether the text carried its own offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedInstant {
    pub utc: DateTime<Utc>,
    pub had_offset: bool,
}

/// The first and last years an instant may be written with. A postmortem dated outside them is
/// a typo (`0024-05-06`, `2206-05-06`), and every per-day structure (calendar, bars, charts)
/// spans the years between the first and last incident, so the bounds also bound the work.
pub const FIRST_YEAR: i32 = 1970;
pub const LAST_YEAR: i32 = 2099;

/// The longest duration that fits between [`FIRST_YEAR`] and [`LAST_YEAR`].
pub const MAX_DURATION_SECONDS: i64 = (LAST_YEAR - FIRST_YEAR + 1) as i64 * 366 * 86_400;

const EXAMPLE: &str = "like 2024-05-06T14:30:00Z, 2024-05-06T16:30:00+02:00 or 2024-05-06 14:30";

/// Why a written time or duration was not read. Each message says what was expected and
/// quotes what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("expected a date as YYYY-MM-DD with a time, {EXAMPLE}; found \"{0}\"")]
    NotADate(String),
    #[error("{text} is not a date: {month} {year} has {days} days")]
    NoSuchDay {
        text: String,
        month: &'static str,
        year: i32,
        days: u32,
    },
    #[error("{0} is not a date: there is no month {1}")]
    NoSuchMonth(String, u32),
    #[error(
        "the year {year} in \"{text}\" is outside the years Aftermath accepts ({FIRST_YEAR} to {LAST_YEAR}); is it a typo?"
    )]
    YearOutOfRange { year: String, text: String },
    #[error("expected a date and a time, {EXAMPLE}; found only the date {0}")]
    OnlyADate(String),
    #[error("expected a time as HH:MM or HH:MM:SS, {EXAMPLE}; found \"{0}\"")]
    NotATime(String),
    #[error("{0} is a leap second, which cannot be represented; use :59")]
    LeapSecond(String),
    #[error("\".{0}\" is not a fraction of a second")]
    NotAFraction(String),
    #[error("{0} is not a time of day (hours 00-23, minutes and seconds 00-59)")]
    NotATimeOfDay(String),
    #[error("expected a UTC offset as Z or ±HH:MM, found \"{0}\"")]
    NotAnOffset(String),
    #[error("the UTC offset {0} is out of range")]
    OffsetOutOfRange(String),
    #[error("{0} is out of range")]
    OutOfRange(String),
    #[error(
        "{shown} does not exist in {zone}: the clocks skip it when daylight saving time starts; write the time with its offset"
    )]
    InTheGap { shown: String, zone: Tz },
    #[error(
        "{shown} happens twice in {zone} (at {first} and at {second}) because the clocks go back; write the time with the offset you mean, like {example}"
    )]
    InTheFold {
        shown: String,
        zone: Tz,
        first: String,
        second: String,
        example: String,
    },
    #[error("expected a duration like 90m, 3h30m, 2d 4h or PT1H30M; found \"{0}\"")]
    NotADuration(String),
    #[error("the duration \"{0}\" must be longer than zero")]
    NotPositive(String),
    #[error(
        "the duration \"{0}\" is longer than the years Aftermath accepts ({FIRST_YEAR} to {LAST_YEAR}); is it a typo?"
    )]
    DurationTooLong(String),
}

/// Parses an instant; local times are read in `zone` (named `zone_name` in messages).
pub fn parse_instant(text: &str, zone: Tz) -> Result<ParsedInstant, TimeError> {
    let text = text.trim();
    let (date_part, rest) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(text[i + 1..].trim_start())),
        None => (text, None),
    };
    let date = parse_date(date_part)
        .map_err(|problem| problem.unwrap_or_else(|| TimeError::NotADate(text.to_string())))?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err(TimeError::YearOutOfRange {
            year: date_part.get(..4).unwrap_or(date_part).to_string(),
            text: text.to_string(),
        });
    }
    let Some(rest) = rest.filter(|r| !r.is_empty()) else {
        return Err(TimeError::OnlyADate(date_part.to_string()));
    };
    let (time_text, offset_text) = split_offset(rest);
    let time = parse_time(time_text)?;
    let naive = NaiveDateTime::new(date, time);
    match offset_text {
        Some(offset) => {
            let offset = parse_offset(offset)?;
            let utc = offset
                .from_local_datetime(&naive)
                .single()
                .ok_or_else(|| TimeError::OutOfRange(text.to_string()))?
                .with_timezone(&Utc);
            Ok(ParsedInstant {
                utc,
                had_offset: true,
            })
        }
        None => Ok(ParsedInstant {
            utc: local_to_utc(naive, zone)?,
            had_offset: false,
        }),
    }
}

/// Reads a wall-clock time in `zone`, refusing times that do not exist or are ambiguous.
pub fn local_to_utc(naive: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let shown = naive.format("%Y-%m-%d %H:%M").to_string();
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(TimeError::InTheGap { shown, zone }),
        LocalResult::Ambiguous(first, second) => Err(TimeError::InTheFold {
            shown,
            zone,
            first: first.format("%:z").to_string(),
            second: second.format("%:z").to_string(),
            example: first.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        }),
    }
}

/// `Err(None)` when the text is not shaped like a date, `Err(Some(why))` when it is but the
/// date does not exist.
fn parse_date(text: &str) -> Result<NaiveDate, Option<TimeError>> {
    let parts: Vec<&str> = text.split('-').collect();
    let well_formed = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return Err(None);
    }
    let (year, month, day): (i32, u32, u32) = (
        parts[0].parse().unwrap_or(0),
        parts[1].parse().unwrap_or(0),
        parts[2].parse().unwrap_or(0),
    );
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        Some(if (1..=12).contains(&month) {
            TimeError::NoSuchDay {
                text: text.to_string(),
                month: month_name(month),
                year,
                days: days_in_month(year, month),
            }
        } else {
            TimeError::NoSuchMonth(text.to_string(), month)
        })
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(28)
}

/// The English name of month 1-12.
pub(crate) fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// Splits `14:30:00+02:00` into the time and the offset (`Z`, `+02:00`), if any.
fn split_offset(text: &str) -> (&str, Option<&str>) {
    if let Some(stripped) = text.strip_suffix(['Z', 'z']) {
        return (stripped.trim_end(), Some("Z"));
    }
    match text.rfind(['+', '-']) {
        Some(i) => (text[..i].trim_end(), Some(&text[i..])),
        None => (text, None),
    }
}

fn parse_time(text: &str) -> Result<NaiveTime, TimeError> {
    let (clock, fraction) = match text.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let digits = |p: &&str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
    if !(parts.len() == 2 || parts.len() == 3) || !parts.iter().all(digits) {
        return Err(TimeError::NotATime(text.to_string()));
    }
    let hour: u32 = parts[0].parse().unwrap_or(99);
    let minute: u32 = parts[1].parse().unwrap_or(99);
    let second: u32 = parts.get(2).map_or(Ok(0), |s| s.parse()).unwrap_or(99);
    if second == 60 {
        return Err(TimeError::LeapSecond(clock.to_string()));
    }
    let nanos = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<9}").parse::<u32>().unwrap_or(0)
        }
        Some(f) => return Err(TimeError::NotAFraction(f.to_string())),
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
        .ok_or_else(|| TimeError::NotATimeOfDay(clock.to_string()))
}

fn parse_offset(text: &str) -> Result<FixedOffset, TimeError> {
    if text == "Z" {
        return Ok(FixedOffset::east_opt(0).expect("zero offset"));
    }
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let body = &text[1..];
    let (hours, minutes) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() == 4 => (&body[..2], &body[2..]),
        None => ("", ""),
    };
    let valid = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
    if !valid(hours) || !valid(minutes) {
        return Err(TimeError::NotAnOffset(text.to_string()));
    }
    let seconds = sign
        * (hours.parse::<i32>().unwrap_or(0) * 3600 + minutes.parse::<i32>().unwrap_or(0) * 60);
    FixedOffset::east_opt(seconds).ok_or_else(|| TimeError::OffsetOutOfRange(text.to_string()))
}

/// A unit a duration label is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

impl DurationUnit {
    /// The English abbreviation (`s`, `min`, `h`, `d`); other languages name the units in their
    /// catalogs.
    pub fn abbreviation(self) -> &'static str {
        match self {
            DurationUnit::Seconds => "s",
            DurationUnit::Minutes => "min",
            DurationUnit::Hours => "h",
            DurationUnit::Days => "d",
        }
    }
}

/// The one or two units every duration label shows, truncated, never rounded up: 45 s, 12 min,
/// 2 h 15 min, 3 d 4 h (the smaller unit left out when it is zero). Negative durations count as
/// zero.
pub fn duration_parts(seconds: i64) -> ((DurationUnit, i64), Option<(DurationUnit, i64)>) {
    use DurationUnit::{Days, Hours, Minutes, Seconds};
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    match seconds {
        s if s < 60 => ((Seconds, s), None),
        s if s < 3_600 => ((Minutes, minutes), None),
        s if s < 86_400 && minutes == 0 => ((Hours, hours), None),
        s if s < 86_400 => ((Hours, hours), Some((Minutes, minutes))),
        _ if hours == 0 => ((Days, days), None),
        _ => ((Days, days), Some((Hours, hours))),
    }
}

/// `45 s`, `12 min`, `2 h 15 min`, `3 d 4 h`.
pub fn duration_label(seconds: i64) -> String {
    let unit = |(unit, n): (DurationUnit, i64)| format!("{n} {}", unit.abbreviation());
    match duration_parts(seconds) {
        (first, None) => unit(first),
        (first, Some(second)) => format!("{} {}", unit(first), unit(second)),
    }
}

/// The whole seconds a duration label of a fractional duration shows: the value the JSON API
/// publishes (one decimal), truncated.
pub fn published_seconds(seconds: f64) -> i64 {
    let published = (seconds * 10.0).round() / 10.0;
    published.trunc() as i64
}

/// A duration that may hold a fraction of a second (a mean, a percentile, weighted downtime),
/// truncated like every label: 3,599.5 s is `59 min`, 25.93 s is `25 s`. The value truncated
/// is the one the JSON API publishes (one decimal), so a p90 computed as 21,599.999… s from
/// 21,600 s values reads `6 h` on the page as it reads 21600 in the API.
pub fn seconds_label(seconds: f64) -> String {
    duration_label(published_seconds(seconds))
}

/// Parses a duration into whole seconds (more than zero).
pub fn parse_duration(text: &str) -> Result<i64, TimeError> {
    let trimmed = text.trim();
    let seconds = if trimmed.starts_with(['P', 'p']) {
        parse_iso_duration(trimmed)
    } else {
        parse_unit_duration(trimmed)
    }
    .ok_or_else(|| TimeError::NotADuration(trimmed.to_string()))?;
    if seconds <= 0 {
        return Err(TimeError::NotPositive(trimmed.to_string()));
    }
    if seconds > MAX_DURATION_SECONDS {
        return Err(TimeError::DurationTooLong(trimmed.to_string()));
    }
    Ok(seconds)
}

fn parse_unit_duration(text: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut rest = text;
    let mut any = false;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        // Only digits: a parse can fail only by overflowing, which the range check reports.
        let amount: i64 = rest[..digits].parse().unwrap_or(i64::MAX);
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = rest[..unit_len].to_ascii_lowercase();
        let scale = match unit.as_str() {
            "w" | "wk" | "week" | "weeks" => 7 * 86_400,
            "d" | "day" | "days" => 86_400,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3_600,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            _ => return None,
        };
        total = total.saturating_add(amount.saturating_mul(scale));
        rest = rest[unit_len..].trim_start_matches([' ', ',']);
        any = true;
    }
    any.then_some(total)
}

fn parse_iso_duration(text: &str) -> Option<i64> {
    let upper = text.to_ascii_uppercase();
    let body = upper.strip_prefix('P')?;
    let (date_part, time_part) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let mut total: i64 = 0;
    let mut any = false;
    let mut read = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut number = String::new();
        let mut allowed = units.iter();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let (_, scale) = allowed.find(|(u, _)| *u == c)?;
            if number.is_empty() {
                return None;
            }
            let amount = number.parse::<i64>().unwrap_or(i64::MAX);
            total = total.saturating_add(amount.saturating_mul(*scale));
            number.clear();
            any = true;
        }
        number.is_empty().then_some(())
    };
    read(date_part, &[('W', 7 * 86_400), ('D', 86_400)])?;
    if let Some(t) = time_part {
        if t.is_empty() {
            return None;
        }
        read(t, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    }
    any.then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        let cases = [
            (0, "0 s"),
            (45, "45 s"),
            (60, "1 min"),
            (3_599, "59 min"),
            (3_600, "1 h"),
            (8_100, "2 h 15 min"),
            (86_400, "1 d"),
            (273_600, "3 d 4 h"),
        ];
        for (seconds, label) in cases {
            assert_eq!(duration_label(seconds), label);
        }
    }

    #[test]
    fn fractional_durations_are_truncated_like_every_label() {
        assert_eq!(seconds_label(3_599.5), "59 min");
        assert_eq!(seconds_label(25.93), "25 s");
        assert_eq!(seconds_label(7_199.9), "1 h 59 min");
        assert_eq!(
            seconds_label(21_599.999_999_996),
            "6 h",
            "float noise is not truncated"
        );
    }

    fn utc(text: &str) -> String {
        parse_instant(text, chrono_tz::Europe::Berlin)
            .map(|p| p.utc.to_rfc3339())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn reads_rfc3339_and_its_lenient_forms() {
        assert_eq!(utc("2024-05-06T15:00:00Z"), "2024-05-06T15:00:00+00:00");
        assert_eq!(utc("2024-05-06t15:00z"), "2024-05-06T15:00:00+00:00");
        assert_eq!(
            utc("2024-05-06 17:00:00+02:00"),
            "2024-05-06T15:00:00+00:00"
        );
        assert_eq!(
            utc("2024-05-06T15:00:00.250Z"),
            "2024-05-06T15:00:00.250+00:00"
        );
        assert_eq!(
            utc("2024-05-06T15:00:00-00:00"),
            "2024-05-06T15:00:00+00:00"
        );
        assert!(
            parse_instant("2024-05-06T15:00Z", Tz::UTC)
                .unwrap()
                .had_offset
        );
    }

    #[test]
    fn reads_local_times_in_the_zone() {
        let parsed = parse_instant("2024-05-06 17:00", chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(parsed.utc.to_rfc3339(), "2024-05-06T15:00:00+00:00");
        assert!(!parsed.had_offset);
        assert_eq!(utc("2024-01-06 17:00:30"), "2024-01-06T16:00:30+00:00");
    }

    #[test]
    fn refuses_dst_gaps_and_folds() {
        let la = chrono_tz::America::Los_Angeles;
        assert_eq!(
            parse_instant("2024-03-10 02:30", la)
                .unwrap_err()
                .to_string(),
            "2024-03-10 02:30 does not exist in America/Los_Angeles: the clocks skip it when daylight saving time starts; write the time with its offset"
        );
        assert_eq!(
            parse_instant("2024-11-03 01:30", la)
                .unwrap_err()
                .to_string(),
            "2024-11-03 01:30 happens twice in America/Los_Angeles (at -07:00 and at -08:00) because the clocks go back; write the time with the offset you mean, like 2024-11-03T01:30:00-07:00"
        );
    }

    #[test]
    fn explains_bad_dates_and_times() {
        assert_eq!(
            utc("2024-02-30 10:00"),
            "2024-02-30 is not a date: February 2024 has 29 days"
        );
        assert_eq!(
            utc("2024-13-01 10:00"),
            "2024-13-01 is not a date: there is no month 13"
        );
        assert!(utc("20202-01-16 12:00").starts_with("expected a date as YYYY-MM-DD"));
        assert!(utc("2024-05-06").contains("found only the date 2024-05-06"));
        assert!(utc("2024-05-06T8:00:00Z").starts_with("expected a time as HH:MM"));
        assert!(utc("2024-05-06T24:00Z").contains("is not a time of day"));
        assert!(utc("2024-05-06T23:59:60Z").contains("leap second"));
        assert!(utc("yesterday").starts_with("expected a date"));
        assert!(
            utc("last tuesday").ends_with("found \"last tuesday\""),
            "the whole text is quoted"
        );
        assert!(utc("2024-05-06T10:00+2").starts_with("expected a UTC offset"));
        assert_eq!(
            utc("0024-05-06T10:00:00Z"),
            "the year 0024 in \"0024-05-06T10:00:00Z\" is outside the years Aftermath accepts (1970 to 2099); is it a typo?"
        );
        assert!(utc("2206-05-06 10:00").starts_with("the year 2206 in"));
        assert!(utc("1970-01-01T00:00:00Z").starts_with("1970-01-01T00:00:00"));
        assert!(utc("2099-12-31 23:59").starts_with("2099-12-31T22:59:00"));
    }

    #[test]
    fn reads_durations() {
        let cases = [
            ("90m", 5_400),
            ("3h30m", 12_600),
            ("18h", 64_800),
            ("2d 4h", 187_200),
            ("1h 30min", 5_400),
            ("45 seconds", 45),
            ("1w", 604_800),
            ("PT1H30M", 5_400),
            ("P1DT2H", 93_600),
            ("P2D", 172_800),
            ("pt45s", 45),
        ];
        for (text, seconds) in cases {
            assert_eq!(parse_duration(text), Ok(seconds), "{text}");
        }
        for huge in [
            "14000000w",
            "PT99999999999999999S",
            "99999999999999999999999d",
            "P9999999999W",
        ] {
            assert_eq!(
                parse_duration(huge).unwrap_err().to_string(),
                format!(
                    "the duration \"{huge}\" is longer than the years Aftermath accepts (1970 to 2099); is it a typo?"
                )
            );
        }
        for bad in [
            "", "90", "3x", "h", "PT", "P1H", "0m", "1h-5m", "PTH", "PT1HM",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} should be refused");
        }
    }
}
