//! Bad files: every kind of damaged database or blob gives a clear error that names
//! the file, the damaged file is left untouched with a copy kept aside, the user's
//! other files stay readable, and nothing panics.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use cocoach_doc::{Date, DeviceIdentity, HalfText, PartnershipDoc, Slot, export};
use cocoach_store::{DataDir, DeviceStore, Journal, JournalLink, PartnershipStore, StoreError};
use cocoach_testkit::{Rng, for_each_seed};
use rusqlite::{Connection, params};

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: DataDir,
    markdown: String,
}

/// A data directory with a compacted snapshot, later change rows, a journal entry
/// and a device identity.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let device = DeviceStore::open_or_create(&dir).unwrap();
    let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    let s = doc.new_session(Date::new(2026, 3, 2).unwrap()).unwrap();
    doc.append_half_text(
        &s,
        Slot::A,
        HalfText::Goal,
        "Move into UX research — Zürich",
    )
    .unwrap();
    doc.commit();
    store.save(&mut doc).unwrap();
    store.compact(&mut doc).unwrap();
    for i in 0..5 {
        doc.add_action(
            Slot::A,
            &format!("step {i}"),
            Date::new(2026, 3, 9),
            Some(&s),
        )
        .unwrap();
        doc.commit();
        store.save(&mut doc).unwrap();
    }
    let markdown = export::markdown(&doc.read().unwrap());
    let mut j = Journal::open_or_create(&dir).unwrap();
    j.add("private thought", &JournalLink::Session(s.to_string()))
        .unwrap();
    Fixture {
        _tmp: tmp,
        dir,
        markdown,
    }
}

fn open(dir: &DataDir) -> Result<String, StoreError> {
    let (_, doc, _) = PartnershipStore::open(dir, None)?;
    Ok(export::markdown(&doc.read()?))
}

/// The error is `Damaged`, names `file`, keeps an identical copy, and left the file as it was.
fn assert_damaged(err: StoreError, file: &Path, before: &[u8]) {
    let msg = err.to_string();
    let StoreError::Damaged { file: f, kept, .. } = err else {
        panic!("expected Damaged, got {msg}");
    };
    assert_eq!(f, file, "{msg}");
    assert!(
        msg.contains(&file.display().to_string()),
        "message does not name the file: {msg}"
    );
    let kept = kept.unwrap_or_else(|| panic!("no copy kept: {msg}"));
    assert!(
        msg.contains(&kept.display().to_string()),
        "message does not say where the copy is: {msg}"
    );
    assert_eq!(
        std::fs::read(&kept).unwrap(),
        before,
        "the kept copy differs from the damaged file"
    );
    assert_eq!(
        std::fs::read(file).unwrap(),
        before,
        "the damaged file was changed"
    );
}

fn other_data_readable(dir: &DataDir) {
    let j = Journal::open_or_create(dir).expect("journal still opens");
    assert_eq!(j.list().unwrap().len(), 1, "journal entry still there");
    DeviceStore::open_or_create(dir).expect("device identity still opens");
}

fn damage_file(f: &Fixture, damage: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let path = f.dir.partnership_db();
    let mut bytes = std::fs::read(&path).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();
    bytes
}

#[test]
fn empty_database_file_is_an_error_not_an_empty_partnership() {
    let f = fixture();
    let bytes = damage_file(&f, Vec::clear);
    let err = open(&f.dir).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    assert_damaged(err, &f.dir.partnership_db(), &bytes);
    other_data_readable(&f.dir);
}

#[test]
fn truncated_database_file() {
    let cuts: [fn(usize) -> usize; 3] = [|n| n / 2, |n| n - 100, |_| 50];
    for cut in cuts {
        let f = fixture();
        let bytes = damage_file(&f, |b| b.truncate(cut(b.len())));
        let err = open(&f.dir).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        assert_damaged(err, &f.dir.partnership_db(), &bytes);
        other_data_readable(&f.dir);
    }
}

