//! One live sync connection with the partner: the `SyncSession` driven over a QUIC
//! stream, with local changes pushed as they are saved, and a heartbeat that notices
//! a dead path within seconds.

use std::sync::Arc;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, Instant};

use cocoach_sync::{Message, SyncError, SyncSession};
use iroh::endpoint::Connection;
use tokio::sync::watch;
use tracing::Instrument;

use crate::wire::Wire;
use crate::{Active, Inner, NetError, NetEvent, SyncStatus, key_of, lock};

/// How often we send a heartbeat (and re-announce our heads if not in sync).
pub const HEARTBEAT: Duration = Duration::from_millis(1500);
/// Silence after which the path counts as dead and we reconnect.
pub const DEAD_AFTER: Duration = Duration::from_secs(5);
/// Silence we allow a partner whose QUIC stack still acknowledges our packets
/// (its sync task busy with a large message) before giving it up all the same.
pub const BUSY_LIMIT: Duration = Duration::from_secs(60);
/// QUIC close code for the losing one of two simultaneous connections.
pub const DUPLICATE: u32 = 409;
/// Two connections opened within this of each other were dialled at once (both
/// sides dialling as they came online, each before the other's connection
/// arrived: a couple of round trips): keep the lower key's, on both sides alike.
/// A connection arriving later replaces the current one: the partner dialled
/// because it has given that one up (it restarted, or its path changed), and
/// refusing it left the partner redialling until our heartbeat gave up too
/// (tests/tests/cuts.rs). Misjudged (a race slower than this), both sides close
/// both connections and dial again, which [`SHORT_LIVED`] paces.
pub const RACE_WINDOW: Duration = Duration::from_secs(1);
/// A dialled connection that ends sooner than this is retried with backoff.
pub const SHORT_LIVED: Duration = Duration::from_secs(1);

/// Run a sync connection until it ends. `we_dialed` decides who opens the stream
/// and, when both dialled at once (within [`RACE_WINDOW`]), which connection is
/// kept: the one dialled by the lower key, on both sides alike; otherwise the
/// newer wins. How it ended is logged and reported to the node
/// (`NetEvent::Disconnected`).
/// Returns how it ended, for the dialler to pace its next dial.
pub async fn run(inner: Arc<Inner>, conn: Connection, we_dialed: bool) -> Ended {
    let peer = key_of(conn.remote_id());
    let dialer = if we_dialed { inner.me } else { peer };
    let lower = inner.me.min(peer);
    let (close_tx, mut close_rx) = watch::channel(false);
    let id = inner
        .next_conn
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    {
        let mut active = lock(&inner.active);
        if let Some(old) = active.as_ref() {
            if old.opened.elapsed() < RACE_WINDOW && old.dialer == lower && dialer != lower {
                tracing::debug!(
                    kept = old.id,
                    dropped = id,
                    "both dialled at once: keeping the lower key's connection"
                );
                conn.close(DUPLICATE.into(), b"duplicate connection");
                return Ended::Duplicate;
            }
            tracing::debug!(
                replaced = old.id,
                by = id,
                "a newer connection replaces the current one"
            );
            if old.close.send(true).is_err() {
                tracing::trace!(conn = old.id, "the replaced connection had already ended");
            }
        }
        *active = Some(Active {
            id,
            dialer,
            opened: Instant::now(),
            close: close_tx,
        });
    }
    // Where the partner is reachable now (its one socket is also where it listens).
    let addrs: Vec<std::net::SocketAddr> = conn
        .paths()
        .iter()
        .filter_map(|p| match p.remote_addr() {
            iroh::TransportAddr::Ip(a) => Some(*a),
            _ => None,
        })
        .collect();
    tracing::info!(
        conn = id,
        dialed = we_dialed,
        paths = addrs.len(),
        "sync connection open"
    );
    let started = Instant::now();
    inner.report(NetEvent::Connected { peer, addrs }).await;
    // Its own task, so that a panic in it (a bug, or Automerge on input we did not
    // foresee) ends this connection only: `active` is still cleared below, the node
    // hears `Disconnected`, and the partner is dialled again.
    let task = tokio::spawn({
        let (inner, conn) = (inner.clone(), conn.clone());
        async move { drive(&inner, &conn, we_dialed, &mut close_rx).await }
            .instrument(tracing::info_span!("conn", id))
    });
    let result = match task.await {
        Ok(r) => r,
        Err(e) if e.is_panic() => {
            tracing::error!(conn = id, "the sync connection's task panicked; closing it");
            Err(NetError::Panicked)
        }
        Err(_) => Err(NetError::Closed("the connection's task was cancelled")),
    };
    {
        let mut active = lock(&inner.active);
        if active.as_ref().is_some_and(|a| a.id == id) {
            *active = None;
        }
    }
    inner.active_changed.notify_waiters();
    let ended = match conn.close_reason() {
        Some(iroh::endpoint::ConnectionError::ApplicationClosed(c))
            if c.error_code == crate::gate::REFUSED.into() =>
        {
            Ended::Refused
        }
        Some(iroh::endpoint::ConnectionError::ApplicationClosed(c))
            if c.error_code == DUPLICATE.into() =>
        {
            Ended::Duplicate
        }
        _ => Ended::Other,
    };
    conn.close(0u32.into(), b"bye");
    let ms = started.elapsed().as_millis();
    match &result {
        Ok(()) => tracing::info!(conn = id, ms, "sync connection closed"),
        Err(e) => {
            tracing::info!(conn = id, ms, error = %cocoach_doc::error_text(&e), "sync connection ended")
        }
    }
    inner
        .report(NetEvent::Disconnected {
            peer,
            reason: match &result {
                Ok(()) => "closed".into(),
                Err(e) => cocoach_doc::error_text(e),
            },
        })
        .await;
    ended
}

