use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};

use super::PartnershipDoc;
use crate::DocError;
use crate::identity::{self, StoredSignature};
use crate::ids::{ActionId, PartnershipId, SessionId};
use crate::model::{
    Action, ActionStatus, Contract, ContractSignatures, Frequency, Half, MeetingTime, OffLimits,
    Partner, Partnership, ReviewOutcome, SeenSignature, Session, SignatureState, Term, Turns,
};
use crate::schema as k;
use crate::time::Date;
use crate::types::{DeviceKey, Slot};

/// A scalar string, or a Text object's content, as a String.
pub(super) fn value_string(r: Reader<'_>, v: &Value<'_>, id: &ObjId) -> Option<String> {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        Value::Object(ObjType::Text) => Some(r.text(id)),
        Value::Object(_) => None,
    }
}

/// A whole number stored as either signed or unsigned.
pub(super) fn scalar_u64(s: &ScalarValue) -> Option<u64> {
    match s {
        ScalarValue::Uint(v) => Some(*v),
        ScalarValue::Int(v) => u64::try_from(*v).ok(),
        _ => None,
    }
}

/// Milliseconds since the epoch, stored as a timestamp or a plain number.
pub(super) fn scalar_time(s: &ScalarValue) -> Option<i64> {
    match s {
        ScalarValue::Timestamp(v) | ScalarValue::Int(v) => Some(*v),
        ScalarValue::Uint(v) => i64::try_from(*v).ok(),
        _ => None,
    }
}

/// All entries of one map, read in a single pass (much cheaper than one `get` per key).
pub(super) struct Fields {
    pub(super) items: Vec<(String, Value<'static>, ObjId)>,
}

impl Fields {
    pub(super) fn get(&self, key: &str) -> Option<&(String, Value<'static>, ObjId)> {
        self.items.iter().find(|(k, _, _)| k == key)
    }

    pub(super) fn obj(&self, key: &str, ty: ObjType) -> Option<ObjId> {
        match self.get(key)? {
            (_, Value::Object(t), id) if *t == ty => Some(id.clone()),
            _ => None,
        }
    }

    pub(super) fn scalar(&self, key: &str) -> Option<&ScalarValue> {
        match self.get(key)? {
            (_, Value::Scalar(s), _) => Some(s.as_ref()),
            _ => None,
        }
    }

    pub(super) fn opt_string(&self, r: Reader<'_>, key: &str) -> Option<String> {
        let (_, v, id) = self.get(key)?;
        value_string(r, v, id)
    }

    pub(super) fn string(&self, r: Reader<'_>, key: &str) -> String {
        self.opt_string(r, key).unwrap_or_default()
    }

    pub(super) fn u64(&self, key: &str) -> Option<u64> {
        scalar_u64(self.scalar(key)?)
    }

    pub(super) fn time(&self, key: &str) -> Option<i64> {
        scalar_time(self.scalar(key)?)
    }

    pub(super) fn date(&self, r: Reader<'_>, key: &str) -> Option<Date> {
        self.opt_string(r, key)?.parse().ok()
    }

    pub(super) fn slot(&self, r: Reader<'_>, key: &str) -> Option<Slot> {
        Slot::parse(&self.opt_string(r, key)?)
    }
}

/// Read-only access at the current state or at some earlier heads.
#[derive(Clone, Copy)]
pub(super) struct Reader<'a> {
    pub(super) doc: &'a AutoCommit,
    pub(super) heads: Option<&'a [ChangeHash]>,
    /// See `PartnershipDoc::set_pinned_keys`.
    pub(super) pinned: Option<&'a [DeviceKey]>,
    /// See `PartnershipDoc::set_retired_keys`.
    pub(super) retired: &'a [DeviceKey],
    /// The newest contract signatures this device has seen (A, B); `None` when
    /// reading the past, where older signatures were the current ones.
    pub(super) seen: Option<&'a [Option<SeenSignature>; 2]>,
}

impl<'a> Reader<'a> {
    pub(super) fn get(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<(Value<'a>, ObjId)> {
        let r = match self.heads {
            Some(h) => self.doc.get_at(obj, prop, h),
            None => self.doc.get(obj, prop),
        };
        r.ok().flatten()
    }

    pub(super) fn get_all(&self, obj: &ObjId, prop: impl Into<Prop>) -> Vec<(Value<'a>, ObjId)> {
        let r = match self.heads {
            Some(h) => self.doc.get_all_at(obj, prop, h),
            None => self.doc.get_all(obj, prop),
        };
        r.unwrap_or_default()
    }

    pub(super) fn fields(&self, obj: &ObjId) -> Fields {
        let conv = |i: automerge::iter::MapRangeItem<'_>| {
            let id = i.id();
            (i.key.to_string(), Value::from(i.value), id)
        };
        let items = match self.heads {
            Some(h) => self.doc.map_range_at(obj, .., h).map(conv).collect(),
            None => self.doc.map_range(obj, ..).map(conv).collect(),
        };
        Fields { items }
    }

