//! Data outlives the app: the shared database holds Automerge's own bytes with no
//! wrapper of ours. This test rebuilds the partnership from the SQLite file using
//! only plain SQL and Automerge's public API (what any Automerge implementation can
//! do), and gets exactly the document cocoach has.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::{AutoCommit, ReadDoc};
use cocoach_doc::{Date, HalfText, Slot};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_testkit::generate::pair;
use rusqlite::Connection;

#[test]
fn plain_automerge_rebuilds_the_partnership_from_sqlite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let mut p = pair(11).unwrap();
    let mut store = PartnershipStore::create(&dir, &mut p.a).unwrap();
    let s = p.a.new_session(Date::new(2026, 6, 1).unwrap()).unwrap();
    p.a.append_half_text(
        &s,
        Slot::B,
        HalfText::Will,
        "Apply to two roles by Friday — ✓",
    )
    .unwrap();
    p.a.commit();
    store.save(&mut p.a).unwrap();
    store.compact(&mut p.a).unwrap();
    p.a.add_action(Slot::B, "Apply", Date::new(2026, 6, 5), Some(&s))
        .unwrap();
    p.a.commit();
    store.save(&mut p.a).unwrap();
    drop(store);

    // Newest snapshot, then every change row in order: nothing but Automerge bytes.
    let c = Connection::open(dir.partnership_db()).unwrap();
    let snap: Vec<u8> = c
        .query_row(
            "SELECT bytes FROM snapshots ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut doc = AutoCommit::load(&snap).unwrap();
    let mut stmt = c
        .prepare("SELECT bytes FROM changes ORDER BY rowid")
        .unwrap();
    let rows: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !rows.is_empty(),
        "the fixture has change rows after the snapshot"
    );
    for row in rows {
        doc.load_incremental(&row).unwrap();
    }

    let (_, mut ours, _) = PartnershipStore::open(&dir, None).unwrap();
    assert_eq!(doc.get_heads(), ours.heads());
    let rebuilt = cocoach_doc::PartnershipDoc::from_automerge(doc)
        .unwrap()
        .read()
        .unwrap();
    assert_eq!(rebuilt, ours.read().unwrap());
    assert_eq!(
        rebuilt.session(&s).unwrap().half(Slot::B).will,
        "Apply to two roles by Friday — ✓"
    );
    let _ = ours.automerge().text_encoding();
}
