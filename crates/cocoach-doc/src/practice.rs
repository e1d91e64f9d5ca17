//! The rules of the co-coaching practice, in one place.
//!
//! Who coaches first, what still keeps a session open, which actions a coachee
//! reviews, how a deadline reads, how a contract term and the agreement read. The
//! document's edits enforce these rules ([`crate::PartnershipDoc::new_session`],
//! [`crate::PartnershipDoc::close_session`]) and the window and the command line show
//! them by calling the same functions, so a preview can never disagree with what the
//! document then does.

use crate::doc::ContractField;
use crate::ids::QuestionId;
use crate::model::{
    Action, ActionStatus, Agreement, Contract, Partnership, Session, SignatureState, Stage, Turns,
};
use crate::time::Date;
use crate::types::Slot;
use cocoach_i18n::{Tr, tr};

/// What the coach-first rule needs to know of an earlier session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    pub date: Date,
    pub created_at_ms: i64,
    pub coached_first: Slot,
}

/// Who coaches first in a session held on `date`. With turns that stay the same it
/// is the contract's choice. With alternating turns it is the other partner than in
/// the latest session held on or before `date` (by date, then by when it was
/// started); a session planned for a later day does not count. With no earlier
/// session, the contract's choice.
pub fn coach_first_on(
    contract: &Contract,
    earlier: impl IntoIterator<Item = Turn>,
    date: Date,
) -> Slot {
    match contract.turns {
        Turns::Same => contract.coaches_first,
        Turns::Alternate => earlier
            .into_iter()
            .filter(|t| t.date <= date)
            .fold(None::<Turn>, |last, t| match last {
                Some(l) if (l.date, l.created_at_ms) >= (t.date, t.created_at_ms) => Some(l),
                _ => Some(t),
            })
            .map_or(contract.coaches_first, |l| l.coached_first.other()),
    }
}

/// What the closing rule needs to know of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commitment<'a> {
    pub owner: Slot,
    pub session: Option<&'a str>,
    pub has_deadline: bool,
}

/// Partners who have no action with a deadline from `session` yet. A session closes
/// only when this is empty, or with a written reason to skip.
pub fn missing_actions<'a>(
    actions: impl IntoIterator<Item = Commitment<'a>>,
    session: &str,
) -> Vec<Slot> {
    let mut has = [false; 2];
    for a in actions {
        if a.session == Some(session) && a.has_deadline {
            has[usize::from(a.owner == Slot::B)] = true;
        }
    }
    Slot::BOTH
        .into_iter()
        .filter(|s| !has[usize::from(*s == Slot::B)])
        .collect()
}

/// The coach's questions built into the deck, by stage: every question of the
/// practice (the review, then GROW), in our own words. Message ids, in the order
/// the deck shows them.
const BUILT_IN_DECK: [&[&str]; 5] = [
    &[
        cocoach_i18n::key!("session-deck-review-1"),
        cocoach_i18n::key!("session-deck-review-2"),
        cocoach_i18n::key!("session-deck-review-3"),
        cocoach_i18n::key!("session-deck-review-4"),
        cocoach_i18n::key!("session-deck-review-5"),
    ],
    &[
        cocoach_i18n::key!("session-deck-goal-1"),
        cocoach_i18n::key!("session-deck-goal-5"),
        cocoach_i18n::key!("session-deck-goal-6"),
        cocoach_i18n::key!("session-deck-goal-2"),
        cocoach_i18n::key!("session-deck-goal-3"),
        cocoach_i18n::key!("session-deck-goal-4"),
    ],
    &[
        cocoach_i18n::key!("session-deck-reality-1"),
        cocoach_i18n::key!("session-deck-reality-5"),
        cocoach_i18n::key!("session-deck-reality-6"),
        cocoach_i18n::key!("session-deck-reality-2"),
        cocoach_i18n::key!("session-deck-reality-3"),
        cocoach_i18n::key!("session-deck-reality-4"),
    ],
    &[
        cocoach_i18n::key!("session-deck-options-1"),
        cocoach_i18n::key!("session-deck-options-5"),
        cocoach_i18n::key!("session-deck-options-6"),
        cocoach_i18n::key!("session-deck-options-2"),
        cocoach_i18n::key!("session-deck-options-4"),
        cocoach_i18n::key!("session-deck-options-7"),
        cocoach_i18n::key!("session-deck-options-3"),
    ],
    &[
        cocoach_i18n::key!("session-deck-will-1"),
        cocoach_i18n::key!("session-deck-will-5"),
        cocoach_i18n::key!("session-deck-will-6"),
        cocoach_i18n::key!("session-deck-will-7"),
        cocoach_i18n::key!("session-deck-will-2"),
        cocoach_i18n::key!("session-deck-will-3"),
        cocoach_i18n::key!("session-deck-will-4"),
    ],
];

