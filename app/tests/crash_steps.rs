//! Crashes inside the steps that take several writes, through the binary: `init`,
//! `join`, the host's accept (`invite`), `compact` and `reflect`, each SIGKILLed at
//! a seeded point. The point is a system call that changes the disk — the Nth
//! write, sync, rename, link, unlink or truncate of the process — and the kill
//! comes from `strace`'s fault injection (`-e inject=SYSCALL:signal=SIGKILL:when=N`),
//! so no seam in the program decides where it may die.
//!
//! Afterwards the device is in one of two states: no partnership (and `init` or
//! `join` works again), or a complete one — for a pairing, with its partner row and
//! the partner's addresses — that syncs with `sync --once`. Never a partnership
//! without a partner, never a new identity for a device that had one, never a
//! reflection twice or an edit lost.
//!
//! `CRASH_STEP_CASES=n` (default 3) kills per step and seed; seeds 1 and a fresh
//! one. Then a sweep: a kill at every point on the partnership file of the guest's
//! `join` and of the host's accept, where a pairing's writes meet
//! (`CRASH_STEP_SWEEP=k` takes every `k`th, `0` none). Without `strace` the test
//! says so and passes, unless `COCOACH_REQUIRE_STRACE=1` (`.ci/run` sets it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use cocoach_testkit::{Rng, for_each_seed};
use rusqlite::Connection;
use support::{finish, in_dir, lines, ok_in};

const NET: [&str; 3] = ["--listen", "127.0.0.1:0", "--no-mdns"];

/// The system calls that change what is on disk (the kill points).
const CHANGES: [&str; 10] = [
    "pwrite64",
    "write",
    "fsync",
    "fdatasync",
    "rename",
    "renameat2",
    "linkat",
    "unlink",
    "unlinkat",
    "ftruncate",
];

/// Where to kill: the `n`th call of `syscall` that touches the data directory
/// (counted per thread, as strace does). `files` are the names in the data
/// directory the step touched; strace's `-P` for each of them (and for the
/// directory itself) makes it count and kill only calls on those — a log line
/// to stderr is not a kill point, so every kill lands between two of the step's
/// own writes.
#[derive(Debug, Clone)]
struct Point {
    syscall: &'static str,
    n: usize,
    files: Vec<String>,
    /// How many points the step offered.
    of: usize,
    /// Whether calls on the directory itself (its `fsync`, a `rename` in it)
    /// are points too.
    dir_too: bool,
}

impl Point {
    fn at(&self) -> String {
        format!("{} #{} on the data directory", self.syscall, self.n)
    }
}

/// `cocoach --data-dir dir args…` under strace, killed at `point` (or only counted
/// into `trace`, with the paths of every descriptor, when there is none).
fn under_strace(dir: &Path, args: &[&str], point: Option<&Point>, trace: &Path) -> Command {
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "-o"]).arg(trace);
    match point {
        Some(p) => {
            if p.dir_too {
                c.arg("-P").arg(dir);
            }
            for f in &p.files {
                c.arg("-P").arg(dir.join(f));
            }
            c.arg("-e")
                .arg(format!("trace={}", p.syscall))
                .arg("-e")
                .arg(format!("inject={}:signal=SIGKILL:when={}", p.syscall, p.n));
        }
        None => {
            c.arg("-y")
                .arg("-e")
                .arg(format!("trace={}", CHANGES.join(",")));
        }
    }
    c.arg(env!("CARGO_BIN_EXE_cocoach"))
        .arg("--data-dir")
        .arg(dir)
        .args(args);
    support::english(&mut c);
    c
}

