//! The partnership as a calendar file (iCalendar, RFC 5545), for `cocoach export
//! --format ics` and for the window ([`ics`] is pure: it reads nothing but its
//! arguments and the clock, for DTSTAMP).
//!
//! What is in it:
//! - the planned meetings as ONE repeating event (which days: the practice's rule,
//!   [`cocoach_doc::calendar_plan`]), at the contract's meeting time in the user's
//!   zone (`TZID` plus a `VTIMEZONE` built from the zone's own transitions), or as
//!   all-day events when the time is by agreement;
//! - every open action with a deadline as an all-day event on that day.
//!
//! UIDs come from the partnership id and the action ids only, so importing a newer
//! export into the same calendar updates the events instead of adding copies.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use cocoach_doc::calendar_plan::{Ends, MeetingPlan, NoPlan, Repeat};
use cocoach_doc::{ActionStatus, Date, MeetingTime, Partnership, Slot};
use cocoach_i18n::{Tr, tr};
use icalendar::{Calendar, Component, Event, EventLike, Property};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, civil};

use crate::term::esay;

/// A calendar file and what the user should know about it.
#[derive(Debug, Clone)]
pub struct Ics {
    /// The `.ics` text, CRLF line ends.
    pub text: String,
    /// Why the meetings are missing, if they are (the actions are there anyway).
    pub no_meetings: Option<NoPlan>,
    /// The meetings are written in floating local time: the zone has no IANA name.
    pub floating: bool,
}

/// The calendar of `p` on `today`, meeting times in `tz`, words in `tr`'s language.
pub fn ics(tr: &Tr, p: &Partnership, tz: &TimeZone, today: Date) -> Ics {
    let (a, b) = (one_line(&p.name(Slot::A)), one_line(&p.name(Slot::B)));
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        concat!("-//cocoach//cocoach ", env!("CARGO_PKG_VERSION"), "//EN"),
    ));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.append_property(Property::new(
        "X-WR-CALNAME",
        tr!(tr, "calendar-name", a = a.as_str(), b = b.as_str()),
    ));
    let head_len = cal.to_string().len() - "END:VCALENDAR\r\n".len();

    let plan = p.meeting_plan(today);
    let zone = tz.iana_name().map(str::to_string);
    let mut vtimezone = None;
    let mut floating = false;
    if let Ok(plan) = &plan {
        let summary = tr!(
            tr,
            "calendar-meeting-summary",
            a = a.as_str(),
            b = b.as_str()
        );
        let (event, span) = meetings(tr, p, plan, tz, zone.as_deref(), &summary);
        cal.push(event);
        // Only a timed series names a zone (all-day dates are the same everywhere).
        if let (Some((from, until)), Some(name)) = (span, zone.as_deref()) {
            vtimezone = Some(vtimezone_of(tz, name, from, until));
        }
        floating = plan.time.is_some() && zone.is_none();
    }
    for act in &p.actions {
        let (ActionStatus::Open, Some(due)) = (act.status, act.deadline) else {
            continue;
        };
        let mut e = Event::new();
        e.uid(&format!("action.{}.{}@cocoach", act.id, p.id))
            .summary(&tr!(
                tr,
                "calendar-action-summary",
                what = one_line(&act.what),
                owner = one_line(&p.name(act.owner))
            ))
            .append_property(date_property("DTSTART", due))
            .append_property(date_property("DTEND", due.add_days(1).unwrap_or(due)))
            // A deadline takes no time in the day.
            .add_property("TRANSP", "TRANSPARENT");
        cal.push(e);
    }

    let mut text = cal.to_string();
    if let Some(vt) = vtimezone {
        // RFC 5545 lets components come in any order; some readers want a zone
        // defined before it is used, so it goes first, after the calendar's properties.
        text.insert_str(head_len, &vt);
    }
    Ics {
        text,
        no_meetings: plan.err(),
        floating,
    }
}

