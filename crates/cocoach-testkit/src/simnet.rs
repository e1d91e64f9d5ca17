//! A seeded simulated network between two peers running `cocoach-sync` sessions:
//! frames are dropped, duplicated, reordered and connections cut mid-sync, while both
//! partners keep editing. Everything is decided by the seed, so a failure replays.
//! `RUST_LOG=cocoach::simnet=trace` (with [`crate::init_test_logging`] in the test)
//! traces every message's kind and counts, never content.

use cocoach_doc::{HalfText, PartnershipDoc, Slot};
use cocoach_sync::{FrameDecoder, Message, SyncSession, encode_frame};

use crate::rng::Rng;

/// The trace target of the simulated network.
pub const TRACE: &str = "cocoach::simnet";

/// Fault rates in percent, per frame (cut: per delivered frame).
#[derive(Debug, Clone, Copy)]
pub struct Faults {
    pub drop: u32,
    pub duplicate: u32,
    pub reorder: u32,
    pub cut: u32,
    /// A frame arrives in two pieces (the rest next).
    pub split: u32,
    /// One bit of a frame is flipped on the way.
    pub flip: u32,
}

impl Faults {
    pub const NONE: Faults = Faults {
        drop: 0,
        duplicate: 0,
        reorder: 0,
        cut: 0,
        split: 0,
        flip: 0,
    };
}

/// One side: its document, the sync state it has persisted, and its live session.
#[derive(Debug)]
pub struct SimPeer {
    pub doc: PartnershipDoc,
    pub persisted: Option<Vec<u8>>,
    /// An older persisted state, restored after some cuts (a crash before saving).
    stale: Option<Vec<u8>>,
    /// A backup of this peer: its heads and persisted sync state then.
    backup: Option<(Vec<cocoach_doc::automerge::ChangeHash>, Option<Vec<u8>>)>,
    /// Tokens and actions lost with a restore from the backup (made after it, and
    /// never received by the partner): nobody can have them any more.
    pub lost: Vec<String>,
    pub lost_actions: Vec<cocoach_doc::ActionId>,
    /// Messages this peer decoded (its heartbeat timeout watches this).
    decoded: usize,
    session: Option<SyncSession>,
    decoder: FrameDecoder,
    /// Tokens this peer typed into the shared notes (to check nothing was lost).
    pub typed: Vec<String>,
    pub actions: Vec<cocoach_doc::ActionId>,
    counter: u32,
    tag: char,
}

impl SimPeer {
    pub fn new(doc: PartnershipDoc, tag: char) -> SimPeer {
        SimPeer {
            doc,
            persisted: None,
            stale: None,
            backup: None,
            lost: Vec::new(),
            lost_actions: Vec::new(),
            decoded: 0,
            session: None,
            decoder: FrameDecoder::default(),
            typed: Vec::new(),
            actions: Vec::new(),
            counter: 0,
            tag,
        }
    }
}

/// Statistics of one simulation.
#[derive(Debug, Default, Clone)]
pub struct SimStats {
    pub delivered: usize,
    pub dropped: usize,
    pub duplicated: usize,
    pub reordered: usize,
    pub cuts: usize,
    pub errors: usize,
    pub resets: u32,
    pub edits: usize,
    /// Peers restored from an older backup, and what they lost with it.
    pub restores: usize,
    pub lost: usize,
    /// Messages decoded on arrival (a flipped length prefix can swallow frames
    /// without any decoding: the heartbeat's timeout notices that).
    pub decoded: usize,
}

#[derive(Debug)]
pub struct SimNet {
    pub a: SimPeer,
    pub b: SimPeer,
    /// Frames in flight: to B (from A) and to A (from B).
    to_b: Vec<Vec<u8>>,
    to_a: Vec<Vec<u8>>,
    connected: bool,
    session_id: String,
    pub stats: SimStats,
}

