//! The exchange tests, over bare Automerge documents.

use automerge::{AutoCommit, ChangeHash};
use cocoach_doc::{ChangeSignature, SignatureBatch, SignatureRefusal};

use super::*;
use crate::SyncError;
use crate::limits::Carried;
use crate::message::Message;

/// The unit tests here are about the exchange, not signatures: a bare Automerge
/// document that signs nothing and accepts everything. (Signatures are tested
/// over real partnership documents in `tests/tests/signed.rs`.)
impl Replica for AutoCommit {
    fn automerge(&mut self) -> &mut AutoCommit {
        self
    }
    fn signatures_carried(&mut self, _: &Carried) -> Vec<ChangeSignature> {
        Vec::new()
    }
    fn signatures_to_check(
        &mut self,
        _: Vec<ChangeSignature>,
    ) -> Result<SignatureBatch, SignatureRefusal> {
        Ok(SignatureBatch::default())
    }
    fn keep_checked(&mut self, _: Vec<ChangeSignature>) {}
    fn accept_received(
        &mut self,
        _: &[ChangeHash],
        _: u64,
        _: Option<&[ChangeHash]>,
    ) -> Result<usize, SignatureRefusal> {
        Ok(0)
    }
    fn roll_back_to(&mut self, before: &[ChangeHash]) -> Result<(), cocoach_doc::DocError> {
        if let Ok(back) = self.fork_at(before) {
            *self = back;
        }
        Ok(())
    }
}
use automerge::ROOT;
use automerge::transaction::Transactable;

fn exchange(
    a: &mut AutoCommit,
    sa: &mut SyncSession,
    b: &mut AutoCommit,
    sb: &mut SyncSession,
    first: Vec<Message>,
) -> usize {
    // (to_b, message)
    let mut queue: Vec<(bool, Message)> = first.into_iter().map(|m| (true, m)).collect();
    let mut n = 0;
    while !queue.is_empty() {
        let (to_b, m) = queue.remove(0);
        n += 1;
        let r = if to_b {
            sb.receive(&mut *b, m)
        } else {
            sa.receive(&mut *a, m)
        }
        .unwrap();
        queue.extend(r.reply.into_iter().map(|m| (!to_b, m)));
        assert!(n < 100, "no quiescence");
    }
    n
}

#[test]
fn two_sessions_sync_and_know_it() {
    let mut a = AutoCommit::new();
    a.put(ROOT, "x", 1).unwrap();
    let mut b = AutoCommit::new();
    b.put(ROOT, "y", 2).unwrap();
    let mut sa = SyncSession::new("p", None);
    let mut sb = SyncSession::new("p", None);
    let mut first = sa.start(&mut a);
    let hb = sb.start(&mut b);
    // Both hellos cross; deliver B's to A first.
    let r = sa.receive(&mut a, hb.into_iter().next().unwrap()).unwrap();
    first.extend(r.reply);
    exchange(&mut a, &mut sa, &mut b, &mut sb, first);
    assert_eq!(a.get_heads(), b.get_heads());
    assert!(sa.in_sync(&mut a) && sb.in_sync(&mut b));
    assert!(sa.partner_has_our_changes(&mut a));
    assert_eq!(sa.unacknowledged_changes(&mut a), 0);

    // A local edit: not acknowledged until the exchange completes.
    a.put(ROOT, "z", 3).unwrap();
    a.commit();
    assert!(!sa.partner_has_our_changes(&mut a));
    assert_eq!(sa.unacknowledged_changes(&mut a), 1);
    let msgs = sa.local_change(&mut a);
    exchange(&mut a, &mut sa, &mut b, &mut sb, msgs);
    assert_eq!(a.get_heads(), b.get_heads());
    assert!(sa.partner_has_our_changes(&mut a));

    // The persisted state resumes a later session.
    let state = sa.encoded_state();
    assert!(!SyncSession::new("p", Some(&state)).is_open());
    let _ = SyncSession::new("p", Some(b"garbage"));
}

#[test]
fn a_different_partnership_or_protocol_is_refused_before_any_document_byte() {
    let mut a = AutoCommit::new();
    let mut sa = SyncSession::new("ours", None);
    let mut other = SyncSession::new("theirs", None);
    let hello = other.start(&mut AutoCommit::new()).remove(0);
    assert!(matches!(
        sa.receive(&mut a, hello),
        Err(SyncError::WrongPartnership)
    ));
    let mut sa = SyncSession::new("ours", None);
    let bad = Message::Hello(Hello {
        protocol: 99,
        partnership_id: "ours".into(),
        heads: vec![],
    });
    assert!(matches!(
        sa.receive(&mut a, bad),
        Err(SyncError::ProtocolVersion(99))
    ));
    let mut sa = SyncSession::new("ours", None);
    let early = Message::Sync {
        seq: 1,
        data: vec![],
        signatures: vec![],
    };
    assert!(sa.receive(&mut a, early).is_err());
    // Before the peer's hello, a local change sends nothing.
    assert!(sa.local_change(&mut a).is_empty());
}

