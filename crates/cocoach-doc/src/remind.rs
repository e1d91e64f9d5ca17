//! Desktop reminders, as a rule with no clock and no disk: given the partnership,
//! this device's partner, the local date and time, the reminders already sent and
//! the quiet hours, which reminders are due now.
//!
//! Each reminder has a stable key, so a caller that remembers the keys it sent
//! (the device store's `reminders_sent`) sends each one once, whether it asks every
//! minute (the window) or every quarter of an hour (cron):
//!
//! - `due-tomorrow:<action>:<deadline>`: an open action of mine is due tomorrow;
//! - `overdue:<action>:<deadline>`: an open action of mine is past its deadline
//!   (once per action and deadline, not every day: a new deadline may be missed
//!   again and is reminded again);
//! - `meeting:<date>`: today is a planned day of the contract's rhythm and no
//!   session has been held today;
//! - `celebration:<action>`: my partner marked an action done with a celebration
//!   line (in the last [`CELEBRATION_DAYS`] days, so the first run on an old
//!   partnership does not bring back every celebration ever written).
//!
//! During quiet hours nothing is due; what waited is due once they end (the rule
//! is asked again then).

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use cocoach_i18n::{Tr, tr};

use crate::ids::ActionId;
use crate::model::{ActionStatus, Partnership};
use crate::time::Date;
use crate::types::Slot;

/// A partner's celebration is news for this many days after the action was done.
pub const CELEBRATION_DAYS: i64 = 7;

/// A time of day, to the minute (00:00–23:59).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeOfDay {
    minutes: u16,
}

impl TimeOfDay {
    pub fn new(hour: u8, minute: u8) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60).then(|| TimeOfDay {
            minutes: u16::from(hour) * 60 + u16::from(minute),
        })
    }

    pub fn hour(self) -> u8 {
        u8::try_from(self.minutes / 60).unwrap_or(0)
    }

    pub fn minute(self) -> u8 {
        u8::try_from(self.minutes % 60).unwrap_or(0)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

/// Why a text is not a time or a range of quiet hours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a time range like 22:00-07:00, or \"off\"")]
pub struct BadQuietHours(pub String);

impl FromStr for TimeOfDay {
    type Err = BadQuietHours;
    /// `H:MM` or `HH:MM`, 24-hour clock.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadQuietHours(s.to_string());
        let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
        let digits = |t: &str, max: usize| {
            !t.is_empty() && t.len() <= max && t.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
            return Err(bad());
        }
        let (h, m) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        TimeOfDay::new(h, m).ok_or_else(bad)
    }
}

/// When no reminder is sent: from `from` (included) until `to` (not included),
/// across midnight when `to` comes before `from`. Equal ends mean none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from: TimeOfDay,
    pub to: TimeOfDay,
}

impl QuietHours {
    /// No quiet hours: reminders come at any time.
    pub const OFF: QuietHours = QuietHours {
        from: TimeOfDay { minutes: 0 },
        to: TimeOfDay { minutes: 0 },
    };

    pub fn is_off(self) -> bool {
        self.from == self.to
    }

    /// Whether `t` falls in the quiet hours.
    pub fn contains(self, t: TimeOfDay) -> bool {
        if self.from <= self.to {
            self.from <= t && t < self.to
        } else {
            t >= self.from || t < self.to
        }
    }
}

impl Default for QuietHours {
    /// 21:00–08:00.
    fn default() -> QuietHours {
        QuietHours {
            from: TimeOfDay { minutes: 21 * 60 },
            to: TimeOfDay { minutes: 8 * 60 },
        }
    }
}

impl fmt::Display for QuietHours {
    /// `22:00-07:00`, or `off`: the form [`FromStr`] reads back (and the store keeps).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_off() {
            f.write_str("off")
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

impl FromStr for QuietHours {
    type Err = BadQuietHours;
    /// `22:00-07:00` (also with `–` or spaces), or `off` / `none`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("off") || t.eq_ignore_ascii_case("none") {
            return Ok(QuietHours::OFF);
        }
        let (from, to) = t
            .split_once(['-', '–'])
            .ok_or_else(|| BadQuietHours(s.to_string()))?;
        let time = |x: &str| {
            x.parse::<TimeOfDay>()
                .map_err(|_| BadQuietHours(s.to_string()))
        };
        Ok(QuietHours {
            from: time(from)?,
            to: time(to)?,
        })
    }
}

