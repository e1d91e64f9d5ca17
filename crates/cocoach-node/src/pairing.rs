//! Pairing, both sides: the host's invite and its accept of the guest, the guest's
//! join. Each side stores the pairing in one transaction (the document and the
//! partner's pinned key together), so a crash leaves no pairing or a whole one
//! (`app/tests/crash_steps.rs`).

use cocoach_doc::{DeviceKey, PartnershipDoc, hex_decode};
use cocoach_net::lock;
use cocoach_store::{PartnerRecord, PartnershipStore};
use cocoach_sync::Ticket;
use tokio::sync::oneshot;

use crate::{Node, NodeError, Shared, note_save, rejoin};

impl Node {
    /// Whether an exchange with `partner` ever finished here (a sync state is
    /// stored for them). An unreadable store counts as yes: nothing is reopened.
    fn has_synced_with(&self, partner: DeviceKey) -> bool {
        let store = lock(&self.shared.store);
        store
            .as_ref()
            .is_none_or(|s| !matches!(s.sync_state(&partner), Ok(None)))
    }

    /// Open an invite for the partner (host side). Returns the ticket to show.
    pub fn invite(&self) -> Result<Ticket, NodeError> {
        self.invite_until(cocoach_doc::now_ms() + cocoach_sync::INVITE_LIFETIME_MS)
    }

    /// An invite that expires at `expires_at_ms` (the pairing ALPN closes then):
    /// [`Node::invite`] with the usual lifetime; tests use a short one.
    pub fn invite_until(&self, expires_at_ms: i64) -> Result<Ticket, NodeError> {
        if let Some(partner) = self.partner()
            && self.has_synced_with(partner)
        {
            // A new partner would take the place of the one paired.
            return Err(NodeError::AlreadyPaired);
        }
        // A partner pinned but never synced with may never have received the
        // partnership (their `join`, or this device's accept, was cut off after the
        // host saved the pairing): the same device may pair again
        // ([`accept_guest`] lets no other key in).
        self.open_invite(expires_at_ms, false)
    }

    /// An invite for a new partner, or (`rejoin`) for the partner's restored device.
    pub(crate) fn open_invite(
        &self,
        expires_at_ms: i64,
        rejoin: bool,
    ) -> Result<Ticket, NodeError> {
        if !self.has_partnership() {
            return Err(NodeError::NoPartnership);
        }
        let pid = lock(&self.shared.doc).partnership_id();
        let pid: [u8; 16] = hex_decode(&pid)
            .and_then(|b| b.try_into().ok())
            .ok_or(NodeError::Invite("the partnership id is malformed"))?;
        let mut ticket = Ticket::new(self.me, pid, self.net.addrs(), cocoach_doc::now_ms())
            .map_err(|e| NodeError::Doc(cocoach_doc::DocError::Random(e)))?;
        ticket.expires_at_ms = expires_at_ms;
        ticket.rejoin = rejoin;
        self.net.open_invite(ticket.clone())?;
        Ok(ticket)
    }

    /// The user compared the codes on both screens.
    pub fn confirm_pairing(&self, codes_match: bool) {
        self.net.confirm_pairing(codes_match);
    }

