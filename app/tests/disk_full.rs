//! A full disk, for real: the data directory on a small tmpfs. The command line says
//! the edit was not saved and why, exits non-zero, never panics, and loses nothing
//! it had saved; with room again the next edit saves. (The I/O error at every call
//! is `tests/tests/disk_faults.rs`; this is what the user reads.)
//!
//! Needs root to mount; without it the test says so and passes, unless
//! `COCOACH_REQUIRE_MOUNT=1` (`.ci/run` sets it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::{fails_in, ok_in};

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var("COCOACH_REQUIRE_MOUNT").is_err(),
                "COCOACH_REQUIRE_MOUNT is set but a tmpfs cannot be mounted (run as root)"
            );
            eprintln!("cannot mount a tmpfs (not root?): the full-disk test did not run");
            return None;
        }
        Some(Tmpfs(at.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fill the file system holding `dir`, leaving about `room` bytes free.
fn fill(dir: &Path, room: usize) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0x5au8; 4096];
    let mut written = 0usize;
    while f.write_all(&chunk).is_ok() {
        written += chunk.len();
    }
    drop(f);
    // Give `room` back.
    let f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    f.set_len(written.saturating_sub(room) as u64).unwrap();
    f.sync_all().unwrap();
    path
}

/// Text that does not compress: a change that needs many pages.
fn incompressible(bytes: usize) -> String {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..bytes)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect()
}

#[test]
fn a_full_disk_says_not_saved_and_loses_nothing_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&tmp.path().join("disk"), "4m") else {
        return;
    };
    let d = fs.0.join("ana");
    ok_in(&d, &["init", "--name", "Ana"]);
    ok_in(
        &d,
        &[
            "action",
            "add",
            "saved before the disk filled",
            "--due",
            "2027-01-15",
        ],
    );

    // Room to open the files (their shared-memory index), not for this edit.
    let filler = fill(&fs.0, 64 * 1024);
    let big = incompressible(120 * 1024);
    let err = fails_in(&d, &["action", "add", &big, "--due", "2027-01-16"]);
    eprintln!("on a full disk: {err}");
    assert!(err.contains("not saved"), "{err}");
    assert!(err.contains("full"), "says why: {err}");
    assert!(!err.contains(&big[..40]), "the note's text is not repeated");

    // Reading still works on a full disk, and what was saved is there.
    let md = ok_in(&d, &["export"]);
    assert!(md.contains("saved before the disk filled"), "{md}");

    std::fs::remove_file(filler).unwrap();
    ok_in(
        &d,
        &[
            "action",
            "add",
            "saved with room again",
            "--due",
            "2027-01-17",
        ],
    );
    let md = ok_in(&d, &["export"]);
    assert!(md.contains("saved before the disk filled"), "{md}");
    assert!(md.contains("saved with room again"), "{md}");
    assert!(
        !md.contains(big.trim()),
        "the unsaved edit was not saved after all"
    );
    drop(fs);
}
