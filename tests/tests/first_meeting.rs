//! The first meeting (issue 12, item 1) in the document: it closes without actions
//! only once both partners signed the contract — the same rule the window shows —
//! and the `kind` key it adds follows the schema-evolution rule.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::ReadDoc;
use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::{Date, DocError, Slot, schema as k};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_testkit::generate::pair;

#[test]
fn a_first_meeting_closes_without_actions_once_both_signed() {
    let mut p = pair(41).unwrap();
    let today = Date::today();
    let id = p.a.new_first_meeting(today).unwrap();
    let read = p.a.read().unwrap();
    assert!(read.session(id.as_str()).unwrap().first_meeting);
    assert!(!read.first_meeting_due(), "one is under way");
    assert_eq!(read.missing_actions(id.as_str()), [Slot::A, Slot::B]);
    assert!(matches!(
        p.a.close_session(&id, ""),
        Err(DocError::SessionNeedsActions)
    ));
    // One signature is not an agreement.
    p.a.sign_contract(&p.id_a).unwrap();
    p.a.commit();
    assert!(matches!(
        p.a.close_session(&id, ""),
        Err(DocError::SessionNeedsActions)
    ));
    p.b.merge_from(&mut p.a).unwrap();
    p.b.sign_contract(&p.id_b).unwrap();
    p.b.commit();
    p.a.merge_from(&mut p.b).unwrap();
    assert!(p.a.read().unwrap().missing_actions(id.as_str()).is_empty());
    p.a.close_session(&id, "").unwrap();
    p.a.commit();
    // A regular session still needs its actions, contract or not.
    let s = p.a.new_session(today.add_days(7).unwrap()).unwrap();
    assert!(matches!(
        p.a.close_session(&s, ""),
        Err(DocError::SessionNeedsActions)
    ));
}

/// An older document has no `kind`: every session reads as a GROW session. A kind
/// word this build does not know reads the same and is kept through edits, saving,
/// compacting and reopening.
#[test]
fn the_kind_key_round_trips_and_an_unknown_kind_is_kept() {
    let mut p = pair(42).unwrap();
    let today = Date::today();
    let older = p.a.new_session(today).unwrap();
    let first = p.a.new_first_meeting(today.add_days(1).unwrap()).unwrap();
    let future = p.a.new_session(today.add_days(2).unwrap()).unwrap();
    p.a.commit();
    // A newer build's word for a session kind this build does not know.
    let am = p.a.automerge_mut();
    let f = cocoach_tests::map_at(am, &[k::SESSIONS, future.as_str()]);
    am.put(&f, k::KIND, "retreat").unwrap();
    p.a.commit();
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let mut doc = p.a;
    let mut store = PartnershipStore::create(&dir, &mut doc).unwrap();
    doc.set_session_place(&future, "the park").unwrap();
    doc.commit();
    store.save(&mut doc).unwrap();
    store.compact(&mut doc).unwrap();
    drop(store);
    let (_, doc, _) = PartnershipStore::open(&dir, Some(&p.id_a)).unwrap();
    let read = doc.read().unwrap();
    let kind = |id: &cocoach_doc::SessionId| read.session(id.as_str()).unwrap().first_meeting;
    assert!(!kind(&older) && kind(&first) && !kind(&future));
    let am = doc.automerge();
    let f = cocoach_tests::map_at(am, &[k::SESSIONS, future.as_str()]);
    let word = am.get(&f, k::KIND).unwrap().map(|(v, _)| v.to_string());
    assert_eq!(word.as_deref(), Some("\"retreat\""), "kept as written");
    let o = cocoach_tests::map_at(am, &[k::SESSIONS, older.as_str()]);
    assert!(
        am.get(&o, k::KIND).unwrap().is_none(),
        "nothing added to the older one"
    );
}
