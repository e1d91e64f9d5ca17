//! Who may connect: checked in `after_handshake`, right after TLS proved the remote's
//! key and before any protocol handler runs, so a stranger never receives a byte of
//! the document.

use std::sync::{Arc, RwLock};

use cocoach_doc::DeviceKey;
use iroh::endpoint::{AfterHandshakeOutcome, Connection, EndpointHooks, Side};
use tokio::sync::mpsc;

use crate::{ALPN_PAIR, ALPN_SYNC, NetEvent, key_of};

/// QUIC close code for a refused peer.
pub const REFUSED: u32 = 403;

#[derive(Debug, Default)]
struct Rules {
    partner: Option<DeviceKey>,
    /// An invite is open: anyone may try the pairing protocol (the invite's secret
    /// is checked there).
    pairing_open: bool,
}

/// The allow-list, shared between the endpoint's hook and the `Net` handle.
#[derive(Debug, Clone)]
pub struct Gate {
    rules: Arc<RwLock<Rules>>,
    events: mpsc::Sender<NetEvent>,
}

impl Gate {
    pub fn new(partner: Option<DeviceKey>, events: mpsc::Sender<NetEvent>) -> Gate {
        Gate {
            rules: Arc::new(RwLock::new(Rules {
                partner,
                pairing_open: false,
            })),
            events,
        }
    }

    pub fn set_partner(&self, key: Option<DeviceKey>) {
        if let Ok(mut r) = self.rules.write() {
            r.partner = key;
        }
    }

    pub fn partner(&self) -> Option<DeviceKey> {
        self.rules.read().ok().and_then(|r| r.partner)
    }

    pub fn set_pairing_open(&self, open: bool) {
        if let Ok(mut r) = self.rules.write() {
            r.pairing_open = open;
        }
    }

    /// The decision, for one remote key, ALPN and direction.
    pub fn allows(&self, remote: DeviceKey, alpn: &[u8], we_dialed: bool) -> bool {
        let Ok(r) = self.rules.read() else {
            return false;
        };
        if alpn == ALPN_SYNC {
            r.partner == Some(remote)
        } else if alpn == ALPN_PAIR {
            // We dial to join with a ticket (TLS already pinned the host's key), or
            // we host an open invite.
            we_dialed || r.pairing_open
        } else {
            false
        }
    }
}

impl EndpointHooks for Gate {
    async fn after_handshake<'a>(&'a self, conn: &'a Connection) -> AfterHandshakeOutcome {
        let remote = key_of(conn.remote_id());
        let we_dialed = conn.side() == Side::Client;
        if self.allows(remote, conn.alpn(), we_dialed) {
            return AfterHandshakeOutcome::Accept;
        }
        // Which protocol only; a stranger's key and made-up ALPN bytes stay out of the log.
        let alpn = match conn.alpn() {
            a if a == ALPN_SYNC => "sync",
            a if a == ALPN_PAIR => "pair",
            _ => "other",
        };
        tracing::info!(alpn, we_dialed, "refused a device at the handshake");
        if let Err(e) = self.events.try_send(NetEvent::Refused {
            peer: remote,
            alpn: String::from_utf8_lossy(conn.alpn()).into_owned(),
        }) {
            tracing::debug!(error = %cocoach_doc::error_text(&e), "refusal not reported: the node's queue is full or gone");
        }
        AfterHandshakeOutcome::Reject {
            error_code: REFUSED.into(),
            reason: b"not your partner".to_vec(),
        }
    }
}
