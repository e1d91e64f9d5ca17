//! Damaged files at scale: a realistic data directory (a year of weekly sessions,
//! a write-ahead log holding the latest edits not yet checkpointed, a journal, a
//! device file, a partner row and a sync state), damaged one way per case — bit
//! flips, runs of garbage, zeroed or swapped pages, page-aligned truncation,
//! damaged log frames, garbage rows in `sync_states` and `partners` — and opened
//! as the node opens it.
//!
//! Each case either loads exactly the original (heads, the typed read, the pinned
//! partner, the identity) or is refused: `Damaged` naming the file, the file left
//! as it was and a copy kept. Never a panic, never a different document, never a
//! new identity. `DAMAGE_CASES=n` cases per seed (default 340: three seeds in CI,
//! ~1,000 cases).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{DeviceKey, Partnership, Slot};
use cocoach_store::{
    DataDir, DeviceStore, Journal, JournalLink, PartnerRecord, PartnershipStore, StoreError,
};
use cocoach_testkit::generate::{HistoryShape, history};
use cocoach_testkit::{Rng, for_each_seed};

const PAGE: usize = 4096;

/// The files of the fixture, by name, and what opening them gives.
struct Fixture {
    files: BTreeMap<String, Vec<u8>>,
    heads: Vec<ChangeHash>,
    read: Partnership,
    partner: DeviceKey,
    me: DeviceKey,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::new(tmp.path().join("ana"));
        let mut p = history(HistoryShape::years(1), 7).unwrap();
        let me = p.id_a.public();
        let partner = p.id_b.public();
        let device = DeviceStore::create_with_identity(&dir, &p.id_a).unwrap();
        let mut store = PartnershipStore::create(&dir, &mut p.a).unwrap();
        store
            .upsert_partner(&PartnerRecord {
                key: partner,
                name: "Bo Chen".into(),
                addresses: vec!["192.0.2.7:4433".into()],
                paired_at_ms: Some(1),
                last_seen_ms: Some(2),
            })
            .unwrap();
        // A real sync state: what the node keeps after an exchange.
        let pid = p.a.partnership_id().to_string();
        let mut sa = cocoach_sync::SyncSession::new(&pid, None);
        let mut sb = cocoach_sync::SyncSession::new(&pid, None);
        cocoach_tests::exchange_sessions(&mut p.a, &mut sa, &mut p.b, &mut sb).unwrap();
        store.set_sync_state(&partner, &sa.encoded_state()).unwrap();
        let mut doc = p.a;
        // The latest edits: change rows in the log, not yet in the file.
        for i in 0..20 {
            store
                .commit_edit(&mut doc, |d| {
                    d.add_action(Slot::A, &format!("latest {i}"), None, None)
                })
                .unwrap();
        }
        let mut journal = Journal::open_or_create(&dir).unwrap();
        for i in 0..5 {
            journal
                .add(&format!("private {i}"), &JournalLink::None)
                .unwrap();
        }
        // Taken while the connections are open: the log is not checkpointed.
        let mut files = BTreeMap::new();
        for e in std::fs::read_dir(dir.root()).unwrap() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with("-shm") || name == "lock" || !e.file_type().unwrap().is_file() {
                continue;
            }
            files.insert(name, std::fs::read(e.path()).unwrap());
        }
        assert!(
            files
                .get("partnership.sqlite3-wal")
                .is_some_and(|w| w.len() > 32),
            "the fixture's log holds frames"
        );
        drop((store, journal, device));
        let fx = Fixture {
            files,
            heads: Vec::new(),
            read: doc.read().unwrap(),
            partner,
            me,
        };
        // What a clean copy opens to is the original.
        let t = tempfile::tempdir().unwrap();
        let (heads, read) = match open_all(&place(&fx.files, t.path())) {
            Ok(o) => (o.heads, o.read),
            Err(e) => panic!("the undamaged fixture does not open: {e}"),
        };
        assert!(read == fx.read, "the undamaged fixture reads differently");
        Fixture { heads, ..fx }
    })
}

fn place(files: &BTreeMap<String, Vec<u8>>, root: &Path) -> DataDir {
    std::fs::create_dir_all(root).unwrap();
    for (name, bytes) in files {
        std::fs::write(root.join(name), bytes).unwrap();
    }
    DataDir::new(root)
}

struct Opened {
    heads: Vec<ChangeHash>,
    read: Partnership,
    partner: Option<DeviceKey>,
    me: DeviceKey,
}

