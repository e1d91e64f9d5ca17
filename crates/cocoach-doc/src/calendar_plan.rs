//! Which days the partners meet: a rule of the practice, read from the contract.
//!
//! The contract's rhythm (weekly, fortnightly, monthly) and term (start, end, number
//! of sessions) make one repeating series, in the shape a calendar stores it
//! (RFC 5545: a first date, a frequency and an interval, and an end by count or by
//! date). Only the encoding as `.ics` lives elsewhere (the app); the dates are
//! decided here, so every place that shows them agrees.
//!
//! The rule:
//! - The first meeting is on the term's start; without one, on the earliest dated
//!   session; without either there is no plan (no date to start a series on).
//! - Weekly: every 7 days; fortnightly: every 14; monthly: the same day of every
//!   month, or the month's last day when it is shorter (31 January, 28 February,
//!   31 March, …). A rhythm in the partners' own words plans nothing.
//! - The series ends after the term's number of sessions, or on its end date
//!   (a meeting on that day still counts), whichever comes first; with neither it
//!   goes on.
//! - A term whose last meeting is before today plans nothing: it is over.

use jiff::ToSpan;

use crate::model::{Contract, Frequency, MeetingTime, Partnership};
use crate::time::Date;
use cocoach_i18n::{Tr, tr};

/// A session's length when the contract does not say (the same as the session
/// screen's default).
pub const DEFAULT_SESSION_MINUTES: u64 = 60;

/// How the series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Every `n` weeks.
    Weeks(u32),
    /// Every month, on the first meeting's day (or the month's last day).
    Monthly,
}

/// How the series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    /// After this many meetings.
    Count(u64),
    /// On this day: the last meeting is on it or before it.
    Until(Date),
    /// The term sets no end.
    Never,
}

/// The planned meetings of a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingPlan {
    pub first: Date,
    pub repeat: Repeat,
    pub ends: Ends,
    /// The last meeting, when the series ends.
    pub last: Option<Date>,
    /// The time of day in the partners' local time; `None`: by agreement (all day).
    pub time: Option<MeetingTime>,
    pub minutes: u64,
    pub place: String,
}

/// Why a contract plans no meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPlan {
    /// How often is not set, or is not weekly, fortnightly or monthly.
    NoRhythm,
    /// Neither a term start nor a dated session to begin the series on.
    NoStart,
    /// The term ends before it starts, or has no sessions.
    Empty,
    /// The last meeting was on this day, before today.
    Over(Date),
}

impl NoPlan {
    /// Why, in a sentence, in the reader's language.
    pub fn text(self, tr: &Tr) -> String {
        match self {
            NoPlan::NoRhythm => tr!(tr, "calendar-no-rhythm"),
            NoPlan::NoStart => tr!(tr, "calendar-no-start"),
            NoPlan::Empty => tr!(tr, "calendar-no-meetings"),
            NoPlan::Over(d) => tr!(tr, "calendar-term-over", date = tr.date(d.civil())),
        }
    }
}

/// The meetings `contract` plans, begun on its term start or else on
/// `first_session` (the earliest dated session), as they stand on `today`.
pub fn meeting_plan(
    contract: &Contract,
    first_session: Option<Date>,
    today: Date,
) -> Result<MeetingPlan, NoPlan> {
    let repeat = match contract.frequency.as_ref() {
        Some(Frequency::Weekly) => Repeat::Weeks(1),
        Some(Frequency::Fortnightly) => Repeat::Weeks(2),
        Some(Frequency::Monthly) => Repeat::Monthly,
        Some(Frequency::Other(_)) | None => return Err(NoPlan::NoRhythm),
    };
    let first = contract
        .term
        .start
        .or(first_session)
        .ok_or(NoPlan::NoStart)?;
    let by_count = match contract.term.sessions {
        Some(0) => return Err(NoPlan::Empty),
        Some(n) => Some((n, nth(first, repeat, n - 1))),
        None => None,
    };
    let by_date = match contract.term.end {
        Some(end) if end < first => return Err(NoPlan::Empty),
        Some(end) => Some((end, last_on_or_before(first, repeat, end))),
        None => None,
    };
    let (ends, last) = match (by_count, by_date) {
        // The count runs out on or before the end date: the count ends it.
        (Some((n, Some(last))), Some((end, _))) if last <= end => (Ends::Count(n), Some(last)),
        (_, Some((end, last))) => (Ends::Until(end), last),
        (Some((n, last)), None) => (Ends::Count(n), last),
        (None, None) => (Ends::Never, None),
    };
    if let Some(last) = last
        && last < today
    {
        return Err(NoPlan::Over(last));
    }
    Ok(MeetingPlan {
        first,
        repeat,
        ends,
        last,
        time: contract.meeting_time,
        minutes: contract.session_minutes.unwrap_or(DEFAULT_SESSION_MINUTES),
        place: contract.place.trim().to_string(),
    })
}

