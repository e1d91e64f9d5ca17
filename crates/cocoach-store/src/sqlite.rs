//! Opening our SQLite files safely: header checks before SQLite touches a file,
//! integrity check after, and a copy kept aside when anything is wrong.

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::{Result, StoreError};

/// `PRAGMA application_id` of every cocoach database ("coco").
pub const APPLICATION_ID: i32 = 0x636f_636f;

pub(crate) fn sql_err(file: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| classify(file, source)
}

/// Corruption reported by SQLite becomes `Damaged` (with a copy kept aside); other
/// errors (disk full, permissions) stay plain SQLite errors.
pub(crate) fn classify(file: &Path, source: rusqlite::Error) -> StoreError {
    let code = match &source {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
        _ => None,
    };
    match code {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            damaged_by(file, "SQLite cannot read it", source)
        }
        _ => StoreError::Sqlite {
            file: file.to_path_buf(),
            source,
        },
    }
}

/// Build a `Damaged` error, copying the file (and its WAL) into `damaged/` first.
pub(crate) fn damaged(file: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Damaged {
        file: file.to_path_buf(),
        reason: reason.into(),
        kept: keep_aside(file),
        source: None,
    }
}

/// [`damaged`], keeping what SQLite or Automerge said as the error's source.
pub(crate) fn damaged_by(
    file: &Path,
    reason: impl Into<String>,
    source: impl std::error::Error + Send + Sync + 'static,
) -> StoreError {
    StoreError::Damaged {
        file: file.to_path_buf(),
        reason: reason.into(),
        kept: keep_aside(file),
        source: Some(Box::new(source)),
    }
}

fn keep_aside(file: &Path) -> Option<PathBuf> {
    let dir = file.parent()?.join("damaged");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::warn!(dir = %dir.display(), error = %cocoach_doc::error_text(&e), "could not make the folder for damaged files");
        return None;
    }
    let name = file.file_name()?.to_string_lossy().to_string();
    let stamp = cocoach_doc::now_ms();
    let mut n = 0u32;
    let target = loop {
        let t = dir.join(format!("{name}.{stamp}.{n}"));
        if !t.exists() {
            break t;
        }
        n += 1;
    };
    if let Err(e) = std::fs::copy(file, &target) {
        tracing::warn!(file = %file.display(), error = %cocoach_doc::error_text(&e), "could not keep a copy of a damaged file");
        return None;
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", file.display()));
        if side.exists()
            && let Err(e) = std::fs::copy(
                &side,
                PathBuf::from(format!("{}{suffix}", target.display())),
            )
        {
            tracing::warn!(file = %side.display(), error = %cocoach_doc::error_text(&e), "could not keep a copy of a damaged file's journal");
        }
    }
    tracing::info!(file = %file.display(), kept = %target.display(), "damaged file copied aside");
    Some(target)
}

/// Checks on the raw file before SQLite opens it: an empty, truncated or foreign file
/// must never be taken for an empty database.
fn precheck(file: &Path) -> Result<()> {
    let io = |source| StoreError::Io {
        path: file.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(file).map_err(io)?;
    let len = meta.len();
    if len == 0 {
        return Err(damaged(file, "the file is empty (0 bytes)"));
    }
    let mut header = [0u8; 100];
    let mut f = std::fs::File::open(file).map_err(io)?;
    if len < 100 {
        return Err(damaged(
            file,
            format!("the file is truncated ({len} bytes)"),
        ));
    }
    f.read_exact(&mut header).map_err(io)?;
    if &header[..16] != b"SQLite format 3\0" {
        return Err(damaged(file, "it is not an SQLite database (bad header)"));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        _ => return Err(damaged(file, "its header is garbled (page size)")),
    };
    let change_counter = u32::from_be_bytes([header[24], header[25], header[26], header[27]]);
    let valid_for = u32::from_be_bytes([header[92], header[93], header[94], header[95]]);
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // With a write-ahead log beside it the file may be mid-checkpoint (another
    // connection, or one closing, copies pages in: page 1 with the new size comes
    // first, the file grows after), and the log holds the pages that count; SQLite
    // reads it and its own checks decide.
    let wal = PathBuf::from(format!("{}-wal", file.display()));
    let wal_holds_pages = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    // A power cut during a checkpoint can leave the file's last page half written,
    // even its length short of a whole page (found by the power-loss test); the log
    // holds every page the checkpoint was copying, and SQLite recovers from it.
    if !wal_holds_pages && len % page_size != 0 {
        return Err(damaged(
            file,
            format!(
                "the file is truncated ({len} bytes is not a whole number of {page_size}-byte pages)"
            ),
        ));
    }
    if !wal_holds_pages && change_counter == valid_for && pages > 0 && len < pages * page_size {
        return Err(damaged(
            file,
            format!(
                "the file is truncated ({len} bytes; its header says {})",
                pages * page_size
            ),
        ));
    }
    Ok(())
}

/// What `open` should do when the file does not exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    Create,
    Fail,
}

