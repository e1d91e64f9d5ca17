//! The store's bookkeeping: sync state and partner registry survive reopening, and
//! compaction never removes a change its snapshot does not contain.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::{Date, DeviceIdentity, PartnershipDoc, Slot};
use cocoach_store::{DataDir, PartnerRecord, PartnershipStore};

fn new_store() -> (tempfile::TempDir, DataDir, PartnershipDoc) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let me = DeviceIdentity::from_seed([5; 32]);
    let mut doc = PartnershipDoc::create("Ana", &me).unwrap();
    PartnershipStore::create(&dir, &mut doc).unwrap();
    (tmp, dir, doc)
}

#[test]
fn sync_state_and_partners_survive_reopening() {
    let (_tmp, dir, _) = new_store();
    let peer = DeviceIdentity::from_seed([6; 32]).public();
    {
        let (mut store, _, _) = PartnershipStore::open(&dir, None).unwrap();
        assert_eq!(store.sync_state(&peer).unwrap(), None);
        store.set_sync_state(&peer, b"state-1").unwrap();
        store.set_sync_state(&peer, b"state-2").unwrap();
        store
            .upsert_partner(&PartnerRecord {
                key: peer,
                name: "Bo".into(),
                addresses: vec!["192.0.2.1:4433".into(), "[::1]:4433".into()],
                paired_at_ms: Some(1),
                last_seen_ms: None,
            })
            .unwrap();
    }
    let (store, _, _) = PartnershipStore::open(&dir, None).unwrap();
    assert_eq!(
        store.sync_state(&peer).unwrap().as_deref(),
        Some(&b"state-2"[..])
    );
    let partners = store.partners().unwrap();
    assert_eq!(partners.len(), 1);
    assert_eq!(partners[0].name, "Bo");
    assert_eq!(partners[0].addresses, ["192.0.2.1:4433", "[::1]:4433"]);
}

#[test]
fn compaction_keeps_rows_it_does_not_contain() {
    let (_tmp, dir, _) = new_store();
    // Two handles on one store, as after a crash left an earlier run's rows behind.
    let (mut s1, mut d1, _) = PartnershipStore::open(&dir, None).unwrap();
    let (mut s2, mut d2, _) = PartnershipStore::open(&dir, None).unwrap();
    let only_in_2 = d2
        .add_action(
            Slot::A,
            "written by the other handle",
            Date::new(2026, 1, 1),
            None,
        )
        .unwrap();
    d2.commit();
    s2.save(&mut d2).unwrap();
    d1.new_session(Date::new(2026, 1, 2).unwrap()).unwrap();
    d1.commit();
    let r = s1.compact(&mut d1).unwrap();
    assert!(r.folded >= 1);
    drop((s1, s2));
    let (store, doc, report) = PartnershipStore::open(&dir, None).unwrap();
    let p = doc.read().unwrap();
    assert!(
        p.action(&only_in_2).is_some(),
        "compaction lost another writer's change"
    );
    assert_eq!(p.sessions.len(), 1);
    assert_eq!(report.snapshots, 1);
    assert!(store.change_rows().unwrap() >= 1);
}

#[test]
fn unsaved_edits_are_exactly_what_save_writes() {
    let (_tmp, dir, _) = new_store();
    let (mut store, mut doc, _) = PartnershipStore::open(&dir, None).unwrap();
    assert_eq!(
        store.save(&mut doc).unwrap().changes,
        0,
        "nothing to save after open"
    );
    doc.add_ground_rule("Start on time").unwrap();
    doc.commit();
    doc.add_ground_rule("End on time").unwrap();
    assert_eq!(
        store.save(&mut doc).unwrap().changes,
        2,
        "pending edits are committed and saved"
    );
    assert_eq!(store.save(&mut doc).unwrap().changes, 0);
    drop(store);
    let (_, doc, _) = PartnershipStore::open(&dir, None).unwrap();
    assert!(
        doc.read()
            .unwrap()
            .contract
            .ground_rules
            .ends_with(&["Start on time".into(), "End on time".into()])
    );
}

#[test]
fn a_received_partnership_is_stored_whole() {
    // As when joining: the document arrives from the partner, already "loaded".
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let mut p = cocoach_testkit::generate::pair(3).unwrap();
    p.b.new_session(Date::new(2026, 1, 2).unwrap()).unwrap();
    let bytes = p.b.automerge_mut().save();
    let received = cocoach_doc::automerge::AutoCommit::load(&bytes).unwrap();
    let mut doc = PartnershipDoc::from_automerge(received).unwrap();
    let want = doc.read().unwrap();
    PartnershipStore::create(&dir, &mut doc).unwrap();
    let (_, reopened, _) = PartnershipStore::open(&dir, None).unwrap();
    assert_eq!(reopened.read().unwrap(), want);
}

/// Files made looser than owner-only — by an older cocoach, by hand, or under a lax
/// umask — are tightened when cocoach opens them: the data directory to 0700, every
/// database and its WAL and shared-memory files to 0600.
#[cfg(unix)]
#[test]
fn a_loose_data_directory_is_made_owner_only_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, dir, mut doc) = new_store();
    drop(PartnershipStore::open(&dir, None).unwrap());
    cocoach_store::Journal::open_or_create(&dir).unwrap();
    cocoach_store::DeviceStore::open_or_create(&dir).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let set = |p: &std::path::Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };
    set(tmp.path(), 0o755);
    let dbs = [dir.partnership_db(), dir.journal_db(), dir.device_db()];
    for db in &dbs {
        set(db, 0o644);
    }
    // Open everything again, as the app does, and leave a WAL and shared memory.
    let (mut store, _, _) = PartnershipStore::open(&dir, None).unwrap();
    doc.set_contract(cocoach_doc::ContractField::Place, "Library")
        .unwrap();
    store.save(&mut doc).unwrap();
    let journal = cocoach_store::Journal::open_or_create(&dir).unwrap();
    let device = cocoach_store::DeviceStore::open_or_create(&dir).unwrap();
    assert_eq!(mode(tmp.path()), 0o700, "the data directory");
    for db in &dbs {
        assert_eq!(mode(db), 0o600, "{}", db.display());
        for suffix in ["-wal", "-shm"] {
            let side = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
            if side.exists() {
                assert_eq!(mode(&side), 0o600, "{}", side.display());
            }
        }
    }
    assert!(std::path::PathBuf::from(format!("{}-wal", dir.partnership_db().display())).exists());
    drop((store, journal, device));
}
