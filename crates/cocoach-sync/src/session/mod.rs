//! One sync connection with the partner, sans IO: feed it the messages that arrive,
//! send the messages it returns. It runs the Automerge sync protocol over the
//! partnership document, starting from the sync state persisted for this partner.
//!
//! The Automerge protocol assumes a reliable, in-order stream. A lost or corrupted
//! message otherwise leaves both sides waiting with different heads. So when a side
//! has nothing more to send it says `Idle { heads }`; a peer that receives different
//! heads while itself having nothing to send resets its sync state and starts over.
//!
//! Split by concern: this file holds the session's state, what it sends and the
//! facts it reports; `replica.rs` what it needs of the document (and how it reaches
//! it through the lock); `receive.rs` how a message from the partner is checked
//! and applied, step by step; `tests.rs` the exchange tests over bare Automerge.

mod receive;
mod replica;
#[cfg(test)]
mod tests;

pub use replica::{Access, Replica};

use automerge::sync::{self, SyncDoc};
use automerge::{ChangeHash, ReadDoc};

use crate::SyncError;
use crate::message::{Hello, Message, PROTOCOL_VERSION};

/// Resets in a row without the document changing before we give up on this
/// connection (the caller reconnects from a fresh state).
const MAX_RESETS_WITHOUT_PROGRESS: u32 = 8;

/// Sync messages received in a row that change nothing on our side before we
/// suspect a stalled exchange and restart it. A healthy exchange needs at most a few.
const MAX_IDLE_EXCHANGES: u32 = 10;
/// Stale messages in a row before the connection ends (see `SyncSession::fresh`).
const MAX_STALE_IN_ROW: u32 = 8;

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
    /// Stale messages in a row (see [`SyncSession::fresh`]).
    stale_in_row: u32,
    /// What the peer asked for in its last message.
    peer_need: Vec<ChangeHash>,
    /// Sync messages received in a row that changed nothing here.
    fruitless: u32,
    /// `unacknowledged_changes` for (our heads, shared heads), so status checks after
    /// every message cost nothing while neither moves.
    unacked: Option<(Vec<ChangeHash>, Vec<ChangeHash>, usize)>,
    /// [`crate::limits::MAX_DOCUMENT_OPS`], lower in tests.
    max_ops: u64,
    /// Heartbeats sent and not yet answered: (nonce, our last sequence number
    /// before it on the stream).
    heartbeats: std::collections::VecDeque<(u64, u64)>,
    /// Whether the connection sends heartbeats (see [`SyncSession::heartbeat_sent`]).
    heartbeating: bool,
    /// The peer has read every message of ours up to this sequence number: it
    /// answered a heartbeat sent after them (one stream, in order).
    peer_read: u64,
    /// Sequence number of our last `Sync` that carried changes.
    last_changes_seq: u64,
}

impl SyncSession {
    /// A session for `partnership_id`, resuming from a persisted sync state. A state
    /// that cannot be decoded is replaced by a fresh one (costs one larger exchange),
    /// as is one whose heads are out of order: Automerge writes them sorted and
    /// asserts it when it writes them again (found by the session fuzzer with a
    /// damaged state, seed 9452955241165833681).
    pub fn new(partnership_id: &str, persisted: Option<&[u8]>) -> SyncSession {
        let state = persisted
            .and_then(|b| sync::State::decode(b).ok())
            .filter(|s| s.shared_heads.is_sorted())
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
            stale_in_row: 0,
            peer_need: Vec::new(),
            fruitless: 0,
            unacked: None,
            max_ops: crate::limits::MAX_DOCUMENT_OPS,
            heartbeats: std::collections::VecDeque::new(),
            heartbeating: false,
            peer_read: 0,
            last_changes_seq: 0,
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

    /// How many of our changes the partner has not acknowledged, from a persisted
    /// sync state alone (no connection up: the status bar after offline edits).
    /// Change metadata only, as [`SyncSession::unacknowledged_changes`].
    pub fn unacknowledged_since(doc: &mut impl Replica, persisted: Option<&[u8]>) -> usize {
        SyncSession::new("", persisted).unacknowledged_changes(doc)
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

    /// Accept `seq` only if it is newer than anything accepted before. A run of
    /// [`MAX_STALE_IN_ROW`] stale ones ends the connection: one stream never
    /// delivers them, so the partner's numbering broke (a buggy build, or a
    /// damaged number far ahead that would make us drop everything after it);
    /// the next connection starts both counts afresh.
    fn fresh(&mut self, seq: u64) -> Result<bool, SyncError> {
        if self.peer_seq.is_some_and(|p| seq <= p) {
            self.dropped_stale += 1;
            self.stale_in_row += 1;
            if self.stale_in_row > MAX_STALE_IN_ROW {
                return Err(SyncError::OutOfOrder);
            }
            return Ok(false);
        }
        self.stale_in_row = 0;
        self.peer_seq = Some(seq);
        Ok(true)
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

    /// The connection sent `Heartbeat { nonce }` after everything this session gave
    /// it so far. Its answer then says the peer has read all of that, which tells
    /// a lost message from one still on its way: a partner that asks again for
    /// changes, or says it has nothing while our heads differ, before it read our
    /// `Sync` carrying them (a first sync of a long history takes seconds to
    /// arrive and to apply) is not asking because the message was lost. Treating
    /// it so sent the whole history twice (found by tests/tests/cuts.rs: 707 KB
    /// queued for a 355 KB first sync). Without heartbeats (the simulated
    /// network), every such request counts as a loss, as before.
    pub fn heartbeat_sent(&mut self, nonce: u64) {
        self.heartbeating = true;
        self.heartbeats.push_back((nonce, self.next_seq));
        // Unanswered heartbeats of a dead connection: keep a bounded few.
        while self.heartbeats.len() > 64 {
            self.heartbeats.pop_front();
        }
    }

    /// The peer answered `Heartbeat { nonce }`.
    pub(crate) fn heartbeat_answered(&mut self, nonce: u64) {
        while let Some(&(n, seq)) = self.heartbeats.front() {
            if n > nonce {
                break;
            }
            self.heartbeats.pop_front();
            if n == nonce {
                self.peer_read = self.peer_read.max(seq);
            }
        }
    }

    /// The peer may not have read our last `Sync` carrying changes yet.
    pub(crate) fn sync_in_flight(&self) -> bool {
        self.heartbeating && self.peer_read < self.last_changes_seq
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
            let carried = crate::limits::carried(&m);
            let signatures = doc.signatures_carried(&carried);
            let seq = self.seq();
            if !matches!(&carried, crate::limits::Carried::Changes(c) if c.is_empty()) {
                self.last_changes_seq = seq;
            }
            return vec![Message::Sync {
                seq,
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
}
