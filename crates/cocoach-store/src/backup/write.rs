//! Making a backup: an image of each database with `VACUUM INTO`, checked as a
//! restore would check it, then one file written whole (temp, fsync, rename).

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, params};

use super::check::check_images;
use super::*;
use crate::sqlite::{APPLICATION_ID, owner_only};
use crate::{DataDir, StoreError};

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
        if part == Part::DeviceKey {
            // What this device saved last belongs to this device's files as they
            // are, not to a backup restored later (it would name changes made after
            // the partnership's image was taken).
            crate::partnership::saved::forget(&image)?;
        }
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
pub(super) fn vacuum_into(src: &Path, image: &Path) -> Result<()> {
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

pub(super) fn write_backup_file(tmp: &Path, partnership_id: &str, images: &[Image]) -> Result<()> {
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