    /// Join the partnership in `ticket` (guest side) as `name`. `confirm` resolves
    /// with the user's comparison of the codes shown by `Event::PairCode`.
    pub async fn join(
        &self,
        ticket: Ticket,
        name: &str,
        confirm: oneshot::Receiver<bool>,
    ) -> Result<String, NodeError> {
        if self.has_partnership() {
            return Err(NodeError::AlreadyPaired);
        }
        let addrs = ticket.addrs.clone();
        let expected_pid = cocoach_doc::hex_encode(&ticket.partnership_id);
        let joined = self.net.join(ticket, name, confirm, None).await?;
        tracing::info!(
            bytes = joined.document.len(),
            "joined: storing the partnership"
        );
        let am = rejoin::check_untrusted(&joined.document)?;
        let mut doc = PartnershipDoc::from_automerge(am)?;
        if doc.partnership_id() != expected_pid.as_str()
            || doc.slot_of(&joined.host).is_none()
            || doc.slot_of(&self.me).is_none()
        {
            tracing::warn!("the received partnership does not match the invite");
            return Err(NodeError::WrongPartnership);
        }
        // Every change in it must be signed by the host's key pinned from the ticket.
        doc.set_pinned_keys(&PartnershipStore::pins(self.me, Some(joined.host)));
        let unsigned = |r: cocoach_doc::SignatureRefusal| {
            tracing::warn!(why = %r, "the received partnership is not signed by the host");
            NodeError::RefusedDocument(r.to_string())
        };
        doc.offer_signatures(joined.signatures).map_err(unsigned)?;
        doc.accept_new_changes(&[]).map_err(unsigned)?;
        let identity = lock(&self.shared.device).identity().clone();
        doc.set_signer(&identity);
        // The name as the host will see it, kept for the next start (a device that
        // hosts a re-pairing sends it); before the partnership, as in
        // `create_partnership_in`.
        if !name.trim().is_empty() {
            lock(&self.shared.device).set_name(name.trim())?;
        }
        // The partnership and its partner in one transaction: a crash leaves
        // either nothing (join again) or both.
        let host = PartnerRecord {
            key: joined.host,
            name: joined.host_name.clone(),
            addresses: addrs.iter().map(ToString::to_string).collect(),
            paired_at_ms: Some(cocoach_doc::now_ms()),
            last_seen_ms: Some(cocoach_doc::now_ms()),
        };
        let store = PartnershipStore::create_with_partner(&self.shared.dir, &mut doc, Some(&host))?;
        let pid = doc.partnership_id();
        *lock(&self.shared.doc) = doc;
        *lock(&self.shared.store) = Some(store);
        *lock(&self.shared.my_name) = name.to_string();
        self.net.set_partner(joined.host, &pid);
        Ok(joined.host_name)
    }
}

/// Host side of a confirmed pairing: the guest becomes partner B, durably, before the
/// document is sent.
pub(crate) fn accept_guest(
    shared: &Shared,
    guest: DeviceKey,
    name: &str,
) -> Result<(Vec<u8>, Vec<cocoach_doc::ChangeSignature>), NodeError> {
    // Only the device paired before (which never synced) may pair again. (The
    // store's lock before the document's, as everywhere.)
    let me = lock(&shared.doc).me();
    if let Some(me) = me
        && let Some(store) = lock(&shared.store).as_ref()
        && let Some(pinned) = store.pinned_partner(me)?
        && pinned != guest
    {
        tracing::warn!(
            "pairing: another device answered the invite for the partner already paired"
        );
        return Err(NodeError::AlreadyPaired);
    }
    let sent = {
        let mut doc = lock(&shared.doc);
        doc.set_partner_b(name, guest)?;
        let me = doc.me().ok_or(cocoach_doc::DocError::NotAMember)?;
        doc.set_pinned_keys(&PartnershipStore::pins(me, Some(guest)));
        doc.commit();
        drop(doc);
        // The document naming the guest and the row pinning their key, in one
        // transaction: a crash leaves neither (invite again) or both.
        let guest_row = PartnerRecord {
            key: guest,
            name: name.to_string(),
            addresses: Vec::new(),
            paired_at_ms: Some(cocoach_doc::now_ms()),
            last_seen_ms: Some(cocoach_doc::now_ms()),
        };
        let mut store = lock(&shared.store);
        let store = store.as_mut().ok_or(NodeError::NoPartnership)?;
        let mut doc = lock(&shared.doc);
        let result = store.save_with_partner(&mut doc, Some(&guest_row));
        note_save(shared, result.as_ref().err());
        result?;
        (doc.automerge_mut().save(), doc.all_signatures())
    };
    Ok(sent)
}
