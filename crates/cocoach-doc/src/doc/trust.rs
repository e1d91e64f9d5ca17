//! What no change from the partner may alter: who the partners are and which
//! partnership this is. Admission and signatures rest on keys pinned on each device,
//! not on these fields; but a change that rewrites them is the mark of a buggy or
//! hostile device, and the document must not carry it (other readers, the export and
//! history would show a stranger as a partner). Such a change is refused whole: the
//! document goes back to the heads before the message that brought it.

use automerge::{ChangeHash, ObjId, ObjType, ROOT, Value};

use super::PartnershipDoc;
use super::read::Reader;
use crate::DocError;
use crate::schema as k;
use crate::types::Slot;

/// The protected fields as they stand, every concurrent value included, and the
/// objects that hold them (a change that replaces a whole map replaces its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustFacts {
    objects: Vec<Option<ObjId>>,
    values: Vec<Vec<String>>,
}

/// Which protected field a refused change touched (for the warning; no values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protected {
    PartnershipId,
    PartnerKey(Slot),
    /// The maps that hold them were replaced or removed.
    Structure,
}

impl Protected {
    /// The id of the message naming it, for the user (in their language).
    pub fn message_id(self) -> &'static str {
        match self {
            Protected::PartnershipId => cocoach_i18n::key!("tampered-partnership-id"),
            Protected::PartnerKey(Slot::A) => cocoach_i18n::key!("tampered-key-a"),
            Protected::PartnerKey(Slot::B) => cocoach_i18n::key!("tampered-key-b"),
            Protected::Structure => cocoach_i18n::key!("tampered-structure"),
        }
    }

    /// In English, for logs and error chains.
    pub fn describe(self) -> &'static str {
        match self {
            Protected::PartnershipId => "the partnership's id",
            Protected::PartnerKey(Slot::A) => "partner A's device key",
            Protected::PartnerKey(Slot::B) => "partner B's device key",
            Protected::Structure => "the record of who the partners are",
        }
    }
}

fn all_strings(r: Reader<'_>, obj: Option<&ObjId>, key: &str) -> Vec<String> {
    let Some(obj) = obj else {
        return Vec::new();
    };
    let mut v: Vec<String> = r
        .get_all(obj, key)
        .into_iter()
        .map(|(v, id)| match v {
            Value::Scalar(s) => format!("{id}={s}"),
            Value::Object(t) => format!("{id}={t}"),
        })
        .collect();
    v.sort();
    v
}

impl PartnershipDoc {
    /// The protected fields now; compare with [`PartnershipDoc::changed_protected`].
    pub fn trust_facts(&self) -> TrustFacts {
        let r = self.reader();
        let partnership = r.obj(&ROOT, k::PARTNERSHIP, ObjType::Map);
        let partners = partnership
            .as_ref()
            .and_then(|p| r.obj(p, k::PARTNERS, ObjType::Map));
        let slot = |s: Slot| {
            partners
                .as_ref()
                .and_then(|p| r.obj(p, s.key(), ObjType::Map))
        };
        let (a, b) = (slot(Slot::A), slot(Slot::B));
        TrustFacts {
            values: vec![
                all_strings(r, partnership.as_ref(), k::ID),
                all_strings(r, a.as_ref(), k::KEY),
                all_strings(r, b.as_ref(), k::KEY),
                // Every value at the holding keys, so a concurrent second map shows.
                all_strings(r, Some(&ROOT), k::PARTNERSHIP),
                all_strings(r, partnership.as_ref(), k::PARTNERS),
                all_strings(r, partners.as_ref(), Slot::A.key()),
                all_strings(r, partners.as_ref(), Slot::B.key()),
            ],
            objects: vec![partnership, partners, a, b],
        }
    }

    /// Which protected field differs between `before` and now, if any.
    pub fn changed_protected(&self, before: &TrustFacts) -> Option<Protected> {
        let now = self.trust_facts();
        if now == *before {
            return None;
        }
        Some(
            if now.objects != before.objects || now.values[3..] != before.values[3..] {
                Protected::Structure
            } else if now.values[0] != before.values[0] {
                Protected::PartnershipId
            } else if now.values[1] != before.values[1] {
                Protected::PartnerKey(Slot::A)
            } else {
                Protected::PartnerKey(Slot::B)
            },
        )
    }

    /// Go back to `heads` (all of them in this document), dropping every change
    /// made since — used to refuse what a partner's message brought. This device's
    /// actor and author stay; what was saved before is still saved.
    pub fn roll_back_to(&mut self, heads: &[ChangeHash]) -> Result<(), DocError> {
        self.commit();
        let actor = self.doc.get_actor().clone();
        let mut back = self.doc.fork_at(heads).map_err(super::am)?;
        back.set_actor(actor);
        if let Some(me) = self.me {
            back = back.with_author(Some(automerge::Author::from(me.0.to_vec())));
        }
        self.doc = back;
        Ok(())
    }
}
