//! Sneakernet: two partners with no network path carry their changes over by file.
//! A file meets every check a live connection makes (it is read by the same sync
//! session): another partnership's file, a damaged one and one carrying a forged
//! change are refused, and importing a file twice changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::automerge::{ActorId, Author, ChangeHash, ROOT};
use cocoach_doc::{Date, HalfText, PartnershipDoc, Slot};
use cocoach_sync::SyncError;
use cocoach_sync::file::{self, FileError};
use cocoach_testkit::generate::pair;

/// One day's edits on one device: a session's notes, an action.
fn day_of_edits(d: &mut PartnershipDoc, who: Slot, day: i64) {
    let date = Date::new(2026, 11, 1).unwrap().add_days(day).unwrap();
    let s = d.new_session(date).unwrap();
    d.commit();
    d.set_half_text(
        &s,
        who,
        HalfText::Goal,
        &format!("{who:?}'s goal on day {day}"),
    )
    .unwrap();
    d.commit();
    d.add_action(
        who,
        &format!("{who:?}: step {day}"),
        Some(date.add_days(7).unwrap()),
        Some(&s),
    )
    .unwrap();
    d.commit();
}

#[test]
fn a_week_of_edits_each_way_by_file_only_converges() {
    let mut p = pair(7).unwrap();
    let pid = p.a.partnership_id().to_string();
    // What each side knows the other holds: the heads of the last file it received.
    let mut a_knows_b_has: Vec<ChangeHash> = p.a.heads();
    let mut b_knows_a_has: Vec<ChangeHash> = p.b.heads();
    for day in 0..7 {
        day_of_edits(&mut p.a, Slot::A, day);
        day_of_edits(&mut p.b, Slot::B, day);
        let to_b = file::export(&mut p.a, &pid, &a_knows_b_has).unwrap();
        let to_a = file::export(&mut p.b, &pid, &b_knows_a_has).unwrap();
        assert!(
            to_b.changes >= 3 && to_b.changes < 10,
            "only what is new: {}",
            to_b.changes
        );
        let got_b = file::import(&mut p.b, &pid, &to_b.bytes).unwrap();
        let got_a = file::import(&mut p.a, &pid, &to_a.bytes).unwrap();
        assert_eq!(got_b.new, to_b.changes as u64);
        assert_eq!(got_a.new, to_a.changes as u64);
        // Importing the same file again changes nothing.
        let before = p.b.heads();
        assert_eq!(file::import(&mut p.b, &pid, &to_b.bytes).unwrap().new, 0);
        assert_eq!(p.b.heads(), before);
        a_knows_b_has = p.b.heads();
        b_knows_a_has = p.a.heads();
    }
    let (mut ha, mut hb) = (p.a.heads(), p.b.heads());
    ha.sort();
    hb.sort();
    assert_eq!(ha, hb, "both hold the same history");
    let (ra, rb) = (p.a.read().unwrap(), p.b.read().unwrap());
    assert_eq!(ra.sessions.len(), 14);
    assert_eq!(ra.actions.len(), 14);
    assert_eq!(ra, rb, "both read the same partnership");
}

#[test]
fn a_file_for_another_partnership_is_refused() {
    let mut p = pair(7).unwrap();
    let mut q = pair(8).unwrap();
    let pid = p.a.partnership_id().to_string();
    day_of_edits(&mut p.a, Slot::A, 0);
    let f = file::export(&mut p.a, &pid, &[]).unwrap();
    let qid = q.b.partnership_id().to_string();
    let before = q.b.heads();
    let e = file::import(&mut q.b, &qid, &f.bytes).unwrap_err();
    assert!(matches!(e, FileError::WrongPartnership), "{e}");
    assert_eq!(e.to_string(), "this sync file is for another partnership");
    assert_eq!(q.b.heads(), before);
}

#[test]
fn a_file_carrying_a_change_forged_in_the_partners_name_is_refused_and_nothing_of_it_kept() {
    let mut p = pair(7).unwrap();
    let pid = p.a.partnership_id().to_string();
    day_of_edits(&mut p.b, Slot::B, 0);
    let b_before = p.b.heads();
    let a_before = p.a.heads();
    // A's device makes a change naming B as its author, and exports it with A's
    // real changes.
    day_of_edits(&mut p.a, Slot::A, 1);
    let am = p.a.automerge_mut();
    let mut forged = am
        .fork()
        .with_actor(ActorId::random())
        .with_author(Some(Author::from(p.id_b.public().0.to_vec())));
    forged
        .put(ROOT, "forged", "Bo agreed to pay for everything")
        .unwrap();
    forged.commit().unwrap();
    am.merge(&mut forged).unwrap();
    let f = file::export(&mut p.a, &pid, &a_before).unwrap();
    let e = file::import(&mut p.b, &pid, &f.bytes).unwrap_err();
    assert!(
        matches!(e, FileError::Refused(SyncError::Forged { .. })),
        "{e}"
    );
    assert!(
        e.to_string().starts_with("this sync file was refused"),
        "{e}"
    );
    assert_eq!(
        p.b.heads(),
        b_before,
        "nothing of the refused message is kept"
    );
}
