//! Backup and restore: a backup restores as the same partnership, holds the journal
//! and the device key only when asked, is refused whole when anything in it is wrong
//! (with the data directory untouched), never replaces a partnership unasked, keeps
//! what it replaces, and captures the latest saved edit while the store is open.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{ContractField, Date, DeviceIdentity, HalfText, PartnershipDoc, Slot, export};
use cocoach_store::backup::{
    self, BackupError, BackupOptions, Part, RestoreOptions, check_backup, restore,
};
use cocoach_store::{DataDir, DeviceStore, Journal, JournalLink, PartnershipStore, StoreError};

const NO_REPLACE: RestoreOptions = RestoreOptions {
    replace_existing: false,
};
const REPLACE: RestoreOptions = RestoreOptions {
    replace_existing: true,
};

/// A partnership with a contract term, a session with notes and an action, and a
/// reflection in the journal. Every connection is closed when it returns.
fn ana(root: &Path) -> DataDir {
    let dir = DataDir::new(root);
    let device = DeviceStore::open_or_create(&dir).unwrap();
    let mut doc = PartnershipDoc::create("Ana", device.identity()).unwrap();
    PartnershipStore::create(&dir, &mut doc).unwrap();
    let (mut store, mut doc, _) = PartnershipStore::open(&dir, Some(device.identity())).unwrap();
    store
        .commit_edit(&mut doc, |d| {
            d.set_contract(ContractField::Place, "Café Zürich")?;
            let s = d.new_session(Date::new(2026, 11, 20).unwrap())?;
            d.append_half_text(&s, Slot::A, HalfText::Goal, "UX research 🎯")?;
            d.add_action(Slot::A, "Email Jana", Date::new(2026, 11, 27), Some(&s))?;
            Ok::<_, cocoach_doc::DocError>(())
        })
        .unwrap();
    let mut j = Journal::open_or_create(&dir).unwrap();
    j.add("Nervous but hopeful", &JournalLink::None).unwrap();
    dir
}

fn heads_and_export(dir: &DataDir) -> (Vec<ChangeHash>, String) {
    let (_, mut doc, _) = PartnershipStore::open(dir, None).unwrap();
    (doc.heads(), export::markdown(&doc.read().unwrap()))
}

fn journal_texts(dir: &DataDir) -> Vec<String> {
    Journal::open_or_create(dir)
        .unwrap()
        .list()
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect()
}

/// Every file under `root` and its bytes (the `lock` file aside: taking the lock
/// creates it, and it holds nothing).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(d) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.file_name().unwrap() != "lock" {
                out.insert(
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn backup_of(dir: &DataDir, file: &Path, opts: BackupOptions) {
    backup::backup(dir, file, opts).unwrap();
}

#[test]
fn a_restore_into_a_fresh_directory_is_the_same_partnership() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let file = t.path().join("ana.cocoach");
    let report = backup::backup(&src, &file, BackupOptions::default()).unwrap();
    assert_eq!(report.parts, [Part::Partnership]);

    let fresh = DataDir::new(t.path().join("new-laptop"));
    let restored = restore(&fresh, &file, NO_REPLACE).unwrap();
    assert_eq!(heads_and_export(&fresh), heads_and_export(&src));
    assert!(heads_and_export(&fresh).1.contains("Café Zürich"));
    assert!(heads_and_export(&fresh).1.contains("Email Jana"));
    assert_eq!(restored.restored, [Part::Partnership]);
    assert_eq!(restored.replaced, None);
    // No key in the backup: a fresh machine gets its own, which is not a partner's.
    assert!(restored.new_device_key);
    assert!(!restored.device_is_partner);
    let me = DeviceStore::open_or_create(&fresh).unwrap();
    assert_eq!(restored.device_key, Some(me.identity().public()));
    let original = DeviceStore::open_or_create(&src).unwrap();
    assert_ne!(me.identity().public(), original.identity().public());
    // No journal either: none appears.
    assert!(!fresh.journal_db().exists());
}