    pub(super) fn keys(&self, obj: &ObjId) -> Vec<String> {
        match self.heads {
            Some(h) => self.doc.keys_at(obj, h).collect(),
            None => self.doc.keys(obj).collect(),
        }
    }

    pub(super) fn len(&self, obj: &ObjId) -> usize {
        match self.heads {
            Some(h) => self.doc.length_at(obj, h),
            None => self.doc.length(obj),
        }
    }

    pub(super) fn obj(&self, parent: &ObjId, prop: impl Into<Prop>, ty: ObjType) -> Option<ObjId> {
        match self.get(parent, prop)? {
            (Value::Object(t), id) if t == ty => Some(id),
            _ => None,
        }
    }

    pub(super) fn string(&self, obj: &ObjId, prop: impl Into<Prop>) -> String {
        self.opt_string(obj, prop).unwrap_or_default()
    }

    /// A scalar string or a Text object, as a String.
    pub(super) fn opt_string(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<String> {
        let (v, id) = self.get(obj, prop)?;
        value_string(*self, &v, &id)
    }

    pub(super) fn text(&self, obj: &ObjId) -> String {
        let r = match self.heads {
            Some(h) => self.doc.text_at(obj, h),
            None => self.doc.text(obj),
        };
        r.unwrap_or_default()
    }

    pub(super) fn time(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<i64> {
        match self.get(obj, prop)? {
            (Value::Scalar(s), _) => scalar_time(&s),
            _ => None,
        }
    }

    pub(super) fn string_list(&self, list: &ObjId) -> Vec<String> {
        (0..self.len(list))
            .filter_map(|i| self.opt_string(list, i))
            .collect()
    }
}

impl PartnershipDoc {
    // ------------------------------------------------------------------------ reads

    /// The whole partnership as plain structs.
    pub fn read(&self) -> Result<Partnership, DocError> {
        // The partner's changes may have made it need a newer reader since it opened.
        super::check_readable(&self.doc)?;
        read_partnership(self.reader())
    }

    /// The partnership as it was at `heads` (from [`PartnershipDoc::history`]).
    pub fn read_at(&self, heads: &[ChangeHash]) -> Result<Partnership, DocError> {
        for h in heads {
            if ReadDoc::get_change_by_hash(&self.doc, h).is_none() {
                return Err(DocError::NotFound {
                    what: "change",
                    id: h.to_string(),
                });
            }
        }
        read_partnership(Reader {
            doc: &self.doc,
            heads: Some(heads),
            pinned: self.pinned.as_deref(),
            retired: &self.retired,
            seen: None,
        })
    }

    /// Both partners (A, B), without reading the rest of the document.
    pub fn partners(&self) -> [Partner; 2] {
        let r = self.reader();
        match r.obj(&ROOT, k::PARTNERSHIP, ObjType::Map) {
            Some(p) => read_partners(r, &r.fields(&p)),
            None => [Partner::default(), Partner::default()],
        }
    }

    /// The contract, without reading the rest of the document.
    pub fn contract(&self) -> Contract {
        let r = self.reader();
        read_contract(r, &r.fields(&ROOT))
    }

    pub fn partnership_id(&self) -> PartnershipId {
        let r = self.reader();
        PartnershipId::from_stored(
            r.obj(&ROOT, k::PARTNERSHIP, ObjType::Map)
                .map(|p| r.string(&p, k::ID))
                .unwrap_or_default(),
        )
    }

    /// The slot held by `key`, if that key is one of the two partners.
    pub fn slot_of(&self, key: &DeviceKey) -> Option<Slot> {
        let r = self.reader();
        let partners = self.partners_obj_r(r)?;
        Slot::BOTH.into_iter().find(|s| {
            r.obj(&partners, s.key(), ObjType::Map)
                .and_then(|p| r.opt_string(&p, k::KEY))
                .and_then(|h| h.parse::<DeviceKey>().ok())
                .as_ref()
                == Some(key)
        })
    }

    /// The slot whose partner holds `key` now or held it before a re-pairing (for
    /// crediting changes in history; admission and signing use [`Self::slot_of`]).
    pub fn slot_of_any(&self, key: &DeviceKey) -> Option<Slot> {
        self.slot_of(key).or_else(|| {
            let partners = self.read_partners_now();
            Slot::BOTH
                .into_iter()
                .find(|s| partners[s.index()].earlier_keys.contains(key))
        })
    }

    /// Both partners as they stand now.
    pub(super) fn read_partners_now(&self) -> [Partner; 2] {
        self.partners()
    }

    /// This device's slot.
    pub fn my_slot(&self) -> Result<Slot, DocError> {
        let me = self.me.ok_or(DocError::NotAMember)?;
        self.slot_of(&me).ok_or(DocError::NotAMember)
    }

    /// Resolve a session id or a unique prefix of one.
    pub fn find_session(&self, prefix: &str) -> Result<SessionId, DocError> {
        self.find_id(k::SESSIONS, "session", prefix)
            .map(SessionId::from_stored)
    }

    /// Resolve an action id or a unique prefix of one.
    pub fn find_action(&self, prefix: &str) -> Result<ActionId, DocError> {
        self.find_id(k::ACTIONS, "action", prefix)
            .map(ActionId::from_stored)
    }

    pub(super) fn find_id(
        &self,
        coll: &str,
        what: &'static str,
        prefix: &str,
    ) -> Result<String, DocError> {
        let r = self.reader();
        let prefix = prefix.trim();
        let not_found = || DocError::NotFound {
            what,
            id: prefix.to_string(),
        };
        if prefix.is_empty() {
            return Err(not_found());
        }
        let obj = r.obj(&ROOT, coll, ObjType::Map).ok_or_else(not_found)?;
        let hits: Vec<String> = r
            .keys(&obj)
            .into_iter()
            .filter(|id| id.starts_with(prefix))
            .collect();
        match hits.len() {
            0 => Err(not_found()),
            1 => Ok(hits.into_iter().next().unwrap_or_default()),
            _ => Err(DocError::Ambiguous {
                what,
                id: prefix.to_string(),
            }),
        }
    }
}

// ---------------------------------------------------------------------- typed read

pub(super) fn read_partners(r: Reader<'_>, p: &Fields) -> [Partner; 2] {
    let partners = p.obj(k::PARTNERS, ObjType::Map).map(|o| r.fields(&o));
    let partner = |slot: Slot| -> Partner {
        partners
            .as_ref()
            .and_then(|po| po.obj(slot.key(), ObjType::Map))
            .map(|m| {
                let f = r.fields(&m);
                Partner {
                    name: f.string(r, k::NAME),
                    key: f.opt_string(r, k::KEY).and_then(|h| h.parse().ok()),
                    earlier_keys: f
                        .opt_string(r, k::EARLIER_KEYS)
                        .map(|s| {
                            s.split_whitespace()
                                .filter_map(|h| h.parse().ok())
                                .collect()
                        })
                        .unwrap_or_default(),
                }
            })
            .unwrap_or_default()
    };
    [partner(Slot::A), partner(Slot::B)]
}

pub(super) fn read_partnership(r: Reader<'_>) -> Result<Partnership, DocError> {
    let root = r.fields(&ROOT);
    let p = root
        .obj(k::PARTNERSHIP, ObjType::Map)
        .ok_or(DocError::NotAPartnership)?;
    let p = r.fields(&p);
    let partners = read_partners(r, &p);
    let id = p.string(r, k::ID);
    let contract = read_contract(r, &root);
    let signatures = read_signatures(r, &root, &id, &partners, &contract);
    let mut sessions = read_sessions(r, &root);
    sessions
        .sort_by(|a, b| (a.date, a.created_at_ms, &a.id).cmp(&(b.date, b.created_at_ms, &b.id)));
    let mut actions = read_actions(r, &root);
    actions.sort_by(|a, b| {
        (a.deadline.is_none(), a.deadline, a.created_at_ms, &a.id).cmp(&(
            b.deadline.is_none(),
            b.deadline,
            b.created_at_ms,
            &b.id,
        ))
    });
    let questions = super::deck::read_questions(r, &p);
    Ok(Partnership {
        id: PartnershipId::from_stored(id),
        questions,
        partners,
        created_by: p.slot(r, k::CREATED_BY).unwrap_or(Slot::A),
        contract,
        signatures,
        sessions,
        actions,
    })
}

pub(super) fn read_contract(r: Reader<'_>, root: &Fields) -> Contract {
    let Some(c) = root.obj(k::CONTRACT, ObjType::Map) else {
        return Contract {
            frequency: None,
            place: String::new(),
            session_minutes: None,
            term: Term::default(),
            meeting_time: None,
            coaches_first: Slot::A,
            turns: Turns::Alternate,
            question_style: String::new(),
            ground_rules: Vec::new(),
            off_limits: Vec::new(),
        };
    };
    let c = r.fields(&c);
    let off_limits = c
        .obj(k::OFF_LIMITS, ObjType::List)
        .map(|l| {
            (0..r.len(&l))
                .filter_map(|i| {
                    let m = r.fields(&r.obj(&l, i, ObjType::Map)?);
                    Some(OffLimits {
                        by: m.slot(r, k::BY)?,
                        topic: m.string(r, k::TOPIC),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Contract {
        frequency: c.opt_string(r, k::FREQUENCY).map(|s| Frequency::parse(&s)),
        place: c.string(r, k::PLACE),
        session_minutes: c.u64(k::SESSION_MINUTES),
        term: Term {
            start: c.date(r, k::TERM_START),
            end: c.date(r, k::TERM_END),
            sessions: c.u64(k::TERM_SESSIONS),
        },
        // Absent in older documents, empty when cleared: both read "by agreement".
        meeting_time: c
            .opt_string(r, k::MEETING_TIME)
            .and_then(|t| MeetingTime::parse(&t)),
        coaches_first: c.slot(r, k::COACHES_FIRST).unwrap_or(Slot::A),
        turns: c
            .opt_string(r, k::TURNS)
            .and_then(|t| Turns::parse(&t))
            .unwrap_or(Turns::Alternate),
        question_style: c.string(r, k::QUESTION_STYLE),
        ground_rules: c
            .obj(k::GROUND_RULES, ObjType::List)
            .map(|l| r.string_list(&l))
            .unwrap_or_default(),
        off_limits,
    }
}

pub(super) fn read_signatures(
    r: Reader<'_>,
    root: &Fields,
    id: &str,
    partners: &[Partner; 2],
    contract: &Contract,
) -> ContractSignatures {
    let hash = identity::contract_hash(id, [partners[0].key, partners[1].key], contract);
    // Terms that hold two concurrent values are not agreed, whatever value shows.
    let conflicted = contract_conflicted(r, root);
    let sigs = root.obj(k::SIGNATURES, ObjType::Map).map(|s| r.fields(&s));
    let state = |slot: Slot, partner: &Partner| -> SignatureState {
        let sig = match slot_signature(r, sigs.as_ref(), slot, partner) {
            SlotSignature::Absent => return SignatureState::NotSigned,
            SlotSignature::Invalid => return SignatureState::Invalid,
            SlotSignature::Valid(sig) => sig,
        };
        let seen = r.seen.and_then(|s| s[slot.index()]);
        if seen.is_some_and(|s| s.is_newer_than(sig.version, &sig.hash)) {
            return SignatureState::RolledBack { at_ms: sig.at_ms };
        }
        if sig.hash == hash && !conflicted {
            SignatureState::Signed { at_ms: sig.at_ms }
        } else {
            SignatureState::Outdated { at_ms: sig.at_ms }
        }
    };
    ContractSignatures {
        a: state(Slot::A, &partners[0]),
        b: state(Slot::B, &partners[1]),
    }
}

/// What is in one partner's place of the `signatures` map.
pub(super) enum SlotSignature {
    Absent,
    /// Bytes that do not decode or do not verify, or a key not pinned here.
    Invalid,
    /// Made with that partner's (pinned) key.
    Valid(StoredSignature),
}

pub(super) fn slot_signature(
    r: Reader<'_>,
    sigs: Option<&Fields>,
    slot: Slot,
    partner: &Partner,
) -> SlotSignature {
    let Some(sigs) = sigs else {
        return SlotSignature::Absent;
    };
    let bytes = match sigs.scalar(slot.key()) {
        Some(ScalarValue::Bytes(b)) => b,
        Some(_) => return SlotSignature::Invalid,
        None => return SlotSignature::Absent,
    };
    let (Some(sig), Some(key)) = (StoredSignature::decode(bytes), partner.key) else {
        return SlotSignature::Invalid;
    };
    // Whose signature counts is decided on this device, not by the document.
    let pinned = |key: &DeviceKey| r.pinned.is_none_or(|pins| pins.contains(key));
    if pinned(&key) && sig.verifies(&key) {
        return SlotSignature::Valid(sig);
    }
    // Signed before a re-pairing with the key this partner had then, retired on
    // this device: it stands for what was signed (which named that key, so it
    // reads as an earlier version now).
    if partner
        .earlier_keys
        .iter()
        .any(|k| r.retired.contains(k) && sig.verifies(k))
    {
        return SlotSignature::Valid(sig);
    }
    SlotSignature::Invalid
}

pub(super) fn contract_conflicted(r: Reader<'_>, root: &Fields) -> bool {
    let Some(c) = root.obj(k::CONTRACT, ObjType::Map) else {
        return false;
    };
    let fields = r.fields(&c);
    let scalar = fields
        .items
        .iter()
        .any(|(key, _, _)| r.get_all(&c, key.as_str()).len() > 1);
    let rules = fields
        .obj(k::GROUND_RULES, ObjType::List)
        .is_some_and(|l| (0..r.len(&l)).any(|i| r.get_all(&l, i).len() > 1));
    scalar || rules
}

pub(super) fn read_sessions(r: Reader<'_>, root: &Fields) -> Vec<Session> {
    let Some(sessions) = root.obj(k::SESSIONS, ObjType::Map) else {
        return Vec::new();
    };
    r.fields(&sessions)
        .items
        .into_iter()
        .filter_map(|(id, v, obj)| {
            if !matches!(v, Value::Object(ObjType::Map)) {
                return None;
            }
            let s = r.fields(&obj);
            let halves = s.obj(k::HALVES, ObjType::Map).map(|h| r.fields(&h));
            let half = |slot: Slot| {
                halves
                    .as_ref()
                    .and_then(|h| h.obj(slot.key(), ObjType::Map))
                    .map(|h| read_half(r, &h))
                    .unwrap_or_default()
            };
            Some(Session {
                date: s.date(r, k::DATE),
                place: s.string(r, k::PLACE),
                planned_minutes: s.u64(k::MINUTES),
                coached_first: s.slot(r, k::COACHED_FIRST).unwrap_or(Slot::A),
                created_by: s.slot(r, k::CREATED_BY),
                created_at_ms: s.time(k::CREATED_AT).unwrap_or(0),
                halves: [half(Slot::A), half(Slot::B)],
                closed_at_ms: s.time(k::CLOSED_AT),
                skip_reason: s.string(r, k::SKIP_REASON),
                first_meeting: s.opt_string(r, k::KIND).as_deref() == Some(k::KIND_FIRST_MEETING),
                id: SessionId::from_stored(id),
            })
        })
        .collect()
}

pub(super) fn read_half(r: Reader<'_>, h: &ObjId) -> Half {
    let h = r.fields(h);
    let reviewed = h
        .obj(k::REVIEWED, ObjType::Map)
        .map(|m| {
            let m = r.fields(&m);
            m.items
                .iter()
                .map(|(a, _, _)| {
                    (
                        ActionId::from_stored(a.as_str()),
                        ReviewOutcome::parse(&m.string(r, a)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Half {
        review: h.string(r, k::REVIEW),
        reviewed,
        goal: h.string(r, k::GOAL),
        reality: h.string(r, k::REALITY),
        options: h
            .obj(k::OPTIONS, ObjType::List)
            .map(|l| r.string_list(&l))
            .unwrap_or_default(),
        will: h.string(r, k::WILL),
        notes: h.string(r, k::NOTES),
        declined_at_ms: h
            .obj(k::DECLINED, ObjType::List)
            .map(|l| (0..r.len(&l)).filter_map(|i| r.time(&l, i)).collect())
            .unwrap_or_default(),
    }
}

pub(super) fn read_actions(r: Reader<'_>, root: &Fields) -> Vec<Action> {
    let Some(actions) = root.obj(k::ACTIONS, ObjType::Map) else {
        return Vec::new();
    };
    r.fields(&actions)
        .items
        .into_iter()
        .filter_map(|(id, v, obj)| {
            if !matches!(v, Value::Object(ObjType::Map)) {
                return None;
            }
            let a = r.fields(&obj);
            Some(Action {
                owner: a.slot(r, k::OWNER).unwrap_or(Slot::A),
                what: a.string(r, k::WHAT),
                deadline: a.date(r, k::DEADLINE),
                status: a
                    .opt_string(r, k::STATUS)
                    .and_then(|s| ActionStatus::parse(&s))
                    .unwrap_or(ActionStatus::Open),
                session: a.opt_string(r, k::SESSION).map(SessionId::from_stored),
                obstacles: a
                    .obj(k::OBSTACLES, ObjType::List)
                    .map(|l| r.string_list(&l))
                    .unwrap_or_default(),
                done_on: a.date(r, k::DONE_ON),
                celebration: a.string(r, k::CELEBRATION),
                created_at_ms: a.time(k::CREATED_AT).unwrap_or(0),
                id: ActionId::from_stored(id),
            })
        })
        .collect()
}
