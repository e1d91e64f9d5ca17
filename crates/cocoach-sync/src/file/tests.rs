//! The sync file's frame, over bare Automerge documents (signatures are tested over
//! real partnership documents in `tests/tests/sync_file.rs`).

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};

use super::*;

fn doc_with(n: usize, key: &str) -> AutoCommit {
    let mut d = AutoCommit::new();
    for i in 0..n {
        d.put(ROOT, format!("{key}{i}"), i as i64).unwrap();
        d.commit();
    }
    d
}

#[test]
fn a_file_carries_the_changes_and_importing_it_twice_changes_nothing() {
    let mut a = doc_with(1_200, "a");
    let mut b = AutoCommit::new();
    let file = export(&mut a, "p", &[]).unwrap();
    assert_eq!(file.changes, 1_200);
    let got = import(&mut b, "p", &file.bytes).unwrap();
    assert_eq!((got.in_file, got.new), (1_200, 1_200));
    assert_eq!(got.their_heads, a.get_heads());
    assert_eq!(b.get_heads(), a.get_heads());
    assert_eq!(
        b.get(ROOT, "a1199").unwrap().map(|(v, _)| v.as_i64()),
        Some(Some(1199))
    );
    let again = import(&mut b, "p", &file.bytes).unwrap();
    assert_eq!(again.new, 0, "a second import adds nothing");
    assert_eq!(b.get_heads(), a.get_heads());
}

#[test]
fn a_file_since_the_shared_heads_carries_only_what_came_after() {
    let mut a = doc_with(10, "a");
    let shared = a.get_heads();
    a.put(ROOT, "later", 1).unwrap();
    a.commit();
    let file = export(&mut a, "p", &shared).unwrap();
    assert_eq!(file.changes, 1);
    // A state naming heads this device does not hold: everything.
    let unknown = [ChangeHash([7; 32])];
    assert_eq!(export(&mut a, "p", &unknown).unwrap().changes, 11);
}

#[test]
fn a_truncated_damaged_foreign_or_newer_file_is_refused_and_nothing_is_applied() {
    let mut a = doc_with(30, "a");
    let good = export(&mut a, "p", &[]).unwrap().bytes;
    let mut b = AutoCommit::new();
    let cut = &good[..good.len() - 100];
    assert!(matches!(
        import(&mut b, "p", cut),
        Err(FileError::Truncated { found, expected }) if found + 100 == expected
    ));
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    assert!(matches!(
        import(&mut b, "p", &flipped),
        Err(FileError::Damaged)
    ));
    assert!(matches!(
        import(&mut b, "another", &good),
        Err(FileError::WrongPartnership)
    ));
    assert!(matches!(
        import(&mut b, "p", b"PK\x03\x04 a zip file"),
        Err(FileError::NotASyncFile)
    ));
    assert!(matches!(
        import(&mut b, "p", b""),
        Err(FileError::NotASyncFile)
    ));
    let mut newer = good.clone();
    newer[18..20].copy_from_slice(&2u16.to_be_bytes());
    assert!(matches!(
        import(&mut b, "p", &newer),
        Err(FileError::NewerVersion(2))
    ));
    let mut longer = good.clone();
    longer.push(0);
    assert!(matches!(
        import(&mut b, "p", &longer),
        Err(FileError::Damaged)
    ));
    assert!(
        b.get_heads().is_empty(),
        "nothing of a refused file was applied"
    );
    // Every cut of the file is refused, never a panic and never a partial apply.
    for n in (0..good.len()).step_by(7) {
        assert!(import(&mut b, "p", &good[..n]).is_err(), "cut at {n}");
    }
    assert!(b.get_heads().is_empty());
}

#[test]
fn shared_heads_come_from_a_stored_state_and_garbage_gives_none() {
    let mut st = sync::State::new();
    st.shared_heads = vec![ChangeHash([1; 32])];
    assert_eq!(shared_heads(Some(&st.encode())), vec![ChangeHash([1; 32])]);
    assert_eq!(shared_heads(Some(b"garbage")), Vec::<ChangeHash>::new());
    assert_eq!(shared_heads(None), Vec::<ChangeHash>::new());
}
