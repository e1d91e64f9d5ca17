//! The host and the guest together: a whole pairing, refusals, and the attacks the
//! verification code must withstand.

use cocoach_doc::DeviceKey;

use super::test_ticket as ticket;
use super::*;
use crate::message::Message;

/// Request and commitment, the host's nonce, the reveal: both show a code.
/// Returns the host's step after the reveal and the guest's code.
fn exchange(
    host: &mut PairingHost,
    guest: &mut PairingGuest,
    guest_key: DeviceKey,
) -> (HostStep, Option<String>) {
    let mut to_guest = Vec::new();
    for m in guest.first_flight() {
        match host.receive(guest_key, m, 0) {
            HostStep::Send(msgs) => to_guest.extend(msgs),
            other => return (other, None),
        }
    }
    let mut code = None;
    let mut last = HostStep::Send(Vec::new());
    for m in to_guest {
        match guest.receive(m) {
            GuestStep::ShowCode { code: c, send } => {
                code = Some(c);
                for m in send {
                    last = host.receive(guest_key, m, 0);
                }
            }
            other => panic!("guest: {other:?}"),
        }
    }
    (last, code)
}

fn run_pairing(host_ok: bool, guest_ok: bool) -> (HostStep, Option<GuestStep>) {
    let t = ticket();
    let guest_key = DeviceKey([9; 32]);
    let mut host = PairingHost::new(t.clone()).unwrap();
    let mut guest = PairingGuest::new(t, guest_key, "Bo", 0).unwrap();
    assert_eq!(guest.code(), None, "no code before the host's nonce");
    let (HostStep::ShowCode { code, guest_name }, guest_code) =
        exchange(&mut host, &mut guest, guest_key)
    else {
        panic!("host did not show a code");
    };
    assert_eq!(Some(code), guest_code, "both screens show the same code");
    assert_eq!(guest_name, "Bo");
    let g = guest.user_confirms(guest_ok);
    let mut last = host.user_confirms(host_ok);
    if let GuestStep::Send(msgs) = g {
        for m in msgs {
            last = host.receive(guest_key, m, 0);
        }
    }
    (last, None)
}

#[test]
fn both_confirm_then_host_accepts() {
    let (last, _) = run_pairing(true, true);
    assert_eq!(
        last,
        HostStep::Accepted {
            guest: DeviceKey([9; 32]),
            guest_name: "Bo".into(),
            record: None,
        }
    );
}

/// Re-pairing: the host accepts only once the guest's record arrived, which the
/// guest sends only after its own user confirmed the code; the invite says so in
/// its text, and a host pairing a new partner refuses a record.
#[test]
fn a_rejoin_is_accepted_with_the_guests_record_only() {
    let mut t = ticket();
    t.rejoin = true;
    assert!(
        Ticket::decode(&t.encode()).unwrap().rejoin,
        "the text keeps it"
    );
    assert!(!Ticket::decode(&ticket().encode()).unwrap().rejoin);
    let guest_key = DeviceKey([9; 32]);
    let mut host = PairingHost::new(t.clone()).unwrap();
    assert!(host.is_rejoin());
    let mut guest = PairingGuest::new(t, guest_key, "Bo", 0)
        .unwrap()
        .with_record(vec![1, 2, 3], vec![]);
    let (HostStep::ShowCode { .. }, Some(_)) = exchange(&mut host, &mut guest, guest_key) else {
        panic!("no code");
    };
    // The host's user confirms first: nothing yet.
    assert_eq!(host.user_confirms(true), HostStep::Send(Vec::new()));
    let GuestStep::Send(msgs) = guest.user_confirms(true) else {
        panic!("guest sends nothing");
    };
    assert_eq!(msgs.len(), 2, "confirmation, then the record: {msgs:?}");
    assert_eq!(
        host.receive(guest_key, msgs[0].clone(), 0),
        HostStep::Send(Vec::new()),
        "confirmed but no record yet"
    );
    assert_eq!(
        host.receive(guest_key, msgs[1].clone(), 0),
        HostStep::Accepted {
            guest: guest_key,
            guest_name: "Bo".into(),
            record: Some(GuestRecord {
                document: vec![1, 2, 3],
                signatures: vec![],
            }),
        }
    );

    // A host pairing a new partner refuses a record.
    let t = ticket();
    let mut host = PairingHost::new(t.clone()).unwrap();
    let mut guest = PairingGuest::new(t, guest_key, "Bo", 0)
        .unwrap()
        .with_record(vec![1], vec![]);
    exchange(&mut host, &mut guest, guest_key);
    let GuestStep::Send(msgs) = guest.user_confirms(true) else {
        panic!("guest sends nothing");
    };
    host.receive(guest_key, msgs[0].clone(), 0);
    let last = host.receive(guest_key, msgs[1].clone(), 0);
    assert!(
        matches!(&last, HostStep::Failed { error: PairError::Protocol(w), .. } if w.contains("re-pairing")),
        "{last:?}"
    );
}