/// The questions built into the deck for `stage`, in `tr`'s language.
pub fn built_in_deck(tr: &Tr, stage: Stage) -> Vec<String> {
    BUILT_IN_DECK[stage.index()]
        .iter()
        .map(|id| tr.t(id))
        .collect()
}

impl Stage {
    /// The stage's name, as a heading.
    pub fn title(self, tr: &Tr) -> String {
        match self {
            Stage::Review => tr!(tr, "session-stage-review"),
            Stage::Goal => tr!(tr, "session-stage-goal"),
            Stage::Reality => tr!(tr, "session-stage-reality"),
            Stage::Options => tr!(tr, "session-stage-options"),
            Stage::Will => tr!(tr, "session-stage-will"),
        }
    }
}

/// One question of the deck as the coach sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub text: String,
    /// A partner's own question: who added it, and its id (to remove it).
    pub added: Option<(Slot, QuestionId)>,
}

/// One obstacle as it recurs across actions: the pattern the coaching works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObstaclePattern {
    /// As written on the earliest action naming it (the same words in other case
    /// or spacing count as one).
    pub obstacle: String,
    /// Actions it was named on.
    pub count: usize,
    /// The earliest of those actions' deadlines (or the day it was made).
    pub since: Option<Date>,
    /// Actions per partner (A, B) it was named on.
    pub by: [usize; 2],
}

/// How far ahead an action's deadline was set when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Horizon {
    /// Due within 7 days of being made: a small step.
    Week,
    /// Within 31 days.
    Month,
    Longer,
}

/// Of the actions with a known outcome at one horizon, how many got done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoneRate {
    pub horizon: Horizon,
    pub done: usize,
    /// Done, dropped, or open past their deadline.
    pub settled: usize,
}

/// Days before a term's end date from which the Session screen says it ends.
pub const TERM_ENDING_DAYS: i64 = 14;

/// Looking back over the contract's term, as the review at its end shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermReview<'a> {
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// Sessions held (closed) in the term.
    pub held: usize,
    /// Sessions the term plans in all (its number of sessions, or the rhythm's
    /// meetings up to its end date), when it says.
    pub planned: Option<usize>,
    /// Actions set in the term, by how they ended up.
    pub done: usize,
    pub dropped: usize,
    pub open: usize,
    /// The obstacles named most often in the term (at most three).
    pub obstacles: Vec<ObstaclePattern>,
    /// Each partner's goal (A, B): in the term's first session that names one,
    /// and in its latest.
    pub goals: [(Option<&'a str>, Option<&'a str>); 2],
}

/// How long after a session closes its recap is shown (on both devices): the
/// moment to celebrate, not a permanent banner.
pub const RECAP_FOR_MS: i64 = 12 * 3600 * 1000;

