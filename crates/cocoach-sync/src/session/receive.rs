//! A message from the partner: checked before Automerge sees it, then applied in
//! steps of about [`crate::limits::STEP_OPS`] operations, each under its own hold
//! of the document lock and checked there (operation cap, signatures, protected
//! fields, a panic inside Automerge), rolled back to the heads before that step on
//! a refusal.

use automerge::sync::{self, SyncDoc};
use automerge::{ChangeHash, ReadDoc};

use super::{Access, MAX_IDLE_EXCHANGES, Received, Replica, SyncSession};
use crate::SyncError;
use crate::limits::{Carried, Incoming};
use crate::message::{Message, PROTOCOL_VERSION};

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
    // Automerge's own load is as trusting as its apply: a panic in it is refused
    // like one in a step (no lock is held, the document is untouched).
    let loaded = std::panic::catch_unwind(|| automerge::Automerge::load(&bytes)).map_err(|_| {
        SyncError::Refused {
            seq,
            reason: "Automerge failed on the document in it (a panic, caught)".into(),
        }
    })?;
    let theirs = loaded.map_err(|e| SyncError::Automerge {
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

impl SyncSession {
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
        if reply.iter().all(|m| !matches!(m, Message::Sync { .. })) && !self.sync_in_flight() {
            // Both have nothing to send, yet the heads differ, and the peer has
            // read all we sent: the exchange stalled (a message was lost). Start
            // over from a fresh state.
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
                if !self.fresh(seq)? {
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
                // Asked twice for the same changes, having read all we sent: the
                // message carrying them was lost. Forget that we sent them, so
                // they go out again.
                if !need.is_empty() && need == self.peer_need && !self.sync_in_flight() {
                    for h in &need {
                        self.state.sent_hashes.remove(h);
                    }
                }
                self.peer_need = need;
                if self.fruitless > MAX_IDLE_EXCHANGES && !self.sync_in_flight() {
                    self.reset()?;
                }
                out.reply = doc.with(|d| self.poll(d));
            }
            Message::Idle { seq, heads, ack } => {
                if self.peer_hello.is_none() {
                    return Err(SyncError::Unexpected("idle before hello"));
                }
                if !self.fresh(seq)? {
                    return Ok(out);
                }
                self.peer_idle = Some(heads.clone());
                out.reply = doc.with(|d| self.on_idle(d, &heads, ack))?;
            }
            Message::Heartbeat { nonce } => out.reply = vec![Message::HeartbeatAck { nonce }],
            Message::HeartbeatAck { nonce } => self.heartbeat_answered(nonce),
            Message::Bye => out.closed = true,
            other => return Err(SyncError::Unexpected(other.kind())),
        }
        Ok(out)
    }
}
