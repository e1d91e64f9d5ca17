//! Re-pairing a partner device restored from a backup without its device key.
//!
//! The restored device holds the whole record but a new key, which the partner's
//! device does not admit. The partner makes a *re-pairing invite*
//! ([`Node::invite_rejoin`]); the restored device uses it ([`Node::rejoin`]). The
//! ceremony is pairing's own (the invite's secret, both users compare the code); then
//! the restored device sends its whole record, the partner's device takes it in
//! (nothing it held is lost), gives that partner's place the new key, pins it, retires
//! the old one (its earlier changes still count, nothing new by it is accepted), and
//! sends its record back, which the restored device takes in: it is that partner
//! again, and both hold the same record.

use cocoach_doc::{ChangeSignature, DeviceKey, PartnershipDoc, Slot};
use cocoach_net::{NetError, lock};
use cocoach_store::{PartnerRecord, PartnershipStore};
use cocoach_sync::{GuestRecord, PairError, Ticket};
use tokio::sync::oneshot;

use crate::{Node, NodeError, Shared};

/// Untrusted document bytes from the other device: bounded before Automerge
/// inflates them, and refused if they hold more operations than any partnership.
pub(crate) fn check_untrusted(bytes: &[u8]) -> Result<automerge::AutoCommit, NodeError> {
    cocoach_sync::limits::check_chunks(
        bytes,
        &mut cocoach_sync::limits::inflation_budget(bytes.len()),
    )
    .map_err(NodeError::RefusedDocument)?;
    // Automerge 0.12 can panic on what it loads: a refusal, like in a sync step.
    let am = std::panic::catch_unwind(|| automerge::AutoCommit::load(bytes))
        .map_err(|_| NodeError::RefusedDocument("Automerge failed on it (a panic, caught)".into()))?
        .map_err(|e| NodeError::Doc(cocoach_doc::DocError::Automerge(e)))?;
    let ops = cocoach_doc::automerge::ReadDoc::stats(&am).num_ops;
    if ops > cocoach_sync::limits::MAX_DOCUMENT_OPS {
        return Err(NodeError::RefusedDocument(format!(
            "it holds {ops} operations (at most {})",
            cocoach_sync::limits::MAX_DOCUMENT_OPS
        )));
    }
    Ok(am)
}

impl Node {
    /// Open a re-pairing invite for the partner, whose device was restored from a
    /// backup without its key. Returns the ticket to show.
    pub fn invite_rejoin(&self) -> Result<Ticket, NodeError> {
        if self.partner().is_none() {
            return Err(NodeError::NoPartner);
        }
        self.open_invite(
            cocoach_doc::now_ms() + cocoach_sync::INVITE_LIFETIME_MS,
            true,
        )
    }

    /// Whether this device holds a partnership it is not a partner of: restored
    /// from a backup without its device key, so it must re-pair to sync.
    pub fn needs_rejoin(&self) -> bool {
        self.has_partnership() && lock(&self.shared.doc).my_slot().is_err()
    }

    /// Re-pair this device (restored without its key) with the partner who made
    /// `ticket` ([`Node::invite_rejoin`]). `confirm` resolves with the user's
    /// comparison of the codes. Returns the partner's name.
    pub async fn rejoin(
        &self,
        ticket: Ticket,
        confirm: oneshot::Receiver<bool>,
    ) -> Result<String, NodeError> {
        if !ticket.rejoin {
            return Err(NodeError::Net(NetError::Pair(PairError::NotForRejoin)));
        }
        let partner = self.partner().ok_or(NodeError::NoPartnership)?;
        let (slot, old, record, name) = {
            let mut doc = lock(&self.shared.doc);
            if doc.my_slot().is_ok() {
                return Err(NodeError::NothingToRejoin);
            }
            let pid = cocoach_doc::hex_encode(&ticket.partnership_id);
            // The invite must come from the partner pinned here, for this partnership.
            if doc.partnership_id() != pid.as_str() || ticket.host != partner {
                return Err(NodeError::WrongPartnership);
            }
            let slot = doc
                .slot_of(&partner)
                .ok_or(NodeError::WrongPartnership)?
                .other();
            let p = doc.partners();
            let old = p[slot.index()].key.ok_or(NodeError::WrongPartnership)?;
            let record = GuestRecord {
                document: doc.automerge_mut().save(),
                signatures: doc.all_signatures(),
            };
            (slot, old, record, p[slot.index()].name.clone())
        };
        tracing::info!(
            bytes = record.document.len(),
            "re-pairing: sending this device's record"
        );
        let addrs = ticket.addrs.clone();
        let joined = self.net.join(ticket, &name, confirm, Some(record)).await?;
        check_untrusted(&joined.document)?;
        let mut store = lock(&self.shared.store);
        let store = store.as_mut().ok_or(NodeError::NoPartnership)?;
        {
            let mut doc = lock(&self.shared.doc);
            let before = doc.heads();
            let retired_before = doc.retired_keys().to_vec();
            let mut retired = retired_before.clone();
            retired.push(old);
            doc.set_retired_keys(&retired);
            let taken = doc
                .merge_record(&joined.document, joined.signatures, &[])
                .map_err(|e| {
                    tracing::warn!(error = %cocoach_doc::error_text(&e), "re-pairing: refused the partner's record");
                    NodeError::RefusedDocument(cocoach_doc::error_text(&e))
                });
            let named = taken.is_ok() && doc.my_slot().ok() == Some(slot);
            if !named {
                doc.roll_back_to(&before)?;
                doc.set_retired_keys(&retired_before);
                taken?;
                tracing::warn!("re-pairing: the partner's record does not name this device");
                return Err(NodeError::WrongPartnership);
            }
        }
        store.retire_my_old_key(old, slot)?;
        store.upsert_partner(&PartnerRecord {
            key: partner,
            name: joined.host_name.clone(),
            addresses: addrs.iter().map(ToString::to_string).collect(),
            paired_at_ms: Some(cocoach_doc::now_ms()),
            last_seen_ms: Some(cocoach_doc::now_ms()),
        })?;
        let pid = {
            let mut doc = lock(&self.shared.doc);
            store.save_then_compact(&mut doc)?;
            doc.partnership_id()
        };
        self.net.set_partner(partner, &pid);
        self.shared.changes.send_modify(|v| *v += 1);
        tracing::info!("re-pairing: done; this device is a partner again");
        Ok(joined.host_name)
    }
}