/// What a closed session brought: shown as it closes, when the practice says to
/// celebrate progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recap<'a> {
    pub session: &'a Session,
    /// For each coachee, in the session's order: the actions they committed to in it.
    pub committed: [(Slot, Vec<&'a Action>); 2],
    /// Earlier actions reviewed as done in this session, with what was celebrated
    /// (the action's celebration line; it may be empty).
    pub celebrated: Vec<&'a Action>,
}

impl Partnership {
    /// Who will coach first in a session started on `date`, exactly as
    /// [`crate::PartnershipDoc::new_session`] will decide it.
    pub fn next_coach_first(&self, date: Date) -> Slot {
        let turns = self.sessions.iter().filter_map(|s| {
            Some(Turn {
                date: s.date?,
                created_at_ms: s.created_at_ms,
                coached_first: s.coached_first,
            })
        });
        coach_first_on(&self.contract, turns, date)
    }

    /// Partners who still need an action with a deadline before session `id` closes.
    /// A first meeting that agreed the contract (both signed it) needs none: its
    /// outcome is the contract.
    pub fn missing_actions(&self, id: &str) -> Vec<Slot> {
        if self.session(id).is_some_and(|s| s.first_meeting)
            && self.signatures.agreement() == Agreement::SignedByBoth
        {
            return Vec::new();
        }
        let actions = self.actions.iter().map(|a| Commitment {
            owner: a.owner,
            session: a.session.as_deref(),
            has_deadline: a.deadline.is_some(),
        });
        missing_actions(actions, id)
    }

    /// The deck for `stage`: the built-in questions, then the partners' own, oldest
    /// first.
    pub fn deck(&self, tr: &Tr, stage: Stage) -> Vec<Card> {
        let built_in = built_in_deck(tr, stage)
            .into_iter()
            .map(|text| Card { text, added: None });
        let own = self
            .questions
            .iter()
            .filter(|q| q.stage == Some(stage))
            .map(|q| Card {
                // A partner's build may have stored more than ours lets anyone
                // write: shown cut, kept whole.
                text: if q.text.chars().count() > crate::MAX_QUESTION_CHARS {
                    let cut: String = q.text.chars().take(crate::MAX_QUESTION_CHARS).collect();
                    format!("{cut}…")
                } else {
                    q.text.clone()
                },
                added: Some((q.by, q.id.clone())),
            });
        built_in.chain(own).collect()
    }

    /// When the contract's rhythm plans the next meeting, as it stands on `today`:
    /// the first planned day on or after `today` with no session held on it (a
    /// session today already counts as today's meeting). `None` when the rhythm is
    /// by agreement, or the term is over (see [`crate::calendar_plan`]).
    pub fn next_meeting(&self, today: Date) -> Option<Date> {
        let plan = self.meeting_plan(today).ok()?;
        let held: std::collections::BTreeSet<Date> =
            self.sessions.iter().filter_map(|s| s.date).collect();
        plan.dates()
            .skip_while(|d| *d < today)
            .find(|d| !held.contains(d))
    }

    /// [`Partnership::next_meeting`] in a sentence, as the window and the command
    /// line show it.
    pub fn next_meeting_text(&self, tr: &Tr, today: Date) -> String {
        let time = self.contract.meeting_time.map(|t| t.to_string());
        match (self.next_meeting(today), time) {
            (Some(d), None) if d == today => tr!(tr, "session-next-meeting-today"),
            (Some(d), Some(t)) if d == today => {
                tr!(tr, "session-next-meeting-today-at", time = t)
            }
            (Some(d), None) => tr!(
                tr,
                "session-next-meeting",
                date = tr.date_with_weekday(d.civil())
            ),
            (Some(d), Some(t)) => tr!(
                tr,
                "session-next-meeting-at",
                date = tr.date_with_weekday(d.civil()),
                time = t
            ),
            (None, _) => tr!(tr, "session-next-meeting-none"),
        }
    }

    /// Obstacles named on actions, grouped, most frequent first (then the oldest).
    pub fn obstacle_patterns(&self) -> Vec<ObstaclePattern> {
        obstacle_patterns_of(self.actions.iter())
    }

    /// Which actions get done, by how far ahead their deadline was set: of those
    /// settled by `today` (done, dropped, or open past the deadline), how many were
    /// done. Horizons with none settled are left out.
    pub fn done_by_horizon(&self, today: Date) -> Vec<DoneRate> {
        let mut rates = [Horizon::Week, Horizon::Month, Horizon::Longer].map(|horizon| DoneRate {
            horizon,
            done: 0,
            settled: 0,
        });
        for a in &self.actions {
            let Some(deadline) = a.deadline else { continue };
            let made = a.created_at_ms.div_euclid(86_400_000);
            let ahead = deadline.days_since_epoch() - made;
            let horizon = match ahead {
                ..=7 => Horizon::Week,
                8..=31 => Horizon::Month,
                _ => Horizon::Longer,
            };
            let settled = match a.status {
                ActionStatus::Done | ActionStatus::Dropped => true,
                ActionStatus::Open => deadline < today,
            };
            if !settled {
                continue;
            }
            let r = &mut rates[horizon as usize];
            r.settled += 1;
            if a.status == ActionStatus::Done {
                r.done += 1;
            }
        }
        rates.into_iter().filter(|r| r.settled > 0).collect()
    }

    /// Whether the Session screen offers the getting-to-know meeting first: no
    /// session has been held yet (it can be started on demand later too).
    pub fn first_meeting_due(&self) -> bool {
        self.sessions.is_empty()
    }

    /// Whether the contract's term is near its end on `today`: its end date within
    /// [`TERM_ENDING_DAYS`] (or past), or at most one of its sessions left.
    pub fn term_ending(&self, today: Date) -> bool {
        let term = &self.contract.term;
        let by_date = term.end.is_some_and(|end| {
            end.days_since_epoch() - today.days_since_epoch() <= TERM_ENDING_DAYS
        });
        let by_count = term.sessions.is_some_and(|n| {
            let held = self
                .term_sessions()
                .filter(|s| s.closed_at_ms.is_some())
                .count();
            u64::try_from(held).unwrap_or(u64::MAX) + 1 >= n
        });
        by_date || by_count
    }

    /// Sessions dated within the term (all of them when it sets no dates).
    fn term_sessions(&self) -> impl Iterator<Item = &Session> {
        let term = self.contract.term.clone();
        self.sessions.iter().filter(move |s| {
            s.date.is_none_or(|d| {
                term.start.is_none_or(|st| d >= st) && term.end.is_none_or(|e| d <= e)
            })
        })
    }

    /// The review of the contract's term as it stands on `today`: `None` when the
    /// contract sets no term (no end date and no number of sessions).
    pub fn term_review(&self, today: Date) -> Option<TermReview<'_>> {
        let term = &self.contract.term;
        if term.end.is_none() && term.sessions.is_none() {
            return None;
        }
        let held_sessions: Vec<&Session> = self
            .term_sessions()
            .filter(|s| s.closed_at_ms.is_some())
            .collect();
        let planned = match term.sessions {
            Some(n) => usize::try_from(n).ok(),
            None => self
                .meeting_plan(today)
                .ok()
                .map(|p| p.dates().count())
                .or_else(|| {
                    // A term already over plans nothing from today: count from its start.
                    self.meeting_plan(term.start.unwrap_or(today))
                        .ok()
                        .map(|p| p.dates().count())
                }),
        };
        let start_ms = term.start.map(|d| d.days_since_epoch() * 86_400_000);
        let in_term = |a: &&Action| start_ms.is_none_or(|ms| a.created_at_ms >= ms);
        let actions: Vec<&Action> = self.actions.iter().filter(in_term).collect();
        let count = |st: ActionStatus| actions.iter().filter(|a| a.status == st).count();
        let mut obstacles = obstacle_patterns_of(actions.iter().copied());
        obstacles.truncate(3);
        let goals = [Slot::A, Slot::B].map(|slot| {
            let mut named = held_sessions.iter().copied().filter_map(|s| {
                let g = s.half(slot).goal.trim();
                (!g.is_empty()).then_some(g)
            });
            let first = named.next();
            let latest = named.next_back().or(first);
            (first, latest)
        });
        Some(TermReview {
            start: term.start,
            end: term.end,
            held: held_sessions.len(),
            planned,
            done: count(ActionStatus::Done),
            dropped: count(ActionStatus::Dropped),
            open: count(ActionStatus::Open),
            obstacles,
            goals,
        })
    }

    /// The recap of session `id`, once it is closed.
    pub fn recap(&self, id: &str) -> Option<Recap<'_>> {
        let session = self.session(id).filter(|s| s.closed_at_ms.is_some())?;
        let committed = session.coachees().map(|coachee| {
            let mine = self
                .actions
                .iter()
                .filter(|a| a.owner == coachee && a.session.as_deref() == Some(id))
                .collect();
            (coachee, mine)
        });
        let celebrated = session
            .halves
            .iter()
            .flat_map(|h| &h.reviewed)
            .filter(|(_, outcome)| *outcome == crate::model::ReviewOutcome::Done)
            .filter_map(|(action, _)| self.action(action.as_str()))
            .collect();
        Some(Recap {
            session,
            committed,
            celebrated,
        })
    }

    /// The recap to show at `now_ms`: of the session closed last, if it closed
    /// within [`RECAP_FOR_MS`] and no session has started since.
    pub fn current_recap(&self, now_ms: i64) -> Option<Recap<'_>> {
        if self.open_session().is_some() {
            return None;
        }
        let last = self
            .sessions
            .iter()
            .filter(|s| s.closed_at_ms.is_some())
            .max_by_key(|s| s.closed_at_ms)?;
        let closed = last.closed_at_ms?;
        let age = now_ms - closed;
        // (A partner's clock a little ahead makes the age negative: still fresh.)
        if !(-RECAP_FOR_MS..=RECAP_FOR_MS).contains(&age) {
            return None;
        }
        self.recap(last.id.as_str())
    }

    /// The session in progress: the newest one not closed yet.
    pub fn open_session(&self) -> Option<&Session> {
        self.sessions
            .iter()
            .rev()
            .find(|s| s.closed_at_ms.is_none())
    }

    /// The actions `coachee` reviews at the start of their half of `session`: their
    /// open actions from earlier sessions (or none), and those already reviewed here.
    pub fn actions_to_review(&self, session: &Session, coachee: Slot) -> Vec<&Action> {
        let reviewed = &session.half(coachee).reviewed;
        self.actions
            .iter()
            .filter(|a| a.owner == coachee && a.session.as_deref() != Some(session.id.as_str()))
            .filter(|a| {
                a.status == ActionStatus::Open || reviewed.iter().any(|(id, _)| *id == a.id)
            })
            .collect()
    }

    /// Sessions the contract's rhythm plans from the term's start (or the first
    /// session) until `today`, if the rhythm is a regular one.
    pub fn expected_sessions(&self, today: Date) -> Option<usize> {
        let every = self.contract.frequency.as_ref()?.interval_days()?;
        let start = self
            .contract
            .term
            .start
            .or_else(|| self.sessions.iter().filter_map(|s| s.date).min())?;
        let days = today.days_since_epoch() - start.days_since_epoch();
        if days < 0 {
            return Some(0);
        }
        usize::try_from(days / every + 1).ok()
    }

    /// Whether the contract's rhythm plans a meeting on `day`: a regular rhythm,
    /// counted from the term's start (or the first session, as
    /// [`Partnership::expected_sessions`] counts), on or after that start and not
    /// past the term's end.
    pub fn meeting_planned_on(&self, day: Date) -> bool {
        let Some(every) = self
            .contract
            .frequency
            .as_ref()
            .and_then(|f| f.interval_days())
        else {
            return false;
        };
        let start = self
            .contract
            .term
            .start
            .or_else(|| self.sessions.iter().filter_map(|s| s.date).min());
        let Some(start) = start else { return false };
        let days = day.days_since_epoch() - start.days_since_epoch();
        let within = self.contract.term.end.is_none_or(|end| day <= end);
        days >= 0 && within && days % every == 0
    }

    /// Where the signatures stand, in one line, and whether the contract is agreed.
    /// `me` is this device's slot: with it the line speaks to the reader ("Signed by
    /// you — waiting for Bo to sign"); without it, about both ("signed by Ana only").
    pub fn agreement_text(&self, tr: &Tr, me: Option<Slot>) -> (String, bool) {
        let agreement = self.signatures.agreement();
        let agreed = agreement == Agreement::SignedByBoth;
        // An older signature put back in place of a newer one: a warning first.
        if let Some(s) = self.signatures.rolled_back() {
            let text = if Some(s) == me {
                tr!(tr, "agreement-rolled-back-yours")
            } else {
                tr!(tr, "agreement-rolled-back-theirs", name = self.name(s))
            };
            return (text, false);
        }
        let Some(me) = me else {
            let text = match agreement {
                Agreement::SignedByBoth => tr!(tr, "agreement-both"),
                Agreement::SignedBy(s) => tr!(tr, "agreement-only", name = self.name(s)),
                Agreement::ChangedSinceSigning => tr!(tr, "agreement-changed"),
                Agreement::NotSigned => tr!(tr, "agreement-not-signed"),
            };
            return (text, agreed);
        };
        let text = match agreement {
            Agreement::SignedByBoth => tr!(tr, "agreement-me-both"),
            Agreement::SignedBy(s) if s == me => {
                tr!(tr, "agreement-me-waiting", name = self.name(me.other()))
            }
            Agreement::SignedBy(s) => tr!(tr, "agreement-me-they-signed", name = self.name(s)),
            Agreement::ChangedSinceSigning => tr!(tr, "agreement-me-changed"),
            Agreement::NotSigned => tr!(tr, "agreement-me-not-signed"),
        };
        (text, agreed)
    }

    /// How one partner's signature reads, with its local date.
    pub fn signature_text(&self, tr: &Tr, slot: Slot) -> String {
        let day = |ms: i64| tr.date(Date::local_of(ms).civil());
        match self.signatures.get(slot) {
            SignatureState::NotSigned => tr!(tr, "signature-not-signed"),
            SignatureState::Signed { at_ms } => tr!(tr, "signature-signed", date = day(at_ms)),
            SignatureState::Outdated { at_ms } => {
                tr!(tr, "signature-outdated", date = day(at_ms))
            }
            SignatureState::Invalid => tr!(tr, "signature-invalid"),
            SignatureState::RolledBack { at_ms } => {
                tr!(tr, "signature-rolled-back", date = day(at_ms))
            }
        }
    }
}

