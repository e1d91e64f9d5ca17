//! One running cocoach peer, headless: owns the store and the network on a tokio
//! runtime it is handed, applies edits, saves every change, pushes it to the partner,
//! and reports what happens as events on a bounded channel. The CLI, the GUI and the
//! tests all drive a node the same way.
//!
//! By concern: this file holds the node itself (start, edits, saving, reading) and
//! the pump that turns network events into store writes and events; `pairing.rs`
//! the invite, accept and join; `rejoin.rs` re-pairing; `handle.rs` the
//! non-blocking handle the window uses; `files.rs` backups and sync files.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cocoach_doc::{DeviceKey, PartnershipDoc};
use cocoach_net::{Net, NetConfig, NetError, NetEvent, SharedDoc, lock};
use cocoach_store::{DataDir, DeviceStore, EditError, PartnerRecord, PartnershipStore, StoreError};
use tokio::sync::{mpsc, watch};

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Net(#[from] NetError),
    #[error(transparent)]
    Doc(#[from] cocoach_doc::DocError),
    #[error("this device has no partnership yet: create one with `cocoach init` or join one")]
    NoPartnership,
    #[error("this device already holds a partnership")]
    AlreadyPaired,
    #[error("no partner yet: invite your partner first")]
    NoPartner,
    #[error("the received partnership does not match the invite")]
    WrongPartnership,
    #[error("this device is one of the partners already: there is nothing to re-pair")]
    NothingToRejoin,

    #[error("please enter your name")]
    NameRequired,
    #[error("cannot make an invite: {0}")]
    Invite(&'static str),
    /// The inviting device sent a document this device will not open.
    #[error("refused the partnership the inviting device sent: {0}")]
    RefusedDocument(String),
    #[error(transparent)]
    SyncFile(cocoach_sync::file::FileError),
    #[error("cannot write the sync file")]
    SyncFileWrite(#[source] cocoach_sync::SyncError),
    #[error("cannot read or write {path}")]
    File {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl NodeError {
    /// The id of the message saying this to the user in their language, for the
    /// errors a user can meet and act on; `None`: show the error's own words.
    pub fn message_id(&self) -> Option<&'static str> {
        Some(match self {
            NodeError::Net(n) => return n.message_id(),
            NodeError::Doc(d) => return d.message_id(),
            NodeError::NoPartnership => cocoach_i18n::key!("err-no-partnership"),
            NodeError::AlreadyPaired => cocoach_i18n::key!("err-already-paired"),
            NodeError::NoPartner => cocoach_i18n::key!("err-no-partner"),
            NodeError::WrongPartnership => cocoach_i18n::key!("err-wrong-partnership"),
            NodeError::NothingToRejoin => cocoach_i18n::key!("err-nothing-to-rejoin"),
            NodeError::NameRequired => cocoach_i18n::key!("err-name-required"),
            _ => return None,
        })
    }

    /// What the window is told: a message id when there is one (it shows it in the
    /// user's language), else the error's own words.
    pub fn reason(&self) -> String {
        self.message_id()
            .map_or_else(|| cocoach_doc::error_text(self), str::to_string)
    }
}

mod files;
mod handle;
mod pairing;
mod rejoin;
pub use cocoach_api::{Command, EditFn, Event, NodeLink, SendError, SyncStatus, View, Wake};
pub use files::SyncFileWritten;
pub use handle::{COMMAND_QUEUE, NodeHandle, SAVE_RETRY};

#[derive(Debug, Clone)]
pub struct NodeConfig {
    pub data_dir: DataDir,
    pub bind: SocketAddr,
    pub mdns: bool,
    /// Record every byte the network sends (tests only).
    pub tap: Option<cocoach_net::WireTap>,
    /// Count every byte the network receives (tests only).
    pub received: Option<cocoach_net::RxMeter>,
    /// Tests only: see [`cocoach_net::NetConfig::panic_on_receive`].
    pub panic_on_receive: Option<cocoach_net::PanicHook>,
}

struct Shared {
    dir: DataDir,
    store: Mutex<Option<PartnershipStore>>,
    doc: SharedDoc,
    changes: watch::Sender<u64>,
    my_name: Mutex<String>,
    device: Mutex<DeviceStore>,
    /// Why the last save failed; `None` once a save succeeds. While it is set, the
    /// status bar says "Not saved" and the driver retries (the changes wait in
    /// memory: a failed save never marks them saved).
    save_failed: Mutex<Option<String>>,
}

/// A running peer.
pub struct Node {
    shared: Arc<Shared>,
    net: Net,
    me: DeviceKey,
    events: Option<mpsc::Receiver<Event>>,
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

/// Save what is committed (the one path, shared with the command line). A failed
/// compaction after a good save is logged, not reported as a failed save.
fn save(shared: &Shared) -> Result<(), StoreError> {
    let mut store = lock(&shared.store);
    if let Some(store) = store.as_mut() {
        let mut doc = lock(&shared.doc);
        let result = store.save_then_compact(&mut doc);
        note_save(shared, result.as_ref().err());
        let (saved, compaction_failed) = result?;
        if saved.changes > 0 {
            tracing::debug!(changes = saved.changes, bytes = saved.bytes, "saved");
        }
        if let Some(e) = compaction_failed {
            tracing::warn!(target: "cocoach::store", error = %cocoach_doc::error_text(&e), "compaction failed after a good save; will retry");
        }
    }
    Ok(())
}

/// Remember how the last save went (see [`Shared::save_failed`]).
fn note_save(shared: &Shared, failed: Option<&StoreError>) {
    let mut last = lock(&shared.save_failed);
    match failed {
        Some(e) => {
            if last.is_none() {
                tracing::warn!(target: "cocoach::store", error = %cocoach_doc::error_text(e), "a save failed; the changes wait in memory and will be retried");
            }
            *last = Some(cocoach_doc::error_text(e));
        }
        None => {
            if last.take().is_some() {
                tracing::info!(target: "cocoach::store", "saved again after a failed save");
            }
        }
    }
}

fn touch_partner(shared: &Shared, peer: DeviceKey, state: Option<&[u8]>) -> Result<(), StoreError> {
    let mut store = lock(&shared.store);
    let Some(store) = store.as_mut() else {
        return Ok(());
    };
    if let Some(state) = state {
        store.set_sync_state(&peer, state)?;
    }
    if let Some(mut rec) = store.partners()?.into_iter().find(|p| p.key == peer) {
        rec.last_seen_ms = Some(cocoach_doc::now_ms());
        store.upsert_partner(&rec)?;
    }
    Ok(())
}

impl Node {
    /// Start a node on the current tokio runtime. A device without a partnership
    /// starts too (it can join one).
    pub async fn start(cfg: NodeConfig) -> Result<Node, NodeError> {
        let device = DeviceStore::open_or_create(&cfg.data_dir)?;
        let me = device.identity().public();
        let my_name = device.name()?;
        let seed = device.identity().seed();
        let last_port = device.listen_port()?;
        let opened = std::time::Instant::now();
        let (store, mut doc) = if cfg.data_dir.partnership_db().exists() {
            let (store, doc, report) =
                PartnershipStore::open(&cfg.data_dir, Some(device.identity()))?;
            tracing::info!(
                snapshots = report.snapshots,
                changes = report.changes,
                bytes = report.bytes,
                ms = opened.elapsed().as_millis(),
                "partnership opened"
            );
            (Some(store), doc)
        } else {
            // A placeholder until the device joins a partnership: no sync connection can
            // reach it, because no partner is allowed in yet.
            (
                None,
                PartnershipDoc::create("placeholder", device.identity())?,
            )
        };
        let (partner, sync_state, partnership_id) = match store.as_ref() {
            Some(s) => {
                let partner = s.pinned_partner(me)?;
                let state = match partner {
                    Some(p) => s.sync_state(&p)?,
                    None => None,
                };
                (partner, state, doc.partnership_id())
            }
            None => (None, None, Default::default()),
        };
        doc.set_pinned_keys(&PartnershipStore::pins(me, partner));
        let (changes, changes_rx) = watch::channel(0u64);
        let shared = Arc::new(Shared {
            dir: cfg.data_dir.clone(),
            store: Mutex::new(store),
            doc: Arc::new(Mutex::new(doc)),
            changes,
            my_name: Mutex::new(my_name),
            device: Mutex::new(device),
            save_failed: Mutex::new(None),
        });
        let (net_tx, net_rx) = mpsc::channel(256);
        let net_cfg = NetConfig {
            secret: seed,
            bind: cfg.bind,
            mdns: cfg.mdns,
            partnership_id: partnership_id.to_string(),
            partner,
            sync_state,
            tap: cfg.tap,
            received: cfg.received,
            panic_on_receive: cfg.panic_on_receive,
        };
        // "Any port" means the port this device used before, so the address the
        // partner remembers stays valid; a fresh one if that port is taken.
        let remembered = match last_port {
            Some(p) if cfg.bind.port() == 0 => Some(SocketAddr::new(cfg.bind.ip(), p)),
            _ => None,
        };
        let net = match remembered {
            Some(bind) => match Net::start(
                NetConfig {
                    bind,
                    ..net_cfg.clone()
                },
                shared.doc.clone(),
                changes_rx.clone(),
                net_tx.clone(),
            )
            .await
            {
                Ok(net) => net,
                Err(e) => {
                    tracing::info!(error = %cocoach_doc::error_text(&e), "the remembered port is taken; using a fresh one");
                    Net::start(net_cfg, shared.doc.clone(), changes_rx, net_tx).await?
                }
            },
            None => Net::start(net_cfg, shared.doc.clone(), changes_rx, net_tx).await?,
        };
        if let Some(port) = net.port() {
            lock(&shared.device).set_listen_port(port)?;
        }
        let (tx, rx) = mpsc::channel(256);
        tokio::spawn(pump(shared.clone(), net_rx, tx));
        tracing::info!(
            has_partnership = lock(&shared.store).is_some(),
            paired = partner.is_some(),
            "node started"
        );
        Ok(Node {
            shared,
            net,
            me,
            events: Some(rx),
        })
    }

    pub fn me(&self) -> DeviceKey {
        self.me
    }

    /// The event stream (taken once by the driver).
    pub fn take_events(&mut self) -> Option<mpsc::Receiver<Event>> {
        self.events.take()
    }

    pub fn has_partnership(&self) -> bool {
        lock(&self.shared.store).is_some()
    }

    /// The partner's key, once paired: the one pinned on this device at pairing
    /// (see `PartnershipStore::pinned_partner`), never one read from the shared document.
    pub fn partner(&self) -> Option<DeviceKey> {
        let store = lock(&self.shared.store);
        match store.as_ref()?.pinned_partner(self.me) {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "cannot read the pinned partner");
                None
            }
        }
    }

    /// Whether the shared document names a partner device other than the ones pinned
    /// here (a key rewritten by a change an older cocoach accepted). Nothing is
    /// trusted from it — admission and dialling use the pins — but the user is told.
    pub fn document_disagrees_with_pins(&self) -> Option<&'static str> {
        let pinned = self.partner()?;
        let doc = lock(&self.shared.doc);
        let me = self.me;
        let strangers = if doc.my_slot().is_err() {
            // Restored without its key: our place names this device's old key, which
            // is expected (the window asks to re-pair); the partner's must be pinned.
            doc.slot_of(&pinned).is_none()
        } else {
            doc.partners()
                .iter()
                .filter_map(|p| p.key)
                .any(|k| k != me && k != pinned)
        };
        if strangers {
            tracing::warn!("the document names a partner device that is not the pinned one");
        }
        strangers.then_some(cocoach_i18n::key!("tampered-partner-key"))
    }

    /// Our changes the partner has not acknowledged, from the sync state stored for
    /// it (`None`: no partner). What the status bar says while no connection is up.
    pub fn unacknowledged_stored(&self) -> Option<usize> {
        let partner = self.partner()?;
        let state = lock(&self.shared.store)
            .as_ref()
            .and_then(|s| s.sync_state(&partner).ok().flatten());
        let mut doc = lock(&self.shared.doc);
        Some(cocoach_sync::SyncSession::unacknowledged_since(
            &mut *doc,
            state.as_deref(),
        ))
    }

    /// A sync connection with the partner is up.
    pub fn is_connected(&self) -> bool {
        self.net.is_connected()
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.net.addrs()
    }

    /// Apply an edit, commit, save it durably, and push it to the partner.
    pub fn edit<T>(
        &self,
        f: impl FnOnce(&mut PartnershipDoc) -> Result<T, cocoach_doc::DocError>,
    ) -> Result<T, NodeError> {
        let edited = {
            let mut store = lock(&self.shared.store);
            let store = store.as_mut().ok_or(NodeError::NoPartnership)?;
            let mut doc = lock(&self.shared.doc);
            match store.commit_edit(&mut doc, f) {
                Ok(edited) => {
                    note_save(&self.shared, None);
                    edited
                }
                Err(EditError::Edit(e)) => return Err(NodeError::Doc(e)),
                Err(EditError::NotSaved(e)) => {
                    // The edit stays in the document, unsaved: the next save writes it.
                    note_save(&self.shared, Some(&e));
                    self.shared.changes.send_modify(|v| *v += 1);
                    return Err(NodeError::Store(e));
                }
            }
        };
        if let Some(e) = edited.compaction_failed {
            tracing::warn!(target: "cocoach::store", error = %cocoach_doc::error_text(&e), "compaction failed after a good save; will retry");
        }
        let out = edited.value;
        self.shared.changes.send_modify(|v| *v += 1);
        Ok(out)
    }

    /// Why the last save failed, while no save has succeeded since.
    pub fn save_failure(&self) -> Option<String> {
        lock(&self.shared.save_failed).clone()
    }

    /// Write what waits unsaved in memory (after a failed save). `Ok(true)` when
    /// something was written.
    pub fn save_pending(&self) -> Result<bool, NodeError> {
        let waiting = !lock(&self.shared.doc).unsaved_changes().is_empty();
        if !waiting {
            note_save(&self.shared, None);
            return Ok(false);
        }
        save(&self.shared)?;
        Ok(true)
    }

    /// Read the document.
    pub fn read<T>(&self, f: impl FnOnce(&PartnershipDoc) -> T) -> T {
        f(&lock(&self.shared.doc))
    }

    /// Keep a connection to the partner, dialling its last known addresses. (A
    /// device that [`Node::needs_rejoin`] would be refused: the drivers do not ask.)
    pub fn connect_partner(&self) -> Result<(), NodeError> {
        let partner = self.partner().ok_or(NodeError::NoPartner)?;

        let addrs = lock(&self.shared.store)
            .as_ref()
            .map(|s| s.partners())
            .transpose()?
            .unwrap_or_default()
            .into_iter()
            .find(|p| p.key == partner)
            .map(|p| p.addresses.iter().filter_map(|a| a.parse().ok()).collect())
            .unwrap_or_default();
        self.net.keep_connected(partner, addrs);
        Ok(())
    }

    /// Create a new partnership on this device, with this device as partner A (its
    /// defaults in English).
    pub fn create_partnership(&self, my_name: &str) -> Result<(), NodeError> {
        self.create_partnership_in(my_name, cocoach_i18n::Lang::En)
    }

    /// Create a new partnership on this device, with this device as partner A and
    /// the defaults in `lang`.
    pub fn create_partnership_in(
        &self,
        my_name: &str,
        lang: cocoach_i18n::Lang,
    ) -> Result<(), NodeError> {
        if self.has_partnership() {
            return Err(NodeError::AlreadyPaired);
        }
        let name = my_name.trim();
        if name.is_empty() {
            return Err(NodeError::NameRequired);
        }
        let identity = lock(&self.shared.device).identity().clone();
        let mut doc = PartnershipDoc::create_in(name, &identity, lang)?;
        doc.set_pinned_keys(&[self.me]);
        // The name first: a crash between the two leaves no partnership behind.
        lock(&self.shared.device).set_name(name)?;
        let store = PartnershipStore::create(&self.shared.dir, &mut doc)?;
        self.net.set_partnership_id(&doc.partnership_id());
        *lock(&self.shared.doc) = doc;
        *lock(&self.shared.store) = Some(store);
        *lock(&self.shared.my_name) = name.to_string();
        Ok(())
    }

    /// Sign the contract as it is now, with this device's key.
    pub fn sign_contract(&self) -> Result<(), NodeError> {
        let identity = lock(&self.shared.device).identity().clone();
        self.edit(|d| d.sign_contract(&identity))
    }

    /// This device's user's name (empty before the first run is finished).
    pub fn my_name(&self) -> String {
        lock(&self.shared.my_name).clone()
    }

    /// The partner's last known addresses and when they were last seen.
    pub fn partner_record(&self) -> Option<PartnerRecord> {
        let partner = self.partner()?;
        lock(&self.shared.store)
            .as_ref()
            .and_then(|s| s.partners().ok())
            .and_then(|ps| ps.into_iter().find(|p| p.key == partner))
    }

    /// Stop: connections closed politely, everything already saved.
    pub async fn shutdown(&self) {
        self.net.shutdown().await;
    }
}

/// Events waiting for the driver. Bounded by coalescing: a newer status replaces an
/// older one, one pending "document changed" stands for many, and at most
/// `MAX_PENDING` others wait (the oldest informational ones give way).
#[derive(Default)]
struct Pending(std::collections::VecDeque<Event>);

const MAX_PENDING: usize = 64;

impl Pending {
    fn push(&mut self, e: Event) {
        match &e {
            Event::Status(_) => self.0.retain(|x| !matches!(x, Event::Status(_))),
            Event::View(_) => self.0.retain(|x| !matches!(x, Event::View(_))),
            Event::DocChanged if self.0.iter().any(|x| matches!(x, Event::DocChanged)) => return,
            _ => {}
        }
        self.0.push_back(e);
        while self.0.len() > MAX_PENDING {
            let informational = self.0.iter().position(|x| {
                matches!(
                    x,
                    Event::Status(_) | Event::Unreachable { .. } | Event::Refused { .. }
                )
            });
            match informational {
                Some(i) => {
                    self.0.remove(i);
                }
                None => {
                    self.0.pop_front();
                }
            }
        }
    }
}

/// Handle network events: save, persist, and tell the driver. Never waits for the
/// driver: a UI that is busy (or gone) must not stall syncing or saving.
async fn pump(shared: Arc<Shared>, mut net: mpsc::Receiver<NetEvent>, out: mpsc::Sender<Event>) {
    let mut pending = Pending::default();
    // The sync state and last-exchange time are not worth an fsync per message:
    // they are written at most once a second and when the connection ends. (Losing
    // them costs only a slightly larger next exchange.)
    let mut unsaved_state: Option<(DeviceKey, Vec<u8>)> = None;
    let mut flush = tokio::time::interval(Duration::from_secs(1));
    flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            ev = net.recv() => {
                let Some(ev) = ev else {
                    flush_state(&shared, &mut unsaved_state);
                    return;
                };
                let ends = matches!(ev, NetEvent::Disconnected { .. });
                if let Some(e) = handle(&shared, ev, &mut unsaved_state) {
                    pending.push(e);
                }
                if ends {
                    flush_state(&shared, &mut unsaved_state);
                }
            }
            _ = flush.tick() => {
                if let Some(e) = flush_state(&shared, &mut unsaved_state) {
                    pending.push(e);
                }
            }
            permit = out.reserve(), if !pending.0.is_empty() => match permit {
                Ok(p) => {
                    if let Some(e) = pending.0.pop_front() {
                        p.send(e);
                    }
                }
                // Nobody listens any more; keep saving anyway.
                Err(_) => pending.0.clear(),
            },
        }
    }
}

