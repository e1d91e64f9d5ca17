//! Behaviour of the shared document that a user sees: signing, conflicts, history,
//! turns, text positions, and refusing documents it cannot understand.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use cocoach_doc::automerge::{AutoCommit, ROOT, transaction::Transactable};
use cocoach_doc::{
    Agreement, ContractField, Date, DeviceIdentity, DocError, HalfText, PartnershipDoc,
    SignatureState, Slot,
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

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn contract_is_agreed_only_when_both_sign_the_same_version() {
    let (mut a, mut b, ia, ib) = pair();
    assert_eq!(
        a.read().unwrap().signatures.agreement(),
        Agreement::NotSigned
    );
    a.sign_contract(&ia).unwrap();
    merge(&mut a, &mut b);
    assert_eq!(
        b.read().unwrap().signatures.agreement(),
        Agreement::SignedBy(Slot::A)
    );
    b.sign_contract(&ib).unwrap();
    merge(&mut a, &mut b);
    assert_eq!(
        a.read().unwrap().signatures.agreement(),
        Agreement::SignedByBoth
    );

    // Any change after signing: both must sign again.
    b.set_contract(ContractField::Place, "Library, 2nd floor")
        .unwrap();
    merge(&mut a, &mut b);
    let p = a.read().unwrap();
    assert_eq!(p.signatures.agreement(), Agreement::ChangedSinceSigning);
    assert!(matches!(p.signatures.a, SignatureState::Outdated { .. }));
    a.sign_contract(&ia).unwrap();
    b.sign_contract(&ib).unwrap();
    merge(&mut a, &mut b);
    assert_eq!(
        a.read().unwrap().signatures.agreement(),
        Agreement::SignedByBoth
    );

    // Renaming yourself does not unsign.
    a.set_partner_name(Slot::A, "Ana M.").unwrap();
    assert_eq!(
        a.read().unwrap().signatures.agreement(),
        Agreement::SignedByBoth
    );

    // A stranger cannot sign, and a forged signature does not verify.
    let stranger = DeviceIdentity::from_seed([9; 32]);
    assert!(matches!(
        a.sign_contract(&stranger),
        Err(DocError::NotAMember)
    ));
}

#[test]
fn signing_needs_the_partner_and_no_open_conflicts() {
    let ia = DeviceIdentity::from_seed([1; 32]);
    let mut solo = PartnershipDoc::create("Ana", &ia).unwrap();
    assert!(matches!(
        solo.sign_contract(&ia),
        Err(DocError::PartnerMissing)
    ));

    let (mut a, mut b, ia, _) = pair();
    a.set_contract(ContractField::Place, "Café").unwrap();
    b.set_contract(ContractField::Place, "Video call").unwrap();
    merge(&mut a, &mut b);
    assert!(matches!(
        a.sign_contract(&ia),
        Err(DocError::UnresolvedConflicts)
    ));
}

#[test]
fn concurrent_values_are_shown_and_can_be_resolved() {
    let (mut a, mut b, _, _) = pair();
    a.set_contract(ContractField::Place, "Café").unwrap();
    b.set_contract(ContractField::Place, "Video call").unwrap();
    merge(&mut a, &mut b);
    let conflicts = a.conflicts();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(
        c.about,
        cocoach_doc::ConflictAbout::ContractTerm(ContractField::Place)
    );
    assert_eq!(c.label(), "contract: where");
    let mut values = c.values.clone();
    values.sort();
    assert_eq!(values, ["Café", "Video call"]);
    // Both replicas show the same winner while undecided.
    assert_eq!(
        a.read().unwrap().contract.place,
        b.read().unwrap().contract.place
    );
    let pick = c.values.iter().position(|v| v == "Video call").unwrap();
    a.resolve_conflict(c, pick).unwrap();
    merge(&mut a, &mut b);
    assert!(b.conflicts().is_empty());
    assert_eq!(b.read().unwrap().contract.place, "Video call");
}

#[test]
fn concurrent_typing_in_the_same_note_keeps_both() {
    let (mut a, mut b, _, _) = pair();
    let s = a.new_session(date("2026-05-04")).unwrap();
    a.set_half_text(
        &s,
        Slot::B,
        HalfText::Reality,
        "Good at research. Weak network.",
    )
    .unwrap();
    merge(&mut a, &mut b);
    // Both edit the whole text, as text boxes do.
    a.set_half_text(
        &s,
        Slot::B,
        HalfText::Reality,
        "Very good at research. Weak network.",
    )
    .unwrap();
    b.set_half_text(
        &s,
        Slot::B,
        HalfText::Reality,
        "Good at research. Weak network, but 3 ex-colleagues.",
    )
    .unwrap();
    merge(&mut a, &mut b);
    let text = a
        .read()
        .unwrap()
        .session(&s)
        .unwrap()
        .half(Slot::B)
        .reality
        .clone();
    assert_eq!(
        text,
        "Very good at research. Weak network, but 3 ex-colleagues."
    );
}

#[test]
fn text_positions_count_unicode_code_points() {
    let (mut a, _, _, _) = pair();
    let s = a.new_session(date("2026-05-04")).unwrap();
    a.set_half_text(&s, Slot::A, HalfText::Goal, "Zürich 🎯 plan")
        .unwrap();
    // Position 8 is after "Zürich 🎯" (6 + 1 + 1 code points), as egui counts.
    a.splice_half_text(&s, Slot::A, HalfText::Goal, 8, 0, " B")
        .unwrap();
    a.splice_half_text(&s, Slot::A, HalfText::Goal, 0, 1, "z")
        .unwrap();
    assert_eq!(
        a.read().unwrap().session(&s).unwrap().half(Slot::A).goal,
        "zürich 🎯 B plan"
    );
    assert!(
        a.splice_half_text(&s, Slot::A, HalfText::Goal, 40, 0, "x")
            .is_err()
    );
}

#[test]
fn who_coaches_first_follows_the_contract_and_alternates() {
    let (mut a, _, _, _) = pair();
    a.set_contract(ContractField::CoachesFirst, "b").unwrap();
    let s1 = a.new_session(date("2026-01-05")).unwrap();
    let s2 = a.new_session(date("2026-01-19")).unwrap();
    let s3 = a.new_session(date("2026-02-02")).unwrap();
    let p = a.read().unwrap();
    let first = |id: &str| p.session(id).unwrap().coached_first;
    assert_eq!(
        [first(&s1), first(&s2), first(&s3)],
        [Slot::B, Slot::A, Slot::B]
    );
    a.set_contract(ContractField::Turns, "same").unwrap();
    let s4 = a.new_session(date("2026-02-16")).unwrap();
    assert_eq!(
        a.read().unwrap().session(&s4).unwrap().coached_first,
        Slot::B
    );
    // Names work as well as slots.
    a.set_contract(ContractField::CoachesFirst, "ana").unwrap();
    assert_eq!(a.read().unwrap().contract.coaches_first, Slot::A);
}

/// The window shows who will coach first before the session starts. With a session
/// already planned for a later day, the preview once followed that later session
/// while the document followed the latest one up to today: the screen said one
/// name, and the session started with the other.
#[test]
fn the_coach_first_preview_is_what_a_new_session_does_with_a_later_session_planned() {
    let (mut a, _, _, _) = pair();
    let s1 = a.new_session(date("2026-11-20")).unwrap();
    let planned = a.new_session(date("2026-12-10")).unwrap();
    let p = a.read().unwrap();
    assert_eq!(p.session(&s1).unwrap().coached_first, Slot::A);
    assert_eq!(p.session(&planned).unwrap().coached_first, Slot::B);

    let today = date("2026-11-27");
    let preview = a.read().unwrap().next_coach_first(today);
    let s = a.new_session(today).unwrap();
    let started = a.read().unwrap().session(&s).unwrap().coached_first;
    assert_eq!(
        preview, started,
        "the preview must name who then coaches first"
    );
    assert_eq!(
        started,
        Slot::B,
        "alternates from the session of 2026-11-20"
    );
}

/// What the window lists as still missing is exactly what keeps the session open.
#[test]
fn what_still_blocks_closing_is_what_the_document_enforces() {
    let (mut a, _, _, _) = pair();
    let s = a.new_session(date("2026-01-05")).unwrap();
    let steps: [Option<(Slot, Option<&str>)>; 4] = [
        None,
        Some((Slot::A, None)),
        Some((Slot::A, Some("2026-01-12"))),
        Some((Slot::B, Some("2026-01-19"))),
    ];
    for step in steps {
        if let Some((owner, deadline)) = step {
            a.add_action(owner, "Step", deadline.map(date), Some(&s))
                .unwrap();
        }
        let missing = a.read().unwrap().missing_actions(&s);
        let mut probe = PartnershipDoc::from_automerge(a.automerge_mut().fork()).unwrap();
        let closes = probe.close_session(&s, "").is_ok();
        assert_eq!(
            closes,
            missing.is_empty(),
            "after {step:?}: missing {missing:?}"
        );
    }
    assert!(a.read().unwrap().missing_actions(&s).is_empty());
}

#[test]
fn a_session_closes_with_an_action_for_each_partner_or_a_reason() {
    let (mut a, _, _, _) = pair();
    let s = a.new_session(date("2026-01-05")).unwrap();
    assert!(matches!(
        a.close_session(&s, ""),
        Err(DocError::SessionNeedsActions)
    ));
    a.add_action(Slot::A, "Update CV", Some(date("2026-01-12")), Some(&s))
        .unwrap();
    assert!(matches!(
        a.close_session(&s, " "),
        Err(DocError::SessionNeedsActions)
    ));
    a.add_action(Slot::B, "Call mentor", Some(date("2026-01-19")), Some(&s))
        .unwrap();
    a.close_session(&s, "").unwrap();
    assert!(
        a.read()
            .unwrap()
            .session(&s)
            .unwrap()
            .closed_at_ms
            .is_some()
    );
}

#[test]
fn history_names_the_author_and_shows_earlier_states() {
    let (mut a, mut b, ia, ib) = pair();
    a.set_contract(ContractField::Place, "Café").unwrap();
    a.commit();
    let after_a = a.heads();
    merge(&mut a, &mut b);
    b.set_contract(ContractField::Place, "Park").unwrap();
    b.commit();
    b.add_action(Slot::B, "Walk more", None, None).unwrap();
    merge(&mut a, &mut b);
    let h = a.history();
    let last = h.last().unwrap();
    assert_eq!(
        last.author,
        Some(ib.public()),
        "last change made on B's device"
    );
    assert_eq!(a.author_slot(last), Some(Slot::B));
    assert!(
        h.iter()
            .any(|e| e.author == Some(ia.public()) && e.message == "edit the contract")
    );
    assert!(h.iter().all(|e| e.time_ms > 0));
    // The document as it was then.
    let then = a.read_at(&after_a).unwrap();
    assert_eq!(then.contract.place, "Café");
    assert!(then.actions.is_empty());
    assert_eq!(a.read().unwrap().contract.place, "Park");
}

#[test]
fn ids_resolve_by_unique_prefix() {
    let (mut a, _, _, _) = pair();
    let id = a.add_action(Slot::A, "x", None, None).unwrap();
    assert_eq!(a.find_action(&id[..6]).unwrap(), id);
    assert!(matches!(
        a.find_action("zz"),
        Err(DocError::NotFound { .. })
    ));
    assert!(matches!(a.find_action(""), Err(DocError::NotFound { .. })));
}

#[test]
fn refuses_documents_it_does_not_understand() {
    assert!(matches!(
        PartnershipDoc::from_automerge(AutoCommit::new()),
        Err(DocError::NotAPartnership)
    ));
    // A newer schema number alone is no reason to refuse (partners upgrade on
    // different days); only a document that says it needs a newer reader is refused.
    let (mut a, _, _, _) = pair();
    a.automerge_mut().put(ROOT, "schema", 99u64).unwrap();
    let bytes = a.automerge_mut().save();
    assert!(PartnershipDoc::from_automerge(AutoCommit::load(&bytes).unwrap()).is_ok());
    a.automerge_mut().put(ROOT, "readable_by", 99u64).unwrap();
    assert!(matches!(a.read(), Err(DocError::NeedsNewerVersion(99))));
    let bytes = a.automerge_mut().save();
    assert!(matches!(
        PartnershipDoc::from_automerge(AutoCommit::load(&bytes).unwrap()),
        Err(DocError::NeedsNewerVersion(99))
    ));
}

#[test]
fn empty_or_control_only_values_are_refused() {
    let (mut a, _, _, _) = pair();
    assert!(a.add_action(Slot::A, "   ", None, None).is_err());
    assert!(a.add_ground_rule("\u{7}").is_err());
    assert!(a.set_partner_name(Slot::A, "").is_err());
    assert!(a.set_contract(ContractField::TermEnd, "soon").is_err());
    a.set_contract(ContractField::TermEnd, "").unwrap();
    assert_eq!(a.read().unwrap().contract.term.end, None);
}

#[test]
fn a_session_can_be_rescheduled_and_its_first_coach_swapped() {
    let (mut a, _, _, _) = pair();
    let s1 = a.new_session(date("2026-01-05")).unwrap();
    let s2 = a.new_session(date("2026-01-19")).unwrap();
    // Moving the first session after the second reorders them.
    a.set_session_date(&s1, date("2026-02-02")).unwrap();
    let p = a.read().unwrap();
    let order: Vec<_> = p.sessions.iter().map(|s| s.id.clone()).collect();
    assert_eq!(order, vec![s2.clone(), s1.clone()]);
    assert_eq!(p.session(&s1).unwrap().date, Some(date("2026-02-02")));
    // Swapping who coaches first swaps the order of the halves.
    let before = p.session(&s2).unwrap().coachees();
    a.set_session_coached_first(&s2, p.session(&s2).unwrap().coached_first.other())
        .unwrap();
    let after = a.read().unwrap().session(&s2).unwrap().coachees();
    assert_eq!(after, [before[1], before[0]]);
    assert!(
        a.set_session_date(
            &cocoach_doc::SessionId::from_stored("nope"),
            date("2026-01-01")
        )
        .is_err()
    );
}

#[test]
fn an_obstacle_noted_by_mistake_can_be_taken_back() {
    let (mut a, _, _, _) = pair();
    let id = a
        .add_action(Slot::A, "Call Jana", Some(date("2026-01-12")), None)
        .unwrap();
    a.add_obstacle(&id, "no time").unwrap();
    a.add_obstacle(&id, "my network is weak").unwrap();
    a.remove_obstacle(&id, 0).unwrap();
    let p = a.read().unwrap();
    assert_eq!(p.action(&id).unwrap().obstacles, vec!["my network is weak"]);
    assert!(matches!(
        a.remove_obstacle(&id, 5),
        Err(DocError::NotFound {
            what: "obstacle",
            ..
        })
    ));
}

#[test]
fn an_automerge_failure_keeps_the_automerge_error_as_its_source() {
    use std::error::Error;
    let (mut a, _, _, _) = pair();
    // A different first change from the same actor: Automerge refuses the duplicate
    // sequence number.
    let actor = a.automerge_mut().get_actor().clone();
    let mut forger = AutoCommit::new().with_actor(actor);
    forger.put(ROOT, "x", 1).unwrap();
    forger.commit();
    let change = forger.get_changes(&[]).into_iter().next().unwrap().clone();
    let err = a.apply_changes(vec![change]).unwrap_err();
    assert!(matches!(err, DocError::Automerge(_)), "{err:?}");
    let source = err
        .source()
        .and_then(|s| s.downcast_ref::<cocoach_doc::automerge::AutomergeError>())
        .expect("the AutomergeError is the source");
    // The message does not repeat its source, so a printed chain says it once.
    assert!(!err.to_string().contains(&source.to_string()), "{err}");
}

/// A change from the partner that rewrites who the partners are is detected and can
/// be taken back whole; an ordinary edit (a rename, a note) is not protected.
#[test]
fn a_change_rewriting_a_partner_key_is_detected_and_rolled_back() {
    use cocoach_doc::Protected;
    use cocoach_doc::automerge::{ObjId, ReadDoc};
    let (mut a, mut b, _, _) = pair();
    let third = DeviceIdentity::from_seed([3; 32]).public();
    fn get(d: &PartnershipDoc, obj: &ObjId, key: &str) -> ObjId {
        d.automerge().get(obj, key).unwrap().unwrap().1
    }
    // An honest edit by B: not protected.
    b.set_partner_name(Slot::B, "Bo Chen").unwrap();
    b.commit();
    let before = a.trust_facts();
    let heads = a.automerge_mut().get_heads();
    a.apply_changes(b.automerge_mut().get_changes(&heads))
        .unwrap();
    assert_eq!(a.changed_protected(&before), None);

    // Rewriting B's key, replacing A's map, or changing the id: each is detected.
    type Attack = fn(&mut PartnershipDoc, cocoach_doc::DeviceKey);
    let attacks: [(Attack, Protected); 3] = [
        (
            |d, k| {
                let p = get(d, &ROOT, "partnership");
                let ps = get(d, &p, "partners");
                let slot = get(d, &ps, "b");
                d.automerge_mut().put(&slot, "key", k.to_hex()).unwrap();
            },
            Protected::PartnerKey(Slot::B),
        ),
        (
            |d, k| {
                let p = get(d, &ROOT, "partnership");
                let ps = get(d, &p, "partners");
                let m = d
                    .automerge_mut()
                    .put_object(&ps, "a", cocoach_doc::automerge::ObjType::Map)
                    .unwrap();
                d.automerge_mut().put(&m, "key", k.to_hex()).unwrap();
            },
            Protected::Structure,
        ),
        (
            |d, _| {
                let p = get(d, &ROOT, "partnership");
                d.automerge_mut().put(&p, "id", "another").unwrap();
            },
            Protected::PartnershipId,
        ),
    ];
    for (attack, what) in attacks {
        let mut evil = PartnershipDoc::from_automerge(b.automerge_mut().fork()).unwrap();
        attack(&mut evil, third);
        evil.commit();
        let before = a.trust_facts();
        let heads = a.automerge_mut().get_heads();
        let sent = evil.automerge_mut().get_changes(&heads);
        assert!(!sent.is_empty());
        a.apply_changes(sent).unwrap();
        assert_eq!(a.changed_protected(&before), Some(what));
        a.roll_back_to(&heads).unwrap();
        assert_eq!(a.automerge_mut().get_heads(), heads, "{what:?}");
        assert_eq!(a.changed_protected(&before), None);
        let p = a.read().unwrap();
        assert_eq!(p.partners[1].key, Some(b.me().unwrap()));
        assert_eq!(p.partners[1].name, "Bo Chen");
    }
    // This device's edits after the roll-back are still its own.
    a.add_ground_rule("Phones away").unwrap();
    a.commit();
    let last = a.history().into_iter().last().unwrap();
    assert_eq!(
        last.author,
        Some(DeviceIdentity::from_seed([1; 32]).public())
    );
}

/// Whose signature counts is decided by the keys pinned on this device: a signature
/// made by a device the document names as partner B, but which is not the pinned
/// partner, is invalid — even though it verifies against the document's key.
#[test]
fn only_a_pinned_key_s_signature_counts() {
    use cocoach_doc::automerge::{ObjId, ReadDoc};
    let (mut a, _, ia, ib) = pair();
    let third = DeviceIdentity::from_seed([3; 32]);
    fn get(d: &PartnershipDoc, obj: &ObjId, key: &str) -> ObjId {
        d.automerge().get(obj, key).unwrap().unwrap().1
    }
    let p = get(&a, &ROOT, "partnership");
    let ps = get(&a, &p, "partners");
    let slot_b = get(&a, &ps, "b");
    a.automerge_mut()
        .put(&slot_b, "key", third.public().to_hex())
        .unwrap();
    a.commit();
    a.sign_contract(&third).unwrap();
    a.sign_contract(&ia).unwrap();
    a.commit();
    // Trusting the document, the third device's signature looks good.
    let unpinned = a.read().unwrap().signatures;
    assert!(
        matches!(unpinned.b, SignatureState::Signed { .. }),
        "{unpinned:?}"
    );
    // With this device's pins (Ana's and the real Bo's keys) it does not count.
    a.set_pinned_keys(&[ia.public(), ib.public()]);
    let pinned = a.read().unwrap().signatures;
    assert_eq!(pinned.b, SignatureState::Invalid);
    assert!(
        matches!(pinned.a, SignatureState::Signed { .. }),
        "{pinned:?}"
    );
}

/// The defaults a new partnership starts with are in the creator's language, and
/// stay as written when the partner (in another language) reads them.
#[test]
fn defaults_are_written_in_the_language_of_the_partner_who_creates_them() {
    use cocoach_i18n::Lang;
    let ia = DeviceIdentity::from_seed([1; 32]);
    let nl = PartnershipDoc::create_in("Ana", &ia, Lang::Nl).unwrap();
    let rules = nl.read().unwrap().contract.ground_rules;
    assert_eq!(rules.len(), 4);
    assert_eq!(rules[0], "Wees bemoedigend en uitdagend.");
    let en = PartnershipDoc::create("Ana", &ia).unwrap();
    let rules = en.read().unwrap().contract.ground_rules;
    assert_eq!(rules[0], "Be encouraging and challenging.");
    let mut nl = nl;
    let bytes = nl.automerge_mut().save();
    let bo = PartnershipDoc::from_automerge(automerge::AutoCommit::load(&bytes).unwrap()).unwrap();
    assert_eq!(
        bo.read().unwrap().contract.ground_rules[3],
        "Wat in een sessie gezegd wordt, blijft tussen ons."
    );
}
