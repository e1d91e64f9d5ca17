//! `cocoach export --format ics`, driven as a user would, and read back with an
//! independent iCalendar parser (the `ical` crate, not the `icalendar` crate that
//! writes it): the meetings as one repeating event at the contract's time in the
//! user's zone, the open actions' deadlines, and UIDs that stay the same.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::io::BufReader;
use std::path::Path;
use std::process::Output;

use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

const ZONE: &str = "Europe/Amsterdam";

fn cocoach(dir: &Path, args: &[&str]) -> Output {
    support::in_dir(dir, args)
        .env("TZ", ZONE)
        .output()
        .expect("run cocoach")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    support::ok(cocoach(dir, args), &format!("cocoach {args:?}"))
}

fn parse(text: &str) -> IcalCalendar {
    let mut cals = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = cals
        .next()
        .expect("one calendar")
        .expect("a calendar that parses");
    assert!(cals.next().is_none(), "exactly one calendar");
    cal
}

fn prop<'a>(props: &'a [Property], name: &str) -> &'a Property {
    let all: Vec<_> = props.iter().filter(|p| p.name == name).collect();
    assert_eq!(all.len(), 1, "exactly one {name} in {props:#?}");
    all[0]
}

fn value<'a>(props: &'a [Property], name: &str) -> &'a str {
    prop(props, name).value.as_deref().unwrap_or_default()
}

fn param<'a>(p: &'a Property, name: &str) -> Option<&'a str> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.first())
        .map(String::as_str)
}

fn has(e: &IcalEvent, name: &str) -> bool {
    e.properties.iter().any(|p| p.name == name)
}

