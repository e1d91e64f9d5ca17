//! Merge property test: two replicas of one partnership make random concurrent edits
//! of every kind (the same Text too), then exchange changes with the Automerge sync
//! protocol in memory. After every exchange they must hold identical content, and
//! every edit either side made must be present, or visibly in conflict with a
//! concurrent edit of the same single-valued field.
//!
//! Each run takes the fixed seeds below plus one fresh seed (all printed), and runs
//! `CASES=n` cases from each (default 64: 256 in all). `SEED=s` replays one seed;
//! a failing case prints its own seed, replayed alone with `SEED=… CASES=1`.
//! Seeds that once failed run as their own test, `merge_fixtures`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};

use cocoach_doc::automerge::sync;
use cocoach_doc::{
    ActionId, ContractField, Date, DeviceIdentity, HalfText, Partnership, PartnershipDoc,
    SessionId, SignatureState, Slot, export,
};
use cocoach_testkit::generate::pair;
use cocoach_testkit::sync::sync_pair;
use cocoach_testkit::{Rng, cases, for_each_seed};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TextTarget {
    Half(SessionId, Slot, &'static str),
    ActionWhat(ActionId),
    Celebration(ActionId),
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ListTarget {
    Options(SessionId, Slot),
    Obstacles(ActionId),
    GroundRules,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ScalarTarget {
    Contract(&'static str),
    SessionPlace(SessionId),
    ActionDeadline(ActionId),
}

const HALF_FIELDS: [(HalfText, &str); 5] = [
    (HalfText::Review, "review"),
    (HalfText::Goal, "goal"),
    (HalfText::Reality, "reality"),
    (HalfText::Will, "will"),
    (HalfText::Notes, "notes"),
];

fn half_text(p: &Partnership, session: &str, coachee: Slot, field: &str) -> String {
    let h = p.session(session).expect("session").half(coachee);
    match field {
        "review" => h.review.clone(),
        "goal" => h.goal.clone(),
        "reality" => h.reality.clone(),
        "will" => h.will.clone(),
        _ => h.notes.clone(),
    }
}

fn text_of(p: &Partnership, t: &TextTarget) -> String {
    match t {
        TextTarget::Half(s, c, f) => half_text(p, s, *c, f),
        TextTarget::ActionWhat(a) => p.action(a).expect("action").what.clone(),
        TextTarget::Celebration(a) => p.action(a).expect("action").celebration.clone(),
    }
}

fn list_of(p: &Partnership, t: &ListTarget) -> Vec<String> {
    match t {
        ListTarget::Options(s, c) => p.session(s).expect("session").half(*c).options.clone(),
        ListTarget::Obstacles(a) => p.action(a).expect("action").obstacles.clone(),
        ListTarget::GroundRules => p.contract.ground_rules.clone(),
    }
}

fn scalar_of(p: &Partnership, t: &ScalarTarget) -> String {
    match t {
        ScalarTarget::Contract("place") => p.contract.place.clone(),
        ScalarTarget::Contract("question_style") => p.contract.question_style.clone(),
        ScalarTarget::Contract(_) => p
            .contract
            .session_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
        ScalarTarget::SessionPlace(s) => p.session(s).expect("session").place.clone(),
        ScalarTarget::ActionDeadline(a) => p
            .action(a)
            .expect("action")
            .deadline
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

fn conflict_label(t: &ScalarTarget) -> String {
    match t {
        ScalarTarget::Contract("place") => "contract: where".into(),
        ScalarTarget::Contract("question_style") => "contract: question style".into(),
        ScalarTarget::Contract(_) => "contract: session length (minutes)".into(),
        ScalarTarget::SessionPlace(s) => format!("session {s}: place"),
        ScalarTarget::ActionDeadline(a) => format!("action {a}: deadline"),
    }
}

/// Positions where a whole token may be inserted: the start, and after each space.
fn boundaries(text: &str) -> Vec<usize> {
    let mut b = vec![0];
    for (i, c) in text.chars().enumerate() {
        if c == ' ' {
            b.push(i + 1);
        }
    }
    b
}

struct Side {
    doc: PartnershipDoc,
    id: DeviceIdentity,
    tag: char,
    counter: u32,
    /// Tokens this side inserted into texts (target, token), still alive.
    own_tokens: Vec<(TextTarget, String)>,
    signed: bool,
    contract_changed_after_sign: bool,
    contract_changed: bool,
}

#[derive(Default)]
struct Expect {
    texts: BTreeMap<TextTarget, BTreeSet<String>>,
    lists: BTreeMap<ListTarget, BTreeSet<String>>,
    sessions: BTreeSet<SessionId>,
    actions: BTreeSet<ActionId>,
    declined: BTreeMap<(SessionId, Slot), usize>,
}

impl Side {
    fn token(&mut self, rng: &mut Rng) -> String {
        self.counter += 1;
        let suffix = *rng.pick(&["", "ä", "😀", "ß", "é"]);
        format!("⟨{}{}{suffix}⟩", self.tag, self.counter)
    }

    /// One random edit. Scalar sets are recorded in `scalars` (last value wins).
    fn random_edit(
        &mut self,
        rng: &mut Rng,
        exp: &mut Expect,
        scalars: &mut BTreeMap<ScalarTarget, String>,
    ) {
        let p = self.doc.read().expect("read");
        let sessions: Vec<SessionId> = p.sessions.iter().map(|s| s.id.clone()).collect();
        let actions: Vec<ActionId> = p.actions.iter().map(|a| a.id.clone()).collect();
        let slot = self.doc.my_slot().expect("slot");
        match rng.below(15) {
            0 => {
                let date = Date::new(2026, 1, 1)
                    .unwrap()
                    .add_days(rng.below(300) as i64)
                    .unwrap();
                let id = self.doc.new_session(date).expect("new session");
                exp.sessions.insert(id);
            }
            1 => {
                let owner = *rng.pick(&Slot::BOTH);
                let session = if sessions.is_empty() || rng.chance(50) {
                    None
                } else {
                    Some(rng.pick(&sessions).clone())
                };
                let tok = self.token(rng);
                let due = Date::new(2026, 6, 1).unwrap();
                let id = self
                    .doc
                    .add_action(owner, &format!("{tok} "), Some(due), session.as_ref())
                    .expect("add action");
                exp.actions.insert(id.clone());
                exp.texts
                    .entry(TextTarget::ActionWhat(id.clone()))
                    .or_default()
                    .insert(tok.clone());
                self.own_tokens.push((TextTarget::ActionWhat(id), tok));
            }
            2..=5 if !sessions.is_empty() => {
                // Insert a token into a session text at a token boundary.
                let s = rng.pick(&sessions).clone();
                let coachee = *rng.pick(&Slot::BOTH);
                let (field, name) = *rng.pick(&HALF_FIELDS);
                let target = TextTarget::Half(s.clone(), coachee, name);
                let text = text_of(&p, &target);
                let at = *rng.pick(&boundaries(&text));
                let tok = self.token(rng);
                if rng.chance(30) {
                    // The text-box path: the whole new text, diffed by update_text.
                    let mut new: String = text.chars().collect();
                    new.push_str(&format!("{tok} "));
                    self.doc
                        .set_half_text(&s, coachee, field, &new)
                        .expect("set text");
                } else {
                    self.doc
                        .splice_half_text(&s, coachee, field, at, 0, &format!("{tok} "))
                        .expect("splice");
                }
                exp.texts
                    .entry(target.clone())
                    .or_default()
                    .insert(tok.clone());
                self.own_tokens.push((target, tok));
            }
            6 if !self.own_tokens.is_empty() => {
                // Delete one of our own tokens, whole.
                let i = rng.below(self.own_tokens.len());
                let (target, tok) = self.own_tokens[i].clone();
                let TextTarget::Half(s, coachee, name) = &target else {
                    return;
                };
                let text = text_of(&p, &target);
                let field = HALF_FIELDS.iter().find(|(_, n)| n == name).unwrap().0;
                let Some(byte) = text.find(&format!("{tok} ")) else {
                    panic!("own token {tok} missing from {target:?}");
                };
                let pos = text[..byte].chars().count();
                let len = tok.chars().count() + 1;
                self.doc
                    .splice_half_text(s, *coachee, field, pos, len, "")
                    .expect("delete");
                exp.texts.get_mut(&target).unwrap().remove(&tok);
                self.own_tokens.remove(i);
            }
            7 if !sessions.is_empty() => {
                let s = rng.pick(&sessions).clone();
                let coachee = *rng.pick(&Slot::BOTH);
                let tok = self.token(rng);
                self.doc.add_option(&s, coachee, &tok).expect("option");
                exp.lists
                    .entry(ListTarget::Options(s, coachee))
                    .or_default()
                    .insert(tok);
            }
            8 if !actions.is_empty() => {
                let a = rng.pick(&actions).clone();
                let tok = self.token(rng);
                if rng.chance(50) {
                    self.doc.add_obstacle(&a, &tok).expect("obstacle");
                    exp.lists
                        .entry(ListTarget::Obstacles(a))
                        .or_default()
                        .insert(tok);
                } else {
                    let target = if rng.chance(50) {
                        TextTarget::ActionWhat(a.clone())
                    } else {
                        TextTarget::Celebration(a.clone())
                    };
                    let mut text = text_of(&p, &target);
                    text.push_str(&format!("{tok} "));
                    match &target {
                        TextTarget::ActionWhat(_) => {
                            self.doc.set_action_text(&a, &text).expect("what")
                        }
                        _ => self.doc.set_celebration(&a, &text).expect("celebrate"),
                    }
                    exp.texts
                        .entry(target.clone())
                        .or_default()
                        .insert(tok.clone());
                    self.own_tokens.push((target, tok));
                }
            }
            9 => {
                let (field, name) = *rng.pick(&[
                    (ContractField::Place, "place"),
                    (ContractField::QuestionStyle, "question_style"),
                    (ContractField::SessionMinutes, "session_minutes"),
                ]);
                self.counter += 1;
                let v = if name == "session_minutes" {
                    (u64::from(self.counter) * 2 + u64::from(self.tag == 'B')).to_string()
                } else {
                    format!("{}{} Zürich", self.tag, self.counter)
                };
                self.doc.set_contract(field, &v).expect("contract");
                scalars.insert(ScalarTarget::Contract(name), v);
                self.note_contract_change();
            }
            10 if !sessions.is_empty() => {
                let s = rng.pick(&sessions).clone();
                self.counter += 1;
                let v = format!("room {}{}", self.tag, self.counter);
                self.doc.set_session_place(&s, &v).expect("place");
                scalars.insert(ScalarTarget::SessionPlace(s), v);
            }
            11 if !actions.is_empty() => {
                let a = rng.pick(&actions).clone();
                self.counter += 1;
                let d = Date::new(2027, 1, 1)
                    .unwrap()
                    .add_days(i64::from(self.counter) * 2 + i64::from(self.tag == 'B'))
                    .unwrap();
                self.doc.set_action_deadline(&a, Some(d)).expect("deadline");
                scalars.insert(ScalarTarget::ActionDeadline(a), d.to_string());
            }
            12 if !sessions.is_empty() => {
                let s = rng.pick(&sessions).clone();
                let coachee = *rng.pick(&Slot::BOTH);
                self.doc.mark_declined(&s, coachee).expect("decline");
                *exp.declined.entry((s, coachee)).or_default() += 1;
            }
            13 => {
                let tok = self.token(rng);
                self.doc.add_ground_rule(&tok).expect("rule");
                exp.lists
                    .entry(ListTarget::GroundRules)
                    .or_default()
                    .insert(tok);
                self.note_contract_change();
            }
            14 => {
                if self.doc.conflicts().iter().all(|c| !c.about.is_contract()) {
                    self.doc.sign_contract(&self.id).expect("sign");
                    self.signed = true;
                    self.contract_changed_after_sign = false;
                }
            }
            _ => {
                let _ = slot;
            }
        }
        if rng.chance(40) {
            self.doc.commit();
        }
    }

    fn note_contract_change(&mut self) {
        self.contract_changed = true;
        if self.signed {
            self.contract_changed_after_sign = true;
        }
    }
}

fn tokens(text: &str) -> Vec<String> {
    text.split_whitespace().map(String::from).collect()
}

fn run_case(seed: u64) {
    let mut rng = Rng::new(seed);
    let p = pair(seed).expect("pair");
    let mut a = Side {
        doc: p.a,
        id: p.id_a,
        tag: 'A',
        counter: 0,
        own_tokens: vec![],
        signed: false,
        contract_changed_after_sign: false,
        contract_changed: false,
    };
    let mut b = Side {
        doc: p.b,
        id: p.id_b,
        tag: 'B',
        counter: 0,
        own_tokens: vec![],
        signed: false,
        contract_changed_after_sign: false,
        contract_changed: false,
    };
    let mut sa = sync::State::new();
    let mut sb = sync::State::new();
    let mut exp = Expect::default();
    for r in &exp.lists {
        let _ = r;
    }
    let defaults: BTreeSet<String> = a
        .doc
        .read()
        .unwrap()
        .contract
        .ground_rules
        .into_iter()
        .collect();
    let rounds = rng.range(1, 4);
    for round in 0..rounds {
        let before = a.doc.read().unwrap();
        let before_conflicts = a.doc.conflicts();
        let mut set_a = BTreeMap::new();
        let mut set_b = BTreeMap::new();
        for s in [&mut a, &mut b] {
            s.signed = false;
            s.contract_changed = false;
            s.contract_changed_after_sign = false;
        }
        for _ in 0..rng.range(1, 10) {
            a.random_edit(&mut rng, &mut exp, &mut set_a);
        }
        for _ in 0..rng.range(1, 10) {
            b.random_edit(&mut rng, &mut exp, &mut set_b);
        }
        sync_pair(
            a.doc.automerge_mut(),
            b.doc.automerge_mut(),
            &mut sa,
            &mut sb,
            |_| {},
        )
        .unwrap_or_else(|e| panic!("seed {seed} round {round}: sync failed: {e}"));

        let ctx = format!("seed {seed} round {round}");
        // Convergence: the same heads, the same content, the same conflicts.
        assert_eq!(a.doc.heads(), b.doc.heads(), "{ctx}: heads differ");
        let pa = a.doc.read().unwrap();
        let pb = b.doc.read().unwrap();
        assert_eq!(pa, pb, "{ctx}: content differs");
        assert_eq!(
            a.doc.conflicts(),
            b.doc.conflicts(),
            "{ctx}: conflicts differ"
        );
        assert_eq!(
            export::markdown(&pa),
            export::markdown(&pb),
            "{ctx}: export differs"
        );

        // Nothing lost: every session, action, token, list item and marker is there.
        for s in &exp.sessions {
            assert!(pa.session(s).is_some(), "{ctx}: session {s} lost");
        }
        for x in &exp.actions {
            assert!(pa.action(x).is_some(), "{ctx}: action {x} lost");
        }
        for (t, want) in &exp.texts {
            let mut got = tokens(&text_of(&pa, t));
            got.sort();
            let want: Vec<String> = want.iter().cloned().collect();
            assert_eq!(got, want, "{ctx}: text {t:?}");
        }
        for (t, want) in &exp.lists {
            let mut got: BTreeSet<String> = list_of(&pa, t).into_iter().collect();
            if *t == ListTarget::GroundRules {
                got = got.difference(&defaults).cloned().collect();
            }
            assert_eq!(&got, want, "{ctx}: list {t:?}");
        }
        for ((s, c), n) in &exp.declined {
            assert_eq!(
                pa.session(s).unwrap().half(*c).declined_at_ms.len(),
                *n,
                "{ctx}: declined markers"
            );
        }

        // Single values: one side's edit wins outright; both sides' edits stay visible.
        let conflicts = a.doc.conflicts();
        let mut all_targets: BTreeSet<ScalarTarget> = set_a.keys().cloned().collect();
        all_targets.extend(set_b.keys().cloned());
        for t in &all_targets {
            let label = conflict_label(t);
            let conflict = conflicts.iter().find(|c| c.label() == label);
            match (set_a.get(t), set_b.get(t)) {
                (Some(va), Some(vb)) => {
                    let c = conflict.unwrap_or_else(|| {
                        panic!("{ctx}: concurrent {t:?} not shown as a conflict")
                    });
                    assert!(
                        c.values.contains(va) && c.values.contains(vb),
                        "{ctx}: {t:?} lost a value: {:?}",
                        c.values
                    );
                    assert_eq!(c.values.len(), 2, "{ctx}: {t:?}");
                    let shown = scalar_of(&pa, t);
                    assert!(shown == *va || shown == *vb, "{ctx}: {t:?} shows {shown}");
                }
                (Some(v), None) | (None, Some(v)) => {
                    assert_eq!(&scalar_of(&pa, t), v, "{ctx}: {t:?}");
                    assert!(conflict.is_none(), "{ctx}: {t:?} has a stale conflict");
                }
                (None, None) => unreachable!(),
            }
        }
        // Conflicts on fields nobody touched this round are still there.
        for c in &before_conflicts {
            if let Some(now) = conflicts.iter().find(|n| n.about == c.about) {
                assert_eq!(
                    now.values.len(),
                    c.values.len(),
                    "{ctx}: conflict {} changed",
                    c.label()
                );
            } else {
                let touched = all_targets.iter().any(|t| conflict_label(t) == c.label());
                assert!(touched, "{ctx}: conflict {} vanished untouched", c.label());
            }
        }
        let _ = before;

        // Signatures: valid after the merge unless the contract changed after signing.
        for (side, other, slot) in [(&a, &b, Slot::A), (&b, &a, Slot::B)] {
            if !side.signed {
                continue;
            }
            let st = pa.signatures.get(slot);
            if side.contract_changed_after_sign || other.contract_changed {
                assert!(
                    matches!(st, SignatureState::Outdated { .. }),
                    "{ctx}: {slot:?} signature should be outdated: {st:?}"
                );
            } else {
                assert!(
                    matches!(st, SignatureState::Signed { .. }),
                    "{ctx}: {slot:?} signature lost: {st:?}"
                );
            }
        }
    }
}

/// The starting seeds every run takes, before its one fresh seed.
const FIXED_SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn concurrent_edits_converge_and_nothing_is_lost() {
    let per_seed: usize = std::env::var("CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    for_each_seed("merge", &FIXED_SEEDS, |seed| {
        for (i, case) in cases(seed, per_seed).enumerate() {
            let r = std::panic::catch_unwind(|| run_case(case));
            if let Err(e) = r {
                eprintln!("merge: case {i} of SEED={seed} failed; replay with SEED={case} CASES=1");
                std::panic::resume_unwind(e);
            }
        }
    });
}

/// Fixed regression cases: seeds that once failed are kept here and always run.
#[test]
fn merge_fixtures() {
    for seed in [0u64, 1, 42] {
        run_case(seed);
    }
}