#[test]
fn the_journal_and_the_device_key_are_in_a_backup_only_when_asked() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let original_key = DeviceStore::open_or_create(&src)
        .unwrap()
        .identity()
        .public();
    let names = |file: &Path| -> Vec<String> {
        let c = rusqlite::Connection::open(file).unwrap();
        let mut s = c.prepare("SELECT name FROM files ORDER BY name").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };

    let plain = t.path().join("plain.cocoach");
    backup_of(&src, &plain, BackupOptions::default());
    assert_eq!(names(&plain), ["partnership.sqlite3"]);
    let bytes = std::fs::read(&plain).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        !has(b"Nervous but hopeful"),
        "the journal's text is not in it"
    );

    let with_journal = t.path().join("journal.cocoach");
    backup_of(
        &src,
        &with_journal,
        BackupOptions {
            journal: true,
            device_key: false,
        },
    );
    assert_eq!(
        names(&with_journal),
        ["journal.sqlite3", "partnership.sqlite3"]
    );
    let d1 = DataDir::new(t.path().join("r1"));
    let r1 = restore(&d1, &with_journal, NO_REPLACE).unwrap();
    assert_eq!(r1.restored, [Part::Partnership, Part::Journal]);
    assert_eq!(journal_texts(&d1), ["Nervous but hopeful"]);
    assert!(!r1.device_is_partner);

    let with_key = t.path().join("key.cocoach");
    backup_of(
        &src,
        &with_key,
        BackupOptions {
            journal: false,
            device_key: true,
        },
    );
    assert_eq!(names(&with_key), ["device.sqlite3", "partnership.sqlite3"]);
    let d2 = DataDir::new(t.path().join("r2"));
    let r2 = restore(&d2, &with_key, NO_REPLACE).unwrap();
    assert!(r2.device_is_partner);
    assert!(!r2.new_device_key);
    let restored_key = DeviceStore::open_or_create(&d2)
        .unwrap()
        .identity()
        .public();
    assert_eq!(restored_key, original_key);
    assert!(!d2.journal_db().exists());
    // The restored device is this device again: it edits the partnership.
    let (mut store, mut doc, _) = {
        let dev = DeviceStore::open_or_create(&d2).unwrap();
        PartnershipStore::open(&d2, Some(dev.identity())).unwrap()
    };
    assert_eq!(doc.my_slot().unwrap(), Slot::A);
    store
        .commit_edit(&mut doc, |d| {
            d.set_contract(ContractField::Place, "Library")
        })
        .unwrap();
}