impl Session {
    /// The coachee of each half, in the order the halves are held.
    pub fn coachees(&self) -> [Slot; 2] {
        let first = self.coached_first.other();
        [first, first.other()]
    }
}

impl Contract {
    /// A single-valued term as text, the way it is typed in a form or on the command
    /// line (and accepted back by [`crate::PartnershipDoc::set_contract`]).
    pub fn term_text(&self, f: ContractField) -> String {
        match f {
            ContractField::Frequency => self
                .frequency
                .as_ref()
                .map(|f| f.as_str().to_string())
                .unwrap_or_default(),
            ContractField::Place => self.place.clone(),
            ContractField::SessionMinutes => self
                .session_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            ContractField::TermStart => self.term.start.map(|d| d.to_string()).unwrap_or_default(),
            ContractField::TermEnd => self.term.end.map(|d| d.to_string()).unwrap_or_default(),
            ContractField::TermSessions => self
                .term
                .sessions
                .map(|n| n.to_string())
                .unwrap_or_default(),
            ContractField::CoachesFirst => self.coaches_first.key().to_string(),
            ContractField::Turns => self.turns.as_str().to_string(),
            ContractField::QuestionStyle => self.question_style.clone(),
            ContractField::MeetingTime => {
                self.meeting_time.map(|t| t.to_string()).unwrap_or_default()
            }
        }
    }
}