/// The local date and time of day at which the rule is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalNow {
    pub date: Date,
    pub time: TimeOfDay,
}

impl LocalNow {
    /// Now, in the user's time zone (`TZ`, else the system's).
    pub fn now() -> LocalNow {
        LocalNow::at_in(crate::now_ms(), &jiff::tz::TimeZone::system())
    }

    /// The local date and time in `tz` at an instant (milliseconds since the epoch).
    pub fn at_in(ms: i64, tz: &jiff::tz::TimeZone) -> LocalNow {
        let ts = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let z = ts.to_zoned(tz.clone());
        let hm = |v: i8| u8::try_from(v).unwrap_or(0);
        LocalNow {
            date: Date::of_in(ms, tz),
            time: TimeOfDay::new(hm(z.hour()), hm(z.minute())).unwrap_or_default(),
        }
    }
}

/// What a reminder is about. Texts (names, the action, the celebration) are copied
/// from the partnership as they read now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderKind {
    /// An open action of mine is due tomorrow.
    DueTomorrow {
        action: ActionId,
        what: String,
        deadline: Date,
    },
    /// An open action of mine is past its deadline.
    Overdue {
        action: ActionId,
        what: String,
        deadline: Date,
    },
    /// The contract's rhythm plans a meeting today.
    Meeting {
        date: Date,
        partner: String,
        place: String,
    },
    /// My partner finished an action and celebrated it.
    Celebration {
        action: ActionId,
        partner: String,
        what: String,
        celebration: String,
    },
}

/// One reminder due now, with the key under which it is remembered as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub key: String,
    pub kind: ReminderKind,
}

impl Reminder {
    /// The notification's title, in `tr`'s language.
    pub fn title(&self, tr: &Tr) -> String {
        match &self.kind {
            ReminderKind::DueTomorrow { .. } => tr!(tr, "remind-due-tomorrow-title"),
            ReminderKind::Overdue { .. } => tr!(tr, "remind-overdue-title"),
            ReminderKind::Meeting { .. } => tr!(tr, "remind-meeting-title"),
            ReminderKind::Celebration { partner, .. } => {
                tr!(tr, "remind-celebration-title", partner = partner.as_str())
            }
        }
    }

    /// The notification's text, in `tr`'s language, dates as it writes them.
    pub fn body(&self, tr: &Tr) -> String {
        match &self.kind {
            ReminderKind::DueTomorrow { what, deadline, .. } => tr!(
                tr,
                "remind-due-tomorrow-body",
                what = what.as_str(),
                date = tr.date(deadline.civil())
            ),
            ReminderKind::Overdue { what, deadline, .. } => tr!(
                tr,
                "remind-overdue-body",
                what = what.as_str(),
                date = tr.date(deadline.civil())
            ),
            ReminderKind::Meeting {
                date,
                partner,
                place,
            } => {
                let date = tr.date_with_weekday(date.civil());
                if place.trim().is_empty() {
                    tr!(
                        tr,
                        "remind-meeting-body",
                        partner = partner.as_str(),
                        date = date
                    )
                } else {
                    tr!(
                        tr,
                        "remind-meeting-body-place",
                        partner = partner.as_str(),
                        date = date,
                        place = place.trim()
                    )
                }
            }
            ReminderKind::Celebration {
                what, celebration, ..
            } => tr!(
                tr,
                "remind-celebration-body",
                what = what.as_str(),
                celebration = celebration.trim()
            ),
        }
    }
}

