//! A node driven by messages: [`Command`]s in and [`Event`]s out, over bounded
//! channels, for a driver that must never wait (the GUI). The driver's side of both
//! channels is synchronous: `send` and `try_event` never block and need no runtime.

use std::sync::Arc;

use cocoach_api::{Command, Event, JournalEntry, JournalLink, NodeLink, SendError, View, Wake};
use cocoach_net::lock;
use cocoach_store::{DataDir, Journal};
use tokio::sync::{mpsc, oneshot};

use crate::{Node, NodeConfig, NodeError, Pending};

/// Commands waiting for the node at most. A full queue is reported to the driver,
/// never waited on.
pub const COMMAND_QUEUE: usize = 256;

/// The driver's end: send commands, poll events.
#[derive(Debug)]
pub struct NodeHandle {
    tx: mpsc::Sender<Command>,
    rx: mpsc::Receiver<Event>,
}

impl NodeHandle {
    /// Start a node on `rt` and return at once. The node's first events are
    /// `Event::Started` (or `Event::StartFailed`) and a `Event::View`.
    pub fn spawn(rt: &tokio::runtime::Handle, cfg: NodeConfig, wake: Wake) -> NodeHandle {
        let (tx, cmds) = mpsc::channel(COMMAND_QUEUE);
        let (out, rx) = mpsc::channel(64);
        rt.spawn(drive(cfg, cmds, out, wake));
        NodeHandle { tx, rx }
    }

    /// Queue a command; never blocks.
    pub fn send(&self, cmd: Command) -> Result<(), SendError> {
        self.tx.try_send(cmd).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => SendError::Busy,
            mpsc::error::TrySendError::Closed(_) => SendError::Stopped,
        })
    }

    /// The next waiting event, if any; never blocks.
    pub fn try_event(&mut self) -> Option<Event> {
        self.rx.try_recv().ok()
    }

    /// The next event, waiting for it (tests and the headless demo).
    pub async fn next_event(&mut self) -> Option<Event> {
        self.rx.recv().await
    }
}

/// How often the driver retries a failed save.
pub const SAVE_RETRY: std::time::Duration = std::time::Duration::from_secs(2);

fn view(node: &Node) -> View {
    let me = node.me();
    let has = node.has_partnership();
    let (partnership, conflicts, saved) = {
        let mut doc = lock(&node.shared.doc);
        if has {
            let heads = doc.heads();
            let saved = !doc.has_pending_edits() && doc.saved_heads() == heads.as_slice();
            (doc.read().ok(), doc.conflicts(), saved)
        } else {
            (None, Vec::new(), true)
        }
    };
    let my_slot = partnership.as_ref().and_then(|p| p.slot_of(&me));
    View {
        me,
        my_name: node.my_name(),
        partnership,
        my_slot,
        conflicts,
        saved,
        not_saved: node.save_failure(),
        partner_last_seen_ms: node.partner_record().and_then(|r| r.last_seen_ms),
        applied: 0,
    }
}

