//! Direct device-to-device connections over iroh (QUIC, authenticated by public key),
//! with no server: relays, DNS and port mapping are off. Runs the `cocoach-sync`
//! protocol over one QUIC stream per connection.
//!
//! - ALPN `cocoach/sync/1`: only the paired partner's key gets past the handshake
//!   (see `gate`). One live connection at a time; when both dial at once, the one
//!   dialled by the lower key is kept.
//! - ALPN `cocoach/pair/1`: open only while this device hosts an invite.
//! - The partner is dialled with its last known addresses; mDNS adds addresses on a
//!   shared LAN; a failed dial is retried with backoff; a heartbeat notices a dead
//!   path within seconds and the dialer re-dials.
//!
//! Architecture invariant: this is the only crate that knows iroh, and it cannot name
//! the store (nor the private journal).

mod conn;
mod gate;
mod pair;
mod wire;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use cocoach_doc::{DeviceKey, PartnershipDoc};
use cocoach_sync::{PairError, PairingHost, SyncError, Ticket};
use iroh::endpoint::{PortmapperConfig, presets};
use iroh::protocol::{AcceptError, ProtocolHandler, Router};
use iroh::{Endpoint, EndpointAddr, EndpointId, PublicKey, RelayMode, SecretKey};
use tokio::sync::{Notify, mpsc, oneshot, watch};

pub use conn::{DEAD_AFTER, DUPLICATE, HEARTBEAT};
pub use gate::{Gate, REFUSED};
pub use pair::{Joined, MAX_FAILED_ATTEMPTS};

pub const ALPN_SYNC: &[u8] = b"cocoach/sync/1";
pub const ALPN_PAIR: &[u8] = b"cocoach/pair/1";

/// Every plaintext byte this endpoint sends, collected for tests that check what
/// leaves the device (set `NetConfig::tap`). Off in the app.
pub type WireTap = Arc<Mutex<Vec<u8>>>;

/// The document shared between the node (which saves it) and the sync connections.
pub type SharedDoc = Arc<Mutex<PartnershipDoc>>;

/// Lock a mutex; a panic elsewhere while holding it does not make the data unusable.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn key_of(id: EndpointId) -> DeviceKey {
    DeviceKey(*id.as_bytes())
}

