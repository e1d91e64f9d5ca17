use automerge::ChangeHash;

use super::PartnershipDoc;
use crate::types::{DeviceKey, Slot};

/// One committed change, for the history view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub hash: ChangeHash,
    pub author: Option<DeviceKey>,
    pub time_ms: i64,
    pub message: String,
}

impl PartnershipDoc {
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
