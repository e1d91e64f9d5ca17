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
//! The API, for the command line now and the window later (from the node, on a
//! blocking thread: each call takes as long as reading the files once or twice,
//! with no progress to report):
//! - [`backup`]: no directory lock (the window holds it while it runs; SQLite's
//!   locking makes each image consistent);
//! - [`check_backup`]: reads and checks a backup, touching no data directory;
//! - [`restore`]: check, then take the directory lock and put the files in place;
//!   [`restore_locked`] for a caller that already holds the lock (the window, after
//!   stopping its node).

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use cocoach_doc::automerge::ChangeHash;
use cocoach_doc::{DeviceKey, DocError};
use rusqlite::{Connection, OpenFlags, params};
use sha2::{Digest, Sha256};

use crate::sqlite::{APPLICATION_ID, owner_only};
use crate::{DataDir, DeviceStore, DirLock, Journal, PartnershipStore, StoreError};

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

fn note(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}

fn names(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| p.file_name())
        .collect::<Vec<_>>()
        .join(", ")
}

type Result<T, E = BackupError> = std::result::Result<T, E>;

fn io(path: &Path) -> impl Fn(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn sql(file: &Path) -> impl Fn(rusqlite::Error) -> BackupError + '_ {
    move |source| BackupError::Sqlite {
        file: file.to_path_buf(),
        source,
    }
}

fn damaged(file: &Path, reason: impl Into<String>) -> BackupError {
    BackupError::Damaged {
        file: file.to_path_buf(),
        reason: reason.into(),
        source: None,
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    let d: [u8; 32] = Sha256::digest(bytes).into();
    cocoach_doc::hex_encode(&d)
}

/// A private (0700) folder for intermediate files, removed with everything in it
/// when dropped.
#[derive(Debug)]
struct Scratch(PathBuf);

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
fn create_private(path: &Path) -> Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(io(path))
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(e) = File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(dir = %dir.display(), error = %cocoach_doc::error_text(&e), "could not sync a directory");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn path_text(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| BackupError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the path is not valid UTF-8",
        ),
    })
}

/// The first 100 bytes of `file` (its SQLite header), or fewer if it is shorter.
fn header(file: &Path) -> Result<Vec<u8>> {
    let mut h = Vec::with_capacity(100);
    File::open(file)
        .map_err(io(file))?
        .take(100)
        .read_to_end(&mut h)
        .map_err(io(file))?;
    Ok(h)
}

fn application_id(header: &[u8]) -> Option<i32> {
    if header.len() < 100 || &header[..16] != b"SQLite format 3\0" {
        return None;
    }
    Some(i32::from_be_bytes([
        header[68], header[69], header[70], header[71],
    ]))
}

// ------------------------------------------------------------------------- backup

