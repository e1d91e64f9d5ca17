use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, ScalarValue, Value};

use super::read::read_contract;
use super::{PartnershipDoc, TextRef, am, clean_line, clean_text};
use crate::DocError;
use crate::ids::{ActionId, SessionId};
use crate::model::ReviewOutcome;
use crate::practice;
use crate::schema as k;
use crate::time::Date;
use crate::types::{Slot, now_ms};

/// A prose field of one coachee's half of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HalfText {
    Review,
    Goal,
    Reality,
    Will,
    Notes,
}

impl HalfText {
    pub fn key(self) -> &'static str {
        match self {
            HalfText::Review => k::REVIEW,
            HalfText::Goal => k::GOAL,
            HalfText::Reality => k::REALITY,
            HalfText::Will => k::WILL,
            HalfText::Notes => k::NOTES,
        }
    }
}

impl PartnershipDoc {
    // ------------------------------------------------------------------ sessions

    /// Start a new session record on `date`. Place and length come from the contract;
    /// who coaches first follows the contract and alternates if it says so.
    pub fn new_session(&mut self, date: Date) -> Result<SessionId, DocError> {
        let r = self.reader();
        let contract = read_contract(r, &r.fields(&ROOT));
        let mut turns = Vec::new();
        if let Some(sessions) = r.obj(&ROOT, k::SESSIONS, ObjType::Map) {
            for (_, v, obj) in r.fields(&sessions).items {
                if !matches!(v, Value::Object(ObjType::Map)) {
                    continue;
                }
                let f = r.fields(&obj);
                if let (Some(date), Some(coached_first)) =
                    (f.date(r, k::DATE), f.slot(r, k::COACHED_FIRST))
                {
                    turns.push(practice::Turn {
                        date,
                        created_at_ms: f.time(k::CREATED_AT).unwrap_or(0),
                        coached_first,
                    });
                }
            }
        }
        let coach_first = practice::coach_first_on(&contract, turns, date);
        let p_place = contract.place.clone();
        let p_minutes = contract.session_minutes;
        let me = self.my_slot().ok();
        let id = SessionId::random()?;
        let sessions = self.need(&ROOT, k::SESSIONS, ObjType::Map, "sessions")?;
        let s = self
            .doc
            .put_object(&sessions, &id, ObjType::Map)
            .map_err(am)?;
        self.put(&s, k::DATE, date.to_string())?;
        self.put(&s, k::PLACE, p_place.as_str())?;
        match p_minutes {
            Some(m) => self.put(&s, k::MINUTES, m)?,
            None => self.put(&s, k::MINUTES, ScalarValue::Null)?,
        }
        self.put(&s, k::COACHED_FIRST, coach_first.key())?;
        match me {
            Some(m) => self.put(&s, k::CREATED_BY, m.key())?,
            None => self.put(&s, k::CREATED_BY, ScalarValue::Null)?,
        }
        self.put(&s, k::CREATED_AT, ScalarValue::Timestamp(now_ms()))?;
        self.put(&s, k::CLOSED_AT, ScalarValue::Null)?;
        self.put(&s, k::SKIP_REASON, "")?;
        let halves = self
            .doc
            .put_object(&s, k::HALVES, ObjType::Map)
            .map_err(am)?;
        for slot in Slot::BOTH {
            let h = self
                .doc
                .put_object(&halves, slot.key(), ObjType::Map)
                .map_err(am)?;
            for key in [k::REVIEW, k::GOAL, k::REALITY, k::WILL, k::NOTES] {
                self.doc.put_object(&h, key, ObjType::Text).map_err(am)?;
            }
            self.doc
                .put_object(&h, k::REVIEWED, ObjType::Map)
                .map_err(am)?;
            self.doc
                .put_object(&h, k::OPTIONS, ObjType::List)
                .map_err(am)?;
            self.doc
                .put_object(&h, k::DECLINED, ObjType::List)
                .map_err(am)?;
        }
        self.note("start a session");
        Ok(id)
    }

    /// Start the getting-to-know meeting: each partner tells where they are in
    /// their career, what they want to change and how they like to be coached, and
    /// they agree the contract in it. Its halves hold the same fields as any
    /// session's (situation in `reality`, wishes in `goal`, how they like to work
    /// in `notes`).
    pub fn new_first_meeting(&mut self, date: Date) -> Result<SessionId, DocError> {
        let id = self.new_session(date)?;
        let s = self.session_obj(&id)?;
        self.put(&s, k::KIND, k::KIND_FIRST_MEETING)?;
        Ok(id)
    }