/// Host side of a confirmed re-pairing: take in the guest's record, give its place
/// the guest's new key, pin it and retire the old one, durably, before our record
/// is sent back.
pub(crate) fn accept_rejoin(
    shared: &Shared,
    guest: DeviceKey,
    record: GuestRecord,
) -> Result<(Vec<u8>, Vec<ChangeSignature>), NodeError> {
    check_untrusted(&record.document)?;
    let mut store = lock(&shared.store);
    let store = store.as_mut().ok_or(NodeError::NoPartnership)?;
    let mut doc = lock(&shared.doc);
    let me = doc.me().ok_or(cocoach_doc::DocError::NotAMember)?;
    let slot = doc.my_slot()?.other();
    let old = store.pinned_partner(me)?.ok_or(NodeError::NoPartner)?;
    if doc.slot_of(&old) != Some(slot) {
        return Err(NodeError::WrongPartnership);
    }
    let before = doc.heads();
    if old == guest {
        // This key re-paired before, but our answer never reached it (the
        // connection was cut, or its disk was restored again): it is already the
        // partner's key. Take in its record; nothing to re-key or retire.
        let added = doc
            .merge_record(&record.document, record.signatures, &[])
            .map_err(|e| {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "re-pairing (host): refused the partner's record");
                NodeError::RefusedDocument(cocoach_doc::error_text(&e))
            });
        if let Err(e) = added {
            doc.roll_back_to(&before)?;
            return Err(e);
        }
        store.save_then_compact(&mut doc)?;
        tracing::info!("re-pairing (host): the partner's key was already pinned");
        return Ok((doc.automerge_mut().save(), doc.all_signatures()));
    }
    let result = rekey(&mut doc, slot, guest, &record);
    if let Err(e) = result {
        doc.roll_back_to(&before)?;
        return Err(e);
    }
    // Pins first: a crash before the document is saved leaves the new key pinned
    // and the record unchanged, and the ceremony can simply run again.
    if let Err(e) = store.replace_partner(old, guest, slot) {
        doc.roll_back_to(&before)?;
        return Err(e.into());
    }
    doc.set_pinned_keys(&PartnershipStore::pins(me, Some(guest)));
    let mut retired = doc.retired_keys().to_vec();
    retired.push(old);
    doc.set_retired_keys(&retired);
    store.save_then_compact(&mut doc)?;
    tracing::info!("re-pairing (host): the partner's new key is pinned; the old one retired");
    Ok((doc.automerge_mut().save(), doc.all_signatures()))
}

fn rekey(
    doc: &mut PartnershipDoc,
    slot: Slot,
    guest: DeviceKey,
    record: &GuestRecord,
) -> Result<(), NodeError> {
    let added = doc
        .merge_record(&record.document, record.signatures.clone(), &[guest])
        .map_err(|e| {
            tracing::warn!(error = %cocoach_doc::error_text(&e), "re-pairing (host): refused the partner's record");
            NodeError::RefusedDocument(cocoach_doc::error_text(&e))
        })?;
    tracing::info!(added, "re-pairing (host): took in the partner's record");
    doc.rekey_partner(slot, guest)?;
    doc.commit();
    Ok(())
}