async fn drive(
    cfg: NodeConfig,
    mut cmds: mpsc::Receiver<Command>,
    out: mpsc::Sender<Event>,
    wake: Wake,
) {
    let dir = cfg.data_dir.clone();
    // The private journal, opened on first use; it never leaves this device.
    let mut journal: Option<Journal> = None;
    let mut node = match Node::start(cfg).await {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!(error = %cocoach_doc::error_text(&e), "the node could not start");
            if out
                .send(Event::StartFailed(cocoach_doc::error_text(&e)))
                .await
                .is_err()
            {
                tracing::debug!("nobody listens for the node's start failure");
            }
            wake();
            return;
        }
    };
    let Some(mut node_events) = node.take_events() else {
        return;
    };
    let node = Arc::new(node);
    let mut pending = Pending::default();
    pending.push(Event::Started { me: node.me() });
    if let Some(what) = node.document_disagrees_with_pins() {
        pending.push(Event::Tampered {
            what: what.to_string(),
        });
    }
    if let Some(n) = node.unacknowledged_stored() {
        pending.push(Event::Unacknowledged(n));
    }
    if node.partner().is_some()
        && !node.needs_rejoin()
        && let Err(e) = node.connect_partner()
    {
        tracing::warn!(error = %cocoach_doc::error_text(&e), "cannot connect to the partner");
        pending.push(Event::Error(cocoach_doc::error_text(&e)));
    }
    // Results of work done in spawned tasks (joining) come back here.
    let (done_tx, mut done) = mpsc::channel::<Event>(8);
    let mut guest_confirm: Option<oneshot::Sender<bool>> = None;
    let mut view_dirty = true;
    // One view computation at a time; a change meanwhile asks for one more.
    let mut view_task: Option<tokio::task::JoinHandle<View>> = None;
    // Commands carried out so far (every view says how many it includes).
    let mut applied: u64 = 0;
    // While a save has failed, try again now and then (the disk may have room again).
    let mut retry = tokio::time::interval(SAVE_RETRY);
    retry.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if view_dirty && view_task.is_none() {
            view_dirty = false;
            let n = node.clone();
            view_task = Some(tokio::task::spawn_blocking(move || View {
                applied,
                ..view(&n)
            }));
        }
        tokio::select! {
            cmd = cmds.recv() => {
                let Some(cmd) = cmd else { break };
                if matches!(cmd, Command::Shutdown) {
                    break;
                }
                applied += 1;
                match cmd {
                    Command::JournalAdd { .. }
                    | Command::JournalUpdate { .. }
                    | Command::JournalDelete { .. }
                    | Command::JournalList { .. } => {
                        pending.push(journal_cmd(&dir, &mut journal, cmd));
                    }
                    cmd => run(&node, cmd, &mut pending, &mut view_dirty, &mut guest_confirm, &done_tx),
                }
            }
            _ = retry.tick(), if node.save_failure().is_some() => {
                match node.save_pending() {
                    Ok(_) => view_dirty = true,
                    Err(e) => tracing::debug!(error = %cocoach_doc::error_text(&e), "saving again failed; will retry"),
                }
            }
            ev = node_events.recv() => {
                let Some(ev) = ev else { break };
                if matches!(ev, Event::DocChanged | Event::Paired { .. }) {
                    view_dirty = true;
                }
                let ended = matches!(ev, Event::Disconnected { .. });
                pending.push(ev);
                // From now on the status bar counts from the stored sync state.
                if ended
                    && !node.is_connected()
                    && let Some(n) = node.unacknowledged_stored()
                {
                    pending.push(Event::Unacknowledged(n));
                }
            }
            ev = done.recv() => {
                if let Some(ev) = ev {
                    if let Event::Joined { .. } = ev {
                        guest_confirm = None;
                        view_dirty = true;
                        if let Err(e) = node.connect_partner() {
                            tracing::warn!(error = %cocoach_doc::error_text(&e), "cannot connect to the partner");
                            pending.push(Event::Error(cocoach_doc::error_text(&e)));
                        }
                    }
                    if let Event::PairFailed { .. } = ev {
                        guest_confirm = None;
                    }
                    pending.push(ev);
                }
            }
            v = async {
                match view_task.as_mut() {
                    Some(t) => t.await.ok(),
                    None => std::future::pending().await,
                }
            }, if view_task.is_some() => {
                view_task = None;
                if let Some(v) = v {
                    pending.push(Event::View(Arc::new(v)));
                }
            }
            permit = out.reserve(), if !pending.0.is_empty() => match permit {
                Ok(p) => {
                    if let Some(e) = pending.0.pop_front() {
                        p.send(e);
                        wake();
                    }
                }
                Err(_) => break,
            },
        }
    }
    node.shutdown().await;
    tracing::info!(commands = applied, "node stopped");
    if out.try_send(Event::Stopped).is_err() {
        tracing::debug!("the driver's queue is full or gone: `Stopped` not delivered");
    }
    wake();
}

