//! Dates, numbers, plural forms and the first day of the week from CLDR, through ICU4X.
//!
//! Each formatter is made once per build from ICU4X's compiled data (no files are read) and
//! shared by every page. Only the Gregorian calendar is used, and times of day stay `17:02`
//! (24 hours) in every language, as status pages in all the built-in languages write them.

use chrono::{Datelike, NaiveDate, Weekday};
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{E, M, MD, YM, YMD};
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_locale_core::Locale as IcuLocale;
use icu_plurals::{PluralCategory, PluralRules};
use writeable::TryWriteable;

type Formatter<F> = FixedCalendarDateTimeFormatter<Gregorian, F>;

/// The formatters of one locale.
pub struct Formats {
    plurals: PluralRules,
    decimal: DecimalFormatter,
    long_date: Formatter<YMD>,
    /// Month and year through the pattern the `YM` formatter chose and the names it needs:
    /// ICU4X 2.4's `YM` formatter leaves the digits out of its own data for some locales
    /// (`pt-BR`: `DecimalFormatterNotLoaded`, a panic in debug builds), while loading the names
    /// for the pattern loads them.
    month_year: (FixedCalendarDateTimeNames<Gregorian, YM>, DateTimePattern),
    month: Formatter<M>,
    month_short: Formatter<M>,
    day_month: Formatter<MD>,
    weekday: Formatter<E>,
    first_weekday: Weekday,
}

impl Formats {
    /// The formats of the CLDR locale `tag` (`de`, `en-GB`, `pt-BR`).
    pub fn new(tag: &str) -> Result<Formats, String> {
        let locale: IcuLocale = tag.parse().map_err(|_| {
            format!("\"language\": \"{tag}\" is not a language tag like \"de\" or \"pt-BR\"")
        })?;
        let fail = |what: &str| format!("\"language\": no {what} data for \"{tag}\"");
        let prefs = || locale.clone();
        let first_weekday = icu_calendar::week::WeekInformation::try_new(prefs().into())
            .map_err(|_| fail("week"))?
            .first_weekday;
        Ok(Formats {
            plurals: PluralRules::try_new_cardinal(prefs().into()).map_err(|_| fail("plural"))?,
            decimal: DecimalFormatter::try_new(prefs().into(), Default::default())
                .map_err(|_| fail("number"))?,
            long_date: Formatter::try_new(prefs().into(), YMD::long()).map_err(|_| fail("date"))?,
            month_year: {
                let formatter: Formatter<YM> =
                    Formatter::try_new(prefs().into(), YM::long()).map_err(|_| fail("date"))?;
                let pattern = formatter.format(&month_date(1)).pattern();
                let mut names = FixedCalendarDateTimeNames::try_new(prefs().into())
                    .map_err(|_| fail("date"))?;
                names
                    .include_for_pattern(&pattern)
                    .map_err(|_| fail("date"))?;
                (names, pattern)
            },
            month: Formatter::try_new(prefs().into(), M::long()).map_err(|_| fail("date"))?,
            month_short: Formatter::try_new(prefs().into(), M::medium())
                .map_err(|_| fail("date"))?,
            day_month: Formatter::try_new(prefs().into(), MD::medium())
                .map_err(|_| fail("date"))?,
            weekday: Formatter::try_new(prefs().into(), E::short()).map_err(|_| fail("date"))?,
            first_weekday: match first_weekday {
                icu_calendar::types::Weekday::Monday => Weekday::Mon,
                icu_calendar::types::Weekday::Tuesday => Weekday::Tue,
                icu_calendar::types::Weekday::Wednesday => Weekday::Wed,
                icu_calendar::types::Weekday::Thursday => Weekday::Thu,
                icu_calendar::types::Weekday::Friday => Weekday::Fri,
                icu_calendar::types::Weekday::Saturday => Weekday::Sat,
                icu_calendar::types::Weekday::Sunday => Weekday::Sun,
            },
        })
    }

    /// The CLDR plural form (`one`, `few`, `other`...) of `count` in this language.
    pub fn plural_form(&self, count: i64) -> &'static str {
        match self.plurals.category_for(count) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// A whole number with this language's digits and grouping: `1,234`, `1.234`, `1 234`.
    pub fn integer(&self, value: i64) -> String {
        self.decimal.format(&Decimal::from(value)).to_string()
    }

    /// `value` / 10^`decimals` with exactly `decimals` decimals: `99.722`, `99,722`.
    pub fn decimal(&self, value: i64, decimals: i16) -> String {
        let mut number = Decimal::from(value);
        number.multiply_pow10(-decimals);
        number.pad_end(-decimals);
        self.decimal.format(&number).to_string()
    }

    /// `4 May 2026`, `4. Mai 2026`, `2026年5月4日`.
    pub fn long_date(&self, date: NaiveDate) -> String {
        self.long_date.format(&gregorian(date)).to_string()
    }

    /// `May 2026`, `Mai 2026`, `mayo de 2026`.
    pub fn month_year(&self, date: NaiveDate) -> String {
        let (names, pattern) = &self.month_year;
        let date = gregorian(date);
        let formatter = names.with_pattern_unchecked(pattern);
        // With the names loaded for the pattern, nothing is missing; were anything, ICU4X
        // writes its fallback (Latin digits), which is what the error arm keeps.
        match formatter.format(&date).try_write_to_string() {
            Ok(text) | Err((_, text)) => text.into_owned(),
        }
    }

    /// The month's name on its own: `May`, `Mai`, `maj` (1 = January).
    pub fn month_name(&self, month: u32) -> String {
        self.month.format(&month_date(month)).to_string()
    }

    /// The month's short name: `Sept`, `Sep.`, `9月`.
    pub fn month_short(&self, month: u32) -> String {
        self.month_short.format(&month_date(month)).to_string()
    }

    /// Day and short month: `4 May`, `4. Mai`, `5月4日`.
    pub fn day_month(&self, date: NaiveDate) -> String {
        self.day_month.format(&gregorian(date)).to_string()
    }

    /// The weekday's short name: `Mon`, `Mo`, `月`.
    pub fn weekday(&self, weekday: Weekday) -> String {
        // 2024-01-01 was a Monday.
        let date = NaiveDate::from_ymd_opt(2024, 1, 1 + weekday.num_days_from_monday())
            .unwrap_or_default();
        self.weekday.format(&gregorian(date)).to_string()
    }

    /// The day weeks start on in calendars: Monday in most of Europe, Sunday in Brazil and
    /// Japan.
    pub fn first_weekday(&self) -> Weekday {
        self.first_weekday
    }
}

fn gregorian(date: NaiveDate) -> Date<Gregorian> {
    // Every date Aftermath formats is between 1970 and 2100 (see `text::time`).
    Date::try_new_gregorian(date.year(), date.month() as u8, date.day() as u8)
        .unwrap_or_else(|_| Date::try_new_gregorian(1970, 1, 1).expect("a valid date"))
}

fn month_date(month: u32) -> Date<Gregorian> {
    gregorian(NaiveDate::from_ymd_opt(2024, month.clamp(1, 12), 1).unwrap_or_default())
}