/// Open the directory as the node does: device, partnership with its identity,
/// the typed read, the pinned partner, the sync state as the sync layer reads it.
fn open_all(dir: &DataDir) -> Result<Opened, StoreError> {
    let device = DeviceStore::open_or_create(dir)?;
    let me = device.identity().public();
    let (store, mut doc, _) = PartnershipStore::open(dir, Some(device.identity()))?;
    let read = doc.read()?;
    let partner = store.pinned_partner(me)?;
    if let Some(p) = partner {
        // A garbled state is started afresh, never a panic.
        let state = store.sync_state(&p)?;
        let _ = cocoach_sync::SyncSession::unacknowledged_since(&mut doc, state.as_deref());
    }
    Ok(Opened {
        heads: doc.heads(),
        read,
        partner,
        me,
    })
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    BitFlips,
    Run,
    ZeroPage,
    SwapPages,
    Truncate,
    WalFrame,
    GarbageRows,
}

const DAMAGES: [Damage; 7] = [
    Damage::BitFlips,
    Damage::Run,
    Damage::ZeroPage,
    Damage::SwapPages,
    Damage::Truncate,
    Damage::WalFrame,
    Damage::GarbageRows,
];

/// Damage one file of `files` (in memory) or, for garbage rows, the placed
/// directory through SQLite. Returns the name of the file damaged.
fn damage(
    rng: &mut Rng,
    kind: Damage,
    files: &mut BTreeMap<String, Vec<u8>>,
    root: &Path,
) -> String {
    let names: Vec<String> = files
        .keys()
        .filter(|n| !n.ends_with("-wal"))
        .cloned()
        .collect();
    let pick = |rng: &mut Rng| {
        // The partnership most often: it is where the record lives.
        if rng.chance(60) {
            "partnership.sqlite3".to_string()
        } else {
            rng.pick(&names).clone()
        }
    };
    match kind {
        Damage::BitFlips => {
            let name = if rng.chance(25) {
                "partnership.sqlite3-wal".to_string()
            } else {
                pick(rng)
            };
            let b = files.get_mut(&name).unwrap();
            for _ in 0..rng.range(1, 9) {
                let at = rng.below(b.len());
                b[at] ^= 1 << rng.below(8);
            }
            name
        }
        Damage::Run => {
            let name = pick(rng);
            let b = files.get_mut(&name).unwrap();
            let len = rng.range(16, 513).min(b.len());
            let at = rng.below(b.len() - len + 1);
            for x in &mut b[at..at + len] {
                *x = rng.below(256) as u8;
            }
            name
        }
        Damage::ZeroPage => {
            let name = pick(rng);
            let b = files.get_mut(&name).unwrap();
            let pages = b.len() / PAGE;
            let p = rng.below(pages.max(1));
            let end = ((p + 1) * PAGE).min(b.len());
            b[p * PAGE..end].fill(0);
            name
        }
        Damage::SwapPages => {
            let name = pick(rng);
            let b = files.get_mut(&name).unwrap();
            let pages = b.len() / PAGE;
            if pages >= 2 {
                let x = rng.below(pages);
                let mut y = rng.below(pages);
                if y == x {
                    y = (x + 1) % pages;
                }
                let px: Vec<u8> = b[x * PAGE..(x + 1) * PAGE].to_vec();
                let py: Vec<u8> = b[y * PAGE..(y + 1) * PAGE].to_vec();
                b[x * PAGE..(x + 1) * PAGE].copy_from_slice(&py);
                b[y * PAGE..(y + 1) * PAGE].copy_from_slice(&px);
            }
            name
        }
        Damage::Truncate => {
            let name = if rng.chance(30) {
                "partnership.sqlite3-wal".to_string()
            } else {
                pick(rng)
            };
            let b = files.get_mut(&name).unwrap();
            let pages = b.len() / PAGE;
            b.truncate(rng.below(pages.max(1)) * PAGE);
            name
        }
        Damage::WalFrame => {
            // A frame of the log: its header (page number, salts, checksums) or body.
            let name = "partnership.sqlite3-wal".to_string();
            let b = files.get_mut(&name).unwrap();
            let frame = 24 + PAGE;
            let frames = (b.len() - 32) / frame;
            let f = rng.below(frames.max(1));
            let start = 32 + f * frame;
            let at = if rng.chance(50) {
                start + rng.below(24)
            } else {
                start + 24 + rng.below(PAGE)
            };
            if at < b.len() {
                b[at] ^= u8::try_from(rng.range(1, 255)).unwrap();
            }
            name
        }
        Damage::GarbageRows => {
            let dir = place(files, root);
            let c = rusqlite::Connection::open(dir.partnership_db()).unwrap();
            let junk: Vec<u8> = (0..rng.range(0, 200))
                .map(|_| rng.below(256) as u8)
                .collect();
            let text = String::from_utf8_lossy(&junk).into_owned();
            let sql = match rng.below(6) {
                0 => "UPDATE sync_states SET state = ?1",
                1 => "UPDATE sync_states SET peer = ?2",
                2 => "INSERT INTO sync_states(peer, state, updated_at) VALUES (?2, ?1, 0)",
                3 => "UPDATE partners SET addresses = ?1",
                4 => "UPDATE partners SET key = ?2",
                _ => {
                    "INSERT INTO partners(key, name, addresses, paired_at_ms) VALUES (?2, ?2, ?1, 0)"
                }
            };
            // Some garbage breaks a constraint: then it is not there.
            let _ = c.execute(sql, rusqlite::params![junk, text]);
            drop(c);
            // Read back what SQLite left (its log included), so the check below
            // compares against the damaged files themselves.
            let mut after = BTreeMap::new();
            for name in files.keys() {
                if let Ok(b) = std::fs::read(root.join(name)) {
                    after.insert(name.clone(), b);
                }
            }
            *files = after;
            "partnership.sqlite3".to_string()
        }
    }
}