/// Open (or create) one of our databases: WAL, synchronous=FULL, our application id,
/// schema `version`. A new file is built under a temporary name (schema from
/// `create_sql`, then `init` in the same transaction) and renamed into place, so a
/// crash during creation never leaves a half-made file behind. An existing file is
/// checked before use.
pub(crate) fn open(
    file: &Path,
    version: i64,
    create_sql: &str,
    missing: Missing,
    init: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<(Connection, bool)> {
    let exists = file.exists();
    if !exists {
        if missing == Missing::Fail {
            return Err(StoreError::NoPartnership(
                file.parent().map(Path::to_path_buf).unwrap_or_default(),
            ));
        }
        create_fresh(file, version, create_sql, init)?;
    }
    precheck(file)?;
    let err = sql_err(file);
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(&err)?;
    // Until the store has checked what it read ([`trust`]), closing must not copy
    // the write-ahead log into the file: a file refused as damaged stays exactly as
    // it was found, its log beside it (found by the damaged-files test: a refused
    // partnership was rewritten by its own close).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(&err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(&err)?;
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(&err)?;
    if app != APPLICATION_ID {
        return Err(StoreError::Foreign(file.to_path_buf()));
    }
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(&err)?;
    if found > version {
        return Err(StoreError::NewerFormat {
            file: file.to_path_buf(),
            found,
        });
    }
    if exists {
        quick_check(&conn, file)?;
    }
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(&err)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(&err)?;
    // Owner only, whoever made the file (SQLite gives its WAL and shared-memory
    // files the database's mode when it creates them).
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        if path.exists() {
            owner_only(&path, 0o600);
        }
    }
    if !exists {
        trust(&conn, file)?;
    }
    Ok((conn, !exists))
}

/// The store opened on `conn` has read and checked what it holds: from now on
/// closing the connection checkpoints its write-ahead log into the file again, as
/// SQLite does by default.
pub(crate) fn trust(conn: &Connection, file: &Path) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)
        .map_err(sql_err(file))?;
    Ok(())
}

/// SQLite's own check of the file's structure. A page the disk failed to read is
/// not damage (the check says "unable to get the page. error code=266"): it is
/// checked once more, and a read that keeps failing is an I/O error — the file is
/// neither called damaged nor copied aside. (Found by the I/O-fault test: one
/// failed read made a sound file "damaged".)
fn quick_check(conn: &Connection, file: &Path) -> Result<()> {
    let run = || -> Result<String> {
        let mut stmt = conn.prepare("PRAGMA quick_check").map_err(sql_err(file))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(sql_err(file))?;
        let mut lines = Vec::new();
        for row in rows {
            lines.push(row.map_err(sql_err(file))?);
        }
        Ok(lines.join("\n"))
    };
    let mut check = run()?;
    if check != "ok" && may_be_a_read_error(&check) {
        tracing::warn!(file = %file.display(), "the integrity check could not read a page; checking again");
        check = run()?;
    }
    if check == "ok" {
        return Ok(());
    }
    if let Some(code) = io_error_code(&check) {
        return Err(StoreError::Sqlite {
            file: file.to_path_buf(),
            source: rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(check)),
        });
    }
    Err(damaged(
        file,
        format!("SQLite integrity check failed ({check})"),
    ))
}

/// The extended code of an I/O error ("disk I/O error", "disk full", out of
/// memory) that the integrity check met reading a page, if that is what it says.
fn io_error_code(check: &str) -> Option<i32> {
    check.split("error code=").skip(1).find_map(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let code: i32 = digits.parse().ok()?;
        matches!(
            code & 0xff,
            rusqlite::ffi::SQLITE_IOERR | rusqlite::ffi::SQLITE_FULL | rusqlite::ffi::SQLITE_NOMEM
        )
        .then_some(code)
    })
}

/// A check result a failed read could explain (worth a second look).
fn may_be_a_read_error(check: &str) -> bool {
    io_error_code(check).is_some() || check.contains("Failed to read ptrmap")
}

