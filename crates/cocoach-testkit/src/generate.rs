//! Generators of partnership documents: a freshly paired pair of replicas, and a
//! realistic history of N years of weekly sessions typed by both partners.

use cocoach_doc::{Date, DeviceIdentity, DocError, HalfText, PartnershipDoc, Slot};

use crate::rng::Rng;

/// Two replicas of one partnership, as after pairing: A created it, B joined.
#[derive(Debug)]
pub struct Pair {
    pub a: PartnershipDoc,
    pub b: PartnershipDoc,
    pub id_a: DeviceIdentity,
    pub id_b: DeviceIdentity,
}

/// A and B with distinct deterministic identities; B holds a copy of A's document.
pub fn pair(seed: u64) -> Result<Pair, DocError> {
    let mut sa = [0u8; 32];
    let mut sb = [0u8; 32];
    sa[..8].copy_from_slice(&seed.to_le_bytes());
    sb[..8].copy_from_slice(&seed.to_le_bytes());
    sa[31] = 0xa;
    sb[31] = 0xb;
    let id_a = DeviceIdentity::from_seed(sa);
    let id_b = DeviceIdentity::from_seed(sb);
    let mut a = PartnershipDoc::create("Ana Müller", &id_a)?;
    a.set_partner_b("Bo Chen", id_b.public())?;
    a.commit();
    let pins = [id_a.public(), id_b.public()];
    a.set_pinned_keys(&pins);
    let bytes = a.automerge_mut().save();
    let b = PartnershipDoc::from_signed(&bytes, a.all_signatures(), &pins, &id_b)?;
    Ok(Pair { a, b, id_a, id_b })
}

const WORDS: &[&str] = &[
    "career",
    "change",
    "interview",
    "portfolio",
    "network",
    "mentor",
    "Zürich",
    "Ärger",
    "confidence",
    "skills",
    "values",
    "research",
    "design",
    "team",
    "manager",
    "salary",
    "courage",
    "focus",
    "résumé",
    "week",
    "plan",
    "coffee",
    "LinkedIn",
    "course",
    "data",
    "writing",
    "deadline",
    "small",
    "step",
    "energy",
    "learn",
    "ask",
    "friend",
    "🎯",
    "naïve",
    "façade",
    "project",
    "budget",
    "time",
    "family",
];

/// Roughly `chars` characters of plausible note text.
pub fn prose(rng: &mut Rng, chars: usize) -> String {
    let mut s = String::with_capacity(chars + 16);
    while s.chars().count() < chars {
        if !s.is_empty() {
            s.push(if rng.chance(8) { '\n' } else { ' ' });
        }
        let word: &&str = rng.pick(WORDS);
        s.push_str(word);
        if rng.chance(10) {
            s.push('.');
        }
    }
    s
}

/// Sizes of a generated history.
#[derive(Debug, Clone, Copy)]
pub struct HistoryShape {
    pub sessions: usize,
    pub actions: usize,
    /// Characters of notes per session (both halves together).
    pub notes_chars: usize,
    /// Characters typed between two commits (a debounced pause).
    pub chars_per_commit: usize,
}

impl HistoryShape {
    /// `years` of weekly sessions: 52 a year, ~5 KB of notes each, 400 actions a year.
    pub fn years(years: usize) -> HistoryShape {
        HistoryShape {
            sessions: 52 * years,
            actions: 400 * years,
            notes_chars: 5_000,
            chars_per_commit: 250,
        }
    }
}

/// Both replicas take in each other's changes, signatures checked, as sync does.
pub fn merge_both(p: &mut Pair) -> Result<(), DocError> {
    p.a.merge_from(&mut p.b)?;
    p.b.merge_from(&mut p.a)?;
    Ok(())
}

/// A history of weekly sessions typed on both devices (the coach of each half types
/// its notes), actions committed and completed, merged after every session.
pub fn history(shape: HistoryShape, seed: u64) -> Result<Pair, DocError> {
    let mut rng = Rng::new(seed);
    let mut p = pair(seed)?;
    let start = Date::new(2021, 1, 4).ok_or(DocError::Schema("date"))?;
    let per_session = shape.actions.div_ceil(shape.sessions.max(1));
    let mut actions_made = 0;
    let mut open: Vec<(Slot, cocoach_doc::ActionId)> = Vec::new();
    for i in 0..shape.sessions {
        let date = start
            .add_days(7 * i as i64)
            .ok_or(DocError::Schema("date"))?;
        let creator = if i % 2 == 0 { &mut p.a } else { &mut p.b };
        let sid = creator.new_session(date)?;
        creator.commit();
        merge_both(&mut p)?;
        // Review: close most open actions from earlier.
        for (owner, id) in std::mem::take(&mut open) {
            let doc = if owner == Slot::A { &mut p.a } else { &mut p.b };
            if rng.chance(75) {
                let note = prose(&mut rng, 40);
                doc.mark_action_done(&id, date, &note)?;
            } else if rng.chance(50) {
                doc.add_obstacle(&id, "no time")?;
            } else {
                doc.set_action_status(&id, cocoach_doc::ActionStatus::Dropped)?;
            }
            doc.commit();
        }
        for coachee in Slot::BOTH {
            // The coach types the coachee's half on their own device.
            let coach_doc = if coachee == Slot::A {
                &mut p.b
            } else {
                &mut p.a
            };
            let half_chars = shape.notes_chars / 2;
            let fields = [
                (HalfText::Review, half_chars / 10),
                (HalfText::Goal, half_chars / 10),
                (HalfText::Reality, half_chars * 3 / 10),
                (HalfText::Will, half_chars / 10),
                (HalfText::Notes, half_chars * 2 / 10),
            ];
            for (field, chars) in fields {
                let mut written = 0;
                while written < chars {
                    let n = shape.chars_per_commit.min(chars - written).max(20);
                    let text = prose(&mut rng, n);
                    written += text.chars().count();
                    coach_doc.append_half_text(&sid, coachee, field, &text)?;
                    coach_doc.commit();
                }
            }
            for _ in 0..4 {
                let text = prose(&mut rng, half_chars / 20);
                coach_doc.add_option(&sid, coachee, &text)?;
            }
            coach_doc.commit();
            for _ in 0..per_session.div_ceil(2) {
                if actions_made >= shape.actions {
                    break;
                }
                let what = prose(&mut rng, 60);
                let due = date.add_days(7).ok_or(DocError::Schema("date"))?;
                let id = coach_doc.add_action(coachee, &what, Some(due), Some(&sid))?;
                coach_doc.commit();
                open.push((coachee, id));
                actions_made += 1;
            }
        }
        merge_both(&mut p)?;
    }
    Ok(p)
}