fn run(
    node: &Arc<Node>,
    cmd: Command,
    pending: &mut Pending,
    view_dirty: &mut bool,
    guest_confirm: &mut Option<oneshot::Sender<bool>>,
    done: &mpsc::Sender<Event>,
) {
    let failed = |what: &str, e: &(dyn std::error::Error + 'static)| {
        tracing::info!(what, error = %cocoach_doc::error_text(e), "command failed");
        Event::CommandFailed {
            what: what.to_string(),
            reason: e
                .downcast_ref::<NodeError>()
                .map_or_else(|| cocoach_doc::error_text(e), NodeError::reason),
        }
    };
    match cmd {
        Command::Create { my_name, lang } => match node.create_partnership_in(&my_name, lang) {
            Ok(()) => *view_dirty = true,
            Err(e) => pending.push(failed(cocoach_i18n::key!("edit-create-partnership"), &e)),
        },
        Command::Edit { what, edit } => {
            let t = std::time::Instant::now();
            match node.edit(edit) {
                Ok(()) => {
                    tracing::debug!(what, us = t.elapsed().as_micros(), "edit saved");
                    *view_dirty = true;
                    // Offline: one more change the partner has not received.
                    if !node.is_connected()
                        && let Some(n) = node.unacknowledged_stored()
                    {
                        pending.push(Event::Unacknowledged(n));
                    }
                }
                Err(e) => {
                    // A save that failed leaves the edit in memory: the view shows
                    // it, with "Not saved".
                    *view_dirty = true;
                    pending.push(failed(what, &e));
                }
            }
        }
        Command::SignContract => match node.sign_contract() {
            Ok(()) => {
                *view_dirty = true;
                if !node.is_connected()
                    && let Some(n) = node.unacknowledged_stored()
                {
                    pending.push(Event::Unacknowledged(n));
                }
            }
            Err(e) => {
                *view_dirty = true;
                pending.push(failed(cocoach_i18n::key!("edit-sign-contract"), &e));
            }
        },
        Command::Invite => match node.invite() {
            Ok(t) => pending.push(Event::InviteReady {
                ticket: t.encode(),
                expires_at_ms: t.expires_at_ms,
            }),
            Err(e) => pending.push(failed(cocoach_i18n::key!("edit-make-invite"), &e)),
        },
        Command::ConfirmPairing(ok) => match guest_confirm.take() {
            Some(tx) => {
                if tx.send(ok).is_err() {
                    tracing::debug!("the join ended before the codes were compared");
                }
            }
            None => node.confirm_pairing(ok),
        },
        Command::InviteRejoin => match node.invite_rejoin() {
            Ok(t) => pending.push(Event::InviteReady {
                ticket: t.encode(),
                expires_at_ms: t.expires_at_ms,
            }),
            Err(e) => pending.push(failed(cocoach_i18n::key!("edit-make-invite"), &e)),
        },
        Command::Rejoin { ticket } => {
            guest(node, &ticket, None, pending, guest_confirm, done);
        }
        Command::Join { ticket, name } => {
            guest(node, &ticket, Some(name), pending, guest_confirm, done);
        }
        Command::ExportSyncFile { path, all } => {
            let node = node.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let ev =
                    tokio::task::spawn_blocking(move || match node.export_sync_file(&path, all) {
                        Ok(w) => Event::SyncFileWritten {
                            path,
                            changes: w.changes,
                            whole: w.whole,
                        },
                        Err(e) => failed(cocoach_i18n::key!("edit-write-sync-file"), &e),
                    })
                    .await
                    .unwrap_or_else(|e| failed(cocoach_i18n::key!("edit-write-sync-file"), &e));
                if done.send(ev).await.is_err() {
                    tracing::debug!("the node stopped before a result was delivered");
                }
            });
        }
        Command::ImportSyncFile { path } => {
            let node = node.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let ev = tokio::task::spawn_blocking(move || match node.import_sync_file(&path) {
                    Ok(new) => Event::SyncFileImported { path, new },
                    Err(e) => failed(cocoach_i18n::key!("edit-import-sync-file"), &e),
                })
                .await
                .unwrap_or_else(|e| failed(cocoach_i18n::key!("edit-import-sync-file"), &e));
                if done.send(ev).await.is_err() {
                    tracing::debug!("the node stopped before a result was delivered");
                }
            });
        }
        Command::History => {
            let node = node.clone();
            let done = done.clone();
            tokio::spawn(async move {
                // History-sized work: off the runtime's workers.
                let ev = tokio::task::spawn_blocking(move || {
                    Event::History(Arc::new(lock(&node.shared.doc).history()))
                })
                .await
                .unwrap_or_else(|e| failed(cocoach_i18n::key!("edit-read-history"), &e));
                if done.send(ev).await.is_err() {
                    tracing::debug!("the node stopped before a result was delivered");
                }
            });
        }
        Command::ViewAt(at) => {
            let node = node.clone();
            let done = done.clone();
            tokio::spawn(async move {
                let ev = tokio::task::spawn_blocking(move || {
                    match lock(&node.shared.doc).read_at(&[at]) {
                        Ok(p) => Event::ViewAt {
                            at,
                            partnership: Arc::new(p),
                        },
                        Err(e) => failed(cocoach_i18n::key!("edit-show-as-it-was"), &e),
                    }
                })
                .await
                .unwrap_or_else(|e| failed(cocoach_i18n::key!("edit-show-as-it-was"), &e));
                if done.send(ev).await.is_err() {
                    tracing::debug!("the node stopped before a result was delivered");
                }
            });
        }
        Command::Shutdown
        | Command::JournalAdd { .. }
        | Command::JournalUpdate { .. }
        | Command::JournalDelete { .. }
        | Command::JournalList { .. } => {}
    }
}

