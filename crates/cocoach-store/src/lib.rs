//! Durable local state of one cocoach device, in SQLite files inside a data directory:
//!
//! - `partnership.sqlite3`: the shared document as Automerge's own bytes (one row per
//!   change, compacted snapshots from `save()`), sync state per partner, the partner
//!   registry;
//! - `device.sqlite3`: this device's identity seed (file mode 0600), its settings,
//!   and the reminders it has sent;
//! - `journal.sqlite3`: the private journal, with full-text search. Nothing in this
//!   crate copies journal text into the other files, and the network crates cannot
//!   depend on this crate at all.
//!
//! Architecture invariant: an edit is "saved" only when the SQLite transaction that
//! wrote its change bytes has committed (WAL, `synchronous=FULL`).
//!
//! Architecture invariant: a file that cannot be read is never overwritten or taken as
//! empty. The error names the file, and a copy is kept in `damaged/` beside it.

pub mod backup;
mod device;
mod files;
mod journal;
mod partnership;
mod reminders;
mod sqlite;

use std::fs::File;
use std::path::{Path, PathBuf};

pub use device::DeviceStore;
pub use files::write_atomically;
pub use journal::{Journal, JournalEntry, JournalLink};
pub use partnership::{
    COMPACT_THRESHOLD, CompactReport, EditError, Edited, OpenReport, PartnerRecord,
    PartnershipStore, SaveReport,
};
pub use reminders::Reminders;

/// Errors from local storage. Messages name files and rows, never note or journal text.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{file} is damaged: {reason}. It was not changed{}",
        kept.as_ref().map(|k| format!("; a copy is kept at {}", k.display())).unwrap_or_default()
    )]
    Damaged {
        file: PathBuf,
        /// What is wrong, in our words (which row, which check).
        reason: String,
        kept: Option<PathBuf>,
        /// What SQLite or Automerge said about it, when one of them noticed.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    },
    #[error("SQLite failed on {file}")]
    Sqlite {
        file: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot access {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no partnership in {0}: create one with `cocoach init` or join one")]
    NoPartnership(PathBuf),
    #[error("{0} already holds a partnership; use another --data-dir")]
    AlreadyExists(PathBuf),
    #[error("{file} was written by a newer cocoach (format {found}); please update cocoach")]
    NewerFormat { file: PathBuf, found: i64 },
    #[error("{0} is not a cocoach file")]
    Foreign(PathBuf),
    #[error(
        "another cocoach is already using {0}; close it first (only one program may use a data directory at a time)"
    )]
    Locked(PathBuf),
    /// The document refused an edit or a read. Transparent: its message is the
    /// user's first line (tests and the CLI match on it), and its sources follow.
    #[error(transparent)]
    Doc(#[from] cocoach_doc::DocError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The files of one device's data directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn partnership_db(&self) -> PathBuf {
        self.root.join("partnership.sqlite3")
    }

    pub fn device_db(&self) -> PathBuf {
        self.root.join("device.sqlite3")
    }

    pub fn journal_db(&self) -> PathBuf {
        self.root.join("journal.sqlite3")
    }

    pub fn damaged_dir(&self) -> PathBuf {
        self.root.join("damaged")
    }

    /// Create the directory (mode 0700) if needed; one made looser before (by an
    /// older cocoach, by hand, or under a lax umask) is tightened to 0700.
    pub fn ensure(&self) -> Result<()> {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&self.root).map_err(|source| StoreError::Io {
            path: self.root.clone(),
            source,
        })?;
        sqlite::owner_only(&self.root, 0o700);
        Ok(())
    }

    /// Take the directory's exclusive lock for as long as the returned guard lives.
    /// A second program using the same directory gets [`StoreError::Locked`].
    pub fn lock(&self) -> Result<DirLock> {
        self.ensure()?;
        let path = self.root.join("lock");
        let mut opts = File::options();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let file = opts.open(&path).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Locked(self.root.clone())),
            Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Io { path, source }),
        }
    }
}

/// Holds a data directory's lock; released on drop.
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}