/// The reminders due at `now` for the partner in slot `me`, leaving out those whose
/// key is in `sent`. Nothing during `quiet` hours.
pub fn due_now(
    p: &Partnership,
    me: Slot,
    now: LocalNow,
    sent: &HashSet<String>,
    quiet: QuietHours,
) -> Vec<Reminder> {
    if quiet.contains(now.time) {
        return Vec::new();
    }
    let today = now.date;
    let mut out = Vec::new();
    for a in p.actions.iter().filter(|a| a.owner == me) {
        if a.status != ActionStatus::Open {
            continue;
        }
        let Some(deadline) = a.deadline else { continue };
        let days = deadline.days_since_epoch() - today.days_since_epoch();
        let (key, kind) = match days {
            1 => (
                format!("due-tomorrow:{}:{deadline}", a.id),
                ReminderKind::DueTomorrow {
                    action: a.id.clone(),
                    what: a.what.clone(),
                    deadline,
                },
            ),
            d if d < 0 => (
                format!("overdue:{}:{deadline}", a.id),
                ReminderKind::Overdue {
                    action: a.id.clone(),
                    what: a.what.clone(),
                    deadline,
                },
            ),
            _ => continue,
        };
        out.push(Reminder { key, kind });
    }
    let partner = me.other();
    let partner_joined = p.partner(partner).key.is_some();
    let held_today = p.sessions.iter().any(|s| s.date == Some(today));
    if partner_joined && !held_today && p.meeting_planned_on(today) {
        out.push(Reminder {
            key: format!("meeting:{today}"),
            kind: ReminderKind::Meeting {
                date: today,
                partner: p.name(partner),
                place: p.contract.place.clone(),
            },
        });
    }
    for a in p.actions.iter().filter(|a| a.owner == partner) {
        let recent = a.done_on.is_some_and(|d| {
            let ago = today.days_since_epoch() - d.days_since_epoch();
            (0..=CELEBRATION_DAYS).contains(&ago)
        });
        if a.status == ActionStatus::Done && recent && !a.celebration.trim().is_empty() {
            out.push(Reminder {
                key: format!("celebration:{}", a.id),
                kind: ReminderKind::Celebration {
                    action: a.id.clone(),
                    partner: p.name(partner),
                    what: a.what.clone(),
                    celebration: a.celebration.clone(),
                },
            });
        }
    }
    out.retain(|r| !sent.contains(&r.key));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{
        Action, Contract, ContractSignatures, Frequency, Half, Partner, Session, SignatureState,
        Term, Turns,
    };
    use crate::{DeviceKey, PartnershipId, SessionId};
    use cocoach_i18n::Lang;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn at(date: &str, time: &str) -> LocalNow {
        LocalNow {
            date: d(date),
            time: time.parse().unwrap(),
        }
    }

    fn partnership() -> Partnership {
        Partnership {
            id: PartnershipId::from_stored("p1"),
            partners: [
                Partner {
                    name: "Ana".into(),
                    key: Some(DeviceKey::from_slice(&[1; 32]).unwrap()),
                    earlier_keys: Vec::new(),
                },
                Partner {
                    name: "Bo".into(),
                    key: Some(DeviceKey::from_slice(&[2; 32]).unwrap()),
                    earlier_keys: Vec::new(),
                },
            ],
            created_by: Slot::A,
            contract: Contract {
                frequency: None,
                place: String::new(),
                session_minutes: None,
                term: Term::default(),
                coaches_first: Slot::A,
                turns: Turns::Alternate,
                question_style: String::new(),
                meeting_time: None,
                ground_rules: Vec::new(),
                off_limits: Vec::new(),
            },
            signatures: ContractSignatures {
                a: SignatureState::NotSigned,
                b: SignatureState::NotSigned,
            },
            sessions: Vec::new(),
            actions: Vec::new(),
            questions: Vec::new(),
        }
    }

    fn action(id: &str, owner: Slot, what: &str, deadline: Option<&str>) -> Action {
        Action {
            id: ActionId::from_stored(id),
            owner,
            what: what.into(),
            deadline: deadline.map(d),
            status: ActionStatus::Open,
            session: None,
            obstacles: Vec::new(),
            done_on: None,
            celebration: String::new(),
            created_at_ms: 0,
        }
    }

    fn session(date: &str) -> Session {
        Session {
            id: SessionId::from_stored(format!("s-{date}")),
            date: Some(d(date)),
            place: String::new(),
            planned_minutes: None,
            coached_first: Slot::A,
            created_by: Some(Slot::A),
            created_at_ms: 0,
            halves: [Half::default(), Half::default()],
            closed_at_ms: None,
            first_meeting: false,
            skip_reason: String::new(),
        }
    }

    fn none_sent() -> HashSet<String> {
        HashSet::new()
    }

    fn keys(rs: &[Reminder]) -> Vec<&str> {
        rs.iter().map(|r| r.key.as_str()).collect()
    }

    /// Sends what is due at `now` and remembers it, as the callers do.
    fn send(p: &Partnership, now: LocalNow, sent: &mut HashSet<String>) -> Vec<String> {
        let due = due_now(p, Slot::A, now, sent, QuietHours::default());
        for r in &due {
            sent.insert(r.key.clone());
        }
        due.into_iter().map(|r| r.key).collect()
    }

    #[test]
    fn an_action_of_mine_due_tomorrow_is_reminded_once() {
        let mut p = partnership();
        p.actions
            .push(action("a1", Slot::A, "Email Jana", Some("2026-12-03")));
        let mut sent = none_sent();
        assert_eq!(
            send(&p, at("2026-12-02", "09:00"), &mut sent),
            ["due-tomorrow:a1:2026-12-03"]
        );
        assert!(send(&p, at("2026-12-02", "09:15"), &mut sent).is_empty());
        assert!(send(&p, at("2026-12-02", "18:00"), &mut sent).is_empty());
        // Not two days before, and on the day itself it is not "tomorrow" any more.
        assert!(
            due_now(
                &p,
                Slot::A,
                at("2026-12-01", "09:00"),
                &none_sent(),
                QuietHours::OFF
            )
            .is_empty()
        );
        assert!(
            due_now(
                &p,
                Slot::A,
                at("2026-12-03", "09:00"),
                &none_sent(),
                QuietHours::OFF
            )
            .is_empty()
        );
    }

    #[test]
    fn an_overdue_action_is_reminded_once_not_every_day() {
        let mut p = partnership();
        p.actions
            .push(action("a1", Slot::A, "Email Jana", Some("2026-12-03")));
        let mut sent = none_sent();
        assert!(send(&p, at("2026-12-03", "12:00"), &mut sent).is_empty());
        assert_eq!(
            send(&p, at("2026-12-04", "08:00"), &mut sent),
            ["overdue:a1:2026-12-03"]
        );
        for day in ["2026-12-05", "2026-12-06", "2027-01-10"] {
            assert!(send(&p, at(day, "10:00"), &mut sent).is_empty(), "{day}");
        }
        // A new deadline, missed again: reminded again, once.
        p.actions[0].deadline = Some(d("2027-01-15"));
        assert!(send(&p, at("2027-01-15", "10:00"), &mut sent).is_empty());
        assert_eq!(
            send(&p, at("2027-01-16", "10:00"), &mut sent),
            ["overdue:a1:2027-01-15"]
        );
    }

    #[test]
    fn done_dropped_undated_and_the_partners_actions_are_not_reminded() {
        let mut p = partnership();
        let mut done = action("done", Slot::A, "x", Some("2026-12-03"));
        done.status = ActionStatus::Done;
        let mut dropped = action("dropped", Slot::A, "x", Some("2026-12-03"));
        dropped.status = ActionStatus::Dropped;
        let mut old_done = action("old-done", Slot::A, "x", Some("2026-11-01"));
        old_done.status = ActionStatus::Done;
        let mut old_dropped = action("old-dropped", Slot::A, "x", Some("2026-11-01"));
        old_dropped.status = ActionStatus::Dropped;
        p.actions.extend([
            done,
            dropped,
            old_done,
            old_dropped,
            action("undated", Slot::A, "x", None),
            action("bos", Slot::B, "x", Some("2026-12-03")),
            action("bos-late", Slot::B, "x", Some("2026-11-01")),
        ]);
        let due = due_now(
            &p,
            Slot::A,
            at("2026-12-02", "10:00"),
            &none_sent(),
            QuietHours::OFF,
        );
        assert_eq!(keys(&due), Vec::<&str>::new());
        // The same actions seen from Bo's device: Bo's two are his.
        let due = due_now(
            &p,
            Slot::B,
            at("2026-12-02", "10:00"),
            &none_sent(),
            QuietHours::OFF,
        );
        assert_eq!(
            keys(&due),
            ["due-tomorrow:bos:2026-12-03", "overdue:bos-late:2026-11-01"]
        );
    }

    #[test]
    fn a_meeting_is_due_on_the_rhythms_days_from_the_term_start() {
        let mut p = partnership();
        p.contract.frequency = Some(Frequency::Fortnightly);
        p.contract.term.start = Some(d("2026-11-04"));
        p.contract.term.end = Some(d("2027-01-31"));
        let due = |p: &Partnership, day: &str| {
            keys(&due_now(
                p,
                Slot::A,
                at(day, "09:00"),
                &none_sent(),
                QuietHours::OFF,
            ))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
        };
        assert_eq!(due(&p, "2026-11-04"), ["meeting:2026-11-04"]);
        assert_eq!(due(&p, "2026-11-18"), ["meeting:2026-11-18"]);
        assert_eq!(due(&p, "2026-12-02"), ["meeting:2026-12-02"]);
        for off in [
            "2026-11-03",
            "2026-11-05",
            "2026-11-11",
            "2026-11-17",
            "2026-11-28",
        ] {
            assert!(due(&p, off).is_empty(), "{off}");
        }
        // Past the term's end: no more meetings.
        assert!(due(&p, "2027-02-10").is_empty());
        // Held today already: no reminder (a session on another day does not count).
        p.sessions.push(session("2026-11-17"));
        assert_eq!(due(&p, "2026-11-18"), ["meeting:2026-11-18"]);
        p.sessions.push(session("2026-11-18"));
        assert!(due(&p, "2026-11-18").is_empty());
        // Once a day.
        let mut sent = none_sent();
        assert_eq!(
            send(&p, at("2026-12-02", "08:30"), &mut sent),
            ["meeting:2026-12-02"]
        );
        assert!(send(&p, at("2026-12-02", "12:30"), &mut sent).is_empty());
        assert_eq!(
            send(&p, at("2026-12-16", "08:30"), &mut sent),
            ["meeting:2026-12-16"]
        );
    }

    #[test]
    fn without_a_term_start_the_rhythm_counts_from_the_first_session() {
        let mut p = partnership();
        p.contract.frequency = Some(Frequency::Weekly);
        let due = |p: &Partnership, day: &str| {
            !due_now(p, Slot::A, at(day, "09:00"), &none_sent(), QuietHours::OFF).is_empty()
        };
        // No start and no session: no rhythm to follow.
        assert!(!due(&p, "2026-12-02"));
        p.sessions.push(session("2026-11-25"));
        assert!(due(&p, "2026-12-02"));
        assert!(!due(&p, "2026-12-03"));
        assert!(due(&p, "2026-12-09"));
        // A rhythm with no interval ("every third Tuesday") plans no day.
        p.contract.frequency = Some(Frequency::Other("every third Tuesday".into()));
        assert!(!due(&p, "2026-12-02"));
        // Nor does a partnership whose partner has not joined.
        p.contract.frequency = Some(Frequency::Weekly);
        p.partners[1].key = None;
        assert!(!due(&p, "2026-12-02"));
    }

    #[test]
    fn the_partners_celebration_is_news_once() {
        let mut p = partnership();
        let mut a = action("b1", Slot::B, "Coffee with Jana", Some("2026-12-01"));
        a.status = ActionStatus::Done;
        a.done_on = Some(d("2026-12-01"));
        a.celebration = "She said yes!".into();
        p.actions.push(a.clone());
        // Done without a celebration line: no news.
        let mut quiet = a.clone();
        quiet.id = ActionId::from_stored("b2");
        quiet.celebration = "  ".into();
        p.actions.push(quiet);
        // My own celebration is not news to me.
        let mut mine = a.clone();
        mine.id = ActionId::from_stored("a1");
        mine.owner = Slot::A;
        p.actions.push(mine);
        // Long ago: not brought back.
        let mut old = a.clone();
        old.id = ActionId::from_stored("b3");
        old.done_on = Some(d("2026-10-01"));
        p.actions.push(old);
        let mut sent = none_sent();
        assert_eq!(
            send(&p, at("2026-12-02", "10:00"), &mut sent),
            ["celebration:b1"]
        );
        assert!(send(&p, at("2026-12-02", "11:00"), &mut sent).is_empty());
        assert!(send(&p, at("2026-12-03", "11:00"), &mut sent).is_empty());
        let r = due_now(
            &p,
            Slot::A,
            at("2026-12-02", "10:00"),
            &none_sent(),
            QuietHours::OFF,
        );
        let en = Tr::get(Lang::En);
        assert_eq!(r[0].title(&en), "Bo did it!");
        assert_eq!(r[0].body(&en), "“Coffee with Jana” is done: She said yes!");
    }

    #[test]
    fn quiet_hours_span_midnight_and_what_waited_comes_after() {
        let mut p = partnership();
        p.actions
            .push(action("a1", Slot::A, "Email Jana", Some("2026-12-03")));
        p.actions
            .push(action("a0", Slot::A, "Update CV", Some("2026-12-01")));
        let q = QuietHours::default();
        assert_eq!(q.to_string(), "21:00-08:00");
        let mut sent = none_sent();
        for (date, time) in [
            ("2026-12-02", "00:00"),
            ("2026-12-02", "03:30"),
            ("2026-12-02", "07:59"),
            ("2026-12-02", "21:00"),
            ("2026-12-02", "23:59"),
        ] {
            assert!(
                send(&p, at(date, time), &mut sent).is_empty(),
                "{date} {time}"
            );
        }
        assert!(sent.is_empty(), "nothing counts as sent in quiet hours");
        assert_eq!(
            send(&p, at("2026-12-02", "08:00"), &mut sent),
            ["due-tomorrow:a1:2026-12-03", "overdue:a0:2026-12-01"]
        );
        // Quiet hours within one day, and none at all.
        let lunch: QuietHours = "12:00-13:30".parse().unwrap();
        let t = |s: &str| s.parse::<TimeOfDay>().unwrap();
        assert!(!lunch.contains(t("11:59")));
        assert!(lunch.contains(t("12:00")));
        assert!(lunch.contains(t("13:29")));
        assert!(!lunch.contains(t("13:30")));
        assert!(!lunch.contains(t("00:00")));
        let off: QuietHours = "off".parse().unwrap();
        assert!(off.is_off());
        assert!((0..24).all(|h| !off.contains(TimeOfDay::new(h, 0).unwrap())));
        assert_eq!(off.to_string(), "off");
        assert_eq!(
            due_now(&p, Slot::A, at("2026-12-02", "03:00"), &none_sent(), off).len(),
            2
        );
    }

    #[test]
    fn quiet_hours_read_back_what_they_write_and_refuse_nonsense() {
        for s in ["22:00-07:00", "21:00-08:00", "08:30-09:00", "off"] {
            assert_eq!(s.parse::<QuietHours>().unwrap().to_string(), s);
        }
        assert_eq!(
            "7:05 – 9:00".parse::<QuietHours>().unwrap().to_string(),
            "07:05-09:00"
        );
        for bad in [
            "",
            "22-07",
            "22:00",
            "24:00-07:00",
            "22:60-07:00",
            "22:00-7",
            "x:00-07:00",
            "22:000-07:00",
        ] {
            assert!(bad.parse::<QuietHours>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_local_time_is_the_users() {
        let ms = 1_796_081_400_000; // 2026-11-30T23:30:00Z
        let ams = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap();
        assert_eq!(LocalNow::at_in(ms, &ams), at("2026-12-01", "00:30"));
        assert_eq!(
            LocalNow::at_in(ms, &jiff::tz::TimeZone::UTC),
            at("2026-11-30", "23:30")
        );
    }

    #[test]
    fn reminders_read_in_the_users_language_with_its_dates() {
        let r = |kind| Reminder {
            key: String::new(),
            kind,
        };
        let tomorrow = r(ReminderKind::DueTomorrow {
            action: ActionId::from_stored("a1"),
            what: "Email Jana".into(),
            deadline: d("2026-12-03"),
        });
        let (en, nl) = (Tr::get(Lang::En), Tr::get(Lang::Nl));
        assert_eq!(tomorrow.title(&en), "Due tomorrow");
        assert_eq!(
            tomorrow.body(&en),
            "Your action “Email Jana” is due tomorrow, 3 December 2026."
        );
        assert_eq!(
            tomorrow.body(&nl),
            "Je actie ‘Email Jana’ moet morgen af zijn, 3 december 2026."
        );
        let meeting = r(ReminderKind::Meeting {
            date: d("2026-12-02"),
            partner: "Bo".into(),
            place: "Café Zürich".into(),
        });
        assert_eq!(
            meeting.body(&en),
            "You and Bo meet today, Wednesday 2 December 2026, at Café Zürich."
        );
        assert!(
            meeting.body(&nl).contains("woensdag 2 december 2026"),
            "{}",
            meeting.body(&nl)
        );
    }
}
