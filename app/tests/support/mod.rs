//! Helpers shared by the tests that drive `cocoach` processes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test uses some

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output};
use std::sync::mpsc;
use std::time::Duration;

/// The `cocoach` binary, speaking English whatever the machine's locale: the tests
/// read its words.
pub fn cocoach() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cocoach"));
    english(&mut c);
    c
}

/// Make `c` (or the `cocoach` it starts) speak English.
pub fn english(c: &mut Command) -> &mut Command {
    c.env("COCOACH_LANG", "en")
}

/// The output of a finished command, which must have succeeded.
pub fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Wait for a child with a deadline (killing it if it overstays).
pub fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "{what} did not finish in {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Hand a child's stdout, line by line, to a channel (so a test can read the first
/// line while the child keeps running).
pub fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// `cocoach --data-dir DIR ARGS…`, in English.
pub fn in_dir(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = cocoach();
    c.arg("--data-dir").arg(dir).args(args);
    c
}

/// `cocoach --data-dir DIR ARGS…`, which must succeed: its standard output.
pub fn ok_in(dir: &std::path::Path, args: &[&str]) -> String {
    ok(
        in_dir(dir, args).output().unwrap(),
        &format!("cocoach {args:?}"),
    )
}

/// `cocoach --data-dir DIR ARGS…`, which must fail with a message, never a panic:
/// its standard error.
pub fn fails_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = in_dir(dir, args).output().unwrap();
    assert!(!out.status.success(), "cocoach {args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !err.contains("panicked"),
        "cocoach {args:?} panicked: {err}"
    );
    err
}

/// Pair two data directories through the command line over loopback: A (already
/// `init`ed) invites, B joins with the invite on standard input.
pub fn pair_over_loopback(a: &std::path::Path, b: &std::path::Path, b_name: &str) {
    invite_and_use(
        a,
        &["invite", "--yes"],
        b,
        &["join", "-", "--yes", "--name", b_name],
    );
}

/// Re-pair B (restored from a backup without its key) with A through the command
/// line over loopback: `invite --rejoin` on A, `rejoin` on B. Returns both outputs
/// (stdout of the invite, stdout of the rejoin).
pub fn rejoin_over_loopback(a: &std::path::Path, b: &std::path::Path) -> (String, String) {
    invite_and_use(
        a,
        &["invite", "--yes", "--rejoin"],
        b,
        &["rejoin", "-", "--yes"],
    )
}

fn invite_and_use(
    a: &std::path::Path,
    invite: &[&str],
    b: &std::path::Path,
    guest: &[&str],
) -> (String, String) {
    use std::io::Write;
    use std::process::Stdio;
    const NET: [&str; 3] = ["--listen", "127.0.0.1:0", "--no-mdns"];
    let mut host = in_dir(a, &[invite, &NET].concat())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = lines(&mut host);
    let ticket = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("invite printed no ticket");
    let mut join = in_dir(b, &[guest, &NET].concat())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(join.stdin.take().unwrap(), "{ticket}").unwrap();
    let joined = ok(join.wait_with_output().unwrap(), guest[0]);
    let mut hosted = ok(finish(host, Duration::from_secs(30), "invite"), "invite");
    while let Ok(l) = rx.try_recv() {
        hosted.push_str(&l);
        hosted.push('\n');
    }
    (hosted, joined)
}

/// `sync --once` on both data directories at the same time, over loopback; both
/// must end in sync.
pub fn sync_both_once(a: &std::path::Path, b: &std::path::Path) {
    use std::process::Stdio;
    let args = [
        "sync",
        "--once",
        "--timeout",
        "40",
        "--listen",
        "127.0.0.1:0",
        "--no-mdns",
    ];
    let spawn = |d: &std::path::Path| {
        in_dir(d, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (sa, sb) = (spawn(a), spawn(b));
    ok(
        finish(sa, Duration::from_secs(60), "sync on A"),
        "sync on A",
    );
    ok(
        finish(sb, Duration::from_secs(60), "sync on B"),
        "sync on B",
    );
}

/// Whether `strace` runs here; without it a test says what did not run and passes,
/// unless `COCOACH_REQUIRE_STRACE` is set (`.ci/run` sets it).
pub fn have_strace(what: &str) -> bool {
    let found = Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("COCOACH_REQUIRE_STRACE").is_err(),
            "COCOACH_REQUIRE_STRACE is set but strace cannot run"
        );
        eprintln!("strace is not installed: {what} did not run");
    }
    found
}