/// Write a backup of `dir` to `target`: the partnership always, the journal and the
/// device key when `opts` asks. Takes no directory lock, so it works while the
/// window runs: each image is made by `VACUUM INTO` under SQLite's own locking.
/// The file is written under a temporary name beside `target`, synced and renamed,
/// so `target` is either the old file or the whole new backup. An existing
/// `target` is replaced only if it is itself a cocoach backup.
pub fn backup(dir: &DataDir, target: &Path, opts: BackupOptions) -> Result<BackupReport> {
    if !dir.partnership_db().exists() {
        return Err(StoreError::NoPartnership(dir.root().to_path_buf()).into());
    }
    if std::fs::symlink_metadata(target).is_ok() {
        let is_backup =
            target.is_file() && application_id(&header(target)?) == Some(BACKUP_APPLICATION_ID);
        if !is_backup {
            return Err(BackupError::TargetExists(target.to_path_buf()));
        }
    }
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(BackupError::Io {
            path: parent,
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let scratch = Scratch::new(&parent, ".cocoach-backup")?;
    let mut parts = vec![Part::Partnership];
    let mut missing = Vec::new();
    for (wanted, part) in [
        (opts.journal, Part::Journal),
        (opts.device_key, Part::DeviceKey),
    ] {
        if wanted {
            if part.path(dir).exists() {
                parts.push(part);
            } else {
                missing.push(part);
            }
        }
    }
    let mut images = Vec::new();
    for &part in &parts {
        let image = scratch.path().join(part.file_name());
        vacuum_into(&part.path(dir), &image)?;
        images.push((part, std::fs::read(&image).map_err(io(&image))?));
    }
    // What a restore will check, checked now, on the files just made: a backup that
    // would not restore is not written.
    let facts = check_images(target, &DataDir::new(scratch.path()), &parts)?;
    let tmp = scratch.path().join("backup.new");
    write_backup_file(&tmp, &facts.partnership_id, &images)?;
    std::fs::rename(&tmp, target).map_err(io(target))?;
    sync_dir(&parent);
    let bytes = std::fs::metadata(target).map_err(io(target))?.len();
    tracing::info!(parts = parts.len(), bytes, "backup written");
    Ok(BackupReport {
        file: target.to_path_buf(),
        partnership_id: facts.partnership_id,
        parts,
        missing,
        bytes,
    })
}

/// A consistent image of the database `src` in the new file `image`. Read-only:
/// `VACUUM INTO` takes a read transaction, so it sees every committed transaction,
/// in the write-ahead log too, and waits for nobody.
fn vacuum_into(src: &Path, image: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| crate::sqlite::classify(src, e))?;
    let err = |e| crate::sqlite::classify(src, e);
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(err)?;
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(err)?;
    if app != APPLICATION_ID {
        return Err(StoreError::Foreign(src.to_path_buf()).into());
    }
    conn.execute("VACUUM INTO ?1", params![path_text(image)?])
        .map_err(err)?;
    owner_only(image, 0o600);
    Ok(())
}

fn write_backup_file(tmp: &Path, partnership_id: &str, images: &[Image]) -> Result<()> {
    drop(create_private(tmp)?);
    {
        let err = sql(tmp);
        let mut conn = Connection::open(tmp).map_err(&err)?;
        // Written once and renamed into place whole: no journal needed beyond the
        // default, and the finished file stands alone (no -wal beside it).
        conn.pragma_update(None, "journal_mode", "DELETE")
            .map_err(&err)?;
        let tx = conn.transaction().map_err(&err)?;
        tx.execute_batch(SCHEMA).map_err(&err)?;
        tx.execute_batch(&format!(
            "PRAGMA application_id = {BACKUP_APPLICATION_ID}; PRAGMA user_version = {FORMAT_VERSION};"
        ))
        .map_err(&err)?;
        let includes = images
            .iter()
            .map(|(p, _)| p.file_name())
            .collect::<Vec<_>>()
            .join(",");
        let meta = [
            ("format", FORMAT.to_string()),
            ("format_version", FORMAT_VERSION.to_string()),
            ("created_at_ms", cocoach_doc::now_ms().to_string()),
            ("cocoach_version", env!("CARGO_PKG_VERSION").to_string()),
            ("partnership_id", partnership_id.to_string()),
            ("includes", includes),
        ];
        for (k, v) in meta {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2)",
                params![k, v],
            )
            .map_err(&err)?;
        }
        for (part, bytes) in images {
            tx.execute(
                "INSERT INTO files(name, bytes, sha256) VALUES (?1, ?2, ?3)",
                params![part.file_name(), bytes, sha256_hex(bytes)],
            )
            .map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
    }
    File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(io(tmp))?;
    Ok(())
}

// -------------------------------------------------------------------------- check

