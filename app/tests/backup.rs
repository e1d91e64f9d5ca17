//! `cocoach backup` and `cocoach restore`, driven as a user would: a partnership
//! made on the command line, backed up, restored into a fresh data directory, and
//! the two compared through `cocoach export`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use std::path::Path;

use support::{fails_in as fails, ok_in as ok};

/// Ana's partnership, with a term, a session with notes, an action and a reflection.
fn ana(d: &Path) {
    ok(d, &["init", "--name", "Ana Müller"]);
    ok(d, &["contract", "set", "place", "Café Zürich"]);
    ok(d, &["contract", "add-rule", "Phones away"]);
    let s = ok(d, &["session", "new", "--date", "2026-11-20"])
        .trim()
        .to_string();
    ok(
        d,
        &[
            "notes",
            "append",
            "--session",
            &s,
            "--field",
            "goal",
            "UX research 🎯",
        ],
    );
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
    ok(d, &["action", "done", &a, "--celebrate", "She said yes!"]);
    ok(d, &["reflect", "Nervous but hopeful", "--session", &s]);
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_backup_restored_into_a_fresh_data_directory_exports_the_same() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("ana");
    ana(&d);
    let file = t.path().join("ana.cocoach");
    let out = ok(&d, &["backup", s(&file), "--with-journal"]);
    assert!(out.contains("backup written to"), "{out}");
    assert!(
        out.contains("the partnership, your private journal"),
        "{out}"
    );
    assert!(
        out.contains("pair again"),
        "says what a backup without the key means: {out}"
    );

    let fresh = t.path().join("new-laptop");
    let out = ok(&fresh, &["restore", s(&file)]);
    assert!(out.contains("restored partnership"), "{out}");
    assert!(
        out.contains("syncing needs a new pairing that keeps everything"),
        "{out}"
    );
    assert!(out.contains("cocoach rejoin"), "{out}");

    let md = ok(&d, &["export"]);
    assert!(
        md.contains("Café Zürich") && md.contains("She said yes!"),
        "{md}"
    );
    assert_eq!(ok(&fresh, &["export"]), md);
    assert_eq!(
        ok(&fresh, &["journal", "list"]),
        ok(&d, &["journal", "list"])
    );
    assert!(ok(&fresh, &["journal", "list"]).contains("Nervous but hopeful"));
    // Without the key the restored device is not one of the partners.
    let err = fails(&fresh, &["action", "add", "Call Bo", "--due", "2026-12-01"]);
    assert!(err.contains("not one of the two partners"), "{err}");

    // Without --with-journal the journal stays out.
    let plain = t.path().join("plain.cocoach");
    let out = ok(&d, &["backup", s(&plain)]);
    assert!(!out.contains("journal"), "{out}");
    let fresh2 = t.path().join("other-laptop");
    ok(&fresh2, &["restore", s(&plain)]);
    assert_eq!(ok(&fresh2, &["export"]), md);
    assert!(!ok(&fresh2, &["journal", "list"]).contains("Nervous"));
}

#[test]
fn with_the_device_key_the_restored_device_is_the_same_partner() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("ana");
    ana(&d);
    let file = t.path().join("ana.cocoach");
    let out = ok(&d, &["backup", s(&file), "--with-device-key"]);
    assert!(out.contains("this device's secret key"), "{out}");
    let fresh = t.path().join("new-laptop");
    let out = ok(&fresh, &["restore", s(&file)]);
    assert!(!out.contains("pairing"), "{out}");
    assert_eq!(ok(&fresh, &["export"]), ok(&d, &["export"]));
    let status = ok(&fresh, &["status"]);
    assert!(status.contains("Ana Müller (you)"), "{status}");
    ok(&fresh, &["contract", "set", "place", "Library"]);
    assert!(ok(&fresh, &["export"]).contains("Library"));
}

#[test]
fn restoring_over_a_partnership_needs_yes_and_keeps_what_was_there() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("ana");
    ana(&d);
    let file = t.path().join("ana.cocoach");
    ok(&d, &["backup", s(&file)]);

    let bo = t.path().join("bo");
    ok(&bo, &["init", "--name", "Bo"]);
    let bo_export = ok(&bo, &["export"]);
    let err = fails(&bo, &["restore", s(&file)]);
    assert!(err.contains("already holds a partnership"), "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(ok(&bo, &["export"]), bo_export, "refused: nothing changed");

    let out = ok(&bo, &["restore", s(&file), "--yes"]);
    assert!(out.contains("are kept in"), "{out}");
    assert_eq!(ok(&bo, &["export"]), ok(&d, &["export"]));
    let replaced = std::fs::read_dir(&bo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("replaced-")
        })
        .expect("a replaced-… folder");
    assert!(out.contains(s(&replaced)), "{out}");
    assert_eq!(
        ok(&replaced, &["export"]),
        bo_export,
        "Bo's partnership is kept"
    );
}