impl SimNet {
    pub fn new(a: PartnershipDoc, b: PartnershipDoc) -> SimNet {
        let session_id = a.partnership_id().to_string();
        SimNet {
            a: SimPeer::new(a, 'A'),
            b: SimPeer::new(b, 'B'),
            to_b: Vec::new(),
            to_a: Vec::new(),
            connected: false,
            session_id,
            stats: SimStats::default(),
        }
    }

    fn peer(&mut self, to_b: bool) -> &mut SimPeer {
        if to_b { &mut self.b } else { &mut self.a }
    }

    fn send(&mut self, to_b: bool, msgs: Vec<Message>) {
        for m in msgs {
            let frame = encode_frame(&m.encode()).unwrap_or_default();
            if to_b {
                self.to_b.push(frame);
            } else {
                self.to_a.push(frame);
            }
        }
    }

    /// Open a connection: fresh sessions from the persisted states, hellos queued.
    pub fn connect(&mut self) {
        self.to_a.clear();
        self.to_b.clear();
        let id = self.session_id.clone();
        for to_b in [false, true] {
            // `to_b == false` is peer A starting (its messages go to B).
            let p = self.peer(to_b);
            p.decoder = FrameDecoder::default();
            let mut s = SyncSession::new(&id, p.persisted.as_deref());
            let hello = s.start(&mut p.doc);
            p.session = Some(s);
            self.send(!to_b, hello);
        }
        self.connected = true;
    }

    /// Cut the connection: frames in flight are lost; sometimes a peer "crashed"
    /// before persisting and comes back with an older sync state.
    pub fn cut(&mut self, rng: &mut Rng) {
        self.to_a.clear();
        self.to_b.clear();
        for to_b in [false, true] {
            let p = self.peer(to_b);
            if let Some(s) = p.session.take() {
                self.stats.resets += s.resets();
            }
            let p = self.peer(to_b);
            if rng.chance(20) {
                p.persisted = p.stale.clone();
            }
        }
        self.connected = false;
        self.stats.cuts += 1;
    }

    /// Back a peer up: its document's heads and its persisted sync state now.
    pub fn back_up(&mut self, on_b: bool) {
        let p = self.peer(on_b);
        let heads = p.doc.heads();
        p.backup = Some((heads, p.persisted.clone()));
    }

    /// A peer is restored from its backup (its disk lost, a new process): the
    /// connection dies, the document goes back to the backup's heads, its sync state
    /// to the backup's, and it gets a new actor, as every load does. What it made
    /// after the backup and the partner never received is lost (recorded in `lost`).
    pub fn restore(&mut self, on_b: bool, rng: &mut Rng) {
        if self.peer(on_b).backup.is_none() {
            return;
        }
        self.cut(rng);
        let other_notes = notes(&self.peer(!on_b).doc);
        let other_actions = action_ids(&self.peer(!on_b).doc);
        let p = self.peer(on_b);
        let Some((heads, persisted)) = p.backup.clone() else {
            return;
        };
        if p.doc.roll_back_to(&heads).is_err() {
            return;
        }
        self.stats.restores += 1;
        let p = self.peer(on_b);
        p.doc
            .automerge_mut()
            .set_actor(cocoach_doc::automerge::ActorId::random());
        p.persisted = persisted;
        p.stale = None;
        // Lost: what now neither side holds — this one's edits since the backup
        // that never left, and the partner's that only this one still had (the
        // partner was restored itself before).
        let mine = notes(&p.doc);
        let my_actions = action_ids(&p.doc);
        for q in [&mut self.a, &mut self.b] {
            let (typed, lost): (Vec<String>, Vec<String>) = q
                .typed
                .drain(..)
                .partition(|t| mine.contains(t) || other_notes.contains(t));
            q.typed = typed;
            q.lost.extend(lost);
            let (kept, lost): (Vec<_>, Vec<_>) = q
                .actions
                .drain(..)
                .partition(|id| my_actions.contains(id) || other_actions.contains(id));
            q.actions = kept;
            q.lost_actions.extend(lost);
        }
        self.stats.lost = self.a.lost.len()
            + self.a.lost_actions.len()
            + self.b.lost.len()
            + self.b.lost_actions.len();
    }