/// Meeting number `n` (0 is the first), if it falls within the calendar (year 9999).
fn nth(first: Date, repeat: Repeat, n: u64) -> Option<Date> {
    match repeat {
        Repeat::Weeks(w) => {
            let days = i64::try_from(n).ok()?.checked_mul(7 * i64::from(w))?;
            first.add_days(days)
        }
        Repeat::Monthly => {
            // From the first date each time, so the 31st stays the 31st where it can.
            let months = i64::try_from(n).ok().filter(|m| *m < 120_000)?;
            let d = first.civil().checked_add(months.months()).ok()?;
            Date::new(
                i32::from(d.year()),
                u8::try_from(d.month()).ok()?,
                u8::try_from(d.day()).ok()?,
            )
        }
    }
}

/// The last meeting on or before `end` (`end` is not before `first`).
fn last_on_or_before(first: Date, repeat: Repeat, end: Date) -> Option<Date> {
    let n = match repeat {
        Repeat::Weeks(w) => {
            (end.days_since_epoch() - first.days_since_epoch()) / (7 * i64::from(w))
        }
        Repeat::Monthly => {
            let months = (end.year() - first.year()) * 12 + i32::from(end.month())
                - i32::from(first.month());
            let n = i64::from(months);
            match nth(first, repeat, u64::try_from(n).ok()?) {
                Some(d) if d <= end => n,
                _ => n - 1,
            }
        }
    };
    nth(first, repeat, u64::try_from(n).ok()?)
}

impl MeetingPlan {
    /// Every planned meeting date in order (without an end: until the calendar's).
    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        (0u64..)
            .map(|n| nth(self.first, self.repeat, n))
            .take_while(|d| d.is_some())
            .flatten()
            .take_while(|d| self.last.is_none_or(|last| *d <= last))
    }
}

impl Partnership {
    /// The meetings the contract plans as they stand on `today` (see the module's
    /// rule); the series begins on the earliest dated session when the term has no
    /// start.
    pub fn meeting_plan(&self, today: Date) -> Result<MeetingPlan, NoPlan> {
        let first_session = self.sessions.iter().filter_map(|s| s.date).min();
        meeting_plan(&self.contract, first_session, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Term, Turns};
    use crate::types::Slot;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn contract(freq: &str, start: Option<&str>, end: Option<&str>, n: Option<u64>) -> Contract {
        Contract {
            frequency: Some(Frequency::parse(freq)),
            place: " Café Zürich ".into(),
            session_minutes: Some(90),
            term: Term {
                start: start.map(d),
                end: end.map(d),
                sessions: n,
            },
            meeting_time: MeetingTime::parse("19:00"),
            coaches_first: Slot::A,
            turns: Turns::Alternate,
            question_style: String::new(),
            ground_rules: Vec::new(),
            off_limits: Vec::new(),
        }
    }

    fn dates(p: &MeetingPlan) -> Vec<String> {
        p.dates().map(|d| d.to_string()).collect()
    }

    const TODAY: &str = "2026-11-01";

    #[test]
    fn the_first_meeting_is_the_term_start_else_the_first_session() {
        let c = contract("weekly", Some("2026-11-20"), None, Some(3));
        let p = meeting_plan(&c, Some(d("2026-11-02")), d(TODAY)).unwrap();
        assert_eq!(p.first, d("2026-11-20"));
        assert_eq!(p.place, "Café Zürich");
        assert_eq!((p.minutes, p.time), (90, MeetingTime::new(19, 0)));

        let c = contract("weekly", None, None, Some(3));
        let p = meeting_plan(&c, Some(d("2026-11-02")), d(TODAY)).unwrap();
        assert_eq!(p.first, d("2026-11-02"));
        assert_eq!(meeting_plan(&c, None, d(TODAY)), Err(NoPlan::NoStart));
    }

    #[test]
    fn a_count_ends_the_series_after_that_many_meetings() {
        let c = contract("fortnightly", Some("2026-11-20"), None, Some(3));
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.repeat, Repeat::Weeks(2));
        assert_eq!(p.ends, Ends::Count(3));
        assert_eq!(dates(&p), ["2026-11-20", "2026-12-04", "2026-12-18"]);
        assert_eq!(p.last, Some(d("2026-12-18")));
    }