#[test]
fn garbled_header_and_foreign_files() {
    let f = fixture();
    let bytes = damage_file(&f, |b| b[..16].copy_from_slice(b"not a database!!"));
    assert_damaged(open(&f.dir).unwrap_err(), &f.dir.partnership_db(), &bytes);

    // A valid SQLite file of some other program is refused, not modified.
    let f = fixture();
    let path = f.dir.partnership_db();
    std::fs::remove_file(&path).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(open(&f.dir), Err(StoreError::Foreign(p)) if p == path));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Random garbage written over random bytes: either a clear `Damaged` error or, when
/// it fell on unused space, exactly the same partnership. Never a panic, never a
/// silently different document.
///
/// The fixed seeds plus one fresh seed (all printed), 20 trials each; `SEED=s`
/// replays one seed.
#[test]
fn random_garbage_is_detected_or_harmless() {
    let (mut damaged, mut harmless) = (0, 0);
    for_each_seed("corruption", &[1, 2], |seed| {
        let (d, h) = garble(seed, 20);
        damaged += d;
        harmless += h;
    });
    eprintln!("corruption: {damaged} detected, {harmless} harmless");
    assert!(damaged > 0);
}

/// `trials` random garblings from `seed`: how many were detected and how many harmless.
fn garble(seed: u64, trials: usize) -> (usize, usize) {
    let mut rng = Rng::new(seed);
    let (mut damaged, mut harmless) = (0, 0);
    for trial in 0..trials {
        let f = fixture();
        // Half the trials aim at the stored Automerge bytes themselves.
        let c = Connection::open(f.dir.partnership_db()).unwrap();
        let mut blobs: Vec<Vec<u8>> = c
            .prepare("SELECT bytes FROM changes UNION ALL SELECT bytes FROM snapshots")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        drop(c);
        blobs.retain(|b| b.len() >= 48);
        let target = (trial % 2 == 0).then(|| rng.pick(&blobs).clone());
        let bytes = damage_file(&f, |b| {
            let at = match target
                .as_ref()
                .and_then(|t| b.windows(32).position(|w| w == &t[..32]))
            {
                Some(start) => start + rng.range(0, 31),
                None => rng.range(100, b.len() - 20),
            };
            for i in 0..rng.range(1, 16) {
                b[at + i] ^= u8::try_from(rng.range(1, 255)).unwrap();
            }
        });
        let r = std::panic::catch_unwind(|| open(&f.dir));
        let r = r.unwrap_or_else(|_| panic!("SEED={seed} trial {trial}: panicked"));
        match r {
            Ok(md) => {
                assert_eq!(
                    md, f.markdown,
                    "SEED={seed} trial {trial}: silently different document"
                );
                harmless += 1;
            }
            Err(e @ StoreError::Damaged { .. }) => {
                assert_damaged(e, &f.dir.partnership_db(), &bytes);
                damaged += 1;
            }
            Err(e) => panic!("SEED={seed} trial {trial}: unexpected error kind: {e}"),
        }
    }
    (damaged, harmless)
}

fn with_db(f: &Fixture, sql: &str) -> Vec<u8> {
    let path = f.dir.partnership_db();
    let c = Connection::open(&path).unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    std::fs::read(&path).unwrap()
}

