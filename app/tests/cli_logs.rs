//! What cocoach logs: message kinds, ids, sizes and timings, never the content. Two
//! `cocoach` processes pair and sync on loopback with `RUST_LOG=trace`, after unique
//! canary strings went into every kind of text (names, a contract term, session
//! notes, an action, reflections). Then no log file in either data directory, and
//! nothing any command wrote to stderr, may hold a canary, the invite, the
//! verification code, the invite's secret, or either device's public or secret key.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use cocoach_store::{DataDir, DeviceStore};
use support::{finish, lines};

const NET: [&str; 3] = ["--listen", "127.0.0.1:0", "--no-mdns"];

const NAME_A: &str = "Anacanaryname7f3";
const NAME_B: &str = "Bocanaryname2c9";
const PLACE: &str = "PlaceCanary0d41";
const NOTE_A: &str = "NoteCanaryA5e2";
const NOTE_B: &str = "NoteCanaryB91c";
const ACTION: &str = "ActionCanary6aa";
const REFLECT_A: &str = "ReflectCanaryA3b7";
const REFLECT_B: &str = "ReflectCanaryB8d0";
/// A ground rule: a list item, the kind of value automerge's own `trace` events
/// print (which is why third-party crates stay at `warn` unless named).
const RULE: &str = "RuleCanary4b8e";
const CANARIES: [&str; 9] = [
    NAME_A, NAME_B, PLACE, NOTE_A, NOTE_B, ACTION, REFLECT_A, REFLECT_B, RULE,
];

/// How much a command logs: everything of ours (`trace`), or the defaults.
#[derive(Clone, Copy)]
enum Level {
    Trace,
    Default,
}

fn cmd(dir: &Path, level: Level, args: &[&str]) -> Command {
    let mut c = support::cocoach();
    c.arg("--data-dir").arg(dir).args(args);
    c.env_remove("COCOACH_TRACE");
    match level {
        Level::Trace => c.env("RUST_LOG", "trace"),
        Level::Default => c.env_remove("RUST_LOG"),
    };
    c
}

/// Everything the commands wrote to stderr, to be searched at the end.
#[derive(Default)]
struct Stderr(Vec<String>);

impl Stderr {
    /// Keep a command's stderr, failing at once if it shows a canary (the rest
    /// is checked at the end, with the keys and the invite).
    fn keep(&mut self, out: &Output) -> String {
        let e = String::from_utf8_lossy(&out.stderr).to_string();
        for c in CANARIES {
            assert!(!e.contains(c), "stderr holds {c:?}:\n{e}");
        }
        self.0.push(e.clone());
        e
    }