/// How a sync connection ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The partner's device refused us at the handshake (it no longer admits this
    /// device's key: dialling again at once would hammer it).
    Refused,
    /// Closed as the loser of two connections (the partner keeps another one).
    Duplicate,
    /// Anything else: closed, lost, timed out.
    Other,
}

/// Closing a QUIC connection drops whatever is still in flight, so say goodbye and
/// let the partner close once it has read everything (at most [`crate::CLOSE_LINGER`]).
async fn goodbye(wire: &mut Wire) {
    if let Err(e) = wire.send(&Message::Bye).await {
        tracing::debug!(error = %cocoach_doc::error_text(&e), "could not say goodbye");
    }
    // Keep answering the partner's heartbeats while we linger: its connection then
    // stays alive, and the packets we keep sending let QUIC notice at once that our
    // last ones (the final `Idle`, the `Bye`) were lost and send them again. Silent,
    // a lost tail waited for QUIC's retransmission timer, doubling each time, and
    // under 30 % loss the partner gave us up (5 s without a word) first.
    //
    // The partner's own `Bye` is the last it sends (it is shutting down too): end
    // our side then, so that it stops waiting for us, and read on until its side
    // ends — which it does once it has read our `Bye`, so nothing either sent is
    // dropped by the close. Both waiting for the other to end first, two
    // `sync --once` finishing together each sat out the whole linger.
    let mut finished = false;
    let lingered = tokio::time::timeout(crate::CLOSE_LINGER, async {
        while let Ok(Some(m)) = wire.recv().await {
            match m {
                // (A failed answer means the connection is gone.)
                Message::Heartbeat { nonce }
                    if !finished && wire.send(&Message::HeartbeatAck { nonce }).await.is_err() =>
                {
                    break;
                }
                Message::Bye if !finished => {
                    wire.finish();
                    finished = true;
                }
                _ => {}
            }
        }
    })
    .await;
    if !finished {
        wire.finish();
    }
    if lingered.is_err() {
        tracing::debug!(
            linger_s = crate::CLOSE_LINGER.as_secs(),
            "the partner did not close its side in time"
        );
    }
}

