use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};

use super::{ContractField, PartnershipDoc, am};
use crate::DocError;
use crate::ids::{ActionId, SessionId};
use crate::schema as k;
use crate::types::Slot;

/// A single-valued field of a session that can hold concurrent values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionField {
    Date,
    Place,
    Minutes,
    CoachedFirst,
    SkipReason,
}

impl SessionField {
    pub const ALL: [SessionField; 5] = [
        SessionField::Date,
        SessionField::Place,
        SessionField::Minutes,
        SessionField::CoachedFirst,
        SessionField::SkipReason,
    ];

    /// The field's key in the document (and in conflict labels).
    pub fn key(self) -> &'static str {
        match self {
            SessionField::Date => k::DATE,
            SessionField::Place => k::PLACE,
            SessionField::Minutes => k::MINUTES,
            SessionField::CoachedFirst => k::COACHED_FIRST,
            SessionField::SkipReason => k::SKIP_REASON,
        }
    }
}

/// A single-valued field of an action that can hold concurrent values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionField {
    Owner,
    Deadline,
    Status,
    DoneOn,
    Session,
}

impl ActionField {
    pub const ALL: [ActionField; 5] = [
        ActionField::Owner,
        ActionField::Deadline,
        ActionField::Status,
        ActionField::DoneOn,
        ActionField::Session,
    ];

    /// The field's key in the document (and in conflict labels).
    pub fn key(self) -> &'static str {
        match self {
            ActionField::Owner => k::OWNER,
            ActionField::Deadline => k::DEADLINE,
            ActionField::Status => k::STATUS,
            ActionField::DoneOn => k::DONE_ON,
            ActionField::Session => k::SESSION,
        }
    }
}

/// What a conflict is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConflictAbout {
    PartnerName(Slot),
    ContractTerm(ContractField),
    /// A ground rule, by its position (0-based).
    GroundRule(usize),
    Session {
        id: SessionId,
        field: SessionField,
    },
    /// The outcome recorded when reviewing an action in a session.
    Review {
        session: SessionId,
        action: ActionId,
    },
    Action {
        id: ActionId,
        field: ActionField,
    },
}

impl ConflictAbout {
    /// Part of the contract: signing waits until it is settled.
    pub fn is_contract(&self) -> bool {
        matches!(
            self,
            ConflictAbout::ContractTerm(_) | ConflictAbout::GroundRule(_)
        )
    }

    /// The field's name within its record: "where", "ground rule 2", "deadline".
    pub fn name(&self) -> String {
        match self {
            ConflictAbout::PartnerName(_) => "name".into(),
            ConflictAbout::ContractTerm(f) => f.label().into(),
            ConflictAbout::GroundRule(i) => format!("ground rule {}", i + 1),
            ConflictAbout::Session { field, .. } => field.key().into(),
            ConflictAbout::Review { action, .. } => format!("review of action {action}"),
            ConflictAbout::Action { field, .. } => field.key().into(),
        }
    }

    /// The record and the field, e.g. "contract: where", "action 3f2a…: deadline".
    pub fn label(&self) -> String {
        let name = self.name();
        match self {
            ConflictAbout::PartnerName(s) => format!("partner {}: {name}", s.key().to_uppercase()),
            ConflictAbout::ContractTerm(_) | ConflictAbout::GroundRule(_) => {
                format!("contract: {name}")
            }
            ConflictAbout::Session { id, .. } | ConflictAbout::Review { session: id, .. } => {
                format!("session {id}: {name}")
            }
            ConflictAbout::Action { id, .. } => format!("action {id}: {name}"),
        }
    }
}

/// One field that the two partners set to different values while apart. Nothing is
/// dropped: every concurrent value is listed until someone picks one.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub about: ConflictAbout,
    /// Every concurrent value, rendered for display; the first is the one reads show.
    pub values: Vec<String>,
    obj: ObjId,
    prop: Prop,
}

impl Conflict {
    /// The record and the field, for a list of conflicts.
    pub fn label(&self) -> String {
        self.about.label()
    }
}

impl PartnershipDoc {
    // ------------------------------------------------------------------ conflicts

