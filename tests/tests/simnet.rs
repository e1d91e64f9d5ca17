//! Sync over a hostile simulated network: frames dropped, duplicated and reordered,
//! connections cut mid-sync (sometimes with a stale persisted sync state), while both
//! partners keep editing. Once the network behaves, the two converge within a bounded
//! number of frames, and no edit either side made is lost.
//!
//! Each run takes the fixed seeds below plus one fresh seed (all printed), and runs
//! `SIMNET_CASES=n` cases from each (default 48: 192 in all). `SEED=s` replays one
//! seed; a failing case prints its own seed, replayed alone with `SIMNET_CASES=1`.
//! Seeds that once failed run as their own test, `simnet_fixtures`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::{Date, Slot};
use cocoach_testkit::generate::pair;
use cocoach_testkit::simnet::{Faults, SimNet, SimStats};
use cocoach_testkit::{Rng, cases, for_each_seed};

fn run(seed: u64) -> SimStats {
    run_with(seed, false)
}

/// `hard`: also frames split in two or with a bit flipped, and a peer restored
/// from an older backup of itself (document and sync state) now and then.
fn run_with(seed: u64, hard: bool) -> SimStats {
    let mut rng = Rng::new(seed);
    let mut p = pair(seed).unwrap();
    p.a.new_session(Date::new(2026, 2, 2).unwrap()).unwrap();
    p.a.commit();
    let mut net = SimNet::new(p.a, p.b);
    let faults = Faults {
        drop: rng.range(0, 30) as u32,
        duplicate: rng.range(0, 20) as u32,
        reorder: rng.range(0, 30) as u32,
        cut: rng.range(0, 10) as u32,
        split: if hard { rng.range(0, 20) as u32 } else { 0 },
        // Bit flips (QUIC never delivers one; a buggy or hostile partner might
        // send anything): each must end in a refusal and a reconnect, never a
        // stall or a loss. A flipped sequence number far ahead once stalled the
        // exchange until the next connection; a run of stale numbers now ends it.
        flip: if hard { rng.range(0, 5) as u32 } else { 0 },
    };
    for _ in 0..rng.range(50, 300) {
        match rng.below(10) {
            0 => net.edit(&mut rng, false),
            1 => net.edit(&mut rng, true),
            2 if rng.chance(30) => net.connect(),
            3 if rng.chance(10) => net.cut(&mut rng),
            4 if hard && rng.chance(20) => {
                let on_b = rng.chance(50);
                net.back_up(on_b);
            }
            5 if hard && rng.chance(5) => {
                let on_b = rng.chance(50);
                net.restore(on_b, &mut rng);
            }
            _ => {
                if !net.step(&mut rng, faults) && rng.chance(20) {
                    net.connect();
                }
            }
        }
    }
    // The network heals. Half the time on a fresh connection; otherwise the damaged
    // connection stays up and must recover by itself (heads announced, stalled
    // exchanges reset).
    if rng.chance(50) {
        net.cut(&mut rng);
    }
    let frames = net.settle(&mut rng, 200).unwrap_or_else(|| {
        panic!(
            "SEED={seed}: no convergence within 200 frames after healing ({:?})",
            net.stats
        )
    });
    let ha = net.a.doc.heads();
    let hb = net.b.doc.heads();
    assert_eq!(
        ha, hb,
        "SEED={seed}: heads differ after healing ({frames} frames, {:?})",
        net.stats
    );
    let pa = net.a.doc.read().unwrap();
    assert_eq!(
        pa,
        net.b.doc.read().unwrap(),
        "SEED={seed}: content differs"
    );
    let lines: Vec<&str> = pa
        .sessions
        .iter()
        .flat_map(|s| s.half(Slot::A).notes.split('\n'))
        .collect();
    for t in net.a.typed.iter().chain(&net.b.typed) {
        assert_eq!(
            lines.iter().filter(|l| **l == t.as_str()).count(),
            1,
            "SEED={seed}: edit {t} lost or doubled"
        );
    }
    for id in net.a.actions.iter().chain(&net.b.actions) {
        assert!(pa.action(id).is_some(), "SEED={seed}: action {id} lost");
    }
    net.stats
}

/// The starting seeds every run takes, before its one fresh seed.
const FIXED_SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn sync_converges_through_drops_duplicates_reorders_and_cuts() {
    cocoach_testkit::init_test_logging();
    let per_seed: usize = std::env::var("SIMNET_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48);
    let mut total = SimStats::default();
    let mut runs = 0;
    for_each_seed("simnet", &FIXED_SEEDS, |seed| {
        for case in cases(seed, per_seed) {
            let s = run(case);
            runs += 1;
            total.delivered += s.delivered;
            total.dropped += s.dropped;
            total.duplicated += s.duplicated;
            total.reordered += s.reordered;
            total.cuts += s.cuts;
            total.errors += s.errors;
            total.resets += s.resets;
            total.edits += s.edits;
        }
    });
    eprintln!("simnet: {runs} cases: {total:?}");
    if runs >= 20 {
        assert!(
            total.dropped > 0 && total.duplicated > 0 && total.reordered > 0 && total.cuts > 0,
            "the faults were not exercised: {total:?}"
        );
    }
}

/// Seeds that once failed stay here and always run, each as its own case.
#[test]
fn simnet_fixtures() {
    cocoach_testkit::init_test_logging();
    // Each exposed a stall once: duplicates keeping an exchange alive forever, a lost
    // change never re-sent, a lost Idle leaving one side waiting.
    for seed in [
        1u64,
        2,
        3,
        1795324478910403553,
        1795324351134344328,
        1795344849896208123,
    ] {
        run(seed);
    }
    // With bit flips and restores: a sequence number flipped far ahead made the
    // receiver drop every later message as stale (found 2026-12-07 with the
    // stale-run rule removed; it passes with it).
    run_with(14916246847766613371, true);
}

/// Issue 11, item 7: besides the faults above, a partner restored from an older
/// backup of itself — document and sync state both, with a new actor as every load
/// has — while the other holds changes the restored one lost. Both converge, and
/// nothing either side still holds is lost (only what neither holds any more: what
/// the restored side made after its backup and never sent). Frames also arrive
/// split in two (0–20 %) or with one bit flipped (0–5 %).
#[test]
fn sync_converges_after_a_partner_is_restored_from_an_older_backup() {
    cocoach_testkit::init_test_logging();
    let per_seed: usize = std::env::var("SIMNET_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(48);
    let mut total = SimStats::default();
    let mut runs = 0;
    for_each_seed("simnet restored", &FIXED_SEEDS, |seed| {
        for case in cases(seed, per_seed) {
            let s = run_with(case, true);
            runs += 1;
            total.cuts += s.cuts;
            total.errors += s.errors;
            total.edits += s.edits;
            total.restores += s.restores;
            total.lost += s.lost;
        }
    });
    eprintln!("simnet restored: {runs} cases: {total:?}");
    if runs >= 20 {
        assert!(total.restores > 0, "no peer was restored: {total:?}");
    }
}
