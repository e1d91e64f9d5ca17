//! The `cocoach` command line, driven as a user would: init, scripted edits, export,
//! history, and clear errors on bad input or damaged files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::process::Output;

fn cocoach(dir: &Path, args: &[&str]) -> Output {
    support::cocoach()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run cocoach")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cocoach(dir, args);
    assert!(
        out.status.success(),
        "cocoach {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let out = cocoach(dir, args);
    assert!(!out.status.success(), "cocoach {args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !err.contains("panicked"),
        "cocoach {args:?} panicked: {err}"
    );
    err
}

#[test]
fn a_whole_partnership_scripted_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana Müller"]);
    ok(d, &["contract", "set", "place", "Café Zürich"]);
    ok(d, &["contract", "set", "frequency", "fortnightly"]);
    ok(d, &["contract", "set", "term_end", "2027-03-01"]);
    ok(d, &["contract", "add-rule", "Phones away"]);
    ok(d, &["contract", "off-limits", "my divorce"]);
    let s = ok(d, &["session", "new", "--date", "2026-11-20"])
        .trim()
        .to_string();
    ok(
        d,
        &[
            "notes",
            "append",
            "--session",
            &s[..5],
            "--field",
            "goal",
            "UX research in six months 🎯",
        ],
    );
    ok(
        d,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--field",
            "reality",
            "Strong in interviews",
        ],
    );
    ok(
        d,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--field",
            "options",
            "Ask Jana",
        ],
    );
    ok(
        d,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--field",
            "options",
            "Evening course",
        ],
    );
    ok(d, &["session", "decline", &s]);
    let a = ok(
        d,
        &[
            "action",
            "add",
            "Email Jana",
            "--due",
            "2026-11-27",
            "--session",
            &s,
        ],
    )
    .trim()
    .to_string();
    ok(d, &["action", "obstacle", &a, "no time"]);
    ok(d, &["action", "done", &a, "--celebrate", "She said yes!"]);
    ok(d, &["reflect", "Nervous but hopeful", "--session", &s]);

    let md = ok(d, &["export", "--format", "markdown"]);
    for want in [
        "Ana Müller",
        "Where: Café Zürich",
        "until 2027-03-01",
        "1. Phones away",
        "my divorce",
        "UX research in six months 🎯",
        "- Ask Jana",
        "- Evening course",
        "Declined a topic 1 time",
        "[x] Email Jana — due 2026-11-27 — done",
        "Obstacles: no time",
        "Celebrated: She said yes!",
    ] {
        assert!(md.contains(want), "export lacks {want:?}:\n{md}");
    }
    assert!(
        !md.contains("Nervous"),
        "the private journal leaked into the export"
    );
    assert!(ok(d, &["journal", "search", "hopeful"]).contains("Nervous but hopeful"));

    let out = tmp.path().join("out.md");
    ok(d, &["export", "--output", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), md);

    let history = ok(d, &["history"]);
    assert!(
        history.contains("Ana Müller: create the partnership"),
        "{history}"
    );
    assert!(history.contains("complete an action"), "{history}");
    // The partnership as it was after its first change: no session yet.
    let first = history
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let then = ok(d, &["history", "--at", first]);
    assert!(then.contains("No sessions yet."), "{then}");

    let status = ok(d, &["status"]);
    assert!(
        status.contains("sessions: 1  actions: 1 (0 open)"),
        "{status}"
    );
    // Signing needs the partner, who has not joined.
    assert!(fails(d, &["contract", "sign"]).contains("partner has not joined"));
}

#[test]
fn bad_input_gives_clear_errors_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    assert!(fails(d, &["status"]).contains("no partnership"));
    let typo = d.join("no-such-dir");
    assert!(fails(&typo, &["status"]).contains("no cocoach data"));
    assert!(!typo.exists(), "a mistyped --data-dir must not be created");
    ok(d, &["init", "--name", "Bo"]);
    assert!(fails(d, &["init", "--name", "Bo"]).contains("already holds a partnership"));
    let before = ok(d, &["export"]);
    assert!(fails(d, &["contract", "set", "colour", "blue"]).contains("unknown contract field"));
    assert!(fails(d, &["contract", "set", "turns", "sideways"]).contains("alternate"));
    assert!(fails(d, &["contract", "set", "session_minutes", "ninety"]).contains("whole number"));
    assert!(fails(d, &["action", "add", "x", "--due", "2026-02-30"]).contains("YYYY-MM-DD"));
    assert!(fails(d, &["action", "done", "nope"]).contains("no action"));
    assert!(
        fails(
            d,
            &["notes", "append", "--session", "zz", "--field", "goal", "x"]
        )
        .contains("no session")
    );
    let s = ok(d, &["session", "new"]).trim().to_string();
    assert!(fails(d, &["session", "close", &s]).contains("at least one action"));
    ok(
        d,
        &[
            "session",
            "close",
            &s,
            "--skip-reason",
            "we ran out of time",
        ],
    );
    assert!(fails(d, &["reflect", "  "]).contains("must not be empty"));
    assert_ne!(ok(d, &["export"]), before, "the valid edits did land");
}