    /// Every single-valued field that holds concurrent values from the two partners.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let r = self.reader();
        let mut out = Vec::new();
        let mut check = |obj: &ObjId, prop: Prop, about: ConflictAbout| {
            let all = r.get_all(obj, prop.clone());
            if all.len() > 1 {
                out.push(Conflict {
                    about,
                    values: all.iter().map(|(v, _)| display_value(v)).collect(),
                    obj: obj.clone(),
                    prop,
                });
            }
        };
        if let Some(partners) = self.partners_obj_r(r) {
            for s in Slot::BOTH {
                if let Some(p) = r.obj(&partners, s.key(), ObjType::Map) {
                    check(&p, k::NAME.into(), ConflictAbout::PartnerName(s));
                }
            }
        }
        if let Some(c) = r.obj(&ROOT, k::CONTRACT, ObjType::Map) {
            for f in ContractField::ALL {
                check(&c, f.key().into(), ConflictAbout::ContractTerm(f));
            }
            if let Some(list) = r.obj(&c, k::GROUND_RULES, ObjType::List) {
                for i in 0..r.len(&list) {
                    check(&list, i.into(), ConflictAbout::GroundRule(i));
                }
            }
        }
        // Thousands of records: one pass over each map finds its conflicted keys
        // (Automerge flags them), and only those are read in full.
        let doc = &self.doc;
        let records = |parent: &ObjId| -> Vec<(String, ObjId)> {
            doc.map_range(parent, ..)
                .filter(|i| matches!(i.value, automerge::ValueRef::Object(ObjType::Map)))
                .map(|i| (i.key.to_string(), i.id()))
                .collect()
        };
        let conflicted = |obj: &ObjId| -> Vec<String> {
            doc.map_range(obj, ..)
                .filter(|i| i.conflict)
                .map(|i| i.key.to_string())
                .collect()
        };
        if let Some(sessions) = r.obj(&ROOT, k::SESSIONS, ObjType::Map) {
            for (id, s) in records(&sessions) {
                for key in conflicted(&s) {
                    if let Some(field) = SessionField::ALL.into_iter().find(|f| f.key() == key) {
                        let about = ConflictAbout::Session {
                            id: SessionId::from_stored(id.as_str()),
                            field,
                        };
                        check(&s, key.as_str().into(), about);
                    }
                }
                if let Some(halves) = r.obj(&s, k::HALVES, ObjType::Map) {
                    for slot in Slot::BOTH {
                        let rev = r
                            .obj(&halves, slot.key(), ObjType::Map)
                            .and_then(|h| r.obj(&h, k::REVIEWED, ObjType::Map));
                        if let Some(rev) = rev {
                            for a in conflicted(&rev) {
                                let prop = a.as_str().into();
                                let about = ConflictAbout::Review {
                                    session: SessionId::from_stored(id.as_str()),
                                    action: ActionId::from_stored(a),
                                };
                                check(&rev, prop, about);
                            }
                        }
                    }
                }
            }
        }
        if let Some(actions) = r.obj(&ROOT, k::ACTIONS, ObjType::Map) {
            for (id, a) in records(&actions) {
                for key in conflicted(&a) {
                    if let Some(field) = ActionField::ALL.into_iter().find(|f| f.key() == key) {
                        let about = ConflictAbout::Action {
                            id: ActionId::from_stored(id.as_str()),
                            field,
                        };
                        check(&a, key.as_str().into(), about);
                    }
                }
            }
        }
        out
    }

    /// Settle a conflict by keeping value number `choice` (an index into `values`).
    pub fn resolve_conflict(&mut self, conflict: &Conflict, choice: usize) -> Result<(), DocError> {
        let all = self
            .doc
            .get_all(&conflict.obj, conflict.prop.clone())
            .map_err(am)?;
        let Some((v, _)) = all.get(choice) else {
            return Err(DocError::NotFound {
                what: "choice",
                id: (choice + 1).to_string(),
            });
        };
        let Value::Scalar(s) = v else {
            return Err(DocError::InvalidValue {
                field: "conflict",
                reason: "only single values can be picked".into(),
            });
        };
        let s = s.clone().into_owned();
        self.doc
            .put(&conflict.obj, conflict.prop.clone(), s)
            .map_err(am)?;
        self.note("resolve a conflict");
        Ok(())
    }
}

fn display_value(v: &Value<'_>) -> String {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            ScalarValue::Int(i) => i.to_string(),
            ScalarValue::Uint(u) => u.to_string(),
            ScalarValue::F64(f) => f.to_string(),
            ScalarValue::Boolean(b) => b.to_string(),
            ScalarValue::Null => "(empty)".into(),
            ScalarValue::Timestamp(t) => t.to_string(),
            ScalarValue::Bytes(_) => "(binary)".into(),
            _ => "(value)".into(),
        },
        Value::Object(_) => "(an object)".into(),
    }
}
