//! A large message from the partner is applied in steps, each under its own hold of
//! the document's lock, so a local edit never waits behind the whole message — and
//! an edit made between two steps is never lost, not even when a later step of the
//! same message is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::sync::Mutex;

use cocoach_doc::automerge::transaction::Transactable;
use cocoach_doc::automerge::{ActorId, Author, ROOT, ReadDoc};
use cocoach_doc::{Date, HalfText, PartnershipDoc, SessionId, Slot};
use cocoach_sync::limits::STEP_OPS;
use cocoach_sync::{Access, Message, SyncError, SyncSession};
use cocoach_testkit::generate::{Pair, pair};

/// B's side of the lock as the window would share it: counts the session's holds,
/// and after the first hold of a message carrying changes makes a local edit, as
/// the user typing while the message arrives.
struct Typist<'a> {
    doc: &'a Mutex<PartnershipDoc>,
    holds: usize,
    /// The edit is still to be made, after the first step of the next message that
    /// carries changes: the first hold after which the heads differ from these.
    edit_pending: bool,
    edit_after: Option<Vec<cocoach_doc::automerge::ChangeHash>>,
    session: SessionId,
}

impl<'a> Typist<'a> {
    fn new(doc: &'a Mutex<PartnershipDoc>, session: &SessionId) -> Typist<'a> {
        Typist {
            doc,
            holds: 0,
            edit_pending: true,
            edit_after: None,
            session: session.clone(),
        }
    }
}

const TYPED: &str = "typed while the partner's changes arrived";

impl Access for &mut Typist<'_> {
    type Doc = PartnershipDoc;
    fn with<T>(&mut self, f: impl FnOnce(&mut PartnershipDoc) -> T) -> T {
        let out = f(&mut self.doc.lock().unwrap());
        self.holds += 1;
        let moved = self
            .edit_after
            .as_ref()
            .is_some_and(|h| *h != self.doc.lock().unwrap().heads());
        if moved {
            self.edit_after = None;
            self.edit_pending = false;
            let mut d = self.doc.lock().unwrap();
            d.append_half_text(&self.session, Slot::B, HalfText::Notes, TYPED)
                .unwrap();
            d.commit();
        }
        out
    }
}

/// A pair where A wrote `appends` notes of 100 characters offline (about 100
/// operations each), and the session they both know.
fn a_wrote_offline(appends: usize) -> (Pair, SessionId) {
    let mut p = pair(43).unwrap();
    let s = p.a.new_session(Date::new(2026, 12, 1).unwrap()).unwrap();
    p.a.commit();
    // B learns of the session first (a small message), so the large one is A's notes.
    let bytes = p.a.automerge_mut().save();
    let pins = [p.id_a.public(), p.id_b.public()];
    p.b = PartnershipDoc::from_signed(&bytes, p.a.all_signatures(), &pins, &p.id_b).unwrap();
    for i in 0..appends {
        let text = format!("{i:>4} {}", "x".repeat(95));
        p.a.append_half_text(&s, Slot::A, HalfText::Notes, &text)
            .unwrap();
        p.a.commit();
    }
    (p, s)
}

/// Deliver messages both ways until quiet; B's side goes through `typist`. Returns
/// the first error and, for each message to B that carried changes, the holds of
/// the lock it took.
fn exchange(
    a: &mut PartnershipDoc,
    sa: &mut SyncSession,
    typist: &mut Typist<'_>,
    sb: &mut SyncSession,
) -> (Result<(), SyncError>, Vec<usize>) {
    let mut holds_per_message = Vec::new();
    let mut queue: Vec<(bool, Message)> = sa.start(a).into_iter().map(|m| (true, m)).collect();
    let hello_b = sb.start(&mut *typist.doc.lock().unwrap());
    queue.extend(hello_b.into_iter().map(|m| (false, m)));
    for _ in 0..200 {
        if queue.is_empty() {
            return (Ok(()), holds_per_message);
        }
        let (to_b, m) = queue.remove(0);
        let r = if to_b {
            let carries = matches!(&m, Message::Sync { signatures, .. } if !signatures.is_empty());
            let before = typist.holds;
            if carries && typist.edit_pending {
                typist.edit_after = Some(typist.doc.lock().unwrap().heads());
            }
            let r = sb.receive(&mut *typist, m);
            if carries {
                holds_per_message.push(typist.holds - before);
            }
            r
        } else {
            sa.receive(&mut *a, m)
        };
        match r {
            Ok(r) => queue.extend(r.reply.into_iter().map(|m| (!to_b, m))),
            Err(e) => return (Err(e), holds_per_message),
        }
    }
    panic!("no quiescence");
}