/// An error of the network stack (iroh, QUIC), kept whole as a [`NetError`]'s source:
/// iroh has a type per operation, and callers print the chain or downcast it.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors of the network layer. Messages say what failed in the user's terms; what
/// iroh said is the `source()`, so `{:#}` (or `cocoach_api::error_text`) shows both.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The partner's changes could not be saved here: the connection ends without
    /// acknowledging them (they come again at the next one).
    #[error("the partner's changes could not be saved on this device; not acknowledging them")]
    NotSaved,
    #[error("cannot open the network endpoint")]
    Bind(#[source] Cause),
    #[error("cannot reach your partner")]
    Unreachable(#[source] Cause),
    #[error("your partner's device did not answer; is their invite still open?")]
    NoAnswer,
    #[error("connection lost")]
    Connection(#[source] Cause),
    /// The other side ended the conversation before it was done.
    #[error("connection lost: {0}")]
    Closed(&'static str),
    #[error("could not add the partner to the document")]
    AddPartner,
    #[error(
        "refused your partner's latest changes: they would rewrite a field no change may ({0}). Nothing of them was kept; a buggy or tampered copy of cocoach on your partner's device sent them"
    )]
    Tampered(&'static str),
    /// A bug: the connection's task panicked. Only that connection ended.
    #[error("the connection stopped on an internal error (a bug); reconnecting")]
    Panicked,
    #[error("timed out: {0}")]
    Timeout(&'static str),
    #[error(transparent)]
    Pair(PairError),
    #[error("sync protocol")]
    Protocol(#[source] SyncError),
}

impl NetError {
    /// The id of the message saying this to the user in their language, if it is
    /// one they can act on.
    pub fn message_id(&self) -> Option<&'static str> {
        match self {
            NetError::Pair(p) => p.message_id(),
            _ => None,
        }
    }
}

/// How long a closing connection waits for the partner to read everything we sent
/// and close its side. A healthy partner closes within milliseconds; on a lossy path
/// QUIC's retransmission backoff can take seconds, and closing early would drop our
/// last `Idle`, leaving the partner unsure it is in sync (seen at 30 % loss with a
/// 3 s linger).
pub const CLOSE_LINGER: Duration = Duration::from_secs(15);

pub use cocoach_api::SyncStatus;

/// What the network tells the node.
#[derive(Debug)]
pub enum NetEvent {
    /// A sync connection is up; `addrs`: where the partner is reachable now.
    Connected {
        peer: DeviceKey,
        addrs: Vec<SocketAddr>,
    },
    Disconnected {
        peer: DeviceKey,
        reason: String,
    },
    /// A sync message was applied: save the document if it changed, and persist the
    /// sync state for this partner. When it changed, `saved` must be answered
    /// (`true`: on disk) before the connection says anything more to the partner.
    Synced {
        peer: DeviceKey,
        doc_changed: bool,
        state: Vec<u8>,
        saved: Option<oneshot::Sender<bool>>,
    },
    Status(SyncStatus),
    /// Dialling the partner failed; retrying after `retry_in`.
    Unreachable {
        reason: String,
        retry_in: Duration,
    },
    /// A device that is not our partner was turned away at the handshake.
    Refused {
        peer: DeviceKey,
        alpn: String,
    },
    /// The partner's device sent changes that rewrite a protected field; they were
    /// refused whole and the connection closed. `what` is the id of the message
    /// naming the field (`tampered-…`), no value.
    Tampered {
        peer: DeviceKey,
        what: &'static str,
    },
    /// Pairing: show this verification code (and the partner's name, when known).
    PairCode {
        code: String,
        partner_name: String,
    },
    /// Pairing (host): both confirmed. Add the guest to the document, save, and reply
    /// with this device's name and the whole document.
    PairAccepted {
        guest: DeviceKey,
        guest_name: String,
        /// Re-pairing: the restored device's record, to take in before its place
        /// gets the new key (`None`: a new partner).
        record: Option<cocoach_sync::GuestRecord>,
        /// The host's name, the document and the signatures of its changes.
        reply: oneshot::Sender<(String, Vec<u8>, Vec<cocoach_doc::ChangeSignature>)>,
    },
    /// Pairing (host): the partner received the document.
    PairDone {
        partner_name: String,
    },
    PairFailed {
        reason: String,
    },
}

impl NetEvent {
    /// The event's kind, for logs (events carry names and codes: never log those).
    pub fn kind(&self) -> &'static str {
        match self {
            NetEvent::Connected { .. } => "connected",
            NetEvent::Disconnected { .. } => "disconnected",
            NetEvent::Synced { .. } => "synced",
            NetEvent::Status(_) => "status",
            NetEvent::Unreachable { .. } => "unreachable",
            NetEvent::Refused { .. } => "refused",
            NetEvent::Tampered { .. } => "tampered",
            NetEvent::PairCode { .. } => "pair-code",
            NetEvent::PairAccepted { .. } => "pair-accepted",
            NetEvent::PairDone { .. } => "pair-done",
            NetEvent::PairFailed { .. } => "pair-failed",
        }
    }
}

#[derive(Clone)]
pub struct NetConfig {
    /// This device's 32-byte ed25519 seed (wiped on drop; never in `Debug`).
    pub secret: zeroize::Zeroizing<[u8; 32]>,
    /// Where to listen, e.g. `0.0.0.0:0` (any port) or `127.0.0.1:0` in tests.
    pub bind: SocketAddr,
    /// Find the partner on the local network with mDNS.
    pub mdns: bool,
    /// The partnership this device syncs ("" while it has none yet).
    pub partnership_id: String,
    pub partner: Option<DeviceKey>,
    /// The sync state persisted for the partner.
    pub sync_state: Option<Vec<u8>>,
    /// Record every byte sent (tests only).
    pub tap: Option<WireTap>,
    /// Count every byte received (tests only: a cut at a point of the transfer).
    pub received: Option<RxMeter>,
    /// Tests only: while the counter is above zero, each message a sync connection
    /// receives takes one off and panics, as a bug in its task would, to prove that
    /// a panic ends that connection only and the node reconnects. `None` in the app.
    pub panic_on_receive: Option<PanicHook>,
}

/// See [`NetConfig::received`]: the bytes this device's sync connections have
/// read, and a point at which they stop reading (tests only: a device that stops
/// at an exact byte of a transfer, to be cut there).
#[derive(Clone, Debug)]
pub struct RxMeter(Arc<Meter>);

#[derive(Debug)]
struct Meter {
    count: AtomicU64,
    stall_at: watch::Sender<u64>,
}

impl Default for RxMeter {
    fn default() -> RxMeter {
        RxMeter(Arc::new(Meter {
            count: AtomicU64::new(0),
            stall_at: watch::Sender::new(u64::MAX),
        }))
    }
}

impl RxMeter {
    /// Bytes read so far.
    pub fn count(&self) -> u64 {
        self.0.count.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Read nothing more once `n` bytes are read in all (until [`RxMeter::release`]).
    pub fn stall_at(&self, n: u64) {
        self.0.stall_at.send_replace(n);
    }

    /// Read on.
    pub fn release(&self) {
        self.0.stall_at.send_replace(u64::MAX);
    }

    pub(crate) fn add(&self, n: usize) {
        self.0
            .count
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
    }

    /// How much may be read before the stall point (at least one byte, so that a
    /// read is never asked for nothing).
    pub(crate) fn until_stall(&self) -> usize {
        let left = self.0.stall_at.borrow().saturating_sub(self.count());
        usize::try_from(left).unwrap_or(usize::MAX).max(1)
    }

    /// Wait while the stall point is reached.
    pub(crate) async fn hold(&self) {
        let mut rx = self.0.stall_at.subscribe();
        // Err: the sender is gone, which it cannot be while `self` holds it.
        let _ = rx.wait_for(|&at| self.count() < at).await;
    }
}

/// See [`NetConfig::panic_on_receive`].
pub type PanicHook = Arc<std::sync::atomic::AtomicUsize>;

impl std::fmt::Debug for NetConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret; the rest says where the node listens and what it syncs.
        f.debug_struct("NetConfig")
            .field("bind", &self.bind)
            .field("mdns", &self.mdns)
            .field("partner", &self.partner)
            .field("sync_state_bytes", &self.sync_state.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn debug_never_shows_the_secret() {
        let cfg = super::NetConfig {
            secret: zeroize::Zeroizing::new([0xab; 32]),
            bind: "127.0.0.1:0".parse().unwrap_or_else(|_| unreachable!()),
            mdns: false,
            partnership_id: String::new(),
            partner: None,
            sync_state: None,
            tap: None,
            received: None,
            panic_on_receive: None,
        };
        let shown = format!("{cfg:?} {cfg:#?}");
        assert!(
            !shown.contains("171") && !shown.to_lowercase().contains("abab"),
            "{shown}"
        );
        assert!(shown.contains("127.0.0.1"));
    }
}

pub(crate) struct Active {
    id: u64,
    dialer: DeviceKey,
    /// When it opened: only a connection this young can be one of two dialled at once.
    opened: std::time::Instant,
    close: watch::Sender<bool>,
}

/// Wait out `backoff` before the next dial, then double it (at most 10 s). False
/// when the node shut down meanwhile.
async fn back_off(backoff: &mut Duration, shutdown: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(*backoff) => {}
        _ = shutdown.changed() => return false,
    }
    *backoff = (*backoff * 2).min(Duration::from_secs(10));
    true
}

pub(crate) struct Inner {
    pub(crate) me: DeviceKey,
    pub(crate) partnership_id: Mutex<String>,
    pub(crate) doc: SharedDoc,
    pub(crate) sync_state: Mutex<Option<Vec<u8>>>,
    pub(crate) changes: watch::Receiver<u64>,
    pub(crate) events: mpsc::Sender<NetEvent>,
    pub(crate) gate: Gate,
    pub(crate) active: Mutex<Option<Active>>,
    pub(crate) active_changed: Notify,
    pub(crate) next_conn: AtomicU64,
    /// Counts invites opened, so an expiry timer closes only its own invite.
    pub(crate) invite_gen: AtomicU64,
    pub(crate) pairing: Mutex<Option<PairingHost>>,
    pub(crate) pair_confirm: watch::Sender<Option<bool>>,
    pub(crate) shutdown: watch::Sender<bool>,
    partner_addrs: Mutex<Vec<SocketAddr>>,
    pub(crate) tap: Option<WireTap>,
    pub(crate) received: Option<RxMeter>,
    pub(crate) panic_on_receive: Option<PanicHook>,
}

impl Inner {
    /// Tell the node, waiting for room in its queue. Fails only once the node is gone.
    pub(crate) async fn report(&self, ev: NetEvent) {
        let kind = ev.kind();
        if self.events.send(ev).await.is_err() {
            tracing::debug!(kind, "the node has stopped listening; event not delivered");
        }
    }

    /// Tell the node without waiting: an event that finds the queue full is dropped
    /// (only informational ones are sent this way).
    pub(crate) fn try_report(&self, ev: NetEvent) {
        if let Err(e) = self.events.try_send(ev) {
            let (why, ev) = match e {
                mpsc::error::TrySendError::Full(ev) => ("the node's queue is full", ev),
                mpsc::error::TrySendError::Closed(ev) => ("the node has stopped listening", ev),
            };
            tracing::debug!(kind = ev.kind(), "event dropped: {why}");
        }
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct SyncProtocol(Arc<Inner>);

impl ProtocolHandler for SyncProtocol {
    async fn accept(&self, connection: iroh::endpoint::Connection) -> Result<(), AcceptError> {
        // Errors end this connection only (`run` logs and reports how it ended); the
        // dialer on the other side retries.
        conn::run(self.0.clone(), connection, false).await;
        Ok(())
    }
}

#[derive(Debug, Clone)]
struct PairProtocol(Arc<Inner>);

impl ProtocolHandler for PairProtocol {
    async fn accept(&self, connection: iroh::endpoint::Connection) -> Result<(), AcceptError> {
        let guest = key_of(connection.remote_id());
        if let Err(e) = pair::host(self.0.clone(), connection).await {
            tracing::info!(error = %cocoach_doc::error_text(&e), "pairing (host) failed");
            // The invited guest's pairing broke off: the invite closes. Another
            // device's connection failing leaves it open for the invited one.
            let ours = {
                let mut pairing = lock(&self.0.pairing);
                let ours = pairing.as_ref().is_some_and(|h| h.is_pairing_with(&guest));
                if ours {
                    *pairing = None;
                    self.0.gate.set_pairing_open(false);
                }
                ours
            };
            if ours {
                self.0
                    .report(NetEvent::PairFailed {
                        reason: reason_of(&e),
                    })
                    .await;
            }
        }
        Ok(())
    }
}

/// A running network endpoint.
#[derive(Debug)]
pub struct Net {
    inner: Arc<Inner>,
    router: Router,
}

impl Net {
    /// Bind the endpoint and start accepting. `changes` ticks whenever the node saved a
    /// local change (it is pushed to the partner at once).
    pub async fn start(
        cfg: NetConfig,
        doc: SharedDoc,
        changes: watch::Receiver<u64>,
        events: mpsc::Sender<NetEvent>,
    ) -> Result<Net, NetError> {
        let gate = Gate::new(cfg.partner, events.clone());
        let secret = SecretKey::from_bytes(&cfg.secret);
        let me = DeviceKey(*secret.public().as_bytes());
        let mut builder = Endpoint::builder(presets::Minimal)
            .secret_key(secret)
            .relay_mode(RelayMode::Disabled)
            .portmapper_config(PortmapperConfig::Disabled)
            .hooks(gate.clone())
            .clear_ip_transports()
            .bind_addr(cfg.bind)
            .map_err(|e| NetError::Bind(e.into()))?;
        if cfg.mdns {
            builder = builder.address_lookup(
                iroh_mdns_address_lookup::MdnsAddressLookup::builder().service_name("cocoach"),
            );
        }
        let endpoint = builder.bind().await.map_err(|e| NetError::Bind(e.into()))?;
        let (shutdown, _) = watch::channel(false);
        let (pair_confirm, _) = watch::channel(None);
        let inner = Arc::new(Inner {
            me,
            partnership_id: Mutex::new(cfg.partnership_id),
            doc,
            sync_state: Mutex::new(cfg.sync_state),
            changes,
            events,
            gate,
            active: Mutex::new(None),
            active_changed: Notify::new(),
            next_conn: AtomicU64::new(1),
            invite_gen: AtomicU64::new(0),
            pairing: Mutex::new(None),
            pair_confirm,
            shutdown,
            partner_addrs: Mutex::new(Vec::new()),
            tap: cfg.tap,
            received: cfg.received,
            panic_on_receive: cfg.panic_on_receive,
        });
        let router = Router::builder(endpoint)
            .accept(ALPN_SYNC, SyncProtocol(inner.clone()))
            .accept(ALPN_PAIR, PairProtocol(inner.clone()))
            .spawn();
        let net = Net { inner, router };
        tracing::info!(
            port = net.port(),
            mdns = cfg.mdns,
            paired = cfg.partner.is_some(),
            "network endpoint up"
        );
        Ok(net)
    }

    pub fn id(&self) -> DeviceKey {
        self.inner.me
    }

    /// The port the endpoint is bound to.
    pub fn port(&self) -> Option<u16> {
        self.router
            .endpoint()
            .bound_sockets()
            .first()
            .map(SocketAddr::port)
    }

    /// The addresses this device listens on, for a ticket or the partner to dial.
    pub fn addrs(&self) -> Vec<SocketAddr> {
        let mut a: Vec<SocketAddr> = self.router.endpoint().addr().ip_addrs().copied().collect();
        if a.is_empty() {
            a = self.router.endpoint().bound_sockets();
        }
        a
    }

    /// Let `partner` in on the sync ALPN (after pairing).
    pub fn set_partner(&self, partner: DeviceKey, partnership_id: &str) {
        self.inner.gate.set_partner(Some(partner));
        *lock(&self.inner.partnership_id) = partnership_id.to_string();
    }

    /// The partnership whose document this device syncs (set once one is created).
    pub fn set_partnership_id(&self, partnership_id: &str) {
        *lock(&self.inner.partnership_id) = partnership_id.to_string();
    }

    pub fn is_connected(&self) -> bool {
        lock(&self.inner.active).is_some()
    }

    /// Keep a connection to the partner: dial now with these addresses, retry with
    /// backoff while unreachable, re-dial when a connection dies. Runs until shutdown.
    pub fn keep_connected(&self, partner: DeviceKey, addrs: Vec<SocketAddr>) {
        *lock(&self.inner.partner_addrs) = addrs;
        let inner = self.inner.clone();
        let endpoint = self.router.endpoint().clone();
        tokio::spawn(async move {
            let mut shutdown = inner.shutdown.subscribe();
            let mut backoff = Duration::from_millis(250);
            loop {
                if *shutdown.borrow() {
                    return;
                }
                if lock(&inner.active).is_some() {
                    // Connected (perhaps the partner dialled us): wait until that ends.
                    tokio::select! {
                        _ = inner.active_changed.notified() => {}
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                        _ = shutdown.changed() => return,
                    }
                    continue;
                }
                // The partner admitted now: a re-pairing replaces the key dialled.
                let partner = inner.gate.partner().unwrap_or(partner);
                let Ok(pk) = PublicKey::from_bytes(&partner.0) else {
                    tracing::warn!("the partner's stored key is not a valid key; not dialling");
                    return;
                };
                let mut addr = EndpointAddr::new(pk);
                for a in lock(&inner.partner_addrs).iter() {
                    addr = addr.with_ip_addr(*a);
                }
                let attempt =
                    tokio::time::timeout(Duration::from_secs(5), endpoint.connect(addr, ALPN_SYNC))
                        .await;
                match attempt {
                    Ok(Ok(conn)) => {
                        let opened = std::time::Instant::now();
                        let ended = conn::run(inner.clone(), conn, true).await;
                        let short = opened.elapsed() < conn::SHORT_LIVED;
                        if ended == conn::Ended::Duplicate && lock(&inner.active).is_none() {
                            // The partner keeps a connection it took for one dialled
                            // at the same moment as ours; past the race window it
                            // takes a new one instead (conn.rs, `RACE_WINDOW`).
                            // Dialling again at once made thousands of connections a
                            // second until its heartbeat gave the old one up (found
                            // by tests/tests/cuts.rs, a device restarted at once).
                            tracing::debug!(
                                "the partner kept another connection; dialling again past the race window"
                            );
                            tokio::select! {
                                _ = tokio::time::sleep(conn::RACE_WINDOW) => {}
                                _ = shutdown.changed() => return,
                            }
                        } else if ended != conn::Ended::Refused && !short {
                            // Dial again at once: a partner that is about to quit
                            // still answers a connection that arrives while it
                            // lingers (conn.rs, `goodbye`).
                            backoff = Duration::from_millis(250);
                        } else if ended != conn::Ended::Refused {
                            // Ended as soon as it opened (the partner is quitting, or
                            // the path failed at once): not in a tight loop.
                            tracing::debug!(
                                retry_in_ms = backoff.as_millis(),
                                "the connection ended as it opened; waiting before dialling again"
                            );
                            if !back_off(&mut backoff, &mut shutdown).await {
                                return;
                            }
                        } else {
                            // The partner's device refused this key at the handshake
                            // (it re-paired, or we are the lost laptop): dialling
                            // again at once would hammer it.
                            tracing::debug!(
                                retry_in_ms = backoff.as_millis(),
                                "refused by the partner's device; waiting before dialling again"
                            );
                            if !back_off(&mut backoff, &mut shutdown).await {
                                return;
                            }
                        }
                    }
                    Ok(Err(e)) => {
                        tracing::debug!(error = %cocoach_doc::error_text(&e), retry_in_ms = backoff.as_millis(), "dialling the partner failed");
                        inner.try_report(NetEvent::Unreachable {
                            reason: cocoach_doc::error_text(&e),
                            retry_in: backoff,
                        });
                        if !back_off(&mut backoff, &mut shutdown).await {
                            return;
                        }
                    }
                    Err(_) => {
                        tracing::debug!(
                            retry_in_ms = backoff.as_millis(),
                            "the partner did not answer within 5 s"
                        );
                        inner.try_report(NetEvent::Unreachable {
                            reason: "no answer within 5 s".into(),
                            retry_in: backoff,
                        });
                        if !back_off(&mut backoff, &mut shutdown).await {
                            return;
                        }
                    }
                }
            }
        });
    }

    /// Host an invite: the pairing ALPN opens for it until it is used or expires.
    /// At its expiry the ALPN closes by itself (the host is told `PairFailed`), so an
    /// invite nobody used stops answering even if the user never cancels it.
    pub fn open_invite(&self, ticket: Ticket) -> Result<(), NetError> {
        let expires_at_ms = ticket.expires_at_ms;
        *lock(&self.inner.pairing) = Some(PairingHost::new(ticket).map_err(NetError::Pair)?);
        self.inner.pair_confirm.send_replace(None);
        self.inner.gate.set_pairing_open(true);
        let generation = self.inner.invite_gen.fetch_add(1, Ordering::SeqCst) + 1;
        let wait = u64::try_from(expires_at_ms - cocoach_doc::now_ms()).unwrap_or(0);
        let inner = self.inner.clone();
        let expire = async move {
            tokio::time::sleep(Duration::from_millis(wait)).await;
            if inner.invite_gen.load(Ordering::SeqCst) != generation {
                return; // a newer invite replaced this one
            }
            let was_open = lock(&inner.pairing).take().is_some();
            inner.gate.set_pairing_open(false);
            if was_open {
                tracing::info!("the invite expired; the pairing ALPN is closed");
                inner
                    .report(NetEvent::PairFailed {
                        reason: cocoach_i18n::key!("err-invite-expired-host").into(),
                    })
                    .await;
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => drop(rt.spawn(expire)),
            // Without a runtime nothing can connect either; the host still refuses
            // an expired invite by its own check.
            Err(_) => tracing::warn!("no runtime for the invite's expiry timer"),
        }
        Ok(())
    }

    /// Close the invite (expired, cancelled, or done).
    pub fn close_invite(&self) {
        *lock(&self.inner.pairing) = None;
        self.inner.gate.set_pairing_open(false);
    }

    /// The host's user compared the codes.
    pub fn confirm_pairing(&self, codes_match: bool) {
        self.inner.pair_confirm.send_replace(Some(codes_match));
    }

    /// Join the partnership in `ticket` as `name`. `confirm` resolves with the
    /// user's comparison of the codes (shown via `NetEvent::PairCode`). `record`:
    /// re-pairing a restored device, whose whole record goes to the host once our
    /// user confirmed (the ticket must be a re-pairing invite, and only then).
    pub async fn join(
        &self,
        ticket: Ticket,
        name: &str,
        confirm: oneshot::Receiver<bool>,
        record: Option<cocoach_sync::GuestRecord>,
    ) -> Result<Joined, NetError> {
        pair::join(
            &self.inner,
            self.router.endpoint(),
            ticket,
            name,
            confirm,
            record,
        )
        .await
    }

    /// Close connections politely (the partner reads everything we sent first),
    /// then the endpoint.
    pub async fn shutdown(&self) {
        self.inner.shutdown.send_replace(true);
        let deadline = tokio::time::Instant::now() + CLOSE_LINGER + Duration::from_secs(1);
        while lock(&self.inner.active).is_some() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if let Err(e) = self.router.shutdown().await {
            tracing::debug!(error = %cocoach_doc::error_text(&e), "the endpoint did not shut down cleanly");
        }
    }
}

/// What a failed pairing tells the user: the id of a message in their language when
/// there is one, else the error's own words.
pub fn reason_of(e: &NetError) -> String {
    e.message_id()
        .map_or_else(|| cocoach_doc::error_text(e), str::to_string)
}
