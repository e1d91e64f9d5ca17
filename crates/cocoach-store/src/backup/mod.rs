//! Backup and restore of one device's cocoach data, as one file that is itself an
//! SQLite database (data outlives the app: no wrapper of ours around it).
//!
//! ```sql
//! meta(key TEXT PRIMARY KEY, value TEXT)      -- format, format_version, created_at_ms,
//!                                             -- cocoach_version, partnership_id, includes
//! files(name TEXT PRIMARY KEY, bytes BLOB, sha256 TEXT)
//!                                             -- one consistent image per database:
//!                                             -- partnership.sqlite3 always,
//!                                             -- journal.sqlite3, device.sqlite3 if asked
//! ```
//! `PRAGMA application_id` is "cocb" (a data file is "coco"), `PRAGMA user_version`
//! the format version. Each image is made with SQLite's `VACUUM INTO`, which reads
//! under SQLite's own locking: consistent while the window runs, with whatever the
//! write-ahead log holds, and without freed pages (a deleted reflection is not in
//! it). Any file can be taken out with the sqlite3 command line:
//!
//! ```sh
//! sqlite3 backup.cocoach "select writefile('partnership.sqlite3', bytes) from files where name='partnership.sqlite3'"
//! ```
//!
//! Split by concern: this file holds the format and the types; `write.rs` makes a
//! backup, `check.rs` reads and checks one before anything is touched, and
//! `restore.rs` puts a checked backup in place.
//!
//! The API, for the command line now and the window later (from the node, on a
//! blocking thread: each call takes as long as reading the files once or twice,
//! with no progress to report):
//! - [`backup`]: no directory lock (the window holds it while it runs; SQLite's
//!   locking makes each image consistent);
//! - [`check_backup`]: reads and checks a backup, touching no data directory;
//! - [`restore`]: check, then take the directory lock and put the files in place;
//!   [`restore_locked`] for a caller that already holds the lock (the window, after
//!   stopping its node).

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

use cocoach_doc::DeviceKey;
use cocoach_doc::automerge::ChangeHash;
use sha2::{Digest, Sha256};

use crate::{DataDir, StoreError};

mod check;
mod restore;
mod write;

pub use check::check_backup;
pub use restore::{restore, restore_locked};
pub use write::backup;

/// One database of a backup: what it is and its bytes.
type Image = (Part, Vec<u8>);

/// `PRAGMA application_id` of a backup file ("cocb").
pub const BACKUP_APPLICATION_ID: i32 = 0x636f_6362;

/// The backup format this build writes, and the newest it reads.
pub const FORMAT_VERSION: i64 = 1;

/// `meta.format` of every backup.
const FORMAT: &str = "cocoach-backup";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE files (name TEXT PRIMARY KEY NOT NULL, bytes BLOB NOT NULL, sha256 TEXT NOT NULL);
";

/// One database a backup may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// `partnership.sqlite3`: always included.
    Partnership,
    /// `journal.sqlite3`: the private journal, only when asked.
    Journal,
    /// `device.sqlite3`: this device's secret key, only when asked.
    DeviceKey,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Partnership, Part::Journal, Part::DeviceKey];

    /// Its name in the backup's `files` table and in the data directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Part::Partnership => "partnership.sqlite3",
            Part::Journal => "journal.sqlite3",
            Part::DeviceKey => "device.sqlite3",
        }
    }

    /// What the file is, for messages.
    fn kind(self) -> &'static str {
        match self {
            Part::Partnership => "a cocoach partnership",
            Part::Journal => "a cocoach journal",
            Part::DeviceKey => "a cocoach device key",
        }
    }

    fn from_file_name(name: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.file_name() == name)
    }

    fn path(self, dir: &DataDir) -> PathBuf {
        match self {
            Part::Partnership => dir.partnership_db(),
            Part::Journal => dir.journal_db(),
            Part::DeviceKey => dir.device_db(),
        }
    }
}

/// What goes into a backup beside the partnership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupOptions {
    /// The private journal.
    pub journal: bool,
    /// This device's secret key: a device restored from the backup is this device
    /// (and syncs with the partner as before). Whoever has the file can act as it.
    pub device_key: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub file: PathBuf,
    pub partnership_id: String,
    /// What the backup holds, in [`Part::ALL`] order.
    pub parts: Vec<Part>,
    /// Asked for but not on this device (a journal never written to, say).
    pub missing: Vec<Part>,
    /// The backup file's size.
    pub bytes: u64,
}

/// What a backup says about itself, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub format_version: i64,
    pub created_at_ms: i64,
    /// The cocoach that made it.
    pub cocoach_version: String,
    pub partnership_id: String,
    pub parts: Vec<Part>,
    /// The partnership's heads in the backup.
    pub heads: Vec<ChangeHash>,
}

/// A backup read into memory and checked whole: every image matches its sha256,
/// passes `PRAGMA integrity_check` and opens with this crate's own open functions as
/// the kind of file its name says. Only such a backup can be restored. Its `Debug`
/// shows sizes, never the bytes (they hold the journal's text and the device seed).
pub struct CheckedBackup {
    file: PathBuf,
    info: BackupInfo,
    images: Vec<Image>,
    /// The device keys the partnership names (A, B), to tell whether the restored
    /// device is one of the partners.
    partner_keys: Vec<DeviceKey>,
    /// The key in the backup's `device.sqlite3`, if it holds one.
    device_key: Option<DeviceKey>,
}

