//! The recap when a session closes: each partner's new actions and what was
//! celebrated, the moment the practice says to celebrate progress.

use crate::model::{Action, Partnership, Session};
use crate::types::Slot;

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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Date;

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
}