/// The kill points a step offers, from a counting run in `dir`: for each syscall
/// it made on the data directory or a file in it, 1 ..= the most such calls any
/// one of its threads made; and the names of the files it touched.
struct Points {
    per: Vec<(&'static str, usize)>,
    files: Vec<String>,
    dir_too: bool,
}

impl Points {
    /// Every point, in order.
    fn all(&self) -> Vec<Point> {
        let total = self.per.iter().map(|(_, n)| n).sum();
        let mut v = Vec::new();
        for (sys, n) in &self.per {
            for i in 1..=*n {
                v.push(Point {
                    syscall: sys,
                    n: i,
                    files: self.files.clone(),
                    of: total,
                    dir_too: self.dir_too,
                });
            }
        }
        v
    }
}

fn points_in(trace: &Path, dir: &Path, only: Option<&str>) -> Points {
    let text = std::fs::read_to_string(trace).unwrap();
    let dir = dir.to_str().unwrap();
    let mut per: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    let mut files = std::collections::BTreeSet::new();
    for line in text.lines() {
        let mut parts = line.splitn(2, ' ');
        let (Some(tid), Some(rest)) = (parts.next(), parts.next()) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(sys) = CHANGES.iter().find(|s| rest.starts_with(&format!("{s}("))) else {
            continue;
        };
        let mut touches = false;
        for (i, _) in rest.match_indices(dir) {
            let after = &rest[i + dir.len()..];
            if let Some(name) = after.strip_prefix('/') {
                let end = name
                    .find(['>', '"', ',', ' ', ')', '/'])
                    .unwrap_or(name.len());
                // A file in a folder below (the logs) is not the store's.
                let wanted = only.is_none_or(|o| name.starts_with(o));
                if end > 0 && !name[end..].starts_with('/') && wanted {
                    files.insert(name[..end].to_string());
                    touches = true;
                }
            } else if only.is_none() && (after.starts_with('>') || after.starts_with('"')) {
                touches = true;
            }
        }
        if touches {
            *per.entry((sys, tid.to_string())).or_default() += 1;
        }
    }
    let mut most: BTreeMap<&'static str, usize> = BTreeMap::new();
    for ((sys, _), n) in per {
        let m = most.entry(sys).or_default();
        *m = (*m).max(n);
    }
    let per: Vec<_> = most.into_iter().collect();
    assert!(!per.is_empty(), "the counting run touched nothing in {dir}");
    Points {
        per,
        files: files.into_iter().collect(),
        dir_too: only.is_none(),
    }
}

fn pick_point(rng: &mut Rng, points: &Points) -> Point {
    // Weighted by how many calls each syscall offers: every call equally likely.
    let total: usize = points.per.iter().map(|(_, n)| n).sum();
    let mut at = rng.below(total);
    for (sys, n) in &points.per {
        if at < *n {
            return Point {
                syscall: sys,
                n: at + 1,
                files: points.files.clone(),
                of: total,
                dir_too: points.dir_too,
            };
        }
        at -= n;
    }
    unreachable!("at < total")
}

fn killed(out: &Output) -> bool {
    out.status.signal() == Some(9)
}

/// What a data directory holds, read as plain SQLite (read only, nothing changed).
#[derive(Debug, Default)]
struct OnDisk {
    seed: Option<Vec<u8>>,
    name: Option<String>,
    partnership: bool,
    partners: Vec<(String, String)>,
}

/// Opens a copy of `file` and its sidecars (`-wal`, `-shm`, `-journal`), so
/// SQLite may roll back a hot journal or replay the WAL as any next open
/// would — on the copy, leaving the device's files exactly as the kill left
/// them. (A read-only open of a file with a hot rollback journal fails with
/// `SQLITE_READONLY_ROLLBACK`, which is not what the app would see.)
fn read_only(file: &Path) -> Option<(tempfile::TempDir, Connection)> {
    if !file.exists() {
        return None;
    }
    let tmp = tempfile::tempdir().ok()?;
    let name = file.file_name()?.to_string_lossy().into_owned();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let from = file.with_file_name(format!("{name}{suffix}"));
        if from.exists() {
            std::fs::copy(&from, tmp.path().join(format!("{name}{suffix}"))).ok()?;
        }
    }
    let c = Connection::open(tmp.path().join(&name)).ok()?;
    Some((tmp, c))
}