#[test]
fn a_damaged_database_is_named_and_kept_aside() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    ok(d, &["reflect", "still here"]);
    let db = d.join("partnership.sqlite3");
    let mut bytes = std::fs::read(&db).unwrap();
    bytes.truncate(bytes.len() - 1000);
    std::fs::write(&db, &bytes).unwrap();
    let err = fails(d, &["export"]);
    assert!(
        err.contains(&db.display().to_string()) && err.contains("damaged"),
        "{err}"
    );
    assert!(err.contains("a copy is kept at"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "damaged file was modified"
    );
    // The private journal is a separate file and still readable.
    assert!(ok(d, &["journal", "list"]).contains("still here"));
}

#[test]
fn only_one_program_uses_a_data_directory_at_a_time() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    let lock = std::fs::File::options()
        .write(true)
        .open(d.join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    assert!(fails(d, &["status"]).contains("already using"));
    drop(lock);
    ok(d, &["status"]);
}

/// `cocoach demo` sets up two partners in two data directories, paired over
/// loopback (each knows the other), reuses them next time, and `--reset` starts
/// afresh.
#[test]
fn the_demo_pairs_two_partners_over_loopback() {
    let home = tempfile::tempdir().unwrap();
    let demo = home.path().join("demo");
    let d = demo.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = support::cocoach()
            .args(["demo", "--dir", d, "--no-window"])
            .args(args)
            .output()
            .expect("run cocoach demo");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "cocoach demo failed: {err}");
        err
    };
    assert!(run(&[]).contains("Pairing the two demo partners"));
    // One log for both partners beside their data (what it may hold: cli_logs.rs).
    let log = std::fs::read_to_string(demo.join("logs/cocoach.log")).unwrap();
    assert!(
        log.contains("pairing (host)") && log.contains("pairing (guest)"),
        "{log}"
    );
    let ana = ok(&demo.join("ana"), &["status"]);
    let bo = ok(&demo.join("bo"), &["status"]);
    assert!(
        ana.contains("partner B: Bo") && ana.contains("(you)"),
        "{ana}"
    );
    assert!(bo.contains("partner A: Ana"), "{bo}");
    // Bo joined through Ana's loopback address and keeps it to reconnect.
    assert!(bo.contains("last known addresses: 127.0.0.1:"), "{bo}");
    let id = |s: &str| s.lines().next().unwrap_or_default().to_string();
    assert_eq!(id(&ana), id(&bo), "one partnership");

    // The next run reuses the pair; --reset makes a new one.
    assert!(!run(&[]).contains("Pairing"));
    assert_eq!(id(&ok(&demo.join("ana"), &["status"])), id(&ana));
    assert!(run(&["--reset"]).contains("Pairing"));
    assert_ne!(id(&ok(&demo.join("ana"), &["status"])), id(&ana));
}