#[derive(Debug, Default)]
struct Tally {
    loaded: usize,
    refused: BTreeMap<&'static str, usize>,
    by_kind: BTreeMap<String, usize>,
}

fn one_case(seed: u64, tally: &mut Tally) {
    let fx = fixture();
    let mut rng = Rng::new(seed);
    let kind = *rng.pick(&DAMAGES);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("d");
    let mut files = fx.files.clone();
    let damaged = damage(&mut rng, kind, &mut files, &root);
    let _ = std::fs::remove_dir_all(&root);
    let dir = place(&files, &root);
    *tally.by_kind.entry(format!("{kind:?}")).or_default() += 1;

    let r = std::panic::catch_unwind(|| open_all(&dir));
    let r = r.unwrap_or_else(|_| panic!("SEED={seed} ({kind:?} on {damaged}): panicked"));
    let at = || format!("SEED={seed} ({kind:?} on {damaged})");
    match r {
        Ok(o) => {
            assert_eq!(o.me, fx.me, "{}: a new identity", at());
            assert_eq!(o.heads, fx.heads, "{}: different heads", at());
            assert!(o.read == fx.read, "{}: a different document", at());
            assert_eq!(o.partner, Some(fx.partner), "{}: a different partner", at());
            tally.loaded += 1;
        }
        Err(StoreError::Damaged { file, kept, .. }) => {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let before = files
                .get(&name)
                .unwrap_or_else(|| panic!("{}: names {name}", at()));
            assert!(
                &std::fs::read(&file).unwrap() == before,
                "{}: the damaged file was changed",
                at()
            );
            // Its log too: what the record lost may be in it still.
            let wal = format!("{name}-wal");
            if let Some(before) = files.get(&wal) {
                assert!(
                    &std::fs::read(root.join(&wal)).unwrap() == before,
                    "{}: the damaged file's log was changed",
                    at()
                );
            }
            let kept: PathBuf = kept.unwrap_or_else(|| panic!("{}: no copy kept", at()));
            assert!(
                &std::fs::read(&kept).unwrap() == before,
                "{}: the copy differs",
                at()
            );
            *tally.refused.entry("damaged").or_default() += 1;
        }
        Err(e @ (StoreError::Foreign(_) | StoreError::NewerFormat { .. })) => {
            // A garbled application id or format number: refused, untouched.
            for (name, before) in &files {
                if name.ends_with("-wal") {
                    continue;
                }
                assert!(
                    &std::fs::read(root.join(name)).unwrap() == before,
                    "{}: {e} changed {name}",
                    at()
                );
            }
            *tally.refused.entry("foreign or newer").or_default() += 1;
        }
        Err(e) => panic!("{}: an unclear refusal: {e:#}", at()),
    }
}

#[test]
fn a_thousand_damaged_files_load_exactly_or_are_refused() {
    let n: usize = std::env::var("DAMAGE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(340);
    let t = std::time::Instant::now();
    fixture();
    eprintln!("damage: fixture built in {:?}", t.elapsed());
    let mut tally = Tally::default();
    for_each_seed("a_thousand_damaged_files", &[1, 2], |seed| {
        // Two threads (the CI machine's cores), each its own cases.
        let cases: Vec<u64> = cocoach_testkit::cases(seed, n).collect();
        let halves: Vec<Tally> = std::thread::scope(|s| {
            let handles: Vec<_> = cases
                .chunks(cases.len().div_ceil(2).max(1))
                .map(|part| {
                    s.spawn(move || {
                        let mut t = Tally::default();
                        for &case in part {
                            one_case(case, &mut t);
                        }
                        t
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        for t in halves {
            tally.loaded += t.loaded;
            for (k, v) in t.refused {
                *tally.refused.entry(k).or_default() += v;
            }
            for (k, v) in t.by_kind {
                *tally.by_kind.entry(k).or_default() += v;
            }
        }
    });
    eprintln!(
        "damage: {} cases in {:?}: {} loaded exactly, refused {:?}; kinds {:?}",
        tally.loaded + tally.refused.values().sum::<usize>(),
        t.elapsed(),
        tally.loaded,
        tally.refused,
        tally.by_kind
    );
    assert!(
        tally.refused.get("damaged").copied().unwrap_or(0) > n / 4,
        "{tally:?}"
    );
}