    fn ok(&mut self, dir: &Path, level: Level, args: &[&str]) -> String {
        let out = cmd(dir, level, args).output().unwrap();
        let err = self.keep(&out);
        assert!(out.status.success(), "cocoach {args:?}: {err}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn finish(&mut self, child: Child, what: &str) -> Output {
        let out = finish(child, Duration::from_secs(60), what);
        let err = self.keep(&out);
        assert!(out.status.success(), "{what} failed: {err}");
        out
    }
}

fn spawn(dir: &Path, level: Level, args: &[&str]) -> Child {
    cmd(dir, level, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn sync_both(a: &Path, b: &Path, level: Level, errs: &mut Stderr) -> (String, String) {
    let args = [&["sync", "--once", "--timeout", "40"][..], &NET].concat();
    let sa = spawn(a, level, &args);
    let sb = spawn(b, level, &args);
    let oa = errs.finish(sa, "sync on A");
    let ob = errs.finish(sb, "sync on B");
    (
        String::from_utf8_lossy(&oa.stderr).to_string(),
        String::from_utf8_lossy(&ob.stderr).to_string(),
    )
}

/// Every log file in a data directory, with its text.
fn logs(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(dir.join("logs"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

fn hex(bytes: &[u8]) -> String {
    cocoach_doc::hex_encode(bytes)
}

#[test]
fn logs_hold_no_note_reflection_ticket_or_key_text() {
    let ta = tempfile::tempdir().unwrap();
    let tb = tempfile::tempdir().unwrap();
    let (a, b) = (ta.path(), tb.path());
    let mut errs = Stderr::default();
    let t = Level::Trace;

    let init = errs.ok(a, t, &["init", "--name", NAME_A]);
    let key_a_printed = init
        .lines()
        .find_map(|l| l.strip_prefix("your device key: "))
        .expect("init prints the device key")
        .trim()
        .to_string();
    let s = errs
        .ok(a, t, &["session", "new", "--date", "2026-11-20"])
        .trim()
        .to_string();
    errs.ok(
        a,
        t,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "me",
            "--field",
            "goal",
            NOTE_A,
        ],
    );
    errs.ok(a, t, &["contract", "set", "place", PLACE]);
    errs.ok(a, t, &["contract", "add-rule", RULE]);
    errs.ok(a, t, &["action", "add", ACTION, "--due", "2026-11-28"]);
    errs.ok(a, t, &["reflect", REFLECT_A, "--session", &s]);

    // Pairing, everything of ours traced.
    let mut invite = spawn(a, t, &[&["invite", "--yes"][..], &NET].concat());
    let rx = lines(&mut invite);
    let ticket = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("invite printed no ticket");
    assert!(ticket.starts_with("cocoach"), "{ticket}");
    let joined = errs.ok(
        b,
        t,
        &[&["join", &ticket, "--yes", "--name", NAME_B][..], &NET].concat(),
    );
    let code = joined
        .lines()
        .find_map(|l| l.strip_prefix("verification code: "))
        .expect("join shows the code")
        .to_string();
    errs.finish(invite, "invite");

    errs.ok(
        b,
        t,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "me",
            "--field",
            "notes",
            NOTE_B,
        ],
    );
    errs.ok(b, t, &["reflect", REFLECT_B]);
    sync_both(a, b, t, &mut errs);

    // The control: the canaries did travel (through the code that logs), and the
    // journal holds its reflections, so their absence from the logs means something.
    for d in [a, b] {
        let export = errs.ok(d, t, &["export"]);
        for want in [NAME_A, NAME_B, PLACE, NOTE_A, NOTE_B, ACTION, RULE] {
            assert!(export.contains(want), "export lacks {want}: {export}");
        }
    }
    assert!(errs.ok(a, t, &["journal", "list"]).contains(REFLECT_A));
    assert!(errs.ok(b, t, &["journal", "list"]).contains(REFLECT_B));

    // Once more with the default filters: the CLI's stderr carries no log lines, and
    // the files get `info` but no `trace`.
    let traced = |d: &Path| {
        logs(d)
            .iter()
            .map(|(_, t)| t.matches(" TRACE ").count())
            .sum::<usize>()
    };
    let (ta_before, tb_before) = (traced(a), traced(b));
    errs.ok(
        a,
        Level::Default,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "partner",
            "--field",
            "will",
            NOTE_A,
        ],
    );
    let (ea, eb) = sync_both(a, b, Level::Default, &mut errs);
    for e in [&ea, &eb] {
        for level in [" INFO ", " DEBUG ", " TRACE "] {
            assert!(!e.contains(level), "stderr has log lines by default: {e}");
        }
        assert!(e.contains("syncing with your partner"), "{e}");
    }
    assert_eq!(traced(a), ta_before, "no trace in the file by default");
    assert_eq!(traced(b), tb_before, "no trace in the file by default");

    // Everything secret, from the stores and the invite.
    let device = |d: &Path| {
        let dev = DeviceStore::open_or_create(&DataDir::new(d)).unwrap();
        (
            dev.identity().public().to_hex(),
            hex(dev.identity().seed().as_slice()),
        )
    };
    let (key_a, seed_a) = device(a);
    let (key_b, seed_b) = device(b);
    assert_eq!(key_a, key_a_printed);
    let t = cocoach_sync::Ticket::decode(&ticket).unwrap();
    assert_eq!(hex(&t.host.0), key_a);
    let secret_hex = hex(&t.secret);
    let mut secrets = CANARIES.to_vec();
    secrets.extend(
        [
            &ticket,
            &code,
            &secret_hex,
            &key_a,
            &key_b,
            &seed_a,
            &seed_b,
        ]
        .map(String::as_str),
    );

    let mut files = logs(a);
    files.extend(logs(b));
    files.extend(
        errs.0
            .iter()
            .enumerate()
            .map(|(i, e)| (PathBuf::from(format!("stderr of command {i}")), e.clone())),
    );
    for (what, text) in &files {
        for s in &secrets {
            assert!(
                !text.contains(*s),
                "{} holds {s:?}:\n{text}",
                what.display()
            );
        }
    }

    // Not an empty pass: both files hold the events of pairing and syncing.
    let joined_text = |d: &Path| logs(d).into_iter().map(|(_, t)| t).collect::<String>();
    let (la, lb) = (joined_text(a), joined_text(b));
    for (log, side) in [(&la, "pairing (host)"), (&lb, "pairing (guest)")] {
        for want in [
            side,
            "sync connection open",
            "sync connection closed",
            "kind=\"hello\"",
            "kind=\"sync\"",
            "kind=\"idle\"",
            "in sync",
            "partnership opened",
        ] {
            assert!(log.contains(want), "the log lacks {want:?}:\n{log}");
        }
    }
    assert!(la.contains("kind=\"welcome\""), "{la}");
}

/// A log file that cannot be opened does not stop the command: a warning, and on.
#[test]
fn a_log_file_that_cannot_be_opened_is_skipped() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    let out = cmd(d, Level::Default, &["init", "--name", "Ana"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // `logs` is a file, so the folder cannot be made.
    std::fs::write(d.join("logs"), "not a folder").unwrap();
    let out = cmd(
        d,
        Level::Default,
        &[&["sync", "--once", "--timeout", "1"][..], &NET].concat(),
    )
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open the log file"), "{err}");
    assert!(err.contains("continuing without it"), "{err}");
    // It went on to the real work, which fails for its own reason: no partner yet.
    assert!(err.contains("no partner yet"), "{err}");
}
