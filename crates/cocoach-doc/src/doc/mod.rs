//! `PartnershipDoc`: the shared document, with typed reads and typed edits over
//! Automerge.
//!
//! One concern per file, each with one `impl PartnershipDoc` block:
//! - `mod.rs` (this file): the wrapper, commit and heads, object lookup, low-level edits;
//! - `read.rs`: typed reads at the current state or any earlier heads;
//! - `contract.rs`, `session.rs`, `action.rs`: typed edits and the rules of the practice;
//! - `text.rs`: prose fields edited character by character;
//! - `conflict.rs`: concurrent values, listed and resolved;
//! - `history.rs`: who changed what and when;
//! - `trust.rs`: the fields no change from the partner may alter, and going back.

mod action;
mod conflict;
mod contract;
mod deck;
mod history;
mod read;
mod session;
mod signed;
mod text;
mod trust;

pub use conflict::{ActionField, Conflict, ConflictAbout, SessionField};
pub use contract::ContractField;
pub use deck::MAX_QUESTION_CHARS;
pub use history::HistoryEntry;
pub use session::HalfText;
pub use signed::{
    Authorship, ChangeSignature, MAX_SIGNATURES, RecordCheck, SIGNATURE_LEN, SignatureBatch,
    SignatureKind, SignatureRefusal, change_signing_bytes,
};
pub use text::TextRef;
pub use trust::{Protected, TrustFacts};

use read::Reader;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    Author, AutoCommit, Change, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value,
};

use crate::DocError;
use crate::identity::DeviceIdentity;
use crate::ids::{ActionId, SessionId};
use crate::model::{Frequency, SeenSignature, Turns};
use crate::schema as k;
use crate::types::{DeviceKey, Slot, hex_encode, now_ms};
use cocoach_i18n::{Lang, Tr};

/// The shared partnership document.
///
/// Edits accumulate until [`PartnershipDoc::commit`]; every commit records the device
/// key as the change's author and the wall-clock time, so history can say who changed
/// what and when. Actor ids stay random per process (never reused).
#[derive(Debug)]
pub struct PartnershipDoc {
    doc: AutoCommit,
    me: Option<DeviceKey>,
    /// The device keys pinned on this device (its own and its partner's, fixed at
    /// pairing): only their signatures count. `None` until the owner says (tests,
    /// a document read on its own).
    pinned: Option<Vec<DeviceKey>>,
    /// Keys this device once pinned and retired at a re-pairing (a partner's device
    /// replaced): their signatures still prove the changes they made before, but no
    /// new change by them is accepted (see `PartnershipDoc::set_retired_keys`).
    retired: Vec<DeviceKey>,
    pending: Option<&'static str>,
    saved_heads: Vec<ChangeHash>,
    /// Signs every change this device commits (see `signed.rs`).
    signer: Option<DeviceIdentity>,
    /// Changes committed before the signer was set (signed when it is).
    own_unsigned: Vec<ChangeHash>,
    sigs: signed::Signatures,
    /// The partnership id, cached for signatures.
    pid: Option<String>,
    /// The newest contract signature this device has seen in each partner's place
    /// (A, B); see [`PartnershipDoc::set_seen_signatures`].
    seen: [Option<SeenSignature>; 2],
}

fn am(e: automerge::AutomergeError) -> DocError {
    DocError::Automerge(e)
}

impl PartnershipDoc {
    /// A new partnership created by the device `id`, which takes slot A and signs
    /// every change it makes. Its defaults are in English (see [`Self::create_in`]).
    pub fn create(my_name: &str, signer: &DeviceIdentity) -> Result<PartnershipDoc, DocError> {
        PartnershipDoc::create_in(my_name, signer, Lang::En)
    }

    /// A new partnership whose defaults (the ground rules) are written in `lang`, the
    /// language of the partner who creates it; the document keeps them as text, so
    /// the other partner reads them as written.
    pub fn create_in(
        my_name: &str,
        signer: &DeviceIdentity,
        lang: Lang,
    ) -> Result<PartnershipDoc, DocError> {
        let me = signer.public();
        let name = clean_line(my_name, "name")?;
        let mut doc = AutoCommit::new();
        doc.set_author(Some(Author::from(me.0.to_vec())));
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(DocError::Random)?;
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
            for (i, r) in crate::practice::default_ground_rules(&Tr::get(lang))
                .iter()
                .enumerate()
            {
                doc.insert(&rules, i, r.as_str())?;
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
            pinned: None,
            retired: Vec::new(),
            pending: Some("create the partnership"),
            saved_heads: Vec::new(),
            signer: None,
            own_unsigned: Vec::new(),
            sigs: Default::default(),
            pid: None,
            seen: [None; 2],
        };
        d.commit();
        d.set_signer(signer);
        Ok(d)
    }

    /// Wrap a document loaded from storage or received from the partner. Checks that
    /// it is a partnership document this version understands.
    pub fn from_automerge(doc: AutoCommit) -> Result<PartnershipDoc, DocError> {
        let version = match doc.get(ROOT, k::SCHEMA).map_err(am)? {
            Some((Value::Scalar(s), _)) => read::scalar_u64(&s),
            _ => None,
        };
        // A newer schema alone refuses nothing: its additions are ignored and kept.
        if version.is_none() {
            return Err(DocError::NotAPartnership);
        }
        check_readable(&doc)?;
        match doc.get(ROOT, k::PARTNERSHIP).map_err(am)? {
            Some((Value::Object(ObjType::Map), _)) => {}
            _ => return Err(DocError::NotAPartnership),
        }
        let mut d = PartnershipDoc {
            doc,
            me: None,
            pinned: None,
            retired: Vec::new(),
            pending: None,
            saved_heads: Vec::new(),
            signer: None,
            own_unsigned: Vec::new(),
            sigs: Default::default(),
            pid: None,
            seen: [None; 2],
        };
        d.saved_heads = d.doc.get_heads();
        Ok(d)
    }

