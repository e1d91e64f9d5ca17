//! Over the term: when the rhythm plans the next meeting, whether the term is
//! near its end, and the review that looks back over it.

use crate::model::{Action, ActionStatus, Partnership, Session};
use crate::time::Date;
use crate::types::Slot;
use cocoach_i18n::{Tr, tr};

use super::patterns::ObstaclePattern;

use super::patterns::obstacle_patterns_of;

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

impl Partnership {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
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
}
