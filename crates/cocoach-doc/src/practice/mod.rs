//! The rules of the co-coaching practice, in one place.
//!
//! Who coaches first, what still keeps a session open, which actions a coachee
//! reviews, how a deadline reads, how a contract term and the agreement read. The
//! document's edits enforce these rules ([`crate::PartnershipDoc::new_session`],
//! [`crate::PartnershipDoc::close_session`]) and the window and the command line show
//! them by calling the same functions, so a preview can never disagree with what the
//! document then does.
//!
//! One folder, a file per concern (the rules stay in this crate, one home for
//! each): this file holds the session's own rules (who coaches first, what keeps a
//! session open, which actions a coachee reviews, how a deadline, a contract term
//! and the agreement read); `deck.rs` the coach's question deck; `patterns.rs`
//! what recurs across actions; `term.rs` the next meeting and the term's review;
//! `recap.rs` the recap when a session closes.

mod deck;
mod patterns;
mod recap;
mod term;

pub use deck::{Card, built_in_deck};
pub use patterns::{DoneRate, Horizon, ObstaclePattern, common_obstacles};
pub use recap::{RECAP_FOR_MS, Recap};
pub use term::{TERM_ENDING_DAYS, TermReview};

use crate::doc::ContractField;
use crate::model::{
    Action, ActionStatus, Agreement, Contract, Partnership, Session, SignatureState, Turns,
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
