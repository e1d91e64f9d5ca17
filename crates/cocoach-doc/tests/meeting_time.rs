//! The contract's meeting time, a key added after the first release: documents
//! without it read "by agreement", a set time survives merges both ways, values are
//! checked, and it is not one of the signed terms.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::{
    ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use cocoach_doc::{
    Agreement, ConflictAbout, ContractField, DeviceIdentity, MeetingTime, PartnershipDoc,
    schema as k,
};

fn pair() -> (
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
    let b = PartnershipDoc::from_signed(&a.automerge_mut().save(), a.all_signatures(), &pins, &ib)
        .unwrap();
    (a, b, ia, ib)
}

fn merge(x: &mut PartnershipDoc, y: &mut PartnershipDoc) {
    x.merge_from(y).unwrap();
    y.merge_from(x).unwrap();
}

fn time(d: &PartnershipDoc) -> Option<MeetingTime> {
    d.read().unwrap().contract.meeting_time
}

/// The raw value under `contract.meeting_time`, as any build would see it.
fn raw(d: &mut PartnershipDoc) -> Option<String> {
    let am = d.automerge_mut();
    let Some((Value::Object(ObjType::Map), c)) = am.get(ROOT, k::CONTRACT).unwrap() else {
        panic!("no contract map");
    };
    match am.get(&c, k::MEETING_TIME).unwrap() {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            other => panic!("not a string: {other:?}"),
        },
        None => None,
        other => panic!("not a scalar: {other:?}"),
    }
}

#[test]
fn a_document_without_the_key_reads_as_by_agreement() {
    let (mut a, _, _, _) = pair();
    // Shaped like a document from before the key existed: it is not there at all.
    assert_eq!(raw(&mut a), None);
    assert_eq!(time(&a), None);
    let c = a.read().unwrap().contract;
    assert_eq!(c.term_text(ContractField::MeetingTime), "");
    assert_eq!(
        ContractField::parse("meeting-time"),
        Some(ContractField::MeetingTime)
    );
}

#[test]
fn a_time_is_checked_and_stored_as_hh_mm() {
    let (mut a, _, _, _) = pair();
    a.set_contract(ContractField::MeetingTime, " 7:05 ")
        .unwrap();
    assert_eq!(raw(&mut a).as_deref(), Some("07:05"));
    assert_eq!(time(&a), MeetingTime::new(7, 5));
    for bad in [
        "25:00",
        "19:60",
        "19h",
        "19:00:00",
        "7pm",
        "19.00",
        "1900",
        ":30",
        "١٩:٠٠",
    ] {
        assert!(
            a.set_contract(ContractField::MeetingTime, bad).is_err(),
            "{bad}"
        );
        assert_eq!(time(&a), MeetingTime::new(7, 5), "{bad} changed the time");
    }
    a.set_contract(ContractField::MeetingTime, "23:59").unwrap();
    assert_eq!(
        a.read()
            .unwrap()
            .contract
            .term_text(ContractField::MeetingTime),
        "23:59"
    );
    // Cleared: by agreement again, on purpose (the key stays, empty).
    a.set_contract(ContractField::MeetingTime, "").unwrap();
    assert_eq!(raw(&mut a).as_deref(), Some(""));
    assert_eq!(time(&a), None);
}

#[test]
fn the_time_survives_merges_both_ways() {
    let (mut a, mut b, _, _) = pair();
    a.set_contract(ContractField::MeetingTime, "19:00").unwrap();
    merge(&mut a, &mut b);
    assert_eq!(time(&b), MeetingTime::new(19, 0));
    // The partner edits other terms; the time is untouched on both sides.
    b.set_contract(ContractField::Place, "Café Zürich").unwrap();
    b.set_contract(ContractField::SessionMinutes, "75").unwrap();
    merge(&mut a, &mut b);
    for d in [&a, &b] {
        let c = d.read().unwrap().contract;
        assert_eq!(c.meeting_time, MeetingTime::new(19, 0));
        assert_eq!(c.place, "Café Zürich");
    }
    let (saved, sigs) = (a.automerge_mut().save(), a.all_signatures());
    let ia = DeviceIdentity::from_seed([1; 32]);
    let ib = DeviceIdentity::from_seed([2; 32]);
    let reopened =
        PartnershipDoc::from_signed(&saved, sigs, &[ia.public(), ib.public()], &ia).unwrap();
    assert_eq!(time(&reopened), MeetingTime::new(19, 0));
}

#[test]
fn times_set_apart_are_a_conflict_to_settle() {
    let (mut a, mut b, _, _) = pair();
    a.set_contract(ContractField::MeetingTime, "19:00").unwrap();
    b.set_contract(ContractField::MeetingTime, "20:30").unwrap();
    merge(&mut a, &mut b);
    let conflicts = a.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        conflicts[0].about,
        ConflictAbout::ContractTerm(ContractField::MeetingTime)
    );
    assert_eq!(conflicts[0].label(), "contract: meeting time");
    let mut values = conflicts[0].values.clone();
    values.sort();
    assert_eq!(values, ["19:00", "20:30"]);
    let pick = conflicts[0]
        .values
        .iter()
        .position(|v| v == "20:30")
        .unwrap();
    a.resolve_conflict(&conflicts[0], pick).unwrap();
    merge(&mut a, &mut b);
    assert!(b.conflicts().is_empty());
    assert_eq!(time(&b), MeetingTime::new(20, 30));
}

#[test]
fn changing_the_time_does_not_ask_for_new_signatures() {
    let (mut a, mut b, ia, ib) = pair();
    a.sign_contract(&ia).unwrap();
    merge(&mut a, &mut b);
    b.sign_contract(&ib).unwrap();
    merge(&mut a, &mut b);
    assert_eq!(
        a.read().unwrap().signatures.agreement(),
        Agreement::SignedByBoth
    );
    a.set_contract(ContractField::MeetingTime, "19:00").unwrap();
    merge(&mut a, &mut b);
    assert_eq!(
        b.read().unwrap().signatures.agreement(),
        Agreement::SignedByBoth
    );
    // A signed term still does.
    a.set_contract(ContractField::Place, "Library").unwrap();
    assert_eq!(
        a.read().unwrap().signatures.agreement(),
        Agreement::ChangedSinceSigning
    );
}

#[test]
fn a_value_this_build_cannot_read_is_by_agreement_and_kept() {
    let (mut a, _, _, _) = pair();
    // Say a newer build writes seconds or a zone: this one shows "by agreement" and
    // leaves the value alone while other terms are edited.
    {
        let am = a.automerge_mut();
        let Some((_, c)) = am.get(ROOT, k::CONTRACT).unwrap() else {
            panic!("no contract")
        };
        am.put(&c, k::MEETING_TIME, "19:00:00+01:00").unwrap();
    }
    a.commit();
    assert_eq!(time(&a), None);
    a.set_contract(ContractField::Place, "Park").unwrap();
    a.commit();
    assert_eq!(raw(&mut a).as_deref(), Some("19:00:00+01:00"));
}
