//! Re-pairing at the document level: Bo's laptop is gone and his backup had no device
//! key. The restored copy (a new key) and Ana's device exchange their whole records,
//! Ana's device gives Bo's place the new key, and from then on: nothing either held is
//! lost, Bo's earlier changes are still credited to him, the old key can add nothing,
//! the new one edits and syncs, and the contract asks both to sign again (it names
//! the keys) instead of calling Bo's old signature invalid.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::AutoCommit;
use cocoach_doc::{DeviceIdentity, DocError, PartnershipDoc, SignatureState, Slot};

/// Ana and Bo paired and in sync, both signed; Bo then adds a ground rule Ana has
/// not seen (it is in his backup).
fn before_the_loss() -> (
    PartnershipDoc,
    PartnershipDoc,
    DeviceIdentity,
    DeviceIdentity,
) {
    let ia = DeviceIdentity::from_seed([1; 32]);
    let ib = DeviceIdentity::from_seed([2; 32]);
    let mut a = PartnershipDoc::create("Ana", &ia).unwrap();
    a.set_partner_b("Bo", ib.public()).unwrap();
    a.commit();
    let pins = [ia.public(), ib.public()];
    a.set_pinned_keys(&pins);
    let mut b =
        PartnershipDoc::from_signed(&a.automerge_mut().save(), a.all_signatures(), &pins, &ib)
            .unwrap();
    a.sign_contract(&ia).unwrap();
    a.commit();
    b.merge_from(&mut a).unwrap();
    b.sign_contract(&ib).unwrap();
    b.commit();
    a.merge_from(&mut b).unwrap();
    b.add_ground_rule("Bo's rule from before the loss").unwrap();
    b.commit();
    (a, b, ia, ib)
}

/// Bo's record restored on a new computer with a new key: the old key retired.
fn restored(
    b: &mut PartnershipDoc,
    ia: &DeviceIdentity,
    old: &DeviceIdentity,
) -> (PartnershipDoc, DeviceIdentity) {
    let new = DeviceIdentity::from_seed([3; 32]);
    let am = AutoCommit::load(&b.automerge_mut().save()).unwrap();
    let mut r = PartnershipDoc::from_automerge(am).unwrap();
    r.load_signatures(b.all_signatures());
    r.set_signer(&new);
    r.set_pinned_keys(&[new.public(), ia.public()]);
    r.set_retired_keys(&[old.public()]);
    assert!(
        r.check_record().unverified.is_empty(),
        "the old key's changes still count"
    );
    assert!(matches!(r.my_slot(), Err(DocError::NotAMember)));
    (r, new)
}

fn rules(d: &PartnershipDoc) -> Vec<String> {
    d.read().unwrap().contract.ground_rules
}

#[test]
fn a_restored_device_re_pairs_keeping_everything_and_the_old_key_adds_nothing() {
    let (mut a, mut b, ia, ib) = before_the_loss();
    let (mut r, new) = restored(&mut b, &ia, &ib);

    // Ana's device: take in Bo's record, then give his place the new key.
    let bytes = r.automerge_mut().save();
    let added = a
        .merge_record(&bytes, r.all_signatures(), &[new.public()])
        .unwrap();
    assert_eq!(added, 1, "Bo's unsynced rule");
    assert_eq!(a.rekey_partner(Slot::B, new.public()).unwrap(), ib.public());
    a.commit();
    a.set_pinned_keys(&[ia.public(), new.public()]);
    a.set_retired_keys(&[ib.public()]);
    assert!(a.check_record().unverified.is_empty());

    // Bo's restored device takes Ana's record: it is partner B again.
    let bytes = a.automerge_mut().save();
    r.merge_record(&bytes, a.all_signatures(), &[]).unwrap();
    assert_eq!(r.my_slot().unwrap(), Slot::B);
    assert_eq!(a.heads(), r.heads(), "both hold the same record");
    assert!(rules(&a).contains(&"Bo's rule from before the loss".to_string()));
    let p = r.read().unwrap();
    assert_eq!(p.partner(Slot::B).key, Some(new.public()));
    assert_eq!(p.partner(Slot::B).earlier_keys, vec![ib.public()]);

    // History still credits Bo's earlier changes to Bo.
    let history = a.history();
    let by_old = history
        .iter()
        .filter(|e| e.author == Some(ib.public()))
        .collect::<Vec<_>>();
    assert!(!by_old.is_empty());
    for e in by_old {
        assert_eq!(a.author_slot(e), Some(Slot::B), "{e:?}");
    }

    // The contract names the keys: both are asked to sign again; Bo's old
    // signature is an earlier version, not an invalid one.
    let s = a.read().unwrap().signatures;
    assert!(matches!(s.b, SignatureState::Outdated { .. }), "{s:?}");
    assert!(matches!(s.a, SignatureState::Outdated { .. }), "{s:?}");

    // The new key edits and syncs.
    r.add_ground_rule("Bo's rule from the new computer")
        .unwrap();
    r.commit();
    a.merge_from(&mut r).unwrap();
    assert!(rules(&a).contains(&"Bo's rule from the new computer".to_string()));
    r.sign_contract(&new).unwrap();
    r.commit();
    a.sign_contract(&ia).unwrap();
    a.commit();
    a.merge_from(&mut r).unwrap();
    let s = a.read().unwrap().signatures;
    assert!(matches!(s.b, SignatureState::Signed { .. }), "{s:?}");

    // The old laptop (the old key, found or stolen) can add nothing any more.
    b.add_ground_rule("Written with the retired key").unwrap();
    b.commit();
    let heads = a.heads();
    let refused = a.merge_from(&mut b);
    assert!(matches!(refused, Err(DocError::Unsigned(_))), "{refused:?}");
    assert_eq!(a.heads(), heads, "nothing of it stays");
}

#[test]
fn a_record_of_another_partnership_or_an_unknown_key_is_refused_whole() {
    let (mut a, mut b, ia, ib) = before_the_loss();
    let (mut r, new) = restored(&mut b, &ia, &ib);
    // Another partnership's record.
    let stranger = DeviceIdentity::from_seed([9; 32]);
    let mut other = PartnershipDoc::create("Eve", &stranger).unwrap();
    let heads = a.heads();
    let e = a.merge_record(&other.automerge_mut().save(), other.all_signatures(), &[]);
    assert!(e.is_err(), "{e:?}");
    assert_eq!(a.heads(), heads);
    // Bo's record carrying a change by a key the ceremony did not name.
    r.add_ground_rule("by the new key").unwrap();
    r.commit();
    let e = a.merge_record(&r.automerge_mut().save(), r.all_signatures(), &[]);
    assert!(matches!(e, Err(DocError::Unsigned(_))), "{e:?}");
    assert_eq!(a.heads(), heads, "nothing of it stays");
    // Named, it is taken in.
    a.merge_record(
        &r.automerge_mut().save(),
        r.all_signatures(),
        &[new.public()],
    )
    .unwrap();
    assert!(rules(&a).contains(&"by the new key".to_string()));
    // Nobody re-pairs their own place.
    assert!(a.rekey_partner(Slot::A, new.public()).is_err());
}
