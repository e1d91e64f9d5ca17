//! One sync connection with the partner, sans IO: feed it the messages that arrive,
//! send the messages it returns. It runs the Automerge sync protocol over the
//! partnership document, starting from the sync state persisted for this partner.
//!
//! The Automerge protocol assumes a reliable, in-order stream. A lost or corrupted
//! message otherwise leaves both sides waiting with different heads. So when a side
//! has nothing more to send it says `Idle { heads }`; a peer that receives different
//! heads while itself having nothing to send resets its sync state and starts over.

use automerge::sync::{self, SyncDoc};
use automerge::{AutoCommit, ChangeHash, ReadDoc};
use cocoach_doc::{
    ChangeSignature, PartnershipDoc, Protected, SignatureBatch, SignatureRefusal, TrustFacts,
};

use crate::SyncError;
use crate::limits::{Carried, Incoming};
use crate::message::{Hello, Message, PROTOCOL_VERSION};

/// What a sync session needs of the document it syncs: Automerge itself, and the
/// signatures that travel with the changes (see `cocoach_doc`'s `signed.rs`). The
/// partnership document is the one replica the app syncs.
pub trait Replica {
    fn automerge(&mut self) -> &mut AutoCommit;
    /// The signatures of the changes `carried` by an outgoing message.
    fn signatures_carried(&mut self, carried: &Carried) -> Vec<ChangeSignature>;
    /// Signatures the partner sent with a message, before Automerge sees it: those
    /// worth checking ([`PartnershipDoc::signatures_to_check`]) ...
    fn signatures_to_check(
        &mut self,
        offered: Vec<ChangeSignature>,
    ) -> Result<SignatureBatch, SignatureRefusal>;
    /// ... and those that verified ([`PartnershipDoc::keep_checked`]).
    fn keep_checked(&mut self, valid: Vec<ChangeSignature>);
    /// After Automerge applied a message: every change new since `before` must be
    /// its author's, signed. `changes_before` is [`Replica::change_count`] and
    /// `missing_before` the carried changes the document lacked, both taken before
    /// the message was applied (`None`: it carried a whole document).
    fn accept_received(
        &mut self,
        before: &[ChangeHash],
        changes_before: u64,
        missing_before: Option<&[ChangeHash]>,
    ) -> Result<usize, SignatureRefusal>;
    /// How many changes the document holds.
    fn change_count(&mut self) -> u64 {
        self.automerge().stats().num_changes
    }
    /// Which of `hashes` the document does not hold.
    fn missing(&mut self, hashes: &[ChangeHash]) -> Vec<ChangeHash> {
        let am = self.automerge();
        hashes
            .iter()
            .filter(|h| am.get_change_meta_by_hash(h).is_none())
            .copied()
            .collect()
    }
    /// Go back to `before`, dropping what a refused message brought.
    fn roll_back_to(&mut self, before: &[ChangeHash]) -> Result<(), cocoach_doc::DocError>;
    /// What sync may never change (who the partners are), noted before a step of
    /// a message applies ([`PartnershipDoc::trust_facts`]) ...
    fn protected_facts(&mut self) -> Option<TrustFacts> {
        None
    }
    /// ... and which of it the step changed ([`PartnershipDoc::changed_protected`]).
    fn changed_protected(&mut self, _before: &Option<TrustFacts>) -> Option<Protected> {
        None
    }
}

/// How a session reaches the document it syncs: the document itself, or the lock
/// that guards it (then each step of a large message takes the lock anew, and a
/// local edit can go in between). A poisoned lock still gives the document: every
/// step leaves it whole (a refused step is rolled back before the lock is let go).
pub trait Access {
    type Doc: Replica;
    fn with<T>(&mut self, f: impl FnOnce(&mut Self::Doc) -> T) -> T;
}

impl<R: Replica> Access for &mut R {
    type Doc = R;
    fn with<T>(&mut self, f: impl FnOnce(&mut R) -> T) -> T {
        f(self)
    }
}

