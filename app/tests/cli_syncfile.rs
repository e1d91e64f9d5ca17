//! Sneakernet through the command line: two devices paired once, then a week of
//! edits each way carried by `cocoach sync-file` only — no network — and both hold
//! the same partnership. Importing twice changes nothing; a damaged file and one for
//! another partnership are refused with a clear message.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

mod support;

use support::{fails_in as fails, in_dir, ok_in as ok, pair_over_loopback};

#[test]
fn a_week_of_edits_each_way_by_file_only_and_both_converge() {
    let (ta, tb, files) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (a, b) = (ta.path(), tb.path());
    ok(a, &["init", "--name", "Ana"]);
    pair_over_loopback(a, b, "Bo");
    // From here on, no network: only files.
    for day in 1..=7 {
        let date = format!("2026-11-{:02}", day + 10);
        ok(
            a,
            &[
                "action",
                "add",
                &format!("Ana's step {day}"),
                "--due",
                &date,
            ],
        );
        ok(
            b,
            &["action", "add", &format!("Bo's step {day}"), "--due", &date],
        );
        if day == 3 {
            ok(a, &["contract", "set", "place", "Café Zürich"]);
            ok(b, &["contract", "set", "session-minutes", "75"]);
        }
        let to_b = files.path().join(format!("ana-day{day}.cocoach-sync"));
        let to_a = files.path().join(format!("bo-day{day}.cocoach-sync"));
        let wrote = ok(a, &["sync-file", "export", to_b.to_str().unwrap()]);
        // After the first day, only what Bo has not seen: the heads in Bo's last
        // file tell Ana what Bo holds.
        let expected = if day == 1 {
            "(the whole partnership)"
        } else {
            "your partner has not received yet"
        };
        assert!(
            wrote.starts_with("Wrote ") && wrote.contains(expected),
            "day {day}: {wrote}"
        );
        if day > 1 {
            // Today's edits, and yesterday's (Bo's file was written before Bo
            // imported them): never the whole history again.
            let n: usize = wrote.split(' ').nth(1).unwrap().parse().unwrap();
            assert!(n <= 4, "day {day}: {wrote}");
        }
        ok(b, &["sync-file", "export", to_a.to_str().unwrap()]);
        let got = ok(b, &["sync-file", "import", to_b.to_str().unwrap()]);
        assert!(got.starts_with("Imported "), "{got}");
        ok(a, &["sync-file", "import", to_a.to_str().unwrap()]);
        // The same file again: nothing new, nothing changed.
        let again = ok(b, &["sync-file", "import", to_b.to_str().unwrap()]);
        assert!(again.starts_with("Nothing new"), "{again}");
    }
    let (ea, eb) = (ok(a, &["export"]), ok(b, &["export"]));
    assert_eq!(ea, eb, "both hold the same partnership");
    for day in 1..=7 {
        assert!(ea.contains(&format!("Ana's step {day}")), "{ea}");
        assert!(ea.contains(&format!("Bo's step {day}")), "{ea}");
    }
    assert!(
        ea.contains("Café Zürich") && ea.contains("75 minutes"),
        "{ea}"
    );

    // A damaged copy is refused, and changes nothing.
    let good = files.path().join("ana-day7.cocoach-sync");
    let mut bytes = std::fs::read(&good).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    let bad = files.path().join("damaged.cocoach-sync");
    std::fs::write(&bad, &bytes).unwrap();
    let e = fails(b, &["sync-file", "import", bad.to_str().unwrap()]);
    assert!(e.contains("This sync file is damaged"), "{e}");
    let cut = files.path().join("cut.cocoach-sync");
    std::fs::write(&cut, &std::fs::read(&good).unwrap()[..n - 10]).unwrap();
    let e = fails(b, &["sync-file", "import", cut.to_str().unwrap()]);
    assert!(e.contains("This sync file is incomplete"), "{e}");
    assert_eq!(ok(b, &["export"]), eb);

    // A file from another partnership.
    let tc = tempfile::tempdir().unwrap();
    ok(tc.path(), &["init", "--name", "Cas"]);
    let other = files.path().join("cas.cocoach-sync");
    ok(tc.path(), &["sync-file", "export", other.to_str().unwrap()]);
    let e = fails(b, &["sync-file", "import", other.to_str().unwrap()]);
    assert!(e.contains("for another partnership"), "{e}");
    // And in Dutch, when asked.
    let out = in_dir(b, &["sync-file", "import", other.to_str().unwrap()])
        .env("COCOACH_LANG", "nl")
        .output()
        .unwrap();
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("hoort bij een ander partnerschap"), "{e}");
}
