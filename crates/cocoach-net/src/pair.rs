//! Pairing over the `cocoach/pair/1` ALPN: the host serves an open invite, the guest
//! joins with a ticket. The steps themselves live in `cocoach_sync::pairing`.

use std::sync::Arc;
use std::time::Duration;

use cocoach_doc::DeviceKey;
use cocoach_sync::{GuestStep, HostStep, Message, PairError, PairingGuest, Ticket};
use iroh::endpoint::Connection;
use iroh::{EndpointAddr, PublicKey};
use tokio::sync::oneshot;

use crate::wire::Wire;
use crate::{Inner, NetError, NetEvent, key_of, lock};

/// How long a user may take to compare the codes.
const CONFIRM_WITHIN: Duration = Duration::from_secs(300);
const MESSAGE_WITHIN: Duration = Duration::from_secs(30);

/// Refused attempts on one invite (wrong secret, another device while one pairs)
/// before it closes: an invite is not a guessing game.
pub const MAX_FAILED_ATTEMPTS: u32 = 10;

/// Host side: one guest connection on an open invite.
pub async fn host(inner: Arc<Inner>, conn: Connection) -> Result<(), NetError> {
    let guest = key_of(conn.remote_id());
    let (send, recv) = conn
        .accept_bi()
        .await
        .map_err(|e| NetError::Connection(e.into()))?;
    let mut wire = Wire::new(send, recv, inner.tap.clone(), inner.received.clone());
    tracing::info!("pairing (host): a device opened the invite's connection");
    let Some(first) = wire.recv_within(MESSAGE_WITHIN).await? else {
        return Ok(());
    };
    let now = cocoach_doc::now_ms();
    let step = match lock(&inner.pairing).as_mut() {
        Some(h) => h.receive(guest, first, now),
        None => HostStep::Failed {
            error: PairError::Expired,
            reply: Some(Message::PairReject {
                reason: PairError::Expired.to_string(),
            }),
        },
    };
    let mut confirm = inner.pair_confirm.subscribe();
    confirm.mark_unchanged();
    let mut step = step;
    loop {
        match step {
            HostStep::ShowCode { code, guest_name } => {
                tracing::info!("pairing (host): the invite's secret was proven; showing the code");
                inner
                    .report(NetEvent::PairCode {
                        code,
                        partner_name: guest_name,
                    })
                    .await;
                step = HostStep::Send(Vec::new());
            }
            HostStep::Send(msgs) => {
                wire.send_all(&msgs).await?;
                step = tokio::select! {
                    c = confirm.changed() => {
                        if c.is_err() {
                            return Ok(());
                        }
                        let ok = *confirm.borrow_and_update() == Some(true);
                        tracing::info!(codes_match = ok, "pairing (host): our user compared the codes");
                        match lock(&inner.pairing).as_mut() {
                            Some(h) => h.user_confirms(ok),
                            None => return Ok(()),
                        }
                    }
                    m = wire.recv_within(CONFIRM_WITHIN) => {
                        let Some(m) = m? else { return Err(NetError::Closed("the partner left")) };
                        match lock(&inner.pairing).as_mut() {
                            Some(h) => h.receive(guest, m, cocoach_doc::now_ms()),
                            None => return Ok(()),
                        }
                    }
                };
            }
            HostStep::Accepted {
                guest,
                guest_name,
                record,
            } => {
                tracing::info!(
                    rejoin = record.is_some(),
                    "pairing (host): both confirmed; adding the partner"
                );
                let (tx, rx) = oneshot::channel();
                inner
                    .report(NetEvent::PairAccepted {
                        guest,
                        guest_name: guest_name.clone(),
                        record,
                        reply: tx,
                    })
                    .await;
                let Ok(Ok((host_name, document, signatures))) =
                    tokio::time::timeout(MESSAGE_WITHIN, rx).await
                else {
                    return Err(NetError::AddPartner);
                };
                *lock(&inner.pairing) = None;
                inner.gate.set_pairing_open(false);
                // From now on the new partner may sync.
                inner.gate.set_partner(Some(guest));
                let document_bytes = document.len();
                wire.send(&Message::Welcome {
                    host_name,
                    document,
                    signatures,
                })
                .await?;
                tracing::info!(document_bytes, "pairing (host): document sent");
                // The guest reads last and closes; wait for its goodbye.
                if let Err(e) = wire.recv_within(MESSAGE_WITHIN).await {
                    tracing::debug!(error = %cocoach_doc::error_text(&e), "pairing (host): no goodbye from the guest");
                }
                inner
                    .report(NetEvent::PairDone {
                        partner_name: guest_name,
                    })
                    .await;
                return Ok(());
            }
            HostStep::Failed { error, reply } => {
                tracing::info!(error = %cocoach_doc::error_text(&error), "pairing (host) refused");
                if let Some(r) = reply {
                    if let Err(e) = wire.send(&r).await {
                        tracing::debug!(error = %cocoach_doc::error_text(&e), "pairing (host): could not send the refusal");
                    }
                    wire.finish();
                    if let Err(e) = wire.recv_within(Duration::from_secs(2)).await {
                        tracing::debug!(error = %cocoach_doc::error_text(&e), "pairing (host): the guest did not close");
                    }
                }
                // Did this end the invite's pairing, or was it someone else's attempt
                // (a wrong secret, a second device)? Those never disturb the pairing;
                // too many of them close the invite.
                let ended = {
                    let mut pairing = lock(&inner.pairing);
                    match pairing.as_mut() {
                        Some(h) if h.is_over() || error == PairError::Expired => Some(None),
                        Some(h) => (h.note_failed_attempt() > MAX_FAILED_ATTEMPTS)
                            .then_some(Some(cocoach_i18n::key!("err-invite-too-many-attempts"))),
                        None => None,
                    }
                };
                match ended {
                    Some(why) => {
                        *lock(&inner.pairing) = None;
                        inner.gate.set_pairing_open(false);
                        tracing::info!("pairing (host): the invite is closed");
                        inner
                            .report(NetEvent::PairFailed {
                                reason: why.or(error.message_id()).map_or_else(
                                    || cocoach_doc::error_text(&error),
                                    str::to_string,
                                ),
                            })
                            .await;
                    }
                    None => tracing::info!(
                        "pairing (host): refused a device that is not the invited one; the invite stays open"
                    ),
                }
                return Ok(());
            }
        }
    }
}

