//! Partners upgrade on different days. A document written by a newer build holds
//! keys this build does not know; this build must open it, edit it, save and compact
//! it, and sync it, and every unknown key must come back untouched — on its own disk
//! and on the newer partner's side.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use cocoach_doc::{ContractField, Date, HalfText, Slot, schema as k};
use cocoach_store::{DataDir, PartnershipStore};
use cocoach_testkit::generate::pair;

fn map(doc: &AutoCommit, parent: &ObjId, key: &str) -> ObjId {
    match doc.get(parent, key).unwrap() {
        Some((Value::Object(ObjType::Map), id)) => id,
        other => panic!("{key} is not a map: {other:?}"),
    }
}

fn scalar(doc: &AutoCommit, obj: &ObjId, key: &str) -> Option<ScalarValue> {
    match doc.get(obj, key).unwrap() {
        Some((Value::Scalar(s), _)) => Some(s.into_owned()),
        _ => None,
    }
}

/// Everything the "newer build" wrote that this build does not know, read back
/// from wherever it should be.
fn unknown_keys(
    doc: &AutoCommit,
    session: &str,
    action: &str,
) -> Vec<(String, Option<ScalarValue>)> {
    let contract = map(doc, &ROOT, k::CONTRACT);
    let sessions = map(doc, &ROOT, k::SESSIONS);
    let s = map(doc, &sessions, session);
    let half = map(doc, &map(doc, &s, k::HALVES), Slot::A.key());
    let actions = map(doc, &ROOT, k::ACTIONS);
    let a = map(doc, &actions, action);
    let partners = map(doc, &map(doc, &ROOT, k::PARTNERSHIP), k::PARTNERS);
    let pa = map(doc, &partners, Slot::A.key());
    let sheets = map(doc, &ROOT, "worksheets");
    let quadrant = map(doc, &sheets, "quadrant");
    let links = match doc.get(&a, "links").unwrap() {
        Some((Value::Object(ObjType::List), id)) => doc.length(&id),
        _ => 0,
    };
    vec![
        ("schema".into(), scalar(doc, &ROOT, k::SCHEMA)),
        (
            "contract.video_link".into(),
            scalar(doc, &contract, "video_link"),
        ),
        ("session.mood".into(), scalar(doc, &s, "mood")),
        ("half.energy".into(), scalar(doc, &half, "energy")),
        ("action.priority".into(), scalar(doc, &a, "priority")),
        ("action.links".into(), Some(ScalarValue::Uint(links as u64))),
        ("partner.pronouns".into(), scalar(doc, &pa, "pronouns")),
        (
            "worksheets.quadrant.quality".into(),
            scalar(doc, &quadrant, "quality"),
        ),
    ]
}

#[test]
fn keys_from_a_newer_build_survive_opening_editing_compacting_and_syncing() {
    let mut p = pair(77).unwrap();
    let session = p.a.new_session(Date::new(2026, 11, 20).unwrap()).unwrap();
    let action =
        p.a.add_action(Slot::A, "Ask Jana", Date::new(2026, 11, 27), Some(&session))
            .unwrap();
    p.a.commit();

    // The partner's newer build adds keys of its own, everywhere, and says so.
    let newer = p.a.automerge_mut();
    newer.put(ROOT, k::SCHEMA, 2u64).unwrap();
    let contract = map(newer, &ROOT, k::CONTRACT);
    newer
        .put(&contract, "video_link", "https://meet.example/ana-bo")
        .unwrap();
    let sessions = map(newer, &ROOT, k::SESSIONS);
    let s = map(newer, &sessions, &session);
    newer.put(&s, "mood", "hopeful").unwrap();
    let half = map(newer, &map(newer, &s, k::HALVES), Slot::A.key());
    newer.put(&half, "energy", 7i64).unwrap();
    let actions = map(newer, &ROOT, k::ACTIONS);
    let a = map(newer, &actions, &action);
    newer.put(&a, "priority", 3u64).unwrap();
    let links = newer.put_object(&a, "links", ObjType::List).unwrap();
    newer.insert(&links, 0, "https://jobs.example/ux").unwrap();
    let partners = map(newer, &map(newer, &ROOT, k::PARTNERSHIP), k::PARTNERS);
    let pa = map(newer, &partners, Slot::A.key());
    newer.put(&pa, "pronouns", "she/her").unwrap();
    let sheets = newer.put_object(ROOT, "worksheets", ObjType::Map).unwrap();
    let quadrant = newer.put_object(&sheets, "quadrant", ObjType::Map).unwrap();
    newer.put(&quadrant, "quality", "persistence").unwrap();
    // Committed (and signed) as the newer build would.
    p.a.commit();
    let expected = unknown_keys(p.a.automerge(), &session, &action);
    assert!(expected.iter().all(|(_, v)| v.is_some()), "{expected:?}");

    // This build receives it all (as a first sync would bring it) and stores it.
    p.b.merge_from(&mut p.a).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let mut old = p.b;
    let mut store = PartnershipStore::create(&dir, &mut old).unwrap();
    store
        .upsert_partner(&cocoach_store::PartnerRecord {
            key: p.id_a.public(),
            name: "Ana".into(),
            addresses: vec![],
            paired_at_ms: Some(1),
            last_seen_ms: None,
        })
        .unwrap();

    // It reads and edits what it knows, everywhere the newer build added something.
    let read = old.read().unwrap();
    assert_eq!(read.action(&action).unwrap().what, "Ask Jana");
    old.set_contract(ContractField::Place, "Café Zürich")
        .unwrap();
    old.set_partner_name(Slot::A, "Ana M.").unwrap();
    old.append_half_text(&session, Slot::A, HalfText::Goal, "UX research")
        .unwrap();
    old.set_session_place(&session, "Library").unwrap();
    old.mark_action_done(&action, Date::new(2026, 11, 25).unwrap(), "She said yes")
        .unwrap();
    old.add_action(Slot::B, "Update CV", Date::new(2026, 12, 1), Some(&session))
        .unwrap();
    old.commit();
    store.save(&mut old).unwrap();
    store.compact(&mut old).unwrap();
    drop(store);

    // Reopened from disk: the unknown keys are all there, unchanged.
    let (store, mut old, _) = PartnershipStore::open(&dir, Some(&p.id_b)).unwrap();
    assert!(store.record().unverified.is_empty(), "{:?}", store.record());
    assert_eq!(unknown_keys(old.automerge(), &session, &action), expected);

    // Back to the newer partner: it gets this build's edits and keeps its own keys.
    p.a.merge_from(&mut old).unwrap();
    old.merge_from(&mut p.a).unwrap();
    assert_eq!(unknown_keys(p.a.automerge(), &session, &action), expected);
    let seen = p.a.read().unwrap();
    assert_eq!(seen.contract.place, "Café Zürich");
    assert_eq!(
        seen.session(&session).unwrap().half(Slot::A).goal,
        "UX research"
    );
    assert_eq!(seen.action(&action).unwrap().celebration, "She said yes");
    assert_eq!(
        old.automerge_mut().get_heads(),
        p.a.automerge_mut().get_heads()
    );
}