fn notes(d: &PartnershipDoc, s: &SessionId, slot: Slot) -> String {
    d.read()
        .unwrap()
        .session(s)
        .unwrap()
        .half(slot)
        .notes
        .clone()
}

#[test]
fn a_large_message_is_applied_in_steps_and_an_edit_between_them_is_kept() {
    let appends = 100; // ~10,000 operations: five steps and more
    let (mut p, s) = a_wrote_offline(appends);
    let pid = p.a.partnership_id().to_string();
    let (mut sa, mut sb) = (SyncSession::new(&pid, None), SyncSession::new(&pid, None));
    let b = Mutex::new(std::mem::replace(&mut p.b, pair(1).unwrap().b));
    let mut typist = Typist::new(&b, &s);
    let (result, holds) = exchange(&mut p.a, &mut sa, &mut typist, &mut sb);
    result.unwrap();
    assert!(!typist.edit_pending, "the local edit was never made");
    let biggest = holds.iter().copied().max().unwrap_or(0);
    // Besides the steps: which signatures to check, keeping those that verified,
    // which of a whole document's changes are new, and the reply.
    let steps = biggest.saturating_sub(4);
    // 10,000 operations at `STEP_OPS` (2,000) each are five steps; the test asks
    // for three at least, not for the constant.
    assert_eq!(STEP_OPS, 2_000, "the step size this test was written for");
    assert!(
        steps >= 3,
        "A's {appends} notes arrived in {steps} step(s) of the lock (holds per message: {holds:?})"
    );
    let mut b = b.into_inner().unwrap();
    // B has all of A's notes and its own edit; A has B's edit too after the exchange.
    let at_b = notes(&b, &s, Slot::A);
    assert_eq!(at_b.matches('x').count(), appends * 95, "A's notes at B");
    assert!(notes(&b, &s, Slot::B).contains(TYPED), "B's edit was lost");
    let mut sb2 = SyncSession::new(&pid, None);
    let mut sa2 = SyncSession::new(&pid, None);
    cocoach_tests::exchange_sessions(&mut p.a, &mut sa2, &mut b, &mut sb2).unwrap();
    assert_eq!(p.a.heads(), b.heads());
    assert!(
        notes(&p.a, &s, Slot::B).contains(TYPED),
        "B's edit did not reach A"
    );
}

#[test]
fn a_refused_last_step_keeps_the_edit_made_between_steps_and_drops_the_forgery() {
    // Not a multiple of a step's 20 notes: the forgery shares its step with some.
    let appends = 105;
    let (mut p, s) = a_wrote_offline(appends);
    // Last, A's device makes a change that names B as its author.
    {
        let am = p.a.automerge_mut();
        let mut forged = am
            .fork()
            .with_actor(ActorId::random())
            .with_author(Some(Author::from(p.id_b.public().0.to_vec())));
        forged.put(ROOT, "forged", "B agreed to pay").unwrap();
        forged.commit().unwrap();
        am.merge(&mut forged).unwrap();
    }
    let pid = p.a.partnership_id().to_string();
    let (mut sa, mut sb) = (SyncSession::new(&pid, None), SyncSession::new(&pid, None));
    let b = Mutex::new(std::mem::replace(&mut p.b, pair(1).unwrap().b));
    let mut typist = Typist::new(&b, &s);
    let (result, _) = exchange(&mut p.a, &mut sa, &mut typist, &mut sb);
    assert!(
        matches!(result, Err(SyncError::Forged { .. })),
        "the forged change was not refused: {result:?}"
    );
    assert!(!typist.edit_pending, "the local edit was never made");
    let mut b = b.into_inner().unwrap();
    assert!(
        b.automerge_mut().get(ROOT, "forged").unwrap().is_none(),
        "the forgery stayed"
    );
    assert!(
        notes(&b, &s, Slot::B).contains(TYPED),
        "the refusal took B's own edit with it"
    );
    // The refused step was not the first: the steps before it passed every check
    // and stay (A's notes, signed by A).
    let kept = notes(&b, &s, Slot::A).matches('x').count();
    assert!(
        kept > 0 && kept < appends * 95,
        "expected the steps before the refused one to stay, B holds {kept} of A's characters"
    );
}
