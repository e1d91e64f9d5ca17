use automerge::transaction::Transactable;
use automerge::{ObjType, ROOT, ReadDoc, ScalarValue};

use super::{PartnershipDoc, am, clean_line, clean_text};
use crate::DocError;
use crate::ids::{ActionId, SessionId};
use crate::model::ActionStatus;
use crate::schema as k;
use crate::time::Date;
use crate::types::{Slot, now_ms};

impl PartnershipDoc {
    // ------------------------------------------------------------------ actions

    /// Commit to an action. Returns its id.
    pub fn add_action(
        &mut self,
        owner: Slot,
        what: &str,
        deadline: Option<Date>,
        session: Option<&SessionId>,
    ) -> Result<ActionId, DocError> {
        let what = clean_text(what);
        if what.trim().is_empty() {
            return Err(DocError::InvalidValue {
                field: "action",
                reason: "say what the action is".into(),
            });
        }
        if let Some(s) = session {
            self.session_obj(s)?;
        }
        let me = self.my_slot().ok();
        let id = ActionId::random()?;
        let actions = self.need(&ROOT, k::ACTIONS, ObjType::Map, "actions")?;
        let a = self
            .doc
            .put_object(&actions, &id, ObjType::Map)
            .map_err(am)?;
        self.put(&a, k::OWNER, owner.key())?;
        let t = self
            .doc
            .put_object(&a, k::WHAT, ObjType::Text)
            .map_err(am)?;
        self.doc.splice_text(&t, 0, 0, &what).map_err(am)?;
        match deadline {
            Some(d) => self.put(&a, k::DEADLINE, d.to_string())?,
            None => self.put(&a, k::DEADLINE, ScalarValue::Null)?,
        }
        self.put(&a, k::STATUS, ActionStatus::Open.as_str())?;
        match session {
            Some(s) => self.put(&a, k::SESSION, s)?,
            None => self.put(&a, k::SESSION, ScalarValue::Null)?,
        }
        self.doc
            .put_object(&a, k::OBSTACLES, ObjType::List)
            .map_err(am)?;
        self.put(&a, k::DONE_ON, ScalarValue::Null)?;
        self.doc
            .put_object(&a, k::CELEBRATION, ObjType::Text)
            .map_err(am)?;
        self.put(&a, k::CREATED_AT, ScalarValue::Timestamp(now_ms()))?;
        match me {
            Some(m) => self.put(&a, k::CREATED_BY, m.key())?,
            None => self.put(&a, k::CREATED_BY, ScalarValue::Null)?,
        }
        self.note("add an action");
        Ok(id)
    }

    pub fn set_action_text(&mut self, id: &ActionId, what: &str) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        let t = self.text_field(&a, k::WHAT)?;
        self.update_text(&t, what)?;
        self.note("edit an action");
        Ok(())
    }

    pub fn set_action_deadline(
        &mut self,
        id: &ActionId,
        deadline: Option<Date>,
    ) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        match deadline {
            Some(d) => self.put(&a, k::DEADLINE, d.to_string())?,
            None => self.put(&a, k::DEADLINE, ScalarValue::Null)?,
        }
        self.note("edit an action");
        Ok(())
    }

    /// Mark an action done on `on`, with a note celebrating it.
    pub fn mark_action_done(
        &mut self,
        id: &ActionId,
        on: Date,
        celebration: &str,
    ) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        self.put(&a, k::STATUS, ActionStatus::Done.as_str())?;
        self.put(&a, k::DONE_ON, on.to_string())?;
        if !celebration.trim().is_empty() {
            let t = self.text_field(&a, k::CELEBRATION)?;
            self.update_text(&t, &clean_text(celebration))?;
        }
        self.note("complete an action");
        Ok(())
    }

    /// Reopen or drop an action.
    pub fn set_action_status(
        &mut self,
        id: &ActionId,
        status: ActionStatus,
    ) -> Result<(), DocError> {
        if status == ActionStatus::Done {
            return self.mark_action_done(id, Date::today(), "");
        }
        let a = self.action_obj(id)?;
        self.put(&a, k::STATUS, status.as_str())?;
        self.put(&a, k::DONE_ON, ScalarValue::Null)?;
        self.note("change an action's status");
        Ok(())
    }

    pub fn set_celebration(&mut self, id: &ActionId, text: &str) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        let t = self.text_field(&a, k::CELEBRATION)?;
        self.update_text(&t, text)?;
        self.note("celebrate an action");
        Ok(())
    }

    /// Record an obstacle met on the way ("no time", "my network is weak", …).
    pub fn add_obstacle(&mut self, id: &ActionId, obstacle: &str) -> Result<(), DocError> {
        let obstacle = clean_line(obstacle, "obstacle")?;
        let a = self.action_obj(id)?;
        let list = self.need(&a, k::OBSTACLES, ObjType::List, "obstacles")?;
        let n = self.doc.length(&list);
        self.doc.insert(&list, n, obstacle.as_str()).map_err(am)?;
        self.note("note an obstacle");
        Ok(())
    }

    /// Take back an obstacle noted by mistake (by its position, 0-based).
    pub fn remove_obstacle(&mut self, id: &ActionId, index: usize) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        let list = self.need(&a, k::OBSTACLES, ObjType::List, "obstacles")?;
        if index >= self.doc.length(&list) {
            return Err(DocError::NotFound {
                what: "obstacle",
                id: (index + 1).to_string(),
            });
        }
        self.doc.delete(&list, index).map_err(am)?;
        self.note("remove an obstacle");
        Ok(())
    }
}