fn on_disk(dir: &Path) -> OnDisk {
    let mut d = OnDisk::default();
    if let Some((_copy, c)) = read_only(&dir.join("device.sqlite3")) {
        d.seed = c
            .query_row("SELECT seed FROM device WHERE id = 1", [], |r| r.get(0))
            .ok();
        d.name = c
            .query_row("SELECT name FROM device WHERE id = 1", [], |r| r.get(0))
            .ok();
    }
    let p = dir.join("partnership.sqlite3");
    if p.exists() {
        d.partnership = true;
        if let Some((_copy, c)) = read_only(&p) {
            let mut stmt = c
                .prepare("SELECT key, addresses FROM partners")
                .expect("a linked partnership file has its partners table");
            d.partners = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
        }
    }
    d
}

/// `cocoach status` succeeds and names no damage.
fn opens(dir: &Path, at: &str) -> String {
    let out = in_dir(dir, &["status"]).output().unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!e.contains("panicked"), "{at}: status panicked: {e}");
    assert!(out.status.success(), "{at}: status fails: {e}");
    o
}

fn spawn(c: &mut Command) -> Child {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// One pairing attempt over loopback: A's `invite`, B's `join`, either under
/// `strace` when `a_cmd` / `b_cmd` say so. Returns both outputs; a side left
/// waiting for a partner that died is stopped after a few seconds.
fn pair_once(a: &mut Command, b_dir: &Path, b: Option<&mut Command>) -> (Output, Output) {
    let mut host = spawn(a);
    let rx = lines(&mut host);
    let ticket = match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(t) => t,
        Err(_) => {
            // The host died before it printed the invite.
            let out = finish(host, Duration::from_secs(30), "invite");
            let none = Command::new("true").output().unwrap();
            return (out, none);
        }
    };
    let mut own = in_dir(
        b_dir,
        &[&["join", "-", "--yes", "--name", "Bo"][..], &NET].concat(),
    );
    let mut guest = spawn(b.unwrap_or(&mut own));
    writeln!(guest.stdin.take().unwrap(), "{ticket}").unwrap();
    // Whoever finishes first, the other gets a few seconds more.
    let start = Instant::now();
    let mut deadline: Option<Instant> = None;
    loop {
        let h = host.try_wait().unwrap().is_some();
        let g = guest.try_wait().unwrap().is_some();
        if h && g {
            break;
        }
        if (h || g) && deadline.is_none() {
            // A side killed mid-step leaves the other waiting for it: it gets
            // a second to finish a write of its own (if it is killed in one,
            // that is one more crash the device must survive). A side that
            // ended by itself may still be saying goodbye.
            let victim_killed = [&mut host, &mut guest]
                .into_iter()
                .any(|c| matches!(c.try_wait(), Ok(Some(st)) if st.signal() == Some(9)));
            let grace = if victim_killed { 1 } else { 8 };
            deadline = Some(Instant::now() + Duration::from_secs(grace));
        }
        if deadline.is_some_and(|d| Instant::now() > d) || start.elapsed() > Duration::from_secs(60)
        {
            let _ = host.kill();
            let _ = guest.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (
        host.wait_with_output().unwrap(),
        guest.wait_with_output().unwrap(),
    )
}

/// A data directory made once and copied for each case.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Both devices are paired and complete: each holds the partnership with the
/// other's key pinned (the guest with the host's addresses), and `sync --once` on
/// both ends in sync.
fn assert_paired_and_syncing(a: &Path, b: &Path, at: &str) {
    let (da, db) = (on_disk(a), on_disk(b));
    assert!(da.partnership && db.partnership, "{at}: {da:?} {db:?}");
    assert_eq!(
        da.partners.len(),
        1,
        "{at}: Ana's partners {:?}",
        da.partners
    );
    assert_eq!(
        db.partners.len(),
        1,
        "{at}: Bo's partners {:?}",
        db.partners
    );
    assert!(
        db.partners[0].1.contains("127.0.0.1"),
        "{at}: Bo has no address for Ana: {:?}",
        db.partners
    );
    let sync: Vec<&str> = [&["sync", "--once", "--timeout", "30"][..], &NET].concat();
    let sa = spawn(&mut in_dir(a, &sync));
    let sb = spawn(&mut in_dir(b, &sync));
    let oa = finish(sa, Duration::from_secs(40), "sync A");
    let sb = finish(sb, Duration::from_secs(40), "sync B");
    assert!(
        sb.status.success(),
        "{at}: Bo's sync --once: {}",
        String::from_utf8_lossy(&sb.stderr)
    );
    assert!(
        oa.status.success(),
        "{at}: Ana's sync --once: {}",
        String::from_utf8_lossy(&oa.stderr)
    );
}

/// The fixtures: Ana inited (with a session), and Ana with enough edits that
/// `compact` has work.
struct Fixtures {
    _tmp: tempfile::TempDir,
    ana: PathBuf,
    busy: PathBuf,
}

fn fixtures() -> Fixtures {
    let tmp = tempfile::tempdir().unwrap();
    let ana = tmp.path().join("ana");
    ok_in(&ana, &["init", "--name", "Ana"]);
    ok_in(&ana, &["session", "new", "--date", "2026-11-20"]);
    let busy = tmp.path().join("busy");
    copy_dir(&ana, &busy);
    for i in 0..30 {
        ok_in(
            &busy,
            &["action", "add", &format!("step {i}"), "--due", "2026-12-20"],
        );
    }
    Fixtures {
        _tmp: tmp,
        ana,
        busy,
    }
}

#[derive(Debug, Default)]
struct Tally {
    killed: BTreeMap<&'static str, usize>,
    finished: BTreeMap<&'static str, usize>,
    offered: BTreeMap<&'static str, usize>,
}

impl Tally {
    fn note(&mut self, step: &'static str, was_killed: bool, point: &Point) {
        let o = self.offered.entry(step).or_default();
        *o = (*o).max(point.of);
        let m = if was_killed {
            &mut self.killed
        } else {
            &mut self.finished
        };
        *m.entry(step).or_default() += 1;
    }
}

fn case_init(rng: &mut Rng, seed: u64, tally: &mut Tally) {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let trace = tmp.path().join("trace");
    let args = ["init", "--name", "Ana"];
    let count_dir = tmp.path().join("count");
    let counted = under_strace(&count_dir, &args, None, &trace)
        .output()
        .unwrap();
    assert!(counted.status.success());
    let point = pick_point(rng, &points_in(&trace, &count_dir, None));
    let at = format!("SEED={seed} init killed at {}", point.at());
    let out = under_strace(&a, &args, Some(&point), &trace)
        .output()
        .unwrap();
    tally.note("init", killed(&out), &point);
    let before = on_disk(&a);
    assert!(before.partners.is_empty(), "{at}: {before:?}");
    if before.partnership {
        let s = opens(&a, &at);
        assert!(s.contains("Ana"), "{at}: {s}");
        assert_eq!(
            before.name.as_deref(),
            Some("Ana"),
            "{at}: a partnership whose device has no name"
        );
    } else {
        // No partnership: `init` works again, keeping the identity made.
        ok_in(&a, &["init", "--name", "Ana"]);
        let after = on_disk(&a);
        if before.seed.is_some() {
            assert_eq!(after.seed, before.seed, "{at}: a new identity");
        }
        opens(&a, &at);
    }
}

fn case_reflect(rng: &mut Rng, seed: u64, fx: &Fixtures, tally: &mut Tally) {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    copy_dir(&fx.ana, &a);
    let trace = tmp.path().join("trace");
    let count = tmp.path().join("count");
    copy_dir(&fx.ana, &count);
    let args = ["reflect", "a private marker 7f3a"];
    assert!(
        under_strace(&count, &args, None, &trace)
            .output()
            .unwrap()
            .status
            .success()
    );
    let point = pick_point(rng, &points_in(&trace, &count, None));
    let at = format!("SEED={seed} reflect killed at {}", point.at());
    let seed_before = on_disk(&a).seed;
    let out = under_strace(&a, &args, Some(&point), &trace)
        .output()
        .unwrap();
    tally.note("reflect", killed(&out), &point);
    opens(&a, &at);
    let list = ok_in(&a, &["journal", "list"]);
    let n = list.matches("7f3a").count();
    assert!(n <= 1, "{at}: the reflection is there {n} times: {list}");
    if !killed(&out) {
        assert_eq!(n, 1, "{at}: a finished reflect lost its text");
    }
    // The journal takes the next one.
    ok_in(&a, &["reflect", "after the crash 9c1d"]);
    let list = ok_in(&a, &["journal", "list"]);
    assert_eq!(list.matches("9c1d").count(), 1, "{at}: {list}");
    assert!(list.matches("7f3a").count() <= 1, "{at}: {list}");
    assert_eq!(on_disk(&a).seed, seed_before, "{at}: a new identity");
}

fn case_compact(rng: &mut Rng, seed: u64, fx: &Fixtures, tally: &mut Tally) {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    copy_dir(&fx.busy, &a);
    let trace = tmp.path().join("trace");
    let count = tmp.path().join("count");
    copy_dir(&fx.busy, &count);
    let expected = ok_in(&a, &["export"]);
    assert!(
        under_strace(&count, &["compact"], None, &trace)
            .output()
            .unwrap()
            .status
            .success()
    );
    let point = pick_point(rng, &points_in(&trace, &count, None));
    let at = format!("SEED={seed} compact killed at {}", point.at());
    let out = under_strace(&a, &["compact"], Some(&point), &trace)
        .output()
        .unwrap();
    tally.note("compact", killed(&out), &point);
    opens(&a, &at);
    assert_eq!(ok_in(&a, &["export"]), expected, "{at}: the record changed");
    // And it goes on: another edit and another compaction.
    ok_in(
        &a,
        &["action", "add", "after the crash", "--due", "2026-12-20"],
    );
    ok_in(&a, &["compact"]);
    let after = ok_in(&a, &["export"]);
    assert!(after.contains("after the crash"), "{at}");
    assert!(after.contains("step 29"), "{at}");
}

/// Bo joins (killed at a seeded point), or Ana accepts (killed), then whatever is
/// left is brought to a pairing the documented way — `join` again with a new
/// invite — and both must sync.
const INVITE: [&str; 5] = ["invite", "--yes", NET[0], NET[1], NET[2]];
const JOIN: [&str; 8] = ["join", "-", "--yes", "--name", "Bo", NET[0], NET[1], NET[2]];

/// The kill points of Bo's `join` (or Ana's accept), counted in one unkilled
/// pairing of copies; `only` narrows them to the files whose names start so.
fn pairing_points(fx: &Fixtures, host_dies: bool, only: Option<&str>) -> Points {
    let tmp = tempfile::tempdir().unwrap();
    let trace = tmp.path().join("trace");
    let (ca, cb) = (tmp.path().join("ca"), tmp.path().join("cb"));
    copy_dir(&fx.ana, &ca);
    let (ho, go) = if host_dies {
        pair_once(&mut under_strace(&ca, &INVITE, None, &trace), &cb, None)
    } else {
        pair_once(
            &mut in_dir(&ca, &INVITE),
            &cb,
            Some(&mut under_strace(&cb, &JOIN, None, &trace)),
        )
    };
    assert!(
        ho.status.success() && go.status.success(),
        "the counting run failed: {} / {}",
        String::from_utf8_lossy(&ho.stderr),
        String::from_utf8_lossy(&go.stderr)
    );
    points_in(&trace, if host_dies { &ca } else { &cb }, only)
}

/// Bo joins (killed at `point`), or Ana accepts (killed), then whatever is
/// left is brought to a pairing the documented way — `join` again with a new
/// invite — and both must sync.
fn case_pairing(seed: u64, fx: &Fixtures, host_dies: bool, point: &Point, tally: &mut Tally) {
    let step = if host_dies { "accept" } else { "join" };
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_dir(&fx.ana, &a);
    let trace = tmp.path().join("trace");
    let (invite, join) = (INVITE, JOIN);
    let at = format!("SEED={seed} {step} killed at {}", point.at());
    let (ho, go) = if host_dies {
        pair_once(
            &mut under_strace(&a, &invite, Some(point), &trace),
            &b,
            None,
        )
    } else {
        pair_once(
            &mut in_dir(&a, &invite),
            &b,
            Some(&mut under_strace(&b, &join, Some(point), &trace)),
        )
    };
    let was_killed = killed(if host_dies { &ho } else { &go });
    tally.note(step, was_killed, point);
    for (who, o) in [("invite", &ho), ("join", &go)] {
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(!e.contains("panicked"), "{at}: {who} panicked: {e}");
    }
    let (da, db) = (on_disk(&a), on_disk(&b));
    // Each device: no partnership, or one with its partner.
    assert!(da.partnership, "{at}: Ana lost her partnership");
    assert!(da.partners.len() <= 1, "{at}: {da:?}");
    opens(&a, &at);
    if db.partnership {
        assert_eq!(
            db.partners.len(),
            1,
            "{at}: Bo holds a partnership without a partner"
        );
        opens(&b, &at);
    }
    // Bring them together the documented way: if either is not paired, Ana invites
    // again and Bo joins (again).
    if !(da.partners.len() == 1 && db.partnership) {
        let (ho, go) = pair_once(&mut in_dir(&a, &invite), &b, None);
        assert!(
            ho.status.success() && go.status.success(),
            "{at}: pairing again after the crash failed: Ana: {} / Bo: {}",
            String::from_utf8_lossy(&ho.stderr),
            String::from_utf8_lossy(&go.stderr)
        );
    }
    let after = on_disk(&b);
    if db.seed.is_some() {
        assert_eq!(after.seed, db.seed, "{at}: Bo got a new identity");
    }
    assert_eq!(on_disk(&a).seed, da.seed, "{at}: Ana got a new identity");
    assert_paired_and_syncing(&a, &b, &at);
}

#[test]
fn a_kill_inside_every_multi_step_step_leaves_no_half_state() {
    if !support::have_strace("the crash-step checks") {
        return;
    }
    let n: usize = std::env::var("CRASH_STEP_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let t = Instant::now();
    let fx = fixtures();
    let mut tally = Tally::default();
    let mut last_seed = 0;
    for_each_seed("crash_steps", &[1], |seed| {
        last_seed = seed;
        let mut rng = Rng::new(seed);
        for _ in 0..n {
            case_init(&mut rng, seed, &mut tally);
            case_reflect(&mut rng, seed, &fx, &mut tally);
            case_compact(&mut rng, seed, &fx, &mut tally);
            for host_dies in [false, true] {
                let p = pick_point(&mut rng, &pairing_points(&fx, host_dies, None));
                case_pairing(seed, &fx, host_dies, &p, &mut tally);
            }
        }
    });
    // Where a pairing's two writes meet, one kill in a hundred would land by
    // chance: so a sweep over the points on the partnership file of each side —
    // every one (`CRASH_STEP_SWEEP=1`, the default; about a second each), or
    // every `k`th from an offset the last seed picks, or none (`0`).
    let k: usize = std::env::var("CRASH_STEP_SWEEP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let from: usize = std::env::var("CRASH_STEP_SWEEP_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or((last_seed % k.max(1) as u64) as usize);
    let mut failed = Vec::new();
    for host_dies in [false, true].into_iter().filter(|_| k > 0) {
        let pts = pairing_points(&fx, host_dies, Some("partnership.sqlite3"));
        let all = pts.all();
        let mine: Vec<&Point> = all.iter().skip(from % k).step_by(k).collect();
        eprintln!(
            "crash steps: {} of {} points on the {} partnership file \
             (CRASH_STEP_SWEEP={k} CRASH_STEP_SWEEP_FROM={})",
            mine.len(),
            all.len(),
            if host_dies { "host's" } else { "guest's" },
            from % k
        );
        for p in mine {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                case_pairing(last_seed, &fx, host_dies, p, &mut tally)
            }));
            if let Err(e) = r {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failed.push(msg);
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} sweep points failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    eprintln!(
        "crash steps: killed {:?}, finished before the point {:?}, of points offered {:?}, in {:?}",
        tally.killed,
        tally.finished,
        tally.offered,
        t.elapsed()
    );
    let kills: usize = tally.killed.values().sum();
    assert!(kills * 2 >= n * 5, "too few kills landed: {tally:?}");
}