/// Read the backup `file` and check it whole (see [`CheckedBackup`]). Touches no
/// data directory: the images are opened in a private folder in the user's runtime
/// or the system's temporary directory (`private_temp_dir`), removed before this
/// returns.
pub fn check_backup(file: &Path) -> Result<CheckedBackup> {
    let (meta, rows) = read_backup(file)?;
    let scratch = Scratch::new(&private_temp_dir(), "cocoach-restore-check")?;
    let check_dir = DataDir::new(scratch.path());
    let mut parts = Vec::new();
    let mut images = Vec::new();
    for (part, bytes) in rows {
        let path = part.path(&check_dir);
        let mut f = create_private(&path)?;
        f.write_all(&bytes).map_err(io(&path))?;
        drop(f);
        parts.push(part);
        images.push((part, bytes));
    }
    let facts = check_images(file, &check_dir, &parts)?;
    if facts.partnership_id != meta.partnership_id {
        return Err(damaged(
            file,
            "its partnership.sqlite3 holds another partnership than its meta table names",
        ));
    }
    Ok(CheckedBackup {
        file: file.to_path_buf(),
        info: BackupInfo {
            format_version: meta.format_version,
            created_at_ms: meta.created_at_ms,
            cocoach_version: meta.cocoach_version,
            partnership_id: facts.partnership_id,
            parts,
            heads: facts.heads,
        },
        images,
        partner_keys: facts.partner_keys,
        device_key: facts.device_key,
    })
}

/// Where the check opens the images: the user's own runtime directory when there is
/// one (Linux: `XDG_RUNTIME_DIR`, in memory, owner-only, emptied at logout: the
/// journal and the device key are best not left on a shared disk by a killed
/// restore), else the system's temporary directory (in a 0700 folder).
fn private_temp_dir() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_absolute() && d.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

/// One database of a backup: what it is and its bytes.
type Image = (Part, Vec<u8>);

struct Meta {
    format_version: i64,
    created_at_ms: i64,
    cocoach_version: String,
    partnership_id: String,
}