/// Tests only (`COCOACH_TEST_SAVE_DELAY_MS`): hold each save of the partner's
/// changes this long, so that a test can tell an acknowledgement sent before the
/// save from one sent after it (`app/tests/ack_durable.rs`). Unset: no delay.
fn test_save_delay() -> Option<Duration> {
    static DELAY: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    *DELAY.get_or_init(|| {
        std::env::var("COCOACH_TEST_SAVE_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map(Duration::from_millis)
    })
}

fn flush_state(shared: &Shared, unsaved: &mut Option<(DeviceKey, Vec<u8>)>) -> Option<Event> {
    let (peer, state) = unsaved.take()?;
    touch_partner(shared, peer, Some(&state)).err().map(|e| {
        tracing::warn!(error = %cocoach_doc::error_text(&e), "could not save the sync state");
        Event::Error(format!(
            "could not save the sync state: {}",
            cocoach_doc::error_text(&e)
        ))
    })
}

fn handle(
    shared: &Shared,
    ev: NetEvent,
    unsaved_state: &mut Option<(DeviceKey, Vec<u8>)>,
) -> Option<Event> {
    match ev {
        NetEvent::Connected { peer, addrs } => match remember_addrs(shared, peer, &addrs) {
            Ok(()) => Some(Event::Connected),
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "could not save the partner's address");
                Some(Event::Error(format!(
                    "could not save the partner's address: {}",
                    cocoach_doc::error_text(&e)
                )))
            }
        },
        NetEvent::Disconnected { reason, .. } => Some(Event::Disconnected { reason }),
        NetEvent::Synced {
            peer,
            doc_changed,
            state,
            saved,
        } => {
            *unsaved_state = Some((peer, state));
            if !doc_changed {
                return None;
            }
            if let Some(d) = test_save_delay() {
                std::thread::sleep(d);
            }
            let result = save(shared);
            // The connection waits for this before it acknowledges the changes.
            if let Some(tx) = saved
                && tx.send(result.is_ok()).is_err()
            {
                tracing::debug!("the connection ended before the save was done");
            }
            match result {
                Err(e) => {
                    tracing::warn!(error = %cocoach_doc::error_text(&e), "could not save the partner's changes");
                    Some(Event::Error(format!(
                        "could not save: {}",
                        cocoach_doc::error_text(&e)
                    )))
                }
                Ok(()) => Some(Event::DocChanged),
            }
        }
        NetEvent::Status(s) => {
            // In sync: the moment worth remembering, before anyone acts on it.
            if s.in_sync
                && let Some(e) = flush_state(shared, unsaved_state)
            {
                return Some(e);
            }
            Some(Event::Status(s))
        }
        NetEvent::Unreachable { reason, retry_in } => Some(Event::Unreachable { reason, retry_in }),
        NetEvent::Refused { alpn, .. } => Some(Event::Refused { alpn }),
        NetEvent::Tampered { what, .. } => Some(Event::Tampered {
            what: what.to_string(),
        }),
        NetEvent::PairCode { code, partner_name } => Some(Event::PairCode { code, partner_name }),
        NetEvent::PairFailed { reason } => Some(Event::PairFailed { reason }),
        NetEvent::PairDone { partner_name } => Some(Event::Paired { partner_name }),
        NetEvent::PairAccepted {
            guest,
            guest_name,
            record,
            reply,
        } => match match record {
            None => pairing::accept_guest(shared, guest, &guest_name),
            Some(record) => rejoin::accept_rejoin(shared, guest, record),
        } {
            Ok((bytes, signatures)) => {
                let name = lock(&shared.my_name).clone();
                if reply.send((name, bytes, signatures)).is_err() {
                    tracing::info!(
                        "pairing: the guest's connection ended before the document was sent"
                    );
                }
                None
            }
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "pairing: could not add the partner");
                Some(Event::PairFailed {
                    reason: cocoach_doc::error_text(&e),
                })
            }
        },
    }
}

/// Remember where the partner was reachable, most recent first (at most 8).
fn remember_addrs(
    shared: &Shared,
    peer: DeviceKey,
    addrs: &[SocketAddr],
) -> Result<(), StoreError> {
    let mut store = lock(&shared.store);
    let Some(store) = store.as_mut() else {
        return Ok(());
    };
    if let Some(mut rec) = store.partners()?.into_iter().find(|p| p.key == peer) {
        let mut list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        for old in rec.addresses {
            if !list.contains(&old) {
                list.push(old);
            }
        }
        list.truncate(8);
        rec.addresses = list;
        rec.last_seen_ms = Some(cocoach_doc::now_ms());
        store.upsert_partner(&rec)?;
    }
    Ok(())
}
