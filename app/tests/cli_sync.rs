//! Two `cocoach` processes on loopback, driven only through the command line: init,
//! invite/join, offline edits on both sides, `sync --once` on both, identical
//! Markdown exports with every edit in them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::{finish, lines};

const NET: [&str; 3] = ["--listen", "127.0.0.1:0", "--no-mdns"];

fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = support::cocoach();
    c.arg("--data-dir").arg(dir).args(args);
    c
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cmd(dir, args).output().unwrap();
    assert!(
        out.status.success(),
        "cocoach {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    cmd(dir, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_pair_edit_offline_and_sync() {
    let ta = tempfile::tempdir().unwrap();
    let tb = tempfile::tempdir().unwrap();
    let (a, b) = (ta.path(), tb.path());
    ok(a, &["init", "--name", "Ana"]);
    let s = ok(a, &["session", "new", "--date", "2026-11-20"])
        .trim()
        .to_string();

    // A invites; the ticket is the first line of its output.
    let mut invite = spawn(a, &[&["invite", "--yes"][..], &NET].concat());
    let rx = lines(&mut invite);
    let ticket = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("invite printed no ticket");
    assert!(
        ticket.starts_with("cocoach"),
        "first line is the ticket: {ticket}"
    );

    // The invite goes in on standard input (`-`), as the guide recommends.
    let joined = {
        use std::io::Write;
        let args = [&["join", "-", "--yes", "--name", "Bo"][..], &NET].concat();
        let mut child = cmd(b, &args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{ticket}").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "cocoach join -: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(joined.contains("paired with Ana"), "{joined}");
    let code_b = joined
        .lines()
        .find(|l| l.starts_with("verification code:"))
        .unwrap()
        .to_string();
    let status = finish(invite, Duration::from_secs(30), "invite");
    assert!(
        status.status.success(),
        "invite failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let host_lines: Vec<String> = rx.try_iter().collect();
    assert!(
        host_lines.contains(&code_b),
        "both show the same code: {host_lines:?} vs {code_b}"
    );
    assert!(
        host_lines.iter().any(|l| l == "paired with Bo"),
        "{host_lines:?}"
    );

    // Offline edits on both sides, including the same note and the same term.
    ok(
        a,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "partner",
            "--field",
            "goal",
            "From Ana: UX research",
        ],
    );
    ok(a, &["contract", "set", "place", "Café Zürich"]);
    ok(
        b,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--coachee",
            "me",
            "--field",
            "goal",
            "From Bo: in a small team",
        ],
    );
    ok(b, &["contract", "set", "place", "Library"]);
    ok(
        b,
        &[
            "action",
            "add",
            "Update my CV",
            "--due",
            "2026-11-28",
            "--session",
            &s,
        ],
    );

    // Both sync at once; each exits when both hold the same document.
    let sa = spawn(
        a,
        &[&["sync", "--once", "--timeout", "40"][..], &NET].concat(),
    );
    let sb = spawn(
        b,
        &[&["sync", "--once", "--timeout", "40"][..], &NET].concat(),
    );
    support::ok(
        finish(sa, Duration::from_secs(60), "sync on A"),
        "sync on A",
    );
    support::ok(
        finish(sb, Duration::from_secs(60), "sync on B"),
        "sync on B",
    );

    let ea = ok(a, &["export", "--format", "markdown"]);
    let eb = ok(b, &["export", "--format", "markdown"]);
    assert_eq!(ea, eb, "both partners export the same partnership");
    for want in [
        "From Ana: UX research",
        "From Bo: in a small team",
        "Update my CV",
        "Ana",
        "Bo",
    ] {
        assert!(ea.contains(want), "export lacks {want:?}:\n{ea}");
    }
    // The two places are a visible conflict on both sides.
    for d in [a, b] {
        let c = ok(d, &["conflicts"]);
        assert!(
            c.contains("contract: where") && c.contains("Café Zürich") && c.contains("Library"),
            "{c}"
        );
    }
    let st = ok(b, &["status"]);
    assert!(st.contains("your partner has all your changes"), "{st}");
    // A learned where B is reachable from B's connection (B dialled A).
    let st = ok(a, &["status"]);
    assert!(st.contains("last known addresses: 127.0.0.1:"), "{st}");
}