#[test]
fn a_bad_backup_is_refused_and_backup_works_while_the_directory_is_in_use() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("ana");
    ana(&d);
    let junk = t.path().join("junk.cocoach");
    std::fs::write(&junk, "not a backup").unwrap();
    let fresh = t.path().join("fresh");
    let err = fails(&fresh, &["restore", s(&junk)]);
    assert!(err.contains("nothing was changed"), "{err}");
    assert!(err.contains("not a cocoach backup"), "{err}");
    assert!(!fresh.exists());
    // Nor does a backup overwrite a file that is not a backup.
    let err = fails(&d, &["backup", s(&junk)]);
    assert!(err.contains("not overwritten"), "{err}");
    assert_eq!(std::fs::read_to_string(&junk).unwrap(), "not a backup");

    // As while the window runs: the directory's lock is held elsewhere.
    let lock = std::fs::File::options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(d.join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let file = t.path().join("ana.cocoach");
    ok(&d, &["backup", s(&file)]);
    let err = fails(&d, &["restore", s(&file), "--yes"]);
    assert!(err.contains("already using"), "{err}");
    drop(lock);
    ok(&fresh, &["restore", s(&file)]);
    assert_eq!(ok(&fresh, &["export"]), ok(&d, &["export"]));
}

#[test]
fn backup_and_restore_speak_dutch() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("ana");
    ana(&d);
    let file = t.path().join("ana.cocoach");
    let dutch = |dir: &Path, args: &[&str]| {
        let out = support::cocoach()
            .env("COCOACH_LANG", "nl")
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .output()
            .unwrap();
        support::ok(out, "cocoach in Dutch")
    };
    let out = dutch(&d, &["backup", s(&file)]);
    assert!(out.contains("back-up geschreven naar"), "{out}");
    let out = dutch(&t.path().join("fresh"), &["restore", s(&file)]);
    assert!(out.contains("teruggezet in"), "{out}");
    assert!(out.contains("cocoach rejoin"), "{out}");
    assert!(out.contains("nieuwe koppeling die alles behoudt"), "{out}");
}

/// Bo's backup had no device key. Restored on a new computer, the device says how
/// to sync again; Ana's `invite --rejoin` and Bo's `rejoin` pair it again, keeping
/// what only Bo's backup held and what Ana wrote meanwhile; then the two sync.
#[test]
fn a_device_restored_without_its_key_re_pairs_with_a_new_invite_keeping_everything() {
    use std::process::Stdio;
    use std::time::Duration;
    const NET: [&str; 3] = ["--listen", "127.0.0.1:0", "--no-mdns"];
    let t = tempfile::tempdir().unwrap();
    let (d, bo) = (t.path().join("ana"), t.path().join("bo"));
    ana(&d);
    support::pair_over_loopback(&d, &bo, "Bo");
    // Synced once: from then on Ana's device knows Bo received the partnership
    // (until then a plain invite may pair Bo's same device again).
    support::sync_both_once(&d, &bo);
    ok(&bo, &["contract", "add-rule", "Bo: only in the backup"]);
    let file = t.path().join("bo.cocoach");
    ok(&bo, &["backup", s(&file)]);
    let fresh = t.path().join("bo-new-laptop");
    ok(&fresh, &["restore", s(&file)]);
    let status = ok(&fresh, &["status"]);
    assert!(status.contains("cocoach rejoin"), "{status}");
    assert!(!status.contains("(you)"), "{status}");
    ok(&d, &["contract", "add-rule", "Ana: meanwhile"]);

    // A plain invite cannot be used to re-pair, nor a re-pairing one to join.
    let err = fails(&d, &["invite", "--yes", "--no-mdns"]);
    assert!(err.contains("already has both partners"), "{err}");

    let (hosted, joined) = support::rejoin_over_loopback(&d, &fresh);
    assert!(joined.contains("paired with Ana Müller"), "{joined}");
    assert!(hosted.contains("paired with Bo"), "{hosted}");
    let status = ok(&fresh, &["status"]);
    assert!(status.contains("Bo (you)"), "{status}");
    assert!(!status.contains("cocoach rejoin"), "{status}");
    let md = ok(&d, &["export"]);
    assert_eq!(ok(&fresh, &["export"]), md, "both hold the same record");
    for want in ["Bo: only in the backup", "Ana: meanwhile", "She said yes!"] {
        assert!(md.contains(want), "export lacks {want:?}:\n{md}");
    }
    // Nothing is credited to no one on either device.
    for dir in [&d, &fresh] {
        let h = ok(dir, &["history"]);
        assert!(!h.contains("credited to no one"), "{h}");
    }

    // The restored device edits and syncs.
    ok(&fresh, &["contract", "add-rule", "Bo: from the new laptop"]);
    let spawn = |dir: &Path| {
        support::in_dir(
            dir,
            &[&["sync", "--once", "--timeout", "40"][..], &NET].concat(),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
    };
    let (sa, sb) = (spawn(&d), spawn(&fresh));
    support::ok(
        support::finish(sa, Duration::from_secs(60), "sync on Ana's"),
        "sync on Ana's",
    );
    support::ok(
        support::finish(sb, Duration::from_secs(60), "sync on Bo's"),
        "sync on Bo's",
    );
    assert!(ok(&d, &["export"]).contains("Bo: from the new laptop"));
}