/// The meetings' repeating event, and the span of instants it covers (for the zone's
/// transitions): from the first meeting to the last, or ten years on without an end.
fn meetings(
    tr: &Tr,
    p: &Partnership,
    plan: &MeetingPlan,
    tz: &TimeZone,
    zone: Option<&str>,
    summary: &str,
) -> (Event, Option<(Timestamp, Timestamp)>) {
    let mut e = Event::new();
    e.uid(&format!("meetings.{}@cocoach", p.id))
        .summary(summary);
    if !plan.place.is_empty() {
        e.location(&one_line(&plan.place));
    }
    let mut rule = match plan.repeat {
        Repeat::Weeks(n) => format!("FREQ=WEEKLY;INTERVAL={n}"),
        // The month's last day when it is shorter than the first meeting's day: the
        // latest of 28…day that the month has.
        Repeat::Monthly if plan.first.day() > 28 => {
            let days: Vec<String> = (28..=plan.first.day()).map(|d| d.to_string()).collect();
            format!(
                "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY={};BYSETPOS=-1",
                days.join(",")
            )
        }
        Repeat::Monthly => "FREQ=MONTHLY;INTERVAL=1".to_string(),
    };
    let mut span = None;
    match plan.time {
        Some(time) => {
            let start = at(plan.first, time);
            let mut dtstart = Property::new("DTSTART", basic_datetime(start));
            if let Some(name) = zone {
                dtstart.add_parameter("TZID", name);
            }
            e.append_property(dtstart)
                .add_property("DURATION", format!("PT{}M", plan.minutes))
                .description(&tr!(
                    tr,
                    "calendar-meeting-description",
                    minutes = plan.minutes
                ));
            match plan.ends {
                Ends::Count(n) => rule.push_str(&format!(";COUNT={n}")),
                Ends::Until(end) => {
                    // Through the end day: its last second, in UTC when the start has a
                    // zone (RFC 5545 3.3.10), in the same local time when floating.
                    let last = civil::DateTime::from_parts(end.civil(), civil::time(23, 59, 59, 0));
                    let until = match (zone, tz.to_timestamp(last)) {
                        (Some(_), Ok(ts)) => format!("{}Z", basic_datetime(utc(ts))),
                        _ => basic_datetime(last),
                    };
                    rule.push_str(&format!(";UNTIL={until}"));
                }
                Ends::Never => {}
            }
            let from = tz.to_timestamp(start).ok();
            let until = match plan.last {
                Some(d) => tz.to_timestamp(at(d, time)).ok(),
                None => {
                    from.and_then(|f| f.checked_add(SignedDuration::from_hours(24 * 3653)).ok())
                }
            };
            span = from.zip(until);
        }
        None => {
            e.append_property(date_property("DTSTART", plan.first))
                .add_property("DURATION", "P1D")
                .description(&tr!(
                    tr,
                    "calendar-meeting-description-all-day",
                    minutes = plan.minutes
                ));
            match plan.ends {
                Ends::Count(n) => rule.push_str(&format!(";COUNT={n}")),
                Ends::Until(end) => rule.push_str(&format!(";UNTIL={}", basic_date(end))),
                Ends::Never => {}
            }
        }
    }
    e.add_property("RRULE", rule);
    (e, span)
}