/// A compaction that fails after the edit was saved must not report the edit as
/// failed: the user (or a script) would retry, and the edit would happen twice.
/// The fault is injected with an SQLite trigger that refuses every new snapshot.
#[test]
fn an_edit_saved_before_a_failed_compaction_is_reported_saved_and_kept_once() {
    use cocoach_doc::ContractField;
    use cocoach_store::{COMPACT_THRESHOLD, DataDir, PartnershipStore};
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    // Enough change rows that the next edit compacts.
    {
        let dir = DataDir::new(d);
        let (mut store, mut doc, _) = PartnershipStore::open(&dir, None).unwrap();
        for i in 0..COMPACT_THRESHOLD {
            doc.set_contract(ContractField::QuestionStyle, &format!("style {i}"))
                .unwrap();
            doc.commit();
            store.save(&mut doc).unwrap();
        }
        assert!(store.change_rows().unwrap() >= COMPACT_THRESHOLD);
    }
    let db = rusqlite::Connection::open(d.join("partnership.sqlite3")).unwrap();
    db.execute_batch(
        "CREATE TRIGGER no_snapshots BEFORE INSERT ON snapshots
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END;",
    )
    .unwrap();

    let out = cocoach(d, &["action", "add", "Email Jana", "--due", "2026-12-10"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the saved edit was reported as failed: {err}"
    );
    assert!(
        err.contains("warning"),
        "the failed compaction is not mentioned: {err}"
    );
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(id.len(), 12, "the new action's id is printed: {id:?}");

    // Saved exactly once, before and after a compaction that works again.
    let list = ok(d, &["action", "list"]);
    assert_eq!(list.matches("Email Jana").count(), 1, "{list}");
    db.execute_batch("DROP TRIGGER no_snapshots").unwrap();
    ok(d, &["contract", "set", "place", "Library"]);
    let rows: i64 = db
        .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
        .unwrap();
    assert!(rows < 10, "the next edit compacted ({rows} rows left)");
    let list = ok(d, &["action", "list"]);
    assert_eq!(list.matches("Email Jana").count(), 1, "{list}");
    assert!(list.contains(&id), "{list}");
}

/// "Today" is the user's day, not UTC's. Kiritimati (UTC+14) and Pago Pago (UTC−11)
/// lie on either side of midnight UTC: at any moment at least one of them is on a
/// different date than UTC, so a UTC "today" fails here whenever the test runs.
#[test]
fn today_and_overdue_follow_the_users_time_zone() {
    for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
        let tz = jiff::tz::TimeZone::get(zone).unwrap();
        loop {
            let today = cocoach_doc::Date::today_in(&tz);
            let tmp = tempfile::tempdir().unwrap();
            let d = tmp.path();
            let run = |args: &[&str]| {
                let out = support::cocoach()
                    .env("TZ", zone)
                    .arg("--data-dir")
                    .arg(d)
                    .args(args)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{zone} {args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8(out.stdout).unwrap()
            };
            run(&["init", "--name", "Ana"]);
            run(&["session", "new"]);
            let yesterday = today.add_days(-1).unwrap().to_string();
            let today_s = today.to_string();
            run(&["action", "add", "Due yesterday", "--due", &yesterday]);
            run(&["action", "add", "Due today", "--due", &today_s]);
            let sessions = run(&["session", "list"]);
            let actions = run(&["action", "list"]);
            if cocoach_doc::Date::today_in(&tz) != today {
                continue; // midnight passed in that zone while we ran: again
            }
            assert!(
                sessions.contains(&today_s),
                "{zone}: a new session is dated today ({today_s}): {sessions}"
            );
            let line = |what: &str| {
                actions
                    .lines()
                    .find(|l| l.contains(what))
                    .unwrap()
                    .to_string()
            };
            assert!(
                line("Due yesterday").contains("(overdue)"),
                "{zone}: {actions}"
            );
            assert!(
                !line("Due today").contains("(overdue)"),
                "{zone}: due today is not overdue: {actions}"
            );
            break;
        }
    }
}

/// Text from the shared document never steers the terminal. A partner's device can
/// write anything into the document (here: terminal escapes in the place, the
/// partner's name and a note, put there through Automerge directly): `status`,
/// `contract show`, `conflicts` and `export` print it with every control character
/// and direction override replaced, and the words themselves still there.
#[test]
fn escape_sequences_from_the_document_never_reach_the_terminal() {
    use cocoach_doc::automerge::{ObjId, ROOT, ReadDoc, transaction::Transactable};
    use cocoach_store::{DataDir, PartnershipStore};
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana"]);
    let evil = "Lib\x1b]0;owned\x07rary\x1b[2J\u{202E}txet";
    {
        let (mut store, mut doc, _) = PartnershipStore::open(&DataDir::new(d), None).unwrap();
        let am = doc.automerge_mut();
        fn get(am: &cocoach_doc::automerge::AutoCommit, obj: &ObjId, k: &str) -> ObjId {
            am.get(obj, k).unwrap().unwrap().1
        }
        let contract = get(am, &ROOT, "contract");
        let partnership = get(am, &ROOT, "partnership");
        let partners = get(am, &partnership, "partners");
        let b = get(am, &partners, "b");
        am.put(&contract, "place", evil).unwrap();
        am.put(&b, "name", format!("Bo{evil}")).unwrap();
        doc.commit();
        store.save(&mut doc).unwrap();
    }
    for args in [
        &["status"][..],
        &["contract", "show"],
        &["conflicts"],
        &["export"],
    ] {
        let out = cocoach(d, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text
                    .chars()
                    .any(|c| (c.is_control() && c != '\n' && c != '\t')
                        || ('\u{202A}'..='\u{202E}').contains(&c)),
                "{args:?} printed a control character: {text:?}"
            );
        }
        if args != ["conflicts"] {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("Lib\u{FFFD}]0;owned\u{FFFD}rary"),
                "{args:?}: {text:?}"
            );
        }
    }
}