impl std::fmt::Debug for CheckedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedBackup")
            .field("file", &self.file)
            .field("info", &self.info)
            .field(
                "images",
                &self
                    .images
                    .iter()
                    .map(|(p, b)| (p.file_name(), b.len()))
                    .collect::<Vec<_>>(),
            )
            .field("partner_keys", &self.partner_keys)
            .field("device_key", &self.device_key)
            .finish()
    }
}

impl CheckedBackup {
    pub fn info(&self) -> &BackupInfo {
        &self.info
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn includes(&self, part: Part) -> bool {
        self.images.iter().any(|(p, _)| *p == part)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// Replace a partnership (or journal) already in the data directory. What is
    /// there is moved to `replaced-<UTC time>/` inside it first; nothing is deleted.
    pub replace_existing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub partnership_id: String,
    /// What was restored from the backup.
    pub restored: Vec<Part>,
    /// Where the files that were there before are kept, if any were.
    pub replaced: Option<PathBuf>,
    /// Files of the data directory the backup did not hold, left as they were
    /// (this device's key and journal when the backup has none).
    pub kept: Vec<Part>,
    /// This device's key after the restore (`None` if its file could not be read).
    pub device_key: Option<DeviceKey>,
    /// The restore gave this device a new key (a fresh machine, no key in the backup).
    pub new_device_key: bool,
    /// Whether this device's key is one of the partnership's partners. When not, the
    /// partnership reads and exports, but edits and syncing need a new pairing.
    pub device_is_partner: bool,
}

/// Why a backup or a restore failed. Messages name files, never their content.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{file} is not a cocoach backup{}", note(.reason))]
    NotABackup {
        file: PathBuf,
        /// What it is instead, when known.
        reason: String,
        #[source]
        source: Option<rusqlite::Error>,
    },
    #[error("the backup {file} is damaged: {reason}")]
    Damaged {
        file: PathBuf,
        reason: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    },
    #[error(
        "the backup {file} was made by a newer cocoach (backup format {found}); update cocoach to restore it"
    )]
    NewerFormat { file: PathBuf, found: i64 },
    #[error("the backup {file} holds {part} written by a newer cocoach; update cocoach to restore it", part = .part.file_name())]
    NewerData {
        file: PathBuf,
        part: Part,
        #[source]
        source: Box<StoreError>,
    },
    #[error("{dir} already holds {}; restoring replaces it (what is there is moved to a replaced-… folder in it, nothing is deleted), which needs confirming", names(.found))]
    WouldReplace { dir: PathBuf, found: Vec<Part> },
    #[error("{0} exists and is not a cocoach backup; it was not overwritten")]
    TargetExists(PathBuf),
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
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(super) fn note(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}

pub(super) fn names(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| p.file_name())
        .collect::<Vec<_>>()
        .join(", ")
}

type Result<T, E = BackupError> = std::result::Result<T, E>;

pub(super) fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn sql(file: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |source| BackupError::Sqlite {
        file: file.to_path_buf(),
        source,
    }
}

pub(super) fn damaged(file: &Path, reason: impl Into<String>) -> BackupError {
    BackupError::Damaged {
        file: file.to_path_buf(),
        reason: reason.into(),
        source: None,
    }
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    let d: [u8; 32] = Sha256::digest(bytes).into();
    cocoach_doc::hex_encode(&d)
}

/// A private (0700) folder for intermediate files, removed with everything in it
/// when dropped.
#[derive(Debug)]
pub(super) struct Scratch(PathBuf);

impl Scratch {
    fn new(parent: &Path, prefix: &str) -> Result<Scratch> {
        let id = cocoach_doc::new_id().map_err(StoreError::Doc)?;
        let path = parent.join(format!("{prefix}-{id}"));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&path).map_err(io(&path))?;
        Ok(Scratch(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(dir = %self.0.display(), error = %cocoach_doc::error_text(&e), "could not remove a temporary folder");
        }
    }
}

/// A new file, owner-only, failing if it exists.
pub(super) fn create_private(path: &Path) -> Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(io(path))
}

pub(super) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), error = %cocoach_doc::error_text(&e), "could not sync a directory");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

pub(super) fn path_text(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| BackupError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path is not valid UTF-8",
        ),
    })
}

/// The first 100 bytes of `file` (its SQLite header), or fewer if it is shorter.
pub(super) fn header(file: &Path) -> Result<Vec<u8>> {
    let mut h = Vec::with_capacity(100);
    File::open(file)
        .map_err(io(file))?
        .take(100)
        .read_to_end(&mut h)
        .map_err(io(file))?;
    Ok(h)
}

pub(super) fn application_id(header: &[u8]) -> Option<i32> {
    if header.len() < 100 || &header[..16] != b"SQLite format 3\0" {
        return None;
    }
    Some(i32::from_be_bytes([
        header[68], header[69], header[70], header[71],
    ]))
}

// ------------------------------------------------------------------------- backup