impl<R: Replica> Access for &std::sync::Mutex<R> {
    type Doc = R;
    fn with<T>(&mut self, f: impl FnOnce(&mut R) -> T) -> T {
        f(&mut self
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

impl Replica for PartnershipDoc {
    fn automerge(&mut self) -> &mut AutoCommit {
        self.automerge_mut()
    }
    fn signatures_carried(&mut self, carried: &Carried) -> Vec<ChangeSignature> {
        match carried {
            Carried::Changes(hashes) => self.signatures_for(hashes),
            Carried::WholeDocument => self.all_signatures(),
        }
    }
    fn signatures_to_check(
        &mut self,
        offered: Vec<ChangeSignature>,
    ) -> Result<SignatureBatch, SignatureRefusal> {
        PartnershipDoc::signatures_to_check(self, offered)
    }
    fn keep_checked(&mut self, valid: Vec<ChangeSignature>) {
        PartnershipDoc::keep_checked(self, valid)
    }
    fn accept_received(
        &mut self,
        before: &[ChangeHash],
        changes_before: u64,
        missing_before: Option<&[ChangeHash]>,
    ) -> Result<usize, SignatureRefusal> {
        PartnershipDoc::accept_received(self, before, changes_before, missing_before)
    }
    fn roll_back_to(&mut self, before: &[ChangeHash]) -> Result<(), cocoach_doc::DocError> {
        PartnershipDoc::roll_back_to(self, before)
    }
    fn protected_facts(&mut self) -> Option<TrustFacts> {
        Some(self.trust_facts())
    }
    fn changed_protected(&mut self, before: &Option<TrustFacts>) -> Option<Protected> {
        before
            .as_ref()
            .and_then(|b| PartnershipDoc::changed_protected(self, b))
    }
}

/// A message that carries a whole document (Automerge sends one instead of more
/// than a third of it), cut into steps of the changes this document lacks: the
/// document is loaded without the lock (Automerge would load it anyway to merge
/// it), and only the lookup of which changes are new takes the lock.
fn whole_document_steps(
    doc: &mut impl Access,
    seq: u64,
    m: sync::Message,
) -> Result<Vec<crate::limits::Step>, SyncError> {
    let bytes: Vec<u8> = m.changes.iter().flat_map(|e| e.iter().copied()).collect();
    let theirs = automerge::Automerge::load(&bytes).map_err(|e| SyncError::Automerge {
        seq,
        source: Box::new(e),
    })?;
    let changes = theirs.get_changes(&[]);
    let hashes: Vec<ChangeHash> = changes.iter().map(automerge::Change::hash).collect();
    let missing: std::collections::HashSet<ChangeHash> =
        doc.with(|d| d.missing(&hashes)).into_iter().collect();
    let new = changes
        .into_iter()
        .filter(|c| missing.contains(&c.hash()))
        .map(|c| (c.raw_bytes().to_vec(), Some(c)));
    crate::limits::steps_of(&m, new).map_err(|reason| SyncError::Refused { seq, reason })
}

/// Resets in a row without the document changing before we give up on this
/// connection (the caller reconnects from a fresh state).
const MAX_RESETS_WITHOUT_PROGRESS: u32 = 8;

/// Sync messages received in a row that change nothing on our side before we
/// suspect a stalled exchange and restart it. A healthy exchange needs at most a few.
const MAX_IDLE_EXCHANGES: u32 = 10;

/// What receiving one message did.
#[derive(Debug, Default)]
pub struct Received {
    /// Send these to the peer, in order.
    pub reply: Vec<Message>,
    /// The document gained changes from the peer (save them, refresh views).
    pub doc_changed: bool,
    /// The peer said goodbye.
    pub closed: bool,
}

#[derive(Debug)]
pub struct SyncSession {
    partnership_id: String,
    state: sync::State,
    peer_hello: Option<Hello>,
    /// Heads we last announced in `Idle`, so we announce each state once.
    idle_sent: Option<Vec<ChangeHash>>,
    /// Heads the peer last announced in `Idle`.
    peer_idle: Option<Vec<ChangeHash>>,
    resets_without_progress: u32,
    resets_total: u32,
    /// Sequence number of our next `Sync`/`Idle`.
    next_seq: u64,
    /// Highest sequence number accepted from the peer.
    peer_seq: Option<u64>,
    dropped_stale: u64,
    /// What the peer asked for in its last message.
    peer_need: Vec<ChangeHash>,
    /// Sync messages received in a row that changed nothing here.
    fruitless: u32,
    /// `unacknowledged_changes` for (our heads, shared heads), so status checks after
    /// every message cost nothing while neither moves.
    unacked: Option<(Vec<ChangeHash>, Vec<ChangeHash>, usize)>,
    /// [`crate::limits::MAX_DOCUMENT_OPS`], lower in tests.
    max_ops: u64,
}

impl SyncSession {
    /// A session for `partnership_id`, resuming from a persisted sync state. A state
    /// that cannot be decoded is replaced by a fresh one (costs one larger exchange).
    pub fn new(partnership_id: &str, persisted: Option<&[u8]>) -> SyncSession {
        let state = persisted
            .and_then(|b| sync::State::decode(b).ok())
            .unwrap_or_default();
        SyncSession {
            partnership_id: partnership_id.to_string(),
            state,
            peer_hello: None,
            idle_sent: None,
            peer_idle: None,
            resets_without_progress: 0,
            resets_total: 0,
            next_seq: 0,
            peer_seq: None,
            dropped_stale: 0,
            peer_need: Vec::new(),
            fruitless: 0,
            unacked: None,
            max_ops: crate::limits::MAX_DOCUMENT_OPS,
        }
    }

    /// A lower cap on the document's operations than
    /// [`crate::limits::MAX_DOCUMENT_OPS`] (tests).
    pub fn with_max_ops(mut self, max_ops: u64) -> SyncSession {
        self.max_ops = max_ops;
        self
    }

    /// The messages that open the connection: our `Hello`. Nothing about the document
    /// beyond its id and heads is sent until the peer's `Hello` has been checked.
    pub fn start(&mut self, doc: &mut impl Replica) -> Vec<Message> {
        vec![Message::Hello(Hello {
            protocol: PROTOCOL_VERSION,
            partnership_id: self.partnership_id.clone(),
            heads: doc.automerge().get_heads(),
        })]
    }

    /// The state to persist for this partner (Automerge's own encoding).
    pub fn encoded_state(&self) -> Vec<u8> {
        self.state.encode()
    }

    /// Whether the peer's `Hello` has been received and accepted.
    pub fn is_open(&self) -> bool {
        self.peer_hello.is_some()
    }

    /// The partner holds every change we have (acknowledged in the sync protocol).
    pub fn partner_has_our_changes(&self, doc: &mut impl Replica) -> bool {
        doc.automerge().has_our_changes(&self.state)
    }

    /// How many changes the partner has not acknowledged. Uses change metadata only:
    /// `get_changes` rebuilds every change from the op set, which took ~100 ms on a
    /// 1-year document when the shared heads were old, on the network task, stalling
    /// the connection (the reconnect figure in docs/PERFORMANCE.md).
    pub fn unacknowledged_changes(&mut self, doc: &mut impl Replica) -> usize {
        if self.partner_has_our_changes(doc) {
            return 0;
        }
        let doc = doc.automerge();
        let heads = doc.get_heads();
        if let Some((h, s, n)) = &self.unacked
            && *h == heads
            && *s == self.state.shared_heads
        {
            return *n;
        }
        // Shared heads this document does not hold count for nothing; with none
        // left, every change is unacknowledged, and the count needs no walk.
        let known: Vec<ChangeHash> = self
            .state
            .shared_heads
            .iter()
            .filter(|h| doc.get_change_meta_by_hash(h).is_some())
            .copied()
            .collect();
        let n = if known.is_empty() {
            usize::try_from(doc.stats().num_changes).unwrap_or(usize::MAX)
        } else {
            doc.get_changes_meta(&known).len()
        };
        self.unacked = Some((heads, self.state.shared_heads.clone(), n));
        n
    }

    /// Both sides announced the same heads: fully in sync right now.
    pub fn in_sync(&self, doc: &mut impl Replica) -> bool {
        let heads = doc.automerge().get_heads();
        self.peer_idle.as_ref() == Some(&heads) && self.idle_sent.as_ref() == Some(&heads)
    }

    pub fn resets(&self) -> u32 {
        self.resets_total
    }

    /// Duplicate or out-of-date messages ignored.
    pub fn dropped_stale(&self) -> u64 {
        self.dropped_stale
    }

    fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Accept `seq` only if it is newer than anything accepted before.
    fn fresh(&mut self, seq: u64) -> bool {
        if self.peer_seq.is_some_and(|p| seq <= p) {
            self.dropped_stale += 1;
            return false;
        }
        self.peer_seq = Some(seq);
        true
    }

    /// Called periodically (with the heartbeat). While not known to be in sync, say
    /// again where we stand, so an exchange stalled by a lost message (or a lost
    /// `Idle`) restarts without waiting for a new edit.
    pub fn tick(&mut self, doc: &mut impl Replica) -> Vec<Message> {
        if self.peer_hello.is_none() || self.in_sync(doc) {
            return Vec::new();
        }
        self.idle_sent = None;
        self.poll(doc)
    }

    /// After a local change: what to send the partner now.
    pub fn local_change(&mut self, doc: &mut impl Replica) -> Vec<Message> {
        self.poll(doc)
    }

    /// Generate the next sync message; if there is none, announce our heads once.
    fn poll(&mut self, doc: &mut impl Replica) -> Vec<Message> {
        if self.peer_hello.is_none() {
            return Vec::new();
        }
        let generated = doc
            .automerge()
            .sync()
            .generate_sync_message(&mut self.state);
        if let Some(m) = generated {
            let signatures = doc.signatures_carried(&crate::limits::carried(&m));
            return vec![Message::Sync {
                seq: self.seq(),
                data: m.encode(),
                signatures,
            }];
        }
        let heads = doc.automerge().get_heads();
        if self.idle_sent.as_ref() == Some(&heads) {
            return Vec::new();
        }
        self.idle_sent = Some(heads.clone());
        let ack = self.peer_idle.as_ref() == Some(&heads);
        vec![Message::Idle {
            seq: self.seq(),
            heads,
            ack,
        }]
    }

    /// Start the Automerge exchange over from a fresh state (keeps the connection).
    fn reset(&mut self) -> Result<(), SyncError> {
        self.resets_without_progress += 1;
        self.resets_total += 1;
        if self.resets_without_progress > MAX_RESETS_WITHOUT_PROGRESS {
            return Err(SyncError::NoProgress);
        }
        self.state = sync::State::new();
        self.idle_sent = None;
        self.fruitless = 0;
        self.peer_need.clear();
        Ok(())
    }

    /// The peer announced `heads` and has nothing more to send.
    fn on_idle(
        &mut self,
        doc: &mut impl Replica,
        heads: &[ChangeHash],
        ack: bool,
    ) -> Result<Vec<Message>, SyncError> {
        if heads == doc.automerge().get_heads() {
            // Same heads. If the peer does not know yet that we agree, tell it.
            if ack {
                return Ok(Vec::new());
            }
            self.idle_sent = None;
            return Ok(self.poll(doc));
        }
        let mut reply = self.poll(doc);
        if reply.iter().all(|m| !matches!(m, Message::Sync { .. })) {
            // Both have nothing to send, yet the heads differ: the exchange
            // stalled (a message was lost). Start over from a fresh state.
            self.reset()?;
            reply = self.poll(doc);
        }
        Ok(reply)
    }

    /// Apply one step of a message from the partner, all under one hold of the
    /// lock; `true` when the document gained changes. A step that breaks a rule is
    /// refused whole: the document goes back to the heads before it. (Steps before
    /// it stay: each passed every check on its own.)
    fn apply_step(
        &mut self,
        doc: &mut impl Replica,
        seq: u64,
        step: crate::limits::Step,
    ) -> Result<bool, SyncError> {
        let before = doc.automerge().get_heads();
        // What the step may add, noted now: afterwards only those changes are
        // checked, not the whole history (`accept_received`).
        let changes_before = doc.change_count();
        let missing = match &step.carried {
            Carried::Changes(hashes) => Some(doc.missing(hashes)),
            Carried::WholeDocument => None,
        };
        let facts = doc.protected_facts();
        let state = &mut self.state;
        let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            doc.automerge()
                .sync()
                .receive_sync_message(state, step.message)
        }));
        match applied {
            Ok(r) => r.map_err(|e| SyncError::Automerge {
                seq,
                source: Box::new(e),
            })?,
            // Automerge panicked part-way, on input the checks in limits.rs did not
            // foresee: its state may be half updated. Back to the heads before the
            // step, so nothing of it is kept or saved; the connection closes.
            Err(_) => {
                doc.roll_back_to(&before).map_err(SyncError::Doc)?;
                return Err(SyncError::Refused {
                    seq,
                    reason: "Automerge failed on a change in it (a panic, caught)".into(),
                });
            }
        }
        if doc.automerge().get_heads() == before {
            return Ok(false);
        }
        let ops = doc.automerge().stats().num_ops;
        if ops > self.max_ops {
            doc.roll_back_to(&before).map_err(SyncError::Doc)?;
            return Err(SyncError::Refused {
                seq,
                reason: format!(
                    "the document would hold {ops} operations (at most {})",
                    self.max_ops
                ),
            });
        }
        // Only changes signed by their authors' pinned keys stay.
        if let Err(reason) = doc.accept_received(&before, changes_before, missing.as_deref()) {
            doc.roll_back_to(&before).map_err(SyncError::Doc)?;
            return Err(SyncError::Forged { seq, reason });
        }
        // Who the partners are never changes by sync.
        if let Some(what) = doc.changed_protected(&facts) {
            doc.roll_back_to(&before).map_err(SyncError::Doc)?;
            return Err(SyncError::Protected { seq, what });
        }
        Ok(true)
    }