    #[test]
    fn an_end_date_ends_the_series_and_a_meeting_on_it_counts() {
        let c = contract("weekly", Some("2026-11-20"), Some("2026-12-04"), None);
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.ends, Ends::Until(d("2026-12-04")));
        assert_eq!(dates(&p), ["2026-11-20", "2026-11-27", "2026-12-04"]);
        let c = contract("weekly", Some("2026-11-20"), Some("2026-12-03"), None);
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.last, Some(d("2026-11-27")));
    }

    #[test]
    fn with_both_the_earlier_end_wins() {
        // Ten sessions would run into February; the end date comes first.
        let c = contract("weekly", Some("2026-11-20"), Some("2026-12-10"), Some(10));
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.ends, Ends::Until(d("2026-12-10")));
        assert_eq!(dates(&p).len(), 3);
        // Two sessions are over before the end date.
        let c = contract("weekly", Some("2026-11-20"), Some("2027-06-30"), Some(2));
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.ends, Ends::Count(2));
        assert_eq!(p.last, Some(d("2026-11-27")));
    }

    #[test]
    fn monthly_keeps_the_day_or_takes_the_months_last() {
        let c = contract("monthly", Some("2027-01-31"), None, Some(4));
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.repeat, Repeat::Monthly);
        assert_eq!(
            dates(&p),
            ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]
        );
        let c = contract("monthly", Some("2027-01-31"), Some("2027-04-29"), None);
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!(p.last, Some(d("2027-03-31")));
        let c = contract("monthly", Some("2027-01-15"), Some("2027-04-15"), None);
        assert_eq!(
            meeting_plan(&c, None, d(TODAY)).unwrap().last,
            Some(d("2027-04-15"))
        );
    }

    #[test]
    fn a_term_already_over_plans_nothing() {
        let c = contract("weekly", Some("2026-01-01"), None, Some(4));
        assert_eq!(
            meeting_plan(&c, None, d(TODAY)),
            Err(NoPlan::Over(d("2026-01-22")))
        );
        // Its last meeting today: not over yet.
        assert!(meeting_plan(&c, None, d("2026-01-22")).is_ok());
        let c = contract("weekly", Some("2026-01-01"), Some("2026-03-01"), None);
        assert!(matches!(
            meeting_plan(&c, None, d(TODAY)),
            Err(NoPlan::Over(_))
        ));
        // Begun long ago with no end: still going.
        let c = contract("weekly", Some("2020-01-01"), None, None);
        let p = meeting_plan(&c, None, d(TODAY)).unwrap();
        assert_eq!((p.ends, p.last), (Ends::Never, None));
    }

    #[test]
    fn no_rhythm_or_an_empty_term_plans_nothing() {
        let c = contract("every third Tuesday", Some("2026-11-20"), None, None);
        assert_eq!(meeting_plan(&c, None, d(TODAY)), Err(NoPlan::NoRhythm));
        let mut c = contract("weekly", Some("2026-11-20"), None, None);
        c.frequency = None;
        assert_eq!(meeting_plan(&c, None, d(TODAY)), Err(NoPlan::NoRhythm));
        let c = contract("weekly", Some("2026-11-20"), Some("2026-11-19"), None);
        assert_eq!(meeting_plan(&c, None, d(TODAY)), Err(NoPlan::Empty));
        let c = contract("weekly", Some("2026-11-20"), None, Some(0));
        assert_eq!(meeting_plan(&c, None, d(TODAY)), Err(NoPlan::Empty));
    }

    #[test]
    fn the_reasons_read_in_both_languages() {
        let en = &*Tr::get(cocoach_i18n::Lang::En);
        let nl = &*Tr::get(cocoach_i18n::Lang::Nl);
        let over = NoPlan::Over(d("2026-01-22"));
        assert!(
            over.text(en).contains("22 January 2026"),
            "{}",
            over.text(en)
        );
        assert!(
            over.text(nl).contains("22 januari 2026"),
            "{}",
            over.text(nl)
        );
    }
}