/// The backup's layout is the documented one, and a file comes out of it with
/// plain SQL, as the user guide shows with the sqlite3 command line.
#[test]
fn a_file_comes_out_of_a_backup_with_plain_sql() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let file = t.path().join("ana.cocoach");
    backup_of(&src, &file, BackupOptions::default());
    let c = rusqlite::Connection::open(&file).unwrap();
    let meta: BTreeMap<String, String> = {
        let mut s = c.prepare("SELECT key, value FROM meta").unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let (_, doc, _) = PartnershipStore::open(&src, None).unwrap();
    assert_eq!(meta["format"], "cocoach-backup");
    assert_eq!(meta["format_version"], "1");
    assert_eq!(meta["partnership_id"], doc.partnership_id().to_string());
    assert_eq!(meta["includes"], "partnership.sqlite3");
    assert!(meta["created_at_ms"].parse::<i64>().unwrap() > 0);
    assert!(!meta["cocoach_version"].is_empty());
    let out = DataDir::new(t.path().join("by-hand"));
    std::fs::create_dir(out.root()).unwrap();
    let bytes: Vec<u8> = c
        .query_row(
            "SELECT bytes FROM files WHERE name = 'partnership.sqlite3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    std::fs::write(out.partnership_db(), bytes).unwrap();
    assert_eq!(heads_and_export(&out), heads_and_export(&src));
}

/// Change the partnership image in the backup `at` and write its sha256 anew, as
/// a backup made from a damaged file would be.
fn reseal(at: &Path, change: impl FnOnce(&mut Vec<u8>)) {
    use sha2::Digest;
    let c = rusqlite::Connection::open(at).unwrap();
    let mut img: Vec<u8> = c
        .query_row(
            "SELECT bytes FROM files WHERE name = 'partnership.sqlite3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    change(&mut img);
    let sha = cocoach_doc::hex_encode(&sha2::Sha256::digest(&img));
    c.execute(
        "UPDATE files SET bytes = ?1, sha256 = ?2 WHERE name = 'partnership.sqlite3'",
        rusqlite::params![img, sha],
    )
    .unwrap();
}

/// Damage in a few forms, each made from a good backup.
fn spoiled(good: &Path, at: &Path, how: &str) {
    std::fs::copy(good, at).unwrap();
    let edit = |sql: &str| {
        let c = rusqlite::Connection::open(at).unwrap();
        c.execute_batch(sql).unwrap();
    };
    match how {
        "truncated" => {
            let bytes = std::fs::read(good).unwrap();
            std::fs::write(at, &bytes[..bytes.len() / 2]).unwrap();
        }
        "bit flipped in an image" => {
            let mut bytes = std::fs::read(good).unwrap();
            // The partnership image starts with its own SQLite header, somewhere
            // after the backup's.
            let magic = b"SQLite format 3\0";
            let start = bytes
                .windows(magic.len())
                .skip(1)
                .position(|w| w == magic)
                .unwrap()
                + 1;
            bytes[start + 40] ^= 0x10;
            std::fs::write(at, bytes).unwrap();
        }
        "damaged image, sha256 redone" => reseal(at, |img| {
            // Pages 2 and 3 (of 4096 bytes) overwritten.
            let end = img.len().min(4096 * 3);
            img[4096..end].fill(0xA5);
        }),
        "index out of step, sha256 redone" => {
            // The image's meta row renamed in its table page only: its index still
            // has the old key. A quick check does not see that; a full one does.
            reseal(at, |img| {
                let key = b"partnership_id";
                let at = (0..img.len() - key.len() - 32)
                    .find(|&i| {
                        &img[i..i + key.len()] == key
                            && img[i + key.len()..i + key.len() + 32]
                                .iter()
                                .all(u8::is_ascii_hexdigit)
                    })
                    .expect("the meta row");
                img[at] = b'P';
            });
        }
        "journal posing as the partnership" => edit(
            "UPDATE files SET
                bytes = (SELECT bytes FROM files WHERE name = 'journal.sqlite3'),
                sha256 = (SELECT sha256 FROM files WHERE name = 'journal.sqlite3')
             WHERE name = 'partnership.sqlite3'",
        ),
        "newer format" => edit("UPDATE meta SET value = '2' WHERE key = 'format_version'"),
        "plain SQLite file" => {
            std::fs::remove_file(at).unwrap();
            edit("CREATE TABLE t(x); INSERT INTO t VALUES (1);");
        }
        "a data file, not a backup" => {
            std::fs::copy(good.parent().unwrap().join("ana/partnership.sqlite3"), at).unwrap();
        }
        "text" => std::fs::write(at, "not a backup at all\n").unwrap(),
        _ => unreachable!(),
    }
}

#[test]
fn a_damaged_foreign_or_newer_backup_is_refused_and_the_target_is_untouched() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let good = t.path().join("good.cocoach");
    backup_of(
        &src,
        &good,
        BackupOptions {
            journal: true,
            device_key: false,
        },
    );
    // A second partnership that a bad backup must leave alone, even when told to
    // replace it.
    let bo = ana(&t.path().join("bo"));
    let before = snapshot(bo.root());
    let cases: &[(&str, &str)] = &[
        ("truncated", "truncated"),
        ("bit flipped in an image", "does not match its sha256"),
        ("damaged image, sha256 redone", "partnership.sqlite3"),
        (
            "index out of step, sha256 redone",
            "its partnership.sqlite3 fails SQLite's integrity check",
        ),
        ("journal posing as the partnership", "partnership.sqlite3"),
        ("newer format", "update cocoach"),
        ("plain SQLite file", "not a cocoach backup"),
        ("a data file, not a backup", "cocoach's data files"),
        ("text", "not a cocoach backup"),
    ];
    for (i, (how, says)) in cases.iter().enumerate() {
        let bad = t.path().join(format!("bad-{i}.cocoach"));
        spoiled(&good, &bad, how);
        let err = check_backup(&bad).unwrap_err();
        let text = format!("{err}");
        assert!(text.contains(says), "{how}: {text}");
        assert!(
            text.contains(&bad.display().to_string()),
            "{how} names the file: {text}"
        );
        match *how {
            "newer format" => assert!(
                matches!(err, BackupError::NewerFormat { found: 2, .. }),
                "{err:?}"
            ),
            "plain SQLite file" | "a data file, not a backup" | "text" => {
                assert!(matches!(err, BackupError::NotABackup { .. }), "{err:?}");
            }
            _ => assert!(matches!(err, BackupError::Damaged { .. }), "{how}: {err:?}"),
        }
        let fresh = DataDir::new(t.path().join(format!("fresh-{i}")));
        assert!(restore(&fresh, &bad, NO_REPLACE).is_err(), "{how}");
        assert!(
            !fresh.root().exists(),
            "{how}: a fresh directory stays absent"
        );
        assert!(restore(&bo, &bad, REPLACE).is_err(), "{how}");
        assert_eq!(
            snapshot(bo.root()),
            before,
            "{how}: the partnership is untouched"
        );
    }
    // And the good one passes.
    check_backup(&good).unwrap();
}

#[test]
fn restoring_over_a_partnership_needs_confirming_and_keeps_the_old_files() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let file = t.path().join("ana.cocoach");
    backup_of(&src, &file, BackupOptions::default());

    let bo = ana(&t.path().join("bo"));
    let bo_key = DeviceStore::open_or_create(&bo)
        .unwrap()
        .identity()
        .public();
    let bo_before = heads_and_export(&bo);
    let before = snapshot(bo.root());
    let err = restore(&bo, &file, NO_REPLACE).unwrap_err();
    assert!(
        matches!(&err, BackupError::WouldReplace { found, .. } if found == &[Part::Partnership]),
        "{err:?}"
    );
    assert!(err.to_string().contains("confirm"), "{err}");
    assert_eq!(snapshot(bo.root()), before, "refused: nothing changed");

    let r = restore(&bo, &file, REPLACE).unwrap();
    assert_eq!(heads_and_export(&bo), heads_and_export(&src));
    let kept = r.replaced.clone().expect("the old files are kept");
    assert_eq!(kept.parent().unwrap(), bo.root());
    let name = kept.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("replaced-") && name.ends_with('Z'),
        "{name}"
    );
    // What was there opens as it was, from the replaced folder.
    assert_eq!(heads_and_export(&DataDir::new(&kept)), bo_before);
    // The backup held no journal and no key: this device keeps both.
    assert_eq!(r.kept, [Part::Journal, Part::DeviceKey]);
    assert_eq!(journal_texts(&bo), ["Nervous but hopeful"]);
    assert_eq!(r.device_key, Some(bo_key));
    assert!(!r.new_device_key);
    assert!(!r.device_is_partner, "Bo's key is not in Ana's partnership");
    // Nothing left over beside the files.
    let leftovers: Vec<_> = std::fs::read_dir(bo.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A second restore keeps the first restore's files in a folder of its own.
    let r2 = restore(&bo, &file, REPLACE).unwrap();
    assert_ne!(r2.replaced.unwrap(), kept);
    assert_eq!(heads_and_export(&DataDir::new(&kept)), bo_before);
}

