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

/// A link where A's messages take `delay` steps (heartbeat intervals) to reach B (a first sync of a
/// long history on a slow line, or one B takes seconds to apply) while B's reach
/// A at once; both tick every step (a heartbeat interval) and A sends a heartbeat
/// each step, as the connection does. `lose_big`: A's first `Sync` carrying
/// changes never arrives. Returns how many times over A sent the history (bytes
/// of the `Sync`s carrying changes over the largest one) and the two documents.
fn slow_link(delay: usize, lose_big: bool) -> (f64, AutoCommit, AutoCommit) {
    // What they share since pairing (an empty partner would get Automerge's
    // whole-document message, which it sends again whatever we do).
    let mut a = AutoCommit::new();
    a.put(ROOT, "partnership", "p").unwrap();
    a.commit();
    let mut b = a.fork().with_actor(automerge::ActorId::random());
    // Notes that do not compress: the history is ~60 KB on the wire.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..300 {
        let note: String = (0..200)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect();
        a.put(ROOT, format!("k{i}"), note).unwrap();
        a.commit();
    }
    let (mut sa, mut sb) = (SyncSession::new("p", None), SyncSession::new("p", None));
    // A's messages on their way: (due step, message).
    let mut to_b: std::collections::VecDeque<(usize, Message)> = Default::default();
    let (mut sent, mut largest, mut lost) = (0usize, 0usize, false);
    let mut send_a = |msgs: Vec<Message>, now: usize, to_b: &mut std::collections::VecDeque<_>| {
        for m in msgs {
            // Messages carrying changes (heads and Bloom filters are ~0.5 KB).
            if let Message::Sync { data, .. } = &m
                && data.len() > 10_000
            {
                sent += data.len();
                largest = largest.max(data.len());
                if lose_big && !lost {
                    lost = true;
                    continue;
                }
            }
            to_b.push_back((now + delay, m));
        }
        (sent, largest)
    };
    let hb = sb.start(&mut b);
    let first = sa.start(&mut a);
    send_a(first, 0, &mut to_b);
    let mut to_a = hb;
    let mut nonce = 0;
    let mut totals = (0, 0);
    for now in 0..300 {
        // B's messages arrive at once; A's replies set out.
        while !to_a.is_empty() {
            let mut replies = Vec::new();
            for m in std::mem::take(&mut to_a) {
                replies.extend(sa.receive(&mut a, m).unwrap().reply);
            }
            totals = send_a(replies, now, &mut to_b);
        }
        while to_b.front().is_some_and(|(due, _)| *due <= now) {
            let (_, m) = to_b.pop_front().unwrap();
            to_a.extend(sb.receive(&mut b, m).unwrap().reply);
        }
        if to_a.is_empty() && to_b.is_empty() && sa.in_sync(&mut a) && sb.in_sync(&mut b) {
            break;
        }
        // A heartbeat interval passes.
        nonce += 1;
        sa.heartbeat_sent(nonce);
        let mut out = vec![Message::Heartbeat { nonce }];
        out.extend(sa.tick(&mut a));
        totals = send_a(out, now, &mut to_b);
        to_a.extend(sb.tick(&mut b));
    }
    let (sent, largest) = totals;
    (sent as f64 / largest.max(1) as f64, a, b)
}

/// B, still waiting for (or applying) the message carrying A's history, asks
/// again and announces its unchanged heads at each heartbeat. That is not a
/// lost message — B has not read A's yet (it has answered no heartbeat sent
/// after it) — and A must not send the history again. Before, it did: a
/// 355 KB first sync put 707 KB on the wire (found by tests/tests/cuts.rs).
#[test]
fn a_partner_still_receiving_our_history_does_not_get_it_twice() {
    let (copies, mut a, mut b) = slow_link(5, false);
    assert_eq!(a.get_heads(), b.get_heads(), "not converged");
    assert!(
        copies < 1.2,
        "A sent its history {copies:.2} times over to a partner that was still receiving it"
    );
}

/// A message carrying A's history is lost (over QUIC none is; the simulated
/// network loses them): once B has answered a heartbeat sent after it and still
/// lacks the changes, A sends them again, and both converge. (With a link as
/// slow as above, B's own resets on A's idle announcements would give up first:
/// it counts eight without progress.)
#[test]
fn a_lost_history_is_sent_again_once_the_partner_has_read_past_it() {
    let (copies, mut a, mut b) = slow_link(1, true);
    assert_eq!(a.get_heads(), b.get_heads(), "not converged after the loss");
    assert!(copies >= 1.9, "the history went out {copies:.2} times");
}

/// One stream never delivers a message numbered at or below one already read:
/// a run of them means the partner's numbering broke (a number damaged far
/// ahead would otherwise make us drop everything after it, stalling the
/// exchange until the next connection). After eight, the connection ends.
#[test]
fn a_run_of_stale_sequence_numbers_ends_the_connection() {
    let mut a = AutoCommit::new();
    let mut sa = opened(&mut a);
    let idle = |seq| Message::Idle {
        seq,
        heads: vec![],
        ack: true,
    };
    sa.receive(&mut a, idle(1 << 40)).unwrap();
    for seq in 1..=8 {
        sa.receive(&mut a, idle(seq)).unwrap();
    }
    assert_eq!(sa.dropped_stale(), 8);
    assert!(matches!(
        sa.receive(&mut a, idle(9)),
        Err(SyncError::OutOfOrder)
    ));
    // A stale one now and then (a duplicate) is only dropped.
    let mut sa = opened(&mut a);
    for seq in [1, 2, 2, 3, 1, 4, 5, 5, 6] {
        sa.receive(&mut a, idle(seq)).unwrap();
    }
}
