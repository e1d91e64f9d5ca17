use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ReadDoc};

use super::{HalfText, PartnershipDoc, am};
use crate::DocError;
use crate::ids::{ActionId, SessionId};
use crate::schema as k;
use crate::textmerge::{self, Splice};
use crate::types::Slot;

/// A prose field of the shared document that is edited character by character, so
/// both partners can type in it at once and every keystroke merges.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextRef {
    Half {
        session: SessionId,
        coachee: Slot,
        field: HalfText,
    },
    /// One entry of the coachee's options list.
    Option {
        session: SessionId,
        coachee: Slot,
        index: usize,
    },
    ActionWhat(ActionId),
    Celebration(ActionId),
}

impl PartnershipDoc {
    fn text_obj(&self, r: &TextRef) -> Result<ObjId, DocError> {
        match r {
            TextRef::Half {
                session,
                coachee,
                field,
            } => {
                let h = self.half_obj(session, *coachee)?;
                self.text_field(&h, field.key())
            }
            TextRef::Option {
                session,
                coachee,
                index,
            } => {
                let h = self.half_obj(session, *coachee)?;
                let list = self.need(&h, k::OPTIONS, ObjType::List, "options")?;
                self.reader()
                    .obj(&list, *index, ObjType::Text)
                    .ok_or(DocError::NotFound {
                        what: "option",
                        id: (index + 1).to_string(),
                    })
            }
            TextRef::ActionWhat(id) => {
                let a = self.action_obj(id)?;
                self.text_field(&a, k::WHAT)
            }
            TextRef::Celebration(id) => {
                let a = self.action_obj(id)?;
                self.text_field(&a, k::CELEBRATION)
            }
        }
    }

    /// The current text of a prose field (cheap: reads that one object only).
    pub fn text_of(&self, r: &TextRef) -> Result<String, DocError> {
        let t = self.text_obj(r)?;
        self.doc.text(&t).map_err(am)
    }

    /// Fine-grained edit of any prose field: delete `delete` chars at `pos` (Unicode
    /// code points, as egui counts) and insert `insert`.
    pub fn splice(
        &mut self,
        r: &TextRef,
        pos: usize,
        delete: usize,
        insert: &str,
    ) -> Result<(), DocError> {
        let t = self.text_obj(r)?;
        let len = self.doc.length(&t);
        if pos > len || pos + delete > len {
            return Err(DocError::InvalidValue {
                field: "text position",
                reason: format!("{pos}+{delete} is past the end ({len})"),
            });
        }
        let del = isize::try_from(delete).map_err(|_| DocError::InvalidValue {
            field: "text position",
            reason: "too large".into(),
        })?;
        self.doc.splice_text(&t, pos, del, insert).map_err(am)?;
        self.note(match r {
            TextRef::Half { .. } => "edit session notes",
            TextRef::Option { .. } => "edit an option",
            TextRef::ActionWhat(_) => "edit an action",
            TextRef::Celebration(_) => "celebrate an action",
        });
        Ok(())
    }

    /// Apply splices a text box made on `base` to the field as it is now: they are
    /// carried over whatever changed since (the partner's typing), so both survive.
    /// The result is what [`crate::textmerge::merge`] showed in the text box.
    pub fn apply_splices(
        &mut self,
        field: &TextRef,
        base: &str,
        ops: &[Splice],
    ) -> Result<(), DocError> {
        let current = self.text_of(field)?;
        let ops = match textmerge::diff(base, &current) {
            Some(remote) => textmerge::rebase(ops, &remote).0,
            None => ops.to_vec(),
        };
        for op in ops {
            let len = self.text_of(field)?.chars().count();
            let pos = op.pos.min(len);
            let del = op.del.min(len - pos);
            if del > 0 || !op.ins.is_empty() {
                self.splice(field, pos, del, &op.ins)?;
            }
        }
        Ok(())
    }
}
