//! An earlier partnership is never taken for the latest: the device file records
//! the heads of every save, and a partnership file lacking them (its log cut or
//! damaged, an older copy put in its place) is refused as damaged — untouched,
//! a copy kept. What legitimately rewinds it (a restore, a fresh join) opens.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{PartnershipDoc, Slot};
use cocoach_store::backup::{self, BackupOptions, RestoreOptions};
use cocoach_store::{DataDir, DeviceStore, PartnershipStore, StoreError};

/// A device and a partnership with `n` saved actions. Returns the open stores.
fn ana(root: &Path, n: usize) -> (DeviceStore, PartnershipStore, PartnershipDoc) {
    let dir = DataDir::new(root);
    let device = DeviceStore::open_or_create(&dir).unwrap();
    let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    add(&mut store, &mut doc, 0..n);
    (device, store, doc)
}

fn add(store: &mut PartnershipStore, doc: &mut PartnershipDoc, ids: std::ops::Range<usize>) {
    for i in ids {
        store
            .commit_edit(doc, |d| {
                d.add_action(Slot::A, &format!("action {i}"), None, None)
            })
            .unwrap();
    }
}

fn open(dir: &DataDir) -> Result<Vec<ChangeHash>, StoreError> {
    let device = DeviceStore::open_or_create(dir)?;
    let (_, mut doc, _) = PartnershipStore::open(dir, Some(device.identity()))?;
    Ok(doc.heads())
}

fn wal(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", file.display()))
}

/// Copy the files of a data directory as they are on disk this moment (the
/// connections may be open: logs not checkpointed are copied as they are).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_file() && !name.ends_with("-shm") && name != "lock" {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

fn assert_refused_untouched(dir: &DataDir, err: StoreError) {
    let before = std::fs::read(dir.partnership_db()).unwrap();
    let wal_before = std::fs::read(wal(&dir.partnership_db())).ok();
    match err {
        StoreError::Damaged {
            file, kept, reason, ..
        } => {
            assert_eq!(file, dir.partnership_db());
            assert!(reason.contains("lacks the latest changes"), "{reason}");
            let kept = kept.expect("a copy is kept");
            assert_eq!(std::fs::read(kept).unwrap(), before, "the copy is the file");
        }
        e => panic!("expected Damaged, got {e:?}"),
    }
    assert_eq!(std::fs::read(dir.partnership_db()).unwrap(), before);
    assert_eq!(std::fs::read(wal(&dir.partnership_db())).ok(), wal_before);
}

#[test]
fn a_log_cut_after_its_saves_returned_is_refused_not_opened_as_an_earlier_state() {
    let t = tempfile::tempdir().unwrap();
    let (device, store, mut doc) = ana(&t.path().join("ana"), 12);
    let latest = doc.heads();
    // The record is plain SQL in the device file: the heads of the last save.
    let c = rusqlite::Connection::open(t.path().join("ana/device.sqlite3")).unwrap();
    let (id, heads): (String, Vec<u8>) = c
        .query_row("SELECT partnership_id, heads FROM saved_heads", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(id, doc.partnership_id().as_str());
    assert_eq!(heads, latest.iter().flat_map(|h| h.0).collect::<Vec<u8>>());
    drop(c);

    // The copy as the disk holds it, its log intact: opens to the latest.
    let whole = DataDir::new(t.path().join("whole"));
    copy_dir(&t.path().join("ana"), whole.root());
    assert_eq!(open(&whole).unwrap(), latest);

    // The same with the log cut two frames short (a damaged frame makes SQLite
    // end the log there alike): SQLite would open the state before the last save.
    let cut = DataDir::new(t.path().join("cut"));
    copy_dir(&t.path().join("ana"), cut.root());
    let log = wal(&cut.partnership_db());
    let len = std::fs::metadata(&log).unwrap().len();
    let frame = 24 + 4096;
    assert!(len > 32 + 2 * frame, "the log holds frames ({len} bytes)");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(len - 2 * frame)
        .unwrap();
    let err = open(&cut).unwrap_err();
    assert_refused_untouched(&cut, err);
    drop((store, device));
}

#[test]
fn an_older_copy_put_in_place_of_the_partnership_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("ana");
    let (device, store, doc) = ana(&root, 3);
    drop((store, doc));
    let old = std::fs::read(root.join("partnership.sqlite3")).unwrap();
    let dir = DataDir::new(&root);
    let (mut store, mut doc, _) = PartnershipStore::open(&dir, Some(device.identity())).unwrap();
    add(&mut store, &mut doc, 3..6);
    drop((store, doc, device));
    std::fs::write(root.join("partnership.sqlite3"), old).unwrap();
    let _ = std::fs::remove_file(wal(&dir.partnership_db()));
    let err = open(&dir).unwrap_err();
    assert_refused_untouched(&dir, err);
}

#[test]
fn a_restored_older_backup_opens() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("ana");
    let (device, mut store, mut doc) = ana(&root, 3);
    let dir = DataDir::new(&root);
    let file = t.path().join("ana.cocoach");
    for device_key in [false, true] {
        backup::backup(
            &dir,
            &file,
            BackupOptions {
                device_key,
                ..BackupOptions::default()
            },
        )
        .unwrap();
        let at_backup = doc.heads();
        add(&mut store, &mut doc, 3..6);
        assert_ne!(doc.heads(), at_backup);
        drop((store, doc));
        backup::restore(
            &dir,
            &file,
            RestoreOptions {
                replace_existing: true,
            },
        )
        .unwrap();
        assert_eq!(
            open(&dir).unwrap(),
            at_backup,
            "device key in it: {device_key}"
        );
        (store, doc, _) = PartnershipStore::open(&dir, Some(device.identity())).unwrap();
    }
}

#[test]
fn a_partnership_made_afresh_after_the_old_was_moved_away_opens() {
    // As a join after a damaged partnership was moved away: the partner's copy
    // may lack what this device saved last time.
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("ana");
    let (device, mut store, mut doc) = ana(&root, 2);
    let bytes = doc.automerge_mut().save();
    let mut earlier =
        PartnershipDoc::from_automerge(cocoach_doc::automerge::AutoCommit::load(&bytes).unwrap())
            .unwrap();
    add(&mut store, &mut doc, 2..5);
    drop((store, doc));
    let dir = DataDir::new(&root);
    for f in [dir.partnership_db(), wal(&dir.partnership_db())] {
        let _ = std::fs::remove_file(f);
    }
    let _ = std::fs::remove_file(format!("{}-shm", dir.partnership_db().display()));
    PartnershipStore::create(&dir, &mut earlier).unwrap();
    assert_eq!(open(&dir).unwrap(), earlier.heads());
    drop(device);
}

#[test]
fn a_damaged_record_is_not_taken_for_a_damaged_partnership() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path().join("ana");
    let (device, store, mut doc) = ana(&root, 2);
    let latest = doc.heads();
    drop((store, doc, device));
    let c = rusqlite::Connection::open(root.join("device.sqlite3")).unwrap();
    // A bit flipped in the recorded heads: its checksum no longer holds.
    let mut heads: Vec<u8> = c
        .query_row("SELECT heads FROM saved_heads", [], |r| r.get(0))
        .unwrap();
    heads[5] ^= 0x10;
    c.execute("UPDATE saved_heads SET heads = ?1", [heads])
        .unwrap();
    drop(c);
    assert_eq!(open(&DataDir::new(&root)).unwrap(), latest);
}
