//! Calendar dates and times as the user reads them: in their own time zone.
//!
//! Stored dates are civil dates (`YYYY-MM-DD`, no zone: a deadline is a day, not an
//! instant). Stored times are milliseconds since the Unix epoch. Everything shown to
//! a person — "today", overdue, a session's default date, history and export times —
//! is in the user's zone (`TZ`, else the system's setting), through [`jiff`]; this
//! module is the only place that converts, and [`format_time`] the only formatter.
//!
//! Reading the clock and the system's time zone is the one thing this otherwise pure
//! crate asks of the operating system.

use std::fmt;
use std::str::FromStr;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, civil};

use crate::DocError;
use crate::types::now_ms;

/// A calendar date (proleptic Gregorian, years 1–9999), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(civil::Date);

const EPOCH: civil::Date = civil::Date::constant(1970, 1, 1);

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let d = civil::Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()?;
        Some(Date(d))
    }

    pub fn year(self) -> i32 {
        i32::from(self.0.year())
    }
    pub fn month(self) -> u8 {
        u8::try_from(self.0.month()).unwrap_or(1)
    }
    pub fn day(self) -> u8 {
        u8::try_from(self.0.day()).unwrap_or(1)
    }

    /// The date as jiff's civil date (for writing it in the reader's language).
    pub fn civil(self) -> civil::Date {
        self.0
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        self.0.duration_since(EPOCH).as_hours() / 24
    }

    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        Date(EPOCH).add_days(days)
    }

    pub fn add_days(self, days: i64) -> Option<Date> {
        let hours = days.checked_mul(24)?;
        let d = self.0.checked_add(SignedDuration::from_hours(hours)).ok()?;
        (1..=9999).contains(&d.year()).then_some(Date(d))
    }

    /// Today in the user's time zone.
    pub fn today() -> Date {
        Date::local_of(now_ms())
    }

    /// Today in `tz`.
    pub fn today_in(tz: &TimeZone) -> Date {
        Date::of_in(now_ms(), tz)
    }

    /// The user's local date at an instant (milliseconds since the epoch).
    pub fn local_of(ms: i64) -> Date {
        Date::of_in(ms, &TimeZone::system())
    }

    /// The date in `tz` at an instant (milliseconds since the epoch).
    pub fn of_in(ms: i64, tz: &TimeZone) -> Date {
        let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
        Date(ts.to_zoned(tz.clone()).date())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl FromStr for Date {
    type Err = DocError;
    /// Strictly `YYYY-MM-DD`, the stored form (no other layouts, no times).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DocError::InvalidValue {
            field: "date",
            reason: format!("{s:?} is not a date of the form YYYY-MM-DD"),
        };
        let t = s.trim();
        let b = t.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !digits(0..4)
            || !digits(5..7)
            || !digits(8..10)
        {
            return Err(bad());
        }
        let y: i32 = t[0..4].parse().map_err(|_| bad())?;
        let m: u8 = t[5..7].parse().map_err(|_| bad())?;
        let d: u8 = t[8..10].parse().map_err(|_| bad())?;
        Date::new(y, m, d).ok_or_else(bad)
    }
}

/// An instant as the user reads it: date and time of day in their zone,
/// "2026-11-22 14:05". The one formatter for times (history, export, status).
pub fn format_time(ms: i64) -> String {
    format_time_in(ms, &TimeZone::system())
}

/// [`format_time`] in a given zone.
pub fn format_time_in(ms: i64, tz: &TimeZone) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_days() {
        for z in -700_000..2_900_000i64 {
            if z % 997 != 0 {
                continue;
            }
            let d = Date::from_days_since_epoch(z).unwrap();
            assert_eq!(d.days_since_epoch(), z);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert!(Date::new(2023, 2, 29).is_none());
        assert_eq!(
            Date::new(2026, 12, 31)
                .unwrap()
                .add_days(1)
                .unwrap()
                .to_string(),
            "2027-01-01"
        );
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            "2026-11-22".parse::<Date>().unwrap(),
            Date::new(2026, 11, 22).unwrap()
        );
        for bad in [
            "",
            "2026-1-2",
            "2026-13-01",
            "2026-02-30",
            "x",
            "2026-11-22-1",
            "+026-11-22",
            "2026-11-2x",
            "２０２６-11-22",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    /// 2026-11-30 23:30 UTC is already 1 December in Kiritimati (UTC+14) and still
    /// 30 November in Pago Pago (UTC−11): the user's day, not UTC's.
    #[test]
    fn the_day_and_the_time_are_the_users() {
        let ms = 1_796_081_400_000; // 2026-11-30T23:30:00Z
        let kiritimati = TimeZone::get("Pacific/Kiritimati").unwrap();
        let pago = TimeZone::get("Pacific/Pago_Pago").unwrap();
        assert_eq!(Date::of_in(ms, &TimeZone::UTC).to_string(), "2026-11-30");
        assert_eq!(Date::of_in(ms, &kiritimati).to_string(), "2026-12-01");
        assert_eq!(Date::of_in(ms, &pago).to_string(), "2026-11-30");
        assert_eq!(format_time_in(ms, &kiritimati), "2026-12-01 13:30");
        assert_eq!(format_time_in(ms, &pago), "2026-11-30 12:30");
        assert_eq!(format_time_in(ms, &TimeZone::UTC), "2026-11-30 23:30");
    }
}
