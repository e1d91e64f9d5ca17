//! `cocoach remind`, run as cron would run it: on a machine with no notification
//! service, each reminder due is printed (never lost, never a failed run), once.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::process::Output;

/// `cocoach` on `dir` in UTC, with a session bus that is not there: no
/// notification can be shown.
fn cocoach(dir: &Path, args: &[&str]) -> Output {
    support::in_dir(dir, args)
        .env("TZ", "UTC")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/cocoach-test/bus",
        )
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .expect("run cocoach")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    support::ok(cocoach(dir, args), &format!("cocoach {args:?}"))
}

fn tomorrow_utc() -> String {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    today.tomorrow().unwrap().to_string()
}

#[test]
fn an_action_due_tomorrow_is_reminded_once_and_printed_without_a_notification_service() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    let due = tomorrow_utc();
    ok(d, &["action", "add", "Send my CV to Acme", "--due", &due]);
    // Quiet hours off, so the test holds at any hour.
    let first = ok(d, &["remind", "--quiet-hours", "off"]);
    let line = "Reminder: Due tomorrow — Your action “Send my CV to Acme” is due tomorrow";
    assert_eq!(first.matches(line).count(), 1, "{first}");
    assert!(first.contains("No quiet hours"), "{first}");
    // The second run, as cron a quarter of an hour later: sent already, and
    // nothing else to say (no terminal: nothing for cron to mail).
    let second = ok(d, &["remind"]);
    assert_eq!(second, "", "reported once only");
    // One row remembered, readable without cocoach.
    let db = rusqlite::Connection::open(d.join("device.sqlite3")).unwrap();
    let keys: Vec<String> = db
        .prepare("SELECT key FROM reminders_sent")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert!(
        keys[0].starts_with("due-tomorrow:") && keys[0].ends_with(&due),
        "{keys:?}"
    );
}

#[test]
fn quiet_hours_are_stored_and_nonsense_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    let out = ok(d, &["remind", "--quiet-hours", "22:00-07:00"]);
    assert!(out.contains("Quiet hours are now 22:00–07:00"), "{out}");
    let db = rusqlite::Connection::open(d.join("device.sqlite3")).unwrap();
    let v: String = db
        .query_row(
            "SELECT value FROM settings WHERE key = 'quiet_hours'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, "22:00-07:00");
    let bad = cocoach(d, &["remind", "--quiet-hours", "25:00-07:00"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("is not a time range like 22:00-07:00"),
        "{err}"
    );
    let v: String = db
        .query_row(
            "SELECT value FROM settings WHERE key = 'quiet_hours'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, "22:00-07:00", "kept");
}

/// With the window open on the data directory (here: its lock held), cron's run
/// leaves the reminding to the window: no failure for cron to report, nothing
/// sent twice.
#[test]
fn with_the_window_open_remind_leaves_it_to_the_window_and_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    ok(
        d,
        &[
            "action",
            "add",
            "Send my CV to Acme",
            "--due",
            &tomorrow_utc(),
        ],
    );
    ok(d, &["remind", "--quiet-hours", "off"]);
    ok(d, &["action", "add", "Call Jana", "--due", "2026-01-01"]);
    let lock = cocoach_store::DataDir::new(d).lock().unwrap();
    assert_eq!(ok(d, &["remind"]), "");
    // Quiet hours cannot be set meanwhile: that is an error, said so.
    let out = cocoach(d, &["remind", "--quiet-hours", "22:00-07:00"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already using"));
    drop(lock);
    // Closed again: what waited is sent now.
    let out = ok(d, &["remind"]);
    assert!(
        out.contains("“Call Jana” was due on 1 January 2026"),
        "{out}"
    );
    assert!(!out.contains("Send my CV"), "{out}");
}
