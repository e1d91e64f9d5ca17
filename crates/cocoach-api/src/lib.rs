//! What a driver (the GUI, the CLI, tests) and a running node say to each other:
//! [`Command`]s in, [`Event`]s out, and the [`View`] of the document the node
//! publishes. Only `cocoach-doc` types: a driver that depends on this crate alone
//! cannot reach files, the network or the runtime (the GUI crate does exactly that).

use std::sync::Arc;
use std::time::Duration;

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{Conflict, DeviceKey, DocError, HistoryEntry, Partnership, PartnershipDoc, Slot};

/// An edit to apply to the shared document.
pub type EditFn = Box<dyn FnOnce(&mut PartnershipDoc) -> Result<(), DocError> + Send>;

/// Called whenever events are waiting (the GUI asks for a repaint).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

pub enum Command {
    /// First run: start a partnership as partner A.
    Create {
        my_name: String,
        /// The language the partnership's defaults (the ground rules) are written in:
        /// the creator's.
        lang: cocoach_i18n::Lang,
    },
    /// Apply an edit, save it, push it to the partner. `what` names the edit for
    /// error messages (never content).
    Edit {
        what: &'static str,
        edit: EditFn,
    },
    SignContract,
    /// Open an invite; answered by `Event::InviteReady`.
    Invite,
    /// Open a re-pairing invite for the partner, whose device was restored from a
    /// backup without its key; answered by `Event::InviteReady`, then as a pairing.
    InviteRejoin,
    /// The user compared the verification codes (either side of a pairing).
    ConfirmPairing(bool),
    /// Join with a ticket as `name`; `Event::PairCode`, then `Event::Joined` or
    /// `Event::PairFailed`.
    Join {
        ticket: String,
        name: String,
    },
    /// This device was restored without its key: re-pair with the partner's
    /// re-pairing invite. `Event::PairCode`, then `Event::Joined` or
    /// `Event::PairFailed`.
    Rejoin {
        ticket: String,
    },
    /// Private journal (this device only): add a reflection; answered by
    /// `Event::JournalChanged`.
    JournalAdd {
        text: String,
        link: JournalLink,
    },
    JournalUpdate {
        id: i64,
        text: String,
    },
    JournalDelete {
        id: i64,
    },
    /// List the journal, newest first, or search it when `query` has words;
    /// answered by `Event::Journal`.
    JournalList {
        query: String,
    },
    /// Every change to the shared document, oldest first; answered by
    /// `Event::History`.
    History,
    /// The document as it was right after a change; answered by `Event::ViewAt`.
    ViewAt(ChangeHash),
    /// Write a sync file for the partner (what they lack, or everything with
    /// `all`); answered by `Event::SyncFileWritten`.
    ExportSyncFile {
        path: std::path::PathBuf,
        all: bool,
    },
    /// Check and merge a sync file from the partner; answered by
    /// `Event::SyncFileImported` (or `Event::CommandFailed` with the refusal).
    ImportSyncFile {
        path: std::path::PathBuf,
    },
    /// Save everything and stop; answered by `Event::Stopped`.
    Shutdown,
}

/// What a reflection is about, if anything. (The store has its own copy of these
/// two types: this crate may not depend on the store, and the node converts.)
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JournalLink {
    None,
    Session(String),
    Action(String),
}

/// One reflection of the private journal. It lives in this device's journal file
/// only and is never part of the shared document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub id: i64,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub text: String,
    pub link: JournalLink,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Command::Create { .. } => "Create",
            Command::Edit { what, .. } => what,
            Command::SignContract => "SignContract",
            Command::Invite => "Invite",
            Command::ConfirmPairing(_) => "ConfirmPairing",
            Command::Join { .. } => "Join",
            Command::InviteRejoin => "InviteRejoin",
            Command::Rejoin { .. } => "Rejoin",
            Command::JournalAdd { .. } => "JournalAdd",
            Command::JournalUpdate { .. } => "JournalUpdate",
            Command::JournalDelete { .. } => "JournalDelete",
            Command::JournalList { .. } => "JournalList",
            Command::History => "History",
            Command::ViewAt(_) => "ViewAt",
            Command::ExportSyncFile { .. } => "ExportSyncFile",
            Command::ImportSyncFile { .. } => "ImportSyncFile",
            Command::Shutdown => "Shutdown",
        };
        f.write_str(name)
    }
}