/// Take every permission for group and others away from `path` (`mode` is what
/// the owner keeps). Best effort: a file we may read but not chmod (someone
/// else's) is logged, not refused.
pub(crate) fn owner_only(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(path) else {
            return;
        };
        if meta.permissions().mode() & 0o777 == mode {
            return;
        }
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
            tracing::warn!(file = %path.display(), error = %cocoach_doc::error_text(&e), "could not make a file owner-only");
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

fn create_fresh(
    file: &Path,
    version: i64,
    create_sql: &str,
    init: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<()> {
    let tmp = PathBuf::from(format!("{}.new", file.display()));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    // A leftover from a crash during an earlier creation never held user data.
    if tmp.exists() {
        std::fs::remove_file(&tmp).map_err(io(&tmp))?;
    }
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(&tmp).map_err(io(&tmp))?;
    {
        let err = sql_err(&tmp);
        let mut conn = Connection::open(&tmp).map_err(&err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(&err)?;
        // Must precede the first table: lets compaction give freed pages back.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(&err)?;
        let tx = conn.transaction().map_err(&err)?;
        tx.execute_batch(create_sql).map_err(&err)?;
        tx.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version};"
        ))
        .map_err(&err)?;
        init(&tx)?;
        tx.commit().map_err(&err)?;
    }
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(io(&tmp))?;
    // Link rather than rename: never replaces a file that appeared meanwhile.
    match std::fs::hard_link(&tmp, file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if let Err(e) = std::fs::remove_file(&tmp) {
                tracing::debug!(file = %tmp.display(), error = %cocoach_doc::error_text(&e), "could not remove a temporary file");
            }
            return Err(StoreError::AlreadyExists(file.to_path_buf()));
        }
        Err(e) => return Err(io(file)(e)),
    }
    std::fs::remove_file(&tmp).map_err(io(&tmp))?;
    sync_dir(file);
    Ok(())
}

/// Make a newly created file's directory entry durable.
fn sync_dir(file: &Path) {
    #[cfg(unix)]
    if let Some(Ok(d)) = file.parent().map(std::fs::File::open)
        && let Err(e) = d.sync_all()
    {
        tracing::debug!(file = %file.display(), error = %cocoach_doc::error_text(&e), "could not sync the directory entry");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_the_disk_could_not_read_is_an_io_error_not_damage() {
        let io = "*** in database main ***\nTree 6 page 6: unable to get the page. error code=266";
        assert_eq!(io_error_code(io), Some(266));
        let full = "*** in database main ***\nPage 3: unable to get the page. error code=13";
        assert_eq!(io_error_code(full), Some(13));
        // Real damage: a page SQLite read and found wrong.
        let corrupt =
            "*** in database main ***\nTree 4 page 4 cell 0: btreeInitPage() returns error code 11";
        assert_eq!(io_error_code(corrupt), None);
        assert!(!may_be_a_read_error(corrupt));
        assert_eq!(io_error_code("wrong # of entries in index x"), None);
        assert!(may_be_a_read_error(
            "*** in database main ***\nFailed to read ptrmap key=6"
        ));
    }

    /// A file caught mid-checkpoint: its header already names more pages than it
    /// holds, while the write-ahead log still has them. Not damage: it opens, with
    /// everything in it. (Seen as a flaky "the file is truncated" when a node
    /// started while the previous one was closing.) Without a log, the same file
    /// is truncated.
    #[test]
    fn a_file_mid_checkpoint_with_its_log_is_not_taken_for_damaged() {
        let t = tempfile::tempdir().unwrap();
        let file = t.path().join("x.sqlite3");
        let c = Connection::open(&file).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
             CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('kept');",
        )
        .unwrap();
        for i in 0..50 {
            c.execute("INSERT INTO t VALUES (?1)", [format!("{i:0>500}")])
                .unwrap();
        }
        // The header of the main file claims pages it does not have yet.
        let mut bytes = std::fs::read(&file).unwrap();
        assert!(bytes.len() >= 100);
        let claimed = u32::try_from(bytes.len() / 4096 + 5).unwrap();
        bytes[28..32].copy_from_slice(&claimed.to_be_bytes());
        let counter: [u8; 4] = bytes[24..28].try_into().unwrap();
        bytes[92..96].copy_from_slice(&counter);
        std::fs::write(&file, &bytes).unwrap();
        assert!(precheck(&file).is_ok(), "{:?}", precheck(&file));
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 51);
        drop(c);
        // No log: the same claim is a truncated file.
        let _ = std::fs::remove_file(t.path().join("x.sqlite3-wal"));
        let _ = std::fs::remove_file(t.path().join("x.sqlite3-shm"));
        std::fs::write(&file, &bytes).unwrap();
        assert!(precheck(&file).is_err());
    }
}