#[test]
fn restore_holds_the_lock_and_backup_does_not_need_it() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let file = t.path().join("ana.cocoach");
    let running = src.lock().unwrap(); // as the window holds it
    backup_of(&src, &file, BackupOptions::default());
    let err = restore(&src, &file, REPLACE).unwrap_err();
    assert!(
        matches!(err, BackupError::Store(StoreError::Locked(_))),
        "{err:?}"
    );
    drop(running);
    restore(&src, &file, REPLACE).unwrap();
}

/// The window keeps the partnership open: its latest saved edits are in the
/// write-ahead log, not yet in the main file. The backup has them.
#[test]
fn a_backup_while_the_store_is_open_has_the_latest_saved_edit() {
    let t = tempfile::tempdir().unwrap();
    let dir = DataDir::new(t.path().join("ana"));
    let me = DeviceIdentity::from_seed([7; 32]);
    let mut doc = PartnershipDoc::create("Ana", &me).unwrap();
    let _lock = dir.lock().unwrap();
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    store
        .commit_edit(&mut doc, |d| {
            d.set_contract(ContractField::Place, "the latest saved place")
        })
        .unwrap();
    let latest = doc.heads();
    // The edit is only in the log: the main file alone is the partnership without it.
    let wal = PathBuf::from(format!("{}-wal", dir.partnership_db().display()));
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    let main_only = DataDir::new(t.path().join("main-only"));
    std::fs::create_dir(main_only.root()).unwrap();
    std::fs::copy(dir.partnership_db(), main_only.partnership_db()).unwrap();
    assert_ne!(heads_and_export(&main_only).0, latest);

    let file = t.path().join("ana.cocoach");
    backup_of(&dir, &file, BackupOptions::default());
    assert_eq!(check_backup(&file).unwrap().info().heads, latest);
    let fresh = DataDir::new(t.path().join("fresh"));
    restore(&fresh, &file, NO_REPLACE).unwrap();
    let (heads, md) = heads_and_export(&fresh);
    assert_eq!(heads, latest);
    assert!(md.contains("the latest saved place"));
    drop(store);
}

#[test]
fn a_backup_replaces_an_older_backup_but_no_other_file() {
    let t = tempfile::tempdir().unwrap();
    let src = ana(&t.path().join("ana"));
    let file = t.path().join("ana.cocoach");
    backup_of(&src, &file, BackupOptions::default());
    {
        let device = DeviceStore::open_or_create(&src).unwrap();
        let (mut store, mut doc, _) =
            PartnershipStore::open(&src, Some(device.identity())).unwrap();
        store
            .commit_edit(&mut doc, |d| d.set_contract(ContractField::Place, "Park"))
            .unwrap();
    }
    backup_of(&src, &file, BackupOptions::default());
    assert_eq!(
        check_backup(&file).unwrap().info().heads,
        heads_and_export(&src).0
    );

    let notes = t.path().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let err = backup::backup(&src, &notes, BackupOptions::default()).unwrap_err();
    assert!(matches!(err, BackupError::TargetExists(_)), "{err:?}");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "mine");
    // Nothing left beside it either.
    let names: Vec<_> = std::fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}