/// The ground rules a new contract starts with, in the creating partner's language
/// (the partners edit them freely).
pub fn default_ground_rules(tr: &Tr) -> Vec<String> {
    vec![
        tr!(tr, "practice-ground-rule-1"),
        tr!(tr, "practice-ground-rule-2"),
        tr!(tr, "practice-ground-rule-3"),
        tr!(tr, "practice-ground-rule-4"),
    ]
}

/// The obstacles offered as quick picks when an action is not done: the excuses a
/// career changer names most often (the career fixer's list), in the reader's
/// language. What is picked is stored as text, as written.
pub fn common_obstacles(tr: &Tr) -> Vec<String> {
    vec![
        tr!(tr, "practice-obstacle-time"),
        tr!(tr, "practice-obstacle-energy"),
        tr!(tr, "practice-obstacle-experience"),
        tr!(tr, "practice-obstacle-certificates"),
        tr!(tr, "practice-obstacle-interview"),
        tr!(tr, "practice-obstacle-network"),
        tr!(tr, "practice-obstacle-sell"),
        tr!(tr, "practice-obstacle-accent"),
        tr!(tr, "practice-obstacle-negotiate"),
        tr!(tr, "practice-obstacle-fear"),
        tr!(tr, "practice-obstacle-money"),
    ]
}