/// The command line speaks the language `COCOACH_LANG` names (else the system's):
/// in Dutch, the status, the contract's state and a mistyped data directory's error
/// read in Dutch, and the ids stay as they are.
#[test]
fn the_command_line_speaks_dutch_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let nl = |dir: &Path, args: &[&str]| {
        support::english(&mut support::cocoach())
            .env("COCOACH_LANG", "nl")
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .output()
            .unwrap()
    };
    let out = nl(&d.join("no-such-dir"), &["status"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("geen cocoach-gegevens in"), "{err}");

    ok(d, &["init", "--name", "Ana"]);
    let out = nl(d, &["status"]);
    assert!(out.status.success());
    let status = String::from_utf8(out.stdout).unwrap();
    assert!(status.contains("contract: niet ondertekend"), "{status}");
    assert!(
        status.contains("sessies: 0  acties: 0 (0 open)"),
        "{status}"
    );
    assert!(status.contains("partner A: Ana (jij)"), "{status}");
    // The same first line (the partnership's id) as in English.
    let en = ok(d, &["status"]);
    assert_eq!(
        status.lines().next().unwrap().split_whitespace().last(),
        en.lines().next().unwrap().split_whitespace().last()
    );
    assert!(en.contains("contract: not signed"), "{en}");

    // A library's refusal in the user's words too: a damaged invite.
    let other = tmp.path().join("bo");
    let out = nl(&other, &["join", "cocoachnotaninvite", "--name", "Bo"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("dit is geen uitnodiging van cocoach"), "{err}");
    assert!(!err.contains("this invite"), "English in Dutch: {err}");
}

/// The deck from the command line: every stage listed with its built-in
/// questions, your own added (with its id) and removed by a prefix of it; an
/// unknown id is a clear refusal.
#[test]
fn the_question_deck_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana Müller"]);
    let list = ok(d, &["deck", "list"]);
    for heading in ["Review", "Goal", "Reality", "Options", "Will"] {
        assert!(list.lines().any(|l| l == heading), "{heading} in {list}");
    }
    assert!(
        list.contains("  How will you feel when it is done?"),
        "{list}"
    );
    let id = ok(
        d,
        &["deck", "add", "--stage", "will", "Who will you tell first?"],
    )
    .trim()
    .to_string();
    assert_eq!(id.len(), 12, "{id}");
    let will = ok(d, &["deck", "list", "--stage", "will"]);
    assert!(!will.contains("Goal"), "{will}");
    assert!(
        will.contains(&format!(
            "  Who will you tell first?  (added by Ana Müller, {id})"
        )),
        "{will}"
    );
    let err = fails(d, &["deck", "remove", "zzzz"]);
    assert!(
        err.contains("No question of the deck has the id zzzz"),
        "{err}"
    );
    ok(d, &["deck", "remove", &id[..4]]);
    assert!(!ok(d, &["deck", "list"]).contains("Who will you tell first?"));
    let err = fails(d, &["deck", "add", "--stage", "goal", "  "]);
    assert!(err.contains("question"), "{err}");
}

/// The next meeting by the rhythm, and a session started on another day with the
/// other partner coaching first, from the command line.
#[test]
fn the_next_meeting_and_a_session_on_an_agreed_day() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana Müller"]);
    let next = ok(d, &["session", "next"]);
    assert!(next.contains("you meet by agreement"), "{next}");
    ok(d, &["contract", "set", "frequency", "weekly"]);
    ok(d, &["contract", "set", "term_start", "2026-12-04"]);
    ok(d, &["contract", "set", "term_end", "2099-12-31"]);
    let next = ok(d, &["session", "next"]);
    assert!(
        next.contains("Next meeting by your contract's rhythm: Friday"),
        "{next}"
    );
    assert!(
        next.contains("By the contract's rule, Ana Müller coaches first."),
        "{next}"
    );
    let id = ok(
        d,
        &[
            "session",
            "new",
            "--date",
            "2026-12-12",
            "--coach-first",
            "partner",
        ],
    );
    let list = ok(d, &["session", "list"]);
    assert!(
        list.contains(&format!(
            "{}  2026-12-12  Partner B coaches first",
            id.trim()
        )),
        "{list}"
    );
}

/// The first meeting from the command line: started with `--first-meeting`, it
/// cannot close without actions until both signed (here: the host alone signed).
#[test]
fn a_first_meeting_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    ok(d, &["init", "--name", "Ana Müller"]);
    let id = ok(d, &["session", "new", "--first-meeting"])
        .trim()
        .to_string();
    let md = ok(d, &["export"]);
    assert!(
        md.contains("first meeting (getting to know each other)"),
        "{md}"
    );
    // Not signed by both (no partner has joined): it cannot close without actions.
    let err = fails(d, &["session", "close", &id]);
    assert!(err.contains("action"), "{err}");
}
