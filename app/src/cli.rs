//! Command-line interface: every data command works on one data directory.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "cocoach",
    version,
    about = "Co-coaching, peer to peer and local first.",
    long_about = "cocoach keeps the shared record of a co-coaching partnership (contract, \
                  session notes, actions) on both partners' computers, and a private \
                  journal that never leaves this one."
)]
pub struct Cli {
    /// Where this device keeps its data (default: the platform's data directory).
    #[arg(long, global = true, value_name = "DIR", env = "COCOACH_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try cocoach alone: two demo partners, Ana and Bo, each with their own data,
    /// paired over loopback and shown side by side in one window.
    Demo {
        /// Where the two demo partners keep their data (default: `cocoach-demo` in
        /// the system's temporary directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Start the demo afresh (deletes the demo's data, never yours).
        #[arg(long)]
        reset: bool,
        /// Only set the demo up (pair Ana and Bo) and stop, without a window.
        #[arg(long)]
        no_window: bool,
    },
    /// Create a new partnership on this device (you become partner A).
    Init {
        /// Your name, as your partner will see it.
        #[arg(long)]
        name: String,
    },
    /// Show the partnership, contract state, partner and sync facts, and what is stored.
    Status,
    /// Invite your partner: prints the invite as the first line, waits for them to
    /// join, shows the verification code and asks you to compare it.
    Invite {
        /// Do not ask: accept the verification code (for scripts and tests).
        #[arg(long)]
        yes: bool,
        /// Re-pair your partner's device, restored from a backup without its device
        /// key (they then run `cocoach rejoin` with this invite).
        #[arg(long)]
        rejoin: bool,
        #[command(flatten)]
        net: NetOpts,
    },
    /// On a device restored from a backup without its device key: pair it again
    /// with your partner, using the re-pairing invite they made with
    /// `cocoach invite --rejoin`. Everything on both devices is kept.
    Rejoin {
        /// The re-pairing invite; `-` reads it from standard input.
        ticket: String,
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        net: NetOpts,
    },
    /// Join your partner's partnership with the invite they gave you.
    Join {
        /// The invite; `-` reads it from standard input (better: a command line
        /// shows in `ps` and in your shell's history).
        ticket: String,
        /// Your name, as your partner will see it.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        net: NetOpts,
    },
    /// Sync with your partner: runs until interrupted, or with --once until both hold
    /// the same document. Accepts your partner's connections while it runs.
    Sync {
        #[arg(long)]
        once: bool,
        /// With --once: give up after this many seconds.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
        #[command(flatten)]
        net: NetOpts,
    },
    /// Carry changes to your partner by file, when your devices cannot reach each
    /// other (a USB stick, an e-mail attachment).
    #[command(subcommand, name = "sync-file")]
    SyncFile(SyncFileCmd),
    /// Write the whole partnership in a readable format, or the meetings and
    /// deadlines as a calendar file (`--format ics`).
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Read, edit and sign the contract.
    #[command(subcommand)]
    Contract(ContractCmd),
    /// Sessions.
    #[command(subcommand)]
    Session(SessionCmd),
    /// Session notes.
    #[command(subcommand)]
    Notes(NotesCmd),
    /// Actions you and your partner committed to.
    #[command(subcommand)]
    Action(ActionCmd),
    /// The coach's question deck: the built-in questions and your own, shared
    /// with your partner.
    #[command(subcommand)]
    Deck(DeckCmd),
    /// Write a private reflection (stays on this device, never sent).
    Reflect {
        text: String,
        /// Tie the reflection to a session (id or prefix).
        #[arg(long, conflicts_with = "action")]
        session: Option<String>,
        /// Tie the reflection to an action (id or prefix).
        #[arg(long)]
        action: Option<String>,
    },
    /// Your private journal.
    #[command(subcommand)]
    Journal(JournalCmd),
    /// Who changed what and when.
    History {
        /// Show only the most recent N changes.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print the partnership as it was right after this change (hash or prefix).
        #[arg(long)]
        at: Option<String>,
    },
    /// Fields you and your partner set differently while apart.
    Conflicts,
    /// Settle a conflict: keep value CHOICE (1-based) of conflict NUMBER.
    Resolve { number: usize, choice: usize },
    /// Fold stored changes into one snapshot (done automatically too).
    Compact,
    /// Send the reminders due now (actions due tomorrow or overdue, today's
    /// meeting, your partner's celebrations), each once: for cron or a systemd
    /// timer. Without a notification service they are printed.
    Remind {
        /// Set new quiet hours first, as FROM-TO (24-hour clock) or `off`; during
        /// them no reminder is sent (default 21:00-08:00).
        #[arg(long, value_name = "FROM-TO")]
        quiet_hours: Option<String>,
    },
    /// Write a backup of this device's data to FILE: one SQLite file holding the
    /// partnership, and your journal and this device's key only when asked. Works
    /// while the window runs.
    Backup {
        file: PathBuf,
        /// Include your private journal.
        #[arg(long)]
        with_journal: bool,
        /// Include this device's secret key: a device restored from the backup is this
        /// device again and syncs as before. Whoever has the file can act as it.
        #[arg(long)]
        with_device_key: bool,
    },
    /// Restore a backup into the data directory, after checking all of it. Replacing
    /// a partnership there needs --yes; what was there is kept in a replaced-… folder.
    Restore {
        file: PathBuf,
        /// Replace the partnership (and journal) in the data directory.
        #[arg(long)]
        yes: bool,
    },
}