/// [`Partnership::obstacle_patterns`] over some of the actions (a term's, say).
fn obstacle_patterns_of<'a>(actions: impl Iterator<Item = &'a Action>) -> Vec<ObstaclePattern> {
    let mut out: Vec<(String, ObstaclePattern)> = Vec::new();
    for a in actions {
        let when = a
            .deadline
            .or_else(|| Date::from_days_since_epoch(a.created_at_ms.div_euclid(86_400_000)));
        // Each obstacle once per action, however often it was picked.
        let mut seen = std::collections::BTreeSet::new();
        for o in &a.obstacles {
            let key = o
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            let i = match out.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    out.push((
                        key,
                        ObstaclePattern {
                            obstacle: o.trim().to_string(),
                            count: 0,
                            since: None,
                            by: [0, 0],
                        },
                    ));
                    out.len() - 1
                }
            };
            let entry = &mut out[i].1;
            entry.count += 1;
            entry.by[a.owner.index()] += 1;
            entry.since = match (entry.since, when) {
                (Some(s), Some(w)) => Some(s.min(w)),
                (s, w) => s.or(w),
            };
        }
    }
    let mut out: Vec<ObstaclePattern> = out.into_iter().map(|(_, p)| p).collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.since.cmp(&b.since))
            .then(a.obstacle.cmp(&b.obstacle))
    });
    out
}

/// How an action's deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Past the deadline by this many days.
    Overdue(i64),
    Today,
    /// Due within [`Due::SOON_DAYS`] days (this many).
    Soon(i64),
    /// Due in this many days, later than soon.
    Later(i64),
    NoDeadline,
}

impl Due {
    /// Deadlines this close stand out.
    pub const SOON_DAYS: i64 = 3;

    /// How `deadline` stands on `today` (the user's local date).
    pub fn of(deadline: Option<Date>, today: Date) -> Due {
        let Some(d) = deadline else {
            return Due::NoDeadline;
        };
        match d.days_since_epoch() - today.days_since_epoch() {
            n if n < 0 => Due::Overdue(-n),
            0 => Due::Today,
            n if n <= Due::SOON_DAYS => Due::Soon(n),
            n => Due::Later(n),
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Due::Overdue(_))
    }

