//! The private journal never reaches the shared document: a unique marker written to
//! the journal appears in no byte of the shared database (nor its WAL) and in no sync
//! message sent to the partner, while it is found in the journal's own file (so the
//! search itself can see it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::sync;
use cocoach_doc::{Date, HalfText, Slot};
use cocoach_store::{DataDir, Journal, JournalLink, PartnershipStore};
use cocoach_testkit::generate::pair;
use cocoach_testkit::sync::sync_pair;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut all = std::fs::read(path).unwrap_or_default();
    for suffix in ["-wal", "-shm"] {
        all.extend(std::fs::read(format!("{}{suffix}", path.display())).unwrap_or_default());
    }
    all
}

#[test]
fn journal_marker_never_reaches_shared_database_or_wire() {
    let marker = format!("JOURNAL-MARKER-{}", cocoach_doc::new_id().unwrap());
    let tmp_a = tempfile::tempdir().unwrap();
    let tmp_b = tempfile::tempdir().unwrap();
    let dir_a = DataDir::new(tmp_a.path());
    let dir_b = DataDir::new(tmp_b.path());
    let mut p = pair(7).unwrap();
    let mut store_a = PartnershipStore::create(&dir_a, &mut p.a).unwrap();
    let mut store_b = PartnershipStore::create(&dir_b, &mut p.b).unwrap();

    // A writes reflections tied to a session and an action, and edits shared notes.
    let s = p.a.new_session(Date::new(2026, 4, 1).unwrap()).unwrap();
    let act =
        p.a.add_action(Slot::A, "Call Jana", Date::new(2026, 4, 8), Some(&s))
            .unwrap();
    let mut journal = Journal::open_or_create(&dir_a).unwrap();
    journal
        .add(
            &format!("I felt {marker} today"),
            &JournalLink::Session(s.to_string()),
        )
        .unwrap();
    journal
        .add(
            &format!("{marker} about the call"),
            &JournalLink::Action(act.to_string()),
        )
        .unwrap();
    assert_eq!(journal.search(&marker).unwrap().len(), 2);
    p.a.append_half_text(&s, Slot::A, HalfText::Notes, "shared notes only")
        .unwrap();
    p.a.commit();
    store_a.save(&mut p.a).unwrap();

    // Sync to B, capturing every byte on the wire.
    let mut wire = Vec::new();
    sync_pair(
        p.a.automerge_mut(),
        p.b.automerge_mut(),
        &mut sync::State::new(),
        &mut sync::State::new(),
        |m| wire.extend_from_slice(m),
    )
    .unwrap();
    store_b.save(&mut p.b).unwrap();
    assert!(!wire.is_empty());
    assert!(
        p.b.read().unwrap().session(&s).is_some(),
        "B received the session"
    );

    let needle = marker.as_bytes();
    assert!(!contains(&wire, needle), "journal text crossed the wire");
    assert!(
        !contains(&file_bytes(&dir_a.partnership_db()), needle),
        "journal text in A's shared database"
    );
    assert!(
        !contains(&file_bytes(&dir_b.partnership_db()), needle),
        "journal text in B's shared database"
    );
    store_a.compact(&mut p.a).unwrap();
    drop(store_a);
    assert!(
        !contains(&file_bytes(&dir_a.partnership_db()), needle),
        "journal text in A's snapshot"
    );

    // The check can see the marker where it does belong.
    drop(journal);
    assert!(
        contains(&file_bytes(&dir_a.journal_db()), needle),
        "marker not found in the journal file"
    );
    assert!(
        !tmp_b.path().join("journal.sqlite3").exists(),
        "B has no journal of A's"
    );
}

/// A reflection deleted (or rewritten) is gone from the journal's bytes — the
/// database, its WAL and shared memory — not only from the list: SQLite's free
/// pages and the search index would otherwise keep its words for someone who
/// later reads the file. Another reflection's words are still there (the control).
#[test]
fn a_deleted_reflection_is_gone_from_the_journal_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::new(tmp.path());
    let mut j = Journal::open_or_create(&dir).unwrap();
    let gone = format!("deletedmarker{}", cocoach_doc::new_id().unwrap());
    let edited = format!("editedmarker{}", cocoach_doc::new_id().unwrap());
    let kept = format!("keptmarker{}", cocoach_doc::new_id().unwrap());
    let a = j
        .add(
            &format!("I am afraid of {gone} and more"),
            &JournalLink::None,
        )
        .unwrap();
    let b = j
        .add(&format!("first thoughts: {edited}"), &JournalLink::None)
        .unwrap();
    j.add(&format!("still true: {kept}"), &JournalLink::None)
        .unwrap();
    // Many more, so the index has pages of its own.
    for i in 0..200 {
        j.add(
            &format!("reflection number {i} on the week"),
            &JournalLink::None,
        )
        .unwrap();
    }
    j.delete(a).unwrap();
    j.update(b, "second thoughts, rewritten").unwrap();
    let bytes = file_bytes(&dir.journal_db());
    assert!(
        contains(&bytes, kept.as_bytes()),
        "control: a kept reflection"
    );
    assert!(
        !contains(&bytes, gone.as_bytes()),
        "the deleted reflection is in the file"
    );
    assert!(
        !contains(&bytes, edited.as_bytes()),
        "the old text of an edited one is in the file"
    );
    drop(j);
    let bytes = file_bytes(&dir.journal_db());
    assert!(!contains(&bytes, gone.as_bytes()), "after closing");
    // Search still works.
    let j = Journal::open_or_create(&dir).unwrap();
    assert_eq!(j.search("keptmarker").unwrap().len(), 1);
    assert!(j.search(&gone).unwrap().is_empty());
}