fn basic(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

fn uids(cal: &IcalCalendar) -> Vec<String> {
    cal.events
        .iter()
        .map(|e| value(&e.properties, "UID").to_string())
        .collect()
}

#[test]
fn meetings_and_open_deadlines_become_a_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let tz = TimeZone::get(ZONE).unwrap();
    // Dates from today on, so the term is never over whenever the test runs.
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let start = today.checked_add(10.days()).unwrap();
    let end = start.checked_add(200.days()).unwrap();
    let due1 = today.checked_add(3.days()).unwrap();
    let due2 = today.checked_add(40.days()).unwrap();
    let (s, e) = (start.to_string(), end.to_string());

    ok(d, &["init", "--name", "Ana Müller"]);
    ok(d, &["contract", "set", "frequency", "fortnightly"]);
    ok(d, &["contract", "set", "term_start", &s]);
    ok(d, &["contract", "set", "term_end", &e]);
    ok(d, &["contract", "set", "term_sessions", "6"]);
    ok(d, &["contract", "set", "place", "Café Zürich"]);
    ok(d, &["contract", "set", "session_minutes", "75"]);
    ok(d, &["contract", "set", "meeting-time", "19:00"]);
    let shown = ok(d, &["contract", "show"]);
    assert!(shown.contains("meeting_time: 19:00"), "{shown}");
    let bad = cocoach(d, &["contract", "set", "meeting-time", "7pm"]);
    assert!(!bad.status.success(), "7pm is not HH:MM");

    let a1 = ok(
        d,
        &[
            "action",
            "add",
            "Call Jana, ask about UX",
            "--due",
            &due1.to_string(),
        ],
    );
    let a2 = ok(
        d,
        &["action", "add", "Update CV", "--due", &due2.to_string()],
    );
    let done = ok(
        d,
        &["action", "add", "Book the café", "--due", &due1.to_string()],
    );
    let dropped = ok(
        d,
        &[
            "action",
            "add",
            "Cold-call ten firms",
            "--due",
            &due2.to_string(),
        ],
    );
    ok(d, &["action", "done", done.trim()]);
    ok(d, &["action", "drop", dropped.trim()]);

    let file = d.join("cocoach.ics");
    ok(
        d,
        &[
            "export",
            "--format",
            "ics",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    let cal = parse(&text);
    assert_eq!(value(&cal.properties, "VERSION"), "2.0");

    // The meetings: one repeating event.
    let series: Vec<_> = cal.events.iter().filter(|e| has(e, "RRULE")).collect();
    assert_eq!(series.len(), 1, "one repeating event: {text}");
    let m = &series[0].properties;
    // Six sessions end before the end date: the count ends the series.
    assert_eq!(value(m, "RRULE"), "FREQ=WEEKLY;INTERVAL=2;COUNT=6");
    let dtstart = prop(m, "DTSTART");
    assert_eq!(param(dtstart, "TZID"), Some(ZONE));
    assert_eq!(
        dtstart.value.as_deref(),
        Some(format!("{}T190000", basic(start)).as_str()),
        "the first meeting at 19:00 local time"
    );
    assert_eq!(value(m, "LOCATION"), "Café Zürich");
    assert_eq!(value(m, "DURATION"), "PT75M");
    assert_eq!(value(m, "SUMMARY"), "Co-coaching: Ana Müller & Partner B");

    // The zone is defined in the file, and its observance at the first meeting has
    // the offset the time zone database gives for that evening.
    assert_eq!(cal.timezones.len(), 1);
    let vtz = &cal.timezones[0];
    assert_eq!(value(&vtz.properties, "TZID"), ZONE);
    let first = DateTime::from_parts(start, jiff::civil::time(19, 0, 0, 0));
    let in_force = vtz
        .transitions
        .iter()
        .filter(|t| {
            let onset: DateTime =
                jiff::fmt::strtime::parse("%Y%m%dT%H%M%S", value(&t.properties, "DTSTART"))
                    .unwrap()
                    .to_datetime()
                    .unwrap();
            onset <= first
        })
        .max_by_key(|t| value(&t.properties, "DTSTART").to_string())
        .expect("an observance in force at the first meeting");
    let offset = tz.to_zoned(first).unwrap().offset();
    let h = offset.seconds() / 3600;
    assert_eq!(
        value(&in_force.properties, "TZOFFSETTO"),
        format!("+{h:02}00"),
        "Amsterdam is UTC+1 or UTC+2"
    );

    // The deadlines: one all-day event per open action, on its day.
    let deadlines: Vec<_> = cal.events.iter().filter(|e| !has(e, "RRULE")).collect();
    assert_eq!(
        deadlines.len(),
        2,
        "two open actions, not the done or dropped: {text}"
    );
    let by_summary = |s: &str| {
        deadlines
            .iter()
            .find(|e| value(&e.properties, "SUMMARY") == s)
            .unwrap_or_else(|| panic!("no event {s:?} in {text}"))
    };
    for (summary, due) in [
        (r"Action: Call Jana\, ask about UX (Ana Müller)", due1),
        ("Action: Update CV (Ana Müller)", due2),
    ] {
        let ev = by_summary(summary);
        let start = prop(&ev.properties, "DTSTART");
        assert_eq!(param(start, "VALUE"), Some("DATE"));
        assert_eq!(start.value.as_deref(), Some(basic(due).as_str()));
    }
    assert!(!text.contains("Book the café") && !text.contains("Cold-call"));
    let ids = uids(&cal);
    assert!(ids.iter().any(|u| u.contains(a1.trim())) && ids.iter().any(|u| u.contains(a2.trim())));

    // A second export (to standard output) has the same UIDs: a re-import updates.
    let again = parse(&ok(d, &["export", "--format", "ics"]));
    assert_eq!(uids(&again), ids);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "every UID is its own");

    // Without a number of sessions the end date ends the series: through the end
    // day in Amsterdam, written in UTC (RFC 5545 for a start with a zone).
    ok(d, &["contract", "set", "term_sessions", ""]);
    let cal = parse(&ok(d, &["export", "--format", "ics"]));
    let series = cal.events.iter().find(|e| has(e, "RRULE")).unwrap();
    let until = tz
        .to_zoned(DateTime::from_parts(end, jiff::civil::time(23, 59, 59, 0)))
        .unwrap()
        .timestamp()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    assert_eq!(
        value(&series.properties, "RRULE"),
        format!("FREQ=WEEKLY;INTERVAL=2;UNTIL={until}")
    );

    // The time by agreement: all-day meetings, no zone, the same UID.
    ok(d, &["contract", "set", "meeting_time", ""]);
    assert!(ok(d, &["contract", "show"]).contains("meeting_time: by agreement"));
    let cal = parse(&ok(d, &["export", "--format", "ics"]));
    let series = cal.events.iter().find(|e| has(e, "RRULE")).unwrap();
    let dtstart = prop(&series.properties, "DTSTART");
    assert_eq!(param(dtstart, "VALUE"), Some("DATE"));
    assert_eq!(dtstart.value.as_deref(), Some(basic(start).as_str()));
    assert_eq!(
        value(&series.properties, "RRULE"),
        format!("FREQ=WEEKLY;INTERVAL=2;UNTIL={}", basic(end))
    );
    assert!(cal.timezones.is_empty());
    assert_eq!(uids(&cal), ids);
}

#[test]
fn without_a_plan_the_deadlines_are_still_written_and_the_reason_said() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Bo"]);
    ok(d, &["contract", "set", "frequency", "every third Tuesday"]);
    ok(d, &["action", "add", "Email Jana", "--due", "2031-05-02"]);
    let out = cocoach(d, &["export", "--format", "ics"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let text = support::ok(out, "export");
    assert!(err.contains("No meetings in the calendar"), "{err}");
    let cal = parse(&text);
    assert_eq!(cal.events.len(), 1);
    assert_eq!(value(&cal.events[0].properties, "DTSTART"), "20310502");

    // In Dutch.
    let nl = support::cocoach()
        .env("COCOACH_LANG", "nl")
        .arg("--data-dir")
        .arg(d)
        .args(["export", "--format", "ics"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&nl.stderr).to_string();
    let text = support::ok(nl, "export in Dutch");
    assert!(err.contains("Geen sessies in de agenda"), "{err}");
    assert!(text.contains("SUMMARY:Actie: Email Jana (Bo)"), "{text}");
}