    /// Handle one message from the peer. `doc` is the document, or the lock that
    /// guards it ([`Access`]): a large message is applied in steps of about
    /// [`crate::limits::STEP_OPS`] operations, each under its own hold of the lock,
    /// so a local edit waits for one step, never for the whole message.
    pub fn receive(&mut self, mut doc: impl Access, msg: Message) -> Result<Received, SyncError> {
        let mut out = Received::default();
        match msg {
            Message::Hello(h) => {
                if h.protocol != PROTOCOL_VERSION {
                    return Err(SyncError::ProtocolVersion(h.protocol));
                }
                if h.partnership_id != self.partnership_id {
                    return Err(SyncError::WrongPartnership);
                }
                self.peer_hello = Some(h);
                out.reply = doc.with(|d| self.poll(d));
            }
            Message::Sync {
                seq,
                data,
                signatures,
            } => {
                if self.peer_hello.is_none() {
                    return Err(SyncError::Unexpected("sync before hello"));
                }
                if !self.fresh(seq) {
                    return Ok(out);
                }
                // Decoding and the limits need no lock: the document is not read.
                let m = sync::Message::decode(&data)
                    .map_err(|source| SyncError::SyncMessage { seq, source })?;
                // Before Automerge sees it: it trusts its sync input (limits.rs).
                crate::limits::check(&m).map_err(|reason| SyncError::Refused { seq, reason })?;
                let need = m.need.clone();
                let steps = match crate::limits::incoming(m)
                    .map_err(|reason| SyncError::Refused { seq, reason })?
                {
                    Incoming::Steps(steps) => steps,
                    Incoming::WholeDocument(m) => whole_document_steps(&mut doc, seq, m)?,
                };
                // Which signatures are worth checking, under the lock; the ed25519
                // checks (~45 µs each) without it.
                let batch = doc
                    .with(|d| d.signatures_to_check(signatures))
                    .map_err(|reason| SyncError::Forged { seq, reason })?;
                let valid = batch.verify();
                doc.with(|d| d.keep_checked(valid));
                let mut changed = false;
                for step in steps {
                    changed |= doc.with(|d| self.apply_step(d, seq, step))?;
                }
                if changed {
                    out.doc_changed = true;
                    self.resets_without_progress = 0;
                    self.fruitless = 0;
                } else {
                    self.fruitless += 1;
                }
                // Asked twice for the same changes: the message carrying them was
                // lost. Forget that we sent them, so they go out again.
                if !need.is_empty() && need == self.peer_need {
                    for h in &need {
                        self.state.sent_hashes.remove(h);
                    }
                }
                self.peer_need = need;
                if self.fruitless > MAX_IDLE_EXCHANGES {
                    self.reset()?;
                }
                out.reply = doc.with(|d| self.poll(d));
            }
            Message::Idle { seq, heads, ack } => {
                if self.peer_hello.is_none() {
                    return Err(SyncError::Unexpected("idle before hello"));
                }
                if !self.fresh(seq) {
                    return Ok(out);
                }
                self.peer_idle = Some(heads.clone());
                out.reply = doc.with(|d| self.on_idle(d, &heads, ack))?;
            }
            Message::Heartbeat { nonce } => out.reply = vec![Message::HeartbeatAck { nonce }],
            Message::HeartbeatAck { .. } => {}
            Message::Bye => out.closed = true,
            other => return Err(SyncError::Unexpected(other.kind())),
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let year = cocoach_testkit::generate::history(
            cocoach_testkit::generate::HistoryShape::years(1),
            1,
        )
        .unwrap();
        let ops = year.a.automerge().stats().num_ops;
        eprintln!("a year of weekly sessions: {ops} operations");
        assert!(ops * 20 < crate::limits::MAX_DOCUMENT_OPS, "{ops}");
    }

    /// A change Automerge 0.12 would panic on mid-apply (an `assert!` in
    /// `change_graph.rs`), as a hand-made encoder writes it: refused first, and the
    /// document is as before. (A change whose dependencies skip its actor's previous
    /// change panics too, at `change_graph.rs:569`; telling that from honest
    /// reordering needs the changes Automerge has queued, so it is not checked yet.)
    #[test]
    fn a_change_automerge_would_panic_on_is_refused_before_it_applies() {
        use automerge::{ActorId, Change, ReadDoc};
        use cocoach_testkit::hostile::{changes_message, with_author_footer};
        // The partner's actor X made c1, c2, c3 (each depends on the one before).
        let mut x = AutoCommit::new().with_actor(ActorId::random());
        let mut raw = Vec::new();
        for i in 0..3 {
            x.put(ROOT, "n", i).unwrap();
            let h = x.commit().unwrap();
            raw.push(x.get_change_by_hash(&h).unwrap().raw_bytes().to_vec());
        }
        let c1 = Change::from_bytes(raw[0].clone()).unwrap();
        let hostile = [
            // c2 naming an author: only a first change may.
            ("author", with_author_footer(&raw[1], b"someone")),
        ];
        for (what, bytes) in hostile {
            assert!(Change::from_bytes(bytes.clone()).is_ok(), "{what}: parses");
            let mut a = AutoCommit::new();
            a.apply_changes([c1.clone()]).unwrap();
            let heads = a.get_heads();
            let mut sa = opened(&mut a);
            let err = sa
                .receive(
                    &mut a,
                    Message::Sync {
                        seq: 1,
                        data: changes_message(vec![bytes]).encode(),
                        signatures: vec![],
                    },
                )
                .unwrap_err();
            assert!(
                matches!(&err, SyncError::Refused { seq: 1, .. }),
                "{what}: {err:?}"
            );
            assert_eq!(a.get_heads(), heads, "{what}");
        }
    }

    /// A change whose dependencies skip its actor's previous change: Automerge 0.12
    /// panics mid-apply (`change_graph.rs`), and the check for it in `limits.rs` was
    /// taken out (it refused honest reordered traffic). The panic is caught in the
    /// step: refused, the document back where it was and still usable.
    #[test]
    fn a_panic_inside_automerge_is_caught_and_the_step_rolled_back() {
        use automerge::{ActorId, Change, ReadDoc};
        use cocoach_testkit::hostile::{changes_message, with_deps};
        let mut x = AutoCommit::new().with_actor(ActorId::random());
        let mut raw = Vec::new();
        let mut hashes = Vec::new();
        for i in 0..3 {
            x.put(ROOT, "n", i).unwrap();
            let h = x.commit().unwrap();
            hashes.push(h);
            raw.push(x.get_change_by_hash(&h).unwrap().raw_bytes().to_vec());
        }
        // c3 says it follows c1 directly, skipping c2.
        let skipping = with_deps(&raw[2], &[hashes[0]]);
        let mut a = AutoCommit::new();
        a.apply_changes([Change::from_bytes(raw[0].clone()).unwrap()])
            .unwrap();
        let heads = a.get_heads();
        let mut sa = opened(&mut a);
        let err = sa
            .receive(
                &mut a,
                Message::Sync {
                    seq: 1,
                    data: changes_message(vec![skipping]).encode(),
                    signatures: vec![],
                },
            )
            .unwrap_err();
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
            let hostile = cocoach_testkit::hostile::with_have(cocoach_testkit::hostile::bloom(
                1, bits, probes,
            ));
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
}
