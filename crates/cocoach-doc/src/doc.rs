//! `PartnershipDoc`: the shared document, with typed reads and typed edits over
//! Automerge.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    Author, AutoCommit, Change, ChangeHash, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value,
};

use crate::DocError;
use crate::identity::{self, DeviceIdentity, StoredSignature};
use crate::model::{
    Action, ActionStatus, Contract, ContractSignatures, Frequency, Half, OffLimits, Partner,
    Partnership, Session, SignatureState, Term, Turns,
};
use crate::schema as k;
use crate::types::{Date, DeviceKey, Slot, hex_encode, new_id, now_ms};

/// The ground rules a new contract starts with (the partners edit them freely).
pub const DEFAULT_GROUND_RULES: &[&str] = &[
    "Be encouraging and challenging.",
    "Keep the focus on solutions, the future, and what the coachee can do.",
    "The coachee may decline any personal topic at any time.",
    "What is said in a session stays between us.",
];

/// A contract term that holds a single value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractField {
    Frequency,
    Place,
    SessionMinutes,
    TermStart,
    TermEnd,
    TermSessions,
    CoachesFirst,
    Turns,
    QuestionStyle,
}

impl ContractField {
    pub const ALL: [ContractField; 9] = [
        ContractField::Frequency,
        ContractField::Place,
        ContractField::SessionMinutes,
        ContractField::TermStart,
        ContractField::TermEnd,
        ContractField::TermSessions,
        ContractField::CoachesFirst,
        ContractField::Turns,
        ContractField::QuestionStyle,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ContractField::Frequency => k::FREQUENCY,
            ContractField::Place => k::PLACE,
            ContractField::SessionMinutes => k::SESSION_MINUTES,
            ContractField::TermStart => k::TERM_START,
            ContractField::TermEnd => k::TERM_END,
            ContractField::TermSessions => k::TERM_SESSIONS,
            ContractField::CoachesFirst => k::COACHES_FIRST,
            ContractField::Turns => k::TURNS,
            ContractField::QuestionStyle => k::QUESTION_STYLE,
        }
    }

    pub fn parse(s: &str) -> Option<ContractField> {
        let s = s.trim().replace('-', "_");
        Self::ALL.into_iter().find(|f| f.key() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ContractField::Frequency => "how often",
            ContractField::Place => "where",
            ContractField::SessionMinutes => "session length (minutes)",
            ContractField::TermStart => "term starts",
            ContractField::TermEnd => "term ends",
            ContractField::TermSessions => "number of sessions",
            ContractField::CoachesFirst => "who coaches first",
            ContractField::Turns => "turns",
            ContractField::QuestionStyle => "question style",
        }
    }
}

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

/// A prose field of the shared document that is edited character by character, so
/// both partners can type in it at once and every keystroke merges.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TextRef {
    Half {
        session: String,
        coachee: Slot,
        field: HalfText,
    },
    /// One entry of the coachee's options list.
    Option {
        session: String,
        coachee: Slot,
        index: usize,
    },
    ActionWhat(String),
    Celebration(String),
}

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

/// One committed change, for the history view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub hash: ChangeHash,
    pub author: Option<DeviceKey>,
    pub time_ms: i64,
    pub message: String,
}

/// All entries of one map, read in a single pass (much cheaper than one `get` per key).
struct Fields {
    items: Vec<(String, Value<'static>, ObjId)>,
}

impl Fields {
    fn get(&self, key: &str) -> Option<&(String, Value<'static>, ObjId)> {
        self.items.iter().find(|(k, _, _)| k == key)
    }

    fn obj(&self, key: &str, ty: ObjType) -> Option<ObjId> {
        match self.get(key)? {
            (_, Value::Object(t), id) if *t == ty => Some(id.clone()),
            _ => None,
        }
    }

    fn scalar(&self, key: &str) -> Option<&ScalarValue> {
        match self.get(key)? {
            (_, Value::Scalar(s), _) => Some(s.as_ref()),
            _ => None,
        }
    }

    fn opt_string(&self, r: Reader<'_>, key: &str) -> Option<String> {
        match self.get(key)? {
            (_, Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(s) => Some(s.to_string()),
                _ => None,
            },
            (_, Value::Object(ObjType::Text), id) => Some(r.text(id)),
            _ => None,
        }
    }

    fn string(&self, r: Reader<'_>, key: &str) -> String {
        self.opt_string(r, key).unwrap_or_default()
    }

    fn u64(&self, key: &str) -> Option<u64> {
        match self.scalar(key)? {
            ScalarValue::Uint(v) => Some(*v),
            ScalarValue::Int(v) => u64::try_from(*v).ok(),
            _ => None,
        }
    }

    fn time(&self, key: &str) -> Option<i64> {
        match self.scalar(key)? {
            ScalarValue::Timestamp(v) | ScalarValue::Int(v) => Some(*v),
            ScalarValue::Uint(v) => i64::try_from(*v).ok(),
            _ => None,
        }
    }