/// The backup's meta and its images (each matching its sha256), in [`Part`] order.
fn read_backup(file: &Path) -> Result<(Meta, Vec<Image>)> {
    let not_backup = |reason: &str, source| BackupError::NotABackup {
        file: file.to_path_buf(),
        reason: reason.to_string(),
        source,
    };
    let len = std::fs::metadata(file).map_err(io(file))?.len();
    let h = header(file)?;
    if h.len() < 16 || &h[..16] != b"SQLite format 3\0" {
        return Err(not_backup("it is not an SQLite file", None));
    }
    if h.len() < 100 {
        return Err(damaged(file, format!("it is truncated ({len} bytes)")));
    }
    let page_size = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65_536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        _ => return Err(damaged(file, "its header is garbled (page size)")),
    };
    let pages = u64::from(u32::from_be_bytes([h[28], h[29], h[30], h[31]]));
    let counter_valid = h[24..28] == h[92..96];
    if len % page_size != 0 || (counter_valid && len < pages * page_size) {
        return Err(damaged(
            file,
            format!(
                "it is truncated ({len} bytes; it should be {})",
                pages * page_size
            ),
        ));
    }
    match application_id(&h) {
        Some(BACKUP_APPLICATION_ID) => {}
        Some(APPLICATION_ID) => {
            return Err(not_backup(
                "it is one of cocoach's data files, not a backup",
                None,
            ));
        }
        _ => return Err(not_backup("", None)),
    }
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_backup("SQLite cannot open it", Some(e)))?;
    let bad = |what: &str| {
        let what = what.to_string();
        move |e: rusqlite::Error| BackupError::Damaged {
            file: file.to_path_buf(),
            reason: what.clone(),
            source: Some(Box::new(e)),
        }
    };
    // The meta table is the one part of the format that never changes, so that a
    // newer backup is recognised as such before anything else is read.
    let meta: BTreeMap<String, String> = {
        let mut stmt = conn
            .prepare("SELECT key, value FROM meta")
            .map_err(bad("its meta table cannot be read"))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<_>>())
            .map_err(bad("its meta table cannot be read"))?
    };
    if meta.get("format").map(String::as_str) != Some(FORMAT) {
        return Err(not_backup("its meta table does not say so", None));
    }
    let number = |key: &str| -> Result<i64> {
        meta.get(key)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| damaged(file, format!("its meta table has no valid {key}")))
    };
    let format_version = number("format_version")?;
    if format_version > FORMAT_VERSION {
        return Err(BackupError::NewerFormat {
            file: file.to_path_buf(),
            found: format_version,
        });
    }
    if format_version < 1 {
        return Err(damaged(
            file,
            format!("unknown format version {format_version}"),
        ));
    }
    let check = integrity(&conn).map_err(bad("SQLite cannot read it"))?;
    if check != "ok" {
        return Err(damaged(
            file,
            format!("SQLite's integrity check failed ({check})"),
        ));
    }
    let mut rows = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT name, bytes, sha256 FROM files ORDER BY name")
            .map_err(bad("its files table cannot be read"))?;
        let found = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(bad("its files table cannot be read"))?;
        for (name, bytes, sha) in found {
            let part = Part::from_file_name(&name)
                .ok_or_else(|| damaged(file, format!("it holds an unknown file {name:?}")))?;
            if bytes.is_empty() {
                return Err(damaged(file, format!("its {name} is empty")));
            }
            if !sha256_hex(&bytes).eq_ignore_ascii_case(sha.trim()) {
                return Err(damaged(
                    file,
                    format!("its {name} does not match its sha256"),
                ));
            }
            rows.push((part, bytes));
        }
    }
    rows.sort_by_key(|(p, _)| *p);
    let mut listed: Vec<Part> = Vec::new();
    for name in meta
        .get("includes")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
    {
        let part = Part::from_file_name(name.trim()).ok_or_else(|| {
            damaged(
                file,
                format!("its meta table lists an unknown file {name:?}"),
            )
        })?;
        listed.push(part);
    }
    listed.sort();
    if listed != rows.iter().map(|(p, _)| *p).collect::<Vec<_>>() {
        return Err(damaged(
            file,
            "the files it holds are not the ones its meta table lists",
        ));
    }
    if !listed.contains(&Part::Partnership) {
        return Err(damaged(file, "it holds no partnership.sqlite3"));
    }
    let partnership_id = meta
        .get("partnership_id")
        .cloned()
        .ok_or_else(|| damaged(file, "its meta table has no partnership_id"))?;
    Ok((
        Meta {
            format_version,
            created_at_ms: number("created_at_ms")?,
            cocoach_version: meta.get("cocoach_version").cloned().unwrap_or_default(),
            partnership_id,
        },
        rows,
    ))
}

/// `PRAGMA integrity_check`'s verdict on one line: "ok", or its first findings.
fn integrity(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(5)")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines
        .iter()
        .flat_map(|l| l.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("***"))
        .collect::<Vec<_>>()
        .join("; "))
}

struct Facts {
    partnership_id: String,
    heads: Vec<ChangeHash>,
    partner_keys: Vec<DeviceKey>,
    device_key: Option<DeviceKey>,
}