/// `VTIMEZONE` for `tz` over `from..=until`: the observance in force at `from` and
/// every transition up to `until`, each as its own STANDARD or DAYLIGHT part with the
/// zone's own offsets and abbreviation. Exact over the span; calendar apps that know
/// the IANA name (most) use their own rules and this only as a fallback.
fn vtimezone_of(tz: &TimeZone, name: &str, from: Timestamp, until: Timestamp) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VTIMEZONE");
    line(&mut out, &format!("TZID:{name}"));
    let before = |t: Timestamp| {
        let just_before = t.checked_sub(SignedDuration::from_secs(1)).unwrap_or(t);
        tz.to_offset(just_before)
    };
    let in_force = tz
        .preceding(
            from.checked_add(SignedDuration::from_secs(1))
                .unwrap_or(from),
        )
        .next();
    let in_force_at = in_force.as_ref().map(|t| t.timestamp());
    let mut parts: Vec<_> = in_force.into_iter().collect();
    parts.extend(
        tz.following(from)
            .filter(|t| Some(t.timestamp()) != in_force_at)
            .take_while(|t| t.timestamp() <= until),
    );
    if parts.is_empty() {
        // A zone without transitions: one observance since 1970.
        let off = tz.to_offset(from);
        let abbr = tz.to_offset_info(from).abbreviation().to_string();
        observance(&mut out, "STANDARD", "19700101T000000", off, off, &abbr);
    }
    for t in parts {
        let from_off = before(t.timestamp());
        let onset = basic_datetime(from_off.to_datetime(t.timestamp()));
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        observance(
            &mut out,
            kind,
            &onset,
            from_off,
            t.offset(),
            t.abbreviation(),
        );
    }
    line(&mut out, "END:VTIMEZONE");
    out
}

fn observance(
    out: &mut String,
    kind: &str,
    onset: &str,
    from: jiff::tz::Offset,
    to: jiff::tz::Offset,
    abbreviation: &str,
) {
    line(out, &format!("BEGIN:{kind}"));
    line(out, &format!("DTSTART:{onset}"));
    line(out, &format!("TZOFFSETFROM:{}", utc_offset(from)));
    line(out, &format!("TZOFFSETTO:{}", utc_offset(to)));
    let abbreviation = one_line(abbreviation);
    if !abbreviation.is_empty() && abbreviation.chars().all(|c| c.is_ascii_graphic()) {
        line(out, &format!("TZNAME:{abbreviation}"));
    }
    line(out, &format!("END:{kind}"));
}

fn line(out: &mut String, l: &str) {
    out.push_str(l);
    out.push_str("\r\n");
}