    /// Whose device this is: recorded as the author of every change made from now on.
    /// Changes are signed only once [`PartnershipDoc::set_signer`] gives the key.
    pub(crate) fn set_me(&mut self, me: DeviceKey) {
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
            pinned: self.pinned.as_deref(),
            retired: &self.retired,
            seen: Some(&self.seen),
        }
    }

    /// The device keys this device pinned at pairing (its own and its partner's).
    /// From now on a contract signature counts only if it is made with one of them,
    /// whatever key the document names for that partner.
    pub fn set_pinned_keys(&mut self, keys: &[DeviceKey]) {
        if self.pinned.as_deref() != Some(keys) {
            self.sigs.checked.clear();
        }
        self.pinned = Some(keys.to_vec());
    }

    /// The keys this device retired at a re-pairing (see the field). Changes signed
    /// by them count on load and in history; a partner's message bringing a new one
    /// is refused like any unpinned author's.
    pub fn set_retired_keys(&mut self, keys: &[DeviceKey]) {
        if self.retired != keys {
            self.sigs.checked.clear();
        }
        self.retired = keys.to_vec();
    }

    pub fn retired_keys(&self) -> &[DeviceKey] {
        &self.retired
    }

    // ----------------------------------------------------------------- commit & heads

    /// Commit pending edits as one change (no-op if nothing is pending).
    /// Returns the new change's hash.
    pub fn commit(&mut self) -> Option<ChangeHash> {
        let message = self.pending.take().unwrap_or("edit");
        // Nothing to commit: return before Automerge opens (and drops) a transaction,
        // which costs more the longer the history (every read and sync step calls
        // this to close pending edits first).
        if self.doc.pending_ops() == 0 {
            return None;
        }
        let opts = CommitOptions::default()
            .with_message(message)
            .with_time(now_ms());
        let hash = self.doc.commit_with(opts)?;
        self.sign_committed(hash);
        Some(hash)
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

    fn session_obj(&self, id: &SessionId) -> Result<ObjId, DocError> {
        let sessions = self.need(&ROOT, k::SESSIONS, ObjType::Map, "sessions")?;
        self.reader()
            .obj(&sessions, id, ObjType::Map)
            .ok_or_else(|| DocError::NotFound {
                what: "session",
                id: id.to_string(),
            })
    }

    fn half_obj(&self, session: &SessionId, coachee: Slot) -> Result<ObjId, DocError> {
        let s = self.session_obj(session)?;
        let halves = self.need(&s, k::HALVES, ObjType::Map, "session halves")?;
        self.need(&halves, coachee.key(), ObjType::Map, "session half")
    }

    fn action_obj(&self, id: &ActionId) -> Result<ObjId, DocError> {
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

    /// Re-pairing: the partner in `slot` lost their device key (a restored backup
    /// without it) and paired again with `new`. Their place now names `new`; the key
    /// it named before is kept in `earlier_keys`, so history still credits them.
    /// Done by the other partner's device only, in the re-pairing ceremony, never
    /// for this device's own slot. Returns the key replaced.
    pub fn rekey_partner(&mut self, slot: Slot, new: DeviceKey) -> Result<DeviceKey, DocError> {
        let refuse = |reason: &str| DocError::InvalidValue {
            field: "partner",
            reason: reason.into(),
        };
        if self.me.is_some_and(|me| self.slot_of(&me) == Some(slot)) {
            return Err(refuse("this device cannot re-pair its own place"));
        }
        if self.slot_of(&new).is_some() || self.me == Some(new) {
            return Err(refuse("that key already belongs to a partner"));
        }
        let partners = self
            .partners_obj_r(self.reader())
            .ok_or(DocError::Schema("partners"))?;
        let place = self.need(&partners, slot.key(), ObjType::Map, "partner")?;
        let old = self.read_partners_now()[slot.index()]
            .key
            .ok_or_else(|| refuse("that place has no partner yet"))?;
        let mut earlier = self.read_partners_now()[slot.index()].earlier_keys.clone();
        earlier.push(old);
        let list: Vec<String> = earlier.iter().map(DeviceKey::to_hex).collect();
        self.put(&place, k::EARLIER_KEYS, list.join(" "))?;
        self.put(&place, k::KEY, new.to_hex())?;
        self.note("partner re-paired");
        Ok(old)
    }
}

/// Refuse a document that says it needs a newer reader than this build.
fn check_readable(doc: &AutoCommit) -> Result<(), DocError> {
    match doc.get(ROOT, k::READABLE_BY).map_err(am)? {
        Some((Value::Scalar(s), _)) => match read::scalar_u64(&s) {
            Some(v) if v <= k::READER_VERSION => Ok(()),
            Some(v) => Err(DocError::NeedsNewerVersion(v)),
            None => Err(DocError::NeedsNewerVersion(u64::MAX)),
        },
        None => Ok(()),
        Some(_) => Err(DocError::NeedsNewerVersion(u64::MAX)),
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