/// A session on `a` past the peer's `Hello`, ready for `Sync` messages.
fn opened(a: &mut AutoCommit) -> SyncSession {
    let mut sa = SyncSession::new("p", None);
    sa.start(a);
    let hello = SyncSession::new("p", None)
        .start(&mut AutoCommit::new())
        .remove(0);
    sa.receive(a, hello).unwrap();
    sa
}

/// Automerge 0.12 panics on a Bloom filter with 0 bits per entry when it next
/// generates a message, and allocates `num_probes` `u32`s for each lookup. Both
/// are refused before Automerge sees them, and the session can still be polled.
/// The document's total size is capped: a message that would take it past the
/// cap is refused whole, naming the limit, and nothing of it stays.
#[test]
fn a_message_that_would_grow_the_document_past_its_cap_is_refused() {
    use automerge::ReadDoc;
    // A real replica: roll_back_to must really go back.
    let mut p = cocoach_testkit::generate::pair(3).unwrap();
    let pins = [p.id_a.public(), p.id_b.public()];
    p.a.set_pinned_keys(&pins);
    p.b.set_pinned_keys(&pins);
    let pid = p.a.partnership_id().to_string();
    let ops_a = p.a.automerge().stats().num_ops;
    let mut sa = SyncSession::new(&pid, None).with_max_ops(ops_a + 50);
    let mut sb = SyncSession::new(&pid, None);
    let s =
        p.b.new_session(cocoach_doc::Date::new(2026, 12, 1).unwrap())
            .unwrap();
    p.b.append_half_text(
        &s,
        cocoach_doc::Slot::A,
        cocoach_doc::HalfText::Goal,
        &"x".repeat(200),
    )
    .unwrap();
    p.b.commit();
    let before = p.a.heads();
    let mut queue: Vec<(bool, Message)> =
        sa.start(&mut p.a).into_iter().map(|m| (true, m)).collect();
    queue.extend(sb.start(&mut p.b).into_iter().map(|m| (false, m)));
    let mut refused = None;
    for _ in 0..100 {
        let Some((to_b, m)) = (!queue.is_empty()).then(|| queue.remove(0)) else {
            break;
        };
        let r = if to_b {
            sb.receive(&mut p.b, m)
        } else {
            sa.receive(&mut p.a, m)
        };
        match r {
            Ok(r) => queue.extend(r.reply.into_iter().map(|m| (!to_b, m))),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
    }
    let err = refused.expect("the message was not refused");
    assert!(
        matches!(&err, SyncError::Refused { reason, .. } if reason.contains("operations (at most")),
        "{err:?}"
    );
    assert_eq!(p.a.heads(), before);
    // What a year of weekly sessions weighs, against the cap.
    let year =
        cocoach_testkit::generate::history(cocoach_testkit::generate::HistoryShape::years(1), 1)
            .unwrap();
    let ops = year.a.automerge().stats().num_ops;
    eprintln!("a year of weekly sessions: {ops} operations");
    assert!(ops * 20 < crate::limits::MAX_DOCUMENT_OPS, "{ops}");
}

/// The partner's actor X made c1, c2, c3 (each depending on the one before): their
/// bytes and hashes.
fn three_changes_by_one_actor() -> (Vec<Vec<u8>>, Vec<ChangeHash>) {
    let mut x = AutoCommit::new().with_actor(automerge::ActorId::random());
    let (mut raw, mut hashes) = (Vec::new(), Vec::new());
    for i in 0..3 {
        x.put(ROOT, "n", i).unwrap();
        let h = x.commit().unwrap();
        hashes.push(h);
        raw.push(x.get_change_by_hash(&h).unwrap().raw_bytes().to_vec());
    }
    (raw, hashes)
}

/// A document holding `first`, after a message carrying `hostile` from the
/// partner: the document, its heads from before, and the refusal.
fn refused_after(first: &[u8], hostile: Vec<u8>) -> (AutoCommit, Vec<ChangeHash>, SyncError) {
    let mut a = AutoCommit::new();
    a.apply_changes([automerge::Change::from_bytes(first.to_vec()).unwrap()])
        .unwrap();
    let heads = a.get_heads();
    let mut sa = opened(&mut a);
    let err = sa
        .receive(
            &mut a,
            Message::Sync {
                seq: 1,
                data: cocoach_testkit::hostile::changes_message(vec![hostile]).encode(),
                signatures: vec![],
            },
        )
        .unwrap_err();
    (a, heads, err)
}

/// A change Automerge 0.12 would panic on mid-apply (an `assert!` in
/// `change_graph.rs`), as a hand-made encoder writes it: refused first, and the
/// document is as before.
#[test]
fn a_change_automerge_would_panic_on_is_refused_before_it_applies() {
    let (raw, _) = three_changes_by_one_actor();
    // c2 naming an author: only a first change may.
    let hostile = cocoach_testkit::hostile::with_author_footer(&raw[1], b"someone");
    assert!(
        automerge::Change::from_bytes(hostile.clone()).is_ok(),
        "parses"
    );
    let (mut a, heads, err) = refused_after(&raw[0], hostile);
    assert!(matches!(&err, SyncError::Refused { seq: 1, .. }), "{err:?}");
    assert_eq!(a.get_heads(), heads);
}

/// A change whose dependencies skip its actor's previous change: Automerge 0.12
/// panics mid-apply (`change_graph.rs:569`), and the check for it in `limits.rs`
/// was taken out (it refused honest reordered traffic). The panic is caught in the
/// step: refused, the document back where it was and still usable.
#[test]
fn a_panic_inside_automerge_is_caught_and_the_step_rolled_back() {
    use automerge::ReadDoc;
    let (raw, hashes) = three_changes_by_one_actor();
    // c3 says it follows c1 directly, skipping c2.
    let skipping = cocoach_testkit::hostile::with_deps(&raw[2], &[hashes[0]]);
    let (mut a, heads, err) = refused_after(&raw[0], skipping);
    assert!(
        matches!(&err, SyncError::Refused { seq: 1, reason } if reason.contains("panic")),
        "{err:?}"
    );
    assert_eq!(a.get_heads(), heads);
    // Still usable: a local edit commits and reads back.
    a.put(ROOT, "after", 1).unwrap();
    a.commit();
    assert!(a.get(ROOT, "after").unwrap().is_some());
}

#[test]
fn a_hostile_bloom_filter_is_refused_before_automerge_sees_it() {
    // 0 bits first: without the check it panics; u32::MAX probes would try to
    // allocate 16 GiB.
    for (bits, probes) in [(0, 7), (10, u32::MAX)] {
        let mut a = AutoCommit::new();
        a.put(ROOT, "x", 1).unwrap();
        a.commit();
        let mut sa = opened(&mut a);
        let hostile =
            cocoach_testkit::hostile::with_have(cocoach_testkit::hostile::bloom(1, bits, probes));
        let err = sa
            .receive(
                &mut a,
                Message::Sync {
                    seq: 1,
                    data: hostile.encode(),
                    signatures: vec![],
                },
            )
            .unwrap_err();
        assert!(
            matches!(&err, SyncError::Refused { seq: 1, reason } if reason.contains("Bloom")),
            "{err:?}"
        );
        // Nothing of it was kept: our next message is generated as before.
        a.put(ROOT, "y", 2).unwrap();
        a.commit();
        let _ = sa.local_change(&mut a);
    }
}

/// A small message whose compressed change inflates to 300 MiB: refused before
/// Automerge inflates it (with no bound).
#[test]
fn a_change_that_inflates_past_the_limit_is_refused() {
    let mut a = AutoCommit::new();
    let mut sa = opened(&mut a);
    let data = cocoach_testkit::hostile::bomb_message(300 << 20).encode();
    assert!(data.len() < 1 << 20);
    let err = sa
        .receive(
            &mut a,
            Message::Sync {
                seq: 1,
                data,
                signatures: vec![],
            },
        )
        .unwrap_err();
    assert!(
        matches!(&err, SyncError::Refused { reason, .. } if reason.contains("inflate")),
        "{err:?}"
    );
}

#[test]
fn a_garbled_sync_message_keeps_automerge_s_decode_error() {
    use std::error::Error;
    let mut a = AutoCommit::new();
    let mut sa = opened(&mut a);
    let garbled = Message::Sync {
        seq: 1,
        data: vec![0x42, 1, 2, 3],
        signatures: vec![],
    };
    let err = sa.receive(&mut a, garbled).unwrap_err();
    assert!(
        matches!(err, SyncError::SyncMessage { seq: 1, .. }),
        "{err:?}"
    );
    err.source()
        .and_then(|s| s.downcast_ref::<automerge::sync::ReadMessageError>())
        .expect("Automerge's decode error is the source");
}

#[test]
fn a_persisted_state_with_heads_out_of_order_starts_fresh() {
    let (low, high) = (ChangeHash([1; 32]), ChangeHash([2; 32]));
    let mut state = automerge::sync::State::new();
    state.shared_heads = vec![low, high];
    let sorted = SyncSession::new("p", Some(&state.encode()));
    assert_eq!(sorted.state.shared_heads, vec![low, high], "kept");
    // Written by hand: Automerge's own `encode` asserts the order.
    let mut bytes = state.encode();
    bytes[2..34].copy_from_slice(&[2; 32]);
    bytes[34..66].copy_from_slice(&[1; 32]);
    let damaged = SyncSession::new("p", Some(&bytes));
    assert!(damaged.state.shared_heads.is_empty(), "replaced");
}