/// `+0100`, `-0330`, `+054500` (seconds only when there are some).
fn utc_offset(o: jiff::tz::Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    let (h, m, sec) = (a / 3600, a / 60 % 60, a % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

fn at(d: Date, t: MeetingTime) -> civil::DateTime {
    let time = civil::Time::new(
        i8::try_from(t.hour()).unwrap_or(0),
        i8::try_from(t.minute()).unwrap_or(0),
        0,
        0,
    )
    .unwrap_or(civil::Time::midnight());
    civil::DateTime::from_parts(d.civil(), time)
}

fn utc(ts: Timestamp) -> civil::DateTime {
    TimeZone::UTC.to_datetime(ts)
}

/// `20261120T190000`.
fn basic_datetime(dt: civil::DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `20261120`.
fn basic_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn date_property(key: &str, d: Date) -> Property {
    let mut p = Property::new(key, basic_date(d));
    p.add_parameter("VALUE", "DATE");
    p
}

/// Text from the document as one calendar line: whitespace (newlines included)
/// folded to single spaces, and anything that could steer a terminal replaced, as
/// everywhere the command line prints (the file may well be printed).
fn one_line(s: &str) -> String {
    crate::term::clean(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cocoach export --format ics`: write the calendar to `output` or standard output,
/// and say on standard error why the meetings are missing, if they are.
pub fn export(tr: &Tr, p: &Partnership, output: Option<PathBuf>) -> Result<()> {
    let tz = TimeZone::system();
    let cal = ics(tr, p, &tz, Date::today_in(&tz));
    if let Some(why) = cal.no_meetings {
        esay!("{}", why.text(tr));
    }
    if cal.floating {
        esay!("{}", tr!(tr, "calendar-floating"));
    }
    match output {
        Some(path) => std::fs::write(&path, &cal.text)
            .with_context(|| tr!(tr, "cli-cannot-write", path = path.display().to_string()))?,
        // Raw: the line ends are CRLF, which the terminal cleaning would mark; every
        // piece of text from the document was cleaned above.
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(cal.text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use cocoach_doc::{ContractField, DeviceIdentity, PartnershipDoc};
    use cocoach_i18n::Lang;

    fn partnership(time: &str, action: &str) -> Partnership {
        let id = DeviceIdentity::from_seed([7; 32]);
        let mut doc = PartnershipDoc::create("Ana", &id).unwrap();
        for (f, v) in [
            (ContractField::Frequency, "weekly"),
            (ContractField::TermStart, "2027-01-04"),
            (ContractField::TermSessions, "3"),
            (ContractField::MeetingTime, time),
        ] {
            doc.set_contract(f, v).unwrap();
        }
        doc.add_action(Slot::A, action, Date::new(2027, 1, 8), None)
            .unwrap();
        doc.read().unwrap()
    }

    fn today() -> Date {
        Date::new(2026, 12, 1).unwrap()
    }

    #[test]
    fn a_zone_without_a_name_gives_floating_times_and_says_so() {
        let tr = Tr::get(Lang::En);
        let tz = TimeZone::fixed(jiff::tz::offset(3));
        let cal = ics(&tr, &partnership("19:00", "Email Jana"), &tz, today());
        assert!(cal.floating);
        assert!(
            cal.text.contains("\r\nDTSTART:20270104T190000\r\n"),
            "{}",
            cal.text
        );
        assert!(!cal.text.contains("VTIMEZONE") && !cal.text.contains("TZID"));
        // By agreement: all-day, nothing floats.
        let cal = ics(&tr, &partnership("", "Email Jana"), &tz, today());
        assert!(!cal.floating);
        assert!(cal.text.contains("\r\nDTSTART;VALUE=DATE:20270104\r\n"));
    }

    #[test]
    fn the_zone_is_described_by_its_own_transitions() {
        let tr = Tr::get(Lang::En);
        // Sydney is on summer time in January (UTC+11), which ends in April.
        let tz = TimeZone::get("Australia/Sydney").unwrap();
        let cal = ics(&tr, &partnership("07:30", "x"), &tz, today());
        let vt = &cal.text[cal.text.find("BEGIN:VTIMEZONE").unwrap()..];
        let vt = &vt[..vt.find("END:VTIMEZONE").unwrap()];
        assert!(vt.contains("TZID:Australia/Sydney\r\n"), "{vt}");
        // In force on 4 January: summer time since October 2026; three weekly
        // meetings end before April, so no later transition is listed.
        assert!(
            vt.contains("BEGIN:DAYLIGHT\r\nDTSTART:20261004T020000\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nTZNAME:AEDT\r\n"),
            "{vt}"
        );
        assert_eq!(vt.matches("BEGIN:STANDARD").count(), 0, "{vt}");
        // A zone that never changes: one observance.
        let cal = ics(&tr, &partnership("07:30", "x"), &TimeZone::UTC, today());
        assert!(cal.text.contains("TZID:UTC\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n"), "{}", cal.text);
    }

    #[test]
    fn text_from_the_document_stays_on_one_clean_line() {
        let tr = Tr::get(Lang::Nl);
        let p = partnership("19:00", "Bel Jana\r\nen vraag\u{1b}[31m naar UX");
        let cal = ics(&tr, &p, &TimeZone::UTC, today());
        assert!(
            cal.text
                .contains("SUMMARY:Actie: Bel Jana en vraag[31m naar UX (Ana)\r\n"),
            "{}",
            cal.text
        );
        assert!(!cal.text.contains('\u{1b}'));
        assert_eq!(
            utc_offset(jiff::tz::Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap()),
            "-0330"
        );
        assert_eq!(
            utc_offset(jiff::tz::Offset::from_seconds(1172).unwrap()),
            "+001932"
        );
    }
}
