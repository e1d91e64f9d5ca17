use automerge::transaction::Transactable;
use automerge::{ObjId, ObjType, ROOT, ReadDoc, ScalarValue};

use super::read::{SlotSignature, slot_signature};
use super::{PartnershipDoc, am, clean_line, clean_text};
use crate::DocError;
use crate::identity::{self, DeviceIdentity, StoredSignature};
use crate::model::{Frequency, MeetingTime, SeenSignature, Turns};
use crate::schema as k;
use crate::time::Date;
use crate::types::{Slot, now_ms};

/// A contract term that holds a single value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// When the partners meet ("19:00"); empty: by agreement. Not a signed term.
    MeetingTime,
}

impl ContractField {
    pub const ALL: [ContractField; 10] = [
        ContractField::Frequency,
        ContractField::Place,
        ContractField::SessionMinutes,
        ContractField::TermStart,
        ContractField::TermEnd,
        ContractField::TermSessions,
        ContractField::CoachesFirst,
        ContractField::Turns,
        ContractField::QuestionStyle,
        ContractField::MeetingTime,
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
            ContractField::MeetingTime => k::MEETING_TIME,
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
            ContractField::MeetingTime => "meeting time",
        }
    }
}

impl PartnershipDoc {
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
            // Empty is a value here, not a missing key: "by agreement", set on purpose.
            ContractField::MeetingTime => {
                if v.is_empty() {
                    ScalarValue::Str("".into())
                } else {
                    let t = MeetingTime::parse(v).ok_or_else(|| {
                        invalid(format!(
                            "{v:?} is not a time of the form HH:MM (00:00 to 23:59)"
                        ))
                    })?;
                    ScalarValue::Str(t.to_string().into())
                }
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
        if conflicts.iter().any(|c| c.about.is_contract()) {
            return Err(DocError::UnresolvedConflicts);
        }
        let hash =
            identity::contract_hash(&p.id, [p.partners[0].key, p.partners[1].key], &p.contract);
        // A version above every signature either partner has made or this device
        // has seen, so this one supersedes them all; the previous hash chains it to
        // what this partner signed before.
        let current = self.current_signatures();
        let highest = current
            .iter()
            .flatten()
            .map(|s| s.version)
            .chain(self.seen.iter().flatten().map(|s| s.version))
            .max()
            .unwrap_or(0);
        let prev = current[slot.index()].map(|s| s.hash).unwrap_or([0; 32]);
        let sig = StoredSignature::make(id, hash, highest.saturating_add(1), prev, now_ms());
        let sigs = self.need(&ROOT, k::SIGNATURES, ObjType::Map, "signatures")?;
        self.put(&sigs, slot.key(), ScalarValue::Bytes(sig.encode()))?;
        self.note("sign the contract");
        Ok(())
    }

    /// The valid signature (by that partner's pinned key) in each place, A and B.
    pub(super) fn current_signatures(&self) -> [Option<StoredSignature>; 2] {
        let r = self.reader();
        let partners = self.partners();
        let sigs = r
            .obj(&ROOT, k::SIGNATURES, ObjType::Map)
            .map(|s| r.fields(&s));
        Slot::BOTH.map(|slot| {
            match slot_signature(r, sigs.as_ref(), slot, &partners[slot.index()]) {
                SlotSignature::Valid(s) => Some(s),
                _ => None,
            }
        })
    }

    /// Tell the document the newest contract signature this device has seen in each
    /// partner's place (A, B), as the store remembers them. From then on an older
    /// signature in that place reads as [`crate::SignatureState::RolledBack`].
    pub fn set_seen_signatures(&mut self, seen: [Option<SeenSignature>; 2]) {
        self.seen = seen;
    }

    /// Raise what this device has seen with signatures the store remembered (from
    /// [`PartnershipDoc::newer_signatures`]); never lowers it.
    pub fn note_seen(&mut self, newer: &[(Slot, SeenSignature)]) {
        for (slot, s) in newer {
            let seen = &mut self.seen[slot.index()];
            if seen.is_none_or(|old| s.version > old.version) {
                *seen = Some(*s);
            }
        }
    }

    /// Valid signatures now in the document that are newer than what this device
    /// has seen, for the store to remember (and then [`set_seen_signatures`]).
    /// An older one (a rollback) is never among them.
    ///
    /// [`set_seen_signatures`]: PartnershipDoc::set_seen_signatures
    pub fn newer_signatures(&self) -> Vec<(Slot, SeenSignature)> {
        let current = self.current_signatures();
        Slot::BOTH
            .into_iter()
            .filter_map(|slot| {
                let sig = current[slot.index()]?;
                let seen = self.seen[slot.index()];
                let newer = match seen {
                    None => true,
                    Some(s) => sig.version > s.version,
                };
                newer.then_some((
                    slot,
                    SeenSignature {
                        version: sig.version,
                        hash: sig.hash,
                    },
                ))
            })
            .collect()
    }
}