/// What the GUI shows: a typed read of the document and the facts around it,
/// computed by the node (off the GUI thread) whenever the document changes.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub me: DeviceKey,
    pub my_name: String,
    /// `None` until a partnership is created or joined.
    pub partnership: Option<Partnership>,
    pub my_slot: Option<Slot>,
    pub conflicts: Vec<Conflict>,
    /// Every change is in SQLite.
    pub saved: bool,
    /// Why the last save failed (its words), while no save has succeeded since: the
    /// changes wait in memory and the node retries. The status bar says "Not saved".
    pub not_saved: Option<String>,
    /// When this device last exchanged anything with the partner (from the store).
    pub partner_last_seen_ms: Option<i64>,
    /// How many commands the node had carried out before reading this view: the
    /// view shows every edit among them (and perhaps later ones). A driver that
    /// counts the commands it sent can tell a view that predates its own edit.
    pub applied: u64,
}

impl View {
    pub fn partner_slot(&self) -> Option<Slot> {
        self.my_slot.map(Slot::other)
    }
}

/// Where we stand with the partner, from the sync protocol's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    pub peer: DeviceKey,
    /// Both sides announced the same heads.
    pub in_sync: bool,
    /// The partner acknowledged every change we have.
    pub partner_has_our_changes: bool,
    /// Our changes the partner has not acknowledged yet.
    pub unacknowledged: usize,
}

/// What the node tells its driver.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A sync file was written: `changes` in it, `whole` when it holds everything.
    SyncFileWritten {
        path: std::path::PathBuf,
        changes: usize,
        whole: bool,
    },
    /// A sync file was merged: `new` changes this device did not have.
    SyncFileImported {
        path: std::path::PathBuf,
        new: u64,
    },
    /// The node is running (handle only).
    Started {
        me: DeviceKey,
    },
    /// The node could not start (handle only): the data could not be opened.
    StartFailed(String),
    /// The document as it is now (handle only; a newer one replaces an older one
    /// still waiting).
    View(Arc<View>),
    /// An invite is open: show this ticket until it expires or is used.
    InviteReady {
        ticket: String,
        expires_at_ms: i64,
    },
    /// Paired (guest side): the document is here and saved.
    Joined {
        partner_name: String,
    },
    /// A command could not be carried out; nothing was changed.
    CommandFailed {
        what: String,
        reason: String,
    },
    /// The node has stopped after `Command::Shutdown`; everything is saved.
    Stopped,
    Connected,
    Disconnected {
        reason: String,
    },
    /// The partner's changes arrived and are saved.
    DocChanged,
    Status(SyncStatus),
    /// While no connection is up: how many of our changes the partner has not
    /// acknowledged, from the sync state stored for it (after a disconnect and
    /// after each offline edit). Not a sign of a connection.
    Unacknowledged(usize),
    Unreachable {
        reason: String,
        retry_in: Duration,
    },
    /// A stranger was turned away.
    Refused {
        alpn: String,
    },
    /// The partner's device sent changes that would rewrite `what` (who the
    /// partners are): refused whole, nothing of them kept. Show it until dismissed.
    /// `what` is the id of the message naming it (`tampered-…`): `Tr::t` it.
    Tampered {
        what: String,
    },
    /// Pairing: show this code and ask the user to compare it.
    PairCode {
        code: String,
        partner_name: String,
    },
    /// Paired (host side): the partner has the document.
    Paired {
        partner_name: String,
    },
    PairFailed {
        reason: String,
    },
    /// The journal, as asked for by `Command::JournalList` with `query`.
    Journal {
        query: String,
        entries: Vec<JournalEntry>,
    },
    /// A reflection was added, changed or deleted (and is saved).
    JournalChanged,
    /// Every change to the shared document, oldest first.
    History(Arc<Vec<HistoryEntry>>),
    /// The document as it was right after change `at`.
    ViewAt {
        at: ChangeHash,
        partnership: Arc<Partnership>,
    },
    /// Something went wrong in the background (saving, mostly); shown to the user.
    Error(String),
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("cocoach is still busy with earlier work; try again in a moment")]
    Busy,
    #[error("cocoach's background worker has stopped")]
    Stopped,
}

/// The driver's end of a running node. Neither method ever blocks.
pub trait NodeLink: Send {
    /// Queue a command.
    fn send(&self, cmd: Command) -> Result<(), SendError>;
    /// The next waiting event, if any.
    fn try_event(&mut self) -> Option<Event>;
}