async fn drive(
    inner: &Arc<Inner>,
    conn: &Connection,
    we_dialed: bool,
    close_rx: &mut watch::Receiver<bool>,
) -> Result<(), NetError> {
    let peer = key_of(conn.remote_id());
    let (send, recv) = if we_dialed {
        conn.open_bi().await
    } else {
        conn.accept_bi().await
    }
    .map_err(|e| NetError::Connection(e.into()))?;
    let mut wire = Wire::new(send, recv, inner.tap.clone(), inner.received.clone());
    let pid = lock(&inner.partnership_id).clone();
    let mut session = SyncSession::new(&pid, lock(&inner.sync_state).as_deref());
    let hello = {
        let mut d = lock(&inner.doc);
        session.start(&mut *d)
    };
    wire.send_all(&hello).await?;
    let mut changes = inner.changes.clone();
    changes.mark_unchanged();
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_rx = Instant::now();
    let (mut last_acks, mut last_ack_at) = (0u64, Instant::now());
    let mut nonce = 0u64;
    let mut last_status: Option<SyncStatus> = None;
    let mut shutdown = inner.shutdown.subscribe();
    // A connection that arrives while we shut down (the partner re-dialling after
    // its last connection died) would never see the shutdown change: say goodbye
    // now. It still lingers, so that the hello above (our heads, which may be the
    // only news the partner lacks to know it is in sync) arrives before the close.
    if *shutdown.borrow() {
        goodbye(&mut wire).await;
        return Ok(());
    }
    loop {
        let out: Vec<Message> = tokio::select! {
            _ = close_rx.changed() => return Ok(()),
            _ = shutdown.changed() => {
                goodbye(&mut wire).await;
                return Ok(());
            }
            msg = wire.recv() => {
                let Some(msg) = msg? else { return Ok(()) };
                if let Some(hook) = &inner.panic_on_receive {
                    let armed = hook.fetch_update(Relaxed, Relaxed, |n| n.checked_sub(1)).is_ok();
                    assert!(!armed, "panic_on_receive: a test asked this connection to panic");
                }
                // The session takes the document's lock for each step of the
                // message, so a local edit never waits behind a large one.
                let received = match session.receive(&*inner.doc, msg) {
                    // A change not signed by its author's pinned key, or one that
                    // rewrites who the partners are: the session already went back
                    // to the heads before it (the sync state is not kept either).
                    Err(SyncError::Forged { reason, .. }) => {
                        tracing::warn!(why = %reason, "refused changes not signed by their author");
                        Err(reason.message_id())
                    }
                    Err(SyncError::Protected { what, .. }) => {
                        tracing::warn!(what = what.describe(), "refused changes that rewrite a protected field");
                        Err(what.message_id())
                    }
                    Err(e) => return Err(NetError::Protocol(e)),
                    Ok(r) => Ok((r, session.encoded_state())),
                };
                let (r, state) = match received {
                    Ok(ok) => ok,
                    Err(what) => {
                        inner.report(NetEvent::Tampered { peer, what }).await;
                        return Err(NetError::Tampered(what));
                    }
                };
                *lock(&inner.sync_state) = Some(state.clone());
                if r.doc_changed {
                    tracing::debug!("received changes");
                }
                // New changes are on this device's disk before anything we send
                // (the reply's heads) tells the partner we have them: "your partner
                // has all your changes" must survive our crash.
                let (saved, on_disk) = if r.doc_changed {
                    let (tx, rx) = tokio::sync::oneshot::channel();
                    (Some(tx), Some(rx))
                } else {
                    (None, None)
                };
                inner.report(NetEvent::Synced { peer, doc_changed: r.doc_changed, state, saved }).await;
                if let Some(rx) = on_disk
                    && rx.await != Ok(true)
                {
                    return Err(NetError::NotSaved);
                }
                // Silence counts from when we could listen again: a large message
                // that took seconds to apply (a first sync on a slow machine) is not
                // the partner going quiet (found by tests/tests/cuts.rs, where such a
                // receive outlasted DEAD_AFTER and dropped a healthy connection).
                last_rx = Instant::now();
                if r.closed {
                    return Ok(());
                }
                r.reply
            }
            changed = changes.changed() => {
                if changed.is_err() {
                    return Ok(());
                }
                let mut d = lock(&inner.doc);
                session.local_change(&mut *d)
            }
            _ = heartbeat.tick() => {
                // The partner's QUIC stack acknowledges our packets even while its
                // sync task is busy applying a large message (seconds, for a long
                // history on a slow machine) and cannot answer heartbeats: a path
                // that still carries acknowledgements is alive. Counting only our
                // answers, we gave up a healthy connection in the middle of the
                // partner's first sync (found by tests/tests/cuts.rs).
                let stats = conn.stats();
                let acks = stats.frame_rx.acks + stats.frame_rx.path_acks;
                if acks != last_acks {
                    last_acks = acks;
                    last_ack_at = Instant::now();
                }
                let silent = last_rx.elapsed();
                if silent > DEAD_AFTER
                    && (last_ack_at.elapsed() > DEAD_AFTER || silent > BUSY_LIMIT)
                {
                    return Err(NetError::Timeout("the partner stopped answering"));
                }
                nonce += 1;
                session.heartbeat_sent(nonce);
                let mut out = vec![Message::Heartbeat { nonce }];
                let mut d = lock(&inner.doc);
                out.extend(session.tick(&mut *d));
                out
            }
        };
        wire.send_all(&out).await?;
        let status = {
            let mut d = lock(&inner.doc);
            let d = &mut *d;
            SyncStatus {
                peer,
                in_sync: session.in_sync(d),
                partner_has_our_changes: session.partner_has_our_changes(d),
                unacknowledged: session.unacknowledged_changes(d),
            }
        };
        if last_status.as_ref() != Some(&status) {
            tracing::debug!(
                in_sync = status.in_sync,
                partner_has_ours = status.partner_has_our_changes,
                unacknowledged = status.unacknowledged,
                "sync status"
            );
            last_status = Some(status.clone());
            inner.try_report(NetEvent::Status(status));
        }
    }
}