/// Network options of the commands that talk to the partner.
#[derive(Debug, Clone, Args)]
pub struct NetOpts {
    /// Address to listen on (default: every interface, any port).
    #[arg(long, default_value = "0.0.0.0:0", value_name = "ADDR:PORT")]
    pub listen: std::net::SocketAddr,
    /// Do not look for the partner on the local network (mDNS).
    #[arg(long)]
    pub no_mdns: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    /// iCalendar (RFC 5545): the planned meetings and the open actions' deadlines.
    Ics,
}

#[derive(Debug, Subcommand)]
pub enum ContractCmd {
    /// Show the contract and who has signed it.
    Show,
    /// Set a term: frequency, place, session_minutes, term_start, term_end,
    /// term_sessions, coaches_first, turns, question_style, meeting_time (HH:MM, your
    /// local time). An empty value clears it.
    Set { field: String, value: String },
    /// Add a ground rule.
    AddRule { rule: String },
    /// Remove ground rule NUMBER (1-based, as shown).
    RemoveRule { number: usize },
    /// Say a topic is off limits for you.
    OffLimits { topic: String },
    /// Sign the contract as it is now.
    Sign,
}

/// Where in a half a question is asked.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum StageArg {
    Review,
    Goal,
    Reality,
    Options,
    Will,
}

impl StageArg {
    pub fn stage(self) -> cocoach_doc::Stage {
        match self {
            StageArg::Review => cocoach_doc::Stage::Review,
            StageArg::Goal => cocoach_doc::Stage::Goal,
            StageArg::Reality => cocoach_doc::Stage::Reality,
            StageArg::Options => cocoach_doc::Stage::Options,
            StageArg::Will => cocoach_doc::Stage::Will,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum DeckCmd {
    /// Show the deck, stage by stage (your own questions with their ids).
    List {
        #[arg(long, value_enum)]
        stage: Option<StageArg>,
    },
    /// Add your own question to the shared deck (prints its id).
    Add {
        #[arg(long, value_enum)]
        stage: StageArg,
        text: String,
    },
    /// Take a question (yours or your partner's) out of the deck: its id or a
    /// unique prefix, from `deck list`.
    Remove { id: String },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Who {
    Me,
    Partner,
}

#[derive(Debug, Subcommand)]
pub enum SessionCmd {
    /// Start a new session record (prints its id).
    New {
        /// Date of the session, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// Who coaches first, if you agreed otherwise than the contract's rule.
        #[arg(long, value_enum)]
        coach_first: Option<Who>,
        /// The getting-to-know meeting: each tells their situation and how they
        /// like to work; it closes without actions once both signed the contract.
        #[arg(long)]
        first_meeting: bool,
    },
    /// When the contract's rhythm plans the next meeting.
    Next,
    /// List sessions.
    List,
    /// Close a session: needs an action with a deadline for each of you, or a reason.
    Close {
        id: String,
        #[arg(long, default_value = "")]
        skip_reason: String,
    },
    /// Record that the coachee declined a topic (the topic itself is not written down).
    Decline {
        id: String,
        #[arg(long, value_enum, default_value_t = Who::Me)]
        coachee: Who,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NoteField {
    Review,
    Goal,
    Reality,
    Options,
    Will,
    Notes,
}

#[derive(Debug, Subcommand)]
pub enum NotesCmd {
    /// Append text to a field of a coachee's half (for options: add one option).
    Append(NotesAppend),
}

#[derive(Debug, Args)]
pub struct NotesAppend {
    /// Session id (or a unique prefix).
    #[arg(long)]
    pub session: String,
    /// Whose half: the coachee.
    #[arg(long, value_enum, default_value_t = Who::Me)]
    pub coachee: Who,
    #[arg(long, value_enum)]
    pub field: NoteField,
    pub text: String,
}

#[derive(Debug, Subcommand)]
pub enum ActionCmd {
    /// Commit to an action (prints its id).
    Add {
        text: String,
        /// Deadline, YYYY-MM-DD.
        #[arg(long)]
        due: String,
        #[arg(long, value_enum, default_value_t = Who::Me)]
        owner: Who,
        /// The session it came from.
        #[arg(long)]
        session: Option<String>,
    },
    /// Mark an action done, with a note celebrating it.
    Done {
        id: String,
        #[arg(long, default_value = "")]
        celebrate: String,
        /// When it was done (default: today).
        #[arg(long)]
        on: Option<String>,
    },
    /// Drop an action.
    Drop { id: String },
    /// Reopen a done or dropped action.
    Reopen { id: String },
    /// Record an obstacle met ("no time", "my network is weak", …).
    Obstacle { id: String, obstacle: String },
    /// List actions.
    List,
}

#[derive(Debug, Subcommand)]
pub enum JournalCmd {
    /// List reflections, newest first.
    List,
    /// Search reflections.
    Search { query: String },
}

#[derive(Debug, Subcommand)]
pub enum SyncFileCmd {
    /// Write the changes your partner has not received yet (as far as this device
    /// knows from your last sync) to FILE, with their signatures.
    Export {
        file: PathBuf,
        /// Write every change of the partnership, not only the new ones.
        #[arg(long)]
        all: bool,
    },
    /// Check FILE from your partner and merge its changes. A file for another
    /// partnership, damaged, cut short or tampered with is refused; importing the
    /// same file twice changes nothing.
    Import { file: PathBuf },
}
