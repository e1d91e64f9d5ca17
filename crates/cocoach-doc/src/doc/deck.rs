//! The partners' own questions for the coach's deck, shared like the notes.
//!
//! Each partner's questions live in their own place,
//! `partnership.partners.<slot>.questions` (a key added later: documents without it
//! have none). Only that partner's device adds the map, the first time it adds a
//! question, and each question is a map of its own under a fresh id — so no two
//! devices ever race to create the same object, and two questions added at once on
//! both devices are both kept.

use automerge::transaction::Transactable;
use automerge::{ObjType, ScalarValue, Value};

use super::read::{Fields, Reader};
use super::{PartnershipDoc, am, clean_line};
use crate::DocError;
use crate::ids::QuestionId;
use crate::model::{Question, Stage};
use crate::schema as k;
use crate::types::{Slot, now_ms};

/// Longest question kept, in characters: a question, not an essay.
pub const MAX_QUESTION_CHARS: usize = 300;

impl PartnershipDoc {
    /// Add a question of this device's partner to the shared deck, for `stage`.
    pub fn add_question(&mut self, stage: Stage, text: &str) -> Result<QuestionId, DocError> {
        let text = clean_line(text, "question")?;
        if text.chars().count() > MAX_QUESTION_CHARS {
            return Err(DocError::InvalidValue {
                field: "question",
                reason: format!("keep it under {MAX_QUESTION_CHARS} characters"),
            });
        }
        let me = self.my_slot()?;
        let partners = self
            .partners_obj_r(self.reader())
            .ok_or(DocError::Schema("partners"))?;
        let place = self.need(&partners, me.key(), ObjType::Map, "partner")?;
        // Only this partner's device ever makes its own `questions` map.
        let questions = match self.reader().obj(&place, k::QUESTIONS, ObjType::Map) {
            Some(q) => q,
            None => self
                .doc
                .put_object(&place, k::QUESTIONS, ObjType::Map)
                .map_err(am)?,
        };
        let id = QuestionId::random()?;
        let q = self
            .doc
            .put_object(&questions, &id, ObjType::Map)
            .map_err(am)?;
        self.put(&q, k::STAGE, stage.as_str())?;
        self.put(&q, k::TEXT, text.as_str())?;
        self.put(&q, k::CREATED_AT, ScalarValue::Timestamp(now_ms()))?;
        self.note("add a question to the deck");
        Ok(id)
    }

    /// Take a question (either partner's) out of the deck.
    pub fn remove_question(&mut self, id: &QuestionId) -> Result<(), DocError> {
        let partners = self
            .partners_obj_r(self.reader())
            .ok_or(DocError::Schema("partners"))?;
        for slot in Slot::BOTH {
            let r = self.reader();
            let Some(questions) = r
                .obj(&partners, slot.key(), ObjType::Map)
                .and_then(|place| r.obj(&place, k::QUESTIONS, ObjType::Map))
            else {
                continue;
            };
            if r.obj(&questions, id.as_str(), ObjType::Map).is_some() {
                self.doc.delete(&questions, id.as_str()).map_err(am)?;
                self.note("remove a question from the deck");
                return Ok(());
            }
        }
        Err(DocError::NotFound {
            what: "question",
            id: id.to_string(),
        })
    }
}

/// Both partners' questions, oldest first.
pub(super) fn read_questions(r: Reader<'_>, partnership: &Fields) -> Vec<Question> {
    let Some(partners) = partnership.obj(k::PARTNERS, ObjType::Map) else {
        return Vec::new();
    };
    let partners = r.fields(&partners);
    let mut out = Vec::new();
    for slot in Slot::BOTH {
        let Some(questions) = partners
            .obj(slot.key(), ObjType::Map)
            .and_then(|place| r.fields(&place).obj(k::QUESTIONS, ObjType::Map))
        else {
            continue;
        };
        for (id, v, obj) in r.fields(&questions).items {
            if !matches!(v, Value::Object(ObjType::Map)) {
                continue;
            }
            let f = r.fields(&obj);
            let text = f.string(r, k::TEXT);
            if text.trim().is_empty() {
                continue;
            }
            out.push(Question {
                id: QuestionId::from_stored(id),
                by: slot,
                stage: f.opt_string(r, k::STAGE).and_then(|s| Stage::parse(&s)),
                text,
                created_at_ms: f.time(k::CREATED_AT).unwrap_or(0),
            });
        }
    }
    out.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
    out
}
