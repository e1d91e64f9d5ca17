use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};

use super::{ContractField, PartnershipDoc, am};
use crate::DocError;
use crate::schema as k;
use crate::types::Slot;

/// One field that the two partners set to different values while apart. Nothing is
/// dropped: every concurrent value is listed until someone picks one.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Human-readable name of the field, e.g. "contract: where".
    pub label: String,
    /// Every concurrent value, rendered for display; the first is the one reads show.
    pub values: Vec<String>,
    obj: ObjId,
    prop: Prop,
}

impl PartnershipDoc {
    // ------------------------------------------------------------------ conflicts

    /// Every single-valued field that holds concurrent values from the two partners.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let r = self.reader();
        let mut out = Vec::new();
        let mut check = |obj: &ObjId, prop: Prop, label: String| {
            let all = r.get_all(obj, prop.clone());
            if all.len() > 1 {
                out.push(Conflict {
                    label,
                    values: all.iter().map(|(v, _)| display_value(v)).collect(),
                    obj: obj.clone(),
                    prop,
                });
            }
        };
        if let Some(partners) = self.partners_obj_r(r) {
            for s in Slot::BOTH {
                if let Some(p) = r.obj(&partners, s.key(), ObjType::Map) {
                    check(
                        &p,
                        k::NAME.into(),
                        format!("partner {}: name", s.key().to_uppercase()),
                    );
                }
            }
        }
        if let Some(c) = r.obj(&ROOT, k::CONTRACT, ObjType::Map) {
            for f in ContractField::ALL {
                check(&c, f.key().into(), format!("contract: {}", f.label()));
            }
            if let Some(list) = r.obj(&c, k::GROUND_RULES, ObjType::List) {
                for i in 0..r.len(&list) {
                    check(&list, i.into(), format!("contract: ground rule {}", i + 1));
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
                let keys = [
                    k::DATE,
                    k::PLACE,
                    k::MINUTES,
                    k::COACHED_FIRST,
                    k::SKIP_REASON,
                ];
                for key in conflicted(&s) {
                    if keys.contains(&key.as_str()) {
                        check(&s, key.as_str().into(), format!("session {id}: {key}"));
                    }
                }
                if let Some(halves) = r.obj(&s, k::HALVES, ObjType::Map) {
                    for slot in Slot::BOTH {
                        let rev = r
                            .obj(&halves, slot.key(), ObjType::Map)
                            .and_then(|h| r.obj(&h, k::REVIEWED, ObjType::Map));
                        if let Some(rev) = rev {
                            for a in conflicted(&rev) {
                                check(
                                    &rev,
                                    a.as_str().into(),
                                    format!("session {id}: review of action {a}"),
                                );
                            }
                        }
                    }
                }
            }
        }
        if let Some(actions) = r.obj(&ROOT, k::ACTIONS, ObjType::Map) {
            let keys = [k::OWNER, k::DEADLINE, k::STATUS, k::DONE_ON, k::SESSION];
            for (id, a) in records(&actions) {
                for key in conflicted(&a) {
                    if keys.contains(&key.as_str()) {
                        check(&a, key.as_str().into(), format!("action {id}: {key}"));
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