#[test]
fn empty_truncated_or_garbled_snapshot() {
    let f = fixture();
    let bytes = with_db(&f, "UPDATE snapshots SET bytes = x''");
    let err = open(&f.dir).unwrap_err();
    assert!(
        err.to_string().contains("snapshot") && err.to_string().contains("empty"),
        "{err}"
    );
    assert_damaged(err, &f.dir.partnership_db(), &bytes);
    other_data_readable(&f.dir);

    let f = fixture();
    let bytes = with_db(
        &f,
        "UPDATE snapshots SET bytes = substr(bytes, 1, length(bytes) - 7)",
    );
    let err = open(&f.dir).unwrap_err();
    assert!(err.to_string().contains("snapshot"), "{err}");
    assert_damaged(err, &f.dir.partnership_db(), &bytes);

    let f = fixture();
    let c = Connection::open(f.dir.partnership_db()).unwrap();
    let mut snap: Vec<u8> = c
        .query_row("SELECT bytes FROM snapshots", [], |r| r.get(0))
        .unwrap();
    let mid = snap.len() / 2;
    snap[mid] ^= 0x40;
    c.execute("UPDATE snapshots SET bytes = ?1", params![snap])
        .unwrap();
    drop(c);
    let bytes = std::fs::read(f.dir.partnership_db()).unwrap();
    assert_damaged(open(&f.dir).unwrap_err(), &f.dir.partnership_db(), &bytes);
}

#[test]
fn empty_truncated_garbled_or_missing_change_rows() {
    for (sql, what) in [
        (
            "UPDATE changes SET bytes = x'' WHERE rowid = (SELECT min(rowid) FROM changes)",
            "empty",
        ),
        (
            "UPDATE changes SET bytes = substr(bytes, 1, 20) WHERE rowid = (SELECT min(rowid) FROM changes)",
            "cannot be read",
        ),
        (
            "UPDATE changes SET hash = zeroblob(32) WHERE rowid = (SELECT max(rowid) FROM changes)",
            "hash",
        ),
        (
            "DELETE FROM changes WHERE rowid = (SELECT min(rowid) FROM changes)",
            "missing",
        ),
    ] {
        let f = fixture();
        let bytes = with_db(&f, sql);
        let err = open(&f.dir).unwrap_err();
        assert!(err.to_string().contains(what), "{sql}: {err}");
        assert_damaged(err, &f.dir.partnership_db(), &bytes);
        other_data_readable(&f.dir);
    }
}

#[test]
fn database_with_no_document_data_is_an_error() {
    let f = fixture();
    let bytes = with_db(&f, "DELETE FROM changes; DELETE FROM snapshots;");
    let err = open(&f.dir).unwrap_err();
    assert!(err.to_string().contains("no partnership data"), "{err}");
    assert_damaged(err, &f.dir.partnership_db(), &bytes);
}

fn damage(path: &PathBuf) -> Vec<u8> {
    let mut b = std::fs::read(path).unwrap();
    b.truncate(b.len() / 2 + 1);
    std::fs::write(path, &b).unwrap();
    b
}

#[test]
fn a_damaged_journal_or_device_file_leaves_the_partnership_readable() {
    let f = fixture();
    let path = f.dir.journal_db();
    let bytes = damage(&path);
    assert_damaged(Journal::open_or_create(&f.dir).unwrap_err(), &path, &bytes);
    assert_eq!(open(&f.dir).unwrap(), f.markdown);

    let f = fixture();
    let path = f.dir.device_db();
    let bytes = damage(&path);
    assert_damaged(
        DeviceStore::open_or_create(&f.dir).unwrap_err(),
        &path,
        &bytes,
    );
    assert_eq!(open(&f.dir).unwrap(), f.markdown);
    assert_eq!(
        Journal::open_or_create(&f.dir)
            .unwrap()
            .list()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_zero_length_device_file_never_becomes_a_new_identity() {
    let f = fixture();
    let path = f.dir.device_db();
    std::fs::write(&path, b"").unwrap();
    let err = DeviceStore::open_or_create(&f.dir).unwrap_err();
    assert_damaged(err, &path, b"");
}

#[test]
fn identity_is_created_once_and_kept_private() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let first = DeviceStore::open_or_create(&dir).unwrap();
    assert!(first.was_created());
    let key = first.identity().public();
    drop(first);
    let again = DeviceStore::open_or_create(&dir).unwrap();
    assert!(!again.was_created());
    assert_eq!(again.identity().public(), key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.device_db())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "device file readable by others: {mode:o}");
    }
    let _ = DeviceIdentity::from_seed([0; 32]);
}