#[test]
fn a_declined_code_fails_pairing() {
    let (last, _) = run_pairing(false, true);
    assert!(matches!(last, HostStep::Failed { .. }), "{last:?}");
}

#[test]
fn invites_are_single_use_expire_and_check_the_proof() {
    let t = ticket();
    let mut host = PairingHost::new(t.clone()).unwrap();
    // Wrong secret (an altered or different invite).
    let mut wrong = t.clone();
    wrong.secret = [4; 16];
    let g = PairingGuest::new(wrong, DeviceKey([9; 32]), "Eve", 0).unwrap();
    assert!(matches!(
        host.receive(DeviceKey([9; 32]), g.request(), 0),
        HostStep::Failed {
            error: PairError::BadProof,
            ..
        }
    ));
    // A proof made for another guest key does not work for this key.
    let g = PairingGuest::new(t.clone(), DeviceKey([8; 32]), "Bo", 0).unwrap();
    assert!(matches!(
        host.receive(DeviceKey([9; 32]), g.request(), 0),
        HostStep::Failed {
            error: PairError::BadProof,
            ..
        }
    ));
    // Expired.
    let g = PairingGuest::new(t.clone(), DeviceKey([9; 32]), "Bo", 0).unwrap();
    assert!(matches!(
        host.receive(DeviceKey([9; 32]), g.request(), 1_000_000),
        HostStep::Failed {
            error: PairError::Expired,
            ..
        }
    ));
    assert_eq!(
        PairingGuest::new(t.clone(), DeviceKey([9; 32]), "Bo", 2_000_000).unwrap_err(),
        PairError::Expired
    );
    // First valid use burns it; a replay is refused.
    assert!(matches!(
        host.receive(DeviceKey([9; 32]), g.request(), 0),
        HostStep::Send(ref m) if m.is_empty()
    ));
    let mut fresh = PairingHost::new(t.clone()).unwrap();
    assert!(matches!(
        fresh.receive(DeviceKey([9; 32]), g.request(), 0),
        HostStep::Send(ref m) if m.is_empty()
    ));
    assert!(matches!(
        fresh.receive(DeviceKey([7; 32]), g.request(), 0),
        HostStep::Failed { .. }
    ));
}

/// The whole proof is checked: a single changed bit anywhere is refused.
#[test]
fn a_proof_altered_in_any_byte_is_refused() {
    let t = ticket();
    let good = pair_proof(&t.secret, &t.host, &DeviceKey([9; 32]));
    for i in 0..good.len() {
        let mut proof = good;
        proof[i] ^= 0x80;
        let mut host = PairingHost::new(t.clone()).unwrap();
        let step = host.receive(
            DeviceKey([9; 32]),
            Message::PairRequest {
                proof,
                name: "Eve".into(),
            },
            0,
        );
        assert!(
            matches!(
                step,
                HostStep::Failed {
                    error: PairError::BadProof,
                    ..
                }
            ),
            "byte {i}: {step:?}"
        );
    }
}

/// A guest must reveal the nonce it committed to before it saw the host's: one
/// that picks another nonce afterwards (to steer the code) is refused.
#[test]
fn a_nonce_other_than_the_committed_one_is_refused() {
    let t = ticket();
    let key = DeviceKey([9; 32]);
    let mut host = PairingHost::with_nonce(t.clone(), [5; 32]);
    let guest = PairingGuest::with_nonce(t, key, "Mallory", 0, [6; 32]).unwrap();
    for m in guest.first_flight() {
        assert!(matches!(host.receive(key, m, 0), HostStep::Send(_)));
    }
    let step = host.receive(key, Message::PairReveal { nonce: [7; 32] }, 0);
    assert!(
        matches!(
            step,
            HostStep::Failed {
                error: PairError::BrokenCommitment,
                ..
            }
        ),
        "{step:?}"
    );
    // And the pairing is over: the right nonce now is too late.
    let step = host.receive(key, Message::PairReveal { nonce: [6; 32] }, 0);
    assert!(matches!(step, HostStep::Failed { .. }), "{step:?}");
}

