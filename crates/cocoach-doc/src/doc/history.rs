use automerge::ChangeHash;

use super::{Authorship, PartnershipDoc};
use crate::types::{DeviceKey, Slot};

/// One committed change, for the history view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub hash: ChangeHash,
    /// Who made it, as far as the signatures prove: `None` for a change with no
    /// valid signature by its author's pinned key (credited to no one).
    pub author: Option<DeviceKey>,
    /// The device the change names as author (Automerge's unsigned `Author`).
    pub claimed: Option<DeviceKey>,
    /// What the signatures prove about who made it.
    pub authorship: Authorship,
    pub time_ms: i64,
    pub message: String,
}

impl PartnershipDoc {
    // ------------------------------------------------------------------ history

    /// Every change in causal order: who (device key), when, and what kind of edit.
    pub fn history(&mut self) -> Vec<HistoryEntry> {
        self.commit();
        let raw: Vec<(ChangeHash, Option<DeviceKey>, i64, String)> = self
            .doc
            .get_changes_meta(&[])
            .into_iter()
            .map(|m| {
                (
                    m.hash,
                    m.author
                        .as_ref()
                        .and_then(|a| DeviceKey::from_slice(a.as_bytes())),
                    m.timestamp,
                    m.message.map(|m| m.into_owned()).unwrap_or_default(),
                )
            })
            .collect();
        raw.into_iter()
            .map(|(hash, claimed, time_ms, message)| {
                let authorship = self.authorship(&hash, claimed.as_ref());
                HistoryEntry {
                    hash,
                    author: authorship.author(),
                    claimed,
                    authorship,
                    time_ms,
                    message,
                }
            })
            .collect()
    }

    /// The slot that made a change: only if a valid signature by that partner's
    /// pinned key says so. An unverified change is credited to no one.
    pub fn author_slot(&self, entry: &HistoryEntry) -> Option<Slot> {
        entry.authorship.author().and_then(|k| self.slot_of_any(&k))
    }
}