    fn date(&self, r: Reader<'_>, key: &str) -> Option<Date> {
        self.opt_string(r, key)?.parse().ok()
    }

    fn slot(&self, r: Reader<'_>, key: &str) -> Option<Slot> {
        Slot::parse(&self.opt_string(r, key)?)
    }
}

/// Read-only access at the current state or at some earlier heads.
#[derive(Clone, Copy)]
struct Reader<'a> {
    doc: &'a AutoCommit,
    heads: Option<&'a [ChangeHash]>,
}

impl<'a> Reader<'a> {
    fn get(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<(Value<'a>, ObjId)> {
        let r = match self.heads {
            Some(h) => self.doc.get_at(obj, prop, h),
            None => self.doc.get(obj, prop),
        };
        r.ok().flatten()
    }

    fn get_all(&self, obj: &ObjId, prop: impl Into<Prop>) -> Vec<(Value<'a>, ObjId)> {
        let r = match self.heads {
            Some(h) => self.doc.get_all_at(obj, prop, h),
            None => self.doc.get_all(obj, prop),
        };
        r.unwrap_or_default()
    }

    fn fields(&self, obj: &ObjId) -> Fields {
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

    fn keys(&self, obj: &ObjId) -> Vec<String> {
        match self.heads {
            Some(h) => self.doc.keys_at(obj, h).collect(),
            None => self.doc.keys(obj).collect(),
        }
    }

    fn len(&self, obj: &ObjId) -> usize {
        match self.heads {
            Some(h) => self.doc.length_at(obj, h),
            None => self.doc.length(obj),
        }
    }

    fn obj(&self, parent: &ObjId, prop: impl Into<Prop>, ty: ObjType) -> Option<ObjId> {
        match self.get(parent, prop)? {
            (Value::Object(t), id) if t == ty => Some(id),
            _ => None,
        }
    }

    fn scalar(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<ScalarValue> {
        match self.get(obj, prop)? {
            (Value::Scalar(s), _) => Some(s.into_owned()),
            _ => None,
        }
    }

    fn string(&self, obj: &ObjId, prop: impl Into<Prop>) -> String {
        self.opt_string(obj, prop).unwrap_or_default()
    }

    /// A scalar string or a Text object, as a String.
    fn opt_string(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<String> {
        match self.get(obj, prop)? {
            (Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(s) => Some(s.to_string()),
                _ => None,
            },
            (Value::Object(ObjType::Text), id) => Some(self.text(&id)),
            _ => None,
        }
    }

    fn text(&self, obj: &ObjId) -> String {
        let r = match self.heads {
            Some(h) => self.doc.text_at(obj, h),
            None => self.doc.text(obj),
        };
        r.unwrap_or_default()
    }

    fn time(&self, obj: &ObjId, prop: impl Into<Prop>) -> Option<i64> {
        match self.scalar(obj, prop)? {
            ScalarValue::Timestamp(v) | ScalarValue::Int(v) => Some(v),
            ScalarValue::Uint(v) => i64::try_from(v).ok(),
            _ => None,
        }
    }

    fn string_list(&self, list: &ObjId) -> Vec<String> {
        (0..self.len(list))
            .filter_map(|i| self.opt_string(list, i))
            .collect()
    }
}

/// The shared partnership document.
///
/// Edits accumulate until [`PartnershipDoc::commit`]; every commit records the device
/// key as the change's author and the wall-clock time, so history can say who changed
/// what and when. Actor ids stay random per process (never reused).
#[derive(Debug)]
pub struct PartnershipDoc {
    doc: AutoCommit,
    me: Option<DeviceKey>,
    pending: Option<&'static str>,
    saved_heads: Vec<ChangeHash>,
}

fn am(e: automerge::AutomergeError) -> DocError {
    DocError::Automerge(e.to_string())
}

impl PartnershipDoc {
    /// A new partnership created by `me`, who takes slot A.
    pub fn create(my_name: &str, me: DeviceKey) -> Result<PartnershipDoc, DocError> {
        let name = clean_line(my_name, "name")?;
        let mut doc = AutoCommit::new();
        doc.set_author(Some(Author::from(me.0.to_vec())));
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| DocError::Random(e.to_string()))?;
        let now = now_ms();
        (|| -> Result<(), automerge::AutomergeError> {
            doc.put(ROOT, k::SCHEMA, k::SCHEMA_VERSION)?;
            let p = doc.put_object(ROOT, k::PARTNERSHIP, ObjType::Map)?;
            doc.put(&p, k::ID, hex_encode(&id))?;
            doc.put(&p, k::CREATED_BY, Slot::A.key())?;
            doc.put(&p, k::CREATED_AT, ScalarValue::Timestamp(now))?;
            let partners = doc.put_object(&p, k::PARTNERS, ObjType::Map)?;
            let a = doc.put_object(&partners, Slot::A.key(), ObjType::Map)?;
            doc.put(&a, k::NAME, name.as_str())?;
            doc.put(&a, k::KEY, me.to_hex())?;
            let b = doc.put_object(&partners, Slot::B.key(), ObjType::Map)?;
            doc.put(&b, k::NAME, "")?;
            doc.put(&b, k::KEY, "")?;

            let c = doc.put_object(ROOT, k::CONTRACT, ObjType::Map)?;
            doc.put(&c, k::FREQUENCY, Frequency::Fortnightly.as_str())?;
            doc.put(&c, k::PLACE, "")?;
            doc.put(&c, k::SESSION_MINUTES, 90u64)?;
            doc.put(&c, k::TERM_START, ScalarValue::Null)?;
            doc.put(&c, k::TERM_END, ScalarValue::Null)?;
            doc.put(&c, k::TERM_SESSIONS, ScalarValue::Null)?;
            doc.put(&c, k::COACHES_FIRST, Slot::A.key())?;
            doc.put(&c, k::TURNS, Turns::Alternate.as_str())?;
            doc.put(&c, k::QUESTION_STYLE, "")?;
            let rules = doc.put_object(&c, k::GROUND_RULES, ObjType::List)?;
            for (i, r) in DEFAULT_GROUND_RULES.iter().enumerate() {
                doc.insert(&rules, i, *r)?;
            }
            doc.put_object(&c, k::OFF_LIMITS, ObjType::List)?;
            doc.put_object(ROOT, k::SIGNATURES, ObjType::Map)?;
            doc.put_object(ROOT, k::SESSIONS, ObjType::Map)?;
            doc.put_object(ROOT, k::ACTIONS, ObjType::Map)?;
            Ok(())
        })()
        .map_err(am)?;
        let mut d = PartnershipDoc {
            doc,
            me: Some(me),
            pending: Some("create the partnership"),
            saved_heads: Vec::new(),
        };
        d.commit();
        Ok(d)
    }

    /// Wrap a document loaded from storage or received from the partner. Checks that
    /// it is a partnership document this version understands.
    pub fn from_automerge(doc: AutoCommit) -> Result<PartnershipDoc, DocError> {
        let version = match doc.get(ROOT, k::SCHEMA).map_err(am)? {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Uint(v) => Some(*v),
                ScalarValue::Int(v) => u64::try_from(*v).ok(),
                _ => None,
            },
            _ => None,
        };
        let Some(version) = version else {
            return Err(DocError::NotAPartnership);
        };
        if version > k::SCHEMA_VERSION {
            return Err(DocError::NewerSchema(version));
        }
        match doc.get(ROOT, k::PARTNERSHIP).map_err(am)? {
            Some((Value::Object(ObjType::Map), _)) => {}
            _ => return Err(DocError::NotAPartnership),
        }
        let mut d = PartnershipDoc {
            doc,
            me: None,
            pending: None,
            saved_heads: Vec::new(),
        };
        d.saved_heads = d.doc.get_heads();
        Ok(d)
    }

    /// Whose device this is: recorded as the author of every change made from now on.
    pub fn set_me(&mut self, me: DeviceKey) {
        self.commit();
        self.me = Some(me);
        self.doc.set_author(Some(Author::from(me.0.to_vec())));
    }

    pub fn me(&self) -> Option<DeviceKey> {
        self.me
    }

    fn reader(&self) -> Reader<'_> {
        Reader {
            doc: &self.doc,
            heads: None,
        }
    }

    // ----------------------------------------------------------------- commit & heads

    /// Commit pending edits as one change (no-op if nothing is pending).
    /// Returns the new change's hash.
    pub fn commit(&mut self) -> Option<ChangeHash> {
        let message = self.pending.take().unwrap_or("edit");
        let opts = CommitOptions::default()
            .with_message(message)
            .with_time(now_ms());
        self.doc.commit_with(opts)
    }

    /// Whether there are edits not yet committed.
    pub fn has_pending_edits(&self) -> bool {
        self.doc.pending_ops() > 0
    }

    fn note(&mut self, what: &'static str) {
        self.pending = match self.pending {
            None => Some(what),
            Some(p) if p == what => Some(what),
            Some(_) => Some("several edits"),
        };
    }

    /// Drop edits made since the last commit (an edit that failed half way).
    pub fn rollback(&mut self) {
        self.doc.rollback();
        self.pending = None;
    }

    pub fn heads(&mut self) -> Vec<ChangeHash> {
        self.commit();
        self.doc.get_heads()
    }

    /// The underlying Automerge document, with pending edits committed first. For the
    /// store (saving) and the sync protocol.
    pub fn automerge_mut(&mut self) -> &mut AutoCommit {
        self.commit();
        &mut self.doc
    }

    pub fn automerge(&self) -> &AutoCommit {
        &self.doc
    }

    /// Changes that are committed but not yet marked saved: what the store must write.
    pub fn unsaved_changes(&mut self) -> Vec<Change> {
        self.commit();
        let saved = self.saved_heads.clone();
        self.doc.get_changes(&saved)
    }

    /// Record that everything up to `heads` is durably stored.
    pub fn mark_saved(&mut self, heads: Vec<ChangeHash>) {
        self.saved_heads = heads;
    }

    pub fn saved_heads(&self) -> &[ChangeHash] {
        &self.saved_heads
    }

    /// Apply changes received from elsewhere (raw Automerge change chunks).
    pub fn apply_changes(&mut self, changes: Vec<Change>) -> Result<(), DocError> {
        self.commit();
        self.doc.apply_changes(changes).map_err(am)
    }

    // ------------------------------------------------------------------------ reads

    /// The whole partnership as plain structs.
    pub fn read(&self) -> Result<Partnership, DocError> {
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

    pub fn partnership_id(&self) -> String {
        let r = self.reader();
        r.obj(&ROOT, k::PARTNERSHIP, ObjType::Map)
            .map(|p| r.string(&p, k::ID))
            .unwrap_or_default()
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

    /// This device's slot.
    pub fn my_slot(&self) -> Result<Slot, DocError> {
        let me = self.me.ok_or(DocError::NotAMember)?;
        self.slot_of(&me).ok_or(DocError::NotAMember)
    }

    /// Resolve a session id or a unique prefix of one.
    pub fn find_session(&self, prefix: &str) -> Result<String, DocError> {
        self.find_id(k::SESSIONS, "session", prefix)
    }

    /// Resolve an action id or a unique prefix of one.
    pub fn find_action(&self, prefix: &str) -> Result<String, DocError> {
        self.find_id(k::ACTIONS, "action", prefix)
    }

    fn find_id(&self, coll: &str, what: &'static str, prefix: &str) -> Result<String, DocError> {
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

    // ------------------------------------------------------------------ object lookup

    fn partners_obj_r(&self, r: Reader<'_>) -> Option<ObjId> {
        let p = r.obj(&ROOT, k::PARTNERSHIP, ObjType::Map)?;
        r.obj(&p, k::PARTNERS, ObjType::Map)
    }

    fn need(
        &self,
        parent: &ObjId,
        key: &str,
        ty: ObjType,
        what: &'static str,
    ) -> Result<ObjId, DocError> {
        self.reader()
            .obj(parent, key, ty)
            .ok_or(DocError::Schema(what))
    }

    fn contract_obj(&self) -> Result<ObjId, DocError> {
        self.need(&ROOT, k::CONTRACT, ObjType::Map, "contract")
    }

    fn session_obj(&self, id: &str) -> Result<ObjId, DocError> {
        let sessions = self.need(&ROOT, k::SESSIONS, ObjType::Map, "sessions")?;
        self.reader()
            .obj(&sessions, id, ObjType::Map)
            .ok_or_else(|| DocError::NotFound {
                what: "session",
                id: id.to_string(),
            })
    }

    fn half_obj(&self, session: &str, coachee: Slot) -> Result<ObjId, DocError> {
        let s = self.session_obj(session)?;
        let halves = self.need(&s, k::HALVES, ObjType::Map, "session halves")?;
        self.need(&halves, coachee.key(), ObjType::Map, "session half")
    }

    fn action_obj(&self, id: &str) -> Result<ObjId, DocError> {
        let actions = self.need(&ROOT, k::ACTIONS, ObjType::Map, "actions")?;
        self.reader()
            .obj(&actions, id, ObjType::Map)
            .ok_or_else(|| DocError::NotFound {
                what: "action",
                id: id.to_string(),
            })
    }

    // -------------------------------------------------------------- low-level edits

    fn put(&mut self, obj: &ObjId, key: &str, v: impl Into<ScalarValue>) -> Result<(), DocError> {
        self.doc.put(obj, key, v).map_err(am)
    }

    /// Replace a Text's content, diffing so that concurrent edits elsewhere in the
    /// text merge character by character.
    fn update_text(&mut self, text: &ObjId, new: &str) -> Result<(), DocError> {
        self.doc.update_text(text, new).map_err(am)
    }

    /// Append a paragraph at the end of a Text (a pure insertion: merges cleanly with
    /// anything the partner typed meanwhile).
    fn append_text(&mut self, text: &ObjId, paragraph: &str) -> Result<(), DocError> {
        let current = self.doc.text(text).map_err(am)?;
        let mut ins = String::new();
        if !current.is_empty() && !current.ends_with('\n') {
            ins.push('\n');
        }
        ins.push_str(paragraph);
        let len = current.chars().count();
        self.doc.splice_text(text, len, 0, &ins).map_err(am)
    }

    fn text_field(&self, parent: &ObjId, key: &str) -> Result<ObjId, DocError> {
        self.need(parent, key, ObjType::Text, "text field")
    }

    // ------------------------------------------------------------------ partners

    /// Set the display name of a partner.
    pub fn set_partner_name(&mut self, slot: Slot, name: &str) -> Result<(), DocError> {
        let name = clean_line(name, "name")?;
        let partners = self
            .partners_obj_r(self.reader())
            .ok_or(DocError::Schema("partners"))?;
        let p = self.need(&partners, slot.key(), ObjType::Map, "partner")?;
        self.put(&p, k::NAME, name.as_str())?;
        self.note("rename partner");
        Ok(())
    }

    /// Record the joining partner (slot B): their name and device key.
    pub fn set_partner_b(&mut self, name: &str, key: DeviceKey) -> Result<(), DocError> {
        let name = clean_line(name, "name")?;
        if self.slot_of(&key) == Some(Slot::A) {
            return Err(DocError::InvalidValue {
                field: "partner",
                reason: "that key already belongs to partner A".into(),
            });
        }
        let partners = self
            .partners_obj_r(self.reader())
            .ok_or(DocError::Schema("partners"))?;
        let b = self.need(&partners, Slot::B.key(), ObjType::Map, "partner")?;
        self.put(&b, k::NAME, name.as_str())?;
        self.put(&b, k::KEY, key.to_hex())?;
        self.note("partner joined");
        Ok(())
    }

    // ------------------------------------------------------------------ contract

    /// Set one contract term from text (as typed in a form or on the command line).
    /// An empty value clears optional terms.
    pub fn set_contract(&mut self, field: ContractField, value: &str) -> Result<(), DocError> {
        let c = self.contract_obj()?;
        let v = value.trim();
        let key = field.key();
        let invalid = |reason: String| DocError::InvalidValue {
            field: field.key(),
            reason,
        };
        let sv: ScalarValue = match field {
            ContractField::Frequency => {
                if v.is_empty() {
                    ScalarValue::Null
                } else {
                    ScalarValue::Str(
                        Frequency::parse(&clean_line(v, "frequency")?)
                            .as_str()
                            .into(),
                    )
                }
            }
            ContractField::Place | ContractField::QuestionStyle => {
                ScalarValue::Str(clean_text(value).into())
            }
            ContractField::SessionMinutes | ContractField::TermSessions => {
                if v.is_empty() {
                    ScalarValue::Null
                } else {
                    let n: u64 = v
                        .parse()
                        .map_err(|_| invalid(format!("{v:?} is not a whole number")))?;
                    if n == 0 || n > 10_000 {
                        return Err(invalid("must be between 1 and 10000".into()));
                    }
                    ScalarValue::Uint(n)
                }
            }
            ContractField::TermStart | ContractField::TermEnd => {
                if v.is_empty() {
                    ScalarValue::Null
                } else {
                    ScalarValue::Str(v.parse::<Date>()?.to_string().into())
                }
            }
            ContractField::CoachesFirst => {
                let slot = self.parse_slot_name(v)?;
                ScalarValue::Str(slot.key().into())
            }
            ContractField::Turns => {
                let t = Turns::parse(v)
                    .ok_or_else(|| invalid("must be \"alternate\" or \"same\"".into()))?;
                ScalarValue::Str(t.as_str().into())
            }
        };
        self.put(&c, key, sv)?;
        self.note("edit the contract");
        Ok(())
    }

    /// "a", "b", or a partner's name (case-insensitive).
    pub fn parse_slot_name(&self, v: &str) -> Result<Slot, DocError> {
        if let Some(s) = Slot::parse(&v.to_ascii_lowercase()) {
            return Ok(s);
        }
        let partners = self.partners();
        Slot::BOTH
            .into_iter()
            .zip(partners.iter())
            .find(|(_, p)| p.name.eq_ignore_ascii_case(v.trim()) && !v.trim().is_empty())
            .map(|(s, _)| s)
            .ok_or_else(|| DocError::InvalidValue {
                field: "partner",
                reason: format!("{v:?} is neither \"a\", \"b\" nor a partner's name"),
            })
    }

    pub fn add_ground_rule(&mut self, rule: &str) -> Result<(), DocError> {
        let rule = clean_line(rule, "ground rule")?;
        let c = self.contract_obj()?;
        let list = self.need(&c, k::GROUND_RULES, ObjType::List, "ground rules")?;
        let n = self.doc.length(&list);
        self.doc.insert(&list, n, rule.as_str()).map_err(am)?;
        self.note("edit the contract");
        Ok(())
    }

    pub fn set_ground_rule(&mut self, index: usize, rule: &str) -> Result<(), DocError> {
        let rule = clean_line(rule, "ground rule")?;
        let list = self.list_in_contract(k::GROUND_RULES, index)?;
        self.doc.put(&list, index, rule.as_str()).map_err(am)?;
        self.note("edit the contract");
        Ok(())
    }

    pub fn remove_ground_rule(&mut self, index: usize) -> Result<(), DocError> {
        let list = self.list_in_contract(k::GROUND_RULES, index)?;
        self.doc.delete(&list, index).map_err(am)?;
        self.note("edit the contract");
        Ok(())
    }

    fn list_in_contract(&self, key: &'static str, index: usize) -> Result<ObjId, DocError> {
        let c = self.contract_obj()?;
        let list = self.need(&c, key, ObjType::List, key)?;
        if index >= self.doc.length(&list) {
            return Err(DocError::NotFound {
                what: "list item",
                id: (index + 1).to_string(),
            });
        }
        Ok(list)
    }

    /// A partner says a topic is off limits for them.
    pub fn add_off_limits(&mut self, by: Slot, topic: &str) -> Result<(), DocError> {
        let topic = clean_line(topic, "topic")?;
        let c = self.contract_obj()?;
        let list = self.need(&c, k::OFF_LIMITS, ObjType::List, "off limits")?;
        let n = self.doc.length(&list);
        let m = self.doc.insert_object(&list, n, ObjType::Map).map_err(am)?;
        self.put(&m, k::BY, by.key())?;
        self.put(&m, k::TOPIC, topic.as_str())?;
        self.note("edit the contract");
        Ok(())
    }

    pub fn remove_off_limits(&mut self, index: usize) -> Result<(), DocError> {
        let list = self.list_in_contract(k::OFF_LIMITS, index)?;
        self.doc.delete(&list, index).map_err(am)?;
        self.note("edit the contract");
        Ok(())
    }

    /// Sign the contract as it is now with this device's key. Both partners must be
    /// present and no term may be in conflict.
    pub fn sign_contract(&mut self, id: &DeviceIdentity) -> Result<(), DocError> {
        self.commit();
        let slot = self.slot_of(&id.public()).ok_or(DocError::NotAMember)?;
        let p = self.read()?;
        if p.partners.iter().any(|p| p.key.is_none()) {
            return Err(DocError::PartnerMissing);
        }
        let conflicts = self.conflicts();
        if conflicts.iter().any(|c| c.label.starts_with("contract")) {
            return Err(DocError::UnresolvedConflicts);
        }
        let hash =
            identity::contract_hash(&p.id, [p.partners[0].key, p.partners[1].key], &p.contract);
        let sig = StoredSignature {
            hash,
            signature: id.sign(&identity::signing_message(&hash)),
            at_ms: now_ms(),
        };
        let sigs = self.need(&ROOT, k::SIGNATURES, ObjType::Map, "signatures")?;
        self.put(&sigs, slot.key(), ScalarValue::Bytes(sig.encode()))?;
        self.note("sign the contract");
        Ok(())
    }

    // ------------------------------------------------------------------ sessions

    /// Start a new session record on `date`. Place and length come from the contract;
    /// who coaches first follows the contract and alternates if it says so.
    pub fn new_session(&mut self, date: Date) -> Result<String, DocError> {
        let r = self.reader();
        let contract = read_contract(r, &r.fields(&ROOT));
        let coach_first = match contract.turns {
            Turns::Same => contract.coaches_first,
            Turns::Alternate => {
                // The latest earlier session decides; its coach-first swaps.
                let mut last: Option<(Date, i64, Slot)> = None;
                if let Some(sessions) = r.obj(&ROOT, k::SESSIONS, ObjType::Map) {
                    for (_, v, obj) in r.fields(&sessions).items {
                        if !matches!(v, Value::Object(ObjType::Map)) {
                            continue;
                        }
                        let f = r.fields(&obj);
                        let (Some(d), Some(c)) = (f.date(r, k::DATE), f.slot(r, k::COACHED_FIRST))
                        else {
                            continue;
                        };
                        let key = (d, f.time(k::CREATED_AT).unwrap_or(0), c);
                        if d <= date && last.is_none_or(|l| (l.0, l.1) < (key.0, key.1)) {
                            last = Some(key);
                        }
                    }
                }
                last.map_or(contract.coaches_first, |l| l.2.other())
            }
        };
        let p_place = contract.place.clone();
        let p_minutes = contract.session_minutes;
        let me = self.my_slot().ok();
        let id = new_id()?;
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

    pub fn set_session_date(&mut self, session: &str, date: Date) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        self.put(&s, k::DATE, date.to_string())?;
        self.note("edit a session");
        Ok(())
    }

    pub fn set_session_place(&mut self, session: &str, place: &str) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        self.put(&s, k::PLACE, clean_text(place))?;
        self.note("edit a session");
        Ok(())
    }

    pub fn set_session_coached_first(
        &mut self,
        session: &str,
        coach: Slot,
    ) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        self.put(&s, k::COACHED_FIRST, coach.key())?;
        self.note("edit a session");
        Ok(())
    }

    /// Close a session. `skip_reason` must be given unless each partner has an open
    /// action with a deadline from this session.
    pub fn close_session(&mut self, session: &str, skip_reason: &str) -> Result<(), DocError> {
        let s = self.session_obj(session)?;
        let r = self.reader();
        let mut owners = Vec::new();
        if let Some(actions) = r.obj(&ROOT, k::ACTIONS, ObjType::Map) {
            for (_, v, obj) in r.fields(&actions).items {
                if !matches!(v, Value::Object(ObjType::Map)) {
                    continue;
                }
                let f = r.fields(&obj);
                if f.opt_string(r, k::SESSION).as_deref() == Some(session)
                    && f.date(r, k::DEADLINE).is_some()
                {
                    owners.extend(f.slot(r, k::OWNER));
                }
            }
        }
        let has_action = |slot: Slot| owners.contains(&slot);
        let reason = clean_text(skip_reason);
        if reason.trim().is_empty() && !(has_action(Slot::A) && has_action(Slot::B)) {
            return Err(DocError::SessionNeedsActions);
        }
        self.put(&s, k::CLOSED_AT, ScalarValue::Timestamp(now_ms()))?;
        self.put(&s, k::SKIP_REASON, reason)?;
        self.note("close a session");
        Ok(())
    }

    /// Replace a prose field of a half (the whole new text, as a text box gives it).
    pub fn set_half_text(
        &mut self,
        session: &str,
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
        session: &str,
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
        session: &str,
        coachee: Slot,
        field: HalfText,
        pos: usize,
        delete: usize,
        insert: &str,
    ) -> Result<(), DocError> {
        let r = TextRef::Half {
            session: session.to_string(),
            coachee,
            field,
        };
        self.splice(&r, pos, delete, insert)
    }

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

    /// "What else?": add an option to the coachee's brainstorm. Returns its index.
    pub fn add_option(
        &mut self,
        session: &str,
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

    pub fn set_option(
        &mut self,
        session: &str,
        coachee: Slot,
        index: usize,
        text: &str,
    ) -> Result<(), DocError> {
        let h = self.half_obj(session, coachee)?;
        let list = self.need(&h, k::OPTIONS, ObjType::List, "options")?;
        let t = self
            .reader()
            .obj(&list, index, ObjType::Text)
            .ok_or(DocError::NotFound {
                what: "option",
                id: (index + 1).to_string(),
            })?;
        self.update_text(&t, text)?;
        self.note("edit an option");
        Ok(())
    }

    pub fn remove_option(
        &mut self,
        session: &str,
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
    pub fn mark_declined(&mut self, session: &str, coachee: Slot) -> Result<(), DocError> {
        let h = self.half_obj(session, coachee)?;
        let list = self.need(&h, k::DECLINED, ObjType::List, "declined")?;
        let n = self.doc.length(&list);
        self.doc
            .insert(&list, n, ScalarValue::Timestamp(now_ms()))
            .map_err(am)?;
        self.note("decline a topic");
        Ok(())
    }

    /// Record the outcome of reviewing an earlier action in this half ("done",
    /// "partly", "not done", …).
    pub fn set_review_outcome(
        &mut self,
        session: &str,
        coachee: Slot,
        action: &str,
        outcome: &str,
    ) -> Result<(), DocError> {
        self.action_obj(action)?;
        let h = self.half_obj(session, coachee)?;
        let m = self.need(&h, k::REVIEWED, ObjType::Map, "reviewed")?;
        self.put(&m, action, clean_line(outcome, "outcome")?.as_str())?;
        self.note("review an action");
        Ok(())
    }

    // ------------------------------------------------------------------ actions

    /// Commit to an action. Returns its id.
    pub fn add_action(
        &mut self,
        owner: Slot,
        what: &str,
        deadline: Option<Date>,
        session: Option<&str>,
    ) -> Result<String, DocError> {
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
        let id = new_id()?;
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

    pub fn set_action_text(&mut self, id: &str, what: &str) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        let t = self.text_field(&a, k::WHAT)?;
        self.update_text(&t, what)?;
        self.note("edit an action");
        Ok(())
    }

    pub fn set_action_deadline(
        &mut self,
        id: &str,
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

    pub fn set_action_owner(&mut self, id: &str, owner: Slot) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        self.put(&a, k::OWNER, owner.key())?;
        self.note("edit an action");
        Ok(())
    }

    /// Mark an action done on `on`, with a note celebrating it.
    pub fn mark_action_done(
        &mut self,
        id: &str,
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
    pub fn set_action_status(&mut self, id: &str, status: ActionStatus) -> Result<(), DocError> {
        if status == ActionStatus::Done {
            return self.mark_action_done(id, Date::today(), "");
        }
        let a = self.action_obj(id)?;
        self.put(&a, k::STATUS, status.as_str())?;
        self.put(&a, k::DONE_ON, ScalarValue::Null)?;
        self.note("change an action's status");
        Ok(())
    }

    pub fn set_celebration(&mut self, id: &str, text: &str) -> Result<(), DocError> {
        let a = self.action_obj(id)?;
        let t = self.text_field(&a, k::CELEBRATION)?;
        self.update_text(&t, text)?;
        self.note("celebrate an action");
        Ok(())
    }

    /// Record an obstacle met on the way ("no time", "my network is weak", …).
    pub fn add_obstacle(&mut self, id: &str, obstacle: &str) -> Result<(), DocError> {
        let obstacle = clean_line(obstacle, "obstacle")?;
        let a = self.action_obj(id)?;
        let list = self.need(&a, k::OBSTACLES, ObjType::List, "obstacles")?;
        let n = self.doc.length(&list);
        self.doc.insert(&list, n, obstacle.as_str()).map_err(am)?;
        self.note("note an obstacle");
        Ok(())
    }

    pub fn remove_obstacle(&mut self, id: &str, index: usize) -> Result<(), DocError> {
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

    // ------------------------------------------------------------------ history

    /// Every change in causal order: who (device key), when, and what kind of edit.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        self.commit();
        self.doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|m| HistoryEntry {
                hash: m.hash,
                author: m
                    .author
                    .as_ref()
                    .and_then(|a| DeviceKey::from_slice(a.as_bytes())),
                time_ms: m.timestamp,
                message: m.message.map(|m| m.into_owned()).unwrap_or_default(),
            })
            .collect()
    }

    /// The slot that made a change, if its author is one of the partners.
    pub fn author_slot(&self, entry: &HistoryEntry) -> Option<Slot> {
        entry.author.as_ref().and_then(|k| self.slot_of(k))
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

/// Trim a single-line value and refuse an empty one.
fn clean_line(s: &str, field: &'static str) -> Result<String, DocError> {
    let t: String = s.trim().chars().filter(|c| !c.is_control()).collect();
    if t.is_empty() {
        return Err(DocError::InvalidValue {
            field,
            reason: "must not be empty".into(),
        });
    }
    Ok(t)
}

/// Prose: keep newlines and tabs, drop other control characters.
fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

// ---------------------------------------------------------------------- typed read

fn read_partners(r: Reader<'_>, p: &Fields) -> [Partner; 2] {
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
                }
            })
            .unwrap_or_default()
    };
    [partner(Slot::A), partner(Slot::B)]
}

fn read_partnership(r: Reader<'_>) -> Result<Partnership, DocError> {
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
    Ok(Partnership {
        id,
        partners,
        created_by: p.slot(r, k::CREATED_BY).unwrap_or(Slot::A),
        contract,
        signatures,
        sessions,
        actions,
    })
}

fn read_contract(r: Reader<'_>, root: &Fields) -> Contract {
    let Some(c) = root.obj(k::CONTRACT, ObjType::Map) else {
        return Contract {
            frequency: None,
            place: String::new(),
            session_minutes: None,
            term: Term::default(),
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

fn read_signatures(
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
        let Some(sigs) = sigs.as_ref() else {
            return SignatureState::NotSigned;
        };
        let bytes = match sigs.scalar(slot.key()) {
            Some(ScalarValue::Bytes(b)) => b,
            Some(_) => return SignatureState::Invalid,
            None => return SignatureState::NotSigned,
        };
        let (Some(sig), Some(key)) = (StoredSignature::decode(bytes), partner.key) else {
            return SignatureState::Invalid;
        };
        if !identity::verify(&key, &identity::signing_message(&sig.hash), &sig.signature) {
            return SignatureState::Invalid;
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

fn contract_conflicted(r: Reader<'_>, root: &Fields) -> bool {
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

fn read_sessions(r: Reader<'_>, root: &Fields) -> Vec<Session> {
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
                id,
            })
        })
        .collect()
}

fn read_half(r: Reader<'_>, h: &ObjId) -> Half {
    let h = r.fields(h);
    let reviewed = h
        .obj(k::REVIEWED, ObjType::Map)
        .map(|m| {
            let m = r.fields(&m);
            m.items
                .iter()
                .map(|(a, _, _)| (a.clone(), m.string(r, a)))
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

fn read_actions(r: Reader<'_>, root: &Fields) -> Vec<Action> {
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
                session: a.opt_string(r, k::SESSION),
                obstacles: a
                    .obj(k::OBSTACLES, ObjType::List)
                    .map(|l| r.string_list(&l))
                    .unwrap_or_default(),
                done_on: a.date(r, k::DONE_ON),
                celebration: a.string(r, k::CELEBRATION),
                created_at_ms: a.time(k::CREATED_AT).unwrap_or(0),
                id,
            })
        })
        .collect()
}