/// Check the images in `check_dir` (a throwaway directory: opening changes them) as
/// a restore must: `PRAGMA integrity_check`, then the store's own open function for
/// each kind. `backup` names the backup in errors.
fn check_images(backup: &Path, check_dir: &DataDir, parts: &[Part]) -> Result<Facts> {
    for &part in parts {
        let path = part.path(check_dir);
        let refused = |reason: String, source: Option<Box<dyn std::error::Error + Send + Sync>>| {
            BackupError::Damaged {
                file: backup.to_path_buf(),
                reason: format!("its {} {reason}", part.file_name()),
                source,
            }
        };
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| refused("cannot be opened".into(), Some(Box::new(e))))?;
        let check =
            integrity(&conn).map_err(|e| refused("cannot be read".into(), Some(Box::new(e))))?;
        if check != "ok" {
            return Err(refused(
                format!("fails SQLite's integrity check ({check})"),
                None,
            ));
        }
    }
    let as_kind = |part: Part| {
        move |e: StoreError| match e {
            StoreError::NewerFormat { .. } | StoreError::Doc(DocError::NeedsNewerVersion(_)) => {
                BackupError::NewerData {
                    file: backup.to_path_buf(),
                    part,
                    source: Box::new(e),
                }
            }
            // The reason, not the error: it would name the throwaway copy.
            StoreError::Damaged { reason, source, .. } => BackupError::Damaged {
                file: backup.to_path_buf(),
                reason: format!("its {} {reason}", part.file_name()),
                source,
            },
            // What SQLite said, without the error naming the throwaway copy.
            e => BackupError::Damaged {
                file: backup.to_path_buf(),
                reason: format!("its {} does not open as {}", part.file_name(), part.kind()),
                source: Some(match e {
                    StoreError::Sqlite { source, .. } => Box::new(source),
                    StoreError::Io { source, .. } => Box::new(source),
                    e => Box::new(e),
                }),
            },
        }
    };
    let (_store, mut doc, _) =
        PartnershipStore::open(check_dir, None).map_err(as_kind(Part::Partnership))?;
    let p = doc
        .read()
        .map_err(|e| as_kind(Part::Partnership)(e.into()))?;
    let partner_keys = cocoach_doc::Slot::BOTH
        .into_iter()
        .filter_map(|s| p.partner(s).key)
        .collect();
    let mut device_key = None;
    if parts.contains(&Part::Journal) {
        Journal::open_or_create(check_dir).map_err(as_kind(Part::Journal))?;
    }
    if parts.contains(&Part::DeviceKey) {
        let d = DeviceStore::open_or_create(check_dir).map_err(as_kind(Part::DeviceKey))?;
        device_key = Some(d.identity().public());
    }
    Ok(Facts {
        partnership_id: doc.partnership_id().to_string(),
        heads: doc.heads(),
        partner_keys,
        device_key,
    })
}

// ------------------------------------------------------------------------ restore

/// Check the backup `file` whole, then take `dir`'s lock and restore it there (see
/// [`restore_locked`]). Nothing in `dir` is touched unless the check passes.
pub fn restore(dir: &DataDir, file: &Path, opts: RestoreOptions) -> Result<RestoreReport> {
    let checked = check_backup(file)?;
    let lock = dir.lock()?;
    restore_locked(dir, &lock, &checked, opts)
}