/// Carry out a journal command. The journal is a small local SQLite file: each
/// command touches a handful of rows.
fn journal_cmd(dir: &DataDir, journal: &mut Option<Journal>, cmd: Command) -> Event {
    let j = match journal {
        Some(j) => j,
        None => match Journal::open_or_create(dir) {
            Ok(j) => journal.insert(j),
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "cannot open the journal");
                return Event::CommandFailed {
                    what: cocoach_i18n::key!("edit-open-journal").into(),
                    reason: cocoach_doc::error_text(&e),
                };
            }
        },
    };
    let failed = |what: &str, e: cocoach_store::StoreError| {
        tracing::info!(what, error = %cocoach_doc::error_text(&e), "journal command failed");
        Event::CommandFailed {
            what: what.into(),
            reason: cocoach_doc::error_text(&e),
        }
    };
    match cmd {
        Command::JournalAdd { text, link } => {
            let link = match link {
                JournalLink::None => cocoach_store::JournalLink::None,
                JournalLink::Session(s) => cocoach_store::JournalLink::Session(s),
                JournalLink::Action(a) => cocoach_store::JournalLink::Action(a),
            };
            match j.add(&text, &link) {
                Ok(_) => Event::JournalChanged,
                Err(e) => failed(cocoach_i18n::key!("edit-save-reflection"), e),
            }
        }
        Command::JournalUpdate { id, text } => match j.update(id, &text) {
            Ok(()) => Event::JournalChanged,
            Err(e) => failed(cocoach_i18n::key!("edit-save-reflection"), e),
        },
        Command::JournalDelete { id } => match j.delete(id) {
            Ok(()) => Event::JournalChanged,
            Err(e) => failed(cocoach_i18n::key!("edit-delete-reflection"), e),
        },
        Command::JournalList { query } => {
            let found = if query.trim().is_empty() {
                j.list()
            } else {
                j.search(&query)
            };
            match found {
                Ok(entries) => Event::Journal {
                    query,
                    entries: entries
                        .into_iter()
                        .map(|e| JournalEntry {
                            id: e.id,
                            created_at_ms: e.created_at_ms,
                            updated_at_ms: e.updated_at_ms,
                            text: e.text,
                            link: match e.link {
                                cocoach_store::JournalLink::None => JournalLink::None,
                                cocoach_store::JournalLink::Session(s) => JournalLink::Session(s),
                                cocoach_store::JournalLink::Action(a) => JournalLink::Action(a),
                            },
                        })
                        .collect(),
                },
                Err(e) => failed(cocoach_i18n::key!("edit-read-journal"), e),
            }
        }
        _ => Event::Error("not a journal command".into()),
    }
}

impl NodeLink for NodeHandle {
    fn send(&self, cmd: Command) -> Result<(), SendError> {
        NodeHandle::send(self, cmd)
    }

    fn try_event(&mut self) -> Option<Event> {
        NodeHandle::try_event(self)
    }
}

/// The guest side of a pairing: join as `name`, or (no name) re-pair this restored
/// device; the result comes back through `done`.
fn guest(
    node: &Arc<Node>,
    ticket: &str,
    name: Option<String>,
    pending: &mut Pending,
    guest_confirm: &mut Option<oneshot::Sender<bool>>,
    done: &mpsc::Sender<Event>,
) {
    let ticket = match cocoach_sync::Ticket::decode(ticket.trim()) {
        Ok(t) => t,
        Err(e) => {
            tracing::info!(error = %cocoach_doc::error_text(&e), "the invite was refused");
            pending.push(Event::PairFailed {
                reason: e
                    .message_id()
                    .map_or_else(|| cocoach_doc::error_text(&e), str::to_string),
            });
            return;
        }
    };
    let (tx, rx) = oneshot::channel();
    *guest_confirm = Some(tx);
    let node = node.clone();
    let done = done.clone();
    tokio::spawn(async move {
        let result = match name {
            Some(name) => node.join(ticket, &name, rx).await,
            None => node.rejoin(ticket, rx).await,
        };
        let ev = match result {
            Ok(partner_name) => Event::Joined { partner_name },
            Err(e) => Event::PairFailed { reason: e.reason() },
        };
        if done.send(ev).await.is_err() {
            tracing::debug!("the node stopped before a result was delivered");
        }
    });
}
