//! Crash test: a child process saves edits and prints each one once saved; the parent
//! kills it with SIGKILL at random moments (compaction included). After every kill the
//! store must open and hold every edit the child printed.
//!
//! Each run takes the fixed seeds below plus one fresh seed (all printed); each seed
//! is one fresh store killed `KILLS=n` times (default 50: 200 kills in all). `SEED=s`
//! replays one seed's kill delays and compaction intervals (where the kills land
//! in the child's work still depends on timing).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use cocoach_doc::{Date, PartnershipDoc, Slot};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_testkit::{Rng, for_each_seed};

fn fresh_dir() -> (tempfile::TempDir, DataDir) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let id = cocoach_doc::DeviceIdentity::from_seed([3; 32]);
    let mut doc = PartnershipDoc::create("Crash Tester", &id).unwrap();
    doc.new_session(Date::new(2026, 1, 5).unwrap()).unwrap();
    PartnershipStore::create(&dir, &mut doc).unwrap();
    (tmp, dir)
}

/// Every edit the child reported as saved must be in the store.
fn check(dir: &DataDir, saved: &BTreeSet<u64>, ctx: &str) {
    let (_, doc, _) = PartnershipStore::open(dir, None)
        .unwrap_or_else(|e| panic!("{ctx}: store does not open after SIGKILL: {e}"));
    let p = doc.read().unwrap();
    let s = &p.sessions[0];
    let words: BTreeSet<&str> = s.half(Slot::A).notes.split('\n').collect();
    let options: BTreeSet<&str> = s.half(Slot::B).options.iter().map(String::as_str).collect();
    let actions: BTreeSet<&str> = p.actions.iter().map(|a| a.what.as_str()).collect();
    for n in saved {
        let (set, tok) = match n % 3 {
            0 => (&words, format!("w{n}")),
            1 => (&actions, format!("a{n}")),
            _ => (&options, format!("o{n}")),
        };
        assert!(
            set.contains(tok.as_str()),
            "{ctx}: saved edit {n} is missing after SIGKILL"
        );
    }
}

const FIXED_SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn every_saved_edit_survives_sigkill() {
    let kills: usize = std::env::var("KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(50);
    let mut printed_total = 0;
    let mut kills_total = 0;
    for_each_seed("crash", &FIXED_SEEDS, |seed| {
        printed_total += kill_repeatedly(seed, kills);
        kills_total += kills;
    });
    eprintln!("crash: {kills_total} kills, {printed_total} saved edits checked");
    assert!(
        printed_total > kills_total,
        "the child saved too few edits to test anything ({printed_total})"
    );
}

/// A store killed `kills` times (a new one every 50); returns how many saved edits were checked.
fn kill_repeatedly(seed: u64, kills: usize) -> usize {
    let mut rng = Rng::new(seed);
    let exe = env!("CARGO_BIN_EXE_crash-writer");
    let (mut _tmp, mut dir) = fresh_dir();
    let mut saved: BTreeSet<u64> = BTreeSet::new();
    let mut printed_total = 0;
    for kill in 0..kills {
        // A long soak starts over every 50 kills, so the store stays small.
        if kill % 50 == 49 {
            (_tmp, dir) = fresh_dir();
            saved.clear();
        }
        let first = kill as u64 * 1_000_000;
        let compact_every = rng.range(5, 60);
        let mut child = Command::new(exe)
            .arg(dir.root())
            .arg(first.to_string())
            .arg(compact_every.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn crash-writer");
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut got = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line
                    .strip_prefix("saved ")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    got.push(n);
                }
            }
            got
        });
        std::thread::sleep(Duration::from_millis(rng.range(5, 80) as u64));
        // SIGKILL: no chance to clean up.
        let _ = child.kill();
        let status = child.wait().unwrap();
        let got = reader.join().unwrap();
        if status.success() {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
            panic!("crash-writer exited on its own: {err}");
        }
        printed_total += got.len();
        saved.extend(got);
        check(&dir, &saved, &format!("SEED={seed} kill {kill}"));
    }
    printed_total
}