/// Restore a checked backup into `dir`, whose lock the caller holds (`_lock` must
/// be `dir`'s; no database in `dir` may be open). A partnership (or journal) there
/// is replaced only with `opts.replace_existing`. Each file is written under a
/// temporary name, synced, and renamed into place; the one it replaces is first
/// linked into `replaced-<UTC time>/` with its write-ahead log, so at every moment
/// the directory holds either the old file or the new one. Files the backup does
/// not hold stay as they are: without a key in the backup this device keeps its
/// own (or gets a new one, on a fresh machine).
pub fn restore_locked(
    dir: &DataDir,
    _lock: &DirLock,
    backup: &CheckedBackup,
    opts: RestoreOptions,
) -> Result<RestoreReport> {
    let root = dir.root();
    let exists = |part: Part| side_files(&part.path(dir)).iter().any(|p| p.exists());
    let found: Vec<Part> = [Part::Partnership, Part::Journal]
        .into_iter()
        .filter(|&p| backup.includes(p) && exists(p))
        .collect();
    if !found.is_empty() && !opts.replace_existing {
        return Err(BackupError::WouldReplace {
            dir: root.to_path_buf(),
            found,
        });
    }
    // Every new file in place under a temporary name first: a failure here (disk
    // full) leaves the directory as it was.
    let mut staged = Vec::new();
    for (part, bytes) in &backup.images {
        let tmp = PathBuf::from(format!("{}.restore-new", part.path(dir).display()));
        if tmp.exists() {
            // Left by an interrupted restore; never a live file.
            std::fs::remove_file(&tmp).map_err(io(&tmp))?;
        }
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(io(&tmp))?;
        staged.push((*part, tmp));
    }
    let mut replaced: Option<PathBuf> = None;
    for (part, tmp) in &staged {
        let target = part.path(dir);
        if exists(*part) {
            let aside = match &replaced {
                Some(d) => d.clone(),
                None => {
                    let d = replaced_dir(root)?;
                    replaced = Some(d.clone());
                    d
                }
            };
            keep_aside(&target, &aside)?;
        }
        std::fs::rename(tmp, &target).map_err(io(&target))?;
    }
    sync_dir(root);
    if let Some(d) = &replaced {
        sync_dir(d);
        tracing::info!(dir = %d.display(), "the files a restore replaced are kept");
    }
    let kept: Vec<Part> = [Part::Journal, Part::DeviceKey]
        .into_iter()
        .filter(|&p| !backup.includes(p) && p.path(dir).exists())
        .collect();
    let (device_key, new_device_key) = match backup.device_key {
        Some(k) => (Some(k), false),
        None => match DeviceStore::open_or_create(dir) {
            Ok(d) => (Some(d.identity().public()), d.was_created()),
            Err(e) => {
                tracing::warn!(error = %cocoach_doc::error_text(&e), "after a restore, this device's key could not be read");
                (None, false)
            }
        },
    };
    let device_is_partner = device_key.is_some_and(|k| backup.partner_keys.contains(&k));
    tracing::info!(
        parts = staged.len(),
        replaced = replaced.is_some(),
        device_is_partner,
        "backup restored"
    );
    Ok(RestoreReport {
        partnership_id: backup.info.partnership_id.clone(),
        restored: backup.images.iter().map(|(p, _)| *p).collect(),
        replaced,
        kept,
        device_key,
        new_device_key,
        device_is_partner,
    })
}

/// A database file and the two SQLite keeps beside it.
fn side_files(file: &Path) -> [PathBuf; 3] {
    [
        file.to_path_buf(),
        PathBuf::from(format!("{}-wal", file.display())),
        PathBuf::from(format!("{}-shm", file.display())),
    ]
}

/// Keep `file` (and its -wal and -shm, which must never stay beside the file that
/// replaces it: SQLite would apply the old log to the new file) in `aside`. The
/// file itself is linked (copied where links are not supported), so it stays in
/// place until the new one is renamed over it.
fn keep_aside(file: &Path, aside: &Path) -> Result<()> {
    let [main, wal, shm] = side_files(file);
    if main.exists() {
        let name = main.file_name().unwrap_or_default();
        let to = aside.join(name);
        if std::fs::hard_link(&main, &to).is_err() {
            std::fs::copy(&main, &to).map_err(io(&to))?;
            File::open(&to)
                .and_then(|f| f.sync_all())
                .map_err(io(&to))?;
        }
        sync_dir(aside);
    }
    for side in [wal, shm] {
        if side.exists() {
            let to = aside.join(side.file_name().unwrap_or_default());
            std::fs::rename(&side, &to).map_err(io(&side))?;
        }
    }
    Ok(())
}

/// A new `replaced-<UTC time>` folder (0700) in `root`, e.g. `replaced-20260501T103000Z`.
fn replaced_dir(root: &Path) -> Result<PathBuf> {
    let ms = cocoach_doc::now_ms();
    let day = cocoach_doc::Date::from_days_since_epoch(ms.div_euclid(86_400_000))
        .map(|d| d.to_string().replace('-', ""))
        .unwrap_or_default();
    let secs = ms.rem_euclid(86_400_000) / 1000;
    let stamp = format!(
        "{day}T{:02}{:02}{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    let mut n = 0u32;
    loop {
        let name = if n == 0 {
            format!("replaced-{stamp}")
        } else {
            format!("replaced-{stamp}-{n}")
        };
        let path = root.join(name);
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        match b.create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => return Err(io(&path)(e)),
        }
    }
}