/// What a successful join brings home.
#[derive(Debug)]
pub struct Joined {
    pub host: DeviceKey,
    pub host_name: String,
    pub document: Vec<u8>,
    /// The signatures of the document's changes, checked before it is stored.
    pub signatures: Vec<cocoach_doc::ChangeSignature>,
}

/// Guest side: dial the host in `ticket`, prove the secret, show the code, and on
/// both confirmations receive the document.
pub async fn join(
    inner: &Arc<Inner>,
    endpoint: &iroh::Endpoint,
    ticket: Ticket,
    name: &str,
    confirm: oneshot::Receiver<bool>,
    record: Option<cocoach_sync::GuestRecord>,
) -> Result<Joined, NetError> {
    match (ticket.rejoin, record.is_some()) {
        (true, false) => return Err(NetError::Pair(PairError::ForRejoin)),
        (false, true) => return Err(NetError::Pair(PairError::NotForRejoin)),
        _ => {}
    }
    let mut guest = PairingGuest::new(ticket.clone(), inner.me, name, cocoach_doc::now_ms())
        .map_err(NetError::Pair)?;
    if let Some(r) = record {
        guest = guest.with_record(r.document, r.signatures);
    }
    let host_key =
        PublicKey::from_bytes(&ticket.host.0).map_err(|_| NetError::Pair(PairError::BadTicket))?;
    let mut addr = EndpointAddr::new(host_key);
    for a in &ticket.addrs {
        addr = addr.with_ip_addr(*a);
    }
    let conn = tokio::time::timeout(
        Duration::from_secs(10),
        endpoint.connect(addr, crate::ALPN_PAIR),
    )
    .await
    .map_err(|_| NetError::NoAnswer)?
    .map_err(|e| NetError::Unreachable(e.into()))?;
    let (send, recv) = conn
        .open_bi()
        .await
        .map_err(|e| NetError::Connection(e.into()))?;
    let mut wire = Wire::new(send, recv, inner.tap.clone(), inner.received.clone());
    tracing::info!(
        addrs = ticket.addrs.len(),
        "pairing (guest): connected to the host"
    );
    wire.send_all(&guest.first_flight()).await?;
    // The host answers with its nonce once it accepted the request (or refuses);
    // only then is there a code, so a refused guest never shows one.
    let m = wire
        .recv_within(MESSAGE_WITHIN)
        .await?
        .ok_or(NetError::Closed(
            "your partner's device closed the connection",
        ))?;
    let code = match guest.receive(m) {
        GuestStep::ShowCode { code, send } => {
            wire.send_all(&send).await?;
            code
        }
        GuestStep::Failed(e) => return Err(NetError::Pair(e)),
        _ => {
            return Err(NetError::Pair(PairError::Protocol(
                "unexpected message before the code",
            )));
        }
    };
    inner
        .report(NetEvent::PairCode {
            code,
            partner_name: String::new(),
        })
        .await;
    // Wait for our user, while watching for a refusal from the host.
    let mine = tokio::select! {
        c = confirm => c.unwrap_or(false),
        m = wire.recv_within(CONFIRM_WITHIN) => {
            let m = m?.ok_or_else(|| NetError::Closed("your partner's device closed the connection"))?;
            match guest.receive(m) {
                GuestStep::Failed(e) => return Err(NetError::Pair(e)),
                _ => return Err(NetError::Pair(PairError::Protocol("unexpected message before confirmation"))),
            }
        }
    };
    tracing::info!(
        codes_match = mine,
        "pairing (guest): our user compared the codes"
    );
    match guest.user_confirms(mine) {
        GuestStep::Send(msgs) => wire.send_all(&msgs).await?,
        GuestStep::Failed(e) => {
            if let Err(e) = wire.send(&PairingGuest::decline_message()).await {
                tracing::debug!(error = %cocoach_doc::error_text(&e), "pairing (guest): could not send the refusal");
            }
            wire.finish();
            conn.close(0u32.into(), b"declined");
            return Err(NetError::Pair(e));
        }
        GuestStep::Welcomed { .. } | GuestStep::ShowCode { .. } => {}
    }
    let m = wire
        .recv_within(CONFIRM_WITHIN)
        .await?
        .ok_or_else(|| NetError::Closed("your partner's device closed the connection"))?;
    match guest.receive(m) {
        GuestStep::Welcomed {
            host_name,
            document,
            signatures,
        } => {
            tracing::info!(
                document_bytes = document.len(),
                "pairing (guest): document received"
            );
            if let Err(e) = wire.send(&Message::Bye).await {
                tracing::debug!(error = %cocoach_doc::error_text(&e), "pairing (guest): could not say goodbye");
            }
            wire.finish();
            // Give the goodbye a moment to leave before the connection goes.
            tokio::time::sleep(Duration::from_millis(50)).await;
            conn.close(0u32.into(), b"paired");
            Ok(Joined {
                host: ticket.host,
                host_name,
                document,
                signatures,
            })
        }
        GuestStep::Failed(e) => Err(NetError::Pair(e)),
        GuestStep::Send(_) | GuestStep::ShowCode { .. } => {
            Err(NetError::Pair(PairError::Protocol("unexpected message")))
        }
    }
}