    /// One partner edits offline or online: a token in a shared note, or an action.
    pub fn edit(&mut self, rng: &mut Rng, on_b: bool) {
        let p = self.peer(on_b);
        p.counter += 1;
        let token = format!("{}{}", p.tag, p.counter);
        let sessions = p
            .doc
            .read()
            .map(|r| r.sessions.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
            .unwrap_or_default();
        if rng.chance(70) && !sessions.is_empty() {
            let s = rng.pick(&sessions).clone();
            if p.doc
                .append_half_text(&s, Slot::A, HalfText::Notes, &format!("{token}\n"))
                .is_ok()
            {
                p.typed.push(token);
            }
        } else if let Ok(id) = p.doc.add_action(Slot::B, &token, None, None) {
            p.actions.push(id);
        }
        p.doc.commit();
        self.stats.edits += 1;
        if self.connected {
            let p = self.peer(on_b);
            let msgs = match p.session.as_mut() {
                Some(s) => s.local_change(&mut p.doc),
                None => Vec::new(),
            };
            self.send(!on_b, msgs);
        }
    }

    /// Deliver (or lose, duplicate, reorder) one frame. False when nothing is in flight.
    pub fn step(&mut self, rng: &mut Rng, faults: Faults) -> bool {
        if !self.connected {
            return false;
        }
        let dirs: Vec<bool> = [
            (!self.to_b.is_empty(), true),
            (!self.to_a.is_empty(), false),
        ]
        .into_iter()
        .filter(|(has, _)| *has)
        .map(|(_, d)| d)
        .collect();
        if dirs.is_empty() {
            return false;
        }
        let to_b = *rng.pick(&dirs);
        let queue = if to_b { &mut self.to_b } else { &mut self.to_a };
        let idx = if queue.len() > 1 && rng.chance(faults.reorder) {
            self.stats.reordered += 1;
            rng.below(queue.len())
        } else {
            0
        };
        let mut frame = queue.remove(idx);
        if faults.split > 0 && frame.len() > 1 && rng.chance(faults.split) {
            // The first piece now, the rest next on this direction.
            let rest = frame.split_off(1 + rng.below(frame.len() - 1));
            let queue = if to_b { &mut self.to_b } else { &mut self.to_a };
            queue.insert(0, rest);
        }
        if faults.flip > 0 && !frame.is_empty() && rng.chance(faults.flip) {
            let i = rng.below(frame.len());
            frame[i] ^= 1 << rng.below(8);
        }
        if rng.chance(faults.drop) {
            self.stats.dropped += 1;
            return true;
        }
        if rng.chance(faults.duplicate) {
            self.stats.duplicated += 1;
            let queue = if to_b { &mut self.to_b } else { &mut self.to_a };
            queue.insert(0, frame.clone());
        }
        self.stats.delivered += 1;
        let p = self.peer(to_b);
        p.decoder.push(&frame);
        let mut replies = Vec::new();
        let mut failed = false;
        let mut decoded = 0;
        while let Ok(Some(payload)) = p.decoder.next_frame() {
            let Ok(msg) = Message::decode(&payload) else {
                failed = true;
                break;
            };
            decoded += 1;
            let Some(session) = p.session.as_mut() else {
                break;
            };
            if tracing::enabled!(target: TRACE, tracing::Level::TRACE) {
                let detail = match &msg {
                    Message::Sync { seq, data, .. } => {
                        match cocoach_doc::automerge::sync::Message::decode(data) {
                            Ok(m) => format!(
                                "seq {seq} heads {} need {} have {} changes {} | recv heads {}",
                                m.heads.len(),
                                m.need.len(),
                                m.have.len(),
                                m.changes.len(),
                                p.doc.automerge_mut().get_heads().len()
                            ),
                            Err(e) => format!("undecodable {e}"),
                        }
                    }
                    Message::Idle { seq, heads, ack } => {
                        format!("seq {seq} heads {} ack {ack}", heads.len())
                    }
                    _ => String::new(),
                };
                tracing::trace!(
                    target: TRACE,
                    "-> {} {} {detail}",
                    if to_b { "B" } else { "A" },
                    msg.kind()
                );
            }
            match session.receive(&mut p.doc, msg) {
                Ok(r) => {
                    replies.extend(r.reply);
                    // Persist after every exchange, keeping the previous one as "stale".
                    p.stale = p.persisted.take();
                    p.persisted = Some(session.encoded_state());
                }
                Err(e) => {
                    tracing::trace!(target: TRACE, "   error: {e}");
                    failed = true;
                    break;
                }
            }
        }
        self.stats.decoded += decoded;
        self.peer(to_b).decoded += decoded;
        if failed {
            self.stats.errors += 1;
            self.cut(rng);
            return true;
        }
        self.send(!to_b, replies);
        if rng.chance(faults.cut) {
            self.cut(rng);
        }
        true
    }

    /// Both sessions agree they are in sync.
    pub fn in_sync(&mut self) -> bool {
        let a = match self.a.session.as_ref() {
            Some(s) => s.in_sync(&mut self.a.doc),
            None => false,
        };
        let b = match self.b.session.as_ref() {
            Some(s) => s.in_sync(&mut self.b.doc),
            None => false,
        };
        a && b
    }

    /// A heartbeat interval passes: both sessions tick.
    pub fn tick(&mut self) {
        for on_b in [false, true] {
            let p = self.peer(on_b);
            let msgs = match p.session.as_mut() {
                Some(s) => s.tick(&mut p.doc),
                None => Vec::new(),
            };
            self.send(!on_b, msgs);
        }
    }

    /// With no faults from now on, on the current connection (opening one if there is
    /// none): deliver, and tick when the line goes quiet, until both are in sync. A
    /// tick that brings nothing to send means the line is dead (a lost `Hello`, say):
    /// redial, as the node does when heartbeats go unanswered. Returns the frames
    /// delivered, or None if that took more than `max_frames` (or 100 heartbeats).
    pub fn settle(&mut self, rng: &mut Rng, max_frames: usize) -> Option<usize> {
        if !self.connected {
            self.connect();
        }
        let start = self.stats.delivered;
        tracing::trace!(
            target: TRACE,
            "== settle: {} frames to A, {} to B",
            self.to_a.len(),
            self.to_b.len()
        );
        let mut silent_ticks = 0;
        for _ in 0..100 {
            let decoded = (self.a.decoded, self.b.decoded);
            while self.step(rng, Faults::NONE) {
                if self.stats.delivered - start > max_frames {
                    return None;
                }
            }
            if !self.connected {
                // A protocol error cut the line: redial.
                self.connect();
                continue;
            }
            if self.in_sync() {
                return Some(self.stats.delivered - start);
            }
            // One side decoded nothing since the last heartbeat (a frame cut short
            // or a damaged length prefix swallows every frame after it): after
            // three, its heartbeat timeout ends the connection (`DEAD_AFTER`), and
            // the node redials.
            silent_ticks = if self.a.decoded == decoded.0 || self.b.decoded == decoded.1 {
                silent_ticks + 1
            } else {
                0
            };
            if silent_ticks >= 3 {
                silent_ticks = 0;
                self.cut(rng);
                self.connect();
                continue;
            }
            tracing::trace!(target: TRACE, "== tick");
            self.tick();
            if self.to_a.is_empty() && self.to_b.is_empty() {
                self.cut(rng);
                self.connect();
            }
        }
        None
    }
}

/// Every line of every session's notes (the tokens typed).
fn notes(doc: &PartnershipDoc) -> Vec<String> {
    doc.read()
        .map(|r| {
            r.sessions
                .iter()
                .flat_map(|s| {
                    s.half(Slot::A)
                        .notes
                        .split('\n')
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn action_ids(doc: &PartnershipDoc) -> Vec<cocoach_doc::ActionId> {
    doc.read()
        .map(|r| r.actions.iter().map(|a| a.id.clone()).collect())
        .unwrap_or_default()
}