    /// Move a session to another day (rescheduled). Who coaches first stays as it
    /// was decided when the session started.
    pub fn set_session_date(&mut self, session: &SessionId, date: Date) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        self.put(&s, k::DATE, date.to_string())?;
        self.note("edit a session");
        Ok(())
    }

    pub fn set_session_place(&mut self, session: &SessionId, place: &str) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        self.put(&s, k::PLACE, clean_text(place))?;
        self.note("edit a session");
        Ok(())
    }

    /// The partners agreed to swap who coaches first in this session.
    pub fn set_session_coached_first(
        &mut self,
        session: &SessionId,
        coach: Slot,
    ) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        self.put(&s, k::COACHED_FIRST, coach.key())?;
        self.note("edit a session");
        Ok(())
    }

    /// Close a session. `skip_reason` must be given unless each partner has an open
    /// action with a deadline from this session.
    pub fn close_session(
        &mut self,
        session: &SessionId,
        skip_reason: &str,
    ) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        let r = self.reader();
        let mut commitments = Vec::new();
        if let Some(actions) = r.obj(&ROOT, k::ACTIONS, ObjType::Map) {
            for (_, v, obj) in r.fields(&actions).items {
                if !matches!(v, Value::Object(ObjType::Map)) {
                    continue;
                }
                let f = r.fields(&obj);
                if let Some(owner) = f.slot(r, k::OWNER) {
                    commitments.push((owner, f.opt_string(r, k::SESSION), f.date(r, k::DEADLINE)));
                }
            }
        }
        let missing = practice::missing_actions(
            commitments
                .iter()
                .map(|(owner, s, d)| practice::Commitment {
                    owner: *owner,
                    session: s.as_deref(),
                    has_deadline: d.is_some(),
                }),
            session,
        );
        let reason = clean_text(skip_reason);
        if reason.trim().is_empty() && !missing.is_empty() {
            // The practice's rule, the same the window shows: a first meeting that
            // agreed the contract needs no actions.
            let p = self.read()?;
            if !p.missing_actions(session).is_empty() {
                return Err(DocError::SessionNeedsActions);
            }
        }
        self.put(&s, k::CLOSED_AT, ScalarValue::Timestamp(now_ms()))?;
        self.put(&s, k::SKIP_REASON, reason)?;
        self.note("close a session");
        Ok(())
    }

    /// Replace a prose field of a half (the whole new text, as a text box gives it).
    pub fn set_half_text(
        &mut self,
        session: &SessionId,
        coachee: Slot,
        field: HalfText,
        text: &str,
    ) -> Result<(), DocError> {
        let h = self.half_obj(session, coachee)?;
        let t = self.text_field(&h, field.key())?;
        self.update_text(&t, text)?;
        self.note("edit session notes");
        Ok(())
    }

    /// Append a paragraph to a prose field of a half.
    pub fn append_half_text(
        &mut self,
        session: &SessionId,
        coachee: Slot,
        field: HalfText,
        text: &str,
    ) -> Result<(), DocError> {
        let h = self.half_obj(session, coachee)?;
        let t = self.text_field(&h, field.key())?;
        self.append_text(&t, text)?;
        self.note("edit session notes");
        Ok(())
    }

    /// Fine-grained edit of a prose field: delete `delete` chars at `pos` (Unicode code
    /// points, as egui counts) and insert `insert`.
    pub fn splice_half_text(
        &mut self,
        session: &SessionId,
        coachee: Slot,
        field: HalfText,
        pos: usize,
        delete: usize,
        insert: &str,
    ) -> Result<(), DocError> {
        let r = TextRef::Half {
            session: session.clone(),
            coachee,
            field,
        };
        self.splice(&r, pos, delete, insert)
    }

    /// "What else?": add an option to the coachee's brainstorm. Returns its index.
    pub fn add_option(
        &mut self,
        session: &SessionId,
        coachee: Slot,
        text: &str,
    ) -> Result<usize, DocError> {
        let h = self.half_obj(session, coachee)?;
        let list = self.need(&h, k::OPTIONS, ObjType::List, "options")?;
        let n = self.doc.length(&list);
        let t = self
            .doc
            .insert_object(&list, n, ObjType::Text)
            .map_err(am)?;
        self.doc
            .splice_text(&t, 0, 0, &clean_text(text))
            .map_err(am)?;
        self.note("add an option");
        Ok(n)
    }

    pub fn remove_option(
        &mut self,
        session: &SessionId,
        coachee: Slot,
        index: usize,
    ) -> Result<(), DocError> {
        let h = self.half_obj(session, coachee)?;
        let list = self.need(&h, k::OPTIONS, ObjType::List, "options")?;
        if index >= self.doc.length(&list) {
            return Err(DocError::NotFound {
                what: "option",
                id: (index + 1).to_string(),
            });
        }
        self.doc.delete(&list, index).map_err(am)?;
        self.note("remove an option");
        Ok(())
    }

    /// Mark that the coachee declined a topic. Only the moment is recorded, never the topic.
    pub fn mark_declined(&mut self, session: &SessionId, coachee: Slot) -> Result<(), DocError> {
        let h = self.half_obj(session, coachee)?;
        let list = self.need(&h, k::DECLINED, ObjType::List, "declined")?;
        let n = self.doc.length(&list);
        self.doc
            .insert(&list, n, ScalarValue::Timestamp(now_ms()))
            .map_err(am)?;
        self.note("decline a topic");
        Ok(())
    }

    /// Record the outcome of reviewing an earlier action in this half.
    pub fn set_review_outcome(
        &mut self,
        session: &SessionId,
        coachee: Slot,
        action: &ActionId,
        outcome: &ReviewOutcome,
    ) -> Result<(), DocError> {
        self.action_obj(action)?;
        let h = self.half_obj(session, coachee)?;
        let m = self.need(&h, k::REVIEWED, ObjType::Map, "reviewed")?;
        self.put(
            &m,
            action,
            clean_line(outcome.as_str(), "outcome")?.as_str(),
        )?;
        self.note("review an action");
        Ok(())
    }
}