/// Someone who saw the invite (Mallory) races the real guest (Bo). Under the old
/// code, `HMAC(secret, host‖guest)`, Mallory could search keys offline until her
/// code equalled the one Bo's screen showed, so both screens agreed and the host
/// user confirmed her. Now: Bo, refused because the invite is burnt, never shows
/// a code to compare; and Mallory's code depends on a host nonce she sees only
/// after committing to hers, so no choice of hers aims it at a target — over
/// 2,000 pairings (fresh host nonces) her committed nonce hit a chosen code at
/// most once (chance 1 in 10⁶ each).
#[test]
fn a_man_in_the_middle_holding_the_ticket_cannot_make_the_codes_agree() {
    let t = ticket();
    let (bo, mallory) = (DeviceKey([9; 32]), DeviceKey([0x66; 32]));
    let mut host = PairingHost::with_nonce(t.clone(), [5; 32]);
    let mut m = PairingGuest::with_nonce(t.clone(), mallory, "Bo", 0, [6; 32]).unwrap();
    let mut b = PairingGuest::with_nonce(t.clone(), bo, "Bo", 0, [7; 32]).unwrap();
    // Mallory is first: her request proves the secret and burns the invite.
    let (step, m_code) = exchange(&mut host, &mut m, mallory);
    assert!(matches!(step, HostStep::ShowCode { .. }), "{step:?}");
    assert!(m_code.is_some());
    // Bo's request is refused, and Bo never gets a code to show.
    let HostStep::Failed {
        reply: Some(reply), ..
    } = host.receive(bo, b.request(), 0)
    else {
        panic!("Bo's request was not refused");
    };
    assert!(matches!(b.receive(reply), GuestStep::Failed(_)));
    assert_eq!(b.code(), None, "Bo shows no code");

    // Aiming at a code: the one Bo would have seen with the same host nonce.
    let mut rng_nonce = [0u8; 32];
    let mut hits = 0;
    for i in 0..2000u32 {
        rng_nonce[..4].copy_from_slice(&i.to_be_bytes());
        let target = verification_code(&t.secret, &t.host, &bo, &rng_nonce, &[7; 32]);
        let hers = verification_code(&t.secret, &t.host, &mallory, &rng_nonce, &[6; 32]);
        hits += usize::from(hers == target);
    }
    assert!(hits <= 1, "{hits} of 2000 codes agreed");
}

/// The same guest, with the same key and the same proof, replaying its request
/// after its pairing ended — accepted or declined — is refused by the single-use
/// rule itself (`AlreadyUsed`), not by anything the network layer closed.
#[test]
fn a_same_key_replay_of_a_used_invite_is_refused_as_used() {
    for accept in [true, false] {
        let t = ticket();
        let guest_key = DeviceKey([9; 32]);
        let mut host = PairingHost::new(t.clone()).unwrap();
        let mut guest = PairingGuest::new(t.clone(), guest_key, "Bo", 0).unwrap();
        let request = guest.request();
        let (HostStep::ShowCode { .. }, Some(_)) = exchange(&mut host, &mut guest, guest_key)
        else {
            panic!("no code");
        };
        let g = guest.user_confirms(accept);
        let mut last = host.user_confirms(accept);
        if let GuestStep::Send(msgs) = g {
            for m in msgs {
                last = host.receive(guest_key, m, 0);
            }
        }
        assert_eq!(
            matches!(last, HostStep::Accepted { .. }),
            accept,
            "{last:?}"
        );
        assert!(host.is_over());
        let replay = host.receive(guest_key, request, 0);
        assert!(
            matches!(
                replay,
                HostStep::Failed {
                    error: PairError::AlreadyUsed,
                    ..
                }
            ),
            "accept={accept}: {replay:?}"
        );
    }
}