    /// The deadline as people say it: "overdue by 2 days", "due tomorrow".
    pub fn text(self, tr: &Tr) -> String {
        match self {
            Due::Overdue(n) => tr!(tr, "due-overdue", n = n),
            Due::Today => tr!(tr, "due-today"),
            Due::Soon(n) | Due::Later(n) => tr!(tr, "due-in", n = n),
            Due::NoDeadline => tr!(tr, "due-none"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_closed_session_recaps_its_actions_and_celebrations() {
        use crate::{DeviceIdentity, HalfText, PartnershipDoc, ReviewOutcome};
        let a = DeviceIdentity::from_seed([1; 32]);
        let b = DeviceIdentity::from_seed([2; 32]);
        let mut doc = PartnershipDoc::create("Ana", &a).unwrap();
        doc.set_partner_b("Bo", b.public()).unwrap();
        let earlier = doc
            .add_action(Slot::B, "Ask Kim", Some(d("2026-11-20")), None)
            .unwrap();
        let other = doc.add_action(Slot::A, "Read a book", None, None).unwrap();
        let s = doc.new_session(d("2026-11-22")).unwrap();
        doc.set_review_outcome(&s, Slot::B, &earlier, &ReviewOutcome::Done)
            .unwrap();
        doc.mark_action_done(&earlier, d("2026-11-22"), "Kim said yes")
            .unwrap();
        doc.set_review_outcome(&s, Slot::A, &other, &ReviewOutcome::Partly)
            .unwrap();
        doc.append_half_text(&s, Slot::A, HalfText::Goal, "a goal")
            .unwrap();
        doc.add_action(Slot::A, "Call Jo", Some(d("2026-11-29")), Some(&s))
            .unwrap();
        doc.add_action(Slot::B, "Send CV", Some(d("2026-11-27")), Some(&s))
            .unwrap();
        let p = doc.read().unwrap();
        assert!(p.recap(s.as_str()).is_none(), "open: no recap yet");
        assert!(p.current_recap(crate::now_ms()).is_none());
        doc.close_session(&s, "").unwrap();
        let p = doc.read().unwrap();
        let closed = p.session(s.as_str()).unwrap().closed_at_ms.unwrap();
        let r = p
            .current_recap(closed + 60_000)
            .expect("a recap after closing");
        let names = |slot: Slot| -> Vec<&str> {
            r.committed
                .iter()
                .find(|(who, _)| *who == slot)
                .unwrap()
                .1
                .iter()
                .map(|a| a.what.as_str())
                .collect()
        };
        assert_eq!(names(Slot::A), ["Call Jo"]);
        assert_eq!(names(Slot::B), ["Send CV"]);
        assert_eq!(
            r.committed[0].0,
            p.session(s.as_str()).unwrap().coachees()[0]
        );
        let celebrated: Vec<(&str, &str)> = r
            .celebrated
            .iter()
            .map(|a| (a.what.as_str(), a.celebration.as_str()))
            .collect();
        assert_eq!(
            celebrated,
            [("Ask Kim", "Kim said yes")],
            "only what was done"
        );
        assert!(
            p.current_recap(closed + RECAP_FOR_MS + 1).is_none(),
            "the moment passed"
        );
        doc.new_session(d("2026-11-29")).unwrap();
        let p = doc.read().unwrap();
        assert!(
            p.current_recap(closed + 60_000).is_none(),
            "a new session began"
        );
    }

    #[test]
    fn the_next_meeting_follows_the_rhythm_and_skips_a_day_already_held() {
        use crate::{ContractField, DeviceIdentity, PartnershipDoc};
        let a = DeviceIdentity::from_seed([3; 32]);
        let mut doc = PartnershipDoc::create("Ana", &a).unwrap();
        let p = doc.read().unwrap();
        assert_eq!(
            p.next_meeting(d("2026-12-07")),
            None,
            "no rhythm: by agreement"
        );
        doc.set_contract(ContractField::Frequency, "weekly")
            .unwrap();
        doc.set_contract(ContractField::TermStart, "2026-12-04")
            .unwrap();
        doc.set_contract(ContractField::TermEnd, "2027-01-29")
            .unwrap();
        let p = doc.read().unwrap();
        // Fridays from 4 December.
        assert_eq!(p.next_meeting(d("2026-12-07")), Some(d("2026-12-11")));
        assert_eq!(
            p.next_meeting(d("2026-12-11")),
            Some(d("2026-12-11")),
            "today"
        );
        doc.new_session(d("2026-12-11")).unwrap();
        let p = doc.read().unwrap();
        assert_eq!(
            p.next_meeting(d("2026-12-11")),
            Some(d("2026-12-18")),
            "held today: the next one"
        );
        assert_eq!(p.next_meeting(d("2027-02-01")), None, "the term is over");
    }

    #[test]
    fn obstacles_are_grouped_and_small_steps_are_counted_apart() {
        use crate::{DeviceIdentity, PartnershipDoc};
        let a = DeviceIdentity::from_seed([4; 32]);
        let b = DeviceIdentity::from_seed([5; 32]);
        let mut doc = PartnershipDoc::create("Ana", &a).unwrap();
        doc.set_partner_b("Bo", b.public()).unwrap();
        let today = Date::today();
        let soon = today.add_days(3).unwrap();
        let later = today.add_days(40).unwrap();
        let past = today.add_days(-2).unwrap();
        let x = doc
            .add_action(Slot::A, "Call Jo", Some(soon), None)
            .unwrap();
        let y = doc
            .add_action(Slot::B, "Apply at Lumen", Some(later), None)
            .unwrap();
        let z = doc
            .add_action(Slot::A, "Ask Kim", Some(past), None)
            .unwrap();
        for (id, o) in [
            (&x, "I DON'T have enough time"),
            (&x, "i don't  have enough time"),
            (&y, "I don't have enough time"),
            (&y, "my network is weak"),
            (&z, "I don't have enough time"),
        ] {
            doc.add_obstacle(id, o).unwrap();
        }
        let p = doc.read().unwrap();
        let pats = p.obstacle_patterns();
        assert_eq!(pats.len(), 2, "{pats:?}");
        assert_eq!(pats[0].obstacle, "I don't have enough time");
        assert_eq!(pats[0].count, 3, "once per action: {pats:?}");
        assert_eq!(pats[0].by, [2, 1]);
        assert_eq!(pats[0].since, Some(past));
        assert_eq!(
            (pats[1].obstacle.as_str(), pats[1].count),
            ("my network is weak", 1)
        );

        doc.mark_action_done(&x, today, "").unwrap();
        doc.set_action_status(&y, ActionStatus::Dropped).unwrap();
        let p = doc.read().unwrap();
        let rates = p.done_by_horizon(today);
        // Within a week: Call Jo done, Ask Kim past due and open; longer: dropped.
        assert_eq!(
            rates,
            [
                DoneRate {
                    horizon: Horizon::Week,
                    done: 1,
                    settled: 2
                },
                DoneRate {
                    horizon: Horizon::Longer,
                    done: 0,
                    settled: 1
                },
            ]
        );
    }

    #[test]
    fn the_term_review_counts_what_the_term_held() {
        use crate::{ContractField, DeviceIdentity, HalfText, PartnershipDoc};
        let a = DeviceIdentity::from_seed([6; 32]);
        let b = DeviceIdentity::from_seed([7; 32]);
        let mut doc = PartnershipDoc::create("Ana", &a).unwrap();
        doc.set_partner_b("Bo", b.public()).unwrap();
        let today = Date::today();
        let start = today.add_days(-21).unwrap();
        let end = today.add_days(10).unwrap();
        doc.set_contract(ContractField::Frequency, "weekly")
            .unwrap();
        doc.set_contract(ContractField::TermStart, &start.to_string())
            .unwrap();
        doc.set_contract(ContractField::TermEnd, &end.to_string())
            .unwrap();
        let p = doc.read().unwrap();
        assert!(p.term_ending(today), "ten days left");
        assert!(
            !p.term_ending(today.add_days(-10).unwrap()),
            "twenty days left"
        );
        for (i, goal) in ["a first UX job", "a UX job by summer"].iter().enumerate() {
            let s = doc
                .new_session(start.add_days(7 * i as i64).unwrap())
                .unwrap();
            doc.append_half_text(&s, Slot::A, HalfText::Goal, goal)
                .unwrap();
            let x = doc
                .add_action(Slot::A, &format!("step {i}"), Some(today), Some(&s))
                .unwrap();
            doc.add_action(Slot::B, &format!("bo {i}"), Some(today), Some(&s))
                .unwrap();
            doc.add_obstacle(&x, "I don't have enough time").unwrap();
            if i == 0 {
                doc.mark_action_done(&x, today, "").unwrap();
            }
            doc.close_session(&s, "").unwrap();
        }
        let p = doc.read().unwrap();
        let r = p.term_review(today).expect("a term is set");
        assert_eq!(r.held, 2);
        // Weekly over the 31 days from the start: five meetings.
        assert_eq!(r.planned, Some(5));
        assert_eq!((r.done, r.dropped, r.open), (1, 0, 3));
        assert_eq!(r.obstacles[0].obstacle, "I don't have enough time");
        assert_eq!(r.obstacles[0].count, 2);
        assert_eq!(
            r.goals[0],
            (Some("a first UX job"), Some("a UX job by summer"))
        );
        assert_eq!(r.goals[1], (None, None));
        // By number of sessions: ending when one is left.
        doc.set_contract(ContractField::TermSessions, "3").unwrap();
        doc.set_contract(ContractField::TermEnd, "").unwrap();
        let p = doc.read().unwrap();
        assert!(
            p.term_ending(today.add_days(-20).unwrap()),
            "two held of three"
        );
        assert_eq!(p.term_review(today).unwrap().planned, Some(3));
    }

    #[test]
    fn deadlines_read_as_people_say_them() {
        let en = &*Tr::get(cocoach_i18n::Lang::En);
        let nl = &*Tr::get(cocoach_i18n::Lang::Nl);
        let today = d("2026-11-22");
        assert_eq!(
            Due::of(Some(d("2026-11-21")), today).text(en),
            "overdue by 1 day"
        );
        assert_eq!(
            Due::of(Some(d("2026-11-19")), today).text(en),
            "overdue by 3 days"
        );
        assert_eq!(Due::of(Some(today), today).text(en), "due today");
        assert_eq!(
            Due::of(Some(d("2026-11-23")), today).text(en),
            "due tomorrow"
        );
        assert_eq!(
            Due::of(Some(d("2026-11-23")), today).text(nl),
            "deadline morgen"
        );
        assert_eq!(
            Due::of(Some(d("2026-11-19")), today).text(nl),
            "3 dagen te laat"
        );
        assert_eq!(Due::of(Some(d("2026-11-25")), today), Due::Soon(3));
        assert_eq!(Due::of(Some(d("2026-11-26")), today), Due::Later(4));
        assert_eq!(Due::of(None, today), Due::NoDeadline);
    }

    #[test]
    fn missing_actions_needs_a_deadline_from_this_session() {
        let c = |owner, session, has_deadline| Commitment {
            owner,
            session,
            has_deadline,
        };
        let acts = [
            c(Slot::A, Some("s1"), true),
            c(Slot::B, Some("s1"), false),
            c(Slot::B, Some("s0"), true),
        ];
        assert_eq!(missing_actions(acts, "s1"), vec![Slot::B]);
        assert_eq!(missing_actions(acts, "s0"), vec![Slot::A]);
        assert_eq!(missing_actions([], "s1"), vec![Slot::A, Slot::B]);
    }
}
