//! A file made by create-then-link (or write-then-rename) survives a power cut only
//! if its bytes reached the disk before its name did, and its name after: an
//! `fsync` of the file before the `linkat`/`rename`, and of the folder after. The
//! power-loss test (`tests/tests/power_loss.rs`) models SQLite's own writes; these
//! steps are ours, so they are checked on the real system calls, with `strace`.
//!
//! Without `strace` the test says so and passes, unless `COCOACH_REQUIRE_STRACE=1`
//! (`.ci/run` installs it and sets that).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Run `cocoach --data-dir dir args…` under strace; the trace's lines.
fn traced(dir: &Path, args: &[&str], trace: &Path) -> Vec<String> {
    let mut c = Command::new("strace");
    c.args(["-f", "-y", "-qq", "-o"])
        .arg(trace)
        .args([
            "-e",
            "trace=fsync,fdatasync,link,linkat,rename,renameat,renameat2",
        ])
        .arg(env!("CARGO_BIN_EXE_cocoach"))
        .arg("--data-dir")
        .arg(dir)
        .args(args);
    support::english(&mut c);
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "cocoach {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(trace)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn synced(line: &str, path: &Path) -> bool {
    let p = path.display().to_string();
    (line.contains(" fsync(") || line.contains(" fdatasync("))
        && line.contains(&format!("<{p}>)"))
        && line.trim_end().ends_with("= 0")
}

/// `to` was made from `from` by a link or rename, with `from` synced before and
/// `to`'s folder synced after.
fn assert_durably_placed(lines: &[String], from: &Path, to: &Path) {
    let (f, t) = (from.display().to_string(), to.display().to_string());
    let placed = lines
        .iter()
        .position(|l| {
            (l.contains("link") || l.contains("rename"))
                && l.contains(&format!("\"{f}\""))
                && l.contains(&format!("\"{t}\""))
                && l.trim_end().ends_with("= 0")
        })
        .unwrap_or_else(|| panic!("no link or rename of {f} to {t} in:\n{}", lines.join("\n")));
    assert!(
        lines[..placed].iter().any(|l| synced(l, from)),
        "{t}: its bytes were not synced before it got its name:\n{}",
        lines.join("\n")
    );
    // Synced before anything else touches the new file: a later sync of the folder
    // (SQLite's, for a new log) would come after the file was already in use.
    let folder = to.parent().unwrap();
    let next_use = lines[placed + 1..]
        .iter()
        .position(|l| l.contains(&format!("<{t}")))
        .map_or(lines.len(), |i| placed + 1 + i);
    assert!(
        lines[placed..next_use].iter().any(|l| synced(l, folder)),
        "{t}: its folder was not synced after it got its name (a power cut could lose the name):\n{}",
        lines.join("\n")
    );
}

#[test]
fn new_files_reach_the_disk_before_their_names_and_their_names_after() {
    if !support::have_strace("the directory-entry checks") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // strace prints the real path of every descriptor.
    let root = tmp.path().canonicalize().unwrap();
    let d = root.join("ana");
    let trace = root.join("trace");
    let new = |name: &str| PathBuf::from(format!("{}.new", d.join(name).display()));

    let lines = traced(&d, &["init", "--name", "Ana"], &trace);
    for file in ["device.sqlite3", "partnership.sqlite3"] {
        assert_durably_placed(&lines, &new(file), &d.join(file));
    }

    let lines = traced(&d, &["reflect", "a private thought"], &trace);
    assert_durably_placed(&lines, &new("journal.sqlite3"), &d.join("journal.sqlite3"));

    // A sync file: written beside its target, synced, renamed, folder synced.
    let out = root.join("out");
    std::fs::create_dir(&out).unwrap();
    let file = out.join("to-bo.cocoach-sync");
    let lines = traced(
        &d,
        &["sync-file", "export", "--all", file.to_str().unwrap()],
        &trace,
    );
    let partial = lines
        .iter()
        .find_map(|l| {
            let start = l.find(&format!("\"{}/.to-bo.cocoach-sync.partial-", out.display()))?;
            let rest = &l[start + 1..];
            Some(PathBuf::from(&rest[..rest.find('"')?]))
        })
        .expect("the sync file is written under a temporary name");
    assert_durably_placed(&lines, &partial, &file);
    assert!(file.exists());

    // A backup likewise.
    let backup = out.join("ana.cocoach-backup");
    let lines = traced(&d, &["backup", backup.to_str().unwrap()], &trace);
    let staged = lines
        .iter()
        .find_map(|l| {
            let start = l.find("backup.new\"")?;
            let open = l[..start].rfind('"')?;
            Some(PathBuf::from(&l[open + 1..start + "backup.new".len()]))
        })
        .expect("the backup is written under a temporary name");
    assert_durably_placed(&lines, &staged, &backup);
}
