//! Moments in free-form text: "March 3, 2024, 09:00 AM - 10:30 AM", "2024-03-03 09:00 UTC",
//! "from 14:02 to 15:10 CET", each a local time with the offset it was written with, for
//! `extract.rs` to place the incident in time. A time without a date takes the date before it.

use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use regex::Regex;

use crate::content::outline::month_number;

/// An instant as written: local wall-clock time with an offset if the text gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub local: NaiveDateTime,
    pub offset: Option<FixedOffset>,
}

impl Moment {
    /// The instant, reading a local time in `zone`.
    pub fn utc(&self, zone: Tz) -> Option<DateTime<Utc>> {
        match self.offset {
            Some(offset) => offset
                .from_local_datetime(&self.local)
                .single()
                .map(|t| t.with_timezone(&Utc)),
            None => zone
                .from_local_datetime(&self.local)
                .earliest()
                .map(|t| t.with_timezone(&Utc)),
        }
    }
}

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

static MOMENT: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?xi)
        (?:
          (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH})\.?,?\s+(?P<y1>\d{{4}})
          | (?P<m2>{MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})
          | (?P<iso>\d{{4}}-\d{{2}}-\d{{2}})
        )?
        (?:,?\s*(?:at\s+)?)?
        \b(?P<h>\d{{1,2}})(?:(?::(?P<mi>\d{{2}}))(?:\s*(?P<ap>[ap]\.?m\b\.?))?|\s*(?P<ap2>[ap]\.?m\b\.?))
        (?:\s*(?P<zone>\(?\s*(?:\b(?:utc|gmt)\b(?:\s*(?P<zsign>[+-])\s*(?P<zh>\d{{1,2}}))?|z\b|[+-]\d{{2}}:\d{{2}})\s*\)?))?"
    );
    Regex::new(&pattern).expect("valid regex")
});

pub(super) static DATE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?xi)(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{MONTH})\.?,?\s+(?P<y1>\d{{4}})|(?P<m2>{MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    );
    Regex::new(&pattern).expect("valid regex")
});

pub(super) fn date_of(caps: &regex::Captures<'_>) -> Option<NaiveDate> {
    if let Some(iso) = caps.name("iso") {
        return NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok();
    }
    let (day, month, year) = match (caps.name("d1"), caps.name("d2")) {
        (Some(d), _) => (d, caps.name("m1")?, caps.name("y1")?),
        (None, Some(d)) => (d, caps.name("m2")?, caps.name("y2")?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(
        year.as_str().parse().ok()?,
        month_number(month.as_str())?,
        day.as_str().parse().ok()?,
    )
}

/// Every moment (a time, with a date and a zone if given) in `line`, in order. A moment
/// without a date takes the date of the one before it, or `fallback_date`.
pub fn moments(line: &str, fallback_date: Option<NaiveDate>) -> Vec<Moment> {
    let mut out: Vec<Moment> = Vec::new();
    let mut date = fallback_date;
    let mut zone: Option<FixedOffset> = None;
    for caps in MOMENT.captures_iter(line) {
        let ampm = caps
            .name("ap")
            .or(caps.name("ap2"))
            .map(|m| m.as_str().to_lowercase().replace('.', ""));
        if caps.name("mi").is_none() && ampm.is_none() {
            continue;
        }
        let Ok(hour) = caps["h"].parse::<u32>() else {
            continue;
        };
        let minute: u32 = caps
            .name("mi")
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
        let hour = match ampm.as_deref() {
            Some("am") if (1..=12).contains(&hour) => hour % 12,
            Some("pm") if (1..=12).contains(&hour) => hour % 12 + 12,
            Some(_) => continue,
            None => hour,
        };
        let Some(time) = NaiveTime::from_hms_opt(hour, minute, 0) else {
            continue;
        };
        if let Some(found) = date_of(&caps) {
            date = Some(found);
        }
        let Some(day) = date else { continue };
        let offset = caps.name("zone").and_then(|z| {
            let text = z.as_str().trim_matches(['(', ')', ' ']).to_lowercase();
            if let (Some(sign), Some(hours)) = (caps.name("zsign"), caps.name("zh")) {
                let hours: i32 = hours.as_str().parse().ok()?;
                let sign = if sign.as_str() == "-" { -1 } else { 1 };
                return FixedOffset::east_opt(sign * hours * 3600);
            }
            if text.contains("utc") || text.contains("gmt") || text.contains('z') {
                return FixedOffset::east_opt(0);
            }
            let sign = if text.starts_with('-') { -1 } else { 1 };
            let hours: i32 = text.get(1..3)?.parse().ok()?;
            let minutes: i32 = text.get(4..6)?.parse().ok()?;
            FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
        });
        if offset.is_some() {
            zone = offset;
        }
        let mut local = day.and_time(time);
        if let Some(previous) = out.last()
            && local < previous.local
            && caps.name("iso").is_none()
            && date_of(&caps).is_none()
        {
            local += Duration::days(1);
        }
        out.push(Moment { local, offset });
    }
    // A zone written once ("... 1:15 AM (UTC)") applies to every moment of the line.
    if let Some(zone) = zone {
        for moment in &mut out {
            moment.offset.get_or_insert(zone);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn moments_in_the_shapes_of_real_postmortems() {
        let both = moments(
            "3rd March 2024, 11:00 PM - 4th March 2024, 1:15 AM (UTC)",
            None,
        );
        assert_eq!(both.len(), 2);
        assert_eq!(both[0].local, local("2024-03-03 23:00"));
        assert_eq!(both[1].local, local("2024-03-04 01:15"));
        assert!(both.iter().all(|m| m.offset == FixedOffset::east_opt(0)));
        let same_day = moments("March 3, 2024, 09:00 AM - 10:30 AM", None);
        assert_eq!(same_day[1].local, local("2024-03-03 10:30"));
        assert_eq!(same_day[0].offset, None, "no zone written");
        let prose = moments(
            "The outage occurred from June 2nd, 2024, at 4:00 PM (UTC) to June 3rd, 2024, at 2:00 AM (UTC), lasting approximately 10 hours.",
            None,
        );
        assert_eq!(
            (prose[0].local, prose[1].local),
            (local("2024-06-02 16:00"), local("2024-06-03 02:00"))
        );
        let forms = moments(
            "15th January 2024 9 AM, January 15, 2024 21:30, 15 January 2024 09:00 AM, 2024-01-15 21:30",
            None,
        );
        let times: Vec<String> = forms
            .iter()
            .map(|m| m.local.format("%Y-%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(
            times,
            [
                "2024-01-15 09:00",
                "2024-01-15 21:30",
                "2024-01-15 09:00",
                "2024-01-15 21:30"
            ]
        );
        let overnight = moments(
            "Duration: 11:30 PM - 1:00 AM",
            NaiveDate::from_ymd_opt(2024, 5, 1),
        );
        assert_eq!(
            overnight[1].local,
            local("2024-05-02 01:00"),
            "an end before the start is the next day"
        );
        let offset = moments("April 10, 2024, 10:30 AM - 12:00 PM (UTC-5)", None);
        assert_eq!(offset[1].offset, FixedOffset::east_opt(-5 * 3600));
    }
}
